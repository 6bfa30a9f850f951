#!/usr/bin/env bash
# Build the wasi:http/proxy test handlers into $BUILD/tests/http, each cached
# under a key (the sha256 of its sources and tools; rebuilt when it changes):
#   handler.wasm       tests/http/handler.c: wit-gen c bindings of the
#                      wasi:http@0.2.12 proxy world (jco's WIT), clang-14
#                      wasm32-wasi reactor, `jco new` + jco's preview1 reactor adapter
#   handler-info.wasm  the same with -DHANDLER_INFORMATIONAL and wit-gen
#                      --features informational-outbound-responses (it imports
#                      response-outparam.send-informational, which jco's shim lacks)
#   handler-js.wasm    tests/http/handler.js by componentize-js (`fetch` event;
#                      about 10 s and 0.8 GB). StarlingMonkey imports
#                      wasi:http@0.2.10, so its world is jco's 0.2.12 WIT
#                      renamed to 0.2.10 (0.2.11/0.2.12 only add @since items).
# Arguments: which to build (c info js; default all).
# Exits non-zero if a wanted component cannot be built (logs in $BUILD/tests/http).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
NM=$PWD/scripts/npm/node_modules
OUT=$PWD/$BUILD/tests/http
mkdir -p "$OUT"
WANT=" ${*:-c info js} "
rc=0
JWIT=$NM/@bytecodealliance/jco/lib/wit/builtin/0.2.12
# key FILES...: sha256 of the files' contents (and of directory trees)
key() { for f in "$@"; do if [ -d "$f" ]; then find -L "$f" -type f | sort | xargs cat; else cat "$f"; fi; done 2>/dev/null | sha256sum | cut -c1-64; }
fresh() { [ -f "$OUT/$1" ] && [ "$(cat "$OUT/$1.key" 2>/dev/null)" = "$2" ]; }

build_c() { # NAME DEFINE FEATURES
  local name=$1 def=$2 feat=$3
  local k
  k=$(key tests/http/handler.c tests/http/build-handler.sh "$BUILD/bin/wit-gen" "$JWIT/wasi-http" \
    "$NM/@bytecodealliance/jco/lib/wasi_snapshot_preview1.reactor.wasm")
  fresh "$name.wasm" "$k" && return 0
  local W=$OUT/wit-$name G=$OUT/gen-$name
  rm -rf "$W" "$G"
  mkdir -p "$W/deps"
  cp -rL "$JWIT/"wasi-* "$W/deps/"
  printf 'package wkit:serve-test;\nworld handler {\n  include wasi:http/proxy@0.2.12;\n}\n' >"$W/world.wit"
  if { "$BUILD/bin/wit-gen" c "$W" $feat --out-dir "$G" &&
    clang-14 --target=wasm32-wasi -mexec-model=reactor -O2 $def -I"$G" -o "$OUT/$name.core.wasm" \
      tests/http/handler.c "$G/handler.c" "$G/handler_component_type.o" &&
    "$NM/.bin/jco" new "$OUT/$name.core.wasm" \
      --adapt "wasi_snapshot_preview1=$NM/@bytecodealliance/jco/lib/wasi_snapshot_preview1.reactor.wasm" \
      -o "$OUT/$name.wasm"; } >"$OUT/$name-build.log" 2>&1; then
    echo "$k" >"$OUT/$name.wasm.key"
  else
    echo "cannot build $name (see $OUT/$name-build.log)"
    rm -f "$OUT/$name.wasm"
    rc=1
  fi
}
[[ $WANT == *" c "* ]] && build_c handler "" ""
[[ $WANT == *" info "* ]] && build_c handler-info -DHANDLER_INFORMATIONAL "--features informational-outbound-responses"

if [[ $WANT == *" js "* ]]; then
  CJS=$NM/@bytecodealliance/componentize-js
  k=$(key tests/http/handler.js tests/http/build-handler.sh tests/component/build-js-component.mjs \
    "$CJS/package.json" "$JWIT/wasi-http")
  if ! fresh handler-js.wasm "$k"; then
    W10=$OUT/wit-0.2.10
    rm -rf "$W10"
    mkdir -p "$W10/deps"
    cp -rL "$JWIT/"wasi-* "$W10/deps/"
    printf 'package wkit:serve-test;\nworld handler {\n  include wasi:http/proxy@0.2.10;\n}\n' >"$W10/world.wit"
    grep -rl '0\.2\.12' "$W10/deps" | xargs sed -i 's/0\.2\.12/0.2.10/g'
    if NPM_MODULES=$NM timeout 900 node tests/component/build-js-component.mjs tests/http/handler.js "$W10" handler \
      "$OUT/handler-js.wasm" >"$OUT/js-build.log" 2>&1; then
      echo "$k" >"$OUT/handler-js.wasm.key"
    else
      echo "cannot build the JS handler (see $OUT/js-build.log)"
      rm -f "$OUT/handler-js.wasm"
      rc=1
    fi
  fi
fi
exit $rc
