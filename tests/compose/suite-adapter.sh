#!/usr/bin/env bash
# wkit's built-in preview1 adapter (adapter/preview1.c, embedded into wcompose):
#  - it was built (else every case is skipped, with the reason wcompose gives);
#  - the adapter modules: no data segments, only `env` `memory`, WASI 0.2 and (command)
#    `__main_module__` `_start` imports, every preview1 function jco's adapter exports;
#  - determinism: adapter/build.sh twice into scratch dirs gives the bytes wcompose embeds,
#    and `wcompose new` twice gives the same component;
#  - programs (C: tests/component/data/hello.c, tests/wasi/progs/*.c; Rust: hello.rs,
#    rust_app.rs) and WebAssembly/wasi-testsuite's preview1 tests made into components with
#    our adapter and with jco's, run under wrun and jco run (tests/compose/adapter-run.py).
# The testsuite is read from $WASI_TESTSUITE (a clone with prod/testsuite-base; default: the
# fetch tool's mirror); without one that part is skipped. Last line: "N passed, N failed[, N skipped]".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
ROOT=$PWD
BIN=$ROOT/$BUILD/bin
NM=$ROOT/scripts/npm/node_modules
JCO=$NM/.bin/jco
JAD=$NM/@bytecodealliance/jco/lib/wasi_snapshot_preview1.command.wasm
W=$ROOT/$BUILD/adapter-tests
rm -rf "$W"
mkdir -p "$W/progs"
pass=0 fail=0 skip=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1${2:+: $2}"; fail=$((fail + 1)); }
check() { if [ "$2" = 0 ]; then ok "$1"; else bad "$1" "${3:-}"; fi; }
finish() { echo "$pass passed, $fail failed, $skip skipped"; [ $fail = 0 ]; exit $?; }

for t in wcompose wrun winspect wit-gen; do [ -x "$BIN/$t" ] || { bad "$t not built ($BIN/$t)"; finish; }; done
CMD=$ROOT/$BUILD/adapter/wasi_snapshot_preview1.command.wasm
RCT=$ROOT/$BUILD/adapter/wasi_snapshot_preview1.reactor.wasm
if [ ! -f "$CMD" ] || [ ! -f "$RCT" ]; then
  why=$(grep -o 'wk_adapter_missing\[\] = ".*"' "$ROOT/$BUILD/gen/adapter_blob.c" 2>/dev/null)
  echo "SKIP built-in adapter not built: ${why:-no $BUILD/gen/adapter_blob.c}"
  skip=1
  finish
fi

# ------------------------------------------------------------ the adapter modules
"$BIN/winspect" --json "$CMD" >"$W/cmd.json" && "$BIN/winspect" --json "$RCT" >"$W/rct.json" &&
  "$BIN/winspect" --json "$JAD" >"$W/jad.json"
check "winspect reads both adapters" $?
python3 - "$W/cmd.json" "$W/rct.json" "$W/jad.json" "$CMD" >"$W/shape.txt" 2>&1 <<'PY'
import json, sys
def mod(p):
    d = json.load(open(p))
    return d if "imports" in d else d.get("module", d)
cmd, rct, jad = (mod(p) for p in sys.argv[1:4])
def names(m, key):
    return [(i.get("module", ""), i.get("name", ""), i.get("kind", "")) for i in m.get(key, [])]
bad = []
for label, m in (("command", cmd), ("reactor", rct)):
    for mo, n, k in names(m, "imports"):
        okimp = (mo, n) == ("env", "memory") or mo.startswith("wasi:") and mo.endswith("@0.2.12") or \
            (label == "command" and (mo, n) == ("__main_module__", "_start"))
        if not okimp:
            bad.append(f"{label}: unexpected import {mo} {n}")
    ex = {n for _, n, _ in names(m, "exports")}
    want = {n for _, n, k in names(jad, "exports") if not n.startswith(("adapter_", "wasi:", "cabi_", "reset_adapter_state"))}
    miss = sorted(want - ex)
    if miss:
        bad.append(f"{label}: missing preview1 exports {miss}")
    if "cabi_import_realloc" not in ex:
        bad.append(f"{label}: no cabi_import_realloc")
    if (label == "command") != ("wasi:cli/run@0.2.12#run" in ex):
        bad.append(f"{label}: wasi:cli/run export wrong")
    print(f"{label}: {len(ex)} exports ({len(want)} preview1 functions as jco's adapter), {len(m.get('imports', []))} imports")
data = open(sys.argv[4], "rb").read()
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
check "adapter modules: imports, exports (every preview1 function jco's adapter has)" $? "$(tail -3 "$W/shape.txt" | tr '\n' '|')"
head -2 "$W/shape.txt"
"$BIN/winspect" --sections "$CMD" "$RCT" 2>/dev/null | grep -qE '^ *Data(Count)? ' && bad "adapter has a data section" || ok "adapters have no data section"

# the scratch return area rule (adapter/preview1.c, struct state): the imports' results come back
# in S()->scratch[0..K] (K from that comment), so no import of the adapter's worlds may have a
# return area larger than (K+1)*8 bytes, or it would overwrite the words kept after it (the
# fd_write count, desc_size's result). The sizes are wit-gen c's return areas (lib/canonabi,
# CanonicalABI.md "flatten_functype": results past MAX_FLAT_RESULTS go through a pointer).
k=$(grep -o 'scratch\[0\.\.[0-9]*\]: the return area' adapter/preview1.c | grep -o '[0-9][0-9]*' | tail -1)
AW=${ADAPTER_WIT:-scripts/npm/node_modules/@bytecodealliance/jco/lib/wit/builtin/0.2.12}
if [ -z "$k" ]; then bad "scratch return area: preview1.c no longer says which words are the return area"
elif [ ! -d "$AW/wasi-cli" ]; then echo "skip scratch return area: no WASI 0.2.12 WIT ($AW)"; skip=$((skip + 1))
else
  mkdir -p "$W/rwit/deps"; cp adapter/wit/adapter.wit "$W/rwit/"
  for d in "$AW"/wasi-*/; do ln -sfn "$(cd "$d" && pwd)" "$W/rwit/deps/$(basename "$d")"; done
  max=0 maxf=""
  for v in command reactor; do
    mkdir -p "$W/rgen-$v"
    "$BIN/wit-gen" c "$W/rwit" --world $v --out-dir "$W/rgen-$v" > "$W/rgen-$v.log" 2>&1 || { max=-1; break; }
    while read -r n f; do [ "$n" -gt "$max" ] && max=$n maxf=$f; done < <(
      awk 'match($0, /^[a-z].*\(/) { f = substr($0, 1, RLENGTH - 1) } match($0, /_ret_area\[[0-9]+\]/) { print substr($0, RSTART + 10, RLENGTH - 11), f }' "$W/rgen-$v/$v.c")
  done
  lim=$(( (k + 1) * 8 ))
  if [ "$max" -le 0 ]; then bad "scratch return area: wit-gen c on the adapter's worlds" "$(head -1 "$W/rgen-command.log")"
  elif [ "$max" -le "$lim" ]; then ok "scratch return area: the largest import return area ($max bytes, ${maxf##* }) fits scratch[0..$k] ($lim bytes)"
  else bad "scratch return area: ${maxf##* } needs $max bytes, scratch[0..$k] has $lim"; fi
fi

# determinism: the build twice into scratch dirs, byte-identical to what wcompose embeds
for i in 1 2; do
  bash adapter/build.sh "$W/det$i" "$BIN/wit-gen" >"$W/det$i.log" 2>&1
done
if cmp -s "$W/det1/adapter/wasi_snapshot_preview1.command.wasm" "$CMD" &&
   cmp -s "$W/det2/adapter/wasi_snapshot_preview1.command.wasm" "$CMD" &&
   cmp -s "$W/det1/adapter/wasi_snapshot_preview1.reactor.wasm" "$RCT" &&
   cmp -s "$W/det2/adapter/wasi_snapshot_preview1.reactor.wasm" "$RCT" &&
   cmp -s "$W/det1/gen/adapter_blob.c" "$ROOT/$BUILD/gen/adapter_blob.c"; then
  ok "deterministic: two more builds of the adapter give the same bytes ($(wc -c <"$CMD") + $(wc -c <"$RCT") bytes)"
else bad "deterministic adapter build" "$(cat "$W/det1.log" | head -3)"; fi

# without the toolchain: the build still succeeds, with an empty blob that says why
ADAPTER_CC=no-such-clang-for-wasm32 bash adapter/build.sh "$W/nocc" "$BIN/wit-gen" >"$W/nocc.log" 2>&1 &&
  grep -q 'wk_adapter_command_len = 0' "$W/nocc/gen/adapter_blob.c" &&
  grep -q 'wk_adapter_missing\[\] = "wkit was built without no-such-clang-for-wasm32' "$W/nocc/gen/adapter_blob.c" &&
  [ -z "$(ls "$W/nocc/adapter/" 2>/dev/null)" ]
check "no clang for wasm32: adapter/build.sh succeeds without adapters, saying why" $? "$(head -2 "$W/nocc.log")"

# ------------------------------------------------------------ programs
CC=${WASM_CC:-clang-14}
for src in tests/component/data/hello.c tests/wasi/progs/args_env.c tests/wasi/progs/stdio.c tests/wasi/progs/files.c \
           tests/wasi/progs/edge.c tests/wasi/progs/exitcode.c tests/wasi/progs/random.c tests/wasi/progs/clocks.c \
           tests/wasi/progs/poll.c; do
  n=$(basename "$src" .c); [ "$n" = hello ] && n=hello-c
  "$CC" --target=wasm32-wasi -O2 -o "$W/progs/$n.wasm" "$src" 2>"$W/cc-$n.log" || bad "build $n" "$(head -2 "$W/cc-$n.log")"
done
if /usr/bin/rustc --print target-list 2>/dev/null | grep -qx wasm32-wasi &&
   [ -d "$(/usr/bin/rustc --print sysroot 2>/dev/null)/lib/rustlib/wasm32-wasi" ]; then
  /usr/bin/rustc --target wasm32-wasi -O -C strip=debuginfo -o "$W/progs/hello-rs.wasm" tests/component/data/hello.rs 2>"$W/rs1.log" ||
    bad "build hello-rs" "$(head -2 "$W/rs1.log")"
  /usr/bin/rustc --target wasm32-wasi -O -C strip=debuginfo -o "$W/progs/rust_app.wasm" tests/wasi/progs/rust_app.rs 2>"$W/rs2.log" ||
    bad "build rust_app" "$(head -2 "$W/rs2.log")"
else
  bad "rustc has no wasm32-wasi std (install rustc libstd-rust-dev-wasm32)"
fi
# wcompose new picks the built-in adapter: same bytes as --adapt with the built file, twice
"$BIN/wcompose" new "$W/progs/hello-c.wasm" -o "$W/h1.wasm" && "$BIN/wcompose" new "$W/progs/hello-c.wasm" -o "$W/h2.wasm" &&
  "$BIN/wcompose" new "$W/progs/hello-c.wasm" --adapt "wasi_snapshot_preview1=$CMD" -o "$W/h3.wasm"
check "wcompose new without --adapt" $?
cmp -s "$W/h1.wasm" "$W/h2.wasm" && cmp -s "$W/h1.wasm" "$W/h3.wasm"
check "wcompose new: deterministic, and the built-in is the built command adapter" $?
"$BIN/wcompose" new "$W/progs/hello-c.wasm" --adapt "wasi_snapshot_preview1=$JAD" -o "$W/h4.wasm" && ! cmp -s "$W/h1.wasm" "$W/h4.wasm"
check "wcompose new: --adapt overrides the built-in" $?
# a reactor (no _start) gets the reactor variant: no wasi:cli/run export
"$CC" --target=wasm32-wasi -O2 -mexec-model=reactor -o "$W/progs/reactor.wasm" tests/wasi/progs/reactor.c 2>"$W/cc-r.log" &&
  "$BIN/wcompose" new "$W/progs/reactor.wasm" -o "$W/r.wasm" && "$BIN/winspect" --validate "$W/r.wasm" >/dev/null &&
  ! "$BIN/winspect" --wit "$W/r.wasm" | grep -q "export wasi:cli/run"
check "wcompose new: a reactor module gets the reactor adapter" $? "$(head -2 "$W/cc-r.log")"

if [ ! -x "$JCO" ] || [ ! -f "$JAD" ]; then
  echo "SKIP programs and wasi-testsuite: no jco ($JCO) to compare with"; skip=$((skip + 1)); finish
fi
TS=${WASI_TESTSUITE:-/work/.mirror/WebAssembly+wasi-testsuite/repo}
rev=$(git -C "$TS" rev-parse --verify -q prod/testsuite-base 2>/dev/null)
SUITE=()
if [ -n "$rev" ]; then
  mkdir -p "$W/ts"
  git -C "$TS" archive "$rev" tests/c/testsuite/wasm32-wasip1 tests/rust/testsuite/wasm32-wasip1 \
    tests/assemblyscript/testsuite/wasm32-wasip1 | tar x -C "$W/ts" && SUITE=("$W/ts")
else
  echo "SKIP wasi-testsuite: no git clone with branch prod/testsuite-base at $TS (set WASI_TESTSUITE)"
  skip=$((skip + 1))
fi
python3 tests/compose/adapter-run.py "$BIN" "$JCO" "$JAD" "$W/progs" "$W/work" "${SUITE[@]}" | tee "$W/run.log"
last=$(tail -1 "$W/run.log")
p=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1/p')
f=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\2/p')
s=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\3/p')
if [ -z "$p" ]; then bad "adapter-run.py ended without a count"; else pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s)); fi
finish
