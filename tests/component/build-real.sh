#!/usr/bin/env bash
# Build the three real components the suites use (cached in $BUILD/tests/component-real):
#   hello-c.wasm  - data/hello.c (wasm32-wasi, preview1) + `jco new` with jco's preview1 command adapter
#   hello-rs.wasm - data/hello.rs (Debian's rustc 1.63, --target wasm32-wasi, std's debug info stripped,
#                   name + producers sections kept) + the same adapter
#   hello-js.wasm - data/hello.js + data/wit by componentize-js (about 12 MB)
#   cli-js.wasm   - data/cli.js + data/cli-js-wit (+ jco's WASI 0.2.12 WIT as deps), a JS wasi:cli
#                   command by componentize-js without its http/fetch-event features; rebuilt only
#                   when the sources or componentize-js change (cli-js.key: their sha256), since
#                   componentize-js takes ~20 s of CPU
# With arguments (hello-c hello-rs hello-js cli-js), builds only those (no argument: the first three).
# Exits non-zero if any cannot be built (a missing rustc or wasm32-wasi std is such a failure:
# scripts/setup.sh installs rustc and libstd-rust-dev-wasm32).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
NM=$PWD/scripts/npm/node_modules
OUT=$BUILD/tests/component-real
mkdir -p "$OUT"
rc=0
WANT=" ${*:-hello-c hello-rs hello-js} "
ADAPTER=$NM/@bytecodealliance/jco/lib/wasi_snapshot_preview1.command.wasm
if [[ $WANT == *" hello-c "* ]] && [ ! -f "$OUT/hello-c.wasm" ]; then
  { clang-14 --target=wasm32-wasi -O2 -o "$OUT/hello.core.wasm" tests/component/data/hello.c &&
    "$NM/.bin/jco" new "$OUT/hello.core.wasm" --adapt "wasi_snapshot_preview1=$ADAPTER" -o "$OUT/hello-c.wasm"; } \
    >"$OUT/c-build.log" 2>&1 || { echo "cannot build the C component (see $OUT/c-build.log)"; rc=1; }
fi
if [[ $WANT == *" hello-rs "* ]] && { [ ! -f "$OUT/hello-rs.wasm" ] || [ tests/component/data/hello.rs -nt "$OUT/hello-rs.wasm" ]; }; then
  RUSTC=/usr/bin/rustc
  if ! "$RUSTC" --print target-list 2>/dev/null | grep -qx wasm32-wasi ||
     [ ! -d "$("$RUSTC" --print sysroot 2>/dev/null)/lib/rustlib/wasm32-wasi" ]; then
    echo "cannot build the Rust component: $RUSTC has no wasm32-wasi std (install rustc libstd-rust-dev-wasm32)"; rc=1
  else
    { "$RUSTC" --target wasm32-wasi -O -C strip=debuginfo -o "$OUT/hello-rs.core.wasm" tests/component/data/hello.rs &&
      "$NM/.bin/jco" new "$OUT/hello-rs.core.wasm" --adapt "wasi_snapshot_preview1=$ADAPTER" -o "$OUT/hello-rs.wasm"; } \
      >"$OUT/rs-build.log" 2>&1 || { echo "cannot build the Rust component (see $OUT/rs-build.log)"; rm -f "$OUT/hello-rs.wasm"; rc=1; }
  fi
fi
if [[ $WANT == *" hello-js "* ]] && [ ! -f "$OUT/hello-js.wasm" ]; then
  NPM_MODULES=$NM timeout 900 node tests/component/build-js-component.mjs tests/component/data/hello.js \
    tests/component/data/wit hello "$OUT/hello-js.wasm" >"$OUT/js-build.log" 2>&1 ||
    { echo "cannot build the JS component (see $OUT/js-build.log)"; rm -f "$OUT/hello-js.wasm"; rc=1; }
fi
if [[ $WANT == *" cli-js "* ]]; then
  CJ=$NM/@bytecodealliance/componentize-js
  key=$(cat tests/component/data/cli.js tests/component/data/cli-js-wit/world.wit "$CJ/package.json" \
        tests/component/build-js-component.mjs | sha256sum | cut -c1-32)
  if [ ! -f "$OUT/cli-js.wasm" ] || [ "$(cat "$OUT/cli-js.key" 2>/dev/null)" != "$key" ]; then
    rm -f "$OUT/cli-js.wasm" "$OUT/cli-js.key"
    W=$OUT/cli-js-wit; rm -rf "$W"; mkdir -p "$W/deps"
    cp tests/component/data/cli-js-wit/world.wit "$W/"
    for p in io clocks random cli filesystem sockets; do
      mkdir -p "$W/deps/$p" && cp "$NM/@bytecodealliance/jco/lib/wit/builtin/0.2.12/wasi-$p/package.wit" "$W/deps/$p/"
    done
    if NPM_MODULES=$NM timeout 900 node tests/component/build-js-component.mjs tests/component/data/cli.js "$W" cmd \
         "$OUT/cli-js.wasm" http,fetch-event >"$OUT/cli-js-build.log" 2>&1; then
      echo "$key" >"$OUT/cli-js.key"
    else
      echo "cannot build the JS command (see $OUT/cli-js-build.log)"; rm -f "$OUT/cli-js.wasm"; rc=1
    fi
  fi
fi
exit $rc
