// Runtime-wit driver: for each case of CASES.json, call the function on the
// component transpiled by `jco transpile` (MODULE.js) and write
//   INVOKES: the `wrun --invoke` string (WAVE arguments), one per line
//   stdout:  one line per case, what `wrun --invoke` must print for it: the
//            WAVE result (`()` for no result, as wasmtime) or `trap` when the call throws.
// With a 4th argument WIT.json (`wit-gen json` of the world's package), cases
// are typed by the function's WIT signature: "args" are JSON values (u64/s64
// and floats as strings, flags as lists of names, records as objects with
// the WIT field names, tuples and lists as arrays) turned into jco's JS
// values, and results are printed in WAVE by their WIT type.
// usage: node driver.mjs MODULE.js CASES.json INVOKES [WIT.json]
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [modPath, casesPath, invokesPath, witPath] = process.argv.slice(2);
const wit = witPath ? JSON.parse(readFileSync(witPath, 'utf8')) : null;
const spec = JSON.parse(readFileSync(casesPath, 'utf8'));
// A fresh instance per case (a new module URL each time), as each wrun run is:
// after a trap an instance stays closed (Explainer.md lockdown).
// With RT_SHARED=1 (a stateless JS guest whose 12 MB module is slow to compile) one
// instance serves every case until a call throws something else than a result's err.
let n = 0, cached = null;
const fresh = async () => {
  if (process.env.RT_SHARED && cached) return cached;
  const m = await import(pathToFileURL(modPath).href + '?case=' + n++);
  return (cached = m[spec.js] ?? m[spec.iface]);
};
const trapped = () => { cached = null; };
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
    case 'bool': return s === 'true';
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
// Typed values (WIT.json types: a primitive name or an index into `types`).
const kindOf = (t) => { let k = wit.types[t].kind; while (k.type !== undefined) { t = k.type; if (typeof t === 'string') return null; k = wit.types[t].kind; } return k; };
function toJs(t, j) {
  // {"$strings": [N, P]}: the N strings P0 .. P(N-1) (large lists without a large cases file)
  if (j !== null && typeof j === 'object' && j.$strings) j = Array.from({ length: j.$strings[0] }, (_, i) => j.$strings[1] + i);
  if (typeof t === 'string') return jsArg(t, String(j));
  const k = kindOf(t);
  if (k === null) return toJs(wit.types[t].kind.type, j);
  if (k.record) return Object.fromEntries(k.record.fields.map((f) => [camel(f.name), toJs(f.type, j[f.name])]));
  if (k.flags) return Object.fromEntries(k.flags.flags.map((f) => [camel(f.name), j.includes(f.name)]));
  if (k.tuple) return k.tuple.types.map((u, i) => toJs(u, j[i]));
  if (k.list !== undefined) {
    // jco's lists of numbers are typed arrays
    const TA = { u8: Uint8Array, s8: Int8Array, u16: Uint16Array, s16: Int16Array, u32: Uint32Array, s32: Int32Array,
                 u64: BigUint64Array, s64: BigInt64Array, f32: Float32Array, f64: Float64Array }[k.list];
    const xs = j.map((x) => toJs(k.list, x));
    return TA ? TA.from(xs) : xs;
  }
  if (k.enum) return j;
  if (k.option !== undefined) return j === null ? undefined : toJs(k.option, j.some);
  if (k.result) { const tag = 'ok' in j ? 'ok' : 'err'; return { tag, val: k.result[tag] == null ? undefined : toJs(k.result[tag], j[tag]) }; }
  if (k.variant) {
    const tag = Object.keys(j)[0], c = k.variant.cases.find((x) => x.name === tag);
    return { tag, val: c.type == null ? undefined : toJs(c.type, j[tag]) };
  }
  throw new Error('type not supported by the driver: ' + JSON.stringify(k));
}
const payload = (name, t, v) => t == null ? name : `${name}(${toWave(t, v)})`;
function toWave(t, v) {
  if (typeof t === 'string') return wave(t, v);
  const k = kindOf(t);
  if (k === null) return toWave(wit.types[t].kind.type, v);
  if (k.record) return '{' + k.record.fields.map((f) => `${f.name}: ${toWave(f.type, v[camel(f.name)])}`).join(', ') + '}';
  if (k.flags) return '{' + k.flags.flags.filter((f) => v[camel(f.name)]).map((f) => f.name).join(', ') + '}';
  if (k.tuple) return '(' + k.tuple.types.map((u, i) => toWave(u, v[i])).join(', ') + ')';
  if (k.list !== undefined) return '[' + Array.from(v, (x) => toWave(k.list, x)).join(', ') + ']';
  if (k.enum) return v;
  if (k.option !== undefined) return v === undefined || v === null ? 'none' : payload('some', k.option, v);
  if (k.result) return payload(v.tag, k.result[v.tag], v.val);
  if (k.variant) return payload(v.tag, k.variant.cases.find((x) => x.name === v.tag).type, v.val);
  throw new Error('type not supported by the driver: ' + JSON.stringify(k));
}
const sigOf = (f) => { for (const i of wit.interfaces) if (i.functions[f]) return i.functions[f]; throw new Error('no function ' + f); };

const invokes = [], lines = [];
if (wit) for (const c of spec.cases) {
  const sig = sigOf(c.f);
  const iface = await fresh();
  const args = sig.params.map((p, i) => toJs(p.type, c.args[i]));
  invokes.push(`${spec.iface}#${c.f}(${sig.params.map((p, i) => toWave(p.type, args[i])).join(', ')})`);
  // jco: a function whose result type is a `result` returns the ok payload
  // and throws a ComponentError carrying the err payload.
  const top = sig.result != null && typeof sig.result !== 'string' ? kindOf(sig.result) : null;
  try {
    const r = iface[camel(c.f)](...args);
    lines.push(sig.result == null ? '()' : top?.result ? payload('ok', top.result.ok, r) : toWave(sig.result, r));
  } catch (e) {
    const isErr = top?.result && e?.constructor?.name === 'ComponentError';
    if (!isErr) trapped();
    lines.push(isErr ? payload('err', top.result.err, e.payload) : 'trap');
  }
}
else for (const c of spec.cases) {
  const iface = await fresh();
  invokes.push(`${spec.iface}#${c.f}(${c.args.map(([t, s]) => wave(t, jsArg(t, s))).join(', ')})`);
  try { lines.push(result(c, iface[camel(c.f)](...c.args.map(([t, s]) => jsArg(t, s)))) ?? '()'); }
  catch (e) { trapped(); lines.push('trap'); }
}
writeFileSync(invokesPath, invokes.join('\n') + '\n');
process.stdout.write(lines.join('\n') + '\n');
