/* Resolve: adding unresolved packages to the arenas (wit-parser resolve/mod.rs
 * `Remap::append`), `include` expansion (resolve/clone.rs) and world
 * elaboration (implicit imports, WIT.md "Worlds" / wit-parser elaborate_world),
 * package ordering by dependencies, and loading from files and directories. */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "encode/semver.h"
#include "encode/wat.h"
#include "witparse/internal.h"
#include "witparse/witdecode.h"

/* ---- Remap ---- */
#define EXCLUDED (WIT_NONE - 1)
typedef struct remap {
  wit_id *types;
  uint32_t n_types, cap_types;
  wit_id *ifaces;
  uint32_t n_ifaces, cap_ifaces;
  wit_id *worlds;
  uint32_t n_worlds, cap_worlds;
  struct {
    wit_id from, to;
  } *own;
  uint32_t n_own, cap_own;
  int8_t *has_borrow; /* by resolve type id: 0 unknown, 1 no, 2 yes */
  uint32_t n_hb;
} remap;

typedef struct S {
  wctx *c;
  wit_resolve *r;
  wk_arena *a;
  remap m;
} S;

static wit_id apply_map(S *s, const wit_id *map, uint32_t n, wit_id id, const char *desc, wit_span sp) {
  if (id >= n) wfail(s->c, sp, "internal error: unregistered %s", desc);
  if (map[id] == EXCLUDED)
    wfail(s->c, sp, "found a reference to a %s which is excluded due to its feature not being activated", desc);
  return map[id];
}
static wit_id map_type(S *s, wit_id id, wit_span sp) { return apply_map(s, s->m.types, s->m.n_types, id, "type", sp); }
static wit_id map_iface(S *s, wit_id id, wit_span sp) {
  return apply_map(s, s->m.ifaces, s->m.n_ifaces, id, "interface", sp);
}
static wit_id map_world(S *s, wit_id id, wit_span sp) { return apply_map(s, s->m.worlds, s->m.n_worlds, id, "world", sp); }

static int include_stability(S *s, const wit_stability *st, wit_id pkg, wit_span sp) {
  wit_resolve *r = s->r;
  switch (st->kind) {
  case WIT_STAB_STABLE: {
    if (pkg >= r->n_packages) return 1;
    const wit_package_name *pn = &r->packages[pkg].name;
    char *name = wit_pkgname_str(s->c, s->a, pn);
    if (!pn->version)
      wfail(s->c, sp, "package [%s] contains a feature gate with a version specifier, so it must have a version",
            name);
    if (wk_semver_cmp(st->since, strlen(st->since), pn->version, strlen(pn->version)) > 0)
      wfail(s->c, sp, "feature gate cannot reference unreleased version %s of package [%s] (current version %s)",
            st->since, name, pn->version);
    return 1;
  }
  case WIT_STAB_UNSTABLE:
    if (r->all_features) return 1;
    for (uint32_t i = 0; i < r->n_features; i++)
      if (!strcmp(r->features[i], st->feature)) return 1;
    return 0;
  default: return 1;
  }
}

static int owner_eq(const wit_typedef *a, const wit_typedef *b) {
  return a->owner_kind == b->owner_kind && (a->owner_kind == WIT_OWNER_NONE || a->owner == b->owner);
}

static wit_id alloc_rtype(S *s, const wit_typedef *td) {
  wit_id id = WPUSH(s->c, s->a, s->r->types, s->r->n_types, s->r->cap_types);
  s->r->types[id] = *td;
  return id;
}

static void update_ty(S *s, wit_type *t, wit_span sp) {
  if (t->prim != WIT_PRIM_ID) return;
  t->id = map_type(s, t->id, sp);
  wit_id cur = t->id;
  for (;;) {
    wit_typedef *td = &s->r->types[cur];
    if (td->kind == WIT_TD_TYPE && td->ty.prim == WIT_PRIM_ID) { cur = td->ty.id; continue; }
    if (td->kind != WIT_TD_RESOURCE) return;
    break;
  }
  for (uint32_t i = 0; i < s->m.n_own; i++)
    if (s->m.own[i].from == t->id) { t->id = s->m.own[i].to; return; }
  wit_typedef h = {0};
  h.kind = WIT_TD_OWN;
  h.resource = t->id;
  h.owner = WIT_NONE;
  h.span = wspan_none();
  wit_id nid = alloc_rtype(s, &h);
  uint32_t k = WPUSH(s->c, s->a, s->m.own, s->m.n_own, s->m.cap_own);
  s->m.own[k].from = t->id;
  s->m.own[k].to = nid;
  t->id = nid;
}

static void update_typedef(S *s, wit_typedef *td, wit_span sp) {
  switch (td->kind) {
  case WIT_TD_OWN: case WIT_TD_BORROW: td->resource = map_type(s, td->resource, sp); break;
  case WIT_TD_RECORD:
    for (uint32_t i = 0; i < td->n_fields; i++) update_ty(s, &td->fields[i].ty, td->fields[i].span);
    break;
  case WIT_TD_TUPLE: case WIT_TD_VARIANT:
    for (uint32_t i = 0; i < td->n_fields; i++) update_ty(s, &td->fields[i].ty, sp);
    break;
  case WIT_TD_OPTION: case WIT_TD_LIST: case WIT_TD_FIXED_LIST: case WIT_TD_FUTURE: case WIT_TD_STREAM:
    update_ty(s, &td->ty, sp);
    break;
  case WIT_TD_MAP: case WIT_TD_RESULT:
    update_ty(s, &td->ty, sp);
    update_ty(s, &td->ty2, sp);
    break;
  case WIT_TD_TYPE:
    if (td->ty.prim == WIT_PRIM_ID) td->ty.id = map_type(s, td->ty.id, sp);
    break;
  default: break;
  }
}

/* Which type definitions contain a `borrow<T>` (WIT.md "Item: use"/functions: a function result
 * may not; CanonicalABI.md lift/lower of borrow handles): the one copy of the rule, a walk over
 * the kinds that refer to other types; `rec` is called for each referenced type. */
typedef int (*borrow_rec)(void *ctx, const wit_resolve *r, wit_type t, int depth);
static int typedef_walk_borrow(const wit_typedef *td, borrow_rec rec, void *ctx, const wit_resolve *r, int depth) {
  switch (td->kind) {
  case WIT_TD_TYPE: case WIT_TD_LIST: case WIT_TD_FIXED_LIST: case WIT_TD_OPTION: case WIT_TD_FUTURE:
  case WIT_TD_STREAM: return rec(ctx, r, td->ty, depth);
  case WIT_TD_BORROW: return 1;
  case WIT_TD_RECORD: case WIT_TD_TUPLE: case WIT_TD_VARIANT:
    for (uint32_t i = 0; i < td->n_fields; i++)
      if (rec(ctx, r, td->fields[i].ty, depth)) return 1;
    return 0;
  case WIT_TD_MAP: case WIT_TD_RESULT: return rec(ctx, r, td->ty, depth) || rec(ctx, r, td->ty2, depth);
  default: return 0;
  }
}

static int plain_has_borrow(void *ctx, const wit_resolve *r, wit_type t, int depth) {
  (void)ctx;
  if (t.prim != WIT_PRIM_ID || t.id >= r->n_types || depth > WIT_MAX_TYPE_DEPTH) return 0;
  return typedef_walk_borrow(&r->types[t.id], plain_has_borrow, NULL, r, depth + 1);
}

int wit_type_has_borrow(const wit_resolve *r, wit_type t) { return plain_has_borrow(NULL, r, t, 0); }

static int type_has_borrow(S *s, wit_type t, int depth);
static int memo_has_borrow(void *ctx, const wit_resolve *r, wit_type t, int depth) {
  (void)r;
  return type_has_borrow(ctx, t, depth);
}
static int typedef_has_borrow(S *s, const wit_typedef *td, int depth) {
  return typedef_walk_borrow(td, memo_has_borrow, s, s->r, depth);
}
static int type_has_borrow(S *s, wit_type t, int depth) {
  if (t.prim != WIT_PRIM_ID) return 0;
  if (depth > 10000) wfail(s->c, s->r->types[t.id].span, "type nesting too deep");
  if (t.id < s->m.n_hb && s->m.has_borrow[t.id]) return s->m.has_borrow[t.id] == 2;
  int res = typedef_has_borrow(s, &s->r->types[t.id], depth + 1);
  if (t.id >= s->m.n_hb) {
    uint32_t nn = s->r->n_types + 64;
    int8_t *nb = walloc(s->c, s->a, nn);
    if (s->m.n_hb) wmemcpy(nb, s->m.has_borrow, s->m.n_hb);
    s->m.has_borrow = nb;
    s->m.n_hb = nn;
  }
  s->m.has_borrow[t.id] = res ? 2 : 1;
  return res;
}

static void update_function(S *s, wit_function *f, wit_span sp) {
  if (f->kind != WIT_FN_FREESTANDING && f->kind != WIT_FN_ASYNC_FREESTANDING)
    f->resource = map_type(s, f->resource, sp);
  wit_param *np = walloc(s->c, s->a, sizeof(wit_param) * (f->n_params + 1));
  wmemcpy(np, f->params, sizeof(wit_param) * f->n_params);
  f->params = np;
  for (uint32_t i = 0; i < f->n_params; i++) update_ty(s, &f->params[i].ty, sp);
  update_ty(s, &f->result, sp);
  if (type_has_borrow(s, f->result, 0))
    wfail(s->c, sp, "function `%s` returns a type which contains a `borrow<T>` which is not supported", f->name);
}

static void update_interface(S *s, wit_interface *in) {
  uint32_t k = 0;
  for (uint32_t i = 0; i < in->n_types; i++) {
    wit_id u = in->types[i].id;
    if (u < s->m.n_types && s->m.types[u] == EXCLUDED) continue;
    in->types[k] = in->types[i];
    in->types[k].id = map_type(s, u, in->span);
    k++;
  }
  in->n_types = k;
  k = 0;
  for (uint32_t i = 0; i < in->n_functions; i++) {
    wit_function f = in->functions[i];
    if (!include_stability(s, &f.stability, in->package, f.span)) continue;
    update_function(s, &f, f.span);
    in->functions[k++] = f;
  }
  in->n_functions = k;
}

static const wit_stability *item_stability(S *s, const wit_world_item *it) {
  if (it->kind == WIT_ITEM_FUNCTION) return &it->func.stability;
  if (it->kind == WIT_ITEM_TYPE) return &s->r->types[it->id].stability;
  return &it->stability;
}

static void update_world_items(S *s, wit_world_item **arr, uint32_t *n, wit_id pkg) {
  uint32_t k = 0;
  for (uint32_t i = 0; i < *n; i++) {
    wit_world_item it = (*arr)[i];
    wit_span sp = it.span;
    if (it.kind == WIT_ITEM_TYPE) it.id = map_type(s, it.id, sp);
    if (!include_stability(s, item_stability(s, &it), pkg, sp)) continue;
    if (!it.key_name) it.key_iface = map_iface(s, it.key_iface, sp);
    if (it.kind == WIT_ITEM_INTERFACE) it.id = map_iface(s, it.id, sp);
    else if (it.kind == WIT_ITEM_FUNCTION) update_function(s, &it.func, sp);
    (*arr)[k++] = it;
  }
  *n = k;
}

/* ---- cloning for `include` (resolve/clone.rs) ---- */
typedef struct clone_map {
  wit_id *t; /* old type id -> clone (WIT_NONE = not cloned); ids < nt */
  uint32_t nt;
  struct {
    wit_id from, to;
  } *i;
  uint32_t ni, ci;
} clone_map;
typedef struct cloner {
  S *s;
  clone_map *maps;
  uint32_t prev_kind, new_kind;
  wit_id prev, new_;
  wit_id new_package;
  uint32_t depth; /* recursion guard (alias chains) */
} cloner;

static wit_id *cm_type(clone_map *m, wit_id from) {
  if (from >= m->nt || m->t[from] == WIT_NONE) return NULL;
  return &m->t[from];
}
static void cl_type_id(cloner *c, wit_id *ty);
static void cl_ty(cloner *c, wit_type *t) {
  if (t->prim == WIT_PRIM_ID) cl_type_id(c, &t->id);
}
static void cl_type_def(cloner *c, wit_typedef *def) {
  if (def->owner_kind != WIT_OWNER_NONE) {
    def->owner_kind = c->new_kind;
    def->owner = c->new_;
  }
  switch (def->kind) {
  case WIT_TD_TYPE:
    if (def->ty.prim == WIT_PRIM_ID) {
      wit_typedef *t = &c->s->r->types[def->ty.id];
      if (t->owner_kind == c->prev_kind && t->owner == c->prev) cl_type_id(c, &def->ty.id);
      else {
        wit_id *m = cm_type(c->maps, def->ty.id);
        if (m) def->ty.id = *m;
      }
    }
    break;
  case WIT_TD_OWN: case WIT_TD_BORROW: cl_type_id(c, &def->resource); break;
  case WIT_TD_OPTION: case WIT_TD_LIST: case WIT_TD_FIXED_LIST: case WIT_TD_FUTURE: case WIT_TD_STREAM:
    cl_ty(c, &def->ty);
    break;
  case WIT_TD_MAP: case WIT_TD_RESULT:
    cl_ty(c, &def->ty);
    cl_ty(c, &def->ty2);
    break;
  case WIT_TD_TUPLE: case WIT_TD_RECORD: case WIT_TD_VARIANT: {
    wit_field *nf = walloc(c->s->c, c->s->a, sizeof(wit_field) * (def->n_fields + 1));
    wmemcpy(nf, def->fields, sizeof(wit_field) * def->n_fields);
    def->fields = nf;
    for (uint32_t i = 0; i < def->n_fields; i++) cl_ty(c, &def->fields[i].ty);
    break;
  }
  default: break;
  }
}
static void cl_type_id(cloner *c, wit_id *ty) {
  wit_id *m = cm_type(c->maps, *ty);
  if (!m) {
    wit_typedef nt = c->s->r->types[*ty];
    if (++c->depth > 10000) wfail(c->s->c, nt.span, "type nesting too deep");
    cl_type_def(c, &nt);
    c->depth--;
    wit_id id = alloc_rtype(c->s, &nt);
    if (*ty < c->maps->nt) c->maps->t[*ty] = id;
    *ty = id;
    return;
  }
  *ty = *m;
}
static void cl_function(cloner *c, wit_function *f) {
  if (f->kind != WIT_FN_FREESTANDING && f->kind != WIT_FN_ASYNC_FREESTANDING) cl_type_id(c, &f->resource);
  wit_param *np = walloc(c->s->c, c->s->a, sizeof(wit_param) * (f->n_params + 1));
  wmemcpy(np, f->params, sizeof(wit_param) * f->n_params);
  f->params = np;
  for (uint32_t i = 0; i < f->n_params; i++) cl_ty(c, &f->params[i].ty);
  cl_ty(c, &f->result);
}
static void cl_interface(cloner *c, wit_id *id) {
  S *s = c->s;
  wit_id old = *id;
  wit_interface nw = s->r->interfaces[old];
  wit_id next = s->r->n_interfaces;
  cloner sub = {s, c->maps, WIT_OWNER_INTERFACE, WIT_OWNER_INTERFACE, old, next, WIT_NONE, c->depth};
  nw.types = walloc(s->c, s->a, sizeof(wit_named_id) * (nw.n_types + 1));
  wmemcpy(nw.types, s->r->interfaces[old].types, sizeof(wit_named_id) * nw.n_types);
  nw.cap_types = nw.n_types;
  for (uint32_t i = 0; i < nw.n_types; i++) cl_type_id(&sub, &nw.types[i].id);
  nw.functions = walloc(s->c, s->a, sizeof(wit_function) * (nw.n_functions + 1));
  wmemcpy(nw.functions, s->r->interfaces[old].functions, sizeof(wit_function) * nw.n_functions);
  nw.cap_functions = nw.n_functions;
  for (uint32_t i = 0; i < nw.n_functions; i++) cl_function(&sub, &nw.functions[i]);
  if (c->new_package != WIT_NONE) nw.package = c->new_package;
  else if (c->new_kind == WIT_OWNER_INTERFACE) nw.package = s->r->interfaces[c->new_].package;
  else nw.package = s->r->worlds[c->new_].package;
  nw.clone_of = old;
  wit_id nid = WPUSH(s->c, s->a, s->r->interfaces, s->r->n_interfaces, s->r->cap_interfaces);
  s->r->interfaces[nid] = nw;
  uint32_t k = WPUSH(s->c, s->a, c->maps->i, c->maps->ni, c->maps->ci);
  c->maps->i[k].from = old;
  c->maps->i[k].to = next;
  *id = nid;
}
static void cl_world_item(cloner *c, wit_world_item *it) {
  if (!it->key_name) return;
  if (it->kind == WIT_ITEM_TYPE) cl_type_id(c, &it->id);
  else if (it->kind == WIT_ITEM_FUNCTION) cl_function(c, &it->func);
  else if (!c->s->r->interfaces[it->id].name) cl_interface(c, &it->id);
}

/* `include` renaming: `original` matches `name` directly or as [kind]name(.rest) */
static const char *include_rename(S *s, const char *orig, const wit_include_name *in) {
  if (!strcmp(orig, in->name)) return in->as;
  const char *rb = strchr(orig, ']');
  if (!rb) return NULL;
  const char *rest = rb + 1;
  const char *dot = strchr(rest, '.');
  size_t kl = (size_t)(rb - orig);
  if (dot && (size_t)(dot - rest) == strlen(in->name) && !memcmp(rest, in->name, (size_t)(dot - rest)))
    return wsprintf(s->c, s->a, "%.*s]%s.%s", (int)kl, orig, in->as, dot + 1);
  if (!strcmp(rest, in->name)) return wsprintf(s->c, s->a, "%.*s]%s", (int)kl, orig, in->as);
  return NULL;
}


static void update_stability(S *s, const wit_stability *from, wit_stability *into, wit_span sp) {
  if (wit_stab_eq(from, into) || from->kind == WIT_STAB_UNKNOWN) return;
  if (into->kind == WIT_STAB_UNKNOWN) { *into = *from; return; }
  wfail(s->c, sp, "mismatch in stability from '%s' to '%s'",
        from->kind == WIT_STAB_STABLE ? from->since : from->feature,
        into->kind == WIT_STAB_STABLE ? into->since : into->feature);
}

static strmap world_index(S *s, const wit_world_item *v, uint32_t n) {
  strmap m = {0};
  for (uint32_t i = 0; i < n; i++) strmap_put(s->c, s->a, &m, wit_item_key(s->c, s->a, v[i].key_name, v[i].key_iface), i);
  return m;
}

static void resolve_include_item(S *s, cloner *cl, wit_id wid, int is_export, const wit_include *inc,
                                 const wit_world_item *item, int is_external, strmap *idx) {
  wit_resolve *r = s->r;
  if (item->key_name) {
    const char *n = item->key_name;
    for (uint32_t i = 0; i < inc->n_names; i++) {
      const char *x = include_rename(s, item->key_name, &inc->names[i]);
      if (x) { n = x; break; }
    }
    wit_world_item ni = *item;
    cl_world_item(cl, &ni);
    if (ni.kind == WIT_ITEM_FUNCTION) ni.func.name = n;
    else if (ni.kind == WIT_ITEM_TYPE) r->types[ni.id].name = n;
    ni.key_name = n;
    ni.origin = WIT_ORIGIN_INCLUDED;
    wit_world *w = &r->worlds[wid];
    wit_world_item **arr = is_export ? &w->exports : &w->imports;
    uint32_t *cnt = is_export ? &w->n_exports : &w->n_imports;
    uint32_t *cap = is_export ? &w->cap_exports : &w->cap_imports;
    if (strmap_get(idx, n) != UINT32_MAX)
      wfail(s->c, inc->span, "%s of `%s` shadows previously %sed items", is_export ? "export" : "import", n,
            is_export ? "export" : "import");
    uint32_t k = wpush(s->c, s->a, (void **)arr, cnt, cap, sizeof(wit_world_item));
    (*arr)[k] = ni;
    strmap_put(s->c, s->a, idx, n, k);
  } else {
    wit_world *w = &r->worlds[wid];
    wit_world_item **arr = is_export ? &w->exports : &w->imports;
    uint32_t *cnt = is_export ? &w->n_exports : &w->n_imports;
    uint32_t *cap = is_export ? &w->cap_exports : &w->cap_imports;
    const char *key = wit_item_key(s->c, s->a, NULL, item->key_iface);
    uint32_t at = strmap_get(idx, key);
    wit_world_item *prev;
    if (at == UINT32_MAX) {
      uint32_t k = wpush(s->c, s->a, (void **)arr, cnt, cap, sizeof(wit_world_item));
      (*arr)[k] = *item;
      (*arr)[k].origin = WIT_ORIGIN_INCLUDED;
      prev = &(*arr)[k];
      strmap_put(s->c, s->a, idx, key, k);
    } else {
      prev = &(*arr)[at];
    }
    if (is_external && item->stability.kind == WIT_STAB_STABLE) {
      memset(&prev->stability, 0, sizeof prev->stability);
      return;
    }
    update_stability(s, &item->stability, &prev->stability, item->span);
  }
}

static void resolve_include(S *s, wit_id wid, const wit_include *inc, wit_id pkg) {
  wit_resolve *r = s->r;
  wit_id iw = map_world(s, inc->world, inc->span);
  /* snapshot of the included world's items (they may be this world's arrays' neighbours) */
  wit_world src = r->worlds[iw];
  wit_world_item *imps = walloc(s->c, s->a, sizeof(wit_world_item) * (src.n_imports + 1));
  wit_world_item *exps = walloc(s->c, s->a, sizeof(wit_world_item) * (src.n_exports + 1));
  wmemcpy(imps, src.imports, sizeof(wit_world_item) * src.n_imports);
  wmemcpy(exps, src.exports, sizeof(wit_world_item) * src.n_exports);
  int is_external = r->worlds[wid].package != src.package;
  for (uint32_t q = 0; q < inc->n_names; q++) {
    int used = 0;
    for (uint32_t i = 0; i < src.n_imports && !used; i++)
      if (imps[i].key_name && include_rename(s, imps[i].key_name, &inc->names[q])) used = 1;
    for (uint32_t i = 0; i < src.n_exports && !used; i++)
      if (exps[i].key_name && include_rename(s, exps[i].key_name, &inc->names[q])) used = 1;
    if (!used)
      wfail(s->c, inc->span, "no import or export kebab-name `%s`. Note that an ID does not support renaming",
            inc->names[q].name);
  }
  clone_map maps = {0};
  maps.nt = r->n_types;
  maps.t = walloc(s->c, s->a, sizeof(wit_id) * (maps.nt + 1));
  for (uint32_t i = 0; i < maps.nt; i++) maps.t[i] = WIT_NONE;
  cloner cl = {s, &maps, WIT_OWNER_WORLD, WIT_OWNER_WORLD, iw, wid, pkg, 0};
  strmap iidx = world_index(s, r->worlds[wid].imports, r->worlds[wid].n_imports);
  strmap eidx = world_index(s, r->worlds[wid].exports, r->worlds[wid].n_exports);
  for (uint32_t i = 0; i < src.n_imports; i++) resolve_include_item(s, &cl, wid, 0, inc, &imps[i], is_external, &iidx);
  for (uint32_t i = 0; i < src.n_exports; i++) resolve_include_item(s, &cl, wid, 1, inc, &exps[i], is_external, &eidx);
}

/* kebab-case names are case-insensitive: `GET-USER` and `get-user` clash */
static void validate_case_insensitive(S *s, wit_id wid) {
  wit_world *w = &s->r->worlds[wid];
  for (int ex = 0; ex < 2; ex++) {
    wit_world_item *arr = ex ? w->exports : w->imports;
    uint32_t n = ex ? w->n_exports : w->n_imports;
    strmap seen = {0};
    for (uint32_t i = 0; i < n; i++) {
      if (!arr[i].key_name) continue;
      size_t len = strlen(arr[i].key_name);
      char *low = walloc(s->c, s->a, len + 1);
      for (size_t k = 0; k <= len; k++) {
        char ch = arr[i].key_name[k];
        low[k] = (ch >= 'A' && ch <= 'Z') ? (char)(ch + 32) : ch;
      }
      uint32_t j = strmap_get(&seen, low);
      if (j != UINT32_MAX && strcmp(arr[i].key_name, arr[j].key_name)) {
        const char *what = ex ? "export" : "import";
        wit_span sp = arr[i].span;
        if (arr[i].kind == WIT_ITEM_FUNCTION) sp = arr[i].func.span;
        wfail(s->c, sp, "%s `%s` in world `%s` conflicts with %s `%s` (kebab-case identifiers are case-insensitive)",
              what, arr[i].key_name, w->name, what, arr[j].key_name);
      }
      strmap_put(s->c, s->a, &seen, low, i);
    }
  }
}

/* ---- world elaboration ---- */
static wit_id type_interface_dep(const wit_resolve *r, wit_id id) {
  const wit_typedef *t = &r->types[id];
  if (t->kind != WIT_TD_TYPE || t->ty.prim != WIT_PRIM_ID) return WIT_NONE;
  const wit_typedef *o = &r->types[t->ty.id];
  if (owner_eq(t, o)) return WIT_NONE;
  if (o->owner_kind == WIT_OWNER_INTERFACE) return o->owner;
  return WIT_NONE;
}

typedef struct itemvec {
  wit_world_item *v;
  uint32_t n, cap;
  strmap idx;
} itemvec;

static int sort_key(const wit_resolve *r, const wit_world_item *it) {
  switch (it->kind) {
  case WIT_ITEM_INTERFACE: return 0;
  case WIT_ITEM_TYPE: {
    const wit_typedef *t = &r->types[it->id];
    if (t->kind == WIT_TD_TYPE && t->ty.prim == WIT_PRIM_ID && !owner_eq(&r->types[t->ty.id], t)) return 1;
    return 2;
  }
  default:
    return (it->func.kind == WIT_FN_FREESTANDING || it->func.kind == WIT_FN_ASYNC_FREESTANDING) ? 3 : 4;
  }
}
static void stable_sort_items(S *s, wit_world_item *v, uint32_t n) {
  wit_world_item *tmp = walloc(s->c, s->a, sizeof(wit_world_item) * (n + 1));
  uint32_t k = 0;
  for (int key = 0; key <= 4; key++)
    for (uint32_t i = 0; i < n; i++)
      if (sort_key(s->r, &v[i]) == key) tmp[k++] = v[i];
  wmemcpy(v, tmp, sizeof(wit_world_item) * n);
}

static wit_world_item *iv_find_s(S *s, itemvec *v, const char *name, wit_id iface) {
  uint32_t i = strmap_get(&v->idx, wit_item_key(s->c, s->a, name, iface));
  return i == UINT32_MAX ? NULL : &v->v[i];
}
#define iv_find(v, name, iface) iv_find_s(s, (v), (name), (iface))
static void iv_push(S *s, itemvec *v, const wit_world_item *it) {
  uint32_t k = WPUSH(s->c, s->a, v->v, v->n, v->cap);
  v->v[k] = *it;
  strmap_put(s->c, s->a, &v->idx, wit_item_key(s->c, s->a, it->key_name, it->key_iface), k);
}

static void elaborate_import(S *s, itemvec *imports, const char *key_name, wit_id key_iface, wit_id id,
                             const wit_stability *st, const char *docs, const char *ext, int depth,
                             const wit_world_item *orig) {
  if (iv_find(imports, key_name, key_iface) || depth > 10000) return;
  const wit_interface *in = &s->r->interfaces[id];
  for (uint32_t i = 0; i < in->n_types; i++) {
    wit_id dep = type_interface_dep(s->r, in->types[i].id);
    if (dep != WIT_NONE) elaborate_import(s, imports, NULL, dep, dep, st, NULL, NULL, depth + 1, NULL);
    in = &s->r->interfaces[id];
  }
  wit_world_item it = {0};
  it.key_name = key_name;
  it.key_iface = key_iface;
  it.kind = WIT_ITEM_INTERFACE;
  it.id = id;
  it.stability = *st;
  it.docs = docs;
  it.external_id = ext;
  it.span = wspan_none();
  it.origin = WIT_ORIGIN_ELABORATED;
  if (orig) {
    it.span = orig->span;
    it.src_order = orig->src_order;
    it.origin = orig->origin;
  }
  iv_push(s, imports, &it);
}

typedef struct idset {
  wit_id *v;
  uint32_t n, cap;
} idset;
static int ids_has(idset *x, wit_id id) {
  for (uint32_t i = 0; i < x->n; i++)
    if (x->v[i] == id) return 1;
  return 0;
}

static int add_world_export(S *s, itemvec *imports, itemvec *exports, itemvec *export_ifaces, idset *required,
                            const wit_world_item *item, int add_export, int depth) {
  if (depth > 10000) return 0;
  if (iv_find(exports, item->key_name, item->key_iface)) return add_export ? 1 : 0;
  wit_id id = item->id;
  if (!add_export && ids_has(required, id)) return 1;
  const wit_interface *in = &s->r->interfaces[id];
  for (uint32_t i = 0; i < in->n_types; i++) {
    wit_id dep = type_interface_dep(s->r, s->r->interfaces[id].types[i].id);
    if (dep == WIT_NONE) continue;
    wit_world_item d = {0};
    d.key_iface = dep;
    d.kind = WIT_ITEM_INTERFACE;
    d.id = dep;
    d.stability = item->stability;
    d.external_id = item->external_id;
    d.span = wspan_none();
    d.origin = WIT_ORIGIN_ELABORATED;
    wit_world_item *explicit_ = iv_find(export_ifaces, NULL, dep);
    int ae = add_export && explicit_ != NULL;
    if (ae) {
      /* exported anyway: keep where it was written (wit-parser still synthesizes the item) */
      d.origin = explicit_->origin;
      d.src_order = explicit_->src_order;
    }
    if (!add_world_export(s, imports, exports, export_ifaces, required, &d, ae, depth + 1)) return 0;
  }
  if (add_export) {
    if (ids_has(required, id)) return 0;
    iv_push(s, exports, item);
  } else {
    uint32_t k = WPUSH(s->c, s->a, required->v, required->n, required->cap);
    required->v[k] = id;
    if (!iv_find(imports, item->key_name, item->key_iface)) iv_push(s, imports, item);
  }
  return 1;
}

static void elaborate_world(S *s, wit_id wid) {
  wit_resolve *r = s->r;
  wit_world w = r->worlds[wid];
  itemvec imports = {0}, exports = {0}, eifaces = {0};
  wit_world_item *sorted = walloc(s->c, s->a, sizeof(wit_world_item) * (w.n_imports + 1));
  wmemcpy(sorted, w.imports, sizeof(wit_world_item) * w.n_imports);
  stable_sort_items(s, sorted, w.n_imports);
  for (uint32_t i = 0; i < w.n_imports; i++) {
    wit_world_item *it = &sorted[i];
    if (it->kind == WIT_ITEM_INTERFACE) {
      elaborate_import(s, &imports, it->key_name, it->key_iface, it->id, &it->stability, it->docs, it->external_id, 0,
                       it);
    } else if (it->kind == WIT_ITEM_FUNCTION) {
      iv_push(s, &imports, it);
    } else {
      wit_id dep = type_interface_dep(r, it->id);
      if (dep != WIT_NONE) {
        wit_stability st = r->types[it->id].stability;
        elaborate_import(s, &imports, NULL, dep, dep, &st, NULL, NULL, 0, NULL);
      }
      iv_push(s, &imports, it);
    }
  }
  for (uint32_t i = 0; i < w.n_exports; i++) {
    if (w.exports[i].kind == WIT_ITEM_INTERFACE) iv_push(s, &eifaces, &w.exports[i]);
    else iv_push(s, &exports, &w.exports[i]);
  }
  idset required = {0};
  for (uint32_t i = 0; i < eifaces.n; i++) {
    if (!add_world_export(s, &imports, &exports, &eifaces, &required, &eifaces.v[i], 1, 0)) {
      char buf[512];
      const char *name = eifaces.v[i].key_name;
      if (!name) name = wit_interface_id_string(r, eifaces.v[i].key_iface, buf, sizeof buf);
      wfail(s->c, w.span, "interface `%s` transitively depends on an interface in incompatible ways", name);
    }
  }
  stable_sort_items(s, imports.v, imports.n);
  r->worlds[wid].imports = imports.v;
  r->worlds[wid].n_imports = imports.n;
  r->worlds[wid].cap_imports = imports.cap;
  r->worlds[wid].exports = exports.v;
  r->worlds[wid].n_exports = exports.n;
  r->worlds[wid].cap_exports = exports.cap;
}

/* ---- append (Remap::append) ---- */
static wit_id find_named(const wit_named_id *v, uint32_t n, const char *name) {
  for (uint32_t i = 0; i < n; i++)
    if (!strcmp(v[i].name, name)) return v[i].id;
  return WIT_NONE;
}

static void push_map(S *s, wit_id **arr, uint32_t *n, uint32_t *cap, wit_id v) {
  uint32_t k = wpush(s->c, s->a, (void **)arr, n, cap, sizeof(wit_id));
  (*arr)[k] = v;
}

static wit_id find_pkg(S *s, const wit_package_name *n) {
  for (uint32_t i = 0; i < s->r->n_packages; i++)
    if (wit_pkgname_eq(&s->r->packages[i].name, n)) return i;
  return WIT_NONE;
}

static _Noreturn void pkg_not_found(S *s, const wit_package_name *n, wit_span sp) {
  const char **c = walloc(s->c, s->a, sizeof(char *) * (s->r->n_packages + 1));
  for (uint32_t i = 0; i < s->r->n_packages; i++) c[i] = wit_pkgname_str(s->c, s->a, &s->r->packages[i].name);
  char *want = wit_pkgname_str(s->c, s->a, n);
  const char *near = wit_nearest(want, c, s->r->n_packages);
  if (near) wfail(s->c, sp, "package '%s' not found (did you mean '%s'?)", want, near);
  wfail(s->c, sp, "package '%s' not found", want);
}

static void process_foreign(S *s, upkg *u, wit_id pkgid) {
  wit_resolve *r = s->r;
  /* interfaces */
  for (uint32_t i = 0; i < u->n_ifaces; i++) {
    foreign_pkg *fp = NULL;
    foreign_item *fi = NULL;
    for (uint32_t d = 0; d < u->n_deps && !fi; d++)
      for (uint32_t k = 0; k < u->deps[d].n; k++)
        if (!u->deps[d].items[k].is_world && u->deps[d].items[k].id == i) { fp = &u->deps[d]; fi = &u->deps[d].items[k]; break; }
    if (!fi) break;
    wit_id pid = find_pkg(s, &fp->name);
    if (pid == WIT_NONE) pkg_not_found(s, &fp->name, fp->span);
    int enabled = 0;
    for (uint32_t k = 0; k < fi->n_stabs && !enabled; k++)
      if (include_stability(s, &fi->stabs[k], pkgid, u->ifaces[i].span)) enabled = 1;
    if (!enabled) { push_map(s, &s->m.ifaces, &s->m.n_ifaces, &s->m.cap_ifaces, EXCLUDED); continue; }
    wit_package *p = &r->packages[pid];
    wit_id iid = find_named(p->interfaces, p->n_interfaces, fi->name);
    if (iid == WIT_NONE) {
      const char **c = walloc(s->c, s->a, sizeof(char *) * (p->n_interfaces + 1));
      for (uint32_t k = 0; k < p->n_interfaces; k++) c[k] = p->interfaces[k].name;
      const char *near = wit_nearest(fi->name, c, p->n_interfaces);
      char *pn = wit_pkgname_str(s->c, s->a, &p->name);
      if (near) wfail(s->c, u->ifaces[i].span, "interface '%s' not found in package '%s' (did you mean '%s'?)", fi->name, pn, near);
      wfail(s->c, u->ifaces[i].span, "interface '%s' not found in package '%s'", fi->name, pn);
    }
    push_map(s, &s->m.ifaces, &s->m.n_ifaces, &s->m.cap_ifaces, iid);
  }
  /* worlds */
  for (uint32_t i = 0; i < u->n_worlds; i++) {
    foreign_pkg *fp = NULL;
    foreign_item *fi = NULL;
    for (uint32_t d = 0; d < u->n_deps && !fi; d++)
      for (uint32_t k = 0; k < u->deps[d].n; k++)
        if (u->deps[d].items[k].is_world && u->deps[d].items[k].id == i) { fp = &u->deps[d]; fi = &u->deps[d].items[k]; break; }
    if (!fi) break;
    wit_id pid = find_pkg(s, &fp->name);
    if (pid == WIT_NONE) pkg_not_found(s, &fp->name, fp->span);
    int enabled = 0;
    for (uint32_t k = 0; k < fi->n_stabs && !enabled; k++)
      if (include_stability(s, &fi->stabs[k], pkgid, u->worlds[i].span)) enabled = 1;
    if (!enabled) { push_map(s, &s->m.worlds, &s->m.n_worlds, &s->m.cap_worlds, EXCLUDED); continue; }
    wit_package *p = &r->packages[pid];
    wit_id wid = find_named(p->worlds, p->n_worlds, fi->name);
    if (wid == WIT_NONE) {
      char *pn = wit_pkgname_str(s->c, s->a, &p->name);
      const char **c = walloc(s->c, s->a, sizeof(char *) * (p->n_worlds + 1));
      for (uint32_t k = 0; k < p->n_worlds; k++) c[k] = p->worlds[k].name;
      const char *near = wit_nearest(fi->name, c, p->n_worlds);
      if (near) wfail(s->c, u->worlds[i].span, "world '%s' not found in package '%s' (did you mean '%s'?)", fi->name, pn, near);
      wfail(s->c, u->worlds[i].span, "world '%s' not found in package '%s'", fi->name, pn);
    }
    push_map(s, &s->m.worlds, &s->m.n_worlds, &s->m.cap_worlds, wid);
  }
  /* types */
  for (uint32_t i = 0; i < u->n_types; i++) {
    wit_typedef *t = &u->types[i];
    if (t->kind != WIT_TD_UNKNOWN) break;
    if (!include_stability(s, &t->stability, pkgid, t->span)) {
      push_map(s, &s->m.types, &s->m.n_types, &s->m.cap_types, EXCLUDED);
      continue;
    }
    wit_id iid = map_iface(s, t->owner, i < u->n_uts ? u->unknown_type_spans[i] : t->span);
    wit_interface *in = &r->interfaces[iid];
    wit_id tid = find_named(in->types, in->n_types, t->name);
    wit_span sp = i < u->n_uts ? u->unknown_type_spans[i] : t->span;
    if (tid == WIT_NONE) {
      const char **c = walloc(s->c, s->a, sizeof(char *) * (in->n_types + 1));
      for (uint32_t k = 0; k < in->n_types; k++) c[k] = in->types[k].name;
      const char *near = wit_nearest(t->name, c, in->n_types);
      if (near) wfail(s->c, sp, "type `%s` not defined in interface (did you mean `%s`?)", t->name, near);
      wfail(s->c, sp, "type `%s` not defined in interface", t->name);
    }
    push_map(s, &s->m.types, &s->m.n_types, &s->m.cap_types, tid);
  }
  for (uint32_t i = 0; i < u->n_req; i++) {
    wit_id id = u->req_res[i].type;
    if (id >= s->m.n_types || s->m.types[id] == EXCLUDED) continue;
    id = s->m.types[id];
    for (uint32_t guard = 0; guard < 100000; guard++) {
      wit_typedef *t = &r->types[id];
      if (t->kind == WIT_TD_TYPE && t->ty.prim == WIT_PRIM_ID) { id = t->ty.id; continue; }
      if (t->kind == WIT_TD_RESOURCE) break;
      wfail(s->c, u->req_res[i].span, "type used in a handle must be a resource");
    }
  }
}

static wit_id append_pkg(S *s, upkg *u) {
  wit_resolve *r = s->r;
  memset(&s->m, 0, sizeof s->m);
  wit_id pkgid = WPUSH(s->c, s->a, r->packages, r->n_packages, r->cap_packages);
  r->packages[pkgid].name = u->name;
  r->packages[pkgid].docs = u->docs;
  process_foreign(s, u, pkgid);
  if (u->n_deps) {
    wit_id *deps = walloc(s->c, s->a, sizeof(wit_id) * u->n_deps);
    uint32_t nd = 0;
    for (uint32_t d = 0; d < u->n_deps; d++) {
      wit_id p = find_pkg(s, &u->deps[d].name);
      if (p != WIT_NONE) deps[nd++] = p;
    }
    r->packages[pkgid].deps = deps;
    r->packages[pkgid].n_deps = nd;
  }
  uint32_t ft = s->m.n_types, fi = s->m.n_ifaces, fw = s->m.n_worlds;
  for (uint32_t i = ft; i < u->n_types; i++) {
    wit_typedef ty = u->types[i];
    if (!include_stability(s, &ty.stability, pkgid, ty.span)) {
      push_map(s, &s->m.types, &s->m.n_types, &s->m.cap_types, EXCLUDED);
      continue;
    }
    if (ty.n_fields) {
      wit_field *nf = walloc(s->c, s->a, sizeof(wit_field) * (ty.n_fields + 1));
      wmemcpy(nf, ty.fields, sizeof(wit_field) * ty.n_fields);
      ty.fields = nf;
    }
    update_typedef(s, &ty, ty.span);
    wit_id nid = alloc_rtype(s, &ty);
    if (!ty.name && ty.owner_kind == WIT_OWNER_NONE && ty.kind == WIT_TD_OWN) {
      int found = 0;
      for (uint32_t k = 0; k < s->m.n_own; k++)
        if (s->m.own[k].from == ty.resource) { nid = s->m.own[k].to; found = 1; break; }
      if (!found) {
        uint32_t k = WPUSH(s->c, s->a, s->m.own, s->m.n_own, s->m.cap_own);
        s->m.own[k].from = ty.resource;
        s->m.own[k].to = nid;
      }
    }
    push_map(s, &s->m.types, &s->m.n_types, &s->m.cap_types, nid);
  }
  for (uint32_t i = fi; i < u->n_ifaces; i++) {
    wit_interface in = u->ifaces[i];
    if (!include_stability(s, &in.stability, pkgid, in.span)) {
      push_map(s, &s->m.ifaces, &s->m.n_ifaces, &s->m.cap_ifaces, EXCLUDED);
      continue;
    }
    in.package = pkgid;
    in.types = walloc(s->c, s->a, sizeof(wit_named_id) * (in.n_types + 1));
    wmemcpy(in.types, u->ifaces[i].types, sizeof(wit_named_id) * in.n_types);
    in.cap_types = in.n_types;
    in.functions = walloc(s->c, s->a, sizeof(wit_function) * (in.n_functions + 1));
    wmemcpy(in.functions, u->ifaces[i].functions, sizeof(wit_function) * in.n_functions);
    in.cap_functions = in.n_functions;
    update_interface(s, &in);
    wit_id nid = WPUSH(s->c, s->a, r->interfaces, r->n_interfaces, r->cap_interfaces);
    r->interfaces[nid] = in;
    push_map(s, &s->m.ifaces, &s->m.n_ifaces, &s->m.cap_ifaces, nid);
  }
  for (uint32_t i = ft; i < s->m.n_types; i++) {
    wit_id id = s->m.types[i];
    if (id == EXCLUDED) continue;
    wit_typedef *t = &r->types[id];
    if (t->owner_kind == WIT_OWNER_INTERFACE) {
      wit_span sp = t->span;
      if (t->owner >= s->m.n_ifaces) continue;
      if (s->m.ifaces[t->owner] == EXCLUDED)
        wfail(s->c, sp,
              "found a reference to a interface which is excluded due to its feature not being activated; this type "
              "is not gated by a feature but its interface is");
      r->types[id].owner = s->m.ifaces[t->owner];
    }
  }
  for (uint32_t i = fw; i < u->n_worlds; i++) {
    wit_world w = u->worlds[i];
    if (!include_stability(s, &w.stability, pkgid, w.span)) {
      push_map(s, &s->m.worlds, &s->m.n_worlds, &s->m.cap_worlds, EXCLUDED);
      continue;
    }
    w.imports = walloc(s->c, s->a, sizeof(wit_world_item) * (w.n_imports + 1));
    wmemcpy(w.imports, u->worlds[i].imports, sizeof(wit_world_item) * w.n_imports);
    w.cap_imports = w.n_imports;
    w.exports = walloc(s->c, s->a, sizeof(wit_world_item) * (w.n_exports + 1));
    wmemcpy(w.exports, u->worlds[i].exports, sizeof(wit_world_item) * w.n_exports);
    w.cap_exports = w.n_exports;
    update_world_items(s, &w.imports, &w.n_imports, pkgid);
    update_world_items(s, &w.exports, &w.n_exports, pkgid);
    wit_id nid = WPUSH(s->c, s->a, r->worlds, r->n_worlds, r->cap_worlds);
    r->worlds[nid] = w;
    push_map(s, &s->m.worlds, &s->m.n_worlds, &s->m.cap_worlds, nid);
  }
  for (uint32_t i = ft; i < s->m.n_types; i++) {
    wit_id id = s->m.types[i];
    if (id == EXCLUDED) continue;
    wit_typedef *t = &r->types[id];
    if (t->owner_kind == WIT_OWNER_WORLD && t->owner < s->m.n_worlds) {
      if (s->m.worlds[t->owner] == EXCLUDED)
        wfail(s->c, t->span,
              "found a reference to a world which is excluded due to its feature not being activated; this type is "
              "not gated by a feature but its world is");
      r->types[id].owner = s->m.worlds[t->owner];
    }
  }
  for (uint32_t i = fw; i < s->m.n_worlds; i++) {
    wit_id id = s->m.worlds[i];
    if (id == EXCLUDED) continue;
    r->worlds[id].package = pkgid;
    wit_include *incs = r->worlds[id].includes;
    uint32_t ninc = r->worlds[id].n_includes;
    r->worlds[id].includes = NULL;
    r->worlds[id].n_includes = 0;
    wit_include *kept = walloc(s->c, s->a, sizeof(wit_include) * (ninc + 1));
    uint32_t nkept = 0;
    for (uint32_t k = 0; k < ninc; k++) {
      if (!include_stability(s, &incs[k].stability, pkgid, incs[k].span)) continue;
      resolve_include(s, id, &incs[k], pkgid);
      kept[nkept] = incs[k];
      kept[nkept++].world = map_world(s, incs[k].world, incs[k].span);
    }
    r->worlds[id].includes = kept;
    r->worlds[id].n_includes = nkept;
    validate_case_insensitive(s, id);
    elaborate_world(s, id);
  }
  for (uint32_t i = fi; i < s->m.n_ifaces; i++) {
    wit_id id = s->m.ifaces[i];
    if (id == EXCLUDED) continue;
    r->interfaces[id].package = pkgid;
    if (r->interfaces[id].name) {
      wit_package *p = &r->packages[pkgid];
      uint32_t k = WPUSH(s->c, s->a, p->interfaces, p->n_interfaces, p->cap_interfaces);
      p->interfaces[k].name = r->interfaces[id].name;
      p->interfaces[k].id = id;
    }
  }
  for (uint32_t i = fw; i < s->m.n_worlds; i++) {
    wit_id id = s->m.worlds[i];
    if (id == EXCLUDED) continue;
    r->worlds[id].package = pkgid;
    wit_package *p = &r->packages[pkgid];
    uint32_t k = WPUSH(s->c, s->a, p->worlds, p->n_worlds, p->cap_worlds);
    p->worlds[k].name = r->worlds[id].name;
    p->worlds[k].id = id;
  }
  return pkgid;
}

/* ---- groups of sources: parse, order packages, append ---- */
typedef struct group {
  uint32_t *files; /* indices into r->files */
  uint32_t n, cap;
} group;

typedef struct pkgent {
  upkg *u;
  int done, visiting;
} pkgent;

static void parse_group(wctx *c, group *g, upkg ***out, uint32_t *nout, uint32_t *capout, upkg **main_out) {
  wit_resolve *r = c->r;
  /* sort by path */
  for (uint32_t i = 1; i < g->n; i++)
    for (uint32_t j = i; j > 0 && strcmp(r->files[g->files[j - 1]].path, r->files[g->files[j]].path) > 0; j--) {
      uint32_t t = g->files[j];
      g->files[j] = g->files[j - 1];
      g->files[j - 1] = t;
    }
  ast_file **mains = walloc(c, &r->arena, sizeof(ast_file *) * (g->n + 1));
  for (uint32_t i = 0; i < g->n; i++) {
    ast_file *f = wit_parse_file(c, g->files[i]);
    uint32_t k = 0;
    for (uint32_t j = 0; j < f->n; j++) {
      if (f->items[j].kind == AI_PACKAGE) {
        ast_file *nf = f->items[j].pkg;
        upkg *u = wit_ast_resolve(c, &nf, 1);
        uint32_t q = wpush(c, &r->arena, (void **)out, nout, capout, sizeof(upkg *));
        (*out)[q] = u;
      } else {
        f->items[k++] = f->items[j];
      }
    }
    f->n = k;
    mains[i] = f;
  }
  upkg *m = wit_ast_resolve(c, mains, g->n);
  uint32_t q = wpush(c, &r->arena, (void **)out, nout, capout, sizeof(upkg *));
  (*out)[q] = m;
  if (main_out) *main_out = m;
}

static void visit_pkg(S *s, pkgent *all, uint32_t n, uint32_t idx, wit_id **order, uint32_t *no, uint32_t *co,
                      wit_package_name **visiting, uint32_t *nv, uint32_t *cv, int depth) {
  if (all[idx].done) return;
  if (depth > 100000) wfail(s->c, wspan_none(), "package nesting too deep");
  upkg *u = all[idx].u;
  for (uint32_t d = 0; d < u->n_deps; d++) {
    const wit_package_name *dn = &u->deps[d].name;
    for (uint32_t k = 0; k < *nv; k++)
      if (wit_pkgname_eq(&(*visiting)[k], dn)) {
        char *name = wit_pkgname_str(s->c, s->a, dn);
        wfail(s->c, u->deps[d].span, "package `%s` creates a dependency cycle", name);
      }
    uint32_t k = wpush(s->c, s->a, (void **)visiting, nv, cv, sizeof(wit_package_name));
    (*visiting)[k] = *dn;
    for (uint32_t j = 0; j < n; j++)
      if (wit_pkgname_eq(&all[j].u->name, dn)) {
        visit_pkg(s, all, n, j, order, no, co, visiting, nv, cv, depth + 1);
        break;
      }
    (*nv)--;
  }
  all[idx].done = 1;
  uint32_t k = wpush(s->c, s->a, (void **)order, no, co, sizeof(wit_id));
  (*order)[k] = idx;
}

static wit_id push_groups(wctx *c, group *groups, uint32_t ng) {
  wit_resolve *r = c->r;
  S s;
  memset(&s, 0, sizeof s);
  s.c = c;
  s.r = r;
  s.a = &r->arena;
  upkg **all = NULL;
  uint32_t n = 0, cap = 0;
  upkg *main = NULL;
  for (uint32_t g = 0; g < ng; g++) parse_group(c, &groups[g], &all, &n, &cap, g == 0 ? &main : NULL);
  /* duplicates, then order by name (BTreeMap) */
  pkgent *ents = walloc(c, s.a, sizeof(pkgent) * (n + 1));
  uint32_t ne = 0;
  for (uint32_t i = 0; i < n; i++) {
    for (uint32_t j = 0; j < ne; j++)
      if (wit_pkgname_eq(&ents[j].u->name, &all[i]->name)) {
        char *name = wit_pkgname_str(c, s.a, &all[i]->name);
        wit_diag tmp;
        memset(&tmp, 0, sizeof tmp);
        const wit_span o = ents[j].u->name_span;
        char loc[600] = "";
        if (o.file != WIT_NONE && o.file < r->n_files) {
          uint32_t line = 1, col = 1;
          for (uint32_t q = 0; q < o.start && q < r->files[o.file].len; q++) {
            if (r->files[o.file].text[q] == '\n') { line++; col = 1; } else col++;
          }
          snprintf(loc, sizeof loc, " (also defined at %s:%u:%u)", r->files[o.file].path, line, col);
        }
        wfail(c, all[i]->name_span, "package `%s` is defined in two different locations%s", name, loc);
      }
    if (find_pkg(&s, &all[i]->name) != WIT_NONE) {
      char *name = wit_pkgname_str(c, s.a, &all[i]->name);
      wfail(c, all[i]->name_span, "package `%s` is already present in this resolve", name);
    }
    uint32_t k = ne++;
    ents[k].u = all[i];
    for (; k > 0 && wit_pkgname_cmp(&ents[k - 1].u->name, &ents[k].u->name) > 0; k--) {
      pkgent t = ents[k];
      ents[k] = ents[k - 1];
      ents[k - 1] = t;
    }
  }
  wit_id *order = NULL;
  uint32_t no = 0, co = 0;
  wit_package_name *visiting = NULL;
  uint32_t nv = 0, cv = 0;
  for (uint32_t i = 0; i < ne; i++) visit_pkg(&s, ents, ne, i, &order, &no, &co, &visiting, &nv, &cv, 0);
  wit_id main_id = WIT_NONE;
  for (uint32_t i = 0; i < no; i++) {
    upkg *u = ents[order[i]].u;
    wit_id id = append_pkg(&s, u);
    if (u == main) main_id = id;
  }
  return main_id;
}

/* ---- files ---- */
static uint32_t add_file(wctx *c, const char *path, const char *text, size_t len) {
  wit_resolve *r = c->r;
  if (len > UINT32_MAX - 2) wfail_code(c, WK_ERR_NOMEM, wspan_none(), "%s: file too large", path);
  uint32_t k = WPUSH(c, &r->arena, r->files, r->n_files, r->cap_files);
  r->files[k].path = wstrdup(c, &r->arena, path, strlen(path));
  r->files[k].text = wstrdup(c, &r->arena, text, len);
  r->files[k].len = len;
  return k;
}

static void check_utf8(wctx *c, uint32_t file) {
  const unsigned char *s = (const unsigned char *)c->r->files[file].text;
  size_t n = c->r->files[file].len;
  for (size_t i = 0; i < n;) {
    unsigned char b = s[i];
    size_t k = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
    int ok = k && i + k <= n && !(k == 2 && b < 0xC2);
    for (size_t j = 1; ok && j < k; j++) ok = (s[i + j] & 0xC0) == 0x80;
    if (!ok || b == 0) {
      if (b == 0) wfail(c, wspan(file, (uint32_t)i, (uint32_t)i + 1), "Control code '\\u{0}'");
      wfail(c, wspan(file, (uint32_t)i, (uint32_t)i + 1), "input file is not valid utf-8 [%s]", c->r->files[file].path);
    }
    i += k;
  }
}

static uint32_t load_file(wctx *c, const char *path) {
  uint8_t *data;
  size_t len;
  wk_error e;
  if (wk_read_file(path, &data, &len, &e) != WK_OK)
    wfail_code(c, WK_ERR_IO, wspan_none(), "failed to read path for WIT [%s]: %s", path, e.msg);
  wctx *cc = c;
  uint32_t k;
  /* add_file may longjmp on OOM: free data first by copying */
  k = WPUSH(cc, &cc->r->arena, cc->r->files, cc->r->n_files, cc->r->cap_files);
  char *t = wk_arena_alloc(&cc->r->arena, len + 1);
  if (!t) { free(data); woom(cc); }
  wmemcpy(t, data, len);
  t[len] = 0;
  free(data);
  cc->r->files[k].path = wstrdup(cc, &cc->r->arena, path, strlen(path));
  cc->r->files[k].text = t;
  cc->r->files[k].len = len;
  check_utf8(cc, k);
  return k;
}

static int is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* list directory entries sorted by name (strings in the arena) */
static char **list_dir(wctx *c, const char *path, uint32_t *n) {
  DIR *d = opendir(path);
  if (!d) wfail_code(c, WK_ERR_IO, wspan_none(), "failed to read directory \"%s\"", path);
  char **v = NULL;
  uint32_t cnt = 0, cap = 0;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
    if (cnt == cap) {
      uint32_t nc = cap ? cap * 2 : 16;
      char **nv = wk_arena_alloc(&c->r->arena, sizeof(char *) * nc);
      if (!nv) { closedir(d); woom(c); }
      if (cnt) wmemcpy(nv, v, sizeof(char *) * cnt);
      v = nv;
      cap = nc;
    }
    char *s = wk_arena_strndup(&c->r->arena, de->d_name, strlen(de->d_name));
    if (!s) { closedir(d); woom(c); }
    v[cnt++] = s;
  }
  closedir(d);
  if (cnt) qsort(v, cnt, sizeof(char *), cmp_str);
  *n = cnt;
  return v;
}

static char *join(wctx *c, const char *a, const char *b) {
  size_t la = strlen(a);
  if (la && a[la - 1] == '/') return wsprintf(c, &c->r->arena, "%s%s", a, b);
  return wsprintf(c, &c->r->arena, "%s/%s", a, b);
}

static void dir_group(wctx *c, const char *path, group *g) {
  uint32_t n;
  char **names = list_dir(c, path, &n);
  for (uint32_t i = 0; i < n; i++) {
    size_t l = strlen(names[i]);
    if (l < 4 || strcmp(names[i] + l - 4, ".wit")) continue;
    char *p = join(c, path, names[i]);
    if (is_dir(p)) continue;
    uint32_t k = WPUSH(c, &c->r->arena, g->files, g->n, g->cap);
    g->files[k] = load_file(c, p);
  }
}

/* ---- binary-encoded WIT (wit-parser Resolve::push_file on a wasm/wat file) ---- */

static int has_suffix(const char *s, const char *suf) {
  size_t l = strlen(s), k = strlen(suf);
  return l >= k && !strcmp(s + l - k, suf);
}

/* A wasm binary (the preamble) or the text format: a `.wat` name, or text whose
 * first token is `(` (a WIT document never starts with one; wat::Detect). */
static int looks_like_wasm(const char *path, const uint8_t *d, size_t n) {
  if (n >= 4 && !memcmp(d, "\0asm", 4)) return 1;
  if (has_suffix(path, ".wat")) return 1;
  size_t i = 0;
  while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r')) i++;
  return i < n && d[i] == '(';
}

/* Decode the component in `d` (binary, or text turned into binary with
 * wk_wat_to_binary) into the resolve. `dep`: a deps/ entry, which must be a
 * WIT package (wit-parser: "found an actual component instead of an encoded
 * WIT package in wasm"). Returns the package id; fails through `c`. */
static wit_id push_wasm(wctx *c, const char *path, uint8_t *d, size_t n, int dep) {
  wk_buf bin = {0};
  wk_error e;
  wk_error_clear(&e);
  if (n < 4 || memcmp(d, "\0asm", 4)) {
    int rc = wk_wat_to_binary((const char *)d, n, &bin, &e);
    free(d);
    if (rc) {
      wk_buf_free(&bin);
      if (e.line) wfail_code(c, rc, wspan_none(), "%s:%u:%u: %s", path, e.line, e.col, e.msg);
      wfail_code(c, rc, wspan_none(), "%s: %s", path, e.msg);
    }
    d = bin.data;
    n = bin.len;
    bin.data = NULL;
  }
  wit_id pkg = WIT_NONE;
  int kind = 0;
  int rc = wit_decode_bytes(c->r, d, n, &pkg, NULL, &kind, &e);
  free(d);
  wk_buf_free(&bin);
  if (rc) {
    if (e.has_offset) wfail_code(c, rc, wspan_none(), "%s:0x%llx: %s", path, (unsigned long long)e.offset, e.msg);
    wfail_code(c, rc, wspan_none(), "%s: %s", path, e.msg);
  }
  if (dep && kind != WIT_DECODED_PACKAGE)
    wfail(c, wspan_none(), "%s: found an actual component instead of an encoded WIT package in wasm", path);
  return pkg;
}

/* Read `path`; if it is wasm (binary or text), decode it and return 1 with *pkg set. */
static int try_push_wasm(wctx *c, const char *path, int dep, wit_id *pkg) {
  uint8_t *data;
  size_t len;
  wk_error e;
  if (wk_read_file(path, &data, &len, &e) != WK_OK)
    wfail_code(c, WK_ERR_IO, wspan_none(), "failed to read path for WIT [%s]: %s", path, e.msg);
  if (!looks_like_wasm(path, data, len)) {
    free(data);
    return 0;
  }
  *pkg = push_wasm(c, path, data, len, dep);
  return 1;
}

typedef struct gvec {
  group *v;
  uint32_t n, cap;
} gvec;

/* The packages of a deps/ directory `deps` (wit-parser parse_deps_dir): each
 * subdirectory a package, each *.wit file one, *.wat / *.wasm decoded at once;
 * groups appended to `gs`. */
static void deps_groups(wctx *c, const char *deps, gvec *gs) {
  uint32_t n, k;
  char **names = list_dir(c, deps, &n);
  for (uint32_t i = 0; i < n; i++) {
    char *p = join(c, deps, names[i]);
    if (is_dir(p)) {
      k = WPUSH(c, &c->r->arena, gs->v, gs->n, gs->cap);
      dir_group(c, p, &gs->v[k]);
    } else {
      size_t l = strlen(names[i]);
      if (l >= 4 && !strcmp(names[i] + l - 4, ".wit")) {
        k = WPUSH(c, &c->r->arena, gs->v, gs->n, gs->cap);
        uint32_t q = WPUSH(c, &c->r->arena, gs->v[k].files, gs->v[k].n, gs->v[k].cap);
        gs->v[k].files[q] = load_file(c, p);
      } else if ((l >= 4 && !strcmp(names[i] + l - 4, ".wat")) || (l >= 5 && !strcmp(names[i] + l - 5, ".wasm"))) {
        /* wit-parser parse_deps_dir: a wasm-encoded package joins the resolve at once */
        wit_id pk;
        if (!try_push_wasm(c, p, 1, &pk)) wfail(c, wspan_none(), "%s: not a WebAssembly binary or text file", p);
      }
    }
  }
}

/* Directory `path` as the main package; its dependencies from `deps`
 * (path/deps when NULL; none when that is not a directory). */
static wit_id push_dir(wctx *c, const char *path, const char *deps) {
  gvec gs = {0};
  uint32_t k = WPUSH(c, &c->r->arena, gs.v, gs.n, gs.cap);
  dir_group(c, path, &gs.v[k]);
  if (!deps) {
    char *d = join(c, path, "deps");
    if (is_dir(d)) deps_groups(c, d, &gs);
  } else {
    if (!is_dir(deps)) wfail_code(c, WK_ERR_IO, wspan_none(), "failed to read deps directory [%s]", deps);
    deps_groups(c, deps, &gs);
  }
  return push_groups(c, gs.v, gs.n);
}

/* ---- public entry points ---- */
wit_resolve *wit_resolve_new(void) { return wk_calloc(1, sizeof(wit_resolve)); }

void wit_resolve_free(wit_resolve *r) {
  if (!r) return;
  for (uint32_t i = 0; i < r->n_features; i++) free(r->features[i]);
  free(r->features);
  wk_arena_free(&r->arena);
  free(r);
}

int wit_resolve_enable_feature(wit_resolve *r, const char *name) {
  char **nf = wk_reallocarray(r->features, r->n_features + 1, sizeof(char *));
  if (!nf) return WK_ERR_NOMEM;
  r->features = nf;
  nf[r->n_features] = strdup(name);
  if (!nf[r->n_features]) return WK_ERR_NOMEM;
  r->n_features++;
  return WK_OK;
}
void wit_resolve_set_all_features(wit_resolve *r, int on) { r->all_features = on; }

#define ENTER(r, diag)                                                  \
  wctx ctx_;                                                            \
  wit_diag dummy_;                                                      \
  memset(&ctx_, 0, sizeof ctx_);                                        \
  ctx_.r = (r);                                                         \
  ctx_.diag = (diag) ? (diag) : &dummy_;                                \
  ctx_.tmp = &(r)->arena;                                               \
  memset(ctx_.diag, 0, sizeof *ctx_.diag);                              \
  ctx_.diag->file_index = WIT_NONE;                                     \
  int rc_ = setjmp(ctx_.jb);                                            \
  if (rc_) return rc_;

int wit_resolve_push_path(wit_resolve *r, const char *path, wit_id *pkg_out, wit_diag *diag) {
  ENTER(r, diag);
  wctx *c = &ctx_;
  wit_id id;
  if (is_dir(path)) {
    id = push_dir(c, path, NULL);
  } else if (strcmp(path, "-") && try_push_wasm(c, path, 0, &id)) {
    /* a WIT package (or a component: its world `root`) in wasm form */
  } else {
    group g = {0};
    uint32_t k = WPUSH(c, &r->arena, g.files, g.n, g.cap);
    g.files[k] = load_file(c, path);
    id = push_groups(c, &g, 1);
  }
  if (pkg_out) *pkg_out = id;
  return WK_OK;
}

int wit_resolve_push_dir_deps(wit_resolve *r, const char *path, const char *deps, wit_id *pkg_out, wit_diag *diag) {
  ENTER(r, diag);
  wctx *c = &ctx_;
  if (!is_dir(path)) wfail_code(c, WK_ERR_IO, wspan_none(), "failed to read WIT directory [%s]", path);
  wit_id id = push_dir(c, path, deps);
  if (pkg_out) *pkg_out = id;
  return WK_OK;
}

int wit_resolve_push_files(wit_resolve *r, uint32_t n, const char *const *names, const char *const *texts,
                           const size_t *lens, wit_id *pkg_out, wit_diag *diag) {
  ENTER(r, diag);
  wctx *c = &ctx_;
  group g = {0};
  for (uint32_t i = 0; i < n; i++) {
    uint32_t k = WPUSH(c, &r->arena, g.files, g.n, g.cap);
    g.files[k] = add_file(c, names[i], texts[i], lens[i]);
    check_utf8(c, g.files[k]);
  }
  wit_id id = push_groups(c, &g, 1);
  if (pkg_out) *pkg_out = id;
  return WK_OK;
}

int wit_resolve_push_str(wit_resolve *r, const char *name, const char *text, size_t len, wit_id *pkg_out,
                         wit_diag *diag) {
  return wit_resolve_push_files(r, 1, &name, &text, &len, pkg_out, diag);
}
