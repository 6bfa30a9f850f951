/*
 * Unit tests for typed references at lib/interp's host boundary (interp.h
 * wk_func_new_host_typed, wk_global_new_typed, wk_table_new_typed; Core 3.0
 * typed function references, import matching valid/matching.rst "external
 * types"). Modules are written in WAT and compiled by lib/encode's text parser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode/wat.h"
#include "interp/interp.h"
#include "wat_env.h"

typedef wat_env env;

static int32_t call_i32(env *v, wk_instance *inst, const char *name) {
  wk_extern ex;
  assert_int_equal(wk_instance_export(inst, name, &ex), WK_OK);
  wk_value r;
  wk_trap *trap = NULL;
  int rc = wk_func_call(v->s, ex.of.func, NULL, 0, &r, 1, &trap);
  if (trap) fprintf(stderr, "trap: %s\n", wk_trap_message(trap)), wk_trap_free(trap);
  assert_int_equal(rc, WK_OK);
  return r.of.i32;
}

/* host f(g: (ref null $t)) = g(21), or -1 for null */
static int host_apply(wk_caller *c, void *env_, const wk_value *args, wk_value *res) {
  (void)env_;
  res[0].type = WK_I32;
  if (!args[0].of.ref) {
    res[0].of.i32 = -1;
    return 0;
  }
  wk_value a = {.type = WK_I32, .of.i32 = 21}, r;
  wk_trap *t = NULL;
  if (wk_func_call(wk_caller_store(c), (wk_func *)args[0].of.ref, &a, 1, &r, 1, &t) != WK_OK) {
    wk_trap_free(t);
    return wk_caller_trap(c, "callback trapped");
  }
  res[0].of.i32 = r.of.i32;
  return 0;
}

static const char *apply_src =
    "(module (type $t (func (param i32) (result i32)))"
    " (type $h (func (param (ref null $t)) (result i32)))"
    " (import \"h\" \"apply\" (func $apply (type $h)))"
    " (func $double (type $t) (i32.mul (local.get 0) (i32.const 2)))"
    " (elem declare func $double)"
    " (func (export \"run\") (result i32) (call $apply (ref.func $double)))"
    " (func (export \"run-null\") (result i32) (call $apply (ref.null $t))))";

/* a host function typed with the importing module as context: the type as wk_module_import gives
 * it, and the same written in lib/encode's convention (WK_REFNULL + type index 0) */
static void test_host_func_concrete(void **state) {
  (void)state;
  for (int form = 0; form < 2; form++) {
    env v;
    wat_open(&v, apply_src, NULL);
    wk_import_desc d;
    wk_module_import(v.m, 0, &d);
    static const uint8_t p[] = {WK_REFNULL}, r[] = {WK_I32};
    static const uint32_t hts[] = {0, 0};
    wk_core_functype enc = {1, 1, p, r, hts};
    wk_func *f = NULL;
    wk_error err;
    wk_error_clear(&err);
    assert_int_equal(wk_func_new_host_typed(v.s, form ? &enc : &d.type, v.m, host_apply, NULL, &f, &err), WK_OK);
    wk_extern ex = {.kind = WK_EXTERN_FUNC, .of.func = f};
    assert_int_equal(wk_linker_define(v.l, "h", "apply", ex, &err), WK_OK);
    wk_instance *inst = NULL;
    wk_trap *trap = NULL;
    int rc = wk_linker_instantiate(v.l, v.m, &inst, &trap, &err);
    if (rc) fprintf(stderr, "instantiate: %s\n", err.msg);
    assert_int_equal(rc, WK_OK);
    assert_int_equal(call_i32(&v, inst, "run"), 42);
    assert_int_equal(call_i32(&v, inst, "run-null"), -1);
    wat_close(&v);
  }
}

/* a 2.0-typed host function for a typed import: the link error names the import and both types */
static void test_host_func_mismatch(void **state) {
  (void)state;
  env v;
  wat_open(&v, apply_src, NULL);
  static const uint8_t p[] = {WK_FUNCREF}, r[] = {WK_I32};
  wk_core_functype ft = {1, 1, p, r, NULL};
  wk_error err;
  wk_error_clear(&err);
  assert_int_equal(wk_linker_define_func(v.l, "h", "apply", &ft, host_apply, NULL, &err), WK_OK);
  wk_instance *inst = NULL;
  wk_trap *trap = NULL;
  assert_int_equal(wk_linker_instantiate(v.l, v.m, &inst, &trap, &err), WK_ERR_LINK);
  assert_string_equal(err.msg, "incompatible import type: h.apply: expected (func (param (ref null (func (param i32) "
                               "(result i32)))) (result i32)), got (func (param funcref) (result i32))");
  /* a concrete type index needs a context module */
  static const uint8_t pr[] = {WK_REFNULL};
  static const uint32_t hts[] = {0, 0};
  wk_core_functype enc = {1, 1, pr, r, hts};
  wk_func *f = NULL;
  assert_int_equal(wk_func_new_host_typed(v.s, &enc, NULL, host_apply, NULL, &f, &err), WK_ERR_USAGE);
  assert_null(f);
  wat_close(&v);
}

static int host_seven(wk_caller *c, void *e, const wk_value *args, wk_value *res) {
  (void)c, (void)e, (void)args;
  res[0].type = WK_I32;
  res[0].of.i32 = 7;
  return 0;
}

/* typed globals: (ref func) needs a non-null function; const globals match by subtyping, var ones
 * only when equal */
static void test_host_globals(void **state) {
  (void)state;
  env v;
  wat_open(&v, "(module (type $t (func (result i32)))"
               " (import \"h\" \"g\" (global $g (ref $t)))"
               " (import \"h\" \"gf\" (global $gf (ref null func)))"
               " (func (export \"run\") (result i32) (call_ref $t (global.get $g))))",
           NULL);
  wk_error err;
  wk_error_clear(&err);
  wk_trap *trap = NULL;
  wk_value fv = {.type = WK_FUNCREF};
  wk_global *g = NULL, *gf = NULL;
  wk_value null = {.type = WK_FUNCREF};
  assert_int_equal(wk_global_new_typed(v.s, wk_vt_ref(0, 0), v.m, null, 0, &g, &err), WK_ERR_USAGE); /* null in (ref $t) */
  assert_null(g);
  static const uint8_t r[] = {WK_I32};
  wk_core_functype ft = {0, 1, NULL, r, NULL};
  wk_func *hf = wk_func_new_host(v.s, &ft, host_seven, NULL); /* a host function of type $t */
  assert_non_null(hf);
  fv.of.ref = hf;
  /* the wrong function type for (ref $t) */
  static const uint8_t p1[] = {WK_I32};
  wk_core_functype ft2 = {1, 1, p1, r, NULL};
  wk_value bad = {.type = WK_FUNCREF, .of.ref = wk_func_new_host(v.s, &ft2, host_seven, NULL)};
  assert_int_equal(wk_global_new_typed(v.s, wk_vt_ref(0, 0), v.m, bad, 0, &g, &err), WK_ERR_USAGE);
  /* the import's type as wk_module_import gives it, with the module as the type context */
  wk_import_desc d;
  wk_module_import(v.m, 0, &d);
  assert_int_equal(d.vt, wk_vt_ref(0, 0));
  assert_int_equal(d.mut, 0);
  assert_int_equal(wk_global_new_typed(v.s, d.vt, v.m, fv, d.mut, &g, &err), WK_OK);
  /* (ref func) const for the (ref null func) import: a subtype, matches */
  assert_int_equal(wk_global_new_typed(v.s, wk_vt_ref(WK_HT_FUNC, 0), NULL, fv, 0, &gf, &err), WK_OK);
  wk_extern eg = {.kind = WK_EXTERN_GLOBAL, .of.global = g}, egf = {.kind = WK_EXTERN_GLOBAL, .of.global = gf};
  assert_int_equal(wk_linker_define(v.l, "h", "g", eg, &err), WK_OK);
  assert_int_equal(wk_linker_define(v.l, "h", "gf", egf, &err), WK_OK);
  wk_instance *inst = NULL;
  int rc = wk_linker_instantiate(v.l, v.m, &inst, &trap, &err);
  if (rc) fprintf(stderr, "instantiate: %s\n", err.msg);
  assert_int_equal(rc, WK_OK);
  assert_int_equal(call_i32(&v, inst, "run"), 7);
  /* a var global of type (ref $t): wk_global_set refuses null and a function of another type */
  wk_global *vg = NULL;
  assert_int_equal(wk_global_new_typed(v.s, wk_vt_ref(0, 0), v.m, fv, 1, &vg, &err), WK_OK);
  assert_int_equal(wk_global_set(vg, null), WK_ERR_USAGE);
  assert_int_equal(wk_global_set(vg, bad), WK_ERR_USAGE);
  assert_int_equal(wk_global_set(vg, fv), WK_OK);
  /* the (ref null func) global for the (ref $t) import: not a subtype */
  assert_int_equal(wk_global_new_typed(v.s, WK_FUNCREF, NULL, fv, 0, &gf, &err), WK_OK);
  egf.of.global = gf;
  assert_int_equal(wk_linker_define(v.l, "h", "g", egf, &err), WK_OK);
  assert_int_equal(wk_linker_instantiate(v.l, v.m, &inst, &trap, &err), WK_ERR_LINK);
  assert_string_equal(err.msg, "incompatible import type: h.g: expected (global (ref (func (result i32)))), got (global funcref)");
  wat_close(&v);
}

static int host_null(wk_caller *c, void *e, const wk_value *args, wk_value *res) {
  (void)c, (void)e, (void)args;
  res[0].type = WK_FUNCREF;
  res[0].of.ref = NULL;
  return 0;
}

/* typed tables, a host result that breaks its type, and wk_func_call's argument check */
static void test_host_tables_and_values(void **state) {
  (void)state;
  env v;
  wat_open(&v, "(module (type $t (func (result i32)))"
               " (import \"h\" \"tab\" (table $tab 2 (ref null $t)))"
               " (import \"h\" \"nn\" (func $nn (result (ref func))))"
               " (func (export \"size\") (result i32) (table.size $tab))"
               " (func (export \"nn\") (result i32) (drop (call $nn)) (i32.const 1))"
               " (func (export \"take\") (param (ref $t)) (result i32) (call_ref $t (local.get 0))))",
           NULL);
  wk_error err;
  wk_error_clear(&err);
  wk_table *t = NULL, *t2 = NULL;
  wk_import_desc d;
  wk_module_import(v.m, 0, &d);
  assert_int_equal(d.vt, wk_vt_ref(0, 1));
  assert_true(d.min == 2 && !d.has_max && !d.is64);
  assert_int_equal(wk_table_new_typed(v.s, d.vt, v.m, 3, 0, 0, 0, NULL, &t, &err), WK_OK);
  assert_int_equal(wk_table_new_typed(v.s, wk_vt_ref(0, 0), v.m, 3, 0, 0, 0, NULL, &t2, &err), WK_ERR_USAGE);
  assert_null(t2);
  static const uint8_t r[] = {WK_REF};
  static const uint32_t hts[] = {WK_HT_FUNC};
  wk_core_functype ft = {0, 1, NULL, r, hts};
  wk_func *nn = NULL;
  assert_int_equal(wk_func_new_host_typed(v.s, &ft, NULL, host_null, NULL, &nn, &err), WK_OK);
  wk_extern et = {.kind = WK_EXTERN_TABLE, .of.table = t}, ef = {.kind = WK_EXTERN_FUNC, .of.func = nn};
  assert_int_equal(wk_linker_define(v.l, "h", "tab", et, &err), WK_OK);
  assert_int_equal(wk_linker_define(v.l, "h", "nn", ef, &err), WK_OK);
  wk_instance *inst = NULL;
  wk_trap *trap = NULL;
  int rc = wk_linker_instantiate(v.l, v.m, &inst, &trap, &err);
  if (rc) fprintf(stderr, "instantiate: %s\n", err.msg);
  assert_int_equal(rc, WK_OK);
  assert_int_equal(call_i32(&v, inst, "size"), 3);
  /* the host returns null for (ref func): the call traps */
  wk_extern ex;
  assert_int_equal(wk_instance_export(inst, "nn", &ex), WK_OK);
  wk_value res;
  assert_int_equal(wk_func_call(v.s, ex.of.func, NULL, 0, &res, 1, &trap), WK_ERR_TRAP);
  assert_non_null(trap);
  assert_string_equal(wk_trap_message(trap), "host function returned a value of the wrong reference type");
  wk_trap_free(trap);
  /* null for a (ref $t) parameter: a usage error, not a call */
  assert_int_equal(wk_instance_export(inst, "take", &ex), WK_OK);
  wk_value arg = {.type = WK_FUNCREF};
  assert_int_equal(wk_func_call(v.s, ex.of.func, &arg, 1, &res, 1, &trap), WK_ERR_USAGE);
  /* a funcref table for the (ref null $t) import: the error gives both types */
  wk_table *plain = wk_table_new(v.s, WK_FUNCREF, 2, 0, 0);
  et.of.table = plain;
  assert_int_equal(wk_linker_define(v.l, "h", "tab", et, &err), WK_OK);
  assert_int_equal(wk_linker_instantiate(v.l, v.m, &inst, &trap, &err), WK_ERR_LINK);
  assert_string_equal(err.msg,
                      "incompatible import type: h.tab: expected (table 2 (ref null (func (result i32)))), got (table 2 funcref)");
  wat_close(&v);
}

/* host function (param anyref) (result (ref $p)): env NULL gives its argument back, else the
 * i31 5 (a value of the wrong type for the result) */
static int host_pass(wk_caller *c, void *env_, const wk_value *args, wk_value *res) {
  (void)c;
  res[0] = args[0];
  if (env_) res[0].of.ref = (void *)(uintptr_t)((5u << 1) | 1);
  return 0;
}

static const char *gc_src =
    "(module (type $p (struct (field i32) (field i32)))\n"
    " (type $h (func (param anyref) (result (ref $p))))\n"
    " (import \"h\" \"pass\" (func $pass (type $h)))\n"
    " (import \"h\" \"g\" (global $g (mut (ref null $p))))\n"
    " (import \"h\" \"gi\" (global $gi i31ref))\n"
    " (import \"h\" \"t\" (table $t 2 eqref))\n"
    " (func (export \"via-host\") (result i32)\n"
    "  (struct.get $p 1 (call $pass (struct.new $p (i32.const 3) (i32.const 4)))))\n"
    " (func (export \"via-host-i31\") (result i32)\n"
    "  (struct.get $p 1 (call $pass (ref.i31 (i32.const 9)))))\n"
    " (func (export \"set-g\") (global.set $g (struct.new $p (i32.const 10) (i32.const 20))))\n"
    " (func (export \"g1\") (result i32) (struct.get $p 1 (ref.as_non_null (global.get $g))))\n"
    " (func (export \"gi\") (result i32) (i31.get_s (ref.as_non_null (global.get $gi))))\n"
    " (func (export \"fill\") (table.set $t (i32.const 0) (ref.i31 (i32.const 77)))\n"
    "  (table.set $t (i32.const 1) (struct.new $p (i32.const 1) (i32.const 2))))\n"
    " (func (export \"t0\") (result i32) (i31.get_u (ref.cast (ref i31) (table.get $t (i32.const 0)))))\n"
    " (func (export \"t1\") (result i32) (struct.get $p 0 (ref.cast (ref $p) (table.get $t (i32.const 1))))))";

/* WebAssembly 3.0 GC heap types at the host boundary: a host function (param anyref) (result
 * (ref $p)) with $p a struct type of the context module (the result is checked: an i31 traps,
 * the guest's struct passes), host globals (mut (ref null $p)) and i31ref and a host table of
 * eqref imported by the module (import matching with the canonical GC type ids), values the
 * host sets checked by the heap (an i31 for (ref null $p), a pointer that is no object). */
static void test_host_gc_types(void **state) {
  (void)state;
  for (int bad = 0; bad < 2; bad++) {
    env v;
    wat_open(&v, gc_src, NULL);
    wk_error err;
    wk_error_clear(&err);
    static const uint8_t p[] = {WK_ANYREF}, r[] = {WK_REF};
    static const uint32_t hts[] = {0, 0};
    wk_core_functype ft = {1, 1, p, r, hts};
    wk_func *f = NULL;
    assert_int_equal(wk_func_new_host_typed(v.s, &ft, v.m, host_pass, bad ? (void *)1 : NULL, &f, &err), WK_OK);
    wk_value nul = {.type = WK_ANYREF}, i31 = {.type = WK_ANYREF}, junk = {.type = WK_ANYREF};
    i31.of.ref = (void *)(uintptr_t)((0x7fffffffu << 1) | 1); /* i31 -1 */
    junk.of.ref = f; /* not an object of the heap */
    wk_global *g = NULL, *gi = NULL;
    assert_int_equal(wk_global_new_typed(v.s, wk_vt_ref(0, 1), v.m, nul, 1, &g, &err), WK_OK);
    assert_int_equal(wk_global_new_typed(v.s, wk_vt_ref(0, 1), v.m, i31, 1, &gi, &err), WK_ERR_USAGE);
    assert_int_equal(wk_global_new_typed(v.s, 0x6c /* i31ref */, NULL, junk, 0, &gi, &err), WK_ERR_USAGE);
    assert_int_equal(wk_global_new_typed(v.s, 0x6c, NULL, i31, 0, &gi, &err), WK_OK);
    wk_table *t = NULL;
    assert_int_equal(wk_table_new_typed(v.s, 0x6d /* eqref */, NULL, 2, 0, 0, 0, junk.of.ref, &t, &err), WK_ERR_USAGE);
    assert_int_equal(wk_table_new_typed(v.s, 0x6d, NULL, 2, 0, 0, 0, NULL, &t, &err), WK_OK);
    wk_extern ef = {.kind = WK_EXTERN_FUNC, .of.func = f}, eg = {.kind = WK_EXTERN_GLOBAL, .of.global = g},
              egi = {.kind = WK_EXTERN_GLOBAL, .of.global = gi}, et = {.kind = WK_EXTERN_TABLE, .of.table = t};
    assert_int_equal(wk_linker_define(v.l, "h", "pass", ef, &err), WK_OK);
    assert_int_equal(wk_linker_define(v.l, "h", "g", eg, &err), WK_OK);
    assert_int_equal(wk_linker_define(v.l, "h", "gi", egi, &err), WK_OK);
    assert_int_equal(wk_linker_define(v.l, "h", "t", et, &err), WK_OK);
    wk_instance *inst = NULL;
    wk_trap *trap = NULL;
    int rc = wk_linker_instantiate(v.l, v.m, &inst, &trap, &err);
    if (rc) fprintf(stderr, "instantiate: %s\n", err.msg);
    assert_int_equal(rc, WK_OK);
    assert_int_equal(call_i32(&v, inst, "gi"), -1);
    call_i32(&v, inst, "fill"), (void)0;
    assert_int_equal(call_i32(&v, inst, "t0"), 77);
    assert_int_equal(call_i32(&v, inst, "t1"), 1);
    wk_extern ex;
    assert_int_equal(wk_instance_export(inst, "set-g", &ex), WK_OK);
    assert_int_equal(wk_func_call(v.s, ex.of.func, NULL, 0, NULL, 0, &trap), WK_OK);
    assert_int_equal(call_i32(&v, inst, "g1"), 20);
    wk_value gv = wk_global_get(g);
    assert_int_equal(gv.type, WK_ANYREF);
    assert_int_equal(wk_ref_kind(v.s, &gv), WK_REFKIND_STRUCT);
    assert_int_equal(wk_global_set(g, i31), WK_ERR_USAGE);  /* not a $p */
    assert_int_equal(wk_global_set(g, junk), WK_ERR_USAGE); /* not an object */
    assert_int_equal(wk_global_set(g, nul), WK_OK);
    assert_int_equal(wk_global_set(g, gv), WK_OK);
    assert_int_equal(call_i32(&v, inst, "g1"), 20);
    if (!bad) {
      assert_int_equal(call_i32(&v, inst, "via-host"), 4);
    } else { /* the host's result is not a (ref $p): a trap, not a crash */
      assert_int_equal(wk_instance_export(inst, "via-host", &ex), WK_OK);
      wk_value rr;
      assert_int_equal(wk_func_call(v.s, ex.of.func, NULL, 0, &rr, 1, &trap), WK_ERR_TRAP);
      wk_trap_free(trap);
      trap = NULL;
    }
    /* an i31 through the host: bad or not, (ref $p) does not hold it */
    assert_int_equal(wk_instance_export(inst, "via-host-i31", &ex), WK_OK);
    wk_value rr;
    assert_int_equal(wk_func_call(v.s, ex.of.func, NULL, 0, &rr, 1, &trap), WK_ERR_TRAP);
    wk_trap_free(trap);
    wat_close(&v);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_host_func_concrete),
      cmocka_unit_test(test_host_func_mismatch),
      cmocka_unit_test(test_host_globals),
      cmocka_unit_test(test_host_tables_and_values),
      cmocka_unit_test(test_host_gc_types),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
