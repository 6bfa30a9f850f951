// Batch oracle for suite-cgen.sh: for each line "DIR WORLD" on stdin, turn DIR/core.wasm into a component
// with jco's componentNew (wit-component, WASI preview1 reactor adapter), print its WIT with componentWit
// into DIR/wit.txt, and check it against DIR/resolve.json with check-world.mjs's rules. One node process
// for all cases (a jco CLI start per case is slow). Prints "ok DIR" or "FAIL DIR: why" per line.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
const here = path.dirname(fileURLToPath(import.meta.url));
const jcoDir = path.resolve(here, '../../scripts/npm/node_modules/@bytecodealliance/jco');
const { componentNew, componentWit } = await import(pathToFileURL(path.join(jcoDir, 'dist/api.js')).href);
const adapter = fs.readFileSync(path.join(jcoDir, 'lib/wasi_snapshot_preview1.reactor.wasm'));
const lines = fs.readFileSync(0, 'utf8').split('\n').filter(Boolean);
for (const line of lines) {
  const [dir, world] = line.split(' ');
  try {
    const comp = await componentNew(fs.readFileSync(path.join(dir, 'core.wasm')), [['wasi_snapshot_preview1', adapter]]);
    fs.writeFileSync(path.join(dir, 'comp.wasm'), comp);
    fs.writeFileSync(path.join(dir, 'wit.txt'), await componentWit(comp));
    execFileSync('node', [path.join(here, 'check-world.mjs'), path.join(dir, 'resolve.json'), world, path.join(dir, 'wit.txt')]);
    console.log(`ok ${dir}`);
  } catch (e) {
    const msg = (e.stdout ? e.stdout.toString() : '') + String(e.message ?? e);
    console.log(`FAIL ${dir}: ${msg.split('\n').filter((l) => l && !/^\s+at /.test(l)).slice(0, 4).join(' ')}`);
  }
}
