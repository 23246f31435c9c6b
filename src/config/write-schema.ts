// `npm run schema`: regenerates broadsheet.schema.json and the configuration reference in
// docs/configuration.md
// from the zod schema (tests fail until both are committed).
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { configJsonSchemaText, SCHEMA_FILE } from './json-schema.ts';
import { withConfigReference } from './reference.ts';

const repo = resolve(import.meta.dirname, '../..');
writeFileSync(resolve(repo, SCHEMA_FILE), configJsonSchemaText());
process.stderr.write(`wrote ${SCHEMA_FILE}\n`);

// Read right before writing: the rest of the page is edited by hand.
const pagePath = resolve(repo, 'docs/configuration.md');
const page = withConfigReference(readFileSync(pagePath, 'utf8'));
if (page === null) {
  process.stderr.write('docs/configuration.md has no config-reference markers; reference not written\n');
  process.exitCode = 1;
} else {
  writeFileSync(pagePath, page);
  process.stderr.write('updated the configuration reference in docs/configuration.md\n');
}
