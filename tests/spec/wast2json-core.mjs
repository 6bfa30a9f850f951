// Core-wasm .wast -> wast2json-style JSON + .wasm/.wat files, for the spec-test
// files that Debian's wabt 1.0.32 wast2json cannot read (see
// ../shared/corpora/spec-core-2.0/WAST2JSON_1.0.32_RESULTS.tsv).
//
// Text modules are turned into binaries by the wasm-tools text parser that npm
// @bytecodealliance/jco-transpile@0.8.0 bundles (its `parse(wat)`, which does
// not validate, so assert_invalid modules still convert). The JSON schema is
// wabt's wast2json one (what tests/spec/runner.c reads):
//   {"source_filename", "commands": [ {type, line, ...} ]}
//   module {filename, name?}, register {as, name?}, action/assert_return
//   {action:{type:"invoke"|"get", module?, field, args}, expected},
//   assert_trap/assert_exhaustion {action, text, expected}, assert_exception {action, expected},
//   assert_invalid/assert_malformed/assert_unlinkable/assert_uninstantiable
//   {filename, text, module_type:"binary"|"text"}.
// Values: {"type":"i32","value":"<unsigned decimal>"}; floats as decimal bit
// patterns or "nan:canonical"/"nan:arithmetic"; v128 {lane_type, value:[lanes]};
// refs {"type":"funcref"|"externref","value":"null"|"<n>"}.
//
// usage: JCO_WT=.../dist/wasm-tools.js node wast2json-core.mjs FILE.wast -o OUT.json
//    or: ... node wast2json-core.mjs -d OUTDIR FILE.wast...  (OUTDIR/NAME/NAME.json each)
// Exits 1 (and writes no JSON) if any module that must be binary fails to parse.
import fs from 'fs';
import path from 'path';
import { pathToFileURL } from 'url';

if (!process.env.JCO_WT) { console.error('wast2json-core: set JCO_WT to jco-transpile dist/wasm-tools.js'); process.exit(2); }
const { parse } = await import(pathToFileURL(path.resolve(process.env.JCO_WT)).href);

// ---- s-expression reader (Core spec 6.2: lexical format) ----
function tokenize(src) {
  const toks = [];
  let i = 0;
  const n = src.length;
  const isSpace = (c) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  while (i < n) {
    const c = src[i];
    if (c === ';' && src[i + 1] === ';') { // line comment: up to a newline (\n or \r)
      while (i < n && src[i] !== '\n' && src[i] !== '\r') i++;
      continue;
    }
    if (c === '(' && src[i + 1] === ';') { // block comment, nests
      let d = 1;
      i += 2;
      while (i < n && d > 0) {
        if (src[i] === '(' && src[i + 1] === ';') { d++; i += 2; }
        else if (src[i] === ';' && src[i + 1] === ')') { d--; i += 2; }
        else i++;
      }
      if (d > 0) throw new Error('unterminated block comment');
      continue;
    }
    if (isSpace(c)) { i++; continue; }
    if (c === '(' || c === ')') { toks.push({ t: c, off: i }); i++; continue; }
    if (c === '"') {
      const s = i;
      i++;
      while (i < n && src[i] !== '"') { if (src[i] === '\\') i++; i++; }
      if (i >= n) throw new Error('unterminated string');
      i++;
      toks.push({ t: 'str', v: src.slice(s, i), off: s });
      continue;
    }
    const s = i;
    while (i < n && !isSpace(src[i]) && src[i] !== '(' && src[i] !== ')' && src[i] !== '"' &&
           !(src[i] === ';' && src[i + 1] === ';')) i++;
    toks.push({ t: 'atom', v: src.slice(s, i), off: s });
  }
  return toks;
}

function tree(toks) {
  const stack = [[]];
  for (const k of toks) {
    if (k.t === '(') { const l = []; l.off = k.off; stack[stack.length - 1].push(l); stack.push(l); }
    else if (k.t === ')') {
      if (stack.length < 2) throw new Error('unbalanced )');
      const l = stack.pop(); l.end = k.off + 1;
    } else stack[stack.length - 1].push(k);
  }
  if (stack.length !== 1) throw new Error('unbalanced (');
  return stack[0];
}

// String literal -> bytes (Core spec 6.3.3).
function unstr(s) {
  const buf = Buffer.from(s.slice(1, -1), 'utf8');
  const out = [];
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b !== 0x5c) { out.push(b); continue; }
    const e = String.fromCharCode(buf[++i]);
    if (e === 'n') out.push(10);
    else if (e === 't') out.push(9);
    else if (e === 'r') out.push(13);
    else if (e === '"' || e === "'" || e === '\\') out.push(e.charCodeAt(0));
    else if (e === 'u') {
      let j = i + 2; let hex = '';
      while (buf[j] !== 0x7d) hex += String.fromCharCode(buf[j++]);
      for (const x of Buffer.from(String.fromCodePoint(parseInt(hex.replace(/_/g, ''), 16)), 'utf8')) out.push(x);
      i = j;
    } else { out.push(parseInt(String.fromCharCode(buf[i], buf[i + 1]), 16)); i++; }
  }
  return Buffer.from(out);
}

const head = (l) => (Array.isArray(l) && l[0] && l[0].t === 'atom' ? l[0].v : null);
const isAtom = (x, v) => x && x.t === 'atom' && (v === undefined || x.v === v);

// ---- numbers (Core spec 6.3.1, 6.3.2) ----
function parseIntLit(a, bits) {
  let v = a.replace(/_/g, '');
  let neg = false;
  if (v[0] === '-') { neg = true; v = v.slice(1); } else if (v[0] === '+') v = v.slice(1);
  let b = BigInt(v); // handles 0x...
  if (neg) b = -b;
  const m = 1n << BigInt(bits);
  return ((b % m) + m) % m; // two's complement bit pattern, unsigned
}

// Exact round-to-nearest-even of num/den (positive BigInts) to binary32/64 bits.
function ratToBits(neg, num, den, bits) {
  const M = bits === 32 ? 23 : 52; const E = bits === 32 ? 8 : 11;
  const bias = (1 << (E - 1)) - 1; const emin = 1 - bias; const emax = bias;
  const sign = neg ? 1n << BigInt(bits - 1) : 0n;
  if (num === 0n) return sign;
  // e = floor(log2(num/den))
  let e = num.toString(2).length - den.toString(2).length;
  const ge = (ee) => (ee >= 0 ? num >= den << BigInt(ee) : num << BigInt(-ee) >= den);
  if (!ge(e)) e--;
  if (e < emin) e = emin;
  const sh = M - e; // q = num * 2^sh / den
  let n2 = num, d2 = den;
  if (sh >= 0) n2 = num << BigInt(sh); else d2 = den << BigInt(-sh);
  let q = n2 / d2; const r = n2 - q * d2;
  if (2n * r > d2 || (2n * r === d2 && (q & 1n))) q++;
  if (q >= 1n << BigInt(M + 1)) { q >>= 1n; e++; }
  if (e > emax) return sign | (((1n << BigInt(E)) - 1n) << BigInt(M));
  if (q < 1n << BigInt(M)) return sign | q; // subnormal (or zero)
  return sign | (BigInt(e + bias) << BigInt(M)) | (q - (1n << BigInt(M)));
}

function parseFloatLit(a, bits) {
  let v = a.replace(/_/g, '');
  let neg = false;
  if (v[0] === '-') { neg = true; v = v.slice(1); } else if (v[0] === '+') v = v.slice(1);
  const M = bits === 32 ? 23 : 52; const E = bits === 32 ? 8 : 11;
  const sign = neg ? 1n << BigInt(bits - 1) : 0n;
  const expAll = ((1n << BigInt(E)) - 1n) << BigInt(M);
  if (v === 'inf') return sign | expAll;
  if (v.startsWith('nan')) {
    const payload = v.startsWith('nan:0x') ? BigInt(v.slice(4)) : 1n << BigInt(M - 1);
    return sign | expAll | payload;
  }
  let num, den = 1n;
  if (/^0x/i.test(v)) {
    const body = v.slice(2);
    const [mant, ex] = body.split(/p/i);
    const [ip, fp = ''] = mant.split('.');
    num = BigInt('0x' + ((ip || '0') + fp));
    let exp = (ex === undefined ? 0 : parseInt(ex, 10)) - 4 * fp.length;
    if (exp >= 0) num <<= BigInt(exp); else den = 1n << BigInt(-exp);
  } else {
    const [mant, ex] = v.split(/e/i);
    const [ip, fp = ''] = mant.split('.');
    num = BigInt((ip || '0') + fp);
    const exp = (ex === undefined ? 0 : parseInt(ex, 10)) - fp.length;
    if (exp >= 0) num *= 10n ** BigInt(exp); else den = 10n ** BigInt(-exp);
  }
  return ratToBits(neg, num, den, bits);
}

const GC_NULL = { func: 'funcref', exn: 'exnref', extern: 'externref', any: 'anyref', eq: 'eqref', i31: 'i31ref',
  struct: 'structref', array: 'arrayref', none: 'nullref', nofunc: 'nullfuncref', noextern: 'nullexternref',
  noexn: 'nullexnref' };
const LANES = { i8x16: ['i8', 16], i16x8: ['i16', 8], i32x4: ['i32', 4], i64x2: ['i64', 2], f32x4: ['f32', 4], f64x2: ['f64', 2] };

function value(l, expected) {
  const h = head(l);
  const a = l.slice(1);
  switch (h) {
    case 'i32.const': return { type: 'i32', value: parseIntLit(a[0].v, 32).toString() };
    case 'i64.const': return { type: 'i64', value: parseIntLit(a[0].v, 64).toString() };
    case 'f32.const': case 'f64.const': {
      const ty = h.slice(0, 3);
      if (expected && /^nan:(canonical|arithmetic)$/.test(a[0].v)) return { type: ty, value: a[0].v };
      return { type: ty, value: parseFloatLit(a[0].v, +ty.slice(1)).toString() };
    }
    case 'v128.const': {
      const sh = LANES[a[0].v];
      if (!sh) throw new Error('bad v128 shape ' + a[0].v);
      const [lt, n] = sh;
      const lanes = a.slice(1).map((x) => {
        if (expected && /^nan:(canonical|arithmetic)$/.test(x.v)) return x.v;
        return (lt[0] === 'f' ? parseFloatLit(x.v, +lt.slice(1)) : parseIntLit(x.v, +lt.slice(1))).toString();
      });
      if (lanes.length !== n) throw new Error('wrong v128 lane count');
      return { type: 'v128', lane_type: lt, value: lanes };
    }
    // Core 3.0 scripts: `(ref.null)` without a heap type expects a null reference of any type ("ref")
    case 'ref.null': if (!a.length) return { type: 'ref', value: 'null' };
      // Core 3.0 GC heap types: (ref.null any|eq|i31|struct|array|none|nofunc|noextern|noexn) -> the
      // shorthand's name (anyref, nullref, nullfuncref, ...); a type index $t -> "ref" (any null)
      return { type: GC_NULL[a[0].v] || (a[0].v.startsWith('$') || /^[0-9]/.test(a[0].v) ? 'ref' : 'externref'), value: 'null' };
    case 'ref.extern': return a.length ? { type: 'externref', value: BigInt(a[0].v).toString() } : { type: 'externref' };
    case 'ref.func': return { type: 'funcref' }; // "any non-null funcref"
    // Core 3.0 GC results: any non-null reference of that kind; (ref.host n) an externalised host ref
    case 'ref.any': case 'ref.eq': case 'ref.i31': case 'ref.struct': case 'ref.array': case 'ref.exn':
      return { type: h.slice(4) + 'ref' };
    case 'ref.host': return { type: 'anyref', value: BigInt(a[0].v).toString() };
  }
  throw new Error('unknown value ' + h);
}

function action(l) {
  const h = head(l);
  let a = l.slice(1);
  const o = { type: h === 'get' ? 'get' : 'invoke' };
  if (h !== 'invoke' && h !== 'get') throw new Error('unknown action ' + h);
  if (isAtom(a[0]) && a[0].v.startsWith('$')) { o.module = a[0].v; a = a.slice(1); }
  o.field = unstr(a[0].v).toString('utf8');
  if (o.type === 'invoke') o.args = a.slice(1).map((x) => value(x, false));
  return o;
}

// ---- main ----
// usage: wast2json-core.mjs FILE.wast -o OUT.json
//        wast2json-core.mjs -d OUTDIR FILE.wast...   (OUTDIR/NAME/NAME.json each)
const args = process.argv.slice(2);
let outJson = null, outRoot = null;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '-o') outJson = args[++i];
  else if (args[i] === '-d') outRoot = args[++i];
  else files.push(args[i]);
}
if (!files.length || (!outRoot && (!outJson || files.length !== 1))) {
  console.error('usage: node wast2json-core.mjs FILE.wast -o OUT.json | -d OUTDIR FILE.wast...');
  process.exit(2);
}
let anyFailed = false;
for (const file of files) {
  let out = outJson;
  if (outRoot) {
    const name = path.basename(file, '.wast');
    fs.mkdirSync(path.join(outRoot, name), { recursive: true });
    out = path.join(outRoot, name, name + '.json');
  }
  try {
    if (!(await convertFile(file, out))) anyFailed = true;
  } catch (e) {
    console.error(`${file}: error: ${e.message}`);
    anyFailed = true;
  }
}
process.exit(anyFailed ? 1 : 0);

// Convert one file; returns false (and writes no JSON) if anything failed.
async function convertFile(file, outJson) {
  const outDir = path.dirname(outJson);
  const stem = path.basename(outJson, '.json');
  const src = fs.readFileSync(file, 'utf8');
  const lineStarts = [0];
  for (let i = 0; i < src.length; i++) if (src[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (off) => { let lo = 0, hi = lineStarts.length - 1; while (lo < hi) { const m = (lo + hi + 1) >> 1; if (lineStarts[m] <= off) lo = m; else hi = m - 1; } return lo + 1; };

  let idx = 0, failures = 0;
  const cmds = [];
  // Write one module; returns {name?, filename, module_type}.
  // `mustBinary`: quoted text is parsed to a binary too (top-level modules).
  async function emitModule(m, mustBinary) {
    let rest = m.slice(1);
    let name;
    if (isAtom(rest[0]) && rest[0].v.startsWith('$')) { name = rest[0].v; rest = rest.slice(1); }
    const base = `${stem}.${idx++}`;
    if (isAtom(rest[0], 'binary')) {
      fs.writeFileSync(path.join(outDir, base + '.wasm'), Buffer.concat(rest.slice(1).map((s) => unstr(s.v))));
      return { name, filename: base + '.wasm', module_type: 'binary' };
    }
    let text;
    if (isAtom(rest[0], 'quote')) {
      const q = Buffer.concat(rest.slice(1).map((s) => unstr(s.v)));
      if (!mustBinary) {
        fs.writeFileSync(path.join(outDir, base + '.wat'), q);
        return { name, filename: base + '.wat', module_type: 'text' };
      }
      text = '(module ' + q.toString('utf8') + ')';
    } else if (m.inline) {
      text = '(module ' + src.slice(m.off, m.end) + ')';
    } else {
      text = src.slice(m.off, m.end);
    }
    try {
      fs.writeFileSync(path.join(outDir, base + '.wasm'), Buffer.from(await parse(text)));
    } catch (e) {
      failures++;
      console.error(`${file}:${lineOf(m.off)}: error: wasm-tools parse failed: ${String(e).slice(0, 300)}`);
    }
    return { name, filename: base + '.wasm', module_type: 'binary' };
  }

  // A script made of bare module fields is one inline module (Core spec 6.6.13 / wast).
  const FIELDS = new Set(['type', 'import', 'func', 'table', 'memory', 'global', 'export', 'start', 'elem', 'data']);
  let top = tree(tokenize(src));
  if (top.length && top.every((f) => FIELDS.has(head(f)))) {
    const m = [{ t: 'atom', v: 'module' }];
    m.off = top[0].off; m.end = top[top.length - 1].end;
    m.inline = true;
    top = [m];
  }

  for (const f of top) {
    const h = head(f);
    // wast2json reports the line of the inner action/module for assertions.
    const line = lineOf(Array.isArray(f[1]) && h.startsWith('assert_') ? f[1].off : f.off);
    if (h === 'module') {
      const info = await emitModule(f, true);
      const c = { type: 'module', line };
      if (info.name) c.name = info.name;
      c.filename = info.filename;
      cmds.push(c);
    } else if (h === 'register') {
      const c = { type: 'register', line };
      if (f[2]) c.name = f[2].v;
      c.as = unstr(f[1].v).toString('utf8');
      cmds.push(c);
    } else if (h === 'invoke' || h === 'get') {
      cmds.push({ type: 'action', line, action: action(f), expected: [] });
    } else if (h === 'assert_return') {
      cmds.push({ type: h, line, action: action(f[1]), expected: f.slice(2).map((x) => value(x, true)) });
    } else if (h === 'assert_trap' || h === 'assert_exhaustion') {
      if (head(f[1]) === 'module') {
        const info = await emitModule(f[1], false);
        cmds.push({ type: 'assert_uninstantiable', line, filename: info.filename, text: unstr(f[2].v).toString('utf8'), module_type: info.module_type });
      } else {
        cmds.push({ type: h, line, action: action(f[1]), text: unstr(f[2].v).toString('utf8'), expected: [] });
      }
    } else if (h === 'assert_exception') { // Core 3.0 exception handling: wast2json's form
      cmds.push({ type: h, line, action: action(f[1]), expected: [] });
    } else if (h === 'assert_invalid' || h === 'assert_malformed' || h === 'assert_unlinkable') {
      const info = await emitModule(f[1], false);
      cmds.push({ type: h, line, filename: info.filename, text: unstr(f[2].v).toString('utf8'), module_type: info.module_type });
    } else {
      failures++;
      console.error(`${file}:${line}: error: unhandled command ${h}`);
    }
  }
  if (failures) {
    console.error(`${file}: ${failures} module(s)/command(s) failed to convert`);
    return false;
  }
  fs.writeFileSync(outJson, JSON.stringify({ source_filename: path.basename(file), commands: cmds }, null, 1) + '\n');
  return true;
}
