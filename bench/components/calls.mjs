// Host->guest calls per second under node: the jco column of bench/components/run.sh, the twin
// of calls.c.   usage: node calls.mjs DIR upper|sum N   (DIR holds `jco transpile --name guest` output)
// Same arguments, warm-up (N/10 calls), result checks and output line as calls.c:
//   calls N cpu_us wall_us calls_per_cpu_s
// cpu_us from process.cpuUsage() (getrusage of this process: user + sys), wall from hrtime.
import path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const [dir, fname, nArg] = process.argv.slice(2);
const n = Number(nArg);
if (!dir || !['upper', 'sum'].includes(fname) || !(n >= 1)) {
  console.error('usage: node calls.mjs DIR upper|sum N');
  process.exit(2);
}
const m = await import(pathToFileURL(path.join(dir, 'guest.js')).href);
const STR_LEN = 1024, LIST_LEN = 64 * 1024;
const chars = 'abcdefghijklmnopqrstuvwxyz0123456789 ';
let arg, check;
if (fname === 'sum') {
  arg = new Uint32Array(LIST_LEN);
  let want = 0n;
  for (let i = 0; i < LIST_LEN; i++) { arg[i] = Math.imul(i, 2654435761) >>> 0; want += BigInt(arg[i]); }
  check = (r) => r === want;
} else {
  let s = '';
  for (let i = 0; i < STR_LEN; i++) s += chars[i % 37];
  arg = s;
  const want = s.toUpperCase();
  check = (r) => r === want;
}
const f = m[fname];
const warm = Math.max(1, Math.floor(n / 10));
let c0, w0;
for (let i = -warm; i < n; i++) {
  if (i === 0) { c0 = process.cpuUsage(); w0 = process.hrtime.bigint(); }
  if (!check(f(arg))) { console.error(`calls.mjs: error: wrong result from ${fname}`); process.exit(1); }
}
const cu = process.cpuUsage(c0), cpu = cu.user + cu.system;
const wall = Number((process.hrtime.bigint() - w0) / 1000n);
console.log(`calls ${n} ${cpu} ${wall} ${cpu > 0 ? Math.round(n * 1e6 / cpu) : 0}`);
