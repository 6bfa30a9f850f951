/* lib/compose: encode a composition graph as one component, through the
 * lib/encode component builder (encode/cbuild.h), which fills a model for
 * the one component encoder.
 *
 * Layout of the result, in this order:
 *   imports of the result: for each, its type re-encoded from the type graphs
 *     of the components that need it (an instance type declares its types,
 *     and reaches the types of earlier imports with `alias outer`, as
 *     wit-component writes them; instance imports shared by several
 *     components get the union of their exports), the import, then an
 *     `alias export` for every type the imported instance exports (so later
 *     imports can name them: the `use`s of WIT);
 *   the instantiated components, embedded whole (their decoded models);
 *   the instances in dependency order: for each argument taken from another
 *   instance an `alias export`, then `instantiate` with `with` arguments;
 *   the exports (`alias export` + `export`);
 *   `component-name` (components and instances) and `producers` sections. */
#include <stdlib.h>
#include <string.h>

#include "compose/compose.h"
#include "compose/internal.h"
#include "encode/cbuild.h"
#include "encode/ctcodes.h"

#define MAXD 32

typedef struct tmap {
  const wk_ctypes *g;
  uint32_t id, idx;
} tmap;

/* A type scope: 0 is the composed component (definitions go to the builder), deeper ones are
 * instance types being declared (their declarations collect here). */
typedef struct scope {
  wk_cdecl *decls;
  uint32_t ndecls, cap, ntypes;
  tmap *map;
  uint32_t nmap, mcap;
} scope;

typedef struct enc {
  wkc_graph *g;
  wk_cbuild *b;
  scope sc[MAXD];
  wk_error *err;
  int rc;
} enc;

static int fail(enc *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(enc *e, int code, const char *fmt, ...) {
  if (e->rc) return e->rc;
  va_list ap;
  va_start(ap, fmt);
  char m[512];
  vsnprintf(m, sizeof m, fmt, ap);
  va_end(ap);
  wk_error_set(e->err, code, "%s", m);
  e->rc = code;
  return code;
}

static void map_add(enc *e, int d, const wk_ctypes *g, uint32_t id, uint32_t idx) {
  scope *s = &e->sc[d];
  if (s->nmap == s->mcap) {
    uint32_t nc = s->mcap ? s->mcap * 2 : 64;
    tmap *m = wk_reallocarray(s->map, nc, sizeof *m);
    if (!m) { fail(e, WK_ERR_NOMEM, "out of memory"); return; }
    s->map = m;
    s->mcap = nc;
  }
  s->map[s->nmap++] = (tmap){g, id, idx};
}

static uint32_t map_get(const scope *s, const wk_ctypes *g, uint32_t id) {
  for (uint32_t i = s->nmap; i-- > 0;)
    if (s->map[i].g == g && s->map[i].id == id) return s->map[i].idx;
  return WKC_NONE;
}

/* Map `id` and every node its alias chain reaches. */
static void map_chain(enc *e, int d, const wk_ctypes *g, uint32_t id, uint32_t idx) {
  for (int k = 0; k < 64 && id < g->nt; k++) {
    map_add(e, d, g, id, idx);
    uint32_t p = wk_ctypes_peel(g, id);
    if (p == id) break;
    id = p;
  }
}

static wk_cdecl *push_decl(enc *e, int d) {
  scope *s = &e->sc[d];
  if (s->ndecls == s->cap) {
    uint32_t nc = s->cap ? s->cap * 2 : 16;
    wk_cdecl *n = wk_reallocarray(s->decls, nc, sizeof *n);
    if (!n) { fail(e, WK_ERR_NOMEM, "out of memory"); return NULL; }
    s->decls = n;
    s->cap = nc;
  }
  wk_cdecl *x = &s->decls[s->ndecls++];
  memset(x, 0, sizeof *x);
  return x;
}

/* A new type index in scope d, defined by `t` (copied one level; its arrays come from the builder). */
static uint32_t def_type(enc *e, int d, const wk_ctype *t) {
  if (d == 0) {
    uint32_t r = wk_cb_type(e->b, t);
    e->sc[0].ntypes = wk_cb_count(e->b, WK_CB_TYPE);
    return r;
  }
  wk_ctype *copy = wk_cb_alloc(e->b, sizeof *copy);
  wk_cdecl *x = push_decl(e, d);
  if (!copy || !x) { fail(e, WK_ERR_NOMEM, "out of memory"); return 0; }
  *copy = *t;
  x->kind = WK_CDECL_TYPE;
  x->type = copy;
  return e->sc[d].ntypes++;
}

/* Index of node `id` in scope d, if an enclosing scope has it (an `alias outer`
 * brings it into d). WKC_NONE otherwise. */
static uint32_t find(enc *e, int d, const wk_ctypes *g, uint32_t id) {
  for (int lv = d; lv >= 0; lv--) {
    uint32_t q = id;
    for (int k = 0; k < 64 && q < g->nt; k++) {
      uint32_t idx = map_get(&e->sc[lv], g, q);
      if (idx != WKC_NONE) {
        if (lv == d) return idx;
        /* Explainer.md "Alias Definitions": (alias outer (d - lv) idx (type)) */
        wk_cdecl *x = push_decl(e, d);
        if (!x) return 0;
        x->kind = WK_CDECL_ALIAS;
        x->alias.sort.sort = WK_CSORT_TYPE;
        x->alias.target = WK_CALIAS_OUTER;
        x->alias.inst = (uint32_t)(d - lv);
        x->alias.idx = idx;
        uint32_t ni = e->sc[d].ntypes++;
        map_add(e, d, g, id, ni);
        return ni;
      }
      uint32_t p = wk_ctypes_peel(g, q);
      if (p == q) break;
      q = p;
    }
  }
  return WKC_NONE;
}

static uint32_t tidx(enc *e, int d, const wk_ctypes *g, uint32_t id, int depth);

static wk_cvaltype vt(enc *e, int d, const wk_ctypes *g, wk_ctval v, int depth) {
  wk_cvaltype r = {0, 0};
  if (v.prim) r.prim = v.prim;
  else r.idx = tidx(e, d, g, v.id, depth + 1);
  return r;
}

static wk_cstr cstr_copy(enc *e, wk_cstr s) { return wk_cb_strn(e->b, s.s, s.len); }

typedef struct iview {
  const wk_ctypes *g;
  uint32_t id;
} iview;
static uint32_t inst_type_multi(enc *e, int d, const iview *v, uint32_t nv, int depth);

/* The type index of node `id` in scope d: found in scope (or an enclosing
 * one), else defined in d. */
static uint32_t tidx(enc *e, int d, const wk_ctypes *g, uint32_t id, int depth) {
  if (e->rc) return 0;
  if (depth > 200 || id >= g->nt) { fail(e, WK_ERR_UNSUPPORTED, "type nesting too deep"); return 0; }
  uint32_t f = find(e, d, g, id);
  if (f != WKC_NONE) return f;
  const wk_ctnode *t = &g->t[id];
  uint32_t p = wk_ctypes_peel(g, id);
  if (p != id) {
    uint32_t r = tidx(e, d, g, p, depth + 1);
    map_add(e, d, g, id, r);
    return r;
  }
  wk_ctype ty;
  memset(&ty, 0, sizeof ty);
  uint32_t r = 0;
  switch (t->kind) {
    case WK_CT_RES:
      fail(e, WK_ERR_UNSUPPORTED, "a resource type used by an import is not exported by any import before it");
      return 0;
    case WK_CT_INST: {
      iview v = {g, id};
      r = inst_type_multi(e, d, &v, 1, depth);
      if (!e->rc) map_add(e, d, g, id, r);
      return r;
    }
    case WK_CT_FUNC:
      ty.code = WK_CTC_FUNC;
      ty.n = t->n;
      ty.fields = wk_cb_alloc(e->b, (t->n ? t->n : 1) * sizeof(wk_cfield));
      if (!ty.fields) { fail(e, WK_ERR_NOMEM, "out of memory"); return 0; }
      for (uint32_t i = 0; i < t->n; i++) {
        ty.fields[i].name = cstr_copy(e, t->labels[i]);
        ty.fields[i].has_type = 1;
        ty.fields[i].type = vt(e, d, g, t->elems[i], depth);
      }
      if (t->has_a) ty.a = vt(e, d, g, t->a, depth);
      else ty.results_none = 1; /* 0x01 0x00: no result */
      break;
    case WK_CT_DEF:
      ty.code = t->code;
      switch (t->code) {
        case WK_CTC_RECORD: case WK_CTC_VARIANT: case WK_CTC_TUPLE: case WK_CTC_FLAGS: case WK_CTC_ENUM:
          ty.n = t->n;
          ty.fields = wk_cb_alloc(e->b, (t->n ? t->n : 1) * sizeof(wk_cfield));
          if (!ty.fields) { fail(e, WK_ERR_NOMEM, "out of memory"); return 0; }
          for (uint32_t i = 0; i < t->n; i++) {
            wk_cfield *fl = &ty.fields[i];
            if (t->code != WK_CTC_TUPLE) fl->name = cstr_copy(e, t->labels[i]);
            if (t->code == WK_CTC_FLAGS || t->code == WK_CTC_ENUM) continue;
            fl->has_type = t->code == WK_CTC_VARIANT ? t->has[i] : 1;
            if (fl->has_type) fl->type = vt(e, d, g, t->elems[i], depth);
          }
          break;
        case WK_CTC_LIST: case WK_CTC_OPTION: ty.a = vt(e, d, g, t->a, depth); break;
        case WK_CTC_FIXED_LIST: ty.a = vt(e, d, g, t->a, depth); ty.idx = t->res; break; /* res: the length */
        case WK_CTC_MAP:
          ty.has_a = ty.has_b = 1;
          ty.a = vt(e, d, g, t->a, depth);
          ty.b = vt(e, d, g, t->b, depth);
          break;
        case WK_CTC_RESULT:
          ty.has_a = t->has_a;
          ty.has_b = t->has_b;
          if (t->has_a) ty.a = vt(e, d, g, t->a, depth);
          if (t->has_b) ty.b = vt(e, d, g, t->b, depth);
          break;
        case WK_CTC_OWN: case WK_CTC_BORROW: ty.idx = tidx(e, d, g, t->res, depth + 1); break;
        default:
          if (!wk_ct_is_prim(t->code)) {
            fail(e, WK_ERR_UNSUPPORTED, "cannot re-encode a %s type", wkc_prim_name(t->code));
            return 0;
          }
      }
      break;
    default:
      fail(e, WK_ERR_UNSUPPORTED, "cannot re-encode a component or core type in an import");
      return 0;
  }
  if (e->rc) return 0;
  r = def_type(e, d, &ty);
  map_add(e, d, g, id, r);
  return r;
}

static int ent_named(const wk_ctnode *t, wk_cstr name) {
  for (uint32_t i = 0; i < t->nex; i++)
    if (t->ex[i].name.len == name.len && !memcmp(t->ex[i].name.s, name.s, name.len)) return (int)i;
  return -1;
}

/* An export declaration in scope d: (export "name" ext). */
static void decl_export(enc *e, int d, wk_cstr name, wk_cextern ext) {
  wk_cdecl *x = push_decl(e, d);
  if (!x) return;
  x->kind = WK_CDECL_EXPORT;
  x->name.disc = WK_CNA_PLAIN;
  x->name.name = cstr_copy(e, name);
  x->ext = ext;
}

/* An instance type (0x42) defined in scope d: the union of the exports of the
 * views (wasm-tools compose / wac merge instance imports that several
 * components share); the first view that has an export gives its type, the
 * same-named type exports of the others are identified with it. */
static uint32_t inst_type_multi(enc *e, int d, const iview *v, uint32_t nv, int depth) {
  if (d + 1 >= MAXD) { fail(e, WK_ERR_UNSUPPORTED, "instance types nested too deep"); return 0; }
  int s = d + 1;
  scope *sc = &e->sc[s];
  sc->ndecls = sc->ntypes = sc->nmap = 0;
  for (uint32_t u = 0; u < nv && !e->rc; u++) {
    const wk_ctypes *g = v[u].g;
    const wk_ctnode *t = &g->t[v[u].id];
    for (uint32_t i = 0; i < t->nex && !e->rc; i++) {
      const wk_ctent *x = &t->ex[i];
      int seen = 0;
      for (uint32_t w = 0; w < u && !seen; w++) seen = ent_named(&v[w].g->t[v[w].id], x->name) >= 0;
      if (seen) continue;
      switch (x->kind) {
        case 3: {
          /* a resource nobody in scope defines is this instance's own: (sub resource) */
          uint32_t base = wkc_peel_all(g, x->id);
          uint32_t f = find(e, s, g, x->id);
          int fresh = g->t[base].kind == WK_CT_RES && f == WKC_NONE;
          wk_cextern ext = {.kind = WK_CSORT_TYPE, .bound = fresh ? WK_CBOUND_SUB_RESOURCE : WK_CBOUND_EQ};
          if (!fresh) ext.idx = f != WKC_NONE ? f : tidx(e, s, g, base, depth + 1);
          if (e->rc) break;
          decl_export(e, s, x->name, ext);
          uint32_t k = sc->ntypes++;
          if (fresh) map_chain(e, s, g, x->id, k);
          else map_add(e, s, g, x->id, k);
          for (uint32_t w = u + 1; w < nv; w++) {
            const wk_ctnode *o = &v[w].g->t[v[w].id];
            int j = ent_named(o, x->name);
            if (j >= 0 && o->ex[j].kind == 3) map_chain(e, s, v[w].g, o->ex[j].id, k);
          }
          break;
        }
        case 1: case 5: {
          wk_cextern ext = {.kind = x->kind};
          ext.idx = tidx(e, s, g, x->id, depth + 1);
          if (!e->rc) decl_export(e, s, x->name, ext);
          break;
        }
        default:
          fail(e, WK_ERR_UNSUPPORTED, "cannot re-encode an instance exporting a %s",
               x->kind == 4 ? "component" : x->kind == 0 ? "core module" : "value");
      }
    }
  }
  if (e->rc) return 0;
  wk_ctype ty;
  memset(&ty, 0, sizeof ty);
  ty.code = WK_CTC_INSTANCE;
  ty.ndecls = sc->ndecls;
  ty.decls = wk_cb_alloc(e->b, (sc->ndecls ? sc->ndecls : 1) * sizeof(wk_cdecl));
  if (!ty.decls) { fail(e, WK_ERR_NOMEM, "out of memory"); return 0; }
  if (sc->ndecls) memcpy(ty.decls, sc->decls, sc->ndecls * sizeof(wk_cdecl));
  return def_type(e, d, &ty);
}

/* ---- the result ---- */

static int cb_sort(uint8_t kind) { return kind == 0 ? WK_CB_CORE_MODULE : kind; }

/* alias export `name` of outer instance `inst` as a `kind` item; returns its index */
static uint32_t alias_export(enc *e, uint8_t kind, uint32_t inst, wk_cstr name) {
  if (kind == 0 || kind == 2) { fail(e, WK_ERR_UNSUPPORTED, "cannot alias a core module or value export"); return 0; }
  char buf[1024];
  if (name.len >= sizeof buf) { fail(e, WK_ERR_UNSUPPORTED, "export name too long"); return 0; }
  memcpy(buf, name.s, name.len);
  buf[name.len] = 0;
  uint32_t r = wk_cb_alias_export(e->b, inst, buf, cb_sort(kind));
  e->sc[0].ntypes = wk_cb_count(e->b, WK_CB_TYPE);
  return r;
}

static int topo(wkc_graph *g, uint32_t i, uint8_t *st, uint32_t *order, uint32_t *n, uint32_t *path, uint32_t depth,
                wk_error *err) {
  if (st[i] == 2) return WK_OK;
  if (st[i] == 1) {
    wk_buf b = {0};
    uint32_t from = 0;
    while (from < depth && path[from] != i) from++;
    for (uint32_t k = from; k < depth; k++) wk_buf_printf(&b, "%s -> ", g->insts[path[k]].name);
    wk_buf_printf(&b, "%s", g->insts[i].name);
    wk_buf_byte(&b, 0);
    wk_error_set(err, WK_ERR_LINK, "instantiation cycle: %s", b.data ? (char *)b.data : "?");
    wk_buf_free(&b);
    return err->code;
  }
  st[i] = 1;
  path[depth] = i;
  uint32_t nim;
  wkc_imports(g, g->insts[i].comp, &nim);
  for (uint32_t k = 0; k < nim; k++)
    if ((g->insts[i].args[k].kind == WKC_SRC_EXPORT || g->insts[i].args[k].kind == WKC_SRC_INSTANCE) &&
        topo(g, g->insts[i].args[k].inst, st, order, n, path, depth + 1, err))
      return err->code;
  st[i] = 2;
  order[(*n)++] = i;
  return WK_OK;
}

/* Depth-first: an outer import comes after the outer imports that its users
 * import before it (back edges of a cycle are ignored: creation order then). */
static void import_order(wkc_graph *g, uint32_t o, uint8_t *st, uint32_t *order, uint32_t *n, int depth) {
  if (st[o] || depth > 1000) return;
  st[o] = 1;
  for (uint32_t i = 0; i < g->ninsts; i++) {
    uint32_t nim;
    wkc_imports(g, g->insts[i].comp, &nim);
    for (uint32_t k = 0; k < nim; k++) {
      if (g->insts[i].args[k].kind != WKC_SRC_IMPORT || g->insts[i].args[k].outer != o) continue;
      for (uint32_t j = 0; j < k; j++)
        if (g->insts[i].args[j].kind == WKC_SRC_IMPORT) import_order(g, g->insts[i].args[j].outer, st, order, n, depth + 1);
    }
  }
  st[o] = 2;
  order[(*n)++] = o;
}

/* The instance-type views of every user of outer import o (the donor first). */
static uint32_t views_of(wkc_graph *g, uint32_t o, iview *views, int all) {
  wkc_outer *w = &g->imps[o];
  uint32_t nv = 0, nim;
  (void)nim;
  views[nv++] = (iview){g->comps[w->comp].t, w->ent->id};
  if (w->fixed && !all) return nv;
  for (uint32_t i = 0; i < g->ninsts; i++) {
    uint32_t ni;
    const wk_ctent *ii = wkc_imports(g, g->insts[i].comp, &ni);
    for (uint32_t k = 0; k < ni; k++)
      if (g->insts[i].args[k].kind == WKC_SRC_IMPORT && g->insts[i].args[k].outer == o &&
          &ii[k] != w->ent && ii[k].kind == 5)
        views[nv++] = (iview){g->comps[g->insts[i].comp].t, ii[k].id};
  }
  return nv;
}

static int emit_imports(enc *e, uint32_t *oimp) {
  wkc_graph *g = e->g;
  uint32_t *oorder = wk_calloc(g->nimps + 1, sizeof(uint32_t));
  uint8_t *ost = wk_calloc(g->nimps + 1, 1);
  iview *views = wk_calloc(g->ninsts * 4 + 1, sizeof(iview));
  if (!oorder || !ost || !views) { free(oorder); free(ost); free(views); return fail(e, WK_ERR_NOMEM, "out of memory"); }
  uint32_t no = 0;
  for (uint32_t o = 0; o < g->nimps; o++) import_order(g, o, ost, oorder, &no, 0);
  for (uint32_t oi = 0; oi < no && !e->rc; oi++) {
    uint32_t o = oorder[oi];
    wkc_outer *w = &g->imps[o];
    const wk_ctypes *tg = g->comps[w->comp].t;
    uint32_t nim;
    const wk_ctent *x = w->ent;
    (void)nim;
    wk_cextern ext = {.kind = x->kind};
    if (x->kind == 3) {
      uint32_t base = wkc_peel_all(tg, x->id);
      if (tg->t[base].kind == WK_CT_RES && find(e, 0, tg, x->id) == WKC_NONE) ext.bound = 1;
      else ext.idx = tidx(e, 0, tg, base, 0);
    } else if (x->kind == 5) {
      uint32_t nv = views_of(g, o, views, 0);
      ext.idx = inst_type_multi(e, 0, views, nv, 0);
    } else if (x->kind == 1) {
      ext.idx = tidx(e, 0, tg, x->id, 0);
    } else {
      fail(e, WK_ERR_UNSUPPORTED, "import `%s`: importing a %s is not supported by the composer", w->name,
           x->kind == 4 ? "component" : x->kind == 0 ? "core module" : "value");
    }
    if (e->rc) break;
    oimp[o] = wk_cb_import(e->b, w->name, &ext);
    e->sc[0].ntypes = wk_cb_count(e->b, WK_CB_TYPE);
    if (x->kind == 3) {
      /* every instance that uses this import sees the same type */
      for (uint32_t i = 0; i < g->ninsts; i++) {
        uint32_t ni;
        const wk_ctent *ii = wkc_imports(g, g->insts[i].comp, &ni);
        for (uint32_t k = 0; k < ni; k++)
          if (g->insts[i].args[k].kind == WKC_SRC_IMPORT && g->insts[i].args[k].outer == o)
            map_chain(e, 0, g->comps[g->insts[i].comp].t, ii[k].id, oimp[o]);
      }
    } else if (x->kind == 5) {
      /* alias the instance's type exports, and let every user's view of them name these */
      uint32_t nv = views_of(g, o, views, 1);
      for (uint32_t vv = 0; vv < nv; vv++) {
        const wk_ctnode *it = &views[vv].g->t[views[vv].id];
        for (uint32_t j = 0; j < it->nex; j++) {
          if (it->ex[j].kind != 3) continue;
          int dup = 0;
          for (uint32_t w2 = 0; w2 < vv && !dup; w2++) dup = ent_named(&views[w2].g->t[views[w2].id], it->ex[j].name) >= 0;
          if (dup || (w->fixed && vv > 0)) continue; /* an explicit import has only its own exports */
          uint32_t ti = alias_export(e, 3, oimp[o], it->ex[j].name);
          for (uint32_t u = 0; u < nv; u++) {
            const wk_ctnode *ut = &views[u].g->t[views[u].id];
            int q = ent_named(ut, it->ex[j].name);
            if (q >= 0 && ut->ex[q].kind == 3) map_chain(e, 0, views[u].g, ut->ex[q].id, ti);
          }
        }
      }
    }
  }
  free(oorder);
  free(ost);
  free(views);
  return e->rc;
}

int wkc_encode(wkc_graph *g, const wkc_encode_opts *opts, wk_buf *out, wk_error *err) {
  wkc_encode_opts dflt = {0};
  if (!opts) opts = &dflt;
  /* open imports become imports of the result (one per name) */
  for (uint32_t i = 0; i < g->ninsts; i++) {
    uint32_t nim;
    const wk_ctent *im = wkc_imports(g, g->insts[i].comp, &nim);
    for (uint32_t k = 0; k < nim; k++) {
      if (g->insts[i].args[k].kind != WKC_SRC_OPEN) continue;
      if (opts->no_imports)
        return wk_error_set(err, WK_ERR_LINK, "import `%.*s` of `%s` (%s) is not satisfied and --no-imports is set",
                            WKC_S(im[k].name), g->insts[i].name, g->comps[g->insts[i].comp].label);
      char name[1024];
      snprintf(name, sizeof name, "%.*s", WKC_S(im[k].name));
      if (wkc_connect_import(g, i, k, name, err)) return err->code;
    }
  }
  uint32_t *order = wk_calloc(g->ninsts + 1, sizeof(uint32_t));
  uint32_t *path = wk_calloc(g->ninsts + 1, sizeof(uint32_t));
  uint32_t *oinst = wk_calloc(g->ninsts + 1, sizeof(uint32_t));
  uint32_t *ocomp = wk_calloc(g->ncomps + 1, sizeof(uint32_t));
  uint32_t *oimp = wk_calloc(g->nimps + 1, sizeof(uint32_t));
  uint8_t *st = wk_calloc(g->ninsts + 1, 1);
  wk_cb_item *args = NULL;
  enc e;
  memset(&e, 0, sizeof e);
  e.g = g;
  e.err = err;
  e.b = wk_cb_new();
  int rc = WK_OK;
  if (!order || !path || !oinst || !ocomp || !oimp || !st || !e.b) {
    rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    goto done;
  }
  /* type definitions first (wkc_set_type_defs): their indices are the result's */
  if (g->has_types) {
    const wk_component *tc = g->comps[g->types_comp].c;
    uint32_t n = 0;
    for (uint32_t i = 0; i < tc->nsections; i++) {
      const wk_csection *sec = &tc->sections[i];
      for (uint32_t k = 0; k < sec->count && (sec->id == 7 || sec->id == 11); k++) {
        uint32_t got;
        if (sec->id == 7) got = wk_cb_type(e.b, &sec->u.types[k]);
        else {
          char nm[512];
          snprintf(nm, sizeof nm, "%.*s", (int)sec->u.exports[k].name.name.len, sec->u.exports[k].name.name.s);
          got = wk_cb_export(e.b, nm, WK_CB_TYPE, sec->u.exports[k].idx, NULL);
        }
        if (got != n++) {
          rc = wk_error_set(err, WK_ERR_INVALID, "type definitions must come first");
          goto done;
        }
      }
    }
    e.sc[0].ntypes = wk_cb_count(e.b, WK_CB_TYPE);
  }
  uint32_t n = 0;
  for (uint32_t i = 0; i < g->ninsts && !rc; i++) rc = topo(g, i, st, order, &n, path, 0, err);
  if (rc) goto done;
  if ((rc = emit_imports(&e, oimp))) goto done;

  /* the components, embedded */
  for (uint32_t c = 0; c < g->ncomps; c++) ocomp[c] = WKC_NONE;
  for (uint32_t k = 0; k < n; k++) {
    uint32_t c = g->insts[order[k]].comp;
    if (ocomp[c] != WKC_NONE) continue;
    ocomp[c] = wk_cb_component_model(e.b, g->comps[c].c);
    if (g->comps[c].name) wk_cb_name(e.b, WK_CB_COMPONENT, ocomp[c], g->comps[c].name);
  }

  /* the instances */
  for (uint32_t k = 0; k < n && !e.rc; k++) {
    uint32_t i = order[k];
    wkc_inst *in = &g->insts[i];
    uint32_t nim;
    const wk_ctent *im = wkc_imports(g, in->comp, &nim);
    free(args);
    args = wk_calloc(nim + 1, sizeof(wk_cb_item));
    char **names = wk_calloc(nim + 1, sizeof(char *));
    if (!args || !names) { free(names); fail(&e, WK_ERR_NOMEM, "out of memory"); break; }
    for (uint32_t a = 0; a < nim && !e.rc; a++) {
      wkc_src *s = &in->args[a];
      names[a] = strndup(im[a].name.s, im[a].name.len);
      args[a].name = names[a];
      args[a].sort = cb_sort(im[a].kind);
      if (s->kind == WKC_SRC_EXPORT) {
        uint32_t nex;
        const wk_ctent *ex = wkc_exports(g, g->insts[s->inst].comp, &nex);
        args[a].idx = alias_export(&e, ex[s->idx].kind, oinst[s->inst], ex[s->idx].name);
      } else if (s->kind == WKC_SRC_INSTANCE) {
        args[a].idx = oinst[s->inst];
      } else if (s->kind == WKC_SRC_IMPORT_EXPORT) {
        uint32_t nex;
        const wk_ctent *ex = wkc_outer_exports(g, s->outer, &nex);
        args[a].idx = alias_export(&e, ex[s->idx].kind, oimp[s->outer], ex[s->idx].name);
      } else {
        args[a].idx = oimp[s->outer];
      }
    }
    if (!e.rc) {
      oinst[i] = wk_cb_instantiate(e.b, ocomp[in->comp], nim, args);
      wk_cb_name(e.b, WK_CB_INSTANCE, oinst[i], in->name);
    }
    for (uint32_t a = 0; a < nim; a++) free(names[a]);
    free(names);
  }

  /* the exports */
  for (uint32_t x = 0; x < g->nexps && !e.rc; x++) {
    wkc_exp *xp = &g->exps[x];
    if (xp->is_type == 2) continue; /* written with the definitions */
    if (xp->is_type) { /* a type exported again (wkc_export_type) */
      wk_cb_export(e.b, xp->name, WK_CB_TYPE, xp->idx, NULL);
      continue;
    }
    if (xp->outer != WKC_NONE) { /* an import of the result (or one of its exports), re-exported */
      wkc_outer *w = &g->imps[xp->outer];
      if (xp->idx == WKC_NONE) {
        wk_cb_export(e.b, xp->name, cb_sort(w->kind), oimp[xp->outer], NULL);
      } else {
        uint32_t nex;
        const wk_ctent *ex = wkc_outer_exports(g, xp->outer, &nex);
        uint32_t ai = alias_export(&e, ex[xp->idx].kind, oimp[xp->outer], ex[xp->idx].name);
        if (!e.rc) wk_cb_export(e.b, xp->name, cb_sort(ex[xp->idx].kind), ai, NULL);
      }
      continue;
    }
    if (xp->idx == WKC_NONE) { /* a whole instance */
      wk_cb_export(e.b, xp->name, WK_CB_INSTANCE, oinst[xp->inst], NULL);
      continue;
    }
    uint32_t nex;
    const wk_ctent *ex = wkc_exports(g, g->insts[xp->inst].comp, &nex);
    uint8_t kind = ex[xp->idx].kind;
    uint32_t ai = alias_export(&e, kind, oinst[xp->inst], ex[xp->idx].name);
    if (!e.rc) wk_cb_export(e.b, xp->name, cb_sort(kind), ai, NULL);
  }
  if (e.rc) { rc = e.rc; goto done; }
  /* producers (tool-conventions ProducersSection.md): processed-by wcompose */
  wk_cb_producer(e.b, "processed-by", "wcompose", opts->producer_version ? opts->producer_version : WK_VERSION);

  /* encode, then validate the result before handing it out. The core modules of the result are
   * the inputs' own, byte for byte (the builder copies a nested component's modules verbatim:
   * component_encode.c; composition makes no core module of its own), and wkc_add_component
   * validated each input in full (wk_ctypes_build, bodies included). A core module's validity
   * does not depend on where it is embedded (Core spec 3.5.15 "Modules": a module is valid
   * under the context of its own definitions), so the bodies cannot fail a second time: the
   * result is validated with WK_CVALIDATE_SHALLOW_CORE, which still checks everything the
   * component level uses of them (their imports, exports and types). For a 12 MB JS component
   * that halves wcompose's time. */
  {
    size_t start = out->len;
    if ((rc = wk_cb_encode(e.b, out, err))) goto done;
    wk_component *c = NULL;
    wk_error ve;
    wk_error_clear(&ve);
    if (wk_component_decode(out->data + start, out->len - start, &c, &ve) || wk_component_validate_ex(c, WK_CVALIDATE_SHALLOW_CORE, &ve)) {
      rc = wk_error_set(err, WK_ERR_INVALID, "the composed component does not validate (offset 0x%llx): %s",
                        (unsigned long long)ve.offset, ve.msg);
      out->len = start;
    }
    wk_component_free(c);
  }
done:
  for (int d = 0; d < MAXD; d++) {
    free(e.sc[d].decls);
    free(e.sc[d].map);
  }
  wk_cb_free(e.b);
  free(args);
  free(order);
  free(path);
  free(oinst);
  free(ocomp);
  free(oimp);
  free(st);
  return rc;
}
