import type { DiagnosticCode } from '../diagnostic-codes.ts';
import type { Diagnostic } from '../types.ts';

/** Text ready for parsing: LF line ends, no BOM, no control characters, valid Unicode. */
export interface DecodedText {
  text: string;
  diagnostics: Diagnostic[];
  /** Set when the bytes are not text at all (binary, empty): parsing must not be tried. */
  refused: boolean;
}

// Past this many, per-line warnings of one kind are summed up in one line: a file with a stray
// byte on every line should not bury the rest of the build's output.
const MAX_WARNINGS_PER_KIND = 5;
// More than this share of unreadable characters (invalid UTF-8, control bytes) means binary
// data, not a damaged export: a stray NUL or escape in a text file is only repaired.
const BINARY_RATIO = 0.1;

/** C0 controls other than tab/LF/CR, DEL and the C1 block: never meaningful in an article. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const HAS_CONTROL_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * Turns a file's bytes into clean text. CRLF and lone CR become LF (line numbers stay what an
 * editor shows), a BOM is dropped, invalid UTF-8 becomes U+FFFD and control characters are
 * removed, each repair reported as a warning naming the line. Curly quotes and non-Latin
 * scripts are text like any other and pass through untouched.
 */
export function decodeSource(path: string, bytes: Uint8Array): DecodedText {
  const diagnostics: Diagnostic[] = [];
  const refuse = (code: DiagnosticCode, message: string, line?: number): DecodedText => ({
    text: '',
    diagnostics: [{ severity: 'error', code, file: path, ...(line ? { line } : {}), message }],
    refused: true,
  });
  if (bytes.length === 0) return refuse('ingest/empty', 'empty file: no article to read');

  const utf16 = utf16Encoding(bytes);
  let text: string;
  let invalidLines: number[] = [];
  if (utf16 !== null) {
    text = new TextDecoder(utf16, { ignoreBOM: true }).decode(bytes);
  } else {
    try {
      text = strictUtf8.decode(bytes);
    } catch {
      ({ text, invalidLines } = decodeLineByLine(bytes));
    }
  }
  // A BOM may open the file or, in a dump of concatenated files, any line: never content.
  text = text.replace(/\uFEFF/g, '').replace(/\r\n?/g, '\n');

  // Most files need no repair: they are not split into lines to find none.
  const clean = invalidLines.length === 0 && !HAS_CONTROL_CHAR.test(text);
  const lines = clean ? [] : text.split('\n');
  const controlLines: number[] = [];
  let unreadable = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!HAS_CONTROL_CHAR.test(line)) continue;
    controlLines.push(i + 1);
    const cleaned = line.replace(CONTROL_CHARS, '');
    unreadable += line.length - cleaned.length;
    lines[i] = cleaned;
  }
  for (const line of invalidLines) unreadable += countReplacements(lines[line - 1] ?? '');
  if (text.length > 0 && unreadable / text.length > BINARY_RATIO) {
    return refuse('ingest/binary', 'binary data (mostly unreadable characters), not an article export', 1);
  }
  text = controlLines.length > 0 ? lines.join('\n') : text;
  if (text.trim() === '') return refuse('ingest/empty', 'file holds only blank lines: no article to read', 1);

  diagnostics.push(
    ...lineWarnings(path, 'ingest/invalid-utf8', invalidLines, 'invalid UTF-8 bytes replaced with U+FFFD'),
    ...lineWarnings(path, 'ingest/control-chars', controlLines, 'control characters removed'),
  );
  return { text, diagnostics, refused: false };
}

function utf16Encoding(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

/** Only reached for damaged files: finds which lines hold the bad bytes so we can name them. */
function decodeLineByLine(bytes: Uint8Array): { text: string; invalidLines: number[] } {
  const parts: string[] = [];
  const invalidLines: number[] = [];
  let start = 0;
  let lineNo = 1;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    const slice = bytes.subarray(start, end);
    try {
      parts.push(strictUtf8.decode(slice));
    } catch {
      parts.push(lenientUtf8.decode(slice));
      invalidLines.push(lineNo);
    }
    start = end + 1;
    lineNo++;
  }
  return { text: parts.join('\n'), invalidLines };
}

function countReplacements(line: string): number {
  let n = 0;
  for (const ch of line) if (ch === '\uFFFD') n++;
  return n;
}

function lineWarnings(path: string, code: DiagnosticCode, lines: number[], what: string): Diagnostic[] {
  const shown = lines.slice(0, MAX_WARNINGS_PER_KIND).map(
    (line): Diagnostic => ({
      severity: 'warning',
      code,
      file: path,
      line,
      message: `${what} on this line`,
    }),
  );
  const rest = lines.length - shown.length;
  if (rest > 0) {
    shown.push({
      severity: 'warning',
      code,
      file: path,
      line: lines[MAX_WARNINGS_PER_KIND] as number,
      message: `${what} on ${rest} more ${rest === 1 ? 'line' : 'lines'} (from this one on)`,
    });
  }
  return shown;
}
