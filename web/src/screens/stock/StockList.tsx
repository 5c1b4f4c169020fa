/** A warehouse's stock by product and specification: on hand, reserved, available, and where it is under the safety stock. */
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { query, type Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { DataTable, DateTimeText, LoadMore, Page as PageFrame, ProblemBox, Quantity, TextField } from '../../components/ui.js';
import { usePaged } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { stockMessages as m } from './messages.js';
import { BelowSafety, type StockBalance } from './shared.js';

export function StockList() {
  const { api, can } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const [params, setParams] = useSearchParams();
  const warehouseId = params.get('warehouseId') ?? '';
  const [draft, setDraft] = useState(warehouseId);
  const list = usePaged<StockBalance>((cursor, signal) => api.get<Page<StockBalance>>(`/stock${query({ warehouseId, limit: 50, cursor })}`, { signal }), [warehouseId]);

  return (
    <PageFrame
      title={t('title')}
      actions={
        <>
          {can('listSupplyRequests') ? (
            <Link className="button secondary" to="/supply-requests">
              {t('supplyRequests')}
            </Link>
          ) : null}
          {can('recordStockReceipt') ? (
            <Link className="button" to="/stock/receipts/new">
              {t('receive')}
            </Link>
          ) : null}
          {can('recordStockAdjustment') ? (
            <Link className="button secondary" to="/stock/adjustments/new">
              {t('adjust')}
            </Link>
          ) : null}
        </>
      }
    >
      <form
        className="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const w = draft.trim().toUpperCase();
          setParams(w ? new URLSearchParams({ warehouseId: w }) : new URLSearchParams());
        }}
      >
        <TextField label={t('warehouse')} name="warehouseId" value={draft} onChange={setDraft} hint={t('warehouseHint')} />
        <div className="filter-buttons">
          <button type="submit">{tc('filter')}</button>
        </div>
      </form>
      <ProblemBox error={list.error} />
      <DataTable
        caption={warehouseId ? t('listCaption', { warehouse: warehouseId }) : t('listCaptionDefault')}
        rows={list.items}
        rowKey={(b) => `${b.productCode}|${b.specification ?? ''}|${b.warehouseId}`}
        columns={[
          { header: t('product'), cell: (b) => <Link to={`/stock/${b.productCode}`}>{b.productCode}</Link>, className: 'nowrap' },
          { header: t('specification'), cell: (b) => b.specification ?? '—' },
          { header: t('warehouse'), cell: (b) => b.warehouseId },
          { header: t('onHand'), cell: (b) => <Quantity value={b.onHand} unit={b.unit} />, className: 'num' },
          { header: t('reserved'), cell: (b) => <Quantity value={b.reserved} unit={b.unit} />, className: 'num' },
          { header: t('available'), cell: (b) => <strong><Quantity value={b.available} unit={b.unit} /></strong>, className: 'num' },
          { header: t('safetyStock'), cell: (b) => (b.safetyStock !== undefined ? <Quantity value={b.safetyStock} unit={b.unit} /> : '—'), className: 'num' },
          { header: tc('status'), cell: (b) => <BelowSafety below={b.belowSafetyStock} since={b.belowSafetySince} /> },
          { header: t('updated'), cell: (b) => <DateTimeText value={b.updatedAt} /> },
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} />
    </PageFrame>
  );
}
