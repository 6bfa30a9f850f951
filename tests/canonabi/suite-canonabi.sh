#!/usr/bin/env bash
# Canonical ABI differential test: tests/canonabi/diff.py generates seeded random cases (types,
# values, memory images, handle tables) and compares lib/canonabi (through build/tests/tools/cabi-diff)
# with the component model's executable reference ../shared/corpora/canonical-abi/definitions.py:
# load, store, lift_flat_values, lower_flat_values (traps, lifted values, memory bytes, flat values,
# handle tables, borrow counts, lenders).
# Issue 10 asks for 0 differences over at least 100,000 cases: the cases are split over
# CABI_DIFF_JOBS diff.py processes run at once (the reference side is single-threaded python),
# job J generating CASES/JOBS cases from seed SEED+J, so each job's cases are its own stream.
#   CABI_DIFF_CASES=N (default 100000, in total)   CABI_DIFF_SEED=S (default 1)   CABI_DIFF_JOBS=J (default 2)
set -u
BUILD=${BUILD:-build}
DEFS=${CABI_DEFINITIONS:-../shared/corpora/canonical-abi}
DRIVER=$BUILD/tests/tools/cabi-diff
CASES=${CABI_DIFF_CASES:-100000}
SEED=${CABI_DIFF_SEED:-1}
JOBS=${CABI_DIFF_JOBS:-2}
if [ ! -x "$DRIVER" ]; then echo "no $DRIVER (make $DRIVER)"; echo "0 passed, 1 failed"; exit 1; fi
if [ ! -f "$DEFS/definitions.py" ]; then echo "no definitions.py in $DEFS"; echo "0 passed, 1 failed"; exit 1; fi
command -v python3 >/dev/null || { echo "no python3"; echo "0 passed, 1 failed"; exit 1; }
T=$(mktemp -d /tmp/wk-canonabi.XXXXXX)
trap 'rm -rf "$T"' EXIT
pids=()
for ((j = 0; j < JOBS; j++)); do
  n=$(( CASES / JOBS + (j < CASES % JOBS ? 1 : 0) ))
  python3 "$(dirname "$0")/diff.py" --driver "$DRIVER" --definitions "$DEFS" --cases "$n" --seed $((SEED + j)) \
    >"$T/job$j" 2>&1 &
  pids+=($!)
done
pass=0 fail=0 rc=0
for ((j = 0; j < JOBS; j++)); do
  wait "${pids[$j]}" || rc=1
  echo "--- job $j (seed $((SEED + j)))"
  cat "$T/job$j"
  last=$(tail -1 "$T/job$j")
  if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    pass=$((pass + BASH_REMATCH[1])); fail=$((fail + BASH_REMATCH[2]))
  else
    echo "FAIL job $j printed no count"; fail=$((fail + 1)); rc=1
  fi
done
[ $((pass + fail)) -ge "$CASES" ] || { echo "FAIL counted $((pass + fail)) cases, asked for $CASES"; fail=$((fail + 1)); rc=1; }
echo "$CASES cases in $JOBS jobs"
echo "$pass passed, $fail failed"
[ $rc -eq 0 ] && [ $fail -eq 0 ]
