/* SIMD bench kernel in the spirit of sightglass's hex-simd (our own code): hex-encode a
 * byte buffer into lowercase ASCII, then decode it back with validation, repeated. With
 * -msimd128, 16 bytes per step: encoding splits nibbles (u8x16 shift, and), maps them
 * through a 16-entry table with i8x16.swizzle and interleaves with i8x16.shuffle; decoding
 * de-interleaves with i8x16.shuffle, classifies digits and letters with u8x16 compares,
 * picks the offsets with v128.bitselect and flags bad characters with v128.any_true.
 * Without: one byte (two characters) at a time through the same table. Exact: identical
 * checksums.
 *   hex BYTES REPS   (BYTES a multiple of 16) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

static const char DIGITS[16] = "0123456789abcdef";

__attribute__((noinline)) static void encode(char *out, const uint8_t *in, int n) {
  int i = 0;
#ifdef __wasm_simd128__
  v128_t table = wasm_v128_load(DIGITS), low = wasm_i8x16_splat(0x0f);
  for (; i + 16 <= n; i += 16) {
    v128_t x = wasm_v128_load(in + i);
    v128_t hi = wasm_i8x16_swizzle(table, wasm_u8x16_shr(x, 4)), lo = wasm_i8x16_swizzle(table, wasm_v128_and(x, low));
    wasm_v128_store(out + 2 * i, wasm_i8x16_shuffle(hi, lo, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23));
    wasm_v128_store(out + 2 * i + 16,
                    wasm_i8x16_shuffle(hi, lo, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31));
  }
#endif
  for (; i < n; i++) out[2 * i] = DIGITS[in[i] >> 4], out[2 * i + 1] = DIGITS[in[i] & 15];
}

/* the value of one lowercase hex digit, or -1 */
static int nibble(char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; }

/* decode 2n characters into n bytes (an invalid digit decodes as 0); returns the number of invalid 16-byte blocks (scalar:
 * invalid bytes counted per block of 16 as well, so both builds return the same) */
__attribute__((noinline)) static int decode(uint8_t *out, const char *in, int n) {
  int bad = 0, i = 0;
#ifdef __wasm_simd128__
  for (; i + 16 <= n; i += 16) {
    v128_t c0 = wasm_v128_load(in + 2 * i), c1 = wasm_v128_load(in + 2 * i + 16);
    v128_t hc = wasm_i8x16_shuffle(c0, c1, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    v128_t lc = wasm_i8x16_shuffle(c0, c1, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    v128_t v[2], ok = wasm_i8x16_splat(-1);
    v128_t cs[2] = {hc, lc};
    for (int h = 0; h < 2; h++) {
      v128_t c = cs[h];
      v128_t digit = wasm_v128_and(wasm_u8x16_ge(c, wasm_i8x16_splat('0')), wasm_u8x16_le(c, wasm_i8x16_splat('9')));
      v128_t letter = wasm_v128_and(wasm_u8x16_ge(c, wasm_i8x16_splat('a')), wasm_u8x16_le(c, wasm_i8x16_splat('f')));
      v128_t valid = wasm_v128_or(digit, letter);
      v[h] = wasm_v128_and(wasm_i8x16_sub(c, wasm_v128_bitselect(wasm_i8x16_splat('0'), wasm_i8x16_splat('a' - 10), digit)), valid);
      ok = wasm_v128_and(ok, valid);
    }
    bad += wasm_v128_any_true(wasm_v128_not(ok));
    wasm_v128_store(out + i, wasm_v128_or(wasm_i8x16_shl(v[0], 4), v[1]));
  }
#endif
  for (int blk = 0; i < n; blk++) {
    int badblk = 0;
    for (int e = i + 16 < n ? i + 16 : n; i < e; i++) {
      int h = nibble(in[2 * i]), l = nibble(in[2 * i + 1]);
      badblk |= h < 0 || l < 0;
      out[i] = (uint8_t)(((h < 0 ? 0 : h) << 4) | (l < 0 ? 0 : l));
    }
    bad += badblk;
  }
  return bad;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 65536, reps = argc > 2 ? atoi(argv[2]) : 100;
  if (n < 16 || n % 16) return 2;
  uint8_t *buf = malloc(n), *back = malloc(n);
  char *text = malloc(2 * (size_t)n);
  if (!buf || !back || !text) return 1;
  uint32_t x = 9;
  for (int i = 0; i < n; i++) x = x * 1664525u + 1013904223u, buf[i] = (uint8_t)(x >> 24);
  uint64_t sum = 0;
  int bad = 0;
  for (int r = 0; r < reps; r++) {
    encode(text, buf, n);
    if (r % 10 == 9) text[(size_t)r * 97 % (2 * (size_t)n)] = 'x'; /* now and then an invalid digit */
    bad += decode(back, text, n);
    for (int i = 0; i < n; i += 61) sum = sum * 1000003u + back[i] + (uint8_t)text[2 * i + 1];
    uint8_t *t = buf;
    buf = back, back = t;
    buf[(size_t)r * 7 % n] ^= (uint8_t)(r + 1); /* the next round encodes other data */
  }
  uint64_t tail = 0;
  for (int i = 0; i < n; i++) tail = tail * 31 + buf[i];
  printf("checksum: %llu %llu %d\n", (unsigned long long)sum, (unsigned long long)tail, bad);
  return 0;
}
