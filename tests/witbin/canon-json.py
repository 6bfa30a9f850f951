#!/usr/bin/env python3
"""Print a Resolve JSON (wit-gen json / wasm-tools component wit --json) with
arena ids replaced by names and packages sorted by name, so two resolves that
differ only in package order compare equal. Used where package order cannot
survive a round trip (binary deps join the resolve first; nested packages of a
printed file are re-read in name order). Interface and package ids become
names; type ids are left as they are (compare resolves whose types agree).
With --names, only the names: per package its interfaces with their type and
function names, and its worlds with their import/export keys (for resolves
whose anonymous types are numbered differently).
usage: canon-json.py [--names] FILE.json"""
import json, sys

names_only = sys.argv[1] == '--names'
d = json.load(open(sys.argv[-1]))
pk = [p['name'] for p in d['packages']]
ifn = {}
for p in d['packages']:
    for n, i in p['interfaces'].items():
        ifn[i] = p['name'] + '/' + n
tyn = lambda t: ('%s.%s' % (t.get('owner'), t.get('name')))

def fix(x):
    if isinstance(x, dict):
        out = {}
        for k, v in x.items():
            if k == 'interface' and isinstance(v, dict) and 'id' in v:
                out[k] = dict(v, id=ifn.get(v['id'], v['id']))
            elif k == 'package' and isinstance(v, int):
                out[k] = pk[v]
            elif k.startswith('interface-') and isinstance(x[k], dict):
                out['interface-' + str(ifn.get(int(k.split('-')[1]), k))] = fix(v)
            else:
                out[k] = fix(v)
        return out
    if isinstance(x, list):
        return [fix(v) for v in x]
    return x

if names_only:
    out = []
    for p in sorted(d['packages'], key=lambda p: p['name']):
        out.append('package ' + p['name'])
        for n, i in sorted(p['interfaces'].items()):
            it = d['interfaces'][i]
            out.append('  interface %s types=%s funcs=%s' % (n, sorted(it['types']), sorted(it['functions'])))
        for n, w in sorted(p['worlds'].items()):
            wd = d['worlds'][w]
            key = lambda k: ifn.get(int(k.split('-')[1]), k) if k.startswith('interface-') else k
            out.append('  world %s imports=%s exports=%s' % (n, sorted(map(key, wd['imports'])), sorted(map(key, wd['exports']))))
    print('\n'.join(out))
    sys.exit(0)

res = {'packages': sorted((fix(p) for p in d['packages']), key=lambda p: p['name'])}
for p in res['packages']:
    p['interfaces'] = sorted(ifn[i] for i in p['interfaces'].values())
    p['worlds'] = sorted(p['worlds'])
res['worlds'] = sorted((fix(w) for w in d['worlds']), key=lambda w: (w['package'], w['name']))
res['interfaces'] = sorted((fix(i) for i in d['interfaces']), key=lambda i: (i['package'], i.get('name') or ''))
print(json.dumps(res, indent=1, sort_keys=True))
