import { createRequire } from 'node:module';
import type HandlebarsModule from 'handlebars';
import { type TemplateProblem, TemplateProblems } from '../render/theme.ts';
import type { Templates } from './types.ts';

const require = createRequire(import.meta.url);
let loadedHandlebars: typeof HandlebarsModule | undefined;

/**
 * Handlebars (CommonJS) loaded when an edition is compiled: most builds compile none (the
 * edition is already recorded), and it cost ~25 ms of every start-up.
 */
function handlebars(): typeof HandlebarsModule {
  loadedHandlebars ??= require('handlebars') as typeof HandlebarsModule;
  return loadedHandlebars;
}

export type { TemplateProblem } from '../render/theme.ts';

/** A Handlebars or MJML error in the templates; `problems` name each file and line. */
export class TemplateError extends TemplateProblems {
  override name = 'TemplateError';
}

export const REQUIRED_TEMPLATES = [
  'layout',
  'header',
  'lead',
  'story',
  'brief',
  'related',
  'footer',
] as const;

/*
 * Line mapping. Handlebars partials are stitched into one MJML document, and MJML reports errors by
 * line of that document. To point at the template the publisher must fix, every template line gets
 * an invisible marker (private-use characters) at its end before compiling; after rendering, each
 * output line is attributed to the first marker at or after its start, and the markers are stripped
 * before MJML sees the text.
 */
const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
const MARKER = /\uE000(\d+):(\d+)\uE001/g;

interface Origin {
  file: string;
  line: number;
}

export interface RenderedMjml {
  mjml: string;
  /** Template origin of each line of `mjml` (index 0 is line 1). */
  origins: (Origin | null)[];
}

export interface CompiledTemplates {
  /** Fills the layout (and its partials) with the view; throws TemplateError on a runtime failure. */
  fill(view: unknown): RenderedMjml;
}

/** Parses and compiles every template; throws TemplateError naming file and line on a syntax error. */
export function compileTemplates(templates: Templates): CompiledTemplates {
  const problems: TemplateProblem[] = [];
  for (const name of REQUIRED_TEMPLATES) {
    if (!templates[name])
      problems.push({ file: `${name}.mjml`, line: null, message: `template "${name}" is missing` });
  }
  const names = Object.keys(templates).sort();
  const files = names.map((name) => templates[name]?.file ?? name);
  const env = handlebars().create();
  // The one helper templates get beyond Handlebars' own: plural and singular wording.
  env.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  for (const [index, name] of names.entries()) {
    const template = templates[name];
    if (!template) continue;
    const parseProblem = handlebarsSyntaxProblem(env, template.file, template.source);
    if (parseProblem) {
      problems.push(parseProblem);
      continue;
    }
    problems.push(...missingPartials(template.file, template.source, templates));
    const compiled = env.compile(annotate(template.source, index), { strict: false, preventIndent: true });
    if (name === 'layout') continue;
    env.registerPartial(name, compiled);
  }
  if (problems.length > 0) throw new TemplateError(problems);
  const layoutIndex = names.indexOf('layout');
  const layout = env.compile(annotate(templates.layout?.source ?? '', layoutIndex), { preventIndent: true });
  const layoutFile = templates.layout?.file ?? 'layout.mjml';
  return {
    fill(view) {
      let output: string;
      try {
        output = layout(view);
      } catch (error) {
        throw new TemplateError([{ file: layoutFile, line: null, message: (error as Error).message }]);
      }
      return stripMarkers(output, files);
    },
  };
}

/** Compiles filled MJML to HTML at strict validation; MJML errors are mapped back to template lines. */
export async function compileMjml(rendered: RenderedMjml): Promise<string> {
  // Loaded on first use: mjml costs ~0.3 s of CPU to load, and most rebuilds compile no edition.
  const { default: mjml2html } = await import('mjml');
  try {
    const result = await mjml2html(rendered.mjml, {
      validationLevel: 'strict',
      keepComments: false,
      // Partials come from Handlebars; an mj-include would read files from inside a pure stage.
      ignoreIncludes: true,
      // No web-font <link>: readers' clients often block remote assets, and it costs bytes.
      fonts: {},
    });
    return result.html;
  } catch (error) {
    const errors = (error as { errors?: { line: number; message: string; tagName: string }[] }).errors;
    if (!Array.isArray(errors))
      throw new TemplateError([{ file: 'layout.mjml', line: null, message: String(error) }]);
    throw new TemplateError(
      errors.map((e) => {
        const origin = rendered.origins[e.line - 1] ?? null;
        return {
          file: origin?.file ?? 'layout.mjml',
          line: origin?.line ?? null,
          message: `${e.tagName}: ${e.message}`,
        };
      }),
    );
  }
}

function handlebarsSyntaxProblem(
  env: typeof HandlebarsModule,
  file: string,
  source: string,
): TemplateProblem | null {
  try {
    env.parse(source);
    return null;
  } catch (error) {
    const e = error as Error & { lineNumber?: number };
    const unclosed = /got 'EOF'/.test(e.message) ? unclosedBlock(source) : null;
    if (unclosed)
      return {
        file,
        line: unclosed.line,
        message: `Handlebars: {{#${unclosed.name}}} is never closed (no {{/${unclosed.name}}})`,
      };
    const line = e.lineNumber ?? Number(/on line (\d+)/.exec(e.message)?.[1] ?? Number.NaN);
    const message = e.message.split('\n').filter((l) => !/^-*\^$/.test(l.trim()))[0] ?? e.message;
    const detail = /Expecting (.*)$/m.exec(e.message)?.[0];
    return {
      file,
      line: Number.isFinite(line) ? line : null,
      message: `Handlebars: ${message.replace(/ - \d+:\d+$/, '')}${detail ? ` (${detail})` : ''}`,
    };
  }
}

/** The innermost block opened and never closed: Handlebars itself only reports the end of the file. */
function unclosedBlock(source: string): { name: string; line: number } | null {
  const stack: { name: string; line: number }[] = [];
  for (const [index, text] of source.split('\n').entries()) {
    for (const match of text.matchAll(/\{\{~?\s*([#/])\s*>?\s*([\w.-]+)/g)) {
      if (match[1] === '#') stack.push({ name: match[2] ?? '', line: index + 1 });
      else if (stack.at(-1)?.name === match[2]) stack.pop();
    }
  }
  return stack.at(-1) ?? null;
}

function missingPartials(file: string, source: string, templates: Templates): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  source.split('\n').forEach((text, index) => {
    for (const match of text.matchAll(/\{\{~?#?>\s*([\w-]+)/g)) {
      const name = match[1] ?? '';
      if (!templates[name] || name === 'layout') {
        problems.push({
          file,
          line: index + 1,
          message: `partial "${name}" not found (no ${name}.mjml template)`,
        });
      }
    }
  });
  return problems;
}

/** Appends a marker to every line that does not end inside a mustache (where it would break parsing). */
function annotate(source: string, fileIndex: number): string {
  const lines = source.split('\n');
  let depth = 0;
  return lines
    .map((line, index) => {
      for (let i = 0; i < line.length - 1; i++) {
        if (line[i] === '{' && line[i + 1] === '{') {
          depth++;
          i++;
        } else if (line[i] === '}' && line[i + 1] === '}' && depth > 0) {
          depth--;
          i++;
        }
      }
      const last = index === lines.length - 1;
      return depth === 0 && !last ? `${line}${MARK_OPEN}${fileIndex}:${index + 1}${MARK_CLOSE}` : line;
    })
    .join('\n');
}

/** Removes markers and the blank lines left by block tags, recording each line's template origin. */
function stripMarkers(output: string, files: string[]): RenderedMjml {
  const lines: string[] = [];
  const origins: (Origin | null)[] = [];
  let pendingFrom = 0;
  for (const raw of output.split('\n')) {
    const first = raw.matchAll(MARKER).next().value;
    const text = raw.replace(MARKER, '');
    if (text.trim() !== '') {
      lines.push(text.trimEnd());
      origins.push(null);
    }
    if (first) {
      // Lines without a marker (multi-line data) belong to the next marked template line.
      const origin = { file: files[Number(first[1])] ?? 'layout.mjml', line: Number(first[2]) };
      for (let i = pendingFrom; i < origins.length; i++) origins[i] = origin;
      pendingFrom = origins.length;
    }
  }
  return { mjml: lines.join('\n'), origins };
}
