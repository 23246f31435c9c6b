import { describe, expect, it } from 'vitest';
import { checkOneClick, chooseRoute, describeRoute, routeRatePerSecond } from '../../src/deliver/index.ts';

const outbox = {
  folder: '/p/out/outbox/2026-11-24',
  shown: 'out/outbox/2026-11-24',
  configured: 'out/outbox/2026-11-24',
};

describe('the one-click rule', () => {
  it('refuses real mail with a public http unsubscribe URL, and only warns otherwise', () => {
    const http = new URL('http://news.example.com/unsubscribe');
    expect(checkOneClick(http, true)).toMatchObject({
      ok: false,
      error: expect.stringContaining('not https'),
    });
    expect(checkOneClick(http, false)).toMatchObject({
      ok: true,
      warning: expect.stringContaining('not https'),
    });
    expect(checkOneClick(new URL('http://localhost:8080/unsubscribe'), true)).toMatchObject({ ok: true });
    expect(checkOneClick(new URL('https://news.example.com/unsubscribe'), true)).toEqual({ ok: true });
  });
});

describe('the route', () => {
  it('is SMTP when a URL is set, throttled; otherwise the outbox, unthrottled', () => {
    const smtp = chooseRoute('smtp://user:pass@mail.example.com:587', outbox);
    expect(describeRoute(smtp)).toBe('SMTP mail.example.com:587');
    expect(routeRatePerSecond(smtp, 14)).toBe(14);
    const files = chooseRoute(null, outbox);
    expect(describeRoute(files)).toBe('the outbox (out/outbox/2026-11-24)');
    expect(routeRatePerSecond(files, 14)).toBe(Number.POSITIVE_INFINITY);
  });
});
