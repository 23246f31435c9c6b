import { afterEach, describe, expect, it } from 'vitest';
import type { PreviewServer } from '../../src/cli/serve/server.ts';
import { serveSignups, signUp } from './serve-signup.ts';

// One IPv6 host is given a whole /64 and can use any address in it: the per-client signup
// limit (2 an hour here) counts IPv6 clients per /64 prefix. A dual-stack socket shows IPv4
// clients as IPv4-mapped IPv6 (::ffff:a.b.c.d); those count as the IPv4 address. The clients
// reach a real `serve` through a trusted proxy on loopback that names them in X-Forwarded-For.

let server: PreviewServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('the per-client signup limit and IPv6', () => {
  it('counts every address of one /64 as one client, and another /64 apart', async () => {
    server = await serveSignups({ trustProxy: ['loopback'] });
    expect(await signUp(server, '2001:db8:1:2::a')).toBe(200);
    expect(await signUp(server, '2001:db8:1:2:ffff:ffff:ffff:fffe')).toBe(200);
    expect(await signUp(server, '2001:db8:1:2:0:0:0:b')).toBe(429);
    expect(await signUp(server, '2001:db8:1:3::a')).toBe(200);
  });

  it('counts an IPv4-mapped IPv6 address as its IPv4 address', async () => {
    server = await serveSignups({ trustProxy: ['loopback'] });
    expect(await signUp(server, '198.51.100.20')).toBe(200);
    expect(await signUp(server, '::ffff:198.51.100.20')).toBe(200);
    expect(await signUp(server, '::ffff:c633:6414')).toBe(429);
    // Neighbouring IPv4 addresses stay separate clients.
    expect(await signUp(server, '198.51.100.21')).toBe(200);
  });
});
