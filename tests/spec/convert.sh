#!/usr/bin/env bash
# Convert WebAssembly 2.0 spec tests (.wast) into wast2json JSON + modules.
#
#   tests/spec/convert.sh OUTDIR [FILE.wast...]
#
# Default input: all of ../shared/corpora/spec-core-2.0/*.wast (148 files).
# Each FILE becomes OUTDIR/NAME/NAME.json (+ NAME.N.wasm / NAME.N.wat).
# Converter: Debian wabt 1.0.32 `wast2json` with its default feature set, which
# is exactly WebAssembly 2.0 (mutable globals, sat-float-to-int, sign-ext,
# multi-value, bulk memory, reference types, SIMD are on by default; the
# --enable-* flags only add post-2.0 proposals, which would change the
# meaning of some 2.0 assert_invalid/assert_malformed cases, so none is given).
# Files wast2json 1.0.32 cannot read (listed in the corpus'
# WAST2JSON_1.0.32_RESULTS.tsv: comments, if, table_{fill,get,grow,set,size})
# fall back to tests/spec/wast2json-core.mjs (wasm-tools text parser from npm
# @bytecodealliance/jco-transpile@0.8.0). A file neither can convert is an
# error: it is reported and the script exits 1 (nothing is dropped silently).
# Cache: a file is skipped when OUTDIR/NAME/NAME.json is newer than the .wast
# (and than the converter scripts).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ $# -lt 1 ]; then
  echo "usage: $0 OUTDIR [FILE.wast...]" >&2
  exit 2
fi
out=$1
shift
corpus="$root/../shared/corpora/spec-core-2.0"
if [ $# -eq 0 ]; then
  set -- "$corpus"/*.wast
fi
jco_wt="$root/scripts/npm/node_modules/@bytecodealliance/jco-transpile/dist/wasm-tools.js"
mkdir -p "$out" || exit 1

ok=0 cached=0 fallback=0 failed=0
for f in "$@"; do
  name=$(basename "$f" .wast)
  dir="$out/$name"
  json="$dir/$name.json"
  if [ -f "$json" ] && [ "$json" -nt "$f" ] && [ "$json" -nt "$here/wast2json-core.mjs" ] &&
     [ "$json" -nt "$here/convert.sh" ]; then
    cached=$((cached + 1))
    continue
  fi
  if [ ! -f "$f" ]; then
    echo "convert: error: $f: no such file" >&2
    failed=$((failed + 1))
    continue
  fi
  # Convert into a fresh temp dir, then swap it in: never a half-written dir.
  tmp="$out/.tmp-$name.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  if (wast2json "$f" -o "$tmp/$name.json"; exit $?) >"$tmp/.log" 2>&1; then
    ok=$((ok + 1))
  elif [ -f "$jco_wt" ] && { rm -f "$tmp"/*; JCO_WT="$jco_wt" node "$here/wast2json-core.mjs" "$f" -o "$tmp/$name.json" >"$tmp/.log2" 2>&1; }; then
    fallback=$((fallback + 1))
    echo "convert: $name: wast2json 1.0.32 cannot read it; converted with wasm-tools ($(head -c 120 "$tmp/.log" | head -1))"
  else
    echo "convert: error: $name: conversion failed:" >&2
    cat "$tmp/.log" "$tmp/.log2" 2>/dev/null | head -20 >&2
    [ -f "$jco_wt" ] || echo "convert: error: $jco_wt missing (run scripts/setup.sh)" >&2
    rm -rf "$tmp"
    failed=$((failed + 1))
    continue
  fi
  rm -f "$tmp/.log" "$tmp/.log2"
  rm -rf "$dir"
  mv "$tmp" "$dir"
done
echo "convert: $ok converted with wast2json, $fallback with wasm-tools, $cached cached, $failed failed"
[ "$failed" -eq 0 ]
