#!/usr/bin/env bash
# WebAssembly 3.0 spec tests, EXECUTION side: lib/interp with the 3.0
# features it runs (wk_config.features, WK_INTERP_FEATURES: multi-memory,
# memory64) on every command of the files of ../shared/corpora/spec-core-3.0
# that test them (the same lists as tests/spec3/suite-spec3-tools.sh),
# converted by tests/spec3/convert3.sh into $BUILD/spec3-json, and on our own
# cases tests/spec3/exec/*.wast (SIMD on a second / an i64 memory, bounds at
# the exact end, 64-bit offset overflow, copies between memories, imports of
# several memories). Each feature runs with guard pages (the default), with
# explicit checks (--checked) and through the AOT cache (--cache, twice: the
# second run executes the cached code). Nothing is skipped: a command the
# runner cannot run is a failure, except the commands listed in OOS below
# (features lib/interp lacks; skipped with the reason). Not run here: tail
# calls, extended-const and exception handling (not executed by lib/interp
# yet; suite-spec3-tools.sh checks their validation).
# Failures go to $BUILD/spec3-exec-failures.log. Last line:
# "N passed, N failed, N skipped" (also per feature and variant).
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
runner=$BUILD/tests/spec-runner
json=$BUILD/spec3-json
own=$BUILD/spec3-exec-own
log=$BUILD/spec3-exec-failures.log
C=../shared/corpora/spec-core-3.0
declare -A FILES FLAGS
FILES[multi-memory]="address0 address1 align0 binary0 binary-leb128 data0 data1 data_drop0 exports0 float_exprs0
  float_exprs1 float_memory0 imports0 imports1 imports2 imports3 imports4 linking0 linking1 linking2 linking3 load0
  load1 load2 memory-multi memory_copy0 memory_copy1 memory_fill0 memory_grow memory_init0 memory_size0
  memory_size1 memory_size2 memory_size3 memory_size_import memory_trap0 memory_trap1 start0 store0 store1 store2
  traps0 simd_memory-multi"
FLAGS[multi-memory]=multi-memory
FILES[memory64]="address64 align64 binary_leb128_64 bulk64 endianness64 float_memory64 load64 memory_copy64
  memory_fill64 memory_grow64 memory_init64 memory_redundancy64 memory_trap64"
FLAGS[memory64]=memory64
# table64 (i64 tables, part of the memory64 proposal)
FILES[table64]="table_copy64 table_fill64 table_get64 table_grow64 table_init64 table_set64 table_size64
  call_indirect64 memory64-imports"
FLAGS[table64]=memory64
order="multi-memory memory64 table64"
# Commands that need a feature lib/interp does not implement: counted as skipped, reason printed
# (FILE.wast:LINE=reason; a command that depends on one, e.g. on its instance, is listed too).
OOS=("table_init64.wast:2457=GC types (array, arrayref)"
     "table_init64.wast:2471=runs the module of line 2457 (GC types)")
features=multi-memory,memory64

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
if ! command -v wast2json >/dev/null || ! command -v node >/dev/null ||
   [ ! -f scripts/npm/node_modules/@bytecodealliance/jco-transpile/dist/wasm-tools.js ]; then
  echo "suite-spec3-exec: wast2json (Debian wabt) or node + npm jco-transpile (scripts/setup.sh) missing: not run"
  echo "0 passed, 0 failed, 1 skipped"
  exit 0
fi
P=0 F=0 S=0
: >"$log"
cache=$(mktemp -d "${TMPDIR:-/tmp}/spec3-exec-cache.XXXXXX") || exit 1
trap 'rm -rf "$cache"' EXIT
# run NAME JSON... : every variant over the given files, one line per variant
# (cache-store writes the AOT cache entries, cache-load must then run from them)
run() {
  local name=$1
  shift
  local v res last p f s
  for v in guard checked cache-store cache-load; do
    local args=()
    case $v in
      checked) args=(--checked) ;;
      cache-*) args=(--cache="$cache/$name") ;;
    esac
    res=$("$runner" --verbose --features=$features "${args[@]}" "$@" 2>&1)
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
    echo "$name [$v]: $p passed, $f failed, $s skipped"
    P=$((P + p)) F=$((F + f)) S=$((S + s))
  done
}
for feat in $order; do
  files=() jsons=()
  for n in ${FILES[$feat]}; do files+=("$C/$n.wast"); jsons+=("$json/$n/$n.json"); done
  if ! out=$(bash tests/spec3/convert3.sh "$json" "${FLAGS[$feat]}" "${files[@]}" 2>&1); then
    printf '%s\n' "$out" | grep error | head -5
    F=$((F + 1))
  fi
  present=()
  for j in "${jsons[@]}"; do [ -f "$j" ] && present+=("$j"); done
  run "$feat" "${present[@]}"
done
if ! out=$(bash tests/spec3/convert3.sh "$own" multi-memory,memory64,simd tests/spec3/exec/*.wast 2>&1); then
  printf '%s\n' "$out" | grep error | head -5
  F=$((F + 1))
fi
run own "$own"
nf=$(wc -l <"$log")
if [ "$nf" -gt 0 ]; then
  echo "failing commands are listed in $log ($nf); the first ones:"
  head -5 "$log"
fi
echo "$P passed, $F failed, $S skipped"
[ "$F" -eq 0 ]
