/** One customer: the archive, the credit panel (limit, exposure, available, overdue, hold) and every change. */
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useApp } from '../../app-context.js';
import { DataTable, DateText, Definition, HistoryList, Loading, Money, Page as PageFrame, ProblemBox, Section, StatusBadge, TextArea } from '../../components/ui.js';
import { useRecordWithHistory, useResource } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { useT, type MoneyValue } from '../../i18n/index.js';
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
      <Section title={tc('history')}>
        <HistoryList entries={history.data?.items ?? []} />
      </Section>
    </PageFrame>
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
