#!/usr/bin/env bash
# wrun serve benchmark (part of `make bench`): requests/s and p50/p99 latency
# with wrk (Debian) against 127.0.0.1 only, bounded in time: the C handler
# (tests/http/handler.c) and the JS handler (tests/http/handler.js; both built
# and cached by tests/http/build-handler.sh) under `wrun serve` and under
# `jco serve` (node, preview2-shim), GET /hello. All servers are started
# first, then each round runs wrk against each of them in turn (interleaved,
# so that a change in the machine's load falls on all of them alike).
# Per-request instantiation: wrun serve's own mean (its shutdown summary);
# for jco serve (which has no such counter, and whose node is one thread)
# the extra time per request of a fresh instance over a shared one,
# 1/rps(instance) - 1/rps(shared), from the same round.
# Environment: BUILD (default build), SERVE_BENCH_SECS (per wrk run, default
# 5), SERVE_BENCH_CONNS (wrk connections, default 4), SERVE_BENCH_THREADS
# (wrun serve --threads, default 1), SERVE_BENCH_ROUNDS (default 1),
# SERVE_BENCH_WARMUP (seconds of unreported load on each server first, default 2).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SECS=${SERVE_BENCH_SECS:-5}
CONNS=${SERVE_BENCH_CONNS:-4}
THREADS=${SERVE_BENCH_THREADS:-1}
ROUNDS=${SERVE_BENCH_ROUNDS:-1}
WARM=${SERVE_BENCH_WARMUP:-2}
NM=$PWD/scripts/npm/node_modules
OUT=$PWD/$BUILD/tests/http
die() { echo "bench serve: error: $*" >&2; exit 1; }
command -v wrk >/dev/null || die "wrk is not installed (scripts/setup.sh installs it)"
BUILD=$BUILD tests/http/build-handler.sh c js || die "cannot build the handlers"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() {
  for _ in $(seq 300); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done
  return 1
}
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; }
trap cleanup EXIT

# the servers: LABEL|PORT|PID (jco serve's default mode reuses one instance,
# which StarlingMonkey's fetch event refuses after the first request:
# "respondWith can't be called twice", so the JS handler runs only in
# --isolate-requests instance mode there)
declare -a LABELS PORTS WPIDS
start() { # LABEL COMMAND...
  local label=$1 port
  shift
  port=$(free_port)
  local args=("${@//@PORT@/$port}")
  "${args[@]}" >"$OUT/bench-${label// /_}.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  if wait_up "http://127.0.0.1:$port/hello"; then
    LABELS+=("$label")
    PORTS+=("$port")
    WPIDS+=("$pid")
  else
    printf "  %-34s %s\n" "$label" "did not start (see $OUT/bench-${label// /_}.log)"
  fi
}
for h in handler handler-js; do
  comp=$OUT/$h.wasm
  [ -f "$comp" ] || { echo "  $h: not built"; continue; }
  start "wrun serve $h" "$BUILD/bin/wrun" serve --quiet --threads "$THREADS" --addr "127.0.0.1:@PORT@" "$comp"
  [ $h = handler ] && start "jco serve (shared) $h" timeout $((ROUNDS * 6 * (SECS + 5) + 300)) "$NM/.bin/jco" serve "$comp" \
    --port @PORT@ --host 127.0.0.1
  start "jco serve (instance) $h" timeout $((ROUNDS * 6 * (SECS + 5) + 300)) "$NM/.bin/jco" serve "$comp" \
    --port @PORT@ --host 127.0.0.1 --isolate-requests instance
done

# warm-up, not reported: node's JIT (and the caches) before the first measured run
for i in "${!PORTS[@]}"; do
  timeout $((WARM + 30)) wrk -t1 -c"$CONNS" -d"${WARM}s" "http://127.0.0.1:${PORTS[$i]}/hello" >/dev/null 2>&1
done
echo "wrun serve benchmark: wrk -t1 -c$CONNS -d${SECS}s GET /hello, loopback; wrun serve --threads $THREADS; $ROUNDS round(s)"
echo "(after a ${WARM} s warm-up of each server)"
declare -A RPS
for r in $(seq 1 "$ROUNDS"); do
  [ "$ROUNDS" -gt 1 ] && echo "round $r"
  printf "  %-34s %10s %10s %10s\n" "" "req/s" "p50" "p99"
  for i in "${!LABELS[@]}"; do
    out=$(timeout $((SECS + 30)) wrk -t1 -c"$CONNS" -d"${SECS}s" --latency "http://127.0.0.1:${PORTS[$i]}/hello" 2>&1) ||
      { printf "  %-34s %s\n" "${LABELS[$i]}" "wrk failed"; continue; }
    rps=$(echo "$out" | sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p')
    p50=$(echo "$out" | awk '$1=="50%"{print $2}')
    p99=$(echo "$out" | awk '$1=="99%"{print $2}')
    non2xx=$(echo "$out" | sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p')
    errs=$(echo "$out" | sed -n 's/.*Socket errors: *\(.*\)/\1/p')
    RPS["${LABELS[$i]}"]=$rps
    printf "  %-34s %10s %10s %10s%s%s\n" "${LABELS[$i]}" "$rps" "$p50" "$p99" "${non2xx:+  (non-2xx: $non2xx)}" \
      "${errs:+  (socket errors: $errs)}"
  done
done
echo "per-request instantiation:"
for i in "${!LABELS[@]}"; do
  case ${LABELS[$i]} in
  "wrun serve "*)
    kill -TERM "${WPIDS[$i]}"
    wait "${WPIDS[$i]}" 2>/dev/null
    inst=$(sed -n 's/.*instantiations, mean \([0-9.]*\) us/\1/p' "$OUT/bench-${LABELS[$i]// /_}.log")
    printf "  %-34s %10s us (its own mean)\n" "${LABELS[$i]}" "${inst:-?}" ;;
  "jco serve (instance) "*)
    h=${LABELS[$i]#jco serve (instance) }
    ri=${RPS["${LABELS[$i]}"]:-} rs=${RPS["jco serve (shared) $h"]:-}
    if [ -n "$ri" ] && [ -n "$rs" ]; then
      printf "  %-34s %10s us (1/rps instance - 1/rps shared, last round)\n" "jco serve $h" \
        "$(awk -v a="$ri" -v b="$rs" 'BEGIN{ if (a > 0 && b > 0) printf "%.0f", 1e6/a - 1e6/b; else print "?" }')"
    else
      printf "  %-34s %10s (no shared-instance run to compare with)\n" "jco serve $h" "?"
    fi ;;
  esac
done
