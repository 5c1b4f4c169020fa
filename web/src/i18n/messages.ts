/** Messages as [中文, English] pairs and their translation: plain code, no React (Node tests use it too). */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export type Messages = Record<string, readonly [zh: string, en: string]>;

export function defineMessages<M extends Messages>(messages: M): M {
  return messages;
}

export function translate(messages: Messages, locale: Locale, key: string, values?: Record<string, string | number>): string {
  const pair = messages[key];
  const text = pair ? pair[locale === 'zh-CN' ? 0 : 1] : key;
  return values ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`)) : text;
}
