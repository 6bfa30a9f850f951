/* Mutation test of the WIT decoder (lib/witparse decode.c, print.c):
 * truncations and random byte flips of component / WIT-package binaries must
 * never crash wit_decode_bytes, and every resolve it returns must print
 * (WitPrinter layout, wit_resolve_print_wit) and serialize to JSON without
 * crashing. Return codes are checked: decoding fails only with MALFORMED,
 * INVALID, UNSUPPORTED or NOMEM; the unmutated inputs must decode.
 * Built and run by tests/witbin/suite-decode.sh (also under ASan there).
 * usage: mutate ITERS FILE.wasm...   prints "N files, N mutants: N decoded" and
 * "ok"/"FAIL ..." lines; exit 1 on a failed check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "witparse/witdecode.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)(rng >> 11);
}

static unsigned long mutants, decoded, failures;

static int exercise(const uint8_t *d, size_t n, const char *path, int must_decode) {
  mutants++;
  wit_resolve *r = wit_resolve_new();
  if (!r) return 0;
  wk_error e;
  wit_id pkg = WIT_NONE, world = WIT_NONE;
  int kind = 0;
  int rc = wit_decode_bytes(r, d, n, &pkg, &world, &kind, &e);
  int ok = 1;
  if (rc == WK_OK) {
    decoded++;
    if (pkg >= r->n_packages || (kind == WIT_DECODED_COMPONENT && world >= r->n_worlds) ||
        (kind != WIT_DECODED_COMPONENT && kind != WIT_DECODED_PACKAGE)) {
      printf("FAIL %s (%zu bytes): decode returned bad ids\n", path, n);
      ok = 0;
    }
    wk_buf b = {0};
    wk_error pe;
    int prc = wit_resolve_print_decoded(r, pkg, &b, &pe);
    if (prc != WK_OK && prc != WK_ERR_INVALID && prc != WK_ERR_NOMEM) {
      printf("FAIL %s: print_decoded returned %d\n", path, prc);
      ok = 0;
    }
    wk_buf_free(&b);
    prc = wit_resolve_print_wit(r, pkg, &b, &pe);
    if (prc != WK_OK && prc != WK_ERR_NOMEM) {
      printf("FAIL %s: print_wit returned %d\n", path, prc);
      ok = 0;
    }
    wk_buf_free(&b);
    prc = wit_resolve_to_json(r, &b, &pe);
    if (prc != WK_OK && prc != WK_ERR_NOMEM) {
      printf("FAIL %s: to_json returned %d\n", path, prc);
      ok = 0;
    }
    wk_buf_free(&b);
  } else if (rc != WK_ERR_MALFORMED && rc != WK_ERR_INVALID && rc != WK_ERR_UNSUPPORTED && rc != WK_ERR_NOMEM) {
    printf("FAIL %s (%zu bytes): unexpected error code %d: %s\n", path, n, rc, e.msg);
    ok = 0;
  } else if (must_decode) {
    printf("FAIL %s: does not decode: %s\n", path, e.msg);
    ok = 0;
  }
  wit_resolve_free(r);
  if (!ok) failures++;
  return ok;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: mutate ITERS FILE.wasm...\n");
    return 2;
  }
  int iters = atoi(argv[1]);
  int files = 0;
  for (int a = 2; a < argc; a++) {
    uint8_t *d;
    size_t n;
    wk_error e;
    if (wk_read_file(argv[a], &d, &n, &e) != WK_OK) {
      printf("FAIL %s: cannot read\n", argv[a]);
      failures++;
      continue;
    }
    files++;
    exercise(d, n, argv[a], 1);
    uint8_t *m = malloc(n ? n : 1);
    if (!m) return 1;
    for (size_t k = 0; k < n && k < 48; k++) exercise(d, k, argv[a], 0);
    for (int k = 0; k < iters / 4; k++) exercise(d, n ? rnd() % n : 0, argv[a], 0);
    for (int k = 0; k < iters && n; k++) {
      memcpy(m, d, n);
      int flips = 1 + (int)(rnd() % 3);
      for (int f = 0; f < flips; f++) m[rnd() % n] ^= (uint8_t)(1u << (rnd() % 8)); /* bit flips */
      exercise(m, n, argv[a], 0);
    }
    free(m);
    free(d);
  }
  printf("%d files, %lu mutants: %lu decoded, %lu failed checks\n", files, mutants, decoded, failures);
  return failures ? 1 : 0;
}
