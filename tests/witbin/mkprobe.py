#!/usr/bin/env python3
"""Prepare one case for jco-decode.mjs (see there) and print its JSON line.

usage: mkprobe.py NAME SOURCE OURS.wasm RESOLVE.json WORKDIR [FEATURE...]

SOURCE is the WIT file or package directory (with deps/) that OURS.wasm encodes;
RESOLVE.json its `wit-gen json` (wit-parser's schema); the main package is the
one named by the `package ns:pkg;` header of the source (else the last one). Makes WORKDIR/ours (probe.wit +
deps/pkg.wasm) and WORKDIR/src (probe.wit + the source as deps/)."""
import json
import os
import re
import shutil
import sys

# componentNew does not finish in minutes on these (from the source as well): compare the embedded modules
EMBED_ONLY = {"stress-export-elaborate"}

name, source, ours, resolve_json, work = sys.argv[1:6]
features = sys.argv[6:]
r = json.load(open(resolve_json))
def main_package_name():
    """The `package ns:pkg[@ver];` header of the main source file(s), without `%` prefixes (None if absent)."""
    files = [source] if not os.path.isdir(source) else [
        os.path.join(source, f) for f in sorted(os.listdir(source)) if f.endswith(".wit")]
    for f in files:
        m = re.search(r"^\s*package\s+([^;{\s]+)\s*;", open(f, encoding="utf-8").read(), re.M)
        if m:
            return m.group(1).replace("%", "")
    return None


want = main_package_name()
pkgs = [p for p in r["packages"] if p["name"] == want]
pkg = pkgs[0] if pkgs else r["packages"][-1]
pname = pkg["name"]  # ns:pkg[@ver]
base, _, ver = pname.partition("@")
suffix = "@" + ver if ver else ""
# every identifier with a `%` prefix: names like `flags` or `interface` are keywords (WIT.md "Identifiers")
ns, _, pn = base.partition(":")
def qual(n):
    return "%" + ns + ":%" + pn + "/%" + n + suffix


ifaces = [qual(n) for n in pkg["interfaces"]]
worlds = [qual(n) for n in pkg["worlds"]]
probe = "package wkit:probe;\n\nworld probe {\n" + "".join("  export %s;\n" % i for i in ifaces) + "}\n"

shutil.rmtree(work, ignore_errors=True)
for side in ("ours", "src"):
    os.makedirs(os.path.join(work, side, "deps"))
    with open(os.path.join(work, side, "probe.wit"), "w") as f:
        f.write(probe)
shutil.copy(ours, os.path.join(work, "ours", "deps", "pkg.wasm"))
sdeps = os.path.join(work, "src", "deps")
if os.path.isdir(source):
    os.makedirs(os.path.join(sdeps, "main"))
    for f in sorted(os.listdir(source)):
        p = os.path.join(source, f)
        if f.endswith(".wit") and os.path.isfile(p):
            shutil.copy(p, os.path.join(sdeps, "main", f))
    d = os.path.join(source, "deps")
    if os.path.isdir(d):
        for f in sorted(os.listdir(d)):
            p = os.path.join(d, f)
            if os.path.isdir(p):
                shutil.copytree(p, os.path.join(sdeps, f))
            else:
                shutil.copy(p, os.path.join(sdeps, f))
else:
    shutil.copy(source, os.path.join(sdeps, "main.wit"))
print(json.dumps({"name": name, "ours": os.path.join(work, "ours"), "src": os.path.join(work, "src"),
                  "worlds": worlds, "interfaces": len(ifaces), "features": features,
                  "embedOnly": os.path.basename(source.rstrip("/")).removesuffix(".wit") in EMBED_ONLY}))
