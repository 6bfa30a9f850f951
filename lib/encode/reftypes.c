/*
 * Reference types and subtyping (Core 3.0 3.2 "Types", "Matching": heap types, reference types,
 * value types), shared by the module validator (validate.c) and the function validator
 * (validate_func.c). Typed function references only: every defined type is a function type, so
 * a concrete heap type $t matches func and the same (equivalent) type; GC adds its hierarchy
 * (any/eq/i31/struct/array, the bottoms none/nofunc/noextern/noexn, declared supertypes) in
 * wk_val_ht_sub.
 */
#include <stdlib.h>
#include <string.h>

#include "encode/encode.h"
#include "encode/validate_int.h"

/* Heap type `h` of a type in the singleton recursion group of type `self` (Core 3.0 3.2:
 * without explicit rec groups each type is its own group), as a comparable key: abstract types
 * by code, `self` by a marker, earlier types by their canonical index. */
static uint64_t ht_key(const uint32_t *canon, uint32_t self, uint32_t h) {
  if (!wk_ht_is_idx(h)) return (uint64_t)1 << 40 | h;
  if (h == self) return (uint64_t)2 << 40;
  return h < self ? canon[h] : (uint64_t)3 << 40 | h;
}

static int types_same(const wk_core_module *m, const uint32_t *canon, uint32_t i, uint32_t j) {
  const wk_core_functype *a = &m->types[i], *b = &m->types[j];
  if (a->nparams != b->nparams || a->nresults != b->nresults) return 0;
  uint32_t n = a->nparams + a->nresults;
  for (uint32_t k = 0; k < n; k++) {
    wk_vt x = wk_functype_vt(a, k), y = wk_functype_vt(b, k);
    if (wk_vt_code(x) != wk_vt_code(y)) return 0;
    if ((wk_vt_code(x) == WK_REF || wk_vt_code(x) == WK_REFNULL) &&
        ht_key(canon, i, wk_vt_heap(x)) != ht_key(canon, j, wk_vt_heap(y)))
      return 0;
  }
  return 1;
}

static uint64_t type_hash(const wk_core_module *m, const uint32_t *canon, uint32_t i) {
  const wk_core_functype *t = &m->types[i];
  uint64_t h = 1469598103934665603ull ^ t->nparams ^ (uint64_t)t->nresults << 32;
  uint32_t n = t->nparams + t->nresults;
  for (uint32_t k = 0; k < n; k++) {
    wk_vt x = wk_functype_vt(t, k);
    h = (h ^ wk_vt_code(x)) * 1099511628211ull;
    if (wk_vt_code(x) == WK_REF || wk_vt_code(x) == WK_REFNULL) h = (h ^ ht_key(canon, i, wk_vt_heap(x))) * 1099511628211ull;
  }
  return h;
}

uint32_t *wk_val_type_canon(const wk_core_module *m) {
  uint32_t n = m->ntypes;
  uint32_t *canon = malloc(((size_t)n + 1) * sizeof *canon);
  if (!canon) return NULL;
  size_t cap = 16;
  while (cap < 2 * (size_t)n) cap *= 2;
  uint32_t *tab = malloc(cap * sizeof *tab); /* open addressing: type index + 1, 0 = empty */
  if (!tab) { free(canon); return NULL; }
  memset(tab, 0, cap * sizeof *tab);
  for (uint32_t i = 0; i < n; i++) {
    canon[i] = i;
    for (size_t s = type_hash(m, canon, i) & (cap - 1);; s = (s + 1) & (cap - 1)) {
      if (!tab[s]) { tab[s] = i + 1; break; }
      if (types_same(m, canon, i, tab[s] - 1)) { canon[i] = canon[tab[s] - 1]; break; }
    }
  }
  free(tab);
  return canon;
}

int wk_val_ht_sub(const wk_core_module *m, const uint32_t *canon, uint32_t a, uint32_t b) {
  if (a == b) return 1;
  if (wk_ht_is_idx(a)) {
    if (a >= m->ntypes) return 0;
    if (b == WK_HT_FUNC) return 1; /* Core 3.0 3.2: a function type matches func */
    return wk_ht_is_idx(b) && b < m->ntypes && canon && canon[a] == canon[b];
  }
  return 0;
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
