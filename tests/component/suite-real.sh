#!/usr/bin/env bash
# Real components: a C and a Rust preview1 program turned into components by
# `jco new` with the preview1 command adapter jco ships, and a JS component
# built by componentize-js. Checks: decode -> encode byte-exact, validation, the tree
# and --json of the 12 MB JS component, its tree in under 100 ms, and
# `winspect --wit` against `jco wit` (when --wit is available).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
W=$BUILD/bin/winspect
NM=$PWD/scripts/npm/node_modules
JCO=$NM/.bin/jco
OUT=$BUILD/tests/component-real
mkdir -p "$OUT"
pass=0; fail=0
ok() { pass=$((pass+1)); echo "ok   $*"; }
bad() { fail=$((fail+1)); echo "FAIL $*"; }

bash tests/component/build-real.sh || bad "build the real components"

for c in hello-c hello-rs hello-js; do
  f=$OUT/$c.wasm
  [ -f "$f" ] || { bad "$c: not built"; continue; }
  if "$W" --roundtrip "$f"; then ok "$c: decode -> encode byte-exact"; else bad "$c: roundtrip"; fi
  if "$W" --validate "$f"; then ok "$c: validates"; else bad "$c: validation"; fi
  # jco's own validator agrees that the component is valid (oracle for the line above)
  if "$JCO" print "$f" >/dev/null 2>&1; then ok "$c: jco print accepts it"; else bad "$c: jco print"; fi
  if "$W" "$f" > "$OUT/$c.tree" && grep -q '^component' "$OUT/$c.tree" && grep -q '^  core module' "$OUT/$c.tree"; then
    ok "$c: tree"
  else bad "$c: tree"; fi
  # imports/exports in the tree match jco's WIT view of the component
  n_im=$(sed -n 's/^  imports: \([0-9]*\)$/\1/p' "$OUT/$c.tree")
  "$JCO" wit "$f" > "$OUT/$c.jco.wit" 2>/dev/null
  j_im=$(grep -cE '^\s+import ' "$OUT/$c.jco.wit")
  if [ "$n_im" = "$j_im" ]; then ok "$c: $n_im imports, as jco wit"; else bad "$c: imports $n_im vs jco wit $j_im"; fi
  if "$W" --json "$f" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["kind"]=="component" and d["children"]'; then
    ok "$c: --json parses"
  else bad "$c: --json"; fi
  if "$W" --sections "$f" | grep -q 'CoreModule'; then ok "$c: --sections"; else bad "$c: --sections"; fi
  # the tree's components/modules, byte ranges and producers = wasm-tools metadata show (via jco)
  "$W" --json "$f" > "$OUT/$c.json"
  if "$JCO" metadata-show "$f" --json > "$OUT/$c.meta.json" 2>/dev/null &&
     python3 tests/component/metacmp.py "$OUT/$c.json" "$OUT/$c.meta.json" > "$OUT/$c.metacmp" 2>&1; then
    ok "$c: tree = jco metadata-show ($(cat "$OUT/$c.metacmp"))"
  else bad "$c: tree differs from jco metadata-show: $(head -3 "$OUT/$c.metacmp")"; fi
  if "$W" --wit "$f" > "$OUT/$c.wit" 2>"$OUT/$c.wit.err"; then
    if python3 tests/component/witcmp.py "$OUT/$c.jco.wit" "$OUT/$c.wit"; then ok "$c: --wit matches jco wit"; else bad "$c: --wit differs from jco wit"; fi
  else
    bad "$c: --wit: $(head -1 "$OUT/$c.wit.err")"
  fi
done

# Signed components: wsign adds a `signature` custom section first (wsign verify is the oracle).
WS=$BUILD/bin/wsign
if [ -x "$WS" ]; then
  "$WS" keygen -o "$OUT/key.pem" -p "$OUT/key.pub" >/dev/null 2>&1
  for c in hello-c hello-rs; do
    [ -f "$OUT/$c.wasm" ] || { bad "$c: not built, cannot sign"; continue; }
    if "$WS" sign -k "$OUT/key.pem" -o "$OUT/$c.signed.wasm" "$OUT/$c.wasm" >/dev/null 2>&1 &&
       "$WS" verify -K "$OUT/key.pub" "$OUT/$c.signed.wasm" >/dev/null 2>&1; then
      if "$W" "$OUT/$c.signed.wasm" | grep -q '^  signed: yes' && "$W" "$OUT/$c.wasm" | grep -q '^  signed: no' &&
         "$W" --roundtrip "$OUT/$c.signed.wasm" && "$W" --validate "$OUT/$c.signed.wasm"; then
        ok "signed $c: tree says signed, unsigned says not; signed one round-trips and validates"
      else bad "signed $c"; fi
    else bad "wsign could not sign/verify $c"; fi
  done
else
  bad "signed-component check: $WS not built"
fi

# --sections on core modules matches wasm-objdump -h (wabt) line for line (modulo leading spaces)
for m in "$OUT/hello.core.wasm" "$OUT/hello-rs.core.wasm" "$NM/@bytecodealliance/jco/lib/wasi_snapshot_preview1.command.wasm"; do
  [ -f "$m" ] || { bad "missing $m"; continue; }
  if diff <(wasm-objdump -h "$m" | sed -n '/^Sections:/,$p' | sed 's/^ *//' | grep .) \
          <("$W" --sections "$m" | sed 's/^ *//' | grep .) >/dev/null; then
    ok "--sections of $(basename "$m") = wasm-objdump -h"
  else bad "--sections of $(basename "$m") differs from wasm-objdump -h"; fi
done

# `winspect print` = `jco print` (wasm-tools print), modulo blank lines, for the components,
# the C and Rust core modules and jco's preview1 adapter module
for m in "$OUT/hello-c.wasm" "$OUT/hello-rs.wasm" "$OUT/hello-js.wasm" "$OUT/hello.core.wasm" \
         "$OUT/hello-rs.core.wasm" "$NM/@bytecodealliance/jco/lib/wasi_snapshot_preview1.command.wasm"; do
  [ -f "$m" ] || continue
  n=$(basename "$m" .wasm)
  timeout 600 "$JCO" print "$m" 2>/dev/null | grep . > "$OUT/$n.jco.wat"
  "$W" print "$m" | grep . > "$OUT/$n.wat"
  if [ -s "$OUT/$n.wat" ] && cmp -s "$OUT/$n.jco.wat" "$OUT/$n.wat"; then
    ok "print $n = jco print ($(wc -l < "$OUT/$n.wat") lines)"
  else bad "print $n differs from jco print: $(diff "$OUT/$n.jco.wat" "$OUT/$n.wat" | grep -c '^<') lines"; fi
done

# Speed: the tree of the 12 MB JS component in under 100 ms (best of 5).
f=$OUT/hello-js.wasm
if [ -f "$f" ]; then
  best=$(python3 - "$W" "$f" <<'PY'
import subprocess, sys, time
best = 1e9
for _ in range(5):
    t = time.perf_counter(); subprocess.run([sys.argv[1], sys.argv[2]], stdout=subprocess.DEVNULL, check=True)
    best = min(best, time.perf_counter() - t)
print(int(best * 1000))
PY
)
  size=$(stat -c %s "$f")
  if [ "$best" -lt 100 ]; then ok "tree of $size-byte JS component in $best ms"; else bad "tree took $best ms"; fi
fi
# a report that cannot be written (stdout on a full device) is an error, not a silent exit 0
f=$BUILD/tests/component-real/hello-c.wasm
if [ -f "$f" ] && [ -w /dev/full ]; then
  for m in "" --wit --json; do
    "$W" $m "$f" >/dev/full 2>"$BUILD/tests/full.err"; rc=$?
    if [ $rc -eq 1 ] && grep -q '^winspect: error: cannot write to stdout: No space left on device' "$BUILD/tests/full.err"; then
      ok "winspect ${m:-(tree)} to a full device: exit 1, said"
    else bad "winspect ${m:-(tree)} to /dev/full: exit $rc, $(head -c 200 "$BUILD/tests/full.err")"; fi
  done
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
