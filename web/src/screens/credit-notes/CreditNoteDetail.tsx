/**
 * One credit note (折让单, R-BILL-4/5): invoice, amount, approvals, what it settled and what stayed
 * as customer credit, a return's lines; finance reverses a mistaken allowance (a REVERSAL entry,
 * never an edit); every change.
 */
import { useState, type ReactNode } from 'react';
import { useParams } from 'react-router';
import { useApp } from '../../app-context.js';
import { DataTable, DateText, DateTimeText, Definition, HistorySection, Loading, Money, Page as PageFrame, ProblemBox, Quantity, ReasonForm, Section, StatusBadge } from '../../components/ui.js';
import { useRecordWithHistory } from '../../hooks.js';
import { common, roleLabel, statusLabel } from '../../i18n/common.js';
import { useLocale, useT } from '../../i18n/index.js';
import { LedgerLink, ReferenceLink, financeMessages } from '../billing/shared.js';
import { creditNoteMessages as m, type CreditNote } from './messages.js';

export function CreditNoteDetail() {
  const { creditNoteId = '' } = useParams();
  const { can } = useApp();
  const t = useT(m);
  const tf = useT(financeMessages);
  const tc = useT(common);
  const { locale, fmt } = useLocale();
  const [note, history] = useRecordWithHistory<CreditNote>(`/credit-notes/${encodeURIComponent(creditNoteId)}`, 'getCreditNoteHistory');
  const [reversing, setReversing] = useState(false);
  if (!note.data) return note.error ? <ProblemBox error={note.error} /> : <Loading />;
  const c = note.data;
  const optional = (cond: unknown, item: [ReactNode, ReactNode]) => (cond ? [item] : []);
  const reversible = c.status === 'ISSUED' && c.source === 'ALLOWANCE' && can('reverseCreditNote');

  return (
    <PageFrame
      title={
        <>
          {t('creditNote')} {c.creditNoteId} <StatusBadge code={c.status} />
        </>
      }
      subtitle={`${c.customerName} · ${c.customerId} · ${t(`source.${c.source}`)}`}
      actions={
        <>
          {<LedgerLink className="button secondary" customerId={c.customerId} />}
          {reversible ? (
            <button type="button" className="secondary" aria-expanded={reversing} onClick={() => setReversing((v) => !v)}>
              {t('reverse')}
            </button>
          ) : null}
        </>
      }
    >
      {reversing && reversible ? (
        <ReasonForm
          title={t('reverse')}
          hint={t('reverseHint')}
          reasonLabel={t('reverseReason')}
          confirmLabel={t('confirmReverse')}
          path={`/credit-notes/${c.creditNoteId}/reversal`}
          onDone={(changed) => {
            setReversing(false);
            if (changed) note.reload();
          }}
        />
      ) : null}
      <div className="two-columns">
        <Section title={t('details')}>
          <Definition
            items={[
              [t('amount'), <strong key="a"><Money value={c.amount} /></strong>],
              ...optional(c.net, [tf('net'), <Money key="n" value={c.net} />]),
              ...optional(c.tax, [tf('tax'), <Money key="t" value={c.tax} />]),
              [tf('reason'), c.reason],
              [t('invoice'), <ReferenceLink key="i" reference={c.invoiceId} />],
              [t('order'), <ReferenceLink key="o" reference={c.orderId} />],
              ...optional(c.returnId, [t('return'), <ReferenceLink key="r" reference={c.returnId ?? ''} />]),
              [tc('customer'), <LedgerLink key="l" customerId={c.customerId} plain={c.customerId}>{`${c.customerId} · ${tf('ledger')}`}</LedgerLink>],
            ]}
          />
        </Section>
        <Section title={tc('status')}>
          <Definition
            items={[
              [tc('status'), statusLabel(locale, c.status)],
              [t('requestedBy'), <span key="r">{c.createdBy.name} · <DateTimeText value={c.createdAt} /></span>],
              [t('approvers'), c.approvers.map((r) => roleLabel(locale, r)).join('、') || '—'],
              ...optional(c.issuedOn, [t('issuedOn'), <DateText key="i" value={c.issuedOn} />]),
              ...optional(c.settled, [t('settled'), <Money key="s" value={c.settled} />]),
              ...optional(c.customerCredit, [t('customerCredit'), <Money key="cc" value={c.customerCredit} />]),
              ...optional(c.reversal, [t('reversal'), <span key="rv">{c.reversal ? `${fmt.date(c.reversal.on)} · ${c.reversal.by.name} · ${c.reversal.reason}` : ''}</span>]),
              ...optional(c.endReason, [t('ended'), c.endReason]),
            ]}
          />
        </Section>
      </div>
      {c.lines?.length ? (
        <Section title={tf('lines')}>
          <DataTable
            caption={t('linesCaption')}
            rows={c.lines}
            rowKey={(l) => String(l.lineNo)}
            columns={[
              { header: '#', cell: (l) => l.lineNo },
              { header: tc('product'), cell: (l) => `${l.productCode} ${l.productName}` },
              { header: tc('quantity'), cell: (l) => <Quantity value={l.quantity} unit={l.unit} />, className: 'num' },
              { header: tf('unitPrice'), cell: (l) => <Money value={l.unitPrice} />, className: 'num' },
              { header: tf('net'), cell: (l) => <Money value={l.net} />, className: 'num' },
              { header: tf('tax'), cell: (l) => <Money value={l.tax} />, className: 'num' },
              { header: tf('gross'), cell: (l) => <Money value={l.gross} />, className: 'num' },
            ]}
          />
        </Section>
      ) : null}
      <Section title={t('decisions')}>
        <DataTable
          caption={t('decisionsCaption')}
          rows={c.decisions}
          rowKey={(d) => `${d.decidedAt}-${d.decidedBy.userId}`}
          columns={[
            { header: t('outcome'), cell: (d) => <StatusBadge code={d.outcome} /> },
            { header: t('decidedBy'), cell: (d) => d.decidedBy.name },
            { header: t('decidedAt'), cell: (d) => <DateTimeText value={d.decidedAt} /> },
            { header: tc('comment'), cell: (d) => d.comment ?? '—' },
          ]}
        />
      </Section>
      {can('getCreditNoteHistory') ? (
        <HistorySection history={history} />
      ) : null}
    </PageFrame>
  );
}

