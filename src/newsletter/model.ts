import type { Config } from '../config/index.ts';
import { shellOf } from '../ingest/index.ts';
import { stripBidiControls, truncateAtWord } from '../normalize/index.ts';
import { messagesFor, plural } from '../render/index.ts';
import type { Edition, EditionSection, Item, Topic } from '../types.ts';
import { editionDateLabel } from './dates.ts';
import type { EditionWindow } from './select.ts';

const PREHEADER_MAX = 140;
/**
 * The {lead} of a subject, at most: a headline runs to ~100 characters and inbox lists show 60-90.
 * A title far longer is most likely a paragraph the export ran into the title line; whole, it
 * made a 6.5 KB Subject header, which mail servers may refuse (RFC 5322's 998-byte lines).
 */
const SUBJECT_LEAD_MAX = 150;

export interface ComposeInput {
  id: string;
  /** The selected stories, newest first; the first becomes the lead. Must not be empty. */
  items: Item[];
  window: EditionWindow;
  config: Config;
}

/** Builds the Edition model: lead story, topic sections, subject, preheader and web view URL. */
export function composeEdition({ id, items, window, config }: ComposeInput): Edition {
  const [lead, ...rest] = items;
  if (!lead) throw new Error('composeEdition: an edition needs at least one story');
  const sections = groupByTopic(rest, topicOrder(config));
  const url = editionUrl(config, id);
  const since = window.since.setZone(config.site.timeZone).toISO();
  const until = window.until.setZone(config.site.timeZone).toISO() ?? '';
  const date = editionDateLabel({ since, until }, config);
  return {
    id,
    subject: editionSubject(config, { id, lead, count: items.length, date }),
    preheader: editionPreheader(lead, items.length, config.site.language),
    since,
    until,
    lead,
    sections,
    url,
  };
}

/** Absolute URL of an edition's web view. */
export function editionUrl(config: Config, id: string): string {
  return new URL(`newsletter/${encodeURIComponent(id)}/`, config.site.baseUrl).href;
}

/** Every story in reading order: the lead, then each section's stories. */
export function editionItems(edition: Edition): Item[] {
  return [edition.lead, ...edition.sections.flatMap((section) => section.items)];
}

/**
 * The edition with every story's paragraphs (body, analysis) emptied: what is recorded and what
 * a compiled edition is keyed by. No email, text part or web view shows paragraphs (highlights,
 * summary and related links are what they show), and with them the first edition of a 100k-story
 * archive was a 55 MB JSON row, each story's text loaded from the parse cache to write it.
 */
export function editionShell(edition: Edition): Edition {
  return {
    ...edition,
    lead: shellOf(edition.lead),
    sections: edition.sections.map((section) => ({ ...section, items: section.items.map(shellOf) })),
  };
}

/**
 * Fills the configured subject pattern. Placeholders: {site}, {date} (the edition's date label in
 * the publication's zone and language), {edition}, {lead}, {count}.
 */
export function editionSubject(
  config: Config,
  values: { id: string; lead: Item; count: number; date: string },
): string {
  const fields: Record<string, string> = {
    site: config.site.title,
    date: values.date,
    edition: values.id,
    lead: subjectLead(values.lead.title),
    count: String(values.count),
  };
  return oneLine(
    config.newsletter.subject.replace(/\{(\w+)\}/g, (whole, key: string) => fields[key] ?? whole),
  );
}

/** "1 story", "12 Artikel": counts for previews and archives, in the site's language. */
export function countStories(count: number, language = 'en'): string {
  return plural(messagesFor(language).storyCount, count, language);
}

/**
 * The inbox preview line: the lead's first highlight (else its summary), cut at a word, then how
 * many other stories follow. Plain text; templates escape it.
 */
export function editionPreheader(lead: Item, count: number, language = 'en'): string {
  const others = count - 1;
  const tail = others > 0 ? ` (${plural(messagesFor(language).moreInEdition, others, language)})` : '';
  const base = oneLine(lead.highlights[0] ?? lead.summary ?? lead.title) || lead.title;
  return truncateAtWord(base, PREHEADER_MAX - tail.length) + tail;
}

/**
 * The edition a subscriber with topic preferences gets: only stories in one of `topics` (slugs);
 * everything when `topics` is empty; null when nothing is left. When the lead is filtered out,
 * the first remaining story leads, and the subject's lead title and the preheader follow it.
 */
export function editionForTopics(edition: Edition, topics: string[], language = 'en'): Edition | null {
  if (topics.length === 0) return edition;
  const wanted = new Set(topics.map((t) => t.toLowerCase()));
  const keeps = (item: Item) => item.topics.some((topic) => wanted.has(topic.slug.toLowerCase()));
  const sections = edition.sections
    .map((section) => ({ topic: section.topic, items: section.items.filter(keeps) }))
    .filter((section) => section.items.length > 0);
  let lead = edition.lead;
  if (!keeps(lead)) {
    const first = sections[0]?.items[0];
    if (!first) return null;
    lead = first;
    sections[0] = { topic: sections[0]?.topic ?? null, items: sections[0]?.items.slice(1) ?? [] };
  }
  const kept = sections.filter((section) => section.items.length > 0);
  const count = 1 + kept.reduce((n, section) => n + section.items.length, 0);
  const subject =
    lead === edition.lead
      ? edition.subject
      : edition.subject.split(subjectLead(edition.lead.title)).join(subjectLead(lead.title));
  return { ...edition, subject, preheader: editionPreheader(lead, count, language), lead, sections: kept };
}

/**
 * Groups stories under their first topic, in the configured topic order (then by name); stories
 * with no topic come last under a null topic. With no topics at all there is one untitled section.
 */
export function groupByTopic(items: Item[], order: Map<string, number>): EditionSection[] {
  const groups = new Map<string, { topic: Topic | null; items: Item[] }>();
  for (const item of items) {
    const topic = primaryTopic(item, order);
    const key = topic?.slug ?? '';
    const group = groups.get(key) ?? { topic, items: [] };
    group.items.push(item);
    groups.set(key, group);
  }
  const rank = (topic: Topic | null) =>
    topic === null ? Number.POSITIVE_INFINITY : (order.get(topic.slug) ?? order.size);
  return [...groups.values()].sort(
    (a, b) => rank(a.topic) - rank(b.topic) || (a.topic?.name ?? '').localeCompare(b.topic?.name ?? ''),
  );
}

/** Configured topics by position, keyed by slug (the configured slug, else the slugified name). */
export function topicOrder(config: Config): Map<string, number> {
  const order = new Map<string, number>();
  config.feeds.topics.forEach((rule, index) => {
    order.set(rule.slug ?? slugify(rule.name), index);
  });
  return order;
}

function primaryTopic(item: Item, order: Map<string, number>): Topic | null {
  const sorted = [...item.topics].sort(
    (a, b) =>
      (order.get(a.slug) ?? order.size) - (order.get(b.slug) ?? order.size) || a.name.localeCompare(b.name),
  );
  return sorted[0] ?? null;
}

function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** A lead title as a subject shows it: one line, cut at a word past SUBJECT_LEAD_MAX. */
function subjectLead(title: string): string {
  return truncateAtWord(oneLine(title), SUBJECT_LEAD_MAX);
}

/** Subject and preheader are shown in the inbox list: one line, no reordering bidi controls. */
function oneLine(text: string): string {
  return stripBidiControls(text).replace(/\s+/g, ' ').trim();
}
