import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.ts';

const fixtures = join(import.meta.dirname, 'fixtures');

/** Loads a fixture that must fail and returns its diagnostic messages. */
function errorsOf(name: string): string[] {
  try {
    loadConfig(name, fixtures);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const diagnostics = (error as ConfigError).diagnostics;
    for (const d of diagnostics) {
      // Named as the user would type it: relative to the working folder.
      expect(d.file).toBe(name);
      expect(d.severity).toBe('error');
    }
    return diagnostics.map((d) => d.message);
  }
  throw new Error(`${name} loaded without an error`);
}

/** Loads a fixture that must fail and returns `line: message` for each diagnostic. */
function linedErrorsOf(name: string): string[] {
  try {
    loadConfig(name, fixtures);
  } catch (error) {
    return (error as ConfigError).diagnostics.map((d) => `${d.line ?? '?'}: ${d.message}`);
  }
  throw new Error(`${name} loaded without an error`);
}

describe('config errors name the key, the value and what was expected', () => {
  it('points each error at the line of its key, top to bottom, so editors can jump there', () => {
    expect(linedErrorsOf('errors-on-their-lines.json')).toEqual([
      expect.stringMatching(/^3: unknown key in "site": "titel" \(did you mean "title"\?\)/),
      expect.stringMatching(/^4: "site.timeZone": got "Europe\/Harbor"/),
      '6: "feeds.topics[1].name": got ""; expected a non-empty string',
      // A missing key: the line of the object it belongs in.
      '8: "delivery.from.email" is missing; expected string',
    ]);
  });

  it('suggests the key a typo meant and lists the keys allowed there', () => {
    const [message] = errorsOf('typo-in-site-key.json');
    expect(message).toContain('unknown key in "site": "titel" (did you mean "title"?)');
    expect(message).toContain('"baseUrl"');
  });

  it('reports every bad value in one run, not just the first', () => {
    expect(errorsOf('bad-url-and-zone.json')).toEqual([
      '"site.baseUrl": got "ftp://ledger.example"; expected an absolute http(s) URL',
      '"site.timeZone": got "Mars/Olympus_Mons"; expected an IANA time zone such as "America/New_York"',
    ]);
  });

  it('shows array positions the way a person finds them in the file', () => {
    expect(errorsOf('wrong-types-in-topics.json')).toEqual([
      '"feeds.limit": got "50"; expected number',
      '"feeds.topics[0].tags": got "sport"; expected array',
    ]);
  });

  it('lists the allowed choices of an enum', () => {
    expect(errorsOf('unknown-period.json')).toEqual([
      '"newsletter.period": got "monthly"; expected one of "since-last", "daily", "weekly"',
    ]);
  });

  it('refuses control characters in text that reaches feeds, pages and email headers', () => {
    expect(errorsOf('control-characters-in-text.json')).toEqual([
      '"site.title": got "The Harbor\\u0007 City Ledger"; expected one line of text without control characters',
      '"feeds.topics[0].name": got "City\\nHall"; expected one line of text without control characters',
    ]);
  });

  it('says a required key is missing rather than "got undefined"', () => {
    expect(errorsOf('sender-without-email.json')).toEqual([
      '"delivery.from.email" is missing; expected string',
    ]);
  });

  it('reports invalid JSON at its line and column, not a character position', () => {
    expect(errorsOf('trailing-comma.json')).toEqual([
      'not valid JSON at line 1, column 36: Expected double-quoted property name',
    ]);
    expect(errorsOf('trailing-comma-multiline.json')).toEqual([
      'not valid JSON at line 4, column 3: Expected double-quoted property name',
    ]);
    try {
      loadConfig('trailing-comma-multiline.json', fixtures);
    } catch (error) {
      expect((error as ConfigError).diagnostics[0]?.line).toBe(4);
    }
  });

  it('refuses an explicitly named config file that does not exist', () => {
    expect(errorsOf('no-such-config.json')[0]).toMatch(/^config file not found: .*no-such-config\.json$/);
  });
});
