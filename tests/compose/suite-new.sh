#!/usr/bin/env bash
# `wcompose new` against wit-component's own test corpus (../shared/corpora/wit-component/
# components, from wasm-tools crates/wit-component/tests/components): for each case the .wat
# files become binaries with our WAT parser (tests/tools/wat-core-tool), the WIT of the case
# directory is embedded as a component-type section (`wit-gen embed DIR --world <file stem>`,
# as components.rs does with select_world), adapters are named by their `;; module name:` line
# or their stem without `adapt-`. Then `wcompose new` must
#   - for error-* cases: fail cleanly (exit 1 with a `wcompose: error:` line, no crash);
#   - otherwise: produce a component that validates (`winspect --validate`) and whose WIT
#     (`winspect --wit`) equals component.wit.print.
# Cases the tool does not handle are listed as skipped with the reason (never counted as passed).
# Also: determinism (two runs, same bytes) and hostile inputs (truncated/mutated modules).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
CORPUS=${CORPUS:-../shared/corpora/wit-component/components}
WC=${WC:-$BUILD/bin/wcompose}  # WC=build-asan/bin/wcompose runs the suite under ASan
WI=$BUILD/bin/winspect
WG=$BUILD/bin/wit-gen
WAT=$BUILD/tests/tools/wat-core-tool
. tests/compose/common.sh
need "$WC" "$WI" "$WG" "$WAT"
scratch

# Cases out of scope, with the reason.
skip_reason() {
  case $1 in
    link-*|error-link-*) echo "shared-everything linking (wasm-tools component link), not component new" ;;
    async-*|error-async-*|import-memory-async-builtins|realloc-task-hook-async|return-call-ref-async|\
    return-call-ref-payloads|threading|wasm-init-task)
      echo "component-model async (async functions, streams, futures, task builtins): not in wcompose, the WIT decoder or the validator" ;;
    threading-wasm-ld-symbols*) echo "wasm-ld thread symbols imported from \`env\` (shared-everything threads): not supported" ;;
    custom-page-sizes) echo "the core decoder (lib/encode wk_core_decode, WebAssembly 2.0) does not read the custom-page-sizes proposal" ;;
    *) return 1 ;;
  esac
}

# 1. every .wat of the corpus to a binary, in one run of the parser
: > "$TMP/list"
for d in "$CORPUS"/*/; do
  n=$(basename "$d")
  mkdir -p "$TMP/$n"
  for w in "$d"module.wat "$d"adapt-*.wat; do
    [ -f "$w" ] || continue
    printf '%s\t%s\n' "$w" "$TMP/$n/$(basename "$w" .wat).wasm" >> "$TMP/list"
  done
done
"$WAT" parse -l "$TMP/list" > "$TMP/parse.log" 2>&1
# what our parser cannot read (a proposal it lacks) goes through `jco parse` (wasm-tools) instead:
# the subject here is wcompose, not the WAT parser; the case name says which parser was used
JCO=scripts/npm/node_modules/.bin/jco
while IFS=$'\t' read -r in out; do
  [ -f "$out" ] && continue
  if [ -x "$JCO" ] && "$JCO" parse "$in" -o "$out" > /dev/null 2>&1; then echo "$in" >> "$TMP/jco-parsed"; fi
done < "$TMP/list"

for d in "$CORPUS"/*/; do
  n=$(basename "$d")
  T=$TMP/$n
  if r=$(skip_reason "$n"); then skp "$n: $r"; continue; fi
  if [ ! -f "$d/module.wat" ]; then skp "$n: no module.wat (a linking case)"; continue; fi
  if [ ! -f "$T/module.wasm" ]; then
    bad "$n: our WAT parser rejects module.wat: $(grep -F "$d" "$TMP/parse.log" | head -1)"; continue
  fi
  args=()
  err=""
  for w in "$d"adapt-*.wat; do
    [ -f "$w" ] || continue
    stem=$(basename "$w" .wat)
    name=$(sed -n '/^[[:space:]]*\(;;.*\)\{0,1\}$/!q; s/^[[:space:]]*;; module name: //p' "$w" | head -1)
    [ -n "$name" ] || name=${stem#adapt-}
    if [ ! -f "$T/$stem.wasm" ]; then err="our WAT parser rejects $stem.wat"; break; fi
    if ! "$WG" embed "$d" --world "$stem" "$T/$stem.wasm" -o "$T/$stem.embed.wasm" > "$T/embed.log" 2>&1; then
      err="wit-gen embed $stem: $(head -1 "$T/embed.log")"; break
    fi
    args+=(--adapt "$name=$T/$stem.embed.wasm")
  done
  if [ -z "$err" ] && ! "$WG" embed "$d" --world module "$T/module.wasm" -o "$T/module.embed.wasm" > "$T/embed.log" 2>&1; then
    err="wit-gen embed module: $(head -1 "$T/embed.log")"
  fi
  if [ -n "$err" ]; then bad "$n: $err"; continue; fi
  "$WC" new "$T/module.embed.wasm" "${args[@]}" -o "$T/out.wasm" > "$T/new.log" 2>&1
  rc=$?
  case $n in
    error-*)
      # the reason must be wit-component's: the last clause of error.txt must be in our message
      want=$(python3 -c 'import sys; print(open(sys.argv[1]).read().strip().split(": ")[-1])' "$d/error.txt")
      if [ $rc -ne 1 ] || ! grep -q '^wcompose: error: ' "$T/new.log"; then
        bad "$n: expected an error, got exit $rc: $(head -1 "$T/new.log")"
      elif grep -qF -- "$want" "$T/new.log"; then ok "$n: rejected: $want"
      else bad "$n: rejected for another reason: $(head -1 "$T/new.log" | sed 's/^wcompose: error: [^ ]*: //') (want: $want)"; fi
      continue ;;
  esac
  if [ $rc -ne 0 ]; then bad "$n: wcompose new exit $rc: $(head -1 "$T/new.log")"; continue; fi
  via=""
  grep -qF "$d" "$TMP/jco-parsed" 2>/dev/null && via=" (module.wat parsed by jco: our WAT parser rejects it)"
  if ! "$WI" --validate "$T/out.wasm" > "$T/val.log" 2>&1; then bad "$n: output does not validate: $(head -1 "$T/val.log")"; continue; fi
  if ! "$WI" --wit "$T/out.wasm" > "$T/out.wit" 2> "$T/wit.log"; then bad "$n: winspect --wit: $(head -1 "$T/wit.log")"; continue; fi
  if diff <(sed -e 's/[[:space:]]*$//' "$T/out.wit" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}') \
          <(sed -e 's/[[:space:]]*$//' "$d/component.wit.print" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}') > "$T/wit.diff"; then
    # checked below against wasm-tools (through jco) as the oracle
    printf '%s\t%s\t%s\t%s\n' "$T/out.wasm" "$T/jco.wit" "$n" "$via" >> "$TMP/oracle"
  else
    bad "$n: WIT differs from component.wit.print: $(grep '^[<>]' "$T/wit.diff" | head -2 | tr '\n' ' ')"
  fi
done

# 1b. wasm-tools (jco-transpile's build, one node process) must accept every component that passed
#     our checks and print the same WIT (component.wit.print) for it
JCO_WT=${JCO_WT:-$PWD/scripts/npm/node_modules/@bytecodealliance/jco-transpile/dist/wasm-tools.js}
if [ -s "$TMP/oracle" ]; then
  if [ -f "$JCO_WT" ] && command -v node > /dev/null; then
    cut -f1,2 "$TMP/oracle" > "$TMP/oracle.list"
    JCO_WT=$JCO_WT node tests/compose/jco-wit.mjs "$TMP/oracle.list" > "$TMP/oracle.log" 2>&1
    while IFS=$'\t' read -r wasm jwit n via; do
      if [ -f "$jwit.err" ]; then bad "$n: wasm-tools rejects our component: $(cat "$jwit.err")"
      elif [ ! -f "$jwit" ]; then bad "$n: the wasm-tools oracle did not run: $(head -1 "$TMP/oracle.log")"
      elif diff -q <(sed -e 's/[[:space:]]*$//' "$jwit" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}') \
                   <(sed -e 's/[[:space:]]*$//' "$CORPUS/$n/component.wit.print" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}') > /dev/null; then
        ok "$n$via"
      else bad "$n: wasm-tools prints different WIT for our component"; fi
    done < "$TMP/oracle"
  else
    while IFS=$'\t' read -r wasm jwit n via; do skp "$n: validates and WIT matches, but no wasm-tools oracle (node/jco missing)"; done < "$TMP/oracle"
  fi
fi

# 2. the real C program: tests/component/data/hello.c (clang-14, wasm32-wasi preview1) + jco's
#    preview1 command adapter; must validate and print under `jco run` what the `jco new` build prints
NM=$PWD/scripts/npm/node_modules
JCO=$NM/.bin/jco
ADAPTER=$NM/@bytecodealliance/jco/lib/wasi_snapshot_preview1.command.wasm
R=$TMP/real
mkdir -p "$R"
if ! command -v clang-14 > /dev/null; then skp "hello.c: clang-14 is not installed"
elif [ ! -f "$ADAPTER" ] || [ ! -x "$JCO" ]; then skp "hello.c: jco or its preview1 adapter is missing"
elif ! clang-14 --target=wasm32-wasi -O2 -o "$R/hello.core.wasm" tests/component/data/hello.c 2> "$R/cc.log"; then
  bad "hello.c: clang-14 failed: $(head -1 "$R/cc.log")"
else
  if "$WC" new "$R/hello.core.wasm" --adapt "wasi_snapshot_preview1=$ADAPTER" -o "$R/hello.wasm" 2> "$R/new.log"; then
    ok "hello.c: wcompose new --adapt (preview1 command adapter)"
    if "$WI" --validate "$R/hello.wasm"; then ok "hello.c: component validates"; else bad "hello.c: does not validate"; fi
    if "$JCO" new "$R/hello.core.wasm" --adapt "wasi_snapshot_preview1=$ADAPTER" -o "$R/hello-jco.wasm" > "$R/jco-new.log" 2>&1; then
      (cd "$R" && HOME=/home/wk timeout 120 "$JCO" run hello-jco.wasm one two > jco.out 2>&1; echo "exit $?" >> jco.out)
      (cd "$R" && HOME=/home/wk timeout 120 "$JCO" run hello.wasm one two > ours.out 2>&1; echo "exit $?" >> ours.out)
      if grep -q '^hello 3 /home/wk$' "$R/ours.out" && cmp -s "$R/jco.out" "$R/ours.out"; then
        ok "hello.c: jco run prints what the jco new build prints ($(head -1 "$R/ours.out"))"
      else bad "hello.c: jco run output differs: ours [$(tr '\n' ' ' < "$R/ours.out")] jco [$(tr '\n' ' ' < "$R/jco.out")]"; fi
      # with the adapter's dead code left out, the component imports exactly what jco new's does
      if diff <("$WI" --wit "$R/hello.wasm" 2>&1) <("$WI" --wit "$R/hello-jco.wasm" 2>&1) > "$R/wit.diff"; then
        ok "hello.c: same WIT (imports/exports) as the jco new build"
      else bad "hello.c: WIT differs from the jco new build: $(grep '^[<>]' "$R/wit.diff" | head -2 | tr '\n' ' ')"; fi
    else skp "hello.c: jco new failed, no reference run ($(head -1 "$R/jco-new.log"))"; fi
    # the component's WIT: what jco's own decoder sees in ours equals what it sees in its build
    if "$JCO" wit "$R/hello.wasm" > "$R/ours.wit" 2>&1 && grep -q 'export wasi:cli/run@' "$R/ours.wit"; then
      ok "hello.c: jco wit reads it (exports wasi:cli/run)"
    else bad "hello.c: jco wit: $(head -1 "$R/ours.wit")"; fi
  else bad "hello.c: wcompose new failed: $(head -1 "$R/new.log")"; fi
fi

# 2a. the Rust program (tests/component/data/hello.rs, Debian's rustc --target wasm32-wasi), same checks
RUSTC=/usr/bin/rustc
if [ ! -x "$RUSTC" ] || [ ! -d "$("$RUSTC" --print sysroot 2>/dev/null)/lib/rustlib/wasm32-wasi" ]; then
  skp "hello.rs: no rustc with the wasm32-wasi std"
elif [ ! -f "$ADAPTER" ] || [ ! -x "$JCO" ]; then skp "hello.rs: jco or its preview1 adapter is missing"
elif ! "$RUSTC" --target wasm32-wasi -O -C strip=debuginfo -o "$R/hello-rs.core.wasm" tests/component/data/hello.rs > "$R/rs.log" 2>&1; then
  bad "hello.rs: rustc failed: $(head -1 "$R/rs.log")"
elif ! "$WC" new "$R/hello-rs.core.wasm" --adapt "wasi_snapshot_preview1=$ADAPTER" -o "$R/hello-rs.wasm" 2> "$R/new-rs.log"; then
  bad "hello.rs: wcompose new failed: $(head -1 "$R/new-rs.log")"
elif ! "$WI" --validate "$R/hello-rs.wasm"; then bad "hello.rs: does not validate"
elif ! "$JCO" new "$R/hello-rs.core.wasm" --adapt "wasi_snapshot_preview1=$ADAPTER" -o "$R/hello-rs-jco.wasm" > /dev/null 2>&1; then
  skp "hello.rs: jco new failed, no reference"
else
  (cd "$R" && HOME=/home/wk timeout 120 "$JCO" run hello-rs-jco.wasm one two > rs-jco.out 2>&1; echo "exit $?" >> rs-jco.out)
  (cd "$R" && HOME=/home/wk timeout 120 "$JCO" run hello-rs.wasm one two > rs-ours.out 2>&1; echo "exit $?" >> rs-ours.out)
  if grep -q '^hello 3 /home/wk$' "$R/rs-ours.out" && cmp -s "$R/rs-jco.out" "$R/rs-ours.out" &&
     diff -q <("$WI" --wit "$R/hello-rs.wasm") <("$WI" --wit "$R/hello-rs-jco.wasm") > /dev/null; then
    ok "hello.rs: validates, jco run prints what the jco new build prints, same WIT"
  else bad "hello.rs: output or WIT differs from the jco new build: [$(tr '\n' ' ' < "$R/rs-ours.out")] vs [$(tr '\n' ' ' < "$R/rs-jco.out")]"; fi
fi

# 2c. a preview1 command whose MAIN module imports a function needing indirect lowering
#     (tests/compose/data/greetapp.c on wit-gen c bindings of greeter.wit: strings → memory +
#     realloc, through the shim/fixup modules) next to the adapter's imports. The adapter's stack
#     must not be allocated through the main module's cabi_realloc while the adapter is being
#     instantiated (that runs the command's constructors before the fixups fill the shim table:
#     "uninitialized element"). Must validate, have jco new's WIT, and behave like the jco new
#     build under `jco run` (greet served by data/greet.mjs) and `wrun --trap-unknown-imports`.
G=$TMP/greet
mkdir -p "$G/d"
printf 'hello world\n' > "$G/d/x"
if ! command -v clang-14 > /dev/null || [ ! -x "$JCO" ] || [ ! -f "$ADAPTER" ]; then skp "greetapp.c: clang-14, jco or its preview1 adapter missing"
elif ! "$WG" c tests/compose/data/greeter.wit --world app --out-dir "$G" > "$G/gen.log" 2>&1 ||
     ! clang-14 --target=wasm32-wasi -O2 -I "$G" -o "$G/core.wasm" tests/compose/data/greetapp.c \
       "$G/app.c" "$G/app_component_type.o" > "$G/cc.log" 2>&1; then
  bad "greetapp.c: bindings or compile failed: $(head -c 200 "$G/gen.log" "$G/cc.log")"
elif ! "$WC" new "$G/core.wasm" --adapt "wasi_snapshot_preview1=$ADAPTER" -o "$G/ours.wasm" 2> "$G/new.log"; then
  bad "greetapp.c: wcompose new failed: $(head -1 "$G/new.log")"
elif ! "$JCO" new "$G/core.wasm" --adapt "wasi_snapshot_preview1=$ADAPTER" -o "$G/jco.wasm" > "$G/jco-new.log" 2>&1; then
  skp "greetapp.c: jco new failed, no reference ($(head -1 "$G/jco-new.log"))"
else
  if "$WI" --validate "$G/ours.wasm"; then ok "greetapp.c: component validates"; else bad "greetapp.c: does not validate"; fi
  if diff <("$WI" --wit "$G/ours.wasm" 2>&1) <("$WI" --wit "$G/jco.wasm" 2>&1) > "$G/wit.diff"; then
    ok "greetapp.c: same WIT as the jco new build"
  else bad "greetapp.c: WIT differs from the jco new build: $(grep '^[<>]' "$G/wit.diff" | head -2 | tr '\n' ' ')"; fi
  GM=$PWD/tests/compose/data/greet.mjs
  for w in ours jco; do
    (cd "$G" && HOME=/home/wk timeout 120 "$JCO" run --jco-map "example:greeter/greet=$GM" -- \
       $w.wasm /work/x > $w.jco.out 2>&1; echo "exit $?" >> $w.jco.out)
  done
  if grep -q '^hello tester, ' "$G/ours.jco.out" && cmp -s "$G/ours.jco.out" "$G/jco.jco.out"; then
    ok "greetapp.c: jco run calls greet and prints what the jco new build prints ($(grep -m1 '^hello' "$G/ours.jco.out"))"
  else bad "greetapp.c: jco run differs: ours [$(tr '\n' ' ' < "$G/ours.jco.out" | head -c 300)] jco [$(tr '\n' ' ' < "$G/jco.jco.out" | head -c 300)]"; fi
  WR=${WR:-$BUILD/bin/wrun}
  if ! "$WR" --help 2>&1 | grep -q -- --trap-unknown-imports; then
    skp "greetapp.c: $WR has no --trap-unknown-imports (component runtime not merged)"
  else
    for w in ours jco; do
      timeout 120 "$WR" --trap-unknown-imports --dir "$G/d::/work" "$G/$w.wasm" /work/x 2>&1 |
        sed -e "s|$G/$w.wasm|COMPONENT|" > "$G/$w.wrun.out"
    done
    # both read the file, then trap on the undefined greet import (not during instantiation)
    if grep -q '^read 12 bytes' "$G/ours.wrun.out" && grep -q 'unknown import: `example:greeter/greet' "$G/ours.wrun.out" &&
       cmp -s <(grep -v '^ *[0-9]*: 0x' "$G/ours.wrun.out") <(grep -v '^ *[0-9]*: 0x' "$G/jco.wrun.out"); then
      ok "greetapp.c: wrun runs it like the jco new build (reads the file, traps on the undefined greet import)"
    else bad "greetapp.c: wrun differs: ours [$(tr '\n' ' ' < "$G/ours.wrun.out" | head -c 300)] jco [$(tr '\n' ' ' < "$G/jco.wrun.out" | head -c 300)]"; fi
  fi
fi

# 2b. a C guest with an exported interface (resources, records, variants, lists, strings) and an
#     imported one, on wit-gen c bindings (tests/cgen/e2e) + jco's reactor adapter: node calls
#     every export and serves the imports through `jco transpile`, checking each value (host.mjs)
E2=$TMP/e2e
mkdir -p "$E2"
RADAPTER=$NM/@bytecodealliance/jco/lib/wasi_snapshot_preview1.reactor.wasm
if ! command -v clang-14 > /dev/null || [ ! -x "$JCO" ] || ! command -v node > /dev/null; then skp "e2e guest: clang-14, jco or node missing"
elif ! "$WG" c tests/cgen/e2e/e2e.wit --out-dir "$E2" > "$E2/gen.log" 2>&1 ||
     ! clang-14 --target=wasm32-wasi -mexec-model=reactor -O1 -I "$E2" -o "$E2/core.wasm" tests/cgen/e2e/guest.c \
       "$E2/guest.c" "$E2/guest_component_type.o" > "$E2/cc.log" 2>&1; then
  bad "e2e guest: bindings or compile failed: $(head -c 200 "$E2/cc.log")"
elif ! "$WC" new "$E2/core.wasm" --adapt "wasi_snapshot_preview1=$RADAPTER" -o "$E2/comp.wasm" 2> "$E2/new.log"; then
  bad "e2e guest: wcompose new: $(head -1 "$E2/new.log")"
else
  if "$WI" --validate "$E2/comp.wasm"; then ok "e2e guest: validates"; else bad "e2e guest: does not validate"; fi
  cp tests/cgen/e2e/hostimpl.js "$E2/hostimpl.js"
  ln -sfn "$NM" "$E2/node_modules"
  if ! "$JCO" transpile "$E2/comp.wasm" --name guest -o "$E2/js" --map 'wkit:e2e/host@0.1.0=../hostimpl.js' > "$E2/tr.log" 2>&1; then
    bad "e2e guest: jco transpile rejects it: $(grep -v '^ *at ' "$E2/tr.log" | grep -v '^$' | tail -2 | tr '\n' ' ')"
  elif node tests/cgen/e2e/host.mjs "$E2/js" > "$E2/run.log" 2>&1; then
    ok "e2e guest: node calls it through jco transpile, $(grep -c '^ok' "$E2/run.log") checks ok"
  else bad "e2e guest: run: $(grep -v '^ok' "$E2/run.log" | head -3 | tr '\n' ' ')"; fi
  if "$JCO" new "$E2/core.wasm" --wasi-reactor -o "$E2/jco.wasm" > /dev/null 2>&1; then
    if diff <("$WI" --wit "$E2/comp.wasm" 2>&1) <("$WI" --wit "$E2/jco.wasm" 2>&1) > "$E2/wit.diff"; then
      ok "e2e guest: same WIT as the jco new --wasi-reactor build"
    else bad "e2e guest: WIT differs from jco new's: $(grep '^[<>]' "$E2/wit.diff" | head -2 | tr '\n' ' ')"; fi
  else skp "e2e guest: jco new failed, no WIT reference"; fi
fi

# 3. determinism: two runs give the same bytes (the adapter case and a corpus case with a shim)
if [ -f "$R/hello.core.wasm" ] && [ -f "$R/hello.wasm" ]; then
  "$WC" new "$R/hello.core.wasm" --adapt "wasi_snapshot_preview1=$ADAPTER" -o "$R/hello2.wasm" 2>/dev/null
  if cmp -s "$R/hello.wasm" "$R/hello2.wasm"; then ok "determinism: hello.c twice, same bytes"; else bad "determinism: hello.c differs between runs"; fi
fi
D=$TMP/lower-options
if [ -f "$D/module.embed.wasm" ]; then
  "$WC" new "$D/module.embed.wasm" -o "$D/again.wasm" 2>/dev/null
  if cmp -s "$D/out.wasm" "$D/again.wasm"; then ok "determinism: lower-options twice, same bytes"; else bad "determinism: lower-options differs"; fi
fi

# 4. hostile input: truncated and mutated core modules (and adapters) give `wcompose: error:`
#    and exit 1, never a crash
H=$TMP/hostile
mkdir -p "$H"
SRC=$TMP/lower-options/module.embed.wasm
[ -f "$R/hello.core.wasm" ] && SRC2=$R/hello.core.wasm || SRC2=$SRC
crashes=0; runs=0
hostile_run() { # FILE [adapter args...]
  local f=$1; shift
  "$WC" new "$f" "$@" -o "$H/out.wasm" > /dev/null 2> "$H/err"
  local rc=$?
  runs=$((runs+1))
  if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then crashes=$((crashes+1)); echo "  crash (exit $rc) on $(basename "$f") $*"; cp "$f" "$H/crash-$runs.wasm"; fi
  if [ $rc -eq 1 ] && ! grep -q '^wcompose: error: ' "$H/err"; then crashes=$((crashes+1)); echo "  exit 1 without an error line"; fi
  if [ $rc -eq 0 ] && ! "$WI" --validate "$H/out.wasm" > /dev/null 2>&1; then crashes=$((crashes+1)); echo "  accepted input gave an invalid component"; fi
}
if [ -f "$SRC" ]; then
  size=$(stat -c %s "$SRC")
  for cut in 0 4 8 9 12 $((size/3)) $((size/2)) $((size-1)); do head -c "$cut" "$SRC" > "$H/t.wasm"; hostile_run "$H/t.wasm"; done
  python3 - "$SRC" "$H" <<'PY'
import random, sys
data = open(sys.argv[1], 'rb').read()
rnd = random.Random(7)
for i in range(150):
    b = bytearray(data)
    for _ in range(rnd.randint(1, 4)):
        b[rnd.randrange(8, len(b))] = rnd.randrange(256)
    open(f"{sys.argv[2]}/m{i}.wasm", "wb").write(b)
PY
  for f in "$H"/m*.wasm; do hostile_run "$f"; done
  if [ -f "$R/hello.core.wasm" ]; then
    # mutated preview1 programs and mutated adapters (the adapter path: liveness, stack injection)
    python3 - "$R/hello.core.wasm" "$ADAPTER" "$H" <<'PY'
import random, sys
rnd = random.Random(11)
for tag, path in (("p", sys.argv[1]), ("a", sys.argv[2])):
    data = open(path, 'rb').read()
    for i in range(30):
        b = bytearray(data)
        for _ in range(rnd.randint(1, 3)):
            b[rnd.randrange(8, len(b))] = rnd.randrange(256)
        open(f"{sys.argv[3]}/{tag}{i}.wasm", "wb").write(b)
PY
    for f in "$H"/p*.wasm; do hostile_run "$f" --adapt "wasi_snapshot_preview1=$ADAPTER"; done
    for f in "$H"/a*.wasm; do hostile_run "$R/hello.core.wasm" --adapt "wasi_snapshot_preview1=$f"; done
    head -c 3000 "$ADAPTER" > "$H/adapter-cut.wasm"
    hostile_run "$R/hello.core.wasm" --adapt "wasi_snapshot_preview1=$H/adapter-cut.wasm"
    hostile_run "$R/hello.core.wasm" --adapt "wasi_snapshot_preview1=$SRC"
  fi
  if [ $crashes -eq 0 ]; then ok "hostile: $runs truncated/mutated inputs, all clean errors or valid output"
  else bad "hostile: $crashes of $runs inputs crashed or misbehaved"; fi
fi

# 5. the command line: exit 0 for help, 2 for usage errors, 1 for failed work (with an error line)
cli() { # WANT-RC DESCRIPTION ARGS...
  local want=$1 what=$2; shift 2
  "$WC" "$@" > "$TMP/cli.out" 2> "$TMP/cli.err"
  local rc=$?
  if [ $rc -eq "$want" ] && { [ "$want" -eq 0 ] || grep -q '^wcompose: error: ' "$TMP/cli.err"; }; then ok "cli: $what (exit $rc)"
  else bad "cli: $what: exit $rc, want $want: $(head -1 "$TMP/cli.err")"; fi
}
cli 0 "--help" --help
cli 0 "new --help" new --help
cli 2 "no input" new -o "$TMP/x.wasm"
cli 2 "unknown option" new --bogus
cli 2 "unknown command" bogus
cli 1 "missing input file" new "$TMP/does-not-exist.wasm" -o "$TMP/x.wasm"
[ -f "$R/hello.wasm" ] && cli 1 "a component as input" new "$R/hello.wasm" -o "$TMP/x.wasm"
# without --adapt a preview1 module gets wkit's built-in adapter (tests/compose/suite-adapter.sh); a
# wcompose built without one asks for --adapt
if [ -f "$BUILD/adapter/wasi_snapshot_preview1.command.wasm" ]; then
  [ -f "$R/hello.core.wasm" ] && cli 0 "preview1 module without --adapt: the built-in adapter" new "$R/hello.core.wasm" -o "$TMP/x.wasm"
  # the adapter is trimmed to what the component reaches (wit-component's adapter gc): its function
  # exports are the preview1 functions the main module imports, plus the canonical-ABI ones
  if [ -f "$R/hello.core.wasm" ] && [ -f "$TMP/x.wasm" ]; then
    "$WI" print "$R/hello.core.wasm" | grep -o '(import "wasi_snapshot_preview1" "[^"]*"' | sed 's/.* "//; s/"$//' | sort > "$TMP/trim.want"
    "$WI" print "$TMP/x.wasm" | awk '/core module \$wit-component:adapter/{f=1} f && /^  \)$/{f=0} f' |
      grep -o '(export "[^"]*" (func' | sed 's/(export "//; s/" (func//' | grep -v '#\|^cabi_' | sort > "$TMP/trim.got"
    if [ -s "$TMP/trim.want" ] && cmp -s "$TMP/trim.want" "$TMP/trim.got" && "$WI" --validate "$TMP/x.wasm"; then
      ok "built-in adapter trimmed: exports the $(wc -l < "$TMP/trim.want") preview1 functions hello.c imports, validates"
    else bad "built-in adapter not trimmed to hello.c's imports: $(diff "$TMP/trim.want" "$TMP/trim.got" | head -5 | tr '\n' ' ')"; fi
    # the dead functions and imports are removed and the rest renumbered (no trapping stubs module):
    # each function left has the body of the built-in adapter's function of its name, as printed
    # (calls and ref.func by name, so a wrong index or name shows), and the only unnamed function is
    # the start function cnew adds for the stack, there only when a kept function uses
    # `__stack_pointer` (hello.c's kept functions use none: no start function)
    fbodies() { # module WAT on stdin -> "NAME<TAB>LINE" for each line of each named function's body
      awk '/^  \(func /{n="-"; if (match($0, /\(func \$[^ ]*/)) n=substr($0, RSTART+7, RLENGTH-7); next}
           /^  \(/ || /^\)$/{n=""} n!=""{sub(/^ */, ""); print n "\t" $0}'
    }
    "$WI" print "$TMP/x.wasm" | awk '/core module \$wit-component:adapter/{f=1; print "(module"; next} f && /^  \)$/{f=0; print ")"} f' |
      sed 's/^  //' | fbodies > "$TMP/gc.got"
    "$WI" print "$BUILD/adapter/wasi_snapshot_preview1.command.wasm" | fbodies > "$TMP/gc.all"
    # an adapter that imports the shim's table has it as table 0 (cnew adapter_shim_table), so its
    # own table is table 1 there: compare with the original's table 0. Its imports that are shim
    # slots (cnew adapter_call_slots: canon lowerings with its own realloc, the main module's
    # _start) are gone, each call of one now `i32.const SLOT; call_indirect` on table 0: both
    # spellings become CALLSLOT (a call of any other function must stay a call of that function)
    if "$WI" print "$TMP/x.wasm" | awk '/core module \$wit-component:adapter/{f=1} f && /^  \)$/{f=0} f' | grep -q '(import "" "[^"]*" (table'; then
      awk -F'\t' '{ if (held != "") { if ($1 == hn && $2 ~ /^call_indirect \(type /) { print hn "\tCALLSLOT"; held = ""; next } print held; held = "" }
                     if ($2 ~ /^i32\.const [0-9]+$/) { held = $0; hn = $1; next } print } END { if (held != "") print held }' \
        "$TMP/gc.got" | sed 's/call_indirect 1 (/call_indirect (/' > "$TMP/gc.got2" && mv "$TMP/gc.got2" "$TMP/gc.got"
      "$WI" print "$BUILD/adapter/wasi_snapshot_preview1.command.wasm" | sed -n 's/^  (import .*(func \(\$[^ ]*\) .*/\1/p' | sort -u > "$TMP/gc.imp0"
      "$WI" print "$TMP/x.wasm" | awk '/core module \$wit-component:adapter/{f=1} f && /^  \)$/{f=0} f' |
        sed -n 's/^    (import .*(func \(\$[^ ]*\) .*/\1/p' | sort -u > "$TMP/gc.imp1"
      awk -F'\t' 'FILENAME == ARGV[1] { gone[$1] = 1; next } { if ($2 ~ /^call \$/) { split($2, w, " "); if (w[2] in gone) { print $1 "\tCALLSLOT"; next } } print }' \
        <(comm -23 "$TMP/gc.imp0" "$TMP/gc.imp1") "$TMP/gc.all" > "$TMP/gc.all2" && mv "$TMP/gc.all2" "$TMP/gc.all"
    fi
    cut -f1 "$TMP/gc.got" | grep -v '^-$' | sort -u > "$TMP/gc.names"
    awk -F'\t' 'NR==FNR{k[$1]=1; next} k[$1]' "$TMP/gc.names" "$TMP/gc.all" > "$TMP/gc.want"
    grep -v '^-'$'\t' "$TMP/gc.got" > "$TMP/gc.gotn"
    nall=$(cut -f1 "$TMP/gc.all" | sort -u | wc -l); nkept=$(wc -l < "$TMP/gc.names")
    adp=$(awk '/core module \$wit-component:adapter/{f=1} f && /^  \)$/{f=0} f' <("$WI" print "$TMP/x.wasm"))
    nanon=$(grep -c '^    (func (;' <<<"$adp")
    nstart=$(grep -c '^    (start ' <<<"$adp")
    nsp=$(grep -c 'global\.[gs]et \$__stack_pointer' <<<"$adp")
    if [ "$nsp" -gt 0 ] || [ "$nstart" -gt 0 ]; then want_anon=1; else want_anon=0; fi
    if [ "$nkept" -gt 0 ] && [ "$nkept" -lt "$nall" ] && cmp -s "$TMP/gc.want" "$TMP/gc.gotn" && [ "$nanon" -eq "$want_anon" ] &&
       ! "$WI" print "$TMP/x.wasm" | grep -q 'wit-component:stubs'; then
      ok "built-in adapter gc: $nkept of its $nall functions left, renumbered, each with its own body and name; $nanon stack start function; no stubs module"
    else bad "built-in adapter gc: $nkept of $nall functions, $nanon unnamed, bodies $(cmp "$TMP/gc.want" "$TMP/gc.gotn" 2>&1 | head -1)"; fi
    # the memory-first structure (cnew mem_first_setup, adapter_call_slots): hello.c's module defines
    # one memory, so the shim defines it and the main module imports it ("" "$memory"), the adapter
    # is instantiated first and is itself the main module's `wasi_snapshot_preview1` argument (no
    # trampolines), and the adapter calls its realloc-lowered imports and `_start` through the
    # shim's table: the shim has no function at all. It runs as the core module does.
    wat=$("$WI" print "$TMP/x.wasm")
    mainm=$(awk '/core module \$main /{f=1} f && /^  \)$/{f=0} f' <<<"$wat")
    shimm=$(awk '/core module \$wit-component:shim /{f=1} f && /^  \)$/{f=0} f' <<<"$wat")
    mkdir -p "$TMP/mf"; echo data > "$TMP/mf/x"
    WR=${WR:-$BUILD/bin/wrun}
    "$WR" --env HOME=/h --dir "$TMP/mf::/tmp" "$TMP/x.wasm" a b > "$TMP/mf/comp.out" 2>&1; echo "exit $?" >> "$TMP/mf/comp.out"
    "$WR" --env HOME=/h --dir "$TMP/mf::/tmp" "$R/hello.core.wasm" a b > "$TMP/mf/core.out" 2>&1; echo "exit $?" >> "$TMP/mf/core.out"
    if grep -q '^    (import "" "\$memory" (memory ' <<<"$mainm" && ! grep -q '^    (memory ' <<<"$mainm" &&
       grep -qF '(with "wasi_snapshot_preview1" (instance $wasi_snapshot_preview1))' <<<"$wat" &&
       ! grep -q '(func ' <<<"$shimm" && grep -q '^    (memory ' <<<"$shimm" && grep -q '^    (table ' <<<"$shimm" &&
       grep -q '^hello 3 /h$' "$TMP/mf/comp.out" && cmp -s "$TMP/mf/comp.out" "$TMP/mf/core.out"; then
      ok "built-in adapter, memory first: the shim defines the main module's memory and has no function, the adapter instance is the main module's argument; wrun prints what the core module prints"
    else bad "built-in adapter, memory first: structure or run differs [$(tr '\n' ' ' < "$TMP/mf/comp.out" | head -c 200)] vs [$(tr '\n' ' ' < "$TMP/mf/core.out" | head -c 200)]"; fi
    # wasi:cli/run has functions only (no type to name): exported as an instance of the lifted
    # function, not through a shim component (cnew.c build, step 7); jco's wasm-tools reads the
    # same WIT from it (it validates it with wasmparser)
    if ! grep -q 'shim-component' <<<"$wat" && grep -q '^  (export .* "wasi:cli/run@0.2.12" (instance ' <<<"$wat" &&
       grep -q '^  (instance (;[0-9]*;)$' <<<"$wat" && "$WI" --validate "$TMP/x.wasm"; then
      ok "built-in adapter: wasi:cli/run exported as an instance of the lifted run, no shim component"
    else bad "built-in adapter: wasi:cli/run export: $(grep -m1 'wasi:cli/run@0.2.12" (instance' <<<"$wat")"; fi
  fi
else
  [ -f "$R/hello.core.wasm" ] && cli 1 "preview1 module without --adapt (no built-in adapter)" new "$R/hello.core.wasm" -o "$TMP/x.wasm"
fi
if [ -f "$R/hello.core.wasm" ]; then
  "$WC" new "$R/hello.core.wasm" --adapt "wasi_snapshot_preview1=$ADAPTER" -o "$TMP/no/such/dir/x.wasm" 2> "$TMP/cli.err"
  if [ $? -eq 1 ] && [ ! -e "$TMP/no/such/dir/x.wasm" ]; then ok "cli: unwritable output is an error, nothing written"
  else bad "cli: unwritable output"; fi
fi

# 7. adapter type renumbering (cnew.c adapter_trim_types): an adapter with function types no kept
#    function names, a call_indirect and a block type index (adapt-inject-stack's WIT). Without type
#    names its unused types go and the others are renumbered in order, every index that names one
#    rewritten (a wrong one fails validation: the kept types all differ); with type names (name
#    section subsection 4, by type index) all types are kept as they are.
D=$CORPUS/adapt-inject-stack
if [ -f "$D/module.wat" ] && [ -f "$TMP/adapt-inject-stack/module.embed.wasm" ]; then
  RT=$TMP/renum; mkdir -p "$RT"
  for v in plain named; do
    if [ $v = named ]; then t0='$u0' t1='$u1' t2='$two' t3='$u2' t4='$blk'; else t0='' t1='' t2='' t3='' t4=''; fi
    cat > "$RT/$v.wat" <<WAT
(module
  (type $t0 (func (param f64 f64 f64)))
  (type $t1 (func (param i64) (result f32)))
  (type $t2 (func (param i32 i32) (result i32)))
  (type $t3 (func (result f64 f64)))
  (type $t4 (func (param i32) (result i32 i32)))
  (import "new" "get-two" (func (param i32)))
  (import "env" "memory" (memory 0))
  (table 1 funcref)
  (elem (i32.const 0) func 1)
  (func (type 2) (i32.add (local.get 0) (local.get 1)))
  (func (export "get_sum") (result i32)
    (local i32)
    (call 0 (local.tee 0 (i32.const 64)))
    (i32.load (local.get 0))
    (block (type 4) (i32.load offset=4 (local.get 0)))
    (call_indirect (type 2) (i32.const 0))))
WAT
    printf '%s\t%s\n' "$RT/$v.wat" "$RT/$v.wasm" > "$RT/list"
    "$WAT" parse -l "$RT/list" > "$RT/$v.log" 2>&1 &&
      "$WG" embed "$D" --world adapt-old "$RT/$v.wasm" -o "$RT/$v.embed.wasm" >> "$RT/$v.log" 2>&1 &&
      "$WC" new "$TMP/adapt-inject-stack/module.embed.wasm" --adapt "old=$RT/$v.embed.wasm" -o "$RT/$v.out.wasm" >> "$RT/$v.log" 2>&1 &&
      "$WI" --validate "$RT/$v.out.wasm" >> "$RT/$v.log" 2>&1
    rc=$?
    adp=$("$WI" print "$RT/$v.out.wasm" 2>/dev/null | awk '/core module \$wit-component:adapter/{f=1} f && /^  \)$/{f=0} f')
    ntypes=$(grep -c '^    (type ' <<<"$adp")
    # (when the adapter imports the shim's table, to fill its exports' slots or call its slots
    # itself, its own table is table 1, cnew adapter_shim_table; here the main module defines its
    # memory and imports the adapter's function directly, so it has no slot: table 0, mem_first)
    tb=''; grep -qE '^    \(import .*\(table ' <<<"$adp" && tb='1 '
    if [ $v = plain ]; then want=4; ci="call_indirect ${tb}(type 0)"; bt='block (type 1)'
    else want=7; ci="call_indirect ${tb}"'(type $two)'; bt='block (type $blk)'; fi
    if [ $rc -eq 0 ] && [ "$ntypes" -eq $want ] && grep -qF "$ci" <<<"$adp" && grep -qF "$bt" <<<"$adp"; then
      ok "adapter types ($v): $ntypes types left, call_indirect and block type renumbered, validates"
    else bad "adapter types ($v): exit $rc, $ntypes types (want $want): $(tail -1 "$RT/$v.log")"; fi
  done
else skp "adapter types: the adapt-inject-stack case was not built"; fi

echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
