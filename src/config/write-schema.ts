// `npm run schema`: regenerates broadsheet.schema.json from the zod schema (tests fail until it is committed).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { configJsonSchemaText, SCHEMA_FILE } from './json-schema.ts';

const target = resolve(import.meta.dirname, '../..', SCHEMA_FILE);
writeFileSync(target, configJsonSchemaText());
process.stderr.write(`wrote ${target}\n`);
