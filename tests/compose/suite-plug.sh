#!/usr/bin/env bash
# wcompose plug and wcompose MAIN DEP...: semver-compatible matching (the
# highest compatible version wins), type checking with the exact difference
# in the error, transitive dependencies, cycles, open imports (and
# --no-imports), --json wiring, deterministic and atomic output. Components
# are tests/compose/data/*.wat (read directly: wcompose takes .wat files).
# Oracles: jco (wasm-tools) must accept every output (`jco print` validates)
# and `jco wit` must print the same WIT as `winspect --wit`; compositions of the
# real Python component (../shared/python) must run under jco transpile + node.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
W=$BUILD/bin/wcompose
WI=$BUILD/bin/winspect
JCO=$PWD/scripts/npm/node_modules/.bin/jco
D=tests/compose/data
OUT=$BUILD/tests/compose-plug
rm -rf "$OUT"; mkdir -p "$OUT"
pass=0; fail=0
ok() { pass=$((pass+1)); echo "ok   $*"; }
bad() { fail=$((fail+1)); echo "FAIL $*"; }

# the output validates for wasm-tools and both WIT printers agree; $2: a line the WIT must contain
oracle() {
  local f=$1 want=$2 name=$3
  if "$JCO" print "$f" >/dev/null 2>&1; then ok "$name: jco validates the output"; else bad "$name: jco rejects the output"; fi
  "$WI" --wit "$f" > "$f.wit" 2>&1; "$JCO" wit "$f" > "$f.jco.wit" 2>/dev/null
  if [ "$(cat "$f.wit")" = "$(cat "$f.jco.wit")" ]; then ok "$name: winspect --wit = jco wit"; else bad "$name: WIT differs from jco wit"; diff "$f.wit" "$f.jco.wit" | head -5; fi
  if grep -qF -- "$want" "$f.wit"; then ok "$name: WIT has '$want'"; else bad "$name: WIT lacks '$want'"; cat "$f.wit"; fi
}
expect_err() { # name, expected substring, args...
  local name=$1 want=$2; shift 2
  echo keep > "$OUT/$name.wasm"
  "$W" "$@" -o "$OUT/$name.wasm" 2>"$OUT/$name.err" >/dev/null; local rc=$?
  if [ $rc -eq 1 ] && grep -qF -- "$want" "$OUT/$name.err"; then ok "$name: fails: $(head -c 240 "$OUT/$name.err")"
  else bad "$name: exit $rc, expected '$want' in: $(cat "$OUT/$name.err")"; fi
  if [ "$(cat "$OUT/$name.wasm")" = keep ]; then ok "$name: the existing output is left alone"; else bad "$name: output clobbered"; fi
}

# 1. plug: two plugs export compatible versions of test:math/ops; 0.2.3 wins over 0.2.1 for an import of 0.2.0
if "$W" plug --plug $D/plug-0.2.1.wat --plug $D/plug-0.2.3.wat $D/socket.wat -o "$OUT/p1.wasm" --json > "$OUT/p1.json"; then
  ok "plug: composes"
  python3 - "$OUT/p1.json" <<'PY' && ok "plug: --json wiring: ops@0.2.0 <- plug-0.2.3's ops@0.2.3, io/out stays an import" || bad "plug: --json wiring"
import json,sys
d=json.load(open(sys.argv[1]))
sock=[i for i in d["instances"] if i["name"]=="socket"][0]
w={a["import"]:a for a in sock["imports"]}
a=w["test:math/ops@0.2.0"]; assert a["from"]=="instance" and a["instance"]=="plug-0.2.3" and a["export"]=="test:math/ops@0.2.3", a
assert w["test:io/out@1.0.0"]["from"]=="import"
assert d["imports"]==["test:io/out@1.0.0"] and [e["name"] for e in d["exports"]]==["test:app/api"]
assert "plug-0.2.1" not in [i["name"] for i in d["instances"]]
PY
  oracle "$OUT/p1.wasm" "import test:io/out@1.0.0;" plug
  "$W" plug --plug $D/plug-0.2.1.wat --plug $D/plug-0.2.3.wat $D/socket.wat -o "$OUT/p1b.wasm"
  if cmp -s "$OUT/p1.wasm" "$OUT/p1b.wasm"; then ok "plug: deterministic (two runs, same bytes)"; else bad "plug: output differs between runs"; fi
  if "$WI" "$OUT/p1.wasm" | grep -q "processed-by: wcompose"; then ok "plug: producers names wcompose"; else bad "plug: producers"; fi
  if "$WI" --validate "$OUT/p1.wasm"; then ok "plug: winspect --validate"; else bad "plug: winspect --validate"; fi
else bad "plug: wcompose failed"; fi

# 2. errors name the import, the candidate and the difference
expect_err plug-version "import \`test:math/ops@0.2.0\` of $D/socket.wat is not satisfied by $D/plug-0.3.0.wat: \`test:math/ops@0.3.0\` of $D/plug-0.3.0.wat: version 0.3.0 is not semver compatible with 0.2.0" \
  plug --plug $D/plug-0.3.0.wat $D/socket.wat
expect_err plug-type "\`test:math/ops@0.2.5\` of $D/plug-bad-type.wat: func \`add\`: parameter \`b\`: expected u32, found s64" \
  plug --plug $D/plug-bad-type.wat $D/socket.wat
expect_err deps-type "func \`add\`: parameter \`b\`: expected u32, found s64" $D/socket.wat $D/plug-bad-type.wat
# a plug losing every import to a better one is fine, but nothing plugged is an error
expect_err plug-none "no import of the socket component $D/socket.wat matches an export of the plug" plug --plug $D/cyc-a.wat $D/socket.wat

# 3. dependencies: transitive, merged imports (both deps import test:util/log with its resource), compatible versions
if "$W" $D/socket.wat $D/plug-with-import.wat $D/out-1.0.2.wat -o "$OUT/d1.wasm" --json > "$OUT/d1.json"; then
  ok "deps: composes"
  python3 - "$OUT/d1.json" <<'PY' && ok "deps: --json: ops <- plug-with-import, io/out@1.0.0 <- out-1.0.2's @1.0.2, one import test:util/log shared" || bad "deps: --json wiring"
import json,sys
d=json.load(open(sys.argv[1]))
ins={i["name"]:i for i in d["instances"]}
w={a["import"]:a for a in ins["socket"]["imports"]}
assert w["test:math/ops@0.2.0"]["instance"]=="plug-with-import"
assert w["test:io/out@1.0.0"]["instance"]=="out-1.0.2" and w["test:io/out@1.0.0"]["export"]=="test:io/out@1.0.2"
assert d["imports"]==["test:util/log@1.0.0"], d["imports"]
for n in ("plug-with-import","out-1.0.2"):
    assert ins[n]["imports"][0]["from"]=="import" and ins[n]["imports"][0]["import-of-result"]=="test:util/log@1.0.0"
PY
  oracle "$OUT/d1.wasm" "import test:util/log@1.0.0;" deps
else bad "deps: wcompose failed: $(cat "$OUT/d1.json")"; fi
# among dependencies too the highest compatible version wins, and when every candidate fails each is listed
if "$W" $D/socket.wat $D/plug-0.2.1.wat $D/plug-0.2.3.wat -o "$OUT/d3.wasm" --json | python3 -c '
import json,sys
d=json.load(sys.stdin)
w={a["import"]:a for a in d["instances"][0]["imports"]}
assert w["test:math/ops@0.2.0"]["instance"]=="plug-0.2.3", w'; then ok "deps: 0.2.3 chosen over 0.2.1 for an import of 0.2.0"
else bad "deps: version choice"; fi
expect_err deps-candidates "\`test:math/ops@0.2.5\` of $D/plug-bad-type.wat: func \`add\`: parameter \`b\`: expected u32, found s64; import \`test:math/ops@0.2.0\` of $D/socket.wat is not satisfied by $D/plug-0.3.0.wat: \`test:math/ops@0.3.0\` of $D/plug-0.3.0.wat: version 0.3.0 is not semver compatible with 0.2.0" \
  $D/socket.wat $D/plug-bad-type.wat $D/plug-0.3.0.wat
expect_err deps-no-imports "import \`test:util/log@1.0.0\` of \`plug-with-import\`" --no-imports $D/socket.wat $D/plug-with-import.wat $D/out-1.0.2.wat
# an import no dependency satisfies stays an import of the result
if "$W" $D/socket.wat $D/plug-0.2.3.wat -o "$OUT/d2.wasm"; then oracle "$OUT/d2.wasm" "import test:io/out@1.0.0;" deps-open; else bad "deps-open: failed"; fi
expect_err deps-cycle "dependency cycle: $D/cyc-a.wat -> $D/cyc-b.wat -> $D/cyc-a.wat" $D/cyc-main.wat $D/cyc-a.wat $D/cyc-b.wat
expect_err deps-none "no dependency satisfies an import of $D/socket.wat" $D/socket.wat $D/cyc-a.wat

# 4. WAC over the same components: explicit wiring, access, spread export
cat > "$OUT/app.wac" <<'WAC'
package test:app;
let ops = new test:ops { ... };
let sock = new test:socket { "test:math/ops@0.2.0": ops["test:math/ops@0.2.3"], ... };
export sock...;
WAC
if "$W" compose "$OUT/app.wac" --dep test:ops=$D/plug-0.2.3.wat --dep test:socket=$D/socket.wat -o "$OUT/w1.wasm"; then
  oracle "$OUT/w1.wasm" "export test:app/api;" wac
else bad "wac: failed"; fi
printf 'package test:app;\nlet ops = new test:ops { ... };\nlet sock = new test:socket { "test:math/ops@0.2.0": ops.nope, ... };\n' > "$OUT/bad.wac"
"$W" compose "$OUT/bad.wac" --dep test:ops=$D/plug-0.2.3.wat --dep test:socket=$D/socket.wat -o "$OUT/w2.wasm" 2>"$OUT/bad.err"
if grep -q "bad.wac:3:56: the instance has no export named \`nope\`" "$OUT/bad.err" && grep -q '^    3 | let sock' "$OUT/bad.err" && grep -q '\^---' "$OUT/bad.err"; then
  ok "wac: located error with the line and a caret"
else bad "wac: error: $(cat "$OUT/bad.err")"; fi

# an explicit import typed by a package path (the interface a --dep component exports), then checked at its use
printf 'package test:app;\nimport ops: test:math/ops@0.2.0;\nlet sock = new test:socket { ops, ... };\nexport sock...;\n' > "$OUT/path.wac"
if "$W" compose "$OUT/path.wac" --dep test:math=$D/plug-0.2.3.wat --dep test:socket=$D/socket.wat -o "$OUT/w3.wasm"; then
  oracle "$OUT/w3.wasm" "import test:math/ops@0.2.0;" wac-path-import
else bad "wac-path-import: failed"; fi
"$W" compose "$OUT/path.wac" --dep test:math=$D/plug-bad-type.wat --dep test:socket=$D/socket.wat -o "$OUT/w4.wasm" 2>"$OUT/path.err"
if grep -q "path.wac:3:30: mismatched instantiation argument \`test:math/ops@0.2.0\`: func \`add\`: parameter \`b\`: expected u32, found s64" "$OUT/path.err"; then
  ok "wac-path-import: a mismatching import type is reported at its use with the difference"
else bad "wac-path-import: $(cat "$OUT/path.err")"; fi

# 5. a real component (../shared/python: CPython 3.13 as a component, 18 WASI 0.2.12 imports with resources
#    and cross-interface uses): composed through WAC its imports are re-encoded -- jco must print the same WIT
#    as for the original -- and plugged into a socket the result runs under jco transpile + node
PY=../shared/python/py-greeter.component.wasm
NM=$PWD/scripts/npm/node_modules
run_node() { # WASM JS-EXPR EXPECTED NAME
  local d=$OUT/js-$4
  rm -rf "$d"; mkdir -p "$d"
  if ! "$JCO" transpile "$1" -o "$d/js" --name composed >"$d/log" 2>&1; then bad "$4: jco transpile: $(tail -3 "$d/log")"; return; fi
  ln -s "$NM" "$d/node_modules"
  local got
  got=$(cd "$d" && node --input-type=module -e "import * as m from './js/composed.js'; console.log($2)" 2>&1)
  if [ "$got" = "$3" ]; then ok "$4: runs under jco transpile + node: $got"; else bad "$4: node printed: $got"; fi
}
if [ -f "$PY" ]; then
  printf 'package test:app;\nlet g = new test:py { ... };\nexport g...;\n' > "$OUT/py.wac"
  if "$W" compose "$OUT/py.wac" --dep test:py="$PY" -o "$OUT/py.wasm"; then
    "$JCO" wit "$PY" > "$OUT/py.orig.jco.wit" 2>/dev/null; "$JCO" wit "$OUT/py.wasm" > "$OUT/py.jco.wit" 2>/dev/null
    if [ -s "$OUT/py.jco.wit" ] && cmp -s "$OUT/py.orig.jco.wit" "$OUT/py.jco.wit"; then ok "python: jco wit of the composition = jco wit of the component (18 WASI imports re-encoded)"
    else bad "python: WIT differs"; diff "$OUT/py.orig.jco.wit" "$OUT/py.jco.wit" | head; fi
    run_node "$OUT/py.wasm" "m.greet.greet('héllo ✓')" "Hello, héllo ✓! (from CPython 3.13.5 on wasi, len=7)" python-wac
    got=$("$BUILD/bin/wrun" --invoke 'demo:py/greet#greet("héllo ✓")' "$OUT/py.wasm" 2>&1)
    if [ "$got" = '"Hello, héllo ✓! (from CPython 3.13.5 on wasi, len=7)"' ]; then ok "python-wac: wrun --invoke gives what node gives"
    else bad "python-wac: wrun printed: $got"; fi
  else bad "python: wcompose compose failed"; fi
  if "$W" plug --plug "$PY" $D/greet-socket.wat -o "$OUT/gs.wasm"; then
    oracle "$OUT/gs.wasm" "export demo:app/hello;" python-plug
    run_node "$OUT/gs.wasm" "m.hello.greet('plug')" "Hello, plug! (from CPython 3.13.5 on wasi, len=4)" python-plug
    # the composition signed, verified and run (the design card's chain: compose -> sign -> verify -> run)
    "$BUILD/bin/wsign" keygen -o "$OUT/py-key.pem" >/dev/null 2>&1 &&
      "$BUILD/bin/wsign" sign -k "$OUT/py-key.pem" "$OUT/gs.wasm" -o "$OUT/gs.signed.wasm" >/dev/null 2>&1 &&
      "$BUILD/bin/wsign" verify -K "$OUT/py-key.pub" "$OUT/gs.signed.wasm" >/dev/null 2>&1 &&
      ok "python-plug: wsign signs and verifies the composition" || bad "python-plug: sign/verify failed"
    got=$("$BUILD/bin/wrun" --invoke 'demo:app/hello#greet("plug")' "$OUT/gs.signed.wasm" 2>&1)
    if [ "$got" = '"Hello, plug! (from CPython 3.13.5 on wasi, len=4)"' ]; then ok "python-plug: the signed composition under wrun --invoke gives what node gives"
    else bad "python-plug: wrun printed: $got"; fi
  else bad "python-plug: wcompose plug failed"; fi
else bad "python: $PY missing"; fi

# 6. hostile inputs: truncated and byte-flipped plugs and sockets fail cleanly (exit 1, an error line), never crash
"$BUILD/tests/tools/wat-comp-parse" $D/plug-with-import.wat "$OUT/h-plug.wasm" >/dev/null
"$BUILD/tests/tools/wat-comp-parse" $D/socket.wat "$OUT/h-sock.wasm" >/dev/null
crash=0; n=0; clean=0
for f in h-plug h-sock; do
  size=$(stat -c %s "$OUT/$f.wasm")
  for ((i = 9; i < size; i += 5)); do
    for mode in trunc flip; do
      if [ $mode = trunc ]; then head -c $i "$OUT/$f.wasm" > "$OUT/h.wasm"
      else python3 -c "import sys; b=bytearray(open(sys.argv[1],'rb').read()); b[$i]^=0xff; open(sys.argv[2],'wb').write(b)" "$OUT/$f.wasm" "$OUT/h.wasm"; fi
      if [ $f = h-plug ]; then args=(plug --plug "$OUT/h.wasm" "$OUT/h-sock.wasm"); else args=(plug --plug "$OUT/h-plug.wasm" "$OUT/h.wasm"); fi
      "$W" "${args[@]}" -o "$OUT/h.out.wasm" >/dev/null 2>"$OUT/h.err"; rc=$?
      n=$((n+1))
      if [ $rc -ge 128 ] || grep -q "Sanitizer\|runtime error" "$OUT/h.err"; then crash=$((crash+1)); echo "  crash: $f $mode $i rc=$rc"
      elif [ $rc -eq 0 ] || { [ $rc -eq 1 ] && grep -q '^wcompose: error: ' "$OUT/h.err"; }; then clean=$((clean+1)); fi
    done
  done
done
if [ $crash -eq 0 ] && [ $clean -eq $n ]; then ok "hostile: $n truncated/flipped inputs, each composed or rejected with an error line"
else bad "hostile: $crash crashes, $((n-clean-crash)) unclear exits of $n"; fi

# 7. usage errors exit 2
"$W" plug $D/socket.wat -o "$OUT/u.wasm" 2>/dev/null; [ $? -eq 2 ] && ok "usage: plug without --plug exits 2" || bad "usage: plug without --plug"
"$W" $D/socket.wat $D/plug-0.2.3.wat 2>/dev/null; [ $? -eq 2 ] && ok "usage: no -o exits 2" || bad "usage: no -o"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
