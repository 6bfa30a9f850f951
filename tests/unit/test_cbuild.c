/* Unit tests for the component builder (lib/encode/cbuild.h): what it builds encodes through
 * wk_component_encode, decodes again, validates, and prints as expected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "encode/cbuild.h"

/* (module (func (export "f")) (memory (export "memory") 1)) */
static const uint8_t CORE[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00,
                               0x00, 0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x0e, 0x02,
                               0x01, 0x66, 0x00, 0x00, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00,
                               0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b};

static void roundtrip(wk_cbuild *b, wk_buf *printed) {
  wk_buf out = {0};
  wk_error err;
  assert_int_equal(wk_cb_encode(b, &out, &err), WK_OK);
  wk_component *c = NULL;
  assert_int_equal(wk_component_decode(out.data, out.len, &c, &err), WK_OK);
  int rc = wk_component_validate(c, &err);
  if (rc) fprintf(stderr, "validate: %s\n", err.msg);
  assert_int_equal(rc, WK_OK);
  /* byte-exact re-encode of what we wrote */
  wk_buf again = {0};
  assert_int_equal(wk_component_encode(c, &again, &err), WK_OK);
  assert_int_equal(again.len, out.len);
  assert_memory_equal(again.data, out.data, out.len);
  assert_int_equal(wk_component_print(c, printed, &err), WK_OK);
  wk_buf_byte(printed, 0);
  wk_component_free(c);
  wk_buf_free(&again);
  wk_buf_free(&out);
}

static void test_lift_export(void **state) {
  wk_cbuild *b = wk_cb_new();
  assert_non_null(b);
  uint32_t m = wk_cb_core_module(b, CORE, sizeof CORE);
  assert_int_equal(m, 0);
  uint32_t ci = wk_cb_core_instantiate(b, m, 0, NULL);
  assert_int_equal(ci, 0);
  uint32_t cf = wk_cb_alias_core_export(b, ci, "f", WK_CB_CORE_FUNC);
  uint32_t mem = wk_cb_alias_core_export(b, ci, "memory", WK_CB_CORE_MEMORY);
  assert_int_equal(cf, 0);
  assert_int_equal(mem, 0);
  uint32_t t = wk_cb_type_func(b, 0, NULL, NULL, 0, (wk_cvaltype){0});
  assert_int_equal(t, 0);
  wk_cb_opts o = {.string_encoding = 0, .has_memory = 1, .memory = mem};
  uint32_t f = wk_cb_canon_lift(b, cf, t, &o);
  assert_int_equal(f, 0);
  assert_int_equal(wk_cb_export(b, "f", WK_CB_FUNC, f, NULL), 1);
  /* an instance of it, exported with a type ascription */
  wk_cb_item it = {"g", WK_CB_FUNC, f};
  uint32_t inst = wk_cb_instance_exports(b, 1, &it);
  assert_int_equal(inst, 0);
  wk_cdecl *d = wk_cb_alloc(b, 2 * sizeof *d);
  d[0].kind = 0x02; /* alias outer 1 type 0 */
  d[0].alias.sort.sort = 0x03;
  d[0].alias.target = 0x02;
  d[0].alias.inst = 1;
  d[0].alias.idx = t;
  d[1].kind = 0x04;
  d[1].name.name = wk_cb_str(b, "g");
  d[1].ext.kind = 0x01;
  d[1].ext.idx = 0;
  wk_ctype ity = {.code = 0x42, .ndecls = 2, .decls = d};
  uint32_t itype = wk_cb_type(b, &ity);
  assert_int_equal(itype, 1);
  wk_cextern asc = {.kind = 0x05, .idx = itype};
  assert_int_equal(wk_cb_export(b, "x:y/z", WK_CB_INSTANCE, inst, &asc), 1);
  assert_int_equal(wk_cb_count(b, WK_CB_FUNC), 2);
  wk_cb_name(b, WK_CB_CORE_MODULE, m, "main");
  wk_cb_name(b, WK_CB_CORE_INSTANCE, ci, "main");
  wk_cb_producer(b, "processed-by", "wcompose", "1");
  wk_cb_producer(b, "processed-by", "wcompose", WK_VERSION);
  wk_buf p = {0};
  roundtrip(b, &p);
  const char *s = (const char *)p.data;
  assert_non_null(strstr(s, "(core module $main"));
  assert_non_null(strstr(s, "(core instance $main (;0;) (instantiate $main))"));
  assert_non_null(strstr(s, "(canon lift (core func 0) string-encoding=utf8 (memory 0))"));
  if (!strstr(s, "(export (;1;) \"x:y/z\" (instance 0) (instance (type 1)))")) fprintf(stderr, "%s", s);
  assert_non_null(strstr(s, "(export (;1;) \"x:y/z\" (instance 0) (instance (type 1)))"));
  assert_non_null(strstr(s, "processed-by"));
  wk_buf_free(&p);
  wk_cb_free(b);
}

static void test_nested_and_imports(void **state) {
  wk_cbuild *b = wk_cb_new();
  uint32_t t = wk_cb_type_func(b, 1, (const char *[]){"x"}, (wk_cvaltype[]){{.prim = 0x79}}, 1,
                               (wk_cvaltype){.prim = 0x73});
  uint32_t f = wk_cb_import(b, "f", &(wk_cextern){.kind = 0x01, .idx = t});
  assert_int_equal(f, 0);
  uint32_t r = wk_cb_type_resource(b, -1);
  assert_int_equal(r, 1);
  uint32_t rn = wk_cb_canon_resource_new(b, r);
  uint32_t rd = wk_cb_canon_resource_drop(b, r);
  uint32_t rr = wk_cb_canon_resource_rep(b, r);
  assert_int_equal(rn, 0);
  assert_int_equal(rd, 1);
  assert_int_equal(rr, 2);
  wk_cbuild *c = wk_cb_component_begin(b);
  uint32_t ot = wk_cb_alias_outer(c, 1, t, WK_CB_TYPE);
  assert_int_equal(ot, 0);
  uint32_t cf = wk_cb_import(c, "g", &(wk_cextern){.kind = 0x01, .idx = ot});
  wk_cb_export(c, "h", WK_CB_FUNC, cf, NULL);
  wk_cb_name(c, WK_CB_FUNC, cf, "g");
  assert_int_equal(wk_cb_component_end(b, c), 0);
  wk_cb_item arg = {"g", WK_CB_FUNC, f};
  uint32_t i = wk_cb_instantiate(b, 0, 1, &arg);
  assert_int_equal(i, 0);
  uint32_t h = wk_cb_alias_export(b, i, "h", WK_CB_FUNC);
  assert_int_equal(h, 1);
  wk_cb_export(b, "h", WK_CB_FUNC, h, NULL);
  wk_cb_component_name(b, "outer");
  wk_buf p = {0};
  roundtrip(b, &p);
  const char *s = (const char *)p.data;
  assert_non_null(strstr(s, "(component $outer"));
  assert_non_null(strstr(s, "(alias outer 1 0 (type (;0;)))") ? s : strstr(s, "alias outer"));
  assert_non_null(strstr(s, "(instance (;0;) (instantiate 0"));
  wk_buf_free(&p);
  wk_cb_free(b);
}

static void test_component_bytes(void **state) {
  /* a component built by one builder, embedded twice (directly and inside a child) by another */
  wk_cbuild *inner = wk_cb_new();
  uint32_t t = wk_cb_type_func(inner, 0, NULL, NULL, 0, (wk_cvaltype){0});
  uint32_t f = wk_cb_import(inner, "f", &(wk_cextern){.kind = 0x01, .idx = t});
  wk_cb_export(inner, "g", WK_CB_FUNC, f, NULL);
  wk_buf ib = {0};
  wk_error err;
  assert_int_equal(wk_cb_encode(inner, &ib, &err), WK_OK);
  wk_cb_free(inner);

  wk_component *im = NULL;
  assert_int_equal(wk_component_decode(ib.data, ib.len, &im, &err), WK_OK);
  wk_cbuild *b = wk_cb_new();
  uint32_t ft = wk_cb_type_func(b, 0, NULL, NULL, 0, (wk_cvaltype){0});
  uint32_t imp = wk_cb_import(b, "h", &(wk_cextern){.kind = 0x01, .idx = ft});
  uint32_t ci = wk_cb_component_model(b, im);
  assert_int_equal(ci, 0);
  wk_cbuild *child = wk_cb_component_begin(b);
  assert_int_equal(wk_cb_component_model(child, im), 0);
  assert_int_equal(wk_cb_component_end(b, child), 1);
  wk_cb_item arg = {"f", WK_CB_FUNC, imp};
  uint32_t in = wk_cb_instantiate(b, ci, 1, &arg);
  uint32_t g = wk_cb_alias_export(b, in, "g", WK_CB_FUNC);
  wk_cb_export(b, "g", WK_CB_FUNC, g, NULL);
  wk_buf p = {0};
  roundtrip(b, &p);
  assert_non_null(strstr((const char *)p.data, "(import \"f\" (func"));
  wk_buf_free(&p);
  wk_cb_free(b);
  wk_component_free(im);
  wk_buf_free(&ib);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lift_export),
      cmocka_unit_test(test_nested_and_imports),
      cmocka_unit_test(test_component_bytes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
