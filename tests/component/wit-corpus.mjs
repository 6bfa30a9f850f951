// For every wit-component test case (../shared/corpora/wit-component/components/NAME/component.wat):
// parse the expected component with jco-transpile's wasm-tools, write NAME.wasm and the
// world `wasm-tools component wit` prints for it (NAME.jco.wit) into OUT_DIR.
// usage: node wit-corpus.mjs CORPUS_DIR OUT_DIR
import fs from 'node:fs';
import path from 'node:path';
const { parse, componentWit } = await import(process.env.JCO_WT);
const [corpus, out] = process.argv.slice(2);
fs.mkdirSync(out, { recursive: true });
let n = 0, bad = 0;
for (const name of fs.readdirSync(corpus).sort()) {
  const wat = path.join(corpus, name, 'component.wat');
  if (!fs.existsSync(wat)) continue;
  try {
    const bytes = await parse(fs.readFileSync(wat, 'utf8'));
    fs.writeFileSync(path.join(out, name + '.wasm'), bytes);
    fs.writeFileSync(path.join(out, name + '.jco.wit'), await componentWit(bytes));
    n++;
  } catch (e) {
    bad++;
    console.log(`SKIP ${name}: ${String(e).split('\n')[0]}`);
  }
}
console.log(`wrote ${n}, could not convert ${bad}`);
