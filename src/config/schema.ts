import { isAbsolute, relative, resolve } from 'node:path';
import { IANAZone } from 'luxon';
import proxyAddr from 'proxy-addr';
import { z } from 'zod';
import { DEFAULT_CACHE_PATH } from './files.ts';

/**
 * The one configuration file (`broadsheet.config.json`), described once: the loader validates
 * against it, `Config` is inferred from it, and the JSON Schema for editors (and docs/configuration.md's
 * configuration reference) is generated from it, descriptions included. Secrets (SMTP
 * credentials, the unsubscribe secret, DKIM keys) never live here: see `env.ts`.
 */

const timeZone = z.string().refine((zone) => IANAZone.isValidZone(zone), {
  message: 'expected an IANA time zone such as "America/New_York"',
});

/**
 * Text that reaches feeds, pages and email headers: one line, no control characters (XML 1.0
 * forbids most of them, and a line break in a name would end an email header).
 */
const lineOfText = () =>
  z.string().regex(/^\P{Cc}*$/u, 'expected one line of text without control characters');

const absoluteUrl = z.url({ protocol: /^https?$/, message: 'expected an absolute http(s) URL' });

// Every link we emit is built on baseUrl; a trailing slash makes `new URL(path, baseUrl)` keep its path.
const withTrailingSlash = (url: string): string => (url.endsWith('/') ? url : `${url}/`);

const person = z.strictObject({
  name: lineOfText().min(1).describe('Display name.'),
  email: z.email().optional().describe('Email address.'),
  url: z.url().optional().describe('Home page.'),
});

const topicRule = z.strictObject({
  name: lineOfText().min(1).describe('Topic name shown to readers, e.g. "City Hall".'),
  slug: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected a lowercase slug such as "middle-east"')
    .optional()
    .describe('URL part of the topic feed (`topics/<slug>/rss.xml`); derived from the name when absent.'),
  /** Front-matter tags that put an article in this topic (case-insensitive). */
  tags: z
    .array(lineOfText())
    .default([])
    .describe('Article tags that put an article in this topic (case-insensitive).'),
  /** Words or phrases that put an article in this topic when found in its title or highlights. */
  keywords: z
    .array(lineOfText())
    .default([])
    .describe('Words or phrases that put an article in this topic when found in its title or highlights.'),
});

export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of this JSON Schema, for editors.'),
    site: z
      .strictObject({
        title: lineOfText()
          .min(1)
          .default('Broadsheet')
          .describe('Publication name: feed titles, page headers, email sender context.'),
        description: lineOfText()
          .default('The latest stories.')
          .describe('One-line description for feeds and the home page.'),
        baseUrl: absoluteUrl
          .default('http://localhost:8080/')
          // The default sits before the transform so the JSON Schema (input side) shows it.
          .transform(withTrailingSlash)
          .describe('Public URL the site is served from; every link in feeds and emails is absolute on it.')
          .meta({ examples: ['https://news.example.com/', 'https://example.org/ledger/'] }),
        language: z
          .string()
          .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a language tag such as "en" or "en-US"')
          .default('en')
          .describe(
            "BCP 47 language tag of the articles; the chrome's words and direction follow it (English, German, French and Spanish ship; others get English).",
          )
          .meta({ examples: ['en', 'en-US', 'fr', 'pt-BR'] }),
        timeZone: timeZone
          .default('America/New_York')
          .describe('IANA time zone for dates without an offset and for edition dates.')
          .meta({ examples: ['America/New_York', 'Europe/London', 'Asia/Tokyo'] }),
        author: person
          .default({ name: 'Broadsheet Newsroom' })
          .describe('Feed-level author, used when an article has no byline.'),
        copyright: lineOfText().optional().describe('Copyright line for feeds and pages.'),
        /** A WebSub hub URL; when set, every feed links to it with rel="hub". */
        hub: z.url().optional().describe('WebSub hub URL; when set, every feed links to it with rel="hub".'),
      })
      .prefault({})
      .describe('The publication.'),
    paths: z
      .strictObject({
        articles: z
          .string()
          .default('articles')
          .describe('Folder of article exports (.txt, .md), read recursively.'),
        templates: z.string().default('templates').describe('Folder of site and email templates.'),
        out: z
          .string()
          .default('out')
          .describe(
            "Output folder: feeds, pages, newsletter editions (a link to the live build in `.<name>.builds/`). Every build replaces it whole, so it may not hold the articles, templates, state, cache or the config's folder, nor sit inside the articles; a folder already there that no build wrote (no `.broadsheet-manifest.json`, not empty) is refused, never taken over.",
          ),
        state: z
          .string()
          .default('.broadsheet/state.db')
          .describe('SQLite state: item ids, first-seen dates, editions, subscribers, deliveries.'),
        cache: z
          .string()
          .default(DEFAULT_CACHE_PATH)
          .describe(
            'SQLite cache: a rebuild parses only article files whose bytes changed, and hashes only pictures and sound that changed. Disposable: safe to delete.',
          ),
      })
      .prefault({})
      .describe('Folders and files, relative to the config file.'),
    ingest: z
      .strictObject({
        /** Files larger than this are refused (not an article export). */
        maxFileBytes: z
          .number()
          .int()
          .positive()
          .default(4 * 1024 * 1024)
          .describe('Files larger than this many bytes are refused as not being an article export.'),
        /** Beyond this, story text is read back from the parse cache when needed (large archives). */
        textMemoryMB: z
          .number()
          .nonnegative()
          .default(32)
          .describe(
            'Story text (body and analysis) a build keeps in memory, in millions of characters (V8 takes 1-2 bytes each). The text of further files stays in the parse cache and is loaded when a stage needs it: a large archive builds in less memory, a little more slowly. The default keeps a 10,000-story archive (31 million) in memory. 0 keeps none.',
          ),
      })
      .prefault({})
      .describe('Reading articles.'),
    feeds: z
      .strictObject({
        /** Latest N items in each feed. */
        limit: z.number().int().positive().max(10_000).default(50).describe('Latest N items in each feed.'),
        topics: z
          .array(topicRule)
          .default([])
          .describe('Topic feeds: an article goes in every topic whose tags or keywords match.'),
        authorFeeds: z.boolean().default(true).describe('Also write one feed per author.'),
        authorContent: z
          .enum(['summary', 'full'])
          .default('summary')
          .describe(
            "What author feeds carry: each story's summary and a link to its page, or the full story as in the main and topic feeds.",
          ),
      })
      .prefault({})
      .describe('RSS, Atom and JSON feeds.'),
    newsletter: z
      .strictObject({
        /** Placeholders: {site}, {date}, {edition}, {lead}, {count}. */
        subject: lineOfText()
          .min(1)
          .default('{site}: {lead}')
          .describe('Subject line; placeholders {site}, {date}, {edition}, {lead}, {count}.'),
        period: z
          .enum(['since-last', 'daily', 'weekly'])
          .default('since-last')
          .describe(
            'Which stories an edition holds: everything since the last edition, the last day, or the last week.',
          ),
        /** CAN-SPAM and good manners: a real postal address in every message. */
        postalAddress: lineOfText()
          .min(1)
          .default('Broadsheet, 1 Example Street, Springfield, USA')
          .describe('Postal address printed in every message (required by CAN-SPAM).'),
        maxStories: z
          .number()
          .int()
          .positive()
          .default(30)
          .describe('At most this many stories per edition.'),
      })
      .prefault({})
      .describe('The email newsletter edition.'),
    delivery: z
      .strictObject({
        from: person
          .extend({ email: z.email().describe('Sender address.') })
          .default({ name: 'Broadsheet', email: 'newsletter@example.com' })
          .describe('From: name and address.'),
        replyTo: z.email().optional().describe('Reply-To: address.'),
        /** RFC 2919 list identifier, e.g. "news.example.com". */
        listId: z
          .string()
          .min(1)
          .default('newsletter.broadsheet.example')
          .describe('RFC 2919 List-Id, e.g. "news.example.com".'),
        ratePerSecond: z.number().positive().default(10).describe('At most this many messages per second.'),
        maxConnections: z.number().int().positive().default(5).describe('Pooled SMTP connections.'),
        retries: z
          .number()
          .int()
          .min(0)
          .default(4)
          .describe('Retries of a temporary (4xx) failure, with backoff.'),
        /** Permanent failures (5xx) before a subscriber is marked bounced. */
        bounceThreshold: z
          .number()
          .int()
          .positive()
          .default(1)
          .describe('Permanent (5xx) failures before a subscriber is marked bounced.'),
        outbox: z
          .string()
          .default('outbox')
          .describe('Where messages are written as .eml files when SMTP_URL is not set.'),
        /** Where one-click unsubscribe requests go; defaults to `<baseUrl>unsubscribe`. */
        unsubscribeUrl: z
          .url()
          .optional()
          .describe('Where one-click unsubscribe requests go; defaults to `<baseUrl>unsubscribe`.'),
        unsubscribeMailto: z.email().optional().describe('Address for mailto: unsubscribe requests, if any.'),
        preferencesUrl: z
          .url()
          .optional()
          .describe(
            'The "manage your subscription" page every message links to (topics, pause, unsubscribe, erase); defaults to `<baseUrl>preferences`.',
          ),
        returnPath: z
          .email()
          .optional()
          .describe(
            'Envelope sender bounces go to, as bounces+<signed token>@domain (VERP); defaults to from.email.',
          ),
        sesWebhookPath: z
          .string()
          .regex(/^\/[^?#\s]*$/)
          .optional()
          .describe(
            'URL path where `serve` accepts Amazon SES bounce/complaint notifications (SNS), e.g. "/ses".',
          ),
        softBounceLimit: z
          .number()
          .int()
          .positive()
          .default(3)
          .describe('Editions in a row with a soft bounce report before a subscriber is marked bounced.'),
      })
      .prefault({})
      .describe('Sending the newsletter.'),
    signup: z
      .strictObject({
        form: z
          .boolean()
          .default(false)
          .describe(
            'Put a signup form on the front page, story pages and the newsletter archive. Off by default: the form posts to `serve` (or wherever the handler is mounted), which a static host does not run.',
          ),
        url: z
          .url()
          .optional()
          .describe(
            'Where the form posts and confirmation links point; defaults to `<baseUrl>subscribe` (the form then posts to its own site).',
          ),
        pendingDays: z
          .number()
          .positive()
          .max(90)
          .default(7)
          .describe(
            'Days an unconfirmed signup (and its confirmation link) stays valid; expired ones are purged.',
          ),
        mailIntervalMinutes: z
          .number()
          .int()
          .positive()
          .default(60)
          .describe(
            'At most one confirmation mail per address in this many minutes, however often it is entered.',
          ),
        perClientPerHour: z
          .number()
          .int()
          .positive()
          .default(10)
          .describe('Signups one client address (IP) may post in an hour; more get 429.'),
        perAddressPerDay: z
          .number()
          .int()
          .positive()
          .default(5)
          .describe('Signups for one email address in a day, from anywhere; more get 429.'),
      })
      .prefault({})
      .describe('Signup with double opt-in (`serve` answers the form).'),
    build: z
      .strictObject({
        lowMemory: z
          .boolean()
          .default(true)
          .describe(
            'One-shot `broadsheet build` collects garbage more eagerly: V8 grows its heap 20% past what is live instead of up to 4 times. A 100,000-story build from nothing then peaked at 880-939 MiB of RSS in nine runs (without it, an earlier version peaked at 1.4-1.9 GiB), for 5-16% more CPU. false lets V8 size the heap itself (a little faster where memory is plentiful). `serve` and `build --watch` always let V8 decide.',
          ),
        threads: z
          .number()
          .int()
          .min(0)
          .max(64)
          .default(0)
          .describe(
            "Threads that parse new article files and that render and write the site's feeds and pages: 1 does it all in the build's own thread; 2 or more add helper threads (parsing: when more than 500 files need parsing, as in a build from nothing, helpers take batches of them; rendering: each helper is given a copy of the stories). The output, and what the parse cache keeps, is byte for byte the same. 0 uses one per idle core: for parsing, by the machine's load average when the build starts; for rendering, by the cores other processes left idle while the build read and planned (from the machine's CPU times; a helper on a busy core only adds the cost of copying the stories), when at least 1,000 files must be rendered (fewer are quicker in one thread than the time a thread takes to start). Rendering uses helpers only while the story text is in memory (`ingest.textMemoryMB`): a larger archive renders in the build's thread, and one helper thread encodes, hashes and writes the files.",
          ),
      })
      .prefault({})
      .describe('One-shot builds.'),
    serve: z
      .strictObject({
        port: z
          .number()
          .int()
          .min(0)
          .max(65535)
          .default(8080)
          .describe('Port of `broadsheet serve` (0 picks a free one).'),
        host: z.string().default('127.0.0.1').describe('Interface `broadsheet serve` listens on.'),
        trustProxy: z
          .union([
            z.literal(false),
            z.number().int().min(1).max(32),
            z.array(z.string()).min(1).superRefine(validTrustList),
          ])
          .default(false)
          .describe(
            'Which reverse proxies may name the client in `X-Forwarded-For`, for the signup rate limit (as express\'s "trust proxy"): false trusts none (the socket address is the client); a number trusts that many proxy hops in front of `serve`; a list trusts those addresses, CIDR ranges (e.g. "10.0.0.0/8") or "loopback", "linklocal", "uniquelocal". Behind nginx on the same host: ["loopback"]. A header from an untrusted peer is ignored.',
          ),
      })
      .prefault({})
      .describe('The local preview server.'),
  })
  .superRefine((config, ctx) => {
    refuseOverlapsWithOut(config.paths, ctx);
    if (!isInside(config.paths.out, config.delivery.outbox)) return;
    ctx.addIssue({
      code: 'custom',
      path: ['delivery', 'outbox'],
      message: `"delivery.outbox" ("${config.delivery.outbox}") is inside "paths.out" ("${config.paths.out}"): every build publishes that folder whole (the outbox would vanish from it), and a deploy would publish subscribers' mail; put the outbox outside it, e.g. "outbox"`,
    });
  });

/**
 * Every build replaces `paths.out` whole: set to the articles folder (or a folder holding it,
 * the templates, the state or the config's own folder), it deleted them. One built into
 * `articles` lost all 26 sample articles. Out inside the articles would be read back as
 * articles by the next build (its robots.txt and email.txt files, for a start).
 */
function refuseOverlapsWithOut(
  paths: { out: string; articles: string; templates: string; state: string; cache: string },
  ctx: z.RefinementCtx,
): void {
  const { out } = paths;
  const issue = (message: string) =>
    ctx.addIssue({
      code: 'custom',
      path: ['paths', 'out'],
      message: `"paths.out" ("${out}") ${message}: every build replaces that folder whole; give the output a folder of its own, e.g. "out"`,
    });
  if (isInside(out, '.')) {
    issue("holds the config file's own folder");
    return;
  }
  for (const key of ['articles', 'templates', 'state', 'cache'] as const) {
    const path = paths[key];
    if (isInside(out, path)) issue(`holds "paths.${key}" ("${path}"), which a build would delete`);
    // Templates are read by name (site/*.liquid, email/*): an out inside them is only untidy.
    else if (key === 'articles' && isInside(path, out))
      issue(`is inside "paths.${key}" ("${path}"), which the next build would read its own output from`);
  }
}

/** A trust list proxy-addr (express's) can compile: addresses, CIDRs or its named ranges. */
function validTrustList(list: string[], ctx: z.RefinementCtx): void {
  try {
    proxyAddr.compile(list);
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `${error instanceof Error ? error.message : String(error)}: expected IP addresses, CIDR ranges such as "10.0.0.0/8", or "loopback", "linklocal", "uniquelocal"`,
    });
  }
}

/**
 * Stands for the config file's folder, which the schema does not know: relative paths resolve
 * against it, and no real absolute path is inside it (a NUL is in no path), so an absolute path
 * is compared with a relative one only where the relative one climbs out of the folder.
 */
const CONFIG_FOLDER = '/\u0000config-folder';

/** Whether `path` is `folder` or inside it; relative ones relative to the config file's folder. */
function isInside(folder: string, path: string): boolean {
  const inner = relative(resolve(CONFIG_FOLDER, folder), resolve(CONFIG_FOLDER, path));
  return inner === '' || (!inner.startsWith('..') && !isAbsolute(inner));
}

export type Config = z.infer<typeof configSchema>;
export type TopicRule = z.infer<typeof topicRule>;

/** The embedded defaults: what `npm start` runs on without any config file. */
export function defaultConfig(): Config {
  return configSchema.parse({});
}
