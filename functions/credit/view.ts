/** The customer's credit position from the account and its open items (pure). */
import type { Customer } from '../customers/schemas.js';
import { money } from '../shared/money.js';
import { type CreditAccount, type OpenItem, newAccount } from './account.js';
import type { CustomerCredit } from './schemas.js';

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

export function creditView(customer: Customer, account: CreditAccount | undefined, openItems: readonly OpenItem[], today: string): CustomerCredit {
  const a = account ?? newAccount(customer);
  const m = (minor: number) => money(minor, a.currency);
  const items = [...openItems].sort((x, y) => x.openedAt.localeCompare(y.openedAt) || x.reference.localeCompare(y.reference));
  const overdueMinor = items.filter((i) => i.dueDate !== undefined && i.dueDate < today).reduce((sum, i) => sum + i.amountMinor, 0);
  const p = customer.credit;
  return {
    customerId: customer.customerId,
    customerName: customer.name,
    creditStatus: p.status,
    ...(p.rating ? { rating: p.rating } : {}),
    ...(p.paymentTermsDays !== undefined ? { paymentTermsDays: p.paymentTermsDays } : {}),
    ...(p.contract ? { contract: p.contract } : {}),
    guaranteeOnFile: p.guaranteeOnFile === true,
    prepaymentRequired: p.prepaymentRequired === true,
    limit: m(a.limitMinor),
    exposure: m(a.exposureMinor),
    reservedForOrders: m(a.reservedMinor),
    receivables: m(a.receivableMinor),
    available: m(a.availableMinor),
    overdue: m(overdueMinor),
    hold: a.hold ?? null,
    openItems: items.map((i) => ({
      kind: i.kind,
      reference: i.reference,
      amount: money(i.amountMinor, i.currency),
      openedAt: i.openedAt,
      ...(i.dueDate ? { dueDate: i.dueDate, ...(i.dueDate < today ? { daysOverdue: daysBetween(i.dueDate, today) } : {}) } : {}),
      ...(i.approval ? { approval: i.approval } : {}),
    })),
  };
}
