#!/usr/bin/env bash
# wit-gen c: for every WIT in ../shared/corpora/wit-bindgen-codegen, the generated C must compile with
# clang --target=wasm32-wasi -Wall -Wextra -Werror -Wc++-compat -Wno-unused-parameter -c
# under wit-bindgen's four codegen variants (default, --no-sig-flattening, --autodrop-borrows=yes,
# --async=all), exactly as upstream's crates/test/src/c.rs `verify` does. Cases upstream expects to fail
# for C (crates/test/src/c.rs should_fail_verify: `error-context` configs and named-fixed-length-list)
# must fail here too (generation or compilation). Generation must be deterministic (run twice, cmp).
#
# Then, with jco (wasm-tools' wit-component) as the oracle, for the synchronous-ABI variants (default,
# autodrop): the generated C is linked with weak trapping stubs for every guest-implemented function and
# the *_component_type.o (no gc, no wasm-opt, so every import wrapper stays), `jco new` must turn it into a
# component (it decodes the world from our component-type section and checks every core import/export
# name and signature against it) and `jco wit` must print every import/export of the world back. The
# (A fifth variant, --string-encoding=utf16, is ours: compile-only.) The --async=all variant is compile-only: the spec (CanonicalABI.md "canonopt Validation") only allows the
# async option on async function types, so upstream's output for sync functions is not a valid component
# either.
#
# Finally tests/cgen/e2e: a real C guest (guest.c) on bindings for e2e.wit becomes a component, jco
# transpiles it and node (host.mjs) calls its exports and serves its imports, checking every value.
set -u
BUILD=${BUILD:-build}
WITGEN=${WITGEN:-$BUILD/bin/wit-gen}
CORPUS=${CORPUS:-../shared/corpora/wit-bindgen-codegen}
CLANG=${CLANG:-clang}
pass=0; fail=0; skip=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
if [ ! -x "$WITGEN" ]; then echo "no $WITGEN"; echo "0 passed, 1 failed"; exit 1; fi
if [ ! -d "$CORPUS" ]; then echo "no corpus at $CORPUS"; echo "0 passed, 1 failed"; exit 1; fi
variants="default:|no-sig-flattening:--no-sig-flattening|autodrop:--autodrop-borrows=yes|async:--async=all|utf16:--string-encoding=utf16"
declare -A counts
for entry in "$CORPUS"/*; do
  base=$(basename "$entry")
  case "$base" in COMMIT|LICENSE*) continue;; esac
  if [ -d "$entry" ]; then path="$entry/wit"; [ -d "$path" ] || path="$entry"; else path="$entry"; fi
  expect_fail=0
  if [ -f "$entry" ] && grep -q '^//@ *error-context *= *true' "$entry"; then expect_fail=1; fi
  case "$base" in named-fixed-length-list.wit*) expect_fail=1;; esac
  IFS='|' read -ra vs <<< "$variants"
  for v in "${vs[@]}"; do
    vname=${v%%:*}; vopt=${v#*:}
    out="$tmp/$base-$vname"; mkdir -p "$out"
    ok=1; why=""
    if ! "$WITGEN" c "$path" --out-dir "$out" $vopt >"$out/gen.log" 2>&1; then ok=0; why="generate: $(head -c 300 "$out/gen.log")"; fi
    if [ $ok = 1 ]; then
      c=$(ls "$out"/*.c | head -1)
      if ! $CLANG --target=wasm32-wasi -Wall -Wextra -Werror -Wc++-compat -Wno-unused-parameter -c "$c" -I "$out" -o "$out/tmp.o" >"$out/cc.log" 2>&1; then
        ok=0; why="compile: $(grep -m3 error "$out/cc.log")"
      fi
    fi
    if [ $ok = 1 ] && [ "$vname" = default ]; then
      mkdir -p "$out/again"
      "$WITGEN" c "$path" --out-dir "$out/again" $vopt >/dev/null 2>&1
      for f in "$out"/*.h "$out"/*.c "$out"/*_component_type.o; do
        if ! cmp -s "$f" "$out/again/$(basename "$f")"; then ok=0; why="nondeterministic output: $(basename "$f")"; fi
      done
    fi
    if [ $expect_fail = 1 ]; then
      if [ $ok = 0 ]; then pass=$((pass+1)); counts[$vname]=$(( ${counts[$vname]:-0} + 1 )); echo "ok (expected failure) $vname $base";
      else fail=$((fail+1)); echo "FAIL $vname $base: upstream expects failure but it compiled"; fi
    elif [ $ok = 1 ]; then pass=$((pass+1)); counts[$vname]=$(( ${counts[$vname]:-0} + 1 ));
    else fail=$((fail+1)); echo "FAIL $vname $base: $why"; fi
  done
done
for v in default no-sig-flattening autodrop async utf16; do echo "variant $v: ${counts[$v]:-0} passed"; done

# ---- robustness: every world of the wit-parser UI corpus generates C that compiles; failing cases fail cleanly ----
UI=${UI:-../shared/corpora/wit-parser-ui}
upass=0
if [ -d "$UI" ]; then
  k=0
  for f in "$UI"/*.wit "$UI"/*/ "$UI"/parse-fail/*.wit "$UI"/parse-fail/*/; do
    [ -e "$f" ] || continue
    case "$f" in "$UI"/parse-fail/*) neg=1;; *) neg=0;; esac
    if [ $neg = 1 ]; then
      k=$((k+1)); d="$tmp/ui-$k"; mkdir -p "$d"
      timeout 20 "$WITGEN" c "$f" --out-dir "$d" >"$d/log" 2>&1; rc=$?
      if [ $rc = 1 ]; then pass=$((pass+1)); upass=$((upass+1)); else fail=$((fail+1)); echo "FAIL ui $f: exit $rc (want 1)"; fi
      continue
    fi
    worlds=$("$WITGEN" json "$f" 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{const r=JSON.parse(s);
      console.log(r.worlds.map(w=>{const m=/^([^:]+):([^@]+)(@.*)?$/.exec(r.packages[w.package].name);return `%${m[1]}:%${m[2]}/%${w.name}${m[3]??""}`}).join(" "))}catch(e){}})')
    for w in $worlds; do
      k=$((k+1)); d="$tmp/ui-$k"; mkdir -p "$d"
      timeout 20 "$WITGEN" c "$f" --world "$w" --out-dir "$d" >"$d/log" 2>&1; rc=$?
      if [ $rc != 0 ]; then fail=$((fail+1)); echo "FAIL ui $f world $w: exit $rc $(head -c 200 "$d/log")"; continue; fi
      c=$(ls "$d"/*.c | head -1)
      if $CLANG --target=wasm32-wasi -Wall -Wextra -Werror -Wc++-compat -Wno-unused-parameter -c "$c" -I "$d" -o "$d/x.o" >"$d/cc.log" 2>&1; then
        pass=$((pass+1)); upass=$((upass+1))
      else fail=$((fail+1)); echo "FAIL ui $f world $w: $(grep -m2 error "$d/cc.log")"; fi
    done
  done
else
  fail=$((fail+1)); echo "FAIL ui: no corpus at $UI"
fi
echo "wit-parser-ui worlds and parse-fail cases: $upass passed"

# ---- jco oracle: componentize and print back ----
JCO=${JCO:-scripts/npm/node_modules/.bin/jco}
jpass=0
if [ ! -x "$JCO" ] || ! command -v node >/dev/null; then
  echo "FAIL jco oracle: no $JCO or node"; fail=$((fail+1))
else
  : > "$tmp/jco-list"
  for entry in "$CORPUS"/*; do
    base=$(basename "$entry")
    case "$base" in COMMIT|LICENSE*|named-fixed-length-list.wit) continue;; esac
    if [ -f "$entry" ] && grep -q '^//@ *error-context *= *true' "$entry"; then continue; fi
    if [ -d "$entry" ]; then path="$entry/wit"; [ -d "$path" ] || path="$entry"; else path="$entry"; fi
    for vname in default autodrop; do
      out="$tmp/$base-$vname"
      h=$(ls "$out"/*.h 2>/dev/null | head -1)
      if [ -z "$h" ]; then fail=$((fail+1)); echo "FAIL jco $vname $base: no bindings"; continue; fi
      stem=$(basename "$h" .h)
      { echo "#include \"$stem.h\""
        grep -E '^[a-zA-Z_][a-zA-Z0-9_ *]* \**[a-zA-Z0-9_]+\(.*\);$' "$h" | grep -v '^extern\|^typedef' |
          sed 's/;$/ { __builtin_trap(); }/; s/^/__attribute__((weak)) /'; } > "$out/stubs.c"
      world=$(grep -a -o 'component-type:[A-Za-z0-9-]*' "$out/${stem}_component_type.o" | head -1 | cut -d: -f2)
      if ! $CLANG --target=wasm32-wasi -mexec-model=reactor -I "$out" -o "$out/core.wasm" "$out/$stem.c" "$out/stubs.c" \
           "$out/${stem}_component_type.o" -Wl,--no-gc-sections >"$out/link.log" 2>&1; then
        fail=$((fail+1)); echo "FAIL jco $vname $base: link: $(head -c 300 "$out/link.log")"; continue
      fi
      if ! "$WITGEN" json "$path" >"$out/resolve.json" 2>/dev/null; then
        fail=$((fail+1)); echo "FAIL jco $vname $base: wit-gen json failed"; continue
      fi
      echo "$out $world" >> "$tmp/jco-list"
    done
  done
  node tests/cgen/jco-batch.mjs < "$tmp/jco-list" > "$tmp/jco-out" 2>&1
  jpass=$(grep -c '^ok ' "$tmp/jco-out")
  jfail=$(( $(wc -l < "$tmp/jco-list") - jpass ))
  pass=$((pass+jpass)); fail=$((fail+jfail))
  grep -v '^ok ' "$tmp/jco-out" | sed "s|$tmp/||"
fi
echo "jco oracle (component new + wit): $jpass passed"

# ---- component-type encoding vs wit-component's own, world by world (see jco-embed-compare.mjs) ----
RT=${RT:-../shared/corpora/wit-bindgen-runtime-wit}
mkdir -p "$tmp/ec"
node tests/cgen/jco-embed-compare.mjs "$WITGEN" "$tmp/ec" "$CORPUS"/*.wit "$RT"/*/*.wit > "$tmp/ec.log" 2>&1
epass=$(grep -c '^ok ' "$tmp/ec.log"); efail=$(grep -c '^FAIL ' "$tmp/ec.log")
if [ "$epass" -lt 100 ]; then efail=$((efail+1)); echo "FAIL component-type compare: only $epass worlds compared"; fi
pass=$((pass+epass)); fail=$((fail+efail))
grep '^FAIL ' "$tmp/ec.log"
echo "component type identical to wit-component's: $epass worlds"

# ---- options: --type-section-suffix, --rename-world, --check, --features (WIT.md "Feature Gates") ----
o="$tmp/opts"; mkdir -p "$o/a" "$o/b" "$o/c" "$o/d" "$o/e"
printf 'package a:b;\nworld w {\n  @unstable(feature = foo)\n  import f: func(x: u32);\n}\n' > "$o/gated.wit"
why=""
if ! "$WITGEN" c tests/cgen/e2e/e2e.wit --out-dir "$o/a" --type-section-suffix -extra >/dev/null 2>&1 ||
   ! grep -a -q 'component-type:guest-extra' "$o/a/guest_component_type.o"; then why="--type-section-suffix"
elif ! "$WITGEN" c tests/cgen/e2e/e2e.wit --out-dir "$o/b" --rename-world my-guest >/dev/null 2>&1 || [ ! -f "$o/b/my_guest.h" ] ||
     ! grep -q '__BINDINGS_MY_GUEST_H' "$o/b/my_guest.h" || ! grep -a -q 'component-type:my-guest' "$o/b/my_guest_component_type.o"; then
  why="--rename-world"
elif ! "$WITGEN" c tests/cgen/e2e/e2e.wit --out-dir "$o/c" --check >/dev/null 2>&1 || [ -n "$(ls -A "$o/c")" ]; then why="--check wrote files"
elif "$WITGEN" c tests/cgen/e2e/e2e.wit --string-encoding latin9 >/dev/null 2>&1; [ $? != 2 ]; then why="bad option not a usage error"
elif ! "$WITGEN" c "$o/gated.wit" --out-dir "$o/d" >/dev/null 2>&1 || grep -q 'w_f(' "$o/d/w.h"; then why="gated import without --features"
elif ! "$WITGEN" c "$o/gated.wit" --features foo --out-dir "$o/e" >/dev/null 2>&1 || ! grep -q 'extern void w_f(uint32_t x);' "$o/e/w.h"; then
  why="--features foo did not keep the gated import"
fi
if [ -z "$why" ]; then pass=$((pass+1)); echo "options: ok"; else fail=$((fail+1)); echo "FAIL options: $why"; fi

# ---- end to end: a C guest, run under node via jco transpile ----
e2e="$tmp/e2e"; mkdir -p "$e2e"
why=""
if ! "$WITGEN" c tests/cgen/e2e/e2e.wit --out-dir "$e2e" >"$e2e/gen.log" 2>&1; then why="generate"
elif ! $CLANG --target=wasm32-wasi -mexec-model=reactor -O1 -Wall -Wextra -Werror -Wc++-compat -Wno-unused-parameter \
     -I "$e2e" -o "$e2e/core.wasm" tests/cgen/e2e/guest.c "$e2e/guest.c" "$e2e/guest_component_type.o" >"$e2e/cc.log" 2>&1; then
  why="compile: $(head -c 400 "$e2e/cc.log")"
elif ! "$JCO" new "$e2e/core.wasm" --wasi-reactor -o "$e2e/comp.wasm" >"$e2e/new.log" 2>&1; then why="jco new: $(head -c 400 "$e2e/new.log")"
elif ! "$JCO" wit "$e2e/comp.wasm" >"$e2e/wit.txt" 2>&1; then why="jco wit"
elif ! grep -q 'import wkit:e2e/host@0.1.0;' "$e2e/wit.txt" || ! grep -q 'export wkit:e2e/api@0.1.0;' "$e2e/wit.txt"; then
  why="world not printed back: $(cat "$e2e/wit.txt")"
else
  cp tests/cgen/e2e/hostimpl.js "$e2e/hostimpl.js"
  ln -sfn "$(pwd)/scripts/npm/node_modules" "$e2e/node_modules"
  if ! "$JCO" transpile "$e2e/comp.wasm" --name guest -o "$e2e/js" --map 'wkit:e2e/host@0.1.0=../hostimpl.js' >"$e2e/tr.log" 2>&1; then
    why="jco transpile: $(head -c 300 "$e2e/tr.log")"
  elif ! node tests/cgen/e2e/host.mjs "$e2e/js" >"$e2e/run.log" 2>&1; then why="run: $(grep -v '^ok' "$e2e/run.log" | head -5)"
  fi
fi
if [ -z "$why" ]; then pass=$((pass+1)); echo "e2e: $(grep -c '^ok' "$e2e/run.log") checks ok"; sed 's/^/  /' "$e2e/run.log"
else fail=$((fail+1)); echo "FAIL e2e: $why"; fi

# ---- wit-gen embed: the same guest linked without *_component_type.o, the section added afterwards ----
why=""
echo 'void __component_type_object_force_link_guest(void) {}' > "$e2e/force.c"
if ! $CLANG --target=wasm32-wasi -mexec-model=reactor -O1 -I "$e2e" -o "$e2e/plain.wasm" tests/cgen/e2e/guest.c "$e2e/guest.c" \
     "$e2e/force.c" >"$e2e/cc2.log" 2>&1; then why="compile: $(head -c 300 "$e2e/cc2.log")"
elif "$JCO" new "$e2e/plain.wasm" --wasi-reactor -o "$e2e/plain-comp.wasm" >/dev/null 2>&1; then why="jco new accepted a module without a world"
elif ! "$WITGEN" embed tests/cgen/e2e/e2e.wit --world guest "$e2e/plain.wasm" -o "$e2e/emb.wasm" >"$e2e/emb.log" 2>&1; then
  why="embed: $(cat "$e2e/emb.log")"
elif ! "$JCO" new "$e2e/emb.wasm" --wasi-reactor -o "$e2e/emb-comp.wasm" >"$e2e/new2.log" 2>&1; then why="jco new: $(head -c 300 "$e2e/new2.log")"
elif ! "$JCO" wit "$e2e/emb-comp.wasm" >"$e2e/wit2.txt" 2>&1 || ! cmp -s "$e2e/wit.txt" "$e2e/wit2.txt"; then
  why="printed world differs from the linked one"
fi
if [ -z "$why" ]; then pass=$((pass+1)); echo "embed: ok"; else fail=$((fail+1)); echo "FAIL embed: $why"; fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
