import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// A story's body and analysis may be paged: getters that load the text from the parse cache on
// each read (src/ingest/paged-text.ts). `{ ...story }` loads it and keeps it on the copy, which a
// heap snapshot of a 100k build would show only much later. The type checker finds every spread
// of a value that has the text fields; a copy goes through withFields, shellOf or withoutText.
const repo = resolve(import.meta.dirname, '../..');
const SRC = join(repo, 'src');
/** The one module that knows how text is paged, and so may copy a story in memory. */
const ALLOWED = new Set(['ingest/paged-text.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => join(dir, file));
}

/** `file:line` of every spread of a value with `body` and `analysis` not overridden after it. */
function storySpreads(): string[] {
  const program = ts.createProgram(sourceFiles(SRC), {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  const found: string[] = [];
  for (const file of program.getSourceFiles()) {
    const path = relative(SRC, file.fileName);
    if (path.startsWith('..') || ALLOWED.has(path)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isSpreadAssignment(node) && hasText(checker.getTypeAtLocation(node.expression))) {
        if (!overridesText(node)) {
          const { line } = file.getLineAndCharacterOfPosition(node.getStart());
          found.push(`src/${path}:${line + 1}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}

function hasText(type: ts.Type): boolean {
  if (type.getProperty('body') === undefined || type.getProperty('analysis') === undefined) return false;
  // `spreadable(story)`: text in memory or placeholders, safe to copy.
  return !type.getProperties().some((property) => property.getName().includes('textInMemory'));
}

/** `{ ...story, body: …, analysis: … }` replaces the text: nothing of it is kept. */
function overridesText(spread: ts.SpreadAssignment): boolean {
  const literal = spread.parent as ts.ObjectLiteralExpression;
  const after = literal.properties.slice(literal.properties.indexOf(spread) + 1);
  const names = new Set(after.map((property) => property.name?.getText()));
  return names.has('body') && names.has('analysis');
}

describe('copies of a story', () => {
  it('never spread a value with (possibly paged) story text', () => {
    expect(storySpreads()).toEqual([]);
  });
});
