/**
 * "1 error", "2 errors", "1 story", "3 stories": every count a command prints goes through here,
 * so no summary says "1 errors". English only, like the rest of the CLI's words.
 */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
