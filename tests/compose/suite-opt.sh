#!/usr/bin/env bash
# `wcompose opt` (binaryen over the core modules of a component) on real components, and
# `--optimize LEVEL` on the forms that write a component (new, plug, MAIN DEP..., compose, oci).
# The five components:
#   hello-c, hello-rs  C and Rust preview1 commands (tests/component/build-real.sh)
#   hello-js           the 12 MB componentize-js component (same script)
#   py-greeter         ../shared/python/py-greeter.component.wasm (CPython inside)
#   composed-c         a composition: examples/greeter's app.c (a command importing
#                      example:greeter/greet) + greeter.c, built here with wit-gen c, clang,
#                      wcompose new and `wcompose APP GREETER` (bench/opt-composed.sh)
# each optimized at -O2 and -Oz. For each result:
#   - wcompose opt exits 0; the result validates (`winspect --validate`);
#   - its WIT is unchanged (`winspect --wit`, and `jco wit`, which validates with wasm-tools);
#   - its producers section names wcompose (processed-by);
#   - it runs under wrun with output identical to the original's under wrun: commands run with
#     arguments, an environment variable and (composed-c) a preopened directory; the JS and
#     Python components through `wrun --invoke` of their exports;
#   - it runs under jco with output identical to the original's under jco: commands under
#     `jco run`, JS and Python through `jco transpile` + node calling their exports.
# CI cost: binaryen on the JS and Python components is slow (py-greeter: about 75 s at -O2 and
# more at -Oz; hello-js about 16 s and 47 s) and each transpile is slow too, so by default those
# two run at -O1 instead (about 10 s and 8 s) and their -O2/-Oz cases are reported as SKIPPED
# (one per component and level); OPT_FULL=1 runs the full set (LEVELS for every component).
# Then the composition forms with --optimize, on composed-c's parts: `wcompose APP GREETER`,
# `wcompose plug`, `wcompose compose FILE.wac`, `wcompose oci`: each result is byte-identical to
# `wcompose opt` of the unoptimized output (one code path), validates, has the same WIT and
# runs the same under wrun (oci: wrun runs the archive); the Python + C composition
# (bench/opt-composed.sh) through `wcompose plug --optimize` and `wcompose opt --dce`, run by
# `wrun --invoke`. Also: a plain core module; --pass; `wcompose new --optimize`; a module
# binaryen cannot read is left as it was with a note; determinism; usage errors; truncated and
# mutated inputs give an error, never a crash.
#   COMPONENTS="hello-c hello-rs" LEVELS="O2" bash tests/compose/suite-opt.sh   (a quick subset)
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
WC=${WC:-$BUILD/bin/wcompose}  # WC=build-asan/bin/wcompose runs the suite under ASan
WI=$BUILD/bin/winspect
WR=$BUILD/bin/wrun
WG=$BUILD/bin/wit-gen
NM=$PWD/scripts/npm/node_modules
JCO=$NM/.bin/jco
R=$BUILD/tests/component-real
PY=../shared/python/py-greeter.component.wasm
ADAPTERS=$NM/@bytecodealliance/jco/lib
COMPONENTS=${COMPONENTS:-hello-c hello-rs hello-js py-greeter composed-c}
LEVELS=${LEVELS:-O2 Oz}
FULL=${OPT_FULL:-0}
SLOW="hello-js py-greeter"   # at -O1 unless OPT_FULL=1
. tests/compose/common.sh
need "$WC" "$WI" "$WR" "$WG" "$JCO"
scratch
size() { stat -c %s "$1"; }
[ "$FULL" = 1 ] && echo "OPT_FULL=1: every component at $LEVELS" ||
  echo "CI set: $SLOW at -O1 only (their $LEVELS cases are skipped: OPT_FULL=1 runs them)"

mkdir -p "$R"
bash tests/component/build-real.sh || bad "build the real components (tests/component/build-real.sh)"

# composed-c: examples/greeter's two components, composed by wcompose (the unoptimized input)
E=$TMP/ex
if out=$(BUILD=$BUILD bash bench/opt-composed.sh "$E"); then
  ok "composed-c: built (app + greeter composed: $(size "$E/composed-c.wasm") bytes)"
else bad "composed-c: build failed: $(echo "$out" | tr '\n' ' ')"; fi

src() { case $1 in py-greeter) echo "$PY" ;; composed-c) echo "$E/composed-c.wasm" ;; *) echo "$R/$1.wasm" ;; esac; }

cat > "$TMP/call-js.mjs" <<'EOF2'
const m = await import(process.argv[2]);
const g = m.greet;
console.log(g.greet('world'));
console.log(JSON.stringify(g.area({ tag: 'circle', val: 2 })), JSON.stringify(g.area({ tag: 'rect', val: { x: 3, y: 4 } })));
try { g.area({ tag: 'none' }); } catch (e) { console.log('err', JSON.stringify(e.payload ?? String(e))); }
console.log(m.add(40, 2));
EOF2
cat > "$TMP/call-py.mjs" <<'EOF2'
const m = await import(process.argv[2]);
console.log(m.greet.greet('world'));
console.log(m.greet.greet('héllo ✓'));
EOF2
# jco run of composed-c: the shim preopens the work directory at the same path (as wrun --dir does)
echo "import { _setPreopens } from '@bytecodealliance/preview2-shim/filesystem'; _setPreopens({ '$E/work': '$E/work' });" \
  > "$TMP/preopen.mjs"
ln -s "$NM" "$TMP/node_modules"   # transpiled JS imports @bytecodealliance/preview2-shim

# run_jco NAME FILE TAG: the component under jco, its output on stdout
run_jco() {
  local p; p=$(realpath "$2")
  case $1 in
    hello-c|hello-rs) (cd "$TMP" && HOME=/home/x timeout 120 "$JCO" run "$p" one two 2>&1) ;;
    composed-c) rm -f "$E/work/greeting.txt.report"
       (cd "$TMP" && NAME=wkit timeout 120 "$JCO" run --jco-import "$TMP/preopen.mjs" "$p" "$E/work/greeting.txt" 2>&1)
       cat "$E/work/greeting.txt.report" 2>&1 ;;
    *) local d=$TMP/js-$3
       rm -rf "$d"
       timeout 300 "$JCO" transpile "$p" -o "$d" --name comp >"$TMP/transpile.log" 2>&1 ||
         { echo "transpile failed: $(head -2 "$TMP/transpile.log")"; return 1; }
       local script=call-js.mjs; [ "$1" = py-greeter ] && script=call-py.mjs
       (cd "$TMP" && timeout 120 node "$TMP/$script" "$d/comp.js" 2>&1)
       rm -rf "$d" ;;
  esac
}
# run_wrun NAME FILE: the component under wrun, its output on stdout
run_wrun() {
  case $1 in
    hello-c|hello-rs) timeout 120 "$WR" --env HOME=/home/x "$2" one two 2>&1 ;;
    composed-c) rm -f "$E/work/greeting.txt.report"
       timeout 120 "$WR" --dir "$E/work" --env NAME=wkit "$2" "$E/work/greeting.txt" 2>&1
       cat "$E/work/greeting.txt.report" 2>&1 ;;
    hello-js) # componentize-js imports wasi:http, which wrun defines only for `wrun serve`
       local c
       for c in 'local:hello/greet#greet("world")' 'local:hello/greet#area(circle(2.0))' \
                'local:hello/greet#area(rect({x: 3, y: 4}))' 'local:hello/greet#area(%none)' 'add(40, 2)'; do
         timeout 120 "$WR" --trap-unknown-imports --invoke "$c" "$2" 2>&1; echo " [$?]"
       done ;;
    py-greeter) timeout 120 "$WR" --invoke 'demo:py/greet#greet("world")' "$2" 2>&1; echo " [$?]"
       timeout 120 "$WR" --invoke 'demo:py/greet#greet("héllo ✓")' "$2" 2>&1; echo " [$?]" ;;
  esac
}

for c in $COMPONENTS; do
  f=$(src "$c")
  [ -f "$f" ] || { bad "$c: input $f missing"; continue; }
  levels=$LEVELS
  if [ "$FULL" != 1 ] && [[ " $SLOW " == *" $c "* ]]; then
    for l in $LEVELS; do skp "$c -$l: slow for CI (OPT_FULL=1 runs it); -O1 instead"; done
    levels=O1
  fi
  "$WI" --wit "$f" > "$TMP/$c.wit" 2>&1 || bad "$c: winspect --wit of the original"
  "$JCO" wit "$f" > "$TMP/$c.jco.wit" 2>&1 || bad "$c: jco wit of the original"
  run_wrun "$c" "$f" > "$TMP/$c.wrun.out"
  if grep -q 'error\|trap\|\[[1-9][0-9]*\]' "$TMP/$c.wrun.out" || [ ! -s "$TMP/$c.wrun.out" ]; then
    bad "$c: the original does not run under wrun: $(head -2 "$TMP/$c.wrun.out" | tr '\n' ' ')"; wrc=1
  else wrc=0; fi
  run_jco "$c" "$f" "$c-orig" > "$TMP/$c.jco.out"; jrc=$?
  [ $jrc -eq 0 ] && [ -s "$TMP/$c.jco.out" ] || bad "$c: the original does not run under jco ($(head -1 "$TMP/$c.jco.out"))"
  for l in $levels; do
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
    run_wrun "$c" "$o" > "$TMP/$c.$l.wrun.out"
    if [ $wrc -eq 0 ] && cmp -s "$TMP/$c.wrun.out" "$TMP/$c.$l.wrun.out"; then
      ok "$c -$l: runs under wrun, output identical ($(head -1 "$TMP/$c.wrun.out"))"
    else bad "$c -$l: wrun output differs: $(diff "$TMP/$c.wrun.out" "$TMP/$c.$l.wrun.out" | head -3 | tr '\n' ' ')"; fi
    run_jco "$c" "$o" "$c-$l" > "$TMP/$c.$l.jco.out"
    if [ $jrc -eq 0 ] && cmp -s "$TMP/$c.jco.out" "$TMP/$c.$l.jco.out"; then
      ok "$c -$l: runs under jco, output identical ($(head -1 "$TMP/$c.jco.out"))"
    else bad "$c -$l: jco output differs: $(diff "$TMP/$c.jco.out" "$TMP/$c.$l.jco.out" | head -3 | tr '\n' ' ')"; fi
  done
done

# --optimize on the composition forms and oci: one code path, so each output must be the bytes
# `wcompose opt` makes of the unoptimized output; and it validates, keeps its WIT, runs the same.
# compare_form NAME FILE UNOPTIMIZED LEVEL
compare_form() {
  local name=$1 got=$2 plain=$3 l=$4
  if ! "$WC" opt "$plain" -o "$TMP/ref.wasm" -O$l 2>/dev/null; then bad "$name: wcompose opt of the unoptimized output failed"; return; fi
  if cmp -s "$got" "$TMP/ref.wasm" && [ "$(size "$got")" -lt "$(size "$plain")" ]; then
    ok "$name: = wcompose opt -O$l of the unoptimized output ($(size "$plain") -> $(size "$got") bytes)"
  else bad "$name: differs from wcompose opt -O$l of the unoptimized output"; fi
  if "$WI" --validate "$got" 2>/dev/null && diff -q <("$WI" --wit "$got" 2>&1) <("$WI" --wit "$plain" 2>&1) >/dev/null; then
    ok "$name: validates, WIT unchanged"
  else bad "$name: invalid or WIT changed"; fi
}
if [ -f "$E/composed-c.wasm" ]; then
  run_wrun composed-c "$E/composed-c.wasm" > "$TMP/cc.out"
  if "$WC" "$E/app.wasm" "$E/greeter.wasm" -o "$TMP/deps.wasm" --optimize z 2>"$TMP/f.err"; then
    compare_form "wcompose MAIN DEP --optimize z" "$TMP/deps.wasm" "$E/composed-c.wasm" z
    if run_wrun composed-c "$TMP/deps.wasm" | cmp -s - "$TMP/cc.out"; then ok "wcompose MAIN DEP --optimize z: runs the same under wrun"
    else bad "wcompose MAIN DEP --optimize z: wrun output differs"; fi
  else bad "wcompose MAIN DEP --optimize z: $(head -1 "$TMP/f.err")"; fi
  "$WC" plug --plug "$E/greeter.wasm" "$E/app.wasm" -o "$TMP/plug0.wasm" 2>/dev/null
  if "$WC" plug --plug "$E/greeter.wasm" "$E/app.wasm" -o "$TMP/plug.wasm" --optimize=2 2>"$TMP/f.err"; then
    compare_form "wcompose plug --optimize=2" "$TMP/plug.wasm" "$TMP/plug0.wasm" 2
    if run_wrun composed-c "$TMP/plug.wasm" | cmp -s - "$TMP/cc.out"; then ok "wcompose plug --optimize=2: runs the same under wrun"
    else bad "wcompose plug --optimize=2: wrun output differs"; fi
  else bad "wcompose plug --optimize=2: $(head -1 "$TMP/f.err")"; fi
  printf 'package test:comp;\nlet g = new ex:greeter { ... };\nlet a = new ex:app { "example:greeter/greet@0.1.0": g["example:greeter/greet@0.1.0"], ... };\nexport a...;\n' > "$TMP/a.wac"
  "$WC" compose "$TMP/a.wac" --dep ex:greeter="$E/greeter.wasm" --dep ex:app="$E/app.wasm" -o "$TMP/wac0.wasm" 2>/dev/null
  if "$WC" compose "$TMP/a.wac" --dep ex:greeter="$E/greeter.wasm" --dep ex:app="$E/app.wasm" -o "$TMP/wac.wasm" --optimize s 2>"$TMP/f.err"; then
    compare_form "wcompose compose --optimize s" "$TMP/wac.wasm" "$TMP/wac0.wasm" s
    if run_wrun composed-c "$TMP/wac.wasm" | cmp -s - "$TMP/cc.out"; then ok "wcompose compose --optimize s: runs the same under wrun"
    else bad "wcompose compose --optimize s: wrun output differs"; fi
  else bad "wcompose compose --optimize s: $(head -1 "$TMP/f.err")"; fi
  if "$WC" oci "$E/composed-c.wasm" -o "$TMP/app.oci.tar" --optimize z >"$TMP/digest" 2>"$TMP/f.err"; then
    dg=$(sed 's/^sha256://' "$TMP/digest")
    mkdir -p "$TMP/oci" && tar -xf "$TMP/app.oci.tar" -C "$TMP/oci"
    "$WC" opt "$E/composed-c.wasm" -o "$TMP/ref.wasm" -Oz 2>/dev/null
    if cmp -s "$TMP/oci/blobs/sha256/$dg" "$TMP/ref.wasm"; then ok "wcompose oci --optimize z: the layer = wcompose opt -Oz of the input ($(size "$TMP/ref.wasm") bytes)"
    else bad "wcompose oci --optimize z: the layer is not the optimized component"; fi
    if run_wrun composed-c "$TMP/app.oci.tar" | cmp -s - "$TMP/cc.out"; then ok "wcompose oci --optimize z: wrun runs the archive, same output"
    else bad "wcompose oci --optimize z: wrun output of the archive differs"; fi
  else bad "wcompose oci --optimize z: $(head -1 "$TMP/f.err")"; fi
  for args in "plug --plug $E/greeter.wasm $E/app.wasm -o $TMP/u.wasm --optimize 5" "$E/app.wasm $E/greeter.wasm -o $TMP/u.wasm --optimize" \
              "compose $TMP/a.wac --dep ex:app=$E/app.wasm -o $TMP/u.wasm --optimize=q" "oci $E/app.wasm -o $TMP/u.tar --optimize 9"; do
    # shellcheck disable=SC2086
    "$WC" $args >/dev/null 2>&1; rc=$?
    [ $rc -eq 2 ] && [ ! -e "$TMP/u.wasm" ] && ok "bad --optimize level: usage error (${args%% *} ...)" || bad "bad --optimize: exit $rc for $args"
  done
fi
# The Python + C composition (bench/opt-composed.sh: py-greeter plugged into a C reactor that
# calls it) through `wcompose plug --optimize` (-O1 in CI, the LEVELS under OPT_FULL=1), and
# `wcompose opt --dce` at the same level: valid, same WIT, `wrun --invoke` gives the same answer,
# and --dce is not larger (wcompose new now trims the preview1 adapter to what the core module
# imports, so --dce may find nothing left to drop here; the WAT case below checks that it drops).
if [ -f "$E/pyc-c.wasm" ]; then
  plevels=1; [ "$FULL" = 1 ] && plevels=$(echo "$LEVELS" | sed 's/O//g')
  want='"[C] Hello, plug ✓! (from CPython 3.13.5 on wasi, len=6) [53 bytes]"'
  pycall() { "$WR" --invoke 'demo:app/hello#greet("plug ✓")' "$1" 2>&1; }
  got0=$(pycall "$E/pyc-c.wasm")
  [ "$got0" = "$want" ] || bad "python + C composition: the unoptimized one under wrun printed $got0"
  "$WI" --wit "$E/pyc-c.wasm" > "$TMP/pyc.wit" 2>&1
  for l in $plevels; do
    if "$WC" plug --plug "$PY" "$E/capp.wasm" -o "$TMP/pyc.$l.wasm" --optimize $l 2>"$TMP/f.err" &&
       "$WI" --validate "$TMP/pyc.$l.wasm" 2>/dev/null && "$WI" --wit "$TMP/pyc.$l.wasm" 2>&1 | cmp -s - "$TMP/pyc.wit"; then
      got=$(pycall "$TMP/pyc.$l.wasm")
      if [ "$got" = "$want" ]; then ok "python + C composition: plug --optimize $l: valid, same WIT, wrun --invoke: $got ($(size "$E/pyc-c.wasm") -> $(size "$TMP/pyc.$l.wasm") bytes)"
      else bad "python + C composition: plug --optimize $l: wrun printed $got"; fi
    else bad "python + C composition: plug --optimize $l: $(head -1 "$TMP/f.err")"; fi
    if "$WC" opt "$E/pyc-c.wasm" -o "$TMP/pyc.$l.dce.wasm" -O$l --dce 2>"$TMP/f.err" &&
       "$WI" --validate "$TMP/pyc.$l.dce.wasm" 2>/dev/null && "$WI" --wit "$TMP/pyc.$l.dce.wasm" 2>&1 | cmp -s - "$TMP/pyc.wit" &&
       [ -f "$TMP/pyc.$l.wasm" ] && [ "$(size "$TMP/pyc.$l.dce.wasm")" -le "$(size "$TMP/pyc.$l.wasm")" ]; then
      got=$(pycall "$TMP/pyc.$l.dce.wasm")
      if [ "$got" = "$want" ]; then ok "python + C composition: opt -O$l --dce: valid, same WIT, same answer; $(size "$TMP/pyc.$l.wasm") -> $(size "$TMP/pyc.$l.dce.wasm") bytes ($(( $(size "$TMP/pyc.$l.wasm") - $(size "$TMP/pyc.$l.dce.wasm") )) saved by --dce)"
      else bad "python + C composition: opt -O$l --dce: wrun printed $got"; fi
    else bad "python + C composition: opt -O$l --dce: $(head -1 "$TMP/f.err")"; fi
  done
  [ "$FULL" = 1 ] || for l in $LEVELS; do skp "python + C composition: -${l} (plug --optimize, opt --dce): slow for CI (OPT_FULL=1 runs it)"; done
else bad "python + C composition: not built (bench/opt-composed.sh, needs $PY)"; fi

# --dce (dead code across the modules of a component): exports no alias and no other module's
# import uses are dropped before binaryen runs. composed-c: not larger than without --dce (wcompose
# new already trims its preview1 adapters to what the core module imports, so little or nothing is
# left to drop: the WAT case below is where dropping is checked), valid, same WIT, and runs the
# same under wrun and jco.
if [ -f "$E/composed-c.wasm" ]; then
  # the references, when COMPONENTS left composed-c out
  [ -f "$TMP/composed-c.O2.wasm" ] || "$WC" opt "$E/composed-c.wasm" -o "$TMP/composed-c.O2.wasm" -O2 2>/dev/null
  [ -f "$TMP/composed-c.wit" ] || "$WI" --wit "$E/composed-c.wasm" > "$TMP/composed-c.wit" 2>&1
  [ -f "$TMP/composed-c.wrun.out" ] || run_wrun composed-c "$E/composed-c.wasm" > "$TMP/composed-c.wrun.out"
  [ -f "$TMP/composed-c.jco.out" ] || run_jco composed-c "$E/composed-c.wasm" orig > "$TMP/composed-c.jco.out"
  if "$WC" opt "$E/composed-c.wasm" -o "$TMP/dce.wasm" -O2 --dce --stats 2>"$TMP/dce.log" && [ -f "$TMP/composed-c.O2.wasm" ] &&
     [ "$(size "$TMP/dce.wasm")" -le "$(size "$TMP/composed-c.O2.wasm")" ]; then
    ok "--dce: composed-c -O2 $(size "$TMP/composed-c.O2.wasm") -> $(size "$TMP/dce.wasm") bytes, not larger ($(grep -c 'unused exports dropped' "$TMP/dce.log") modules lost exports)"
  else bad "--dce: composed-c: $(grep -m1 error "$TMP/dce.log")"; fi
  if "$WI" --validate "$TMP/dce.wasm" 2>/dev/null && "$WI" --wit "$TMP/dce.wasm" 2>&1 | cmp -s - "$TMP/composed-c.wit"; then
    ok "--dce: composed-c validates, WIT unchanged"; else bad "--dce: composed-c invalid or WIT changed"; fi
  if run_wrun composed-c "$TMP/dce.wasm" | cmp -s - "$TMP/composed-c.wrun.out" &&
     run_jco composed-c "$TMP/dce.wasm" dce | cmp -s - "$TMP/composed-c.jco.out"; then
    ok "--dce: composed-c runs the same under wrun and jco"; else bad "--dce: composed-c output differs"; fi
fi
# A WAT case: module $a exports `used` (aliased and lifted), `mem` (imported by module $b) and
# `unused` (nothing refers to it; it alone calls $helper). After --dce -O1: `unused` and $helper
# are gone, `used` and `mem` stay. A module the component exports keeps all its exports.
cat > "$TMP/dce.wat" <<'EOF2'
(component
  (core module $a
    (memory (export "mem") 1)
    (func $helper (param i32) (result i32) (i32.mul (local.get 0) (i32.const 1234567)))
    (func (export "used") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
    (func (export "unused") (param i32) (result i32) (call $helper (local.get 0))))
  (core module $b
    (import "a" "mem" (memory 1))
    (func (export "peek") (result i32) (i32.load (i32.const 0))))
  (core module $c (func (export "k") (result i32) (i32.const 7)) (func (export "k2") (result i32) (i32.const 8)))
  (core instance $ia (instantiate $a))
  (core instance $ib (instantiate $b (with "a" (instance $ia))))
  (core instance $ic (instantiate $c))
  (func (export "inc") (param "x" s32) (result s32) (canon lift (core func $ia "used")))
  (func (export "peek") (result s32) (canon lift (core func $ib "peek")))
  (func (export "k") (result s32) (canon lift (core func $ic "k")))
  (export "c" (core module $c)))
EOF2
if "$JCO" parse "$TMP/dce.wat" -o "$TMP/dcew.wasm" >/dev/null 2>&1 &&
   "$WC" opt "$TMP/dcew.wasm" -o "$TMP/dcew.o.wasm" -O1 --dce --stats 2>"$TMP/dcew.log" && "$WI" --validate "$TMP/dcew.o.wasm"; then
  "$WI" print "$TMP/dcew.o.wasm" > "$TMP/dcew.wat" 2>&1
  if ! grep -q '"unused"' "$TMP/dcew.wat" && ! grep -q '1234567' "$TMP/dcew.wat" && grep -q 'export "used"' "$TMP/dcew.wat" &&
     grep -q 'export "mem"' "$TMP/dcew.wat" && grep -q 'export "k2"' "$TMP/dcew.wat" &&
     grep -q 'core module 0: .*(1 unused exports dropped)' "$TMP/dcew.log" && ! grep -q 'core module 2: .*dropped' "$TMP/dcew.log"; then
    ok "--dce: WAT case: unused export and its callee gone; used, imported-by-module and exported-module exports kept"
  else bad "--dce: WAT case: $(tr '\n' ' ' < "$TMP/dcew.log")"; fi
  got=$(for c in 'inc(41)' 'peek()' 'k()'; do "$WR" --invoke "$c" "$TMP/dcew.o.wasm" 2>&1; done | tr '\n' ' ')
  [ "$got" = "42 0 7 " ] && ok "--dce: WAT case runs under wrun: $got" || bad "--dce: WAT case under wrun: $got"
else bad "--dce: WAT case: $(head -2 "$TMP/dcew.log" 2>/dev/null | tr '\n' ' ')"; fi

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

# wcompose new --optimize z: the new command is smaller and runs like the unoptimized one (wrun, jco).
A=$NM/@bytecodealliance/jco/lib/wasi_snapshot_preview1.command.wasm
if "$WC" new "$R/hello.core.wasm" --adapt "wasi_snapshot_preview1=$A" -o "$TMP/new.wasm" 2>/dev/null &&
   "$WC" new "$R/hello.core.wasm" --adapt "wasi_snapshot_preview1=$A" --optimize z -o "$TMP/newz.wasm" 2>/dev/null &&
   "$WI" --validate "$TMP/newz.wasm" && [ "$(stat -c %s "$TMP/newz.wasm")" -lt "$(stat -c %s "$TMP/new.wasm")" ] &&
   run_wrun hello-c "$TMP/new.wasm" > "$TMP/new.out" && grep -q '^hello 3 /home/x$' "$TMP/new.out" &&
   run_wrun hello-c "$TMP/newz.wasm" | cmp -s - "$TMP/new.out" &&
   run_jco hello-c "$TMP/newz.wasm" | cmp -s - "$TMP/new.out"; then
  ok "wcompose new --optimize z: $(stat -c %s "$TMP/new.wasm") -> $(stat -c %s "$TMP/newz.wasm") bytes, same output under wrun and jco"
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

# A module with DWARF (a `.debug_*` custom section, found by lib/encode's section reader) loses it,
# with a note; one whose custom section only looks alike (`.debug` without the `_`) keeps no note.
for nm in .debug_info .debugx; do
  python3 - "$nm" "$TMP/dw.wasm" <<'PY'
import sys
def sec(i, p): return bytes([i, len(p)]) + p
name = sys.argv[1].encode()
m = b'\0asm\1\0\0\0' + sec(1, b'\x01\x60\x00\x01\x7f') + sec(3, b'\x01\x00') + sec(7, b'\x01\x01f\x00\x00')
m += sec(10, b'\x01\x04\x00\x41\x07\x0b') + sec(0, bytes([len(name)]) + name + b'\x01\x02\x03')
open(sys.argv[2], 'wb').write(m)
PY
  if "$WC" opt "$TMP/dw.wasm" -o "$TMP/dw.o.wasm" -O1 --stats 2>"$TMP/dw.err"; then
    has=0; grep -q 'note: core module: DWARF sections dropped' "$TMP/dw.err" && has=1
    kept=0; grep -qaF -- "$nm" "$TMP/dw.o.wasm" && kept=1
    if [ "$nm" = .debug_info ] && [ $has = 1 ] && [ $kept = 0 ]; then ok "DWARF ($nm) dropped with a note"
    elif [ "$nm" = .debugx ] && [ $has = 0 ]; then ok "a custom section $nm is not DWARF: no note"
    else bad "DWARF $nm: note $has, section kept $kept: $(head -2 "$TMP/dw.err" | tr '\n' ' ')"; fi
  else bad "wcompose opt of a module with $nm: $(head -1 "$TMP/dw.err")"; fi
done

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
# Truncations of all five components (they fail at decoding, so the big ones are cheap);
# byte mutations of the C, Rust and composed ones and of a core module (a mutant that still
# validates is optimized: too slow for CI on the 8-12 MB components).
python3 - "$TMP" "$R/hello.core.wasm" "$R/hello-c.wasm" "$R/hello-rs.wasm" "$E/composed-c.wasm" "$R/hello-js.wasm" "$PY" <<'EOF2'
import os, random, sys
out = sys.argv[1]
rnd = random.Random(17)
n = 0
for i, path in enumerate(sys.argv[2:]):
    if not os.path.exists(path):
        continue
    data = open(path, 'rb').read()
    big = len(data) > 1 << 20
    for cut in [0, 3, 8, 9, 10, 20, 100] + sorted(rnd.sample(range(11, len(data)), 4 if big else 8)):
        open(f'{out}/h{n:03d}.wasm', 'wb').write(data[:cut]); n += 1
    if big:
        continue
    for k in range(15 if i < 2 else 8):
        b = bytearray(data)
        for _ in range(rnd.choice([1, 1, 2, 8])):
            j = rnd.randrange(8, len(b)); b[j] = rnd.randrange(256)
        open(f'{out}/h{n:03d}.wasm', 'wb').write(bytes(b)); n += 1
EOF2
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

# ... and through a composition form with --optimize: mutants of the greeter as the dependency.
if [ -f "$E/greeter.wasm" ]; then
  python3 - "$E/greeter.wasm" "$TMP" <<'EOF2'
import random, sys
data, out = open(sys.argv[1], 'rb').read(), sys.argv[2]
rnd = random.Random(23)
for k in range(12):
    b = bytearray(data[:rnd.randrange(9, len(data))] if k < 4 else data)
    if k >= 4:
        for _ in range(rnd.choice([1, 2, 8])):
            j = rnd.randrange(8, len(b)); b[j] = rnd.randrange(256)
    open(f'{out}/g{k:02d}.wasm', 'wb').write(bytes(b))
EOF2
  gerr=0; gval=0; gbad=0
  for h in "$TMP"/g[0-9]*.wasm; do
    timeout 120 "$WC" "$E/app.wasm" "$h" -o "$h.out" --optimize 1 >/dev/null 2>"$h.err"; rc=$?
    if [ $rc -eq 1 ] && grep -q '^wcompose: error: ' "$h.err" && [ ! -e "$h.out" ]; then gerr=$((gerr+1))
    elif [ $rc -eq 0 ] && "$WI" --validate "$h.out" 2>/dev/null; then gval=$((gval+1))
    else gbad=$((gbad+1)); echo "  unexpected (exit $rc) on $(basename "$h"): $(head -1 "$h.err")"; fi
  done
  [ $gbad -eq 0 ] && ok "hostile dependency of wcompose MAIN DEP --optimize 1: $gerr errors, $gval valid results, no crash" ||
    bad "hostile dependency: $gbad unexpected"
fi

echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
