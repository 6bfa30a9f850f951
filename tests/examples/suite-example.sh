#!/usr/bin/env bash
# The README's main job (examples/run.sh, `make example`): two C components composed by wcompose,
# signed and verified by wsign, run by wrun with one preopened directory and one environment
# variable. Checks each step's output and what the guest wrote. Last line: "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
OUT=$BUILD/examples
pass=0 fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
log=$(BUILD=$BUILD bash examples/run.sh 2>&1); rc=$?
[ $rc -eq 0 ] && ok "examples/run.sh exits 0" || { bad "examples/run.sh exits $rc"; echo "$log" | tail -20; }
grep -qx 'greeter: Hello, wkit!' <<<"$log" && ok "the greeter component prints through the shared wasi:cli/stdout" ||
  bad "greeter output missing"
grep -qx 'app: /work/greeting.txt has 2 lines and 16 words' <<<"$log" && ok "the app gets the greeter's result" ||
  bad "app output missing"
[ "$(cat "$OUT/work/greeting.txt.report" 2>/dev/null)" = "greeted wkit; 2 lines, 16 words" ] &&
  ok "the guest wrote its report inside the preopened directory" || bad "report missing or wrong"
grep -q 'signature verified' <<<"$log" && ok "wsign verifies the composed component" || bad "no verification"
"$BUILD/bin/winspect" --validate "$OUT/composed.signed.wasm" >/dev/null 2>&1 && ok "the signed component validates" ||
  bad "signed component invalid"
# Determinism: composing again gives the same bytes.
"$BUILD/bin/wcompose" "$OUT/app.wasm" "$OUT/greeter.wasm" -o "$OUT/composed2.wasm" 2>/dev/null &&
  cmp -s "$OUT/composed.wasm" "$OUT/composed2.wasm" && ok "composition is deterministic" || bad "composition differs"
# Nothing beyond the grant: without --dir the app cannot open its input.
"$BUILD/bin/wrun" --env NAME=wkit "$OUT/composed.signed.wasm" /work/greeting.txt >/dev/null 2>"$OUT/nodir.err"
rc=$?
[ $rc -eq 1 ] && grep -q "cannot open /work/greeting.txt" "$OUT/nodir.err" && ok "without --dir the file is unreachable" ||
  bad "without --dir: exit $rc, $(head -c 200 "$OUT/nodir.err")"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
