/**
 * The delivery store: one async interface over the state `send` and its helpers need, on the
 * embedded SQLite file (default, no setup) or on PostgreSQL (`BROADSHEET_DATABASE_URL`), which
 * lets several machines send one edition together.
 */
export { ensurePostgresSchema, postgresStore, sharedRateSlot } from './postgres.ts';
export { MIGRATED_TABLES } from './postgres-schema.ts';
export { sqliteStore } from './sqlite.ts';
export type { ClaimRequest, DeliveryStore, ImportCounts, InDoubtRow } from './types.ts';

/** Whether a database URL names PostgreSQL (the only server backend). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}
export type { AudienceStore, RowImport } from './audience-types.ts';
export { postgresEditions } from './build-editions.ts';
export {
  type BuildSession,
  BuildSyncError,
  openBuildSession,
  openWorkingCopy,
  withBuildLock,
} from './build-sync.ts';
export { type EditionsState, sqliteEditions } from './editions-state.ts';
export { importSubscriberStream } from './import-stream.ts';
