/*
 * Section-level reading of WebAssembly binaries (core modules and
 * components), without decoding section contents. Part of lib/encode's
 * public surface (encode.h includes it).
 *
 * Core spec 5.5.2 "Sections": section ::= id:byte size:u32 payload.
 * Component Binary.md "Component Definitions": same framing, preamble
 * `\0asm` + version 0x0d 0x00 + layer 0x01 0x00.
 */
#ifndef WK_ENCODE_SECTIONS_H
#define WK_ENCODE_SECTIONS_H

#include "base/base.h"

enum wk_bin_kind { WK_BIN_MODULE = 1, WK_BIN_COMPONENT = 2 };

typedef struct wk_section {
  uint8_t id;               /* section id; 0 = custom */
  size_t offset;            /* byte offset of the id byte */
  size_t payload_offset;    /* byte offset of the payload (after the size LEB) */
  size_t payload_len;       /* payload size in bytes */
  size_t end;               /* payload_offset + payload_len */
  const char *name;         /* custom sections: name bytes (not NUL-terminated), else NULL */
  size_t name_len;
  size_t content_offset;    /* custom: offset after the name; else == payload_offset */
} wk_section;

typedef struct wk_section_iter {
  const uint8_t *data;
  size_t len, pos;
  int kind; /* enum wk_bin_kind */
} wk_section_iter;

/*
 * What the 8-byte preamble of `data` (len bytes) says: WK_BIN_MODULE (core
 * spec 5.5.16: magic + version 1), WK_BIN_COMPONENT (Binary.md: magic +
 * version 0x0d 0x00 + layer 0x01 0x00), or 0 (too short, or neither).
 * Looks at the preamble only; nothing after it is checked.
 */
int wk_bin_kind(const uint8_t *data, size_t len);
/* Non-zero when `data` starts with a component preamble (wk_bin_kind == WK_BIN_COMPONENT). */
int wk_is_component(const uint8_t *data, size_t len);

/*
 * Check the 8-byte preamble and start iterating. `data` is borrowed for the
 * iterator's lifetime. Returns WK_OK or WK_ERR_MALFORMED (bad magic,
 * unknown version, truncated preamble) with the offset in `err`.
 */
int wk_sections_begin(wk_section_iter *it, const uint8_t *data, size_t len, wk_error *err);

/*
 * Produce the next section. Returns 1 and fills *sec, 0 at the end of the
 * input, or -1 with `err` set (truncated size, payload past the end, bad
 * custom-section name: malformed UTF-8 or length past the payload).
 */
int wk_sections_next(wk_section_iter *it, wk_section *sec, wk_error *err);

/*
 * Read an unsigned LEB128 of at most `maxbits` bits (32 or 64) at *pos.
 * Advances *pos. Returns WK_OK or WK_ERR_MALFORMED ("unexpected end",
 * "integer representation too long", "integer too large").
 */
int wk_read_uleb(const uint8_t *data, size_t len, size_t *pos, unsigned maxbits, uint64_t *out,
                 wk_error *err);

/* Non-zero when [s, s+n) is well-formed UTF-8 (no surrogates, no overlongs). */
int wk_utf8_valid(const uint8_t *s, size_t n);

/* Append a custom section (Core spec 5.5.3: id 0, u32 size, name, bytes) named
 * `name` with `len` bytes of `data` to `out` (a module or component being
 * written: custom sections may follow any section). Check out->oom. */
void wk_custom_section_write(wk_buf *out, const char *name, const uint8_t *data, size_t len);

#endif
