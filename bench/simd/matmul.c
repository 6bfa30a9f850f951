/* SIMD bench kernel: single-precision matrix multiply C = A * B (i-k-j order), n x n.
 * With -msimd128 the inner row update is f32x4 (wasm_simd128.h); without, the same
 * operations one lane at a time. Each c[j] sees the same sequence of roundings in both
 * builds (no fma: -ffp-contract=off), so the checksum is identical. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

__attribute__((noinline)) static void row(float *c, const float *a, const float *b, int n) {
  for (int k = 0; k < n; k++) {
    float aik = a[k];
    const float *bk = b + (size_t)k * n;
    int j = 0;
#ifdef __wasm_simd128__
    v128_t va = wasm_f32x4_splat(aik);
    for (; j + 4 <= n; j += 4)
      wasm_v128_store(c + j, wasm_f32x4_add(wasm_v128_load(c + j), wasm_f32x4_mul(va, wasm_v128_load(bk + j))));
#endif
    for (; j < n; j++) c[j] += aik * bk[j];
  }
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 256, reps = argc > 2 ? atoi(argv[2]) : 4;
  float *a = malloc(sizeof(float) * n * n), *b = malloc(sizeof(float) * n * n), *c = malloc(sizeof(float) * n * n);
  if (!a || !b || !c) return 1;
  uint32_t x = 1;
  for (int i = 0; i < n * n; i++) {
    x = x * 1664525u + 1013904223u;
    a[i] = (float)(x >> 8) / 16777216.0f - 0.5f;
    x = x * 1664525u + 1013904223u;
    b[i] = (float)(x >> 8) / 16777216.0f - 0.5f;
  }
  double sum = 0;
  for (int r = 0; r < reps; r++) {
    memset(c, 0, sizeof(float) * n * n);
    for (int i = 0; i < n; i++) row(c + (size_t)i * n, a + (size_t)i * n, b, n);
    for (int i = 0; i < n * n; i++) sum += (double)c[i] * (double)((i % 7) + 1);
  }
  printf("checksum: %.6f\n", sum);
  return 0;
}
