#!/usr/bin/env bash
# The component text format -> binary (lib/encode/wat_component.c through wk_wat_to_binary), byte for byte
# against wasm-tools:
#  a. every .print snapshot of the component-model validation corpus must give the binary it was printed from
#     (binaries: tests/component/gen-corpus.sh); a binary that cannot come from its printed text (hand-written
#     binary source) is compared with wasm-tools parse of the same text instead and listed as PEER;
#  a2. every module text of the validation .wast sources (all the sugar forms: inline exports/imports/types,
#     alias sugar, legacy indices, ...) must give the binary wasm-tools made of it;
#  b. wit-component's interfaces/*.wat and components/*/*.wat must equal `jco parse` of the same file (core
#     module texts -- module.wat, adapt-*.wat, lib-*.wat -- counted separately); b2. the validation corpus'
#     strict-legacy-*.wat (legacy reference syntax) must equal the lenient wasm-tools parse; b3. the
#     hand-written cases in tests/wat/wat-comp-cases must equal that wasm-tools' parse too;
#  c. the real components of tests/component/build-real.sh: `winspect print` then our parser must give the
#     original bytes, or else wasm-tools parse of the same printed text (PEER, with the reason listed); the
#     12 MB JS component's parse is timed.
# Cases needing core features beyond WebAssembly 2.0 (GC, memory64, custom page sizes, exceptions, shared
# memories), and differences or errors inside nested core modules (lib/encode/wat_core*.c, tested by its own
# suites) are counted as skipped with their reason, never as passed. Set VERBOSE=1 to list every case.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
P=$BUILD/tests/tools/wat-comp-parse
WINSPECT=$BUILD/bin/winspect
CORPORA=../shared/corpora
WORK=$BUILD/tests/wat-comp
export JCO_WT=${JCO_WT:-$PWD/scripts/npm/node_modules/@bytecodealliance/jco-transpile/dist/wasm-tools.js}
if [ ! -x "$P" ] || [ ! -x "$WINSPECT" ]; then echo "wat-comp-parse or winspect not built"; echo "0 passed, 1 failed"; exit 1; fi
mkdir -p "$WORK"
pass=0 fail=0 skip=0
add() { # label, checker output file
  local line p f s
  line=$(tail -n 1 "$2")
  read -r p f s < <(echo "$line" | sed -E 's/([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped/\1 \2 \3/')
  if ! [[ "$p" =~ ^[0-9]+$ && "$f" =~ ^[0-9]+$ && "$s" =~ ^[0-9]+$ ]]; then p=0 f=1 s=0; fi
  printf '%-58s %4d passed, %3d failed, %3d skipped\n' "$1" "$p" "$f" "$s"
  pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
  if [ -n "${VERBOSE:-}" ]; then grep -E '^(FAIL|PEER|SKIP)' "$2"; else grep -E '^(FAIL|PEER)' "$2"; fi
  grep -E '^SKIP' "$2" | sed -E 's/^SKIP [^:]*(:[0-9]+ [a-z_]+)?: //; s/; (error|our parser|component-level).*//' |
    sort | uniq -c | sed 's/^/    skipped: /'
}
check() { # label, list name
  python3 tests/wat/wat-comp-check.py "$P" "$WORK/out-$2" "$WORK/$2.list" --verbose > "$WORK/$2.txt" 2>&1
  add "$1" "$WORK/$2.txt"
}

# reference binaries and case lists
if ! bash tests/component/gen-corpus.sh > "$WORK/gen.log" 2>&1; then
  cat "$WORK/gen.log"; echo "0 passed, 1 failed"; exit 1
fi
python3 tests/wat/wat-comp-lists.py "$CORPORA" "$BUILD/tests/component-val" "$WORK" > "$WORK/lists.log" 2>&1 ||
  { cat "$WORK/lists.log"; echo "0 passed, 1 failed"; exit 1; }
node tests/wat/wat-comp-jco.mjs < "$WORK/jco.list" > "$WORK/jco.log" 2>&1 ||
  { tail -5 "$WORK/jco.log"; echo "0 passed, 1 failed"; exit 1; }
WAST_STRICT_COMPONENT_INDICES=0 node tests/wat/wat-comp-jco.mjs --lenient < "$WORK/legacy-jco.list" > "$WORK/legacy-jco.log" 2>&1 ||
  { tail -5 "$WORK/legacy-jco.log"; echo "0 passed, 1 failed"; exit 1; }

check "a.  validation .print snapshots -> their binaries" val
check "a2. validation .wast module texts -> their binaries" src
check "b.  wit-component component texts == jco parse" wc
check "b'. wit-component core module texts == jco parse" wcmod
check "b2. validation strict-legacy-*.wat (legacy syntax)" legacy
check "b3. hand-written sugar cases (tests/wat/wat-comp-cases)" cases

# c. real components: print -> parse round trip
if bash tests/component/build-real.sh > "$WORK/real-build.log" 2>&1 || true; then :; fi
: > "$WORK/real.list"
mkdir -p "$WORK/real"
: > "$WORK/real-jco.list"
for n in hello-c hello-rs hello-js; do
  w=$BUILD/tests/component-real/$n.wasm
  if [ ! -f "$w" ]; then
    echo "FAIL c. $n: component not built (see $BUILD/tests/component-real/*-build.log)"; fail=$((fail + 1)); continue
  fi
  if ! "$WINSPECT" print "$w" > "$WORK/real/$n.wat" 2> "$WORK/real/$n.print.err"; then
    echo "FAIL c. $n: winspect print failed: $(head -c 300 "$WORK/real/$n.print.err")"; fail=$((fail + 1)); continue
  fi
  # wasm-tools parse of the printed text, cached by the text's digest (the JS one takes ~30 s in node)
  sum=$(sha1sum "$WORK/real/$n.wat" | cut -c1-16)
  alt=$WORK/real/$n.jco.$sum.wasm
  [ -f "$alt" ] || { rm -f "$WORK/real/$n".jco.*; printf '%s\t%s\n' "$WORK/real/$n.wat" "$alt" >> "$WORK/real-jco.list"; }
  printf '%s\t%s\t%s\t\t%s\n' "$n (print -> parse)" "$WORK/real/$n.wat" "$w" "$alt" >> "$WORK/real.list"
done
if [ -s "$WORK/real-jco.list" ]; then
  node --max-old-space-size=8192 tests/wat/wat-comp-jco.mjs < "$WORK/real-jco.list" > "$WORK/real-jco.log" 2>&1
fi
if [ -s "$WORK/real.list" ]; then
  check "c.  real components: winspect print -> our parse" real
  if [ -f "$WORK/real/hello-js.wat" ]; then
    "$P" -t "$WORK/real/hello-js.wat" 2>&1 | sed 's/^/    timing: /'
  fi
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
