import { DateTime } from 'luxon';
import type { Config } from '../../src/config/schema.ts';
import { composeEdition } from '../../src/newsletter/index.ts';
import type { StateDb } from '../../src/state/db.ts';
import { type StoredEdition, saveEdition } from '../../src/state/editions.ts';
import type { Edition, Item, Topic } from '../../src/types.ts';
import { HARBOR_CITY_LEDGER, testConfig } from '../helpers/config.ts';

export const TRANSIT: Topic = { slug: 'transit', name: 'Transit' };
export const CLIMATE: Topic = { slug: 'climate', name: 'Climate' };

/** The delivery tests' publication (the Harbor City Ledger, two topics), delivery settings overridden. */
export function harborConfig(overrides: { delivery?: Record<string, unknown> } = {}): Config {
  return testConfig(overrides, HARBOR_CITY_LEDGER);
}

function item(n: number, title: string, topics: Topic[]): Item {
  const published = `2026-11-2${n}T10:00:00.000-05:00`;
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return {
    id: `tag:ledger.example,2026:${slug}`,
    slug,
    url: `https://ledger.example/articles/${slug}/`,
    canonicalUrl: null,
    title,
    authors: ['Jane Roe'],
    published,
    updated: published,
    summary: `${title}: what happened and why it matters.`,
    highlights: [`${title} was announced on Monday.`, 'Residents will see changes next spring.'],
    body: [`${title}. The council voted on Monday after two years of debate.`, 'Work starts in the spring.'],
    analysis: ['Commuters could see shorter trips within a year.'],
    format: 'text',
    related: [],
    topics,
    sources: [{ file: `articles/${slug}.txt`, startLine: 1, endLine: 12 }],
    mergedFrom: [],
    contentHash: `hash-${n}`,
  };
}

/** A three-story edition: one transit story (the lead), one climate story, one with no topic. */
export function sampleEdition(config: Config, id = '2026-11-24'): Edition {
  const items = [
    item(3, 'Council approves protected bike lanes', [TRANSIT]),
    item(2, 'Flood barriers delayed again', [CLIMATE]),
    item(1, 'Library reopens after renovation', []),
  ];
  return composeEdition({
    id,
    items,
    window: {
      period: 'daily',
      since: DateTime.fromISO('2026-11-20T00:00:00-05:00'),
      until: DateTime.fromISO('2026-11-24T00:00:00-05:00'),
      baseId: id,
    },
    config,
  });
}

/** Records an edition the way `build` does, so `send` finds it. */
export function storeEdition(db: StateDb, edition: Edition): void {
  saveEdition(db, storedEdition(edition), 3);
}

/** An edition as `build` records it (what `saveEdition` takes, in SQLite or a store). */
export function storedEdition(edition: Edition): StoredEdition {
  return {
    edition,
    period: 'daily',
    subject: edition.subject,
    preheader: edition.preheader,
    html: '',
    text: '',
    webHtml: '',
    createdAt: '2026-11-24T05:00:00.000Z',
  };
}
