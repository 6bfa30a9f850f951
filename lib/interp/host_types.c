/*
 * lib/interp — typed references at the host boundary (Core 3.0 typed function references):
 * host functions, globals and tables whose types are full value types (ref null? ht), with
 * abstract (func, extern, exn) or concrete heap types; the checks of values crossing into
 * wasm; and the text of a value / extern type for import-matching errors (linker.c).
 *
 * Levels of a value type (wk_vt, encode.h):
 *   host level   what the embedder gives: lib/encode's convention (a WK_REF/WK_REFNULL code
 *                with its heap type; wk_vt_make), a concrete heap type being a type index of
 *                the context module `ctx`
 *   store level  the same with a concrete heap type replaced by the store's canonical type id
 *                (equal types have one id: Core 3.0 3.2 type equivalence), what wk_table.vt,
 *                wk_global.vt and host functions' type keys hold, so types of different modules
 *                and of the host compare as values (linker.c store_vt).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp/host_types.h"
#include "interp/internal.h"
#include "interp/gc.h"

/* Store type ids of the types of `ctx` (as instantiation makes them: linker.c), malloc'd. */
static int ctx_type_ids(wk_store *s, const wk_module *ctx, uint32_t **out, wk_error *err) {
  *out = NULL;
  if (!ctx || !ctx->ntypes) return WK_OK;
  uint32_t *ids = malloc(ctx->ntypes * sizeof *ids);
  if (!ids) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  if (ctx->gctypes) { /* GC: canonical rec groups, as linker.c does for an instance of ctx */
    if (wk_gc_alloc_types(s, ctx, ids)) {
      free(ids);
      return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    }
    *out = ids;
    return WK_OK;
  }
  for (uint32_t i = 0; i < ctx->ntypes; i++) {
    ids[i] = wk_store_intern_type_ex(s, &ctx->types[i], ids, i);
    if (ids[i] == UINT32_MAX) {
      free(ids);
      return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    }
  }
  *out = ids;
  return WK_OK;
}

/* Check a host-level value type: *fam = the engine's code (wk_vt_family), *full = the host-level
 * full type when it is a typed reference (0: `fam` says all). Concrete heap types must be type
 * indices of ctx. */
static int host_vt_check(wk_vt vt, const wk_module *ctx, uint8_t *fam, wk_vt *full, wk_error *err) {
  uint8_t code = wk_vt_code(vt);
  *full = 0;
  switch (code) {
  case WK_I32: case WK_I64: case WK_F32: case WK_F64: case WK_V128:
  case WK_FUNCREF: case WK_EXTERNREF: case WK_EXNREF:
    if (vt >> 8) break;
    *fam = code;
    return WK_OK;
  case 0x6e: case 0x6d: case 0x6c: case 0x6b: case 0x6a: case 0x71: case 0x72: case 0x73: case 0x74:
    /* Core 3.0 GC shorthands anyref, eqref, i31ref, structref, arrayref, nullref, nullexternref,
     * nullfuncref, nullexnref = (ref null ht): checked as the full type (any values are i31s or
     * objects of the store, never arbitrary pointers) */
    if (vt >> 8) break;
    *fam = wk_gc_top_code(code);
    *full = *fam == WK_ANYREF && code != WK_ANYREF ? code : 0; /* (as lib/interp's module types: module.c full_vt) */
    return WK_OK;
  case WK_REF: case WK_REFNULL: {
    uint32_t ht = wk_vt_heap(vt);
    if (wk_ht_is_idx(ht)) {
      if (!ctx || ht >= ctx->ntypes)
        return wk_error_set(err, WK_ERR_USAGE, "host type: unknown type %u (no such type in the context module)", ht);
    } else if ((ht & ~0xffu) != WK_HT_ABS || (ht & 0xff) < 0x69 || (ht & 0xff) > 0x74) { /* (Core 3.0 5.3.3 absheaptype) */
      return wk_error_set(err, WK_ERR_USAGE, "host type: unknown heap type 0x%02x", ht & 0xff);
    }
    *fam = wk_vt_family(code, ht);
    if (wk_ht_is_idx(ht) && ctx->gctypes && ctx->gctypes[ht].kind != RTT_FUNC) *fam = WK_ANYREF; /* struct / array */
    wk_vt c = wk_vt_make(code, ht);
    *full = wk_vt_is_ref(c) && (wk_vt_code(c) == WK_REF || wk_vt_code(c) == WK_REFNULL) ? c : 0;
    if (!*full && *fam == WK_ANYREF && wk_vt_code(c) != WK_ANYREF) *full = c; /* (ref null eq) = eqref, ... */
    return WK_OK;
  }
  default: break;
  }
  return wk_error_set(err, WK_ERR_USAGE, "host type: not a value type (0x%x)", vt);
}

/* host level -> store level (ids: ctx_type_ids) */
static wk_vt to_store(wk_vt full, const uint32_t *ids) {
  uint32_t ht = wk_vt_heap(full);
  if (wk_ht_is_idx(ht)) return (full & 0xff) | ids[ht] << 8;
  return full;
}

/* Does reference `ref` (a wk_func for the func hierarchy) fit store-level type `vt`? With GC in
 * store `s`, concrete types may be struct/array types and references i31s or heap objects: the
 * GC heap decides (a struct read as a wk_func would be read out of bounds). */
static int ref_fits(wk_store *s, wk_vt vt, const void *ref) {
  if (s && s->gc) return wk_gc_ref_fits(s, vt, (uint64_t)(uintptr_t)ref);
  if (!ref) return wk_vt_nullable(vt);
  uint32_t ht = wk_vt_heap(vt);
  if (wk_ht_is_idx(ht) && ht < WK_HT_BADIDX - 1) return ((const wk_func *)ref)->type_id == ht;
  return 1;
}

/* entry k of a function's type at store level (0: a 2.0 type, the family code says all) */
static wk_vt func_entry_vt(const wk_func *f, uint32_t k) {
  wk_vt v = f->type.hts ? f->type.hts[k] : 0;
  if (!v) { /* anyref: any value must still be an i31 or an object of the store (GC) */
    uint8_t c = k < f->type.nparams ? f->type.params[k] : f->type.results[k - f->type.nparams];
    return c == WK_ANYREF ? WK_ANYREF : 0;
  }
  uint32_t ht = wk_vt_heap(v);
  if (!f->is_host && wk_ht_is_idx(ht)) /* a module's type: a type index of its module */
    return (v & 0xff) | (f->inst && ht < f->inst->m->ntypes ? f->inst->type_ids[ht] : WK_HT_BADIDX) << 8;
  return v; /* host: the interned key is at store level already */
}

int wk_func_args_fit(wk_store *s, const wk_func *f, const wk_value *args) {
  if (!f->type.hts && !s->gc) return 1;
  for (uint32_t k = 0; k < f->type.nparams; k++) {
    wk_vt v = func_entry_vt(f, k);
    if (v && !ref_fits(s, v, args[k].of.ref)) return 0;
  }
  return 1;
}

int wk_host_results_fit(wk_store *s, const wk_func *f, const wk_value *res) {
  if (!f->type.hts && !s->gc) return 1;
  for (uint32_t k = 0; k < f->type.nresults; k++) {
    wk_vt v = func_entry_vt(f, f->type.nparams + k);
    if (v && !ref_fits(s, v, res[k].of.ref)) return 0;
  }
  return 1;
}

int wk_global_value_fits(const wk_global *g, const wk_value *v) {
  if (v->type != WK_FUNCREF && v->type != WK_EXTERNREF && v->type != WK_EXNREF && v->type != WK_ANYREF) return 1;
  if (!g->vt && g->type == WK_ANYREF && g->store->gc) return ref_fits(g->store, WK_ANYREF, v->of.ref);
  return !g->vt || ref_fits(g->store, g->vt, v->of.ref);
}

int wk_func_new_host_typed(wk_store *s, const wk_core_functype *type, const wk_module *ctx, wk_host_fn fn, void *env,
                           wk_func **out, wk_error *err) {
  *out = NULL;
  uint32_t n = type->nparams + type->nresults;
  uint8_t *codes = malloc((size_t)n + 1);
  wk_vt *hts = calloc((size_t)n + 1, sizeof *hts);
  uint32_t *ids = NULL;
  int rc = !codes || !hts ? wk_error_set(err, WK_ERR_NOMEM, "out of memory") : WK_OK;
  int typed = 0;
  for (uint32_t k = 0; k < n && !rc; k++) {
    uint8_t c = k < type->nparams ? type->params[k] : type->results[k - type->nparams];
    wk_vt v = c;
    if (type->hts && (c == WK_REF || c == WK_REFNULL)) v = wk_vt_make(c, type->hts[k]); /* lib/encode's convention */
    else if (type->hts && type->hts[k]) v = type->hts[k]; /* wk_func_type / wk_module_import's: full types */
    rc = host_vt_check(v, ctx, &codes[k], &hts[k], err);
    typed |= hts[k] != 0;
  }
  if (!rc && typed) rc = ctx_type_ids(s, ctx, &ids, err);
  for (uint32_t k = 0; k < n && !rc; k++) /* any-hierarchy values are checked by the GC heap */
    if (codes[k] == WK_ANYREF && wk_gc_init(s)) rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  if (!rc) {
    /* interned as a module's type is (wk_store_intern_type_ex maps the indices through ids), so a
     * host function has the type id of an equal module type (import matching, call_indirect) */
    wk_core_functype t = {type->nparams, type->nresults, codes, codes + type->nparams, typed ? hts : NULL};
    wk_func *f = calloc(1, sizeof *f);
    uint32_t id = f ? wk_store_intern_type_ex(s, &t, ids, ctx && typed ? ctx->ntypes : 0) : UINT32_MAX;
    if (id == UINT32_MAX || wk_store_track(s, f, OBJ_FUNC)) {
      free(f);
      rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    } else {
      f->type_id = id;
      f->type = s->ctypes[id];
      f->is_host = 1;
      f->fn = fn;
      f->env = env;
      *out = f;
    }
  }
  free(codes);
  free(hts);
  free(ids);
  return rc;
}

/* host-level reference type `vt` of ctx -> store level (*svt, 0 when `fam` says all) */
static int host_ref_type(wk_store *s, wk_vt vt, const wk_module *ctx, uint8_t *fam, wk_vt *svt, wk_error *err) {
  wk_vt full;
  int rc = host_vt_check(vt, ctx, fam, &full, err);
  *svt = 0;
  if (rc) return rc;
  if (*fam == WK_ANYREF && wk_gc_init(s)) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  if (!full && *fam == WK_ANYREF) *svt = WK_ANYREF; /* (anyref: i31s and objects of the store) */
  if (!full) return WK_OK;
  uint32_t *ids = NULL;
  if (wk_ht_is_idx(wk_vt_heap(full)) && (rc = ctx_type_ids(s, ctx, &ids, err))) return rc;
  *svt = to_store(full, ids);
  free(ids);
  return WK_OK;
}

int wk_global_new_typed(wk_store *s, wk_vt type, const wk_module *ctx, wk_value init, int mutable_, wk_global **out,
                        wk_error *err) {
  *out = NULL;
  uint8_t fam;
  wk_vt svt;
  int rc = host_ref_type(s, type, ctx, &fam, &svt, err);
  if (rc) return rc;
  if (init.type != fam) return wk_error_set(err, WK_ERR_USAGE, "global: the initial value's type is not the global's");
  if (svt && !ref_fits(s, svt, init.of.ref))
    return wk_error_set(err, WK_ERR_USAGE, "global: the initial value does not have the global's reference type");
  wk_global *g = wk_global_new(s, init, mutable_);
  if (!g) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  g->vt = svt;
  *out = g;
  return WK_OK;
}

int wk_table_new_typed(wk_store *s, wk_vt elem, const wk_module *ctx, uint64_t min, uint64_t max, int has_max, int is64,
                       void *init, wk_table **out, wk_error *err) {
  *out = NULL;
  uint8_t fam;
  wk_vt svt;
  int rc = host_ref_type(s, elem, ctx, &fam, &svt, err);
  if (rc) return rc;
  if (fam != WK_FUNCREF && fam != WK_EXTERNREF && fam != WK_EXNREF && fam != WK_ANYREF)
    return wk_error_set(err, WK_ERR_USAGE, "table: the element type is not a reference type");
  if (!ref_fits(s, svt ? svt : fam, init))
    return wk_error_set(err, WK_ERR_USAGE, "table: the initial element does not have the element type");
  wk_table *t = wk_table_new_ex(s, fam, min, max, has_max, is64);
  if (!t) return wk_error_set(err, WK_ERR_USAGE, "table: invalid limits or too large");
  t->vt = svt;
  for (uint64_t k = 0; k < t->size; k++) t->elems[k] = init;
  *out = t;
  return WK_OK;
}

/* ---- types as text (import-matching errors) ---- */
static void put_vt(wk_buf *b, const wk_store *s, wk_vt vt, int depth);
static void put_functype(wk_buf *b, const wk_store *s, const wk_core_functype *t, int depth) {
  wk_buf_str(b, "(func");
  for (int r = 0; r < 2; r++) {
    uint32_t n = r ? t->nresults : t->nparams;
    if (!n) continue;
    wk_buf_str(b, r ? " (result" : " (param");
    for (uint32_t k = 0; k < n; k++) {
      uint32_t i = r ? t->nparams + k : k;
      wk_buf_byte(b, ' ');
      put_vt(b, s, t->hts && t->hts[i] ? t->hts[i] : (r ? t->results[k] : t->params[k]), depth);
    }
    wk_buf_byte(b, ')');
  }
  wk_buf_byte(b, ')');
}
/* a store-level value type */
static void put_vt(wk_buf *b, const wk_store *s, wk_vt vt, int depth) {
  switch (wk_vt_code(vt)) {
  case WK_I32: wk_buf_str(b, "i32"); return;
  case WK_I64: wk_buf_str(b, "i64"); return;
  case WK_F32: wk_buf_str(b, "f32"); return;
  case WK_F64: wk_buf_str(b, "f64"); return;
  case WK_V128: wk_buf_str(b, "v128"); return;
  case WK_FUNCREF: wk_buf_str(b, "funcref"); return;
  case WK_EXTERNREF: wk_buf_str(b, "externref"); return;
  case WK_EXNREF: wk_buf_str(b, "exnref"); return;
  case WK_REF: case WK_REFNULL: break;
  default: wk_buf_str(b, "?"); return;
  }
  wk_buf_str(b, wk_vt_nullable(vt) ? "(ref null " : "(ref ");
  uint32_t ht = wk_vt_heap(vt);
  if (ht == WK_HT_FUNC) wk_buf_str(b, "func");
  else if (ht == WK_HT_EXTERN) wk_buf_str(b, "extern");
  else if (ht == WK_HT_EXN) wk_buf_str(b, "exn");
  else if (wk_ht_is_idx(ht) && ht < s->nctypes && depth < 4) put_functype(b, s, &s->ctypes[ht], depth + 1);
  else if (wk_ht_is_idx(ht) && ht == WK_HT_BADIDX - 1) wk_buf_str(b, "<the type itself>");
  else wk_buf_str(b, "...");
  wk_buf_byte(b, ')');
}

static void put_limits(wk_buf *b, int is64, uint64_t min, int has_max, uint64_t max) {
  char t[64];
  snprintf(t, sizeof t, "%s%llu", is64 ? "i64 " : "", (unsigned long long)min);
  wk_buf_str(b, t);
  if (has_max) {
    snprintf(t, sizeof t, " %llu", (unsigned long long)max);
    wk_buf_str(b, t);
  }
}

void wk_extern_type_text(const wk_store *s, const wk_extern *e, wk_buf *b) {
  switch (e->kind) {
  case WK_EXTERN_FUNC:
    if (e->of.func) put_functype(b, s, &s->ctypes[e->of.func->type_id], 0);
    return;
  case WK_EXTERN_TAG:
    if (!e->of.tag) return;
    wk_buf_str(b, "(tag ");
    put_functype(b, s, &s->ctypes[e->of.tag->type_id], 0);
    wk_buf_byte(b, ')');
    return;
  case WK_EXTERN_GLOBAL: {
    const wk_global *g = e->of.global;
    if (!g) return;
    wk_buf_str(b, g->mut ? "(global (mut " : "(global ");
    put_vt(b, s, g->vt ? g->vt : g->type, 0);
    wk_buf_str(b, g->mut ? "))" : ")");
    return;
  }
  case WK_EXTERN_TABLE: {
    const wk_table *t = e->of.table;
    if (!t) return;
    wk_buf_str(b, "(table ");
    put_limits(b, t->is64, t->size, t->has_max, t->max);
    wk_buf_byte(b, ' ');
    put_vt(b, s, t->vt ? t->vt : t->et, 0);
    wk_buf_byte(b, ')');
    return;
  }
  case WK_EXTERN_MEMORY: {
    const wk_memory *m = e->of.memory;
    if (!m) return;
    wk_buf_str(b, "(memory ");
    put_limits(b, m->is64, m->pages, m->has_max, m->max);
    wk_buf_byte(b, ')');
    return;
  }
  }
}

void wk_import_type_text(const wk_store *s, const wk_instance *inst, const wk_mimport *im, wk_buf *b) {
  const wk_module *m = inst->m;
  switch (im->kind) {
  case WK_EXTERN_FUNC:
  case WK_EXTERN_TAG:
    if (im->kind == WK_EXTERN_TAG) wk_buf_str(b, "(tag ");
    put_functype(b, s, &s->ctypes[inst->type_ids[im->type]], 0);
    if (im->kind == WK_EXTERN_TAG) wk_buf_byte(b, ')');
    return;
  case WK_EXTERN_GLOBAL: {
    wk_vt v = im->vfull ? (im->vfull & 0xff) | (wk_ht_is_idx(wk_vt_heap(im->vfull)) && wk_vt_heap(im->vfull) < m->ntypes
                                                     ? inst->type_ids[wk_vt_heap(im->vfull)]
                                                     : wk_vt_heap(im->vfull)) << 8
                        : im->vtype;
    wk_buf_str(b, im->mut ? "(global (mut " : "(global ");
    put_vt(b, s, v, 0);
    wk_buf_str(b, im->mut ? "))" : ")");
    return;
  }
  case WK_EXTERN_TABLE: {
    wk_vt v = im->vfull ? (im->vfull & 0xff) | (wk_ht_is_idx(wk_vt_heap(im->vfull)) && wk_vt_heap(im->vfull) < m->ntypes
                                                     ? inst->type_ids[wk_vt_heap(im->vfull)]
                                                     : wk_vt_heap(im->vfull)) << 8
                        : im->vtype;
    wk_buf_str(b, "(table ");
    put_limits(b, im->lim.is64, im->lim.min, im->lim.has_max, im->lim.max);
    wk_buf_byte(b, ' ');
    put_vt(b, s, v, 0);
    wk_buf_byte(b, ')');
    return;
  }
  case WK_EXTERN_MEMORY:
    wk_buf_str(b, "(memory ");
    put_limits(b, im->lim.is64, im->lim.min, im->lim.has_max, im->lim.max);
    wk_buf_byte(b, ')');
    return;
  }
}
