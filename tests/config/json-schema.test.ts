import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, configJsonSchemaText, SCHEMA_FILE } from '../../src/config/json-schema.ts';

const repo = resolve(import.meta.dirname, '../..');

describe('broadsheet.schema.json', () => {
  it('is the file generated from the zod schema (run `npm run schema` after changing schema.ts)', () => {
    expect(readFileSync(resolve(repo, SCHEMA_FILE), 'utf8')).toBe(configJsonSchemaText());
  });

  it('describes every key and refuses unknown ones, so editors complete and flag typos', () => {
    const undescribed: string[] = [];
    const open: string[] = [];
    const visit = (node: Record<string, unknown>, key: string): void => {
      const properties = node.properties as Record<string, Record<string, unknown>> | undefined;
      if (properties) {
        if (node.additionalProperties !== false) open.push(key || '(top level)');
        for (const [name, child] of Object.entries(properties)) {
          if (typeof child.description !== 'string') undescribed.push(`${key}${name}`);
          visit(child, `${key}${name}.`);
        }
      }
      if (node.items) visit(node.items as Record<string, unknown>, `${key}[].`);
    };
    visit(configJsonSchema(), '');
    expect(undescribed).toEqual([]);
    expect(open).toEqual([]);
  });

  it('is what the committed sample config points its $schema at', () => {
    const config = JSON.parse(readFileSync(resolve(repo, 'broadsheet.config.json'), 'utf8'));
    expect(config.$schema).toBe(`./${SCHEMA_FILE}`);
  });
});
