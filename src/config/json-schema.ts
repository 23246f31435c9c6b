import { z } from 'zod';
import { configSchema } from './schema.ts';

/** The committed JSON Schema's file name (repo root; `init` copies it next to a new config). */
export const SCHEMA_FILE = 'broadsheet.schema.json';

/**
 * The JSON Schema editors use to complete and check `broadsheet.config.json`, generated from
 * the same zod schema the loader validates with, so the two cannot disagree. `io: 'input'`
 * describes what a person writes (defaults make keys optional), not what the loader returns.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  return {
    $schema: schema.$schema,
    title: 'Broadsheet configuration',
    ...schema,
  };
}

export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
