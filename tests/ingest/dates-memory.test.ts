import { describe, expect, it } from 'vitest';
import { parseDate } from '../../src/ingest/dates.ts';
import { memoryNow } from '../helpers/heap.ts';

// V8 keeps a whole string alive while any slice of it lives. A date read from an article is a
// slice of its file's text; parseDate remembers dates it has read, and must not remember them by
// that slice (a cold 10k build kept 35 MiB of files alive that way).

/** A 40 MB file's text ending in a date, decoded whole like an article file. */
function fileEndingIn(date: string): string {
  const bytes = Buffer.alloc(40_000_000, 'a');
  bytes.write(`\n${date}`, bytes.length - date.length - 1, 'latin1');
  return bytes.toString('latin1');
}

describe('parseDate’s memory of dates', () => {
  it('does not keep alive the text a date was sliced from', () => {
    const date = '2031-03-04T05:06:07Z';
    let file: string | undefined = fileEndingIn(date);
    let slice: string | undefined = file.slice(file.length - date.length);
    expect(parseDate(slice, 'America/New_York')).toBe('2031-03-04T00:06:07-05:00');
    const held = memoryNow();
    file = undefined;
    slice = undefined;
    // V8 keeps the last string a RegExp ran on (for RegExp.$1): run one on another string.
    expect(/\d/.test('1')).toBe(true);
    const released = held - memoryNow();
    expect(released).toBeGreaterThan(35_000_000);
    // Still remembered: the same date read again gives the same answer.
    expect(parseDate(date, 'America/New_York')).toBe('2031-03-04T00:06:07-05:00');
  });
});
