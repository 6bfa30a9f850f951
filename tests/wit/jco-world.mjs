// Cross-check with jco (wasm-tools' wit-parser and wit-component compiled to
// wasm): for every world of OURS.json (wit-gen json output), jco parses
// SOURCE.wit (one WIT document, dependencies as nested packages), embeds the
// world in a dummy core module, makes a component and prints its WIT (`jco
// wit`). The imports/exports of jco's root world must equal the world's
// imports/exports in our Resolve (interface ids or plain names; world-level
// types and resource functions excluded), except that wit-component may leave out an imported
// interface without functions (nothing in the dummy module uses it). Prints "ok WORLD" / "FAIL WORLD" lines; exit 1 on failure.
// Usage: JCO_TRANSPILE=dir node jco-world.mjs OURS.json SOURCE.wit [OURS2.json SOURCE2.wit ...]
//        ... --reject SOURCE.wit WORLD ...   (a document wit-gen rejected: jco must reject it too)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
const { componentEmbed, componentNew, componentWit } = await import(pathToFileURL(resolve(process.env.JCO_TRANSPILE, 'dist/wasm-tools.js')).href);
const KW = new Set(['use', 'type', 'func', 'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'f32', 'f64', 'char',
  'resource', 'own', 'borrow', 'record', 'flags', 'variant', 'enum', 'bool', 'string', 'option', 'result', 'future',
  'stream', 'error-context', 'list', 'map', '_', 'as', 'from', 'static', 'interface', 'tuple', 'world', 'import',
  'export', 'package', 'constructor', 'include', 'with', 'async']);
const esc = (n) => (KW.has(n) ? `%${n}` : n);
let failed = 0;
for (let a = 2; a + 1 < process.argv.length; a += 2) {
if (process.argv[a] === '--reject') {
  const file = process.argv[a + 1], world = process.argv[a + 2];
  a++;
  try {
    await componentEmbed({ witSource: readFileSync(file, 'utf8'), dummy: true, world });
    console.log(`FAIL ${file}: wit-gen rejects it but jco accepts it`);
    failed++;
  } catch (e) {
    console.log(`ok reject ${file}: jco also rejects it: ${String(e).split('\n')[0].slice(0, 120)}`);
  }
  continue;
}
const ours = JSON.parse(readFileSync(process.argv[a], 'utf8'));
const src = readFileSync(process.argv[a + 1], 'utf8');
const ifaceId = (id) => {
  const i = ours.interfaces[id];
  const p = ours.packages[i.package].name;
  const at = p.indexOf('@');
  return at < 0 ? `${p}/${i.name}` : `${p.slice(0, at)}/${i.name}${p.slice(at)}`;
};
const droppable = new Set();
const ourLines = (w) => {
  const out = [];
  for (const [dir, items] of [['import', w.imports], ['export', w.exports]])
    for (const [k, it] of Object.entries(items)) {
      if (it.type !== undefined) continue;
      if (it.function && k.startsWith('[')) continue; // resource functions: printed inside the resource
      const line = `${dir} ${k.startsWith('interface-') ? ifaceId(it.interface.id) : k}`;
      if (dir === 'import' && it.interface && Object.keys(ours.interfaces[it.interface.id].functions).length === 0)
        droppable.add(line);
      out.push(line);
    }
  return out.sort();
};
for (const w of ours.worlds) {
  const pkg = ours.packages[w.package].name;
  const at = pkg.indexOf('@');
  const [ns, pn] = (at < 0 ? pkg : pkg.slice(0, at)).split(':');
  const qual = `${esc(ns)}:${esc(pn)}/${esc(w.name)}${at < 0 ? '' : pkg.slice(at)}`;
  let theirs;
  try {
    const core = await componentEmbed({ witSource: src, dummy: true, world: qual });
    const wit = await componentWit(await componentNew(core));
    theirs = [];
    let inRoot = false;
    for (const l of wit.split('\n')) {
      if (/^world root \{/.test(l)) { inRoot = true; continue; }
      if (inRoot && /^\}/.test(l)) break;
      const m = inRoot && l.match(/^\s*(import|export) (\S+?)(;|: )/);
      if (m) theirs.push(`${m[1]} ${m[2].replace(/%/g, '')}`);
    }
    theirs.sort();
  } catch (e) {
    console.log(`FAIL ${qual}: jco error: ${String(e).split('\n')[0]}`);
    failed++;
    continue;
  }
  const mine = ourLines(w);
  const extra = mine.filter((l) => !theirs.includes(l));
  const missing = theirs.filter((l) => !mine.includes(l));
  if (!missing.length && extra.every((l) => droppable.has(l)))
    console.log(`ok ${qual} (${theirs.length} items${extra.length ? `, ${extra.length} function-less imports left out by jco` : ''})`);
  else {
    failed++;
    console.log(`FAIL ${qual}\n  ours:  ${mine.join(', ')}\n  jco:   ${theirs.join(', ')}`);
  }
}
}
process.exit(failed ? 1 : 0);
