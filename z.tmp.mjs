import Database from 'better-sqlite3';
import zlib from 'node:zlib';
const db = new Database(process.argv[2], { readonly: true });
const rows = db.prepare('select text from parse_text limit 3000').raw().all().map((r) => Buffer.from(typeof r[0] === 'string' ? r[0] : r[0]));
let raw = 0; for (const r of rows) raw += r.length;
for (const [name, c, d] of [
  ['deflateRaw1', (b) => zlib.deflateRawSync(b, { level: 1 }), zlib.inflateRawSync],
  ['deflateRaw6', (b) => zlib.deflateRawSync(b, { level: 6 }), zlib.inflateRawSync],
  ['brotli4', (b) => zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } }), zlib.brotliDecompressSync],
]) {
  let t = performance.now(); const cs = rows.map(c); const ct = performance.now() - t;
  t = performance.now(); for (const x of cs) d(x); const dt = performance.now() - t;
  let sz = 0; for (const x of cs) sz += x.length;
  console.log(name, 'ratio', (raw / sz).toFixed(2), 'comp us', (ct / rows.length * 1000).toFixed(1), 'decomp us', (dt / rows.length * 1000).toFixed(1), 'avg raw', (raw / rows.length).toFixed(0));
}
