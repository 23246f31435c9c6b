import { describe, expect, it } from 'vitest';
import { normalizeArticles } from '../../src/normalize/index.ts';
import { article } from '../render/fixtures/index.ts';

const RLO = '\u202E';
const PDF = '\u202C';
const LRI = '\u2066';
const PDI = '\u2069';
const RLM = '\u200F';
const REORDERING = /[\u202A-\u202E\u2066-\u2069]/;

function normalizeOne(overrides: Parameters<typeof article>[0]) {
  const [item] = normalizeArticles([article(overrides)], {
    baseUrl: 'https://news.example.com/',
    now: '2026-11-24T15:00:00Z',
    known: [],
    topicRules: [],
  }).items;
  if (!item) throw new Error('no item');
  return item;
}

// U+202E (RIGHT-TO-LEFT OVERRIDE) makes "Invoice ‮gnp.exe" read as "Invoice exe.png": in a
// title it reaches feeds, pages and the email Subject.
describe('bidi controls in titles, bylines and related titles', () => {
  it('overrides, embeddings and isolates are removed', () => {
    const item = normalizeOne({
      title: `Invoice ${RLO}gnp.exe${PDF} attached`,
      authors: [`Ann ${LRI}Lee${PDI}`, `${RLO}boB`],
      related: [`Council ${RLO}etov${PDF} delayed`],
      tags: [`${RLO}transit`],
    });
    expect(item.title).toBe('Invoice gnp.exe attached');
    expect(item.authors).toEqual(['Ann Lee', 'boB']);
    expect(item.related.map((r) => r.title)).toEqual(['Council etov delayed']);
    for (const text of [item.title, ...item.authors, ...item.related.map((r) => r.title)])
      expect(text).not.toMatch(REORDERING);
  });

  it('the marks a mixed Hebrew title needs (RLM) are kept', () => {
    const title = `Mayor visits ${RLM}תל אביב${RLM} for talks`;
    expect(normalizeOne({ title }).title).toBe(title);
  });
});
