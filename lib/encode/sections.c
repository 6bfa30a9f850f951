#include "encode/leb.h"
#include "encode/sections.h"

#include <string.h>

int wk_read_uleb(const uint8_t *data, size_t len, size_t *pos, unsigned maxbits, uint64_t *out,
                 wk_error *err) {
  return wk_leb_u(data, len, pos, maxbits, out, NULL, err); /* the one LEB128 reader (leb.h) */
}

int wk_utf8_valid(const uint8_t *s, size_t n) {
  /* All ASCII (nearly every name): the OR of every byte, eight at a time and the tail by
   * overlapping loads (a byte loop over the tails was most of the checks of short names) */
  uint64_t acc = 0, w;
  size_t i = 0;
  for (; n - i >= 8; i += 8) {
    memcpy(&w, s + i, 8);
    acc |= w;
  }
  if (i < n) {
    if (n >= 8) {
      memcpy(&w, s + n - 8, 8);
      acc |= w;
    } else {
      acc |= wk_tail_word(s, n);
    }
  }
  if (!(acc & 0x8080808080808080ull)) return 1;
  i = 0;
  while (i < n) {
    /* ASCII runs (nearly every name) eight bytes at a time */
    while (n - i >= 8) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    uint8_t c = s[i];
    if (c < 0x80) { i++; continue; }
    size_t k;
    uint32_t cp, min;
    if ((c & 0xe0) == 0xc0) { k = 1; cp = c & 0x1f; min = 0x80; }
    else if ((c & 0xf0) == 0xe0) { k = 2; cp = c & 0x0f; min = 0x800; }
    else if ((c & 0xf8) == 0xf0) { k = 3; cp = c & 0x07; min = 0x10000; }
    else return 0;
    if (n - i <= k) return 0;
    for (size_t j = 1; j <= k; j++) {
      if ((s[i + j] & 0xc0) != 0x80) return 0;
      cp = (cp << 6) | (s[i + j] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    i += k + 1;
  }
  return 1;
}

int wk_bin_kind(const uint8_t *data, size_t len) {
  if (len < 8 || memcmp(data, "\0asm", 4) != 0) return 0;
  if (memcmp(data + 4, "\1\0\0\0", 4) == 0) return WK_BIN_MODULE;
  if (memcmp(data + 4, "\x0d\0\1\0", 4) == 0) return WK_BIN_COMPONENT;
  return 0;
}

int wk_is_component(const uint8_t *data, size_t len) { return wk_bin_kind(data, len) == WK_BIN_COMPONENT; }

int wk_sections_begin(wk_section_iter *it, const uint8_t *data, size_t len, wk_error *err) {
  memset(it, 0, sizeof *it);
  if (len < 4 || memcmp(data, "\0asm", 4) != 0)
    return wk_error_at(err, WK_ERR_MALFORMED, 0, len < 4 ? "unexpected end" : "magic header not detected");
  if (len < 8) return wk_error_at(err, WK_ERR_MALFORMED, 4, "unexpected end");
  it->kind = wk_bin_kind(data, len);
  if (!it->kind) return wk_error_at(err, WK_ERR_MALFORMED, 4, "unknown binary version");
  it->data = data;
  it->len = len;
  it->pos = 8;
  return WK_OK;
}

int wk_sections_next(wk_section_iter *it, wk_section *sec, wk_error *err) {
  if (it->pos >= it->len) return 0;
  memset(sec, 0, sizeof *sec);
  sec->offset = it->pos;
  sec->id = it->data[it->pos];
  size_t p = it->pos + 1;
  uint64_t size = 0;
  if (wk_read_uleb(it->data, it->len, &p, 32, &size, err)) return -1;
  if (size > it->len - p) {
    wk_error_at(err, WK_ERR_MALFORMED, p, "section size mismatch: %llu bytes past the end",
                (unsigned long long)(size - (it->len - p)));
    return -1;
  }
  sec->payload_offset = p;
  sec->payload_len = (size_t)size;
  sec->end = p + (size_t)size;
  sec->content_offset = p;
  if (sec->id == 0) {
    size_t q = p;
    uint64_t nl = 0;
    if (wk_read_uleb(it->data, sec->end, &q, 32, &nl, err)) return -1;
    if (nl > sec->end - q) {
      wk_error_at(err, WK_ERR_MALFORMED, q, "unexpected end: custom section name past the section");
      return -1;
    }
    if (!wk_utf8_valid(it->data + q, (size_t)nl)) {
      wk_error_at(err, WK_ERR_MALFORMED, q, "malformed UTF-8 encoding");
      return -1;
    }
    sec->name = (const char *)it->data + q;
    sec->name_len = (size_t)nl;
    sec->content_offset = q + (size_t)nl;
  }
  it->pos = sec->end;
  return 1;
}

void wk_custom_section_write(wk_buf *out, const char *name, const uint8_t *data, size_t len) {
  size_t n = strlen(name);
  size_t name_len_bytes = 1;
  for (size_t v = n; v >= 0x80; v >>= 7) name_len_bytes++;
  wk_buf_byte(out, 0x00);
  wk_buf_uleb(out, name_len_bytes + n + len);
  wk_buf_uleb(out, n);
  wk_buf_append(out, name, n);
  wk_buf_append(out, data, len);
}
