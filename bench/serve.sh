#!/usr/bin/env bash
# wrun serve benchmark (part of `make bench`): requests/s and p50/p99 latency
# with wrk (Debian) against 127.0.0.1 only, bounded in time: the C handler
# (tests/http/handler.c) and, when built, the JS handler (tests/http/handler.js;
# `tests/http/build-handler.sh js` builds it) under `wrun serve` and under
# `jco serve` (node, preview2-shim), GET /hello; plus wrun serve's mean
# per-request instantiation time (its shutdown summary).
# Environment: BUILD (default build), SERVE_BENCH_SECS (per run, default 5),
# SERVE_BENCH_CONNS (wrk connections, default 4), SERVE_BENCH_THREADS
# (wrun serve --threads, default 1).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SECS=${SERVE_BENCH_SECS:-5}
CONNS=${SERVE_BENCH_CONNS:-4}
THREADS=${SERVE_BENCH_THREADS:-1}
NM=$PWD/scripts/npm/node_modules
OUT=$PWD/$BUILD/tests/http
die() { echo "bench serve: error: $*" >&2; exit 1; }
command -v wrk >/dev/null || die "wrk is not installed (scripts/setup.sh installs it)"
BUILD=$BUILD tests/http/build-handler.sh || die "cannot build the handlers"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# run_wrk LABEL URL: prints a table row
run_wrk() {
  local r
  r=$(timeout $((SECS + 30)) wrk -t1 -c"$CONNS" -d"${SECS}s" --latency "$2" 2>&1) || { printf "  %-32s %s\n" "$1" "wrk failed"; return; }
  local rps p50 p99 non2xx
  rps=$(echo "$r" | sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p')
  p50=$(echo "$r" | awk '$1=="50%"{print $2}')
  p99=$(echo "$r" | awk '$1=="99%"{print $2}')
  non2xx=$(echo "$r" | sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p')
  errs=$(echo "$r" | sed -n 's/.*Socket errors: *\(.*\)/\1/p')
  printf "  %-32s %10s %10s %10s%s%s\n" "$1" "$rps" "$p50" "$p99" "${non2xx:+  (non-2xx: $non2xx)}" "${errs:+  (socket errors: $errs)}"
}
wait_up() {
  for _ in $(seq 300); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done
  return 1
}

echo "wrun serve benchmark: wrk -t1 -c$CONNS -d${SECS}s GET /hello, loopback; wrun serve --threads $THREADS"
printf "  %-32s %10s %10s %10s\n" "" "req/s" "p50" "p99"
for h in handler handler-js; do
  comp=$OUT/$h.wasm
  [ -f "$comp" ] || { printf "  %-32s %s\n" "$h" "not built (tests/http/build-handler.sh js)"; continue; }
  port=$(free_port)
  "$BUILD/bin/wrun" serve --quiet --threads "$THREADS" --addr "127.0.0.1:$port" "$comp" 2>"$OUT/bench-$h.log" &
  pid=$!
  if wait_up "http://127.0.0.1:$port/hello"; then
    run_wrk "wrun serve $h" "http://127.0.0.1:$port/hello"
  else
    printf "  %-32s %s\n" "wrun serve $h" "did not start"
  fi
  kill -TERM $pid
  wait $pid
  inst=$(sed -n 's/.*instantiations, mean \([0-9.]*\) us/\1/p' "$OUT/bench-$h.log")
  # jco serve reuses one instance by default; --isolate-requests instance is
  # the fresh-instance-per-request mode wrun serve always uses
  for mode in shared instance; do
    port=$(free_port)
    iso=()
    [ $mode = instance ] && iso=(--isolate-requests instance)
    timeout $((SECS + 120)) "$NM/.bin/jco" serve "$comp" --port "$port" --host 127.0.0.1 "${iso[@]}" \
      >"$OUT/bench-jco-$h-$mode.log" 2>&1 &
    jpid=$!
    if wait_up "http://127.0.0.1:$port/hello"; then
      run_wrk "jco serve ($mode) $h" "http://127.0.0.1:$port/hello"
    else
      printf "  %-32s %s\n" "jco serve ($mode) $h" "did not start"
    fi
    kill $jpid 2>/dev/null
    wait $jpid 2>/dev/null
  done
  echo "    wrun serve $h: mean per-request instantiation ${inst:-?} us"
done
