#!/usr/bin/env bash
# wrun on components: real preview1 programs turned into components by `jco new` with
# jco's preview1 adapter (tests/component/build-real.sh hello-c hello-rs) must print what
# `jco run` prints (stdout, stderr, exit status; jco run inherits the environment, so wrun
# gets --env HOME), and the error paths of tests/component-exec/data/imports.wat: an
# undefined import (exit 1, named), --trap-unknown-imports (134), --fuel, --timeout and a
# trap (134 with the message).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
W=$BUILD/bin/wrun
JCO=$PWD/scripts/npm/node_modules/.bin/jco
OUT=$BUILD/tests/component-real
T=$BUILD/tests/component-wrun
mkdir -p "$T"
pass=0; fail=0
ok() { pass=$((pass+1)); echo "ok   $*"; }
bad() { fail=$((fail+1)); echo "FAIL $*"; }
[ -x "$W" ] || { echo "$W not built"; echo "0 passed, 1 failed"; exit 1; }
bash tests/component/build-real.sh hello-c hello-rs || bad "build hello-c / hello-rs"
for c in hello-c hello-rs; do
  f=$OUT/$c.wasm
  [ -f "$f" ] || { bad "$c: not built"; continue; }
  (cd "$T" && timeout 120 "$JCO" run "$OLDPWD/$f" one two >"$c.jco.out" 2>"$c.jco.err"); jrc=$?
  (cd "$T" && timeout 60 "$OLDPWD/$W" --env HOME "$OLDPWD/$f" one two >"$c.wrun.out" 2>"$c.wrun.err"); wrc=$?
  if [ $jrc -eq $wrc ] && cmp -s "$T/$c.jco.out" "$T/$c.wrun.out" && cmp -s "$T/$c.jco.err" "$T/$c.wrun.err"; then
    ok "$c: wrun prints what jco run prints (exit $wrc, $(wc -l <"$T/$c.wrun.out") stdout lines)"
  else
    bad "$c: jco run exit $jrc vs wrun exit $wrc"; diff "$T/$c.jco.out" "$T/$c.wrun.out" | head -5
    diff "$T/$c.jco.err" "$T/$c.wrun.err" | head -5
  fi
done
F=tests/component-exec/data/imports.wat
check() { # NAME EXPECTED-EXIT STDERR-SUBSTRING ARGS...
  local name=$1 want=$2 text=$3; shift 3
  "$W" "$@" >"$T/out" 2>"$T/err"; local rc=$?
  if [ $rc -eq "$want" ] && grep -qF -- "$text" "$T/err"; then ok "$name"
  else bad "$name: exit $rc (want $want), stderr: $(head -c 300 "$T/err")"; fi
}
check "undefined import is a link error naming it" 1 'import `test:x/missing@1.0.0` is not defined' "$F"
check "--trap-unknown-imports: the call traps" 134 'unknown import: `test:x/missing@1.0.0#f` has not been defined' \
  --trap-unknown-imports "$F"
check "--fuel stops an endless loop" 134 'the --fuel limit of 100000 was reached' \
  --trap-unknown-imports --fuel 100000 --invoke 'spin()' "$F"
check "--timeout stops an endless loop" 134 'the --timeout limit of 100ms was reached' \
  --trap-unknown-imports --timeout 100ms --invoke 'spin()' "$F"
# a timeout during a host wait (a 60 s pollable.block / poll_oneoff) traps at the host call's return,
# also when the guest has no back-edge or call left (it returned early with exit 0 before)
check "--timeout during a 60 s pollable.block: the call traps, no early return" 134 \
  'interrupted (the --timeout limit of 300ms was reached)' --timeout 300ms --invoke 'f()' tests/component-exec/data/sleep.wat
printf '(module (import "wasi_snapshot_preview1" "poll_oneoff" (func $p (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start") (i64.store (i32.const 24) (i64.const 60000000000)) (i32.store (i32.const 16) (i32.const 1))
    (drop (call $p (i32.const 0) (i32.const 100) (i32.const 1) (i32.const 200)))))\n' >"$T/p1sleep.wat"
check "--timeout during a 60 s preview1 poll_oneoff: traps, not exit 0" 134 \
  'interrupted (the --timeout limit of 300ms was reached)' --timeout 300ms "$T/p1sleep.wat"
check "a trap exits 134 with its message" 134 'trap: unreachable' --trap-unknown-imports --invoke 'boom()' "$F"
check "--invoke of a missing export lists the exports" 1 'exported functions: wasi:cli/run@0.2.0#run spin boom fails' \
  --trap-unknown-imports --invoke 'nope()' "$F"
check "--invoke with a wrong argument count" 2 '`boom` takes 0 arguments, more are given' \
  --trap-unknown-imports --invoke 'boom(1)' "$F"
check "--max-memory below the initial memory traps at instantiation" 134 'exceeds the --max-memory limit of 64K' \
  --max-memory 64K "$OUT/hello-c.wasm"
# -S http's outgoing-handler (data/outbound.wat: fields -> outgoing-request -> set-authority ->
# handle, wasi-http 0.2 handler.wit): wkit grants no outbound authority unless --allow-outbound
# names it (wasmtime's -S http allows any), so the request is HTTP-request-denied; an allowed
# one gets its future (ok(handle): the transfer would start at the future's first get, so no
# network is touched). The component is checked valid by wasm-tools (jco parse + jco wit) first.
OB=tests/component-exec/data/outbound.wat
if (timeout 120 "$JCO" parse "$OB" -o "$T/outbound.wasm" && timeout 120 "$JCO" wit "$T/outbound.wasm") 2>&1 |
   grep -qF 'export probe: func(authority: string) -> result<u32, error-code>;'; then
  ok "outbound.wat: wasm-tools (jco parse, jco wit) validates it: probe(authority) -> result<u32, error-code>"
else bad "outbound.wat: jco parse / jco wit refused it"; fi
ob() { # NAME WANT ARGS...
  local name=$1 want=$2; shift 2
  local got; got=$("$W" -S http "$@" "$T/outbound.wasm" 2>&1); local rc=$?
  if [ $rc = 0 ] && [ "$got" = "$want" ]; then ok "$name: $want"; else bad "$name: exit $rc, got '$got' (want '$want')"; fi
}
ob "-S http, no --allow-outbound: the request is denied" 'err(HTTP-request-denied)' --invoke 'probe("example.com")'
ob "--allow-outbound of another host: denied" 'err(HTTP-request-denied)' --allow-outbound example.org \
  --invoke 'probe("example.com")'
ob "--allow-outbound HOST:PORT, the request without a port (the default one): denied" 'err(HTTP-request-denied)' \
  --allow-outbound example.com:8443 --invoke 'probe("example.com")'
ob "--allow-outbound HOST (any port): the request gets its future" 'ok(1)' --allow-outbound example.com \
  --invoke 'probe("example.com:8443")'
ob "--allow-outbound HOST:PORT, same port: the request gets its future" 'ok(1)' --allow-outbound 127.0.0.1:9 \
  --invoke 'probe("127.0.0.1:9")'
ob "host names match case-insensitively (RFC 3986 3.2.2)" 'ok(1)' --allow-outbound EXAMPLE.com \
  --invoke 'probe("example.COM")'
# 0 is no limit value: a usage error for each limit (it meant "no limit" for --max-memory alone)
check "--max-memory 0 is a usage error" 2 "invalid value '0' for --max-memory" --max-memory 0 "$OUT/hello-c.wasm"
check "--max-stack 0 is a usage error" 2 "invalid value '0' for --max-stack" --max-stack 0 "$OUT/hello-c.wasm"
check "--timeout 0 is a usage error" 2 "invalid value '0' for --timeout" --timeout 0 "$OUT/hello-c.wasm"
check "--max-stack is hit" 134 'the --max-stack limit of 1K was reached' --max-stack 1K "$OUT/hello-c.wasm"
# WASI 0.2 hands arguments, environment strings and preopen names to the guest as WIT strings
# (Unicode only): a non-UTF-8 one is refused before the guest runs (exit 1, named), not lowered
# into a trap blamed on the guest (wasmtime's command line refuses it too); preview1 (bytes) takes it.
check "a non-UTF-8 argument is refused for a component" 1 'argv[2] is not valid UTF-8' \
  "$OUT/hello-c.wasm" one $'t\xffwo'
check "a non-UTF-8 environment value is refused for a component" 1 'environment variable WK_A is not valid UTF-8' \
  --env $'WK_A=\xc3' "$OUT/hello-c.wasm"
check "a non-UTF-8 preopen name is refused for a component" 1 'name of a preopened directory is not valid UTF-8' \
  --dir $'.::/d\xfe' "$OUT/hello-c.wasm"
# -S with its value attached, as wasmtime users write it (clap's short-option form)
"$W" -Sinherit-network "$OUT/hello-c.wasm" >"$T/out" 2>"$T/err"; rc=$?
if [ $rc -eq 0 ] && [ "$(cat "$T/out")" = "hello 1 -" ]; then ok "-Sinherit-network (attached value) is -S inherit-network"
else bad "-Sinherit-network: exit $rc, $(head -c 200 "$T/err")"; fi
check "-Sbogus: the attached value is checked like a separate one" 2 "invalid value 'bogus' for -S" -Sbogus "$OUT/hello-c.wasm"
# `wrun run app.wasm` (wasmtime's words) is the OCI runtime's `run` with id app.wasm: it fails (no
# bundle here) and says how a module is run instead of leaving an OCI error alone
(cd "$T" && cp "$OLDPWD/$OUT/hello-c.wasm" app.wasm && "$OLDPWD/$W" run app.wasm >out 2>err); rc=$?
if [ $rc -eq 1 ] && grep -qF 'note: `wrun run ID` is the OCI runtime' "$T/err" && grep -qF 'wrun [OPTIONS] app.wasm' "$T/err"; then
  ok "wrun run FILE: the OCI error comes with how to run a module"
else bad "wrun run FILE: exit $rc, $(head -c 300 "$T/err")"; fi
check "--invoke given twice is a usage error (the first call was silently dropped)" 2 '--invoke given twice' \
  --invoke 'add(1, 2)' --invoke 'add(3, 4)' tests/component-exec/data/invoke.wat
# --invoke results that cannot be written (stdout on a full device): exit 1, said (wasmtime fails too)
full() { # NAME ARGS...
  local name=$1; shift
  "$W" "$@" >/dev/full 2>"$T/full.err"; local rc=$?
  if [ $rc -eq 1 ] && grep -qF 'wrun: error: cannot write to stdout: No space left on device' "$T/full.err"; then ok "$name"
  else bad "$name: exit $rc (want 1), stderr: $(head -c 300 "$T/full.err")"; fi
}
if [ -w /dev/full ]; then
  full "--invoke: a component's result to a full device is an error" --invoke 'add(1, 2)' tests/component-exec/data/invoke.wat
  printf '(module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))\n' >"$T/add.wat"
  full "--invoke: a core module's result to a full device is an error" --invoke add "$T/add.wat" 1 2
else
  skip=$((${skip:-0}+2)); echo "skip --invoke results to a full device (2 cases): no writable /dev/full here"
fi
if [ -f "$OUT/hello.core.wasm" ]; then
  got=$("$W" "$OUT/hello.core.wasm" one $'t\xffwo' 2>&1); rc=$?
  if [ $rc -eq 0 ] && [ "$got" = "hello 3 -" ]; then ok "preview1 (the same program as a core module) takes a non-UTF-8 argument"
  else bad "preview1 with a non-UTF-8 argument: exit $rc, $got"; fi
else
  skip=$((${skip:-0}+1)); echo "skip preview1 with a non-UTF-8 argument: $OUT/hello.core.wasm was not built"
fi
# A chain of N component instances, each calling the previous one's export through a lowered
# import: 100 links return 100; 5000 links must trap (C stack bound), not crash.
chain() { python3 - "$1" <<'PY'
import sys
n = int(sys.argv[1])
print('(component')
print('  (component $B (core module $M (func (export "g") (result i32) (i32.const 0)))')
print('    (core instance $m (instantiate $M)) (func (export "g") (result u32) (canon lift (core func $m "g"))))')
print('  (component $C (import "f" (func $f (result u32))) (core func $fc (canon lower (func $f)))')
print('    (core module $M (import "" "f" (func $f (result i32)))')
print('      (func (export "g") (result i32) (i32.add (call $f) (i32.const 1))))')
print('    (core instance $m (instantiate $M (with "" (instance (export "f" (func $fc))))))')
print('    (func (export "g") (result u32) (canon lift (core func $m "g"))))')
print('  (instance $i0 (instantiate $B))')
for i in range(1, n + 1):
    print('  (instance $i%d (instantiate $C (with "f" (func $i%d "g"))))' % (i, i - 1))
print('  (export "run" (func $i%d "g")))' % n)
PY
}
chain 100 >"$T/chain100.wat"; chain 5000 >"$T/chain5000.wat"
got=$("$W" --invoke 'run()' "$T/chain100.wat" 2>&1)
if [ "$got" = 100 ]; then ok "100 chained component instances: run() = 100"; else bad "chain of 100: $got"; fi
check "5000 chained component calls trap instead of overflowing the C stack" 134 \
  'call stack exhausted (component calls nested too deeply)' --invoke 'run()' "$T/chain5000.wat"
# Every limit names itself on a component as on a core module (main.c wrun_finish_trap, the one
# report): --fuel at every 11th value up to the first that lets hello-c finish, and 488, 585, 779
# (the fuel runs out inside the guest's cabi_realloc while a host result is lowered: the trap
# keeps its code); through the chain of 100 component calls (a trap passed on by a lowered import
# keeps its code); --max-call-depth on hello-c and on the chain.
if [ -f "$OUT/hello-c.wasm" ]; then
  nt=0; nbad=0; done_at=
  for f in 488 585 779 $(seq 0 11 30000); do
    "$W" --fuel "$f" "$OUT/hello-c.wasm" >/dev/null 2>"$T/fuel.err"; rc=$?
    if [ $rc -eq 0 ] && [ "$f" -gt 779 ]; then done_at=$f; break; fi
    nt=$((nt+1))
    if [ $rc -ne 134 ] || ! head -1 "$T/fuel.err" | grep -qF "trap: all fuel consumed (the --fuel limit of $f was reached)"; then
      nbad=$((nbad+1)); [ $nbad -le 3 ] && echo "  --fuel $f: exit $rc: $(head -1 "$T/fuel.err")"
    fi
  done
  if [ -n "$done_at" ] && [ $nbad -eq 0 ] && [ $nt -gt 100 ]; then ok "hello-c: all $nt --fuel traps name the limit (runs to the end at --fuel $done_at)"
  else bad "hello-c: $nbad of $nt --fuel traps do not name the limit (finished at: ${done_at:-never})"; fi
  check "--max-call-depth names itself on a component" 134 \
    'trap: call stack exhausted (the --max-call-depth limit of 5 was reached)' --max-call-depth 5 "$OUT/hello-c.wasm"
fi
nt=0; nbad=0
for f in 0 1 7 50 99 100 101 250 399; do
  "$W" --fuel "$f" --invoke 'run()' "$T/chain100.wat" >/dev/null 2>"$T/fuel.err"; rc=$?
  nt=$((nt+1)); { [ $rc -eq 134 ] && grep -qF "(the --fuel limit of $f was reached)" "$T/fuel.err"; } || nbad=$((nbad+1))
done
if [ $nbad -eq 0 ]; then ok "chain of 100 component calls: $nt --fuel traps name the limit"
else bad "chain of 100 component calls: $nbad of $nt --fuel traps do not name the limit"; fi
check "--max-call-depth through component calls names itself" 134 \
  'call stack exhausted (the --max-call-depth limit of 50 was reached)' --max-call-depth 50 --invoke 'run()' "$T/chain100.wat"
# ... but lib/component's own nesting bound is not that limit: no limit note is added to it
"$W" --max-call-depth 100000 --invoke 'run()' "$T/chain5000.wat" >/dev/null 2>"$T/nest.err"; rc=$?
if [ $rc -eq 134 ] && grep -qF 'trap: call stack exhausted (component calls nested too deeply)' "$T/nest.err" &&
   ! grep -q 'limit of' "$T/nest.err"; then ok "component nesting bound under a high --max-call-depth: not called that limit"
else bad "component nesting bound under --max-call-depth 100000: exit $rc: $(head -1 "$T/nest.err")"; fi
# ... nor --max-stack (component.h wk_comp_trap_is_nesting_bound tells the two apart): the whole
# first line is the trap's message alone
"$W" --max-stack 64M --invoke 'run()' "$T/chain5000.wat" >/dev/null 2>"$T/nest.err"; rc=$?
if [ $rc -eq 134 ] && [ "$(head -1 "$T/nest.err")" = \
     "wrun: error: $T/chain5000.wat: trap: call stack exhausted (component calls nested too deeply)" ]; then
  ok "component nesting bound under --max-stack: not called that limit"
else bad "component nesting bound under --max-stack 64M: exit $rc: $(head -1 "$T/nest.err")"; fi
# 100 instances of a component with 200 core instances: the core instance limit is an error
python3 - >"$T/many.wat" <<'PY'
print('(component\n  (component $C (core module $M (memory 1))')
for i in range(200): print('    (core instance (instantiate $M))')
print('  )')
for i in range(100): print('  (instance (instantiate $C))')
print(')')
PY
check "more than 10000 core instances is an instantiation error" 1 'more than 10000 core module instances' \
  --invoke 'x()' "$T/many.wat"
# --invoke with WAVE arguments and result on the execution corpus' values/concat.wast
# component (expected strings from its assert_return lines)
export JCO_WT=${JCO_WT:-$PWD/scripts/npm/node_modules/@bytecodealliance/jco-transpile/dist/wasm-tools.js}
C=$T/concat.0.wasm
[ -f "$C" ] || node ../shared/tools/component-wast2json.mjs "$T" \
  ../shared/corpora/component-model-execution/wast/values/concat.wast >/dev/null 2>&1
inv() { # CALL EXPECTED-STDOUT
  local got; got=$("$W" --invoke "$1" "$C" 2>&1); local rc=$?
  if [ $rc -eq 0 ] && [ "$got" = "$2" ]; then ok "--invoke '$1' = $2"; else bad "--invoke '$1': exit $rc, got: $got"; fi
}
if [ -f "$C" ]; then
  inv 'prims(true, 7, -8, 9, -10, 11, -12, 13, -14, '"'"'Z'"'"', "!")' '"true7-89-1011-1213-14Z!"'
  inv 'list(["foo", "bar", "baz"])' '"foobarbaz"'
  inv 'variant(s("hi"))' '"hi"'
  inv 'variant(n(99))' '"99"'
  inv 'enum(green)' '"green"'
  inv 'flags({a, c})' '"ac"'
  inv 'option(some(5))' '"some5"'
  inv 'option(none)' '"none"'
  inv 'result(ok("yo"))' '"okyo"'
  inv 'result(err(404))' '"err404"'
  inv 'bignum(18446744073709551615)' '"18446744073709551615"'
  inv 'flat-mix(d(9.0))' '"9"'
  check "--invoke with a malformed WAVE argument: its column" 2 "argument 1 (a) of 'variant': WAVE:9: unknown case" \
    --invoke 'variant(zz(1))' "$C"
  # the call is read by lib/canonabi's WAVE reader (wasm-wave's rules): a multiline string with
  # quotes inside, a // comment after the call, a trailing comma, space before `(`
  inv 'list(["""
    a""\""b
    """, "c",]) // a comment' '"a\"\"\"\"bc"'
  inv 'list (["x", // one
             "y"])' '"xy"'
else
  bad "cannot convert values/concat.wast"
fi
# --invoke names (wasmtime run.rs search_component_funcs + wit-parser ItemName) and calls on
# data/invoke.wat: root and instance functions, versions matched semver-compatibly, trailing
# option parameters left out (none, as wasm-wave to_wasm_params), `()` for no result (as
# wasmtime prints it), errors that say where in the text.
IW=tests/component-exec/data/invoke.wat
iv() { # CALL EXPECTED-STDOUT
  local got; got=$("$W" --invoke "$1" "$IW" 2>&1); local rc=$?
  if [ $rc -eq 0 ] && [ "$got" = "$2" ]; then ok "--invoke '$1' = $2"; else bad "--invoke '$1': exit $rc, got: $got"; fi
}
iv 'add(1, 2)' 3
iv 'only-one(5, 6)' 11
iv 'h(9, 1)' 8
iv 'wk:a/one.dup(5, 1)' 6
iv 'wk:a/one.dup@1.2.0(5, 1)' 6
iv 'wk:a/one.dup@1.9.1(5, 1)' 6
iv 'wk:a/one@1.2.0#dup(5, 1)' 6
iv 'wk:a/one#dup(5, 1)' 6
iv 'wk:b/two.dup@0.1.0(5, 1)' 4
iv 'wk:b/two.dup@0.1.7(5, 1)' 4
iv 'plain.dup(9, 1)' 8
iv 'add(1, 2,)' 3
iv 'add (1, 2) // sum' 3
iv 'add(
  1,
  2
)' 3
iv 'opt(1)' 1101
iv 'opt(1, some(2))' 1003
iv 'opt(1, 2, 3)' 6
iv 'opt(1, none, 3,)' 104
iv 'nores()' '()'
check "a bare name in several instances is ambiguous: the candidates are listed" 1 \
  "several exported functions are named 'dup': retry with one of: wk:a/one@1.2.0#dup wk:b/two@0.1.0#dup plain#dup" \
  --invoke 'dup(1, 2)' "$IW"
check "an incompatible version finds nothing" 1 "no exported function 'wk:a/one.dup@2.0.0'" --invoke 'wk:a/one.dup@2.0.0(5, 1)' "$IW"
check "0.1 and 0.2 are not compatible" 1 "no exported function 'wk:b/two.dup@0.2.0'" --invoke 'wk:b/two.dup@0.2.0(5, 1)' "$IW"
check "a missing non-option argument" 2 '--invoke: WAVE:6: `add` takes 2 arguments, 1 given' --invoke 'add(1)' "$IW"
check "a wrong argument names itself and its column" 2 "argument 2 (b) of 'add': WAVE:8: expected a number" \
  --invoke 'add(1, "x")' "$IW"
check "... and its line and column in a multiline call" 2 "argument 2 (b) of 'add': WAVE:2:3: expected a number" \
  --invoke "$(printf 'add(1,\n  zz)')" "$IW"
check "nothing may come before the name (as wasm-wave)" 2 '--invoke: WAVE:1: expected a function name' --invoke ' add(1, 2)' "$IW"
check "an unterminated call" 2 '--invoke: WAVE:9: unterminated call' --invoke 'add(1, 2' "$IW"
check "an empty argument" 2 "argument 2 (b) of 'add': WAVE:7: expected a number" --invoke 'add(1,,2)' "$IW"
check "a result WAVE cannot print: the error names the file" 1 "$IW: cannot print the result of 'mk'" --invoke 'mk()' "$IW"
big="add(1, [$(head -c 100000 /dev/zero | tr '\0' x)"
"$W" --invoke "$big" "$IW" >/dev/null 2>"$T/big.err"; rc=$?
if [ $rc -eq 2 ] && [ "$(wc -c <"$T/big.err")" -lt 1000 ] && grep -q "WAVE:8: expected a number" "$T/big.err"; then
  ok "a 100 KB malformed --invoke is not echoed whole ($(wc -c <"$T/big.err") bytes of error)"
else bad "a 100 KB malformed --invoke: exit $rc, $(wc -c <"$T/big.err") bytes of error"; fi
# the issue's own example: a bare name found inside the exported instance demo:py/greet
PYG=../shared/python/py-greeter.component.wasm
if [ -f "$PYG" ]; then
  got=$("$W" --invoke 'greet("world")' "$PYG" 2>&1)
  want=$("$W" --invoke 'demo:py/greet#greet("world")' "$PYG" 2>&1)
  if [ "$got" = '"Hello, world! (from CPython 3.13.5 on wasi, len=5)"' ] && [ "$got" = "$want" ]; then
    ok "py-greeter: --invoke 'greet(\"world\")' finds demo:py/greet#greet"
  else bad "py-greeter: --invoke 'greet(\"world\")': $got"; fi
else
  skip=$((${skip:-0}+1)); echo "skip py-greeter: $PYG is absent"
fi
# The componentize-js component (SpiderMonkey, 12 MB): wrun --invoke (its wasi:http imports are not
# provided by the host: --trap-unknown-imports) against the same component transpiled by `jco transpile`
# and called from node; node prints its results in WAVE form.
bash tests/component/build-real.sh hello-js || bad "build hello-js"
JS=$OUT/hello-js.wasm
if [ -f "$JS" ]; then
  rm -rf "$T/js"; mkdir -p "$T/js"
  ln -sfn "$PWD/scripts/npm/node_modules" "$T/js/node_modules"
  cat >"$T/js/t.mjs" <<'JS'
const m = await import(process.argv[2]);
const wave = (x) => typeof x === 'string' ? JSON.stringify(x) : String(x);
console.log(wave(m.add(1, 2)));
console.log(wave(m.add(4000000000, 300000000)));
console.log(wave(m.greet.greet('wkit \u00e9\u{1F600}')));
for (const s of [{tag: 'rect', val: {x: 3, y: -4}}, {tag: 'circle', val: 2.0}, {tag: 'none'}]) {
  try { console.log(`ok(${wave(m.greet.area(s))})`); } catch (e) { console.log(`err(${wave(e.payload ?? String(e))})`); }
}
JS
  if timeout 300 "$JCO" transpile "$JS" -o "$T/js/out" --name hello >"$T/js/transpile.log" 2>&1 &&
     (cd "$T/js" && timeout 120 node t.mjs ./out/hello.js >expected.txt 2>node.err); then
    : >"$T/js/got.txt"
    for call in 'add(1, 2)' 'add(4000000000, 300000000)' 'local:hello/greet#greet("wkit \u{e9}\u{1f600}")' \
        'local:hello/greet#area(rect({x: 3, y: -4}))' 'local:hello/greet#area(circle(2.0))' 'local:hello/greet#area(%none)'; do
      timeout 120 "$W" --trap-unknown-imports --invoke "$call" "$JS" >>"$T/js/got.txt" 2>>"$T/js/wrun.err"
    done
    if cmp -s "$T/js/expected.txt" "$T/js/got.txt"; then ok "hello-js: 6 --invoke results equal jco transpile + node"
    else bad "hello-js: wrun --invoke differs from jco transpile + node"; diff "$T/js/expected.txt" "$T/js/got.txt" | head; head -3 "$T/js/wrun.err"; fi
    # -S http (wasmtime run's spelling): the wasi:http host defines its wasi:http/types@0.2.10 import,
    # no --trap-unknown-imports needed; same 6 results as jco transpile + node
    : >"$T/js/got-http.txt"
    for call in 'add(1, 2)' 'add(4000000000, 300000000)' 'local:hello/greet#greet("wkit \u{e9}\u{1f600}")' \
        'local:hello/greet#area(rect({x: 3, y: -4}))' 'local:hello/greet#area(circle(2.0))' 'local:hello/greet#area(%none)'; do
      timeout 120 "$W" -S http --invoke "$call" "$JS" >>"$T/js/got-http.txt" 2>>"$T/js/wrun-http.err"
    done
    if [ -s "$T/js/expected.txt" ] && cmp -s "$T/js/expected.txt" "$T/js/got-http.txt" && [ ! -s "$T/js/wrun-http.err" ]; then
      ok "hello-js: -S http (no --trap-unknown-imports): 6 --invoke results equal jco transpile + node"
    else bad "hello-js: -S http: wrun --invoke differs from jco transpile + node"; diff "$T/js/expected.txt" "$T/js/got-http.txt" | head; head -3 "$T/js/wrun-http.err"; fi
  else
    bad "hello-js: jco transpile / node failed (see $T/js)"
  fi
fi
  # without -S http (nor --trap-unknown-imports) the wasi:http import is a link error naming it,
  # with a note naming -S http; -S http=n turns it off again (wasmtime's boolean form)
  check "hello-js without -S http: the wasi:http import is undefined (exit 1, named)" 1 \
    'import `wasi:http/types@0.2.10` is not defined' --invoke 'add(1, 2)' "$JS"
  grep -qF 'note: -S http defines the wasi:http host' "$T/err" && ok "hello-js without -S http: the note names -S http" ||
    bad "hello-js without -S http: no note: $(cat "$T/err")"
  check "hello-js -S http,http=n: off again" 1 'import `wasi:http/types@0.2.10` is not defined' \
    -S http,http=n --invoke 'add(1, 2)' "$JS"
  check "--allow-outbound without -S http is a usage error" 2 "--allow-outbound 'api.local' needs -S http" \
    --allow-outbound api.local --invoke 'add(1, 2)' "$JS"
  got=$("$W" -S http --allow-outbound 127.0.0.1:8080 --allow-outbound '[::1]' --allow-outbound api.local \
    --invoke 'add(1, 2)' "$JS" 2>&1)
  [ "$got" = 3 ] && ok "-S http with three --allow-outbound forms (host:port, [v6], host): the call runs" ||
    bad "-S http --allow-outbound forms: got $got"
  for v in '' 'http://api.local' 'api.local:70000' '::1' 'api.local:' 'user@api.local'; do
    check "--allow-outbound '$v' is a usage error" 2 "invalid value '$v' for --allow-outbound" \
      -S http --allow-outbound "$v" --invoke 'add(1, 2)' "$JS"
  done
# The JS wasi:cli command (tests/component/data/cli.js by componentize-js, build-real.sh cli-js,
# cached by source hash): `wrun --env --dir` prints byte for byte what `jco run` prints (stdout,
# stderr, exit status), jco run seeing the same variables (env -i) and the same directory as a
# preopen (added by a --jco-import module: jco run has no --dir); a `..` escape is refused by both.
if bash tests/component/build-real.sh cli-js >"$T/cli-build.out" 2>&1; then
  C=$PWD/$T/cli; rm -rf "$C"; mkdir -p "$C/data"; ln -sfn "$PWD/scripts/npm/node_modules" "$C/node_modules"
  printf 'first line\nsecond line, ünïcode\nthird\nfourth\n' >"$C/data/input.txt"; echo secret >"$C/escape.txt"
  cat >"$C/preopen.mjs" <<'JS'
import { _addPreopen } from '@bytecodealliance/preview2-shim/filesystem';
_addPreopen('/data', process.env.JCO_PREOPEN);
JS
  f=$PWD/$OUT/cli-js.wasm; ROOTW=$PWD/$W
  (cd "$C" && env -i PATH="$PATH" WK_B=2 WK_A='one two' JCO_PREOPEN="$C/data" timeout 120 "$JCO" run \
     --jco-import ./preopen.mjs "$f" x 'y z' >jco.out 2>jco.err); jrc=$?
  (cd "$C" && timeout 120 "$ROOTW" --env WK_A='one two' --env WK_B=2 --dir data::/data "$f" x 'y z' \
     >wrun.out 2>wrun.err); wrc=$?
  if [ $jrc -eq $wrc ] && [ -s "$C/jco.out" ] && cmp -s "$C/jco.out" "$C/wrun.out" && cmp -s "$C/jco.err" "$C/wrun.err"; then
    ok "cli-js: wrun prints what jco run prints (exit $wrc, $(wc -l <"$C/wrun.out") stdout lines, env and preopened file read)"
  else
    bad "cli-js: jco run exit $jrc vs wrun exit $wrc"; diff "$C/jco.out" "$C/wrun.out" | head -8; diff "$C/jco.err" "$C/wrun.err" | head -4
  fi
else
  bad "cli-js: cannot build the JS command ($(head -c 200 "$T/cli-build.out"))"
fi
# The same check for a C command (data/cat-env.c, preview1 + jco's command adapter): env var,
# arguments, a preopened file read line by line, a `..` escape refused, exit status 7 -> 1.
CE=$T/cat-env.wasm
if [ ! -f "$CE" ] || [ tests/component-exec/data/cat-env.c -nt "$CE" ]; then
  { clang-14 --target=wasm32-wasi -O2 -o "$T/cat-env.core.wasm" tests/component-exec/data/cat-env.c &&
    "$JCO" new "$T/cat-env.core.wasm" --adapt "wasi_snapshot_preview1=$PWD/scripts/npm/node_modules/@bytecodealliance/jco/lib/wasi_snapshot_preview1.command.wasm" \
      -o "$CE"; } >"$T/cat-env.build.log" 2>&1 || rm -f "$CE"
fi
if [ -f "$CE" ] && [ -d "${C:-}/data" ]; then
  f=$PWD/$CE
  (cd "$C" && env -i PATH="$PATH" WK_A='one two' JCO_PREOPEN="$C/data" timeout 120 "$JCO" run \
     --jco-import ./preopen.mjs "$f" x 'y z' >ce.jco.out 2>ce.jco.err); jrc=$?
  (cd "$C" && timeout 120 "$ROOTW" --env WK_A='one two' --dir data::/data "$f" x 'y z' >ce.wrun.out 2>ce.wrun.err); wrc=$?
  if [ $jrc -eq $wrc ] && grep -q '^4: fourth' "$C/ce.wrun.out" && cmp -s "$C/ce.jco.out" "$C/ce.wrun.out" &&
     cmp -s "$C/ce.jco.err" "$C/ce.wrun.err"; then
    ok "cat-env (C): wrun prints what jco run prints (exit $wrc, env, args, preopened file, escape refused)"
  else
    bad "cat-env (C): jco run exit $jrc vs wrun exit $wrc"; diff "$C/ce.jco.out" "$C/ce.wrun.out" | head -8
    diff "$C/ce.jco.err" "$C/ce.wrun.err" | head -4
  fi
else
  bad "cat-env (C): not built (see $T/cat-env.build.log) or the cli-js case did not set up its directory"
fi
# Host types (generated at build time from lib/wasi/wit/host.wit over jco's WIT;
# tests/unit/test_wasi_types.c checks them against the host's definitions and jco's WIT): a
# wasi:* import with another signature fails at instantiation, naming the import, the function
# and what differs. A build without jco's WIT declares none (its stamp says "none"): skipped.
if [ "$(cat "$BUILD/gen/wasi-wit.stamp" 2>/dev/null)" = none ]; then
  skip=$((${skip:-0}+1)); echo "skip a mistyped wasi import is refused at instantiation: built without jco's WASI WIT (scripts/setup.sh)"
else
"$W" --invoke 'f()' tests/component-exec/data/wasi-mistyped.wat >/dev/null 2>"$T/mistyped.err"; rc=$?
# (at FILE:OFFSET of the importdecl, 0x3f, as an undefined import's error: every tool error names where)
want="wasi-mistyped.wat:0x3f: import \`wasi:cli/environment@0.2.0\`: the host's \`wasi:cli/environment@0.2.12\` has another type: func \`initial-cwd\`: result: expected u32, found option"
if [ $rc -eq 1 ] && grep -qF "$want" "$T/mistyped.err"; then ok "a mistyped wasi import is refused at instantiation, named"
else bad "mistyped wasi import: exit $rc: $(head -c 300 "$T/mistyped.err")"; fi
printf '%s\n' '(component (import "wasi:random/random@0.2.0" (instance (export "get-random-u64z" (func (result u64))))))' \
  >"$T/misspelled.wat"
check "a misspelled function of a known interface: the closest host function is named" 1 \
  'missing export func `get-random-u64z`; closest: `get-random-u64`' --invoke 'x()' "$T/misspelled.wat"
fi
# An unsatisfied import names the closest interface the host has, also for an instance holding
# only a resource, a missing version, a pre-release version and a misspelled interface (the
# versions are compared apart from the names).
unsat() { # NAME IMPORT-NAME INSTANCE-TYPE CLOSEST-PREFIX
  printf '(component (import "%s" (instance %s)))\n' "$2" "$3" >"$T/unsat.wat"
  check "$1" 1 "import \`$2\` is not defined; closest: \`$4" --invoke 'x()' "$T/unsat.wat"
}
unsat "an instance of only a resource at an unknown version" 'wasi:io/error@0.3.0' '(export "error" (type (sub resource)))' \
  'wasi:io/error@0.2.'
unsat "an instance of only a resource, the interface misspelled" 'wasi:io/errr@0.2.0' '(export "error" (type (sub resource)))' \
  'wasi:io/error@0.2.'
unsat "an import without a version" 'wasi:cli/environment' '(export "get-arguments" (func (result (list string))))' \
  'wasi:cli/environment@0.2.'
unsat "a pre-release version" 'wasi:random/random@0.2.0-rc-2023-11-10' '(export "get-random-u64" (func (result u64)))' \
  'wasi:random/random@0.2.'
# a core export taking and returning v128 (--invoke parses and prints a v128 as 0x + 32 hex
# digits, most significant byte first): i32x4 lanes (1, 2, 3, 4) + 5, and i64 lane 1 = 4 << 32 | 3
printf '%s\n' '(module (func (export "f") (param v128 i32) (result v128 i64)' \
  '(i32x4.add (local.get 0) (i32x4.splat (local.get 1))) (i64x2.extract_lane 1 (local.get 0))))' >"$T/v128.wat"
got=$("$W" --invoke f "$T/v128.wat" 0x00000004000000030000000200000001 5 2>&1)
if [ "$got" = $'0x00000009000000080000000700000006\n17179869187' ]; then ok "--invoke: v128 argument and result"
else bad "--invoke: v128 argument and result: got $got"; fi
echo "$pass passed, $fail failed, ${skip:-0} skipped"
[ $fail -eq 0 ]
