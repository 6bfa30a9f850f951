#!/usr/bin/env bash
# Installs every build and test dependency of wkit on Debian 12. Idempotent:
# run it again at any time; it installs only what is missing.
#   apt: compiler toolchains (gcc, clang, lld, wasi-libc for wasm32-wasi guests),
#        libraries (OpenSSL 3, cJSON, libarchive, cmocka, libcurl, libmicrohttpd),
#        peers (wabt, binaryen), curl and wrk (wrun serve tests and benchmark),
#        skopeo and umoci (oracles for the OCI archives of `wcompose oci`),
#        podman (end to end of `wrun oci` as its runtime: tests/oci/suite-ociruntime.sh).
#   npm: peer tools and real programs for tests (scripts/npm/package.json), into
#        scripts/npm/node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

APT_PKGS=(build-essential make pkg-config git ca-certificates
  clang lld llvm wasi-libc libclang-rt-14-dev-wasm32 libclang-rt-14-dev
  libssl-dev openssl libcjson-dev libarchive-dev libcmocka-dev
  wabt binaryen valgrind hyperfine rustc python3 man-db
  libmicrohttpd-dev libcurl4-openssl-dev curl wrk skopeo umoci podman netavark)

missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js 18+ with npm: keep whatever node is installed (it may come with its own npm).
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs npm); fi
if ! command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then missing+=(npm); fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Rust's wasm32-wasi standard library, when Debian has it (used by the WASI interop tests).
if ! dpkg-query -W -f='${Status}' libstd-rust-dev-wasm32 2>/dev/null | grep -q "install ok installed"; then
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libstd-rust-dev-wasm32 >/dev/null 2>&1 \
    || echo "setup: note: libstd-rust-dev-wasm32 not available; Rust guest tests will report it"
fi

# npm peers: reinstall only when package.json changed.
stamp=scripts/npm/node_modules/.wkit-stamp
want=$(sha256sum scripts/npm/package.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing npm peers"
  (cd scripts/npm && npm install --no-audit --no-fund --loglevel=error >/dev/null)
  echo "$want" >"$stamp"
fi
echo "setup: done"
