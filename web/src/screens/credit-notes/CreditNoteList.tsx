/** Credit notes (折让单, R-BILL-4): a customer's credit notes, newest first, narrowed by status; find one by its number. */
import { Link, useSearchParams } from 'react-router';
import { query, type Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { DataTable, DateText, FindByNumber, LoadMore, Money, Page as PageFrame, ProblemBox, SelectField, StatusBadge } from '../../components/ui.js';
import { usePaged } from '../../hooks.js';
import { common, statusLabel } from '../../i18n/common.js';
import { useLocale, useT } from '../../i18n/index.js';
import { CustomerField, Nowrap, ReferenceLink, financeMessages, useDraft, LedgerLink } from '../billing/shared.js';
import { CREDIT_NOTE_STATUSES, creditNoteMessages as m, type CreditNote } from './messages.js';

export function CreditNoteList() {
  const { api, can } = useApp();
  const t = useT(m);
  const tf = useT(financeMessages);
  const tc = useT(common);
  const { locale } = useLocale();
  const [params, setParams] = useSearchParams();
  const filters = { customerId: params.get('customerId') ?? '', status: params.get('status') ?? '' };
  const [draft, setDraft] = useDraft(filters, params.toString());
  const list = usePaged<CreditNote>(
    (cursor, signal) => (filters.customerId ? api.get<Page<CreditNote>>(`/credit-notes${query({ ...filters, limit: 25, cursor })}`, { signal }) : Promise.resolve({ items: [], nextCursor: null })),
    [params.toString()],
  );

  return (
    <PageFrame
      title={t('title')}
      actions={
        <>
          {filters.customerId ? <LedgerLink className="button secondary" customerId={filters.customerId} /> : null}
          {can('requestCreditNote') ? (
            <Link className="button" to="/credit-notes/new">
              {t('request')}
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
          const next = new URLSearchParams();
          for (const [k, v] of Object.entries(draft)) if (v.trim()) next.set(k, v.trim().toUpperCase());
          setParams(next);
        }}
      >
        <CustomerField value={draft.customerId} onChange={(v) => setDraft({ ...draft, customerId: v })} />
        <SelectField label={tc('status')} value={draft.status} onChange={(v) => setDraft({ ...draft, status: v })} blank={tc('all')} options={CREDIT_NOTE_STATUSES.map((s) => ({ value: s, label: statusLabel(locale, s) }))} />
        <div className="filter-buttons">
          <button type="submit">{tc('filter')}</button>
        </div>
      </form>
      <FindByNumber label={t('findByNumber')} placeholder="CN-2026-000001" path="/credit-notes/" />
      <ProblemBox error={list.error} />
      {filters.customerId ? (
        <>
          <DataTable
            caption={`${t('listCaption')} · ${filters.customerId}`}
            rows={list.items}
            rowKey={(c) => c.creditNoteId}
            columns={[
              { header: t('number'), cell: (c) => <Nowrap><Link to={`/credit-notes/${c.creditNoteId}`}>{c.creditNoteId}</Link></Nowrap> },
              { header: t('source'), cell: (c) => t(`source.${c.source}`) },
              { header: tc('status'), cell: (c) => <StatusBadge code={c.status} /> },
              { header: t('invoice'), cell: (c) => <Nowrap><ReferenceLink reference={c.invoiceId} /></Nowrap> },
              { header: t('amount'), cell: (c) => <Money value={c.amount} />, className: 'num' },
              { header: t('issuedOn'), cell: (c) => <DateText value={c.issuedOn} /> },
              { header: tf('reason'), cell: (c) => c.reason },
            ]}
          />
          <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} />
        </>
      ) : (
        <p className="notice">{tf('pickCustomerFirst')}</p>
      )}
    </PageFrame>
  );
}
