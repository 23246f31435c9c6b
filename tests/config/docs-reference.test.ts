import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configReferenceMarkdown, withConfigReference } from '../../src/config/reference.ts';

const page = readFileSync(resolve(import.meta.dirname, '../../docs/configuration.md'), 'utf8');

describe('the configuration reference in docs/configuration.md', () => {
  it('is the one generated from the schema (run `npm run schema` after changing schema.ts)', () => {
    expect(withConfigReference(page)).toBe(page);
  });

  it('has a row with a default or "unset"/"required" for every leaf key', () => {
    const rows = configReferenceMarkdown().split('\n').slice(2);
    expect(rows.length).toBeGreaterThan(30);
    for (const row of rows) expect(row).toMatch(/^\| `[\w.[\]]+` \| (`.+`|\*unset\*|\*required\*) \| .+ \|$/);
    expect(rows).toContain(
      '| `site.timeZone` | `"America/New_York"` | IANA time zone for dates without an offset and for edition dates. |',
    );
  });
});
