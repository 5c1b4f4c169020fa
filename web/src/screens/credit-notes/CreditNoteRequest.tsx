/**
 * Request a credit note for a sales allowance (销售折让, R-BILL-4) on an invoice: amount with VAT and
 * the reason; the approval follows the authority (sales manager, or the general manager above the
 * threshold). The API's message for each field shows next to it.
 */
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, newIdempotencyKey } from '../../api.js';
import { useApp } from '../../app-context.js';
import { Definition, Money, Page as PageFrame, ProblemBox, Section, TextArea, TextField } from '../../components/ui.js';
import { useResource } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { decimalToMinor, useT } from '../../i18n/index.js';
import { financeMessages, type Invoice } from '../billing/shared.js';
import { creditNoteMessages as m, type CreditNote } from './messages.js';

const INVOICE_NUMBER = /^INV-\d{4}-\d{6,}$/;

export function CreditNoteRequest() {
  const { api, can, config } = useApp();
  const t = useT(m);
  const tf = useT(financeMessages);
  const tc = useT(common);
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form, setForm] = useState({ invoiceId: params.get('invoiceId') ?? '', amount: '', reason: '' });
  const [key] = useState(newIdempotencyKey);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const fields = error instanceof ApiError ? error.fields : {};
  const invoiceId = form.invoiceId.trim().toUpperCase();
  const invoice = useResource(
    (signal) => (can('getInvoice') && INVOICE_NUMBER.test(invoiceId) ? api.get<Invoice>(`/invoices/${invoiceId}`, { signal }) : Promise.resolve(undefined)),
    [invoiceId],
  );
  const currency = invoice.data?.gross.currency ?? config.currency;

  return (
    <PageFrame title={t('request')} subtitle={t('approvalRule')}>
      <Section title={t('details')}>
        <form
          className="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const minor = decimalToMinor(form.amount, currency);
            setBusy(true);
            setError(undefined);
            api
              .post<CreditNote>(
                '/credit-notes',
                { invoiceId, amount: minor === undefined ? form.amount : { amountMinor: minor, currency }, reason: form.reason.trim() },
                { idempotencyKey: key },
              )
              .then((note) => navigate(`/credit-notes/${note.creditNoteId}`), setError)
              .finally(() => setBusy(false));
          }}
        >
          <div className="form-grid">
            <TextField label={t('invoice')} value={form.invoiceId} onChange={(v) => setForm({ ...form, invoiceId: v })} placeholder="INV-2026-000001" error={fields.invoiceId} required />
            <TextField
              label={`${t('amount')} (${currency})`}
              inputMode="decimal"
              value={form.amount}
              onChange={(v) => setForm({ ...form, amount: v })}
              hint={t('amountHint')}
              error={fields.amount ?? fields['amount.amountMinor'] ?? fields['amount.currency']}
              required
            />
          </div>
          {invoice.data ? (
            <div className="notice" role="status">
              <Definition
                items={[
                  [tc('customer'), `${invoice.data.customerName} (${invoice.data.customerId})`],
                  [tf('gross'), <Money key="g" value={invoice.data.gross} />],
                  [tf('outstanding'), <Money key="o" value={invoice.data.outstanding} />],
                ]}
              />
            </div>
          ) : null}
          <TextArea label={`${t('reason')} · ${t('reasonHint')}`} value={form.reason} onChange={(v) => setForm({ ...form, reason: v })} error={fields.reason} required />
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
