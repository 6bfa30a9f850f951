# A tour of the file-system, clock, random and stdio paths of CPython on WASI
# (tests/wasi/suite-wasi2.sh runs it as a core module on the preview1 host and
# as a component on the WASI 0.2 host; the outputs must be identical).
# argv[1]: a preopened read-write directory; next to it (outside every
# preopen) the suite puts secret.txt, and box/up is a symlink to "..".
import hashlib, json, os, random, shutil, sys, time

root = sys.argv[1]
os.makedirs(f"{root}/a/b", exist_ok=True)
with open(f"{root}/a/b/f.txt", "w") as f:
    f.write("x" * 1000 + "\n")
with open(f"{root}/a/b/f.txt", "a") as f:
    f.write("appended\n")
print(sorted(os.listdir(root)))
st = os.stat(f"{root}/a/b/f.txt")
print("size", st.st_size, "isfile", os.path.isfile(f"{root}/a/b/f.txt"), "isdir", os.path.isdir(f"{root}/a"))
shutil.copytree(f"{root}/a", f"{root}/c")
os.rename(f"{root}/c/b/f.txt", f"{root}/c/g.txt")
os.symlink("g.txt", f"{root}/c/link")
print("readlink", os.readlink(f"{root}/c/link"), "exists", os.path.exists(f"{root}/c/link"))
for dp, dn, fn in sorted(os.walk(root)):
    print("walk", dp, sorted(dn), sorted(fn))
with open(f"{root}/c/g.txt", "rb") as f:
    data = f.read()
    f.seek(1000)
    print("tail", f.read().decode().split())
print("sha256", hashlib.sha256(data).hexdigest())
with open(f"{root}/c/data.json", "w") as f:
    json.dump({"k": [1, 2, 3], "s": "ü✓"}, f, ensure_ascii=False)
print("json", json.load(open(f"{root}/c/data.json")))
os.truncate(f"{root}/c/g.txt", 10)
print("truncated", os.path.getsize(f"{root}/c/g.txt"))
os.utime(f"{root}/c/g.txt", (1000000000, 1000000000))
print("mtime", int(os.stat(f"{root}/c/g.txt").st_mtime))
for p in ["../secret.txt", "/etc/passwd", f"{root}/../secret.txt", f"{root}/up/secret.txt", "/"]:
    try:
        with open(p) as f:
            print("LEAKED", p, f.read()[:20])
    except OSError:
        print("refused", p)
for p in [f"{root}/../created.txt", f"{root}/up/created.txt"]:
    try:
        open(p, "w").write("x")
        print("CREATED", p)
    except OSError:
        print("refused create", p)
try:
    os.rmdir(f"{root}/a")
except OSError as e:
    print("rmdir non-empty:", e.errno == 55 or e.errno == 66 or type(e).__name__)
shutil.rmtree(f"{root}/a")
os.remove(f"{root}/c/link")
print("after", sorted(os.listdir(root)), sorted(os.listdir(f"{root}/c")))
t0 = time.monotonic()
print("clock", time.time() > 1.6e9, time.monotonic() >= t0, 0 <= random.random() < 1, len(os.urandom(16)))
print("env", os.environ.get("GREETING"), "args", sys.argv[2:])
sys.stdout.write(sys.stdin.read().upper())
