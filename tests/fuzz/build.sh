#!/usr/bin/env bash
# Link the libFuzzer targets and gather their seed corpora.
#
#   BUILD=DIR bash tests/fuzz/build.sh [NAME...]
#
# Expects the libraries in $BUILD/lib built with clang and
# -fsanitize=fuzzer-no-link,address,undefined (`make fuzz` does that), and
# links every tests/fuzz/fuzz_NAME.c (or only the NAMEs given) into
# $BUILD/fuzz/fuzz_NAME with -fsanitize=fuzzer,address,undefined.
#
# Seeds (never committed; from ../shared/corpora, generated once and cached
# under $BUILD/fuzz):
#   seeds-core, seeds-engine   spec-core-2.0 modules (tests/spec/convert.sh); seeds-engine
#                              also the 3.0 ones of build/spec3-json (multi-memory, memory64)
#   seeds-component            component-model-validation binaries
#                              (../shared/tools/component-validation-wasm.mjs)
#   seeds-wit                  .wit files of wit-parser-ui, wit-bindgen-*
#   seeds-wat                  WAT modules/components: the forms of the spec 2.0
#                              and component validation .wast scripts, the
#                              wit-component / wasm-compose .wat files, the
#                              printed validation snapshots
#   seeds-sign                 spec modules and components, plain, signed,
#                              split+signed and detached-signed with wsign
#   seeds-sections             core + component seeds
#   seeds-wac                  .wac files of wac's test corpus
#   seeds-instantiate          component seeds + the component-model-execution modules +
#                              tests/fuzz/seeds-wasi (wasi:* / wasi:http imports, right and mistyped)
# Seeds are deduplicated by content and capped at 64 KiB (the targets run with
# -max_len=65536). Exit status 1 if a target fails to link; a seed source that
# cannot be generated is reported and leaves that seed set smaller.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build-fuzz}
CLANG=${CLANG:-clang}
out=$BUILD/fuzz
mkdir -p "$out"
corpora=../shared/corpora
LIBNAMES="wasi compose component bindgen interp sign witparse encode canonabi base" # the Makefile's link order
SYSLIBS="-lssl -lcrypto -lcjson -larchive -lm -lpthread"
FLAGS="-std=gnu11 -O1 -g -Wall -Wextra -Wno-unused-parameter -Ilib -D_GNU_SOURCE -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined"

libs=()
for l in $LIBNAMES; do
  a=$BUILD/lib/libwk_$l.a
  if [ ! -f "$a" ]; then echo "build.sh: missing $a (run make fuzz)" >&2; exit 1; fi
  libs+=("$a")
done

if [ $# -gt 0 ]; then names=("$@"); else
  names=()
  for f in tests/fuzz/fuzz_*.c; do n=${f#tests/fuzz/fuzz_}; names+=("${n%.c}"); done
fi

rc=0
for n in "${names[@]}"; do
  src=tests/fuzz/fuzz_$n.c bin=$out/fuzz_$n
  if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ] || [ tests/fuzz/fuzz_check.h -nt "$bin" ] ||
     [ -n "$(find "${libs[@]}" -newer "$bin" 2>/dev/null)" ]; then
    echo "link $bin"
    # shellcheck disable=SC2086
    $CLANG $FLAGS -o "$bin" "$src" "${libs[@]}" $SYSLIBS || { echo "build.sh: FAILED to link $n" >&2; rc=1; }
  fi
done

# ---- seeds ---------------------------------------------------------------
add_seeds() { # DIR FILE... : copy files <= 64 KiB under their content hash
  local dir=$1; shift
  mkdir -p "$dir"
  local f
  for f in "$@"; do
    [ -f "$f" ] || continue
    [ "$(stat -c %s "$f")" -le 65536 ] || continue
    cp "$f" "$dir/$(sha1sum < "$f" | cut -c1-40)"
  done
}
add_seed_list() { # DIR < list of files (one per line)
  local dir=$1 f
  mkdir -p "$dir"
  while IFS= read -r f; do add_seeds "$dir" "$f"; done
}

# core modules: the spec 2.0 conversion (cached by convert.sh itself)
if [ ! -f "$out/.seeds-core" ]; then
  if bash tests/spec/convert.sh "$BUILD/spec-json" > "$out/convert.log" 2>&1; then :; else
    echo "build.sh: tests/spec/convert.sh reported failures (see $out/convert.log); using what it produced" >&2
  fi
  find "$BUILD/spec-json" -name '*.wasm' | sort | add_seed_list "$out/seeds-core"
  rm -rf "$out/seeds-engine"; cp -r "$out/seeds-core" "$out/seeds-engine"
  # the 3.0 features lib/interp runs (wk_config_default): tail calls, extended constants, relaxed SIMD
  # (relaxed_dot_product.wast: wabt 1.0.32 cannot read its names; tests/spec3/exec has both dot products)
  c3=$corpora/spec-core-3.0
  bash tests/spec3/convert3.sh "$out/spec3-json" tail-call,extended-const,relaxed-simd,exceptions \
    "$c3/return_call.wast" "$c3/return_call_indirect.wast" "$c3/data.wast" "$c3/i8x16_relaxed_swizzle.wast" \
    "$c3/i32x4_relaxed_trunc.wast" "$c3/relaxed_madd_nmadd.wast" "$c3/relaxed_laneselect.wast" \
    "$c3/relaxed_min_max.wast" "$c3/i16x8_relaxed_q15mulr_s.wast" \
    tests/spec3/exec/*.wast >> "$out/convert.log" 2>&1 || true
  # GC (on in wk_config_default): the spec-core-3.0 GC files (wasm-tools' parser: wabt reads none)
  bash tests/spec3/convert3.sh "$out/spec3-json" - "$c3"/{array,array_copy,array_fill,array_init_data,array_init_elem,array_new_data,array_new_elem,br_on_cast,br_on_cast_fail,extern,i31,ref_cast,ref_eq,ref_test,struct,type-subtyping}.wast >> "$out/convert.log" 2>&1 || true
  # legacy exception handling (on in wk_config_default): legacy/*.wast, also decoder seeds
  bash tests/spec3/convert3.sh "$out/spec3-json/legacy" exceptions,tail-call "$c3"/legacy/*.wast >> "$out/convert.log" 2>&1 || true
  find "$out/spec3-json/legacy" -name '*.wasm' | sort | add_seed_list "$out/seeds-core"
  find "$out/spec3-json" -name '*.wasm' | sort | add_seed_list "$out/seeds-engine"
  touch "$out/.seeds-core"
fi
# GC (WK_FEAT_GC, in WK_FEAT_ALL: fuzz_core decodes, validates and re-encodes with it): the GC
# files of tests/spec3/features.sh as binary seeds for fuzz_core, their text forms for fuzz_wat
if [ ! -f "$out/.seeds-gc" ]; then
  C=$corpora/spec-core-3.0
  declare -A FILES FLAGS
  . tests/spec3/features.sh
  gcw=()
  for n in ${FILES[gc]}; do gcw+=("$C/$n.wast"); done
  bash tests/spec3/convert3.sh "$out/spec3-json/gc" - "${gcw[@]}" >> "$out/convert.log" 2>&1 || true
  find "$out/spec3-json/gc" -name '*.wasm' | sort | add_seed_list "$out/seeds-core"
  python3 tests/fuzz/wast-forms.py "$out/seeds-wat" "${gcw[@]}" > /dev/null ||
    echo "build.sh: wast-forms.py failed on the GC files" >&2
  touch "$out/.seeds-gc"
fi
# engine: also the 3.0 modules fuzz_engine runs with its features on (multi-memory, memory64,
# table64): those tests/spec3/suite-spec3-exec.sh converted in the regular build (SPEC3_JSON,
# default build/spec3-json), when it has run
spec3=${SPEC3_JSON:-build/spec3-json}
if [ ! -f "$out/.seeds-engine3" ] && [ -d "$spec3" ]; then
  find "$spec3" -name '*.wasm' | sort | add_seed_list "$out/seeds-engine"
  touch "$out/.seeds-engine3"
fi

# components: the validation corpus binaries
if [ ! -f "$out/.seeds-component" ]; then
  cv=$out/component-val
  rm -rf "$cv"; mkdir -p "$cv"
  export JCO_WT=${JCO_WT:-$PWD/scripts/npm/node_modules/@bytecodealliance/jco-transpile/dist/wasm-tools.js}
  files=$(cd "$corpora/component-model-validation/wast" && find . -name '*.wast' | sed 's|^\./||' | sort)
  # shellcheck disable=SC2086
  if (cd "$corpora/component-model-validation" &&
      WAST_STRICT_COMPONENT_INDICES=0 node ../../tools/component-validation-wasm.mjs wast snapshots "$OLDPWD/$cv" $files) \
      > "$out/component-gen.log" 2>&1; then :; else
    echo "build.sh: component corpus generation failed (see $out/component-gen.log)" >&2
  fi
  find "$cv" -name '*.wasm' | sort | add_seed_list "$out/seeds-component"
  touch "$out/.seeds-component"
fi

# WIT text
if [ ! -f "$out/.seeds-wit" ]; then
  find "$corpora/wit-parser-ui" "$corpora/wit-bindgen-codegen" "$corpora/wit-bindgen-runtime-wit" \
    -name '*.wit' 2>/dev/null | sort | add_seed_list "$out/seeds-wit"
  touch "$out/.seeds-wit"
fi

# WAT text: the module and component forms of the spec-core-2.0 and
# component-model-validation scripts (tests/fuzz/wast-forms.py), the .wat inputs
# of the wit-component and wasm-compose cases, the printed validation snapshots
if [ ! -f "$out/.seeds-wat" ]; then
  # shellcheck disable=SC2046
  python3 tests/fuzz/wast-forms.py "$out/seeds-wat" \
    $(find "$corpora/spec-core-2.0" "$corpora/spec-core-3.0/legacy" "$corpora/component-model-validation/wast" -name '*.wast' -type f | sort) \
    > /dev/null || echo "build.sh: wast-forms.py failed: seeds-wat has no .wast forms" >&2
  find "$corpora/wit-component" "$corpora/wasm-compose" -name '*.wat' 2>/dev/null | sort | add_seed_list "$out/seeds-wat"
  find "$corpora/component-model-validation/snapshots" -name '*.print' 2>/dev/null | sort | add_seed_list "$out/seeds-wat"
  touch "$out/.seeds-wat"
fi

# signatures: a sample of modules/components, signed every way wsign can
if [ ! -f "$out/.seeds-sign" ]; then
  wsign=""
  for w in "$BUILD/bin/wsign" "${WSIGN:-}"; do [ -n "$w" ] && [ -x "$w" ] && { wsign=$w; break; }; done
  sd=$out/seeds-sign
  mkdir -p "$sd"
  tmp=$out/sign-tmp
  rm -rf "$tmp"; mkdir -p "$tmp"
  sample=$( (find "$out/seeds-core" -type f | sort | awk 'NR % 40 == 1'; \
             find "$out/seeds-component" -type f | sort | awk 'NR % 20 == 1') )
  # shellcheck disable=SC2086
  add_seeds "$sd" $sample
  if [ -n "$wsign" ]; then
    # ASan builds of wsign: leaks at exit are not what we are collecting here
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
    "$wsign" keygen -q -a ed25519 -o "$tmp/ed.pem" && "$wsign" keygen -q -a ecdsa-p256 -o "$tmp/ec.pem"
    i=0
    for f in $sample; do
      i=$((i + 1))
      "$wsign" sign -q -k "$tmp/ed.pem" "$f" -o "$tmp/s1.wasm" 2>/dev/null || continue
      "$wsign" sign -q -k "$tmp/ec.pem" "$tmp/s1.wasm" -o "$tmp/s2.wasm" 2>/dev/null
      "$wsign" sign -q -k "$tmp/ed.pem" "$f" --detached "$tmp/d.sig" 2>/dev/null
      "$wsign" split -q -p . "$f" -o "$tmp/sp.wasm" 2>/dev/null &&
        "$wsign" sign -q -k "$tmp/ed.pem" "$tmp/sp.wasm" -o "$tmp/sp1.wasm" 2>/dev/null
      add_seeds "$sd" "$tmp/s1.wasm" "$tmp/s2.wasm" "$tmp/d.sig" "$tmp/sp1.wasm"
      rm -f "$tmp"/*.wasm "$tmp/d.sig"
    done
  else
    echo "build.sh: no wsign binary ($BUILD/bin/wsign or \$WSIGN): seeds-sign has unsigned inputs only" >&2
  fi
  rm -rf "$tmp"
  touch "$out/.seeds-sign"
fi

# canonical ABI (fuzz_cabi): no corpus to take inputs from; a few type descriptions
# (list<string>, record, variant, option<f64>, flags, own) followed by options and memory
if [ ! -f "$out/.seeds-cabi" ]; then
  mkdir -p "$out/seeds-cabi"
  i=0
  for s in '\x0d\x0c\x00\x01\x02\x03\x04\x08\x00\x00\x00\x02\x00\x00\x00' \
           '\x4f\x0c\x07\x02\x00\x00\x00\x00\x00\x10\x00\x00\x00\x03\x00\x00\x00' \
           '\x51\x00\x0a\x01\x0c\x00\x02\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00' \
           '\x14\x0a\x01\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\xf8\x7f' \
           '\x13\x05\x00\x00\x00\x00\x00\x15' '\x37\x00\x01\x02\x03\x04\x01\x00\x00\x00'; do
    i=$((i + 1)); printf "$s" > "$out/seeds-cabi/seed$i"
  done
  touch "$out/.seeds-cabi"
fi
# WAVE calls (fuzz_wave): a parameter-list byte, then a call as `wrun --invoke` takes it
if [ ! -f "$out/.seeds-wave" ]; then
  mkdir -p "$out/seeds-wave"
  i=0
  for s in '\x00f()' '\x01ns:pkg/iface.f@1.2.3(1, some(2), "x",) // c' '\x01f (7)' \
           '\x02g("""\n  a""\\""b\n  """, [-1, 2], '"'"'\\u{1f600}'"'"', -0.5e3, true)' \
           '\x03ns:pkg/i@0.2.0-rc.1#h({a: 1}, %none, right, {read, Z}, ok((1, nan)))' \
           '\x04x.y(["a"], some(none), [{a: 0, b-c: 9}, {:}])'; do
    i=$((i + 1)); printf "$s" > "$out/seeds-wave/seed$i"
  done
  touch "$out/.seeds-wave"
fi
# WAC text: the .wac files of wac's test corpus
if [ ! -f "$out/.seeds-wac" ]; then
  find "$corpora/wac" -name '*.wac' 2>/dev/null | sort | add_seed_list "$out/seeds-wac"
  touch "$out/.seeds-wac"
fi

# running components (fuzz_instantiate): the validation binaries and the modules of the
# execution corpus (converted by ../shared/tools/component-wast2json.mjs)
if [ ! -f "$out/.seeds-instantiate" ]; then
  ce=$out/component-exec
  rm -rf "$ce"; mkdir -p "$ce"
  export JCO_WT=${JCO_WT:-$PWD/scripts/npm/node_modules/@bytecodealliance/jco-transpile/dist/wasm-tools.js}
  for f in $(find "$corpora/component-model-execution/wast" -name '*.wast' | sort); do
    node ../shared/tools/component-wast2json.mjs "$ce" "$f" >> "$out/component-exec.log" 2>&1 ||
      echo "build.sh: cannot convert $f (see $out/component-exec.log)" >&2
  done
  mkdir -p "$out/seeds-instantiate"
  cp "$out"/seeds-component/* "$out/seeds-instantiate/" 2>/dev/null
  find "$ce" -name '*.wasm' | sort | add_seed_list "$out/seeds-instantiate"
  touch "$out/.seeds-instantiate"
fi

# declared WASI host types (fuzz_instantiate): real components' wasi:* and wasi:http imports,
# right and mistyped (tests/fuzz/seeds-wasi/*.wat, tests/component-exec/data/wasi-mistyped.wat),
# converted by this build's tests/tools/wat-comp-parse (`make fuzz` builds it)
if [ ! -f "$out/.seeds-instantiate-wasi" ]; then
  wcp=$BUILD/tests/tools/wat-comp-parse
  if [ -x "$wcp" ]; then
    for f in tests/fuzz/seeds-wasi/*.wat tests/component-exec/data/wasi-mistyped.wat; do
      ASAN_OPTIONS=detect_leaks=0 "$wcp" "$f" "$out/wasi-seed.wasm" >/dev/null &&
        add_seeds "$out/seeds-instantiate" "$out/wasi-seed.wasm"
    done
    rm -f "$out/wasi-seed.wasm"
    touch "$out/.seeds-instantiate-wasi"
  else
    echo "build.sh: no $wcp (make fuzz builds it): seeds-instantiate has no wasi:* seeds" >&2
  fi
fi

if [ ! -f "$out/.seeds-sections" ]; then
  mkdir -p "$out/seeds-sections"
  cp "$out"/seeds-core/* "$out"/seeds-component/* "$out"/seeds-sign/* "$out/seeds-sections/" 2>/dev/null
  touch "$out/.seeds-sections"
fi

for n in "${names[@]}"; do
  d=$out/seeds-$n
  printf 'fuzz_%-10s seeds: %s\n' "$n" "$(find "$d" -type f 2>/dev/null | wc -l)"
done
exit $rc
