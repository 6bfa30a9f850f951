#!/usr/bin/env bash
# WebAssembly 3.0 spec tests, EXECUTION side, on lib/interp (spec-runner with
# --features=...) for the 3.0 features the engine runs: every command of each
# file (module, assert_return, assert_trap, assert_invalid, ...) runs; nothing
# is skipped. Files of ../shared/corpora/spec-core-3.0, converted by
# tests/spec3/convert3.sh (wabt wast2json) into $BUILD/spec3-json:
#   tail-call       return_call, return_call_indirect (return_call_ref needs
#                   typed function references: not in scope)
#   extended-const  data (global.wast and elem.wast also use it but need typed
#                   references / syntax neither converter reads)
#   relaxed-simd    the 7 relaxed SIMD files; results are the deterministic
#                   profile's (lib/interp/simd.h), checked against the files'
#                   (either ...) sets. relaxed_dot_product.wast uses the final
#                   instruction names, which wabt 1.0.32 spells without
#                   "relaxed_" (i16x8.dot_i8x16_i7x16_s, same opcodes 0x112/0x113):
#                   converted from a renamed copy.
#   exceptions      throw, throw_ref, try_table, tag, imports, exports (exnref
#                   exception handling; two out-of-scope parts cut, see below)
# plus our own files in tests/spec3/exec (1,000,000-deep mutual tail calls
# through return_call and return_call_indirect, across instances and into a
# host function; extended constants with imported globals in globals, data
# and element offsets; the exact relaxed SIMD results of the deterministic
# profile, which the spec files leave open with (either ...) or, for
# i32x4_relaxed_trunc.wast, do not assert at all).
# SPEC_RUNNER_FLAGS: the runner's build variants, as for tests/spec/suite-spec.sh
# (--checked, --eager, --cache=DIR).
# Failures go to $BUILD/spec3-exec-failures.log. Last line: "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
runner=$BUILD/tests/spec-runner
json=$BUILD/spec3-json
log=$BUILD/spec3-exec-failures.log
C=../shared/corpora/spec-core-3.0
declare -A FILES FLAGS
FILES[tail-call]="return_call return_call_indirect"
FLAGS[tail-call]=tail-call
FILES[extended-const]="data"
FLAGS[extended-const]=extended-const
FILES[relaxed-simd]="i8x16_relaxed_swizzle i32x4_relaxed_trunc relaxed_madd_nmadd relaxed_laneselect relaxed_min_max
  i16x8_relaxed_q15mulr_s relaxed_dot_product"
FLAGS[relaxed-simd]=relaxed-simd
order="tail-call extended-const relaxed-simd"

if [ ! -x "$runner" ]; then
  echo "suite-spec3-exec: error: $runner not built (make $runner)"
  echo "0 passed, 1 failed"
  exit 1
fi
if [ ! -d "$C" ]; then
  echo "suite-spec3-exec: $C missing: nothing to run"
  echo "0 passed, 0 failed, 1 skipped"
  exit 0
fi
if ! command -v wast2json >/dev/null; then
  echo "suite-spec3-exec: wast2json (Debian wabt) missing: not run"
  echo "0 passed, 0 failed, 1 skipped"
  exit 0
fi
P=0 F=0 S=0
: >"$log"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/spec3-exec.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
# wabt 1.0.32's names of the two relaxed dot products (see above)
sed -e 's/i16x8\.relaxed_dot_i8x16_i7x16_s/i16x8.dot_i8x16_i7x16_s/g' \
    -e 's/i32x4\.relaxed_dot_i8x16_i7x16_add_s/i32x4.dot_i8x16_i7x16_add_s/g' \
    "$C/relaxed_dot_product.wast" >"$tmp/relaxed_dot_product.wast"
# run FEATURE-LABEL FLAGS JSON... : one runner pass, counts added to the totals
run() {
  local label=$1 feats=$2
  shift 2
  local res last p f s
  # shellcheck disable=SC2086
  res=$("$runner" --verbose --features="$feats" ${SPEC_RUNNER_FLAGS:-} "$@" 2>&1)
  printf '%s\n' "$res" | grep ': FAIL: ' >>"$log"
  last=$(printf '%s\n' "$res" | tail -1)
  if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
    p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} s=${BASH_REMATCH[3]}
  else
    echo "suite-spec3-exec: error: $label: runner did not finish: $last"
    p=0 f=1 s=0
  fi
  f=$((f + conv_failed))
  # nothing may be skipped: a skipped command is a failure
  [ "$s" -ne 0 ] && { echo "suite-spec3-exec: $label: $s command(s) skipped (counted as failed)"; f=$((f + s)); s=0; }
  echo "$label ($# files): $p passed, $f failed"
  P=$((P + p)) F=$((F + f)) S=$((S + s))
}
for feat in $order; do
  files=() jsons=()
  for n in ${FILES[$feat]}; do
    if [ "$n" = relaxed_dot_product ]; then files+=("$tmp/$n.wast"); else files+=("$C/$n.wast"); fi
    jsons+=("$json/$n/$n.json")
  done
  conv_failed=0
  # (the renamed copy is newer than any cached conversion: convert it every time)
  rm -rf "$json/relaxed_dot_product"
  if ! out=$(bash tests/spec3/convert3.sh "$json" "${FLAGS[$feat]}" "${files[@]}" 2>&1); then
    conv_failed=$(printf '%s\n' "$out" | sed -n 's/.* \([0-9]*\) failed$/\1/p' | tail -1)
    [ -n "$conv_failed" ] && [ "$conv_failed" -gt 0 ] || conv_failed=1
    printf '%s\n' "$out" | grep error | head -5
  fi
  present=()
  for j in "${jsons[@]}"; do [ -f "$j" ] && present+=("$j"); done
  run "$feat" "${FLAGS[$feat]}" "${present[@]}"
done
# exception handling (exnref): throw, throw_ref, try_table, tag, and the 3.0 imports/exports.wast
# (tag imports/exports); try_table.wast also uses return_call. Out of scope and cut from trimmed
# copies (converted into $json/eh-trim, so the tools suite's full conversions stay as they are):
# try_table.wast's module whose tag has a (ref $t) parameter and its 5 assert_return (typed
# function references), tag.wast's "Link-time typing" part (GC recursive types, rec).
eh_feats=exceptions,tail-call
conv_failed=0
if sed -n 425p "$C/try_table.wast" | grep -q '(tag $e (param (ref $t)))'; then
  sed '420,468d' "$C/try_table.wast" >"$tmp/try_table.wast"
else
  cp "$C/try_table.wast" "$tmp/try_table.wast" # (the file changed: run it whole)
fi
sed '/^;; Link-time typing/,$d' "$C/tag.wast" >"$tmp/tag.wast"
rm -rf "$json/eh-trim"
if ! out=$( { bash tests/spec3/convert3.sh "$json/eh-trim" "$eh_feats" "$tmp/try_table.wast" "$tmp/tag.wast" &&
             bash tests/spec3/convert3.sh "$json" "$eh_feats" "$C/throw.wast" "$C/throw_ref.wast" "$C/imports.wast" \
               "$C/exports.wast"; } 2>&1); then
  conv_failed=1
  printf '%s\n' "$out" | grep error | head -5
fi
present=()
for j in "$json/eh-trim/try_table/try_table.json" "$json/eh-trim/tag/tag.json" "$json/throw/throw.json" \
  "$json/throw_ref/throw_ref.json" "$json/imports/imports.json" "$json/exports/exports.json"; do
  [ -f "$j" ] && present+=("$j")
done
run exceptions "$eh_feats" "${present[@]}"
# our own files: all features on (as wk_config_default)
conv_failed=0
own=(tests/spec3/exec/*.wast)
if ! out=$(bash tests/spec3/convert3.sh "$json/own" tail-call,extended-const,relaxed-simd,exceptions "${own[@]}" 2>&1); then
  conv_failed=1
  printf '%s\n' "$out" | grep error | head -5
fi
present=()
for w in "${own[@]}"; do n=$(basename "$w" .wast); [ -f "$json/own/$n/$n.json" ] && present+=("$json/own/$n/$n.json"); done
run "wkit cases" all "${present[@]}"
n=$(wc -l <"$log")
[ "$n" -gt 0 ] && { echo "failing commands are listed in $log ($n); the first ones:"; head -5 "$log"; }
echo "$P passed, $F failed, $S skipped"
[ "$F" -eq 0 ]
