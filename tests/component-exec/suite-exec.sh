#!/usr/bin/env bash
# Component-model execution corpus (../shared/corpora/component-model-execution):
# every .wast is converted once by ../shared/tools/component-wast2json.mjs
# (jco-transpile's wasm-tools text parser; without node/jco by tests/tools/wast-json, which
# writes the same JSON: the same counts on 62 of the 63 files, and one module fails for lack
# of the threads proposal's `shared` memories in lib/encode's core text parser) into
# $BUILD/tests/component-exec,
# then run by tests/tools/comp-wast against lib/component (module, module_definition,
# module_instance, assert_return, assert_trap, assert_invalid, assert_malformed).
# Text modules (`(component quote ...)`, module_type "text") go through lib/encode's
# component text parser. Per-file counts; modules needing features wkit does not
# implement (component-model async/threads, core exceptions/multi-memory) are skipped
# with the reason printed, and the skips are summed per reason at the end.
# The async/ files are run apart: they only must not crash.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
RUN=$BUILD/tests/tools/comp-wast
CORPUS=../shared/corpora/component-model-execution/wast
OUT=$BUILD/tests/component-exec
export JCO_WT=${JCO_WT:-$PWD/scripts/npm/node_modules/@bytecodealliance/jco-transpile/dist/wasm-tools.js}
if [ ! -x "$RUN" ]; then echo "$RUN not built (make $RUN)"; echo "0 passed, 1 failed"; exit 1; fi
stamp=$OUT/.converted-$(cat ../shared/corpora/component-model-execution/COMMIT 2>/dev/null | cut -c1-12)
if [ ! -f "$stamp" ]; then
  rm -rf "$OUT"
  for f in $(find "$CORPUS" -name '*.wast' | sort); do
    d=$OUT/$(basename "$(dirname "$f")")
    mkdir -p "$d"
    if command -v node >/dev/null && [ -f "$JCO_WT" ]; then
      node ../shared/tools/component-wast2json.mjs "$d" "$f" >/dev/null 2>"$d/$(basename "$f" .wast).convert.err" ||
        echo "convert failed: $f"
    else # no node / jco: wkit's own script reader (same JSON; lib/encode's component text parser)
      "$BUILD/tests/tools/wast-json" "$f" -o "$d/$(basename "$f" .wast).json" 2>"$d/$(basename "$f" .wast).convert.err" ||
        echo "convert failed: $f"
    fi
  done
  touch "$stamp"
fi
P=0; F=0; S=0
declare -A REASON=() # skip reason -> commands skipped (non-async files)
total() { # parse "FILE: N passed, N failed, N skipped"
  local line=$1
  local p f s
  p=$(sed -n 's/.*: \([0-9]*\) passed.*/\1/p' <<<"$line"); f=$(sed -n 's/.* \([0-9]*\) failed.*/\1/p' <<<"$line")
  s=$(sed -n 's/.* \([0-9]*\) skipped.*/\1/p' <<<"$line")
  P=$((P + ${p:-0})); F=$((F + ${f:-0})); S=$((S + ${s:-0}))
}
for j in $(find "$OUT" -name '*.json' -not -path '*/async/*' | sort); do
  out=$("$RUN" ${VERBOSE:+-v} "$j" 2>&1); rc=$?
  [ -n "${VERBOSE:-}" ] && grep -v ': [0-9]* passed' <<<"$out"
  last=$(tail -1 <<<"$out")
  if [ $rc -ge 128 ] || ! grep -q ' passed, ' <<<"$last"; then
    echo "${j#$OUT/}: CRASH (exit $rc)"; F=$((F + 1)); continue
  fi
  echo "${last#$OUT/}"
  total "$last"
  while IFS= read -r l; do
    n=${l#skipped }; n=${n%%:*}; r=${l#skipped *: }
    REASON[$r]=$(( ${REASON[$r]:-0} + n ))
  done < <(grep -E '^skipped [0-9]+: ' <<<"$out")
done
# async: only "no crash" is checked (the async ABI is not implemented)
AP=0; AF=0; sP=$P; sF=$F; sS=$S
for j in $(find "$OUT/async" -name '*.json' 2>/dev/null | sort); do
  out=$("$RUN" "$j" 2>&1); rc=$?
  if [ $rc -ge 128 ]; then echo "async/${j##*/}: CRASH (exit $rc)"; AF=$((AF + 1)); else AP=$((AP + 1)); total "$(tail -1 <<<"$out")"; fi
done
echo "async files (not implemented; must not crash): $AP ran without crashing, $AF crashed" \
  "(their commands, not counted: $((P - sP)) passed, $((F - sF)) failed, $((S - sS)) skipped)"
P=$sP; F=$((sF + AF)); S=$sS
for r in "${!REASON[@]}"; do printf 'skipped %5d: %s\n' "${REASON[$r]}" "$r"; done | sort -k2,2nr
echo "$P passed, $F failed, $S skipped"
[ "$F" -eq 0 ]
