import { statSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
const t0 = performance.now();
const live = process.argv[2];
const code = `
const { parentPort, workerData } = require('node:worker_threads');
const { statSync, readFileSync } = require('node:fs');
const man = JSON.parse(readFileSync(workerData.live + '.manifest.json', 'utf8'));
let ok = 0, n = 0;
for (const p in man) { n++; const s = statSync(workerData.live + '/' + p, { bigint: true, throwIfNoEntry: false }); if (s && (s.ino.toString(36) + '.' + s.mtimeNs.toString(36)) === man[p].stamp) ok++; }
parentPort.postMessage({ ok, n });`;
const w = new Worker(code, { eval: true, workerData: { live } });
const result = new Promise((r) => w.once('message', r));
const walk = (d, out) => { for (const e of readdirSync(d, { withFileTypes: true })) { const p = join(d, e.name); const s = statSync(p, { throwIfNoEntry: false }); if (s?.isDirectory()) walk(p, out); else out.push(`${p}\t${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}:${s.dev}`); } };
const a = []; walk('articles', a);
const t1 = performance.now();
const r = await result;
console.log('walk', (t1 - t0).toFixed(0), 'total', (performance.now() - t0).toFixed(0), r);
