/**
 * One product's stock: every warehouse and specification (on hand, reserved, available), its safety
 * stock — approved, waiting for the sales manager, and what recent sales suggest (R-FULFIL-9) — with
 * the sales clerk's proposal, and the latest movements. The warehouse receives and adjusts from here.
 */
import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { ApiError, query } from '../../api.js';
import { useApp } from '../../app-context.js';
import { DataTable, DateTimeText, Loading, Page as PageFrame, ProblemBox, Quantity, Section, SelectField, StatusBadge, TextArea, TextField } from '../../components/ui.js';
import { useResource } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { useLocale, useT } from '../../i18n/index.js';
import { stockMessages as m } from './messages.js';
import { BelowSafety, placeName, type ProductSafetyStock, type ProductStock as ProductStockView, type SafetyStockPlace } from './shared.js';

export function ProductStock() {
  const { productCode = '' } = useParams();
  const { api, can } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const location = useLocation();
  const recorded = (location.state as { recorded?: string } | null)?.recorded;
  const stock = useResource((signal) => api.get<ProductStockView>(`/stock/${encodeURIComponent(productCode)}`, { signal }), [productCode]);
  const safety = useResource((signal) => (can('getSafetyStock') ? api.get<ProductSafetyStock>(`/stock/${encodeURIComponent(productCode)}/safety-stock`, { signal }) : Promise.resolve(undefined)), [productCode]);

  if (!stock.data) return stock.error ? <ProblemBox error={stock.error} /> : <Loading />;
  const s = stock.data;
  const link = (path: string, b: { specification?: string | undefined; warehouseId: string }) => `${path}${query({ productCode: s.productCode, specification: b.specification, warehouseId: b.warehouseId })}`;
  return (
    <PageFrame
      title={`${t('title')} · ${s.productCode}`}
      actions={
        can('getProduct') ? (
          <Link className="button secondary" to={`/products/${s.productCode}`}>
            {tc('product')}
          </Link>
        ) : null
      }
    >
      {recorded ? (
        <p className="notice" role="status">
          {recorded}
        </p>
      ) : null}
      <Section title={t('balances')}>
        <DataTable
          caption={t('balancesCaption', { code: s.productCode })}
          focusable
          rows={s.balances}
          rowKey={(b) => `${b.warehouseId}|${b.specification ?? ''}`}
          columns={[
            { header: t('warehouse'), cell: (b) => b.warehouseId },
            { header: t('specification'), cell: (b) => b.specification ?? '—' },
            { header: t('onHand'), cell: (b) => <Quantity value={b.onHand} unit={b.unit} />, className: 'num' },
            { header: t('reserved'), cell: (b) => <Quantity value={b.reserved} unit={b.unit} />, className: 'num' },
            { header: t('available'), cell: (b) => <strong><Quantity value={b.available} unit={b.unit} /></strong>, className: 'num' },
            { header: t('received'), cell: (b) => <Quantity value={b.received} />, className: 'num' },
            { header: t('adjusted'), cell: (b) => <Quantity value={b.adjusted} />, className: 'num' },
            { header: t('issued'), cell: (b) => <Quantity value={b.issued} />, className: 'num' },
            { header: t('safetyStock'), cell: (b) => (b.safetyStock !== undefined ? <Quantity value={b.safetyStock} unit={b.unit} /> : '—'), className: 'num' },
            { header: tc('status'), cell: (b) => <BelowSafety below={b.belowSafetyStock} since={b.belowSafetySince} /> },
            ...(can('recordStockReceipt') || can('recordStockAdjustment')
              ? [
                  {
                    header: t('actions'),
                    cell: (b: (typeof s.balances)[number]) => (
                      <span className="row-actions">
                        {can('recordStockReceipt') ? (
                          <Link to={link('/stock/receipts/new', b)} aria-label={t('receiveFor', { what: placeName(b) })}>
                            {t('receive')}
                          </Link>
                        ) : null}
                        {can('recordStockAdjustment') ? (
                          <Link to={link('/stock/adjustments/new', b)} aria-label={t('adjustFor', { what: placeName(b) })}>
                            {t('adjust')}
                          </Link>
                        ) : null}
                      </span>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Section>
      {safety.data ? <SafetyStock safety={safety.data} onProposed={safety.reload} /> : <ProblemBox error={safety.error} />}
      <Section title={t('movements')}>
        <DataTable
          caption={t('movementsCaption')}
          focusable
          rows={s.movements}
          rowKey={(x) => `${x.at}|${x.kind}|${x.reference}|${x.specification ?? ''}|${x.quantity}`}
          columns={[
            { header: tc('when'), cell: (x) => <DateTimeText value={x.at} />, className: 'nowrap' },
            { header: t('kind'), cell: (x) => t(`kind.${x.kind}`), className: 'nowrap' },
            { header: t('warehouse'), cell: (x) => x.warehouseId },
            { header: t('specification'), cell: (x) => x.specification ?? '—' },
            { header: t('quantity'), cell: (x) => <Quantity value={x.quantity} />, className: 'num' },
            { header: t('reference'), cell: (x) => <ReferenceLink reference={x.reference} /> },
            { header: t('source'), cell: (x) => (x.source ? t(`source.${x.source}`) : '—'), className: 'nowrap' },
            { header: t('batch'), cell: (x) => x.batch ?? '—', className: 'nowrap' },
            { header: t('reason'), cell: (x) => x.reason ?? '—' },
            { header: t('by'), cell: (x) => x.by.name },
          ]}
        />
      </Section>
    </PageFrame>
  );
}

/** An order or delivery note named in a movement ("SO-2026-000001/1") opens it, for whoever may see it. */
function ReferenceLink({ reference }: { reference: string }) {
  const { can } = useApp();
  const order = /^(SO-\d{4}-\d{6})\b/.exec(reference)?.[1];
  if (order && can('getOrder')) return <Link to={`/orders/${order}`}>{reference}</Link>;
  const note = /^(DN-\d{4}-\d{6})\b/.exec(reference)?.[1];
  if (note && can('getDeliveryNote')) return <Link to={`/delivery-notes/${note}`}>{reference}</Link>;
  return <>{reference}</>;
}

function SafetyStock({ safety, onProposed }: { safety: ProductSafetyStock; onProposed(): void }) {
  const { can } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const { fmt } = useLocale();
  const history = safety.places.flatMap((p) => p.history);
  return (
    <Section title={t('safetyTitle')}>
      <DataTable
        caption={t('safetyCaption', { code: safety.productCode })}
        focusable
        rows={safety.places}
        rowKey={(p) => `${p.warehouseId}|${p.specification ?? ''}`}
        columns={[
          { header: t('warehouse'), cell: (p) => p.warehouseId },
          { header: t('specification'), cell: (p) => p.specification ?? '—' },
          { header: t('available'), cell: (p) => <Quantity value={p.available} unit={safety.unit} />, className: 'num' },
          { header: t('approvedSafety'), cell: (p) => (p.safetyStock !== undefined ? <Quantity value={p.safetyStock} unit={safety.unit} /> : <span className="muted">{t('noSafety')}</span>), className: 'num' },
          { header: t('approvedBy'), cell: (p) => (p.approvedAt ? <span><DateTimeText value={p.approvedAt} /> · {p.approvedBy?.name}</span> : '—') },
          { header: tc('status'), cell: (p) => <BelowSafety below={p.belowSafetyStock} since={p.belowSafetySince} /> },
          {
            header: t('pending'),
            cell: (p) =>
              p.pending ? (
                <span>
                  <Quantity value={p.pending.quantity} unit={p.pending.unit} /> · {p.pending.proposedBy.name} <StatusBadge code={p.pending.status} />
                </span>
              ) : (
                '—'
              ),
          },
          {
            header: t('suggestion'),
            cell: (p) => (
              <span>
                <Quantity value={p.suggestion.quantity} unit={safety.unit} />
                <br />
                <small className="muted">{t('suggestionDetail', { days: p.suggestion.days, issued: fmt.number(p.suggestion.issued), average: fmt.number(p.suggestion.averagePerDay), cover: p.suggestion.coverDays })}</small>
              </span>
            ),
          },
        ]}
      />
      {can('proposeSafetyStock') ? <ProposeSafetyStock safety={safety} onProposed={onProposed} /> : null}
      {history.length ? (
        <>
          <h3>{t('proposalHistory')}</h3>
          <DataTable
            caption={t('proposalHistoryCaption')}
            focusable
            rows={history}
            rowKey={(h) => h.proposalId}
            columns={[
              { header: t('place'), cell: (h) => placeName(h) },
              { header: t('safetyStock'), cell: (h) => <Quantity value={h.quantity} unit={h.unit} />, className: 'num' },
              { header: t('proposedBy'), cell: (h) => <span><DateTimeText value={h.proposedAt} /> · {h.proposedBy.name}</span> },
              { header: t('basis'), cell: (h) => h.basis ?? '—' },
              { header: tc('status'), cell: (h) => <StatusBadge code={h.status} /> },
              { header: t('outcome'), cell: (h) => [h.decidedBy?.name, h.reason].filter(Boolean).join(' · ') || '—' },
            ]}
          />
        </>
      ) : null}
    </Section>
  );
}

/** R-FULFIL-9: the sales clerk proposes, from the suggestion, for one warehouse and specification. */
function ProposeSafetyStock({ safety, onProposed }: { safety: ProductSafetyStock; onProposed(): void }) {
  const { api } = useApp();
  const t = useT(m);
  const open = safety.places.filter((p) => !p.pending);
  const keyOf = (p: SafetyStockPlace) => `${p.warehouseId}|${p.specification ?? ''}`;
  const [chosenKey, setPlaceKey] = useState(open[0] ? keyOf(open[0]) : '');
  // A place whose proposal now waits can take no other: fall back to the first open one.
  const placeKey = open.some((p) => keyOf(p) === chosenKey) ? chosenKey : open[0] ? keyOf(open[0]) : '';
  const place = open.find((p) => keyOf(p) === placeKey);
  const [quantity, setQuantity] = useState(open[0]?.suggestion.quantity ?? '');
  const [basis, setBasis] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>();
  const fields = error instanceof ApiError ? error.fields : {};
  if (!open.length && !done) return null;
  return (
    <form
      className="form card"
      aria-labelledby="propose-title"
      onSubmit={(e) => {
        e.preventDefault();
        if (!place) return;
        setBusy(true);
        setError(undefined);
        setDone(false);
        api
          .post(`/stock/${safety.productCode}/safety-stock`, {
            warehouseId: place.warehouseId,
            ...(place.specification ? { specification: place.specification } : {}),
            quantity: quantity.trim(),
            ...(basis.trim() ? { basis: basis.trim() } : {}),
          })
          .then(
            () => {
              setDone(true);
              setBasis('');
              onProposed();
            },
            setError,
          )
          .finally(() => setBusy(false));
      }}
    >
      <h3 id="propose-title">{t('propose')}</h3>
      <p className="muted">{t('proposeNote')}</p>
      <div className="form-grid">
        <SelectField
          label={t('place')}
          name="place"
          value={placeKey}
          onChange={(v) => {
            setPlaceKey(v);
            const next = safety.places.find((p) => keyOf(p) === v);
            if (next) setQuantity(next.suggestion.quantity);
          }}
          options={open.map((p) => ({ value: keyOf(p), label: placeName(p) }))}
          error={fields.warehouseId ?? fields.specification}
        />
        <TextField label={`${t('safetyStock')} (${safety.unit})`} name="quantity" inputMode="decimal" value={quantity} onChange={setQuantity} error={fields.quantity} />
      </div>
      <TextArea label={t('basis')} name="basis" value={basis} onChange={setBasis} error={fields.basis} rows={2} />
      {done ? (
        <p className="notice" role="status">
          {t('proposed')}
        </p>
      ) : null}
      <ProblemBox error={error} />
      <div className="form-actions">
        <button type="submit" disabled={busy || !place} aria-busy={busy}>
          {t('sendProposal')}
        </button>
      </div>
    </form>
  );
}
