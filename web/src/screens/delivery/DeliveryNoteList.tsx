/** Delivery notes by status; each role starts on the notes waiting for it (finance: issued, warehouse: signed off, logistics: goods issued). */
import { useState } from 'react';
import { Link } from 'react-router';
import { query, type Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { DataTable, DateText, LoadMore, Page as PageFrame, ProblemBox, SelectField, StatusBadge } from '../../components/ui.js';
import { usePaged } from '../../hooks.js';
import { common, statusLabel } from '../../i18n/common.js';
import { useLocale, useT } from '../../i18n/index.js';
import { deliveryMessages as m } from './messages.js';

const STATUSES = ['ISSUED', 'SIGNED_OFF', 'GOODS_ISSUED', 'DISPATCHED', 'DELIVERED', 'VOIDED'];

interface NoteSummary {
  deliveryNoteId: string;
  orderId: string;
  customerName?: string;
  status: string;
  issuedOn: string;
  mode: string;
}

export function DeliveryNoteList() {
  const { api, hasRole } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const { locale } = useLocale();
  const first = hasRole('finance', 'finance_manager') ? 'ISSUED' : hasRole('warehouse') ? 'SIGNED_OFF' : hasRole('logistics') ? 'GOODS_ISSUED' : 'ISSUED';
  const [status, setStatus] = useState(first);
  const list = usePaged<NoteSummary>((cursor, signal) => api.get<Page<NoteSummary>>(`/delivery-notes${query({ status, limit: 25, cursor })}`, { signal }), [status]);
  return (
    <PageFrame title={t('title')}>
      <div className="filters">
        <SelectField label={t('chooseStatus')} value={status} onChange={setStatus} options={STATUSES.map((s) => ({ value: s, label: statusLabel(locale, s) }))} />
      </div>
      <ProblemBox error={list.error} />
      <DataTable
        caption={t('listCaption')}
        rows={list.items}
        rowKey={(n) => n.deliveryNoteId}
        columns={[
          { header: t('number'), cell: (n) => <Link to={`/delivery-notes/${n.deliveryNoteId}`}>{n.deliveryNoteId}</Link> },
          { header: t('order'), cell: (n) => n.orderId },
          { header: tc('customer'), cell: (n) => n.customerName ?? '—' },
          { header: t('mode'), cell: (n) => t(`mode.${n.mode}` as keyof typeof m & string) },
          { header: t('issuedOn'), cell: (n) => <DateText value={n.issuedOn} /> },
          { header: tc('status'), cell: (n) => <StatusBadge code={n.status} /> },
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} />
    </PageFrame>
  );
}
