/**
 * A delivery note (发货单, R-FULFIL-3..7), printable, and the step each role takes on it: finance
 * signs it off (paid, or within credit), the warehouse issues the goods with batch and weight,
 * logistics dispatches with a qualified carrier and records the proof of delivery. The gate-pass
 * copy (出门证) is a separate page without customer, prices or amounts.
 */
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, type Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { ActionButton, type Column, DataTable, DateText, DateTimeText, Definition, Loading, Page as PageFrame, ProblemBox, Quantity, Section, SelectField, StatusBadge, TextArea, TextField } from '../../components/ui.js';
import { useResource } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { useT, type Translate } from '../../i18n/index.js';
import { deliveryMessages as m } from './messages.js';

interface NoteLine {
  lineNo: number;
  productCode: string;
  productName: string;
  specification?: string;
  quantity: string;
  unit: string;
  batch?: string;
  weightKg?: string;
  received?: string;
}

interface DeliveryNote {
  deliveryNoteId: string;
  orderId: string;
  customerId: string;
  customerName: string;
  status: string;
  issuedOn: string;
  warehouseId: string;
  mode: string;
  lines: NoteLine[];
  signOff?: { basis: string; reference?: string; by: { name: string }; at: string };
  goodsIssue?: { by: { name: string }; at: string; vehicle?: string };
  dispatch?: { carrierId: string; carrierName?: string; trackingNumber: string; at: string };
  proofOfDelivery?: { signer: string; signedAt: string; problems?: string };
  invoiceId?: string;
  events?: { kind: string; note: string; at: string }[];
}

interface GatePassView {
  deliveryNoteId: string;
  validOn: string;
  status: string;
  warehouseId: string;
  mode: string;
  vehicle?: string;
  lines: Omit<NoteLine, 'received'>[];
  signedOffBy?: { name: string };
}

/** The goods of a note as the note and its gate pass both list them: product, specification, quantity, batch, weight. */
function goodsColumns<L extends Omit<NoteLine, 'received'>>(t: Translate<typeof m>, tc: Translate<typeof common>): Column<L>[] {
  return [
    { header: '#', cell: (l) => l.lineNo },
    { header: tc('product'), cell: (l) => `${l.productCode} ${l.productName}` },
    { header: t('specification'), cell: (l) => l.specification ?? '—' },
    { header: tc('quantity'), cell: (l) => <Quantity value={l.quantity} unit={l.unit} />, className: 'num' },
    { header: t('batch'), cell: (l) => l.batch ?? '—' },
    { header: t('weightKg'), cell: (l) => (l.weightKg ? <Quantity value={l.weightKg} /> : '—'), className: 'num' },
  ];
}

export function DeliveryNoteDetail() {
  const { deliveryNoteId = '' } = useParams();
  const { api, can } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const note = useResource((signal) => api.get<DeliveryNote>(`/delivery-notes/${deliveryNoteId}`, { signal }), [deliveryNoteId]);
  if (!note.data) return note.error ? <ProblemBox error={note.error} /> : <Loading />;
  const n = note.data;
  const reload = note.reload;
  return (
    <PageFrame
      title={
        <>
          {t('title')} {n.deliveryNoteId} <StatusBadge code={n.status} />
        </>
      }
      subtitle={
        <>
          {t('order')} {can('getOrder') ? <Link to={`/orders/${n.orderId}`}>{n.orderId}</Link> : n.orderId} · {n.customerName}
        </>
      }
      actions={
        <>
          <button type="button" className="secondary no-print" onClick={() => window.print()}>
            {t('printNote')}
          </button>
          {can('getGatePass') ? (
            <Link className="button secondary no-print" to={`/delivery-notes/${n.deliveryNoteId}/gate-pass`}>
              {t('gatePass')}
            </Link>
          ) : null}
        </>
      }
    >
      <Section title={tc('details')}>
        <Definition
          items={[
            [t('issuedOn'), <span key="i"><DateText value={n.issuedOn} /> ({t('validOn')})</span>],
            [t('warehouse'), n.warehouseId],
            [t('mode'), t(`mode.${n.mode}` as keyof typeof m & string)],
            ...(n.signOff ? ([[t('signedOffBy'), `${n.signOff.by.name} · ${n.signOff.basis}${n.signOff.reference ? ` ${n.signOff.reference}` : ''}`]] as [string, string][]) : []),
            ...(n.goodsIssue ? ([[t('issuedBy'), `${n.goodsIssue.by.name}${n.goodsIssue.vehicle ? ` · ${n.goodsIssue.vehicle}` : ''}`]] as [string, string][]) : []),
            ...(n.dispatch ? ([[t('carrier'), `${n.dispatch.carrierName ?? n.dispatch.carrierId} · ${n.dispatch.trackingNumber}`]] as [string, string][]) : []),
            ...(n.proofOfDelivery ? ([[t('proofOfDelivery'), <span key="p">{n.proofOfDelivery.signer} · <DateTimeText value={n.proofOfDelivery.signedAt} />{n.proofOfDelivery.problems ? ` · ${n.proofOfDelivery.problems}` : ''}</span>]] as [string, React.ReactNode][]) : []),
            ...(n.invoiceId ? ([[t('invoiced'), can('getInvoice') ? <Link key="inv" to={`/invoices/${n.invoiceId}`}>{n.invoiceId}</Link> : n.invoiceId]] as [string, React.ReactNode][]) : []),
          ]}
        />
      </Section>
      <Section title={tc('quantity')}>
        <DataTable
          caption={t('title')}
          rows={n.lines}
          rowKey={(l) => String(l.lineNo)}
          columns={[...goodsColumns<NoteLine>(t, tc), { header: t('received'), cell: (l) => (l.received ? <Quantity value={l.received} /> : '—'), className: 'num' }]}
        />
      </Section>
      <div className="no-print">
        {n.status === 'ISSUED' && can('signOffDeliveryNote') ? <SignOffForm note={n} onDone={reload} /> : null}
        {n.status === 'SIGNED_OFF' && can('issueGoods') ? <GoodsIssueForm note={n} onDone={reload} /> : null}
        {n.status === 'GOODS_ISSUED' && n.mode === 'delivery' && can('dispatchDeliveryNote') ? <DispatchForm note={n} onDone={reload} /> : null}
        {((n.status === 'GOODS_ISSUED' && n.mode === 'pickup') || n.status === 'DISPATCHED') && can('recordProofOfDelivery') ? <ProofOfDeliveryForm note={n} onDone={reload} /> : null}
        {['GOODS_ISSUED', 'DISPATCHED', 'DELIVERED'].includes(n.status) && !n.invoiceId && can('invoiceDeliveryNote') ? (
          <ActionButton onAction={() => api.post(`/delivery-notes/${n.deliveryNoteId}/invoice`).then(reload)}>{t('invoice')}</ActionButton>
        ) : null}
        {n.status === 'ISSUED' && can('reissueDeliveryNote') ? (
          <ActionButton className="secondary" onAction={() => api.post<{ deliveryNoteId: string }>(`/delivery-notes/${n.deliveryNoteId}/reissue`).then(reload)}>
            {t('reissue')}
          </ActionButton>
        ) : null}
      </div>
    </PageFrame>
  );
}

function SignOffForm({ note, onDone }: { note: DeliveryNote; onDone(): void }) {
  const { api } = useApp();
  const t = useT(m);
  const [receipt, setReceipt] = useState('');
  const [error, setError] = useState<unknown>();
  const fields = error instanceof ApiError ? error.fields : {};
  const send = (body: unknown) => api.post(`/delivery-notes/${note.deliveryNoteId}/sign-off`, body).then(onDone, setError);
  return (
    <Section title={t('signOff')}>
      <div className="form-actions">
        <button type="button" onClick={() => void send({ basis: 'CREDIT' })}>
          {t('signOffCredit')}
        </button>
      </div>
      <form
        className="form-inline"
        onSubmit={(e) => {
          e.preventDefault();
          void send({ basis: 'PAID', reference: receipt.trim() });
        }}
      >
        <TextField label={t('receipt')} value={receipt} onChange={setReceipt} placeholder="RC-2026-000001" error={fields.reference} />
        <button type="submit" className="secondary">
          {t('signOffPaid')}
        </button>
      </form>
      <ProblemBox error={error} />
    </Section>
  );
}

function GoodsIssueForm({ note, onDone }: { note: DeliveryNote; onDone(): void }) {
  const { api } = useApp();
  const t = useT(m);
  const [lines, setLines] = useState(note.lines.map((l) => ({ lineNo: l.lineNo, batch: '', weightKg: '' })));
  const [vehicle, setVehicle] = useState('');
  const [error, setError] = useState<unknown>();
  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <Section title={t('goodsIssue')}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          api.post(`/delivery-notes/${note.deliveryNoteId}/goods-issue`, { lines, ...(vehicle.trim() ? { vehicle: vehicle.trim() } : {}) }).then(onDone, setError);
        }}
      >
        {lines.map((l, i) => (
          <div className="form-grid" key={l.lineNo}>
            <TextField label={`#${l.lineNo} ${t('batch')}`} value={l.batch} onChange={(v) => setLines(lines.map((x, j) => (j === i ? { ...x, batch: v } : x)))} error={fields[`lines.${i}.batch`]} />
            <TextField label={`#${l.lineNo} ${t('weightKg')}`} inputMode="decimal" value={l.weightKg} onChange={(v) => setLines(lines.map((x, j) => (j === i ? { ...x, weightKg: v } : x)))} error={fields[`lines.${i}.weightKg`]} />
          </div>
        ))}
        <TextField label={t('vehicle')} value={vehicle} onChange={setVehicle} error={fields.vehicle} />
        <ProblemBox error={error} />
        <button type="submit">{t('confirmGoodsIssue')}</button>
      </form>
    </Section>
  );
}

interface Carrier {
  carrierId: string;
  name: string;
  qualified: boolean;
}

function DispatchForm({ note, onDone }: { note: DeliveryNote; onDone(): void }) {
  const { api } = useApp();
  const t = useT(m);
  const carriers = useResource((signal) => api.get<Page<Carrier>>('/carriers?limit=100', { signal }), []);
  const [carrierId, setCarrierId] = useState('');
  const [tracking, setTracking] = useState('');
  const [error, setError] = useState<unknown>();
  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <Section title={t('dispatch')}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          api.post(`/delivery-notes/${note.deliveryNoteId}/dispatch`, { carrierId, trackingNumber: tracking.trim() }).then(onDone, setError);
        }}
      >
        <div className="form-grid">
          <SelectField label={t('carrier')} value={carrierId} onChange={setCarrierId} blank={t('chooseCarrier')} options={(carriers.data?.items ?? []).filter((c) => c.qualified).map((c) => ({ value: c.carrierId, label: `${c.carrierId} ${c.name}` }))} error={fields.carrierId} />
          <TextField label={t('trackingNumber')} value={tracking} onChange={setTracking} error={fields.trackingNumber} />
        </div>
        <ProblemBox error={error} />
        <button type="submit">{t('confirmDispatch')}</button>
      </form>
    </Section>
  );
}

/** A local date-time input's value (no zone) as the UTC timestamp the API stores. */
function localInputToIso(value: string): string {
  return value ? new Date(value).toISOString() : '';
}

function nowForInput(): string {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

function ProofOfDeliveryForm({ note, onDone }: { note: DeliveryNote; onDone(): void }) {
  const { api } = useApp();
  const t = useT(m);
  const [signer, setSigner] = useState('');
  const [signedAt, setSignedAt] = useState(nowForInput);
  const [received, setReceived] = useState(note.lines.map((l) => ({ lineNo: l.lineNo, received: l.quantity })));
  const [problems, setProblems] = useState('');
  const [error, setError] = useState<unknown>();
  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <Section title={t('proofOfDelivery')}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          api
            .post(`/delivery-notes/${note.deliveryNoteId}/proof-of-delivery`, { signer: signer.trim(), signedAt: localInputToIso(signedAt), lines: received, ...(problems.trim() ? { problems: problems.trim() } : {}) })
            .then(onDone, setError);
        }}
      >
        <div className="form-grid">
          <TextField label={t('signer')} value={signer} onChange={setSigner} error={fields.signer} />
          <TextField label={t('signedAt')} type="datetime-local" value={signedAt} onChange={setSignedAt} error={fields.signedAt} />
          {received.map((l, i) => (
            <TextField key={l.lineNo} label={`#${l.lineNo} ${t('received')}`} inputMode="decimal" value={l.received} onChange={(v) => setReceived(received.map((x, j) => (j === i ? { ...x, received: v } : x)))} error={fields[`lines.${i}.received`]} />
          ))}
        </div>
        <TextArea label={t('problems')} value={problems} onChange={setProblems} error={fields.problems} />
        <ProblemBox error={error} />
        <button type="submit">{t('recordDelivery')}</button>
      </form>
    </Section>
  );
}

/** 出门证: what the gate checks — note number, day, goods, vehicle — and nothing about the customer or money. */
export function GatePass() {
  const { deliveryNoteId = '' } = useParams();
  const { api } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const pass = useResource((signal) => api.get<GatePassView>(`/delivery-notes/${deliveryNoteId}/gate-pass`, { signal }), [deliveryNoteId]);
  if (!pass.data) return pass.error ? <ProblemBox error={pass.error} /> : <Loading />;
  const p = pass.data;
  return (
    <PageFrame
      title={`${t('gatePass')} ${p.deliveryNoteId}`}
      subtitle={t('gatePassNote')}
      actions={
        <button type="button" className="secondary no-print" onClick={() => window.print()}>
          {tc('print')}
        </button>
      }
    >
      <Definition
        items={[
          [t('validOn'), <DateText key="v" value={p.validOn} />],
          [t('warehouse'), p.warehouseId],
          [t('mode'), t(`mode.${p.mode}` as keyof typeof m & string)],
          [t('vehicle'), p.vehicle ?? '—'],
          [t('signedOffBy'), p.signedOffBy?.name ?? '—'],
          [tc('status'), <StatusBadge key="s" code={p.status} />],
        ]}
      />
      <DataTable
        caption={t('gatePass')}
        rows={p.lines}
        rowKey={(l) => String(l.lineNo)}
        columns={goodsColumns(t, tc)}
      />
    </PageFrame>
  );
}
