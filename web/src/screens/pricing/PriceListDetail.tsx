/**
 * One price list: its versions with their approval state, one version's prices (list and minimum
 * price per product and specification) with who submitted, reviewed, approved or returned it, and
 * every change to the list (R-INFO-3). The sales clerk drafts, edits and submits versions; the
 * reviewers decide in My tasks, whose links lead here.
 */
import { useState, type ReactNode } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { ApiError, type Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { DataTable, DateText, DateTimeText, Definition, HistorySection, LoadMore, Loading, Money, Page as PageFrame, ProblemBox, Section, StatusBadge, type HistoryEntry } from '../../components/ui.js';
import { usePaged, useResource } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { pricingMessages as m } from './messages.js';
import { EDITABLE, priceListName, refOf, type PriceListVersion, type PriceListVersionSummary } from './shared.js';

interface ProductName {
  productCode: string;
  name: string;
}

export function PriceListDetail() {
  const { priceListId = '' } = useParams();
  const ref = refOf(priceListId);
  // A fresh page per list: nothing of the list shown before (its versions, the version chosen) carries over.
  return <PriceListPage key={ref} priceListRef={ref} />;
}

function PriceListPage({ priceListRef: ref }: { priceListRef: string }) {
  const { api, can } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const location = useLocation();
  const [submitted, setSubmitted] = useState(false);
  const notice = submitted ? 'submittedNotice' : (location.state as { notice?: 'saved' } | null)?.notice;
  const [params] = useSearchParams();
  // Bumped after a submission, so the versions, the version shown and the history are read again.
  const [generation, setGeneration] = useState(0);
  const versions = usePaged<PriceListVersionSummary>((cursor, signal) => api.get<Page<PriceListVersionSummary>>(`/price-lists/${ref}/versions?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { signal }), [ref, generation]);
  const history = useResource((signal) => api.get<Page<HistoryEntry>>(`/price-lists/${ref}/history?limit=100`, { signal }), [ref, generation]);
  const latest = versions.items[0];
  const chosen = Number(params.get('version')) || latest?.version;
  const version = useResource((signal) => (chosen ? api.get<PriceListVersion>(`/price-lists/${ref}/versions/${chosen}`, { signal }) : Promise.resolve(undefined)), [ref, chosen, generation]);
  const products = useResource((signal) => (can('listProducts') ? api.get<Page<ProductName>>('/products?limit=100&includeRetired=true', { signal }) : Promise.resolve(undefined)), []);
  const productName = new Map((products.data?.items ?? []).map((p) => [p.productCode, p.name]));

  if (versions.loading && !versions.items.length && !versions.error) return <Loading />;
  // A customer without a list of its own yet: no versions, and the clerk may draft the first.
  const noList = versions.error instanceof ApiError && versions.error.status === 404;
  const named = latest ?? version.data;
  const title = named ? priceListName(t, named) : ref === 'GENERAL' ? t('generalName') : t('customerName', { name: ref });
  const mayStartNew = can('createPriceListVersion') && (!latest || latest.status === 'APPROVED');

  return (
    <PageFrame
      title={title}
      subtitle={named ? [named.kind === 'customer' ? named.customerId : undefined, named.kind === 'customer' ? t('kind.customer') : undefined, named.currency].filter(Boolean).join(' · ') : undefined}
      actions={
        mayStartNew ? (
          <Link className="button" to={`/price-lists/${ref}/versions/new`}>
            {t('newVersion')}
          </Link>
        ) : null
      }
    >
      {notice ? (
        <p className="notice" role="status">
          {t(notice)}
        </p>
      ) : null}
      {noList ? null : <ProblemBox error={versions.error} />}
      <Section title={t('versions')}>
        {named ? <p className="muted">{t('approvalChain')}：{named.kind === 'general' ? t('chainGeneral') : t('chainCustomer')}</p> : null}
        <DataTable
          caption={t('versionsCaption')}
          rows={versions.items}
          rowKey={(v) => String(v.version)}
          empty={t('noVersions')}
          columns={[
            {
              header: t('version'),
              cell: (v) =>
                v.version === chosen ? (
                  <strong aria-current="true">
                    {t('versionShort', { n: v.version })} <span className="visually-hidden">({t('showing')})</span>
                  </strong>
                ) : (
                  <Link to={{ search: `?version=${v.version}` }} replace>
                    {t('versionShort', { n: v.version })}
                  </Link>
                ),
            },
            { header: tc('status'), cell: (v) => <StatusBadge code={v.status} /> },
            { header: t('effectiveFrom'), cell: (v) => <DateText value={v.effectiveFrom} /> },
            { header: t('itemCount'), cell: (v) => v.itemCount, className: 'num' },
            { header: t('round'), cell: (v) => v.round, className: 'num' },
            { header: t('submitted'), cell: (v) => (v.submittedAt ? <span><DateTimeText value={v.submittedAt} /> · {v.submittedBy?.name}</span> : '—') },
            { header: t('approved'), cell: (v) => (v.approvedAt ? <span><DateTimeText value={v.approvedAt} /> · {v.approvedBy?.name}</span> : '—') },
          ]}
        />
        <LoadMore hasMore={versions.hasMore} loading={versions.loading} onClick={versions.loadMore} />
      </Section>
      {version.data ? <VersionView
          v={version.data}
          productName={productName}
          onSubmitted={() => {
            setSubmitted(true);
            setGeneration((g) => g + 1);
          }}
        /> : version.error ? <ProblemBox error={version.error} /> : chosen ? <Loading /> : null}
      <HistorySection history={history} />
    </PageFrame>
  );
}

function VersionView({ v, productName, onSubmitted }: { v: PriceListVersion; productName: Map<string, string>; onSubmitted(): void }) {
  const { api, can } = useApp();
  const t = useT(m);
  const ref = refOf(v.priceListId);
  const editable = EDITABLE.includes(v.status);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  // The submission takes no body; If-Match names the revision shown, so a version changed meanwhile is not submitted unseen.
  const submit = () => {
    setBusy(true);
    setError(undefined);
    api
      .request('POST', `/price-lists/${ref}/versions/${v.version}/submission`, undefined, { ifMatch: `"${v.revision}"` })
      .then(onSubmitted, setError)
      .finally(() => setBusy(false));
  };
  const waitingFor = v.status === 'IN_REVIEW' ? t('who.IN_REVIEW') : v.status === 'AWAITING_APPROVAL' ? t(v.kind === 'general' ? 'who.AWAITING_APPROVAL.general' : 'who.AWAITING_APPROVAL.customer') : undefined;
  return (
    <Section
      title={
        <>
          {t('versionShort', { n: v.version })} <StatusBadge code={v.status} />
        </>
      }
      actions={
        editable ? (
          <div className="page-actions">
            {can('updatePriceListVersion') ? (
              <Link className="button secondary" to={`/price-lists/${ref}/versions/${v.version}/edit`}>
                {t('editVersion')}
              </Link>
            ) : null}
            {can('submitPriceListVersion') ? (
              <button type="button" disabled={busy} aria-busy={busy} onClick={submit}>
                {t('submit')}
              </button>
            ) : null}
          </div>
        ) : null
      }
    >
      <ProblemBox error={error} />
      {waitingFor ? <p className="notice">{t('awaiting', { who: waitingFor })}</p> : null}
      {v.status === 'RETURNED' && v.returnReason ? (
        <p className="notice">
          {t('returnReason')}：{v.returnReason}
        </p>
      ) : null}
      <Definition
        items={[
          [t('effectiveFrom'), <DateText key="e" value={v.effectiveFrom} />],
          [t('currency'), v.currency],
          [t('round'), v.round],
          ...(v.basedOn ? ([[t('version'), t('basedOn', { n: v.basedOn })]] as [string, string][]) : []),
          [t('created'), <span key="c"><DateTimeText value={v.createdAt} /> · {v.createdBy.name}</span>],
          ...(v.submittedAt ? ([[t('submitted'), <span key="s"><DateTimeText value={v.submittedAt} /> · {v.submittedBy?.name}</span>]] as [string, ReactNode][]) : []),
          ...(v.reviewedAt
            ? ([[t('reviewed'), <span key="r"><DateTimeText value={v.reviewedAt} /> · {v.reviewedBy?.name}{v.reviewComment ? ` · ${v.reviewComment}` : ''}</span>]] as [string, ReactNode][])
            : []),
          ...(v.reviewEscalated ? ([[t('reviewed'), t('escalated')]] as [string, string][]) : []),
          ...(v.approvedAt
            ? ([[t('approved'), <span key="a"><DateTimeText value={v.approvedAt} /> · {v.approvedBy?.name}{v.approvalComment ? ` · ${v.approvalComment}` : ''}</span>]] as [string, ReactNode][])
            : []),
          ...(v.returnedAt ? ([[t('returned'), <span key="b"><DateTimeText value={v.returnedAt} /> · {v.returnedBy?.name}</span>]] as [string, ReactNode][]) : []),
        ]}
      />
      <h3>{t('items')}</h3>
      <DataTable
        caption={t('itemsCaption', { n: v.version })}
        rows={v.items}
        rowKey={(i) => `${i.productCode}|${i.specification ?? ''}`}
        columns={[
          { header: t('product'), cell: (i) => (can('getProduct') ? <Link to={`/products/${i.productCode}`}>{i.productCode}</Link> : i.productCode) },
          { header: t('productName'), cell: (i) => productName.get(i.productCode) ?? '—' },
          { header: t('specification'), cell: (i) => i.specification ?? <span className="muted">{t('allSpecifications')}</span> },
          { header: t('listPrice'), cell: (i) => <Money value={i.listPrice} />, className: 'num' },
          { header: t('minimumPrice'), cell: (i) => <Money value={i.minimumPrice} />, className: 'num' },
        ]}
      />
    </Section>
  );
}
