/* AST of one package -> unresolved package (wit-parser ast/resolve.rs `Resolver`):
 * names are looked up, types get ids in the package's local arenas, foreign
 * references (ns:pkg/iface) become placeholder interfaces/worlds/types that
 * resolve.c later maps onto packages already in the Resolve. */
#include "witparse/internal.h"

typedef struct lk_entry {
  const char *name;
  const char *item; /* non-NULL: a non-type item ("function") */
  wit_id id;
  wit_span span;
} lk_entry;
typedef struct lookup {
  lk_entry *v;
  uint32_t n, cap;
  strmap idx; /* name -> index in v */
} lookup;

typedef struct named_item {
  const char *name;
  int is_world;
  wit_id id;
  wit_span span;
} named_item;
typedef struct item_map {
  named_item *v;
  uint32_t n, cap;
  strmap idx;
} item_map;

/* one `for_each_path` visit */
enum { WOI_WORLD, WOI_IFACE, WOI_UNKNOWN };
typedef struct pathref {
  const ast_id *owner; /* interface/world name for interface uses and world includes */
  const ast_attrs *attrs;
  const ast_usepath *path;
  const ast_use_name *names;
  uint32_t n_names;
  int has_names;
  int woi;
} pathref;
typedef struct pathlist {
  pathref *v;
  uint32_t n, cap;
} pathlist;

typedef struct anon_slot {
  uint32_t hash;
  wit_id id; /* WIT_NONE = empty */
} anon_slot;

typedef struct R {
  wctx *c;
  wk_arena *a;
  upkg *u;
  lookup *iface_types; /* per local interface id */
  uint32_t n_it, cap_it;
  lookup tl; /* type_lookup */
  item_map *ast_items; /* per decl list */
  item_map package_items;
  uint8_t *foreign_iface; /* flags by interface id */
  uint32_t n_fi, cap_fi;
  anon_slot *anon;
  uint32_t anon_cap, anon_n;
  uint32_t cur;
} R;

/* ---- small maps ---- */
static lk_entry *lk_get(lookup *l, const char *name) {
  uint32_t i = strmap_get(&l->idx, name);
  return i == UINT32_MAX ? NULL : &l->v[i];
}
static named_item *im_get(item_map *m, const char *name) {
  uint32_t i = strmap_get(&m->idx, name);
  return i == UINT32_MAX ? NULL : &m->v[i];
}

static lk_entry *lk_add(R *r, lookup *l, const char *name, const char *item, wit_id id, wit_span sp) {
  uint32_t k = WPUSH(r->c, r->a, l->v, l->n, l->cap);
  l->v[k].name = name;
  l->v[k].item = item;
  l->v[k].id = id;
  l->v[k].span = sp;
  strmap_put(r->c, r->a, &l->idx, name, k);
  return &l->v[k];
}
static named_item *im_add(R *r, item_map *m, const char *name, int is_world, wit_id id, wit_span sp) {
  uint32_t k = WPUSH(r->c, r->a, m->v, m->n, m->cap);
  m->v[k].name = name;
  m->v[k].is_world = is_world;
  m->v[k].id = id;
  m->v[k].span = sp;
  strmap_put(r->c, r->a, &m->idx, name, k);
  return &m->v[k];
}

static const char **lookup_names(R *r, lookup *l, uint32_t *n) {
  const char **v = walloc(r->c, r->a, sizeof(char *) * (l->n + 1));
  for (uint32_t i = 0; i < l->n; i++) v[i] = l->v[i].name;
  *n = l->n;
  return v;
}

static _Noreturn void not_found(R *r, wit_span sp, const char *kind, const char *name, const char *const *cands,
                                uint32_t nc, const char *hint) {
  const char *near = cands ? wit_nearest(name, cands, nc) : NULL;
  if (hint) wfail(r->c, sp, "%s `%s` does not exist; %s", kind, name, hint);
  if (near) wfail(r->c, sp, "%s `%s` does not exist (did you mean `%s`?)", kind, name, near);
  wfail(r->c, sp, "%s `%s` does not exist", kind, name);
}

/* ---- arenas of the unresolved package ---- */
static wit_id alloc_interface(R *r, wit_span sp) {
  upkg *u = r->u;
  WPUSH(r->c, r->a, r->iface_types, r->n_it, r->cap_it);
  uint32_t f = WPUSH(r->c, r->a, r->foreign_iface, r->n_fi, r->cap_fi);
  r->foreign_iface[f] = 0;
  wit_id id = WPUSH(r->c, r->a, u->ifaces, u->n_ifaces, u->cap_ifaces);
  u->ifaces[id].package = WIT_NONE;
  u->ifaces[id].clone_of = WIT_NONE;
  u->ifaces[id].span = sp;
  return id;
}
static wit_id alloc_world(R *r, wit_span sp) {
  upkg *u = r->u;
  wit_id id = WPUSH(r->c, r->a, u->worlds, u->n_worlds, u->cap_worlds);
  u->worlds[id].name = "";
  u->worlds[id].package = WIT_NONE;
  u->worlds[id].span = sp;
  return id;
}
static wit_id alloc_type(R *r, const wit_typedef *td) {
  upkg *u = r->u;
  wit_id id = WPUSH(r->c, r->a, u->types, u->n_types, u->cap_types);
  u->types[id] = *td;
  return id;
}

/* ---- docs / attributes ---- */
static const char *docs_of(R *r, const ast_docs *d) {
  if (!d->n) return NULL;
  /* strip comment markers, trailing whitespace */
  const char **lines = walloc(r->c, r->a, sizeof(char *) * d->n);
  size_t *lens = walloc(r->c, r->a, sizeof(size_t) * d->n);
  for (uint32_t i = 0; i < d->n; i++) {
    const char *s = d->lines[i];
    size_t n = strlen(s);
    if (n >= 3 && !memcmp(s, "/**", 3)) {
      s += 3;
      n -= 3;
      if (n >= 2 && !memcmp(s + n - 2, "*/", 2)) n -= 2;
    } else {
      while (n && *s == '/') { s++; n--; }
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == '\f' ||
                 s[n - 1] == '\v'))
      n--;
    lines[i] = s;
    lens[i] = n;
  }
  size_t minws = (size_t)-1;
  for (uint32_t i = 0; i < d->n; i++) {
    if (!lens[i]) continue;
    size_t k = 0;
    while (k < lens[i] && (lines[i][k] == ' ' || lines[i][k] == '\t' || lines[i][k] == '\n' || lines[i][k] == '\r' ||
                           lines[i][k] == '\f'))
      k++;
    if (k < minws) minws = k;
  }
  if (minws == (size_t)-1) minws = 0;
  wk_buf b = {0};
  for (uint32_t i = 0; i < d->n; i++) {
    const char *s = lines[i];
    size_t n = lens[i];
    if (minws) {
      size_t k = 0;
      while (k < minws && k < n && s[k] == ' ') k++;
      if (k == minws) { s += k; n -= k; }
    }
    if (!n) { wk_buf_byte(&b, '\n'); continue; }
    /* str::lines(): split on \n, drop a trailing \r per line */
    size_t st = 0;
    while (st < n) {
      size_t e = st;
      while (e < n && s[e] != '\n') e++;
      size_t le = e;
      if (le > st && s[le - 1] == '\r') le--;
      wk_buf_append(&b, s + st, le - st);
      wk_buf_byte(&b, '\n');
      st = e + 1;
    }
  }
  while (b.len && b.data[b.len - 1] == '\n') b.len--;
  if (b.oom) { wk_buf_free(&b); woom(r->c); }
  char *res = wstrdup(r->c, r->a, b.data ? (const char *)b.data : "", b.len);
  wk_buf_free(&b);
  return res;
}

static wit_stability stability_of(R *r, const ast_attrs *as) {
  wit_stability s = {0};
  const char *since = NULL, *dep = NULL, *feat = NULL;
  wit_span since_sp = wspan_none(), dep_sp = wspan_none();
  for (uint32_t i = 0; i < as->n; i++) {
    const ast_attr *a = &as->v[i];
    switch (a->kind) {
    case ATTR_SINCE:
      if (since) wfail(r->c, a->span, "cannot specify @since twice");
      since = a->value;
      since_sp = a->span;
      break;
    case ATTR_DEPRECATED:
      if (dep) wfail(r->c, a->span, "cannot specify @deprecated twice");
      dep = a->value;
      dep_sp = a->span;
      break;
    case ATTR_UNSTABLE:
      if (feat) wfail(r->c, a->span, "cannot specify @unstable twice");
      feat = a->value;
      break;
    default: break;
    }
  }
  if (since && feat) wfail(r->c, since_sp, "cannot specify both @since and @unstable");
  if (since) { s.kind = WIT_STAB_STABLE; s.since = since; s.deprecated = dep; }
  else if (feat) { s.kind = WIT_STAB_UNSTABLE; s.feature = feat; s.deprecated = dep; }
  else if (dep) wfail(r->c, dep_sp, "cannot specify both @deprecated without @since or @unstable");
  return s;
}

static const char *external_id_of(R *r, const ast_attrs *as) {
  const char *e = NULL;
  for (uint32_t i = 0; i < as->n; i++)
    if (as->v[i].kind == ATTR_EXTERNAL_ID) {
      if (e) wfail(r->c, as->v[i].span, "cannot specify @external-id twice");
      e = as->v[i].value;
    }
  return e;
}

/* ---- for_each_path ---- */
static void add_path(R *r, pathlist *pl, const ast_id *owner, const ast_attrs *attrs, const ast_usepath *path,
                     const ast_use *use, int woi) {
  uint32_t i = WPUSH(r->c, r->a, pl->v, pl->n, pl->cap);
  pathref *p = &pl->v[i];
  p->owner = owner;
  p->attrs = attrs;
  p->path = path;
  if (use) { p->names = use->names; p->n_names = use->n; p->has_names = 1; }
  p->woi = woi;
}
static void visit_extern(R *r, pathlist *pl, const ast_world_item *it) {
  const ast_extern *e = &it->ext;
  if (e->kind == EK_INTERFACE) {
    for (uint32_t k = 0; k < e->n; k++)
      if (e->items[k].kind == II_USE)
        add_path(r, pl, NULL, &e->items[k].use->attrs, &e->items[k].use->from, e->items[k].use, WOI_IFACE);
  } else if (e->kind == EK_PATH || e->kind == EK_NAMED_PATH) {
    add_path(r, pl, NULL, &it->attrs, &e->path, NULL, WOI_IFACE);
  }
}
static pathlist paths_of(R *r, const ast_file *f) {
  pathlist pl = {0};
  for (uint32_t i = 0; i < f->n; i++) {
    const ast_item *it = &f->items[i];
    if (it->kind == AI_WORLD) {
      const ast_world *w = it->world;
      for (uint32_t j = 0; j < w->n; j++) {
        const ast_world_item *wi = &w->items[j];
        if (wi->kind == WI_USE) add_path(r, &pl, NULL, &wi->use->attrs, &wi->use->from, wi->use, WOI_IFACE);
        else if (wi->kind == WI_INCLUDE) add_path(r, &pl, &w->name, &wi->inc->attrs, &wi->inc->from, NULL, WOI_WORLD);
      }
      for (uint32_t j = 0; j < w->n; j++)
        if (w->items[j].kind == WI_IMPORT) visit_extern(r, &pl, &w->items[j]);
      for (uint32_t j = 0; j < w->n; j++)
        if (w->items[j].kind == WI_EXPORT) visit_extern(r, &pl, &w->items[j]);
    } else if (it->kind == AI_INTERFACE) {
      const ast_interface *in = it->iface;
      for (uint32_t j = 0; j < in->n; j++)
        if (in->items[j].kind == II_USE)
          add_path(r, &pl, &in->name, &in->items[j].use->attrs, &in->items[j].use->from, in->items[j].use, WOI_IFACE);
    } else if (it->kind == AI_USE) {
      add_path(r, &pl, NULL, &it->use->attrs, &it->use->item, NULL, WOI_UNKNOWN);
    }
  }
  return pl;
}

static wit_package_name pkgname_of(const ast_pkgname *p) {
  wit_package_name n;
  n.namespace_ = p->ns.name;
  n.name = p->name.name;
  n.version = p->version;
  return n;
}

static foreign_item *foreign_lookup(R *r, const ast_usepath *path) {
  wit_package_name n = pkgname_of(&path->pkg);
  for (uint32_t i = 0; i < r->u->n_deps; i++)
    if (wit_pkgname_eq(&r->u->deps[i].name, &n)) {
      foreign_pkg *fp = &r->u->deps[i];
      for (uint32_t j = 0; j < fp->n; j++)
        if (!strcmp(fp->items[j].name, path->name.name)) return &fp->items[j];
    }
  return NULL;
}

static void populate_foreign_deps(R *r, pathlist *pls, uint32_t nfiles) {
  upkg *u = r->u;
  for (uint32_t f = 0; f < nfiles; f++)
    for (uint32_t i = 0; i < pls[f].n; i++) {
      pathref *p = &pls[f].v[i];
      if (!p->path->is_pkg) continue;
      wit_stability st = stability_of(r, p->attrs);
      wit_package_name n = pkgname_of(&p->path->pkg);
      foreign_pkg *fp = NULL;
      for (uint32_t k = 0; k < u->n_deps; k++)
        if (wit_pkgname_eq(&u->deps[k].name, &n)) fp = &u->deps[k];
      if (!fp) {
        uint32_t k = WPUSH(r->c, r->a, u->deps, u->n_deps, u->cap_deps);
        fp = &u->deps[k];
        fp->name = n;
        fp->span = p->path->pkg.span;
      }
      foreign_item *fi = NULL;
      for (uint32_t k = 0; k < fp->n; k++)
        if (!strcmp(fp->items[k].name, p->path->name.name)) fi = &fp->items[k];
      if (!fi) {
        uint32_t k = WPUSH(r->c, r->a, fp->items, fp->n, fp->cap);
        fi = &fp->items[k];
        fi->name = p->path->name.name;
        if (p->woi == WOI_WORLD) { fi->is_world = 1; fi->id = alloc_world(r, p->path->name.span); }
        else { fi->is_world = 0; fi->id = alloc_interface(r, p->path->name.span); }
        /* `fp`/`fi` may have moved? no: alloc_* touch other arrays only */
      }
      uint32_t k = WPUSH(r->c, r->a, fi->stabs, fi->n_stabs, fi->cap_stabs);
      fi->stabs[k] = st;
      if (!fi->is_world) r->foreign_iface[fi->id] = 1;
    }
}

/* wit-parser ast/toposort.rs: Kahn's algorithm, always emitting the ready node
 * with the smallest index (a binary min-heap of indices). */
typedef struct tdep {
  const char *name;
  wit_span span;
} tdep;
typedef struct tnode {
  const char *name;
  tdep *deps;
  uint32_t n, cap;
} tnode;
typedef struct tgraph {
  tnode *v;
  uint32_t n, cap;
  strmap idx;
} tgraph;

static uint32_t tnode_get(R *r, tgraph *g, const char *name) {
  uint32_t i = strmap_get(&g->idx, name);
  if (i != UINT32_MAX) return i;
  i = WPUSH(r->c, r->a, g->v, g->n, g->cap);
  g->v[i].name = name;
  strmap_put(r->c, r->a, &g->idx, name, i);
  return i;
}
static void tnode_dep(R *r, tnode *t, const ast_id *id) {
  uint32_t k = WPUSH(r->c, r->a, t->deps, t->n, t->cap);
  t->deps[k].name = id->name;
  t->deps[k].span = id->span;
}

static void heap_push(uint32_t *h, uint32_t *n, uint32_t v) {
  uint32_t i = (*n)++;
  h[i] = v;
  while (i && h[(i - 1) / 2] > h[i]) {
    uint32_t p = (i - 1) / 2, t = h[p];
    h[p] = h[i];
    h[i] = t;
    i = p;
  }
}
static uint32_t heap_pop(uint32_t *h, uint32_t *n) {
  uint32_t top = h[0];
  h[0] = h[--*n];
  uint32_t i = 0;
  for (;;) {
    uint32_t l = 2 * i + 1, rr = l + 1, m = i;
    if (l < *n && h[l] < h[m]) m = l;
    if (rr < *n && h[rr] < h[m]) m = rr;
    if (m == i) break;
    uint32_t t = h[m];
    h[m] = h[i];
    h[i] = t;
    i = m;
  }
  return top;
}

static uint32_t *toposort(R *r, const char *kind, tgraph *g) {
  uint32_t n = g->n;
  tnode *nodes = g->v;
  uint32_t *remaining = walloc(r->c, r->a, sizeof(uint32_t) * (n + 1));
  uint32_t **rev = walloc(r->c, r->a, sizeof(uint32_t *) * (n + 1));
  uint32_t *nrev = walloc(r->c, r->a, sizeof(uint32_t) * (n + 1));
  uint32_t *caprev = walloc(r->c, r->a, sizeof(uint32_t) * (n + 1));
  for (uint32_t i = 0; i < n; i++) {
    remaining[i] = nodes[i].n;
    for (uint32_t e = 0; e < nodes[i].n; e++) {
      uint32_t j = strmap_get(&g->idx, nodes[i].deps[e].name);
      if (j == UINT32_MAX) {
        const char *nm = nodes[i].deps[e].name;
        const char **c = walloc(r->c, r->a, sizeof(char *) * (n + 1));
        for (uint32_t k = 0; k < n; k++) c[k] = nodes[k].name;
        const char *hint = NULL;
        if (!strcmp(nm, "float32") || !strcmp(nm, "float64"))
          hint = wsprintf(r->c, r->a,
                          "the `%s` type has been renamed to `%s` and is no longer accepted, but the "
                          "`WIT_REQUIRE_F32_F64=0` environment variable can be used to temporarily disable this "
                          "error",
                          nm, nm[5] == '3' ? "f32" : "f64");
        not_found(r, nodes[i].deps[e].span, kind, nm, c, n, hint);
      }
      uint32_t k = wpush(r->c, r->a, (void **)&rev[j], &nrev[j], &caprev[j], sizeof(uint32_t));
      rev[j][k] = i;
    }
  }
  uint32_t *order = walloc(r->c, r->a, sizeof(uint32_t) * (n + 1));
  uint32_t *heap = walloc(r->c, r->a, sizeof(uint32_t) * (n + 1));
  uint32_t nh = 0, no = 0;
  for (uint32_t i = 0; i < n; i++)
    if (remaining[i] == 0) heap_push(heap, &nh, i);
  while (nh) {
    uint32_t pick = heap_pop(heap, &nh);
    order[no++] = pick;
    for (uint32_t k = 0; k < nrev[pick]; k++) {
      uint32_t i = rev[pick][k];
      if (--remaining[i] == 0) heap_push(heap, &nh, i);
    }
  }
  if (no == n) return order;
  for (uint32_t i = 0; i < n; i++) {
    if (remaining[i] == 0) continue;
    for (uint32_t e = 0; e < nodes[i].n; e++) {
      uint32_t j = strmap_get(&g->idx, nodes[i].deps[e].name);
      if (remaining[j] == 0) continue;
      wfail(r->c, nodes[i].deps[e].span, "%s `%s` depends on itself", kind, nodes[i].deps[e].name);
    }
  }
  wfail(r->c, wspan_none(), "%s cycle", kind);
}

/* populate_ast_items: name every interface/world, order them by `use`
 * dependencies, allocate them. Returns orders via out params. */
static void populate_ast_items(R *r, ast_file **files, uint32_t nfiles, pathlist *pls, wit_id **iface_order,
                               uint32_t *n_io, wit_id **world_order, uint32_t *n_wo) {
  item_map pitems = {0}; /* name -> span */
  tgraph og = {0};
  for (uint32_t f = 0; f < nfiles; f++)
    for (uint32_t i = 0; i < files[f]->n; i++) {
      ast_item *it = &files[f]->items[i];
      const ast_id *nm;
      if (it->kind == AI_INTERFACE) nm = &it->iface->name;
      else if (it->kind == AI_WORLD) nm = &it->world->name;
      else continue;
      if (im_get(&pitems, nm->name)) wfail(r->c, nm->span, "duplicate item named `%s`", nm->name);
      im_add(r, &pitems, nm->name, it->kind == AI_WORLD, i, nm->span);
      tnode_get(r, &og, nm->name);
    }
  for (uint32_t f = 0; f < nfiles; f++) {
    /* per-file namespace: name -> (local id or foreign) */
    struct ns_e {
      const char *name;
      const ast_id *local; /* NULL = foreign */
    } *ns = NULL;
    uint32_t nns = 0, cns = 0;
    strmap nsidx = {0};
    for (uint32_t i = 0; i < files[f]->n; i++) {
      ast_item *it = &files[f]->items[i];
      const ast_id *nm, *local;
      if (it->kind == AI_USE) {
        nm = it->use->as.name ? &it->use->as : &it->use->item.name;
        local = it->use->item.is_pkg ? NULL : &it->use->item.name;
      } else if (it->kind == AI_INTERFACE) nm = local = &it->iface->name;
      else if (it->kind == AI_WORLD) nm = local = &it->world->name;
      else continue;
      if (strmap_get(&nsidx, nm->name) != UINT32_MAX)
        wfail(r->c, nm->span, "duplicate name `%s` in this file", nm->name);
      uint32_t k = wpush(r->c, r->a, (void **)&ns, &nns, &cns, sizeof *ns);
      ns[k].name = nm->name;
      ns[k].local = local;
      strmap_put(r->c, r->a, &nsidx, nm->name, k);
    }
    for (uint32_t i = 0; i < pls[f].n; i++) {
      pathref *p = &pls[f].v[i];
      if (!p->owner || p->path->is_pkg) continue;
      const ast_id *used = &p->path->name;
      uint32_t oi = tnode_get(r, &og, p->owner->name);
      uint32_t k = strmap_get(&nsidx, used->name);
      if (k != UINT32_MAX) {
        if (!ns[k].local) continue;
        tnode_dep(r, &og.v[oi], ns[k].local);
      } else if (im_get(&pitems, used->name)) {
        tnode_dep(r, &og.v[oi], used);
      } else {
        const char **c = walloc(r->c, r->a, sizeof(char *) * (pitems.n + 1));
        for (uint32_t q = 0; q < pitems.n; q++) c[q] = pitems.v[q].name;
        not_found(r, used->span, "interface or world", used->name, c, pitems.n, NULL);
      }
    }
  }
  uint32_t *ord = toposort(r, "interface or world", &og);
  uint32_t n_order = og.n;
  item_map ids = {0};
  *iface_order = walloc(r->c, r->a, sizeof(wit_id) * (n_order + 1));
  *world_order = walloc(r->c, r->a, sizeof(wit_id) * (n_order + 1));
  *n_io = *n_wo = 0;
  for (uint32_t q = 0; q < n_order; q++) {
    const char *name = og.v[ord[q]].name;
    named_item *pi = im_get(&pitems, name);
    if (!pi->is_world) {
      wit_id id = alloc_interface(r, pi->span);
      r->u->ifaces[id].name = name;
      im_add(r, &ids, name, 0, id, pi->span);
      (*iface_order)[(*n_io)++] = id;
    } else {
      wit_id id = alloc_world(r, pi->span);
      r->u->worlds[id].name = name;
      im_add(r, &ids, name, 1, id, pi->span);
      (*world_order)[(*n_wo)++] = id;
    }
  }
  for (uint32_t f = 0; f < nfiles; f++) {
    item_map *items = &r->ast_items[f];
    for (uint32_t i = 0; i < files[f]->n; i++) {
      ast_item *it = &files[f]->items[i];
      const char *name;
      int is_world;
      wit_id id;
      if (it->kind == AI_USE) {
        ast_top_use *u = it->use;
        if (u->attrs.n) wfail(r->c, u->span, "attributes not allowed on top-level use");
        name = u->as.name ? u->as.name : u->item.name.name;
        if (!u->item.is_pkg) {
          named_item *x = im_get(&ids, u->item.name.name);
          if (!x) {
            const char **c = walloc(r->c, r->a, sizeof(char *) * (ids.n + 1));
            for (uint32_t q = 0; q < ids.n; q++) c[q] = ids.v[q].name;
            not_found(r, u->item.name.span, "interface or world", u->item.name.name, c, ids.n, NULL);
          }
          is_world = x->is_world;
          id = x->id;
        } else {
          foreign_item *fi = foreign_lookup(r, &u->item);
          is_world = fi->is_world;
          id = fi->id;
        }
      } else if (it->kind == AI_INTERFACE || it->kind == AI_WORLD) {
        name = it->kind == AI_INTERFACE ? it->iface->name.name : it->world->name.name;
        named_item *x = im_get(&ids, name);
        is_world = x->is_world;
        id = x->id;
        im_add(r, &r->package_items, name, is_world, id, wspan_none());
      } else continue;
      im_add(r, items, name, is_world, id, wspan_none());
    }
  }
}

/* resolve_ast_item_path */
static named_item resolve_path(R *r, const ast_usepath *path) {
  named_item ni = {0};
  if (!path->is_pkg) {
    named_item *x = im_get(&r->ast_items[r->cur], path->name.name);
    if (!x) x = im_get(&r->package_items, path->name.name);
    if (!x) {
      uint32_t n = r->ast_items[r->cur].n + r->package_items.n;
      const char **c = walloc(r->c, r->a, sizeof(char *) * (n + 1));
      uint32_t k = 0;
      for (uint32_t q = 0; q < r->ast_items[r->cur].n; q++) c[k++] = r->ast_items[r->cur].v[q].name;
      for (uint32_t q = 0; q < r->package_items.n; q++) c[k++] = r->package_items.v[q].name;
      not_found(r, path->name.span, "interface or world", path->name.name, c, k, NULL);
    }
    ni = *x;
  } else {
    foreign_item *fi = foreign_lookup(r, path);
    ni.is_world = fi->is_world;
    ni.id = fi->id;
  }
  ni.name = path->name.name;
  ni.span = path->name.span;
  return ni;
}
static wit_id iface_from_item(R *r, named_item ni) {
  if (ni.is_world) wfail(r->c, ni.span, "name `%s` is defined as a world, not an interface", ni.name);
  return ni.id;
}
static wit_id world_from_item(R *r, named_item ni) {
  if (!ni.is_world) wfail(r->c, ni.span, "name `%s` is defined as an interface, not a world", ni.name);
  return ni.id;
}

static void populate_foreign_types(R *r, pathlist *pls, uint32_t nfiles) {
  for (uint32_t f = 0; f < nfiles; f++) {
    r->cur = f;
    for (uint32_t i = 0; i < pls[f].n; i++) {
      pathref *p = &pls[f].v[i];
      if (!p->has_names) continue;
      wit_stability st = stability_of(r, p->attrs);
      const char *ext = external_id_of(r, p->attrs);
      wit_id iface = iface_from_item(r, resolve_path(r, p->path));
      if (!r->foreign_iface[iface]) continue;
      for (uint32_t k = 0; k < p->n_names; k++) {
        const ast_id *nm = &p->names[k].name;
        if (lk_get(&r->iface_types[iface], nm->name)) continue;
        wit_typedef td = {0};
        td.name = nm->name;
        td.kind = WIT_TD_UNKNOWN;
        td.owner_kind = WIT_OWNER_INTERFACE;
        td.owner = iface;
        td.stability = st;
        td.external_id = ext;
        td.span = nm->span;
        wit_id id = alloc_type(r, &td);
        uint32_t q = WPUSH(r->c, r->a, r->u->unknown_type_spans, r->u->n_uts, r->u->cap_uts);
        r->u->unknown_type_spans[q] = nm->span;
        lk_add(r, &r->iface_types[iface], nm->name, NULL, id, nm->span);
        wit_interface *in = &r->u->ifaces[iface];
        q = WPUSH(r->c, r->a, in->types, in->n_types, in->cap_types);
        in->types[q].name = nm->name;
        in->types[q].id = id;
      }
    }
  }
}

/* ---- types ---- */
static void define_name(R *r, const ast_id *nm, const char *item, wit_id id) {
  if (lk_get(&r->tl, nm->name)) wfail(r->c, nm->span, "name `%s` is defined more than once", nm->name);
  lk_add(r, &r->tl, nm->name, item, id, nm->span);
}

static wit_id resolve_type_name(R *r, const ast_id *nm) {
  lk_entry *e = lk_get(&r->tl, nm->name);
  if (e && e->item) wfail(r->c, nm->span, "cannot use %s `%s` as a type", e->item, nm->name);
  if (!e) {
    uint32_t n;
    const char **c = lookup_names(r, &r->tl, &n);
    not_found(r, nm->span, "name", nm->name, c, n, NULL);
  }
  return e->id;
}

static wit_id validate_resource(R *r, const ast_id *nm) {
  wit_id id = resolve_type_name(r, nm), cur = id;
  for (uint32_t guard = 0; guard < 1000000; guard++) {
    wit_typedef *t = &r->u->types[cur];
    if (t->kind == WIT_TD_RESOURCE) return id;
    if (t->kind == WIT_TD_TYPE && t->ty.prim == WIT_PRIM_ID) { cur = t->ty.id; continue; }
    if (t->kind == WIT_TD_UNKNOWN) {
      uint32_t k = WPUSH(r->c, r->a, r->u->req_res, r->u->n_req, r->u->cap_req);
      r->u->req_res[k].type = cur;
      r->u->req_res[k].span = nm->span;
      return id;
    }
    break;
  }
  wfail(r->c, nm->span, "type `%s` used in a handle must be a resource", nm->name);
}

static const wit_stability *stab_in_type(R *r, wit_type t) {
  if (t.prim == WIT_PRIM_ID && r->u->types[t.id].stability.kind != WIT_STAB_UNKNOWN) return &r->u->types[t.id].stability;
  return NULL;
}
static wit_stability find_stability(R *r, const wit_typedef *k, const wit_stability *st) {
  if (st->kind != WIT_STAB_UNKNOWN) return *st;
  const wit_stability *f = NULL;
  switch (k->kind) {
  case WIT_TD_TYPE: case WIT_TD_LIST: case WIT_TD_FIXED_LIST: case WIT_TD_OPTION: f = stab_in_type(r, k->ty); break;
  case WIT_TD_OWN: case WIT_TD_BORROW: {
    wit_type t = {WIT_PRIM_ID, k->resource};
    f = stab_in_type(r, t);
    break;
  }
  case WIT_TD_TUPLE:
    for (uint32_t i = 0; i < k->n_fields && !f; i++) f = stab_in_type(r, k->fields[i].ty);
    break;
  case WIT_TD_MAP: case WIT_TD_RESULT:
    f = stab_in_type(r, k->ty);
    if (!f) f = stab_in_type(r, k->ty2);
    break;
  case WIT_TD_FUTURE: case WIT_TD_STREAM: f = stab_in_type(r, k->ty); break;
  default: break;
  }
  wit_stability none = {0};
  return f ? *f : none;
}

static uint32_t anon_hash(const wit_typedef *t) {
  uint32_t h = 2166136261u;
#define MIX(x) (h = (h ^ (uint32_t)(x)) * 16777619u)
  MIX(t->kind);
  MIX(t->ty.prim);
  MIX(t->ty.id);
  MIX(t->ty2.prim);
  MIX(t->ty2.id);
  MIX(t->size);
  MIX(t->resource);
  MIX(t->n_fields);
  for (uint32_t i = 0; i < t->n_fields; i++) { MIX(t->fields[i].ty.prim); MIX(t->fields[i].ty.id); }
#undef MIX
  return h;
}
static int anon_eq(const wit_typedef *a, const wit_typedef *b) {
  if (a->kind != b->kind || a->n_fields != b->n_fields) return 0;
  switch (a->kind) {
  case WIT_TD_BORROW: return a->resource == b->resource;
  case WIT_TD_TUPLE:
    for (uint32_t i = 0; i < a->n_fields; i++)
      if (!wit_type_eq(a->fields[i].ty, b->fields[i].ty)) return 0;
    return 1;
  case WIT_TD_LIST: case WIT_TD_OPTION: case WIT_TD_FUTURE: case WIT_TD_STREAM: return wit_type_eq(a->ty, b->ty);
  case WIT_TD_FIXED_LIST: return wit_type_eq(a->ty, b->ty) && a->size == b->size;
  case WIT_TD_MAP: case WIT_TD_RESULT: return wit_type_eq(a->ty, b->ty) && wit_type_eq(a->ty2, b->ty2);
  default: return 0;
  }
}

/* anon_type_def: dedupe structural anonymous types per package */
static wit_type anon_type_def(R *r, const wit_typedef *td) {
  wit_type res = {WIT_PRIM_ID, 0};
  if (td->kind == WIT_TD_TYPE) return td->ty;
  if (td->kind == WIT_TD_OWN) { res.id = td->resource; return res; }
  uint32_t h = anon_hash(td);
  if (r->anon_n * 2 + 2 > r->anon_cap) {
    uint32_t nc = r->anon_cap ? r->anon_cap * 2 : 64;
    anon_slot *ns = walloc(r->c, r->a, sizeof(anon_slot) * nc);
    for (uint32_t i = 0; i < nc; i++) ns[i].id = WIT_NONE;
    for (uint32_t i = 0; i < r->anon_cap; i++)
      if (r->anon[i].id != WIT_NONE) {
        uint32_t j = r->anon[i].hash & (nc - 1);
        while (ns[j].id != WIT_NONE) j = (j + 1) & (nc - 1);
        ns[j] = r->anon[i];
      }
    r->anon = ns;
    r->anon_cap = nc;
  }
  uint32_t j = h & (r->anon_cap - 1);
  while (r->anon[j].id != WIT_NONE) {
    if (r->anon[j].hash == h && anon_eq(&r->u->types[r->anon[j].id], td)) { res.id = r->anon[j].id; return res; }
    j = (j + 1) & (r->anon_cap - 1);
  }
  wit_id id = alloc_type(r, td);
  r->anon[j].hash = h;
  r->anon[j].id = id;
  r->anon_n++;
  res.id = id;
  return res;
}

static wit_type resolve_type(R *r, const ast_type *ty, const wit_stability *st);

static wit_type resolve_opt(R *r, const ast_type *ty, const wit_stability *st) {
  wit_type none = {WIT_PRIM_NONE, 0};
  return ty ? resolve_type(r, ty, st) : none;
}

static int valid_map_key(wit_type t) {
  switch (t.prim) {
  case WIT_PRIM_BOOL: case WIT_PRIM_U8: case WIT_PRIM_U16: case WIT_PRIM_U32: case WIT_PRIM_U64: case WIT_PRIM_S8:
  case WIT_PRIM_S16: case WIT_PRIM_S32: case WIT_PRIM_S64: case WIT_PRIM_CHAR: case WIT_PRIM_STRING: return 1;
  default: return 0;
  }
}

/* resolve_type_def for anonymous (non-declaration) type expressions */
static wit_typedef resolve_kind(R *r, const ast_type *ty, const wit_stability *st) {
  wit_typedef k = {0};
  k.kind = WIT_TD_TYPE;
  k.resource = WIT_NONE;
  switch (ty->kind) {
  case AT_PRIM: k.ty.prim = ty->prim; break;
  case AT_NAME: k.ty.prim = WIT_PRIM_ID; k.ty.id = resolve_type_name(r, &ty->name); break;
  case AT_LIST: k.kind = WIT_TD_LIST; k.ty = resolve_type(r, ty->a, st); break;
  case AT_FIXED: k.kind = WIT_TD_FIXED_LIST; k.ty = resolve_type(r, ty->a, st); k.size = ty->size; break;
  case AT_MAP:
    k.kind = WIT_TD_MAP;
    k.ty = resolve_type(r, ty->a, st);
    k.ty2 = resolve_type(r, ty->b, st);
    if (!valid_map_key(k.ty))
      wfail(r->c, ty->span,
            "invalid map key type: map keys must be bool, u8, u16, u32, u64, s8, s16, s32, s64, char, or string");
    break;
  case AT_OWN: k.kind = WIT_TD_OWN; k.resource = validate_resource(r, &ty->name); break;
  case AT_BORROW: k.kind = WIT_TD_BORROW; k.resource = validate_resource(r, &ty->name); break;
  case AT_TUPLE:
    k.kind = WIT_TD_TUPLE;
    k.n_fields = ty->n;
    k.fields = walloc(r->c, r->a, sizeof(wit_field) * (ty->n + 1));
    for (uint32_t i = 0; i < ty->n; i++) {
      wit_type t = resolve_type(r, ty->elems[i], st);
      k.fields[i].ty = t;
    }
    break;
  case AT_OPTION: k.kind = WIT_TD_OPTION; k.ty = resolve_type(r, ty->a, st); break;
  case AT_RESULT:
    k.kind = WIT_TD_RESULT;
    k.ty = resolve_opt(r, ty->a, st);
    k.ty2 = resolve_opt(r, ty->b, st);
    break;
  case AT_FUTURE: k.kind = WIT_TD_FUTURE; k.ty = resolve_opt(r, ty->a, st); break;
  case AT_STREAM: k.kind = WIT_TD_STREAM; k.ty = resolve_opt(r, ty->a, st); break;
  }
  return k;
}

static wit_type resolve_type(R *r, const ast_type *ty, const wit_stability *st) {
  wit_typedef k = resolve_kind(r, ty, st);
  k.stability = find_stability(r, &k, st);
  k.owner_kind = WIT_OWNER_NONE;
  k.owner = WIT_NONE;
  k.span = ty->span;
  return anon_type_def(r, &k);
}

/* resolve_type_def for a named declaration */
static wit_typedef resolve_decl(R *r, const ast_typedef *td, const wit_stability *st) {
  if (td->kind == TD_ALIAS) return resolve_kind(r, td->ty, st);
  wit_typedef k = {0};
  k.resource = WIT_NONE;
  switch (td->kind) {
  case TD_RESOURCE: {
    k.kind = WIT_TD_RESOURCE;
    int ctors = 0;
    for (uint32_t i = 0; i < td->nf; i++) {
      const ast_named_func *f = &td->funcs[i];
      if (f->rkind == RF_CTOR) {
        if (++ctors > 1) wfail(r->c, f->name.span, "duplicate constructors");
      } else {
        for (uint32_t j = 0; j < i; j++)
          if (td->funcs[j].rkind != RF_CTOR && !strcmp(td->funcs[j].name.name, f->name.name))
            wfail(r->c, f->name.span, "duplicate function name `%s`", f->name.name);
      }
    }
    return k;
  }
  case TD_RECORD: k.kind = WIT_TD_RECORD; break;
  case TD_FLAGS: k.kind = WIT_TD_FLAGS; break;
  case TD_VARIANT:
    k.kind = WIT_TD_VARIANT;
    if (!td->n) wfail(r->c, td->name.span, "empty variant");
    break;
  case TD_ENUM:
    k.kind = WIT_TD_ENUM;
    if (!td->n) wfail(r->c, td->name.span, "empty enum");
    break;
  }
  k.n_fields = td->n;
  k.fields = walloc(r->c, r->a, sizeof(wit_field) * (td->n + 1));
  for (uint32_t i = 0; i < td->n; i++) {
    const ast_case *cs = &td->cases[i];
    k.fields[i].docs = docs_of(r, &cs->docs);
    k.fields[i].name = cs->name.name;
    k.fields[i].span = cs->name.span;
    if (td->kind == TD_RECORD) k.fields[i].ty = resolve_type(r, cs->ty, st);
    else if (td->kind == TD_VARIANT) k.fields[i].ty = resolve_opt(r, cs->ty, st);
  }
  return k;
}

static void collect_deps(R *r, tnode *n, const ast_type *ty) {
  if (!ty) return;
  switch (ty->kind) {
  case AT_NAME: case AT_OWN: case AT_BORROW: tnode_dep(r, n, &ty->name); break;
  case AT_TUPLE:
    for (uint32_t i = 0; i < ty->n; i++) collect_deps(r, n, ty->elems[i]);
    break;
  case AT_LIST: case AT_FIXED: case AT_OPTION: case AT_FUTURE: case AT_STREAM: collect_deps(r, n, ty->a); break;
  case AT_MAP: case AT_RESULT:
    collect_deps(r, n, ty->a);
    collect_deps(r, n, ty->b);
    break;
  default: break;
  }
}

static void resolve_use(R *r, uint32_t owner_kind, wit_id owner, const ast_use *u) {
  wit_id from = iface_from_item(r, resolve_path(r, &u->from));
  wit_stability st = stability_of(r, &u->attrs);
  const char *ext = external_id_of(r, &u->attrs);
  for (uint32_t i = 0; i < u->n; i++) {
    const ast_id *nm = &u->names[i].name;
    lk_entry *e = lk_get(&r->iface_types[from], nm->name);
    if (e && e->item) wfail(r->c, nm->span, "cannot import %s `%s`", e->item, nm->name);
    if (!e) {
      uint32_t n;
      const char **c = lookup_names(r, &r->iface_types[from], &n);
      not_found(r, nm->span, "name", nm->name, c, n, NULL);
    }
    const ast_id *as = u->names[i].as.name ? &u->names[i].as : nm;
    wit_typedef td = {0};
    td.kind = WIT_TD_TYPE;
    td.ty.prim = WIT_PRIM_ID;
    td.ty.id = e->id;
    td.resource = WIT_NONE;
    td.name = as->name;
    td.owner_kind = owner_kind;
    td.owner = owner;
    td.stability = st;
    td.external_id = ext;
    td.span = nm->span;
    wit_id id = alloc_type(r, &td);
    define_name(r, as, NULL, id);
  }
}

/* resolve_types: `use`s first, then declarations in dependency order */
static void resolve_types(R *r, uint32_t owner_kind, wit_id owner, const ast_use *const *uses, uint32_t nu,
                          const ast_typedef *const *defs, const int *is_use, uint32_t nitems) {
  for (uint32_t i = 0; i < nu; i++) resolve_use(r, owner_kind, owner, uses[i]);
  tgraph g = {0};
  size_t total = nitems;
  for (uint32_t i = 0; i < nu; i++) total += uses[i]->n;
  const ast_typedef **which = walloc(r->c, r->a, sizeof(*which) * (total + 1));
  uint32_t ui = 0, di = 0;
  for (uint32_t i = 0; i < nitems; i++) {
    if (!is_use[i]) {
      const ast_typedef *t = defs[di++];
      if (strmap_get(&g.idx, t->name.name) != UINT32_MAX)
        wfail(r->c, t->name.span, "name `%s` is defined more than once", t->name.name);
      uint32_t k = tnode_get(r, &g, t->name.name);
      which[k] = t;
      if (t->kind == TD_ALIAS) collect_deps(r, &g.v[k], t->ty);
      else if (t->kind == TD_RECORD || t->kind == TD_VARIANT)
        for (uint32_t q = 0; q < t->n; q++) collect_deps(r, &g.v[k], t->cases[q].ty);
    } else {
      const ast_use *u = uses[ui++];
      for (uint32_t q = 0; q < u->n; q++) {
        const char *name = u->names[q].as.name ? u->names[q].as.name : u->names[q].name.name;
        uint32_t k = tnode_get(r, &g, name);
        g.v[k].n = 0;
        which[k] = NULL;
      }
    }
  }
  uint32_t n = g.n;
  uint32_t *ord = toposort(r, "type", &g);
  for (uint32_t q = 0; q < n; q++) {
    const ast_typedef *def = which[ord[q]];
    if (!def) continue;
    wit_stability st = stability_of(r, &def->attrs);
    const char *ext = external_id_of(r, &def->attrs);
    const char *docs = docs_of(r, &def->docs);
    wit_typedef k = resolve_decl(r, def, &st);
    k.docs = docs;
    k.stability = st;
    k.external_id = ext;
    k.name = def->name.name;
    k.owner_kind = owner_kind;
    k.owner = owner;
    k.span = def->name.span;
    wit_id id = alloc_type(r, &k);
    define_name(r, &def->name, NULL, id);
  }
}

static wit_param *resolve_params(R *r, const ast_func *f, uint32_t kind, wit_id res, uint32_t *np) {
  wit_param *ps = walloc(r->c, r->a, sizeof(wit_param) * (f->n + 2));
  uint32_t n = 0;
  if (kind == WIT_FN_METHOD || kind == WIT_FN_ASYNC_METHOD) {
    wit_typedef k = {0};
    k.kind = WIT_TD_BORROW;
    k.resource = res;
    wit_stability none = {0};
    k.stability = find_stability(r, &k, &none);
    k.owner = WIT_NONE;
    k.span = f->span;
    ps[n].name = "self";
    ps[n].ty = anon_type_def(r, &k);
    ps[n].span = f->span;
    n++;
  }
  for (uint32_t i = 0; i < f->n; i++) {
    for (uint32_t j = 0; j < n; j++)
      if (!strcmp(ps[j].name, f->params[i].name.name))
        wfail(r->c, f->params[i].name.span, "param `%s` is defined more than once", f->params[i].name.name);
    wit_stability none = {0};
    ps[n].name = f->params[i].name.name;
    ps[n].ty = resolve_type(r, f->params[i].ty, &none);
    ps[n].span = f->params[i].name.span;
    n++;
  }
  *np = n;
  return ps;
}

static wit_function resolve_function(R *r, const ast_docs *docs, const ast_attrs *attrs, const char *name,
                                     wit_span name_span, const ast_func *f, uint32_t kind, wit_id res) {
  wit_function fn = {0};
  fn.docs = docs_of(r, docs);
  fn.stability = stability_of(r, attrs);
  fn.external_id = external_id_of(r, attrs);
  fn.name = name;
  fn.kind = kind;
  fn.resource = res;
  fn.span = name_span;
  fn.params = resolve_params(r, f, kind, res, &fn.n_params);
  wit_stability none = {0};
  if (kind == WIT_FN_CONSTRUCTOR) {
    if (!f->result) {
      fn.result.prim = WIT_PRIM_ID;
      fn.result.id = res;
    } else {
      wit_type t = resolve_type(r, f->result, &none);
      if (t.prim != WIT_PRIM_ID || r->u->types[t.id].kind != WIT_TD_RESULT)
        wfail(r->c, f->result->span, "if a constructor return type is declared it must be a `result`");
      wit_type ok = r->u->types[t.id].ty;
      if (!(ok.prim == WIT_PRIM_ID && ok.id == res))
        wfail(r->c, f->result->kind == AT_RESULT && f->result->a ? f->result->a->span : f->result->span,
              "the `ok` type must be the resource being constructed");
      fn.result = t;
    }
  } else {
    fn.result = resolve_opt(r, f->result, &none);
  }
  return fn;
}

static wit_function resolve_resource_func(R *r, const ast_named_func *f, const ast_id *resource) {
  lk_entry *e = lk_get(&r->tl, resource->name);
  wit_id rid = e ? e->id : 0;
  const char *name;
  uint32_t kind;
  if (f->rkind == RF_METHOD) {
    name = wsprintf(r->c, r->a, "[method]%s.%s", resource->name, f->name.name);
    kind = f->func.async_ ? WIT_FN_ASYNC_METHOD : WIT_FN_METHOD;
  } else if (f->rkind == RF_STATIC) {
    name = wsprintf(r->c, r->a, "[static]%s.%s", resource->name, f->name.name);
    kind = f->func.async_ ? WIT_FN_ASYNC_STATIC : WIT_FN_STATIC;
  } else {
    name = wsprintf(r->c, r->a, "[constructor]%s", resource->name);
    kind = WIT_FN_CONSTRUCTOR;
  }
  return resolve_function(r, &f->docs, &f->attrs, name, f->name.span, &f->func, kind, rid);
}

static void push_func(R *r, wit_interface *in, wit_function fn) {
  uint32_t k = WPUSH(r->c, r->a, in->functions, in->n_functions, in->cap_functions);
  in->functions[k] = fn;
}

static void resolve_interface(R *r, wit_id id, const ast_iface_item *items, uint32_t n, const ast_docs *docs,
                              const ast_attrs *attrs) {
  r->u->ifaces[id].docs = docs_of(r, docs);
  r->u->ifaces[id].stability = stability_of(r, attrs);
  const ast_use **uses = walloc(r->c, r->a, sizeof(void *) * (n + 1));
  const ast_typedef **defs = walloc(r->c, r->a, sizeof(void *) * (n + 1));
  int *is_use = walloc(r->c, r->a, sizeof(int) * (n + 1));
  uint32_t nu = 0, nd = 0, ni = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (items[i].kind == II_USE) { uses[nu++] = items[i].use; is_use[ni++] = 1; }
    else if (items[i].kind == II_TYPEDEF) { defs[nd++] = items[i].td; is_use[ni++] = 0; }
  }
  memset(&r->tl, 0, sizeof r->tl);
  resolve_types(r, WIT_OWNER_INTERFACE, id, uses, nu, defs, is_use, ni);
  for (uint32_t i = 0; i < r->tl.n; i++) {
    wit_interface *in = &r->u->ifaces[id];
    uint32_t k = WPUSH(r->c, r->a, in->types, in->n_types, in->cap_types);
    in->types[k].name = r->tl.v[i].name;
    in->types[k].id = r->tl.v[i].id;
  }
  for (uint32_t i = 0; i < n; i++) {
    const ast_iface_item *it = &items[i];
    if (it->kind == II_FUNC) {
      define_name(r, &it->fn->name, "function", WIT_NONE);
      wit_function fn = resolve_function(r, &it->fn->docs, &it->fn->attrs, it->fn->name.name, it->fn->name.span,
                                         &it->fn->func,
                                         it->fn->func.async_ ? WIT_FN_ASYNC_FREESTANDING : WIT_FN_FREESTANDING, WIT_NONE);
      push_func(r, &r->u->ifaces[id], fn);
    } else if (it->kind == II_TYPEDEF && it->td->kind == TD_RESOURCE) {
      for (uint32_t j = 0; j < it->td->nf; j++) {
        wit_function fn = resolve_resource_func(r, &it->td->funcs[j], &it->td->name);
        push_func(r, &r->u->ifaces[id], fn);
      }
    }
  }
  r->iface_types[id] = r->tl;
  memset(&r->tl, 0, sizeof r->tl);
}

static wit_world_item *world_insert(R *r, wit_id wid, int is_export, const char *key_name, wit_id key_iface,
                                    wit_span err_sp, const char *desc, strmap *idx) {
  wit_world *w = &r->u->worlds[wid];
  wit_world_item **arr = is_export ? &w->exports : &w->imports;
  uint32_t *n = is_export ? &w->n_exports : &w->n_imports;
  uint32_t *cap = is_export ? &w->cap_exports : &w->cap_imports;
  const char *key = wit_item_key(r->c, r->a, key_name, key_iface);
  uint32_t at = strmap_get(idx, key);
  if (at != UINT32_MAX) {
    if (!desc) return NULL;
    wit_world_item *e = &(*arr)[at];
    const char *prev = e->kind == WIT_ITEM_INTERFACE ? "interface" : e->kind == WIT_ITEM_FUNCTION ? "func" : "type";
    wfail(r->c, err_sp, "%s `%s` conflicts with prior %s of same name", desc, key_name ? key_name : "?", prev);
  }
  uint32_t k = wpush(r->c, r->a, (void **)arr, n, cap, sizeof(wit_world_item));
  (*arr)[k].key_name = key_name;
  (*arr)[k].key_iface = key_iface;
  strmap_put(r->c, r->a, idx, key, k);
  return &(*arr)[k];
}

static void resolve_world(R *r, wit_id wid, const ast_world *w) {
  r->u->worlds[wid].docs = docs_of(r, &w->docs);
  r->u->worlds[wid].stability = stability_of(r, &w->attrs);
  strmap iidx = {0}, eidx = {0};
  uint32_t n = w->n;
  const ast_use **uses = walloc(r->c, r->a, sizeof(void *) * (n + 1));
  const ast_typedef **defs = walloc(r->c, r->a, sizeof(void *) * (n + 1));
  int *is_use = walloc(r->c, r->a, sizeof(int) * (n + 1));
  uint32_t nu = 0, nd = 0, ni = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (w->items[i].kind == WI_USE) { uses[nu++] = w->items[i].use; is_use[ni++] = 1; }
    else if (w->items[i].kind == WI_TYPE) { defs[nd++] = w->items[i].td; is_use[ni++] = 0; }
  }
  memset(&r->tl, 0, sizeof r->tl);
  resolve_types(r, WIT_OWNER_WORLD, wid, uses, nu, defs, is_use, ni);
  for (uint32_t i = 0; i < n; i++) {
    if (w->items[i].kind != WI_INCLUDE) continue;
    const ast_include *inc = w->items[i].inc;
    wit_stability st = stability_of(r, &inc->attrs);
    named_item ni2 = resolve_path(r, &inc->from);
    wit_id from = world_from_item(r, ni2);
    wit_world *ww = &r->u->worlds[wid];
    uint32_t cap = ww->n_includes;
    uint32_t k = wpush(r->c, r->a, (void **)&ww->includes, &ww->n_includes, &cap, sizeof(wit_include));
    /* includes array grows by one each time: cap tracked as n */
    wit_include *in = &ww->includes[k];
    in->stability = st;
    in->world = from;
    in->span = ni2.span;
    in->n_names = inc->n;
    in->names = walloc(r->c, r->a, sizeof(wit_include_name) * (inc->n + 1));
    for (uint32_t q = 0; q < inc->n; q++) {
      in->names[q].name = inc->names[q].name.name;
      in->names[q].as = inc->names[q].as.name;
    }
  }
  for (uint32_t i = 0; i < r->tl.n; i++) {
    wit_world_item *it = world_insert(r, wid, 0, r->tl.v[i].name, WIT_NONE, r->tl.v[i].span, "import", &iidx);
    it->kind = WIT_ITEM_TYPE;
    it->id = r->tl.v[i].id;
    it->span = r->tl.v[i].span;
  }
  strmap imported = {0}, exported = {0};
  for (uint32_t i = 0; i < n; i++) {
    const ast_world_item *it = &w->items[i];
    if (it->kind == WI_TYPE && it->td->kind == TD_RESOURCE) {
      for (uint32_t j = 0; j < it->td->nf; j++) {
        wit_function fn = resolve_resource_func(r, &it->td->funcs[j], &it->td->name);
        wit_world_item *wi = world_insert(r, wid, 0, fn.name, WIT_NONE, fn.span, NULL, &iidx);
        if (wi) { wi->kind = WIT_ITEM_FUNCTION; wi->func = fn; wi->span = fn.span; wi->id = WIT_NONE; wi->src_order = i + 1; }
      }
      continue;
    }
    if (it->kind != WI_IMPORT && it->kind != WI_EXPORT) continue;
    int is_export = it->kind == WI_EXPORT;
    const char *desc = is_export ? "export" : "import";
    const ast_extern *e = &it->ext;
    wit_world_item item = {0};
    item.key_iface = WIT_NONE;
    item.id = WIT_NONE;
    wit_span kspan = e->kind == EK_PATH ? e->path.name.span : e->id.span;
    const char *key_name = NULL;
    wit_id key_iface = WIT_NONE;
    switch (e->kind) {
    case EK_INTERFACE: {
      lookup saved = r->tl;
      memset(&r->tl, 0, sizeof r->tl);
      wit_id iid = alloc_interface(r, e->id.span);
      resolve_interface(r, iid, e->items, e->n, &it->docs, &it->attrs);
      r->tl = saved;
      item.kind = WIT_ITEM_INTERFACE;
      item.id = iid;
      item.stability = r->u->ifaces[iid].stability;
      item.external_id = external_id_of(r, &it->attrs);
      item.span = e->id.span;
      key_name = e->id.name;
      break;
    }
    case EK_PATH:
    case EK_NAMED_PATH: {
      item.kind = WIT_ITEM_INTERFACE;
      item.stability = stability_of(r, &it->attrs);
      item.external_id = external_id_of(r, &it->attrs);
      item.docs = docs_of(r, &it->docs);
      named_item ni2 = resolve_path(r, &e->path);
      item.id = iface_from_item(r, ni2);
      if (e->kind == EK_PATH) { item.span = ni2.span; key_iface = item.id; }
      else { item.span = e->id.span; key_name = e->id.name; }
      break;
    }
    case EK_FUNC:
      item.kind = WIT_ITEM_FUNCTION;
      item.func = resolve_function(r, &it->docs, &it->attrs, e->id.name, e->id.span, &e->func,
                                   e->func.async_ ? WIT_FN_ASYNC_FREESTANDING : WIT_FN_FREESTANDING, WIT_NONE);
      item.span = e->id.span;
      key_name = e->id.name;
      break;
    }
    if (!key_name) {
      strmap *set = is_export ? &exported : &imported;
      const char *key = wit_item_key(r->c, r->a, NULL, key_iface);
      if (strmap_get(set, key) != UINT32_MAX) wfail(r->c, kspan, "interface cannot be %sed more than once", desc);
      strmap_put(r->c, r->a, set, key, 1);
    }
    wit_world_item *wi = world_insert(r, wid, is_export, key_name, key_iface, kspan, desc, is_export ? &eidx : &iidx);
    const char *kn = wi->key_name;
    *wi = item;
    wi->src_order = i + 1;
    wi->key_name = kn;
    wi->key_iface = key_iface;
  }
  memset(&r->tl, 0, sizeof r->tl);
}

upkg *wit_ast_resolve(wctx *c, ast_file **files, uint32_t nfiles) {
  R rr;
  memset(&rr, 0, sizeof rr);
  R *r = &rr;
  r->c = c;
  r->a = &c->r->arena;
  r->u = walloc(c, r->a, sizeof(upkg));
  upkg *u = r->u;
  /* package name and docs (Resolver::push) */
  int have = 0;
  for (uint32_t f = 0; f < nfiles; f++) {
    ast_file *af = files[f];
    if (af->has_pkg) {
      wit_package_name n = pkgname_of(&af->pkg);
      if (have && !wit_pkgname_eq(&n, &u->name)) {
        char *a = wit_pkgname_str(c, r->a, &n), *b = wit_pkgname_str(c, r->a, &u->name);
        wfail(c, af->pkg.span, "package identifier `%s` does not match previous package name of `%s`", a, b);
      }
      u->name = n;
      u->name_span = af->pkg.span;
      have = 1;
      const char *d = docs_of(r, &af->pkg.docs);
      if (d) {
        if (u->docs) wfail(c, af->pkg.docs.span, "found doc comments on multiple 'package' items");
        u->docs = d;
      }
    }
    for (uint32_t i = 0; i < af->n; i++)
      if (af->items[i].kind == AI_PACKAGE)
        wfail(c, af->items[i].pkg->pkg.span, "nested packages must be placed at the top-level");
  }
  if (!have) /* wit-parser gives no location; point at the start of the first file */
    wfail(c, nfiles ? wspan(files[0]->file, 0, 0) : wspan_none(),
          "no `package` header was found in any WIT file for this package");
  r->ast_items = walloc(c, r->a, sizeof(item_map) * (nfiles + 1));
  pathlist *pls = walloc(c, r->a, sizeof(pathlist) * (nfiles + 1));
  for (uint32_t f = 0; f < nfiles; f++) pls[f] = paths_of(r, files[f]);
  populate_foreign_deps(r, pls, nfiles);
  wit_id *iorder, *worder;
  uint32_t nio, nwo;
  populate_ast_items(r, files, nfiles, pls, &iorder, &nio, &worder, &nwo);
  populate_foreign_types(r, pls, nfiles);
  /* local interface/world id -> (file, item) */
  uint32_t ni = u->n_ifaces + 1, nw = u->n_worlds + 1;
  ast_item **iast = walloc(c, r->a, sizeof(void *) * ni), **wast = walloc(c, r->a, sizeof(void *) * nw);
  uint32_t *ifile = walloc(c, r->a, sizeof(uint32_t) * ni), *wfile = walloc(c, r->a, sizeof(uint32_t) * nw);
  for (uint32_t f = 0; f < nfiles; f++)
    for (uint32_t i = 0; i < files[f]->n; i++) {
      ast_item *it = &files[f]->items[i];
      if (it->kind != AI_INTERFACE && it->kind != AI_WORLD) continue;
      named_item *x = im_get(&r->ast_items[f], it->kind == AI_INTERFACE ? it->iface->name.name : it->world->name.name);
      if (!x) continue;
      if (x->is_world && x->id < nw) { wast[x->id] = it; wfile[x->id] = f; }
      else if (!x->is_world && x->id < ni) { iast[x->id] = it; ifile[x->id] = f; }
    }
  for (uint32_t q = 0; q < nio; q++) {
    wit_id id = iorder[q];
    ast_item *it = iast[id];
    if (!it) continue;
    r->cur = ifile[id];
    resolve_interface(r, id, it->iface->items, it->iface->n, &it->iface->docs, &it->iface->attrs);
  }
  for (uint32_t q = 0; q < nwo; q++) {
    wit_id id = worder[q];
    ast_item *it = wast[id];
    if (!it) continue;
    r->cur = wfile[id];
    resolve_world(r, id, it->world);
  }
  return u;
}
