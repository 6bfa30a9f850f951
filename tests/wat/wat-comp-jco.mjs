// Reference binaries for suite-wat-component.sh: for each stdin line "IN<TAB>OUT", parse the text file IN
// with jco's wasm-tools `parse` (npm @bytecodealliance/jco API, one node process for all files) and write
// the binary to OUT. Prints "ok IN" or "error IN: message" per line.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
const here = path.dirname(fileURLToPath(import.meta.url));
const jcoDir = path.resolve(here, '../../scripts/npm/node_modules/@bytecodealliance/jco');
// --lenient: the wasm-tools of $JCO_WT (jco-transpile, as tests/component/gen-corpus.sh uses it) with
// WAST_STRICT_COMPONENT_INDICES=0 set by the caller, which accepts the legacy reference syntax
const { parse } = process.argv.includes('--lenient')
  ? await import(process.env.JCO_WT || pathToFileURL(path.resolve(here, '../../scripts/npm/node_modules/@bytecodealliance/jco-transpile/dist/wasm-tools.js')).href)
  : await import(pathToFileURL(path.join(jcoDir, 'dist/api.js')).href);
const lines = fs.readFileSync(0, 'utf8').split('\n').filter(Boolean);
for (const line of lines) {
  const [src, out] = line.split('\t');
  try {
    fs.writeFileSync(out, Buffer.from(await parse(fs.readFileSync(src, 'utf8'))));
    console.log(`ok ${src}`);
  } catch (e) {
    const msg = String(e.message ?? e).split('\n')[0];
    fs.writeFileSync(out + '.err', msg + '\n');
    console.log(`error ${src}: ${msg}`);
  }
}
