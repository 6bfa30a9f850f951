/*
 * lib/interp runtime objects: engine, module handle, store, host objects,
 * linker and instantiation (Core spec 4.5.4), calls from the host, traps.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "interp/internal.h"

#define GUARD_RESERVE ((size_t)8 << 30) /* 4 GiB addressable + 4 GiB for the static offset */

void wk_value_from_slot(uint8_t t, uint64_t v, wk_value *out);
void wk_install_fault_handler(void);
uint64_t wk_value_to_slot(uint8_t t, const wk_value *v);

/* ---- engine ---- */
void wk_config_default(wk_config *c) {
  memset(c, 0, sizeof *c);
  c->guard_pages = 1;
}
wk_engine *wk_engine_new(const wk_config *c) {
  wk_engine *e = calloc(1, sizeof *e);
  if (!e) return NULL;
  if (c) e->cfg = *c;
  else wk_config_default(&e->cfg);
  if (!e->cfg.max_call_depth) e->cfg.max_call_depth = 10000;
  if (!e->cfg.max_stack_bytes) e->cfg.max_stack_bytes = 8u << 20;
  if (!e->cfg.cache_min_code_bytes) e->cfg.cache_min_code_bytes = 32u << 10;
  return e;
}
void wk_engine_free(wk_engine *e) { free(e); }

/* ---- modules ---- */
int wk_module_new(wk_engine *e, const uint8_t *bytes, size_t len, wk_module **out, wk_error *err) {
  return wk_module_new_ex(e, bytes, len, 0, out, err);
}
int wk_module_new_ex(wk_engine *e, const uint8_t *bytes, size_t len, unsigned flags, wk_module **out, wk_error *err) {
  *out = NULL;
  wk_error_clear(err);
  wk_module *m = calloc(1, sizeof *m);
  if (!m) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  m->engine = e;
  uint8_t key[32];
  int use_cache = e->cfg.cache_dir && e->cfg.cache_dir[0] &&
                  wk_cache_code_bytes(bytes, len) >= (flags & WK_MODULE_CACHE_ANY_SIZE ? 1 : e->cfg.cache_min_code_bytes) &&
                  wk_cache_key(e, bytes, len, key) == 0;
  int rc;
  if (use_cache && wk_cache_load(m, key, bytes, len) == 0) { /* threaded code included */
    m->from_cache = 1;
    rc = WK_OK;
  } else {
    rc = wk_translate_module(m, bytes, len, err);
    if (rc == WK_OK && wk_thread_code(m) != WK_OK) rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    if (rc == WK_OK && use_cache) wk_cache_store(m, key, bytes, len);
  }
  if (rc != WK_OK) {
    wk_module_free(m);
    return rc;
  }
  *out = m;
  return WK_OK;
}
void wk_module_free(wk_module *m) {
  if (!m) return;
  free(m->code);
  if (m->map) munmap(m->map, m->map_len); /* tcode[0] lives there */
  else free(m->tcode[0]);
  free(m->tcode[1]);
  free(m->srcmap);
  wk_arena_free(&m->arena);
  free(m);
}
int wk_module_from_cache(const wk_module *m) { return m->from_cache; }
size_t wk_module_import_count(const wk_module *m) { return m->nimports; }
void wk_module_import(const wk_module *m, size_t i, wk_import_desc *out) {
  memset(out, 0, sizeof *out);
  if (i >= m->nimports) return;
  const wk_mimport *im = &m->imports[i];
  out->module = im->module;
  out->name = im->name;
  out->kind = im->kind;
  if (im->kind == WK_EXTERN_FUNC) out->type = m->types[im->type];
}
size_t wk_module_export_count(const wk_module *m) { return m->nexports; }
void wk_module_export(const wk_module *m, size_t i, wk_export_desc *out) {
  memset(out, 0, sizeof *out);
  if (i >= m->nexports) return;
  const wk_mexport *e = &m->exports[i];
  out->name = e->name;
  out->kind = e->kind;
  if (e->kind == WK_EXTERN_FUNC) out->type = m->types[m->func_type[e->idx]];
}

/* ---- stores ---- */
enum { OBJ_FUNC, OBJ_MEM, OBJ_TABLE, OBJ_GLOBAL, OBJ_INST, OBJ_BLOB };
static int track(wk_store *s, void *p, int kind) {
  if (!p) return -1;
  if (s->nobjs == s->capobjs) {
    size_t nc = s->capobjs ? s->capobjs * 2 : 64;
    void **n = wk_reallocarray(s->objs, nc, sizeof *n);
    if (!n) return -1;
    s->objs = n;
    s->capobjs = nc;
  }
  s->objs[s->nobjs++] = (void *)((uintptr_t)p | (uintptr_t)kind);
  return 0;
}
wk_store *wk_store_new(wk_engine *e) {
  wk_store *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->engine = e;
  s->guard = e->cfg.guard_pages ? 1 : 0;
  s->max_depth = e->cfg.max_call_depth + 2;
  s->stack_bytes = (size_t)e->cfg.max_stack_bytes;
  void *st = mmap(NULL, s->stack_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                  -1, 0);
  s->frames = calloc((size_t)s->max_depth + 2, sizeof *s->frames);
  if (st == MAP_FAILED || !s->frames) {
    if (st != MAP_FAILED) munmap(st, s->stack_bytes);
    free(s->frames);
    free(s);
    return NULL;
  }
  s->stack = s->top = st;
  if (s->guard) wk_install_fault_handler();
  s->stack_end = s->stack + s->stack_bytes / 8;
  return s;
}
static void memory_free(wk_memory *m) {
  if (m->guarded) munmap(m->base, m->reserved);
  else free(m->base);
  free(m);
}
void wk_store_free(wk_store *s) {
  if (!s) return;
  for (size_t i = 0; i < s->nobjs; i++) {
    uintptr_t v = (uintptr_t)s->objs[i];
    void *p = (void *)(v & ~(uintptr_t)7);
    switch (v & 7) {
    case OBJ_MEM: memory_free(p); break;
    case OBJ_TABLE: free(((wk_table *)p)->elems); free(p); break;
    default: free(p); break;
    }
  }
  for (size_t i = 0; i < s->nctypes; i++) free((void *)s->ctypes[i].params);
  free(s->ctypes);
  free(s->objs);
  free(s->mems);
  free(s->frames);
  munmap(s->stack, s->stack_bytes);
  free(s);
}
void wk_store_set_fuel(wk_store *s, uint64_t fuel) { s->fuel = fuel; }
uint64_t wk_store_get_fuel(const wk_store *s) { return s->fuel; }
void wk_store_interrupt(wk_store *s) { atomic_store(&s->interrupt, 1); }

/* canonical type ids: structural equality of function types (Core spec 4.5.4 call_indirect) */
uint32_t wk_store_intern_type(wk_store *s, const wk_functype *t) {
  for (size_t i = 0; i < s->nctypes; i++) {
    const wk_functype *c = &s->ctypes[i];
    if (c->nparams == t->nparams && c->nresults == t->nresults &&
        (!t->nparams || !memcmp(c->params, t->params, t->nparams)) &&
        (!t->nresults || !memcmp(c->results, t->results, t->nresults)))
      return (uint32_t)i;
  }
  if (s->nctypes == s->capctypes) {
    size_t nc = s->capctypes ? s->capctypes * 2 : 16;
    wk_functype *n = wk_reallocarray(s->ctypes, nc, sizeof *n);
    if (!n) return UINT32_MAX;
    s->ctypes = n;
    s->capctypes = nc;
  }
  uint8_t *buf = malloc((size_t)t->nparams + t->nresults + 1);
  if (!buf) return UINT32_MAX;
  if (t->nparams) memcpy(buf, t->params, t->nparams);
  if (t->nresults) memcpy(buf + t->nparams, t->results, t->nresults);
  s->ctypes[s->nctypes] = (wk_functype){t->nparams, t->nresults, buf, buf + t->nparams};
  return (uint32_t)s->nctypes++;
}

/* ---- host objects ---- */
wk_func *wk_func_new_host(wk_store *s, const wk_functype *type, wk_host_fn fn, void *env) {
  wk_func *f = calloc(1, sizeof *f);
  if (!f) return NULL;
  f->type_id = wk_store_intern_type(s, type);
  if (f->type_id == UINT32_MAX || track(s, f, OBJ_FUNC)) {
    free(f);
    return NULL;
  }
  f->type = s->ctypes[f->type_id];
  f->is_host = 1;
  f->fn = fn;
  f->env = env;
  return f;
}
static int add_mem(wk_store *s, wk_memory *m) {
  if (s->nmems == s->capmems) {
    size_t nc = s->capmems ? s->capmems * 2 : 8;
    wk_memory **n = wk_reallocarray(s->mems, nc, sizeof *n);
    if (!n) return -1;
    s->mems = n;
    s->capmems = nc;
  }
  s->mems[s->nmems++] = m;
  return 0;
}
wk_memory *wk_memory_new(wk_store *s, uint32_t min_pages, uint32_t max_pages, int has_max) {
  if (min_pages > 65536 || (has_max && (max_pages > 65536 || max_pages < min_pages))) return NULL;
  uint64_t maxb = s->engine->cfg.max_memory_bytes;
  if (maxb && (uint64_t)min_pages * 65536 > maxb) return NULL;
  wk_memory *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  m->max = max_pages;
  m->has_max = has_max;
  if (s->guard) {
    void *p = mmap(NULL, GUARD_RESERVE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
      s->guard = 0; /* fall back to explicit bounds checks for this store */
    } else {
      m->base = p;
      m->reserved = GUARD_RESERVE;
      m->guarded = 1;
    }
  }
  if (wk_memory_grow_pages(m, min_pages, 0) < 0 || add_mem(s, m) || track(s, m, OBJ_MEM)) {
    memory_free(m);
    return NULL;
  }
  return m;
}
wk_table *wk_table_new(wk_store *s, uint8_t elemtype, uint32_t min, uint32_t max, int has_max) {
  if (has_max && max < min) return NULL;
  if (min > 10000000u) return NULL;
  wk_table *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->et = elemtype;
  t->max = max;
  t->has_max = has_max;
  t->elems = calloc(min ? min : 1, sizeof(void *));
  if (!t->elems || track(s, t, OBJ_TABLE)) {
    free(t->elems);
    free(t);
    return NULL;
  }
  t->size = min;
  return t;
}
wk_global *wk_global_new(wk_store *s, wk_value init, int mutable_) {
  wk_global *g = calloc(1, sizeof *g);
  if (!g) return NULL;
  g->type = init.type;
  g->mut = mutable_ ? 1 : 0;
  g->val = wk_value_to_slot(init.type, &init);
  if (track(s, g, OBJ_GLOBAL)) {
    free(g);
    return NULL;
  }
  return g;
}

uint8_t *wk_caller_memory(wk_caller *c, size_t *len) {
  if (!c->inst || !c->inst->mems || !c->inst->m->nmems) {
    *len = 0;
    return NULL;
  }
  wk_memory *m = c->inst->mems[0];
  *len = (size_t)m->bytes;
  return m->base;
}
wk_store *wk_caller_store(wk_caller *c) { return c->store; }
int wk_caller_trap(wk_caller *c, const char *msg) {
  if (!c->trap) c->trap = wk_trap_make(WK_TRAP_HOST, msg);
  return 1;
}
int wk_caller_exit(wk_caller *c, int status) {
  if (!c->trap) {
    c->trap = wk_trap_make(WK_TRAP_EXIT, "exit");
    if (c->trap) c->trap->exit_status = status;
  }
  return 1;
}

/* ---- linker ---- */
typedef struct ldef {
  char *module, *name;
  wk_extern ext;
} ldef;
struct wk_linker {
  wk_store *s;
  ldef *defs;
  size_t n, cap;
};
wk_linker *wk_linker_new(wk_store *s) {
  wk_linker *l = calloc(1, sizeof *l);
  if (l) l->s = s;
  return l;
}
void wk_linker_free(wk_linker *l) {
  if (!l) return;
  for (size_t i = 0; i < l->n; i++) free(l->defs[i].module);
  free(l->defs);
  free(l);
}
int wk_linker_define(wk_linker *l, const char *module, const char *name, wk_extern ext, wk_error *err) {
  /* name first: definitions mostly share their module (a WASI host defines ~90 functions under one
   * module), so comparing names rejects at the first bytes (start-up cost, issue 13) */
  for (size_t i = 0; i < l->n; i++)
    if (!strcmp(l->defs[i].name, name) && !strcmp(l->defs[i].module, module)) {
      l->defs[i].ext = ext;
      return WK_OK;
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
  l->defs[l->n++] = (ldef){buf, buf + ml + 1, ext};
  return WK_OK;
}
int wk_linker_define_func(wk_linker *l, const char *module, const char *name, const wk_functype *type,
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
    if (e->name_len != len || (len && memcmp(e->name, name, len))) continue;
    out->kind = e->kind;
    switch (e->kind) {
    case WK_EXTERN_FUNC: out->of.func = inst->funcs[e->idx]; break;
    case WK_EXTERN_TABLE: out->of.table = inst->tables[e->idx]; break;
    case WK_EXTERN_MEMORY: out->of.memory = inst->mems[e->idx]; break;
    case WK_EXTERN_GLOBAL: out->of.global = inst->globals[e->idx]; break;
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

uint64_t wk_eval_cexpr(wk_instance *inst, const wk_cexpr *e) {
  switch (e->op) {
  case 0x23: return inst->globals[e->idx]->val;
  case 0xd0: return 0;
  case 0xd2: return (uint64_t)(uintptr_t)inst->funcs[e->idx];
  default: return e->bits;
  }
}
void *wk_eval_ref(wk_instance *inst, const wk_cexpr *e) {
  return (void *)(uintptr_t)wk_eval_cexpr(inst, e);
}

static int link_fail(wk_error *err, const wk_mimport *im, const char *what) {
  return wk_error_set(err, WK_ERR_LINK, "%s: %s.%s", what, im->module, im->name);
}

int wk_linker_instantiate(wk_linker *l, const wk_module *m, wk_instance **out, wk_trap **trap,
                          wk_error *err) {
  wk_store *s = l->s;
  *out = NULL;
  if (trap) *trap = NULL;
  wk_error_clear(err);
  /* one allocation for the instance and its index spaces */
  size_t sz = sizeof(wk_instance) + sizeof(void *) * ((size_t)m->nfuncs + m->ntables + m->nmems + m->nglobals) +
              sizeof(uint32_t) * m->ntypes + m->nelems + m->ndatas + 16;
  uint8_t *blk = calloc(1, sz);
  if (!blk || track(s, blk, OBJ_INST)) {
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
  inst->type_ids = (uint32_t *)p, p += sizeof(uint32_t) * m->ntypes;
  inst->elem_dropped = p, p += m->nelems;
  inst->data_dropped = p;
  if (m->nmems == 0) inst->mems = NULL;
  for (uint32_t i = 0; i < m->ntypes; i++) {
    inst->type_ids[i] = wk_store_intern_type(s, &m->types[i]);
    if (inst->type_ids[i] == UINT32_MAX) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  }
  /* imports (Core spec 4.5.4 step 3-4, import matching 4.5.3) */
  uint32_t fi = 0, ti = 0, mi = 0, gi = 0;
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wk_mimport *im = &m->imports[i];
    const ldef *d = NULL;
    for (size_t k = 0; k < l->n; k++)
      if (!strcmp(l->defs[k].module, im->module) && !strcmp(l->defs[k].name, im->name)) {
        d = &l->defs[k];
        break;
      }
    if (!d) return link_fail(err, im, "unknown import");
    if (d->ext.kind != im->kind) return link_fail(err, im, "incompatible import type");
    switch (im->kind) {
    case WK_EXTERN_FUNC: {
      wk_func *f = d->ext.of.func;
      if (!f || f->type_id != inst->type_ids[im->type]) return link_fail(err, im, "incompatible import type");
      inst->funcs[fi++] = f;
      break;
    }
    case WK_EXTERN_TABLE: {
      wk_table *t = d->ext.of.table;
      if (!t || t->et != im->vtype ||
          !limits_match(t->size, t->has_max, t->max, im->lim.min, im->lim.has_max, im->lim.max))
        return link_fail(err, im, "incompatible import type");
      inst->tables[ti++] = t;
      break;
    }
    case WK_EXTERN_MEMORY: {
      wk_memory *mm = d->ext.of.memory;
      if (!mm || !limits_match(mm->pages, mm->has_max, mm->max, im->lim.min, im->lim.has_max, im->lim.max))
        return link_fail(err, im, "incompatible import type");
      inst->mems[mi++] = mm;
      break;
    }
    case WK_EXTERN_GLOBAL: {
      wk_global *g = d->ext.of.global;
      if (!g || g->type != im->vtype || g->mut != im->mut) return link_fail(err, im, "incompatible import type");
      inst->globals[gi++] = g;
      break;
    }
    }
  }
  /* functions */
  for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
    wk_func *f = calloc(1, sizeof *f);
    if (!f || track(s, f, OBJ_FUNC)) {
      free(f);
      return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    }
    f->type = m->types[m->func_type[i]];
    f->type_id = inst->type_ids[m->func_type[i]];
    f->inst = inst;
    f->index = i;
    inst->funcs[i] = f;
  }
  /* globals (evaluated in order; initializers may read imported globals and ref.func) */
  for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
    wk_global *g = calloc(1, sizeof *g);
    if (!g || track(s, g, OBJ_GLOBAL)) {
      free(g);
      return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    }
    g->type = m->globals[i].type;
    g->mut = m->globals[i].mut;
    g->val = wk_eval_cexpr(inst, &m->globals[i].init);
    inst->globals[i] = g;
  }
  for (uint32_t i = m->ntable_imports; i < m->ntables; i++) {
    const wk_mtable *mt = &m->tables[i];
    inst->tables[i] = wk_table_new(s, mt->et, mt->lim.min, mt->lim.max, mt->lim.has_max);
    if (!inst->tables[i]) return wk_error_set(err, WK_ERR_NOMEM, "cannot allocate table");
  }
  for (uint32_t i = m->nmem_imports; i < m->nmems; i++) {
    const wk_limits *ml = &m->mems[i];
    inst->mems[i] = wk_memory_new(s, ml->min, ml->max, ml->has_max);
    if (!inst->mems[i]) return wk_error_set(err, WK_ERR_NOMEM, "cannot allocate memory");
  }
  /* element segments, then data segments, in order; a failure traps (Core spec 4.5.4 steps 14-15) */
  for (uint32_t i = 0; i < m->nelems; i++) {
    const wk_melem *e = &m->elems[i];
    if (e->mode == SEG_ACTIVE) {
      wk_table *t = inst->tables[e->table];
      uint64_t off = (uint32_t)wk_eval_cexpr(inst, &e->offset);
      if (off + e->n > t->size) {
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
    uint64_t off = (uint32_t)wk_eval_cexpr(inst, &d->offset);
    if (off + d->len > mm->bytes) {
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

/* ---- calls and objects ---- */
wk_functype wk_func_type(const wk_func *f) { return f->type; }

int wk_func_call(wk_store *s, wk_func *f, const wk_value *args, size_t nargs, wk_value *results,
                 size_t nresults, wk_trap **trap) {
  *trap = NULL;
  uint32_t np = f->type.nparams, nr = f->type.nresults;
  if (nargs != np || nresults < nr) return WK_ERR_USAGE;
  for (uint32_t i = 0; i < np; i++)
    if (args[i].type != f->type.params[i]) return WK_ERR_USAGE;
  uint64_t *base = s->top;
  uint32_t n = np > nr ? np : nr;
  if (base + n + 1 > s->stack_end) {
    *trap = wk_trap_make(WK_TRAP_STACK_EXHAUSTED, NULL);
    return WK_ERR_TRAP;
  }
  for (uint32_t i = 0; i < np; i++) base[i] = wk_value_to_slot(np ? f->type.params[i] : 0, &args[i]);
  int rc;
  if (f->is_host) {
    wk_runctx rc0;
    memset(&rc0, 0, sizeof rc0);
    rc0.s = s;
    if (wk_call_host(s, f, NULL, base, &rc0)) {
      *trap = rc0.trap;
      return WK_ERR_TRAP;
    }
    rc = WK_OK;
  } else {
    rc = wk_exec(s, f, base, trap);
  }
  if (rc != WK_OK) return rc;
  for (uint32_t i = 0; i < nr; i++) wk_value_from_slot(f->type.results[i], base[i], &results[i]);
  return WK_OK;
}

wk_value wk_global_get(const wk_global *g) {
  wk_value v;
  wk_value_from_slot(g->type, g->val, &v);
  return v;
}
int wk_global_set(wk_global *g, wk_value v) {
  if (!g->mut || v.type != g->type) return WK_ERR_USAGE;
  g->val = wk_value_to_slot(v.type, &v);
  return WK_OK;
}
uint8_t *wk_memory_data(wk_memory *m, size_t *len) {
  *len = (size_t)m->bytes;
  return m->base;
}
uint32_t wk_memory_pages(const wk_memory *m) { return m->pages; }
uint32_t wk_table_size(const wk_table *t) { return t->size; }

/* ---- traps ---- */
wk_trap *wk_trap_make(int code, const char *msg) {
  wk_trap *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->code = code;
  const char *m = msg ? msg : wk_trap_default_message(code);
  t->msg = strdup(m);
  return t;
}
wk_trap *wk_trap_new(int code, const char *msg, int exit_status) {
  wk_trap *t = wk_trap_make(code, msg);
  if (t) t->exit_status = exit_status;
  return t;
}
int wk_trap_code_of(const wk_trap *t) { return t ? t->code : WK_TRAP_HOST; }
const char *wk_trap_message(const wk_trap *t) { return t && t->msg ? t->msg : "trap"; }
int wk_trap_exit_status(const wk_trap *t) { return t ? t->exit_status : 0; }
size_t wk_trap_frame_count(const wk_trap *t) { return t ? t->nframes : 0; }
void wk_trap_frame(const wk_trap *t, size_t i, uint32_t *func_index, const char **name, uint64_t *offset) {
  if (!t || i >= t->nframes) {
    if (func_index) *func_index = 0;
    if (name) *name = NULL;
    if (offset) *offset = 0;
    return;
  }
  if (func_index) *func_index = t->frames[i].func;
  if (name) *name = t->frames[i].name;
  if (offset) *offset = t->frames[i].offset;
}
void wk_trap_free(wk_trap *t) {
  if (!t) return;
  free(t->msg);
  free(t->frames);
  free(t);
}
