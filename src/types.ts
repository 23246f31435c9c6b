/**
 * Broadsheet's domain types, one place per concept. Every stage takes and returns these
 * plain values; nothing here touches the file system, the clock or the network.
 *
 * Dates are ISO 8601 strings with an offset (luxon's `toISO()`), so values survive JSON
 * (the `inspect --json` output, the parse cache in the state store) unchanged.
 */
import type { DiagnosticCode } from './diagnostic-codes.ts';

/** Where a piece of input came from: a file and an inclusive, 1-based line range. */
export interface SourceRef {
  file: string;
  startLine: number;
  endLine: number;
}

export type Severity = 'error' | 'warning';

/** A problem found while working, reported like a compiler's: collected, never thrown. */
export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable code, one of the table in `diagnostic-codes.ts`. */
  code: DiagnosticCode;
  message: string;
  file?: string;
  line?: number;
}

/** How body and analysis paragraphs are written: plain text (exports) or Markdown blocks. */
export type TextFormat = 'text' | 'markdown';

/** One article as read from the publisher's files (after the within-file merge). */
export interface Article {
  title: string;
  /** `A and B` in a byline is two authors. Empty when there is no byline. */
  authors: string[];
  /** ISO 8601 with offset, or null when the source gives none (never "now"). */
  published: string | null;
  updated: string | null;
  highlights: string[];
  /** One entry per paragraph (text) or block (markdown). */
  body: string[];
  /** The "What this might mean" section, same format as `body`. */
  analysis: string[];
  /** Related article titles, as written (titles, not links). */
  related: string[];
  /** Topic tags (Markdown front matter); empty for exports. */
  tags: string[];
  canonicalUrl: string | null;
  format: TextFormat;
  /** Every place this article was read from: several after a merge. The first is canonical. */
  sources: SourceRef[];
  /** The copies folded into this one by a merge (within a file or across files). */
  mergedFrom: SourceRef[];
  /**
   * Pictures and sound the article names (Markdown front matter and images), as written; the
   * build finds the files and measures them (`resolved`, set by pipeline/media.ts).
   */
  media?: ArticleMedia;
}

/** An image as an article names it: a file beside the article (or an http(s) URL). */
export interface ImageRef {
  src: string;
  alt: string | null;
  caption: string | null;
  /** The line of the article file that names it, for diagnostics. */
  line: number;
}

/** Podcast fields of an enclosure (the itunes: namespace in RSS), each only when set. */
export interface PodcastFields {
  /** Seconds. */
  duration?: number;
  episode?: number;
  season?: number;
  episodeType?: 'full' | 'trailer' | 'bonus';
  explicit?: boolean;
}

/** Audio or video as front matter's `enclosure` names it: a file beside the article or a URL. */
export interface EnclosureRef {
  src: string;
  type: string | null;
  length: number | null;
  podcast: PodcastFields;
  line: number;
}

export interface ArticleMedia {
  /** Front matter `image` / `image_alt` / `image_caption`. */
  image: ImageRef | null;
  enclosure: EnclosureRef | null;
  /** Images in the Markdown text that name a file (not a URL). */
  inline: ImageRef[];
  /** Set by the build once the files are found and measured. */
  resolved?: ItemMedia;
}

/** An image found and measured: what pages, feeds and the email show. */
export interface ResolvedImage {
  /** Absolute URL. */
  url: string;
  /** Null for an http(s) image we did not fetch (its size is unknown). */
  width: number | null;
  height: number | null;
  /** MIME type. */
  type: string | null;
  /** Bytes, when known. */
  length: number | null;
  alt: string;
  caption: string | null;
}

export interface ResolvedEnclosure {
  /** Absolute URL. */
  url: string;
  type: string;
  /** Bytes (RSS requires it; 0 when a URL's length was not given). */
  length: number;
  podcast: PodcastFields;
}

/** An item's pictures and sound, resolved to URLs in out/ (or the publisher's URLs). */
export interface ItemMedia {
  image: ResolvedImage | null;
  enclosure: ResolvedEnclosure | null;
  /** Markdown images by their `src` as written. */
  inline: Record<string, ResolvedImage>;
}

/** A related title after resolution: a link where it names an article we have. */
export interface RelatedLink {
  title: string;
  /** Our page for the matched item, or null when no article matches (rendered as text). */
  url: string | null;
  itemId: string | null;
}

export interface Topic {
  slug: string;
  name: string;
}

/** One story as a feed shows it: an `Article` given identity, dates and links. */
export interface Item {
  /** Stable forever: never changes when the article is edited. A `tag:` URI. */
  id: string;
  slug: string;
  /** Absolute URL of our page for this item. */
  url: string;
  /** The publisher's canonical URL, when the article names one. */
  canonicalUrl: string | null;
  title: string;
  authors: string[];
  /** Always set: the article's date, else the time the story was first seen (state store). */
  published: string;
  /** The article's own updated date, else when its content last changed, else `published`. */
  updated: string;
  /** Plain-text summary: the highlights, or the lead paragraph. */
  summary: string;
  highlights: string[];
  body: string[];
  analysis: string[];
  format: TextFormat;
  related: RelatedLink[];
  topics: Topic[];
  sources: SourceRef[];
  mergedFrom: SourceRef[];
  /** Hash of the rendered-relevant content; a change means the item was edited. */
  contentHash: string;
  /** Lead image, enclosure and Markdown images, when the article has any. */
  media?: ItemMedia;
}

/** A newsletter section: stories grouped under a topic, or under no topic. */
export interface EditionSection {
  topic: Topic | null;
  items: Item[];
}

/** One newsletter issue. */
export interface Edition {
  /** Readable and sortable: `2026-11-24` (daily or since-last) or `2026-W48` (weekly). */
  id: string;
  subject: string;
  preheader: string;
  /** The window of publication dates it covers, ISO 8601 with offset: `[since, until)`, half-open. */
  since: string | null;
  until: string;
  lead: Item;
  sections: EditionSection[];
  /** Absolute URL of the web view. */
  url: string;
}

/** One recorded edition as the archive lists it: read from the state store, never recompiled. */
export interface EditionSummary {
  id: string;
  subject: string;
  preheader: string;
  /** Absolute URL of the web view. */
  url: string;
  since: string | null;
  until: string;
  storyCount: number;
  createdAt: string;
}

/** Every status a subscriber can have; `paused` (by the person, on the preferences page) gets no mail until resumed. */
export const SUBSCRIBER_STATUSES = ['active', 'paused', 'unsubscribed', 'bounced'] as const;
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];

export interface Subscriber {
  id: number;
  email: string;
  name: string | null;
  status: SubscriberStatus;
  /** Topic slugs this subscriber wants; empty means everything. */
  topics: string[];
  createdAt: string;
  bounceCount: number;
}

export type DeliveryState = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';

/** One message of one edition to one subscriber, as recorded in the ledger. */
export interface Delivery {
  editionId: string;
  subscriberId: number;
  state: DeliveryState;
  messageId: string;
  attempts: number;
  lastError: string | null;
  updatedAt: string;
}

/** A file the build wants in `out/`: a POSIX path relative to the output root. */
export interface OutputFile {
  path: string;
  contents: string | Uint8Array;
}

/**
 * A file the build wants in `out/`, not rendered yet. `key` is a hash of everything its bytes
 * depend on (the items it shows, the site settings, the code that renders it): when the last
 * build wrote this path under the same key, the writer leaves the file alone without rendering it.
 * Rendering one output at a time as it is written also keeps a 100k-story site out of memory.
 */
export interface PlannedOutput {
  path: string;
  key: string;
  render: () => string;
}

/**
 * A file the build copies into `out/` from the articles folder (a picture, an episode): copied by
 * the kernel, never held in memory, since one podcast episode can be larger than the whole site.
 * `key` is its content hash and size: when the live build holds it intact under the same key,
 * the writer does not read it again.
 */
export interface CopiedOutput {
  path: string;
  key: string;
  /** The absolute path of the file to copy. */
  copyFrom: string;
  /** Its content hash (the manifest's hash for it) and size, as the build measured them. */
  hash: string;
  size: number;
}

export type Output = OutputFile | PlannedOutput | CopiedOutput;
