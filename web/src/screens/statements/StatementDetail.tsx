/**
 * One statement (对账单, R-BILL-6): opening balance, the month's lines with the running balance,
 * totals, closing balance, the invoices open at the month end aged; the printable PDF; finance
 * sends it and records the customer's answer (confirmed, or disputed naming the items); history.
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import { useParams } from 'react-router';
import { ApiError } from '../../api.js';
import { useApp } from '../../app-context.js';
import { ActionButton, DataTable, DateText, DateTimeText, Definition, HistorySection, Loading, Money, Page as PageFrame, ProblemBox, Section, SelectField, StatusBadge, TextArea, TextField } from '../../components/ui.js';
import { useRecordWithHistory } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { Choice, LedgerLink, Nowrap, ReferenceLink, bucketLabel, businessToday, financeMessages, kindLabel } from '../billing/shared.js';
import { statementMessages as m, type Statement } from './messages.js';

export function StatementDetail() {
  const { statementId = '' } = useParams();
  const { api, can } = useApp();
  const t = useT(m);
  const tf = useT(financeMessages);
  const tc = useT(common);
  const [statement, history] = useRecordWithHistory<Statement>(`/statements/${encodeURIComponent(statementId)}`, 'getStatementHistory');
  if (!statement.data) return statement.error ? <ProblemBox error={statement.error} /> : <Loading />;
  const s = statement.data;
  const reload = statement.reload;

  return (
    <PageFrame
      title={
        <>
          {t('statement')} {s.statementId} <StatusBadge code={s.status} />
        </>
      }
      subtitle={
        <>
          {s.customerName} · {s.customerId} · {t('period')} <DateText value={s.periodFrom} /> – <DateText value={s.periodTo} />
        </>
      }
      actions={
        <>
          {<LedgerLink className="button secondary" customerId={s.customerId} />}
          {can('getStatementPdf') ? <PdfDownload statementId={s.statementId} /> : null}
          {s.status === 'GENERATED' && can('sendStatement') ? <ActionButton onAction={() => api.post(`/statements/${s.statementId}/sending`).then(reload)}>{t('send')}</ActionButton> : null}
        </>
      }
    >
      <div className="two-columns">
        <Section title={t('balances')}>
          <Definition
            items={[
              [t('opening'), <Money key="o" value={s.opening} />],
              [t('closing'), <strong key="c"><Money value={s.closing} /></strong>],
              [t('openTotal'), <Money key="ot" value={s.openTotal} />],
              [t('customerCredit'), <Money key="cc" value={s.customerCredit} />],
              [t('generatedAt'), <DateTimeText key="g" value={s.generatedAt} />],
            ]}
          />
        </Section>
        <Section title={t('movements')}>
          <Definition
            items={[
              [t('invoiced'), <Money key="i" value={s.totals.invoiced} />],
              [t('paid'), <Money key="p" value={s.totals.paid} />],
              [t('credited'), <Money key="c" value={s.totals.credited} />],
              [t('reversed'), <Money key="r" value={s.totals.reversed} />],
              [tc('customer'), <LedgerLink key="l" customerId={s.customerId} plain={s.customerId}>{`${s.customerId} · ${tf('ledger')}`}</LedgerLink>],
            ]}
          />
        </Section>
      </div>
      <Section title={t('linesTitle')}>
        <DataTable
          caption={t('linesCaption')}
          rows={s.lines}
          rowKey={(l) => String(l.seq)}
          columns={[
            { header: t('seq'), cell: (l) => l.seq, className: 'num' },
            { header: tc('date'), cell: (l) => <DateText value={l.on} /> },
            { header: t('kind'), cell: (l) => <Nowrap>{kindLabel(tf, l.kind)}</Nowrap> },
            { header: tf('reference'), cell: (l) => <Nowrap><ReferenceLink reference={l.reference} /></Nowrap> },
            { header: t('description'), cell: (l) => l.description },
            { header: tc('amount'), cell: (l) => <Money value={l.amount} />, className: 'num' },
            { header: t('balanceAfter'), cell: (l) => <Money value={l.balanceAfter} />, className: 'num' },
          ]}
        />
      </Section>
      <Section title={t('openItems')}>
        <DataTable
          caption={t('openItemsCaption')}
          rows={s.openItems}
          rowKey={(i) => i.invoiceId}
          columns={[
            { header: tf('invoiceNo'), cell: (i) => <Nowrap><ReferenceLink reference={i.invoiceId} /></Nowrap> },
            { header: tf('issuedOn'), cell: (i) => <DateText value={i.issuedOn} /> },
            { header: tf('dueDate'), cell: (i) => <DateText value={i.dueDate} /> },
            { header: tf('daysPastDue'), cell: (i) => (i.daysPastDue > 0 ? i.daysPastDue : '—'), className: 'num' },
            { header: t('bucket'), cell: (i) => <Nowrap>{bucketLabel(tf, i.bucket)}</Nowrap> },
            { header: tf('outstanding'), cell: (i) => <Money value={i.outstanding} />, className: 'num' },
          ]}
        />
        <DataTable
          caption={t('agingCaption')}
          rows={s.aging}
          rowKey={(b) => b.bucket}
          columns={[
            { header: t('bucket'), cell: (b) => bucketLabel(tf, b.bucket) },
            { header: t('invoices'), cell: (b) => b.invoices, className: 'num' },
            { header: tc('amount'), cell: (b) => <Money value={b.amount} />, className: 'num' },
          ]}
        />
      </Section>
      <div className="two-columns">
        <Section title={t('sentTitle')}>
          {s.sending ? (
            <Definition
              items={[
                [t('sentOn'), <DateText key="o" value={s.sending.on} />],
                [t('sentBy'), s.sending.by.name],
                [t('channel'), t('channelOutbox')],
                [t('sentTo'), s.sending.to.map((a) => [a.name, a.email, a.phone].filter(Boolean).join(' ')).join('; ') || '—'],
              ]}
            />
          ) : (
            <p className="muted">{t('notSent')}</p>
          )}
        </Section>
        <Section title={t('answer')}>
          {s.answer ? (
            <Definition
              items={[
                [t('outcome'), <StatusBadge key="o" code={s.answer.outcome} />],
                [t('confirmedBy'), s.answer.confirmedBy],
                [t('answeredOn'), <DateText key="d" value={s.answer.on} />],
                ...(s.answer.note ? ([[t('note'), s.answer.note]] as [string, ReactNode][]) : []),
                ...(s.answer.disputedItems?.length ? ([[t('disputedItems'), s.answer.disputedItems.join(', ')]] as [string, ReactNode][]) : []),
                [t('recordedBy'), s.answer.recordedBy.name],
              ]}
            />
          ) : (
            <p className="muted">{t('noAnswer')}</p>
          )}
        </Section>
      </div>
      {(s.status === 'SENT' || s.status === 'DISPUTED') && can('recordStatementAnswer') ? <AnswerForm statement={s} onDone={reload} /> : null}
      {can('getStatementHistory') ? (
        <HistorySection history={history} />
      ) : null}
    </PageFrame>
  );
}

/** Fetches the PDF with the caller's token, starts the download and offers a link to open it. */
function PdfDownload({ statementId }: { statementId: string }) {
  const { api } = useApp();
  const t = useT(m);
  const [url, setUrl] = useState<string>();
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);
  return (
    <span className="action">
      <ActionButton
        className="secondary"
        onAction={() =>
          api.blobUrl(`/statements/${encodeURIComponent(statementId)}/pdf`).then((blobUrl) => {
            setUrl(blobUrl);
            const a = document.createElement('a');
            a.href = blobUrl;
            a.download = `${statementId}.pdf`;
            document.body.append(a);
            a.click();
            a.remove();
          })
        }
      >
        {t('downloadPdf')}
      </ActionButton>
      {url ? (
        <small role="status">
          {t('pdfReady')}
          <a href={url} target="_blank" rel="noreferrer">
            {t('openPdf')}
          </a>
        </small>
      ) : null}
    </span>
  );
}

function AnswerForm({ statement, onDone }: { statement: Statement; onDone(): void }) {
  const { api, config } = useApp();
  const t = useT(m);
  const legendId = useId();
  const contacts = statement.sending?.to.map((a) => a.name) ?? [];
  const references = [...new Set([...statement.lines.map((l) => l.reference), ...statement.openItems.map((i) => i.invoiceId)])];
  const [form, setForm] = useState({ outcome: 'CONFIRMED' as 'CONFIRMED' | 'DISPUTED', confirmedBy: contacts.length === 1 ? contacts[0]! : '', on: businessToday(config.timeZone), note: '' });
  const [disputed, setDisputed] = useState<string[]>([]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const fields = error instanceof ApiError ? error.fields : {};
  const disputedError = fields.disputedItems ?? Object.entries(fields).find(([k]) => k.startsWith('disputedItems.'))?.[1];
  return (
    <Section title={t('recordAnswer')}>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(undefined);
          const dispute = form.outcome === 'DISPUTED';
          api
            .post(`/statements/${statement.statementId}/confirmation`, {
              outcome: form.outcome,
              confirmedBy: form.confirmedBy.trim(),
              on: form.on,
              ...(form.note.trim() ? { note: form.note.trim() } : {}),
              ...(dispute && disputed.length ? { disputedItems: disputed } : {}),
            })
            .then(onDone, setError)
            .finally(() => setBusy(false));
        }}
      >
        <fieldset className="lines" aria-describedby={fields.outcome ? `${legendId}-error` : undefined}>
          <legend>{t('outcome')}</legend>
          <div className="form-inline">
            {(['CONFIRMED', 'DISPUTED'] as const).map((o) => (
              <Choice key={o} type="radio" name="outcome" checked={form.outcome === o} onChange={() => setForm({ ...form, outcome: o })} label={t(`outcome.${o}`)} />
            ))}
          </div>
          {fields.outcome ? (
            <small id={`${legendId}-error`} className="field-error">
              {fields.outcome}
            </small>
          ) : null}
        </fieldset>
        <div className="form-grid">
          {contacts.length ? (
            <SelectField label={t('confirmedBy')} value={form.confirmedBy} onChange={(v) => setForm({ ...form, confirmedBy: v })} blank={t('chooseContact')} options={contacts.map((c) => ({ value: c, label: c }))} error={fields.confirmedBy} />
          ) : (
            <TextField label={t('confirmedBy')} value={form.confirmedBy} onChange={(v) => setForm({ ...form, confirmedBy: v })} error={fields.confirmedBy} />
          )}
          <TextField label={t('answeredOn')} type="date" value={form.on} onChange={(v) => setForm({ ...form, on: v })} error={fields.on} />
        </div>
        <TextArea label={`${t('note')}${form.outcome === 'DISPUTED' ? ` (${t('noteHint')})` : ''}`} value={form.note} onChange={(v) => setForm({ ...form, note: v })} error={fields.note} />
        {form.outcome === 'DISPUTED' ? (
          <fieldset className={`lines ${disputedError ? 'field-invalid' : ''}`} aria-describedby={disputedError ? `${legendId}-disputed` : undefined}>
            <legend>{t('disputedItems')}</legend>
            <div className="form-inline">
              {references.map((ref) => (
                <Choice key={ref} type="checkbox" checked={disputed.includes(ref)} onChange={(on) => setDisputed(on ? [...disputed, ref] : disputed.filter((x) => x !== ref))} label={ref} />
              ))}
            </div>
            {disputedError ? (
              <small id={`${legendId}-disputed`} className="field-error">
                {disputedError}
              </small>
            ) : null}
          </fieldset>
        ) : null}
        <ProblemBox error={error} />
        <div className="form-actions">
          <button type="submit" disabled={busy} aria-busy={busy}>
            {t('saveAnswer')}
          </button>
        </div>
      </form>
    </Section>
  );
}
