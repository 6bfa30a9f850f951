#!/usr/bin/env bash
# Bounded, deterministic smoke run of every libFuzzer target (part of `make test`).
#
# Builds the targets with `make fuzz` into $FUZZ_BUILD (default build-fuzz;
# incremental, so only the first run compiles the libraries), then runs each
# target over its seed corpus plus FUZZ_RUNS (default 20000) mutations with
# -seed=1. A target passes when libFuzzer finishes without a crash, leak,
# timeout or sanitizer report; a failing target leaves its reproducer in
# $BUILD/fuzz-smoke/NAME/ and its log next to it. Without clang's
# libFuzzer runtime (Debian libclang-rt-14-dev, installed by scripts/setup.sh)
# every target is reported FAILED with the reason: nothing is skipped silently.
#   tests/fuzz/regress/NAME/*  (if present) are replayed first as fixed inputs.
set -u
cd "$(dirname "$0")/../.." || exit 1
FB=${FUZZ_BUILD:-build-fuzz}
RUNS=${FUZZ_RUNS:-20000}
pass=0 fail=0
names=()
for f in tests/fuzz/fuzz_*.c; do n=${f#tests/fuzz/fuzz_}; names+=("${n%.c}"); done

rt=$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null)
if ! command -v clang >/dev/null || [ ! -f "$rt" ]; then
  for n in "${names[@]}"; do echo "FAILED fuzz_$n: clang or its libFuzzer runtime is missing (apt-get install clang libclang-rt-14-dev)"; done
  echo "0 passed, ${#names[@]} failed"
  exit 1
fi

if ! make -s -j2 fuzz FUZZ_BUILD="$FB" > "$FB.fuzz-build.log" 2>&1; then
  tail -20 "$FB.fuzz-build.log"
  for n in "${names[@]}"; do [ -x "$FB/fuzz/fuzz_$n" ] || echo "FAILED fuzz_$n: does not build (see $FB.fuzz-build.log)"; done
fi

# ASan's defaults (handle_segv=1: ASan's handler, user handlers allowed) suit
# the engine: it installs its guard-region SIGSEGV handler per store and hands
# any fault outside a guest memory reservation on to ASan's handler.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for n in "${names[@]}"; do
  bin=$FB/fuzz/fuzz_$n seeds=$FB/fuzz/seeds-$n work=${BUILD:-build}/fuzz-smoke/$n
  if [ ! -x "$bin" ]; then echo "FAILED fuzz_$n: not built"; fail=$((fail + 1)); continue; fi
  rm -rf "$work"; mkdir -p "$work/corpus"
  log=$work/log
  start=$(date +%s)
  ok=1
  # fixed regression inputs first
  if [ -d "tests/fuzz/regress/$n" ] && [ -n "$(ls "tests/fuzz/regress/$n")" ]; then
    "$bin" -rss_limit_mb=2048 -timeout=20 tests/fuzz/regress/"$n"/* > "$work/regress.log" 2>&1 || {
      ok=0; echo "FAILED fuzz_$n: a tests/fuzz/regress/$n input fails:"; grep -E 'ERROR|SUMMARY|contract' "$work/regress.log" | head -5; }
  fi
  if [ $ok = 1 ]; then
    # -runs counts the seed corpus' replay too; the new corpus goes to $work/corpus
    dict=() ; [ -f "tests/fuzz/$n.dict" ] && dict=(-dict="tests/fuzz/$n.dict")
    "$bin" "${dict[@]}" -seed=1 -runs="$RUNS" -max_len=65536 -rss_limit_mb=2048 -timeout=20 -max_total_time=60 \
      -artifact_prefix="$work/" -print_final_stats=1 "$work/corpus" "$seeds" > "$log" 2>&1
    rc=$?
    if [ $rc -ne 0 ]; then
      ok=0
      echo "FAILED fuzz_$n (exit $rc): $(grep -Eo 'SUMMARY: .*|contract violated: .*|ERROR: libFuzzer: .*' "$log" | head -1)"
      find "$work" -maxdepth 1 \( -name "crash-*" -o -name "leak-*" -o -name "timeout-*" -o -name "oom-*" \) | head -3 | sed 's/^/  reproducer: /'
    fi
  fi
  secs=$(( $(date +%s) - start ))
  execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" 2>/dev/null | grep -Eo '[0-9]+$')
  cov=$(grep -Eo 'cov: [0-9]+' "$log" 2>/dev/null | tail -1)
  if [ $ok = 1 ]; then
    # a target may print a tally of what it saw (fuzz_wat: the print -> parse round trip)
    tally=$(grep -m1 -Eo "^fuzz_$n [a-z ]+: .*" "$log")
    echo "ok fuzz_$n: ${execs:-?} runs in ${secs}s, ${cov:-cov: ?}, seeds $(find "$seeds" -type f | wc -l)${tally:+; $tally}"
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
