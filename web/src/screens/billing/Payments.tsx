/**
 * Payments (R-BILL-2/3): finance records a payment with its receipt — named invoices, or the
 * oldest due first, the rest kept as customer credit — and looks one up by receipt number.
 */
import { useState } from 'react';
import { ApiError, newIdempotencyKey, type Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { DataTable, DateText, Definition, Money, Page as PageFrame, ProblemBox, Section, SelectField, TextField } from '../../components/ui.js';
import { useResource } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { decimalToMinor, defineMessages, useT, type MoneyValue } from '../../i18n/index.js';

const m = defineMessages({
  title: ['收款', 'Payments'],
  record: ['登记收款', 'Record a payment'],
  method: ['收款方式', 'Method'],
  'method.BANK_TRANSFER': ['银行转账', 'Bank transfer'],
  'method.CASH': ['现金', 'Cash'],
  receivedOn: ['到账日期', 'Received on'],
  bankReference: ['银行流水号', 'Bank reference'],
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
  find: ['查询', 'Find'],
  recordedBy: ['登记人', 'Recorded by'],
  chooseCustomer: ['请选择客户', 'Choose a customer'],
});

interface Payment {
  receiptNumber: string;
  customerId: string;
  method: string;
  amount: MoneyValue;
  receivedOn: string;
  bankReference?: string;
  allocations: { invoiceId: string; amount: MoneyValue }[];
  unallocated: MoneyValue;
  recordedBy: { name: string };
}

export function Payments() {
  const { api, can } = useApp();
  const t = useT(m);
  const [shown, setShown] = useState<Payment>();
  const [lookup, setLookup] = useState('');
  const [lookupError, setLookupError] = useState<unknown>();
  return (
    <PageFrame title={t('title')}>
      {can('recordPayment') ? <RecordPaymentForm onRecorded={setShown} /> : null}
      {can('getPayment') ? (
        <Section title={t('lookUp')}>
          <form
            className="form-inline"
            role="search"
            onSubmit={(e) => {
              e.preventDefault();
              setLookupError(undefined);
              api.get<Payment>(`/payments/${encodeURIComponent(lookup.trim())}`).then(setShown, setLookupError);
            }}
          >
            <TextField label={t('receiptNumber')} value={lookup} onChange={setLookup} placeholder="RC-2026-000001" />
            <button type="submit" className="secondary">
              {t('find')}
            </button>
          </form>
          <ProblemBox error={lookupError} />
        </Section>
      ) : null}
      {shown ? <Receipt payment={shown} /> : null}
    </PageFrame>
  );
}

function RecordPaymentForm({ onRecorded }: { onRecorded(p: Payment): void }) {
  const { api, config } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const customers = useResource((signal) => api.get<Page<{ customerId: string; name: string }>>('/customers?limit=100', { signal }), []);
  const [key, setKey] = useState(newIdempotencyKey);
  const [form, setForm] = useState({ customerId: '', method: 'BANK_TRANSFER', amount: '', receivedOn: new Date().toISOString().slice(0, 10), bankReference: '', invoices: '', orderId: '', remarks: '' });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const fields = error instanceof ApiError ? error.fields : {};
  const set = (k: keyof typeof form) => (v: string) => setForm({ ...form, [k]: v });
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
                setForm({ ...form, amount: '', bankReference: '', invoices: '', orderId: '', remarks: '' });
              },
              setError,
            )
            .finally(() => setBusy(false));
        }}
      >
        <div className="form-grid">
          <SelectField label={tc('customer')} value={form.customerId} onChange={set('customerId')} blank={t('chooseCustomer')} options={(customers.data?.items ?? []).map((c) => ({ value: c.customerId, label: `${c.customerId} ${c.name}` }))} error={fields.customerId} />
          <SelectField label={t('method')} value={form.method} onChange={set('method')} options={['BANK_TRANSFER', 'CASH'].map((v) => ({ value: v, label: t(`method.${v}` as keyof typeof m & string) }))} error={fields.method} />
          <TextField label={`${tc('amount')} (${config.currency})`} inputMode="decimal" value={form.amount} onChange={set('amount')} error={fields.amount ?? fields['amount.amountMinor']} />
          <TextField label={t('receivedOn')} type="date" value={form.receivedOn} onChange={set('receivedOn')} error={fields.receivedOn} />
          <TextField label={t('bankReference')} value={form.bankReference} onChange={set('bankReference')} error={fields.bankReference} />
          <TextField label={t('invoices')} value={form.invoices} onChange={set('invoices')} error={fields.invoices ?? fields['invoices.0']} />
          <TextField label={t('orderId')} value={form.orderId} onChange={set('orderId')} error={fields.orderId} />
          <TextField label={t('remarks')} value={form.remarks} onChange={set('remarks')} error={fields.remarks} />
        </div>
        <ProblemBox error={error} />
        <button type="submit" disabled={busy} aria-busy={busy}>
          {t('save')}
        </button>
      </form>
    </Section>
  );
}

function Receipt({ payment }: { payment: Payment }) {
  const t = useT(m);
  const tc = useT(common);
  return (
    <Section title={`${t('receipt')} ${payment.receiptNumber}`}>
      <div role="status">
        <Definition
          items={[
            [tc('customer'), payment.customerId],
            [tc('amount'), <Money key="a" value={payment.amount} />],
            [t('method'), t(`method.${payment.method}` as keyof typeof m & string)],
            [t('receivedOn'), <DateText key="r" value={payment.receivedOn} />],
            [t('bankReference'), payment.bankReference ?? '—'],
            [t('unallocated'), <Money key="u" value={payment.unallocated} />],
            [t('recordedBy'), payment.recordedBy.name],
          ]}
        />
      </div>
      <DataTable
        caption={t('allocations')}
        rows={payment.allocations}
        rowKey={(a) => a.invoiceId}
        columns={[
          { header: t('invoice'), cell: (a) => a.invoiceId },
          { header: tc('amount'), cell: (a) => <Money value={a.amount} />, className: 'num' },
        ]}
      />
    </Section>
  );
}
