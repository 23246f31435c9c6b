import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutAtLinks, fillLinks } from '../../src/deliver/link-slots.ts';
import {
  PREFERENCES_URL_PLACEHOLDER as P,
  UNSUBSCRIBE_URL_PLACEHOLDER as U,
} from '../../src/newsletter/index.ts';

/** What `buildMessage` did before the cut: two replaceAll passes, unsubscribe first. */
const twoPasses = (body: string, unsubscribe: string, preferences: string) =>
  body.replaceAll(U, unsubscribe).replaceAll(P, preferences);

const LINKS = {
  unsubscribe: 'https://ledger.example/unsubscribe?t=42.abc',
  preferences: 'https://ledger.example/preferences?t=42.def',
};

describe('filling a cut body with one recipient’s links', () => {
  const bodies: [string, string][] = [
    ['no placeholder', '<p>Hello</p>'],
    ['only unsubscribe', `<a href="${U}">Unsubscribe</a>`],
    ['both, several times, at the ends', `${P}<a href="${U}">x</a>${P}${U}${U}`],
    ['the empty body', ''],
    ['placeholders overlapping (unsubscribe wins)', `%%PREFERENCES_URL${U}UNSUBSCRIBE_URL%%${P}`],
    ['a preferences placeholder cut by an unsubscribe one', `%%PREF${U}ERENCES_URL%%`],
  ];
  for (const [name, body] of bodies)
    it(`gives the same text as two replaceAll passes: ${name}`, () => {
      expect(fillLinks(cutAtLinks(body), LINKS)).toBe(twoPasses(body, LINKS.unsubscribe, LINKS.preferences));
    });

  it('falls back to the passes for a link that could complete a placeholder across a join', () => {
    const body = `%%PREFERENCES_URL${U}ERENCES_URL%%${P}`;
    for (const unsubscribe of ['%', '', '%%PREF', 'https://x.example/%41'])
      expect(fillLinks(cutAtLinks(body), { ...LINKS, unsubscribe })).toBe(
        twoPasses(body, unsubscribe, LINKS.preferences),
      );
  });

  it('fills many recipients from one cut, each with their own links', () => {
    const cut = cutAtLinks(`<a href="${U}">u</a> <a href="${P}">p</a>`);
    const filled = [1, 2, 3].map((id) =>
      fillLinks(cut, {
        unsubscribe: `https://u.example/?t=${id}`,
        preferences: `https://p.example/?t=${id}`,
      }),
    );
    expect(filled).toEqual(
      [1, 2, 3].map(
        (id) => `<a href="https://u.example/?t=${id}">u</a> <a href="https://p.example/?t=${id}">p</a>`,
      ),
    );
  });

  it('gives the same text as the passes for any mix of placeholder pieces and links', () => {
    const piece = fc.constantFrom(U, P, '%', '%%', 'PREF', 'ERENCES_URL%%', 'UNSUBSCRIBE_URL', '<a>', 'é');
    const link = fc.oneof(fc.constantFrom('', '%', '%%PREF', 'PREFERENCES'), fc.webUrl());
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), link, link, (pieces, unsubscribe, preferences) => {
        const body = pieces.join('');
        expect(fillLinks(cutAtLinks(body), { unsubscribe, preferences })).toBe(
          twoPasses(body, unsubscribe, preferences),
        );
      }),
    );
  });
});
