// Check that the WIT printed by `jco wit` for a component contains every import and export of the world
// the component was built for. Usage: node check-world.mjs RESOLVE.json WORLD-NAME JCO-WIT.txt
// (wit-component drops interface imports nobody uses, so type-only interfaces are not required.)
// RESOLVE.json is `wit-gen json` of the WIT (wasm-tools `component wit --json` schema); among worlds with
// that name the one of the last package wins (the main package is resolved last).
import fs from 'node:fs';
const [resolvePath, worldName, witPath] = process.argv.slice(2);
const r = JSON.parse(fs.readFileSync(resolvePath, 'utf8'));
// `%` escapes of keywords are dropped before matching
const text = fs.readFileSync(witPath, 'utf8').replace(/%/g, '');
const worlds = r.worlds.filter((w) => w.name === worldName);
if (!worlds.length) { console.log(`no world ${worldName}`); process.exit(1); }
const w = worlds.reduce((a, b) => (b.package >= a.package ? b : a));
const ifaceId = (id) => {
  const i = r.interfaces[id];
  const p = r.packages[i.package];
  const m = /^([^:]+):([^@]+)(@.*)?$/.exec(p.name);
  return `${m[1]}:${m[2]}/${i.name}${m[3] ?? ''}`;
};
const missing = [];
for (const [dir, items] of [['import', w.imports], ['export', w.exports]]) {
  for (const [key, item] of Object.entries(items)) {
    let want;
    // an interface with no functions is only types: wit-component keeps it only if another item uses it
    if (item.interface && Object.keys(r.interfaces[item.interface.id].functions ?? {}).length === 0) continue;
    if (item.interface) want = key.startsWith('interface-') ? [`${dir} ${ifaceId(item.interface.id)};`] : [`${dir} ${key}: interface {`, `${dir} ${key}: ${ifaceId(item.interface.id)}`];
    else if (item.function) want = [`${dir} ${key}: func(`, `${dir} ${key}: async func(`];
    else continue; // world-level types print as `use`/type definitions
    const has = want.some((s) => text.includes(s));
    if (!has) missing.push(want[0]);
  }
}
if (missing.length) { console.log('missing: ' + missing.join(' | ')); process.exit(1); }
console.log('ok');
