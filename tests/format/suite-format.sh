#!/usr/bin/env bash
# Core-module binary format suite: the WebAssembly 2.0 spec tests
# (../shared/corpora/spec-core-2.0/*.wast) against lib/encode.
#   module                       -> must decode, validate and round-trip byte-exact
#   assert_invalid (binary)      -> must decode and fail validation
#   assert_malformed (binary)    -> must fail decoding
#   assert_malformed (text .wat) -> skipped: the text parser's business
# Conversion: tests/spec/convert.sh when present (wast2json + a wasm-tools
# fallback for the files wast2json 1.0.32 cannot read), else wast2json; a
# file that cannot be converted counts as one failure.
# Usage: BUILD=build-x bash tests/format/suite-format.sh [FILE.wast...]
#   (FORMAT_CONVERTER=wast2json forces plain wast2json even when convert.sh exists)
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
wkcheck=$BUILD/tests/tools/wkcheck
corpus=../shared/corpora/spec-core-2.0
out=$BUILD/format-spec
if [ ! -x "$wkcheck" ]; then
  echo "suite-format: $wkcheck not built"
  echo "0 passed, 1 failed"
  exit 1
fi
if [ $# -gt 0 ]; then files=("$@"); else files=("$corpus"/*.wast); fi
mkdir -p "$out"
conv_fail=0
if [ -f tests/spec/convert.sh ] && [ "${FORMAT_CONVERTER:-}" != wast2json ]; then
  bash tests/spec/convert.sh "$out" "${files[@]}" >"$out/convert.log" 2>&1
  tail -n 1 "$out/convert.log"
  grep 'convert: error' "$out/convert.log" | head -20
else
  for f in "${files[@]}"; do
    name=$(basename "$f" .wast)
    json=$out/$name/$name.json
    [ -f "$json" ] && [ "$json" -nt "$f" ] && continue
    rm -rf "${out:?}/${name:?}"; mkdir -p "$out/$name"
    if ! wast2json "$f" -o "$json" >"$out/$name.log" 2>&1; then
      echo "suite-format: $name: wast2json cannot convert it (not run, counted as failed)"
      rm -rf "${out:?}/${name:?}"
    fi
  done
fi
jsons=()
for f in "${files[@]}"; do
  name=$(basename "$f" .wast)
  if [ -f "$out/$name/$name.json" ]; then jsons+=("$out/$name/$name.json")
  else echo "suite-format: $name: not converted (counted as failed)"; conv_fail=$((conv_fail + 1)); fi
done
start=$(date +%s.%N)
"$wkcheck" --spec "${jsons[@]}" >"$out/result.txt" 2>"$out/failures.txt"
end=$(date +%s.%N)
head -n 40 "$out/failures.txt"
sed '$d' "$out/result.txt"
awk -v n="${#jsons[@]}" -v s="$start" -v e="$end" 'BEGIN { printf "checked %d files in %.2fs (decode+validate+encode)\n", n, e - s }'
last=$(tail -n 1 "$out/result.txt")
p=$(echo "$last" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1/p')
f=$(echo "$last" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\2/p')
p=${p:-0}; f=${f:-1}
f=$((f + conv_fail))
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
