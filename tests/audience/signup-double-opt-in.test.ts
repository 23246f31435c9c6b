import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { confirmationToken } from '../../src/audience/index.ts';
import { addSubscriber, findSubscriberByEmail, setSubscriberStatus } from '../../src/state/subscribers.ts';
import { suppress } from '../../src/state/suppression.ts';
import { type AudienceServer, linkIn, postForm, SECRET, startAudienceServer } from './helpers.ts';

const DAY = 86_400_000;
let server: AudienceServer;
beforeEach(async () => {
  server = await startAudienceServer();
});
afterEach(async () => {
  await server.close();
});

async function signUp(email: string, extra: [string, string][] = []) {
  const answer = await postForm(`${server.url}/subscribe`, [['email', email], ['website', ''], ...extra]);
  await server.idle();
  return answer;
}

describe('signup with double opt-in', () => {
  it('adds nobody on signup; the mailed link shows a button on GET and confirms on POST', async () => {
    const answer = await signUp('Ann@Example.ORG', [
      ['topic', 'climate'],
      ['topic', 'no-such-topic'],
    ]);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('Check your inbox');
    expect(findSubscriberByEmail(server.db, 'ann@example.org')).toBeNull();

    const mails = await server.mails();
    expect(mails.map((m) => [m.to, m.subject])).toEqual([
      ['Ann@example.org', 'Confirm your subscription to The Harbor City Ledger'],
    ]);
    const link = linkIn(mails[0]?.text ?? '');
    expect(mails[0]?.html).toContain('Yes, subscribe me');
    const local = link.replace('https://ledger.example', server.url);

    const page = await fetch(local);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    expect(findSubscriberByEmail(server.db, 'ann@example.org')).toBeNull();

    const confirmed = await postForm(local, []);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toContain('You are subscribed');
    const subscriber = findSubscriberByEmail(server.db, 'ann@example.org');
    expect(subscriber?.status).toBe('active');
    expect(subscriber?.topics).toEqual(['climate']);

    // Spent: the pending row is gone.
    expect((await postForm(local, [])).status).toBe(400);
  });

  it('refuses a forged token, a token for another signup, and an expired link', async () => {
    await signUp('bob@example.org');
    await signUp('cat@example.org');
    const mails = await server.mails();
    const bob = mails.find((m) => m.to === 'bob@example.org');
    const cat = mails.find((m) => m.to === 'cat@example.org');
    const bobLink = linkIn(bob?.text ?? '').replace('https://ledger.example', server.url);
    const catLink = linkIn(cat?.text ?? '').replace('https://ledger.example', server.url);
    const bobId = new URL(bobLink).searchParams.get('t')?.split('.')[0] ?? '';
    const catMac = new URL(catLink).searchParams.get('t')?.split('.')[1] ?? '';

    const forged = `${server.url}/subscribe?t=${bobId}.${'A'.repeat(43)}`;
    const swapped = `${server.url}/subscribe?t=${bobId}.${catMac}`;
    const wrongKey = `${server.url}/subscribe?t=${confirmationToken('another-secret', Number(bobId), 'bob@example.org')}`;
    for (const link of [forged, swapped, wrongKey]) {
      expect((await fetch(link)).status, link).toBe(400);
      expect((await postForm(link, [])).status, link).toBe(400);
    }
    expect(findSubscriberByEmail(server.db, 'bob@example.org')).toBeNull();
    // The real token is made with the real secret.
    expect(new URL(bobLink).searchParams.get('t')).toBe(
      confirmationToken(SECRET, Number(bobId), 'bob@example.org'),
    );

    server.clock.advance(7 * DAY + 1);
    expect((await fetch(bobLink)).status).toBe(400);
    expect((await postForm(bobLink, [])).status).toBe(400);
    expect(findSubscriberByEmail(server.db, 'bob@example.org')).toBeNull();
    // Made at the same instant, the other one has expired too.
    expect((await postForm(catLink, [])).status).toBe(400);
  });

  it('a link still works just before it expires', async () => {
    await signUp('dee@example.org');
    const [mail] = await server.mails();
    const link = linkIn(mail?.text ?? '').replace('https://ledger.example', server.url);
    server.clock.advance(7 * DAY - 1000);
    expect((await postForm(link, [])).status).toBe(200);
    expect(findSubscriberByEmail(server.db, 'dee@example.org')?.status).toBe('active');
  });

  it('answers a filled honeypot like any signup, and stores and mails nothing', async () => {
    const bot = await postForm(`${server.url}/subscribe`, [
      ['email', 'bot@example.org'],
      ['website', 'http://spam.example'],
    ]);
    await server.idle();
    const human = await signUp('bot2@example.org');
    expect(bot.status).toBe(200);
    expect(bot.body.replace('bot@', 'bot2@')).toBe(human.body);
    expect((await server.mails()).map((m) => m.to)).toEqual(['bot2@example.org']);
  });

  it('gives one answer for a new, a listed, a pending, an unsubscribed and a suppressed address', async () => {
    addSubscriber(server.db, { email: 'listed@example.org' }, '2026-11-01T00:00:00.000Z');
    const gone = addSubscriber(server.db, { email: 'gone@example.org' }, '2026-11-01T00:00:00.000Z');
    if (gone.added)
      setSubscriberStatus(server.db, gone.subscriber.id, 'unsubscribed', '2026-11-02T00:00:00.000Z');
    suppress(server.db, 'bounced@example.org', 'bounced', '2026-11-01T00:00:00.000Z');
    suppress(server.db, 'erased@example.org', 'erased', '2026-11-01T00:00:00.000Z');
    await signUp('pending@example.org');
    const addresses = ['new', 'listed', 'pending', 'gone', 'bounced', 'erased'];
    const answers = [];
    for (const who of addresses) {
      const { status, body } = await signUp(`${who}@example.org`);
      answers.push({ status, body: body.replace(`${who}@example.org`, 'ADDRESS') });
    }
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]?.status).toBe(200);
    // Suppressed addresses get no mail; the pending one none again within the hour.
    expect((await server.mails()).map((m) => m.to).sort()).toEqual([
      'gone@example.org',
      'listed@example.org',
      'new@example.org',
      'pending@example.org',
    ]);
  });

  it('mails an address at most once an hour, however often it is entered', async () => {
    for (let i = 0; i < 3; i++) await signUp('eve@example.org');
    expect(await server.mails()).toHaveLength(1);
    server.clock.advance(61 * 60_000);
    await signUp('eve@example.org');
    const mails = await server.mails();
    expect(mails).toHaveLength(2);
    // The renewed signup keeps its id: the first link still works.
    expect(linkIn(mails[0]?.text ?? '')).toBe(linkIn(mails[1]?.text ?? ''));
  });

  it('limits signups per client address (429) and per email address, counting per window', async () => {
    for (let i = 1; i <= 10; i++) expect((await signUp(`r${i}@example.org`)).status).toBe(200);
    const limited = await signUp('r11@example.org');
    expect(limited.status).toBe(429);
    expect(findSubscriberByEmail(server.db, 'r11@example.org')).toBeNull();
    server.setClient('198.51.100.7');
    expect((await signUp('r11@example.org')).status).toBe(200);
    server.clock.advance(60 * 60_000 + 1);
    server.setClient('192.0.2.1');
    expect((await signUp('r12@example.org')).status).toBe(200);

    // One address from many clients: five a day.
    for (let i = 0; i < 4; i++) {
      server.setClient(`203.0.113.${i}`);
      expect((await signUp('target@example.org')).status).toBe(200);
    }
    server.setClient('203.0.113.50');
    expect((await signUp('target@example.org')).status).toBe(200);
    server.setClient('203.0.113.51');
    expect((await signUp('target@example.org')).status).toBe(429);
  });

  it('refuses an address that is not one, saying so', async () => {
    const answer = await signUp('not an address');
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('That is not an email address');
    expect(await server.mails()).toEqual([]);
  });

  it('shows the form on a plain GET, and refuses other methods', async () => {
    const page = await fetch(`${server.url}/subscribe`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('name="email"');
    expect(html).toContain('value="climate"');
    expect((await fetch(`${server.url}/subscribe`, { method: 'PUT' })).status).toBe(405);
  });
});
