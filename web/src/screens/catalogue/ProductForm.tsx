/**
 * A new product, or a change to one (sales manager, admin). A change sends only what changed, with
 * If-Match on the version read; the API checks every field and its messages appear next to them.
 */
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiError, newIdempotencyKey } from '../../api.js';
import { useApp } from '../../app-context.js';
import { Field, Loading, Page as PageFrame, ProblemBox, SelectField, TextArea, TextField } from '../../components/ui.js';
import { useResource } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { CheckboxField } from './CheckboxField.js';
import { catalogueMessages as m } from './messages.js';
import { PRODUCT_TYPES, basisPointsToPercent, fieldError, percentToBasisPoints, type Product } from './shared.js';

interface Draft {
  productCode: string;
  name: string;
  description: string;
  specifications: string;
  unit: string;
  quantityScale: string;
  productType: string;
  taxRate: string;
  sellable: boolean;
  leadTimeDays: string;
  weightKgPerUnit: string;
}

function draftOf(p: Product | undefined): Draft {
  return {
    productCode: p?.productCode ?? '',
    name: p?.name ?? '',
    description: p?.description ?? '',
    specifications: p?.specifications.join('\n') ?? '',
    unit: p?.unit ?? '',
    quantityScale: p ? String(p.quantityScale) : '0',
    productType: p?.productType ?? 'manufactured',
    taxRate: p ? basisPointsToPercent(p.taxRateBasisPoints) : '13',
    sellable: p?.sellable ?? true,
    leadTimeDays: p ? String(p.leadTimeDays) : '0',
    weightKgPerUnit: p?.weightKgPerUnit ?? '',
  };
}

/** A whole number as typed, or the text itself so the API names the field. */
const int = (text: string): number | string => (/^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : text);

/** The draft as the API reads it: numbers as numbers, a percent as basis points. */
function bodyOf(d: Draft): Record<string, unknown> {
  const bp = percentToBasisPoints(d.taxRate);
  return {
    name: d.name.trim(),
    description: d.description.trim(),
    specifications: d.specifications
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean),
    unit: d.unit.trim(),
    quantityScale: int(d.quantityScale),
    productType: d.productType,
    taxRateBasisPoints: bp ?? d.taxRate,
    sellable: d.sellable,
    leadTimeDays: int(d.leadTimeDays),
    weightKgPerUnit: d.weightKgPerUnit.trim(),
  };
}

export function ProductForm() {
  const { productCode } = useParams();
  const { api } = useApp();
  const existing = useResource((signal) => (productCode ? api.get<Product>(`/products/${encodeURIComponent(productCode)}`, { signal }) : Promise.resolve(undefined)), [productCode]);
  if (productCode && !existing.data) return existing.error ? <ProblemBox error={existing.error} /> : <Loading />;
  return <ProductFormBody key={productCode ?? 'new'} product={existing.data} />;
}

function ProductFormBody({ product }: { product: Product | undefined }) {
  const { api } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const navigate = useNavigate();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [draft, setDraft] = useState(() => draftOf(product));
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [unchanged, setUnchanged] = useState(false);
  const fields = error instanceof ApiError ? error.fields : {};
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  const save = async () => {
    setError(undefined);
    setUnchanged(false);
    const body = bodyOf(draft);
    let request: Promise<Product>;
    if (product) {
      // Only what changed: an untouched field is not sent, so it cannot overwrite another's change.
      const before = bodyOf(draftOf(product));
      const changes = Object.fromEntries(Object.entries(body).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k])));
      if (!Object.keys(changes).length) {
        setUnchanged(true);
        return;
      }
      request = api.patch<Product>(`/products/${product.productCode}`, changes, { ifMatch: `"${product.version}"` });
    } else {
      const create: Record<string, unknown> = { productCode: draft.productCode.trim().toUpperCase(), ...body };
      if (!draft.description.trim()) delete create.description;
      if (!draft.weightKgPerUnit.trim()) delete create.weightKgPerUnit;
      request = api.post<Product>('/products', create, { idempotencyKey });
    }
    setBusy(true);
    try {
      const saved = await request;
      navigate(`/products/${saved.productCode}`, { replace: Boolean(product), state: { notice: 'saved' } });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageFrame title={product ? t('editTitle', { code: product.productCode }) : t('createTitle')} subtitle={product?.name}>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="form-grid">
          {product ? null : <TextField label={t('productCode')} name="productCode" value={draft.productCode} onChange={(v) => set({ productCode: v })} hint={t('productCodeHint')} error={fields.productCode} required />}
          <TextField label={t('name')} name="name" value={draft.name} onChange={(v) => set({ name: v })} error={fields.name} required />
          <SelectField label={t('productType')} name="productType" value={draft.productType} onChange={(v) => set({ productType: v })} options={PRODUCT_TYPES.map((p) => ({ value: p, label: t(`type.${p}`) }))} error={fields.productType} />
          <TextField label={t('unit')} name="unit" value={draft.unit} onChange={(v) => set({ unit: v })} hint={t('unitHint')} error={fields.unit} required />
          <TextField label={t('quantityScale')} name="quantityScale" inputMode="numeric" value={draft.quantityScale} onChange={(v) => set({ quantityScale: v })} hint={t('quantityScaleHint')} error={fields.quantityScale} />
          <TextField label={t('taxRatePercent')} name="taxRate" inputMode="decimal" value={draft.taxRate} onChange={(v) => set({ taxRate: v })} hint={t('taxRateHint')} error={fields.taxRateBasisPoints} />
          <TextField label={t('leadTime')} name="leadTimeDays" inputMode="numeric" value={draft.leadTimeDays} onChange={(v) => set({ leadTimeDays: v })} error={fields.leadTimeDays} />
          <TextField label={t('weight')} name="weightKgPerUnit" inputMode="decimal" value={draft.weightKgPerUnit} onChange={(v) => set({ weightKgPerUnit: v })} error={fields.weightKgPerUnit} />
          <CheckboxField label={t('sellable')} name="sellable" checked={draft.sellable} onChange={(v) => set({ sellable: v })} error={fields.sellable} />
        </div>
        <Field label={t('specifications')} hint={t('specificationsHint')} error={fieldError(fields, 'specifications')}>
          {(a) => <textarea {...a} name="specifications" rows={5} value={draft.specifications} onChange={(e) => set({ specifications: e.target.value })} />}
        </Field>
        <TextArea label={t('description')} name="description" value={draft.description} onChange={(v) => set({ description: v })} error={fields.description} />
        {unchanged ? (
          <p className="notice" role="status">
            {t('nothingChanged')}
          </p>
        ) : null}
        <ProblemBox error={error} />
        <div className="form-actions">
          <button type="submit" disabled={busy} aria-busy={busy}>
            {tc('save')}
          </button>
          <button type="button" className="secondary" onClick={() => navigate(-1)}>
            {tc('cancel')}
          </button>
        </div>
      </form>
    </PageFrame>
  );
}
