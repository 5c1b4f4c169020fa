/**
 * One return (退货, R-RETURN-1..4): lines at the invoice's prices, the inspection of a quality
 * return, the decisions, the goods received and the credit note for them; the step each role
 * takes on it: quality (production) or the warehouse inspects, the warehouse receives, the
 * requester or a sales manager withdraws; every change.
 */
import { useId, useState, type ReactNode } from 'react';
import { useParams } from 'react-router';
import { ApiError } from '../../api.js';
import { useApp } from '../../app-context.js';
import { DataTable, DateTimeText, Definition, HistorySection, Loading, Money, Page as PageFrame, ProblemBox, Quantity, ReasonForm, Section, SelectField, StatusBadge, TextArea, TextField } from '../../components/ui.js';
import { useRecordWithHistory } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { Choice, LedgerLink, RESPONSIBLE_PARTIES, ReferenceLink, financeMessages, type FinanceKey, type FinanceT } from '../billing/shared.js';
import { returnMessages as m, type Return } from './messages.js';

const WITHDRAWABLE = ['AWAITING_INSPECTION', 'PENDING_APPROVAL', 'APPROVED'];

export function ReturnDetail() {
  const { returnId = '' } = useParams();
  const { can } = useApp();
  const t = useT(m);
  const tf = useT(financeMessages);
  const tc = useT(common);
  const [ret, history] = useRecordWithHistory<Return>(`/returns/${encodeURIComponent(returnId)}`, 'getReturnHistory');
  const [withdrawing, setWithdrawing] = useState(false);
  if (!ret.data) return ret.error ? <ProblemBox error={ret.error} /> : <Loading />;
  const r = ret.data;
  const reload = ret.reload;
  const optional = (cond: unknown, item: [ReactNode, ReactNode]) => (cond ? [item] : []);
  const withdrawable = WITHDRAWABLE.includes(r.status) && can('withdrawReturn');
  const party = (p: string | undefined) => (p ? tf(`party.${p}` as FinanceKey) : '—');

  return (
    <PageFrame
      title={
        <>
          {t('return')} {r.returnId} <StatusBadge code={r.status} />
        </>
      }
      subtitle={`${r.customerName} · ${r.customerId} · ${t(`kind.${r.kind}`)}`}
      actions={
        <>
          {<LedgerLink className="button secondary" customerId={r.customerId} />}
          {withdrawable ? (
            <button type="button" className="secondary" aria-expanded={withdrawing} onClick={() => setWithdrawing((v) => !v)}>
              {t('withdraw')}
            </button>
          ) : null}
        </>
      }
    >
      {withdrawing && withdrawable ? (
        <ReasonForm
          title={t('withdraw')}
          reasonLabel={t('withdrawReason')}
          confirmLabel={t('confirmWithdraw')}
          path={`/returns/${r.returnId}/withdrawal`}
          onDone={(changed) => {
            setWithdrawing(false);
            if (changed) reload();
          }}
        />
      ) : null}
      <div className="two-columns">
        <Section title={t('details')}>
          <Definition
            items={[
              [t('value'), <strong key="v"><Money value={r.value} /></strong>],
              [t('reason'), r.reason],
              ...optional(r.customerReference, [t('customerReference'), r.customerReference]),
              [t('invoice'), <ReferenceLink key="i" reference={r.invoiceId} />],
              [t('deliveryNote'), <ReferenceLink key="d" reference={r.deliveryNoteId} />],
              [t('order'), <ReferenceLink key="o" reference={r.orderId} />],
              [tc('customer'), <LedgerLink key="l" customerId={r.customerId} plain={r.customerId}>{`${r.customerId} · ${tf('ledger')}`}</LedgerLink>],
            ]}
          />
        </Section>
        <Section title={t('progress')}>
          <Definition
            items={[
              [t('requestedBy'), <span key="r">{r.createdBy.name} · <DateTimeText value={r.createdAt} /></span>],
              [t('rootCause'), r.rootCause ?? '—'],
              [t('responsibleParty'), party(r.responsibleParty)],
              ...optional(r.receipt, [t('receivedBy'), <span key="rc">{r.receipt?.by.name} · {r.receipt?.warehouseId} · <DateTimeText value={r.receipt?.at} />{r.receipt?.note ? ` · ${r.receipt.note}` : ''}</span>]),
              ...optional(r.creditNoteId, [t('creditNote'), <ReferenceLink key="cn" reference={r.creditNoteId ?? ''} />]),
              ...optional(r.credited, [t('credited'), <Money key="c" value={r.credited} />]),
              ...optional(r.endReason, [t('ended'), r.endReason]),
            ]}
          />
        </Section>
      </div>
      <Section title={t('lines')}>
        <DataTable
          caption={t('linesCaption')}
          rows={r.lines}
          rowKey={(l) => String(l.lineNo)}
          columns={[
            { header: '#', cell: (l) => l.lineNo },
            { header: tc('product'), cell: (l) => `${l.productCode} ${l.productName}${l.specification ? ` · ${l.specification}` : ''}` },
            { header: t('asked'), cell: (l) => <Quantity value={l.quantity} unit={l.unit} />, className: 'num' },
            { header: tf('unitPrice'), cell: (l) => <Money value={l.unitPrice} />, className: 'num' },
            { header: tf('gross'), cell: (l) => <Money value={l.gross} />, className: 'num' },
            { header: t('confirmed'), cell: (l) => (l.confirmedQuantity !== undefined ? <Quantity value={l.confirmedQuantity} unit={l.unit} /> : '—'), className: 'num' },
            { header: t('received'), cell: (l) => (l.receivedQuantity !== undefined ? <Quantity value={l.receivedQuantity} unit={l.unit} /> : '—'), className: 'num' },
            { header: t('disposition'), cell: (l) => (l.disposition ? t(`disposition.${l.disposition}`) : '—') },
            { header: t('batch'), cell: (l) => l.batch ?? '—' },
          ]}
        />
      </Section>
      {r.inspection ? (
        <Section title={t('inspection')}>
          <Definition
            items={[
              [t('defectConfirmed'), r.inspection.defectConfirmed ? tc('yes') : tc('no')],
              [t('findings'), r.inspection.findings],
              [t('rootCause'), r.inspection.rootCause],
              [t('responsibleParty'), party(r.inspection.responsibleParty)],
              [t('inspectedBy'), <span key="b">{r.inspection.by.name} · <DateTimeText value={r.inspection.at} /></span>],
            ]}
          />
        </Section>
      ) : null}
      {r.decisions.length ? (
        <Section title={t('decisions')}>
          <DataTable
            caption={t('decisionsCaption')}
            rows={r.decisions}
            rowKey={(d) => `${d.decidedAt}-${d.decidedBy.userId}`}
            columns={[
              { header: t('outcome'), cell: (d) => <StatusBadge code={d.outcome} /> },
              { header: t('decidedBy'), cell: (d) => d.decidedBy.name },
              { header: t('decidedAt'), cell: (d) => <DateTimeText value={d.decidedAt} /> },
              { header: tc('comment'), cell: (d) => d.comment ?? '—' },
            ]}
          />
        </Section>
      ) : null}
      {r.status === 'AWAITING_INSPECTION' && can('recordReturnInspection') ? <InspectionForm ret={r} onDone={reload} /> : null}
      {r.status === 'APPROVED' && can('receiveReturn') ? <ReceiptForm ret={r} onDone={reload} /> : null}
      {can('getReturnHistory') ? (
        <HistorySection history={history} />
      ) : null}
    </PageFrame>
  );
}

function partyOptions(tf: FinanceT) {
  return RESPONSIBLE_PARTIES.map((p) => ({ value: p, label: tf(`party.${p}`) }));
}

/** R-RETURN-2/4: the inspection report of a quality return (production or the warehouse). */
function InspectionForm({ ret, onDone }: { ret: Return; onDone(): void }) {
  const { api } = useApp();
  const t = useT(m);
  const tf = useT(financeMessages);
  const errorId = useId();
  const [form, setForm] = useState({ defectConfirmed: true, findings: '', rootCause: '', responsibleParty: '' });
  const [confirmed, setConfirmed] = useState<Record<number, string>>({});
  const [sentLines, setSentLines] = useState<number[]>([]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const fields = error instanceof ApiError ? error.fields : {};
  const lineError = (lineNo: number) => {
    const i = sentLines.indexOf(lineNo);
    return i < 0 ? undefined : (fields[`lines.${i}.confirmedQuantity`] ?? fields[`lines.${i}`]);
  };
  return (
    <Section title={t('recordInspection')}>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const lines = form.defectConfirmed ? ret.lines.filter((l) => (confirmed[l.lineNo] ?? '').trim()).map((l) => ({ lineNo: l.lineNo, confirmedQuantity: confirmed[l.lineNo]!.trim() })) : [];
          setSentLines(lines.map((l) => l.lineNo));
          setBusy(true);
          setError(undefined);
          api
            .post(`/returns/${ret.returnId}/inspection`, {
              defectConfirmed: form.defectConfirmed,
              findings: form.findings.trim(),
              rootCause: form.rootCause.trim(),
              responsibleParty: form.responsibleParty,
              ...(lines.length ? { lines } : {}),
            })
            .then(onDone, setError)
            .finally(() => setBusy(false));
        }}
      >
        <fieldset className="lines" aria-describedby={fields.defectConfirmed ? errorId : undefined}>
          <legend>{t('defectConfirmed')}</legend>
          <div className="form-inline">
            <Choice type="radio" name="defectConfirmed" checked={form.defectConfirmed} onChange={() => setForm({ ...form, defectConfirmed: true })} label={t('defect.yes')} />
            <Choice type="radio" name="defectConfirmed" checked={!form.defectConfirmed} onChange={() => setForm({ ...form, defectConfirmed: false })} label={t('defect.no')} />
          </div>
          {fields.defectConfirmed ? (
            <small id={errorId} className="field-error">
              {fields.defectConfirmed}
            </small>
          ) : null}
        </fieldset>
        <TextArea label={`${t('findings')} · ${t('findingsHint')}`} value={form.findings} onChange={(v) => setForm({ ...form, findings: v })} error={fields.findings} required />
        <div className="form-grid">
          <TextField label={t('rootCause')} value={form.rootCause} onChange={(v) => setForm({ ...form, rootCause: v })} error={fields.rootCause} required />
          <SelectField label={t('responsibleParty')} value={form.responsibleParty} onChange={(v) => setForm({ ...form, responsibleParty: v })} blank={t('chooseParty')} options={partyOptions(tf)} error={fields.responsibleParty} />
        </div>
        {form.defectConfirmed ? (
          <div className="form-grid">
            {ret.lines.map((l) => (
              <TextField
                key={l.lineNo}
                label={`#${l.lineNo} ${l.productName} · ${t('confirmedQuantity')} (${l.unit})`}
                inputMode="decimal"
                value={confirmed[l.lineNo] ?? ''}
                onChange={(v) => setConfirmed({ ...confirmed, [l.lineNo]: v })}
                placeholder={l.quantity}
                hint={`${t('asked')} ${l.quantity} ${l.unit} · ${t('confirmedQuantityHint')}`}
                error={lineError(l.lineNo)}
              />
            ))}
          </div>
        ) : null}
        <ProblemBox error={error} />
        <div className="form-actions">
          <button type="submit" disabled={busy} aria-busy={busy}>
            {t('recordInspection')}
          </button>
        </div>
      </form>
    </Section>
  );
}

/** R-RETURN-3: the warehouse receives the goods, per line into stock or repair; the credit note follows. */
function ReceiptForm({ ret, onDone }: { ret: Return; onDone(): void }) {
  const { api } = useApp();
  const t = useT(m);
  const [lines, setLines] = useState(ret.lines.map((l) => ({ lineNo: l.lineNo, quantity: l.confirmedQuantity ?? l.quantity, disposition: 'STOCK', batch: l.batch ?? '' })));
  const [warehouseId, setWarehouseId] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const fields = error instanceof ApiError ? error.fields : {};
  const set = (i: number, patch: Partial<(typeof lines)[number]>) => setLines(lines.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  return (
    <Section title={t('receiveTitle')}>
      <p className="notice">{t('receiveHint')}</p>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(undefined);
          api
            .post(`/returns/${ret.returnId}/receipt`, {
              lines: lines.map((l) => ({ lineNo: l.lineNo, quantity: l.quantity.trim(), disposition: l.disposition, ...(l.batch.trim() ? { batch: l.batch.trim() } : {}) })),
              ...(warehouseId.trim() ? { warehouseId: warehouseId.trim().toUpperCase() } : {}),
              ...(note.trim() ? { note: note.trim() } : {}),
            })
            .then(onDone, setError)
            .finally(() => setBusy(false));
        }}
      >
        {lines.map((l, i) => {
          const line = ret.lines[i]!;
          return (
            <fieldset className="lines" key={l.lineNo}>
              <legend>
                #{l.lineNo} {line.productName} ({line.unit})
              </legend>
              <div className="form-grid">
                <TextField label={t('received')} inputMode="decimal" value={l.quantity} onChange={(v) => set(i, { quantity: v })} error={fields[`lines.${i}.quantity`] ?? fields[`lines.${i}`]} required />
                <SelectField label={t('disposition')} value={l.disposition} onChange={(v) => set(i, { disposition: v })} options={['STOCK', 'REPAIR'].map((d) => ({ value: d, label: t(`disposition.${d}` as 'disposition.STOCK') }))} error={fields[`lines.${i}.disposition`]} />
                <TextField label={t('batch')} value={l.batch} onChange={(v) => set(i, { batch: v })} error={fields[`lines.${i}.batch`]} />
              </div>
            </fieldset>
          );
        })}
        <div className="form-grid">
          <TextField label={t('warehouse')} value={warehouseId} onChange={setWarehouseId} placeholder="MAIN" error={fields.warehouseId} />
          <TextField label={t('note')} value={note} onChange={setNote} error={fields.note} />
        </div>
        <ProblemBox error={error} />
        <div className="form-actions">
          <button type="submit" disabled={busy} aria-busy={busy}>
            {t('confirmReceipt')}
          </button>
        </div>
      </form>
    </Section>
  );
}

