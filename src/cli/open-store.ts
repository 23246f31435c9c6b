import type { DeliveryStore } from '../state/store/index.ts';
import type { Context } from './context.ts';

/**
 * The state a command reads and writes: PostgreSQL when BROADSHEET_DATABASE_URL names one (where
 * the senders read, so a change is seen by every machine at once), else the SQLite state file.
 * `pg` is loaded only when asked for, so commands on SQLite start as fast as before.
 */
export async function openStore(ctx: Context, options: { poolSize?: number } = {}): Promise<DeliveryStore> {
  const { postgresStore, sqliteStore } = await import('../state/store/index.ts');
  if (ctx.env.databaseUrl) return postgresStore(ctx.env.databaseUrl, { poolSize: options.poolSize ?? 2 });
  return sqliteStore(ctx.openState(), { closeDb: true });
}
