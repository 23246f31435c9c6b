import { escapeHtml } from '../html.ts';
import { de } from './de.ts';
import { en } from './en.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';
import type { Messages, Plural } from './types.ts';

export type { Messages, Plural } from './types.ts';

/** The shipped catalogues, by primary language subtag. */
export const CATALOGUES: Readonly<Record<string, Messages>> = { en, de, fr, es };

/**
 * The catalogue for a BCP 47 tag: "de-AT" uses "de"; a language we ship no catalogue for gets
 * English (the config names the language of the articles, which may be one we do not translate).
 */
export function messagesFor(language: string): Messages {
  const primary = language.split('-')[0]?.toLowerCase() ?? '';
  return CATALOGUES[primary] ?? en;
}

/** Scripts written right to left (ISO 15924), for tags whose locale data gives no direction. */
const RTL_SCRIPTS = new Set(['Arab', 'Hebr', 'Syrc', 'Thaa', 'Nkoo', 'Adlm', 'Rohg', 'Mand', 'Samr', 'Yezi']);

/** "rtl" for Arabic, Hebrew, Persian, Urdu…; "ltr" otherwise. From Intl's locale data, not a list of languages. */
export function textDirection(language: string): 'ltr' | 'rtl' {
  try {
    const locale = new Intl.Locale(language) as Intl.Locale & {
      getTextInfo?: () => { direction?: string };
      textInfo?: { direction?: string };
    };
    const direction = locale.getTextInfo?.().direction ?? locale.textInfo?.direction;
    if (direction === 'rtl' || direction === 'ltr') return direction;
    return RTL_SCRIPTS.has(locale.maximize().script ?? '') ? 'rtl' : 'ltr';
  } catch {
    return 'ltr';
  }
}

/** Fills `{name}` slots with plain-text values. */
export function fill(message: string, values: Readonly<Record<string, string | number>> = {}): string {
  return message.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

/** Fills `{name}` slots with HTML: the message's own words are escaped, the values are not. */
export function fillHtml(message: string, html: Readonly<Record<string, string>>): string {
  return message
    .split(/(\{\w+\})/)
    .map((part) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      return name !== undefined && name in html ? (html[name] ?? '') : escapeHtml(part);
    })
    .join('');
}

const pluralRules = new Map<string, Intl.PluralRules>();

/** The form of `plural` for `count` in `language`, with `{count}` filled in as the language writes numbers. */
export function plural(
  message: Plural,
  count: number,
  language: string,
  values: Readonly<Record<string, string | number>> = {},
): string {
  let rules = pluralRules.get(language);
  if (rules === undefined) {
    rules = new Intl.PluralRules(language);
    pluralRules.set(language, rules);
  }
  const form = message[rules.select(count)] ?? message.other;
  return fill(form, { count: formatNumber(count, language), ...values });
}

const numberFormats = new Map<string, Intl.NumberFormat>();

export function formatNumber(value: number, language: string): string {
  let format = numberFormats.get(language);
  if (format === undefined) {
    format = new Intl.NumberFormat(language);
    numberFormats.set(language, format);
  }
  return format.format(value);
}
