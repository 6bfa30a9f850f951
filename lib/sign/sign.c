/*
 * Layout, signing, verification and splitting of WebAssembly binaries in the
 * tool-conventions signature format (Signatures.md). Section framing comes
 * from lib/encode's section reader; hashing and signatures from OpenSSL EVP.
 */
#include "sign/sign.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>

#include "encode/sections.h"

static const char SIG_NAME[] = "signature";
static const char DELIM_NAME[] = "signature_delimiter";

static int name_is(const wk_section *s, const char *name) {
  size_t n = strlen(name);
  return s->id == 0 && s->name_len == n && memcmp(s->name, name, n) == 0;
}

/* ---------------------------------------------------------------- layout */

int wk_sig_layout_compute(const uint8_t *data, size_t len, int detached, wk_arena *arena, wk_sig_layout *out,
                          wk_error *err) {
  memset(out, 0, sizeof *out);
  wk_section_iter it;
  wk_section sec;
  int r;
  if (wk_sections_begin(&it, data, len, err)) return WK_ERR_MALFORMED;
  out->kind = it.kind;
  out->body_offset = 8;

  /* Pass 1: framing, the signature section, and the number of delimiters. */
  size_t ndelim = 0, nsec = 0;
  int first = 1, last_is_delim = 0;
  while ((r = wk_sections_next(&it, &sec, err)) == 1) {
    if (name_is(&sec, SIG_NAME)) {
      if (!first)
        return wk_error_at(err, WK_ERR_MALFORMED, sec.offset,
                           "a signature section must be the first section (Signatures.md), found one later");
      if (!detached) {
        out->has_embedded = 1;
        out->sig_section_offset = sec.offset;
        out->sig_payload_offset = sec.content_offset;
        out->sig_payload_len = sec.end - sec.content_offset;
        out->body_offset = sec.end;
        first = 0;
        continue;
      }
    }
    first = 0;
    nsec++;
    last_is_delim = name_is(&sec, DELIM_NAME);
    if (last_is_delim) ndelim++;
  }
  if (r < 0) return WK_ERR_MALFORMED;
  out->nsections = nsec;
  size_t nparts = ndelim + (last_is_delim ? 0 : 1);
  out->nparts = nparts;
  out->part_end = wk_arena_alloc(arena, nparts * sizeof *out->part_end);
  out->part_first_section = wk_arena_alloc(arena, nparts * sizeof(size_t));
  out->part_last_section = wk_arena_alloc(arena, nparts * sizeof(size_t));
  out->part_delimited = wk_arena_alloc(arena, nparts * sizeof(int));
  out->part_hash = wk_arena_alloc(arena, nparts * WK_SIG_HASH_LEN);
  if (!out->part_end || !out->part_first_section || !out->part_last_section || !out->part_delimited ||
      !out->part_hash)
    return wk_error_set(err, WK_ERR_NOMEM, "out of memory");

  /* Pass 2: rolling SHA-256 (Signatures.md "Signature data": h_i = H(p1‖d1‖…‖p_i‖d_i)). */
  EVP_MD_CTX *ctx = EVP_MD_CTX_new(), *tmp = EVP_MD_CTX_new();
  int rc = WK_OK;
  if (!ctx || !tmp || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
    rc = wk_error_set(err, WK_ERR_NOMEM, "cannot initialize SHA-256");
    goto done;
  }
  size_t hashed_to = out->body_offset, part = 0, idx = 0, part_first = 0;
  if (wk_sections_begin(&it, data, len, err)) { rc = WK_ERR_MALFORMED; goto done; }
  it.pos = out->body_offset;
  while ((r = wk_sections_next(&it, &sec, err)) == 1) {
    if (name_is(&sec, DELIM_NAME)) {
      unsigned hl = 0;
      if (EVP_DigestUpdate(ctx, data + hashed_to, sec.end - hashed_to) != 1 || EVP_MD_CTX_copy_ex(tmp, ctx) != 1 ||
          EVP_DigestFinal_ex(tmp, out->part_hash + part * WK_SIG_HASH_LEN, &hl) != 1) {
        rc = wk_error_set(err, WK_ERR_NOMEM, "SHA-256 failed");
        goto done;
      }
      hashed_to = sec.end;
      out->part_end[part] = sec.end;
      out->part_first_section[part] = part_first;
      out->part_last_section[part] = idx;
      out->part_delimited[part] = 1;
      part++;
      part_first = idx + 1;
    }
    idx++;
  }
  if (r < 0) { rc = WK_ERR_MALFORMED; goto done; }
  if (part < nparts) { /* trailing part without a delimiter (or an empty body) */
    unsigned hl = 0;
    if (EVP_DigestUpdate(ctx, data + hashed_to, len - hashed_to) != 1 ||
        EVP_DigestFinal_ex(ctx, out->part_hash + part * WK_SIG_HASH_LEN, &hl) != 1) {
      rc = wk_error_set(err, WK_ERR_NOMEM, "SHA-256 failed");
      goto done;
    }
    out->part_end[part] = len;
    out->part_first_section[part] = part_first;
    out->part_last_section[part] = idx ? idx - 1 : 0;
    out->part_delimited[part] = 0;
  }
done:
  EVP_MD_CTX_free(ctx);
  EVP_MD_CTX_free(tmp);
  return rc;
}

/* ------------------------------------------------------------------ sign */

static int same_key_id(const wk_sig_entry *e, const uint8_t *id) {
  return e->key_id_len == WK_SIG_KEY_ID_LEN && memcmp(e->key_id, id, WK_SIG_KEY_ID_LEN) == 0;
}

int wk_sign_module(const uint8_t *in, size_t len, const wk_sign_key *key, int detached, const uint8_t *prev_detached,
                   size_t prev_len, wk_buf *out_head, size_t *body_offset, wk_buf *out_sig, size_t *stale_sets,
                   wk_error *err) {
  wk_arena arena = {0};
  wk_sig_layout lay;
  wk_sig_data prev, next;
  wk_buf msg = {0}, sig = {0}, enc = {0};
  int rc = wk_sig_layout_compute(in, len, detached, &arena, &lay, err);
  if (rc) goto out;
  memset(&prev, 0, sizeof prev);
  if (!detached && lay.has_embedded) {
    rc = wk_sig_data_parse(in + lay.sig_payload_offset, lay.sig_payload_len, lay.sig_payload_offset, &arena, &prev, err);
    if (rc) goto out;
  } else if (detached && prev_detached) {
    rc = wk_sig_data_parse(prev_detached, prev_len, 0, &arena, &prev, err);
    if (rc) goto out;
  }
  if (lay.nparts > WK_SIG_MAX_HASHES) {
    rc = wk_error_at(err, WK_ERR_UNSUPPORTED, lay.body_offset, "%zu parts: at most %d can be signed", lay.nparts,
                     WK_SIG_MAX_HASHES);
    goto out;
  }
  wk_sig_message(lay.part_hash, lay.nparts, &msg);
  if (msg.oom) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto out; }
  rc = wk_sign_raw(key, msg.data, msg.len, &sig, err);
  if (rc) goto out;

  wk_sig_entry entry = {.key_id = wk_sign_key_id(key),
                        .key_id_len = WK_SIG_KEY_ID_LEN,
                        .alg = (uint8_t)wk_sign_key_alg(key),
                        .sig = sig.data,
                        .sig_len = sig.len};
  /* Multiple signers (wasmsign2 sign_multi): join the set over the same hashes, else add a set. */
  next = prev;
  next.spec_version = WK_SIG_SPEC_VERSION;
  next.content_type = WK_SIG_CONTENT_WASM;
  next.hash_fn = WK_SIG_HASH_SHA256;
  next.sets = wk_arena_alloc(&arena, (prev.nsets + 1) * sizeof *next.sets);
  if (!next.sets) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto out; }
  if (prev.nsets) memcpy(next.sets, prev.sets, prev.nsets * sizeof *next.sets);
  size_t si = prev.nsets, stale = 0;
  for (size_t i = 0; i < prev.nsets; i++) {
    if (prev.sets[i].nhashes == lay.nparts &&
        memcmp(prev.sets[i].hashes, lay.part_hash, lay.nparts * WK_SIG_HASH_LEN) == 0) {
      if (si == prev.nsets) si = i;
    } else {
      stale++;
    }
  }
  if (stale_sets) *stale_sets = stale;
  if (si < prev.nsets) {
    wk_sig_set *s = &next.sets[si];
    for (size_t j = 0; j < s->nsigs; j++)
      if (same_key_id(&s->sigs[j], entry.key_id) && s->sigs[j].alg == entry.alg) {
        rc = wk_error_at(err, WK_ERR_INVALID, s->sigs[j].offset, "already signed by this key over the same content");
        goto out;
      }
    if (s->nsigs >= WK_SIG_MAX_SIGS) {
      rc = wk_error_at(err, WK_ERR_UNSUPPORTED, s->offset, "too many signatures (max %d)", WK_SIG_MAX_SIGS);
      goto out;
    }
    wk_sig_entry *sigs = wk_arena_alloc(&arena, (s->nsigs + 1) * sizeof *sigs);
    if (!sigs) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto out; }
    if (s->nsigs) memcpy(sigs, s->sigs, s->nsigs * sizeof *sigs);
    sigs[s->nsigs] = entry;
    s->sigs = sigs;
    s->nsigs++;
  } else {
    if (prev.nsets >= WK_SIG_MAX_SETS) {
      rc = wk_error_set(err, WK_ERR_UNSUPPORTED, "too many signed hash sets (max %d)", WK_SIG_MAX_SETS);
      goto out;
    }
    wk_sig_set *s = &next.sets[next.nsets++];
    memset(s, 0, sizeof *s);
    s->nhashes = lay.nparts;
    s->hashes = lay.part_hash;
    s->nsigs = 1;
    s->sigs = wk_arena_alloc(&arena, sizeof *s->sigs);
    if (!s->sigs) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto out; }
    s->sigs[0] = entry;
  }
  wk_sig_data_encode(&next, &enc);
  if (enc.oom) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto out; }
  if (out_sig) wk_buf_append(out_sig, enc.data, enc.len);
  if (body_offset) *body_offset = lay.body_offset;
  if (!detached && out_head) {
    /* signature custom section first (Core 5.5.3 custom section: name ‖ bytes); the body follows verbatim. */
    wk_buf_append(out_head, in, 8);
    wk_buf_byte(out_head, 0);
    wk_buf_uleb(out_head, 1 + (sizeof SIG_NAME - 1) + enc.len);
    wk_buf_uleb(out_head, sizeof SIG_NAME - 1);
    wk_buf_append(out_head, SIG_NAME, sizeof SIG_NAME - 1);
    wk_buf_append(out_head, enc.data, enc.len);
    if (out_head->oom) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto out; }
  }
  if (out_sig && out_sig->oom) rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory");
out:
  wk_buf_free(&msg);
  if (sig.data) OPENSSL_cleanse(sig.data, sig.cap);
  wk_buf_free(&sig);
  wk_buf_free(&enc);
  wk_arena_free(&arena);
  return rc;
}

/* ---------------------------------------------------------------- verify */

static void hex(char *dst, const uint8_t *p, size_t n) {
  static const char d[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    dst[2 * i] = d[p[i] >> 4];
    dst[2 * i + 1] = d[p[i] & 15];
  }
  dst[2 * n] = 0;
}

int wk_verify_module(const uint8_t *data, size_t len, const uint8_t *detached, size_t detached_len,
                     wk_sign_key *const *keys, size_t nkeys, int partial, wk_verify_result *res, wk_error *err) {
  wk_arena arena = {0};
  wk_sig_layout lay;
  wk_sig_data sd;
  wk_buf msg = {0};
  int rc = wk_sig_layout_compute(data, len, detached != NULL, &arena, &lay, err);
  if (rc) {
    /* Framing that runs past the end of the input is what a truncated file looks like. */
    if (err && (strstr(err->msg, "past the end") || strstr(err->msg, "unexpected end"))) {
      char m[sizeof err->msg];
      snprintf(m, sizeof m, "truncated or malformed file: %.450s", err->msg);
      snprintf(err->msg, sizeof err->msg, "%s", m);
    }
    goto out;
  }
  if (detached) {
    rc = wk_sig_data_parse(detached, detached_len, 0, &arena, &sd, err);
    if (rc) {
      if (err) {
        char m[sizeof err->msg];
        snprintf(m, sizeof m, "detached signature at byte %llu: %.400s", (unsigned long long)err->offset, err->msg);
        wk_error_at(err, rc, 8, "%s", m);
      }
      goto out;
    }
  } else if (lay.has_embedded) {
    rc = wk_sig_data_parse(data + lay.sig_payload_offset, lay.sig_payload_len, lay.sig_payload_offset, &arena, &sd,
                           err);
    if (rc) goto out;
  } else {
    rc = wk_error_at(err, WK_ERR_VERIFY, 8, "no signature: the binary has no signature section and no detached "
                                            "signature was given");
    goto out;
  }

  /* What went wrong, for the error message (most specific wins). */
  int best_partial = 0; /* parts verified by the best partial match */
  wk_verify_result best = {0};
  int seen_key_id = 0, bad_sig = 0, mismatch = 0;
  size_t bad_sig_off = 0, mismatch_part = 0, mismatch_key = 0;
  size_t mismatch_nhashes = 0;
  for (size_t k = 0; k < nkeys; k++) {
    const uint8_t *kid = wk_sign_key_id(keys[k]);
    int alg = wk_sign_key_alg(keys[k]);
    for (size_t s = 0; s < sd.nsets; s++) {
      const wk_sig_set *set = &sd.sets[s];
      int msg_ready = 0;
      for (size_t j = 0; j < set->nsigs; j++) {
        const wk_sig_entry *e = &set->sigs[j];
        if (e->alg != alg) continue;
        /* wasmsign2 valid_hashes_for_pk: a record with a different key id is not this key's. */
        if (e->key_id_len && !same_key_id(e, kid)) continue;
        if (e->key_id_len) seen_key_id = 1;
        if (!msg_ready) {
          msg.len = 0;
          wk_sig_message(set->hashes, set->nhashes, &msg);
          if (msg.oom) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto out; }
          msg_ready = 1;
        }
        if (wk_verify_raw(keys[k], msg.data, msg.len, e->sig, e->sig_len, NULL) != WK_OK) {
          if (!bad_sig || e->key_id_len) bad_sig_off = e->offset;
          bad_sig = 1;
          continue;
        }
        /* The signature is genuine: now the content must match its hashes. */
        size_t m = 0;
        while (m < set->nhashes && m < lay.nparts &&
               CRYPTO_memcmp(set->hashes + m * WK_SIG_HASH_LEN, lay.part_hash + m * WK_SIG_HASH_LEN,
                             WK_SIG_HASH_LEN) == 0)
          m++;
        wk_verify_result cur = {.key_index = k, .set_index = s, .sig_index = j, .nparts = lay.nparts,
                                .body_offset = lay.body_offset};
        if (!partial) {
          if (m == set->nhashes && m == lay.nparts) {
            cur.parts_verified = m;
            cur.verified_end = len;
            if (res) *res = cur;
            rc = WK_OK;
            goto out;
          }
        } else if (m == set->nhashes && m == lay.nparts) {
          /* Partial verification that happens to cover everything. */
          if ((int)m + 1 > best_partial) {
            best_partial = (int)m + 1;
            cur.parts_verified = m;
            cur.verified_end = len;
            best = cur;
          }
        } else {
          /* Partial verification: the matched prefix counts up to its last delimiter. */
          size_t d = m;
          while (d > 0 && !lay.part_delimited[d - 1]) d--;
          if (d > 0 && (int)d > best_partial) {
            best_partial = (int)d;
            cur.parts_verified = d;
            cur.verified_end = lay.part_end[d - 1];
            best = cur;
          }
        }
        if (!mismatch || m < mismatch_part) {
          mismatch_part = m;
          mismatch_key = k;
          mismatch_nhashes = set->nhashes;
        }
        mismatch = 1;
      }
    }
  }
  if (partial && best_partial > 0) {
    if (res) *res = best;
    rc = WK_OK;
    goto out;
  }
  if (mismatch) {
    char id[2 * WK_SIG_KEY_ID_LEN + 1];
    hex(id, wk_sign_key_id(keys[mismatch_key]), WK_SIG_KEY_ID_LEN);
    if (mismatch_part < lay.nparts && mismatch_part < mismatch_nhashes) {
      size_t start = mismatch_part ? lay.part_end[mismatch_part - 1] : lay.body_offset;
      rc = wk_error_at(err, WK_ERR_VERIFY, start,
                       "content does not match the signature by key %s: part %zu of %zu (bytes %zu..%zu) differs "
                       "from what was signed (modified or truncated)",
                       id, mismatch_part + 1, lay.nparts, start, lay.part_end[mismatch_part]);
    } else if (partial) {
      rc = wk_error_at(err, WK_ERR_VERIFY, lay.body_offset,
                       "no signed part ending with a signature_delimiter matches (key %s)", id);
    } else {
      /* Fewer parts than hashes: content ends early; more: extra content starts after the signed parts. */
      size_t off = mismatch_part >= lay.nparts ? len : lay.part_end[mismatch_part - 1];
      rc = wk_error_at(err, WK_ERR_VERIFY, off,
                       "content does not match the signature by key %s: the binary has %zu part(s), the "
                       "signature covers %zu (truncated or extended; try --split for partial verification)",
                       id, lay.nparts, mismatch_nhashes);
    }
  } else if (bad_sig) {
    rc = wk_error_at(err, WK_ERR_VERIFY, bad_sig_off,
                     "signature%s does not verify with the given key: the signature data was modified",
                     seen_key_id ? " with a matching key id" : "");
  } else {
    size_t nsig = 0;
    for (size_t s = 0; s < sd.nsets; s++) nsig += sd.sets[s].nsigs;
    char ids[160] = "";
    size_t used = 0;
    for (size_t s = 0; s < sd.nsets && used + 40 < sizeof ids; s++)
      for (size_t j = 0; j < sd.sets[s].nsigs && used + 40 < sizeof ids; j++) {
        const wk_sig_entry *e = &sd.sets[s].sigs[j];
        char h[2 * WK_SIG_KEY_ID_LEN + 1] = "-";
        if (e->key_id_len == WK_SIG_KEY_ID_LEN) hex(h, e->key_id, WK_SIG_KEY_ID_LEN);
        const char *an = wk_sig_alg_name(e->alg);
        used += (size_t)snprintf(ids + used, sizeof ids - used, "%s%s/%s", used ? ", " : "", h, an ? an : "unknown");
      }
    size_t off = detached ? 8 : lay.sig_section_offset;
    rc = wk_error_at(err, WK_ERR_VERIFY, off, "unknown key: none of the %zu signature(s) is by the given key(s)%s%s%s",
                     nsig, nsig ? " (present: " : "", ids, nsig ? ")" : "");
  }
out:
  wk_buf_free(&msg);
  wk_arena_free(&arena);
  return rc;
}

/* ----------------------------------------------------------------- split */

static void put_delimiter(wk_buf *out, wk_error *err, int *rc) {
  uint8_t rnd[WK_SIG_DELIMITER_LEN];
  if (RAND_bytes(rnd, sizeof rnd) != 1) {
    *rc = wk_error_set(err, WK_ERR_UNSUPPORTED, "random number generator failed");
    return;
  }
  wk_buf_byte(out, 0);
  wk_buf_uleb(out, 1 + (sizeof DELIM_NAME - 1) + sizeof rnd);
  wk_buf_uleb(out, sizeof DELIM_NAME - 1);
  wk_buf_append(out, DELIM_NAME, sizeof DELIM_NAME - 1);
  wk_buf_append(out, rnd, sizeof rnd);
}

int wk_sign_split(const uint8_t *in, size_t len, int (*select)(void *ctx, int id, const char *name, size_t name_len),
                  void *ctx, wk_buf *out, size_t *ndelims_added, wk_error *err) {
  wk_section_iter it;
  wk_section sec;
  int r, rc = WK_OK;
  size_t added = 0;
  if (wk_sections_begin(&it, in, len, err)) return WK_ERR_MALFORMED;
  wk_buf_append(out, in, 8);
  int prev_sel = -1, last_delim = 1, first = 1, any = 0;
  while ((r = wk_sections_next(&it, &sec, err)) == 1) {
    int is_first = first;
    first = 0;
    if (name_is(&sec, SIG_NAME)) {
      if (!is_first)
        return wk_error_at(err, WK_ERR_MALFORMED, sec.offset, "a signature section must be the first section");
      wk_buf_append(out, in + sec.offset, sec.end - sec.offset);
      continue;
    }
    any = 1;
    if (name_is(&sec, DELIM_NAME)) {
      wk_buf_append(out, in + sec.offset, sec.end - sec.offset);
      last_delim = 1;
      continue;
    }
    int sel = select(ctx, sec.id, sec.name, sec.name_len) ? 1 : 0;
    if (prev_sel >= 0 && sel != prev_sel && !last_delim) {
      put_delimiter(out, err, &rc);
      added++;
    }
    prev_sel = sel;
    last_delim = 0;
    wk_buf_append(out, in + sec.offset, sec.end - sec.offset);
  }
  if (r < 0) return WK_ERR_MALFORMED;
  if (any && !last_delim) {
    put_delimiter(out, err, &rc);
    added++;
  }
  if (rc) return rc;
  if (out->oom) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  if (ndelims_added) *ndelims_added = added;
  return WK_OK;
}
