/* lib/compose: encode a composition graph as one component (Binary.md).
 *
 * Layout of the result, in this order:
 *   imports of the result: for each, its type re-encoded from the type graph
 *     of the component that needs it (an instance type declares its types,
 *     and reaches the types of earlier imports with `alias outer`, as
 *     wit-component writes them), the import, then an `alias export` for
 *     every type the imported instance exports (so later imports can name
 *     them: the `use`s of WIT);
 *   the instantiated components, embedded whole (nested component sections);
 *   the instances in dependency order: for each argument taken from another
 *   instance an `alias export`, then `instantiate` with `with` arguments;
 *   the exports (`alias export` + `export`);
 *   `component-name` (components and instances) and `producers` sections.
 * Sections of the same kind that follow each other are merged. */
#include <stdlib.h>
#include <string.h>

#include "compose/compose.h"
#include "compose/internal.h"

#define MAXD 32

typedef struct tmap {
  const wk_ctypes *g;
  uint32_t id, idx;
} tmap;

typedef struct scope {
  wk_buf decls;
  uint32_t ndecls, ntypes;
  tmap *map;
  uint32_t nmap, cap;
} scope;

typedef struct enc {
  wkc_graph *g;
  wk_buf *out;
  wk_buf sec;
  int sec_id;
  uint32_t sec_count;
  scope sc[MAXD];
  int depth;
  uint32_t nfunc, ninst, ncomp; /* outer index spaces (types: sc[0].ntypes) */
  wk_error *err;
  int rc;
} enc;

static void flush(enc *e) {
  if (e->sec_id < 0) return;
  wk_buf cnt = {0};
  wk_buf_uleb(&cnt, e->sec_count);
  wk_buf_byte(e->out, (uint8_t)e->sec_id);
  wk_buf_uleb(e->out, cnt.len + e->sec.len);
  wk_buf_append(e->out, cnt.data, cnt.len);
  wk_buf_append(e->out, e->sec.data, e->sec.len);
  wk_buf_free(&cnt);
  e->sec.len = 0;
  e->sec_id = -1;
  e->sec_count = 0;
}

/* Start one item of vector section `id` at the outer level. */
static wk_buf *item(enc *e, int id) {
  if (e->sec_id != id) {
    flush(e);
    e->sec_id = id;
  }
  e->sec_count++;
  return &e->sec;
}

static void put_name(wk_buf *b, const char *s, size_t n) {
  wk_buf_uleb(b, n);
  wk_buf_append(b, s, n);
}

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
  if (s->nmap == s->cap) {
    uint32_t nc = s->cap ? s->cap * 2 : 64;
    tmap *m = wk_reallocarray(s->map, nc, sizeof *m);
    if (!m) { fail(e, WK_ERR_NOMEM, "out of memory"); return; }
    s->map = m;
    s->cap = nc;
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

/* A new type index in scope d, defined by `bytes` (a type definition). */
static uint32_t def_type(enc *e, int d, const wk_buf *bytes) {
  if (d == 0) {
    wk_buf *b = item(e, 7);
    wk_buf_append(b, bytes->data, bytes->len);
  } else {
    wk_buf_byte(&e->sc[d].decls, 0x01);
    wk_buf_append(&e->sc[d].decls, bytes->data, bytes->len);
    e->sc[d].ndecls++;
  }
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
        /* Binary.md alias: sort type (0x03), target outer (0x02), count, index */
        scope *s = &e->sc[d];
        wk_buf_byte(&s->decls, 0x02);
        wk_buf_byte(&s->decls, 0x03);
        wk_buf_byte(&s->decls, 0x02);
        wk_buf_uleb(&s->decls, (uint64_t)(d - lv));
        wk_buf_uleb(&s->decls, idx);
        s->ndecls++;
        uint32_t ni = s->ntypes++;
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

static void put_vt(enc *e, int d, const wk_ctypes *g, wk_ctval v, wk_buf *b, int depth) {
  if (v.prim) { wk_buf_byte(b, v.prim); return; }
  uint32_t i = tidx(e, d, g, v.id, depth + 1);
  wk_buf_sleb(b, i); /* valtype type indices are s33 (Binary.md) */
}

static void put_opt_vt(enc *e, int d, const wk_ctypes *g, int has, wk_ctval v, wk_buf *b, int depth) {
  if (!has) { wk_buf_byte(b, 0x00); return; }
  wk_buf_byte(b, 0x01);
  put_vt(e, d, g, v, b, depth);
}

static uint32_t inst_type(enc *e, int d, const wk_ctypes *g, uint32_t id, int depth);

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
  wk_buf b = {0};
  uint32_t r = 0;
  switch (t->kind) {
    case WK_CT_RES:
      fail(e, WK_ERR_UNSUPPORTED, "a resource type used by an import is not exported by any import before it");
      break;
    case WK_CT_FUNC:
      wk_buf_byte(&b, 0x40);
      wk_buf_uleb(&b, t->n);
      for (uint32_t i = 0; i < t->n; i++) {
        put_name(&b, t->labels[i].s, t->labels[i].len);
        put_vt(e, d, g, t->elems[i], &b, depth);
      }
      if (t->has_a) { wk_buf_byte(&b, 0x00); put_vt(e, d, g, t->a, &b, depth); }
      else { wk_buf_byte(&b, 0x01); wk_buf_byte(&b, 0x00); }
      r = def_type(e, d, &b);
      break;
    case WK_CT_INST:
      wk_buf_free(&b);
      r = inst_type(e, d, g, id, depth);
      map_add(e, d, g, id, r);
      return r;
    case WK_CT_DEF:
      wk_buf_byte(&b, t->code);
      switch (t->code) {
        case 0x72:
          wk_buf_uleb(&b, t->n);
          for (uint32_t i = 0; i < t->n; i++) {
            put_name(&b, t->labels[i].s, t->labels[i].len);
            put_vt(e, d, g, t->elems[i], &b, depth);
          }
          break;
        case 0x71:
          wk_buf_uleb(&b, t->n);
          for (uint32_t i = 0; i < t->n; i++) {
            put_name(&b, t->labels[i].s, t->labels[i].len);
            put_opt_vt(e, d, g, t->has[i], t->elems[i], &b, depth);
            wk_buf_byte(&b, 0x00);
          }
          break;
        case 0x70: case 0x6b: put_vt(e, d, g, t->a, &b, depth); break;
        case 0x6f:
          wk_buf_uleb(&b, t->n);
          for (uint32_t i = 0; i < t->n; i++) put_vt(e, d, g, t->elems[i], &b, depth);
          break;
        case 0x6e: case 0x6d:
          wk_buf_uleb(&b, t->n);
          for (uint32_t i = 0; i < t->n; i++) put_name(&b, t->labels[i].s, t->labels[i].len);
          break;
        case 0x6a:
          put_opt_vt(e, d, g, t->has_a, t->a, &b, depth);
          put_opt_vt(e, d, g, t->has_b, t->b, &b, depth);
          break;
        case 0x69: case 0x68: wk_buf_uleb(&b, tidx(e, d, g, t->res, depth + 1)); break;
        default:
          if (!(t->code >= 0x73 && t->code <= 0x7f) && t->code != 0x64)
            fail(e, WK_ERR_UNSUPPORTED, "cannot re-encode a %s type", wkc_prim_name(t->code));
      }
      if (!e->rc) r = def_type(e, d, &b);
      break;
    default:
      fail(e, WK_ERR_UNSUPPORTED, "cannot re-encode a component or core type in an import");
  }
  wk_buf_free(&b);
  if (!e->rc) map_add(e, d, g, id, r);
  return r;
}

static void put_extern_export(wk_buf *b, const wk_cstr *name) {
  wk_buf_byte(b, 0x00); /* exportname': plain */
  put_name(b, name->s, name->len);
}

/* One view of an instance type: graph + INST node. */
typedef struct iview {
  const wk_ctypes *g;
  uint32_t id;
} iview;

static int ent_named(const wk_ctnode *t, wk_cstr name) {
  for (uint32_t i = 0; i < t->nex; i++)
    if (t->ex[i].name.len == name.len && !memcmp(t->ex[i].name.s, name.s, name.len)) return (int)i;
  return -1;
}

/* An instance type (0x42) defined in scope d: the union of the exports of the
 * views (wasm-tools compose / wac merge instance imports that several
 * components share); the first view that has an export gives its type, the
 * same-named type exports of the others are identified with it. */
static uint32_t inst_type_multi(enc *e, int d, const iview *v, uint32_t nv, int depth) {
  if (d + 1 >= MAXD) { fail(e, WK_ERR_UNSUPPORTED, "instance types nested too deep"); return 0; }
  int s = d + 1;
  scope *sc = &e->sc[s];
  sc->decls.len = 0;
  sc->decls.oom = 0;
  sc->ndecls = sc->ntypes = sc->nmap = 0;
  e->depth = s;
  for (uint32_t u = 0; u < nv && !e->rc; u++) {
    const wk_ctypes *g = v[u].g;
    const wk_ctnode *t = &g->t[v[u].id];
    for (uint32_t i = 0; i < t->nex && !e->rc; i++) {
      const wk_ctent *x = &t->ex[i];
      int seen = 0;
      for (uint32_t w = 0; w < u && !seen; w++) seen = ent_named(&v[w].g->t[v[w].id], x->name) >= 0;
      if (seen) continue;
      wk_buf b = {0};
      switch (x->kind) {
        case 3: {
          uint32_t base = wkc_peel_all(g, x->id);
          uint32_t f = find(e, s, g, x->id);
          int fresh = g->t[base].kind == WK_CT_RES && f == WKC_NONE;
          uint32_t idx = 0;
          if (!fresh) idx = f != WKC_NONE ? f : tidx(e, s, g, base, depth + 1);
          put_extern_export(&b, &x->name);
          wk_buf_byte(&b, 0x03);
          if (fresh) { wk_buf_byte(&b, 0x01); }
          else { wk_buf_byte(&b, 0x00); wk_buf_uleb(&b, idx); }
          wk_buf_byte(&sc->decls, 0x04);
          wk_buf_append(&sc->decls, b.data, b.len);
          sc->ndecls++;
          uint32_t k = sc->ntypes++;
          if (fresh) map_chain(e, s, g, x->id, k);
          else map_add(e, s, g, x->id, k);
          /* the other views' type of the same name is this one */
          for (uint32_t w = u + 1; w < nv; w++) {
            const wk_ctnode *o = &v[w].g->t[v[w].id];
            int j = ent_named(o, x->name);
            if (j >= 0 && o->ex[j].kind == 3) map_chain(e, s, v[w].g, o->ex[j].id, k);
          }
          break;
        }
        case 1: case 5: {
          uint32_t idx = tidx(e, s, g, x->id, depth + 1);
          put_extern_export(&b, &x->name);
          wk_buf_byte(&b, x->kind);
          wk_buf_uleb(&b, idx);
          wk_buf_byte(&sc->decls, 0x04);
          wk_buf_append(&sc->decls, b.data, b.len);
          sc->ndecls++;
          break;
        }
        default:
          fail(e, WK_ERR_UNSUPPORTED, "cannot re-encode an instance exporting a %s",
               x->kind == 4 ? "component" : x->kind == 0 ? "core module" : "value");
      }
      wk_buf_free(&b);
    }
  }
  wk_buf ty = {0};
  wk_buf_byte(&ty, 0x42);
  wk_buf_uleb(&ty, sc->ndecls);
  wk_buf_append(&ty, sc->decls.data, sc->decls.len);
  if (sc->decls.oom) fail(e, WK_ERR_NOMEM, "out of memory");
  e->depth = d;
  uint32_t r = e->rc ? 0 : def_type(e, d, &ty);
  wk_buf_free(&ty);
  return r;
}

static uint32_t inst_type(enc *e, int d, const wk_ctypes *g, uint32_t id, int depth) {
  iview v = {g, id};
  return inst_type_multi(e, d, &v, 1, depth);
}

/* ---- the result ---- */

static void sortidx(wk_buf *b, uint8_t kind, uint32_t idx) {
  if (kind == 0) { wk_buf_byte(b, 0x00); wk_buf_byte(b, 0x11); }
  else wk_buf_byte(b, kind);
  wk_buf_uleb(b, idx);
}

/* Index space counter of an extern kind at the outer level. */
static uint32_t *space(enc *e, uint8_t kind) {
  switch (kind) {
    case 1: return &e->nfunc;
    case 3: return &e->sc[0].ntypes;
    case 4: return &e->ncomp;
    case 5: return &e->ninst;
  }
  return NULL;
}

/* alias export `name` of outer instance `inst` as a `kind` item; returns its index */
static uint32_t alias_export(enc *e, uint8_t kind, uint32_t inst, wk_cstr name) {
  uint32_t *sp = space(e, kind);
  if (!sp) { fail(e, WK_ERR_UNSUPPORTED, "cannot alias a core module or value export"); return 0; }
  wk_buf *b = item(e, 6);
  if (kind == 0) { wk_buf_byte(b, 0x00); wk_buf_byte(b, 0x11); }
  else wk_buf_byte(b, kind);
  wk_buf_byte(b, 0x00);
  wk_buf_uleb(b, inst);
  put_name(b, name.s, name.len);
  return (*sp)++;
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

static void custom(wk_buf *out, const char *name, const wk_buf *payload) {
  wk_buf nb = {0};
  put_name(&nb, name, strlen(name));
  wk_buf_byte(out, 0x00);
  wk_buf_uleb(out, nb.len + payload->len);
  wk_buf_append(out, nb.data, nb.len);
  wk_buf_append(out, payload->data, payload->len);
  wk_buf_free(&nb);
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
  enc e = {.g = g, .out = NULL, .sec_id = -1, .err = err};
  wk_buf body = {0};
  e.out = &body;
  int rc = WK_OK;
  if (!order || !path || !oinst || !ocomp || !oimp || !st) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }
  uint32_t n = 0;
  for (uint32_t i = 0; i < g->ninsts && !rc; i++) rc = topo(g, i, st, order, &n, path, 0, err);
  if (rc) goto done;

  /* imports of the result, each after those its users import before it (a type an
   * import uses comes from an earlier import of the same component) */
  uint32_t *oorder = wk_calloc(g->nimps + 1, sizeof(uint32_t));
  uint8_t *ost = wk_calloc(g->nimps + 1, 1);
  iview *views = wk_calloc(g->ninsts + 1, sizeof(iview));
  if (!oorder || !ost || !views) { free(oorder); free(ost); free(views); rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }
  uint32_t no = 0;
  for (uint32_t o = 0; o < g->nimps; o++) import_order(g, o, ost, oorder, &no, 0);
  for (uint32_t oi = 0; oi < no && !e.rc; oi++) {
    uint32_t o = oorder[oi];
    wkc_outer *w = &g->imps[o];
    const wk_ctypes *tg = g->comps[g->insts[w->inst].comp].t;
    uint32_t nim;
    const wk_ctent *im = wkc_imports(g, g->insts[w->inst].comp, &nim);
    const wk_ctent *x = &im[w->imp];
    uint32_t idx = 0;
    int fresh_type = 0;
    if (x->kind == 3) {
      uint32_t base = wkc_peel_all(tg, x->id);
      if (tg->t[base].kind == WK_CT_RES && find(&e, 0, tg, x->id) == WKC_NONE) fresh_type = 1;
      else idx = tidx(&e, 0, tg, base, 0);
    } else if (x->kind == 5) {
      /* the union of what every user of this import expects */
      uint32_t nv = 0;
      views[nv++] = (iview){tg, x->id};
      for (uint32_t i = 0; i < g->ninsts; i++) {
        uint32_t ni;
        const wk_ctent *ii = wkc_imports(g, g->insts[i].comp, &ni);
        for (uint32_t k = 0; k < ni; k++)
          if (g->insts[i].args[k].kind == WKC_SRC_IMPORT && g->insts[i].args[k].outer == o &&
              !(i == w->inst && k == w->imp) && ii[k].kind == 5)
            views[nv++] = (iview){g->comps[g->insts[i].comp].t, ii[k].id};
      }
      idx = inst_type_multi(&e, 0, views, nv, 0);
    } else if (x->kind == 1) {
      idx = tidx(&e, 0, tg, x->id, 0);
    } else {
      fail(&e, WK_ERR_UNSUPPORTED, "import `%s`: importing a %s is not supported by the composer", w->name,
           x->kind == 4 ? "component" : x->kind == 0 ? "core module" : "value");
    }
    if (e.rc) break;
    wk_buf *b = item(&e, 10);
    wk_buf_byte(b, 0x00);
    put_name(b, w->name, strlen(w->name));
    wk_buf_byte(b, x->kind);
    if (x->kind == 3) {
      if (fresh_type) wk_buf_byte(b, 0x01);
      else { wk_buf_byte(b, 0x00); wk_buf_uleb(b, idx); }
    } else {
      wk_buf_uleb(b, idx);
    }
    oimp[o] = (*space(&e, x->kind))++;
    if (x->kind == 3) {
      /* every instance that uses this import sees the same type */
      for (uint32_t i = 0; i < g->ninsts; i++) {
        uint32_t ni;
        const wk_ctent *ii = wkc_imports(g, g->insts[i].comp, &ni);
        for (uint32_t k = 0; k < ni; k++)
          if (g->insts[i].args[k].kind == WKC_SRC_IMPORT && g->insts[i].args[k].outer == o)
            map_chain(&e, 0, g->comps[g->insts[i].comp].t, ii[k].id, oimp[o]);
      }
    }
    if (x->kind == 5) {
      /* alias the instance's type exports (of every view), and let every user's view of them name these */
      uint32_t nv = 0;
      views[nv++] = (iview){tg, x->id};
      for (uint32_t i = 0; i < g->ninsts; i++) {
        uint32_t ni;
        const wk_ctent *ii = wkc_imports(g, g->insts[i].comp, &ni);
        for (uint32_t k = 0; k < ni; k++)
          if (g->insts[i].args[k].kind == WKC_SRC_IMPORT && g->insts[i].args[k].outer == o &&
              !(i == w->inst && k == w->imp) && ii[k].kind == 5)
            views[nv++] = (iview){g->comps[g->insts[i].comp].t, ii[k].id};
      }
      for (uint32_t vv = 0; vv < nv; vv++)
      for (uint32_t j = 0; j < views[vv].g->t[views[vv].id].nex; j++) {
        const wk_ctnode *it = &views[vv].g->t[views[vv].id];
        if (it->ex[j].kind != 3) continue;
        int dup = 0;
        for (uint32_t w2 = 0; w2 < vv && !dup; w2++) dup = ent_named(&views[w2].g->t[views[w2].id], it->ex[j].name) >= 0;
        if (dup) continue;
        uint32_t ti = alias_export(&e, 3, oimp[o], it->ex[j].name);
        for (uint32_t i = 0; i < g->ninsts; i++) {
          uint32_t ni;
          const wk_ctent *ii = wkc_imports(g, g->insts[i].comp, &ni);
          const wk_ctypes *ug = g->comps[g->insts[i].comp].t;
          for (uint32_t k = 0; k < ni; k++) {
            if (g->insts[i].args[k].kind != WKC_SRC_IMPORT || g->insts[i].args[k].outer != o) continue;
            const wk_ctnode *ut = &ug->t[ii[k].id];
            if (ut->kind != WK_CT_INST) continue;
            for (uint32_t q = 0; q < ut->nex; q++)
              if (ut->ex[q].kind == 3 && ut->ex[q].name.len == it->ex[j].name.len &&
                  !memcmp(ut->ex[q].name.s, it->ex[j].name.s, it->ex[j].name.len))
                map_chain(&e, 0, ug, ut->ex[q].id, ti);
          }
        }
      }
    }
  }
  free(oorder);
  free(ost);
  free(views);
  if (e.rc) { rc = e.rc; goto done; }

  /* the components, embedded */
  for (uint32_t c = 0; c < g->ncomps; c++) ocomp[c] = WKC_NONE;
  for (uint32_t k = 0; k < n; k++) {
    uint32_t c = g->insts[order[k]].comp;
    if (ocomp[c] != WKC_NONE) continue;
    flush(&e);
    wk_buf_byte(&body, WK_CSEC_COMPONENT);
    wk_buf_uleb(&body, g->comps[c].len);
    wk_buf_append(&body, g->comps[c].bytes, g->comps[c].len);
    ocomp[c] = e.ncomp++;
  }

  /* the instances */
  for (uint32_t k = 0; k < n && !e.rc; k++) {
    uint32_t i = order[k];
    wkc_inst *in = &g->insts[i];
    uint32_t nim;
    const wk_ctent *im = wkc_imports(g, in->comp, &nim);
    uint32_t *argidx = wk_calloc(nim + 1, sizeof(uint32_t));
    if (!argidx) { fail(&e, WK_ERR_NOMEM, "out of memory"); break; }
    for (uint32_t a = 0; a < nim; a++) {
      wkc_src *s = &in->args[a];
      if (s->kind == WKC_SRC_EXPORT) {
        uint32_t nex;
        const wk_ctent *ex = wkc_exports(g, g->insts[s->inst].comp, &nex);
        argidx[a] = alias_export(&e, ex[s->idx].kind, oinst[s->inst], ex[s->idx].name);
      } else if (s->kind == WKC_SRC_INSTANCE) {
        argidx[a] = oinst[s->inst];
      } else {
        argidx[a] = oimp[s->outer];
      }
    }
    wk_buf *b = item(&e, 5);
    wk_buf_byte(b, 0x00);
    wk_buf_uleb(b, ocomp[in->comp]);
    wk_buf_uleb(b, nim);
    for (uint32_t a = 0; a < nim; a++) {
      put_name(b, im[a].name.s, im[a].name.len);
      sortidx(b, im[a].kind, argidx[a]);
    }
    free(argidx);
    oinst[i] = e.ninst++;
  }

  /* the exports */
  for (uint32_t x = 0; x < g->nexps && !e.rc; x++) {
    wkc_exp *xp = &g->exps[x];
    uint32_t nex;
    const wk_ctent *ex = wkc_exports(g, g->insts[xp->inst].comp, &nex);
    uint8_t kind = ex[xp->idx].kind;
    uint32_t ai = alias_export(&e, kind, oinst[xp->inst], ex[xp->idx].name);
    wk_buf *b = item(&e, 11);
    wk_buf_byte(b, 0x00);
    put_name(b, xp->name, strlen(xp->name));
    sortidx(b, kind, ai);
    wk_buf_byte(b, 0x00); /* no type ascription */
    (*space(&e, kind))++; /* an export defines a new index (Explainer.md "Export Definitions") */
  }
  if (e.rc) { rc = e.rc; goto done; }
  flush(&e);

  /* component-name: nested components (sort 0x04) and instances (sort 0x05) */
  {
    wk_buf nm = {0}, sub = {0};
    uint32_t cnt = 0;
    for (uint32_t c = 0; c < g->ncomps; c++) cnt += ocomp[c] != WKC_NONE && g->comps[c].name;
    if (cnt) {
      wk_buf_byte(&sub, 0x00);
      wk_buf_byte(&sub, 0x04);
      wk_buf_uleb(&sub, cnt);
      for (uint32_t k = 0; k < e.ncomp; k++)
        for (uint32_t c = 0; c < g->ncomps; c++)
          if (ocomp[c] == k && g->comps[c].name) {
            wk_buf_uleb(&sub, k);
            put_name(&sub, g->comps[c].name, strlen(g->comps[c].name));
          }
      wk_buf_byte(&nm, 0x01);
      wk_buf_uleb(&nm, sub.len);
      wk_buf_append(&nm, sub.data, sub.len);
      sub.len = 0;
    }
    if (n) {
      wk_buf_byte(&sub, 0x05);
      wk_buf_uleb(&sub, n);
      for (uint32_t k = 0; k < n; k++) {
        /* in index order: oinst increases along `order` */
        uint32_t i = order[k];
        wk_buf_uleb(&sub, oinst[i]);
        put_name(&sub, g->insts[i].name, strlen(g->insts[i].name));
      }
      wk_buf_byte(&nm, 0x01);
      wk_buf_uleb(&nm, sub.len);
      wk_buf_append(&nm, sub.data, sub.len);
    }
    if (nm.len) custom(&body, "component-name", &nm);
    wk_buf_free(&nm);
    wk_buf_free(&sub);
  }
  /* producers (tool-conventions ProducersSection.md): processed-by wcompose */
  {
    wk_buf p = {0};
    const char *ver = opts->producer_version ? opts->producer_version : WK_VERSION;
    wk_buf_uleb(&p, 1);
    put_name(&p, "processed-by", 12);
    wk_buf_uleb(&p, 1);
    put_name(&p, "wcompose", 8);
    put_name(&p, ver, strlen(ver));
    custom(&body, "producers", &p);
    wk_buf_free(&p);
  }
  if (body.oom || e.sec.oom) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }

  /* validate the result before handing it out */
  {
    size_t start = out->len;
    static const uint8_t pre[8] = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
    wk_buf_append(out, pre, 8);
    wk_buf_append(out, body.data, body.len);
    if (out->oom) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }
    wk_component *c = NULL;
    wk_error ve;
    wk_error_clear(&ve);
    if (wk_component_decode(out->data + start, out->len - start, &c, &ve) || wk_component_validate(c, &ve)) {
      rc = wk_error_set(err, WK_ERR_INVALID, "the composed component does not validate (offset 0x%llx): %s",
                        (unsigned long long)ve.offset, ve.msg);
      out->len = start;
    }
    wk_component_free(c);
  }
done:
  for (int d = 0; d < MAXD; d++) {
    wk_buf_free(&e.sc[d].decls);
    free(e.sc[d].map);
  }
  wk_buf_free(&e.sec);
  wk_buf_free(&body);
  free(order);
  free(path);
  free(oinst);
  free(ocomp);
  free(oimp);
  free(st);
  return rc;
}
