# Random WIT documents for the wit suite (deterministic per seed): 1-3 packages
# (the last one is the main package, the others nested blocks), interfaces with
# cross-package `use`s (some renamed), every kind of type definition, resources
# with constructors/methods/static/async functions, gates, docs, and worlds with
# interface imports/exports, named and inline interfaces, functions and includes.
# Usage: python3 gen-wit.py FIRST-SEED COUNT OUTDIR  -> OUTDIR/gSEED.wit
import random, sys
def gen(seed):
    R = random.Random(seed)
    prims = ['u8','u16','u32','u64','s8','s32','s64','f32','f64','char','string','bool']
    out = []
    npk = R.randint(1, 3)
    pkgs = [f'p{i}:x{"@1.%d.0" % i if R.random() < 0.5 else ""}' for i in range(npk)]
    ifaces_by_pkg = {}
    worlds_by_pkg = {}
    for pi, pk in enumerate(pkgs):
        body = []
        ifaces = []
        # types per interface
        niface = R.randint(1, 4)
        for ii in range(niface):
            name = f'i{ii}'
            lines = []
            types = []
            res = []
            # uses from earlier interfaces in same package or earlier packages
            cands = [(None, n, t) for n, t, r in ifaces] + [(p, n, t) for p in pkgs[:pi] for (n, t, r) in ifaces_by_pkg.get(p, [])]
            R.shuffle(cands)
            for (p, n, ts) in cands[:R.randint(0, 2)]:
                if not ts: continue
                t = R.choice(ts)
                alias = f'{t}-u{ii}' if R.random() < 0.3 else None
                path = n if p is None else f'{p.split("@")[0]}/{n}' + (('@' + p.split('@')[1]) if '@' in p else '')
                nm = alias or t
                if nm in types: continue
                lines.append(f'  use {path}.{{{t}{" as " + alias if alias else ""}}};')
                types.append(nm)
            res_ok = []
            borrow_ok = [False]
            def ty(depth=0):
                r = R.random()
                if depth > 2 or r < 0.35: return R.choice(prims + types) if types and R.random() < 0.5 else R.choice(prims)
                k = R.choice(['list', 'option', 'result', 'tuple', 'future', 'stream', 'fixed', 'borrow', 'map', 'ec', 'own'])
                if k == 'map': return f'map<{R.choice(["string", "u32", "char"])}, {ty(depth+1)}>'
                if k == 'ec': return 'error-context'
                if k in ('own', 'borrow') and res_ok:
                    return f'{"own" if k == "own" else "borrow"}<{R.choice(res_ok)}>' if k == 'own' or borrow_ok[0] else R.choice(res_ok)
                if k == 'list': return f'list<{ty(depth+1)}>'
                if k == 'fixed': return f'list<{ty(depth+1)}, {R.randint(1,4)}>'
                if k == 'option': return f'option<{ty(depth+1)}>'
                if k == 'result': return R.choice([f'result<{ty(depth+1)}, {ty(depth+1)}>', f'result<_, {ty(depth+1)}>', f'result<{ty(depth+1)}>', 'result'])
                if k == 'tuple': return f'tuple<{", ".join(ty(depth+1) for _ in range(R.randint(1,3)))}>'
                if k == 'future': return R.choice(['future', f'future<{ty(depth+1)}>'])
                if k == 'stream': return R.choice(['stream', f'stream<{ty(depth+1)}>'])
                return R.choice(prims)
            for ti in range(R.randint(0, 4)):
                tn = f'p{pi}t{ii}-{ti}'
                k = R.choice(['alias', 'record', 'variant', 'enum', 'flags', 'resource'])
                gate = ''
                if R.random() < 0.15: gate = '@unstable(feature = fx) '
                doc = '/// doc ' + tn + '\n  ' if R.random() < 0.3 else ''
                if k == 'alias': lines.append(f'  {doc}{gate}type {tn} = {ty()};')
                elif k == 'record': lines.append(f'  {doc}{gate}record {tn} {{ ' + ', '.join(f'f{j}: {ty()}' for j in range(R.randint(0, 3))) + ' }')
                elif k == 'variant': lines.append(f'  {doc}{gate}variant {tn} {{ ' + ', '.join(f'c{j}' + (f'({ty()})' if R.random() < 0.5 else '') for j in range(R.randint(1, 3))) + ' }')
                elif k == 'enum': lines.append(f'  {doc}{gate}enum {tn} {{ ' + ', '.join(f'e{j}' for j in range(R.randint(1, 3))) + ' }')
                elif k == 'flags': lines.append(f'  {doc}{gate}flags {tn} {{ ' + ', '.join(f'g{j}' for j in range(R.randint(0, 3))) + ' }')
                else:
                    fs = []
                    if R.random() < 0.5: fs.append(f'constructor({", ".join(f"a{j}: {ty()}" for j in range(R.randint(0,2)))});')
                    for j in range(R.randint(0, 3)):
                        st = 'static ' if R.random() < 0.3 else ''
                        asy = 'async ' if R.random() < 0.2 else ''
                        fs.append(f'm{j}: {st}{asy}func({", ".join(f"a{q}: {ty()}" for q in range(R.randint(0,2)))}){" -> " + R.choice(prims) if R.random() < 0.5 else ""};')
                    if fs and not gate: lines.append(f'  {doc}resource {tn} {{ ' + ' '.join(fs) + ' }')
                    else: lines.append(f'  {doc}resource {tn};')
                    res.append(tn)
                    if not gate: res_ok.append(tn)
                if not gate: types.append(tn)
            for fi in range(R.randint(0, 3)):
                gate = R.choice(['@unstable(feature = fy) ', '@since(version = 0.1.0) ', '@since(version = 0.1.0) @deprecated(version = 0.2.0) ', '', '', '', ''])
                if gate.startswith('@since') and '@' not in pk: gate = ''
                asy = 'async ' if R.random() < 0.2 else ''
                doc = '/// f doc\n  /// second line\n  ' if R.random() < 0.2 else ''
                borrow_ok[0] = True
                ps = ", ".join(f"{R.choice(['a', '%type', '%list'])}{q}: {ty()}" for q in range(R.randint(0,2)))
                borrow_ok[0] = False
                lines.append(f'  {doc}{gate}f{fi}: {asy}func({ps}){" -> " + ty() if R.random() < 0.6 else ""};')
            R.shuffle(lines[len([l for l in lines if l.strip().startswith("use")]):]) if False else None
            body.append(f'interface {name} {{\n' + '\n'.join(lines) + '\n}')
            ifaces.append((name, [t for t in types], res))
        ifaces_by_pkg[pk] = ifaces
        worlds = []
        wfuncs = {}
        for wi in range(R.randint(0, 3)):
            items = []
            used = set()
            for k in range(R.randint(0, 4)):
                kind = R.choice(['imp', 'exp', 'func', 'inline', 'named', 'include', 'wuse', 'wtype', 'wres', 'incwith'])
                if kind == 'wuse':
                    n, ts, rs = R.choice(ifaces)
                    if ts:
                        t = R.choice(ts)
                        if ('t:' + t) not in used:
                            used.add('t:' + t)
                            items.append(f'  use {n}.{{{t}}};')
                    continue
                if kind == 'wtype':
                    items.append(f'  type wt{k} = list<tuple<u8, string>>;')
                    continue
                if kind == 'wres':
                    items.append(f'  resource wr{k} {{ constructor(); get: func() -> u32; }}')
                    items.append(f'  import use-wr{k}: func(x: borrow<wr{k}>) -> wr{k};')
                    continue
                if kind == 'incwith' and worlds:
                    wname = R.choice(worlds)
                    fns = wfuncs.get(wname, [])
                    if fns:
                        items.append(f'  include {wname} with {{ {R.choice(fns)} as renamed{k} }}')
                    continue
                if kind in ('imp', 'exp'):
                    cands = [(None, n) for n, t, r in ifaces] + [(p, n) for p in pkgs[:pi] for (n, t, r) in ifaces_by_pkg.get(p, [])]
                    p, n = R.choice(cands)
                    path = n if p is None else f'{p.split("@")[0]}/{n}' + (('@' + p.split('@')[1]) if '@' in p else '')
                    key = ('i' if kind == 'imp' else 'e') + path
                    if key in used: continue
                    used.add(key)
                    items.append(f'  {"import" if kind == "imp" else "export"} {path};')
                elif kind == 'func':
                    nm = f'wf{k}'
                    wfuncs.setdefault(f'w{wi}', []).append(nm)
                    items.append(f'  {R.choice(["import","export"])} {nm}: func(x: u32) -> string;')
                elif kind == 'inline':
                    items.append(f'  {R.choice(["import","export"])} in{k}: interface {{ g: func() -> list<u8>; }}')
                elif kind == 'named':
                    n = R.choice(ifaces)[0]
                    items.append(f'  {R.choice(["import","export"])} nm{k}: {n};')
                elif kind == 'include' and worlds:
                    items.append(f'  include {R.choice(worlds)};')
            worlds.append(f'w{wi}')
            body.append(f'world w{wi} {{\n' + '\n'.join(items) + '\n}')
        if pi == npk - 1:
            out.insert(0, f'package {pk};\n\n' + '\n\n'.join(body))
        else:
            out.append(f'package {pk} {{\n' + '\n\n'.join(body) + '\n}')
    return '\n\n'.join(out) + '\n'
n = int(sys.argv[2])
for s in range(int(sys.argv[1]), int(sys.argv[1]) + n):
    open(f'{sys.argv[3]}/g{s}.wit', 'w').write(gen(s))
