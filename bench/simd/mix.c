/* SIMD bench kernel: a sha256-like mixer: four independent 32-bit lanes of SHA-256's
 * message-schedule and round functions (rotations, shifts, xor, add), e.g. hashing four
 * streams at once. With -msimd128 the four lanes are one i32x4; without, one lane at a
 * time. Exact integer arithmetic: identical checksums. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
typedef v128_t u32x;
#define ADD(a, b) wasm_i32x4_add(a, b)
#define XOR(a, b) wasm_v128_xor(a, b)
#define AND(a, b) wasm_v128_and(a, b)
#define ANDN(a, b) wasm_v128_andnot(b, a) /* ~a & b */
#define SHR(a, k) wasm_u32x4_shr(a, k)
#define ROTR(a, k) wasm_v128_or(wasm_u32x4_shr(a, k), wasm_i32x4_shl(a, 32 - (k)))
#define SPLAT(x) wasm_i32x4_splat((int32_t)(x))
#define LANES 1
#else
typedef uint32_t u32x;
#define ADD(a, b) ((a) + (b))
#define XOR(a, b) ((a) ^ (b))
#define AND(a, b) ((a) & (b))
#define ANDN(a, b) (~(a) & (b))
#define SHR(a, k) ((a) >> (k))
#define ROTR(a, k) (((a) >> (k)) | ((a) << (32 - (k))))
#define SPLAT(x) ((uint32_t)(x))
#define LANES 4
#endif

/* 64 rounds over 16 words per lane; state s[8] per lane */
__attribute__((noinline)) static void block(u32x s[8], u32x w[16]) {
  u32x a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
  for (int i = 0; i < 64; i++) {
    u32x wi;
    if (i < 16) {
      wi = w[i];
    } else {
      u32x w15 = w[(i + 1) & 15], w2 = w[(i + 14) & 15];
      u32x s0 = XOR(XOR(ROTR(w15, 7), ROTR(w15, 18)), SHR(w15, 3));
      u32x s1 = XOR(XOR(ROTR(w2, 17), ROTR(w2, 19)), SHR(w2, 10));
      wi = w[i & 15] = ADD(ADD(w[i & 15], s0), ADD(w[(i + 9) & 15], s1));
    }
    u32x S1 = XOR(XOR(ROTR(e, 6), ROTR(e, 11)), ROTR(e, 25));
    u32x ch = XOR(AND(e, f), ANDN(e, g));
    u32x t1 = ADD(ADD(ADD(h, S1), ADD(ch, SPLAT(0x428a2f98u + 0x9e3779b9u * (uint32_t)i))), wi);
    u32x S0 = XOR(XOR(ROTR(a, 2), ROTR(a, 13)), ROTR(a, 22));
    u32x mj = XOR(XOR(AND(a, b), AND(a, c)), AND(b, c));
    u32x t2 = ADD(S0, mj);
    h = g, g = f, f = e, e = ADD(d, t1), d = c, c = b, b = a, a = ADD(t1, t2);
  }
  s[0] = ADD(s[0], a), s[1] = ADD(s[1], b), s[2] = ADD(s[2], c), s[3] = ADD(s[3], d);
  s[4] = ADD(s[4], e), s[5] = ADD(s[5], f), s[6] = ADD(s[6], g), s[7] = ADD(s[7], h);
}

int main(int argc, char **argv) {
  int blocks = argc > 1 ? atoi(argv[1]) : 60000;
  uint32_t seed[4][8], data[4][16];
  for (int l = 0; l < 4; l++) {
    for (int k = 0; k < 8; k++) seed[l][k] = 0x6a09e667u * (uint32_t)(l + 1) + (uint32_t)k * 0x3c6ef372u;
    for (int k = 0; k < 16; k++) data[l][k] = (uint32_t)(l * 16 + k) * 0x01000193u;
  }
  uint64_t sum = 0;
#ifdef __wasm_simd128__
  u32x s[8], w[16];
  for (int k = 0; k < 8; k++) s[k] = wasm_i32x4_make(seed[0][k], seed[1][k], seed[2][k], seed[3][k]);
  for (int i = 0; i < blocks; i++) {
    for (int k = 0; k < 16; k++)
      w[k] = wasm_i32x4_make(data[0][k] ^ i, data[1][k] ^ i, data[2][k] ^ i, data[3][k] ^ i);
    block(s, w);
  }
  for (int k = 0; k < 8; k++) {
    uint32_t v[4];
    wasm_v128_store(v, s[k]);
    for (int l = 0; l < 4; l++) sum = sum * 1000003u + v[l];
  }
#else
  u32x s[4][8], w[16];
  for (int l = 0; l < 4; l++)
    for (int k = 0; k < 8; k++) s[l][k] = seed[l][k];
  for (int i = 0; i < blocks; i++)
    for (int l = 0; l < LANES; l++) {
      for (int k = 0; k < 16; k++) w[k] = data[l][k] ^ (uint32_t)i;
      block(s[l], w);
    }
  for (int k = 0; k < 8; k++)
    for (int l = 0; l < 4; l++) sum = sum * 1000003u + s[l][k];
#endif
  printf("checksum: %llu\n", (unsigned long long)sum);
  return 0;
}
