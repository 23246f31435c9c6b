import { createHash } from 'node:crypto';
import type { TopicRule } from '../config/index.ts';
import type { Topic } from '../types.ts';
import { cleanLine, slugify } from './text.ts';

/** What topic assignment looks at. */
export interface TopicSource {
  title: string;
  highlights: string[];
  tags: string[];
}

/**
 * The topics of one story: each configured rule whose tags include one of the story's
 * front-matter tags (case-insensitive) or whose keywords appear as whole words in its title
 * or highlights, then each remaining tag as a topic of its own. Rules come first, in config
 * order; no topic appears twice.
 */
export function assignTopics(source: TopicSource, rules: TopicRule[]): Topic[] {
  const topics: Topic[] = [];
  const add = (topic: Topic): void => {
    if (topic.slug && !topics.some((t) => t.slug === topic.slug)) topics.push(topic);
  };
  const tags = source.tags.map(cleanLine).filter(Boolean);
  const tagKeys = new Set(tags.map((t) => t.toLowerCase()));
  const haystack = [source.title, ...source.highlights].join('\n');
  const lower = FOLDS_TO_ASCII.test(haystack) ? null : haystack.toLowerCase();
  const coveredTags = new Set<string>();
  for (const rule of compiledRules(rules)) {
    const tagHit = rule.tags.filter((t) => tagKeys.has(t));
    for (const t of tagHit) coveredTags.add(t);
    if (tagHit.length > 0 || rule.keywords.some((k) => containsPhrase(haystack, lower, k))) add(rule.topic);
  }
  for (const tag of tags) {
    if (!coveredTags.has(tag.toLowerCase())) add({ slug: topicSlug(tag), name: tag });
  }
  return shared(topics, rules);
}

/**
 * Stories with the same topics share one frozen list: most stories have one of a few lists, and
 * a list of its own per story was ~12 MiB of a 100k-story build's peak. Kept per rules array
 * (one per loaded config), so a reloaded config starts afresh.
 */
const sharedLists = new WeakMap<TopicRule[], Map<string, Topic[]>>();

function shared(topics: Topic[], rules: TopicRule[]): Topic[] {
  let lists = sharedLists.get(rules);
  if (!lists) {
    lists = new Map();
    sharedLists.set(rules, lists);
  }
  const key = topics.map((topic) => `${topic.slug}\u0000${topic.name}`).join('\u0001');
  let list = lists.get(key);
  if (!list) {
    list = Object.freeze(topics.map((topic) => Object.freeze(topic))) as Topic[];
    lists.set(key, list);
  }
  return list;
}

/** A rule as every story is tested against it: its topic, its tags lowercased, its keywords compiled. */
interface CompiledRule {
  topic: Topic;
  tags: string[];
  keywords: (PhrasePattern | null)[];
}

/**
 * Rules compiled once per rules array (one per loaded config), not per story: every story is
 * tested against every rule, and making each rule's topic, lowercased tags and keyword lookups
 * again per story took ~45 ms of a 10k archive's topics (204 → 158 ms in a profiled build).
 */
const compiled = new WeakMap<TopicRule[], CompiledRule[]>();

function compiledRules(rules: TopicRule[]): CompiledRule[] {
  let list = compiled.get(rules);
  if (!list) {
    list = rules.map((rule) => {
      const topic = ruleTopic(rule);
      return {
        topic,
        tags: [...rule.tags, rule.name, topic.slug].map((t) => t.toLowerCase()),
        keywords: rule.keywords.map(phrasePattern),
      };
    });
    compiled.set(rules, list);
  }
  return list;
}

export function ruleTopic(rule: TopicRule): Topic {
  return { slug: rule.slug ?? topicSlug(rule.name), name: rule.name };
}

/** A URL-safe slug; names with no Latin letters ("政治") get a stable hash one. */
export function topicSlug(name: string): string {
  const key = name.toLowerCase();
  return slugify(key, 60) || `topic-${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;
}

const NON_ASCII = /[\u0080-\uFFFF]/;
/** The only characters a case-insensitive (iu) regex matches with ASCII ones: ſ (s), K (Kelvin). */
const FOLDS_TO_ASCII = /[\u017F\u212A]/;

/**
 * Whole-word, case-insensitive: "AI" matches "AI rules" but not "said". `lower` is the text
 * lowercased, unless it holds a character FOLDS_TO_ASCII: then an ASCII phrase can only match
 * where its first word appears lowercased, and most texts are ruled out without the regex.
 */
function containsPhrase(text: string, lower: string | null, entry: PhrasePattern | null): boolean {
  if (entry === null) return false;
  if (lower !== null && entry.probe !== null && !lower.includes(entry.probe)) return false;
  return entry.pattern.test(text);
}

interface PhrasePattern {
  pattern: RegExp;
  /** The phrase's first word lowercased, when the phrase is all ASCII. */
  probe: string | null;
}

/** Every story is tested against every keyword: each pattern is compiled once, not per story. */
const phrasePatterns = new Map<string, PhrasePattern | null>();

function phrasePattern(phrase: string): PhrasePattern | null {
  let entry = phrasePatterns.get(phrase);
  if (entry === undefined) {
    const trimmed = phrase.trim();
    const escaped = trimmed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
    // No g flag: test() keeps no lastIndex between stories.
    entry = trimmed
      ? {
          pattern: new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu'),
          probe: NON_ASCII.test(trimmed) ? null : (trimmed.split(/\s+/)[0] as string).toLowerCase(),
        }
      : null;
    if (phrasePatterns.size > 10_000) phrasePatterns.clear(); // a long-running `serve` stays bounded
    phrasePatterns.set(phrase, entry);
  }
  return entry;
}
