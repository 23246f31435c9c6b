import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Context } from '../../src/cli/context.ts';
import { type Config, configSchema } from '../../src/config/schema.ts';
import { testContext } from '../helpers/context.ts';
import { tempDir } from '../helpers/temp.ts';

/** A real Context over a temp project folder: real SQLite state file, fixed build time. */
export function siteContext(root: string, now: string, config: Config = siteConfig()): Context {
  return testContext(root, now, config);
}

export function siteConfig(overrides: Record<string, unknown> = {}): Config {
  return configSchema.parse({
    site: { title: 'Harbor City Ledger', baseUrl: 'https://news.example.com/' },
    ...overrides,
  });
}

export const tempProject = () => tempDir('bs-site-');

/** Every file under `dir` with its bytes, by relative path. */
export function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}
