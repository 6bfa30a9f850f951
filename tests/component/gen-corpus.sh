#!/usr/bin/env bash
# Generate the component-model validation corpus binaries once into
# $BUILD/tests/component-val (names as the snapshot JSON's "filename" fields),
# with ../shared/tools/component-validation-wasm.mjs and jco-transpile's wasm-tools.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
CORPUS=../shared/corpora/component-model-validation
OUT=$BUILD/tests/component-val
export JCO_WT=${JCO_WT:-$PWD/scripts/npm/node_modules/@bytecodealliance/jco-transpile/dist/wasm-tools.js}
[ -f "$OUT/.done" ] && exit 0
if [ ! -f "$JCO_WT" ] || [ ! -d "$CORPUS" ]; then echo "missing $JCO_WT or $CORPUS"; exit 1; fi
rm -rf "$OUT"; mkdir -p "$OUT"
OUT_ABS=$(cd "$OUT" && pwd)
files=$(cd "$CORPUS/wast" && find . -name '*.wast' | sed 's|^\./||' | sort)
(cd "$CORPUS" && WAST_STRICT_COMPONENT_INDICES=0 node ../../tools/component-validation-wasm.mjs wast snapshots "$OUT_ABS" $files) \
  > "$OUT/gen.log" 2>&1 || { tail -5 "$OUT/gen.log"; exit 1; }
tail -1 "$OUT/gen.log"
touch "$OUT/.done"
