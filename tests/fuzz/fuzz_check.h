/*
 * Shared helper for the libFuzzer targets in tests/fuzz: CHECK() turns a
 * broken library contract (not just a crash) into a fuzzer finding.
 */
#ifndef WK_FUZZ_CHECK_H
#define WK_FUZZ_CHECK_H
#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond, ...)                                                   \
  do {                                                                     \
    if (!(cond)) {                                                         \
      fprintf(stderr, "%s:%d: contract violated: %s: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                        \
      fputc('\n', stderr);                                                 \
      abort();                                                             \
    }                                                                      \
  } while (0)

#endif
