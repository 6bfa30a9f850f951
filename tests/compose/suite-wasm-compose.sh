#!/usr/bin/env bash
# wasm-tools compose's composition corpus (../shared/corpora/wasm-compose,
# crates/wasm-compose/tests/compositions): each config.yml translated into
# our CLI -- `wcompose ROOT DEP...` (dependencies satisfy imports: a
# dependency named like an instance import is that instance, else exports
# match imports by name) or, for explicit instantiations, a WAC document
# given to `wcompose compose`.
#  - success cases: our output validates (wcompose validates it; jco's
#    validator must accept it too) and `winspect --wit` of it equals
#    `winspect --wit` of the expected composed.wat (through `jco parse`);
#    when the expected component cannot be printed as WIT (wit-component
#    cannot either), the top-level import and export names and kinds are
#    compared instead (reported as such);
#  - error cases (error.txt): wcompose must fail (exit 1) with an error line.
# Cases our CLI cannot express are listed as skipped with the reason.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
WC=$BUILD/bin/wcompose
WI=$BUILD/bin/winspect
JCO=$PWD/scripts/npm/node_modules/.bin/jco
C=../shared/corpora/wasm-compose/compositions
[ -d "$C" ] || C=/work/shared/corpora/wasm-compose/compositions
OUT=$BUILD/tests/compose-wasm-compose
rm -rf "$OUT"; mkdir -p "$OUT"
. tests/compose/common.sh

names() { "$WI" --json "$1" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps([d["imports"], d["exports"]]))'; }

# compare our output $2 with the expected composed.wat of case $1
check_ok() {
  local t=$1 got=$2
  if ! "$JCO" print "$got" >/dev/null 2>"$OUT/$t.jco.err"; then bad "$t: jco rejects our output: $(head -c 300 "$OUT/$t.jco.err")"; return; fi
  if ! "$JCO" parse "$C/$t/composed.wat" -o "$OUT/$t.exp.wasm" >/dev/null 2>&1; then bad "$t: jco parse composed.wat"; return; fi
  if "$WI" --wit "$OUT/$t.exp.wasm" > "$OUT/$t.exp.wit" 2>/dev/null; then
    "$WI" --wit "$got" > "$OUT/$t.got.wit" 2>&1
    if cmp -s "$OUT/$t.exp.wit" "$OUT/$t.got.wit"; then ok "$t: validates, WIT equals composed.wat's"
    else bad "$t: WIT differs"; diff "$OUT/$t.exp.wit" "$OUT/$t.got.wit" | head -10; fi
  else
    if [ "$(names "$OUT/$t.exp.wasm")" = "$(names "$got")" ]; then ok "$t: validates, imports/exports equal composed.wat's (no WIT: wit-component cannot print it either)"
    else bad "$t: imports/exports differ: $(names "$OUT/$t.exp.wasm") vs $(names "$got")"; fi
  fi
}

# run: case, expect (ok|fail), then the wcompose arguments (output added)
run() {
  local t=$1 expect=$2; shift 2
  local got=$OUT/$t.wasm
  "$WC" "$@" -o "$got" >"$OUT/$t.out" 2>"$OUT/$t.err"; local rc=$?
  if [ "$expect" = ok ]; then
    if [ $rc -ne 0 ]; then bad "$t: wcompose failed: $(head -c 400 "$OUT/$t.err")"; return; fi
    check_ok "$t" "$got"
  else
    if [ $rc -eq 1 ] && grep -q '^wcompose: error: ' "$OUT/$t.err" && [ ! -e "$got" ]; then
      ok "$t: fails: $(head -1 "$OUT/$t.err" | cut -c1-200)"
    else bad "$t: expected an error (exit 1, error line, no output), got exit $rc: $(head -c 300 "$OUT/$t.err")"; fi
  fi
}

wac() { # case, expect, wac text, then --dep args
  local t=$1 expect=$2 text=$3; shift 3
  printf '%s\n' "$text" > "$OUT/$t.wac"
  run "$t" "$expect" compose "$OUT/$t.wac" "$@"
}

R() { echo "$C/$1/$2"; }

# -- no config: the root and the other components of the folder as dependencies
for t in merged-import merged-resource-import resort-imports resources-and-aliases type-use type-use-and-merge; do
  deps=$(ls "$C/$t"/*.wat | grep -v -e '/root.wat$' -e '/composed.wat$')
  run "$t" ok "$C/$t/root.wat" $deps
done
# connect-resources: root's `example:service/logging@0.1.0` from logger's export of that name (the config says so)
run connect-resources ok "$(R connect-resources root.wat)" "$(R connect-resources logger.wat)"
# defs: definition components (their exports satisfy imports by name)
run defs ok "$(R defs root.wat)" "$(R defs cli.wat)" "$(R defs other.wat)"
# explicit instantiations, as WAC
wac complex ok 'package test:complex;
let a = new test:a { ... };
let b1 = new test:b { a };
let b2 = new test:b { a };
let root = new test:root { b1: b1.x, b2: b2.x };
export root...;' --dep test:a="$(R complex a.wat)" --dep test:b="$(R complex b.wat)" --dep test:root="$(R complex root.wat)"
wac locked-dep-simple ok 'package test:locked;
let a1 = new test:a { ... };
let root = new test:root { "locked-dep=<foo:add@1.0.0>": a1, ... };' --dep test:a="$(R locked-dep-simple a.wat)" --dep test:root="$(R locked-dep-simple root.wat)"
wac unlocked-dep-simple ok 'package test:unlocked;
let a1 = new test:a { ... };
let root = new test:root { "unlocked-dep=<foo:add@{>=1.0.0}>": a1, ... };' --dep test:a="$(R unlocked-dep-simple a.wat)" --dep test:root="$(R unlocked-dep-simple root.wat)"
wac not-instance-import ok 'package test:nii;
let a1 = new test:b { ... };
let root = new test:root { "locked-dep=<foo:add@1.0.0>": a1, ... };' --dep test:b="$(R not-instance-import b.wat)" --dep test:root="$(R not-instance-import root.wat)"
skp "complex-import: import-components: true (components imported by the result instead of embedded) is not supported"

# -- error cases
run arg-not-satisfied fail "$(R arg-not-satisfied root.wat)" "$(R arg-not-satisfied a.wat)"
run component-incorrect-version fail "$(R component-incorrect-version root.wat)" "$(R component-incorrect-version a.wasm)"
run component-missing fail "$(R component-missing root.wat)" "$(R component-missing a.wat)"
run component-not-valid fail "$(R component-not-valid root.wat)" "$(R component-not-valid root.wat)"
run component-not-wat fail "$(R component-not-wat root.wat)" "$(R component-not-wat root.wat)"
run conflict-on-import fail "$(R conflict-on-import root.wat)" "$(R conflict-on-import b.wat)"
run def-mismatch fail "$(R def-mismatch root.wat)" "$(R def-mismatch definitions.wat)"
run disallow-imports fail --no-imports "$(R disallow-imports root.wat)"
wac export-on-import fail 'package test:eoi;
import a: interface { x: func(); };
let root = new test:root { a: a.x };
export root...;' --dep test:root="$(R export-on-import root.wat)"
wac incompatible-explicit-export fail 'package test:iee;
let a = new test:a { ... };
let root = new test:root { a: a.x };
export root...;' --dep test:a="$(R incompatible-explicit-export a.wat)" --dep test:root="$(R incompatible-explicit-export root.wat)"
skp "instantiation-cycle: a WAC name must be defined before use, so this cycle cannot be written; dependency cycles are tested in suite-plug.sh"
wac invalid-instantiation-arg fail 'package test:iia;
let a = new test:a { ... };
let root = new test:root { invalid: a, ... };
export root...;' --dep test:a="$(R invalid-instantiation-arg root.wat)" --dep test:root="$(R invalid-instantiation-arg root.wat)"
run locked-dep-invalid-semver fail "$(R locked-dep-invalid-semver root.wat)" "$(R locked-dep-invalid-semver a.wat)"
run missing-explicit-dep fail "$(R missing-explicit-dep root.wat)" "$(R missing-explicit-dep a.wat)"
wac missing-explicit-export fail 'package test:mee;
let a = new test:a { ... };
let root = new test:root { a: a.x };
export root...;' --dep test:a="$(R missing-explicit-export a.wat)" --dep test:root="$(R missing-explicit-export root.wat)"
run missing-root fail "$(R missing-root root.wat)" "$(R missing-root a.wat)"
run module fail "$(R module root.wat)" "$(R module root.wat)"
run no-deps fail "$(R no-deps root.wat)"
run no-deps-resolved fail "$(R no-deps-resolved root.wat)"
run unlocked-dep-invalid-semver fail "$(R unlocked-dep-invalid-semver root.wat)" "$(R unlocked-dep-invalid-semver a.wat)"

echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
