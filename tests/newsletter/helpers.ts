import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DateTime } from 'luxon';
import type { Context } from '../../src/cli/context.ts';
import { composeEdition, type EditionWindow, type Templates } from '../../src/newsletter/index.ts';
import type { Edition, Item } from '../../src/types.ts';
import { testConfig } from '../helpers/config.ts';
import { testContext } from '../helpers/context.ts';

export { testConfig };

export const TEMPLATE_DIR = new URL('../../templates/email/', import.meta.url).pathname;

/** The shipped templates, keyed by name, as the CLI reads them. */
export function shippedTemplates(): Templates {
  const templates: Templates = {};
  for (const name of readdirSync(TEMPLATE_DIR).filter((f) => f.endsWith('.mjml'))) {
    templates[basename(name, '.mjml')] = {
      file: `templates/email/${name}`,
      source: readFileSync(join(TEMPLATE_DIR, name), 'utf8'),
    };
  }
  return templates;
}

let counter = 0;

/** A realistic item; every field can be overridden. */
export function makeItem(overrides: Partial<Item> = {}): Item {
  counter++;
  const slug = overrides.slug ?? `story-${counter}`;
  const title = overrides.title ?? `Harbour council approves new ferry schedule (${slug})`;
  return {
    id: `tag:news.example.com,2026:${slug}`,
    slug,
    url: `https://news.example.com/articles/${slug}/`,
    canonicalUrl: null,
    title,
    authors: ['Maria Lopez'],
    published: '2026-11-23T09:30:00.000-05:00',
    updated: '2026-11-23T09:30:00.000-05:00',
    summary: 'The council voted 7-2 to add early sailings from January.',
    highlights: [
      'The council voted 7-2 to add two early sailings on weekdays from January.',
      'Fares stay the same until the spring review, the harbour master said.',
      'Commuters from the islands had asked for the change for three years.',
      'The operator will hire six more crew members before the winter timetable.',
    ],
    body: ['Paragraph one.', 'Paragraph two.'],
    analysis: [],
    format: 'text',
    related: [],
    topics: [],
    sources: [{ file: `articles/${slug}.txt`, startLine: 1, endLine: 20 }],
    mergedFrom: [],
    contentHash: `hash-${slug}`,
    ...overrides,
  };
}

/** `count` items an hour apart, newest first, ending at `latest`. */
export function makeItems(count: number, latest = '2026-11-23T20:00:00.000-05:00'): Item[] {
  const end = DateTime.fromISO(latest, { setZone: true });
  return Array.from({ length: count }, (_, i) =>
    makeItem({
      published: end.minus({ hours: i }).toISO() ?? '',
      slug: `story-${String(i + 1).padStart(3, '0')}`,
    }),
  );
}

export function dayWindow(day = '2026-11-23', zone = 'America/New_York'): EditionWindow {
  const since = DateTime.fromISO(day, { zone });
  return { period: 'daily', since, until: since.plus({ days: 1 }), baseId: day };
}

export function makeEdition(items: Item[], config = testConfig(), id = '2026-11-23'): Edition {
  return composeEdition({ id, items, window: dayWindow(id.slice(0, 10)), config });
}

/** A real Context for the CLI step: temp folder, real SQLite file, fixed "now". */
export function makeContext(root: string, now: string, config = testConfig()): Context {
  return testContext(root, now, config);
}
