/**
 * Where each key of a JSON document sits: path → 1-based line. JSON.parse forgets positions, and a
 * config error is only half useful without a line an editor can jump to. The text has already
 * parsed, so this walker can assume it is valid JSON.
 */
export function jsonKeyLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let at = 0;
  let line = 1;

  const skipSpace = (): void => {
    while (at < text.length && /\s/.test(text[at] ?? '')) {
      if (text[at] === '\n') line++;
      at++;
    }
  };
  const readString = (): string => {
    const start = at;
    at++; // opening quote
    while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    at++; // closing quote
    return JSON.parse(text.slice(start, at)) as string;
  };
  const readValue = (path: PropertyKey[]): void => {
    skipSpace();
    const char = text[at];
    if (char === '{') {
      at++;
      for (;;) {
        skipSpace();
        if (text[at] === '}') break;
        const key = readString();
        lines.set(pathKey([...path, key]), line);
        skipSpace();
        at++; // ':'
        readValue([...path, key]);
        skipSpace();
        if (text[at] === ',') at++;
      }
      at++;
    } else if (char === '[') {
      at++;
      for (let index = 0; ; index++) {
        skipSpace();
        if (text[at] === ']') break;
        lines.set(pathKey([...path, index]), line);
        readValue([...path, index]);
        skipSpace();
        if (text[at] === ',') at++;
      }
      at++;
    } else if (char === '"') {
      readString();
    } else {
      while (at < text.length && !/[\s,\]}]/.test(text[at] ?? '')) at++;
    }
  };

  if (text.charCodeAt(0) === 0xfeff) at = 1;
  readValue([]);
  return lines;
}

/** The line of `path`, or of its nearest ancestor that is in the file (a missing key: its object). */
export function lineOf(lines: Map<string, number>, path: PropertyKey[]): number | undefined {
  for (let length = path.length; length > 0; length--) {
    const found = lines.get(pathKey(path.slice(0, length)));
    if (found !== undefined) return found;
  }
  return undefined;
}

function pathKey(path: PropertyKey[]): string {
  return path.map(String).join('\u0000');
}
