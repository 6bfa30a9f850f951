/* bench kernel: dense double matrix multiply (i-k-j order), repeated. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One row of C += A*B. A separate function (called n times) so that
 * tiering engines (V8) can optimize it: wasm has no on-stack replacement. */
__attribute__((noinline)) static void row(double *c, const double *a, const double *b, int n) {
  for (int k = 0; k < n; k++) {
    double aik = a[k];
    for (int j = 0; j < n; j++) c[j] += aik * b[k * n + j];
  }
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 800;
  double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n * n), *c = malloc(sizeof(double) * n * n);
  if (!a || !b || !c) return 1;
  uint32_t x = 1;
  for (int i = 0; i < n * n; i++) {
    x = x * 1664525u + 1013904223u;
    a[i] = (double)(x >> 8) / 16777216.0 - 0.5;
    x = x * 1664525u + 1013904223u;
    b[i] = (double)(x >> 8) / 16777216.0 - 0.5;
  }
  memset(c, 0, sizeof(double) * n * n);
  for (int i = 0; i < n; i++) row(c + i * n, a + i * n, b, n);
  double sum = 0;
  for (int i = 0; i < n * n; i++) sum += c[i] * (double)((i % 7) + 1);
  uint64_t bits;
  memcpy(&bits, &sum, 8);
  printf("sum %.17g\nchecksum: %016llx\n", sum, (unsigned long long)bits);
  return 0;
}
