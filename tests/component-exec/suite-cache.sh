#!/usr/bin/env bash
# wrun --cache on components: the group index (lib/interp/cache.c "group indexes",
# <cache>/*.wkg) that lets a cached component start without hashing its modules.
# Observable: a run that hits the index never loads libcrypto (the module keys are SHA-256 from
# libcrypto, loaded on first use), seen with LD_DEBUG=libs; every run must still print the
# program's output. Cases: first run (entries + index written), second run (hit, no libcrypto),
# index with a changed container byte / truncated / a module entry deleted / other settings
# (--fuel): each a miss that still runs right and repairs the index, and two components in one
# cache dir. Components: hello-c (jco new, tests/component/build-real.sh) and the same core
# module through `wcompose new` (wkit's built-in preview1 adapter) when wcompose is built.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
W=$BUILD/bin/wrun
WC=$BUILD/bin/wcompose
OUT=$BUILD/tests/component-real
T=$BUILD/tests/component-cache
rm -rf "$T"; mkdir -p "$T"
pass=0; fail=0; skip=0
ok() { pass=$((pass+1)); echo "ok   $*"; }
bad() { fail=$((fail+1)); echo "FAIL $*"; }
[ -x "$W" ] || { echo "$W not built"; echo "0 passed, 1 failed"; exit 1; }
bash tests/component/build-real.sh hello-c || bad "build hello-c"
comps=("$OUT/hello-c.wasm")
if [ -x "$WC" ] && "$WC" new "$OUT/hello.core.wasm" -o "$T/hello-w.wasm" 2>"$T/wc.err"; then
  comps+=("$T/hello-w.wasm")
else
  skip=$((skip+1)); echo "skip wcompose new hello.core.wasm: $(head -c 200 "$T/wc.err" 2>/dev/null)"
fi
WANT='hello 1 -'
# run NAME CACHE WANT-CRYPTO(0|1) ARGS...: output must be $WANT; libcrypto loaded iff WANT-CRYPTO
run() {
  local name=$1 cache=$2 crypto=$3; shift 3
  LD_DEBUG=libs "$W" --cache "$cache" "$@" >"$T/out" 2>"$T/err"; local rc=$?
  local got=0; grep -q 'calling init: .*libcrypto' "$T/err" && got=1
  if [ $rc -eq 0 ] && [ "$(cat "$T/out")" = "$WANT" ] && [ $got -eq "$crypto" ]; then ok "$name"
  else bad "$name: exit $rc, stdout $(head -c 100 "$T/out"), libcrypto loaded $got (want $crypto)"; fi
}
for f in "${comps[@]}"; do
  n=$(basename "$f" .wasm); C=$T/cache-$n
  run "$n: first run writes the entries" "$C" 1 "$f"
  g=$(ls "$C"/*.wkg 2>/dev/null)
  if [ "$(echo "$g" | grep -c wkg)" = 1 ] && [ "$(ls "$C"/*.wkc | wc -l)" -ge 2 ]; then ok "$n: one group index, $(ls "$C"/*.wkc | wc -l) module entries"
  else bad "$n: cache dir holds $(ls "$C" | tr '\n' ' ')"; continue; fi
  run "$n: second run loads every module through the index (no hashing)" "$C" 0 "$f"
  # a changed byte of the stored container: compared, so a miss (then the index is rewritten)
  python3 - "$g" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read()); b[-100] ^= 0x40; open(p, 'wb').write(b)
PY
  run "$n: index whose container copy differs is a miss" "$C" 1 "$f"
  run "$n: ... and was rewritten (hit again)" "$C" 0 "$f"
  head -c 100 "$g" >"$g.t" && mv "$g.t" "$g"
  run "$n: truncated index is a miss" "$C" 1 "$f"
  run "$n: ... rewritten" "$C" 0 "$f"
  rm -f "$(ls -S "$C"/*.wkc | head -1)"
  run "$n: index naming a deleted module entry falls back" "$C" 1 "$f"
  run "$n: ... entry and index back" "$C" 0 "$f"
  run "$n: other settings (--fuel) do not use the index" "$C" 1 --fuel 100000000 "$f"
  run "$n: ... and get their own" "$C" 0 --fuel 100000000 "$f"
  run "$n: the plain one is still there" "$C" 0 "$f"
done
# a component that differs from hello-c in one byte the index locator does not sample (a letter
# in the core module's .debug_str custom section): same index file name, so only the byte comparison tells them apart
V=$T/hello-c-v.wasm
if python3 - "${comps[0]}" "$V" <<'PY'
import sys
b = bytearray(open(sys.argv[1], 'rb').read()); n = len(b)
BLK, NBLK = 256, 256  # lib/interp/cache.c group_sample_digest
step = (n - BLK) // (NBLK - 1)
starts = [n - BLK if i == NBLK - 1 else i * step for i in range(NBLK)]
sampled = lambda p: n <= BLK * NBLK or any(s <= p < s + BLK for s in starts)
at = b.find(b'.debug_str')  # a custom section of the core module (clang's DWARF strings)
for p in range(at + 11, min(n, at + 4000)):
    if 0x61 <= b[p] <= 0x7a and not sampled(p):
        b[p] = b[p] - 0x20 if b[p] != 0x7a else 0x79; open(sys.argv[2], 'wb').write(b); sys.exit(0)
sys.exit(1)
PY
then
  C=$T/cache-variant
  run "variant: hello-c fills the index" "$C" 1 "${comps[0]}"
  run "variant: one unsampled byte changed: same index file, compared: a miss" "$C" 1 "$V"
  [ "$(ls "$C"/*.wkg | wc -l)" = 1 ] && ok "variant: the two share one index file name" || bad "variant: $(ls "$C" | tr '\n' ' ')"
  run "variant: hello-c again: a miss (its index was replaced), never the variant's" "$C" 1 "${comps[0]}"
  run "variant: hello-c hits once more" "$C" 0 "${comps[0]}"
else
  skip=$((skip+1)); echo "skip variant: no unsampled letter in .debug_str"
fi
if [ ${#comps[@]} -ge 2 ]; then
  S=$T/cache-shared
  run "two components in one cache dir: first" "$S" 1 "${comps[0]}"
  run "two components in one cache dir: second (main module entry shared)" "$S" 1 "${comps[1]}"
  run "two components in one cache dir: first hits" "$S" 0 "${comps[0]}"
  run "two components in one cache dir: second hits" "$S" 0 "${comps[1]}"
  [ "$(ls "$S"/*.wkg | wc -l)" = 2 ] && ok "two components: two group indexes" || bad "two components: $(ls "$S" | tr '\n' ' ')"
fi
# a cache dir whose parents are missing (README's `--cache ~/.cache/wkit` on a fresh home) is
# created with them (man wrun: "created if missing"), so the second run hits
D=$T/no/such/parents/cache
run "--cache DIR with missing parents: first run" "$D" 1 "${comps[0]}"
run "--cache DIR with missing parents: created with its parents, the second run hits" "$D" 0 "${comps[0]}"
# a cache "dir" that cannot be one (a file) only loses the caching: the program still runs
: >"$T/a-file"
run "--cache naming a file: the program runs uncached" "$T/a-file" 1 "${comps[0]}"
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
