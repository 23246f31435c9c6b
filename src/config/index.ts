/**
 * The configuration's public surface: the schema (and the `Config` type it gives), loading a
 * config file with errors that name line and key, the environment variables, and the JSON
 * Schema editors validate against. Other folders import from here, not from the modules.
 */
export * from './env.ts';
export * from './json-schema.ts';
export * from './load.ts';
export * from './schema.ts';
