/*
 * Unit tests for v128 in lib/interp beyond the spec suite: v128 values crossing
 * the host API (wk_func_call arguments/results mixed with scalars, host imports
 * with v128 parameters and results, v128 globals created, read and written by
 * the host), the two-slot frame layout through calls, call_indirect, multi-value
 * blocks, br_table and select, and the SIMD memory bounds in both memory modes
 * and from the AOT cache. Modules are WAT, parsed by lib/encode (wk_wat_to_binary);
 * expected values are computed here in C from the lane definitions (Core 4.3).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "encode/wat.h"
#include "interp/interp.h"
#include "wat_env.h"

typedef wat_env env;

/* src in an engine with guard pages or explicit checks, caching every module in `cache` when not NULL */
static void setup(env *v, const char *src, int guard, const char *cache) {
  wk_config cfg;
  wk_config_default(&cfg);
  cfg.guard_pages = guard;
  cfg.cache_dir = cache;
  wat_open_ex(v, src, &cfg, cache ? WK_MODULE_CACHE_ANY_SIZE : 0);
}
static wk_value vec(const uint8_t b[16]) {
  wk_value v;
  memset(&v, 0, sizeof v);
  v.type = WK_V128;
  memcpy(v.of.v128, b, 16);
  return v;
}
static wk_value i32v(int32_t x) {
  wk_value v;
  memset(&v, 0, sizeof v);
  v.type = WK_I32;
  v.of.i32 = x;
  return v;
}
static void pattern(uint8_t b[16], uint8_t seed) {
  for (int i = 0; i < 16; i++) b[i] = (uint8_t)(seed + 17 * i);
}

/* host import (v128 i32 v128) -> (v128 i64): lanes i32x4 a + b * k, and k + lane 3 of a */
static int host_mix(wk_caller *c, void *envp, const wk_value *args, wk_value *res) {
  (void)c, (void)envp;
  if (args[0].type != WK_V128 || args[1].type != WK_I32 || args[2].type != WK_V128) return wk_caller_trap(c, "types");
  uint32_t a[4], b[4], r[4];
  memcpy(a, args[0].of.v128, 16);
  memcpy(b, args[2].of.v128, 16);
  for (int i = 0; i < 4; i++) r[i] = a[i] + b[i] * (uint32_t)args[1].of.i32;
  res[0].type = WK_V128;
  memcpy(res[0].of.v128, r, 16);
  res[1].type = WK_I64;
  res[1].of.i64 = (int64_t)args[1].of.i32 + a[3];
  return 0;
}

static const char *calls_wat =
    "(module\n"
    "  (type $t (func (param v128 i32 v128) (result v128 i64)))\n"
    "  (import \"h\" \"mix\" (func $mix (type $t)))\n"
    "  (import \"h\" \"g\" (global $g (mut v128)))\n"
    "  (global $e (export \"e\") (mut v128) (v128.const i32x4 1 2 3 4))\n"
    "  (table 2 funcref) (elem (i32.const 0) $inner $mix)\n"
    "  (func $inner (type $t) (local $x v128)\n"
    "    (local.set $x (i32x4.mul (local.get 0) (i32x4.splat (local.get 1))))\n"
    "    (i32x4.add (local.get $x) (local.get 2))\n"
    "    (i64.extend_i32_u (i32x4.extract_lane 3 (local.get 0))))\n"
    "  ;; direct and indirect calls of a wasm and a host function; results through a block\n"
    "  (func (export \"run\") (param $a v128) (param $k i32) (param $b v128) (param $which i32) (result i64 v128 i32)\n"
    "    (local $r v128) (local $s i64)\n"
    "    (block (result v128 i64)\n"
    "      (call_indirect (type $t) (local.get $a) (local.get $k) (local.get $b) (local.get $which)))\n"
    "    (local.set $s) (local.set $r)\n"
    "    (call $mix (local.get $r) (i32.const 3) (local.tee $r (v128.xor (local.get $r) (local.get $b))))\n"
    "    (local.set $s (i64.add (local.get $s)))\n"
    "    (local.set $r)\n"
    "    (local.get $s)\n"
    "    (v128.bitselect (local.get $r) (local.get $b) (v128.const i64x2 -1 0))\n"
    "    (i32.wrap_i64 (local.get $s)))\n"
    "  ;; globals: host-made $g in, $e out\n"
    "  (func (export \"globals\") (param v128) (result v128)\n"
    "    (global.set $e (i8x16.add (global.get $g) (local.get 0)))\n"
    "    (global.set $g (local.get 0))\n"
    "    (global.get $e))\n"
    "  ;; select and br_table carry v128 pairs\n"
    "  (func (export \"pick\") (param v128 v128 i32) (result v128)\n"
    "    (block (result v128) (block (result v128)\n"
    "      (br_table 0 1 (select (local.get 0) (local.get 1) (local.get 2)) (local.get 2)))\n"
    "      (i64x2.neg)))\n"
    ")\n";

static void ref_run(const uint8_t *A, int32_t k, const uint8_t *B, int which, int64_t *o1, uint8_t o2[16],
                    int32_t *o3) {
  uint32_t a[4], b[4], r[4], t[4];
  memcpy(a, A, 16), memcpy(b, B, 16);
  for (int i = 0; i < 4; i++) r[i] = which == 0 ? a[i] * (uint32_t)k + b[i] : a[i] + b[i] * (uint32_t)k;
  int64_t s = (int64_t)(which == 0 ? (int64_t)a[3] : (int64_t)k + a[3]);
  for (int i = 0; i < 4; i++) t[i] = r[i] ^ b[i];
  /* mix(r, 3, t) = (r + t * 3, 3 + lane 3 of r) */
  *o1 = (int64_t)3 + r[3] + s;
  for (int i = 0; i < 4; i++) r[i] += t[i] * 3u;
  uint64_t R2[2], B2[2];
  memcpy(R2, r, 16), memcpy(B2, B, 16);
  uint64_t sel[2] = {R2[0], B2[1]};
  memcpy(o2, sel, 16);
  *o3 = (int32_t)(uint32_t)*o1;
}

static void check_calls(int guard, const char *cache) {
  env v;
  setup(&v, calls_wat, guard, cache);
  wk_core_functype ht = {3, 2, (const uint8_t[]){WK_V128, WK_I32, WK_V128}, (const uint8_t[]){WK_V128, WK_I64}, NULL};
  wk_error err;
  assert_int_equal(wk_linker_define_func(v.l, "h", "mix", &ht, host_mix, NULL, &err), WK_OK);
  uint8_t g0[16];
  pattern(g0, 5);
  wk_global *g = wk_global_new(v.s, vec(g0), 1);
  assert_non_null(g);
  wk_extern gx = {.kind = WK_EXTERN_GLOBAL};
  gx.of.global = g;
  assert_int_equal(wk_linker_define(v.l, "h", "g", gx, &err), WK_OK);
  wat_inst(&v);
  for (int which = 0; which < 2; which++) {
    uint8_t A[16], B[16];
    pattern(A, (uint8_t)(3 + which)), pattern(B, (uint8_t)(200 - which));
    wk_value args[4] = {vec(A), i32v(7 + which), vec(B), i32v(which)}, res[3];
    wk_trap *t = NULL;
    int rc = wk_func_call(v.s, wat_fn(&v, "run"), args, 4, res, 3, &t);
    if (t) fprintf(stderr, "trap: %s\n", wk_trap_message(t)), wk_trap_free(t);
    assert_int_equal(rc, WK_OK);
    int64_t e1;
    uint8_t e2[16];
    int32_t e3;
    ref_run(A, 7 + which, B, which, &e1, e2, &e3);
    assert_int_equal(res[0].type, WK_I64);
    assert_int_equal(res[0].of.i64, e1);
    assert_int_equal(res[1].type, WK_V128);
    assert_memory_equal(res[1].of.v128, e2, 16);
    assert_int_equal(res[2].of.i32, e3);
  }
  /* globals */
  uint8_t x[16], want[16];
  pattern(x, 99);
  for (int i = 0; i < 16; i++) want[i] = (uint8_t)(g0[i] + x[i]);
  wk_value a1 = vec(x), r1;
  wk_trap *t = NULL;
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "globals"), &a1, 1, &r1, 1, &t), WK_OK);
  assert_memory_equal(r1.of.v128, want, 16);
  wk_value gv = wk_global_get(g);
  assert_int_equal(gv.type, WK_V128);
  assert_memory_equal(gv.of.v128, x, 16); /* written by wasm, read by the host */
  wk_extern ex;
  assert_int_equal(wk_instance_export(v.inst, "e", &ex), WK_OK);
  gv = wk_global_get(ex.of.global);
  assert_memory_equal(gv.of.v128, want, 16);
  /* pick: select by the i32, then br_table 0 (negate i64 lanes) or 1 (as is) */
  for (int c = 0; c < 3; c++) {
    uint8_t P[16], Q[16], w[16];
    pattern(P, 1), pattern(Q, 77);
    memcpy(w, c ? P : Q, 16);
    if (c == 0) {
      int64_t l[2];
      memcpy(l, w, 16);
      l[0] = (int64_t)(0 - (uint64_t)l[0]), l[1] = (int64_t)(0 - (uint64_t)l[1]);
      memcpy(w, l, 16);
    }
    wk_value pa[3] = {vec(P), vec(Q), i32v(c)}, pr;
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "pick"), pa, 3, &pr, 1, &t), WK_OK);
    assert_memory_equal(pr.of.v128, w, 16);
  }
  wat_close(&v);
}
static void test_calls_guard(void **state) { (void)state; check_calls(1, NULL); }
static void test_calls_checked(void **state) { (void)state; check_calls(0, NULL); }

/* SIMD memory accesses at the end of memory: the access size decides (Core 4.4.7) */
static const char *mem_wat =
    "(module (memory 1)\n"
    "  (func (export \"ld\") (param i32) (result v128) (v128.load offset=0 (local.get 0)))\n"
    "  (func (export \"ld64lane\") (param i32) (result v128)\n"
    "    (v128.load64_lane 1 (local.get 0) (v128.const i64x2 5 6)))\n"
    "  (func (export \"st32lane\") (param i32 v128) (v128.store32_lane 2 (local.get 0) (local.get 1)))\n"
    "  (func (export \"ld32zero\") (param i32) (result v128) (v128.load32_zero offset=4 (local.get 0)))\n"
    "  (func (export \"st\") (param i32 v128) (v128.store offset=16 (local.get 0) (local.get 1))))\n";

static int call1(env *v, const char *name, wk_value *args, size_t na, wk_value *res, size_t nr) {
  wk_trap *t = NULL;
  int rc = wk_func_call(v->s, wat_fn(v, name), args, na, res, nr, &t);
  if (t) {
    assert_int_equal(wk_trap_code_of(t), WK_TRAP_MEMORY_OOB);
    wk_trap_free(t);
  }
  return rc;
}
static void check_mem(int guard, const char *cache) {
  env v;
  setup(&v, mem_wat, guard, cache);
  wat_inst(&v);
  wk_value a, r, sv[2];
  uint8_t p[16];
  pattern(p, 9);
  a = i32v(65536 - 16);
  assert_int_equal(call1(&v, "ld", &a, 1, &r, 1), WK_OK);
  a = i32v(65536 - 15);
  assert_int_equal(call1(&v, "ld", &a, 1, &r, 1), WK_ERR_TRAP);
  a = i32v(-1);
  assert_int_equal(call1(&v, "ld", &a, 1, &r, 1), WK_ERR_TRAP);
  a = i32v(65536 - 8);
  assert_int_equal(call1(&v, "ld64lane", &a, 1, &r, 1), WK_OK);
  uint64_t l[2];
  memcpy(l, r.of.v128, 16);
  assert_int_equal(l[0], 5);
  assert_int_equal(l[1], 0); /* memory is zero */
  a = i32v(65536 - 7);
  assert_int_equal(call1(&v, "ld64lane", &a, 1, &r, 1), WK_ERR_TRAP);
  sv[0] = i32v(65536 - 4), sv[1] = vec(p);
  assert_int_equal(call1(&v, "st32lane", sv, 2, NULL, 0), WK_OK);
  a = i32v(65536 - 8);
  assert_int_equal(call1(&v, "ld32zero", &a, 1, &r, 1), WK_OK);
  uint8_t want[16] = {0};
  memcpy(want, p + 8, 4); /* lane 2 stored at the end, read back by load32_zero */
  assert_memory_equal(r.of.v128, want, 16);
  sv[0] = i32v(65536 - 3);
  assert_int_equal(call1(&v, "st32lane", sv, 2, NULL, 0), WK_ERR_TRAP);
  sv[0] = i32v(65536 - 32);
  assert_int_equal(call1(&v, "st", sv, 2, NULL, 0), WK_OK);
  sv[0] = i32v(65536 - 31);
  assert_int_equal(call1(&v, "st", sv, 2, NULL, 0), WK_ERR_TRAP);
  a = i32v(65536 - 16);
  assert_int_equal(call1(&v, "ld", &a, 1, &r, 1), WK_OK);
  assert_memory_equal(r.of.v128, p, 16); /* the trapping store wrote nothing */
  wat_close(&v);
}
static void test_mem_guard(void **state) { (void)state; check_mem(1, NULL); }
static void test_mem_checked(void **state) { (void)state; check_mem(0, NULL); }

/* the same modules from the AOT cache: the second engine maps the code the first stored */
static void test_cache(void **state) {
  (void)state;
  char dir[] = "/tmp/wk-test-simd-XXXXXX";
  assert_non_null(mkdtemp(dir));
  for (int round = 0; round < 2; round++) {
    env v;
    setup(&v, calls_wat, 1, dir);
    assert_int_equal(wk_module_from_cache(v.m), round);
    wat_close(&v);
    check_calls(1, dir);
    check_mem(round, dir);
  }
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
}

/* ---- the translator's fused SIMD forms (lib/interp/simd_translate_int.h) ----
 * Each function is the instruction sequence clang -msimd128 emits for an idiom (rotate as
 * shl | shr_u, xor then rotate, byte-rotating shuffles, a + b + c, v128 local moves with the
 * operand stack still reading a local's old value), or a near miss that must not be fused
 * (counts not summing to the lane width, two sources, a count of 0). Results are compared with
 * the lane definitions computed here (Core 4.3.2: ishl, ishr_u, ixor, iadd; i8x16.shuffle
 * 4.4.3.7); test_fused_forms also checks that the fused forms were used (the translated code). */
static const char *fused_wat =
    "(module\n"
    "  (func (export \"xrot7\") (param $a v128) (param $b v128) (result v128) (local $t v128)\n"
    "    local.get $a local.get $b v128.xor local.tee $t i32.const 7 i32x4.shl\n"
    "    local.get $t i32.const 25 i32x4.shr_u v128.or\n"
    "    local.get $t i32x4.add)\n" /* rotl(t, 7) + t: t keeps the xor */
    "  (func (export \"rot20\") (param $a v128) (param $b v128) (result v128)\n"
    "    local.get $a i32.const 20 i32x4.shl local.get $a i32.const 12 i32x4.shr_u v128.or)\n"
    "  (func (export \"rot_swapped\") (param $a v128) (param $b v128) (result v128)\n"
    "    local.get $a i32.const 12 i32x4.shr_u local.get $a i32.const 20 i32x4.shl v128.or)\n"
    "  (func (export \"rot_mod\") (param $a v128) (param $b v128) (result v128)\n" /* 39 = 7 mod 32 */
    "    local.get $a i32.const 39 i32x4.shl local.get $a i32.const 25 i32x4.shr_u v128.or)\n"
    "  (func (export \"not_rot_sum\") (param $a v128) (param $b v128) (result v128)\n"
    "    local.get $a i32.const 7 i32x4.shl local.get $a i32.const 24 i32x4.shr_u v128.or)\n"
    "  (func (export \"not_rot_src\") (param $a v128) (param $b v128) (result v128)\n"
    "    local.get $a i32.const 8 i32x4.shl local.get $b i32.const 24 i32x4.shr_u v128.or)\n"
    "  (func (export \"not_rot_zero\") (param $a v128) (param $b v128) (result v128)\n" /* 0 and 32 = 0 */
    "    local.get $a i32.const 0 i32x4.shl local.get $b i32.const 32 i32x4.shr_u v128.or)\n"
    "  (func (export \"rot64\") (param $a v128) (param $b v128) (result v128)\n"
    "    local.get $a i32.const 13 i64x2.shl local.get $a i32.const 51 i64x2.shr_u v128.or)\n"
    "  (func (export \"rot16\") (param $a v128) (param $b v128) (result v128)\n"
    "    local.get $a i32.const 3 i16x8.shl local.get $a i32.const 13 i16x8.shr_u v128.or)\n"
    "  (func (export \"xshuf16\") (param $a v128) (param $b v128) (result v128) (local $t v128)\n"
    "    local.get $a local.get $b v128.xor local.tee $t local.get $t\n"
    "    i8x16.shuffle 2 3 0 1 6 7 4 5 10 11 8 9 14 15 12 13\n"
    "    local.get $t i32x4.sub)\n"
    "  (func (export \"xshuf8b\") (param $a v128) (param $b v128) (result v128) (local $t v128)\n"
    "    local.get $b local.get $a local.get $b v128.xor\n" /* rotates operand b (the xor) */
    "    i8x16.shuffle 17 18 19 16 21 22 23 20 25 26 27 24 29 30 31 28)\n"
    "  (func (export \"xrot_keep\") (param $a v128) (param $b v128) (result v128) (local $l v128)\n"
    "    local.get $a local.get $b v128.xor local.tee $l local.get $l local.get $l\n" /* l = a ^ b, read below */
    "    i8x16.shuffle 2 3 0 1 6 7 4 5 10 11 8 9 14 15 12 13 local.set $l\n"
    "    local.get $l i32x4.sub)\n" /* (a ^ b) - rotl(a ^ b, 16) */
    "  (func (export \"add3\") (param $a v128) (param $b v128) (result v128) (local $c v128)\n"
    "    local.get $a local.get $b i32x4.sub local.set $c\n"
    "    local.get $a local.get $b i32x4.add local.get $c i32x4.add\n"
    "    local.get $c local.get $a local.get $b i32x4.add i32x4.add i32x4.mul)\n"
    "  (func (export \"moves\") (param $a v128) (param $b v128) (result v128) (local $x v128) (local $y v128) (local $t v128)\n"
    "    local.get $a local.set $x local.get $b local.set $y\n"
    "    local.get $x local.set $t local.get $y local.set $x local.get $t local.set $y\n" /* swap */
    "    local.get $x\n"                                                             /* old x (= b) */
    "    local.get $y local.get $x v128.xor local.set $x\n" /* x = a ^ b while the stack reads the old x */
    "    local.get $x i32x4.add\n"                                                   /* b + (a ^ b) */
    "    local.get $y\n"                                                             /* y (= a) */
    "    local.get $x local.set $y\n"                       /* y = a ^ b while the stack reads the old y */
    "    i32x4.sub local.get $y i32.const 1 i32x4.shl i32x4.add)\n" /* (b + (a^b) - a) + ((a^b) << 1) */
    ")\n";

static uint32_t rl32(uint32_t v, unsigned k) { return k ? v << k | v >> (32 - k) : v; }
typedef void (*lanes_fn)(const uint8_t *a, const uint8_t *b, uint8_t *r);
#define LANES32(name, expr)                                                                        \
  static void name(const uint8_t *A, const uint8_t *B, uint8_t *R) {                              \
    uint32_t a[4], b[4], r[4];                                                                     \
    memcpy(a, A, 16), memcpy(b, B, 16);                                                            \
    for (int i = 0; i < 4; i++) r[i] = (expr);                                                     \
    memcpy(R, r, 16);                                                                              \
  }
LANES32(ref_xrot7, rl32(a[i] ^ b[i], 7) + (a[i] ^ b[i]))
LANES32(ref_rot20, rl32(a[i], 20))
LANES32(ref_rot_mod, rl32(a[i], 7))
LANES32(ref_not_rot_sum, a[i] << 7 | a[i] >> 24)
LANES32(ref_not_rot_src, a[i] << 8 | b[i] >> 24)
LANES32(ref_not_rot_zero, a[i] | b[i])
LANES32(ref_xshuf16, rl32(a[i] ^ b[i], 16) - (a[i] ^ b[i]))
LANES32(ref_xshuf8b, rl32(a[i] ^ b[i], 24))
LANES32(ref_xrot_keep, (a[i] ^ b[i]) - rl32(a[i] ^ b[i], 16))
LANES32(ref_add3, ((a[i] + b[i]) + (a[i] - b[i])) * ((a[i] - b[i]) + (a[i] + b[i])))
LANES32(ref_moves, (b[i] + (a[i] ^ b[i]) - a[i]) + ((a[i] ^ b[i]) << 1))
static void ref_rot64(const uint8_t *A, const uint8_t *B, uint8_t *R) {
  uint64_t a[2];
  (void)B;
  memcpy(a, A, 16);
  for (int i = 0; i < 2; i++) a[i] = a[i] << 13 | a[i] >> 51;
  memcpy(R, a, 16);
}
static void ref_rot16(const uint8_t *A, const uint8_t *B, uint8_t *R) {
  uint16_t a[8];
  (void)B;
  memcpy(a, A, 16);
  for (int i = 0; i < 8; i++) a[i] = (uint16_t)(a[i] << 3 | a[i] >> 13);
  memcpy(R, a, 16);
}

void wk_module_dump(const wk_module *m, uint32_t i, FILE *out); /* (lib/interp debug aid) */

static void check_fused(int guard, int eager) {
  static const struct {
    const char *name;
    lanes_fn ref;
  } cases[] = {{"xrot7", ref_xrot7},         {"rot20", ref_rot20},           {"rot_swapped", ref_rot20},
               {"rot_mod", ref_rot_mod},     {"not_rot_sum", ref_not_rot_sum}, {"not_rot_src", ref_not_rot_src},
               {"not_rot_zero", ref_not_rot_zero}, {"rot64", ref_rot64},     {"rot16", ref_rot16},
               {"xshuf16", ref_xshuf16},     {"xshuf8b", ref_xshuf8b},       {"add3", ref_add3}, {"xrot_keep", ref_xrot_keep},
               {"moves", ref_moves}};
  env v;
  wk_config cfg;
  wk_config_default(&cfg);
  cfg.guard_pages = guard;
  cfg.eager_translation = eager;
  wat_open(&v, fused_wat, &cfg);
  wat_inst(&v);
  for (size_t c = 0; c < sizeof cases / sizeof *cases; c++)
    for (int seed = 0; seed < 4; seed++) {
      uint8_t A[16], B[16], want[16];
      pattern(A, (uint8_t)(11 + 40 * seed)), pattern(B, (uint8_t)(250 - 29 * seed));
      if (seed == 3) memset(B, 0xff, 16);
      cases[c].ref(A, B, want);
      wk_value args[2] = {vec(A), vec(B)}, res;
      wk_trap *t = NULL;
      int rc = wk_func_call(v.s, wat_fn(&v, cases[c].name), args, 2, &res, 1, &t);
      if (t) fprintf(stderr, "%s: trap: %s\n", cases[c].name, wk_trap_message(t)), wk_trap_free(t);
      assert_int_equal(rc, WK_OK);
      assert_int_equal(res.type, WK_V128);
      if (memcmp(res.of.v128, want, 16)) fprintf(stderr, "%s (seed %d): wrong result\n", cases[c].name, seed);
      assert_memory_equal(res.of.v128, want, 16);
    }
  if (eager) { /* the fused forms were used (and the near misses were not fused) */
    char *txt = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&txt, &len);
    assert_non_null(f);
    for (uint32_t i = 0; i < sizeof cases / sizeof *cases; i++) wk_module_dump(v.m, i, f);
    fclose(f);
    static const char *const want_ops[] = {"V128_XOR_ROTL32", "I32X4_ROTL_I", "I64X2_ROTL_I", "I16X8_ROTL_I",
                                           "I32X4_ADD3", "V128_MOV2", "V128_MOV "};
    for (size_t k = 0; k < sizeof want_ops / sizeof *want_ops; k++) {
      if (!strstr(txt, want_ops[k])) fprintf(stderr, "not used: %s\n%s", want_ops[k], txt);
      assert_non_null(strstr(txt, want_ops[k]));
    }
    /* the three near misses: each keeps its two shifts and its or */
    size_t ors = 0;
    for (const char *p = txt; (p = strstr(p, "V128_OR ")); p++) ors++;
    assert_int_equal(ors, 3);
    free(txt);
  }
  wat_close(&v);
}
static void test_fused_lazy(void **state) { (void)state; check_fused(1, 0); }
static void test_fused_forms(void **state) { (void)state; check_fused(1, 1); }
static void test_fused_checked(void **state) { (void)state; check_fused(0, 1); }

/* Random straight-line programs over the instructions the fusions look at (local.get/set/tee of
 * v128 locals, v128.xor/or, i32x4.add, shifts by constants of the three lane widths with counts
 * that often make rotates, rotating and other i8x16.shuffles), biased towards the idioms (rotate
 * as shl | shr_u on a tee'd local, xor then rotate), run by lib/interp and by a reference
 * evaluator here (the lane definitions, Core 4.3.2 / 4.4.3.7); every local's final value is
 * folded into the result so that a wrong local write shows too. */
enum { R_GET, R_SET, R_TEE, R_XOR, R_OR, R_ADD, R_SHL, R_SHR, R_SHUF, R_CONST };
typedef struct rop {
  uint8_t k, w, n; /* kind; shift lane width; local or shift count */
  uint8_t sh[16];
} rop;
typedef struct rng { uint64_t s; } rng;
static unsigned rnd(rng *r, unsigned n) {
  r->s = r->s * 6364136223846793005ull + 1442695040888963407ull;
  return (unsigned)(r->s >> 33) % n;
}
#define RLOCALS 5 /* params 0 and 1, locals 2..4 */
static void r_eval(const rop *ops, size_t n, const uint8_t *A, const uint8_t *B, uint8_t out[16]) {
  uint8_t st[64][16], loc[RLOCALS][16];
  int h = 0;
  memset(loc, 0, sizeof loc);
  memcpy(loc[0], A, 16), memcpy(loc[1], B, 16);
  for (size_t i = 0; i < n; i++) {
    const rop *o = &ops[i];
    switch (o->k) {
    case R_GET: memcpy(st[h++], loc[o->n], 16); break;
    case R_CONST: memcpy(st[h++], o->sh, 16); break;
    case R_SET: memcpy(loc[o->n], st[--h], 16); break;
    case R_TEE: memcpy(loc[o->n], st[h - 1], 16); break;
    case R_XOR: case R_OR: case R_ADD: {
      uint8_t *a = st[h - 2], *b = st[h - 1];
      if (o->k == R_ADD) {
        uint32_t x[4], y[4];
        memcpy(x, a, 16), memcpy(y, b, 16);
        for (int l = 0; l < 4; l++) x[l] += y[l];
        memcpy(a, x, 16);
      } else {
        for (int l = 0; l < 16; l++) a[l] = o->k == R_XOR ? a[l] ^ b[l] : a[l] | b[l];
      }
      h--;
      break;
    }
    case R_SHL: case R_SHR: {
      uint8_t *a = st[h - 1];
      unsigned c = o->n & (o->w - 1u);
      for (int l = 0; l < 16 / (o->w / 8); l++) {
        uint64_t v = 0;
        memcpy(&v, a + l * (o->w / 8), o->w / 8);
        v = o->k == R_SHL ? v << c : v >> c;
        memcpy(a + l * (o->w / 8), &v, o->w / 8);
      }
      break;
    }
    case R_SHUF: {
      uint8_t ab[32], r[16];
      memcpy(ab, st[h - 2], 16), memcpy(ab + 16, st[h - 1], 16);
      for (int l = 0; l < 16; l++) r[l] = ab[o->sh[l]];
      memcpy(st[h - 2], r, 16);
      h--;
      break;
    }
    }
  }
  memcpy(out, st[0], 16);
}
static void r_text(char **p, const rop *o) {
  static const char *const wn[] = {"", "i16x8", "i32x4", "", "i64x2"};
  switch (o->k) {
  case R_GET: *p += sprintf(*p, " local.get %u", o->n); break;
  case R_CONST:
    *p += sprintf(*p, " v128.const i8x16");
    for (int l = 0; l < 16; l++) *p += sprintf(*p, " %u", o->sh[l]);
    break;
  case R_SET: *p += sprintf(*p, " local.set %u", o->n); break;
  case R_TEE: *p += sprintf(*p, " local.tee %u", o->n); break;
  case R_XOR: *p += sprintf(*p, " v128.xor"); break;
  case R_OR: *p += sprintf(*p, " v128.or"); break;
  case R_ADD: *p += sprintf(*p, " i32x4.add"); break;
  case R_SHL: case R_SHR:
    *p += sprintf(*p, " i32.const %u %s.%s", o->n, wn[o->w / 16], o->k == R_SHL ? "shl" : "shr_u");
    break;
  case R_SHUF:
    *p += sprintf(*p, " i8x16.shuffle");
    for (int l = 0; l < 16; l++) *p += sprintf(*p, " %u", o->sh[l]);
    break;
  }
}
/* one program: ops into o (at most 160), the stack height tracked so that every op is valid */
static size_t r_gen(rng *r, rop *o) {
  size_t n = 0;
  int h = 0;
  while (n < 140) {
    unsigned c = rnd(r, 14);
    if (h == 0 || (h < 6 && c < 3)) {
      o[n++] = (rop){R_GET, 0, (uint8_t)rnd(r, RLOCALS), {0}}, h++;
      if (rnd(r, 4) == 0) { /* a v128.const instead (operand or stored in a local) */
        o[n - 1].k = R_CONST;
        for (int l = 0; l < 16; l++) o[n - 1].sh[l] = (uint8_t)rnd(r, 256);
      }
    } else if (c < 4 && h > 0) {
      o[n++] = (rop){rnd(r, 2) ? R_SET : R_TEE, 0, (uint8_t)(2 + rnd(r, RLOCALS - 2)), {0}};
      if (o[n - 1].k == R_SET) h--;
    } else if (c < 7 && h >= 2) {
      static const uint8_t bk[3] = {R_XOR, R_OR, R_ADD};
      o[n++] = (rop){bk[rnd(r, 3)], 0, 0, {0}}, h--;
    } else if (c < 10) { /* the rotate idiom: tee L, shl k, get L, shr_u w - k (or swapped), or */
      static const uint8_t ws[3] = {16, 32, 64};
      uint8_t w = ws[rnd(r, 5) ? 1 : rnd(r, 3)], l = (uint8_t)(2 + rnd(r, RLOCALS - 2));
      unsigned k = rnd(r, w), j = rnd(r, 6) ? w - k : rnd(r, w + 8);
      if (rnd(r, 4) == 0) k += w; /* counts are taken mod w */
      int swap = (int)rnd(r, 2);
      if (c == 7 && h >= 2) o[n++] = (rop){R_XOR, 0, 0, {0}}, h--; /* xor, then rotate */
      o[n++] = (rop){R_TEE, 0, l, {0}};
      o[n++] = (rop){swap ? R_SHR : R_SHL, w, (uint8_t)(swap ? j : k), {0}};
      o[n++] = (rop){R_GET, 0, rnd(r, 8) ? l : (uint8_t)rnd(r, RLOCALS), {0}};
      o[n++] = (rop){swap ? R_SHL : R_SHR, w, (uint8_t)(swap ? k : j), {0}};
      o[n++] = (rop){R_OR, 0, 0, {0}};
      if (rnd(r, 4) == 0) o[n++] = (rop){rnd(r, 2) ? R_SET : R_TEE, 0, l, {0}}, h -= o[n - 1].k == R_SET;
    } else if (h >= 1) { /* a shuffle of (x, x) or (x, y): byte rotations mostly */
      rop s = {R_SHUF, 0, 0, {0}};
      unsigned base = rnd(r, 2) * 16, rr = 1 + rnd(r, 3), any = rnd(r, 5) == 0;
      for (unsigned l = 0; l < 16; l++)
        s.sh[l] = (uint8_t)(any ? rnd(r, 32) : base + (l & ~3u) + ((l + rr) & 3u));
      uint8_t lt = (uint8_t)(2 + rnd(r, RLOCALS - 2));
      if (c == 10 && h >= 2) o[n++] = (rop){R_XOR, 0, 0, {0}}, h--;
      int keep = rnd(r, 3) == 0; /* the local's value stays read below, then the local is set */
      o[n++] = (rop){R_TEE, 0, lt, {0}};
      if (keep) o[n++] = (rop){R_GET, 0, lt, {0}}, h++;
      o[n++] = (rop){R_GET, 0, rnd(r, 4) ? lt : (uint8_t)rnd(r, RLOCALS), {0}};
      o[n++] = s;
      if (keep) o[n++] = (rop){R_SET, 0, lt, {0}}, h--;
    }
  }
  if (h == 0) o[n++] = (rop){R_GET, 0, 1, {0}}, h++;
  while (h > 1) o[n++] = (rop){R_XOR, 0, 0, {0}}, h--;
  for (uint8_t l = 0; l < RLOCALS; l++) { /* fold every local in: result * 1 + local (add) */
    o[n++] = (rop){R_GET, 0, l, {0}};
    o[n++] = (rop){l & 1 ? R_ADD : R_XOR, 0, 0, {0}};
  }
  return n;
}
static void check_fused_random(int eager) {
  enum { NPROG = 150, NF = 8 };
  rng r = {0x5eed + (uint64_t)eager};
  for (int prog = 0; prog < NPROG; prog++) {
    static rop ops[NF][200];
    size_t nops[NF];
    size_t cap = 1 << 16;
    char *src = malloc(cap), *p = src;
    assert_non_null(src);
    p += sprintf(p, "(module\n");
    for (int f = 0; f < NF; f++) {
      nops[f] = r_gen(&r, ops[f]);
      p += sprintf(p, "  (func (export \"f%d\") (param v128 v128) (result v128) (local v128 v128 v128)\n   ", f);
      for (size_t i = 0; i < nops[f]; i++) r_text(&p, &ops[f][i]);
      p += sprintf(p, ")\n");
      assert_true((size_t)(p - src) < cap - 8192);
    }
    p += sprintf(p, ")\n");
    env v;
    wk_config cfg;
    wk_config_default(&cfg);
    cfg.eager_translation = eager;
    wat_open(&v, src, &cfg); /* (deterministic: the seed above regenerates a failing program) */
    wat_inst(&v);
    for (int f = 0; f < NF; f++) {
      char name[16];
      snprintf(name, sizeof name, "f%d", f);
      for (int seed = 0; seed < 2; seed++) {
        uint8_t A[16], B[16], want[16];
        pattern(A, (uint8_t)(prog * 7 + f + seed * 91)), pattern(B, (uint8_t)(prog * 13 + 3 * f + 45));
        r_eval(ops[f], nops[f], A, B, want);
        wk_value args[2] = {vec(A), vec(B)}, res;
        wk_trap *t = NULL;
        int rc = wk_func_call(v.s, wat_fn(&v, name), args, 2, &res, 1, &t);
        if (t) fprintf(stderr, "trap: %s\n", wk_trap_message(t)), wk_trap_free(t);
        assert_int_equal(rc, WK_OK);
        if (memcmp(res.of.v128, want, 16)) {
          char *line = strstr(src, name);
          fprintf(stderr, "program %d %s (seed %d): wrong result\n%.*s\n", prog, name, seed,
                  (int)(strchr(line, ')') ? strchr(line, ')') - line : 0) + 2000, line);
          if (eager) wk_module_dump(v.m, (uint32_t)f, stderr);
        }
        assert_memory_equal(res.of.v128, want, 16);
      }
    }
    wat_close(&v);
    free(src);
  }
}
static void test_fused_random_lazy(void **state) { (void)state; check_fused_random(0); }
static void test_fused_random_eager(void **state) { (void)state; check_fused_random(1); }

/* The fusions next to labels, which the straight-line programs above never have: an i32x4.add whose
 * first sum comes from before a loop (the loop's v128 parameter) and whose other operand is inside
 * it, a rotate (shl | shr_u) and an xor-rotate of a local at the head of a loop that runs it n
 * times, and a rotate in a block that a br_if leaves, consumed by an add after it. A fusion may not reach back over a label
 * (module.c barrier: a branch back to the loop would land inside the fused instruction or skip
 * what it replaced): each result is checked against the lane definitions computed here for
 * n = 1..5, lazy and eager, guard pages and checks. */
static uint32_t rotl32(uint32_t x, unsigned k) { return (x << k) | (x >> ((32 - k) & 31)); }
static void test_fused_labels(void **state) {
  (void)state;
  static const char *src =
      "(module\n"
      " (func (export \"sum\") (param i32) (result i32)\n"
      "  (local $a v128) (local $b v128) (local $c v128)\n"
      "  (local.set $a (v128.const i32x4 1 2 3 4)) (local.set $b (v128.const i32x4 10 20 30 40))\n"
      "  (local.set $c (v128.const i32x4 100 200 300 400))\n"
      "  (i32x4.add (local.get $a) (local.get $b))\n"
      "  (loop $l (param v128) (result v128)\n"
      "   (i32x4.add (local.get $c))\n"
      "   (local.set 0 (i32.sub (local.get 0) (i32.const 1)))\n"
      "   (br_if $l (local.get 0)))\n"
      "  (i32x4.extract_lane 3))\n"
      " (func (export \"rot\") (param i32) (result i32)\n"
      "  (local $t v128)\n"
      "  (local.set $t (v128.xor (v128.const i32x4 0x80000001 2 3 0x12345678) (v128.const i32x4 1 1 1 1)))\n"
      "  (loop $l\n"
      "   (local.set $t (v128.or (i32x4.shl (local.get $t) (i32.const 7)) (i32x4.shr_u (local.get $t) (i32.const 25))))\n"
      "   (local.set 0 (i32.sub (local.get 0) (i32.const 1)))\n"
      "   (br_if $l (local.get 0)))\n"
      "  (i32x4.extract_lane 3 (local.get $t)))\n"
      " (func (export \"xrot\") (param i32) (result i32)\n"
      "  (local $t v128) (local $k v128)\n"
      "  (local.set $t (v128.const i32x4 0x80000001 2 3 0x12345678))\n"
      "  (local.set $k (v128.const i32x4 5 6 7 0x0f0f0f0f))\n"
      "  (loop $l\n"
      "   (local.set $t (v128.xor (local.get $t) (local.get $k)))\n"
      "   (local.set $t (v128.or (i32x4.shl (local.get $t) (i32.const 12)) (i32x4.shr_u (local.get $t) (i32.const 20))))\n"
      "   (local.set 0 (i32.sub (local.get 0) (i32.const 1)))\n"
      "   (br_if $l (local.get 0)))\n"
      "  (i32x4.extract_lane 3 (local.get $t)))\n"
      " (func (export \"rotadd\") (param i32) (result i32)\n"
      "  (local $t v128)\n"
      "  (local.set $t (v128.const i32x4 0x80000001 2 3 0x12345678))\n"
      "  (local.get $t)\n"
      "  (block $b (result v128)\n"
      "   (v128.or (i32x4.shl (local.get $t) (i32.const 9)) (i32x4.shr_u (local.get $t) (i32.const 23)))\n"
      "   (br_if $b (local.get 0)))\n"
      "  (i32x4.add)\n"
      "  (i32x4.extract_lane 3)))\n";
  for (int k = 0; k < 4; k++) {
    env v;
    setup(&v, src, k & 1, NULL);
    if (k & 2) { /* eager (setup translates lazily): a second engine */
      wat_close(&v);
      wk_config cfg;
      wk_config_default(&cfg);
      cfg.guard_pages = k & 1;
      cfg.eager_translation = 1;
      wat_open(&v, src, &cfg);
    }
    wat_inst(&v);
    if (k & 2) { /* (eager) the fusions inside a loop happen (rotate, xor-rotate); none across its label */
      for (uint32_t i = 0; i < 4; i++) {
        char *txt = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&txt, &len);
        assert_non_null(f);
        wk_module_dump(v.m, i, f);
        fclose(f);
        if (i == 0) assert_null(strstr(txt, "I32X4_ADD3")); /* (the first add is before the loop) */
        if (i == 1 || i == 3) assert_non_null(strstr(txt, "I32X4_ROTL_I"));
        if (i == 2) assert_non_null(strstr(txt, "V128_XOR_ROTL32"));
        free(txt);
      }
    }
    for (int32_t n = 1; n <= 5; n++) {
      uint32_t sum = 4 + 40 + 400 * (uint32_t)n, rot = 0x12345678u ^ 1u, xr = 0x12345678u;
      for (int i = 0; i < n; i++) rot = rotl32(rot, 7), xr = rotl32(xr ^ 0x0f0f0f0fu, 12);
      uint32_t rotadd = 0x12345678u + rotl32(0x12345678u, 9);
      const struct { const char *name; uint32_t want; } c[] = {{"sum", sum}, {"rot", rot}, {"xrot", xr}, {"rotadd", rotadd}};
      for (size_t j = 0; j < sizeof c / sizeof *c; j++) {
        wk_value a = i32v(n), r;
        wk_trap *t = NULL;
        assert_int_equal(wk_func_call(v.s, wat_fn(&v, c[j].name), &a, 1, &r, 1, &t), WK_OK);
        if ((uint32_t)r.of.i32 != c[j].want) fprintf(stderr, "%s(%d): %#x, want %#x\n", c[j].name, n, (unsigned)r.of.i32, c[j].want);
        assert_int_equal((uint32_t)r.of.i32, c[j].want);
      }
    }
    wat_close(&v);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_calls_guard), cmocka_unit_test(test_calls_checked),
      cmocka_unit_test(test_mem_guard),   cmocka_unit_test(test_mem_checked),
      cmocka_unit_test(test_cache),       cmocka_unit_test(test_fused_lazy),
      cmocka_unit_test(test_fused_forms), cmocka_unit_test(test_fused_checked),
      cmocka_unit_test(test_fused_random_lazy), cmocka_unit_test(test_fused_random_eager),
      cmocka_unit_test(test_fused_labels),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
