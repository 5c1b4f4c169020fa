/**
 * Two languages, Chinese (zh-CN) by default and English. Each screen declares its own messages
 * as [中文, English] pairs next to its code (defineMessages), so a message cannot exist in one
 * language only; `{name}` placeholders are filled from values. Money, numbers and dates are
 * formatted with Intl for the chosen locale, business dates and times in the company's zone.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { minorToDecimal } from '../money.js';
import { translate, type Locale, type Messages } from './messages.js';

export { decimalToMinor, minorDigits, minorToDecimal } from '../money.js';

export { LOCALES, defineMessages, translate, type Locale, type Messages } from './messages.js';

export type Translate<M extends Messages> = (key: keyof M & string, values?: Record<string, string | number>) => string;

export interface MoneyValue {
  amountMinor: number;
  currency: string;
}

export interface Formatters {
  money(value: MoneyValue | undefined | null): string;
  /** Minor units as a plain decimal string, for inputs. */
  moneyInput(value: MoneyValue | undefined | null): string;
  /** A business date (YYYY-MM-DD) as the locale writes it. */
  date(value: string | undefined | null): string;
  /** A UTC timestamp in the company's time zone. */
  dateTime(value: string | undefined | null): string;
  number(value: number | string): string;
}

interface LocaleContextValue {
  locale: Locale;
  setLocale(locale: Locale): void;
  fmt: Formatters;
  timeZone: string;
}

const LocaleContext = createContext<LocaleContextValue | undefined>(undefined);
const STORAGE_KEY = 'o2c.locale';

function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN';
}

export function makeFormatters(locale: Locale, timeZone: string): Formatters {
  const currencyFormats = new Map<string, Intl.NumberFormat>();
  const moneyFormat = (currency: string) => {
    let f = currencyFormats.get(currency);
    if (!f) currencyFormats.set(currency, (f = new Intl.NumberFormat(locale, { style: 'currency', currency })));
    return f;
  };
  const dateFormat = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false, timeZone });
  const numberFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 6 });
  return {
    money: (v) => (v ? moneyFormat(v.currency).format(minorToDecimal(v.amountMinor, v.currency) as unknown as number) : '—'),
    moneyInput: (v) => (v ? minorToDecimal(v.amountMinor, v.currency) : ''),
    date: (v) => (v ? dateFormat.format(new Date(`${v.slice(0, 10)}T00:00:00Z`)) : '—'),
    dateTime: (v) => (v ? dateTimeFormat.format(new Date(v)) : '—'),
    // Intl formats decimal strings exactly (quantities are strings with the product's precision).
    number: (v) => numberFormat.format(v as unknown as number),
  };
}

export function LocaleProvider({ timeZone, children }: { timeZone: string; children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLocaleState(next);
  }, []);
  const value = useMemo(() => ({ locale, setLocale, fmt: makeFormatters(locale, timeZone), timeZone }), [locale, setLocale, timeZone]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleContextValue {
  const value = useContext(LocaleContext);
  if (!value) throw new Error('useLocale outside LocaleProvider');
  return value;
}

/** `t` for a screen's messages in the chosen language. */
export function useT<M extends Messages>(messages: M): Translate<M> {
  const { locale } = useLocale();
  return useCallback((key, values) => translate(messages, locale, key, values), [messages, locale]);
}
