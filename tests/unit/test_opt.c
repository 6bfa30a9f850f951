/* Unit tests for wcompose opt's pieces that do not need binaryen: the feature scan
 * (lib/compose/opt_features.c) and the producers writer (lib/encode/producers.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "compose/opt.h"
#include "encode/component.h"
#include "encode/producers.h"
#include "encode/wat.h"

static uint32_t features_of(const char *wat) {
  wk_buf b = {0};
  wk_error e;
  assert_int_equal(wk_wat_to_binary(wat, strlen(wat), &b, &e), WK_OK);
  uint32_t f = wk_opt_detect_features(b.data, b.len);
  wk_buf_free(&b);
  return f;
}

static void test_features(void **state) {
  assert_int_equal(features_of("(module (func (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))"), 0);
  assert_int_equal(features_of("(module (func (param i32) (result i32) (i32.extend8_s (local.get 0))))"), WK_OPTF_SIGN_EXT);
  assert_int_equal(features_of("(module (func (param f32) (result i32) (i32.trunc_sat_f32_s (local.get 0))))"), WK_OPTF_SAT_CONV);
  assert_true(features_of("(module (memory 1) (func (memory.fill (i32.const 0) (i32.const 0) (i32.const 1))))") & WK_OPTF_BULK_MEMORY);
  assert_true(features_of("(module (memory 1) (data \"x\"))") & WK_OPTF_BULK_MEMORY);
  assert_true(features_of("(module (func (result i32 i32) (i32.const 1) (i32.const 2)))") & WK_OPTF_MULTIVALUE);
  assert_true(features_of("(module (table 1 externref))") & WK_OPTF_REFERENCE_TYPES);
  assert_true(features_of("(module (func (result v128) (v128.const i32x4 0 0 0 0)))") & WK_OPTF_SIMD);
  assert_true(features_of("(module (global (export \"g\") (mut i32) (i32.const 0)))") & WK_OPTF_MUTABLE_GLOBALS);
  /* tool-conventions Linking.md target_features: vec(prefix:byte name); `+` and `=` features are
   * used, `-` ones not; a padded LEB128 length reads as its value (Core 5.2.2), and a count past
   * the section's entries stops at its end */
  assert_int_equal(features_of("(module (@custom \"target_features\" \"\\03+\\08sign-ext-\\07simd128=\\82\\80\\00gc\"))"),
                   WK_OPTF_SIGN_EXT | WK_OPTF_GC);
  assert_int_equal(features_of("(module (@custom \"target_features\" \"\\09+\\09tail-call\"))"), WK_OPTF_TAIL_CALL);
  /* a length past the section: what was read before it counts */
  assert_int_equal(features_of("(module (@custom \"target_features\" \"\\02+\\02gc+\\7fxx\"))"), WK_OPTF_GC);
  /* not WebAssembly 2.0 (or not a module at all): unknown, binaryen gets every feature */
  assert_int_equal(wk_opt_detect_features((const uint8_t *)"\0asm\1\0\0\0\1", 9), WK_OPTF_UNKNOWN);
}

static void test_producers_add(void **state) {
  wk_buf a = {0}, b = {0}, c = {0};
  wk_error e;
  assert_int_equal(wk_producers_add(NULL, 0, "processed-by", "wcompose", "0.1.0", &a, &e), WK_OK);
  /* vec(1) "processed-by" vec(1) "wcompose" "0.1.0" */
  static const uint8_t want[] = "\x01\x0cprocessed-by\x01\x08wcompose\x05" "0.1.0";
  assert_int_equal(a.len, sizeof want - 1);
  assert_memory_equal(a.data, want, a.len);
  /* the same name again replaces the version; a new field goes at the end */
  assert_int_equal(wk_producers_add(a.data, a.len, "processed-by", "wcompose", "0.2", &b, &e), WK_OK);
  assert_int_equal(wk_producers_add(b.data, b.len, "language", "C11", "", &c, &e), WK_OK);
  wk_arena ar = {0};
  wk_producers p;
  assert_int_equal(wk_producers_parse(c.data, c.len, 0, &ar, &p, &e), WK_OK);
  assert_int_equal(p.n, 2);
  assert_int_equal(p.fields[0].n, 1);
  assert_memory_equal(p.fields[0].values[0].version.s, "0.2", 3);
  assert_memory_equal(p.fields[1].name.s, "language", 8);
  wk_arena_free(&ar);
  wk_buf d = {0};
  assert_int_equal(wk_producers_add((const uint8_t *)"\x05", 1, "sdk", "x", "1", &d, &e), WK_ERR_MALFORMED);
  wk_buf_free(&a); wk_buf_free(&b); wk_buf_free(&c); wk_buf_free(&d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_features),
      cmocka_unit_test(test_producers_add),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
