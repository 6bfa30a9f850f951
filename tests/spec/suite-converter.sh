#!/usr/bin/env bash
# Oracle check of tests/spec/wast2json-core.mjs, the fallback converter for
# the spec files wabt 1.0.32 cannot read: it converts every other
# spec-core-2.0 file and tests/spec/check-converter.mjs compares the result
# with wabt wast2json's (command lists; modules byte for byte without "name"
# sections, else as printed by wasm2wat). names.wast is left out: wasm-tools'
# lexer rejects its bidi control characters (ConfusingUnicode) and wast2json
# reads it, so the fallback never has to. VERBOSE=1 lists every skipped pair.
set -u
BUILD=${BUILD:-build}
ref="$BUILD/spec-json"
alt="$BUILD/spec-json-alt"
corpus=../shared/corpora/spec-core-2.0
tsv=$corpus/WAST2JSON_1.0.32_RESULTS.tsv
jco_wt=scripts/npm/node_modules/@bytecodealliance/jco-transpile/dist/wasm-tools.js
if ! bash tests/spec/convert.sh "$ref" >/dev/null 2>&1; then
  echo "converter: error: tests/spec/convert.sh failed"
  echo "0 passed, 1 failed"
  exit 1
fi
unreadable=" $(awk -F'\t' 'NR > 1 && $2 == "FAIL" { sub(/\.wast$/, "", $1); printf "%s ", $1 }' "$tsv")"
files=() names=()
for f in "$corpus"/*.wast; do
  n=$(basename "$f" .wast)
  [[ $unreadable == *" $n "* || $n == names ]] && continue
  files+=("$f")
  names+=("$n")
done
rm -rf "$alt"
if ! JCO_WT=$jco_wt node tests/spec/wast2json-core.mjs -d "$alt" "${files[@]}"; then
  echo "converter: error: wast2json-core.mjs failed on some file"
  echo "0 passed, 1 failed"
  exit 1
fi
node tests/spec/check-converter.mjs "$ref" "$alt" "${names[@]}"
rc=$?
rm -rf "$alt"
exit $rc
