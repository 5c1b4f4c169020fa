/**
 * Statements (对账单, R-BILL-6): a month's statements, customer by customer (back office), or one
 * customer's statements, newest month first; status narrows either.
 */
import { Link, useSearchParams } from 'react-router';
import { query, type Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { DataTable, DateTimeText, Field, LoadMore, Money, Page as PageFrame, ProblemBox, SelectField, StatusBadge } from '../../components/ui.js';
import { usePaged } from '../../hooks.js';
import { common, statusLabel } from '../../i18n/common.js';
import { useLocale, useT } from '../../i18n/index.js';
import { CustomerField, Nowrap, businessToday, useDraft } from '../billing/shared.js';
import { STATEMENT_STATUSES, statementMessages as m, type StatementSummary } from './messages.js';

/** The month before the business day's month: the statements the month-end job made last. */
function lastMonth(today: string): string {
  const [y, mo] = today.split('-').map(Number) as [number, number];
  return mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`;
}

export function StatementList() {
  const { api, config } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const { locale } = useLocale();
  const [params, setParams] = useSearchParams();
  const customerId = params.get('customerId') ?? '';
  const filters = { customerId, month: customerId ? '' : (params.get('month') ?? lastMonth(businessToday(config.timeZone))), status: params.get('status') ?? '' };
  const [draft, setDraft] = useDraft({ by: customerId ? 'customer' : 'month', ...filters }, params.toString());
  const list = usePaged<StatementSummary>((cursor, signal) => api.get<Page<StatementSummary>>(`/statements${query({ ...filters, limit: 50, cursor })}`, { signal }), [params.toString(), filters.month]);

  return (
    <PageFrame title={t('title')}>
      <form
        className="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const next = new URLSearchParams();
          if (draft.by === 'customer' && draft.customerId.trim()) next.set('customerId', draft.customerId.trim().toUpperCase());
          else if (draft.month) next.set('month', draft.month);
          if (draft.status) next.set('status', draft.status);
          setParams(next);
        }}
      >
        <SelectField
          label={t('listBy')}
          value={draft.by}
          onChange={(v) => setDraft({ ...draft, by: v })}
          options={[
            { value: 'month', label: t('byMonth') },
            { value: 'customer', label: t('byCustomer') },
          ]}
        />
        {draft.by === 'customer' ? (
          <CustomerField value={draft.customerId} onChange={(v) => setDraft({ ...draft, customerId: v })} />
        ) : (
          <Field label={t('month')}>{(a) => <input {...a} type="month" value={draft.month} onChange={(e) => setDraft({ ...draft, month: e.target.value })} />}</Field>
        )}
        <SelectField label={tc('status')} value={draft.status} onChange={(v) => setDraft({ ...draft, status: v })} blank={tc('all')} options={STATEMENT_STATUSES.map((s) => ({ value: s, label: statusLabel(locale, s) }))} />
        <div className="filter-buttons">
          <button type="submit">{tc('filter')}</button>
        </div>
      </form>
      <ProblemBox error={list.error} />
      <DataTable
        caption={filters.customerId ? t('captionCustomer', { customer: filters.customerId }) : t('captionMonth', { month: filters.month })}
        rows={list.items}
        rowKey={(s) => s.statementId}
        columns={[
          { header: t('number'), cell: (s) => <Nowrap><Link to={`/statements/${s.statementId}`}>{s.statementId}</Link></Nowrap> },
          { header: tc('customer'), cell: (s) => s.customerName },
          { header: t('month'), cell: (s) => s.month },
          { header: tc('status'), cell: (s) => <StatusBadge code={s.status} /> },
          { header: t('opening'), cell: (s) => <Money value={s.opening} />, className: 'num' },
          { header: t('closing'), cell: (s) => <Money value={s.closing} />, className: 'num' },
          { header: t('openTotal'), cell: (s) => <Money value={s.openTotal} />, className: 'num' },
          { header: t('generatedAt'), cell: (s) => <DateTimeText value={s.generatedAt} /> },
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} />
    </PageFrame>
  );
}
