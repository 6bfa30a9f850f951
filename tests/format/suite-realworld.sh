#!/usr/bin/env bash
# Real-world core modules: every core module (\0asm version 1) shipped in the
# npm peers (scripts/npm/node_modules: componentize-js, flite, yosys, ...;
# 10-30 MB compilers' output) must decode, validate and re-encode byte-exact,
# and wabt's wasm-validate (ignoring custom-section errors, which never make
# a module invalid: Core 5.5.3) must agree that it is valid.
# Usage: BUILD=build-x bash tests/format/suite-realworld.sh
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
wkcheck=$BUILD/tests/tools/wkcheck
pass=0 fail=0 skip=0
files=$(find scripts/npm/node_modules/ -name '*.wasm' 2>/dev/null | sort)
if [ -z "$files" ]; then
  echo "suite-realworld: no npm peers installed (run scripts/setup.sh)"
  echo "0 passed, 1 failed"
  exit 1
fi
start=$(date +%s.%N)
bytes=0
for f in $files; do
  if [ "$(head -c 8 "$f" | od -An -tx1 | tr -d ' \n')" != 0061736d01000000 ]; then
    skip=$((skip + 1)) # a component or not wasm: components are checked elsewhere
    continue
  fi
  if ! out=$("$wkcheck" --validate --roundtrip "$f" 2>&1); then
    echo "FAIL $f: $out"
    fail=$((fail + 1))
  elif ! wasm-validate --ignore-custom-section-errors "$f" >/dev/null 2>&1; then
    echo "FAIL $f: accepted by wkcheck, rejected by wasm-validate"
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
    bytes=$((bytes + $(stat -c %s "$f")))
  fi
done
end=$(date +%s.%N)
echo "$skip files skipped (not core modules)"
awk -v b="$bytes" -v s="$start" -v e="$end" 'BEGIN { printf "%.1f MB of modules checked in %.1fs (incl. wasm-validate)\n", b / 1e6, e - s }'
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
