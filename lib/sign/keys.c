/*
 * Keys for lib/sign: generation, loading (PEM/DER via OpenSSL decoders, and
 * wasmsign2's raw files), key ids, and raw sign/verify through EVP.
 */
#include "sign/sign.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

struct wk_sign_key {
  EVP_PKEY *pkey;
  int alg;
  int has_private;
  uint8_t raw_pub[65];
  size_t raw_pub_len;
  uint8_t key_id[WK_SIG_KEY_ID_LEN];
};

/* wasmsign2 raw key files (Signatures.md "Signature algorithms and key serialization"). */
#define RAW_ED25519_PK_ID 0x01
#define RAW_ED25519_SK_ID 0x81

const char *wk_sig_alg_name(int alg) {
  switch (alg) {
  case WK_SIG_ALG_ED25519: return "ed25519";
  case WK_SIG_ALG_ECDSA_P256: return "ecdsa-p256";
  default: return NULL;
  }
}

int wk_sig_alg_parse(const char *name) {
  if (!strcmp(name, "ed25519")) return WK_SIG_ALG_ED25519;
  if (!strcmp(name, "ecdsa-p256") || !strcmp(name, "p256") || !strcmp(name, "ecdsa")) return WK_SIG_ALG_ECDSA_P256;
  return 0;
}

/* Last OpenSSL error as text (clears the queue). */
static const char *ossl_reason(char *buf, size_t n) {
  unsigned long e = ERR_peek_last_error();
  if (!e) {
    snprintf(buf, n, "no detail");
  } else {
    ERR_error_string_n(e, buf, n);
  }
  ERR_clear_error();
  return buf;
}

/* Fill alg, raw public key and key id from k->pkey. */
static int key_finish(wk_sign_key *k, wk_error *err) {
  char eb[256];
  if (EVP_PKEY_is_a(k->pkey, "ED25519")) {
    k->alg = WK_SIG_ALG_ED25519;
    size_t n = sizeof k->raw_pub;
    if (EVP_PKEY_get_raw_public_key(k->pkey, k->raw_pub, &n) != 1 || n != 32)
      return wk_error_set(err, WK_ERR_MALFORMED, "cannot read the Ed25519 public key: %s", ossl_reason(eb, sizeof eb));
    k->raw_pub_len = 32;
  } else if (EVP_PKEY_is_a(k->pkey, "EC")) {
    char group[64] = "";
    size_t glen = 0;
    if (EVP_PKEY_get_utf8_string_param(k->pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &glen) != 1)
      return wk_error_set(err, WK_ERR_UNSUPPORTED, "EC key without a named curve (only P-256 is supported)");
    if (strcmp(group, "prime256v1") && strcmp(group, "P-256"))
      return wk_error_set(err, WK_ERR_UNSUPPORTED, "EC key on curve %s: only P-256 (prime256v1) is supported", group);
    k->alg = WK_SIG_ALG_ECDSA_P256;
    BIGNUM *x = NULL, *y = NULL;
    int ok = EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_EC_PUB_X, &x) == 1 &&
             EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_EC_PUB_Y, &y) == 1;
    /* SEC 1 2.3.3: uncompressed point 0x04 ‖ X ‖ Y, coordinates 32 bytes big-endian. */
    if (ok) {
      k->raw_pub[0] = 0x04;
      ok = BN_bn2binpad(x, k->raw_pub + 1, 32) == 32 && BN_bn2binpad(y, k->raw_pub + 33, 32) == 32;
    }
    BN_free(x);
    BN_free(y);
    if (!ok) return wk_error_set(err, WK_ERR_MALFORMED, "cannot read the P-256 public point: %s", ossl_reason(eb, sizeof eb));
    k->raw_pub_len = 65;
  } else {
    return wk_error_set(err, WK_ERR_UNSUPPORTED, "unsupported key type %s (use ed25519 or ecdsa-p256)",
                        EVP_PKEY_get0_type_name(k->pkey) ? EVP_PKEY_get0_type_name(k->pkey) : "?");
  }
  /* Key id: HMAC-SHA-256 keyed with the raw public key over the 6 bytes "key_id", first 12
   * bytes — wasmsign2's attach_default_key_id (hmac_sha256::HMAC::mac(input, key) with
   * input = b"key_id", key = pk) for Ed25519, extended to P-256 points. */
  uint8_t mac[EVP_MAX_MD_SIZE];
  size_t maclen = 0;
  if (!EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, k->raw_pub, k->raw_pub_len, (const unsigned char *)"key_id", 6,
                 mac, sizeof mac, &maclen) ||
      maclen < WK_SIG_KEY_ID_LEN)
    return wk_error_set(err, WK_ERR_UNSUPPORTED, "HMAC-SHA-256 failed: %s", ossl_reason(eb, sizeof eb));
  memcpy(k->key_id, mac, WK_SIG_KEY_ID_LEN);
  return WK_OK;
}

static int key_wrap(EVP_PKEY *pkey, int has_private, wk_sign_key **out, wk_error *err) {
  wk_sign_key *k = wk_calloc(1, sizeof *k);
  if (!k) {
    EVP_PKEY_free(pkey);
    return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  }
  k->pkey = pkey;
  k->has_private = has_private;
  int rc = key_finish(k, err);
  if (rc) {
    wk_sign_key_free(k);
    return rc;
  }
  *out = k;
  return WK_OK;
}

int wk_sign_keygen(int alg, wk_sign_key **out, wk_error *err) {
  char eb[256];
  EVP_PKEY *pkey = NULL;
  *out = NULL;
  if (alg == WK_SIG_ALG_ED25519) pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
  else if (alg == WK_SIG_ALG_ECDSA_P256) pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
  else return wk_error_set(err, WK_ERR_USAGE, "unknown signature algorithm %d", alg);
  if (!pkey) return wk_error_set(err, WK_ERR_UNSUPPORTED, "key generation failed: %s", ossl_reason(eb, sizeof eb));
  return key_wrap(pkey, 1, out, err);
}

/* Passphrase callback: never prompt (a library must not read the terminal). */
static int no_passphrase(char *buf, int size, int rwflag, void *u) {
  (void)buf; (void)size; (void)rwflag; (void)u;
  return 0;
}

/* Try PEM then DER decoding of a private key. */
static EVP_PKEY *decode_private(const uint8_t *data, size_t len) {
  EVP_PKEY *pkey = NULL;
  if (len > 0x7fffffff) return NULL;
  BIO *bio = BIO_new_mem_buf(data, (int)len);
  if (bio) {
    pkey = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
    BIO_free(bio);
  }
  if (!pkey) {
    const unsigned char *p = data;
    pkey = d2i_AutoPrivateKey(NULL, &p, (long)len);
  }
  ERR_clear_error();
  return pkey;
}

static EVP_PKEY *decode_public(const uint8_t *data, size_t len) {
  EVP_PKEY *pkey = NULL;
  if (len > 0x7fffffff) return NULL;
  BIO *bio = BIO_new_mem_buf(data, (int)len);
  if (bio) {
    pkey = PEM_read_bio_PUBKEY(bio, NULL, no_passphrase, NULL);
    BIO_free(bio);
  }
  if (!pkey) {
    const unsigned char *p = data;
    pkey = d2i_PUBKEY(NULL, &p, (long)len);
  }
  ERR_clear_error();
  return pkey;
}

int wk_sign_key_load_private(const uint8_t *data, size_t len, wk_sign_key **out, wk_error *err) {
  *out = NULL;
  EVP_PKEY *pkey = NULL;
  if (len == 65 && data[0] == RAW_ED25519_SK_ID) {
    /* wasmsign2 key pair: 0x81 ‖ secret (seed) 32 ‖ public 32. */
    pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, data + 1, 32);
    if (pkey) {
      uint8_t pub[32];
      size_t n = sizeof pub;
      if (EVP_PKEY_get_raw_public_key(pkey, pub, &n) != 1 || n != 32 || CRYPTO_memcmp(pub, data + 33, 32)) {
        EVP_PKEY_free(pkey);
        ERR_clear_error();
        return wk_error_set(err, WK_ERR_MALFORMED, "raw Ed25519 key pair: public half does not match the secret key");
      }
    }
  }
  if (!pkey) pkey = decode_private(data, len);
  if (!pkey && memmem(data, len, "ENCRYPTED", 9))
    return wk_error_set(err, WK_ERR_UNSUPPORTED,
                        "encrypted private keys are not supported (decrypt with: openssl pkey -in KEY -out PLAIN.pem)");
  if (!pkey)
    return wk_error_set(err, WK_ERR_MALFORMED,
                        "not a private key (expected PEM/DER PKCS#8, SEC1 EC, or a wasmsign2 raw key pair)");
  return key_wrap(pkey, 1, out, err);
}

int wk_sign_key_load_public(const uint8_t *data, size_t len, wk_sign_key **out, wk_error *err) {
  *out = NULL;
  EVP_PKEY *pkey = NULL;
  if (len == 33 && data[0] == RAW_ED25519_PK_ID) pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, data + 1, 32);
  if (!pkey) pkey = decode_public(data, len);
  if (!pkey) {
    /* A private key file also gives its public half. */
    int rc = wk_sign_key_load_private(data, len, out, NULL);
    if (rc == WK_OK) {
      (*out)->has_private = 0; /* never used for signing through this handle */
      return WK_OK;
    }
    ERR_clear_error();
    return wk_error_set(err, WK_ERR_MALFORMED,
                        "not a public key (expected PEM/DER SubjectPublicKeyInfo or a wasmsign2 raw public key)");
  }
  ERR_clear_error();
  return key_wrap(pkey, 0, out, err);
}

static int bio_to_buf(BIO *bio, wk_buf *out, wk_error *err) {
  char *p = NULL;
  long n = BIO_get_mem_data(bio, &p);
  if (n <= 0) return wk_error_set(err, WK_ERR_UNSUPPORTED, "PEM encoding produced no output");
  wk_buf_append(out, p, (size_t)n);
  return out->oom ? wk_error_set(err, WK_ERR_NOMEM, "out of memory") : WK_OK;
}

int wk_sign_key_private_pem(const wk_sign_key *k, wk_buf *out, wk_error *err) {
  char eb[256];
  if (!k->has_private) return wk_error_set(err, WK_ERR_USAGE, "not a private key");
  BIO *bio = BIO_new(BIO_s_secmem());
  if (!bio) bio = BIO_new(BIO_s_mem());
  if (!bio) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  int rc;
  if (PEM_write_bio_PrivateKey(bio, k->pkey, NULL, NULL, 0, NULL, NULL) != 1)
    rc = wk_error_set(err, WK_ERR_UNSUPPORTED, "PEM encoding failed: %s", ossl_reason(eb, sizeof eb));
  else
    rc = bio_to_buf(bio, out, err);
  BIO_free(bio); /* secure-heap/mem BIOs are cleared on free */
  return rc;
}

int wk_sign_key_public_pem(const wk_sign_key *k, wk_buf *out, wk_error *err) {
  char eb[256];
  BIO *bio = BIO_new(BIO_s_mem());
  if (!bio) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  int rc;
  if (PEM_write_bio_PUBKEY(bio, k->pkey) != 1)
    rc = wk_error_set(err, WK_ERR_UNSUPPORTED, "PEM encoding failed: %s", ossl_reason(eb, sizeof eb));
  else
    rc = bio_to_buf(bio, out, err);
  BIO_free(bio);
  return rc;
}

void wk_sign_key_free(wk_sign_key *k) {
  if (!k) return;
  EVP_PKEY_free(k->pkey);
  OPENSSL_cleanse(k, sizeof *k);
  free(k);
}

int wk_sign_key_alg(const wk_sign_key *k) { return k->alg; }
int wk_sign_key_has_private(const wk_sign_key *k) { return k->has_private; }
const uint8_t *wk_sign_key_id(const wk_sign_key *k) { return k->key_id; }
const uint8_t *wk_sign_key_raw_public(const wk_sign_key *k, size_t *len) {
  *len = k->raw_pub_len;
  return k->raw_pub;
}

int wk_sign_raw(const wk_sign_key *k, const uint8_t *msg, size_t len, wk_buf *sig, wk_error *err) {
  char eb[256];
  if (!k->has_private) return wk_error_set(err, WK_ERR_USAGE, "a private key is needed to sign");
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  if (!ctx) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  /* Ed25519 is "pure" EdDSA (RFC 8032 5.1.6): no digest name. ECDSA hashes with SHA-256. */
  const char *md = k->alg == WK_SIG_ALG_ECDSA_P256 ? "SHA256" : NULL;
  int rc = WK_OK;
  size_t n = 0;
  if (EVP_DigestSignInit_ex(ctx, NULL, md, NULL, NULL, k->pkey, NULL) != 1 ||
      EVP_DigestSign(ctx, NULL, &n, msg, len) != 1) {
    rc = wk_error_set(err, WK_ERR_UNSUPPORTED, "signing failed: %s", ossl_reason(eb, sizeof eb));
  } else if (wk_buf_reserve(sig, n)) {
    rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  } else if (EVP_DigestSign(ctx, sig->data + sig->len, &n, msg, len) != 1) {
    rc = wk_error_set(err, WK_ERR_UNSUPPORTED, "signing failed: %s", ossl_reason(eb, sizeof eb));
  } else {
    sig->len += n;
  }
  EVP_MD_CTX_free(ctx);
  return rc;
}

int wk_verify_raw(const wk_sign_key *k, const uint8_t *msg, size_t len, const uint8_t *sig, size_t sig_len,
                  wk_error *err) {
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  if (!ctx) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  const char *md = k->alg == WK_SIG_ALG_ECDSA_P256 ? "SHA256" : NULL;
  int ok = EVP_DigestVerifyInit_ex(ctx, NULL, md, NULL, NULL, k->pkey, NULL) == 1 &&
           EVP_DigestVerify(ctx, sig, sig_len, msg, len) == 1;
  EVP_MD_CTX_free(ctx);
  ERR_clear_error();
  return ok ? WK_OK : wk_error_set(err, WK_ERR_VERIFY, "signature does not verify");
}
