/**
 * Every code a diagnostic can carry, with what it means for the person who reads it. One table,
 * so that a code is never invented at a call site (the compiler holds `Diagnostic.code` to these
 * keys) and the docs list them all (docs/diagnostics.md is checked against this table).
 * Codes are stable: scripts and CI filters match on them; a new meaning gets a new code.
 */
export const DIAGNOSTIC_CODES = {
  'build/heap-limit': 'The build is close to Node’s heap limit; the message says how to raise it.',
  'build/no-input': 'The articles folder is missing or holds no article file: nothing is built.',
  'config/env': 'An environment variable Broadsheet reads has a value it cannot use.',
  'config/invalid': 'The configuration file is not valid JSON or breaks the schema (the key is named).',
  'ingest/bad-byline': 'A part of a byline line was not understood; that part is ignored.',
  'ingest/bad-canonical-url': 'A front-matter canonical URL is not an absolute http(s) URL; it is ignored.',
  'ingest/bad-date': 'A date (byline or front matter) was not understood; that date is left empty.',
  'ingest/bad-front-matter':
    'The Markdown front matter is not valid YAML (or JSON), or is in a language that runs code (`---js`); the file is skipped.',
  'ingest/binary': 'The file is not text (NUL bytes); it is skipped.',
  'ingest/bullets-in-body':
    'A bullet list in an article body (highlights belong after their marker); kept as paragraphs.',
  'ingest/control-chars': 'Control characters were removed from these lines.',
  'ingest/empty': 'The file is empty; it is skipped.',
  'ingest/empty-body': 'An article has a title and no body.',
  'ingest/internal': 'Reading this file failed unexpectedly (a bug): the file is skipped, the rest goes on.',
  'ingest/invalid-utf8': 'These lines were not valid UTF-8; undecodable bytes were replaced.',
  'ingest/marker-in-body':
    'A section marker inside a body: the header above it was not understood; kept as a paragraph.',
  'ingest/long-title':
    'A title far longer than a headline (over 250 characters): most likely a paragraph read as the title; the story is kept.',
  'ingest/missing-path':
    'A path (given on the command line, or in the articles folder) cannot be read: missing, a broken or looping link, a named pipe or a device.',
  'ingest/missing-title': 'An article has no title; it is skipped.',
  'ingest/not-an-article': 'A file in the articles folder is not in an article format; it is skipped.',
  'ingest/stray-text': 'Text before the first article of an export file; it is ignored.',
  'ingest/too-large': 'The file is over ingest.maxFileBytes; it is not read.',
  'ingest/unknown-extension': 'A file with an extension Broadsheet does not read; it is skipped.',
  'ingest/unknown-front-matter-key': 'A front-matter key Broadsheet does not know (a typo?); it is ignored.',
  'ingest/unreadable': 'The file could not be read (permissions, a vanished file); it is skipped.',
  'media/enclosure-type': 'An enclosure whose media type is neither given nor known from its name; left out.',
  'media/missing-alt': 'A picture without alt text: a screen reader has nothing to say for it.',
  'media/missing-file': 'A picture or enclosure an article names is not there (or unreadable); left out.',
  'media/outside-articles': 'A picture or enclosure outside the articles folder; not published.',
  'media/unreadable-image': 'A picture whose size cannot be read from its header; left out.',
  'newsletter/period': 'The newsletter period is not one Broadsheet knows.',
  'newsletter/rebuild':
    'An edition cannot be rebuilt (not in the state store, or it would be empty); it is kept as recorded.',
  'newsletter/stale-edition':
    'The latest edition is unsent and some of its stories changed since it was recorded; `editions rebuild` updates it.',
  'newsletter/since': 'The --since value is not a date.',
  'newsletter/template': 'An email template does not compile (file and line named); no edition is recorded.',
  'newsletter/unreadable-date':
    'A story whose published date could not be read waits out of the newsletter until it is fixed.',
  'normalize/invalid-date': 'A story’s date is not ISO 8601 once read; that date is ignored.',
  'normalize/no-title': 'A story has no title once cleaned; it is shown as "Untitled".',
  'site/template':
    'A site template (templates/site/) does not compile or fill (file and line named); nothing is published.',
  'subscribers/csv': 'The subscribers CSV cannot be read at this line.',
  'subscribers/duplicate': 'The address appears again further down the file; the first row is kept.',
  'subscribers/exists': 'The address is already on the list; nothing changed.',
  'subscribers/header': 'The first row is not a header naming an "email" column; nothing is imported.',
  'subscribers/invalid-email': 'Not an email address; the row is skipped.',
  'subscribers/invalid-status': 'A status Broadsheet does not know; the row is skipped.',
  'subscribers/status-applied': 'An import set a subscriber’s status (unsubscribed, bounced) from the file.',
  'subscribers/suppressed': 'The address is suppressed (bounced, complained or erased) and is not added.',
  'subscribers/unknown-topic': 'A topic that is not in the configuration; the row is skipped.',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
