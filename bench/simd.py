#!/usr/bin/env python3
"""SIMD kernels: the same C kernel built for wasm32-wasi with and without -msimd128,
run under wrun, side by side (issue 12 item 4: target SIMD >= 1.5x the scalar build).

    make bench-simd            (BUILD=build; BENCH_ROUNDS rounds, default 5)

Kernels (bench/simd/*.c; each uses wasm_simd128.h intrinsics under __wasm_simd128__ and
the same arithmetic lane by lane otherwise): matmul (f32 C = A*B), dot (int16 dot
products, i32x4.dot_i16x8_s), blur (separable [1 2 1] filter on an 8-bit image), mix
(a sha256-like round function over 4 lanes).

Every output is checked: the "checksum:" line of each wasm build under wrun must equal
the native build's (gcc -O3) and, when node is installed, the SIMD build's under node
(V8) -- the engine is compared with a peer, not only with itself. Timing: CPU time
(user + sys, os.wait4) of the whole process; every round runs every (kernel, build)
once, interleaved; cells are medians. Exit 1 on any mismatch or failure.
Environment: BUILD, BENCH_ROUNDS, BENCH_SIMD_KERNELS (subset), BENCH_QUICK=1 (small inputs),
BENCH_SIMD_ALT_WRUN (colon-separated other wrun binaries, e.g. built with EXEC_CFLAGS=-msse4.1:
each runs the SIMD builds too, interleaved with the others, checksums checked, and gets a column).
"""
import os
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.abspath(os.environ.get("BUILD", "build"))
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3" if QUICK else "5"))
OUT = os.path.join(BUILD, "bench", "simd")
WRUN = os.path.join(BUILD, "bin", "wrun")
ALT = [os.path.abspath(p) for p in os.environ.get("BENCH_SIMD_ALT_WRUN", "").split(":") if p]
KERNELS = {  # name: arguments (full, quick)
    "matmul": (["256", "4"], ["128", "2"]),
    "dot": (["65536", "400"], ["65536", "50"]),
    "blur": (["1024", "768", "20"], ["512", "384", "4"]),
    "mix": (["60000"], ["8000"]),
}


def die(msg):
    print(f"bench-simd: error: {msg}", file=sys.stderr)
    sys.exit(1)


def sh(argv):
    r = subprocess.run(argv)
    if r.returncode != 0:
        die(f"{' '.join(argv)} failed (status {r.returncode})")


def run(argv):
    """the checksum line of one run (the run must succeed)"""
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate()
    if p.returncode != 0:
        die(f"{' '.join(argv)}: status {p.returncode}: {err.decode(errors='replace')[-300:]}")
    lines = [l for l in out.decode().splitlines() if l.startswith("checksum:")]
    if len(lines) != 1:
        die(f"{' '.join(argv)}: no checksum line")
    return lines[0]


def cpu_run(argv):
    pid = os.fork()
    if pid == 0:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)
        os.execv(argv[0], argv)
    _, status, ru = os.wait4(pid, 0)
    if status != 0:
        die(f"{' '.join(argv)}: status {status}")
    return ru.ru_utime + ru.ru_stime


def main():
    if not os.path.exists(WRUN):
        die(f"{WRUN} not built")
    if not shutil.which("clang"):
        print("bench-simd: clang not installed: 0 passed, 0 failed, 1 skipped")
        return 0
    os.makedirs(OUT, exist_ok=True)
    names = os.environ.get("BENCH_SIMD_KERNELS", " ".join(KERNELS)).split()
    node = shutil.which("node")
    progs = {}
    for k in names:
        src = os.path.join(HERE, "simd", k + ".c")
        nat = os.path.join(OUT, k + ".native")
        sh(["gcc", "-O3", "-ffp-contract=off", "-Wall", "-Wextra", "-o", nat, src])
        for v, flags in (("scalar", []), ("simd", ["-msimd128"])):
            w = os.path.join(OUT, f"{k}-{v}.wasm")
            sh(["clang", "--target=wasm32-wasi", "-O2", "-ffp-contract=off", "-Wall", "-Wextra"] + flags + ["-o", w, src])
            progs[(k, v)] = w
        args = KERNELS[k][1 if QUICK else 0]
        want = run([nat] + args)
        for v in ("scalar", "simd"):
            got = run([WRUN, progs[(k, v)]] + args)
            if got != want:
                die(f"{k} ({v}) under wrun: {got!r}, native: {want!r}")
        for i, a in enumerate(ALT):
            got = run([a, progs[(k, "simd")]] + args)
            if got != want:
                die(f"{k} (simd) under {a}: {got!r}, native: {want!r}")
        if node:
            got = run(["node", "--no-warnings", os.path.join(HERE, "node-wasi.mjs"), progs[(k, "simd")]] + args)
            if got != want:
                die(f"{k} (simd) under node: {got!r}, native: {want!r}")
        print(f"{k}: checksums agree (native, wrun scalar, wrun simd{', node simd' if node else ''})", flush=True)
    jobs = {key: (WRUN, w) for key, w in progs.items()}
    for i, a in enumerate(ALT):
        for k in names:
            jobs[(k, f"alt{i}")] = (a, progs[(k, "simd")])
    times = {key: [] for key in jobs}
    for r in range(ROUNDS):
        order = list(jobs)
        order = order[r % len(order):] + order[: r % len(order)]
        for key in order:
            times[key].append(cpu_run([jobs[key][0], jobs[key][1]] + KERNELS[key[0]][1 if QUICK else 0]))
    print(f"\nwrun CPU seconds, median of {ROUNDS} interleaved rounds")
    print(f"{'kernel':<8} {'scalar':>8} {'simd':>8} {'speed-up':>9}" +
          "".join(f"  alt{i} simd (vs simd)" for i in range(len(ALT))))
    for i, a in enumerate(ALT):
        print(f"  alt{i}: {a}")
    ratios = []
    for k in names:
        s, v = statistics.median(times[(k, "scalar")]), statistics.median(times[(k, "simd")])
        ratio = s / v if v > 0 else float("inf")
        ratios.append(ratio)
        alts = ""
        for i in range(len(ALT)):
            t = statistics.median(times[(k, f"alt{i}")])
            alts += f"  {t:8.3f} ({v / t if t > 0 else float('inf'):5.2f}x)"
        print(f"{k:<8} {s:8.3f} {v:8.3f} {ratio:8.2f}x{alts}{'' if ratio >= 1.5 else '  (below the 1.5x target)'}")
    geo = 1.0
    for x in ratios:
        geo *= x
    geo **= 1.0 / len(ratios)
    print(f"{'geomean':<8} {'':8} {'':8} {geo:8.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
