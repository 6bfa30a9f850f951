// Semantic oracle for suite-encode.sh: does wit-component (npm jco's wasm-tools build) decode our binary WIT
// package into the same package as it parses from the WIT source?
//
// jco's `componentWit` cannot print a decoded WIT package (it panics "Unexpected wit package" for any
// package, wasm-tools' own output included), so the comparison goes through what jco can do: each case has
// two probe directories, OURS (probe.wit + deps/pkg.wasm = our encoding) and SRC (probe.wit + the WIT
// source as deps/). probe.wit is `package wkit:probe; world probe { export <every interface of the
// package>; }`. wit-parser's push_dir decodes deps/*.wasm as binary WIT packages. For the probe world and
// for every world of the package, jco embeds (`componentEmbed`, dummy module), builds the component
// (`componentNew`, which validates it), and prints its WIT and its full text (`componentWit`, `print`):
// the two sides must give identical text. Exported interfaces keep every type and function of the
// interface, so the printed component shows the whole interface as jco decoded it.
//
// stdin: one JSON object per line {name, ours, src, worlds: ["ns:pkg/w@v", ...], features: [...], embedOnly}.
// embedOnly: compare the bytes of the embedded core modules (the world re-encoded by wit-component) and skip
// componentNew (for cases where it does not finish in reasonable time on the source side either).
// A probe whose texts differ only in the order of items counts as equal, said in the line (see norm).
// stdout per case: "ok NAME: N worlds ...", "FAIL NAME: why", or "SKIP NAME: why" (jco rejects the source
// side too, so nothing can be compared).
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
// The wasm-tools component reads WIT through WASI preopens, which are empty by default in node.
const shim = await import(pathToFileURL(path.join(npm, 'preview2-shim/dist/nodejs/filesystem.js')).href);
shim._setPreopens({ '/': '/' });
let T = path.join(npm, 'jco/node_modules/@bytecodealliance/jco-transpile/dist/wasm-tools.js');
if (!fs.existsSync(T)) T = path.join(npm, 'jco-transpile/dist/wasm-tools.js');
const { componentEmbed, componentNew, componentWit, print } = await import(pathToFileURL(T).href);

let poisoned = false;
async function build(dir, world, features, embedOnly) {
  try {
    const emb = await componentEmbed({
      witPath: path.resolve(dir), dummy: true, world,
      features: features.length ? { tag: 'list', val: features } : undefined,
    });
    if (embedOnly) return { ok: true, text: Buffer.from(emb).toString('hex') };
    const comp = await componentNew(emb, undefined);
    return { ok: true, text: (await componentWit(comp)) + '\n' + (await print(comp)) };
  } catch (e) {
    const msg = String(e.message ?? e);
    if (/cannot enter component instance|unreachable/.test(msg)) poisoned = true;
    // error texts name the probe directory: compare them without it
    return { ok: false, text: msg.split(path.resolve(dir)).join('<dir>').replace(/\s+/g, ' ').slice(0, 400) };
  }
}

// wit-component's encoder puts resource functions first (encoding/wit.rs encode_instance), so the decoded
// interface may list functions in another order than the source, which renumbers the dummy module's
// functions. Fallback comparison: every number replaced by N, lines sorted.
const norm = (t) => t.replace(/[0-9]+/g, 'N').split('\n').sort().join('\n');

const lines = (await readStdin()).split('\n').filter(Boolean);
for (const line of lines) {
  const c = JSON.parse(line);
  if (!c.worlds.length && !c.interfaces) {
    console.log(`SKIP ${c.name}: empty package: its binary form is an empty component, which decoders read as a component (wit-component writes the same)`);
    continue;
  }
  if (poisoned) { console.log(`FAIL ${c.name}: jco instance trapped on an earlier case`); continue; }
  let why = null, skip = null, n = 0;
  const reordered = [];
  for (const w of ['probe', ...c.worlds]) {
    const a = await build(c.ours, w, c.features ?? [], c.embedOnly);
    const b = await build(c.src, w, c.features ?? [], c.embedOnly);
    if (!a.ok && /failed to parse dependency directory/.test(a.text)) {
      // the message names no cause: decode the package alone to get it
      const d = await build(path.join(c.ours, 'deps/pkg.wasm'), w, [], true);
      if (!d.ok) a.text = d.text.replace(/ \(at offset 0x[0-9a-f]+\)/, '');
    }
    if (!a.ok && !b.ok && a.text !== b.text && b.text.includes(a.text)) b.text = a.text; /* same cause */
    if (a.ok && b.ok) {
      if (a.text !== b.text && norm(a.text) === norm(b.text)) {
        reordered.push(w);
      } else if (a.text !== b.text) {
        const al = a.text.split('\n'), bl = b.text.split('\n');
        let i = 0;
        while (i < al.length && al[i] === bl[i]) i++;
        why = `${w}: line ${i + 1}: ours \`${(al[i] ?? '').trim()}\` source \`${(bl[i] ?? '').trim()}\``;
        break;
      }
      n++;
    } else if (!a.ok && b.ok) { why = `${w}: jco rejects ours: ${a.text}`; break; }
    else if (a.ok && !b.ok) { why = `${w}: jco accepts ours but rejects the source: ${b.text}`; break; }
    else if (a.text !== b.text) { why = `${w}: both rejected, differently: ours: ${a.text} / source: ${b.text}`; break; }
    else {
      skip = `${w}: jco rejects both sides alike: ${a.text}`;
      // a package jco cannot decode at all: its worlds cannot be compared one by one either
      if (w === 'probe') break;
    }
  }
  if (why) console.log(`FAIL ${c.name}: ${why}`);
  else if (skip && n === 0) console.log(`SKIP ${c.name}: ${skip}`);
  else {
    const ro = reordered.length ? `; only up to item order and indices: ${reordered.join(', ')}` : '';
    console.log(`ok ${c.name}: ${n} of ${c.worlds.length + 1} probes equal${ro}${skip ? ` (${skip})` : ''}`);
  }
}
