/*
 * Component decoder: Binary.md (component-model design/mvp), version 0x0d,
 * layer 1. Builds the model declared in component.h. Every read is bounds
 * checked; counts from the input never size an allocation beyond what the
 * remaining bytes can hold (arrays grow as items are really decoded).
 */
#include "encode/component.h"
#include "encode/bump_int.h"
#include "encode/encode.h" /* WK_I32 */
#include "encode/leb.h"
#include "encode/sections.h"

#include <stdlib.h>
#include <string.h>

typedef struct rd {
  const uint8_t *d;
  size_t end, pos;
  uint32_t ord;            /* LEB128 ordinal (reading order) */
  wk_component *root;
  uint32_t lebcap;
  wk_error *err;
  int depth;
  uint32_t hint; /* the last vec count read (count()): the first grow() of its array takes it */
  wk_bump bump; /* raw()'s chunk of the component's arena */
} rd;

#define TRY(x) do { if ((x)) return -1; } while (0)

static int fail(rd *r, size_t at, const char *msg) {
  wk_error_at(r->err, WK_ERR_MALFORMED, at, "%s", msg);
  return -1;
}
static int oom(rd *r) {
  wk_error_at(r->err, WK_ERR_NOMEM, r->pos, "out of memory");
  return -1;
}

static int byte(rd *r, uint8_t *out) {
  if (r->pos >= r->end) return fail(r, r->pos, "unexpected end of input");
  *out = r->d[r->pos++];
  return 0;
}

static int peek(rd *r, uint8_t *out) {
  if (r->pos >= r->end) return fail(r, r->pos, "unexpected end of input");
  *out = r->d[r->pos];
  return 0;
}

/* Record a LEB of `width` bytes whose minimal width is `minw`. */
static int note_leb(rd *r, unsigned width, unsigned minw) {
  uint32_t ord = r->ord++;
  if (width == minw) return 0;
  wk_component *c = r->root;
  if (c->nlebs == r->lebcap) {
    uint32_t nc = r->lebcap ? r->lebcap * 2 : 16;
    wk_cleb *p = wk_reallocarray(c->lebs, nc, sizeof *p);
    if (!p) return oom(r);
    c->lebs = p;
    r->lebcap = nc;
  }
  c->lebs[c->nlebs].ordinal = ord;
  c->lebs[c->nlebs].width = (uint8_t)width;
  c->nlebs++;
  return 0;
}

static int u32_slow(rd *r, uint32_t *out) {
  size_t p = r->pos;
  uint64_t v;
  if (wk_read_uleb(r->d, r->end, &p, 32, &v, r->err)) return -1;
  unsigned width = (unsigned)(p - r->pos);
  r->pos = p;
  *out = (uint32_t)v;
  return note_leb(r, width, wk_leb_u_size(v));
}
static inline __attribute__((always_inline)) int u32(rd *r, uint32_t *out) {
  /* one-byte LEB (most counts, indices and lengths): minimal by construction, so only its
   * ordinal is noted; the general reader (u32_slow) was ~6% of decoding a small component,
   * and the call to this one ~10% (about 1,400 calls for a WASI hello) */
  uint64_t v;
  if (wk_leb_u_byte(r->d, r->end, &r->pos, &v)) { /* leb.h's one-byte case */
    *out = (uint32_t)v;
    r->ord++;
    return 0;
  }
  return u32_slow(r, out);
}

static int u64(rd *r, uint64_t *out) {
  size_t p = r->pos;
  if (wk_read_uleb(r->d, r->end, &p, 64, out, r->err)) return -1;
  unsigned width = (unsigned)(p - r->pos);
  r->pos = p;
  return note_leb(r, width, wk_leb_u_size(*out));
}

/* Signed LEB128 of at most 33 bits (a type index in valtype position; Binary.md valtype, Core
 * 5.2.2): leb.h's reader, its malformations named "invalid var_s33: ..." and the end of the input
 * as byte() names it. */
static int s33(rd *r, int64_t *out) {
  size_t start = r->pos;
  wk_error e;
  int rc = wk_leb_s(r->d, r->end, &r->pos, 33, out, &e);
  if (wk_err_is_end(rc, &e, r->end)) return fail(r, e.offset, "unexpected end of input");
  if (rc) {
    wk_error_at(r->err, WK_ERR_MALFORMED, e.offset, "invalid var_s33: %s", e.msg);
    return -1;
  }
  return note_leb(r, (unsigned)(r->pos - start), wk_leb_s_size(*out));
}

/* core:name / name: vec(byte) that must be UTF-8. */
static inline int name(rd *r, wk_cstr *out) {
  uint32_t n;
  size_t at = r->pos;
  TRY(u32(r, &n));
  if (n > r->end - r->pos) return fail(r, at, "unexpected end of input: string length out of bounds");
  if (!wk_utf8_valid(r->d + r->pos, n)) return fail(r, r->pos, "malformed UTF-8 encoding");
  out->s = (const char *)r->d + r->pos;
  out->len = n;
  r->pos += n;
  return 0;
}

/* vec count: bounded by the bytes left (each item takes at least `minsz`). */
static inline int count(rd *r, uint32_t *n, unsigned minsz) {
  size_t at = r->pos;
  TRY(u32(r, n));
  if ((uint64_t)*n * minsz > r->end - r->pos) return fail(r, at, "unexpected end of input: count out of bounds");
  r->hint = *n;
  return 0;
}

static void *alloc(rd *r, size_t n, size_t sz) {
  if (!n) return NULL;
  void *p = wk_arena_alloc(&r->root->arena, n * sz);
  if (!p) oom(r);
  return p;
}
/* n bytes of unspecified content in the component's arena, aligned to 8 (bump_int.h). */
static inline void *raw(rd *r, size_t n) { return wk_bump_alloc(&r->bump, &r->root->arena, n); }

/* One zeroed item: cleared by fixed-size stores (sizeof is a constant), not the arena's memset. */
#define ALLOC1(r, ptr)                                                            \
  do {                                                                            \
    (ptr) = raw((r), sizeof *(ptr));                                              \
    if (!(ptr)) return oom(r);                                                    \
    memset((ptr), 0, sizeof *(ptr));                                              \
  } while (0)

/* Arrays sized by an input count: allocate at most 256 up front and grow. The array is not
 * cleared: PUSH clears each item as it is added (every item below the count is pushed), so the
 * slack past the count is never read; clearing whole arrays of 40..120-byte items was a third of
 * the decoder's allocation cost. */
static void *grow(rd *r, void *arr, uint32_t *cap, uint32_t need, size_t sz) {
  if (need < *cap) return arr;
  /* the first allocation takes the count just read (bounded by the bytes left, at most 256):
   * growing from 16 copied a WASI instance type's declarations three times, and 16 slots for
   * the many 1..7-item vectors made the decoded model of a WASI hello 160 KB (page faults) */
  uint32_t nc = *cap ? *cap * 2 : r->hint ? (r->hint < 256 ? r->hint : 256) : 16;
  r->hint = 0;
  if (nc <= need) nc = need + 1;
  void *p = raw(r, (size_t)nc * sz);
  if (!p) { oom(r); return NULL; }
  if (arr && need) memcpy(p, arr, (size_t)need * sz); /* items 0..need-1 */
  *cap = nc;
  return p;
}
/* Make room for item i of arr and clear it (every field the item's reader does not set is 0). */
#define PUSH(r, arr, cap, i)                                               \
  do {                                                                     \
    if ((i) >= (cap)) {                                                    \
      (arr) = grow((r), (arr), &(cap), (i), sizeof *(arr));                \
      if (!(arr)) return -1;                                               \
    }                                                                      \
    memset(&(arr)[i], 0, sizeof *(arr));                                   \
  } while (0)

/* ---- core types ---------------------------------------------------- */

static int is_simple_core_vt(uint8_t b) {
  return (b >= 0x7b && b <= 0x7f) || (b >= 0x69 && b <= 0x74);
}

/* Skipping (non-counting) readers for raw core-type bytes. */
static int skip_leb(rd *r, unsigned maxbytes) {
  for (unsigned i = 0;; i++) {
    uint8_t c;
    if (i >= maxbytes) return fail(r, r->pos, "integer representation too long");
    TRY(byte(r, &c));
    if (!(c & 0x80)) return 0;
  }
}
static int skip_valtype(rd *r) {
  uint8_t b;
  TRY(byte(r, &b));
  if (is_simple_core_vt(b) || b == 0x78 || b == 0x77) return 0;
  if (b == 0x63 || b == 0x64) {
    uint8_t h;
    TRY(peek(r, &h));
    if (h == 0x65) r->pos++; /* shared */
    return skip_leb(r, 5);
  }
  return fail(r, r->pos - 1, "invalid value type");
}
static int skip_comptype(rd *r) {
  uint8_t b;
  TRY(byte(r, &b));
  if (b == 0x65) TRY(byte(r, &b)); /* shared */
  uint64_t n;
  size_t p;
  switch (b) {
    case 0x60:
      for (int k = 0; k < 2; k++) {
        p = r->pos;
        if (wk_read_uleb(r->d, r->end, &p, 32, &n, r->err)) return -1;
        r->pos = p;
        for (uint64_t i = 0; i < n; i++) TRY(skip_valtype(r));
      }
      return 0;
    case 0x5f:
      p = r->pos;
      if (wk_read_uleb(r->d, r->end, &p, 32, &n, r->err)) return -1;
      r->pos = p;
      for (uint64_t i = 0; i < n; i++) {
        uint8_t m;
        TRY(skip_valtype(r));
        TRY(byte(r, &m));
      }
      return 0;
    case 0x5e: {
      uint8_t m;
      TRY(skip_valtype(r));
      return byte(r, &m);
    }
    default: return fail(r, r->pos - 1, "invalid leading byte for core type");
  }
}
static int skip_subtype(rd *r, int prefixed) {
  uint8_t b;
  TRY(peek(r, &b));
  if (prefixed && b == WK_CT_CORE_SUB_PREFIX) { r->pos++; TRY(peek(r, &b)); if (b != 0x50) return fail(r, r->pos, "invalid leading byte for core type"); }
  if (b == 0x50 || b == 0x4f) {
    r->pos++;
    size_t p = r->pos;
    uint64_t n;
    if (wk_read_uleb(r->d, r->end, &p, 32, &n, r->err)) return -1;
    r->pos = p;
    for (uint64_t i = 0; i < n; i++) TRY(skip_leb(r, 5));
  }
  return skip_comptype(r);
}

static int coretype(rd *r, wk_coretype *t, int top);

static int limits(rd *r, wk_corelimits *l) {
  TRY(byte(r, &l->flags));
  if (l->flags & ~0x0f) return fail(r, r->pos - 1, "invalid limits flags");
  TRY(u64(r, &l->min));
  if (l->flags & 1) TRY(u64(r, &l->max));
  if (l->flags & 8) TRY(u32(r, &l->page_log2));
  return 0;
}

static int coreextern(rd *r, wk_coreextern *e) {
  TRY(byte(r, &e->kind));
  size_t s;
  switch (e->kind) {
    case 0: return u32(r, &e->idx);
    case 1:
      s = r->pos;
      TRY(skip_valtype(r));
      e->valtype.s = (const char *)r->d + s;
      e->valtype.len = (uint32_t)(r->pos - s);
      return limits(r, &e->lim);
    case 2: return limits(r, &e->lim);
    case 3:
      s = r->pos;
      TRY(skip_valtype(r));
      e->valtype.s = (const char *)r->d + s;
      e->valtype.len = (uint32_t)(r->pos - s);
      TRY(byte(r, &e->mut));
      if (e->mut > 1) return fail(r, r->pos - 1, "invalid mutability");
      return 0;
    case 4:
      TRY(byte(r, &e->tag_attr));
      if (e->tag_attr != 0) return fail(r, r->pos - 1, "invalid tag attribute");
      return u32(r, &e->idx);
    default: return fail(r, r->pos - 1, "invalid leading byte for core external kind");
  }
}

static int moduledecl(rd *r, wk_coredecl *d) {
  TRY(byte(r, &d->kind));
  switch (d->kind) {
    case WK_CMODDECL_IMPORT:
      TRY(name(r, &d->module));
      TRY(name(r, &d->name));
      return coreextern(r, &d->ext);
    case WK_CMODDECL_TYPE:
      ALLOC1(r, d->type);
      return coretype(r, d->type, 0);
    case WK_CMODDECL_ALIAS:
      TRY(byte(r, &d->alias_sort));
      if (d->alias_sort != WK_CCSORT_TYPE) return fail(r, r->pos - 1, "invalid leading byte for core alias sort");
      TRY(byte(r, &d->alias_target));
      if (d->alias_target != WK_CCALIAS_OUTER) return fail(r, r->pos - 1, "invalid leading byte for core alias target");
      TRY(u32(r, &d->alias_ct));
      return u32(r, &d->alias_idx);
    case WK_CMODDECL_EXPORT:
      TRY(name(r, &d->name));
      return coreextern(r, &d->ext);
    default: return fail(r, r->pos - 1, "invalid leading byte for module type declaration");
  }
}

/* core:type. `top`: in a component's core type section (0x50 = module type,
 * 0x00 0x50 = sub type); inside a module type (0x50 = sub type). */
static int coretype(rd *r, wk_coretype *t, int top) {
  uint8_t b;
  t->offset = r->pos;
  TRY(peek(r, &b));
  if (top && b == WK_CTC_CORE_MODULE) {
    r->pos++;
    t->code = WK_CTC_CORE_MODULE;
    uint32_t cap = 0;
    TRY(count(r, &t->ndecls, 1));
    for (uint32_t i = 0; i < t->ndecls; i++) {
      PUSH(r, t->decls, cap, i);
      TRY(moduledecl(r, &t->decls[i]));
    }
    return 0;
  }
  if (b == WK_CTC_CORE_FUNC) {
    /* Plain function type with single-byte value types; anything else is raw. */
    size_t save = r->pos;
    uint32_t save_ord = r->ord, save_nlebs = r->root->nlebs;
    r->pos++;
    uint32_t np, nr;
    int ok = 1;
    TRY(count(r, &np, 1));
    t->params = r->d + r->pos;
    for (uint32_t i = 0; i < np && ok; i++) ok = is_simple_core_vt(r->d[r->pos + i]);
    if (ok) {
      r->pos += np;
      TRY(count(r, &nr, 1));
      t->results = r->d + r->pos;
      for (uint32_t i = 0; i < nr && ok; i++) ok = is_simple_core_vt(r->d[r->pos + i]);
      if (ok) {
        r->pos += nr;
        t->code = WK_CTC_CORE_FUNC;
        t->nparams = np;
        t->nresults = nr;
        return 0;
      }
    }
    r->pos = save;
    r->ord = save_ord;
    r->root->nlebs = save_nlebs;
  }
  /* Raw: rec group or sub type (GC encodings). */
  size_t s = r->pos;
  t->code = 0;
  if (b == 0x4e) { /* core rec (Core 3.0 5.3.7) */
    r->pos++;
    size_t p = r->pos;
    uint64_t n;
    if (wk_read_uleb(r->d, r->end, &p, 32, &n, r->err)) return -1;
    r->pos = p;
    for (uint64_t i = 0; i < n; i++) TRY(skip_subtype(r, 0));
  } else {
    TRY(skip_subtype(r, top));
  }
  t->raw.s = (const char *)r->d + s;
  t->raw.len = (uint32_t)(r->pos - s);
  return 0;
}

/* ---- component types ----------------------------------------------- */

static inline int valtype(rd *r, wk_cvaltype *v) {
  uint8_t b;
  TRY(peek(r, &b));
  if (wk_ct_is_prim(b)) {
    r->pos++;
    v->prim = b;
    v->idx = 0;
    return 0;
  }
  size_t at = r->pos;
  int64_t x;
  TRY(s33(r, &x));
  if (x < 0) return fail(r, at, "invalid leading byte for component value type");
  if (x > 0xffffffffll) return fail(r, at, "type index too large");
  v->prim = 0;
  v->idx = (uint32_t)x;
  return 0;
}

static int optbyte(rd *r, uint8_t *has) {
  TRY(byte(r, has));
  if (*has > WK_CT_PRESENT) return fail(r, r->pos - 1, "invalid optional byte");
  return 0;
}

static int opt_valtype(rd *r, uint8_t *has, wk_cvaltype *v) {
  TRY(optbyte(r, has));
  if (*has) TRY(valtype(r, v));
  return 0;
}

static int ctype(rd *r, wk_ctype *t);

static int cname(rd *r, wk_cname *n) {
  TRY(byte(r, &n->disc));
  if (n->disc > WK_CNA_ATTRS) return fail(r, r->pos - 1, "invalid leading byte for component external name");
  TRY(name(r, &n->name));
  if (n->disc == WK_CNA_ATTRS) {
    uint32_t cap = 0;
    TRY(count(r, &n->nattrs, 2));
    for (uint32_t i = 0; i < n->nattrs; i++) {
      PUSH(r, n->attrs, cap, i);
      TRY(byte(r, &n->attrs[i].kind));
      if (n->attrs[i].kind > WK_CATTR_EXTERNAL_ID) return fail(r, r->pos - 1, "invalid leading byte for name attribute");
      TRY(name(r, &n->attrs[i].value));
    }
  }
  return 0;
}

static inline int sort(rd *r, wk_csort *s) {
  TRY(byte(r, &s->sort));
  s->core_sort = 0;
  if (s->sort == WK_CSORT_CORE) {
    TRY(byte(r, &s->core_sort));
    uint8_t c = s->core_sort;
    if (!wk_ct_core_sort_name(c)) return fail(r, r->pos - 1, "invalid leading byte for core sort");
  } else if (s->sort > WK_CSORT_INSTANCE) {
    return fail(r, r->pos - 1, "invalid leading byte for component external kind");
  }
  return 0;
}

static int externtype(rd *r, wk_cextern *e) {
  TRY(byte(r, &e->kind));
  switch (e->kind) {
    case WK_CSORT_CORE: {
      uint8_t b;
      TRY(byte(r, &b));
      if (b != WK_CCSORT_MODULE) return fail(r, r->pos - 1, "invalid leading byte for component external kind");
      return u32(r, &e->idx);
    }
    case WK_CSORT_FUNC: case WK_CSORT_COMPONENT: case WK_CSORT_INSTANCE: return u32(r, &e->idx);
    case WK_CSORT_VALUE:
      TRY(byte(r, &e->bound));
      if (e->bound == WK_CVBOUND_EQ) return u32(r, &e->idx);
      if (e->bound == WK_CVBOUND_VALTYPE) return valtype(r, &e->vt);
      return fail(r, r->pos - 1, "invalid leading byte for value bound");
    case WK_CSORT_TYPE:
      TRY(byte(r, &e->bound));
      if (e->bound == WK_CBOUND_EQ) return u32(r, &e->idx);
      if (e->bound == WK_CBOUND_SUB_RESOURCE) return 0;
      return fail(r, r->pos - 1, "invalid leading byte for type bound");
    default: return fail(r, r->pos - 1, "invalid leading byte for component external kind");
  }
}

static int alias(rd *r, wk_calias *a) {
  TRY(sort(r, &a->sort));
  TRY(byte(r, &a->target));
  switch (a->target) {
    case WK_CALIAS_EXPORT: case WK_CALIAS_CORE_EXPORT:
      TRY(u32(r, &a->inst));
      return name(r, &a->name);
    case WK_CALIAS_OUTER:
      TRY(u32(r, &a->inst));
      return u32(r, &a->idx);
    default: return fail(r, r->pos - 1, "invalid leading byte for alias");
  }
}

static int cdecl(rd *r, wk_cdecl *d, int component) {
  d->offset = r->pos;
  TRY(byte(r, &d->kind));
  switch (d->kind) {
    case WK_CDECL_CORE_TYPE:
      ALLOC1(r, d->coretype);
      return coretype(r, d->coretype, 1);
    case WK_CDECL_TYPE:
      ALLOC1(r, d->type);
      return ctype(r, d->type);
    case WK_CDECL_ALIAS: return alias(r, &d->alias);
    case WK_CDECL_IMPORT:
      if (!component) return fail(r, r->pos - 1, "invalid leading byte for instance type declaration");
      /* fallthrough */
    case WK_CDECL_EXPORT:
      TRY(cname(r, &d->name));
      return externtype(r, &d->ext);
    default:
      return fail(r, r->pos - 1, component ? "invalid leading byte for component type declaration"
                                           : "invalid leading byte for instance type declaration");
  }
}

static int fields(rd *r, wk_ctype *t, int typed, int named, unsigned minsz) {
  uint32_t cap = 0;
  TRY(count(r, &t->n, minsz));
  for (uint32_t i = 0; i < t->n; i++) {
    PUSH(r, t->fields, cap, i);
    wk_cfield *f = &t->fields[i];
    if (named) TRY(name(r, &f->name));
    if (typed) { f->has_type = 1; TRY(valtype(r, &f->type)); }
  }
  return 0;
}

static int ctype(rd *r, wk_ctype *t) {
  if (++r->depth > WK_COMPONENT_MAX_DEPTH) return fail(r, r->pos, "nesting too deep");
  t->offset = r->pos;
  TRY(byte(r, &t->code));
  uint8_t b = t->code;
  int rc = 0;
  if (wk_ct_is_prim(b)) { r->depth--; return 0; }
  switch (b) {
    case WK_CTC_RECORD: rc = fields(r, t, 1, 1, 2); break;
    case WK_CTC_VARIANT: {
      uint32_t cap = 0;
      TRY(count(r, &t->n, 3));
      for (uint32_t i = 0; i < t->n; i++) {
        PUSH(r, t->fields, cap, i);
        wk_cfield *f = &t->fields[i];
        TRY(name(r, &f->name));
        TRY(opt_valtype(r, &f->has_type, &f->type));
        TRY(optbyte(r, &f->has_refines));
        if (f->has_refines) TRY(u32(r, &f->refines));
      }
      break;
    }
    case WK_CTC_LIST: case WK_CTC_OPTION: rc = valtype(r, &t->a); t->has_a = 1; break;
    case WK_CTC_FIXED_LIST: t->has_a = 1; TRY(valtype(r, &t->a)); rc = u32(r, &t->idx); break;
    case WK_CTC_TUPLE: rc = fields(r, t, 1, 0, 1); break;
    case WK_CTC_FLAGS: case WK_CTC_ENUM: rc = fields(r, t, 0, 1, 1); break;
    case WK_CTC_RESULT:
      TRY(opt_valtype(r, &t->has_a, &t->a));
      rc = opt_valtype(r, &t->has_b, &t->b);
      break;
    case WK_CTC_OWN: case WK_CTC_BORROW: rc = u32(r, &t->idx); break;
    case WK_CTC_STREAM: case WK_CTC_FUTURE: rc = opt_valtype(r, &t->has_a, &t->a); break;
    case WK_CTC_MAP:
      t->has_a = t->has_b = 1;
      TRY(valtype(r, &t->a));
      rc = valtype(r, &t->b);
      break;
    case WK_CTC_FUNC: case WK_CTC_ASYNC_FUNC: {
      TRY(fields(r, t, 1, 1, 2));
      uint8_t k;
      TRY(byte(r, &k));
      if (k == WK_CRESULT_ONE) {
        t->has_a = 1;
        rc = valtype(r, &t->a);
      } else if (k == WK_CRESULT_NONE) {
        uint32_t cap = 0;
        t->results_none = 1;
        TRY(count(r, &t->nresults, 2));
        for (uint32_t i = 0; i < t->nresults; i++) {
          PUSH(r, t->results, cap, i);
          TRY(name(r, &t->results[i].name));
          t->results[i].has_type = 1;
          TRY(valtype(r, &t->results[i].type));
        }
      } else {
        return fail(r, r->pos - 1, "invalid leading byte for component function results");
      }
      break;
    }
    case WK_CTC_COMPONENT: case WK_CTC_INSTANCE: {
      uint32_t cap = 0;
      TRY(count(r, &t->ndecls, 2));
      for (uint32_t i = 0; i < t->ndecls; i++) {
        PUSH(r, t->decls, cap, i);
        TRY(cdecl(r, &t->decls[i], b == WK_CTC_COMPONENT));
      }
      break;
    }
    case WK_CTC_RESOURCE:
      TRY(byte(r, &t->rep));
      if (t->rep != WK_I32) return fail(r, r->pos - 1, "resources can only be represented by `i32`");
      TRY(optbyte(r, &t->has_dtor));
      if (t->has_dtor) rc = u32(r, &t->dtor);
      break;
    default: return fail(r, r->pos - 1, "invalid leading byte for component type");
  }
  r->depth--;
  return rc;
}

/* ---- definitions --------------------------------------------------- */

static int core_instance(rd *r, wk_cinstance *in) {
  in->offset = r->pos;
  TRY(byte(r, &in->kind));
  uint32_t cap = 0;
  if (in->kind == WK_CINST_INSTANTIATE) {
    TRY(u32(r, &in->target));
    TRY(count(r, &in->n, 3));
    for (uint32_t i = 0; i < in->n; i++) {
      PUSH(r, in->args, cap, i);
      wk_cinstarg *a = &in->args[i];
      TRY(name(r, &a->name.name));
      TRY(byte(r, &a->sort.core_sort));
      if (a->sort.core_sort != WK_CCSORT_INSTANCE) return fail(r, r->pos - 1, "invalid leading byte for core instantiation argument kind");
      TRY(u32(r, &a->idx));
    }
    return 0;
  }
  if (in->kind == WK_CINST_EXPORTS) {
    TRY(count(r, &in->n, 3));
    for (uint32_t i = 0; i < in->n; i++) {
      PUSH(r, in->args, cap, i);
      wk_cinstarg *a = &in->args[i];
      TRY(name(r, &a->name.name));
      TRY(byte(r, &a->sort.core_sort));
      uint8_t c = a->sort.core_sort;
      if (!wk_ct_core_sort_name(c)) return fail(r, r->pos - 1, "invalid leading byte for core sort");
      TRY(u32(r, &a->idx));
    }
    return 0;
  }
  return fail(r, r->pos - 1, "invalid leading byte for core instance");
}

static int instance(rd *r, wk_cinstance *in) {
  in->offset = r->pos;
  TRY(byte(r, &in->kind));
  uint32_t cap = 0;
  if (in->kind == WK_CINST_INSTANTIATE) {
    TRY(u32(r, &in->target));
    TRY(count(r, &in->n, 3));
    for (uint32_t i = 0; i < in->n; i++) {
      PUSH(r, in->args, cap, i);
      wk_cinstarg *a = &in->args[i];
      TRY(name(r, &a->name.name));
      TRY(sort(r, &a->sort));
      TRY(u32(r, &a->idx));
    }
    return 0;
  }
  if (in->kind == WK_CINST_EXPORTS) {
    TRY(count(r, &in->n, 4));
    for (uint32_t i = 0; i < in->n; i++) {
      PUSH(r, in->args, cap, i);
      wk_cinstarg *a = &in->args[i];
      TRY(cname(r, &a->name));
      TRY(sort(r, &a->sort));
      TRY(u32(r, &a->idx));
    }
    return 0;
  }
  return fail(r, r->pos - 1, "invalid leading byte for instance");
}

static int opts(rd *r, wk_ccanon *c) {
  uint32_t cap = 0;
  TRY(count(r, &c->nopts, 1));
  for (uint32_t i = 0; i < c->nopts; i++) {
    PUSH(r, c->opts, cap, i);
    wk_copt *o = &c->opts[i];
    TRY(byte(r, &o->code));
    switch (o->code) {
      case WK_COPT_UTF8: case WK_COPT_UTF16: case WK_COPT_LATIN1_UTF16: case WK_COPT_ASYNC: break;
      case WK_COPT_MEMORY: case WK_COPT_REALLOC: case WK_COPT_POST_RETURN: case WK_COPT_CALLBACK:
        TRY(u32(r, &o->idx)); break;
      default: return fail(r, r->pos - 1, "invalid leading byte for canonical option");
    }
  }
  return 0;
}

static int canon(rd *r, wk_ccanon *c) {
  c->offset = r->pos;
  TRY(byte(r, &c->op));
  switch (c->op) {
    case WK_CANON_LIFT: case WK_CANON_LOWER:
      TRY(byte(r, &c->sub));
      if (c->sub != 0) return fail(r, r->pos - 1, "invalid leading byte for canonical function");
      TRY(u32(r, &c->func));
      TRY(opts(r, c));
      if (c->op == WK_CANON_LIFT) TRY(u32(r, &c->type));
      return 0;
    case WK_CANON_RESOURCE_NEW: case WK_CANON_RESOURCE_DROP: case WK_CANON_RESOURCE_REP:
    case WK_CANON_RESOURCE_DROP_ASYNC:
    case WK_CANON_STREAM_NEW: case WK_CANON_STREAM_DROP_READABLE: case WK_CANON_STREAM_DROP_WRITABLE:
    case WK_CANON_FUTURE_NEW: case WK_CANON_FUTURE_DROP_READABLE: case WK_CANON_FUTURE_DROP_WRITABLE:
      return u32(r, &c->type);
    case WK_CANON_TASK_CANCEL: case WK_CANON_BACKPRESSURE_SET: case WK_CANON_SUBTASK_DROP:
    case WK_CANON_ERROR_CONTEXT_DROP: case WK_CANON_WAITABLE_SET_NEW: case WK_CANON_WAITABLE_SET_DROP:
    case WK_CANON_WAITABLE_JOIN: case WK_CANON_BACKPRESSURE_INC: case WK_CANON_BACKPRESSURE_DEC:
    case WK_CANON_THREAD_INDEX: case WK_CANON_THREAD_RESUME_LATER:
      return 0;
    case WK_CANON_TASK_RETURN: {
      uint8_t k;
      TRY(byte(r, &k));
      if (k == WK_CRESULT_ONE) { c->has_result = 1; TRY(valtype(r, &c->result)); }
      else if (k == WK_CRESULT_NONE) {
        uint8_t z;
        TRY(byte(r, &z));
        if (z != 0) return fail(r, r->pos - 1, "invalid leading byte for task.return results");
        c->results_none = 1;
      } else return fail(r, r->pos - 1, "invalid leading byte for task.return results");
      return opts(r, c);
    }
    case WK_CANON_CONTEXT_GET: case WK_CANON_CONTEXT_SET:
      TRY(byte(r, &c->core_vt));
      return u32(r, &c->imm);
    case WK_CANON_SUBTASK_CANCEL: case WK_CANON_THREAD_YIELD: case WK_CANON_THREAD_SUSPEND:
    case WK_CANON_THREAD_SUSPEND_THEN_RESUME: case WK_CANON_THREAD_YIELD_THEN_RESUME:
    case WK_CANON_THREAD_SUSPEND_THEN_PROMOTE: case WK_CANON_THREAD_YIELD_THEN_PROMOTE:
    case WK_CANON_THREAD_AVAILABLE_PARALLELISM:
      return optbyte(r, &c->flag);
    case WK_CANON_STREAM_READ: case WK_CANON_STREAM_WRITE: case WK_CANON_FUTURE_READ: case WK_CANON_FUTURE_WRITE:
      TRY(u32(r, &c->type));
      return opts(r, c);
    case WK_CANON_STREAM_CANCEL_READ: case WK_CANON_STREAM_CANCEL_WRITE: case WK_CANON_FUTURE_CANCEL_READ:
    case WK_CANON_FUTURE_CANCEL_WRITE:
      TRY(u32(r, &c->type));
      return optbyte(r, &c->flag);
    case WK_CANON_ERROR_CONTEXT_NEW: case WK_CANON_ERROR_CONTEXT_DEBUG_MESSAGE: return opts(r, c);
    case WK_CANON_WAITABLE_SET_WAIT: case WK_CANON_WAITABLE_SET_POLL:
      TRY(optbyte(r, &c->flag));
      return u32(r, &c->imm);
    case WK_CANON_THREAD_NEW_INDIRECT:
      TRY(u32(r, &c->type));
      return u32(r, &c->table);
    case WK_CANON_THREAD_SPAWN_REF:
      TRY(optbyte(r, &c->flag));
      return u32(r, &c->type);
    case WK_CANON_THREAD_SPAWN_INDIRECT:
      TRY(optbyte(r, &c->flag));
      TRY(u32(r, &c->type));
      return u32(r, &c->table);
    default: return fail(r, r->pos - 1, "invalid leading byte for canonical function");
  }
}

static int component(rd *r, wk_component *c, size_t end);

/* Count sections without recording anything (sizes are re-read later). */
static int count_sections(rd *r, size_t end, uint32_t *n) {
  size_t p = r->pos;
  uint32_t k = 0;
  while (p < end) {
    size_t q = p + 1;
    uint64_t sz;
    if (wk_read_uleb(r->d, end, &q, 32, &sz, r->err)) return -1;
    if (sz > end - q) return fail(r, q, "section too large: unexpected end of input");
    p = q + (size_t)sz;
    k++;
  }
  *n = k;
  return 0;
}

#define VECSEC(field, fn, minsz)                                   \
  do {                                                             \
    uint32_t cap = 0;                                              \
    TRY(count(r, &s->count, minsz));                               \
    for (uint32_t i = 0; i < s->count; i++) {                      \
      PUSH(r, s->u.field, cap, i);                                 \
      TRY(fn(r, &s->u.field[i]));                                  \
    }                                                              \
  } while (0)

static int import_(rd *r, wk_cimport *im) {
  im->offset = r->pos;
  TRY(cname(r, &im->name));
  return externtype(r, &im->ext);
}
static int export_(rd *r, wk_cexport *ex) {
  ex->offset = r->pos;
  TRY(cname(r, &ex->name));
  TRY(sort(r, &ex->sort));
  TRY(u32(r, &ex->idx));
  TRY(optbyte(r, &ex->has_type));
  if (ex->has_type) TRY(externtype(r, &ex->ext));
  return 0;
}
static int value_(rd *r, wk_cvalue *v) {
  TRY(valtype(r, &v->type));
  uint32_t n;
  TRY(u32(r, &n));
  if (n > r->end - r->pos) return fail(r, r->pos, "unexpected end of input: value out of bounds");
  v->bytes.s = (const char *)r->d + r->pos;
  v->bytes.len = n;
  r->pos += n;
  return 0;
}
static int ctype_top(rd *r, wk_ctype *t) { return ctype(r, t); }
static int coretype_top(rd *r, wk_coretype *t) { return coretype(r, t, 1); }

static int section(rd *r, wk_csection *s) {
  size_t end = r->end;
  s->offset = r->pos;
  TRY(byte(r, &s->id));
  uint32_t size;
  TRY(u32(r, &size));
  if (size > r->end - r->pos) return fail(r, r->pos, "section too large: unexpected end of input");
  s->payload_offset = r->pos;
  s->payload_len = size;
  r->end = r->pos + size;
  switch (s->id) {
    case WK_CSEC_CUSTOM:
      TRY(name(r, &s->custom_name));
      s->custom_data.s = (const char *)r->d + r->pos;
      s->custom_data.len = (uint32_t)(r->end - r->pos);
      r->pos = r->end;
      break;
    case WK_CSEC_CORE_MODULE:
      s->u.module.offset = r->pos;
      s->u.module.len = size;
      s->u.module.bytes = r->d + r->pos;
      r->pos = r->end;
      break;
    case WK_CSEC_CORE_INSTANCE: VECSEC(core_instances, core_instance, 2); break;
    case WK_CSEC_CORE_TYPE: VECSEC(core_types, coretype_top, 1); break;
    case WK_CSEC_COMPONENT:
      s->u.component = alloc(r, 1, sizeof(wk_component));
      if (!s->u.component) return -1;
      TRY(component(r, s->u.component, r->end));
      break;
    case WK_CSEC_INSTANCE: VECSEC(instances, instance, 2); break;
    case WK_CSEC_ALIAS: VECSEC(aliases, alias, 3); break;
    case WK_CSEC_TYPE: VECSEC(types, ctype_top, 1); break;
    case WK_CSEC_CANON: VECSEC(canons, canon, 1); break;
    case WK_CSEC_START: {
      wk_cstart *st = &s->u.start;
      uint32_t cap = 0;
      TRY(u32(r, &st->func));
      TRY(count(r, &st->nargs, 1));
      for (uint32_t i = 0; i < st->nargs; i++) {
        PUSH(r, st->args, cap, i);
        TRY(u32(r, &st->args[i]));
      }
      TRY(u32(r, &st->nresults));
      break;
    }
    case WK_CSEC_IMPORT: VECSEC(imports, import_, 3); break;
    case WK_CSEC_EXPORT: VECSEC(exports, export_, 4); break;
    case WK_CSEC_VALUE: VECSEC(values, value_, 2); break;
    default: return fail(r, s->offset, "invalid section id");
  }
  if (r->pos != r->end) return fail(r, r->pos, "unexpected data at the end of the section");
  r->end = end;
  return 0;
}

static int component(rd *r, wk_component *c, size_t end) {
  if (++r->depth > WK_COMPONENT_MAX_DEPTH) return fail(r, r->pos, "nesting too deep");
  c->offset = r->pos;
  c->len = end - r->pos;
  if (end - r->pos < 8) return fail(r, r->pos, "unexpected end of input: component header");
  const uint8_t *h = r->d + r->pos;
  if (memcmp(h, "\0asm", 4)) return fail(r, r->pos, "magic header not detected");
  if (!wk_is_component(h, 8)) {
    if (h[6] == 0 && h[7] == 0) return fail(r, r->pos + 4, "expected a component, found a core module");
    return fail(r, r->pos + 4, "unknown binary version / layer");
  }
  r->pos += 8;
  TRY(count_sections(r, end, &c->nsections));
  /* not cleared as one block: each section is cleared just before it is read */
  c->sections = c->nsections ? raw(r, (size_t)c->nsections * sizeof *c->sections) : NULL;
  if (c->nsections && !c->sections) return oom(r);
  for (uint32_t i = 0; i < c->nsections; i++) {
    memset(&c->sections[i], 0, sizeof c->sections[i]);
    TRY(section(r, &c->sections[i]));
  }
  r->depth--;
  return 0;
}

int wk_component_decode(const uint8_t *data, size_t len, wk_component **out, wk_error *err) {
  *out = NULL;
  wk_component *c = calloc(1, sizeof *c);
  if (!c) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  c->input = data;
  c->input_len = len;
  rd r = {.d = data, .end = len, .pos = 0, .root = c, .err = err};
  if (component(&r, c, len)) {
    int code = err ? err->code : WK_ERR_MALFORMED;
    wk_component_free(c);
    return code ? code : WK_ERR_MALFORMED;
  }
  *out = c;
  return WK_OK;
}

void wk_component_free(wk_component *c) {
  if (!c) return;
  free(c->lebs);
  wk_arena arena = c->arena;
  free(c);
  wk_arena_free(&arena);
}
