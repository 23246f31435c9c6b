/**
 * The state stage's public surface: the SQLite state file (identities, editions, subscribers,
 * the delivery ledger, suppression, signups, WebSub pings), the parse cache and the locks. Other
 * folders import from here, not from the modules. The delivery store that also runs on
 * PostgreSQL is its own surface, `store/index.ts`: only `send` and `state migrate` load `pg`.
 */
export * from './cache.ts';
export * from './db.ts';
export * from './editions.ts';
export * from './items.ts';
export * from './ledger.ts';
export * from './ledger-thread.ts';
export * from './lock.ts';
export * from './signups.ts';
export * from './subscribers.ts';
export * from './suppression.ts';
export * from './websub.ts';
