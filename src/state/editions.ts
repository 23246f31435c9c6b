import type { Edition } from '../types.ts';
import type { StateDb } from './db.ts';

/**
 * Editions built so far (the JSON of each `Edition`), so `send` can render exactly what
 * `build` selected and the next edition knows where the last one ended.
 * CONTRACT STUB: implemented by the newsletter work (issue 5).
 */
export function getEdition(_db: StateDb, _id: string | 'latest'): Edition | null {
  return null;
}
