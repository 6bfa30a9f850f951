/*
 * Metadata readers for inspection: core module imports/exports (Core spec
 * 5.5.5, 5.5.10), the producers section (tool-conventions
 * ProducersSection.md) and the component-name section (Binary.md "Name
 * Section"). All bounds-checked; arrays grow as items are really read.
 */
#include "encode/component.h"
#include "encode/sections.h"

#include <string.h>

typedef struct mr {
  const uint8_t *d;
  size_t end, pos, base;
  wk_arena *a;
  wk_error *err;
} mr;

#define TRY(x) do { if ((x)) return -1; } while (0)

static int mfail(mr *r, const char *msg) {
  wk_error_at(r->err, WK_ERR_MALFORMED, r->base + r->pos, "%s", msg);
  return -1;
}
static int mbyte(mr *r, uint8_t *b) {
  if (r->pos >= r->end) return mfail(r, "unexpected end");
  *b = r->d[r->pos++];
  return 0;
}
static int mu32(mr *r, uint32_t *v) {
  uint64_t x;
  size_t p = r->pos;
  if (wk_read_uleb(r->d, r->end, &p, 32, &x, r->err)) {
    if (r->err) r->err->offset += r->base;
    return -1;
  }
  r->pos = p;
  *v = (uint32_t)x;
  return 0;
}
static int mu64(mr *r) {
  uint64_t x;
  size_t p = r->pos;
  if (wk_read_uleb(r->d, r->end, &p, 64, &x, r->err)) return -1;
  r->pos = p;
  return 0;
}
static int mname(mr *r, wk_cstr *s) {
  uint32_t n;
  TRY(mu32(r, &n));
  if (n > r->end - r->pos) return mfail(r, "unexpected end: name length out of bounds");
  if (!wk_utf8_valid(r->d + r->pos, n)) return mfail(r, "malformed UTF-8 encoding");
  s->s = (const char *)r->d + r->pos;
  s->len = n;
  r->pos += n;
  return 0;
}
static void *mgrow(mr *r, void *arr, uint32_t *cap, uint32_t need, size_t sz) {
  if (need < *cap) return arr;
  uint32_t nc = *cap ? *cap * 2 : 16;
  void *p = wk_arena_alloc(r->a, (size_t)nc * sz);
  if (!p) { wk_error_set(r->err, WK_ERR_NOMEM, "out of memory"); return NULL; }
  if (arr) memcpy(p, arr, (size_t)*cap * sz);
  *cap = nc;
  return p;
}
#define MPUSH(r, arr, cap, i) \
  do { (arr) = mgrow((r), (arr), &(cap), (i), sizeof *(arr)); if (!(arr)) return -1; } while (0)

static int skip_reftype(mr *r) {
  uint8_t b;
  TRY(mbyte(r, &b));
  if (b == 0x63 || b == 0x64) {
    for (int i = 0; i < 5; i++) { TRY(mbyte(r, &b)); if (!(b & 0x80)) return 0; }
    return mfail(r, "integer representation too long");
  }
  return 0;
}
static int skip_limits(mr *r) {
  uint8_t f;
  TRY(mbyte(r, &f));
  TRY(mu64(r));
  if (f & 1) TRY(mu64(r));
  if (f & 8) { uint32_t x; TRY(mu32(r, &x)); }
  return 0;
}

int wk_modinfo_read(const uint8_t *data, size_t len, wk_arena *arena, wk_modinfo *out, wk_error *err) {
  memset(out, 0, sizeof *out);
  wk_section_iter it;
  wk_section sec;
  if (wk_sections_begin(&it, data, len, err)) return WK_ERR_MALFORMED;
  if (it.kind != WK_BIN_MODULE) return wk_error_at(err, WK_ERR_MALFORMED, 4, "not a core module");
  int rc;
  while ((rc = wk_sections_next(&it, &sec, err)) == 1) {
    mr r = {.d = data, .end = sec.end, .pos = sec.payload_offset, .a = arena, .err = err};
    uint32_t n, cap = 0;
    if (sec.id == 0) { out->ncustoms++; continue; }
    if (sec.id == 5 && sec.payload_len) { if (mu32(&r, &n)) return WK_ERR_MALFORMED; if (n) out->has_memory = 1; }
    if (sec.id == 3) { if (mu32(&r, &out->nfuncs)) return WK_ERR_MALFORMED; }
    if (sec.id == 2) {
      if (mu32(&r, &n)) return WK_ERR_MALFORMED;
      if (n > sec.payload_len) return wk_error_at(err, WK_ERR_MALFORMED, sec.payload_offset, "import count out of bounds");
      for (uint32_t i = 0; i < n; i++) {
        if (!(out->imports = mgrow(&r, out->imports, &cap, i, sizeof *out->imports))) return WK_ERR_NOMEM;
        wk_modext *e = &out->imports[i];
        if (mname(&r, &e->module) || mname(&r, &e->name) || mbyte(&r, &e->kind)) return WK_ERR_MALFORMED;
        int bad = 0;
        switch (e->kind) {
          case 0: bad = mu32(&r, &e->idx); break;
          case 1: bad = skip_reftype(&r) || skip_limits(&r); break;
          case 2: bad = skip_limits(&r); out->has_memory = 1; break;
          case 3: { uint8_t m; bad = skip_reftype(&r) || mbyte(&r, &m); break; }
          case 4: { uint8_t a; bad = mbyte(&r, &a) || mu32(&r, &e->idx); break; }
          default: mfail(&r, "malformed import kind"); bad = 1;
        }
        if (bad) return WK_ERR_MALFORMED;
        out->nimports = i + 1;
      }
    }
    if (sec.id == 7) {
      if (mu32(&r, &n)) return WK_ERR_MALFORMED;
      if (n > sec.payload_len) return wk_error_at(err, WK_ERR_MALFORMED, sec.payload_offset, "export count out of bounds");
      for (uint32_t i = 0; i < n; i++) {
        if (!(out->exports = mgrow(&r, out->exports, &cap, i, sizeof *out->exports))) return WK_ERR_NOMEM;
        wk_modext *e = &out->exports[i];
        if (mname(&r, &e->name) || mbyte(&r, &e->kind) || mu32(&r, &e->idx)) return WK_ERR_MALFORMED;
        out->nexports = i + 1;
      }
    }
  }
  return rc < 0 ? WK_ERR_MALFORMED : WK_OK;
}

int wk_producers_parse(const uint8_t *data, size_t len, size_t base, wk_arena *arena, wk_producers *out,
                       wk_error *err) {
  memset(out, 0, sizeof *out);
  mr r = {.d = data, .end = len, .pos = 0, .base = base, .a = arena, .err = err};
  uint32_t n, cap = 0;
  if (mu32(&r, &n)) return WK_ERR_MALFORMED;
  for (uint32_t i = 0; i < n; i++) {
    if (r.pos >= r.end) return mfail(&r, "unexpected end"), WK_ERR_MALFORMED;
    out->fields = mgrow(&r, out->fields, &cap, i, sizeof *out->fields);
    if (!out->fields) return WK_ERR_NOMEM;
    wk_producer_field *f = &out->fields[i];
    uint32_t m, vcap = 0;
    if (mname(&r, &f->name) || mu32(&r, &m)) return WK_ERR_MALFORMED;
    for (uint32_t j = 0; j < m; j++) {
      if (r.pos >= r.end) return mfail(&r, "unexpected end"), WK_ERR_MALFORMED;
      f->values = mgrow(&r, f->values, &vcap, j, sizeof *f->values);
      if (!f->values) return WK_ERR_NOMEM;
      if (mname(&r, &f->values[j].name) || mname(&r, &f->values[j].version)) return WK_ERR_MALFORMED;
      f->n = j + 1;
    }
    out->n = i + 1;
  }
  if (r.pos != r.end) return mfail(&r, "unexpected data at the end of the producers section"), WK_ERR_MALFORMED;
  return WK_OK;
}

int wk_cnames_parse(const uint8_t *data, size_t len, wk_arena *arena, wk_cnames *out, wk_error *err) {
  memset(out, 0, sizeof *out);
  mr r = {.d = data, .end = len, .pos = 0, .a = arena, .err = err};
  uint32_t mcap = 0;
  while (r.pos < len) {
    uint8_t id;
    uint32_t size;
    if (mbyte(&r, &id) || mu32(&r, &size)) return WK_ERR_MALFORMED;
    if (size > len - r.pos) return mfail(&r, "name subsection out of bounds"), WK_ERR_MALFORMED;
    mr s = r;
    s.end = r.pos + size;
    r.pos += size;
    if (id == WK_CNAMESUB_COMPONENT) {
      if (mname(&s, &out->name)) return WK_ERR_MALFORMED;
      out->has_name = 1;
    } else if (id == WK_CNAMESUB_SORT) {
      out->maps = mgrow(&s, out->maps, &mcap, out->nmaps, sizeof *out->maps);
      if (!out->maps) return WK_ERR_NOMEM;
      wk_cnamemap *m = &out->maps[out->nmaps];
      uint32_t n, cap = 0;
      if (mbyte(&s, &m->sort.sort)) return WK_ERR_MALFORMED;
      if (m->sort.sort == WK_CSORT_CORE && mbyte(&s, &m->sort.core_sort)) return WK_ERR_MALFORMED;
      if (mu32(&s, &n)) return WK_ERR_MALFORMED;
      for (uint32_t i = 0; i < n; i++) {
        if (s.pos >= s.end) return mfail(&s, "unexpected end"), WK_ERR_MALFORMED;
        m->names = mgrow(&s, m->names, &cap, i, sizeof *m->names);
        if (!m->names) return WK_ERR_NOMEM;
        if (mu32(&s, &m->names[i].idx) || mname(&s, &m->names[i].name)) return WK_ERR_MALFORMED;
        m->n = i + 1;
      }
      out->nmaps++;
    }
  }
  return WK_OK;
}
