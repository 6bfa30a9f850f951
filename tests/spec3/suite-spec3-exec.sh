#!/usr/bin/env bash
# WebAssembly 3.0 spec tests, EXECUTION side, on lib/interp (spec-runner with
# --features=...) for the 3.0 features the engine runs (WK_INTERP_FEATURES):
# every command of each file (module, assert_return, assert_trap,
# assert_invalid, ...) runs. Files of ../shared/corpora/spec-core-3.0,
# converted by tests/spec3/convert3.sh (wabt wast2json, or wasm-tools' parser
# through node) into $BUILD/spec3-json:
#   tail-call       return_call, return_call_indirect (return_call_ref: with
#                   function-references)
#   extended-const  data (global.wast and elem.wast also use it but need typed
#                   references / syntax neither converter reads)
#   relaxed-simd    the 7 relaxed SIMD files; results are the deterministic
#                   profile's (lib/interp/simd.h), checked against the files'
#                   (either ...) sets. relaxed_dot_product.wast uses the final
#                   instruction names, which wabt 1.0.32 spells without
#                   "relaxed_" (i16x8.dot_i8x16_i7x16_s, same opcodes 0x112/0x113):
#                   converted from a renamed copy.
#   multi-memory    the multi-memory files (the same list as suite-spec3-tools.sh)
#   memory64        the memory64 files (memory64.wast: `module definition`, converted by
#                   tests/tools/wast-json as neither wast2json nor wasm-tools reads it)
#   table64         i64 tables (part of the memory64 proposal: runner feature memory64;
#                   table64.wast through wast-json, as memory64.wast;
#                   table_init64's arrays need gc)
#   instance        instance.wast: Core 3.0 `module definition` / `module instance` (instantiation
#                   is generative; tags, two memories; converted by tests/tools/wast-json)
#   exceptions      throw, throw_ref, try_table, tag, imports, exports (exnref
#                   exception handling; tag.wast whole: its link-time typing uses GC rec)
#   legacy-exceptions  legacy/: try, catch, catch_all, delegate, rethrow (not 3.0: the
#                   proposal's first version, what emscripten -fwasm-exceptions emits)
#   function-references  typed function references: the files of features.sh (call_ref,
#                   return_call_ref, br_on_null, br_on_non_null, ref_as_non_null, local_init,
#                   and the 3.0 edits of func, global, elem, ref_func, select, ref, local_tee,
#                   linking, table-sub, unreached-valid, table (wast-json), type-equivalence, whose
#                   rec modules run with gc)
#   gc              garbage collection: the 20 GC files of features.sh (struct, array*,
#                   i31, ref_test, ref_cast, br_on_cast*, extern, ref_eq, ref_null,
#                   type-rec, type-canon, type-subtyping, binary-gc)
#   core            every other top-level file of the corpus: the 3.0 versions of the 2.0-era
#                   files (address, binary, block, ..., simd_*, table_*, utf8-*) and
#                   annotations.wast, 131 (computed in features.sh, which says which converter
#                   reads which), all features on (as wk_config_default), in TWO variants only:
#                   guard (the default) and --checked. The 2.0 versions of the same files already
#                   run in every variant (tests/spec/suite-spec.sh, suite-spec-variants.sh); the
#                   3.0 edits are in the front end (text, binary, validation) and the commands,
#                   not in how code is translated or cached; two variants keep both bounds-check
#                   paths covered and CI time small. Not in scope (printed): proposals/
#                   (custom-descriptors, custom-page-sizes, threads, wide-arithmetic: post-3.0)
#                   and custom/ (assert_malformed_custom / assert_invalid_custom commands).
# plus our own files in tests/spec3/exec, all features on (as wk_config_default):
# 1,000,000-deep mutual tail calls through return_call and return_call_indirect,
# across instances and into a host function; extended constants with imported
# globals in globals, data and element offsets; the exact relaxed SIMD results
# of the deterministic profile; SIMD on a second / an i64 memory, bounds at the
# exact end, 64-bit offset overflow, copies between memories, imports of several
# memories; i64 tables; exceptions across instances, deep unwinding, v128
# payloads, exnref in globals and tables, traps catch_all does not catch; legacy exception
# handling: rethrow from nested catches, delegate chains, across frames and instances, mixed with
# try_table (legacy_eh_mixed.wast: a binary module, neither converter reads that mix as text), and
# C++ compiled by clang 14 -fwasm-exceptions checked against the same C++ built natively
# (legacy_eh_clang.wast); typed function
# references: call_ref through typed globals/tables (a table initialiser), null traps, br_on_null /
# br_on_non_null with values, a million-deep return_call_ref, typed imports across modules; the
# Core 3.0 script commands `module definition` / `module instance` (module_instances.wast: generative
# instances, the one- and no-name forms, a definition's start function not run; wast-json converts it); GC
# (gc_exec.wast, run with --max-memory=64 MiB, also the GC heap's limit): the collector under
# five times the limit with lists live in a global, locals, an array and an exnref, an object
# too large for the heap, rec groups and declared subtypes across modules (casts, call_indirect,
# imports), the extern/any round trip, v128 and packed fields.
# Every file (but core's) runs in each variant: guard pages with lazy translation (the
# default), explicit checks (--checked), eager translation (--eager) and through
# the AOT cache (--cache, twice: cache-load must execute the cached code), and
# the interpreter built with switch dispatch (switch: $BUILD/tests/spec-runner-switch).
# SPEC_RUNNER_FLAGS: more runner flags for every variant.
# Nothing is skipped: a command the runner cannot run is a failure, except the
# commands listed in OOS below (features lib/interp lacks; skipped with the reason; none now).
# Failures go to $BUILD/spec3-exec-failures.log. Last line:
# "N passed, N failed, N skipped" (also per feature and variant).
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
runner=$BUILD/tests/spec-runner
json=$BUILD/spec3-json
log=$BUILD/spec3-exec-failures.log
C=../shared/corpora/spec-core-3.0
declare -A FILES FLAGS FEATS VARIANTS
. tests/spec3/features.sh
FEATS[tail-call]=tail-call
FEATS[extended-const]=extended-const
FILES[relaxed-simd]="i8x16_relaxed_swizzle i32x4_relaxed_trunc relaxed_madd_nmadd relaxed_laneselect relaxed_min_max
  i16x8_relaxed_q15mulr_s relaxed_dot_product"
FLAGS[relaxed-simd]=relaxed-simd
FEATS[relaxed-simd]=relaxed-simd
FEATS[multi-memory]=multi-memory,memory64
FEATS[memory64]=multi-memory,memory64
FEATS[table64]=multi-memory,memory64,gc
FEATS[legacy-exceptions]=exceptions,legacy-exceptions,tail-call
FEATS[function-references]=function-references,tail-call,extended-const,gc
FEATS[gc]=gc,tail-call,extended-const,exceptions
FILES[instance]=instance
FLAGS[instance]=exceptions,multi-memory
FEATS[instance]=exceptions,multi-memory,function-references
# core: every other top-level file (the exceptions files below are listed apart), all features on
FILES[core]=$(spec3_core_files throw throw_ref try_table tag imports exports)
FEATS[core]=all
VARIANTS[core]="guard checked"
order="tail-call extended-const relaxed-simd multi-memory memory64 table64 legacy-exceptions function-references gc instance core"
# Commands that need a feature lib/interp does not implement: counted as skipped, reason printed
# (FILE.wast:LINE=reason; a command that depends on one, e.g. on its instance, is listed too).
OOS=() # (none now; table.wast:36/40/44 were here: the WAT parser reads 3.0 limits as u64)

spec3_can_run suite-spec3-exec "$runner" || exit "$spec3_exit"
P=0 F=0 S=0
spec3_out_of_scope suite-spec3-exec || F=$((F + 1))
: >"$log"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/spec3-exec.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
# wabt 1.0.32's names of the two relaxed dot products (see above)
sed -e 's/i16x8\.relaxed_dot_i8x16_i7x16_s/i16x8.dot_i8x16_i7x16_s/g' \
    -e 's/i32x4\.relaxed_dot_i8x16_i7x16_add_s/i32x4.dot_i8x16_i7x16_add_s/g' \
    "$C/relaxed_dot_product.wast" >"$tmp/relaxed_dot_product.wast"
# run NAME FEATURES JSON... : every variant over the given files, one line per variant
# (cache-store writes the AOT cache entries, cache-load must then run from them)
run() {
  local name=$1 feats=$2
  shift 2
  local v res last p f s
  for v in ${VARIANTS[$name]:-guard checked eager cache-store cache-load switch}; do
    local args=() r=$runner
    case $v in
      switch) r=$BUILD/tests/spec-runner-switch ;;
      checked) args=(--checked) ;;
      eager) args=(--eager) ;;
      cache-*) args=(--cache="$tmp/cache-${name// /-}") ;;
    esac
    # shellcheck disable=SC2086
    res=$("$r" --verbose --features="$feats" "${args[@]}" ${RUN_FLAGS:-} ${SPEC_RUNNER_FLAGS:-} "$@" 2>&1)
    local fails oos=0 o
    fails=$(printf '%s\n' "$res" | grep ': FAIL: ')
    for o in "${OOS[@]}"; do
      if printf '%s\n' "$fails" | grep -q "^${o%%=*}: FAIL: "; then
        fails=$(printf '%s\n' "$fails" | grep -v "^${o%%=*}: FAIL: ")
        oos=$((oos + 1))
        [ $v = guard ] && echo "skipped: ${o%%=*}: ${o#*=}"
      fi
    done
    [ -n "$fails" ] && printf '%s\n' "$fails" | sed "s|^|[$v] |" >>"$log"
    last=$(printf '%s\n' "$res" | tail -1)
    if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
      p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} s=${BASH_REMATCH[3]}
      f=$((f + s - oos)) s=$oos # nothing else may be skipped
    else
      echo "suite-spec3-exec: error: $name [$v]: runner did not finish: $last"
      p=0 f=1 s=0
    fi
    if [ $v = cache-load ] && ! printf '%s\n' "$res" | grep -q 'loaded from the cache'; then
      echo "suite-spec3-exec: error: $name: no module came from the cache"
      f=$((f + 1))
    fi
    f=$((f + conv_failed))
    echo "$name [$v] ($# files): $p passed, $f failed, $s skipped"
    P=$((P + p)) F=$((F + f)) S=$((S + s))
  done
}
for feat in $order; do
  files=() jsons=() outdir=$json
  [ "$feat" = core ] && outdir=$json/core # (converted with --enable-all: kept apart)
  for n in ${FILES[$feat]}; do
    if [ "$n" = relaxed_dot_product ]; then files+=("$tmp/$n.wast"); else files+=("$C/$n.wast"); fi
    case $n in */*) outdir=$json/${n%/*} ;; esac # (a feature's files share one directory)
    jsons+=("$outdir/${n##*/}/${n##*/}.json")
  done
  conv_failed=0
  # (the renamed copy is newer than any cached conversion: convert it every time)
  [ "$feat" = relaxed-simd ] && rm -rf "$json/relaxed_dot_product"
  if ! out=$(bash tests/spec3/convert3.sh "$outdir" "${FLAGS[$feat]}" "${files[@]}" 2>&1); then
    conv_failed=$(printf '%s\n' "$out" | sed -n 's/.* \([0-9]*\) failed$/\1/p' | tail -1)
    [ -n "$conv_failed" ] && [ "$conv_failed" -gt 0 ] || conv_failed=1
    printf '%s\n' "$out" | grep error | head -5
  fi
  present=()
  for j in "${jsons[@]}"; do [ -f "$j" ] && present+=("$j"); done
  run "$feat" "${FEATS[$feat]}" "${present[@]}"
done
# exception handling (exnref): throw, throw_ref, try_table, tag, and the 3.0 imports/exports.wast
# (tag imports/exports); try_table.wast also uses return_call and (its (ref $t) tag) typed
# function references; tag.wast's "Link-time typing" part uses GC recursive types (rec). (Both are
# converted into $json/eh-trim, so the tools suite's conversions stay as they are.)
eh_feats=exceptions,tail-call,function-references,gc
conv_failed=0
cp "$C/try_table.wast" "$tmp/try_table.wast" # (whole: its (ref $t) tag module runs with function references)
cp "$C/tag.wast" "$tmp/tag.wast"
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
if ! out=$(bash tests/spec3/convert3.sh "$json/own" tail-call,extended-const,relaxed-simd,multi-memory,memory64,exceptions,function-references "${own[@]}" 2>&1); then
  conv_failed=1
  printf '%s\n' "$out" | grep error | head -5
fi
present=()
for w in "${own[@]}"; do n=$(basename "$w" .wast); [ -f "$json/own/$n/$n.json" ] && present+=("$json/own/$n/$n.json"); done
[ "${#present[@]}" -ne "${#own[@]}" ] && conv_failed=$((conv_failed + ${#own[@]} - ${#present[@]}))
# (with a 64 MiB memory limit, which is also the GC heap's: gc_exec.wast allocates five times that)
RUN_FLAGS=--max-memory=67108864 run "wkit cases" all "${present[@]}"
nf=$(wc -l <"$log")
if [ "$nf" -gt 0 ]; then
  echo "failing commands are listed in $log ($nf); the first ones:"
  head -5 "$log"
fi
echo "$P passed, $F failed, $S skipped"
[ "$F" -eq 0 ]
