#!/usr/bin/env bash
# `make example`: wkit's main job on a built-in example.
#   1. two components from C: examples/greeter/greeter.c exports example:greeter/greet,
#      examples/greeter/app.c is a wasi:cli command that imports it (bindings: wit-gen c;
#      components: wcompose new with the WASI preview1 adapter jco ships)
#   2. wcompose composes them into one component; winspect shows its world
#   3. wsign signs it and verifies the signature
#   4. wrun runs the signed component with one preopened directory and one environment
#      variable: nothing else from the host is reachable
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
B=$BUILD/bin
OUT=$BUILD/examples
ADAPTERS=scripts/npm/node_modules/@bytecodealliance/jco/lib
if [ ! -f "$ADAPTERS/wasi_snapshot_preview1.command.wasm" ]; then
  echo "examples/run.sh: the WASI preview1 adapters come with npm's @bytecodealliance/jco: run scripts/setup.sh" >&2
  exit 1
fi
rm -rf "$OUT" && mkdir -p "$OUT/work"
cp examples/greeting.txt "$OUT/work/greeting.txt"

run() { echo "+ $*" >&2; "$@"; }
CC=(clang --target=wasm32-wasi -O2 -Wall -Wextra -Wl,--strip-debug)

# 1. the library component (exports the interface) and the command component (imports it)
run "$B/wit-gen" c examples/greeter/greeter.wit --world greeter --out-dir "$OUT/gen-greeter"
run "${CC[@]}" -mexec-model=reactor -I "$OUT/gen-greeter" -o "$OUT/greeter.core.wasm" examples/greeter/greeter.c \
  "$OUT/gen-greeter/greeter.c" "$OUT/gen-greeter/greeter_component_type.o"
run "$B/wcompose" new "$OUT/greeter.core.wasm" --adapt "wasi_snapshot_preview1=$ADAPTERS/wasi_snapshot_preview1.reactor.wasm" \
  -o "$OUT/greeter.wasm"
run "$B/wit-gen" c examples/greeter/greeter.wit --world app --out-dir "$OUT/gen-app"
run "${CC[@]}" -I "$OUT/gen-app" -o "$OUT/app.core.wasm" examples/greeter/app.c "$OUT/gen-app/app.c" \
  "$OUT/gen-app/app_component_type.o"
run "$B/wcompose" new "$OUT/app.core.wasm" --adapt "wasi_snapshot_preview1=$ADAPTERS/wasi_snapshot_preview1.command.wasm" \
  -o "$OUT/app.wasm"

# 2. compose: the greeter satisfies the app's import; WASI imports become the result's imports
run "$B/wcompose" "$OUT/app.wasm" "$OUT/greeter.wasm" -o "$OUT/composed.wasm"
run "$B/winspect" --wit "$OUT/composed.wasm"

# 3. sign and verify
run "$B/wsign" keygen -o "$OUT/example.pem"
run "$B/wsign" sign -k "$OUT/example.pem" "$OUT/composed.wasm" -o "$OUT/composed.signed.wasm"
run "$B/wsign" verify -K "$OUT/example.pub" "$OUT/composed.signed.wasm"

# 4. run it, sandboxed
run "$B/wrun" --dir "$OUT/work::/work" --env NAME=wkit "$OUT/composed.signed.wasm" /work/greeting.txt
echo "--- $OUT/work/greeting.txt.report (written by the guest):"
cat "$OUT/work/greeting.txt.report"
