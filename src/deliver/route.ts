import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createOutboxTransport } from './outbox-transport.ts';
import { createSmtpTransport, type SmtpTransportOptions } from './smtp-transport.ts';
import type { Transport } from './transport.ts';

/**
 * Where an edition's messages go, chosen in one place: SMTP when a URL is configured, otherwise
 * the outbox folder (one .eml per message). Everything that differs between the two (the
 * transport, the throttle, how the route is named) is decided from this.
 */
export type Route =
  | { kind: 'smtp'; url: string }
  | {
      kind: 'outbox';
      /** The edition's folder in the outbox. */
      folder: string;
      /** The folder as the transport names it (relative to the working directory). */
      shown: string;
      /** The folder as configured (`delivery.outbox`/edition), as a dry run names it. */
      configured: string;
    };

export function chooseRoute(
  smtpUrl: string | null,
  outbox: { folder: string; shown: string; configured: string },
): Route {
  return smtpUrl ? { kind: 'smtp', url: smtpUrl } : { kind: 'outbox', ...outbox };
}

/** How a dry run names the route (no connection is made). */
export function describeRoute(route: Route): string {
  return route.kind === 'smtp' ? `SMTP ${new URL(route.url).host}` : `the outbox (${route.configured})`;
}

/** Files need no throttle; mail servers do. */
export function routeRatePerSecond(route: Route, configured: number): number {
  return route.kind === 'smtp' ? configured : Number.POSITIVE_INFINITY;
}

/**
 * Opens the route's transport. `write` stores one outbox file (atomically: a reader never sees
 * half an .eml). A run killed mid-write leaves its temp file behind: the outbox is tidied first.
 */
export function openRoute(
  route: Route,
  options: {
    maxConnections: number;
    dkim: SmtpTransportOptions['dkim'];
    write: (path: string, bytes: Uint8Array | string) => void;
    /** Reads a file of the outbox if it is there: how in-doubt rows are settled by their .eml. */
    read: (path: string) => Buffer | null;
  },
): Transport {
  if (route.kind === 'smtp')
    return createSmtpTransport({
      url: route.url,
      maxConnections: options.maxConnections,
      dkim: options.dkim,
    });
  removeTempLeftovers(route.folder);
  return createOutboxTransport({
    folder: route.shown,
    write: (name, bytes) => options.write(join(route.folder, name), bytes),
    read: (name) => options.read(join(route.folder, name)),
    dkim: options.dkim,
  });
}

function removeTempLeftovers(folder: string): void {
  if (!existsSync(folder)) return;
  for (const name of readdirSync(folder))
    if (/^\..*\.tmp$/.test(name)) rmSync(join(folder, name), { force: true });
}
