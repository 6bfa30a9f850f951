#!/usr/bin/env bash
# wit-bindgen's runtime test worlds (../shared/corpora/wit-bindgen-runtime-wit, issue 10 Deliver 5):
# for each world a C guest (tests/component-exec/data/runtime-wit/WORLD.c) is built with
# `wit-gen c` bindings for its `test` world, clang-14 --target=wasm32-wasi (reactor), and
# `jco new` with jco's preview1 reactor adapter. Every case of WORLD.cases.json is called
# through `wrun --invoke` and compared with the same call on the component transpiled by
# `jco transpile` and run by node (driver.mjs prints node's results in WAVE form and a trap
# as `trap`). Per case: passed when wrun prints exactly what node got.
# variants and lists also with a JS guest (WORLD.js, componentize-js): the same cases on it.
# Cases files marked "typed": true are driven by the function's WIT signature
# (`wit-gen json` of the world), see driver.mjs.
# Worlds covered: numbers, strings, records (tuples, flags, records), variants (option,
# result, enum, bool, variants with and without payloads, typedefs), lists (all functions
# but allocated-bytes: a leak counter wasi-libc cannot give without mallinfo; list-param-large takes
# 1000 strings from a {"$strings": [N, P]} case).
# resources: WAVE has no handle syntax and each `wrun --invoke` is a fresh instance, so the
# resources are driven from inside: three C components (data/runtime-wit/resources/: leaf,
# resources, runner, each with `wit-gen c` bindings for its world of the corpus's test.wit)
# are composed by `wcompose compose` with the corpus's own compose.wac (runner -> resources ->
# leaf) and with lib.wac (leaf -> resources, whose exports the host calls). The SAME composed
# binaries run under `wrun --invoke` and under `jco transpile` + node (resources.mjs); per case
# the whole stdout (every result the runner prints, and each destructor's line from the
# component that defines the resource) plus `trap` must be identical. The environment variable
# RT_CASE selects one handle error; for those wrun must also name the spec's reason.
# And the same with the resources component written in JS (see "resources (JS)" below).
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
# WORLD (a C guest) or WORLD:js (data/runtime-wit/WORLD.js by componentize-js, cached by the
# hash of its sources and componentize-js; node keeps one instance across cases -- RT_SHARED,
# re-imported after a trap -- since each import compiles its 12 MB; wrun uses an AOT cache dir)
for entry in numbers strings records variants lists variants:js lists:js; do
  world=${entry%:js}; lang=c; shared=; wopt=()
  if [ "$entry" != "$world" ]; then
    lang=js; o=$T/$world-js; mkdir -p "$o"; ln -sfn "$NM" "$o/node_modules"; shared=1; wopt=(--cache "$o/cache")
    key=$(cat "$D/$world.js" "$CORPUS/$world/test.wit" "$NM/@bytecodealliance/componentize-js/package.json" \
          tests/component/build-js-component.mjs | sha256sum | cut -c1-16)
    if [ "$(cat "$o/key" 2>/dev/null)" != "$key" ] || [ ! -f "$o/js/$world.js" ]; then
      rm -f "$o/key"; mkdir -p "$o/wit"; cp "$CORPUS/$world/test.wit" "$o/wit/"
      { NPM_MODULES=$NM timeout 900 node tests/component/build-js-component.mjs "$D/$world.js" "$o/wit" test \
          "$o/$world.wasm" http,fetch-event &&
        "$NM/.bin/jco" transpile "$o/$world.wasm" -o "$o/js" --name "$world"; } >"$o/build.log" 2>&1 &&
        echo "$key" >"$o/key" || { bad "$world (JS): build failed (see $o/build.log)"; continue; }
    fi
  else
  o=$T/$world; mkdir -p "$o"; ln -sfn "$NM" "$o/node_modules"
  fi
  if [ $lang = c ] && { [ ! -f "$o/$world.wasm" ] || [ "$D/$world.c" -nt "$o/$world.wasm" ] || [ "$G" -nt "$o/$world.wasm" ]; }; then
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
  if ! RT_SHARED=$shared node "$D/driver.mjs" "$o/js/$world.js" "$D/$world.cases.json" "$o/invokes.txt" $typed >"$o/expected.txt" 2>"$o/node.err"; then
    bad "$world: node driver failed: $(head -c 300 "$o/node.err")"; continue
  fi
  exec 3<"$o/expected.txt"
  wp=0; wf=0
  while IFS= read -r call; do
    got=$("$W" "${wopt[@]}" --invoke "$call" "$o/$world.wasm" 2>"$o/wrun.err"); rc=$?
    [ $rc -eq 134 ] && got=trap
    [ $rc -ne 0 ] && [ $rc -ne 134 ] && got="exit $rc: $(head -c 200 "$o/wrun.err")"
    IFS= read -r want <&3
    if [ "$got" = "$want" ]; then wp=$((wp+1)); else wf=$((wf+1)); bad "$world: $call: wrun '$got', jco+node '$want'"; fi
  done <"$o/invokes.txt"
  exec 3<&-
  echo "$entry: $wp passed, $wf failed"
  pass=$((pass+wp)); fail=$((fail+wf))
done

# ---- resources (composed; see the header) ----
skip=0
RC=$CORPUS/resources
RD=$D/resources
o=$PWD/$T/resources; mkdir -p "$o"; ln -sfn "$NM" "$o/node_modules"
stamp=$(cat "$RD"/*.c "$RD"/lib.wac "$RC"/test.wit "$RC"/compose.wac "$0" | sha256sum | cut -c1-16)
if [ ! -f "$o/ok.$stamp" ] || [ "$G" -nt "$o/ok.$stamp" ] || [ "$PWD/$BUILD/bin/wcompose" -nt "$o/ok.$stamp" ]; then
  rm -f "$o"/ok.*
  { for w in leaf resources runner; do
      mkdir -p "$o/$w" &&
      "$G" c "$RC/test.wit" --world $w --out-dir "$o/$w" &&
      clang-14 --target=wasm32-wasi -mexec-model=reactor -O2 -I"$o/$w" -o "$o/$w.core.wasm" "$RD/$w.c" "$o/$w/$w.c" \
        "$o/$w/${w}_component_type.o" &&
      "$NM/.bin/jco" new "$o/$w.core.wasm" --adapt "wasi_snapshot_preview1=$ADAPTER" -o "$o/$w.wasm" || exit 1
    done
    deps="--dep test:leaf=$o/leaf.wasm --dep test:resources=$o/resources.wasm --dep test:runner=$o/runner.wasm"
    "$PWD/$BUILD/bin/wcompose" compose "$RC/compose.wac" $deps -o "$o/composed.wasm" &&
    "$PWD/$BUILD/bin/wcompose" compose "$RD/lib.wac" $deps -o "$o/lib.wasm" &&
    "$NM/.bin/jco" transpile "$o/composed.wasm" -o "$o/js" --name composed &&
    "$NM/.bin/jco" transpile "$o/lib.wasm" -o "$o/jslib" --name lib &&
    "$NM/.bin/jco" transpile "$o/leaf.wasm" -o "$o/jsl" --name leaf &&
    "$NM/.bin/jco" transpile "$o/resources.wasm" -o "$o/jsrc" --name resources --map 'imports=../jsl/leaf.js#imports' &&
    "$NM/.bin/jco" transpile "$o/runner.wasm" -o "$o/jsuc" --name runner --map 'exports=../jsrc/resources.js#exports'
  } >"$o/build.log" 2>&1 && touch "$o/ok.$stamp"
fi
# The same worlds with the `resources` component in JS (data/runtime-wit/resources/resources.js,
# componentize-js, cached by the hash of its sources and componentize-js) between the C leaf and
# runner: a JS component exports the resources, a C component imports them. wrun runs the
# wcompose compositions; jco cannot transpile those (its transpiler overflows its stack on the
# 12 MB component inside a composition), so the jco side links the three transpiled components
# in JS (`jco transpile --map`) -- the same components, wired the same way. The C components are
# also linked so (composed-linked) for the case jco's own fused adapters cannot run.
jsok=0
if [ -f "$o/ok.$stamp" ]; then
  CJ=$NM/@bytecodealliance/componentize-js
  jskey=$(cat "$RD/resources.js" "$RC/test.wit" "$CJ/package.json" tests/component/build-js-component.mjs | sha256sum | cut -c1-16)
  if [ ! -f "$o/jsok.$stamp.$jskey" ]; then
    rm -f "$o"/jsok.*
    { if [ "$(cat "$o/resources-js.key" 2>/dev/null)" != "$jskey" ]; then
        mkdir -p "$o/wit" && cp "$RC/test.wit" "$o/wit/" &&
        NPM_MODULES=$NM timeout 900 node tests/component/build-js-component.mjs "$RD/resources.js" "$o/wit" resources \
          "$o/resources-js.wasm" http,fetch-event && echo "$jskey" >"$o/resources-js.key" || exit 1
      fi
      deps="--dep test:leaf=$o/leaf.wasm --dep test:resources=$o/resources-js.wasm --dep test:runner=$o/runner.wasm"
      "$PWD/$BUILD/bin/wcompose" compose "$RC/compose.wac" $deps -o "$o/composed-js.wasm" &&
      "$PWD/$BUILD/bin/wcompose" compose "$RD/lib.wac" $deps -o "$o/lib-js.wasm" &&
      "$NM/.bin/jco" transpile "$o/resources-js.wasm" -o "$o/jsr" --name resources --map 'imports=../jsl/leaf.js#imports' &&
      "$NM/.bin/jco" transpile "$o/runner.wasm" -o "$o/jsu" --name runner --map 'exports=../jsr/resources.js#exports'
    } >"$o/build-js.log" 2>&1 && touch "$o/jsok.$stamp.$jskey"
  fi
  [ -f "$o/jsok.$stamp.$jskey" ] && jsok=1
fi
declare -A INV=([composed-linked]='run()' [composed]='run()' [lib]='exports#test-imports()' [composed-js]='run()' [lib-js]='exports#test-imports()')
declare -A JSM=([composed-linked]=$o/jsuc/runner.js [composed]=$o/js/composed.js [lib]=$o/jslib/lib.js [composed-js]=$o/jsu/runner.js [lib-js]=$o/jsr/resources.js)
if [ ! -f "$o/ok.$stamp" ]; then
  bad "resources: build failed (see $o/build.log)"
else
  [ $jsok = 1 ] || bad "resources (JS): build failed (see $o/build-js.log)"
  rp=0; rf=0
  # CASE WASM CALL REASON [NOTE] (_ for spaces): REASON - = no trap expected by us (the
  # comparison decides); else the text wrun's trap message must contain (CanonicalABI.md: Table.get/remove
  # trap on a free index; canon resource.drop, lift_borrow and lift_own trap when the
  # handle's resource type is not the expected one). NOTE: why jco gives nothing to compare with.
  while read -r tc wasm call reason note; do
    [ "$reason" = - ] && reason=; reason=${reason//_/ }
    [ "${wasm%-js}" != "$wasm" ] && [ $jsok = 0 ] && continue
    inv=${INV[$wasm]}; js=${JSM[$wasm]}
    # composed-linked: wrun runs composed.wasm; jco links the three transpiled C components in JS
    # (the oracle for what jco's fused adapters cannot run, see the note above)
    [ "$wasm" = composed-linked ] && wasm=composed
    envs=(); [ "$tc" != - ] && envs=(--env "RT_CASE=$tc")
    got=$("$W" "${envs[@]}" --invoke "$inv" "$o/$wasm.wasm" 2>"$o/wrun.err"); rc=$?
    [ $rc -eq 134 ] && got="$got"$'\n'trap
    [ $rc -ne 0 ] && [ $rc -ne 134 ] && got="$got"$'\n'"exit $rc: $(head -c 200 "$o/wrun.err")"
    ok=1
    if [ -n "$reason" ] && ! grep -q -- "$reason" "$o/wrun.err"; then
      ok=0; echo "FAIL resources $tc: wrun's trap does not say '$reason': $(head -c 200 "$o/wrun.err")"
    fi
    if [ -n "$reason" ] && [ $rc -ne 134 ]; then ok=0; echo "FAIL resources $tc: wrun did not trap (exit $rc)"; fi
    if [ -n "$note" ]; then
      # no jco result to compare with (see the note): the comparison is skipped, not passed
      skip=$((skip+1)); echo "SKIP resources $tc (comparison with jco): ${note//_/ }"
      if [ -z "$reason" ]; then
        [ $rc -eq 0 ] || { rf=$((rf+1)); echo "FAIL resources $tc: wrun exit $rc: $(head -c 200 "$o/wrun.err")"; }
        continue
      fi
    else
      want=$( ( [ "$tc" != - ] && export RT_CASE=$tc; cd "$o" && node "$D/resources.mjs" "$js" "$call" ) 2>"$o/node.err") ||
        { rf=$((rf+1)); echo "FAIL resources $tc: node driver failed: $(head -c 300 "$o/node.err")"; continue; }
      if [ "$got" != "$want" ]; then
        ok=0; echo "FAIL resources $tc ($inv on $wasm): wrun and jco+node differ:"
        diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -20
      fi
    fi
    [ $ok = 1 ] && rp=$((rp+1)) || rf=$((rf+1))
  done <<'EOF'
- composed run -
slot-reuse composed run -
drop-twice composed run unknown_handle_index
use-after-consume composed run unknown_handle_index
bogus-handle composed run unknown_handle_index_99
wrong-type composed run has_the_wrong_resource_type
drop-wrong-type composed run has_the_wrong_resource_type jco_1.35.0_does_not_check_the_resource_type_in_resource.drop_(definitions.py_canon_resource_drop:_trap_if(h.rt_is_not_rt))
own-after-drop composed run unknown_handle_index
nested-test-imports composed run - jco_1.35.0's_fused_adapters_lose_the_current_task_when_a_post-return_runs_inside_a_guest->guest_call_("missing/incomplete_global_current_task_meta_..._during_context_get")
nested-test-imports composed-linked run -
- lib test-imports -
import-drop-twice lib test-imports unknown_handle_index
import-use-after-drop lib test-imports unknown_handle_index
import-bogus-handle lib test-imports unknown_handle_index_77
export-rep-bogus lib test-imports unknown_handle_index_55
- composed-js run -
slot-reuse composed-js run -
drop-twice composed-js run unknown_handle_index
use-after-consume composed-js run unknown_handle_index
bogus-handle composed-js run unknown_handle_index_99
wrong-type composed-js run has_the_wrong_resource_type
own-after-drop composed-js run unknown_handle_index
nested-test-imports composed-js run -
- lib-js test-imports -
EOF
  echo "resources: $rp passed, $rf failed, $skip skipped"
  pass=$((pass+rp)); fail=$((fail+rf))
fi
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
