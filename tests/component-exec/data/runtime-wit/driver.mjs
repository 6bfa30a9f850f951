// Runtime-wit driver: for each case of CASES.json, call the function on the
// component transpiled by `jco transpile` (MODULE.js) and write
//   INVOKES: the `wrun --invoke` string (WAVE arguments), one per line
//   stdout:  one line per case, what `wrun --invoke` must print for it: the
//            WAVE result (an empty line for no result) or `trap` when the call throws.
// usage: node driver.mjs MODULE.js CASES.json INVOKES
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [modPath, casesPath, invokesPath] = process.argv.slice(2);
const spec = JSON.parse(readFileSync(casesPath, 'utf8'));
// A fresh instance per case (a new module URL each time), as each wrun run is:
// after a trap an instance stays closed (Explainer.md lockdown).
let n = 0;
const fresh = async () => { const m = await import(pathToFileURL(modPath).href + '?case=' + n++); return m[spec.js] ?? m[spec.iface]; };
const camel = (s) => s.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());

// Plain decimal (no exponent) from a shortest-digits exponential form, as WAVE writes floats.
function plain(expo) {
  let [m, e] = expo.split('e'); let exp = Number(e); let neg = m.startsWith('-'); if (neg) m = m.slice(1);
  let digits = m.replace('.', ''); let point = 1 + exp;
  let out;
  if (point <= 0) out = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = digits.slice(0, point) + '.' + digits.slice(point);
  return (neg ? '-' : '') + out;
}
function wfloat(x, f32) {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  if (!f32) return plain(x.toExponential());
  for (let p = 0; p < 9; p++) { const s = x.toExponential(p); if (Math.fround(Number(s)) === x) return plain(s); }
  return plain(x.toExponential(8));
}
function esc(s, q) {
  let o = '';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === '\\') o += '\\\\'; else if (ch === '"') o += '\\"'; else if (ch === "'") o += "\\'";
    else if (ch === '\n') o += '\\n'; else if (ch === '\t') o += '\\t'; else if (ch === '\r') o += '\\r';
    else if (c < 0x20 || c === 0x7f) o += `\\u{${c.toString(16)}}`;
    else o += ch;
  }
  return q + o + q;
}
function wave(type, v) {
  switch (type) {
    case 'f32': return wfloat(v, true);
    case 'f64': return wfloat(v, false);
    case 'char': return esc(v, "'");
    case 'string': return esc(v, '"');
    default: return String(v);
  }
}
function jsArg(type, s) {
  switch (type) {
    case 'u64': case 's64': return BigInt(s);
    case 'f32': case 'f64': return s === 'nan' ? NaN : s === 'inf' ? Infinity : s === '-inf' ? -Infinity : Number(s);
    case 'char': case 'string': return s;
    default: return Number(s);
  }
}
// WAVE text of a result, by its JS type (the WIT result type is not needed for these worlds:
// bigint -> integer, number -> its case's float/int, string -> string; chars come back as strings
// of one code point and are marked by the case's "ret").
function result(c, v) {
  if (v === undefined) return null;
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return wave(c.ret ?? ([...v].length === 1 && c.args[0]?.[0] === 'char' ? 'char' : 'string'), v);
  if (typeof v === 'number') { const t = c.ret ?? c.args[0]?.[0]; return wave(t === 'f32' || t === 'f64' ? t : 'u32', v); }
  return JSON.stringify(v);
}
const invokes = [], lines = [];
for (const c of spec.cases) {
  const iface = await fresh();
  invokes.push(`${spec.iface}#${c.f}(${c.args.map(([t, s]) => wave(t, jsArg(t, s))).join(', ')})`);
  try { lines.push(result(c, iface[camel(c.f)](...c.args.map(([t, s]) => jsArg(t, s)))) ?? ''); }
  catch (e) { lines.push('trap'); }
}
writeFileSync(invokesPath, invokes.join('\n') + '\n');
process.stdout.write(lines.join('\n') + '\n');
