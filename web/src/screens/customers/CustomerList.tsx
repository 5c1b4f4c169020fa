/** The customer archive: search by name, filter by class; a rep sees own customers only. */
import { useState } from 'react';
import { Link } from 'react-router';
import { query, type Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { DataTable, LoadMore, Page as PageFrame, ProblemBox, SelectField, StatusBadge, TextField } from '../../components/ui.js';
import { usePaged } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { customerMessages as m } from './messages.js';

interface CustomerSummary {
  customerId: string;
  name: string;
  region: string;
  class: string;
  ownerRepId: string;
  creditStatus?: string;
}

export function CustomerList() {
  const { api } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const [filters, setFilters] = useState({ q: '', class: '' });
  const [applied, setApplied] = useState(filters);
  const list = usePaged<CustomerSummary>((cursor, signal) => api.get<Page<CustomerSummary>>(`/customers${query({ ...applied, limit: 25, cursor })}`, { signal }), [applied]);
  return (
    <PageFrame title={t('title')}>
      <form
        className="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ q: filters.q.trim(), class: filters.class });
        }}
      >
        <TextField label={t('nameStartsWith')} value={filters.q} onChange={(q) => setFilters({ ...filters, q })} />
        <SelectField label={t('class')} value={filters.class} onChange={(v) => setFilters({ ...filters, class: v })} blank={tc('all')} options={['key', 'regular', 'new', 'dormant'].map((c) => ({ value: c, label: t(`class.${c}` as keyof typeof m & string) }))} />
        <div className="filter-buttons">
          <button type="submit">{tc('search')}</button>
        </div>
      </form>
      <ProblemBox error={list.error} />
      <DataTable
        caption={t('title')}
        rows={list.items}
        rowKey={(c) => c.customerId}
        columns={[
          { header: t('number'), cell: (c) => <Link to={`/customers/${c.customerId}`}>{c.customerId}</Link> },
          { header: t('name'), cell: (c) => c.name },
          { header: t('region'), cell: (c) => c.region },
          { header: t('class'), cell: (c) => t(`class.${c.class}` as keyof typeof m & string) },
          { header: t('owner'), cell: (c) => c.ownerRepId },
          { header: t('creditStatus'), cell: (c) => <StatusBadge code={c.creditStatus} /> },
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} />
    </PageFrame>
  );
}
