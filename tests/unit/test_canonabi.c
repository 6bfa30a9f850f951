/*
 * Unit tests for lib/canonabi. Expected values are derived by hand from the
 * definitions in component-model design/mvp/CanonicalABI.md ("Alignment",
 * "Element Size", "Flattening") and cross-checked against that document's
 * Python reference (design/mvp/canonical-abi/definitions.py: alignment,
 * elem_size, flatten_type, flatten_functype) evaluated on the same types.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "canonabi/canonabi.h"

#define T(k) ((wk_cabi_type){.kind = (k)})
static const wk_cabi_type u8 = T(WK_CABI_U8), u16 = T(WK_CABI_U16), u32 = T(WK_CABI_U32), u64 = T(WK_CABI_U64),
                          f32 = T(WK_CABI_F32), f64 = T(WK_CABI_F64), str = T(WK_CABI_STRING),
                          chr = T(WK_CABI_CHAR), own = T(WK_CABI_OWN), boolean = T(WK_CABI_BOOL);

static void check(const wk_cabi_type *t, uint32_t align, uint32_t size, const char *flat) {
  wk_error e;
  wk_cabi_layout l;
  assert_int_equal(wk_cabi_layout_of(t, 4, &l, &e), WK_OK);
  assert_int_equal(l.align, align);
  assert_int_equal(l.size, size);
  wk_cabi_core v[32];
  uint32_t n = 0;
  assert_int_equal(wk_cabi_flatten(t, 4, v, 32, &n, &e), WK_OK);
  char got[33] = {0};
  for (uint32_t i = 0; i < n && i < 32; i++)
    got[i] = v[i] == WK_CABI_CORE_I32 ? 'i' : v[i] == WK_CABI_CORE_I64 ? 'I' : v[i] == WK_CABI_CORE_F32 ? 'f' : v[i] == WK_CABI_CORE_F64 ? 'F' : '?';
  assert_string_equal(got, flat);
}

static void test_primitives(void **state) {
  check(&boolean, 1, 1, "i");
  check(&u8, 1, 1, "i");
  check(&u16, 2, 2, "i");
  check(&u64, 8, 8, "I");
  check(&f32, 4, 4, "f");
  check(&f64, 8, 8, "F");
  check(&chr, 4, 4, "i");
  check(&str, 4, 8, "ii");
  check(&own, 4, 4, "i");
}

static void test_records(void **state) {
  /* record { a: u8, b: u32, c: u16 }: offsets 0, 4, 8; size align_to(10, 4) = 12 */
  const wk_cabi_type *f[] = {&u8, &u32, &u16};
  wk_cabi_type rec = {.kind = WK_CABI_RECORD, .n = 3, .children = f};
  check(&rec, 4, 12, "iii");
  uint32_t off[3];
  wk_error e;
  assert_int_equal(wk_cabi_field_offsets(&rec, 4, off, 3, &e), WK_OK);
  assert_int_equal(off[0], 0);
  assert_int_equal(off[1], 4);
  assert_int_equal(off[2], 8);
  /* tuple<u64, u8>: size 16, align 8 */
  const wk_cabi_type *tf[] = {&u64, &u8};
  wk_cabi_type tup = {.kind = WK_CABI_TUPLE, .n = 2, .children = tf};
  check(&tup, 8, 16, "Ii");
  /* empty records are not permitted ("Element Size") */
  wk_cabi_type empty = {.kind = WK_CABI_RECORD, .n = 0};
  wk_cabi_layout l;
  assert_int_equal(wk_cabi_layout_of(&empty, 4, &l, &e), WK_ERR_INVALID);
}

static void test_variants(void **state) {
  const wk_cabi_type *o8[] = {&u8};
  wk_cabi_type opt_u8 = {.kind = WK_CABI_OPTION, .children = o8};
  check(&opt_u8, 1, 2, "ii");
  const wk_cabi_type *os[] = {&str};
  wk_cabi_type opt_str = {.kind = WK_CABI_OPTION, .children = os};
  check(&opt_str, 4, 12, "iii");
  uint32_t off = 0;
  wk_error e;
  assert_int_equal(wk_cabi_payload_offset(&opt_str, 4, &off, &e), WK_OK);
  assert_int_equal(off, 4);
  const wk_cabi_type *r1[] = {&u32, &f32};
  wk_cabi_type res1 = {.kind = WK_CABI_RESULT, .children = r1};
  check(&res1, 4, 8, "ii"); /* join(i32, f32) = i32 */
  const wk_cabi_type *r2[] = {&u64, &f32};
  wk_cabi_type res2 = {.kind = WK_CABI_RESULT, .children = r2};
  check(&res2, 8, 16, "iI"); /* join(i64, f32) = i64 */
  const wk_cabi_type *r3[] = {NULL, &str};
  wk_cabi_type res3 = {.kind = WK_CABI_RESULT, .children = r3};
  check(&res3, 4, 12, "iii");
  wk_cabi_type res_empty = {.kind = WK_CABI_RESULT, .children = (const wk_cabi_type *const[]){NULL, NULL}};
  check(&res_empty, 1, 1, "i");
  /* variant { a(f32), b(u64), c(tuple<f64, u8>), d }: payload joins i64, then i32 */
  const wk_cabi_type *tf[] = {&f64, &u8};
  wk_cabi_type tup = {.kind = WK_CABI_TUPLE, .n = 2, .children = tf};
  const wk_cabi_type *vc[] = {&f32, &u64, &tup, NULL};
  wk_cabi_type var = {.kind = WK_CABI_VARIANT, .n = 4, .children = vc};
  check(&var, 8, 24, "iIi");
  assert_int_equal(wk_cabi_payload_offset(&var, 4, &off, &e), WK_OK);
  assert_int_equal(off, 8);
  /* discriminant widths: 256 cases fit u8, 257 need u16 */
  wk_cabi_type e3 = {.kind = WK_CABI_ENUM, .n = 3};
  check(&e3, 1, 1, "i");
  wk_cabi_type e257 = {.kind = WK_CABI_ENUM, .n = 257};
  check(&e257, 2, 2, "i");
  assert_int_equal(wk_cabi_discriminant_size(256), 1);
  assert_int_equal(wk_cabi_discriminant_size(65536), 2);
  assert_int_equal(wk_cabi_discriminant_size(65537), 4);
}

static void test_flags_lists(void **state) {
  wk_cabi_type f9 = {.kind = WK_CABI_FLAGS, .n = 9};
  check(&f9, 2, 2, "i");
  wk_cabi_type f17 = {.kind = WK_CABI_FLAGS, .n = 17};
  check(&f17, 4, 4, "i");
  wk_cabi_type f8 = {.kind = WK_CABI_FLAGS, .n = 8};
  check(&f8, 1, 1, "i");
  const wk_cabi_type *e16[] = {&u16};
  wk_cabi_type fixed = {.kind = WK_CABI_LIST, .length = 3, .children = e16};
  check(&fixed, 2, 6, "iii");
  const wk_cabi_type *e8[] = {&u8};
  wk_cabi_type lst = {.kind = WK_CABI_LIST, .children = e8};
  check(&lst, 4, 8, "ii");
  /* memory64: string is (i64, i64), option<string> is 24 bytes aligned 8 */
  wk_cabi_layout l;
  wk_error e;
  const wk_cabi_type *os[] = {&str};
  wk_cabi_type opt_str = {.kind = WK_CABI_OPTION, .children = os};
  assert_int_equal(wk_cabi_layout_of(&opt_str, 8, &l, &e), WK_OK);
  assert_int_equal(l.size, 24);
  assert_int_equal(l.align, 8);
  wk_cabi_core v[4];
  uint32_t n;
  assert_int_equal(wk_cabi_flatten(&str, 8, v, 4, &n, &e), WK_OK);
  assert_int_equal(n, 2);
  assert_int_equal(v[0], WK_CABI_CORE_I64);
}

static void test_functype(void **state) {
  wk_error e;
  wk_cabi_core_sig s;
  wk_cabi_opts o = {.ptr_size = 4};
  /* 16 u32 params stay flat; 17 spill to one pointer */
  const wk_cabi_type *p[17];
  for (int i = 0; i < 17; i++) p[i] = &u32;
  assert_int_equal(wk_cabi_flatten_func(p, 16, NULL, &o, WK_CABI_LOWER, &s, &e), WK_OK);
  assert_int_equal(s.nparams, 16);
  assert_int_equal(s.nresults, 0);
  assert_int_equal(wk_cabi_flatten_func(p, 17, &u32, &o, WK_CABI_LOWER, &s, &e), WK_OK);
  assert_int_equal(s.nparams, 1);
  assert_true(s.indirect_params);
  assert_int_equal(s.nresults, 1);
  /* string result: lower adds a return pointer, lift returns a pointer */
  const wk_cabi_type *ps[] = {&str};
  assert_int_equal(wk_cabi_flatten_func(ps, 1, &str, &o, WK_CABI_LOWER, &s, &e), WK_OK);
  assert_int_equal(s.nparams, 3);
  assert_int_equal(s.nresults, 0);
  assert_true(s.indirect_results);
  assert_int_equal(wk_cabi_flatten_func(ps, 1, &str, &o, WK_CABI_LIFT, &s, &e), WK_OK);
  assert_int_equal(s.nparams, 2);
  assert_int_equal(s.nresults, 1);
  assert_int_equal(s.results[0], WK_CABI_CORE_I32);
  /* async lower: more than 4 flat params spill; results via a pointer; i32 status */
  o.async_ = 1;
  assert_int_equal(wk_cabi_flatten_func(p, 5, &u64, &o, WK_CABI_LOWER, &s, &e), WK_OK);
  assert_int_equal(s.nparams, 2);
  assert_int_equal(s.nresults, 1);
  assert_int_equal(wk_cabi_flatten_func(p, 4, NULL, &o, WK_CABI_LOWER, &s, &e), WK_OK);
  assert_int_equal(s.nparams, 4);
  /* async lift with callback returns i32; without, nothing */
  o.callback = 1;
  assert_int_equal(wk_cabi_flatten_func(p, 2, &str, &o, WK_CABI_LIFT, &s, &e), WK_OK);
  assert_int_equal(s.nparams, 2);
  assert_int_equal(s.nresults, 1);
  o.callback = 0;
  assert_int_equal(wk_cabi_flatten_func(p, 2, &str, &o, WK_CABI_LIFT, &s, &e), WK_OK);
  assert_int_equal(s.nresults, 0);
}

static void test_hostile(void **state) {
  wk_error e;
  wk_cabi_layout l;
  /* deep nesting is refused, not a stack overflow */
  static wk_cabi_type chain[300];
  static const wk_cabi_type *kids[300];
  chain[0] = u8;
  for (int i = 1; i < 300; i++) {
    kids[i] = &chain[i - 1];
    chain[i] = (wk_cabi_type){.kind = WK_CABI_OPTION, .children = &kids[i]};
  }
  assert_int_equal(wk_cabi_layout_of(&chain[299], 4, &l, &e), WK_ERR_INVALID);
  uint32_t n;
  assert_int_equal(wk_cabi_flatten(&chain[299], 4, NULL, 0, &n, &e), WK_ERR_INVALID);
  /* oversized fixed-length list */
  const wk_cabi_type *k[] = {&u64};
  wk_cabi_type big = {.kind = WK_CABI_LIST, .length = 0xffffffffu, .children = k};
  assert_int_equal(wk_cabi_layout_of(&big, 4, &l, &e), WK_ERR_INVALID);
  /* missing children */
  wk_cabi_type bad = {.kind = WK_CABI_OPTION};
  assert_int_equal(wk_cabi_layout_of(&bad, 4, &l, &e), WK_ERR_INVALID);
  wk_cabi_type badk = {.kind = (wk_cabi_kind)999};
  assert_int_equal(wk_cabi_layout_of(&badk, 4, &l, &e), WK_ERR_INVALID);
  assert_int_equal(wk_cabi_layout_of(&u8, 3, &l, &e), WK_ERR_USAGE);
}

static void test_predicates(void **state) {
  wk_cabi_type b = T(WK_CABI_BORROW);
  const wk_cabi_type *k[] = {&u8, &b};
  wk_cabi_type rec = {.kind = WK_CABI_RECORD, .n = 2, .children = k};
  assert_true(wk_cabi_contains_borrow(&rec));
  assert_false(wk_cabi_contains_async_value(&rec));
  wk_cabi_type fut = {.kind = WK_CABI_FUTURE};
  const wk_cabi_type *k2[] = {&fut};
  wk_cabi_type lst = {.kind = WK_CABI_LIST, .children = k2};
  assert_true(wk_cabi_contains_async_value(&lst));
  assert_false(wk_cabi_contains_borrow(&lst));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_primitives), cmocka_unit_test(test_records),   cmocka_unit_test(test_variants),
      cmocka_unit_test(test_flags_lists), cmocka_unit_test(test_functype), cmocka_unit_test(test_hostile),
      cmocka_unit_test(test_predicates),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
