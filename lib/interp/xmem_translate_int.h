/*
 * Translation of the memory instructions of WebAssembly 3.0 multi-memory and memory64 (Core 3.0
 * 3.3.7 "Memory instructions": every memory instruction names a memory index; an i64 memory
 * takes i64 addresses, sizes and offsets, Core 3.0 2.3.10 address types). Included by module.c
 * inside its translator (uses its dec, pop, push_slot, slot_of, E*); not a public header.
 *
 * Used only when the engine enables one of these features (x->xmem); the memory index and the
 * 64-bit offset come decoded in the wk_insn (lib/encode's reader, as every immediate the
 * translator reads). A memory access to an i32 memory 0 keeps the 2.0 translation
 * (translate_insn: guard-page or checked path, fusions); anything
 * else becomes XLD/XST/XMEM_* (internal.h), which check bounds explicitly in both loops (a guard
 * region cannot cover a 64-bit address, and only memory 0 is cached in the loop's registers).
 */

/* the memory's limits and whether it is i64 (the validator has checked the index) */
static int xmem_is64(dec *x, uint32_t mem) { return mem < x->m->nmems && x->m->mems[mem].is64; }

/* Whether a module needs this file's translation at all: it does only when it has a memory other
 * than memory 0, an i64 memory or an i64 table. Any other module (every 2.0 module) keeps the 2.0
 * translation for every instruction, so the translator does not ask xmem_insn / xtable_insn per
 * instruction (they were about 9% of a C hello's start-up). Call once the module's memories and
 * tables are known (imports included), before any body is translated. */
static int xmem_needed(const wk_module *m) {
  if (!(m->engine->cfg.features & (WK_FEAT_MULTI_MEMORY | WK_FEAT_MEMORY64))) return 0;
  if (m->nmems > 1 || (m->nmems == 1 && m->mems[0].is64)) return 1;
  for (uint32_t i = 0; i < m->ntables; i++)
    if (m->tables[i].lim.is64) return 1;
  return 0;
}

/* an instruction of up to 6 operand words (emit takes 5) */
static uint32_t xmem_emit6(dec *x, uint32_t op, uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e,
                           uint32_t f) {
  uint32_t at = E5(op, a, b, c, d, e);
  if (at != NONE) *reserve(x, 1) = f;
  return at;
}

/* the XLD/XST kind of a load (0x28..0x35) or store (0x36..0x3e) opcode */
static const uint8_t xmem_kind[23] = {
    XM_I32, XM_I64, XM_I32, XM_I64, XM_I32_8S, XM_I32_8U, XM_I32_16S, XM_I32_16U, XM_I64_8S, XM_I64_8U,
    XM_I64_16S, XM_I64_16U, XM_I64_32S, XM_I64_32U, /* stores */ XM_32, XM_64, XM_32, XM_64, XM_8, XM_16,
    XM_8, XM_16, XM_32};

/* A SIMD memory access (v128.load*, v128.store, lane loads/stores) to a memory other than an i32
 * memory 0: XV_PRE checks the whole access against that memory and points the loop's memory
 * register at the effective address, the SIMD instruction (simd_insn, unchanged) then runs with
 * address 0 and offset 0, and XV_POST restores memory 0. 1 if done, 0 for the 2.0 path. */
static int xmem_simd(dec *x, const wk_insn *in) {
  if (in->imm != WK_IMM_MEMARG && in->imm != WK_IMM_MEMARG_LANE) return 0;
  uint32_t mem = in->mem;
  if (mem == 0 && !xmem_is64(x, 0)) return 0;
  unsigned sub = in->op & 0xff, w; /* access width in bytes (Core 3.0 4.4.7) */
  int under_v128 = 0;              /* the address is below a v128 operand (stores, lane accesses) */
  if (sub == 0 || sub == 11) w = 16, under_v128 = sub == 11;
  else if (sub <= 6) w = 8;
  else if (sub <= 10) w = 1u << (sub - 7);
  else if (sub == 0x5c || sub == 0x5d) w = sub == 0x5c ? 4 : 8;
  else if (sub >= 0x54 && sub <= 0x5b) w = 1u << ((sub - 0x54) & 3), under_v128 = 1;
  else fail(x, WK_ERR_MALFORMED, x->cur_ipos, "illegal opcode");
  uint32_t depth = under_v128 ? 3 : 1; /* (a v128 is two operand-stack entries: simd.h) */
  if (x->h >= top_ctl(x)->height + depth) {
    uint32_t p = x->h - depth;
    if (!x->dead) {
      uint32_t sa = slot_of(x, x->st[p], p);
      xmem_emit6(x, IOP_XV_PRE, home(x, p), sa, mem, (uint32_t)in->offset, (uint32_t)(in->offset >> 32), w);
    }
    x->st[p] = (ent){K_SLOT, 0, 0}; /* address 0 of the redirected memory register */
  }
  wk_insn in2 = *in;
  in2.offset = 0;
  x->in = &in2;
  simd_insn(x);
  x->in = in;
  E0(IOP_XV_POST);
  barrier(x);
  return 1;
}

/* the first opcode byte of `in` (wk_insn.op: prefix << 8 | sub; relaxed SIMD 0xFExx) */
static unsigned xmem_op_byte(const wk_insn *in) { return in->op < 0x100 ? in->op : in->op >> 8; }

/* Translate memory instruction `in` if it needs the 3.0 forms: 1 if done, 0 if the 2.0
 * translation applies (an i32 memory 0). */
static int xmem_insn(dec *x, const wk_insn *in) {
  unsigned op = xmem_op_byte(in);
  unsigned sub = in->op >= 0x100 ? in->op & 0xff : 0;
  if (op == 0xfd) return xmem_simd(x, in);
  int mem_op = (op >= 0x28 && op <= 0x40) || (op == 0xfc && sub >= 8 && sub <= 11 && sub != 9);
  if (!mem_op) return 0;
  uint32_t mem = in->mem;
  int a64 = xmem_is64(x, mem);
  if (mem == 0 && !a64 && !(op == 0xfc && sub == 10 && in->mem_src != 0)) return 0; /* the 2.0 translation */
  if (op >= 0x28 && op <= 0x3e) {
    uint32_t kind = xmem_kind[op - 0x28] | (a64 ? XM_A64 : 0);
    uint32_t lo = (uint32_t)in->offset, hi = (uint32_t)(in->offset >> 32);
    if (op <= 0x35) {
      ent a = pop(x);
      uint32_t sa = slot_of(x, a, x->h);
      uint32_t d = push_slot(x);
      result_dest(x, xmem_emit6(x, IOP_XLD, d, sa, kind, mem, lo, hi), 1);
    } else {
      ent v = pop(x), a = pop(x);
      uint32_t sa = slot_of(x, a, x->h), sv = slot_of(x, v, x->h + 1);
      xmem_emit6(x, IOP_XST, sa, sv, kind, mem, lo, hi);
    }
    return 1;
  }
  if (op == 0x3f) { /* memory.size */
    uint32_t d = push_slot(x);
    result_dest(x, E2(IOP_XMEM_SIZE, d, mem), 1);
  } else if (op == 0x40) { /* memory.grow */
    ent a = pop(x);
    uint32_t sa = slot_of(x, a, x->h);
    uint32_t d = push_slot(x);
    E3(IOP_XMEM_GROW, d, sa, mem);
  } else if (sub == 8) { /* memory.init seg mem: d (address type) s n (i32) */
    uint32_t seg = in->idx0;
    ent n = pop(x), s = pop(x), d = pop(x);
    uint32_t sd = slot_of(x, d, x->h), ss = slot_of(x, s, x->h + 1), sn = slot_of(x, n, x->h + 2);
    E5(IOP_XMEM_INIT, seg, sd, ss, sn, mem);
  } else if (sub == 11) { /* memory.fill mem: d v n */
    ent n = pop(x), v = pop(x), d = pop(x);
    uint32_t sd = slot_of(x, d, x->h), sv = slot_of(x, v, x->h + 1), sn = slot_of(x, n, x->h + 2);
    E4(IOP_XMEM_FILL, sd, sv, sn, mem);
  } else { /* memory.copy dmem smem: d s n; n has the smaller address type (Core 3.0 3.3.7) */
    uint32_t smem = in->mem_src;
    ent n = pop(x), s = pop(x), d = pop(x);
    uint32_t sd = slot_of(x, d, x->h), ss = slot_of(x, s, x->h + 1), sn = slot_of(x, n, x->h + 2);
    E5(IOP_XMEM_COPY, sd, ss, sn, mem, smem);
  }
  barrier(x);
  return 1;
}

/* ---- table64 (Core 3.0 2.3.10, 3.3.6: i64 tables take i64 indices and counts) ---- */
static int xtable_is64(dec *x, uint32_t t) { return t < x->m->ntables && x->m->tables[t].lim.is64; }

/* The i64 operand `depth` entries below the top becomes an i32 slot holding min(value, 2^32 - 1)
 * (CLAMP64), which the 2.0 table instruction then takes: tables stay below 2^32 entries, so it
 * is out of bounds exactly when the i64 value is. In unreachable code only the entry
 * changes. */
static void xtable_clamp(dec *x, uint32_t depth) {
  if (x->h < top_ctl(x)->height + depth) return; /* (polymorphic stack: nothing to convert) */
  uint32_t p = x->h - depth; /* (validated: an i64 there) */
  if (!x->dead) {
    uint32_t sa = slot_of(x, x->st[p], p);
    E2(IOP_CLAMP64, home(x, p), sa);
  }
  x->st[p] = (ent){K_SLOT, 0, 0};
}

/* Table instruction `op` on an i64 table: its i64 operands clamped, then 0 (the 2.0 translation
 * follows, reading its immediates itself), or 1 when done here (table.size and table.grow, whose
 * result is an i64). 0 for any other instruction. */
static int xtable_insn(dec *x, const wk_insn *in) {
  unsigned op = xmem_op_byte(in);
  if (x->m->ntables == 0) return 0;
  unsigned sub = in->op >= 0x100 ? in->op & 0xff : 0;
  switch (op) {
  case 0x11: /* call_indirect: the index on top */
    if (xtable_is64(x, in->idx1)) xtable_clamp(x, 1);
    return 0;
  case 0x25: /* table.get i */
    if (xtable_is64(x, in->idx0)) xtable_clamp(x, 1);
    return 0;
  case 0x26: /* table.set i v */
    if (xtable_is64(x, in->idx0)) xtable_clamp(x, 2);
    return 0;
  case 0xfc: break;
  default: return 0;
  }
  if (sub == 12) { /* table.init d s n: d has the index type */
    if (xtable_is64(x, in->idx1)) xtable_clamp(x, 3);
    return 0;
  }
  if (sub == 14) { /* table.copy d s n: n is an i64 only if both are i64 tables */
    int d64 = xtable_is64(x, in->idx0), s64 = xtable_is64(x, in->idx1);
    if (d64 && s64) xtable_clamp(x, 1);
    if (s64) xtable_clamp(x, 2);
    if (d64) xtable_clamp(x, 3);
    return 0;
  }
  if (sub == 17) { /* table.fill i v n */
    if (xtable_is64(x, in->idx0)) xtable_clamp(x, 1), xtable_clamp(x, 3);
    return 0;
  }
  if ((sub != 15 && sub != 16) || !xtable_is64(x, in->idx0)) return 0;
  uint32_t t = in->idx0;
  if (sub == 16) { /* table.size: the 2.0 size, zero-extended, is the i64 */
    uint32_t d = push_slot(x);
    result_dest(x, E2(IOP_TABLE_SIZE, d, t), 1);
  } else { /* table.grow v n: the old size or -1, sign-extended to an i64 */
    xtable_clamp(x, 1);
    ent n = pop(x), v = pop(x);
    uint32_t sv = slot_of(x, v, x->h), sn = slot_of(x, n, x->h + 1);
    uint32_t d = push_slot(x);
    E4(IOP_TABLE_GROW, d, t, sv, sn);
    E2(IOP_I64_EXTEND_S, d, d);
  }
  barrier(x);
  return 1;
}
