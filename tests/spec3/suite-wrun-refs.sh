#!/usr/bin/env bash
# `wrun --invoke` of core functions with Core 3.0 typed references in their signatures
# (tests/spec3/data/wrun-refs.wat: (ref $t), (ref null $t), externref params and results;
# tests/spec3/data/wrun-gc.wat: GC anyref, eqref, i31ref, structref, arrayref, nullref, (ref $s)).
# Results print as wasmtime's `--invoke` prints references (wasmtime src/commands/run.rs:
# `<funcref>`, `<null funcref>`, `<null externref>`, ...; a typed function reference is a funcref
# there); a reference argument can only be `null`, and only for a nullable type (exit 2 with the
# reason otherwise; wasmtime takes no reference arguments). The expected values follow from each
# function's body (ref.func is never null, ref.is_null of null is 1). No peer runs the module:
# node 20's V8 reads the 0x63/0x64 type codes as its pre-standard GC encoding.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
W=$BUILD/bin/wrun
F=tests/spec3/data/wrun-refs.wat
pass=0 fail=0
[ -x "$W" ] || { echo "suite-wrun-refs: $W not built"; echo "0 passed, 1 failed"; exit 1; }
# check NAME EXPECTED-EXIT EXPECTED-OUTPUT (stdout, or the first stderr line on failure) FUNC ARGS...
check() {
  local name=$1 want=$2 text=$3 fn=$4; shift 4
  local out rc
  out=$("$W" ${OPTS:-} --invoke "$fn" "$F" "$@" 2>&1); rc=$?  # OPTS: wrun options (word-split)
  [ $rc -ne 0 ] && out=$(printf '%s\n' "$out" | head -1)
  if [ $rc -eq "$want" ] && [ "$out" = "$text" ]; then pass=$((pass + 1)); echo "ok   $name"
  else fail=$((fail + 1)); echo "FAIL $name: exit $rc (want $want): $out (want: $text)"; fi
}
check "(ref \$t) result" 0 "<funcref>" get
check "(ref null \$t) null result" 0 "<null funcref>" getnull
check "(ref null \$t) param: null" 0 "1" isnull null
check "(ref \$t) param: null is refused" 2 "wrun: error: argument 1 of 'call': 'null' is not a valid non-null funcref" call null
check "externref null through" 0 "<null externref>" ext null
check "a reference argument other than null" 2 "wrun: error: argument 1 of 'isnull': '3' is not a valid funcref" isnull 3
# WebAssembly 3.0 GC values (tests/spec3/data/wrun-gc.wat): wasmtime prints every value of the
# any hierarchy as Val::AnyRef, `<anyref>` (an i31 too: no value) or `<null anyref>`
F=tests/spec3/data/wrun-gc.wat
check "anyref struct result" 0 "<anyref>" any
check "anyref null result" 0 "<null anyref>" anynull
check "eqref array result" 0 "<anyref>" eq
check "i31ref result" 0 "<anyref>" i31
check "i31ref null result" 0 "<null anyref>" i31null
check "(ref \$s) result" 0 "<anyref>" struct
check "structref null result" 0 "<null anyref>" structref
check "arrayref result" 0 "<anyref>" array
check "nullref result" 0 "<null anyref>" none
check "eqref param: null" 0 "1" isnull null
check "(ref \$s) param: null is refused" 2 "wrun: error: argument 1 of 'get': 'null' is not a valid non-null anyref" get null
check "eqref param: a number is refused" 2 "wrun: error: argument 1 of 'isnull': '5' is not a valid anyref" isnull 5
# a GC allocation beyond the heap limit: the trap names the limit (not memory.grow), exit 134
OPTS="--max-memory 1MiB" check "GC heap at --max-memory" 134 "wrun: error: tests/spec3/data/wrun-gc.wat: trap: out of memory (the garbage-collected heap reached the --max-memory limit of 1MiB)" big 2000000
check "GC heap at its default limit" 134 "wrun: error: tests/spec3/data/wrun-gc.wat: trap: out of memory (the garbage-collected heap reached its default limit: --max-memory sets it)" big 0xffffffff
two=$("$W" --invoke two "$F" 2>&1 | tr '\n' ' ')
if [ "$two" = "7 <anyref> " ]; then pass=$((pass + 1)); echo "ok   two results"
else fail=$((fail + 1)); echo "FAIL two results: $two"; fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
