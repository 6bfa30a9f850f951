/* Unit tests for lib/encode's WAT reader (wat_sx.c) and text -> binary (wat.c, wat_core*.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "encode/wat.h"

static int rd(const char *s, wk_sx_doc *d, wk_error *e) { return wk_sx_read(s, strlen(s), d, e); }

static void test_sx_tokens(void **state) {
  (void)state;
  wk_sx_doc d;
  wk_error e;
  const char *src = "(module $m ;; line comment\n"
                    "  (; block (; nested ;) ;) (func (i32.const -0x1_0) \"a\\n\\u{e9}\\41\" $\"x y\" offset=4))";
  assert_int_equal(rd(src, &d, &e), WK_OK);
  assert_int_equal(d.n, 1);
  wk_sx *m = &d.top[0];
  assert_true(wk_sx_head(m, "module"));
  assert_int_equal(m->n, 3);
  assert_true(wk_sx_is(&m->kids[1], WK_SX_ID, "m"));
  wk_sx *f = &m->kids[2];
  assert_int_equal(f->line, 2);
  assert_int_equal(f->col, 28);
  assert_true(wk_sx_head(f, "func"));
  assert_int_equal(f->n, 5);
  assert_true(wk_sx_is(&f->kids[1].kids[1], WK_SX_RESERVED, "-0x1_0"));
  assert_int_equal(f->kids[2].kind, WK_SX_STRING);
  assert_int_equal(f->kids[2].len, 5);
  assert_memory_equal(f->kids[2].text, "a\n\xc3\xa9" "A", 5);
  assert_true(wk_sx_is(&f->kids[3], WK_SX_ID, "x y"));
  assert_true(wk_sx_is(&f->kids[4], WK_SX_KEYWORD, "offset=4"));
  assert_false(wk_sx_head(f, "module"));
  wk_sx_free(&d);
}

static void test_sx_annotation_and_nul(void **state) {
  (void)state;
  wk_sx_doc d;
  wk_error e;
  assert_int_equal(rd("(@custom \"n\" \"\\00\\ff\") x", &d, &e), WK_OK);
  assert_int_equal(d.n, 2);
  assert_int_equal(d.top[0].kids[0].kind, WK_SX_ANNOT);
  assert_true(wk_sx_is(&d.top[0].kids[0], WK_SX_ANNOT, "custom"));
  assert_int_equal(d.top[0].kids[2].len, 2);
  assert_memory_equal(d.top[0].kids[2].text, "\0\xff", 2);
  wk_sx_free(&d);
}

static void expect_err(const char *src, uint32_t line, uint32_t col, const char *frag) {
  wk_sx_doc d;
  wk_error e;
  int rc = rd(src, &d, &e);
  if (rc != WK_ERR_MALFORMED) fail_msg("accepted: %s", src);
  assert_int_equal(e.line, line);
  assert_int_equal(e.col, col);
  if (!strstr(e.msg, frag)) fail_msg("'%s': message '%s' lacks '%s'", src, e.msg, frag);
  wk_sx_free(&d);
}

static void test_sx_errors(void **state) {
  (void)state;
  expect_err("(module", 1, 1, "unclosed");
  expect_err("(a))", 1, 4, "unexpected `)`");
  expect_err("(a \"x", 1, 4, "unterminated string");
  expect_err("(a \"\\q\")", 1, 5, "escape");
  expect_err("(a \"\\u{d800}\")", 1, 5, "escape");
  expect_err("(a\n  \"\x01\")", 2, 4, "control");
  expect_err("(a (; x ;)\n(; y )", 2, 1, "block comment");
  expect_err("(i32.const 1\"x\")", 1, 13, "separated");
  expect_err("($)", 1, 2, "empty identifier");
  expect_err("(a \xc3)", 1, 4, "unexpected character");
  expect_err("(a \"\xc3(\")", 1, 5, "UTF-8");
}

static void test_sx_depth(void **state) {
  (void)state;
  size_t n = WK_SX_MAX_DEPTH + 5;
  char *s = malloc(2 * n + 1);
  memset(s, '(', n);
  memset(s + n, ')', n);
  s[2 * n] = 0;
  wk_sx_doc d;
  wk_error e;
  assert_int_equal(rd(s, &d, &e), WK_ERR_MALFORMED);
  assert_non_null(strstr(e.msg, "deep"));
  wk_sx_free(&d);
  memset(s, '(', WK_SX_MAX_DEPTH); /* exactly the limit: accepted */
  memset(s + WK_SX_MAX_DEPTH, ')', WK_SX_MAX_DEPTH);
  s[2 * WK_SX_MAX_DEPTH] = 0;
  assert_int_equal(rd(s, &d, &e), WK_OK);
  wk_sx_free(&d);
  free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sx_tokens),
      cmocka_unit_test(test_sx_annotation_and_nul),
      cmocka_unit_test(test_sx_errors),
      cmocka_unit_test(test_sx_depth),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
