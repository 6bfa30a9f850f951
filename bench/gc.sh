#!/usr/bin/env bash
# WebAssembly 3.0 GC micro-benchmark (make bench): bench/gc/binary-trees.wat, the classic
# binary-trees program (every node a GC struct), run(DEPTH) through `wrun --invoke`, and the same
# module in node (V8's WasmGC) when this node can compile it: one interleaved run, REPS times
# each, median CPU seconds (user + sys) in a table. Not a timed test: the checksum is checked
# (the sum of the node counts: 2^(d+2) - 1 + 2^(d+1) - 1 + sum over depths 4, 6, .. d of
# 2^(d - k + 4) * (2^(k+1) - 1)) and the table printed. BENCH_GC_DEPTH (16), BENCH_GC_REPS (3).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
W=$BUILD/bin/wrun
D=${BENCH_GC_DEPTH:-16}
REPS=${BENCH_GC_REPS:-3}
WAT=bench/gc/binary-trees.wat
out=$BUILD/bench/gc
mkdir -p "$out"
[ -x "$W" ] || { echo "bench/gc.sh: $W not built"; exit 1; }
want=$(( (1 << (D + 2)) - 1 + (1 << (D + 1)) - 1 ))
for ((k = 4; k <= D; k += 2)); do want=$(( want + (1 << (D - k + 4)) * ((1 << (k + 1)) - 1) )); done
# the binary for node: wasm-tools' text parser through jco (our own parser is wrun's)
node_ok=0 node_why="node not found"
if command -v node >/dev/null; then
  jco=scripts/npm/node_modules/.bin/jco
  if [ -x "$jco" ] && "$jco" parse "$WAT" -o "$out/binary-trees.wasm" >/dev/null 2>&1; then
    if node -e 'process.exit(WebAssembly.validate(require("fs").readFileSync(process.argv[1])) ? 0 : 1)' "$out/binary-trees.wasm"; then
      node_ok=1
    else
      node_why="node $(node --version) cannot compile standard WasmGC (V8 $(node -p process.versions.v8): Chrome 119 / V8 11.9 shipped it)"
    fi
  else
    node_why="jco parse not available"
  fi
fi
cat >"$out/run.mjs" <<'JS'
const fs = await import("node:fs");
const { instance } = await WebAssembly.instantiate(fs.readFileSync(process.argv[2]));
console.log(String(instance.exports.run(Number(process.argv[3]))));
JS
cpu() { # CMD... -> prints "SECONDS OUTPUT"
  local o
  local tf; tf=$(mktemp)
  /usr/bin/time -f "%U %S" -o "$tf" "$@" >"$tf.out" 2>/dev/null
  o=$(cat "$tf.out")
  awk -v o="$o" '{printf "%.3f %s\n", $1 + $2, o}' "$tf"
  rm -f "$tf" "$tf.out"
}
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
wr=() nd=() bad=0
for ((r = 0; r < REPS; r++)); do
  read -r t o < <(cpu "$W" --invoke run "$WAT" "$D")
  [ "$o" = "$want" ] || { echo "bench/gc.sh: wrun checksum $o, want $want"; bad=1; }
  wr+=("$t")
  if [ $node_ok = 1 ]; then
    read -r t o < <(cpu node "$out/run.mjs" "$out/binary-trees.wasm" "$D")
    [ "$o" = "$want" ] || { echo "bench/gc.sh: node checksum $o, want $want"; bad=1; }
    nd+=("$t")
  fi
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-28s %10s %10s\n' "binary-trees depth $D" "wrun s" "node s"
wm=$(printf '%s\n' "${wr[@]}" | median)
if [ $node_ok = 1 ]; then nm=$(printf '%s\n' "${nd[@]}" | median); else nm="-"; fi
printf '%-28s %10s %10s\n' "CPU, median of $REPS" "$wm" "$nm"
[ $node_ok = 1 ] || echo "node: skipped: $node_why"
exit $bad
