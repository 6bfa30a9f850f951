#!/usr/bin/env python3
"""Preview1 programs made into components with wkit's built-in preview1 adapter
(`wcompose new CORE.wasm`, no --adapt) and, for comparison, with jco's adapter
(`wcompose new CORE.wasm --adapt wasi_snapshot_preview1=JCO_ADAPTER`).

Two parts, each test printing "ok NAME" / "FAIL NAME: why":
 1. programs (built by suite-adapter.sh; listed in PROGS below with their
    arguments, environment, stdin and preopened directory): under wrun and
    under `jco run --sandbox`, the component with our adapter prints the same
    stdout and exits with the same status as the one with jco's adapter on
    the same host, and the directory tree it leaves is the same;
 2. WebAssembly/wasi-testsuite's wasm32-wasip1 tests (if SUITE_DIR is given):
    the oracle is each test's JSON spec (doc/specification.md). Our adapter's
    component runs under wrun and under jco run; jco's adapter's component
    under wrun (and under jco run where ours misses the spec there). A run
    that misses the spec passes only when jco's adapter misses it the same
    way on the same host (same exit status and stdout), labelled so.
    The per-adapter counts of spec passes are printed at the end.
Every component is validated (winspect --validate). Last line: "N passed, N failed, N skipped"
(skipped: testsuite tests not run under jco run, see ADAPTER_SUITE_JCO below).

usage: adapter-run.py BIN_DIR JCO JCO_ADAPTER PROG_DIR WORK_DIR [SUITE_DIR]
"""
import difflib
import hashlib
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "wasi"))
from wasitestsuite import Report, misses, spec_of, tests_of  # noqa: E402

bindir, jco, jco_adapter, progdir, work = (os.path.abspath(a) for a in sys.argv[1:6])
suite = os.path.abspath(sys.argv[6]) if len(sys.argv) > 6 else None
wrun, wcompose, winspect = (os.path.join(bindir, t) for t in ("wrun", "wcompose", "winspect"))
report = Report()
jco_setup = os.path.join(os.path.dirname(os.path.abspath(__file__)), "jco-setup.mjs")
shim = os.path.realpath(os.path.join(os.path.dirname(jco), "..", "@bytecodealliance", "preview2-shim", "dist", "nodejs"))


def make(core, out, adapter):
    """component of `core` with our adapter (adapter None) or jco's; None on success, else why"""
    argv = [wcompose, "new", core, "-o", out]
    if adapter:
        argv[3:3] = ["--adapt", f"wasi_snapshot_preview1={adapter}"]
    r = subprocess.run(argv, capture_output=True, text=True)
    if r.returncode:
        return "wcompose new: " + " | ".join(r.stderr.strip().splitlines()[-2:])
    r = subprocess.run([winspect, "--validate", out], capture_output=True, text=True)
    if r.returncode:
        return "invalid: " + " | ".join(r.stderr.strip().splitlines()[-2:])
    return None


def tree_sig(d):
    out = []
    for dp, dn, fn in os.walk(d):
        dn.sort()
        for n in sorted(dn + fn):
            p = os.path.join(dp, n)
            rel = os.path.relpath(p, d)
            if os.path.islink(p):
                out.append(f"{rel} link {os.readlink(p)}")
            elif os.path.isdir(p):
                out.append(f"{rel} dir")
            else:
                with open(p, "rb") as f:
                    out.append(f"{rel} file {hashlib.md5(f.read()).hexdigest()}")
    return sorted(set(out))


def run(host, comp, args, env, stdin, setup, guest, rundir, timeout=120):
    """(exit status, stdout bytes, stderr text, tree) of one run in a fresh `rundir`"""
    shutil.rmtree(rundir, ignore_errors=True)
    os.makedirs(rundir)
    host_dir = setup(rundir) if setup else None
    if host == "wrun":
        argv = [wrun]
        for k, v in env.items():
            argv += ["--env", f"{k}={v}"]
        if host_dir:
            argv += ["--dir", f"{host_dir}::{guest}"]
        argv += [comp] + args
    else:
        # jco run's CLI has no preopen / environment options: tests/compose/jco-setup.mjs sets them
        # a fixed --jco-dir: argv[0] is its _run.js, the same for both adapters
        argv = [jco, "run", comp, "--jco-dir", os.path.join(work, "jco-dir"), "--jco-import", jco_setup] + args
    penv = dict(os.environ, WKA_SHIM=shim, WKA_ENV=json.dumps(env), WKA_PREOPEN=f"{host_dir}::{guest}" if host_dir else "")
    try:
        with open(stdin or os.devnull, "rb") as si:
            r = subprocess.run(argv, cwd=rundir, stdin=si, capture_output=True, timeout=timeout, env=penv)
    except subprocess.TimeoutExpired:
        return (None, b"", "timeout", [])
    rc = r.returncode
    if host == "jco" and rc != 0 and (b"wasm trap" in r.stderr or b"RuntimeError: unreachable" in r.stderr):
        rc = 134  # a trap: wrun exits 134, jco run 1 with a message
    return (rc, r.stdout, r.stderr.decode(errors="replace"), tree_sig(host_dir) if host_dir else [])


def box_setup(text):
    def s(d):
        b = os.path.join(d, "box")
        os.makedirs(b)
        with open(os.path.join(b, "in.txt"), "w") as f:
            f.write(text)
        return b
    return s


def scratch_setup(d):
    b = os.path.join(d, "box")
    os.makedirs(b)
    return b


os.makedirs(work, exist_ok=True)
stdin_txt = os.path.join(work, "stdin.txt")
with open(stdin_txt, "w") as f:
    f.write("first line\nsecond line\n" + "x" * 5000 + "\nlast\n")

# name: (args, env, stdin, setup, guest dir)
PROGS_ALL = {
    "hello-c": (["a", "b"], {"HOME": "/home/u"}, None, None, None),
    "hello-rs": (["a", "b"], {"HOME": "/home/u"}, None, None, None),
    "args_env": (["one", "two words", "", "--flag=\u00fc"], {"GREETING": "hello", "SPACES": "a b  c", "EMPTY": ""}, None, None, None),
    "stdio": ([], {}, stdin_txt, None, None),
    "files": (["/sandbox"], {}, None, box_setup("hello file\n"), "/sandbox"),
    "edge": (["/sandbox"], {}, None, scratch_setup, "/sandbox"),
    "exitcode0": (["0"], {}, None, None, None),
    "exitcode7": (["7"], {}, None, None, None),
    "random": ([], {}, None, None, None),
    "clocks": ([], {}, None, None, None),
    "poll": ([], {}, stdin_txt, None, None),
    "rust_app": (["/sandbox", "x"], {"A": "1", "B": "two"}, None, box_setup("hello rust\n"), "/sandbox"),
}
only = os.environ.get("ADAPTER_PROGS")  # a comma-separated subset (for debugging)
PROGS = {k: v for k, v in PROGS_ALL.items() if not only or k in only.split(",")}
for name, (args, env, stdin, setup, guest) in PROGS.items():
    core = os.path.join(progdir, (name if not name.startswith("exitcode") else "exitcode") + ".wasm")
    if not os.path.exists(core):
        report(False, f"{name}: build", f"{core} missing (see the suite's build log)")
        continue
    os.makedirs(os.path.join(work, "ours"), exist_ok=True)
    os.makedirs(os.path.join(work, "jco"), exist_ok=True)
    ours, theirs = os.path.join(work, "ours", name + ".wasm"), os.path.join(work, "jco", name + ".wasm")
    why = make(core, ours, None) or make(core, theirs, jco_adapter)
    if why:
        report(False, f"{name}: components", why)
        continue
    same = os.path.join(work, "cur", name + ".wasm")  # one path for both: argv[0] is the file under wrun
    os.makedirs(os.path.dirname(same), exist_ok=True)
    for host in ("wrun", "jco"):
        shutil.copyfile(ours, same)
        a = run(host, same, args, env, stdin, setup, guest, os.path.join(work, "run"))
        shutil.copyfile(theirs, same)
        b = run(host, same, args, env, stdin, setup, guest, os.path.join(work, "run"))
        why = []
        if a[0] is None or b[0] is None:
            why.append("timeout")
        if a[0] != b[0]:
            why.append(f"exit {a[0]}, with jco's adapter {b[0]}")
        if a[1] != b[1] and name not in ("random",):
            diff = [f"{x!r} vs {y!r}" for x, y in zip(a[1].splitlines(), b[1].splitlines()) if x != y][:2]
            why.append(f"stdout differs ({len(a[1])} vs {len(b[1])} bytes: {'; '.join(diff)})")
        if a[3] != b[3]:
            why.append("the directory tree left differs")
        if why and a[0] is not None:
            # where jco's adapter differs, the preview1 semantics decide: the core module on wrun's
            # own preview1 host (its exit status N != 0 is 1 through wasi:cli/exit's result). Every
            # stdout line where ours differs from jco's adapter must be the preview1 host's line
            # (under jco run the lines both adapters share may differ from it: the host's doing)
            c = run("wrun", core, args, env, stdin, setup, guest, os.path.join(work, "run"))
            la, lb, lc = a[1].splitlines(), b[1].splitlines(), c[1].splitlines()
            ours_only, theirs_only = [], []
            for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, la, lb, autojunk=False).get_opcodes():
                if op != "equal":
                    ours_only += la[i1:i2]
                    theirs_only += lb[j1:j2]
            nd = len(ours_only) + len(theirs_only)
            if host == "wrun":  # the same host: ours must print what the preview1 host prints
                lines_ok = (a[1] == c[1] or name == "random") and a[3] == c[3]
            else:  # every line only ours prints is the preview1 host's, every line only jco's adapter prints is not
                # (but for a last line both print, a summary such as edge.c's "N checks, M failed", which
                # counts the checks this host fails for both adapters too)
                if la and lb and la[-1] != lb[-1] and la[-1] in ours_only and lb[-1] in theirs_only:
                    ours_only.remove(la[-1])
                    theirs_only.remove(lb[-1])
                lines_ok = name == "random" or (all(x in lc for x in ours_only) and not any(y in lc for y in theirs_only))
                lines_ok = lines_ok and (a[3] == b[3] or a[3] == c[3])
            exit_ok = c[0] is not None and (a[0] == c[0] or (c[0] not in (0, 134) and a[0] == 1))
            exit_ok = exit_ok or (host == "jco" and a[0] == b[0])  # e.g. a failure count the jco host causes
            if exit_ok and lines_ok:
                report(True, f"{name} [{host}]: differs from jco's adapter in {nd} lines ({'; '.join(why)}), "
                             f"there as the core module on wrun's preview1 host")
                continue
            why.append(f"and from the core module on wrun's preview1 host (exit {c[0]})")
        if why and a[2]:
            why.append("stderr: " + " | ".join(a[2].strip().splitlines()[-3:]))
        report(not why, f"{name} [{host}]: same as with jco's adapter" + (f" (exit {a[0]}, {len(a[1])} bytes of stdout)" if not why else ""), "; ".join(why))

# ------------------------------------------------------------ wasi-testsuite
spec_pass = {"ours/wrun": 0, "jco/wrun": 0, "ours/jco": 0}
spec_total = spec_jco_total = skipped = 0
# which testsuite tests also run under jco run (about a second of CPU each): ADAPTER_SUITE_JCO=all,
# c (default: the C and AssemblyScript ones), none
jco_mode = os.environ.get("ADAPTER_SUITE_JCO", "c")


def meets(spec, res):
    return misses(spec, res[0], res[1])


if suite:
    for t, rel, name in tests_of(suite):
        spec = spec_of(t)
        ours = os.path.join(work, "ts-ours", rel)
        theirs = os.path.join(work, "ts-jco", rel)
        os.makedirs(os.path.dirname(ours), exist_ok=True)
        os.makedirs(os.path.dirname(theirs), exist_ok=True)
        why = make(t, ours, None)
        why2 = make(t, theirs, jco_adapter)
        if why or why2:
            report(False, f"testsuite {name}: components", why or why2)
            continue
        spec_total += 1

        def setup(d, t=t):
            src = os.path.dirname(t)
            box = os.path.join(d, "box")
            shutil.copytree(src, box, ignore=shutil.ignore_patterns("*.wasm", "*.cleanup"), symlinks=True)
            return os.path.join(box, spec["root"]) if spec["root"] else None

        def go(host, comp):
            return run(host, comp, list(spec["args"]), spec["env"], None, setup, "/", os.path.join(work, "run"))

        on_jco = jco_mode == "all" or (jco_mode == "c" and not name.startswith("rust/"))
        results = {"ours/wrun": go("wrun", ours), "jco/wrun": go("wrun", theirs)}
        if on_jco:
            results["ours/jco"] = go("jco", ours)
            spec_jco_total += 1
        else:
            skipped += 1
        for k, r in results.items():
            if not meets(spec, r):
                spec_pass[k] += 1
        for host in ("wrun", "jco") if on_jco else ("wrun",):
            a = results[f"ours/{host}"]
            miss = meets(spec, a)
            if not miss:
                report(True, f"testsuite {name} [{host}]")
                continue
            b = results.get(f"jco/{host}") or go(host, theirs)
            if a[0] == b[0] and a[1] == b[1]:
                report(True, f"testsuite {name} [{host}] (spec missed as with jco's adapter: {'; '.join(miss)})")
            else:
                err = " | ".join(a[2].strip().splitlines()[-2:])
                report(False, f"testsuite {name} [{host}]", "; ".join(miss) + f"; jco's adapter: exit {b[0]}" + (f" | stderr: {err}" if err else ""))
    print(f"wasi-testsuite spec passes: of {spec_total} under wrun, ours {spec_pass['ours/wrun']}, "
          f"jco's adapter {spec_pass['jco/wrun']}; of {spec_jco_total} under jco run, ours {spec_pass['ours/jco']}"
          f"{'' if jco_mode == 'all' else f' ({skipped} not run under jco run: ADAPTER_SUITE_JCO=all runs them)'}")
shutil.rmtree(os.path.join(work, "run"), ignore_errors=True)
print(f"{report.passed} passed, {report.failed} failed, {skipped} skipped")
sys.exit(1 if report.failed else 0)
