/*
 * Instruction reader: one instruction with all its immediates
 * (Core spec 5.4 "Instructions"), driven by the WK_OPCODES table.
 */
#include <string.h>

#include "encode/encode.h"
#include "encode/insn_tables.h"
#include "encode/leb.h"

/* Opcode -> dense index + 1 (0 = not an opcode). Slots: 0..255 one-byte
 * opcodes, 256..511 0xFC sub-opcodes, 512..767 0xFD sub-opcodes, 768..1023
 * 0xFD sub-opcodes 0x100-0x1FF (relaxed SIMD; OP 0xFE00|(sub - 0x100), opcodes.h),
 * 1024..1279 0xFB sub-opcodes (GC). */
#define SLOT(op)                                                                                   \
  (((op) >> 8) == 0 ? (op) : ((op) >> 8) == 0xfc ? 256 + ((op) & 0xff) : ((op) >> 8) == 0xfd ? 512 + ((op) & 0xff) \
   : ((op) >> 8) == 0xfb ? 1024 + ((op) & 0xff) : 768 + ((op) & 0xff))
static const uint16_t opi_of_slot[1280] = {
#define X(name, op, imm, text, sig, aux, iop) [SLOT(op)] = WK_OPI_##name + 1,
    WK_OPCODES(X)
#undef X
};

const uint16_t wk_opi_op[WK_OPI_COUNT] = {
#define X(name, op, imm, text, sig, aux, iop) op,
    WK_OPCODES(X)
#undef X
};
const uint8_t wk_opi_imm[WK_OPI_COUNT] = {
#define X(name, op, imm, text, sig, aux, iop) WK_IMM_##imm,
    WK_OPCODES(X)
#undef X
};
const char *const wk_opi_text[WK_OPI_COUNT] = {
#define X(name, op, imm, text, sig, aux, iop) text,
    WK_OPCODES(X)
#undef X
};
const char *const wk_opi_sig[WK_OPI_COUNT] = {
#define X(name, op, imm, text, sig, aux, iop) sig,
    WK_OPCODES(X)
#undef X
};
const uint8_t wk_opi_aux[WK_OPI_COUNT] = {
#define X(name, op, imm, text, sig, aux, iop) aux,
    WK_OPCODES(X)
#undef X
};

int wk_op_index(unsigned op) {
  unsigned hi = op >> 8;
  if (op > 0xffff || (hi != 0 && hi != 0xfb && hi != 0xfc && hi != 0xfd && hi != 0xfe)) return -1;
  return (int)opi_of_slot[SLOT(op)] - 1;
}

const char *wk_op_name(unsigned op) {
  int i = wk_op_index(op);
  return i < 0 ? NULL : wk_opi_text[i];
}

/* (exnref, Core 3.0 5.3.4, and typed references 0x63/0x64, 5.3.3: read always, the validator
 * rejects them without their feature) */
static int is_valtype(uint8_t b) {
  return (b >= 0x7b && b <= 0x7f) || wk_abs_ht_code(b) || b == WK_REF || b == WK_REFNULL;
}

/* Core 3.0 5.3.3 heaptype ::= absheaptype (one byte) | x:s33 (a type index, x >= 0). Abstract heap
 * types read here: func, extern, exn and GC's (0x69..0x74; callers check the features). */
static int rd_heaptype(const uint8_t *p, size_t len, size_t *pos, uint32_t *ht, wk_error *err) {
  size_t at = *pos;
  if (at >= len) return wk_error_at(err, WK_ERR_MALFORMED, at, "unexpected end");
  uint8_t b = p[at];
  if (wk_abs_ht_code(b)) {
    *ht = WK_HT_ABS | b;
    *pos = at + 1;
    return WK_OK;
  }
  int64_t v = 0;
  int rc = wk_leb_s(p, len, pos, 33, &v, err);
  if (rc) return rc;
  if (v < 0) return wk_error_at(err, WK_ERR_MALFORMED, at, "malformed heap type");
  *ht = v >= (int64_t)WK_HT_ABS ? WK_HT_BADIDX : (uint32_t)v;
  return WK_OK;
}

int wk_valtype_read(const uint8_t *p, size_t len, size_t *pos, uint8_t *out, uint32_t *ht, wk_error *err) {
  size_t i = *pos;
  if (i >= len) return wk_error_at(err, WK_ERR_MALFORMED, i, "unexpected end");
  uint8_t b = p[i];
  if (!is_valtype(b)) return wk_error_at(err, WK_ERR_MALFORMED, i, "malformed value type");
  i++;
  *ht = 0;
  *out = b;
  if (b == WK_REF || b == WK_REFNULL) {
    uint32_t h;
    int rc = rd_heaptype(p, len, &i, &h, err);
    if (rc) return rc;
    *ht = h; /* as encoded: 0x63 0x70 stays (ref null func), byte-exact (wk_vt_make: funcref) */
  }
  *pos = i;
  return WK_OK;
}

void wk_valtype_put(wk_buf *b, uint8_t code, uint32_t ht) {
  wk_buf_byte(b, code);
  if (code != WK_REF && code != WK_REFNULL) return;
  if (!wk_ht_is_idx(ht)) {
    wk_buf_byte(b, (uint8_t)ht);
    return;
  }
  wk_buf_sleb(b, (int64_t)ht); /* a type index: s33, non-negative (Core 3.0 5.3.3) */
}

static inline int rd_u32(const uint8_t *p, size_t len, size_t *pos, uint32_t *out, wk_error *err) {
  uint64_t v = 0;
  int rc = wk_leb_u(p, len, pos, 32, &v, NULL, err);
  *out = (uint32_t)v;
  return rc;
}


static inline int rd_bytes16(const uint8_t *p, size_t len, size_t *pos, uint8_t *dst, wk_error *err) {
  if (len - *pos < 16) return wk_error_at(err, WK_ERR_MALFORMED, len, "unexpected end");
  memcpy(dst, p + *pos, 16);
  *pos += 16;
  return WK_OK;
}

int wk_insn_read(const uint8_t *p, size_t len, size_t *pos, wk_insn *in, wk_error *err) {
  size_t i = *pos, start = i;
  if (i >= len) return wk_error_at(err, WK_ERR_MALFORMED, i, "unexpected end");
  unsigned op = p[i++];
  if (op == 0xfc || op == 0xfd || op == 0xfb) { /* (0xFB: GC, Core 3.0 binary/instructions.rst) */
    uint32_t sub;
    int rc0 = rd_u32(p, len, &i, &sub, err);
    if (rc0) return rc0;
    if (sub > (op == 0xfd ? 0x1ffu : 0xffu)) return wk_error_at(err, WK_ERR_MALFORMED, start, "illegal opcode %02x %u", op, sub);
    op = sub > 0xff ? 0xfe00 | (sub & 0xff) : (op << 8) | sub; /* (0xFD 0x1xx: relaxed SIMD, opcodes.h) */
  }
  unsigned opi1 = opi_of_slot[SLOT(op)];
  if (!opi1) {
    if (op >= 0xfe00) return wk_error_at(err, WK_ERR_MALFORMED, start, "illegal opcode fd %u", 0x100 + (op & 0xff));
    if (op > 0xff) return wk_error_at(err, WK_ERR_MALFORMED, start, "illegal opcode %02x %u", op >> 8, op & 0xff);
    return wk_error_at(err, WK_ERR_MALFORMED, start, "illegal opcode %02x", op);
  }
  in->op = (uint16_t)op;
  in->opi = (uint16_t)(opi1 - 1);
  uint8_t imm = wk_opi_imm[opi1 - 1];
  in->imm = imm;
  in->mem_explicit = 0;
  in->offset_wide = 0;
  in->valtype = 0; /* defined for every instruction: readers test it before (or beside) imm/bt_kind */
  if (imm == WK_IMM_NONE) { /* most instructions: no immediates */
    *pos = i;
    return WK_OK;
  }
  int rc = WK_OK;
  switch (imm) {
  case WK_IMM_NONE:
    break;
  case WK_IMM_BLOCK: case WK_IMM_TRY_TABLE: {
    /* Core 5.4.1: blocktype ::= 0x40 | valtype | typeidx as s33 */
    if (i >= len) return wk_error_at(err, WK_ERR_MALFORMED, i, "unexpected end");
    uint8_t b = p[i];
    if (b == 0x40) { in->bt_kind = WK_BT_EMPTY; i++; }
    else if (is_valtype(b)) {
      in->bt_kind = WK_BT_VAL;
      if ((rc = wk_valtype_read(p, len, &i, &in->valtype, &in->ht, err))) return rc;
    }
    else {
      int64_t v = 0;
      size_t at = i;
      if ((rc = wk_leb_s(p, len, &i, 33, &v, err))) return rc;
      if (v < 0) return wk_error_at(err, WK_ERR_MALFORMED, at, "malformed value type");
      in->bt_kind = WK_BT_TYPE;
      in->idx0 = (uint32_t)v;
    }
    if (imm == WK_IMM_TRY_TABLE) {
      /* Core 3.0 5.4.1: try_table bt vec(catch); catch ::= 0x00 x l | 0x01 x l | 0x02 l | 0x03 l */
      if ((rc = rd_u32(p, len, &i, &in->count, err))) return rc;
      in->targets = p + i;
      for (uint32_t k = 0; k < in->count; k++) {
        if (i >= len) return wk_error_at(err, WK_ERR_MALFORMED, i, "unexpected end");
        uint8_t kind = p[i];
        if (kind > WK_CATCH_ALL_REF) return wk_error_at(err, WK_ERR_MALFORMED, i, "malformed catch clause");
        i++;
        uint32_t x;
        if (kind < WK_CATCH_ALL && (rc = rd_u32(p, len, &i, &x, err))) return rc;
        if ((rc = rd_u32(p, len, &i, &x, err))) return rc;
      }
    }
    break;
  }
  case WK_IMM_LABEL: case WK_IMM_FUNC: case WK_IMM_LOCAL: case WK_IMM_GLOBAL: case WK_IMM_TABLE:
  case WK_IMM_DATA: case WK_IMM_ELEM: case WK_IMM_TAG: case WK_IMM_TYPE:
    rc = rd_u32(p, len, &i, &in->idx0, err);
    break;
  case WK_IMM_BR_TABLE: {
    if ((rc = rd_u32(p, len, &i, &in->count, err))) return rc;
    in->targets = p + i;
    for (uint32_t k = 0; k < in->count; k++) {
      uint32_t l;
      if ((rc = rd_u32(p, len, &i, &l, err))) return rc;
    }
    rc = rd_u32(p, len, &i, &in->idx0, err);
    break;
  }
  case WK_IMM_CALL_INDIRECT: case WK_IMM_TABLE_INIT: case WK_IMM_TABLE_COPY: case WK_IMM_TYPE_FIELD:
  case WK_IMM_TYPE_DATA: case WK_IMM_TYPE_ELEM: case WK_IMM_TYPE_TYPE:
    if ((rc = rd_u32(p, len, &i, &in->idx0, err))) return rc;
    rc = rd_u32(p, len, &i, &in->idx1, err);
    break;
  case WK_IMM_MEMARG: case WK_IMM_MEMARG_LANE: {
    /* Core 3.0 5.4.7: memarg ::= n:u32 (n < 2^6: align n, memory 0)
     *                          | n:u32 x:memidx (2^6 <= n < 2^7: align n-2^6) */
    uint32_t flags;
    if ((rc = rd_u32(p, len, &i, &flags, err))) return rc;
    in->mem = 0;
    in->mem_explicit = 0;
    /* 2^align must fit a u32 (reference interpreter: "malformed memop flags"). */
    if (flags >= 0x80 || (flags & 0x3f) >= 32) return wk_error_at(err, WK_ERR_MALFORMED, i - 1, "malformed memop flags");
    in->align = flags & 0x3f;
    if (flags & 0x40) {
      in->mem_explicit = 1;
      if ((rc = rd_u32(p, len, &i, &in->mem, err))) return rc;
    }
    {
      /* Core 3.0 5.4.7: offset u64 (memory64); 2.0: u32 (offset_wide marks
       * what a 2.0 decoder rejects; the value is checked by the validator) */
      size_t at = i;
      if ((rc = wk_leb_u(p, len, &i, 64, &in->offset, NULL, err))) return rc;
      in->offset_wide = i - at > 5 || in->offset > UINT32_MAX;
    }
    if (imm == WK_IMM_MEMARG_LANE) {
      if (i >= len) return wk_error_at(err, WK_ERR_MALFORMED, i, "unexpected end");
      in->lane = p[i++];
    }
    break;
  }
  case WK_IMM_MEM: { /* Core 3.0 5.4.6: memidx (a 0x00 byte in 2.0) */
    size_t at = i;
    rc = rd_u32(p, len, &i, &in->mem, err);
    in->mem_explicit = i - at != 1 || in->mem != 0; /* not the 2.0 0x00 byte */
    break;
  }
  case WK_IMM_I32: {
    int64_t v = 0;
    rc = wk_leb_s(p, len, &i, 32, &v, err);
    in->val.i32 = (int32_t)v;
    break;
  }
  case WK_IMM_I64:
    rc = wk_leb_s(p, len, &i, 64, &in->val.i64, err);
    break;
  case WK_IMM_F32:
    if (len - i < 4) return wk_error_at(err, WK_ERR_MALFORMED, len, "unexpected end");
    in->val.f32 = (uint32_t)p[i] | (uint32_t)p[i + 1] << 8 | (uint32_t)p[i + 2] << 16 | (uint32_t)p[i + 3] << 24;
    i += 4;
    break;
  case WK_IMM_F64:
    if (len - i < 8) return wk_error_at(err, WK_ERR_MALFORMED, len, "unexpected end");
    in->val.f64 = 0;
    for (int k = 7; k >= 0; k--) in->val.f64 = in->val.f64 << 8 | p[i + k];
    i += 8;
    break;
  case WK_IMM_SELECT_T:
    if ((rc = rd_u32(p, len, &i, &in->count, err))) return rc;
    in->valtype = 0;
    in->ht = 0;
    for (uint32_t k = 0; k < in->count; k++) {
      uint8_t c;
      uint32_t h;
      if ((rc = wk_valtype_read(p, len, &i, &c, &h, err))) return rc;
      if (k == 0) in->valtype = c, in->ht = h;
    }
    break;
  case WK_IMM_REFTYPE: {
    /* ref.null ht (Core 3.0 5.4.3: a heap type; 2.0: func or extern). valtype: the nullable
     * reference type's code, ht: the type index for (ref null $t). */
    if (i >= len) return wk_error_at(err, WK_ERR_MALFORMED, i, "unexpected end");
    size_t at = i;
    uint32_t h;
    if (rd_heaptype(p, len, &i, &h, NULL)) return wk_error_at(err, WK_ERR_MALFORMED, at, "malformed reference type");
    wk_vt t = wk_vt_ref(h, 1);
    in->valtype = wk_vt_code(t);
    in->ht = in->valtype == WK_REFNULL ? h : 0;
    break;
  }
  case WK_IMM_MEM_INIT: {
    if ((rc = rd_u32(p, len, &i, &in->idx0, err))) return rc;
    size_t at = i;
    rc = rd_u32(p, len, &i, &in->mem, err);
    in->mem_explicit = i - at != 1 || in->mem != 0; /* not the 2.0 0x00 byte */
    break;
  }
  case WK_IMM_MEM_COPY: {
    size_t at = i;
    if ((rc = rd_u32(p, len, &i, &in->mem, err))) return rc;
    rc = rd_u32(p, len, &i, &in->mem_src, err);
    in->mem_explicit = i - at != 2 || in->mem != 0 || in->mem_src != 0; /* not 2.0's 0x00 0x00 */
    break;
  }
  case WK_IMM_TYPE_COUNT: /* array.new_fixed x n */
    if ((rc = rd_u32(p, len, &i, &in->idx0, err))) return rc;
    rc = rd_u32(p, len, &i, &in->count, err);
    break;
  case WK_IMM_HEAPTYPE: { /* ref.test / ref.cast (ref null? ht): nullability by opcode */
    uint32_t h;
    if ((rc = rd_heaptype(p, len, &i, &h, err))) return rc;
    wk_vt t = wk_vt_ref(h, op == 0xfb15 || op == 0xfb17);
    in->valtype = wk_vt_code(t);
    in->ht = in->valtype == WK_REF || in->valtype == WK_REFNULL ? h : 0;
    break;
  }
  case WK_IMM_BR_ON_CAST: { /* castflags:u8 l:labelidx ht1 ht2 */
    if (i >= len) return wk_error_at(err, WK_ERR_MALFORMED, i, "unexpected end");
    in->cast_flags = p[i];
    if (in->cast_flags > 3) return wk_error_at(err, WK_ERR_MALFORMED, i, "invalid cast flags");
    i++;
    if ((rc = rd_u32(p, len, &i, &in->idx0, err))) return rc;
    if ((rc = rd_heaptype(p, len, &i, &in->ht, err))) return rc;
    rc = rd_heaptype(p, len, &i, &in->ht2, err);
    break;
  }
  case WK_IMM_V128: case WK_IMM_SHUFFLE:
    rc = rd_bytes16(p, len, &i, in->val.v128, err);
    break;
  case WK_IMM_LANE:
    if (i >= len) return wk_error_at(err, WK_ERR_MALFORMED, i, "unexpected end");
    in->lane = p[i++];
    break;
  }
  if (rc) return rc;
  *pos = i;
  return WK_OK;
}

/* a u32 LEB128 at t[*cursor] that wk_insn_read already checked (br_table targets, catch clauses) */
static uint32_t leb_at(const uint8_t *t, size_t *cursor) { return (uint32_t)wk_leb_u_checked(t, cursor); }

uint32_t wk_insn_br_target(const wk_insn *in, size_t *cursor) { return leb_at(in->targets, cursor); }

void wk_insn_catch(const wk_insn *in, size_t *cursor, uint8_t *kind, uint32_t *tag, uint32_t *label) {
  *kind = in->targets[(*cursor)++];
  *tag = *kind < WK_CATCH_ALL ? leb_at(in->targets, cursor) : 0;
  *label = leb_at(in->targets, cursor);
}
