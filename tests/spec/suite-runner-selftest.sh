#!/usr/bin/env bash
# Self-test of tests/spec/runner.c: every assert_return / assert_trap /
# assert_exhaustion / assert_uninstantiable / assert_invalid and
# assert_malformed (binary and text) of the non-SIMD spec files is made
# wrong (tests/spec/mutate.mjs) and the runner must report each one as FAILED.
# One case per mutated command: passed = the runner caught it.
# Needs the converted corpus in $BUILD/spec-json (suite-spec.sh makes it).
set -u
BUILD=${BUILD:-build}
runner="$BUILD/tests/spec-runner"
json="$BUILD/spec-json"
out="$BUILD/spec-mutated"
bash tests/spec/convert.sh "$json" >/dev/null 2>&1 || { echo "selftest: error: conversion failed"; echo "0 passed, 1 failed"; exit 1; }
[ -x "$runner" ] || { echo "selftest: error: $runner not built"; echo "0 passed, 1 failed"; exit 1; }
rm -rf "$out"
mkdir -p "$out"
node tests/spec/mutate.mjs "$json" "$out" | sort -u >"$out/.mutated" || { echo "0 passed, 1 failed"; exit 1; }
"$runner" --verbose "$out" 2>&1 | sed -n 's/^\([^ :]*:[0-9]*\): FAIL: .*/\1/p' | sort -u >"$out/.failed"
total=$(wc -l <"$out/.mutated")
missed=$(comm -23 "$out/.mutated" "$out/.failed")
nm=$(printf '%s' "$missed" | grep -c . || true)
if [ "$nm" -gt 0 ]; then
  echo "selftest: the runner passed $nm wrong expectation(s), e.g.:"
  printf '%s\n' "$missed" | head -10
fi
rm -rf "$out"
[ "$total" -gt 0 ] || { echo "selftest: error: nothing was mutated"; echo "0 passed, 1 failed"; exit 1; }
echo "$((total - nm)) passed, $nm failed"
[ "$nm" -eq 0 ]
