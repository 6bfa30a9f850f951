/*
 * lib/component — instantiate and run components (component-model
 * design/mvp/Explainer.md "Instance Definitions", "Alias Definitions",
 * "Canonical Definitions", "Start Definitions", "Import and Export
 * Definitions"; CanonicalABI.md / definitions.py canon_lift, canon_lower,
 * canon_resource_*, ComponentInstance.may_enter/may_leave).
 *
 * Design: instantiation walks a component's sections in order and fills its
 * index spaces (internal.h `scope`) with runtime items: core modules come
 * from wk_comp (translated once), core instances from lib/interp, component
 * functions are lifted core functions or host functions, canon lower turns a
 * component function into a lib/interp host function that lifts its
 * arguments from the caller's memory into wk_cval trees (lib/canonabi) and
 * lowers them into the callee (or hands them to a host function).
 */
#include "component/component.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "component/internal.h"
#include "encode/ctypes.h"
#include "encode/semver.h"
#include "witparse/witencode.h"
#include "witparse/witparse.h"

/* ------------------------------------------------------------------ */
/* components */

typedef struct modent {
  const wk_csection *sec;
  wk_module *m;
} modent;

struct wk_comp {
  wk_engine *e;
  uint8_t *bytes;
  size_t len;
  wk_component *model;
  wk_ctypes *types; /* the validator's type graph of model (imports checked against declared host types) */
  modent *mods;
  size_t nmods, capmods;
  int all_cached;
};

struct wk_comp_func {
  rt_func *f;
  wk_comp_inst *top;
};

struct wk_comp_inst {
  wk_store *s;
  const wk_comp *c;
  wk_comp_linker *l; /* during instantiation only */
  wk_arena arena;
  scope *root, *all;
  uint32_t nscopes;
  uint32_t ncore; /* core module instances created */
  scope *cur; /* the component instance running canon resource.drop (the dtor's caller) */
  uint32_t depth;      /* nested lowered/lifted calls in progress (C recursion) */
  uintptr_t sp0, sp_budget; /* stack pointer at depth 0 and the C stack the nesting may use */
  int budget_set;           /* sp_budget is worked out (on the first nested call under depth 0) */
  /* the lowest address of the calling thread's stack (pthread_getattr_np), kept per thread:
   * on the main thread glibc finds it by reading /proc/self/maps, which cost more than a
   * whole host->guest call of a small function (bench/components) */
  int stack_known;
  pthread_t stack_thread;
  uintptr_t stack_lo;
  char **fnames;
  wk_comp_func **ffuncs;
  size_t nf;
};

struct wk_comp_ctx {
  wk_comp_inst *top;
  wk_arena *arena;
  scope *caller;
  int failed, exited, status;
  char msg[512];
};

int wk_comp_is_component(const uint8_t *b, size_t n) {
  /* Binary.md preamble: magic, version 0x0d 0x00, layer 0x01 0x00 */
  return n >= 8 && memcmp(b, "\0asm", 4) == 0 && b[4] == WK_CT_VERSION && b[5] == 0 && b[6] == WK_CT_LAYER && b[7] == 0;
}

/* the core module sections of m and of its nested components, in binary order, into c->mods */
static int collect_modules(wk_comp *c, const wk_component *m, wk_error *err) {
  for (uint32_t i = 0; i < m->nsections; i++) {
    const wk_csection *sec = &m->sections[i];
    if (sec->id == WK_CSEC_COMPONENT) {
      int rc = collect_modules(c, sec->u.component, err);
      if (rc) return rc;
    } else if (sec->id == WK_CSEC_CORE_MODULE) {
      if (c->nmods == c->capmods) {
        size_t nc = c->capmods ? c->capmods * 2 : 8;
        modent *nm = wk_reallocarray(c->mods, nc, sizeof *nm);
        if (!nm) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
        c->mods = nm;
        c->capmods = nc;
      }
      c->mods[c->nmods].sec = sec;
      c->mods[c->nmods].m = NULL;
      c->nmods++;
    }
  }
  return WK_OK;
}

/* Every module of the component goes into the AOT cache (when the engine has one), however
 * small (WK_MODULE_CACHE_ANY_SIZE), and the component gets a group index of them
 * (wk_module_group_store): a cached start-up then loads every module by its recorded key,
 * without hashing any (no SHA-256, no libcrypto: 8.5M of a cached hello.c component's 14.4M
 * instructions before, callgrind). */
static int load_modules(wk_comp *c, wk_error *err) {
  int rc = collect_modules(c, c->model, err);
  if (rc || !c->nmods) return rc;
  const uint8_t **bytes = malloc(c->nmods * sizeof *bytes);
  size_t *lens = malloc(c->nmods * sizeof *lens);
  wk_module **mods = calloc(c->nmods, sizeof *mods);
  if (!bytes || !lens || !mods) {
    rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < c->nmods; i++) bytes[i] = c->mods[i].sec->u.module.bytes, lens[i] = c->mods[i].sec->u.module.len;
  if (wk_module_group_load(c->e, c->bytes, c->len, c->nmods, bytes, lens, mods) == 0) {
    for (size_t i = 0; i < c->nmods; i++) c->mods[i].m = mods[i];
    goto done;
  }
  for (size_t i = 0; i < c->nmods; i++) {
    const wk_csection *sec = c->mods[i].sec;
    rc = wk_module_new_ex(c->e, bytes[i], lens[i], WK_MODULE_CACHE_ANY_SIZE, &c->mods[i].m, err);
    if (rc) {
      if (err->has_offset) err->offset += sec->u.module.offset;
      goto done;
    }
    if (!wk_module_from_cache(c->mods[i].m)) c->all_cached = 0;
    mods[i] = c->mods[i].m;
  }
  wk_module_group_store(c->e, c->bytes, c->len, c->nmods, mods);
done:
  free(bytes);
  free(lens);
  free(mods);
  return rc;
}

int wk_comp_new(wk_engine *e, const uint8_t *bytes, size_t len, wk_comp **out, wk_error *err) {
  *out = NULL;
  uint8_t *copy = malloc(len ? len : 1);
  if (!copy) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  if (len) memcpy(copy, bytes, len);
  return wk_comp_new_take(e, copy, len, out, err);
}

int wk_comp_new_take(wk_engine *e, uint8_t *bytes, size_t len, wk_comp **out, wk_error *err) {
  *out = NULL;
  wk_comp *c = calloc(1, sizeof *c);
  if (!c) {
    free(bytes);
    return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  }
  c->e = e;
  c->all_cached = 1;
  c->bytes = bytes;
  c->len = len;
  int rc = wk_component_decode(c->bytes, len, &c->model, err);
  /* Nested core modules are validated by wk_module_new in load_modules (it
   * must, before translating them), so the component validator checks only
   * what the component level needs of them: decoding and validating each
   * module twice was ~23% of a small component's start-up (callgrind). */
  /* the validation keeps its type graph: instantiation type-checks imports
   * against declared host types with it (wk_comp_linker_declare_wit) */
  if (!rc) rc = wk_ctypes_build_ex(c->model, WK_CVALIDATE_SHALLOW_CORE | WK_CVALIDATE_CM_MAP | WK_CVALIDATE_CM_FIXED_LISTS, &c->types, err);
  if (!rc) rc = load_modules(c, err);
  if (rc) {
    wk_comp_free(c);
    return rc;
  }
  *out = c;
  return WK_OK;
}

void wk_comp_free(wk_comp *c) {
  if (!c) return;
  for (size_t i = 0; i < c->nmods; i++) wk_module_free(c->mods[i].m);
  free(c->mods);
  wk_ctypes_free(c->types);
  wk_component_free(c->model);
  free(c->bytes);
  free(c);
}

int wk_comp_from_cache(const wk_comp *c) { return c && c->nmods && c->all_cached; }

static wk_module *module_of(const wk_comp *c, const wk_csection *sec) {
  for (size_t i = 0; i < c->nmods; i++)
    if (c->mods[i].sec == sec) return c->mods[i].m;
  return NULL;
}

/* ------------------------------------------------------------------ */
/* linker */

typedef struct hdef {
  char *iface, *name;
  int is_res;
  wk_comp_host_fn fn;
  void *env;
  wk_cabi_rtype *rt;
  size_t h; /* def_hash(iface, name, is_res): the index is rebuilt from it as it grows */
} hdef;

static int nomem(wk_error *err);

/* A WIT world declaring the types of host definitions (wk_comp_linker_declare_wit). */
typedef struct hdecl {
  uint8_t *bytes; /* the world's component-type binary; the decoded model and graph borrow from it */
  size_t len;
  const wk_comp_type_hash *hashes; /* NULL, or the fingerprints of its functions (sorted by name) */
  size_t nhashes;
  int borrowed;   /* bytes belong to the caller (wk_comp_linker_declare_types_static) */
  wk_component *model; /* NULL until decoded (at declaration without hashes, else on first need) */
  wk_ctypes *g;
  uint32_t world; /* WK_CT_COMP node of the world: its imports are what the host provides */
} hdecl;

typedef struct iinfo {
  wk_comp_define_fn lazy; /* not yet called (NULL: none, or called) */
  wk_comp_define_one_fn one; /* wk_comp_linker_define_lazy_funcs: one function of `lazy`'s set */
  void *env;
} iinfo;

/* a block of linker names (lstr) */
typedef struct nblock {
  struct nblock *next;
  size_t used, cap;
  char data[];
} nblock;

struct wk_comp_linker {
  wk_engine *e;
  hdef *d;
  size_t n, cap;
  /* Definition names, interfaces and resource type names live in `names` (freed at once), and
   * each distinct interface is stored once (ifaces): a WASI set-up defines ~140 functions over
   * ~40 interfaces, and a malloc, a free and a byte-wise hash of the interface per definition
   * were a third of wk_wasi_p2_define (callgrind) */
  struct nblock *names;
  const char **ifaces;
  uint64_t *ifaceh; /* def_hash_iface of each */
  struct iinfo *iinfo; /* of each: a pending wk_comp_linker_define_lazy */
  size_t nifaces, capifaces;
  uint32_t *ifx; /* open-addressing index of ifaces by ifaceh: entries are i + 1, 0 = empty; 2 * capifaces slots */
  size_t last_ix1; /* 1 + the index in ifaces of the interface the last definition named; 0: none */
  size_t last_def1; /* 1 + the index in d of the last definition add_def found or added; 0: none */
  hdecl *decl;
  size_t ndecl;
  uint32_t *hx;  /* open-addressing index of d by (iface, name, is_res): entries are i + 1, 0 = empty */
  size_t hcap;   /* power of two, > 2 * n; 0 until the first definition */
  int trap_unknown;
};

wk_comp_linker *wk_comp_linker_new(wk_engine *e) {
  wk_comp_linker *l = calloc(1, sizeof *l);
  if (l) l->e = e;
  return l;
}

void wk_comp_linker_free(wk_comp_linker *l) {
  if (!l) return;
  free(l->d); /* (resource types are in the name blocks) */
  free(l->ifaces);
  free(l->ifaceh);
  free(l->ifx);
  free(l->iinfo);
  for (struct nblock *b = l->names, *nx; b; b = nx) {
    nx = b->next;
    free(b);
  }
  free(l->hx);
  for (size_t i = 0; i < l->ndecl; i++) {
    wk_ctypes_free(l->decl[i].g);
    wk_component_free(l->decl[i].model);
    if (!l->decl[i].borrowed) free(l->decl[i].bytes);
  }
  free(l->decl);
  free(l);
}

/* Decode d->bytes and find the world (idempotent). */
static int decl_decode(hdecl *d, wk_error *err) {
  if (d->g) return WK_OK;
  int rc = wk_component_decode(d->bytes, d->len, &d->model, err);
  if (!rc) rc = wk_ctypes_build(d->model, &d->g, err);
  if (!rc) {
    /* wit_encode_world_metadata and a package binary (witencode.h) both hold a
     * world as a type export
     *   (component (type (component <world>)) (export "ns:pkg/w" (component 0)))
     * the world is that wrapper's component export (the first such) */
    const wk_ctnode *root = &d->g->t[d->g->root];
    d->world = UINT32_MAX;
    for (uint32_t i = 0; i < root->nex && d->world == UINT32_MAX; i++) {
      uint32_t id = wk_ctypes_peel_all(d->g, root->ex[i].id);
      if (root->ex[i].kind != WK_CSORT_TYPE || id >= d->g->nt || d->g->t[id].kind != WK_CT_COMP) continue;
      const wk_ctnode *wrap = &d->g->t[id];
      for (uint32_t j = 0; j < wrap->nex && d->world == UINT32_MAX; j++)
        if (wrap->ex[j].kind == WK_CSORT_COMPONENT && wrap->ex[j].id < d->g->nt && d->g->t[wrap->ex[j].id].kind == WK_CT_COMP)
          d->world = wrap->ex[j].id;
    }
    if (d->world == UINT32_MAX) rc = wk_error_set(err, WK_ERR_INVALID, "declared host types: no world in the binary");
  }
  if (rc) {
    wk_ctypes_free(d->g);
    wk_component_free(d->model);
    d->g = NULL;
    d->model = NULL;
  }
  return rc;
}

/* Add declaration `d` (its bytes owned; freed on failure). */
static int declare_add(wk_comp_linker *l, hdecl d, wk_error *err) {
  int rc = d.hashes ? WK_OK : decl_decode(&d, err);
  if (!rc) {
    hdecl *nd = realloc(l->decl, (l->ndecl + 1) * sizeof *nd);
    if (!nd) rc = nomem(err);
    else {
      l->decl = nd;
      l->decl[l->ndecl++] = d;
      return WK_OK;
    }
  }
  wk_ctypes_free(d.g);
  wk_component_free(d.model);
  if (!d.borrowed) free(d.bytes);
  return rc;
}

int wk_comp_linker_declare_types(wk_comp_linker *l, const uint8_t *bytes, size_t len, const wk_comp_type_hash *hashes,
                                 size_t nhashes, wk_error *err) {
  if (!l || !bytes) return wk_error_set(err, WK_ERR_USAGE, "declare_types: missing argument");
  hdecl d;
  memset(&d, 0, sizeof d);
  d.bytes = malloc(len ? len : 1);
  if (!d.bytes) return nomem(err);
  memcpy(d.bytes, bytes, len);
  d.len = len;
  d.hashes = nhashes ? hashes : NULL;
  d.nhashes = nhashes;
  return declare_add(l, d, err);
}

int wk_comp_linker_declare_types_static(wk_comp_linker *l, const uint8_t *bytes, size_t len,
                                        const wk_comp_type_hash *hashes, size_t nhashes, wk_error *err) {
  if (!l || !bytes) return wk_error_set(err, WK_ERR_USAGE, "declare_types: missing argument");
  hdecl d;
  memset(&d, 0, sizeof d);
  d.bytes = (uint8_t *)bytes;
  d.borrowed = 1;
  d.len = len;
  d.hashes = nhashes ? hashes : NULL;
  d.nhashes = nhashes;
  return declare_add(l, d, err);
}

static int hash_cmp(const void *a, const void *b) {
  return strcmp(((const wk_comp_type_hash *)a)->name, ((const wk_comp_type_hash *)b)->name);
}

int wk_comp_types_hashes(const uint8_t *bytes, size_t len, wk_comp_type_hash **out, size_t *nout, wk_error *err) {
  *out = NULL;
  *nout = 0;
  hdecl d;
  memset(&d, 0, sizeof d);
  d.bytes = (uint8_t *)bytes;
  d.len = len;
  int rc = decl_decode(&d, err);
  if (rc) return rc;
  const wk_ctnode *w = &d.g->t[d.world];
  size_t n = 0, cap = 0;
  wk_comp_type_hash *v = NULL;
  for (uint32_t i = 0; i < w->nim && !rc; i++) {
    const wk_ctent *im = &w->im[i];
    const wk_ctent *ex = im, *scope = w->im;
    uint32_t nex = 1, nscope = w->nim;
    if (im->kind == WK_CSORT_INSTANCE) {
      if (im->id >= d.g->nt || d.g->t[im->id].kind != WK_CT_INST) continue;
      const wk_ctnode *in = &d.g->t[im->id];
      ex = in->ex;
      nex = in->nex;
      scope = in->ex;
      nscope = in->nex;
    } else if (im->kind != WK_CSORT_FUNC) continue;
    for (uint32_t j = 0; j < nex && !rc; j++) {
      if (ex[j].kind != WK_CSORT_FUNC) continue;
      if (n == cap) {
        cap = cap ? 2 * cap : 64;
        wk_comp_type_hash *nv = realloc(v, cap * sizeof *nv);
        if (!nv) {
          rc = nomem(err);
          break;
        }
        v = nv;
      }
      size_t kl = (im->kind == WK_CSORT_INSTANCE ? im->name.len : 0) + 1 + ex[j].name.len + 1;
      char *key = malloc(kl);
      if (!key) {
        rc = nomem(err);
        break;
      }
      snprintf(key, kl, "%.*s#%.*s", im->kind == WK_CSORT_INSTANCE ? (int)im->name.len : 0, im->name.s, (int)ex[j].name.len,
               ex[j].name.s);
      v[n].name = key;
      v[n++].hash = wk_ctypes_func_hash(d.g, ex[j].id, scope, nscope);
    }
  }
  wk_ctypes_free(d.g);
  wk_component_free(d.model);
  if (rc) {
    wk_comp_types_hashes_free(v, n);
    return rc;
  }
  if (n) qsort(v, n, sizeof *v, hash_cmp);
  *out = v;
  *nout = n;
  return WK_OK;
}

void wk_comp_types_hashes_free(wk_comp_type_hash *v, size_t n) {
  for (size_t i = 0; i < n; i++) free((char *)v[i].name);
  free(v);
}

int wk_comp_linker_declare_wit(wk_comp_linker *l, const char *name, const char *wit, size_t len, const char *world,
                               wk_error *err) {
  if (!l || !wit) return wk_error_set(err, WK_ERR_USAGE, "declare_wit: missing argument");
  wit_resolve *r = wit_resolve_new();
  if (!r) return nomem(err);
  wit_diag diag;
  memset(&diag, 0, sizeof diag);
  wit_id pkg, w;
  wk_buf b = {0};
  int rc = wit_resolve_push_str(r, name ? name : "host.wit", wit, len, &pkg, &diag);
  if (rc) *err = diag.err;
  else if (!(rc = wit_resolve_select_world(r, pkg, world, &w, err)))
    rc = wit_encode_world_metadata(r, w, WIT_STRING_UTF8, &b, err);
  wit_resolve_free(r);
  if (rc) {
    wk_buf_free(&b);
    return rc;
  }
  hdecl d;
  memset(&d, 0, sizeof d);
  d.bytes = b.data;
  d.len = b.len;
  return declare_add(l, d, err);
}

static int streq0(const char *a, const char *b) {
  if (!a || !b) return !a && !b;
  return !strcmp(a, b);
}

/* A hash of (iface, name, is_res); NULL iface hashes apart from "". Split in two (the interface
 * part, then the rest) so add_def hashes a run of definitions of one interface once, and eight
 * bytes at a time (FNV-1a byte by byte over WASI's long names was a quarter of add_def). */
static uint64_t hash_bytes(uint64_t h, const char *s, size_t n) {
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, s, 8);
    h = (h ^ w) * 0x9e3779b97f4a7c15ull;
    h ^= h >> 32;
    s += 8;
    n -= 8;
  }
  /* the 0..7 tail bytes by two overlapping loads that hold every byte (with n in the top
   * byte, distinct tails stay distinct): a variable-length copy here was half the hashing */
  uint64_t w = wk_tail_word((const uint8_t *)s, n);
  h = (h ^ w ^ ((uint64_t)n << 56)) * 0x9e3779b97f4a7c15ull;
  return h ^ (h >> 29);
}

static uint64_t def_hash_iface(const char *iface) {
  return iface ? hash_bytes(1469598103934665603ull, iface, strlen(iface)) : 0x5bd1e995ull;
}

static size_t def_hash_rest(uint64_t h, const char *name, int is_res) {
  return (size_t)hash_bytes(h + (uint64_t)(is_res + 2), name, strlen(name));
}

static size_t def_hash(const char *iface, const char *name, int is_res) {
  return def_hash_rest(def_hash_iface(iface), name, is_res);
}

/* A copy of s[0..n) and a NUL in the linker's name blocks (freed with it). Small blocks of its
 * own, not a wk_arena: freeing one 64 KB arena block made glibc consolidate its heap, 17K
 * instructions at every exit (callgrind). */

static char *lalloc(wk_comp_linker *l, size_t n) {
  nblock *b = l->names;
  if (!b || b->cap - b->used < n) {
    size_t cap = n > 4000 ? n : 4000;
    nblock *nb = malloc(sizeof *nb + cap);
    if (!nb) return NULL;
    nb->next = b;
    nb->used = 0;
    nb->cap = cap;
    l->names = b = nb;
  }
  char *p = b->data + b->used;
  b->used += n;
  return p;
}

/* lalloc of n bytes at an address aligned for any object (a host resource type): a calloc and a
 * free each were a fifth of defining WASI's resources */
static void *lalloc_aligned(wk_comp_linker *l, size_t n) {
  const size_t al = _Alignof(max_align_t);
  nblock *b = l->names;
  if (b) {
    uintptr_t at = (uintptr_t)(b->data + b->used), pad = (al - at % al) % al;
    if (b->cap - b->used >= pad + n) {
      b->used += pad;
      return lalloc(l, n);
    }
  }
  /* a new block: its data starts aligned (malloc) when the header is a multiple of al */
  char *p = lalloc(l, n + al);
  if (!p) return NULL;
  uintptr_t pad = (al - (uintptr_t)p % al) % al;
  return p + pad;
}

static char *lstr(wk_comp_linker *l, const char *s, size_t n) {
  char *p = lalloc(l, n + 1);
  if (p) {
    memcpy(p, s, n);
    p[n] = 0;
  }
  return p;
}

/* The index in l->ifaces of `iface` (hash ih, def_hash_iface), or -1. Hashed: a scan of every
 * interface for each definition and import was a tenth of the WASI set-up (callgrind). */
static long iface_find(const wk_comp_linker *l, const char *iface, uint64_t ih) {
  if (!l->nifaces) return -1;
  size_t mask = 2 * l->capifaces - 1;
  for (size_t j = (size_t)ih & mask;; j = (j + 1) & mask) {
    uint32_t x = l->ifx[j];
    if (!x) return -1;
    if (l->ifaceh[x - 1] == ih && !strcmp(l->ifaces[x - 1], iface)) return (long)(x - 1);
  }
}

static void ifx_put(wk_comp_linker *l, size_t i) {
  size_t mask = 2 * l->capifaces - 1, j = (size_t)l->ifaceh[i] & mask;
  while (l->ifx[j]) j = (j + 1) & mask;
  l->ifx[j] = (uint32_t)(i + 1);
}

/* The index of the interned copy of `iface` (hash ih) in l->ifaces, added if new; -1 if out of
 * memory. */
static long intern_iface(wk_comp_linker *l, const char *iface, uint64_t ih) {
  long f = iface_find(l, iface, ih);
  if (f >= 0) return f;
  if (l->nifaces == l->capifaces) {
    size_t nc = l->capifaces ? l->capifaces * 2 : 64;
    if (nc > UINT32_MAX / 4) return -1;
    const char **ni = wk_reallocarray(l->ifaces, nc, sizeof *ni);
    if (ni) l->ifaces = ni;
    uint64_t *nh = wk_reallocarray(l->ifaceh, nc, sizeof *nh);
    if (nh) l->ifaceh = nh;
    iinfo *nf = wk_reallocarray(l->iinfo, nc, sizeof *nf);
    if (nf) l->iinfo = nf;
    uint32_t *nx = calloc(2 * nc, sizeof *nx); /* (a power of two: 64 doubled) */
    if (!ni || !nh || !nf || !nx) {
      free(nx);
      return -1;
    }
    free(l->ifx);
    l->ifx = nx;
    l->capifaces = nc;
    for (size_t i = 0; i < l->nifaces; i++) ifx_put(l, i);
  }
  char *c = lstr(l, iface, strlen(iface));
  if (!c) return -1;
  l->ifaceh[l->nifaces] = ih;
  memset(&l->iinfo[l->nifaces], 0, sizeof l->iinfo[0]);
  l->ifaces[l->nifaces++] = c;
  ifx_put(l, l->nifaces - 1);
  return (long)(l->nifaces - 1);
}

/* Run interface ix's pending wk_comp_linker_define_lazy, if any (once). */
static int materialize(wk_comp_linker *l, size_t ix, wk_error *err) {
  wk_comp_define_fn fn = l->iinfo[ix].lazy;
  if (!fn) return WK_OK;
  l->iinfo[ix].lazy = NULL;
  return fn(l, l->ifaces[ix], l->iinfo[ix].env, err);
}

static int define_lazy(wk_comp_linker *l, const char *iface, wk_comp_define_fn define, wk_comp_define_one_fn one,
                       void *env, wk_error *err) {
  if (!l || !iface || !define) return wk_error_set(err, WK_ERR_USAGE, "define_lazy: missing argument");
  long ix = intern_iface(l, iface, def_hash_iface(iface));
  if (ix < 0) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  /* Deferring is as if `define` ran now: an earlier pending one runs first (here), any later
   * definition of the interface runs it first (add_def), and what it defines over an earlier
   * definition replaces that one whenever it runs. */
  int rc = materialize(l, (size_t)ix, err);
  if (rc) return rc;
  l->iinfo[ix].lazy = define;
  l->iinfo[ix].one = one;
  l->iinfo[ix].env = env;
  return WK_OK;
}

int wk_comp_linker_define_lazy(wk_comp_linker *l, const char *iface, wk_comp_define_fn define, void *env,
                               wk_error *err) {
  return define_lazy(l, iface, define, NULL, env, err);
}

int wk_comp_linker_define_lazy_funcs(wk_comp_linker *l, const char *iface, wk_comp_define_fn define,
                                     wk_comp_define_one_fn define_one, void *env, wk_error *err) {
  if (!define_one) return wk_error_set(err, WK_ERR_USAGE, "define_lazy_funcs: missing argument");
  return define_lazy(l, iface, define, define_one, env, err);
}

/* Function `name` of interface ix as its pending lazy definition defines it: alone when the
 * interface has a define_one (the rest stays pending: it still runs in full when anything
 * else needs it), else the whole pending set (materialize). */
static int materialize_func(wk_comp_linker *l, size_t ix, const char *name, wk_error *err) {
  iinfo *in = &l->iinfo[ix];
  if (!in->lazy || !in->one) return materialize(l, ix, err);
  wk_comp_define_fn fn = in->lazy;
  in->lazy = NULL; /* (add_def must not run the whole set for define_one's own definition) */
  int rc = in->one(l, l->ifaces[ix], name, in->env, err);
  l->iinfo[ix].lazy = fn; /* (by index: iinfo is not reallocated here, but need not be assumed fixed) */
  return rc;
}

/* The definition of exactly (iface, name, is_res), or NULL. Hashed: a linker
 * holds a few hundred WASI functions and every definition looks itself up
 * first (a linear scan here was 2.5% of a small component's start-up). */
static hdef *find_exact_h(wk_comp_linker *l, const char *iface, const char *name, int is_res, size_t h) {
  if (!l->hcap) return NULL;
  for (size_t j = h & (l->hcap - 1);; j = (j + 1) & (l->hcap - 1)) {
    uint32_t x = l->hx[j];
    if (!x) return NULL;
    hdef *d = &l->d[x - 1];
    if (d->is_res == is_res && streq0(d->iface, iface) && !strcmp(d->name, name)) return d;
  }
}

static hdef *find_exact(wk_comp_linker *l, const char *iface, const char *name, int is_res) {
  return l->hcap ? find_exact_h(l, iface, name, is_res, def_hash(iface, name, is_res)) : NULL;
}

static void hx_put(wk_comp_linker *l, size_t i) {
  size_t j = l->d[i].h & (l->hcap - 1);
  while (l->hx[j]) j = (j + 1) & (l->hcap - 1);
  l->hx[j] = (uint32_t)(i + 1);
}

static hdef *add_def(wk_comp_linker *l, const char *iface, const char *name, int is_res, wk_error *err) {
  uint64_t ih;
  size_t ix = 0;
  /* (a lazy definition passes the interned name back: the same pointer, no strcmp needed) */
  if (iface && l->last_ix1 && (l->ifaces[l->last_ix1 - 1] == iface || !strcmp(l->ifaces[l->last_ix1 - 1], iface)))
    ix = l->last_ix1 - 1, ih = l->ifaceh[ix];
  else {
    ih = def_hash_iface(iface);
    if (iface) {
      long in = intern_iface(l, iface, ih);
      if (in < 0) {
        wk_error_set(err, WK_ERR_NOMEM, "out of memory");
        return NULL;
      }
      ix = (size_t)in;
      l->last_ix1 = ix + 1;
    }
  }
  if (iface) {
    iface = l->ifaces[ix];
    /* a pending lazy definition of the interface comes first (it would have run before this) */
    if (l->iinfo[ix].lazy && materialize(l, ix, err)) return NULL;
  }
  size_t h = def_hash_rest(ih, name, is_res);
  hdef *d = find_exact_h(l, iface, name, is_res, h);
  if (d) {
    l->last_def1 = (size_t)(d - l->d) + 1;
    return d;
  }
  if (l->n >= UINT32_MAX - 1) {
    wk_error_set(err, WK_ERR_NOMEM, "too many host definitions");
    return NULL;
  }
  if (2 * (l->n + 1) >= l->hcap) { /* keep the index under half full */
    size_t nc = l->hcap ? l->hcap * 2 : 128; /* (WASI 0.2 defines what a component imports: ~30 for a hello) */
    uint32_t *nh = calloc(nc, sizeof *nh);
    if (!nh) {
      wk_error_set(err, WK_ERR_NOMEM, "out of memory");
      return NULL;
    }
    free(l->hx);
    l->hx = nh;
    l->hcap = nc;
    for (size_t i = 0; i < l->n; i++) hx_put(l, i);
  }
  if (l->n == l->cap) {
    size_t nc = l->cap ? l->cap * 2 : 192;
    hdef *nd = wk_reallocarray(l->d, nc, sizeof *nd);
    if (!nd) {
      wk_error_set(err, WK_ERR_NOMEM, "out of memory");
      return NULL;
    }
    l->d = nd;
    l->cap = nc;
  }
  d = &l->d[l->n];
  memset(d, 0, sizeof *d);
  char *buf = lstr(l, name, strlen(name));
  if (!buf) {
    wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    return NULL;
  }
  d->name = buf;
  d->iface = (char *)iface; /* interned (l->names) */
  d->is_res = is_res;
  d->h = h;
  hx_put(l, l->n);
  l->n++;
  l->last_def1 = l->n;
  return d;
}

int wk_comp_linker_define_func(wk_comp_linker *l, const char *iface, const char *name, wk_comp_host_fn fn,
                               void *env, wk_error *err) {
  if (!l || !name || !fn) return wk_error_set(err, WK_ERR_USAGE, "define_func: missing argument");
  hdef *d = add_def(l, iface, name, 0, err);
  if (!d) return err->code;
  d->fn = fn;
  d->env = env;
  return WK_OK;
}

int wk_comp_linker_define_resource(wk_comp_linker *l, const char *iface, const char *name,
                                   int (*dtor)(void *env, uint32_t rep, wk_error *err), void *env,
                                   const wk_cabi_rtype **out, wk_error *err) {
  if (out) *out = NULL;
  if (!l || !name) return wk_error_set(err, WK_ERR_USAGE, "define_resource: missing argument");
  hdef *d = add_def(l, iface, name, 1, err);
  if (!d) return err->code;
  if (!d->rt) {
    d->rt = (wk_cabi_rtype *)lalloc_aligned(l, sizeof *d->rt); /* (freed with the blocks) */
    if (d->rt) memset(d->rt, 0, sizeof *d->rt);
    size_t il = iface ? strlen(iface) : 0, nl = strlen(name);
    char *nm = lalloc(l, il + nl + 2);
    if (!d->rt || !nm) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    /* iface "." name (or name), without sprintf */
    if (iface) memcpy(nm, iface, il), nm[il++] = '.';
    memcpy(nm + il, name, nl + 1);
    d->rt->name = nm;
  }
  d->rt->dtor = dtor;
  d->rt->dtor_env = env;
  if (out) *out = d->rt;
  return WK_OK;
}

void wk_comp_linker_trap_unknown_imports(wk_comp_linker *l, int on) {
  if (l) l->trap_unknown = on;
}

/* The index in l->ifaces of the defined interface name that satisfies an import of `want`, or -1. */
static long match_iface_ix(wk_comp_linker *l, const char *want) {
  /* exact: by the interned names' hashes first (a strcmp with each of WASI's ~40 interfaces,
   * for every import and every function it binds, was most of this lookup) */
  long ex = iface_find(l, want, def_hash_iface(want));
  if (ex >= 0) return ex;
  const char *at = strchr(want, '@');
  if (!at) return -1;
  /* wasmtime's Linker (NameMap): a definition on the import's semver track (Explainer.md
   * "🔗 Canonical Interface Name"; encode/semver.h has the rule), the highest version wins */
  size_t base = (size_t)(at - want), wvl = strlen(at + 1), bvl = 0;
  long best = -1;
  const char *bv = NULL;
  for (size_t i = 0; i < l->nifaces; i++) {
    const char *d = l->ifaces[i];
    if (strncmp(d, want, base + 1)) continue;
    const char *dv = d + base + 1;
    size_t dvl = strlen(dv);
    if (!wk_semver_compatible(at + 1, wvl, dv, dvl, 0)) continue;
    if (best < 0 || wk_semver_cmp(dv, dvl, bv, bvl) > 0) {
      best = (long)i;
      bv = dv;
      bvl = dvl;
    }
  }
  return best;
}

/* match_iface_ix's interface (interned), or NULL */
static const char *match_iface(wk_comp_linker *l, const char *want) {
  long i = match_iface_ix(l, want);
  return i < 0 ? NULL : l->ifaces[i];
}

static size_t edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 200 || lb > 200) return (size_t)-1;
  size_t row[201];
  for (size_t j = 0; j <= lb; j++) row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t prev = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t cur = row[j];
      size_t best = prev + (a[i - 1] != b[j - 1]);
      if (row[j] + 1 < best) best = row[j] + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      prev = cur;
    }
  }
  return row[lb];
}

/* only a plausible typo or version slip is worth suggesting */
static int plausible(size_t d, const char *want) { return d <= (strlen(want) / 3 > 3 ? strlen(want) / 3 : 3); }

/* Closest defined interface name (iface_level; compared without versions, so a missing,
 * pre-release or unknown version still finds its interface) or name inside `iface`. */
static const char *closest(wk_comp_linker *l, const char *want, int iface_level, const char *iface) {
  const char *best = NULL;
  size_t bd = (size_t)-1;
  char wb[256], cb[256];
  if (iface_level) want = (snprintf(wb, sizeof wb, "%.*s", (int)strcspn(want, "@"), want), wb);
  /* (interfaces: the distinct ones, in definition order, lazily defined ones included) */
  size_t n = iface_level ? l->nifaces : l->n;
  for (size_t i = 0; i < n; i++) {
    const char *cand;
    if (iface_level) {
      cand = l->ifaces[i];
      snprintf(cb, sizeof cb, "%.*s", (int)strcspn(cand, "@"), cand);
    } else {
      if (!streq0(l->d[i].iface, iface)) continue;
      cand = l->d[i].name;
    }
    size_t d = edit_distance(want, iface_level ? cb : cand);
    if (d < bd) {
      bd = d;
      best = cand;
    }
  }
  return plausible(bd, want) ? best : NULL;
}

static int iface_undefined(wk_comp_linker *l, const char *iface, wk_error *err) {
  const char *cl = closest(l, iface, 1, NULL);
  return wk_error_set(err, WK_ERR_LINK, "import `%s` is not defined%s%s%s", iface, cl ? "; closest: `" : "",
                      cl ? cl : "", cl ? "`" : "");
}

/* ------------------------------------------------------------------ */
/* allocation helpers */

static void *aalloc(scope *sc, size_t n) { return wk_arena_alloc(&sc->top->arena, n ? n : 1); }

static char *astr(scope *sc, wk_cstr s) { return wk_arena_strndup(&sc->top->arena, s.s ? s.s : "", s.len); }

static int nomem(wk_error *err) { return wk_error_set(err, WK_ERR_NOMEM, "out of memory"); }

/* Index spaces grow in the instance's arena (freed with it): a malloc, realloc and free per
 * space of every scope were ~3% of a WASI hello's instantiation. */
static int vpush(scope *sc, vec *v, item it) {
  if (v->n == v->cap) {
    uint32_t nc = v->cap ? v->cap * 2 : 8;
    if (nc > UINT32_MAX / 2 / sizeof(item)) return -1;
    item *nv = wk_arena_alloc(&sc->top->arena, (size_t)nc * sizeof *nv);
    if (!nv) return -1;
    if (v->n) memcpy(nv, v->v, (size_t)v->n * sizeof *nv);
    v->v = nv;
    v->cap = nc;
  }
  v->v[v->n++] = it;
  return 0;
}

static vec *space(scope *sc, wk_csort s) {
  if (s.sort == WK_CSORT_CORE) {
    switch (s.core_sort) {
    case WK_CCSORT_FUNC: return &sc->cfuncs;
    case WK_CCSORT_TABLE: return &sc->ctables;
    case WK_CCSORT_MEMORY: return &sc->cmems;
    case WK_CCSORT_GLOBAL: return &sc->cglobals;
    case WK_CCSORT_TAG: return &sc->ctags;
    case WK_CCSORT_TYPE: return &sc->ctypes;
    case WK_CCSORT_MODULE: return &sc->cmods;
    case WK_CCSORT_INSTANCE: return &sc->cinsts;
    default: return NULL;
    }
  }
  switch (s.sort) {
  case WK_CSORT_FUNC: return &sc->funcs;
  case WK_CSORT_VALUE: return &sc->values;
  case WK_CSORT_TYPE: return &sc->types;
  case WK_CSORT_COMPONENT: return &sc->comps;
  case WK_CSORT_INSTANCE: return &sc->insts;
  default: return NULL;
  }
}

static int get_item(scope *sc, wk_csort s, uint32_t idx, item *out, wk_error *err) {
  vec *v = space(sc, s);
  if (!v || idx >= v->n) return wk_error_set(err, WK_ERR_INVALID, "%s index %u out of range", wk_csort_name(s), idx);
  *out = v->v[idx];
  return WK_OK;
}

static int push_item_slow(scope *sc, item it, wk_error *err) {
  wk_csort s = {it.sort, it.core_sort};
  vec *v = space(sc, s);
  if (!v) return wk_error_set(err, WK_ERR_UNSUPPORTED, "unsupported sort %s", wk_csort_name(s));
  if (vpush(sc, v, it)) return nomem(err);
  return WK_OK;
}

/* (inline when the space has room: a call per item was 5% of instantiating a WASI hello) */
static inline __attribute__((always_inline)) int push_item(scope *sc, item it, wk_error *err) {
  vec *v = space(sc, (wk_csort){it.sort, it.core_sort});
  if (v && v->n < v->cap) {
    v->v[v->n++] = it;
    return WK_OK;
  }
  return push_item_slow(sc, it, err);
}

/* Bound on scopes (component instances and type-declaration scopes) per
 * top-level instantiation: nested components may instantiate each other
 * repeatedly, so hostile input could otherwise ask for 2^depth instances. */
#define MAX_SCOPES 20000
#define MAX_CORE_INSTANCES 10000

static scope *new_scope(wk_comp_inst *top, scope *parent, scope *rt_parent, int is_decl) {
  if (top->nscopes >= MAX_SCOPES) return NULL;
  top->nscopes++;
  scope *sc = calloc(1, sizeof *sc);
  if (!sc) return NULL;
  sc->top = top;
  sc->parent = parent;
  sc->rt_parent = rt_parent;
  sc->is_decl = is_decl;
  wk_cabi_instance_init(&sc->cabi);
  sc->next_all = top->all;
  top->all = sc;
  return sc;
}

static void free_scope(scope *sc) {
  /* (the index spaces and exports are in the instance's arena) */
  wk_cabi_instance_free(&sc->cabi);
  free(sc);
}

static int add_export(scope *sc, const char *name, size_t len, item it, wk_error *err) {
  if (sc->nex == sc->capex) {
    uint32_t nc = sc->capex ? sc->capex * 2 : 8;
    named_item *ne = nc < UINT32_MAX / 2 / sizeof *ne ? aalloc(sc, (size_t)nc * sizeof *ne) : NULL; /* (as vpush) */
    if (!ne) return nomem(err);
    if (sc->nex) memcpy(ne, sc->ex, (size_t)sc->nex * sizeof *ne);
    sc->ex = ne;
    sc->capex = nc;
  }
  sc->ex[sc->nex].name = name;
  sc->ex[sc->nex].len = (uint32_t)len;
  sc->ex[sc->nex].it = it;
  sc->nex++;
  return WK_OK;
}

static rt_inst *scope_exports(scope *sc) {
  rt_inst *ri = aalloc(sc, sizeof *ri);
  if (!ri) return NULL;
  ri->n = sc->nex;
  ri->ex = aalloc(sc, sizeof *ri->ex * (sc->nex ? sc->nex : 1));
  if (!ri->ex) return NULL;
  if (sc->nex) memcpy(ri->ex, sc->ex, sizeof *ri->ex * sc->nex);
  return ri;
}

/* The item of ex[0..n) named name[0..len), or NULL. For a list whose names are unique (validated:
 * inline exports, instance exports, instantiation arguments) the search starts at *hint, where the
 * previous lookup's match ended: a core instantiation imports a shim's exports mostly in their
 * order, so each lookup is ~1 step instead of a scan (the scans were 2% of a WASI hello's
 * instantiation). */
static const named_item *find_named_from(const named_item *ex, uint32_t n, const char *name, size_t len,
                                         uint32_t *hint) {
  uint32_t h = *hint < n ? *hint : 0;
  for (uint32_t k = 0; k < n; k++) {
    uint32_t i = h + k < n ? h + k : h + k - n;
    /* (the kept lengths first: a strlen of every candidate was 1% of start-up) */
    if (ex[i].len == len && (!len || (ex[i].name[0] == name[0] && !memcmp(ex[i].name, name, len)))) {
      *hint = i + 1;
      return &ex[i];
    }
  }
  return NULL;
}

/* The first item of ex[0..n) named name[0..len), or NULL (find_named_from from the start). */
static const named_item *find_named(const named_item *ex, uint32_t n, const char *name, size_t len) {
  uint32_t h = 0;
  return find_named_from(ex, n, name, len, &h);
}

/* ------------------------------------------------------------------ */
/* types (Explainer.md "Type Definitions") */

static const wk_cabi_type prim_types[WK_CABI_ERROR_CONTEXT + 1] = {
    [WK_CABI_BOOL] = {WK_CABI_BOOL, 0, 0, NULL, NULL},     [WK_CABI_S8] = {WK_CABI_S8, 0, 0, NULL, NULL},
    [WK_CABI_U8] = {WK_CABI_U8, 0, 0, NULL, NULL},         [WK_CABI_S16] = {WK_CABI_S16, 0, 0, NULL, NULL},
    [WK_CABI_U16] = {WK_CABI_U16, 0, 0, NULL, NULL},       [WK_CABI_S32] = {WK_CABI_S32, 0, 0, NULL, NULL},
    [WK_CABI_U32] = {WK_CABI_U32, 0, 0, NULL, NULL},       [WK_CABI_S64] = {WK_CABI_S64, 0, 0, NULL, NULL},
    [WK_CABI_U64] = {WK_CABI_U64, 0, 0, NULL, NULL},       [WK_CABI_F32] = {WK_CABI_F32, 0, 0, NULL, NULL},
    [WK_CABI_F64] = {WK_CABI_F64, 0, 0, NULL, NULL},       [WK_CABI_CHAR] = {WK_CABI_CHAR, 0, 0, NULL, NULL},
    [WK_CABI_STRING] = {WK_CABI_STRING, 0, 0, NULL, NULL},
    [WK_CABI_ERROR_CONTEXT] = {WK_CABI_ERROR_CONTEXT, 0, 0, NULL, NULL},
};

/* Binary.md primvaltype code → kind; -1 if not primitive. */
static int prim_kind(uint8_t code) {
  switch (code) {
  case WK_CTC_BOOL: return WK_CABI_BOOL;
  case WK_CTC_S8: return WK_CABI_S8;
  case WK_CTC_U8: return WK_CABI_U8;
  case WK_CTC_S16: return WK_CABI_S16;
  case WK_CTC_U16: return WK_CABI_U16;
  case WK_CTC_S32: return WK_CABI_S32;
  case WK_CTC_U32: return WK_CABI_U32;
  case WK_CTC_S64: return WK_CABI_S64;
  case WK_CTC_U64: return WK_CABI_U64;
  case WK_CTC_F32: return WK_CABI_F32;
  case WK_CTC_F64: return WK_CABI_F64;
  case WK_CTC_CHAR: return WK_CABI_CHAR;
  case WK_CTC_STRING: return WK_CABI_STRING;
  case WK_CTC_ERROR_CONTEXT: return WK_CABI_ERROR_CONTEXT;
  default: return -1;
  }
}

static int resolve_vt(scope *sc, wk_cvaltype vt, const wk_cabi_type **t, const wk_cabi_names **nm, wk_error *err) {
  if (vt.prim) {
    int k = prim_kind(vt.prim);
    if (k < 0) return wk_error_set(err, WK_ERR_INVALID, "unknown primitive value type 0x%02x", vt.prim);
    *t = &prim_types[k];
    if (nm) *nm = NULL;
    return WK_OK;
  }
  if (vt.idx >= sc->types.n || sc->types.v[vt.idx].u.type->kind != T_VAL)
    return wk_error_set(err, WK_ERR_INVALID, "type %u is not a value type", vt.idx);
  *t = sc->types.v[vt.idx].u.type->vt;
  if (nm) *nm = sc->types.v[vt.idx].u.type->names;
  return WK_OK;
}

static int guest_dtor(void *env, uint32_t rep, wk_error *err);

typedef struct dtor_env {
  wk_comp_inst *top;
  wk_func *f;
  scope *impl;
} dtor_env;

/* Bytes of the NUL-terminated copies of fields[0..n)'s names (label_copy). */
static size_t label_bytes(const wk_cfield *f, uint32_t n) {
  size_t b = 0;
  for (uint32_t i = 0; i < n; i++) b += f[i].name.len + 1;
  return b;
}

/* Copy fields[0..n)'s names, NUL-terminated, one after another into buf (label_bytes of them),
 * their starts into lab[0..n) (as astr would one by one). */
static void label_copy(const wk_cfield *f, uint32_t n, char *buf, const char **lab) {
  for (uint32_t i = 0; i < n; i++) {
    size_t l = f[i].name.len;
    if (l) memcpy(buf, f[i].name.s, l);
    buf[l] = 0;
    lab[i] = buf;
    buf += l + 1;
  }
}

/* Rounded up to pointer alignment: the pieces of one define_type block (rt_block). */
#define RT_AL(n) (((n) + 7) & ~(size_t)7)

static int define_type(scope *sc, const wk_ctype *ct, rt_type **out, wk_error *err) {
  /* One arena block per type holds the rt_type, its canonical ABI type, names, child and label
   * arrays and the label strings (a block each, and a copy per label, were 300 allocations of a
   * WASI hello's instantiation: callgrind). */
  uint8_t c = ct->code;
  int pk = prim_kind(c);
  rt_type *rt;
  if (pk >= 0 || c == WK_CTC_COMPONENT || c == WK_CTC_INSTANCE || c == WK_CTC_RESOURCE) {
    rt = aalloc(sc, sizeof *rt);
    if (!rt) return nomem(err);
    *out = rt;
    if (pk >= 0) {
      rt->kind = T_VAL;
      rt->vt = &prim_types[pk];
      return WK_OK;
    }
    if (c != WK_CTC_RESOURCE) {
      rt->kind = c == WK_CTC_COMPONENT ? T_COMP : T_INST;
      rt->decl = ct;
      rt->sc = sc;
      return WK_OK;
    }
    rt->kind = T_RES;
    rt->res = aalloc(sc, sizeof *rt->res);
    if (!rt->res) return nomem(err);
    rt->res->impl = &sc->cabi;
    rt->res->name = "resource";
    if (ct->has_dtor) {
      if (ct->dtor >= sc->cfuncs.n) return wk_error_set(err, WK_ERR_INVALID, "dtor index out of range");
      dtor_env *de = aalloc(sc, sizeof *de);
      if (!de) return nomem(err);
      de->top = sc->top;
      de->impl = sc;
      de->f = sc->cfuncs.v[ct->dtor].u.ext.of.func;
      rt->res->dtor = guest_dtor;
      rt->res->dtor_env = de;
    }
    return WK_OK;
  }
  if (c == WK_CTC_FUNC || c == WK_CTC_ASYNC_FUNC) {
    rt = aalloc(sc, sizeof *rt);
    if (!rt) return nomem(err);
    *out = rt;
    if (c == WK_CTC_ASYNC_FUNC) return wk_error_set(err, WK_ERR_UNSUPPORTED, "async function types are not supported");
    rt->kind = T_FUNC;
    wk_comp_functype *ft = &rt->ft;
    uint32_t n = ct->n;
    size_t arr = RT_AL(sizeof(void *) * ((size_t)n + 1)), lb = label_bytes(ct->fields, n);
    char *blk = aalloc(sc, 3 * arr + lb);
    if (!blk) return nomem(err);
    const wk_cabi_type **ps = (const wk_cabi_type **)blk;
    const char **pl = (const char **)(blk + arr);
    const wk_cabi_names **pn = (const wk_cabi_names **)(blk + 2 * arr);
    for (uint32_t i = 0; i < n; i++) {
      int rc = resolve_vt(sc, ct->fields[i].type, &ps[i], &pn[i], err);
      if (rc) return rc;
    }
    label_copy(ct->fields, n, blk + 3 * arr, pl);
    ft->nparams = n;
    ft->params = ps;
    ft->param_labels = pl;
    ft->param_names = pn;
    if (ct->has_a) {
      int rc = resolve_vt(sc, ct->a, &ft->result, &ft->result_names, err);
      if (rc) return rc;
    } else if (ct->nresults == 1 && ct->results[0].has_type) {
      int rc = resolve_vt(sc, ct->results[0].type, &ft->result, &ft->result_names, err);
      if (rc) return rc;
    } else if (ct->nresults > 1) {
      return wk_error_set(err, WK_ERR_UNSUPPORTED, "functions with several named results are not supported");
    }
    return WK_OK;
  }
  /* a defined value type */
  wk_cabi_kind kind = WK_CABI_BOOL;
  uint32_t nch = 0, nlab = 0, length = 0;
  int known = 1;
  switch (c) {
  case WK_CTC_RECORD: kind = WK_CABI_RECORD; nch = nlab = ct->n; break;
  case WK_CTC_VARIANT: kind = WK_CABI_VARIANT; nch = nlab = ct->n; break;
  case WK_CTC_TUPLE: kind = WK_CABI_TUPLE; nch = ct->n; break;
  case WK_CTC_FLAGS: kind = WK_CABI_FLAGS; nlab = ct->n; break;
  case WK_CTC_ENUM: kind = WK_CABI_ENUM; nlab = ct->n; break;
  case WK_CTC_LIST: kind = WK_CABI_LIST; nch = 1; break;
  case WK_CTC_FIXED_LIST: kind = WK_CABI_LIST; nch = 1; length = ct->idx; break;
  case WK_CTC_OPTION: kind = WK_CABI_OPTION; nch = 1; break;
  case WK_CTC_RESULT: kind = WK_CABI_RESULT; nch = 2; break;
  case WK_CTC_MAP: kind = WK_CABI_MAP; nch = 2; break;
  case WK_CTC_STREAM: kind = WK_CABI_STREAM; nch = ct->has_a; break;
  case WK_CTC_FUTURE: kind = WK_CABI_FUTURE; nch = ct->has_a; break;
  case WK_CTC_OWN: kind = WK_CABI_OWN; break;
  case WK_CTC_BORROW: kind = WK_CABI_BORROW; break;
  default: known = 0; break;
  }
  size_t o_t = RT_AL(sizeof *rt), o_nm = o_t + RT_AL(sizeof(wk_cabi_type)), o_ch = o_nm + RT_AL(sizeof(wk_cabi_names));
  size_t o_chn = o_ch + RT_AL(sizeof(void *) * nch), o_lab = o_chn + RT_AL(sizeof(void *) * nch);
  size_t o_str = o_lab + RT_AL(sizeof(void *) * nlab);
  char *blk = aalloc(sc, o_str + (nlab ? label_bytes(ct->fields, nlab) : 0));
  if (!blk) return nomem(err);
  rt = (rt_type *)blk;
  *out = rt;
  rt->kind = T_VAL;
  wk_cabi_type *t = (wk_cabi_type *)(blk + o_t);
  wk_cabi_names *nm = (wk_cabi_names *)(blk + o_nm);
  rt->vt = t;
  rt->names = nm;
  t->kind = kind;
  t->length = length;
  if (c == WK_CTC_OWN || c == WK_CTC_BORROW) {
    if (ct->idx >= sc->types.n || sc->types.v[ct->idx].u.type->kind != T_RES)
      return wk_error_set(err, WK_ERR_INVALID, "own/borrow of type %u: not a resource", ct->idx);
    t->resource = sc->types.v[ct->idx].u.type->res;
    return WK_OK;
  }
  if (!known) return wk_error_set(err, WK_ERR_UNSUPPORTED, "type definition 0x%02x is not supported", c);
  t->n = (c == WK_CTC_RECORD || c == WK_CTC_VARIANT || c == WK_CTC_TUPLE || c == WK_CTC_FLAGS || c == WK_CTC_ENUM) ? ct->n : nch;
  if (nch) {
    const wk_cabi_type **ch = (const wk_cabi_type **)(blk + o_ch);
    const wk_cabi_names **chn = (const wk_cabi_names **)(blk + o_chn);
    for (uint32_t i = 0; i < nch; i++) {
      int has;
      wk_cvaltype vt;
      if (c == WK_CTC_RECORD || c == WK_CTC_VARIANT || c == WK_CTC_TUPLE) {
        has = c == WK_CTC_VARIANT ? ct->fields[i].has_type : 1;
        vt = ct->fields[i].type;
      } else if (i == 0) {
        has = c == WK_CTC_RESULT ? ct->has_a : 1;
        vt = ct->a;
      } else {
        has = c == WK_CTC_RESULT ? ct->has_b : 1;
        vt = ct->b;
      }
      if (c == WK_CTC_TUPLE && !ct->fields) has = 0;
      if (has) {
        int rc = resolve_vt(sc, vt, &ch[i], &chn[i], err);
        if (rc) return rc;
      }
    }
    t->children = ch;
    nm->children = chn;
  }
  if (nlab) {
    const char **lab = (const char **)(blk + o_lab);
    label_copy(ct->fields, nlab, blk + o_str, lab);
    nm->labels = lab;
  }
  return WK_OK;
}

/* ------------------------------------------------------------------ */
/* calls */

typedef struct memenv {
  wk_store *s;
  wk_memory *mem;
  wk_func *realloc;
  wk_cabi_instance *inst;
  wk_trap *trap; /* realloc's trap, kept for its code (fuel, timeout, call depth): cabi_trap */
} memenv;

static uint8_t *mem_cb(void *env, size_t *len) {
  memenv *m = env;
  if (!m->mem) {
    *len = 0;
    return NULL;
  }
  return wk_memory_data(m->mem, len);
}

static int trap_err(wk_trap *t, wk_error *err) {
  int rc = wk_error_set(err, WK_ERR_TRAP, "%s", t ? wk_trap_message(t) : "trap");
  wk_trap_free(t);
  return rc;
}

/* definitions.py LiftLowerContext.reallocate: may_leave is cleared while the guest's realloc runs. */
static int realloc_cb(void *env, uint32_t old_ptr, uint32_t old_size, uint32_t align, uint32_t new_size,
                      uint32_t *ptr, wk_error *err) {
  memenv *m = env;
  if (!m->realloc) return wk_error_set(err, WK_ERR_TRAP, "no realloc function");
  wk_value a[4];
  uint32_t v[4] = {old_ptr, old_size, align, new_size};
  for (int i = 0; i < 4; i++) {
    a[i].type = WK_I32;
    a[i].of.i32 = (int32_t)v[i];
  }
  wk_value r;
  wk_trap *t = NULL;
  int saved = m->inst->may_leave;
  m->inst->may_leave = 0;
  int rc = wk_func_call(m->s, m->realloc, a, 4, &r, 1, &t);
  m->inst->may_leave = saved;
  if (rc && t && !m->trap) { /* (canonabi sees the message; the caller's trap keeps the code) */
    m->trap = t;
    return wk_error_set(err, WK_ERR_TRAP, "%s", wk_trap_message(t));
  }
  if (rc) return trap_err(t, err);
  *ptr = (uint32_t)r.of.i32;
  return WK_OK;
}

static void flat_to_val(const wk_cabi_flat *f, wk_value *v) {
  memset(v, 0, sizeof *v);
  v->type = (uint8_t)f->type;
  switch (f->type) {
  case WK_I32: v->of.i32 = (int32_t)(uint32_t)f->bits; break;
  case WK_I64: v->of.i64 = (int64_t)f->bits; break;
  case WK_F32: v->of.f32 = (uint32_t)f->bits; break;
  case WK_F64: v->of.f64 = f->bits; break;
  default: break;
  }
}

static void val_to_flat(const wk_value *v, wk_cabi_flat *f) {
  f->type = (wk_cabi_core)v->type;
  switch (v->type) {
  case WK_I32: f->bits = (uint32_t)v->of.i32; break;
  case WK_I64: f->bits = (uint64_t)v->of.i64; break;
  case WK_F32: f->bits = v->of.f32; break;
  case WK_F64: f->bits = v->of.f64; break;
  default: f->bits = 0; break;
  }
}

static wk_trap *mktrap(const char *msg) { return wk_trap_new(WK_TRAP_HOST, msg, 0); }
/* A lift/lower failure's trap: realloc's own trap when it trapped (its code kept), else `msg`'s. */
static wk_trap *cabi_trap(memenv *m, const char *msg) {
  wk_trap *t = m->trap;
  m->trap = NULL;
  return t ? t : mktrap(msg);
}

/* The per-call budget for lifted values (component.h WK_COMP_LIFT_BUDGET_*). */
static size_t lift_budget(const memenv *me) {
  size_t len = 0;
  if (me->mem) wk_memory_data(me->mem, &len);
  size_t b = len > SIZE_MAX / WK_COMP_LIFT_BUDGET_FACTOR ? SIZE_MAX : len * WK_COMP_LIFT_BUDGET_FACTOR;
  return b < WK_COMP_LIFT_BUDGET_MIN ? WK_COMP_LIFT_BUDGET_MIN : b;
}

/* The trap text for a failed lift: the budget's reason when the arena hit it. */
static const char *lift_fail_msg(const wk_arena *tmp, const wk_error *err, char *buf, size_t n) {
  if (tmp->over) {
    snprintf(buf, n, "lifted values exceed the per-call host memory budget of %zu bytes", tmp->limit);
    return buf;
  }
  return err->msg[0] ? err->msg : "canonical ABI error";
}

/* definitions.py ComponentInstance.entering_set: self and ancestors minus the caller's. */
static uint32_t entering_set(scope *callee, scope *caller, scope **set, uint32_t cap) {
  uint32_t n = 0;
  for (scope *p = callee; p && n < cap; p = p->rt_parent) {
    int in_caller = 0;
    for (scope *q = caller; q; q = q->rt_parent)
      if (q == p) in_caller = 1;
    if (!in_caller) set[n++] = p;
  }
  return n;
}

/*
 * Cross-component calls recurse on the C stack (lowered import -> lifted
 * export -> core code -> lowered import ...), so chains of instances built
 * by hostile input could overflow it: the nesting is bounded by a count and
 * by the C stack used since the outermost call (at most 4 MiB, and never
 * more than the thread's remaining stack less 512 KiB).
 */
#define MAX_NEST 2000
/* top->sp_budget for the calls nested under the outermost one (from top->sp0) */
static void stack_budget(wk_comp_inst *top) {
  top->sp_budget = 1u << 20;
  pthread_t self = pthread_self();
  if (!top->stack_known || !pthread_equal(top->stack_thread, self)) {
    top->stack_known = 0;
    pthread_attr_t attr;
    if (pthread_getattr_np(self, &attr) == 0) {
      void *lo;
      size_t size;
      if (pthread_attr_getstack(&attr, &lo, &size) == 0) {
        top->stack_lo = (uintptr_t)lo;
        top->stack_thread = self;
        top->stack_known = 1;
      }
      pthread_attr_destroy(&attr);
    }
  }
  if (top->stack_known && top->sp0 > top->stack_lo) {
    uintptr_t avail = top->sp0 - top->stack_lo;
    top->sp_budget = avail > (512u << 10) ? avail - (512u << 10) : 0;
    if (top->sp_budget > (4u << 20)) top->sp_budget = 4u << 20;
  }
}
/* The budget is worked out when calls first nest two levels under the outermost one: the
 * outermost call and a lowered call made from it (a core call into the host, which cannot come
 * back into a component without entering a third level) use a bounded stack, and
 * pthread_getattr_np (reading /proc/self/maps on the main thread) was 0.13M instructions of a
 * hello-world component's start-up, whose WASI calls are such first-level lowered calls. */
static int enter_level(wk_comp_inst *top) {
  char probe;
  uintptr_t sp = (uintptr_t)&probe;
  if (top->depth == 0) {
    top->sp0 = sp;
    top->budget_set = 0;
  } else if (!top->budget_set && top->depth >= 2) {
    stack_budget(top);
    top->budget_set = 1;
  }
  if (top->depth >= MAX_NEST || (top->budget_set && top->sp0 > sp && top->sp0 - sp > top->sp_budget)) return -1;
  top->depth++;
  return 0;
}
static void leave_level(wk_comp_inst *top) { top->depth--; }
/* The nesting bound's trap message: a nested trap keeps its code and message on its way out
 * (trap_to_caller), so wk_comp_trap_is_nesting_bound tells it by these two. */
#define NEST_MSG "call stack exhausted (component calls nested too deeply)"

int wk_comp_trap_is_nesting_bound(const wk_trap *t) {
  return t && wk_trap_code_of(t) == WK_TRAP_STACK_EXHAUSTED && !strcmp(wk_trap_message(t), NEST_MSG);
}

typedef int (*resolve_fn)(void *env, const wk_cval *res, wk_trap **trap);

/*
 * canon lift, called from `caller` (NULL: the host): Store.lift's may_enter
 * check, lower the arguments into the callee (realloc'd memory for spilled
 * ones), run the core function, lift its result, end the call's borrow scope
 * (Task.return_: "borrow handles still remain at the end of the call"), hand
 * the result to `on_resolve`, then post-return with may_leave cleared. A trap
 * leaves the entered instances locked down.
 */
static int call_lifted1(wk_comp_inst *top, rt_func *f, scope *caller, const wk_cval *args, resolve_fn on_resolve,
                        void *renv, wk_trap **trap);
static int call_lifted(wk_comp_inst *top, rt_func *f, scope *caller, const wk_cval *args, resolve_fn on_resolve,
                       void *renv, wk_trap **trap) {
  if (enter_level(top)) {
    *trap = wk_trap_new(WK_TRAP_STACK_EXHAUSTED, NEST_MSG, 0);
    return WK_ERR_TRAP;
  }
  int rc = call_lifted1(top, f, caller, args, on_resolve, renv, trap);
  leave_level(top);
  return rc;
}

static int call_lifted1(wk_comp_inst *top, rt_func *f, scope *caller, const wk_cval *args, resolve_fn on_resolve,
                        void *renv, wk_trap **trap) {
  *trap = NULL;
  scope *sc = f->sc;
  scope *set[64];
  uint32_t nset = entering_set(sc, caller, set, 64);
  for (uint32_t i = 0; i < nset; i++)
    if (!set[i]->cabi.may_enter) {
      *trap = mktrap("cannot enter component instance");
      return WK_ERR_TRAP;
    }
  for (uint32_t i = 0; i < nset; i++) set[i]->cabi.may_enter = 0;
  const wk_comp_functype *ft = f->ft;
  wk_cabi_call task;
  memset(&task, 0, sizeof task);
  task.inst = &sc->cabi;
  memenv me = {top->s, f->mem, f->realloc, &sc->cabi, NULL};
  wk_cabi_cx cx = {f->opts, mem_cb, realloc_cb, &me, &sc->cabi, &task};
  wk_cabi_flat flat[WK_CABI_SIG_MAX];
  uint32_t nflat = 0;
  wk_error err;
  wk_error_clear(&err);
  wk_arena tmp = {0};
  tmp.limit = lift_budget(&me);
  char lmsg[128];
  wk_value cargs[WK_CABI_SIG_MAX], cres[WK_CABI_SIG_MAX];
  wk_core_functype cft = wk_func_type(f->core);
  int rc = wk_cabi_lower_values(&cx, ft->params, ft->nparams, WK_CABI_MAX_FLAT_PARAMS, args, 0, 0, flat, &nflat,
                                &err);
  if (rc) goto cabi_fail;
  if (nflat != cft.nparams || cft.nresults > WK_CABI_SIG_MAX) {
    *trap = mktrap("lifted core function's type does not match the component function type");
    rc = WK_ERR_TRAP;
    goto out;
  }
  for (uint32_t i = 0; i < nflat; i++) flat_to_val(&flat[i], &cargs[i]);
  rc = wk_func_call(top->s, f->core, cargs, nflat, cres, cft.nresults, trap);
  if (rc) goto out;
  wk_cabi_flat rflat[WK_CABI_SIG_MAX];
  for (uint32_t i = 0; i < cft.nresults; i++) val_to_flat(&cres[i], &rflat[i]);
  wk_cval res;
  memset(&res, 0, sizeof res);
  if (ft->result) {
    rc = wk_cabi_lift_values(&cx, &ft->result, 1, WK_CABI_MAX_FLAT_RESULTS, rflat, cft.nresults, &tmp, &res, &err);
    if (rc) goto cabi_fail;
  }
  rc = wk_cabi_call_finish(&task, &err);
  if (rc) goto cabi_fail;
  if (on_resolve) {
    rc = on_resolve(renv, ft->result ? &res : NULL, trap);
    if (rc) goto out;
  }
  if (f->post_return) {
    sc->cabi.may_leave = 0;
    wk_value dummy[1];
    rc = wk_func_call(top->s, f->post_return, cres, cft.nresults, dummy, 0, trap);
    sc->cabi.may_leave = 1;
    if (rc) goto out;
  }
  goto out;
cabi_fail:
  *trap = cabi_trap(&me, lift_fail_msg(&tmp, &err, lmsg, sizeof lmsg));
  rc = WK_ERR_TRAP;
out:
  wk_trap_free(me.trap);
  /* Explainer.md "lockdown": after a trap the instances this call entered
   * stay closed (later calls trap with "cannot enter component instance") */
  if (rc == WK_OK)
    for (uint32_t i = 0; i < nset; i++) set[i]->cabi.may_enter = 1;
  wk_arena_free(&tmp);
  return rc;
}

/* Call a host function with lifted arguments. */
static int call_host(wk_comp_inst *top, rt_func *f, scope *caller, const wk_cval *args, wk_arena *arena,
                     wk_cval *res, wk_trap **trap) {
  *trap = NULL;
  if (f->kind == F_TRAP) {
    char msg[600];
    if (f->iface) /* "iface#name" */
      snprintf(msg, sizeof msg, "unknown import: `%s#%s` has not been defined", f->iface, f->name ? f->name : "?");
    else
      snprintf(msg, sizeof msg, "unknown import: `%s` has not been defined", f->name ? f->name : "?");
    *trap = mktrap(msg);
    return WK_ERR_TRAP;
  }
  wk_comp_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.top = top;
  ctx.arena = arena;
  ctx.caller = caller;
  memset(res, 0, sizeof *res);
  if (f->ft->result) res->kind = f->ft->result->kind;
  int r = f->fn(&ctx, f->env, args, f->ft->nparams, res);
  if (r != WK_OK || ctx.failed) {
    if (ctx.exited)
      *trap = wk_trap_new(WK_TRAP_EXIT, "exit", ctx.status);
    else
      *trap = mktrap(ctx.failed ? ctx.msg : "host function failed");
    return WK_ERR_TRAP;
  }
  return WK_OK;
}

/* definitions.py canon_resource_drop: the destructor is lifted in rt.impl and
 * called from the dropping instance, so Store.lift's may_enter check applies. */
static int guest_dtor(void *env, uint32_t rep, wk_error *err) {
  dtor_env *de = env;
  scope *set[64];
  uint32_t nset = entering_set(de->impl, de->top->cur, set, 64);
  for (uint32_t i = 0; i < nset; i++)
    if (!set[i]->cabi.may_enter) return wk_error_set(err, WK_ERR_TRAP, "cannot enter component instance");
  for (uint32_t i = 0; i < nset; i++) set[i]->cabi.may_enter = 0;
  wk_value a;
  a.type = WK_I32;
  a.of.i32 = (int32_t)rep;
  wk_trap *t = NULL;
  wk_value r[1];
  int rc = wk_func_call(de->top->s, de->f, &a, 1, r, 0, &t);
  if (!rc)
    for (uint32_t i = 0; i < nset; i++) set[i]->cabi.may_enter = 1;
  if (rc) return trap_err(t, err);
  return WK_OK;
}

/* A nested trap surfaces in the calling core code. */
static int trap_to_caller(wk_caller *c, wk_trap *t) {
  if (wk_trap_code_of(t) == WK_TRAP_EXIT) {
    int st = wk_trap_exit_status(t);
    wk_trap_free(t);
    return wk_caller_exit(c, st);
  }
  char msg[600];
  snprintf(msg, sizeof msg, "%s", wk_trap_message(t));
  int code = wk_trap_code_of(t);
  wk_trap_free(t);
  return wk_caller_trap_code(c, code, msg);
}

/* canon lower: the core function a component imports. */
typedef struct lowered {
  wk_comp_inst *top;
  rt_func *callee;
  scope *sc;
  wk_cabi_opts opts;
  wk_memory *mem;
  wk_func *realloc;
  wk_cabi_core_sig sig;
} lowered;

typedef struct lower_res_env {
  wk_cabi_cx *cx;
  const lowered *lw;
  const wk_value *args;
  wk_value *results;
} lower_res_env;

static int lower_result(void *env, const wk_cval *res, wk_trap **trap) {
  lower_res_env *e = env;
  const wk_comp_functype *ft = e->lw->callee->ft;
  if (!ft->result) return WK_OK;
  wk_cabi_flat out[WK_CABI_SIG_MAX];
  uint32_t nout = 0;
  wk_error err;
  wk_error_clear(&err);
  int have_ptr = e->lw->sig.indirect_results;
  uint32_t outp = have_ptr ? (uint32_t)e->args[e->lw->sig.nparams - 1].of.i32 : 0;
  int rc = wk_cabi_lower_values(e->cx, &ft->result, 1, WK_CABI_MAX_FLAT_RESULTS, res, have_ptr, outp, out, &nout,
                                &err);
  if (rc) {
    *trap = cabi_trap(e->cx->env, err.msg[0] ? err.msg : "canonical ABI error");
    return WK_ERR_TRAP;
  }
  for (uint32_t i = 0; i < nout && i < e->lw->sig.nresults; i++) flat_to_val(&out[i], &e->results[i]);
  return WK_OK;
}

static int lowered_call1(wk_caller *c, lowered *lw, const wk_value *args, wk_value *results);
static int lowered_call(wk_caller *c, void *env, const wk_value *args, wk_value *results) {
  lowered *lw = env;
  if (enter_level(lw->top)) return wk_caller_trap_code(c, WK_TRAP_STACK_EXHAUSTED, NEST_MSG);
  int r = lowered_call1(c, lw, args, results);
  leave_level(lw->top);
  return r;
}

/* definitions.py canon_lower (sync). */
static int lowered_call1(wk_caller *c, lowered *lw, const wk_value *args, wk_value *results) {
  scope *sc = lw->sc;
  if (!sc->cabi.may_leave) return wk_caller_trap(c, "cannot leave component instance");
  rt_func *callee = lw->callee;
  const wk_comp_functype *ft = callee->ft;
  wk_cabi_call sub;
  memset(&sub, 0, sizeof sub);
  sub.inst = &sc->cabi;
  sub.lender_inst = &sc->cabi;
  memenv me = {lw->top->s, lw->mem, lw->realloc, &sc->cabi, NULL};
  wk_cabi_cx cx = {lw->opts, mem_cb, realloc_cb, &me, &sc->cabi, &sub};
  wk_cabi_flat flat[WK_CABI_SIG_MAX];
  uint32_t nin = lw->sig.nparams - (lw->sig.indirect_results ? 1 : 0);
  for (uint32_t i = 0; i < lw->sig.nparams; i++) val_to_flat(&args[i], &flat[i]);
  wk_arena tmp = {0};
  wk_error err;
  wk_error_clear(&err);
  /* the lifted arguments: on the stack when few (the arena's first block, a 64 KiB malloc and
   * free, was a tenth of a call without strings or lists), counted in the arena's total as if
   * allocated there, so the lift budget below sees the same bytes either way */
  wk_cval vbuf[8];
  size_t vsize = sizeof(wk_cval) * ((size_t)ft->nparams + 1);
  wk_cval *vals;
  if (ft->nparams + 1 <= sizeof vbuf / sizeof vbuf[0]) {
    memset(vbuf, 0, vsize);
    vals = vbuf;
    tmp.total = (vsize + 15) & ~(size_t)15; /* (wk_arena_alloc's rounding) */
  } else
    vals = wk_arena_alloc(&tmp, vsize);
  wk_trap *t = NULL;
  int rc;
  if (!vals) {
    wk_arena_free(&tmp);
    return wk_caller_trap(c, "out of memory");
  }
  tmp.limit = lift_budget(&me);
  rc = wk_cabi_lift_values(&cx, ft->params, ft->nparams, WK_CABI_MAX_FLAT_PARAMS, flat, nin, &tmp, vals, &err);
  if (rc) goto cabi_fail;
  lower_res_env le = {&cx, lw, args, results};
  if (callee->kind == F_LIFT) {
    rc = call_lifted(lw->top, callee, sc, vals, lower_result, &le, &t);
    if (rc) goto trapped;
  } else {
    wk_cval res;
    rc = call_host(lw->top, callee, sc, vals, &tmp, &res, &t);
    if (rc) goto trapped;
    rc = lower_result(&le, &res, &t);
    if (rc) goto trapped;
  }
  rc = wk_cabi_call_finish(&sub, &err); /* frees sub.lenders */
  sub.lenders = NULL;
  if (rc) goto cabi_fail;
  wk_arena_free(&tmp);
  return 0;
cabi_fail:;
  char lmsg[128];
  const char *why = lift_fail_msg(&tmp, &err, lmsg, sizeof lmsg);
  int trc = wk_caller_trap(c, why);
  wk_arena_free(&tmp);
  free(sub.lenders);
  return trc;
trapped:
  wk_arena_free(&tmp);
  free(sub.lenders);
  return trap_to_caller(c, t);
}

/* canon resource.new / drop / rep (definitions.py canon_resource_*). */
typedef struct resenv {
  scope *sc;
  wk_cabi_rtype *rt;
} resenv;

static int res_new(wk_caller *c, void *env, const wk_value *args, wk_value *results) {
  resenv *re = env;
  if (!re->sc->cabi.may_leave) return wk_caller_trap(c, "cannot leave component instance");
  wk_error err;
  wk_error_clear(&err);
  uint32_t h;
  if (wk_cabi_resource_new(&re->sc->cabi, re->rt, (uint32_t)args[0].of.i32, &h, &err))
    return wk_caller_trap(c, err.msg);
  results[0].of.i32 = (int32_t)h;
  return 0;
}

static int res_drop(wk_caller *c, void *env, const wk_value *args, wk_value *results) {
  resenv *re = env;
  if (!re->sc->cabi.may_leave) return wk_caller_trap(c, "cannot leave component instance");
  wk_error err;
  wk_error_clear(&err);
  scope *saved = re->sc->top->cur;
  re->sc->top->cur = re->sc;
  int rc = wk_cabi_resource_drop(&re->sc->cabi, re->rt, (uint32_t)args[0].of.i32, &err);
  re->sc->top->cur = saved;
  if (rc) return wk_caller_trap(c, err.msg);
  return 0;
}

static int res_rep(wk_caller *c, void *env, const wk_value *args, wk_value *results) {
  resenv *re = env;
  wk_error err;
  wk_error_clear(&err);
  uint32_t rep;
  if (wk_cabi_resource_rep(&re->sc->cabi, re->rt, (uint32_t)args[0].of.i32, &rep, &err))
    return wk_caller_trap(c, err.msg);
  results[0].of.i32 = (int32_t)rep;
  return 0;
}

/* ------------------------------------------------------------------ */
/* instantiation */

static int run_component(scope *sc, const wk_component *m, wk_trap **trap, wk_error *err);

static int parse_opts(scope *sc, const wk_ccanon *cn, rt_func *f, wk_error *err) {
  f->opts.ptr_size = 4;
  f->opts.string_encoding = WK_CABI_UTF8;
  for (uint32_t i = 0; i < cn->nopts; i++) {
    const wk_copt *o = &cn->opts[i];
    switch (o->code) {
    case WK_COPT_UTF8: f->opts.string_encoding = WK_CABI_UTF8; break;
    case WK_COPT_UTF16: f->opts.string_encoding = WK_CABI_UTF16; break;
    case WK_COPT_LATIN1_UTF16: f->opts.string_encoding = WK_CABI_LATIN1_UTF16; break;
    case WK_COPT_MEMORY:
      if (o->idx >= sc->cmems.n) return wk_error_set(err, WK_ERR_INVALID, "memory index out of range");
      f->mem = sc->cmems.v[o->idx].u.ext.of.memory;
      break;
    case WK_COPT_REALLOC:
    case WK_COPT_POST_RETURN:
      if (o->idx >= sc->cfuncs.n) return wk_error_set(err, WK_ERR_INVALID, "function index out of range");
      if (o->code == WK_COPT_REALLOC)
        f->realloc = sc->cfuncs.v[o->idx].u.ext.of.func;
      else
        f->post_return = sc->cfuncs.v[o->idx].u.ext.of.func;
      break;
    default: return wk_error_set(err, WK_ERR_UNSUPPORTED, "canonical option 0x%02x (async) is not supported", o->code);
    }
  }
  return WK_OK;
}

static int do_canon(scope *sc, const wk_ccanon *cn, wk_error *err) {
  wk_store *s = sc->top->s;
  item it;
  memset(&it, 0, sizeof it);
  switch (cn->op) {
  case WK_CANON_LIFT: { /* lift */
    rt_func *f = aalloc(sc, sizeof *f);
    if (!f) return nomem(err);
    f->kind = F_LIFT;
    f->sc = sc;
    if (cn->func >= sc->cfuncs.n) return wk_error_set(err, WK_ERR_INVALID, "core function index out of range");
    f->core = sc->cfuncs.v[cn->func].u.ext.of.func;
    if (cn->type >= sc->types.n || sc->types.v[cn->type].u.type->kind != T_FUNC)
      return wk_error_set(err, WK_ERR_INVALID, "canon lift: type %u is not a function type", cn->type);
    f->ft = &sc->types.v[cn->type].u.type->ft;
    int rc = parse_opts(sc, cn, f, err);
    if (rc) return rc;
    it.sort = WK_CSORT_FUNC;
    it.u.func = f;
    return push_item(sc, it, err);
  }
  case WK_CANON_LOWER: { /* lower */
    if (cn->func >= sc->funcs.n) return wk_error_set(err, WK_ERR_INVALID, "function index out of range");
    rt_func opt;
    memset(&opt, 0, sizeof opt);
    int rc = parse_opts(sc, cn, &opt, err);
    if (rc) return rc;
    /* the lowered call's state and its core signature's type codes: one block */
    size_t lwsz = (sizeof(lowered) + 15) & ~(size_t)15;
    lowered *lw = aalloc(sc, lwsz + 2 * (WK_CABI_SIG_MAX + 1));
    if (!lw) return nomem(err);
    lw->top = sc->top;
    lw->callee = sc->funcs.v[cn->func].u.func;
    lw->sc = sc;
    lw->opts = opt.opts;
    lw->mem = opt.mem;
    lw->realloc = opt.realloc;
    const wk_comp_functype *ft = lw->callee->ft;
    rc = wk_cabi_flatten_func(ft->params, ft->nparams, ft->result, &lw->opts, WK_CABI_LOWER, &lw->sig, err);
    if (rc) return rc;
    if (lw->sig.nparams > WK_CABI_SIG_MAX || lw->sig.nresults > WK_CABI_SIG_MAX)
      return wk_error_set(err, WK_ERR_INVALID, "canon lower: flattened signature too large");
    uint8_t *ps = (uint8_t *)lw + lwsz, *rs = ps + WK_CABI_SIG_MAX + 1;
    for (uint32_t i = 0; i < lw->sig.nparams; i++) ps[i] = (uint8_t)lw->sig.params[i];
    for (uint32_t i = 0; i < lw->sig.nresults; i++) rs[i] = (uint8_t)lw->sig.results[i];
    wk_core_functype cft = {lw->sig.nparams, lw->sig.nresults, ps, rs, NULL};
    wk_func *hf = wk_func_new_host(s, &cft, lowered_call, lw);
    if (!hf) return nomem(err);
    it.sort = WK_CSORT_CORE;
    it.core_sort = WK_CCSORT_FUNC;
    it.u.ext.kind = WK_EXTERN_FUNC;
    it.u.ext.of.func = hf;
    return push_item(sc, it, err);
  }
  case WK_CANON_RESOURCE_NEW:
  case WK_CANON_RESOURCE_DROP:
  case WK_CANON_RESOURCE_REP: {
    if (cn->type >= sc->types.n || sc->types.v[cn->type].u.type->kind != T_RES)
      return wk_error_set(err, WK_ERR_INVALID, "canon resource: type %u is not a resource", cn->type);
    resenv *re = aalloc(sc, sizeof *re);
    if (!re) return nomem(err);
    re->sc = sc;
    re->rt = sc->types.v[cn->type].u.type->res;
    static const uint8_t i32[1] = {WK_I32};
    wk_core_functype cft = {1, cn->op == WK_CANON_RESOURCE_DROP ? 0 : 1, i32, i32, NULL};
    wk_func *hf = wk_func_new_host(s, &cft, cn->op == WK_CANON_RESOURCE_NEW ? res_new : cn->op == WK_CANON_RESOURCE_DROP ? res_drop : res_rep, re);
    if (!hf) return nomem(err);
    it.sort = WK_CSORT_CORE;
    it.core_sort = WK_CCSORT_FUNC;
    it.u.ext.kind = WK_EXTERN_FUNC;
    it.u.ext.of.func = hf;
    return push_item(sc, it, err);
  }
  default:
    return wk_error_at(err, WK_ERR_UNSUPPORTED, cn->offset, "canonical built-in 0x%02x (async/threads) is not supported",
                       cn->op);
  }
}

static int do_alias(scope *sc, const wk_calias *a, wk_error *err) {
  item it;
  memset(&it, 0, sizeof it);
  if (a->target == WK_CALIAS_EXPORT) { /* export of a component instance */
    if (a->inst >= sc->insts.n) return wk_error_set(err, WK_ERR_INVALID, "instance index out of range");
    rt_inst *ri = sc->insts.v[a->inst].u.inst;
    const named_item *ni = ri ? find_named(ri->ex, ri->n, a->name.s, a->name.len) : NULL;
    if (!ni) return wk_error_set(err, WK_ERR_INVALID, "instance has no export `%.*s`", (int)a->name.len, a->name.s);
    if (ni->it.sort != a->sort.sort || (a->sort.sort == WK_CSORT_CORE && ni->it.core_sort != a->sort.core_sort))
      return wk_error_set(err, WK_ERR_INVALID, "export `%.*s` is not a %s", (int)a->name.len, a->name.s,
                          wk_csort_name(a->sort));
    return push_item(sc, ni->it, err);
  }
  if (a->target == WK_CALIAS_CORE_EXPORT) { /* core export */
    if (a->inst >= sc->cinsts.n) return wk_error_set(err, WK_ERR_INVALID, "core instance index out of range");
    rt_cinst *ci = sc->cinsts.v[a->inst].u.cinst;
    it.sort = WK_CSORT_CORE;
    it.core_sort = a->sort.core_sort;
    if (ci->wi) {
      if (wk_instance_export_n(ci->wi, a->name.s, a->name.len, &it.u.ext))
        return wk_error_set(err, WK_ERR_INVALID, "core instance has no export `%.*s`", (int)a->name.len, a->name.s);
      if (a->sort.core_sort > WK_EXTERN_TAG || it.u.ext.kind != a->sort.core_sort) /* (0x04: a core tag) */
        return wk_error_set(err, WK_ERR_INVALID, "core export `%.*s` is not a %s", (int)a->name.len, a->name.s,
                            wk_csort_name(a->sort));
    } else {
      const named_item *ni = find_named(ci->ex, ci->n, a->name.s, a->name.len);
      if (!ni)
        return wk_error_set(err, WK_ERR_INVALID, "core instance has no export `%.*s`", (int)a->name.len, a->name.s);
      it = ni->it;
      if (it.sort != WK_CSORT_CORE || it.core_sort != a->sort.core_sort)
        return wk_error_set(err, WK_ERR_INVALID, "core export `%.*s` is not a %s", (int)a->name.len, a->name.s,
                            wk_csort_name(a->sort));
    }
    return push_item(sc, it, err);
  }
  /* outer */
  scope *p = sc;
  for (uint32_t i = 0; i < a->inst && p; i++) p = p->parent;
  if (!p) return wk_error_set(err, WK_ERR_INVALID, "outer alias count out of range");
  int rc = get_item(p, a->sort, a->idx, &it, err);
  if (rc) return rc;
  return push_item(sc, it, err);
}

static int core_instantiate(scope *sc, const wk_cinstance *ci, wk_trap **trap, wk_error *err) {
  item it;
  memset(&it, 0, sizeof it);
  rt_cinst *rc_ = aalloc(sc, sizeof *rc_);
  if (!rc_) return nomem(err);
  it.sort = WK_CSORT_CORE;
  it.core_sort = WK_CCSORT_INSTANCE;
  it.u.cinst = rc_;
  if (ci->kind == WK_CINST_EXPORTS) { /* inline exports */
    rc_->n = ci->n;
    rc_->ex = aalloc(sc, sizeof *rc_->ex * (ci->n + 1));
    if (!rc_->ex) return nomem(err);
    for (uint32_t i = 0; i < ci->n; i++) {
      /* (looked up by name and length only: the name in the component's bytes, not a copy; a
       * core name may hold a NUL, where a copy's C string, what the lookups saw, ended) */
      wk_cstr cn = ci->args[i].name.name;
      const char *nul = cn.len ? memchr(cn.s, 0, cn.len) : NULL;
      rc_->ex[i].name = cn.s ? cn.s : "";
      rc_->ex[i].len = nul ? (uint32_t)(nul - cn.s) : cn.len;
      wk_csort so = {0, ci->args[i].sort.core_sort};
      if (ci->args[i].sort.sort != WK_CSORT_CORE) so = ci->args[i].sort;
      int rc = get_item(sc, so, ci->args[i].idx, &rc_->ex[i].it, err);
      if (rc) return rc;
    }
    return push_item(sc, it, err);
  }
  if (ci->target >= sc->cmods.n) return wk_error_set(err, WK_ERR_INVALID, "core module index out of range");
  /* as wasmtime's default instance limit: hostile nesting could ask for millions */
  if (sc->top->ncore >= MAX_CORE_INSTANCES)
    return wk_error_at(err, WK_ERR_NOMEM, ci->offset, "more than %u core module instances", MAX_CORE_INSTANCES);
  sc->top->ncore++;
  const wk_module *mod = sc->cmods.v[ci->target].u.cmod;
  wk_linker *lk = wk_linker_new(sc->top->s);
  if (!lk) return nomem(err);
  size_t ni = wk_module_import_count(mod);
  /* the imports by position (wk_linker_set_imports), not defined by name one by one */
  wk_extern *exts = ni ? malloc(ni * sizeof *exts) : NULL;
  int rc = ni && !exts ? nomem(err) : WK_OK;
  for (size_t i = 0; i < ni && !rc; i++) {
    wk_import_desc d;
    wk_module_import(mod, i, &d);
    const wk_cinstarg *arg = NULL;
    size_t ml = strlen(d.module);
    for (uint32_t k = 0; k < ci->n; k++)
      if (ci->args[k].name.name.len == ml && !memcmp(ci->args[k].name.name.s, d.module, ml))
        arg = &ci->args[k];
    if (!arg || arg->idx >= sc->cinsts.n) {
      rc = wk_error_at(err, WK_ERR_LINK, ci->offset, "core instantiation: no argument `%s`", d.module);
      break;
    }
    rt_cinst *src = sc->cinsts.v[arg->idx].u.cinst;
    wk_extern ext;
    memset(&ext, 0, sizeof ext);
    if (src->wi) {
      if (wk_instance_export(src->wi, d.name, &ext)) {
        rc = wk_error_at(err, WK_ERR_LINK, ci->offset, "core instantiation: `%s` has no export `%s`", d.module, d.name);
        break;
      }
    } else {
      const named_item *nit = find_named_from(src->ex, src->n, d.name, strlen(d.name), &src->hint);
      if (!nit) {
        rc = wk_error_at(err, WK_ERR_LINK, ci->offset, "core instantiation: `%s` has no export `%s`", d.module, d.name);
        break;
      }
      ext = nit->it.u.ext;
    }
    exts[i] = ext;
  }
  if (!rc) rc = wk_linker_set_imports(lk, exts, ni);
  if (!rc) rc = wk_linker_instantiate(lk, mod, &rc_->wi, trap, err);
  wk_linker_free(lk);
  free(exts);
  if (rc) return rc;
  return push_item(sc, it, err);
}

/* match_iface_ix(l, iface) for the exports of one imported instance: worked out again only when
 * the linker's interfaces changed since (a lazy definition may add some), so it is the same answer
 * as a lookup per export (which was a hash and a scan of every interface per function). */
typedef struct iface_memo {
  long gi;
  size_t nifaces; /* l->nifaces when gi was worked out; SIZE_MAX: not yet */
} iface_memo;

static long match_iface_memo(wk_comp_linker *l, const char *iface, iface_memo *m) {
  if (!iface) return -1;
  if (!m) return match_iface_ix(l, iface);
  if (m->nifaces != l->nifaces) {
    m->gi = match_iface_ix(l, iface);
    m->nifaces = l->nifaces;
  }
  return m->gi;
}

/* Host side of a root import: one function or resource of interface `iface` (NULL: a root name).
 * `im`: NULL, or the memo of iface's lookup (match_iface_memo). */
static int host_func(scope *sc, const char *iface, const char *name, const wk_comp_functype *ft, iface_memo *im,
                     item *out, wk_error *err) {
  wk_comp_linker *l = sc->top->l;
  long gi = match_iface_memo(l, iface, im);
  const char *got = gi < 0 ? NULL : l->ifaces[gi];
  hdef *d = NULL;
  if (got) {
    l->last_def1 = 0;
    int rc = materialize_func(l, (size_t)gi, name, err);
    if (rc) return rc;
    /* what a define_one just defined is the one find_exact would find (definitions are unique
     * by (interface, name, kind), and got is the interned name add_def keeps): no hashing */
    hdef *last = l->last_def1 ? &l->d[l->last_def1 - 1] : NULL;
    if (last && !last->is_res && last->iface == got && !strcmp(last->name, name)) d = last;
  }
  if (!d) d = (!iface || got) ? find_exact(l, got, name, 0) : NULL;
  if (!d && got && l->iinfo[gi].lazy) { /* (not one of define_one's: the whole set, as without it) */
    int rc = materialize(l, (size_t)gi, err);
    if (rc) return rc;
    d = find_exact(l, got, name, 0);
  }
  rt_func *f = aalloc(sc, sizeof *f);
  if (!f) return nomem(err);
  f->ft = ft;
  f->iface = iface; /* (both live as long as the instance: its arena) */
  f->name = name;
  if (d) {
    f->kind = F_HOST;
    f->fn = d->fn;
    f->env = d->env;
  } else if (l->trap_unknown) {
    f->kind = F_TRAP;
  } else if (iface && !got) {
    return iface_undefined(l, iface, err);
  } else {
    const char *cl = closest(l, name, 0, got);
    if (iface)
      return wk_error_set(err, WK_ERR_LINK, "import `%s`: function `%s` is not defined%s%s%s", iface, name,
                          cl ? "; closest: `" : "", cl ? cl : "", cl ? "`" : "");
    return wk_error_set(err, WK_ERR_LINK, "import `%s`: function is not defined%s%s%s", name, cl ? "; closest: `" : "",
                        cl ? cl : "", cl ? "`" : "");
  }
  memset(out, 0, sizeof *out);
  out->sort = WK_CSORT_FUNC;
  out->u.func = f;
  return WK_OK;
}

static int host_resource(scope *sc, const char *iface, const char *name, iface_memo *im, item *out, wk_error *err) {
  wk_comp_linker *l = sc->top->l;
  long gi = match_iface_memo(l, iface, im);
  const char *got = gi < 0 ? NULL : l->ifaces[gi];
  if (got && !l->iinfo[gi].one) { /* (a define_lazy_funcs set defines no resources) */
    int rc = materialize(l, (size_t)gi, err);
    if (rc) return rc;
  }
  hdef *d = (!iface || got) ? find_exact(l, got, name, 1) : NULL;
  rt_type *rt = aalloc(sc, sizeof *rt);
  if (!rt) return nomem(err);
  rt->kind = T_RES;
  if (d) {
    rt->res = d->rt;
  } else if (l->trap_unknown) {
    rt->res = aalloc(sc, sizeof *rt->res);
    if (!rt->res) return nomem(err);
    rt->res->name = name;
  } else {
    if (iface && !got) return iface_undefined(l, iface, err);
    return wk_error_set(err, WK_ERR_LINK, "import `%s`: resource `%s` is not defined", iface ? iface : name, name);
  }
  memset(out, 0, sizeof *out);
  out->sort = WK_CSORT_TYPE;
  out->u.type = rt;
  return WK_OK;
}

/* An imported instance from the host: evaluate its instance type's
 * declarations (Explainer.md "Type Definitions", instancedecl) in a fresh
 * declaration scope, binding each exported function and resource. */
static int host_instance(scope *sc, const char *iface, rt_type *ty, item *out, wk_error *err) {
  scope *ds = new_scope(sc->top, ty->sc, NULL, 1);
  if (!ds) return nomem(err);
  const wk_ctype *ct = ty->decl;
  iface_memo memo = {-1, SIZE_MAX};
  for (uint32_t i = 0; i < ct->ndecls; i++) {
    const wk_cdecl *d = &ct->decls[i];
    int rc = WK_OK;
    item it;
    memset(&it, 0, sizeof it);
    switch (d->kind) {
    case WK_CDECL_CORE_TYPE:
      it.sort = WK_CSORT_CORE;
      it.core_sort = WK_CCSORT_TYPE;
      rc = push_item(ds, it, err);
      break;
    case WK_CDECL_TYPE: {
      rt_type *t;
      rc = define_type(ds, d->type, &t, err);
      if (!rc) {
        it.sort = WK_CSORT_TYPE;
        it.u.type = t;
        rc = push_item(ds, it, err);
      }
      break;
    }
    case WK_CDECL_ALIAS: rc = do_alias(ds, &d->alias, err); break;
    case WK_CDECL_EXPORT: {
      char *name = astr(ds, d->name.name);
      if (!name) return nomem(err);
      if (d->ext.kind == WK_CSORT_FUNC) {
        if (d->ext.idx >= ds->types.n || ds->types.v[d->ext.idx].u.type->kind != T_FUNC)
          return wk_error_set(err, WK_ERR_INVALID, "instance type: export `%s` has no function type", name);
        rc = host_func(ds, iface, name, &ds->types.v[d->ext.idx].u.type->ft, &memo, &it, err);
        if (!rc) rc = add_export(ds, name, d->name.name.len, it, err);
        if (!rc) rc = push_item(ds, it, err);
      } else if (d->ext.kind == WK_CSORT_TYPE) {
        if (d->ext.bound == WK_CBOUND_EQ)
          rc = get_item(ds, (wk_csort){WK_CSORT_TYPE, 0}, d->ext.idx, &it, err);
        else
          rc = host_resource(ds, iface, name, &memo, &it, err);
        if (!rc) rc = add_export(ds, name, d->name.name.len, it, err);
        if (!rc) rc = push_item(ds, it, err);
      } else {
        return wk_error_set(err, WK_ERR_UNSUPPORTED, "import `%s`: exports of kind %u from the host are not supported",
                            iface, d->ext.kind);
      }
      break;
    }
    default: break;
    }
    if (rc) return rc;
  }
  rt_inst *ri = scope_exports(ds);
  if (!ri) return nomem(err);
  memset(out, 0, sizeof *out);
  out->sort = WK_CSORT_INSTANCE;
  out->u.inst = ri;
  return WK_OK;
}

static int do_import(scope *sc, const wk_cimport *im, wk_error *err) {
  item it;
  memset(&it, 0, sizeof it);
  char *name = astr(sc, im->name.name);
  if (!name) return nomem(err);
  const wk_cextern *x = &im->ext;
  int rc;
  if (x->kind == WK_CSORT_TYPE && x->bound == WK_CBOUND_EQ) { /* (type (eq i)) */
    rc = get_item(sc, (wk_csort){WK_CSORT_TYPE, 0}, x->idx, &it, err);
    if (rc) return rc;
    return push_item(sc, it, err);
  }
  if (sc != sc->top->root) {
    /* nested: the instantiation's `with` arguments */
    const named_item *ni = find_named(sc->args, sc->nargs, name, strlen(name));
    if (!ni) return wk_error_at(err, WK_ERR_LINK, im->offset, "missing instantiation argument `%s`", name);
    static const uint8_t want_sort[6] = {WK_CSORT_CORE, WK_CSORT_FUNC, WK_CSORT_VALUE, WK_CSORT_TYPE, WK_CSORT_COMPONENT, WK_CSORT_INSTANCE};
    if (x->kind > WK_CSORT_INSTANCE || ni->it.sort != want_sort[x->kind] || (x->kind == WK_CSORT_CORE && ni->it.core_sort != WK_CCSORT_MODULE))
      return wk_error_at(err, WK_ERR_LINK, im->offset, "instantiation argument `%s` has the wrong kind", name);
    return push_item(sc, ni->it, err);
  }
  switch (x->kind) {
  case WK_CSORT_FUNC:
    if (x->idx >= sc->types.n || sc->types.v[x->idx].u.type->kind != T_FUNC)
      return wk_error_set(err, WK_ERR_INVALID, "import `%s`: not a function type", name);
    rc = host_func(sc, NULL, name, &sc->types.v[x->idx].u.type->ft, NULL, &it, err);
    break;
  case WK_CSORT_TYPE: rc = host_resource(sc, NULL, name, NULL, &it, err); break;
  case WK_CSORT_INSTANCE: {
    if (x->idx >= sc->types.n || sc->types.v[x->idx].u.type->kind != T_INST)
      return wk_error_set(err, WK_ERR_INVALID, "import `%s`: not an instance type", name);
    /* Explainer.md "Import and Export Definitions": an `implements` attribute
     * names the interface the host provides; a `versionsuffix` completes a
     * canonical interface name's version (`@0.2` + `.3`). */
    const char *host_name = name;
    for (uint32_t k = 0; k < im->name.nattrs; k++)
      if (im->name.attrs[k].kind == WK_CATTR_IMPLEMENTS) host_name = astr(sc, im->name.attrs[k].value);
    for (uint32_t k = 0; k < im->name.nattrs && host_name == name; k++)
      if (im->name.attrs[k].kind == WK_CATTR_VERSIONSUFFIX) {
        size_t nl = strlen(name) + im->name.attrs[k].value.len + 1;
        char *full = aalloc(sc, nl);
        if (!full) return nomem(err);
        snprintf(full, nl, "%s%.*s", name, (int)im->name.attrs[k].value.len, im->name.attrs[k].value.s);
        host_name = full;
      }
    if (!host_name) return nomem(err);
    rc = host_instance(sc, host_name, sc->types.v[x->idx].u.type, &it, err);
    if (rc == WK_ERR_LINK && strcmp(host_name, name)) {
      char m[sizeof err->msg];
      snprintf(m, sizeof m, "%s", err->msg);
      wk_error_set(err, rc, "%s (for import `%s`)", m, name);
    }
    break;
  }
  default:
    return wk_error_at(err, WK_ERR_UNSUPPORTED, im->offset, "import `%s`: imports of this kind from the host are not supported",
                       name);
  }
  if (rc) {
    if (!err->has_offset) {
      err->has_offset = 1;
      err->offset = im->offset;
    }
    return rc;
  }
  return push_item(sc, it, err);
}

static int comp_instantiate(scope *sc, const wk_cinstance *ci, wk_trap **trap, wk_error *err) {
  item it;
  memset(&it, 0, sizeof it);
  it.sort = WK_CSORT_INSTANCE;
  if (ci->kind == WK_CINST_EXPORTS) { /* inline exports */
    rt_inst *ri = aalloc(sc, sizeof *ri);
    if (!ri) return nomem(err);
    ri->n = ci->n;
    ri->ex = aalloc(sc, sizeof *ri->ex * (ci->n + 1));
    if (!ri->ex) return nomem(err);
    for (uint32_t i = 0; i < ci->n; i++) {
      ri->ex[i].name = astr(sc, ci->args[i].name.name);
      ri->ex[i].len = (uint32_t)ci->args[i].name.name.len;
      int rc = get_item(sc, ci->args[i].sort, ci->args[i].idx, &ri->ex[i].it, err);
      if (rc) return rc;
    }
    it.u.inst = ri;
    return push_item(sc, it, err);
  }
  if (ci->target >= sc->comps.n) return wk_error_set(err, WK_ERR_INVALID, "component index out of range");
  rt_comp *cc = sc->comps.v[ci->target].u.comp;
  scope *child = new_scope(sc->top, cc->lexical, sc, 0);
  if (!child)
    return sc->top->nscopes >= MAX_SCOPES
               ? wk_error_at(err, WK_ERR_NOMEM, ci->offset, "more than %u component instances", MAX_SCOPES)
               : nomem(err);
  child->nargs = ci->n;
  child->args = aalloc(sc, sizeof *child->args * (ci->n + 1));
  if (!child->args) return nomem(err);
  for (uint32_t i = 0; i < ci->n; i++) {
    child->args[i].name = astr(sc, ci->args[i].name.name);
    child->args[i].len = (uint32_t)ci->args[i].name.name.len;
    int rc = get_item(sc, ci->args[i].sort, ci->args[i].idx, &child->args[i].it, err);
    if (rc) return rc;
  }
  int rc = run_component(child, cc->model, trap, err);
  if (rc) return rc;
  it.u.inst = scope_exports(child);
  if (!it.u.inst) return nomem(err);
  return push_item(sc, it, err);
}

static int do_start(scope *sc, const wk_cstart *st, wk_trap **trap, wk_error *err) {
  if (st->nargs || st->nresults) return wk_error_set(err, WK_ERR_UNSUPPORTED, "start functions with values are not supported");
  if (st->func >= sc->funcs.n) return wk_error_set(err, WK_ERR_INVALID, "start: function index out of range");
  rt_func *f = sc->funcs.v[st->func].u.func;
  if (f->kind == F_LIFT) return call_lifted(sc->top, f, NULL, NULL, NULL, NULL, trap);
  wk_arena tmp = {0};
  wk_cval res;
  int rc = call_host(sc->top, f, NULL, NULL, &tmp, &res, trap);
  wk_arena_free(&tmp);
  return rc;
}

static int run_component(scope *sc, const wk_component *m, wk_trap **trap, wk_error *err) {
  int rc = WK_OK;
  for (uint32_t si = 0; si < m->nsections && !rc; si++) {
    const wk_csection *sec = &m->sections[si];
    item it;
    memset(&it, 0, sizeof it);
    switch (sec->id) {
    case WK_CSEC_CUSTOM: break;
    case WK_CSEC_CORE_MODULE:
      it.sort = WK_CSORT_CORE;
      it.core_sort = WK_CCSORT_MODULE;
      it.u.cmod = module_of(sc->top->c, sec);
      if (!it.u.cmod) return wk_error_at(err, WK_ERR_INVALID, sec->offset, "core module was not prepared");
      rc = push_item(sc, it, err);
      break;
    case WK_CSEC_CORE_INSTANCE:
      for (uint32_t i = 0; i < sec->count && !rc; i++) rc = core_instantiate(sc, &sec->u.core_instances[i], trap, err);
      break;
    case WK_CSEC_CORE_TYPE:
      for (uint32_t i = 0; i < sec->count && !rc; i++) {
        it.sort = WK_CSORT_CORE;
        it.core_sort = WK_CCSORT_TYPE;
        rc = push_item(sc, it, err);
      }
      break;
    case WK_CSEC_COMPONENT: {
      rt_comp *cc = aalloc(sc, sizeof *cc);
      if (!cc) return nomem(err);
      cc->model = sec->u.component;
      cc->lexical = sc;
      it.sort = WK_CSORT_COMPONENT;
      it.u.comp = cc;
      rc = push_item(sc, it, err);
      break;
    }
    case WK_CSEC_INSTANCE:
      for (uint32_t i = 0; i < sec->count && !rc; i++) rc = comp_instantiate(sc, &sec->u.instances[i], trap, err);
      break;
    case WK_CSEC_ALIAS:
      for (uint32_t i = 0; i < sec->count && !rc; i++) rc = do_alias(sc, &sec->u.aliases[i], err);
      break;
    case WK_CSEC_TYPE:
      for (uint32_t i = 0; i < sec->count && !rc; i++) {
        rt_type *t;
        rc = define_type(sc, &sec->u.types[i], &t, err);
        if (rc && !err->has_offset) {
          err->has_offset = 1;
          err->offset = sec->u.types[i].offset;
        }
        if (!rc) {
          it.sort = WK_CSORT_TYPE;
          it.u.type = t;
          rc = push_item(sc, it, err);
        }
      }
      break;
    case WK_CSEC_CANON:
      for (uint32_t i = 0; i < sec->count && !rc; i++) rc = do_canon(sc, &sec->u.canons[i], err);
      break;
    case WK_CSEC_START: rc = do_start(sc, &sec->u.start, trap, err); break;
    case WK_CSEC_IMPORT:
      for (uint32_t i = 0; i < sec->count && !rc; i++) rc = do_import(sc, &sec->u.imports[i], err);
      break;
    case WK_CSEC_EXPORT:
      for (uint32_t i = 0; i < sec->count && !rc; i++) {
        const wk_cexport *ex = &sec->u.exports[i];
        rc = get_item(sc, ex->sort, ex->idx, &it, err);
        if (!rc && it.sort == WK_CSORT_TYPE && it.u.type->kind == T_RES && it.u.type->res->impl == &sc->cabi &&
            !strcmp(it.u.type->res->name, "resource"))
          it.u.type->res->name = astr(sc, ex->name.name);
        if (!rc) rc = add_export(sc, astr(sc, ex->name.name), ex->name.name.len, it, err);
        if (!rc) rc = push_item(sc, it, err); /* an export adds an index (Explainer.md "Export Definitions") */
      }
      break;
    case WK_CSEC_VALUE:
      return wk_error_at(err, WK_ERR_UNSUPPORTED, sec->offset, "value definitions are not supported");
    default: return wk_error_at(err, WK_ERR_UNSUPPORTED, sec->offset, "section %u is not supported", sec->id);
    }
  }
  return rc;
}

static int list_funcs(wk_comp_inst *inst, wk_error *err) {
  scope *r = inst->root;
  size_t cap = 0;
  for (uint32_t i = 0; i < r->nex; i++) {
    if (r->ex[i].it.sort == WK_CSORT_FUNC) cap++;
    else if (r->ex[i].it.sort == WK_CSORT_INSTANCE) cap += r->ex[i].it.u.inst->n;
  }
  inst->fnames = wk_arena_alloc(&inst->arena, sizeof(char *) * (cap + 1));
  inst->ffuncs = wk_arena_alloc(&inst->arena, sizeof(wk_comp_func *) * (cap + 1));
  if (!inst->fnames || !inst->ffuncs) return nomem(err);
  for (uint32_t i = 0; i < r->nex; i++) {
    const named_item *e = &r->ex[i];
    if (e->it.sort == WK_CSORT_FUNC) {
      wk_comp_func *cf = wk_arena_alloc(&inst->arena, sizeof *cf);
      if (!cf) return nomem(err);
      cf->f = e->it.u.func;
      cf->top = inst;
      inst->fnames[inst->nf] = (char *)e->name;
      inst->ffuncs[inst->nf++] = cf;
    } else if (e->it.sort == WK_CSORT_INSTANCE) {
      rt_inst *ri = e->it.u.inst;
      for (uint32_t k = 0; k < ri->n; k++) {
        if (ri->ex[k].it.sort != WK_CSORT_FUNC) continue;
        size_t el = strlen(e->name), kl = strlen(ri->ex[k].name);
        char *nm = wk_arena_alloc(&inst->arena, el + kl + 2);
        wk_comp_func *cf = wk_arena_alloc(&inst->arena, sizeof *cf);
        if (!nm || !cf) return nomem(err);
        memcpy(nm, e->name, el); /* "iface#name" (memcpy: snprintf cost more than the rest) */
        nm[el] = '#';
        memcpy(nm + el + 1, ri->ex[k].name, kl + 1);
        cf->f = ri->ex[k].it.u.func;
        cf->top = inst;
        inst->fnames[inst->nf] = nm;
        inst->ffuncs[inst->nf++] = cf;
      }
    }
  }
  return WK_OK;
}

/* Does declaration `d` (with hashes) declare anything under `prefix` ("iface#" or "#")? */
static const wk_comp_type_hash *hash_find(const hdecl *d, const char *key) {
  size_t lo = 0, hi = d->nhashes;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(d->hashes[mid].name, key);
    if (!c) return &d->hashes[mid];
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}
static int hash_has_prefix(const hdecl *d, const char *prefix) {
  size_t lo = 0, hi = d->nhashes, pl = strlen(prefix);
  while (lo < hi) { /* lower bound */
    size_t mid = (lo + hi) / 2;
    if (strcmp(d->hashes[mid].name, prefix) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo < d->nhashes && !strncmp(d->hashes[lo].name, prefix, pl);
}

/* The declared world import `name` of kind `kind` in decoded declaration d, or NULL. */
static const wk_ctent *decl_item(const hdecl *d, const char *name, uint8_t kind) {
  size_t n = strlen(name);
  const wk_ctnode *w = &d->g->t[d->world];
  for (uint32_t i = 0; i < w->nim; i++)
    if (w->im[i].kind == kind && w->im[i].name.len == n && !memcmp(w->im[i].name.s, name, n)) return &w->im[i];
  return NULL;
}

/* Fast path: every function of import `im` (graph g) has the fingerprint
 * declaration d records for `got`. 1: all equal; 0: some differ or are
 * missing (the full check decides and explains); -1: d declares nothing
 * under `got`. */
/* a + "#" + b (blen bytes) into key (cap bytes, cut to fit as snprintf would; memcpy: snprintf was
 * 25K instructions of a hello component's start-up); returns the length of a + "#" */
static size_t hash_key(char *key, size_t cap, const char *a, const char *b, size_t blen) {
  size_t n = strlen(a);
  if (n > cap - 2) n = cap - 2;
  memcpy(key, a, n);
  key[n++] = '#';
  size_t m = blen < cap - 1 - n ? blen : cap - 1 - n;
  memcpy(key + n, b, m);
  key[n + m] = 0;
  return n;
}
static int decl_fast(const hdecl *d, const wk_ctypes *g, const wk_ctent *im, const char *got, const wk_ctnode *root) {
  char key[600];
  const char *pre = im->kind == WK_CSORT_INSTANCE ? got : "";
  hash_key(key, sizeof key, pre, "", 0);
  if (im->kind == WK_CSORT_INSTANCE ? !hash_has_prefix(d, key) : !hash_find(d, (hash_key(key, sizeof key, "", got, strlen(got)), key)))
    return -1;
  const wk_ctent *ex = im, *scope = root->im;
  uint32_t nex = 1, nscope = root->nim;
  if (im->kind == WK_CSORT_INSTANCE) {
    if (im->id >= g->nt || g->t[im->id].kind != WK_CT_INST) return 0; /* the full check says what it is */
    ex = g->t[im->id].ex;
    nex = g->t[im->id].nex;
    scope = ex;
    nscope = nex;
  }
  wk_ctypes_hmemo memo; /* (the instance's functions share types: error-code, stream-error, ...) */
  wk_ctypes_hmemo_init(&memo);
  for (uint32_t j = 0; j < nex; j++) {
    if (ex[j].kind != WK_CSORT_FUNC) {
      if (ex[j].kind == WK_CSORT_TYPE) continue; /* types: covered through the functions that use them */
      return 0;
    }
    hash_key(key, sizeof key, pre, ex[j].name.s, ex[j].name.len);
    const wk_comp_type_hash *h = hash_find(d, key);
    if (!h || h->hash != wk_ctypes_func_hash_memo(g, ex[j].id, scope, nscope, &memo)) return 0;
  }
  return 1;
}

/* The host instance's export closest to the first export of the imported instance it lacks (a
 * misspelled function: `get-random-u64z` -> `get-random-u64`), into buf; NULL when none. */
static const char *closest_export(const wk_ctypes *hg, const wk_ctent *have, const wk_ctypes *g, const wk_ctent *im,
                                  char *buf, size_t n) {
  if (have->id >= hg->nt || im->id >= g->nt || hg->t[have->id].kind != WK_CT_INST || g->t[im->id].kind != WK_CT_INST)
    return NULL;
  const wk_ctnode *h = &hg->t[have->id], *w = &g->t[im->id];
  char want[201], cand[201];
  for (uint32_t j = 0; j < w->nex; j++) {
    uint32_t k = 0, wl = w->ex[j].name.len;
    while (k < h->nex && !(h->ex[k].name.len == wl && !memcmp(h->ex[k].name.s, w->ex[j].name.s, wl))) k++;
    if (k < h->nex) continue;
    if (wl > 200) return NULL;
    snprintf(want, sizeof want, "%.*s", (int)wl, w->ex[j].name.s);
    size_t bd = (size_t)-1;
    for (k = 0; k < h->nex; k++) {
      if (h->ex[k].name.len > 200) continue;
      snprintf(cand, sizeof cand, "%.*s", (int)h->ex[k].name.len, h->ex[k].name.s);
      size_t d = edit_distance(want, cand);
      if (d < bd) bd = d, snprintf(buf, n, "%s", cand);
    }
    return plausible(bd, want) ? buf : NULL;
  }
  return NULL;
}

/* Type-check the component's imports against the host definitions' declared
 * WIT types (Explainer.md "Subtyping": what the host provides must be a
 * subtype of what the import expects), with lib/encode's one rule
 * (wk_ctypes_subtype). Imports the host does not declare, or does not define,
 * are left to the name checks of instantiation. With fingerprints
 * (declare_types' hashes) equal functions are accepted without decoding the
 * declaration; any difference goes through wk_ctypes_subtype, which decides
 * and says what differs. */
/* The offset of the component's top-level import named `name` (its importdecl, Binary.md
 * "Import and Export Definitions"), for errors; 0 when absent. */
static size_t import_offset(const wk_component *m, const wk_cstr *name) {
  for (uint32_t si = 0; si < m->nsections; si++) {
    const wk_csection *sec = &m->sections[si];
    if (sec->id != WK_CSEC_IMPORT) continue;
    for (uint32_t i = 0; i < sec->count; i++) {
      const wk_cstr *n = &sec->u.imports[i].name.name;
      if (n->len == name->len && !memcmp(n->s, name->s, n->len)) return sec->u.imports[i].offset;
    }
  }
  return 0;
}

static int check_declared(wk_comp_linker *l, const wk_comp *c, wk_error *err) {
  if (!l->ndecl) return WK_OK;
  const wk_ctypes *g = c->types;
  int rc = WK_OK;
  const wk_ctnode *root = &g->t[g->root];
  char name[512], why[512];
  for (uint32_t i = 0; i < root->nim && !rc; i++) {
    const wk_ctent *im = &root->im[i];
    if ((im->kind != WK_CSORT_INSTANCE && im->kind != WK_CSORT_FUNC) || im->name.len >= sizeof name) continue;
    memcpy(name, im->name.s, im->name.len); /* (a valid name has no NUL) */
    name[im->name.len] = 0;
    const char *got = im->kind == WK_CSORT_INSTANCE ? match_iface(l, name) : name;
    if (!got) continue;
    for (size_t k = l->ndecl; k-- > 0;) { /* later declarations win, as definitions do */
      hdecl *d = &l->decl[k];
      if (d->hashes) {
        int f = decl_fast(d, g, im, got, root);
        if (f < 0) continue;
        if (f > 0) break;
        if ((rc = decl_decode(d, err))) break;
      }
      const wk_ctent *have = decl_item(d, got, im->kind);
      if (!have) continue;
      if (!wk_ctypes_subtype(d->g, im->kind, have->id, g, im->id, why, sizeof why)) {
        char cl[208];
        const char *c1 = im->kind == WK_CSORT_INSTANCE ? closest_export(d->g, have, g, im, cl, sizeof cl) : NULL;
        size_t off = import_offset(c->model, &im->name); /* the error names where, as do_import's */
        if (im->kind == WK_CSORT_INSTANCE)
          rc = wk_error_at(err, WK_ERR_LINK, off, "import `%s`: the host's `%s` has another type: %s%s%s%s", name, got,
                           why, c1 ? "; closest: `" : "", c1 ? c1 : "", c1 ? "`" : "");
        else
          rc = wk_error_at(err, WK_ERR_LINK, off, "import `%s`: the host's function has another type: %s", name, why);
      }
      break;
    }
  }
  return rc;
}

int wk_comp_instantiate(wk_comp_linker *l, wk_store *s, const wk_comp *c, wk_comp_inst **out, wk_trap **trap,
                        wk_error *err) {
  *out = NULL;
  *trap = NULL;
  if (!l || !s || !c) return wk_error_set(err, WK_ERR_USAGE, "wk_comp_instantiate: missing argument");
  int crc = check_declared(l, c, err);
  if (crc) return crc;
  wk_comp_inst *inst = calloc(1, sizeof *inst);
  if (!inst) return nomem(err);
  inst->s = s;
  inst->c = c;
  inst->l = l;
  inst->root = new_scope(inst, NULL, NULL, 0);
  if (!inst->root) {
    free(inst);
    return nomem(err);
  }
  int rc = run_component(inst->root, c->model, trap, err);
  if (rc == WK_ERR_TRAP && *trap) wk_error_set(err, WK_ERR_TRAP, "%s", wk_trap_message(*trap));
  if (!rc) rc = list_funcs(inst, err);
  inst->l = NULL;
  if (rc) {
    wk_comp_inst_free(inst);
    return rc;
  }
  *out = inst;
  return WK_OK;
}

void wk_comp_inst_free(wk_comp_inst *inst) {
  if (!inst) return;
  scope *sc = inst->all;
  while (sc) {
    scope *nx = sc->next_all;
    free_scope(sc);
    sc = nx;
  }
  wk_arena_free(&inst->arena);
  free(inst);
}

/* ------------------------------------------------------------------ */
/* exports and calls */

int wk_comp_inst_func(wk_comp_inst *inst, const char *name, wk_comp_func **out, wk_error *err) {
  *out = NULL;
  if (!inst || !name) return wk_error_set(err, WK_ERR_USAGE, "missing argument");
  for (size_t i = 0; i < inst->nf; i++)
    if (!strcmp(inst->fnames[i], name)) {
      *out = inst->ffuncs[i];
      return WK_OK;
    }
  /* "ns:pkg/iface#f" without a version matches "ns:pkg/iface@v#f" */
  const char *hash = strchr(name, '#');
  if (hash && !memchr(name, '@', (size_t)(hash - name))) {
    size_t base = (size_t)(hash - name);
    for (size_t i = 0; i < inst->nf; i++) {
      const char *fn = inst->fnames[i];
      const char *h2 = strrchr(fn, '#');
      if (!strncmp(fn, name, base) && fn[base] == '@' && h2 && !strcmp(h2, hash)) {
        *out = inst->ffuncs[i];
        return WK_OK;
      }
    }
  }
  return wk_error_set(err, WK_ERR_USAGE, "no exported function `%s`", name);
}

size_t wk_comp_inst_func_count(const wk_comp_inst *inst) { return inst ? inst->nf : 0; }
const char *wk_comp_inst_func_name(const wk_comp_inst *inst, size_t i) {
  return inst && i < inst->nf ? inst->fnames[i] : NULL;
}

/* A user's name for an exported function, split (wk_comp_inst_find_func's forms): the interface
 * (NULL for a bare name) without its version, the version (NULL when none) and the function. */
typedef struct func_ref {
  const char *iface, *ver, *fn;
  size_t ifl, vl, fnl;
} func_ref;

/* "ns:pkg/iface@1.2.3" (n bytes) -> the length before '@', *ver / *vlen the version (NULL, 0: none) */
static size_t iface_split(const char *s, size_t n, const char **ver, size_t *vlen) {
  const char *at = memchr(s, '@', n);
  *ver = at ? at + 1 : NULL;
  *vlen = at ? n - (size_t)(at + 1 - s) : 0;
  return at ? (size_t)(at - s) : n;
}

static func_ref func_ref_of(const char *name, size_t len) {
  func_ref r = {NULL, NULL, name, 0, 0, len};
  const char *hash = memchr(name, '#', len), *dot = NULL;
  if (!hash)
    for (size_t i = 0; i < len && name[i] != '@'; i++) /* (the version has dots too) */
      if (name[i] == '.') { dot = name + i; break; }
  const char *sep = hash ? hash : dot;
  if (!sep) return r;
  r.fn = sep + 1;
  r.fnl = len - (size_t)(r.fn - name);
  r.iface = name;
  r.ifl = (size_t)(sep - name);
  if (dot) { /* ItemName: iface.f@v */
    const char *at = memchr(r.fn, '@', r.fnl);
    if (at) r.ver = at + 1, r.vl = r.fnl - (size_t)(at + 1 - r.fn), r.fnl = (size_t)(at - r.fn);
  } else
    r.ifl = iface_split(name, r.ifl, &r.ver, &r.vl);
  return r;
}

/* Does exported function name e match r? (*ev / *evl: e's interface version) */
static int func_ref_is(const func_ref *r, const char *e, const char **ev, size_t *evl) {
  const char *eh = strrchr(e, '#');
  *ev = NULL, *evl = 0;
  if (!eh || strlen(eh + 1) != r->fnl || memcmp(eh + 1, r->fn, r->fnl)) return 0;
  if (!r->iface) return 1;
  size_t eb = iface_split(e, (size_t)(eh - e), ev, evl);
  if (eb != r->ifl || memcmp(e, r->iface, r->ifl)) return 0;
  if (!r->ver) return 1;
  if (!*ev) return 0;
  return wk_semver_compatible(r->ver, r->vl, *ev, *evl, 0); /* the Linker's rule, as match_iface_ix */
}

size_t wk_comp_inst_find_func(const wk_comp_inst *inst, const char *name, size_t len, size_t *idx) {
  size_t n = wk_comp_inst_func_count(inst), found = 0;
  func_ref r = func_ref_of(name, len);
  const char *bv = NULL;
  size_t bvl = 0;
  for (size_t i = 0; i < n; i++) { /* a bare name: a root function first */
    const char *e = inst->fnames[i];
    if (!r.iface && !strncmp(e, name, len) && !e[len]) return *idx = i, 1;
  }
  for (size_t i = 0; i < n; i++) {
    const char *e = inst->fnames[i], *ev;
    size_t evl;
    if (!func_ref_is(&r, e, &ev, &evl)) continue;
    if (!r.ver) { /* every match counts: more than one is ambiguous */
      if (!found++) *idx = i;
      continue;
    }
    if (evl == r.vl && !memcmp(ev, r.ver, r.vl)) return *idx = i, 1; /* exactly that version */
    if (found && wk_semver_cmp(ev, evl, bv, bvl) <= 0) continue; /* the highest compatible version wins */
    *idx = i, bv = ev, bvl = evl, found = 1;
  }
  return found;
}

int wk_comp_inst_func_is(const wk_comp_inst *inst, size_t i, const char *name, size_t len) {
  const char *e = wk_comp_inst_func_name(inst, i), *ev;
  size_t evl;
  if (!e) return 0;
  func_ref r = func_ref_of(name, len);
  if (!r.iface && !strncmp(e, name, len) && !e[len]) return 1;
  return func_ref_is(&r, e, &ev, &evl);
}
const wk_comp_functype *wk_comp_func_type(const wk_comp_func *f) { return f ? f->f->ft : NULL; }

/* Deep copy of a lifted value into `arena` (the callee's memory is released by post-return). */
static int cval_copy(wk_arena *a, const wk_cval *src, wk_cval *dst, int depth) {
  *dst = *src;
  if (depth > WK_CABI_MAX_DEPTH + 2) return WK_ERR_NOMEM;
  switch (src->kind) {
  case WK_CABI_STRING:
    if (src->of.str.len) {
      char *p = wk_arena_alloc(a, src->of.str.len);
      if (!p) return WK_ERR_NOMEM;
      memcpy(p, src->of.str.ptr, src->of.str.len);
      dst->of.str.ptr = p;
    }
    return WK_OK;
  case WK_CABI_LIST:
  case WK_CABI_RECORD:
  case WK_CABI_TUPLE:
  case WK_CABI_MAP:
    if (src->of.seq.n) {
      wk_cval *it = wk_arena_alloc(a, sizeof *it * src->of.seq.n);
      if (!it) return WK_ERR_NOMEM;
      for (uint32_t i = 0; i < src->of.seq.n; i++)
        if (cval_copy(a, &src->of.seq.items[i], &it[i], depth + 1)) return WK_ERR_NOMEM;
      dst->of.seq.items = it;
    }
    return WK_OK;
  case WK_CABI_VARIANT:
  case WK_CABI_ENUM:
  case WK_CABI_OPTION:
  case WK_CABI_RESULT:
    if (src->of.var.payload) {
      wk_cval *p = wk_arena_alloc(a, sizeof *p);
      if (!p || cval_copy(a, src->of.var.payload, p, depth + 1)) return WK_ERR_NOMEM;
      dst->of.var.payload = p;
    }
    return WK_OK;
  case WK_CABI_FLAGS:
    if (src->of.flags.n) {
      uint32_t *w = wk_arena_alloc(a, 4 * src->of.flags.n);
      if (!w) return WK_ERR_NOMEM;
      memcpy(w, src->of.flags.words, 4 * src->of.flags.n);
      dst->of.flags.words = w;
    }
    return WK_OK;
  default: return WK_OK;
  }
}

typedef struct copy_env {
  wk_arena *arena;
  wk_cval *out;
} copy_env;

static int copy_result(void *env, const wk_cval *res, wk_trap **trap) {
  copy_env *ce = env;
  if (!res) return WK_OK;
  if (cval_copy(ce->arena, res, ce->out, 0)) {
    *trap = mktrap("out of memory");
    return WK_ERR_TRAP;
  }
  return WK_OK;
}

int wk_comp_func_call(wk_store *s, wk_comp_func *f, const wk_cval *args, uint32_t nargs, wk_arena *arena,
                      wk_cval *result, wk_trap **trap, wk_error *err) {
  *trap = NULL;
  if (!f || !arena || !result) return wk_error_set(err, WK_ERR_USAGE, "missing argument");
  const wk_comp_functype *ft = f->f->ft;
  if (nargs != ft->nparams)
    return wk_error_set(err, WK_ERR_USAGE, "expected %u argument(s), got %u", ft->nparams, nargs);
  memset(result, 0, sizeof *result);
  int rc;
  if (f->f->kind == F_LIFT) {
    copy_env ce = {arena, result};
    rc = call_lifted(f->top, f->f, NULL, args, copy_result, &ce, trap);
  } else {
    rc = call_host(f->top, f->f, NULL, args, arena, result, trap);
  }
  if (rc == WK_ERR_TRAP) return wk_error_set(err, WK_ERR_TRAP, "%s", *trap ? wk_trap_message(*trap) : "trap");
  return rc;
}

/* ------------------------------------------------------------------ */
/* inside a host call */

wk_arena *wk_comp_ctx_arena(wk_comp_ctx *ctx) { return ctx->arena; }
wk_store *wk_comp_ctx_store(wk_comp_ctx *ctx) { return ctx->top->s; }
int wk_comp_ctx_trap(wk_comp_ctx *ctx, const char *msg) {
  if (!ctx->failed) {
    ctx->failed = 1;
    snprintf(ctx->msg, sizeof ctx->msg, "%s", msg ? msg : "host trap");
  }
  return WK_ERR_TRAP;
}
int wk_comp_ctx_exit(wk_comp_ctx *ctx, int status) {
  if (!ctx->failed) {
    ctx->failed = 1;
    ctx->exited = 1;
    ctx->status = status;
    snprintf(ctx->msg, sizeof ctx->msg, "exit");
  }
  return WK_ERR_TRAP;
}
wk_cabi_instance *wk_comp_ctx_caller_inst(wk_comp_ctx *ctx) { return ctx->caller ? &ctx->caller->cabi : NULL; }
