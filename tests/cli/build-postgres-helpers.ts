import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { tempDir } from '../helpers/temp.ts';

/** The repository's sample articles: 26 stories from October and November 2026. */
export const SAMPLE_ARTICLES = resolve(import.meta.dirname, '../../articles');

/**
 * A publication folder (config and a copy of the sample articles) with no state file: what a
 * fresh CI runner checks out.
 */
export function freshCheckout(prefix: string): string {
  const dir = tempDir(prefix);
  cpSync(SAMPLE_ARTICLES, join(dir, 'articles'), { recursive: true });
  writeFileSync(
    join(dir, 'broadsheet.config.json'),
    JSON.stringify({
      site: {
        title: 'The Harbor City Ledger',
        baseUrl: 'https://ledger.example/',
        timeZone: 'America/New_York',
      },
    }),
  );
  mkdirSync(join(dir, 'templates'), { recursive: true });
  return dir;
}

export interface FeedItem {
  id: string;
  url: string;
  title: string;
  date_published: string;
  date_modified?: string;
}

/** The JSON Feed's items, parsed (the site's main feed). */
export function feedItems(dir: string): FeedItem[] {
  return (JSON.parse(readFileSync(join(dir, 'out', 'feed.json'), 'utf8')) as { items: FeedItem[] }).items;
}

/** One query against the test database, its rows. */
export async function query<T = Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}
