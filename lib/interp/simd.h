/*
 * lib/interp SIMD (WebAssembly 2.0 "vector instructions", Core spec 4.4.3):
 * the v128 value representation and the one table of internal SIMD
 * instructions, from which internal.h makes the opcodes (enum wk_iop), the
 * translator (module.c simd_insn) the operand layout, and loop.h (through
 * simd_loop.h) the handlers.
 *
 * Representation. A v128 occupies two adjacent 8-byte frame slots: the low
 * half (bytes 0-7, lanes in little-endian order as in memory, Core 4.3.1
 * lanes) in slot s, the high half in slot s + 1. The translator's operand
 * stack has two entries for it (untyped: module.c operand_v128), a v128 local
 * two local slots, a v128 parameter or result two slots of the call frame;
 * moving a v128 is two 8-byte copies (COPY/COPY2, CONST64), so no control,
 * call or local instruction needs a v128 variant. Slots are 8-byte aligned
 * only: handlers load and store 16 bytes with memcpy (unaligned vector
 * moves). v128 globals keep the high half in wk_global.hi.
 *
 * The handlers are portable C on GCC/Clang vector extensions and lane loops;
 * each follows the spec's lane-wise definition (Core 4.3.2 numerics: NaN
 * propagation, saturation, rounding). x86-64 builds use baseline SSE2 only
 * (the Debian package runs on any x86-64): GCC -O2 leaves lane loops scalar, so
 * the measured hot ones are vector expressions (WK_EXT_*, WK_NARROW_*, splat)
 * and i32x4.dot_i16x8_s is SSE2's pmaddwd; -msse4.1 / -mavx2 builds of the
 * loop measured no gain worth a runtime-dispatched copy (docs/ARCHITECTURE.md
 * "SIMD (v128)", make bench-simd).
 * Relaxed SIMD (WebAssembly 3.0, 0xFD 0x100-0x113, opcodes.h rows 0xFE00-0xFE13)
 * runs the deterministic profile (Core 3.0 4.3.2 "Relaxed
 * operations": every relaxed() parameter is 0, the first listed result):
 * relaxed_swizzle = swizzle, relaxed_trunc = trunc_sat, relaxed_madd/nmadd =
 * unfused multiply then add (two roundings), relaxed_laneselect = bitselect,
 * relaxed_min/max = min/max, relaxed_q15mulr_s = q15mulr_sat_s, relaxed dot
 * products = signed x signed with the i16 sum saturated.
 *
 * WK_SIMD(S, X) calls S(X, NAME, SHAPE, BODY) for each instruction:
 *   NAME   the WK_OPCODES name (IOP_##NAME is the internal opcode; the opcode, immediates and
 *          operand types are that row's, lib/encode/opcodes.h, whose IOP column names NAME)
 *   SHAPE  operand layout (slot words; words = WK_VW_##SHAPE):
 *          BIN d a b · UN d a · TERN d a b c · SHIFT d a s(i32) · TEST d(i32) a ·
 *          SPLAT d x · EXTRACT_{I,L,F,D} d(i32/i64/f32/f64) a lane ·
 *          REPLACE d a x lane · SHUFFLE d a b lanes[4 words] ·
 *          LDn d addr offset (n bytes read) · ST16 addr v offset ·
 *          LDLn d addr v offset lane · STLn addr v offset lane
 *   BODY   the lane semantics over wk_v128 a, b, c -> r; s (shift count),
 *          o (scalar result), x (scalar operand, 64-bit slot), l (lane),
 *          p_ (memory address, bounds already checked), sh (shuffle lanes);
 *          stores write through VSTORE (simd_loop.h: no partial write on a fault)
 */
#ifndef WK_INTERP_SIMD_H
#define WK_INTERP_SIMD_H

#include <math.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h> /* (baseline x86-64: the one intrinsic used, see WK_DOT_16_32) */
#endif

#define WK_V128_HI 0x02 /* slot type of a v128's high half in local and expanded function types (translator only) */

typedef uint8_t wk_u8x16 __attribute__((vector_size(16)));
typedef int8_t wk_i8x16 __attribute__((vector_size(16)));
typedef uint16_t wk_u16x8 __attribute__((vector_size(16)));
typedef int16_t wk_i16x8 __attribute__((vector_size(16)));
typedef uint32_t wk_u32x4 __attribute__((vector_size(16)));
typedef int32_t wk_i32x4 __attribute__((vector_size(16)));
typedef uint64_t wk_u64x2 __attribute__((vector_size(16)));
typedef int64_t wk_i64x2 __attribute__((vector_size(16)));
typedef float wk_f32x4 __attribute__((vector_size(16)));
typedef double wk_f64x2 __attribute__((vector_size(16)));
typedef union wk_v128 {
  uint8_t u8[16];
  int8_t i8[16];
  uint16_t u16[8];
  int16_t i16[8];
  uint32_t u32[4];
  int32_t i32[4];
  uint64_t u64[2];
  int64_t i64[2];
  float f32[4];
  double f64[2];
  wk_u8x16 vu8;
  wk_i8x16 vi8;
  wk_u16x8 vu16;
  wk_i16x8 vi16;
  wk_u32x4 vu32;
  wk_i32x4 vi32;
  wk_u64x2 vu64;
  wk_i64x2 vi64;
  wk_f32x4 vf32;
  wk_f64x2 vf64;
} wk_v128;

/* ---- lane helpers (Core 4.3.2) ---- */
static inline int8_t wk_sat8s(int32_t v) { return (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v); }
static inline uint8_t wk_sat8u(int32_t v) { return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v); }
static inline int16_t wk_sat16s(int32_t v) { return (int16_t)(v < -32768 ? -32768 : v > 32767 ? 32767 : v); }
static inline uint16_t wk_sat16u(int32_t v) { return (uint16_t)(v < 0 ? 0 : v > 65535 ? 65535 : v); }
/* isqrt2rdmulh: (a * b + 2^14) >> 15, saturated (Core 4.3.2 iq15mulrsat_s) */
static inline int16_t wk_q15mulr(int16_t a, int16_t b) { return wk_sat16s(((int32_t)a * b + 0x4000) >> 15); }
/* fmin/fmax of Core 4.3.3: NaN if either is NaN, -0 < +0 */
static inline float wk_fmin32(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) {
    uint32_t x, y;
    memcpy(&x, &a, 4), memcpy(&y, &b, 4);
    x |= y;
    memcpy(&a, &x, 4);
    return a;
  }
  return a < b ? a : b;
}
static inline float wk_fmax32(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) {
    uint32_t x, y;
    memcpy(&x, &a, 4), memcpy(&y, &b, 4);
    x &= y;
    memcpy(&a, &x, 4);
    return a;
  }
  return a > b ? a : b;
}
static inline double wk_fmin64(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == b) {
    uint64_t x, y;
    memcpy(&x, &a, 8), memcpy(&y, &b, 8);
    x |= y;
    memcpy(&a, &x, 8);
    return a;
  }
  return a < b ? a : b;
}
static inline double wk_fmax64(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == b) {
    uint64_t x, y;
    memcpy(&x, &a, 8), memcpy(&y, &b, 8);
    x &= y;
    memcpy(&a, &x, 8);
    return a;
  }
  return a > b ? a : b;
}
/* trunc_sat (Core 4.3.3 trunc_sat_u/s): NaN -> 0, saturating at the range ends */
static inline int32_t wk_tsat_s32(double a) {
  if (a != a) return 0;
  if (a <= -2147483648.0) return INT32_MIN;
  if (a >= 2147483647.0) return INT32_MAX;
  return (int32_t)a;
}
static inline uint32_t wk_tsat_u32(double a) {
  if (a != a || a <= -1.0) return 0;
  if (a >= 4294967295.0) return UINT32_MAX;
  return (uint32_t)a;
}
/* keeps an intermediate floating-point value rounded to its type in a register (no folding, no
 * excess precision) */
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__)) && defined(__SSE2__)
#define WK_FP_BARRIER_F(v) __asm__("" : "+x"(v))
#elif defined(__GNUC__) && defined(__aarch64__)
#define WK_FP_BARRIER_F(v) __asm__("" : "+w"(v))
#else
#define WK_FP_BARRIER_F(v) do { volatile __typeof__(v) wk_fpb_ = (v); (v) = wk_fpb_; } while (0)
#endif
/* nearest (Core 4.3.3 fnearest): ties to even; NaN stays a (quieted) NaN. Not nearbyint(): that is
 * libm's, and wrun loads no libm (its page-ins cost every process start-up, issue 13). Below 2^52
 * (2^23) adding and subtracting 2^52 rounds to an integer in the default rounding mode (to nearest,
 * ties to even, the mode the engine runs in); the sign is put back so that -0.4 gives -0. Larger
 * magnitudes are integers already. The barrier keeps the sum from being folded. */
static inline float wk_nearest32(float a) {
  if (a != a) return a + a;
  float m = __builtin_fabsf(a);
  if (!(m < 8388608.0f)) return a;
  float r = m + 8388608.0f;
  WK_FP_BARRIER_F(r);
  return __builtin_copysignf(r - 8388608.0f, a);
}
static inline double wk_nearest64(double a) {
  if (a != a) return a + a;
  double m = __builtin_fabs(a);
  if (!(m < 4503599627370496.0)) return a;
  double r = m + 4503599627370496.0;
  WK_FP_BARRIER_F(r);
  return __builtin_copysign(r - 4503599627370496.0, a);
}
static inline float wk_ceil32(float a) { return a != a ? a + a : ceilf(a); }
static inline float wk_floor32(float a) { return a != a ? a + a : floorf(a); }
static inline float wk_trunc32(float a) { return a != a ? a + a : truncf(a); }
static inline double wk_ceil64(double a) { return a != a ? a + a : ceil(a); }
static inline double wk_floor64(double a) { return a != a ? a + a : floor(a); }
static inline double wk_trunc64(double a) { return a != a ? a + a : trunc(a); }

/* relaxed madd (Core 3.0 4.3.2 frelaxed_madd): the deterministic profile's unfused a * b + c, two
 * roundings (volatile: no contraction into an fma whatever -ffp-contract says) */
static inline float wk_madd32(float a, float b, float c) {
  volatile float p = a * b;
  return p + c;
}
static inline double wk_madd64(double a, double b, double c) {
  volatile double p = a * b;
  return p + c;
}
/* relaxed dot lane k of i16x8.relaxed_dot_i8x16_i7x16_s (Core 3.0 4.3.2 vextbinop with ivdotsat,
 * both operands signed in the deterministic profile): saturated sum of two i8 products */
#define wk_reldot16(a, b, k) ((int32_t)wk_sat16s((a).i8[2 * (k)] * (b).i8[2 * (k)] + (a).i8[2 * (k) + 1] * (b).i8[2 * (k) + 1]))

#define WK_LN(n, e)                                                                                \
  for (int i = 0; i < (n); i++) {                                                                  \
    e;                                                                                             \
  }
/* lane-wise select by a mask vector m: (t & m) | (f & ~m), any lane width */
#define WK_VSEL(m, t, f) (((t) & (m)) | ((f) & ~(m)))

/* Widening, narrowing and pairwise lane operations as whole-vector expressions (GCC >= 12 and
 * Clang have __builtin_shufflevector): GCC -O2 does not vectorize the lane loops, and these
 * become a few SSE2 instructions on x86-64 (punpck, pack, pmaddwd...) instead of 8-16 scalar
 * steps each. Older compilers take the lane loops (same results). Measured with make
 * bench-simd (bench/simd.py): see docs/ARCHITECTURE.md "SIMD (v128)". */
#if defined(__clang__) || (defined(__GNUC__) && __GNUC__ >= 12)
#define WK_SHUF(v, ...) __builtin_shufflevector(v, v, __VA_ARGS__)
/* extend half o (0 = low, else high) of a's s-signed lanes to twice the width */
#define WK_EXT_8_16(s, o) r.v##s##16 = __builtin_convertvector(WK_SHUF(a.v##s##8, o, o + 1, o + 2, o + 3, o + 4, o + 5, o + 6, o + 7), wk_##s##16x8)
#define WK_EXT_16_32(s, o) r.v##s##32 = __builtin_convertvector(WK_SHUF(a.v##s##16, o, o + 1, o + 2, o + 3), wk_##s##32x4)
#define WK_EXT_32_64(s, o) r.v##s##64 = __builtin_convertvector(WK_SHUF(a.v##s##32, o, o + 1), wk_##s##64x2)
/* clamp i16 / i32 lanes to [lo, hi] (comparison masks), then keep each lane's low half
 * (little-endian: the even narrow lanes) of a then b: the saturating narrow of Core 4.3.2 */
static inline wk_i16x8 wk_clamp16(wk_i16x8 v, int16_t lo, int16_t hi) {
  wk_i16x8 l = (wk_i16x8){0} + lo, h = (wk_i16x8){0} + hi, k = v < l;
  v = WK_VSEL(k, l, v);
  k = v > h;
  return WK_VSEL(k, h, v);
}
static inline wk_i32x4 wk_clamp32(wk_i32x4 v, int32_t lo, int32_t hi) {
  wk_i32x4 l = (wk_i32x4){0} + lo, h = (wk_i32x4){0} + hi, k = v < l;
  v = WK_VSEL(k, l, v);
  k = v > h;
  return WK_VSEL(k, h, v);
}
#define WK_NARROW_16_8(lo, hi)                                                                     \
  r.vu8 = __builtin_shufflevector((wk_u8x16)wk_clamp16(a.vi16, lo, hi), (wk_u8x16)wk_clamp16(b.vi16, lo, hi), 0, 2,  \
                                  4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30)
#define WK_NARROW_32_16(lo, hi)                                                                    \
  r.vu16 = __builtin_shufflevector((wk_u16x8)wk_clamp32(a.vi32, lo, hi), (wk_u16x8)wk_clamp32(b.vi32, lo, hi), 0, 2, \
                                   4, 6, 8, 10, 12, 14)
/* i32x4.dot_i16x8_s: products of the even and of the odd lanes, summed (wrapping: unsigned).
 * On x86-64 this is SSE2's pmaddwd (baseline: every x86-64 has it; 4 x (a0*b0 + a1*b1), the one
 * overflow, all four lanes -32768, wraps to 0x80000000 as the spec's modular sum does): GCC does
 * not find it in the vector expression, which needs 32-bit multiplies (pmulld: SSE4.1) */
#if defined(__SSE2__)
#define WK_DOT_16_32()                                                                             \
  do {                                                                                             \
    __m128i x_; /* (one declaration each: this body is a macro argument) */                    \
    __m128i y_;                                                                                    \
    memcpy(&x_, &a, 16);                                                                           \
    memcpy(&y_, &b, 16);                                                                           \
    x_ = _mm_madd_epi16(x_, y_);                                                                   \
    memcpy(&r, &x_, 16);                                                                           \
  } while (0)
#else
#define WK_DOT_16_32()                                                                             \
  r.vu32 = (wk_u32x4)__builtin_convertvector(WK_SHUF(a.vi16, 0, 2, 4, 6), wk_i32x4) *                \
               (wk_u32x4)__builtin_convertvector(WK_SHUF(b.vi16, 0, 2, 4, 6), wk_i32x4) +            \
           (wk_u32x4)__builtin_convertvector(WK_SHUF(a.vi16, 1, 3, 5, 7), wk_i32x4) *                \
               (wk_u32x4)__builtin_convertvector(WK_SHUF(b.vi16, 1, 3, 5, 7), wk_i32x4)
#endif
#else
#define WK_EXT_8_16(s, o) WK_LN(8, r.s##16[i] = a.s##8[i + o])
#define WK_EXT_16_32(s, o) WK_LN(4, r.s##32[i] = a.s##16[i + o])
#define WK_EXT_32_64(s, o) WK_LN(2, r.s##64[i] = a.s##32[i + o])
#define WK_NARROW_16_8(lo, hi)                                                                     \
  WK_LN(8, r.u8[i] = (uint8_t)(a.i16[i] < lo ? lo : a.i16[i] > hi ? hi : a.i16[i]);                  \
        r.u8[i + 8] = (uint8_t)(b.i16[i] < lo ? lo : b.i16[i] > hi ? hi : b.i16[i]))
#define WK_NARROW_32_16(lo, hi)                                                                    \
  WK_LN(4, r.u16[i] = (uint16_t)(a.i32[i] < lo ? lo : a.i32[i] > hi ? hi : a.i32[i]);                \
        r.u16[i + 4] = (uint16_t)(b.i32[i] < lo ? lo : b.i32[i] > hi ? hi : b.i32[i]))
#define WK_DOT_16_32()                                                                             \
  WK_LN(4, r.u32[i] = (uint32_t)(a.i16[2 * i] * b.i16[2 * i]) + (uint32_t)(a.i16[2 * i + 1] * b.i16[2 * i + 1]))
#endif

/* words of each shape (including the opcode word) */
#define WK_VW_BIN 4
#define WK_VW_UN 3
#define WK_VW_TERN 5
#define WK_VW_SHIFT 4
#define WK_VW_TEST 3
#define WK_VW_SPLAT 3
#define WK_VW_EXTRACT_I 4
#define WK_VW_EXTRACT_L 4
#define WK_VW_EXTRACT_F 4
#define WK_VW_EXTRACT_D 4
#define WK_VW_REPLACE 5
#define WK_VW_SHUFFLE 8
#define WK_VW_LD1 4
#define WK_VW_LD2 4
#define WK_VW_LD4 4
#define WK_VW_LD8 4
#define WK_VW_LD16 4
#define WK_VW_ST16 4
#define WK_VW_LDL1 6
#define WK_VW_LDL2 6
#define WK_VW_LDL4 6
#define WK_VW_LDL8 6
#define WK_VW_STL1 5
#define WK_VW_STL2 5
#define WK_VW_STL4 5
#define WK_VW_STL8 5

/* integer compare: mask of the vector comparison (lanes all ones / zeros) */
#define WK_VCMP(f, op) r.f = (__typeof__(r.f))(a.f op b.f)
#define WK_FCMP32(op) r.vi32 = (wk_i32x4)(a.vf32 op b.vf32)
#define WK_FCMP64(op) r.vi64 = (wk_i64x2)(a.vf64 op b.vf64)
/* lane-wise min/max through the comparison mask */
#define WK_VMIN(f, m) do { m k_ = (m)(a.f < b.f); r.f = WK_VSEL((__typeof__(r.f))k_, a.f, b.f); } while (0)
#define WK_VMAX(f, m) do { m k_ = (m)(a.f > b.f); r.f = WK_VSEL((__typeof__(r.f))k_, a.f, b.f); } while (0)

/* clang-format off */
#define WK_SIMD(S, X) \
  S(X, V128_LOAD, LD16, memcpy(&r, p_, 16)) \
  S(X, V128_LOAD8X8_S, LD8, int8_t t_[8]; memcpy(t_, p_, 8); WK_LN(8, r.i16[i] = t_[i])) \
  S(X, V128_LOAD8X8_U, LD8, uint8_t t_[8]; memcpy(t_, p_, 8); WK_LN(8, r.u16[i] = t_[i])) \
  S(X, V128_LOAD16X4_S, LD8, int16_t t_[4]; memcpy(t_, p_, 8); WK_LN(4, r.i32[i] = t_[i])) \
  S(X, V128_LOAD16X4_U, LD8, uint16_t t_[4]; memcpy(t_, p_, 8); WK_LN(4, r.u32[i] = t_[i])) \
  S(X, V128_LOAD32X2_S, LD8, int32_t t_[2]; memcpy(t_, p_, 8); WK_LN(2, r.i64[i] = t_[i])) \
  S(X, V128_LOAD32X2_U, LD8, uint32_t t_[2]; memcpy(t_, p_, 8); WK_LN(2, r.u64[i] = t_[i])) \
  S(X, V128_LOAD8_SPLAT, LD1, WK_LN(16, r.u8[i] = p_[0])) \
  S(X, V128_LOAD16_SPLAT, LD2, uint16_t t_; memcpy(&t_, p_, 2); WK_LN(8, r.u16[i] = t_)) \
  S(X, V128_LOAD32_SPLAT, LD4, uint32_t t_; memcpy(&t_, p_, 4); WK_LN(4, r.u32[i] = t_)) \
  S(X, V128_LOAD64_SPLAT, LD8, uint64_t t_; memcpy(&t_, p_, 8); WK_LN(2, r.u64[i] = t_)) \
  S(X, V128_STORE, ST16, VSTORE(&a, 16)) \
  S(X, I8X16_SHUFFLE, SHUFFLE, WK_LN(16, r.u8[i] = sh[i] < 16 ? a.u8[sh[i]] : b.u8[sh[i] & 15])) \
  S(X, I8X16_SWIZZLE, BIN, WK_LN(16, r.u8[i] = b.u8[i] < 16 ? a.u8[b.u8[i]] : 0)) \
  S(X, I8X16_SPLAT, SPLAT, r.vu8 = (wk_u8x16){0} + (uint8_t)x) \
  S(X, I16X8_SPLAT, SPLAT, r.vu16 = (wk_u16x8){0} + (uint16_t)x) \
  S(X, I32X4_SPLAT, SPLAT, r.vu32 = (wk_u32x4){0} + (uint32_t)x) \
  S(X, I64X2_SPLAT, SPLAT, r.vu64 = (wk_u64x2){0} + x) \
  S(X, F32X4_SPLAT, SPLAT, r.vu32 = (wk_u32x4){0} + (uint32_t)x) \
  S(X, F64X2_SPLAT, SPLAT, r.vu64 = (wk_u64x2){0} + x) \
  S(X, I8X16_EXTRACT_LANE_S, EXTRACT_I, o = (uint32_t)(int32_t)a.i8[l]) \
  S(X, I8X16_EXTRACT_LANE_U, EXTRACT_I, o = a.u8[l]) \
  S(X, I8X16_REPLACE_LANE, REPLACE, r.u8[l] = (uint8_t)x) \
  S(X, I16X8_EXTRACT_LANE_S, EXTRACT_I, o = (uint32_t)(int32_t)a.i16[l]) \
  S(X, I16X8_EXTRACT_LANE_U, EXTRACT_I, o = a.u16[l]) \
  S(X, I16X8_REPLACE_LANE, REPLACE, r.u16[l] = (uint16_t)x) \
  S(X, I32X4_EXTRACT_LANE, EXTRACT_I, o = a.u32[l]) \
  S(X, I32X4_REPLACE_LANE, REPLACE, r.u32[l] = (uint32_t)x) \
  S(X, I64X2_EXTRACT_LANE, EXTRACT_L, o = a.u64[l]) \
  S(X, I64X2_REPLACE_LANE, REPLACE, r.u64[l] = x) \
  S(X, F32X4_EXTRACT_LANE, EXTRACT_F, o = a.u32[l]) \
  S(X, F32X4_REPLACE_LANE, REPLACE, r.u32[l] = (uint32_t)x) \
  S(X, F64X2_EXTRACT_LANE, EXTRACT_D, o = a.u64[l]) \
  S(X, F64X2_REPLACE_LANE, REPLACE, r.u64[l] = x) \
  S(X, I8X16_EQ, BIN, WK_VCMP(vi8, ==)) \
  S(X, I8X16_NE, BIN, WK_VCMP(vi8, !=)) \
  S(X, I8X16_LT_S, BIN, WK_VCMP(vi8, <)) \
  S(X, I8X16_LT_U, BIN, WK_VCMP(vu8, <)) \
  S(X, I8X16_GT_S, BIN, WK_VCMP(vi8, >)) \
  S(X, I8X16_GT_U, BIN, WK_VCMP(vu8, >)) \
  S(X, I8X16_LE_S, BIN, WK_VCMP(vi8, <=)) \
  S(X, I8X16_LE_U, BIN, WK_VCMP(vu8, <=)) \
  S(X, I8X16_GE_S, BIN, WK_VCMP(vi8, >=)) \
  S(X, I8X16_GE_U, BIN, WK_VCMP(vu8, >=)) \
  S(X, I16X8_EQ, BIN, WK_VCMP(vi16, ==)) \
  S(X, I16X8_NE, BIN, WK_VCMP(vi16, !=)) \
  S(X, I16X8_LT_S, BIN, WK_VCMP(vi16, <)) \
  S(X, I16X8_LT_U, BIN, WK_VCMP(vu16, <)) \
  S(X, I16X8_GT_S, BIN, WK_VCMP(vi16, >)) \
  S(X, I16X8_GT_U, BIN, WK_VCMP(vu16, >)) \
  S(X, I16X8_LE_S, BIN, WK_VCMP(vi16, <=)) \
  S(X, I16X8_LE_U, BIN, WK_VCMP(vu16, <=)) \
  S(X, I16X8_GE_S, BIN, WK_VCMP(vi16, >=)) \
  S(X, I16X8_GE_U, BIN, WK_VCMP(vu16, >=)) \
  S(X, I32X4_EQ, BIN, WK_VCMP(vi32, ==)) \
  S(X, I32X4_NE, BIN, WK_VCMP(vi32, !=)) \
  S(X, I32X4_LT_S, BIN, WK_VCMP(vi32, <)) \
  S(X, I32X4_LT_U, BIN, WK_VCMP(vu32, <)) \
  S(X, I32X4_GT_S, BIN, WK_VCMP(vi32, >)) \
  S(X, I32X4_GT_U, BIN, WK_VCMP(vu32, >)) \
  S(X, I32X4_LE_S, BIN, WK_VCMP(vi32, <=)) \
  S(X, I32X4_LE_U, BIN, WK_VCMP(vu32, <=)) \
  S(X, I32X4_GE_S, BIN, WK_VCMP(vi32, >=)) \
  S(X, I32X4_GE_U, BIN, WK_VCMP(vu32, >=)) \
  S(X, F32X4_EQ, BIN, WK_FCMP32(==)) \
  S(X, F32X4_NE, BIN, WK_FCMP32(!=)) \
  S(X, F32X4_LT, BIN, WK_FCMP32(<)) \
  S(X, F32X4_GT, BIN, WK_FCMP32(>)) \
  S(X, F32X4_LE, BIN, WK_FCMP32(<=)) \
  S(X, F32X4_GE, BIN, WK_FCMP32(>=)) \
  S(X, F64X2_EQ, BIN, WK_FCMP64(==)) \
  S(X, F64X2_NE, BIN, WK_FCMP64(!=)) \
  S(X, F64X2_LT, BIN, WK_FCMP64(<)) \
  S(X, F64X2_GT, BIN, WK_FCMP64(>)) \
  S(X, F64X2_LE, BIN, WK_FCMP64(<=)) \
  S(X, F64X2_GE, BIN, WK_FCMP64(>=)) \
  S(X, V128_NOT, UN, r.vu64 = ~a.vu64) \
  S(X, V128_AND, BIN, r.vu64 = a.vu64 & b.vu64) \
  S(X, V128_ANDNOT, BIN, r.vu64 = a.vu64 & ~b.vu64) \
  S(X, V128_OR, BIN, r.vu64 = a.vu64 | b.vu64) \
  S(X, V128_XOR, BIN, r.vu64 = a.vu64 ^ b.vu64) \
  S(X, V128_BITSELECT, TERN, r.vu64 = WK_VSEL(c.vu64, a.vu64, b.vu64)) \
  S(X, V128_ANY_TRUE, TEST, o = (a.u64[0] | a.u64[1]) != 0) \
  S(X, V128_LOAD8_LANE, LDL1, ;) \
  S(X, V128_LOAD16_LANE, LDL2, ;) \
  S(X, V128_LOAD32_LANE, LDL4, ;) \
  S(X, V128_LOAD64_LANE, LDL8, ;) \
  S(X, V128_STORE8_LANE, STL1, ;) \
  S(X, V128_STORE16_LANE, STL2, ;) \
  S(X, V128_STORE32_LANE, STL4, ;) \
  S(X, V128_STORE64_LANE, STL8, ;) \
  S(X, V128_LOAD32_ZERO, LD4, memset(&r, 0, 16); memcpy(&r, p_, 4)) \
  S(X, V128_LOAD64_ZERO, LD8, memset(&r, 0, 16); memcpy(&r, p_, 8)) \
  S(X, F32X4_DEMOTE_F64X2_ZERO, UN, WK_LN(2, r.f32[i] = (float)a.f64[i]); r.u32[2] = r.u32[3] = 0) \
  S(X, F64X2_PROMOTE_LOW_F32X4, UN, WK_LN(2, r.f64[i] = (double)a.f32[i])) \
  S(X, I8X16_ABS, UN, WK_LN(16, r.u8[i] = a.i8[i] < 0 ? (uint8_t)(0u - a.u8[i]) : a.u8[i])) \
  S(X, I8X16_NEG, UN, r.vu8 = -a.vu8) \
  S(X, I8X16_POPCNT, UN, WK_LN(16, r.u8[i] = (uint8_t)__builtin_popcount(a.u8[i]))) \
  S(X, I8X16_ALL_TRUE, TEST, o = 1; WK_LN(16, o &= a.u8[i] != 0)) \
  S(X, I8X16_BITMASK, TEST, o = 0; WK_LN(16, o |= (uint32_t)(a.u8[i] >> 7) << i)) \
  S(X, I8X16_NARROW_I16X8_S, BIN, WK_NARROW_16_8(-128, 127)) \
  S(X, I8X16_NARROW_I16X8_U, BIN, WK_NARROW_16_8(0, 255)) \
  S(X, F32X4_CEIL, UN, WK_LN(4, r.f32[i] = wk_ceil32(a.f32[i]))) \
  S(X, F32X4_FLOOR, UN, WK_LN(4, r.f32[i] = wk_floor32(a.f32[i]))) \
  S(X, F32X4_TRUNC, UN, WK_LN(4, r.f32[i] = wk_trunc32(a.f32[i]))) \
  S(X, F32X4_NEAREST, UN, WK_LN(4, r.f32[i] = wk_nearest32(a.f32[i]))) \
  S(X, I8X16_SHL, SHIFT, r.vu8 = a.vu8 << (s & 7)) \
  S(X, I8X16_SHR_S, SHIFT, r.vi8 = a.vi8 >> (s & 7)) \
  S(X, I8X16_SHR_U, SHIFT, r.vu8 = a.vu8 >> (s & 7)) \
  S(X, I8X16_ADD, BIN, r.vu8 = a.vu8 + b.vu8) \
  S(X, I8X16_ADD_SAT_S, BIN, WK_LN(16, r.i8[i] = wk_sat8s(a.i8[i] + b.i8[i]))) \
  S(X, I8X16_ADD_SAT_U, BIN, WK_LN(16, r.u8[i] = wk_sat8u(a.u8[i] + b.u8[i]))) \
  S(X, I8X16_SUB, BIN, r.vu8 = a.vu8 - b.vu8) \
  S(X, I8X16_SUB_SAT_S, BIN, WK_LN(16, r.i8[i] = wk_sat8s(a.i8[i] - b.i8[i]))) \
  S(X, I8X16_SUB_SAT_U, BIN, WK_LN(16, r.u8[i] = wk_sat8u(a.u8[i] - b.u8[i]))) \
  S(X, F64X2_CEIL, UN, WK_LN(2, r.f64[i] = wk_ceil64(a.f64[i]))) \
  S(X, F64X2_FLOOR, UN, WK_LN(2, r.f64[i] = wk_floor64(a.f64[i]))) \
  S(X, I8X16_MIN_S, BIN, WK_VMIN(vi8, wk_i8x16)) \
  S(X, I8X16_MIN_U, BIN, WK_VMIN(vu8, wk_i8x16)) \
  S(X, I8X16_MAX_S, BIN, WK_VMAX(vi8, wk_i8x16)) \
  S(X, I8X16_MAX_U, BIN, WK_VMAX(vu8, wk_i8x16)) \
  S(X, F64X2_TRUNC, UN, WK_LN(2, r.f64[i] = wk_trunc64(a.f64[i]))) \
  S(X, I8X16_AVGR_U, BIN, r.vu8 = (a.vu8 | b.vu8) - ((a.vu8 ^ b.vu8) >> 1)) /* = (a + b + 1) >> 1 */ \
  S(X, I16X8_EXTADD_PAIRWISE_I8X16_S, UN, WK_LN(8, r.i16[i] = (int16_t)(a.i8[2 * i] + a.i8[2 * i + 1]))) \
  S(X, I16X8_EXTADD_PAIRWISE_I8X16_U, UN, WK_LN(8, r.u16[i] = (uint16_t)(a.u8[2 * i] + a.u8[2 * i + 1]))) \
  S(X, I32X4_EXTADD_PAIRWISE_I16X8_S, UN, WK_LN(4, r.i32[i] = a.i16[2 * i] + a.i16[2 * i + 1])) \
  S(X, I32X4_EXTADD_PAIRWISE_I16X8_U, UN, WK_LN(4, r.u32[i] = (uint32_t)a.u16[2 * i] + a.u16[2 * i + 1])) \
  S(X, I16X8_ABS, UN, WK_LN(8, r.u16[i] = a.i16[i] < 0 ? (uint16_t)(0u - a.u16[i]) : a.u16[i])) \
  S(X, I16X8_NEG, UN, r.vu16 = -a.vu16) \
  S(X, I16X8_Q15MULR_SAT_S, BIN, WK_LN(8, r.i16[i] = wk_q15mulr(a.i16[i], b.i16[i]))) \
  S(X, I16X8_ALL_TRUE, TEST, o = 1; WK_LN(8, o &= a.u16[i] != 0)) \
  S(X, I16X8_BITMASK, TEST, o = 0; WK_LN(8, o |= (uint32_t)(a.u16[i] >> 15) << i)) \
  S(X, I16X8_NARROW_I32X4_S, BIN, WK_NARROW_32_16(-32768, 32767)) \
  S(X, I16X8_NARROW_I32X4_U, BIN, WK_NARROW_32_16(0, 65535)) \
  S(X, I16X8_EXTEND_LOW_I8X16_S, UN, WK_EXT_8_16(i, 0)) \
  S(X, I16X8_EXTEND_HIGH_I8X16_S, UN, WK_EXT_8_16(i, 8)) \
  S(X, I16X8_EXTEND_LOW_I8X16_U, UN, WK_EXT_8_16(u, 0)) \
  S(X, I16X8_EXTEND_HIGH_I8X16_U, UN, WK_EXT_8_16(u, 8)) \
  S(X, I16X8_SHL, SHIFT, r.vu16 = a.vu16 << (s & 15)) \
  S(X, I16X8_SHR_S, SHIFT, r.vi16 = a.vi16 >> (s & 15)) \
  S(X, I16X8_SHR_U, SHIFT, r.vu16 = a.vu16 >> (s & 15)) \
  S(X, I16X8_ADD, BIN, r.vu16 = a.vu16 + b.vu16) \
  S(X, I16X8_ADD_SAT_S, BIN, WK_LN(8, r.i16[i] = wk_sat16s(a.i16[i] + b.i16[i]))) \
  S(X, I16X8_ADD_SAT_U, BIN, WK_LN(8, r.u16[i] = wk_sat16u(a.u16[i] + b.u16[i]))) \
  S(X, I16X8_SUB, BIN, r.vu16 = a.vu16 - b.vu16) \
  S(X, I16X8_SUB_SAT_S, BIN, WK_LN(8, r.i16[i] = wk_sat16s(a.i16[i] - b.i16[i]))) \
  S(X, I16X8_SUB_SAT_U, BIN, WK_LN(8, r.u16[i] = wk_sat16u(a.u16[i] - b.u16[i]))) \
  S(X, F64X2_NEAREST, UN, WK_LN(2, r.f64[i] = wk_nearest64(a.f64[i]))) \
  S(X, I16X8_MUL, BIN, r.vu16 = a.vu16 * b.vu16) \
  S(X, I16X8_MIN_S, BIN, WK_VMIN(vi16, wk_i16x8)) \
  S(X, I16X8_MIN_U, BIN, WK_VMIN(vu16, wk_i16x8)) \
  S(X, I16X8_MAX_S, BIN, WK_VMAX(vi16, wk_i16x8)) \
  S(X, I16X8_MAX_U, BIN, WK_VMAX(vu16, wk_i16x8)) \
  S(X, I16X8_AVGR_U, BIN, r.vu16 = (a.vu16 | b.vu16) - ((a.vu16 ^ b.vu16) >> 1)) \
  S(X, I16X8_EXTMUL_LOW_I8X16_S, BIN, WK_LN(8, r.i16[i] = (int16_t)(a.i8[i] * b.i8[i]))) \
  S(X, I16X8_EXTMUL_HIGH_I8X16_S, BIN, WK_LN(8, r.i16[i] = (int16_t)(a.i8[i + 8] * b.i8[i + 8]))) \
  S(X, I16X8_EXTMUL_LOW_I8X16_U, BIN, WK_LN(8, r.u16[i] = (uint16_t)(a.u8[i] * b.u8[i]))) \
  S(X, I16X8_EXTMUL_HIGH_I8X16_U, BIN, WK_LN(8, r.u16[i] = (uint16_t)(a.u8[i + 8] * b.u8[i + 8]))) \
  S(X, I32X4_ABS, UN, WK_LN(4, r.u32[i] = a.i32[i] < 0 ? 0u - a.u32[i] : a.u32[i])) \
  S(X, I32X4_NEG, UN, r.vu32 = -a.vu32) \
  S(X, I32X4_ALL_TRUE, TEST, o = 1; WK_LN(4, o &= a.u32[i] != 0)) \
  S(X, I32X4_BITMASK, TEST, o = 0; WK_LN(4, o |= (a.u32[i] >> 31) << i)) \
  S(X, I32X4_EXTEND_LOW_I16X8_S, UN, WK_EXT_16_32(i, 0)) \
  S(X, I32X4_EXTEND_HIGH_I16X8_S, UN, WK_EXT_16_32(i, 4)) \
  S(X, I32X4_EXTEND_LOW_I16X8_U, UN, WK_EXT_16_32(u, 0)) \
  S(X, I32X4_EXTEND_HIGH_I16X8_U, UN, WK_EXT_16_32(u, 4)) \
  S(X, I32X4_SHL, SHIFT, r.vu32 = a.vu32 << (s & 31)) \
  S(X, I32X4_SHR_S, SHIFT, r.vi32 = a.vi32 >> (s & 31)) \
  S(X, I32X4_SHR_U, SHIFT, r.vu32 = a.vu32 >> (s & 31)) \
  S(X, I32X4_ADD, BIN, r.vu32 = a.vu32 + b.vu32) \
  S(X, I32X4_SUB, BIN, r.vu32 = a.vu32 - b.vu32) \
  S(X, I32X4_MUL, BIN, r.vu32 = a.vu32 * b.vu32) \
  S(X, I32X4_MIN_S, BIN, WK_VMIN(vi32, wk_i32x4)) \
  S(X, I32X4_MIN_U, BIN, WK_VMIN(vu32, wk_i32x4)) \
  S(X, I32X4_MAX_S, BIN, WK_VMAX(vi32, wk_i32x4)) \
  S(X, I32X4_MAX_U, BIN, WK_VMAX(vu32, wk_i32x4)) \
  S(X, I32X4_DOT_I16X8_S, BIN, WK_DOT_16_32()) \
  S(X, I32X4_EXTMUL_LOW_I16X8_S, BIN, WK_LN(4, r.i32[i] = a.i16[i] * b.i16[i])) \
  S(X, I32X4_EXTMUL_HIGH_I16X8_S, BIN, WK_LN(4, r.i32[i] = a.i16[i + 4] * b.i16[i + 4])) \
  S(X, I32X4_EXTMUL_LOW_I16X8_U, BIN, WK_LN(4, r.u32[i] = (uint32_t)a.u16[i] * b.u16[i])) \
  S(X, I32X4_EXTMUL_HIGH_I16X8_U, BIN, WK_LN(4, r.u32[i] = (uint32_t)a.u16[i + 4] * b.u16[i + 4])) \
  S(X, I64X2_ABS, UN, WK_LN(2, r.u64[i] = a.i64[i] < 0 ? 0u - a.u64[i] : a.u64[i])) \
  S(X, I64X2_NEG, UN, r.vu64 = -a.vu64) \
  S(X, I64X2_ALL_TRUE, TEST, o = a.u64[0] != 0 && a.u64[1] != 0) \
  S(X, I64X2_BITMASK, TEST, o = (uint32_t)(a.u64[0] >> 63) | (uint32_t)(a.u64[1] >> 63) << 1) \
  S(X, I64X2_EXTEND_LOW_I32X4_S, UN, WK_EXT_32_64(i, 0)) \
  S(X, I64X2_EXTEND_HIGH_I32X4_S, UN, WK_EXT_32_64(i, 2)) \
  S(X, I64X2_EXTEND_LOW_I32X4_U, UN, WK_EXT_32_64(u, 0)) \
  S(X, I64X2_EXTEND_HIGH_I32X4_U, UN, WK_EXT_32_64(u, 2)) \
  S(X, I64X2_SHL, SHIFT, r.vu64 = a.vu64 << (s & 63)) \
  S(X, I64X2_SHR_S, SHIFT, r.vi64 = a.vi64 >> (s & 63)) \
  S(X, I64X2_SHR_U, SHIFT, r.vu64 = a.vu64 >> (s & 63)) \
  S(X, I64X2_ADD, BIN, r.vu64 = a.vu64 + b.vu64) \
  S(X, I64X2_SUB, BIN, r.vu64 = a.vu64 - b.vu64) \
  S(X, I64X2_MUL, BIN, r.vu64 = a.vu64 * b.vu64) \
  S(X, I64X2_EQ, BIN, WK_VCMP(vi64, ==)) \
  S(X, I64X2_NE, BIN, WK_VCMP(vi64, !=)) \
  S(X, I64X2_LT_S, BIN, WK_VCMP(vi64, <)) \
  S(X, I64X2_GT_S, BIN, WK_VCMP(vi64, >)) \
  S(X, I64X2_LE_S, BIN, WK_VCMP(vi64, <=)) \
  S(X, I64X2_GE_S, BIN, WK_VCMP(vi64, >=)) \
  S(X, I64X2_EXTMUL_LOW_I32X4_S, BIN, WK_LN(2, r.i64[i] = (int64_t)a.i32[i] * b.i32[i])) \
  S(X, I64X2_EXTMUL_HIGH_I32X4_S, BIN, WK_LN(2, r.i64[i] = (int64_t)a.i32[i + 2] * b.i32[i + 2])) \
  S(X, I64X2_EXTMUL_LOW_I32X4_U, BIN, WK_LN(2, r.u64[i] = (uint64_t)a.u32[i] * b.u32[i])) \
  S(X, I64X2_EXTMUL_HIGH_I32X4_U, BIN, WK_LN(2, r.u64[i] = (uint64_t)a.u32[i + 2] * b.u32[i + 2])) \
  S(X, F32X4_ABS, UN, r.vu32 = a.vu32 & 0x7fffffffu) \
  S(X, F32X4_NEG, UN, r.vu32 = a.vu32 ^ 0x80000000u) \
  S(X, F32X4_SQRT, UN, WK_LN(4, r.f32[i] = sqrtf(a.f32[i]))) \
  S(X, F32X4_ADD, BIN, r.vf32 = a.vf32 + b.vf32) \
  S(X, F32X4_SUB, BIN, r.vf32 = a.vf32 - b.vf32) \
  S(X, F32X4_MUL, BIN, r.vf32 = a.vf32 * b.vf32) \
  S(X, F32X4_DIV, BIN, r.vf32 = a.vf32 / b.vf32) \
  S(X, F32X4_MIN, BIN, WK_LN(4, r.f32[i] = wk_fmin32(a.f32[i], b.f32[i]))) \
  S(X, F32X4_MAX, BIN, WK_LN(4, r.f32[i] = wk_fmax32(a.f32[i], b.f32[i]))) \
  S(X, F32X4_PMIN, BIN, WK_LN(4, r.f32[i] = b.f32[i] < a.f32[i] ? b.f32[i] : a.f32[i])) \
  S(X, F32X4_PMAX, BIN, WK_LN(4, r.f32[i] = a.f32[i] < b.f32[i] ? b.f32[i] : a.f32[i])) \
  S(X, F64X2_ABS, UN, r.vu64 = a.vu64 & 0x7fffffffffffffffull) \
  S(X, F64X2_NEG, UN, r.vu64 = a.vu64 ^ 0x8000000000000000ull) \
  S(X, F64X2_SQRT, UN, WK_LN(2, r.f64[i] = sqrt(a.f64[i]))) \
  S(X, F64X2_ADD, BIN, r.vf64 = a.vf64 + b.vf64) \
  S(X, F64X2_SUB, BIN, r.vf64 = a.vf64 - b.vf64) \
  S(X, F64X2_MUL, BIN, r.vf64 = a.vf64 * b.vf64) \
  S(X, F64X2_DIV, BIN, r.vf64 = a.vf64 / b.vf64) \
  S(X, F64X2_MIN, BIN, WK_LN(2, r.f64[i] = wk_fmin64(a.f64[i], b.f64[i]))) \
  S(X, F64X2_MAX, BIN, WK_LN(2, r.f64[i] = wk_fmax64(a.f64[i], b.f64[i]))) \
  S(X, F64X2_PMIN, BIN, WK_LN(2, r.f64[i] = b.f64[i] < a.f64[i] ? b.f64[i] : a.f64[i])) \
  S(X, F64X2_PMAX, BIN, WK_LN(2, r.f64[i] = a.f64[i] < b.f64[i] ? b.f64[i] : a.f64[i])) \
  S(X, I32X4_TRUNC_SAT_F32X4_S, UN, WK_LN(4, r.i32[i] = wk_tsat_s32(a.f32[i]))) \
  S(X, I32X4_TRUNC_SAT_F32X4_U, UN, WK_LN(4, r.u32[i] = wk_tsat_u32(a.f32[i]))) \
  S(X, F32X4_CONVERT_I32X4_S, UN, r.vf32 = __builtin_convertvector(a.vi32, wk_f32x4)) \
  S(X, F32X4_CONVERT_I32X4_U, UN, WK_LN(4, r.f32[i] = (float)a.u32[i])) \
  S(X, I32X4_TRUNC_SAT_F64X2_S_ZERO, UN, WK_LN(2, r.i32[i] = wk_tsat_s32(a.f64[i])); r.u32[2] = r.u32[3] = 0) \
  S(X, I32X4_TRUNC_SAT_F64X2_U_ZERO, UN, WK_LN(2, r.u32[i] = wk_tsat_u32(a.f64[i])); r.u32[2] = r.u32[3] = 0) \
  S(X, F64X2_CONVERT_LOW_I32X4_S, UN, WK_LN(2, r.f64[i] = (double)a.i32[i])) \
  S(X, F64X2_CONVERT_LOW_I32X4_U, UN, WK_LN(2, r.f64[i] = (double)a.u32[i])) \
  /* Relaxed SIMD (Core 3.0 4.3.2 "Relaxed operations"), the deterministic profile's choice   \
   * (every relaxed() parameter 0: the first listed result) */                                 \
  S(X, I8X16_RELAXED_SWIZZLE, BIN, WK_LN(16, r.u8[i] = b.u8[i] < 16 ? a.u8[b.u8[i]] : 0)) \
  S(X, I32X4_RELAXED_TRUNC_F32X4_S, UN, WK_LN(4, r.i32[i] = wk_tsat_s32(a.f32[i]))) \
  S(X, I32X4_RELAXED_TRUNC_F32X4_U, UN, WK_LN(4, r.u32[i] = wk_tsat_u32(a.f32[i]))) \
  S(X, I32X4_RELAXED_TRUNC_F64X2_S_ZERO, UN, WK_LN(2, r.i32[i] = wk_tsat_s32(a.f64[i])); r.u32[2] = r.u32[3] = 0) \
  S(X, I32X4_RELAXED_TRUNC_F64X2_U_ZERO, UN, WK_LN(2, r.u32[i] = wk_tsat_u32(a.f64[i])); r.u32[2] = r.u32[3] = 0) \
  S(X, F32X4_RELAXED_MADD, TERN, WK_LN(4, r.f32[i] = wk_madd32(a.f32[i], b.f32[i], c.f32[i]))) \
  S(X, F32X4_RELAXED_NMADD, TERN, WK_LN(4, r.f32[i] = wk_madd32(-a.f32[i], b.f32[i], c.f32[i]))) \
  S(X, F64X2_RELAXED_MADD, TERN, WK_LN(2, r.f64[i] = wk_madd64(a.f64[i], b.f64[i], c.f64[i]))) \
  S(X, F64X2_RELAXED_NMADD, TERN, WK_LN(2, r.f64[i] = wk_madd64(-a.f64[i], b.f64[i], c.f64[i]))) \
  S(X, I8X16_RELAXED_LANESELECT, TERN, r.vu64 = WK_VSEL(c.vu64, a.vu64, b.vu64)) \
  S(X, I16X8_RELAXED_LANESELECT, TERN, r.vu64 = WK_VSEL(c.vu64, a.vu64, b.vu64)) \
  S(X, I32X4_RELAXED_LANESELECT, TERN, r.vu64 = WK_VSEL(c.vu64, a.vu64, b.vu64)) \
  S(X, I64X2_RELAXED_LANESELECT, TERN, r.vu64 = WK_VSEL(c.vu64, a.vu64, b.vu64)) \
  S(X, F32X4_RELAXED_MIN, BIN, WK_LN(4, r.f32[i] = wk_fmin32(a.f32[i], b.f32[i]))) \
  S(X, F32X4_RELAXED_MAX, BIN, WK_LN(4, r.f32[i] = wk_fmax32(a.f32[i], b.f32[i]))) \
  S(X, F64X2_RELAXED_MIN, BIN, WK_LN(2, r.f64[i] = wk_fmin64(a.f64[i], b.f64[i]))) \
  S(X, F64X2_RELAXED_MAX, BIN, WK_LN(2, r.f64[i] = wk_fmax64(a.f64[i], b.f64[i]))) \
  S(X, I16X8_RELAXED_Q15MULR_S, BIN, WK_LN(8, r.i16[i] = wk_q15mulr(a.i16[i], b.i16[i]))) \
  S(X, I16X8_RELAXED_DOT_I8X16_I7X16_S, BIN, WK_LN(8, r.i16[i] = wk_sat16s(a.i8[2 * i] * b.i8[2 * i] + a.i8[2 * i + 1] * b.i8[2 * i + 1]))) \
  S(X, I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S, TERN, WK_LN(4, r.i32[i] = (int32_t)((uint32_t)c.i32[i] + (uint32_t)(wk_reldot16(a, b, 2 * i) + wk_reldot16(a, b, 2 * i + 1)))))
/* clang-format on */

/* the internal opcodes: (name, words) for WK_IOPS, then v128 globals (d g / g s). A shift
 * also has NAME_I, its count an immediate word (the usual constant count costs no slot copy) */
#define WK_SIMD_EXTRA_SHIFT(X, n) X(n##_I, 4)
#define WK_SIMD_EXTRA_BIN(X, n)
#define WK_SIMD_EXTRA_UN(X, n)
#define WK_SIMD_EXTRA_TERN(X, n)
#define WK_SIMD_EXTRA_TEST(X, n)
#define WK_SIMD_EXTRA_SPLAT(X, n)
#define WK_SIMD_EXTRA_EXTRACT_I(X, n)
#define WK_SIMD_EXTRA_EXTRACT_L(X, n)
#define WK_SIMD_EXTRA_EXTRACT_F(X, n)
#define WK_SIMD_EXTRA_EXTRACT_D(X, n)
#define WK_SIMD_EXTRA_REPLACE(X, n)
/* i8x16.shuffle's two specialised forms (same words; module.c shuffle_form picks them from the
 * lane indices): _W32 moves whole 32-bit lanes, _ROT rotates the bytes within every 32-bit lane of
 * one operand (what rotations by 8 / 16 / 24 bits compile to, e.g. BLAKE3's and ChaCha's) */
#define WK_SIMD_EXTRA_SHUFFLE(X, n) X(n##_W32, WK_VW_SHUFFLE) X(n##_ROT, WK_VW_SHUFFLE)
#define WK_SIMD_EXTRA_LD1(X, n)
#define WK_SIMD_EXTRA_LD2(X, n)
#define WK_SIMD_EXTRA_LD4(X, n)
#define WK_SIMD_EXTRA_LD8(X, n)
#define WK_SIMD_EXTRA_LD16(X, n)
#define WK_SIMD_EXTRA_ST16(X, n)
#define WK_SIMD_EXTRA_LDL1(X, n)
#define WK_SIMD_EXTRA_LDL2(X, n)
#define WK_SIMD_EXTRA_LDL4(X, n)
#define WK_SIMD_EXTRA_LDL8(X, n)
#define WK_SIMD_EXTRA_STL1(X, n)
#define WK_SIMD_EXTRA_STL2(X, n)
#define WK_SIMD_EXTRA_STL4(X, n)
#define WK_SIMD_EXTRA_STL8(X, n)
#define WK_SIMD_TO_IOP(X, n, shape, body) X(n, WK_VW_##shape) WK_SIMD_EXTRA_##shape(X, n)
/* Fused forms (module.c through simd_translate_int.h, which says when each is exact; handlers in
 * simd_loop.h): lane-wise rotate left by an immediate k (0 < k < lane width): d a k; v128.xor then
 * i32x4 rotate left by k: d t a b k (t = a ^ b, then d = rotl(t, k)); i32x4 three-way add: d a b c;
 * v128 moves of 16 bytes: d s / d s d2 s2 (the second after the first); a v128 constant: d and its
 * 16 bytes in four words (little-endian, as in the slots) */
#define WK_SIMD_FUSED_IOPS(X)                                                                      \
  X(I16X8_ROTL_I, 4) X(I32X4_ROTL_I, 4) X(I64X2_ROTL_I, 4) X(V128_XOR_ROTL32, 6) X(I32X4_ADD3, 5) \
  X(V128_MOV, 3) X(V128_MOV2, 5) X(V128_CONST, 6)
#define WK_SIMD_IOPS(X) WK_SIMD(WK_SIMD_TO_IOP, X) X(V128_GGET, 3) X(V128_GSET, 3) WK_SIMD_FUSED_IOPS(X)

#endif
