/**
 * Request a return (退货申请, R-RETURN-1/2/4) against the invoice of delivered goods: the lines and
 * quantities, quality or another reason (then the root cause and responsible party), the
 * customer's reason and reference. Whoever may read the invoice picks from its lines; others name
 * the invoice line numbers. The API's message for each field shows next to it.
 */
import { useId, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, newIdempotencyKey } from '../../api.js';
import { useApp } from '../../app-context.js';
import { Page as PageFrame, ProblemBox, Quantity, Section, SelectField, TextArea, TextField } from '../../components/ui.js';
import { useResource } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { Choice, RESPONSIBLE_PARTIES, financeMessages, type Invoice } from '../billing/shared.js';
import { returnMessages as m, type Return } from './messages.js';

const INVOICE_NUMBER = /^INV-\d{4}-\d{6,}$/;

interface Row {
  lineNo: string;
  quantity: string;
}

export function ReturnRequest() {
  const { api, can } = useApp();
  const t = useT(m);
  const tf = useT(financeMessages);
  const tc = useT(common);
  const navigate = useNavigate();
  const kindErrorId = useId();
  const [params] = useSearchParams();
  const [form, setForm] = useState({ invoiceId: params.get('invoiceId') ?? '', kind: 'QUALITY' as 'QUALITY' | 'OTHER', reason: '', rootCause: '', responsibleParty: '', customerReference: '' });
  /** Typed by people who cannot read the invoice: invoice line number and quantity. */
  const [rows, setRows] = useState<Row[]>([{ lineNo: '1', quantity: '' }]);
  /** Picked from the invoice's lines: quantity per invoice line number. */
  const [picked, setPicked] = useState<Record<number, string>>({});
  const [sent, setSent] = useState<string[]>([]);
  const [key] = useState(newIdempotencyKey);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const fields = error instanceof ApiError ? error.fields : {};
  const invoiceId = form.invoiceId.trim().toUpperCase();
  const invoice = useResource(
    (signal) => (can('getInvoice') && INVOICE_NUMBER.test(invoiceId) ? api.get<Invoice>(`/invoices/${invoiceId}`, { signal }) : Promise.resolve(undefined)),
    [invoiceId],
  );
  const inv = invoice.data?.invoiceId === invoiceId ? invoice.data : undefined;
  /** The API names a line's field by its place in the lines sent. */
  const lineError = (lineNo: string, field: 'lineNo' | 'quantity') => {
    const i = sent.indexOf(lineNo);
    return i < 0 ? undefined : (fields[`lines.${i}.${field}`] ?? (field === 'quantity' ? fields[`lines.${i}`] : undefined));
  };
  const other = form.kind === 'OTHER';

  return (
    <PageFrame title={t('request')} subtitle={other ? t('otherHint') : t('qualityHint')}>
      <Section title={t('details')}>
        <form
          className="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const lines = inv
              ? inv.lines.filter((l) => (picked[l.lineNo] ?? '').trim()).map((l) => ({ lineNo: l.lineNo, quantity: picked[l.lineNo]!.trim() }))
              : rows.filter((r) => r.lineNo.trim() || r.quantity.trim()).map((r) => ({ lineNo: Number(r.lineNo.trim()), quantity: r.quantity.trim() }));
            setSent(lines.map((l) => String(l.lineNo)));
            setBusy(true);
            setError(undefined);
            api
              .post<Return>(
                '/returns',
                {
                  invoiceId,
                  kind: form.kind,
                  lines,
                  reason: form.reason.trim(),
                  ...(other && form.rootCause.trim() ? { rootCause: form.rootCause.trim() } : {}),
                  ...(other && form.responsibleParty ? { responsibleParty: form.responsibleParty } : {}),
                  ...(form.customerReference.trim() ? { customerReference: form.customerReference.trim() } : {}),
                },
                { idempotencyKey: key },
              )
              .then((r) => navigate(`/returns/${r.returnId}`), setError)
              .finally(() => setBusy(false));
          }}
        >
          <div className="form-grid">
            <TextField label={t('invoice')} value={form.invoiceId} onChange={(v) => setForm({ ...form, invoiceId: v })} placeholder="INV-2026-000001" error={fields.invoiceId} required />
            <TextField label={t('customerReference')} value={form.customerReference} onChange={(v) => setForm({ ...form, customerReference: v })} error={fields.customerReference} />
          </div>
          <fieldset className="lines" aria-describedby={fields.kind ? kindErrorId : undefined}>
            <legend>{t('kind')}</legend>
            <div className="form-inline">
              {(['QUALITY', 'OTHER'] as const).map((k) => (
                <Choice key={k} type="radio" name="kind" checked={form.kind === k} onChange={() => setForm({ ...form, kind: k })} label={t(`kind.${k}`)} />
              ))}
            </div>
            {fields.kind ? (
              <small id={kindErrorId} className="field-error">
                {fields.kind}
              </small>
            ) : null}
          </fieldset>
          <fieldset className={`lines ${fields.lines ? 'field-invalid' : ''}`}>
            <legend>{t('lines')}</legend>
            {fields.lines ? <small className="field-error">{fields.lines}</small> : null}
            {inv ? (
              <div className="form-grid">
                {inv.lines.map((l) => (
                  <TextField
                    key={l.lineNo}
                    label={`#${l.lineNo} ${l.productName}${l.specification ? ` ${l.specification}` : ''} · ${t('quantity')} (${l.unit})`}
                    inputMode="decimal"
                    value={picked[l.lineNo] ?? ''}
                    onChange={(v) => setPicked({ ...picked, [l.lineNo]: v })}
                    hint={
                      <>
                        {t('invoiced')} <Quantity value={l.quantity} unit={l.unit} /> · {t('quantityBlank')}
                      </>
                    }
                    error={lineError(String(l.lineNo), 'quantity') ?? lineError(String(l.lineNo), 'lineNo')}
                  />
                ))}
              </div>
            ) : (
              <>
                {rows.map((r, i) => (
                  <div className="form-inline" key={i}>
                    <TextField label={`${t('lineNo')} (${i + 1})`} inputMode="numeric" value={r.lineNo} onChange={(v) => setRows(rows.map((x, j) => (j === i ? { ...x, lineNo: v } : x)))} error={lineError(r.lineNo.trim(), 'lineNo')} />
                    <TextField label={`${t('quantity')} (${i + 1})`} inputMode="decimal" value={r.quantity} onChange={(v) => setRows(rows.map((x, j) => (j === i ? { ...x, quantity: v } : x)))} error={lineError(r.lineNo.trim(), 'quantity')} />
                    {rows.length > 1 ? (
                      <button type="button" className="secondary" onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                        {t('removeLine', { n: i + 1 })}
                      </button>
                    ) : null}
                  </div>
                ))}
                <div>
                  <button type="button" className="secondary" onClick={() => setRows([...rows, { lineNo: String(rows.length + 1), quantity: '' }])}>
                    {t('addLine')}
                  </button>
                </div>
              </>
            )}
          </fieldset>
          <TextArea label={t('reason')} value={form.reason} onChange={(v) => setForm({ ...form, reason: v })} error={fields.reason} required />
          {other ? (
            <div className="form-grid">
              <TextField label={t('rootCause')} value={form.rootCause} onChange={(v) => setForm({ ...form, rootCause: v })} error={fields.rootCause} required />
              <SelectField
                label={t('responsibleParty')}
                value={form.responsibleParty}
                onChange={(v) => setForm({ ...form, responsibleParty: v })}
                blank={t('chooseParty')}
                options={RESPONSIBLE_PARTIES.map((p) => ({ value: p, label: tf(`party.${p}`) }))}
                error={fields.responsibleParty}
              />
            </div>
          ) : null}
          <ProblemBox error={error} />
          <div className="form-actions">
            <button type="submit" disabled={busy} aria-busy={busy}>
              {t('submit')}
            </button>
            <button type="button" className="secondary" onClick={() => navigate(-1)}>
              {tc('cancel')}
            </button>
          </div>
        </form>
      </Section>
    </PageFrame>
  );
}
