// The i18n layer: a reactive locale, t() to look up and fill in a message, the choice kept
// in localStorage and mirrored on <html lang> and in a cookie (so the server writes a page's
// first text in the same language).
import {
  catalogues,
  fill,
  isLocale,
  LOCALE_COOKIE,
  type Locale,
  type MessageKey,
  type Params,
} from './catalogue.ts';

export type { Locale, MessageKey };
export { locales } from './catalogue.ts';

const STORAGE_KEY = 'muster.locale';

function savedLocale(): Locale | null {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    return isLocale(saved) ? saved : null;
  } catch {
    return null; // Storage blocked (private mode, settings): fall back to the browser.
  }
}

function mirror(locale: Locale): void {
  document.documentElement.lang = locale;
  document.cookie = `${LOCALE_COOKIE}=${locale}; path=/; max-age=31536000; samesite=lax`;
}

function browserLocale(): Locale {
  return navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en';
}

class I18n {
  #locale = $state<Locale>(savedLocale() ?? browserLocale());

  constructor() {
    mirror(this.#locale);
  }

  get locale(): Locale {
    return this.#locale;
  }

  set locale(locale: Locale) {
    this.#locale = locale;
    mirror(locale);
    try {
      localStorage.setItem(STORAGE_KEY, locale);
    } catch {
      // The choice then lasts only for this page load.
    }
  }

  t = (key: MessageKey, params: Params = {}): string => fill(catalogues[this.#locale][key], params);
}

export const i18n = new I18n();
export const t = i18n.t;

/**
 * A feature's own catalogues, loaded with that feature's pages instead of with every page:
 * a t() for their keys, in the current locale.
 */
export function featureMessages<Key extends string>(
  feature: Record<Locale, Record<Key, string>>,
): (key: Key, params?: Params) => string {
  return (key, params = {}) => fill(feature[i18n.locale][key], params);
}
