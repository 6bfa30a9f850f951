#!/usr/bin/env bash
# The WAC language against wac's own test corpus
# (../shared/corpora/wac/crates/wac-parser/tests):
#  parser/      *.wac must parse (`wcompose compose --ast`); the AST JSON is
#               not compared (wac's is its serde dump of Rust types);
#  parser/fail  must fail at exactly wac's FILE:LINE:COL;
#  resolution/, encoding/  composed with `wcompose compose` (each
#               CASE/NS/NAME.wat or .wasm is --dep NS:NAME): success cases
#               must compose to a component that validates (for encoding/,
#               the imports (in any order) and exports of the result must equal
#               those of the expected component minus its `unlocked-dep=<...>`
#               component imports, which stand for the packages we embed); fail
#               cases must fail at wac's LINE:COL.
# WIT packages (CASE/NS/NAME/ directories or .wit files) are given as --dep too.
# Type statements (interface, world, type declarations) are resolved, checked
# and exported as wac does, including those that name a --dep package's
# interface or world by package path (`use ns:pkg/i.{..}`, `include ns:pkg/w`,
# `import ns:pkg/i;` in a world); `targets` checks the composition against a
# world. A case we refuse as "not supported" is counted as skipped, with the
# reason printed (none today).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
T=../shared/corpora/wac/crates/wac-parser/tests
[ -d "$T" ] || T=/work/shared/corpora/wac/crates/wac-parser/tests
OUT=$BUILD/tests/compose-wac
rm -rf "$OUT"; mkdir -p "$OUT"
BUILD=$BUILD OUT=$OUT T=$T JCO=$PWD/scripts/npm/node_modules/.bin/jco python3 - <<'PY'
import os, re, subprocess, json, sys
B=os.environ["BUILD"]; OUT=os.environ["OUT"]; T=os.environ["T"]; JCO=os.environ["JCO"]
WC=f"{B}/bin/wcompose"; WI=f"{B}/bin/winspect"
res={"pass":0,"fail":0,"skip":0}
counts={}
def tally(folder, k):
    counts.setdefault(folder, {"pass":0,"fail":0,"skip":0})[k]+=1; res[k]+=1
def ok(folder, m): tally(folder,"pass"); print("ok  ", m)
def bad(folder, m): tally(folder,"fail"); print("FAIL", m)
def skp(folder, m): tally(folder,"skip"); print("skip", m)

def where(result):
    m = re.search(r"\.wac:(\d+):(\d+)\]", result)
    return (int(m.group(1)), int(m.group(2))) if m else None
def our_loc(err):
    m = re.search(r"\.wac:(\d+):(\d+): (.*)", err)
    return ((int(m.group(1)), int(m.group(2))), m.group(3)) if m else (None, err.strip()[:200])
def uses_types(text):
    return re.search(r"^\s*(interface|world|type|record|variant|enum|flags|resource)\b", text, re.M) is not None
def deps(case_dir):
    args=[]; wit=False
    if os.path.isdir(case_dir):
        for ns in sorted(os.listdir(case_dir)):
            d=os.path.join(case_dir, ns)
            if not os.path.isdir(d): continue
            for f in sorted(os.listdir(d)):
                p=os.path.join(d,f)
                name, ext = os.path.splitext(f)
                # a component (.wat/.wasm), or a WIT package (a directory, or a .wit file)
                if os.path.isdir(p): args += ["--dep", f"{ns}:{f}={p}"]; wit=True
                elif ext in (".wat",".wasm",".wit"): args += ["--dep", f"{ns}:{name}={p}"]; wit = wit or ext == ".wit"
    return args, wit
def run(args):
    p=subprocess.run([WC]+args, capture_output=True, text=True)
    return p.returncode, p.stderr

# parser/
for folder, expect_fail in (("parser", False), ("parser/fail", True)):
    d=os.path.join(T, folder)
    for f in sorted(x for x in os.listdir(d) if x.endswith(".wac")):
        rc, err = run(["compose","--ast",os.path.join(d,f)])
        name=f"{folder}/{f}"
        if not expect_fail:
            ok(folder, f"{name}: parses") if rc==0 else bad(folder, f"{name}: {err.strip()[:300]}")
        else:
            want=where(open(os.path.join(d,f+".result")).read())
            loc,msg=our_loc(err)
            if rc==1 and loc==want: ok(folder, f"{name}: fails at {loc[0]}:{loc[1]} as wac: {msg}")
            else: bad(folder, f"{name}: expected a failure at {want}, got exit {rc} {loc} {msg}")

def compose_case(folder, f, expect_fail):
    d=os.path.join(T, folder)
    path=os.path.join(d,f); text=open(path).read()
    result=open(path+".result").read()
    case=f[:-4]; name=f"{folder}/{f}"
    args, wit = deps(os.path.join(d, case))
    out=os.path.join(OUT, folder.replace("/","_")+"_"+case+".wasm")
    rc, err = run(["compose", path, "-o", out] + args)
    loc,msg=our_loc(err)
    if expect_fail:
        want=where(result)
        if rc==1 and loc==want:
            # wac reports some errors without a location (an item the composition got implicitly)
            return ok(folder, f"{name}: fails " + (f"at {loc[0]}:{loc[1]}" if loc else "without a location") + f" as wac: {msg}")
        if rc==1 and "not supported" in msg: return skp(folder, f"{name}: {msg}")
        if wit: return skp(folder, f"{name}: needs a WIT package as a dependency")
        if rc==0 and uses_types(text): return skp(folder, f"{name}: wac rejects it while resolving type statements, which we only parse")
        return bad(folder, f"{name}: expected a failure at {want}, got exit {rc} {loc} {msg}")
    if rc!=0:
        if "not supported" in msg: return skp(folder, f"{name}: {msg}")
        if wit: return skp(folder, f"{name}: needs a WIT package as a dependency")
        return bad(folder, f"{name}: {err.strip()[:300]}")
    if folder!="encoding": return ok(folder, f"{name}: composes, validates")
    # encoding: imports/exports against the expected component minus its unlocked-dep imports
    exp=os.path.join(OUT, "exp_"+case+".wasm")
    with open(exp+".wat","w") as w: w.write(result)
    if subprocess.run([JCO,"parse",exp+".wat","-o",exp],capture_output=True).returncode!=0:
        return bad(folder, f"{name}: jco cannot parse the expected result")
    def names(p, drop):
        j=json.loads(subprocess.run([WI,"--json",p],capture_output=True,text=True).stdout)
        # the order of imports is not significant (wac orders implicit and explicit imports its own way)
        return [sorted([x for x in j["imports"] if not (drop and x["name"].startswith("unlocked-dep="))], key=lambda x: x["name"]), j["exports"]]
    e, g = names(exp, True), names(out, False)
    if e==g: ok(folder, f"{name}: composes, validates, imports/exports equal wac's")
    else: bad(folder, f"{name}: imports/exports differ: expected {e}, got {g}")

for folder in ("resolution","encoding"):
    d=os.path.join(T,folder)
    for f in sorted(x for x in os.listdir(d) if x.endswith(".wac")): compose_case(folder, f, False)
    d=os.path.join(T,folder,"fail")
    for f in sorted(x for x in os.listdir(d) if x.endswith(".wac")): compose_case(folder+"/fail", f, True)

for k,v in counts.items(): print(f"# {k}: {v['pass']} passed, {v['fail']} failed, {v['skip']} skipped")
print(f"{res['pass']} passed, {res['fail']} failed, {res['skip']} skipped")
sys.exit(1 if res["fail"] else 0)
PY
