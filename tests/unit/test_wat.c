/* Unit tests for lib/encode's WAT reader (wat_sx.c) and text -> binary (wat.c, wat_core*.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "encode/component.h"
#include "encode/encode.h"
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
  expect_err("(a $\"\\ff\")", 1, 4, "UTF-8");
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


static int wat(const char *src, wk_buf *b, wk_error *e) {
  memset(b, 0, sizeof *b);
  return wk_wat_to_binary(src, strlen(src), b, e);
}

/* bytes checked against `jco parse` (wasm-tools 1.x) for the same text */
static void test_core_values_and_folded_if(void **state) {
  (void)state;
  static const uint8_t want[] = {
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x12, 0x04, 0x60, 0x00, 0x01, 0x7d, 0x60, 0x00, 0x01,
      0x7e, 0x60, 0x00, 0x01, 0x7c, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x03, 0x05, 0x04, 0x00, 0x01, 0x02, 0x03, 0x05,
      0x03, 0x01, 0x00, 0x01, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, 0x30, 0x04, 0x07, 0x00, 0x43, 0x00,
      0x00, 0xa0, 0x7f, 0x0b, 0x0d, 0x00, 0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f, 0x0b,
      0x0b, 0x00, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x40, 0x0b, 0x0c, 0x00, 0x20, 0x00, 0x04, 0x7f,
      0x41, 0x7f, 0x05, 0x41, 0x7f, 0x0b, 0x0b, 0x0b, 0x09, 0x01, 0x00, 0x41, 0x08, 0x0b, 0x03, 0x61, 0x00, 0x62};
  const char *src = "(module\n"
                    "  (func (export \"f\") (result f32) (f32.const nan:0x200000))\n"
                    "  (func (result i64) (i64.const -0x8000_0000_0000_0000))\n"
                    "  (func (result f64) (f64.const 0x1.8p+1))\n"
                    "  (func (param i32) (result i32)\n"
                    "    (if (result i32) (local.get 0) (then (i32.const 0xffffffff)) (else (i32.const -1))))\n"
                    "  (memory 1)\n"
                    "  (data (i32.const 8) \"a\\00b\"))";
  wk_buf b;
  wk_error e;
  assert_int_equal(wat(src, &b, &e), WK_OK);
  assert_int_equal(b.len, sizeof want);
  assert_memory_equal(b.data, want, sizeof want);
  wk_buf_free(&b);
}

/* the name section wasm-tools writes for $ids: module, funcs, locals, labels, types, tables, memories, globals, elems, data */
static void test_core_names(void **state) {
  (void)state;
  const char *src = "(module $m (type $t (func (param i32) (result i32)))\n"
                    " (import \"a\" \"b\" (func $imp (param i32)))\n"
                    " (global $g (mut i32) (i32.const 0)) (memory $mem 1) (table $tab 1 funcref)\n"
                    " (elem $e func $f) (data $d \"hi\")\n"
                    " (func $f (type $t) (param $x i32) (result i32) (local $y i32)\n"
                    "   block $l br $l end local.get $x))";
  static const uint8_t names[] = {0x00, 0x4f, 0x04, 'n',  'a',  'm',  'e',  0x00, 0x02, 0x01, 'm',  0x01, 0x09,
                                  0x02, 0x00, 0x03, 'i',  'm',  'p',  0x01, 0x01, 'f',  0x02, 0x09, 0x01, 0x01,
                                  0x02, 0x00, 0x01, 'x',  0x01, 0x01, 'y',  0x03, 0x06, 0x01, 0x01, 0x01, 0x00,
                                  0x01, 'l',  0x04, 0x04, 0x01, 0x00, 0x01, 't',  0x05, 0x06, 0x01, 0x00, 0x03,
                                  't',  'a',  'b',  0x06, 0x06, 0x01, 0x00, 0x03, 'm',  'e',  'm',  0x07, 0x04,
                                  0x01, 0x00, 0x01, 'g',  0x08, 0x04, 0x01, 0x00, 0x01, 'e',  0x09, 0x04, 0x01,
                                  0x00, 0x01, 'd'};
  wk_buf b;
  wk_error e;
  assert_int_equal(wat(src, &b, &e), WK_OK);
  assert_true(b.len > sizeof names);
  assert_memory_equal(b.data + b.len - sizeof names, names, sizeof names);
  wk_buf_free(&b);
}

static void expect_wat_err(const char *src, uint32_t line, uint32_t col, const char *frag) {
  wk_buf b;
  wk_error e;
  int rc = wat(src, &b, &e);
  wk_buf_free(&b);
  if (rc != WK_ERR_MALFORMED) fail_msg("not rejected (%d): %s", rc, src);
  if (e.line != line || e.col != col || !strstr(e.msg, frag))
    fail_msg("'%s': got %u:%u '%s', want %u:%u '%s'", src, e.line, e.col, e.msg, line, col, frag);
}

static void test_core_errors(void **state) {
  (void)state;
  expect_wat_err("(module (func\n  i32.bogus))", 2, 3, "unknown operator");
  expect_wat_err("(module (func br $nope))", 1, 18, "unknown label");
  expect_wat_err("(module (func block $a end $b))", 1, 28, "mismatching label");
  expect_wat_err("(module (func (i32.const 0x1_0000_0000) drop))", 1, 26, "constant out of range");
  expect_wat_err("(module (func (f32.const 1e39) drop))", 1, 26, "constant out of range");
  expect_wat_err("(module (func) (import \"a\" \"b\" (func)))", 1, 16, "import after function");
  expect_wat_err("(module (func $f) (func $f))", 1, 25, "duplicate func");
  expect_wat_err("(module (func (local $x i32) (local $x i32)))", 1, 37, "duplicate local");
  expect_wat_err("(module (type (func)) (func (type 0) (param i32)))", 1, 29, "type mismatch");
  expect_wat_err("(module (start 0) (start 0) (func))", 1, 19, "multiple start");
  expect_wat_err("(module (func (call $g)))", 1, 21, "unknown func");
  expect_wat_err("(module (memory 1) (func (i32.load align=3 (i32.const 0)) drop))", 1, 36, "power of two");
  expect_wat_err("(module (func (export \"\\ff\")))", 1, 23, "UTF-8");
  expect_wat_err("(module (func (v128.const i32x4 1 2 3) drop))", 1, 27, "wrong number of lane literals");
}

/* deep plain nesting uses no recursion; the reader bounds folded nesting */
/* Limits above 2^32-1 on an i32 table/memory: Core 3.0 text reads limits as u64 (encoded as
 * written, as wasm-tools parse does: bytes compared with its output) and validation rejects them;
 * the 2.0 text (WK_WAT_CORE2) keeps them malformed, as the 2.0 spec tests say. */
static void test_core_limits_u64(void **state) {
  (void)state;
  static const struct { const char *src; uint8_t bytes[10]; const char *inv; } c[] = {
      {"(module (table 0x1_0000_0000 funcref))", {0x04, 0x08, 0x01, 0x70, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10},
       "table size must be at most 2^32-1"},
      {"(module (memory 0x1_0000_0000))", {0x05, 0x07, 0x01, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10},
       "memory size must be at most 65536 pages"},
  };
  for (size_t k = 0; k < 2; k++) {
    wk_buf b = {0};
    wk_error e;
    assert_int_equal(wk_wat_to_binary(c[k].src, strlen(c[k].src), &b, &e), WK_OK);
    size_t n = k ? 9 : 10;
    assert_int_equal(b.len, 8 + n);
    assert_memory_equal(b.data + 8, c[k].bytes, n);
    wk_core_module *m = NULL;
    assert_int_equal(wk_core_decode_features(b.data, b.len, WK_FEAT_ALL, &m, &e), WK_OK);
    assert_int_equal(wk_core_validate_features(m, WK_FEAT_ALL, &e), WK_ERR_INVALID);
    assert_non_null(strstr(e.msg, c[k].inv));
    assert_int_equal(e.offset, 11);
    wk_core_free(m);
    /* 2.0 decoding: limits are u32, the 5-byte LEB is too large */
    assert_int_equal(wk_core_decode_features(b.data, b.len, 0, &m, &e), WK_ERR_MALFORMED);
    wk_buf_free(&b);
    /* 2.0 text */
    assert_int_equal(wk_wat_to_binary_ex(c[k].src, strlen(c[k].src), WK_WAT_CORE2, &b, &e), WK_ERR_MALFORMED);
    assert_non_null(strstr(e.msg, "constant out of range"));
    wk_buf_free(&b);
  }
}

/* Every limits form through the one limits reader (put_limits_): address type, one or two numbers,
 * 3.0 (u64) and 2.0 (u32, but u64 after `i64`) text; the memory section's bytes. */
static void test_core_limits_forms(void **state) {
  (void)state;
  static const struct { const char *src; unsigned flags; uint8_t sec[12]; size_t n; } c[] = {
      {"(module (memory 1))", 0, {0x05, 0x03, 0x01, 0x00, 0x01}, 5},
      {"(module (memory i32 1 2))", 0, {0x05, 0x04, 0x01, 0x01, 0x01, 0x02}, 6},
      {"(module (memory i64 1))", 0, {0x05, 0x03, 0x01, 0x04, 0x01}, 5},
      {"(module (memory i64 1 0x1_0000_0000))", WK_WAT_CORE2,
       {0x05, 0x08, 0x01, 0x05, 0x01, 0x80, 0x80, 0x80, 0x80, 0x10}, 10},
      {"(module (memory 3 4))", WK_WAT_CORE2, {0x05, 0x04, 0x01, 0x01, 0x03, 0x04}, 6},
      {"(module (memory 1 2 shared))", 0, {0x05, 0x04, 0x01, 0x03, 0x01, 0x02}, 6},
  };
  for (size_t k = 0; k < sizeof c / sizeof c[0]; k++) {
    wk_buf b = {0};
    wk_error e;
    assert_int_equal(wk_wat_to_binary_ex(c[k].src, strlen(c[k].src), c[k].flags, &b, &e), WK_OK);
    if (b.len != 8 + c[k].n || memcmp(b.data + 8, c[k].sec, c[k].n)) fail_msg("%s: wrong bytes", c[k].src);
    wk_buf_free(&b);
  }
  static const char *bad[] = {"(module (memory))", "(module (memory i64))", "(module (memory i32 $x))"};
  for (size_t k = 0; k < 3; k++) {
    wk_buf b = {0};
    wk_error e;
    assert_int_equal(wk_wat_to_binary(bad[k], strlen(bad[k]), &b, &e), WK_ERR_MALFORMED);
    assert_non_null(strstr(e.msg, "expected limits"));
    wk_buf_free(&b);
  }
}

/* The threads proposal's `shared` memories: parsed (flag 0x03, bytes as wasm-tools parse
 * writes them), decoded, re-encoded and printed; validation rejects them (no threads, as
 * wasm-tools with threads disabled); a shared table is an error; 2.0 decoding: malformed. */
static void test_core_shared_memory(void **state) {
  (void)state;
  const char *src = "(module (memory 1 2 shared))";
  wk_buf b = {0}, again = {0}, txt = {0};
  wk_error e;
  assert_int_equal(wk_wat_to_binary(src, strlen(src), &b, &e), WK_OK);
  static const uint8_t want[] = {0x05, 0x04, 0x01, 0x03, 0x01, 0x02};
  assert_int_equal(b.len, 8 + sizeof want);
  assert_memory_equal(b.data + 8, want, sizeof want);
  wk_core_module *m = NULL;
  assert_int_equal(wk_core_decode_features(b.data, b.len, WK_FEAT_ALL, &m, &e), WK_OK);
  assert_true(m->mems[0].shared);
  assert_int_equal(wk_core_encode(m, &again, &e), WK_OK);
  assert_int_equal(again.len, b.len);
  assert_memory_equal(again.data, b.data, b.len);
  assert_int_equal(wk_core_validate_features(m, WK_FEAT_ALL, &e), WK_ERR_INVALID);
  assert_non_null(strstr(e.msg, "threads must be enabled for shared memories"));
  assert_int_equal(e.offset, 11);
  wk_core_free(m);
  assert_int_equal(wk_coremod_print_module(b.data, b.len, &txt, &e), WK_OK);
  wk_buf_byte(&txt, 0);
  assert_non_null(strstr((const char *)txt.data, " 1 2 shared)"));
  assert_int_equal(wk_core_decode_features(b.data, b.len, 0, &m, &e), WK_ERR_MALFORMED);
  wk_buf_free(&b), wk_buf_free(&again), wk_buf_free(&txt);
  const char *tab = "(module (table 1 2 shared funcref))";
  assert_int_equal(wk_wat_to_binary(tab, strlen(tab), &b, &e), WK_ERR_MALFORMED);
  wk_buf_free(&b);
}

/* Annotations (Core 3.0 text/lexical.rst): any tokens inside, reserved ones included, nested
 * `(@)` is a plain list there; outside, and for bad ids, the errors of annotations.wast. */
static void test_core_annotation_tokens(void **state) {
  (void)state;
  static const char *ok[] = {
      "(module (@a x-y$yz\"aa\"-2) (func))",
      "(module (@a , ; ] [ }} }x{ ({) ,{{};}] ;) (func))",
      "(module (@a @ @x (@x) (@x y) (@) (@ x) (@(@(@(@))))))",
      "(module (@a (;bla;) (; ) ;)\n ;; bla)\n ;; bla (@x\n ))",
  };
  for (size_t k = 0; k < sizeof ok / sizeof *ok; k++) {
    wk_buf b = {0};
    wk_error e;
    if (wk_wat_to_binary(ok[k], strlen(ok[k]), &b, &e)) fail_msg("%s: %s", ok[k], e.msg);
    wk_buf_free(&b);
  }
  static const char *bad[] = {"(@a \x01)", "(@\"\xef\")", "(@)", "(@x ", "(@x))", "((@a)@b)", "(module (func) (@a a\"))"};
  for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
    wk_buf b = {0};
    wk_error e;
    if (wk_wat_to_binary(bad[k], strlen(bad[k]), &b, &e) != WK_ERR_MALFORMED) fail_msg("accepted: %s", bad[k]);
    wk_buf_free(&b);
  }
  wk_buf b = {0};
  wk_error e;
  static const char nul[] = "(@a \0)";
  assert_int_equal(wk_wat_to_binary(nul, sizeof nul - 1, &b, &e), WK_ERR_MALFORMED);
  wk_buf_free(&b);
}

static void test_core_deep_blocks(void **state) {
  (void)state;
  size_t depth = 100000;
  wk_buf src = {0};
  wk_buf_str(&src, "(module (func ");
  for (size_t i = 0; i < depth; i++) wk_buf_str(&src, "block ");
  for (size_t i = 0; i < depth; i++) wk_buf_str(&src, "end ");
  wk_buf_str(&src, "))");
  wk_buf b = {0};
  wk_error e;
  assert_int_equal(wk_wat_to_binary((const char *)src.data, src.len, &b, &e), WK_OK);
  wk_buf_free(&b);
  src.len = 0;
  wk_buf_str(&src, "(module (func ");
  for (size_t i = 0; i < 2000; i++) wk_buf_str(&src, "(block ");
  for (size_t i = 0; i < 2000; i++) wk_buf_str(&src, ")");
  wk_buf_str(&src, "))");
  assert_int_equal(wk_wat_to_binary((const char *)src.data, src.len, &b, &e), WK_ERR_MALFORMED);
  assert_non_null(strstr(e.msg, "deep"));
  wk_buf_free(&b);
  wk_buf_free(&src);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sx_tokens),
      cmocka_unit_test(test_sx_annotation_and_nul),
      cmocka_unit_test(test_sx_errors),
      cmocka_unit_test(test_sx_depth),
      cmocka_unit_test(test_core_values_and_folded_if),
      cmocka_unit_test(test_core_names),
      cmocka_unit_test(test_core_errors),
      cmocka_unit_test(test_core_deep_blocks),
      cmocka_unit_test(test_core_limits_u64),
      cmocka_unit_test(test_core_limits_forms),
      cmocka_unit_test(test_core_shared_memory),
      cmocka_unit_test(test_core_annotation_tokens),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
