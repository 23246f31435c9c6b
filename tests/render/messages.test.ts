import { describe, expect, it } from 'vitest';
import { CATALOGUES, fill, fillHtml, messagesFor, plural, textDirection } from '../../src/render/index.ts';
import { renderSampleSite, sampleItems, siteInfo } from './fixtures/index.ts';

describe('message catalogues', () => {
  it('ship English, German, French and Spanish, each with every message filled', () => {
    expect(Object.keys(CATALOGUES).sort()).toEqual(['de', 'en', 'es', 'fr']);
    const keys = Object.keys(CATALOGUES.en ?? {}).sort();
    for (const [language, messages] of Object.entries(CATALOGUES)) {
      expect(Object.keys(messages).sort(), language).toEqual(keys);
      for (const [key, value] of Object.entries(messages)) {
        const forms: string[] =
          typeof value === 'string' ? [value] : Object.values(value as Record<string, string>);
        for (const form of forms) expect(form.trim(), `${language}.${key}`).not.toBe('');
      }
    }
  });

  it('pick a catalogue by primary subtag, English for a language we do not ship', () => {
    expect(messagesFor('de-AT')).toBe(CATALOGUES.de);
    expect(messagesFor('es-419').readMore).toBe('Seguir leyendo');
    expect(messagesFor('nl')).toBe(CATALOGUES.en);
  });

  it('choose plural forms by the language rules and write numbers its way', () => {
    const de = messagesFor('de');
    expect(plural(de.pageCount, 1, 'de')).toBe('1 Seite');
    expect(plural(de.pageCount, 1234, 'de')).toBe('1.234 Seiten');
    // French counts 0 as singular.
    expect(plural(messagesFor('fr').storyCount, 0, 'fr')).toBe('0 article');
  });

  it('escape the message words but not the HTML put in its slots', () => {
    expect(fillHtml('Tom & {who} <b>', { who: '<a href="x">Jerry</a>' })).toBe(
      'Tom &amp; <a href="x">Jerry</a> &lt;b&gt;',
    );
    expect(fill('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });

  it('give right-to-left languages dir="rtl" on every page', () => {
    expect(textDirection('ar')).toBe('rtl');
    expect(textDirection('he-IL')).toBe('rtl');
    expect(textDirection('fa')).toBe('rtl');
    expect(textDirection('de')).toBe('ltr');
    const site = renderSampleSite(sampleItems(), { site: siteInfo({ language: 'ar' }) });
    for (const [path, html] of site)
      if (path.endsWith('.html')) expect(html, path).toMatch(/^<!doctype html>\n<html lang="ar" dir="rtl">/);
    expect(site.get('feed.xsl')).toContain('<html lang="ar" dir="rtl">');
  });
});
