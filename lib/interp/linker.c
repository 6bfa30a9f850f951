/*
 * lib/interp linker and instantiation (Core spec 4.5.4): name -> extern
 * definitions, import matching (Core spec 4.5.3), allocation of an instance's
 * functions, globals, tables and memories in a store, active segments and the
 * start function (run through wk_func_call, the store's call entry).
 */
#include <stdlib.h>
#include <string.h>

#include "interp/host_types.h"
#include "interp/internal.h"

/* ---- linker ---- */
/* Definitions are found by (module, name) through one open-addressing hash table of indices
 * into defs (linear probing; a slot holds index + 1, 0 = empty; kept at most half full): a
 * component's start-up defines ~200 host functions and links ~2,000 imports, which a linear
 * scan compared one by one (issue 10, start-up). */
typedef struct ldef {
  char *module, *name;
  uint32_t hash;
  wk_extern ext;
} ldef;
struct wk_linker {
  wk_store *s;
  ldef *defs;
  size_t n, cap;
  uint32_t *slots; /* tcap entries, a power of two */
  size_t tcap;
  const wk_extern *byidx; /* wk_linker_set_imports: import i is byidx[i] (borrowed), else NULL */
  size_t nbyidx;
};
static uint32_t name_hash(const char *module, const char *name) {
  uint32_t h = 2166136261u; /* FNV-1a over module, a 0 byte, name */
  for (const unsigned char *p = (const unsigned char *)module; *p; p++) h = (h ^ *p) * 16777619u;
  h *= 16777619u;
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) h = (h ^ *p) * 16777619u;
  return h;
}
/* the slot of (module, name): its definition's or the empty one where it would go */
static size_t find_slot(const wk_linker *l, const char *module, const char *name, uint32_t h) {
  size_t mask = l->tcap - 1, i = h & mask;
  for (; l->slots[i]; i = (i + 1) & mask) {
    const ldef *d = &l->defs[l->slots[i] - 1];
    if (d->hash == h && !strcmp(d->name, name) && !strcmp(d->module, module)) break;
  }
  return i;
}
static const ldef *find_def(const wk_linker *l, const char *module, const char *name) {
  if (!l->tcap) return NULL;
  size_t i = find_slot(l, module, name, name_hash(module, name));
  return l->slots[i] ? &l->defs[l->slots[i] - 1] : NULL;
}
wk_linker *wk_linker_new(wk_store *s) {
  wk_linker *l = calloc(1, sizeof *l);
  if (l) l->s = s;
  return l;
}
void wk_linker_free(wk_linker *l) {
  if (!l) return;
  for (size_t i = 0; i < l->n; i++) free(l->defs[i].module);
  free(l->defs);
  free(l->slots);
  free(l);
}
int wk_linker_define(wk_linker *l, const char *module, const char *name, wk_extern ext, wk_error *err) {
  uint32_t h = name_hash(module, name);
  if (l->tcap) {
    size_t i = find_slot(l, module, name, h);
    if (l->slots[i]) {
      l->defs[l->slots[i] - 1].ext = ext;
      return WK_OK;
    }
  }
  if ((l->n + 1) * 2 > l->tcap) { /* grow the table (rehash from the kept hashes) */
    size_t nc = l->tcap ? l->tcap * 2 : 64;
    uint32_t *ns = calloc(nc, sizeof *ns);
    if (!ns) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < l->n; k++) {
      size_t i = l->defs[k].hash & (nc - 1);
      while (ns[i]) i = (i + 1) & (nc - 1);
      ns[i] = (uint32_t)k + 1;
    }
    free(l->slots);
    l->slots = ns;
    l->tcap = nc;
  }
  if (l->n == l->cap) {
    size_t nc = l->cap ? l->cap * 2 : 32;
    ldef *n = wk_reallocarray(l->defs, nc, sizeof *n);
    if (!n) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    l->defs = n;
    l->cap = nc;
  }
  size_t ml = strlen(module), nl = strlen(name);
  char *buf = malloc(ml + nl + 2);
  if (!buf) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  memcpy(buf, module, ml + 1);
  memcpy(buf + ml + 1, name, nl + 1);
  size_t i = find_slot(l, module, name, h);
  l->defs[l->n] = (ldef){buf, buf + ml + 1, h, ext};
  l->slots[i] = (uint32_t)++l->n;
  return WK_OK;
}
int wk_linker_set_imports(wk_linker *l, const wk_extern *ext, size_t n) {
  l->byidx = ext;
  l->nbyidx = n;
  return WK_OK;
}
int wk_linker_define_func(wk_linker *l, const char *module, const char *name, const wk_core_functype *type,
                          wk_host_fn fn, void *env, wk_error *err) {
  wk_func *f = wk_func_new_host(l->s, type, fn, env);
  if (!f) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  wk_extern e = {.kind = WK_EXTERN_FUNC, .of.func = f};
  return wk_linker_define(l, module, name, e, err);
}
int wk_linker_define_instance(wk_linker *l, const char *module, wk_instance *inst, wk_error *err) {
  const wk_module *m = inst->m;
  for (uint32_t i = 0; i < m->nexports; i++) {
    wk_extern e;
    if (wk_instance_export_n(inst, m->exports[i].name, m->exports[i].name_len, &e) != WK_OK) continue;
    int rc = wk_linker_define(l, module, m->exports[i].name, e, err);
    if (rc) return rc;
  }
  return WK_OK;
}

int wk_instance_export(wk_instance *inst, const char *name, wk_extern *out) {
  return wk_instance_export_n(inst, name, strlen(name), out);
}
int wk_instance_export_n(wk_instance *inst, const char *name, size_t len, wk_extern *out) {
  const wk_module *m = inst->m;
  for (uint32_t i = 0; i < m->nexports; i++) {
    const wk_mexport *e = &m->exports[i];
    if (e->name_len != len || (len && (e->name[0] != name[0] || memcmp(e->name, name, len)))) continue;
    out->kind = e->kind;
    switch (e->kind) {
    case WK_EXTERN_FUNC: out->of.func = inst->funcs[e->idx]; break;
    case WK_EXTERN_TABLE: out->of.table = inst->tables[e->idx]; break;
    case WK_EXTERN_MEMORY: out->of.memory = inst->mems[e->idx]; break;
    case WK_EXTERN_GLOBAL: out->of.global = inst->globals[e->idx]; break;
    case WK_EXTERN_TAG: out->of.tag = inst->tags[e->idx]; break;
    }
    return WK_OK;
  }
  return WK_ERR_USAGE;
}

/* limits subtyping (Core spec 4.5.3 / 7.? "Import Matching": limits) */
static int limits_match(uint64_t n1, int hm1, uint64_t m1, uint64_t n2, int hm2, uint64_t m2) {
  if (n1 < n2) return 0;
  if (!hm2) return 1;
  return hm1 && m1 <= m2;
}

/* Core 3.0 typed references at store level: a module's full value type (wk_vt, 0 for a 2.0 one: the
 * family code is all of it) with a concrete heap type replaced by the store type id (canonical:
 * equivalent types have one id), so types of different modules compare as values */
static wk_vt store_vt(const wk_instance *inst, uint8_t fam, wk_vt full) {
  if (!full) return fam;
  if (wk_vt_code(full) != WK_REF && wk_vt_code(full) != WK_REFNULL) return full; /* (a GC shorthand: eqref, ...) */
  uint32_t ht = full >> 8;
  if (wk_ht_is_idx(ht)) ht = ht < inst->m->ntypes ? inst->type_ids[ht] : WK_HT_BADIDX;
  return (full & 0xff) | ht << 8;
}
/* a <: b for store-level value types (Core 3.0 3.2 matching: nullability, $t <: func) */
static int store_vt_sub(wk_store *s, wk_vt a, wk_vt b) {
  if (a == b) return 1;
  if (!wk_vt_is_ref(a) || !wk_vt_is_ref(b) || (wk_vt_nullable(a) && !wk_vt_nullable(b))) return 0;
  uint32_t ha = wk_vt_heap(a), hb = wk_vt_heap(b);
  if (s->gc) return wk_gc_ht_sub(s, ha, hb); /* (GC: declared subtypes, the any/eq hierarchy) */
  return ha == hb || (wk_ht_is_idx(ha) && hb == WK_HT_FUNC);
}

static int link_fail(wk_error *err, const wk_mimport *im, const char *what) {
  return wk_error_set(err, WK_ERR_LINK, "%s: %s.%s", what, im->module, im->name);
}
/* An import whose extern does not match (Core 3.0 3.5 "external types" matching): the error names
 * the import and both types, e.g. "incompatible import type: m.f: expected (func (param i32)),
 * got (func)" */
/* a GC constant expression (global / table initialiser, element item) ran out of heap: Core 3.0
 * 4.5.4, instantiation fails with the trap (never a null the type may forbid) */
static int cexpr_oom_trap(wk_trap **trap, wk_error *err) {
  if (trap) *trap = wk_trap_make(WK_TRAP_GC_OOM, NULL);
  return wk_error_set(err, WK_ERR_TRAP, "out of memory");
}
static int link_type_fail(wk_error *err, const wk_store *s, const wk_instance *inst, const wk_mimport *im,
                          const wk_extern *got) {
  wk_buf want = {0}, have = {0};
  wk_import_type_text(s, inst, im, &want);
  wk_extern_type_text(s, got, &have);
  wk_buf_byte(&want, 0);
  wk_buf_byte(&have, 0);
  int rc = want.oom || have.oom ? link_fail(err, im, "incompatible import type")
                                : wk_error_set(err, WK_ERR_LINK, "incompatible import type: %s.%s: expected %s, got %s",
                                               im->module, im->name, (char *)want.data, (char *)have.data);
  wk_buf_free(&want);
  wk_buf_free(&have);
  return rc;
}

int wk_linker_instantiate(wk_linker *l, const wk_module *m, wk_instance **out, wk_trap **trap,
                          wk_error *err) {
  wk_store *s = l->s;
  *out = NULL;
  if (trap) *trap = NULL;
  wk_error_clear(err);
  /* one allocation for the instance and its index spaces */
  size_t sz = sizeof(wk_instance) + sizeof(void *) * ((size_t)m->nfuncs + m->ntables + m->nmems + m->nglobals + m->ntags) +
              sizeof(uint32_t) * m->ntypes + m->nelems + m->ndatas + 16;
  uint8_t *blk = calloc(1, sz);
  if (!blk || wk_store_track(s, blk, OBJ_INST)) {
    free(blk);
    return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  }
  wk_instance *inst = (wk_instance *)blk;
  uint8_t *p = blk + sizeof *inst;
  inst->store = s;
  inst->m = m;
  inst->funcs = (wk_func **)p, p += sizeof(void *) * m->nfuncs;
  inst->tables = (wk_table **)p, p += sizeof(void *) * m->ntables;
  inst->mems = (wk_memory **)p, p += sizeof(void *) * m->nmems;
  inst->globals = (wk_global **)p, p += sizeof(void *) * m->nglobals;
  inst->tags = (wk_tag **)p, p += sizeof(void *) * m->ntags;
  inst->type_ids = (uint32_t *)p, p += sizeof(uint32_t) * m->ntypes;
  inst->elem_dropped = p, p += m->nelems;
  inst->data_dropped = p;
  if (m->nmems == 0) inst->mems = NULL;
  if (m->gctypes) { /* GC: canonical rec groups, runtime types (gc_types.c) */
    if (wk_gc_alloc_types(s, m, inst->type_ids)) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  } else
    for (uint32_t i = 0; i < m->ntypes; i++) {
      inst->type_ids[i] = wk_store_intern_type_ex(s, &m->types[i], inst->type_ids, i);
      if (inst->type_ids[i] == UINT32_MAX) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    }
  /* imports (Core spec 4.5.4 step 3-4, import matching 4.5.3) */
  uint32_t fi = 0, ti = 0, mi = 0, gi = 0, tgi = 0;
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wk_mimport *im = &m->imports[i];
    ldef given;
    const ldef *d = !l->byidx ? find_def(l, im->module, im->name) : i < l->nbyidx ? (given.ext = l->byidx[i], &given) : NULL;
    if (!d) return link_fail(err, im, "unknown import");
    if (d->ext.kind != im->kind) return link_type_fail(err, s, inst, im, &d->ext);
    switch (im->kind) {
    case WK_EXTERN_FUNC: {
      wk_func *f = d->ext.of.func;
      if (!f || (f->type_id != inst->type_ids[im->type] && !wk_gc_sub(s, f->type_id, inst->type_ids[im->type])))
        return link_type_fail(err, s, inst, im, &d->ext); /* (GC: a declared subtype matches) */
      inst->funcs[fi++] = f;
      break;
    }
    case WK_EXTERN_TABLE: {
      wk_table *t = d->ext.of.table;
      /* Core 3.0 import matching: table element types are equal */
      if (!t || t->et != im->vtype || (t->vt ? t->vt : t->et) != store_vt(inst, im->vtype, im->vfull) ||
          t->is64 != im->lim.is64 || /* (table64: index types match) */
          !limits_match(t->size, t->has_max, t->max, im->lim.min, im->lim.has_max, im->lim.max))
        return link_type_fail(err, s, inst, im, &d->ext);
      inst->tables[ti++] = t;
      break;
    }
    case WK_EXTERN_MEMORY: {
      wk_memory *mm = d->ext.of.memory;
      if (!mm || mm->is64 != im->lim.is64 || /* address types match (Core 3.0 3.5.2 memtype matching) */
          !limits_match(mm->pages, mm->has_max, mm->max, im->lim.min, im->lim.has_max, im->lim.max))
        return link_type_fail(err, s, inst, im, &d->ext);
      inst->mems[mi++] = mm;
      break;
    }
    case WK_EXTERN_GLOBAL: {
      wk_global *g = d->ext.of.global;
      if (!g || g->type != im->vtype || g->mut != im->mut) return link_type_fail(err, s, inst, im, &d->ext);
      /* Core 3.0 import matching: a const global's type matches (subtyping), a var one's is equal */
      wk_vt have = g->vt ? g->vt : g->type, want = store_vt(inst, im->vtype, im->vfull);
      if (have != want && (g->mut || !store_vt_sub(s, have, want))) return link_type_fail(err, s, inst, im, &d->ext);
      inst->globals[gi++] = g;
      break;
    }
    case WK_EXTERN_TAG: { /* Core 3.0 import matching: tag types must be equal */
      wk_tag *t = d->ext.of.tag;
      if (!t || t->type_id != inst->type_ids[im->type]) return link_type_fail(err, s, inst, im, &d->ext);
      inst->tags[tgi++] = t;
      break;
    }
    }
  }
  /* tags: a new tag instance per defined tag (Core 3.0 "alloctag") */
  for (uint32_t i = m->ntag_imports; i < m->ntags; i++) {
    wk_tag *t = calloc(1, sizeof *t);
    if (!t || wk_store_track(s, t, OBJ_BLOB)) {
      free(t);
      return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    }
    t->type = m->types[m->tag_type[i]];
    t->type_id = inst->type_ids[m->tag_type[i]];
    inst->tags[i] = t;
  }
  /* functions: one store-owned block for all of the instance's defined functions (freed with
   * the store as one OBJ_FUNC; a calloc and a tracking entry per function were a per-function
   * cost of every instantiation) */
  wk_func *fs = NULL;
  if (m->nfuncs > m->nfunc_imports) {
    fs = calloc((size_t)m->nfuncs - m->nfunc_imports, sizeof *fs);
    if (!fs || wk_store_track(s, fs, OBJ_FUNC)) {
      free(fs);
      return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    }
  }
  for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
    wk_func *f = &fs[i - m->nfunc_imports];
    f->type = m->types[m->func_type[i]];
    f->type_id = inst->type_ids[m->func_type[i]];
    f->inst = inst;
    f->index = i;
    inst->funcs[i] = f;
  }
  /* globals (evaluated in order; initializers may read imported globals and ref.func) */
  wk_gc_cexpr_failed(s); /* (forget a failure outside instantiation) */
  for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
    wk_global *g = calloc(1, sizeof *g);
    if (!g || wk_store_track(s, g, OBJ_GLOBAL)) {
      free(g);
      return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    }
    g->store = s;
    g->type = m->globals[i].type;
    g->mut = m->globals[i].mut;
    g->vt = store_vt(inst, g->type, m->globals[i].vfull);
    g->val = wk_eval_cexpr(inst, &m->globals[i].init);
    g->hi = wk_eval_cexpr_hi(inst, &m->globals[i].init);
    inst->globals[i] = g;
  }
  if (m->gc_elems && wk_gc_eval_elems(inst)) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  if (wk_gc_cexpr_failed(s)) return cexpr_oom_trap(trap, err);
  for (uint32_t i = m->ntable_imports; i < m->ntables; i++) {
    const wk_mtable *mt = &m->tables[i];
    inst->tables[i] = wk_table_new_ex(s, mt->et, mt->lim.min, mt->lim.max, mt->lim.has_max, mt->lim.is64);
    if (!inst->tables[i]) return wk_error_set(err, WK_ERR_NOMEM, "cannot allocate table");
    inst->tables[i]->vt = store_vt(inst, mt->et, mt->vfull);
    if (mt->has_init) { /* Core 3.0 4.5.4 (typed function references): every element is the init value */
      void *v = wk_eval_ref(inst, &mt->init);
      for (uint64_t k = 0; k < inst->tables[i]->size; k++) inst->tables[i]->elems[k] = v;
      if (wk_gc_cexpr_failed(s)) return cexpr_oom_trap(trap, err);
    }
  }
  for (uint32_t i = m->nmem_imports; i < m->nmems; i++) {
    const wk_limits *ml = &m->mems[i];
    inst->mems[i] = wk_memory_new_ex(s, ml->min, ml->max, ml->has_max, ml->is64);
    if (!inst->mems[i]) return wk_error_set(err, WK_ERR_NOMEM, "cannot allocate memory");
  }
  /* element segments, then data segments, in order; a failure traps (Core spec 4.5.4 steps 14-15) */
  for (uint32_t i = 0; i < m->nelems; i++) {
    const wk_melem *e = &m->elems[i];
    if (e->mode == SEG_ACTIVE) {
      wk_table *t = inst->tables[e->table];
      uint64_t off = wk_eval_cexpr(inst, &e->offset);
      if (!t->is64) off = (uint32_t)off; /* an i64 table's offset is an i64 (table64) */
      if (off > t->size || e->n > t->size - off) {
        if (trap) *trap = wk_trap_make(WK_TRAP_TABLE_OOB, NULL);
        return wk_error_set(err, WK_ERR_TRAP, "out of bounds table access");
      }
      for (uint32_t k = 0; k < e->n; k++) t->elems[off + k] = wk_eval_ref(inst, &e->items[k]);
    }
    if (e->mode != SEG_PASSIVE) inst->elem_dropped[i] = 1;
  }
  for (uint32_t i = 0; i < m->ndatas; i++) {
    const wk_mdata *d = &m->datas[i];
    if (d->mode != SEG_ACTIVE) continue;
    wk_memory *mm = inst->mems[d->mem];
    uint64_t off = wk_eval_cexpr(inst, &d->offset);
    if (!mm->is64) off = (uint32_t)off; /* an i64 memory's offset is an i64 (memory64) */
    if (off > mm->bytes || d->len > mm->bytes - off) {
      if (trap) *trap = wk_trap_make(WK_TRAP_MEMORY_OOB, NULL);
      return wk_error_set(err, WK_ERR_TRAP, "out of bounds memory access");
    }
    if (d->len) memcpy(mm->base + off, d->bytes, d->len);
    inst->data_dropped[i] = 1;
  }
  if (m->has_start) {
    wk_trap *t = NULL;
    int rc = wk_func_call(s, inst->funcs[m->start], NULL, 0, NULL, 0, &t);
    if (rc != WK_OK) {
      if (trap) *trap = t;
      else wk_trap_free(t);
      return wk_error_set(err, WK_ERR_TRAP, "%s", t ? wk_trap_message(t) : "trap in start function");
    }
  }
  *out = inst;
  return WK_OK;
}
