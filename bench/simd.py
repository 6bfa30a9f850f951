#!/usr/bin/env python3
"""SIMD kernels: the same C kernel built for wasm32-wasi with and without -msimd128, run
under wrun, side by side with the host build, node and WAMR, in one interleaved run
(issue 12 item 4: target SIMD >= 1.5x the scalar build under wrun).

    make bench-simd            (BUILD=build; BENCH_ROUNDS rounds, default 5)

Kernels (bench/simd/*.c, our own code; each uses wasm_simd128.h intrinsics under
__wasm_simd128__ and the same arithmetic lane by lane otherwise):
  matmul  f32 C = A*B                     dot     int16 dot products (i32x4.dot_i16x8_s)
  blur    separable [1 2 1] image filter  mix     a sha256-like round function over 4 lanes
and, in the spirit of sightglass's SIMD benchmarks (github:bytecodealliance/sightglass
benchmarks/: blake3-simd, intgemm-simd, hex-simd; written here, not taken from there):
  blake3  BLAKE3's compression, 4 chunks per i32x4 (i8x16.shuffle rotations, 4x4 transposes)
  gemm8   8-bit quantized GEMM, u8 x i8 -> i32, saturating requantization (intgemm-style)
  hex     hex encode (i8x16.swizzle table, shuffle interleave) + validating decode

Columns (engines), every one a separate process:
  native       the kernel built for the host: clang -O2 (x86-64 baseline; the scalar source,
               which clang may auto-vectorize with SSE2)
  wrun simd    build/bin/wrun on the -msimd128 build
  wrun scalar  build/bin/wrun on the build without -msimd128
  node simd    node (V8: it compiles wasm to machine code, a JIT -- not an interpreter) on the
               -msimd128 build, through bench/node-wasi.mjs; its CPU time includes start-up
               and V8's compiler threads
  wamr simd    WAMR's fast interpreter built with SIMD (iwasm-fast of ../shared/peers/build.sh:
               WAMR_BUILD_FAST_INTERP=1 WAMR_BUILD_SIMD=1, SIMDe) on the -msimd128 build
Every output is checked before timing: the "checksum:" line of every engine and build must
equal the native build's (node and WAMR are peers: the engine is compared with them, not only
with itself). Timing: CPU time (user + sys of the process and its threads, os.wait4); each
round runs every (kernel, column) once, rounds rotate the order; cells are medians. The load
average is printed before and after (the machine may be shared: say so with the numbers).
Exit 1 on any mismatch or failure. WAMR missing: the timing run builds the peers once
(../shared/peers/build.sh into $BUILD/peers, as bench.py; PEERS_SRC: another peers folder); a
peer still missing (node, iwasm-fast) is left out of the table and named, never timed as 0.
Environment: BUILD, BENCH_ROUNDS, BENCH_SIMD_KERNELS (subset), BENCH_QUICK=1 (small inputs),
BENCH_SIMD_CHECK=1 (check the outputs only, no timing), WAMR (an iwasm with SIMD; default
$BUILD/peers/iwasm-fast), BENCH_SIMD_ALT_WRUN (colon-separated other wrun binaries, e.g.
built with EXEC_CFLAGS=-msse4.1: each runs the SIMD builds too and gets a column).
"""
import os
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.abspath(os.environ.get("BUILD", "build"))
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
CHECK = os.environ.get("BENCH_SIMD_CHECK", "") not in ("", "0")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3" if QUICK else "5"))
OUT = os.path.join(BUILD, "bench", "simd")
WRUN = os.path.join(BUILD, "bin", "wrun")
WAMR = os.environ.get("WAMR", os.path.join(BUILD, "peers", "iwasm-fast"))
ALT = [os.path.abspath(p) for p in os.environ.get("BENCH_SIMD_ALT_WRUN", "").split(":") if p]
KERNELS = {  # name: arguments (full, quick)
    "matmul": (["256", "10"], ["64", "2"]),
    "dot": (["65536", "4000"], ["16384", "20"]),
    "blur": (["1024", "768", "100"], ["256", "192", "2"]),
    "mix": (["60000"], ["2000"]),
    "blake3": (["64", "16", "400"], ["16", "4", "4"]),
    "gemm8": (["32", "512", "256", "100"], ["8", "128", "64", "2"]),
    "hex": (["65536", "500"], ["4096", "12"]),
}
# the "start-up" row: every column on the hex kernel with the smallest input (16 bytes, once):
# process start, module load/compile and WASI set-up, to read the kernels' rows against
STARTUP = ("hex", ["16", "1"])


def die(msg):
    print(f"bench-simd: error: {msg}", file=sys.stderr)
    sys.exit(1)


def sh(argv):
    r = subprocess.run(argv)
    if r.returncode != 0:
        die(f"{' '.join(argv)} failed (status {r.returncode})")


def run(argv):
    """the checksum line of one run, or None (the reason printed) if it failed"""
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate()
    if p.returncode != 0:
        print(f"bench-simd: {' '.join(argv)}: status {p.returncode}: {err.decode(errors='replace')[-300:]}")
        return None
    lines = [l for l in out.decode().splitlines() if l.startswith("checksum:")]
    if len(lines) != 1:
        print(f"bench-simd: {' '.join(argv)}: no checksum line")
        return None
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


def loadavg():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main():
    if not os.path.exists(WRUN):
        die(f"{WRUN} not built")
    if not shutil.which("clang"):
        print("bench-simd: clang not installed: 0 passed, 0 failed, 1 skipped")
        return 0
    os.makedirs(OUT, exist_ok=True)
    names = os.environ.get("BENCH_SIMD_KERNELS", " ".join(KERNELS)).split()
    for k in names:
        if k not in KERNELS:
            die(f"unknown kernel {k} (kernels: {' '.join(KERNELS)})")
    node = shutil.which("node")
    if not CHECK and "WAMR" not in os.environ and not os.access(WAMR, os.X_OK):
        # as bench.py: the peers are built once into $BUILD/peers (iwasm-fast: WAMR's fast
        # interpreter with WAMR_BUILD_SIMD=1); the outputs-only check does not build them
        src = os.environ.get("PEERS_SRC") or os.path.join(os.path.dirname(HERE), "../shared/peers")
        if os.path.exists(os.path.join(src, "build.sh")):
            print(f"bench-simd: building the peers once (nice): {src}/build.sh {os.path.dirname(WAMR)}", flush=True)
            subprocess.run(["nice", "-n", "10", "bash", os.path.join(src, "build.sh"), os.path.dirname(WAMR)])
    wamr = WAMR if os.access(WAMR, os.X_OK) else None
    missing = ([] if node else ["node (not installed)"]) + \
        ([] if wamr else [f"WAMR ({WAMR} not built: ../shared/peers/build.sh {os.path.join(BUILD, 'peers')})"])
    # column -> argv prefix + which build it runs
    cols = {"native": None, "wrun simd": ([WRUN], "simd"), "wrun scalar": ([WRUN], "scalar")}
    if node:
        cols["node simd"] = ([node, "--no-warnings", os.path.join(HERE, "node-wasi.mjs")], "simd")
    if wamr:
        cols["wamr simd"] = ([wamr], "simd")
    for i, a in enumerate(ALT):
        cols[f"alt{i} simd"] = ([a], "simd")
    jobs = {}
    passed = failed = 0
    for k in names:
        src = os.path.join(HERE, "simd", k + ".c")
        nat = os.path.join(OUT, k + ".native")
        sh(["clang", "-O2", "-ffp-contract=off", "-Wall", "-Wextra", "-o", nat, src])
        builds = {}
        for v, flags in (("scalar", []), ("simd", ["-msimd128"])):
            builds[v] = os.path.join(OUT, f"{k}-{v}.wasm")
            sh(["clang", "--target=wasm32-wasi", "-O2", "-ffp-contract=off", "-Wall", "-Wextra"] + flags +
               ["-o", builds[v], src])
        args = KERNELS[k][1 if QUICK else 0]
        want = run([nat] + args)
        if want is None:
            failed += len(cols) - 1
            continue
        jobs[(k, "native")] = [nat] + args
        bad = []
        for c, spec in cols.items():
            if spec is None:
                continue
            argv = spec[0] + [builds[spec[1]]] + args
            got = run(argv)
            if got != want:
                bad.append(c)
                print(f"bench-simd: FAIL: {k} ({c}): {got!r}, native: {want!r}")
            jobs[(k, c)] = argv
        passed += len(cols) - 1 - len(bad)
        failed += len(bad)
        if not bad:
            print(f"{k}: outputs agree ({', '.join(cols)}): {want}", flush=True)
    if not CHECK and not failed and STARTUP[0] in names:
        k, args = STARTUP
        for c in cols:
            prog = jobs[(k, c)]
            n_args = len(KERNELS[k][1 if QUICK else 0])
            jobs[("start-up", c)] = prog[: len(prog) - n_args] + args
    if missing:
        print(f"bench-simd: not run (columns left out): {'; '.join(missing)}")
    if CHECK:
        # one case per (kernel, non-native column), each compared with the native build
        print(f"{passed} passed, {failed} failed, {len(missing) * len(names)} skipped")
        return 1 if failed else 0
    if failed:
        die(f"{failed} outputs differ from the native build's (see above): no timing")
    times = {key: [] for key in jobs}
    load0 = loadavg()
    for r in range(ROUNDS):
        order = list(jobs)
        order = order[r % len(order):] + order[: r % len(order)]
        for key in order:
            times[key].append(cpu_run(jobs[key]))
    load1 = loadavg()
    med = {key: statistics.median(t) for key, t in times.items()}
    print(f"\nCPU seconds (user+sys), median of {ROUNDS} interleaved rounds; load average before: {load0}, "
          f"after: {load1} (1/5/15 min)")
    hdr = f"{'kernel':<8}" + "".join(f" {c:>12}" for c in cols) + \
        f" {'simd/scalar':>12} {'simd/native':>12}" + \
        (f" {'simd/node':>10}" if node else "") + (f" {'wamr/simd':>10}" if wamr else "")
    print(hdr)
    geo = {"s": [], "n": [], "v8": [], "w": []}
    if ("start-up", "native") in med:
        print(f"{'start-up':<8}" + "".join(f" {med[('start-up', c)]:12.3f}" for c in cols) +
              f"   (the hex kernel on {STARTUP[1][0]} bytes: start, load, compile; not in the ratios)")
    for k in names:
        line = f"{k:<8}" + "".join(f" {med[(k, c)]:12.3f}" for c in cols)
        v = med[(k, "wrun simd")]
        ratio = med[(k, "wrun scalar")] / v
        geo["s"].append(ratio)
        geo["n"].append(v / med[(k, "native")])
        line += f" {ratio:11.2f}x {geo['n'][-1]:11.1f}x"
        if node:
            geo["v8"].append(v / med[(k, "node simd")])
            line += f" {geo['v8'][-1]:9.1f}x"
        if wamr:
            geo["w"].append(med[(k, "wamr simd")] / v)
            line += f" {geo['w'][-1]:9.2f}x"
        print(line + ("" if ratio >= 1.5 else "  (below the 1.5x target)"))

    def gm(xs):
        p = 1.0
        for x in xs:
            p *= x
        return p ** (1.0 / len(xs))

    line = f"{'geomean':<8}" + " " * 13 * len(cols) + f" {gm(geo['s']):11.2f}x {gm(geo['n']):11.1f}x"
    if node:
        line += f" {gm(geo['v8']):9.1f}x"
    if wamr:
        line += f" {gm(geo['w']):9.2f}x"
    print(line)
    print("simd/scalar: wrun scalar time / wrun simd time (the issue's target: >= 1.5x); simd/native and "
          "simd/node: wrun simd time / that column's (how many times slower); wamr/simd: WAMR time / wrun "
          "simd time (> 1: wrun faster)")
    for i, a in enumerate(ALT):
        print(f"  alt{i}: {a}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
