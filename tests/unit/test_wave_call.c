/*
 * Unit tests for lib/canonabi's WAVE function calls (canonabi/value.h
 * wk_wave_call_name, wk_cval_parse_wave_args): the rules of wasm-tools
 * crates/wasm-wave (parser.rs parse_raw_func_call, lex.rs FuncNameToken,
 * ast.rs to_wasm_params) and wit-parser's ItemName, the syntax of
 * `wasmtime run --invoke`. Expected offsets are worked out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canonabi/value.h"

static const wk_cabi_type t_u32 = {.kind = WK_CABI_U32};
static const wk_cabi_type t_str = {.kind = WK_CABI_STRING};
static const wk_cabi_type *const opt_u32_kids[1] = {&t_u32};
static const wk_cabi_type t_opt_u32 = {.kind = WK_CABI_OPTION, .n = 1, .children = (const wk_cabi_type **)opt_u32_kids};
static const wk_cabi_type *const opt_str_kids[1] = {&t_str};
static const wk_cabi_type t_opt_str = {.kind = WK_CABI_OPTION, .n = 1, .children = (const wk_cabi_type **)opt_str_kids};

/* the name's length, or -1 - the error offset */
static long name_of(const char *s) {
  size_t n = 0;
  wk_error e;
  wk_error_clear(&e);
  if (wk_wave_call_name(s, strlen(s), &n, &e) == WK_OK) return (long)n;
  assert_int_equal(e.code, WK_ERR_MALFORMED);
  assert_true(e.has_offset);
  return -1 - (long)e.offset;
}

static void test_names(void **state) {
  (void)state;
  /* wasm-wave / ItemName forms: label, iface.label, ns:pkg/iface.label, @version at the end */
  assert_int_equal(name_of("nullary()"), 7);
  assert_int_equal(name_of("ui.string(\"\")"), 9);
  assert_int_equal(name_of("ui:tests/ui.nullary()"), 19);
  assert_int_equal(name_of("ui:tests/ui.string@0.1.0(\"\")"), 24);
  assert_int_equal(name_of("wasi:cli/run.run@0.2.0()"), 22);
  assert_int_equal(name_of("a-b2-C3(1)"), 7); /* words of one case each */
  assert_int_equal(name_of("f@1.2.3-rc.1+b5()"), 15);
  assert_int_equal(name_of("f (1)"), 1);
  /* wkit's form: ns:pkg/iface@version#label */
  assert_int_equal(name_of("wasi:cli/run@0.2.0#run()"), 22);
  assert_int_equal(name_of("wasi:cli/run@0.2.0-rc-2023-11-10#run()"), 36);
  assert_int_equal(name_of("demo:py/greet#greet(\"x\")"), 19);
  /* rejected: nothing before the name (wasm-wave's name lexer skips nothing), mixed-case words,
   * a digit first, a package without `/`, a short version, a leading zero */
  assert_int_equal(name_of(" f(1)"), -1);
  assert_int_equal(name_of("(1)"), -1);
  assert_int_equal(name_of(""), -1);
  assert_int_equal(name_of("fA()"), -1);
  assert_int_equal(name_of("1f()"), -1);
  assert_int_equal(name_of("ui:tests.f()"), -1 - 8);
  assert_int_equal(name_of("f@1.2()"), -1 - 1);
  assert_int_equal(name_of("f@01.2.3()"), -1 - 1);
  assert_int_equal(name_of("ui:tests/ui.()"), -1 - 12);
}

typedef struct call {
  int rc;
  uint32_t bad;
  uint64_t off;
  wk_cval v[4];
} call;

static call args_of(const char *s, size_t len, uint32_t np, const wk_cabi_type *const *ts, wk_arena *a) {
  call c;
  memset(&c, 0, sizeof c);
  size_t n;
  wk_error e;
  wk_error_clear(&e);
  assert_int_equal(wk_wave_call_name(s, len, &n, &e), WK_OK);
  c.rc = wk_cval_parse_wave_args(s, len, n, np, ts, NULL, a, c.v, &c.bad, &e);
  if (c.rc) {
    assert_int_equal(c.rc, WK_ERR_MALFORMED);
    assert_true(e.has_offset);
    assert_true(e.offset <= len);
    c.off = e.offset;
  }
  return c;
}
#define ARGS(s, np, ts) args_of((s), strlen(s), (np), (ts), &a)

static void test_args(void **state) {
  (void)state;
  wk_arena a = {0};
  const wk_cabi_type *const u_os[3] = {&t_u32, &t_opt_u32, &t_opt_str};
  const wk_cabi_type *const u_s[2] = {&t_u32, &t_str};
  call c = ARGS("f(1, some(2), \"x\")", 3, u_os);
  assert_int_equal(c.rc, WK_OK);
  assert_int_equal(c.v[0].of.u, 1);
  assert_int_equal(c.v[1].of.var.disc, 1);
  assert_int_equal(c.v[1].of.var.payload->of.u, 2);
  assert_int_equal(c.v[2].of.var.disc, 1);
  /* trailing option parameters left out are none (to_wasm_params) */
  c = ARGS("f(7)", 3, u_os);
  assert_int_equal(c.rc, WK_OK);
  assert_int_equal(c.v[0].of.u, 7);
  assert_int_equal(c.v[1].kind, WK_CABI_OPTION);
  assert_int_equal(c.v[1].of.var.disc, 0);
  assert_int_equal(c.v[2].kind, WK_CABI_OPTION);
  assert_int_equal(c.v[2].of.var.disc, 0);
  /* a trailing comma, space before `(`, comments and line breaks between tokens */
  assert_int_equal(ARGS("f(1, 2,)", 3, u_os).rc, WK_OK);
  assert_int_equal(ARGS("f (1) // comment", 3, u_os).rc, WK_OK);
  assert_int_equal(ARGS("f(\n  1, // one\n  none,\n)\n", 3, u_os).rc, WK_OK);
  /* a multiline string holding quotes: `""\""` is four quotes */
  c = ARGS("f(1, \"\"\"\n  a\"\"\\\"\"b\n  \"\"\")", 2, u_s);
  assert_int_equal(c.rc, WK_OK);
  assert_int_equal(c.v[1].of.str.len, 6);
  assert_memory_equal(c.v[1].of.str.ptr, "a\"\"\"\"b", 6);
  /* errors: the argument at fault and the offset */
  c = ARGS("f(\"x\")", 2, u_s);
  assert_int_equal(c.rc, WK_ERR_MALFORMED);
  assert_int_equal(c.bad, 0);
  assert_int_equal(c.off, 2);
  c = ARGS("f(1, 2)", 2, u_s);
  assert_int_equal(c.bad, 1);
  assert_int_equal(c.off, 5);
  c = ARGS("f(1)", 2, u_s); /* a missing string: at the `)` */
  assert_int_equal(c.bad, UINT32_MAX);
  assert_int_equal(c.off, 3);
  c = ARGS("f(1, none, none, 4)", 3, u_os); /* one too many: at the extra argument */
  assert_int_equal(c.bad, UINT32_MAX);
  assert_int_equal(c.off, 17);
  c = ARGS("f(1) x", 3, u_os);
  assert_int_equal(c.bad, UINT32_MAX);
  assert_int_equal(c.off, 5);
  assert_int_equal(ARGS("f(", 3, u_os).off, 2);
  assert_int_equal(ARGS("f(1", 3, u_os).off, 3);
  assert_int_equal(ARGS("f", 3, u_os).off, 1);
  assert_int_equal(ARGS("f(,)", 3, u_os).bad, 0);
  assert_int_equal(ARGS("f(1,,)", 3, u_os).bad, 1);
  /* no parameters */
  assert_int_equal(ARGS("f()", 0, NULL).rc, WK_OK);
  assert_int_equal(ARGS("f( )", 0, NULL).rc, WK_OK);
  assert_int_equal(ARGS("f(1)", 0, NULL).off, 2);
  /* never past len: "f(1)" cut to 3 bytes is unterminated */
  c = args_of("f(1)", 3, 3, u_os, &a);
  assert_int_equal(c.rc, WK_ERR_MALFORMED);
  assert_int_equal(c.off, 3);
  /* deep nesting is an error, not a crash */
  const wk_cabi_type *const o1[1] = {&t_opt_u32};
  char deep[1300] = "f("; /* 2 + 200 * 5 + 1 + 200 + 1 + NUL = 1205 bytes */
  for (int i = 0; i < 200; i++) strcat(deep, "some(");
  strcat(deep, "1");
  for (int i = 0; i < 200; i++) strcat(deep, ")");
  strcat(deep, ")");
  assert_int_equal(ARGS(deep, 1, o1).rc, WK_ERR_MALFORMED);
  wk_arena_free(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_names),
      cmocka_unit_test(test_args),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
