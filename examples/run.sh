#!/usr/bin/env bash
# `make example`: build examples/hello.c for wasm32-wasi with clang and run it
# on wrun with one preopened directory and one environment variable.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=$BUILD/examples
mkdir -p "$OUT/work"
cp examples/greeting.txt "$OUT/work/greeting.txt"
rm -f "$OUT/work/greeting.txt.report"

run() { echo "+ $*" >&2; "$@"; }
run clang --target=wasm32-wasi -O2 -Wall -Wextra -o "$OUT/hello.wasm" examples/hello.c
run "$BUILD/bin/wrun" --dir "$OUT/work::/work" --env NAME=wkit "$OUT/hello.wasm" /work/greeting.txt
echo "--- $OUT/work/greeting.txt.report (written by the guest):"
cat "$OUT/work/greeting.txt.report"
