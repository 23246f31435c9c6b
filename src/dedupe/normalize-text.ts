import { FNV_OFFSET, FNV_PRIME, fmix32 } from './hash.ts';

/**
 * Text normalization for comparison: NFKD (full-width letters, ligatures and compatibility
 * forms become their plain form, accents come apart from their letters), lowercase, and every
 * character that is not a letter, digit or combining mark becomes a word break. Curly and
 * straight quotes, dashes, punctuation and runs of whitespace therefore all compare equal:
 * re-scraped copies differ in exactly those.
 *
 * Accents are dropped from Latin, Greek and Cyrillic letters ("Café" = "Cafe"; Greek capitals
 * are written without tonos, so "ΝΕΑ" must equal "Νέα"). In other scripts combining marks are
 * vowels or consonant parts (Devanagari matras, kana voicing marks) and are kept.
 *
 * Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Burmese)
 * have no word breaks to find, so each of their characters is a token of its own; shingles
 * over them are then character n-grams, which is the usual way to compare such text.
 */

enum CharClass {
  Unknown = 0,
  /** Letter or digit: part of a word. */
  Word = 1,
  /** Latin, Greek or Cyrillic letter: part of a word, and its accents are dropped. */
  AccentedWord = 2,
  /** A character of an unspaced script: a token by itself. */
  Unspaced = 3,
  /** Combining mark: belongs to the token before it. */
  Mark = 4,
  Separator = 5,
}

/** Word and AccentedWord, the two classes that continue a word (cheaper than two compares). */
const LAST_WORD_CLASS = CharClass.AccentedWord;

const WORD_CHAR = /^[\p{L}\p{N}]$/u;
const ACCENTED_SCRIPT_LETTER = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]$/u;
const MARK_CHAR = /^\p{M}$/u;
const UNSPACED_CHAR =
  /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]$/u;

/** Classes of non-ASCII code points, filled on first sight (a regex per character is slow). */
const classCache = new Uint8Array(0x110000);

function classifyNonAscii(codePoint: number): CharClass {
  const cached = classCache[codePoint] as CharClass;
  if (cached !== CharClass.Unknown) return cached;
  const char = String.fromCodePoint(codePoint);
  const found = MARK_CHAR.test(char)
    ? CharClass.Mark
    : UNSPACED_CHAR.test(char)
      ? CharClass.Unspaced
      : WORD_CHAR.test(char)
        ? ACCENTED_SCRIPT_LETTER.test(char)
          ? CharClass.AccentedWord
          : CharClass.Word
        : CharClass.Separator;
  classCache[codePoint] = found;
  return found;
}

/** ASCII classes by table: letters and digits are words, everything else separates. */
const ASCII_CLASS = new Uint8Array(0x80).fill(CharClass.Separator);
/** What to OR into an ASCII code point to lowercase it (0x20 for A-Z). */
const ASCII_LOWER = new Uint8Array(0x80);
for (let c = 0x30; c <= 0x39; c++) ASCII_CLASS[c] = CharClass.Word;
for (let c = 0x41; c <= 0x5a; c++) {
  ASCII_CLASS[c] = CharClass.AccentedWord;
  ASCII_CLASS[c + 0x20] = CharClass.AccentedWord;
  ASCII_LOWER[c] = 0x20;
}

function classify(codePoint: number): CharClass {
  return codePoint < 0x80 ? (ASCII_CLASS[codePoint] as CharClass) : classifyNonAscii(codePoint);
}

/** A growable buffer of token hashes, reused across articles so the hot loop does not allocate. */
export class TokenBuffer {
  hashes = new Uint32Array(1024);
  length = 0;

  clear(): void {
    this.length = 0;
  }

  /** Makes room for `extra` more hashes; the scanner then writes without bounds checks. */
  reserve(extra: number): Uint32Array {
    const needed = this.length + extra;
    if (needed > this.hashes.length) {
      const grown = new Uint32Array(Math.max(needed, this.hashes.length * 2));
      grown.set(this.hashes.subarray(0, this.length));
      this.hashes = grown;
    }
    return this.hashes;
  }

  /** The tokens so far, as a view (valid until the next push or clear). */
  view(): Uint32Array {
    return this.hashes.subarray(0, this.length);
  }
}

/** Folds case and compatibility forms and separates accents (NFKD, then lowercase). */
function foldText(text: string): string {
  return text.normalize('NFKD').toLowerCase();
}

/**
 * Appends the hashes of the normalized tokens of `text` to `out`. Tokens are never built as
 * strings: each is hashed code point by code point as the text is scanned.
 *
 * Most copy is ASCII (with curly quotes and dashes: TYPOGRAPHIC), which NFKD leaves alone and
 * whose case the scanner folds itself, so the text is scanned as is; at the first other
 * non-ASCII character the scan starts over on the folded text. That saves two string copies
 * per paragraph in the common case.
 */
export function appendTokenHashes(text: string, out: TokenBuffer): void {
  const start = out.length;
  if (!scanAscii(text, out)) {
    out.length = start;
    scanTokens(foldText(text), out);
  }
}

/**
 * Non-ASCII characters common in otherwise ASCII copy that NFKD leaves as they are or turns
 * into ASCII separators, and that are separators themselves: curly quotes, en and em dashes,
 * the ellipsis (NFKD "..."), the no-break space (NFKD a space). The ASCII scan takes them as
 * separators instead of starting over on the folded text; they are starters, so no neighbour
 * is changed by NFKD around them.
 */
const TYPOGRAPHIC_END = 0x2027;
const TYPOGRAPHIC = new Uint8Array(TYPOGRAPHIC_END);
for (const code of [0x00a0, 0x2013, 0x2014, 0x2018, 0x2019, 0x201c, 0x201d, 0x2026]) TYPOGRAPHIC[code] = 1;

/**
 * What `scanTokens` does with an ASCII character, in one lookup: a letter or digit maps to
 * its lowercase code (hashed into the word), anything else to 0 (a separator).
 */
const ASCII_FOLD = new Uint8Array(0x80);
for (let c = 0; c < 0x80; c++) {
  if (ASCII_CLASS[c] !== CharClass.Separator) ASCII_FOLD[c] = c | (ASCII_LOWER[c] as number);
}

/**
 * `scanTokens` for text made of ASCII and TYPOGRAPHIC characters, where no character is a
 * mark or of an unspaced script: only letters, digits and separators. Gives up (returns
 * false) at any other character; the caller then scans the folded text.
 */
function scanAscii(text: string, out: TokenBuffer): boolean {
  const hashes = out.reserve(text.length);
  let length = out.length;
  let hash = FNV_OFFSET;
  let inToken = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      const folded = ASCII_FOLD[code] as number;
      if (folded !== 0) {
        if (!inToken) {
          hash = FNV_OFFSET;
          inToken = true;
        }
        hash = Math.imul(hash ^ folded, FNV_PRIME);
        continue;
      }
    } else if (code >= TYPOGRAPHIC_END || TYPOGRAPHIC[code] === 0) {
      return false;
    }
    if (inToken) {
      hashes[length++] = fmix32(hash);
      inToken = false;
    }
  }
  if (inToken) hashes[length++] = fmix32(hash);
  out.length = length;
  return true;
}

/** Scans (folded) `text` into `out`. */
function scanTokens(text: string, out: TokenBuffer): void {
  // A text has at most one token per UTF-16 unit. Locals, not fields, keep the loop tight.
  const hashes = out.reserve(text.length);
  let length = out.length;
  let hash = FNV_OFFSET;
  let inToken = false;
  // An unspaced-script character is a whole token, though marks after it still belong to it.
  let singleChar = false;
  // Whether marks after the current letter are accents to drop.
  let dropMarks = false;
  for (let i = 0; i < text.length; i++) {
    let codePoint = text.charCodeAt(i);
    let charClass: CharClass;
    if (codePoint < 0x80) {
      charClass = ASCII_CLASS[codePoint] as CharClass;
      codePoint |= ASCII_LOWER[codePoint] as number;
    } else {
      if (codePoint >= 0xd800 && codePoint <= 0xdbff && i + 1 < text.length) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          codePoint = ((codePoint - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
          i++;
        }
      }
      charClass = classifyNonAscii(codePoint);
    }
    if (charClass <= LAST_WORD_CLASS && !singleChar) {
      // The common case first: one more letter of the current word (or the start of one).
      if (!inToken) {
        hash = FNV_OFFSET;
        inToken = true;
      }
      hash = Math.imul(hash ^ codePoint, FNV_PRIME);
      dropMarks = charClass === CharClass.AccentedWord;
      continue;
    }
    if (charClass === CharClass.Mark) {
      if (inToken && !dropMarks) hash = Math.imul(hash ^ codePoint, FNV_PRIME);
      continue;
    }
    if (inToken) {
      hashes[length++] = fmix32(hash);
      inToken = false;
    }
    singleChar = false;
    if (charClass === CharClass.Separator) continue;
    // A word character after an unspaced one, or an unspaced character: a new token.
    hash = Math.imul(FNV_OFFSET ^ codePoint, FNV_PRIME);
    inToken = true;
    singleChar = charClass === CharClass.Unspaced;
    dropMarks = charClass === CharClass.AccentedWord;
  }
  if (inToken) hashes[length++] = fmix32(hash);
  out.length = length;
}

/** The token hashes of a text as a fresh array (for short texts: titles, leads). */
export function tokenHashes(text: string): Uint32Array {
  const buffer = new TokenBuffer();
  appendTokenHashes(text, buffer);
  return buffer.view().slice();
}

/**
 * The normalized form as a readable string: what `appendTokenHashes` compares, with tokens
 * joined by single spaces. For tests and diagnostics; the hot path never builds it.
 */
export function normalizeText(text: string): string {
  const tokens: string[] = [];
  let current = '';
  let singleChar = false;
  let dropMarks = false;
  for (const char of foldText(text)) {
    const charClass = classify(char.codePointAt(0) ?? 0);
    if (charClass === CharClass.Mark) {
      if (current && !dropMarks) current += char;
      continue;
    }
    if (current && (charClass > LAST_WORD_CLASS || singleChar)) {
      tokens.push(current);
      current = '';
    }
    if (charClass === CharClass.Separator) continue;
    singleChar = charClass === CharClass.Unspaced;
    dropMarks = charClass === CharClass.AccentedWord;
    current += char;
  }
  if (current) tokens.push(current);
  // Recompose what is left (kana with voicing marks, Hangul) so the text reads as written.
  return tokens.join(' ').normalize('NFC');
}
