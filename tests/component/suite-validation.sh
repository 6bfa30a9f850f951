#!/usr/bin/env bash
# Component-model validation corpus (wasm-tools tests/cli/component-model):
# in-scope files (no feature beyond the MVP, resources included) must validate /
# be rejected as the snapshot says; decode -> encode must be byte-exact for
# every valid component; every .print snapshot of an in-scope component must equal
# `winspect print`; out-of-scope files must decode without crashing.
# Binaries come from ../shared/tools/component-validation-wasm.mjs (jco-transpile's
# wasm-tools text parser); they are generated once into $BUILD/tests/component-val.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
W=$BUILD/bin/winspect
CORPUS=../shared/corpora/component-model-validation
OUT=$BUILD/tests/component-val
export JCO_WT=${JCO_WT:-$PWD/scripts/npm/node_modules/@bytecodealliance/jco-transpile/dist/wasm-tools.js}
if [ ! -x "$W" ]; then echo "winspect not built"; echo "0 passed, 1 failed"; exit 1; fi
bash tests/component/gen-corpus.sh || { echo "0 passed, 1 failed"; exit 1; }
python3 tests/component/validation.py "$W" "$OUT" "$CORPUS" ${VERBOSE:+--verbose}
