/**
 * Scores the bounce classifier against the Sisimai project's public corpus of real bounce mail.
 *
 *   SISIMAI_EMAILS=<git dir of sisimai/set-of-emails> SISIMAI_EXPECT=<git dir of sisimai/p5-sisimai> \
 *     node --import tsx tests/bench/bounce-corpus.ts [--misses]
 *
 * Expected labels come from Sisimai's own test expectations (p5-sisimai `t/*.t`, the
 * `$isexpected` table of each engine: `'NN' => [['D.S.N.', 'replycode', 'REASON', hardbounce]]`),
 * mapped to our four kinds: reason `feedback` -> complaint; `vacation` or `delivered` -> not a
 * bounce; `hardbounce` 1 -> hard; any other reason -> soft. `maildir/not/*` (the corpus's "is
 * not a bounce mail") -> not a bounce. A message with several recipients is labelled by its first.
 * Messages are read from the git objects (`git show HEAD:path`), nothing is copied.
 */
import { execFileSync } from 'node:child_process';
import { type BounceKind, classifyReport } from '../../src/deliver/bounces/classify.ts';

const emailsRepo = process.env.SISIMAI_EMAILS ?? '/work/.mirror/sisimai+set-of-emails/repo';
const expectRepo = process.env.SISIMAI_EXPECT ?? '/work/.mirror/sisimai+p5-sisimai/repo';
const showMisses = process.argv.includes('--misses');

function git(repo: string, ...args: string[]): Buffer {
  return execFileSync('git', ['-C', repo, ...args], { maxBuffer: 64 * 1024 * 1024 });
}

interface Case {
  path: string;
  expected: BounceKind;
  sisimaiReason: string;
}

/** `t/760-lhost-postfix.t` -> the files it names and the kind Sisimai expects for each. */
function casesFromExpectations(): Case[] {
  const tests = git(expectRepo, 'ls-tree', '--name-only', 'HEAD', 't/')
    .toString()
    .split('\n')
    .filter((name) => /^t\/\d+-(lhost|rhost|arf|rfc3464|rfc3834)[\w-]*\.t$/.test(name));
  const cases: Case[] = [];
  for (const test of tests) {
    const source = git(expectRepo, 'show', `HEAD:${test}`).toString();
    const engine = /\$enginename\s*=\s*'([^']+)'/.exec(source)?.[1];
    if (!engine) continue;
    const prefix = /^(ARF|RFC3464|RFC3834)$/.test(engine)
      ? ''
      : test.includes('-rhost-')
        ? 'rhost-'
        : 'lhost-';
    const table = /\$isexpected\s*=\s*\{([\s\S]*?)\n\};/.exec(source)?.[1] ?? '';
    for (const entry of table.matchAll(
      /'(\d+)'\s*=>\s*\[\s*\[\s*'([^']*)',\s*'([^']*)',\s*'([^']*)',\s*(\d)/g,
    )) {
      const [, index, , , reason, hard] = entry as unknown as [
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      const path = `maildir/bsd/${prefix}${engine.toLowerCase()}-${String(Number(index)).padStart(2, '0')}.eml`;
      cases.push({ path, expected: kindOf(reason, hard === '1'), sisimaiReason: reason });
    }
  }
  return cases;
}

function kindOf(reason: string, hard: boolean): BounceKind {
  if (reason === 'feedback') return 'complaint';
  if (reason === 'vacation' || reason === 'delivered') return 'not-bounce';
  return hard ? 'hard' : 'soft';
}

async function main(): Promise<void> {
  const present = new Set(git(emailsRepo, 'ls-tree', '-r', '--name-only', 'HEAD').toString().split('\n'));
  const seen = new Set<string>();
  const cases = casesFromExpectations().filter(
    (c) => present.has(c.path) && !seen.has(c.path) && seen.add(c.path),
  );
  for (const path of present)
    if (path.startsWith('maildir/not/') && path.endsWith('.eml'))
      cases.push({ path, expected: 'not-bounce', sisimaiReason: '(not a bounce)' });
  const confusion = new Map<string, number>();
  const misses: string[] = [];
  let right = 0;
  for (const c of cases) {
    const verdict = await classifyReport(git(emailsRepo, 'show', `HEAD:${c.path}`));
    const key = `${c.expected} -> ${verdict.kind}`;
    confusion.set(key, (confusion.get(key) ?? 0) + 1);
    if (verdict.kind === c.expected) right++;
    else
      misses.push(
        `${c.path}: sisimai ${c.sisimaiReason} (${c.expected}), ours ${verdict.kind} (${verdict.reason})`,
      );
  }
  const commit = git(emailsRepo, 'rev-parse', '--short', 'HEAD').toString().trim();
  const expectCommit = git(expectRepo, 'rev-parse', '--short', 'HEAD').toString().trim();
  console.log(
    `corpus: sisimai/set-of-emails@${commit}, labels from sisimai/p5-sisimai@${expectCommit} t/*.t`,
  );
  console.log(`classified right: ${right}/${cases.length} = ${((100 * right) / cases.length).toFixed(1)}%`);
  for (const [key, count] of [...confusion].sort()) console.log(`  ${key}: ${count}`);
  if (showMisses) for (const miss of misses) console.log(`  miss ${miss}`);
}

await main();
