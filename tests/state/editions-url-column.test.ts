import { describe, expect, it } from 'vitest';
import { openState } from '../../src/state/db.ts';
import { listEditions } from '../../src/state/editions.ts';

describe('an editions table recorded before the url column', () => {
  it('gets each URL from the edition JSON once, and lists it as before', () => {
    const db = openState(':memory:');
    // The table exactly as builds before 2026-11-25 created it.
    db.exec(`CREATE TABLE editions (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, period TEXT NOT NULL,
      since TEXT, until TEXT NOT NULL, story_count INTEGER NOT NULL, created_at TEXT NOT NULL,
      edition_json TEXT NOT NULL, subject TEXT NOT NULL, preheader TEXT NOT NULL,
      html TEXT NOT NULL, text TEXT NOT NULL, web_html TEXT NOT NULL)`);
    db.prepare(
      `INSERT INTO editions (id, period, since, until, story_count, created_at, edition_json, subject, preheader, html, text, web_html)
       VALUES ('2026-11-24', 'daily', NULL, '2026-11-25T00:00:00-05:00', 3, '2026-11-25T06:00:00Z', ?, 'S', 'P', 'h', 't', 'w')`,
    ).run(JSON.stringify({ id: '2026-11-24', url: 'https://news.example.com/newsletter/2026-11-24/' }));
    expect(listEditions(db).map((e) => e.url)).toEqual(['https://news.example.com/newsletter/2026-11-24/']);
    expect(db.prepare('SELECT url FROM editions').pluck().get()).toBe(
      'https://news.example.com/newsletter/2026-11-24/',
    );
    db.close();
  });
});
