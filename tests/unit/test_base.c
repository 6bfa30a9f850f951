/* Unit tests for lib/base: errors, buffers, LEB128 writers, arena, file I/O. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "encode/sections.h"

static void test_uleb_roundtrip(void **state) {
  static const uint64_t vals[] = {0, 1, 127, 128, 300, 0xffffffffull, 0xffffffffffffffffull};
  for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
    wk_buf b = {0};
    wk_buf_uleb(&b, vals[i]);
    size_t pos = 0;
    uint64_t out = 0;
    unsigned bits = vals[i] > 0xffffffffull ? 64 : 32;
    assert_int_equal(wk_read_uleb(b.data, b.len, &pos, bits, &out, NULL), WK_OK);
    assert_true(out == vals[i]);
    assert_int_equal(pos, b.len);
    wk_buf_free(&b);
  }
}

static void test_uleb_errors(void **state) {
  wk_error e;
  size_t pos = 0;
  uint64_t v;
  const uint8_t too_long[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  assert_int_equal(wk_read_uleb(too_long, sizeof too_long, &pos, 32, &v, &e), WK_ERR_MALFORMED);
  assert_non_null(strstr(e.msg, "too long"));
  const uint8_t too_big[] = {0xff, 0xff, 0xff, 0xff, 0x1f};
  pos = 0;
  assert_int_equal(wk_read_uleb(too_big, sizeof too_big, &pos, 32, &v, &e), WK_ERR_MALFORMED);
  assert_non_null(strstr(e.msg, "too large"));
  const uint8_t trunc[] = {0x80};
  pos = 0;
  assert_int_equal(wk_read_uleb(trunc, sizeof trunc, &pos, 32, &v, &e), WK_ERR_MALFORMED);
  assert_int_equal(e.offset, 1);
}

static void test_sleb(void **state) {
  wk_buf b = {0};
  wk_buf_sleb(&b, -1);
  wk_buf_sleb(&b, 63);
  wk_buf_sleb(&b, 64);
  wk_buf_sleb(&b, -65);
  const uint8_t want[] = {0x7f, 0x3f, 0xc0, 0x00, 0xbf, 0x7f};
  assert_int_equal(b.len, sizeof want);
  assert_memory_equal(b.data, want, sizeof want);
  wk_buf_free(&b);
}

static void test_utf8(void **state) {
  assert_true(wk_utf8_valid((const uint8_t *)"h\xc3\xa9llo", 6));
  assert_false(wk_utf8_valid((const uint8_t *)"\xc0\xaf", 2));         /* overlong */
  assert_false(wk_utf8_valid((const uint8_t *)"\xed\xa0\x80", 3));     /* surrogate */
  assert_false(wk_utf8_valid((const uint8_t *)"\xe2\x82", 2));         /* truncated */
}

static void test_sections(void **state) {
  /* magic, version, custom "ab" with 1 content byte, type section of size 1 */
  const uint8_t mod[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 0, 4, 2, 'a', 'b', 9, 1, 1, 0};
  wk_section_iter it;
  wk_section s;
  wk_error e;
  assert_int_equal(wk_sections_begin(&it, mod, sizeof mod, &e), WK_OK);
  assert_int_equal(it.kind, WK_BIN_MODULE);
  assert_int_equal(wk_sections_next(&it, &s, &e), 1);
  assert_int_equal(s.id, 0);
  assert_int_equal(s.name_len, 2);
  assert_memory_equal(s.name, "ab", 2);
  assert_int_equal(s.content_offset, 13);
  assert_int_equal(wk_sections_next(&it, &s, &e), 1);
  assert_int_equal(s.id, 1);
  assert_int_equal(s.payload_len, 1);
  assert_int_equal(wk_sections_next(&it, &s, &e), 0);
  /* payload runs past the end */
  const uint8_t bad[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 5, 0};
  assert_int_equal(wk_sections_begin(&it, bad, sizeof bad, &e), WK_OK);
  assert_int_equal(wk_sections_next(&it, &s, &e), -1);
  assert_int_equal(e.code, WK_ERR_MALFORMED);
  const uint8_t badmagic[] = {0, 'a', 's', 'x', 1, 0, 0, 0};
  assert_int_equal(wk_sections_begin(&it, badmagic, sizeof badmagic, &e), WK_ERR_MALFORMED);
}

static void test_atomic_write(void **state) {
  char dir[] = "/tmp/wk-test-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[64];
  snprintf(path, sizeof path, "%s/out.bin", dir);
  wk_error e;
  assert_int_equal(wk_write_file_atomic(path, "hello", 5, &e), WK_OK);
  uint8_t *data;
  size_t len;
  assert_int_equal(wk_read_file(path, &data, &len, &e), WK_OK);
  assert_int_equal(len, 5);
  assert_memory_equal(data, "hello", 5);
  free(data);
  char bad[96];
  snprintf(bad, sizeof bad, "%s/missing-dir/out.bin", dir);
  assert_int_equal(wk_write_file_atomic(bad, "x", 1, &e), WK_ERR_IO);
  assert_int_equal(wk_read_file(bad, &data, &len, &e), WK_ERR_IO);
  unlink(path);
  rmdir(dir);
}

static void test_arena(void **state) {
  wk_arena a = {0};
  for (int i = 0; i < 10000; i++) {
    char *p = wk_arena_alloc(&a, (size_t)(i % 100) + 1);
    assert_non_null(p);
    assert_int_equal(((uintptr_t)p) % 16, 0);
  }
  char *big = wk_arena_alloc(&a, 1 << 20);
  assert_non_null(big);
  assert_string_equal(wk_arena_strndup(&a, "abcdef", 3), "abc");
  wk_arena_free(&a);
}

/* wk_arena_alloc's small-request fast path (no limit) and the raw path of wk_arena_strndup: every
 * request comes back zeroed although the caller dirtied all it was given before, and a limit
 * still counts each request rounded up to 16 and sets `over`. */
static void test_arena_zero_and_limit(void **state) {
  wk_arena a = {0};
  for (int i = 0; i < 20000; i++) {
    size_t n = (size_t)(i * 7 % 90);
    if (i % 5 == 0) {
      char src[100];
      memset(src, 'x', sizeof src);
      char *s = wk_arena_strndup(&a, src, n);
      assert_non_null(s);
      assert_int_equal(strlen(s), n);
      continue;
    }
    unsigned char *p = wk_arena_alloc(&a, n);
    assert_non_null(p);
    for (size_t k = 0; k < n; k++) assert_int_equal(p[k], 0);
    memset(p, 0xa5, n);
  }
  wk_arena_free(&a);
  wk_arena l = {0};
  l.limit = 100;
  assert_non_null(wk_arena_alloc(&l, 1)); /* 16 */
  assert_non_null(wk_arena_alloc(&l, 40)); /* 48: 64 */
  assert_int_equal(l.total, 64);
  assert_null(wk_arena_alloc(&l, 40)); /* would be 112 */
  assert_int_equal(l.over, 1);
  assert_non_null(wk_arena_strndup(&l, "abc", 3)); /* 16: 80 */
  assert_int_equal(l.total, 80);
  assert_null(wk_arena_strndup(&l, "abcdefghijklmnopq", 17)); /* 32: 112 */
  wk_arena_free(&l);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_uleb_roundtrip), cmocka_unit_test(test_uleb_errors),
      cmocka_unit_test(test_sleb),           cmocka_unit_test(test_utf8),
      cmocka_unit_test(test_sections),       cmocka_unit_test(test_atomic_write),
      cmocka_unit_test(test_arena),          cmocka_unit_test(test_arena_zero_and_limit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
