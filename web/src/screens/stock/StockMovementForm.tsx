/**
 * The warehouse's two stock entries: a receipt (goods from production, a supplier or a customer
 * return, with the document they came with) and an adjustment (to what was counted, with a
 * reason). Opened from a balance, the product, specification and warehouse are filled in.
 */
import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, newIdempotencyKey, type Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { Page as PageFrame, ProblemBox, SelectField, TextArea, TextField } from '../../components/ui.js';
import { useResource } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { useLocale, useT } from '../../i18n/index.js';
import { stockMessages as m } from './messages.js';
import type { StockMovement } from './shared.js';

interface ProductOption {
  productCode: string;
  name: string;
  unit: string;
  quantityScale: number;
  specifications: string[];
}

const SOURCES = ['PRODUCTION', 'PURCHASE', 'RETURN'] as const;

export function StockMovementForm({ kind }: { kind: 'receipt' | 'adjustment' }) {
  const { api } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const { fmt } = useLocale();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [productCode, setProductCode] = useState(params.get('productCode') ?? '');
  const [specification, setSpecification] = useState(params.get('specification') ?? '');
  const [warehouseId, setWarehouseId] = useState(params.get('warehouseId') ?? '');
  const [quantity, setQuantity] = useState('');
  const [source, setSource] = useState<string>('PRODUCTION');
  const [reference, setReference] = useState('');
  const [batch, setBatch] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const fields = error instanceof ApiError ? error.fields : {};

  const products = useResource((signal) => api.get<Page<ProductOption>>('/products?limit=100', { signal }), []);
  const productByCode = useMemo(() => new Map((products.data?.items ?? []).map((p) => [p.productCode, p])), [products.data]);
  const product = productByCode.get(productCode);
  const receipt = kind === 'receipt';

  const save = async () => {
    setBusy(true);
    setError(undefined);
    const what = {
      productCode,
      ...(specification ? { specification } : {}),
      ...(warehouseId.trim() ? { warehouseId: warehouseId.trim().toUpperCase() } : {}),
      quantity: quantity.trim(),
    };
    try {
      const movement = receipt
        ? await api.post<StockMovement>('/stock/receipts', { ...what, source, reference: reference.trim(), ...(batch.trim() ? { batch: batch.trim() } : {}) }, { idempotencyKey })
        : await api.post<StockMovement>('/stock/adjustments', { ...what, reason: reason.trim() }, { idempotencyKey });
      const recorded = t('recorded', { kind: t(`kind.${movement.kind}`), quantity: `${fmt.number(movement.quantity)} ${product?.unit ?? ''}`.trim() });
      navigate(`/stock/${productCode}`, { state: { recorded } });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageFrame title={receipt ? t('receiptTitle') : t('adjustmentTitle')} subtitle={receipt ? t('receiptNote') : t('adjustmentNote')}>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="form-grid">
          <SelectField
            label={t('product')}
            name="productCode"
            value={productCode}
            onChange={(v) => {
              setProductCode(v);
              setSpecification(productByCode.get(v)?.specifications[0] ?? '');
            }}
            blank={t('chooseProduct')}
            options={[
              ...(products.data?.items ?? []).map((p) => ({ value: p.productCode, label: `${p.productCode} ${p.name}` })),
              // Opened from a balance before the catalogue has loaded (or for a product no longer listed).
              ...(productCode && !productByCode.has(productCode) ? [{ value: productCode, label: productCode }] : []),
            ]}
            error={fields.productCode}
          />
          <SelectField
            label={t('specification')}
            name="specification"
            value={specification}
            onChange={setSpecification}
            blank={product?.specifications.length ? undefined : '—'}
            options={(product?.specifications ?? (specification ? [specification] : [])).map((s) => ({ value: s, label: s }))}
            error={fields.specification}
          />
          <TextField label={t('warehouse')} name="warehouseId" value={warehouseId} onChange={setWarehouseId} hint={t('warehouseHint')} error={fields.warehouseId} />
          <TextField
            label={`${receipt ? t('quantity') : t('adjustmentQuantity')}${product ? ` (${product.unit})` : ''}`}
            name="quantity"
            inputMode={receipt ? 'decimal' : 'text'}
            value={quantity}
            onChange={setQuantity}
            hint={receipt ? undefined : t('adjustmentHint')}
            error={fields.quantity}
            required
          />
          {receipt ? (
            <>
              <SelectField label={t('source')} name="source" value={source} onChange={setSource} options={SOURCES.map((s) => ({ value: s, label: t(`source.${s}`) }))} error={fields.source} />
              <TextField label={t('reference')} name="reference" value={reference} onChange={setReference} hint={t('referenceHint')} error={fields.reference} required />
              <TextField label={t('batch')} name="batch" value={batch} onChange={setBatch} error={fields.batch} />
            </>
          ) : null}
        </div>
        {receipt ? null : <TextArea label={t('adjustmentReason')} name="reason" value={reason} onChange={setReason} error={fields.reason} required />}
        <ProblemBox error={error} />
        <div className="form-actions">
          <button type="submit" disabled={busy || !productCode} aria-busy={busy}>
            {receipt ? t('recordReceipt') : t('recordAdjustment')}
          </button>
          <button type="button" className="secondary" onClick={() => navigate(-1)}>
            {tc('cancel')}
          </button>
        </div>
      </form>
    </PageFrame>
  );
}
