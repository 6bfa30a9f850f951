// Batch oracle for suite-new.sh: for each line "IN.wasm<TAB>OUT" of LIST, decode the component with
// jco-transpile's wasm-tools (wit-component's decoder, which validates it with wasmparser) and write
// the WIT `wasm-tools component wit` prints to OUT, or the error to OUT.err.
// usage: JCO_WT=.../wasm-tools.js node jco-wit.mjs LIST
import fs from 'node:fs';
const { componentWit } = await import(process.env.JCO_WT);
const [list] = process.argv.slice(2);
for (const line of fs.readFileSync(list, 'utf8').split('\n')) {
  if (!line) continue;
  const [inp, out] = line.split('\t');
  try {
    fs.writeFileSync(out, await componentWit(fs.readFileSync(inp)));
  } catch (e) {
    fs.writeFileSync(out + '.err', String(e).split('\n').filter((l) => l.trim()).slice(0, 3).join(' | '));
  }
}
