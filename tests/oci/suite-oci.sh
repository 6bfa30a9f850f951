#!/usr/bin/env bash
# OCI archives (issue 16): `wcompose oci` output checked by skopeo and umoci (Debian) as oracles,
# determinism, digests against sha256sum, winspect/wrun on the archives, and hostile archives
# (truncated, a flipped byte in a blob, a missing blob) that must fail naming the blob.
# Checks needing skopeo/umoci (scripts/setup.sh) are counted as skipped when those are absent.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
B=$BUILD/bin
OUT=$BUILD/tests/oci
rm -rf "$OUT"; mkdir -p "$OUT"
pass=0; fail=0; skip=0
ok() { pass=$((pass+1)); echo "ok   $*"; }
bad() { fail=$((fail+1)); echo "FAIL $*"; }
skp() { skip=$((skip+1)); echo "skip $*"; }
have() { command -v "$1" >/dev/null 2>&1; }
# blob NAME of archive: the bytes of member NAME
member() { tar -xOf "$1" "$2"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# the real C component (clang wasm32-wasi + jco new): scripts/setup.sh installs what it needs,
# so a component that cannot be built is a failure, as in tests/component/suite-real.sh
bash tests/component/build-real.sh hello-c >/dev/null 2>&1
APP=$BUILD/tests/component-real/hello-c.wasm
if [ ! -f "$APP" ]; then bad "cannot build $APP (tests/component/build-real.sh hello-c)"; echo "$pass passed, $fail failed, $skip skipped"; exit 1; fi
REAL=1
CORE=$BUILD/tests/component-real/hello.core.wasm # the C program as a preview1 core module

# --- packaging: artifact form
A=$OUT/app.oci.tar
if digest=$("$B/wcompose" oci "$APP" -o "$A" --ref hello:1.0 --annotation org.example.b=2 --annotation a.k=v); then
  ok "wcompose oci writes $A"
else bad "wcompose oci failed"; fi
want="sha256:$(sha256sum "$APP" | cut -d' ' -f1)"
if [ "$digest" = "$want" ]; then ok "printed layer digest = sha256sum of the .wasm"; else bad "printed digest $digest, want $want"; fi
names=$(tar -tf "$A" | tr '\n' ' ')
if [ "$names" = "$(tar -tf "$A" | LC_ALL=C sort | tr '\n' ' ')" ] && tar -tf "$A" | grep -qx oci-layout &&
   tar -tf "$A" | grep -qx index.json && tar -tf "$A" | grep -qx "blobs/sha256/${want#sha256:}"; then
  ok "tar members sorted: oci-layout, index.json, blobs/sha256/<layer digest>"
else bad "tar members: $names"; fi
if tar -tvf "$A" | awk '{print $2, $4, $5}' | sort -u | grep -qvE '^0/0 1970-01-01 00:00$'; then
  bad "members not all 0/0 at the epoch: $(tar -tvf "$A" | awk '{print $2, $4, $5}' | sort -u | tr '\n' ';')"
else ok "members owned 0/0, mtime 0"; fi
# every blob's name is its sha256 (checked with sha256sum, not with our code)
okb=1
for m in $(tar -tf "$A" | grep '^blobs/sha256/.'); do
  [ "sha256:$(member "$A" "$m" | sha256sum | cut -d' ' -f1)" = "sha256:${m#blobs/sha256/}" ] || { okb=0; echo "  $m"; }
done
if [ $okb = 1 ]; then ok "every blob's name is its sha256sum"; else bad "blob names do not match content"; fi
man=$(member "$A" index.json | json 'd["manifests"][0]["digest"]')
member "$A" "blobs/sha256/${man#sha256:}" > "$OUT/manifest.json"
if json 'd["config"]["mediaType"], d["layers"][0]["mediaType"], len(d["layers"]), d["artifactType"], d["annotations"]' \
     < "$OUT/manifest.json" | grep -qx "application/vnd.wasm.config.v0+json application/wasm 1 application/vnd.wasm.config.v0+json {'a.k': 'v', 'org.example.b': '2'}"; then
  ok "manifest: wasm config media type, one application/wasm layer, artifactType, annotations"
else bad "manifest: $(cat "$OUT/manifest.json")"; fi
cfgd=$(json 'd["config"]["digest"]' < "$OUT/manifest.json")
member "$A" "blobs/sha256/${cfgd#sha256:}" > "$OUT/config.json"
if [ $REAL = 1 ]; then
  # the config's imports/exports = jco's WIT view of the component (oracle: jco wit)
  JCO=scripts/npm/node_modules/.bin/jco
  if [ -x "$JCO" ] && "$JCO" wit "$APP" > "$OUT/app.wit" 2>/dev/null; then
    jim=$(sed -nE 's/^\s+import ([^;]+);$/\1/p' "$OUT/app.wit" | LC_ALL=C sort | tr '\n' ' ')
    jex=$(sed -nE 's/^\s+export ([^;]+);$/\1/p' "$OUT/app.wit" | LC_ALL=C sort | tr '\n' ' ')
    cim=$(json '" ".join(d["component"]["imports"])' < "$OUT/config.json")
    cex=$(json '" ".join(d["component"]["exports"])' < "$OUT/config.json")
    if [ "$cim " = "$jim" ] && [ "$cex " = "$jex" ] && [ -n "$cex" ]; then
      ok "config component.imports/exports = jco wit ($(echo $jim | wc -w) imports, exports: $cex)"
    else bad "config imports/exports differ from jco wit: [$cim] vs [$jim]; [$cex] vs [$jex]"; fi
  else skp "jco not available: config imports/exports not compared"; fi
fi
if json 'd["architecture"], d["os"], d["layerDigests"]' < "$OUT/config.json" | grep -qx "wasm wasip2 \['$want'\]"; then
  ok "config: architecture wasm, os wasip2, layerDigests"
else bad "config: $(cat "$OUT/config.json")"; fi

# determinism
"$B/wcompose" oci "$APP" -o "$OUT/app2.oci.tar" --annotation a.k=v --ref hello:1.0 --annotation org.example.b=2 >/dev/null
if cmp -s "$A" "$OUT/app2.oci.tar"; then ok "two runs (annotations in another order) give the same bytes"; else bad "not deterministic"; fi

# --- skopeo and umoci as oracles
if have skopeo; then
  if skopeo inspect --raw "oci-archive:$A" > "$OUT/sk-manifest.json" 2>"$OUT/sk.err" && cmp -s "$OUT/sk-manifest.json" "$OUT/manifest.json"; then
    ok "skopeo inspect --raw oci-archive: returns our manifest"
  else bad "skopeo inspect --raw: $(cat "$OUT/sk.err")"; fi
  if skopeo inspect --config --raw "oci-archive:$A:hello:1.0" > "$OUT/sk-config.json" 2>"$OUT/sk.err" && cmp -s "$OUT/sk-config.json" "$OUT/config.json"; then
    ok "skopeo inspect --config oci-archive:...:hello:1.0 (ref name found) returns our config"
  else bad "skopeo inspect --config: $(cat "$OUT/sk.err")"; fi
  if skopeo copy -q "oci-archive:$A" "oci:$OUT/copy:hello" 2>"$OUT/sk.err" &&
     cmp -s "$OUT/copy/blobs/sha256/${want#sha256:}" "$APP"; then
    ok "skopeo copy oci-archive: -> oci:DIR keeps the wasm layer byte-equal"
  else bad "skopeo copy: $(cat "$OUT/sk.err")"; fi
else for i in 1 2 3; do skp "skopeo not installed (scripts/setup.sh)"; done; fi

I=$OUT/img.oci.tar
if "$B/wcompose" oci "$APP" --image --name app.wasm -o "$I" > "$OUT/img.digest"; then ok "wcompose oci --image"; else bad "wcompose oci --image"; fi
imgman=$(member "$I" index.json | json 'd["manifests"][0]["digest"]')
member "$I" "blobs/sha256/${imgman#sha256:}" > "$OUT/img-manifest.json"
if json 'd["config"]["mediaType"], d["layers"][0]["mediaType"], d["annotations"]["module.wasm.image/variant"]' < "$OUT/img-manifest.json" |
   grep -qx 'application/vnd.oci.image.config.v1+json application/vnd.oci.image.layer.v1.tar compat-smart'; then
  ok "image manifest: image config, tar layer, compat-smart annotation"
else bad "image manifest: $(cat "$OUT/img-manifest.json")"; fi
if have skopeo && have umoci; then
  if skopeo inspect "oci-archive:$I" > "$OUT/img-inspect.json" 2>"$OUT/sk.err" &&
     json 'd["Architecture"], d["Os"], len(d["Layers"])' < "$OUT/img-inspect.json" | grep -qx 'wasm linux 1'; then
    ok "skopeo inspect (image-level) accepts the --image form"
  else bad "skopeo inspect image: $(cat "$OUT/sk.err")"; fi
  if skopeo copy -q "oci-archive:$I" "oci:$OUT/imgdir:latest" 2>"$OUT/sk.err" &&
     umoci unpack --rootless --image "$OUT/imgdir:latest" "$OUT/bundle" >"$OUT/umoci.log" 2>&1 &&
     cmp -s "$OUT/bundle/rootfs/app.wasm" "$APP"; then
    ok "umoci unpack of the --image form: rootfs/app.wasm byte-equal to the input"
  else bad "umoci unpack: $(cat "$OUT/sk.err" "$OUT/umoci.log" | tail -3)"; fi
  if [ -f "$OUT/bundle/config.json" ] && json 'd["process"]["args"]' < "$OUT/bundle/config.json" | grep -qx "\['/app.wasm'\]"; then
    ok "umoci's runtime bundle: process.args = [/app.wasm]"
  else bad "bundle config.json args"; fi
else for i in 1 2 3; do skp "skopeo/umoci not installed (scripts/setup.sh)"; done; fi

# --- winspect verifies and shows
if "$B/winspect" "$A" > "$OUT/insp.txt" && [ "$(grep -c ' verified$' "$OUT/insp.txt")" = 3 ] &&
   grep -q "^layer 0  $want application/wasm" "$OUT/insp.txt" && grep -q '^config:' "$OUT/insp.txt"; then
  ok "winspect shows manifest, config, layer, 3 digests verified"
else bad "winspect: $(head -5 "$OUT/insp.txt")"; fi
if [ $REAL = 1 ]; then
  if "$B/winspect" --wit "$A" > "$OUT/a.wit" && "$B/winspect" --wit "$APP" | cmp -s - "$OUT/a.wit"; then
    ok "winspect --wit of the archive = of the .wasm"
  else bad "winspect --wit of the archive"; fi
fi

# --- wrun: same output from the archive, the image and the .wasm
if [ $REAL = 1 ]; then
  "$B/wrun" "$APP" a b > "$OUT/run-wasm.out" 2>&1; r1=$?
  "$B/wrun" "$A" a b > "$OUT/run-oci.out" 2>&1; r2=$?
  "$B/wrun" "$I" a b > "$OUT/run-img.out" 2>&1; r3=$?
  if [ $r1 = 0 ] && [ -s "$OUT/run-wasm.out" ] && [ $r2 = $r1 ] && cmp -s "$OUT/run-wasm.out" "$OUT/run-oci.out"; then
    ok "wrun app.oci.tar prints what wrun hello-c.wasm prints ($(head -c 40 "$OUT/run-oci.out" | tr '\n' ' '))"
  else bad "wrun archive: rc $r2 vs $r1: $(head -3 "$OUT/run-oci.out")"; fi
  if [ $r3 = $r1 ] && cmp -s "$OUT/run-wasm.out" "$OUT/run-img.out"; then ok "wrun of the --image form prints the same"
  else bad "wrun image: $(head -3 "$OUT/run-img.out")"; fi
else skp "wrun of the archive (no real component)"; skp "wrun of the image"; fi

# --- signed component: the embedded signature survives
if [ $REAL = 1 ]; then
  "$B/wsign" keygen -o "$OUT/k.pem" >/dev/null 2>&1 && "$B/wsign" sign -k "$OUT/k.pem" "$APP" -o "$OUT/signed.wasm" >/dev/null 2>&1
  "$B/wcompose" oci "$OUT/signed.wasm" -o "$OUT/signed.oci.tar" >/dev/null
  sd=$(member "$OUT/signed.oci.tar" index.json | json 'd["manifests"][0]["digest"]')
  ld=$(member "$OUT/signed.oci.tar" "blobs/sha256/${sd#sha256:}" | json 'd["layers"][0]["digest"]')
  member "$OUT/signed.oci.tar" "blobs/sha256/${ld#sha256:}" > "$OUT/signed-back.wasm"
  if cmp -s "$OUT/signed-back.wasm" "$OUT/signed.wasm" && "$B/wsign" verify -K "$OUT/k.pub" "$OUT/signed-back.wasm" >/dev/null 2>&1; then
    ok "signed component: layer byte-equal, wsign verify passes on it"
  else bad "signed component layer"; fi
fi

# --- a core module packages as wasip1
if [ -f "$CORE" ]; then
  if "$B/wcompose" oci "$CORE" -o "$OUT/core.oci.tar" >/dev/null && "$B/winspect" "$OUT/core.oci.tar" | grep -q 'core module' &&
     "$B/winspect" "$OUT/core.oci.tar" | grep -q '"os":.*"wasip1"'; then
    ok "core module packages (os wasip1)"
  else bad "core module"; fi
  if "$B/wrun" "$CORE" x > "$OUT/core-wasm.out" 2>&1 && "$B/wrun" "$OUT/core.oci.tar" x > "$OUT/core-oci.out" 2>&1 &&
     cmp -s "$OUT/core-wasm.out" "$OUT/core-oci.out"; then
    ok "wrun of the core module's archive prints what the module prints"
  else bad "wrun core archive: $(head -2 "$OUT/core-oci.out")"; fi
else bad "no core module $CORE"; fi

# --- hostile archives: an error naming the blob, nothing runs
lay=${want#sha256:}
expect_err() { # NAME FILE PATTERN
  for t in wrun winspect; do
    if "$B/$t" "$2" > "$OUT/h.out" 2> "$OUT/h.err"; then bad "$1: $t accepted it"; continue; fi
    if grep -q "$3" "$OUT/h.err" && [ ! -s "$OUT/h.out" ]; then ok "$1: $t fails: $(head -c 150 "$OUT/h.err")"
    else bad "$1: $t: $(cat "$OUT/h.err" "$OUT/h.out" | head -3)"; fi
  done
}
size=$(stat -c %s "$A")
head -c $((size / 2)) "$A" > "$OUT/trunc.tar"
expect_err "truncated in the layer" "$OUT/trunc.tar" "truncated archive: blob sha256:$lay"
head -c 2600 "$A" > "$OUT/trunc2.tar"
expect_err "truncated in a header" "$OUT/trunc2.tar" "Truncated tar archive after blob sha256:"
cp "$A" "$OUT/flip.tar"
off=$(( $(grep -abo "blobs/sha256/$lay" "$A" | head -1 | cut -d: -f1) + 512 + 1000 ))
printf '\xff' | dd of="$OUT/flip.tar" bs=1 seek=$off conv=notrunc 2>/dev/null
expect_err "flipped byte in the layer" "$OUT/flip.tar" "blob blobs/sha256/$lay (layer 0) does not match its digest: expected $want"
rm -rf "$OUT/x"; mkdir "$OUT/x"; tar -xf "$A" -C "$OUT/x"; rm "$OUT/x/blobs/sha256/${cfgd#sha256:}"
tar -cf "$OUT/missing.tar" -C "$OUT/x" oci-layout index.json blobs
expect_err "missing config blob" "$OUT/missing.tar" "blob $cfgd (config) is missing"
rm -rf "$OUT/x"; mkdir "$OUT/x"; tar -xf "$A" -C "$OUT/x"; rm "$OUT/x/blobs/sha256/$lay"
tar -cf "$OUT/missing2.tar" -C "$OUT/x" oci-layout index.json blobs
expect_err "missing layer blob" "$OUT/missing2.tar" "blob $want (layer 0) is missing"
# a layer replaced by other bytes under the same name (size differs)
rm -rf "$OUT/x"; mkdir "$OUT/x"; tar -xf "$A" -C "$OUT/x"; printf '\0asm\1\0\0\0' > "$OUT/x/blobs/sha256/$lay"
tar -cf "$OUT/swap.tar" -C "$OUT/x" oci-layout index.json blobs
expect_err "layer swapped for another module" "$OUT/swap.tar" "expected digest $want"
# skopeo agrees that the flipped archive is bad (oracle for our check)
if have skopeo; then
  if skopeo copy -q "oci-archive:$OUT/flip.tar" "oci:$OUT/flipcopy:x" >/dev/null 2>&1; then bad "skopeo accepted the flipped archive"
  else ok "skopeo also rejects the flipped archive"; fi
else skp "skopeo not installed"; fi

# --- usage errors
"$B/wcompose" oci "$APP" >/dev/null 2>&1; r=$?
"$B/wcompose" oci "$APP" -o "$OUT/u.tar" --annotation novalue >/dev/null 2>&1; r2=$?
if [ $r = 2 ] && [ $r2 = 2 ] && [ ! -e "$OUT/u.tar" ]; then ok "usage errors exit 2, nothing written"; else bad "usage: $r $r2"; fi
printf 'not wasm' > "$OUT/bad.wasm"
if "$B/wcompose" oci "$OUT/bad.wasm" -o "$OUT/bad.tar" 2>/dev/null || [ -e "$OUT/bad.tar" ]; then bad "packaged a non-wasm file"
else ok "a non-wasm input is an error, nothing written"; fi

echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
