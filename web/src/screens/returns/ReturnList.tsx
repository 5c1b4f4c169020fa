/**
 * Returns (退货, R-RETURN-1..4): a customer's returns, newest first; or, for the warehouse and
 * quality, the returns in a status, oldest first (approved: the goods to receive; awaiting
 * inspection: quality's work); find one by its number.
 */
import { Link, useSearchParams } from 'react-router';
import { query, type Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { DataTable, DateTimeText, FindByNumber, LoadMore, Money, Page as PageFrame, ProblemBox, SelectField, StatusBadge } from '../../components/ui.js';
import { usePaged } from '../../hooks.js';
import { common, statusLabel } from '../../i18n/common.js';
import { useLocale, useT } from '../../i18n/index.js';
import { CustomerField, Nowrap, ReferenceLink, useDraft } from '../billing/shared.js';
import { RETURN_STATUSES, returnMessages as m, type Return } from './messages.js';

export function ReturnList() {
  const { api, can, hasRole } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const { locale } = useLocale();
  const [params, setParams] = useSearchParams();
  // Quality (production) works on what awaits inspection; everyone else starts from what awaits the goods.
  const defaultStatus = hasRole('production') && !hasRole('warehouse') ? 'AWAITING_INSPECTION' : 'APPROVED';
  const customerId = params.get('customerId') ?? '';
  const status = params.get('status') ?? (customerId ? '' : defaultStatus);
  const [draft, setDraft] = useDraft({ customerId, status }, params.toString());
  const list = usePaged<Return>((cursor, signal) => api.get<Page<Return>>(`/returns${query({ customerId, status, limit: 25, cursor })}`, { signal }), [customerId, status]);

  return (
    <PageFrame
      title={t('title')}
      subtitle={t('listHint')}
      actions={
        can('requestReturn') ? (
          <Link className="button" to="/returns/new">
            {t('request')}
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
          if (draft.customerId.trim()) next.set('customerId', draft.customerId.trim().toUpperCase());
          if (draft.status) next.set('status', draft.status);
          setParams(next);
        }}
      >
        <CustomerField value={draft.customerId} onChange={(v) => setDraft({ ...draft, customerId: v })} blank={tc('all')} />
        <SelectField
          label={tc('status')}
          value={draft.status}
          onChange={(v) => setDraft({ ...draft, status: v })}
          blank={draft.customerId ? tc('all') : undefined}
          options={RETURN_STATUSES.map((s) => ({ value: s, label: statusLabel(locale, s) }))}
        />
        <div className="filter-buttons">
          <button type="submit">{tc('filter')}</button>
        </div>
      </form>
      <FindByNumber label={t('findByNumber')} placeholder="RT-2026-000001" path="/returns/" />
      <ProblemBox error={list.error} />
      <DataTable
        caption={customerId ? t('listCaptionCustomer', { customer: customerId }) : t('listCaptionStatus', { status: statusLabel(locale, status) })}
        rows={list.items}
        rowKey={(r) => r.returnId}
        columns={[
          { header: t('number'), cell: (r) => <Nowrap><Link to={`/returns/${r.returnId}`}>{r.returnId}</Link></Nowrap> },
          { header: tc('customer'), cell: (r) => r.customerName },
          { header: t('kind'), cell: (r) => t(`kind.${r.kind}`) },
          { header: tc('status'), cell: (r) => <StatusBadge code={r.status} /> },
          { header: t('invoice'), cell: (r) => <Nowrap><ReferenceLink reference={r.invoiceId} /></Nowrap> },
          { header: t('value'), cell: (r) => <Money value={r.value} />, className: 'num' },
          { header: t('requestedBy'), cell: (r) => <>{r.createdBy.name} · <DateTimeText value={r.createdAt} /></> },
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} />
    </PageFrame>
  );
}
