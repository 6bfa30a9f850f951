/* Component (or WIT package encoded as a component) -> Resolve.
 * Follows wit-parser's decoding.rs (WitPackageDecoder) over lib/encode's
 * validated type graph (encode/ctypes.h). Names: Explainer.md "Import and
 * Export Definitions" (interface names `ns:pkg/iface@version`, annotated
 * `[constructor]r`, `[method]r.m`, `[static]r.m`). */
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "encode/ctypes.h"
#include "witparse/internal.h"
#include "witparse/witdecode.h"

typedef struct fpkg {
  wit_package_name name;
  wit_named_id *ifaces; /* name -> interface */
  uint32_t n, cap;
  wit_id existing; /* package already in the resolve (merge), else WIT_NONE */
} fpkg;

typedef struct resent {
  uint32_t owner_kind;
  wit_id owner;
  const char *name;
  wit_id tid;
} resent;

/* A type export of an instance the decoder registered: (instance node, export name) -> typedef. */
typedef struct instty {
  uint32_t inst;
  const char *name;
  wit_id tid;
} instty;

typedef struct D {
  wctx *c;
  wit_resolve *r;
  wk_arena *a;
  const wk_ctypes *g;
  const wk_component *comp;
  wit_id *tmap; /* graph id -> typedef (WIT_NONE) */
  resent *res;
  uint32_t nres, capres;
  instty *it;
  uint32_t nit, capit;
  wit_named_id *named; /* full interface name -> local interface */
  uint32_t nnamed, capnamed;
  fpkg *fp;
  uint32_t nfp, capfp;
  wit_id *iface_fp; /* interface id -> 1 + foreign package index (0 = not foreign); grown with interfaces */
  uint32_t niface_fp;
  /* the package being built */
  wit_named_id *p_ifaces, *p_worlds;
  uint32_t np_ifaces, capp_ifaces, np_worlds, capp_worlds;
  size_t off; /* byte offset of the extern being decoded (errors) */
  uint32_t order; /* src_order counter for world items */
  cJSON *json;    /* package-docs being applied (freed by the entry point on error) */
  wk_error *err;
} D;

static _Noreturn void dfail(D *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static _Noreturn void dfail(D *d, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  wfail(d->c, wspan_none(), "0x%zx: %s", d->off, msg);
}

static const char *dstr(D *d, wk_cstr s) { return wstrdup(d->c, d->a, s.s, s.len); }
static int cstr_is(wk_cstr s, const char *z) { return s.len == strlen(z) && !memcmp(s.s, z, s.len); }

static const wk_ctnode *node(D *d, uint32_t id) {
  if (id >= d->g->nt) dfail(d, "type id %u out of range", id);
  return &d->g->t[id];
}

/* ---- names ---- */

typedef struct iname {
  wit_package_name pkg;
  const char *iface;
} iname;

/* "ns:pkg/iface[@version]" (Explainer.md interfacename); 0 if not of that form. */
static int parse_iface_name(D *d, const char *s, size_t n, iname *out) {
  const char *colon = memchr(s, ':', n), *slash = memchr(s, '/', n);
  if (!colon || !slash || slash < colon) return 0;
  const char *at = memchr(slash, '@', n - (size_t)(slash - s));
  const char *end = at ? at : s + n;
  out->pkg.namespace_ = wstrdup(d->c, d->a, s, (size_t)(colon - s));
  out->pkg.name = wstrdup(d->c, d->a, colon + 1, (size_t)(slash - colon - 1));
  out->iface = wstrdup(d->c, d->a, slash + 1, (size_t)(end - slash - 1));
  out->pkg.version = at ? wstrdup(d->c, d->a, at + 1, (size_t)(s + n - at - 1)) : NULL;
  return 1;
}

static const char *attr(const wk_ctent *e, uint8_t kind) {
  if (!e->cn || e->cn->disc != WK_CNA_ATTRS) return NULL;
  for (uint32_t i = 0; i < e->cn->nattrs; i++)
    if (e->cn->attrs[i].kind == kind) return (const char *)e->cn->attrs[i].value.s;
  return NULL;
}
static const char *attr_dup(D *d, const wk_ctent *e, uint8_t kind) {
  if (!e->cn || e->cn->disc != WK_CNA_ATTRS) return NULL;
  for (uint32_t i = 0; i < e->cn->nattrs; i++)
    if (e->cn->attrs[i].kind == kind) return dstr(d, e->cn->attrs[i].value);
  return NULL;
}

/* ---- type map ---- */

static wit_id tmap_get(D *d, uint32_t id) { return id < d->g->nt ? d->tmap[id] : WIT_NONE; }
static void tmap_set(D *d, uint32_t id, wit_id t) {
  if (id < d->g->nt) d->tmap[id] = t;
}

/* wit-parser find_alias: the first mapped type along the alias chain. */
static wit_id find_alias(D *d, uint32_t id) {
  for (int k = 0; k < 1000; k++) {
    wit_id t = tmap_get(d, id);
    if (t != WIT_NONE) return t;
    uint32_t n = wk_ctypes_peel(d->g, id);
    if (n == id) return WIT_NONE;
    id = n;
  }
  return WIT_NONE;
}

static wit_id new_typedef(D *d, const char *name, uint32_t kind, uint32_t owner_kind, wit_id owner) {
  wit_resolve *r = d->r;
  uint32_t k = WPUSH(d->c, d->a, r->types, r->n_types, r->cap_types);
  wit_typedef *t = &r->types[k];
  t->name = name;
  t->kind = kind;
  t->owner_kind = owner_kind;
  t->owner = owner;
  t->resource = WIT_NONE;
  t->span = wspan_none();
  return k;
}

static wit_type prim_type(uint8_t code) {
  wit_type t = {WIT_PRIM_NONE, 0};
  switch (code) {
    case WK_CTC_BOOL: t.prim = WIT_PRIM_BOOL; break;
    case WK_CTC_S8: t.prim = WIT_PRIM_S8; break;
    case WK_CTC_U8: t.prim = WIT_PRIM_U8; break;
    case WK_CTC_S16: t.prim = WIT_PRIM_S16; break;
    case WK_CTC_U16: t.prim = WIT_PRIM_U16; break;
    case WK_CTC_S32: t.prim = WIT_PRIM_S32; break;
    case WK_CTC_U32: t.prim = WIT_PRIM_U32; break;
    case WK_CTC_S64: t.prim = WIT_PRIM_S64; break;
    case WK_CTC_U64: t.prim = WIT_PRIM_U64; break;
    case WK_CTC_F32: t.prim = WIT_PRIM_F32; break;
    case WK_CTC_F64: t.prim = WIT_PRIM_F64; break;
    case WK_CTC_CHAR: t.prim = WIT_PRIM_CHAR; break;
    case WK_CTC_STRING: t.prim = WIT_PRIM_STRING; break;
    case WK_CTC_ERROR_CONTEXT: t.prim = WIT_PRIM_ERROR_CONTEXT; break;
  }
  return t;
}
static int is_prim_code(uint8_t c) { return wk_ct_is_prim(c); }

static wit_type convert_valtype(D *d, wk_ctval v, int depth);

/* A handle's resource: the mapped resource type (along aliases). */
static wit_id handle_res(D *d, uint32_t res) {
  wit_id t = find_alias(d, res);
  if (t == WIT_NONE) dfail(d, "handle refers to a resource type that has no name in this interface or world");
  return t;
}

/* wit-parser convert_defined: fills kind/ty/ty2/fields/resource of typedef `tid` from node `id`. */
static void convert_defined(D *d, wit_id tid, uint32_t id, int depth) {
  if (depth > WIT_MAX_TYPE_DEPTH) dfail(d, "type nesting too deep");
  const wk_ctnode *n = node(d, id);
  if (n->kind != WK_CT_DEF) dfail(d, "expected a defined value type");
  uint8_t code = n->code;
  uint32_t kind;
  wit_type ty = {0, 0}, ty2 = {0, 0};
  wit_id resource = WIT_NONE;
  wit_field *fields = NULL;
  uint32_t nf = 0;
  if (is_prim_code(code)) {
    kind = WIT_TD_TYPE;
    ty = prim_type(code);
  } else {
    switch (code) {
      case WK_CTC_RECORD: case WK_CTC_VARIANT: case WK_CTC_TUPLE: case WK_CTC_FLAGS: case WK_CTC_ENUM:
        kind = code == WK_CTC_RECORD ? WIT_TD_RECORD : code == WK_CTC_VARIANT ? WIT_TD_VARIANT : code == WK_CTC_TUPLE ? WIT_TD_TUPLE
             : code == WK_CTC_FLAGS ? WIT_TD_FLAGS : WIT_TD_ENUM;
        nf = n->n;
        fields = walloc(d->c, d->a, sizeof(wit_field) * (nf + 1));
        memset(fields, 0, sizeof(wit_field) * (nf + 1));
        for (uint32_t i = 0; i < nf; i++) {
          n = node(d, id);
          fields[i].span = wspan_none();
          if (code != WK_CTC_TUPLE) fields[i].name = dstr(d, n->labels[i]);
          wk_ctval el = n->elems ? n->elems[i] : (wk_ctval){0, 0};
          int has = code == WK_CTC_TUPLE || code == WK_CTC_RECORD || (code == WK_CTC_VARIANT && n->has && n->has[i]);
          if (has) fields[i].ty = convert_valtype(d, el, depth + 1);
        }
        break;
      case WK_CTC_LIST: kind = WIT_TD_LIST; ty = convert_valtype(d, n->a, depth + 1); break;
      case WK_CTC_FIXED_LIST: { /* list<T, N>: the length is the node's `res` */
        uint32_t len = n->res;
        kind = WIT_TD_FIXED_LIST;
        ty = convert_valtype(d, n->a, depth + 1);
        d->r->types[tid].size = len;
        break;
      }
      case WK_CTC_MAP: {
        kind = WIT_TD_MAP;
        wk_ctval b = n->b;
        ty = convert_valtype(d, n->a, depth + 1);
        ty2 = convert_valtype(d, b, depth + 1);
        break;
      }
      case WK_CTC_OPTION: kind = WIT_TD_OPTION; ty = convert_valtype(d, n->a, depth + 1); break;
      case WK_CTC_RESULT: {
        kind = WIT_TD_RESULT;
        wk_ctval a = n->a, b = n->b;
        int ha = n->has_a, hb = n->has_b;
        if (ha) ty = convert_valtype(d, a, depth + 1);
        if (hb) ty2 = convert_valtype(d, b, depth + 1);
        break;
      }
      case WK_CTC_OWN: case WK_CTC_BORROW:
        kind = code == WK_CTC_OWN ? WIT_TD_OWN : WIT_TD_BORROW;
        resource = handle_res(d, n->res);
        break;
      case WK_CTC_STREAM: case WK_CTC_FUTURE:
        kind = code == WK_CTC_STREAM ? WIT_TD_STREAM : WIT_TD_FUTURE;
        if (n->has_a) ty = convert_valtype(d, n->a, depth + 1);
        break;
      default: dfail(d, "unsupported defined type 0x%02x", code);
    }
  }
  wit_typedef *t = &d->r->types[tid];
  t->kind = kind;
  t->ty = ty;
  t->ty2 = ty2;
  t->resource = resource;
  t->fields = fields;
  t->n_fields = nf;
}

/* wit-parser convert_valtype: a primitive, a mapped type, or a new anonymous type. */
static wit_type convert_valtype(D *d, wk_ctval v, int depth) {
  if (v.prim) return prim_type(v.prim);
  wit_id m = tmap_get(d, v.id);
  if (m != WIT_NONE) return (wit_type){WIT_PRIM_ID, m};
  const wk_ctnode *n = node(d, v.id);
  if (n->kind != WK_CT_DEF) dfail(d, "value type is not a defined type");
  switch (n->code) {
    case WK_CTC_RECORD: case WK_CTC_VARIANT: case WK_CTC_FLAGS: case WK_CTC_ENUM: {
      static const char *const kinds[] = {"record", "variant", "flags", "enum"};
      int k = n->code == WK_CTC_RECORD ? 0 : n->code == WK_CTC_VARIANT ? 1 : n->code == WK_CTC_FLAGS ? 2 : 3;
      dfail(d, "unexpected unnamed type of kind '%s'", kinds[k]);
    }
  }
  wit_id t = new_typedef(d, NULL, WIT_TD_TYPE, WIT_OWNER_NONE, WIT_NONE);
  convert_defined(d, t, v.id, depth + 1);
  tmap_set(d, v.id, t);
  return (wit_type){WIT_PRIM_ID, t};
}

/* wit-parser Registrar: walk `id` (wasm) against typedef `wt` (wit) and map anonymous types. */
static void reg_defined(D *d, wit_id wt, uint32_t id, int depth);
static void reg_valtype(D *d, wk_ctval v, wit_type w, int depth) {
  if (v.prim) return;
  if (w.prim != WIT_PRIM_ID) dfail(d, "expected id-based type");
  if (depth > WIT_MAX_TYPE_DEPTH) dfail(d, "type nesting too deep");
  wit_id prev = tmap_get(d, v.id);
  tmap_set(d, v.id, w.id);
  if (prev == WIT_NONE) reg_defined(d, w.id, v.id, depth + 1);
}
static void reg_defined(D *d, wit_id wt, uint32_t id, int depth) {
  const wk_ctnode *n = node(d, id);
  if (n->kind != WK_CT_DEF || depth > WIT_MAX_TYPE_DEPTH) return;
  const wit_typedef *t = &d->r->types[wt];
  if (t->kind == WIT_TD_TYPE && t->ty.prim == WIT_PRIM_ID) return; /* named: no need to recurse */
  switch (n->code) {
    case WK_CTC_LIST: case WK_CTC_OPTION:
      if (t->kind != (n->code == WK_CTC_LIST ? WIT_TD_LIST : WIT_TD_OPTION)) dfail(d, "expected a %s", n->code == WK_CTC_LIST ? "list" : "option");
      reg_valtype(d, n->a, t->ty, depth);
      return;
    case WK_CTC_TUPLE: case WK_CTC_RECORD: case WK_CTC_VARIANT: {
      uint32_t want = n->code == WK_CTC_TUPLE ? WIT_TD_TUPLE : n->code == WK_CTC_RECORD ? WIT_TD_RECORD : WIT_TD_VARIANT;
      if (t->kind != want) dfail(d, "expected a %s", n->code == WK_CTC_TUPLE ? "tuple" : n->code == WK_CTC_RECORD ? "record" : "variant");
      if (t->n_fields != n->n) dfail(d, "mismatched number of fields");
      for (uint32_t i = 0; i < n->n; i++) {
        n = node(d, id);
        t = &d->r->types[wt];
        if (n->code != WK_CTC_TUPLE && !cstr_is(n->labels[i], t->fields[i].name)) dfail(d, "mismatched field order");
        int has = n->code != WK_CTC_VARIANT || (n->has && n->has[i]);
        if (has != (t->fields[i].ty.prim != WIT_PRIM_NONE) && n->code == WK_CTC_VARIANT) dfail(d, "disagreement on case type");
        if (has) reg_valtype(d, n->elems[i], t->fields[i].ty, depth);
      }
      return;
    }
    case WK_CTC_FIXED_LIST:
      if (t->kind != WIT_TD_FIXED_LIST || t->size != n->res) dfail(d, "expected a fixed-length list of %u", n->res);
      reg_valtype(d, n->a, t->ty, depth);
      return;
    case WK_CTC_MAP:
      if (t->kind != WIT_TD_MAP) dfail(d, "expected a map");
      reg_valtype(d, n->a, t->ty, depth);
      n = node(d, id);
      reg_valtype(d, n->b, d->r->types[wt].ty2, depth);
      return;
    case WK_CTC_RESULT:
      if (t->kind != WIT_TD_RESULT) dfail(d, "expected a result");
      if (n->has_a != (t->ty.prim != WIT_PRIM_NONE) || n->has_b != (t->ty2.prim != WIT_PRIM_NONE))
        dfail(d, "disagreement on result structure");
      if (n->has_a) reg_valtype(d, n->a, d->r->types[wt].ty, depth);
      n = node(d, id);
      if (n->has_b) reg_valtype(d, n->b, d->r->types[wt].ty2, depth);
      return;
    case WK_CTC_STREAM: case WK_CTC_FUTURE:
      if (t->kind != (n->code == WK_CTC_STREAM ? WIT_TD_STREAM : WIT_TD_FUTURE)) dfail(d, "expected a stream or future");
      if (n->has_a != (t->ty.prim != WIT_PRIM_NONE)) dfail(d, "disagreement on payload");
      if (n->has_a) reg_valtype(d, n->a, t->ty, depth);
      return;
    default: return;
  }
}

/* ---- resources by owner and name ---- */
static void res_add(D *d, uint32_t ok, wit_id owner, const char *name, wit_id tid) {
  uint32_t k = WPUSH(d->c, d->a, d->res, d->nres, d->capres);
  d->res[k] = (resent){ok, owner, name, tid};
}
static wit_id res_find(D *d, uint32_t ok, wit_id owner, const char *name, size_t len) {
  for (uint32_t i = 0; i < d->nres; i++)
    if (d->res[i].owner_kind == ok && d->res[i].owner == owner && strlen(d->res[i].name) == len &&
        !memcmp(d->res[i].name, name, len))
      return d->res[i].tid;
  return WIT_NONE;
}

static void instty_add(D *d, uint32_t inst, const char *name, wit_id tid) {
  uint32_t k = WPUSH(d->c, d->a, d->it, d->nit, d->capit);
  d->it[k] = (instty){inst, name, tid};
}

/* wit-parser register_type_export: a named type of an interface or world. */
static wit_id register_type_export(D *d, const wk_ctent *e, uint32_t ok, wit_id owner) {
  const wk_ctnode *n = node(d, e->id);
  /* the type this export names: itself when it is a type that flowed in from
   * elsewhere (already mapped), else along its alias chain */
  wit_id prev = WIT_NONE;
  if (e->oinst1) /* an alias of an instance's type export: that export (wit-component's `use` source) */
    for (uint32_t i = 0; i < d->nit && prev == WIT_NONE; i++)
      if (d->it[i].inst == e->oinst1 - 1 && cstr_is(e->oname, d->it[i].name)) prev = d->it[i].tid;
  if (prev == WIT_NONE) prev = find_alias(d, e->id);
  uint32_t referenced = n->kind == WK_CT_DEF && n->eq1 ? n->eq1 - 1 : e->id;
  const char *name = dstr(d, e->name);
  wit_id t = new_typedef(d, name, WIT_TD_TYPE, ok, owner);
  d->r->types[t].external_id = attr_dup(d, e, WK_CATTR_EXTERNAL_ID);
  if (prev != WIT_NONE) {
    d->r->types[t].ty = (wit_type){WIT_PRIM_ID, prev};
  } else if (n->kind == WK_CT_RES) {
    d->r->types[t].kind = WIT_TD_RESOURCE;
    res_add(d, ok, owner, name, t);
  } else if (n->kind == WK_CT_DEF) {
    convert_defined(d, t, referenced, 0);
  } else {
    dfail(d, "type export `%s` is not a value type or resource", name);
  }
  /* the created id: a node shared by several names (resources, types that
   * flowed in through instantiation) keeps its first name */
  if (tmap_get(d, e->id) == WIT_NONE) tmap_set(d, e->id, t);
  return t;
}

/* wit-parser convert_function. */
static void convert_function(D *d, const wk_ctent *e, uint32_t ok, wit_id owner, wit_function *f) {
  const wk_ctnode *n = node(d, e->id);
  if (n->kind != WK_CT_FUNC) dfail(d, "`%.*s` is not a function", (int)e->name.len, e->name.s);
  memset(f, 0, sizeof *f);
  f->name = dstr(d, e->name);
  f->span = wspan_none();
  f->resource = WIT_NONE;
  f->external_id = attr_dup(d, e, WK_CATTR_EXTERNAL_ID);
  uint32_t np = n->n;
  f->params = walloc(d->c, d->a, sizeof(wit_param) * (np + 1));
  f->n_params = np;
  for (uint32_t i = 0; i < np; i++) {
    n = node(d, e->id);
    f->params[i].name = dstr(d, n->labels[i]);
    f->params[i].span = wspan_none();
    f->params[i].ty = convert_valtype(d, n->elems[i], 0);
  }
  n = node(d, e->id);
  if (n->has_a) f->result = convert_valtype(d, n->a, 0);
  /* kind from the name */
  const char *s = f->name;
  size_t len = strlen(s);
  f->kind = WIT_FN_FREESTANDING;
  const char *rs = NULL;
  size_t rl = 0;
  if (!strncmp(s, "[constructor]", 13)) {
    f->kind = WIT_FN_CONSTRUCTOR;
    rs = s + 13;
    rl = len - 13;
  } else if (!strncmp(s, "[method]", 8) || !strncmp(s, "[static]", 8)) {
    f->kind = s[1] == 'm' ? WIT_FN_METHOD : WIT_FN_STATIC;
    rs = s + 8;
    const char *dot = strchr(rs, '.');
    rl = dot ? (size_t)(dot - rs) : strlen(rs);
  }
  if (rs) {
    f->resource = res_find(d, ok, owner, rs, rl);
    if (f->resource == WIT_NONE) dfail(d, "function `%s` refers to an unknown resource `%.*s`", s, (int)rl, rs);
  }
}

/* ---- interfaces ---- */

static void iface_fp_set(D *d, wit_id iface, uint32_t fpi1) {
  while (d->niface_fp <= iface) {
    uint32_t cap = d->niface_fp ? d->niface_fp * 2 : 16;
    while (cap <= iface) cap *= 2;
    wit_id *nv = walloc(d->c, d->a, sizeof(wit_id) * cap);
    memset(nv, 0, sizeof(wit_id) * cap);
    wmemcpy(nv, d->iface_fp, sizeof(wit_id) * d->niface_fp);
    d->iface_fp = nv;
    d->niface_fp = cap;
  }
  d->iface_fp[iface] = fpi1;
}

static wit_id new_interface(D *d, const char *name) {
  wit_resolve *r = d->r;
  uint32_t k = WPUSH(d->c, d->a, r->interfaces, r->n_interfaces, r->cap_interfaces);
  wit_interface *in = &r->interfaces[k];
  in->name = name;
  in->package = WIT_NONE;
  in->clone_of = WIT_NONE;
  in->span = wspan_none();
  return k;
}

static wit_id named_find(D *d, const char *full) {
  for (uint32_t i = 0; i < d->nnamed; i++)
    if (!strcmp(d->named[i].name, full)) return d->named[i].id;
  return WIT_NONE;
}

/* wit-parser extract_dep_interface: the interface `name` of a foreign package (created lazily). */
static wit_id extract_dep_interface(D *d, const char *name) {
  iname in;
  if (!parse_iface_name(d, name, strlen(name), &in)) dfail(d, "package name is not a valid id: %s", name);
  uint32_t fi = UINT32_MAX;
  for (uint32_t i = 0; i < d->nfp; i++)
    if (wit_pkgname_eq(&d->fp[i].name, &in.pkg)) { fi = i; break; }
  if (fi == UINT32_MAX) {
    fi = WPUSH(d->c, d->a, d->fp, d->nfp, d->capfp);
    d->fp[fi].name = in.pkg;
    d->fp[fi].existing = wit_resolve_find_package(d->r, in.pkg.namespace_, in.pkg.name, in.pkg.version);
  }
  fpkg *p = &d->fp[fi];
  for (uint32_t i = 0; i < p->n; i++)
    if (!strcmp(p->ifaces[i].name, in.iface)) return p->ifaces[i].id;
  wit_id id = WIT_NONE;
  if (p->existing != WIT_NONE) { /* merge: reuse the resolve's interface of that name */
    const wit_package *ep = &d->r->packages[p->existing];
    for (uint32_t i = 0; i < ep->n_interfaces; i++)
      if (!strcmp(ep->interfaces[i].name, in.iface)) id = ep->interfaces[i].id;
  }
  if (id == WIT_NONE) {
    id = new_interface(d, in.iface);
    iface_fp_set(d, id, fi + 1);
    uint32_t k = WPUSH(d->c, d->a, p->ifaces, p->n, p->cap);
    p->ifaces[k] = (wit_named_id){in.iface, id};
  } else {
    uint32_t k = WPUSH(d->c, d->a, p->ifaces, p->n, p->cap);
    p->ifaces[k] = (wit_named_id){in.iface, id};
    iface_fp_set(d, id, 0); /* already placed */
  }
  return id;
}

static wit_id iface_type(D *d, wit_id iface, const char *name) {
  const wit_interface *in = &d->r->interfaces[iface];
  for (uint32_t i = 0; i < in->n_types; i++)
    if (!strcmp(in->types[i].name, name)) return in->types[i].id;
  return WIT_NONE;
}
static int iface_has_func(D *d, wit_id iface, const char *name) {
  const wit_interface *in = &d->r->interfaces[iface];
  for (uint32_t i = 0; i < in->n_functions; i++)
    if (!strcmp(in->functions[i].name, name)) return 1;
  return 0;
}
static void iface_add_type(D *d, wit_id iface, const char *name, wit_id t) {
  wit_interface *in = &d->r->interfaces[iface];
  uint32_t k = WPUSH(d->c, d->a, in->types, in->n_types, in->cap_types);
  in->types[k] = (wit_named_id){name, t};
}
static void iface_add_func(D *d, wit_id iface, const wit_function *f) {
  wit_interface *in = &d->r->interfaces[iface];
  uint32_t k = WPUSH(d->c, d->a, in->functions, in->n_functions, in->cap_functions);
  in->functions[k] = *f;
}

/* wit-parser register_import: `name` is a foreign interface (filled lazily) or a local one (checked). */
static wit_id register_import(D *d, const char *name, const wk_ctent *e) {
  const wk_ctnode *n = node(d, e->id);
  if (n->kind != WK_CT_INST) dfail(d, "import `%s` is not an instance", name);
  wit_id iface = named_find(d, name);
  int is_local = iface != WIT_NONE;
  if (!is_local) iface = extract_dep_interface(d, name);
  int existing = !is_local && d->r->interfaces[iface].package != WIT_NONE;
  uint32_t nex = n->nex;
  for (uint32_t i = 0; i < nex; i++) {
    const wk_ctent *x = &node(d, e->id)->ex[i];
    const char *xn = dstr(d, x->name);
    if (x->kind == WK_CSORT_TYPE) {
      wit_id have = iface_type(d, iface, xn);
      if (have != WIT_NONE) {
        const wk_ctnode *xt = node(d, x->id);
        uint32_t referenced = xt->kind == WK_CT_DEF && xt->eq1 ? xt->eq1 - 1 : x->id;
        if (node(d, referenced)->kind == WK_CT_DEF) reg_defined(d, have, referenced, 0);
        if (tmap_get(d, x->id) == WIT_NONE || xt->kind != WK_CT_RES) tmap_set(d, x->id, have);
      } else {
        if (is_local || existing) dfail(d, "instance type export `%s` not defined in interface", xn);
        wit_id t = register_type_export(d, x, WIT_OWNER_INTERFACE, iface);
        iface_add_type(d, iface, xn, t);
        have = t;
      }
      instty_add(d, e->id, xn, have);
    } else if (x->kind == WK_CSORT_FUNC) {
      if (iface_has_func(d, iface, xn)) continue;
      if (is_local || existing) dfail(d, "instance function export `%s` not defined in interface", xn);
      wit_function f;
      convert_function(d, x, WIT_OWNER_INTERFACE, iface, &f);
      iface_add_func(d, iface, &f);
    } else {
      dfail(d, "instance type export `%s` is not a type", xn);
    }
  }
  return iface;
}

/* wit-parser register_interface: a new interface (named `ns:pkg/x` -> part of the package, or a plain-named inline one). */
static wit_id register_interface(D *d, const char *name, const wk_ctent *e, int *keyed_by_iface) {
  if (named_find(d, name) != WIT_NONE) {
    *keyed_by_iface = 1;
    return register_import(d, name, e);
  }
  const wk_ctnode *n = node(d, e->id);
  if (n->kind != WK_CT_INST) dfail(d, "`%s` is not an instance", name);
  iname in;
  const char *iname_s = parse_iface_name(d, name, strlen(name), &in) ? in.iface : NULL;
  wit_id iface = new_interface(d, iname_s);
  uint32_t nex = n->nex;
  /* A node shared with another name (a type that flowed in through
   * instantiation) stands for this interface's export inside the interface
   * (wasmparser gives the export its own id): map it here, restore after. */
  uint32_t *saved = walloc(d->c, d->a, sizeof(uint32_t) * 2 * (nex + 1)), nsaved = 0;
  for (uint32_t i = 0; i < nex; i++) {
    const wk_ctent *x = &node(d, e->id)->ex[i];
    if (x->kind == WK_CSORT_TYPE) {
      wit_id t = register_type_export(d, x, WIT_OWNER_INTERFACE, iface);
      iface_add_type(d, iface, d->r->types[t].name, t);
      instty_add(d, e->id, d->r->types[t].name, t);
      if (tmap_get(d, x->id) != t) {
        saved[2 * nsaved] = x->id;
        saved[2 * nsaved + 1] = tmap_get(d, x->id);
        nsaved++;
        tmap_set(d, x->id, t);
      }
    } else if (x->kind == WK_CSORT_FUNC) {
      wit_function f;
      convert_function(d, x, WIT_OWNER_INTERFACE, iface, &f);
      iface_add_func(d, iface, &f);
    } else {
      dfail(d, "instance type export `%.*s` is not a type or function", (int)x->name.len, x->name.s);
    }
  }
  while (nsaved--) tmap_set(d, saved[2 * nsaved], saved[2 * nsaved + 1]);
  if (iname_s) {
    uint32_t k = WPUSH(d->c, d->a, d->p_ifaces, d->np_ifaces, d->capp_ifaces);
    d->p_ifaces[k] = (wit_named_id){iname_s, iface};
    k = WPUSH(d->c, d->a, d->named, d->nnamed, d->capnamed);
    d->named[k] = (wit_named_id){name, iface};
    *keyed_by_iface = 1;
  } else {
    *keyed_by_iface = 0;
  }
  return iface;
}

/* ---- worlds ---- */

static wit_world_item *world_push(D *d, wit_id wid, int is_export) {
  wit_world *w = &d->r->worlds[wid];
  uint32_t k = is_export ? WPUSH(d->c, d->a, w->exports, w->n_exports, w->cap_exports)
                         : WPUSH(d->c, d->a, w->imports, w->n_imports, w->cap_imports);
  wit_world_item *it = is_export ? &w->exports[k] : &w->imports[k];
  it->key_iface = WIT_NONE;
  it->id = WIT_NONE;
  it->span = wspan_none();
  it->src_order = ++d->order;
  it->origin = WIT_ORIGIN_SOURCE;
  return it;
}

/* wit-parser decode_world_instance: an instance import/export of a world. */
static void world_instance(D *d, wit_id wid, const wk_ctent *e, int is_export) {
  const char *name = dstr(d, e->name);
  const char *impl = attr(e, WK_CATTR_IMPLEMENTS);
  wit_id iface;
  const char *key_name = NULL;
  iname in;
  if (impl) {
    const char *iv = attr_dup(d, e, WK_CATTR_IMPLEMENTS);
    (void)impl;
    iface = register_import(d, iv, e);
    key_name = name;
  } else if (parse_iface_name(d, name, strlen(name), &in)) {
    iface = register_import(d, name, e);
  } else {
    int by_iface = 0;
    iface = register_interface(d, name, e, &by_iface);
    if (!by_iface) key_name = name;
  }
  wit_world_item *it = world_push(d, wid, is_export);
  it->kind = WIT_ITEM_INTERFACE;
  it->id = iface;
  it->key_name = key_name;
  it->key_iface = key_name ? WIT_NONE : iface;
  it->external_id = attr_dup(d, e, WK_CATTR_EXTERNAL_ID);
}

static void world_func(D *d, wit_id wid, const wk_ctent *e, int is_export) {
  wit_function f;
  convert_function(d, e, WIT_OWNER_WORLD, wid, &f);
  wit_world_item *it = world_push(d, wid, is_export);
  it->kind = WIT_ITEM_FUNCTION;
  it->key_name = f.name;
  it->func = f;
}

static void world_type(D *d, wit_id wid, const wk_ctent *e) {
  wit_id t = register_type_export(d, e, WIT_OWNER_WORLD, wid);
  wit_world_item *it = world_push(d, wid, 0);
  it->kind = WIT_ITEM_TYPE;
  it->key_name = d->r->types[t].name;
  it->id = t;
}

static wit_id new_world(D *d, const char *name) {
  wit_resolve *r = d->r;
  uint32_t k = WPUSH(d->c, d->a, r->worlds, r->n_worlds, r->cap_worlds);
  r->worlds[k].name = name;
  r->worlds[k].package = WIT_NONE;
  r->worlds[k].span = wspan_none();
  return k;
}

/* wit-parser register_world: component type `id` as world `name` (an `ns:pkg/world` id). */
static wit_id register_world(D *d, const char *name, uint32_t id) {
  iname in;
  if (!parse_iface_name(d, name, strlen(name), &in)) dfail(d, "expected world name to have an ID form: %s", name);
  wit_id wid = new_world(d, in.iface);
  const wk_ctnode *n = node(d, id);
  uint32_t nim = n->nim, nex = n->nex;
  for (uint32_t i = 0; i < nim; i++) {
    const wk_ctent *x = &node(d, id)->im[i];
    if (x->kind == WK_CSORT_INSTANCE) world_instance(d, wid, x, 0);
    else if (x->kind == WK_CSORT_TYPE) world_type(d, wid, x);
    else if (x->kind == WK_CSORT_FUNC) world_func(d, wid, x, 0);
    else dfail(d, "component import `%.*s` is not an instance, func, or type", (int)x->name.len, x->name.s);
  }
  for (uint32_t i = 0; i < nex; i++) {
    const wk_ctent *x = &node(d, id)->ex[i];
    if (x->kind == WK_CSORT_INSTANCE) world_instance(d, wid, x, 1);
    else if (x->kind == WK_CSORT_FUNC) world_func(d, wid, x, 1);
    else dfail(d, "component export `%.*s` is not an instance or function", (int)x->name.len, x->name.s);
  }
  uint32_t k = WPUSH(d->c, d->a, d->p_worlds, d->np_worlds, d->capp_worlds);
  d->p_worlds[k] = (wit_named_id){in.iface, wid};
  return wid;
}

/* ---- finish: packages in topological order (wit-parser finish / visit_package) ---- */

static void visit_fp(D *d, uint32_t idx, uint8_t *state, uint32_t *order, uint32_t *no, int depth) {
  if (state[idx]) return;
  if (depth > 10000) dfail(d, "package dependencies nest too deep");
  state[idx] = 1;
  const fpkg *p = &d->fp[idx];
  for (uint32_t i = 0; i < p->n; i++) {
    const wit_interface *in = &d->r->interfaces[p->ifaces[i].id];
    for (uint32_t k = 0; k < in->n_types; k++) {
      const wit_typedef *t = &d->r->types[in->types[k].id];
      if (t->kind != WIT_TD_TYPE || t->ty.prim != WIT_PRIM_ID) continue;
      const wit_typedef *o = &d->r->types[t->ty.id];
      if (o->owner_kind != WIT_OWNER_INTERFACE || o->owner == p->ifaces[i].id) continue;
      uint32_t dep = o->owner < d->niface_fp ? d->iface_fp[o->owner] : 0;
      if (dep && dep - 1 != idx) visit_fp(d, dep - 1, state, order, no, depth + 1);
    }
  }
  order[(*no)++] = idx;
}

static wit_id insert_package(D *d, const wit_package_name *name, const wit_named_id *ifaces, uint32_t ni,
                             const wit_named_id *worlds, uint32_t nw, wit_id existing) {
  wit_resolve *r = d->r;
  wit_id pid = existing;
  if (pid == WIT_NONE) {
    pid = WPUSH(d->c, d->a, r->packages, r->n_packages, r->cap_packages);
    r->packages[pid].name = *name;
  }
  for (uint32_t i = 0; i < ni; i++) {
    if (r->interfaces[ifaces[i].id].package != WIT_NONE) continue; /* merged into an existing package */
    wit_package *p = &r->packages[pid];
    uint32_t k = WPUSH(d->c, d->a, p->interfaces, p->n_interfaces, p->cap_interfaces);
    p->interfaces[k] = ifaces[i];
    r->interfaces[ifaces[i].id].package = pid;
  }
  for (uint32_t i = 0; i < nw; i++) {
    wit_package *p = &r->packages[pid];
    uint32_t k = WPUSH(d->c, d->a, p->worlds, p->n_worlds, p->cap_worlds);
    p->worlds[k] = worlds[i];
    wit_world *w = &r->worlds[worlds[i].id];
    w->package = pid;
    for (int ex = 0; ex < 2; ex++)
      for (uint32_t j = 0; j < (ex ? w->n_exports : w->n_imports); j++) {
        const wit_world_item *it = ex ? &w->exports[j] : &w->imports[j];
        if (it->key_name && it->kind == WIT_ITEM_INTERFACE && !r->interfaces[it->id].name)
          r->interfaces[it->id].package = pid;
      }
  }
  return pid;
}

static wit_id finish(D *d, const wit_package_name *name) {
  if (wit_resolve_find_package(d->r, name->namespace_, name->name, name->version) != WIT_NONE)
    dfail(d, "package `%s:%s` is already present in this resolve", name->namespace_, name->name);
  uint8_t *state = walloc(d->c, d->a, d->nfp + 1);
  memset(state, 0, d->nfp + 1);
  uint32_t *order = walloc(d->c, d->a, sizeof(uint32_t) * (d->nfp + 1)), no = 0;
  for (uint32_t i = 0; i < d->nfp; i++) visit_fp(d, i, state, order, &no, 0);
  for (uint32_t i = 0; i < no; i++) {
    fpkg *p = &d->fp[order[i]];
    insert_package(d, &p->name, p->ifaces, p->n, NULL, 0, p->existing);
  }
  return insert_package(d, name, d->p_ifaces, d->np_ifaces, d->p_worlds, d->np_worlds, WIT_NONE);
}

/* ---- package-docs (wit-parser metadata.rs) ---- */

static const char *jstr(D *d, const cJSON *o, const char *key) {
  const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
  if (!x) return NULL;
  if (!cJSON_IsString(x)) dfail(d, "package-docs: `%s` is not a string", key);
  return wstrdup(d->c, d->a, x->valuestring, strlen(x->valuestring));
}

static void jstability(D *d, const cJSON *o, wit_stability *s) {
  const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, "stability");
  if (!x) return;
  memset(s, 0, sizeof *s);
  if (cJSON_IsString(x)) return; /* "unknown" */
  const cJSON *st = cJSON_GetObjectItemCaseSensitive(x, "stable"), *un = cJSON_GetObjectItemCaseSensitive(x, "unstable");
  if (st) {
    s->kind = WIT_STAB_STABLE;
    s->since = jstr(d, st, "since");
    s->deprecated = jstr(d, st, "deprecated");
  } else if (un) {
    s->kind = WIT_STAB_UNSTABLE;
    s->feature = jstr(d, un, "feature");
    s->deprecated = jstr(d, un, "deprecated");
  }
}

static void jfunc(D *d, const cJSON *m, wit_function *f) {
  if (cJSON_IsString(m)) { f->docs = wstrdup(d->c, d->a, m->valuestring, strlen(m->valuestring)); return; }
  if (cJSON_IsNull(m)) { f->docs = NULL; return; }
  f->docs = jstr(d, m, "docs");
  jstability(d, m, &f->stability);
}

static void jtype(D *d, const cJSON *m, wit_id tid) {
  wit_typedef *t = &d->r->types[tid];
  const char *docs = jstr(d, m, "docs");
  t = &d->r->types[tid];
  if (docs) t->docs = docs;
  jstability(d, m, &t->stability);
  const cJSON *items = cJSON_GetObjectItemCaseSensitive(m, "items"), *it;
  cJSON_ArrayForEach(it, items) {
    if (!cJSON_IsString(it)) dfail(d, "package-docs: item docs are not a string");
    uint32_t k = 0;
    t = &d->r->types[tid];
    for (; k < t->n_fields; k++)
      if (t->fields[k].name && !strcmp(t->fields[k].name, it->string)) break;
    if (k == t->n_fields) dfail(d, "package-docs: not all 'items' match type items");
    t->fields[k].docs = wstrdup(d->c, d->a, it->valuestring, strlen(it->valuestring));
  }
}

static void jiface(D *d, const cJSON *m, wit_id iid) {
  const cJSON *x;
  cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(m, "types")) {
    wit_id t = iface_type(d, iid, x->string);
    if (t == WIT_NONE) dfail(d, "package-docs: missing type \"%s\"", x->string);
    jtype(d, x, t);
  }
  cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(m, "funcs")) {
    wit_interface *in = &d->r->interfaces[iid];
    uint32_t k = 0;
    for (; k < in->n_functions; k++) if (!strcmp(in->functions[k].name, x->string)) break;
    if (k == in->n_functions) dfail(d, "package-docs: missing func \"%s\"", x->string);
    jfunc(d, x, &d->r->interfaces[iid].functions[k]);
  }
  const char *docs = jstr(d, m, "docs");
  if (docs) d->r->interfaces[iid].docs = docs;
  jstability(d, m, &d->r->interfaces[iid].stability);
}

/* The world item keyed `name` (a plain name, or an interface's `ns:pkg/x@v` id). */
static wit_world_item *witem(D *d, wit_id wid, const char *name, int exports, int want_kind) {
  wit_world *w = &d->r->worlds[wid];
  wit_world_item *v = exports ? w->exports : w->imports;
  uint32_t n = exports ? w->n_exports : w->n_imports;
  for (uint32_t i = 0; i < n; i++) {
    if (want_kind >= 0 && v[i].kind != (uint32_t)want_kind) continue;
    if (v[i].key_name) {
      if (!strcmp(v[i].key_name, name)) return &v[i];
    } else {
      char buf[600];
      wit_interface_id_string(d->r, v[i].key_iface, buf, sizeof buf);
      if (!strcmp(buf, name)) return &v[i];
    }
  }
  return NULL;
}

static void jworld(D *d, const cJSON *m, wit_id wid) {
  const cJSON *x;
  for (int only_export = 0; only_export < 2; only_export++)
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(m, only_export ? "interface_exports" : "interfaces")) {
      wit_world_item *it = only_export ? NULL : witem(d, wid, x->string, 0, WIT_ITEM_INTERFACE);
      if (!it) it = witem(d, wid, x->string, 1, WIT_ITEM_INTERFACE);
      if (!it || !it->key_name) dfail(d, "package-docs: missing interface \"%s\"", x->string);
      wit_stability st = {0};
      jstability(d, x, &st);
      it->stability = st;
      jiface(d, x, it->id);
    }
  cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(m, "types")) {
    wit_world_item *it = witem(d, wid, x->string, 0, WIT_ITEM_TYPE);
    if (!it) dfail(d, "package-docs: missing type \"%s\"", x->string);
    jtype(d, x, it->id);
  }
  for (int ex = 0; ex < 2; ex++) {
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(m, ex ? "interface_export_stability" : "interface_import_stability")) {
      wit_world_item *it = witem(d, wid, x->string, ex, WIT_ITEM_INTERFACE);
      if (!it) dfail(d, "package-docs: missing interface `%s`", x->string);
      wit_stability st = {0};
      cJSON *wrap = cJSON_CreateObject();
      if (!wrap) woom(d->c);
      cJSON_AddItemReferenceToObject(wrap, "stability", (cJSON *)x);
      jstability(d, wrap, &st);
      cJSON_Delete(wrap);
      it->stability = st;
    }
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(m, ex ? "interface_export_docs" : "interface_import_docs")) {
      wit_world_item *it = witem(d, wid, x->string, ex, WIT_ITEM_INTERFACE);
      if (!it || !cJSON_IsString(x)) dfail(d, "package-docs: missing interface `%s`", x->string);
      it->docs = wstrdup(d->c, d->a, x->valuestring, strlen(x->valuestring));
    }
  }
  for (int only_export = 0; only_export < 2; only_export++)
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(m, only_export ? "func_exports" : "funcs")) {
      wit_world_item *it = only_export ? NULL : witem(d, wid, x->string, 0, WIT_ITEM_FUNCTION);
      if (!it) it = witem(d, wid, x->string, 1, WIT_ITEM_FUNCTION);
      if (!it) dfail(d, "package-docs: missing func \"%s\"", x->string);
      jfunc(d, x, &it->func);
    }
  const char *docs = jstr(d, m, "docs");
  if (docs) d->r->worlds[wid].docs = docs;
  jstability(d, m, &d->r->worlds[wid].stability);
}

static void package_docs(D *d, wit_id pid) {
  for (uint32_t i = 0; i < d->comp->nsections; i++) {
    const wk_csection *s = &d->comp->sections[i];
    if (s->id != WK_CSEC_CUSTOM || !cstr_is(s->custom_name, "package-docs")) continue;
    d->off = s->offset;
    const uint8_t *p = (const uint8_t *)s->custom_data.s;
    size_t n = s->custom_data.len;
    if (!n || p[0] > 1) dfail(d, "expected package-docs version 1, got %d", n ? p[0] : -1);
    cJSON *j = cJSON_ParseWithLength((const char *)p + 1, n - 1);
    if (!j) dfail(d, "package-docs: invalid JSON");
    d->json = j; /* errors below longjmp: the entry point frees it */
    const cJSON *x;
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(j, "worlds")) {
      const wit_package *pk = &d->r->packages[pid];
      wit_id w = WIT_NONE;
      for (uint32_t k = 0; k < pk->n_worlds; k++) if (!strcmp(pk->worlds[k].name, x->string)) w = pk->worlds[k].id;
      if (w == WIT_NONE) dfail(d, "package-docs: missing world \"%s\"", x->string);
      jworld(d, x, w);
    }
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(j, "interfaces")) {
      const wit_package *pk = &d->r->packages[pid];
      wit_id w = WIT_NONE;
      for (uint32_t k = 0; k < pk->n_interfaces; k++) if (!strcmp(pk->interfaces[k].name, x->string)) w = pk->interfaces[k].id;
      if (w == WIT_NONE) dfail(d, "package-docs: missing interface \"%s\"", x->string);
      jiface(d, x, w);
    }
    const char *docs = jstr(d, j, "docs");
    if (docs) d->r->packages[pid].docs = docs;
    cJSON_Delete(j);
    d->json = NULL;
  }
}

/* ---- entry ---- */

/* Offset of a root import/export named by `cn` (for errors). */
static size_t extern_offset(const wk_component *c, const wk_cname *cn) {
  for (uint32_t i = 0; i < c->nsections; i++) {
    const wk_csection *s = &c->sections[i];
    if (s->id == WK_CSEC_IMPORT)
      for (uint32_t k = 0; k < s->count; k++) if (&s->u.imports[k].name == cn) return s->u.imports[k].offset;
    if (s->id == WK_CSEC_EXPORT)
      for (uint32_t k = 0; k < s->count; k++) if (&s->u.exports[k].name == cn) return s->u.exports[k].offset;
  }
  return c->offset;
}

static int is_label(wk_cstr s) { return s.len && !memchr(s.s, ':', s.len) && s.s[0] != '['; }

static void decode_main(D *d, wit_id *pkg_out, wit_id *world_out, int *kind_out) {
  const wk_ctnode *root = node(d, d->g->root);
  /* a WIT package: only exports, each a type whose definition is a component type */
  int is_pkg = root->nex > 0 && root->nim == 0;
  for (uint32_t i = 0; is_pkg && i < root->nex; i++) {
    const wk_ctent *e = &root->ex[i];
    is_pkg = e->kind == WK_CSORT_TYPE && node(d, e->id)->kind == WK_CT_COMP;
  }
  int v1 = 0;
  if (is_pkg) {
    iname in;
    wk_cstr n0 = root->ex[0].name;
    if (parse_iface_name(d, n0.s, n0.len, &in) && !strcmp(in.iface, "wit")) v1 = 1;
    else if (!is_label(n0)) is_pkg = 0;
  }
  wit_package_name pname = {"root", "component", NULL};
  wit_id world = WIT_NONE;
  if (is_pkg && v1) {
    const wk_ctent *e = &root->ex[0];
    d->off = extern_offset(d->comp, e->cn);
    if (root->nex != 1) dfail(d, "more than one top-level exported component type found");
    iname in;
    parse_iface_name(d, e->name.s, e->name.len, &in);
    pname = in.pkg;
    const wk_ctnode *ct = node(d, e->id);
    for (uint32_t i = 0; i < ct->nim; i++) {
      const wk_ctent *x = &node(d, e->id)->im[i];
      register_import(d, dstr(d, x->name), x);
    }
    for (uint32_t i = 0; i < node(d, e->id)->nex; i++) {
      const wk_ctent *x = &node(d, e->id)->ex[i];
      const char *xn = dstr(d, x->name);
      if (x->kind == 5) { int b; register_interface(d, xn, x, &b); }
      else if (x->kind == 4) register_world(d, xn, x->id);
      else dfail(d, "component export `%s` is not an instance or component", xn);
    }
  } else if (is_pkg) {
    int have_name = 0;
    for (uint32_t i = 0; i < root->nex; i++) {
      const wk_ctent *e = &node(d, d->g->root)->ex[i];
      d->off = extern_offset(d->comp, e->cn);
      const wk_ctnode *ct = node(d, e->id);
      if (ct->nex != 1) dfail(d, "Expected a single export, but found %u instead", ct->nex);
      const wk_ctent *x = &ct->ex[0];
      const char *xn = dstr(d, x->name);
      iname in;
      if (!parse_iface_name(d, xn, strlen(xn), &in)) dfail(d, "expected world name to be fully qualified: %s", xn);
      if (x->kind == 4) {
        register_world(d, xn, x->id);
      } else if (x->kind == 5) {
        for (uint32_t k = 0; k < node(d, e->id)->nim; k++) {
          const wk_ctent *im = &node(d, e->id)->im[k];
          register_import(d, dstr(d, im->name), im);
        }
        int b;
        register_interface(d, xn, &node(d, e->id)->ex[0], &b);
      } else {
        dfail(d, "export `%s` is not an instance or component", xn);
      }
      if (have_name && !wit_pkgname_eq(&pname, &in.pkg)) dfail(d, "item defined with mismatched package name");
      pname = in.pkg;
      have_name = 1;
    }
  } else {
    world = new_world(d, "root");
    uint32_t k = WPUSH(d->c, d->a, d->p_worlds, d->np_worlds, d->capp_worlds);
    d->p_worlds[k] = (wit_named_id){"root", world};
    /* imports and exports in section order (wasmparser's externs list), which
     * is the order types and interfaces are allocated in */
    uint32_t ii = 0, ei = 0;
    for (uint32_t si = 0; si <= d->comp->nsections; si++) {
      const wk_csection *sec = si < d->comp->nsections ? &d->comp->sections[si] : NULL;
      int ex = sec && sec->id == WK_CSEC_EXPORT;
      if (sec && sec->id != WK_CSEC_IMPORT && !ex) continue;
      /* past the last section: anything not matched to a section (never, for a decoded component) */
      uint32_t n = sec ? sec->count : 0;
      if (!sec && (ii < node(d, d->g->root)->nim || ei < node(d, d->g->root)->nex)) {
        ex = ii >= node(d, d->g->root)->nim;
        n = 1;
        si--;
      }
      for (uint32_t i = 0; i < n; i++) {
        const wk_ctnode *rt = node(d, d->g->root);
        if (ex ? ei >= rt->nex : ii >= rt->nim) break;
        const wk_ctent *e = ex ? &rt->ex[ei++] : &rt->im[ii++];
        d->off = extern_offset(d->comp, e->cn);
        if (e->kind == 5) world_instance(d, world, e, ex);
        else if (e->kind == 1) world_func(d, world, e, ex);
        else if (e->kind == 3 && !ex) world_type(d, world, e);
        else if (ex) dfail(d, "component export `%.*s` was not a function or instance", (int)e->name.len, e->name.s);
        /* other imports (modules, components, values) are not part of the world */
      }
    }
  }
  d->off = d->comp->offset;
  wit_id pid = finish(d, &pname);
  package_docs(d, pid);
  if (pkg_out) *pkg_out = pid;
  if (world_out) *world_out = world;
  if (kind_out) *kind_out = world == WIT_NONE ? WIT_DECODED_PACKAGE : WIT_DECODED_COMPONENT;
}

int wit_decode_component(wit_resolve *r, const wk_component *c, wit_id *pkg_out, wit_id *world_out, int *kind_out,
                         wk_error *err) {
  wk_error local;
  if (!err) err = &local;
  wk_error_clear(err);
  wk_ctypes *g = NULL;
  /* a WIT package may use map<K, V> and list<T, N> (wit-parser accepts them) */
  int rc = wk_ctypes_build_ex(c, WK_CVALIDATE_CM_MAP | WK_CVALIDATE_CM_FIXED_LISTS, &g, err);
  if (rc) return rc;
  wit_diag diag;
  memset(&diag, 0, sizeof diag);
  wctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.r = r;
  ctx.diag = &diag;
  ctx.tmp = &r->arena;
  D d;
  memset(&d, 0, sizeof d);
  d.c = &ctx;
  d.r = r;
  d.a = &r->arena;
  d.g = g;
  d.comp = c;
  d.tmap = wk_reallocarray(NULL, g->nt + 1, sizeof(wit_id));
  if (!d.tmap) { wk_ctypes_free(g); return wk_error_set(err, WK_ERR_NOMEM, "out of memory"); }
  memset(d.tmap, 0xff, sizeof(wit_id) * (g->nt + 1));
  d.err = err;
  rc = setjmp(ctx.jb);
  if (rc == 0) decode_main(&d, pkg_out, world_out, kind_out);
  else {
    err = d.err;
    /* "0x<off>: message" from dfail, or a plain message */
    const char *m = diag.err.msg;
    unsigned long long off = 0;
    int used = 0;
    if (sscanf(m, "0x%llx: %n", &off, &used) == 1 && used > 0)
      wk_error_at(err, rc, off, "%s", m + used);
    else
      wk_error_set(err, rc, "%s", m);
  }
  cJSON_Delete(d.json);
  free(d.tmap);
  wk_ctypes_free(g);
  return rc ? rc : WK_OK;
}

int wit_decode_bytes(wit_resolve *r, const uint8_t *data, size_t len, wit_id *pkg_out, wit_id *world_out,
                     int *kind_out, wk_error *err) {
  wk_component *c = NULL;
  int rc = wk_component_decode(data, len, &c, err);
  if (rc) return rc;
  rc = wit_decode_component(r, c, pkg_out, world_out, kind_out, err);
  wk_component_free(c);
  return rc;
}
