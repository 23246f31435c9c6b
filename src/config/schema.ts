import { IANAZone } from 'luxon';
import { z } from 'zod';

/**
 * The one configuration file (`broadsheet.config.json`), described once: the loader validates
 * against it, `Config` is inferred from it, and the JSON Schema for editors is generated from it.
 * Secrets (SMTP credentials, the unsubscribe secret, DKIM keys) never live here: see `env.ts`.
 */

const timeZone = z
  .string()
  .refine((zone) => IANAZone.isValidZone(zone), { message: 'expected an IANA time zone such as "America/New_York"' });

const absoluteUrl = z
  .url({ protocol: /^https?$/, message: 'expected an absolute http(s) URL' })
  // Every link we emit is built on this; a trailing slash makes `new URL(path, baseUrl)` keep the path.
  .transform((url) => (url.endsWith('/') ? url : `${url}/`));

const person = z.object({
  name: z.string().min(1),
  email: z.email().optional(),
  url: z.url().optional(),
});

const topicRule = z.object({
  name: z.string().min(1),
  slug: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected a lowercase slug such as "middle-east"')
    .optional(),
  /** Front-matter tags that put an article in this topic (case-insensitive). */
  tags: z.array(z.string()).default([]),
  /** Words or phrases that put an article in this topic when found in its title or highlights. */
  keywords: z.array(z.string()).default([]),
});

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    site: z
      .object({
        title: z.string().min(1).default('Broadsheet'),
        description: z.string().default('The latest stories.'),
        baseUrl: absoluteUrl.default('http://localhost:8080/'),
        language: z
          .string()
          .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a language tag such as "en" or "en-US"')
          .default('en'),
        timeZone: timeZone.default('America/New_York'),
        author: person.default({ name: 'Broadsheet Newsroom' }),
        copyright: z.string().optional(),
        /** A WebSub hub URL; when set, every feed links to it with rel="hub". */
        hub: z.url().optional(),
      })
      .prefault({}),
    paths: z
      .object({
        articles: z.string().default('articles'),
        templates: z.string().default('templates'),
        out: z.string().default('out'),
        state: z.string().default('.broadsheet/state.db'),
      })
      .prefault({}),
    ingest: z
      .object({
        /** Files larger than this are refused (not an article export). */
        maxFileBytes: z.number().int().positive().default(4 * 1024 * 1024),
      })
      .prefault({}),
    feeds: z
      .object({
        /** Latest N items in each feed. */
        limit: z.number().int().positive().max(10_000).default(50),
        topics: z.array(topicRule).default([]),
        authorFeeds: z.boolean().default(true),
      })
      .prefault({}),
    newsletter: z
      .object({
        /** Placeholders: {site}, {date}, {edition}, {lead}, {count}. */
        subject: z.string().min(1).default('{site}: {lead}'),
        period: z.enum(['since-last', 'daily', 'weekly']).default('since-last'),
        /** CAN-SPAM and good manners: a real postal address in every message. */
        postalAddress: z.string().min(1).default('Broadsheet, 1 Example Street, Springfield, USA'),
        maxStories: z.number().int().positive().default(30),
      })
      .prefault({}),
    delivery: z
      .object({
        from: person.extend({ email: z.email() }).default({ name: 'Broadsheet', email: 'newsletter@example.com' }),
        replyTo: z.email().optional(),
        /** RFC 2919 list identifier, e.g. "news.example.com". */
        listId: z.string().min(1).default('newsletter.broadsheet.example'),
        ratePerSecond: z.number().positive().default(10),
        maxConnections: z.number().int().positive().default(5),
        retries: z.number().int().min(0).default(4),
        /** Permanent failures (5xx) before a subscriber is marked bounced. */
        bounceThreshold: z.number().int().positive().default(1),
        outbox: z.string().default('out/outbox'),
        /** Where one-click unsubscribe requests go; defaults to `<baseUrl>unsubscribe`. */
        unsubscribeUrl: z.url().optional(),
        unsubscribeMailto: z.email().optional(),
      })
      .prefault({}),
    serve: z
      .object({
        port: z.number().int().min(0).max(65535).default(8080),
        host: z.string().default('127.0.0.1'),
      })
      .prefault({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type TopicRule = z.infer<typeof topicRule>;

/** The embedded defaults: what `npm start` runs on without any config file. */
export function defaultConfig(): Config {
  return configSchema.parse({});
}
