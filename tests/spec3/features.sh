# The spec-core-3.0 files of each WebAssembly 3.0 feature and the converter feature (wast2json /
# convert3.sh) that reads them: sourced by suite-spec3-tools.sh (decode, validate, print, WAT) and
# suite-spec3-exec.sh (execution), which add the features they treat apart (relaxed SIMD,
# exceptions), and spec3_can_run below. The caller declares FILES and FLAGS (declare -A) and C.
# extended constant expressions: data.wast (data offsets); global.wast and
# elem.wast also test them but mix in typed references.
FILES[extended-const]="data"
FLAGS[extended-const]=extended-const
FILES[tail-call]="return_call return_call_indirect"
FLAGS[tail-call]=tail-call
FILES[multi-memory]="address0 address1 align0 binary0 binary-leb128 data0 data1 data_drop0 exports0 float_exprs0
  float_exprs1 float_memory0 imports0 imports1 imports2 imports3 imports4 linking0 linking1 linking2 linking3 load0
  load1 load2 memory-multi memory_copy0 memory_copy1 memory_fill0 memory_grow memory_init0 memory_size0
  memory_size1 memory_size2 memory_size3 memory_size_import memory_trap0 memory_trap1 start0 store0 store1 store2
  traps0 simd_memory-multi"
FLAGS[multi-memory]=multi-memory
FILES[memory64]="address64 align64 binary_leb128_64 bulk64 endianness64 float_memory64 load64 memory_copy64
  memory_fill64 memory_grow64 memory_init64 memory_redundancy64 memory_trap64 memory64"
FLAGS[memory64]=memory64
# table64 (i64 tables, part of the memory64 proposal)
FILES[table64]="table_copy64 table_fill64 table_get64 table_grow64 table_init64 table_set64 table_size64
  call_indirect64 memory64-imports table64"
FLAGS[table64]=memory64
# legacy exception handling (try/catch/catch_all/delegate/rethrow, WK_FEAT_LEGACY_EXCEPTIONS; not
# 3.0 but what emscripten -fwasm-exceptions emits): the files of legacy/. wabt 1.0.32's
# --enable-exceptions reads this syntax (try_catch/try_delegate also use return_call). A FILES
# entry DIR/NAME converts into $json/DIR/NAME (the suites' loops): legacy/throw is not throw.
FILES[legacy-exceptions]="legacy/rethrow legacy/throw legacy/try_catch legacy/try_delegate"
FLAGS[legacy-exceptions]=exceptions,tail-call
# typed function references (Core 3.0: (ref null? ht), call_ref, return_call_ref, br_on_null,
# br_on_non_null, ref.as_non_null, non-defaultable locals, table initialisers), and the 3.0 edits
# of 2.0 files that use typed references without GC types. wabt 1.0.32 reads some (func, ref_func,
# ref_is_null, br_if, br_table, unreached-invalid); the others go through convert3.sh's wasm-tools
# fallback. table.wast, memory64.wast, table64.wast and instance.wast (the suites list it themselves) use Core 3.0
# script syntax (`module definition`, `module instance`, `(table i64 ...)`) neither reads:
# convert3.sh converts them with tests/tools/wast-json. Not here (GC types: any/eq/i31/struct/
# array/none, rec, sub): ref_null, type-subtyping, type-rec, type-canon, the rec modules of
# type-equivalence (listed out of scope by the suites).
FILES[function-references]="call_ref return_call_ref br_on_null br_on_non_null ref_as_non_null local_init func global
  elem ref_func select type-equivalence ref unreached-valid local_tee linking table-sub ref_is_null br_if br_table
  unreached-invalid table"
FLAGS[function-references]=function-references,tail-call
# garbage collection (Core 3.0 GC: rec/sub/struct/array types, the GC heap types, the 0xFB
# instructions, ref.eq; WK_FEAT_GC). wabt 1.0.32 reads none of them: FLAGS "-" makes wast2json
# fail fast and convert3.sh take wasm-tools' parser for each.
FILES[gc]="array array_copy array_fill array_init_data array_init_elem array_new_data array_new_elem binary-gc br_on_cast
  br_on_cast_fail extern i31 ref_cast ref_eq ref_null ref_test struct type-canon type-rec type-subtyping"
FLAGS[gc]=-

# spec3_can_run SUITE BINARY: 0 when BINARY is built, the corpus ($C) is there and convert3.sh's
# tools are installed (wabt's wast2json; node + npm jco-transpile for its fallback); otherwise
# prints why and the suite's closing count (a missing binary fails, missing data or tools skip)
# and returns 1 with the exit status the suite should end with in $spec3_exit.
spec3_can_run() {
  local suite=$1 bin=$2
  spec3_exit=0
  if [ ! -x "$bin" ]; then
    echo "$suite: error: $bin not built (make $bin)"
    echo "0 passed, 1 failed"
    spec3_exit=1
    return 1
  fi
  if [ ! -d "$C" ]; then
    echo "$suite: $C missing: nothing to run"
    echo "0 passed, 0 failed, 1 skipped"
    return 1
  fi
  if ! command -v wast2json >/dev/null || ! command -v node >/dev/null ||
     [ ! -f scripts/npm/node_modules/@bytecodealliance/jco-transpile/dist/wasm-tools.js ]; then
    echo "$suite: wast2json (Debian wabt) or node + npm jco-transpile (scripts/setup.sh) missing: not run"
    echo "0 passed, 0 failed, 1 skipped"
    return 1
  fi
}

# core: every other file of $C, i.e. the 3.0 versions of the 2.0-era files (address, binary,
# block, ..., simd_*, table_*, utf8-*), with ALL features on (as wk_config_default /
# WK_FEAT_ALL): they carry the 3.0 edits (typed references, u64 limits and offsets, GC forms in
# binary.wast, new assertions). convert3.sh's choice, checked file by file against wast-json
# (tests/spec3/compare-wast-json.py): wast2json --enable-all converts 117 exactly (the same
# commands and, custom sections aside, the same modules as wast-json; memory_init's two invalid
# modules differ by a data count section, both invalid); simd_lane goes to wasm-tools (see
# convert3.sh: wabt's hex-float rounding); the 11 wast2json rejects (3.0 text: align, comments,
# id, if, table_copy_mixed, table_fill, table_get, table_grow, table_init, table_set, table_size)
# go to wasm-tools (the same as wast-json's, except align.wast's two u64-offset assert_invalid
# modules, which wasm-tools encodes and wast-json keeps as text); memory.wast (`module
# definition`) goes to wast-json. A suite's core group also takes the files it lists in no
# other group: relaxed_dot_product.wast in suite-spec3-tools.sh (wasm-tools reads its final
# instruction names), annotations.wast in suite-spec3-exec.sh (wasm-tools): 131 files each.
FLAGS[core]=all
# spec3_core_files NAME...: the top-level .wast files of $C named neither in FILES nor in the
# arguments (the files a suite lists outside FILES), as FILES entries
spec3_core_files() {
  local -A seen=()
  local k n f
  for k in "${!FILES[@]}"; do for n in ${FILES[$k]}; do seen[$n]=1; done; done
  for n in "$@"; do seen[$n]=1; done
  for f in "$C"/*.wast; do
    n=${f##*/} n=${n%.wast}
    [ -n "${seen[$n]:-}" ] || printf '%s ' "$n"
  done
}
# spec3_out_of_scope SUITE: prints the files of $C no suite runs, with the reason; 1 (and an
# error line) when a legacy/ file is in no group (the core group takes top-level files only).
spec3_out_of_scope() {
  local f n ok=0
  for f in "$C"/legacy/*.wast; do
    n=legacy/${f##*/} n=${n%.wast}
    case " ${FILES[legacy-exceptions]} " in *" $n "*) ;; *) echo "$1: error: $n.wast is in no group (features.sh)"; ok=1 ;; esac
  done
  echo "out of scope (not run):"
  for f in "$C"/proposals/*/; do
    [ -d "$f" ] || continue
    n=${f%/} n=${n##*/}
    case $n in
      custom-descriptors) r="post-3.0 proposal (custom descriptors, exact reference types)" ;;
      custom-page-sizes) r="post-3.0 proposal (memory page sizes other than 64 KiB)" ;;
      threads) r="post-3.0 proposal (shared memories, atomics, wait/notify)" ;;
      wide-arithmetic) r="post-3.0 proposal (i64.add128, i64.mul_wide_*)" ;;
      *) r="post-3.0 proposal" ;;
    esac
    echo "  proposals/$n/ ($(ls "$f" | grep -c '\.wast$') files): $r"
  done
  [ -d "$C/custom" ] && echo "  custom/ ($(ls "$C/custom" | grep -c '\.wast$') files: $(cd "$C/custom" && ls *.wast | tr '\n' ' ' | sed 's/ $//')):" \
    "assert_malformed_custom / assert_invalid_custom (custom-section annotations: branch hints, name" \
    "section), commands neither wast2json nor our runners have"
  return $ok
}
