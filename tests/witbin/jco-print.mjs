// For each path on stdin (one per line), write PATH.jco.wat: the text that npm jco's wasm-tools build
// (wasmprinter) prints for the binary at PATH, or PATH.jco.err with the error. One node process for all.
import fs from 'node:fs';
// stdin may be a non-blocking pipe (readFileSync(0) then fails with EAGAIN): read it as a stream
async function readStdin() {
  let s = '';
  for await (const chunk of process.stdin) s += chunk;
  return s;
}
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
const here = path.dirname(fileURLToPath(import.meta.url));
const npm = path.resolve(here, '../../scripts/npm/node_modules/@bytecodealliance');
let T = path.join(npm, 'jco/node_modules/@bytecodealliance/jco-transpile/dist/wasm-tools.js');
if (!fs.existsSync(T)) T = path.join(npm, 'jco-transpile/dist/wasm-tools.js');
const { print } = await import(pathToFileURL(T).href);
for (const f of (await readStdin()).split('\n').filter(Boolean)) {
  try {
    fs.writeFileSync(f + '.jco.wat', await print(fs.readFileSync(f)));
  } catch (e) {
    fs.writeFileSync(f + '.jco.err', String(e.message ?? e));
  }
}
