import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { addSubscriber, findSubscriberByEmail } from '../../../src/state/subscribers.ts';
import { NOW, tempState } from '../helpers.ts';

const BIN = fileURLToPath(new URL('../../../src/cli/bin.js', import.meta.url));
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('an erased address (subscribers remove --purge)', () => {
  it('cannot come back by add, by add --reactivate, or by import', () => {
    const state = tempState();
    cleanups.push(state.cleanup);
    writeFileSync(
      join(state.dir, 'broadsheet.config.json'),
      JSON.stringify({
        site: { title: 'The Harbor City Ledger', baseUrl: 'https://ledger.example/' },
        paths: { state: 'state.db' },
      }),
    );
    addSubscriber(state.db, { email: 'eve@example.org' }, NOW);
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [BIN, 'subscribers', ...args], {
        cwd: state.dir,
        env: { ...process.env, SOURCE_DATE_EPOCH: '1795521600' },
        encoding: 'utf8',
      });
    expect(cli('remove', 'eve@example.org', '--purge').status).toBe(0);
    expect(findSubscriberByEmail(state.db, 'eve@example.org')).toBeNull();

    const add = cli('add', 'Eve@Example.org');
    expect(add.status).toBe(1);
    expect(add.stderr).toContain('was erased');
    expect(cli('add', 'eve@example.org', '--reactivate').status).toBe(1);
    writeFileSync(join(state.dir, 'list.csv'), 'email\neve@example.org\nfay@example.org\n');
    const imported = cli('import', 'list.csv');
    expect(imported.stderr).toContain('eve@example.org was erased');
    expect(findSubscriberByEmail(state.db, 'eve@example.org')).toBeNull();
    expect(findSubscriberByEmail(state.db, 'fay@example.org')?.status).toBe('active');
  }, 120_000);
});
