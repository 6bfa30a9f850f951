/* random_get: two 64-byte draws differ and look random (not all zero). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void) {
  unsigned char a[64], b[64];
  memset(a, 0, sizeof a);
  memset(b, 0, sizeof b);
  if (getentropy(a, sizeof a) || getentropy(b, sizeof b)) { printf("getentropy failed\n"); return 1; }
  int za = 0, zb = 0;
  for (int i = 0; i < 64; i++) { za += a[i] == 0; zb += b[i] == 0; }
  printf("draws differ: %s\n", memcmp(a, b, 64) ? "yes" : "no");
  printf("few zero bytes: %s\n", za < 16 && zb < 16 ? "yes" : "no");
  static unsigned char big[100000];
  printf("large draw: %s\n", getentropy(big, 256) == 0 ? "ok" : "failed");
  unsigned char *p = big;
  size_t left = sizeof big;
  while (left) { size_t k = left < 256 ? left : 256; if (getentropy(p, k)) break; p += k; left -= k; }
  size_t zeros = 0;
  for (size_t i = 0; i < sizeof big; i++) zeros += big[i] == 0;
  printf("100000 bytes, zero bytes < 1000: %s\n", zeros < 1000 ? "yes" : "no");
  return 0;
}
