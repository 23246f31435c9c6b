import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { servePublication } from './serve-publication.ts';

// A confirmation mail leaves after the signup's answer. `serve` stopping right then (a restart,
// a deploy, Ctrl-C) must hand over every mail already on its way before it closes the mailer and
// the state: the signup is recorded as mailed, so a dropped mail would never be sent again
// within the mail interval.

const SIGNUPS = 8;

describe('serve stopping with confirmation mails on their way', () => {
  it('hands each one over before close returns', async () => {
    const { dir, server } = await servePublication(
      'signup-close',
      { signup: { form: true, perClientPerHour: 100 } },
      { unsubscribeSecret: null, smtpUrl: null },
    );
    const answers = await Promise.all(
      Array.from({ length: SIGNUPS }, (_, n) =>
        fetch(new URL('subscribe', server.url), {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ email: `reader${n}@example.org`, website: '' }).toString(),
        }).then(async (response) => {
          await response.arrayBuffer();
          return response.status;
        }),
      ),
    );
    expect(answers).toEqual(Array(SIGNUPS).fill(200));
    await server.close();
    const folder = join(dir, 'outbox', 'signups');
    const mails = () =>
      existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith('.eml')) : [];
    expect(mails(), 'every mail handed over when close returned').toHaveLength(SIGNUPS);
  });
});
