#!/usr/bin/env bash
# Instruction reader vs. wabt: for every valid module of the 2.0 spec corpus
# (converted by suite-format.sh / tests/spec/convert.sh into
# $BUILD/format-spec), `wkcheck --dump` (offset + name of every instruction,
# from wk_insn_read and the WK_OPCODES table) must list exactly the
# instructions `wasm-objdump -d` (wabt) prints. One check per module.
# Usage: BUILD=build-x bash tests/format/suite-opnames.sh
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
out=$BUILD/format-spec
if [ ! -d "$out" ] || ! ls "$out"/*/*.json >/dev/null 2>&1; then
  bash tests/format/suite-format.sh >/dev/null 2>&1
fi
exec python3 - "$BUILD" "$out" <<'PY'
import json, glob, os, re, subprocess, sys
build, out = sys.argv[1], sys.argv[2]
wk = os.path.join(build, "tests/tools/wkcheck")
line_re = re.compile(r"^ ([0-9a-f]{6}): [0-9a-f ]+\|\s+(\S+)")
passed = failed = skipped = 0
for js in sorted(glob.glob(os.path.join(out, "*", "*.json"))):
    d = os.path.dirname(js)
    for c in json.load(open(js))["commands"]:
        if c.get("type") != "module" or not c.get("filename", "").endswith(".wasm"):
            continue
        f = os.path.join(d, c["filename"])
        ob = subprocess.run(["wasm-objdump", "-d", f], capture_output=True, text=True)
        ours = subprocess.run([wk, "--dump", f], capture_output=True, text=True)
        if ob.returncode != 0 and ours.returncode == 0:
            # wabt 1.0.32 itself cannot read a few valid modules: not a check
            skipped += 1
            print("SKIP %s: wasm-objdump cannot read it: %s" % (f, ob.stderr.strip().splitlines()[0] if ob.stderr.strip() else "rc=%d" % ob.returncode))
            continue
        if ob.returncode != 0 or ours.returncode != 0:
            failed += 1
            print("FAIL %s: wasm-objdump rc=%d, wkcheck rc=%d %s" % (f, ob.returncode, ours.returncode, ours.stderr.strip()))
            continue
        want = []
        for l in ob.stdout.splitlines():
            m = line_re.match(l)
            if m and not m.group(2).startswith("local["):
                want.append((int(m.group(1), 16), m.group(2)))
        got = []
        for l in ours.stdout.splitlines():
            if l.startswith("func "):
                continue
            off, name = l.split(" ", 1)
            got.append((int(off, 16), "select" if name == "select_t" else name))
        if want == got:
            passed += 1
        else:
            failed += 1
            for i, (a, b) in enumerate(zip(want + [None] * len(got), got + [None] * len(want))):
                if a != b:
                    print("FAIL %s: instruction %d: wabt %s, wkcheck %s" % (f, i, a, b))
                    break
print("%d skipped (wabt cannot disassemble them)" % skipped)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY
