/* bench kernel: naive recursion (call-heavy). Prints fib(N) and a checksum. */
#include <stdio.h>
#include <stdlib.h>

static unsigned fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(int argc, char **argv) {
  unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 36;
  unsigned sum = 0;
  for (unsigned k = 0; k < 3; k++) sum = sum * 31 + fib(n - k);
  printf("fib(%u) = %u\nchecksum: %08x\n", n, fib(n), sum);
  return 0;
}
