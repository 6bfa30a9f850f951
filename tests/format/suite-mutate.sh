#!/usr/bin/env bash
# Robustness of the core-module decoder/validator/encoder on damaged input:
# every truncation and 100 random one-byte mutations of every module of the
# 2.0 spec corpus (as converted into $BUILD/format-spec by suite-format.sh).
# One check per module: each damaged input must be rejected cleanly (WK_ERR_MALFORMED with an
# offset inside the input) or, when it still decodes, validate-or-fail
# cleanly and re-encode to exactly the same bytes. Run it in the ASan build
# (`make asan`) to catch memory errors.
# Usage: BUILD=build-x bash tests/format/suite-mutate.sh
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
out=$BUILD/format-spec
if ! ls "$out"/*/*.wasm >/dev/null 2>&1; then
  bash tests/format/suite-format.sh >/dev/null 2>&1
fi
files=$(ls "$out"/*/*.wasm 2>/dev/null)
if [ -z "$files" ]; then
  echo "suite-mutate: no converted corpus modules in $out"
  echo "0 passed, 1 failed"
  exit 1
fi
# shellcheck disable=SC2086
res=$("$BUILD/tests/tools/wkcheck" --mutate 100 $files 2>"$out/mutate-failures.txt")
rc=$?
head -n 20 "$out/mutate-failures.txt"
echo "$res"
cases=$(echo "$res" | sed -nE 's/^([0-9]+) files,.*/\1/p')
bad=$(echo "$res" | sed -nE 's/.* in ([0-9]+) files$/\1/p')
cases=${cases:-0}
bad=${bad:-1}
if [ $rc -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi # crash or usage error
echo "$((cases - bad)) passed, $bad failed"
[ "$bad" -eq 0 ]
