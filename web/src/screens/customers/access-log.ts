/**
 * A customer's access log (R-INFO-2) in words: the API gives each read as a code and its
 * parameters (`{ what: 'order', id: 'SO-2026-000123' }`); these are its words in both languages.
 * A code the console does not know yet shows as the code.
 */
import { defineMessages, translate, type Locale } from '../../i18n/messages.js';

export interface AccessEntry {
  at: string;
  by: { userId: string; name: string };
  roles: string[];
  outcome: 'ALLOWED' | 'REFUSED';
  what: string;
  id?: string;
  version?: number;
}

export const accessReadMessages = defineMessages({
  customer: ['客户档案', 'Customer record'],
  customerHistory: ['客户档案的历史记录', 'Customer history'],
  creditPosition: ['信用情况', 'Credit position'],
  priceListVersions: ['客户价格表的版本列表', 'Price list versions'],
  priceListVersion: ['客户价格表第 {version} 版', 'Price list version {version}'],
  priceListHistory: ['客户价格表的历史记录', 'Price list history'],
  orders: ['该客户的订单列表', "The customer's orders"],
  order: ['订单 {id}', 'Order {id}'],
  orderHistory: ['订单 {id} 的历史记录', 'History of order {id}'],
  orderDeliveryNotes: ['订单 {id} 的发货单', 'Delivery notes of order {id}'],
  deliveryNote: ['发货单 {id}', 'Delivery note {id}'],
  invoices: ['该客户的发票列表', "The customer's invoices"],
  invoice: ['发票 {id}', 'Invoice {id}'],
  invoiceHistory: ['发票 {id} 的历史记录', 'History of invoice {id}'],
  payment: ['收款 {id}', 'Payment {id}'],
  paymentHistory: ['收款 {id} 的历史记录', 'History of payment {id}'],
  ledger: ['往来账', 'Ledger'],
  statements: ['该客户的对账单列表', "The customer's statements"],
  statement: ['对账单 {id}', 'Statement {id}'],
  statementPdf: ['对账单 {id}（PDF）', 'Statement {id} (PDF)'],
  statementHistory: ['对账单 {id} 的历史记录', 'History of statement {id}'],
  creditNotes: ['该客户的折让单列表', "The customer's credit notes"],
  creditNote: ['折让单 {id}', 'Credit note {id}'],
  creditNoteHistory: ['折让单 {id} 的历史记录', 'History of credit note {id}'],
  returns: ['该客户的退货列表', "The customer's returns"],
  return: ['退货 {id}', 'Return {id}'],
  returnHistory: ['退货 {id} 的历史记录', 'History of return {id}'],
  goodsReservations: ['该客户的留货列表', "The customer's goods reservations"],
  goodsReservation: ['留货 {id}', 'Goods reservation {id}'],
  goodsReservationHistory: ['留货 {id} 的历史记录', 'History of goods reservation {id}'],
  sampleRequest: ['样品申请 {id}', 'Sample request {id}'],
  sampleRequestHistory: ['样品申请 {id} 的历史记录', 'History of sample request {id}'],
});

/** What was read, in words: "订单 SO-2026-000123" / "Order SO-2026-000123". */
export function accessReadText(locale: Locale, entry: Pick<AccessEntry, 'what' | 'id' | 'version'>): string {
  const values: Record<string, string | number> = {};
  if (entry.id !== undefined) values.id = entry.id;
  if (entry.version !== undefined) values.version = entry.version;
  return translate(accessReadMessages, locale, entry.what, values);
}
