#!/usr/bin/env bash
# WAT core suite: lib/encode's text format -> binary for core modules
# (wat_sx.c, wat_core.c) against wasm-tools' `parse` (npm jco's API).
#
#  b. every module text form in ../shared/corpora/spec-core-2.0/*.wast (top-level
#     `(module ...)`, the modules of assert_invalid / assert_unlinkable /
#     assert_trap / assert_uninstantiable, and `(module quote ...)`), split out
#     with our own S-expression reader (tests/tools/wat-core-tool split): our
#     binary must equal jco parse's byte for byte. Text jco rejects but the spec
#     accepts (wasm-tools refuses bidi "confusing unicode" in names.wast) is
#     listed and counted as skipped.
#  c. every `assert_malformed (module quote ...)`: we must reject it.
#  a. round trip: every valid module of the corpus (wast2json via
#     tests/spec/convert.sh) printed by `winspect print` must parse back to the
#     original bytes. Where it does not, jco parse of the same printed text
#     decides: same bytes as ours -> skipped with the reason "not reproducible
#     from the printed text" (non-minimal LEB128s in the original, names or
#     custom sections the printer does not print); jco also rejecting the
#     printed text -> skipped as a printer bug; anything else fails.
#  n. every `(core module ...)` of the wit-component and wasm-compose corpora
#     (tests/tools/wat-core-tool core-split): ours must equal jco parse;
#     cases needing post-2.0 proposals are listed and skipped.
#  r. real-world npm core modules (as tests/format/suite-realworld.sh finds them)
#     up to WAT_CORE_RW_MAX bytes (default 1000000; 0 = all, takes minutes):
#     printed, parsed by us and by jco; ours must equal jco's (equality with
#     the original is reported too).
#  v. `winspect --validate` accepts every valid module of the converted corpus
#     and rejects every binary assert_invalid module with FILE:OFFSET.
#  w. wrun runs a module given in the text format and reports text errors as
#     FILE:LINE:COL.
# Usage: BUILD=build-x bash tests/wat/suite-wat-core.sh
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
tool=$BUILD/tests/tools/wat-core-tool
winspect=$BUILD/bin/winspect
corpus=../shared/corpora/spec-core-2.0
out=$BUILD/wat-core
rwmax=${WAT_CORE_RW_MAX:-1000000}
for t in "$tool" "$winspect"; do
  if [ ! -x "$t" ]; then
    echo "suite-wat-core: $t not built"
    echo "0 passed, 1 failed"
    exit 1
  fi
done
if [ ! -d scripts/npm/node_modules/@bytecodealliance/jco ]; then
  echo "suite-wat-core: npm jco not installed (run scripts/setup.sh)"
  echo "0 passed, 1 failed"
  exit 1
fi
pass=0 fail=0 skip=0
rm -rf "${out:?}/split" "${out:?}/rt" "${out:?}/rw" "${out:?}/nested"
mkdir -p "$out/split" "$out/rt" "$out/rw"

# ---- b + c: spec script module texts ------------------------------------
t0=$(date +%s.%N)
for f in "$corpus"/*.wast; do
  n=$(basename "$f" .wast)
  mkdir -p "$out/split/$n"
  if ! "$tool" split "$f" "$out/split/$n" >>"$out/split/manifest.txt" 2>>"$out/split/split.err"; then
    echo "FAIL split $f: $(tail -n 1 "$out/split/split.err")"
    fail=$((fail + 1))
  fi
done
awk '$1 != "malformed" { print $2 "\t" $2 ".jco.wasm" }' "$out/split/manifest.txt" >"$out/split/jco.list"
awk '{ print $2 "\t" $2 ".wasm\t" $2 ".jco.wasm" }' "$out/split/manifest.txt" >"$out/split/our.list"
node tests/wat/jco-parse-batch.mjs <"$out/split/jco.list" >"$out/split/jco.out"
# (the 2.0 corpus: 2.0 text, whose limits are u32 — its assert_malformed cases say so; 3.0
# reads them as u64 and validation rejects them)
"$tool" parse --core2 -l "$out/split/our.list" >"$out/split/our.out"
t1=$(date +%s.%N)
# our.out: same/differ (jco made a binary), noref (jco rejected it), error (we rejected it)
read -r bp bf bs cp cf < <(awk '
  FNR == NR { kind[$2] = $1; next }
  FILENAME ~ /jco.out$/ { f = $2; sub(/:$/, "", f); if ($1 == "error") jmsg[f] = substr($0, 1, 220); next }
  { f = $2; sub(/:$/, "", f)
    if (kind[f] == "malformed") {
      if ($1 == "error") cp++; else { cf++; print "FAIL malformed text accepted: " f > "/dev/stderr" }
      next
    }
    if ($1 == "same") bp++
    else if ($1 == "differ") { bf++; print "FAIL " f ": bytes differ from jco parse" > "/dev/stderr" }
    else if ($1 == "noref") { bs++; print "SKIP " f ": wasm-tools rejects it, the spec accepts it (" jmsg[f] ")" > "/dev/stderr" }
    else if (f in jmsg) { bf++; print "FAIL " f ": both parsers reject a module text of the spec: " $0 > "/dev/stderr" }
    else { bf++; print "FAIL " f ": " $0 > "/dev/stderr" }
  }
  END { print bp + 0, bf + 0, bs + 0, cp + 0, cf + 0 }' "$out/split/manifest.txt" "$out/split/jco.out" "$out/split/our.out" 2>"$out/split/report.txt")
head -n 40 "$out/split/report.txt"
awk -v s="$t0" -v e="$t1" -v p="$bp" -v f="$bf" -v k="$bs" 'BEGIN { printf "b. spec module texts vs jco parse: %d identical, %d failed, %d skipped (split+parse %.1fs)\n", p, f, k, e - s }'
echo "c. assert_malformed (module quote): $cp rejected, $cf accepted"
pass=$((pass + bp + cp)) fail=$((fail + bf + cf)) skip=$((skip + bs))

# ---- a: print -> parse round trip of the converted corpus -----------------
# wat-core-tool roundtrip prints with wk_coremod_print_module, the function `winspect print` runs for a module.
if ! bash tests/spec/convert.sh "$out/conv" >"$out/convert.log" 2>&1; then
  echo "FAIL convert: $(tail -n 1 "$out/convert.log")"
  fail=$((fail + 1))
fi
# conv_files KIND: the .wasm files of the converted 2.0 corpus ($out/conv) of one kind of command:
# "module" (valid modules) or "invalid" (binary assert_invalid modules), one path per line.
conv_files() {
  node -e '
    const fs = require("fs"), path = require("path");
    const [dir, kind] = process.argv.slice(1);
    for (const d of fs.readdirSync(dir).sort()) {
      const j = path.join(dir, d, d + ".json");
      if (!fs.existsSync(j)) continue;
      for (const c of JSON.parse(fs.readFileSync(j, "utf8")).commands)
        if (kind === "module" ? c.type === "module" && (c.filename || "").endsWith(".wasm")
                              : c.type === "assert_invalid" && c.module_type === "binary")
          console.log(path.join(dir, d, c.filename));
    }' "$out/conv" "$1"
}
conv_files module >"$out/rt/modules.txt"
"$tool" roundtrip "$out/rt" "$out/rt/modules.txt" >"$out/rt/rt.out"
ap=$(grep -c '^same ' "$out/rt/rt.out")
grep '^printfail ' "$out/rt/rt.out" | sed 's/^printfail /SKIP printer fails: /' >"$out/rt/report.txt"
awk '$1 == "differ" || $1 == "error" { w = $3; sub(/:$/, "", w); print w "\t" w ".jco.wasm" }' "$out/rt/rt.out" >"$out/rt/jco.list"
node tests/wat/jco-parse-batch.mjs <"$out/rt/jco.list" >"$out/rt/jco.out"
while read -r st orig wat rest; do
  wat=${wat%:}
  ours=${wat%.wat}.wasm
  if [ "$st" = error ]; then
    if [ -f "$wat.jco.wasm" ]; then echo "FAIL $orig: wasm-tools parses the printed text, we reject it: $rest"
    else echo "SKIP $orig: printer bug, the printed text is not valid WAT for either parser: $rest"; fi
  elif [ ! -f "$wat.jco.wasm" ]; then
    echo "FAIL $orig: wasm-tools rejects the printed text, we accept it"
  elif cmp -s "$ours" "$wat.jco.wasm"; then
    echo "SKIP $orig: not reproducible from the printed text (jco parse gives our bytes)"
  else
    echo "FAIL $orig: differs from the original and from jco parse of the printed text"
  fi
done < <(grep -E '^(differ|error) ' "$out/rt/rt.out") >>"$out/rt/report.txt"
af=$(grep -c '^FAIL' "$out/rt/report.txt")
as=$(grep -c '^SKIP' "$out/rt/report.txt")
cat "$out/rt/report.txt"
echo "a. print -> parse round trip ($(wc -l <"$out/rt/modules.txt") modules): $ap identical to the original, $af failed, $as skipped"
pass=$((pass + ap)) fail=$((fail + af)) skip=$((skip + as))

# ---- v: winspect --validate on core modules ----------------------------------
# Every module the 2.0 spec corpus says is valid must pass `winspect --validate -f wasm2`;
# every binary assert_invalid module must fail with exit 1 and a FILE:0xOFFSET: error (the
# project rule; module-level errors carry the offset of the offending entry too).
conv_files invalid >"$out/rt/invalid.txt"
vp=0 vf=0
while read -r m; do
  if got=$("$winspect" --validate -f wasm2 "$m" 2>&1) && [ -z "$got" ]; then vp=$((vp + 1)); else echo "FAIL validate $m: $got"; vf=$((vf + 1)); fi
done <"$out/rt/modules.txt"
while read -r m; do
  got=$("$winspect" --validate -f wasm2 "$m" 2>&1)
  rc=$?
  case "$rc:$got" in
    "1:winspect: error: $m:0x"*) vp=$((vp + 1)) ;;
    *) echo "FAIL validate $m (assert_invalid): status $rc: $got"; vf=$((vf + 1)) ;;
  esac
done <"$out/rt/invalid.txt"
# without -f wasm2 core modules have every 3.0 feature wkit implements: the 2.0 corpus's
# "multiple memories" modules are then valid
mm=$(node -e '
  const fs = require("fs"), j = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  for (const c of j.commands) if (c.type === "assert_invalid" && c.text === "multiple memories") console.log(c.filename);' \
  "$out/conv/memory/memory.json")
for f in $mm; do
  if got=$("$winspect" --validate "$out/conv/memory/$f" 2>&1); then vp=$((vp + 1)); else echo "FAIL validate (3.0) $f: $got"; vf=$((vf + 1)); fi
done
[ -n "$mm" ] || { echo "FAIL validate (3.0): no multiple-memories case found"; vf=$((vf + 1)); }
echo "v. winspect --validate: $(wc -l <"$out/rt/modules.txt") valid and $(wc -l <"$out/rt/invalid.txt") invalid spec modules: $vp right, $vf wrong"
pass=$((pass + vp)) fail=$((fail + vf))

# ---- n: nested core modules of the component corpora ----------------------
# Every `(core module ...)` in ../shared/corpora/wit-component/components/*/component.wat
# and ../shared/corpora/wasm-compose/compositions/*/*.wat, as a standalone module: ours
# must equal jco parse. Cases using post-2.0 proposals are out of scope (listed, skipped,
# unless they happen to come out identical).
post20() {
  case "$1" in
    wc-custom-page-sizes-*) echo "custom page sizes (memory (pagesize N))" ;;
    wc-link-tag-*) echo "exception handling (tag)" ;;
    wc-return-call-ref-*) echo "function references / tail calls ((ref N) types, return_call_ref)" ;;
    *) return 1 ;;
  esac
}
mkdir -p "$out/nested"
for f in ../shared/corpora/wit-component/components/*/component.wat; do
  d=$(basename "$(dirname "$f")")
  "$tool" core-split "$f" "$out/nested" "wc-$d" || { echo "FAIL core-split $f"; fail=$((fail + 1)); }
done >"$out/nested/manifest.txt"
for f in ../shared/corpora/wasm-compose/compositions/*/*.wat; do
  d=$(basename "$(dirname "$f")")
  "$tool" core-split "$f" "$out/nested" "compose-$d-$(basename "$f" .wat)" || { echo "FAIL core-split $f"; fail=$((fail + 1)); }
done >>"$out/nested/manifest.txt"
awk '{ print $2 "\t" $2 ".jco.wasm" }' "$out/nested/manifest.txt" >"$out/nested/jco.list"
awk '{ print $2 "\t" $2 ".wasm\t" $2 ".jco.wasm" }' "$out/nested/manifest.txt" >"$out/nested/our.list"
node tests/wat/jco-parse-batch.mjs <"$out/nested/jco.list" >"$out/nested/jco.out"
"$tool" parse -l "$out/nested/our.list" >"$out/nested/our.out"
np=0 nf=0 ns=0
declare -A nst
while read -r s f _; do nst[${f%:}]=$s; done <"$out/nested/our.out"
while read -r _ w; do
  b=$(basename "$w" .wat)
  if [ "${nst[$w]:-}" = same ]; then
    np=$((np + 1))
  elif why=$(post20 "$b"); then
    echo "SKIP $b: post-2.0 feature: $why"
    ns=$((ns + 1))
  elif [ "${nst[$w]:-}" = differ ]; then
    echo "FAIL $b: bytes differ from jco parse"
    nf=$((nf + 1))
  elif [ -f "$w.wasm" ] && grep -F "$w" "$out/nested/jco.out" | grep -q '(global [^(]*(@name'; then
    echo "SKIP $b: wasm-tools parse rejects (@name ...) on a global import (which wasm-tools print writes); we accept it"
    ns=$((ns + 1))
  elif [ -f "$w.jco.wasm" ]; then
    echo "FAIL $b: $(grep -m1 -F "$w" "$out/nested/our.out" | cut -c1-200)"
    nf=$((nf + 1))
  elif [ -f "$w.wasm" ]; then
    echo "FAIL $b: we accept it, wasm-tools rejects it: $(grep -m1 -F "$w" "$out/nested/jco.out" | cut -c1-200)"
    nf=$((nf + 1))
  else
    echo "FAIL $b: both parsers reject it"
    nf=$((nf + 1))
  fi
done <"$out/nested/manifest.txt"
echo "n. nested core modules of the component corpora: $np identical to jco parse, $nf failed, $ns skipped"
pass=$((pass + np)) fail=$((fail + nf)) skip=$((skip + ns))

# ---- r: real-world npm modules ---------------------------------------------
rp=0 rf=0 rsame=0 rbytes=0
: >"$out/rw/parse.list"
: >"$out/rw/orig.txt"
i=0
for f in $(find scripts/npm/node_modules/ -name '*.wasm' 2>/dev/null | sort); do
  [ "$(head -c 8 "$f" | od -An -tx1 | tr -d ' \n')" = 0061736d01000000 ] || continue
  sz=$(stat -c %s "$f")
  [ "$rwmax" -gt 0 ] && [ "$sz" -gt "$rwmax" ] && continue
  i=$((i + 1))
  if "$winspect" print -o "$out/rw/$i.wat" "$f" 2>"$out/rw/$i.perr"; then
    printf '%s\t%s\n' "$out/rw/$i.wat" "$out/rw/$i.wasm" >>"$out/rw/parse.list"
    printf '%s\n' "$f" >>"$out/rw/orig.txt"
    rbytes=$((rbytes + sz))
  else
    echo "FAIL $f: winspect print fails: $(head -n 1 "$out/rw/$i.perr")"
    rf=$((rf + 1))
  fi
done
t0=$(date +%s.%N)
"$tool" parse -l "$out/rw/parse.list" >"$out/rw/parse.out"
t1=$(date +%s.%N)
awk -F'\t' '{ print $1 "\t" $1 ".jco.wasm" }' "$out/rw/parse.list" >"$out/rw/jco.list"
node --max-old-space-size=8000 tests/wat/jco-parse-batch.mjs <"$out/rw/jco.list" >"$out/rw/jco.out"
while IFS=$'\t' read -r orig wat; do
  ours=${wat%.wat}.wasm
  if [ ! -f "$ours" ]; then
    if [ ! -f "$wat.jco.wasm" ]; then
      echo "SKIP $orig: printer bug, the printed text is not valid WAT for either parser: $(grep -m1 -F "$wat" "$out/rw/parse.out" | cut -c1-160)"
      skip=$((skip + 1))
    else
      echo "FAIL $orig: $(grep -m1 -F "$wat" "$out/rw/parse.out" | cut -c1-200)"
      rf=$((rf + 1))
    fi
  elif [ ! -f "$wat.jco.wasm" ]; then
    echo "FAIL $orig: wasm-tools rejects the printed text, we accept it"
    rf=$((rf + 1))
  elif cmp -s "$ours" "$wat.jco.wasm"; then
    rp=$((rp + 1))
    cmp -s "$ours" "$orig" && rsame=$((rsame + 1))
  else
    echo "FAIL $orig: bytes differ from jco parse of the printed text"
    rf=$((rf + 1))
  fi
done < <(paste "$out/rw/orig.txt" "$out/rw/parse.list" | cut -f1,2)
awk -v n="$rp" -v s="$t0" -v e="$t1" -v b="$rbytes" -v same="$rsame" -v max="$rwmax" 'BEGIN {
  printf "r. real-world modules (<= %s bytes; 0 = all): %d identical to jco parse (%d also to the original), %.1f MB of binary, our parse %.2fs\n", max, n, same, b / 1e6, e - s }'
pass=$((pass + rp)) fail=$((fail + rf))

# ---- w: wrun takes the text format (no \0asm magic) -------------------------
wrun=$BUILD/bin/wrun
cat >"$out/hello.wat" <<'EOF'
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello from wat\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 15))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
EOF
printf '(module\n  (func (export "_start") i32.bogus))\n' >"$out/bad.wat"
if [ ! -x "$wrun" ]; then
  echo "FAIL wrun not built"
  fail=$((fail + 1))
else
  got=$("$wrun" "$out/hello.wat" 2>&1)
  if [ "$got" = "hello from wat" ]; then pass=$((pass + 1)); else echo "FAIL wrun hello.wat: $got"; fail=$((fail + 1)); fi
  got=$("$wrun" "$out/bad.wat" 2>&1)
  rc=$?
  case "$rc:$got" in
    "1:wrun: error: $out/bad.wat:2:27: unknown operator"*) pass=$((pass + 1)) ;;
    *) echo "FAIL wrun bad.wat: status $rc: $got"; fail=$((fail + 1)) ;;
  esac
fi
echo "w. wrun on .wat input: 2 checks"

# ---- p: print comparison with wasmprinter (npm jco print) on name-section edge cases ----------
# tests/wat/print-names/ (README.md there): `winspect print` must equal jco print.
pp=0 pf=0
rm -rf "$out/pn" && mkdir -p "$out/pn"
# each case: NAME.src.wat parsed by jco, then the hand-made name section NAME.names.hex appended
# (hex text, so that no binary is committed)
for src in tests/wat/print-names/*.src.wat; do
  n=$(basename "$src" .src.wat)
  if ! scripts/npm/node_modules/.bin/jco parse "$src" -o "$out/pn/$n.wasm" 2>"$out/pn/$n.err"; then
    echo "FAIL print-names $n: jco parse: $(head -c 200 "$out/pn/$n.err")"; pf=$((pf + 1)); continue
  fi
  python3 -c 'import sys; open(sys.argv[1], "ab").write(bytes.fromhex(open(sys.argv[2]).read().replace("\n", "")))' \
    "$out/pn/$n.wasm" "tests/wat/print-names/$n.names.hex"
done
ls "$out"/pn/*.wasm | node tests/witbin/jco-print.mjs
for w in "$out"/pn/*.wasm; do
  if [ ! -f "$w.jco.wat" ]; then echo "FAIL print $w: jco print failed: $(head -c 200 "$w.jco.err" 2>/dev/null)"; pf=$((pf + 1)); continue; fi
  if "$winspect" print "$w" >"$w.ours.wat" 2>&1 && cmp -s "$w.ours.wat" "$w.jco.wat"; then pp=$((pp + 1))
  else echo "FAIL print $w: differs from jco print: $(diff "$w.jco.wat" "$w.ours.wat" | head -4 | tr '\n' ' ' | cut -c1-300)"; pf=$((pf + 1)); fi
done
if [ $((pp + pf)) -eq 0 ]; then echo "FAIL print: no name edge cases were compared"; pf=1; fi
echo "p. print vs jco print (name edge cases): $pp equal, $pf differ"
pass=$((pass + pp)) fail=$((fail + pf))

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
