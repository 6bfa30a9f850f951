#!/usr/bin/env bash
# Hostile input: truncations and random byte flips of the real components (C,
# Rust and JS, from tests/component/build-real.sh) and of the valid corpus
# components must never crash winspect in any mode: every run
# exits 0 or 1 (never a signal, never 2+, never a timeout), and exits 1
# exactly when it reports an error (a `winspect: error:` line on stderr; an
# `error:` line in the tree or an "error" in the JSON output is one too). Run it under the
# ASan build too:  make BUILD=build-asan-comp CFLAGS="$ASAN_FLAGS" ... ;
# BUILD=build-asan-comp bash tests/component/suite-hostile.sh
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
W=$BUILD/bin/winspect
SRC=${HOSTILE_SRC:-}
OUT=$BUILD/tests/component-hostile
mkdir -p "$OUT"
bash tests/component/build-real.sh || { echo "0 passed, 1 failed"; exit 1; }
bash tests/component/gen-corpus.sh || { echo "0 passed, 1 failed"; exit 1; }
inputs=("$BUILD/tests/component-real/hello-c.wasm" "$BUILD/tests/component-real/hello-rs.wasm"
        "$BUILD/tests/component-real/hello-js.wasm" $SRC)
python3 - "$W" "$OUT" "${inputs[@]}" > "$OUT/procs.log" <<'PY'
import os, random, re, subprocess, sys
w, out, inputs = sys.argv[1], sys.argv[2], sys.argv[3:]
rng = random.Random(20261121)
modes = [[], ['--validate'], ['--roundtrip'], ['--json'], ['--sections'], ['--wit'], ['print']]
passed = failed = 0
def run(data, tag):
    global passed, failed
    path = os.path.join(out, 'case.wasm')
    with open(path, 'wb') as f:
        f.write(data)
    for m in modes:
        try:
            p = subprocess.run([w] + m + [path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
            rc = p.returncode
        except subprocess.TimeoutExpired:
            rc = 'timeout'
        reported = rc != 'timeout' and (b'winspect: error:' in p.stderr or
                                        (m in ([], ['--json']) and re.search(rb'^\s*error: |^\s*"error":', p.stdout, re.M)))
        if rc in (0, 1) and b'AddressSanitizer' not in p.stderr and b'runtime error' not in p.stderr and \
           (rc == 1) == bool(reported) and (rc != 1 or b'winspect: error:' in p.stderr):
            passed += 1
        else:
            failed += 1
            keep = os.path.join(out, 'crash-%d.wasm' % failed)
            with open(keep, 'wb') as f:
                f.write(data)
            print('CRASH' if rc not in (0, 1) else 'EXIT', tag, m, rc, p.stderr[-300:] if rc != 'timeout' else '', '->', keep)
for src in inputs:
    data = open(src, 'rb').read()
    n = len(data)
    big = n > 1 << 20
    # truncations: every prefix length near the start, then spread over the file
    cuts = list(range(0, min(n, 64))) + sorted(rng.sample(range(n), 40 if big else 200))
    for c in cuts:
        run(data[:c], '%s[:%d]' % (os.path.basename(src), c))
    # byte flips in the component-level bytes (sections outside big core modules matter most)
    hot = min(n, 4096)
    for k in range(60 if big else 300):
        b = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(hot) if rng.random() < 0.7 else rng.randrange(n)
            b[i] = rng.randrange(256)
        run(bytes(b), '%s flip#%d' % (os.path.basename(src), k))
print('%d passed, %d failed' % (passed, failed))
sys.exit(1 if failed else 0)
PY
rc=$?
cat "$OUT/procs.log"
read -r p f < <(grep -Eo '^[0-9]+ passed, [0-9]+ failed' "$OUT/procs.log" | tail -1 | sed -E 's/([0-9]+) passed, ([0-9]+) failed/\1 \2/')
p=${p:-0}; f=${f:-1}
# The defect of issue 10 item 7: a truncated core module (a type section whose size runs 15 bytes past
# the end) is reported as an error and must exit 1 in the default (tree) mode, with FILE:OFFSET.
printf '\0asm\1\0\0\0\1\x10\1' > "$OUT/trunc.wasm"
"$W" "$OUT/trunc.wasm" > "$OUT/trunc.out" 2> "$OUT/trunc.err"; trc=$?
if [ $trc = 1 ] && grep -q "^winspect: error: $OUT/trunc.wasm:0xa: section size mismatch" "$OUT/trunc.err"; then
  p=$((p+1)); echo "truncated module: exit 1 with FILE:0xa: ok"
else
  f=$((f+1)); rc=1; echo "FAIL truncated module: exit $trc, stderr: $(head -c 200 "$OUT/trunc.err")"
fi
# In-process mutations of every corpus component and both real ones (decode, byte-exact
# re-encode of every decodable mutant, validate, print, WIT): tests/unit/test_component_fuzz.c
if [ -x "$BUILD/tests/test_component_fuzz" ] && [ -d "$BUILD/tests/component-val" ]; then
  if BUILD=$BUILD "$BUILD/tests/test_component_fuzz" > "$OUT/inproc.log" 2>&1 && grep -q 'PASSED  \] 1' "$OUT/inproc.log"; then
    echo "in-process: $(grep mutants "$OUT/inproc.log")"; p=$((p+1))
  else
    tail -20 "$OUT/inproc.log"; f=$((f+1)); rc=1
  fi
else
  echo "in-process mutation test not run: needs $BUILD/tests/test_component_fuzz and the corpus binaries (suite-validation.sh)"
  f=$((f+1)); rc=1
fi
echo "$p passed, $f failed"
exit $rc
