// Cross-check with jco (wasm-tools' wit-parser and wit-component compiled to
// wasm): for every world of OURS.json (wit-gen json output), jco parses
// SOURCE.wit (one WIT document, dependencies as nested packages), embeds the
// world in a dummy core module, makes a component and prints its WIT (`jco
// wit`). The imports/exports of jco's root world must equal the world's
// imports/exports in our Resolve (interface ids or plain names; world-level
// types excluded). Prints "ok WORLD" / "FAIL WORLD" lines; exit 1 on failure.
// Usage: JCO_TRANSPILE=dir node jco-world.mjs OURS.json SOURCE.wit
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
const { componentEmbed, componentNew, componentWit } = await import(pathToFileURL(resolve(process.env.JCO_TRANSPILE, 'dist/wasm-tools.js')).href);
const ours = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const src = readFileSync(process.argv[3], 'utf8');
const ifaceId = (id) => {
  const i = ours.interfaces[id];
  const p = ours.packages[i.package].name;
  const at = p.indexOf('@');
  return at < 0 ? `${p}/${i.name}` : `${p.slice(0, at)}/${i.name}${p.slice(at)}`;
};
const ourLines = (w) => {
  const out = [];
  for (const [dir, items] of [['import', w.imports], ['export', w.exports]])
    for (const [k, it] of Object.entries(items)) {
      if (it.type !== undefined) continue;
      out.push(`${dir} ${k.startsWith('interface-') ? ifaceId(it.interface.id) : k}`);
    }
  return out.sort();
};
let failed = 0;
for (const w of ours.worlds) {
  const pkg = ours.packages[w.package].name;
  const at = pkg.indexOf('@');
  const qual = at < 0 ? `${pkg}/${w.name}` : `${pkg.slice(0, at)}/${w.name}${pkg.slice(at)}`;
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
      if (m) theirs.push(`${m[1]} ${m[2]}`);
    }
    theirs.sort();
  } catch (e) {
    console.log(`FAIL ${qual}: jco error: ${String(e).split('\n')[0]}`);
    failed++;
    continue;
  }
  const mine = ourLines(w);
  if (JSON.stringify(mine) === JSON.stringify(theirs)) console.log(`ok ${qual} (${mine.length} items)`);
  else {
    failed++;
    console.log(`FAIL ${qual}\n  ours:  ${mine.join(', ')}\n  jco:   ${theirs.join(', ')}`);
  }
}
process.exit(failed ? 1 : 0);
