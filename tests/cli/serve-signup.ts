import type { Context } from '../../src/cli/context.ts';
import type { PreviewServer } from '../../src/cli/serve/server.ts';
import { servePublication } from './serve-publication.ts';

/**
 * A real `broadsheet serve` on a loopback port for a new one-story publication with the signup
 * form on and no signing secret yet: mail goes to the outbox unless `smtpUrl` is given.
 * `signup` and `serve` are added to its config.
 */
export async function serveSignupPublication(options: {
  signup?: Record<string, unknown>;
  serve?: Record<string, unknown>;
  smtpUrl?: string | null;
}): Promise<{ server: PreviewServer; dir: string; ctx: Context }> {
  return servePublication(
    'serve-signup',
    { signup: { form: true, ...options.signup }, ...(options.serve ? { serve: options.serve } : {}) },
    { unsubscribeSecret: null, smtpUrl: options.smtpUrl ?? null },
  );
}

/** `serve` with two signups per client per hour and the given `serve` settings. */
export async function serveSignups(serve: Record<string, unknown>): Promise<PreviewServer> {
  const { server } = await serveSignupPublication({
    signup: { perClientPerHour: 2, perAddressPerDay: 100 },
    serve,
  });
  return server;
}

let next = 0;

/** Posts the signup form for a fresh address, with an `X-Forwarded-For` header if given; the status. */
export async function signUp(server: PreviewServer, forwardedFor?: string): Promise<number> {
  next += 1;
  const response = await fetch(new URL('subscribe', server.url), {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(forwardedFor === undefined ? {} : { 'X-Forwarded-For': forwardedFor }),
    },
    body: new URLSearchParams({ email: `reader${next}@example.org`, website: '' }).toString(),
  });
  await response.arrayBuffer();
  return response.status;
}
