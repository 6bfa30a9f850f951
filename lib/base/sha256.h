/*
 * SHA-256 (FIPS 180-4, section 6.2), streaming. Self-contained so that tools
 * that need a digest but no other cryptography (wrun's AOT cache key) do not
 * load OpenSSL's libcrypto at start-up: its relocation cost about as much as
 * the rest of a hello-world run (issue 13). lib/sign keeps using OpenSSL.
 */
#ifndef WK_BASE_SHA256_H
#define WK_BASE_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct wk_sha256 {
  uint32_t h[8];
  uint64_t nbytes;  /* message bytes so far */
  uint8_t buf[64];  /* partial block */
  size_t nbuf;
} wk_sha256;

/* Starts a digest (the initial hash value H(0) of FIPS 180-4 5.3.3). */
void wk_sha256_init(wk_sha256 *c);
/* Feeds LEN bytes at P (P may be NULL when LEN is 0). */
void wk_sha256_update(wk_sha256 *c, const void *p, size_t len);
/* Pads (FIPS 180-4 5.1.1), writes the 32-byte digest to OUT; C must be
 * initialised again before reuse. */
void wk_sha256_final(wk_sha256 *c, uint8_t out[32]);

#endif
