"""Shared pieces of the runners of WebAssembly/wasi-testsuite's prebuilt
wasm32-wasip1 tests (tests/wasi/testsuite-run.py, tests/compose/adapter-run.py):
the test list, each test's expectations as doc/specification.md of the suite
defines them, the check of a run against them, and the "ok NAME" / "FAIL NAME:
why" report lines with their counts."""
import json
import os
import sys


class Report:
    """Counts and prints one line per check: "ok   NAME" or "FAIL NAME: why"."""

    def __init__(self):
        self.passed = self.failed = 0

    def __call__(self, ok, name, why=""):
        if ok:
            self.passed += 1
            print(f"ok   {name}")
        else:
            self.failed += 1
            print(f"FAIL {name}: {why}")
        sys.stdout.flush()


def tests_of(suite):
    """[(path, rel, name)] of every .wasm below suite, sorted; name drops the
    suite's "tests/" and "/testsuite/wasm32-wasip1/" parts and ".wasm"."""
    paths = []
    for dp, dn, fn in os.walk(suite):
        dn.sort()
        paths += [os.path.join(dp, f) for f in sorted(fn) if f.endswith(".wasm")]
    out = []
    for t in sorted(paths):
        rel = os.path.relpath(t, suite)
        out.append((t, rel, rel.replace("/testsuite/wasm32-wasip1/", "/").replace("tests/", "")[:-5]))
    return out


def spec_of(path):
    """The expectations of test `path` (X.wasm): args, env, root (the directory
    preopened as `/`, or None), exit_code and stdout (None: not checked), from
    X.json (its top-level keys or its "operations" list), else the defaults."""
    s = {"args": [], "env": {}, "root": None, "exit_code": 0, "stdout": None}
    j = path[:-5] + ".json"
    if os.path.exists(j):
        with open(j) as f:
            d = json.load(f)
        for k in ("args", "env", "root", "exit_code", "stdout"):
            if k in d:
                s[k] = d[k]
        for op in d.get("operations", []):
            if op.get("type") == "run":
                for k in ("args", "env", "root"):
                    if k in op:
                        s[k] = op[k]
            elif op.get("type") == "wait":
                s["exit_code"] = op.get("exit_code", 0)
            elif op.get("type") == "read" and op.get("id", "stdout") == "stdout":
                s["stdout"] = op.get("payload", "")
    return s


def misses(spec, exit_code, stdout, width=60):
    """What a run (exit status, stdout bytes) misses of spec: a list of reasons, empty when it meets it."""
    why = []
    if exit_code != spec["exit_code"]:
        why.append(f"exit {exit_code}, want {spec['exit_code']}")
    if spec["stdout"] is not None and stdout.decode(errors="replace") != spec["stdout"]:
        why.append(f"stdout {stdout[:width]!r}, want {spec['stdout'][:width]!r}")
    return why
