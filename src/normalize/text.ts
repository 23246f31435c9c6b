import { Buffer } from 'node:buffer';

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
  // Most text is made of characters KEY_CLASS knows: one pass over it, no intermediate strings.
  const out = startScan(title.length);
  return scan(title, title.length, out, Number.POSITIVE_INFINITY) ? endScan(out) : regexKey(title);
}

/**
 * The first `maxWords` words of the title key of `parts.join(' ').slice(0, maxChars)`
 * (`titleWords(titleKey(…)).slice(0, maxWords).join(' ')`), without building that text when
 * it is made of characters KEY_CLASS knows.
 */
export function keyPrefix(parts: readonly string[], maxChars: number, maxWords: number): string {
  let length = parts.length - 1;
  for (const part of parts) length += part.length;
  const out = startScan(Math.max(0, Math.min(length, maxChars)));
  let remaining = maxChars;
  for (let p = 0; p < parts.length && !scanFull; p++) {
    if (p > 0) {
      // The space the parts are joined with.
      if (remaining <= 0) break;
      remaining--;
      inWord = false;
    }
    const part = parts[p] as string;
    const end = Math.min(part.length, remaining);
    if (!scan(part, end, out, maxWords)) {
      const words = titleWords(regexKey(parts.join(' ').slice(0, maxChars)));
      return (words.length > maxWords ? words.slice(0, maxWords) : words).join(' ');
    }
    remaining -= end;
  }
  return endScan(out);
}

/**
 * What `scan` does with each UTF-16 unit below U+2070: a letter or digit maps to the
 * lowercase character it adds to the key; SEPARATOR ends a word; DROP is left out without
 * ending one (apostrophes: "fed's" is "feds"); UNKNOWN (and every unit from U+2070 on) sends
 * the text to the regex path. The classes are what the key's definition (`unicodeKey`) does
 * with each character; all are starters that NFKD leaves alone or turns into spaces, so a
 * neighbour never changes what one of them gives.
 */
const UNKNOWN = 0;
const SEPARATOR = 1;
const DROP = 2;
const KEY_CLASS = (() => {
  const table = new Uint8Array(0x2070);
  for (let code = 0x20; code <= 0x7e; code++) table[code] = SEPARATOR;
  for (const code of [0x09, 0x0a, 0x0d, 0xa0, 0xab, 0xbb]) table[code] = SEPARATOR;
  for (let code = 0x30; code <= 0x39; code++) table[code] = code;
  for (let code = 0x61; code <= 0x7a; code++) table[code] = code;
  for (let code = 0x41; code <= 0x5a; code++) table[code] = code + 0x20;
  // General Punctuation: dashes, curly quotes, spaces of every width, zero-width characters.
  for (let code = 0x2000; code <= 0x206f; code++) table[code] = SEPARATOR;
  for (const code of [0x27, 0x60, 0x2018, 0x2019]) table[code] = DROP;
  return table;
})();

/** The key being written (latin1: it holds only a-z, 0-9 and spaces), reused between calls. */
let keyBuffer = Buffer.allocUnsafe(4096);
/** Scan state: bytes written, words started, inside a word, `maxWords` reached. */
let written = 0;
let wordCount = 0;
let inWord = false;
let scanFull = false;

/** Resets the scan state; `length` bounds the key's length (at most one byte per unit read). */
function startScan(length: number): Buffer {
  if (keyBuffer.length < length) keyBuffer = Buffer.allocUnsafe(Math.max(length, keyBuffer.length * 2));
  written = 0;
  wordCount = 0;
  inWord = false;
  scanFull = false;
  return keyBuffer;
}

function endScan(out: Buffer): string {
  return written === 0 ? '' : out.toString('latin1', 0, written);
}

/**
 * Appends the key of `text.slice(0, end)` to `out`, stopping before word `maxWords + 1`
 * (`scanFull`); false when the text holds a character KEY_CLASS does not know.
 */
function scan(text: string, end: number, out: Buffer, maxWords: number): boolean {
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const kind = code < 0x2070 ? (KEY_CLASS[code] as number) : UNKNOWN;
    if (kind > DROP) {
      if (!inWord) {
        if (wordCount >= maxWords) {
          scanFull = true;
          return true;
        }
        if (written > 0) out[written++] = 0x20;
        wordCount++;
        inWord = true;
      }
      out[written++] = kind;
    } else if (kind === SEPARATOR) inWord = false;
    else if (kind === UNKNOWN) return false;
  }
  return true;
}

/** The key by regular expressions: any text (the ASCII ones where it can, else `unicodeKey`). */
function regexKey(title: string): string {
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
