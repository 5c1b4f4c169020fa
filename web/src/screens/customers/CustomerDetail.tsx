/** One customer: the archive, the credit panel (limit, exposure, available, overdue, hold), every change and, for the sales manager and audit, who outside the owner rep read its data (R-INFO-2). */
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useApp } from '../../app-context.js';
import { query, type Page } from '../../api.js';
import { DataTable, DateText, DateTimeText, Definition, HistorySection, LoadMore, Loading, Money, Page as PageFrame, ProblemBox, Section, StatusBadge, TextArea } from '../../components/ui.js';
import { usePaged, useRecordWithHistory, useResource } from '../../hooks.js';
import { common, roleLabel } from '../../i18n/common.js';
import { useLocale, useT, type MoneyValue } from '../../i18n/index.js';
import { accessReadText, type AccessEntry } from './access-log.js';
import { customerMessages as m } from './messages.js';

interface Customer {
  customerId: string;
  name: string;
  region: string;
  class: string;
  ownerRepId: string;
  taxId?: string;
  industry?: string;
  businessScope?: string;
  fulfilmentMode?: string;
  contacts?: { name: string; phone?: string; email?: string; role?: string }[];
  addresses?: { label: string; line1: string; city: string; region: string }[];
  version: number;
}

interface Credit {
  creditStatus?: string;
  rating?: string;
  paymentTermsDays?: number;
  contract?: { number: string; validFrom: string; validTo: string };
  limit?: MoneyValue;
  exposure: MoneyValue;
  reservedForOrders: MoneyValue;
  receivables: MoneyValue;
  available?: MoneyValue;
  overdue: MoneyValue;
  hold: { reason?: string; since?: string } | null;
  openItems: { kind: string; reference: string; amount: MoneyValue; openedAt: string; dueDate?: string }[];
}

export function CustomerDetail() {
  const { customerId = '' } = useParams();
  const { api, can } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const [customer, history] = useRecordWithHistory<Customer>(`/customers/${customerId}`, 'getCustomerHistory');
  const credit = useResource((signal) => (can('getCustomerCredit') ? api.get<Credit>(`/customers/${customerId}/credit`, { signal }) : Promise.resolve(undefined)), [customerId]);
  const [reviewOpen, setReviewOpen] = useState(false);

  if (!customer.data) return customer.error ? <ProblemBox error={customer.error} /> : <Loading />;
  const c = customer.data;
  const cr = credit.data;
  return (
    <PageFrame
      title={c.name}
      subtitle={`${c.customerId} · ${c.region} · ${t(`class.${c.class}` as keyof typeof m & string)}`}
      actions={
        <>
          {can('listOrders') ? (
            <Link className="button secondary" to={`/orders?customerId=${c.customerId}`}>
              {t('orders')}
            </Link>
          ) : null}
          {can('requestCreditReview') ? (
            <button type="button" className="secondary" aria-expanded={reviewOpen} onClick={() => setReviewOpen((v) => !v)}>
              {t('requestReview')}
            </button>
          ) : null}
        </>
      }
    >
      {reviewOpen ? <CreditReviewRequest customerId={c.customerId} onDone={() => { setReviewOpen(false); credit.reload(); }} /> : null}
      <div className="two-columns">
        <Section title={t('archive')}>
          <Definition
            items={[
              [t('owner'), c.ownerRepId],
              [t('taxId'), c.taxId ?? '—'],
              [t('industry'), c.industry ?? '—'],
              [t('businessScope'), c.businessScope ?? '—'],
              [t('fulfilmentMode'), c.fulfilmentMode ?? '—'],
              [t('contacts'), (c.contacts ?? []).map((x) => `${x.name}${x.phone ? ` ${x.phone}` : ''}`).join('; ') || '—'],
              [t('addresses'), (c.addresses ?? []).map((a) => `${a.label}: ${a.line1}, ${a.city}`).join('; ') || '—'],
            ]}
          />
        </Section>
        {cr ? (
          <Section title={t('creditPanel')}>
            <div className={`credit-panel ${cr.hold ? 'on-hold' : ''}`}>
              <p className="credit-hold" role={cr.hold ? 'alert' : undefined}>
                {cr.hold ? t('onHold', { reason: cr.hold.reason ?? '' }) : t('noHold')}
              </p>
              <Definition
                items={[
                  [tc('status'), <StatusBadge key="s" code={cr.creditStatus} />],
                  [t('rating'), cr.rating ?? '—'],
                  [t('limit'), <Money key="l" value={cr.limit} />],
                  [t('exposure'), <Money key="e" value={cr.exposure} />],
                  [t('reservedForOrders'), <Money key="r" value={cr.reservedForOrders} />],
                  [t('receivables'), <Money key="rc" value={cr.receivables} />],
                  [t('available'), <strong key="a"><Money value={cr.available} /></strong>],
                  [t('overdue'), <Money key="o" value={cr.overdue} />],
                  [t('paymentTerms'), cr.paymentTermsDays !== undefined ? t('days', { n: cr.paymentTermsDays }) : '—'],
                  [t('contract'), cr.contract ? `${cr.contract.number} (${cr.contract.validFrom} – ${cr.contract.validTo})` : '—'],
                ]}
              />
            </div>
          </Section>
        ) : (
          <ProblemBox error={credit.error} />
        )}
      </div>
      {cr?.openItems.length ? (
        <Section title={t('openItems')}>
          <DataTable
            caption={t('openItems')}
            rows={cr.openItems}
            rowKey={(i) => `${i.kind}-${i.reference}`}
            columns={[
              { header: t('kind'), cell: (i) => i.kind },
              { header: t('reference'), cell: (i) => (i.kind === 'ORDER' ? <Link to={`/orders/${i.reference}`}>{i.reference}</Link> : i.reference) },
              { header: tc('amount'), cell: (i) => <Money value={i.amount} />, className: 'num' },
              { header: t('dueDate'), cell: (i) => <DateText value={i.dueDate} /> },
            ]}
          />
        </Section>
      ) : null}
      <HistorySection history={history} />
      {can('getCustomerAccessLog') ? <AccessLog customerId={c.customerId} version={c.version} /> : null}
    </PageFrame>
  );
}

/** Who outside the owner rep read this customer's data, or was refused it (R-INFO-2): the API's codes in words. */
function AccessLog({ customerId, version }: { customerId: string; version: number }) {
  const { api } = useApp();
  const { locale } = useLocale();
  const t = useT(m);
  const tc = useT(common);
  const log = usePaged<AccessEntry>((cursor, signal) => api.get<Page<AccessEntry>>(`/customers/${encodeURIComponent(customerId)}/access-log${query({ limit: 50, cursor })}`, { signal }), [customerId, version]);
  return (
    <Section title={t('accessLog')}>
      <ProblemBox error={log.error} />
      <DataTable
        caption={t('accessLogCaption')}
        rows={log.items}
        rowKey={(e) => `${e.at}-${e.by.userId}-${e.what}-${e.id ?? ''}`}
        columns={[
          { header: tc('when'), cell: (e) => <DateTimeText value={e.at} /> },
          { header: t('reader'), cell: (e) => `${e.by.name} (${e.roles.map((r) => roleLabel(locale, r)).join(', ')})` },
          { header: tc('what'), cell: (e) => accessReadText(locale, e) },
          { header: t('outcome'), cell: (e) => <StatusBadge code={e.outcome} /> },
        ]}
      />
      <LoadMore hasMore={log.hasMore} loading={log.loading} onClick={log.loadMore} />
    </Section>
  );
}

function CreditReviewRequest({ customerId, onDone }: { customerId: string; onDone(): void }) {
  const { api } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>();
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        api.post(`/customers/${customerId}/credit-reviews`, comment.trim() ? { comment: comment.trim() } : {}).then(onDone, setError);
      }}
    >
      <TextArea label={t('reason')} value={comment} onChange={setComment} />
      <ProblemBox error={error} />
      <button type="submit">{tc('submit')}</button>
    </form>
  );
}
