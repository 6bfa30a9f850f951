// Runner self-test input: copy converted spec tests (DIR/NAME/NAME.json +
// modules) to OUT with every checkable expectation made wrong, so that
// tests/spec/suite-runner-selftest.sh can check that spec-runner FAILS each
// one (a runner that passes everything would otherwise look perfect).
//   node tests/spec/mutate.mjs DIR OUT  -> prints "SOURCE.wast:LINE" per mutated command
// Mutations: assert_return result 0: integer/float bits ^ 1 (a NaN pattern
// becomes 0), refs null <-> non-null, v128 first lane ^ 1; an empty result
// list gets an extra i32; assert_trap/assert_exhaustion/assert_uninstantiable
// texts get a prefix that no trap message has; binary assert_invalid /
// assert_malformed get the file's first valid module instead, text ones (module quote)
// a well-formed module text `(module)`. SIMD files are left out
// (their execution is out of scope).
import fs from 'fs';
import path from 'path';

const [src, dst] = process.argv.slice(2);
if (!src || !dst) { console.error('usage: node mutate.mjs DIR OUT'); process.exit(2); }
const flip = (v) => (BigInt(v) ^ 1n).toString();
for (const name of fs.readdirSync(src).sort()) {
  if (name.startsWith('.') || name.startsWith('simd_')) continue;
  const from = path.join(src, name), to = path.join(dst, name);
  const jf = path.join(from, name + '.json');
  if (!fs.existsSync(jf)) continue;
  fs.mkdirSync(to, { recursive: true });
  for (const f of fs.readdirSync(from)) if (f !== name + '.json') fs.copyFileSync(path.join(from, f), path.join(to, f));
  const d = JSON.parse(fs.readFileSync(jf, 'utf8'));
  const shown = path.basename(d.source_filename || name + '.wast');
  // The file's first module: valid (its own "module" command must pass).
  const valid = d.commands.find((c) => c.type === 'module' && c.filename && c.filename.endsWith('.wasm'));
  for (const c of d.commands) {
    let m = false;
    if ((c.type === 'assert_invalid' || c.type === 'assert_malformed') && c.module_type === 'binary' && valid) {
      c.filename = valid.filename; // a valid module: "must not compile" has to fail
      m = true;
    }
    if (c.type === 'assert_malformed' && c.module_type === 'text') {
      fs.writeFileSync(path.join(to, 'well-formed.wat'), '(module)\n');
      c.filename = 'well-formed.wat'; // well-formed text: "must not parse" has to fail
      m = true;
    }
    if (c.type === 'assert_return') {
      const e = c.expected[0];
      if (!e) { c.expected.push({ type: 'i32', value: '0' }); m = true; }
      else if (['i32', 'i64', 'f32', 'f64'].includes(e.type)) { e.value = e.value.startsWith('nan') ? '0' : flip(e.value); m = true; }
      else if (e.type === 'externref' || e.type === 'funcref') { e.value = e.value === 'null' ? '7' : 'null'; m = true; }
      else if (e.type === 'v128') { e.value[0] = e.value[0].startsWith('nan') ? '0' : flip(e.value[0]); m = true; }
    } else if (['assert_trap', 'assert_exhaustion', 'assert_uninstantiable'].includes(c.type)) {
      c.text = 'zz-not-a-trap-message ' + c.text; m = true;
    }
    if (m) console.log(`${shown}:${c.line}`);
  }
  fs.writeFileSync(path.join(to, name + '.json'), JSON.stringify(d));
}
