import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { describe, expect, it } from 'vitest';
import {
  PREFERENCES_URL_PLACEHOLDER,
  renderEditionEmail,
  UNSUBSCRIBE_URL_PLACEHOLDER,
} from '../../src/newsletter/index.ts';
import type { Item } from '../../src/types.ts';
import { tempDir } from '../helpers/temp.ts';
import { makeEdition, makeItem, makeItems, shippedTemplates, testConfig } from './helpers.ts';

const CHECK_EMAIL = '/work/shared/checks/check-email';
const dir = tempDir('broadsheet-eml-');

/** A message as delivery would build it: placeholder replaced by string, RFC 8058 headers. */
async function composeEml(stories: number): Promise<Buffer> {
  const config = testConfig({ feeds: { topics: [{ name: 'City Hall' }] } });
  const items: Item[] = makeItems(stories).map((item, i) => ({
    ...item,
    topics: i % 3 === 1 ? [{ slug: 'city-hall', name: 'City Hall' }] : [],
    related:
      i === 0
        ? [{ title: 'Ferry fares frozen', url: 'https://news.example.com/articles/fares/', itemId: 'f' }]
        : [],
  }));
  items[0] = { ...(items[0] ?? makeItem()), title: 'Harbour council approves new ferry schedule' };
  const rendered = await renderEditionEmail(makeEdition(items, config), config, shippedTemplates());
  const unsubscribe = 'https://news.example.com/unsubscribe?token=3f9a1c0be27d44a6b1e2';
  const preferences = 'https://news.example.com/preferences?t=3f9a1c0be27d44a6b1e2';
  const message = new MailComposer({
    from: { name: 'The Daily Ledger', address: 'newsletter@news.example.com' },
    to: 'reader@example.org',
    subject: rendered.subject,
    date: new Date('2026-11-24T13:00:00Z'),
    messageId: '<2026-11-23.1@news.example.com>',
    text: rendered.text
      .replaceAll(UNSUBSCRIBE_URL_PLACEHOLDER, unsubscribe)
      .replaceAll(PREFERENCES_URL_PLACEHOLDER, preferences),
    html: rendered.html
      .replaceAll(UNSUBSCRIBE_URL_PLACEHOLDER, unsubscribe)
      .replaceAll(PREFERENCES_URL_PLACEHOLDER, preferences),
    headers: {
      'List-Id': 'The Daily Ledger <newsletter.news.example.com>',
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  });
  return message.compile().build();
}

describe('the edition as a real message', () => {
  it('parses back as multipart/alternative with both parts and the one-click unsubscribe headers', async () => {
    const raw = await composeEml(20);
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe('The Daily Ledger: Harbour council approves new ferry schedule');
    expect(raw.toString()).toMatch(/Content-Type: multipart\/alternative/);
    expect(parsed.text).toContain('Read more: https://news.example.com/articles/story-002/');
    expect(parsed.html || '').toContain('https://news.example.com/unsubscribe?token=3f9a1c0be27d44a6b1e2');
    expect(parsed.html || '').not.toContain(UNSUBSCRIBE_URL_PLACEHOLDER);
    const headers =
      raw
        .toString()
        .split('\r\n\r\n')[0]
        ?.replace(/\r\n\s+/g, ' ') ?? '';
    expect(headers).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n');
    expect(headers).toMatch(/List-Unsubscribe: <https:\/\/news\.example\.com\/unsubscribe\?token=\w+>/);
  });

  it.runIf(existsSync(CHECK_EMAIL))(
    'passes the independent inbox check with a SpamAssassin score under 1',
    async () => {
      for (const stories of [20, 50])
        writeFileSync(join(dir, `edition-${stories}.eml`), await composeEml(stories));
      let output: string;
      try {
        output = execFileSync(CHECK_EMAIL, [dir], { encoding: 'utf8' });
      } catch (error) {
        throw new Error(`check-email failed:\n${(error as { stdout?: string }).stdout ?? error}`);
      }
      expect(output).toContain('RESULT pass=2 fail=0');
      // "SpamAssassin -L score=0.0 rules: …" (older check scripts printed "spamassassin 0.0").
      const scores = [...output.matchAll(/spamassassin(?: -L score=| )(-?[\d.]+)/gi)].map((m) =>
        Number(m[1]),
      );
      expect(scores).toHaveLength(2);
      for (const score of scores) expect(score).toBeLessThan(1);
      // Made here too: render-chromium.test.ts, which also makes it, may not have run yet.
      mkdirSync(new URL('../artifacts/newsletter/', import.meta.url), { recursive: true });
      writeFileSync(new URL('../artifacts/newsletter/check-email.txt', import.meta.url), output);
    },
    240_000,
  );
});
