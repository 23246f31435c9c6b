import type { IngestResult } from './index.ts';
import { NO_TEXT, type StoryText, shellOf, textChars } from './paged-text.ts';

/**
 * A parse as strings: the result without the stories' paragraphs (placeholders keep each
 * article's keys in order), and each article's paragraphs apart. The parse cache stores it as
 * rows (one for the result, one per article's text, so a story's text loads alone), and a
 * read helper thread sends it to the build's thread, which stores it as it is.
 */
export interface EncodedParse {
  /** JSON: `{ articles, diagnostics, textChars }`, every body and analysis empty. */
  result: string;
  /** JSON per article: `[body, analysis]`. */
  texts: string[];
}

export function encodeParse(result: IngestResult): EncodedParse {
  const texts = result.articles.map((article) => JSON.stringify([article.body, article.analysis]));
  const articles = result.articles.map((article) => ({ ...article, body: NO_TEXT, analysis: NO_TEXT }));
  const chars = textChars(result.articles);
  return { result: JSON.stringify({ articles, diagnostics: result.diagnostics, textChars: chars }), texts };
}

/** The result part alone, text left as placeholders; null when it is not one (a damaged row). */
export function decodeLean(result: string): { lean: IngestResult; textChars: number } | null {
  try {
    const { textChars: chars, ...lean } = JSON.parse(result) as IngestResult & { textChars: number };
    return { lean, textChars: chars };
  } catch {
    return null;
  }
}

export function decodeText(text: string): StoryText {
  const [body, analysis] = JSON.parse(text) as [string[], string[]];
  return { body, analysis };
}

/** The whole parse back, text in memory (for one that is not stored: see ParseCache.store). */
export function decodeParse(encoded: EncodedParse): IngestResult {
  const decoded = decodeLean(encoded.result);
  if (!decoded) throw new Error('a parse could not be read back');
  const articles = decoded.lean.articles.map((article, index) => {
    const copy = shellOf(article);
    const text = encoded.texts[index];
    return text === undefined ? copy : Object.assign(copy, decodeText(text));
  });
  return { articles, diagnostics: decoded.lean.diagnostics };
}
