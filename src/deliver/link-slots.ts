import { PREFERENCES_URL_PLACEHOLDER, UNSUBSCRIBE_URL_PLACEHOLDER } from '../newsletter/index.ts';

/**
 * A rendered body cut once at its link placeholders: the fixed text between them, and which link
 * goes in each gap. Filling it per recipient joins the pieces (V8 keeps the join as a rope over the
 * shared pieces, flattened once where nodemailer reads it) instead of copying the whole body in
 * each of two `replaceAll` calls: those copies were half of what composing a message allocated,
 * and the young-generation garbage collection they cost kept `send` behind plain nodemailer.
 */
export interface LinkSlots {
  /** The body it was cut from (to fall back on, and to tell a stale cut). */
  body: string;
  /** `pieces.length === slots.length + 1`: piece, slot, piece, …, piece. */
  pieces: string[];
  slots: (keyof Links)[];
}

export interface Links {
  unsubscribe: string;
  preferences: string;
}

export function cutAtLinks(body: string): LinkSlots {
  const pieces: string[] = [];
  const slots: (keyof Links)[] = [];
  // The unsubscribe placeholders first, then the preferences ones inside each piece: the order of
  // the two replaceAll calls this stands for, so overlapping placeholders resolve the same way.
  body.split(UNSUBSCRIBE_URL_PLACEHOLDER).forEach((part, i) => {
    if (i > 0) slots.push('unsubscribe');
    part.split(PREFERENCES_URL_PLACEHOLDER).forEach((piece, j) => {
      if (j > 0) slots.push('preferences');
      pieces.push(piece);
    });
  });
  return { body, pieces, slots };
}

/**
 * The body with every unsubscribe placeholder replaced, then every preferences placeholder: the
 * same text as `replaceAll` twice in that order. Only an unsubscribe link holding `%` (or a bare
 * piece of the placeholder's name, or nothing) could complete a preferences placeholder across a
 * join in the second pass; such a link takes the replaceAll way itself (signed links never do).
 */
export function fillLinks(cut: LinkSlots, links: Links): string {
  if (links.unsubscribe.includes('%') || PREFERENCES_URL_PLACEHOLDER.includes(links.unsubscribe))
    return cut.body
      .replaceAll(UNSUBSCRIBE_URL_PLACEHOLDER, links.unsubscribe)
      .replaceAll(PREFERENCES_URL_PLACEHOLDER, links.preferences);
  let filled = cut.pieces[0] as string;
  for (let i = 0; i < cut.slots.length; i++)
    filled += links[cut.slots[i] as keyof Links] + (cut.pieces[i + 1] as string);
  return filled;
}
