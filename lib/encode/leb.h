/*
 * Internal (lib/encode only): fast bounds-checked LEB128 readers and the sizes of minimal
 * encodings (Core spec 5.2.2 "Integers"), the one copy of these rules for lib/encode's decoders,
 * printers and encoders (other libraries read LEBs with sections.h wk_read_uleb, this reader out
 * of line). Errors use the spec tests' wording.
 */
#ifndef WK_ENCODE_LEB_H
#define WK_ENCODE_LEB_H
#include "base/base.h"

/* The one-byte case of wk_leb_u (most counts, indices and lengths): 1 when the byte at *pos is
 * below `len` and below 0x80, with its value in *out and *pos advanced (a one-byte LEB is minimal
 * and fits every width); else 0 with nothing changed, to read with wk_leb_u. For a decoder that
 * keeps the multi-byte case (and its bookkeeping) out of line. */
static inline int wk_leb_u_byte(const uint8_t *p, size_t len, size_t *pos, uint64_t *out) {
  size_t i = *pos;
  if (i < len && p[i] < 0x80) {
    *out = p[i];
    *pos = i + 1;
    return 1;
  }
  return 0;
}

/* Unsigned LEB of at most `bits` (7 to 64) bits at *pos below `len` (Core 5.2.2), advancing *pos;
 * *width (if not NULL) gets the byte count. WK_ERR_MALFORMED in *err (NULL: none kept) at an
 * offset: "unexpected end" (at `len`), "integer representation too long", "integer too large";
 * *pos and *out are unchanged then. */
static inline int wk_leb_u(const uint8_t *p, size_t len, size_t *pos, unsigned bits, uint64_t *out,
                           unsigned *width, wk_error *err) {
  if (wk_leb_u_byte(p, len, pos, out)) { /* fast path: one byte */
    if (width) *width = 1;
    return WK_OK;
  }
  size_t i = *pos;
  uint64_t v = 0;
  unsigned maxbytes = (bits + 6) / 7;
  for (unsigned n = 0;; n++) {
    if (i >= len) return wk_error_at(err, WK_ERR_MALFORMED, i, "unexpected end");
    uint8_t c = p[i++];
    if (n == maxbytes - 1) {
      unsigned used = bits - 7 * n;
      if (c & 0x80) return wk_error_at(err, WK_ERR_MALFORMED, i - 1, "integer representation too long");
      if (used < 7 && (c >> used)) return wk_error_at(err, WK_ERR_MALFORMED, i - 1, "integer too large");
    }
    v |= (uint64_t)(c & 0x7f) << (7 * n);
    if (!(c & 0x80)) {
      if (width) *width = n + 1;
      break;
    }
  }
  *pos = i;
  *out = v;
  return WK_OK;
}

/* Signed LEB of at most `bits` (32, 33 or 64) bits, sign-extended. */
static inline int wk_leb_s(const uint8_t *p, size_t len, size_t *pos, unsigned bits, int64_t *out,
                           wk_error *err) {
  size_t i = *pos;
  if (i < len && p[i] < 0x80) {
    *out = (int64_t)((uint64_t)p[i] << 57) >> 57;
    *pos = i + 1;
    return WK_OK;
  }
  uint64_t v = 0;
  unsigned maxbytes = (bits + 6) / 7, n = 0;
  uint8_t c;
  for (;; n++) {
    if (i >= len) return wk_error_at(err, WK_ERR_MALFORMED, i, "unexpected end");
    c = p[i++];
    if (n == maxbytes - 1) {
      unsigned used = bits - 7 * n; /* value bits in this byte, incl. sign */
      if (c & 0x80) return wk_error_at(err, WK_ERR_MALFORMED, i - 1, "integer representation too long");
      if (used < 7) {
        /* The unused high bits must equal the sign bit (Core 5.2.2). */
        uint8_t rest = (uint8_t)((c & 0x7f) >> (used - 1));
        if (rest != 0 && rest != (0x7f >> (used - 1)))
          return wk_error_at(err, WK_ERR_MALFORMED, i - 1, "integer too large");
      }
    }
    v |= (uint64_t)(c & 0x7f) << (7 * n);
    if (!(c & 0x80)) break;
  }
  unsigned shift = 7 * (n + 1);
  if (shift < 64 && (c & 0x40)) v |= ~(uint64_t)0 << shift;
  *pos = i;
  *out = (int64_t)v;
  return WK_OK;
}

/* An unsigned LEB at *pos that wk_leb_u has already accepted (a side table of checked LEBs, such as
 * wk_insn's br_table targets), advancing *pos: no bound and no error to check (the 10-byte stop
 * only keeps bytes that were never checked from running on). */
static inline uint64_t wk_leb_u_checked(const uint8_t *p, size_t *pos) {
  size_t i = *pos;
  uint64_t v = 0;
  for (unsigned s = 0; s < 64; s += 7) {
    uint8_t c = p[i++];
    v |= (uint64_t)(c & 0x7f) << s;
    if (!(c & 0x80)) break;
  }
  *pos = i;
  return v;
}

/* Bytes of the minimal unsigned encoding of v. */
static inline unsigned wk_leb_u_size(uint64_t v) {
  unsigned n = 1;
  while (v >= 0x80) { v >>= 7; n++; }
  return n;
}
/* Bytes of the minimal signed encoding of v: n bytes hold -2^(7n-1) <= v < 2^(7n-1) (the last
 * byte's bit 6 is the sign). */
static inline unsigned wk_leb_s_size(int64_t v) {
  unsigned n = 1;
  for (; v >= 64 || v < -64; v >>= 7) n++; /* (>> of a negative: arithmetic, as GCC and Clang do) */
  return n;
}
/* The one rule for "the input ended" (no message matching): the readers here and in insn.c
 * (wk_insn_read, wk_valtype_read) report running out of input at an offset at or past `len`,
 * and every other malformation at a byte they read (offset < len). */
static inline int wk_err_is_end(int rc, const wk_error *err, size_t len) {
  return rc == WK_ERR_MALFORMED && err && err->has_offset && err->offset >= len;
}

#endif
