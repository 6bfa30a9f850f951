#!/usr/bin/env bash
# wit-gen c: for every WIT in ../shared/corpora/wit-bindgen-codegen, the generated C must compile with
# clang --target=wasm32-wasi -Wall -Wextra -Werror -Wc++-compat -Wno-unused-parameter -c
# under wit-bindgen's four codegen variants (default, --no-sig-flattening, --autodrop-borrows=yes,
# --async=all), exactly as upstream's crates/test/src/c.rs `verify` does. Cases upstream expects to fail
# for C (crates/test/src/c.rs should_fail_verify: `error-context` configs and named-fixed-length-list)
# must fail here too (generation or compilation). Generation must be deterministic (run twice, cmp).
set -u
BUILD=${BUILD:-build}
WITGEN=${WITGEN:-$BUILD/bin/wit-gen}
CORPUS=${CORPUS:-../shared/corpora/wit-bindgen-codegen}
CLANG=${CLANG:-clang}
pass=0; fail=0; skip=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
if [ ! -x "$WITGEN" ]; then echo "no $WITGEN"; echo "0 passed, 1 failed"; exit 1; fi
if [ ! -d "$CORPUS" ]; then echo "no corpus at $CORPUS"; echo "0 passed, 1 failed"; exit 1; fi
variants="default:|no-sig-flattening:--no-sig-flattening|autodrop:--autodrop-borrows=yes|async:--async=all"
declare -A counts
for entry in "$CORPUS"/*; do
  base=$(basename "$entry")
  case "$base" in COMMIT|LICENSE*) continue;; esac
  if [ -d "$entry" ]; then path="$entry/wit"; [ -d "$path" ] || path="$entry"; else path="$entry"; fi
  expect_fail=0
  if [ -f "$entry" ] && grep -q '^//@ *error-context *= *true' "$entry"; then expect_fail=1; fi
  case "$base" in named-fixed-length-list.wit*) expect_fail=1;; esac
  IFS='|' read -ra vs <<< "$variants"
  for v in "${vs[@]}"; do
    vname=${v%%:*}; vopt=${v#*:}
    out="$tmp/$base-$vname"; mkdir -p "$out"
    ok=1; why=""
    if ! "$WITGEN" c "$path" --out-dir "$out" $vopt >"$out/gen.log" 2>&1; then ok=0; why="generate: $(head -c 300 "$out/gen.log")"; fi
    if [ $ok = 1 ]; then
      c=$(ls "$out"/*.c | head -1)
      if ! $CLANG --target=wasm32-wasi -Wall -Wextra -Werror -Wc++-compat -Wno-unused-parameter -c "$c" -I "$out" -o "$out/tmp.o" >"$out/cc.log" 2>&1; then
        ok=0; why="compile: $(grep -m3 error "$out/cc.log")"
      fi
    fi
    if [ $ok = 1 ] && [ "$vname" = default ]; then
      mkdir -p "$out/again"
      "$WITGEN" c "$path" --out-dir "$out/again" $vopt >/dev/null 2>&1
      for f in "$out"/*.h "$out"/*.c "$out"/*_component_type.o; do
        if ! cmp -s "$f" "$out/again/$(basename "$f")"; then ok=0; why="nondeterministic output: $(basename "$f")"; fi
      done
    fi
    if [ $expect_fail = 1 ]; then
      if [ $ok = 0 ]; then pass=$((pass+1)); counts[$vname]=$(( ${counts[$vname]:-0} + 1 )); echo "ok (expected failure) $vname $base";
      else fail=$((fail+1)); echo "FAIL $vname $base: upstream expects failure but it compiled"; fi
    elif [ $ok = 1 ]; then pass=$((pass+1)); counts[$vname]=$(( ${counts[$vname]:-0} + 1 ));
    else fail=$((fail+1)); echo "FAIL $vname $base: $why"; fi
  done
done
for v in default no-sig-flattening autodrop async; do echo "variant $v: ${counts[$v]:-0} passed"; done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
