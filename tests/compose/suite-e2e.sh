#!/usr/bin/env bash
# The design card's scenario end to end (issue 11): components from different languages in one
# artifact, composed by wcompose, inspected, signed, verified and run by wrun and by jco.
#   1. Rust + Python: tests/compose/data/rsapp.rs, a wasi:cli command built by Debian's rustc
#      (--target wasm32-wasi, no cargo), imports demo:py/greet; ../shared/python's CPython
#      component exports it. wcompose new (jco's preview1 command adapter) -> wcompose APP PY ->
#      winspect --wit -> wsign sign -> wsign verify -> wrun, and the same composed file under
#      jco transpile + node prints the same bytes. The same program with its constructors left to
#      wasm-ld's export wrappers (--cfg wrapped) must trap in both (may_leave inside
#      cabi_realloc), and wcompose new must say why.
#   2. C + JS: tests/compose/data/cjsapp.c (wit-gen c bindings of world c-app) imports
#      demo:js/format, which jsfmt.js exports as a componentize-js component (about 12 MB; built
#      once per source hash into $BUILD/tests/compose-e2e-cache).
# Determinism: every wcompose step twice, same bytes.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
B=$BUILD/bin
NM=$PWD/scripts/npm/node_modules
JCO=$NM/.bin/jco
ADAPTER=$NM/@bytecodealliance/jco/lib/wasi_snapshot_preview1.command.wasm
PY=../shared/python/py-greeter.component.wasm
D=tests/compose/data
OUT=$BUILD/tests/compose-e2e
CACHE=$BUILD/tests/compose-e2e-cache
rm -rf "$OUT"; mkdir -p "$OUT" "$CACHE"
. tests/compose/common.sh

# twice WHAT OUT ARGS...: runs wcompose ARGS -o OUT and again -o OUT.2; the two must be identical
twice() {
  local what=$1 out=$2; shift 2
  if ! "$B/wcompose" "$@" -o "$out" 2> "$out.err"; then bad "$what: wcompose $1 failed: $(head -3 "$out.err")"; return 1; fi
  "$B/wcompose" "$@" -o "$out.2" 2>/dev/null
  if cmp -s "$out" "$out.2"; then ok "$what: deterministic (two runs, same bytes)"; else bad "$what: two runs differ"; fi
}

# the composed world: validates, exports wasi:cli/run, no longer imports IFACE, and jco prints the same WIT
check_world() { # WHAT FILE IFACE
  local what=$1 f=$2 iface=$3
  if "$B/winspect" --validate "$f" > /dev/null 2>&1; then ok "$what: winspect --validate"; else bad "$what: does not validate"; fi
  "$B/winspect" --wit "$f" > "$f.wit" 2>&1
  if grep -q '^  export wasi:cli/run@0\.2\.[0-9]*;$' "$f.wit" && ! grep -q "import $iface" "$f.wit" &&
     [ "$(grep -c '^  export ' "$f.wit")" = 1 ]; then
    ok "$what: winspect --wit: the world exports wasi:cli/run only and no longer imports $iface"
  else bad "$what: unexpected world: $(tr '\n' ' ' < "$f.wit" | head -c 400)"; fi
  # (jco wit ends with an empty line: compared as $(cat) does, without trailing newlines)
  if ! "$JCO" wit "$f" > "$f.jco.wit" 2> "$f.jco.err"; then
    if grep -q 'Maximum call stack size exceeded' "$f.jco.err"; then
      skp "$what: jco wit: $(grep -m1 RangeError "$f.jco.err") (jco's limit on nested StarlingMonkey components, see c+js below)"
    else bad "$what: jco wit fails: $(grep -v '^ *at ' "$f.jco.err" | head -2)"; fi
  elif [ "$(cat "$f.wit")" = "$(cat "$f.jco.wit")" ]; then ok "$what: jco wit prints the same world"
  else bad "$what: jco wit differs: $(diff "$f.wit" "$f.jco.wit" | head -4 | tr '\n' ' ')"; fi
}

# sign with a fresh key, verify, and a tampered copy must fail verification
sign_verify() { # WHAT FILE -> FILE.signed.wasm
  local what=$1 f=$2
  if "$B/wsign" keygen -o "$f.key.pem" > /dev/null 2>&1 &&
     "$B/wsign" sign -k "$f.key.pem" "$f" -o "$f.signed.wasm" > /dev/null 2>&1 &&
     "$B/wsign" verify -K "$f.key.pub" "$f.signed.wasm" > /dev/null 2>&1; then
    ok "$what: wsign signs and verifies the composition"
  else bad "$what: wsign sign/verify failed"; return 1; fi
  python3 -c "import sys; b=bytearray(open(sys.argv[1],'rb').read()); b[len(b)//2]^=1; open(sys.argv[2],'wb').write(b)" \
    "$f.signed.wasm" "$f.tampered.wasm"
  if ! "$B/wsign" verify -K "$f.key.pub" "$f.tampered.wasm" > /dev/null 2>&1; then ok "$what: a one-bit change fails verification"
  else bad "$what: the tampered composition verifies"; fi
}

# jco transpile FILE and run its wasi:cli/run export on node (preview2-shim from scripts/npm)
jco_run() { # FILE DIR -> DIR/out, DIR/log; returns non-zero if transpile fails
  local f=$1 d=$2
  rm -rf "$d"; mkdir -p "$d"; ln -s "$NM" "$d/node_modules"
  "$JCO" transpile "$f" -o "$d/js" --name composed > "$d/log" 2>&1 || return 1
  (cd "$d" && node --input-type=module -e "import { run } from './js/composed.js'; run.run();" > out 2> err; echo "exit $?" >> out)
}

have_jco=1
{ [ -x "$JCO" ] && [ -f "$ADAPTER" ] && command -v node > /dev/null; } || have_jco=0

# ---------------------------------------------------------------------------------------------
# 1. Rust + Python
RUSTC=/usr/bin/rustc
R=$OUT/rs
mkdir -p "$R"
EXPECT_RS='rust: greet("Rust") = Hello, Rust! (from CPython 3.13.5 on wasi, len=4)
rust: greet("héllo ✓") = Hello, héllo ✓! (from CPython 3.13.5 on wasi, len=7)'
if [ ! -x "$RUSTC" ] || [ ! -d "$("$RUSTC" --print sysroot 2>/dev/null)/lib/rustlib/wasm32-wasi" ]; then
  skp "rust+python: $RUSTC with a wasm32-wasi std missing (scripts/setup.sh installs rustc libstd-rust-dev-wasm32)"
elif [ ! -f "$PY" ]; then skp "rust+python: $PY missing"
elif [ $have_jco = 0 ]; then skp "rust+python: jco, its preview1 adapter or node missing (scripts/setup.sh)"
elif ! "$B/wit-gen" c $D/rsapp.wit --world rs-app --out-dir "$R/gen" > "$R/gen.log" 2>&1; then bad "rust+python: wit-gen c: $(head -2 "$R/gen.log")"
else
  for v in ok wrapped; do
    cfg=(); [ $v = wrapped ] && cfg=(--cfg wrapped)
    if ! "$RUSTC" --target wasm32-wasi -O -C strip=debuginfo "${cfg[@]}" -C "link-arg=$R/gen/rs_app_component_type.o" \
         -o "$R/$v.core.wasm" $D/rsapp.rs > "$R/$v.rustc.log" 2>&1; then bad "rust+python: rustc ($v): $(head -3 "$R/$v.rustc.log")"; continue; fi
    twice "rust $v: wcompose new" "$R/$v.app.wasm" new "$R/$v.core.wasm" --adapt "wasi_snapshot_preview1=$ADAPTER" || continue
    twice "rust $v + python: wcompose" "$R/$v.wasm" "$R/$v.app.wasm" "$PY" || continue
  done
  if [ -f "$R/ok.wasm" ]; then
    # the wiring: the app's demo:py/greet comes from the Python component's export
    "$B/wcompose" "$R/ok.app.wasm" "$PY" -o "$R/ok.j.wasm" --json > "$R/ok.json" 2>&1
    if python3 - "$R/ok.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ins = {i["name"]: i for i in d["instances"]}
app = [i for i in d["instances"] if any(a["import"] == "demo:py/greet" for a in i["imports"])]
assert len(app) == 1, d
w = {a["import"]: a for a in app[0]["imports"]}["demo:py/greet"]
assert w["from"] == "instance" and w["export"] == "demo:py/greet" and w["instance"] != app[0]["name"], w
assert "demo:py/greet" not in d["imports"] and [e["name"] for e in d["exports"]] == ["wasi:cli/run@0.2.12"], d
PY
    then ok "rust+python: --json: the app's demo:py/greet <- the Python component's export, only wasi:cli/run exported"
    else bad "rust+python: --json wiring: $(head -c 300 "$R/ok.json")"; fi
    check_world "rust+python" "$R/ok.wasm" demo:py/greet
    if sign_verify "rust+python" "$R/ok.wasm"; then
      timeout 120 "$B/wrun" "$R/ok.wasm.signed.wasm" > "$R/wrun.out" 2> "$R/wrun.err"; echo "exit $?" >> "$R/wrun.out"
      if [ "$(cat "$R/wrun.out")" = "$EXPECT_RS
exit 0" ]; then ok "rust+python: wrun runs the signed composition: $(head -1 "$R/wrun.out")"
      else bad "rust+python: wrun printed: $(cat "$R/wrun.out" "$R/wrun.err" | head -c 400)"; fi
      if ! jco_run "$R/ok.wasm.signed.wasm" "$R/jco"; then bad "rust+python: jco transpile: $(grep -v '^ *at ' "$R/jco/log" | tail -2)"
      elif cmp -s "$R/jco/out" "$R/wrun.out"; then ok "rust+python: jco transpile + node prints the same bytes as wrun"
      else bad "rust+python: node printed: $(cat "$R/jco/out" "$R/jco/err" | head -c 400)"; fi
    fi
  fi
  if [ -f "$R/wrapped.wasm" ]; then
    # the trap the program avoids: wasm-ld's wrapper runs wasi-libc's constructors inside
    # cabi_realloc, they call environ_get, and leaving the instance inside realloc traps
    timeout 120 "$B/wrun" "$R/wrapped.wasm" > "$R/wrapped.wrun.out" 2>&1; rc=$?
    if [ $rc = 134 ] && grep -q 'trap: cannot leave component instance' "$R/wrapped.wrun.out" &&
       ! grep -q '^rust: ' "$R/wrapped.wrun.out"; then
      ok "rust wrapped: wrun traps: cannot leave component instance (import called inside cabi_realloc)"
    else bad "rust wrapped: wrun exit $rc: $(head -c 300 "$R/wrapped.wrun.out")"; fi
    if jco_run "$R/wrapped.wasm" "$R/jco-wrapped" && grep -q 'cannot leave component instance' "$R/jco-wrapped/err"; then
      ok "rust wrapped: jco traps the same way (cannot leave component instance)"
    else bad "rust wrapped: jco: $(cat "$R/jco-wrapped/out" "$R/jco-wrapped/err" 2>/dev/null | head -c 300)"; fi
    if grep -q "cabi_realloc.*constructors" "$R/wrapped.app.wasm.err"; then ok "rust wrapped: wcompose new warns: $(head -1 "$R/wrapped.app.wasm.err")"
    else bad "rust wrapped: wcompose new gave no warning about cabi_realloc and the constructors"; fi
    if [ ! -s "$R/ok.app.wasm.err" ]; then ok "rust: no warning for the program that runs its constructors itself"
    else bad "rust: unexpected wcompose new output: $(head -2 "$R/ok.app.wasm.err")"; fi
  fi
fi

# ---------------------------------------------------------------------------------------------
# 2. C + JS
C=$OUT/c
mkdir -p "$C"
EXPECT_C='c: shout("hello from c") = HELLO FROM C!
c: join = "wasm + components + compose + héllo ✓" (4 words)'
# the JS component, cached by the hash of everything it is made from
js_component() {
  local key f
  key=$(cat $D/jsfmt.js $D/jsfmt.wit tests/component/build-js-component.mjs \
          "$NM/@bytecodealliance/componentize-js/package.json" 2>/dev/null | sha256sum | cut -c1-16)
  f=$CACHE/jsfmt-$key.wasm
  if [ ! -f "$f" ]; then
    NPM_MODULES=$NM timeout 900 node tests/component/build-js-component.mjs $D/jsfmt.js $D/jsfmt.wit js-format "$f.tmp" \
      > "$CACHE/jsfmt.log" 2>&1 && mv "$f.tmp" "$f" || { rm -f "$f.tmp"; return 1; }
  fi
  echo "$f"
}
if ! command -v clang-14 > /dev/null; then skp "c+js: clang-14 missing"
elif [ $have_jco = 0 ] || [ ! -d "$NM/@bytecodealliance/componentize-js" ]; then skp "c+js: jco, componentize-js or node missing (scripts/setup.sh)"
elif ! JS=$(js_component); then bad "c+js: componentize-js failed: $(tail -3 "$CACHE/jsfmt.log")"
elif ! "$B/wit-gen" c $D/jsfmt.wit --world c-app --out-dir "$C/gen" > "$C/gen.log" 2>&1 ||
     ! clang-14 --target=wasm32-wasi -O2 -Wall -Wextra -Wl,--strip-debug -I "$C/gen" -o "$C/app.core.wasm" \
       $D/cjsapp.c "$C/gen/c_app.c" "$C/gen/c_app_component_type.o" > "$C/cc.log" 2>&1; then
  bad "c+js: bindings or compile failed: $(head -c 300 "$C/gen.log" "$C/cc.log")"
elif twice "c: wcompose new" "$C/app.wasm" new "$C/app.core.wasm" --adapt "wasi_snapshot_preview1=$ADAPTER" &&
     twice "c + js: wcompose" "$C/cj.wasm" "$C/app.wasm" "$JS"; then
  [ -s "$C/app.wasm.err" ] && bad "c: unexpected wcompose new output: $(head -2 "$C/app.wasm.err")"
  check_world "c+js" "$C/cj.wasm" demo:js/format
  if sign_verify "c+js" "$C/cj.wasm"; then
    # the JS component imports wasi:http (StarlingMonkey's fetch) and never calls it here; a
    # command's host has no wasi:http, so those imports trap if called
    timeout 120 "$B/wrun" --trap-unknown-imports "$C/cj.wasm.signed.wasm" > "$C/wrun.out" 2> "$C/wrun.err"; echo "exit $?" >> "$C/wrun.out"
    if [ "$(cat "$C/wrun.out")" = "$EXPECT_C
exit 0" ]; then ok "c+js: wrun runs the signed composition: $(head -1 "$C/wrun.out")"
    else bad "c+js: wrun printed: $(cat "$C/wrun.out" "$C/wrun.err" | head -c 400)"; fi
    # jco on the composed file: jco transpile 1.35 overflows its stack (js-component-bindgen
    # recursing ~8,000 frames) on any component that nests the componentize-js component, the
    # one-line WAC wrapper `let g = new x { ... }; export g...;` included; reported as skipped
    # with jco's message. The same two components linked by jco itself (the app transpiled with
    # its import mapped to the transpiled JS component) are the peer's reference output.
    if jco_run "$C/cj.wasm.signed.wasm" "$C/jco"; then
      if cmp -s "$C/jco/out" "$C/wrun.out"; then ok "c+js: jco transpile + node prints the same bytes as wrun"
      else bad "c+js: node printed: $(cat "$C/jco/out" "$C/jco/err" | head -c 400)"; fi
    elif grep -q 'Maximum call stack size exceeded' "$C/jco/log"; then
      skp "c+js: jco transpile of the composed file: $(grep -m1 'RangeError' "$C/jco/log") (jco's limit on nested StarlingMonkey components)"
    else bad "c+js: jco transpile: $(grep -v '^ *at ' "$C/jco/log" | tail -2)"; fi
    S=$C/sep
    rm -rf "$S"; mkdir -p "$S"; ln -s "$NM" "$S/node_modules"
    if "$JCO" transpile "$JS" -o "$S/jsfmt" --name jsfmt > "$S/log" 2>&1 &&
       "$JCO" transpile "$C/app.wasm" -o "$S/app" --name app --map 'demo:js/format@0.1.0=../jsfmt/jsfmt.js#format' >> "$S/log" 2>&1; then
      (cd "$S" && node --input-type=module -e "import { run } from './app/app.js'; run.run();" > out 2> err; echo "exit $?" >> out)
      if cmp -s "$S/out" "$C/wrun.out"; then ok "c+js: the two components linked by jco print the same bytes as wrun's run of the composition"
      else bad "c+js: jco-linked run printed: $(cat "$S/out" "$S/err" | head -c 400)"; fi
    else bad "c+js: jco transpile of the parts: $(grep -v '^ *at ' "$S/log" | tail -2)"; fi
  fi
fi

echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
