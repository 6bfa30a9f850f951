// `jco run --jco-import` module for tests/compose/adapter-run.py: the environment and the one
// preopen of a run, as wrun gets them (--env, --dir HOST::GUEST), instead of jco run's defaults
// (node's whole environment, the host's / preopened). WKA_SHIM: preview2-shim's dist/nodejs dir
// (its real path: the module instances jco's generated code uses); WKA_ENV: JSON object;
// WKA_PREOPEN: HOST::GUEST or empty.
import { pathToFileURL } from 'node:url';
const shim = process.env.WKA_SHIM;
const cli = await import(pathToFileURL(`${shim}/cli.js`));
const fs = await import(pathToFileURL(`${shim}/filesystem.js`));
cli._setEnv(JSON.parse(process.env.WKA_ENV || '{}'));
fs._setPreopens({});
const p = process.env.WKA_PREOPEN || '';
if (p) {
  const i = p.lastIndexOf('::');
  fs._addPreopen(p.slice(i + 2), p.slice(0, i));
}
