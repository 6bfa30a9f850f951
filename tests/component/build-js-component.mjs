// Build a JS component with componentize-js (npm peer in scripts/npm/node_modules).
// usage: node build-js-component.mjs SOURCE.js WIT_DIR WORLD OUT.wasm [DISABLED-FEATURES]
// DISABLED-FEATURES: comma-separated componentize-js features left out of the engine
// (e.g. http,fetch-event for a plain wasi:cli command without wasi:http imports).
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
const nm = resolve(process.env.NPM_MODULES || 'scripts/npm/node_modules');
// componentize-js reads the WIT through preview2-shim, whose default is no preopens.
const fsShim = await import(resolve(nm, '@bytecodealliance/preview2-shim/dist/nodejs/filesystem.js'));
fsShim._setPreopens({ '/': '/' });
const { componentize } = await import(resolve(nm, '@bytecodealliance/componentize-js/src/componentize.js'));
const [src, wit, world, out, disabled] = process.argv.slice(2);
const { component } = await componentize({
  sourcePath: resolve(src), witPath: resolve(wit), worldName: world,
  disableFeatures: disabled ? disabled.split(',') : [],
});
await writeFile(out, component);
