/*
 * lib/interp GC types: a module's types as store type ids (Core 3.0 4.5.4 "alloctype", 3.2
 * "type equivalence"): recursion groups are canonicalised per store, so that equal groups of
 * different modules (or of the same module) have the same ids, and every id gets its runtime
 * type (gc.h wk_rtt: kind, field layout, supertype display).
 *
 * A group's key is its types' structure with each type index written as either the store id of
 * a type before the group, or its position inside the group (Core 3.0 3.2: "rolled up" types), so
 * comparing keys is comparing groups. A group of one final function type without a supertype is
 * the function type of WebAssembly 2.0 / typed function references: it goes to
 * wk_store_intern_type_ex, the registry call_indirect used before GC, so such types keep one id
 * whether the module uses GC or not.
 */
#include <stdlib.h>
#include <string.h>

#include "interp/internal.h"

typedef struct keybuf {
  uint32_t *k;
  size_t n, cap;
  int oom;
} keybuf;
static void kput(keybuf *b, uint32_t v) {
  if (b->n == b->cap) {
    size_t nc = b->cap ? b->cap * 2 : 64;
    uint32_t *n = wk_reallocarray(b->k, nc, sizeof *n);
    if (!n) { b->oom = 1; return; }
    b->k = n, b->cap = nc;
  }
  b->k[b->n++] = v;
}
/* a type index as the key writes it: the store id before the group, or its place in the group */
static void kidx(keybuf *b, uint32_t t, uint32_t g0, uint32_t gn, const uint32_t *ids) {
  if (t >= g0 && t < g0 + gn) kput(b, 2), kput(b, t - g0);
  else kput(b, 1), kput(b, ids[t]);
}
static void kvt(keybuf *b, wk_vt v, uint32_t g0, uint32_t gn, const uint32_t *ids) {
  uint8_t c = wk_vt_code(v);
  kput(b, c);
  if (wk_vt_is_ref(v) && (c == WK_REF || c == WK_REFNULL) && wk_ht_is_idx(wk_vt_heap(v))) kidx(b, wk_vt_heap(v), g0, gn, ids);
  else kput(b, 0), kput(b, wk_vt_is_ref(v) ? wk_vt_heap(v) : 0);
}


/* storage type -> field layout (Core 3.0 2.3.7 storage types; packed i8 / i16) */
static wk_gcfield field_of(wk_vt v, uint8_t mut) {
  wk_gcfield f = {0};
  uint8_t c = wk_vt_code(v);
  f.mut = mut;
  f.st = c;
  switch (c) {
  case WK_ST_I8: f.size = 1; break;
  case WK_ST_I16: f.size = 2; break;
  case WK_I32: case WK_F32: f.size = 4; break;
  case WK_I64: case WK_F64: f.size = 8; break;
  case WK_V128: f.size = 16; break;
  default: f.size = 8, f.is_ref = 1; break; /* a reference */
  }
  return f;
}

/* fill the rtt of a new group member id (module type t of m) */
static int make_rtt(wk_store *s, const wk_gc_deftype *d, uint32_t id, const uint32_t *ids) {
  wk_rtt *r = wk_gc_rtt_raw(s, id);
  if (!r) return -1;
  r->kind = d->kind, r->final = d->final, r->grouped = 1;
  uint32_t sup = d->super != UINT32_MAX ? ids[d->super] : UINT32_MAX;
  const wk_rtt *rs = sup != UINT32_MAX ? wk_gc_rtt(s, sup) : NULL;
  if (sup != UINT32_MAX && !rs) return -1;
  r = wk_gc_rtt_raw(s, id); /* (the array may have moved) */
  r->depth = rs ? rs->depth + 1 : 0;
  if (!(r->display = malloc(((size_t)r->depth + 1) * sizeof *r->display))) return -1;
  if (rs) memcpy(r->display, rs->display, (size_t)r->depth * sizeof *r->display);
  r->display[r->depth] = id;
  r->known = 1;
  if (d->kind == RTT_FUNC) return 0;
  r->nfields = d->nfields;
  if (d->nfields && !(r->fields = calloc(d->nfields, sizeof *r->fields))) return -1;
  uint32_t off = 0;
  for (uint32_t i = 0; i < d->nfields; i++) {
    r->fields[i] = field_of(d->vts[i], d->mut ? d->mut[i] : 0);
    uint32_t al = r->fields[i].size > 8 ? 8 : r->fields[i].size;
    off = (off + al - 1) & ~(al - 1);
    r->fields[i].off = off;
    off += r->fields[i].size;
  }
  r->size = (off + 7) & ~7u;
  return 0;
}

int wk_gc_alloc_types(wk_store *s, const wk_module *m, uint32_t *ids) {
  if (wk_gc_init(s)) return WK_ERR_NOMEM;
  wk_gc *g = s->gc;
  for (uint32_t t = 0; t < m->ntypes;) {
    const wk_gc_deftype *d = &m->gctypes[t];
    uint32_t g0 = d->g0, gn = d->gn ? d->gn : 1;
    if (gn == 1 && d->kind == RTT_FUNC && d->final && d->super == UINT32_MAX) { /* 2.0 function type */
      ids[t] = wk_store_intern_type_ex(s, &m->types[t], ids, t);
      if (ids[t] == UINT32_MAX) return WK_ERR_NOMEM;
      t++;
      continue;
    }
    keybuf b = {0};
    kput(&b, gn);
    for (uint32_t i = g0; i < g0 + gn; i++) {
      const wk_gc_deftype *e = &m->gctypes[i];
      kput(&b, e->kind), kput(&b, e->final), kput(&b, e->nfields), kput(&b, e->nparams);
      if (e->super == UINT32_MAX) kput(&b, 0), kput(&b, 0);
      else kidx(&b, e->super, g0, gn, ids);
      for (uint32_t k = 0; k < e->nfields; k++) {
        kput(&b, e->mut ? e->mut[k] : 0);
        kvt(&b, e->vts[k], g0, gn, ids);
      }
    }
    if (b.oom) { free(b.k); return WK_ERR_NOMEM; }
    size_t gi;
    for (gi = 0; gi < g->ngroups; gi++)
      if (g->groups[gi].klen == b.n && !memcmp(g->groups[gi].key, b.k, b.n * sizeof *b.k)) break;
    if (gi < g->ngroups) { /* an equal group: its ids */
      free(b.k);
      for (uint32_t i = 0; i < gn; i++) ids[g0 + i] = g->groups[gi].first + i;
      t = g0 + gn;
      continue;
    }
    if (g->ngroups == g->capgroups) {
      size_t nc = g->capgroups ? g->capgroups * 2 : 16;
      struct wk_gcgroup *n = wk_reallocarray(g->groups, nc, sizeof *n);
      if (!n) { free(b.k); return WK_ERR_NOMEM; }
      g->groups = n, g->capgroups = nc;
    }
    /* new ids, consecutive: s->nctypes on (ids first, so that members may refer to each other) */
    uint32_t first = (uint32_t)s->nctypes;
    for (uint32_t i = 0; i < gn; i++) ids[g0 + i] = first + i;
    for (uint32_t i = 0; i < gn; i++) {
      static const wk_core_functype empty = {0, 0, NULL, NULL, NULL};
      const wk_core_functype *ft = m->gctypes[g0 + i].kind == RTT_FUNC ? &m->types[g0 + i] : &empty;
      uint32_t id = wk_store_add_type_ex(s, ft, ids, g0 + gn);
      if (id != first + i || make_rtt(s, &m->gctypes[g0 + i], id, ids)) { free(b.k); return WK_ERR_NOMEM; }
    }
    g->groups[g->ngroups++] = (struct wk_gcgroup){b.k, (uint32_t)b.n, first, gn};
    t = g0 + gn;
  }
  return WK_OK;
}
