// `npm run schema`: regenerates broadsheet.schema.json and the README's configuration reference
// from the zod schema (tests fail until both are committed).
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { configJsonSchemaText, SCHEMA_FILE } from './json-schema.ts';
import { withConfigReference } from './reference.ts';

const repo = resolve(import.meta.dirname, '../..');
writeFileSync(resolve(repo, SCHEMA_FILE), configJsonSchemaText());
process.stderr.write(`wrote ${SCHEMA_FILE}\n`);

// Read right before writing: other sections of the README are edited by hand.
const readmePath = resolve(repo, 'README.md');
const readme = withConfigReference(readFileSync(readmePath, 'utf8'));
if (readme === null) {
  process.stderr.write('README.md has no config-reference markers; reference not written\n');
  process.exitCode = 1;
} else {
  writeFileSync(readmePath, readme);
  process.stderr.write('updated the configuration reference in README.md\n');
}
