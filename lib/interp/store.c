/*
 * lib/interp stores (wasmtime's Store): the objects a store owns (host
 * functions, memories, tables, globals, instances), the canonical function
 * types, fuel and interruption, the caller view given to host functions, and
 * calls from the host into a function (wk_func_call: the one entry into
 * exec.c, besides the fault handler and value/slot conversions).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "interp/host_types.h"
#include "interp/internal.h"

#define GUARD_RESERVE ((size_t)8 << 30) /* 4 GiB addressable + 4 GiB for the static offset */

/* ---- stores ---- */
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
int wk_store_track(wk_store *s, void *p, int kind) { return track(s, p, kind); }
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
  for (size_t i = 0; i < s->nctypes; i++) free((void *)s->ctypes[i].hts); /* (params: OBJ_BLOB blocks) */
  wk_gc_free(s); /* (the GC heap's objects, before the store's) */
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
uint32_t wk_store_intern_type(wk_store *s, const wk_core_functype *t) { return wk_store_intern_type_ex(s, t, NULL, 0); }

static uint32_t intern_type(wk_store *s, const wk_core_functype *t, const uint32_t *ids, uint32_t self, int search);
uint32_t wk_store_intern_type_ex(wk_store *s, const wk_core_functype *t, const uint32_t *ids, uint32_t self) {
  return intern_type(s, t, ids, self, 1);
}
/* a new id for t, equal to no other (a member of a GC recursion group, gc_types.c: its identity is
 * its group's; wk_store_intern_type_ex never answers it) */
uint32_t wk_store_add_type_ex(wk_store *s, const wk_core_functype *t, const uint32_t *ids, uint32_t self) {
  return intern_type(s, t, ids, self, 0);
}
/* n bytes (n + 1 > 0) for a canonical type's params and results, owned by the store: from the
 * current 1 KiB block (a new one when it is short), or a block of their own when large */
static uint8_t *type_bytes(wk_store *s, size_t n) {
  n++;
  if (n > s->tpool_left) {
    size_t sz = n > 256 ? n : 1024;
    uint8_t *b = malloc(sz);
    if (!b || track(s, b, OBJ_BLOB)) {
      free(b);
      return NULL;
    }
    if (sz == n) return b; /* a large type: a block of its own */
    s->tpool = b;
    s->tpool_left = sz;
  }
  uint8_t *p = s->tpool;
  s->tpool += n;
  s->tpool_left -= n;
  return p;
}
static uint32_t intern_type(wk_store *s, const wk_core_functype *t, const uint32_t *ids, uint32_t self, int search) {
  /* typed references (Core 3.0 3.2 type equivalence): the key of a typed entry is its wk_vt with a
   * concrete heap type replaced by the referenced type's store id (types refer to earlier ones), or
   * a marker for the type itself (its singleton recursion group) */
  uint32_t n = t->nparams + t->nresults, *key = NULL;
  if (t->hts) {
    if (!(key = malloc(((size_t)n + 1) * sizeof *key))) return UINT32_MAX;
    for (uint32_t k = 0; k < n; k++) {
      wk_vt v = t->hts[k];
      uint32_t ht = v >> 8;
      int full = (uint8_t)v == WK_REF || (uint8_t)v == WK_REFNULL; /* (else 0 or a GC shorthand: eqref, ...) */
      if (full && wk_ht_is_idx(ht)) ht = ht == self ? WK_HT_BADIDX - 1 : ids && ht < self ? ids[ht] : WK_HT_BADIDX;
      key[k] = v ? (v & 0xff) | ht << 8 : 0;
    }
    uint32_t any = 0;
    for (uint32_t k = 0; k < n; k++) any |= key[k];
    if (!any) free(key), key = NULL; /* (only shorthand types after all, e.g. 0x63 0x70 = funcref) */
  }
  for (size_t i = 0; search && i < s->nctypes; i++) {
    const wk_core_functype *c = &s->ctypes[i];
    if (s->gc && wk_gc_grouped(s, (uint32_t)i)) continue;
    if (c->nparams == t->nparams && c->nresults == t->nresults &&
        (!t->nparams || !memcmp(c->params, t->params, t->nparams)) &&
        (!t->nresults || !memcmp(c->results, t->results, t->nresults)) && !c->hts == !key &&
        (!key || !memcmp(c->hts, key, n * sizeof *key))) {
      free(key);
      return (uint32_t)i;
    }
  }
  if (s->nctypes == s->capctypes) {
    size_t nc = s->capctypes ? s->capctypes * 2 : 16;
    wk_core_functype *n = wk_reallocarray(s->ctypes, nc, sizeof *n);
    if (!n) return UINT32_MAX;
    s->ctypes = n;
    s->capctypes = nc;
  }
  uint8_t *buf = type_bytes(s, (size_t)t->nparams + t->nresults);
  if (!buf) { free(key); return UINT32_MAX; }
  if (t->nparams) memcpy(buf, t->params, t->nparams);
  if (t->nresults) memcpy(buf + t->nparams, t->results, t->nresults);
  s->ctypes[s->nctypes] = (wk_core_functype){t->nparams, t->nresults, buf, buf + t->nparams, key};
  return (uint32_t)s->nctypes++;
}

/* ---- host objects ---- */
#define HOST_SLAB 32 /* host functions per block (WASI 0.2: ~25 for a hello component, preview1: ~20) */
wk_func *wk_func_new_host(wk_store *s, const wk_core_functype *type, wk_host_fn fn, void *env) {
  if (type->hts) { /* typed references (host_types.c); no context module: abstract heap types only */
    wk_error err;
    wk_func *tf = NULL;
    wk_error_clear(&err);
    return wk_func_new_host_typed(s, type, NULL, fn, env, &tf, &err) ? NULL : tf;
  }
  uint32_t tid = wk_store_intern_type(s, type);
  if (tid == UINT32_MAX) return NULL;
  if (!s->hslab_left) { /* a new block, freed with the store (its unused slots stay zero) */
    wk_func *b = calloc(HOST_SLAB, sizeof *b);
    if (!b || track(s, b, OBJ_FUNC)) {
      free(b);
      return NULL;
    }
    s->hslab = b;
    s->hslab_left = HOST_SLAB;
  }
  wk_func *f = s->hslab++;
  s->hslab_left--;
  f->type_id = tid;
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
  return wk_memory_new_ex(s, min_pages, max_pages, has_max, 0);
}
/* memory64 (Core 3.0 2.3.10): limits up to 2^48 pages; this implementation keeps any memory within
 * 65536 pages (4 GiB, the guard reservation's span), so a larger minimum fails to allocate and
 * growth beyond fails (memory.grow -1) */
wk_memory *wk_memory_new_ex(wk_store *s, uint64_t min_pages, uint64_t max_pages, int has_max, int is64) {
  if (min_pages > 65536 || (has_max && (max_pages > (is64 ? (1ull << 48) : 65536) || max_pages < min_pages)))
    return NULL;
  uint64_t maxb = s->engine->cfg.max_memory_bytes;
  if (maxb && (uint64_t)min_pages * 65536 > maxb) return NULL;
  wk_memory *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  m->max = max_pages;
  m->has_max = has_max;
  m->is64 = is64 ? 1 : 0;
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
  if (wk_memory_grow_pages(m, (uint32_t)min_pages, 0) < 0 || add_mem(s, m) || track(s, m, OBJ_MEM)) {
    memory_free(m);
    return NULL;
  }
  return m;
}
wk_table *wk_table_new(wk_store *s, uint8_t elemtype, uint32_t min, uint32_t max, int has_max) {
  return wk_table_new_ex(s, elemtype, min, max, has_max, 0);
}
wk_table *wk_table_new_ex(wk_store *s, uint8_t elemtype, uint64_t min, uint64_t max, int has_max, int is64) {
  if (has_max && (max < min || (!is64 && max > UINT32_MAX))) return NULL;
  if (min > 10000000u) return NULL;
  wk_table *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->et = elemtype;
  t->max = max;
  t->has_max = has_max;
  t->is64 = is64 ? 1 : 0;
  t->elems = calloc(min ? min : 1, sizeof(void *));
  if (!t->elems || track(s, t, OBJ_TABLE)) {
    free(t->elems);
    free(t);
    return NULL;
  }
  t->size = (uint32_t)min;
  return t;
}
wk_global *wk_global_new(wk_store *s, wk_value init, int mutable_) {
  wk_global *g = calloc(1, sizeof *g);
  if (!g) return NULL;
  g->store = s;
  g->type = init.type;
  g->mut = mutable_ ? 1 : 0;
  g->val = wk_value_to_slot(init.type, &init);
  if (init.type == WK_V128) memcpy(&g->val, init.of.v128, 8), memcpy(&g->hi, init.of.v128 + 8, 8);
  if (track(s, g, OBJ_GLOBAL)) {
    free(g);
    return NULL;
  }
  return g;
}

wk_tag *wk_tag_new(wk_store *s, const wk_core_functype *type) {
  wk_tag *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->type_id = wk_store_intern_type(s, type);
  if (t->type_id == UINT32_MAX || track(s, t, OBJ_BLOB)) {
    free(t);
    return NULL;
  }
  t->type = s->ctypes[t->type_id];
  return t;
}
wk_core_functype wk_tag_type(const wk_tag *t) { return t->type; }

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
int wk_caller_trap_code(wk_caller *c, int code, const char *msg) {
  if (!c->trap) c->trap = wk_trap_make(code, msg);
  return 1;
}
int wk_caller_exit(wk_caller *c, int status) {
  if (!c->trap) {
    c->trap = wk_trap_make(WK_TRAP_EXIT, "exit");
    if (c->trap) c->trap->exit_status = status;
  }
  return 1;
}

/* ---- calls and objects ---- */
wk_core_functype wk_func_type(const wk_func *f) { return f->type; }

int wk_func_call(wk_store *s, wk_func *f, const wk_value *args, size_t nargs, wk_value *results,
                 size_t nresults, wk_trap **trap) {
  *trap = NULL;
  uint32_t np = f->type.nparams, nr = f->type.nresults;
  if (nargs != np || nresults < nr) return WK_ERR_USAGE;
  for (uint32_t i = 0; i < np; i++)
    if (args[i].type != f->type.params[i]) return WK_ERR_USAGE;
  if ((f->type.hts || s->gc) && !wk_func_args_fit(s, f, args)) return WK_ERR_USAGE; /* typed references (host_types.c) */
  uint64_t *base = s->top;
  uint32_t snp = wk_slot_count(f->type.params, np), snr = wk_slot_count(f->type.results, nr);
  uint32_t n = snp > snr ? snp : snr;
  if (base + n + 1 > s->stack_end) {
    *trap = wk_trap_make(WK_TRAP_STACK_EXHAUSTED, NULL);
    return WK_ERR_TRAP;
  }
  wk_values_to_slots(f->type.params, np, args, base);
  if (s->gc && s->depth == 0) wk_gc_host_roots_clear(s); /* (the arguments are on the stack now: gc.h) */
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
  wk_values_from_slots(f->type.results, nr, base, results);
  if (s->gc) /* GC: the results stay valid until the host's next call (gc.h host roots) */
    for (uint32_t i = 0; i < nr; i++)
      if (results[i].type != WK_I32 && results[i].type != WK_I64 && results[i].type != WK_F32 &&
          results[i].type != WK_F64 && results[i].type != WK_V128)
        wk_gc_host_root(s, (uint64_t)(uintptr_t)results[i].of.ref);
  return WK_OK;
}

wk_value wk_global_get(const wk_global *g) {
  wk_value v;
  wk_value_from_slot(g->type, g->val, &v);
  if (g->type == WK_V128) memcpy(v.of.v128, &g->val, 8), memcpy(v.of.v128 + 8, &g->hi, 8);
  return v;
}
int wk_global_set(wk_global *g, wk_value v) {
  if (!g->mut || v.type != g->type || !wk_global_value_fits(g, &v)) return WK_ERR_USAGE; /* (typed refs: host_types.c) */
  g->val = wk_value_to_slot(v.type, &v);
  if (v.type == WK_V128) memcpy(&g->val, v.of.v128, 8), memcpy(&g->hi, v.of.v128 + 8, 8);
  return WK_OK;
}
uint8_t *wk_memory_data(wk_memory *m, size_t *len) {
  *len = (size_t)m->bytes;
  return m->base;
}
uint32_t wk_memory_pages(const wk_memory *m) { return m->pages; }
uint32_t wk_table_size(const wk_table *t) { return t->size; }
