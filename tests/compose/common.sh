# Sourced by the tests/compose suites (not a suite itself): the pass/fail/skip counters and their
# ok/bad/skp reporters, `need TOOL...` (a tool that is not built ends the suite as one failure),
# and `scratch` (a temporary directory in $TMP, removed when the suite exits).
pass=0; fail=0; skip=0
ok() { pass=$((pass+1)); echo "ok   $*"; }
bad() { fail=$((fail+1)); echo "FAIL $*"; }
skp() { skip=$((skip+1)); echo "skip $*"; }
need() {
  local t
  for t in "$@"; do
    [ -x "$t" ] || { echo "missing $t (run make / scripts/setup.sh)"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
  done
}
scratch() {
  TMP=$(mktemp -d)
  trap 'rm -rf "$TMP"' EXIT
}
