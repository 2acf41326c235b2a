// The catalogues and how a message is filled in, without the browser: the app's reactive
// i18n (index.svelte.ts) and the server's rendering of a page's first text share them.
import { en, type MessageKey } from './en.ts';
import { es } from './es.ts';

export type { MessageKey };
export type Locale = 'en' | 'es';
export const locales: readonly Locale[] = ['en', 'es'];
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export const catalogues: Record<Locale, Record<MessageKey, string>> = { en, es };

/** The cookie that tells the server the reader's language, mirroring the app's choice. */
export const LOCALE_COOKIE = 'muster_locale';

export const isLocale = (value: unknown): value is Locale => value === 'en' || value === 'es';

export function fill(message: string, params: Params): string {
  return message.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** A t() for one fixed locale. */
export const translator =
  (locale: Locale): Translate =>
  (key, params = {}) =>
    fill(catalogues[locale][key], params);
