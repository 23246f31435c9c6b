/**
 * `node --import MODULE_TRACE …` prints every module the process resolves to stderr, one
 * `[resolved] <url>` line each: how tests check what a command loads (and what it leaves alone).
 */
export const MODULE_TRACE = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  process.stderr.write('[resolved] ' + result.url + '\\\\n');
  return result;
}\`));`)}`;

/** The URLs a run under MODULE_TRACE resolved, from its stderr. */
export function resolvedUrls(stderr: string): string[] {
  return [...stderr.matchAll(/^\[resolved\] (.+)$/gm)].map((match) => match[1] ?? '');
}
