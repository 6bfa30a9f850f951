/* bench kernel: quicksort (median of three, insertion sort for small runs)
 * and a merge sort of pseudo-random 32-bit ints; checks sortedness. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void isort(int32_t *a, long n) {
  for (long i = 1; i < n; i++) {
    int32_t v = a[i];
    long j = i - 1;
    while (j >= 0 && a[j] > v) a[j + 1] = a[j], j--;
    a[j + 1] = v;
  }
}

static void qsort_i(int32_t *a, long n) {
  while (n > 16) {
    int32_t x = a[0], y = a[n / 2], z = a[n - 1];
    int32_t p = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
    long i = 0, j = n - 1;
    for (;;) {
      while (a[i] < p) i++;
      while (a[j] > p) j--;
      if (i >= j) break;
      int32_t t = a[i];
      a[i] = a[j], a[j] = t;
      i++, j--;
    }
    /* recurse into the smaller half */
    if (j + 1 < n - j - 1) qsort_i(a, j + 1), a += j + 1, n -= j + 1;
    else qsort_i(a + j + 1, n - j - 1), n = j + 1;
  }
  isort(a, n);
}

static void msort(int32_t *a, int32_t *tmp, long n) {
  if (n < 2) return;
  long h = n / 2;
  msort(a, tmp, h);
  msort(a + h, tmp, n - h);
  long i = 0, j = h, k = 0;
  while (i < h && j < n) tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
  while (i < h) tmp[k++] = a[i++];
  while (j < n) tmp[k++] = a[j++];
  memcpy(a, tmp, (size_t)n * sizeof *a);
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 600000;
  int32_t *a = malloc((size_t)n * sizeof *a), *b = malloc((size_t)n * sizeof *b), *t = malloc((size_t)n * sizeof *t);
  if (!a || !b || !t) return 1;
  uint64_t s = 88172645463325252ull;
  for (long i = 0; i < n; i++) {
    s ^= s << 13, s ^= s >> 7, s ^= s << 17; /* xorshift64 */
    a[i] = b[i] = (int32_t)(uint32_t)s;
  }
  qsort_i(a, n);
  msort(b, t, n);
  uint32_t sum = 0;
  for (long i = 0; i < n; i++) {
    if (i && a[i - 1] > a[i]) { printf("not sorted at %ld\n", i); return 1; }
    if (a[i] != b[i]) { printf("sorts disagree at %ld\n", i); return 1; }
    sum = sum * 31 + (uint32_t)a[i];
  }
  printf("min %d max %d\nchecksum: %08x\n", a[0], a[n - 1], sum);
  return 0;
}
