/*
 * lib/interp GC runtime (WebAssembly 3.0 GC; see gc.h for the representation of references,
 * the type displays and the collector): the store's heap of struct and array objects, its
 * mark-sweep collector, the per-id runtime types, and the work of the GC instructions
 * (IOP_GC, gc_loop_int.h) and of the GC constant instructions (exec.c eval_ext).
 */
#include <stdlib.h>
#include <string.h>

#include "interp/internal.h"

#define GC_MIN_THRESHOLD ((uint64_t)1 << 20) /* collect after this much allocation at least */
#define GC_DEFAULT_LIMIT ((uint64_t)1 << 30) /* heap limit without a max_memory_bytes */


/* ---- state ---- */
int wk_gc_init(wk_store *s) {
  if (s->gc) return 0;
  wk_gc *g = calloc(1, sizeof *g);
  if (!g) return -1;
  uint64_t maxb = s->engine->cfg.max_memory_bytes;
  g->limit = maxb ? maxb : GC_DEFAULT_LIMIT;
  g->threshold = GC_MIN_THRESHOLD;
  s->gc = g;
  return 0;
}
/* Small objects (header + payload <= GC_SMALL bytes) are made in 8-byte size classes and, when
 * swept, kept on their class's free list for the next allocation of that class (no malloc/free
 * per object: binary-trees spends a third of its time in them otherwise), up to GC_FL_MAX bytes
 * (or the heap's live size, if larger) on the lists; beyond that they go back to malloc. */
#define GC_SMALL 256
#if !defined(__SANITIZE_ADDRESS__) && defined(__has_feature)
#if __has_feature(address_sanitizer)
#define __SANITIZE_ADDRESS__ 1
#endif
#endif
#ifdef __SANITIZE_ADDRESS__
#define GC_FL_MAX 0 /* (ASan builds: every swept object is freed, so a use after sweep is caught) */
#else
#define GC_FL_MAX ((uint64_t)16 << 20)
#endif
static size_t size_class(uint64_t need) { return need <= GC_SMALL ? (size_t)((need + 7) >> 3) : 0; }

/* ---- what the heap holds (charged against g->limit) ----
 * The limit bounds the host memory the heap really holds, not only the objects' payloads:
 *  - each object (live or on a free list) its malloc block: the request (size class or exact
 *    size) plus a computed bound of the allocator's per-block cost (malloc_block below);
 *  - the object set's array (setcap words) and the mark stack's (capmstack words);
 *  - while the set grows, the old and the new array both (set_resize's transient).
 * gc_held is that sum; allocation collects, then drops the free lists, before it fails. */
/* a bound of the bytes malloc takes for an n-byte request: glibc's chunk (n plus an 8-byte
 * header, in 16-byte units, at least 32) plus 16 (a free chunk whose split would leave less
 * than the 32-byte minimum is handed out whole: measured 1.3% over the chunk sizes once the free
 * lists were dropped near the limit), and for requests it serves by mmap (>= 128 KiB by
 * default) whole pages plus the header. (Computed, not malloc_usable_size: that is glibc-only;
 * test_gc_limit checks the bound against it.) */
static uint64_t malloc_block(uint64_t n) {
  if (n >= ((uint64_t)128 << 10)) return (n + 16 + 4095) & ~(uint64_t)4095;
  uint64_t c = (n + 8 + 15) & ~(uint64_t)15;
  return (c < 32 ? 32 : c) + 16;
}
/* malloc_block of each size class (c << 3 bytes) */
static const uint16_t class_cost[33] = {0, 48, 48, 48, 64, 64, 80, 80, 96, 96, 112, 112, 128, 128, 144, 144, 160, 160, 176, 176, 192, 192, 208, 208, 224, 224, 240, 240, 256, 256, 272, 272, 288};
/* the bytes an object of need (header + payload) bytes holds */
static uint64_t obj_cost(uint64_t need) {
  size_t c = size_class(need);
  return c ? class_cost[c] : malloc_block(need);
}
static uint64_t gc_held(const wk_gc *g) { return g->bytes + g->flbytes + g->aux; }
/* g->aux after the set's or the mark stack's capacity changed */
static void aux_update(wk_gc *g) {
  g->aux = (g->setcap ? malloc_block((uint64_t)g->setcap * sizeof *g->set) : 0) +
           (g->capmstack ? malloc_block((uint64_t)g->capmstack * sizeof *g->mstack) : 0);
}
/* can the heap take `extra` more bytes within its limit */
static int gc_fits(const wk_gc *g, uint64_t extra) {
  uint64_t h = gc_held(g);
  return h <= g->limit && extra <= g->limit - h;
}
static void free_obj(wk_gcobj *o) { free(o); }
/* a dead object leaves the set: onto its class's free list (still charged, as flbytes) or freed */
static void recycle_obj(wk_gc *g, wk_gcobj *o, uint64_t cap) {
  uint64_t need = sizeof *o + (uint64_t)o->bytes;
  size_t c = size_class(need);
  uint64_t cost = c ? class_cost[c] : malloc_block(need);
  g->bytes -= cost;
  g->need -= need;
  if (!c || g->flbytes >= cap) { free(o); return; }
  *(void **)o = g->fl[c];
  g->fl[c] = o;
  g->flbytes += cost;
}
/* give every free-listed object back to malloc (the heap nears its limit) */
static void fl_trim(wk_gc *g) {
  for (size_t c = 0; c < sizeof g->fl / sizeof *g->fl; c++) {
    for (void *p = g->fl[c], *nx; p; p = nx) nx = *(void **)p, free(p);
    g->fl[c] = NULL;
  }
  g->flbytes = 0;
}
void wk_gc_free(wk_store *s) {
  wk_gc *g = s->gc;
  if (!g) return;
  for (size_t i = 0; i < g->setcap; i++)
    if (g->set[i] > 1) free_obj((wk_gcobj *)g->set[i]);
  for (size_t c = 0; c < sizeof g->fl / sizeof *g->fl; c++)
    for (void *p = g->fl[c], *nx; p; p = nx) nx = *(void **)p, free(p);
  for (size_t i = 0; i < g->nrtt; i++) free(g->rtt[i].display), free(g->rtt[i].fields);
  for (size_t i = 0; i < g->ngroups; i++) free(g->groups[i].key);
  free(g->groups);
  free(g->rtt);
  free(g->set);
  free(g->hroots);
  free(g->roots);
  free(g->rnext);
  free(g->rgen);
  free(g->mstack);
  free(g);
  s->gc = NULL;
}

/* the rtt array covering id (new entries: unknown) */
static int rtt_cover(wk_gc *g, size_t n) {
  if (n <= g->nrtt) return 0;
  size_t nc = g->nrtt ? g->nrtt : 16;
  while (nc < n) nc *= 2;
  wk_rtt *r = wk_reallocarray(g->rtt, nc, sizeof *r);
  if (!r) return -1;
  memset(r + g->nrtt, 0, (nc - g->nrtt) * sizeof *r);
  g->rtt = r;
  g->nrtt = nc;
  return 0;
}
wk_rtt *wk_gc_rtt_raw(wk_store *s, uint32_t id) {
  return s->gc && !rtt_cover(s->gc, (size_t)id + 1) ? &s->gc->rtt[id] : NULL;
}
int wk_gc_grouped(const wk_store *s, uint32_t id) { return s->gc && id < s->gc->nrtt && s->gc->rtt[id].grouped; }
wk_rtt *wk_gc_rtt(wk_store *s, uint32_t id) {
  if (!s->gc && wk_gc_init(s)) return NULL;
  wk_gc *g = s->gc;
  if (rtt_cover(g, (size_t)id + 1)) return NULL;
  wk_rtt *r = &g->rtt[id];
  if (!r->known) { /* a function type interned before or without GC: final, no supertype */
    if (!(r->display = malloc(sizeof *r->display))) return NULL;
    r->display[0] = id;
    r->kind = RTT_FUNC, r->final = 1, r->depth = 0, r->known = 1;
  }
  return r;
}
/* Core 3.0 3.2 subtyping of defined types, by display (gc.h) */
int wk_gc_sub(wk_store *s, uint32_t t, uint32_t u) {
  if (t == u) return 1;
  if (!s->gc) return 0;
  wk_rtt *rt = wk_gc_rtt(s, t), *ru = wk_gc_rtt(s, u);
  return rt && ru && ru->depth <= rt->depth && rt->display[ru->depth] == u;
}

/* ---- the object set ---- */
static size_t hslot(uintptr_t p, size_t cap) { return (size_t)(((uint64_t)p >> 4) * 0x9E3779B97F4A7C15ull >> 20) & (cap - 1); }
static int set_insert_raw(uintptr_t *set, size_t cap, uintptr_t p) {
  size_t i = hslot(p, cap);
  while (set[i] > 1) i = (i + 1) & (cap - 1);
  int fresh = set[i] == 0;
  set[i] = p;
  return fresh;
}
/* the set grown to cap slots: a new array (the faster way; its bytes and the old array's were
 * charged by the caller), the old one freed. 0 or -1 (OOM: unchanged). */
static int set_grow(wk_gc *g, size_t cap) {
  uintptr_t *n = calloc(cap, sizeof *n);
  if (!n) return -1;
  for (size_t i = 0; i < g->setcap; i++)
    if (g->set[i] > 1) set_insert_raw(n, cap, g->set[i]);
  free(g->set);
  g->set = n;
  g->setcap = cap;
  g->nused = g->nset;
  aux_update(g);
  return 0;
}
/* Rehash the set into `cap` slots (a power of two >= 2 * its entries) without a second array:
 * the entries are packed to the front, tagged (bit 1: objects are 8-aligned, and 1 is a deleted
 * slot), the array is resized with realloc, and each tagged entry is placed from its home slot,
 * taking over the first free or still-tagged slot (a tagged one it displaces is placed next). A
 * placed entry never moves and its probe path holds only placed entries, so lookups find it.
 * 0, or -1 when growing fails (the set is unchanged then); shrinking cannot fail. */
static int set_resize(wk_gc *g, size_t cap) {
  size_t old = g->setcap;
  if (!old && cap <= old) return 0; /* (no array yet) */
  if (cap > old) {
    uintptr_t *n = wk_reallocarray(g->set, cap, sizeof *n);
    if (!n) return -1;
    memset(n + old, 0, (cap - old) * sizeof *n);
    g->set = n;
  }
  uintptr_t *t = g->set;
  size_t k = 0;
  for (size_t i = 0; i < old; i++)
    if (t[i] > 1) t[k++] = t[i] | 2;
  memset(t + k, 0, (old - k) * sizeof *t);
  if (cap < old) {
    uintptr_t *n = wk_reallocarray(t, cap, sizeof *n);
    if (n) t = g->set = n;
    else cap = old; /* (keep the larger array) */
  }
  g->setcap = cap;
  for (size_t i = 0; i < k; i++) {
    uintptr_t e = t[i];
    if (!(e & 2)) continue; /* (placed already) */
    t[i] = 0;
    e &= ~(uintptr_t)2;
    for (;;) {
      size_t j = hslot(e, cap);
      while (t[j] && !(t[j] & 2)) j = (j + 1) & (cap - 1);
      uintptr_t d = t[j];
      t[j] = e;
      if (!d) break;
      e = d & ~(uintptr_t)2;
    }
  }
  g->nused = g->nset = k;
  aux_update(g);
  return 0;
}
int wk_gc_is_obj(const wk_store *s, uint64_t p) {
  const wk_gc *g = s->gc;
  if (!g || !g->setcap || !p || (p & 7)) return 0;
  size_t i = hslot((uintptr_t)p, g->setcap);
  for (; g->set[i]; i = (i + 1) & (g->setcap - 1))
    if (g->set[i] == (uintptr_t)p) return 1;
  return 0;
}

/* ---- marking ---- */
/* the object of value v: v itself, or the GCK_EXN object whose wk_exn v is (an exnref); NULL */
static wk_gcobj *obj_of(const wk_store *s, uint64_t v) {
  if (!v || (v & 7)) return NULL;
  if (wk_gc_is_obj(s, v)) return (wk_gcobj *)(uintptr_t)v;
  uint64_t h = v - sizeof(wk_gcobj);
  if (v > sizeof(wk_gcobj) && wk_gc_is_obj(s, h) && ((wk_gcobj *)(uintptr_t)h)->kind == GCK_EXN)
    return (wk_gcobj *)(uintptr_t)h;
  return NULL;
}
static void mark_val(wk_store *s, uint64_t v) {
  wk_gcobj *o = obj_of(s, v);
  if (!o) return;
  if (o->mark) return;
  o->mark = 1;
  wk_gc *g = s->gc;
  if (g->nmstack == g->capmstack) {
    size_t nc = g->capmstack ? g->capmstack * 2 : 256;
    /* (the mark stack is charged to the heap: beyond the limit, marking defers instead) */
    /* (the first 256 entries are a fixed cost: with none, marking a list would be quadratic) */
    wk_gcobj **n = !g->capmstack || gc_fits(g, malloc_block((uint64_t)nc * sizeof *n))
                       ? wk_reallocarray(g->mstack, nc, sizeof *n) : NULL;
    if (!n) { /* no room on the mark stack: drain finds it by its mark (only under memory pressure) */
      o->mark = 2;
      g->ndeferred++;
      return;
    }
    g->mstack = n;
    g->capmstack = nc;
    aux_update(g);
  }
  g->mstack[g->nmstack++] = o;
}
static void trace(wk_store *s, wk_gcobj *o) {
  wk_gc *g = s->gc;
  uint8_t *d = WK_GCOBJ_DATA(o);
  if (o->kind == GCK_STRUCT) {
    wk_rtt *r = &g->rtt[o->tid];
    for (uint32_t i = 0; i < r->nfields; i++)
      if (r->fields[i].is_ref) {
        uint64_t v;
        memcpy(&v, d + r->fields[i].off, 8);
        mark_val(s, v);
      }
  } else if (o->kind == GCK_EXN) { /* (payload slots: conservatively, as the value stack) */
    const wk_exn *e = (const wk_exn *)d;
    for (uint32_t i = 0; i < e->n; i++) mark_val(s, e->v[i]);
  } else if (o->kind == GCK_ARRAY && g->rtt[o->tid].fields[0].is_ref) {
    for (uint32_t i = 0; i < o->len; i++) {
      uint64_t v;
      memcpy(&v, d + (size_t)i * 8, 8);
      mark_val(s, v);
    }
  }
}
static void drain(wk_store *s) {
  wk_gc *g = s->gc;
  for (;;) {
    while (g->nmstack) trace(s, g->mstack[--g->nmstack]);
    /* objects marked 2 could not be pushed: find and trace them (rare) */
    if (!g->ndeferred) return;
    g->ndeferred = 0;
    int any = 0;
    for (size_t i = 0; i < g->setcap; i++)
      if (g->set[i] > 1 && ((wk_gcobj *)g->set[i])->mark == 2) {
        ((wk_gcobj *)g->set[i])->mark = 1;
        trace(s, (wk_gcobj *)g->set[i]);
        any = 1;
      }
    if (!any && !g->nmstack) return;
  }
}

void wk_gc_collect(wk_store *s, uint64_t *live_top) {
  wk_gc *g = s->gc;
  if (!g || g->no_collect) return;
  /* roots: the store's globals, tables and exception payloads, the host roots, the value stack */
  for (size_t i = 0; i < s->nobjs; i++) {
    uintptr_t v = (uintptr_t)s->objs[i];
    void *p = (void *)(v & ~(uintptr_t)7);
    switch (v & 7) {
    case OBJ_GLOBAL: mark_val(s, ((wk_global *)p)->val); break;
    case OBJ_TABLE: { /* (funcref tables hold no heap object) */
      wk_table *t = p;
      if (t->et == WK_FUNCREF) break;
      for (uint32_t k = 0; k < t->size; k++) mark_val(s, (uint64_t)(uintptr_t)t->elems[k]);
      break;
    }
    case OBJ_INST: {
      wk_instance *in = p;
      if (in->gc_elems)
        for (uint32_t k = 0; k < in->m->nelems; k++)
          if (in->gc_elems[k])
            for (uint32_t j = 0; j < in->m->elems[k].n; j++) mark_val(s, in->gc_elems[k][j]);
      break;
    }
    case OBJ_EXN: {
      wk_exn *e = p;
      for (uint32_t k = 0; k < e->n; k++) mark_val(s, e->v[k]);
      break;
    }
    default: break;
    }
    if (g->nmstack > 4096) drain(s);
  }
  for (size_t i = 0; i < g->nhroots; i++) mark_val(s, g->hroots[i]);
  for (uint32_t i = 0; i < g->nroots; i++) {
    mark_val(s, g->roots[i]);
    if (g->nmstack > 4096) drain(s);
  }
  /* conservative: any slot below the running instruction's live height (gc.h) */
  uint64_t *top = live_top && live_top > s->top ? live_top : s->top;
  if (top > s->stack_end) top = s->stack_end;
  for (uint64_t *p = s->stack; p < top; p++) {
    mark_val(s, *p);
    if (g->nmstack > 4096) drain(s);
  }
  drain(s);
  /* sweep: survivors into a fresh set when the limit has room for it besides the old one (the
   * fastest way), else in place (dead slots deleted, then set_resize rehashes without a second
   * array) */
  size_t cap = 64;
  while (cap < g->nset * 2 + 64) cap *= 2;
  if (cap > g->setcap) cap = g->setcap; /* (never grows here) */
  uintptr_t *n = cap && gc_fits(g, malloc_block((uint64_t)cap * sizeof *n)) ? calloc(cap, sizeof *n) : NULL;
  size_t nlive = 0;
  uint64_t flcap = GC_FL_MAX && g->bytes / 2 > GC_FL_MAX ? g->bytes / 2 : GC_FL_MAX;
  /* (recycle_obj takes each dead object's bytes off g->bytes and g->need) */
  if (n) {
    for (size_t i = 0; i < g->setcap; i++) {
      if (g->set[i] <= 1) continue;
      wk_gcobj *o = (wk_gcobj *)g->set[i];
      if (o->mark) {
        o->mark = 0;
        nlive++;
        set_insert_raw(n, cap, (uintptr_t)o);
      } else {
        recycle_obj(g, o, flcap);
      }
    }
  } else {
    for (size_t i = 0; i < g->setcap; i++) {
      if (g->set[i] <= 1) continue;
      wk_gcobj *o = (wk_gcobj *)g->set[i];
      if (o->mark) {
        o->mark = 0;
      } else {
        recycle_obj(g, o, flcap);
        g->set[i] = 1;
      }
    }
  }
  if (n) {
    free(g->set);
    g->set = n;
    g->setcap = cap;
    g->nset = g->nused = nlive;
    aux_update(g);
  } else {
    set_resize(g, cap);
  }
  g->since = 0;
  /* (the pace of collection counts header + payload, as before the limit charged malloc's cost) */
  g->threshold = g->need > GC_MIN_THRESHOLD ? g->need : GC_MIN_THRESHOLD;
}

/* wk_gc_alloc's memory for an object of need bytes (size class c, cost obj_cost(need)): collects
 * when due or when the heap lacks room, then drops the free lists; NULL at the limit. */
static __attribute__((noinline)) wk_gcobj *alloc_mem(wk_store *s, uint64_t need, size_t c, uint64_t cost,
                                                     uint64_t *live_top) {
  wk_gc *g = s->gc;
  /* what this allocation adds to gc_held: the object (unless a free-listed one is reused: it is
   * charged already), and a grown set's array (the old one is held too while it is rehashed) */
#define GC_NEWCAP() ((g->nused + 1) * 2 > g->setcap ? (g->setcap ? g->setcap * 2 : 1024) : 0)
#define GC_EXTRA(nc) ((c && g->fl[c] ? 0 : cost) + (nc ? malloc_block((uint64_t)(nc) * sizeof *g->set) : 0))
  size_t nc = GC_NEWCAP();
  if (g->since >= g->threshold || gc_held(g) + GC_EXTRA(nc) > g->limit) { /* (held <= limit + 2 KiB) */
    wk_gc_collect(s, live_top);
    nc = GC_NEWCAP();
  }
  if (!gc_fits(g, GC_EXTRA(nc))) {
    fl_trim(g);
    if (!gc_fits(g, GC_EXTRA(nc))) return NULL;
  }
#undef GC_NEWCAP
#undef GC_EXTRA
  if (nc && set_grow(g, nc)) return NULL;
  wk_gcobj *o;
  if (c && g->fl[c]) { /* a swept object of this size class */
    o = g->fl[c];
    g->fl[c] = *(void **)o;
    g->flbytes -= cost;
    memset(o, 0, c << 3);
  } else {
    o = calloc(1, c ? c << 3 : (size_t)need);
  }
  return o;
}
wk_gcobj *wk_gc_alloc(wk_store *s, uint8_t kind, uint32_t tid, uint32_t len, uint32_t esz, uint32_t bytes,
                      uint64_t *live_top) {
  if (!s->gc && wk_gc_init(s)) return NULL;
  wk_gc *g = s->gc;
  uint64_t need = sizeof(wk_gcobj) + (uint64_t)bytes;
  if (need > SIZE_MAX / 2 || need > g->limit) return NULL;
  size_t c = size_class(need);
  uint64_t cost = obj_cost(need);
  wk_gcobj *o;
  if (c && g->fl[c] && g->since < g->threshold && (g->nused + 1) * 2 <= g->setcap) {
    /* the common case: a swept object of this size class (charged to the heap already) */
    o = g->fl[c];
    g->fl[c] = *(void **)o;
    g->flbytes -= cost;
    memset(o, 0, c << 3);
  } else if (!(o = alloc_mem(s, need, c, cost, live_top))) {
    return NULL;
  }
  o->tid = tid, o->kind = kind, o->esz = (uint16_t)esz, o->len = len, o->bytes = bytes;
  if (set_insert_raw(g->set, g->setcap, (uintptr_t)o)) g->nused++;
  g->nset++;
  g->bytes += cost;
  g->need += need;
  g->since += need;
  return o;
}

void wk_gc_stats(const wk_store *s, wk_gc_heap_stats *st) {
  memset(st, 0, sizeof *st);
  const wk_gc *g = s->gc;
  if (!g) return;
  st->held = gc_held(g);
  st->limit = g->limit;
  st->objects = g->bytes;
  st->freelisted = g->flbytes;
  st->arrays = g->aux;
  st->nobjects = g->nset;
}

void wk_gc_host_root(wk_store *s, uint64_t v) {
  wk_gc *g = s->gc;
  if (!g || !obj_of(s, v)) return;
  if (g->nhroots == g->caphroots) {
    size_t nc = g->caphroots ? g->caphroots * 2 : 16;
    uint64_t *n = wk_reallocarray(g->hroots, nc, sizeof *n);
    if (!n) return; /* (the value stays valid until the next collection) */
    g->hroots = n;
    g->caphroots = nc;
  }
  g->hroots[g->nhroots++] = v;
}
void wk_gc_host_roots_clear(wk_store *s) {
  if (s->gc) s->gc->nhroots = 0;
}

wk_exn *wk_gc_exn_new(wk_store *s, wk_tag *t, const uint64_t *v, uint32_t n) {
  wk_gc *g = s->gc;
  g->no_collect++;
  wk_gcobj *o = wk_gc_alloc(s, GCK_EXN, 0, 0, 0, (uint32_t)(sizeof(wk_exn) + (size_t)n * sizeof(uint64_t)), NULL);
  g->no_collect--;
  if (!o) return NULL;
  wk_exn *e = (wk_exn *)WK_GCOBJ_DATA(o);
  e->tag = t;
  e->n = n;
  if (n) memcpy(e->v, v, (size_t)n * sizeof *v);
  return e;
}

/* ---- explicit roots (interp.h wk_ref_root) ---- */
/* A handle is (generation << GC_ROOT_SLOT_BITS) | slot number (1-based): the slot's generation
 * (rgen) advances when the slot is released, so a stale or second unroot of a handle whose slot
 * was given out again is refused (up to 2^8 reuses of one slot; interp.h). */
#define GC_ROOT_SLOT_BITS 24
#define GC_ROOT_SLOT_MASK ((1u << GC_ROOT_SLOT_BITS) - 1)
int wk_ref_root(wk_store *s, const wk_value *v, uint32_t *id) {
  if (!v || !id || (v->type != WK_ANYREF && v->type != WK_EXTERNREF && v->type != WK_FUNCREF && v->type != WK_EXNREF))
    return WK_ERR_USAGE;
  if (!s->gc && wk_gc_init(s)) return WK_ERR_NOMEM;
  wk_gc *g = s->gc;
  uint32_t h = g->rfree;
  if (h) {
    g->rfree = g->rnext[h - 1];
  } else {
    if (g->nroots == g->caproots) {
      if (g->caproots >= GC_ROOT_SLOT_MASK / 2) return WK_ERR_NOMEM;
      uint32_t nc = g->caproots ? g->caproots * 2 : 16;
      uint64_t *r = wk_reallocarray(g->roots, nc, sizeof *r);
      if (!r) return WK_ERR_NOMEM;
      g->roots = r;
      uint32_t *l = wk_reallocarray(g->rnext, nc, sizeof *l);
      if (!l) return WK_ERR_NOMEM;
      g->rnext = l;
      uint8_t *gn = realloc(g->rgen, nc);
      if (!gn) return WK_ERR_NOMEM;
      memset(gn + g->caproots, 0, nc - g->caproots);
      g->rgen = gn;
      g->caproots = nc;
    }
    h = ++g->nroots;
  }
  g->roots[h - 1] = (uint64_t)(uintptr_t)v->of.ref;
  g->rnext[h - 1] = UINT32_MAX; /* (in use) */
  *id = (uint32_t)g->rgen[h - 1] << GC_ROOT_SLOT_BITS | h;
  return WK_OK;
}
void wk_ref_unroot(wk_store *s, uint32_t id) {
  wk_gc *g = s->gc;
  uint32_t h = id & GC_ROOT_SLOT_MASK;
  if (!g || !h || h > g->nroots || g->rnext[h - 1] != UINT32_MAX || g->rgen[h - 1] != id >> GC_ROOT_SLOT_BITS) return;
  g->roots[h - 1] = 0;
  g->rgen[h - 1]++; /* (uint8_t: wraps) */
  g->rnext[h - 1] = g->rfree;
  g->rfree = h;
}

/* ---- values ---- */
uint64_t wk_gc_any_of_extern(wk_store *s, uint64_t y, uint64_t *live_top) {
  if (!y) return 0;
  if (wk_gc_is_obj(s, y)) {
    wk_gcobj *o = (wk_gcobj *)(uintptr_t)y;
    if (o->kind == GCK_I31BOX) {
      uint64_t v;
      memcpy(&v, WK_GCOBJ_DATA(o), 8);
      return v;
    }
    return y;
  }
  if (!s->gc && wk_gc_init(s)) return UINT64_MAX;
  wk_gcobj *b = wk_gc_alloc(s, GCK_HOSTBOX, 0, 0, 0, 8, live_top);
  if (!b) return UINT64_MAX;
  memcpy(WK_GCOBJ_DATA(b), &y, 8);
  return (uint64_t)(uintptr_t)b;
}
uint64_t wk_gc_extern_of_any(wk_store *s, uint64_t x, uint64_t *live_top) {
  if (!x) return 0;
  if (x & 1) {
    wk_gcobj *b = wk_gc_alloc(s, GCK_I31BOX, 0, 0, 0, 8, live_top);
    if (!b) return UINT64_MAX;
    memcpy(WK_GCOBJ_DATA(b), &x, 8);
    return (uint64_t)(uintptr_t)b;
  }
  wk_gcobj *o = (wk_gcobj *)(uintptr_t)x;
  if (o->kind == GCK_HOSTBOX) {
    uint64_t v;
    memcpy(&v, WK_GCOBJ_DATA(o), 8);
    return v;
  }
  return x;
}

int wk_gc_test(wk_store *s, uint64_t v, uint32_t ht, int nullable) {
  if (!v) return nullable;
  if (ht & GC_HT_ID) {
    uint32_t id = ht & ~GC_HT_ID;
    wk_rtt *r = wk_gc_rtt(s, id);
    if (!r) return 0;
    if (r->kind == RTT_FUNC) return wk_gc_sub(s, ((wk_func *)(uintptr_t)v)->type_id, id);
    if (v & 1) return 0;
    wk_gcobj *o = (wk_gcobj *)(uintptr_t)v;
    if (o->kind != GCK_STRUCT && o->kind != GCK_ARRAY) return 0;
    return wk_gc_sub(s, o->tid, id);
  }
  uint8_t k = (v & 1) ? 0 : ((wk_gcobj *)(uintptr_t)v)->kind;
  switch (ht & 0xff) {
  case 0x6d: return (v & 1) || k == GCK_STRUCT || k == GCK_ARRAY; /* eq */
  case 0x6c: return (int)(v & 1);                                 /* i31 */
  case 0x6b: return !(v & 1) && k == GCK_STRUCT;                  /* struct */
  case 0x6a: return !(v & 1) && k == GCK_ARRAY;                   /* array */
  case 0x71: case 0x72: case 0x73: case 0x74: return 0;           /* none, noextern, nofunc, noexn */
  default: return 1;                                              /* any, func, extern, exn */
  }
}

/* ---- field access: storage type -> slots (i32 zero-extended in its slot, as loop.h's W32) ---- */
static void st_write(const wk_gcfield *f, uint8_t *p, const uint64_t *v) {
  switch (f->size) {
  case 1: *p = (uint8_t)v[0]; break;
  case 2: { uint16_t x = (uint16_t)v[0]; memcpy(p, &x, 2); break; }
  case 4: { uint32_t x = (uint32_t)v[0]; memcpy(p, &x, 4); break; }
  case 8: memcpy(p, v, 8); break;
  default: memcpy(p, v, 8), memcpy(p + 8, v + 1, 8); break;
  }
}
static void st_read(const wk_gcfield *f, const uint8_t *p, int sign, uint64_t *d) {
  switch (f->size) {
  case 1: d[0] = sign ? (uint32_t)(int32_t)(int8_t)*p : *p; break;
  case 2: { uint16_t x; memcpy(&x, p, 2); d[0] = sign ? (uint32_t)(int32_t)(int16_t)x : x; break; }
  case 4: { uint32_t x; memcpy(&x, p, 4); d[0] = x; break; }
  case 8: memcpy(d, p, 8); break;
  default: memcpy(d, p, 8), memcpy(d + 1, p + 8, 8); break;
  }
}
static uint32_t nslots(const wk_gcfield *f) { return f->size == 16 ? 2 : 1; }

/* a new struct of store type id with field values from v (or zero when v is NULL) */
static wk_gcobj *new_struct(wk_store *s, uint32_t id, const uint64_t *v, uint64_t *live_top) {
  wk_rtt *r = &s->gc->rtt[id];
  wk_gcobj *o = wk_gc_alloc(s, GCK_STRUCT, id, 0, 0, r->size, live_top);
  if (!o || !v) return o;
  for (uint32_t i = 0; i < r->nfields; i++) {
    st_write(&r->fields[i], WK_GCOBJ_DATA(o) + r->fields[i].off, v);
    v += nslots(&r->fields[i]);
  }
  return o;
}
/* a new array of store type id, len elements (zero) */
static wk_gcobj *new_array(wk_store *s, uint32_t id, uint64_t len, uint64_t *live_top) {
  wk_rtt *r = &s->gc->rtt[id];
  uint32_t esz = r->fields[0].size;
  if (len > UINT32_MAX || len * esz > UINT32_MAX - 64) return NULL;
  return wk_gc_alloc(s, GCK_ARRAY, id, (uint32_t)len, esz, (uint32_t)(len * esz), live_top);
}
static void array_fill(wk_gcobj *o, const wk_gcfield *f, uint32_t from, uint32_t n, const uint64_t *v) {
  uint8_t *d = WK_GCOBJ_DATA(o) + (size_t)from * o->esz;
  for (uint32_t i = 0; i < n; i++, d += o->esz) st_write(f, d, v);
}

/* a passive data segment's bytes (a dropped one is empty) */
static const uint8_t *data_seg(wk_instance *inst, uint32_t i, uint64_t *len) {
  if (inst->data_dropped[i]) { *len = 0; return NULL; }
  *len = inst->m->datas[i].len;
  return inst->m->datas[i].bytes;
}
static uint32_t elem_len(wk_instance *inst, uint32_t i) {
  return inst->elem_dropped[i] ? 0 : inst->m->elems[i].n;
}

#define NULLTRAP(c) return (c) + 1
int wk_gc_exec(wk_store *s, wk_instance *inst, uint64_t *fp, const uint32_t *ip) {
  wk_gc *g = s->gc;
  uint32_t sub = ip[1], a = ip[3], imm1 = ip[4], imm2 = ip[5];
  uint64_t *d = fp + ip[2], *v = fp + a, *live = fp + ip[6];
  switch (sub) {
  case GS_NEW: case GS_NEW_DEFAULT: {
    wk_gcobj *o = new_struct(s, inst->type_ids[imm1], sub == GS_NEW ? v : NULL, live);
    if (!o) NULLTRAP(WK_TRAP_GC_OOM);
    d[0] = (uint64_t)(uintptr_t)o;
    return 0;
  }
  case GS_GET: case GS_GET_S: case GS_GET_U: case GS_SET: {
    if (!v[0]) NULLTRAP(WK_TRAP_NULL_STRUCT);
    wk_gcobj *o = (wk_gcobj *)(uintptr_t)v[0];
    const wk_gcfield *f = &g->rtt[o->tid].fields[imm2];
    if (sub == GS_SET) st_write(f, WK_GCOBJ_DATA(o) + f->off, v + 1);
    else st_read(f, WK_GCOBJ_DATA(o) + f->off, sub == GS_GET_S, d);
    return 0;
  }
  case GA_NEW: case GA_NEW_DEFAULT: case GA_NEW_FIXED: {
    uint32_t id = inst->type_ids[imm1];
    const wk_gcfield *f = &g->rtt[id].fields[0];
    uint64_t len = sub == GA_NEW ? (uint32_t)v[nslots(f)] : sub == GA_NEW_DEFAULT ? (uint32_t)v[0] : imm2;
    wk_gcobj *o = new_array(s, id, len, live);
    if (!o) NULLTRAP(WK_TRAP_GC_OOM);
    if (sub == GA_NEW) array_fill(o, f, 0, o->len, v);
    else if (sub == GA_NEW_FIXED)
      for (uint32_t i = 0; i < o->len; i++) st_write(f, WK_GCOBJ_DATA(o) + (size_t)i * o->esz, v + (size_t)i * nslots(f));
    d[0] = (uint64_t)(uintptr_t)o;
    return 0;
  }
  case GA_NEW_DATA: case GA_NEW_ELEM: {
    uint32_t id = inst->type_ids[imm1];
    uint64_t off = (uint32_t)v[0], len = (uint32_t)v[1], seglen;
    uint32_t esz = g->rtt[id].fields[0].size;
    if (sub == GA_NEW_DATA) {
      const uint8_t *src = data_seg(inst, imm2, &seglen);
      if (off + len * esz > seglen) NULLTRAP(WK_TRAP_MEMORY_OOB);
      wk_gcobj *o = new_array(s, id, len, live);
      if (!o) NULLTRAP(WK_TRAP_GC_OOM);
      if (len) memcpy(WK_GCOBJ_DATA(o), src + off, (size_t)(len * esz));
      d[0] = (uint64_t)(uintptr_t)o;
      return 0;
    }
    if (off + len > elem_len(inst, imm2)) NULLTRAP(WK_TRAP_TABLE_OOB);
    wk_gcobj *o = new_array(s, id, len, live);
    if (!o) NULLTRAP(WK_TRAP_GC_OOM);
    g->no_collect++; /* o is only here until d holds it */
    for (uint32_t i = 0; i < len; i++) {
      uint64_t r = (uint64_t)(uintptr_t)wk_eval_ref(inst, &inst->m->elems[imm2].items[off + i]);
      memcpy(WK_GCOBJ_DATA(o) + (size_t)i * 8, &r, 8);
    }
    g->no_collect--;
    d[0] = (uint64_t)(uintptr_t)o;
    return 0;
  }
  case GA_GET: case GA_GET_S: case GA_GET_U: case GA_SET: {
    if (!v[0]) NULLTRAP(WK_TRAP_NULL_ARRAY);
    wk_gcobj *o = (wk_gcobj *)(uintptr_t)v[0];
    uint32_t i = (uint32_t)v[1];
    if (i >= o->len) NULLTRAP(WK_TRAP_ARRAY_OOB);
    const wk_gcfield *f = &g->rtt[o->tid].fields[0];
    uint8_t *p = WK_GCOBJ_DATA(o) + (size_t)i * o->esz;
    if (sub == GA_SET) st_write(f, p, v + 2);
    else st_read(f, p, sub == GA_GET_S, d);
    return 0;
  }
  case GA_LEN:
    if (!v[0]) NULLTRAP(WK_TRAP_NULL_ARRAY);
    d[0] = ((wk_gcobj *)(uintptr_t)v[0])->len;
    return 0;
  case GA_FILL: { /* ref off val n (val: 1 or 2 slots) */
    if (!v[0]) NULLTRAP(WK_TRAP_NULL_ARRAY);
    wk_gcobj *o = (wk_gcobj *)(uintptr_t)v[0];
    const wk_gcfield *f = &g->rtt[o->tid].fields[0];
    uint64_t off = (uint32_t)v[1], n = (uint32_t)v[2 + nslots(f)];
    if (off + n > o->len) NULLTRAP(WK_TRAP_ARRAY_OOB);
    array_fill(o, f, (uint32_t)off, (uint32_t)n, v + 2);
    return 0;
  }
  case GA_COPY: { /* dst doff src soff n */
    if (!v[0] || !v[2]) NULLTRAP(WK_TRAP_NULL_ARRAY);
    wk_gcobj *o = (wk_gcobj *)(uintptr_t)v[0], *q = (wk_gcobj *)(uintptr_t)v[2];
    uint64_t doff = (uint32_t)v[1], soff = (uint32_t)v[3], n = (uint32_t)v[4];
    if (doff + n > o->len || soff + n > q->len) NULLTRAP(WK_TRAP_ARRAY_OOB);
    if (n) memmove(WK_GCOBJ_DATA(o) + doff * o->esz, WK_GCOBJ_DATA(q) + soff * o->esz, (size_t)(n * o->esz));
    return 0;
  }
  case GA_INIT_DATA: case GA_INIT_ELEM: { /* ref doff soff n */
    if (!v[0]) NULLTRAP(WK_TRAP_NULL_ARRAY);
    wk_gcobj *o = (wk_gcobj *)(uintptr_t)v[0];
    uint64_t doff = (uint32_t)v[1], soff = (uint32_t)v[2], n = (uint32_t)v[3], seglen;
    if (doff + n > o->len) NULLTRAP(WK_TRAP_ARRAY_OOB);
    if (sub == GA_INIT_DATA) {
      const uint8_t *src = data_seg(inst, imm2, &seglen);
      if (soff + n * o->esz > seglen) NULLTRAP(WK_TRAP_MEMORY_OOB);
      if (n) memcpy(WK_GCOBJ_DATA(o) + doff * o->esz, src + soff, (size_t)(n * o->esz));
      return 0;
    }
    if (soff + n > elem_len(inst, imm2)) NULLTRAP(WK_TRAP_TABLE_OOB);
    g->no_collect++;
    for (uint64_t i = 0; i < n; i++) {
      uint64_t r = (uint64_t)(uintptr_t)wk_eval_ref(inst, &inst->m->elems[imm2].items[soff + i]);
      memcpy(WK_GCOBJ_DATA(o) + (doff + i) * 8, &r, 8);
    }
    g->no_collect--;
    return 0;
  }
  case G_I31: d[0] = ((v[0] & 0x7fffffffu) << 1) | 1; return 0;
  case G_I31_GET_S: case G_I31_GET_U: {
    if (!v[0]) NULLTRAP(WK_TRAP_NULL_I31);
    uint32_t x = (uint32_t)(v[0] >> 1) & 0x7fffffffu;
    d[0] = sub == G_I31_GET_S ? (uint32_t)((int32_t)(x << 1) >> 1) : x;
    return 0;
  }
  case G_TEST: case G_CAST: {
    uint32_t ht = imm1;
    if (wk_ht_is_idx(ht)) ht = GC_HT_ID | inst->type_ids[ht];
    int ok = wk_gc_test(s, v[0], ht, (int)imm2);
    if (sub == G_TEST) d[0] = (uint32_t)ok;
    else if (!ok) NULLTRAP(WK_TRAP_CAST);
    else d[0] = v[0];
    return 0;
  }
  case G_ANY_CONV: case G_EXTERN_CONV: {
    uint64_t r = sub == G_ANY_CONV ? wk_gc_any_of_extern(s, v[0], live) : wk_gc_extern_of_any(s, v[0], live);
    if (r == UINT64_MAX) NULLTRAP(WK_TRAP_GC_OOM);
    d[0] = r;
    return 0;
  }
  default: NULLTRAP(WK_TRAP_UNREACHABLE);
  }
}

/* Core 3.0 3.2 heap type matching at store level (concrete heap types as store type ids) */
int wk_gc_ht_sub(wk_store *s, uint32_t a, uint32_t b) {
  if (a == b) return 1;
  int ca = wk_ht_is_idx(a), cb = wk_ht_is_idx(b);
  if (ca && cb) return wk_gc_sub(s, a, b);
  if (ca) {
    wk_rtt *r = wk_gc_rtt(s, a);
    uint8_t c = (uint8_t)b;
    if (!r) return 0;
    if (r->kind == RTT_FUNC) return c == 0x70;
    return c == 0x6e || c == 0x6d || c == (r->kind == RTT_STRUCT ? 0x6b : 0x6a);
  }
  uint8_t x = (uint8_t)a;
  if (cb) {
    wk_rtt *r = wk_gc_rtt(s, b);
    return r && (r->kind == RTT_FUNC ? x == 0x73 : x == 0x71);
  }
  uint8_t y = (uint8_t)b;
  switch (x) {
  case 0x71: return y == 0x6e || y == 0x6d || y == 0x6c || y == 0x6b || y == 0x6a;
  case 0x6c: case 0x6b: case 0x6a: return y == 0x6d || y == 0x6e;
  case 0x6d: return y == 0x6e;
  case 0x73: return y == 0x70;
  case 0x72: return y == 0x6f;
  case 0x74: return y == 0x69;
  default: return 0;
  }
}

/* ---- constant expressions (Core 3.0 3.3.10: ref.i31, struct.new(_default), array.new(_default,
 * _fixed), any.convert_extern, extern.convert_any are constant; with ref.null and ref.func) ----
 * Run by exec.c eval_ext on its stack st[0..*n) (64 entries; hi[] the high halves of v128
 * operands, for v128 fields); collection is off meanwhile (the objects made so far are only on
 * that C stack), so the allocations of one expression are only bounded by the heap limit. An
 * allocation beyond it sets g->cexpr_oom (pushing a null placeholder): the instantiation that
 * evaluates the expression then traps "out of memory" (linker.c, Core 3.0 4.5.4: evaluating a
 * constant expression is part of instantiation, whose failure is a trap). */
int wk_gc_cexpr_op(wk_instance *inst, const wk_insn *in, uint64_t *st, uint64_t *hi, uint32_t *n) {
  wk_store *s = inst->store;
  uint32_t k = *n;
  uint64_t r;
  switch (in->op) {
  case WK_OP_REF_NULL: r = 0; break;
  case WK_OP_REF_FUNC: r = (uint64_t)(uintptr_t)inst->funcs[in->idx0]; break;
  case WK_OP_REF_I31:
    if (!k) return 1;
    st[k - 1] = ((st[k - 1] & 0x7fffffffu) << 1) | 1;
    hi[k - 1] = 0;
    return 1;
  case WK_OP_STRUCT_NEW: case WK_OP_STRUCT_NEW_DEFAULT: case WK_OP_ARRAY_NEW: case WK_OP_ARRAY_NEW_DEFAULT:
  case WK_OP_ARRAY_NEW_FIXED: case WK_OP_ANY_CONVERT_EXTERN: case WK_OP_EXTERN_CONVERT_ANY: {
    if (!s->gc && wk_gc_init(s)) return 1;
    wk_gc *g = s->gc;
    g->no_collect++;
    int conv = in->op == WK_OP_ANY_CONVERT_EXTERN || in->op == WK_OP_EXTERN_CONVERT_ANY;
    uint32_t id = conv ? 0 : inst->type_ids[in->idx0];
    wk_rtt *rt = conv ? NULL : wk_gc_rtt(s, id);
    if (!conv && !rt) { g->no_collect--; return 1; }
    uint32_t npop = 0;
    wk_gcobj *o = NULL;
    r = UINT64_MAX;
    switch (in->op) {
    case WK_OP_STRUCT_NEW: case WK_OP_STRUCT_NEW_DEFAULT: {
      npop = in->op == WK_OP_STRUCT_NEW ? rt->nfields : 0;
      if (npop > k) break;
      o = wk_gc_alloc(s, GCK_STRUCT, id, 0, 0, rt->size, NULL);
      if (o && npop)
        for (uint32_t i = 0; i < rt->nfields; i++) {
          uint64_t v2[2] = {st[k - npop + i], hi[k - npop + i]};
          st_write(&rt->fields[i], WK_GCOBJ_DATA(o) + rt->fields[i].off, v2);
        }
      break;
    }
    case WK_OP_ARRAY_NEW: case WK_OP_ARRAY_NEW_DEFAULT: case WK_OP_ARRAY_NEW_FIXED: {
      npop = in->op == WK_OP_ARRAY_NEW ? 2 : in->op == WK_OP_ARRAY_NEW_DEFAULT ? 1 : in->count;
      if (npop > k) break;
      uint64_t len = in->op == WK_OP_ARRAY_NEW_FIXED ? in->count : (uint32_t)st[k - 1];
      o = new_array(s, id, len, NULL);
      if (!o) break;
      for (uint32_t i = 0; in->op != WK_OP_ARRAY_NEW_DEFAULT && i < o->len; i++) {
        uint32_t at = in->op == WK_OP_ARRAY_NEW ? k - 2 : k - npop + i;
        uint64_t v2[2] = {st[at], hi[at]};
        st_write(&rt->fields[0], WK_GCOBJ_DATA(o) + (size_t)i * o->esz, v2);
      }
      break;
    }
    default:
      npop = 1;
      if (!k) break;
      r = in->op == WK_OP_ANY_CONVERT_EXTERN ? wk_gc_any_of_extern(s, st[k - 1], NULL)
                                             : wk_gc_extern_of_any(s, st[k - 1], NULL);
      break;
    }
    g->no_collect--;
    if (o) r = (uint64_t)(uintptr_t)o;
    if (npop > k) return 1;
    k -= npop;
    if (r == UINT64_MAX) g->cexpr_oom = 1; /* (the instantiation traps: linker.c) */
    hi[k] = 0;
    st[k++] = r == UINT64_MAX ? 0 : r;
    *n = k;
    return 1;
  }
  default: return 0;
  }
  if (k < 64) hi[k] = 0, st[k++] = r;
  *n = k;
  return 1;
}

int wk_gc_cexpr_failed(wk_store *s) {
  if (!s->gc || !s->gc->cexpr_oom) return 0;
  s->gc->cexpr_oom = 0;
  return 1;
}

/* ---- the host boundary (interp.h) ---- */
int wk_ref_kind(wk_store *s, const wk_value *v) {
  uint64_t r = (uint64_t)(uintptr_t)v->of.ref;
  if (!r) return WK_REFKIND_NULL;
  if (v->type != 0x6e) return WK_REFKIND_OTHER;
  if (r & 1) return WK_REFKIND_I31;
  if (!wk_gc_is_obj(s, r)) return WK_REFKIND_OTHER;
  switch (((wk_gcobj *)(uintptr_t)r)->kind) {
  case GCK_STRUCT: return WK_REFKIND_STRUCT;
  case GCK_ARRAY: return WK_REFKIND_ARRAY;
  case GCK_HOSTBOX: return WK_REFKIND_HOST;
  default: return WK_REFKIND_OTHER;
  }
}
int wk_anyref_of_host(wk_store *s, void *host, wk_value *out) {
  uint64_t r = wk_gc_any_of_extern(s, (uint64_t)(uintptr_t)host, NULL);
  if (r == UINT64_MAX) return WK_ERR_NOMEM;
  memset(out, 0, sizeof *out);
  out->type = 0x6e;
  out->of.ref = (void *)(uintptr_t)r;
  wk_gc_host_root(s, r);
  return WK_OK;
}
int wk_extern_of_anyref(wk_store *s, const wk_value *v, wk_value *out) {
  uint64_t x = (uint64_t)(uintptr_t)v->of.ref; /* (a host value: checked before wk_gc_extern_of_any reads it) */
  if (v->type != WK_ANYREF || (x && !(x & 1) && !wk_gc_is_obj(s, x))) return WK_ERR_USAGE;
  uint64_t r = wk_gc_extern_of_any(s, x, NULL);
  if (r == UINT64_MAX) return WK_ERR_NOMEM;
  memset(out, 0, sizeof *out);
  out->type = WK_EXTERNREF;
  out->of.ref = (void *)(uintptr_t)r;
  wk_gc_host_root(s, r);
  return WK_OK;
}
uint32_t wk_i31_get_u(const wk_value *v) { return (uint32_t)((uint64_t)(uintptr_t)v->of.ref >> 1) & 0x7fffffffu; }

/* Core 3.0 4.5.4: element segments are evaluated once, at instantiation; a segment with an item
 * that may allocate (an extended constant expression: struct.new, array.new*, ...) keeps its
 * values in inst->gc_elems (store-owned, GC roots through the instance). 0, or -1 on OOM. */
int wk_gc_eval_elems(wk_instance *inst) {
  wk_store *s = inst->store;
  const wk_module *m = inst->m;
  if (!s->gc && wk_gc_init(s)) return -1;
  uint64_t **ev = calloc(m->nelems ? m->nelems : 1, sizeof *ev);
  if (!ev || wk_store_track(s, ev, OBJ_BLOB)) { free(ev); return -1; }
  inst->gc_elems = ev;
  s->gc->no_collect++;
  int rc = 0;
  for (uint32_t i = 0; i < m->nelems && !rc; i++) {
    const wk_melem *e = &m->elems[i];
    uint32_t k;
    for (k = 0; k < e->n && e->items[k].op != WK_CEXPR_EXT; k++) {}
    if (k == e->n) continue;
    uint64_t *v = malloc((e->n ? e->n : 1) * sizeof *v);
    if (!v || wk_store_track(s, v, OBJ_BLOB)) { free(v); rc = -1; break; }
    for (k = 0; k < e->n; k++) v[k] = wk_eval_cexpr(inst, &e->items[k]);
    ev[i] = v;
  }
  s->gc->no_collect--;
  return rc;
}

/* the value of element item e (an extended constant expression of one of inst's segments) that
 * wk_gc_eval_elems computed at instantiation; evaluated now if it is not one of them */
uint64_t wk_gc_elem_value(wk_instance *inst, const wk_cexpr *e) {
  const wk_module *m = inst->m;
  for (uint32_t i = 0; i < m->nelems; i++) {
    const wk_melem *s = &m->elems[i];
    if (inst->gc_elems[i] && e >= s->items && e < s->items + s->n) return inst->gc_elems[i][e - s->items];
  }
  return wk_eval_cexpr(inst, e);
}

/* Does reference v (a host's wk_value.of.ref) have store-level reference type vt? (gc.h) */
int wk_gc_ref_fits(wk_store *s, wk_vt vt, uint64_t v) {
  if (!v) return wk_vt_nullable(vt);
  uint32_t ht = wk_vt_heap(vt);
  if (wk_ht_is_idx(ht)) {
    wk_rtt *r = wk_gc_rtt(s, ht);
    if (!r) return 0;
    if (r->kind != RTT_FUNC && !(v & 1) && !wk_gc_is_obj(s, v)) return 0; /* (not an object of this store) */
    return wk_gc_test(s, v, GC_HT_ID | ht, 1);
  }
  switch (ht & 0xff) {
  case 0x6e: case 0x6d: case 0x6c: case 0x6b: case 0x6a: case 0x71: /* the any hierarchy */
    if (!(v & 1) && !wk_gc_is_obj(s, v)) return 0;
    return wk_gc_test(s, v, ht, 1);
  default: return wk_gc_test(s, v, ht, 1); /* func, extern, exn and their bottoms */
  }
}
