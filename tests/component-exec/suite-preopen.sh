#!/usr/bin/env bash
# The Rust program (tests/component/data/hello.rs, preview1 + jco's command adapter, built by
# tests/component/build-real.sh hello-rs) reading a preopened directory and environment
# variables: `wrun --env --dir` must print byte for byte what `jco run` prints (stdout, stderr,
# exit status), whole output compared, the sorted `entries:` listing included. Both runners get
# the same grants and nothing else: jco run through a --jco-import module that replaces the
# shim's environment (_setEnv) and preopens (_setPreopens) with exactly what wrun is given.
# Cases (HELLO_DIR names the directory the program reads):
#   /data       input.txt lines, entries "input.txt other sub/", sub/note.txt's size, a `..`
#               escape refused
#   /data/sub   files missing inside the preopen (NotFound), a one-entry listing
#   /elsewhere  a directory outside every preopen: every access refused, the same error kinds
#   /odd        (wrun only) a file name that is not UTF-8: no trap, exit 0
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
W=$PWD/$BUILD/bin/wrun
NM=$PWD/scripts/npm/node_modules
JCO=$NM/.bin/jco
OUT=$BUILD/tests/component-real
pass=0; fail=0
ok() { pass=$((pass+1)); echo "ok   $*"; }
bad() { fail=$((fail+1)); echo "FAIL $*"; }
[ -x "$W" ] || { echo "$W not built"; echo "0 passed, 1 failed"; exit 1; }
[ -x "$JCO" ] || { echo "no jco ($JCO: scripts/setup.sh installs it)"; echo "0 passed, 1 failed"; exit 1; }
bash tests/component/build-real.sh hello-rs || bad "build hello-rs"
f=$PWD/$OUT/hello-rs.wasm
T=$(mktemp -d /tmp/wk-preopen.XXXXXX)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/data/sub"
printf 'first line\nsecond line, \303\274n\303\257code\nthird\n' >"$T/data/input.txt"
echo note >"$T/data/sub/note.txt"
echo x >"$T/data/other"
echo secret >"$T/escape.txt"
ln -sfn "$NM" "$T/node_modules"
cat >"$T/grants.mjs" <<'JS'
import { _setEnv } from '@bytecodealliance/preview2-shim/cli';
import { _setPreopens } from '@bytecodealliance/preview2-shim/filesystem';
_setEnv({ HOME: '/home/wk', HELLO_DIR: process.env.HELLO_GUEST_DIR });
_setPreopens({ '/data': process.env.HELLO_HOST_DIR });
JS
run_case() { # HELLO_DIR WANT-STDOUT-LINE
  local dir=$1 want=$2 n jrc wrc
  n=$(echo "$dir" | tr / _)
  [ -f "$f" ] || { bad "hello-rs HELLO_DIR=$dir: not built"; return; }
  (cd "$T" && HELLO_GUEST_DIR=$dir HELLO_HOST_DIR=$T/data timeout 120 "$JCO" run --jco-import ./grants.mjs "$f" one 'two words' \
     >"$n.jco.out" 2>"$n.jco.err"); jrc=$?
  (cd "$T" && timeout 60 "$W" --env HOME=/home/wk --env HELLO_DIR="$dir" --dir data::/data "$f" one 'two words' \
     >"$n.wrun.out" 2>"$n.wrun.err"); wrc=$?
  if [ $jrc -eq $wrc ] && [ -s "$T/$n.jco.out" ] && grep -qxF -- "$want" "$T/$n.wrun.out" &&
     cmp -s "$T/$n.jco.out" "$T/$n.wrun.out" && cmp -s "$T/$n.jco.err" "$T/$n.wrun.err"; then
    ok "hello-rs HELLO_DIR=$dir: wrun prints what jco run prints (exit $wrc, $(wc -l <"$T/$n.wrun.out") stdout + $(wc -l <"$T/$n.wrun.err") stderr lines, '$want')"
  else
    bad "hello-rs HELLO_DIR=$dir: jco run exit $jrc vs wrun exit $wrc (want the line '$want')"
    diff "$T/$n.jco.out" "$T/$n.wrun.out" | head -8; diff "$T/$n.jco.err" "$T/$n.wrun.err" | head -4
  fi
}
run_case /data 'entries: 3 input.txt other sub/'
run_case /data/sub 'entries: 1 note.txt'
run_case /elsewhere 'hello 3 /home/wk'
# the escape target exists on the host next to the preopen, yet neither runner reads it
if grep -qxF '/data/../escape.txt: refused' "$T/_data.wrun.out" && ! grep -q secret "$T/_data.wrun.out"; then
  ok "hello-rs: /data/../escape.txt (present on the host) refused"
else bad "hello-rs: the .. escape was not refused: $(grep escape "$T/_data.wrun.out")"; fi
# a host file name that is not UTF-8 cannot be a WIT string: read-directory-entry answers that
# entry with error-code::illegal-byte-sequence (wasmtime-wasi's ReaddirError::IllegalSequence,
# the listing ends there for std's ReadDir through the adapter), it must not trap the guest
mkdir -p "$T/odd"
echo x >"$T/odd/"$'name\xff'
(cd "$T" && timeout 60 "$W" --env HELLO_DIR=/odd --dir odd::/odd "$f" >odd.out 2>odd.err); rc=$?
if [ $rc -eq 0 ] && grep -q '^entries: ' "$T/odd.out" && grep -qxF 'time true true' "$T/odd.out" && ! grep -q trap "$T/odd.err"; then
  ok "hello-rs: a directory holding a non-UTF-8 file name is listed without a trap (exit 0, $(grep '^entries' "$T/odd.out"))"
else bad "hello-rs: a non-UTF-8 file name in a listed directory: exit $rc, $(head -c 300 "$T/odd.err")"; fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
