/**
 * Production and purchase requests (R-FULFIL-2): what an order lacked when it reserved stock.
 * Production completes production requests, the warehouse purchase requests; completing one
 * receives the goods into stock and the waiting order reserves again.
 */
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ApiError, type Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { DataTable, DateText, DateTimeText, LoadMore, Page as PageFrame, ProblemBox, Quantity, Section, StatusBadge, TextField } from '../../components/ui.js';
import { usePaged } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { stockMessages as m } from './messages.js';
import type { SupplyRequest } from './shared.js';

export function SupplyRequests() {
  const { api, can, hasRole } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const [completing, setCompleting] = useState<SupplyRequest>();
  const [completed, setCompleted] = useState<string>();
  const list = usePaged<SupplyRequest>((cursor, signal) => api.get<Page<SupplyRequest>>(`/supply-requests?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { signal }), []);
  const mayComplete = (r: SupplyRequest) => r.status === 'OPEN' && can('completeSupplyRequest') && hasRole(r.department);

  return (
    <PageFrame title={t('requestsTitle')} subtitle={t('requestsNote')}>
      <div aria-live="polite">
        {completed ? (
          <p className="notice" role="status">
            {t('completed', { id: completed })}
          </p>
        ) : null}
      </div>
      <ProblemBox error={list.error} />
      <DataTable
        caption={t('requestsCaption')}
        focusable
        rows={list.items.filter((r) => r.requestId !== completed)}
        rowKey={(r) => r.requestId}
        columns={[
          { header: t('requestId'), cell: (r) => r.requestId, className: 'nowrap' },
          { header: t('requestKind'), cell: (r) => t(`requestKind.${r.kind}`), className: 'nowrap' },
          { header: t('product'), cell: (r) => (can('getProductStock') ? <Link to={`/stock/${r.productCode}`}>{r.productCode}</Link> : r.productCode) },
          { header: t('specification'), cell: (r) => r.specification ?? '—' },
          { header: t('quantity'), cell: (r) => <Quantity value={r.quantity} unit={r.unit} />, className: 'num' },
          { header: t('warehouse'), cell: (r) => r.warehouseId },
          { header: t('order'), cell: (r) => (can('getOrder') ? <Link to={`/orders/${r.orderId}`}>{r.orderId}</Link> : r.orderId), className: 'nowrap' },
          { header: t('neededBy'), cell: (r) => <DateText value={r.neededBy} />, className: 'nowrap' },
          { header: t('created'), cell: (r) => <DateTimeText value={r.createdAt} /> },
          { header: tc('status'), cell: (r) => <StatusBadge code={r.status} /> },
          {
            header: t('actions'),
            className: 'nowrap',
            cell: (r) =>
              mayComplete(r) ? (
                <button type="button" className="secondary" aria-expanded={completing?.requestId === r.requestId} aria-controls="complete-form" onClick={() => setCompleting(completing?.requestId === r.requestId ? undefined : r)} aria-label={`${t('complete')} ${r.requestId}`}>
                  {t('complete')}
                </button>
              ) : null,
          },
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} />
      {completing ? (
        <CompleteForm
          key={completing.requestId}
          request={completing}
          onDone={() => {
            setCompleted(completing.requestId);
            setCompleting(undefined);
            list.reload();
          }}
          onCancel={() => setCompleting(undefined)}
        />
      ) : null}
    </PageFrame>
  );
}

function CompleteForm({ request, onDone, onCancel }: { request: SupplyRequest; onDone(): void; onCancel(): void }) {
  const { api } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const [quantity, setQuantity] = useState(request.quantity);
  const [batch, setBatch] = useState('');
  const [reference, setReference] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const fields = error instanceof ApiError ? error.fields : {};
  // Opened from a row of a long list: bring the form into view and put the cursor in it.
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' });
    ref.current?.querySelector('input')?.focus();
  }, []);
  return (
    <div id="complete-form" ref={ref}>
      <Section title={t('completeTitle', { id: request.requestId })}>
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            setBusy(true);
            setError(undefined);
            api
              .post(`/supply-requests/${request.requestId}/completion`, { quantity: quantity.trim(), ...(batch.trim() ? { batch: batch.trim() } : {}), ...(reference.trim() ? { reference: reference.trim() } : {}) })
              .then(onDone, setError)
              .finally(() => setBusy(false));
          }}
        >
          <div className="form-grid">
            <TextField label={`${t('completeQuantity')} (${request.unit})`} name="quantity" inputMode="decimal" value={quantity} onChange={setQuantity} error={fields.quantity} required />
            <TextField label={t('batch')} name="batch" value={batch} onChange={setBatch} error={fields.batch} />
            <TextField label={t('completeReference')} name="reference" value={reference} onChange={setReference} error={fields.reference} />
          </div>
          <ProblemBox error={error} />
          <div className="form-actions">
            <button type="submit" disabled={busy} aria-busy={busy}>
              {t('confirmComplete')}
            </button>
            <button type="button" className="secondary" onClick={onCancel}>
              {tc('cancel')}
            </button>
          </div>
        </form>
      </Section>
    </div>
  );
}
