import { statSync, readFileSync } from 'node:fs';
const live = process.argv[2];
const man = JSON.parse(readFileSync(live + '.manifest.json', 'utf8'));
const paths = Object.keys(man);
for (const round of [1, 2]) {
  let t = performance.now();
  for (const p of paths) statSync(`${live}/${p}`, { bigint: true, throwIfNoEntry: false });
  const abs = performance.now() - t;
  process.chdir(live);
  t = performance.now();
  for (const p of paths) statSync(p, { bigint: true, throwIfNoEntry: false });
  const rel = performance.now() - t;
  t = performance.now();
  for (const p of paths) statSync(p, { throwIfNoEntry: false });
  const relPlain = performance.now() - t;
  console.log('abs', abs.toFixed(0), 'rel', rel.toFixed(0), 'rel plain', relPlain.toFixed(0), 'per file us', (rel / paths.length * 1000).toFixed(1));
}
