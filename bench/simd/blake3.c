/* SIMD bench kernel in the spirit of sightglass's blake3-simd (our own code, written from
 * the BLAKE3 paper's description of the compression function): BLAKE3's compression --
 * 7 rounds of the G mixing function over a 16-word state, message permutation between
 * rounds -- chaining 64-byte blocks of four independent chunks at once, one chunk per
 * 32-bit lane (the "hash many" layout). Not a BLAKE3 hash (no tree, no output stage).
 * With -msimd128: the state is 16 i32x4; the 16- and 8-bit rotations are i8x16.shuffle
 * byte rotations and each block's words are transposed 4x4 with i32x4 shuffles. Without:
 * each chunk is compressed on its own. Exact integer arithmetic: identical checksums.
 *   blake3 CHUNKS BLOCKS REPS   (CHUNKS a multiple of 4) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
typedef v128_t u32x;
#define ADD(a, b) wasm_i32x4_add(a, b)
#define XOR(a, b) wasm_v128_xor(a, b)
#define ROTR(a, k) wasm_v128_or(wasm_u32x4_shr(a, k), wasm_i32x4_shl(a, 32 - (k)))
#define ROTR16(a) wasm_i8x16_shuffle(a, a, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13)
#define ROTR8(a) wasm_i8x16_shuffle(a, a, 1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12)
#define SPLAT(x) wasm_i32x4_splat((int32_t)(x))
#else
typedef uint32_t u32x;
#define ADD(a, b) ((a) + (b))
#define XOR(a, b) ((a) ^ (b))
#define ROTR(a, k) (((a) >> (k)) | ((a) << (32 - (k))))
#define ROTR16(a) ROTR(a, 16)
#define ROTR8(a) ROTR(a, 8)
#define SPLAT(x) ((uint32_t)(x))
#endif

static const uint32_t IV[8] = {0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
                               0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u};
static const uint8_t PERM[16] = {2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8};

#define G(a, b, c, d, x, y)                                                                  \
  do {                                                                                       \
    a = ADD(ADD(a, b), x), d = ROTR16(XOR(d, a)), c = ADD(c, d), b = ROTR(XOR(b, c), 12);   \
    a = ADD(ADD(a, b), y), d = ROTR8(XOR(d, a)), c = ADD(c, d), b = ROTR(XOR(b, c), 7);     \
  } while (0)

/* cv = compress(cv, m, counter, flags) (the first 8 words of the output) */
__attribute__((noinline)) static void compress(u32x cv[8], const u32x mi[16], u32x counter, uint32_t flags) {
  u32x m[16], t[16], v[16];
  for (int i = 0; i < 16; i++) m[i] = mi[i];
  for (int i = 0; i < 8; i++) v[i] = cv[i];
  for (int i = 0; i < 4; i++) v[8 + i] = SPLAT(IV[i]);
  v[12] = counter, v[13] = SPLAT(0), v[14] = SPLAT(64), v[15] = SPLAT(flags);
  for (int r = 0; r < 7; r++) {
    G(v[0], v[4], v[8], v[12], m[0], m[1]);
    G(v[1], v[5], v[9], v[13], m[2], m[3]);
    G(v[2], v[6], v[10], v[14], m[4], m[5]);
    G(v[3], v[7], v[11], v[15], m[6], m[7]);
    G(v[0], v[5], v[10], v[15], m[8], m[9]);
    G(v[1], v[6], v[11], v[12], m[10], m[11]);
    G(v[2], v[7], v[8], v[13], m[12], m[13]);
    G(v[3], v[4], v[9], v[14], m[14], m[15]);
    for (int i = 0; i < 16; i++) t[i] = m[PERM[i]];
    for (int i = 0; i < 16; i++) m[i] = t[i];
  }
  for (int i = 0; i < 8; i++) cv[i] = XOR(v[i], v[i + 8]);
}

static uint32_t flags_of(int b, int blocks) { return (b == 0 ? 1u : 0u) | (b == blocks - 1 ? 2u : 0u); }

int main(int argc, char **argv) {
  int chunks = argc > 1 ? atoi(argv[1]) : 64, blocks = argc > 2 ? atoi(argv[2]) : 16,
      reps = argc > 3 ? atoi(argv[3]) : 50;
  if (chunks < 4 || chunks % 4 || blocks < 1) return 2;
  size_t n = (size_t)chunks * blocks * 16; /* words; chunk c, block b at (c * blocks + b) * 16 */
  uint32_t *msg = malloc(n * 4);
  if (!msg) return 1;
  uint32_t x = 11;
  for (size_t i = 0; i < n; i++) x = x * 1664525u + 1013904223u, msg[i] = x;
  uint64_t sum = 0;
  for (int r = 0; r < reps; r++) {
    for (int g = 0; g < chunks; g += 4) {
#ifdef __wasm_simd128__
      u32x cv[8], m[16];
      for (int i = 0; i < 8; i++) cv[i] = SPLAT(IV[i]);
      u32x counter = wasm_i32x4_make(g, g + 1, g + 2, g + 3);
      for (int b = 0; b < blocks; b++) {
        const uint32_t *p0 = msg + ((size_t)(g + 0) * blocks + b) * 16, *p1 = msg + ((size_t)(g + 1) * blocks + b) * 16,
                       *p2 = msg + ((size_t)(g + 2) * blocks + b) * 16, *p3 = msg + ((size_t)(g + 3) * blocks + b) * 16;
        for (int q = 0; q < 16; q += 4) { /* rows = chunks, columns = words: transpose */
          v128_t r0 = wasm_v128_load(p0 + q), r1 = wasm_v128_load(p1 + q), r2 = wasm_v128_load(p2 + q),
                 r3 = wasm_v128_load(p3 + q);
          v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
          v128_t t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
          m[q] = wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5), m[q + 1] = wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7);
          m[q + 2] = wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5), m[q + 3] = wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7);
        }
        compress(cv, m, counter, flags_of(b, blocks));
      }
      uint32_t out[8][4];
      for (int i = 0; i < 8; i++) wasm_v128_store(out[i], cv[i]);
      for (int l = 0; l < 4; l++)
        for (int i = 0; i < 8; i++) sum = sum * 1000003u + out[i][l];
#else
      for (int l = 0; l < 4; l++) {
        u32x cv[8];
        for (int i = 0; i < 8; i++) cv[i] = IV[i];
        for (int b = 0; b < blocks; b++)
          compress(cv, msg + ((size_t)(g + l) * blocks + b) * 16, (uint32_t)(g + l), flags_of(b, blocks));
        for (int i = 0; i < 8; i++) sum = sum * 1000003u + cv[i];
      }
#endif
    }
    msg[(size_t)r * 7919 % n] ^= (uint32_t)r; /* the next round hashes other data */
  }
  printf("checksum: %llu\n", (unsigned long long)sum);
  return 0;
}
