// Runtime-wit resources driver: one call on a component transpiled by
// `jco transpile`, printed as suite-runtime-wit.sh prints `wrun --invoke`:
// the guest's own stdout, then the WAVE result (`()` for none, as wasmtime), or a line `trap`
// when the call throws anything but a result's err (jco's ComponentError).
// The guest reads RT_CASE from the environment (preview2-shim passes
// process.env), as it does under `wrun --env RT_CASE=...`.
// usage: node resources.mjs MODULE.js run|test-imports
import { pathToFileURL } from 'node:url';
import { writeSync } from 'node:fs';
const [modPath, what] = process.argv.slice(2);
const m = await import(pathToFileURL(modPath).href);
const out = (s) => writeSync(1, s + '\n');
const esc = (s) => JSON.stringify(s); // the guest's messages are ASCII without control characters
try {
  if (what === 'run') { m.run(); out('()'); }
  else if (what === 'test-imports') { m.exports.testImports(); out('ok'); }
  else throw new Error('unknown call ' + what);
} catch (e) {
  if (e?.constructor?.name === 'ComponentError') out(`err(${esc(e.payload)})`);
  else { out('trap'); process.stderr.write(String(e?.message ?? e) + '\n'); }
}
