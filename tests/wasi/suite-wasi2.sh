#!/usr/bin/env bash
# WASI 0.2 host suite: components run by wrun on lib/wasi's 0.2 host.
#
# Programs: tests/wasi/progs/*.c (the preview1 suite's programs) built with
# clang --target=wasm32-wasi and turned into components by `jco new` with the
# preview1 command adapter jco ships, so every libc call goes through the
# adapter into wasi:cli/io/clocks/random/filesystem; plus hello-c and
# hello-rs of tests/component/build-real.sh.
#
# Oracles:
#  - `jco run` (node's preview2-shim) for hello-c/hello-rs: same stdout and
#    exit status (jco run has no --dir/--env: the guest sees node's
#    environment and `/` as a preopen, so wrun is given --env HOME and
#    --dir /::/::ro to match);
#  - the same core program under wrun's preview1 host (tests/wasi/suite-wasi.sh
#    checks that one against node): same stdout, exit status and resulting
#    tree, except where WASI 0.2 defines another error code (a sandbox escape
#    is error-code not-permitted, which the adapter reports as EPERM 63,
#    where preview1 says ENOTCAPABLE 76);
#  - the sandbox rules of docs/wasi.md: nothing outside a preopen is read,
#    created or changed; nothing under a ::ro preopen changes.
# Every case prints "ok NAME" or "FAIL NAME: why". Last line: "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
ROOT=$PWD
WRUN=$ROOT/$BUILD/bin/wrun
NM=$ROOT/scripts/npm/node_modules
JCO=$NM/.bin/jco
ADAPTER=$NM/@bytecodealliance/jco/lib/wasi_snapshot_preview1.command.wasm
OUT=$ROOT/$BUILD/tests/wasi2-progs
REAL=$ROOT/$BUILD/tests/component-real
T=$(mktemp -d /tmp/wk-wasi2-suite.XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1${2:+: $2}"; }
check() { if [ "$2" -eq 0 ]; then ok "$1"; else bad "$1" "${3:-}"; fi; }
mkdir -p "$OUT"
[ -x "$WRUN" ] || bad "wrun binary" "$WRUN not built"

# ---------------------------------------------------------------- build ----
for n in args_env exitcode files sandbox readonly stdio clocks random; do
  src=tests/wasi/progs/$n.c
  if [ ! -f "$OUT/$n.comp.wasm" ] || [ "$src" -nt "$OUT/$n.comp.wasm" ]; then
    { clang --target=wasm32-wasi -O2 -Wall -Wextra -Werror -o "$OUT/$n.core.wasm" "$src" &&
      "$JCO" new "$OUT/$n.core.wasm" --adapt "wasi_snapshot_preview1=$ADAPTER" -o "$OUT/$n.comp.wasm"; } \
      >"$T/build.log" 2>&1 || { bad "build $n" "$(head -3 "$T/build.log" | tr '\n' '|')"; rm -f "$OUT/$n.comp.wasm"; }
  fi
done

# run_one KIND NAME SETUP STDIN ARGS...: KIND core or comp selects
# $OUT/PROG.{core,comp}.wasm where the program argument is written @P@/PROG;
# @D@ is a scratch directory prepared by SETUP. Results in
# $T/NAME.KIND.{out,err,rc,d}.
run_one() {
  local kind=$1 name=$2 setup=$3 input=$4
  shift 4
  local d=$T/$name.$kind.d
  rm -rf "$d"
  mkdir -p "$d"
  "$setup" "$d"
  local args=() a
  for a in "$@"; do
    a=${a//@D@/$d}
    if [[ $a == @P@/* ]]; then a=$OUT/${a#@P@/}.$kind.wasm; fi
    args+=("$a")
  done
  (cd "$d" && timeout 120 "$WRUN" "${args[@]}" <"$input" >"$T/$name.$kind.out" 2>"$T/$name.$kind.err")
  echo $? >"$T/$name.$kind.rc"
}
run_pair() { run_one core "$@"; run_one comp "$@"; }
. tests/wasi/sandbox-lib.sh
# same stdout (after SED on both), exit status and tree as the preview1 run
same_as_p1() { # NAME [SED]
  local n=$1 s=${2:-}
  if cmp -s <(sed -e "$s" "$T/$n.core.out") <(sed -e "$s" "$T/$n.comp.out"); then ok "$n: stdout as under preview1"
  else bad "$n: stdout as under preview1" "$(diff <(sed -e "$s" "$T/$n.core.out") <(sed -e "$s" "$T/$n.comp.out") | head -8 | tr '\n' '|') stderr: $(head -3 "$T/$n.comp.err" | tr '\n' '|')"; fi
  local a b
  a=$(cat "$T/$n.comp.rc") b=$(cat "$T/$n.core.rc")
  check "$n: exit status as under preview1 ($b)" "$([ "$a" = "$b" ]; echo $?)" "component $a, core $b"
  [ "$(tree_sig "$T/$n.comp.d")" = "$(tree_sig "$T/$n.core.d")" ]
  check "$n: resulting tree as under preview1" $? "$(diff <(tree_sig "$T/$n.core.d") <(tree_sig "$T/$n.comp.d") | head -5 | tr '\n' '|')"
}
no_setup() { :; }
empty=/dev/null

# ------------------------------------------- hello-c, hello-rs vs jco run --
bash tests/component/build-real.sh >/dev/null 2>&1
for c in hello-c hello-rs; do
  f=$REAL/$c.wasm
  if [ ! -f "$f" ]; then bad "$c: built by build-real.sh"; continue; fi
  # jco run gets exactly wrun's grants (HOME, / preopened) through tests/compose/jco-setup.mjs:
  # its own defaults (node's whole environment; preopens) differ between preview2-shim releases
  (cd /tmp && WKA_SHIM=$(readlink -f "$NM/@bytecodealliance/preview2-shim/dist/nodejs") \
     WKA_ENV='{"HOME":"/home/wk-test"}' WKA_PREOPEN=/::/ timeout 120 "$JCO" run \
     --jco-import "$ROOT/tests/compose/jco-setup.mjs" "$f" one "two words" >"$T/$c.jco.out" 2>"$T/$c.jco.err"; echo $? >"$T/$c.jco.rc")
  (cd /tmp && timeout 120 "$WRUN" --env HOME=/home/wk-test --dir /::/::ro "$f" one "two words" >"$T/$c.wrun.out" 2>"$T/$c.wrun.err"; echo $? >"$T/$c.wrun.rc")
  # jco's shim does not list `/` for read_dir(".") (hello-rs prints no
  # "entries:" line under jco); wrun must, with the count `ls -A /` gives
  if [ -s "$T/$c.jco.out" ] && cmp -s <(grep -v '^entries: ' "$T/$c.jco.out") <(grep -v '^entries: ' "$T/$c.wrun.out"); then
    ok "$c: stdout matches jco run ($(head -1 "$T/$c.wrun.out"))"
  else bad "$c: stdout matches jco run" "$(diff "$T/$c.jco.out" "$T/$c.wrun.out" | head -6 | tr '\n' '|') $(head -3 "$T/$c.wrun.err" | tr '\n' '|')"; fi
  cmp -s "$T/$c.jco.err" "$T/$c.wrun.err"
  check "$c: stderr matches jco run" $? "$(diff "$T/$c.jco.err" "$T/$c.wrun.err" | head -4 | tr '\n' '|')"
  if [ "$c" = hello-rs ]; then
    grep -qx "entries: $(ls -A / | wc -l)" "$T/$c.wrun.out"
    check "$c: read_dir of the preopened / lists what ls -A / lists" $? "$(grep entries "$T/$c.wrun.out")"
  fi
  check "$c: exit status matches jco run ($(cat "$T/$c.jco.rc"))" "$([ "$(cat "$T/$c.jco.rc")" = "$(cat "$T/$c.wrun.rc")" ]; echo $?)"
done
# the sandbox: without --dir, the guest sees no file system; without --env, no HOME
(cd /tmp && "$WRUN" "$REAL/hello-rs.wasm" >"$T/hrs.out" 2>"$T/hrs.err")
grep -qx 'hello 1 -' "$T/hrs.out" && ! grep -q '^entries' "$T/hrs.out"
check "hello-rs: no capabilities, no environment and no directory" $? "$(tr '\n' '|' <"$T/hrs.out")"

# -S grants (wasmtime's spelling and =y|n forms): accepted, comma lists; unknown names and
# values are usage errors (what each grant allows: tests/component-exec/suite-sockets.sh)
(cd /tmp && "$WRUN" -S inherit-network,allow-ip-name-lookup -S inherit-network -S tcp=n,udp=yes "$REAL/hello-c.wasm" >"$T/sg.out" 2>&1; echo $? >"$T/sg.rc")
"$WRUN" -S bogus "$REAL/hello-c.wasm" >"$T/sb.out" 2>&1
sb=$?
"$WRUN" -S tcp=maybe "$REAL/hello-c.wasm" >"$T/sv.out" 2>&1
sv=$?
[ "$(cat "$T/sg.rc")" = 0 ] && grep -q '^hello 1 ' "$T/sg.out" && [ "$sb" = 2 ] && grep -q "invalid value 'bogus' for -S" "$T/sb.out" &&
  [ "$sv" = 2 ] && grep -q "invalid value 'tcp=maybe' for -S" "$T/sv.out"
check "-S inherit-network,allow-ip-name-lookup, tcp=n,udp=yes accepted; -S bogus, -S tcp=maybe are usage errors (2)" $? "$(cat "$T/sg.out" "$T/sb.out" "$T/sv.out" | head -4 | tr '\n' '|')"

# ------------------------------------------------------- args and env ------
export WK_HOST_ONLY_SECRET=do-not-leak HOST_COPY=copied-from-host
run_pair args_env no_setup $empty --env GREETING=hello --env "SPACES=a b  c" --env EMPTY= --env HOST_COPY \
  --argv0 myprog @P@/args_env one "two words" "" --flag=ü
same_as_p1 args_env
! grep -q WK_HOST_ONLY_SECRET "$T/args_env.comp.out"
check "args_env: host environment not visible" $?

# ------------------------------------------------------------ exit codes ---
# jco's preview1 adapter maps proc_exit(N) to wasi:cli/exit.exit(ok) for 0 and
# exit(err) otherwise, so a component exits 0 or 1 (as under jco run)
for code in 0 1 7 255; do
  run_one comp "exit$code" no_setup $empty @P@/exitcode "$code"
  (timeout 60 "$JCO" run "$OUT/exitcode.comp.wasm" "$code" >/dev/null 2>&1; echo $? >"$T/exit$code.jco.rc")
  want=$(cat "$T/exit$code.jco.rc")
  check "exit code $code: $want as jco run" "$([ "$(cat "$T/exit$code.comp.rc")" = "$want" ]; echo $?)" "got $(cat "$T/exit$code.comp.rc")"
done

# --------------------------------------------------------- stdio -----------
# (the adapter's fd_write writes the first non-empty iovec only, so the
# output differs from preview1's; jco run is the oracle)
printf 'line one\nline two\n' >"$T/stdin.txt"
run_one comp stdio no_setup "$T/stdin.txt" @P@/stdio
timeout 60 "$JCO" run "$OUT/stdio.comp.wasm" <"$T/stdin.txt" >"$T/stdio.jco.out" 2>"$T/stdio.jco.err"
echo $? >"$T/stdio.jco.rc"
[ -s "$T/stdio.jco.out" ] && cmp -s "$T/stdio.jco.out" "$T/stdio.comp.out" && cmp -s "$T/stdio.jco.err" "$T/stdio.comp.err" &&
  [ "$(cat "$T/stdio.jco.rc")" = "$(cat "$T/stdio.comp.rc")" ]
check "stdio: stdin to stdout/stderr as jco run" $? "$(diff "$T/stdio.jco.out" "$T/stdio.comp.out" | head -4 | tr '\n' '|')"

# ------------------------------------------------------------- files ------
files_setup() { mkdir -p "$1/box"; printf 'hello file\n' >"$1/box/in.txt"; }
run_pair files files_setup $empty --dir @D@/box::/sandbox @P@/files /sandbox
same_as_p1 files
WRUN_NO_OPENAT2=1 run_one comp files_walk files_setup $empty --dir @D@/box::/sandbox @P@/files /sandbox
cmp -s "$T/files_walk.comp.out" "$T/files.core.out"
check "files (fallback walk): stdout as under preview1" $?

# ----------------------------------------------------------- sandbox ------
sandbox_checks() { # NAME
  sandbox_refusals "$1" "$T/$1.comp.out" "$T/$1.comp.err" "$T/$1.comp.d"
}
run_pair sandbox sandbox_setup $empty --dir @D@/box::/sandbox @P@/sandbox /sandbox
sandbox_checks sandbox
# line for line the preview1 refusals, with ENOTCAPABLE (76) read as the
# adapter's EPERM (63) for not-permitted
same_as_p1 sandbox 's/errno 76$/errno 63/'
WRUN_NO_OPENAT2=1 run_one comp sandbox_walk sandbox_setup $empty --dir @D@/box::/sandbox @P@/sandbox /sandbox
sandbox_checks sandbox_walk
cmp -s "$T/sandbox.comp.out" "$T/sandbox_walk.comp.out"
check "sandbox: openat2 and fallback walk agree" $? "$(diff "$T/sandbox.comp.out" "$T/sandbox_walk.comp.out" | head -4 | tr '\n' '|')"

# ---------------------------------------------------------- read-only -----
ro_setup() { mkdir -p "$1/ro/sub" "$1/rw"; printf 'read me\n' >"$1/ro/in.txt"; }
run_pair readonly ro_setup $empty --dir @D@/ro::/data::ro --dir @D@/rw::/output @P@/readonly /data /output
f=$T/readonly.comp.out
grep -qx 'read ro/in.txt: read me' "$f"
check "read-only: reads work" $? "$(head -3 "$f" "$T/readonly.comp.err" | tr '\n' '|')"
! grep -q ALLOWED "$f"
check "read-only: nothing allowed" $? "$(grep ALLOWED "$f" | tr '\n' '|')"
[ "$(tree_sig "$T/readonly.comp.d/ro")" = "$(printf '%s\n' "./in.txt file $(printf 'read me\n' | md5sum | cut -c1-32)" "./sub dir")" ]
check "read-only: tree unchanged" $? "$(tree_sig "$T/readonly.comp.d/ro" | tr '\n' '|')"
# one difference by design: preview1 opens in.txt O_RDWR (without write
# rights) and refuses the write() (EBADF 8); WASI 0.2 refuses the open itself
# (open-at with the write flag under a directory without mutate-directory:
# not-permitted, as wasmtime)
grep -qx 'O_RDWR open ro/in.txt: refused errno 63' "$f"
check "read-only: O_RDWR open refused with not-permitted (EPERM)" $?
same_as_p1 readonly 's/errno 76$/errno 63/; /^O_RDWR open ro\/in.txt: refused errno 63$/d; /^write via O_RDWR fd: refused errno 8$/d'

# ------------------------------------------------- clocks and random -------
for n in clocks random; do
  run_one comp "$n" no_setup $empty @P@/$n
  run_one core "$n" no_setup $empty @P@/$n
  a=$(cat "$T/$n.comp.rc") b=$(cat "$T/$n.core.rc")
  [ "$a" = "$b" ] && [ "$a" = 0 ] && [ "$(grep -c . "$T/$n.comp.out")" = "$(grep -c . "$T/$n.core.out")" ]
  check "$n: runs as under preview1 (exit $b, same number of lines)" $? "rc $a/$b $(head -3 "$T/$n.comp.err" | tr '\n' '|')"
done

# ------------------------------------------------------------- CPython ----
# ../shared/python's CPython 3.13.5 kit linked with a 3-line main
# (Py_BytesMain), as a core module (preview1 host) and adapted into a
# component (0.2 host), runs tests/wasi/data/fs_tour.py: directories, files,
# append, copytree, rename, symlink, walk, seek, json, truncate, utime,
# escapes refused, rmtree, clocks, random, env, args, stdin.
KIT_TAR=$ROOT/../shared/python/cpython-3.13.5-wasm32-wasi.tar.xz
PY=$OUT/py
KIT=$PY/cpython-3.13.5-wasm32-wasi
if [ ! -f "$PY/python.comp.wasm" ]; then
  mkdir -p "$PY"
  printf '#include <Python.h>\nint main(int argc, char **argv) { return Py_BytesMain(argc, argv); }\n' >"$PY/pymain.c"
  { [ -d "$KIT" ] || tar xJf "$KIT_TAR" -C "$PY"; } &&
    clang --target=wasm32-wasi -O2 -I"$KIT/include/python3.13" -c "$PY/pymain.c" -o "$PY/pymain.o" &&
    clang --target=wasm32-wasi -z stack-size=8388608 -Wl,--stack-first -Wl,--initial-memory=20971520 -Wl,--strip-debug \
      "$PY/pymain.o" "$KIT/lib/libpython3.13.a" -lwasi-emulated-signal -lwasi-emulated-getpid \
      -lwasi-emulated-process-clocks -lm "$KIT/lib/libmpdec.a" "$KIT/lib/libHacl_Hash_SHA2.a" "$KIT/lib/libexpat.a" \
      -o "$PY/python.core.wasm" &&
    "$JCO" new "$PY/python.core.wasm" --adapt "wasi_snapshot_preview1=$ADAPTER" -o "$PY/python.comp.wasm" \
    >"$T/py-build.log" 2>&1 || { bad "build CPython (core and component)" "$(tail -3 "$T/py-build.log" | tr '\n' '|')"; rm -f "$PY/python.comp.wasm"; }
fi
py_setup() { mkdir -p "$1/box"; echo TOPSECRET >"$1/secret.txt"; ln -s .. "$1/box/up"; }
echo "some input" >"$T/py.in"
for k in core comp; do
  run_one "$k" pytour py_setup "$T/py.in" --env PYTHONHOME=/usr/local --env GREETING=hi \
    --dir "$KIT/lib/python3.13::/usr/local/lib/python3.13::ro" --dir @D@/box::/box --dir "$ROOT/tests/wasi/data::/t::ro" \
    "$PY/python.$k.wasm" /t/fs_tour.py /box x "y z"
done
grep -qx 'SOME INPUT' "$T/pytour.comp.out" && [ "$(cat "$T/pytour.comp.rc")" = 0 ]
check "CPython component: fs_tour.py runs to the end" $? "rc $(cat "$T/pytour.comp.rc") $(tail -3 "$T/pytour.comp.err" | tr '\n' '|')"
same_as_p1 pytour
! grep -q 'LEAKED\|CREATED' "$T/pytour.comp.out" && [ "$(grep -c '^refused' "$T/pytour.comp.out")" = 7 ] &&
  [ "$(tree_sig "$T/pytour.comp.d" | grep -v '^\./box/')" = "$(printf '%s\n' "./box dir" "./secret.txt file $(echo TOPSECRET | md5sum | cut -c1-32)")" ]
check "CPython component: 7 escapes refused, nothing outside read or created" $? "$(grep 'LEAKED\|CREATED\|refused' "$T/pytour.comp.out" | tr '\n' '|')"

# ------------------------------------------------ py-greeter vs jco ------
# ../shared/python/py-greeter.component.wasm (CPython behind the preview1
# reactor adapter: its WASI 0.2 imports are this host) called with
# --invoke, against jco transpile + node calling the same export
PYG=$ROOT/../shared/python/py-greeter.component.wasm
mkdir -p "$T/pyg"
ln -s "$NM" "$T/pyg/node_modules"
if timeout 120 "$JCO" transpile "$PYG" -o "$T/pyg/js" >"$T/pyg.log" 2>&1; then
  for name in world "héllo ✓" "" "a b  c" "$(printf 'x%.0s' $(seq 300))"; do
    want=$(cd "$T/pyg" && N="$name" node --input-type=module -e "import { greet } from './js/py-greeter.component.js'; console.log(JSON.stringify(greet.greet(process.env.N)))")
    got=$("$WRUN" --invoke "demo:py/greet#greet(\"$name\")" "$PYG" 2>"$T/pyg.err")
    [ -n "$want" ] && [ "$got" = "$want" ]
    check "py-greeter greet(\"${name:0:12}\") as jco transpile + node" $? "wrun: $got | node: $want | $(head -2 "$T/pyg.err" | tr '\n' '|')"
  done
else
  bad "py-greeter: jco transpile" "$(head -3 "$T/pyg.log" | tr '\n' '|')"
fi

# ------------------------------------------------- hello-js vs jco ------
# build-real.sh's componentize-js component (StarlingMonkey, 12 MB): its WASI
# 0.2 imports are this host; it also imports wasi:http, which is not
# implemented, so --trap-unknown-imports. Oracle: jco transpile + node.
HJS=$REAL/hello-js.wasm
mkdir -p "$T/hjs"
ln -s "$NM" "$T/hjs/node_modules"
if [ -f "$HJS" ] && timeout 300 "$JCO" transpile "$HJS" -o "$T/hjs/js" >"$T/hjs.log" 2>&1; then
  node_out=$(cd "$T/hjs" && node --input-type=module -e "import * as m from './js/hello-js.js';
    console.log(m.add(40, 2)); console.log(JSON.stringify(m.greet.greet('wkit ✓')));
    console.log('ok(' + m.greet.area({tag: 'rect', val: {x: 3, y: 4}}) + ')');
    console.log('ok(' + m.greet.area({tag: 'circle', val: 2}) + ')');
    try { m.greet.area({tag: 'none'}); } catch (e) { console.log('err(' + JSON.stringify(e.payload) + ')'); }" 2>&1)
  wrun_out=$(for inv in 'add(40, 2)' 'local:hello/greet#greet("wkit ✓")' 'local:hello/greet#area(rect({x: 3, y: 4}))' \
               'local:hello/greet#area(circle(2))' 'local:hello/greet#area(%none)'; do
               "$WRUN" --trap-unknown-imports --invoke "$inv" "$HJS" 2>&1 | tail -1; done)
  [ -n "$node_out" ] && [ "$wrun_out" = "$node_out" ]
  check "hello-js (componentize-js): 5 calls as jco transpile + node" $? "wrun: $(echo "$wrun_out" | tr '\n' '|') node: $(echo "$node_out" | tr '\n' '|')"
else
  bad "hello-js: built and transpiled by jco" "$(head -3 "$T/hjs.log" 2>/dev/null | tr '\n' '|')"
fi

# ------------------------------------------- --timeout while blocked -------
# a guest blocked in input-stream.blocking-read on a silent stdin: the alarm
# interrupts the host read and the store traps naming the limit
start=$(date +%s%N)
(timeout 20 "$WRUN" --timeout 200ms "$OUT/stdio.comp.wasm" < <(sleep 5) >/dev/null 2>"$T/to.err"; echo $? >"$T/to.rc") &
while [ ! -s "$T/to.rc" ] && [ $(( ($(date +%s%N) - start) / 1000000 )) -lt 4000 ]; do sleep 0.05; done
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$(cat "$T/to.rc" 2>/dev/null)" = 134 ] && grep -q 'timeout limit of 200ms' "$T/to.err" && [ "$ms" -lt 3000 ]
check "--timeout interrupts a blocking stdin read (${ms} ms)" $? "rc $(cat "$T/to.rc" 2>/dev/null) $(head -1 "$T/to.err")"
wait

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
