// Oracle for our world -> component-type encoding (cmd/wit/ctype.c), case by case against wit-component's:
// jco's componentEmbed (wit-component `embed --dummy`) builds a dummy core module for the world, with
// wit-component's own component-type section. We strip that section, add ours with `wit-gen embed`, turn
// both modules into components with componentNew and require the two printed components (`print`) to be
// identical apart from the producers metadata wit-component adds to its own section.
// Usage: node jco-embed-compare.mjs WIT-GEN TMPDIR FILE.wit... ; every world of each file's main package
// is compared (files that do not resolve are skipped); prints "ok FILE WORLD" / "FAIL FILE WORLD: why".
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
const here = path.dirname(fileURLToPath(import.meta.url));
const jco = path.resolve(here, '../../scripts/npm/node_modules/@bytecodealliance/jco/dist/api.js');
const { componentEmbed, componentNew, print } = await import(pathToFileURL(jco).href);
const [witgen, tmp, ...files] = process.argv.slice(2);

function stripComponentType(b) {
  const parts = [b.subarray(0, 8)];
  let p = 8;
  const leb = () => { let n = 0, s = 0, c; do { c = b[p++]; n += (c & 0x7f) * 2 ** s; s += 7; } while (c & 0x80); return n; };
  while (p < b.length) {
    const start = p, id = b[p++], n = leb(), end = p + n;
    let keep = true;
    if (id === 0) { const l = leb(); if (b.subarray(p, p + l).toString().startsWith('component-type')) keep = false; }
    if (keep) parts.push(b.subarray(start, end));
    p = end;
  }
  return Buffer.concat(parts);
}
const noProducers = (wat) => wat.replace(/\n *\(@producers(\n *\([^\n]*\))*\n *\)/g, '');

let i = 0;
const cases = [];
for (const file of files) {
  let r;
  try { r = JSON.parse(execFileSync(witgen, ['json', file], { stdio: ['ignore', 'pipe', 'ignore'] })); } catch { continue; }
  const main = r.worlds.length ? r.worlds.at(-1).package : -1;
  for (const w of r.worlds) if (w.package === main) cases.push([file, w.name, r.packages[w.package].name]);
}
for (const [file, world, pkg] of cases) {
  i++;
  // fully qualified and %-escaped (keywords), e.g. %unused:%import/%the-world@1.0.0
  const m = /^([^:]+):([^@]+)(@.*)?$/.exec(pkg);
  const spec = `%${m[1]}:%${m[2]}/%${world}${m[3] ?? ''}`;
  try {
    const ref = Buffer.from(await componentEmbed({ witSource: fs.readFileSync(file, 'utf8'), dummy: true, world: spec }));
    const bare = path.join(tmp, `bare-${i}.wasm`), ours = path.join(tmp, `ours-${i}.wasm`);
    fs.writeFileSync(bare, stripComponentType(ref));
    execFileSync(witgen, ['embed', file, '--world', spec, bare, '-o', ours]);
    const a = noProducers(await print(await componentNew(ref, [])));
    const b = noProducers(await print(await componentNew(fs.readFileSync(ours), [])));
    if (a === b) console.log(`ok ${file} ${world}`);
    else {
      const al = a.split('\n'), bl = b.split('\n');
      let k = 0;
      while (k < al.length && al[k] === bl[k]) k++;
      console.log(`FAIL ${file} ${world}: first difference at line ${k + 1}: want ${JSON.stringify(al[k])} got ${JSON.stringify(bl[k])}`);
    }
  } catch (e) {
    console.log(`FAIL ${file}: ${String(e.stderr ?? '') + String(e.message ?? e)}`.split('\n').filter((l) => l && !/^\s+at /.test(l)).slice(0, 3).join(' '));
  }
}
