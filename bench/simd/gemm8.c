/* SIMD bench kernel in the spirit of sightglass's intgemm-simd (our own code): an 8-bit
 * quantized matrix product as in integer inference, C = requantize(A * B + bias) with
 * A M x K unsigned 8-bit activations, B K x N signed 8-bit weights stored transposed
 * (N rows of K, the layout integer GEMM libraries pack weights into), 32-bit
 * accumulation, then (sum >> 12) saturated to int8. With -msimd128: 16 products per step
 * (u8 -> i16 and i8 -> i16 extends, i32x4.dot_i16x8_s), four output columns per A load,
 * the four sums reduced with i32x4 shuffles, saturation by i16x8/i8x16 narrowing. Without:
 * one product at a time. Exact integer arithmetic: identical checksums.
 *   gemm8 M K N REPS   (K a multiple of 16, N a multiple of 4) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

__attribute__((noinline)) static void gemm(int8_t *c, const uint8_t *a, const int8_t *bt, const int32_t *bias,
                                           int m, int k, int n) {
  for (int i = 0; i < m; i++) {
    const uint8_t *ar = a + (size_t)i * k;
    int j = 0;
#ifdef __wasm_simd128__
    for (; j + 4 <= n; j += 4) {
      const int8_t *b0 = bt + (size_t)j * k, *b1 = b0 + k, *b2 = b1 + k, *b3 = b2 + k;
      v128_t s0 = wasm_i32x4_splat(0), s1 = s0, s2 = s0, s3 = s0;
      for (int p = 0; p < k; p += 16) {
        v128_t x = wasm_v128_load(ar + p);
        v128_t xl = wasm_u16x8_extend_low_u8x16(x), xh = wasm_u16x8_extend_high_u8x16(x);
#define STEP(s, b)                                                                                  \
  do {                                                                                              \
    v128_t y = wasm_v128_load(b + p);                                                               \
    s = wasm_i32x4_add(s, wasm_i32x4_add(wasm_i32x4_dot_i16x8(xl, wasm_i16x8_extend_low_i8x16(y)), \
                                         wasm_i32x4_dot_i16x8(xh, wasm_i16x8_extend_high_i8x16(y)))); \
  } while (0)
        STEP(s0, b0);
        STEP(s1, b1);
        STEP(s2, b2);
        STEP(s3, b3);
#undef STEP
      }
      /* horizontal sums: lane q of the result = the sum of s_q's lanes */
      v128_t t0 = wasm_i32x4_add(wasm_i32x4_shuffle(s0, s1, 0, 4, 1, 5), wasm_i32x4_shuffle(s0, s1, 2, 6, 3, 7));
      v128_t t1 = wasm_i32x4_add(wasm_i32x4_shuffle(s2, s3, 0, 4, 1, 5), wasm_i32x4_shuffle(s2, s3, 2, 6, 3, 7));
      v128_t sum = wasm_i32x4_add(wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5), wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7));
      v128_t q = wasm_i32x4_shr(wasm_i32x4_add(sum, wasm_v128_load(bias + j)), 12);
      v128_t q16 = wasm_i16x8_narrow_i32x4(q, q);
      wasm_v128_store32_lane(c + (size_t)i * n + j, wasm_i8x16_narrow_i16x8(q16, q16), 0);
    }
#endif
    for (; j < n; j++) {
      const int8_t *br = bt + (size_t)j * k;
      int32_t s = 0;
      for (int p = 0; p < k; p++) s += (int32_t)ar[p] * br[p];
      s = (s + bias[j]) >> 12;
      c[(size_t)i * n + j] = (int8_t)(s < -128 ? -128 : s > 127 ? 127 : s);
    }
  }
}

int main(int argc, char **argv) {
  int m = argc > 1 ? atoi(argv[1]) : 32, k = argc > 2 ? atoi(argv[2]) : 512, n = argc > 3 ? atoi(argv[3]) : 256,
      reps = argc > 4 ? atoi(argv[4]) : 20;
  if (m < 1 || k < 16 || k % 16 || n < 4 || n % 4) return 2;
  uint8_t *a = malloc((size_t)m * k);
  int8_t *bt = malloc((size_t)k * n), *c = malloc((size_t)m * n);
  int32_t *bias = malloc(sizeof(int32_t) * n);
  if (!a || !bt || !c || !bias) return 1;
  uint32_t x = 5;
  for (size_t i = 0; i < (size_t)m * k; i++) x = x * 1664525u + 1013904223u, a[i] = (uint8_t)(x >> 24);
  for (size_t i = 0; i < (size_t)k * n; i++) x = x * 1664525u + 1013904223u, bt[i] = (int8_t)(x >> 24);
  for (int j = 0; j < n; j++) x = x * 1664525u + 1013904223u, bias[j] = (int32_t)(x >> 16) - 32768;
  uint64_t sum = 0;
  for (int r = 0; r < reps; r++) {
    gemm(c, a, bt, bias, m, k, n);
    for (size_t i = 0; i < (size_t)m * n; i++) sum = sum * 31 + (uint8_t)c[i];
    a[(size_t)r * 131 % ((size_t)m * k)] += (uint8_t)(r | 1); /* the next round multiplies other data */
  }
  printf("checksum: %llu\n", (unsigned long long)sum);
  return 0;
}
