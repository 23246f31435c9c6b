import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSesHandler, traceToken } from '../../../src/deliver/bounces/index.ts';
import { claimDelivery, markSent } from '../../../src/state/ledger.ts';
import { sqliteStore } from '../../../src/state/store/index.ts';
import { findSubscriberByEmail } from '../../../src/state/subscribers.ts';
import { suppressionOf } from '../../../src/state/suppression.ts';
import { addSubscribers, NOW, tempState } from '../helpers.ts';

const SECRET = 'ses-webhook-test-secret';
const EDITION = '2026-11-24';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The `mail` object of an SES notification (documented fields), for a message we sent with `token`. */
function mail(to: string, token: string) {
  return {
    timestamp: '2026-11-24T12:00:05.000Z',
    source: 'newsletter@ledger.example',
    sourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/ledger.example',
    sendingAccountId: '123456789012',
    messageId: '0000018f0a1b2c3d-11111111-2222-3333-4444-555555555555-000000',
    destination: [to],
    headersTruncated: false,
    headers: [
      { name: 'From', value: '"The Harbor City Ledger" <newsletter@ledger.example>' },
      { name: 'To', value: to },
      { name: 'X-Broadsheet-Trace', value: token },
    ],
    commonHeaders: {
      from: ['"The Harbor City Ledger" <newsletter@ledger.example>'],
      to: [to],
      subject: 'Today',
    },
  };
}

function bounce(to: string, token: string, bounceType: string, bounceSubType: string) {
  return {
    notificationType: 'Bounce',
    bounce: {
      bounceType,
      bounceSubType,
      bouncedRecipients: [
        {
          emailAddress: to,
          action: 'failed',
          status: '5.1.1',
          diagnosticCode: 'smtp; 550 5.1.1 user unknown',
        },
      ],
      timestamp: '2026-11-24T12:00:06.000Z',
      feedbackId: '0000018f0a1b2c3e-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee-000000',
      reportingMTA: 'dns; a8-70.smtp-out.amazonses.com',
    },
    mail: mail(to, token),
  };
}

function complaint(to: string, token: string) {
  return {
    notificationType: 'Complaint',
    complaint: {
      userAgent: 'ExampleCorp Feedback Loop (V0.01)',
      complainedRecipients: [{ emailAddress: to }],
      complaintFeedbackType: 'abuse',
      arrivalDate: '2026-11-24T12:05:00.000Z',
      timestamp: '2026-11-24T12:05:01.000Z',
      feedbackId: '0000018f0a1b2c3f-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee-000000',
    },
    mail: mail(to, token),
  };
}

/** How SNS POSTs to an HTTPS subscriber: the SES JSON as a string in `Message`. */
function sns(message: unknown, id: string) {
  return {
    Type: 'Notification',
    MessageId: id,
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:ses-notifications',
    Message: JSON.stringify(message),
    Timestamp: '2026-11-24T12:00:07.000Z',
    SignatureVersion: '1',
    Signature: 'not-checked',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000.pem',
  };
}

describe('the Amazon SES notification webhook', () => {
  it('bounces a Permanent bounce, counts a Transient one, unsubscribes a complaint, ignores forged tokens', async () => {
    const state = tempState();
    cleanups.push(state.cleanup);
    const [ann, bob, cat, dan] = addSubscribers(state.db, 4);
    if (!ann || !bob || !cat || !dan) throw new Error('no subscribers');
    for (const s of [ann, bob, cat, dan]) {
      claimDelivery(state.db, {
        editionId: EDITION,
        subscriberId: s.id,
        messageId: `<m${s.id}@x>`,
        now: NOW,
      });
      markSent(state.db, EDITION, s.id, NOW);
    }
    const logged: string[] = [];
    const handle = createSesHandler({
      store: sqliteStore(state.db),
      secret: SECRET,
      path: '/ses',
      softBounceLimit: 3,
      now: () => NOW,
      log: (m) => logged.push(m),
    });
    const http = createServer(async (req, res) => {
      if (await handle(req, res)) return;
      res.statusCode = 404;
      res.end();
    });
    const port = await new Promise<number>((resolve) =>
      http.listen(0, '127.0.0.1', () => resolve((http.address() as AddressInfo).port)),
    );
    cleanups.push(() => new Promise<void>((resolve) => http.close(() => resolve())));
    const post = async (body: unknown) => {
      const res = await fetch(`http://127.0.0.1:${port}/ses`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=UTF-8' }, // what SNS sends
        body: JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as { actions?: string[] } };
    };
    const token = (id: number) => traceToken(SECRET, EDITION, id);

    expect(
      (await post(sns(bounce(ann.email, token(ann.id), 'Permanent', 'General'), 'm-1'))).json.actions,
    ).toEqual(['bounced']);
    expect(
      (await post(sns(bounce(bob.email, token(bob.id), 'Transient', 'MailboxFull'), 'm-2'))).json.actions,
    ).toEqual(['counted']);
    // Raw message delivery (no SNS envelope) works too.
    expect((await post(complaint(cat.email, token(cat.id)))).json.actions).toEqual(['unsubscribed']);
    // Dan's id under Ann's MAC: nobody touched.
    const forged = token(ann.id).replace(/^bs1-[0-9a-z]+-/, `bs1-${dan.id.toString(36)}-`);
    expect((await post(sns(bounce(dan.email, forged, 'Permanent', 'General'), 'm-3'))).json.actions).toEqual([
      'untraced',
    ]);
    // SNS retries a delivery it thinks failed: the same MessageId counts once.
    expect(
      (await post(sns(bounce(ann.email, token(ann.id), 'Permanent', 'General'), 'm-1'))).json.actions,
    ).toEqual(['duplicate']);

    const status = (email: string) => findSubscriberByEmail(state.db, email)?.status;
    expect([status(ann.email), status(bob.email), status(cat.email), status(dan.email)]).toEqual([
      'bounced',
      'active',
      'unsubscribed',
      'active',
    ]);
    expect(suppressionOf(state.db, ann.email)).toBe('bounced');
    expect(suppressionOf(state.db, cat.email)).toBe('complained');
    expect(suppressionOf(state.db, dan.email)).toBeNull();

    // A subscription confirmation is logged for the operator, never fetched.
    const confirm = await post({
      Type: 'SubscriptionConfirmation',
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:ses-notifications',
      SubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=abc',
    });
    expect(confirm.status).toBe(200);
    expect(logged.join('\n')).toContain('Action=ConfirmSubscription&Token=abc');
    expect((await post('a JSON string')).status).toBe(400);
    expect(
      (await post({ notificationType: 'Delivery', mail: mail(dan.email, token(dan.id)) })).json.actions,
    ).toEqual(['ignored']);
    const bad = await fetch(`http://127.0.0.1:${port}/ses`, { method: 'POST', body: '{' });
    expect(bad.status).toBe(400);
    expect((await fetch(`http://127.0.0.1:${port}/ses`)).status).toBe(405);
  });
});
