/**
 * What the finance screens share: the words of receivables (ledger kinds, aging buckets,
 * settlements), a customer chooser that works for every role, the business day in the company's
 * zone, and links to the record a reference (invoice, credit note, return …) names.
 */
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { SelectField, TextField } from '../../components/ui.js';
import { useResource } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { defineMessages, useT, type Translate } from '../../i18n/index.js';

export type { AgingReport, Invoice, LedgerEntry } from '../../../../functions/billing/schemas.js';

export const financeMessages = defineMessages({
  customerId: ['客户编号', 'Customer number'],
  chooseCustomer: ['请选择客户', 'Choose a customer'],
  pickCustomerFirst: ['请先选择客户。', 'Choose a customer first.'],
  ledger: ['客户往来账', 'Customer ledger'],
  invoice: ['发票', 'Invoice'],
  invoiceNo: ['发票号', 'Invoice no.'],
  order: ['订单', 'Order'],
  deliveryNote: ['发货单', 'Delivery note'],
  reference: ['单据号', 'Reference'],
  dueDate: ['到期日', 'Due date'],
  issuedOn: ['开票日期', 'Issued on'],
  outstanding: ['未收金额', 'Outstanding'],
  gross: ['价税合计', 'Total incl. VAT'],
  net: ['不含税金额', 'Net'],
  tax: ['税额', 'VAT'],
  taxRate: ['税率', 'VAT rate'],
  unitPrice: ['单价', 'Unit price'],
  reason: ['原因', 'Reason'],
  rep: ['业务员', 'Sales rep'],
  lines: ['明细', 'Lines'],
  daysPastDue: ['逾期天数', 'Days past due'],
  'kind.INVOICE': ['发票', 'Invoice'],
  'kind.PAYMENT': ['收款', 'Payment'],
  'kind.CREDIT_NOTE': ['折让/红字', 'Credit note'],
  'kind.ALLOCATION': ['预收款冲抵', 'Credit applied'],
  'kind.REVERSAL': ['冲销', 'Reversal'],
  'settlement.PAYMENT': ['收款', 'Payment'],
  'settlement.CUSTOMER_CREDIT': ['预收款冲抵', 'Customer credit applied'],
  'settlement.CREDIT_NOTE': ['折让单', 'Credit note'],
  'bucket.notDue': ['未到期', 'Not due'],
  'bucket.range': ['逾期 {from}–{to} 天', '{from}–{to} days overdue'],
  'bucket.over': ['逾期 {days} 天以上', 'Over {days} days overdue'],
  'party.PRODUCTION': ['生产', 'Production'],
  'party.SUPPLIER': ['供应商', 'Supplier'],
  'party.WAREHOUSE': ['仓库', 'Warehouse'],
  'party.LOGISTICS': ['物流', 'Logistics'],
  'party.CARRIER': ['承运商', 'Carrier'],
  'party.SALES': ['销售', 'Sales'],
  'party.CUSTOMER': ['客户', 'Customer'],
  'party.OTHER': ['其他', 'Other'],
});

export type FinanceKey = keyof typeof financeMessages & string;
export type FinanceT = Translate<typeof financeMessages>;

export const RESPONSIBLE_PARTIES = ['PRODUCTION', 'SUPPLIER', 'WAREHOUSE', 'LOGISTICS', 'CARRIER', 'SALES', 'CUSTOMER', 'OTHER'] as const;

/** A ledger kind (INVOICE, PAYMENT …) in words. */
export function kindLabel(t: FinanceT, kind: string): string {
  const key = `kind.${kind}` as FinanceKey;
  return key in financeMessages ? t(key) : kind;
}

/** The API's bucket labels ('not due', '1-30', 'over 90') in words. */
export function bucketLabel(t: FinanceT, bucket: string): string {
  if (bucket === 'not due') return t('bucket.notDue');
  const range = /^(\d+)-(\d+)$/.exec(bucket);
  if (range) return t('bucket.range', { from: range[1]!, to: range[2]! });
  const over = /^over (\d+)$/.exec(bucket);
  if (over) return t('bucket.over', { days: over[1]! });
  return bucket;
}

/** Today's business date (YYYY-MM-DD) in the company's time zone. */
export function businessToday(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** Whole days from `from` to `to` (business dates). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The record a reference names, linked when the console shows it and the user may read it. */
export function ReferenceLink({ reference }: { reference: string }): ReactNode {
  const { can } = useApp();
  const targets: [RegExp, string, string][] = [
    [/^INV-/, '/invoices/', 'getInvoice'],
    [/^CN-/, '/credit-notes/', 'getCreditNote'],
    [/^RT-/, '/returns/', 'getReturn'],
    [/^SO-/, '/orders/', 'getOrder'],
    [/^DN-/, '/delivery-notes/', 'getDeliveryNote'],
    [/^ST-/, '/statements/', 'getStatement'],
    [/^RC-/, '/payments/', 'getPayment'],
  ];
  const target = targets.find(([re]) => re.test(reference));
  if (!target || !can(target[2])) return reference;
  return <Link to={`${target[1]}${encodeURIComponent(reference)}`}>{reference}</Link>;
}

/** A link to the customer's ledger, for whoever may read it; others see `plain` (default: the link's text). */
export function LedgerLink({ customerId, children, plain, className }: { customerId: string; children?: ReactNode; plain?: ReactNode; className?: string }) {
  const { can } = useApp();
  const t = useT(financeMessages);
  if (!can('getCustomerLedger')) return <>{plain ?? children ?? null}</>;
  return (
    <Link className={className} to={`/customers/${encodeURIComponent(customerId)}/ledger`}>
      {children ?? t('ledger')}
    </Link>
  );
}

/**
 * The customer a list is about: a list of the customers the user may see, or (for roles that do
 * not list customers, e.g. the warehouse) the customer number typed in.
 */
export function CustomerField({ value, onChange, error, blank }: { value: string; onChange(v: string): void; error?: string | undefined; blank?: string }) {
  const { api, can } = useApp();
  const t = useT(financeMessages);
  const tc = useT(common);
  const listable = can('listCustomers');
  const customers = useResource(
    (signal) => (listable ? api.get<Page<{ customerId: string; name: string }>>('/customers?limit=100', { signal }) : Promise.resolve(undefined)),
    [listable],
  );
  if (!listable || customers.error) return <TextField label={tc('customer')} value={value} onChange={onChange} error={error} placeholder="CU-000001" />;
  const options = (customers.data?.items ?? []).map((c) => ({ value: c.customerId, label: `${c.customerId} ${c.name}` }));
  if (value && !options.some((o) => o.value === value)) options.unshift({ value, label: value });
  return <SelectField label={tc('customer')} value={value} onChange={onChange} blank={blank ?? t('chooseCustomer')} options={options} error={error} />;
}

/** A radio button or checkbox with its label (inside a fieldset whose legend names the group). */
export function Choice({ type, name, checked, onChange, label }: { type: 'radio' | 'checkbox'; name?: string; checked: boolean; onChange(checked: boolean): void; label: ReactNode }) {
  return (
    <label style={{ display: 'inline-flex', gap: '0.4rem', alignItems: 'center' }}>
      <input type={type} name={name} checked={checked} onChange={(e) => onChange(e.target.checked)} style={{ width: 'auto', minHeight: 0 }} />
      {label}
    </label>
  );
}

/** Keeps a short value (a kind, a document number) on one line in a narrow table column. */
export function Nowrap({ children }: { children: ReactNode }) {
  return <span style={{ whiteSpace: 'nowrap' }}>{children}</span>;
}

/**
 * A filter form's draft: starts from the values in the address, and starts over when the address
 * changes (a link to the same screen with other filters), without an effect.
 */
export function useDraft<T>(fromAddress: T, addressKey: string): [T, (next: T) => void] {
  const [state, setState] = useState({ key: addressKey, value: fromAddress });
  return [state.key === addressKey ? state.value : fromAddress, (next: T) => setState({ key: addressKey, value: next })];
}
