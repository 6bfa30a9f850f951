#!/usr/bin/env bash
# bench/opt-composed.sh OUTDIR: the composed component of the `wcompose opt` suite and bench
# (tests/compose/suite-opt.sh, bench/opt.sh): examples/greeter's app.c (a wasi:cli command
# importing example:greeter/greet) and greeter.c (a reactor exporting it), each built with
# `wit-gen c` bindings, clang and `wcompose new` with jco's preview1 adapters, then composed by
# `wcompose APP GREETER`. Writes OUTDIR/{app,greeter,composed-c}.wasm and
# OUTDIR/work/greeting.txt (its input); exits non-zero with the failing step's output otherwise.
# With ../shared/python/py-greeter.component.wasm present, also OUTDIR/pyc-c.wasm: a Python + C
# composition (tests/compose/data/pyc-app.c, a C reactor importing demo:py/greet and exporting
# demo:app/hello, with py-greeter plugged in by `wcompose plug`).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
E=${1:?usage: bench/opt-composed.sh OUTDIR}
B=$BUILD/bin
AD=$PWD/scripts/npm/node_modules/@bytecodealliance/jco/lib
mkdir -p "$E/work"
cp examples/greeting.txt "$E/work/greeting.txt"
CC=(clang --target=wasm32-wasi -O2 -Wl,--strip-debug)
{
  "$B/wit-gen" c examples/greeter/greeter.wit --world greeter --out-dir "$E/gen-greeter" &&
  "${CC[@]}" -mexec-model=reactor -I "$E/gen-greeter" -o "$E/greeter.core.wasm" examples/greeter/greeter.c \
    "$E/gen-greeter/greeter.c" "$E/gen-greeter/greeter_component_type.o" &&
  "$B/wcompose" new "$E/greeter.core.wasm" --adapt "wasi_snapshot_preview1=$AD/wasi_snapshot_preview1.reactor.wasm" \
    -o "$E/greeter.wasm" &&
  "$B/wit-gen" c examples/greeter/greeter.wit --world app --out-dir "$E/gen-app" &&
  "${CC[@]}" -I "$E/gen-app" -o "$E/app.core.wasm" examples/greeter/app.c "$E/gen-app/app.c" \
    "$E/gen-app/app_component_type.o" &&
  "$B/wcompose" new "$E/app.core.wasm" --adapt "wasi_snapshot_preview1=$AD/wasi_snapshot_preview1.command.wasm" \
    -o "$E/app.wasm" &&
  "$B/wcompose" "$E/app.wasm" "$E/greeter.wasm" -o "$E/composed-c.wasm"
} > "$E/build.log" 2>&1 || { tail -5 "$E/build.log"; exit 1; }
PY=../shared/python/py-greeter.component.wasm
[ -f "$PY" ] || exit 0
mkdir -p "$E/pyc-wit/deps/py"
cp tests/compose/data/pyc-app.wit "$E/pyc-wit/"
cp ../shared/python/greet.wit "$E/pyc-wit/deps/py/"
{
  "$B/wit-gen" c "$E/pyc-wit" --world capp --out-dir "$E/gen-capp" &&
  "${CC[@]}" -mexec-model=reactor -I "$E/gen-capp" -o "$E/capp.core.wasm" tests/compose/data/pyc-app.c \
    "$E/gen-capp/capp.c" "$E/gen-capp/capp_component_type.o" &&
  "$B/wcompose" new "$E/capp.core.wasm" --adapt "wasi_snapshot_preview1=$AD/wasi_snapshot_preview1.reactor.wasm" \
    -o "$E/capp.wasm" &&
  "$B/wcompose" plug --plug "$PY" "$E/capp.wasm" -o "$E/pyc-c.wasm"
} > "$E/build-pyc.log" 2>&1 || { tail -5 "$E/build-pyc.log"; exit 1; }
