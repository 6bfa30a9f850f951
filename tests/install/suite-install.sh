#!/usr/bin/env bash
# make install and make deb (issue 16 item 5):
#  - `make install DESTDIR=... PREFIX=/usr/local`: tools, man pages, completions, headers under
#    include/wkit/, static libraries and wkit.pc; every installed header compiles on its own; a tiny
#    embedder (tests/install/embed.c: a core module through lib/interp with a host import) is
#    compiled and linked with `pkg-config --cflags --libs wkit` alone (PKG_CONFIG_SYSROOT_DIR = the
#    DESTDIR) and runs; the staged tools run from there.
#  - `make deb`: dpkg-deb's view of the package (control fields, contents); then, as root with dpkg
#    and no wkit package installed already: dpkg -i, every tool's --version and a small real job from
#    /usr/bin, pkg-config from the system, man -w, then dpkg -r and every file of the package gone.
#    Without root/dpkg, or with a wkit package already installed, those checks are skipped with why.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
OUT=$PWD/$BUILD/tests/install
rm -rf "$OUT"; mkdir -p "$OUT"
pass=0; fail=0; skip=0
ok() { pass=$((pass+1)); echo "ok   $*"; }
bad() { fail=$((fail+1)); echo "FAIL $*"; }
skp() { skip=$((skip+1)); echo "skip $*"; }
skpn() { skip=$((skip+$1)); shift; echo "skip $*"; }
finish() { echo "$pass passed, $fail failed, $skip skipped"; [ $fail = 0 ]; exit $?; }
TOOLS="wit-gen wcompose wsign winspect wrun"
NLIBS=$(sed -n 's/^LIBNAMES := //p' Makefile | wc -w)

# inputs for the real jobs: a C program as a core module, a WIT file, a bundle for wrun oci
if ! clang-14 --target=wasm32-wasi -O2 -o "$OUT/hello.wasm" tests/oci/data/ocihello.c 2>"$OUT/cc.log"; then
  bad "cannot build the guest: $(head -1 "$OUT/cc.log")"; finish
fi
printf 'package demo:app@1.0.0;\ninterface greet { hello: func(name: string) -> string; }\nworld app { export greet; }\n' > "$OUT/app.wit"
mkdir -p "$OUT/bundle/rootfs" && cp "$OUT/hello.wasm" "$OUT/bundle/rootfs/" &&
  printf '{"ociVersion":"1.0.2","process":{"args":["/hello.wasm","exit","6"],"env":["GREETING=deb"],"cwd":"/"},"root":{"path":"rootfs"}}' > "$OUT/bundle/config.json"

# jobs TAG BINDIR: the same small real job for each tool
jobs() {
  local t=$1 d=$2 j=$OUT/jobs-$1; mkdir -p "$j"
  for tool in $TOOLS; do
    v=$("$d/$tool" --version 2>&1 | head -1)
    if [[ $v == "$tool "* ]]; then ok "$t: $tool --version ($v)"; else bad "$t: $tool --version: $v"; fi
  done
  if "$d/wit-gen" wit "$OUT/app.wit" 2>&1 | grep -q "hello: func(name: string) -> string;"; then ok "$t: wit-gen wit resolves and prints a package"
  else bad "$t: wit-gen wit"; fi
  dg=$("$d/wcompose" oci "$OUT/hello.wasm" -o "$j/app.oci.tar" 2>&1)
  if [ "$dg" = "sha256:$(sha256sum "$OUT/hello.wasm" | cut -d' ' -f1)" ]; then ok "$t: wcompose oci packs the module (layer digest = sha256sum)"
  else bad "$t: wcompose oci: $dg"; fi
  if "$d/winspect" "$j/app.oci.tar" 2>&1 | grep -q "application/wasm"; then ok "$t: winspect reads and verifies the archive"; else bad "$t: winspect"; fi
  if "$d/wsign" keygen -o "$j/k.pem" >/dev/null 2>&1 && "$d/wsign" sign -k "$j/k.pem" "$OUT/hello.wasm" -o "$j/signed.wasm" >/dev/null 2>&1 &&
     "$d/wsign" verify -K "$j/k.pub" "$j/signed.wasm" >/dev/null 2>&1; then ok "$t: wsign keygen, sign, verify"
  else bad "$t: wsign"; fi
  out=$(GREETING=x "$d/wrun" --env GREETING=hi "$j/signed.wasm" exit 9 2>&1); rc=$?
  if [ $rc = 9 ] && [[ $out == *"GREETING=hi"* ]]; then ok "$t: wrun runs the signed module (exit 9)"; else bad "$t: wrun: rc=$rc $out"; fi
  out=$("$d/wrun" oci --root "$j/oci-root" run --bundle "$OUT/bundle" c1 2>&1); rc=$?
  if [ $rc = 6 ] && [[ $out == *"GREETING=deb"* ]]; then ok "$t: wrun oci run on a bundle (exit 6)"; else bad "$t: wrun oci run: rc=$rc $out"; fi
}

# ---- make install into a DESTDIR
ST=$OUT/stage
if make --no-print-directory -j2 BUILD="$BUILD" install DESTDIR="$ST" PREFIX=/usr/local >"$OUT/install.log" 2>&1; then ok "make install DESTDIR=... PREFIX=/usr/local"
else bad "make install: $(tail -3 "$OUT/install.log")"; finish; fi
P=$ST/usr/local
nb=$(ls "$P/bin" | wc -l); nm=$(ls "$P/share/man/man1" | wc -l); nl=$(ls "$P/lib"/libwk_*.a | wc -l)
nc=$(ls "$P/share/bash-completion/completions" "$P/share/zsh/site-functions" "$P/share/fish/vendor_completions.d" | grep -c .)
if [ "$nb" = 5 ] && [ "$nm" = 5 ] && [ "$nl" = "$NLIBS" ] && [ -f "$P/lib/pkgconfig/wkit.pc" ] && [ "$nc" -ge 15 ]; then
  ok "installed: 5 tools, 5 man pages, $nl static libraries, wkit.pc, $nc completion files"
else bad "installed: $nb tools, $nm man pages, $nl libs (want $NLIBS), completions $nc, pc $(ls "$P/lib/pkgconfig")"; fi
nh=0; badh=""
for h in $(cd "$P/include/wkit" && ls */*.h); do
  nh=$((nh+1))
  echo "#include <$h>" | cc -std=gnu11 -D_GNU_SOURCE -fsyntax-only -I"$P/include/wkit" -x c - 2>/dev/null || badh="$badh $h"
done
if [ $nh -ge 25 ] && [ -z "$badh" ] && [ -f "$P/include/wkit/interp/interp.h" ] && [ -f "$P/include/wkit/component/component.h" ]; then
  ok "$nh headers under include/wkit/, each compiles on its own"
else bad "headers ($nh): do not compile alone:$badh"; fi
if [ -z "$(cd "$P/include/wkit" && ls */*internal*.h 2>/dev/null)" ]; then ok "no internal header installed"; else bad "internal headers installed"; fi
if ! command -v pkg-config >/dev/null; then bad "pkg-config is missing (scripts/setup.sh installs it)"; finish; fi
flags=$(PKG_CONFIG_PATH="$P/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$ST" pkg-config --cflags --libs wkit 2>&1)
if [[ $flags == "-I$P/include/wkit -L$P/lib -lwk_"* ]]; then ok "pkg-config --cflags --libs wkit (sysroot = DESTDIR): $flags"
else bad "pkg-config: $flags"; fi
# a sanitizer build (make asan: BUILD=build-asan) installs instrumented archives: link the runtime too
SAN=""; nm "$P/lib/libwk_base.a" 2>/dev/null | grep -q __asan_ && SAN="-fsanitize=address,undefined"
# shellcheck disable=SC2086
if cc $SAN -o "$OUT/embed" tests/install/embed.c $flags 2>"$OUT/embed.log" && out=$("$OUT/embed") && [ "$out" = "f(19, 2) = 42" ]; then
  ok "an embedder built with pkg-config alone instantiates a core module through lib/interp: $out"
else bad "embedder: $(head -3 "$OUT/embed.log") ${out:-}"; fi
jobs destdir "$P/bin"

# ---- make deb
if ! command -v dpkg-deb >/dev/null; then skpn 19 "make deb and dpkg -i/-r (19 checks): dpkg-deb is missing (not a Debian system)"; finish; fi
rm -f "$BUILD"/wkit_*.deb
if make --no-print-directory -j2 BUILD="$BUILD" deb >"$OUT/deb.log" 2>&1 && DEB=$(ls "$BUILD"/wkit_*.deb 2>/dev/null) && [ -n "$DEB" ]; then
  ok "make deb builds $DEB ($(stat -c %s "$DEB") bytes)"
else bad "make deb: $(tail -3 "$OUT/deb.log")"; finish; fi
dpkg-deb -f "$DEB" Package Version Architecture Depends > "$OUT/control"
if grep -qx "Package: wkit" "$OUT/control" && grep -qx "Architecture: $(dpkg --print-architecture)" "$OUT/control" &&
   grep -q "^Depends: .*libcjson1.*libssl3.*binaryen.*libarchive13" "$OUT/control"; then
  ok "control: Package wkit, Architecture, Depends on the run-time libraries"
else bad "control: $(cat "$OUT/control")"; fi
dpkg-deb -c "$DEB" | awk '{print $2, $6}' > "$OUT/contents"
if [ "$(grep -c '^root/root ./usr/bin/.' "$OUT/contents")" = 5 ] && grep -q " ./usr/lib/pkgconfig/wkit.pc$" "$OUT/contents" &&
   grep -q " ./usr/include/wkit/interp/interp.h$" "$OUT/contents" && ! grep -v '^root/root' "$OUT/contents" | grep -q .; then
  ok "contents: 5 tools in /usr/bin, headers, wkit.pc; every file owned root/root"
else bad "contents: $(head -5 "$OUT/contents")"; fi
if [ "$(id -u)" != 0 ]; then skpn 16 "dpkg -i / dpkg -r (16 checks): needs root"; finish; fi
if dpkg -s wkit >/dev/null 2>&1; then skpn 16 "dpkg -i / dpkg -r (16 checks): a wkit package is already installed here; not replacing it"; finish; fi
if dpkg -i "$DEB" >"$OUT/dpkg-i.log" 2>&1 && dpkg -s wkit | grep -qx "Status: install ok installed"; then ok "dpkg -i installs the package"
else bad "dpkg -i: $(tail -3 "$OUT/dpkg-i.log")"; dpkg -r wkit >/dev/null 2>&1; finish; fi
dpkg -L wkit > "$OUT/files"
jobs deb /usr/bin
if [ "$(man -w wrun 2>/dev/null)" = /usr/share/man/man1/wrun.1 ]; then ok "man -w wrun finds the installed page"; else bad "man -w wrun: $(man -w wrun 2>&1)"; fi
# shellcheck disable=SC2046,SC2086
if cc $SAN -o "$OUT/embed2" tests/install/embed.c $(pkg-config --cflags --libs wkit) 2>"$OUT/embed2.log" && [ "$("$OUT/embed2")" = "f(19, 2) = 42" ]; then
  ok "the installed package: pkg-config --cflags --libs wkit builds and links the embedder, which runs"
else bad "embedder against the package: $(head -3 "$OUT/embed2.log")"; fi
if dpkg -r wkit >"$OUT/dpkg-r.log" 2>&1 && ! dpkg -s wkit 2>/dev/null | grep -q "Status: install ok installed"; then ok "dpkg -r removes the package"
else bad "dpkg -r: $(tail -3 "$OUT/dpkg-r.log")"; fi
left=""
while read -r f; do [ -f "$f" ] && left="$left $f"; done < "$OUT/files"
nf=$(while read -r f; do [ -d "$f" ] || echo "$f"; done < "$OUT/files" | wc -l)
if [ -z "$left" ] && [ "$nf" -gt 50 ] && [ ! -e /usr/include/wkit ]; then ok "after dpkg -r none of the package's $nf files is left"
else bad "left after dpkg -r:$left"; fi
finish
