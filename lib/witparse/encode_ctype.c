/*
 * WIT -> component type encoding (see witencode.h): a world as the component
 * of a `component-type` custom section, an interface or a whole package as
 * `wasm-tools component wit --wasm` writes it.
 *
 * Binary format: component-model design/mvp/Binary.md ("Type Definitions",
 * "Alias Definitions", "Import and Export Definitions", "Custom Sections").
 * The structure follows wit-component's encoder (encoding/wit.rs and the
 * ValtypeEncoder of encoding/types.rs) so that decoders recover the same
 * Resolve: each imported or exported interface becomes an instance type whose
 * types are exported with `(eq i)` bounds (resources as `(sub resource)`),
 * types used from another interface are aliased out of that interface's
 * instance and into the using one with an outer alias, anonymous types and
 * function types are deduplicated structurally within one scope.
 */
#include <stdlib.h>
#include <string.h>

#include "encode/ctcodes.h"
#include "witparse/witencode.h"

typedef struct kv {
  char *k;
  uint32_t v;
} kv;
typedef struct kvmap {
  kv *v;
  size_t n, cap;
} kvmap;

static int kv_get(const kvmap *m, const char *k, uint32_t *v) {
  for (size_t i = 0; i < m->n; i++)
    if (!strcmp(m->v[i].k, k)) { *v = m->v[i].v; return 1; }
  return 0;
}
static int kv_put(kvmap *m, const char *k, uint32_t v) {
  if (m->n == m->cap) {
    size_t nc = m->cap ? m->cap * 2 : 16;
    kv *nv = wk_reallocarray(m->v, nc, sizeof *nv);
    if (!nv) return -1;
    m->v = nv;
    m->cap = nc;
  }
  m->v[m->n].k = strdup(k);
  if (!m->v[m->n].k) return -1;
  m->v[m->n++].v = v;
  return 0;
}
static void kv_free(kvmap *m) {
  for (size_t i = 0; i < m->n; i++) free(m->v[i].k);
  free(m->v);
  memset(m, 0, sizeof *m);
}

typedef struct scope {
  wk_buf decls;
  uint32_t ndecls;
  uint32_t type_count;
  uint32_t *id_to_index; /* per type id; UINT32_MAX = none */
  kvmap defs;            /* anonymous type structure -> index */
  kvmap funcs;           /* function signature -> index */
} scope;

typedef struct enc {
  const wit_resolve *r;
  scope outer, inst;
  scope *cur;
  uint32_t *import_map; /* interface -> instance index; UINT32_MAX none */
  uint32_t *outer_type_map;
  uint32_t instances;
  int import_types;
  wit_id interface; /* WIT_NONE = world level */
  int failed;
  wk_error *err;
} enc;

/* a component valtype: primitive byte or type index */
typedef struct cval {
  int prim;
  uint32_t v;
} cval;

static int scope_init(enc *e, scope *s) {
  memset(s, 0, sizeof *s);
  s->id_to_index = malloc((e->r->n_types + 1) * sizeof *s->id_to_index);
  if (!s->id_to_index) return -1;
  for (uint32_t i = 0; i <= e->r->n_types; i++) s->id_to_index[i] = UINT32_MAX;
  return 0;
}
static void scope_free(scope *s) {
  wk_buf_free(&s->decls);
  free(s->id_to_index);
  kv_free(&s->defs);
  kv_free(&s->funcs);
}

static void name(wk_buf *b, const char *s) {
  size_t n = strlen(s);
  wk_buf_uleb(b, n);
  wk_buf_append(b, s, n);
}

/* nameattributes (Binary.md "Import and Export Definitions"): plain 0x00 form, or 0x02 with the
 * `implements` (0x00) and `external-id` (0x02) attributes when present. */
static void name_attrs(wk_buf *b, const char *nm, const char *implements, const char *external_id) {
  if (!implements && !external_id) {
    wk_buf_byte(b, WK_CNA_PLAIN);
    name(b, nm);
    return;
  }
  wk_buf_byte(b, WK_CNA_ATTRS);
  name(b, nm);
  wk_buf_uleb(b, (implements != NULL) + (external_id != NULL));
  if (implements) { wk_buf_byte(b, WK_CATTR_IMPLEMENTS); name(b, implements); }
  if (external_id) { wk_buf_byte(b, WK_CATTR_EXTERNAL_ID); name(b, external_id); }
}

static void put_val(wk_buf *b, cval v) {
  if (v.prim) wk_buf_byte(b, (uint8_t)v.v);
  else wk_buf_sleb(b, (int64_t)v.v); /* valtype typeidx is an s33 */
}

static void put_opt_val(wk_buf *b, int has, cval v) {
  if (!has) { wk_buf_byte(b, WK_CT_ABSENT); return; }
  wk_buf_byte(b, WK_CT_PRESENT);
  put_val(b, v);
}

/* Start a type definition in the current scope: returns its index, leaves the writer at the deftype. */
static uint32_t def_type(enc *e) {
  scope *s = e->cur;
  wk_buf_byte(&s->decls, WK_CDECL_TYPE);
  s->ndecls++;
  return s->type_count++;
}

static uint8_t prim_code(uint32_t p) {
  switch (p) {
  case WIT_PRIM_BOOL: return WK_CTC_BOOL;
  case WIT_PRIM_S8: return WK_CTC_S8;
  case WIT_PRIM_U8: return WK_CTC_U8;
  case WIT_PRIM_S16: return WK_CTC_S16;
  case WIT_PRIM_U16: return WK_CTC_U16;
  case WIT_PRIM_S32: return WK_CTC_S32;
  case WIT_PRIM_U32: return WK_CTC_U32;
  case WIT_PRIM_S64: return WK_CTC_S64;
  case WIT_PRIM_U64: return WK_CTC_U64;
  case WIT_PRIM_F32: return WK_CTC_F32;
  case WIT_PRIM_F64: return WK_CTC_F64;
  case WIT_PRIM_CHAR: return WK_CTC_CHAR;
  case WIT_PRIM_STRING: return WK_CTC_STRING;
  case WIT_PRIM_ERROR_CONTEXT: return WK_CTC_ERROR_CONTEXT;
  default: return WK_CTC_BOOL;
  }
}

static cval encode_valtype(enc *e, wit_type t, int depth);

/* an import of type `id` owned by interface `owner` (wit-component import_type) */
static uint32_t import_type(enc *e, wit_id owner, wit_id id) {
  const wit_typedef *d = &e->r->types[id];
  uint32_t inst = e->import_map[owner];
  if (inst == UINT32_MAX || !d->name) {
    e->failed = 1;
    wk_error_set(e->err, WK_ERR_INVALID, "type `%s` is used from an interface that is not part of the world",
                 d->name ? d->name : "?");
    return 0;
  }
  uint32_t outer_idx = e->outer_type_map[id];
  if (outer_idx == UINT32_MAX) {
    outer_idx = e->outer.type_count++;
    wk_buf *b = &e->outer.decls;
    wk_buf_byte(b, WK_CDECL_ALIAS);
    wk_buf_byte(b, WK_CSORT_TYPE);
    wk_buf_byte(b, WK_CALIAS_EXPORT);
    wk_buf_uleb(b, inst);
    name(b, d->name);
    e->outer.ndecls++;
    e->outer_type_map[id] = outer_idx;
  }
  if (e->cur == &e->inst) {
    wk_buf *b = &e->inst.decls;
    wk_buf_byte(b, WK_CDECL_ALIAS);
    wk_buf_byte(b, WK_CSORT_TYPE);
    wk_buf_byte(b, WK_CALIAS_OUTER);
    wk_buf_uleb(b, 1);
    wk_buf_uleb(b, outer_idx);
    e->inst.ndecls++;
    return e->inst.type_count++;
  }
  return outer_idx;
}

/* Export (or, for world-level `import_types`, import) a type with an (eq idx) bound. */
static uint32_t export_type(enc *e, uint32_t idx, const char *nm, const char *external_id) {
  scope *s = e->cur;
  wk_buf *b = &s->decls;
  wk_buf_byte(b, (e->cur == &e->outer && e->import_types) ? WK_CDECL_IMPORT : WK_CDECL_EXPORT);
  name_attrs(b, nm, NULL, external_id);
  wk_buf_byte(b, WK_CSORT_TYPE);
  wk_buf_byte(b, WK_CBOUND_EQ);
  wk_buf_uleb(b, idx);
  s->ndecls++;
  return s->type_count++;
}

static uint32_t export_resource(enc *e, const char *nm, const char *external_id) {
  scope *s = e->cur;
  wk_buf *b = &s->decls;
  wk_buf_byte(b, (e->cur == &e->outer && e->import_types) ? WK_CDECL_IMPORT : WK_CDECL_EXPORT);
  name_attrs(b, nm, NULL, external_id);
  wk_buf_byte(b, WK_CSORT_TYPE);
  wk_buf_byte(b, WK_CBOUND_SUB_RESOURCE);
  s->ndecls++;
  return s->type_count++;
}

static void key_ty(wk_buf *k, wit_type t) { wk_buf_printf(k, "%u:%u,", t.prim, t.prim == WIT_PRIM_ID ? t.id : 0); }

/* Structural key of an anonymous type definition (wit-component def_to_index). */
static void def_key(const wit_typedef *d, wk_buf *k) {
  wk_buf_printf(k, "k%u|", d->kind);
  key_ty(k, d->ty);
  key_ty(k, d->ty2);
  wk_buf_printf(k, "r%u|s%u|", d->kind == WIT_TD_OWN || d->kind == WIT_TD_BORROW ? d->resource : 0, d->size);
  for (uint32_t i = 0; i < d->n_fields; i++) {
    wk_buf_printf(k, "%s=", d->fields[i].name ? d->fields[i].name : "");
    key_ty(k, d->fields[i].ty);
  }
  wk_buf_byte(k, 0);
}

static cval encode_valtype(enc *e, wit_type t, int depth) {
  cval out = {1, prim_code(t.prim)};
  if (t.prim != WIT_PRIM_ID) return out;
  if (depth > 200 || t.id >= e->r->n_types) { e->failed = 1; wk_error_set(e->err, WK_ERR_INVALID, "bad type"); return out; }
  wit_id id = t.id;
  const wit_typedef *d = &e->r->types[id];
  scope *s = e->cur;
  /* lookup */
  if (s->id_to_index[id] != UINT32_MAX) return (cval){0, s->id_to_index[id]};
  wk_buf key = {0};
  if (!d->name) {
    def_key(d, &key);
    uint32_t v;
    if (kv_get(&s->defs, (char *)key.data, &v)) { wk_buf_free(&key); return (cval){0, v}; }
  }
  /* a type owned by another interface is imported via aliases */
  if (d->owner_kind == WIT_OWNER_INTERFACE && d->owner != e->interface) {
    uint32_t idx = import_type(e, d->owner, id);
    s->id_to_index[id] = idx;
    if (!d->name) kv_put(&s->defs, (char *)key.data, idx);
    wk_buf_free(&key);
    return (cval){0, idx};
  }
  cval enc_v = {0, 0};
  switch (d->kind) {
  case WIT_TD_RECORD: {
    cval *f = calloc(d->n_fields + 1, sizeof *f);
    if (!f) { e->failed = 1; break; }
    for (uint32_t i = 0; i < d->n_fields; i++) f[i] = encode_valtype(e, d->fields[i].ty, depth + 1);
    enc_v.v = def_type(e);
    wk_buf_byte(&s->decls, WK_CTC_RECORD);
    wk_buf_uleb(&s->decls, d->n_fields);
    for (uint32_t i = 0; i < d->n_fields; i++) { name(&s->decls, d->fields[i].name); put_val(&s->decls, f[i]); }
    free(f);
    break;
  }
  case WIT_TD_TUPLE: {
    cval *f = calloc(d->n_fields + 1, sizeof *f);
    if (!f) { e->failed = 1; break; }
    for (uint32_t i = 0; i < d->n_fields; i++) f[i] = encode_valtype(e, d->fields[i].ty, depth + 1);
    enc_v.v = def_type(e);
    wk_buf_byte(&s->decls, WK_CTC_TUPLE);
    wk_buf_uleb(&s->decls, d->n_fields);
    for (uint32_t i = 0; i < d->n_fields; i++) put_val(&s->decls, f[i]);
    free(f);
    break;
  }
  case WIT_TD_FLAGS:
  case WIT_TD_ENUM:
    enc_v.v = def_type(e);
    wk_buf_byte(&s->decls, d->kind == WIT_TD_FLAGS ? WK_CTC_FLAGS : WK_CTC_ENUM);
    wk_buf_uleb(&s->decls, d->n_fields);
    for (uint32_t i = 0; i < d->n_fields; i++) name(&s->decls, d->fields[i].name);
    break;
  case WIT_TD_VARIANT: {
    cval *f = calloc(d->n_fields + 1, sizeof *f);
    if (!f) { e->failed = 1; break; }
    for (uint32_t i = 0; i < d->n_fields; i++)
      if (d->fields[i].ty.prim) f[i] = encode_valtype(e, d->fields[i].ty, depth + 1);
    enc_v.v = def_type(e);
    wk_buf_byte(&s->decls, WK_CTC_VARIANT);
    wk_buf_uleb(&s->decls, d->n_fields);
    for (uint32_t i = 0; i < d->n_fields; i++) {
      name(&s->decls, d->fields[i].name);
      put_opt_val(&s->decls, d->fields[i].ty.prim != 0, f[i]);
      wk_buf_byte(&s->decls, WK_CT_CASE_END);
    }
    free(f);
    break;
  }
  case WIT_TD_OPTION:
  case WIT_TD_LIST: {
    cval x = encode_valtype(e, d->ty, depth + 1);
    enc_v.v = def_type(e);
    wk_buf_byte(&s->decls, d->kind == WIT_TD_OPTION ? WK_CTC_OPTION : WK_CTC_LIST);
    put_val(&s->decls, x);
    break;
  }
  case WIT_TD_FIXED_LIST: {
    cval x = encode_valtype(e, d->ty, depth + 1);
    enc_v.v = def_type(e);
    wk_buf_byte(&s->decls, WK_CTC_FIXED_LIST);
    put_val(&s->decls, x);
    wk_buf_uleb(&s->decls, d->size);
    break;
  }
  case WIT_TD_MAP: {
    cval k = encode_valtype(e, d->ty, depth + 1), v = encode_valtype(e, d->ty2, depth + 1);
    enc_v.v = def_type(e);
    wk_buf_byte(&s->decls, WK_CTC_MAP);
    put_val(&s->decls, k);
    put_val(&s->decls, v);
    break;
  }
  case WIT_TD_RESULT: {
    cval ok = {0, 0}, er = {0, 0};
    if (d->ty.prim) ok = encode_valtype(e, d->ty, depth + 1);
    if (d->ty2.prim) er = encode_valtype(e, d->ty2, depth + 1);
    enc_v.v = def_type(e);
    wk_buf_byte(&s->decls, WK_CTC_RESULT);
    put_opt_val(&s->decls, d->ty.prim != 0, ok);
    put_opt_val(&s->decls, d->ty2.prim != 0, er);
    break;
  }
  case WIT_TD_FUTURE:
  case WIT_TD_STREAM: {
    cval x = {0, 0};
    if (d->ty.prim) x = encode_valtype(e, d->ty, depth + 1);
    enc_v.v = def_type(e);
    wk_buf_byte(&s->decls, d->kind == WIT_TD_FUTURE ? WK_CTC_FUTURE : WK_CTC_STREAM);
    put_opt_val(&s->decls, d->ty.prim != 0, x);
    break;
  }
  case WIT_TD_TYPE: enc_v = encode_valtype(e, d->ty, depth + 1); break;
  case WIT_TD_RESOURCE: {
    uint32_t idx = export_resource(e, d->name ? d->name : "resource", d->external_id);
    s->id_to_index[id] = idx;
    wk_buf_free(&key);
    return (cval){0, idx};
  }
  case WIT_TD_OWN:
  case WIT_TD_BORROW: {
    cval r = encode_valtype(e, (wit_type){WIT_PRIM_ID, d->resource}, depth + 1);
    enc_v.v = def_type(e);
    wk_buf_byte(&s->decls, d->kind == WIT_TD_OWN ? WK_CTC_OWN : WK_CTC_BORROW);
    wk_buf_uleb(&s->decls, r.v);
    break;
  }
  default:
    e->failed = 1;
    wk_error_set(e->err, WK_ERR_INVALID, "cannot encode an unresolved type");
    break;
  }
  s = e->cur;
  if (d->name) {
    uint32_t idx;
    if (enc_v.prim) {
      idx = def_type(e);
      wk_buf_byte(&s->decls, (uint8_t)enc_v.v);
    } else idx = enc_v.v;
    idx = export_type(e, idx, d->name, d->external_id);
    enc_v.prim = 0;
    enc_v.v = idx;
  }
  if (!enc_v.prim) {
    s->id_to_index[id] = enc_v.v;
    if (!d->name) kv_put(&s->defs, (char *)key.data, enc_v.v);
  }
  wk_buf_free(&key);
  return enc_v;
}

static int fn_async(const wit_function *f) {
  return f->kind == WIT_FN_ASYNC_FREESTANDING || f->kind == WIT_FN_ASYNC_METHOD || f->kind == WIT_FN_ASYNC_STATIC;
}

static uint32_t encode_func_type(enc *e, const wit_function *f) {
  scope *s = e->cur;
  wk_buf key = {0};
  wk_buf_printf(&key, "a%d|", fn_async(f));
  for (uint32_t i = 0; i < f->n_params; i++) {
    wk_buf_printf(&key, "%s=", f->params[i].name);
    key_ty(&key, f->params[i].ty);
  }
  wk_buf_str(&key, "->");
  key_ty(&key, f->result);
  wk_buf_byte(&key, 0);
  uint32_t v;
  if (kv_get(&s->funcs, (char *)key.data, &v)) { wk_buf_free(&key); return v; }
  cval *p = calloc(f->n_params + 1, sizeof *p);
  if (!p) { e->failed = 1; wk_buf_free(&key); return 0; }
  for (uint32_t i = 0; i < f->n_params; i++) p[i] = encode_valtype(e, f->params[i].ty, 0);
  cval r = {0, 0};
  if (f->result.prim) r = encode_valtype(e, f->result, 0);
  uint32_t idx = def_type(e);
  wk_buf *b = &s->decls;
  wk_buf_byte(b, fn_async(f) ? WK_CTC_ASYNC_FUNC : WK_CTC_FUNC);
  wk_buf_uleb(b, f->n_params);
  for (uint32_t i = 0; i < f->n_params; i++) { name(b, f->params[i].name); put_val(b, p[i]); }
  if (f->result.prim) { wk_buf_byte(b, WK_CRESULT_ONE); put_val(b, r); }
  else { wk_buf_byte(b, WK_CRESULT_NONE); wk_buf_byte(b, 0x00); }
  free(p);
  kv_put(&s->funcs, (char *)key.data, idx);
  wk_buf_free(&key);
  return idx;
}

/* wit-component push_instance: start a fresh instance-type scope (its own type maps). */
static int push_instance(enc *e) {
  scope_free(&e->inst);
  if (scope_init(e, &e->inst)) { e->failed = 1; wk_error_set(e->err, WK_ERR_NOMEM, "out of memory"); return -1; }
  e->cur = &e->inst;
  return 0;
}

/* wit-component pop_instance + `outer.ty().instance(..)`: define the instance type (Binary.md
 * instancetype WK_CTC_INSTANCE) in the outer scope; interface `iface` is the next instance. Returns its type index. */
static uint32_t pop_instance(enc *e, wit_id iface) {
  e->cur = &e->outer;
  uint32_t idx = def_type(e);
  wk_buf *b = &e->outer.decls;
  wk_buf_byte(b, WK_CTC_INSTANCE);
  wk_buf_uleb(b, e->inst.ndecls);
  wk_buf_append(b, e->inst.decls.data, e->inst.decls.len);
  e->import_map[iface] = e->instances++;
  return idx;
}

/* wit-component encode_instance: returns the outer type index of the instance type. */
static uint32_t encode_instance(enc *e, wit_id iface) {
  if (push_instance(e)) return 0;
  const wit_interface *it = &e->r->interfaces[iface];
  for (uint32_t i = 0; i < it->n_types && !e->failed; i++) encode_valtype(e, (wit_type){WIT_PRIM_ID, it->types[i].id}, 0);
  /* functions: resource-associated ones first, by the position of their resource among the types */
  uint32_t n = it->n_functions;
  uint32_t *order = calloc(n + 1, sizeof *order), *rank = calloc(n + 1, sizeof *rank);
  if (!order || !rank) { e->failed = 1; free(order); free(rank); return 0; }
  for (uint32_t i = 0; i < n; i++) {
    order[i] = i;
    rank[i] = it->n_types;
    const wit_function *f = &it->functions[i];
    if (f->kind != WIT_FN_FREESTANDING && f->kind != WIT_FN_ASYNC_FREESTANDING)
      for (uint32_t k = 0; k < it->n_types; k++)
        if (it->types[k].id == f->resource) { rank[i] = k; break; }
  }
  for (uint32_t i = 1; i < n; i++) { /* stable insertion sort */
    uint32_t x = order[i], j = i;
    while (j > 0 && rank[order[j - 1]] > rank[x]) { order[j] = order[j - 1]; j--; }
    order[j] = x;
  }
  for (uint32_t k = 0; k < n && !e->failed; k++) {
    const wit_function *f = &it->functions[order[k]];
    uint32_t ty = encode_func_type(e, f);
    wk_buf *b = &e->inst.decls;
    wk_buf_byte(b, WK_CDECL_EXPORT);
    name_attrs(b, f->name, NULL, f->external_id);
    wk_buf_byte(b, WK_CSORT_FUNC);
    wk_buf_uleb(b, ty);
    e->inst.ndecls++;
  }
  free(order);
  free(rank);
  return pop_instance(e, iface);
}

static const char *key_name(const wit_resolve *r, const wit_world_item *it, char *buf, size_t cap) {
  if (it->key_name) return it->key_name;
  return wit_interface_id_string(r, it->key_iface, buf, cap);
}

static void outer_extern(enc *e, int is_import, const char *nm, const char *implements, const char *external_id,
                         uint8_t kind, uint32_t idx) {
  wk_buf *b = &e->outer.decls;
  wk_buf_byte(b, is_import ? WK_CDECL_IMPORT : WK_CDECL_EXPORT);
  name_attrs(b, nm, implements, external_id);
  wk_buf_byte(b, kind);
  wk_buf_uleb(b, idx);
  e->outer.ndecls++;
}

static void encode_items(enc *e, const wit_world_item *items, uint32_t n, int is_import) {
  char buf[1024];
  for (uint32_t i = 0; i < n && !e->failed; i++) {
    const wit_world_item *it = &items[i];
    const char *nm = key_name(e->r, it, buf, sizeof buf);
    if (it->kind == WIT_ITEM_INTERFACE) {
      e->interface = it->id;
      uint32_t idx = encode_instance(e, it->id);
      /* wit-parser implements_value: a plain-named import/export of a named interface */
      char ibuf[1024];
      const char *impl = NULL;
      if (it->key_name && e->r->interfaces[it->id].name) impl = wit_interface_id_string(e->r, it->id, ibuf, sizeof ibuf);
      outer_extern(e, is_import, nm, impl, it->external_id, WK_CSORT_INSTANCE, idx);
    } else if (it->kind == WIT_ITEM_FUNCTION) {
      e->interface = WIT_NONE;
      e->cur = &e->outer;
      uint32_t idx = encode_func_type(e, &it->func);
      outer_extern(e, is_import, nm, NULL, it->func.external_id, WK_CSORT_FUNC, idx);
    } else {
      e->interface = WIT_NONE;
      e->cur = &e->outer;
      e->import_types = 1;
      encode_valtype(e, (wit_type){WIT_PRIM_ID, it->id}, 0);
      e->import_types = 0;
    }
  }
}


/* ---- encoder lifetime ---- */

static int enc_init(enc *e, const wit_resolve *r, wk_error *lerr) {
  memset(e, 0, sizeof *e);
  wk_error_clear(lerr);
  e->r = r;
  e->err = lerr;
  e->interface = WIT_NONE;
  e->import_map = malloc(((size_t)r->n_interfaces + 1) * sizeof *e->import_map);
  e->outer_type_map = malloc(((size_t)r->n_types + 1) * sizeof *e->outer_type_map);
  int bad = !e->import_map || !e->outer_type_map;
  if (!bad) bad = scope_init(e, &e->outer) != 0;
  if (!bad) bad = scope_init(e, &e->inst) != 0;
  if (bad) return wk_error_set(lerr, WK_ERR_NOMEM, "out of memory");
  for (uint32_t i = 0; i <= r->n_interfaces; i++) e->import_map[i] = UINT32_MAX;
  for (uint32_t i = 0; i <= r->n_types; i++) e->outer_type_map[i] = UINT32_MAX;
  e->cur = &e->outer;
  return WK_OK;
}

static void enc_free(enc *e) {
  free(e->import_map);
  free(e->outer_type_map);
  scope_free(&e->outer);
  scope_free(&e->inst);
}

/* The result of an encoding: copy the local error out, map OOM of the output. */
static int enc_finish(enc *e, int rc, const wk_buf *out, wk_error *err) {
  if (rc == WK_OK && (e->failed || e->outer.decls.oom || e->inst.decls.oom)) {
    rc = e->err->code ? e->err->code : WK_ERR_NOMEM;
    if (!e->err->code) wk_error_set(e->err, WK_ERR_NOMEM, "out of memory");
  }
  if (rc == WK_OK && out->oom) rc = wk_error_set(e->err, WK_ERR_NOMEM, "out of memory");
  if (rc != WK_OK && err) *err = *e->err;
  enc_free(e);
  return rc;
}

/* Append `(type (component <decls>))` body: componenttype 0x41 vec(componentdecl). */
static void put_component_type(wk_buf *b, const scope *s) {
  wk_buf_byte(b, WK_CTC_COMPONENT);
  wk_buf_uleb(b, s->ndecls);
  wk_buf_append(b, s->decls.data, s->decls.len);
}

/* "ns:pkg/name[@version]" of an item `nm` of package `p`. */
static void package_item_id(wk_buf *b, const wit_package *p, const char *nm) {
  wk_buf_printf(b, "%s:%s/%s", p->name.namespace_, p->name.name, nm);
  if (p->name.version) wk_buf_printf(b, "@%s", p->name.version);
  wk_buf_byte(b, 0);
}

/* ---- worlds ---- */

int wit_encode_world_type(const wit_resolve *r, wit_id world, wk_buf *out, wk_error *err) {
  if (!r || world >= r->n_worlds) return wk_error_set(err, WK_ERR_USAGE, "no such world");
  const wit_world *w = &r->worlds[world];
  if (w->package >= r->n_packages || !w->name) return wk_error_set(err, WK_ERR_INVALID, "world has no package");
  enc e;
  wk_error lerr;
  if (enc_init(&e, r, &lerr) != WK_OK) return enc_finish(&e, lerr.code, out, err);
  /* wit-component encode_world: imports, then exports */
  encode_items(&e, w->imports, w->n_imports, 1);
  encode_items(&e, w->exports, w->n_exports, 0);
  if (!e.failed) {
    /* the wrapper (encoding/wit.rs Encoder::run): (type (component <world>)) (export "<id>" (component 0)) */
    wk_buf id = {0};
    package_item_id(&id, &r->packages[w->package], w->name);
    wk_buf_byte(out, WK_CTC_COMPONENT);
    wk_buf_uleb(out, 2);
    wk_buf_byte(out, WK_CDECL_TYPE);
    put_component_type(out, &e.outer);
    wk_buf_byte(out, WK_CDECL_EXPORT);
    wk_buf_byte(out, WK_CNA_PLAIN);
    name(out, id.data ? (char *)id.data : "");
    wk_buf_byte(out, WK_CSORT_COMPONENT);
    wk_buf_uleb(out, 0);
    if (id.oom) e.failed = 1;
    wk_buf_free(&id);
  }
  return enc_finish(&e, WK_OK, out, err);
}

static const uint8_t COMPONENT_PREAMBLE[] = {0x00, 0x61, 0x73, 0x6d, WK_CT_VERSION, 0x00, WK_CT_LAYER, 0x00};

/* Append section `id` with `payload` (Binary.md section framing: id, u32 size, contents). */
static void put_section(wk_buf *out, uint8_t id, const wk_buf *payload) {
  wk_buf_byte(out, id);
  wk_buf_uleb(out, payload->len);
  wk_buf_append(out, payload->data, payload->len);
}

/* Custom section (id 0): name, then raw bytes. */
static void put_custom(wk_buf *out, const char *nm, const uint8_t *data, size_t len) {
  wk_buf sec = {0};
  name(&sec, nm);
  wk_buf_append(&sec, data, len);
  put_section(out, WK_CSEC_CUSTOM, &sec);
  if (sec.oom) out->oom = 1;
  wk_buf_free(&sec);
}

/* A type section holding one type (`ty` is its deftype bytes), then an export section exporting that type,
 * index `type_idx`, under the plain name `nm` without a type ascription (wasm-encoder ComponentBuilder
 * type_component + export). */
static void put_type_and_export(wk_buf *out, const wk_buf *ty, const char *nm, uint32_t type_idx) {
  wk_buf sec = {0};
  wk_buf_uleb(&sec, 1);
  wk_buf_append(&sec, ty->data, ty->len);
  put_section(out, WK_CSEC_TYPE, &sec);
  sec.len = 0;
  wk_buf_uleb(&sec, 1);
  wk_buf_byte(&sec, WK_CNA_PLAIN);
  name(&sec, nm);
  wk_buf_byte(&sec, WK_CSORT_TYPE);
  wk_buf_uleb(&sec, type_idx);
  wk_buf_byte(&sec, WK_CT_ABSENT); /* no externtype */
  put_section(out, WK_CSEC_EXPORT, &sec);
  if (sec.oom || ty->oom) out->oom = 1;
  wk_buf_free(&sec);
}

int wit_encode_world_metadata(const wit_resolve *r, wit_id world, int string_encoding, wk_buf *out,
                              wk_error *err) {
  if (string_encoding < WIT_STRING_UTF8 || string_encoding > WIT_STRING_COMPACT_UTF16)
    return wk_error_set(err, WK_ERR_USAGE, "bad string encoding %d", string_encoding);
  wk_buf ty = {0};
  int rc = wit_encode_world_type(r, world, &ty, err);
  if (rc != WK_OK) {
    wk_buf_free(&ty);
    return rc;
  }
  wk_buf_append(out, COMPONENT_PREAMBLE, sizeof COMPONENT_PREAMBLE);
  /* wit-component metadata.rs: custom "wit-component-encoding" = [version 4, string encoding] */
  const uint8_t encoding[2] = {0x04, (uint8_t)string_encoding};
  put_custom(out, "wit-component-encoding", encoding, sizeof encoding);
  put_type_and_export(out, &ty, r->worlds[world].name, 0);
  wk_buf_free(&ty);
  if (out->oom) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  return WK_OK;
}

/* ---- interfaces and packages ---- */

/* The interface whose type `id` is a `use` of (wit-parser Resolve::type_interface_dep), or WIT_NONE. */
static wit_id type_interface_dep(const wit_resolve *r, wit_id id) {
  if (id >= r->n_types) return WIT_NONE;
  const wit_typedef *d = &r->types[id];
  if (d->kind != WIT_TD_TYPE || d->ty.prim != WIT_PRIM_ID || d->ty.id >= r->n_types) return WIT_NONE;
  const wit_typedef *o = &r->types[d->ty.id];
  if (o->owner_kind == d->owner_kind && o->owner == d->owner) return WIT_NONE;
  if (o->owner_kind != WIT_OWNER_INTERFACE || o->owner >= r->n_interfaces) return WIT_NONE;
  return o->owner;
}

/* encoding/wit.rs add_live_interfaces: the interfaces `id` depends on (depth first, dependencies first),
 * then `id`. `state`: 0 unseen, 1 in progress, 2 listed. A cycle (impossible in a resolved package) is
 * an error; recursion depth is bounded by the number of interfaces. */
static int add_live_interfaces(const wit_resolve *r, wit_id id, uint8_t *state, wit_id *order, uint32_t *n,
                               uint32_t depth, wk_error *err) {
  if (state[id] == 2) return WK_OK;
  if (state[id] == 1 || depth > r->n_interfaces)
    return wk_error_set(err, WK_ERR_INVALID, "interfaces depend on each other in a cycle");
  state[id] = 1;
  const wit_interface *it = &r->interfaces[id];
  for (uint32_t i = 0; i < it->n_types; i++) {
    wit_id dep = type_interface_dep(r, it->types[i].id);
    if (dep == WIT_NONE) continue;
    int rc = add_live_interfaces(r, dep, state, order, n, depth + 1, err);
    if (rc != WK_OK) return rc;
  }
  state[id] = 2;
  order[(*n)++] = id;
  return WK_OK;
}

int wit_encode_interface_type(const wit_resolve *r, wit_id iface, wk_buf *out, wk_error *err) {
  if (!r || iface >= r->n_interfaces || !r->interfaces[iface].name)
    return wk_error_set(err, WK_ERR_USAGE, "no such named interface");
  enc e;
  wk_error lerr;
  if (enc_init(&e, r, &lerr) != WK_OK) return enc_finish(&e, lerr.code, out, err);
  uint8_t *state = calloc((size_t)r->n_interfaces + 1, 1);
  wit_id *order = calloc((size_t)r->n_interfaces + 1, sizeof *order);
  uint32_t n = 0;
  int rc = WK_OK;
  if (!state || !order) rc = wk_error_set(&lerr, WK_ERR_NOMEM, "out of memory");
  else rc = add_live_interfaces(r, iface, state, order, &n, 0, &lerr);
  char buf[1024];
  for (uint32_t k = 0; rc == WK_OK && k < n && !e.failed; k++) {
    wit_id it = order[k];
    e.interface = it;
    const char *nm = wit_interface_id_string(r, it, buf, sizeof buf);
    if (!nm[0]) {
      rc = wk_error_set(&lerr, WK_ERR_INVALID, "an anonymous interface cannot be imported by name");
      break;
    }
    if (it == iface) {
      uint32_t idx = encode_instance(&e, it);
      outer_extern(&e, 0, nm, NULL, NULL, WK_CSORT_INSTANCE, idx); /* (export "<id>" (instance (type idx))) */
    } else {
      /* a dependency: an instance of its types only, imported under its id */
      if (push_instance(&e)) break;
      const wit_interface *d = &r->interfaces[it];
      for (uint32_t i = 0; i < d->n_types && !e.failed; i++)
        encode_valtype(&e, (wit_type){WIT_PRIM_ID, d->types[i].id}, 0);
      uint32_t idx = pop_instance(&e, it);
      outer_extern(&e, 1, nm, NULL, NULL, WK_CSORT_INSTANCE, idx); /* (import "<id>" (instance (type idx))) */
    }
  }
  e.interface = WIT_NONE;
  free(state);
  free(order);
  if (rc == WK_OK && !e.failed) put_component_type(out, &e.outer);
  return enc_finish(&e, rc, out, err);
}

/* tool-conventions ProducersSection.md: vec(field), field = name vec(name version). */
static void put_producers(wk_buf *out, const char *tool, const char *version) {
  wk_buf p = {0};
  wk_buf_uleb(&p, 1);
  name(&p, "processed-by");
  wk_buf_uleb(&p, 1);
  name(&p, tool);
  name(&p, version ? version : "");
  put_custom(out, "producers", p.data, p.len);
  if (p.oom) out->oom = 1;
  wk_buf_free(&p);
}

int wit_encode_package(const wit_resolve *r, wit_id pkg, const char *tool, const char *version, wk_buf *out,
                       wk_error *err) {
  if (!r || pkg >= r->n_packages) return wk_error_set(err, WK_ERR_USAGE, "no such package");
  const wit_package *p = &r->packages[pkg];
  wk_buf_append(out, COMPONENT_PREAMBLE, sizeof COMPONENT_PREAMBLE);
  /* component-level type indices: each type definition and each type export take one */
  uint32_t type_idx = 0;
  wk_buf ty = {0};
  int rc = WK_OK;
  for (uint32_t i = 0; i < p->n_interfaces && rc == WK_OK; i++) {
    ty.len = 0;
    rc = wit_encode_interface_type(r, p->interfaces[i].id, &ty, err);
    if (rc == WK_OK) put_type_and_export(out, &ty, p->interfaces[i].name, type_idx);
    type_idx += 2;
  }
  for (uint32_t i = 0; i < p->n_worlds && rc == WK_OK; i++) {
    ty.len = 0;
    rc = wit_encode_world_type(r, p->worlds[i].id, &ty, err);
    if (rc == WK_OK) put_type_and_export(out, &ty, p->worlds[i].name, type_idx);
    type_idx += 2;
  }
  wk_buf_free(&ty);
  if (rc != WK_OK) return rc;
  wk_buf docs = {0};
  rc = wit_encode_package_docs(r, pkg, &docs, err);
  if (rc == WK_OK) put_custom(out, "package-docs", docs.data, docs.len);
  wk_buf_free(&docs);
  if (rc != WK_OK) return rc;
  if (tool) put_producers(out, tool, version);
  if (out->oom) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  return WK_OK;
}
