#!/usr/bin/env bash
# Component benchmarks (issue 10, Deliver 6): wrun / lib/component side by side with jco on node,
# in ONE interleaved run; prints one table. `make bench-components` runs it (not part of `make test`).
#
# Rows
#   upper, sum    host->guest calls per second of `upper(string) -> string` with a 1 KiB string and
#                 `sum(list<u32>) -> u64` with 64 Ki elements (bench.wit; guest.c on `wit-gen c`
#                 bindings, clang-14 --target=wasm32-wasi, `wit-gen embed`, `jco new` with jco's
#                 preview1 reactor adapter). wrun column: $BUILD/bench/comp-calls (calls.c, over
#                 lib/component); node column: calls.mjs on `jco transpile`'s output. Both call N/10
#                 times to warm up, then N times timed; calls/s = N / CPU time of those N calls
#                 (getrusage of the process: user + sys; node: process.cpuUsage, the same).
#   hello-*       start-up of tests/component/data/hello.c (built by tests/component/build-real.sh):
#                 as a core module (`wrun hello.core.wasm`; node: bench/node-wasi.mjs) and as a
#                 component (`wrun hello-c.wasm`; node: run-comp.mjs on jco transpile's output),
#                 each also with `wrun --cache DIR` (filled before the rounds); hello-wcomp: the
#                 same core module made a component by `wcompose new` (wkit's built-in preview1
#                 adapter, adapter/preview1.c) under wrun. Whole processes,
#                 measured by bench/measure.c (wait4 rusage), BENCH_HELLO_RUNS runs per round.
#   js-*          the componentize-js component (hello-js.wasm, 12 MB), one --invoke call of
#                 greet("world"): first run (wrun without a cache; node: `jco transpile` + node,
#                 the CPU of both processes added) and cached (wrun --cache DIR filled before the
#                 rounds; node: on the already transpiled output).
# Every round runs every (row, engine) pair once, in a rotating order, so load from other jobs falls
# on all alike. Cells are MEDIANS over the rounds (start-up: over every run). Every output is
# checked (calls: each result against the host's own; start-up: stdout and exit status); a
# mismatch fails the bench (exit 1).
#
# Environment: BUILD (default build), BENCH_ROUNDS (default 5), BENCH_HELLO_RUNS (default 20),
# BENCH_UPPER_N (default 20000), BENCH_SUM_N (default 500).
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=$(cd "${BUILD:-build}" && pwd)
NM=$ROOT/scripts/npm/node_modules
JCO=$NM/.bin/jco
OUT=$BUILD/bench/components
REAL=$BUILD/tests/component-real
mkdir -p "$OUT"
die() { echo "bench-components: error: $*" >&2; exit 1; }
for t in "$BUILD/bin/wrun" "$BUILD/bin/wit-gen" "$BUILD/bin/wcompose" "$BUILD/bench/comp-calls"; do
  [ -x "$t" ] || die "$t is not built (make bench-components builds it)"
done

# ---- build what is missing (nothing here is timed) ----
MEAS=$BUILD/bench/measure
if [ ! -x "$MEAS" ] || [ bench/measure.c -nt "$MEAS" ]; then
  gcc -O2 -Wall -Wextra -o "$MEAS" bench/measure.c || die "cannot build bench/measure.c"
fi
G=$OUT/guest
if [ ! -f "$G/guest.wasm" ] || [ bench/components/guest.c -nt "$G/guest.wasm" ] ||
   [ bench/components/bench.wit -nt "$G/guest.wasm" ] || [ "$BUILD/bin/wit-gen" -nt "$G/guest.wasm" ]; then
  rm -rf "$G"; mkdir -p "$G"
  { "$BUILD/bin/wit-gen" c bench/components/bench.wit --out-dir "$G" &&
    clang-14 --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -I "$G" -o "$G/guest.core.wasm" \
      bench/components/guest.c "$G/bench.c" &&
    "$BUILD/bin/wit-gen" embed bench/components/bench.wit --world bench "$G/guest.core.wasm" -o "$G/guest.emb.wasm" &&
    "$JCO" new "$G/guest.emb.wasm" --adapt \
      "wasi_snapshot_preview1=$NM/@bytecodealliance/jco/lib/wasi_snapshot_preview1.reactor.wasm" -o "$G/guest.wasm" &&
    ln -sfn "$NM" "$G/node_modules" &&
    "$JCO" transpile "$G/guest.wasm" --name guest -o "$G/js"; } >"$OUT/guest-build.log" 2>&1 ||
    { rm -f "$G/guest.wasm"; die "cannot build the guest component (see $OUT/guest-build.log)"; }
fi
bash tests/component/build-real.sh hello-c || die "cannot build hello-c"
if [ ! -f "$OUT/hello-w.wasm" ] || [ "$REAL/hello.core.wasm" -nt "$OUT/hello-w.wasm" ] || [ "$BUILD/bin/wcompose" -nt "$OUT/hello-w.wasm" ]; then
  "$BUILD/bin/wcompose" new "$REAL/hello.core.wasm" -o "$OUT/hello-w.wasm" || die "wcompose new hello.core.wasm failed"
fi
bash tests/component/build-real.sh hello-js || die "cannot build hello-js"
for c in hello-c hello-js; do
  if [ ! -f "$OUT/$c/out/hello.js" ] || [ "$REAL/$c.wasm" -nt "$OUT/$c/out/hello.js" ]; then
    rm -rf "$OUT/$c"; mkdir -p "$OUT/$c"; ln -sfn "$NM" "$OUT/$c/node_modules"
    "$JCO" transpile "$REAL/$c.wasm" --name hello -o "$OUT/$c/out" >"$OUT/$c.transpile.log" 2>&1 ||
      die "jco transpile $c failed (see $OUT/$c.transpile.log)"
  fi
done
# the caches, filled once before the rounds (wrun caches core modules with >= 32 KiB of code, every module of a component)
rm -rf "$OUT/cache-core" "$OUT/cache-comp" "$OUT/cache-wcomp" "$OUT/cache-js"
"$BUILD/bin/wrun" --cache "$OUT/cache-core" "$REAL/hello.core.wasm" >/dev/null &&
"$BUILD/bin/wrun" --cache "$OUT/cache-comp" "$REAL/hello-c.wasm" >/dev/null &&
"$BUILD/bin/wrun" --cache "$OUT/cache-wcomp" "$OUT/hello-w.wasm" >/dev/null &&
"$BUILD/bin/wrun" --trap-unknown-imports --cache "$OUT/cache-js" --invoke 'local:hello/greet#greet("world")' \
  "$REAL/hello-js.wasm" >/dev/null || die "cannot fill the wrun caches"

export ROOT BUILD OUT REAL MEAS NM
exec python3 - <<'PY'
import os, statistics, subprocess, sys, time
ROOT, BUILD, OUT, REAL, MEAS, NM = (os.environ[k] for k in ("ROOT", "BUILD", "OUT", "REAL", "MEAS", "NM"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
HRUNS = int(os.environ.get("BENCH_HELLO_RUNS", "20"))
UPPER_N = int(os.environ.get("BENCH_UPPER_N", "20000"))
SUM_N = int(os.environ.get("BENCH_SUM_N", "500"))
WRUN, CALLS = f"{BUILD}/bin/wrun", f"{BUILD}/bench/comp-calls"
NODE = ["node", "--no-warnings"]
B = f"{ROOT}/bench/components"
G = f"{OUT}/guest"
TMP = f"{OUT}/tmp"
os.makedirs(TMP, exist_ok=True)
JS_CALL = 'local:hello/greet#greet("world")'

def die(msg):
    print(f"bench-components: error: {msg}", file=sys.stderr)
    sys.exit(1)

def calls(argv):
    """An in-process calls/s measurement: returns calls per CPU second."""
    r = subprocess.run(argv, capture_output=True, text=True)
    parts = r.stdout.split()
    if r.returncode != 0 or len(parts) != 5 or parts[0] != "calls":
        die(f"{' '.join(argv)}: exit {r.returncode}: {r.stderr.strip()[:300]}")
    return float(parts[4])

def proc(argv, want, n=1, cwd=None):
    """n whole-process runs under bench/measure: [(cpu_ms, wall_ms, rss_mib)]; checks stdout and exit status."""
    o = f"{TMP}/out"
    cmd = [MEAS, "-n", str(n), "-o", o, "-e", f"{TMP}/err"] + (["-d", cwd] if cwd else []) + ["--"] + argv
    r = subprocess.run(cmd, capture_output=True, text=True)
    got = open(o).read()
    if r.returncode != 0 or got != want:
        die(f"{' '.join(argv)}: exit {r.returncode}, stdout {got!r} (want {want!r}); stderr: {open(TMP + '/err').read()[:300]}")
    res = []
    for line in r.stdout.splitlines():
        wall, user, sys_, rss, _ = map(int, line.split())
        res.append(((user + sys_) / 1000, wall / 1000, rss / 1024))
    return res

HELLO = "hello 1 -\n"
JSW = '"hello world"\n'
# (row, engine) -> function returning a list of samples (calls/s, or (cpu, wall, rss) tuples)
ITEMS = {
    ("upper", "wrun"): lambda: [calls([CALLS, f"{G}/guest.wasm", "upper", str(UPPER_N)])],
    ("upper", "node"): lambda: [calls(NODE + [f"{B}/calls.mjs", f"{G}/js", "upper", str(UPPER_N)])],
    ("sum", "wrun"): lambda: [calls([CALLS, f"{G}/guest.wasm", "sum", str(SUM_N)])],
    ("sum", "node"): lambda: [calls(NODE + [f"{B}/calls.mjs", f"{G}/js", "sum", str(SUM_N)])],
    ("hello-core", "wrun"): lambda: proc([WRUN, f"{REAL}/hello.core.wasm"], HELLO, HRUNS),
    ("hello-core", "wrun-cache"): lambda: proc([WRUN, "--cache", f"{OUT}/cache-core", f"{REAL}/hello.core.wasm"], HELLO, HRUNS),
    ("hello-core", "node"): lambda: proc(NODE + [f"{ROOT}/bench/node-wasi.mjs", f"{REAL}/hello.core.wasm"], HELLO, HRUNS),
    ("hello-comp", "wrun"): lambda: proc([WRUN, f"{REAL}/hello-c.wasm"], HELLO, HRUNS),
    ("hello-comp", "wrun-cache"): lambda: proc([WRUN, "--cache", f"{OUT}/cache-comp", f"{REAL}/hello-c.wasm"], HELLO, HRUNS),
    ("hello-wcomp", "wrun"): lambda: proc([WRUN, f"{OUT}/hello-w.wasm"], HELLO, HRUNS),
    ("hello-wcomp", "wrun-cache"): lambda: proc([WRUN, "--cache", f"{OUT}/cache-wcomp", f"{OUT}/hello-w.wasm"], HELLO, HRUNS),
    ("hello-comp", "node"): lambda: proc(NODE + [f"{B}/run-comp.mjs", f"{OUT}/hello-c/out/hello.js", "run"], HELLO, HRUNS),
    ("js-first", "wrun"): lambda: proc([WRUN, "--trap-unknown-imports", "--invoke", JS_CALL, f"{REAL}/hello-js.wasm"], JSW),
    ("js-first", "node"): None,  # jco transpile + node: below
    ("js-cached", "wrun"): lambda: proc([WRUN, "--trap-unknown-imports", "--cache", f"{OUT}/cache-js", "--invoke", JS_CALL,
                                         f"{REAL}/hello-js.wasm"], JSW),
    ("js-cached", "node"): lambda: proc(NODE + [f"{B}/run-comp.mjs", f"{OUT}/hello-js/out/hello.js", "call", "greet.greet",
                                                '["world"]'], JSW),
}

def js_first_node_item():
    d = f"{TMP}/js-first"
    subprocess.run(["rm", "-rf", d], check=True)
    os.makedirs(d)
    os.symlink(NM, f"{d}/node_modules")
    r = subprocess.run([MEAS, "-o", f"{TMP}/tr.out", "-e", f"{TMP}/tr.err", "--", f"{NM}/.bin/jco", "transpile",
                        f"{REAL}/hello-js.wasm", "--name", "hello", "-o", f"{d}/out"], capture_output=True, text=True)
    if r.returncode != 0 or not os.path.exists(f"{d}/out/hello.js"):
        die(f"jco transpile hello-js failed: {open(TMP + '/tr.err').read()[:300]}")
    wall, user, sys_, rss, _ = map(int, r.stdout.split())
    (c, w, m), = proc(NODE + [f"{B}/run-comp.mjs", f"{d}/out/hello.js", "call", "greet.greet", '["world"]'], JSW)
    return [((user + sys_) / 1000 + c, wall / 1000 + w, max(rss / 1024, m))]
ITEMS[("js-first", "node")] = js_first_node_item

keys = list(ITEMS)
samples = {k: [] for k in keys}
t0 = time.time()
for r in range(ROUNDS):
    order = keys[r * 3 % len(keys):] + keys[:r * 3 % len(keys)]  # rotate the start each round
    if r % 2: order.reverse()
    for k in order:
        samples[k] += ITEMS[k]()
    print(f"round {r + 1}/{ROUNDS} done ({time.time() - t0:.0f} s)", file=sys.stderr)

med = lambda xs: statistics.median(xs)
def m3(k):  # medians of cpu, wall, rss
    s = samples[k]
    return med([x[0] for x in s]), med([x[1] for x in s]), med([x[2] for x in s]), len(s)

print(f"component benchmarks: wrun (lib/component) vs jco transpile + node {subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip()}")
print(f"{ROUNDS} interleaved rounds; medians; CPU = user + sys from rusage; every output checked")
print()
print(f"{'host->guest calls (per CPU second)':44} {'wrun calls/s':>13} {'node calls/s':>13} {'wrun/node':>10}  (>1: wrun faster)")
for row, label, n in (("upper", "upper(string) -> string, 1 KiB", UPPER_N), ("sum", "sum(list<u32>) -> u64, 64 Ki elements", SUM_N)):
    w, j = med(samples[(row, "wrun")]), med(samples[(row, "node")])
    print(f"{label + f' (N={n})':44} {w:13.0f} {j:13.0f} {w / j:10.3f}")
print()
print(f"{'start-up (one process)':44} {'CPU ms':>8} {'wall ms':>8} {'RSS MiB':>8} {'runs':>5}")
ncache = {d: len(os.listdir(f"{OUT}/{d}")) if os.path.isdir(f"{OUT}/{d}") else 0 for d in ("cache-core", "cache-comp", "cache-wcomp", "cache-js")}
rows = [("hello-core", "wrun", "hello.c core module: wrun"),
        ("hello-core", "wrun-cache", f"hello.c core module: wrun --cache ({ncache['cache-core']} f)"),
        ("hello-core", "node", "hello.c core module: node (node:wasi)"),
        ("hello-comp", "wrun", "hello.c component: wrun"),
        ("hello-comp", "wrun-cache", f"hello.c component: wrun --cache ({ncache['cache-comp']} f)"),
        ("hello-comp", "node", "hello.c component: node (jco transpiled)"),
        ("hello-wcomp", "wrun", "hello.c wcompose-new component: wrun"),
        ("hello-wcomp", "wrun-cache", f"hello.c wcompose-new comp.: wrun --cache ({ncache['cache-wcomp']} f)"),
        ("js-first", "wrun", "JS component, first run: wrun (no cache)"),
        ("js-first", "node", "JS component, first run: jco transpile+node"),
        ("js-cached", "wrun", f"JS component, cached: wrun --cache ({ncache['cache-js']} f)"),
        ("js-cached", "node", "JS component, cached: node (transpiled)")]
for row, eng, label in rows:
    c, w, m, n = m3((row, eng))
    print(f"{label:44} {c:8.2f} {w:8.2f} {m:8.1f} {n:5d}")
print()
print("(N f): files in the wrun cache dir; wrun caches core modules with >= 32 KiB of code (hello.core.wasm has less: its")
print("'--cache' row translates) and every module of a component with code, plus the component's group index (.wkg)")
print()
print("ratios of CPU medians (<1: wrun cheaper)")
for eng, label in (("wrun", "wrun"), ("wrun-cache", "wrun --cache"), ("node", "node")):
    c1, c0 = m3(("hello-comp", eng))[0], m3(("hello-core", eng))[0]
    extra = f"  (issue 10 limit for wrun: 1.20)" if eng.startswith("wrun") else ""
    print(f"  hello component / core module, {label:13} {c1 / c0:6.3f}{extra}")
    if eng.startswith("wrun"):
        print(f"  hello wcompose-new comp. / core, {label:11} {m3(('hello-wcomp', eng))[0] / c0:6.3f}{extra}")
for row in ("js-first", "js-cached"):
    print(f"  JS component, {row[3:]:6} run, wrun / node       {m3((row, 'wrun'))[0] / m3((row, 'node'))[0]:6.2f}")
PY
