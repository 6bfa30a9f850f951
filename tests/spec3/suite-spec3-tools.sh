#!/usr/bin/env bash
# WebAssembly 3.0 spec tests, VALIDATION side, on lib/encode's tools
# (decoder, validator, printer, WAT parser) for the 3.0 features implemented
# there so far. Per feature: the files of ../shared/corpora/spec-core-3.0
# that test it, converted by tests/spec3/convert3.sh (wabt wast2json with the
# proposal's --enable flag, else wasm-tools' parser) into $BUILD/spec3-json,
# then checked by $BUILD/tests/tools/spec3-check (tests/tools/spec3-check.c):
#   module -> decodes + validates, and print + re-parse gives the same bytes
#   (or the same text for non-canonical binary input); assert_invalid /
#   assert_malformed -> rejected. Execution commands (assert_return,
#   assert_trap, register, module instance, ...) are not run here: lib/interp runs
#   them in suite-spec3-exec.sh (every feature below). They are counted apart,
#   "N execution commands (run by suite-spec3-exec.sh)", neither passed nor skipped;
#   "skipped" counts only the out-of-scope commands (OOS, each with its reason).
# table.wast, table64.wast, memory64.wast and instance.wast use Core 3.0 script syntax
# (`module definition`, `module instance`, `(table i64 ...)`) that neither wast2json nor the
# wasm-tools fallback reads: convert3.sh converts them with tests/tools/wast-json (lib/encode's
# text reader); module_definition is checked as a module, module_instance is execution.
# Typed function references and GC: see features.sh.
# core: every other top-level file of the corpus (the 3.0 versions of address, binary, block,
# ..., simd_*, table_*, utf8-*: ~130), converted with --enable-all and checked with all features
# on (features.sh says which converter reads which; relaxed_dot_product.wast, which wabt 1.0.32
# cannot read, is checked here through wasm-tools). Not in scope (the suite prints the list):
# proposals/ (custom-descriptors, custom-page-sizes, threads, wide-arithmetic: post-3.0) and
# custom/ (assert_malformed_custom / assert_invalid_custom commands).
# Failures go to $BUILD/spec3-failures.log. Last line: "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
chk=$BUILD/tests/tools/spec3-check
json=$BUILD/spec3-json
log=$BUILD/spec3-failures.log
C=../shared/corpora/spec-core-3.0
declare -A FILES FLAGS
. tests/spec3/features.sh
# relaxed SIMD (relaxed_dot_product.wast: wabt 1.0.32 has older names for its two
# instructions; suite-spec3-exec.sh converts a renamed copy and runs it)
FILES[relaxed-simd]="i8x16_relaxed_swizzle i32x4_relaxed_trunc relaxed_madd_nmadd relaxed_laneselect relaxed_min_max
  i16x8_relaxed_q15mulr_s"
FLAGS[relaxed-simd]=relaxed-simd
# exception handling (exnref, final proposal): tag/throw/throw_ref/try_table.wast, plus the
# 3.0 imports.wast/exports.wast (tag imports/exports). legacy/ (try/catch/delegate/rethrow):
# legacy-exceptions (features.sh).
FILES[exceptions]="tag throw throw_ref try_table imports exports instance"
FLAGS[exceptions]=exceptions
# annotations (Core 3.0 text/lexical.rst "Annotations": `(@id ...)` anywhere, any tokens inside,
# reserved ones too): text only, no execution
FILES[annotations]="annotations"
FLAGS[annotations]=annotations
# core: every other top-level file (the 3.0 versions of the 2.0-era files), all features on:
# see features.sh (computed, so a new corpus file is in scope at once).
FILES[core]=$(spec3_core_files)
order="extended-const tail-call multi-memory memory64 table64 relaxed-simd exceptions legacy-exceptions function-references gc annotations core"
# Single commands that need a feature not implemented here (skipped, reason printed):
# --out-of-scope=NAME.json:LINE=REASON (none now: table.wast:36/40/44, i32 table limits of
# 2^32, are read as u64 by the Core 3.0 text parser and rejected by validation).
OOS=()

spec3_can_run suite-spec3-tools "$chk" || exit "$spec3_exit"
P=0 F=0 S=0 E=0
spec3_out_of_scope suite-spec3-tools || F=$((F + 1))
: >"$log"
for feat in $order; do
  files=() jsons=() outdir=$json
  [ "$feat" = core ] && outdir=$json/core # (converted with --enable-all: kept apart)
  for n in ${FILES[$feat]}; do
    case $n in */*) outdir=$json/${n%/*} ;; esac # (a feature's files share one directory)
    files+=("$C/$n.wast"); jsons+=("$outdir/${n##*/}/${n##*/}.json")
  done
  conv_failed=0
  if ! out=$(bash tests/spec3/convert3.sh "$outdir" "${FLAGS[$feat]}" "${files[@]}" 2>&1); then
    conv_failed=$(printf '%s\n' "$out" | sed -n 's/.* \([0-9]*\) failed$/\1/p' | tail -1)
    [ -n "$conv_failed" ] && [ "$conv_failed" -gt 0 ] || conv_failed=1
    printf '%s\n' "$out" | grep error | head -5
  fi
  present=()
  for j in "${jsons[@]}"; do [ -f "$j" ] && present+=("$j"); done
  res=$("$chk" "${OOS[@]}" "${present[@]}" 2>&1)
  printf '%s\n' "$res" | grep 'out of scope:' || true
  printf '%s\n' "$res" | grep ': FAIL: ' >>"$log"
  last=$(printf '%s\n' "$res" | tail -1)
  rt=$(printf '%s\n' "$res" | grep '^roundtrip:')
  e=$(printf '%s\n' "$res" | sed -n 's/^\([0-9]*\) execution commands$/\1/p' | tail -1)
  if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
    p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} s=${BASH_REMATCH[3]}
  else
    echo "suite-spec3-tools: error: $feat: checker did not finish: $last"
    p=0 f=1 s=0
  fi
  f=$((f + conv_failed))
  echo "$feat (${#present[@]} files): $p passed, $f failed, $s skipped, ${e:-0} execution commands; $rt"
  P=$((P + p)) F=$((F + f)) S=$((S + s)) E=$((E + ${e:-0}))
done
# Our own cases (tests/spec3/cases: text modules using all of the above, and
# assert_invalid ones whose message is checked too).
res=$("$chk" --check-messages tests/spec3/cases/cases.json 2>&1)
printf '%s\n' "$res" | grep ': FAIL: ' >>"$log"
if [[ $(printf '%s\n' "$res" | tail -1) =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
  echo "own cases (tests/spec3/cases): ${BASH_REMATCH[1]} passed, ${BASH_REMATCH[2]} failed, ${BASH_REMATCH[3]} skipped"
  P=$((P + BASH_REMATCH[1])) F=$((F + BASH_REMATCH[2])) S=$((S + BASH_REMATCH[3]))
  e=$(printf '%s\n' "$res" | sed -n 's/^\([0-9]*\) execution commands$/\1/p' | tail -1)
  E=$((E + ${e:-0}))
else
  echo "suite-spec3-tools: error: own cases: checker did not finish"
  F=$((F + 1))
fi
nf=$(wc -l <"$log")
if [ "$nf" -gt 0 ]; then
  echo "failing commands are listed in $log ($nf); the first ones:"
  head -5 "$log"
fi
echo "$E execution commands (run by suite-spec3-exec.sh)"
echo "$P passed, $F failed, $S skipped"
[ "$F" -eq 0 ]
