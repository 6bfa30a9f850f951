// yosys-root.mjs OUTDIR — materialize the file tree that @yowasp/yosys's JS
// wrapper mounts at "/" (its `share` directory, embedded in
// gen/resources-yosys.js as strings and file URLs) onto disk, so yosys.core.wasm
// can run as a plain preview1 program with OUTDIR preopened as "/".
import { mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const out = process.argv[2];
if (!out) { process.stderr.write('usage: yosys-root.mjs OUTDIR\n'); process.exit(2); }
const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '../../scripts/npm/node_modules/@yowasp/yosys/gen/resources-yosys.js');
const { filesystem } = await import(pathToFileURL(pkg).href);
let n = 0;
function walk(tree, dir) {
  mkdirSync(dir, { recursive: true });
  for (const [name, v] of Object.entries(tree)) {
    const p = join(dir, name);
    if (typeof v === 'string') { writeFileSync(p, v); n++; }
    else if (v instanceof URL) { copyFileSync(fileURLToPath(v), p); n++; }
    else if (v instanceof Uint8Array) { writeFileSync(p, v); n++; }
    else walk(v, p);
  }
}
walk(filesystem, out);
process.stdout.write(`${n} files\n`);
