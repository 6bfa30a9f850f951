#!/usr/bin/env python3
"""Differential test of lib/canonabi against the component model's reference
definitions.py (CanonicalABI.md's executable specification).

Generates seeded random cases (types, values, memory images, handle tables), runs
the reference's load / store / lift_flat_values / lower_flat_values on them, runs
the same cases through build/tests/tools/cabi-diff (one process, JSON lines) and
compares: trap vs no trap, lifted values, memory bytes, flat values, handle
tables, borrow counts and lenders.

  diff.py [--cases N] [--seed S] [--driver PATH] [--definitions PATH] [--show K]

Prints per-op counts and `N passed, N failed`; exit 1 on any failure.
"""
import argparse, json, re, os, random, struct, subprocess, sys, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument('--cases', type=int, default=int(os.environ.get('CABI_DIFF_CASES', '20000')))
ap.add_argument('--seed', type=int, default=int(os.environ.get('CABI_DIFF_SEED', '1')))
ap.add_argument('--driver', default=os.path.join(os.environ.get('BUILD', 'build'), 'tests/tools/cabi-diff'))
ap.add_argument('--definitions', default=os.environ.get('CABI_DEFINITIONS', '../shared/corpora/canonical-abi'))
ap.add_argument('--show', type=int, default=5)
args = ap.parse_args()

sys.path.insert(0, args.definitions)
sys.setrecursionlimit(10000)
import definitions as D
D.DETERMINISTIC_PROFILE = True

R = random.Random(args.seed)

# ---------------------------------------------------------------- types

PRIMS = ['bool', 's8', 'u8', 's16', 'u16', 's32', 'u32', 's64', 'u64', 'f32', 'f64', 'char', 'string']

def gen_type(depth=0):
    if depth >= 3 or R.random() < 0.45:
        k = R.choice(PRIMS + ['string', 'char', 'own', 'borrow', 'enum', 'flags'])
        if k in ('own', 'borrow'): return [k, R.randrange(2)]
        if k == 'enum': return ['enum', R.choice([1, 2, 3, 5, 256, 257])]
        if k == 'flags': return ['flags', R.choice([1, 3, 8, 9, 16, 17, 31, 32])]
        return [k]
    k = R.choice(['list', 'list', 'fixed', 'record', 'tuple', 'variant', 'option', 'result', 'map'])
    if k == 'list': return ['list', gen_type(depth + 1)]
    if k == 'fixed': return ['list', gen_type(depth + 1), R.randrange(1, 4)]
    if k in ('record', 'tuple'): return [k, [gen_type(depth + 1) for _ in range(R.randrange(1, 4))]]
    if k == 'variant':
        n = R.choice([1, 2, 3, 4, 257])
        cases = []
        for i in range(n):
            if n > 10 and i not in (0, 1, n - 1): cases.append(None)
            else: cases.append(gen_type(depth + 1) if R.random() < 0.7 else None)
        return ['variant', cases]
    if k == 'option': return ['option', gen_type(depth + 1)]
    if k == 'result':
        return ['result', gen_type(depth + 1) if R.random() < 0.7 else None,
                gen_type(depth + 1) if R.random() < 0.7 else None]
    return ['map', gen_type(depth + 1), gen_type(depth + 1)]

class Env:
    def __init__(self):
        self.store = D.Store()
        self.inst = D.ComponentInstance(self.store)
        self.other = D.ComponentInstance(self.store)
        self.rts = [D.ResourceType(self.inst), D.ResourceType(self.other)]

def to_def(t, env):
    k = t[0]
    simple = {'bool': D.BoolType, 's8': D.S8Type, 'u8': D.U8Type, 's16': D.S16Type, 'u16': D.U16Type,
              's32': D.S32Type, 'u32': D.U32Type, 's64': D.S64Type, 'u64': D.U64Type, 'f32': D.F32Type,
              'f64': D.F64Type, 'char': D.CharType, 'string': D.StringType}
    if k in simple: return simple[k]()
    if k == 'list': return D.ListType(to_def(t[1], env), t[2] if len(t) > 2 else None)
    if k == 'record': return D.RecordType([D.FieldType('f%d' % i, to_def(u, env)) for i, u in enumerate(t[1])])
    if k == 'tuple': return D.TupleType([to_def(u, env) for u in t[1]])
    if k == 'variant':
        return D.VariantType([D.CaseType('c%d' % i, None if u is None else to_def(u, env)) for i, u in enumerate(t[1])])
    if k == 'enum': return D.EnumType(['e%d' % i for i in range(t[1])])
    if k == 'flags': return D.FlagsType(['g%d' % i for i in range(t[1])])
    if k == 'option': return D.OptionType(to_def(t[1], env))
    if k == 'result':
        return D.ResultType(None if t[1] is None else to_def(t[1], env), None if t[2] is None else to_def(t[2], env))
    if k == 'map': return D.MapType(to_def(t[1], env), to_def(t[2], env))
    if k == 'own': return D.OwnType(env.rts[t[1]])
    if k == 'borrow': return D.BorrowType(env.rts[t[1]])
    raise ValueError(k)

def case_labels(t):
    if t[0] == 'variant': return ['c%d' % i for i in range(len(t[1]))], t[1]
    if t[0] == 'enum': return ['e%d' % i for i in range(t[1])], [None] * t[1]
    if t[0] == 'option': return ['none', 'some'], [None, t[1]]
    if t[0] == 'result': return ['ok', 'error'], [t[1], t[2]]
    raise ValueError(t)

# ---------------------------------------------------------------- values (JSON form <-> definitions form)

INT_RANGES = {'s8': (-128, 127), 'u8': (0, 255), 's16': (-32768, 32767), 'u16': (0, 65535),
              's32': (-2**31, 2**31 - 1), 'u32': (0, 2**32 - 1), 's64': (-2**63, 2**63 - 1), 'u64': (0, 2**64 - 1)}

def gen_char():
    r = R.random()
    if r < 0.4: return R.randrange(0x20, 0x7f)
    if r < 0.6: return R.randrange(0x80, 0x100)
    if r < 0.8: return R.choice([R.randrange(0x100, 0xd800), R.randrange(0xe000, 0x10000)])
    return R.randrange(0x10000, 0x110000)

def gen_float_bits(width):
    r = R.random()
    if width == 32:
        if r < 0.1: return R.choice([0x7fc00000, 0x7f800001, 0xffc00001, 0x7f800000, 0xff800000, 0, 0x80000000])
        return R.getrandbits(32)
    if r < 0.1: return R.choice([0x7ff8000000000000, 0x7ff0000000000001, 0xfff8000000000001, 0x7ff0000000000000, 0, 1 << 63])
    return R.getrandbits(64)

def gen_json(t, depth=0):
    k = t[0]
    if k == 'bool': return R.random() < 0.5
    if k in INT_RANGES:
        lo, hi = INT_RANGES[k]
        return str(R.choice([lo, hi, 0, -1 if lo < 0 else 1, R.randint(lo, hi)]))
    if k == 'f32': return str(gen_float_bits(32))
    if k == 'f64': return str(gen_float_bits(64))
    if k == 'char': return gen_char()
    if k == 'string':
        mode = R.random()
        n = R.choice([0, 1, 2, 3, 5, 8, 13])
        if mode < 0.35: s = ''.join(chr(R.randrange(0x20, 0x7f)) for _ in range(n))
        elif mode < 0.55: s = ''.join(chr(R.randrange(0x20, 0x100)) for _ in range(n))
        else: s = ''.join(chr(gen_char()) for _ in range(n))
        return s.encode('utf-8').hex()
    if k == 'list':
        n = t[2] if len(t) > 2 else R.choice([0, 1, 2, 3])
        return [gen_json(t[1], depth + 1) for _ in range(n)]
    if k in ('record', 'tuple'): return [gen_json(u, depth + 1) for u in t[1]]
    if k == 'map': return [[gen_json(t[1], depth + 1), gen_json(t[2], depth + 1)] for _ in range(R.choice([0, 1, 2]))]
    if k in ('variant', 'enum', 'option', 'result'):
        labels, payloads = case_labels(t)
        d = R.randrange(len(labels))
        p = payloads[d]
        return [d, None if p is None else gen_json(p, depth + 1)]
    if k == 'flags': return R.getrandbits(t[1])
    if k in ('own', 'borrow'): return R.getrandbits(32)
    raise ValueError(k)

def f32_of(bits): return struct.unpack('<f', struct.pack('<I', bits))[0]
def f64_of(bits): return struct.unpack('<d', struct.pack('<Q', bits))[0]
def bits_f32(f): return struct.unpack('<I', struct.pack('<f', f))[0]
def bits_f64(f): return struct.unpack('<Q', struct.pack('<d', f))[0]

def j2py(t, j):
    k = t[0]
    if k == 'bool': return j
    if k in INT_RANGES: return int(j)
    if k == 'f32': return f32_of(int(j))
    if k == 'f64': return f64_of(int(j))
    if k == 'char': return chr(j)
    if k == 'string':
        b = bytes.fromhex(j)
        return (b.decode('utf-8'), 'utf8', len(b))
    if k == 'list': return [j2py(t[1], e) for e in j]
    if k == 'record': return {'f%d' % i: j2py(u, e) for i, (u, e) in enumerate(zip(t[1], j))}
    if k == 'tuple': return {str(i): j2py(u, e) for i, (u, e) in enumerate(zip(t[1], j))}
    if k == 'map': return [{'0': j2py(t[1], e[0]), '1': j2py(t[2], e[1])} for e in j]
    if k in ('variant', 'enum', 'option', 'result'):
        labels, payloads = case_labels(t)
        d, p = j
        return {labels[d]: None if payloads[d] is None else j2py(payloads[d], p)}
    if k == 'flags': return {'g%d' % i: bool(j >> i & 1) for i in range(t[1])}
    if k in ('own', 'borrow'): return j
    raise ValueError(k)

def py2j(t, v):
    k = t[0]
    if k == 'bool': return bool(v)
    if k in INT_RANGES: return str(v)
    if k == 'f32': return str(bits_f32(v))
    if k == 'f64': return str(bits_f64(v))
    if k == 'char': return ord(v)
    if k == 'string': return v[0].encode('utf-8').hex()
    if k == 'list': return [py2j(t[1], e) for e in v]
    if k == 'record': return [py2j(u, v['f%d' % i]) for i, u in enumerate(t[1])]
    if k == 'tuple': return [py2j(u, v[str(i)]) for i, u in enumerate(t[1])]
    if k == 'map': return [[py2j(t[1], e['0']), py2j(t[2], e['1'])] for e in v]
    if k in ('variant', 'enum', 'option', 'result'):
        labels, payloads = case_labels(t)
        [(label, p)] = v.items()
        d = labels.index(label)
        return [d, None if payloads[d] is None else py2j(payloads[d], p)]
    if k == 'flags': return sum(1 << i for i in range(t[1]) if v['g%d' % i])
    if k in ('own', 'borrow'): return v
    raise ValueError(k)

# ---------------------------------------------------------------- the reference side

class Bump:
    """The guest realloc of both sides: a bump allocator; call `bad` misbehaves."""
    def __init__(self, mem, nxt, bad, badkind):
        self.mem, self.next, self.bad, self.badkind, self.calls = mem, nxt, bad, badkind, 0
    def __call__(self, old, old_size, align, new_size):
        a = align or 1
        p = -(-self.next // a) * a
        self.next = p + new_size
        n = min(old_size, new_size)
        L = len(self.mem.bytes)
        if n and p + n <= L and old + n <= L:  # old_size says whether a block moves (0 is an address)
            self.mem.bytes[p:p + n] = self.mem.bytes[old:old + n]
        call = self.calls
        self.calls += 1
        if call == self.bad: p = p + 1 if self.badkind == 0 else L + 8
        return p

ENCS = ['utf8', 'utf16', 'latin1+utf16']

def setup(case, env):
    mem = D.MemInst(bytearray(bytes.fromhex(case['mem'])), 'i32' if case['ps'] == 4 else 'i64')
    opts = D.CanonicalOptions()
    opts.memory = mem
    opts.string_encoding = ENCS[case['enc']]
    bump = Bump(mem, case['heap'], case['bad'], case['badkind'])
    opts.realloc = bump
    cx = D.LiftLowerContext(opts, env.inst)
    cx.reallocate = lambda old, osz, al, nsz: bump(old, osz, al, nsz)
    tbl = env.inst.handles
    for e in case['handles']:
        if e is None: h = D.ResourceHandle(env.rts[0], 0, True)
        else:
            h = D.ResourceHandle(env.rts[e[0]], e[1], bool(e[2]))
            h.num_lends = e[3]
        tbl.array.append(h)
    for i in case['free']:
        tbl.array[i] = None
        tbl.free.append(i)
    return cx, mem

def table_json(env):
    out = []
    for h in env.inst.handles.array[1:]:
        if h is None: out.append(None)
        else: out.append([env.rts.index(h.rt), h.rep, int(h.own), h.num_lends, int(h.borrow_scope is not None)])
    return out

def flat_json(ts_def, flat, opts, spilled):
    if spilled is not None: types = spilled
    else: types = D.flatten_types(ts_def, opts)
    out = []
    for ty, v in zip(types, flat):
        if isinstance(v, float): bits = bits_f32(v) if ty == 'f32' else bits_f64(v)
        else: bits = v
        out.append([ty, str(bits)])
    return out

def reference(case):
    """Run one case through definitions.py: the result in the driver's JSON form."""
    env = Env()
    cx, mem = setup(case, env)
    ts = case['types']
    ts_def = [to_def(t, env) for t in ts]
    op = case['op']
    try:
        if op == 'load':
            cx.borrow_scope = D.Subtask()
            vals = [D.load(cx, case['ptr'], ts_def[0])]
        elif op == 'store':
            cx.borrow_scope = D.Task(None, None, env.inst, None, None)
            D.store(cx, j2py(ts[0], case['vals'][0]), ts_def[0], case['ptr'])
        elif op == 'lift':
            cx.borrow_scope = D.Subtask()
            fv = []
            for ty, b in case['flat']:
                b = int(b)
                fv.append(f32_of(b) if ty == 'f32' else f64_of(b) if ty == 'f64' else b)
            vals = D.lift_flat_values(cx, case['max_flat'], D.CoreValueIter(fv), ts_def)
        else:
            cx.borrow_scope = D.Task(None, None, env.inst, None, None)
            vs = [j2py(t, v) for t, v in zip(ts, case['vals'])]
            outp = None if case['out_ptr'] is None else D.CoreValueIter([case['out_ptr']])
            flat = D.lower_flat_values(cx, case['max_flat'], vs, ts_def, outp)
    except D.Trap:
        return {'status': 'trap'}
    r = {'status': 'ok'}
    if op in ('load', 'lift'):
        r['vals'] = [py2j(t, v) for t, v in zip(ts, vals)]
        r['lenders'] = [env.inst.handles.array.index(h) for h in cx.borrow_scope.lenders]
    else:
        r['mem'] = mem.bytes.hex()
        if op == 'store': r['flat'] = []
        else:
            spilled = None
            if len(D.flatten_types(ts_def, cx.opts)) > case['max_flat']:
                spilled = [cx.opts.memory.ptr_type()] if case['out_ptr'] is None else []
            r['flat'] = flat_json(ts_def, flat, cx.opts, spilled)
        r['num_borrows'] = cx.borrow_scope.num_borrows
    r['handles'] = table_json(env)
    return r

# ---------------------------------------------------------------- case generation

def size_align(t, ps):
    env = Env()
    d = to_def(t, env)
    pt = 'i32' if ps == 4 else 'i64'
    return D.elem_size(d, pt), D.alignment(d, pt)

def gen_table():
    n = R.choice([0, 0, 1, 2, 4, 6])
    hs = []
    for _ in range(n):
        hs.append([R.randrange(2), R.getrandbits(32), int(R.random() < 0.8), R.choice([0, 0, 0, 1])])
    free = []
    if n and R.random() < 0.3:
        free = R.sample(range(1, n + 1), R.randrange(1, n + 1))
        for i in free: hs[i - 1] = None
    return hs, free

def mutate_hex(h, k):
    b = bytearray(bytes.fromhex(h))
    for _ in range(k):
        if not b: break
        i = R.randrange(len(b))
        b[i] = R.choice([0, 0xff, 0x80, R.getrandbits(8), b[i] ^ (1 << R.randrange(8))])
    return b.hex()

def base_case(op, types):
    ps = 4 if R.random() < 0.8 else 8
    hs, free = gen_table()
    return {'op': op, 'ps': ps, 'enc': R.randrange(3), 'types': types, 'handles': hs, 'free': free,
            'bad': -1, 'badkind': 0, 'max_flat': 16}

def gen_case():
    r = R.random()
    if r < 0.3: op = 'store'
    elif r < 0.6: op = 'load'
    elif r < 0.8: op = 'lower'
    else: op = 'lift'
    if op in ('store', 'load'): types = [gen_type()]
    else: types = [gen_type(1) for _ in range(R.choice([0, 1, 1, 2, 3, 5]))]
    c = base_case(op, types)
    vals = [gen_json(t) for t in types]
    if op in ('store', 'load'):
        size, align = size_align(types[0], c['ps'])
        memlen = R.choice([64, 128, 256, 512, 1024])
        memlen = max(memlen, size + 16)
        ptr = R.randrange(0, memlen - size + 1) // align * align
        c['ptr'] = ptr
        mem = bytes(memlen) if R.random() < 0.7 else bytes(R.getrandbits(8) for _ in range(memlen))
        c['mem'] = mem.hex()
        c['heap'] = R.randrange(0, memlen)
        if R.random() < 0.9: c['heap'] = min(c['heap'], memlen // 2)
        c['vals'] = vals
        if op == 'store':
            if R.random() < 0.1: c['bad'], c['badkind'] = R.randrange(3), R.randrange(2)
            return c
        # load: the memory a reference store left, then a few mutations
        c2 = dict(c, op='store')
        res = reference(c2)
        if res['status'] != 'ok': return None
        c['mem'] = mutate_hex(res['mem'], R.choice([0, 0, 0, 1, 2, 3]))
        hs = res['handles']
        c['handles'] = [None if h is None else h[:4] for h in hs]
        c['free'] = [i + 1 for i, h in enumerate(hs) if h is None]
        R.shuffle(c['free'])
        del c['vals']
        return c
    memlen = R.choice([256, 512, 1024])
    c['mem'] = bytes(memlen).hex()
    c['heap'] = R.randrange(0, memlen // 2)
    c['max_flat'] = R.choice([16, 16, 1, 4])
    c['out_ptr'] = None
    c['vals'] = vals
    if op == 'lower':
        if R.random() < 0.5:
            env = Env()
            tt = D.TupleType([to_def(t, env) for t in types])
            pt = 'i32' if c['ps'] == 4 else 'i64'
            if types:
                size, align = D.elem_size(tt, pt), D.alignment(tt, pt)
                c['out_ptr'] = R.randrange(0, memlen - size + 1) // align * align if R.random() < 0.95 else memlen
        if R.random() < 0.1: c['bad'], c['badkind'] = R.randrange(3), R.randrange(2)
        return c
    # lift: the flat values a reference lowering produced, then a few mutations
    c2 = dict(c, op='lower')
    res = reference(c2)
    if res['status'] != 'ok': return None
    flat = res['flat']
    for _ in range(R.choice([0, 0, 1, 2])):
        if not flat: break
        i = R.randrange(len(flat))
        ty = flat[i][0]
        bits = {'i32': 32, 'f32': 32, 'i64': 64, 'f64': 64}[ty]
        flat[i][1] = str(R.choice([0, 1, 2, 0xff, (1 << bits) - 1, R.getrandbits(bits), R.getrandbits(8)]))
    c['flat'] = flat
    c['mem'] = mutate_hex(res['mem'], R.choice([0, 0, 1, 2]))
    hs = res['handles']
    c['handles'] = [None if h is None else h[:4] for h in hs]
    c['free'] = [i + 1 for i, h in enumerate(hs) if h is None]
    R.shuffle(c['free'])
    del c['vals']
    return c

# ---------------------------------------------------------------- main

def main():
    t0 = time.time()
    cases = []
    while len(cases) < args.cases:
        c = gen_case()
        if c is not None: cases.append(c)
    expected = []
    for c in cases:
        try: expected.append(reference(c))
        except Exception as e:  # an assertion of the reference: the generator broke a precondition
            expected.append({'status': 'harness', 'msg': '%s: %s' % (type(e).__name__, e)})
    t1 = time.time()
    with tempfile.TemporaryFile('w+') as f:
        for c in cases: f.write(json.dumps(c, separators=(',', ':')) + '\n')
        f.seek(0)
        p = subprocess.run([args.driver], stdin=f, capture_output=True, text=True)
    got = p.stdout.splitlines()
    t2 = time.time()
    passed = failed = 0
    per = {}
    traps = {}
    shown = 0
    for i, c in enumerate(cases):
        e = expected[i]
        try:
            g = json.loads(got[i])
        except (IndexError, ValueError):
            g = {'status': 'missing', 'msg': 'driver died (rc %d): %s' % (p.returncode, p.stderr[-300:])}
        ok = e['status'] == g['status'] and all(e.get(k) == g.get(k) for k in e if k not in ('status', 'msg'))
        st = per.setdefault(c['op'], [0, 0, 0])
        if g.get('status') == 'trap':
            m = re.sub(r'\d+', 'N', g.get('msg', ''))
            traps[m] = traps.get(m, 0) + 1
        if ok:
            passed += 1
            st[0] += 1
            if e['status'] == 'trap': st[2] += 1
        else:
            failed += 1
            st[1] += 1
            if shown < args.show:
                shown += 1
                print('FAIL case %d: %s' % (i, json.dumps(c)[:1500]))
                print('  reference: %s' % json.dumps(e)[:1500])
                print('  canonabi:  %s' % json.dumps(g)[:1500])
    if p.returncode != 0 or p.stderr.strip():
        failed += 1
        print('driver exited with %d: %s' % (p.returncode, p.stderr[-1000:]))
    for op in sorted(per):
        print('%-6s %d passed (%d of them traps), %d failed' % (op, per[op][0], per[op][2], per[op][1]))
    print('trap reasons (canonabi): ' + '; '.join('%s: %d' % kv for kv in sorted(traps.items())))
    print('seed %d; reference %.1fs, canonabi %.1fs' % (args.seed, t1 - t0, t2 - t1))
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0

sys.exit(main())
