import { statSync, stat, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
const mode = process.argv[3];
const t0 = performance.now();
const walk = (d, out) => { for (const e of readdirSync(d, { withFileTypes: true })) { const p = join(d, e.name); const s = statSync(p, { throwIfNoEntry: false }); if (s?.isDirectory()) walk(p, out); else out.push(`${p}\t${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}:${s.dev}`); } };
const live = process.argv[2];
const man = JSON.parse(readFileSync(live + '.manifest.json', 'utf8'));
const paths = Object.keys(man);
const t1 = performance.now();
const stampOf = (s) => `${s.ino.toString(36)}.${s.mtimeNs.toString(36)}`;
let ok = 0;
if (mode === 'sync') {
  const a = []; walk('articles', a);
  for (const p of paths) { const s = statSync(`${live}/${p}`, { bigint: true, throwIfNoEntry: false }); if (s && stampOf(s) === man[p].stamp) ok++; }
} else {
  const done = new Promise((resolve) => { let left = paths.length; for (const p of paths) stat(`${live}/${p}`, { bigint: true }, (e, s) => { if (!e && stampOf(s) === man[p].stamp) ok++; if (--left === 0) resolve(); }); });
  const a = []; walk('articles', a);
  await done;
}
console.log(mode, ok, 'manifest', (t1 - t0).toFixed(0), 'rest', (performance.now() - t1).toFixed(0));
