import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, resolvePath } from '../../src/config/load.ts';
import { defaultConfig } from '../../src/config/schema.ts';
import { tempDir } from '../helpers/temp.ts';

const repo = resolve(import.meta.dirname, '../..');

describe('loading the config', () => {
  it('runs on embedded defaults when there is no config file (npm start on a bare folder)', () => {
    const empty = tempDir('broadsheet-config-');
    const loaded = loadConfig(null, empty);
    expect(loaded.file).toBeNull();
    expect(loaded.config).toEqual(defaultConfig());
    expect(resolvePath(loaded, loaded.config.paths.out)).toBe(join(empty, 'out'));
  });

  it('fills defaults around what a file sets and resolves paths against the file, not the cwd', () => {
    const loaded = loadConfig(join(import.meta.dirname, 'fixtures', 'minimal-valid.json'), '/');
    expect(loaded.config.site.baseUrl).toBe('https://ledger.example/news/');
    expect(loaded.config.site.title).toBe('Broadsheet');
    expect(loaded.config.feeds.limit).toBe(50);
    expect(resolvePath(loaded, loaded.config.paths.out)).toBe(
      join(import.meta.dirname, 'fixtures', 'public'),
    );
  });

  it("accepts this repository's sample publication config", () => {
    const { config, file } = loadConfig(null, repo);
    expect(file).toBe(join(repo, 'broadsheet.config.json'));
    expect(config.site.title).toBe('The Harbor City Ledger');
    expect(config.site.timeZone).toBe('America/New_York');
    expect(config.feeds.topics.map((t) => t.slug)).toEqual([
      'city-hall',
      'transit',
      'climate',
      'science',
      'sport',
      'arts',
      'business',
    ]);
    for (const topic of config.feeds.topics)
      expect(topic.tags.length + topic.keywords.length).toBeGreaterThan(0);
    expect(config.newsletter.postalAddress).toMatch(/\d+ .+, Harbor City/);
  });
});
