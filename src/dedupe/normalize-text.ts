import { FNV_OFFSET, fmix32, fnvStep } from './hash.ts';

/**
 * Text normalization for comparison: NFKC (full-width letters, ligatures and compatibility
 * forms become their plain form), lowercase, and every character that is not a letter, digit
 * or combining mark becomes a word break. Curly and straight quotes, dashes, punctuation and
 * runs of whitespace therefore all compare equal: re-scraped copies differ in exactly those.
 *
 * Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Burmese)
 * have no word breaks to find, so each of their characters is a token of its own; shingles
 * over them are then character n-grams, which is the usual way to compare such text.
 */

enum CharClass {
  Unknown = 0,
  /** Letter or digit: part of a word. */
  Word = 1,
  /** A character of an unspaced script: a token by itself. */
  Unspaced = 2,
  /** Combining mark: belongs to the token before it. */
  Mark = 3,
  Separator = 4,
}

const WORD_CHAR = /^[\p{L}\p{N}]$/u;
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
        ? CharClass.Word
        : CharClass.Separator;
  classCache[codePoint] = found;
  return found;
}

function classify(codePoint: number): CharClass {
  if (codePoint < 0x80) {
    const isDigit = codePoint >= 0x30 && codePoint <= 0x39;
    const isLetter = (codePoint | 0x20) >= 0x61 && (codePoint | 0x20) <= 0x7a;
    return isDigit || isLetter ? CharClass.Word : CharClass.Separator;
  }
  return classifyNonAscii(codePoint);
}

/** A growable buffer of token hashes, reused across articles so the hot loop does not allocate. */
export class TokenBuffer {
  hashes = new Uint32Array(1024);
  length = 0;

  clear(): void {
    this.length = 0;
  }

  push(hash: number): void {
    if (this.length === this.hashes.length) {
      const grown = new Uint32Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[this.length++] = hash;
  }

  /** The tokens so far, as a view (valid until the next push or clear). */
  view(): Uint32Array {
    return this.hashes.subarray(0, this.length);
  }
}

/** Folds case and compatibility forms; the one string allocated per text. */
function foldText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/**
 * Appends the hashes of the normalized tokens of `text` to `out`. Tokens are never built as
 * strings: each is hashed code point by code point as the text is scanned.
 */
export function appendTokenHashes(text: string, out: TokenBuffer): void {
  const folded = foldText(text);
  let hash = FNV_OFFSET;
  let inToken = false;
  // An unspaced-script character is a whole token, though marks after it still belong to it.
  let singleChar = false;
  for (let i = 0; i < folded.length; i++) {
    let codePoint = folded.charCodeAt(i);
    if (codePoint >= 0xd800 && codePoint <= 0xdbff && i + 1 < folded.length) {
      const low = folded.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        codePoint = ((codePoint - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
        i++;
      }
    }
    const charClass = classify(codePoint);
    if (charClass === CharClass.Mark) {
      if (inToken) hash = fnvStep(hash, codePoint);
      continue;
    }
    if (inToken && (charClass !== CharClass.Word || singleChar)) {
      out.push(fmix32(hash));
      inToken = false;
    }
    if (charClass === CharClass.Separator) continue;
    if (!inToken) {
      hash = FNV_OFFSET;
      inToken = true;
    }
    singleChar = charClass === CharClass.Unspaced;
    hash = fnvStep(hash, codePoint);
  }
  if (inToken) out.push(fmix32(hash));
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
  for (const char of foldText(text)) {
    const charClass = classify(char.codePointAt(0) ?? 0);
    if (charClass === CharClass.Mark) {
      if (current) current += char;
      continue;
    }
    if (current && (charClass !== CharClass.Word || singleChar)) {
      tokens.push(current);
      current = '';
    }
    if (charClass === CharClass.Separator) continue;
    singleChar = charClass === CharClass.Unspaced;
    current += char;
  }
  if (current) tokens.push(current);
  return tokens.join(' ');
}
