#!/usr/bin/env bash
# Convert WebAssembly 3.0 spec tests (.wast) into wast2json JSON + modules.
#
#   tests/spec3/convert3.sh OUTDIR FLAGS FILE.wast...
#
# FLAGS: wabt wast2json --enable-* options for the proposal (comma-separated,
# e.g. "tail-call,multi-memory"; "-" for none; "all" for --enable-all). Debian wabt 1.0.32 wast2json
# reads most 3.0 files with the proposal's flag (../shared/corpora/
# spec-core-3.0/WAST2JSON_1.0.32_RESULTS.tsv); a file it cannot read falls
# back to tests/spec/wast2json-core.mjs (wasm-tools' text parser from npm
# @bytecodealliance/jco-transpile), as tests/spec/convert.sh does for 2.0.
# wast2json runs with --no-check: the validator under test decides validity.
# A file neither reads (Core 3.0 script syntax: `(module definition $M ...)`,
# `(module instance $I $M)`, `(table i64 ...)`) goes to wkit's own converter,
# $BUILD/tests/tools/wast-json (tests/tools/wast-json.c: lib/encode's text reader
# and module encoder; module_definition / module_instance commands, which
# tests/spec/runner.c and spec3-check run). A file no converter reads is an
# error (exit 1). wast2json is not tried on simd_lane.wast: wabt 1.0.32 rounds the hex float
# -0x1.fffffffffffffp-1023 in a v128.const f64x2 lane down to 0x800fffffffffffff, where
# round-to-nearest-even gives 0x8010000000000000 (wasm-tools and wast-json agree; 6 commands).
# Output:
# OUTDIR/NAME/NAME.json; cached while newer than the .wast and this script.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ $# -ge 2 ] || { echo "usage: $0 OUTDIR FLAGS FILE.wast..." >&2; exit 2; }
out=$1 flags=$2
shift 2
enable=()
if [ "$flags" = all ]; then
  enable=(--enable-all)
elif [ "$flags" != "-" ]; then
  IFS=, read -ra fl <<<"$flags"
  for f in "${fl[@]}"; do enable+=("--enable-$f"); done
fi
jco_wt="$root/scripts/npm/node_modules/@bytecodealliance/jco-transpile/dist/wasm-tools.js"
wkj=${BUILD:-build}/tests/tools/wast-json
case $wkj in /*) ;; *) wkj=$root/$wkj ;; esac
mkdir -p "$out" || exit 1
ok=0 cached=0 fallback=0 own=0 failed=0
for f in "$@"; do
  name=$(basename "$f" .wast)
  dir="$out/$name" json="$out/$name/$name.json"
  if [ -f "$json" ] && [ "$json" -nt "$f" ] && [ "$json" -nt "$here/convert3.sh" ] &&
     { [ ! -f "$dir/.by-wast-json" ] || [ "$json" -nt "$wkj" ]; }; then
    cached=$((cached + 1)); continue
  fi
  tmp="$out/.tmp-$name.$$"
  rm -rf "$tmp"; mkdir -p "$tmp"
  if [ "$name" != simd_lane ] && command -v wast2json >/dev/null && wast2json --no-check "${enable[@]}" "$f" -o "$tmp/$name.json" >"$tmp/.log" 2>&1; then
    ok=$((ok + 1))
  elif [ -f "$jco_wt" ] && { rm -f "$tmp"/*; JCO_WT="$jco_wt" node "$root/tests/spec/wast2json-core.mjs" "$f" -o "$tmp/$name.json" >"$tmp/.log2" 2>&1; }; then
    fallback=$((fallback + 1))
  elif [ -x "$wkj" ] && { rm -f "$tmp"/*; "$wkj" "$f" -o "$tmp/$name.json" >"$tmp/.log3" 2>&1; }; then
    own=$((own + 1))
    : >"$tmp/.by-wast-json" # (the cached conversion is redone when wast-json is rebuilt)
  else
    echo "convert3: error: $name: conversion failed:" >&2
    cat "$tmp/.log" "$tmp/.log2" "$tmp/.log3" 2>/dev/null | head -5 >&2
    rm -rf "$tmp"; failed=$((failed + 1)); continue
  fi
  rm -f "$tmp/.log" "$tmp/.log2" "$tmp/.log3"
  rm -rf "$dir"; mv "$tmp" "$dir"
done
echo "convert3: $ok converted with wast2json, $fallback with wasm-tools, $own with wast-json, $cached cached, $failed failed"
[ "$failed" -eq 0 ]
