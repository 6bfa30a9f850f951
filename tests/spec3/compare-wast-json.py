# Compare tests/tools/wast-json's output with wabt wast2json 1.0.32's (--no-check --enable-all) on
# every ../shared/corpora/spec-core-3.0 .wast both convert: commands (the "expected" result types
# wast2json adds to assert_trap/assert_exhaustion/action are counted apart: the runners ignore
# them), quoted text modules, and binaries (equal bytes, and equal without custom sections: wabt
# writes no name section). Not a suite (a measurement for convert3.sh's choice of converter).
#   python3 tests/spec3/compare-wast-json.py   (from the checkout; BUILD=build; writes $TMPDIR)
import json, os, subprocess, sys, glob, tempfile
C = '../shared/corpora/spec-core-3.0'
WJ = os.environ.get('BUILD', 'build') + '/tests/tools/wast-json'
out = tempfile.mkdtemp(prefix='wast-json-cmp.')
def uleb(b, i):
    v = s = 0
    while True:
        x = b[i]; i += 1; v |= (x & 0x7f) << s; s += 7
        if not x & 0x80: return v, i
def strip(b):
    try: return strip1(b)
    except IndexError: return b
def strip1(b):
    if b[:4] != b'\0asm': return b
    o = bytearray(b[:8]); i = 8
    while i < len(b):
        sid = b[i]; sz, j = uleb(b, i + 1)
        if sid != 0: o += b[i:j + sz]
        i = j + sz
    return bytes(o)
files = sorted(glob.glob(C + '/*.wast')) + sorted(glob.glob(C + '/legacy/*.wast'))
tot = dict(files=0, both=0, cmds=0, cmd_same=0, bins=0, bin_same=0, bin_same_strip=0, texts=0, text_same=0)
diffs = []
for f in files:
    n = os.path.basename(f)[:-5]
    a = f'{out}/w/{n}'; b = f'{out}/k/{n}'
    os.makedirs(a, exist_ok=True); os.makedirs(b, exist_ok=True)
    tot['files'] += 1
    r1 = subprocess.run(['wast2json', '--no-check', '--enable-all', f, '-o', f'{a}/{n}.json'], capture_output=True)
    r2 = subprocess.run([WJ, f, '-o', f'{b}/{n}.json'], capture_output=True)
    if r1.returncode or r2.returncode:
        if r1.returncode == 0: diffs.append(f'{n}: wast-json fails: {r2.stderr.decode()[:200]}')
        continue
    tot['both'] += 1
    ja = json.load(open(f'{a}/{n}.json')); jb = json.load(open(f'{b}/{n}.json'))
    ca, cb = ja['commands'], jb['commands']
    if len(ca) != len(cb):
        diffs.append(f'{n}: {len(ca)} vs {len(cb)} commands'); continue
    for x, y in zip(ca, cb):
        tot['cmds'] += 1
        fx, fy = x.pop('filename', None), y.pop('filename', None)
        mx, my = x.get('module_type', 'binary'), y.get('module_type', 'binary')
        x.pop('module_type', None); y.pop('module_type', None)
        if x.get('type') in ('assert_trap', 'assert_exhaustion', 'action'):
            if x.get('expected') != y.get('expected'): tot['trap_expected_types'] = tot.get('trap_expected_types', 0) + 1
            x.pop('expected', None); y.pop('expected', None)
        if x == y: tot['cmd_same'] += 1
        else: diffs.append(f'{n}:{x.get("line")}: json {json.dumps(x)[:300]} VS {json.dumps(y)[:300]}')
        if fx and fy:
            bx = open(f'{a}/{fx}', 'rb').read(); by = open(f'{b}/{fy}', 'rb').read()
            if mx == 'text' or my == 'text':
                tot['texts'] += 1
                if mx == my and bx.strip() == by.strip(): tot['text_same'] += 1
                else: diffs.append(f'{n}:{x.get("line")}: module_type {mx} vs {my}')
                continue
            tot['bins'] += 1
            if bx == by: tot['bin_same'] += 1
            if strip(bx) == strip(by): tot['bin_same_strip'] += 1
            else: diffs.append(f'{n}:{x.get("line")}: binary differs ({len(bx)} vs {len(by)} bytes) {a}/{fx} {b}/{fy}')
print(json.dumps(tot))
open(out + '/diffs.txt', 'w').write('\n'.join(diffs) + '\n')
print(len(diffs), 'differences in', out + '/diffs.txt')
