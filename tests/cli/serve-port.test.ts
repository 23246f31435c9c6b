import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServe } from '../../src/cli/commands/serve.ts';
import { createContext } from '../../src/cli/context.ts';
import { tempDir } from '../helpers/temp.ts';

describe('broadsheet serve on a port that is taken', () => {
  it('gives up before building anything', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const dir = tempDir('broadsheet-serve-port-');
      mkdirSync(join(dir, 'articles'));
      writeFileSync(join(dir, 'articles', 'story.txt'), 'A Story\n\nIn This Article\nBody.\n');
      const config = join(dir, 'broadsheet.config.json');
      writeFileSync(config, '{}');
      const ctx = createContext({ config, quiet: true });
      const server = await startServe(ctx, { config, quiet: true }, { port, watch: false });
      expect(server).toBeNull();
      expect(existsSync(join(dir, 'out'))).toBe(false);
    } finally {
      taken.close();
    }
  });
});
