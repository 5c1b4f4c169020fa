/**
 * One product: what an order line is checked against (specifications, unit and precision, tax
 * rate, sellable), its status and every change (R-INFO-3). The sales manager and admin change it
 * (with the version read, so two people cannot overwrite each other) or retire it with a reason.
 */
import { useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api.js';
import { useApp } from '../../app-context.js';
import { DateTimeText, Definition, HistorySection, Loading, Page as PageFrame, ProblemBox, Section, StatusBadge, TextArea } from '../../components/ui.js';
import { useRecordWithHistory } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { useLocale, useT } from '../../i18n/index.js';
import { catalogueMessages as m } from './messages.js';
import { TaxRate, type Product } from './shared.js';

export function ProductDetail() {
  const { productCode = '' } = useParams();
  const { can } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const { fmt } = useLocale();
  const location = useLocation();
  const navigate = useNavigate();
  const notice = (location.state as { notice?: 'saved' } | null)?.notice;
  const [product, history] = useRecordWithHistory<Product>(`/products/${encodeURIComponent(productCode)}`, 'getProductHistory');
  const [retiring, setRetiring] = useState(false);

  if (!product.data) return product.error ? <ProblemBox error={product.error} /> : <Loading />;
  const p = product.data;
  const active = p.status === 'ACTIVE';
  return (
    <PageFrame
      title={
        <>
          {p.name} <StatusBadge code={p.status} />
        </>
      }
      subtitle={`${p.productCode} · ${t(`typeShort.${p.productType}`)}`}
      actions={
        <>
          {can('getProductStock') ? (
            <Link className="button secondary" to={`/stock/${p.productCode}`}>
              {t('stock')}
            </Link>
          ) : null}
          {active && can('updateProduct') ? (
            <Link className="button" to={`/products/${p.productCode}/edit`}>
              {t('edit')}
            </Link>
          ) : null}
          {active && can('retireProduct') ? (
            <button type="button" className="secondary" aria-expanded={retiring} aria-controls="retire-form" onClick={() => setRetiring((v) => !v)}>
              {t('retire')}
            </button>
          ) : null}
        </>
      }
    >
      {notice ? (
        <p className="notice" role="status">
          {t(notice)}
        </p>
      ) : null}
      {!active ? <p className="notice">{t('retiredNotice')}</p> : null}
      {retiring ? (
        <RetireForm
          product={p}
          onDone={() => {
            setRetiring(false);
            // The "saved" notice of an earlier change no longer applies.
            navigate(`/products/${p.productCode}`, { replace: true });
            product.reload();
          }}
          onCancel={() => setRetiring(false)}
        />
      ) : null}
      <div className="two-columns">
        <Section title={tc('details')}>
          <Definition
            items={[
              [t('productCode'), p.productCode],
              [t('name'), p.name],
              [t('description'), p.description || '—'],
              [t('productType'), t(`type.${p.productType}`)],
              [t('unitAndPrecision'), `${p.unit} · ${t('precision', { n: p.quantityScale })}`],
              [t('taxRate'), <TaxRate key="tax" basisPoints={p.taxRateBasisPoints} />],
              [t('sellable'), p.sellable ? tc('yes') : tc('no')],
              [t('leadTimeShort'), t('days', { n: p.leadTimeDays })],
              [t('weightShort'), p.weightKgPerUnit ? `${fmt.number(p.weightKgPerUnit)} kg` : '—'],
              [t('version'), p.version],
              [t('created'), <span key="c"><DateTimeText value={p.createdAt} /> · {p.createdBy.name}</span>],
              [t('updated'), <span key="u"><DateTimeText value={p.updatedAt} /> · {p.updatedBy.name}</span>],
            ]}
          />
        </Section>
        <Section title={t('specifications')}>
          <ul className="plain">
            {p.specifications.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </Section>
      </div>
      <HistorySection history={history} />
    </PageFrame>
  );
}

function RetireForm({ product, onDone, onCancel }: { product: Product; onDone(): void; onCancel(): void }) {
  const { api } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <form
      id="retire-form"
      className="card form"
      aria-label={t('retireTitle')}
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        api
          .post(`/products/${product.productCode}/retirement`, { reason: reason.trim() }, { ifMatch: `"${product.version}"` })
          .then(onDone, setError)
          .finally(() => setBusy(false));
      }}
    >
      <h2>{t('retireTitle')}</h2>
      <p>{t('retireNote')}</p>
      <TextArea label={t('retireReason')} name="reason" value={reason} onChange={setReason} error={fields.reason} required />
      <ProblemBox error={error} />
      <div className="form-actions">
        <button type="submit" className="danger" disabled={busy} aria-busy={busy}>
          {t('confirmRetire')}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {tc('cancel')}
        </button>
      </div>
    </form>
  );
}
