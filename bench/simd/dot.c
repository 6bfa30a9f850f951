/* SIMD bench kernel: int16 dot products (the inner loop of integer DSP / quantized
 * inference). With -msimd128: i32x4.dot_i16x8_s over 8 lanes at a time; without: the same
 * products and sums one lane at a time. Exact integer arithmetic: identical checksums. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

__attribute__((noinline)) static int64_t dot(const int16_t *a, const int16_t *b, int n) {
  int64_t s = 0;
  int i = 0;
#ifdef __wasm_simd128__
  v128_t acc = wasm_i32x4_splat(0);
  for (; i + 8 <= n; i += 8) {
    acc = wasm_i32x4_add(acc, wasm_i32x4_dot_i16x8(wasm_v128_load(a + i), wasm_v128_load(b + i)));
    if ((i & 1023) == 1016) { /* flush before the 32-bit lanes could overflow */
      s += (int64_t)wasm_i32x4_extract_lane(acc, 0) + wasm_i32x4_extract_lane(acc, 1) +
           wasm_i32x4_extract_lane(acc, 2) + wasm_i32x4_extract_lane(acc, 3);
      acc = wasm_i32x4_splat(0);
    }
  }
  s += (int64_t)wasm_i32x4_extract_lane(acc, 0) + wasm_i32x4_extract_lane(acc, 1) +
       wasm_i32x4_extract_lane(acc, 2) + wasm_i32x4_extract_lane(acc, 3);
#endif
  for (; i < n; i++) s += (int32_t)a[i] * b[i];
  return s;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 65536, reps = argc > 2 ? atoi(argv[2]) : 400;
  int16_t *a = malloc(sizeof(int16_t) * n), *b = malloc(sizeof(int16_t) * n);
  if (!a || !b) return 1;
  uint32_t x = 7;
  for (int i = 0; i < n; i++) {
    x = x * 1664525u + 1013904223u;
    a[i] = (int16_t)(((int32_t)(x >> 16) - 32768) / 16); /* 12-bit samples: 128 dot steps fit in 32-bit lanes */
    x = x * 1664525u + 1013904223u;
    b[i] = (int16_t)(((int32_t)(x >> 16) - 32768) / 16);
  }
  int64_t sum = 0;
  for (int r = 0; r < reps; r++) {
    sum += dot(a, b, n - (r & 7));
    a[r % n] ^= (int16_t)r;
  }
  printf("checksum: %lld\n", (long long)sum);
  return 0;
}
