import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { preferencesToken, unsubscribeToken } from '../../src/deliver/index.ts';
import { addSubscriber, findSubscriberByEmail, getSubscriber } from '../../src/state/subscribers.ts';
import { emailHash, suppressionOf } from '../../src/state/suppression.ts';
import type { Subscriber } from '../../src/types.ts';
import { type AudienceServer, postForm, SECRET, startAudienceServer } from './helpers.ts';

let server: AudienceServer;
let ann: Subscriber;
let bob: Subscriber;
beforeEach(async () => {
  server = await startAudienceServer();
  const add = (email: string, topics: string[]) => {
    const result = addSubscriber(server.db, { email, topics }, '2026-11-01T00:00:00.000Z');
    if (!result.added) throw new Error('already there');
    return result.subscriber;
  };
  ann = add('ann@example.org', ['transit']);
  bob = add('bob@example.org', []);
});
afterEach(async () => {
  await server.close();
});

const linkFor = (s: Subscriber) =>
  `${server.url}/preferences?t=${encodeURIComponent(preferencesToken(SECRET, s.id, s.email))}`;

describe('the preferences page', () => {
  it('shows the forms on GET and changes nothing', async () => {
    const page = await fetch(linkFor(ann));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Settings for <strong>ann@example.org</strong>.');
    expect(html).toContain('<input type="checkbox" name="topic" value="transit" checked> Transit');
    expect(html).toContain('<input type="checkbox" name="topic" value="climate"> Climate');
    expect(html).toContain('value="pause"');
    expect(getSubscriber(server.db, ann.id)).toEqual(ann);
  });

  it('changes the topics', async () => {
    const answer = await postForm(linkFor(ann), [
      ['do', 'topics'],
      ['topic', 'climate'],
      ['topic', 'made-up'],
    ]);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('Your topics are saved.');
    expect(getSubscriber(server.db, ann.id)?.topics).toEqual(['climate']);
    await postForm(linkFor(ann), [['do', 'topics']]);
    expect(getSubscriber(server.db, ann.id)?.topics).toEqual([]);
  });

  it('pauses and resumes, and unsubscribes', async () => {
    await postForm(linkFor(ann), [['do', 'pause']]);
    expect(getSubscriber(server.db, ann.id)?.status).toBe('paused');
    const paused = await fetch(linkFor(ann));
    expect(await paused.text()).toContain('Your subscription is paused');
    await postForm(linkFor(ann), [['do', 'resume']]);
    expect(getSubscriber(server.db, ann.id)?.status).toBe('active');
    await postForm(linkFor(ann), [['do', 'unsubscribe']]);
    expect(getSubscriber(server.db, ann.id)?.status).toBe('unsubscribed');
    expect(getSubscriber(server.db, bob.id)?.status).toBe('active');
  });

  it('erases only with the tick box, leaving just a hash on the suppression list', async () => {
    const unticked = await postForm(linkFor(ann), [['do', 'erase']]);
    expect(unticked.status).toBe(400);
    expect(getSubscriber(server.db, ann.id)).not.toBeNull();

    const erased = await postForm(linkFor(ann), [
      ['do', 'erase'],
      ['confirm', 'yes'],
    ]);
    expect(erased.status).toBe(200);
    expect(erased.body).toContain('Your address is erased');
    expect(findSubscriberByEmail(server.db, 'ann@example.org')).toBeNull();
    expect(suppressionOf(server.db, 'ann@example.org')).toBe('erased');
    const stored = server.db.prepare('SELECT * FROM suppressions').all();
    expect(JSON.stringify(stored)).not.toContain('ann@');
    expect(stored).toEqual([expect.objectContaining({ email_hash: emailHash('ann@example.org') })]);
    // The link dies with the row.
    expect((await fetch(linkFor(ann))).status).toBe(400);
  });

  it("refuses forged tokens, another subscriber's token and an unsubscribe token", async () => {
    const annToken = preferencesToken(SECRET, ann.id, ann.email);
    const bobMac = preferencesToken(SECRET, bob.id, bob.email).split('.')[1];
    const links = [
      `${server.url}/preferences?t=${ann.id}.${'A'.repeat(43)}`,
      `${server.url}/preferences?t=${ann.id}.${bobMac}`,
      `${server.url}/preferences?t=${encodeURIComponent(preferencesToken('other-secret', ann.id, ann.email))}`,
      `${server.url}/preferences?t=${encodeURIComponent(unsubscribeToken(SECRET, ann.id, ann.email))}`,
      `${server.url}/preferences?t=${annToken.slice(0, -1)}`,
      `${server.url}/preferences`,
    ];
    for (const link of links) {
      expect((await fetch(link)).status, link).toBe(400);
      const answer = await postForm(link, [
        ['do', 'erase'],
        ['confirm', 'yes'],
      ]);
      expect(answer.status, link).toBe(400);
    }
    expect(getSubscriber(server.db, ann.id)).toEqual(ann);
  });
});
