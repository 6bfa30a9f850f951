/* Unit tests for the lib/witparse parser and resolver: the Resolve model built
 * for small documents (checked against WIT.md semantics), diagnostics with
 * locations and suggestions, feature gates, multi-file packages, the printer
 * round trip, and robustness against truncated/garbage/deeply nested input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>

#include "witparse/witcabi.h"
#include "witparse/witparse.h"

static wit_resolve *parse_ok(const char *src, wit_id *pkg) {
  wit_resolve *r = wit_resolve_new();
  assert_non_null(r);
  wit_diag d;
  int rc = wit_resolve_push_str(r, "t.wit", src, strlen(src), pkg, &d);
  if (rc != WK_OK) fail_msg("unexpected error: %s at %u:%u", d.err.msg, d.err.line, d.err.col);
  return r;
}

static int parse_err(const char *src, wit_diag *d) {
  wit_resolve *r = wit_resolve_new();
  assert_non_null(r);
  int rc = wit_resolve_push_str(r, "t.wit", src, strlen(src), NULL, d);
  wit_resolve_free(r);
  return rc;
}

/* wit_type_has_borrow: through aliases, records, variants, options, results, lists, tuples, and
 * (WIT.md) future/stream/map payloads; own handles and primitives have none */
static void test_type_has_borrow(void **state) {
  (void)state;
  wit_id pkg;
  wit_resolve *r = parse_ok("package a:b;\n"
                            "interface i {\n"
                            "  resource res;\n"
                            "  type b = borrow<res>;\n"
                            "  record rec { x: u32, y: option<tuple<u8, b>> }\n"
                            "  variant var { none, some(list<rec>) }\n"
                            "  type st = stream<b>;\n"
                            "  type fu = future<result<_, b>>;\n"
                            "  type own-only = list<own<res>>;\n"
                            "  type plain = result<u32, string>;\n"
                            "  f: func(a: b, s: st, v: var, o: own-only, p: plain, q: fu);\n"
                            "}\n",
                            &pkg);
  static const struct { const char *name; int want; } cases[] = {
      {"b", 1}, {"rec", 1}, {"var", 1}, {"st", 1}, {"fu", 1}, {"own-only", 0}, {"plain", 0}, {"res", 0}};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    wit_id id = wit_interface_find_type(r, 0, cases[i].name);
    assert_true(id != WIT_NONE);
    wit_type t = {WIT_PRIM_ID, id};
    if (wit_type_has_borrow(r, t) != cases[i].want) fail_msg("%s: has_borrow %d", cases[i].name, !cases[i].want);
  }
  wit_type prim = {WIT_PRIM_U32, 0};
  assert_int_equal(wit_type_has_borrow(r, prim), 0);
  wit_resolve_free(r);
}

static void test_types_model(void **state) {
  wit_id pkg;
  wit_resolve *r = parse_ok("package a:b@1.0.0;\n"
                            "interface i {\n"
                            "  type x = list<u8>;\n"
                            "  record point { x: s32, y: s32 }\n"
                            "  resource file { constructor(); read: func(n: u32) -> list<u8>; open: static func() -> file; }\n"
                            "  f: async func(p: point) -> result<_, string>;\n"
                            "}\n",
                            &pkg);
  assert_int_equal(r->n_packages, 1);
  assert_string_equal(r->packages[pkg].name.version, "1.0.0");
  assert_int_equal(r->n_interfaces, 1);
  const wit_interface *in = &r->interfaces[0];
  assert_string_equal(in->name, "i");
  assert_int_equal(in->package, pkg);
  /* named type x = list<u8>: a named list definition */
  wit_id x = wit_interface_find_type(r, 0, "x");
  assert_true(x != WIT_NONE);
  assert_int_equal(r->types[x].kind, WIT_TD_LIST);
  assert_int_equal(r->types[x].ty.prim, WIT_PRIM_U8);
  wit_id pt = wit_interface_find_type(r, 0, "point");
  assert_int_equal(r->types[pt].kind, WIT_TD_RECORD);
  assert_int_equal(r->types[pt].n_fields, 2);
  assert_string_equal(r->types[pt].fields[1].name, "y");
  /* resource functions get [constructor]/[method]/[static] names; methods take self: borrow<R> */
  wit_id file = wit_interface_find_type(r, 0, "file");
  const wit_function *m = wit_interface_find_function(r, 0, "[method]file.read");
  assert_non_null(m);
  assert_int_equal(m->kind, WIT_FN_METHOD);
  assert_int_equal(m->resource, file);
  assert_string_equal(m->params[0].name, "self");
  assert_int_equal(r->types[m->params[0].ty.id].kind, WIT_TD_BORROW);
  assert_int_equal(r->types[m->params[0].ty.id].resource, file);
  /* the result list<u8> is an anonymous type distinct from the named x */
  assert_int_equal(m->result.prim, WIT_PRIM_ID);
  assert_null(r->types[m->result.id].name);
  assert_true(m->result.id != x);
  const wit_function *c = wit_interface_find_function(r, 0, "[constructor]file");
  assert_non_null(c);
  /* constructor result and `-> file` are own<file> handles */
  assert_int_equal(r->types[c->result.id].kind, WIT_TD_OWN);
  const wit_function *s = wit_interface_find_function(r, 0, "[static]file.open");
  assert_int_equal(s->kind, WIT_FN_STATIC);
  assert_int_equal(s->result.id, c->result.id); /* own handles are shared */
  const wit_function *f = wit_interface_find_function(r, 0, "f");
  assert_int_equal(f->kind, WIT_FN_ASYNC_FREESTANDING);
  assert_int_equal(r->types[f->result.id].kind, WIT_TD_RESULT);
  assert_int_equal(r->types[f->result.id].ty.prim, WIT_PRIM_NONE);
  assert_int_equal(r->types[f->result.id].ty2.prim, WIT_PRIM_STRING);
  /* function order = source order, resource functions at the resource */
  assert_string_equal(in->functions[0].name, "[constructor]file");
  assert_string_equal(in->functions[3].name, "f");
  wit_resolve_free(r);
}

static void test_world_elaboration(void **state) {
  wit_id pkg;
  wit_resolve *r = parse_ok("package a:b;\n"
                            "interface types { type t = u32; }\n"
                            "interface api { use types.{t}; get: func() -> t; }\n"
                            "world w { export api; import log: func(msg: string); }\n",
                            &pkg);
  assert_int_equal(r->n_worlds, 1);
  const wit_world *w = &r->worlds[0];
  /* exporting `api` implicitly imports `types` (WIT.md "Worlds": transitive use) */
  assert_int_equal(w->n_imports, 2);
  assert_null(w->imports[0].key_name);
  assert_int_equal(w->imports[0].kind, WIT_ITEM_INTERFACE);
  assert_string_equal(r->interfaces[w->imports[0].id].name, "types");
  assert_int_equal(w->imports[0].origin, WIT_ORIGIN_ELABORATED);
  assert_string_equal(w->imports[1].key_name, "log");
  assert_int_equal(w->n_exports, 1);
  assert_string_equal(r->interfaces[w->exports[0].id].name, "api");
  char buf[128];
  assert_string_equal(wit_interface_id_string(r, w->exports[0].id, buf, sizeof buf), "a:b/api");
  wit_resolve_free(r);
}

static void test_errors_have_locations(void **state) {
  wit_diag d;
  /* unknown type: location of the name and a suggestion */
  assert_int_equal(parse_err("package a:b;\ninterface i {\n  record descriptor {}\n  f: func(d: descripter);\n}\n", &d),
                   WK_ERR_INVALID);
  assert_int_equal(d.err.line, 4);
  assert_int_equal(d.err.col, 14);
  assert_non_null(strstr(d.err.msg, "`descripter` does not exist"));
  assert_non_null(strstr(d.err.msg, "did you mean `descriptor`"));
  /* cycle */
  assert_int_equal(parse_err("package a:b;\ninterface i { type a = b; type b = a; }\n", &d), WK_ERR_INVALID);
  assert_non_null(strstr(d.err.msg, "depends on itself"));
  assert_int_equal(d.err.line, 2);
  /* duplicates */
  assert_int_equal(parse_err("package a:b;\ninterface i { f: func(); f: func(); }\n", &d), WK_ERR_INVALID);
  assert_non_null(strstr(d.err.msg, "defined more than once"));
  assert_int_equal(d.err.col, 26);
  /* `use` of something that is not an interface */
  assert_int_equal(parse_err("package a:b;\nworld w {}\ninterface i { use w.{x}; }\n", &d), WK_ERR_INVALID);
  assert_non_null(strstr(d.err.msg, "world, not an interface"));
  /* syntax */
  assert_int_equal(parse_err("package a:b;\ninterface i { f: func(; }\n", &d), WK_ERR_INVALID);
  assert_int_equal(d.err.line, 2);
  assert_int_equal(d.err.col, 23);
  assert_non_null(strstr(d.err.msg, "expected"));
  /* borrow may not be returned */
  assert_int_equal(parse_err("package a:b;\ninterface i { resource r; f: func() -> borrow<r>; }\n", &d), WK_ERR_INVALID);
  assert_non_null(strstr(d.err.msg, "borrow"));
  /* missing dependency package */
  assert_int_equal(parse_err("package a:b;\ninterface i { use c:d/e.{x}; }\n", &d), WK_ERR_INVALID);
  assert_non_null(strstr(d.err.msg, "package 'c:d' not found"));
  assert_int_equal(d.err.line, 2);
  assert_int_equal(d.err.col, 19);
  /* the rendered diagnostic has the source line and a caret under the column */
  wit_resolve *r = wit_resolve_new();
  const char *src = "package a:b;\ninterface i { type t = nope; }\n";
  assert_int_equal(wit_resolve_push_str(r, "x.wit", src, strlen(src), NULL, &d), WK_ERR_INVALID);
  wk_buf b = {0};
  wit_diag_render(r, &d, &b);
  wk_buf_byte(&b, 0);
  assert_non_null(strstr((char *)b.data, "--> x.wit:2:24"));
  assert_non_null(strstr((char *)b.data, "2 | interface i { type t = nope; }"));
  assert_non_null(strstr((char *)b.data, "|                        ^---"));
  wk_buf_free(&b);
  wit_resolve_free(r);
}

static void test_push_twice(void **state) {
  wit_resolve *r = wit_resolve_new();
  wit_diag d;
  wit_id a, b;
  const char *dep = "package d:e;\ninterface t { type x = u8; }\n";
  const char *user = "package u:v;\ninterface i { use d:e/t.{x}; f: func() -> x; }\n";
  assert_int_equal(wit_resolve_push_str(r, "dep.wit", dep, strlen(dep), &a, &d), WK_OK);
  /* a later push may refer to packages already in the resolve */
  assert_int_equal(wit_resolve_push_str(r, "user.wit", user, strlen(user), &b, &d), WK_OK);
  assert_int_equal(r->n_packages, 2);
  assert_int_equal(r->types[wit_interface_find_type(r, r->packages[b].interfaces[0].id, "x")].ty.id,
                   wit_interface_find_type(r, r->packages[a].interfaces[0].id, "x"));
  /* but may not add the same package again */
  assert_int_equal(wit_resolve_push_str(r, "dep2.wit", dep, strlen(dep), NULL, &d), WK_ERR_INVALID);
  assert_non_null(strstr(d.err.msg, "already present"));
  assert_string_equal(d.file, "dep2.wit");
  wit_resolve_free(r);
}

static void test_select_world(void **state) {
  wit_id pkg, w;
  wk_error e;
  wit_resolve *r = parse_ok("package a:b;\nworld one {}\nworld two {}\n"
                            "package c:d@1.0.0 { world x {} }\npackage c:d@2.0.0 { world x {} }\n"
                            "package e:f@0.1.0 { world %world {} }\n",
                            &pkg);
  assert_int_equal(wit_resolve_select_world(r, pkg, "two", &w, &e), WK_OK);
  assert_string_equal(r->worlds[w].name, "two");
  assert_int_equal(wit_resolve_select_world(r, pkg, NULL, &w, &e), WK_ERR_USAGE); /* two worlds: ambiguous */
  assert_non_null(strstr(e.msg, "multiple worlds"));
  assert_int_equal(wit_resolve_select_world(r, pkg, "c:d/x@2.0.0", &w, &e), WK_OK);
  assert_string_equal(r->packages[r->worlds[w].package].name.version, "2.0.0");
  assert_int_equal(wit_resolve_select_world(r, pkg, "c:d/x", &w, &e), WK_ERR_USAGE); /* two versions */
  assert_int_equal(wit_resolve_select_world(r, pkg, "e:f/%world", &w, &e), WK_OK); /* the only version */
  assert_string_equal(r->worlds[w].name, "world");
  assert_int_equal(wit_resolve_select_world(r, pkg, "three", &w, &e), WK_ERR_USAGE);
  assert_int_equal(wit_resolve_select_world(r, pkg, "x:y/z", &w, &e), WK_ERR_USAGE);
  wit_resolve_free(r);
}

/* Resolve -> canonical ABI (witcabi.h): layouts and flattening of Resolve types by lib/canonabi,
 * checked against CanonicalABI.md "Alignment"/"Element Size"/"Flattening". */
static void test_cabi_adapter(void **state) {
  wit_id pkg;
  wk_error e;
  wit_resolve *r = parse_ok("package a:b;\ninterface i {\n"
                            "  record r { a: u8, b: u32, c: string }\n"
                            "  type alias = r;\n"
                            "  variant v { none, some(u64), s(string) }\n"
                            "  resource res;\n"
                            "  type o = option<own<res>>;\n"
                            "}\n",
                            &pkg);
  wit_cabi_map m;
  assert_int_equal(wit_cabi_map_init(&m, r, &e), WK_OK);
  wit_id iface = r->packages[pkg].interfaces[0].id;
  wit_type rec = {WIT_PRIM_ID, wit_interface_find_type(r, iface, "r")};
  wit_type alias = {WIT_PRIM_ID, wit_interface_find_type(r, iface, "alias")};
  wit_type var = {WIT_PRIM_ID, wit_interface_find_type(r, iface, "v")};
  wit_type opt = {WIT_PRIM_ID, wit_interface_find_type(r, iface, "o")};
  const wk_cabi_type *c = wit_cabi_type_of(&m, rec, &e);
  assert_non_null(c);
  assert_int_equal(c->kind, WK_CABI_RECORD);
  assert_ptr_equal(wit_cabi_type_of(&m, alias, &e), c); /* an alias is its target, built once */
  wk_cabi_layout l;
  assert_int_equal(wk_cabi_layout_of(c, 4, &l, &e), WK_OK);
  assert_int_equal(l.size, 16); /* u8 @0, u32 @4, string (ptr, len) @8 */
  assert_int_equal(l.align, 4);
  c = wit_cabi_type_of(&m, var, &e);
  assert_int_equal(wk_cabi_layout_of(c, 4, &l, &e), WK_OK);
  assert_int_equal(l.size, 16); /* u8 discriminant, payload aligned to 8 */
  assert_int_equal(l.align, 8);
  wk_cabi_core flat[16];
  uint32_t n = 0;
  assert_int_equal(wk_cabi_flatten(c, 4, flat, 16, &n, &e), WK_OK);
  assert_int_equal(n, 3); /* i32 discriminant, join(i64, i32) = i64, i32 */
  assert_int_equal(flat[1], WK_CABI_CORE_I64);
  c = wit_cabi_type_of(&m, opt, &e);
  assert_int_equal(c->kind, WK_CABI_OPTION);
  assert_int_equal(c->children[0]->kind, WK_CABI_OWN);
  wit_type none = {WIT_PRIM_NONE, 0}, bad = {WIT_PRIM_ID, r->n_types + 5};
  assert_null(wit_cabi_type_of(&m, none, &e));
  assert_int_equal(e.code, WK_OK);
  assert_null(wit_cabi_type_of(&m, bad, &e));
  assert_int_equal(e.code, WK_ERR_UNSUPPORTED);
  wit_cabi_map_free(&m);
  wit_resolve_free(r);
}

static void test_feature_gates(void **state) {
  const char *src = "package a:b@0.2.0;\n"
                    "interface i {\n"
                    "  @since(version = 0.1.0) stable: func();\n"
                    "  @unstable(feature = fancy) fancy: func();\n"
                    "  @since(version = 0.1.0) @deprecated(version = 0.2.0) old: func();\n"
                    "}\n";
  wit_id pkg;
  wit_resolve *r = parse_ok(src, &pkg);
  assert_int_equal(r->interfaces[0].n_functions, 2);
  const wit_function *old = wit_interface_find_function(r, 0, "old");
  assert_int_equal(old->stability.kind, WIT_STAB_STABLE);
  assert_string_equal(old->stability.deprecated, "0.2.0");
  wit_resolve_free(r);
  r = wit_resolve_new();
  assert_int_equal(wit_resolve_enable_feature(r, "fancy"), WK_OK);
  wit_diag d;
  assert_int_equal(wit_resolve_push_str(r, "t.wit", src, strlen(src), &pkg, &d), WK_OK);
  assert_int_equal(r->interfaces[0].n_functions, 3);
  assert_string_equal(wit_interface_find_function(r, 0, "fancy")->stability.feature, "fancy");
  wit_resolve_free(r);
  /* @since newer than the package version is an error */
  assert_int_equal(parse_err("package a:b@0.1.0;\ninterface i { @since(version = 0.2.0) f: func(); }\n", &d), WK_ERR_INVALID);
  assert_non_null(strstr(d.err.msg, "unreleased version"));
}

static void test_multi_file_and_nested(void **state) {
  const char *names[] = {"b.wit", "a.wit"};
  const char *texts[] = {"package x:y;\ninterface two { use one.{t}; }\n",
                         "/// docs\npackage x:y;\ninterface one { type t = u8; }\n"
                         "package dep:z { interface q { type u = string; } }\n"};
  size_t lens[] = {strlen(texts[0]), strlen(texts[1])};
  wit_resolve *r = wit_resolve_new();
  wit_diag d;
  wit_id pkg;
  assert_int_equal(wit_resolve_push_files(r, 2, names, texts, lens, &pkg, &d), WK_OK);
  assert_int_equal(r->n_packages, 2);
  /* packages are added in name order unless dependencies say otherwise: dep:z before x:y */
  assert_string_equal(r->packages[0].name.namespace_, "dep");
  assert_int_equal(pkg, 1);
  assert_string_equal(r->packages[pkg].docs, "docs"); /* common leading space is stripped */
  assert_int_equal(r->packages[pkg].n_interfaces, 2);
  assert_string_equal(r->packages[pkg].interfaces[0].name, "one");
  wit_resolve_free(r);
}

static void test_print_roundtrip(void **state) {
  const char *src = "package a:b@1.0.0;\n"
                    "interface types { resource res { constructor(x: u32); m: func() -> option<res>; } }\n"
                    "interface api {\n"
                    "  use types.{res as thing};\n"
                    "  /// doc\n"
                    "  variant v { a, b(list<tuple<u8, string>>) }\n"
                    "  flags fl { x, y }\n"
                    "  enum %enum { one, two }\n"
                    "  f: func(t: borrow<thing>, m: map<string, u32>, l: list<u8, 4>) -> result<v, fl>;\n"
                    "  g: func() -> stream<future<error-context>>;\n"
                    "}\n"
                    "world w { import api; export run: async func(); include other; }\n"
                    "world other { import x: interface { h: func(); } }\n";
  wit_id pkg;
  wit_resolve *r = parse_ok(src, &pkg);
  wk_buf j1 = {0}, j2 = {0}, text = {0};
  wk_error e;
  assert_int_equal(wit_resolve_to_json(r, &j1, &e), WK_OK);
  assert_int_equal(wit_resolve_print_wit(r, pkg, &text, &e), WK_OK);
  wit_resolve *r2 = wit_resolve_new();
  wit_diag d;
  if (wit_resolve_push_str(r2, "printed.wit", (const char *)text.data, text.len, NULL, &d) != WK_OK)
    fail_msg("printed WIT does not parse: %s at %u:%u", d.err.msg, d.err.line, d.err.col);
  assert_int_equal(wit_resolve_to_json(r2, &j2, &e), WK_OK);
  assert_int_equal(j1.len, j2.len);
  assert_memory_equal(j1.data, j2.data, j1.len);
  wk_buf_free(&j1);
  wk_buf_free(&j2);
  wk_buf_free(&text);
  wit_resolve_free(r);
  wit_resolve_free(r2);
}

static void test_robustness(void **state) {
  /* every prefix of a valid document either parses or fails cleanly */
  const char *src = "package a:b@1.0.0;\ninterface i { use c.{t}; record r { x: list<option<t>> } f: func(a: r) -> "
                    "result<_, string>; }\ninterface c { type t = u8; }\nworld w { import i; export f: func(); }\n";
  size_t n = strlen(src);
  for (size_t k = 0; k <= n; k++) {
    wit_resolve *r = wit_resolve_new();
    wit_diag d;
    int rc = wit_resolve_push_str(r, "t.wit", src, k, NULL, &d);
    assert_true(rc == WK_OK || rc == WK_ERR_INVALID);
    if (rc) assert_true(d.err.msg[0] != 0);
    wit_resolve_free(r);
  }
  /* pseudo-random byte flips */
  char *buf = malloc(n + 1);
  uint32_t seed = 12345;
  for (int it = 0; it < 2000; it++) {
    memcpy(buf, src, n + 1);
    for (int f = 0; f < 3; f++) {
      seed = seed * 1103515245u + 12345u;
      size_t pos = (seed >> 8) % n;
      seed = seed * 1103515245u + 12345u;
      buf[pos] = (char)(seed >> 16);
    }
    wit_resolve *r = wit_resolve_new();
    wit_diag d;
    int rc = wit_resolve_push_str(r, "t.wit", buf, n, NULL, &d);
    assert_true(rc == WK_OK || rc == WK_ERR_INVALID);
    wit_resolve_free(r);
  }
  free(buf);
  /* deep nesting is an error, not a stack overflow */
  size_t deep = 200000;
  char *dn = malloc(deep * 6 + 64);
  strcpy(dn, "package a:b;\ninterface i { type t = ");
  char *p = dn + strlen(dn);
  for (size_t i = 0; i < deep; i++) { memcpy(p, "list<", 5); p += 5; }
  *p = 0;
  wit_diag d;
  assert_int_equal(parse_err(dn, &d), WK_ERR_INVALID);
  assert_non_null(strstr(d.err.msg, "type nesting too deep"));
  p = dn;
  for (size_t i = 0; i < deep; i++) { memcpy(p, "package a:b {", 13); p += 13; if ((size_t)(p - dn) > deep * 6) break; }
  *p = 0;
  assert_int_equal(parse_err(dn, &d), WK_ERR_INVALID);
  free(dn);
}

/* Property: for any input that parses, print -> parse gives the same JSON.
 * Inputs: mutations (byte flips, deletions, WIT token insertions, splices) of
 * the wit-parser-ui corpus files; also checks that nothing crashes. */
static void test_mutation_roundtrip(void **state) {
  const char *dir = "../shared/corpora/wit-parser-ui";
  DIR *d = opendir(dir);
  if (!d) skip();
  char *files[256];
  size_t lens[256];
  int nf = 0;
  struct dirent *e;
  while ((e = readdir(d)) && nf < 256) {
    size_t l = strlen(e->d_name);
    if (l < 5 || strcmp(e->d_name + l - 4, ".wit")) continue;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    uint8_t *data;
    size_t len;
    wk_error err;
    if (wk_read_file(path, &data, &len, &err) != WK_OK) continue;
    files[nf] = (char *)data;
    lens[nf++] = len;
  }
  closedir(d);
  assert_true(nf > 10);
  static const char *const toks[] = {"list<", ">", "{", "}", "use ", "type ", "%", "@since(version = 0.1.0) ",
                                     "@unstable(feature = x) ", "borrow<", ";", ",", "func(", ")", " -> ",
                                     "resource r;", "include ", "import ", "export ", "interface ", "/// d\n",
                                     "async ", "static ", " as ", "result<", "_", "stream<", "\n"};
  char *buf = malloc(1 << 20);
  uint32_t seed = 7;
#define RND() (seed = seed * 1103515245u + 12345u, seed >> 8)
  int parsed = 0;
  for (int it = 0; it < 4000; it++) {
    int k = (int)(RND() % (uint32_t)nf);
    size_t n = lens[k];
    if (n >= (1 << 19)) continue;
    memcpy(buf, files[k], n);
    int nm = 1 + (int)(RND() % 3);
    for (int m = 0; m < nm && n; m++) {
      size_t pos = RND() % n;
      switch (RND() % 3) {
      case 0: buf[pos] = (char)RND(); break;
      case 1: {
        size_t len = RND() % 8;
        if (pos + len > n) len = n - pos;
        memmove(buf + pos, buf + pos + len, n - pos - len);
        n -= len;
        break;
      }
      default: {
        const char *t = toks[RND() % (sizeof toks / sizeof toks[0])];
        size_t tl = strlen(t);
        memmove(buf + pos + tl, buf + pos, n - pos);
        memcpy(buf + pos, t, tl);
        n += tl;
      }
      }
    }
    wit_resolve *r = wit_resolve_new();
    wit_resolve_set_all_features(r, 1);
    wit_diag dg;
    wit_id pkg;
    if (wit_resolve_push_str(r, "m.wit", buf, n, &pkg, &dg) == WK_OK) {
      parsed++;
      wk_buf j1 = {0}, j2 = {0}, t = {0};
      wk_error err;
      assert_int_equal(wit_resolve_to_json(r, &j1, &err), WK_OK);
      assert_int_equal(wit_resolve_print_wit(r, pkg, &t, &err), WK_OK);
      wit_resolve *r2 = wit_resolve_new();
      wit_resolve_set_all_features(r2, 1);
      if (wit_resolve_push_str(r2, "p.wit", (const char *)t.data, t.len, NULL, &dg) != WK_OK)
        fail_msg("printed WIT does not parse: %s at %u:%u", dg.err.msg, dg.err.line, dg.err.col);
      assert_int_equal(wit_resolve_to_json(r2, &j2, &err), WK_OK);
      assert_int_equal(j1.len, j2.len);
      assert_memory_equal(j1.data, j2.data, j1.len);
      wit_resolve_free(r2);
      wk_buf_free(&j1);
      wk_buf_free(&j2);
      wk_buf_free(&t);
    } else {
      assert_true(dg.err.msg[0] != 0);
      wk_buf b = {0};
      wit_diag_render(r, &dg, &b);
      wk_buf_free(&b);
    }
    wit_resolve_free(r);
  }
#undef RND
  assert_true(parsed > 20); /* the property was exercised */
  free(buf);
  for (int i = 0; i < nf; i++) free(files[i]);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_types_model), cmocka_unit_test(test_type_has_borrow),     cmocka_unit_test(test_world_elaboration),
      cmocka_unit_test(test_errors_have_locations), cmocka_unit_test(test_feature_gates),
      cmocka_unit_test(test_multi_file_and_nested), cmocka_unit_test(test_print_roundtrip),
      cmocka_unit_test(test_robustness),      cmocka_unit_test(test_mutation_roundtrip),
      cmocka_unit_test(test_select_world),     cmocka_unit_test(test_push_twice),
      cmocka_unit_test(test_cabi_adapter),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
