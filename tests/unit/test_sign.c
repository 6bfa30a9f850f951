/*
 * Unit tests for lib/sign: signature-data parsing against byte strings built
 * from Signatures.md's tables, sign/verify round trips for both algorithms,
 * multiple signers, detached signatures, delimiters and partial
 * verification, and tamper/truncation sweeps (every bit of a small signed
 * module, 10,000 random bytes of a large one) that must never verify and
 * never crash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "base/base.h"
#include "encode/sections.h"
#include "sign/sign.h"

/* (module (type (func (result i32))) (func (type 0) i32.const 42) (export "f" (func 0)))
 * plus a custom section "extra" = "abc": Core spec 5.5 section encodings. */
static const uint8_t SMALL[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,             /* preamble */
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,                   /* type: [] -> [i32] */
    0x03, 0x02, 0x01, 0x00,                                     /* function: type 0 */
    0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x00,                    /* export "f" func 0 */
    0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b,             /* code: i32.const 42 */
    0x00, 0x09, 0x05, 'e', 'x', 't', 'r', 'a', 'a', 'b', 'c',   /* custom "extra" */
};

/* An empty component: preamble with version 0x0d and layer 1 (Binary.md). */
static const uint8_t COMPONENT[] = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00,
                                    0x00, 0x06, 0x05, 'h', 'e', 'l', 'l', 'o'};

static wk_sign_key *gen(int alg) {
  wk_sign_key *k = NULL;
  wk_error e;
  assert_int_equal(wk_sign_keygen(alg, &k, &e), WK_OK);
  assert_non_null(k);
  return k;
}

/* Sign and return the whole signed binary (head ‖ body). */
static wk_buf sign_embedded(const uint8_t *in, size_t len, const wk_sign_key *k) {
  wk_buf head = {0}, out = {0};
  size_t body = 0;
  wk_error e;
  int rc = wk_sign_module(in, len, k, 0, NULL, 0, &head, &body, NULL, NULL, &e);
  if (rc) fprintf(stderr, "sign: %s\n", e.msg);
  assert_int_equal(rc, WK_OK);
  wk_buf_append(&out, head.data, head.len);
  wk_buf_append(&out, in + body, len - body);
  wk_buf_free(&head);
  return out;
}

static int verify1(const uint8_t *d, size_t n, const wk_sign_key *k, int partial, wk_verify_result *r, wk_error *e) {
  wk_sign_key *keys[1] = {(wk_sign_key *)k};
  return wk_verify_module(d, n, NULL, 0, keys, 1, partial, r, e);
}

/* Signature data written by hand from the tables of Signatures.md ("Signature data",
 * wasmsign2 framing: each set and record is length-prefixed). */
static void test_parse_spec_layout(void **state) {
  uint8_t d[256];
  size_t n = 0;
  d[n++] = 0x01; d[n++] = 0x01; d[n++] = 0x01; /* version, content type, hash fn */
  d[n++] = 0x01;                               /* one signed hash set */
  size_t set_len_at = n++;
  d[n++] = 0x02; /* two hashes */
  for (int i = 0; i < 64; i++) d[n++] = (uint8_t)i;
  d[n++] = 0x02; /* two signatures */
  d[n++] = 1 + 5 + 1 + 1 + 40; d[n++] = 5; memcpy(d + n, "first", 5); n += 5; d[n++] = 0x01; d[n++] = 40;
  memset(d + n, 0xaa, 40); n += 40;
  d[n++] = 1 + 0 + 1 + 1 + 3; d[n++] = 0; d[n++] = 0x77; d[n++] = 3; d[n++] = 1; d[n++] = 2; d[n++] = 3;
  d[set_len_at] = (uint8_t)(n - set_len_at - 1);

  wk_arena a = {0};
  wk_sig_data sd;
  wk_error e;
  assert_int_equal(wk_sig_data_parse(d, n, 100, &a, &sd, &e), WK_OK);
  assert_int_equal(sd.nsets, 1);
  assert_int_equal(sd.sets[0].nhashes, 2);
  assert_int_equal(sd.sets[0].hashes[33], 33);
  assert_int_equal(sd.sets[0].nsigs, 2);
  assert_int_equal(sd.sets[0].sigs[0].key_id_len, 5);
  assert_memory_equal(sd.sets[0].sigs[0].key_id, "first", 5);
  assert_int_equal(sd.sets[0].sigs[0].alg, WK_SIG_ALG_ED25519);
  assert_int_equal(sd.sets[0].sigs[0].sig_len, 40);
  assert_null(sd.sets[0].sigs[1].key_id);
  assert_int_equal(sd.sets[0].sigs[1].alg, 0x77); /* unknown algorithms are kept, not dropped */
  assert_int_equal(sd.sets[0].offset, 104);

  /* Re-encoding gives the same bytes. */
  wk_buf b = {0};
  wk_sig_data_encode(&sd, &b);
  assert_int_equal(b.len, n);
  assert_memory_equal(b.data, d, n);
  wk_buf_free(&b);

  /* Every strict prefix and every extension by one byte is rejected. */
  for (size_t cut = 0; cut < n; cut++) {
    wk_arena a2 = {0};
    assert_int_not_equal(wk_sig_data_parse(d, cut, 0, &a2, &sd, &e), WK_OK);
    wk_arena_free(&a2);
  }
  d[n] = 0;
  assert_int_equal(wk_sig_data_parse(d, n + 1, 0, &a, &sd, &e), WK_ERR_MALFORMED);
  /* Unknown spec version / content type / hash function. */
  for (int i = 0; i < 3; i++) {
    d[i] = 0x02;
    assert_int_equal(wk_sig_data_parse(d, n, 0, &a, &sd, &e), WK_ERR_UNSUPPORTED);
    d[i] = 0x01;
  }
  wk_arena_free(&a);
}

/* Random and mutated signature data: the parser never crashes, and whatever it accepts
 * re-encodes to the same bytes (up to minimal LEB128 lengths). */
static void test_parse_random(void **state) {
  wk_sign_key *a = gen(WK_SIG_ALG_ECDSA_P256), *b = gen(WK_SIG_ALG_ED25519);
  wk_buf sig = {0}, sig2 = {0};
  wk_error e;
  assert_int_equal(wk_sign_module(SMALL, sizeof SMALL, a, 1, NULL, 0, NULL, NULL, &sig, NULL, &e), WK_OK);
  assert_int_equal(wk_sign_module(SMALL, sizeof SMALL, b, 1, sig.data, sig.len, NULL, NULL, &sig2, NULL, &e), WK_OK);
  uint64_t x = 0x2545f4914f6cdd1dull;
  size_t accepted = 0, rounds = 100000;
  uint8_t buf[512];
  for (size_t t = 0; t < rounds; t++) {
    size_t n;
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    if (t & 1) { /* mutate 1..4 bytes of a valid two-signer payload */
      n = sig2.len;
      memcpy(buf, sig2.data, n);
      int k = 1 + (int)(x & 3);
      for (int i = 0; i < k; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        buf[x % n] = (uint8_t)(x >> 40);
      }
    } else { /* random bytes behind a valid header */
      n = 3 + (size_t)(x % 120);
      buf[0] = buf[1] = buf[2] = 1;
      for (size_t i = 3; i < n; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        buf[i] = (uint8_t)(x >> 56) & ((x & 0x100) ? 0xff : 0x07); /* many small counts/lengths */
      }
    }
    uint8_t *cp = malloc(n); /* exact size: ASan sees any overread */
    memcpy(cp, buf, n);
    wk_arena ar = {0};
    wk_sig_data sd;
    if (wk_sig_data_parse(cp, n, 0, &ar, &sd, &e) == WK_OK) {
      accepted++;
      wk_buf re = {0}, re2 = {0};
      wk_sig_data_encode(&sd, &re);
      if (re.len == n) {
        assert_memory_equal(re.data, cp, n);
      } else { /* only a non-minimal LEB128 (valid, Core 5.2.2) can make it shorter */
        assert_true(re.len < n);
        wk_sig_data sd2;
        assert_int_equal(wk_sig_data_parse(re.data, re.len, 0, &ar, &sd2, &e), WK_OK);
        wk_sig_data_encode(&sd2, &re2);
        assert_int_equal(re2.len, re.len);
        assert_memory_equal(re2.data, re.data, re.len);
      }
      wk_buf_free(&re);
      wk_buf_free(&re2);
    }
    wk_arena_free(&ar);
    free(cp);
  }
  printf("[ RANDOM   ] %zu random/mutated signature payloads, %zu parsed (all re-encode consistently)\n", rounds,
         accepted);
  wk_buf_free(&sig);
  wk_buf_free(&sig2);
  wk_sign_key_free(a);
  wk_sign_key_free(b);
}

static void test_parse_limits(void **state) {
  wk_arena a = {0};
  wk_sig_data sd;
  wk_error e;
  /* A huge set count with no data must be rejected before any allocation. */
  const uint8_t big_count[] = {1, 1, 1, 0xff, 0xff, 0xff, 0xff, 0x0f};
  assert_int_equal(wk_sig_data_parse(big_count, sizeof big_count, 0, &a, &sd, &e), WK_ERR_MALFORMED);
  const uint8_t many_hashes[] = {1, 1, 1, 1, 3, 0x41, 0, 0};
  assert_int_equal(wk_sig_data_parse(many_hashes, sizeof many_hashes, 0, &a, &sd, &e), WK_ERR_MALFORMED);
  const uint8_t zero_hashes[] = {1, 1, 1, 1, 2, 0, 0};
  assert_int_equal(wk_sig_data_parse(zero_hashes, sizeof zero_hashes, 0, &a, &sd, &e), WK_ERR_MALFORMED);
  const uint8_t empty_sets[] = {1, 1, 1, 0};
  assert_int_equal(wk_sig_data_parse(empty_sets, sizeof empty_sets, 0, &a, &sd, &e), WK_OK);
  assert_int_equal(sd.nsets, 0);
  wk_arena_free(&a);
}

static void test_message_layout(void **state) {
  uint8_t h[64];
  for (int i = 0; i < 64; i++) h[i] = (uint8_t)(255 - i);
  wk_buf m = {0};
  wk_sig_message(h, 2, &m);
  /* Signatures.md: "wasmsig" ‖ spec_version ‖ content_type ‖ hash_fn ‖ hashes */
  assert_int_equal(m.len, 7 + 3 + 64);
  assert_memory_equal(m.data, "wasmsig\x01\x01\x01", 10);
  assert_memory_equal(m.data + 10, h, 64);
  wk_buf_free(&m);
}

/* The rolling hash of a binary without delimiters is SHA-256 of everything after the preamble. */
static void test_layout_hash(void **state) {
  wk_arena a = {0};
  wk_sig_layout l;
  wk_error e;
  assert_int_equal(wk_sig_layout_compute(SMALL, sizeof SMALL, 0, &a, &l, &e), WK_OK);
  assert_int_equal(l.nparts, 1);
  assert_int_equal(l.nsections, 5);
  assert_int_equal(l.body_offset, 8);
  uint8_t md[32];
  unsigned mdlen = 0;
  assert_int_equal(EVP_Digest(SMALL + 8, sizeof SMALL - 8, md, &mdlen, EVP_sha256(), NULL), 1);
  assert_memory_equal(l.part_hash, md, 32);
  wk_arena_free(&a);
}

static void roundtrip(int alg) {
  wk_sign_key *k = gen(alg), *other = gen(alg);
  wk_buf s = sign_embedded(SMALL, sizeof SMALL, k);
  /* The body is unchanged and follows the signature section. */
  assert_memory_equal(s.data + s.len - (sizeof SMALL - 8), SMALL + 8, sizeof SMALL - 8);
  wk_verify_result r;
  wk_error e;
  assert_int_equal(verify1(s.data, s.len, k, 0, &r, &e), WK_OK);
  assert_int_equal(r.verified_end, s.len);
  /* Partial verification of a binary signed without delimiters covers it whole. */
  assert_int_equal(verify1(s.data, s.len, k, 1, &r, &e), WK_OK);
  assert_int_equal(r.verified_end, s.len);
  assert_int_equal(verify1(s.data, s.len, other, 0, &r, &e), WK_ERR_VERIFY);
  assert_non_null(strstr(e.msg, "unknown key"));
  /* Unsigned input. */
  assert_int_equal(verify1(SMALL, sizeof SMALL, k, 0, &r, &e), WK_ERR_VERIFY);
  assert_non_null(strstr(e.msg, "no signature"));
  /* A public-only key verifies too. */
  wk_buf pem = {0};
  assert_int_equal(wk_sign_key_public_pem(k, &pem, &e), WK_OK);
  wk_sign_key *pub = NULL;
  assert_int_equal(wk_sign_key_load_public(pem.data, pem.len, &pub, &e), WK_OK);
  assert_false(wk_sign_key_has_private(pub));
  assert_memory_equal(wk_sign_key_id(pub), wk_sign_key_id(k), WK_SIG_KEY_ID_LEN);
  assert_int_equal(verify1(s.data, s.len, pub, 0, &r, &e), WK_OK);
  /* ... but cannot sign. */
  wk_buf head = {0};
  assert_int_equal(wk_sign_module(SMALL, sizeof SMALL, pub, 0, NULL, 0, &head, NULL, NULL, NULL, &e), WK_ERR_USAGE);
  wk_buf_free(&head);
  wk_buf_free(&pem);
  /* Private PEM round trip. */
  assert_int_equal(wk_sign_key_private_pem(k, &pem, &e), WK_OK);
  wk_sign_key *k2 = NULL;
  assert_int_equal(wk_sign_key_load_private(pem.data, pem.len, &k2, &e), WK_OK);
  assert_int_equal(wk_sign_key_alg(k2), alg);
  assert_memory_equal(wk_sign_key_id(k2), wk_sign_key_id(k), WK_SIG_KEY_ID_LEN);
  wk_buf_free(&pem);
  wk_sign_key_free(k2);
  wk_sign_key_free(pub);
  wk_buf_free(&s);
  wk_sign_key_free(k);
  wk_sign_key_free(other);
}

static void test_roundtrip_ecdsa(void **state) { roundtrip(WK_SIG_ALG_ECDSA_P256); }
static void test_roundtrip_ed25519(void **state) { roundtrip(WK_SIG_ALG_ED25519); }

static void test_component(void **state) {
  wk_sign_key *k = gen(WK_SIG_ALG_ED25519);
  wk_buf s = sign_embedded(COMPONENT, sizeof COMPONENT, k);
  assert_memory_equal(s.data, COMPONENT, 8); /* preamble kept: still a component */
  wk_verify_result r;
  wk_error e;
  assert_int_equal(verify1(s.data, s.len, k, 0, &r, &e), WK_OK);
  wk_buf_free(&s);
  wk_sign_key_free(k);
}

static void test_multiple_signers(void **state) {
  wk_sign_key *a = gen(WK_SIG_ALG_ECDSA_P256), *b = gen(WK_SIG_ALG_ED25519), *c = gen(WK_SIG_ALG_ECDSA_P256),
              *x = gen(WK_SIG_ALG_ED25519);
  wk_buf s1 = sign_embedded(SMALL, sizeof SMALL, a);
  wk_buf s2 = sign_embedded(s1.data, s1.len, b);
  wk_buf s3 = sign_embedded(s2.data, s2.len, c);
  wk_arena ar = {0};
  wk_sig_layout l;
  wk_sig_data sd;
  wk_error e;
  assert_int_equal(wk_sig_layout_compute(s3.data, s3.len, 0, &ar, &l, &e), WK_OK);
  assert_int_equal(wk_sig_data_parse(s3.data + l.sig_payload_offset, l.sig_payload_len, 0, &ar, &sd, &e), WK_OK);
  assert_int_equal(sd.nsets, 1); /* same hashes: one set, three signatures */
  assert_int_equal(sd.sets[0].nsigs, 3);
  wk_arena_free(&ar);
  wk_verify_result r;
  assert_int_equal(verify1(s3.data, s3.len, a, 0, &r, &e), WK_OK);
  assert_int_equal(verify1(s3.data, s3.len, b, 0, &r, &e), WK_OK);
  assert_int_equal(verify1(s3.data, s3.len, c, 0, &r, &e), WK_OK);
  assert_int_equal(r.sig_index, 2);
  assert_int_equal(verify1(s3.data, s3.len, x, 0, &r, &e), WK_ERR_VERIFY);
  wk_sign_key *keys[2] = {x, b};
  assert_int_equal(wk_verify_module(s3.data, s3.len, NULL, 0, keys, 2, 0, &r, &e), WK_OK);
  assert_int_equal(r.key_index, 1);
  /* The same key twice is refused. */
  wk_buf head = {0};
  assert_int_equal(wk_sign_module(s3.data, s3.len, b, 0, NULL, 0, &head, NULL, NULL, NULL, &e), WK_ERR_INVALID);
  wk_buf_free(&head);
  wk_buf_free(&s1);
  wk_buf_free(&s2);
  wk_buf_free(&s3);
  wk_sign_key_free(a);
  wk_sign_key_free(b);
  wk_sign_key_free(c);
  wk_sign_key_free(x);
}

static void test_detached(void **state) {
  wk_sign_key *a = gen(WK_SIG_ALG_ECDSA_P256), *b = gen(WK_SIG_ALG_ED25519);
  wk_buf sig = {0}, sig2 = {0};
  wk_error e;
  assert_int_equal(wk_sign_module(SMALL, sizeof SMALL, a, 1, NULL, 0, NULL, NULL, &sig, NULL, &e), WK_OK);
  assert_int_equal(wk_sign_module(SMALL, sizeof SMALL, b, 1, sig.data, sig.len, NULL, NULL, &sig2, NULL, &e), WK_OK);
  wk_sign_key *keys[1] = {a};
  wk_verify_result r;
  assert_int_equal(wk_verify_module(SMALL, sizeof SMALL, sig2.data, sig2.len, keys, 1, 0, &r, &e), WK_OK);
  keys[0] = b;
  assert_int_equal(wk_verify_module(SMALL, sizeof SMALL, sig2.data, sig2.len, keys, 1, 0, &r, &e), WK_OK);
  assert_int_equal(wk_verify_module(SMALL, sizeof SMALL, sig.data, sig.len, keys, 1, 0, &r, &e), WK_ERR_VERIFY);
  /* Equivalence (Signatures.md): embedding the detached data as a signature section verifies. */
  wk_buf m = {0};
  wk_buf_append(&m, SMALL, 8);
  wk_buf_byte(&m, 0);
  wk_buf_uleb(&m, 1 + 9 + sig2.len);
  wk_buf_byte(&m, 9);
  wk_buf_append(&m, "signature", 9);
  wk_buf_append(&m, sig2.data, sig2.len);
  wk_buf_append(&m, SMALL + 8, sizeof SMALL - 8);
  assert_int_equal(verify1(m.data, m.len, a, 0, &r, &e), WK_OK);
  assert_int_equal(verify1(m.data, m.len, b, 0, &r, &e), WK_OK);
  wk_buf_free(&m);
  wk_buf_free(&sig);
  wk_buf_free(&sig2);
  wk_sign_key_free(a);
  wk_sign_key_free(b);
}

static int select_extra(void *ctx, int id, const char *name, size_t n) {
  return id == 0 && n == 5 && !memcmp(name, "extra", 5);
}

static void test_split_partial(void **state) {
  wk_sign_key *k = gen(WK_SIG_ALG_ECDSA_P256);
  wk_buf sp = {0};
  size_t added = 0;
  wk_error e;
  assert_int_equal(wk_sign_split(SMALL, sizeof SMALL, select_extra, NULL, &sp, &added, &e), WK_OK);
  assert_int_equal(added, 2); /* before "extra" and at the end */
  wk_buf s = sign_embedded(sp.data, sp.len, k);
  wk_verify_result r;
  assert_int_equal(verify1(s.data, s.len, k, 0, &r, &e), WK_OK);
  assert_int_equal(r.nparts, 2);
  /* Append an unsigned custom section: full verification fails, partial passes. */
  wk_buf ext = {0};
  wk_buf_append(&ext, s.data, s.len);
  const uint8_t more[] = {0x00, 0x04, 0x03, 'n', 'e', 'w'};
  wk_buf_append(&ext, more, sizeof more);
  assert_int_equal(verify1(ext.data, ext.len, k, 0, &r, &e), WK_ERR_VERIFY);
  assert_int_equal(verify1(ext.data, ext.len, k, 1, &r, &e), WK_OK);
  assert_int_equal(r.parts_verified, 2);
  assert_int_equal(r.verified_end, s.len);
  /* Drop the last part (truncate at the first delimiter): full fails, partial covers part 1. */
  wk_arena a = {0};
  wk_sig_layout l;
  assert_int_equal(wk_sig_layout_compute(s.data, s.len, 0, &a, &l, &e), WK_OK);
  assert_int_equal(l.nparts, 2);
  assert_int_equal(verify1(s.data, l.part_end[0], k, 0, &r, &e), WK_ERR_VERIFY);
  assert_int_equal(verify1(s.data, l.part_end[0], k, 1, &r, &e), WK_OK);
  assert_int_equal(r.parts_verified, 1);
  /* Modify the second part: partial still covers part 1, full fails. */
  ext.len = 0;
  wk_buf_append(&ext, s.data, s.len);
  ext.data[l.part_end[0] + 9] ^= 1; /* the "b" of the "extra" section payload */
  assert_int_equal(verify1(ext.data, ext.len, k, 0, &r, &e), WK_ERR_VERIFY);
  assert_int_equal(verify1(ext.data, ext.len, k, 1, &r, &e), WK_OK);
  assert_int_equal(r.parts_verified, 1);
  wk_arena_free(&a);
  wk_buf_free(&ext);
  wk_buf_free(&s);
  wk_buf_free(&sp);
  wk_sign_key_free(k);
}

/* Flip every bit of a small signed module: nothing may verify; count by region. */
static void flip_all_bits(int alg) {
  wk_sign_key *k = gen(alg);
  wk_buf s = sign_embedded(SMALL, sizeof SMALL, k);
  wk_arena a = {0};
  wk_sig_layout l;
  wk_error e;
  assert_int_equal(wk_sig_layout_compute(s.data, s.len, 0, &a, &l, &e), WK_OK);
  size_t flips[4] = {0}, failed[4] = {0}, malformed[4] = {0};
  static const char *names[4] = {"preamble", "signature section header", "signature data", "signed content"};
  for (size_t i = 0; i < s.len; i++) {
    int cls = i < 8 ? 0 : i < l.sig_payload_offset ? 1 : i < l.body_offset ? 2 : 3;
    for (int bit = 0; bit < 8; bit++) {
      s.data[i] ^= (uint8_t)(1u << bit);
      wk_verify_result r;
      int rc = verify1(s.data, s.len, k, 0, &r, &e);
      flips[cls]++;
      if (rc != WK_OK) failed[cls]++;
      if (rc == WK_ERR_MALFORMED || rc == WK_ERR_UNSUPPORTED) malformed[cls]++;
      if (rc == WK_OK) fprintf(stderr, "flip at byte %zu bit %d verified!\n", i, bit);
      s.data[i] ^= (uint8_t)(1u << bit);
    }
  }
  for (int c = 0; c < 4; c++) {
    printf("[ TAMPER   ] %s small module, %-26s %5zu flips, %5zu rejected (%zu as malformed)\n", wk_sig_alg_name(alg),
           names[c], flips[c], failed[c], malformed[c]);
    assert_int_equal(failed[c], flips[c]);
  }
  wk_arena_free(&a);
  wk_buf_free(&s);
  wk_sign_key_free(k);
}

static void test_tamper_small_ecdsa(void **state) { flip_all_bits(WK_SIG_ALG_ECDSA_P256); }
static void test_tamper_small_ed25519(void **state) { flip_all_bits(WK_SIG_ALG_ED25519); }

/* Two signers: a flip in the signature data is either rejected for both keys, or (inside the
 * other signer's record only) still verifies for one key while the other key's owner sees it fail. */
static void test_tamper_two_signers(void **state) {
  wk_sign_key *a = gen(WK_SIG_ALG_ECDSA_P256), *b = gen(WK_SIG_ALG_ED25519);
  wk_buf s1 = sign_embedded(SMALL, sizeof SMALL, a);
  wk_buf s = sign_embedded(s1.data, s1.len, b);
  wk_arena ar = {0};
  wk_sig_layout l;
  wk_sig_data sd;
  wk_error e;
  assert_int_equal(wk_sig_layout_compute(s.data, s.len, 0, &ar, &l, &e), WK_OK);
  assert_int_equal(wk_sig_data_parse(s.data + l.sig_payload_offset, l.sig_payload_len, l.sig_payload_offset, &ar, &sd, &e),
                   WK_OK);
  assert_int_equal(sd.sets[0].nsigs, 2);
  size_t rec_a = sd.sets[0].sigs[0].offset, rec_b = sd.sets[0].sigs[1].offset; /* record b runs to the end */
  size_t flips = 0, both = 0, only_a = 0, only_b = 0;
  for (size_t i = l.sig_section_offset; i < l.body_offset; i++)
    for (int bit = 0; bit < 8; bit++) {
      s.data[i] ^= (uint8_t)(1u << bit);
      wk_verify_result r;
      int ra = verify1(s.data, s.len, a, 0, &r, &e), rb = verify1(s.data, s.len, b, 0, &r, &e);
      s.data[i] ^= (uint8_t)(1u << bit);
      flips++;
      assert_false(ra == WK_OK && rb == WK_OK); /* no flip goes unnoticed by both signers */
      if (ra != WK_OK && rb != WK_OK) both++;
      else if (ra == WK_OK) { only_b++; assert_true(i >= rec_b); }
      else { only_a++; assert_true(i >= rec_a && i < rec_b); }
    }
  printf("[ TAMPER   ] two signers, %zu flips in the signature section: %zu rejected for both keys, "
         "%zu only in the ecdsa record (ed25519 key still verifies), %zu only in the ed25519 record\n",
         flips, both, only_a, only_b);
  wk_arena_free(&ar);
  wk_buf_free(&s1);
  wk_buf_free(&s);
  wk_sign_key_free(a);
  wk_sign_key_free(b);
}

/* Truncate a signed module at every length: always an error, never a crash. */
static void test_truncation(void **state) {
  wk_sign_key *k = gen(WK_SIG_ALG_ED25519);
  wk_buf s = sign_embedded(SMALL, sizeof SMALL, k);
  for (size_t n = 0; n < s.len; n++) {
    uint8_t *cp = malloc(n ? n : 1); /* exact-size copy: ASan sees any overread */
    memcpy(cp, s.data, n);
    wk_verify_result r;
    wk_error e;
    assert_int_not_equal(verify1(cp, n, k, 0, &r, &e), WK_OK);
    assert_int_not_equal(verify1(cp, n, k, 1, &r, &e), WK_OK);
    free(cp);
  }
  wk_buf_free(&s);
  wk_sign_key_free(k);
}

/* 10,000 random byte flips (random xor mask) in a large signed module. */
static void test_tamper_large(void **state) {
  const size_t payload = 512 * 1024;
  wk_buf m = {0};
  wk_buf_append(&m, SMALL, sizeof SMALL);
  wk_buf_byte(&m, 0);
  wk_buf_uleb(&m, 4 + payload);
  wk_buf_uleb(&m, 3);
  wk_buf_append(&m, "big", 3);
  assert_int_equal(wk_buf_reserve(&m, payload), 0);
  uint64_t x = 0x9e3779b97f4a7c15ull;
  for (size_t i = 0; i < payload; i++) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    m.data[m.len++] = (uint8_t)x;
  }
  wk_sign_key *k = gen(WK_SIG_ALG_ECDSA_P256);
  wk_buf s = sign_embedded(m.data, m.len, k);
  wk_arena a = {0};
  wk_sig_layout l;
  wk_error e;
  assert_int_equal(wk_sig_layout_compute(s.data, s.len, 0, &a, &l, &e), WK_OK);
  const char *env = getenv("WSIGN_TAMPER_N");
  size_t n = env ? strtoul(env, NULL, 10) : 10000;
  size_t flips[2] = {0}, failed[2] = {0};
  for (size_t t = 0; t < n; t++) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    size_t pos = (size_t)(x % s.len);
    uint8_t mask = (uint8_t)((x >> 32) | 1); /* never zero: the byte always changes */
    int cls = pos < l.body_offset ? 0 : 1;
    s.data[pos] ^= mask;
    wk_verify_result r;
    int rc = verify1(s.data, s.len, k, 0, &r, &e);
    s.data[pos] ^= mask;
    flips[cls]++;
    if (rc != WK_OK) failed[cls]++;
    else fprintf(stderr, "flip at %zu mask %02x verified!\n", pos, mask);
  }
  printf("[ TAMPER   ] large module (%zu bytes): %zu flips in preamble+signature, %zu rejected; "
         "%zu flips in signed content, %zu rejected\n",
         s.len, flips[0], failed[0], flips[1], failed[1]);
  assert_int_equal(failed[0], flips[0]);
  assert_int_equal(failed[1], flips[1]);
  wk_arena_free(&a);
  wk_buf_free(&s);
  wk_buf_free(&m);
  wk_sign_key_free(k);
}

/* Garbage keys and signature sections: errors, no crash. */
static void test_bad_inputs(void **state) {
  wk_sign_key *k = NULL;
  wk_error e;
  assert_int_equal(wk_sign_key_load_private((const uint8_t *)"junk", 4, &k, &e), WK_ERR_MALFORMED);
  assert_int_equal(wk_sign_key_load_public((const uint8_t *)"junk", 4, &k, &e), WK_ERR_MALFORMED);
  assert_null(k);
  /* A signature section that is not first. */
  wk_buf m = {0};
  wk_buf_append(&m, SMALL, sizeof SMALL);
  const uint8_t sigsec[] = {0x00, 0x0e, 0x09, 's', 'i', 'g', 'n', 'a', 't', 'u', 'r', 'e', 1, 1, 1, 0};
  wk_buf_append(&m, sigsec, sizeof sigsec);
  wk_arena a = {0};
  wk_sig_layout l;
  assert_int_equal(wk_sig_layout_compute(m.data, m.len, 0, &a, &l, &e), WK_ERR_MALFORMED);
  assert_true(e.has_offset);
  assert_int_equal(e.offset, sizeof SMALL);
  wk_arena_free(&a);
  wk_buf_free(&m);
  /* An embedded signature with zero sets: verification fails as "unknown key", no crash. */
  wk_buf_append(&m, SMALL, 8);
  wk_buf_append(&m, sigsec, sizeof sigsec);
  wk_buf_append(&m, SMALL + 8, sizeof SMALL - 8);
  k = gen(WK_SIG_ALG_ED25519);
  wk_verify_result r;
  assert_int_equal(verify1(m.data, m.len, k, 0, &r, &e), WK_ERR_VERIFY);
  wk_buf_free(&m);
  wk_sign_key_free(k);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_spec_layout), cmocka_unit_test(test_parse_limits),
      cmocka_unit_test(test_parse_random),
      cmocka_unit_test(test_message_layout),    cmocka_unit_test(test_layout_hash),
      cmocka_unit_test(test_roundtrip_ecdsa),   cmocka_unit_test(test_roundtrip_ed25519),
      cmocka_unit_test(test_component),         cmocka_unit_test(test_multiple_signers),
      cmocka_unit_test(test_detached),          cmocka_unit_test(test_split_partial),
      cmocka_unit_test(test_tamper_small_ecdsa), cmocka_unit_test(test_tamper_small_ed25519),
      cmocka_unit_test(test_tamper_two_signers), cmocka_unit_test(test_truncation),        cmocka_unit_test(test_tamper_large),
      cmocka_unit_test(test_bad_inputs),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
