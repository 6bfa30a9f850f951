// Oracle for suite-wat-core.sh: for each stdin line "IN<TAB>OUT", parse the text file IN with
// wasm-tools' `parse` (npm jco's API) and write the binary to OUT. One node process for all files.
// Prints "ok IN" or "error IN: first line of the message" per line.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
const here = path.dirname(fileURLToPath(import.meta.url));
const jcoDir = path.resolve(here, '../../scripts/npm/node_modules/@bytecodealliance/jco');
const { parse } = await import(pathToFileURL(path.join(jcoDir, 'dist/api.js')).href);
const lines = fs.readFileSync(0, 'utf8').split('\n').filter(Boolean);
for (const line of lines) {
  const [inp, out] = line.split('\t');
  try {
    const bytes = await parse(fs.readFileSync(inp, 'utf8'));
    fs.writeFileSync(out, bytes);
    console.log(`ok ${inp}`);
  } catch (e) {
    console.log(`error ${inp}: ${String(e.message ?? e).split('\n')[0].slice(0, 300)}`);
  }
}
