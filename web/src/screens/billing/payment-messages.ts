/** The words of payments (收款, R-BILL-2/3/5): the form, the receipt and its reversal, in Chinese and English. */
import { defineMessages } from '../../i18n/index.js';

export type { Payment } from '../../../../functions/billing/schemas.js';

export const paymentMessages = defineMessages({
  title: ['收款', 'Payments'],
  record: ['登记收款', 'Record a payment'],
  method: ['收款方式', 'Method'],
  'method.BANK_TRANSFER': ['银行转账', 'Bank transfer'],
  'method.CASH': ['现金', 'Cash'],
  receivedOn: ['到账日期', 'Received on'],
  bankReference: ['银行流水号', 'Bank reference'],
  receiptReference: ['收据号（纸质收据上的编号）', 'Paper receipt number (收据号)'],
  referenceHint: ['同一客户同一到账日期内不可重复', 'Unique per customer and day received'],
  separatePayment: ['这是另一笔款项，只是参考号相同（例如银行对两笔转账给了同一个流水号）', 'This is a separate payment with the same reference (e.g. two transfers the bank gave one reference)'],
  separatePaymentHint: ['该参考号已登记过。确认不是重复登记后，勾选此项再提交。', 'This reference is recorded already. Tick this only if it is not the same payment entered twice, then submit again.'],
  invoices: ['核销发票（可选，逗号分隔；留空则按到期先后）', 'Invoices to pay (optional, comma-separated; empty = oldest due first)'],
  orderId: ['预收款对应订单（可选）', 'Paid ahead for order (optional)'],
  remarks: ['备注', 'Remarks'],
  save: ['登记并开收据', 'Record and issue receipt'],
  receipt: ['收据', 'Receipt'],
  receiptNumber: ['收据号', 'Receipt number'],
  allocations: ['核销明细', 'Allocations'],
  invoice: ['发票', 'Invoice'],
  unallocated: ['未核销（客户预存）', 'Unallocated (customer credit)'],
  lookUp: ['查询收据', 'Look up a receipt'],
  recordedBy: ['登记人', 'Recorded by'],
  sameReferenceAs: ['与之参考号相同的收款', 'Same reference as'],
  openReceipt: ['打开收据 {id}', 'Open receipt {id}'],
  chooseCustomer: ['请选择客户', 'Choose a customer'],
  reversed: ['此笔收款已冲销', 'This payment is reversed'],
  reversedLine: ['{on} 由 {by} 冲销（{at}）：{reason}', 'Reversed on {on} by {by} ({at}): {reason}'],
  reverse: ['冲销此笔收款', 'Reverse this payment'],
  reverseReason: ['冲销原因（错在哪里）', 'Reason (what was wrong with it)'],
  reverseHint: [
    '冲销会新增一条冲销分录（不修改原记录）：所核销的发票重新变为未付，客户预存款收回，参考号释放。只能冲销一次；预存款已被发票使用的收款不能冲销。',
    'A reversal adds a REVERSAL entry (the payment is never edited): the invoices it paid open again, its customer credit is taken back and its reference is free again. Once only; a payment whose customer credit an invoice has used cannot be reversed.',
  ],
  confirmReverse: ['确认冲销', 'Confirm the reversal'],
});
