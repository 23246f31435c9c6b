import { afterEach, describe, expect, it } from 'vitest';
import { preferencesToken } from '../../src/deliver/index.ts';
import type { DeliveryStore } from '../../src/state/store/index.ts';
import { BACKENDS } from '../state/store/backends.ts';
import { type AudienceServer, linkIn, postForm, SECRET, startAudienceServer } from './helpers.ts';

// serve's signup, confirmation and preferences routes over the store `serve` gives them: the
// SQLite state, or PostgreSQL with BROADSHEET_DATABASE_URL (where the senders read the list).

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.each(BACKENDS)('signup, confirmation and preferences on $name', (backend) => {
  const start = async (limits: Parameters<typeof startAudienceServer>[0] = {}) => {
    const opened = await backend.open();
    cleanups.push(opened.cleanup);
    const server = await startAudienceServer(limits, { store: opened.store });
    cleanups.push(() => server.close());
    return { server, store: opened.store };
  };
  const signUp = async (server: AudienceServer, email: string, extra: [string, string][] = []) => {
    const answer = await postForm(`${server.url}/subscribe`, [['email', email], ['website', ''], ...extra]);
    await server.idle();
    return answer;
  };

  it('adds a reader only on confirmation, then changes topics, pauses and unsubscribes them', async () => {
    const { server, store } = await start();
    expect((await signUp(server, 'Ann@Example.ORG', [['topic', 'climate']])).status).toBe(200);
    expect(await store.findSubscriberByEmail('ann@example.org')).toBeNull();
    const [mail] = await server.mails();
    const local = linkIn(mail?.text ?? '').replace('https://ledger.example', server.url);
    expect((await fetch(local)).status).toBe(200);
    expect(await store.findSubscriberByEmail('ann@example.org')).toBeNull();
    expect((await postForm(local, [])).body).toContain('You are subscribed');
    const ann = (await store.findSubscriberByEmail('ann@example.org')) as NonNullable<
      Awaited<ReturnType<DeliveryStore['findSubscriberByEmail']>>
    >;
    expect(ann).toMatchObject({ status: 'active', topics: ['climate'] });
    expect((await postForm(local, [])).status).toBe(400); // spent

    const page = `${server.url}/preferences?t=${encodeURIComponent(preferencesToken(SECRET, ann.id, ann.email))}`;
    expect(
      (
        await postForm(page, [
          ['do', 'topics'],
          ['topic', 'transit'],
        ])
      ).status,
    ).toBe(200);
    expect((await store.getSubscriber(ann.id))?.topics).toEqual(['transit']);
    await postForm(page, [['do', 'pause']]);
    expect((await store.getSubscriber(ann.id))?.status).toBe('paused');
    await postForm(page, [['do', 'resume']]);
    expect((await store.getSubscriber(ann.id))?.status).toBe('active');
    await postForm(page, [['do', 'unsubscribe']]);
    expect((await store.getSubscriber(ann.id))?.status).toBe('unsubscribed');
    await postForm(page, [
      ['do', 'erase'],
      ['confirm', 'yes'],
    ]);
    expect(await store.getSubscriber(ann.id)).toBeNull();
    expect(await store.suppressionOf(ann.email)).toBe('erased');
  });

  it('mails a suppressed address nothing, mails once per interval, and limits per client', async () => {
    const { server, store } = await start({ perClientPerHour: 3 });
    await store.suppress('bounced@example.org', 'bounced', '2026-11-01T00:00:00.000Z');
    const answers = [
      await signUp(server, 'bounced@example.org'),
      await signUp(server, 'bo@example.org'),
      await signUp(server, 'bo@example.org'),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((a) => a.body.replace(/<strong>[^<]*<\/strong>/, ''))).size).toBe(1);
    expect((await server.mails()).map((m) => m.to)).toEqual(['bo@example.org']);
    // The fourth request from this client within the hour.
    expect((await signUp(server, 'cy@example.org')).status).toBe(429);
    server.setClient('192.0.2.9');
    expect((await signUp(server, 'cy@example.org')).status).toBe(200);
    server.clock.advance(3_600_001);
    server.setClient('192.0.2.1');
    expect((await signUp(server, 'dee@example.org')).status).toBe(200);
  });
});
