/** Orders: filter by status, customer and dates, find one by its number, open it (a rep sees own orders only). */
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { query, type Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { DataTable, DateText, DateTimeText, FindByNumber, LoadMore, Money, Page as PageFrame, ProblemBox, SelectField, StatusBadge, TextField } from '../../components/ui.js';
import { usePaged } from '../../hooks.js';
import { common, statusLabel } from '../../i18n/common.js';
import { useLocale, useT, type MoneyValue } from '../../i18n/index.js';
import { orderMessages } from './messages.js';

export const ORDER_STATUSES = ['DRAFT', 'SUBMITTED', 'IN_REVIEW', 'RETURNED', 'APPROVED', 'CREDIT_HOLD', 'CREDIT_REVIEW', 'AWAITING_PREPAYMENT', 'CREDIT_APPROVED', 'AWAITING_STOCK', 'GOODS_RESERVED', 'PARTIALLY_SHIPPED', 'SHIPPED', 'DELIVERED', 'EXCEPTION', 'REJECTED', 'CANCELLED'];

export interface OrderSummary {
  orderId: string;
  status: string;
  customerId: string;
  customerName: string;
  ownerRepId: string;
  requestedDeliveryDate?: string;
  totals: { gross: MoneyValue };
  createdAt: string;
  findingCount: number;
}

export function OrderList() {
  const { api, can } = useApp();
  const t = useT(orderMessages);
  const tc = useT(common);
  const { locale } = useLocale();
  const [params, setParams] = useSearchParams();
  const filters = { status: params.get('status') ?? '', customerId: params.get('customerId') ?? '', from: params.get('from') ?? '', to: params.get('to') ?? '' };
  const [draft, setDraft] = useState(filters);
  const list = usePaged<OrderSummary>((cursor, signal) => api.get<Page<OrderSummary>>(`/orders${query({ ...filters, limit: 25, cursor })}`, { signal }), [params.toString()]);

  return (
    <PageFrame
      title={t('title')}
      actions={
        can('createOrder') ? (
          <Link className="button" to="/orders/new">
            {t('newOrder')}
          </Link>
        ) : null
      }
    >
      <form
        className="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const next = new URLSearchParams();
          for (const [k, v] of Object.entries(draft)) if (v) next.set(k, v.trim());
          setParams(next);
        }}
      >
        <SelectField label={tc('status')} value={draft.status} onChange={(v) => setDraft({ ...draft, status: v })} blank={tc('all')} options={ORDER_STATUSES.map((s) => ({ value: s, label: statusLabel(locale, s) }))} />
        <TextField label={t('customerId')} value={draft.customerId} onChange={(v) => setDraft({ ...draft, customerId: v })} placeholder="CU-000001" />
        <TextField label={t('from')} type="date" value={draft.from} onChange={(v) => setDraft({ ...draft, from: v })} />
        <TextField label={t('to')} type="date" value={draft.to} onChange={(v) => setDraft({ ...draft, to: v })} />
        <div className="filter-buttons">
          <button type="submit">{tc('filter')}</button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setDraft({ status: '', customerId: '', from: '', to: '' });
              setParams(new URLSearchParams());
            }}
          >
            {tc('clear')}
          </button>
        </div>
      </form>
      <FindByNumber label={t('findByNumber')} placeholder="SO-2026-000123" path="/orders/" />
      <ProblemBox error={list.error} />
      <DataTable
        caption={t('listCaption')}
        rows={list.items}
        rowKey={(o) => o.orderId}
        columns={[
          { header: t('orderNo'), cell: (o) => <Link to={`/orders/${o.orderId}`}>{o.orderId}</Link> },
          { header: tc('customer'), cell: (o) => o.customerName },
          { header: tc('status'), cell: (o) => <StatusBadge code={o.status} /> },
          { header: t('deliveryDate'), cell: (o) => <DateText value={o.requestedDeliveryDate} /> },
          { header: t('gross'), cell: (o) => <Money value={o.totals.gross} />, className: 'num' },
          { header: t('rep'), cell: (o) => o.ownerRepId },
          { header: t('created'), cell: (o) => <DateTimeText value={o.createdAt} /> },
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} />
    </PageFrame>
  );
}
