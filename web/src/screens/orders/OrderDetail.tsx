/**
 * One order: lines, totals, where it is (review, credit, stock, shipping, invoicing) with its
 * status timeline and full history, and what the signed-in user may do to it next.
 */
import { useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import type { Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { ActionButton, DataTable, DateText, DateTimeText, Definition, HistorySection, Loading, Money, Page as PageFrame, ProblemBox, Quantity, Section, StatusBadge, TextArea, TextField } from '../../components/ui.js';
import { useRecordWithHistory, useResource } from '../../hooks.js';
import { common, roleLabel, statusLabel } from '../../i18n/common.js';
import { useLocale, useT } from '../../i18n/index.js';
import { orderMessages } from './messages.js';
import type { Order } from './types.js';

const EDITABLE = ['DRAFT', 'RETURNED', 'EXCEPTION'];
const FINAL = ['DELIVERED', 'REJECTED', 'CANCELLED'];
const CHANGEABLE = ['APPROVED', 'CREDIT_HOLD', 'CREDIT_REVIEW', 'AWAITING_PREPAYMENT', 'CREDIT_APPROVED', 'AWAITING_STOCK', 'GOODS_RESERVED'];
const SHIPPABLE = ['GOODS_RESERVED', 'PARTIALLY_SHIPPED'];

interface DeliveryNoteSummary {
  deliveryNoteId: string;
  status: string;
  issuedOn: string;
  lines: { lineNo: number; quantity: string }[];
}

export function OrderDetail() {
  const { orderId = '' } = useParams();
  const { api, can } = useApp();
  const t = useT(orderMessages);
  const tc = useT(common);
  const { locale } = useLocale();
  const navigate = useNavigate();
  const location = useLocation();
  const notice = (location.state as { notice?: 'draftSaved' | 'submitted' } | null)?.notice;
  const [order, history] = useRecordWithHistory<Order>(`/orders/${orderId}`, 'getOrderHistory');
  const notes = useResource(
    (signal) => (can('listOrderDeliveryNotes') ? api.get<Page<DeliveryNoteSummary>>(`/orders/${orderId}/delivery-notes`, { signal }) : Promise.resolve(undefined)),
    [orderId, order.data?.version],
  );
  const [cancelling, setCancelling] = useState(false);
  const [changing, setChanging] = useState(false);

  if (!order.data) return order.error ? <ProblemBox error={order.error} /> : <Loading />;
  const o = order.data;
  const reload = () => order.reload();
  // A finished order waits for nobody, whatever step last kept a token.
  const pending = FINAL.includes(o.status) ? undefined : (o.review.pendingTask ?? o.credit?.pendingTask ?? o.fulfilment?.pendingTask);
  const statusChanges = (history.data?.items ?? []).filter((e) => e.after && typeof e.after.status === 'string' && e.after.status !== e.before?.status);

  return (
    <PageFrame
      title={
        <>
          {o.orderId} <StatusBadge code={o.status} />
        </>
      }
      subtitle={
        <>
          <Link to={`/customers/${o.customerId}`}>{o.customerName}</Link> · {t('rep')} {o.ownerRepId}
        </>
      }
      actions={
        <>
          {EDITABLE.includes(o.status) && can('updateOrder') ? (
            <Link className="button secondary" to={`/orders/${o.orderId}/edit`}>
              {t('edit')}
            </Link>
          ) : null}
          {EDITABLE.includes(o.status) && can('submitOrder') ? (
            <ActionButton
              onAction={async () => {
                await api.post(`/orders/${o.orderId}/submission`);
                navigate(`/orders/${o.orderId}`, { replace: true, state: { notice: 'submitted' } });
                reload();
              }}
            >
              {t('submitForReview')}
            </ActionButton>
          ) : null}
          {SHIPPABLE.includes(o.status) && can('issueDeliveryNote') ? (
            <ActionButton
              onAction={async () => {
                const note = await api.post<{ deliveryNoteId: string }>(`/orders/${o.orderId}/delivery-notes`, {});
                navigate(`/delivery-notes/${note.deliveryNoteId}`);
              }}
            >
              {t('issueDeliveryNote')}
            </ActionButton>
          ) : null}
          {CHANGEABLE.includes(o.status) && can('requestOrderChange') && !o.pendingChange ? (
            <button type="button" className="secondary" onClick={() => setChanging((v) => !v)} aria-expanded={changing}>
              {t('changeRequest')}
            </button>
          ) : null}
          {!FINAL.includes(o.status) && can('cancelOrder') ? (
            <button type="button" className="danger" onClick={() => setCancelling((v) => !v)} aria-expanded={cancelling}>
              {t('cancelOrder')}
            </button>
          ) : null}
        </>
      }
    >
      {notice ? (
        <p className="notice" role="status">
          {t(notice)}
        </p>
      ) : null}
      {cancelling ? <CancelForm orderId={o.orderId} onDone={() => { setCancelling(false); reload(); }} /> : null}
      {changing ? <ChangeForm order={o} onDone={() => { setChanging(false); reload(); }} /> : null}
      {o.exception ? (
        <div className="problem" role="alert">
          <strong>{t('exception')}</strong>: {o.exception.step} — {o.exception.cause}
        </div>
      ) : null}
      {o.review.outcome === 'RETURNED' && o.status === 'RETURNED' ? (
        <div className="problem" role="alert">
          <strong>{t('returnedBecause')}</strong>: {o.review.reason} ({o.review.decidedBy?.name}, <DateTimeText value={o.review.decidedAt} />)
        </div>
      ) : null}
      {pending ? (
        <p className="notice" role="status">
          {t('waitingFor', { who: roleLabel(locale, pending.assigneeRole) })} · <DateTimeText value={pending.since} />
        </p>
      ) : null}

      <div className="two-columns">
        <Section title={tc('details')}>
          <Definition
            items={[
              [t('channel'), t(`channel.${o.channel}`)],
              [t('deliveryDate'), <DateText key="d" value={o.requestedDeliveryDate} />],
              [t('delivery'), o.delivery ? (o.delivery.mode === 'pickup' ? t('delivery.pickup') : `${o.delivery.address.label}: ${o.delivery.address.line1}, ${o.delivery.address.city}`) : '—'],
              [t('paymentMethod'), o.paymentMethod ? t(`payment.${o.paymentMethod}`) : '—'],
              [t('customerReference'), o.customerReference ?? '—'],
              [t('remarks'), o.remarks ?? '—'],
              [t('created'), <DateTimeText key="c" value={o.createdAt} />],
            ]}
          />
        </Section>
        <Section title={t('totals')}>
          <Definition
            items={[
              [t('net'), <Money key="n" value={o.totals.net} />],
              [t('tax'), <Money key="t" value={o.totals.tax} />],
              [t('gross'), <strong key="g"><Money value={o.totals.gross} /></strong>],
            ]}
          />
          {o.credit ? (
            <>
              <h3>{t('credit')}</h3>
              <Definition
                items={[
                  [tc('status'), o.credit.outcome ?? '—'],
                  ...(o.credit.reserved ? ([[t('reserved'), <Money key="r" value={o.credit.reserved} />]] as [string, React.ReactNode][]) : []),
                  ...(o.credit.reason ? ([[tc('comment'), o.credit.reason]] as [string, string][]) : []),
                ]}
              />
            </>
          ) : null}
          {o.billing ? (
            <>
              <h3>{t('billing')}</h3>
              <p>
                {o.billing.invoices.map((id) => (can('getInvoice') ? <Link key={id} to={`/invoices/${id}`}>{id} </Link> : <span key={id}>{id} </span>))}
                <Money value={o.billing.invoicedGross} />
              </p>
            </>
          ) : null}
        </Section>
      </div>

      <Section title={t('lines')}>
        <DataTable
          caption={t('lines')}
          rows={o.lines}
          rowKey={(l) => String(l.lineNo)}
          columns={[
            { header: '#', cell: (l) => l.lineNo },
            { header: tc('product'), cell: (l) => `${l.productCode} ${l.productName}` },
            { header: t('specification'), cell: (l) => l.specification ?? '—' },
            { header: tc('quantity'), cell: (l) => <Quantity value={l.quantity} unit={l.unit} />, className: 'num' },
            { header: t('unitPrice'), cell: (l) => <Money value={l.unitPrice} />, className: 'num' },
            { header: t('net'), cell: (l) => <Money value={l.net} />, className: 'num' },
            { header: t('gross'), cell: (l) => <Money value={l.gross} />, className: 'num' },
          ]}
        />
        {o.findings.length ? (
          <>
            <h3>{t('findings')}</h3>
            <ul>
              {o.findings.map((f, i) => (
                <li key={i}>
                  {f.lineNo ? `#${f.lineNo} ` : ''}
                  {f.message}
                  {f.approvers.length ? ` → ${f.approvers.map((r) => roleLabel(locale, r)).join(' → ')}` : ''}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </Section>

      {o.fulfilment?.lines.length ? (
        <Section title={t('fulfilment')}>
          <DataTable
            caption={t('fulfilment')}
            rows={o.fulfilment.lines}
            rowKey={(l) => String(l.lineNo)}
            columns={[
              { header: '#', cell: (l) => l.lineNo },
              { header: tc('product'), cell: (l) => l.productCode },
              { header: t('ordered'), cell: (l) => <Quantity value={l.ordered} unit={l.unit} />, className: 'num' },
              { header: t('reserved'), cell: (l) => <Quantity value={l.reserved} />, className: 'num' },
              { header: t('shipped'), cell: (l) => <Quantity value={l.shipped} />, className: 'num' },
              { header: t('delivered'), cell: (l) => <Quantity value={l.delivered} />, className: 'num' },
              { header: t('remaining'), cell: (l) => <Quantity value={l.remaining} />, className: 'num' },
            ]}
          />
        </Section>
      ) : null}

      {notes.data?.items.length ? (
        <Section title={t('deliveryNotes')}>
          <ul>
            {notes.data.items.map((n) => (
              <li key={n.deliveryNoteId}>
                <Link to={`/delivery-notes/${n.deliveryNoteId}`}>{n.deliveryNoteId}</Link> <StatusBadge code={n.status} /> <DateText value={n.issuedOn} />
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      <Section title={t('timeline')}>
        <ol className="status-timeline" aria-label={t('timeline')}>
          {statusChanges.map((e, i) => (
            <li key={i}>
              <StatusBadge code={String(e.after!.status)} /> <DateTimeText value={e.at} /> · {e.by.name}
              {e.reason ? ` · ${e.reason}` : ''}
            </li>
          ))}
          {statusChanges.length === 0 ? <li>{statusLabel(locale, o.status)}</li> : null}
        </ol>
      </Section>
      <HistorySection history={history} />
    </PageFrame>
  );
}

function CancelForm({ orderId, onDone }: { orderId: string; onDone(): void }) {
  const { api } = useApp();
  const t = useT(orderMessages);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        api.post(`/orders/${orderId}/cancellation`, { reason }).then(onDone, setError);
      }}
    >
      <TextArea label={t('cancelReason')} name="cancelReason" value={reason} onChange={setReason} required />
      <ProblemBox error={error} />
      <button type="submit" className="danger">
        {t('confirmCancel')}
      </button>
    </form>
  );
}

/** R-INTAKE-6: after approval the order changes only through a reviewed change request (here: a new delivery date, or cancel). */
function ChangeForm({ order, onDone }: { order: Order; onDone(): void }) {
  const { api } = useApp();
  const t = useT(orderMessages);
  const [date, setDate] = useState(order.requestedDeliveryDate ?? '');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        api.post(`/orders/${order.orderId}/change-requests`, { kind: 'amend', changes: { requestedDeliveryDate: date }, reason }, { ifMatch: `"${order.version}"` }).then(onDone, setError);
      }}
    >
      <TextField label={t('newDeliveryDate')} type="date" value={date} onChange={setDate} />
      <TextArea label={t('changeReason')} value={reason} onChange={setReason} required />
      <ProblemBox error={error} />
      <button type="submit">{t('sendChange')}</button>
    </form>
  );
}
