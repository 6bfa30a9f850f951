// Canonicalize a Resolve JSON (wit-gen json / wasm-tools component wit --json):
// drop anonymous types that nothing named reaches and renumber the type arena
// in the order a fixed traversal first reaches each type (interfaces: types,
// then functions; worlds: items; then remaining named types). Used to compare a
// Resolve with the one re-parsed from its printed WIT when feature gates
// excluded items: their anonymous types stay in the arena (and may have been
// the first to allocate a shared anonymous type), but the printed WIT no
// longer mentions them.  Usage: node json-gc.mjs FILE.json
import { readFileSync } from 'node:fs';
const r = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const keep = new Set();
const order = [];
const refsOfKind = (k) => {
  if (typeof k === 'string') return [];
  const [tag, v] = Object.entries(k)[0];
  switch (tag) {
    case 'record': return v.fields.map((f) => f.type);
    case 'variant': return v.cases.map((c) => c.type);
    case 'tuple': return v.types;
    case 'handle': return [Object.values(v)[0]];
    case 'result': return [v.ok, v.err];
    case 'map': return v;
    case 'fixed-length-list': return [v[0]];
    case 'flags': case 'enum': return [];
    default: return [v];
  }
};
const mark = (t) => {
  if (typeof t !== 'number' || keep.has(t)) return;
  keep.add(t);
  order.push(t);
  for (const x of refsOfKind(r.types[t].kind)) mark(x);
};
const markFunc = (f) => {
  if (typeof f.kind === 'object') mark(Object.values(f.kind)[0]);
  for (const p of f.params) mark(p.type);
  if ('result' in f) mark(f.result);
};
for (const i of r.interfaces) { Object.values(i.types).forEach(mark); Object.values(i.functions).forEach(markFunc); }
for (const w of r.worlds)
  for (const items of [w.imports, w.exports])
    for (const it of Object.values(items)) {
      if (it.type !== undefined) mark(it.type);
      if (it.function) markFunc(it.function);
    }
r.types.forEach((t, i) => { if (t.name !== null) mark(i); });
const map = new Map();
order.forEach((t) => map.set(t, map.size));
const m = (t) => (typeof t === 'number' ? map.get(t) : t);
const mapKind = (k) => {
  if (typeof k === 'string') return k;
  const [tag, v] = Object.entries(k)[0];
  let nv;
  switch (tag) {
    case 'record': nv = { fields: v.fields.map((f) => ({ ...f, type: m(f.type) })) }; break;
    case 'variant': nv = { cases: v.cases.map((c) => ({ ...c, type: m(c.type) })) }; break;
    case 'tuple': nv = { types: v.types.map(m) }; break;
    case 'handle': nv = Object.fromEntries(Object.entries(v).map(([a, b]) => [a, m(b)])); break;
    case 'result': nv = { ok: m(v.ok), err: m(v.err) }; break;
    case 'map': nv = v.map(m); break;
    case 'fixed-length-list': nv = [m(v[0]), v[1]]; break;
    case 'flags': case 'enum': nv = v; break;
    default: nv = m(v);
  }
  return { [tag]: nv };
};
const mapFunc = (f) => {
  const g = { ...f };
  if (typeof f.kind === 'object') { const [a, b] = Object.entries(f.kind)[0]; g.kind = { [a]: m(b) }; }
  g.params = f.params.map((p) => ({ ...p, type: m(p.type) }));
  if ('result' in f) g.result = m(f.result);
  return g;
};
r.types = order.map((i) => ({ ...r.types[i], kind: mapKind(r.types[i].kind) }));
for (const i of r.interfaces) {
  for (const k of Object.keys(i.types)) i.types[k] = m(i.types[k]);
  for (const k of Object.keys(i.functions)) i.functions[k] = mapFunc(i.functions[k]);
}
for (const w of r.worlds)
  for (const items of [w.imports, w.exports])
    for (const k of Object.keys(items)) {
      const it = items[k];
      if (it.type !== undefined) items[k] = { type: m(it.type) };
      if (it.function) items[k] = { function: mapFunc(it.function) };
    }
process.stdout.write(JSON.stringify(r, null, 2) + '\n');
