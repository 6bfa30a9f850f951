/*
 * Unit tests: host names that are not UTF-8 under the WASI 0.2 host (lib/wasi/wasi2.c), driven
 * through wk_wasi_p2_call as test_wasi2.c does. A WIT string holds Unicode scalar values only
 * (Component Model Explainer.md "string"; CanonicalABI.md store_string), and wasi-filesystem's
 * types.wit says "Some filesystems may contain paths which are not accessible by this API":
 * so a directory entry whose host name is not UTF-8 is that entry's
 * error-code::illegal-byte-sequence and the listing goes on (wasmtime-wasi's
 * ReaddirError::IllegalSequence), and readlink-at of a link whose target is not UTF-8 answers
 * illegal-byte-sequence -- neither hands the canonical ABI a string it must refuse (a trap).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "wasi/wasi2.h"

/* wasi:filesystem/types error-code case indices (the WIT's order) */
enum { EC_ILLEGAL_BYTE_SEQUENCE = 9 };
#define FS "wasi:filesystem/types"

static wk_arena A;
static char dir[64];

static wk_cval vh(uint32_t rep) { wk_cval v = {.kind = WK_CABI_BORROW}; v.of.handle.rep = rep; return v; }
static wk_cval vs(const char *s) {
  wk_cval v = {.kind = WK_CABI_STRING};
  v.of.str.ptr = s;
  v.of.str.len = (uint32_t)strlen(s);
  return v;
}
static wk_cval call(wk_wasi *w, const char *iface, const char *name, wk_cval *args, uint32_t n) {
  wk_cval r;
  int st = wk_wasi_p2_call(w, iface, name, &A, args, n, &r);
  if (st != WK_WASI_RETURN) fail_msg("%s#%s: status %d: %s", iface, name, st, wk_wasi_trap_message(w));
  return r;
}

static int setup(void **state) {
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/wk-wasi2-names.XXXXXX");
  if (!mkdtemp(dir)) return -1;
  char p[160];
  const char *names[] = {"good-1", "bad\xff" "name", "good-2"};
  for (int i = 0; i < 3; i++) {
    snprintf(p, sizeof p, "%s/%s", dir, names[i]);
    FILE *f = fopen(p, "w");
    if (!f) return -1;
    fclose(f);
  }
  snprintf(p, sizeof p, "%s/odd-link", dir);
  return symlink("target-\xfe", p);
}
static int teardown(void **state) {
  (void)state;
  char p[160];
  const char *names[] = {"good-1", "bad\xff" "name", "good-2", "odd-link"};
  for (int i = 0; i < 4; i++) {
    snprintf(p, sizeof p, "%s/%s", dir, names[i]);
    unlink(p);
  }
  rmdir(dir);
  wk_arena_free(&A);
  return 0;
}

/* The preopen's descriptor rep. */
static uint32_t preopen_rep(wk_wasi *w) {
  wk_cval l = call(w, "wasi:filesystem/preopens", "get-directories", NULL, 0);
  assert_int_equal(l.kind, WK_CABI_LIST);
  assert_int_equal(l.of.seq.n, 1);
  return l.of.seq.items[0].of.seq.items[0].of.handle.rep;
}

static void test_read_directory_non_utf8(void **state) {
  (void)state;
  wk_wasi *w = wk_wasi_new();
  wk_error err;
  assert_non_null(w);
  assert_int_equal(wk_wasi_preopen(w, dir, "/d", 1, &err), WK_OK);
  wk_cval a = vh(preopen_rep(w));
  wk_cval r = call(w, FS, "[method]descriptor.read-directory", &a, 1);
  assert_int_equal(r.of.var.disc, 0);
  wk_cval s = vh(r.of.var.payload->of.handle.rep);
  int good = 0, illegal = 0, entries = 0;
  for (int k = 0; k < 10; k++) {
    wk_cval e = call(w, FS, "[method]directory-entry-stream.read-directory-entry", &s, 1);
    assert_int_equal(e.kind, WK_CABI_RESULT);
    if (e.of.var.disc == 1) { /* err(error-code) */
      assert_int_equal(e.of.var.payload->of.var.disc, EC_ILLEGAL_BYTE_SEQUENCE);
      illegal++;
      continue;
    }
    if (e.of.var.payload->of.var.disc == 0) break; /* none: the end */
    const wk_cval *name = &e.of.var.payload->of.var.payload->of.seq.items[1];
    assert_int_equal(name->kind, WK_CABI_STRING);
    entries++;
    if (name->of.str.len == 6 && !memcmp(name->of.str.ptr, "good-", 5)) good++;
  }
  assert_int_equal(illegal, 1); /* the one non-UTF-8 name, once */
  assert_int_equal(good, 2);    /* and the listing went on past it */
  assert_int_equal(entries, 3); /* good-1 good-2 odd-link */
  wk_wasi_free(w);
}

static void test_readlink_non_utf8(void **state) {
  (void)state;
  wk_wasi *w = wk_wasi_new();
  wk_error err;
  assert_non_null(w);
  assert_int_equal(wk_wasi_preopen(w, dir, "/d", 1, &err), WK_OK);
  wk_cval a[2] = {vh(preopen_rep(w)), vs("odd-link")};
  wk_cval r = call(w, FS, "[method]descriptor.readlink-at", a, 2);
  assert_int_equal(r.kind, WK_CABI_RESULT);
  assert_int_equal(r.of.var.disc, 1);
  assert_int_equal(r.of.var.payload->of.var.disc, EC_ILLEGAL_BYTE_SEQUENCE);
  wk_wasi_free(w);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_read_directory_non_utf8),
      cmocka_unit_test(test_readlink_non_utf8),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
