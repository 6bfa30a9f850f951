// node-run.mjs — run a WASI preview1 module under node:wasi with the same
// command line as wrun, so the suite can use node as the oracle:
//   node tests/wasi/node-run.mjs [--dir HOST[::GUEST]] [--env NAME=VALUE|NAME]
//                                [--argv0 NAME] FILE.wasm [ARGS...]
// Exit status: the guest's exit code (returnOnExit), 134 on a trap (message
// on stderr), 2 on a usage error. node:wasi has no read-only preopens, so
// '::ro' is refused (exit 2).
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

const argv = process.argv.slice(2);
const preopens = {};
const env = {};
let argv0 = null;
let i = 0;
function usage(msg) {
  process.stderr.write(`node-run: error: ${msg}\n`);
  process.exit(2);
}
for (; i < argv.length; i++) {
  const a = argv[i];
  if (!a.startsWith('--')) break;
  if (a === '--') { i++; break; }
  const v = argv[++i];
  if (v === undefined) usage(`${a} needs a value`);
  if (a === '--dir') {
    const parts = v.split('::');
    if (parts[parts.length - 1] === 'ro') usage('node:wasi has no read-only preopens');
    preopens[parts.length > 1 ? parts[1] : parts[0]] = parts[0];
  } else if (a === '--env') {
    const eq = v.indexOf('=');
    if (eq > 0) env[v.slice(0, eq)] = v.slice(eq + 1);
    else if (process.env[v] !== undefined) env[v] = process.env[v];
  } else if (a === '--argv0') argv0 = v;
  else usage(`unknown option ${a}`);
}
if (i >= argv.length) usage('no module given');
const file = argv[i];
const args = [argv0 ?? file, ...argv.slice(i + 1)];
const wasi = new WASI({ version: 'preview1', args, env, preopens, returnOnExit: true });
let code;
try {
  const mod = await WebAssembly.compile(readFileSync(file));
  const inst = await WebAssembly.instantiate(mod, wasi.getImportObject());
  code = wasi.start(inst);
} catch (e) {
  process.stderr.write(`node-run: trap: ${e && e.message}\n`);
  // The wasm frames of the stack, innermost first, as "wasm-frame: NAME".
  for (const line of String(e && e.stack).split('\n')) {
    const m = /^\s*at (\S+) \(wasm:/.exec(line);
    if (m) process.stderr.write(`wasm-frame: ${m[1]}\n`);
  }
  code = 134;
}
process.exitCode = code;
