/*
 * Signature data encoding (WebAssembly tool-conventions Signatures.md,
 * "Signature data"), byte-compatible with jedisct1/wasmsign2:
 *
 *   data      ::= spec_version:u7 content_type:u7 hash_fn:u7 n:u32 set_0 … set_{n-1}
 *   set_i     ::= len:u32 bytes(len) = nh:u32 hash*(nh, 32 bytes each) ns:u32 rec_0 … rec_{ns-1}
 *   rec_j     ::= len:u32 bytes(len) = kl:u32 key_id(kl) alg:byte sl:u32 sig(sl)
 *
 * (u7/u32 are unsigned LEB128; the length prefixes on sets and records are
 * what wasmsign2 writes with varint::put_slice.)
 */
#include <string.h>

#include "encode/sections.h"
#include "sign/sign.h"

static const char DOMAIN[] = "wasmsig"; /* Signatures.md: domain-separation prefix */

void wk_sig_message(const uint8_t *hashes, size_t nhashes, wk_buf *out) {
  wk_buf_append(out, DOMAIN, sizeof DOMAIN - 1);
  wk_buf_byte(out, WK_SIG_SPEC_VERSION);
  wk_buf_byte(out, WK_SIG_CONTENT_WASM);
  wk_buf_byte(out, WK_SIG_HASH_SHA256);
  wk_buf_append(out, hashes, nhashes * WK_SIG_HASH_LEN);
}

/* Read a u32 LEB at *pos within [0, end); offsets reported as base + pos. */
static int rd32(const uint8_t *p, size_t end, size_t *pos, uint64_t base, uint32_t *v, const char *what,
                wk_error *err) {
  uint64_t x = 0;
  wk_error e2;
  *v = 0;
  if (wk_read_uleb(p, end, pos, 32, &x, &e2))
    return wk_error_at(err, WK_ERR_MALFORMED, base + e2.offset, "%s: %s", what, e2.msg);
  *v = (uint32_t)x;
  return WK_OK;
}

static int parse_record(const uint8_t *p, size_t start, size_t end, uint64_t base, wk_sig_entry *r, wk_error *err) {
  size_t pos = start;
  uint32_t kl = 0, sl = 0;
  if (rd32(p, end, &pos, base, &kl, "signature key id length", err)) return WK_ERR_MALFORMED;
  if (kl > end - pos)
    return wk_error_at(err, WK_ERR_MALFORMED, base + pos, "signature key id (%u bytes) past the end of its record", kl);
  r->key_id = kl ? p + pos : NULL;
  r->key_id_len = kl;
  pos += kl;
  if (pos >= end) return wk_error_at(err, WK_ERR_MALFORMED, base + pos, "signature record truncated: no algorithm id");
  r->alg = p[pos++];
  if (rd32(p, end, &pos, base, &sl, "signature length", err)) return WK_ERR_MALFORMED;
  if (sl > end - pos)
    return wk_error_at(err, WK_ERR_MALFORMED, base + pos, "signature (%u bytes) past the end of its record", sl);
  r->sig = p + pos;
  r->sig_len = sl;
  pos += sl;
  if (pos != end)
    return wk_error_at(err, WK_ERR_MALFORMED, base + pos, "%zu unexpected bytes at the end of a signature record",
                       end - pos);
  return WK_OK;
}

static int parse_set(const uint8_t *p, size_t start, size_t end, uint64_t base, wk_arena *arena, wk_sig_set *s,
                     wk_error *err) {
  size_t pos = start;
  uint32_t nh = 0, ns = 0;
  if (rd32(p, end, &pos, base, &nh, "hash count", err)) return WK_ERR_MALFORMED;
  if (nh == 0) return wk_error_at(err, WK_ERR_MALFORMED, base + start, "signed hash set with no hashes");
  if (nh > WK_SIG_MAX_HASHES)
    return wk_error_at(err, WK_ERR_MALFORMED, base + start, "too many hashes: %u (max %d)", nh, WK_SIG_MAX_HASHES);
  if ((size_t)nh * WK_SIG_HASH_LEN > end - pos)
    return wk_error_at(err, WK_ERR_MALFORMED, base + pos, "%u hashes past the end of the hash set", nh);
  s->nhashes = nh;
  s->hashes = p + pos;
  pos += (size_t)nh * WK_SIG_HASH_LEN;
  if (rd32(p, end, &pos, base, &ns, "signature count", err)) return WK_ERR_MALFORMED;
  if (ns > WK_SIG_MAX_SIGS)
    return wk_error_at(err, WK_ERR_MALFORMED, base + pos, "too many signatures: %u (max %d)", ns, WK_SIG_MAX_SIGS);
  /* Each record takes at least 2 bytes (its length and content): bound before allocating. */
  if ((size_t)ns * 2 > end - pos)
    return wk_error_at(err, WK_ERR_MALFORMED, base + pos, "%u signatures past the end of the hash set", ns);
  s->nsigs = ns;
  s->sigs = ns ? wk_arena_alloc(arena, ns * sizeof *s->sigs) : NULL;
  if (ns && !s->sigs) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  for (uint32_t i = 0; i < ns; i++) {
    uint32_t rl = 0;
    s->sigs[i].offset = base + pos;
    if (rd32(p, end, &pos, base, &rl, "signature record length", err)) return WK_ERR_MALFORMED;
    if (rl > end - pos)
      return wk_error_at(err, WK_ERR_MALFORMED, base + pos, "signature record (%u bytes) past the end of its hash set", rl);
    int rc = parse_record(p, pos, pos + rl, base, &s->sigs[i], err);
    if (rc) return rc;
    pos += rl;
  }
  if (pos != end)
    return wk_error_at(err, WK_ERR_MALFORMED, base + pos, "%zu unexpected bytes at the end of a signed hash set",
                       end - pos);
  return WK_OK;
}

int wk_sig_data_parse(const uint8_t *p, size_t len, uint64_t base, wk_arena *arena, wk_sig_data *out,
                      wk_error *err) {
  memset(out, 0, sizeof *out);
  size_t pos = 0;
  uint64_t v;
  wk_error e2;
  uint8_t hdr[3];
  static const char *const names[3] = {"specification version", "content type", "hash function"};
  for (int i = 0; i < 3; i++) {
    if (wk_read_uleb(p, len, &pos, 7, &v, &e2))
      return wk_error_at(err, WK_ERR_MALFORMED, base + e2.offset, "signature data: %s: %s", names[i], e2.msg);
    hdr[i] = (uint8_t)v;
  }
  out->spec_version = hdr[0];
  out->content_type = hdr[1];
  out->hash_fn = hdr[2];
  if (hdr[0] != WK_SIG_SPEC_VERSION)
    return wk_error_at(err, WK_ERR_UNSUPPORTED, base, "unsupported signature specification version 0x%02x", hdr[0]);
  if (hdr[1] != WK_SIG_CONTENT_WASM)
    return wk_error_at(err, WK_ERR_UNSUPPORTED, base + 1, "unsupported signature content type 0x%02x", hdr[1]);
  if (hdr[2] != WK_SIG_HASH_SHA256)
    return wk_error_at(err, WK_ERR_UNSUPPORTED, base + 2, "unsupported signature hash function 0x%02x", hdr[2]);
  uint32_t n = 0;
  if (rd32(p, len, &pos, base, &n, "signed hash set count", err)) return WK_ERR_MALFORMED;
  if (n > WK_SIG_MAX_SETS)
    return wk_error_at(err, WK_ERR_MALFORMED, base + pos, "too many signed hash sets: %u (max %d)", n, WK_SIG_MAX_SETS);
  if ((size_t)n * 2 > len - pos)
    return wk_error_at(err, WK_ERR_MALFORMED, base + pos, "%u signed hash sets past the end of the signature data", n);
  out->nsets = n;
  out->sets = n ? wk_arena_alloc(arena, n * sizeof *out->sets) : NULL;
  if (n && !out->sets) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  for (uint32_t i = 0; i < n; i++) {
    uint32_t sl = 0;
    out->sets[i].offset = base + pos;
    if (rd32(p, len, &pos, base, &sl, "signed hash set length", err)) return WK_ERR_MALFORMED;
    if (sl > len - pos)
      return wk_error_at(err, WK_ERR_MALFORMED, base + pos, "signed hash set (%u bytes) past the end of the signature data",
                         sl);
    int rc = parse_set(p, pos, pos + sl, base, arena, &out->sets[i], err);
    if (rc) return rc;
    pos += sl;
  }
  if (pos != len)
    return wk_error_at(err, WK_ERR_MALFORMED, base + pos, "%zu unexpected bytes after the last signed hash set",
                       len - pos);
  return WK_OK;
}

void wk_sig_data_encode(const wk_sig_data *d, wk_buf *out) {
  wk_buf_uleb(out, d->spec_version);
  wk_buf_uleb(out, d->content_type);
  wk_buf_uleb(out, d->hash_fn);
  wk_buf_uleb(out, d->nsets);
  for (size_t i = 0; i < d->nsets; i++) {
    const wk_sig_set *s = &d->sets[i];
    wk_buf set = {0};
    wk_buf_uleb(&set, s->nhashes);
    wk_buf_append(&set, s->hashes, s->nhashes * WK_SIG_HASH_LEN);
    wk_buf_uleb(&set, s->nsigs);
    for (size_t j = 0; j < s->nsigs; j++) {
      const wk_sig_entry *r = &s->sigs[j];
      wk_buf rec = {0};
      wk_buf_uleb(&rec, r->key_id_len);
      if (r->key_id_len) wk_buf_append(&rec, r->key_id, r->key_id_len);
      wk_buf_byte(&rec, r->alg);
      wk_buf_uleb(&rec, r->sig_len);
      wk_buf_append(&rec, r->sig, r->sig_len);
      wk_buf_uleb(&set, rec.len);
      wk_buf_append(&set, rec.data, rec.len);
      if (rec.oom) set.oom = 1;
      wk_buf_free(&rec);
    }
    wk_buf_uleb(out, set.len);
    wk_buf_append(out, set.data, set.len);
    if (set.oom) out->oom = 1;
    wk_buf_free(&set);
  }
}
