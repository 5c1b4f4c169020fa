/** Invoices (发票, R-BILL-1): a customer's invoices, newest first, open or paid; find one by its number. */
import { Link, useSearchParams } from 'react-router';
import { query, type Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { DataTable, DateText, FindByNumber, LoadMore, Money, Page as PageFrame, ProblemBox, SelectField, StatusBadge } from '../../components/ui.js';
import { usePaged } from '../../hooks.js';
import { common, statusLabel } from '../../i18n/common.js';
import { defineMessages, useLocale, useT } from '../../i18n/index.js';
import { CustomerField, Nowrap, ReferenceLink, businessToday, financeMessages, type Invoice, useDraft, LedgerLink } from './shared.js';

const m = defineMessages({
  title: ['发票', 'Invoices'],
  listCaption: ['客户发票（最新在前）', "The customer's invoices, newest first"],
  findByNumber: ['按发票号查找', 'Find by invoice number'],
  go: ['打开', 'Open'],
  overdue: ['已逾期', 'Overdue'],
});

const INVOICE_STATUSES = ['OPEN', 'PAID'];

export function InvoiceList() {
  const { api, config } = useApp();
  const t = useT(m);
  const tf = useT(financeMessages);
  const tc = useT(common);
  const { locale } = useLocale();
  const [params, setParams] = useSearchParams();
  const filters = { customerId: params.get('customerId') ?? '', status: params.get('status') ?? '' };
  const [draft, setDraft] = useDraft(filters, params.toString());
  const today = businessToday(config.timeZone);
  const list = usePaged<Invoice>(
    (cursor, signal) => (filters.customerId ? api.get<Page<Invoice>>(`/invoices${query({ ...filters, limit: 25, cursor })}`, { signal }) : Promise.resolve({ items: [], nextCursor: null })),
    [params.toString()],
  );

  return (
    <PageFrame title={t('title')} actions={
        filters.customerId ? <LedgerLink className="button secondary" customerId={filters.customerId} /> : null
      }>
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
        <SelectField label={tc('status')} value={draft.status} onChange={(v) => setDraft({ ...draft, status: v })} blank={tc('all')} options={INVOICE_STATUSES.map((s) => ({ value: s, label: statusLabel(locale, s) }))} />
        <div className="filter-buttons">
          <button type="submit">{tc('filter')}</button>
        </div>
      </form>
      <FindByNumber label={t('findByNumber')} placeholder="INV-2026-000001" path="/invoices/" />
      <ProblemBox error={list.error} />
      {filters.customerId ? (
        <>
          <DataTable
            caption={`${t('listCaption')} · ${list.items[0]?.customerName ?? filters.customerId}`}
            rows={list.items}
            rowKey={(i) => i.invoiceId}
            columns={[
              { header: tf('invoiceNo'), cell: (i) => <Nowrap><Link to={`/invoices/${i.invoiceId}`}>{i.invoiceId}</Link></Nowrap> },
              { header: tc('status'), cell: (i) => <StatusBadge code={i.status} /> },
              { header: tf('issuedOn'), cell: (i) => <DateText value={i.issuedOn} /> },
              {
                header: tf('dueDate'),
                cell: (i) => (
                  <>
                    <DateText value={i.dueDate} />
                    {i.status === 'OPEN' && i.dueDate < today ? <> <span className="badge badge-exception">{t('overdue')}</span></> : null}
                  </>
                ),
              },
              { header: tf('gross'), cell: (i) => <Money value={i.gross} />, className: 'num' },
              { header: tf('outstanding'), cell: (i) => <Money value={i.outstanding} />, className: 'num' },
              { header: tf('order'), cell: (i) => <Nowrap><ReferenceLink reference={i.orderId} /></Nowrap> },
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
