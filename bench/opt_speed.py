#!/usr/bin/env python3
"""Speed under wrun of code optimized by `wcompose opt -O3` against the same code
optimized by Debian's `wasm-opt -O3` (binaryen 108, the same library wcompose links),
in one interleaved run (part of `make bench`, through bench/opt.sh).

Workloads: EEMBC CoreMark (sources from the peers' tarball, ../shared/peers/src) and
our kernels (bench/kernels/*.c), each compiled with clang --target=wasm32-wasi -O0,
then three variants:
    O0        the -O0 module as clang wrote it
    wcompose  wcompose opt -O3 of it
    wasm-opt  wasm-opt -O3 --strip-dwarf of it (the command-line program; the -O0 module
              carries wasi-libc's DWARF, which wcompose opt drops and wasm-opt would keep)
and, for reference, clang -O2 of the same source (clang's own optimizer).
Every round runs every (workload, variant) once under wrun, variants in a rotating
order; cells are medians of CPU time (bench/measure.c: user + sys from wait4).
Every output is checked: the kernels' "checksum:" line and CoreMark's CRC lines must
equal the -O0 module's. Also reports each module's size and the optimizer's wall time.

Environment: BUILD (default build), BENCH_QUICK=1 (smaller inputs), BENCH_ROUNDS
(default 5, quick 3), PEERS_SRC (the peers folder, default ../shared/peers).
"""
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402  (measure, checks, die, sh)

ROOT = os.path.dirname(HERE)
BUILD = os.path.abspath(os.environ.get("BUILD", "build"))
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3" if QUICK else "5"))
OUT = os.path.join(BUILD, "bench", "opt")
WRUN = os.path.join(BUILD, "bin/wrun")
WCOMPOSE = os.path.join(BUILD, "bin/wcompose")
VARIANTS = ["O0", "wcompose", "wasm-opt", "clang-O2"]
CM_SRCS = ["core_list_join.c", "core_main.c", "core_matrix.c", "core_state.c", "core_util.c",
           "posix/core_portme.c"]


def coremark_src():
    peers = os.environ.get("PEERS_SRC") or os.path.join(ROOT, "../shared/peers")
    tars = glob.glob(os.path.join(peers, "src", "coremark-*.tar.gz"))
    if len(tars) != 1:
        bench.die(f"expected one coremark-*.tar.gz in {peers}/src (set PEERS_SRC)")
    dst = os.path.join(OUT, "src")
    if not os.path.exists(os.path.join(dst, "coremark", "core_main.c")):
        shutil.rmtree(dst, ignore_errors=True)
        os.makedirs(dst)
        with tarfile.open(tars[0]) as t:
            t.extractall(dst)
    return os.path.join(dst, "coremark")


def compile_wasm(name, level, out):
    cc = ["clang", "--target=wasm32-wasi", f"-{level}", "-ffp-contract=off"]
    if name == "coremark":
        src = coremark_src()
        bench.sh(cc + ["-Iposix", "-I.", f'-DFLAGS_STR="-{level} (wasm32-wasi clang)"'] + CM_SRCS + ["-o", out],
                 cwd=src)
    else:
        bench.sh(cc + [os.path.join(HERE, "kernels", name + ".c"), "-o", out])


def timed(argv):
    t0 = time.monotonic()
    r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        bench.die(f"{' '.join(argv)} failed: {r.stderr.strip()[:300]}")
    return time.monotonic() - t0


def main():
    for t in (WRUN, WCOMPOSE):
        if not os.access(t, os.X_OK):
            bench.die(f"{t} missing (make {t})")
    if not shutil.which("wasm-opt"):
        bench.die("wasm-opt missing (Debian package binaryen)")
    os.makedirs(os.path.join(OUT, "run"), exist_ok=True)
    meas = os.path.join(BUILD, "bench", "measure")
    if bench.newer(os.path.join(HERE, "measure.c"), meas):
        os.makedirs(os.path.dirname(meas), exist_ok=True)
        bench.sh(["gcc", "-O2", "-Wall", "-Wextra", "-o", meas, os.path.join(HERE, "measure.c")])
    wopt_ver = subprocess.run(["wasm-opt", "--version"], stdout=subprocess.PIPE, text=True).stdout.strip()
    args = {  # (quick, full); -O0 code runs several times slower than -O2 under an interpreter
        "coremark": (["0", "0", "0x66", "40"], ["0", "0", "0x66", "300"]),
        "fib": (["27"], ["32"]),
        "sha256": (["1"], ["2"]),
        "sort": (["30000"], ["300000"]),
        "matmul": (["80"], ["250"]),
        "coremix": (["100"], ["400"]),
    }
    ws = list(args)
    files, sizes, optsec = {}, {}, {}
    for w in ws:
        f = {v: os.path.join(OUT, f"{w}.{v}.wasm") for v in VARIANTS}
        compile_wasm(w, "O0", f["O0"])
        compile_wasm(w, "O2", f["clang-O2"])
        optsec[(w, "wcompose")] = timed([WCOMPOSE, "opt", f["O0"], "-o", f["wcompose"], "-O3"])
        optsec[(w, "wasm-opt")] = timed(["wasm-opt", "-O3", "--strip-dwarf", f["O0"], "-o", f["wasm-opt"]])
        files[w] = f
        for v in VARIANTS:
            sizes[(w, v)] = os.path.getsize(f[v])
    check = {w: (bench.coremark_check if w == "coremark" else bench.checksum_check) for w in ws}
    la = os.getloadavg()
    print(f"bench-opt: wrun on -O0 code optimized by wcompose opt -O3 vs {wopt_ver} -O3; "
          f"{ROUNDS} interleaved rounds{' (quick)' if QUICK else ''}; load average {la[0]:.2f}", flush=True)
    samples, ref, fail = {}, {}, []
    for r in range(ROUNDS):
        rot = VARIANTS[r % len(VARIANTS):] + VARIANTS[:r % len(VARIANTS)]
        for w in ws:
            for v in rot:
                log = os.path.join(OUT, "run", f"{w}.{v}.out")
                res = bench.measure(meas, [WRUN, files[w][v]] + args[w][0 if QUICK else 1], log,
                                    os.path.join(OUT, "run"))
                if res[0][3] != 0:
                    fail.append(f"{w} {v}: exit status {res[0][3]} (see {log}.err)")
                    continue
                canon = check[w](open(log, errors="replace").read())
                if canon is None or ref.setdefault(w, canon) != canon:
                    fail.append(f"{w} {v}: output differs from the -O0 module's (see {log})")
                    continue
                samples.setdefault((w, v), []).append(res[0][1])
    cpu = {k: statistics.median(v) / 1e6 for k, v in samples.items()}
    print()
    print("| workload | O0 cpu s | wcompose -O3 cpu s | wasm-opt -O3 cpu s | clang -O2 cpu s | wcompose/wasm-opt "
          "| O0 / wcompose | bytes O0 | bytes wcompose | bytes wasm-opt | bytes clang -O2 | opt s wcompose | opt s wasm-opt |")
    print("|---|" + "---:|" * 13)
    geo = []
    for w in ws:
        c = {v: cpu.get((w, v)) for v in VARIANTS}
        f = lambda x: "n/a" if x is None else f"{x:.3f}"
        rat = c["wcompose"] / c["wasm-opt"] if c["wcompose"] and c["wasm-opt"] else None
        if rat:
            geo.append(rat)
        sp = c["O0"] / c["wcompose"] if c["O0"] and c["wcompose"] else None
        print(f"| {w} | {f(c['O0'])} | {f(c['wcompose'])} | {f(c['wasm-opt'])} | {f(c['clang-O2'])} | "
              f"{'n/a' if rat is None else f'{rat:.3f}'} | {'n/a' if sp is None else f'{sp:.2f}x'} | "
              f"{sizes[(w, 'O0')]} | {sizes[(w, 'wcompose')]} | {sizes[(w, 'wasm-opt')]} | {sizes[(w, 'clang-O2')]} | "
              f"{optsec[(w, 'wcompose')]:.2f} | {optsec[(w, 'wasm-opt')]:.2f} |")
    if geo:
        g = statistics.geometric_mean(geo)
        print(f"\ngeomean CPU time wcompose -O3 / wasm-opt -O3: {g:.3f} (1.000 = the same speed)")
    print("(sizes: wcompose keeps the name section; wasm-opt without -g drops it; both drop the DWARF)")
    if fail:
        for x in fail:
            print(f"bench-opt: FAIL {x}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
