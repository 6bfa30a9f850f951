/*
 * lib/base/sha256.c against the FIPS 180-4 example digests (NIST CSRC
 * "Cryptographic Standards and Guidelines: Examples with Intermediate Values",
 * SHA-256: "abc", the 448-bit two-block message, one million 'a') and against
 * OpenSSL's SHA-256 over messages of every length 0..300 fed in uneven pieces.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>

#include "base/sha256.h"

static void hex(const uint8_t d[32], char out[65]) {
  for (int i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void digest_of(const void *p, size_t n, char out[65]) {
  wk_sha256 c;
  uint8_t d[32];
  wk_sha256_init(&c);
  wk_sha256_update(&c, p, n);
  wk_sha256_final(&c, d);
  hex(d, out);
}

static void test_fips_examples(void **state) {
  (void)state;
  char h[65];
  digest_of("abc", 3, h);
  assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const char *m2 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  digest_of(m2, strlen(m2), h);
  assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  digest_of("", 0, h);
  assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  wk_sha256 c;
  uint8_t d[32], a[1000];
  memset(a, 'a', sizeof a);
  wk_sha256_init(&c);
  for (int i = 0; i < 1000; i++) wk_sha256_update(&c, a, sizeof a);
  wk_sha256_final(&c, d);
  hex(d, h);
  assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void test_against_openssl(void **state) {
  (void)state;
  uint8_t msg[300];
  for (size_t i = 0; i < sizeof msg; i++) msg[i] = (uint8_t)(i * 131 + 7);
  for (size_t n = 0; n <= sizeof msg; n++)
    for (size_t piece = 1; piece <= 67; piece += 11) {
      wk_sha256 c;
      uint8_t mine[32], theirs[32];
      wk_sha256_init(&c);
      for (size_t at = 0; at < n; at += piece) wk_sha256_update(&c, msg + at, n - at < piece ? n - at : piece);
      wk_sha256_final(&c, mine);
      SHA256(msg, n, theirs);
      assert_memory_equal(mine, theirs, 32);
    }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fips_examples),
      cmocka_unit_test(test_against_openssl),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
