/*
 * lib/encode/hash_int.h — the one name hash of lib/encode's lookup tables (internal: the core
 * validator's export-name check and the component validator's name indexes).
 */
#ifndef WK_ENCODE_HASH_INT_H
#define WK_ENCODE_HASH_INT_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A cheap hash of the `n` bytes at `s` (NULL when n is 0): their length and first, middle and
 * last four bytes. The names looked up are short and differ at their ends (hashing every byte
 * cost more than the linear searches it replaced); an equal hash only costs a comparison. */
static inline uint32_t wk_name_hash(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  uint32_t h = (uint32_t)n * 0x9e3779b1u;
  if (n >= 4) {
    uint32_t x, y, z;
    memcpy(&x, u, 4);
    memcpy(&y, u + n - 4, 4);
    memcpy(&z, u + n / 2 - 2, 4);
    h ^= x * 0x85ebca6bu ^ y * 0xc2b2ae35u ^ z * 0x27d4eb2fu;
  } else {
    for (size_t i = 0; i < n; i++) h = (h ^ u[i]) * 0x01000193u;
  }
  return h ^ (h >> 16);
}

#endif
