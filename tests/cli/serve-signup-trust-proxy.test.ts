import { afterEach, describe, expect, it } from 'vitest';
import type { PreviewServer } from '../../src/cli/serve/server.ts';
import { serveSignups, signUp } from './serve-signup.ts';

// `serve`'s per-client signup limit (2 an hour here) behind a reverse proxy: the client address
// comes from X-Forwarded-For only as far as `serve.trustProxy` trusts the peers that wrote it.
// Every request here comes from 127.0.0.1, as behind nginx on the same host.

let server: PreviewServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('serve.trustProxy and the per-client signup limit', () => {
  it('trusts no one by default: a client forging X-Forwarded-For is still counted by its socket', async () => {
    server = await serveSignups({});
    expect(await signUp(server, '203.0.113.1')).toBe(200);
    expect(await signUp(server, '203.0.113.2')).toBe(200);
    expect(await signUp(server, '203.0.113.3')).toBe(429);
    expect(await signUp(server)).toBe(429);
  });

  it('ignores X-Forwarded-For from a peer outside the trust list', async () => {
    server = await serveSignups({ trustProxy: ['10.0.0.0/8', '192.0.2.10'] });
    expect(await signUp(server, '203.0.113.1')).toBe(200);
    expect(await signUp(server, '203.0.113.2')).toBe(200);
    expect(await signUp(server, '203.0.113.3')).toBe(429);
  });

  it('behind a trusted proxy, counts each forwarded client on its own', async () => {
    server = await serveSignups({ trustProxy: ['loopback'] });
    expect(await signUp(server, '203.0.113.1')).toBe(200);
    expect(await signUp(server, '203.0.113.1')).toBe(200);
    expect(await signUp(server, '203.0.113.1')).toBe(429);
    expect(await signUp(server, '203.0.113.2')).toBe(200);
    // The proxy's own address is trusted too, so the client is the first untrusted hop from us:
    // entries a client wrote before its own address change nothing.
    expect(await signUp(server, '198.51.100.9, 203.0.113.1')).toBe(429);
  });

  it('with a hop count, takes the address the nearest proxy saw, not the ones the client wrote', async () => {
    server = await serveSignups({ trustProxy: 1 });
    expect(await signUp(server, 'forged-1, 203.0.113.5')).toBe(200);
    expect(await signUp(server, '198.51.100.1, 203.0.113.5')).toBe(200);
    expect(await signUp(server, '198.51.100.2, 203.0.113.5')).toBe(429);
    expect(await signUp(server, '203.0.113.6')).toBe(200);
  });
});
