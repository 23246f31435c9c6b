import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { assignTopics } from '../../src/normalize/index.ts';

// Keywords are looked for by their first word in the lowercased text before the regex runs:
// that shortcut must never change which stories get a topic.
const rules = configSchema.parse({
  feeds: {
    topics: [
      { name: 'Science', keywords: ['study', 'lab (new)'] },
      { name: 'City Hall', keywords: ['city   council'] },
      { name: 'Kelvin', keywords: ['k'] },
    ],
  },
}).feeds.topics;

const topicsOf = (title: string, highlights: string[] = []) =>
  assignTopics({ title, highlights, tags: [] }, rules).map((t) => t.name);

describe('rule keywords in titles and highlights', () => {
  it('match whole words in any case and spacing, in ASCII text', () => {
    expect(topicsOf('A STUDY of tides')).toEqual(['Science']);
    expect(topicsOf('Tides', ['The City\tCouncil voted'])).toEqual(['City Hall']);
    expect(topicsOf('Opening of the LAB (NEW) wing')).toEqual(['Science']);
    expect(topicsOf('Students study')).toEqual(['Science']);
    expect(topicsOf('Students studying')).toEqual([]);
    expect(topicsOf('City councillors')).toEqual([]);
  });

  it('match characters that fold to ASCII in non-ASCII text, as the case-insensitive regex does', () => {
    // U+017F LONG S folds to "s", U+212A KELVIN SIGN to "k".
    expect(topicsOf('A ſtudy of tides')).toEqual(['Science']);
    expect(topicsOf('Cooled to 4 \u212A')).toEqual(['Kelvin']);
    expect(topicsOf('Café study')).toEqual(['Science']);
    expect(topicsOf('“Study” of the city’s council')).toEqual(['Science']);
    expect(topicsOf('The City’s Council')).toEqual([]);
    // Lowercased, U+0130 gains an "i"; the regex still decides (it does not match "i").
    expect(topicsOf('\u0130 KNOW', ['The city council met'])).toEqual(['City Hall']);
  });
});
