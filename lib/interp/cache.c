/*
 * AOT cache for translated modules (DESIGN.md "AOT cache").
 *
 * Key: SHA-256 (lib/base/sha256.c, not OpenSSL: loading libcrypto cost wrun's start-up more than
 * translating hello world) over the wasm bytes (less the contents of data
 * segments and of custom sections other than "name", see hash_wasm), the engine version, the
 * code format version, a fingerprint of the instruction set (so a build with
 * different opcodes never reads another's entries) and every configuration
 * setting that changes the translated code (today: consume_fuel, the 3.0 features). The entry is <cache_dir>/<hex key>.wkc:
 *
 *   "WKITAOT\0" | u32 format | key[32] | u64 payload length | u64 model length | digest[32] | payload
 *
 * payload = the module model | zero padding to a page boundary of the file | the threaded code
 * (m->tcode[0], guard-page loop). The digest is a fast 4x64-bit lane hash of the payload (not
 * SHA-256: it guards against corruption, an entry of a big module is 100+ MB and SHA-256 of it
 * cost more than translating).
 *
 * The payload is the module model and its position-independent code, little
 * endian. The code is stored already threaded for this build (its label offsets are in the
 * key) and is mapped back with mmap, not copied: a hit costs a digest pass over the entry. Data segment contents are not copied into the entry: the key
 * proves the wasm given to wk_module_new is the one the entry was made from,
 * so a segment is stored as (file offset, length) and its bytes are taken
 * from that wasm on a hit (a big data section would otherwise be read,
 * hashed and copied twice per hit). The code array is stored as raw words
 * and taken with one memcpy on little-endian hosts. Loading checks the
 * header, the key and the payload digest, then rebuilds the module model.
 * Entries are only ever replaced by rename, never rewritten in place: a
 * mapped entry stays valid while its module lives. Anything
 * unexpected (missing, stale, truncated or corrupt entry) is a cache miss,
 * never an error. Entries are written atomically (wk_write_file_atomic:
 * temp file + rename). The digest protects against corruption, not against
 * someone who can write the cache directory: that directory must be trusted.
 */
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/sha256.h"

#include "interp/internal.h"

#define CACHE_FORMAT 10u /* 6: 64-bit limits (memory64, table64); 7: tags and try_table handlers (exception handling);
                           8: legacy exception handling (CATCH kinds 4 and 5, delegate handlers: n = 0) or
                              typed function references (types' full value types, table initialisers);
                           9: both; 10: GC (the types' rec groups, supertypes and fields: wk_module.gctypes,
                              gc_elems; the IOP_GC instruction) */
#define CACHE_PAGE 4096u
static const char cache_magic[8] = {'W', 'K', 'I', 'T', 'A', 'O', 'T', 0};

/* payload digest: 4 independent lanes (multiply-rotate rounds over 8-byte words), then mixed */
static inline uint64_t rotl64(uint64_t x, unsigned r) { return x << r | x >> (64 - r); }
static void fast_digest(const uint8_t *p, size_t n, uint8_t out[32]) {
  const uint64_t P1 = 0x9E3779B185EBCA87ull, P2 = 0xC2B2AE3D27D4EB4Full, P3 = 0x165667B19E3779F9ull;
  uint64_t a[4] = {P1 + P2, P2, 0, (uint64_t)0 - P1};
  size_t i = 0;
  for (; n - i >= 32; i += 32)
    for (int k = 0; k < 4; k++) {
      uint64_t v;
      memcpy(&v, p + i + 8 * k, 8);
      a[k] = rotl64(a[k] + v * P2, 31) * P1;
    }
  uint8_t tail[32] = {0};
  memcpy(tail, p + i, n - i);
  for (int k = 0; k < 4; k++) {
    uint64_t v;
    memcpy(&v, tail + 8 * k, 8);
    a[k] = rotl64(a[k] + (v ^ n) * P2, 31) * P1;
  }
  for (int r = 0; r < 2; r++)
    for (int k = 0; k < 4; k++) {
      uint64_t x = a[k] ^ rotl64(a[(k + 1) & 3], 17) ^ (a[(k + 2) & 3] >> 7);
      x ^= x >> 33, x *= P2, x ^= x >> 29, x *= P3, x ^= x >> 32;
      a[k] = x;
    }
  memcpy(out, a, 32);
}

/* fingerprint of the instruction set (names and lengths, in order): builds whose translated code
 * differs get different keys even under the same version number */
static uint64_t iset_fingerprint(void) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (int i = 0; i < IOP__COUNT; i++) {
    for (const char *p = wk_iop_names[i]; *p; p++) h = (h ^ (uint8_t)*p) * 1099511628211ull;
    h = (h ^ wk_iop_words[i]) * 1099511628211ull;
  }
  return h;
}

/* ---- key: which wasm bytes are hashed ----
 * Everything except bytes that cannot change the entry: the contents of data
 * segments (an entry refers to them by file offset and they are read from the
 * wasm itself on a hit) and the contents of custom sections other than "name"
 * (Core 5.5.3: custom sections do not affect semantics; the translator reads
 * only the name section, Core 7.4). All structure bytes are hashed, section
 * and segment sizes included, so the skipped ranges are a function of the
 * hashed bytes: two modules with one key differ only inside skipped ranges.
 * The walk mirrors the binary format (Core 5.5.2 sections, 5.5.14 data
 * section, constant expressions i32/i64.const and global.get); at anything
 * else it stops skipping and the rest of the file is hashed as is. */
typedef struct kwalk {
  const uint8_t *b;
  wk_sha256 *c;
  size_t from; /* first byte not yet fed to the digest */
} kwalk;
static void kskip(kwalk *w, size_t at, size_t n) { /* leave [at, at+n) out of the digest */
  if (at > w->from) wk_sha256_update(w->c, w->b + w->from, at - w->from);
  w->from = at + n;
}
/* a u32 LEB128 (Core 5.2.2) at *pos below `end`, lib/encode's reader; 0 on anything odd */
static int ku32(const uint8_t *b, size_t end, size_t *pos, uint32_t *v) {
  uint64_t x;
  wk_error e;
  if (wk_read_uleb(b, end, pos, 32, &x, &e) != WK_OK) return 0;
  *v = (uint32_t)x;
  return 1;
}
/* Core 5.5.14 data section [pos, end); 1 if it was walked to `end`. Offset expressions are read
 * with lib/encode's instruction reader (one constant instruction, then end). */
static int kdata(kwalk *w, size_t pos, size_t end) {
  const uint8_t *b = w->b;
  uint32_t n, flags, u, sz;
  wk_error e;
  wk_insn in;
  if (!ku32(b, end, &pos, &n)) return 0;
  for (uint32_t i = 0; i < n; i++) {
    if (!ku32(b, end, &pos, &flags) || flags > 2) return 0;
    if (flags == 2 && !ku32(b, end, &pos, &u)) return 0;
    if (flags != 1) { /* constant expression: i32.const, i64.const or global.get, then end */
      if (wk_insn_read(b, end, &pos, &in, &e) != WK_OK) return 0;
      if (in.op != WK_OP_I32_CONST && in.op != WK_OP_I64_CONST && in.op != WK_OP_GLOBAL_GET) return 0;
      if (wk_insn_read(b, end, &pos, &in, &e) != WK_OK || in.op != WK_OP_END) return 0;
    }
    if (!ku32(b, end, &pos, &sz) || sz > end - pos) return 0;
    kskip(w, pos, sz);
    pos += sz;
  }
  return pos == end;
}
/* the sections, with lib/encode's section reader (Core 5.5.2); at anything it rejects, the
 * rest of the file is hashed as is */
static int hash_wasm(wk_sha256 *c, const uint8_t *b, size_t len) {
  kwalk w = {b, c, 0};
  wk_section_iter it;
  wk_section sec;
  wk_error e;
  if (wk_sections_begin(&it, b, len, &e) == WK_OK && it.kind == WK_BIN_MODULE) {
    while (wk_sections_next(&it, &sec, &e) == 1) {
      if (sec.id == 0) {
        int is_name = sec.name_len == 4 && !memcmp(sec.name, "name", 4);
        if (!is_name) kskip(&w, sec.content_offset, sec.end - sec.content_offset);
      } else if (sec.id == 11) {
        if (!kdata(&w, sec.payload_offset, sec.end)) break;
      }
    }
  }
  if (len > w.from) wk_sha256_update(c, b + w.from, len - w.from);
  return 1;
}

size_t wk_cache_code_bytes(const uint8_t *b, size_t len) {
  wk_section_iter it;
  wk_section sec;
  wk_error e;
  if (wk_sections_begin(&it, b, len, &e) != WK_OK) return 0;
  while (wk_sections_next(&it, &sec, &e) == 1)
    if (sec.id == 10) return sec.payload_len;
  return 0;
}

/* The configuration part of every key (module entries and group indexes): what changes the
 * translated code besides the wasm bytes. Its length, or -1. */
static int cache_cfg(const wk_engine *e, size_t len, char cfg[200]) {
  int n = snprintf(cfg, 200, "wkit-interp %s format %u iset %016llx thread %016llx fuel %d len %zu",
                   WK_VERSION, CACHE_FORMAT, (unsigned long long)iset_fingerprint(),
                   (unsigned long long)wk_thread_fingerprint(), e->cfg.consume_fuel ? 1 : 0, len);
  /* the accepted features decide validity (a cached module is not validated again) */
  if (n >= 0 && n < 200 && e->cfg.features) n += snprintf(cfg + n, 200 - (size_t)n, " features %x", e->cfg.features);
  return n < 0 || n >= 200 ? -1 : n;
}

int wk_cache_key(const wk_engine *e, const uint8_t *bytes, size_t len, uint8_t key[32]) {
  char cfg[200];
  int n = cache_cfg(e, len, cfg);
  if (n < 0) return -1;
  wk_sha256 c;
  if (wk_sha256_init(&c) != 0) return -1; /* no libcrypto: no key, so the cache is skipped */
  wk_sha256_update(&c, cfg, (size_t)n);
  int ok = hash_wasm(&c, bytes, len);
  if (wk_sha256_final(&c, key) != 0) return -1;
  return ok ? 0 : -1;
}

/* lower-case hex of a key (not snprintf per byte: 32 calls of it were 23K instructions a key) */
static void key_hex(const uint8_t key[32], char hex[65]) {
  static const char digits[] = "0123456789abcdef";
  for (int i = 0; i < 32; i++) hex[2 * i] = digits[key[i] >> 4], hex[2 * i + 1] = digits[key[i] & 15];
  hex[64] = 0;
}
static void cache_path(const wk_engine *e, const uint8_t key[32], char *out, size_t cap) {
  char hex[65];
  key_hex(key, hex);
  snprintf(out, cap, "%s/%s.wkc", e->cfg.cache_dir, hex);
}

/* ---- writer ---- */
static void w32(wk_buf *b, uint32_t v) {
  uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
  wk_buf_append(b, x, 4);
}
static void w64(wk_buf *b, uint64_t v) {
  w32(b, (uint32_t)v);
  w32(b, (uint32_t)(v >> 32));
}
static void wbytes(wk_buf *b, const void *p, uint32_t n) {
  w32(b, n);
  if (n) wk_buf_append(b, p, n);
}
static void wstr(wk_buf *b, const char *s, uint32_t n) {
  if (!s) {
    w32(b, UINT32_MAX);
    return;
  }
  wbytes(b, s, n);
}
static void wlim(wk_buf *b, const wk_limits *l) {
  w64(b, l->min); /* 64-bit: memory64 limits (Core 3.0 2.3.10) */
  w64(b, l->max);
  wk_buf_byte(b, (uint8_t)l->has_max);
  wk_buf_byte(b, l->is64);
}
static void wcexpr(wk_buf *b, const wk_cexpr *c) {
  wk_buf_byte(b, c->op);
  w32(b, c->idx);
  w64(b, c->op == WK_CEXPR_EXT ? 0 : c->bits);
  if (c->op == 0xfd) w64(b, c->hi); /* v128.const */
  if (c->op == WK_CEXPR_EXT) wk_buf_append(b, c->expr, c->idx); /* extended: the expression's bytes */
}

/* n little-endian words */
static void wwords(wk_buf *b, const uint32_t *w, size_t n) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (n) wk_buf_append(b, w, n * sizeof *w);
#else
  for (size_t i = 0; i < n; i++) w32(b, w[i]);
#endif
}

static void serialize(const wk_module *m, wk_buf *b) {
  w32(b, m->ntypes);
  for (uint32_t i = 0; i < m->ntypes; i++) {
    wbytes(b, m->types[i].params, m->types[i].nparams);
    wbytes(b, m->types[i].results, m->types[i].nresults);
    /* typed references: the full value types (wk_module.types hts), for type identity */
    wk_buf_byte(b, m->types[i].hts != NULL);
    if (m->types[i].hts)
      for (uint32_t k = 0; k < m->types[i].nparams + m->types[i].nresults; k++) w32(b, m->types[i].hts[k]);
  }
  w32(b, m->nimports);
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wk_mimport *im = &m->imports[i];
    wstr(b, im->module, (uint32_t)strlen(im->module));
    wstr(b, im->name, (uint32_t)strlen(im->name));
    wk_buf_byte(b, im->kind);
    w32(b, im->type);
    wk_buf_byte(b, im->vtype);
    wk_buf_byte(b, im->mut);
    w32(b, im->vfull);
    wlim(b, &im->lim);
  }
  w32(b, m->nfuncs);
  w32(b, m->nfunc_imports);
  for (uint32_t i = 0; i < m->nfuncs; i++) w32(b, m->func_type[i]);
  for (uint32_t i = 0; i < m->nfuncs - m->nfunc_imports; i++) {
    const wk_mfunc *f = &m->funcs[i];
    w32(b, f->type), w32(b, f->nlocals), w32(b, f->frame), w32(b, f->code), w32(b, f->body_off);
  }
  w32(b, m->ntables);
  w32(b, m->ntable_imports);
  for (uint32_t i = 0; i < m->ntables; i++) {
    wk_buf_byte(b, m->tables[i].et);
    w32(b, m->tables[i].vfull);
    wlim(b, &m->tables[i].lim);
    wk_buf_byte(b, m->tables[i].has_init);
    if (m->tables[i].has_init) wcexpr(b, &m->tables[i].init);
  }
  w32(b, m->nmems);
  w32(b, m->nmem_imports);
  for (uint32_t i = 0; i < m->nmems; i++) wlim(b, &m->mems[i]);
  w32(b, m->nglobals);
  w32(b, m->nglobal_imports);
  for (uint32_t i = 0; i < m->nglobals; i++) {
    wk_buf_byte(b, m->globals[i].type);
    wk_buf_byte(b, m->globals[i].mut);
    w32(b, m->globals[i].vfull);
    wcexpr(b, &m->globals[i].init);
  }
  w32(b, m->nexports);
  for (uint32_t i = 0; i < m->nexports; i++) {
    wstr(b, m->exports[i].name, m->exports[i].name_len);
    wk_buf_byte(b, m->exports[i].kind);
    w32(b, m->exports[i].idx);
  }
  wk_buf_byte(b, (uint8_t)m->has_start);
  w32(b, m->start);
  w32(b, m->nelems);
  for (uint32_t i = 0; i < m->nelems; i++) {
    const wk_melem *e = &m->elems[i];
    wk_buf_byte(b, e->mode);
    wk_buf_byte(b, e->et);
    w32(b, e->table);
    wcexpr(b, &e->offset);
    w32(b, e->n);
    for (uint32_t k = 0; k < e->n; k++) wcexpr(b, &e->items[k]);
  }
  w32(b, m->ndatas);
  for (uint32_t i = 0; i < m->ndatas; i++) {
    const wk_mdata *d = &m->datas[i];
    wk_buf_byte(b, d->mode);
    w32(b, d->mem);
    wcexpr(b, &d->offset);
    w32(b, d->src_off); /* the bytes stay in the wasm */
    w32(b, d->len);
  }
  w64(b, m->ncode); /* the words follow the model, page aligned */
  w64(b, m->nsrcmap);
  wwords(b, m->srcmap, 2 * m->nsrcmap);
  char **names = wk_module_func_names(m);
  wk_buf_byte(b, names ? 1 : 0);
  if (names)
    for (uint32_t i = 0; i < m->nfuncs; i++) wstr(b, names[i], names[i] ? (uint32_t)strlen(names[i]) : 0);
  /* exception handling: tags (type indices, imports first), try_table handlers */
  w32(b, m->ntags);
  w32(b, m->ntag_imports);
  for (uint32_t i = 0; i < m->ntags; i++) w32(b, m->tag_type[i]);
  w32(b, m->nhandlers);
  for (uint32_t i = 0; i < m->nhandlers; i++)
    w32(b, m->handlers[i].start), w32(b, m->handlers[i].end), w32(b, m->handlers[i].catch_pc), w32(b, m->handlers[i].n);
  /* GC: per type its kind, finality, supertype, rec group and fields (gc.h wk_gc_deftype) */
  wk_buf_byte(b, m->gctypes != NULL);
  for (uint32_t i = 0; m->gctypes && i < m->ntypes; i++) {
    const wk_gc_deftype *d = &m->gctypes[i];
    wk_buf_byte(b, d->kind), wk_buf_byte(b, d->final);
    w32(b, d->super), w32(b, d->g0), w32(b, d->gn), w32(b, d->nfields), w32(b, d->nparams);
    for (uint32_t k = 0; k < d->nfields; k++) w32(b, d->vts[k]), wk_buf_byte(b, d->mut ? d->mut[k] : 0);
  }
  wk_buf_byte(b, m->gc_elems);
}

/* ---- reader: any inconsistency sets bad ---- */
typedef struct rdr {
  const uint8_t *p;
  size_t n, pos;
  int bad;
  wk_arena *a;
  const uint8_t *wasm; /* the module's bytes (data segments are copied from there) */
  size_t wasm_len;
  size_t ncode; /* code words that follow the model in the entry */
} rdr;
static uint32_t r32(rdr *r) {
  if (r->n - r->pos < 4) { r->bad = 1; return 0; }
  const uint8_t *x = r->p + r->pos;
  r->pos += 4;
  return (uint32_t)x[0] | (uint32_t)x[1] << 8 | (uint32_t)x[2] << 16 | (uint32_t)x[3] << 24;
}
static uint64_t r64(rdr *r) {
  uint64_t lo = r32(r);
  return lo | (uint64_t)r32(r) << 32;
}
static uint8_t r8(rdr *r) {
  if (r->pos >= r->n) { r->bad = 1; return 0; }
  return r->p[r->pos++];
}
static void *ralloc(rdr *r, uint64_t count, size_t size) {
  /* every element takes at least one payload byte: bound by what is left */
  if (r->bad || count > r->n - r->pos + 1 || (size && count > SIZE_MAX / size)) { r->bad = 1; return NULL; }
  void *p = wk_arena_alloc(r->a, (size_t)(count * size) + 1);
  if (!p) r->bad = 1;
  return p;
}
static uint8_t *rbytes(rdr *r, uint32_t *len) {
  uint32_t n = r32(r);
  if (r->bad || n > r->n - r->pos) { r->bad = 1; return NULL; }
  uint8_t *p = ralloc(r, n, 1);
  if (p && n) memcpy(p, r->p + r->pos, n);
  r->pos += n;
  if (len) *len = n;
  return p;
}
static char *rstr(rdr *r, uint32_t *len) {
  size_t save = r->pos;
  if (r32(r) == UINT32_MAX && !r->bad) {
    if (len) *len = 0;
    return NULL;
  }
  r->pos = save;
  return (char *)rbytes(r, len); /* ralloc zero-fills one extra byte: NUL-terminated */
}
/* n little-endian words into a new malloc'd array (NULL and bad on a short payload) */
static uint32_t *rwords(rdr *r, uint64_t n) {
  if (r->bad || n > (r->n - r->pos) / 4) { r->bad = 1; return NULL; }
  uint32_t *w = malloc((size_t)(n ? n : 1) * sizeof *w);
  if (!w) { r->bad = 1; return NULL; }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (n) memcpy(w, r->p + r->pos, (size_t)n * 4);
  r->pos += (size_t)n * 4;
#else
  for (size_t i = 0; i < n; i++) w[i] = r32(r);
#endif
  return w;
}

static wk_limits rlim(rdr *r) {
  wk_limits l;
  l.min = r64(r);
  l.max = r64(r);
  l.has_max = r8(r);
  l.is64 = r8(r);
  return l;
}
static wk_cexpr rcexpr(rdr *r) {
  wk_cexpr c;
  c.op = r8(r);
  c.idx = r32(r);
  c.bits = r64(r);
  c.hi = c.op == 0xfd ? r64(r) : 0;
  c.expr = NULL;
  if (c.op == WK_CEXPR_EXT) { /* (checked again when evaluated: wk_eval_cexpr) */
    if (r->bad || c.idx > r->n - r->pos) {
      r->bad = 1;
      return c;
    }
    uint8_t *p = ralloc(r, c.idx, 1);
    if (p && c.idx) memcpy(p, r->p + r->pos, c.idx);
    r->pos += c.idx;
    c.expr = p;
  }
  return c;
}

/* internal.h: the GC types of an entry as the translator builds them (gc_translate_int.h
 * gc_build_types from a validated module), what wk_gc_alloc_types and the translator rely on
 * without checking: rec groups that tile the types (each type starts a group right after the one
 * before, or continues it with the same bounds; the last ends at ntypes), a function type's fields
 * its params + results, every concrete heap type of a field a type index below the end of its rec
 * group (Core 3.0 3.2.10 / 3.4: a type refers to earlier groups and its own, never later ones:
 * wk_gc_alloc_types reads ids[] of it). (kind, super, nparams, g0, gn: checked as read.) */
int wk_cache_gc_types_ok(const wk_module *m) {
  const wk_gc_deftype *g = m->gctypes;
  for (uint32_t i = 0; i < m->ntypes; i++) {
    const wk_gc_deftype *d = &g[i];
    if (d->g0 > i || !d->gn || d->gn > m->ntypes - d->g0 || i - d->g0 >= d->gn) return 0;
    if (d->g0 == i ? i && g[i - 1].g0 + g[i - 1].gn != i : g[i - 1].g0 != d->g0 || g[i - 1].gn != d->gn) return 0;
    if (d->kind == RTT_FUNC && (d->nparams != m->types[i].nparams || d->nfields - d->nparams != m->types[i].nresults))
      return 0;
    if (d->nfields && !d->vts) return 0;
    for (uint32_t k = 0; k < d->nfields; k++) {
      wk_vt v = d->vts[k];
      if (wk_vt_is_ref(v) && wk_ht_is_idx(wk_vt_heap(v)) && wk_vt_heap(v) >= d->g0 + d->gn) return 0;
    }
  }
  return !m->ntypes || g[m->ntypes - 1].g0 + g[m->ntypes - 1].gn == m->ntypes;
}

static int deserialize(wk_module *m, rdr *r) {
  m->ntypes = r32(r);
  m->types = ralloc(r, m->ntypes, sizeof *m->types);
  for (uint32_t i = 0; i < m->ntypes && !r->bad; i++) {
    m->types[i].params = rbytes(r, &m->types[i].nparams);
    m->types[i].results = rbytes(r, &m->types[i].nresults);
    m->types[i].hts = NULL;
    if (r8(r) && !r->bad) {
      uint64_t n = (uint64_t)m->types[i].nparams + m->types[i].nresults;
      if (n * 4 > r->n - r->pos) { r->bad = 1; break; }
      uint32_t *h = ralloc(r, n + 1, sizeof *h);
      for (uint64_t k = 0; k < n && h; k++) h[k] = r32(r);
      m->types[i].hts = h;
    }
  }
  m->nimports = r32(r);
  m->imports = ralloc(r, m->nimports, sizeof *m->imports);
  for (uint32_t i = 0; i < m->nimports && !r->bad; i++) {
    wk_mimport *im = &m->imports[i];
    im->module = rstr(r, NULL);
    im->name = rstr(r, NULL);
    im->kind = r8(r);
    im->type = r32(r);
    im->vtype = r8(r);
    im->mut = r8(r);
    im->vfull = r32(r);
    im->lim = rlim(r);
    if (!im->module || !im->name || im->kind > WK_EXTERN_TAG ||
        ((im->kind == WK_EXTERN_FUNC || im->kind == WK_EXTERN_TAG) && im->type >= m->ntypes))
      r->bad = 1;
  }
  m->nfuncs = r32(r);
  m->nfunc_imports = r32(r);
  if (m->nfunc_imports > m->nfuncs) r->bad = 1;
  m->func_type = ralloc(r, m->nfuncs, sizeof *m->func_type);
  for (uint32_t i = 0; i < m->nfuncs && !r->bad; i++)
    if ((m->func_type[i] = r32(r)) >= m->ntypes) r->bad = 1;
  uint32_t nd = r->bad ? 0 : m->nfuncs - m->nfunc_imports;
  m->funcs = ralloc(r, nd, sizeof *m->funcs);
  for (uint32_t i = 0; i < nd && !r->bad; i++) {
    wk_mfunc *f = &m->funcs[i];
    f->type = r32(r), f->nlocals = r32(r), f->frame = r32(r), f->code = r32(r), f->body_off = r32(r);
    /* nparams counts slots: a v128 parameter takes two (simd.h) */
    if (f->type >= m->ntypes) r->bad = 1;
    else f->nparams = wk_slot_count(m->types[f->type].params, m->types[f->type].nparams);
    if (!r->bad && (f->frame < f->nlocals || f->nlocals < f->nparams)) r->bad = 1;
  }
  m->ntables = r32(r);
  m->ntable_imports = r32(r);
  m->tables = ralloc(r, m->ntables, sizeof *m->tables);
  for (uint32_t i = 0; i < m->ntables && !r->bad; i++) {
    m->tables[i].et = r8(r);
    m->tables[i].vfull = r32(r);
    m->tables[i].lim = rlim(r);
    m->tables[i].has_init = r8(r);
    if (m->tables[i].has_init) m->tables[i].init = rcexpr(r);
  }
  m->nmems = r32(r);
  m->nmem_imports = r32(r);
  m->mems = ralloc(r, m->nmems, sizeof *m->mems);
  for (uint32_t i = 0; i < m->nmems && !r->bad; i++) m->mems[i] = rlim(r);
  m->nglobals = r32(r);
  m->nglobal_imports = r32(r);
  m->globals = ralloc(r, m->nglobals, sizeof *m->globals);
  for (uint32_t i = 0; i < m->nglobals && !r->bad; i++) {
    m->globals[i].type = r8(r);
    m->globals[i].mut = r8(r);
    m->globals[i].vfull = r32(r);
    m->globals[i].init = rcexpr(r);
  }
  m->nexports = r32(r);
  m->exports = ralloc(r, m->nexports, sizeof *m->exports);
  for (uint32_t i = 0; i < m->nexports && !r->bad; i++) {
    m->exports[i].name = rstr(r, &m->exports[i].name_len);
    m->exports[i].kind = r8(r);
    m->exports[i].idx = r32(r);
    if (!m->exports[i].name) r->bad = 1;
  }
  m->has_start = r8(r);
  m->start = r32(r);
  m->nelems = r32(r);
  m->elems = ralloc(r, m->nelems, sizeof *m->elems);
  for (uint32_t i = 0; i < m->nelems && !r->bad; i++) {
    wk_melem *e = &m->elems[i];
    e->mode = r8(r);
    e->et = r8(r);
    e->table = r32(r);
    e->offset = rcexpr(r);
    e->n = r32(r);
    e->items = ralloc(r, e->n, sizeof *e->items);
    for (uint32_t k = 0; k < e->n && !r->bad; k++) e->items[k] = rcexpr(r);
  }
  m->ndatas = r32(r);
  m->datas = ralloc(r, m->ndatas, sizeof *m->datas);
  for (uint32_t i = 0; i < m->ndatas && !r->bad; i++) {
    wk_mdata *d = &m->datas[i];
    d->mode = r8(r);
    d->mem = r32(r);
    d->offset = rcexpr(r);
    d->src_off = r32(r);
    d->len = r32(r);
    if (r->bad || d->src_off > r->wasm_len || d->len > r->wasm_len - d->src_off) { r->bad = 1; break; }
    uint8_t *b = wk_arena_alloc(r->a, (size_t)d->len + 1);
    if (!b) { r->bad = 1; break; }
    if (d->len) memcpy(b, r->wasm + d->src_off, d->len);
    d->bytes = b;
  }
  uint64_t nc = r64(r);
  if (r->bad || nc != r->ncode) return -1;
  m->ncode = (size_t)nc;
  uint64_t ns = r64(r);
  if (r->bad || ns > (r->n - r->pos) / 8) return -1;
  m->srcmap = rwords(r, 2 * ns);
  if (!m->srcmap) return -1;
  m->nsrcmap = (size_t)ns;
  if (r8(r)) {
    m->func_names = ralloc(r, m->nfuncs, sizeof(char *));
    for (uint32_t i = 0; i < m->nfuncs && !r->bad; i++) m->func_names[i] = rstr(r, NULL);
  }
  for (uint32_t i = 0; i < nd && !r->bad; i++)
    if (m->funcs[i].code >= m->ncode) r->bad = 1;
  m->ntags = r32(r);
  m->ntag_imports = r32(r);
  if (r->bad || m->ntag_imports > m->ntags || m->ntags > (r->n - r->pos) / 4) return -1;
  m->tag_type = ralloc(r, m->ntags, sizeof *m->tag_type);
  for (uint32_t i = 0; i < m->ntags && !r->bad; i++)
    if ((m->tag_type[i] = r32(r)) >= m->ntypes) r->bad = 1;
  uint32_t nh = r32(r);
  if (r->bad || nh > (r->n - r->pos) / 16) return -1;
  if (nh) {
    if (!(m->handlers = malloc((size_t)nh * sizeof *m->handlers))) return -1;
    m->nhandlers = nh;
    for (uint32_t i = 0; i < nh; i++) {
      wk_handler *h = &m->handlers[i];
      h->start = r32(r), h->end = r32(r), h->catch_pc = r32(r), h->n = r32(r);
      if (h->n == 0) { /* a legacy delegate: catch_pc is the distance to a later handler (internal.h) */
        if (h->start > h->end || h->end > m->ncode ||
            (h->catch_pc != WK_DELEGATE_CALLER && (h->catch_pc == 0 || h->catch_pc >= nh - i)))
          r->bad = 1;
      } else if (h->start > h->end || h->end > m->ncode || h->catch_pc > m->ncode || h->n > (m->ncode - h->catch_pc) / 5)
        r->bad = 1;
    }
  }
  if (r8(r) && !r->bad) { /* GC types (serialize): checked for consistency, as the rest */
    wk_gc_deftype *g = ralloc(r, m->ntypes, sizeof *g);
    for (uint32_t i = 0; g && i < m->ntypes && !r->bad; i++) {
      wk_gc_deftype *d = &g[i];
      d->kind = r8(r), d->final = r8(r);
      d->super = r32(r), d->g0 = r32(r), d->gn = r32(r), d->nfields = r32(r), d->nparams = r32(r);
      if (r->bad || d->kind > RTT_ARRAY || (d->super != UINT32_MAX && d->super >= i) || d->g0 > i || !d->gn ||
          d->gn > m->ntypes - d->g0 || i - d->g0 >= d->gn || d->nparams > d->nfields ||
          (d->kind == RTT_ARRAY && d->nfields != 1) || d->nfields > (r->n - r->pos) / 5) {
        r->bad = 1;
        break;
      }
      wk_vt *vts = ralloc(r, d->nfields, sizeof *vts);
      uint8_t *mut = ralloc(r, d->nfields, 1);
      for (uint32_t k = 0; vts && mut && k < d->nfields; k++) vts[k] = r32(r), mut[k] = r8(r);
      d->vts = vts, d->mut = mut;
    }
    m->gctypes = g;
    if (!r->bad && g && !wk_cache_gc_types_ok(m)) r->bad = 1;
  }
  m->gc_elems = r8(r);
  if (r->bad || r->pos != r->n) return -1;
  return 0;
}

enum { HDR = 8 + 4 + 32 + 8 + 8 + 32 };
static size_t code_offset(size_t model_len) { return (HDR + model_len + CACHE_PAGE - 1) / CACHE_PAGE * CACHE_PAGE; }
static uint64_t le64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
  return v;
}

/* Try the cache: 0 and a filled module on a hit (tcode[0] mapped), -1 on a miss
 * (m as it was: only its engine set). */
int wk_cache_load(wk_module *m, const uint8_t key[32], const uint8_t *wasm, size_t wasm_len) {
  char path[4096];
  cache_path(m->engine, key, path, sizeof path);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  struct stat st;
  void *map = MAP_FAILED;
  size_t len = 0;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= HDR && (uint64_t)st.st_size <= SIZE_MAX) {
    len = (size_t)st.st_size;
    map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
  }
  close(fd);
  if (map == MAP_FAILED) return -1;
  const uint8_t *data = map;
  int rc = -1;
  if (!memcmp(data, cache_magic, 8)) {
    uint32_t fmt = (uint32_t)data[8] | (uint32_t)data[9] << 8 | (uint32_t)data[10] << 16 | (uint32_t)data[11] << 24;
    uint64_t plen = le64(data + 44), mlen = le64(data + 52);
    uint8_t digest[32];
    if (fmt == CACHE_FORMAT && !memcmp(data + 12, key, 32) && plen == len - HDR && mlen <= plen &&
        code_offset((size_t)mlen) <= len && (len - code_offset((size_t)mlen)) % 4 == 0) {
      fast_digest(data + HDR, (size_t)plen, digest);
      if (!memcmp(digest, data + 60, 32)) {
        size_t coff = code_offset((size_t)mlen);
        rdr r = {data + HDR, (size_t)mlen, 0, 0, &m->arena, wasm, wasm_len, (len - coff) / 4};
        rc = deserialize(m, &r);
        if (rc == 0) {
          m->tcode[0] = (uint32_t *)(void *)(data + coff);
          m->map = map, m->map_len = len;
        }
      }
    }
  }
  if (rc != 0) { /* a miss: forget partial state */
    munmap(map, len);
    free(m->code);
    free(m->tcode[1]);
    free(m->srcmap);
    free(m->handlers);
    wk_engine *eng = m->engine;
    wk_arena_free(&m->arena);
    memset(m, 0, sizeof *m);
    m->engine = eng;
  }
  return rc;
}

/* Write the entry (best effort: failures are ignored, the cache is an optimization). */
void wk_cache_store(const wk_module *m, const uint8_t key[32], const uint8_t *wasm, size_t wasm_len) {
  /* data segments are stored by reference into the wasm: make sure each one really is there */
  for (uint32_t i = 0; i < m->ndatas; i++) {
    const wk_mdata *d = &m->datas[i];
    if (d->src_off > wasm_len || d->len > wasm_len - d->src_off ||
        (d->len && memcmp(d->bytes, wasm + d->src_off, d->len)))
      return;
  }
  char path[4096];
  cache_path(m->engine, key, path, sizeof path);
  wk_mkdir_p(m->engine->cfg.cache_dir, 0755); /* may exist already; parents too (the man page: "created if missing") */
  if (!m->tcode[0]) return;
  wk_buf out = {0};
  wk_buf_append(&out, cache_magic, 8);
  w32(&out, CACHE_FORMAT);
  wk_buf_append(&out, key, 32);
  w64(&out, 0); /* payload length, model length and digest: filled below */
  w64(&out, 0);
  static const uint8_t zero[CACHE_PAGE];
  wk_buf_append(&out, zero, 32);
  serialize(m, &out);
  size_t mlen = out.len - HDR, coff = code_offset(mlen);
  wk_buf_append(&out, zero, coff - out.len);
  if (m->ncode) wk_buf_append(&out, m->tcode[0], m->ncode * sizeof *m->tcode[0]);
  if (!out.oom) {
    uint64_t plen = out.len - HDR;
    for (int i = 0; i < 8; i++) out.data[44 + i] = (uint8_t)(plen >> 8 * i), out.data[52 + i] = (uint8_t)(mlen >> 8 * i);
    fast_digest(out.data + HDR, (size_t)plen, out.data + 60);
    wk_error e;
    wk_write_file_atomic(path, out.data, out.len, &e);
  }
  wk_buf_free(&out);
}

/* ---- group indexes: the modules of one container (a component's core modules) ----
 * A cached start-up of a component must not hash its modules: the key of a module entry is a
 * SHA-256 from libcrypto, and loading libcrypto (dlopen, relocation, provider set-up) cost 8.5M
 * of a cached hello-world component's 14.4M instructions (callgrind). So the container gets one
 * index entry, <cache_dir>/<hex group key>.wkg, that records the keys of its modules' entries:
 *
 *   "WKITGRP\0" | u32 format | u32 module count | u32 cfg length | u64 container length |
 *   cfg | count x key[32] (all zero: a module that has no entry) | the container's bytes
 *
 * group key = fast_digest(fast_digest(container) | fast_digest(cfg)), a locator only: a hit
 * needs the stored cfg and container bytes to EQUAL the current ones (memcmp), so what proves
 * the recorded module keys is the byte comparison, not the strength of the hash. The module
 * entries themselves are then checked as always (key field, payload digest). */
static const char group_magic[8] = {'W', 'K', 'I', 'T', 'G', 'R', 'P', 0};
enum { GHDR = 8 + 4 + 4 + 4 + 8 };

/* The locator's view of the container: all of it up to 64 KiB, else 256 blocks of 256 bytes
 * spread evenly from its first byte to its last (and its length, through fast_digest). A
 * locator only: containers alike in those bytes share a file name and replace each other's
 * index (a miss, never a wrong hit: the read compares every byte). Hashing all of a 200 KB
 * component was 0.41M instructions, 11% of its cached start-up. */
static void group_sample_digest(const uint8_t *c, size_t clen, uint8_t out[32]) {
  enum { BLK = 256, NBLK = 256 };
  if (clen <= (size_t)BLK * NBLK) {
    fast_digest(c, clen, out);
    return;
  }
  uint8_t *s = malloc((size_t)BLK * NBLK);
  if (!s) {
    fast_digest(c, clen, out);
    return;
  }
  size_t step = (clen - BLK) / (NBLK - 1);
  for (size_t i = 0; i < NBLK; i++) memcpy(s + i * BLK, c + (i == NBLK - 1 ? clen - BLK : i * step), BLK);
  fast_digest(s, (size_t)BLK * NBLK, out);
  uint8_t l[8 + 32];
  for (int i = 0; i < 8; i++) l[i] = (uint8_t)((uint64_t)clen >> 8 * i);
  memcpy(l + 8, out, 32);
  fast_digest(l, sizeof l, out);
  free(s);
}

static int group_path(const wk_engine *e, const uint8_t *c, size_t clen, char *cfg, int *ncfg, char *out,
                      size_t cap) {
  if (!e->cfg.cache_dir || !e->cfg.cache_dir[0]) return -1;
  *ncfg = cache_cfg(e, clen, cfg);
  if (*ncfg < 0) return -1;
  uint8_t d[64], key[32];
  group_sample_digest(c, clen, d);
  fast_digest((const uint8_t *)cfg, (size_t)*ncfg, d + 32);
  fast_digest(d, sizeof d, key);
  char hex[65];
  key_hex(key, hex);
  int n = snprintf(out, cap, "%s/%s.wkg", e->cfg.cache_dir, hex);
  return n < 0 || (size_t)n >= cap ? -1 : 0;
}
static uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

/* (read with pread into a small buffer, not mapped: comparing a mapped copy of the component
 * faulted in every page of it, ~50 page faults for a 200 KB component) */
int wk_cache_group_read(const wk_engine *e, const uint8_t *c, size_t clen, size_t nmods, uint8_t (*keys)[32]) {
  char cfg[200], path[4096];
  int ncfg;
  if (nmods > UINT32_MAX || group_path(e, c, clen, cfg, &ncfg, path, sizeof path) != 0) return -1;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  struct stat st;
  uint64_t keys_at = GHDR + (uint64_t)ncfg, c_at = keys_at + 32 * (uint64_t)nmods;
  uint8_t buf[16384];
  int rc = -1;
  /* the exact size: header, cfg, keys and the container */
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == c_at + clen &&
      pread(fd, buf, (size_t)keys_at, 0) == (ssize_t)keys_at && !memcmp(buf, group_magic, 8) &&
      le32(buf + 8) == CACHE_FORMAT && le32(buf + 12) == nmods && le32(buf + 16) == (uint32_t)ncfg &&
      le64(buf + 20) == clen && !memcmp(buf + GHDR, cfg, (size_t)ncfg) &&
      pread(fd, keys, 32 * nmods, (off_t)keys_at) == (ssize_t)(32 * nmods)) {
    rc = 0;
    for (size_t at = 0; at < clen && rc == 0; at += sizeof buf) {
      size_t n = clen - at < sizeof buf ? clen - at : sizeof buf;
      if (pread(fd, buf, n, (off_t)(c_at + at)) != (ssize_t)n || memcmp(buf, c + at, n)) rc = -1;
    }
  }
  close(fd);
  return rc;
}

void wk_cache_group_write(const wk_engine *e, const uint8_t *c, size_t clen, size_t nmods, const uint8_t (*keys)[32]) {
  char cfg[200], path[4096];
  int ncfg;
  if (nmods > UINT32_MAX || group_path(e, c, clen, cfg, &ncfg, path, sizeof path) != 0) return;
  wk_mkdir_p(e->cfg.cache_dir, 0755); /* may exist already */
  wk_buf out = {0};
  wk_buf_append(&out, group_magic, 8);
  w32(&out, CACHE_FORMAT);
  w32(&out, (uint32_t)nmods);
  w32(&out, (uint32_t)ncfg);
  w64(&out, clen);
  wk_buf_append(&out, cfg, (size_t)ncfg);
  if (nmods) wk_buf_append(&out, keys, 32 * nmods);
  if (clen) wk_buf_append(&out, c, clen);
  if (!out.oom) {
    wk_error err;
    wk_write_file_atomic(path, out.data, out.len, &err);
  }
  wk_buf_free(&out);
}
