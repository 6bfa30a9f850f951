/*
 * Reference types, type equivalence and subtyping (Core 3.0 valid/conventions.rst "Rolling and
 * Unrolling", valid/types.rst "Recursive Types", valid/matching.rst), shared by the module
 * validator (validate.c) and the function validator (validate_func.c).
 *
 * Type equivalence is iso-recursive: rec groups are compared as wholes, with references to types
 * of the group itself written rec-group-relative ("rolled") and references to earlier types by
 * their canonical index. Without GC (m->subtypes NULL) every type is a final function type in a
 * group of its own, and this reduces to structural equality of function types.
 */
#include <stdlib.h>
#include <string.h>

#include "encode/encode.h"
#include "encode/validate_int.h"

/* Heap type `h` used inside the rec group [gs, gs + gn) as a comparable key: abstract types by
 * code, types of the group by their position in it (rolled, valid/conventions.rst), earlier types
 * by their canonical index, anything else (forward, out of range: invalid) by index. */
static uint64_t ht_key(const uint32_t *canon, uint32_t gs, uint32_t gn, uint32_t h) {
  if (!wk_ht_is_idx(h)) return (uint64_t)1 << 40 | h;
  if (h >= gs && h - gs < gn) return (uint64_t)2 << 40 | (h - gs);
  return h < gs ? canon[h] : (uint64_t)3 << 40 | h;
}

static uint64_t vt_key(const uint32_t *canon, uint32_t gs, uint32_t gn, wk_vt t) {
  uint8_t c = wk_vt_code(t);
  if (c != WK_REF && c != WK_REFNULL) return c;
  return (uint64_t)c << 48 ^ ht_key(canon, gs, gn, wk_vt_heap(t));
}

/* one defined type's contents as a sequence of keys, fed to `f` (hash or compare) */
typedef struct keyer {
  const wk_core_module *m;
  const uint32_t *canon;
} keyer;

static void group_of(const wk_core_module *m, uint32_t i, uint32_t *gs, uint32_t *gn) { wk_core_type_rec(m, i, gs, gn); }

/* The k-th key of type i (k from 0), in group [gs, gs+gn); returns 0 past the end. */
static int type_key(const keyer *K, uint32_t i, uint32_t gs, uint32_t gn, uint32_t k, uint64_t *out) {
  const wk_core_module *m = K->m;
  const wk_core_subtype *s = m->subtypes ? &m->subtypes[i] : NULL;
  uint32_t kind = s ? s->kind : WK_COMP_FUNC;
  /* header: kind, final, supertypes */
  if (k == 0) { *out = kind | (uint64_t)(s ? s->final : 1) << 8 | (uint64_t)(s ? s->nsupers : 0) << 16; return 1; }
  k--;
  uint32_t ns = s ? s->nsupers : 0;
  if (k < ns) { *out = ht_key(K->canon, gs, gn, s->supers ? s->supers[k] : s->super); return 1; }
  k -= ns;
  if (kind == WK_COMP_FUNC) {
    const wk_core_functype *t = &m->types[i];
    if (k == 0) { *out = t->nparams | (uint64_t)t->nresults << 32; return 1; }
    k--;
    if (k >= t->nparams + t->nresults) return 0;
    *out = vt_key(K->canon, gs, gn, wk_functype_vt(t, k));
    return 1;
  }
  if (k == 0) { *out = s->nfields; return 1; }
  k--;
  if (k >= 2 * s->nfields) return 0;
  const wk_core_field *f = &s->fields[k / 2];
  *out = k % 2 ? f->mut : wk_field_packed(f) ? f->storage : vt_key(K->canon, gs, gn, wk_vt_make(f->storage, f->ht));
  return 1;
}

static uint64_t group_hash(const keyer *K, uint32_t gs, uint32_t gn) {
  uint64_t h = 1469598103934665603ull ^ gn;
  for (uint32_t i = gs; i < gs + gn; i++) {
    uint64_t x;
    for (uint32_t k = 0; type_key(K, i, gs, gn, k, &x); k++) h = (h ^ x) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
  }
  return h;
}

static int groups_same(const keyer *K, uint32_t a, uint32_t b, uint32_t gn) {
  for (uint32_t j = 0; j < gn; j++) {
    uint64_t x, y;
    uint32_t k = 0;
    for (;; k++) {
      int ha = type_key(K, a + j, a, gn, k, &x), hb = type_key(K, b + j, b, gn, k, &y);
      if (ha != hb) return 0;
      if (!ha) break;
      if (x != y) return 0;
    }
  }
  return 1;
}

uint32_t *wk_val_type_canon(const wk_core_module *m) {
  uint32_t n = m->ntypes;
  uint32_t *canon = malloc(((size_t)n + 1) * sizeof *canon);
  if (!canon) return NULL;
  size_t cap = 16;
  while (cap < 2 * (size_t)n) cap *= 2;
  uint32_t *tab = calloc(cap, sizeof *tab); /* open addressing: group start + 1, 0 = empty */
  if (!tab) { free(canon); return NULL; }
  keyer K = {m, canon};
  for (uint32_t i = 0; i < n; i++) canon[i] = i;
  for (uint32_t i = 0; i < n;) {
    uint32_t gs, gn;
    group_of(m, i, &gs, &gn);
    if (gs != i || gn == 0 || gn > n - i) { i++; continue; } /* (an inconsistent built model) */
    for (size_t s = group_hash(&K, gs, gn) & (cap - 1);; s = (s + 1) & (cap - 1)) {
      if (!tab[s]) { tab[s] = gs + 1; break; }
      uint32_t o = tab[s] - 1, os, on;
      group_of(m, o, &os, &on);
      if (on == gn && groups_same(&K, o, gs, gn)) {
        for (uint32_t k = 0; k < gn; k++) canon[gs + k] = canon[o + k];
        break;
      }
    }
    i += gn;
  }
  free(tab);
  return canon;
}

uint32_t *wk_core_type_canon(const wk_core_module *m) { return wk_val_type_canon(m); }

/* (encode.h) the same keys as canonicalisation uses, with outside references mapped by ext_ids */
void wk_core_rec_key(const wk_core_module *m, uint32_t start, const uint32_t *ext_ids, wk_buf *out) {
  uint32_t gs, gn;
  wk_core_type_rec(m, start, &gs, &gn);
  if (gs != start || gn > m->ntypes - start) gn = start < m->ntypes ? 1 : 0, gs = start;
  keyer K = {m, ext_ids};
  wk_buf_uleb(out, gn);
  for (uint32_t i = gs; i < gs + gn; i++) {
    uint64_t x;
    uint32_t k = 0;
    for (; type_key(&K, i, gs, gn, k, &x); k++) {
      uint8_t le[8];
      for (int q = 0; q < 8; q++) le[q] = (uint8_t)(x >> (8 * q));
      wk_buf_append(out, le, 8);
    }
    wk_buf_uleb(out, k); /* (the number of keys ends each type: no two types' keys run together) */
  }
}

/* Core 3.0 valid/matching.rst "Heap Types": the abstract hierarchy
 *   none <: i31, struct, array <: eq <: any;  nofunc <: func;  noextern <: extern;  noexn <: exn */
static int abs_sub(uint32_t a, uint32_t b) {
  if (a == b) return 1;
  switch (a) {
  case WK_HT_NONE: return b == WK_HT_ANY || b == WK_HT_EQ || b == WK_HT_I31 || b == WK_HT_STRUCT || b == WK_HT_ARRAY;
  case WK_HT_I31: case WK_HT_STRUCT: case WK_HT_ARRAY: return b == WK_HT_EQ || b == WK_HT_ANY;
  case WK_HT_EQ: return b == WK_HT_ANY;
  case WK_HT_NOFUNC: return b == WK_HT_FUNC;
  case WK_HT_NOEXTERN: return b == WK_HT_EXTERN;
  case WK_HT_NOEXN: return b == WK_HT_EXN;
  default: return 0;
  }
}

int wk_val_ht_sub(const wk_core_module *m, const uint32_t *canon, uint32_t a, uint32_t b) {
  if (a == b) return 1;
  if (wk_ht_is_idx(a)) {
    if (a >= m->ntypes) return 0;
    if (wk_ht_is_idx(b)) {
      if (b >= m->ntypes) return 0;
      /* Core 3.0 valid/matching.rst: a defined type matches its declared supertypes, transitively
       * (supertypes precede their subtypes: the walk ends), up to equivalence. At most
       * WK_GC_MAX_SUBTYPING_DEPTH steps: a longer chain makes the module invalid anyway
       * (wk_val_check_types), and while the type section is being checked a rec group's later,
       * unchecked types could chain through the whole group for every field comparison
       * (quadratic work on hostile input). */
      for (uint32_t x = a, steps = 0; x < m->ntypes && steps <= WK_GC_MAX_SUBTYPING_DEPTH; steps++) {
        if (canon ? canon[x] == canon[b] : x == b) return 1;
        uint32_t s = wk_core_type_super(m, x);
        if (s >= x) break;
        x = s;
      }
      return 0;
    }
    /* a defined type matches the abstract type of its kind and what that matches */
    switch (wk_core_type_kind(m, a)) {
    case WK_COMP_FUNC: return b == WK_HT_FUNC;
    case WK_COMP_STRUCT: return abs_sub(WK_HT_STRUCT, b);
    default: return abs_sub(WK_HT_ARRAY, b);
    }
  }
  if (wk_ht_is_idx(b)) { /* the bottoms match the defined types of their hierarchy */
    if (b >= m->ntypes) return 0;
    if (a == WK_HT_NONE) return !wk_core_type_is_func(m, b);
    return a == WK_HT_NOFUNC && wk_core_type_is_func(m, b);
  }
  return abs_sub(a, b);
}

int wk_val_vt_sub(const wk_core_module *m, const uint32_t *canon, wk_vt a, wk_vt b) {
  if (a == b) return 1;
  if (!wk_vt_is_ref(a) || !wk_vt_is_ref(b)) return 0;
  if (wk_vt_nullable(a) && !wk_vt_nullable(b)) return 0;
  return wk_val_ht_sub(m, canon, wk_vt_heap(a), wk_vt_heap(b));
}

int wk_val_vt_ok(const wk_core_module *m, wk_vt t) {
  uint32_t h = wk_vt_heap(t); /* (an abstract heap type for every other code) */
  return !wk_ht_is_idx(h) || h < m->ntypes;
}

wk_vt wk_val_elem_vt(const wk_core_module *m, const wk_core_elem *e, unsigned features) {
  (void)m;
  if (e->uses_exprs) return wk_vt_make(e->reftype, e->ht);
  /* Core 3.0 5.5.12: elemkind 0x00 (function indices) is (ref func); 2.0: funcref */
  return features & WK_FEAT_FUNCTION_REFERENCES ? wk_vt_make(WK_REF, WK_HT_FUNC) : WK_FUNCREF;
}

/* a heap type with the top of its hierarchy (Core 3.0 valid/matching.rst; for ref.test/ref.cast
 * and br_on_cast: the cast's type must share the operand's hierarchy) */
uint32_t wk_val_ht_top(const wk_core_module *m, uint32_t h) {
  if (wk_ht_is_idx(h)) return h < m->ntypes ? wk_core_type_top(m, h) : h;
  switch (h) {
  case WK_HT_FUNC: case WK_HT_NOFUNC: return WK_HT_FUNC;
  case WK_HT_EXTERN: case WK_HT_NOEXTERN: return WK_HT_EXTERN;
  case WK_HT_EXN: case WK_HT_NOEXN: return WK_HT_EXN;
  default: return WK_HT_ANY;
  }
}

/* Core 3.0 valid/matching.rst "Field Types": var fields are invariant, const ones covariant */
static int field_sub(const wk_core_module *m, const uint32_t *canon, const wk_core_field *a, const wk_core_field *b) {
  if (a->mut != b->mut) return 0;
  if (wk_field_packed(a) || wk_field_packed(b)) return a->storage == b->storage;
  wk_vt x = wk_field_vt(a), y = wk_field_vt(b);
  if (!wk_val_vt_sub(m, canon, x, y)) return 0;
  return !a->mut || wk_val_vt_sub(m, canon, y, x);
}

/* Core 3.0 valid/matching.rst "Composite Types": the comptype of type a matches that of type b */
int wk_val_comp_sub(const wk_core_module *m, const uint32_t *canon, uint32_t a, uint32_t b) {
  uint8_t k = wk_core_type_kind(m, a);
  if (k != wk_core_type_kind(m, b)) return 0;
  if (k == WK_COMP_FUNC) {
    const wk_core_functype *x = &m->types[a], *y = &m->types[b];
    if (x->nparams != y->nparams || x->nresults != y->nresults) return 0;
    for (uint32_t i = 0; i < x->nparams; i++) /* contravariant parameters */
      if (!wk_val_vt_sub(m, canon, wk_functype_vt(y, i), wk_functype_vt(x, i))) return 0;
    for (uint32_t i = x->nparams; i < x->nparams + x->nresults; i++)
      if (!wk_val_vt_sub(m, canon, wk_functype_vt(x, i), wk_functype_vt(y, i))) return 0;
    return 1;
  }
  const wk_core_subtype *x = &m->subtypes[a], *y = &m->subtypes[b];
  if (k == WK_COMP_ARRAY) return field_sub(m, canon, &x->fields[0], &y->fields[0]);
  if (x->nfields < y->nfields) return 0; /* width and depth subtyping */
  for (uint32_t i = 0; i < y->nfields; i++)
    if (!field_sub(m, canon, &x->fields[i], &y->fields[i])) return 0;
  return 1;
}
