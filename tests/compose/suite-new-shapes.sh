#!/usr/bin/env bash
# `wcompose new` on preview1 main modules of unusual memory shapes (hand-written WAT, so each shape
# is exactly what it says), against cnew.c's memory-first structure (mem_first_setup: the main
# module's one plain memory becomes an import the shim defines, the adapter is instantiated before
# the main module) and its fallback to the main-module-first structure:
#   - each accepted module: the component validates (`winspect --validate` and wasm-tools through
#     jco-transpile, tests/compose/jco-wit.mjs), both print the same WIT, two runs give the same
#     bytes, and `wrun` of the component prints what `wrun` of the core module prints (and exits
#     the same, 0 or a trap) with the built-in adapter and with jco's preview1 command adapter;
#   - which structure was built (the main module imports `"" "$memory"` or defines its memory);
#   - modules wcompose cannot make a component of: a clean `wcompose: error:` (exit 1);
#   - mutated modules: no crash, every accepted output validates.
# jco's adapter matters: cnew gives it a start function that grows the memory (the stack), so a
# main module instantiated after it sees a grown memory (its data segments' bounds, memory.size in
# its start function): such modules must get the main-module-first structure.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
case $BUILD in /*) BUILD=${BUILD#$PWD/} ;; esac
WC=${WC:-$BUILD/bin/wcompose}
WI=$BUILD/bin/winspect
WR=$PWD/$BUILD/bin/wrun
WAT=$BUILD/tests/tools/wat-core-tool
NM=$PWD/scripts/npm/node_modules
JADAPTER=$NM/@bytecodealliance/jco/lib/wasi_snapshot_preview1.command.wasm
JCO_WT=${JCO_WT:-$NM/@bytecodealliance/jco-transpile/dist/wasm-tools.js}
. tests/compose/common.sh
need "$WC" "$WI" "$WR" "$WAT"
scratch

# gen NAME MEMORY-FIELDS EXTRA-FIELDS START-CODE: a command printing "hello" through fd_write
# (from a data segment at 16), after START-CODE
gen() {
  cat > "$TMP/$1.wat" <<EOF
(module
  (type \$fw (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func \$fd_write (type \$fw)))
  (import "wasi_snapshot_preview1" "proc_exit" (func \$proc_exit (param i32)))
  $2
  (global \$g (mut i32) (i32.const 0))
  $3
  (func \$print (param \$p i32) (param \$n i32)
    (i32.store (i32.const 0) (local.get \$p))
    (i32.store (i32.const 4) (local.get \$n))
    (drop (call \$fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start")
    $4
    (call \$print (i32.const 16) (i32.const 6)))
  (data (i32.const 16) "hello\0a")
)
EOF
  printf '%s\t%s\n' "$TMP/$1.wat" "$TMP/$1.wasm" >> "$TMP/list"
}
: > "$TMP/list"
# name | structure wanted (first: memory first, main: main module first) | memory | extra | _start code
gen max '(memory (export "memory") 2 5)' '' '(drop (memory.grow (i32.const 1)))'
gen nomax '(memory (export "memory") 1)' '' ''
gen noexport '(memory 1)' '' ''
gen renamed '(memory (export "mem") 1)' '' ''
gen twice '(memory (export "memory") (export "mem2") 1)' '' ''
gen twomem '(memory (export "memory") 1) (memory (export "m2") 1)' '' ''
gen passive '(memory (export "memory") 1)' '(data $pd "passive\0a")' \
  '(memory.init $pd (i32.const 100) (i32.const 0) (i32.const 8)) (data.drop $pd) (call $print (i32.const 100) (i32.const 8))'
gen table '(memory (export "memory") 1) (table 2 funcref) (elem (i32.const 0) $print $fd_write)' '' \
  '(call_indirect (param i32 i32) (i32.const 16) (i32.const 6) (i32.const 0))'
gen dupimport '(import "wasi_snapshot_preview1" "fd_write" (func $fw2 (type $fw))) (memory (export "memory") 1)' '' ''
# a start section that grows the memory and records memory.size: 3 pages, as in the core module
gen startgrow '(memory (export "memory") 1)' '(func $st (drop (memory.grow (i32.const 2))) (global.set $g (memory.size))) (start $st)' \
  '(if (i32.ne (global.get $g) (i32.const 3)) (then (call $proc_exit (i32.const 9))))'
# a data segment past the memory's minimum size (0 pages): instantiation traps, as in the core module
gen dataoob '(memory (export "memory") 0)' '' ''
gen dataneg '(memory (export "memory") 1)' '(data (i32.const -1) "x")' ''
# modules wcompose cannot make a component of
gen impempty '(import "" "x" (func)) (memory (export "memory") 1)' '' ''
gen badsig '(import "wasi_snapshot_preview1" "fd_close" (func (param i64))) (memory (export "memory") 1)' '' ''
# no memory at all (a command that only exits)
cat > "$TMP/nomem.wat" <<'EOF'
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (func (export "_start") (call $proc_exit (i32.const 0))))
EOF
printf '%s\t%s\n' "$TMP/nomem.wat" "$TMP/nomem.wasm" >> "$TMP/list"
"$WAT" parse -l "$TMP/list" > "$TMP/parse.log" 2>&1 || { bad "WAT parse: $(grep -v '^ok' "$TMP/parse.log" | head -2)"; }

# the structure cnew chose: "first" when the main module imports its memory from the shim
structure() { "$WI" print "$1" | awk '/core module \$main /{f=1} f && /^  \)$/{f=0} f' | grep -q '(import "" "\$memory" (memory ' && echo first || echo main; }
runout() { # FILE -> stdout+stderr and exit status, the file's name left out
  (cd "$TMP" && timeout 60 "$WR" "$1" a b 2>&1; echo "exit $?") | sed -e "s|$1|FILE|g" -e '/^ *[0-9]*: 0x/d' -e '/^wasm backtrace:/d'
}
check() { # NAME WANT-STRUCTURE ADAPTER-LABEL [--adapt ...]
  local n=$1 want=$2 lab=$3; shift 3
  local c=$TMP/$n.$lab.wasm
  if ! "$WC" new "$TMP/$n.wasm" "$@" -o "$c" 2> "$TMP/$n.$lab.err"; then bad "$n ($lab): wcompose new: $(head -1 "$TMP/$n.$lab.err")"; return; fi
  "$WC" new "$TMP/$n.wasm" "$@" -o "$c.2" 2> /dev/null
  local s; s=$(structure "$c")
  local core=$TMP/$n.core.out comp=$TMP/$n.$lab.out
  [ -f "$core" ] || runout "$TMP/$n.wasm" > "$core"
  runout "$c" > "$comp"
  if ! "$WI" --validate "$c" > "$TMP/$n.$lab.val" 2>&1; then bad "$n ($lab): does not validate: $(head -1 "$TMP/$n.$lab.val")"
  elif ! cmp -s "$c" "$c.2"; then bad "$n ($lab): two runs give different bytes"
  elif ! grep -q '^hello$\|trap' "$core"; then bad "$n ($lab): the core module does not run: $(head -1 "$core")"
  elif ! cmp -s "$core" "$comp"; then bad "$n ($lab): wrun differs from the core module: [$(tr '\n' ' ' < "$comp" | head -c 200)] vs [$(tr '\n' ' ' < "$core" | head -c 200)]"
  elif [ "$s" != "$want" ]; then bad "$n ($lab): structure $s, want $want"
  else
    ok "$n ($lab): $s structure, validates, deterministic, wrun as the core module [$(tr '\n' ' ' < "$comp" | head -c 60)]"
    printf '%s\t%s\t%s\n' "$c" "$c.jco.wit" "$n ($lab)" >> "$TMP/oracle"
  fi
}
: > "$TMP/oracle"
while read -r n want; do
  [ -f "$TMP/$n.wasm" ] || { bad "$n: not parsed"; continue; }
  check "$n" "$want" builtin
  if [ -f "$JADAPTER" ]; then check "$n" "$want" jco --adapt "wasi_snapshot_preview1=$JADAPTER"
  else skp "$n (jco adapter): jco's preview1 adapter is missing"; fi
done <<'EOF'
max first
nomax first
noexport first
renamed first
twice first
twomem main
passive first
table first
dupimport main
startgrow main
dataoob main
dataneg main
EOF

# wasm-tools (wasmparser) validates each and prints the WIT winspect prints
if [ -s "$TMP/oracle" ]; then
  if [ -f "$JCO_WT" ] && command -v node > /dev/null; then
    cut -f1,2 "$TMP/oracle" > "$TMP/oracle.list"
    JCO_WT=$JCO_WT node tests/compose/jco-wit.mjs "$TMP/oracle.list" > "$TMP/oracle.log" 2>&1
    while IFS=$'\t' read -r c jwit n; do
      if [ -f "$jwit.err" ]; then bad "$n: wasm-tools rejects it: $(cat "$jwit.err")"
      elif [ ! -f "$jwit" ]; then bad "$n: the wasm-tools oracle did not run: $(head -1 "$TMP/oracle.log")"
      elif diff -q <(sed -e 's/[[:space:]]*$//' "$jwit" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}') \
                   <("$WI" --wit "$c" | sed -e 's/[[:space:]]*$//' | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}') > /dev/null; then
        ok "$n: wasm-tools validates it and prints the same WIT"
      else bad "$n: wasm-tools prints different WIT"; fi
    done < "$TMP/oracle"
  else
    while IFS=$'\t' read -r c jwit n; do skp "$n: no wasm-tools oracle (node or jco-transpile missing)"; done < "$TMP/oracle"
  fi
fi

# clean errors
for n in impempty badsig nomem; do
  [ -f "$TMP/$n.wasm" ] || { bad "$n: not parsed"; continue; }
  "$WC" new "$TMP/$n.wasm" -o "$TMP/$n.out.wasm" > /dev/null 2> "$TMP/$n.err"
  rc=$?
  if [ $rc -eq 1 ] && grep -q '^wcompose: error: ' "$TMP/$n.err" && [ ! -e "$TMP/$n.out.wasm" ]; then ok "$n: clean error: $(head -1 "$TMP/$n.err" | sed 's/^wcompose: error: [^ ]* //')"
  else bad "$n: exit $rc: $(head -1 "$TMP/$n.err")"; fi
done

# mutated small modules (memory, import, data and start sections are a large part of them)
python3 - "$TMP" nomax passive table startgrow max <<'PY'
import random, sys
d = sys.argv[1]
rnd = random.Random(20261205)
k = 0
for n in sys.argv[2:]:
    data = open(f"{d}/{n}.wasm", "rb").read()
    for i in range(40):
        b = bytearray(data)
        r = rnd.random()
        if r < 0.6:
            for _ in range(rnd.randint(1, 3)):
                b[rnd.randrange(8, len(b))] = rnd.choice([0, 1, 2, 3, 4, 0x7f, 0x80, 0xff, rnd.randrange(256)])
        elif r < 0.8:
            p = rnd.randrange(8, len(b)); del b[p:p + rnd.randint(1, 4)]
        else:
            p = rnd.randrange(8, len(b)); b[p:p] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 3)))
        open(f"{d}/mut{k:03d}.wasm", "wb").write(b)
        k += 1
PY
runs=0; bads=0; accepted=0
for f in "$TMP"/mut*.wasm; do
  "$WC" new "$f" -o "$TMP/mo.wasm" > /dev/null 2> "$TMP/mo.err"
  rc=$?
  runs=$((runs+1))
  if [ $rc -eq 0 ]; then
    accepted=$((accepted+1))
    "$WI" --validate "$TMP/mo.wasm" > /dev/null 2>&1 || { bads=$((bads+1)); echo "  accepted, invalid output: $(basename "$f")"; }
  elif [ $rc -ne 1 ] || ! grep -q '^wcompose: error: ' "$TMP/mo.err"; then bads=$((bads+1)); echo "  exit $rc on $(basename "$f"): $(head -1 "$TMP/mo.err")"; fi
  rm -f "$TMP/mo.wasm"
done
if [ $bads -eq 0 ]; then ok "mutated modules: $runs runs, $accepted accepted (all valid), the others clean errors"
else bad "mutated modules: $bads of $runs crashed or gave an invalid component"; fi

# a C reactor (wit-gen c bindings, an exported interface and a world function; strings through
# cabi_realloc) and a C command importing its interface, both memory first (wasm-ld output), then
# composed with `wcompose plug`: the composition validates (winspect and wasm-tools) and runs under
# wrun; the reactor's exports answer `wrun --invoke`
P=$TMP/plug
mkdir -p "$P/app/deps"
cat > "$P/r.wit" <<'EOF'
package test:r;
interface calc {
  add: func(a: u32, b: u32) -> u32;
  greet: func(name: string) -> string;
}
world r {
  export calc;
  export count: func() -> u32;
}
EOF
cp "$P/r.wit" "$P/app/deps/"
printf 'package test:app;\nworld app {\n  import test:r/calc;\n}\n' > "$P/app/app.wit"
cat > "$P/impl.c" <<'EOF'
#include "r.h"
#include <stdio.h>
static uint32_t n;
uint32_t exports_r_count(void) { printf("count called\n"); fflush(stdout); return ++n; }
uint32_t exports_test_r_calc_add(uint32_t a, uint32_t b) { return a + b; }
void exports_test_r_calc_greet(r_string_t *name, r_string_t *ret) {
  char buf[256];
  snprintf(buf, sizeof buf, "hi %.*s", (int)name->len, (const char *)name->ptr);
  fprintf(stderr, "greet %s\n", buf);
  r_string_dup(ret, buf);
}
EOF
cat > "$P/main.c" <<'EOF'
#include "app.h"
#include <stdio.h>
int main(int argc, char **argv) {
  app_string_t in = {(uint8_t *)"alice", 5}, out;
  test_r_calc_greet(&in, &out);
  printf("add %u, %.*s, argc %d\n", test_r_calc_add(40, 2), (int)out.len, (char *)out.ptr, argc);
  return 0;
}
EOF
if ! command -v clang-14 > /dev/null; then skp "plug: clang-14 is not installed"
elif ! "$BUILD/bin/wit-gen" c "$P/r.wit" --world r --out-dir "$P/r" > "$P/gen.log" 2>&1 ||
     ! "$BUILD/bin/wit-gen" c "$P/app" --world app --out-dir "$P/a" >> "$P/gen.log" 2>&1 ||
     ! clang-14 --target=wasm32-wasi -mexec-model=reactor -O2 -I "$P/r" -o "$P/r.core.wasm" "$P/impl.c" "$P/r/r.c" "$P/r/r_component_type.o" > "$P/cc.log" 2>&1 ||
     ! clang-14 --target=wasm32-wasi -O2 -I "$P/a" -o "$P/app.core.wasm" "$P/main.c" "$P/a/app.c" "$P/a/app_component_type.o" >> "$P/cc.log" 2>&1; then
  bad "plug: bindings or compile failed: $(head -c 300 "$P/gen.log" "$P/cc.log")"
elif ! "$WC" new "$P/r.core.wasm" -o "$P/r.wasm" 2> "$P/new.log" || ! "$WC" new "$P/app.core.wasm" -o "$P/app.wasm" 2>> "$P/new.log"; then
  bad "plug: wcompose new: $(head -1 "$P/new.log")"
else
  if [ "$(structure "$P/r.wasm")$(structure "$P/app.wasm")" = firstfirst ]; then ok "plug: reactor and command are memory first"
  else bad "plug: structures $(structure "$P/r.wasm") $(structure "$P/app.wasm"), want first first"; fi
  inv=$(for f in 'count()' 'test:r/calc#add(3, 4)' 'test:r/calc#greet("bob")'; do "$WR" --invoke "$f" "$P/r.wasm" 2>&1; echo "exit $?"; done | tr '\n' ' ')
  if [ "$inv" = 'count called 1 exit 0 7 exit 0 greet hi bob "hi bob" exit 0 ' ]; then ok "plug: the reactor's exports answer wrun --invoke"
  else bad "plug: wrun --invoke on the reactor: $inv"; fi
  if ! "$WC" plug --plug "$P/r.wasm" "$P/app.wasm" -o "$P/comp.wasm" 2> "$P/plug.log"; then bad "plug: wcompose plug: $(head -1 "$P/plug.log")"
  elif ! "$WI" --validate "$P/comp.wasm" > "$P/val.log" 2>&1; then bad "plug: the composition does not validate: $(head -1 "$P/val.log")"
  else
    out=$("$WR" "$P/comp.wasm" x 2>&1; echo "exit $?")
    if [ "$out" = "$(printf 'greet hi alice\nadd 42, hi alice, argc 2\nexit 0')" ]; then ok "plug: the composition validates and runs under wrun"
    else bad "plug: wrun of the composition: $(echo "$out" | tr '\n' ' ' | head -c 200)"; fi
    if [ -f "$JCO_WT" ] && command -v node > /dev/null; then
      printf '%s\t%s\n' "$P/comp.wasm" "$P/comp.jco.wit" > "$P/list"
      JCO_WT=$JCO_WT node tests/compose/jco-wit.mjs "$P/list" > /dev/null 2>&1
      if [ -f "$P/comp.jco.wit" ] && diff -q <(sed -e 's/[[:space:]]*$//' "$P/comp.jco.wit" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}') \
           <("$WI" --wit "$P/comp.wasm" | sed -e 's/[[:space:]]*$//' | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}') > /dev/null; then
        ok "plug: wasm-tools validates the composition and prints the same WIT"
      else bad "plug: wasm-tools: $(cat "$P/comp.jco.wit.err" 2>/dev/null || echo different WIT)"; fi
    else skp "plug: no wasm-tools oracle (node or jco-transpile missing)"; fi
  fi
fi

echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
