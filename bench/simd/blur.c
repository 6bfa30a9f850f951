/* SIMD bench kernel: image filter, a separable [1 2 1]/4 blur (horizontal then vertical,
 * rounding) over an 8-bit grayscale image, repeated. With -msimd128: 16 pixels at a time
 * (u8 -> u16 extend, add, shift, narrow); without: one pixel at a time. Exact integer
 * arithmetic: identical checksums. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#ifdef __wasm_simd128__
/* (a + 2b + c + 2) >> 2 on 16 lanes */
static inline v128_t mix(v128_t a, v128_t b, v128_t c) {
  v128_t two = wasm_i16x8_splat(2);
  v128_t lo = wasm_i16x8_add(wasm_i16x8_add(wasm_u16x8_extend_low_u8x16(a), wasm_u16x8_extend_low_u8x16(c)),
                             wasm_i16x8_add(wasm_i16x8_shl(wasm_u16x8_extend_low_u8x16(b), 1), two));
  v128_t hi = wasm_i16x8_add(wasm_i16x8_add(wasm_u16x8_extend_high_u8x16(a), wasm_u16x8_extend_high_u8x16(c)),
                             wasm_i16x8_add(wasm_i16x8_shl(wasm_u16x8_extend_high_u8x16(b), 1), two));
  return wasm_u8x16_narrow_i16x8(wasm_u16x8_shr(lo, 2), wasm_u16x8_shr(hi, 2));
}
#endif

/* out[i] = mix(in[i - step], in[i], in[i + step]) for i in [from, to) */
__attribute__((noinline)) static void pass(uint8_t *out, const uint8_t *in, int from, int to, int step) {
  int i = from;
#ifdef __wasm_simd128__
  for (; i + 16 <= to; i += 16)
    wasm_v128_store(out + i, mix(wasm_v128_load(in + i - step), wasm_v128_load(in + i), wasm_v128_load(in + i + step)));
#endif
  for (; i < to; i++) out[i] = (uint8_t)((in[i - step] + 2 * in[i] + in[i + step] + 2) >> 2);
}

int main(int argc, char **argv) {
  int w = argc > 1 ? atoi(argv[1]) : 1024, h = argc > 2 ? atoi(argv[2]) : 768, reps = argc > 3 ? atoi(argv[3]) : 20;
  size_t n = (size_t)w * h;
  uint8_t *img = malloc(n), *tmp = malloc(n);
  if (!img || !tmp) return 1;
  uint32_t x = 3;
  for (size_t i = 0; i < n; i++) {
    x = x * 1664525u + 1013904223u;
    img[i] = (uint8_t)(x >> 24);
  }
  memcpy(tmp, img, n);
  for (int r = 0; r < reps; r++) {
    for (int y = 0; y < h; y++) pass(tmp, img, y * w + 1, y * w + w - 1, 1); /* horizontal */
    pass(img, tmp, w, (h - 1) * w, w);                                       /* vertical */
  }
  uint64_t sum = 0;
  for (size_t i = 0; i < n; i++) sum = sum * 31 + img[i];
  printf("checksum: %llu\n", (unsigned long long)sum);
  return 0;
}
