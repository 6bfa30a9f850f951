/* Guest for ../shared/corpora/wit-bindgen-runtime-wit/lists (world `test`),
 * with the values wit-bindgen's runtime test uses: the list-param* functions
 * trap (abort) unless given exactly those values; list-result* return them;
 * the minmax / roundtrip functions return their arguments (ownership moves
 * to the result, freed by post-return). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

static int str_is(const test_string_t *s, const char *want) {
  return s->len == strlen(want) && !memcmp(s->ptr, want, s->len);
}
static void check(int ok) {
  if (!ok) abort();
}
static void set_str(test_string_t *ret, const char *s) { test_string_dup(ret, s); }

void exports_test_lists_to_test_empty_list_param(test_list_u8_t *a) { check(a->len == 0); }
void exports_test_lists_to_test_empty_string_param(test_string_t *a) { check(a->len == 0); }
void exports_test_lists_to_test_empty_list_result(test_list_u8_t *ret) {
  ret->ptr = NULL;
  ret->len = 0;
}
void exports_test_lists_to_test_empty_string_result(test_string_t *ret) {
  ret->ptr = NULL;
  ret->len = 0;
}
void exports_test_lists_to_test_list_param(test_list_u8_t *a) {
  check(a->len == 4 && a->ptr[0] == 1 && a->ptr[1] == 2 && a->ptr[2] == 3 && a->ptr[3] == 4);
  test_list_u8_free(a);
}
void exports_test_lists_to_test_list_param2(test_string_t *a) {
  check(str_is(a, "foo"));
  test_string_free(a);
}
void exports_test_lists_to_test_list_param3(test_list_string_t *a) {
  check(a->len == 3 && str_is(&a->ptr[0], "foo") && str_is(&a->ptr[1], "bar") && str_is(&a->ptr[2], "baz"));
  test_list_string_free(a);
}
void exports_test_lists_to_test_list_param4(test_list_list_string_t *a) {
  check(a->len == 2 && a->ptr[0].len == 2 && a->ptr[1].len == 1 && str_is(&a->ptr[0].ptr[0], "foo") &&
        str_is(&a->ptr[0].ptr[1], "bar") && str_is(&a->ptr[1].ptr[0], "baz"));
  test_list_list_string_free(a);
}
void exports_test_lists_to_test_list_param5(test_list_tuple3_u8_u32_u8_t *a) {
  check(a->len == 2 && a->ptr[0].f0 == 1 && a->ptr[0].f1 == 2 && a->ptr[0].f2 == 3 && a->ptr[1].f0 == 4 &&
        a->ptr[1].f1 == 5 && a->ptr[1].f2 == 6);
  test_list_tuple3_u8_u32_u8_free(a);
}
/* 1000 strings "s0".."s999" (lists.cases.json's {"$strings": [1000, "s"]}) */
void exports_test_lists_to_test_list_param_large(test_list_string_t *a) {
  check(a->len == 1000);
  char want[16];
  for (size_t i = 0; i < a->len; i++) {
    snprintf(want, sizeof want, "s%zu", i);
    check(str_is(&a->ptr[i], want));
  }
  test_list_string_free(a);
}
void exports_test_lists_to_test_list_result(test_list_u8_t *ret) {
  ret->ptr = malloc(5);
  ret->len = 5;
  for (int i = 0; i < 5; i++) ret->ptr[i] = (uint8_t)(i + 1);
}
void exports_test_lists_to_test_list_result2(test_string_t *ret) { set_str(ret, "hello!"); }
void exports_test_lists_to_test_list_result3(test_list_string_t *ret) {
  ret->ptr = malloc(2 * sizeof *ret->ptr);
  ret->len = 2;
  set_str(&ret->ptr[0], "hello,");
  set_str(&ret->ptr[1], "world!");
}
void exports_test_lists_to_test_list_minmax8(test_list_u8_t *a, test_list_s8_t *b, test_tuple2_list_u8_list_s8_t *ret) {
  ret->f0 = *a;
  ret->f1 = *b;
}
void exports_test_lists_to_test_list_minmax16(test_list_u16_t *a, test_list_s16_t *b,
                                              test_tuple2_list_u16_list_s16_t *ret) {
  ret->f0 = *a;
  ret->f1 = *b;
}
void exports_test_lists_to_test_list_minmax32(test_list_u32_t *a, test_list_s32_t *b,
                                              test_tuple2_list_u32_list_s32_t *ret) {
  ret->f0 = *a;
  ret->f1 = *b;
}
void exports_test_lists_to_test_list_minmax64(test_list_u64_t *a, test_list_s64_t *b,
                                              test_tuple2_list_u64_list_s64_t *ret) {
  ret->f0 = *a;
  ret->f1 = *b;
}
void exports_test_lists_to_test_list_minmax_float(test_list_f32_t *a, test_list_f64_t *b,
                                                  test_tuple2_list_f32_list_f64_t *ret) {
  ret->f0 = *a;
  ret->f1 = *b;
}
void exports_test_lists_to_test_list_roundtrip(test_list_u8_t *a, test_list_u8_t *ret) { *ret = *a; }
void exports_test_lists_to_test_string_roundtrip(test_string_t *a, test_string_t *ret) { *ret = *a; }
void exports_test_lists_to_test_wasi_http_headers_roundtrip(test_list_tuple2_string_list_u8_t *a,
                                                            test_list_tuple2_string_list_u8_t *ret) {
  *ret = *a;
}
uint32_t exports_test_lists_to_test_allocated_bytes(void) { return 0; }
