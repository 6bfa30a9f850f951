/*
 * SIMD handlers, included by loop.h inside the interpreter loop (so once per
 * memory mode and dispatch kind): one handler per WK_SIMD entry (simd.h),
 * made by the shape macros below from the entry's lane semantics. A v128
 * operand at slot k is the 16 bytes at &fp[k] (two slots, 8-byte aligned:
 * memcpy). Memory accesses use the loop's modes: WK_CHECKED compares the
 * effective address + access size with the memory size (Core 4.4.7: trap if
 * ea + N/8 > |mem|); otherwise the guard region faults (rc->ip set first).
 */
#define VLD(v, k) memcpy(&(v), &fp[ip[k]], 16)
#define VST(k, v) memcpy(&fp[ip[k]], &(v), 16)
#if WK_CHECKED
#define VEA(aw, ow, n)                                                                             \
  uint64_t ea_ = (uint64_t)R32(aw) + U32(ow);                                                      \
  if (__builtin_expect(ea_ + (n) > memsize, 0)) TRAP(WK_TRAP_MEMORY_OOB);                          \
  uint8_t *p_ = mem + ea_;
#define VSTORE(src, n) memcpy(p_, (src), (n))
#else
#define VEA(aw, ow, n)                                                                             \
  rc->ip = ip;                                                                                     \
  uint8_t *p_ = mem + (uint64_t)R32(aw) + U32(ow);
/* a store that faults must write nothing (Core 4.4.7): its last byte first, so an access that
 * reaches into the guard region faults before any byte is written (memcpy need not be one
 * instruction: with ASan it copies piecewise) */
#define VSTORE(src, n)                                                                             \
  do {                                                                                             \
    ((volatile uint8_t *)p_)[(n) - 1] = ((const uint8_t *)(src))[(n) - 1];                         \
    __asm__ __volatile__("" ::: "memory"); /* (no store moves above the probe) */                  \
    memcpy(p_, (src), (n));                                                                        \
  } while (0)
#endif

#define WK_SH_BIN(n, body) CASE(n) { wk_v128 a, b, r; VLD(a, 2); VLD(b, 3); body; VST(1, r); ip += 4; NEXT(); }
#define WK_SH_UN(n, body) CASE(n) { wk_v128 a, r; VLD(a, 2); body; VST(1, r); ip += 3; NEXT(); }
#define WK_SH_TERN(n, body) CASE(n) { wk_v128 a, b, c, r; VLD(a, 2); VLD(b, 3); VLD(c, 4); body; VST(1, r); ip += 5; NEXT(); }
#define WK_SH_SHIFT(n, body)                                                                       \
  CASE(n) { wk_v128 a, r; uint32_t s = R32(3); VLD(a, 2); body; VST(1, r); ip += 4; NEXT(); }      \
  CASE(n##_I) { wk_v128 a, r; uint32_t s = U32(3); VLD(a, 2); body; VST(1, r); ip += 4; NEXT(); }
#define WK_SH_TEST(n, body) CASE(n) { wk_v128 a; uint32_t o; VLD(a, 2); body; W32(1, o); ip += 3; NEXT(); }
#define WK_SH_SPLAT(n, body) CASE(n) { wk_v128 r; uint64_t x = SL(2); body; VST(1, r); ip += 3; NEXT(); }
#define WK_SH_EXTRACT(n, body) CASE(n) { wk_v128 a; uint64_t o; uint32_t l = U32(3); VLD(a, 2); body; SL(1) = o; ip += 4; NEXT(); }
#define WK_SH_EXTRACT_I WK_SH_EXTRACT
#define WK_SH_EXTRACT_L WK_SH_EXTRACT
#define WK_SH_EXTRACT_F WK_SH_EXTRACT
#define WK_SH_EXTRACT_D WK_SH_EXTRACT
#define WK_SH_REPLACE(n, body) CASE(n) { wk_v128 r; uint64_t x = SL(3); uint32_t l = U32(4); VLD(r, 2); body; VST(1, r); ip += 5; NEXT(); }
#define WK_SH_SHUFFLE(n, body)                                                                     \
  CASE(n) { wk_v128 a, b, r; uint8_t sh[16]; memcpy(sh, &ip[4], 16); VLD(a, 2); VLD(b, 3); body; VST(1, r); ip += 8; NEXT(); } \
  CASE(n##_W32) { /* whole 32-bit lanes: lane k takes 32-bit lane sh[4k] / 4 of a:b */             \
    wk_v128 a, b, r; uint32_t ab_[8]; uint8_t sh[16]; memcpy(sh, &ip[4], 16); VLD(a, 2); VLD(b, 3); \
    memcpy(ab_, &a, 16); memcpy(ab_ + 4, &b, 16);                                                  \
    r.vu32 = (wk_u32x4){ab_[sh[0] >> 2], ab_[sh[4] >> 2], ab_[sh[8] >> 2], ab_[sh[12] >> 2]};         \
    VST(1, r); ip += 8; NEXT(); }                                                                  \
  CASE(n##_ROT) { /* byte rotation inside each 32-bit lane of a (sh[0] < 16) or b, little-endian */  \
    wk_v128 a, b, r; uint8_t sh[16]; memcpy(sh, &ip[4], 16); VLD(a, 2); VLD(b, 3);                 \
    wk_u32x4 v_ = sh[0] < 16 ? a.vu32 : b.vu32; unsigned k_ = (sh[0] & 3u) * 8u;                     \
    r.vu32 = (v_ >> k_) | (v_ << (32u - k_));                                                      \
    VST(1, r); ip += 8; NEXT(); }
#define WK_SH_LDN(n, N, body) CASE(n) { VEA(2, 3, N) wk_v128 r; body; VST(1, r); ip += 4; NEXT(); }
#define WK_SH_LD1(n, body) WK_SH_LDN(n, 1, body)
#define WK_SH_LD2(n, body) WK_SH_LDN(n, 2, body)
#define WK_SH_LD4(n, body) WK_SH_LDN(n, 4, body)
#define WK_SH_LD8(n, body) WK_SH_LDN(n, 8, body)
#define WK_SH_LD16(n, body) WK_SH_LDN(n, 16, body)
#define WK_SH_ST16(n, body) CASE(n) { VEA(1, 3, 16) wk_v128 a; VLD(a, 2); body; ip += 4; NEXT(); }
/* load lane: d addr v offset lane; store lane: addr v offset lane (Core 4.4.7 v128.loadN_lane) */
#define WK_SH_LDLN(n, N, body)                                                                     \
  CASE(n) {                                                                                        \
    VEA(2, 4, N) wk_v128 r;                                                                        \
    VLD(r, 3);                                                                                     \
    memcpy(&r.u8[(U32(5) & (16 / N - 1)) * N], p_, N);                                              \
    body;                                                                                          \
    VST(1, r);                                                                                     \
    ip += 6;                                                                                       \
    NEXT();                                                                                        \
  }
#define WK_SH_LDL1(n, body) WK_SH_LDLN(n, 1, body)
#define WK_SH_LDL2(n, body) WK_SH_LDLN(n, 2, body)
#define WK_SH_LDL4(n, body) WK_SH_LDLN(n, 4, body)
#define WK_SH_LDL8(n, body) WK_SH_LDLN(n, 8, body)
#define WK_SH_STLN(n, N, body)                                                                     \
  CASE(n) {                                                                                        \
    VEA(1, 3, N) wk_v128 a;                                                                        \
    VLD(a, 2);                                                                                     \
    VSTORE(&a.u8[(U32(4) & (16 / N - 1)) * N], N);                                                 \
    body;                                                                                          \
    ip += 5;                                                                                       \
    NEXT();                                                                                        \
  }
#define WK_SH_STL1(n, body) WK_SH_STLN(n, 1, body)
#define WK_SH_STL2(n, body) WK_SH_STLN(n, 2, body)
#define WK_SH_STL4(n, body) WK_SH_STLN(n, 4, body)
#define WK_SH_STL8(n, body) WK_SH_STLN(n, 8, body)

#define WK_SIMD_HANDLER(X, n, shape, body) WK_SH_##shape(n, body)
  WK_SIMD(WK_SIMD_HANDLER, _)
#undef WK_SIMD_HANDLER

  /* v128 globals: d g / g s (the low half in val, the high one in hi) */
  CASE(V128_GGET) {
    wk_global *g_ = inst->globals[U32(2)];
    SL(1) = g_->val;
    fp[ip[1] + 1] = g_->hi;
    ip += 3;
    NEXT();
  }
  CASE(V128_GSET) {
    wk_global *g_ = inst->globals[U32(1)];
    g_->val = SL(2);
    g_->hi = fp[ip[2] + 1];
    ip += 3;
    NEXT();
  }
  /* fused forms (simd.h WK_SIMD_FUSED_IOPS; simd_translate_int.h: 0 < k < lane width) */
#define WK_SIMD_ROTL_I(OP, LANES, W)                                                             \
  CASE(OP) {                                                                                     \
    wk_v128 a, r;                                                                                \
    unsigned k = U32(3);                                                                         \
    VLD(a, 2);                                                                                   \
    r.LANES = (a.LANES << k) | (a.LANES >> (W##u - k));                                          \
    VST(1, r);                                                                                   \
    ip += 4;                                                                                     \
    NEXT();                                                                                      \
  }
  WK_SIMD_ROTL_I(I16X8_ROTL_I, vu16, 16)
  WK_SIMD_ROTL_I(I32X4_ROTL_I, vu32, 32)
  WK_SIMD_ROTL_I(I64X2_ROTL_I, vu64, 64)
#undef WK_SIMD_ROTL_I
  CASE(V128_XOR_ROTL32) { /* d t a b k: t = a ^ b (as the v128.xor did), d = t rotated left by k */
    wk_v128 a, b, r;
    unsigned k = U32(5);
    VLD(a, 3);
    VLD(b, 4);
    a.vu64 ^= b.vu64;
    VST(2, a);
    r.vu32 = (a.vu32 << k) | (a.vu32 >> (32u - k));
    VST(1, r);
    ip += 6;
    NEXT();
  }
  CASE(I32X4_ADD3) {
    wk_v128 a, b, c;
    VLD(a, 2);
    VLD(b, 3);
    VLD(c, 4);
    a.vu32 += b.vu32 + c.vu32;
    VST(1, a);
    ip += 5;
    NEXT();
  }
  CASE(V128_MOV) {
    wk_v128 a;
    VLD(a, 2);
    VST(1, a);
    ip += 3;
    NEXT();
  }
  CASE(V128_MOV2) {
    wk_v128 a;
    VLD(a, 2);
    VST(1, a);
    VLD(a, 4);
    VST(3, a);
    ip += 5;
    NEXT();
  }
  CASE(V128_CONST) {
    memcpy(&fp[ip[1]], &ip[2], 16);
    ip += 6;
    NEXT();
  }
#undef VLD
#undef VST
#undef VEA
#undef VSTORE
