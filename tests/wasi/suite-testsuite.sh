#!/usr/bin/env bash
# WebAssembly/wasi-testsuite (its prebuilt wasm32-wasip1 tests: C,
# Rust and AssemblyScript, from the prod/testsuite-base branch) under wrun:
# every test as a core module on the preview1 host and, adapted by `jco new`
# with jco's preview1 command adapter, as a component on the WASI 0.2 host.
# Oracle: each test's JSON spec (exit code, stdout; doc/specification.md).
# Where a component misses the spec, `jco run` of the same component must
# miss it the same way (the adapter's doing; labelled in the output).
# The testsuite is read from $WASI_TESTSUITE (a git clone of
# WebAssembly/wasi-testsuite with the prod/testsuite-base branch), default:
# the mirror the session's fetch tool keeps; without one the suite reports
# itself skipped. Last line: "N passed, N failed[, N skipped]".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
ROOT=$PWD
NM=$ROOT/scripts/npm/node_modules
TS=${WASI_TESTSUITE:-/work/.mirror/WebAssembly+wasi-testsuite/repo}
rev=$(git -C "$TS" rev-parse --verify -q prod/testsuite-base 2>/dev/null)
if [ -z "$rev" ]; then
  # The testsuite is not test data of ../shared: on a machine without a clone this suite cannot run.
  # It says so and counts nothing as passed.
  echo "SKIP wasi-testsuite: no git clone with branch prod/testsuite-base at $TS (set WASI_TESTSUITE)"
  echo "0 passed, 0 failed, 1 skipped"
  exit 0
fi
DIR=$ROOT/$BUILD/wasi-testsuite/$rev
if [ ! -d "$DIR/tests" ]; then
  mkdir -p "$DIR"
  git -C "$TS" archive "$rev" tests/c/testsuite/wasm32-wasip1 tests/rust/testsuite/wasm32-wasip1 \
    tests/assemblyscript/testsuite/wasm32-wasip1 | tar x -C "$DIR" || { echo "FAIL wasi-testsuite: git archive"; echo "0 passed, 1 failed"; exit 1; }
fi
echo "wasi-testsuite prod/testsuite-base $rev"
python3 tests/wasi/testsuite-run.py "$ROOT/$BUILD/bin/wrun" "$NM/.bin/jco" \
  "$NM/@bytecodealliance/jco/lib/wasi_snapshot_preview1.command.wasm" "$DIR" "$ROOT/$BUILD/wasi-testsuite-work/$rev"
