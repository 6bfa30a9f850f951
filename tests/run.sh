#!/usr/bin/env bash
# Runs every test suite and prints one closing line "TOTAL: N passed, N failed".
#  - unit tests: each $BUILD/tests/test_* (cmocka) binary;
#  - script suites: every tests/*/suite-*.sh; each prints a last line
#    "N passed, N failed" and exits non-zero on failure.
# A suite that crashes or prints no count is counted as one failure.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export BUILD
total_pass=0
total_fail=0
total_skip=0
failed_suites=()
log_dir=$BUILD/test-logs
mkdir -p "$log_dir"

count_line() { # file -> "P F S" from the last "N passed, N failed[, N skipped]" line
  grep -Eo '[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?' "$1" | tail -n 1 |
    sed -E 's/([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?/\1 \2 \4/'
}

# unit tests that read what the script suites build (component binaries under $BUILD/tests) run after them
AFTER_SUITES=" test_component_fuzz "
run_unit() { # $BUILD/tests/test_NAME
  local t=$1 name log rc p f sk
  name=$(basename "$t")
  log=$log_dir/$name.log
  "$t" >"$log" 2>&1
  rc=$?
  p=$(grep -Eo '\[  PASSED  \] [0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -n1)
  f=$(grep -Eo '\[  FAILED  \] [0-9]+ test' "$log" | grep -Eo '[0-9]+' | tail -n1)
  sk=$(grep -Eo '\[  SKIPPED \] [0-9]+ test' "$log" | grep -Eo '[0-9]+' | tail -n1)
  p=${p:-0}; f=${f:-0}; sk=${sk:-0}
  if [ $rc -ne 0 ] && [ "$f" = 0 ]; then f=1; fi
  printf '%-40s %5d passed, %5d failed, %5d skipped\n' "unit/$name" "$p" "$f" "$sk"
  [ "$sk" != 0 ] && grep -B1 -E '^\[  SKIPPED \] test' "$log" | grep -vE '^\[|^--' | head -3 | sed 's/^/  skipped: /'
  [ "$f" != 0 ] && { failed_suites+=("unit/$name"); sed -n '1,200p' "$log" | grep -E 'FAIL|error|Error' | head -20; }
  total_pass=$((total_pass + p)); total_fail=$((total_fail + f)); total_skip=$((total_skip + sk))
}
for t in "$BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  [[ $AFTER_SUITES == *" $(basename "$t") "* ]] && continue
  run_unit "$t"
done

for s in tests/*/suite-*.sh; do
  [ -f "$s" ] || continue
  name=${s#tests/}
  log=$log_dir/$(echo "$name" | tr / _).log
  start=$(date +%s)
  bash "$s" >"$log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - start ))
  read -r p f sk <<<"$(count_line "$log")"
  p=${p:-0}; f=${f:-0}; sk=${sk:-0}
  if [ $rc -ne 0 ] && [ "$f" = 0 ]; then f=1; fi
  # a suite that ran nothing fails, unless it said it skipped (e.g. its data is absent on this machine)
  if [ $rc -eq 0 ] && [ "$p" = 0 ] && [ "$f" = 0 ] && [ "$sk" = 0 ]; then f=1; echo "  ($name ran no test)"; fi
  printf '%-40s %5d passed, %5d failed, %5d skipped  (%ds)\n' "$name" "$p" "$f" "$sk" "$secs"
  if [ "$f" != 0 ]; then failed_suites+=("$name"); grep -E '^(FAIL|fail)' "$log" | head -20; fi
  total_pass=$((total_pass + p)); total_fail=$((total_fail + f)); total_skip=$((total_skip + sk))
done

for n in $AFTER_SUITES; do
  [ -x "$BUILD/tests/$n" ] && run_unit "$BUILD/tests/$n"
done

if [ ${#failed_suites[@]} -gt 0 ]; then
  echo "failing suites: ${failed_suites[*]} (logs in $log_dir/)"
fi
echo "TOTAL: $total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ] && [ "$total_pass" -gt 0 ]
