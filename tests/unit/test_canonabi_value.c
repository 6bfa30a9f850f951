/*
 * Unit tests for lib/canonabi's run-time half (canonabi/value.h): load/store,
 * flat lift/lower, handle tables, WAVE. Expected bytes and flat values are
 * worked out by hand from CanonicalABI.md / definitions.py (store_string_*,
 * lower_flat_variant, lift_flat_values, lift_own/lift_borrow/lower_borrow,
 * Task.return_) and, for WAVE, from wasm-tools crates/wasm-wave (README and
 * writer.rs). The broad check is tests/canonabi/suite-canonabi.sh, which
 * compares against definitions.py itself on random cases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canonabi/value.h"

/* ---- an in-memory guest: 1 KiB memory, a bump realloc ---- */

typedef struct guest {
  uint8_t mem[1024];
  uint32_t next;
  int calls;
  int misalign_at; /* call index that returns a misaligned pointer, -1 none */
} guest;

static uint8_t *g_memory(void *env, size_t *len) {
  guest *g = env;
  *len = sizeof g->mem;
  return g->mem;
}

static int g_realloc(void *env, uint32_t old, uint32_t old_size, uint32_t align, uint32_t new_size, uint32_t *ptr,
                     wk_error *err) {
  guest *g = env;
  uint32_t p = (g->next + align - 1) / align * align;
  g->next = p + new_size;
  uint32_t n = old_size < new_size ? old_size : new_size;
  if (old && n && p + n <= sizeof g->mem) memmove(g->mem + p, g->mem + old, n);
  if (g->calls++ == g->misalign_at) p++;
  *ptr = p;
  return WK_OK;
}

static wk_cabi_instance inst;
static wk_cabi_call call;
static guest g;
static wk_arena arena;

static wk_cabi_cx mkcx(wk_cabi_string_encoding enc) {
  memset(&g, 0, sizeof g);
  g.next = 512;
  g.misalign_at = -1;
  wk_cabi_cx cx = {0};
  cx.opts.ptr_size = 4;
  cx.opts.string_encoding = enc;
  cx.memory = g_memory;
  cx.realloc = g_realloc;
  cx.env = &g;
  cx.inst = &inst;
  cx.borrow_scope = &call;
  return cx;
}

static int setup(void **state) {
  wk_cabi_instance_init(&inst);
  wk_cabi_call_init(&call, &inst);
  memset(&arena, 0, sizeof arena);
  return 0;
}

static int teardown(void **state) {
  wk_error e;
  wk_cabi_call_finish(&call, &e);
  wk_cabi_instance_free(&inst);
  wk_arena_free(&arena);
  return 0;
}

#define T(k) ((wk_cabi_type){.kind = (k)})
static const wk_cabi_type t_u8 = T(WK_CABI_U8), t_u16 = T(WK_CABI_U16), t_u32 = T(WK_CABI_U32),
                          t_s8 = T(WK_CABI_S8), t_u64 = T(WK_CABI_U64), t_f32 = T(WK_CABI_F32),
                          t_f64 = T(WK_CABI_F64), t_str = T(WK_CABI_STRING), t_chr = T(WK_CABI_CHAR),
                          t_bool = T(WK_CABI_BOOL);

static wk_cval S(const char *s) {
  wk_cval v = {.kind = WK_CABI_STRING};
  v.of.str.ptr = s;
  v.of.str.len = (uint32_t)strlen(s);
  return v;
}

static uint32_t rd32(uint32_t p) { return g.mem[p] | g.mem[p + 1] << 8 | g.mem[p + 2] << 16 | (uint32_t)g.mem[p + 3] << 24; }
static void wr32(uint32_t p, uint32_t v) { for (int i = 0; i < 4; i++) g.mem[p + i] = (uint8_t)(v >> (8 * i)); }

/* ---- strings ---- */

static void test_string_utf8(void **state) {
  wk_cabi_cx cx = mkcx(WK_CABI_UTF8);
  wk_error e;
  wk_cval v = S("h\xc3\xa9!");
  assert_int_equal(wk_cabi_store(&cx, &t_str, &v, 8, &e), WK_OK);
  assert_int_equal(rd32(8), 512); /* allocate(1, 4) */
  assert_int_equal(rd32(12), 4);  /* code units = bytes */
  assert_memory_equal(g.mem + 512, "h\xc3\xa9!", 4);
  wk_cval out;
  assert_int_equal(wk_cabi_load(&cx, &t_str, 8, &arena, &out, &e), WK_OK);
  assert_true(wk_cval_equal(&v, &out, &t_str));
  /* invalid UTF-8 in guest memory traps (load_string_from_range: decode fails) */
  g.mem[513] = 0xc3;
  g.mem[514] = 0x28;
  assert_int_equal(wk_cabi_load(&cx, &t_str, 8, &arena, &out, &e), WK_ERR_TRAP);
  /* out of bounds */
  wr32(8, 1020);
  wr32(12, 5);
  assert_int_equal(wk_cabi_load(&cx, &t_str, 8, &arena, &out, &e), WK_ERR_TRAP);
  /* MAX_STRING_BYTE_LENGTH */
  wr32(8, 0);
  wr32(12, 1u << 28);
  assert_int_equal(wk_cabi_load(&cx, &t_str, 8, &arena, &out, &e), WK_ERR_TRAP);
  /* the host's string must be UTF-8 */
  wk_cval bad = S("\xff");
  assert_int_equal(wk_cabi_store(&cx, &t_str, &bad, 8, &e), WK_ERR_INVALID);
}

static void test_string_utf16(void **state) {
  wk_cabi_cx cx = mkcx(WK_CABI_UTF16);
  wk_error e;
  /* "a\u00e9\U0001F600": 7 UTF-8 bytes -> worst case 14 bytes, 4 code units (8 bytes), realloc shrinks */
  wk_cval v = S("a\xc3\xa9\xf0\x9f\x98\x80");
  assert_int_equal(wk_cabi_store(&cx, &t_str, &v, 0, &e), WK_OK);
  assert_int_equal(g.calls, 2);
  uint32_t p = rd32(0);
  assert_int_equal(p % 2, 0);
  assert_int_equal(rd32(4), 4);
  static const uint8_t want[] = {'a', 0, 0xe9, 0, 0x3d, 0xd8, 0x00, 0xde};
  assert_memory_equal(g.mem + p, want, 8);
  wk_cval out;
  assert_int_equal(wk_cabi_load(&cx, &t_str, 0, &arena, &out, &e), WK_OK);
  assert_true(wk_cval_equal(&v, &out, &t_str));
  /* a lone surrogate traps */
  g.mem[p + 6] = 'x';
  g.mem[p + 7] = 0;
  assert_int_equal(wk_cabi_load(&cx, &t_str, 0, &arena, &out, &e), WK_ERR_TRAP);
  /* misaligned string pointer traps */
  wr32(0, p + 1);
  assert_int_equal(wk_cabi_load(&cx, &t_str, 0, &arena, &out, &e), WK_ERR_TRAP);
  /* a misaligned realloc result traps */
  cx = mkcx(WK_CABI_UTF16);
  g.misalign_at = 0;
  assert_int_equal(wk_cabi_store(&cx, &t_str, &v, 0, &e), WK_ERR_TRAP);
  assert_non_null(strstr(e.msg, "misaligned"));
}

static void test_string_latin1_utf16(void **state) {
  wk_cabi_cx cx = mkcx(WK_CABI_LATIN1_UTF16);
  wk_error e;
  /* all code points < 256: latin-1, shrunk from 3 (UTF-8 bytes) to 2 */
  wk_cval v = S("a\xc3\xa9");
  assert_int_equal(wk_cabi_store(&cx, &t_str, &v, 0, &e), WK_OK);
  uint32_t p = rd32(0);
  assert_int_equal(rd32(4), 2);
  assert_int_equal(g.mem[p], 'a');
  assert_int_equal(g.mem[p + 1], 0xe9);
  wk_cval out;
  assert_int_equal(wk_cabi_load(&cx, &t_str, 0, &arena, &out, &e), WK_OK);
  assert_true(wk_cval_equal(&v, &out, &t_str));
  /* a code point >= 256: UTF-16 with the tag bit */
  cx = mkcx(WK_CABI_LATIN1_UTF16);
  wk_cval w = S("\xc3\xa9\xe2\x82\xac"); /* é€ */
  assert_int_equal(wk_cabi_store(&cx, &t_str, &w, 0, &e), WK_OK);
  p = rd32(0);
  assert_int_equal(rd32(4), 2u | WK_CABI_UTF16_TAG);
  static const uint8_t want[] = {0xe9, 0, 0xac, 0x20};
  assert_memory_equal(g.mem + p, want, 4);
  assert_int_equal(wk_cabi_load(&cx, &t_str, 0, &arena, &out, &e), WK_OK);
  assert_true(wk_cval_equal(&w, &out, &t_str));
}

/* ---- scalars, records, variants, flags ---- */

static void test_scalars(void **state) {
  wk_cabi_cx cx = mkcx(WK_CABI_UTF8);
  wk_error e;
  wk_cval out;
  /* NaN canonicalization on lift (canonicalize_nan32) and on lower (deterministic profile) */
  wr32(0, 0x7f800001);
  assert_int_equal(wk_cabi_load(&cx, &t_f32, 0, &arena, &out, &e), WK_OK);
  uint32_t b;
  memcpy(&b, &out.of.f32, 4);
  assert_int_equal(b, 0x7fc00000);
  wk_cval nan = {.kind = WK_CABI_F32};
  b = 0xffc01234;
  memcpy(&nan.of.f32, &b, 4);
  assert_int_equal(wk_cabi_store(&cx, &t_f32, &nan, 4, &e), WK_OK);
  assert_int_equal(rd32(4), 0x7fc00000);
  /* char: surrogates and > 0x10FFFF trap */
  wr32(8, 0xd800);
  assert_int_equal(wk_cabi_load(&cx, &t_chr, 8, &arena, &out, &e), WK_ERR_TRAP);
  wr32(8, 0x110000);
  assert_int_equal(wk_cabi_load(&cx, &t_chr, 8, &arena, &out, &e), WK_ERR_TRAP);
  wr32(8, 0x10ffff);
  assert_int_equal(wk_cabi_load(&cx, &t_chr, 8, &arena, &out, &e), WK_OK);
  assert_int_equal(out.of.ch, 0x10ffff);
  /* bool: any non-zero byte is true; s8 sign-extends */
  g.mem[12] = 7;
  assert_int_equal(wk_cabi_load(&cx, &t_bool, 12, &arena, &out, &e), WK_OK);
  assert_int_equal(out.of.b, 1);
  g.mem[13] = 0x80;
  assert_int_equal(wk_cabi_load(&cx, &t_s8, 13, &arena, &out, &e), WK_OK);
  assert_int_equal(out.of.s, -128);
  /* misaligned or out-of-bounds entry pointer */
  assert_int_equal(wk_cabi_load(&cx, &t_u32, 2, &arena, &out, &e), WK_ERR_TRAP);
  assert_int_equal(wk_cabi_load(&cx, &t_u64, 1024, &arena, &out, &e), WK_ERR_TRAP);
}

static void test_record_variant_flags(void **state) {
  wk_cabi_cx cx = mkcx(WK_CABI_UTF8);
  wk_error e;
  /* record { a: u8, b: option<u64>, c: list<u16> } : a@0, b@8 (disc@8, payload@16), c@24 */
  const wk_cabi_type *ok[] = {&t_u64};
  wk_cabi_type opt = {.kind = WK_CABI_OPTION, .children = ok};
  const wk_cabi_type *lk[] = {&t_u16};
  wk_cabi_type lst = {.kind = WK_CABI_LIST, .children = lk};
  const wk_cabi_type *rk[] = {&t_u8, &opt, &lst};
  wk_cabi_type rec = {.kind = WK_CABI_RECORD, .n = 3, .children = rk};
  wk_cval items[3], some = {.kind = WK_CABI_U64, .of.u = 0x0102030405060708ull}, elems[2];
  items[0] = (wk_cval){.kind = WK_CABI_U8, .of.u = 9};
  items[1] = (wk_cval){.kind = WK_CABI_OPTION, .of.var = {1, &some}};
  elems[0] = (wk_cval){.kind = WK_CABI_U16, .of.u = 0xbeef};
  elems[1] = (wk_cval){.kind = WK_CABI_U16, .of.u = 1};
  items[2] = (wk_cval){.kind = WK_CABI_LIST, .of.seq = {elems, 2}};
  wk_cval v = {.kind = WK_CABI_RECORD, .of.seq = {items, 3}};
  assert_int_equal(wk_cabi_store(&cx, &rec, &v, 0, &e), WK_OK);
  assert_int_equal(g.mem[0], 9);
  assert_int_equal(g.mem[8], 1);
  assert_int_equal(rd32(16), 0x05060708);
  assert_int_equal(rd32(24), 512);
  assert_int_equal(rd32(28), 2);
  assert_int_equal(rd32(512), 0x0001beef);
  wk_cval out;
  assert_int_equal(wk_cabi_load(&cx, &rec, 0, &arena, &out, &e), WK_OK);
  assert_true(wk_cval_equal(&v, &out, &rec));
  /* discriminant 2 of an option traps */
  g.mem[8] = 2;
  assert_int_equal(wk_cabi_load(&cx, &rec, 0, &arena, &out, &e), WK_ERR_TRAP);
  assert_non_null(strstr(e.msg, "discriminant"));
  /* flags with 3 labels: bits beyond the labels are ignored on load, never stored */
  wk_cabi_type fl = {.kind = WK_CABI_FLAGS, .n = 3};
  g.mem[100] = 0xfd;
  assert_int_equal(wk_cabi_load(&cx, &fl, 100, &arena, &out, &e), WK_OK);
  assert_int_equal(out.of.flags.words[0], 5);
  uint32_t w = 0xff;
  wk_cval fv = {.kind = WK_CABI_FLAGS, .of.flags = {&w, 1}};
  assert_int_equal(wk_cabi_store(&cx, &fl, &fv, 101, &e), WK_OK);
  assert_int_equal(g.mem[101], 7);
  /* a host value of the wrong kind is an error, not a trap */
  wk_cval wrong = {.kind = WK_CABI_U32};
  assert_int_equal(wk_cabi_store(&cx, &fl, &wrong, 101, &e), WK_ERR_INVALID);
}

/* Lists of fixed-size numbers take a fast path in lib/canonabi (one memory
 * lookup per list): the bytes, sign extension, NaN canonicalization, a wrong
 * host kind part way through and an out-of-bounds fixed-length list must be
 * exactly what the per-element path gives. */
static void test_numeric_lists(void **state) {
  wk_cabi_cx cx = mkcx(WK_CABI_UTF8);
  wk_error e;
  const wk_cabi_type *sk[] = {&t_s8};
  wk_cabi_type ls8 = {.kind = WK_CABI_LIST, .children = sk};
  wk_cval el[3] = {{.kind = WK_CABI_S8, .of.s = -2}, {.kind = WK_CABI_S8, .of.s = 127}, {.kind = WK_CABI_S8, .of.s = -128}};
  wk_cval v = {.kind = WK_CABI_LIST, .of.seq = {el, 3}};
  assert_int_equal(wk_cabi_store(&cx, &ls8, &v, 0, &e), WK_OK);
  assert_int_equal(rd32(0), 512);
  assert_int_equal(rd32(4), 3);
  assert_int_equal(g.mem[512], 0xfe);
  assert_int_equal(g.mem[513], 0x7f);
  assert_int_equal(g.mem[514], 0x80);
  wk_cval out;
  assert_int_equal(wk_cabi_load(&cx, &ls8, 0, &arena, &out, &e), WK_OK);
  assert_int_equal(out.of.seq.n, 3);
  assert_int_equal(out.of.seq.items[0].of.s, -2);
  assert_int_equal(out.of.seq.items[2].of.s, -128);
  assert_true(wk_cval_equal(&v, &out, &ls8));
  /* f32: a NaN with a payload is stored and loaded as the canonical NaN */
  const wk_cabi_type *fk[] = {&t_f32};
  wk_cabi_type lf = {.kind = WK_CABI_LIST, .children = fk};
  uint32_t nanbits = 0x7fa00001u;
  float nanf;
  memcpy(&nanf, &nanbits, 4);
  wk_cval fe[2] = {{.kind = WK_CABI_F32, .of.f32 = 1.5f}, {.kind = WK_CABI_F32, .of.f32 = nanf}};
  wk_cval fv = {.kind = WK_CABI_LIST, .of.seq = {fe, 2}};
  assert_int_equal(wk_cabi_store(&cx, &lf, &fv, 8, &e), WK_OK);
  uint32_t at = rd32(8);
  assert_int_equal(rd32(at), 0x3fc00000u);
  assert_int_equal(rd32(at + 4), 0x7fc00000u);
  memcpy(g.mem + at + 4, &nanbits, 4); /* a guest-written NaN payload is canonicalized on load */
  assert_int_equal(wk_cabi_load(&cx, &lf, 8, &arena, &out, &e), WK_OK);
  uint32_t got;
  memcpy(&got, &out.of.seq.items[1].of.f32, 4);
  assert_int_equal(got, 0x7fc00000u);
  /* list<u32> with a host value of the wrong kind in the middle: an error,
   * the elements before it already written (as store() element by element) */
  const wk_cabi_type *uk[] = {&t_u32};
  wk_cabi_type lu = {.kind = WK_CABI_LIST, .children = uk};
  wk_cval ue[3] = {{.kind = WK_CABI_U32, .of.u = 0x11223344}, {.kind = WK_CABI_U64, .of.u = 5}, {.kind = WK_CABI_U32, .of.u = 7}};
  wk_cval uv = {.kind = WK_CABI_LIST, .of.seq = {ue, 3}};
  uint32_t before = g.next;
  assert_int_equal(wk_cabi_store(&cx, &lu, &uv, 16, &e), WK_ERR_INVALID);
  uint32_t base = (before + 3) / 4 * 4;
  assert_int_equal(rd32(base), 0x11223344u);
  /* a fixed-length list<u32, 2> past the end of memory traps (not the fast path) */
  wk_cabi_type fx = {.kind = WK_CABI_LIST, .children = uk, .length = 2};
  assert_int_equal(wk_cabi_load(&cx, &fx, 1020, &arena, &out, &e), WK_ERR_TRAP);
  /* list<u16> whose range ends past memory traps before any element */
  const wk_cabi_type *hk[] = {&t_u16};
  wk_cabi_type lh = {.kind = WK_CABI_LIST, .children = hk};
  uint32_t p = 1000, n = 20;
  memcpy(g.mem + 32, &p, 4);
  memcpy(g.mem + 36, &n, 4);
  assert_int_equal(wk_cabi_load(&cx, &lh, 32, &arena, &out, &e), WK_ERR_TRAP);
  n = 12; /* 1000 + 24 = 1024: exactly in bounds */
  memcpy(g.mem + 36, &n, 4);
  assert_int_equal(wk_cabi_load(&cx, &lh, 32, &arena, &out, &e), WK_OK);
  assert_int_equal(out.of.seq.n, 12);
}

/* ---- flat values ---- */

static void test_flat_variant_join(void **state) {
  wk_cabi_cx cx = mkcx(WK_CABI_UTF8);
  wk_error e;
  /* variant { a(f32), b(u64), c } flattens to [i32, i64]: a's f32 travels as its bits in an i64 */
  const wk_cabi_type *vk[] = {&t_f32, &t_u64, NULL};
  wk_cabi_type var = {.kind = WK_CABI_VARIANT, .n = 3, .children = vk};
  const wk_cabi_type *ts[] = {&var};
  wk_cval pay = {.kind = WK_CABI_F32, .of.f32 = 1.5f};
  wk_cval v = {.kind = WK_CABI_VARIANT, .of.var = {0, &pay}};
  wk_cabi_flat flat[WK_CABI_SIG_MAX];
  uint32_t n = 0;
  assert_int_equal(wk_cabi_lower_values(&cx, ts, 1, WK_CABI_MAX_FLAT_PARAMS, &v, 0, 0, flat, &n, &e), WK_OK);
  assert_int_equal(n, 2);
  assert_int_equal(flat[0].type, WK_CABI_CORE_I32);
  assert_int_equal(flat[0].bits, 0);
  assert_int_equal(flat[1].type, WK_CABI_CORE_I64);
  assert_int_equal(flat[1].bits, 0x3fc00000);
  wk_cval out;
  assert_int_equal(wk_cabi_lift_values(&cx, ts, 1, WK_CABI_MAX_FLAT_PARAMS, flat, n, &arena, &out, &e), WK_OK);
  assert_true(wk_cval_equal(&v, &out, &var));
  /* case c: the unused slot is 0 */
  wk_cval c = {.kind = WK_CABI_VARIANT, .of.var = {2, NULL}};
  assert_int_equal(wk_cabi_lower_values(&cx, ts, 1, WK_CABI_MAX_FLAT_PARAMS, &c, 0, 0, flat, &n, &e), WK_OK);
  assert_int_equal(n, 2);
  assert_int_equal(flat[0].bits, 2);
  assert_int_equal(flat[1].bits, 0);
  /* lifting an i64 slot as f32 wraps to 32 bits (lift_flat_variant: wrap_i64_to_i32) */
  flat[0].bits = 0;
  flat[1].bits = 0xffffffff3fc00000ull;
  assert_int_equal(wk_cabi_lift_values(&cx, ts, 1, WK_CABI_MAX_FLAT_PARAMS, flat, n, &arena, &out, &e), WK_OK);
  assert_true(out.of.var.payload->of.f32 == 1.5f);
  flat[0].bits = 3;
  assert_int_equal(wk_cabi_lift_values(&cx, ts, 1, WK_CABI_MAX_FLAT_PARAMS, flat, n, &arena, &out, &e), WK_ERR_TRAP);
}

static void test_flat_spill(void **state) {
  wk_cabi_cx cx = mkcx(WK_CABI_UTF8);
  wk_error e;
  /* 17 u32 params exceed MAX_FLAT_PARAMS: lowered into a realloc'd tuple, passed as one pointer */
  const wk_cabi_type *ts[17];
  wk_cval vals[17];
  for (int i = 0; i < 17; i++) {
    ts[i] = &t_u32;
    vals[i] = (wk_cval){.kind = WK_CABI_U32, .of.u = (uint64_t)i * 3};
  }
  wk_cabi_flat flat[WK_CABI_SIG_MAX];
  uint32_t n = 0;
  assert_int_equal(wk_cabi_lower_values(&cx, ts, 17, WK_CABI_MAX_FLAT_PARAMS, vals, 0, 0, flat, &n, &e), WK_OK);
  assert_int_equal(n, 1);
  assert_int_equal(flat[0].bits, 512);
  assert_int_equal(rd32(512 + 4 * 16), 48);
  wk_cval out[17];
  assert_int_equal(wk_cabi_lift_values(&cx, ts, 17, WK_CABI_MAX_FLAT_PARAMS, flat, 1, &arena, out, &e), WK_OK);
  for (int i = 0; i < 17; i++) assert_int_equal(out[i].of.u, (uint64_t)i * 3);
  /* a result of 2 flat values with MAX_FLAT_RESULTS = 1 goes to the caller's out pointer */
  const wk_cabi_type *rs[] = {&t_str};
  wk_cval sv = S("xy");
  assert_int_equal(wk_cabi_lower_values(&cx, rs, 1, WK_CABI_MAX_FLAT_RESULTS, &sv, 1, 64, flat, &n, &e), WK_OK);
  assert_int_equal(n, 0);
  assert_int_equal(rd32(68), 2);
  assert_memory_equal(g.mem + rd32(64), "xy", 2);
  /* a misaligned out pointer traps */
  assert_int_equal(wk_cabi_lower_values(&cx, rs, 1, WK_CABI_MAX_FLAT_RESULTS, &sv, 1, 65, flat, &n, &e), WK_ERR_TRAP);
  /* the wrong number of flat values is a usage error */
  assert_int_equal(wk_cabi_lift_values(&cx, ts, 2, WK_CABI_MAX_FLAT_PARAMS, flat, 1, &arena, out, &e), WK_ERR_USAGE);
}

/* ---- handles ---- */

static int dtor_calls;
static uint32_t dtor_rep;
static int dtor(void *env, uint32_t rep, wk_error *err) {
  dtor_calls++;
  dtor_rep = rep;
  return WK_OK;
}

static void test_handles(void **state) {
  wk_cabi_cx cx = mkcx(WK_CABI_UTF8);
  wk_error e;
  wk_cabi_instance other;
  wk_cabi_instance_init(&other);
  wk_cabi_rtype mine = {.impl = &inst, .dtor = dtor, .name = "mine"}, theirs = {.impl = &other, .name = "theirs"};
  wk_cabi_type own = {.kind = WK_CABI_OWN, .resource = &theirs}, bor = {.kind = WK_CABI_BORROW, .resource = &theirs};
  wk_cabi_type bor_mine = {.kind = WK_CABI_BORROW, .resource = &mine};
  uint32_t h1, h2, rep;
  assert_int_equal(wk_cabi_resource_new(&inst, &theirs, 42, &h1, &e), WK_OK);
  assert_int_equal(h1, 1); /* index 0 is never used */
  assert_int_equal(wk_cabi_resource_new(&inst, &theirs, 43, &h2, &e), WK_OK);
  assert_int_equal(h2, 2);
  assert_int_equal(wk_cabi_resource_rep(&inst, &theirs, h2, &rep, &e), WK_OK);
  assert_int_equal(rep, 43);
  assert_int_equal(wk_cabi_resource_rep(&inst, &mine, h2, &rep, &e), WK_ERR_TRAP);
  /* lift_borrow: lends h1 for the call */
  wk_cval out;
  wr32(0, h1);
  assert_int_equal(wk_cabi_load(&cx, &bor, 0, &arena, &out, &e), WK_OK);
  assert_int_equal(out.of.handle.rep, 42);
  assert_int_equal(inst.handles[h1].num_lends, 1);
  /* while lent, it can be neither dropped nor moved */
  assert_int_equal(wk_cabi_resource_drop(&inst, &theirs, h1, &e), WK_ERR_TRAP);
  assert_int_equal(wk_cabi_load(&cx, &own, 0, &arena, &out, &e), WK_ERR_TRAP);
  assert_int_equal(wk_cabi_call_finish(&call, &e), WK_OK);
  assert_int_equal(inst.handles[h1].num_lends, 0);
  /* lift_own removes the handle; the freed index is reused first */
  assert_int_equal(wk_cabi_load(&cx, &own, 0, &arena, &out, &e), WK_OK);
  assert_int_equal(out.of.handle.rep, 42);
  assert_int_equal(wk_cabi_load(&cx, &own, 0, &arena, &out, &e), WK_ERR_TRAP);
  wk_cval hv = {.kind = WK_CABI_OWN, .of.handle = {&theirs, 77}};
  assert_int_equal(wk_cabi_store(&cx, &own, &hv, 4, &e), WK_OK);
  assert_int_equal(rd32(4), h1);
  /* lower_borrow: a resource implemented by the lowering instance passes the rep */
  wk_cval bv = {.kind = WK_CABI_BORROW, .of.handle = {&mine, 99}};
  wk_cabi_call_init(&call, &inst);
  assert_int_equal(wk_cabi_store(&cx, &bor_mine, &bv, 8, &e), WK_OK);
  assert_int_equal(rd32(8), 99);
  assert_int_equal(call.num_borrows, 0);
  /* otherwise a borrow handle scoped to the call, which must be dropped before it returns */
  bv.of.handle.rt = &theirs;
  assert_int_equal(wk_cabi_store(&cx, &bor, &bv, 8, &e), WK_OK);
  uint32_t hb = rd32(8);
  assert_int_equal(inst.handles[hb].own, 0);
  assert_int_equal(call.num_borrows, 1);
  assert_int_equal(wk_cabi_call_finish(&call, &e), WK_ERR_TRAP);
  wk_cabi_call_init(&call, &inst);
  call.num_borrows = 1;
  inst.handles[hb].borrow_scope = &call;
  assert_int_equal(wk_cabi_resource_drop(&inst, &theirs, hb, &e), WK_OK);
  assert_int_equal(call.num_borrows, 0);
  assert_int_equal(wk_cabi_call_finish(&call, &e), WK_OK);
  /* dropping an own handle runs the destructor; may_leave guards resource.new/drop */
  uint32_t hm;
  assert_int_equal(wk_cabi_resource_new(&inst, &mine, 5, &hm, &e), WK_OK);
  assert_int_equal(wk_cabi_resource_drop(&inst, &mine, hm, &e), WK_OK);
  assert_int_equal(dtor_calls, 1);
  assert_int_equal(dtor_rep, 5);
  assert_int_equal(wk_cabi_resource_drop(&inst, &mine, hm, &e), WK_ERR_TRAP);
  inst.may_leave = 0;
  assert_int_equal(wk_cabi_resource_new(&inst, &mine, 5, &hm, &e), WK_ERR_TRAP);
  inst.may_leave = 1;
  wk_cabi_instance_free(&other);
}

/* ---- WAVE ---- */

static void wave_is(const wk_cval *v, const wk_cabi_type *t, const wk_cabi_names *n, const char *want) {
  wk_buf b = {0};
  wk_error e;
  assert_int_equal(wk_cval_print_wave(v, t, n, &b, &e), WK_OK);
  wk_buf_byte(&b, 0);
  assert_string_equal((const char *)b.data, want);
  /* and it parses back to the same value */
  wk_cval back;
  assert_int_equal(wk_cval_parse_wave(want, strlen(want), t, n, &arena, &back, &e), WK_OK);
  assert_true(wk_cval_equal(v, &back, t));
  wk_buf_free(&b);
}

static void test_wave_print(void **state) {
  wk_cval v = {.kind = WK_CABI_F64};
  double d[] = {1.5, 0.1, 1e20, 1e-7, -0.0, 123456789.125, 5e-324};
  /* 5e-324 (the smallest subnormal): "0." then 323 zeros then "5", as Rust's Display writes it */
  static char tiny[2 + 323 + 2];
  memcpy(tiny, "0.", 2);
  memset(tiny + 2, '0', 323);
  memcpy(tiny + 325, "5", 2);
  const char *ds[] = {"1.5", "0.1", "100000000000000000000", "0.0000001", "-0", "123456789.125", tiny};
  for (int i = 0; i < 7; i++) {
    v.of.f64 = d[i];
    wave_is(&v, &t_f64, NULL, ds[i]);
  }
  v = (wk_cval){.kind = WK_CABI_F32, .of.f32 = 0.1f};
  wave_is(&v, &t_f32, NULL, "0.1");
  v.of.f32 = 16777216.0f;
  wave_is(&v, &t_f32, NULL, "16777216");
  v.of.f32 = INFINITY;
  wave_is(&v, &t_f32, NULL, "inf");
  v.of.f32 = -INFINITY;
  wave_is(&v, &t_f32, NULL, "-inf");
  v.of.f32 = NAN;
  wave_is(&v, &t_f32, NULL, "nan");
  v = (wk_cval){.kind = WK_CABI_CHAR, .of.ch = '\''};
  wave_is(&v, &t_chr, NULL, "'\\''");
  v.of.ch = 1;
  wave_is(&v, &t_chr, NULL, "'\\u{1}'");
  v.of.ch = 0x2603;
  wave_is(&v, &t_chr, NULL, "'\xe2\x98\x83'");
  v = S("a\"b'\\\n\t\xc3\xa9");
  wave_is(&v, &t_str, NULL, "\"a\\\"b\\'\\\\\\n\\t\xc3\xa9\"");
  v = (wk_cval){.kind = WK_CABI_S64, .of.s = INT64_MIN};
  wave_is(&v, &(wk_cabi_type){.kind = WK_CABI_S64}, NULL, "-9223372036854775808");
  v = (wk_cval){.kind = WK_CABI_U64, .of.u = UINT64_MAX};
  wave_is(&v, &t_u64, NULL, "18446744073709551615");

  /* record { name: string, age: option<u8> } with none omitted; all omitted -> {:} */
  const wk_cabi_type *ok[] = {&t_u8};
  wk_cabi_type opt = {.kind = WK_CABI_OPTION, .children = ok};
  const wk_cabi_type *rk[] = {&t_str, &opt};
  wk_cabi_type rec = {.kind = WK_CABI_RECORD, .n = 2, .children = rk};
  const char *rl[] = {"name", "age"};
  wk_cabi_names rn = {rl, NULL};
  wk_cval items[2] = {S("x"), {.kind = WK_CABI_OPTION}};
  wk_cval rv = {.kind = WK_CABI_RECORD, .of.seq = {items, 2}};
  wave_is(&rv, &rec, &rn, "{name: \"x\"}");
  wk_cval age = {.kind = WK_CABI_U8, .of.u = 7};
  items[1].of.var.disc = 1;
  items[1].of.var.payload = &age;
  wave_is(&rv, &rec, &rn, "{name: \"x\", age: some(7)}");
  const wk_cabi_type *rk2[] = {&opt};
  wk_cabi_type rec2 = {.kind = WK_CABI_RECORD, .n = 1, .children = rk2};
  wk_cval none = {.kind = WK_CABI_OPTION};
  wk_cval rv2 = {.kind = WK_CABI_RECORD, .of.seq = {&none, 1}};
  wave_is(&rv2, &rec2, &rn + 0, "{:}");

  /* variant with a keyword case, enum, flags, result, tuple, list */
  const wk_cabi_type *vk[] = {NULL, &t_u8};
  wk_cabi_type var = {.kind = WK_CABI_VARIANT, .n = 2, .children = vk};
  const char *vl[] = {"none", "some-thing"};
  wk_cabi_names vn = {vl, NULL};
  wk_cval vv = {.kind = WK_CABI_VARIANT, .of.var = {0, NULL}};
  wave_is(&vv, &var, &vn, "%none");
  vv.of.var.disc = 1;
  vv.of.var.payload = &age;
  wave_is(&vv, &var, &vn, "some-thing(7)");
  wk_cabi_type fl = {.kind = WK_CABI_FLAGS, .n = 3};
  const char *fls[] = {"read", "write", "exec"};
  wk_cabi_names fn = {fls, NULL};
  uint32_t w = 5;
  wk_cval fv = {.kind = WK_CABI_FLAGS, .of.flags = {&w, 1}};
  wave_is(&fv, &fl, &fn, "{read, exec}");
  w = 0;
  wave_is(&fv, &fl, &fn, "{}");
  const wk_cabi_type *resk[] = {NULL, &t_str};
  wk_cabi_type res = {.kind = WK_CABI_RESULT, .children = resk};
  wk_cval errs = S("bad"), resv = {.kind = WK_CABI_RESULT, .of.var = {1, &errs}};
  wave_is(&resv, &res, NULL, "err(\"bad\")");
  resv.of.var.disc = 0;
  resv.of.var.payload = NULL;
  wave_is(&resv, &res, NULL, "ok");
  const wk_cabi_type *tk[] = {&t_u8, &t_str};
  wk_cabi_type tup = {.kind = WK_CABI_TUPLE, .n = 2, .children = tk};
  wk_cval ti[2] = {age, S("")};
  wk_cval tv = {.kind = WK_CABI_TUPLE, .of.seq = {ti, 2}};
  wave_is(&tv, &tup, NULL, "(7, \"\")");
  const wk_cabi_type *lk[] = {&t_u8};
  wk_cabi_type lst = {.kind = WK_CABI_LIST, .children = lk};
  wk_cval li[2] = {age, age};
  wk_cval lv = {.kind = WK_CABI_LIST, .of.seq = {li, 2}};
  wave_is(&lv, &lst, NULL, "[7, 7]");
  lv.of.seq.n = 0;
  wave_is(&lv, &lst, NULL, "[]");
  /* handles have no WAVE form */
  wk_buf b = {0};
  wk_error e;
  wk_cval hv = {.kind = WK_CABI_OWN};
  assert_int_equal(wk_cval_print_wave(&hv, &(wk_cabi_type){.kind = WK_CABI_OWN}, NULL, &b, &e), WK_ERR_UNSUPPORTED);
  /* labels are needed for records */
  assert_int_equal(wk_cval_print_wave(&rv, &rec, NULL, &b, &e), WK_ERR_USAGE);
  wk_buf_free(&b);
}

static int parse(const char *s, const wk_cabi_type *t, const wk_cabi_names *n, wk_cval *out, wk_error *e) {
  return wk_cval_parse_wave(s, strlen(s), t, n, &arena, out, e);
}

static void test_wave_parse(void **state) {
  wk_cval v;
  wk_error e;
  /* whitespace, comments, trailing commas, flat some / ok */
  const wk_cabi_type *ok[] = {&t_u8};
  wk_cabi_type opt = {.kind = WK_CABI_OPTION, .children = ok};
  const wk_cabi_type *lk[] = {&opt};
  wk_cabi_type lst = {.kind = WK_CABI_LIST, .children = lk};
  assert_int_equal(parse(" [ 1, // one\n some(2), none, ] ", &lst, NULL, &v, &e), WK_OK);
  assert_int_equal(v.of.seq.n, 3);
  assert_int_equal(v.of.seq.items[0].of.var.disc, 1);
  assert_int_equal(v.of.seq.items[0].of.var.payload->of.u, 1);
  assert_int_equal(v.of.seq.items[2].of.var.disc, 0);
  const wk_cabi_type *rk[] = {&t_u8, NULL};
  wk_cabi_type res = {.kind = WK_CABI_RESULT, .children = rk};
  assert_int_equal(parse("5", &res, NULL, &v, &e), WK_OK);
  assert_int_equal(v.of.var.disc, 0);
  assert_int_equal(v.of.var.payload->of.u, 5);
  assert_int_equal(parse("err", &res, NULL, &v, &e), WK_OK);
  assert_int_equal(v.of.var.disc, 1);
  /* option<option<u8>> has no flat form */
  const wk_cabi_type *ook[] = {&opt};
  wk_cabi_type oopt = {.kind = WK_CABI_OPTION, .children = ook};
  assert_int_equal(parse("5", &oopt, NULL, &v, &e), WK_ERR_MALFORMED);
  /* records: any order, %-prefixed labels, omitted options */
  const wk_cabi_type *fk[] = {&t_u8, &opt, &t_bool};
  wk_cabi_type rec = {.kind = WK_CABI_RECORD, .n = 3, .children = fk};
  const char *fl[] = {"a", "b-c", "d"};
  wk_cabi_names rn = {fl, NULL};
  assert_int_equal(parse("{d: true, %a: 3}", &rec, &rn, &v, &e), WK_OK);
  assert_int_equal(v.of.seq.items[0].of.u, 3);
  assert_int_equal(v.of.seq.items[1].kind, WK_CABI_OPTION);
  assert_int_equal(v.of.seq.items[1].of.var.disc, 0);
  assert_int_equal(v.of.seq.items[2].of.b, 1);
  assert_int_equal(parse("{d: true}", &rec, &rn, &v, &e), WK_ERR_MALFORMED); /* a is required */
  assert_int_equal(e.offset, 0);
  assert_int_equal(parse("{a: 1, d: true, a: 2}", &rec, &rn, &v, &e), WK_ERR_MALFORMED);
  assert_int_equal(e.offset, 16);
  assert_int_equal(parse("{a: 1, x: 2}", &rec, &rn, &v, &e), WK_ERR_MALFORMED);
  assert_int_equal(e.offset, 7);
  /* integers: range and syntax */
  assert_int_equal(parse("256", &t_u8, NULL, &v, &e), WK_ERR_MALFORMED);
  assert_int_equal(parse("-1", &t_u8, NULL, &v, &e), WK_ERR_MALFORMED);
  assert_int_equal(parse("1.0", &t_u8, NULL, &v, &e), WK_ERR_MALFORMED);
  assert_int_equal(parse("-128", &t_s8, NULL, &v, &e), WK_OK);
  assert_int_equal(v.of.s, -128);
  assert_int_equal(parse("-129", &t_s8, NULL, &v, &e), WK_ERR_MALFORMED);
  assert_int_equal(parse("18446744073709551615", &t_u64, NULL, &v, &e), WK_OK);
  assert_int_equal(parse("18446744073709551616", &t_u64, NULL, &v, &e), WK_ERR_MALFORMED);
  assert_int_equal(parse("1 2", &t_u8, NULL, &v, &e), WK_ERR_MALFORMED);
  assert_int_equal(e.offset, 2);
  /* floats */
  assert_int_equal(parse("6.022e+23", &t_f64, NULL, &v, &e), WK_OK);
  assert_true(v.of.f64 == 6.022e23);
  assert_int_equal(parse("-inf", &t_f64, NULL, &v, &e), WK_OK);
  assert_true(isinf(v.of.f64) && v.of.f64 < 0);
  assert_int_equal(parse("nan", &t_f32, NULL, &v, &e), WK_OK);
  assert_true(isnan(v.of.f32));
  /* chars and strings */
  assert_int_equal(parse("'\\u{1F600}'", &t_chr, NULL, &v, &e), WK_OK);
  assert_int_equal(v.of.ch, 0x1f600);
  assert_int_equal(parse("'ab'", &t_chr, NULL, &v, &e), WK_ERR_MALFORMED);
  assert_int_equal(parse("'\\u{d800}'", &t_chr, NULL, &v, &e), WK_ERR_MALFORMED);
  assert_int_equal(parse("\"a\nb\"", &t_str, NULL, &v, &e), WK_ERR_MALFORMED);
  assert_int_equal(e.offset, 2);
  assert_int_equal(parse("\"\\q\"", &t_str, NULL, &v, &e), WK_ERR_MALFORMED);
  assert_int_equal(e.offset, 1);
  /* README "Multiline Strings" examples */
  assert_int_equal(parse("\"\"\"\nA single line\n\"\"\"", &t_str, NULL, &v, &e), WK_OK);
  assert_int_equal(v.of.str.len, 13);
  assert_memory_equal(v.of.str.ptr, "A single line", 13);
  const char *ml = "\"\"\"\n    Indentation determined\n      by ending delimiter\n  \"\"\"";
  const char *want = "  Indentation determined\n    by ending delimiter";
  assert_int_equal(parse(ml, &t_str, NULL, &v, &e), WK_OK);
  assert_int_equal(v.of.str.len, strlen(want));
  assert_memory_equal(v.of.str.ptr, want, strlen(want));
  assert_int_equal(parse("\"\"\"abc\n\"\"\"", &t_str, NULL, &v, &e), WK_ERR_MALFORMED);
  /* variants and enums: keywords need %, unknown cases, payload checks */
  const wk_cabi_type *vk[] = {NULL, &t_u8};
  wk_cabi_type var = {.kind = WK_CABI_VARIANT, .n = 2, .children = vk};
  const char *vl[] = {"ok", "val"};
  wk_cabi_names vn = {vl, NULL};
  assert_int_equal(parse("%ok", &var, &vn, &v, &e), WK_OK);
  assert_int_equal(v.of.var.disc, 0);
  assert_int_equal(parse("ok", &var, &vn, &v, &e), WK_ERR_MALFORMED);
  assert_int_equal(parse("val", &var, &vn, &v, &e), WK_ERR_MALFORMED);
  assert_int_equal(parse("%ok(1)", &var, &vn, &v, &e), WK_ERR_MALFORMED);
  assert_int_equal(parse("nope", &var, &vn, &v, &e), WK_ERR_MALFORMED);
  /* flags */
  wk_cabi_type fls = {.kind = WK_CABI_FLAGS, .n = 3};
  assert_int_equal(parse("{d, a,}", &fls, &rn, &v, &e), WK_OK);
  assert_int_equal(v.of.flags.words[0], 5);
  assert_int_equal(parse("{a, a}", &fls, &rn, &v, &e), WK_ERR_MALFORMED);
  assert_int_equal(e.offset, 4);
  /* tuples need the exact arity; fixed-length lists the exact length */
  const wk_cabi_type *tk[] = {&t_u8, &t_u8};
  wk_cabi_type tup = {.kind = WK_CABI_TUPLE, .n = 2, .children = tk};
  assert_int_equal(parse("(1, 2,)", &tup, NULL, &v, &e), WK_OK);
  assert_int_equal(parse("(1)", &tup, NULL, &v, &e), WK_ERR_MALFORMED);
  wk_cabi_type fixed = {.kind = WK_CABI_LIST, .length = 2, .children = ok};
  assert_int_equal(parse("[1, 2, 3]", &fixed, NULL, &v, &e), WK_ERR_MALFORMED);
  /* hostile: deep nesting and truncation never crash */
  assert_int_equal(parse("[[[[", &lst, NULL, &v, &e), WK_ERR_MALFORMED);
  assert_int_equal(parse("", &t_u8, NULL, &v, &e), WK_ERR_MALFORMED);
  assert_int_equal(parse("\"", &t_str, NULL, &v, &e), WK_ERR_MALFORMED);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_string_utf8, setup, teardown),
      cmocka_unit_test_setup_teardown(test_string_utf16, setup, teardown),
      cmocka_unit_test_setup_teardown(test_string_latin1_utf16, setup, teardown),
      cmocka_unit_test_setup_teardown(test_scalars, setup, teardown),
      cmocka_unit_test_setup_teardown(test_record_variant_flags, setup, teardown),
      cmocka_unit_test_setup_teardown(test_numeric_lists, setup, teardown),
      cmocka_unit_test_setup_teardown(test_flat_variant_join, setup, teardown),
      cmocka_unit_test_setup_teardown(test_flat_spill, setup, teardown),
      cmocka_unit_test_setup_teardown(test_handles, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wave_print, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wave_parse, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
