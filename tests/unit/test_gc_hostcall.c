/*
 * Unit tests for GC references across host functions that call back into wasm (lib/interp
 * gc.h host roots; exec.c wk_call_host): a result of a nested wk_func_call stays alive while the
 * host function runs and is returned to wasm, and the roots those nested calls add end when the
 * host function returns (they used to accumulate until the outermost call returned: a wasm loop
 * calling such a host function trapped "out of memory" with nothing live). Also a host anyref
 * that is no object of the store is refused, not dereferenced. Modules are WAT (lib/encode).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode/wat.h"
#include "interp/interp.h"
#include "wat_env.h"

static const char *src =
    "(module (type $box (struct (field (mut i32)))) (type $bytes (array (mut i8)))\n"
    " (import \"h\" \"drop_big\" (func $drop_big (result i32)))\n"
    " (import \"h\" \"fresh\" (func $fresh (param anyref) (result anyref)))\n"
    " (func $churn (export \"churn\") (result i32) (local $i i32)\n"
    "   (loop $l (drop (struct.new $box (i32.const 0xdead))) (local.set $i (i32.add (local.get $i) (i32.const 1)))\n"
    "     (br_if $l (i32.lt_u (local.get $i) (i32.const 150000)))) (i32.const 0))\n"
    " (func (export \"big\") (result anyref) (array.new_default $bytes (i32.const 1000)))\n"
    " (func (export \"mk\") (param i32) (result anyref) (struct.new $box (local.get 0)))\n"
    " (func (export \"test_struct\") (param anyref) (result i32) (ref.test (ref struct) (local.get 0)))\n"
    " (func (export \"loop\") (param $n i32) (result i32) (local $s i32)\n"
    "   (loop $l (local.set $s (i32.add (local.get $s) (call $drop_big)))\n"
    "     (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br_if $l (local.get $n))) (local.get $s))\n"
    " (func (export \"via_host\") (result i32)\n"
    "   (struct.get $box 0 (ref.cast (ref $box) (call $fresh (struct.new $box (i32.const 1))))))\n"
    ")";

static wat_env E;

/* calls big (a 1000-byte array) and drops the result */
static int drop_big(wk_caller *c, void *envp, const wk_value *args, wk_value *res) {
  wk_value r;
  wk_trap *t = NULL;
  if (wk_func_call(E.s, wat_fn(&E, "big"), NULL, 0, &r, 1, &t) != WK_OK) {
    if (t) wk_trap_free(t);
    return wk_caller_trap(c, "big failed");
  }
  res[0].type = WK_I32;
  res[0].of.i32 = 1;
  return 0;
}
/* returns mk(41), a new struct from a nested call, across a churn (a collection) in another nested call */
static int fresh(wk_caller *c, void *envp, const wk_value *args, wk_value *res) {
  wk_value a = {.type = WK_I32}, r, keep;
  wk_trap *t = NULL;
  a.of.i32 = 41;
  if (wk_func_call(E.s, wat_fn(&E, "mk"), &a, 1, &keep, 1, &t) != WK_OK) return wk_caller_trap(c, "mk failed");
  if (wk_func_call(E.s, wat_fn(&E, "churn"), NULL, 0, &r, 1, &t) != WK_OK) return wk_caller_trap(c, "churn failed");
  res[0] = keep;
  return 0;
}

static void open_env(void) {
  wk_config cfg;
  wk_config_default(&cfg);
  cfg.max_memory_bytes = 64 << 20; /* also the GC heap's limit */
  wat_open(&E, src, &cfg);
  wk_error err;
  uint8_t i32[1] = {WK_I32}, any[1] = {WK_ANYREF};
  wk_core_functype t1 = {0}, t2 = {0};
  t1.nresults = 1, t1.results = i32;
  t2.nparams = 1, t2.params = any, t2.nresults = 1, t2.results = any;
  assert_int_equal(wk_linker_define_func(E.l, "h", "drop_big", &t1, drop_big, NULL, &err), WK_OK);
  assert_int_equal(wk_linker_define_func(E.l, "h", "fresh", &t2, fresh, NULL, &err), WK_OK);
  wat_inst(&E);
}

/* 200000 nested calls, each dropping a 1000-byte result: 200 MB made, about 1 KB live */
static void test_nested_results_released(void **st) {
  open_env();
  wk_value a = {.type = WK_I32}, r;
  a.of.i32 = 200000;
  wk_trap *t = NULL;
  int rc = wk_func_call(E.s, wat_fn(&E, "loop"), &a, 1, &r, 1, &t);
  if (t) fprintf(stderr, "trap: %s\n", wk_trap_message(t)), wk_trap_free(t);
  assert_int_equal(rc, WK_OK);
  assert_int_equal(r.of.i32, 200000);
  wat_close(&E);
}
/* a nested call's result survives a collection inside the same host function and returns to wasm */
static void test_nested_result_kept_while_host_runs(void **st) {
  open_env();
  wk_value r;
  wk_trap *t = NULL;
  for (int i = 0; i < 3; i++) {
    assert_int_equal(wk_func_call(E.s, wat_fn(&E, "via_host"), NULL, 0, &r, 1, &t), WK_OK);
    assert_int_equal(r.of.i32, 41);
  }
  wat_close(&E);
}
/* an anyref that is no object of the store: refused at the boundary, never dereferenced */
static void test_forged_anyref_refused(void **st) {
  open_env();
  wk_value a, r;
  memset(&a, 0, sizeof a);
  a.type = WK_ANYREF;
  a.of.ref = (void *)(uintptr_t)0x1000;
  wk_trap *t = NULL;
  assert_int_equal(wk_func_call(E.s, wat_fn(&E, "test_struct"), &a, 1, &r, 1, &t), WK_ERR_USAGE);
  wat_close(&E);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_nested_results_released),
      cmocka_unit_test(test_nested_result_kept_while_host_runs),
      cmocka_unit_test(test_forged_anyref_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
