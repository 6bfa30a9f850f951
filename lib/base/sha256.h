/*
 * SHA-256 (FIPS 180-4) for callers that need a digest but no other
 * cryptography (wrun's AOT cache key), computed by OpenSSL's libcrypto,
 * which is loaded with dlopen on the first use instead of being linked:
 * relocating libcrypto at process start cost about as much as a whole
 * hello-world run (issue 13), and most runs never hash. lib/sign links
 * OpenSSL as usual.
 */
#ifndef WK_BASE_SHA256_H
#define WK_BASE_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct wk_sha256 {
  void *ctx; /* OpenSSL EVP_MD_CTX, or NULL when libcrypto is unavailable or a call failed */
} wk_sha256;

/* Starts a digest. Returns 0, or -1 when libcrypto (libcrypto.so.3) cannot be
 * loaded or fails; then update is a no-op and final returns -1. */
int wk_sha256_init(wk_sha256 *c);
/* Feeds LEN bytes at P (P may be NULL when LEN is 0). */
void wk_sha256_update(wk_sha256 *c, const void *p, size_t len);
/* Writes the 32-byte digest to OUT and releases C. Returns 0, or -1 if any
 * step failed (OUT is then zeroed). C must be initialised again before reuse. */
int wk_sha256_final(wk_sha256 *c, uint8_t out[32]);

#endif
