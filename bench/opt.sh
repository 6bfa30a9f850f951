#!/usr/bin/env bash
# `wcompose opt` against `jco opt` (part of `make bench`, not of `make test`): for the C, Rust and
# JS components of tests/component/build-real.sh, ../shared/python/py-greeter.component.wasm and
# the composed C component of bench/opt-composed.sh (examples/greeter's app + greeter), at -O2 and
# -Oz, one run each, interleaved (each component and level: wcompose, then jco): output size and
# wall time of
#   wcompose opt IN -o OUT -LEVEL          (libbinaryen 108 in-process, names kept)
#   jco opt IN -o OUT -- -LEVEL --low-memory-unused --enable-bulk-memory --strip-debug
#                                          (jco's own default flags with the level replaced:
#                                           binaryen 130's wasm-opt, compiled to Wasm, under node)
# and, as jco strips names (--strip-debug), `wcompose opt -LEVEL --pass strip-debug` for the same
# policy; for the compositions (composed-c, and pyc-c: the Python + C composition of
# bench/opt-composed.sh) also `wcompose opt -LEVEL --dce` (dead code across modules). Every output is checked with `winspect --validate`. Prints a markdown table.
# Then bench/opt_speed.py: CoreMark and the kernels built at -O0 and optimized by
# `wcompose opt -O3` and by the `wasm-opt -O3` program, their speed under wrun (SKIP_SPEED=1: not).
# Environment: BUILD (default build), COMPONENTS, LEVELS, SKIP_JCO=1 (no jco opt column).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
WC=$BUILD/bin/wcompose
WI=$BUILD/bin/winspect
JCO=$PWD/scripts/npm/node_modules/.bin/jco
R=$BUILD/tests/component-real
COMPONENTS=${COMPONENTS:-hello-c hello-rs hello-js py-greeter composed-c pyc-c}
LEVELS=${LEVELS:-O2 Oz}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
bash tests/component/build-real.sh >/dev/null || echo "bench: some components could not be built" >&2
BUILD=$BUILD bash bench/opt-composed.sh "$TMP/ex" >&2 || echo "bench: the composed component could not be built" >&2
secs() { local t0 t1; t0=$(date +%s.%N); "$@" >"$TMP/log" 2>&1; local rc=$?; t1=$(date +%s.%N)
  python3 -c "print(f'{$t1-$t0:.2f}')"; return $rc; }
size() { stat -c %s "$1"; }
echo "| component | level | input bytes | wcompose opt bytes | + strip-debug | + --dce | jco opt bytes | wcompose s | + strip-debug s | + --dce s | jco s | jco s / wcompose s |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
# run_opt VAR_S VAR_T OUT ARGS...: size (or failed) and seconds of one run, checked by winspect --validate
run_opt() { local out=$3 t; shift 3
  if t=$(secs "$@") && "$WI" --validate "$out" 2>/dev/null; then R_S=$(size "$out"); else R_S="failed ($(grep -m1 -i error "$TMP/log" | head -c 80))"; fi
  R_T=$t; rm -f "$out"; }
for c in $COMPONENTS; do
  case $c in py-greeter) f=../shared/python/py-greeter.component.wasm ;; composed-c|pyc-c) f=$TMP/ex/$c.wasm ;;
    *) f=$R/$c.wasm ;; esac
  [ -f "$f" ] || { echo "| $c | missing |"; continue; }
  for l in $LEVELS; do
    run_opt x x "$TMP/w.wasm" "$WC" opt "$f" -o "$TMP/w.wasm" -$l; sw=$R_S; tw=$R_T
    ss="-"; ts="-"; sd="-"; td="-"; sj="-"; tj="-"
    # strip-debug: the name policy of jco opt (not for pyc-c: py-greeter's row shows it)
    [ $c = pyc-c ] || { run_opt x x "$TMP/s.wasm" "$WC" opt "$f" -o "$TMP/s.wasm" -$l --pass strip-debug; ss=$R_S; ts=$R_T; }
    # --dce: for the compositions (components wcompose new made keep the whole preview1 adapter)
    case $c in composed-c|pyc-c) run_opt x x "$TMP/d.wasm" "$WC" opt "$f" -o "$TMP/d.wasm" -$l --dce; sd=$R_S; td=$R_T ;; esac
    if [ "${SKIP_JCO:-0}" != 1 ] && [ $c != pyc-c ]; then
      run_opt x x "$TMP/j.wasm" "$JCO" opt "$f" -o "$TMP/j.wasm" -- -$l --low-memory-unused --enable-bulk-memory --strip-debug
      sj=$R_S; tj=$R_T
    fi
    ratio=$(python3 -c "import sys
try: print(f'{float(sys.argv[1])/float(sys.argv[2]):.1f}x')
except Exception: print('-')" "$tj" "$tw")
    echo "| $c | -$l | $(size "$f") | $sw | $ss | $sd | $sj | $tw | $ts | $td | $tj | $ratio |"
  done
done
[ "${SKIP_SPEED:-0}" = 1 ] || BUILD=$BUILD python3 bench/opt_speed.py
