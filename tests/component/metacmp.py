#!/usr/bin/env python3
"""Compare `winspect --json` with `jco metadata-show --json` (wasm-tools metadata show):
the same components and modules in the same order, with the same byte ranges and the
same producers fields. usage: metacmp.py WINSPECT.json JCO.json"""
import json, sys

mine = json.load(open(sys.argv[1]))
theirs = json.load(open(sys.argv[2]))

def flat(node, out):
    prods = []
    for field, vals in (node.get('producers') or {}).items():
        prods.append([field, [[v['name'], v['version']] for v in vals]])
    out.append((node['kind'], node['offset'], node['offset'] + node['size'], prods))
    for c in node.get('children', []):
        flat(c, out)
    return out

a = flat(mine, [])
b = [(t['metaType']['tag'], t['range'][0], t['range'][1], t.get('producers') or []) for t in theirs]
if a != b:
    for x, y in zip(a, b):
        if x != y:
            print('winspect:', x)
            print('jco     :', y)
            break
    print('items: winspect %d, jco %d' % (len(a), len(b)))
    sys.exit(1)
print('%d items match' % len(a))
