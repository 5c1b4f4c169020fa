/**
 * A new version of a price list, or a change to a draft or returned one (sales clerk, R-PRICE-1):
 * the effective date and the prices per product and specification. A new version starts from the
 * latest version's items. Prices are typed as decimals and sent as integer minor units; the API
 * checks every item (catalogue, specification, minimum not above list price, duplicates) and its
 * messages appear next to the item they name.
 */
import { useMemo, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { ApiError, newIdempotencyKey, type Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { Loading, Page as PageFrame, ProblemBox, SelectField, TextField } from '../../components/ui.js';
import { useResource } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { decimalToMinor, minorToDecimal, useT } from '../../i18n/index.js';
import { pricingMessages as m } from './messages.js';
import { businessToday, priceListName, refOf, type PriceListItem, type PriceListVersion, type PriceListVersionSummary } from './shared.js';

interface ProductOption {
  productCode: string;
  name: string;
  specifications: string[];
  status: string;
}

interface ItemDraft {
  key: string;
  productCode: string;
  specification: string;
  listPrice: string;
  minimumPrice: string;
}

let itemKeys = 0;
const newItem = (i: Partial<ItemDraft> = {}): ItemDraft => ({ key: `i${++itemKeys}`, productCode: '', specification: '', listPrice: '', minimumPrice: '', ...i });
const draftOf = (i: PriceListItem): ItemDraft =>
  newItem({ productCode: i.productCode, specification: i.specification ?? '', listPrice: minorToDecimal(i.listPrice.amountMinor, i.listPrice.currency), minimumPrice: minorToDecimal(i.minimumPrice.amountMinor, i.minimumPrice.currency) });

/** The API's message for a field or any part of it (items.0.listPrice.amountMinor → items.0.listPrice). */
function fieldError(fields: Record<string, string>, name: string): string | undefined {
  if (fields[name]) return fields[name];
  const key = Object.keys(fields).find((k) => k.startsWith(`${name}.`));
  return key ? fields[key] : undefined;
}

export function VersionForm() {
  const { priceListId = '', version } = useParams();
  const ref = refOf(priceListId);
  const { api } = useApp();
  // Started from the list of price lists for a customer without one: there is no latest version to read.
  const firstVersion = Boolean((useLocation().state as { firstVersion?: boolean } | null)?.firstVersion);
  // Editing: that version. New: the latest version, whose items the new one starts from.
  const base = useResource(
    async (signal) => {
      if (version) return { editing: await api.get<PriceListVersion>(`/price-lists/${ref}/versions/${version}`, { signal }) };
      if (firstVersion) return {};
      // A customer's first list: the API knows no list yet (404), so there is nothing to start from.
      const versions = await api.get<Page<PriceListVersionSummary>>(`/price-lists/${ref}/versions?limit=1`, { signal }).catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 404) return { items: [], nextCursor: null };
        throw err;
      });
      const latest = versions.items[0];
      return { latest: latest ? await api.get<PriceListVersion>(`/price-lists/${ref}/versions/${latest.version}`, { signal }) : undefined };
    },
    [ref, version, firstVersion],
  );
  if (!base.data) return base.error ? <ProblemBox error={base.error} /> : <Loading />;
  return <VersionFormBody key={`${ref}-${version ?? 'new'}`} priceListRef={ref} editing={base.data.editing} latest={base.data.latest} />;
}

function VersionFormBody({ priceListRef, editing, latest }: { priceListRef: string; editing?: PriceListVersion | undefined; latest?: PriceListVersion | undefined }) {
  const { api, config, can } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const navigate = useNavigate();
  const currency = editing?.currency ?? latest?.currency ?? config.currency;
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [effectiveFrom, setEffectiveFrom] = useState(editing?.effectiveFrom ?? businessToday(config.timeZone));
  const [items, setItems] = useState<ItemDraft[]>(() => {
    const from = editing ?? latest;
    return from?.items.length ? from.items.map(draftOf) : [newItem()];
  });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const fields = error instanceof ApiError ? error.fields : {};

  const products = useResource((signal) => api.get<Page<ProductOption>>('/products?limit=100&includeRetired=true', { signal }), []);
  const productByCode = useMemo(() => new Map((products.data?.items ?? []).map((p) => [p.productCode, p])), [products.data]);
  const named = editing ?? latest;
  // A customer's first list: its name from the customer archive.
  const customer = useResource(
    (signal) => (!named && priceListRef !== 'GENERAL' && can('getCustomer') ? api.get<{ customerId: string; name: string }>(`/customers/${priceListRef}`, { signal }) : Promise.resolve(undefined)),
    [priceListRef],
  );
  const name = named ? priceListName(t, named) : priceListRef === 'GENERAL' ? t('generalName') : t('customerName', { name: customer.data?.name ?? priceListRef });

  const money = (text: string) => {
    const minor = decimalToMinor(text, currency);
    // Not money: sent as typed, so the API names the field.
    return { amountMinor: minor ?? text, currency };
  };
  const body = () => ({
    effectiveFrom,
    items: items
      .filter((i) => i.productCode)
      .map((i) => ({
        productCode: i.productCode,
        ...(i.specification ? { specification: i.specification } : {}),
        listPrice: money(i.listPrice),
        minimumPrice: money(i.minimumPrice),
      })),
  });

  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const saved = editing
        ? await api.patch<PriceListVersion>(`/price-lists/${priceListRef}/versions/${editing.version}`, body(), { ifMatch: `"${editing.revision}"` })
        : await api.post<PriceListVersion>(`/price-lists/${priceListRef}/versions`, body(), { idempotencyKey });
      navigate(`/price-lists/${priceListRef}?version=${saved.version}`, { replace: Boolean(editing), state: { notice: 'saved' } });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const setItem = (key: string, patch: Partial<ItemDraft>) => setItems((list) => list.map((i) => (i.key === key ? { ...i, ...patch } : i)));

  return (
    <PageFrame title={editing ? t('editVersionTitle', { name, n: editing.version }) : t('newVersionTitle', { name })} subtitle={`${t('currency')} ${currency}`}>
      {!editing && latest ? <p className="notice">{t('copiedFrom', { n: latest.version })}</p> : null}
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="form-grid">
          <TextField label={t('effectiveFrom')} name="effectiveFrom" type="date" value={effectiveFrom} onChange={setEffectiveFrom} error={fields.effectiveFrom} required />
        </div>
        <fieldset className="lines">
          <legend>{t('items')}</legend>
          {items.map((item, i) => {
            const product = productByCode.get(item.productCode);
            const prefix = `items.${i}`;
            const label = (what: string) => `${t('line', { n: i + 1 })} · ${what}`;
            return (
              <div className="line-row" key={item.key}>
                <span className="line-no" aria-hidden="true">
                  {i + 1}
                </span>
                <SelectField
                  label={label(t('product'))}
                  name={`${prefix}.productCode`}
                  value={item.productCode}
                  onChange={(v) => setItem(item.key, { productCode: v, specification: '' })}
                  blank={t('chooseProduct')}
                  options={(products.data?.items ?? []).filter((p) => p.status === 'ACTIVE' || p.productCode === item.productCode).map((p) => ({ value: p.productCode, label: `${p.productCode} ${p.name}` }))}
                  error={fields[`${prefix}.productCode`] ?? fields[prefix]}
                />
                <SelectField
                  label={label(t('specification'))}
                  name={`${prefix}.specification`}
                  value={item.specification}
                  onChange={(v) => setItem(item.key, { specification: v })}
                  blank={t('allSpecifications')}
                  options={(product?.specifications ?? (item.specification ? [item.specification] : [])).map((s) => ({ value: s, label: s }))}
                  error={fields[`${prefix}.specification`]}
                />
                <TextField label={label(t('listPrice'))} name={`${prefix}.listPrice`} inputMode="decimal" value={item.listPrice} onChange={(v) => setItem(item.key, { listPrice: v })} hint={t('priceHint', { currency })} error={fieldError(fields, `${prefix}.listPrice`)} />
                <TextField label={label(t('minimumPrice'))} name={`${prefix}.minimumPrice`} inputMode="decimal" value={item.minimumPrice} onChange={(v) => setItem(item.key, { minimumPrice: v })} error={fieldError(fields, `${prefix}.minimumPrice`)} />
                <button type="button" className="secondary" onClick={() => setItems((list) => list.filter((x) => x.key !== item.key))} disabled={items.length === 1}>
                  {t('removeItem', { n: i + 1 })}
                </button>
              </div>
            );
          })}
          <button type="button" className="secondary" onClick={() => setItems((list) => [...list, newItem()])}>
            {t('addItem')}
          </button>
          {fields.items ? <p className="field-error">{fields.items}</p> : null}
        </fieldset>
        <ProblemBox error={error} />
        <div className="form-actions">
          <button type="submit" disabled={busy} aria-busy={busy}>
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
