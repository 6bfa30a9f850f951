/* Internal helpers shared by lib/encode's component*.c and print*.c files. */
#ifndef WK_ENCODE_COMPONENT_INTERNAL_H
#define WK_ENCODE_COMPONENT_INTERNAL_H
#include <stdint.h>

/* Bytes of the minimal unsigned / signed LEB128 encoding of v. */
static inline unsigned wk_uleb_len(uint64_t v) {
  unsigned n = 1;
  while (v >= 0x80) { v >>= 7; n++; }
  return n;
}
static inline unsigned wk_sleb_len(int64_t v) {
  unsigned n = 1;
  for (;;) {
    uint8_t c = v & 0x7f;
    v >>= 7;
    if ((v == 0 && !(c & 0x40)) || (v == -1 && (c & 0x40))) return n;
    n++;
  }
}
#endif
