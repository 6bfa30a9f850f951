/* Resolve -> canonical ABI type trees (witcabi.h). */
#include <stdlib.h>

#include "witparse/witcabi.h"

/* One node per primitive (CanonicalABI.md "Despecialization": WIT primitives map 1:1 to canonabi kinds). */
static const wk_cabi_type PRIMS[WIT_PRIM_ID] = {
    [WIT_PRIM_NONE] = {.kind = WK_CABI_BOOL}, /* unused: "no type" is NULL */
    [WIT_PRIM_BOOL] = {.kind = WK_CABI_BOOL},     [WIT_PRIM_U8] = {.kind = WK_CABI_U8},
    [WIT_PRIM_U16] = {.kind = WK_CABI_U16},       [WIT_PRIM_U32] = {.kind = WK_CABI_U32},
    [WIT_PRIM_U64] = {.kind = WK_CABI_U64},       [WIT_PRIM_S8] = {.kind = WK_CABI_S8},
    [WIT_PRIM_S16] = {.kind = WK_CABI_S16},       [WIT_PRIM_S32] = {.kind = WK_CABI_S32},
    [WIT_PRIM_S64] = {.kind = WK_CABI_S64},       [WIT_PRIM_F32] = {.kind = WK_CABI_F32},
    [WIT_PRIM_F64] = {.kind = WK_CABI_F64},       [WIT_PRIM_CHAR] = {.kind = WK_CABI_CHAR},
    [WIT_PRIM_STRING] = {.kind = WK_CABI_STRING}, [WIT_PRIM_ERROR_CONTEXT] = {.kind = WK_CABI_ERROR_CONTEXT},
};

int wit_cabi_map_init(wit_cabi_map *m, const wit_resolve *r, wk_error *err) {
  m->r = r;
  m->arena.head = NULL;
  m->types = calloc((size_t)r->n_types + 1, sizeof *m->types);
  if (!m->types) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  return WK_OK;
}

void wit_cabi_map_free(wit_cabi_map *m) {
  free(m->types);
  m->types = NULL;
  wk_arena_free(&m->arena);
}

/* WK_OK with *out (NULL = no type), or an error code with `err` set. */
static int type_of(wit_cabi_map *m, wit_type t, int depth, const wk_cabi_type **out, wk_error *err) {
  *out = NULL;
  if (t.prim != WIT_PRIM_ID) {
    if (t.prim != WIT_PRIM_NONE && t.prim < WIT_PRIM_ID) *out = &PRIMS[t.prim];
    return WK_OK;
  }
  if (t.id >= m->r->n_types) return wk_error_set(err, WK_ERR_UNSUPPORTED, "unresolved type");
  if (m->types[t.id]) {
    *out = m->types[t.id];
    return WK_OK;
  }
  if (depth > WK_CABI_MAX_DEPTH) return wk_error_set(err, WK_ERR_UNSUPPORTED, "type nested too deeply");
  const wit_typedef *d = &m->r->types[t.id];
  if (d->kind == WIT_TD_TYPE) { /* an alias is its target */
    int rc = type_of(m, d->ty, depth + 1, out, err);
    if (rc == WK_OK) m->types[t.id] = *out;
    return rc;
  }
  wk_cabi_type *c = wk_arena_alloc(&m->arena, sizeof *c);
  if (!c) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  uint32_t nk = 0;
  switch (d->kind) {
  case WIT_TD_RECORD: c->kind = WK_CABI_RECORD; nk = d->n_fields; break;
  case WIT_TD_TUPLE: c->kind = WK_CABI_TUPLE; nk = d->n_fields; break;
  case WIT_TD_VARIANT: c->kind = WK_CABI_VARIANT; nk = d->n_fields; break;
  case WIT_TD_ENUM: c->kind = WK_CABI_ENUM; c->n = d->n_fields; break;
  case WIT_TD_FLAGS: c->kind = WK_CABI_FLAGS; c->n = d->n_fields; break;
  case WIT_TD_OWN: c->kind = WK_CABI_OWN; break;
  case WIT_TD_BORROW: c->kind = WK_CABI_BORROW; break;
  case WIT_TD_RESOURCE: c->kind = WK_CABI_OWN; break; /* a resource named as a value type is an own handle */
  case WIT_TD_FUTURE: c->kind = WK_CABI_FUTURE; break;
  case WIT_TD_STREAM: c->kind = WK_CABI_STREAM; break;
  case WIT_TD_OPTION: c->kind = WK_CABI_OPTION; nk = 1; break;
  case WIT_TD_RESULT: c->kind = WK_CABI_RESULT; nk = 2; break;
  case WIT_TD_LIST: c->kind = WK_CABI_LIST; nk = 1; break;
  case WIT_TD_FIXED_LIST: c->kind = WK_CABI_LIST; c->length = d->size; nk = 1; break;
  case WIT_TD_MAP: c->kind = WK_CABI_MAP; nk = 2; break;
  default: return wk_error_set(err, WK_ERR_UNSUPPORTED, "unresolved type");
  }
  if (nk) {
    const wk_cabi_type **kids = wk_arena_alloc(&m->arena, nk * sizeof *kids);
    if (!kids) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    int fields = d->kind == WIT_TD_RECORD || d->kind == WIT_TD_TUPLE || d->kind == WIT_TD_VARIANT;
    for (uint32_t i = 0; i < nk; i++) {
      wit_type k = fields ? d->fields[i].ty : i == 0 ? d->ty : d->ty2;
      int rc = type_of(m, k, depth + 1, &kids[i], err);
      if (rc != WK_OK) return rc;
    }
    if (fields) c->n = nk;
    c->children = kids;
  }
  m->types[t.id] = c;
  *out = c;
  return WK_OK;
}

const wk_cabi_type *wit_cabi_type_of(wit_cabi_map *m, wit_type t, wk_error *err) {
  const wk_cabi_type *c = NULL;
  wk_error_clear(err);
  return type_of(m, t, 0, &c, err) == WK_OK ? c : NULL;
}
