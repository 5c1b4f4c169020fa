/**
 * A new order, or the amendment of a draft or returned one (R-INTAKE-1..5): customer, channel,
 * lines from the catalogue, delivery, payment. The API prices the lines and checks every field;
 * its messages appear next to the field they name (lines.0.quantity → line 1's quantity).
 */
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiError, newIdempotencyKey, type Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { Loading, Page as PageFrame, ProblemBox, SelectField, TextArea, TextField } from '../../components/ui.js';
import { useResource } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { decimalToMinor, minorToDecimal, useT } from '../../i18n/index.js';
import { orderMessages } from './messages.js';
import type { Order } from './types.js';

interface CustomerOption {
  customerId: string;
  name: string;
}
interface CustomerRecord {
  customerId: string;
  name: string;
  fulfilmentMode?: string;
  addresses: { label: string; line1: string; line2?: string; city: string; region: string; postalCode?: string; country?: string }[];
}
interface ProductOption {
  productCode: string;
  name: string;
  unit: string;
  specifications?: string[];
  status: string;
  sellable: boolean;
}

interface LineDraft {
  key: string;
  productCode: string;
  specification: string;
  quantity: string;
  unitPrice: string;
}

const CHANNELS = ['phone', 'email', 'fax', 'web', 'mobile', 'visit', 'verbal'] as const;
const PAYMENT_METHODS = ['credit', 'prepaid', 'cash_on_pickup'] as const;

let lineKeys = 0;
const newLine = (l: Partial<LineDraft> = {}): LineDraft => ({ key: `l${++lineKeys}`, productCode: '', specification: '', quantity: '', unitPrice: '', ...l });

export function OrderForm() {
  const { orderId } = useParams();
  const { api, config } = useApp();
  const existing = useResource((signal) => (orderId ? api.get<Order>(`/orders/${orderId}`, { signal }) : Promise.resolve(undefined)), [orderId]);
  if (orderId && !existing.data) return existing.error ? <ProblemBox error={existing.error} /> : <Loading />;
  return <OrderFormBody key={orderId ?? 'new'} order={existing.data} currency={config.currency} />;
}

function OrderFormBody({ order, currency }: { order: Order | undefined; currency: string }) {
  const { api } = useApp();
  const t = useT(orderMessages);
  const tc = useT(common);
  const navigate = useNavigate();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [customerId, setCustomerId] = useState(order?.customerId ?? '');
  const [channel, setChannel] = useState<string>(order?.channel ?? 'phone');
  const [lines, setLines] = useState<LineDraft[]>(() =>
    order?.lines.length
      ? order.lines.map((l) => newLine({ productCode: l.productCode, specification: l.specification ?? '', quantity: l.quantity ?? '', unitPrice: l.priceOrigin === 'entered' && l.unitPrice ? minorToDecimal(l.unitPrice.amountMinor, l.unitPrice.currency) : '' }))
      : [newLine()],
  );
  const [deliveryDate, setDeliveryDate] = useState(order?.requestedDeliveryDate ?? '');
  const [deliveryMode, setDeliveryMode] = useState<string>(order?.delivery?.mode ?? 'delivery');
  const [addressIndex, setAddressIndex] = useState('');
  const [paymentMethod, setPaymentMethod] = useState<string>(order?.paymentMethod ?? 'credit');
  const [customerReference, setCustomerReference] = useState(order?.customerReference ?? '');
  const [remarks, setRemarks] = useState(order?.remarks ?? '');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const customers = useResource((signal) => api.get<Page<CustomerOption>>('/customers?limit=100', { signal }), []);
  const products = useResource((signal) => api.get<Page<ProductOption>>('/products?limit=100', { signal }), []);
  const customer = useResource((signal) => (customerId ? api.get<CustomerRecord>(`/customers/${customerId}`, { signal }) : Promise.resolve(undefined)), [customerId]);
  const addresses = customer.data?.addresses ?? [];

  // An amended order keeps the address it had while the customer still has it, until someone picks another.
  const keptAddress = order?.delivery?.mode === 'delivery' ? addresses.findIndex((a) => order.delivery?.mode === 'delivery' && a.label === order.delivery.address.label && a.line1 === order.delivery.address.line1) : -1;
  const chosenAddress = addressIndex !== '' ? addressIndex : String(Math.max(0, keptAddress));

  const productByCode = useMemo(() => new Map((products.data?.items ?? []).map((p) => [p.productCode, p])), [products.data]);
  const fields = error instanceof ApiError ? error.fields : {};

  const body = () => {
    const out: Record<string, unknown> = {
      channel,
      lines: lines
        .filter((l) => l.productCode)
        .map((l) => {
          const price = l.unitPrice.trim() ? decimalToMinor(l.unitPrice, currency) : undefined;
          return {
            productCode: l.productCode,
            ...(l.specification ? { specification: l.specification } : {}),
            ...(l.quantity.trim() ? { quantity: l.quantity.trim() } : {}),
            // A price that is not money is sent as typed, so the API names the field.
            ...(l.unitPrice.trim() ? { unitPrice: price === undefined ? l.unitPrice : { amountMinor: price, currency } } : {}),
          };
        }),
      paymentMethod,
    };
    if (deliveryDate) out.requestedDeliveryDate = deliveryDate;
    if (deliveryMode === 'pickup') out.delivery = { mode: 'pickup' };
    else if (addresses[Number(chosenAddress)]) out.delivery = { mode: 'delivery', address: addresses[Number(chosenAddress)] };
    if (customerReference.trim()) out.customerReference = customerReference.trim();
    if (remarks.trim()) out.remarks = remarks;
    return out;
  };

  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const saved = order
        ? await api.patch<Order>(`/orders/${order.orderId}`, body(), { ifMatch: `"${order.version}"` })
        : await api.post<Order>('/orders', { customerId, ...body() }, { idempotencyKey });
      navigate(`/orders/${saved.orderId}`, { state: { notice: 'draftSaved' } });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const setLine = (key: string, patch: Partial<LineDraft>) => setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...patch } : l)));

  return (
    <PageFrame title={order ? t('editTitle', { id: order.orderId }) : t('createTitle')}>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="form-grid">
          {order ? (
            <TextField label={tc('customer')} value={order.customerName} onChange={() => undefined} />
          ) : (
            <SelectField
              label={tc('customer')}
              name="customerId"
              value={customerId}
              onChange={setCustomerId}
              blank={t('chooseCustomer')}
              options={(customers.data?.items ?? []).map((c) => ({ value: c.customerId, label: `${c.customerId} ${c.name}` }))}
              error={fields.customerId}
            />
          )}
          <SelectField label={t('channel')} name="channel" value={channel} onChange={setChannel} options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))} error={fields.channel} />
          <TextField label={t('deliveryDate')} name="requestedDeliveryDate" type="date" value={deliveryDate} onChange={setDeliveryDate} error={fields.requestedDeliveryDate} />
          <SelectField label={t('paymentMethod')} name="paymentMethod" value={paymentMethod} onChange={setPaymentMethod} options={PAYMENT_METHODS.map((p) => ({ value: p, label: t(`payment.${p}`) }))} error={fields.paymentMethod} />
          <SelectField label={t('delivery')} name="deliveryMode" value={deliveryMode} onChange={setDeliveryMode} options={(['delivery', 'pickup'] as const).map((d) => ({ value: d, label: t(`delivery.${d}`) }))} error={fields.delivery} />
          {deliveryMode === 'delivery' ? (
            <SelectField
              label={t('address')}
              name="address"
              value={chosenAddress}
              onChange={setAddressIndex}
              options={addresses.map((a, i) => ({ value: String(i), label: `${a.label}: ${a.line1}, ${a.city}` }))}
              blank={addresses.length ? undefined : t('noAddress')}
              error={fields['delivery.address']}
            />
          ) : null}
          <TextField label={t('customerReference')} name="customerReference" value={customerReference} onChange={setCustomerReference} error={fields.customerReference} />
        </div>

        <fieldset className="lines">
          <legend>{t('lines')}</legend>
          {lines.map((l, i) => {
            const product = productByCode.get(l.productCode);
            const prefix = `lines.${i}`;
            return (
              <div className="line-row" key={l.key} data-testid={`line-${i + 1}`}>
                <span className="line-no" aria-hidden="true">
                  {i + 1}
                </span>
                <SelectField
                  label={`${t('line')} ${i + 1} · ${tc('product')}`}
                  name={`${prefix}.productCode`}
                  value={l.productCode}
                  onChange={(v) => setLine(l.key, { productCode: v, specification: productByCode.get(v)?.specifications?.[0] ?? '' })}
                  blank={t('chooseProduct')}
                  options={(products.data?.items ?? []).filter((p) => p.status === 'ACTIVE' && p.sellable).map((p) => ({ value: p.productCode, label: `${p.productCode} ${p.name}` }))}
                  error={fields[`${prefix}.productCode`] ?? fields[prefix]}
                />
                {product?.specifications?.length ? (
                  <SelectField label={`${t('line')} ${i + 1} · ${t('specification')}`} name={`${prefix}.specification`} value={l.specification} onChange={(v) => setLine(l.key, { specification: v })} options={product.specifications.map((s) => ({ value: s, label: s }))} error={fields[`${prefix}.specification`]} />
                ) : null}
                <TextField label={`${t('line')} ${i + 1} · ${tc('quantity')}${product ? ` (${product.unit})` : ''}`} name={`${prefix}.quantity`} inputMode="decimal" value={l.quantity} onChange={(v) => setLine(l.key, { quantity: v })} error={fields[`${prefix}.quantity`]} />
                <TextField label={`${t('line')} ${i + 1} · ${t('unitPrice')}`} name={`${prefix}.unitPrice`} inputMode="decimal" value={l.unitPrice} onChange={(v) => setLine(l.key, { unitPrice: v })} hint={t('unitPriceHint')} error={fields[`${prefix}.unitPrice`] ?? fields[`${prefix}.unitPrice.amountMinor`]} />
                <button type="button" className="secondary" onClick={() => setLines((ls) => ls.filter((x) => x.key !== l.key))} disabled={lines.length === 1}>
                  {t('removeLine', { n: i + 1 })}
                </button>
              </div>
            );
          })}
          <button type="button" className="secondary" onClick={() => setLines((ls) => [...ls, newLine()])}>
            {t('addLine')}
          </button>
          {fields.lines ? <p className="field-error">{fields.lines}</p> : null}
        </fieldset>

        <TextArea label={t('remarks')} name="remarks" value={remarks} onChange={setRemarks} error={fields.remarks} />
        <ProblemBox error={error} />
        <div className="form-actions">
          <button type="submit" disabled={busy || (!order && !customerId)} aria-busy={busy}>
            {t('saveDraft')}
          </button>
          <button type="button" className="secondary" onClick={() => navigate(-1)}>
            {tc('cancel')}
          </button>
        </div>
      </form>
    </PageFrame>
  );
}
