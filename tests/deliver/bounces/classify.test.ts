import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyReport } from '../../../src/deliver/bounces/index.ts';

const FIXTURES = new URL('../fixtures/sisimai/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('expected.json', FIXTURES), 'utf8')) as Record<
  string,
  { kind: string; sisimai: string }
>;

describe('classifyReport on real messages from the Sisimai corpus', () => {
  it('has a label for every sample and a sample for every label', () => {
    const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.eml'));
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('%s is %o', async (file, label) => {
    const verdict = await classifyReport(readFileSync(new URL(file, FIXTURES)));
    expect(verdict.kind).toBe(label.kind);
  });

  it('reads the recipient and status of a DSN and the feedback type of an ARF report', async () => {
    const dsn = await classifyReport(readFileSync(new URL('bsd-lhost-sendmail-01.eml', FIXTURES)));
    expect(dsn).toMatchObject({ recipient: 'userunknown@bouncehammer.jp', status: '5.1.1' });
    const arf = await classifyReport(readFileSync(new URL('bsd-arf-01.eml', FIXTURES)));
    expect(arf.feedbackType).toBe('abuse');
  });

  it('is not fooled by words in the returned original: a newsletter about "user unknown" is no bounce', async () => {
    const letter = Buffer.from(
      'From: Ann <ann@example.org>\nTo: newsletter@ledger.example\nSubject: Re: your story\n\n' +
        'Your story said the mailbox was full and the user unknown. Great read.\n',
    );
    expect((await classifyReport(letter)).kind).toBe('not-bounce');
  });
});
