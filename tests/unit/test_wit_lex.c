/* Unit tests for the lib/witparse lexer (WIT.md "Lexical structure"), identifier
 * validation (WIT.md "Identifiers") and semver precedence (semver.org §11). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "witparse/internal.h"

/* Lex `src` into kinds[] (up to cap, ending with T_EOF). Returns 0 on success or
 * the error code (with *diag filled) when the lexer rejects the input. */
static int lex_all(const char *src, int *kinds, size_t cap, size_t *n, wit_diag *diag) {
  wit_resolve *r = wit_resolve_new();
  assert_non_null(r);
  r->files = wk_arena_alloc(&r->arena, sizeof(wit_file));
  r->files[0].path = "t.wit";
  r->files[0].text = src;
  r->files[0].len = strlen(src);
  r->n_files = r->cap_files = 1;
  wctx c;
  memset(&c, 0, sizeof c);
  c.r = r;
  c.diag = diag;
  c.tmp = &r->arena;
  *n = 0;
  int rc = setjmp(c.jb);
  if (rc) {
    wit_resolve_free(r);
    return rc;
  }
  lexer l;
  lex_init(&c, &l, 0, src, (uint32_t)strlen(src));
  for (;;) {
    token t = lex_next(&l);
    if (*n < cap) kinds[(*n)++] = t.kind;
    if (t.kind == T_EOF) break;
  }
  wit_resolve_free(r);
  return 0;
}

static void test_tokens(void **state) {
  int k[64];
  size_t n;
  wit_diag d;
  assert_int_equal(lex_all("package foo:bar@1.2.3; // c\n/* a /* nested */ b */ %record -> list<u8>", k, 64, &n, &d), 0);
  const int want[] = {T_PACKAGE, T_ID,       T_COLON, T_ID,     T_AT,   T_INTEGER, T_PERIOD, T_INTEGER, T_PERIOD, T_INTEGER,
                      T_SEMI,    T_EXPLICIT_ID, T_RARROW, T_LIST, T_LT, T_U8,      T_GT,     T_EOF};
  assert_int_equal(n, sizeof want / sizeof want[0]);
  for (size_t i = 0; i < n; i++) assert_int_equal(k[i], want[i]);
}

static void test_keywords_and_ids(void **state) {
  int k[16];
  size_t n;
  wit_diag d;
  /* `error-context` is one keyword; `error-contexts` an identifier; `-` alone is minus */
  assert_int_equal(lex_all("error-context error-contexts async func - _", k, 16, &n, &d), 0);
  const int want[] = {T_ERROR_CONTEXT, T_ID, T_ASYNC, T_FUNC, T_MINUS, T_UNDERSCORE, T_EOF};
  assert_int_equal(n, sizeof want / sizeof want[0]);
  for (size_t i = 0; i < n; i++) assert_int_equal(k[i], want[i]);
}

static void test_crlf_and_bom(void **state) {
  int k[8];
  size_t n;
  wit_diag d;
  assert_int_equal(lex_all("\xEF\xBB\xBFworld w {\r\n}\r\n", k, 8, &n, &d), 0);
  const int want[] = {T_WORLD, T_ID, T_LBRACE, T_RBRACE, T_EOF};
  assert_int_equal(n, sizeof want / sizeof want[0]);
  for (size_t i = 0; i < n; i++) assert_int_equal(k[i], want[i]);
}

static void test_lex_errors(void **state) {
  int k[8];
  size_t n;
  wit_diag d;
  assert_int_equal(lex_all("a /* never closed", k, 8, &n, &d), WK_ERR_INVALID);
  assert_non_null(strstr(d.err.msg, "unterminated block comment"));
  assert_int_equal(d.err.line, 1);
  assert_int_equal(d.err.col, 3);
  /* bidirectional override (CVE-2021-42574) and control codes are rejected */
  assert_int_equal(lex_all("a \xE2\x80\xAE b", k, 8, &n, &d), WK_ERR_INVALID);
  assert_non_null(strstr(d.err.msg, "bidirectional"));
  assert_int_equal(lex_all("a\x01", k, 8, &n, &d), WK_ERR_INVALID);
  assert_int_equal(lex_all("a\nb # c", k, 8, &n, &d), WK_ERR_INVALID);
  assert_int_equal(d.err.line, 2);
  assert_int_equal(d.err.col, 3);
  assert_int_equal(lex_all("\"unterminated", k, 8, &n, &d), WK_ERR_INVALID);
}

static void test_valid_id(void **state) {
  static const char *const good[] = {"a", "foo-bar", "FOO-bar", "a1-b2", "x-1", "HTTP-response"};
  static const char *const bad[] = {"", "-a", "a-", "a--b", "1a", "fooBar", "a_b", "a-B1c", "é"};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) assert_true(wit_valid_id(good[i], strlen(good[i])));
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) assert_false(wit_valid_id(bad[i], strlen(bad[i])));
}

static void test_nearest(void **state) {
  static const char *const c[] = {"descriptor", "directory-entry", "error-code"};
  assert_string_equal(wit_nearest("descripter", c, 3), "descriptor");
  assert_string_equal(wit_nearest("error-cod", c, 3), "error-code");
  assert_null(wit_nearest("zzz", c, 3));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tokens),     cmocka_unit_test(test_keywords_and_ids), cmocka_unit_test(test_crlf_and_bom),
      cmocka_unit_test(test_lex_errors), cmocka_unit_test(test_valid_id),
      cmocka_unit_test(test_nearest),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
