#!/usr/bin/env bash
# `wcompose opt` (binaryen over the core modules of a component) on real components:
# the C, Rust and JS components tests/component/build-real.sh builds and
# ../shared/python/py-greeter.component.wasm, each optimized at -O2 and -Oz. For each result:
#   - wcompose opt exits 0; the result validates (`winspect --validate`) and jco's validator
#     (wasm-tools via `jco wit`) reads it;
#   - its WIT is unchanged (`winspect --wit` and `jco wit`, against the original's);
#   - it runs with output identical to the original: commands (C, Rust) under `jco run`, the
#     JS and Python components through `jco transpile` + node calling their exports;
#   - its producers section names wcompose (processed-by).
# Also: a plain core module; --pass; `wcompose new --optimize`; a module binaryen cannot read
# (two memories: binaryen 108 lacks multi-memory) is left as it was with a note; determinism;
# usage errors; truncated and mutated inputs give an error, never a crash.
#   COMPONENTS="hello-c hello-rs" LEVELS="O2" bash tests/compose/suite-opt.sh   (a quick subset)
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
WC=${WC:-$BUILD/bin/wcompose}  # WC=build-asan/bin/wcompose runs the suite under ASan
WI=$BUILD/bin/winspect
NM=$PWD/scripts/npm/node_modules
JCO=$NM/.bin/jco
R=$BUILD/tests/component-real
PY=../shared/python/py-greeter.component.wasm
COMPONENTS=${COMPONENTS:-hello-c hello-rs hello-js py-greeter}
LEVELS=${LEVELS:-O2 Oz}
for t in "$WC" "$WI" "$JCO"; do
  [ -x "$t" ] || { echo "missing $t (run make / scripts/setup.sh)"; echo "0 passed, 1 failed"; exit 1; }
done
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); echo "ok   $*"; }
bad() { fail=$((fail+1)); echo "FAIL $*"; }

mkdir -p "$R"
bash tests/component/build-real.sh || bad "build the real components (tests/component/build-real.sh)"

src() { case $1 in py-greeter) echo "$PY" ;; *) echo "$R/$1.wasm" ;; esac; }

# Run component $2 the way its kind allows, output to stdout.
cat > "$TMP/call-js.mjs" <<'EOF'
const m = await import(process.argv[2]);
const g = m.greet;
console.log(g.greet('world'));
console.log(JSON.stringify(g.area({ tag: 'circle', val: 2 })), JSON.stringify(g.area({ tag: 'rect', val: { x: 3, y: 4 } })));
try { g.area({ tag: 'none' }); } catch (e) { console.log('err', JSON.stringify(e.payload ?? String(e))); }
console.log(m.add(40, 2));
EOF
cat > "$TMP/call-py.mjs" <<'EOF'
const m = await import(process.argv[2]);
console.log(m.greet.greet('world'));
console.log(m.greet.greet('héllo ✓'));
EOF
ln -s "$NM" "$TMP/node_modules"   # transpiled JS imports @bytecodealliance/preview2-shim
run() { # name file tag
  local p; p=$(realpath "$2")
  case $1 in
    hello-c|hello-rs) (cd "$TMP" && HOME=/home/x timeout 120 "$JCO" run "$p" one two 2>&1) ;;
    *) local d=$TMP/js-$3
       rm -rf "$d"
       timeout 300 "$JCO" transpile "$p" -o "$d" --name comp >"$TMP/transpile.log" 2>&1 ||
         { echo "transpile failed: $(head -2 "$TMP/transpile.log")"; return 1; }
       local script=call-js.mjs; [ "$1" = py-greeter ] && script=call-py.mjs
       (cd "$TMP" && timeout 120 node "$TMP/$script" "$d/comp.js" 2>&1) ;;
  esac
}

for c in $COMPONENTS; do
  f=$(src "$c")
  [ -f "$f" ] || { bad "$c: input $f missing"; continue; }
  "$WI" --wit "$f" > "$TMP/$c.wit" 2>&1 || bad "$c: winspect --wit of the original"
  "$JCO" wit "$f" > "$TMP/$c.jco.wit" 2>&1 || bad "$c: jco wit of the original"
  run "$c" "$f" "$c-orig" > "$TMP/$c.out"; orc=$?
  [ $orc -eq 0 ] && [ -s "$TMP/$c.out" ] || bad "$c: the original does not run ($(head -1 "$TMP/$c.out"))"
  for l in $LEVELS; do
    o=$TMP/$c.$l.wasm
    if "$WC" opt "$f" -o "$o" -$l --stats > "$TMP/$c.$l.log" 2>&1; then
      ok "$c -$l: wcompose opt ($(grep 'total:' "$TMP/$c.$l.log" | sed 's/.*total: //'))"
    else bad "$c -$l: wcompose opt failed: $(grep -m1 error "$TMP/$c.$l.log")"; continue; fi
    if "$WI" --validate "$o" 2> "$TMP/v.err"; then ok "$c -$l: validates"; else bad "$c -$l: invalid: $(head -1 "$TMP/v.err")"; fi
    if "$WI" --wit "$o" 2>&1 | cmp -s - "$TMP/$c.wit"; then ok "$c -$l: WIT unchanged (winspect --wit)"; else bad "$c -$l: WIT changed"; fi
    if "$JCO" wit "$o" 2>&1 | cmp -s - "$TMP/$c.jco.wit"; then ok "$c -$l: jco wit reads it, unchanged"; else bad "$c -$l: jco wit differs"; fi
    if "$JCO" metadata-show "$o" --json 2>/dev/null | python3 -c '
import json,sys
d=json.load(sys.stdin)
p=[v for f in d[0].get("producers",[]) if f[0]=="processed-by" for v in f[1]]
sys.exit(0 if any(n=="wcompose" for n,_ in p) else 1)'; then
      ok "$c -$l: the component's producers: processed-by wcompose"
    else bad "$c -$l: no processed-by wcompose in the producers"; fi
    run "$c" "$o" "$c-$l" > "$TMP/$c.$l.out"
    if [ $orc -eq 0 ] && cmp -s "$TMP/$c.out" "$TMP/$c.$l.out"; then
      ok "$c -$l: runs, output identical ($(head -1 "$TMP/$c.out"))"
    else bad "$c -$l: output differs: $(diff "$TMP/$c.out" "$TMP/$c.$l.out" | head -3 | tr '\n' ' ')"; fi
  done
done

# A plain core module (the Rust program before componentization): optimized, valid (wabt agrees),
# names and producers kept.
M=$R/hello-rs.core.wasm
if [ -f "$M" ] && "$WC" opt "$M" -o "$TMP/core.wasm" -O2 2>"$TMP/core.log" && wasm-validate "$TMP/core.wasm" &&
   [ "$(stat -c %s "$TMP/core.wasm")" -lt "$(stat -c %s "$M")" ]; then
  ok "core module: -O2 result validates (wasm-validate), $(stat -c %s "$M") -> $(stat -c %s "$TMP/core.wasm") bytes"
  secs=$(wasm-objdump -h "$TMP/core.wasm" | grep -o '"[a-z_]*"' | tr '\n' ' ')
  if [ "$secs" = '"name" "producers" ' ]; then ok "core module: name and producers kept ($secs)"; else bad "core module: custom sections $secs"; fi
else bad "core module: $(head -1 "$TMP/core.log")"; fi

# --pass alone runs only those passes; an unknown pass is a usage error (exit 2).
f=$R/hello-rs.wasm
if "$WC" opt "$f" -o "$TMP/p.wasm" --pass dce --pass vacuum 2>/dev/null && "$WI" --validate "$TMP/p.wasm" &&
   ! cmp -s "$TMP/p.wasm" "$f"; then ok "--pass dce --pass vacuum: changed and valid"; else bad "--pass dce --pass vacuum"; fi
"$WC" opt "$f" -o "$TMP/p2.wasm" --pass no-such-pass 2>"$TMP/p.err"; rc=$?
if [ $rc -eq 2 ] && grep -q 'no-such-pass' "$TMP/p.err" && [ ! -e "$TMP/p2.wasm" ]; then ok "--pass no-such-pass: usage error"; else bad "--pass no-such-pass: exit $rc"; fi

# Determinism: two runs, same bytes.
"$WC" opt "$f" -o "$TMP/d1.wasm" -O3 2>/dev/null; "$WC" opt "$f" -o "$TMP/d2.wasm" -O3 2>/dev/null
if [ -s "$TMP/d1.wasm" ] && cmp -s "$TMP/d1.wasm" "$TMP/d2.wasm"; then ok "deterministic (-O3 twice)"; else bad "two -O3 runs differ"; fi

# wcompose new --optimize z: the composed command is smaller and runs like the unoptimized one.
A=$NM/@bytecodealliance/jco/lib/wasi_snapshot_preview1.command.wasm
if "$WC" new "$R/hello.core.wasm" --adapt "wasi_snapshot_preview1=$A" -o "$TMP/new.wasm" 2>/dev/null &&
   "$WC" new "$R/hello.core.wasm" --adapt "wasi_snapshot_preview1=$A" --optimize z -o "$TMP/newz.wasm" 2>/dev/null &&
   "$WI" --validate "$TMP/newz.wasm" && [ "$(stat -c %s "$TMP/newz.wasm")" -lt "$(stat -c %s "$TMP/new.wasm")" ] &&
   [ "$(run hello-c "$TMP/new.wasm" n1)" = "$(run hello-c "$TMP/newz.wasm" n2)" ]; then
  ok "wcompose new --optimize z: $(stat -c %s "$TMP/new.wasm") -> $(stat -c %s "$TMP/newz.wasm") bytes, same output"
else bad "wcompose new --optimize z"; fi
"$WC" new "$R/hello.core.wasm" --optimize 7 -o "$TMP/x.wasm" 2>/dev/null; rc=$?
[ $rc -eq 2 ] && ok "wcompose new --optimize 7: usage error" || bad "wcompose new --optimize 7: exit $rc"

# A nested component's core module is optimized in place (component 0 > core module 0): the
# helper call is inlined and the dead code removed; the result runs under jco + node.
cat > "$TMP/nest.wat" <<'EOF'
(component
  (component $inner
    (core module $m
      (func $helper (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
      (func (export "sq") (param i32) (result i32)
        (local i32)
        (local.set 1 (call $helper (local.get 0)))
        (block (br 0))
        (if (i32.const 0) (then (unreachable)))
        (local.get 1)))
    (core instance $i (instantiate $m))
    (func (export "sq") (param "x" s32) (result s32) (canon lift (core func $i "sq"))))
  (instance $ii (instantiate $inner))
  (alias export $ii "sq" (func $f))
  (export "square" (func $f)))
EOF
if "$JCO" parse "$TMP/nest.wat" -o "$TMP/nest.wasm" >/dev/null 2>&1 &&
   "$WC" opt "$TMP/nest.wasm" -o "$TMP/nest.o.wasm" -O3 --stats 2>"$TMP/nest.err" &&
   grep -q '^wcompose: component 0 > core module 0: ' "$TMP/nest.err" && "$WI" --validate "$TMP/nest.o.wasm" &&
   ! "$WI" print "$TMP/nest.o.wasm" | grep -q 'unreachable' &&
   timeout 120 "$JCO" transpile "$TMP/nest.o.wasm" -o "$TMP/nj" --name comp >/dev/null 2>&1 &&
   [ "$(cd "$TMP" && node --input-type=module -e "const m = await import('$TMP/nj/comp.js'); console.log(m.square(7))")" = 49 ]; then
  ok "nested component: its module optimized (dead code gone), valid, square(7) = 49 under jco"
else bad "nested component: $(head -2 "$TMP/nest.err" | tr '\n' ' ')"; fi

# A core module binaryen 108 cannot read (two memories) is left as it was, with a note.
cat > "$TMP/mm.wat" <<'EOF'
(component
  (core module $m
    (memory (export "mem") 1)
    (memory $b 1)
    (func (export "f") (result i32) (i32.store $b (i32.const 0) (i32.const 7)) (i32.load $b (i32.const 0))))
  (core instance $i (instantiate $m))
  (func (export "f") (result s32) (canon lift (core func $i "f"))))
EOF
if "$JCO" parse "$TMP/mm.wat" -o "$TMP/mm.wasm" >/dev/null 2>&1; then
  if "$WC" opt "$TMP/mm.wasm" -o "$TMP/mm.o.wasm" -Oz --stats 2>"$TMP/mm.err" && grep -q 'note: core module 0: left as it was: binaryen' "$TMP/mm.err" &&
     "$WI" --validate "$TMP/mm.o.wasm" && grep -q 'core module 0: 76 -> 76 bytes (left as it was)' "$TMP/mm.err"; then
    ok "unreadable module kept with a note: $(grep -o 'binaryen cannot.*' "$TMP/mm.err" | head -c 90)"
  else bad "unreadable module: $(head -1 "$TMP/mm.err")"; fi
else bad "jco parse of the two-memory component"; fi

# Usage errors exit 2.
for args in "" "$f" "$f -o" "$f -o $TMP/u.wasm -O9" "$f -o $TMP/u.wasm --bogus" "$f $f -o $TMP/u.wasm"; do
  # shellcheck disable=SC2086
  "$WC" opt $args >/dev/null 2>&1; rc=$?
  [ $rc -eq 2 ] && ok "usage error exits 2: opt $args" || bad "opt $args: exit $rc"
done
"$WC" opt /nonexistent.wasm -o "$TMP/u.wasm" 2>/dev/null; rc=$?
[ $rc -eq 1 ] && ok "missing input exits 1" || bad "missing input: exit $rc"

# Hostile inputs: truncated and mutated components and core modules give `wcompose: error:`
# (exit 1) or, for a mutation that still validates, a valid result; never a crash (exit >= 128).
python3 - "$R/hello-c.wasm" "$R/hello.core.wasm" "$TMP" <<'EOF'
import random, sys
comp, core, out = open(sys.argv[1], 'rb').read(), open(sys.argv[2], 'rb').read(), sys.argv[3]
rnd = random.Random(17)
n = 0
for name, data in (('comp', comp), ('core', core)):
    for cut in [0, 3, 8, 9, 10, 20, 100] + sorted(rnd.sample(range(11, len(data)), 8)):
        open(f'{out}/h{n:03d}.wasm', 'wb').write(data[:cut]); n += 1
    for k in range(15):
        b = bytearray(data)
        for _ in range(rnd.choice([1, 1, 2, 8])):
            i = rnd.randrange(8, len(b)); b[i] = rnd.randrange(256)
        open(f'{out}/h{n:03d}.wasm', 'wb').write(bytes(b)); n += 1
EOF
herr=0; hval=0; hcrash=0; hother=0
for h in "$TMP"/h[0-9]*.wasm; do
  timeout 120 "$WC" opt "$h" -o "$h.out" -O1 >/dev/null 2>"$h.err"; rc=$?
  if [ $rc -ge 124 ]; then hcrash=$((hcrash+1)); echo "  crash/timeout (exit $rc) on $(basename "$h")"
  elif [ $rc -eq 1 ] && grep -q '^wcompose: error: ' "$h.err" && [ ! -e "$h.out" ]; then herr=$((herr+1))
  elif [ $rc -eq 0 ] && { "$WI" --validate "$h.out" 2>/dev/null || wasm-validate "$h.out" 2>/dev/null; }; then hval=$((hval+1))
  else hother=$((hother+1)); echo "  unexpected (exit $rc) on $(basename "$h"): $(head -1 "$h.err")"; fi
done
if [ $hcrash -eq 0 ] && [ $hother -eq 0 ]; then
  ok "hostile inputs: $herr errors, $hval still valid and optimized to a valid result, no crash"
else bad "hostile inputs: $hcrash crashes, $hother unexpected"; fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
