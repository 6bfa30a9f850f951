/*
 * wcompose opt --dce: which exports of a component's core modules nothing in
 * the component uses (opt.h, wk_opt_dce_plan). Dropping them before binaryen
 * runs lets its remove-unused-module-elements take what only they reached.
 *
 * A core module's export is reachable from outside the module only through a
 * core instance of it (Explainer.md "Instance Definitions", "Alias
 * Definitions"):
 *  - `alias core export $i "name"`: the canon definitions, inline-export
 *    instances and the component's own definitions all refer to core items
 *    through such aliases (canon lift targets, memory/realloc/post-return
 *    options are core indices, and every core index a module export provides
 *    comes from an alias);
 *  - `instantiate $m (with "n" (instance $i))`: $m's imports from module
 *    name "n" are read from $i's exports by name.
 * So the exports of module M that are used are, over every core instance of
 * M, the names aliased from it and the names other modules instantiated with
 * it import. A module whose instances cannot all be seen is kept whole: one
 * that is exported, passed to a component instantiation or inline-export
 * component instance (a module value), aliased by a nested component (outer
 * alias), or given as an argument to a module not defined here (an imported
 * or aliased module, whose imports are unknown). Index spaces are counted as
 * in Explainer.md "Index Spaces" (imports, aliases, definitions and exports
 * each add an index).
 */
#include <stdlib.h>
#include <string.h>

#include "compose/opt.h"
#include "encode/component.h"
#include "encode/encode.h"

typedef struct dmod {
  uint32_t section;     /* its section in the component */
  int instantiated, keep_all;
  wk_modinfo info;
  int info_ok;
  uint32_t nused, capused;
  wk_cstr *used;
} dmod;

typedef struct dplan {
  wk_arena *ar;
  dmod *mods;           /* defined modules, in section order */
  uint32_t nmods;
  int32_t *modidx;      /* core module index space -> mods[] or -1 (not defined here) */
  uint32_t nmodidx, capmodidx;
  int32_t *instmod;     /* core instance index space -> mods[] or -1 */
  uint32_t ninstmod, capinstmod;
} dplan;

static int push(int32_t **a, uint32_t *n, uint32_t *cap, int32_t v) {
  if (*n == *cap) {
    uint32_t nc = *cap ? *cap * 2 : 32;
    int32_t *na = wk_reallocarray(*a, nc, sizeof *na);
    if (!na) return -1;
    *a = na;
    *cap = nc;
  }
  (*a)[(*n)++] = v;
  return 0;
}

static int use(dmod *m, wk_cstr name) {
  for (uint32_t i = 0; i < m->nused; i++)
    if (m->used[i].len == name.len && !memcmp(m->used[i].s, name.s, name.len)) return 0;
  if (m->nused == m->capused) {
    uint32_t nc = m->capused ? m->capused * 2 : 16;
    wk_cstr *nu = wk_reallocarray(m->used, nc, sizeof *nu);
    if (!nu) return -1;
    m->used = nu;
    m->capused = nc;
  }
  m->used[m->nused++] = name;
  return 0;
}

static int32_t mod_at(const dplan *p, uint32_t idx) { return idx < p->nmodidx ? p->modidx[idx] : -1; }
static int32_t inst_at(const dplan *p, uint32_t idx) { return idx < p->ninstmod ? p->instmod[idx] : -1; }

/* Whether a component nested (at any depth) in `c` aliases a core module of
 * an enclosing component (Binary.md "Alias Definitions": outer, core:sort module). */
static int outer_module_alias(const wk_component *c) {
  for (uint32_t i = 0; i < c->nsections; i++) {
    const wk_csection *s = &c->sections[i];
    if (s->id == WK_CSEC_COMPONENT && outer_module_alias(s->u.component)) return 1;
    if (s->id == WK_CSEC_ALIAS)
      for (uint32_t k = 0; k < s->count; k++)
        if (s->u.aliases[k].target == WK_CALIAS_OUTER && s->u.aliases[k].sort.sort == WK_CSORT_CORE && s->u.aliases[k].sort.core_sort == WK_CCSORT_MODULE)
          return 1;
  }
  return 0;
}

static int is_core_module(wk_csort s) { return s.sort == WK_CSORT_CORE && s.core_sort == WK_CCSORT_MODULE; }

int wk_opt_dce_plan(const wk_component *c, wk_opt_dce *out, wk_error *err) {
  memset(out, 0, sizeof *out);
  dplan p = {0};
  int rc = WK_OK;
  uint32_t nmods = 0;
  for (uint32_t i = 0; i < c->nsections; i++) nmods += c->sections[i].id == WK_CSEC_CORE_MODULE;
  out->drop = calloc(c->nsections ? c->nsections : 1, sizeof *out->drop);
  p.mods = calloc(nmods ? nmods : 1, sizeof *p.mods);
  wk_arena *ar = calloc(1, sizeof *ar);
  out->arena = ar;
  if (!out->drop || !p.mods || !ar) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }
  out->n = c->nsections;
  int nested_outer = 0;
  for (uint32_t i = 0; i < c->nsections; i++)
    if (c->sections[i].id == WK_CSEC_COMPONENT && outer_module_alias(c->sections[i].u.component)) nested_outer = 1;
  if (nested_outer) goto done; /* a nested component may instantiate any of our modules: keep all */
#define PUSH(arr, v) \
  if (push(&p.arr, &p.n##arr, &p.cap##arr, (v))) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }
  for (uint32_t i = 0; i < c->nsections; i++) {
    const wk_csection *s = &c->sections[i];
    switch (s->id) {
      case WK_CSEC_CORE_MODULE: {
        dmod *m = &p.mods[p.nmods];
        m->section = i;
        wk_error e;
        m->info_ok = wk_modinfo_read(s->u.module.bytes, s->u.module.len, ar, &m->info, &e) == WK_OK;
        if (!m->info_ok) m->keep_all = 1;
        PUSH(modidx, (int32_t)p.nmods);
        p.nmods++;
        break;
      }
      case WK_CSEC_IMPORT:
        for (uint32_t k = 0; k < s->count; k++)
          if (s->u.imports[k].ext.kind == WK_CSORT_CORE) PUSH(modidx, -1);
        break;
      case WK_CSEC_ALIAS:
        for (uint32_t k = 0; k < s->count; k++) {
          const wk_calias *a = &s->u.aliases[k];
          if (is_core_module(a->sort)) PUSH(modidx, -1);
          if (a->sort.sort == WK_CSORT_CORE && a->sort.core_sort == WK_CCSORT_INSTANCE) PUSH(instmod, -1);
          if (a->target == WK_CALIAS_CORE_EXPORT) { /* alias core export $i "name" */
            int32_t m = inst_at(&p, a->inst);
            if (m >= 0 && use(&p.mods[m], a->name)) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }
          }
        }
        break;
      case WK_CSEC_EXPORT:
        for (uint32_t k = 0; k < s->count; k++)
          if (is_core_module(s->u.exports[k].sort)) {
            int32_t m = mod_at(&p, s->u.exports[k].idx);
            if (m >= 0) p.mods[m].keep_all = 1;
            PUSH(modidx, m); /* the export adds an index for the same module */
          }
        break;
      case WK_CSEC_INSTANCE: /* a module given to a component, or in a component instance, escapes */
        for (uint32_t k = 0; k < s->count; k++)
          for (uint32_t j = 0; j < s->u.instances[k].n; j++)
            if (is_core_module(s->u.instances[k].args[j].sort)) {
              int32_t m = mod_at(&p, s->u.instances[k].args[j].idx);
              if (m >= 0) p.mods[m].keep_all = 1;
            }
        break;
      case WK_CSEC_CORE_INSTANCE:
        for (uint32_t k = 0; k < s->count; k++) {
          const wk_cinstance *in = &s->u.core_instances[k];
          if (in->kind != WK_CINST_INSTANTIATE) { PUSH(instmod, -1); continue; } /* inline exports: items from aliases */
          int32_t target = mod_at(&p, in->target);
          if (target >= 0) p.mods[target].instantiated = 1;
          for (uint32_t j = 0; j < in->n; j++) {
            const wk_cinstarg *arg = &in->args[j];
            int32_t from = inst_at(&p, arg->idx);
            if (from < 0) continue;
            dmod *fm = &p.mods[from];
            if (target < 0 || !p.mods[target].info_ok) { fm->keep_all = 1; continue; } /* unknown imports */
            const wk_modinfo *ti = &p.mods[target].info;
            for (uint32_t q = 0; q < ti->nimports; q++) /* the target's imports from this argument's name */
              if (ti->imports[q].module.len == arg->name.name.len &&
                  !memcmp(ti->imports[q].module.s, arg->name.name.s, arg->name.name.len) &&
                  use(fm, ti->imports[q].name)) {
                rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory");
                goto done;
              }
          }
          PUSH(instmod, target);
        }
        break;
      default: break;
    }
  }
#undef PUSH
  for (uint32_t i = 0; i < p.nmods; i++) {
    dmod *m = &p.mods[i];
    if (!m->instantiated || m->keep_all) continue;
    wk_opt_drop *d = &out->drop[m->section];
    for (uint32_t k = 0; k < m->info.nexports; k++) {
      wk_cstr n = m->info.exports[k].name;
      uint32_t u;
      for (u = 0; u < m->nused && !(m->used[u].len == n.len && !memcmp(m->used[u].s, n.s, n.len)); u++) {}
      if (u < m->nused || memchr(n.s, 0, n.len)) continue; /* used (or not passable to binaryen as a C string) */
      if (!d->names) {
        d->names = wk_arena_alloc(ar, m->info.nexports * sizeof *d->names);
        if (!d->names) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }
      }
      char *copy = wk_arena_alloc(ar, n.len + 1);
      if (!copy) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }
      memcpy(copy, n.s, n.len);
      copy[n.len] = 0;
      d->names[d->n++] = copy;
    }
  }
done:
  for (uint32_t i = 0; i < p.nmods; i++) free(p.mods[i].used);
  free(p.mods);
  free(p.modidx);
  free(p.instmod);
  if (rc) wk_opt_dce_free(out);
  return rc;
}

void wk_opt_dce_free(wk_opt_dce *d) {
  if (!d) return;
  if (d->arena) wk_arena_free(d->arena);
  free(d->arena);
  free(d->drop);
  memset(d, 0, sizeof *d);
}
