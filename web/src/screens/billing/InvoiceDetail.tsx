/**
 * One invoice (R-BILL-1): the lines at the approved prices with VAT, totals, due date, what is
 * still open and what settled it (payments, customer credit, credit notes), the delivery note and
 * order it came from, and every change. From here: the customer's ledger, a credit note or a return.
 */
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useApp } from '../../app-context.js';
import { DataTable, DateText, Definition, HistorySection, Loading, Money, Page as PageFrame, ProblemBox, Quantity, Section, StatusBadge } from '../../components/ui.js';
import { useRecordWithHistory } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { defineMessages, useLocale, useT } from '../../i18n/index.js';
import { LedgerLink, ReferenceLink, businessToday, daysBetween, financeMessages, type FinanceKey, type Invoice } from './shared.js';

const m = defineMessages({
  title: ['发票', 'Invoice'],
  summary: ['发票信息', 'Invoice'],
  source: ['来源', 'Source'],
  paymentTerms: ['账期', 'Payment terms'],
  days: ['{n} 天', '{n} days'],
  paidOn: ['付清日期', 'Paid on'],
  overdueBy: ['已逾期 {n} 天', '{n} days overdue'],
  dueIn: ['{n} 天后到期', 'Due in {n} days'],
  dueToday: ['今天到期', 'Due today'],
  linesCaption: ['发票明细（按批准价格；价税合计见上方合计）', 'Invoice lines at the approved prices; totals with VAT above'],
  goods: ['货物名称 / 规格', 'Goods / specification'],
  totals: ['合计', 'Totals'],
  settlements: ['核销记录', 'Settlements'],
  settlementsCaption: ['冲抵本发票的收款、预收款和折让', 'Payments, customer credit and credit notes that settled this invoice'],
  settlementKind: ['方式', 'Kind'],
  settledOn: ['核销日期', 'On'],
  requestCreditNote: ['申请折让', 'Request a credit note'],
  requestReturn: ['申请退货', 'Request a return'],
  createdBy: ['开票人', 'Issued by'],
});

export function InvoiceDetail() {
  const { invoiceId = '' } = useParams();
  const { can, config } = useApp();
  const t = useT(m);
  const tf = useT(financeMessages);
  const tc = useT(common);
  const { fmt } = useLocale();
  const [invoice, history] = useRecordWithHistory<Invoice>(`/invoices/${encodeURIComponent(invoiceId)}`, 'getInvoiceHistory');
  if (!invoice.data) return invoice.error ? <ProblemBox error={invoice.error} /> : <Loading />;
  const inv = invoice.data;
  const today = businessToday(config.timeZone);
  const late = daysBetween(inv.dueDate, today);
  const dueWords = inv.status === 'PAID' ? null : late > 0 ? t('overdueBy', { n: late }) : late === 0 ? t('dueToday') : t('dueIn', { n: -late });

  return (
    <PageFrame
      title={
        <>
          {t('title')} {inv.invoiceId} <StatusBadge code={inv.status} />
        </>
      }
      subtitle={
        <>
          {can('getCustomer') ? <Link to={`/customers/${inv.customerId}`}>{inv.customerName}</Link> : inv.customerName} · {inv.customerId}
        </>
      }
      actions={
        <>
          {<LedgerLink className="button secondary" customerId={inv.customerId} />}
          {inv.status === 'OPEN' && can('requestCreditNote') ? (
            <Link className="button secondary" to={`/credit-notes/new?invoiceId=${inv.invoiceId}`}>
              {t('requestCreditNote')}
            </Link>
          ) : null}
          {can('requestReturn') ? (
            <Link className="button secondary" to={`/returns/new?invoiceId=${inv.invoiceId}`}>
              {t('requestReturn')}
            </Link>
          ) : null}
          <button type="button" className="secondary" onClick={() => window.print()}>
            {tc('print')}
          </button>
        </>
      }
    >
      <div className="two-columns">
        <Section title={t('summary')}>
          <Definition
            items={[
              [tf('issuedOn'), <DateText key="i" value={inv.issuedOn} />],
              [
                tf('dueDate'),
                <span key="d">
                  <DateText value={inv.dueDate} />
                  {dueWords ? <strong className={late > 0 ? 'field-error' : undefined}> · {dueWords}</strong> : null}
                </span>,
              ],
              [t('paymentTerms'), t('days', { n: inv.paymentTermsDays })],
              ...(inv.paidOn ? ([[t('paidOn'), <DateText key="p" value={inv.paidOn} />]] as [string, ReactNode][]) : []),
              [tf('rep'), inv.ownerRepId],
              [t('createdBy'), inv.createdBy.name],
            ]}
          />
        </Section>
        <Section title={t('source')}>
          <Definition
            items={[
              [tf('deliveryNote'), <ReferenceLink key="dn" reference={inv.deliveryNoteId} />],
              [tf('order'), <ReferenceLink key="o" reference={inv.orderId} />],
              [tc('customer'), <LedgerLink key="l" customerId={inv.customerId} plain={inv.customerId}>{`${inv.customerId} · ${tf('ledger')}`}</LedgerLink>],
            ]}
          />
          <h3>{t('totals')}</h3>
          <Definition
            items={[
              [tf('net'), <Money key="n" value={inv.net} />],
              [tf('tax'), <Money key="t" value={inv.tax} />],
              [tf('gross'), <strong key="g"><Money value={inv.gross} /></strong>],
              [tf('outstanding'), <strong key="o"><Money value={inv.outstanding} /></strong>],
            ]}
          />
        </Section>
      </div>
      <Section title={tf('lines')}>
        <DataTable
          caption={t('linesCaption')}
          rows={inv.lines}
          rowKey={(l) => String(l.lineNo)}
          columns={[
            { header: '#', cell: (l) => l.lineNo },
            {
              header: t('goods'),
              cell: (l) => (
                <>
                  {l.productName}
                  {l.specification ? ` · ${l.specification}` : ''}
                  <div className="muted">{l.productCode}</div>
                </>
              ),
            },
            { header: tc('quantity'), cell: (l) => <Quantity value={l.quantity} unit={l.unit} />, className: 'num' },
            { header: tf('unitPrice'), cell: (l) => <Money value={l.unitPrice} />, className: 'num' },
            { header: tf('net'), cell: (l) => <Money value={l.net} />, className: 'num' },
            { header: tf('taxRate'), cell: (l) => `${fmt.number(String(l.taxRateBasisPoints / 100))}%`, className: 'num' },
            { header: tf('tax'), cell: (l) => <Money value={l.tax} />, className: 'num' },
          ]}
        />
      </Section>
      <Section title={t('settlements')}>
        <DataTable
          caption={t('settlementsCaption')}
          rows={inv.settlements}
          rowKey={(s) => `${s.kind}-${s.reference}-${s.on}-${s.amount.amountMinor}`}
          columns={[
            { header: t('settlementKind'), cell: (s) => tf(`settlement.${s.kind}` as FinanceKey) },
            { header: tf('reference'), cell: (s) => <ReferenceLink reference={s.reference} /> },
            { header: t('settledOn'), cell: (s) => <DateText value={s.on} /> },
            { header: tc('amount'), cell: (s) => <Money value={s.amount} />, className: 'num' },
          ]}
        />
      </Section>
      {can('getInvoiceHistory') ? (
        <HistorySection history={history} />
      ) : null}
    </PageFrame>
  );
}
