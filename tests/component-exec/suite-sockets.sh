#!/usr/bin/env bash
# wasi:sockets grants of wrun (-S, wasmtime's spelling), seen from a guest: the probe component
# (tests/component-exec/data/sockets: probe.wat, a core module that creates sockets, binds and
# connects them on loopback and resolves IP literals; world.wit, its world) returns what the
# host answered and at which step, and `wrun --invoke` prints it as WAVE. The expected answers
# are wasmtime 48's (`wasmtime run`, crates/wasi/src/sockets and src/common.rs; lib/wasi/wasi2.c
# "wasi:sockets" cites them):
#   no -S                    create-tcp/udp-socket err(access-denied); lookup
#                            err(permanent-resolver-failure)
#   -S tcp / -S udp          that kind is created; start-bind err(access-denied); start-connect
#                            ok, then finish-connect err(access-denied) (no address granted)
#   -S inherit-network       TCP and UDP created, bound, UDP stream(none / remote) ok;
#                            lookup still err(permanent-resolver-failure); tcp=n takes TCP back
#   -S allow-ip-name-lookup  lookup of an IP literal answers it; sockets still denied
# Peers: jco transpile + node (preview2-shim; jco run has no -S). With its network allowed it
# must answer what `-S inherit-network,allow-ip-name-lookup` answers; with it denied (the shim's
# _deny* calls) what `-S tcp,udp` answers (the shim creates sockets and refuses their use), but
# for connect, printed as a note and not counted: the shim refuses at start-connect (as wasmtime
# 17 to 47 did), wasmtime 48 and lib/wasi at finish-connect.
# No real network is used: addresses are loopback ones, a connect is only made where it is
# refused before any connect(), a UDP stream(remote) only sets the default remote, and the
# lookups are of IP literals, which resolve-addresses answers without a query (wasi:sockets WIT).
# The probe is built with `jco parse` (core WAT), `wit-gen embed` (its world; jco embed 1.35
# panics on every WIT path) and `jco new`, cached in $BUILD/tests/component-sockets by the
# sources' hash.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
W=$BUILD/bin/wrun
WG=$BUILD/bin/wit-gen
NM=$PWD/scripts/npm/node_modules
JCO=$NM/.bin/jco
WIT=$NM/@bytecodealliance/jco/lib/wit/builtin/0.2.12
D=tests/component-exec/data/sockets
S=$BUILD/tests/component-sockets
mkdir -p "$S"
pass=0; fail=0
ok() { pass=$((pass+1)); echo "ok   $*"; }
bad() { fail=$((fail+1)); echo "FAIL $*"; }
for x in "$W" "$WG"; do [ -x "$x" ] || { echo "$x not built"; echo "0 passed, 1 failed"; exit 1; }; done
[ -x "$JCO" ] && [ -d "$WIT/wasi-sockets" ] || { echo "no jco or its WASI 0.2.12 WIT (scripts/setup.sh)"; echo "0 passed, 1 failed"; exit 1; }

P=$S/probe.wasm
key=$(cat "$D/probe.wat" "$D/world.wit" "$NM/@bytecodealliance/jco/package.json" | sha256sum | cut -c1-32)
if [ ! -f "$P" ] || [ "$(cat "$S/probe.key" 2>/dev/null)" != "$key" ]; then
  rm -rf "$P" "$S/probe.key" "$S/wit"; mkdir -p "$S/wit/deps"
  cp "$D/world.wit" "$S/wit/"
  for p in io clocks sockets; do mkdir -p "$S/wit/deps/$p" && cp "$WIT/wasi-$p/package.wit" "$S/wit/deps/$p/"; done
  if "$JCO" parse "$D/probe.wat" -o "$S/probe.core.wasm" >"$S/build.log" 2>&1 &&
     "$WG" embed "$S/wit" --world probe "$S/probe.core.wasm" -o "$S/probe.embed.wasm" >>"$S/build.log" 2>&1 &&
     "$JCO" new "$S/probe.embed.wasm" -o "$P" >>"$S/build.log" 2>&1; then
    echo "$key" >"$S/probe.key"
  else rm -f "$P"; fi
fi
[ -f "$P" ] || { echo "cannot build the probe component: $(head -c 300 "$S/build.log")"; echo "0 passed, 1 failed"; exit 1; }

inv() { # GRANTS CALL EXPECTED
  local g=$1 call=$2 want=$3 got rc
  # shellcheck disable=SC2086
  got=$(timeout 60 "$W" $g --invoke "$call" "$P" 2>&1); rc=$?
  if [ $rc -eq 0 ] && [ "$got" = "$want" ]; then ok "${g:-no -S}: $call = $want"
  else bad "${g:-no -S}: $call: exit $rc, got '$got', want '$want'"; fi
}
DENIED='err(access-denied)'
NOLOOKUP='err(permanent-resolver-failure)'
V4='ok(some(ipv4((127, 0, 0, 1))))'
V6='ok(some(ipv6((0, 0, 0, 0, 0, 0, 0, 1))))'
for c in 'tcp(ipv4)' 'tcp(ipv6)' 'udp(ipv4)' 'udp(ipv6)'; do inv "" "$c" "$DENIED"; done
for c in 'tcp-bind(ipv4)' 'tcp-connect(ipv6)' 'udp-bind(ipv4, false)'; do inv "" "$c" 'err((create, access-denied))'; done
for c in 'lookup("127.0.0.1")' 'lookup("::1")' 'lookup("")'; do inv "" "$c" "$NOLOOKUP"; done
for f in ipv4 ipv6; do
  inv "-S tcp" "tcp($f)" ok
  inv "-S tcp" "tcp-bind($f)" 'err((start-bind, access-denied))'
  inv "-S tcp" "tcp-connect($f)" 'err((finish-connect, access-denied))'
  inv "-S udp" "udp-bind($f, false)" 'err((start-bind, access-denied))'
done
inv "-S tcp" 'udp(ipv4)' "$DENIED"
inv "-S udp" 'udp(ipv6)' ok
inv "-S udp" 'tcp-bind(ipv4)' 'err((create, access-denied))'
inv "-S tcp,udp" 'lookup("127.0.0.1")' "$NOLOOKUP"
for f in ipv4 ipv6; do
  inv "-S inherit-network" "tcp-bind($f)" ok
  inv "-S inherit-network" "udp-bind($f, false)" ok
  inv "-S inherit-network" "udp-bind($f, true)" ok
done
inv "-S inherit-network" 'lookup("127.0.0.1")' "$NOLOOKUP"
inv "-S inherit-network,tcp=n" 'tcp-bind(ipv4)' 'err((create, access-denied))'
inv "-S tcp=no -S inherit-network" 'tcp(ipv4)' "$DENIED"
inv "-S inherit-network,udp=false" 'udp-bind(ipv4, false)' 'err((create, access-denied))'
inv "-S inherit-network=n,tcp" 'tcp-bind(ipv6)' 'err((start-bind, access-denied))'
inv "-S allow-ip-name-lookup" 'tcp(ipv4)' "$DENIED"
inv "-S allow-ip-name-lookup" 'udp(ipv6)' "$DENIED"
inv "-S allow-ip-name-lookup" 'lookup("127.0.0.1")' "$V4"
inv "-S allow-ip-name-lookup" 'lookup("::1")' "$V6"
inv "-S allow-ip-name-lookup,allow-ip-name-lookup=n" 'lookup("::1")' "$NOLOOKUP"

# the peer: jco transpile + node, network allowed and denied
rm -rf "$S/js"; mkdir -p "$S/js"; ln -sfn "$NM" "$S/js/node_modules"
cat >"$S/js/probe.mjs" <<'JS'
// prints the answers of the transpiled probe in WAVE, one call per line (the calls of
// CALLS in suite-sockets.sh); with "deny" first, after the shim's _deny* calls (what
// `jco run` does without --sandbox-net-inherit)
const deny = process.argv[3] === 'deny';
if (deny) {
  const s = await import('@bytecodealliance/preview2-shim/sockets');
  s._denyDnsLookup(); s._denyTcp(); s._denyUdp();
}
const m = await import(process.argv[2]);
const ip = (a) => `${a.tag}((${a.val.join(', ')}))`;
const wave = (f) => {
  try { const r = f(); return r === undefined ? 'ok' : `ok(${r})`; }
  catch (e) {
    if (e.payload === undefined) return `exception ${e}`;
    return Array.isArray(e.payload) ? `err((${e.payload.join(', ')}))` : `err(${e.payload})`;
  }
};
const some = (r) => (r === undefined ? 'none' : `some(${ip(r)})`);
console.log(wave(() => { m.tcp('ipv4'); }));
console.log(wave(() => { m.udp('ipv4'); }));
console.log(wave(() => { m.tcpBind('ipv4'); }));
console.log(wave(() => { m.udpBind('ipv4', false); }));
console.log(wave(() => { m.udpBind('ipv6', true); }));
for (const n of ['127.0.0.1', '::1']) console.log(wave(() => some(m.lookup(n))));
if (deny) console.log(wave(() => { m.tcpConnect('ipv4'); }));
JS
CALLS=('tcp(ipv4)' 'udp(ipv4)' 'tcp-bind(ipv4)' 'udp-bind(ipv4, false)' 'udp-bind(ipv6, true)' 'lookup("127.0.0.1")' 'lookup("::1")')
wrun_calls() { # OUT GRANTS...: wrun's answers to CALLS, one a line
  local out=$1; shift
  : >"$out"
  for c in "${CALLS[@]}"; do timeout 60 "$W" "$@" --invoke "$c" "$P" >>"$out" 2>&1; done
}
if timeout 300 "$JCO" transpile "$P" -o "$S/js/out" --name probe >"$S/js/transpile.log" 2>&1 &&
   (cd "$S/js" && timeout 120 node probe.mjs ./out/probe.js >jco.txt 2>node.err &&
    timeout 120 node probe.mjs ./out/probe.js deny >jco-deny-all.txt 2>>node.err); then
  head -n "${#CALLS[@]}" "$S/js/jco-deny-all.txt" >"$S/js/jco-deny.txt"
  for g in "-S inherit-network,allow-ip-name-lookup" "-S allow-ip-name-lookup -S inherit-network"; do
    # shellcheck disable=SC2086
    wrun_calls "$S/js/wrun.txt" $g
    if [ "$(sed -n 6p "$S/js/jco.txt")" = "$V4" ] && [ "$(sed -n 3p "$S/js/jco.txt")" = ok ] &&
       cmp -s "$S/js/jco.txt" "$S/js/wrun.txt"; then
      ok "$g: ${CALLS[*]} answer what jco transpile + node answers ($(tr '\n' ' ' <"$S/js/wrun.txt"))"
    else
      bad "$g: wrun differs from jco transpile + node"; diff "$S/js/jco.txt" "$S/js/wrun.txt" | head -8
    fi
  done
  wrun_calls "$S/js/wrun-deny.txt" -S tcp,udp
  if [ "$(sed -n 3p "$S/js/jco-deny.txt")" = 'err((start-bind, access-denied))' ] &&
     cmp -s "$S/js/jco-deny.txt" "$S/js/wrun-deny.txt"; then
    ok "-S tcp,udp: ${CALLS[*]} answer what jco + node with its network denied answers ($(tr '\n' ' ' <"$S/js/wrun-deny.txt"))"
  else
    bad "-S tcp,udp: wrun differs from jco + node with its network denied"; diff "$S/js/jco-deny.txt" "$S/js/wrun-deny.txt" | head -8
  fi
  echo "note: tcp-connect(ipv4) with the network denied: jco $(tail -n 1 "$S/js/jco-deny-all.txt"), wrun -S tcp" \
       "$(timeout 60 "$W" -S tcp --invoke 'tcp-connect(ipv4)' "$P" 2>&1) as wasmtime 48 (not compared: see the header)"
else
  bad "jco transpile / node failed on the probe (see $S/js)"
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
