#!/usr/bin/env bash
# wrun's start-up libraries (issue 13): wrun must not load libcurl,
# libmicrohttpd (both dlopen'ed on first use: lib/wasi/curl_lib.c,
# cmd/run/mhd_lib.c), OpenSSL (libcrypto dlopen'ed by lib/base/sha256.c) nor
# what they pull in (gnutls) at process start. Linking them once made a
# hello-world run cost 14.7M instead of 1.5M instructions. Checks `ldd wrun`,
# that the unit tests and the spec runner (when built) link no HTTP library,
# and that a core hello world still runs.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
WRUN=$PWD/$BUILD/bin/wrun
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

if [ ! -x "$WRUN" ] || ! deps=$(ldd "$WRUN" 2>&1); then
  bad "ldd $WRUN: ${deps:-not built}"
  echo "$pass passed, $fail failed"
  exit 1
fi
for lib in libcurl libmicrohttpd libssl libcrypto libgnutls libarchive; do
  if grep -q "$lib" <<<"$deps"; then bad "wrun loads $lib at start-up: $(grep "$lib" <<<"$deps" | head -1)"; else ok; fi
done

# the unit tests and the spec runner link no HTTP library either
n=0
for b in "$BUILD"/tests/test_* "$BUILD"/tests/spec-runner; do
  [ -x "$b" ] || continue
  n=$((n + 1))
  d=$(ldd "$b" 2>&1)
  if grep -qE "libcurl|libmicrohttpd" <<<"$d"; then bad "$(basename "$b") links $(grep -oE 'libcurl[^ ]*|libmicrohttpd[^ ]*' <<<"$d" | head -1)"; else ok; fi
done
[ "$n" -gt 0 ] || echo "note: no unit test or spec runner built; only wrun checked"

# the libraries are found when needed: hello world runs (core module, no HTTP)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '(module (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1) (data (i32.const 16) "hello\\n")
  (func (export "_start") (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 6))
    (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))\n' >"$tmp/h.wat"
out=$("$WRUN" "$tmp/h.wat" 2>&1)
if [ "$out" == "hello" ]; then ok; else bad "wrun hello: got [$out]"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
