#!/usr/bin/env bash
# The SIMD bench kernels (bench/simd/*.c, `make bench-simd`), outputs only, small inputs: each
# kernel built with clang for the host and for wasm32-wasi with and without -msimd128; the
# checksum of wrun (SIMD and scalar build), node (V8) and WAMR's fast interpreter with SIMD
# ($BUILD/peers/iwasm-fast, when built) must equal the host build's. No timing (that is
# `make bench-simd`). One case per (kernel, engine column); a peer that is not installed or
# built counts its cases as skipped; no clang: everything skipped.
# Last line: "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
out=$(BUILD=$BUILD BENCH_QUICK=1 BENCH_SIMD_CHECK=1 python3 bench/simd.py 2>&1)
rc=$?
printf '%s\n' "$out" | sed '$d'
last=$(printf '%s\n' "$out" | tail -1)
if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)?$ ]]; then
  echo "$last"
  exit $rc
fi
echo "$last"
echo "suite-simd-kernels: error: bench/simd.py did not finish (status $rc)"
echo "0 passed, 1 failed"
exit 1
