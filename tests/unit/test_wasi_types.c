/*
 * The WASI host's declared types ($(BUILD)/gen/wasi_types.c, encoded at build
 * time from lib/wasi/wit/host.wit over jco's WASI 0.2.12 WIT by
 * scripts/gen-wasi2-types.c) against
 *   - themselves: the fingerprint table is wk_comp_types_hashes of the bytes it
 *     ships with (else the fast path would accept what the declaration refuses);
 *   - the host: every function wk_wasi_p2_define / wk_http_define defines has a
 *     declared type and every declared function is defined;
 *   - upstream: for each declared interface, the fingerprint of every function
 *     equals that of wit-gen's encoding (wit_encode_package, `wit-gen wit --wasm`)
 *     of a world importing that interface from jco's WASI 0.2.12 WIT
 *     (scripts/npm/node_modules, the files the build read; encoded here by
 *     another route: one interface at a time, wit_encode_package), and the two
 *     name the same functions;
 *   - instantiation: wasi:http imports are type-checked (a right one links, a
 *     mistyped one is refused naming the import and what differs).
 * All skipped when the build had no WASI WIT (empty tables).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "component/component.h"
#include "encode/ctypes.h"
#include "encode/wat.h"
#include "wasi/http.h"
#include "wasi/internal.h"
#include "wasi/wasi2.h"
#include "witparse/witencode.h"
#include "witparse/witparse.h"

#define JCO_WIT "scripts/npm/node_modules/@bytecodealliance/jco/lib/wit/builtin/0.2.12"

typedef struct {
  const char *world;
  const unsigned char *bytes;
  const size_t *len;
  const wk_comp_type_hash *h;
  const size_t *nh;
} table;
static const table tables[] = {
    {"host", wk_wasi_p2_types, &wk_wasi_p2_types_len, wk_wasi_p2_type_hashes, &wk_wasi_p2_type_hashes_len},
    {"http", wk_wasi_http_types, &wk_wasi_http_types_len, wk_wasi_http_type_hashes, &wk_wasi_http_type_hashes_len},
};
#define NTABLES (sizeof tables / sizeof tables[0])

/* Built without the WASI WIT (fresh clone before scripts/setup.sh: the Makefile
 * warned, gen-wasi2-types --none): the tables are empty and there is nothing to
 * check; every case says so and is skipped, not passed. */
#define SKIP_IF_UNDECLARED()                                                                              \
  do {                                                                                                    \
    if (!wk_wasi_p2_types_len || !wk_wasi_http_types_len) {                                               \
      print_message("no declared WASI types (built without jco's WASI WIT; run scripts/setup.sh, then "   \
                    "make): skipped\n");                                                                  \
      skip();                                                                                             \
    }                                                                                                     \
  } while (0)

static const wk_comp_type_hash *declared(const char *name) {
  for (size_t t = 0; t < NTABLES; t++)
    for (size_t i = 0; i < *tables[t].nh; i++)
      if (!strcmp(tables[t].h[i].name, name)) return &tables[t].h[i];
  return NULL;
}

static void test_table_is_its_bytes(void **state) {
  (void)state;
  SKIP_IF_UNDECLARED();
  for (size_t t = 0; t < NTABLES; t++) {
    wk_comp_type_hash *h;
    size_t nh;
    wk_error err;
    wk_error_clear(&err);
    assert_int_equal(wk_comp_types_hashes(tables[t].bytes, *tables[t].len, &h, &nh, &err), WK_OK);
    assert_int_equal(nh, *tables[t].nh);
    for (size_t i = 0; i < nh; i++) {
      assert_string_equal(h[i].name, tables[t].h[i].name);
      if (h[i].hash != tables[t].h[i].hash) fail_msg("%s: %s: fingerprint differs", tables[t].world, h[i].name);
    }
    wk_comp_types_hashes_free(h, nh);
  }
  assert_true(wk_wasi_p2_type_hashes_len > 100); /* 126 functions in 28 interfaces at 0.2.12 */
  assert_true(wk_wasi_http_type_hashes_len > wk_http_func_count());
}

/* Each function export of each instance type of the component bytes[0..len): the fingerprint
 * wk_ctypes_func_hash_memo gives (one memo per instance, walked front to back, then back to front)
 * is wk_ctypes_func_hash's, and not 0. Returns how many were compared; *insts += instance types. */
static size_t check_memo_hashes(const uint8_t *bytes, size_t len, const char *what, size_t *insts) {
  wk_component *model = NULL;
  wk_ctypes *g = NULL;
  wk_error err;
  wk_error_clear(&err);
  assert_int_equal(wk_component_decode(bytes, len, &model, &err), WK_OK);
  assert_int_equal(wk_ctypes_build(model, &g, &err), WK_OK);
  size_t checked = 0;
  for (uint32_t id = 0; id < g->nt; id++) {
    const wk_ctnode *in = &g->t[id];
    if (in->kind != WK_CT_INST) continue;
    ++*insts;
    for (int dir = 0; dir < 2; dir++) {
      wk_ctypes_hmemo memo;
      wk_ctypes_hmemo_init(&memo);
      for (uint32_t k = 0; k < in->nex; k++) {
        uint32_t j = dir ? in->nex - 1 - k : k;
        if (in->ex[j].kind != WK_CSORT_FUNC) continue;
        uint64_t a = wk_ctypes_func_hash(g, in->ex[j].id, in->ex, in->nex);
        uint64_t b = wk_ctypes_func_hash_memo(g, in->ex[j].id, in->ex, in->nex, &memo);
        if (a != b) fail_msg("%s: %.*s: memoized fingerprint differs", what, (int)in->ex[j].name.len, in->ex[j].name.s);
        assert_true(a != 0);
        checked++;
      }
    }
  }
  wk_ctypes_free(g);
  wk_component_free(model);
  return checked;
}

/* wk_ctypes_func_hash_memo (what instantiation checks imports with) gives every function of every
 * instance type in the declared tables the fingerprint wk_ctypes_func_hash gives it, with one memo
 * per instance (WASI filesystem: error-code in most results) and in any order (backwards too). */
static void test_memo_fingerprints(void **state) {
  (void)state;
  SKIP_IF_UNDECLARED();
  size_t checked = 0, insts = 0;
  for (size_t t = 0; t < NTABLES; t++)
    checked += check_memo_hashes(tables[t].bytes, *tables[t].len, tables[t].world, &insts);
  assert_true(insts > 20);
  assert_true(checked > 200); /* each of the > 100 functions, both orders */
}

/* The memo must not change a fingerprint where the depth cap (100 levels) cuts a fresh walk
 * short: a type memoized near the top (func a's result, list^61) reused deep inside another
 * (func b's result, list^111, reaches it 50 levels down) would give b an uncut value. */
static void test_memo_depth_cap(void **state) {
  (void)state;
  wk_buf w = {0};
  wk_buf_str(&w, "(component (type (instance (type (list u8))");
  char line[96];
  for (int i = 1; i <= 110; i++) {
    snprintf(line, sizeof line, " (type (list %d))", i - 1);
    wk_buf_str(&w, line);
  }
  wk_buf_str(&w, " (type (func (result 60))) (export \"a\" (func (type 111)))"
                  " (type (func (result 110))) (export \"b\" (func (type 112))))))");
  wk_buf bin = {0};
  wk_error err;
  wk_error_clear(&err);
  assert_int_equal(wk_wat_to_binary((const char *)w.data, w.len, &bin, &err), WK_OK);
  size_t insts = 0;
  assert_int_equal(check_memo_hashes(bin.data, bin.len, "depth cap", &insts), 4);
  wk_buf_free(&bin);
  wk_buf_free(&w);
}

static void test_defined_is_declared(void **state) {
  (void)state;
  SKIP_IF_UNDECLARED();
  char key[256];
  size_t ndef = 0;
  for (size_t i = 0; i < wk_wasi_p2_func_count(); i++, ndef++) {
    const char *iface, *name;
    wk_wasi_p2_func_name(i, &iface, &name);
    snprintf(key, sizeof key, "%s@%s#%s", iface, WK_WASI_P2_VERSION, name);
    /* the one host function outside the spec: jco's 0.2.10 WIT gives the methodless
     * `network` resource a never-called noop (lib/wasi/wasi2.c); 0.2.12 has none */
    if (!strcmp(key, "wasi:sockets/network@0.2.12#[method]network.noop")) {
      ndef--;
      continue;
    }
    if (!declared(key)) fail_msg("defined by wk_wasi_p2_define, not declared: %s", key);
  }
  for (size_t i = 0; i < wk_http_func_count(); i++, ndef++) {
    const char *iface, *name;
    wk_http_func_name(i, &iface, &name);
    snprintf(key, sizeof key, "%s#%s", iface, name);
    if (!declared(key)) fail_msg("defined by wk_http_define, not declared: %s", key);
  }
  /* and the other way: every declared function is defined (the http world
   * repeats the wasi:io and wasi:clocks functions its types use) */
  for (size_t t = 0; t < NTABLES; t++)
    for (size_t i = 0; i < *tables[t].nh; i++) {
      const char *n = tables[t].h[i].name;
      int found = 0;
      for (size_t k = 0; k < wk_wasi_p2_func_count() && !found; k++) {
        const char *iface, *name;
        wk_wasi_p2_func_name(k, &iface, &name);
        snprintf(key, sizeof key, "%s@%s#%s", iface, WK_WASI_P2_VERSION, name);
        found = !strcmp(key, n);
      }
      for (size_t k = 0; k < wk_http_func_count() && !found; k++) {
        const char *iface, *name;
        wk_http_func_name(k, &iface, &name);
        snprintf(key, sizeof key, "%s#%s", iface, name);
        found = !strcmp(key, n);
      }
      if (!found) fail_msg("declared (world %s), not defined by the host: %s", tables[t].world, n);
    }
  assert_int_equal(ndef, wk_wasi_p2_type_hashes_len + wk_http_func_count());
}

/* wit-gen's encoding of `world w { import IFACE; }` over jco's WIT; its table in *h */
static int upstream_hashes(const char *dir, const char *iface, wk_comp_type_hash **h, size_t *nh) {
  char path[512];
  snprintf(path, sizeof path, "%s/check.wit", dir);
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  fprintf(f, "package wkit:check;\nworld w {\n  import %s;\n}\n", iface);
  fclose(f);
  wit_resolve *r = wit_resolve_new();
  wit_resolve_set_all_features(r, 1);
  wit_diag diag;
  memset(&diag, 0, sizeof diag);
  wit_id pkg;
  wk_buf b = {0};
  wk_error err;
  wk_error_clear(&err);
  int rc = wit_resolve_push_path(r, dir, &pkg, &diag);
  if (rc) print_error("%s: %s\n", iface, diag.err.msg);
  if (!rc && (rc = wit_encode_package(r, pkg, "wit-gen", WK_VERSION, &b, &err))) print_error("%s\n", err.msg);
  if (!rc && (rc = wk_comp_types_hashes(b.data, b.len, h, nh, &err))) print_error("%s\n", err.msg);
  wit_resolve_free(r);
  wk_buf_free(&b);
  return rc;
}

static void test_declared_is_upstream(void **state) {
  (void)state;
  SKIP_IF_UNDECLARED();
  struct stat st;
  if (stat(JCO_WIT "/wasi-io/package.wit", &st)) {
    print_message("no " JCO_WIT " (scripts/setup.sh installs jco): upstream comparison skipped\n");
    skip();
  }
  char dir[] = "/tmp/wk-wasi-types-XXXXXX", path[600], target[600];
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/deps", dir);
  assert_int_equal(mkdir(path, 0700), 0);
  const char *pkgs[] = {"wasi-io", "wasi-clocks", "wasi-random", "wasi-cli", "wasi-filesystem", "wasi-sockets", "wasi-http"};
  char cwd[400];
  assert_non_null(getcwd(cwd, sizeof cwd));
  for (size_t i = 0; i < sizeof pkgs / sizeof pkgs[0]; i++) {
    snprintf(path, sizeof path, "%s/deps/%s", dir, pkgs[i]);
    snprintf(target, sizeof target, "%s/" JCO_WIT "/%s", cwd, pkgs[i]);
    assert_int_equal(symlink(target, path), 0);
  }
  size_t nifaces = 0, nfuncs = 0;
  for (size_t t = 0; t < NTABLES; t++)
    for (size_t i = 0; i < *tables[t].nh; i++) {
      const char *n = tables[t].h[i].name, *hash = strchr(n, '#');
      assert_non_null(hash);
      size_t il = (size_t)(hash - n);
      if (i > 0 && !strncmp(tables[t].h[i - 1].name, n, il + 1)) continue; /* one check per interface */
      char iface[200];
      snprintf(iface, sizeof iface, "%.*s", (int)il, n);
      wk_comp_type_hash *h;
      size_t nh;
      if (upstream_hashes(dir, iface, &h, &nh)) fail_msg("%s: jco's WIT does not encode", iface);
      size_t mine = 0, theirs = 0;
      for (size_t k = 0; k < *tables[t].nh; k++) mine += !strncmp(tables[t].h[k].name, n, il + 1);
      for (size_t k = 0; k < nh; k++) {
        if (strncmp(h[k].name, n, il + 1)) continue; /* the interfaces it uses: checked on their own */
        theirs++;
        const wk_comp_type_hash *d = declared(h[k].name);
        if (!d) fail_msg("%s: upstream has %s, not declared", tables[t].world, h[k].name);
        if (d->hash != h[k].hash) fail_msg("%s: %s: declared type differs from upstream", tables[t].world, h[k].name);
      }
      if (mine != theirs) fail_msg("%s: %zu functions declared, %zu upstream", iface, mine, theirs);
      nifaces++;
      nfuncs += theirs;
      wk_comp_types_hashes_free(h, nh);
    }
  print_message("%zu interfaces, %zu functions equal to jco's WASI 0.2.12 WIT\n", nifaces, nfuncs);
  snprintf(path, sizeof path, "rm -rf '%s'", dir);
  assert_int_equal(system(path), 0);
}

/* ---- wasi:http imports are type-checked at instantiation ---- */
static const char *HTTP_OK =
    "(component\n"
    "  (import \"wasi:http/types@0.2.0\" (instance\n"
    "    (export \"fields\" (type $f (sub resource)))\n"
    "    (export \"[constructor]fields\" (func (result (own $f))))\n"
    "    (export \"[method]fields.get\" (func (param \"self\" (borrow $f)) (param \"name\" string)"
    " (result (list (list u8))))))))\n";
static const char *HTTP_BAD =
    "(component\n"
    "  (import \"wasi:http/types@0.2.0\" (instance\n"
    "    (export \"fields\" (type $f (sub resource)))\n"
    "    (export \"[method]fields.get\" (func (param \"self\" (borrow $f)) (param \"name\" string)"
    " (result (list string)))))))\n";
static const char *HTTP_OUT_BAD =
    "(component\n"
    "  (import \"wasi:http/outgoing-handler@0.2.3\" (instance\n"
    "    (export \"handle\" (func (param \"request\" u32) (result u32))))))\n";

static int instantiate(const char *text, wk_error *err) {
  wk_config cfg;
  wk_config_default(&cfg);
  wk_engine *e = wk_engine_new(&cfg);
  wk_store *s = wk_store_new(e);
  wk_comp_linker *l = wk_comp_linker_new(e);
  wk_wasi *w = wk_wasi_new();
  wk_http_config hc;
  memset(&hc, 0, sizeof hc);
  wk_http *h = wk_http_new(w, &hc);
  assert_true(e && s && l && w && h);
  assert_int_equal(wk_wasi_p2_define(l, w, err), WK_OK);
  assert_int_equal(wk_http_define(l, h, err), WK_OK);
  wk_buf b = {0};
  assert_int_equal(wk_wat_to_binary(text, strlen(text), &b, err), WK_OK);
  wk_comp *c = NULL;
  assert_int_equal(wk_comp_new(e, b.data, b.len, &c, err), WK_OK);
  wk_comp_inst *inst = NULL;
  wk_trap *trap = NULL;
  int rc = wk_comp_instantiate(l, s, c, &inst, &trap, err);
  wk_trap_free(trap);
  wk_comp_inst_free(inst);
  wk_comp_free(c);
  wk_buf_free(&b);
  wk_comp_linker_free(l);
  wk_http_free(h);
  wk_wasi_free(w);
  wk_store_free(s);
  wk_engine_free(e);
  return rc;
}

/* wk_http_allow_check: the --allow-outbound forms (RFC 3986 3.2.2 host, 3.2.3 port) */
static void test_http_allow_check(void **state) {
  (void)state;
  static const char *const good[] = {"api.local", "api.local:8443", "127.0.0.1", "127.0.0.1:9", "[::1]", "[::1]:80",
                                     "EXAMPLE.com", "h:0", "h:65535", "h:00080"};
  static const char *const bad[] = {"", ":80", "h:", "h:65536", "h:123456", "h:8a", "::1", "a:b:c", "[]", "[::1",
                                    "[::1]x", "[::1]:", "http://h", "h/p", "user@h", "h?q", "h#f", "h p", "a]b"};
  for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
    if (wk_http_allow_check(good[i]) != WK_OK) fail_msg("'%s' refused", good[i]);
  }
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    if (wk_http_allow_check(bad[i]) != WK_ERR_USAGE) fail_msg("'%s' accepted", bad[i]);
  }
  assert_int_equal(wk_http_allow_check(NULL), WK_ERR_USAGE);
}

static void test_http_types_checked(void **state) {
  (void)state;
  SKIP_IF_UNDECLARED();
  wk_error err;
  wk_error_clear(&err);
  if (instantiate(HTTP_OK, &err)) fail_msg("%s", err.msg);
  assert_int_equal(instantiate(HTTP_BAD, &err), WK_ERR_LINK);
  assert_string_equal(err.msg, "import `wasi:http/types@0.2.0`: the host's `wasi:http/types@0.2.12` has another type: "
                               "func `[method]fields.get`: result: list element: expected string, found list");
  assert_int_equal(instantiate(HTTP_OUT_BAD, &err), WK_ERR_LINK);
  print_message("%s\n", err.msg);
  assert_non_null(strstr(err.msg, "import `wasi:http/outgoing-handler@0.2.3`: the host's "
                                  "`wasi:http/outgoing-handler@0.2.12` has another type: func `handle`"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_table_is_its_bytes),
      cmocka_unit_test(test_memo_fingerprints),
      cmocka_unit_test(test_memo_depth_cap),
      cmocka_unit_test(test_defined_is_declared),
      cmocka_unit_test(test_declared_is_upstream),
      cmocka_unit_test(test_http_types_checked),
      cmocka_unit_test(test_http_allow_check),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
