import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderEditionEmail, TemplateError, type Templates } from '../../src/newsletter/index.ts';
import { makeEdition, makeItems, shippedTemplates, testConfig } from './helpers.ts';

const config = testConfig();

function withBroken(name: string, fixture: string): Templates {
  const file = `tests/newsletter/fixtures/${fixture}`;
  return {
    ...shippedTemplates(),
    [name]: { file, source: readFileSync(new URL(`fixtures/${fixture}`, import.meta.url), 'utf8') },
  };
}

async function problems(templates: Templates) {
  try {
    await renderEditionEmail(makeEdition(makeItems(3), config), config, templates);
  } catch (error) {
    if (error instanceof TemplateError) return error.problems;
    throw error;
  }
  throw new Error('expected a TemplateError');
}

describe('template errors name the template file and line', () => {
  it('reports a Handlebars parse error in a partial at its own line', async () => {
    const found = await problems(withBroken('story', 'story-unclosed-if.mjml'));
    expect(found).toHaveLength(1);
    expect(found[0]?.file).toBe('tests/newsletter/fixtures/story-unclosed-if.mjml');
    expect(found[0]?.line).toBe(4);
    expect(found[0]?.message).toBe('Handlebars: {{#if}} is never closed (no {{/if}})');
  });

  it('maps MJML validation errors in the combined document back to the partial’s lines', async () => {
    const found = await problems(withBroken('footer', 'footer-illegal-attribute.mjml'));
    const file = 'tests/newsletter/fixtures/footer-illegal-attribute.mjml';
    expect(found).toContainEqual({ file, line: 7, message: 'mj-text: Attribute colour is illegal' });
    expect(found).toContainEqual(expect.objectContaining({ file, line: 11 }));
    expect(found.find((p) => p.line === 11)?.message).toMatch(/mj-unknown-widget/);
  });

  it('names the partial for an error repeated by a loop', async () => {
    const found = await problems(withBroken('story', 'story-illegal-attribute.mjml'));
    expect(found.length).toBeGreaterThan(0);
    for (const p of found) {
      expect(p).toEqual({
        file: 'tests/newsletter/fixtures/story-illegal-attribute.mjml',
        line: 6,
        message: 'mj-divider: Attribute border-colour is illegal',
      });
    }
  });

  it('reports other Handlebars syntax errors at the line Handlebars gives', async () => {
    const templates = shippedTemplates();
    const source = 'line one\nline two {{title}\n';
    const found = await problems({ ...templates, brief: { file: 'templates/email/brief.mjml', source } });
    expect(found).toEqual([expect.objectContaining({ file: 'templates/email/brief.mjml', line: 2 })]);
    expect(found[0]?.message).toMatch(/^Handlebars: Parse error on line 2/);
  });

  it('names the line that calls a partial that does not exist', async () => {
    const found = await problems(withBroken('header', 'header-missing-partial.mjml'));
    expect(found).toEqual([
      {
        file: 'tests/newsletter/fixtures/header-missing-partial.mjml',
        line: 4,
        message: 'partial "masthead" not found (no masthead.mjml template)',
      },
    ]);
  });

  it('renders the shipped templates without any error', async () => {
    const { html } = await renderEditionEmail(makeEdition(makeItems(3), config), config, shippedTemplates());
    expect(html).toMatch(/^<!doctype html>/);
  });
});
