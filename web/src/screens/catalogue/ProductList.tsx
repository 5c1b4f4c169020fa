/** The catalogue (R-INTAKE-5): search by name, filter by type, retired products on request; maintainers add products. */
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { query, type Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { DataTable, LoadMore, Page as PageFrame, ProblemBox, SelectField, StatusBadge, TextField } from '../../components/ui.js';
import { usePaged } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { CheckboxField } from './CheckboxField.js';
import { catalogueMessages as m } from './messages.js';
import { PRODUCT_TYPES, TaxRate, type Product } from './shared.js';

export function ProductList() {
  const { api, can } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const [params, setParams] = useSearchParams();
  const filters = { q: params.get('q') ?? '', productType: params.get('productType') ?? '', sellable: params.get('sellable') ?? '', includeRetired: params.get('includeRetired') === 'true' };
  const [draft, setDraft] = useState(filters);
  const list = usePaged<Product>(
    (cursor, signal) => api.get<Page<Product>>(`/products${query({ q: filters.q, productType: filters.productType, sellable: filters.sellable, includeRetired: filters.includeRetired ? 'true' : undefined, limit: 50, cursor })}`, { signal }),
    [params.toString()],
  );

  return (
    <PageFrame
      title={t('title')}
      actions={
        can('createProduct') ? (
          <Link className="button" to="/products/new">
            {t('newProduct')}
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
          if (draft.q.trim()) next.set('q', draft.q.trim());
          if (draft.productType) next.set('productType', draft.productType);
          if (draft.sellable) next.set('sellable', draft.sellable);
          if (draft.includeRetired) next.set('includeRetired', 'true');
          setParams(next);
        }}
      >
        <TextField label={t('nameSearch')} name="q" value={draft.q} onChange={(v) => setDraft({ ...draft, q: v })} />
        <SelectField label={t('productType')} name="productType" value={draft.productType} onChange={(v) => setDraft({ ...draft, productType: v })} blank={tc('all')} options={PRODUCT_TYPES.map((p) => ({ value: p, label: t(`typeShort.${p}`) }))} />
        <SelectField
          label={t('sellable')}
          name="sellable"
          value={draft.sellable}
          onChange={(v) => setDraft({ ...draft, sellable: v })}
          blank={tc('all')}
          options={[
            { value: 'true', label: t('sellable') },
            { value: 'false', label: t('notSellable') },
          ]}
        />
        <CheckboxField label={t('includeRetired')} name="includeRetired" checked={draft.includeRetired} onChange={(v) => setDraft({ ...draft, includeRetired: v })} />
        <div className="filter-buttons">
          <button type="submit">{tc('search')}</button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setDraft({ q: '', productType: '', sellable: '', includeRetired: false });
              setParams(new URLSearchParams());
            }}
          >
            {tc('clear')}
          </button>
        </div>
      </form>
      <ProblemBox error={list.error} />
      <DataTable
        caption={t('listCaption')}
        rows={list.items}
        rowKey={(p) => p.productCode}
        columns={[
          { header: t('productCode'), cell: (p) => <Link to={`/products/${p.productCode}`}>{p.productCode}</Link>, className: 'nowrap' },
          { header: t('name'), cell: (p) => p.name },
          { header: t('productType'), cell: (p) => t(`typeShort.${p.productType}`), className: 'nowrap' },
          { header: t('specifications'), cell: (p) => p.specifications.join('、') },
          { header: t('unit'), cell: (p) => p.unit },
          { header: t('taxRate'), cell: (p) => <TaxRate basisPoints={p.taxRateBasisPoints} />, className: 'num' },
          { header: t('sellable'), cell: (p) => (p.sellable ? tc('yes') : tc('no')) },
          { header: tc('status'), cell: (p) => <StatusBadge code={p.status} /> },
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} />
    </PageFrame>
  );
}
