#!/usr/bin/env bash
# Canonical ABI differential test: tests/canonabi/diff.py generates seeded random cases (types,
# values, memory images, handle tables) and compares lib/canonabi (through build/tests/tools/cabi-diff)
# with the component model's executable reference ../shared/corpora/canonical-abi/definitions.py:
# load, store, lift_flat_values, lower_flat_values (traps, lifted values, memory bytes, flat values,
# handle tables, borrow counts, lenders).
#   CABI_DIFF_CASES=N (default 20000)   CABI_DIFF_SEED=S (default 1)
set -u
BUILD=${BUILD:-build}
DEFS=${CABI_DEFINITIONS:-../shared/corpora/canonical-abi}
DRIVER=$BUILD/tests/tools/cabi-diff
if [ ! -x "$DRIVER" ]; then echo "no $DRIVER (make $DRIVER)"; echo "0 passed, 1 failed"; exit 1; fi
if [ ! -f "$DEFS/definitions.py" ]; then echo "no definitions.py in $DEFS"; echo "0 passed, 1 failed"; exit 1; fi
command -v python3 >/dev/null || { echo "no python3"; echo "0 passed, 1 failed"; exit 1; }
out=$(python3 "$(dirname "$0")/diff.py" --driver "$DRIVER" --definitions "$DEFS" 2>&1)
rc=$?
echo "$out"
if ! tail -1 <<<"$out" | grep -qE '^[0-9]+ passed, [0-9]+ failed$'; then echo "0 passed, 1 failed"; exit 1; fi
exit $rc
