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

/**
 * Every character FORBIDDEN can match, surrogates paired or not: most text has none and is
 * returned as it is, without the slower search for lone surrogates.
 */
const MAYBE_FORBIDDEN = new RegExp(
  [
    '[',
    '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F',
    '\\uD800-\\uDFFF\\uFDD0-\\uFDEF\\uFFFD-\\uFFFF',
    ']',
  ].join(''),
);

/** Removes characters XML 1.0 forbids (and C1 controls, which no reader shows). */
export function stripForbiddenChars(text: string): string {
  return MAYBE_FORBIDDEN.test(text) ? text.replace(FORBIDDEN, '') : text;
}

/** Whitespace other than a single space: only then is there a run to collapse. */
const SPACING = /[^\S ]|\s\s/;

/** One-line text: forbidden characters removed, runs of whitespace collapsed. */
export function cleanLine(text: string): string {
  const stripped = stripForbiddenChars(text);
  return (SPACING.test(stripped) ? stripped.replace(/\s+/g, ' ') : stripped).trim();
}

/**
 * The bidi controls that reorder what follows them: embeddings and overrides (U+202A–U+202E)
 * and isolates (U+2066–U+2069). In a title or an email Subject, U+202E turns "Invoice
 * \u202Egnp.exe" into what reads as "Invoice exe.png". The marks (LRM, RLM, ALM) stay: they
 * only set the direction of neutral characters around them, cannot reverse a run of letters,
 * and mixed Hebrew or Arabic titles need them.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** Text with the reordering bidi controls removed (see BIDI_CONTROLS). */
export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/** One line of text that is shown as a name or a title, or reaches a header: `cleanLine`, bidi controls removed. */
export function cleanLabel(text: string): string {
  return cleanLine(stripBidiControls(text));
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/**
 * The last grapheme boundary at or before `at` (a UTF-16 index): where text can be cut without
 * splitting a surrogate pair, an emoji ZWJ sequence, a flag or a letter from its accents.
 * Whether there is a boundary before a character depends on what precedes it and on that one
 * character, so only the text up to one character past `at` is segmented, and only from the
 * nearest point before it that is a boundary whatever precedes it (see `alwaysBoundary`):
 * segmenting from the start of the text made cutting summaries most of a 10k build's render.
 */
export function graphemeBoundaryAtOrBefore(text: string, at: number): number {
  if (at >= text.length) return text.length;
  let from = at;
  while (from > 0 && !alwaysBoundary(text, from)) from--;
  if (from === at) return at;
  let boundary = from;
  for (const { index } of graphemes.segment(text.slice(from, at + 2))) {
    if (from + index > at) break;
    boundary = from + index;
  }
  return boundary;
}

/**
 * Whether there is a grapheme boundary before `text[at]` (0 < at) whatever came before: both
 * characters are below U+0300 (no extending, joining, spacing or prepended mark, no regional
 * indicator is there; © and ® start an emoji sequence, never continue one) and are not CR LF.
 * Segmenting from such a point gives the same boundaries after it as segmenting from the start.
 */
function alwaysBoundary(text: string, at: number): boolean {
  const before = text.charCodeAt(at - 1);
  const here = text.charCodeAt(at);
  return before < 0x300 && here < 0x300 && !(before === 13 && here === 10);
}

/**
 * A title reduced to what identifies it: case, accents, quotes, punctuation and spacing
 * removed, so "The Fed’s ‘Big’ Move" and "the fed's big move" compare equal.
 */
export function titleKey(title: string): string {
  startScan(title.length);
  scan(title, title.length, Number.POSITIVE_INFINITY);
  return endScan();
}

/**
 * The first `maxWords` words of the title key of `parts.join(' ').slice(0, maxChars)`
 * (`titleWords(titleKey(…)).slice(0, maxWords).join(' ')`), without building that text and
 * without keying the words past the last one kept.
 */
export function keyPrefix(parts: readonly string[], maxChars: number, maxWords: number): string {
  let length = parts.length - 1;
  for (const part of parts) length += part.length;
  startScan(Math.max(0, Math.min(length, maxChars)));
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
    scan(part, end, maxWords);
    remaining -= end;
  }
  return endScan();
}

/*
 * How the key is taken, as `unicodeKey` defines it, several times faster: text is split into
 * words at spaces (of any width, U+2000–U+206F, no-break) and guillemets, which separate words
 * before and after NFKD alike. Within a word, each character KEY_CLASS knows (printable ASCII,
 * tab, CR, LF; what it does with them is what `unicodeKey` does, and none of them is changed
 * by a neighbour) is handled by a table lookup; a word holding any other character is keyed
 * by `unicodeKey` itself, after curly apostrophes are dropped. Most text is ASCII but for a
 * few names: one pass, no intermediate strings.
 *
 * KEY_CLASS, for each UTF-16 unit below U+2070: a letter or digit maps to the lowercase
 * character it adds to the key; SEPARATOR ends a key word; DELIMITER also ends a text word;
 * DROP is left out without ending one (apostrophes: "fed's" is "feds"); UNKNOWN (as is every
 * unit from U+2070 on) sends its text word to `unicodeKey`.
 */
const UNKNOWN = 0;
const SEPARATOR = 1;
const DROP = 2;
const DELIMITER = 3;
const KEY_CLASS = (() => {
  const table = new Uint8Array(0x2070);
  for (let code = 0x20; code <= 0x7e; code++) table[code] = SEPARATOR;
  for (const code of [0x09, 0x0a, 0x0d]) table[code] = SEPARATOR;
  for (let code = 0x30; code <= 0x39; code++) table[code] = code;
  for (let code = 0x61; code <= 0x7a; code++) table[code] = code;
  for (let code = 0x41; code <= 0x5a; code++) table[code] = code + 0x20;
  for (let code = 0x2000; code <= 0x206f; code++) table[code] = DELIMITER;
  for (const code of [0x20, 0xa0, 0xab, 0xbb]) table[code] = DELIMITER;
  for (const code of [0x27, 0x60, 0x2018, 0x2019]) table[code] = DROP;
  return table;
})();

/**
 * Scan state. The key is `head` then `keyBuffer[0, written)`: ASCII key words go to the buffer
 * (latin1: only a-z, 0-9 and spaces); a word keyed by `unicodeKey` moves the buffer to `head`.
 */
let keyBuffer = Buffer.allocUnsafe(4096);
let head = '';
let written = 0;
let wordCount = 0;
let inWord = false;
/** `maxWords` words are written and another one starts: the scan is over. */
let scanFull = false;

/** Resets the scan state; `length` is the most units the scan will read. */
function startScan(length: number): void {
  // Each unit read writes at most one byte (a space is written for a separator read earlier).
  if (keyBuffer.length < length) keyBuffer = Buffer.allocUnsafe(Math.max(length, keyBuffer.length * 2));
  head = '';
  written = 0;
  wordCount = 0;
  inWord = false;
  scanFull = false;
}

function endScan(): string {
  const key = written === 0 ? head : head + keyBuffer.toString('latin1', 0, written);
  head = '';
  return key;
}

/** Appends the key of `text.slice(0, end)`, stopping before word `maxWords + 1` (`scanFull`). */
function scan(text: string, end: number, maxWords: number): void {
  const out = keyBuffer;
  // The state in locals for the loop (module variables are slower to reach), stored at the end.
  let n = written;
  let words = wordCount;
  let inside = inWord;
  // Where the current text word started, and the key's state then (to key it again).
  let wordStart = 0;
  let startWritten = n;
  let startCount = words;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const kind = code < 0x2070 ? (KEY_CLASS[code] as number) : UNKNOWN;
    if (kind > DELIMITER) {
      if (!inside) {
        if (words >= maxWords) {
          scanFull = true;
          break;
        }
        if (words > 0) out[n++] = 0x20;
        words++;
        inside = true;
      }
      out[n++] = kind;
    } else if (kind === SEPARATOR) {
      inside = false;
    } else if (kind === DELIMITER) {
      inside = false;
      wordStart = i + 1;
      startWritten = n;
      startCount = words;
    } else if (kind === UNKNOWN) {
      let wordEnd = i + 1;
      while (wordEnd < end && !isDelimiter(text.charCodeAt(wordEnd))) wordEnd++;
      written = startWritten;
      wordCount = startCount;
      appendWords(unicodeKey(text.slice(wordStart, wordEnd).replace(/[’‘]/g, '')), maxWords);
      n = written;
      words = wordCount;
      inside = false;
      if (scanFull) break;
      // The loop goes on at the delimiter.
      i = wordEnd - 1;
    }
  }
  written = n;
  wordCount = words;
  inWord = inside;
}

function isDelimiter(code: number): boolean {
  return code < 0x2070 && KEY_CLASS[code] === DELIMITER;
}

/** Appends the words of a key from `unicodeKey`, up to `maxWords` in all. */
function appendWords(key: string, maxWords: number): void {
  if (key === '') return;
  head += keyBuffer.toString('latin1', 0, written);
  written = 0;
  for (const word of key.split(' ')) {
    if (wordCount >= maxWords) {
      scanFull = true;
      return;
    }
    head += wordCount > 0 ? ` ${word}` : word;
    wordCount++;
  }
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

const PRINTABLE_ASCII = /^[ -~]*$/;

/** Lowercase ASCII slug ("Élan & Co." → "elan-co"), at most `max` characters, cut at a hyphen. */
export function slugify(text: string, max = 80): string {
  // NFKD leaves printable ASCII as it is and it has no marks to remove: most titles skip both.
  const slug = (PRINTABLE_ASCII.test(text) ? text : text.normalize('NFKD').replace(/\p{M}/gu, ''))
    .toLowerCase()
    .replace(/['’‘`´]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max);
  const lastHyphen = cut.lastIndexOf('-');
  return (lastHyphen > max / 2 ? cut.slice(0, lastHyphen) : cut).replace(/-+$/, '');
}
