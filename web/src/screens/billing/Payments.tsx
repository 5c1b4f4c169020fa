/**
 * Payments (R-BILL-2/3): finance records a payment with its receipt — named invoices, or the
 * oldest due first, the rest kept as customer credit — and opens one by receipt number. A bank
 * reference or paper receipt number already recorded for the customer that day is refused (409,
 * the API's words next to the field): finance then says whether it is a separate payment with the
 * same reference.
 */
import { useState } from 'react';
import { ApiError, newIdempotencyKey, type Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { FindByNumber, Page as PageFrame, ProblemBox, Section, SelectField, TextField } from '../../components/ui.js';
import { useResource } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { decimalToMinor, useT } from '../../i18n/index.js';
import { Receipt } from './PaymentDetail.js';
import { Choice } from './shared.js';
import { paymentMessages as m, type Payment } from './payment-messages.js';

export function Payments() {
  const { api, can } = useApp();
  const t = useT(m);
  const [shown, setShown] = useState<Payment>();
  const reread = (p: Payment) => () => void api.get<Payment>(`/payments/${encodeURIComponent(p.receiptNumber)}`).then(setShown, () => setShown(undefined));
  return (
    <PageFrame title={t('title')}>
      {can('recordPayment') ? <RecordPaymentForm onRecorded={setShown} /> : null}
      {can('getPayment') ? (
        <Section title={t('lookUp')}>
          <FindByNumber label={t('receiptNumber')} placeholder="RC-2026-000001" path="/payments/" />
        </Section>
      ) : null}
      {shown ? <Receipt payment={shown} onChanged={reread(shown)} linked /> : null}
    </PageFrame>
  );
}

/** A 409 of the API's kind "this reference is recorded already" (it names the field and the receipt that has it). */
const isDuplicateReference = (error: unknown) => error instanceof ApiError && error.status === 409 && error.problem.type === '/problems/duplicate-reference';

function RecordPaymentForm({ onRecorded }: { onRecorded(p: Payment): void }) {
  const { api, config } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const customers = useResource((signal) => api.get<Page<{ customerId: string; name: string }>>('/customers?limit=100', { signal }), []);
  const [key, setKey] = useState(newIdempotencyKey);
  const empty = { amount: '', bankReference: '', receiptReference: '', invoices: '', orderId: '', remarks: '' };
  const [form, setForm] = useState({ customerId: '', method: 'BANK_TRANSFER', receivedOn: new Date().toISOString().slice(0, 10), ...empty });
  const [separate, setSeparate] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const fields = error instanceof ApiError ? error.fields : {};
  const duplicate = isDuplicateReference(error);
  const set = (k: keyof typeof form) => (v: string) => {
    setForm({ ...form, [k]: v });
    // What makes the payment the same one changed: "separate" is to be said again if it is needed.
    if (['customerId', 'method', 'receivedOn', 'bankReference', 'receiptReference'].includes(k)) setSeparate(false);
  };
  const cash = form.method === 'CASH';
  return (
    <Section title={t('record')}>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const minor = decimalToMinor(form.amount, config.currency);
          const invoices = form.invoices.split(/[,，\s]+/).filter(Boolean);
          setBusy(true);
          setError(undefined);
          api
            .post<Payment>(
              '/payments',
              {
                customerId: form.customerId,
                method: form.method,
                amount: minor === undefined ? form.amount : { amountMinor: minor, currency: config.currency },
                receivedOn: form.receivedOn,
                ...(form.bankReference.trim() ? { bankReference: form.bankReference.trim() } : {}),
                ...(cash && form.receiptReference.trim() ? { receiptReference: form.receiptReference.trim() } : {}),
                ...(separate ? { separatePayment: true } : {}),
                ...(invoices.length ? { invoices } : {}),
                ...(form.orderId.trim() ? { orderId: form.orderId.trim() } : {}),
                ...(form.remarks.trim() ? { remarks: form.remarks.trim() } : {}),
              },
              { idempotencyKey: key },
            )
            .then(
              (p) => {
                onRecorded(p);
                setKey(newIdempotencyKey());
                setForm({ ...form, ...empty });
                setSeparate(false);
              },
              setError,
            )
            .finally(() => setBusy(false));
        }}
      >
        <div className="form-grid">
          <SelectField label={tc('customer')} value={form.customerId} onChange={set('customerId')} blank={t('chooseCustomer')} options={(customers.data?.items ?? []).map((c) => ({ value: c.customerId, label: `${c.customerId} ${c.name}` }))} error={fields.customerId} />
          <SelectField label={t('method')} value={form.method} onChange={set('method')} options={(['BANK_TRANSFER', 'CASH'] as const).map((v) => ({ value: v, label: t(`method.${v}`) }))} error={fields.method} />
          <TextField label={`${tc('amount')} (${config.currency})`} inputMode="decimal" value={form.amount} onChange={set('amount')} error={fields.amount ?? fields['amount.amountMinor']} />
          <TextField label={t('receivedOn')} type="date" value={form.receivedOn} onChange={set('receivedOn')} error={fields.receivedOn} />
          <TextField label={t('bankReference')} value={form.bankReference} onChange={set('bankReference')} error={fields.bankReference} hint={cash ? undefined : t('referenceHint')} />
          {cash ? <TextField label={t('receiptReference')} value={form.receiptReference} onChange={set('receiptReference')} error={fields.receiptReference} hint={t('referenceHint')} /> : null}
          <TextField label={t('invoices')} value={form.invoices} onChange={set('invoices')} error={fields.invoices ?? fields['invoices.0']} />
          <TextField label={t('orderId')} value={form.orderId} onChange={set('orderId')} error={fields.orderId} />
          <TextField label={t('remarks')} value={form.remarks} onChange={set('remarks')} error={fields.remarks} />
        </div>
        {duplicate || separate ? (
          <div className="notice">
            <p>{t('separatePaymentHint')}</p>
            <Choice type="checkbox" name="separatePayment" checked={separate} onChange={setSeparate} label={t('separatePayment')} />
          </div>
        ) : null}
        {/* The duplicate's words are next to its field; other problems here. */}
        {duplicate ? null : <ProblemBox error={error} />}
        <button type="submit" disabled={busy} aria-busy={busy}>
          {t('save')}
        </button>
      </form>
    </Section>
  );
}
