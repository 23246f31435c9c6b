import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openState } from '../../../src/state/db.ts';
import { type DeliveryStore, postgresStore, sqliteStore } from '../../../src/state/store/index.ts';
import { freshDatabase, postgresAvailable } from '../../helpers/postgres.ts';
import { tempDir } from '../../helpers/temp.ts';

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** A store over a new, empty state; `url` is the PostgreSQL database (postgres only). */
  open(): Promise<{ store: DeliveryStore; url: string | null; cleanup(): Promise<void> }>;
}

const sqlite: Backend = {
  name: 'sqlite',
  async open() {
    const dir = tempDir('broadsheet-store-');
    const store = sqliteStore(openState(join(dir, 'state.db')), { closeDb: true });
    return {
      store,
      url: null,
      cleanup: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const postgres: Backend = {
  name: 'postgres',
  async open() {
    const url = await freshDatabase('store');
    const store = await postgresStore(url);
    return { store, url, cleanup: () => store.close() };
  },
};

/** The backends the store tests run on: both, where PostgreSQL binaries exist (always in CI). */
export const BACKENDS: Backend[] = postgresAvailable() ? [sqlite, postgres] : [sqlite];

/**
 * A store opener for one backend's `describe` block: each call opens a new, empty store, and the
 * last one opened is closed (and its files removed) after each test.
 */
export function storeOpener(backend: Backend): () => Promise<DeliveryStore> {
  let cleanup: () => Promise<void> = async () => {};
  afterEach(() => cleanup());
  return async () => {
    const opened = await backend.open();
    cleanup = opened.cleanup;
    return opened.store;
  };
}
