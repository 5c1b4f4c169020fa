/**
 * Price lists (R-PRICE-1, R-PRICE-2): the general list and regular customers' own lists, each with
 * its latest version's approval state and the version in force today. A sales clerk can start a
 * customer's own list.
 */
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { query, type Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { DataTable, DateText, DateTimeText, LoadMore, Page as PageFrame, ProblemBox, Section, SelectField, StatusBadge } from '../../components/ui.js';
import { usePaged, useResource } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { pricingMessages as m } from './messages.js';
import { priceListName, refOf, type PriceListSummary } from './shared.js';

export function PriceLists() {
  const { api, can } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const [params, setParams] = useSearchParams();
  const kind = params.get('kind') ?? '';
  const list = usePaged<PriceListSummary>((cursor, signal) => api.get<Page<PriceListSummary>>(`/price-lists${query({ kind, limit: 50, cursor })}`, { signal }), [kind]);

  return (
    <PageFrame title={t('title')}>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          label={t('kind')}
          name="kind"
          value={kind}
          onChange={(v) => setParams(v ? new URLSearchParams({ kind: v }) : new URLSearchParams())}
          blank={tc('all')}
          options={(['general', 'customer'] as const).map((k) => ({ value: k, label: t(`kind.${k}`) }))}
        />
      </form>
      <ProblemBox error={list.error} />
      <DataTable
        caption={t('listCaption')}
        rows={list.items}
        rowKey={(p) => p.priceListId}
        columns={[
          { header: t('priceList'), cell: (p) => <Link to={`/price-lists/${refOf(p.priceListId)}`}>{priceListName(t, p)}</Link> },
          { header: t('kind'), cell: (p) => t(`kind.${p.kind}`) },
          { header: t('latestVersion'), cell: (p) => <span>{t('versionShort', { n: p.latestVersion })} <StatusBadge code={p.latestStatus} /></span>, className: 'nowrap' },
          {
            header: t('inForce'),
            cell: (p) =>
              p.inForce ? (
                <span>
                  {t('versionShort', { n: p.inForce.version })} · <DateText value={p.inForce.effectiveFrom} />
                </span>
              ) : (
                <span className="muted">{t('noneInForce')}</span>
              ),
          },
          { header: t('currency'), cell: (p) => p.currency },
          { header: t('updated'), cell: (p) => <DateTimeText value={p.updatedAt} /> },
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} />
      {can('createPriceListVersion') && can('listCustomers') ? <StartCustomerList existing={list.items.map((p) => p.customerId).filter((c): c is string => Boolean(c))} /> : null}
    </PageFrame>
  );
}

interface CustomerOption {
  customerId: string;
  name: string;
}

/** R-PRICE-2: a regular customer's own list starts with its first version. */
function StartCustomerList({ existing }: { existing: string[] }) {
  const { api } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const navigate = useNavigate();
  const customers = useResource((signal) => api.get<Page<CustomerOption>>('/customers?limit=100', { signal }), []);
  const [customerId, setCustomerId] = useState('');
  return (
    <Section title={t('newCustomerList')}>
      <form
        className="form-inline"
        onSubmit={(e) => {
          e.preventDefault();
          if (customerId) navigate(`/price-lists/${customerId}/versions/new`, { state: { firstVersion: true } });
        }}
      >
        <SelectField
          label={tc('customer')}
          name="customerId"
          value={customerId}
          onChange={setCustomerId}
          blank={t('chooseCustomer')}
          options={(customers.data?.items ?? []).filter((c) => !existing.includes(c.customerId)).map((c) => ({ value: c.customerId, label: `${c.customerId} ${c.name}` }))}
        />
        <button type="submit" disabled={!customerId}>
          {t('start')}
        </button>
      </form>
      <ProblemBox error={customers.error} />
    </Section>
  );
}
