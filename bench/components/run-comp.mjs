// Run a `jco transpile`d component under node with preview2-shim: the jco columns of the start-up
// rows of bench/components/run.sh.
//   node run-comp.mjs FILE.js run                 call wasi:cli/run (exit status: the program's)
//   node run-comp.mjs FILE.js call EXPORT ARGS    call EXPORT ("greet.greet": an interface's function)
//                                                 with the JSON array ARGS; print the result as WAVE
//                                                 (strings and numbers only)
// The guest sees no environment (as wrun without --env) and no arguments after its name.
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const [file, mode, exp, args] = process.argv.slice(2);
for (const k of Object.keys(process.env)) delete process.env[k]; // before preview2-shim reads it
process.argv.splice(2); // preview2-shim's get-arguments: argv.slice(1), the program name only
const m = await import(pathToFileURL(file).href);
if (mode === 'run') {
  const run = m.run ?? Object.entries(m).find(([k]) => k.startsWith('wasi:cli/run@'))?.[1];
  try { run.run(); } catch (e) { process.exitCode = 1; }
} else {
  let f = m;
  for (const p of exp.split('.')) f = f[p];
  const r = f(...JSON.parse(args));
  console.log(typeof r === 'string' ? JSON.stringify(r) : String(r));
}
