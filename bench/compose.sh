#!/usr/bin/env bash
# `make bench-compose` (also part of `make bench`): how long `wcompose` takes to compose the
# 12 MB componentize-js component with a small C command (the C + JS case of
# tests/compose/suite-e2e.sh, whose outputs it reuses; it runs the suite once when they are
# missing). Reports CPU (user + sys) and wall medians over ROUNDS runs (default 11), with the
# issue's target of 100 ms.
#
# Peers: neither npm nor Debian has a composer (no wac, no wasm-tools with `compose`; jco's
# wasm-tools has no compose command), so the side-by-side rows are the nearest operations on
# the same 12 MB input: `winspect --validate` (our decode + full validation alone) and
# `jco wit` (wasm-tools in node: parse, validate and decode the WIT of the component).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
ROUNDS=${ROUNDS:-11}
C=$BUILD/tests/compose-e2e/c
JS=$(ls "$BUILD"/tests/compose-e2e-cache/jsfmt-*.wasm 2>/dev/null | head -1)
if [ ! -f "$C/app.wasm" ] || [ -z "$JS" ]; then
  echo "bench/compose.sh: building the inputs with tests/compose/suite-e2e.sh" >&2
  BUILD=$BUILD bash tests/compose/suite-e2e.sh > "$BUILD/bench-compose-suite.log" 2>&1
  JS=$(ls "$BUILD"/tests/compose-e2e-cache/jsfmt-*.wasm 2>/dev/null | head -1)
fi
if [ ! -f "$C/app.wasm" ] || [ -z "$JS" ]; then
  echo "bench/compose.sh: cannot build the inputs (see $BUILD/bench-compose-suite.log)" >&2
  exit 1
fi
JCO=scripts/npm/node_modules/.bin/jco
OUT=$BUILD/bench/compose
mkdir -p "$OUT"
python3 - "$ROUNDS" "$BUILD/bin/wcompose" "$BUILD/bin/winspect" "$JCO" "$C/app.wasm" "$JS" "$OUT" <<'PY'
import os, statistics, subprocess, sys, time
rounds, wc, wi, jco, app, js, out = int(sys.argv[1]), *sys.argv[2:]
cases = [
    ("wcompose APP JS -o OUT (compose + validate + write)", [wc, app, js, "-o", f"{out}/cj.wasm"]),
    ("winspect --validate JS (our decode + validation alone)", [wi, "--validate", js]),
]
if os.access(jco, os.X_OK):
    cases.append(("jco wit JS (wasm-tools in node: parse + validate + WIT)", [jco, "wit", js]))
res = {name: ([], []) for name, _ in cases}
for _ in range(rounds):          # interleaved, so a load change hits every case alike
    for name, cmd in cases:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        err = p.stderr.read().decode(errors="replace"); p.stderr.close()
        if status != 0:
            sys.exit(f"bench/compose.sh: {' '.join(cmd)} failed: {err[:300]}")
        res[name][0].append((ru.ru_utime + ru.ru_stime) * 1000)
        res[name][1].append(wall * 1000)
size = os.path.getsize(js) / 1e6
print(f"compose: {size:.1f} MB JS component + {os.path.getsize(app)/1e3:.0f} kB C command, "
      f"{rounds} rounds, medians (load average {os.getloadavg()[0]:.1f})")
print(f"  {'case':58} {'CPU ms':>8} {'wall ms':>8}")
for name, _ in cases:
    cpu, wall = res[name]
    print(f"  {name:58} {statistics.median(cpu):8.1f} {statistics.median(wall):8.1f}")
cpu = statistics.median(res[cases[0][0]][0])
print(f"  target: wcompose under 100 ms: CPU {'met' if cpu < 100 else 'NOT met'} ({cpu:.1f} ms)")
PY
