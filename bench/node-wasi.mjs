// Run a WASI preview1 command module under node (V8) — the "node" column of
// bench/run.sh.   usage: node --no-warnings bench/node-wasi.mjs [--dir=PATH]... FILE.wasm [ARGS...]
// Exit status: the program's proc_exit / return code.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import process from 'node:process';

// --dir=PATH (before FILE, repeatable): preopen host PATH as PATH (as iwasm --dir does)
const argv = process.argv.slice(2);
const preopens = {};
while (argv.length && argv[0].startsWith('--dir=')) { const d = argv.shift().slice(6); preopens[d] = d; }
const [file, ...args] = argv;
if (!file) {
  console.error('usage: node-wasi.mjs FILE.wasm [ARGS...]');
  process.exit(2);
}
const wasi = new WASI({ version: 'preview1', args: [file, ...args], env: {}, preopens, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
const code = wasi.start(instance);
process.exitCode = code ?? 0;
