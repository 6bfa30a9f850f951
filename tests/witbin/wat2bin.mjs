// Batch helper for suite-decode.sh: for each line "IN.wat OUT.wasm" of the file LIST (argv[2]), parse the text with
// jco-transpile's wasm-tools (wat -> binary) and write OUT.wasm; with a third field OUT.wit, also
// write what wasm-tools' `component wit` prints for it (the peer's decoder + printer). One node
// process for all cases. Prints "ok IN" or "FAIL IN: why" per line.
import fs from 'node:fs';
const { parse, componentWit } = await import(process.env.JCO_WT);
const lines = fs.readFileSync(process.argv[2], "utf8").split('\n').filter(Boolean);
for (const line of lines) {
  const [wat, out, wit] = line.split(' ');
  try {
    const bytes = await parse(fs.readFileSync(wat, 'utf8'));
    fs.writeFileSync(out, bytes);
    if (wit) fs.writeFileSync(wit, await componentWit(bytes));
    console.log(`ok ${wat}`);
  } catch (e) {
    console.log(`FAIL ${wat}: ${String(e.message ?? e).split('\n')[0]}`);
  }
}
