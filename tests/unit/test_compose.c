/* Unit tests for lib/compose: interface names and versions, the type check's exact
 * differences, plug/dependency wiring and the encoder, WAC parse errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose/cnew.h"
#include "compose/compose.h"
#include "encode/wat.h"

static void test_name_base(void **state) {
  (void)state;
  /* whether the versions match: lib/encode's wk_semver_compatible (tests/unit/test_semver.c) */
  const char *v;
  size_t vl;
  const char *n = "wasi:io/streams@0.2.1";
  assert_int_equal(wkc_name_base(n, strlen(n), &v, &vl), strlen("wasi:io/streams"));
  assert_int_equal(vl, 5);
  assert_memory_equal(v, "0.2.1", 5);
  n = "plain-name";
  assert_int_equal(wkc_name_base(n, strlen(n), &v, &vl), strlen(n));
  assert_int_equal(vl, 0);
}

/* A component from text, added to g. */
static uint32_t add(wkc_graph *g, const char *label, const char *wat) {
  wk_buf b = {0};
  wk_error e;
  wk_error_clear(&e);
  assert_int_equal(wk_wat_to_binary(wat, strlen(wat), &b, &e), WK_OK);
  uint32_t c = 0;
  int rc = wkc_add_component(g, label, label, b.data, b.len, &c, &e);
  if (rc) fprintf(stderr, "%s\n", e.msg);
  assert_int_equal(rc, WK_OK);
  wk_buf_free(&b);
  return c;
}

static const char *SOCKET =
    "(component (import \"t:m/ops@0.2.0\" (instance $i (export \"add\" (func (param \"a\" u32) (param \"b\" u32) "
    "(result u32))))) (alias export $i \"add\" (func $f)) (export \"run\" (func $f)))";

static const char *plug(const char *ver, const char *btype, const char *core) {
  static char buf[1024];
  snprintf(buf, sizeof buf,
           "(component (core module $m (func (export \"add\") (param i32 %s) (result i32) local.get 0))"
           " (core instance $c (instantiate $m))"
           " (func $add (param \"a\" u32) (param \"b\" %s) (result u32) (canon lift (core func $c \"add\")))"
           " (instance $x (export \"add\" (func $add))) (export \"t:m/ops@%s\" (instance $x)))",
           core, btype, ver);
  return buf;
}

static void test_find_export_semver_and_diff(void **state) {
  (void)state;
  wkc_graph *g = wkc_new();
  uint32_t s = add(g, "socket", SOCKET);
  uint32_t p3 = add(g, "p3", plug("0.2.3", "u32", "i32"));
  uint32_t p9 = add(g, "p9", plug("0.3.0", "u32", "i32"));
  uint32_t pb = add(g, "pb", plug("0.2.5", "s64", "i64"));
  wk_error e;
  wk_error_clear(&e);
  assert_int_equal(wkc_find_export(g, s, 0, p3, &e), 0);
  assert_int_equal(e.code, WK_OK);
  assert_int_equal(wkc_find_export(g, s, 0, p9, &e), WKC_NONE);
  assert_int_equal(e.code, WK_ERR_LINK);
  assert_non_null(strstr(e.msg, "version 0.3.0 is not semver compatible with 0.2.0"));
  wk_error_clear(&e);
  assert_int_equal(wkc_find_export(g, s, 0, pb, &e), WKC_NONE);
  assert_non_null(strstr(e.msg, "func `add`: parameter `b`: expected u32, found s64"));
  wkc_free(g);
}

static void test_plug_encodes_and_validates(void **state) {
  (void)state;
  wkc_graph *g = wkc_new();
  uint32_t s = add(g, "socket", SOCKET);
  uint32_t p[2] = {add(g, "p1", plug("0.2.1", "u32", "i32")), add(g, "p3", plug("0.2.3", "u32", "i32"))};
  wk_error e;
  wk_error_clear(&e);
  assert_int_equal(wkc_plug(g, s, p, 2, &e), WK_OK);
  wk_buf out = {0}, out2 = {0}, json = {0};
  assert_int_equal(wkc_encode(g, NULL, &out, &e), WK_OK);
  assert_int_equal(wkc_wiring_json(g, &json, &e), WK_OK);
  wk_buf_byte(&json, 0);
  assert_non_null(strstr((char *)json.data, "\"export\":\t\"t:m/ops@0.2.3\""));
  /* the result validates (wkc_encode checked it) and is deterministic */
  assert_int_equal(wkc_encode(g, NULL, &out2, &e), WK_OK);
  assert_int_equal(out.len, out2.len);
  assert_memory_equal(out.data, out2.data, out.len);
  wk_component *c = NULL;
  assert_int_equal(wk_component_decode(out.data, out.len, &c, &e), WK_OK);
  assert_int_equal(wk_component_validate(c, &e), WK_OK);
  wk_component_free(c);
  wk_buf_free(&out);
  wk_buf_free(&out2);
  wk_buf_free(&json);
  wkc_free(g);
}

static void test_deps_cycle(void **state) {
  (void)state;
  wkc_graph *g = wkc_new();
  uint32_t m = add(g, "main", "(component (import \"t:c/a@1.0.0\" (instance (export \"f\" (func)))))");
  const char *a = "(component (import \"t:c/b@1.0.0\" (instance (export \"g\" (func))))"
                  " (core module $m (func (export \"f\"))) (core instance $i (instantiate $m))"
                  " (func $f (canon lift (core func $i \"f\"))) (instance $x (export \"f\" (func $f)))"
                  " (export \"t:c/a@1.0.0\" (instance $x)))";
  const char *b = "(component (import \"t:c/a@1.0.0\" (instance (export \"f\" (func))))"
                  " (core module $m (func (export \"g\"))) (core instance $i (instantiate $m))"
                  " (func $g (canon lift (core func $i \"g\"))) (instance $x (export \"g\" (func $g)))"
                  " (export \"t:c/b@1.0.0\" (instance $x)))";
  uint32_t d[2] = {add(g, "a.wasm", a), add(g, "b.wasm", b)};
  wk_error e;
  wk_error_clear(&e);
  assert_int_equal(wkc_deps(g, m, d, 2, &e), WK_ERR_LINK);
  assert_string_equal(e.msg, "dependency cycle: a.wasm -> b.wasm -> a.wasm");
  wkc_free(g);
}

static void test_wac_errors(void **state) {
  (void)state;
  static const struct {
    const char *text;
    uint32_t line, col;
    const char *msg;
  } cases[] = {
      {"import x: func();", 1, 1, "expected a package declaration"},
      {"package a:b;\nlet x = new c:d { ..., y };", 2, 19, "`...` must be the last argument"},
      {"package a:b;\nenum e {}", 2, 9, "enum must contain at least one case"},
      {"package a:b@1;", 1, 13, "`1` is not a valid semantic version"},
      /* semver.org 9 (wac-parser: semver's Version::parse): no leading zero in a numeric pre-release identifier */
      {"package a:b@1.0.0-01;", 1, 13, "`1.0.0-01` is not a valid semantic version"},
      {"package a:b;\ntype x = u32", 2, 12, "expected `;`, found end of input"},
      {"package a:b;\nlet x = y.z;", 2, 9, NULL}, /* parses; fails when evaluated */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    wkc_wac *w = NULL;
    wkc_diag d;
    int rc = wkc_wac_parse(cases[i].text, strlen(cases[i].text), &w, &d);
    if (!cases[i].msg) {
      assert_int_equal(rc, WK_OK);
      wkc_graph *g = wkc_new();
      assert_int_not_equal(wkc_wac_build(w, g, NULL, 0, &d), WK_OK);
      assert_int_equal(d.err.line, cases[i].line);
      assert_int_equal(d.err.col, cases[i].col);
      assert_non_null(strstr(d.err.msg, "undefined name `y`"));
      wkc_free(g);
      wkc_wac_free(w);
      continue;
    }
    assert_int_equal(rc, WK_ERR_MALFORMED);
    assert_null(w);
    assert_int_equal(d.err.line, cases[i].line);
    assert_int_equal(d.err.col, cases[i].col);
    assert_non_null(strstr(d.err.msg, cases[i].msg));
    wk_buf r = {0};
    wkc_diag_render("t.wac", cases[i].text, strlen(cases[i].text), &d, &r);
    wk_buf_byte(&r, 0);
    assert_non_null(strstr((char *)r.data, "--> t.wac:"));
    assert_non_null(strstr((char *)r.data, "^"));
    wk_buf_free(&r);
  }
}

/* Package paths in type statements (wac resolution.rs resolve_package_path): the interfaces and
 * worlds of a --dep WIT package are used, imported, exported and included; unknown packages,
 * definitions and types fail at wac's line:col; a composition that uses them encodes and its
 * result validates (wkc_encode validates what it writes). */
static void test_wac_package_paths(void **state) {
  (void)state;
  char path[] = "/tmp/wkc-test-XXXXXX.wit";
  int fd = mkstemps(path, 4);
  assert_true(fd >= 0);
  static const char wit[] = "package foo:bar;\n"
                            "interface baz { type a = u8; resource x; type y = borrow<x>; f: func(); }\n"
                            "world w { import baz; export g: func(); }\n";
  FILE *fp = fdopen(fd, "w");
  assert_non_null(fp);
  fputs(wit, fp);
  fclose(fp);
  wkc_pkg pkg = {.name = "foo:bar", .path = path, .wit_path = path, .comp = WKC_NONE};
  static const struct {
    const char *text;
    uint32_t line, col; /* 0: composes */
    const char *msg;
  } cases[] = {
      {"package a:b;\ninterface i { use foo:bar/baz.{a, x as z}; g: func(p: a, q: borrow<z>) -> z; }\n"
       "world v { use foo:bar/baz.{y}; import i; export foo:bar/baz; include foo:bar/w with { g as h }; }",
       0, 0, NULL},
      {"package a:b;\nworld v { import foo:bar/baz; include foo:bar/w; } world v2 { include v; }", 0, 0, NULL},
      {"package a:b;\ninterface i { use nope:x/baz.{a}; }", 2, 19, "unknown package `nope:x`"},
      {"package a:b;\ninterface i { use foo:bar/nope.{a}; }", 2, 27, "package `foo:bar` has no export named `nope`"},
      {"package a:b;\ninterface i { use foo:bar/w.{a}; }", 2, 19, "`foo:bar/w` (world) is not an interface"},
      {"package a:b;\nworld v { include foo:bar/baz; }", 2, 19, "`foo:bar/baz` (interface) is not a world"},
      {"package a:b;\ninterface i { use foo:bar/baz.{f}; }", 2, 32, "`f` (function) is not a value type in interface `foo:bar/baz`"},
      {"package a:b;\ninterface i { use foo:bar/baz.{q}; }", 2, 32, "a type named `q` is not defined in interface `foo:bar/baz`"},
      {"package a:b;\ninterface i { use foo:bar/baz/a.{q}; }", 2, 19, "`foo:bar/baz/a` (u8) is not an interface"},
      {"package a:b;\ninterface i { use foo:bar/baz/q.{q}; }", 2, 31, "interface `baz` in package `foo:bar` has no export named `q`"},
      {"package a:b;\ninterface i { use foo:bar/baz.{y}; h: func() -> y; }", 2, 49, "cannot recursively contain a borrow"},
      {"package a:b;\ninterface i { use foo:bar/baz.{x}; h: func(p: borrow<a>); }", 2, 54, "undefined name `a`"},
      {"package a:b;\nworld v { export g: func(); include foo:bar/w; }", 2, 37, "export `g` from world `foo:bar/w` conflicts"},
      {"package a:b;\nworld v { include foo:bar/w with { q as r }; }", 2, 36, "does not have an import or export named `q`"},
      {"package a:b;\nworld v { import foo:bar/baz; import foo:bar/baz; }", 2, 38, "conflicts with existing import"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    wkc_wac *w = NULL;
    wkc_diag d;
    int rc = wkc_wac_parse_pkgs(cases[i].text, strlen(cases[i].text), &pkg, 1, &w, &d);
    if (!cases[i].msg) {
      if (rc) fail_msg("case %zu: %s", i, d.err.msg);
      wkc_graph *g = wkc_new();
      rc = wkc_wac_build(w, g, &pkg, 1, &d);
      if (rc) fail_msg("case %zu: %s", i, d.err.msg);
      wk_buf out = {0};
      wk_error e;
      wk_error_clear(&e);
      if (wkc_encode(g, NULL, &out, &e)) fail_msg("case %zu: %s", i, e.msg);
      wk_buf_free(&out);
      wkc_free(g);
      wkc_wac_free(w);
      continue;
    }
    assert_int_equal(rc, WK_ERR_LINK);
    assert_null(w);
    if (!strstr(d.err.msg, cases[i].msg) || d.err.line != cases[i].line || d.err.col != cases[i].col)
      fail_msg("case %zu: got %u:%u %s", i, d.err.line, d.err.col, d.err.msg);
  }
  /* without packages, a package path names an unknown package */
  wkc_wac *w = NULL;
  wkc_diag d;
  assert_int_equal(wkc_wac_parse(cases[3].text, strlen(cases[3].text), &w, &d), WK_ERR_LINK);
  assert_non_null(strstr(d.err.msg, "unknown package `foo:bar`"));
  remove(path);
}

/* wcompose new's warning (wk_cnew_opts.warnings): a command whose realloc export is wrapped in the
 * call `_start` starts with (wasm-ld's ctor wrappers) is warned about, once per such export; the
 * component is still built. Not warned: the realloc without the call, a reactor (no `_start`). */
static int cnew_warnings(const char *start_body, const char *realloc_body, const char *extra, wk_buf *warn) {
  char wat[2048];
  snprintf(wat, sizeof wat,
           "(module (memory (export \"memory\") 1) (global $n (mut i32) (i32.const 0))\n"
           " (func $ctors (global.set $n (i32.add (global.get $n) (i32.const 1))))\n"
           " (func $main)\n"
           " (func $realloc (param i32 i32 i32 i32) (result i32) (i32.const 16))\n"
           " %s\n"
           " (func (export \"cabi_realloc\") (param i32 i32 i32 i32) (result i32)\n"
           "   %s (call $realloc (local.get 0) (local.get 1) (local.get 2) (local.get 3)))\n"
           " %s)",
           start_body ? start_body : "", realloc_body, extra);
  wk_buf bin = {0}, out = {0};
  wk_error err;
  assert_int_equal(wk_wat_to_binary(wat, strlen(wat), &bin, &err), WK_OK);
  wk_cnew_opts o = {.warnings = warn};
  int rc = wk_cnew(bin.data, bin.len, &o, &out, &err);
  if (rc) fprintf(stderr, "wk_cnew: %s\n", err.msg);
  wk_buf_free(&bin);
  wk_buf_free(&out);
  return rc;
}

static int count_lines(const wk_buf *b) {
  int n = 0;
  for (size_t i = 0; i < b->len; i++) n += b->data[i] == '\n';
  return n;
}

static void test_cnew_ctor_wrapped_realloc_warning(void **state) {
  (void)state;
  const char *start = "(func (export \"_start\") (call $ctors) (call $main))";
  wk_buf w = {0};
  assert_int_equal(cnew_warnings(start, "(call $ctors)", "", &w), WK_OK);
  assert_int_equal(count_lines(&w), 1);
  w.data[w.len - 1] = 0;
  assert_non_null(strstr((char *)w.data, "export `cabi_realloc` first calls `ctors` (function 0), as `_start` does"));
  assert_non_null(strstr((char *)w.data, "may_leave"));
  w.len = 0;
  /* a wrapped cabi_import_realloc too: one warning per export */
  assert_int_equal(cnew_warnings(start, "(call $ctors)",
                                 "(func (export \"cabi_import_realloc\") (param i32 i32 i32 i32) (result i32)"
                                 " (call $ctors) (i32.const 8))", &w), WK_OK);
  assert_int_equal(count_lines(&w), 2);
  w.len = 0;
  /* the program runs its constructors itself: realloc is plain */
  assert_int_equal(cnew_warnings("(func (export \"_start\") (call $ctors) (call $main))", "", "", &w), WK_OK);
  assert_int_equal(w.len, 0);
  /* _start begins with another call than realloc */
  assert_int_equal(cnew_warnings("(func (export \"_start\") (call $main) (call $ctors))", "(call $ctors)", "", &w), WK_OK);
  assert_int_equal(w.len, 0);
  /* a reactor */
  assert_int_equal(cnew_warnings(NULL, "(call $ctors)", "", &w), WK_OK);
  assert_int_equal(w.len, 0);
  /* no warnings buffer: nothing to do, still builds */
  assert_int_equal(cnew_warnings(start, "(call $ctors)", "", NULL), WK_OK);
  wk_buf_free(&w);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_name_base),
      cmocka_unit_test(test_find_export_semver_and_diff),
      cmocka_unit_test(test_plug_encodes_and_validates),
      cmocka_unit_test(test_deps_cycle),
      cmocka_unit_test(test_wac_errors),
      cmocka_unit_test(test_wac_package_paths),
      cmocka_unit_test(test_cnew_ctor_wrapped_realloc_warning),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
