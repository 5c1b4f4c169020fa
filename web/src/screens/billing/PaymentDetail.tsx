/**
 * One payment's receipt (收据, R-BILL-2/3): amount, method, reference, the invoices it paid and the
 * customer credit it left; a reversed payment says so at once (badge, who, when, why), and finance
 * reverses a mistaken one with a reason (R-BILL-5: a REVERSAL entry, never an edit); every change (R-INFO-3).
 */
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import type { Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { DataTable, DateText, DateTimeText, Definition, HistorySection, Loading, Money, Page as PageFrame, ProblemBox, ReasonForm, Section, StatusBadge, type HistoryEntry } from '../../components/ui.js';
import { useResource } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { useLocale, useT } from '../../i18n/index.js';
import { LedgerLink, ReferenceLink } from './shared.js';
import { paymentMessages as m, type Payment } from './payment-messages.js';

export function PaymentDetail() {
  const { receiptNumber = '' } = useParams();
  const { api, can } = useApp();
  const t = useT(m);
  const path = `/payments/${encodeURIComponent(receiptNumber)}`;
  const payment = useResource((signal) => api.get<Payment>(path, { signal }), [path]);
  const history = useResource(
    (signal) => (can('getPaymentHistory') ? api.get<Page<HistoryEntry>>(`${path}/history?limit=100`, { signal }) : Promise.resolve(undefined)),
    [path, payment.data?.reversal?.at],
  );
  if (!payment.data) return payment.error ? <ProblemBox error={payment.error} /> : <Loading />;
  const p = payment.data;
  return (
    <PageFrame
      title={
        <>
          {t('receipt')} {p.receiptNumber} {p.reversal ? <StatusBadge code="REVERSED" /> : null}
        </>
      }
      subtitle={`${p.customerName} · ${p.customerId}`}
      actions={<LedgerLink className="button secondary" customerId={p.customerId} />}
    >
      <Receipt payment={p} onChanged={payment.reload} />
      {can('getPaymentHistory') ? (
        <HistorySection history={history} />
      ) : null}
    </PageFrame>
  );
}

/** The receipt: what was paid and what it paid; reversed or not; the reversal for finance. */
export function Receipt({ payment, onChanged, linked }: { payment: Payment; onChanged(): void; linked?: boolean }) {
  const { can } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const { fmt } = useLocale();
  const [reversing, setReversing] = useState(false);
  const reversible = !payment.reversal && can('reversePayment');
  const reference: [string, string][] = [
    ...(payment.bankReference ? [[t('bankReference'), payment.bankReference] as [string, string]] : []),
    ...(payment.receiptReference ? [[t('receiptReference'), payment.receiptReference] as [string, string]] : []),
  ];
  return (
    <Section
      title={
        linked ? (
          <Link to={`/payments/${encodeURIComponent(payment.receiptNumber)}`} aria-label={t('openReceipt', { id: payment.receiptNumber })}>
            {t('receipt')} {payment.receiptNumber}
          </Link>
        ) : (
          t('receipt')
        )
      }
      actions={
        reversible ? (
          <button type="button" className="secondary" aria-expanded={reversing} onClick={() => setReversing((v) => !v)}>
            {t('reverse')}
          </button>
        ) : null
      }
    >
      {payment.reversal ? (
        <div className="notice" role="status">
          <StatusBadge code="REVERSED" /> <strong>{t('reversed')}</strong>
          <p>
            {t('reversedLine', { on: fmt.date(payment.reversal.on), by: payment.reversal.by.name, at: fmt.dateTime(payment.reversal.at), reason: payment.reversal.reason })}
          </p>
        </div>
      ) : null}
      {reversing && reversible ? (
        <ReasonForm
          title={t('reverse')}
          hint={t('reverseHint')}
          reasonLabel={t('reverseReason')}
          confirmLabel={t('confirmReverse')}
          path={`/payments/${encodeURIComponent(payment.receiptNumber)}/reversal`}
          onDone={(changed) => {
            setReversing(false);
            if (changed) onChanged();
          }}
        />
      ) : null}
      <div role={payment.reversal ? undefined : 'status'}>
        <Definition
          items={[
            [tc('customer'), <LedgerLink key="c" customerId={payment.customerId} plain={`${payment.customerId} ${payment.customerName}`}>{`${payment.customerId} ${payment.customerName}`}</LedgerLink>],
            [tc('amount'), <Money key="a" value={payment.amount} />],
            [t('method'), t(`method.${payment.method}`)],
            [t('receivedOn'), <DateText key="r" value={payment.receivedOn} />],
            ...(reference.length > 0 ? reference : [[t('bankReference'), '—'] as [string, string]]),
            ...(payment.sameReferenceAs ? [[t('sameReferenceAs'), <ReferenceLink key="s" reference={payment.sameReferenceAs} />] as [string, ReactNode]] : []),
            [t('unallocated'), <Money key="u" value={payment.unallocated} />],
            [t('recordedBy'), <span key="b">{payment.recordedBy.name} · <DateTimeText value={payment.recordedAt} /></span>],
          ]}
        />
      </div>
      <DataTable
        caption={t('allocations')}
        rows={payment.allocations}
        rowKey={(a) => a.invoiceId}
        columns={[
          { header: t('invoice'), cell: (a) => <ReferenceLink reference={a.invoiceId} /> },
          { header: tc('amount'), cell: (a) => <Money value={a.amount} />, className: 'num' },
        ]}
      />
    </Section>
  );
}

