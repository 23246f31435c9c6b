import type { StateDb } from '../state/index.ts';
import { getOrCreateLocalSecret, readLocalSecret } from '../state/index.ts';
import { generateSecret } from './unsubscribe.ts';

export type SecretSource = 'environment' | 'local-existing' | 'local-created';

/**
 * The key unsubscribe links are signed with. Real mail (SMTP) needs BROADSHEET_UNSUBSCRIBE_SECRET:
 * a key that lives only in one laptop's state file would break every link when the state moves.
 * The local outbox mode makes one up once and keeps it in the state store, so `npm start` works.
 * `create: false` (dry runs, `serve`) never writes: it returns null when there is no secret yet.
 */
export function resolveUnsubscribeSecret(
  db: StateDb,
  envSecret: string | null,
  options: { requireEnvironment: boolean; create: boolean },
): { secret: string; source: SecretSource } | { error: string } | null {
  if (envSecret) return { secret: envSecret, source: 'environment' };
  if (options.requireEnvironment)
    return {
      error:
        'BROADSHEET_UNSUBSCRIBE_SECRET is not set: sending real mail needs it to sign unsubscribe links (e.g. `openssl rand -base64 32`)',
    };
  if (!options.create) {
    const existing = readLocalSecret(db);
    return existing ? { secret: existing, source: 'local-existing' } : null;
  }
  const local = getOrCreateLocalSecret(db, generateSecret);
  return { secret: local.secret, source: local.created ? 'local-created' : 'local-existing' };
}
