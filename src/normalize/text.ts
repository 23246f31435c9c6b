/**
 * Text hygiene shared by every output. XML 1.0 forbids most C0 controls, lone surrogates and
 * U+FFFE/U+FFFF even as character references, so they are removed here, once, before any
 * renderer sees the text. U+FDD0–U+FDEF (noncharacters) go too: the renderers use them as
 * private placeholders and real text must never collide with one. So does U+FFFD, what a
 * decoder leaves for invalid bytes: it carries no text, and the W3C validator flags it.
 */
const FORBIDDEN = new RegExp(
  [
    '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFD\\uFFFE\\uFFFF]',
    '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])',
    '(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]',
  ].join('|'),
  'g',
);

/** Removes characters XML 1.0 forbids (and C1 controls, which no reader shows). */
export function stripForbiddenChars(text: string): string {
  return text.replace(FORBIDDEN, '');
}

/** One-line text: forbidden characters removed, runs of whitespace collapsed. */
export function cleanLine(text: string): string {
  return stripForbiddenChars(text).replace(/\s+/g, ' ').trim();
}

/**
 * A title reduced to what identifies it: case, accents, quotes, punctuation and spacing
 * removed, so "The Fed’s ‘Big’ Move" and "the fed's big move" compare equal.
 */
export function titleKey(title: string): string {
  // Most text is ASCII: the same key without NFKD and Unicode-class regexes, several times faster
  // (the key of every article's text sample is taken on each build).
  // Curly apostrophes, curly quotes and dashes are common in otherwise ASCII text. Apostrophes
  // go; General Punctuation (U+2000–U+206F), no-break spaces and guillemets hold no letter or
  // digit even after NFKD, so they separate words as any punctuation does.
  const plain = title.replace(/[’‘]/g, '').replace(/[\u2000-\u206F\u00A0\u00AB\u00BB]/g, ' ');
  if (ASCII_ONLY.test(plain)) return asciiKey(plain);
  // Mixed text: a space separates words before and after NFKD alike, so each word takes the
  // path it needs (a story with one accented name is still mostly ASCII).
  const words: string[] = [];
  for (const word of plain.split(' ')) {
    const key = ASCII_ONLY.test(word) ? asciiKey(word) : unicodeKey(word);
    if (key) words.push(key);
  }
  return words.join(' ');
}

function asciiKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/['`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The title key's definition for any text; `titleKey` gives the same result, faster. */
export function unicodeKey(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’‘`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Printable ASCII and ordinary whitespace; anything else takes the Unicode path. */
const ASCII_ONLY = /^[ -~\t\n\r]*$/;

/** Words of a title key, for fuzzy comparison. */
export function titleWords(key: string): string[] {
  return key.split(' ').filter((w) => w.length > 0);
}

/** Similarity of two strings in [0, 1]: 1 - Levenshtein distance / longer length. */
export function editSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return 1 - (previous[b.length] ?? longer) / longer;
}

/** Dice coefficient of two word lists (as sets), in [0, 1]. */
export function wordSimilarity(a: string[], b: string[]): number {
  const setA = new Set(a);
  const setB = new Set(b);
  if (setA.size + setB.size === 0) return 1;
  let shared = 0;
  for (const word of setA) if (setB.has(word)) shared++;
  return (2 * shared) / (setA.size + setB.size);
}

/** Lowercase ASCII slug ("Élan & Co." → "elan-co"), at most `max` characters, cut at a hyphen. */
export function slugify(text: string, max = 80): string {
  const slug = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’‘`´]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max);
  const lastHyphen = cut.lastIndexOf('-');
  return (lastHyphen > max / 2 ? cut.slice(0, lastHyphen) : cut).replace(/-+$/, '');
}
