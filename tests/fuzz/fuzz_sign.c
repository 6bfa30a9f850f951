/*
 * libFuzzer target: lib/sign's parsers (Signatures.md, wasm-signatures).
 * Input: a (possibly signed) module or component binary (seeds: spec and
 * component modules signed at build time with wsign, plus unsigned ones).
 *   wk_sig_layout_compute (embedded and detached views);
 *   wk_sig_data_parse of the embedded signature payload and of the whole
 *   input as detached signature data; a parsed payload re-encodes and
 *   re-parses to the same encoding;
 *   wk_verify_module (embedded, and the input as its own detached data) with
 *   a fixed key set; wk_sign_module on the input (adds a signature: runs the
 *   "already signed" parsing path).
 */
#include <string.h>
#include "sign/sign.h"
#include "encode/encode.h"
#include "fuzz_check.h"

static wk_sign_key *keys[2];

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  wk_error err;
  if (wk_sign_keygen(WK_SIG_ALG_ED25519, &keys[0], &err) != WK_OK) abort();
  if (wk_sign_keygen(WK_SIG_ALG_ECDSA_P256, &keys[1], &err) != WK_OK) abort();
  return 0;
}

static void parse_roundtrip(const uint8_t *p, size_t len, uint64_t base) {
  wk_arena a = {0};
  wk_sig_data sd;
  wk_error err;
  memset(&sd, 0, sizeof sd);
  int rc = wk_sig_data_parse(p, len, base, &a, &sd, &err);
  if (rc == WK_OK) {
    wk_buf e1 = {0}, e2 = {0};
    wk_sig_data_encode(&sd, &e1);
    wk_arena a2 = {0};
    wk_sig_data sd2;
    memset(&sd2, 0, sizeof sd2);
    CHECK(wk_sig_data_parse(e1.data, e1.len, 0, &a2, &sd2, &err) == WK_OK,
          "re-encoded signature data does not parse: %s", err.msg);
    wk_sig_data_encode(&sd2, &e2);
    CHECK(e1.len == e2.len && memcmp(e1.data, e2.data, e1.len) == 0, "signature data encoding not stable");
    CHECK(sd2.nsets == sd.nsets, "set count changed");
    wk_buf_free(&e1);
    wk_buf_free(&e2);
    wk_arena_free(&a2);
  } else {
    CHECK(rc == WK_ERR_MALFORMED || rc == WK_ERR_UNSUPPORTED || rc == WK_ERR_NOMEM, "parse returned %d", rc);
  }
  wk_arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  wk_error err;
  for (int detached = 0; detached < 2; detached++) {
    wk_arena a = {0};
    wk_sig_layout lay;
    memset(&lay, 0, sizeof lay);
    if (wk_sig_layout_compute(data, size, detached, &a, &lay, &err) == WK_OK) {
      CHECK(lay.body_offset <= size, "body offset past the input");
      for (size_t i = 0; i < lay.nparts; i++) CHECK(lay.part_end[i] <= size, "part end past the input");
      if (!detached && lay.has_embedded) {
        CHECK(lay.sig_payload_offset + lay.sig_payload_len <= size, "signature payload past the input");
        parse_roundtrip(data + lay.sig_payload_offset, lay.sig_payload_len, lay.sig_payload_offset);
      }
    }
    wk_arena_free(&a);
  }
  parse_roundtrip(data, size, 0);

  wk_verify_result res;
  (void)wk_verify_module(data, size, NULL, 0, keys, 2, 0, &res, &err);
  (void)wk_verify_module(data, size, NULL, 0, keys, 2, 1, &res, &err);
  (void)wk_verify_module(data, size, data, size, keys, 2, 1, &res, &err);

  wk_buf head = {0}, sig = {0};
  size_t body = 0, stale = 0;
  if (wk_sign_module(data, size, keys[0], 0, NULL, 0, &head, &body, &sig, &stale, &err) == WK_OK) {
    CHECK(body <= size, "body offset past the input");
    /* the freshly signed binary verifies with the signing key */
    wk_buf full = {0};
    wk_buf_append(&full, head.data, head.len);
    wk_buf_append(&full, data + body, size - body);
    int vrc = wk_verify_module(full.data, full.len, NULL, 0, keys, 1, 0, &res, &err);
    CHECK(vrc == WK_OK, "freshly signed input does not verify: %d %s", vrc, err.msg);
    wk_buf_free(&full);
  }
  wk_buf_free(&head);
  wk_buf_free(&sig);
  return 0;
}
