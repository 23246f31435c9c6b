import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServe } from '../../src/cli/commands/serve.ts';
import { type Context, createContext } from '../../src/cli/context.ts';
import type { PreviewServer } from '../../src/cli/serve/server.ts';
import type { Env } from '../../src/config/env.ts';
import { tempDir } from '../helpers/temp.ts';

/**
 * `serve` started in-process on a new publication folder (one story, the given config) on a free
 * port, no watching, with these environment values in place of the machine's.
 */
export async function servePublication(
  label: string,
  config: Record<string, unknown>,
  env: Partial<Env>,
): Promise<{ dir: string; ctx: Context; server: PreviewServer }> {
  const dir = tempDir(`broadsheet-${label}-`);
  mkdirSync(join(dir, 'articles'));
  writeFileSync(join(dir, 'articles', 'story.txt'), 'A Story\n\nIn This Article\nBody.\n');
  const file = join(dir, 'broadsheet.config.json');
  writeFileSync(
    file,
    JSON.stringify({ site: { title: 'The Ledger', baseUrl: 'https://ledger.example/' }, ...config }),
  );
  const created = createContext({ config: file, quiet: true });
  const ctx = { ...created, env: { ...created.env, ...env } };
  const server = await startServe(ctx, { config: file, quiet: true }, { port: 0, watch: false });
  if (!server) throw new Error('serve did not start');
  return { dir, ctx, server };
}
