#!/usr/bin/env python3
"""Compare our text parser (wat-comp-parse) with reference binaries.

usage: wat-comp-check.py TOOL WORKDIR LISTFILE [--verbose]

LISTFILE lines: label, input text, expected binary, scope note, alternative
expected binary (tab separated; the last two may be empty). All inputs are
parsed in one wat-comp-parse process. A case
  - passes when our bytes equal the expected binary;
  - also passes, listed as "PEER", when the expected binary cannot come from
    its text (hand-written binary source) and our bytes equal the alternative
    (wasm-tools parse of the same text);
  - is skipped when the expected binary is missing (the reference parser
    rejects the text; reason listed), when it has a scope note (core
    features beyond WebAssembly 2.0) and our parser rejects it, or when the
    only differences (or the parse error) are inside nested core modules,
    whose encoder (lib/encode/wat_core*.c) is tested elsewhere; a scope
    note "core module" marks a top-level core module text (same rule);
  - fails otherwise (reason listed).
Ends with "N passed, N failed, N skipped"; exit 1 on any failure.
"""
import os, subprocess, sys

tool, work, listfile = sys.argv[1:4]
verbose = '--verbose' in sys.argv
os.makedirs(work, exist_ok=True)
cases = []
with open(listfile) as f:
    for line in f:
        parts = line.rstrip('\n').split('\t')
        if len(parts) < 3:
            continue
        parts += [''] * (5 - len(parts))
        label, src, want, note, alt = parts[:5]
        out = os.path.join(work, '%d.wasm' % len(cases))
        cases.append((label, src, want, note, alt, out))
batch = os.path.join(work, 'batch.txt')
with open(batch, 'w') as f:
    for c in cases:
        f.write('%s\t%s\n' % (c[1], c[5]))
p = subprocess.run([tool, '-l', batch], capture_output=True, timeout=900)
status = {}
for line in p.stdout.decode(errors='replace').splitlines():
    if line.startswith('ok '):
        status[line[3:]] = 'ok'
    elif line.startswith('error '):
        src, _, msg = line[6:].partition(': ')
        status[src] = msg

def leb(b, i):
    v = sh = 0
    while True:
        c = b[i]; i += 1
        v |= (c & 0x7f) << sh; sh += 7
        if c < 0x80:
            return v, i

def sections(b):
    """Top-level sections of a component/module binary: [(id, payload)]."""
    out, i = [], 8
    try:
        while i < len(b):
            sid = b[i]; n, j = leb(b, i + 1)
            out.append((sid, b[j:j + n])); i = j + n
    except IndexError:
        out.append((-1, b[i:]))
    return out

def where(got, exp, path='component'):
    """Describe the first difference: inside a nested core module, or at a component section."""
    a, b = sections(got), sections(exp)
    for k in range(max(len(a), len(b))):
        if k >= len(a) or k >= len(b):
            return '%s: section count %d vs %d' % (path, len(a), len(b))
        if a[k] == b[k]:
            continue
        if a[k][0] == b[k][0] == 1:
            return '%s: nested core module (section %d)' % (path, k)
        if a[k][0] == b[k][0] == 4:
            return where(a[k][1], b[k][1], '%s/component(section %d)' % (path, k))
        return '%s: section %d (id %d vs %d)' % (path, k, a[k][0], b[k][0])
    return path + ': same sections?'

def core_only(got, exp):
    """True when two component binaries differ only inside nested core modules."""
    if got[4:8] != b'\x0d\x00\x01\x00' or exp[4:8] != b'\x0d\x00\x01\x00':
        return False
    a, b = sections(got), sections(exp)
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if x == y:
            continue
        if x[0] == y[0] == 1:
            continue
        if x[0] == y[0] == 4 and core_only(x[1], y[1]):
            continue
        return False
    return True

def read(path):
    with open(path, 'rb') as f:
        return f.read()

passed = failed = skipped = 0
fails, skips, peers = [], [], []
CORE = 'nested core module not encoded as wasm-tools does (lib/encode/wat_core*.c, not this suite\'s subject)'
for label, src, want, note, alt, out in cases:
    if not os.path.exists(want):
        skipped += 1
        if os.path.exists(want + '.err'):
            why = read(want + '.err').decode(errors='replace').strip()[:200]
            skips.append('%s: no reference binary (reference parser rejects the text: %s)' % (label, why))
        else:
            skips.append('%s: no reference binary (not generated: the corpus generator rejected it)' % label)
        continue
    st = status.get(src, 'no result (tool crashed? rc=%s)' % p.returncode)
    if st != 'ok':
        if note == 'core module':
            skipped += 1
            skips.append('%s: %s; error: %s' % (label, CORE, st.strip()[-200:]))
        elif note:
            skipped += 1
            skips.append('%s: out of scope (%s); our parser: %s' % (label, note, st.strip()[-200:]))
        elif 'core module: ' in st:
            skipped += 1
            skips.append('%s: %s; error: %s' % (label, CORE, st.strip()[-200:]))
        else:
            failed += 1
            fails.append('%s: parse error: %s' % (label, st.strip()[-300:]))
        continue
    got, exp = read(out), read(want)
    if got == exp:
        passed += 1
        continue
    a = read(alt) if alt and os.path.exists(alt) else None
    if a is not None and a != exp and got == a:
        passed += 1
        peers.append('%s: equals wasm-tools parse of the same text; the original binary is not reproducible from '
                     'its text (original vs wasm-tools: first difference in %s)' % (label, where(a, exp)))
        continue
    if note == 'core module' or core_only(got, exp) or (a is not None and core_only(got, a)):
        skipped += 1
        skips.append('%s: %s; component-level sections equal%s' % (
            label, CORE, ' to wasm-tools parse of the same text' if a is not None and not core_only(got, exp) else ''))
        continue
    failed += 1
    n = next((i for i in range(min(len(got), len(exp))) if got[i] != exp[i]), min(len(got), len(exp)))
    w = where(got, exp) if got[4:8] == b'\x0d\x00\x01\x00' else 'core module'
    fails.append('%s: bytes differ at offset %d (ours %d bytes, expected %d); first difference in %s'
                 % (label, n, len(got), len(exp), w))
for s in peers:
    print('PEER', s)
for s in skips:
    print('SKIP', s)
for s in (fails if verbose else fails[:60]):
    print('FAIL', s)
if not verbose and len(fails) > 60:
    print('... %d more failures (VERBOSE=1 lists all)' % (len(fails) - 60))
print('%d passed, %d failed, %d skipped' % (passed, failed, skipped))
sys.exit(1 if failed else 0)
