#!/usr/bin/env bash
# The WIT decoder (lib/witparse decode.c: a component or a WIT package in binary
# form -> Resolve; print.c in its COMPONENT layout: wit-component's WitPrinter), through
# `winspect --wit` and `wit-gen json`:
#  1. wit-component's interfaces corpus: X.wat (the WIT package wit-component
#     encodes) -> binary with jco's wasm-tools (parse) -> winspect --wit must
#     equal X.wit.print (for a directory case, DIR/<package name>.wit.print)
#     byte for byte: no normalization.
#  2. wit-component's components corpus: NAME/component.wat (valid cases: those
#     with component.wit.print) -> binary -> winspect --wit must equal
#     component.wit.print byte for byte. Components that use async or
#     threading built-ins, and custom-page-sizes (a post-3.0 core proposal in its nested module),
#     are counted as skipped (the validator does not enable
#     those features). The WIT decoder accepts map<K, V> and list<T, N>.
#  3. wit-gen json of decoded packages = wit-parser's JSON (wit-parser-ui
#     kinds-of-deps: deps/e.wasm + deps/d.wat; simple-wasm-text.wat), byte for byte.
#  4. Mutation: truncations and bit flips of every binary from 1 and 2 never
#     crash the decoder or the printers (tests/witbin/mutate.c, in-process);
#     WITDEC_ASAN=1 also builds the libraries with AddressSanitizer into
#     $BUILD-witdec-asan and runs it there.
#     Also: the older v1 package encoding, and a component given to wit-gen.
#  5. Error handling: a core module, garbage, a truncated package give exit 1
#     with a FILE:0xOFFSET diagnostic; a component in deps/ is rejected.
# Last line: "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
W=$BUILD/bin/winspect
WG=$BUILD/bin/wit-gen
CORP=../shared/corpora/wit-component
UI=../shared/corpora/wit-parser-ui
OUT=$BUILD/tests/witbin
export JCO_WT=${JCO_WT:-$PWD/scripts/npm/node_modules/@bytecodealliance/jco-transpile/dist/wasm-tools.js}
pass=0; fail=0; skipped=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
skip() { skipped=$((skipped + 1)); echo "SKIP $*"; }
mkdir -p "$OUT/if" "$OUT/comp"
good=() # binaries that decode (the mutation inputs)

if [ ! -x "$W" ] || [ ! -x "$WG" ]; then
  echo "FAIL $W / $WG not built"; echo "0 passed, 1 failed"; exit 1
fi

# ---- wat -> binary (one node process per corpus) ----
if [ ! -f "$OUT/.done" ]; then
  : >"$OUT/list"
  for w in "$CORP"/interfaces/*.wat; do n=$(basename "$w" .wat); echo "$w $OUT/if/$n.wasm" >>"$OUT/list"; done
  for d in "$CORP"/components/*/; do
    n=$(basename "$d")
    [ -f "$d/component.wit.print" ] && [ -f "$d/component.wat" ] && echo "$d/component.wat $OUT/comp/$n.wasm" >>"$OUT/list"
  done
  node tests/witbin/wat2bin.mjs "$OUT/list" >"$OUT/wat2bin.log" 2>&1 || { tail -3 "$OUT/wat2bin.log"; echo "0 passed, 1 failed"; exit 1; }
  touch "$OUT/.done"
fi

# ---- 1: interfaces ----
for w in "$CORP"/interfaces/*.wat; do
  n=$(basename "$w" .wat)
  b=$OUT/if/$n.wasm
  if [ ! -f "$b" ]; then
    skip "interface $n: jco's wasm-tools cannot parse the .wat ($(grep -F "$w" "$OUT/wat2bin.log" | cut -c1-120 | sed 's/.*: //'))"
    continue
  fi
  if [ -d "$CORP/interfaces/$n" ]; then
    "$W" --wit "$b" >"$OUT/if/$n.wit" 2>"$OUT/if/$n.err"
    rc=$?
    pkgname=$(grep -m1 '^package ' "$OUT/if/$n.wit" | sed 's/^package [^:]*:\([^;@]*\).*/\1/')
    exp=$CORP/interfaces/$n/$pkgname.wit.print
  else
    "$W" --wit "$b" >"$OUT/if/$n.wit" 2>"$OUT/if/$n.err"
    rc=$?
    exp=$CORP/interfaces/$n.wit.print
  fi
  if [ $rc -ne 0 ] && grep -q 'cm-map' "$OUT/if/$n.err"; then
    skip "interface $n: uses map<k, v> (the validator does not enable cm-map)"
  elif [ $rc -ne 0 ]; then
    bad "interface $n: $(head -c 200 "$OUT/if/$n.err")"
  elif [ ! -f "$exp" ]; then
    bad "interface $n: no expected print $exp"
  elif cmp -s "$OUT/if/$n.wit" "$exp"; then
    good+=("$b")
    ok "interface $n = $(basename "$exp")"
  else
    bad "interface $n differs from $(basename "$exp"): $(diff "$exp" "$OUT/if/$n.wit" | head -4 | tr '\n' ' ')"
  fi
done

# ---- 2: components ----
cp=0; cf=0; cs=0
for d in "$CORP"/components/*/; do
  n=$(basename "$d")
  [ -f "$d/component.wit.print" ] || continue
  b=$OUT/comp/$n.wasm
  if [ ! -f "$b" ]; then
    skip "component $n: jco's wasm-tools cannot parse component.wat"; cs=$((cs + 1)); continue
  fi
  "$W" --wit "$b" >"$OUT/comp/$n.wit" 2>"$OUT/comp/$n.err"
  rc=$?
  if [ $rc -ne 0 ] && grep -qE 'async|thread|cm-map' "$OUT/comp/$n.err"; then
    skip "component $n: needs a feature the validator does not enable ($(sed 's/.*wasm:0x[0-9a-f]*: //' "$OUT/comp/$n.err" | head -c 90))"
    cs=$((cs + 1))
  elif [ $rc -ne 0 ] && [ "$n" = custom-page-sizes ]; then
    # its nested core module uses custom page sizes, a post-3.0 core proposal wkit does not
    # implement: the core decoder refuses it, so the component is invalid here
    skip "component $n: custom page sizes (a post-3.0 core proposal) ($(sed 's/.*wasm:0x[0-9a-f]*: //' "$OUT/comp/$n.err" | head -c 60))"
    cs=$((cs + 1))
  elif [ $rc -ne 0 ]; then
    bad "component $n: $(head -c 200 "$OUT/comp/$n.err")"; cf=$((cf + 1))
  elif cmp -s "$OUT/comp/$n.wit" "$d/component.wit.print"; then
    pass=$((pass + 1)); cp=$((cp + 1)); good+=("$b")
  else
    bad "component $n differs from component.wit.print: $(diff "$d/component.wit.print" "$OUT/comp/$n.wit" | head -4 | tr '\n' ' ')"
    cf=$((cf + 1))
  fi
done
echo "components: $cp equal to component.wit.print, $cf differ, $cs skipped"

# ---- 3: JSON of decoded packages (wit-parser's own expected files) ----
for c in kinds-of-deps simple-wasm-text; do
  in=$UI/$c
  [ -f "$UI/$c.wat" ] && in=$UI/$c.wat
  if "$WG" json --features active "$in" >"$OUT/$c.json" 2>"$OUT/$c.err" && cmp -s "$OUT/$c.json" <(cat "$UI/$c.wit.json"; echo); then
    ok "json $c = wit-parser's $c.wit.json"
  else
    bad "json $c: $(head -c 200 "$OUT/$c.err")"
  fi
done
# print.c on decoded resolves: `wit-gen wit X.wasm` (main package + nested foreign
# packages) re-parses to the same packages, interfaces, types, functions and world
# items (by name: anonymous types are numbered in a different order)
rp=0; rf=0
for b in "$OUT"/if/*.wasm; do
  n=$(basename "$b" .wasm)
  "$WG" json "$b" >"$OUT/rt-a.json" 2>/dev/null || continue
  if "$WG" wit "$b" >"$OUT/rt.wit" 2>"$OUT/rt.err" && "$WG" json "$OUT/rt.wit" >"$OUT/rt-b.json" 2>>"$OUT/rt.err" &&
     cmp -s <(python3 tests/witbin/canon-json.py --names "$OUT/rt-a.json") <(python3 tests/witbin/canon-json.py --names "$OUT/rt-b.json"); then
    rp=$((rp + 1))
  else
    rf=$((rf + 1)); echo "  $n: $(head -c 200 "$OUT/rt.err")"
  fi
done
[ $rf -eq 0 ] && [ $rp -gt 30 ] && ok "wit-gen wit of $rp decoded packages re-parses to the same items" || bad "wit-gen wit of decoded packages: $rf of $((rp + rf)) differ"

# the older v1 package encoding (one `ns:pkg/wit` export), read from text by wit-gen
printf 'package a:b;\n\ninterface x {\n  f: func(x: u32) -> string;\n}\n\nworld w {\n  import x;\n}\n' >"$OUT/v1.expect"
if "$WG" wit tests/witbin/data/v1-package.wat >"$OUT/v1.wit" 2>"$OUT/v1.err" && cmp -s "$OUT/v1.wit" "$OUT/v1.expect"; then
  ok "v1 WIT package encoding (.wat main file) decodes"
else
  bad "v1 package: $(head -c 200 "$OUT/v1.err") $(diff "$OUT/v1.expect" "$OUT/v1.wit" | head -3 | tr '\n' ' ')"
fi
# a component as wit-gen's input: its world `root` of package root:component
if "$WG" json "$OUT/comp/simple.wasm" >"$OUT/simple.json" 2>"$OUT/simple.err" &&
   python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [p["name"] for p in d["packages"]][-1] == "root:component" and d["worlds"][-1]["name"] == "root"' "$OUT/simple.json"; then
  ok "a component given to wit-gen: world root of root:component"
else
  bad "component input to wit-gen: $(head -c 200 "$OUT/simple.err")"
fi

# ---- 4: mutation ----
MUT=$OUT/mutate
if cc -std=gnu11 -O1 -g -Ilib -D_GNU_SOURCE -o "$MUT" tests/witbin/mutate.c $BUILD/lib/libwk_witparse.a \
     $BUILD/lib/libwk_encode.a $BUILD/lib/libwk_canonabi.a $BUILD/lib/libwk_base.a -lcjson -lssl -lcrypto -lm 2>"$OUT/mut.err"; then
  if "$MUT" 60 "${good[@]}" >"$OUT/mut.log" 2>&1; then
    ok "mutation: $(tail -1 "$OUT/mut.log")"
  else
    bad "mutation: $(grep -m3 FAIL "$OUT/mut.log" | tr '\n' ' ') $(tail -1 "$OUT/mut.log")"
  fi
else
  bad "mutation helper does not build: $(head -c 200 "$OUT/mut.err")"
fi
if [ "${WITDEC_ASAN:-0}" = 1 ]; then
  AB=$BUILD-witdec-asan
  if make -s -j2 BUILD="$AB" CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer" \
       "$AB/lib/libwk_witparse.a" "$AB/lib/libwk_encode.a" "$AB/lib/libwk_canonabi.a" "$AB/lib/libwk_base.a" >"$OUT/asan-build.log" 2>&1 &&
     cc -std=gnu11 -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -Ilib -D_GNU_SOURCE -o "$AB/mutate" \
       tests/witbin/mutate.c "$AB/lib/libwk_witparse.a" "$AB/lib/libwk_encode.a" "$AB/lib/libwk_canonabi.a" "$AB/lib/libwk_base.a" \
       -lcjson -lssl -lcrypto -lm >>"$OUT/asan-build.log" 2>&1; then
    if UBSAN_OPTIONS=halt_on_error=1 "$AB/mutate" 60 "${good[@]}" >"$OUT/asan.log" 2>&1; then
      ok "mutation under ASan+UBSan: $(tail -1 "$OUT/asan.log")"
    else
      bad "mutation under ASan: $(grep -m3 -E 'ERROR|FAIL|runtime error' "$OUT/asan.log" | tr '\n' ' ')"
    fi
  else
    bad "ASan build: $(tail -3 "$OUT/asan-build.log" | tr '\n' ' ')"
  fi
fi

# ---- 5: errors ----
printf '\0asm\1\0\0\0' >"$OUT/core.wasm"
"$W" --wit "$OUT/core.wasm" >/dev/null 2>"$OUT/e1"; rc=$?
[ $rc -eq 1 ] && grep -q 'needs a component' "$OUT/e1" && ok "error: --wit of a core module" || bad "error: core module: rc $rc $(cat "$OUT/e1")"
head -c 40 "$OUT/if/simple-deps.wasm" >"$OUT/trunc.wasm"
"$W" --wit "$OUT/trunc.wasm" >/dev/null 2>"$OUT/e2"; rc=$?
[ $rc -eq 1 ] && grep -qE 'trunc.wasm:0x[0-9a-f]+: ' "$OUT/e2" && ok "error: truncated package -> FILE:0xOFFSET ($(head -c 100 "$OUT/e2"))" || bad "error: truncated: rc $rc $(cat "$OUT/e2")"
"$WG" json "$OUT/trunc.wasm" >/dev/null 2>"$OUT/e3"; rc=$?
[ $rc -eq 1 ] && grep -q 'trunc.wasm:0x' "$OUT/e3" && ok "error: wit-gen on a truncated package -> FILE:0xOFFSET" || bad "error: wit-gen truncated: rc $rc $(cat "$OUT/e3")"
rm -rf "$OUT/depdir"; mkdir -p "$OUT/depdir/deps"
printf 'package a:a;\nworld w { import x:y/z; }\n' >"$OUT/depdir/a.wit"
cp "$OUT/comp/simple.wasm" "$OUT/depdir/deps/c.wasm" 2>/dev/null || cp "$(ls "$OUT"/comp/*.wasm | head -1)" "$OUT/depdir/deps/c.wasm"
"$WG" json "$OUT/depdir" >/dev/null 2>"$OUT/e4"; rc=$?
[ $rc -eq 1 ] && grep -q 'found an actual component' "$OUT/e4" && ok "error: a component in deps/ is rejected (as wit-parser)" || bad "error: component dep: rc $rc $(cat "$OUT/e4")"

# ---- printer regression: block doc comments with trailing spaces round-trip ----
printf 'package a:b;\n\n/** first line   \n   second  \n last */\ninterface i {\n  /**x \n y*/\n  f: func();\n}\n' >"$OUT/doc.wit"
if "$WG" json "$OUT/doc.wit" >"$OUT/doc1.json" && "$WG" wit "$OUT/doc.wit" >"$OUT/doc2.wit" &&
   "$WG" json "$OUT/doc2.wit" | cmp -s - "$OUT/doc1.json" && grep -q '"first line   \\n   second  \\n last"' "$OUT/doc1.json"; then
  ok "print: block doc comment with trailing spaces round-trips"
else
  bad "print: block doc comment round trip"
fi

echo "$pass passed, $fail failed, $skipped skipped"
[ $fail -eq 0 ]
