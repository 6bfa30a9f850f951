#!/usr/bin/env bash
# Build the wasi:http/proxy test handlers into $BUILD/tests/http (cached):
#   handler.wasm     tests/http/handler.c: wit-gen c bindings of the
#                    wasi:http@0.2.12 proxy world (jco's WIT), clang-14
#                    wasm32-wasi reactor, `jco new` + jco's preview1 reactor adapter
#   handler-js.wasm  tests/http/handler.js by componentize-js (`fetch` event),
#                    only with argument `js` (several minutes). StarlingMonkey
#                    imports wasi:http@0.2.10, so its world is jco's 0.2.12 WIT
#                    renamed to 0.2.10 (0.2.11/0.2.12 only add @since items).
# Exits non-zero if a wanted component cannot be built (logs in $BUILD/tests/http).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
NM=$PWD/scripts/npm/node_modules
OUT=$PWD/$BUILD/tests/http
WIT=$OUT/wit
mkdir -p "$OUT"
rc=0
if [ ! -f "$OUT/handler.wasm" ] || [ tests/http/handler.c -nt "$OUT/handler.wasm" ]; then
  rm -rf "$WIT" "$OUT/gen"
  mkdir -p "$WIT/deps"
  cp -rL "$NM/@bytecodealliance/jco/lib/wit/builtin/0.2.12/"wasi-* "$WIT/deps/"
  printf 'package wkit:serve-test;\nworld handler {\n  include wasi:http/proxy@0.2.12;\n}\n' >"$WIT/world.wit"
  { "$BUILD/bin/wit-gen" c "$WIT" --out-dir "$OUT/gen" &&
    clang-14 --target=wasm32-wasi -mexec-model=reactor -O2 -I"$OUT/gen" -o "$OUT/handler.core.wasm" \
      tests/http/handler.c "$OUT/gen/handler.c" "$OUT/gen/handler_component_type.o" &&
    "$NM/.bin/jco" new "$OUT/handler.core.wasm" \
      --adapt "wasi_snapshot_preview1=$NM/@bytecodealliance/jco/lib/wasi_snapshot_preview1.reactor.wasm" \
      -o "$OUT/handler.wasm"; } >"$OUT/build.log" 2>&1 ||
    { echo "cannot build the C handler (see $OUT/build.log)"; rm -f "$OUT/handler.wasm"; rc=1; }
fi
if [ "${1:-}" = js ] && { [ ! -f "$OUT/handler-js.wasm" ] || [ tests/http/handler.js -nt "$OUT/handler-js.wasm" ]; }; then
  W10=$OUT/wit-0.2.10
  rm -rf "$W10"
  mkdir -p "$W10/deps"
  cp -rL "$NM/@bytecodealliance/jco/lib/wit/builtin/0.2.12/"wasi-* "$W10/deps/"
  printf 'package wkit:serve-test;\nworld handler {\n  include wasi:http/proxy@0.2.10;\n}\n' >"$W10/world.wit"
  grep -rl '0\.2\.12' "$W10/deps" | xargs sed -i 's/0\.2\.12/0.2.10/g'
  NPM_MODULES=$NM timeout 900 node tests/component/build-js-component.mjs tests/http/handler.js "$W10" handler \
    "$OUT/handler-js.wasm" >"$OUT/js-build.log" 2>&1 ||
    { echo "cannot build the JS handler (see $OUT/js-build.log)"; rm -f "$OUT/handler-js.wasm"; rc=1; }
fi
exit $rc
