/* In-process mutation test of lib/encode's component code: truncations and
 * random byte flips of real components must never crash decode, validate,
 * print or WIT output, and every mutant that decodes must re-encode to
 * exactly its own bytes (the round-trip property holds for any decodable
 * input, not just for the originals).
 *
 * Inputs: the binaries the component suites build under $BUILD
 * (tests/component-val/NAME.wasm from the wasm-tools corpus, and
 * tests/component-real/hello-{c,js}.wasm). When they are missing (a fresh
 * tree: the unit tests run before the suites), the test is skipped;
 * tests/component/suite-hostile.sh runs it after building them. Run it under
 * the ASan build to catch memory errors. FUZZ_ITERS scales the work. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode/encode.h"
#include "witparse/witdecode.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)(rng >> 11);
}

static unsigned long mutants, decoded, valid;

static void exercise(const uint8_t *d, size_t n) {
  wk_component *c = NULL;
  wk_error e;
  mutants++;
  if (wk_component_decode(d, n, &c, &e) != WK_OK) {
    assert_null(c);
    assert_true(e.code != WK_OK);
    return;
  }
  decoded++;
  wk_buf b = {0};
  assert_int_equal(wk_component_encode(c, &b, &e), WK_OK);
  assert_int_equal(b.len, n);
  assert_memory_equal(b.data, d, n);
  wk_buf_free(&b);
  if (wk_component_validate(c, &e) == WK_OK) {
    valid++;
    /* the WIT view (witparse's decoder): fails only where WIT cannot describe the component */
    wit_resolve *r = wit_resolve_new();
    wit_id pkg = WIT_NONE;
    int rc = wit_decode_component(r, c, &pkg, NULL, NULL, &e);
    assert_true(rc == WK_OK || rc == WK_ERR_INVALID || rc == WK_ERR_NOMEM);
    if (rc == WK_OK) {
      rc = wit_resolve_print_decoded(r, pkg, &b, &e);
      assert_true(rc == WK_OK || rc == WK_ERR_INVALID || rc == WK_ERR_NOMEM);
    }
    wit_resolve_free(r);
    wk_buf_free(&b);
  } else {
    assert_true(e.code == WK_ERR_INVALID || e.code == WK_ERR_MALFORMED || e.code == WK_ERR_NOMEM);
  }
  (void)wk_component_print(c, &b, &e);
  wk_buf_free(&b);
  wk_component_free(c);
}

static void fuzz_file(const char *path, int iters) {
  uint8_t *d;
  size_t n;
  wk_error e;
  if (wk_read_file(path, &d, &n, &e) != WK_OK) return;
  if (n < 8 || memcmp(d + 4, "\x0d\x00\x01\x00", 4)) { free(d); return; }
  uint8_t *m = malloc(n ? n : 1);
  assert_non_null(m);
  int big = n > (1u << 20);
  /* truncations */
  for (size_t k = 0; k < n && k < 64; k++) exercise(d, k);
  for (int k = 0; k < (big ? 8 : iters / 4); k++) exercise(d, rnd() % n);
  /* byte flips, mostly in the component-level bytes near the start */
  size_t hot = n < 4096 ? n : 4096;
  for (int k = 0; k < (big ? 16 : iters); k++) {
    memcpy(m, d, n);
    int flips = 1 + (int)(rnd() % 4);
    for (int f = 0; f < flips; f++) {
      size_t i = (rnd() % 10 < 7) ? rnd() % hot : rnd() % n;
      m[i] = (uint8_t)rnd();
    }
    exercise(m, n);
  }
  free(m);
  free(d);
}

static int fuzz_dir(const char *dir, int iters) {
  DIR *dp = opendir(dir);
  if (!dp) return 0;
  struct dirent *de;
  char **names = NULL;
  size_t nn = 0;
  while ((de = readdir(dp))) {
    size_t l = strlen(de->d_name);
    if (l > 5 && !strcmp(de->d_name + l - 5, ".wasm")) {
      names = realloc(names, (nn + 1) * sizeof *names);
      names[nn++] = strdup(de->d_name);
    }
  }
  closedir(dp);
  for (size_t i = 0; i < nn; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    fuzz_file(path, iters);
    free(names[i]);
  }
  free(names);
  return (int)nn;
}

static void test_mutations(void **state) {
  const char *build = getenv("BUILD");
  if (!build) build = "build";
  const char *it = getenv("FUZZ_ITERS");
  int iters = it ? atoi(it) : 40;
  char dir[2048];
  int files = 0;
  snprintf(dir, sizeof dir, "%s/tests/component-val", build);
  files += fuzz_dir(dir, iters);
  snprintf(dir, sizeof dir, "%s/tests/component-real", build);
  files += fuzz_dir(dir, iters * 5);
  if (!files) {
    printf("no component binaries under %s/tests (run tests/component/suite-validation.sh and suite-real.sh)\n", build);
    skip();
  }
  printf("%d files, %lu mutants: %lu decoded (each re-encoded byte-exactly), %lu valid\n", files, mutants, decoded,
         valid);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_mutations)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
