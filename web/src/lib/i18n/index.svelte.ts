// The i18n layer: a reactive locale, t() to look up and fill in a message, the choice kept
// in localStorage and mirrored on <html lang>.
import { en, type MessageKey } from './en.ts';
import { es } from './es.ts';

export type { MessageKey };
export type Locale = 'en' | 'es';
export const locales: readonly Locale[] = ['en', 'es'];

const catalogues: Record<Locale, Record<MessageKey, string>> = { en, es };
const STORAGE_KEY = 'muster.locale';

function savedLocale(): Locale | null {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    return saved === 'en' || saved === 'es' ? saved : null;
  } catch {
    return null; // Storage blocked (private mode, settings): fall back to the browser.
  }
}

function browserLocale(): Locale {
  return navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en';
}

class I18n {
  #locale = $state<Locale>(savedLocale() ?? browserLocale());

  constructor() {
    document.documentElement.lang = this.#locale;
  }

  get locale(): Locale {
    return this.#locale;
  }

  set locale(locale: Locale) {
    this.#locale = locale;
    document.documentElement.lang = locale;
    try {
      localStorage.setItem(STORAGE_KEY, locale);
    } catch {
      // The choice then lasts only for this page load.
    }
  }

  t = (key: MessageKey, params: Params = {}): string => fill(catalogues[this.#locale][key], params);
}

type Params = Record<string, string | number>;

function fill(message: string, params: Params): string {
  return message.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
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
