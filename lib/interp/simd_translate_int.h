/*
 * SIMD fusions of the translator (simd.h "fused forms"): what clang -msimd128 emits for the
 * idioms wasm SIMD has no instruction for, recognised in the translator only where the fused
 * internal instruction computes exactly what the wasm sequence computes, and v128 moves as one
 * 16-byte copy. Included by module.c inside its translator (uses its dec, the operand stack,
 * E*, truncate_to, vslot, pushv...); not a public header. Every helper returns 1 if it
 * translated the instruction, else 0 having changed nothing.
 *
 *  - rotate: v128.or of (x shl k) and (x shr_u (w - k)), both shifts just emitted with constant
 *    counts into the or's two operand temporaries, is a lane-wise rotate left by k (Core 4.3.2
 *    irotl: ishl and ishr_u of the same lane, counts mod w, summing to w): I16X8/I32X4/I64X2_ROTL_I.
 *    SIMD hashes and ciphers (BLAKE2/3, ChaCha, SHA-2 message schedules) write every rotation
 *    this way: wasm has no vector rotate.
 *  - xor-rotate: an i32x4 rotate (the one above, or an i8x16.shuffle that rotates the bytes of
 *    every 32-bit lane, module.c shuffle_form's _ROT) whose operand is the v128.xor emitted just
 *    before: V128_XOR_ROTL32 writes the xor's result where the xor did, then the rotation (so the
 *    xor's result stays available to whatever reads it later: no liveness needed).
 *  - i32x4.add of the i32x4.add just emitted (its result a temporary of the operand stack):
 *    I32X4_ADD3 (lane-wise wrapping sums associate and commute).
 *  - local.set / local.tee of a v128 held in another v128 local or in the operand stack's
 *    temporaries: V128_MOV, one 16-byte copy (two adjacent moves: V128_MOV2). Two 8-byte copies
 *    (COPY2) of the halves cost a failed store-to-load forward when the next SIMD instruction
 *    reads the 16 bytes at once. For the same reason a v128.const operand or local.set is one
 *    16-byte V128_CONST (module.c vslot, simd_set_local), not two CONST64 halves.
 */

/* The shift-immediate forms the rotate fusion looks for: lane width (bits) of the one that
 * shifts left (SHL) or right unsigned (SHR), 0 for anything else */
static unsigned simd_shl_width(uint32_t op) {
  return op == IOP_I16X8_SHL_I ? 16 : op == IOP_I32X4_SHL_I ? 32 : op == IOP_I64X2_SHL_I ? 64 : 0;
}
static unsigned simd_shr_width(uint32_t op) {
  return op == IOP_I16X8_SHR_U_I ? 16 : op == IOP_I32X4_SHR_U_I ? 32 : op == IOP_I64X2_SHR_U_I ? 64 : 0;
}

/* Called before a shift-immediate form is emitted: remember the v128.xor emitted just before
 * (x->vxor_pos: its start; the rotate fusion checks vxor_pos + 4 == the first shift's start, which
 * holds only if this call saw the xor right before that shift), or keep the record when this is
 * the second shift of a rotate (the instruction just before is the first one). */
static void simd_note_shift(dec *x) {
  uint32_t ls = x->last_start;
  if (x->dead || ls == NONE || ls + 4 != x->ncode) {
    x->vxor_pos = NONE;
  } else if (x->code[ls] == IOP_V128_XOR) {
    x->vxor_pos = ls;
  } else if (!(x->vxor_pos != NONE && x->vxor_pos + 4 == ls &&
               (simd_shl_width(x->code[ls]) || simd_shr_width(x->code[ls])))) {
    x->vxor_pos = NONE;
  }
}

/* operands at stack positions p, p + 1 (a v128) are the temporary in home(p): both halves K_SLOT */
static int simd_is_temp(dec *x, uint32_t p) { return x->st[p].kind == K_SLOT && x->st[p + 1].kind == K_SLOT; }
/* ... or in a v128 local (read in place, no code) */
static int simd_is_local(dec *x, uint32_t p) {
  return x->st[p].kind == K_LOCAL && x->st[p + 1].kind == K_LOCAL && x->st[p + 1].local == x->st[p].local + 1;
}

/* i32x4.rotl by k of the xor at vxor (if it is the operand src): one V128_XOR_ROTL32, else NONE */
static uint32_t simd_emit_xor_rotl32(dec *x, uint32_t vxor, uint32_t src, uint32_t k) {
  if (vxor == NONE || x->code[vxor] != IOP_V128_XOR || x->code[vxor + 1] != src) return NONE;
  uint32_t t = x->code[vxor + 1], a = x->code[vxor + 2], b = x->code[vxor + 3];
  truncate_to(x, vxor);
  uint32_t d = pushv(x);
  uint32_t at = E5(IOP_V128_XOR_ROTL32, d, t, a, b, k);
  result_dest(x, at, 1);
  return at;
}

/* A SIMD binary instruction (SH_BIN) about to be translated: the rotate, xor-rotate and add3
 * fusions (see the top of this file). */
static int simd_fuse_bin(dec *x, uint32_t iop) {
  if (x->dead || x->h < 4 || (iop != IOP_V128_OR && iop != IOP_I32X4_ADD)) return 0;
  uint32_t h = x->h - 4, last = x->last_start; /* a at positions h, h + 1; b at h + 2, h + 3 */
  if (last == NONE || last + 4 != x->ncode) return 0;
  if (iop == IOP_V128_OR) {
    uint32_t first = x->prev_start;
    if (first == NONE || first + 4 != last || !simd_is_temp(x, h) || !simd_is_temp(x, h + 2)) return 0;
    uint32_t o1 = x->code[first], o2 = x->code[last];
    unsigned w = simd_shl_width(o1), shl = first, shr = last;
    if (!w) w = simd_shl_width(o2), shl = last, shr = first;
    if (!w || simd_shr_width(x->code[shr]) != w) return 0;
    uint32_t src = x->code[shl + 2], k = x->code[shl + 3] & (w - 1), j = x->code[shr + 3] & (w - 1);
    uint32_t d1 = x->code[first + 1], d2 = x->code[last + 1];
    /* the same lane values shifted both ways (the first shift does not overwrite them), into the
     * or's two operand temporaries (dead after the or), by counts that sum to the lane width */
    if (x->code[shr + 2] != src || d1 == src || k == 0 || k + j != w) return 0;
    if (!((d1 == home(x, h) && d2 == home(x, h + 2)) || (d1 == home(x, h + 2) && d2 == home(x, h)))) return 0;
    uint32_t vxor = x->vxor_pos != NONE && x->vxor_pos + 4 == first ? x->vxor_pos : NONE;
    popv(x), popv(x);
    if (w == 32 && simd_emit_xor_rotl32(x, vxor, src, k) != NONE) return 1;
    truncate_to(x, first);
    uint32_t d = pushv(x);
    uint32_t rop = w == 16 ? IOP_I16X8_ROTL_I : w == 32 ? IOP_I32X4_ROTL_I : IOP_I64X2_ROTL_I;
    result_dest(x, E3(rop, d, src, k), 1);
    return 1;
  }
  /* i32x4.add: (p + q) + other or other + (p + q), p + q the temporary just computed (no code
   * since: the temporary's slot holds it) */
  uint32_t ld = last + 1;
  if (x->code[last] != IOP_I32X4_ADD) return 0;
  uint32_t op_pos;
  if (simd_is_temp(x, h) && x->code[ld] == home(x, h) && (simd_is_local(x, h + 2)))
    op_pos = h + 2;
  else if (simd_is_temp(x, h + 2) && x->code[ld] == home(x, h + 2) && (simd_is_local(x, h) || simd_is_temp(x, h)))
    op_pos = h;
  else
    return 0;
  /* (the other operand is read in place: a local, or a temporary below the sum's; no code) */
  uint32_t so = x->st[op_pos].kind == K_LOCAL ? x->st[op_pos].local : home(x, op_pos);
  uint32_t p = x->code[last + 2], q = x->code[last + 3];
  popv(x), popv(x);
  truncate_to(x, last);
  uint32_t d = pushv(x);
  result_dest(x, E4(IOP_I32X4_ADD3, d, p, q, so), 1);
  return 1;
}

/* An i8x16.shuffle of form _ROT (shuffle_form: rotates the bytes of each 32-bit lane of a, or
 * of b when s[0] >= 16) whose operands are already in slots sa, sb (popped): if the rotated
 * operand is the v128.xor emitted just before, one V128_XOR_ROTL32 (rotate right by 8r bits is
 * left by 32 - 8r). */
static int simd_fuse_shuffle_rot(dec *x, const uint8_t s[16], uint32_t sa, uint32_t sb) {
  uint32_t last = x->last_start;
  if (x->dead || last == NONE || last + 4 != x->ncode) return 0;
  return simd_emit_xor_rotl32(x, last, s[0] < 16 ? sa : sb, 32 - (s[0] & 3u) * 8) != NONE;
}

/* SIMD internal instructions that cannot trap (no memory access) and write nothing but their
 * result (word 1), by internal opcode: the ones simd_set_local may move after the copies of a
 * local's old value (re-emitted at the local.set, a trap would be reported there; and a second
 * output, V128_XOR_ROTL32's xor, may be the local those copies read) */
#define WK_SIMD_PURE_BIN 1
#define WK_SIMD_PURE_UN 1
#define WK_SIMD_PURE_TERN 1
#define WK_SIMD_PURE_SHIFT 1
#define WK_SIMD_PURE_SPLAT 1
#define WK_SIMD_PURE_REPLACE 1
#define WK_SIMD_PURE_SHUFFLE 1
#define WK_SIMD_PURE_TEST 0
#define WK_SIMD_PURE_EXTRACT_I 0
#define WK_SIMD_PURE_EXTRACT_L 0
#define WK_SIMD_PURE_EXTRACT_F 0
#define WK_SIMD_PURE_EXTRACT_D 0
#define WK_SIMD_PURE_LD1 0
#define WK_SIMD_PURE_LD2 0
#define WK_SIMD_PURE_LD4 0
#define WK_SIMD_PURE_LD8 0
#define WK_SIMD_PURE_LD16 0
#define WK_SIMD_PURE_ST16 0
#define WK_SIMD_PURE_LDL1 0
#define WK_SIMD_PURE_LDL2 0
#define WK_SIMD_PURE_LDL4 0
#define WK_SIMD_PURE_LDL8 0
#define WK_SIMD_PURE_STL1 0
#define WK_SIMD_PURE_STL2 0
#define WK_SIMD_PURE_STL4 0
#define WK_SIMD_PURE_STL8 0
static const uint8_t simd_pure[IOP__COUNT] = {
#define WK_S(X, n, shape, body) [IOP_##n] = WK_SIMD_PURE_##shape,
    WK_SIMD(WK_S, _)
#undef WK_S
    [IOP_I8X16_SHUFFLE_W32] = 1, [IOP_I8X16_SHUFFLE_ROT] = 1, [IOP_I8X16_SHL_I] = 1, [IOP_I8X16_SHR_S_I] = 1,
    [IOP_I8X16_SHR_U_I] = 1, [IOP_I16X8_SHL_I] = 1, [IOP_I16X8_SHR_S_I] = 1, [IOP_I16X8_SHR_U_I] = 1,
    [IOP_I32X4_SHL_I] = 1, [IOP_I32X4_SHR_S_I] = 1, [IOP_I32X4_SHR_U_I] = 1, [IOP_I64X2_SHL_I] = 1,
    [IOP_I64X2_SHR_S_I] = 1, [IOP_I64X2_SHR_U_I] = 1, [IOP_I16X8_ROTL_I] = 1, [IOP_I32X4_ROTL_I] = 1,
    [IOP_I64X2_ROTL_I] = 1, [IOP_I32X4_ADD3] = 1,
};

/* one 16-byte move d <- s, merged with a V128_MOV just before into V128_MOV2 */
static void simd_emit_mov(dec *x, uint32_t d, uint32_t s) {
  uint32_t ls = x->last_start;
  if (ls != NONE && ls + 3 == x->ncode && x->code[ls] == IOP_V128_MOV) {
    uint32_t *w = reserve(x, 2);
    x->code[ls] = IOP_V128_MOV2;
    w[0] = d, w[1] = s;
  } else {
    E2(IOP_V128_MOV, d, s);
  }
}
/* before v128 local slot l is written: the operand stack's reads of it get their own copy of the
 * old value (module.c copy_on_write), a whole v128 by one 16-byte move */
static void simd_copy_on_write(dec *x, uint32_t l) {
  for (uint32_t p = 0; p + 1 < x->h; p++)
    if (x->st[p].kind == K_LOCAL && x->st[p].local == l && x->st[p + 1].kind == K_LOCAL && x->st[p + 1].local == l + 1) {
      simd_emit_mov(x, home(x, p), l);
      x->st[p].kind = x->st[p + 1].kind = K_SLOT;
    }
  copy_on_write(x, l); /* (halves read on their own, if any) */
  copy_on_write(x, l + 1);
}

/* local.set / local.tee of v128 local slot l that module.c did not retarget (the stack reads the
 * local's old value, or the value was not made just now):
 *  - made by the SIMD instruction just emitted (simd_pure: it cannot trap and writes only its
 *    result), while the stack reads the old value: that instruction moves after the copies of the
 *    old value and writes the local itself;
 *  - a v128.const: one V128_CONST into the local;
 *  - else one 16-byte V128_MOV from a v128 local or a temporary.
 * Values with halves of different kinds keep the slot-wise path. */
static int simd_set_local(dec *x, uint32_t l, int tee) {
  if (x->dead || x->h < 2) return 0;
  uint32_t p = x->h - 2, s, ls = x->last_start, ld = x->last_dest;
  if (simd_is_temp(x, p) && p >= top_ctl(x)->height && ls != NONE && ld == ls + 1 && x->code[ld] == home(x, p) && simd_pure[x->code[ls]] &&
      ls + wk_iop_words[x->code[ls]] == x->ncode && wk_iop_words[x->code[ls]] <= 8) {
    uint32_t w[8] = {0}, n = wk_iop_words[x->code[ls]];
    memcpy(w, x->code + ls, n * sizeof *w);
    popv(x);
    truncate_to(x, ls);
    simd_copy_on_write(x, l);
    uint32_t at = emit(x, w[0], n - 1 < 5 ? (int)n - 1 : 5, w[1] = l, w[2], w[3], w[4], w[5]);
    if (n > 6) memcpy(reserve(x, n - 6), w + 6, (n - 6) * sizeof *w);
    (void)at;
  } else if (x->st[p].kind == K_CONST && x->st[p + 1].kind == K_CONST) {
    uint64_t lo = x->st[p].c, hi = x->st[p + 1].c;
    popv(x);
    simd_copy_on_write(x, l);
    E5(IOP_V128_CONST, l, (uint32_t)lo, (uint32_t)(lo >> 32), (uint32_t)hi, (uint32_t)(hi >> 32));
  } else {
    if (simd_is_local(x, p)) s = x->st[p].local;
    else if (simd_is_temp(x, p)) s = home(x, p);
    else return 0;
    popv(x);
    if (s != l) {
      simd_copy_on_write(x, l);
      simd_emit_mov(x, l, s);
    }
  }
  soft_barrier(x);
  if (tee) push(x, K_LOCAL, l, 0), push(x, K_LOCAL, l + 1, 0);
  return 1;
}
