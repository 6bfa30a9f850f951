# wkit — top-level, non-recursive Makefile.
#
#   make            build every library and tool into $(BUILD)/
#   make test       build, then run the whole test suite (tests/run.sh)
#   make asan       the whole test suite under AddressSanitizer + UBSan (build-asan/)
#   make bench      wrun against native, wasm3, WAMR and node; wcompose opt against jco opt and
#                   wasm-opt (bench/opt.sh); the component table of bench-components (not part of `make test`)
#   make bench-quick  the same on small inputs (about a minute)
#   make bench-simd   SIMD kernels (bench/simd): wrun -msimd128 vs scalar builds, native, node, WAMR fast interp
#   make bench-components  component calls/s and start-up, wrun vs jco on node
#   make bench-compose  wcompose on the 12 MB JS component + a small one (CPU and wall medians)
#   make install    PREFIX=/usr/local DESTDIR= (tools, man pages, completions, headers under
#                   include/wkit/, static libraries and the pkg-config file wkit.pc)
#   make deb        a Debian package $(BUILD)/wkit_VERSION_ARCH.deb (dpkg-deb), PREFIX /usr
#   make clean
#
# Every lib/NAME/*.c goes into $(BUILD)/lib/libwk_NAME.a; every cmd/NAME/*.c
# into one tool. New source files are picked up without editing this file.

CC      ?= cc
CFLAGS  ?= -O2 -g
LDFLAGS ?=
BUILD   ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
LIBDIR  ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include

WARN      := -Wall -Wextra -Wno-unused-parameter
ALL_CFLAGS = -std=gnu11 $(WARN) -Ilib -D_GNU_SOURCE $(CFLAGS) -MMD -MP
# libcurl (wasi:http outgoing-handler, lib/wasi/curl_lib.c) and libmicrohttpd (wrun serve,
# cmd/run/mhd_lib.c) are loaded with dlopen on first use, as libcrypto is for lib/base/sha256.c:
# nothing links them (linking them cost every wrun process ~13M instructions at start-up, issue 13).
# Only their headers are needed to build (libcurl4-*-dev, libmicrohttpd-dev). dlopen is in libc
# (glibc >= 2.34), so no -ldl.
# libarchive (OCI image layouts: lib/compose/oci.c) is loaded the same way (lib/compose/archive_lib.c):
# linked, it cost every wrun process ~4.6M instructions at start-up (libxml2, ICU, libstdc++).
SYSLIBS   := -lssl -lcrypto -lcjson -lm -lpthread

# Libraries in link order (a library may only use those after it).
LIBNAMES := wasi compose component bindgen interp sign witparse encode canonabi base
LIBFILES := $(foreach l,$(LIBNAMES),$(BUILD)/lib/libwk_$(l).a)

# cmd folder : tool name
TOOLS := wit:wit-gen compose:wcompose sign:wsign inspect:winspect run:wrun

# What each tool links: the libraries it uses with those they use (in LIBNAMES order), and the system
# libraries of those (OpenSSL: lib/sign, lib/interp; cJSON: lib/witparse and the tools' JSON output;
# -lm -lpthread: lib/encode, lib/interp). A tool not listed links every library and $(SYSLIBS): wcompose,
# which is being extended now, until it settles. wrun links no OpenSSL (lib/base/sha256.c loads libcrypto
# on first use) and no HTTP library (see SYSLIBS): start-up speed is tracked (issue 13), and
# tests/http/suite-ldd.sh fails if any of them comes back into `ldd wrun`.
TOOL_LIBS_wit-gen  := bindgen witparse encode canonabi base
TOOL_SYS_wit-gen   := -lcjson -lm -lpthread
TOOL_LIBS_wsign    := sign encode canonabi base
TOOL_SYS_wsign     := -lssl -lcrypto -lcjson -lm -lpthread
TOOL_LIBS_winspect := compose witparse encode canonabi base
TOOL_SYS_winspect  := -lcjson -lm -lpthread
TOOL_LIBS_wrun     := wasi compose component interp witparse encode canonabi base
# wrun: libcjson is loaded on first use (cmd/run/cjson_lib.c defines the cJSON functions as forwarders),
# so -lcjson is as-needed: linked only if some code calls a cJSON function that file does not define
TOOL_SYS_wrun      := -Wl,--as-needed -lcjson -lm -Wl,--no-as-needed -lpthread
# wrun's start-up (issue 13): relative relocations packed (DT_RELR: ld >= 2.38, glibc >= 2.36), when
# the linker has the option: the loader applies ~3500 of them in every process
wrun_LDFLAGS := $(shell echo 'int main(void){return 0;}' | $(CC) -Wl,-z,pack-relative-relocs -x c -o /dev/null - >/dev/null 2>&1 && echo -Wl,-z,pack-relative-relocs)
# Extra libraries of one tool: wcompose opt runs binaryen (libbinaryen, Debian's binaryen package).
wcompose_LIBS := -lbinaryen
# Extra objects of one tool: wcompose embeds wkit's preview1 adapter (adapter/, built by
# adapter/build.sh with clang for wasm32 and wit-gen; without that toolchain the blob is empty and
# `wcompose new` asks for --adapt).
wcompose_OBJS := $(BUILD)/obj/gen/adapter_blob.o
TOOL_BINS := $(foreach t,$(TOOLS),$(BUILD)/bin/$(word 2,$(subst :, ,$(t))))

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
SPEC_SRCS := $(wildcard tests/spec/*.c)
SPEC_BIN  := $(BUILD)/tests/spec-runner
# the same runner over the interpreter built with switch dispatch (tests/spec/suite-spec-variants.sh)
SPEC_SWITCH_BIN := $(BUILD)/tests/spec-runner-switch
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)

.PHONY: all test check asan bench bench-quick bench-simd bench-components bench-compose install deb clean fuzz
# Keep object files of tests and tools (pattern-rule intermediates) so rebuilds stay incremental.
.SECONDARY:
all: $(TOOL_BINS) $(UNIT_BINS) $(if $(SPEC_SRCS),$(SPEC_BIN) $(SPEC_SWITCH_BIN))

# Generated sources of a library ($(1)_GEN_OBJS; rules at the end of this file): build output, never committed.
wasi_GEN_OBJS := $(BUILD)/obj/gen/wasi_types.o

define LIB_RULES
$(1)_SRCS := $$(wildcard lib/$(1)/*.c)
$(1)_OBJS := $$(patsubst %.c,$(BUILD)/obj/%.o,$$($(1)_SRCS)) $$($(1)_GEN_OBJS)
$(BUILD)/lib/libwk_$(1).a: $$($(1)_OBJS)
	@mkdir -p $$(dir $$@)
	@rm -f $$@
	$$(AR) rcs $$@ $$^
endef
$(foreach l,$(LIBNAMES),$(eval $(call LIB_RULES,$(l))))

# cmd/common/*.c: helpers every tool shares (cmd/common/tool.h), linked into each tool.
COMMON_TOBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard cmd/common/*.c))

define TOOL_RULES
$(1)_TSRCS := $$(wildcard cmd/$(1)/*.c) $$(wildcard cmd/common/*.c)
$(1)_TOBJS := $$(patsubst %.c,$(BUILD)/obj/%.o,$$($(1)_TSRCS))
$(1)_TLIBS := $$(foreach l,$$(or $$(TOOL_LIBS_$(2)),$(LIBNAMES)),$(BUILD)/lib/libwk_$$(l).a)
$(BUILD)/bin/$(2): $$($(1)_TOBJS) $$($(2)_OBJS) $$($(1)_TLIBS)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $$(LDFLAGS) $$($(2)_LDFLAGS) -o $$@ $$($(1)_TOBJS) $$($(2)_OBJS) $$($(1)_TLIBS) $$(or $$(TOOL_SYS_$(2)),$(SYSLIBS)) $$($(2)_LIBS)
endef
$(foreach t,$(TOOLS),$(eval $(call TOOL_RULES,$(word 1,$(subst :, ,$(t))),$(word 2,$(subst :, ,$(t))))))

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# EXEC_CFLAGS: appended for the interpreter loop only. The fuzz build gives -O0: clang with
# -fsanitize=fuzzer-no-link,address,undefined at -O1 did not finish compiling exec.c's two threaded
# loops (~500 handlers each, SIMD included) in 12 minutes; at -O0 it takes ~10 s of CPU.
$(BUILD)/obj/lib/interp/exec.o: ALL_CFLAGS += $(EXEC_CFLAGS)
# sqrt without errno: the instruction inline (sqrtsd), never a call into libm, which wrun then does
# not load (a shared library costs every process its mapping, relocation and page-ins: issue 13)
$(BUILD)/obj/lib/interp/exec.o: ALL_CFLAGS += -fno-math-errno

$(BUILD)/tests/test_%: $(BUILD)/obj/tests/unit/test_%.o $(LIBFILES)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBFILES) -lcmocka $(SYSLIBS)

$(SPEC_BIN): $(patsubst %.c,$(BUILD)/obj/%.o,$(SPEC_SRCS)) $(LIBFILES)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(patsubst %.c,$(BUILD)/obj/%.o,$(SPEC_SRCS)) $(LIBFILES) $(SYSLIBS)

# lib/interp/loop.h's other dispatch: a plain switch instead of computed gotos (WK_SWITCH_DISPATCH).
# Its exec object comes before the libraries, so libwk_interp.a's threaded exec.o is not linked.
$(BUILD)/obj/lib/interp/exec-switch.o: lib/interp/exec.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(EXEC_CFLAGS) -fno-math-errno -DWK_SWITCH_DISPATCH -c -o $@ $<
$(SPEC_SWITCH_BIN): $(patsubst %.c,$(BUILD)/obj/%.o,$(SPEC_SRCS)) $(BUILD)/obj/lib/interp/exec-switch.o $(LIBFILES)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(patsubst %.c,$(BUILD)/obj/%.o,$(SPEC_SRCS)) $(BUILD)/obj/lib/interp/exec-switch.o \
	  $(LIBFILES) $(SYSLIBS)

test check: all
	BUILD=$(BUILD) bash tests/run.sh

ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
asan:
	$(MAKE) BUILD=build-asan CFLAGS="$(ASAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" test

# bench/bench.py builds the peers once (../shared/peers/build.sh into $(BUILD)/peers) and the kernels
# (and the component table of bench/components/run.sh, also `make bench-components` alone)
bench: $(BUILD)/bin/wrun $(BUILD)/bin/wcompose $(BUILD)/bin/winspect $(BUILD)/bin/wit-gen $(BUILD)/bench/translate $(BUILD)/bench/comp-calls bench-compose
	BUILD=$(BUILD) python3 bench/bench.py
	BUILD=$(BUILD) bash bench/serve.sh
	BUILD=$(BUILD) bash bench/opt.sh
	BUILD=$(BUILD) bash bench/components/run.sh
	BUILD=$(BUILD) bash bench/gc.sh
# bench/compose.sh: wcompose on the 12 MB componentize-js component + a C command (CPU and wall medians)
bench-compose: $(BUILD)/bin/wcompose $(BUILD)/bin/winspect $(BUILD)/bin/wrun $(BUILD)/bin/wsign $(BUILD)/bin/wit-gen
	BUILD=$(BUILD) bash bench/compose.sh
bench-quick: $(BUILD)/bin/wrun $(BUILD)/bench/translate
	BUILD=$(BUILD) BENCH_QUICK=1 python3 bench/bench.py
bench-simd: $(BUILD)/bin/wrun
	BUILD=$(BUILD) python3 bench/simd.py

fuzz: # FUZZ_BUILD=DIR (default build-fuzz): libs + wsign + wat-comp-parse (WAT seeds) with coverage, then tests/fuzz/build.sh links the targets
	$(MAKE) BUILD=$(or $(FUZZ_BUILD),build-fuzz) CC=clang LDFLAGS= EXEC_CFLAGS=-O0 \
	  CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" \
	  $(foreach l,$(LIBNAMES),$(or $(FUZZ_BUILD),build-fuzz)/lib/libwk_$(l).a) $(or $(FUZZ_BUILD),build-fuzz)/bin/wsign \
	  $(or $(FUZZ_BUILD),build-fuzz)/tests/tools/wat-comp-parse
	BUILD=$(or $(FUZZ_BUILD),build-fuzz) bash tests/fuzz/build.sh

install: $(TOOL_BINS) $(LIBFILES)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(TOOL_BINS) $(DESTDIR)$(PREFIX)/bin/
	for a in $(BUILD)/adapter/wasi_snapshot_preview1.*.wasm; do [ -f "$$a" ] && \
	  install -D -m 644 "$$a" $(DESTDIR)$(PREFIX)/share/wkit/$$(basename "$$a") || true; done
	for m in man/*.1; do [ -f "$$m" ] && install -m 644 "$$m" $(DESTDIR)$(PREFIX)/share/man/man1/ || true; done
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	for c in completions/*.bash; do [ -f "$$c" ] && install -m 644 "$$c" \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions/$$(basename "$$c" .bash) || true; done
	install -d $(DESTDIR)$(PREFIX)/share/zsh/site-functions $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	for c in completions/*.zsh; do [ -f "$$c" ] && install -m 644 "$$c" \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_$$(basename "$$c" .zsh) || true; done
	for c in completions/*.fish; do [ -f "$$c" ] && install -m 644 "$$c" \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/ || true; done
	for h in $(INSTALL_HDRS); do install -D -m 644 "$$h" "$(DESTDIR)$(INCLUDEDIR)/wkit/$${h#lib/}" || exit 1; done
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig
	install -m 644 $(LIBFILES) $(DESTDIR)$(LIBDIR)/
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(INCLUDEDIR)' '' 'Name: wkit' \
	  'Description: WebAssembly component toolchain libraries (interpreter, component runtime, WASI host, encoder, WIT)' \
	  'Version: $(WK_VERSION)' 'Cflags: -I$${includedir}/wkit' \
	  'Libs: -L$${libdir} $(foreach l,$(LIBNAMES),-lwk_$(l)) $(PC_SYSLIBS)' > $(DESTDIR)$(LIBDIR)/pkgconfig/wkit.pc

# Headers an embedder needs: every lib/NAME/*.h except the libraries' internal ones (internal.h,
# *_int.h, the interpreter loop body, the per-opcode tables, the GC heap and host-type internals,
# the dlopen tables). They include
# each other as "NAME/x.h", so they go to include/wkit/NAME/ and wkit.pc adds -I include/wkit.
INSTALL_HDRS := $(filter-out %internal.h %_int.h lib/interp/loop.h lib/interp/simd_loop.h lib/interp/simd.h lib/interp/gc.h lib/interp/host_types.h lib/encode/insn_tables.h %_lib.h,$(wildcard lib/*/*.h))
# The system libraries behind the static libraries (binaryen: lib/compose's optimizer).
PC_SYSLIBS := -lbinaryen $(SYSLIBS)
WK_VERSION := $(shell sed -n 's/^\#define WK_VERSION "\(.*\)"/\1/p' lib/base/base.h)

# make deb: a binary package built from a staged `make install PREFIX=/usr` (binaries stripped, static
# libraries without debug info) with dpkg-deb. Depends
# lists the run-time libraries the tools link (libcjson1, libssl3 = libcrypto, binaryen = libbinaryen
# with libstdc++6/libgcc-s1) and those loaded with dlopen (libarchive13, libcurl4, libmicrohttpd12).
DEB_ARCH = $(shell dpkg --print-architecture)
DEB_ROOT = $(BUILD)/deb/wkit
DEB_FILE = $(BUILD)/wkit_$(WK_VERSION)_$(DEB_ARCH).deb
# (wrun linked with DT_RELR needs glibc 2.36: GLIBC_ABI_DT_RELR)
DEB_DEPENDS := libc6 (>= $(if $(wrun_LDFLAGS),2.36,2.34)), libcjson1, libssl3, binaryen, libstdc++6, libgcc-s1, libarchive13, libcurl4, libmicrohttpd12
deb: $(TOOL_BINS) $(LIBFILES)
	rm -rf $(DEB_ROOT) $(DEB_FILE)
	$(MAKE) --no-print-directory install PREFIX=/usr DESTDIR=$(abspath $(DEB_ROOT))
	strip --strip-unneeded $(DEB_ROOT)/usr/bin/*
	strip --strip-debug $(DEB_ROOT)/usr/lib/libwk_*.a
	mkdir -p $(DEB_ROOT)/DEBIAN
	printf '%s\n' 'Package: wkit' 'Version: $(WK_VERSION)' 'Architecture: $(DEB_ARCH)' \
	  'Maintainer: wkit developers <wkit@localhost>' 'Section: devel' 'Priority: optional' \
	  "Installed-Size: $$(du -sk --exclude=DEBIAN $(DEB_ROOT) | cut -f1)" \
	  'Depends: $(DEB_DEPENDS)' 'Suggests: libssl-dev, libcjson-dev, pkgconf, podman' \
	  'Description: C toolchain for WebAssembly components' \
	  ' wit-gen, wcompose, wsign, winspect and wrun (an interpreter, a WASI 0.2 host and an OCI' \
	  ' runtime for podman and Kubernetes), with the static libraries, headers and wkit.pc.' \
	  > $(DEB_ROOT)/DEBIAN/control
	dpkg-deb --root-owner-group -Zxz --build $(DEB_ROOT) $(DEB_FILE)

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# wkit's preview1 adapter (adapter/build.sh): $(BUILD)/adapter/wasi_snapshot_preview1.{command,reactor}.wasm
# and the C file embedding them into wcompose.
ADAPTER_SRCS := adapter/preview1.c adapter/globals.s adapter/wit/adapter.wit adapter/build.sh
$(BUILD)/gen/adapter_blob.c: $(ADAPTER_SRCS) $(BUILD)/bin/wit-gen
	bash adapter/build.sh $(BUILD) $(BUILD)/bin/wit-gen
$(BUILD)/obj/gen/adapter_blob.o: $(BUILD)/gen/adapter_blob.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<
.PHONY: adapter
adapter: $(BUILD)/gen/adapter_blob.c

# lib/wasi's declared WASI 0.2 / wasi:http types (wk_comp_linker_declare_types): the worlds of
# lib/wasi/wit/host.wit (ours) over the WASI 0.2.12 WIT that npm jco ships (WASI_WIT: read at build
# time, as adapter/build.sh does; third-party text, never committed), encoded with their function
# fingerprints into $(BUILD)/gen/wasi_types.c by scripts/gen-wasi2-types.c. Two steps: the
# generator is a host program built from the libraries below libwk_wasi (so never from its own
# output), run here, and its output compiled into libwk_wasi.a. Without the WIT (a fresh clone
# before scripts/setup.sh) the tables are empty and the host declares nothing. The stamp holds the
# checksums of the WIT files (or "none"), rewritten only when they change: npm gives installed
# files a fixed old mtime, so installing or upgrading jco later must be seen by content.
WASI_WIT ?= scripts/npm/node_modules/@bytecodealliance/jco/lib/wit/builtin/0.2.12
WASI_WIT_FILES := $(sort $(wildcard $(WASI_WIT)/wasi-*/*.wit))
ifeq ($(WASI_WIT_FILES),)
ifeq ($(MAKELEVEL)$(filter clean,$(MAKECMDGOALS)),0)
$(warning no WASI 0.2.12 WIT in $(WASI_WIT): the WASI host declares no types (wasi:* imports are not type-checked at instantiation); run scripts/setup.sh (installs npm jco), then make again)
endif
endif
GEN_WASI_LIBS := $(foreach l,component interp witparse encode canonabi base,$(BUILD)/lib/libwk_$(l).a)
$(BUILD)/gen/gen-wasi2-types: $(BUILD)/obj/scripts/gen-wasi2-types.o $(GEN_WASI_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(GEN_WASI_LIBS) -lcjson -lm -lpthread
$(BUILD)/gen/wasi-wit.stamp: wasi-wit-check
	@mkdir -p $(dir $@)
	@{ $(if $(WASI_WIT_FILES),cksum lib/wasi/wit/host.wit $(WASI_WIT_FILES),echo none); } >$@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv -f $@.tmp $@
.PHONY: wasi-wit-check
wasi-wit-check:
$(BUILD)/gen/wasi_types.c: $(BUILD)/gen/wasi-wit.stamp lib/wasi/wit/host.wit $(BUILD)/gen/gen-wasi2-types
	$(BUILD)/gen/gen-wasi2-types $(if $(WASI_WIT_FILES),lib/wasi/wit $(WASI_WIT),--none) $@
$(BUILD)/obj/gen/wasi_types.o: $(BUILD)/gen/wasi_types.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Test helper programs: every tests/tools/*.c becomes $(BUILD)/tests/tools/NAME.
TOOL_TEST_SRCS := $(wildcard tests/tools/*.c)
TOOL_TEST_BINS := $(patsubst tests/tools/%.c,$(BUILD)/tests/tools/%,$(TOOL_TEST_SRCS))
all: $(TOOL_TEST_BINS)
$(BUILD)/tests/tools/%: $(BUILD)/obj/tests/tools/%.o $(LIBFILES)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBFILES) $(SYSLIBS)

.PHONY: example
example: all
	BUILD=$(BUILD) bash examples/run.sh

# bench/components/run.sh: component calls/s and start-up, wrun vs jco on node, one interleaved run
# (not part of `make test`); comp-calls is its host->guest call driver over lib/component
$(BUILD)/bench/comp-calls: $(BUILD)/obj/bench/components/calls.o $(LIBFILES)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBFILES) $(SYSLIBS)
# bench/translate.c: first-run translation throughput of big modules (bench.py's large-program rows)
$(BUILD)/bench/translate: $(BUILD)/obj/bench/translate.o $(LIBFILES)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBFILES) $(SYSLIBS)
bench-components: $(BUILD)/bin/wrun $(BUILD)/bin/wit-gen $(BUILD)/bin/wcompose $(BUILD)/bench/comp-calls
	BUILD=$(BUILD) bash bench/components/run.sh
