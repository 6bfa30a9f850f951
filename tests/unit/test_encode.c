/*
 * Unit tests for lib/encode's core-module side: the instruction reader
 * (every opcode of the WK_OPCODES table, LEB128 limits), decoder errors
 * with their offsets, the per-instruction validator's queries, and the
 * encoder (a model built in code against wabt's wat2wasm; byte-exact
 * re-encoding of non-minimal LEB128s; edited models).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"
#include "encode/encode.h"
#include "encode/leb.h"
#include "encode/print_internal.h"
#include "encode/wat.h"
#include "wat_env.h"

#define B(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})

/* Read one instruction from a byte literal; return the status, *pos after. */
static int read1(const uint8_t *p, size_t n, wk_insn *in, size_t *pos, wk_error *e) {
  *pos = 0;
  memset(in, 0, sizeof *in);
  wk_error_clear(e);
  return wk_insn_read(p, n, pos, in, e);
}

static void expect_err(const uint8_t *p, size_t n, const char *msg, uint64_t off) {
  wk_insn in;
  size_t pos;
  wk_error e;
  assert_int_equal(read1(p, n, &in, &pos, &e), WK_ERR_MALFORMED);
  assert_non_null(strstr(e.msg, msg));
  assert_int_equal(e.offset, off);
}

/* ---- LEB128 limits (Core 5.2.2) through instruction immediates ---- */
static void test_leb_signed_limits(void **state) {
  wk_insn in;
  size_t pos;
  wk_error e;
  assert_int_equal(read1(B(0x41, 0xff, 0xff, 0xff, 0xff, 0x07), &in, &pos, &e), WK_OK);
  assert_int_equal(in.val.i32, INT32_MAX);
  assert_int_equal(read1(B(0x41, 0x80, 0x80, 0x80, 0x80, 0x78), &in, &pos, &e), WK_OK);
  assert_int_equal(in.val.i32, INT32_MIN);
  assert_int_equal(read1(B(0x41, 0x7f), &in, &pos, &e), WK_OK);
  assert_int_equal(in.val.i32, -1);
  /* non-minimal but in range: fine */
  assert_int_equal(read1(B(0x41, 0xff, 0xff, 0xff, 0xff, 0x7f), &in, &pos, &e), WK_OK);
  assert_int_equal(in.val.i32, -1);
  assert_int_equal(pos, 6);
  /* unused bits of the 5th byte must be a sign extension */
  expect_err(B(0x41, 0x80, 0x80, 0x80, 0x80, 0x70), "integer too large", 5);
  expect_err(B(0x41, 0xff, 0xff, 0xff, 0xff, 0x0f), "integer too large", 5);
  expect_err(B(0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00), "integer representation too long", 5);
  expect_err(B(0x41, 0x80), "unexpected end", 2);
  /* i64: ten bytes */
  assert_int_equal(read1(B(0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f), &in, &pos, &e), WK_OK);
  assert_true(in.val.i64 == INT64_MIN);
  assert_int_equal(read1(B(0x42, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00), &in, &pos, &e), WK_OK);
  assert_true(in.val.i64 == INT64_MAX);
  expect_err(B(0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01), "integer too large", 10);
  expect_err(B(0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00),
             "integer representation too long", 10);
  /* s33 block type: a type index */
  assert_int_equal(read1(B(0x02, 0x81, 0x01), &in, &pos, &e), WK_OK);
  assert_int_equal(in.bt_kind, WK_BT_TYPE);
  assert_int_equal(in.idx0, 129);
  expect_err(B(0x02, 0x7a), "malformed value type", 1); /* negative, not a valtype */
  /* Core 3.0 5.3.3 typed references: (ref 130) as a block type, (ref null func) canonical as
   * funcref, ref.null of a type index, select (ref extern) */
  assert_int_equal(read1(B(0x02, 0x64, 0x82, 0x01), &in, &pos, &e), WK_OK);
  assert_int_equal(in.bt_kind, WK_BT_VAL);
  assert_int_equal(in.valtype, WK_REF);
  assert_int_equal(in.ht, 130);
  assert_int_equal(read1(B(0x02, 0x63, 0x70), &in, &pos, &e), WK_OK); /* kept as encoded */
  assert_int_equal(in.valtype, WK_REFNULL);
  assert_int_equal(in.ht, WK_HT_FUNC);
  assert_true(wk_vt_make(in.valtype, in.ht) == WK_FUNCREF);
  assert_int_equal(read1(B(0xd0, 0x05), &in, &pos, &e), WK_OK);
  assert_int_equal(in.valtype, WK_REFNULL);
  assert_int_equal(in.ht, 5);
  assert_int_equal(read1(B(0x1c, 0x01, 0x64, 0x6f), &in, &pos, &e), WK_OK);
  assert_int_equal(in.valtype, WK_REF);
  assert_int_equal(in.ht, WK_HT_EXTERN);
  expect_err(B(0x02, 0x64, 0x7a), "malformed heap type", 2); /* an unknown abstract heap type */
  expect_err(B(0xd0, 0x7a), "malformed reference type", 1);
  /* the wk_vt helpers */
  assert_true(wk_vt_ref(WK_HT_FUNC, 1) == WK_FUNCREF);
  assert_true(wk_vt_heap(WK_EXTERNREF) == WK_HT_EXTERN);
  assert_true(wk_vt_heap(wk_vt_make(WK_REF, 7)) == 7);
  assert_false(wk_vt_nullable(wk_vt_make(WK_REF, 7)));
}

static void test_leb_unsigned_limits(void **state) {
  wk_insn in;
  size_t pos;
  wk_error e;
  assert_int_equal(read1(B(0x20, 0xff, 0xff, 0xff, 0xff, 0x0f), &in, &pos, &e), WK_OK);
  assert_true(in.idx0 == UINT32_MAX);
  expect_err(B(0x20, 0xff, 0xff, 0xff, 0xff, 0x1f), "integer too large", 5);
  expect_err(B(0x20, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00), "integer representation too long", 5);
  expect_err(B(0x20), "unexpected end", 1);
  /* sub-opcodes are u32 LEBs too: 0xfc 0x80 0x00 is sat-trunc 0 */
  assert_int_equal(read1(B(0xfc, 0x80, 0x00), &in, &pos, &e), WK_OK);
  assert_int_equal(in.op, WK_OP_I32_TRUNC_SAT_F32_S);
}

/* leb.h's helpers agree with the reader and with base's writers (Core 5.2.2), at every width's
 * edges: the minimal sizes are what wk_buf_uleb / wk_buf_sleb write, wk_leb_u_byte takes exactly
 * the one-byte encodings, wk_leb_u_checked reads what wk_leb_u reads; print_core's forgiving
 * cursor (wk_pcur_leb) reads 64-bit LEBs and marks anything else (too long, bits past 64,
 * truncated) bad. */
static void test_leb_helpers(void **state) {
  (void)state;
  for (unsigned k = 0; k < 64; k++)
    for (int d = -1; d <= 1; d++) {
      uint64_t u = ((uint64_t)1 << k) + (uint64_t)(int64_t)d;
      wk_buf b = {0};
      wk_buf_uleb(&b, u);
      assert_int_equal(wk_leb_u_size(u), b.len);
      size_t pos = 0;
      uint64_t v = 0;
      unsigned w = 0;
      assert_int_equal(wk_leb_u(b.data, b.len, &pos, 64, &v, &w, NULL), WK_OK);
      assert_true(v == u && w == b.len && pos == b.len);
      pos = 0;
      assert_true(wk_leb_u_checked(b.data, &pos) == u && pos == b.len);
      pos = 0;
      assert_int_equal(wk_leb_u_byte(b.data, b.len, &pos, &v), b.len == 1);
      assert_int_equal(pos, b.len == 1 ? 1 : 0);
      wk_pcur c = {b.data, b.len, 0, 0};
      assert_true((uint64_t)wk_pcur_leb(&c, 0) == u && !c.bad && c.p == b.len);
      c = (wk_pcur){b.data, b.len - 1, 0, 0};
      wk_pcur_leb(&c, 0);
      assert_true(c.bad);
      for (int sg = 0; sg < 2; sg++) {
        int64_t sv = (int64_t)(sg ? 0 - u : u); /* (two's complement: no signed overflow) */
        b.len = 0;
        wk_buf_sleb(&b, sv);
        assert_int_equal(wk_leb_s_size(sv), b.len);
        int64_t r = 0;
        pos = 0;
        assert_int_equal(wk_leb_s(b.data, b.len, &pos, 64, &r, NULL), WK_OK);
        assert_true(r == sv && pos == b.len);
        c = (wk_pcur){b.data, b.len, 0, 0};
        assert_true(wk_pcur_leb(&c, 1) == sv && !c.bad);
      }
      wk_buf_free(&b);
    }
  static const uint8_t eleven[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  static const uint8_t past64[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
  wk_pcur c = {eleven, sizeof eleven, 0, 0};
  wk_pcur_leb(&c, 0);
  assert_true(c.bad);
  c = (wk_pcur){past64, sizeof past64, 0, 0};
  wk_pcur_leb(&c, 0);
  assert_true(c.bad);
}

/* ---- every opcode of the table ---- */
static size_t put_imm(uint8_t *p, int imm) {
  size_t n = 0;
  switch (imm) {
  case WK_IMM_NONE: break;
  case WK_IMM_BLOCK: p[n++] = 0x7f; break;
  case WK_IMM_BR_TABLE: p[n++] = 2; p[n++] = 0x85; p[n++] = 0x01; p[n++] = 1; p[n++] = 0; break;
  case WK_IMM_CALL_INDIRECT: case WK_IMM_TABLE_INIT: case WK_IMM_TABLE_COPY: case WK_IMM_TYPE_FIELD:
  case WK_IMM_TYPE_DATA: case WK_IMM_TYPE_ELEM: case WK_IMM_TYPE_TYPE: case WK_IMM_TYPE_COUNT:
    p[n++] = 0x83; p[n++] = 0x01; p[n++] = 2; break;
  case WK_IMM_HEAPTYPE: p[n++] = 0x6e; break; /* any */
  case WK_IMM_BR_ON_CAST: p[n++] = 0x03; p[n++] = 0x01; p[n++] = 0x6e; p[n++] = 0x00; break; /* l 1: anyref -> (ref null 0) */
  case WK_IMM_MEMARG: p[n++] = 2; p[n++] = 0x90; p[n++] = 0x03; break;
  case WK_IMM_MEMARG_LANE: p[n++] = 0; p[n++] = 5; p[n++] = 1; break;
  case WK_IMM_MEM: p[n++] = 0; break;
  case WK_IMM_I32: p[n++] = 0x7e; break;
  case WK_IMM_I64: p[n++] = 0x80; p[n++] = 0x7f; break;
  case WK_IMM_F32: memcpy(p, "\x00\x00\x80\x3f", 4); n = 4; break;
  case WK_IMM_F64: memcpy(p, "\x00\x00\x00\x00\x00\x00\xf0\x3f", 8); n = 8; break;
  case WK_IMM_SELECT_T: p[n++] = 1; p[n++] = 0x7e; break;
  case WK_IMM_REFTYPE: p[n++] = 0x6f; break;
  case WK_IMM_MEM_INIT: p[n++] = 3; p[n++] = 0; break;
  case WK_IMM_MEM_COPY: p[n++] = 0; p[n++] = 0; break;
  case WK_IMM_V128: case WK_IMM_SHUFFLE: for (int i = 0; i < 16; i++) p[n++] = (uint8_t)i; break;
  case WK_IMM_LANE: p[n++] = 1; break;
  /* try_table (result i32) (catch 131 1) (catch_all_ref 0) (Core 3.0 5.4.1) */
  case WK_IMM_TRY_TABLE: memcpy(p, "\x7f\x02\x00\x83\x01\x01\x03\x00", 8); n = 8; break;
  default: p[n++] = 0x83; p[n++] = 0x01; break; /* one u32 index = 131 */
  }
  return n;
}

static void check_imm(const wk_insn *in, int imm) {
  switch (imm) {
  case WK_IMM_BLOCK: assert_int_equal(in->bt_kind, WK_BT_VAL); assert_int_equal(in->valtype, WK_I32); break;
  case WK_IMM_BR_TABLE: {
    assert_int_equal(in->count, 2);
    size_t cur = 0;
    assert_int_equal(wk_insn_br_target(in, &cur), 133); /* 0x85 0x01 */
    assert_int_equal(wk_insn_br_target(in, &cur), 1);
    assert_int_equal(in->idx0, 0);
    break;
  }
  case WK_IMM_CALL_INDIRECT: case WK_IMM_TABLE_INIT: case WK_IMM_TABLE_COPY: case WK_IMM_TYPE_FIELD:
  case WK_IMM_TYPE_DATA: case WK_IMM_TYPE_ELEM: case WK_IMM_TYPE_TYPE:
    assert_int_equal(in->idx0, 131); assert_int_equal(in->idx1, 2); break;
  case WK_IMM_TYPE_COUNT: assert_int_equal(in->idx0, 131); assert_int_equal(in->count, 2); break;
  case WK_IMM_HEAPTYPE: /* ref.test/ref.cast any: (ref any) or anyref by opcode */
    assert_true(wk_vt_heap(wk_vt_make(in->valtype, in->ht)) == WK_HT_ANY); break;
  case WK_IMM_BR_ON_CAST: {
    wk_vt a, b;
    wk_insn_cast_types(in, &a, &b);
    assert_int_equal(in->idx0, 1);
    assert_true(a == WK_ANYREF);
    assert_true(b == wk_vt_make(WK_REFNULL, 0));
    break;
  }
  case WK_IMM_MEMARG: assert_int_equal(in->align, 2); assert_int_equal(in->offset, 400); break;
  case WK_IMM_MEMARG_LANE: assert_int_equal(in->offset, 5); assert_int_equal(in->lane, 1); break;
  case WK_IMM_I32: assert_int_equal(in->val.i32, -2); break;
  case WK_IMM_I64: assert_true(in->val.i64 == -128); break;
  case WK_IMM_F32: assert_int_equal(in->val.f32, 0x3f800000u); break;
  case WK_IMM_F64: assert_true(in->val.f64 == 0x3ff0000000000000ull); break;
  case WK_IMM_SELECT_T: assert_int_equal(in->count, 1); assert_int_equal(in->valtype, WK_I64); break;
  case WK_IMM_REFTYPE: assert_int_equal(in->valtype, WK_EXTERNREF); break;
  case WK_IMM_MEM_INIT: assert_int_equal(in->idx0, 3); break;
  case WK_IMM_V128: case WK_IMM_SHUFFLE: assert_int_equal(in->val.v128[15], 15); break;
  case WK_IMM_LANE: assert_int_equal(in->lane, 1); break;
  case WK_IMM_LABEL: case WK_IMM_FUNC: case WK_IMM_LOCAL: case WK_IMM_GLOBAL: case WK_IMM_TABLE:
  case WK_IMM_DATA: case WK_IMM_ELEM: case WK_IMM_TAG: case WK_IMM_TYPE:
    assert_int_equal(in->idx0, 131); break;
  case WK_IMM_TRY_TABLE: {
    assert_int_equal(in->bt_kind, WK_BT_VAL);
    assert_int_equal(in->count, 2);
    size_t cur = 0;
    uint8_t kind;
    uint32_t tag, label;
    wk_insn_catch(in, &cur, &kind, &tag, &label);
    assert_int_equal(kind, WK_CATCH); assert_int_equal(tag, 131); assert_int_equal(label, 1);
    wk_insn_catch(in, &cur, &kind, &tag, &label);
    assert_int_equal(kind, WK_CATCH_ALL_REF); assert_int_equal(label, 0);
    break;
  }
  default: break;
  }
}

static void test_every_opcode(void **state) {
  static const struct { unsigned op; int imm; const char *text; } ops[] = {
#define X(name, op, imm, text, sig, aux, iop) {op, WK_IMM_##imm, text},
      WK_OPCODES(X)
#undef X
  };
  size_t nops = sizeof ops / sizeof ops[0];
  assert_int_equal(nops, WK_OPI_COUNT);
  /* WebAssembly 2.0: 183 one-byte + 18 (0xFC) + 236 (0xFD); 3.0 tail calls: 2 one-byte;
   * 3.0 relaxed SIMD: 20 (0xFD 0x100-0x113, numbered 0xFE00 | low byte); 3.0 exception
   * handling: throw, throw_ref, try_table; legacy exception handling: try, catch, catch_all,
   * delegate, rethrow; 3.0 typed function references: call_ref, return_call_ref, ref.as_non_null,
   * br_on_null, br_on_non_null; 3.0 GC: ref.eq + 31 (0xFB 0-30) */
  assert_int_equal(nops, 504);
  for (size_t i = 0; i < nops; i++) {
    uint8_t buf[64];
    size_t n = 0;
    if (ops[i].op > 0xff) {
      int relaxed = (ops[i].op >> 8) == 0xfe;
      buf[n++] = relaxed ? 0xfd : (uint8_t)(ops[i].op >> 8);
      wk_buf b = {0};
      wk_buf_uleb(&b, (relaxed ? 0x100 : 0) + (ops[i].op & 0xff));
      memcpy(buf + n, b.data, b.len);
      n += b.len;
      wk_buf_free(&b);
    } else buf[n++] = (uint8_t)ops[i].op;
    n += put_imm(buf + n, ops[i].imm);
    wk_insn in;
    size_t pos;
    wk_error e;
    assert_int_equal(read1(buf, n, &in, &pos, &e), WK_OK);
    assert_int_equal(pos, n);
    assert_int_equal(in.op, ops[i].op);
    assert_int_equal(in.opi, i);
    assert_int_equal(in.imm, ops[i].imm);
    check_imm(&in, ops[i].imm);
    assert_string_equal(wk_op_name(ops[i].op), ops[i].text);
    assert_int_equal(wk_op_index(ops[i].op), (int)i);
    /* every truncation fails cleanly with "unexpected end" */
    for (size_t k = 0; k < n; k++) {
      assert_int_equal(read1(buf, k, &in, &pos, &e), WK_ERR_MALFORMED);
      assert_non_null(strstr(e.msg, "unexpected end"));
    }
  }
}

static void test_illegal_opcodes(void **state) {
  expect_err(B(0x17), "illegal opcode", 0);
  expect_err(B(0x27), "illegal opcode", 0);
  expect_err(B(0xc5), "illegal opcode", 0);
  expect_err(B(0xfc, 0x12), "illegal opcode", 0);
  expect_err(B(0xfd, 0x9a, 0x01), "illegal opcode", 0); /* reserved SIMD slot */
  expect_err(B(0xfd, 0x94, 0x02), "illegal opcode fd 276", 0); /* 0x114: after relaxed SIMD */
  expect_err(B(0xfd, 0x80, 0x04), "illegal opcode", 0);        /* 512 */
  expect_err(B(0xfc, 0x80, 0x02), "illegal opcode", 0);        /* 0xFC 256 */
  expect_err(B(0xff), "illegal opcode", 0);
  expect_err(B(0xd0, 0x7f), "malformed reference type", 1);
  expect_err(B(0x28, 0x20, 0x00), "malformed memop flags", 1);
  expect_err(B(0x28, 0x80, 0x01, 0x00), "malformed memop flags", 2); /* flags >= 2^7 */
  /* Core 3.0 5.4.6/5.4.7: memory indexes (the decoder rejects them in 2.0 mode) */
  wk_insn in;
  size_t pos;
  wk_error e;
  assert_int_equal(read1(B(0x3f, 0x01), &in, &pos, &e), WK_OK);
  assert_int_equal(in.mem, 1);
  assert_true(in.mem_explicit);
  assert_int_equal(read1(B(0x40, 0x80, 0x00), &in, &pos, &e), WK_OK); /* a LEB zero is not the zero byte */
  assert_int_equal(in.mem, 0);
  assert_true(in.mem_explicit);
  assert_int_equal(read1(B(0x3f, 0x00), &in, &pos, &e), WK_OK);
  assert_false(in.mem_explicit);
  assert_int_equal(read1(B(0x28, 0x42, 0x03, 0x10), &in, &pos, &e), WK_OK);
  assert_int_equal(in.align, 2);
  assert_int_equal(in.mem, 3);
  assert_int_equal(in.offset, 16);
  assert_int_equal(read1(B(0xfc, 0x0a, 0x01, 0x02), &in, &pos, &e), WK_OK);
  assert_int_equal(in.mem, 1);
  assert_int_equal(in.mem_src, 2);
  assert_null(wk_op_name(0x17));
  assert_int_equal(wk_op_index(0xfe14), -1); /* (0xFE00-0xFE13: relaxed SIMD, opcodes.h) */
  assert_int_equal(wk_op_index(0xff00), -1);
}

/* ---- WebAssembly 3.0 features behind WK_FEAT_* (decoder + validator) ---- */
static int wat_check(const char *wat, unsigned feats, wk_error *e) {
  wk_buf b = {0};
  wk_error_clear(e);
  int rc = wk_wat_to_binary(wat, strlen(wat), &b, e);
  assert_int_equal(rc, WK_OK);
  wk_core_module *m = NULL;
  rc = wk_core_decode_features(b.data, b.len, feats, &m, e);
  if (rc == WK_OK) rc = wk_core_validate_features(m, feats, e);
  wk_core_free(m);
  wk_buf_free(&b);
  return rc;
}

/* Block types other than a single value type leave no valtype behind: the decoder sets it to 0
 * (a reader that tests valtype beside bt_kind reads a defined byte; valgrind found the validator
 * reading it for `block (type 0)`), and validation of such blocks without the exceptions feature
 * does not depend on stale bytes. */
static void test_blocktype_valtype_defined(void **state) {
  (void)state;
  static const uint8_t codes[][3] = {{0x02, 0x40, 0x0b}, {0x02, 0x00, 0x0b}, {0x03, 0x01, 0x0b}, {0x04, 0x40, 0x0b}};
  for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++) {
    wk_insn in;
    memset(&in, 0xAA, sizeof in); /* stale bytes, as in a reused wk_insn */
    wk_error e;
    wk_error_clear(&e);
    size_t pos = 0;
    assert_int_equal(wk_insn_read(codes[k], 3, &pos, &in, &e), WK_OK);
    assert_int_not_equal(in.bt_kind, WK_BT_VAL);
    assert_int_equal(in.valtype, 0);
  }
  wk_error e;
  assert_int_equal(wat_check("(module (type (func (param i32) (result i32)))"
                             " (func (param i32) (result i32) local.get 0 (block (type 0)) (loop (type 0)) "
                             " (if (type 0) (i32.const 1) (then) (else))))", 0, &e), WK_OK);
  assert_int_equal(wat_check("(module (func (block (result exnref) unreachable) drop))", 0, &e), WK_ERR_MALFORMED);
  assert_non_null(strstr(e.msg, "value type"));
}

/* Legacy exception handling (WK_FEAT_LEGACY_EXCEPTIONS): malformed opcodes without the feature,
 * the structural rules (catch only in a try, catch_all last, delegate ends a try without catches,
 * rethrow's label a catch), typing of catch bodies, the text forms, print + parse round trip */
static void test_legacy_exceptions(void **state) {
  (void)state;
  wk_error e;
  const unsigned L = WK_FEAT_EXCEPTIONS | WK_FEAT_LEGACY_EXCEPTIONS;
  const char *ok = "(module (tag (param i32)) (tag)" /* (no names: the round trip below has no name section) */
                   " (func (param i32) (result i32)"
                   "  (try (result i32) (do (local.get 0) (throw 0))"
                   "   (catch 0 (i32.const 1) (i32.add))"
                   "   (catch 1 (try (do (rethrow 1)) (delegate 0)) (i32.const 2))"
                   "   (catch_all (rethrow 0))))"
                   " (func (try (do (throw 1)) (delegate 0)))"
                   " (func (result i32) try (result i32) i32.const 1 catch 0 catch_all i32.const 3 end))";
  assert_int_equal(wat_check(ok, L, &e), WK_OK);
  assert_int_equal(wat_check(ok, WK_FEAT_EXCEPTIONS, &e), WK_ERR_MALFORMED);
  assert_non_null(strstr(e.msg, "illegal opcode 06"));
  /* rethrow's label must be a catch; delegate's label is outside the try */
  assert_int_equal(wat_check("(module (func (block (rethrow 0))))", L, &e), WK_ERR_INVALID);
  assert_non_null(strstr(e.msg, "invalid rethrow label"));
  assert_int_equal(wat_check("(module (func (try (do (rethrow 0)) (delegate 0))))", L, &e), WK_ERR_INVALID);
  assert_int_equal(wat_check("(module (func (try (do) (delegate 1))))", L, &e), WK_ERR_INVALID);
  assert_non_null(strstr(e.msg, "unknown label"));
  /* a catch body starts with the tag's parameters; each body ends with the try's results */
  assert_int_equal(wat_check("(module (tag (param i64)) (func (result i32) (try (result i32) (do (i32.const 1))"
                             " (catch 0))))", L, &e), WK_ERR_INVALID);
  assert_int_equal(wat_check("(module (tag (param i64)) (func (result i64) (try (result i64) (do (i64.const 1))"
                             " (catch 0))))", L, &e), WK_OK);
  /* binary: catch after catch_all, catch outside a try: invalid */
  static const uint8_t after_all[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 13, 3, 1, 0, 0,
                                      10, 10, 1, 8, 0, 0x06, 0x40, 0x19, 0x07, 0, 0x0b, 0x0b};
  wk_core_module *m = NULL;
  assert_int_equal(wk_core_decode_features(after_all, sizeof after_all, L, &m, &e), WK_OK);
  assert_int_equal(wk_core_validate_features(m, L, &e), WK_ERR_INVALID);
  assert_non_null(strstr(e.msg, "catch found outside of a try block"));
  wk_core_free(m);
  /* text: clauses outside a try, two catch_all, a clause after delegate */
  wk_buf b = {0};
  const char *bad[] = {"(module (func (catch_all)))", "(module (func catch_all))",
                       "(module (func (try (do) (catch_all) (catch_all))))",
                       "(module (func (try (do) (delegate 0) (catch_all))))", "(module (func (try (catch_all))))"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    assert_int_not_equal(wk_wat_to_binary(bad[i], strlen(bad[i]), &b, &e), WK_OK);
    wk_buf_free(&b);
  }
  /* print + parse gives the same bytes (the flat form with its label comments) */
  assert_int_equal(wk_wat_to_binary(ok, strlen(ok), &b, &e), WK_OK);
  wk_buf txt = {0}, b2 = {0};
  assert_int_equal(wk_coremod_print_module(b.data, b.len, &txt, &e), WK_OK);
  wk_buf_byte(&txt, 0);
  assert_non_null(strstr((const char *)txt.data, "delegate 0 (;@1;)"));
  assert_non_null(strstr((const char *)txt.data, "    catch_all\n      rethrow 0 (;@1;)"));
  assert_int_equal(wk_wat_to_binary((const char *)txt.data, txt.len - 1, &b2, &e), WK_OK);
  assert_int_equal(b2.len, b.len);
  assert_memory_equal(b2.data, b.data, b.len);
  wk_buf_free(&txt);
  wk_buf_free(&b2);
  wk_buf_free(&b);
}


/* ---- Core 3.0 GC: representation, iso-recursive canonicalisation, subtyping ---- */
#define GCF (WK_FEAT_ALL)
/* wat -> decoded module (GC features); the module points into *bytes: free it after the module */
static wk_core_module *gc_mod(const char *wat, wk_buf *bytes) {
  wk_error e;
  *bytes = (wk_buf){0};
  assert_int_equal(wk_wat_to_binary(wat, strlen(wat), bytes, &e), WK_OK);
  wk_core_module *m = NULL;
  assert_int_equal(wk_core_decode_features(bytes->data, bytes->len, GCF, &m, &e), WK_OK);
  return m;
}

static void test_gc_types(void **state) {
  (void)state;
  wk_error e;
  /* non-GC modules keep subtypes NULL even with the feature on */
  const char *plain = "(module (type (func (param i32))) (func (type 0)))";
  wk_buf b = {0};
  assert_int_equal(wk_wat_to_binary(plain, strlen(plain), &b, &e), WK_OK);
  wk_core_module *m = NULL;
  assert_int_equal(wk_core_decode_features(b.data, b.len, GCF, &m, &e), WK_OK);
  assert_null(m->subtypes);
  assert_true(wk_core_type_is_func(m, 0));
  wk_core_free(m);
  wk_buf_free(&b);

  /* representation: a rec group of a struct and an array; types[] stays a functype per index */
  const char *src = "(module (rec (type $s (sub (struct (field $x i32) (field (mut i8)) (field (ref null $a)))))"
                    "               (type $a (array (mut (ref null $s)))))"
                    "  (type $s2 (sub final $s (struct (field i32) (field (mut i8)) (field (ref null $a)) (field i64))))"
                    "  (type $f (func (param (ref $s)) (result anyref))))";
  b = (wk_buf){0};
  assert_int_equal(wk_wat_to_binary(src, strlen(src), &b, &e), WK_OK);
  assert_int_equal(wk_core_decode_features(b.data, b.len, GCF, &m, &e), WK_OK);
  assert_int_equal(wk_core_validate_features(m, GCF, &e), WK_OK);
  assert_int_equal(m->ntypes, 4);
  assert_non_null(m->subtypes);
  assert_true(wk_core_type_is_struct(m, 0));
  assert_true(wk_core_type_is_array(m, 1));
  assert_true(wk_core_type_is_func(m, 3));
  assert_int_equal(m->types[0].nparams + m->types[0].nresults, 0);
  uint32_t gs, gn;
  wk_core_type_rec(m, 1, &gs, &gn);
  assert_int_equal(gs, 0);
  assert_int_equal(gn, 2);
  assert_false(wk_core_type_final(m, 0));
  assert_true(wk_core_type_final(m, 2));
  assert_int_equal(wk_core_type_super(m, 2), 0);
  assert_int_equal(wk_core_type_super(m, 0), WK_NO_SUPER);
  assert_int_equal(wk_core_type_nfields(m, 2), 4);
  assert_true(wk_field_packed(wk_core_type_field(m, 0, 1)));
  assert_true(wk_field_unpacked(wk_core_type_field(m, 0, 1)) == WK_I32);
  assert_true(wk_field_vt(wk_core_type_field(m, 0, 2)) == wk_vt_make(WK_REFNULL, 1));
  assert_int_equal(wk_core_type_field(m, 1, 0)->mut, 1);
  assert_null(wk_core_type_field(m, 1, 1));
  assert_true(wk_core_type_top(m, 1) == WK_HT_ANY && wk_core_type_top(m, 3) == WK_HT_FUNC);
  /* byte-exact re-encoding */
  wk_buf out = {0};
  assert_int_equal(wk_core_encode(m, &out, &e), WK_OK);
  assert_int_equal(out.len, b.len);
  assert_memory_equal(out.data, b.data, b.len);
  wk_buf_free(&out);
  /* print + parse gives the same bytes */
  wk_buf txt = {0}, b2 = {0};
  assert_int_equal(wk_coremod_print_module(b.data, b.len, &txt, &e), WK_OK);
  wk_buf_byte(&txt, 0);
  assert_non_null(strstr((const char *)txt.data, "(type $s2 (;2;) (sub final $s (struct (field i32)"));
  assert_non_null(strstr((const char *)txt.data, "(field $x i32)"));
  assert_int_equal(wk_wat_to_binary((const char *)txt.data, txt.len - 1, &b2, &e), WK_OK);
  assert_int_equal(b2.len, b.len);
  assert_memory_equal(b2.data, b.data, b.len);
  wk_buf_free(&txt);
  wk_buf_free(&b2);
  wk_core_free(m);
  wk_buf_free(&b);
  /* the engine's features (no GC) refuse GC types at decode */
  assert_int_equal(wat_check(src, WK_FEAT_FUNCTION_REFERENCES, &e), WK_ERR_MALFORMED);
  assert_non_null(strstr(e.msg, "gc feature"));
}

/* iso-recursive equivalence (Core 3.0 valid/conventions.rst, valid/types.rst): equal rec groups get
 * equal canonical indices, whatever their position; a type's position in its group matters; two
 * singleton groups that refer to themselves are equal; different finality or supertype is not */
static void test_gc_canon(void **state) {
  (void)state;
  wk_buf mb;
  wk_core_module *m = gc_mod(
      "(module"
      "  (rec (type $a0 (struct (field (ref null $b0)))) (type $b0 (struct (field (ref null $a0)))))" /* 0 1 */
      "  (rec (type $a1 (struct (field (ref null $b1)))) (type $b1 (struct (field (ref null $a1)))))" /* 2 3 */
      "  (rec (type $b2 (struct (field (ref null $a2)))) (type $a2 (struct (field (ref null $b2)))))" /* 4 5 */
      "  (type $l0 (struct (field (ref null $l0))))"                                                    /* 6 */
      "  (type $l1 (struct (field (ref null $l1))))"                                                    /* 7 */
      "  (type $l2 (sub (struct (field (ref null $l2)))))"                                              /* 8 */
      "  (rec (type $l3 (struct (field (ref null $l3)))))"                                              /* 9 */
      "  (type $u0 (struct (field (ref null $a0))))"                                                    /* 10 */
      "  (type $u1 (struct (field (ref null $a1))))"                                                    /* 11 */
      "  (type $u2 (struct (field (ref null $b2))))"                                                    /* 12 */
      "  (rec (type $p (struct (field (ref null $l0)))) (type (struct)))"                               /* 13 14 */
      "  (rec (type $x0 (struct (field i32))) (type $y0 (struct (field i64))))"                         /* 15 16 */
      "  (rec (type $y1 (struct (field i64))) (type $x1 (struct (field i32))))"                         /* 17 18 */
      ")", &mb);
  wk_error e;
  assert_int_equal(wk_core_validate_features(m, GCF, &e), WK_OK);
  uint32_t *c = wk_core_type_canon(m);
  assert_non_null(c);
  assert_int_equal(c[2], 0); /* the same group again */
  assert_int_equal(c[3], 1);
  assert_int_equal(c[4], 0); /* names do not matter: b2 (position 0, refers to position 1) is a0 */
  assert_int_equal(c[5], 1);
  assert_int_equal(c[7], 6); /* self-referential singletons */
  assert_int_equal(c[8], 8); /* not final: a different type */
  assert_int_equal(c[9], 6); /* (rec (type ...)) of one is the same group as no rec */
  assert_int_equal(c[11], 10); /* through the canonical indices of earlier groups */
  assert_int_equal(c[12], 10); /* b2 ~ a0, so u2 ~ u0 */
  assert_int_equal(c[13], 13);
  assert_int_equal(c[17], 17); /* a group is a sequence: the same two types in another order differ */
  assert_int_equal(c[18], 18);
  assert_true(c[18] != c[15] && c[17] != c[16]);
  free(c);
  wk_core_free(m);
  wk_buf_free(&mb);
}

/* wk_core_rec_key: an engine-style type registry over two modules (interning rec groups in
 * definition order) gives equal ids to equivalent types of different modules */
typedef struct reg { wk_buf keys[32]; uint32_t n; } reg;
static void intern(reg *r, const wk_core_module *m, uint32_t *ids) {
  for (uint32_t i = 0; i < m->ntypes;) {
    uint32_t gs, gn;
    wk_core_type_rec(m, i, &gs, &gn);
    wk_buf k = {0};
    wk_core_rec_key(m, gs, ids, &k);
    assert_false(k.oom);
    uint32_t g = r->n;
    for (uint32_t q = 0; q < r->n; q++)
      if (r->keys[q].len == k.len && !memcmp(r->keys[q].data, k.data, k.len)) g = q;
    if (g == r->n) r->keys[r->n++] = k;
    else wk_buf_free(&k);
    for (uint32_t q = 0; q < gn; q++) ids[gs + q] = g * 1000 + q; /* group id, position */
    i = gs + gn;
  }
}
static void test_gc_rec_key(void **state) {
  (void)state;
  wk_buf ab, bb;
  wk_core_module *a = gc_mod("(module (type $x (struct (field i32)))"
                             " (rec (type $a (struct (field (ref $x)) (field (ref null $b)))) (type $b (array (ref $a)))))", &ab);
  wk_core_module *b = gc_mod("(module (type $pad (func)) (type $y (struct (field i32)))"
                             " (rec (type (struct (field (ref $y)) (field (ref null 3)))) (type (array (ref 2))))"
                             " (rec (type (struct (field (ref $y)) (field (ref null 5)))) (type (array (ref 4)))))", &bb);
  reg r = {0};
  uint32_t ia[3], ib[6];
  intern(&r, a, ia);
  intern(&r, b, ib);
  assert_int_equal(ib[1], ia[0]);
  assert_int_equal(ib[2], ia[1]);
  assert_int_equal(ib[3], ia[2]);
  assert_int_equal(ib[4], ia[1]); /* the same group twice in b */
  assert_true(ib[0] != ia[0] && ib[0] != ia[1]);
  assert_int_equal(r.n, 3); /* {x}, {a b}, {pad} */
  /* within a module the keys agree with wk_core_type_canon */
  uint32_t *c = wk_core_type_canon(b);
  assert_int_equal(c[4], 2);
  assert_int_equal(c[5], 3);
  free(c);
  for (uint32_t q = 0; q < r.n; q++) wk_buf_free(&r.keys[q]);
  wk_core_free(a);
  wk_core_free(b);
  wk_buf_free(&ab);
  wk_buf_free(&bb);
}

/* the subtyping lattice (Core 3.0 valid/matching.rst) through the validator */
static void test_gc_subtyping(void **state) {
  (void)state;
  wk_error e;
  const char *hdr = "(module (type $s (sub (struct (field i32)))) (type $t (sub $s (struct (field i32) (field i64))))"
                    " (type $u (sub final $t (struct (field i32) (field i64)))) (type $arr (array i8)) (type $f (func))";
  struct { const char *from, *to; int ok; } cases[] = {
      {"(ref $u)", "(ref $s)", 1},     {"(ref $s)", "(ref $t)", 0},     {"(ref null $t)", "(ref $s)", 0},
      {"(ref $t)", "structref", 1},   {"(ref $t)", "eqref", 1},        {"(ref $t)", "anyref", 1},
      {"(ref $t)", "arrayref", 0},    {"(ref $arr)", "(ref eq)", 1},   {"i31ref", "eqref", 1},
      {"eqref", "i31ref", 0},         {"nullref", "(ref null $u)", 1}, {"nullref", "(ref null $f)", 0},
      {"nullfuncref", "(ref null $f)", 1}, {"nullfuncref", "anyref", 0}, {"(ref $f)", "funcref", 1},
      {"(ref $f)", "anyref", 0},      {"nullexternref", "externref", 1}, {"externref", "anyref", 0},
      {"(ref none)", "(ref $arr)", 1}, {"structref", "anyref", 1},     {"anyref", "eqref", 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char buf[512];
    snprintf(buf, sizeof buf, "%s (func (param %s) (result %s) (local.get 0)))", hdr, cases[i].from, cases[i].to);
    int rc = wat_check(buf, GCF, &e);
    if (rc != (cases[i].ok ? WK_OK : WK_ERR_INVALID)) fail_msg("%s <: %s: got %d (%s)", cases[i].from, cases[i].to, rc, e.msg);
  }
  /* declared subtyping rules (valid/types.rst "Sub Types") */
  assert_int_equal(wat_check("(module (type $a (struct)) (type (sub $a (struct))))", GCF, &e), WK_ERR_INVALID); /* final */
  assert_int_equal(wat_check("(module (type $a (sub (struct (field (mut i32))))) (type (sub $a (struct (field i32)))))", GCF, &e),
                   WK_ERR_INVALID); /* var fields are invariant */
  assert_int_equal(wat_check("(module (type $a (sub (struct (field anyref)))) (type (sub $a (struct (field eqref)))))", GCF, &e),
                   WK_OK); /* const fields covariant */
  assert_int_equal(wat_check("(module (type $a (sub (array i8))) (type (sub $a (struct))))", GCF, &e), WK_ERR_INVALID);
  assert_int_equal(wat_check("(module (type $a (sub (func (param eqref)))) (type (sub $a (func (param anyref)))))", GCF, &e),
                   WK_OK); /* contravariant params */
  assert_int_equal(wat_check("(module (type $a (sub (func (result anyref)))) (type (sub $a (func (result eqref)))))", GCF, &e),
                   WK_OK);
  assert_int_equal(wat_check("(module (type $a (sub (func (param anyref)))) (type (sub $a (func (param eqref)))))", GCF, &e),
                   WK_ERR_INVALID);
  /* forward references only inside the rec group */
  assert_int_equal(wat_check("(module (type (struct (field (ref 1)))) (type (struct)))", GCF, &e), WK_ERR_INVALID);
  assert_int_equal(wat_check("(module (rec (type (struct (field (ref 1)))) (type (struct))))", GCF, &e), WK_OK);
  /* depth: 63 supertypes in a chain is fine, 64 is not */
  char big[8192];
  for (int depth = 63; depth <= 64; depth++) {
    size_t n = (size_t)snprintf(big, sizeof big, "(module (type (sub (struct)))");
    for (int k = 1; k <= depth; k++) n += (size_t)snprintf(big + n, sizeof big - n, " (type (sub %d (struct)))", k - 1);
    snprintf(big + n, sizeof big - n, ")");
    assert_int_equal(wat_check(big, GCF, &e), depth == 63 ? WK_OK : WK_ERR_INVALID);
  }
  /* a struct type is no function type */
  assert_int_equal(wat_check("(module (type (struct)) (func (type 0)))", GCF, &e), WK_ERR_INVALID);
  /* instructions: packed access, mutability, defaultability */
  const char *ins = "(module (type $s (struct (field i8) (field (mut i32)) (field (ref any))))"
                    " (func (param (ref $s)) (result i32) (struct.get_s $s 0 (local.get 0)))"
                    " (func (param (ref $s)) (result i32) (struct.get $s 1 (local.get 0)))";
  char buf[1024];
  snprintf(buf, sizeof buf, "%s)", ins);
  assert_int_equal(wat_check(buf, GCF, &e), WK_OK);
  snprintf(buf, sizeof buf, "%s (func (param (ref $s)) (result i32) (struct.get $s 0 (local.get 0))))", ins);
  assert_int_equal(wat_check(buf, GCF, &e), WK_ERR_INVALID); /* packed field needs get_s/get_u */
  snprintf(buf, sizeof buf, "%s (func (param (ref $s)) (struct.set $s 0 (local.get 0) (i32.const 1))))", ins);
  assert_int_equal(wat_check(buf, GCF, &e), WK_ERR_INVALID); /* immutable */
  snprintf(buf, sizeof buf, "%s (func (result (ref $s)) (struct.new_default $s)))", ins);
  assert_int_equal(wat_check(buf, GCF, &e), WK_ERR_INVALID); /* (ref any) has no default */
  /* br_on_cast: rt2 <: rt1, the label gets rt2, the fall-through rt1 \ rt2 */
  assert_int_equal(wat_check("(module (type $s (struct)) (func (param anyref) (result (ref null $s))"
                             " (block (result (ref null $s)) (br_on_cast 0 anyref (ref null $s) (local.get 0))"
                             " (drop) (ref.null none))))", GCF, &e), WK_OK);
  assert_int_equal(wat_check("(module (type $s (struct)) (func (param (ref null $s)) (result anyref)"
                             " (block (result anyref) (br_on_cast 0 (ref null $s) anyref (local.get 0))"
                             " (drop) (ref.null none))))", GCF, &e), WK_ERR_INVALID);
  /* GC instructions need the feature in the validator too (lazy decoding paths) */
  assert_int_equal(wat_check("(module (func (result i32) (i31.get_s (ref.i31 (i32.const 1)))))", WK_FEAT_FUNCTION_REFERENCES, &e),
                   WK_ERR_MALFORMED);
}

/* Subtype checks walk at most WK_GC_MAX_SUBTYPING_DEPTH (63) declared supertypes: a 63-deep walk
 * still matches, and a hostile rec group whose later types form a long chain no longer costs
 * (fields x chain length) per declaration (it once took seconds for a 1 MB module). */
static void test_gc_subtype_walk_bounded(void **state) {
  (void)state;
  wk_error e;
  /* a field (ref 63) <: (ref 0) needs all 63 steps of the chain 63 -> 62 -> ... -> 0 */
  char big[8192];
  size_t n = (size_t)snprintf(big, sizeof big, "(module (type (sub (struct)))");
  for (int k = 1; k <= 63; k++) n += (size_t)snprintf(big + n, sizeof big - n, " (type (sub %d (struct)))", k - 1);
  snprintf(big + n, sizeof big - n, " (type $a (sub (struct (field (ref 0))))) (type (sub $a (struct (field (ref 63))))))");
  assert_int_equal(wat_check(big, GCF, &e), WK_OK);
  /* one rec group: K pairs (sub (struct F x (ref null B))), (sub $prev (struct F x (ref null T))), then the
   * chain B <- B+1 <- ... <- T of N types: each pair's check once walked the whole chain F times */
  enum { K = 4, F = 10000, N = 100000 };
  const uint32_t base = 2 * K, top = 2 * K + N - 1;
  wk_buf body = {0}, mod = {0};
  wk_buf_byte(&body, 0x01); /* one rec group */
  wk_buf_byte(&body, 0x4e);
  wk_buf_uleb(&body, 2 * K + N);
  for (uint32_t p = 0; p < K; p++) {
    for (int sub = 0; sub < 2; sub++) {
      wk_buf_byte(&body, 0x50);
      if (sub) { wk_buf_byte(&body, 0x01); wk_buf_uleb(&body, 2 * p); }
      else wk_buf_byte(&body, 0x00);
      wk_buf_byte(&body, 0x5f);
      wk_buf_uleb(&body, F);
      for (uint32_t f = 0; f < F; f++) { wk_buf_byte(&body, 0x63); wk_buf_sleb(&body, sub ? top : base); wk_buf_byte(&body, 0x00); }
    }
  }
  for (uint32_t k = 0; k < N; k++) {
    wk_buf_byte(&body, 0x50);
    if (k) { wk_buf_byte(&body, 0x01); wk_buf_uleb(&body, base + k - 1); }
    else wk_buf_byte(&body, 0x00);
    wk_buf_byte(&body, 0x5f);
    wk_buf_byte(&body, 0x00);
  }
  wk_buf_append(&mod, "\0asm\1\0\0\0\1", 9);
  wk_buf_uleb(&mod, body.len);
  wk_buf_append(&mod, body.data, body.len);
  wk_core_module *m = NULL;
  assert_int_equal(wk_core_decode_features(mod.data, mod.len, GCF, &m, &e), WK_OK);
  clock_t t0 = clock();
  assert_int_equal(wk_core_validate_features(m, GCF, &e), WK_ERR_INVALID); /* (the chain is 100000 deep) */
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  if (secs > 1.0) fail_msg("validating the hostile rec group took %.2f s of CPU", secs);
  wk_core_free(m);
  wk_buf_free(&body);
  wk_buf_free(&mod);
}

/* Local names (name section subsection 2) as wasmprinter names them: empty, `#`-prefixed or repeated
 * names become synthetic `$"#local<i> <name>"`, a later entry for an index replaces the earlier one
 * (and no longer counts as a repeat); a function with many locals and many distinct names prints in
 * linear time (the repeat test once scanned every local per name: seconds for 200 KB). */
static void name_entry(wk_buf *b, uint32_t idx, const char *s) {
  wk_buf_uleb(b, idx);
  wk_buf_uleb(b, strlen(s));
  wk_buf_str(b, s);
}
static void names_module(wk_buf *mod, uint32_t nlocals, const wk_buf *entries, uint32_t nentries) {
  static const uint8_t head[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 6, 1, 0x60, 2, 0x7f, 0x7f, 0, 3, 2, 1, 0};
  wk_buf_append(mod, head, sizeof head);
  wk_buf body = {0}, code = {0}, sub = {0}, ns = {0};
  wk_buf_byte(&body, 1);
  wk_buf_uleb(&body, nlocals);
  wk_buf_byte(&body, 0x7f);
  static const uint8_t insns[] = {0x20, 0x00, 0x1a, 0x20, 0x07, 0x1a, 0x0b}; /* local.get 0, 7; drop */
  wk_buf_append(&body, insns, sizeof insns);
  wk_buf_byte(&code, 1);
  wk_buf_uleb(&code, body.len);
  wk_buf_append(&code, body.data, body.len);
  wk_buf_byte(mod, 10);
  wk_buf_uleb(mod, code.len);
  wk_buf_append(mod, code.data, code.len);
  wk_buf_byte(&sub, 1); /* one function: 0 */
  wk_buf_byte(&sub, 0);
  wk_buf_uleb(&sub, nentries);
  wk_buf_append(&sub, entries->data, entries->len);
  wk_buf_str(&ns, "\4name\2");
  wk_buf_uleb(&ns, sub.len);
  wk_buf_append(&ns, sub.data, sub.len);
  wk_buf_byte(mod, 0);
  wk_buf_uleb(mod, ns.len);
  wk_buf_append(mod, ns.data, ns.len);
  wk_buf_free(&body), wk_buf_free(&code), wk_buf_free(&sub), wk_buf_free(&ns);
}
static void test_print_local_names(void **state) {
  (void)state;
  wk_error e;
  wk_buf ents = {0}, mod = {0}, txt = {0};
  static const struct { uint32_t i; const char *s; } E[] = {{0, "a"}, {1, "a"}, {2, ""}, {3, "#x"}, {4, "b"}, {4, "c"},
                                                           {5, "b"}, {0, "z"}, {6, "a"}, {7, "z"}, {1, "q"}, {2, "q"}};
  for (size_t k = 0; k < sizeof E / sizeof E[0]; k++) name_entry(&ents, E[k].i, E[k].s);
  names_module(&mod, 6, &ents, sizeof E / sizeof E[0]);
  assert_int_equal(wk_coremod_print_module(mod.data, mod.len, &txt, &e), WK_OK);
  wk_buf_byte(&txt, 0);
  /* (the same text as before the name multiset: 0 "z" replaced "a", so 6 "a" is no repeat; 4 "c"
   * replaced "b", so 5 "b" is none either; 1 "q" came first, 2 "q" repeats it; 7 "z" repeats 0's) */
  const char *want = "(param $z i32) (param $q i32)\n"
                     "    (local $\"#local2 q\" (@name \"q\") i32) (local $\"#local3 #x\" (@name \"#x\") i32)"
                     " (local $c i32) (local $b i32) (local $a i32) (local $\"#local7 z\" (@name \"z\") i32)";
  if (!strstr((const char *)txt.data, want)) fail_msg("got:\n%s", (const char *)txt.data);
  wk_buf_free(&ents), wk_buf_free(&mod), wk_buf_free(&txt);
  /* 200000 locals, 20000 distinct names */
  char nm[16];
  for (uint32_t k = 0; k < 20000; k++) snprintf(nm, sizeof nm, "n%u", k), name_entry(&ents, k, nm);
  names_module(&mod, 200000, &ents, 20000);
  clock_t t0 = clock();
  assert_int_equal(wk_coremod_print_module(mod.data, mod.len, &txt, &e), WK_OK);
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  if (secs > 1.0) fail_msg("printing 20000 local names took %.2f s of CPU", secs);
  wk_buf_byte(&txt, 0);
  assert_non_null(strstr((const char *)txt.data, "(local $n19999 i32) (local i32"));
  wk_buf_free(&ents), wk_buf_free(&mod), wk_buf_free(&txt);
}

/* Label names (name section subsection 3): a block's name prints as `block $l`; an index past what the
 * body can hold is ignored (it once grew the label array to the index for every function: 2000
 * functions naming label 999999 took 0.6 s and 24 MB each). */
static void test_print_label_names(void **state) {
  (void)state;
  enum { F = 2000 };
  wk_error e;
  wk_buf mod = {0}, code = {0}, sub = {0}, ns = {0}, txt = {0};
  static const uint8_t head[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0};
  wk_buf_append(&mod, head, sizeof head);
  wk_buf_byte(&mod, 3);
  wk_buf_uleb(&mod, 2 + F);
  wk_buf_uleb(&mod, F);
  for (int f = 0; f < F; f++) wk_buf_byte(&mod, 0);
  static const uint8_t body[] = {7, 0, 0x02, 0x40, 0x0c, 0x00, 0x0b, 0x0b}; /* size, no locals, block br 0 end end */
  wk_buf_uleb(&code, F);
  for (int f = 0; f < F; f++) wk_buf_append(&code, body, sizeof body);
  wk_buf_byte(&mod, 10);
  wk_buf_uleb(&mod, code.len);
  wk_buf_append(&mod, code.data, code.len);
  wk_buf_uleb(&sub, F);
  for (uint32_t f = 0; f < F; f++) {
    wk_buf_uleb(&sub, f);
    wk_buf_byte(&sub, 1);
    name_entry(&sub, f ? 999999 : 0, "l");
  }
  wk_buf_str(&ns, "\4name\3");
  wk_buf_uleb(&ns, sub.len);
  wk_buf_append(&ns, sub.data, sub.len);
  wk_buf_byte(&mod, 0);
  wk_buf_uleb(&mod, ns.len);
  wk_buf_append(&mod, ns.data, ns.len);
  clock_t t0 = clock();
  assert_int_equal(wk_coremod_print_module(mod.data, mod.len, &txt, &e), WK_OK);
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  if (secs > 0.3) fail_msg("printing took %.2f s of CPU", secs);
  wk_buf_byte(&txt, 0);
  const char *t0s = strstr((const char *)txt.data, "(func (;0;)"), *t1s = strstr((const char *)txt.data, "(func (;1;)");
  assert_non_null(t0s);
  assert_non_null(t1s);
  const char *named = strstr(t0s, "block $l\n");
  assert_true(named && named < t1s && strstr(named, "br $l\n") < t1s);
  assert_non_null(strstr(t1s, "block ;; label = @1"));
  wk_buf_free(&mod), wk_buf_free(&code), wk_buf_free(&sub), wk_buf_free(&ns), wk_buf_free(&txt);
}

/* Core 3.0 typed function references: a module using (ref null func) written as 0x63 0x70 (not the
 * 0x70 shorthand), (ref 0) with a padded index and a table initialiser decodes only with the feature,
 * validates, and encodes back byte-exactly (found by fuzz_core: the decoder once normalised 0x63 0x70
 * to 0x70, and wrote heap type indices minimally). */
static void test_typed_refs_roundtrip(void **state) {
  (void)state;
  static const uint8_t mod[] = {
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      0x01, 0x0b, 0x02, 0x60, 0x01, 0x7f, 0x01, 0x7f, /* type 0: [i32] -> [i32] */
      0x60, 0x01, 0x63, 0x70, 0x00,                   /* type 1: [(ref null func)] -> [] */
      0x03, 0x02, 0x01, 0x00,                         /* func 0: type 0 */
      0x04, 0x0b, 0x01, 0x40, 0x00, 0x64, 0x80, 0x00, 0x00, 0x01, 0xd2, 0x00, 0x0b, /* table 1 (ref 0) (ref.func 0),
                                                                                       the 0 a padded s33 LEB */
      0x0a, 0x06, 0x01, 0x04, 0x00, 0x20, 0x00, 0x0b, /* body: local.get 0 */
  };
  wk_core_module *m = NULL;
  wk_error e;
  assert_int_equal(wk_core_decode(mod, sizeof mod, &m, &e), WK_ERR_MALFORMED); /* 2.0: 0x63 is not a type */
  assert_int_equal(wk_core_decode_features(mod, sizeof mod, WK_FEAT_FUNCTION_REFERENCES, &m, &e), WK_OK);
  assert_int_equal(wk_core_validate_features(m, WK_FEAT_FUNCTION_REFERENCES, &e), WK_OK);
  assert_true(wk_functype_vt(&m->types[1], 0) == WK_FUNCREF); /* canonical */
  assert_true(m->table_inits && m->table_inits[0].len == 3);
  wk_buf out = {0};
  assert_int_equal(wk_core_encode(m, &out, &e), WK_OK);
  assert_int_equal(out.len, sizeof mod);
  assert_memory_equal(out.data, mod, sizeof mod);
  wk_buf_free(&out);
  wk_core_free(m);
}

static void test_wasm3_features(void **state) {
  wk_error e;
  const char *tail = "(module (func $f (param i32) (result i32) (return_call $g (local.get 0)))"
                     " (func $g (param i32) (result i32) (local.get 0))"
                     " (table 1 funcref) (type $t (func (param i32) (result i32)))"
                     " (func (param i32) (result i32) (return_call_indirect (type $t) (local.get 0) (i32.const 0))))";
  assert_int_equal(wat_check(tail, 0, &e), WK_ERR_INVALID);
  assert_non_null(strstr(e.msg, "tail-call"));
  assert_int_equal(wat_check(tail, WK_FEAT_TAIL_CALL, &e), WK_OK);
  /* exception handling (Core 3.0): the tag section is malformed without the feature, the
   * instructions invalid; catch clauses are typed against their labels outside the try_table */
  const char *eh = "(module (import \"m\" \"t\" (tag $i (param i64))) (tag $e (param i32)) (tag $u)"
                   " (export \"e\" (tag $e))"
                   " (func (param i32) (result i32 exnref) (local exnref)"
                   "  (block $h (result i32 exnref)"
                   "   (try_table (catch_ref $e $h) (throw $e (local.get 0))) (unreachable)))"
                   " (func (result exnref) (block $h (result exnref) (try_table (catch_all_ref $h) (unreachable))"
                   "  (unreachable)))"
                   " (func (result i32) (block $h (result i32) (block $n"
                   "  (try_table (catch $e $h) (catch $u $n) (catch_all $n) (call 0 (i32.const 1)) (throw_ref)))"
                   "  (i32.const 0))))";
  assert_int_equal(wat_check(eh, 0, &e), WK_ERR_MALFORMED);
  assert_int_equal(wat_check(eh, WK_FEAT_EXCEPTIONS, &e), WK_OK);
  /* without the feature the instructions are not opcodes (2.0: "illegal opcode"), exnref no type */
  assert_int_equal(wat_check("(module (func (block $h (try_table (catch_all $h)))))", 0, &e), WK_ERR_MALFORMED);
  assert_non_null(strstr(e.msg, "illegal opcode 1f"));
  assert_int_equal(wat_check("(module (func (drop (ref.null exn))))", 0, &e), WK_ERR_MALFORMED);
  assert_int_equal(wat_check("(module (func (block $h (try_table (catch_all $h)))))", WK_FEAT_EXCEPTIONS, &e), WK_OK);
  assert_int_equal(wat_check("(module (func (throw 0)))", WK_FEAT_EXCEPTIONS, &e), WK_ERR_INVALID);
  assert_string_equal(e.msg, "func 0: unknown tag 0");
  assert_int_equal(wat_check("(module (tag (param i64)) (func (result i32) (block $h (result i32)"
                             " (try_table (catch 0 $h) (unreachable))) (unreachable)))", WK_FEAT_EXCEPTIONS, &e),
                   WK_ERR_INVALID);
  assert_string_equal(e.msg, "func 0: type mismatch");
  assert_int_equal(wat_check("(module (type (func (result i32))) (tag (type 0)))", WK_FEAT_EXCEPTIONS, &e),
                   WK_ERR_INVALID);
  assert_string_equal(e.msg, "non-empty tag result type");
  assert_int_equal(wat_check("(module (func (block (throw_ref))))", WK_FEAT_EXCEPTIONS, &e), WK_ERR_INVALID);
  {
    /* binary round trip: decode -> encode gives the same bytes (tag section 13 between memory
     * and global, tag import/export kind 4) */
    wk_buf b = {0}, o = {0};
    assert_int_equal(wk_wat_to_binary(eh, strlen(eh), &b, &e), WK_OK);
    wk_core_module *m = NULL;
    assert_int_equal(wk_core_decode_features(b.data, b.len, WK_FEAT_EXCEPTIONS, &m, &e), WK_OK);
    assert_int_equal(m->ntags, 2);
    assert_int_equal(m->nimported_tags, 1);
    assert_int_equal(wk_core_tag_count(m), 3);
    assert_int_equal(wk_core_tag_type(m, 0)->params[0], WK_I64); /* the import comes first */
    assert_int_equal(wk_core_encode(m, &o, &e), WK_OK);
    assert_int_equal(o.len, b.len);
    assert_memory_equal(o.data, b.data, b.len);
    wk_core_free(m);
    wk_buf_free(&o);
    wk_buf_free(&b);
  }
  /* relaxed SIMD (Core 3.0 3.3.3): typed as its non-relaxed relatives, only with the feature */
  const char *rs = "(module (func (param v128 v128 v128) (result v128)"
                   " (f32x4.relaxed_madd (i8x16.relaxed_swizzle (local.get 0) (local.get 1)) (local.get 1)"
                   " (i32x4.relaxed_dot_i8x16_i7x16_add_s (local.get 0) (local.get 1) (local.get 2)))))";
  assert_int_equal(wat_check(rs, 0, &e), WK_ERR_INVALID);
  assert_non_null(strstr(e.msg, "requires the relaxed-simd feature"));
  assert_int_equal(wat_check(rs, WK_FEAT_RELAXED_SIMD, &e), WK_OK);
  assert_int_equal(wat_check("(module (func (param v128) (result v128) (f64x2.relaxed_nmadd (local.get 0) (local.get 0))))",
                             WK_FEAT_RELAXED_SIMD, &e),
                   WK_ERR_INVALID);
  /* Core 3.0 3.3.8: the callee's results must be the caller's */
  assert_int_equal(wat_check("(module (func (result i64) (return_call 1 (i32.const 0)))"
                             " (func (param i32) (result i32) (local.get 0)))", WK_FEAT_TAIL_CALL, &e),
                   WK_ERR_INVALID);
  assert_string_equal(e.msg, "func 0: type mismatch");
  const char *ext = "(module (global i32 (i32.const 1)) (global i64 (i64.mul (i64.const 2) (i64.const 3)))"
                    " (global i32 (i32.sub (global.get 0) (i32.const 1))))";
  assert_int_equal(wat_check(ext, 0, &e), WK_ERR_INVALID);
  assert_int_equal(wat_check(ext, WK_FEAT_EXTENDED_CONST, &e), WK_OK);
  assert_int_equal(wat_check("(module (global i32 (i32.add (i64.const 1) (i32.const 2))))", WK_FEAT_EXTENDED_CONST, &e),
                   WK_ERR_INVALID);
  assert_int_equal(wat_check("(module (global i32 (i32.const 1) (i32.add)))", WK_FEAT_EXTENDED_CONST, &e),
                   WK_ERR_INVALID);
  const char *mm = "(module (memory 1) (memory $b 1) (data (memory $b) (i32.const 0) \"x\")"
                   " (func (result i32) (i32.store $b (i32.const 0) (i32.const 7))"
                   "  (memory.copy 0 $b (i32.const 0) (i32.const 0) (i32.const 1)) (i32.load $b (i32.const 0))))";
  assert_int_equal(wat_check(mm, 0, &e), WK_ERR_MALFORMED); /* 2.0: a memory index is not the 0x00 byte */
  assert_int_equal(wat_check(mm, WK_FEAT_MULTI_MEMORY, &e), WK_OK);
  assert_int_equal(wat_check("(module (memory 1) (func (drop (memory.size 1))))", WK_FEAT_MULTI_MEMORY, &e),
                   WK_ERR_INVALID);
  assert_string_equal(e.msg, "func 0: unknown memory 1");
  /* memory64: i64 limits and addresses (Core 3.0 2.3.10, 3.3.7) */
  const char *m64 = "(module (memory i64 1 5) (data (i64.const 8) \"x\")"
                    " (func (result i64) (drop (i32.load offset=4294967296 (i64.const 0)))"
                    "  (memory.fill (i64.const 0) (i32.const 0) (i64.const 1)) (memory.grow (i64.const 1))))";
  assert_int_equal(wat_check(m64, 0, &e), WK_ERR_MALFORMED); /* 2.0: limits flags 0x05 */
  assert_int_equal(wat_check(m64, WK_FEAT_MEMORY64, &e), WK_OK);
  assert_int_equal(wat_check("(module (memory i64 1) (func (drop (i32.load (i32.const 0)))))", WK_FEAT_MEMORY64, &e),
                   WK_ERR_INVALID);
  assert_int_equal(wat_check("(module (memory i64 1) (memory 1)"
                             " (func (memory.copy 0 1 (i64.const 0) (i32.const 0) (i32.const 0))))",
                             WK_FEAT_MEMORY64 | WK_FEAT_MULTI_MEMORY, &e),
                   WK_OK);
  assert_int_equal(wat_check("(module (memory i64 281474976710657))", WK_FEAT_MEMORY64, &e), WK_ERR_INVALID);
}

/* ---- decoder ---- */
static int decode(const uint8_t *p, size_t n, wk_core_module **m, wk_error *e) {
  wk_error_clear(e);
  *m = NULL;
  return wk_core_decode(p, n, m, e);
}

static void expect_malformed(const uint8_t *p, size_t n, const char *msg, uint64_t off) {
  wk_core_module *m;
  wk_error e;
  assert_int_equal(decode(p, n, &m, &e), WK_ERR_MALFORMED);
  assert_null(m);
  if (!strstr(e.msg, msg)) fail_msg("got \"%s\", expected \"%s\"", e.msg, msg);
  assert_true(e.has_offset);
  if (e.offset != off) fail_msg("\"%s\": offset %llu, expected %llu", msg, (unsigned long long)e.offset, (unsigned long long)off);
}

#define HDR 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00

static void test_decode_errors(void **state) {
  expect_malformed(B(0x00, 0x61), "unexpected end", 2);
  expect_malformed(B(0x00, 0x61, 0x73, 0x6e, 1, 0, 0, 0), "magic header not detected", 0);
  expect_malformed(B(0x00, 0x61, 0x73, 0x6d, 2, 0, 0, 0), "unknown binary version", 4);
  expect_malformed(B(HDR, 0x0d, 0x00), "malformed section id", 8);
  expect_malformed(B(HDR, 0x01, 0x05, 0x00), "length out of bounds", 10);
  /* type section claims 2 bytes, its content uses 1 */
  expect_malformed(B(HDR, 0x01, 0x02, 0x00, 0x00), "section size mismatch", 11);
  /* function section (3) after memory (5): out of order */
  expect_malformed(B(HDR, 0x05, 0x01, 0x00, 0x03, 0x01, 0x00), "unexpected content after last section", 11);
  /* duplicate section */
  expect_malformed(B(HDR, 0x01, 0x01, 0x00, 0x01, 0x01, 0x00), "unexpected content after last section", 11);
  /* data count (12) after code (10) */
  expect_malformed(B(HDR, 0x0a, 0x01, 0x00, 0x0c, 0x01, 0x00), "unexpected content after last section", 11);
  /* one function declared, no code */
  expect_malformed(B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00),
                   "function and code section have inconsistent lengths", 18);
  /* too many locals: 2 groups of 0xffffffff */
  expect_malformed(B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x10, 0x01, 0x0e, 0x02,
                     0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x0b),
                   "too many locals", 29);
  /* data count 1, no data section */
  expect_malformed(B(HDR, 0x0c, 0x01, 0x01), "data count and data section have inconsistent lengths", 11);
  /* memory.init without a data count section, with a data section */
  expect_malformed(B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x00,
                     0x0a, 0x0e, 0x01, 0x0c, 0x00, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x08, 0x00, 0x00, 0x0b,
                     0x0b, 0x03, 0x01, 0x01, 0x00),
                   "data count section required", 0x1c);
  /* body without its final end */
  expect_malformed(B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x05, 0x01, 0x03, 0x00,
                     0x41, 0x01),
                   "unexpected end", 25);
  /* import name with invalid UTF-8 */
  expect_malformed(B(HDR, 0x02, 0x07, 0x01, 0x01, 0xff, 0x01, 0x61, 0x03, 0x7f, 0x00), "malformed UTF-8 encoding", 12);
  expect_malformed(B(HDR, 0x02, 0x05, 0x01, 0x00, 0x00, 0x04, 0x00), "malformed import kind", 13);
  expect_malformed(B(HDR, 0x04, 0x04, 0x01, 0x71, 0x00, 0x00), "malformed reference type", 11);
  expect_malformed(B(HDR, 0x05, 0x03, 0x01, 0x02, 0x00), "integer too large", 11);
  expect_malformed(B(HDR, 0x06, 0x06, 0x01, 0x7f, 0x02, 0x41, 0x00, 0x0b), "malformed mutability", 12);
  /* custom section with a bad name */
  expect_malformed(B(HDR, 0x00, 0x02, 0x01, 0x80), "malformed UTF-8 encoding", 11);
}

/* Module-level validation errors carry the file offset of the offending entry (the project
 * rule: every error is FILE:OFFSET). */
static void expect_invalid_at(const uint8_t *p, size_t n, unsigned feats, const char *msg, uint64_t off) {
  wk_core_module *m = NULL;
  wk_error e;
  wk_error_clear(&e);
  if (wk_core_decode_features(p, n, feats, &m, &e)) fail_msg("decode: %s (want '%s')", e.msg, msg);
  assert_int_equal(wk_core_validate_features(m, feats, &e), WK_ERR_INVALID);
  wk_core_free(m);
  if (!strstr(e.msg, msg)) fail_msg("message '%s' lacks '%s'", e.msg, msg);
  assert_true(e.has_offset);
  assert_int_equal(e.offset, off);
}

static void test_validate_offsets(void **state) {
  (void)state;
  /* (found by fuzz_core) 3.0 reads i32 limits as u64: a 6-byte padded minimum decodes and
   * re-encodes byte-exact */
  {
    static const uint8_t pad6[] = {HDR, 0x05, 0x08, 0x01, 0x00, 0x82, 0x80, 0x80, 0x80, 0x80, 0x00};
    wk_core_module *m = NULL;
    wk_error e;
    wk_buf b = {0};
    assert_int_equal(wk_core_decode_features(pad6, sizeof pad6, WK_FEAT_ALL, &m, &e), WK_OK);
    assert_int_equal(wk_core_encode(m, &b, &e), WK_OK);
    assert_int_equal(b.len, sizeof pad6);
    assert_memory_equal(b.data, pad6, sizeof pad6);
    wk_buf_free(&b);
    wk_core_free(m);
    assert_int_equal(wk_core_decode_features(pad6, sizeof pad6, 0, &m, &e), WK_ERR_MALFORMED); /* 2.0: u32 */
  }
  /* memory min > max: the memory's entry (11) */
  expect_invalid_at(B(HDR, 0x05, 0x04, 0x01, 0x01, 0x02, 0x01), 0, "size minimum must not be greater than maximum", 11);
  /* memory above 65536 pages */
  expect_invalid_at(B(HDR, 0x05, 0x05, 0x01, 0x00, 0x81, 0x80, 0x04), 0, "memory size must be at most", 11);
  /* two memories without multi-memory: the second one (13) */
  expect_invalid_at(B(HDR, 0x05, 0x05, 0x02, 0x00, 0x00, 0x00, 0x01), 0, "multiple memories", 13);
  /* table min > max */
  expect_invalid_at(B(HDR, 0x04, 0x05, 0x01, 0x70, 0x01, 0x02, 0x01), 0, "size minimum must not be greater than maximum", 11);
  /* passive element segment naming function 0 of none: the segment (11) */
  expect_invalid_at(B(HDR, 0x09, 0x05, 0x01, 0x01, 0x00, 0x01, 0x00), 0, "elem 0: unknown function 0", 11);
  /* a tag whose type has a result: the tag (18) */
  expect_invalid_at(B(HDR, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x0d, 0x03, 0x01, 0x00, 0x00), WK_FEAT_EXCEPTIONS,
                    "non-empty tag result type", 18);
  /* GC: type 0 declares itself as its supertype: the type's subtype (11) */
  expect_invalid_at(B(HDR, 0x01, 0x06, 0x01, 0x50, 0x01, 0x00, 0x5f, 0x00), WK_FEAT_GC | WK_FEAT_FUNCTION_REFERENCES,
                    "type 0: unknown type 0", 11);
  /* GC: the second type of a rec group (offset 15) names a type past its group */
  expect_invalid_at(B(HDR, 0x01, 0x0c, 0x02, 0x4e, 0x02, 0x5f, 0x00, 0x5f, 0x01, 0x63, 0x02, 0x00, 0x5f, 0x00),
                    WK_FEAT_GC | WK_FEAT_FUNCTION_REFERENCES, "type 1: unknown type 2", 15);
}

static void test_decode_truncations(void **state) {
  /* a body ending inside an instruction's LEB: the end of the function (offset 25), found by
   * the error offset (wk_err_is_end), not by the reader's message */
  expect_malformed(B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x05, 0x01, 0x03, 0x00,
                     0x41, 0x80),
                   "unexpected end of section or function", 25);
  /* a too-long LEB inside the body stays what it is */
  expect_malformed(B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x0b, 0x01, 0x09, 0x00,
                     0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x1a, 0x0b),
                   "integer representation too long", 28);
  /* Every prefix of a module using most sections must fail cleanly. */
  static const uint8_t mod[] = {HDR, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x02, 0x07, 0x01, 0x01, 0x6d,
                                0x01, 0x66, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x04, 0x04, 0x01, 0x70, 0x00,
                                0x01, 0x05, 0x03, 0x01, 0x00, 0x01, 0x06, 0x06, 0x01, 0x7f, 0x00, 0x41, 0x07,
                                0x0b, 0x07, 0x05, 0x01, 0x01, 0x67, 0x00, 0x01, 0x09, 0x07, 0x01, 0x00, 0x41,
                                0x00, 0x0b, 0x01, 0x01, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x01, 0x0b, 0x0b,
                                0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x61};
  wk_core_module *m;
  wk_error e;
  assert_int_equal(decode(mod, sizeof mod, &m, &e), WK_OK);
  assert_int_equal(m->nimported_funcs, 1);
  assert_int_equal(wk_core_func_count(m), 2);
  assert_int_equal(wk_core_func_type_index(m, 1), 0);
  assert_non_null(wk_core_import_of(m, WK_EXTERN_FUNC, 0));
  assert_string_equal(wk_core_import_of(m, WK_EXTERN_FUNC, 0)->name.str, "f");
  assert_int_equal(wk_core_validate(m, &e), WK_OK);
  wk_buf b = {0};
  assert_int_equal(wk_core_encode(m, &b, &e), WK_OK);
  assert_int_equal(b.len, sizeof mod);
  assert_memory_equal(b.data, mod, sizeof mod);
  wk_buf_free(&b);
  wk_core_free(m);
  for (size_t n = 0; n < sizeof mod; n++) {
    /* a prefix that ends exactly between sections is a valid (smaller) module */
    int rc = decode(mod, n, &m, &e);
    if (rc == WK_OK) {
      wk_core_free(m);
      continue;
    }
    assert_int_equal(rc, WK_ERR_MALFORMED);
    assert_true(e.offset <= n);
  }
}

static void test_name_section(void **state) {
  /* one function, name section: module name (0) then function names (1) */
  static const uint8_t ok[] = {HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x04,
                               0x01, 0x02, 0x00, 0x0b, 0x00, 0x10, 0x04, 'n', 'a', 'm', 'e', 0x00, 0x02,
                               0x01, 'M', 0x01, 0x05, 0x01, 0x00, 0x02, 'h', 'i'};
  wk_core_module *m;
  wk_error e;
  assert_int_equal(decode(ok, sizeof ok, &m, &e), WK_OK);
  assert_int_equal(m->nfunc_names, 1);
  assert_string_equal(wk_core_func_name(m, 0)->str, "hi");
  assert_null(wk_core_func_name(m, 1));
  assert_int_equal(m->ncustoms, 1);
  assert_int_equal(m->customs[0].place, 10);
  wk_core_free(m);
  /* the same with a truncated function-name map: not an error, no names */
  uint8_t bad[sizeof ok];
  memcpy(bad, ok, sizeof ok);
  bad[sizeof ok - 6] = 0x09; /* subsection size past the section */
  assert_int_equal(decode(bad, sizeof bad, &m, &e), WK_OK);
  assert_int_equal(m->nfunc_names, 0);
  assert_null(wk_core_func_name(m, 0));
  wk_core_free(m);
}

/* ---- validator ---- */
static void test_validate_errors(void **state) {
  /* func 0: (result i32) i64.const 0 end -> type mismatch at the end (0x1a) */
  static const uint8_t tm[] = {HDR, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00,
                               0x0a, 0x06, 0x01, 0x04, 0x00, 0x42, 0x00, 0x0b};
  wk_core_module *m;
  wk_error e;
  assert_int_equal(decode(tm, sizeof tm, &m, &e), WK_OK);
  assert_int_equal(wk_core_validate_module(m, 0, &e), WK_OK); /* (the module level is valid) */
  assert_int_equal(wk_core_validate(m, &e), WK_ERR_INVALID);
  assert_string_equal(e.msg, "func 0: type mismatch");
  assert_int_equal(e.offset, 0x1a);
  wk_core_free(m);
  /* local.get 1 with no locals: unknown local at 0x17 */
  static const uint8_t ul[] = {HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
                               0x0a, 0x07, 0x01, 0x05, 0x00, 0x20, 0x01, 0x1a, 0x0b};
  assert_int_equal(decode(ul, sizeof ul, &m, &e), WK_OK);
  assert_int_equal(wk_core_validate_module(m, 0, &e), WK_OK);
  assert_int_equal(wk_core_validate(m, &e), WK_ERR_INVALID);
  assert_string_equal(e.msg, "func 0: unknown local 1");
  assert_int_equal(e.offset, 0x17);
  wk_core_free(m);
  /* two memories */
  assert_int_equal(decode(B(HDR, 0x05, 0x05, 0x02, 0x00, 0x00, 0x00, 0x00), &m, &e), WK_OK);
  assert_int_equal(wk_core_validate_module(m, 0, &e), WK_ERR_INVALID); /* module level: without bodies too */
  assert_string_equal(e.msg, "multiple memories");
  assert_int_equal(wk_core_validate(m, &e), WK_ERR_INVALID);
  assert_string_equal(e.msg, "multiple memories");
  wk_core_free(m);
  /* memory min > 65536 pages */
  assert_int_equal(decode(B(HDR, 0x05, 0x05, 0x01, 0x00, 0x81, 0x80, 0x04), &m, &e), WK_OK);
  assert_int_equal(wk_core_validate(m, &e), WK_ERR_INVALID);
  assert_string_equal(e.msg, "memory size must be at most 65536 pages (4GiB)");
  wk_core_free(m);
  /* duplicate export names */
  assert_int_equal(decode(B(HDR, 0x05, 0x03, 0x01, 0x00, 0x00, 0x07, 0x09, 0x02, 0x01, 'a', 0x02, 0x00, 0x01, 'a',
                            0x02, 0x00), &m, &e), WK_OK);
  assert_int_equal(wk_core_validate(m, &e), WK_ERR_INVALID);
  assert_string_equal(e.msg, "duplicate export name");
  assert_int_equal(e.offset, 20); /* the second "a" entry */
  wk_core_free(m);
  /* export of a function that does not exist: at the export entry (16) */
  assert_int_equal(decode(B(HDR, 0x05, 0x03, 0x01, 0x00, 0x00, 0x07, 0x05, 0x01, 0x01, 'a', 0x00, 0x00), &m, &e),
                   WK_OK);
  assert_int_equal(wk_core_validate_module(m, 0, &e), WK_ERR_INVALID);
  assert_string_equal(e.msg, "export 0: unknown function 0");
  assert_int_equal(e.offset, 16);
  assert_int_equal(wk_core_validate(m, &e), WK_ERR_INVALID);
  assert_string_equal(e.msg, "export 0: unknown function 0");
  assert_int_equal(e.offset, 16);
  wk_core_free(m);
}

/* Drive the step API by hand: (func (param i32) (result i32)
 *   local.get 0  i32.const 1  block (type 1: [i32 i32] -> [i32])  i32.add  end  end) */
static void test_step_api(void **state) {
  static const uint8_t mod[] = {HDR, 0x01, 0x0c, 0x02, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x02, 0x7f, 0x7f,
                                0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x0c, 0x01, 0x0a, 0x00, 0x20,
                                0x00, 0x41, 0x01, 0x02, 0x01, 0x6a, 0x0b, 0x0b};
  wk_core_module *m;
  wk_error e;
  assert_int_equal(decode(mod, sizeof mod, &m, &e), WK_OK);
  wk_funcval *v = wk_funcval_new(m);
  assert_non_null(v);
  assert_int_equal(wk_funcval_begin(v, 0, &e), WK_OK);
  assert_int_equal(wk_funcval_nlocals(v), 1);
  assert_int_equal(wk_funcval_local_type(v, 0), WK_I32);
  const wk_core_code *c = &m->codes[0];
  size_t pos = 0;
  wk_insn in;
  int step = 0;
  while (pos < c->body_len) {
    size_t at = pos;
    assert_int_equal(wk_insn_read(c->body, c->body_len, &pos, &in, &e), WK_OK);
    assert_int_equal(wk_funcval_op(v, &in, c->body_offset + at, &e), WK_OK);
    wk_frame_info fi;
    switch (step++) {
    case 1: /* after i32.const: [i32 i32] */
      assert_int_equal(wk_funcval_height(v), 2);
      assert_int_equal(wk_funcval_type_at(v, 0), WK_I32);
      break;
    case 2: /* inside the block: params moved into the frame */
      assert_int_equal(wk_funcval_depth(v), 2);
      assert_int_equal(wk_funcval_frame(v, 0, &fi), 0);
      assert_int_equal(fi.kind, WK_FRAME_BLOCK);
      assert_int_equal(fi.nparams, 2);
      assert_int_equal(fi.nresults, 1);
      assert_int_equal(fi.height, 0);
      assert_int_equal(fi.label_arity, 1);
      assert_int_equal(wk_funcval_height(v), 2);
      assert_int_equal(wk_funcval_frame(v, 1, &fi), 0);
      assert_int_equal(fi.kind, WK_FRAME_FUNC);
      assert_int_equal(wk_funcval_frame(v, 2, &fi), -1);
      break;
    case 4: /* after the block's end */
      assert_int_equal(wk_funcval_depth(v), 1);
      assert_int_equal(wk_funcval_height(v), 1);
      assert_int_equal(wk_funcval_unreachable(v), 0);
      break;
    }
  }
  assert_int_equal(wk_funcval_finish(v, &e), WK_OK);
  /* an extra instruction after the final end is rejected */
  wk_insn nop = {.op = WK_OP_NOP, .opi = (uint16_t)wk_op_index(WK_OP_NOP)};
  assert_int_equal(wk_funcval_op(v, &nop, 0, &e), WK_ERR_INVALID);
  /* unreachable code: polymorphic stack */
  assert_int_equal(wk_funcval_begin(v, 0, &e), WK_OK);
  wk_insn un = {.op = WK_OP_UNREACHABLE, .opi = (uint16_t)wk_op_index(WK_OP_UNREACHABLE)};
  assert_int_equal(wk_funcval_op(v, &un, 0, &e), WK_OK);
  assert_int_equal(wk_funcval_unreachable(v), 1);
  wk_insn add = {.op = WK_OP_I32_ADD, .opi = (uint16_t)wk_op_index(WK_OP_I32_ADD)};
  assert_int_equal(wk_funcval_op(v, &add, 0, &e), WK_OK);
  assert_int_equal(wk_funcval_height(v), 1);
  assert_int_equal(wk_funcval_operand_type(v, 0), WK_I32);
  assert_int_equal(wk_funcval_operand_type(v, 1), WK_TYPE_UNKNOWN);
  /* operand_type sees only the current frame: i32.const 5  block  unreachable -- the i32 below the
   * block's frame is not its operand (lib/interp's translator asks this for drop and select) */
  assert_int_equal(wk_funcval_begin(v, 0, &e), WK_OK);
  wk_insn k5 = {.op = WK_OP_I32_CONST, .opi = (uint16_t)wk_op_index(WK_OP_I32_CONST)};
  wk_insn blk = {.op = WK_OP_BLOCK, .opi = (uint16_t)wk_op_index(WK_OP_BLOCK), .bt_kind = WK_BT_EMPTY};
  assert_int_equal(wk_funcval_op(v, &k5, 0, &e), WK_OK);
  assert_int_equal(wk_funcval_op(v, &blk, 0, &e), WK_OK);
  assert_int_equal(wk_funcval_type_at(v, 0), WK_I32); /* (type_at looks below the frame) */
  assert_int_equal(wk_funcval_operand_type(v, 0), WK_TYPE_UNKNOWN);
  assert_int_equal(wk_funcval_op(v, &un, 0, &e), WK_OK);
  assert_int_equal(wk_funcval_operand_type(v, 0), WK_TYPE_UNKNOWN);
  assert_int_equal(wk_funcval_height(v), 1);
  wk_funcval_free(v);
  wk_core_free(m);
}

/* ---- encoder ---- */

static void test_encode_built_model(void **state) {
  const char *wat = "(module\n"
                    "  (type (func (param i32 i32) (result i32)))\n"
                    "  (import \"env\" \"f\" (func (type 0)))\n"
                    "  (table 2 funcref)\n"
                    "  (memory 1 2)\n"
                    "  (global (mut i32) (i32.const 42))\n"
                    "  (func (type 0) local.get 0 local.get 1 i32.add)\n"
                    "  (export \"add\" (func 1))\n"
                    "  (elem (i32.const 0) func 1 0)\n"
                    "  (data (i32.const 8) \"hi\"))\n";
  char wasm[] = "/tmp/wk-test-encode-XXXXXX";
  int fd = mkstemp(wasm);
  assert_true(fd >= 0);
  close(fd);
  size_t wlen;
  uint8_t *want = wat2wasm_at(wat, "", wasm, &wlen);
  unlink(wasm);

  wk_core_module *m = wk_core_new();
  assert_non_null(m);
  static const uint8_t p2[] = {WK_I32, WK_I32}, r1[] = {WK_I32};
  wk_core_functype *t = wk_arena_alloc(&m->arena, sizeof *t);
  t->nparams = 2; t->params = p2; t->nresults = 1; t->results = r1;
  m->ntypes = 1; m->types = t;
  wk_core_import *im = wk_arena_alloc(&m->arena, sizeof *im);
  im->module.str = "env"; im->module.len = 3; im->name.str = "f"; im->name.len = 1;
  im->kind = WK_EXTERN_FUNC; im->type_index = 0;
  m->nimports = 1; m->imports = im;
  assert_int_equal(wk_core_reindex(m), WK_OK);
  static uint32_t funcs[] = {0};
  m->nfuncs = 1; m->funcs = funcs;
  wk_core_tabletype tab = {.reftype = WK_FUNCREF, .lim = {.min = 2}};
  m->ntables = 1; m->tables = &tab;
  wk_core_limits mem = {.min = 1, .max = 2, .has_max = 1};
  m->nmems = 1; m->mems = &mem;
  static const uint8_t c42[] = {0x41, 42, 0x0b}, c0[] = {0x41, 0, 0x0b}, c8[] = {0x41, 8, 0x0b};
  wk_core_global g = {.type = {WK_I32, 1}, .init = {c42, 3, 0}};
  m->nglobals = 1; m->globals = &g;
  wk_core_export ex = {.name = {"add", 3}, .kind = WK_EXTERN_FUNC, .index = 1};
  m->nexports = 1; m->exports = &ex;
  static uint32_t items[] = {1, 0};
  wk_core_elem el = {.mode = WK_SEG_ACTIVE, .reftype = WK_FUNCREF, .offset = {c0, 3, 0}, .count = 2, .funcs = items};
  m->nelems = 1; m->elems = &el;
  static const uint8_t body[] = {0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b};
  wk_core_code code = {.body = body, .body_len = sizeof body};
  m->ncodes = 1; m->codes = &code;
  wk_core_data d = {.mode = WK_SEG_ACTIVE, .offset = {c8, 3, 0}, .bytes = (const uint8_t *)"hi", .len = 2};
  m->ndatas = 1; m->datas = &d;

  wk_error e;
  wk_error_clear(&e);
  assert_int_equal(wk_core_validate(m, &e), WK_OK);
  wk_buf b = {0};
  assert_int_equal(wk_core_encode(m, &b, &e), WK_OK);
  assert_int_equal(b.len, wlen);
  assert_memory_equal(b.data, want, wlen);
  wk_buf_free(&b);
  wk_core_free(m);

  /* and wat2wasm's bytes decode back to the same model shape */
  assert_int_equal(decode(want, wlen, &m, &e), WK_OK);
  assert_int_equal(m->nelems, 1);
  assert_int_equal(m->elems[0].count, 2);
  assert_int_equal(m->elems[0].funcs[0], 1);
  assert_int_equal(m->datas[0].len, 2);
  assert_string_equal(m->exports[0].name.str, "add");
  wk_core_free(m);
  free(want);
}

static void test_encode_padded_lebs(void **state) {
  /* type section: size 6 padded to 5 bytes, count 1 padded to 3 bytes */
  static const uint8_t padded[] = {HDR, 0x01, 0x86, 0x80, 0x80, 0x80, 0x00, 0x81, 0x80, 0x00, 0x60, 0x00, 0x00,
                                   0x00, 0x03, 0x01, 'x', 'y'};
  wk_core_module *m;
  wk_error e;
  assert_int_equal(decode(padded, sizeof padded, &m, &e), WK_OK);
  assert_int_equal(m->npads, 2);
  wk_buf b = {0};
  assert_int_equal(wk_core_encode(m, &b, &e), WK_OK);
  assert_int_equal(b.len, sizeof padded);
  assert_memory_equal(b.data, padded, sizeof padded);
  wk_buf_free(&b);
  /* edit the model: add a second type. The widths no longer apply: the
   * output is minimal, and decodes to the edited model. */
  wk_core_functype *nt = wk_arena_alloc(&m->arena, 2 * sizeof *nt);
  nt[0] = m->types[0];
  static const uint8_t i64[] = {WK_I64};
  nt[1].nparams = 1; nt[1].params = i64;
  m->types = nt;
  m->ntypes = 2;
  memset(&b, 0, sizeof b);
  assert_int_equal(wk_core_encode(m, &b, &e), WK_OK);
  static const uint8_t want[] = {HDR, 0x01, 0x08, 0x02, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7e, 0x00,
                                 0x00, 0x03, 0x01, 'x', 'y'};
  assert_int_equal(b.len, sizeof want);
  assert_memory_equal(b.data, want, sizeof want);
  wk_core_module *m2;
  assert_int_equal(decode(b.data, b.len, &m2, &e), WK_OK);
  assert_int_equal(m2->ntypes, 2);
  assert_int_equal(m2->types[1].params[0], WK_I64);
  assert_int_equal(m2->ncustoms, 1);
  wk_core_free(m2);
  wk_buf_free(&b);
  wk_core_free(m);
}

/* wk_bin_kind / wk_is_component: the preamble alone decides (core 5.5.16; Binary.md preamble). */
static void test_bin_kind(void **state) {
  assert_int_equal(wk_bin_kind(B(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00)), WK_BIN_MODULE);
  assert_int_equal(wk_bin_kind(B(0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00)), WK_BIN_COMPONENT);
  assert_true(wk_is_component(B(0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x00, 0x00)));
  assert_false(wk_is_component(B(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00)));
  assert_false(wk_is_component(B(0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01)));       /* truncated */
  assert_int_equal(wk_bin_kind(B(0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x02, 0x00)), 0); /* unknown layer */
  assert_int_equal(wk_bin_kind(B(0x00, 0x61, 0x73, 0x6e, 0x01, 0x00, 0x00, 0x00)), 0); /* bad magic */
  assert_int_equal(wk_bin_kind(NULL, 0), 0);
}

static void test_encode_rejects_bad_model(void **state) {
  wk_core_module *m = wk_core_new();
  static uint32_t funcs[] = {0};
  m->nfuncs = 1;
  m->funcs = funcs; /* no code entry */
  wk_buf b = {0};
  wk_error e;
  assert_int_equal(wk_core_encode(m, &b, &e), WK_ERR_USAGE);
  assert_int_equal(b.len, 0);
  wk_core_free(m);
}

/* Core 3.4.10 export names are unique; the error is at the first export, in file order, whose
 * name an earlier export has (not the later of the first pair in name order), both with a few
 * exports and past 64 (where validate.c's table is allocated). */
static void test_duplicate_export_order(void **state) {
  (void)state;
  wk_core_module *m;
  wk_error e;
  /* memory 0 exported as "b" (16) "a" (20) "b" (24) "a" (28): "b" at 24 is the first repeat */
  assert_int_equal(decode(B(HDR, 0x05, 0x03, 0x01, 0x00, 0x00, 0x07, 0x11, 0x04, 0x01, 'b', 0x02, 0x00, 0x01, 'a',
                            0x02, 0x00, 0x01, 'b', 0x02, 0x00, 0x01, 'a', 0x02, 0x00), &m, &e), WK_OK);
  assert_int_equal(wk_core_validate(m, &e), WK_ERR_INVALID);
  assert_string_equal(e.msg, "duplicate export name");
  assert_int_equal(e.offset, 24);
  wk_core_free(m);
  /* 102 exports e0..e99, then "e50" and "e3": "e50" (index 100) is reported */
  uint8_t buf[2048];
  size_t n = 0, at[102];
  static const uint8_t head[] = {HDR, 0x05, 0x03, 0x01, 0x00, 0x00, 0x07, 0x00, 0x00, 0x66};
  memcpy(buf, head, sizeof head);
  n = sizeof head; /* export section size: 2 bytes (patched below), then count 102 */
  for (int i = 0; i < 102; i++) {
    char nm[8];
    int l = snprintf(nm, sizeof nm, "e%d", i < 100 ? i : i == 100 ? 50 : 3);
    at[i] = n;
    buf[n++] = (uint8_t)l;
    memcpy(buf + n, nm, (size_t)l);
    n += (size_t)l;
    buf[n++] = 0x02, buf[n++] = 0x00;
  }
  size_t secsz = n - (sizeof head - 1);
  assert_true(secsz < 16384);
  buf[14] = (uint8_t)(0x80 | (secsz & 0x7f)), buf[15] = (uint8_t)(secsz >> 7);
  assert_int_equal(decode(buf, n, &m, &e), WK_OK);
  assert_int_equal(wk_core_validate(m, &e), WK_ERR_INVALID);
  assert_string_equal(e.msg, "duplicate export name");
  assert_int_equal(e.offset, at[100]);
  wk_core_free(m);
  /* ... and without the repeats, valid */
  buf[14] = (uint8_t)(0x80 | ((at[100] - 16) & 0x7f)), buf[15] = (uint8_t)((at[100] - 16) >> 7), buf[16] = 100;
  assert_int_equal(decode(buf, at[100], &m, &e), WK_OK);
  assert_int_equal(wk_core_validate(m, &e), WK_OK);
  wk_core_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_leb_signed_limits),   cmocka_unit_test(test_leb_unsigned_limits),
      cmocka_unit_test(test_every_opcode),        cmocka_unit_test(test_illegal_opcodes),
      cmocka_unit_test(test_decode_errors),       cmocka_unit_test(test_decode_truncations),
      cmocka_unit_test(test_name_section),        cmocka_unit_test(test_validate_errors),
      cmocka_unit_test(test_step_api),            cmocka_unit_test(test_encode_built_model),
      cmocka_unit_test(test_encode_padded_lebs),  cmocka_unit_test(test_encode_rejects_bad_model),
      cmocka_unit_test(test_bin_kind),            cmocka_unit_test(test_wasm3_features),
      cmocka_unit_test(test_legacy_exceptions),
      cmocka_unit_test(test_typed_refs_roundtrip),
      cmocka_unit_test(test_gc_types),
      cmocka_unit_test(test_gc_canon),
      cmocka_unit_test(test_gc_subtyping),
      cmocka_unit_test(test_gc_subtype_walk_bounded),
      cmocka_unit_test(test_print_local_names),
      cmocka_unit_test(test_print_label_names),
      cmocka_unit_test(test_gc_rec_key),
      cmocka_unit_test(test_blocktype_valtype_defined),
      cmocka_unit_test(test_validate_offsets),
      cmocka_unit_test(test_duplicate_export_order),
      cmocka_unit_test(test_leb_helpers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
