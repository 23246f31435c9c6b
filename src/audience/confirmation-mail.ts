import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type HandlebarsModule from 'handlebars';
import { fill, messagesFor, textDirection } from '../render/index.ts';

const require = createRequire(import.meta.url);

/** The template shipped with Broadsheet; a publisher's `<paths.templates>/signup/confirmation.mjml` wins. */
export const BUNDLED_CONFIRMATION_TEMPLATE = fileURLToPath(
  new URL('../../templates/signup/confirmation.mjml', import.meta.url),
);

export function readConfirmationTemplate(templatesRoot: string): string {
  const own = join(templatesRoot, 'signup', 'confirmation.mjml');
  return readFileSync(existsSync(own) ? own : BUNDLED_CONFIRMATION_TEMPLATE, 'utf8');
}

export interface ConfirmationMail {
  subject: string;
  html: string;
  text: string;
}

/**
 * The double opt-in mail: MJML (Handlebars for the values, escaped by it) and a text part from
 * the same words. Strict MJML validation: a broken template is an error, not a half mail.
 */
export async function renderConfirmationMail(input: {
  template: string;
  siteTitle: string;
  language: string;
  email: string;
  confirmUrl: string;
  pendingDays: number;
}): Promise<ConfirmationMail> {
  const t = messagesFor(input.language);
  const values = { site: input.siteTitle, email: input.email, days: formatDays(input.pendingDays) };
  const words = {
    subject: fill(t.confirmMailSubject, values),
    body: fill(t.confirmMailBody, values),
    button: t.confirmButton,
    ignore: fill(t.confirmMailIgnore, values),
  };
  const handlebars = require('handlebars') as typeof HandlebarsModule;
  const mjml = handlebars.create().compile(input.template, { strict: false })({
    lang: input.language,
    dir: textDirection(input.language),
    site: { title: input.siteTitle },
    email: input.email,
    confirmUrl: input.confirmUrl,
    t: words,
  });
  const { default: mjml2html } = await import('mjml');
  const { html } = await mjml2html(mjml, { validationLevel: 'strict', keepComments: false, fonts: {} });
  const text = [input.siteTitle, '', words.body, '', input.confirmUrl, '', words.ignore, ''].join('\n');
  return { subject: words.subject, html, text };
}

/** 7 → "7"; 0.5 → "0.5": the configured number as a reader would write it. */
function formatDays(days: number): string {
  return String(Math.round(days * 10) / 10);
}
