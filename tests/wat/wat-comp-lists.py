#!/usr/bin/env python3
"""Write the case lists for suite-wat-component.sh (see wat-comp-check.py for the format).

usage: wat-comp-lists.py CORPORA VALBIN WORK

  WORK/val.list   every .print snapshot of the component-model validation corpus -> the binary it was printed
                  from (VALBIN, tests/component/gen-corpus.sh), with the wasm-tools parse of the .print as the
                  alternative expected binary (WORK/val-jco/N.wasm) for hand-written binary sources
  WORK/wc.list    wit-component interfaces/*.wat, components/*/{component,module,adapt-*}.wat -> wasm-tools
                  parse of the same text (WORK/wc-jco/N.wasm)
  WORK/jco.list   "IN<TAB>OUT" for wat-comp-jco.mjs, producing all the wasm-tools parse references
"""
import os, sys

corpora, valbin, work = sys.argv[1:4]
os.makedirs(os.path.join(work, 'val-jco'), exist_ok=True)
os.makedirs(os.path.join(work, 'wc-jco'), exist_ok=True)

# Files whose components nest core modules (or core types) using features beyond WebAssembly 2.0.
OUT_OF_SCOPE = {
    'gc/': 'GC core types / reference types beyond 2.0',
    'custom-page-sizes.wast': 'custom-page-sizes memories',
    'memory64.wast': 'memory64 memories',
    'memory64/': 'memory64 memories (cm64)',
    'tags.wast': 'exception-handling tags',
    'shared-everything-threads/': 'shared memories / shared-everything threads',
    'legacy-indices.wast/5.print': 'shared core types and tables (shared-everything threads)',
}

def scope(rel):
    for k, v in OUT_OF_SCOPE.items():
        if rel == k or (k.endswith('/') and rel.startswith(k)):
            return v
    return ''

jco = []
snap = os.path.join(corpora, 'component-model-validation', 'snapshots')
val = []
for root, dirs, names in os.walk(snap):
    dirs.sort()
    for nm in sorted(names):
        if not nm.endswith('.print'):
            continue
        rel = os.path.relpath(root, snap)            # X.wast or sub/X.wast
        base = rel[:-len('.wast')]
        binary = os.path.join(valbin, os.path.dirname(base), os.path.basename(base) + '.' + nm[:-6] + '.wasm')
        src = os.path.join(root, nm)
        alt = os.path.join(work, 'val-jco', '%d.wasm' % len(val))
        jco.append((src, alt))
        val.append((rel + '/' + nm, src, binary, scope(rel) or scope(rel + '/' + nm), alt))
with open(os.path.join(work, 'val.list'), 'w') as f:
    for c in val:
        f.write('\t'.join(c) + '\n')

wc = []
wcdir = os.path.join(corpora, 'wit-component')
for n in sorted(os.listdir(os.path.join(wcdir, 'interfaces'))):
    if n.endswith('.wat'):
        wc.append(('interfaces/' + n, os.path.join(wcdir, 'interfaces', n)))
for d in sorted(os.listdir(os.path.join(wcdir, 'components'))):
    p = os.path.join(wcdir, 'components', d)
    if not os.path.isdir(p):
        continue
    for n in sorted(os.listdir(p)):
        if n.endswith('.wat'):
            wc.append(('components/%s/%s' % (d, n), os.path.join(p, n)))
with open(os.path.join(work, 'wc.list'), 'w') as f:
    for i, (label, src) in enumerate(wc):
        out = os.path.join(work, 'wc-jco', '%d.wasm' % i)
        jco.append((src, out))
        f.write('%s\t%s\t%s\t\t\n' % (label, src, out))
with open(os.path.join(work, 'jco.list'), 'w') as f:
    for src, out in jco:
        f.write('%s\t%s\n' % (src, out))
print('%d validation snapshots, %d wit-component texts' % (len(val), len(wc)))
