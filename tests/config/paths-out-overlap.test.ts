import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/load.ts';

// Every build replaces paths.out whole. Pointed at the articles folder it deleted all of them
// (26 sample articles, one build); at a folder holding the state, the templates or the config's
// own folder it would delete those; inside the articles it would be read back as articles.

function messagesFor(paths: Record<string, string>, delivery: Record<string, unknown> = {}): string[] {
  try {
    parseConfig({ paths, delivery });
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).diagnostics.map((d) => d.message);
  }
}

const ADVICE = 'every build replaces that folder whole; give the output a folder of its own, e.g. "out"';

describe('paths.out that would replace the publication’s own files', () => {
  it.each([
    [
      'articles',
      {},
      `"paths.out" ("articles") holds "paths.articles" ("articles"), which a build would delete: ${ADVICE}`,
    ],
    ['site/../articles', {}, 'holds "paths.articles" ("articles")'],
    ['content', { articles: 'content/posts' }, 'holds "paths.articles" ("content/posts")'],
    [
      'articles/site',
      {},
      'is inside "paths.articles" ("articles"), which the next build would read its own output from',
    ],
    ['templates', {}, 'holds "paths.templates" ("templates")'],
    ['site', { templates: 'site/templates' }, 'holds "paths.templates" ("site/templates")'],
    ['.broadsheet', {}, 'holds "paths.state" (".broadsheet/state.db")'],
    ['.', {}, `"paths.out" (".") holds the config file's own folder: ${ADVICE}`],
    ['..', {}, "holds the config file's own folder"],
    ['/srv/site', { articles: '/srv/site/articles' }, 'holds "paths.articles" ("/srv/site/articles")'],
  ])('%s is refused, naming what it would replace', (out, others, message) => {
    const messages = messagesFor({ out, ...others }, { outbox: '/var/mail/broadsheet-outbox' });
    expect(
      messages.some((m) => m.includes(message)),
      messages.join('\n'),
    ).toBe(true);
  });

  it.each([
    ['out', {}],
    ['public', { articles: 'content/articles' }],
    // Relative and absolute paths are compared only where they can meet: "var" is the config
    // folder's, "/var/…" the machine's.
    ['var', { state: '/var/lib/broadsheet/state.db', cache: '/var/cache/broadsheet/cache.db' }],
    ['/srv/www/site', { articles: '/srv/articles' }],
    // Templates are read by name from their site/ and email/ folders: out beside them is fine.
    ['out', { templates: '.' }],
  ])('%s beside the rest is taken', (out, others) => {
    expect(messagesFor({ out, ...others })).toEqual([]);
  });
});
