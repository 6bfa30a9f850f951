#!/usr/bin/env bash
# wrun as an OCI runtime (issue 16 item 3): runc's command line on real bundles, checked against the
# OCI runtime spec (runtime.md: lifecycle, state, operations) and runc's contract:
#   create -> state created (pid alive, the guest has not run) -> start -> stopped, output = the guest's;
#   kill in created and running state; delete (running needs --force); run (exit status, cleanup);
#   mounts (ro / rw / not visible), env, args, limits from annotations, the console socket (pty);
#   bad bundles fail with a clear error and leave nothing behind;
#   podman (rootful, Debian's 4.3) with --runtime wrun running an image made by `wcompose oci --image`:
#   where this machine cannot run podman containers the suite says why and counts them as skipped.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
B=$PWD/$BUILD/bin
W=$B/wrun
OUT=$PWD/$BUILD/tests/ociruntime
rm -rf "$OUT"; mkdir -p "$OUT"
R=$OUT/root # the state root (--root)
pass=0; fail=0; skip=0
ok() { pass=$((pass+1)); echo "ok   $*"; }
bad() { fail=$((fail+1)); echo "FAIL $*"; }
skp() { skip=$((skip+1)); echo "skip $*"; }
skpn() { skip=$((skip+$1)); shift; echo "skip $*"; }
finish() { echo "$pass passed, $fail failed, $skip skipped"; [ $fail = 0 ]; exit $?; }
jget() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
oci() { "$W" oci --root "$R" "$@"; }
# process $1 is gone or a zombie (its reaper is whatever adopted it once create exited, as under runc)
gone() { [ ! -e "/proc/$1" ] || [ "$(sed -E 's/.*\) (.).*/\1/' "/proc/$1/stat" 2>/dev/null)" = Z ]; }
# wait until container $1 reaches status $2 (up to 5 s)
wait_status() {
  for _ in $(seq 100); do
    [ "$(oci state "$1" 2>/dev/null | jget 'd["status"]' 2>/dev/null)" = "$2" ] && return 0
    sleep 0.05
  done
  return 1
}

# the guest: a C program (wasm32-wasi, preview1) that prints argv, $GREETING and /data/msg.txt
GUEST=$OUT/hello.wasm
if ! clang-14 --target=wasm32-wasi -O2 -o "$GUEST" tests/oci/data/ocihello.c 2>"$OUT/cc.log"; then
  bad "cannot build tests/oci/data/ocihello.c with clang-14 --target=wasm32-wasi ($(head -1 "$OUT/cc.log"))"; finish
fi
# the same program as a component (jco new with jco's preview1 command adapter, as
# tests/component/build-real.sh builds hello-c): what `wcompose oci --image` packages for podman
NM=$PWD/scripts/npm/node_modules
COMP=$OUT/hello-comp.wasm
if [ -x "$NM/.bin/jco" ]; then
  "$NM/.bin/jco" new "$GUEST" --adapt "wasi_snapshot_preview1=$NM/@bytecodealliance/jco/lib/wasi_snapshot_preview1.command.wasm" \
    -o "$COMP" >"$OUT/jco.log" 2>&1 || { bad "jco new of the guest failed: $(head -2 "$OUT/jco.log")"; COMP=; }
else COMP=; fi
# bundle NAME ARGS_JSON [EXTRA_PROCESS_JSON] [EXTRA_TOP_JSON]: a bundle dir with rootfs/hello.wasm,
# a data dir bind-mounted read-only at /data and a writable one at /out
bundle() {
  local d=$OUT/$1; mkdir -p "$d/rootfs" "$d/data" "$d/outdir"
  cp "$GUEST" "$d/rootfs/hello.wasm"
  echo "hello from the mount" > "$d/data/msg.txt"
  cat > "$d/config.json" <<EOF
{"ociVersion":"1.0.2",
 "process":{"terminal":false,"user":{"uid":0,"gid":0},"args":$2,
  "env":["PATH=/usr/bin","GREETING=bonjour"],"cwd":"/",
  "rlimits":[{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}]${3:+,$3}},
 "root":{"path":"rootfs","readonly":true},
 "hostname":"wasm",
 "mounts":[{"destination":"/proc","type":"proc","source":"proc"},
  {"destination":"/data","type":"bind","source":"$d/data","options":["rbind","ro"]},
  {"destination":"/out","type":"bind","source":"outdir","options":["rbind","rw"]}],
 "annotations":{"org.example.k":"v","wkit.test":"1"}${4:+,$4}}
EOF
  echo "$d"
}

# ---- create -> state -> start -> state -> delete
B1=$(bundle b1 '["/hello.wasm","exit","0"]')
if oci create --bundle "$B1" --pid-file "$OUT/c1.pid" c1 >"$OUT/c1.out" 2>"$OUT/c1.err"; then ok "create exits 0"
else bad "create failed: $(cat "$OUT/c1.err")"; fi
oci state c1 > "$OUT/c1.state" 2>&1
pid=$(cat "$OUT/c1.pid" 2>/dev/null)
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then ok "the pid file names a live process ($pid)"; else bad "pid file: '$pid'"; fi
sleep 0.3
if [ ! -s "$OUT/c1.out" ]; then ok "after create the guest has not run (no output after 0.3 s)"; else bad "the guest ran before start: $(cat "$OUT/c1.out")"; fi
# runtime.md "State": ociVersion, id, status, pid (created/running), bundle (absolute), annotations
want="1.0.2|c1|created|$pid|$(realpath "$B1")|{'org.example.k': 'v', 'wkit.test': '1'}"
got=$(jget '"|".join(str(x) for x in (d["ociVersion"], d["id"], d["status"], d["pid"], d["bundle"], d["annotations"]))' < "$OUT/c1.state" 2>&1)
if [ "$got" = "$want" ]; then ok "state after create: ociVersion, id, status created, pid, bundle, annotations"
else bad "state after create: $got, want $want"; fi
if oci start c1 2>"$OUT/c1.err"; then ok "start exits 0"; else bad "start: $(cat "$OUT/c1.err")"; fi
if wait_status c1 stopped; then ok "status becomes stopped when the guest exits"; else bad "status: $(oci state c1 2>&1)"; fi
if grep -qx "argv0=/hello.wasm argc=3" "$OUT/c1.out" && grep -qx "GREETING=bonjour" "$OUT/c1.out" &&
   grep -qx "msg=hello from the mount" "$OUT/c1.out"; then
  ok "the guest ran after start: process.args, process.env, the bind mount at /data"
else bad "guest output: $(cat "$OUT/c1.out")"; fi
oci state c1 > "$OUT/c1.state2"
if jget '"pid" in d, sorted(d)' < "$OUT/c1.state2" | grep -qx "False \['annotations', 'bundle', 'created', 'id', 'ociVersion', 'status'\]"; then
  ok "state when stopped has no pid (runtime.md: pid only while created or running)"
else bad "stopped state: $(cat "$OUT/c1.state2")"; fi
if oci start c1 2>"$OUT/e" ; then bad "start of a stopped container succeeded"
elif grep -q "is not created: it is stopped" "$OUT/e"; then ok "start of a stopped container: error ($(cat "$OUT/e"))"
else bad "start of a stopped container: $(cat "$OUT/e")"; fi
if oci kill c1 KILL 2>"$OUT/e"; then bad "kill of a stopped container succeeded"
elif grep -q "is not running" "$OUT/e"; then ok "kill of a stopped container: error"; else bad "kill stopped: $(cat "$OUT/e")"; fi
if oci create --bundle "$B1" c1 2>"$OUT/e"; then bad "a second create with the same id succeeded"
elif grep -q "container c1 already exists" "$OUT/e"; then ok "create with an id in use: 'already exists'"; else bad "dup id: $(cat "$OUT/e")"; fi
if oci delete c1 && [ ! -e "$R/c1" ]; then ok "delete removes the state directory"; else bad "delete: $(ls "$R")"; fi
if oci state c1 2>"$OUT/e"; then bad "state of a deleted container succeeded"
elif grep -q "container c1 does not exist" "$OUT/e"; then ok "state of a deleted container: 'does not exist'"; else bad "state deleted: $(cat "$OUT/e")"; fi
if oci delete --force c1 2>"$OUT/e"; then ok "delete --force of an unknown id is not an error (runc)"; else bad "delete --force unknown: $(cat "$OUT/e")"; fi

# ---- kill: running (spin) and created
B2=$(bundle b2 '["/hello.wasm","spin"]')
oci create --bundle "$B2" --pid-file "$OUT/c2.pid" c2 >"$OUT/c2.out" 2>&1 && oci start c2
pid=$(cat "$OUT/c2.pid" 2>/dev/null)
sleep 0.2
st=$(oci state c2 | jget 'd["status"], d.get("pid")')
if [ "$st" = "running $pid" ] && kill -0 "$pid" 2>/dev/null; then ok "state running while the guest spins (pid $pid alive)"; else bad "running state: $st"; fi
if oci delete c2 2>"$OUT/e"; then bad "delete of a running container without --force succeeded"
elif grep -q "not stopped: it is running" "$OUT/e" && kill -0 "$pid" 2>/dev/null; then ok "delete of a running container: error, the process still runs"
else bad "delete running: $(cat "$OUT/e")"; fi
if oci kill c2 TERM && wait_status c2 stopped && gone "$pid"; then ok "kill c2 TERM stops the running guest"
else bad "kill TERM: $(oci state c2 2>&1)"; fi
oci delete c2
B3=$(bundle b3 '["/hello.wasm","exit","0"]')
oci create --bundle "$B3" --pid-file "$OUT/c3.pid" c3 >"$OUT/c3.out" 2>&1
pid=$(cat "$OUT/c3.pid")
if oci kill c3 9 && wait_status c3 stopped && [ ! -s "$OUT/c3.out" ]; then ok "kill c3 9 in created state: stopped, the guest never ran"
else bad "kill created: $(oci state c3 2>&1) $(cat "$OUT/c3.out")"; fi
oci delete c3
B4=$(bundle b4 '["/hello.wasm","spin"]')
oci create --bundle "$B4" --pid-file "$OUT/c4.pid" c4 >/dev/null 2>&1 && oci start c4
pid=$(cat "$OUT/c4.pid")
if oci delete --force c4 && [ ! -e "$R/c4" ] && gone "$pid"; then ok "delete --force kills a running container and removes it"
else bad "delete --force running"; fi
if oci kill nosuch 2>"$OUT/e"; then bad "kill of an unknown id succeeded"; elif grep -q "does not exist" "$OUT/e"; then ok "kill of an unknown id: 'does not exist'"; else bad "kill unknown: $(cat "$OUT/e")"; fi
if oci kill c4 NOSIG 2>/dev/null; then bad "kill with an unknown signal succeeded"; else ok "kill with an unknown signal name is refused"; fi

# ---- run: exit status, cleanup; mounts; without the word oci (as podman calls it)
B5=$(bundle b5 '["/hello.wasm","exit","7"]')
oci --log "$OUT/c5.log" run --bundle "$B5" c5 >"$OUT/c5.out" 2>&1; rc=$?
if [ $rc = 7 ] && [ ! -e "$R/c5" ] && grep -qx "GREETING=bonjour" "$OUT/c5.out"; then ok "run: exit status 7 of the guest, state removed afterwards"
else bad "run: rc=$rc $(cat "$OUT/c5.out")"; fi
if grep -q 'level=warning msg="mount /proc (type proc): not a bind mount' "$OUT/c5.log" && grep -q 'level=warning msg="hostname: ' "$OUT/c5.log" &&
   ! grep -q "warning" "$OUT/c5.out"; then ok "--log: what has no meaning for a wasm guest (proc mount, hostname) is logged as warnings, not printed"
else bad "warnings: $(cat "$OUT/c5.log" 2>&1)"; fi
B6=$(bundle b6 '["/hello.wasm","write","/data/x"]')
oci run --bundle "$B6" c6 >"$OUT/c6.out" 2>&1; rc=$?
if [ $rc = 3 ] && [ ! -e "$B6/data/x" ]; then ok "a mount with option ro is read-only for the guest (write refused)"; else bad "ro mount: rc=$rc $(cat "$OUT/c6.out")"; fi
B7=$(bundle b7 '["/hello.wasm","write","/out/result"]')
oci run --bundle "$B7" c7 >"$OUT/c7.out" 2>&1; rc=$?
if [ $rc = 0 ] && [ "$(cat "$B7/outdir/result" 2>/dev/null)" = "written" ]; then ok "a rw bind mount (source relative to the bundle) is writable"
else bad "rw mount: rc=$rc $(cat "$OUT/c7.out")"; fi
B8=$(bundle b8 '["/hello.wasm","write","/hello2.wasm"]')
oci run --bundle "$B8" c8 >"$OUT/c8.out" 2>&1; rc=$?
if [ $rc = 3 ] && [ ! -e "$B8/rootfs/hello2.wasm" ]; then ok "root.readonly: the rootfs is read-only"; else bad "readonly root: rc=$rc"; fi
secret=$OUT/secret.txt; echo s > "$secret"
B9=$(bundle b9 "[\"/hello.wasm\",\"open\",\"/../../../../..$secret\"]")
oci run --bundle "$B9" c9 >"$OUT/c9.out" 2>&1; rc=$?
if [ $rc = 0 ] && grep -q "cannot open" "$OUT/c9.out"; then ok "a host file outside the rootfs and mounts is not visible"; else bad "escape: rc=$rc $(cat "$OUT/c9.out")"; fi
if "$W" --root "$R" create --bundle "$B1" c10 >"$OUT/c10.out" 2>&1 && "$W" --root "$R" start c10 && wait_status c10 stopped &&
   "$W" --root "$R" state c10 | jget 'd["status"]' | grep -qx stopped && "$W" --root "$R" delete c10 && grep -q GREETING "$OUT/c10.out"; then
  ok "runc's words without 'oci' (wrun --root R create/start/state/delete), as podman calls the runtime"
else bad "direct runc-style call"; fi

if [ -n "$COMP" ]; then
  BC=$(bundle bc '["/hello.wasm","exit","0"]'); cp "$COMP" "$BC/rootfs/hello.wasm"
  oci run --bundle "$BC" cc >"$OUT/cc.out" 2>&1; rc=$?
  if [ $rc = 0 ] && grep -qx "GREETING=bonjour" "$OUT/cc.out" && grep -qx "msg=hello from the mount" "$OUT/cc.out" &&
     grep -qx "argv0=/hello.wasm argc=3" "$OUT/cc.out"; then ok "a component bundle runs (WASI 0.2): args, env, the /data mount"
  else bad "component bundle: rc=$rc $(cat "$OUT/cc.out")"; fi
else skp "component bundle: jco is not installed (scripts/setup.sh installs it)"; fi

if "$W" features | jget 'd["ociVersionMin"], d["ociVersionMax"], d["hooks"], sorted(d["annotations"])' |
   grep -qx "1.0.0 1.1.0 \[\] \['wkit.wrun.fuel', 'wkit.wrun.max-call-depth', 'wkit.wrun.max-memory', 'wkit.wrun.max-stack', 'wkit.wrun.timeout'\]"; then
  ok "features: the runtime-spec features structure (ociVersionMin/Max required; no hooks; the limit annotations)"
else bad "features: $("$W" features 2>&1 | head -5)"; fi

# ---- a bundle made by umoci from the image `wcompose oci --image` writes (a runtime-spec generator's
# config.json: terminal true, proc/tmpfs/sysfs/cgroup mounts, namespaces, rlimits)
if command -v skopeo >/dev/null 2>&1 && command -v umoci >/dev/null 2>&1; then
  "$B/wcompose" oci "$GUEST" --image --ref ocihello:1.0 -o "$OUT/umoci-img.oci.tar" >/dev/null &&
  skopeo copy -q "oci-archive:$OUT/umoci-img.oci.tar" "oci:$OUT/umoci-layout:hello" >/dev/null 2>"$OUT/umoci.err" &&
  umoci unpack --image "$OUT/umoci-layout:hello" "$OUT/umoci-bundle" >/dev/null 2>>"$OUT/umoci.err"
  if [ -f "$OUT/umoci-bundle/config.json" ]; then
    oci --log "$OUT/umoci.log" run --bundle "$OUT/umoci-bundle" u1 >"$OUT/u1.out" 2>&1; rc=$?
    nw=$(grep -c "level=warning" "$OUT/umoci.log")
    if [ $rc = 0 ] && grep -qx "argv0=/hello.wasm argc=1" "$OUT/u1.out" && [ "$nw" -ge 7 ]; then
      ok "umoci unpack's bundle of our image runs (wrun oci run; terminal kept on our stdio; $nw warnings for proc/tmpfs/sysfs/cgroup mounts, namespaces)"
    else bad "umoci bundle: rc=$rc $(head -3 "$OUT/u1.out")"; fi
  else bad "skopeo copy / umoci unpack of our image failed: $(head -2 "$OUT/umoci.err")"; fi
else skp "umoci bundle: skopeo or umoci is not installed (scripts/setup.sh installs them)"; fi

# ---- limits from annotations and rlimits
B11=$(bundle b11 '["/hello.wasm","spin"]' "" '"annotations":{"wkit.wrun.fuel":"200000"}')
sed -i 's/"annotations":{"org.example.k":"v","wkit.test":"1"},//' "$B11/config.json"
oci run --bundle "$B11" c11 >"$OUT/c11.out" 2>"$OUT/c11.err"; rc=$?
if [ $rc = 134 ] && grep -q "the --fuel limit of 200000 was reached" "$OUT/c11.err"; then ok "annotation wkit.wrun.fuel stops a spinning guest (trap, 134)"
else bad "fuel annotation: rc=$rc $(cat "$OUT/c11.err")"; fi
B12=$(bundle b12 '["/hello.wasm","spin"]')
python3 - "$B12/config.json" <<'EOF'
import json,sys; p=sys.argv[1]; d=json.load(open(p)); d["process"]["rlimits"]=[{"type":"RLIMIT_CPU","hard":1,"soft":1}]; json.dump(d,open(p,"w"))
EOF
start=$(date +%s%N); oci run --bundle "$B12" c12 >/dev/null 2>"$OUT/c12.err"; rc=$?; ms=$(( ($(date +%s%N)-start)/1000000 ))
if [ $rc = 134 ] && grep -q "the --timeout limit of 1s was reached" "$OUT/c12.err" && [ $ms -lt 5000 ]; then ok "RLIMIT_CPU 1 becomes --timeout 1s (stopped after ${ms} ms)"
else bad "RLIMIT_CPU: rc=$rc ${ms}ms $(cat "$OUT/c12.err")"; fi
B13=$(bundle b13 '["/hello.wasm","exit","0"]')
python3 - "$B13/config.json" <<'EOF'
import json,sys; p=sys.argv[1]; d=json.load(open(p)); d["process"]["rlimits"]=[{"type":"RLIMIT_NOFILE","hard":64,"soft":32}]; json.dump(d,open(p,"w"))
EOF
oci create --bundle "$B13" --pid-file "$OUT/c13.pid" c13 >/dev/null 2>&1
if grep -qE "^Max open files +32 +64 " "/proc/$(cat "$OUT/c13.pid")/limits"; then ok "process.rlimits applied to the container process (RLIMIT_NOFILE 32/64)"
else bad "rlimits: $(grep 'open files' "/proc/$(cat "$OUT/c13.pid")/limits")"; fi
oci delete c13

# ---- the console socket: a pty master handed over with SCM_RIGHTS (runc/conmon's protocol)
B14=$(bundle b14 '["/hello.wasm","exit","0"]')
python3 - "$B14/config.json" <<'EOF'
import json,sys; p=sys.argv[1]; d=json.load(open(p)); d["process"]["terminal"]=True; json.dump(d,open(p,"w"))
EOF
if oci create --bundle "$B14" c14b 2>"$OUT/e"; then bad "terminal without --console-socket accepted"
elif grep -q "no --console-socket" "$OUT/e" && [ ! -e "$R/c14b" ]; then ok "process.terminal without --console-socket: error"; else bad "terminal: $(cat "$OUT/e")"; fi
python3 - "$W" "$R" "$B14" "$OUT/console.sock" > "$OUT/c14.out" 2>&1 <<'EOF'
import os, socket, subprocess, sys, time
w, root, bundle, path = sys.argv[1:5]
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); srv.bind(path); srv.listen(1)
p = subprocess.Popen([w, "oci", "--root", root, "create", "--bundle", bundle, "--console-socket", path, "c14"])
conn, _ = srv.accept()
msg, fds, _, _ = socket.recv_fds(conn, 64, 1)
assert p.wait() == 0, "create failed"
subprocess.check_call([w, "oci", "--root", root, "start", "c14"])
out = b""
t = time.time()
while time.time() - t < 5:
    try: b = os.read(fds[0], 4096)
    except OSError: break
    if not b: break
    out += b
print(out.decode().replace("\r", ""))
subprocess.call([w, "oci", "--root", root, "delete", "--force", "c14"])
EOF
if grep -qx "GREETING=bonjour" "$OUT/c14.out" && [ ! -e "$R/c14" ]; then ok "process.terminal: the guest's output arrives on the pty master received over --console-socket"
else bad "console socket: $(head -5 "$OUT/c14.out")"; fi

# ---- bad bundles: a clear error, exit 1, nothing created, nothing run
badcase() { # NAME EXPECTED-SUBSTRING BUNDLE
  local out; out=$("$W" oci --root "$R" --log "$OUT/bad.log" --log-format json create --bundle "$3" "$1" 2>&1 >"$OUT/$1.out"); local rc=$?
  if [ $rc = 1 ] && [[ $out == *"$2"* ]] && [ ! -e "$R/$1" ] && [ ! -s "$OUT/$1.out" ]; then ok "bad bundle ($1): '$out'"
  else bad "bad bundle ($1): rc=$rc '$out' (want '$2')"; fi
}
X=$(bundle x-noconfig '["/hello.wasm"]'); rm "$X/config.json"
badcase x-noconfig "has no config.json" "$X"
X=$(bundle x-json '["/hello.wasm"]'); echo '{"ociVersion": "1.0.2", "process": {' > "$X/config.json"
badcase x-json "config.json: not valid JSON" "$X"
X=$(bundle x-noentry '["/missing.wasm"]')
badcase x-noentry "the entrypoint /missing.wasm (process.args[0]) is not in the rootfs" "$X"
X=$(bundle x-escape '["../../hello.wasm"]') # rootfs/../../hello.wasm is $OUT/hello.wasm: it exists, outside the rootfs
badcase x-escape "outside the rootfs" "$X"
X=$(bundle x-link '["/link.wasm"]'); ln -s "$GUEST" "$X/rootfs/link.wasm"
badcase x-link "outside the rootfs" "$X"
X=$(bundle x-notwasm '["/sh"]'); printf '#!/bin/sh\necho ran\n' > "$X/rootfs/sh"; chmod +x "$X/rootfs/sh"
badcase x-notwasm "is not WebAssembly" "$X"
X=$(bundle x-mountdd '["/hello.wasm"]'); sed -i 's#"destination":"/data"#"destination":"/data/../../etc"#' "$X/config.json"
badcase x-mountdd "must be an absolute path without '..'" "$X"
X=$(bundle x-mountrel '["/hello.wasm"]'); sed -i 's#"destination":"/data"#"destination":"data"#' "$X/config.json"
badcase x-mountrel "must be an absolute path without '..'" "$X"
X=$(bundle x-mountsrc '["/hello.wasm"]'); rm -r "$X/data"
badcase x-mountsrc "No such file or directory" "$X"
X=$(bundle x-noargs '[]')
badcase x-noargs "process.args must be a non-empty array" "$X"
X=$(bundle x-ann '["/hello.wasm"]' "" '"annotations":{"wkit.wrun.max-memory":"lots"}')
sed -i 's/"annotations":{"org.example.k":"v","wkit.test":"1"},//' "$X/config.json"
badcase x-ann "annotation wkit.wrun.max-memory=lots is not a valid size" "$X"
# 0 is no size for wrun (--max-memory 0 is a usage error, as --max-stack 0): refused at create, not when run
X=$(bundle x-ann0 '["/hello.wasm"]' "" '"annotations":{"wkit.wrun.max-memory":"0"}')
sed -i 's/"annotations":{"org.example.k":"v","wkit.test":"1"},//' "$X/config.json"
badcase x-ann0 "annotation wkit.wrun.max-memory=0 is not a valid size" "$X"
X=$(bundle x-cwd '["hello.wasm"]' '"cwd":"rel"'); sed -i 's/"cwd":"\/",//' "$X/config.json"
badcase x-cwd "process.cwd 'rel' is not absolute" "$X"
if python3 -c '
import json,sys
ls=[json.loads(l) for l in open(sys.argv[1])]
assert len(ls)==13 and all(l["level"]=="error" and l["msg"] and l["time"] for l in ls)' "$OUT/bad.log" 2>/dev/null; then
  ok "--log FILE --log-format json: one JSON line per failure (level, msg, time), as runc writes them"
else bad "json log: $(head -3 "$OUT/bad.log")"; fi
if "$W" oci --root "$R" create --bundle "$B1" ../evil 2>"$OUT/e"; then bad "id ../evil accepted"
elif grep -q "invalid container id" "$OUT/e"; then ok "an id that is not one path component is refused"; else bad "bad id: $(cat "$OUT/e")"; fi
left=$(ls "$R" | tr '\n' ' ')
if [ -z "$left" ]; then ok "nothing left in the state root"; else bad "left in the state root: $left"; fi

# ---- --delegate: a bundle whose entrypoint is not wasm goes to another runtime (a Kubernetes pod's
# pause container); the delegate here is a script recording how it is called, as runc would be
FAKE=$OUT/fake-runc; DLOG=$OUT/delegate.log
cat > "$FAKE" <<FAKEEOF
#!/bin/sh
echo "\$*" >> "$DLOG"
root=\$2; for id in "\$@"; do :; done
case " \$* " in *" create "*) mkdir -p "\$root/\$id" ;; *" delete "*) rm -rf "\$root/\$id" ;; esac
exit 0
FAKEEOF
chmod +x "$FAKE"
XN=$(bundle x-native '["/sh"]'); printf '#!/bin/sh\necho ran\n' > "$XN/rootfs/sh"; chmod +x "$XN/rootfs/sh"
"$W" --root "$R" --delegate "$FAKE" --log "$OUT/d.log" --log-format json --systemd-cgroup create --bundle "$XN" --pid-file "$OUT/n1.pid" n1; rc=$?
if [ $rc = 0 ] && [ "$(tail -1 "$DLOG")" = "--root $R-delegate --log $OUT/d.log --log-format json --systemd-cgroup create --bundle $XN --pid-file $OUT/n1.pid n1" ] &&
   [ ! -e "$R/n1" ] && [ -d "$R-delegate/n1" ]; then ok "--delegate: a non-wasm bundle's create goes to the delegate with its own --root, the log options and the same arguments"
else bad "delegate create: rc=$rc '$(tail -1 "$DLOG" 2>/dev/null)'"; fi
"$W" --root "$R" --delegate "$FAKE" state n1 && "$W" --root "$R" --delegate "$FAKE" kill n1 KILL && "$W" --root "$R" --delegate "$FAKE" delete --force n1
if [ "$(tail -3 "$DLOG" | tr '\n' '|')" = "--root $R-delegate state n1|--root $R-delegate kill n1 KILL|--root $R-delegate delete --force n1|" ]; then
  ok "--delegate: state, kill, delete of a delegated container go to the delegate"
else bad "delegate lifecycle: $(tail -3 "$DLOG" | tr '\n' '|')"; fi
n=$(wc -l < "$DLOG")
"$W" --root "$R" --delegate "$FAKE" run --bundle "$B1" w1 >"$OUT/w1.out" 2>&1; rc=$?
if [ $rc = 0 ] && [ "$(wc -l < "$DLOG")" = "$n" ] && grep -q "GREETING=bonjour" "$OUT/w1.out"; then ok "--delegate: a wasm bundle still runs under wrun"
else bad "delegate with wasm: rc=$rc"; fi
if command -v crun >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  NB=$OUT/native; mkdir -p "$NB/rootfs"
  printf '#include <stdio.h>\nint main(void){puts("native ran");return 4;}\n' > "$NB/n.c"
  if cc -static -O2 -o "$NB/rootfs/native" "$NB/n.c" 2>/dev/null && (cd "$NB" && crun spec) &&
     python3 -c "import json,sys; p=sys.argv[1]; d=json.load(open(p)); d['process']['args']=['/native']; d['process']['terminal']=False; json.dump(d,open(p,'w'))" "$NB/config.json"; then
    crun --root "$OUT/crun-probe" run --bundle "$NB" probe >/dev/null 2>"$OUT/crun.err"; prc=$?
    crun --root "$OUT/crun-probe" delete -f probe >/dev/null 2>&1
    if [ $prc != 4 ]; then skp "--delegate with a real crun: crun itself cannot run a container here: $(head -1 "$OUT/crun.err")"
    else
      out=$("$W" --root "$R" --delegate "$(command -v crun)" run --bundle "$NB" n2 2>&1); rc=$?
      if [ $rc = 4 ] && [ "$out" = "native ran" ]; then ok "--delegate $(command -v crun): a native container runs under crun (exit 4)"; else bad "crun delegate: rc=$rc $out"; fi
    fi
  else skp "--delegate with a real crun: cannot build a static native program or crun spec"; fi
else skp "--delegate with a real crun: crun not installed or not root"; fi

# ---- podman end to end (rootful): an image made by `wcompose oci --image`, run with --runtime wrun
if ! command -v podman >/dev/null 2>&1; then
  skpn 7 "podman end to end (7 checks): podman is not installed (apt-get install podman)"; finish
fi
if [ "$(id -u)" != 0 ]; then skpn 7 "podman end to end (7 checks): rootful podman needs root"; finish; fi
PS=$OUT/podman
# podman refuses a runroot longer than 50 characters: a short one under /tmp, removed at the end
PRUN=$(mktemp -d /tmp/wkpod.XXXXXX)
trap 'rm -rf "$PRUN"' EXIT
P=(podman --root "$PS/storage" --runroot "$PRUN" --runtime "$W" --cgroup-manager cgroupfs --events-backend none)
mkdir -p "$PS"
if ! "$B/wcompose" oci "$GUEST" --image --ref ocihello:1.0 -o "$OUT/img.oci.tar" >/dev/null; then bad "wcompose oci --image"; finish; fi
if ! timeout 120 "${P[@]}" load -i "$OUT/img.oci.tar" >"$PS/load.log" 2>&1; then
  skpn 7 "podman end to end (7 checks): podman cannot load an image here: $(grep -i error "$PS/load.log" | head -1)"; finish
fi
mkdir -p "$PS/vol"; echo "hello from a podman volume" > "$PS/vol/msg.txt"
timeout 120 "${P[@]}" run --rm --network none --annotation module.wasm.image/variant=compat -e GREETING=podman \
  -v "$PS/vol:/data:ro" localhost/ocihello:1.0 exit 5 >"$PS/run.out" 2>"$PS/run.err"; rc=$?
if [ $rc != 5 ] && grep -qiE "cgroup|namespace|overlay|mount|permission denied|operation not permitted" "$PS/run.err" && ! grep -q "wrun" "$PS/run.err"; then
  skpn 7 "podman end to end (7 checks): this machine cannot run podman containers: $(grep -i error "$PS/run.err" | head -1)"; finish
fi
if [ $rc = 5 ] && grep -qx "GREETING=podman" "$PS/run.out" && grep -qx "msg=hello from a podman volume" "$PS/run.out" &&
   grep -qx "argv0=/hello.wasm argc=3" "$PS/run.out"; then
  ok "podman --runtime wrun run: entrypoint from the image, -e, -v (ro), exit status 5"
else bad "podman run: rc=$rc $(cat "$PS/run.out" "$PS/run.err" | head -5)"; fi
if [ -n "$COMP" ] && "$B/wcompose" oci "$COMP" --image --name hello.wasm --ref ocicomp:1.0 -o "$OUT/comp.oci.tar" >/dev/null &&
   timeout 120 "${P[@]}" load -i "$OUT/comp.oci.tar" >/dev/null 2>&1; then
  timeout 120 "${P[@]}" run --rm --network none -e GREETING=component -v "$PS/vol:/data:ro" localhost/ocicomp:1.0 exit 0 >"$PS/comp.out" 2>"$PS/comp.err"; rc=$?
  timeout 120 "${P[@]}" run --rm --network none localhost/ocicomp:1.0 exit 3 >/dev/null 2>&1; rc3=$?
  if [ $rc = 0 ] && grep -qx "GREETING=component" "$PS/comp.out" && grep -qx "msg=hello from a podman volume" "$PS/comp.out" && [ $rc3 = 1 ]; then
    ok "podman runs a packaged component (wcompose oci --image): output, -e, -v; exit(3) is WASI 0.2 exit(err) = 1"
  else bad "podman component: rc=$rc rc3=$rc3 $(cat "$PS/comp.out" "$PS/comp.err" | head -4)"; fi
else skp "podman with a component image: no component (jco) or wcompose oci/podman load failed"; fi
# -t: conmon makes wrun create receive --console-socket and process.terminal; script(1) gives podman a tty
if command -v script >/dev/null 2>&1; then
  timeout 60 script -eqc "$(printf '%q ' "${P[@]}") run --rm -t --network none localhost/ocihello:1.0 exit 4" /dev/null >"$PS/tty.out" 2>&1; rc=$?
  if [ $rc = 4 ] && tr -d '\r' < "$PS/tty.out" | grep -qx "argv0=/hello.wasm argc=3"; then ok "podman run -t: the guest's output through the pty wrun handed to conmon, exit 4"
  else bad "podman -t: rc=$rc $(head -3 "$PS/tty.out")"; fi
else skp "podman run -t: script(1) is missing"; fi
timeout 60 "${P[@]}" run --rm --network none -v "$PS/vol:/data:ro" localhost/ocihello:1.0 write /data/y >/dev/null 2>&1; rc=$?
if [ $rc = 3 ] && [ ! -e "$PS/vol/y" ]; then ok "podman -v ...:ro is read-only for the guest"; else bad "podman ro volume: rc=$rc"; fi
cid=$(timeout 60 "${P[@]}" run -d --network none --memory 64m localhost/ocihello:1.0 spin 2>/dev/null)
sleep 0.5
st=$(timeout 30 "${P[@]}" inspect -f '{{.State.Status}}' "$cid" 2>&1)
ppid_=$(timeout 30 "${P[@]}" inspect -f '{{.State.Pid}}' "$cid" 2>&1)
if tr '\0' ' ' < "/proc/$ppid_/cmdline" 2>/dev/null | grep -q -- "--max-memory 67108864 -- .*/hello.wasm spin"; then
  ok "podman --memory 64m: the container process is wrun with --max-memory 67108864 (linux.resources.memory.limit)"
else bad "podman --memory: $(tr '\0' ' ' < "/proc/$ppid_/cmdline" 2>&1)"; fi
timeout 60 "${P[@]}" stop -t 5 "$cid" >/dev/null 2>&1
st2=$(timeout 30 "${P[@]}" inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$cid" 2>&1)
if [ "$st" = running ] && [ "$st2" = "exited 143" ]; then ok "podman run -d: running, podman stop (kill TERM) -> exited 143"
else bad "podman -d/stop: '$st' -> '$st2'"; fi
timeout 60 "${P[@]}" rm "$cid" >/dev/null 2>&1
if [ ! -e "/run/wrun/$cid" ] && [ -z "$(timeout 30 "${P[@]}" ps -aq 2>/dev/null)" ]; then ok "podman rm: no container left (wrun delete)"
else bad "podman rm left: $(timeout 30 "${P[@]}" ps -a 2>&1 | tail -n +2)"; fi
timeout 60 "${P[@]}" rmi -a -f >/dev/null 2>&1
finish
