import { type Config, configSchema } from '../../src/config/schema.ts';

/** The sections a test sets; each is merged over the publication's own (one level deep). */
export type ConfigSections = Record<string, Record<string, unknown> | undefined>;

/** The publication most tests build for: one time zone away from UTC, a postal address. */
export const DAILY_LEDGER: ConfigSections = {
  site: { title: 'The Daily Ledger', baseUrl: 'https://news.example.com/', timeZone: 'America/New_York' },
  newsletter: { postalAddress: 'The Daily Ledger, 12 Harbour Road, Portland, ME 04101, USA' },
};

/** The publication the delivery tests send for: two topics, a real-looking sender. */
export const HARBOR_CITY_LEDGER: ConfigSections = {
  site: { title: 'The Harbor City Ledger', baseUrl: 'https://ledger.example/' },
  feeds: {
    topics: [
      { name: 'Transit', slug: 'transit', tags: ['transit'] },
      { name: 'Climate', slug: 'climate', tags: ['climate'] },
    ],
  },
  delivery: {
    from: { name: 'The Harbor City Ledger', email: 'newsletter@ledger.example' },
    replyTo: 'editors@ledger.example',
    listId: 'newsletter.ledger.example',
    unsubscribeMailto: 'unsubscribe@ledger.example',
  },
};

/**
 * A validated configuration (through the real schema, so defaults apply as for a user) for
 * `publication`, with `overrides` merged over it section by section.
 */
export function testConfig(
  overrides: ConfigSections = {},
  publication: ConfigSections = DAILY_LEDGER,
): Config {
  const sections: ConfigSections = { ...publication };
  for (const [name, section] of Object.entries(overrides)) {
    sections[name] = { ...publication[name], ...section };
  }
  return configSchema.parse(sections);
}
