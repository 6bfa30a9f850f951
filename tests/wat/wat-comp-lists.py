#!/usr/bin/env python3
"""Write the case lists for suite-wat-component.sh (see wat-comp-check.py for the format).

usage: wat-comp-lists.py CORPORA VALBIN WORK

  WORK/val.list   every .print snapshot of the component-model validation corpus -> the binary it was printed
                  from (VALBIN, tests/component/gen-corpus.sh), with the wasm-tools parse of the .print as the
                  alternative expected binary (WORK/val-jco/N.wasm) for hand-written binary sources
  WORK/src.list   every module text of the validation .wast files (except `quote` ones) -> its binary
  WORK/wc.list    wit-component interfaces/*.wat and components/*/*.wat that are components -> wasm-tools
                  parse of the same text (WORK/wc-jco/N.wasm)
  WORK/wcmod.list the components/*/*.wat that are core modules (module.wat, adapt-*.wat, lib-*.wat), same
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
    'legacy-indices.wast:71': 'shared core types and tables (shared-everything threads)',
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
        note = scope(rel) or scope(rel + '/' + nm)
        if not rel.endswith('.wast'):
            # snapshots of wast-format files named .wat (gc/core-type.wat): no generated binary, so the
            # reference is wasm-tools parse of the printed text
            val.append((rel + '/' + nm + ' (vs wasm-tools parse of the .print)', src, alt, note, ''))
        else:
            val.append((rel + '/' + nm, src, binary, note, alt))
with open(os.path.join(work, 'val.list'), 'w') as f:
    for c in val:
        f.write('\t'.join(c) + '\n')

# The .wast sources themselves (every sugar form the tests use): each module text with a binary -> that binary.
def top_forms(src):
    """Top-level parenthesized forms of a .wast text: [(text, offset)] (comments and strings skipped)."""
    out, i, depth, start, n = [], 0, 0, -1, len(src)
    while i < n:
        c = src[i]
        if c == ';' and src[i + 1:i + 2] == ';':
            while i < n and src[i] != '\n':
                i += 1
            continue
        if c == '(' and src[i + 1:i + 2] == ';':
            d, i = 1, i + 2
            while i < n and d > 0:
                if src[i:i + 2] == '(;':
                    d, i = d + 1, i + 2
                elif src[i:i + 2] == ';)':
                    d, i = d - 1, i + 2
                else:
                    i += 1
            continue
        if c == '"':
            i += 1
            while i < n and src[i] != '"':
                if src[i] == '\\':
                    i += 1
                i += 1
            i += 1
            continue
        if c == '(':
            if depth == 0:
                start = i
            depth += 1
        elif c == ')':
            depth -= 1
            if depth == 0:
                out.append((src[start:i + 1], start))
        i += 1
    return out

import json, re
wast = os.path.join(corpora, 'component-model-validation', 'wast')
os.makedirs(os.path.join(work, 'src'), exist_ok=True)
srcl = []
for root, dirs, names in os.walk(wast):
    dirs.sort()
    for nm in sorted(names):
        if not nm.endswith('.wast'):
            continue
        rel = os.path.relpath(os.path.join(root, nm), wast)
        with open(os.path.join(root, nm), encoding='utf-8') as f:
            text = f.read()
        with open(os.path.join(snap, rel + '.json')) as f:
            want = [c for c in json.load(f)['commands'] if c.get('filename')]
        k = 0
        for form, off in top_forms(text):
            head = re.match(r'\(([a-z_]+)', form)
            head = head.group(1) if head else ''
            mod = None
            if head in ('component', 'module'):
                mod = form
            elif head.startswith('assert_'):
                inner = top_forms(form[1:-1])
                if inner and re.match(r'\((component|module)\b', inner[0][0]):
                    mod = inner[0][0]
            if mod is None:
                continue
            if k >= len(want):
                break
            w = want[k]
            k += 1
            if re.match(r'\((component|module)(\s+\$\S+)?\s+quote\b', mod):
                continue
            mod = re.sub(r'^\((component|module)(\s+)definition\b', r'(\1\2', mod)
            binary = os.path.join(valbin, os.path.dirname(rel), w['filename'])
            out = os.path.join(work, 'src', '%d.wat' % len(srcl))
            with open(out, 'w', encoding='utf-8') as f:
                f.write(mod)
            note = 'core module' if mod.startswith('(module') else (scope(rel) or scope('%s:%d' % (rel, w['line'])))
            srcl.append(('%s:%d %s' % (rel, w['line'], w['type']), out, binary, note, ''))
with open(os.path.join(work, 'src.list'), 'w') as f:
    for c in srcl:
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
def is_core_module(path):
    """The first form of the text is `(module`: a core module, not a component."""
    import re
    with open(path, encoding='utf-8', errors='replace') as f:
        t = f.read(4096)
    t = re.sub(r';;[^\n]*', '', t)
    t = re.sub(r'\(;.*?;\)', '', t, flags=re.S)
    return re.match(r'\s*\(\s*module\b', t) is not None

# the strict-legacy-*.wat parse tests: the legacy reference syntax, accepted in lenient mode (references
# from jco-transpile's wasm-tools with WAST_STRICT_COMPONENT_INDICES=0, like the validation binaries)
os.makedirs(os.path.join(work, 'legacy-jco'), exist_ok=True)
with open(os.path.join(work, 'legacy.list'), 'w') as f, open(os.path.join(work, 'legacy-jco.list'), 'w') as g:
    for n in sorted(os.listdir(wast)):
        if n.startswith('strict-legacy-') and n.endswith('.wat'):
            out = os.path.join(work, 'legacy-jco', n[:-4] + '.wasm')
            g.write('%s\t%s\n' % (os.path.join(wast, n), out))
            f.write('component-model-validation/%s\t%s\t%s\t\t\n' % (n, os.path.join(wast, n), out))

# hand-written sugar cases (tests/wat/wat-comp-cases): the reference is jco-transpile's wasm-tools (the version
# the validation binaries come from); npm jco's newer one is the alternative (it leaves implicit outer aliases
# unnamed)
here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(os.path.join(work, 'cases-ref'), exist_ok=True)
os.makedirs(os.path.join(work, 'cases-jco'), exist_ok=True)
with open(os.path.join(work, 'cases.list'), 'w') as f, open(os.path.join(work, 'legacy-jco.list'), 'a') as g:
    for n in sorted(os.listdir(os.path.join(here, 'wat-comp-cases'))):
        if n.endswith('.wat'):
            src = os.path.join(here, 'wat-comp-cases', n)
            ref = os.path.join(work, 'cases-ref', n[:-4] + '.wasm')
            alt = os.path.join(work, 'cases-jco', n[:-4] + '.wasm')
            g.write('%s\t%s\n' % (src, ref))
            jco.append((src, alt))
            f.write('wat-comp-cases/%s\t%s\t%s\t\t%s\n' % (n, src, ref, alt))

with open(os.path.join(work, 'wc.list'), 'w') as f, open(os.path.join(work, 'wcmod.list'), 'w') as g:
    for i, (label, src) in enumerate(wc):
        out = os.path.join(work, 'wc-jco', '%d.wasm' % i)
        jco.append((src, out))
        if is_core_module(src):
            g.write('%s\t%s\t%s\tcore module\t\n' % (label, src, out))
        else:
            f.write('%s\t%s\t%s\t\t\n' % (label, src, out))
with open(os.path.join(work, 'jco.list'), 'w') as f:
    for src, out in jco:
        f.write('%s\t%s\n' % (src, out))
print('%d validation snapshots, %d validation sources, %d wit-component texts' % (len(val), len(srcl), len(wc)))
