#!/usr/bin/env bash
# wkit benchmarks (`make bench`; not part of `make test`).
#
# Five CPU-bound C kernels (bench/kernels/*.c: fib, sha256, sort, matmul,
# coremix), each built natively (gcc -O3) and for wasm32-wasi (clang -O2,
# wasi-libc), run on: native, node (V8 via node:wasi, bench/node-wasi.mjs)
# and wrun ($BUILD/bin/wrun FILE.wasm; if wrun cannot run wasm yet,
# $BUILD/tests/tools/benchrun, a minimal lib/interp + WASI-stub runner; else
# the column says "n/a"). Engines are interleaved per round (native, node,
# wrun, native, ...); each cell is the MEDIAN wall time over the rounds of the
# whole process (startup included); a second table gives CPU time (user+sys),
# which is steadier when the machine is shared. Every run's "checksum:" line must equal
# the native one: a mismatch (or a crash) fails the script.
# Then hello-world startup: median of 50 runs per engine.
#
# Environment: BUILD (default build), BENCH_ROUNDS (default 5),
# BENCH_BUDGET (seconds for the kernel rounds, default 240: fewer rounds are
# run if one round is slow), BENCH_KERNELS (default all), BENCH_HELLO_RUNS (50).
set -u
BUILD=${BUILD:-build}
ROUNDS=${BENCH_ROUNDS:-5}
BUDGET=${BENCH_BUDGET:-240}
HELLO_RUNS=${BENCH_HELLO_RUNS:-50}
KERNELS=${BENCH_KERNELS:-fib sha256 sort matmul coremix}
here=$(cd "$(dirname "$0")" && pwd)
out="$BUILD/bench"
mkdir -p "$out/native" "$out/wasm" "$out/log"

die() { echo "bench: error: $*" >&2; exit 1; }

# ---- build ----
for k in $KERNELS hello; do
  src="$here/kernels/$k.c"
  [ "$k" = hello ] && src="$here/hello.c"
  if [ ! -x "$out/native/$k" ] || [ "$src" -nt "$out/native/$k" ]; then
    gcc -O3 -ffp-contract=off -Wall -Wextra -o "$out/native/$k" "$src" || die "gcc failed on $src"
  fi
  if [ ! -f "$out/wasm/$k.wasm" ] || [ "$src" -nt "$out/wasm/$k.wasm" ]; then
    clang --target=wasm32-wasi -O2 -ffp-contract=off -Wall -Wextra -o "$out/wasm/$k.wasm" "$src" ||
      die "clang --target=wasm32-wasi failed on $src (wasi-libc installed?)"
  fi
done

# ---- oracle: the sha256 kernel's digest of its input must equal OpenSSL's ----
if [[ " $KERNELS " == *" sha256 "* ]]; then
  mine=$("$out/native/sha256" | sed -n 's/^data-sha256: //p')
  theirs=$("$out/native/sha256" 12 --data | openssl dgst -sha256 -r | cut -d' ' -f1)
  if [ -z "$mine" ] || [ "$mine" != "$theirs" ]; then
    die "sha256 kernel disagrees with openssl dgst: '$mine' vs '$theirs'"
  fi
  echo "bench: sha256 kernel matches openssl dgst -sha256 ($mine)"
fi

if [[ " $KERNELS " == *" fib "* ]]; then # fib(36) by iteration in awk
  want=$(awk 'BEGIN { a = 0; b = 1; for (i = 0; i < 36; i++) { t = a + b; a = b; b = t } print a }')
  got=$("$out/native/fib" | sed -n 's/^fib(36) = //p')
  [ "$got" = "$want" ] || die "fib kernel prints fib(36) = '$got', expected $want"
fi

# ---- engines ----
engines="native node"
node_ok=1
if ! command -v node >/dev/null || [ "$(node --no-warnings "$here/node-wasi.mjs" "$out/wasm/hello.wasm" 2>&1)" != "hello, world" ]; then
  node_ok=0
  echo "bench: node (node:wasi) not available: the node column is n/a"
  engines="native"
fi
wrun_cmd=""
if [ -x "$BUILD/bin/wrun" ] && [ "$(timeout 20 "$BUILD/bin/wrun" "$out/wasm/hello.wasm" 2>/dev/null)" = "hello, world" ]; then
  wrun_cmd="$BUILD/bin/wrun"
elif [ -x "$BUILD/tests/tools/benchrun" ] &&
     [ "$(timeout 20 "$BUILD/tests/tools/benchrun" "$out/wasm/hello.wasm" 2>/dev/null)" = "hello, world" ]; then
  wrun_cmd="$BUILD/tests/tools/benchrun"
  echo "bench: $BUILD/bin/wrun cannot run wasm yet: the wrun column uses $wrun_cmd (lib/interp + WASI stubs)"
else
  echo "bench: wrun not available ($BUILD/bin/wrun and $BUILD/tests/tools/benchrun cannot run hello.wasm): the wrun column is n/a"
fi
[ -n "$wrun_cmd" ] && engines="$engines wrun"

# run ENGINE KERNEL -> prints "WALL_MS CPU_MS" (CPU = user + sys of the
# process and its threads); stdout in $out/log/ENGINE-KERNEL.out
run() {
  local eng=$1 k=$2 rc TIMEFORMAT='%3R %3U %3S'
  local log="$out/log/$eng-$k.out" tf="$out/log/$eng-$k.time"
  case $eng in
    native) { time "$out/native/$k" >"$log" 2>&1; } 2>"$tf" ;;
    node) { time node --no-warnings "$here/node-wasi.mjs" "$out/wasm/$k.wasm" >"$log" 2>&1; } 2>"$tf" ;;
    wrun) { time timeout 300 "$wrun_cmd" "$out/wasm/$k.wasm" >"$log" 2>&1; } 2>"$tf" ;;
  esac
  rc=$?
  if [ $rc -ne 0 ]; then
    echo "bench: error: $eng $k exited with status $rc:" >&2
    tail -5 "$log" >&2
    return 1
  fi
  awk '{ printf "%.1f %.1f\n", $1 * 1000, ($2 + $3) * 1000 }' "$tf"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) printf "%.1f\n", v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

fail=0
declare -A ref
declare -A times
declare -A cpu
round=1
rounds=$ROUNDS
echo "bench: engines: $engines; kernels: $KERNELS; up to $ROUNDS rounds (interleaved), medians"
while [ $round -le $rounds ]; do
  rstart=$EPOCHREALTIME
  for k in $KERNELS; do
    for eng in $engines; do
      t=$(run "$eng" "$k") || { fail=1; continue; }
      sum=$(grep '^checksum:' "$out/log/$eng-$k.out")
      if [ -z "$sum" ]; then
        echo "bench: error: $eng $k printed no checksum" >&2
        fail=1
        continue
      fi
      if [ -z "${ref[$k]:-}" ]; then
        ref[$k]=$sum
      elif [ "${ref[$k]}" != "$sum" ]; then
        echo "bench: error: $eng $k checksum mismatch: '$sum' vs '${ref[$k]}'" >&2
        fail=1
        continue
      fi
      times[$eng.$k]="${times[$eng.$k]:-} ${t% *}"
      cpu[$eng.$k]="${cpu[$eng.$k]:-} ${t#* }"
    done
  done
  if [ $round -eq 1 ]; then
    rt=$(awk -v a="$rstart" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d\n", b - a + 1 }')
    fit=$((BUDGET / rt))
    [ $fit -lt 1 ] && fit=1
    if [ $fit -lt $rounds ]; then
      rounds=$fit
      echo "bench: one round takes ~${rt}s: running $rounds round(s) to stay within ${BUDGET}s"
    fi
  fi
  round=$((round + 1))
done

cell() { # ARRAY ENGINE KERNEL -> median ms or n/a
  local -n arr=$1
  local v=${arr[$2.$3]:-}
  if [ -z "$v" ]; then echo "n/a"; else echo $v | tr ' ' '\n' | median; fi
}

table() { # ARRAY TITLE
  echo
  echo "$2"
  printf "%-9s %10s %10s %10s %12s %12s\n" kernel "native ms" "node ms" "wrun ms" "wrun/native" "node/native"
  local lw=0 ln=0 nw=0 nn=0 k n o w rw rn
  for k in $KERNELS; do
    n=$(cell "$1" native "$k")
    o=$(cell "$1" node "$k")
    w=$(cell "$1" wrun "$k")
    rw=$(awk -v a="$w" -v b="$n" 'BEGIN { if (a == "n/a" || b == "n/a" || b <= 0) print "n/a"; else printf "%.2f", a / b }')
    rn=$(awk -v a="$o" -v b="$n" 'BEGIN { if (a == "n/a" || b == "n/a" || b <= 0) print "n/a"; else printf "%.2f", a / b }')
    printf "%-9s %10s %10s %10s %12s %12s\n" "$k" "$n" "$o" "$w" "$rw" "$rn"
    [ "$rw" != n/a ] && { lw=$(awk -v s="$lw" -v r="$rw" 'BEGIN { print s + log(r) }'); nw=$((nw + 1)); }
    [ "$rn" != n/a ] && { ln=$(awk -v s="$ln" -v r="$rn" 'BEGIN { print s + log(r) }'); nn=$((nn + 1)); }
  done
  local gw gn
  gw=$(awk -v s="$lw" -v n="$nw" 'BEGIN { if (n == 0) print "n/a"; else printf "%.2f", exp(s / n) }')
  gn=$(awk -v s="$ln" -v n="$nn" 'BEGIN { if (n == 0) print "n/a"; else printf "%.2f", exp(s / n) }')
  printf "%-9s %10s %10s %10s %12s %12s\n" geomean "" "" "" "$gw" "$gn"
}

table times "wall time of the whole process (startup included), median of $rounds round(s):"
table cpu "CPU time (user+sys, all threads; steadier on a busy machine), median of $rounds round(s):"

# ---- startup: hello world ----
echo
echo "hello-world startup (wall), median of $HELLO_RUNS runs:"
for eng in $engines; do
  ts=""
  for i in $(seq "$HELLO_RUNS"); do
    t=$(run "$eng" hello) || { fail=1; break; }
    if [ "$(cat "$out/log/$eng-hello.out")" != "hello, world" ]; then
      echo "bench: error: $eng hello printed '$(head -c 200 "$out/log/$eng-hello.out")'" >&2
      fail=1
      break
    fi
    ts="$ts ${t% *}"
  done
  [ -n "$ts" ] && printf "  %-7s %8s ms\n" "$eng" "$(echo $ts | tr ' ' '\n' | median)"
done
[ -z "$wrun_cmd" ] && printf "  %-7s %8s\n" wrun "n/a (wrun cannot run wasm yet)"

echo
if [ $fail -ne 0 ]; then
  echo "bench: FAILED (see the errors above)"
  exit 1
fi
echo "bench: ok (all checksums agree across engines)"
