#!/usr/bin/env bash
# `wcompose opt` against `jco opt` (not part of `make test`): for the C, Rust and JS components
# of tests/component/build-real.sh and ../shared/python/py-greeter.component.wasm, at -O2 and
# -Oz, one run each: output size and wall time of
#   wcompose opt IN -o OUT -LEVEL          (libbinaryen 108 in-process, names kept)
#   jco opt IN -o OUT -- -LEVEL --low-memory-unused --enable-bulk-memory --strip-debug
#                                          (jco's own default flags with the level replaced:
#                                           binaryen 130's wasm-opt, compiled to Wasm, under node)
# and, as jco strips names (--strip-debug), `wcompose opt -LEVEL --pass strip-debug` for the same
# policy. Every output is checked with `winspect --validate`. Prints a markdown table.
# Environment: BUILD (default build), COMPONENTS, LEVELS, SKIP_JCO=1 (no jco opt column).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
WC=$BUILD/bin/wcompose
WI=$BUILD/bin/winspect
JCO=$PWD/scripts/npm/node_modules/.bin/jco
R=$BUILD/tests/component-real
COMPONENTS=${COMPONENTS:-hello-c hello-rs hello-js py-greeter}
LEVELS=${LEVELS:-O2 Oz}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
[ -f "$R/hello-js.wasm" ] || [ ! -f /work/main/build/tests/component-real/hello-js.wasm ] ||
  { mkdir -p "$R"; cp /work/main/build/tests/component-real/hello-js.wasm "$R/"; }
bash tests/component/build-real.sh >/dev/null || echo "bench: some components could not be built" >&2
secs() { local t0 t1; t0=$(date +%s.%N); "$@" >"$TMP/log" 2>&1; local rc=$?; t1=$(date +%s.%N)
  python3 -c "print(f'{$t1-$t0:.2f}')"; return $rc; }
size() { stat -c %s "$1"; }
echo "| component | level | input bytes | wcompose opt bytes | + strip-debug | jco opt bytes | wcompose s | + strip-debug s | jco s |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
for c in $COMPONENTS; do
  case $c in py-greeter) f=../shared/python/py-greeter.component.wasm ;; *) f=$R/$c.wasm ;; esac
  [ -f "$f" ] || { echo "| $c | missing |"; continue; }
  for l in $LEVELS; do
    if tw=$(secs "$WC" opt "$f" -o "$TMP/w.wasm" -$l) && "$WI" --validate "$TMP/w.wasm" 2>/dev/null; then sw=$(size "$TMP/w.wasm")
    else sw="failed"; fi
    if ts=$(secs "$WC" opt "$f" -o "$TMP/s.wasm" -$l --pass strip-debug) && "$WI" --validate "$TMP/s.wasm" 2>/dev/null; then ss=$(size "$TMP/s.wasm")
    else ss="failed"; fi
    if [ "${SKIP_JCO:-0}" = 1 ]; then tj="-"; sj="-"
    elif tj=$(secs "$JCO" opt "$f" -o "$TMP/j.wasm" -- -$l --low-memory-unused --enable-bulk-memory --strip-debug) &&
       "$WI" --validate "$TMP/j.wasm" 2>/dev/null; then sj=$(size "$TMP/j.wasm")
    else sj="failed ($(grep -m1 -i error "$TMP/log" | head -c 80))"; fi
    echo "| $c | -$l | $(size "$f") | $sw | $ss | $sj | $tw | $ts | $tj |"
    rm -f "$TMP/w.wasm" "$TMP/s.wasm" "$TMP/j.wasm"
  done
done
