/*
 * Module validation (Core spec 3.4 "Modules"): imports, tables, memories,
 * globals and constant expressions, exports, start, segments, then every
 * function body through the wk_funcval step API (validate_func.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode/encode.h"
#include "encode/hash_int.h"
#include "encode/validate_int.h"

/* An invalid-module error at file offset `off` (0: none known, e.g. a built model). */
__attribute__((format(printf, 3, 4))) static int inv_at(wk_error *err, size_t off, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return off ? wk_error_at(err, WK_ERR_INVALID, off, "%s", msg) : wk_error_set(err, WK_ERR_INVALID, "%s", msg);
}

static void mark_expr_refs(const wk_core_expr *x, uint8_t *bits, uint32_t nfuncs) {
  size_t pos = 0;
  wk_insn in;
  while (pos < x->len && wk_insn_read(x->bytes, x->len, &pos, &in, NULL) == WK_OK)
    if (in.op == WK_OP_REF_FUNC && in.idx0 < nfuncs) bits[in.idx0 >> 3] |= (uint8_t)(1u << (in.idx0 & 7));
}

uint8_t *wk_val_declared_refs(const wk_core_module *m) {
  uint32_t n = wk_core_func_count(m);
  uint8_t *bits = calloc((size_t)n / 8 + 1, 1);
  if (!bits) return NULL;
  for (uint32_t i = 0; i < m->nelems; i++) {
    const wk_core_elem *e = &m->elems[i];
    for (uint32_t k = 0; k < e->count; k++) {
      if (e->exprs) mark_expr_refs(&e->exprs[k], bits, n);
      else if (e->funcs && e->funcs[k] < n) bits[e->funcs[k] >> 3] |= (uint8_t)(1u << (e->funcs[k] & 7));
    }
  }
  for (uint32_t i = 0; i < m->nglobals; i++) mark_expr_refs(&m->globals[i].init, bits, n);
  if (m->table_inits) /* Core 3.0 3.4.10: C.refs also counts table initialisers */
    for (uint32_t i = 0; i < m->ntables; i++) mark_expr_refs(&m->table_inits[i], bits, n);
  for (uint32_t i = 0; i < m->nexports; i++)
    if (m->exports[i].kind == WK_EXTERN_FUNC && m->exports[i].index < n)
      bits[m->exports[i].index >> 3] |= (uint8_t)(1u << (m->exports[i].index & 7));
  return bits;
}

/* a <: b for distinct types (Core 3.0 3.2 matching), outside function bodies. *canon: the
 * module's canonical type indices, computed on first need and kept for the module's other
 * expressions (the caller frees it); on OOM they stay NULL (distinct indices then unrelated). */
static int vt_match(const wk_core_module *m, uint32_t **canon, wk_vt a, wk_vt b) {
  if (!wk_vt_is_ref(a) || !wk_vt_is_ref(b)) return 0;
  if (!*canon && wk_ht_is_idx(wk_vt_heap(a)) && wk_ht_is_idx(wk_vt_heap(b))) *canon = wk_val_type_canon(m);
  return wk_val_vt_sub(m, *canon, a, b);
}

/* Core 3.3.10 "Constant expressions" + typing: the expression must be
 * constant and leave exactly one value of type `want`. `nglobals` limits
 * global.get: in 2.0 (Core 3.4 "Modules", context C') constant expressions
 * see the imported globals only, which the spec tests check for global
 * initializers and element/data offsets alike. Core 3.0 valid/instructions.rst "Constant
 * Expressions" (GC): also struct.new, struct.new_default, array.new, array.new_default,
 * array.new_fixed, ref.i31, any.convert_extern, extern.convert_any. */
static int const_expr(const wk_core_module *m, uint32_t **canon, const wk_core_expr *x, wk_vt want, uint32_t nglobals,
                      unsigned features, const char *what, wk_error *err) {
  wk_vt small[16], *stack = small;
  size_t cap = 16;
  uint32_t h = 0;
  size_t pos = 0;
  wk_insn in;
  int rc = WK_OK;
#define CE_FAIL(...) do { rc = wk_error_at(err, WK_ERR_INVALID, __VA_ARGS__); goto out; } while (0)
#define CE_POP(ty) do { if (!h || (stack[h - 1] != (ty) && !vt_match(m, canon, stack[h - 1], (ty)))) { \
                          CE_FAIL(x->offset + at, "%s: type mismatch", what); } h--; } while (0)
  for (;;) {
    size_t at = pos;
    if (wk_insn_read(x->bytes, x->len, &pos, &in, NULL))
      CE_FAIL(x->offset + at, "%s: constant expression required", what);
    wk_vt t;
    int gc_op = in.op == WK_OP_STRUCT_NEW || in.op == WK_OP_STRUCT_NEW_DEFAULT || in.op == WK_OP_ARRAY_NEW ||
                in.op == WK_OP_ARRAY_NEW_DEFAULT || in.op == WK_OP_ARRAY_NEW_FIXED || in.op == WK_OP_REF_I31 ||
                in.op == WK_OP_ANY_CONVERT_EXTERN || in.op == WK_OP_EXTERN_CONVERT_ANY;
    if (gc_op && !(features & WK_FEAT_GC)) CE_FAIL(x->offset + at, "%s: constant expression required", what);
    switch (in.op) {
    case WK_OP_END:
      if (h != 1 || (stack[0] != want && !vt_match(m, canon, stack[0], want)))
        CE_FAIL(x->offset + at, "%s: type mismatch", what);
      goto out;
    case WK_OP_I32_CONST: t = WK_I32; break;
    case WK_OP_I64_CONST: t = WK_I64; break;
    case WK_OP_F32_CONST: t = WK_F32; break;
    case WK_OP_F64_CONST: t = WK_F64; break;
    case WK_OP_V128_CONST: t = WK_V128; break;
    /* Core 3.0 3.3.10 (extended constant expressions): i32/i64 add, sub, mul */
    case WK_OP_I32_ADD: case WK_OP_I32_SUB: case WK_OP_I32_MUL:
    case WK_OP_I64_ADD: case WK_OP_I64_SUB: case WK_OP_I64_MUL: {
      if (!(features & WK_FEAT_EXTENDED_CONST))
        CE_FAIL(x->offset + at, "%s: constant expression required", what);
      t = (in.op == WK_OP_I32_ADD || in.op == WK_OP_I32_SUB || in.op == WK_OP_I32_MUL) ? WK_I32 : WK_I64;
      if (h < 2 || stack[h - 1] != t || stack[h - 2] != t)
        CE_FAIL(x->offset + at, "%s: type mismatch", what);
      h -= 2;
      break;
    }
    case WK_OP_REF_NULL:
      if ((in.valtype == WK_EXNREF || in.valtype == WK_NULLEXNREF) && !(features & WK_FEAT_EXCEPTIONS))
        CE_FAIL(x->offset + at, "%s: exnref requires the exceptions feature", what);
      if (wk_gc_ht_code(in.valtype) && !(features & WK_FEAT_GC))
        CE_FAIL(x->offset + at, "%s: GC heap types require the gc feature", what);
      if (in.valtype == WK_REFNULL && (!(features & WK_FEAT_FUNCTION_REFERENCES) || in.ht >= m->ntypes))
        CE_FAIL(x->offset + at, "%s: unknown type", what);
      t = wk_vt_make(in.valtype, in.ht);
      break;
    case WK_OP_REF_FUNC:
      if (in.idx0 >= wk_core_func_count(m))
        CE_FAIL(x->offset + at, "%s: unknown function %u", what, in.idx0);
      /* Core 3.0 3.3.5: (ref $t), $t the function's type */
      t = features & WK_FEAT_FUNCTION_REFERENCES ? wk_vt_make(WK_REF, wk_core_func_type_index(m, in.idx0)) : WK_FUNCREF;
      break;
    case WK_OP_GLOBAL_GET: {
      const wk_core_globaltype *g = in.idx0 < nglobals ? wk_core_global_type(m, in.idx0) : NULL;
      if (!g) CE_FAIL(x->offset + at, "%s: unknown global %u", what, in.idx0);
      if (g->mut)
        CE_FAIL(x->offset + at, "%s: constant expression required", what);
      t = wk_vt_make(g->valtype, g->ht);
      break;
    }
    case WK_OP_STRUCT_NEW: case WK_OP_STRUCT_NEW_DEFAULT: case WK_OP_ARRAY_NEW: case WK_OP_ARRAY_NEW_DEFAULT:
    case WK_OP_ARRAY_NEW_FIXED: {
      int is_struct = in.op == WK_OP_STRUCT_NEW || in.op == WK_OP_STRUCT_NEW_DEFAULT;
      if (in.idx0 >= m->ntypes || (is_struct ? !wk_core_type_is_struct(m, in.idx0) : !wk_core_type_is_array(m, in.idx0)))
        CE_FAIL(x->offset + at, "%s: unknown type", what);
      uint32_t nf = wk_core_type_nfields(m, in.idx0);
      if (in.op == WK_OP_STRUCT_NEW_DEFAULT || in.op == WK_OP_ARRAY_NEW_DEFAULT) {
        for (uint32_t k = 0; k < nf; k++)
          if (!wk_val_defaultable(wk_field_unpacked(wk_core_type_field(m, in.idx0, k))))
            CE_FAIL(x->offset + at, "%s: type mismatch (field type is not defaultable)", what);
        if (in.op == WK_OP_ARRAY_NEW_DEFAULT) CE_POP(WK_I32);
      } else if (in.op == WK_OP_STRUCT_NEW) {
        for (uint32_t k = nf; k-- > 0;) CE_POP(wk_field_unpacked(wk_core_type_field(m, in.idx0, k)));
      } else if (in.op == WK_OP_ARRAY_NEW) {
        CE_POP(WK_I32);
        CE_POP(wk_field_unpacked(wk_core_type_field(m, in.idx0, 0)));
      } else {
        wk_vt et = wk_field_unpacked(wk_core_type_field(m, in.idx0, 0));
        if (in.count > WK_GC_MAX_NEW_FIXED)
          CE_FAIL(x->offset + at, "%s: array.new_fixed: too many operands (implementation limit %u)", what, WK_GC_MAX_NEW_FIXED);
        for (uint32_t k = 0; k < in.count; k++) CE_POP(et);
      }
      t = wk_vt_make(WK_REF, in.idx0);
      break;
    }
    case WK_OP_REF_I31: CE_POP(WK_I32); t = wk_vt_make(WK_REF, WK_HT_I31); break;
    case WK_OP_ANY_CONVERT_EXTERN: case WK_OP_EXTERN_CONVERT_ANY: {
      /* Core 3.0 valid/instructions.rst: [(ref null? extern)] -> [(ref null? any)] and back */
      int to_any = in.op == WK_OP_ANY_CONVERT_EXTERN;
      if (!h) CE_FAIL(x->offset + at, "%s: type mismatch", what);
      wk_vt a = stack[h - 1];
      if (!vt_match(m, canon, a, to_any ? WK_EXTERNREF : WK_ANYREF) && a != (to_any ? WK_EXTERNREF : WK_ANYREF))
        CE_FAIL(x->offset + at, "%s: type mismatch", what);
      h--;
      t = wk_vt_ref(to_any ? WK_HT_ANY : WK_HT_EXTERN, wk_vt_nullable(a));
      break;
    }
    default:
      CE_FAIL(x->offset + at, "%s: constant expression required", what);
    }
    if (h == cap) {
      if (cap >= (1u << 24)) CE_FAIL(x->offset + at, "%s: type mismatch", what);
      wk_vt *ns = malloc(cap * 2 * sizeof *ns);
      if (!ns) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto out; }
      memcpy(ns, stack, cap * sizeof *ns);
      if (stack != small) free(stack);
      stack = ns;
      cap *= 2;
    }
    stack[h++] = t;
  }
out:
  if (stack != small) free(stack);
  return rc;
#undef CE_FAIL
#undef CE_POP
}

/* Core 3.0 valid/types.rst "Recursive Types", "Sub Types", "Composite Types": with GC types, a
 * type may name the types before the end of its rec group; at most one supertype, which comes
 * before it, is not final and whose composite type its own matches; subtyping depth at most 63
 * (wasmparser's limit, as the implementation limit). */
int wk_val_check_types(const wk_core_module *m, unsigned features, const uint32_t *canon, wk_error *err) {
  if (!m->subtypes) return WK_OK;
  if (!(features & WK_FEAT_GC)) return inv_at(err, wk_core_entry_offset(&m->type_offs, 0), "GC types require the gc feature");
  if (m->ntypes > WK_GC_MAX_TYPES)
    return inv_at(err, wk_core_entry_offset(&m->type_offs, WK_GC_MAX_TYPES), "too many types (implementation limit %u)", WK_GC_MAX_TYPES);
  uint8_t *depth = malloc(m->ntypes ? m->ntypes : 1);
  if (!depth) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  int rc = WK_OK;
  for (uint32_t i = 0; i < m->ntypes && !rc; i++) {
    const wk_core_subtype *s = &m->subtypes[i];
    uint64_t lim = (uint64_t)s->rec_start + s->rec_size; /* forward references only within the group */
    const wk_core_functype *t = &m->types[i];
    size_t toff = wk_core_entry_offset(&m->type_offs, i);
    depth[i] = 0;
    for (uint32_t k = 0; k < t->nparams + t->nresults && !rc; k++) {
      uint32_t h = wk_vt_heap(wk_functype_vt(t, k));
      if (wk_vt_is_ref(wk_functype_vt(t, k)) && wk_ht_is_idx(h) && h >= lim)
        rc = inv_at(err, toff, "type %u: unknown type %u", i, h);
    }
    for (uint32_t k = 0; k < s->nfields && !rc; k++) {
      const wk_core_field *f = &s->fields[k];
      if ((f->storage == WK_REF || f->storage == WK_REFNULL) && wk_ht_is_idx(f->ht) && f->ht >= lim)
        rc = inv_at(err, toff, "type %u: unknown type %u", i, f->ht);
    }
    if (!rc && s->kind == WK_COMP_STRUCT && s->nfields > WK_GC_MAX_STRUCT_FIELDS)
      rc = inv_at(err, toff, "type %u: too many struct fields (implementation limit %u)", i,
                        WK_GC_MAX_STRUCT_FIELDS);
    if (rc) break;
    if (s->nsupers > 1) { rc = inv_at(err, toff, "type %u: multiple supertypes", i); break; }
    if (s->nsupers == 1) {
      uint32_t x = s->super;
      if (x >= i) { rc = inv_at(err, toff, "type %u: unknown type %u (supertypes come first)", i, x); break; }
      if (wk_core_type_final(m, x)) { rc = inv_at(err, toff, "type %u: sub type: supertype %u is final", i, x); break; }
      if (!wk_val_comp_sub(m, canon, i, x)) {
        rc = inv_at(err, toff, "type %u: sub type does not match its supertype %u (type mismatch)", i, x);
        break;
      }
      if (depth[x] >= WK_GC_MAX_SUBTYPING_DEPTH) { rc = inv_at(err, toff, "type %u: subtyping depth too large", i); break; }
      depth[i] = (uint8_t)(depth[x] + 1);
    }
  }
  free(depth);
  return rc;
}

/* Core 3.0 3.2 (typed references): the type indices every value type names exist; in a function
 * type, only the types up to its own (its recursion group is itself: Core 3.0 3.2 "Recursive
 * types", implicit singleton groups). A table of a non-defaultable type needs an initialiser. */
static int check_vts(const wk_core_module *m, wk_error *err) {
  for (uint32_t i = 0; i < m->ntypes && !m->subtypes; i++) {
    const wk_core_functype *t = &m->types[i];
    if (!t->hts) continue;
    for (uint32_t k = 0; k < t->nparams + t->nresults; k++)
      if (t->hts[k] && wk_ht_is_idx(t->hts[k]) && t->hts[k] > i)
        return inv_at(err, wk_core_entry_offset(&m->type_offs, i), "type %u: unknown type %u", i, t->hts[k]);
  }
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wk_core_import *im = &m->imports[i];
    wk_vt t = im->kind == WK_EXTERN_TABLE ? wk_vt_make(im->table.reftype, im->table.ht)
            : im->kind == WK_EXTERN_GLOBAL ? wk_vt_make(im->global.valtype, im->global.ht) : 0;
    if (!wk_val_vt_ok(m, t)) return wk_error_at(err, WK_ERR_INVALID, im->offset, "import %u: unknown type", i);
  }
  for (uint32_t i = 0; i < m->ntables; i++) {
    const wk_core_tabletype *t = &m->tables[i];
    if (!wk_val_vt_ok(m, wk_vt_make(t->reftype, t->ht))) return inv_at(err, wk_core_entry_offset(&m->table_offs, i), "table %u: unknown type", m->nimported_tables + i);
  }
  for (uint32_t i = 0; i < m->nglobals; i++)
    if (!wk_val_vt_ok(m, wk_vt_make(m->globals[i].type.valtype, m->globals[i].type.ht)))
      return wk_error_at(err, WK_ERR_INVALID, m->globals[i].init.offset, "global: unknown type");
  for (uint32_t i = 0; i < m->nelems; i++)
    if (!wk_val_vt_ok(m, wk_vt_make(m->elems[i].reftype, m->elems[i].ht)))
      return inv_at(err, wk_core_entry_offset(&m->elem_offs, i), "elem %u: unknown type", i);
  for (uint32_t i = 0; i < m->ncodes; i++)
    for (uint32_t k = 0; k < m->codes[i].ngroups; k++)
      if (!wk_val_vt_ok(m, wk_vt_make(m->codes[i].groups[k].type, m->codes[i].groups[k].ht)))
        return wk_error_at(err, WK_ERR_INVALID, m->codes[i].body_offset, "func %u: unknown type",
                           m->nimported_funcs + i);
  return WK_OK;
}

/* Core 3.2.4 / 3.2.6 / 3.2.7 limits. */
static int check_limits(const wk_core_limits *l, uint64_t range, const char *range_msg, size_t off, wk_error *err) {
  const char *msg = NULL;
  if (l->min > range || (l->has_max && l->max > range)) msg = range_msg;
  else if (l->has_max && l->max < l->min) msg = "size minimum must not be greater than maximum";
  if (!msg) return WK_OK;
  /* off 0: no location known (a built model) */
  return off ? wk_error_at(err, WK_ERR_INVALID, off, "%s", msg) : wk_error_set(err, WK_ERR_INVALID, "%s", msg);
}

#define MEMRANGE "memory size must be at most 65536 pages (4GiB)"
#define TABRANGE "table size must be at most 2^32-1"
#define MEM64RANGE "memory size must be at most 2^48 pages"

/* Core 3.0 3.2.4 memory types: i32 memories up to 2^16 pages, i64 ones up to 2^48. */
static int check_mem_limits(const wk_core_limits *l, size_t off, wk_error *err) {
  /* threads proposal (not part of 3.0; wkit has no threads): as wasm-tools with threads off */
  if (l->shared) return inv_at(err, off, "threads must be enabled for shared memories");
  return l->is64 ? check_limits(l, 1ull << 48, MEM64RANGE, off, err) : check_limits(l, 65536, MEMRANGE, off, err);
}

/* Core 3.0 3.2.5 table types: i32 tables up to 2^32-1 elements, i64 ones
 * (table64, part of memory64) up to 2^64-1. */
static int check_table_limits(const wk_core_limits *l, size_t off, wk_error *err) {
  return check_limits(l, l->is64 ? UINT64_MAX : UINT32_MAX, TABRANGE, off, err);
}

/* Core 3.0 validation "Tag Types": the type index exists and its function type has no results. */
static int check_tag_type(const wk_core_module *m, uint32_t ti, unsigned features, size_t off, wk_error *err) {
  const char *msg = NULL;
  if (!(features & WK_FEAT_EXCEPTIONS)) msg = "tags require the exceptions feature";
  else if (ti >= m->ntypes) msg = "unknown type";
  else if (!wk_core_type_is_func(m, ti)) msg = "type mismatch (a tag's type must be a function type)";
  else if (m->types[ti].nresults) msg = "non-empty tag result type";
  if (!msg) return WK_OK;
  return off ? wk_error_at(err, WK_ERR_INVALID, off, "%s", msg) : wk_error_set(err, WK_ERR_INVALID, "%s", msg);
}

/* Where the second memory is declared (its import, else its entry in the memory section). */
static size_t second_mem_offset(const wk_core_module *m) {
  if (m->nimported_mems >= 2) return m->imports[m->mem_imports[1]].offset;
  return wk_core_entry_offset(&m->mem_offs, 1 - m->nimported_mems);
}

int wk_core_validate(const wk_core_module *m, wk_error *err) { return wk_core_validate_features(m, 0, err); }

static int validate_module(const wk_core_module *m, unsigned features, uint32_t **cp, wk_error *err);
int wk_core_validate_module(const wk_core_module *m, unsigned features, wk_error *err) {
  uint32_t *canon = NULL; /* (vt_match: computed on first need, shared by all constant expressions) */
  int rc = validate_module(m, features, &canon, err);
  free(canon);
  return rc;
}

/* Core 3.4.10: export names are unique. One pass over the exports with an open-addressing table
 * of the names seen (O(n), no sort): the first export whose name an earlier one has is reported. */
static int check_export_names(const wk_core_module *m, wk_error *err) {
  uint32_t n = m->nexports;
  if (n < 2) return WK_OK;
  size_t cap = 32;
  while (cap < (size_t)n * 2) cap *= 2;
  uint32_t small[128][2]; /* (hash, 1 + export index) per slot; most modules: no allocation */
  uint32_t(*tab)[2] = cap <= 128 ? small : malloc(cap * sizeof *tab);
  if (!tab) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  memset(tab, 0, cap * sizeof *tab);
  int rc = WK_OK;
  for (uint32_t i = 0; i < n && !rc; i++) {
    const wk_core_name *a = &m->exports[i].name;
    uint32_t h = wk_name_hash(a->str, a->len);
    size_t j = h & (cap - 1);
    for (; tab[j][1]; j = (j + 1) & (cap - 1)) {
      const wk_core_name *b = &m->exports[tab[j][1] - 1].name;
      if (tab[j][0] == h && a->len == b->len && (a->len == 0 || memcmp(a->str, b->str, a->len) == 0)) {
        rc = wk_error_at(err, WK_ERR_INVALID, m->exports[i].offset, "duplicate export name");
        break;
      }
    }
    tab[j][0] = h, tab[j][1] = i + 1;
  }
  if ((void *)tab != (void *)small) free(tab);
  return rc;
}

static int validate_module(const wk_core_module *m, unsigned features, uint32_t **cp, wk_error *err) {
  int rc;
  /* Core 3.0 3.4: a global initializer sees the globals before it, a segment
   * all globals; 2.0 (Core 2.0 3.4, context C') only the imported ones. */
  int ext = (features & (WK_FEAT_EXTENDED_CONST | WK_FEAT_GC)) != 0;
  if ((features & WK_FEAT_FUNCTION_REFERENCES) && (rc = check_vts(m, err))) return rc;
  if (m->subtypes) { /* Core 3.0 valid/types.rst (GC types) */
    if (!*cp && !(*cp = wk_val_type_canon(m))) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    if ((rc = wk_val_check_types(m, features, *cp, err))) return rc;
  }
  /* imports (Core 3.4.7) */
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wk_core_import *im = &m->imports[i];
    switch (im->kind) {
    case WK_EXTERN_FUNC:
      if (im->type_index >= m->ntypes)
        return wk_error_at(err, WK_ERR_INVALID, im->offset, "import %u: unknown type %u", i, im->type_index);
      if (!wk_core_type_is_func(m, im->type_index)) /* Core 3.0 valid/modules.rst: a function type */
        return wk_error_at(err, WK_ERR_INVALID, im->offset, "import %u: type mismatch (type %u is not a function type)", i, im->type_index);
      break;
    case WK_EXTERN_TABLE:
      if ((rc = check_table_limits(&im->table.lim, im->offset, err))) return rc;
      break;
    case WK_EXTERN_MEMORY:
      if ((rc = check_mem_limits(&im->mem, im->offset, err))) return rc;
      break;
    case WK_EXTERN_TAG:
      if ((rc = check_tag_type(m, im->tag_type, features, im->offset, err))) return rc;
      break;
    default: break;
    }
  }
  /* tags (Core 3.0 validation "Tags") */
  for (uint32_t i = 0; i < m->ntags; i++)
    if ((rc = check_tag_type(m, m->tags[i], features, wk_core_entry_offset(&m->tag_offs, i), err))) return rc;
  /* functions (Core 3.4.1) */
  for (uint32_t i = 0; i < m->nfuncs; i++)
    if (m->funcs[i] >= m->ntypes)
      return wk_error_at(err, WK_ERR_INVALID, i < m->ncodes ? m->codes[i].body_offset : 0, "func %u: unknown type %u",
                         m->nimported_funcs + i, m->funcs[i]);
    else if (!wk_core_type_is_func(m, m->funcs[i]))
      return wk_error_at(err, WK_ERR_INVALID, i < m->ncodes ? m->codes[i].body_offset : 0,
                         "func %u: type mismatch (type %u is not a function type)", m->nimported_funcs + i, m->funcs[i]);
  /* tables, memories (Core 3.4.2, 3.4.3; 2.0 allows one memory) */
  for (uint32_t i = 0; i < m->ntables; i++) {
    if ((rc = check_table_limits(&m->tables[i].lim, wk_core_entry_offset(&m->table_offs, i), err))) return rc;
    /* Core 3.0 3.4.2: a table's initialiser is a constant expression of its element type (in
     * context C': the imported globals); without one the element type must be defaultable */
    const wk_core_expr *init = m->table_inits && m->table_inits[i].len ? &m->table_inits[i] : NULL;
    wk_vt tt = wk_vt_make(m->tables[i].reftype, m->tables[i].ht);
    if (init) {
      if ((rc = const_expr(m, cp, init, tt, m->nimported_globals, features, "table", err)))
        return rc;
    } else if (!wk_vt_nullable(tt))
      return inv_at(err, wk_core_entry_offset(&m->table_offs, i), "table %u: type mismatch (a non-nullable table needs an initialiser)", m->nimported_tables + i);
  }
  for (uint32_t i = 0; i < m->nmems; i++)
    if ((rc = check_mem_limits(&m->mems[i], wk_core_entry_offset(&m->mem_offs, i), err))) return rc;
  if (wk_core_mem_count(m) > 1 && !(features & WK_FEAT_MULTI_MEMORY))
    return inv_at(err, second_mem_offset(m), "multiple memories");
  /* globals (Core 3.4.4) */
  for (uint32_t i = 0; i < m->nglobals; i++)
    if ((rc = const_expr(m, cp, &m->globals[i].init, wk_vt_make(m->globals[i].type.valtype, m->globals[i].type.ht),
                         m->nimported_globals + (ext ? i : 0), features, "global", err)))
      return rc;
  /* element segments (Core 3.4.5) */
  for (uint32_t i = 0; i < m->nelems; i++) {
    const wk_core_elem *e = &m->elems[i];
    if (e->mode == WK_SEG_ACTIVE) {
      const wk_core_tabletype *t = wk_core_table_type(m, e->table);
      if (!t) return wk_error_at(err, WK_ERR_INVALID, e->offset.offset, "elem %u: unknown table %u", i, e->table);
      wk_vt et = wk_val_elem_vt(m, e, features), tt = wk_vt_make(t->reftype, t->ht);
      if (et != tt && !vt_match(m, cp, et, tt))
        return wk_error_at(err, WK_ERR_INVALID, e->offset.offset, "elem %u: type mismatch", i);
      /* Core 3.0 3.4.5: the offset has the table's index type */
      if ((rc = const_expr(m, cp, &e->offset, t->lim.is64 ? WK_I64 : WK_I32, ext ? wk_core_global_count(m) : m->nimported_globals, features,
                         "elem offset", err))) return rc;
    }
    for (uint32_t k = 0; k < e->count; k++) {
      if (e->exprs) {
        if ((rc = const_expr(m, cp, &e->exprs[k], wk_vt_make(e->reftype, e->ht), ext ? wk_core_global_count(m) : m->nimported_globals, features,
                             "elem", err))) return rc;
      } else if (e->funcs[k] >= wk_core_func_count(m))
        return inv_at(err, wk_core_entry_offset(&m->elem_offs, i), "elem %u: unknown function %u", i, e->funcs[k]);
    }
  }
  /* data segments (Core 3.4.6) */
  for (uint32_t i = 0; i < m->ndatas; i++) {
    const wk_core_data *d = &m->datas[i];
    if (d->mode != WK_SEG_ACTIVE) continue;
    if (d->memory >= wk_core_mem_count(m))
      return wk_error_at(err, WK_ERR_INVALID, d->offset.offset, "data %u: unknown memory %u", i, d->memory);
    /* Core 3.0 3.4.6: the offset has the memory's address type */
    uint8_t at = wk_core_mem_limits(m, d->memory)->is64 ? WK_I64 : WK_I32;
    if ((rc = const_expr(m, cp, &d->offset, at, ext ? wk_core_global_count(m) : m->nimported_globals, features,
                         "data offset", err))) return rc;
  }
  /* start (Core 3.4.8) */
  if (m->has_start) {
    const wk_core_functype *t = wk_core_func_type(m, m->start);
    if (!t) return wk_error_at(err, WK_ERR_INVALID, m->start_offset, "unknown function %u", m->start);
    if (t->nparams || t->nresults)
      return wk_error_at(err, WK_ERR_INVALID, m->start_offset, "start function must have type [] -> []");
  }
  /* exports (Core 3.4.10): indices exist, names unique */
  for (uint32_t i = 0; i < m->nexports; i++) {
    const wk_core_export *x = &m->exports[i];
    int ok;
    const char *what;
    switch (x->kind) {
    case WK_EXTERN_FUNC: ok = x->index < wk_core_func_count(m); what = "function"; break;
    case WK_EXTERN_TABLE: ok = x->index < wk_core_table_count(m); what = "table"; break;
    case WK_EXTERN_MEMORY: ok = x->index < wk_core_mem_count(m); what = "memory"; break;
    case WK_EXTERN_TAG: ok = x->index < wk_core_tag_count(m); what = "tag"; break;
    default: ok = x->index < wk_core_global_count(m); what = "global"; break;
    }
    if (!ok) return wk_error_at(err, WK_ERR_INVALID, x->offset, "export %u: unknown %s %u", i, what, x->index);
  }
  if ((rc = check_export_names(m, err))) return rc;
  if (m->ncodes != m->nfuncs) return wk_error_set(err, WK_ERR_INVALID, "function and code section have inconsistent lengths");
  return WK_OK;
}

int wk_core_validate_features(const wk_core_module *m, unsigned features, wk_error *err) {
  int rc = wk_core_validate_module(m, features, err);
  if (rc) return rc;
  /* code (Core 3.4.1): every body through the step API */
  if (m->ncodes == 0) return WK_OK;
  wk_funcval *v = wk_funcval_new(m);
  if (!v) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  wk_funcval_set_features(v, features);
  rc = WK_OK;
  for (uint32_t i = 0; i < m->ncodes && !rc; i++) {
    const wk_core_code *c = &m->codes[i];
    if ((rc = wk_funcval_begin(v, m->nimported_funcs + i, err))) break;
    size_t pos = 0;
    wk_insn in;
    while (pos < c->body_len) {
      size_t at = pos;
      if ((rc = wk_insn_read(c->body, c->body_len, &pos, &in, err))) {
        if (err) err->offset += c->body_offset;
        break;
      }
      if ((rc = wk_funcval_op(v, &in, c->body_offset + at, err))) break;
    }
    if (!rc) rc = wk_funcval_finish(v, err);
  }
  wk_funcval_free(v);
  return rc;
}
