#!/usr/bin/env bash
# wit-bindgen's runtime test worlds (../shared/corpora/wit-bindgen-runtime-wit, issue 10 Deliver 5):
# for each world a C guest (tests/component-exec/data/runtime-wit/WORLD.c) is built with
# `wit-gen c` bindings for its `test` world, clang-14 --target=wasm32-wasi (reactor), and
# `jco new` with jco's preview1 reactor adapter. Every case of WORLD.cases.json is called
# through `wrun --invoke` and compared with the same call on the component transpiled by
# `jco transpile` and run by node (driver.mjs prints node's results in WAVE form and a trap
# as `trap`). Per case: passed when wrun prints exactly what node got.
# Cases files marked "typed": true are driven by the function's WIT signature
# (`wit-gen json` of the world), see driver.mjs.
# Worlds covered: numbers, strings, records (tuples, flags, records), variants (option,
# result, enum, bool, variants with and without payloads, typedefs), lists (all functions
# but list-param-large and allocated-bytes). Not yet: resources (needs handles in WAVE).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
W=$PWD/$BUILD/bin/wrun
G=$PWD/$BUILD/bin/wit-gen
NM=$PWD/scripts/npm/node_modules
CORPUS=../shared/corpora/wit-bindgen-runtime-wit
D=$PWD/tests/component-exec/data/runtime-wit
T=$BUILD/tests/runtime-wit
ADAPTER=$NM/@bytecodealliance/jco/lib/wasi_snapshot_preview1.reactor.wasm
pass=0; fail=0
bad() { fail=$((fail+1)); echo "FAIL $*"; }
for x in "$W" "$G"; do [ -x "$x" ] || { echo "$x not built"; echo "0 passed, 1 failed"; exit 1; }; done
for world in numbers strings records variants lists; do
  o=$T/$world; mkdir -p "$o"; ln -sfn "$NM" "$o/node_modules"
  if [ ! -f "$o/$world.wasm" ] || [ "$D/$world.c" -nt "$o/$world.wasm" ] || [ "$G" -nt "$o/$world.wasm" ]; then
    { "$G" c "$CORPUS/$world/test.wit" --world test --out-dir "$o" &&
      clang-14 --target=wasm32-wasi -mexec-model=reactor -O2 -I"$o" -o "$o/core.wasm" "$D/$world.c" "$o/test.c" \
        "$o/test_component_type.o" &&
      "$NM/.bin/jco" new "$o/core.wasm" --adapt "wasi_snapshot_preview1=$ADAPTER" -o "$o/$world.wasm" &&
      "$NM/.bin/jco" transpile "$o/$world.wasm" -o "$o/js" --name "$world"; } >"$o/build.log" 2>&1 ||
      { bad "$world: build failed (see $o/build.log)"; rm -f "$o/$world.wasm"; continue; }
  fi
  typed=
  if grep -q '"typed": true' "$D/$world.cases.json"; then
    "$G" json "$CORPUS/$world/test.wit" >"$o/wit.json" || { bad "$world: wit-gen json failed"; continue; }
    typed=$o/wit.json
  fi
  if ! node "$D/driver.mjs" "$o/js/$world.js" "$D/$world.cases.json" "$o/invokes.txt" $typed >"$o/expected.txt" 2>"$o/node.err"; then
    bad "$world: node driver failed: $(head -c 300 "$o/node.err")"; continue
  fi
  exec 3<"$o/expected.txt"
  wp=0; wf=0
  while IFS= read -r call; do
    got=$("$W" --invoke "$call" "$o/$world.wasm" 2>"$o/wrun.err"); rc=$?
    [ $rc -eq 134 ] && got=trap
    [ $rc -ne 0 ] && [ $rc -ne 134 ] && got="exit $rc: $(head -c 200 "$o/wrun.err")"
    IFS= read -r want <&3
    if [ "$got" = "$want" ]; then wp=$((wp+1)); else wf=$((wf+1)); bad "$world: $call: wrun '$got', jco+node '$want'"; fi
  done <"$o/invokes.txt"
  exec 3<&-
  echo "$world: $wp passed, $wf failed"
  pass=$((pass+wp)); fail=$((fail+wf))
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
