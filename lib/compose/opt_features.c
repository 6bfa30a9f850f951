/* Which proposals a core module uses, for binaryen's feature set (wcompose opt). */
#include "compose/opt.h"

#include <string.h>

#include "encode/encode.h"

static uint32_t valtype_feature(uint8_t t) {
  if (t == WK_V128) return WK_OPTF_SIMD;
  if (t == WK_FUNCREF || t == WK_EXTERNREF) return WK_OPTF_REFERENCE_TYPES;
  return 0;
}

/* Features of one instruction (Core spec 5.4 opcodes; the proposals that
 * became WebAssembly 2.0 are what binaryen still treats as features). */
static uint32_t insn_feature(const wk_insn *in) {
  unsigned op = in->op;
  if (op >= WK_OP_I32_EXTEND8_S && op <= WK_OP_I64_EXTEND32_S) return WK_OPTF_SIGN_EXT;
  if (op >= WK_OP_I32_TRUNC_SAT_F32_S && op <= WK_OP_I64_TRUNC_SAT_F64_U) return WK_OPTF_SAT_CONV;
  if (op >= WK_OP_MEMORY_INIT && op <= WK_OP_MEMORY_FILL) return WK_OPTF_BULK_MEMORY;   /* memory.init .. memory.fill */
  if (op >= WK_OP_TABLE_INIT && op <= WK_OP_TABLE_COPY) return WK_OPTF_BULK_MEMORY | WK_OPTF_REFERENCE_TYPES; /* table.init/elem.drop/table.copy */
  if (op >= WK_OP_TABLE_GROW && op <= WK_OP_TABLE_FILL) return WK_OPTF_REFERENCE_TYPES; /* table.grow/size/fill */
  if ((op & 0xff00) == 0xfd00 || (op & 0xff00) == 0xfe00) return WK_OPTF_SIMD; /* 0xFExx: relaxed SIMD (opcodes.h) */
  switch (op) {
    case WK_OP_TABLE_GET: case WK_OP_TABLE_SET: case WK_OP_REF_NULL: case WK_OP_REF_IS_NULL: case WK_OP_REF_FUNC: return WK_OPTF_REFERENCE_TYPES;
    case WK_OP_SELECT_T: return valtype_feature(in->valtype) | WK_OPTF_REFERENCE_TYPES;
    case WK_OP_CALL_INDIRECT: return in->idx1 ? WK_OPTF_REFERENCE_TYPES : 0; /* call_indirect on a table other than 0 */
    case WK_OP_BLOCK: case WK_OP_LOOP: case WK_OP_IF:
      if (in->bt_kind == WK_BT_TYPE) return WK_OPTF_MULTIVALUE;
      if (in->bt_kind == WK_BT_VAL) return valtype_feature(in->valtype);
      return 0;
    /* extended-const: arithmetic in constant expressions (only scanned there) */
    default: return 0;
  }
}

static uint32_t scan(const uint8_t *code, size_t len, int const_expr) {
  uint32_t f = 0;
  size_t pos = 0;
  wk_insn in;
  wk_error e;
  while (pos < len) {
    if (wk_insn_read(code, len, &pos, &in, &e) != WK_OK) return f;
    f |= insn_feature(&in);
    if (const_expr && ((in.op >= WK_OP_I32_ADD && in.op <= WK_OP_I32_MUL) || (in.op >= WK_OP_I64_ADD && in.op <= WK_OP_I64_MUL))) f |= WK_OPTF_EXTENDED_CONST;
  }
  return f;
}

/* tool-conventions Linking.md: target_features = vec(prefix:byte name) */
static uint32_t target_features(const uint8_t *d, size_t n) {
  static const struct { const char *name; uint32_t f; } MAP[] = {
      {"sign-ext", WK_OPTF_SIGN_EXT}, {"nontrapping-fptoint", WK_OPTF_SAT_CONV},
      {"bulk-memory", WK_OPTF_BULK_MEMORY}, {"reference-types", WK_OPTF_REFERENCE_TYPES},
      {"simd128", WK_OPTF_SIMD}, {"multivalue", WK_OPTF_MULTIVALUE}, {"mutable-globals", WK_OPTF_MUTABLE_GLOBALS},
      {"atomics", WK_OPTF_ATOMICS}, {"tail-call", WK_OPTF_TAIL_CALL}, {"exception-handling", WK_OPTF_EXCEPTIONS},
      {"memory64", WK_OPTF_MEMORY64}, {"extended-const", WK_OPTF_EXTENDED_CONST},
      {"relaxed-simd", WK_OPTF_RELAXED_SIMD}, {"gc", WK_OPTF_GC},
  };
  size_t p = 0;
  uint64_t cnt = 0, l = 0;
  if (wk_read_uleb(d, n, &p, 32, &cnt, NULL)) return 0; /* u32 count (lib/encode's LEB reader) */
  uint32_t f = 0;
  for (uint64_t i = 0; i < cnt; i++) {
    if (p >= n) break;
    uint8_t prefix = d[p++];
    if (wk_read_uleb(d, n, &p, 32, &l, NULL)) return f;
    if (l > n - p) return f;
    if (prefix == '+' || prefix == '=')
      for (size_t k = 0; k < sizeof MAP / sizeof MAP[0]; k++)
        if (strlen(MAP[k].name) == l && !memcmp(MAP[k].name, d + p, l)) f |= MAP[k].f;
    p += l;
  }
  return f;
}

uint32_t wk_opt_detect_features(const uint8_t *mod, size_t len) {
  wk_core_module *m = NULL;
  wk_error e;
  if (wk_core_decode(mod, len, &m, &e) != WK_OK) return WK_OPTF_UNKNOWN;
  uint32_t f = 0;
  for (uint32_t i = 0; i < m->ntypes; i++) {
    const wk_core_functype *t = &m->types[i];
    if (t->nresults > 1) f |= WK_OPTF_MULTIVALUE;
    for (uint32_t k = 0; k < t->nparams; k++) f |= valtype_feature(t->params[k]);
    for (uint32_t k = 0; k < t->nresults; k++) f |= valtype_feature(t->results[k]);
  }
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wk_core_import *im = &m->imports[i];
    if (im->kind == WK_EXTERN_GLOBAL) {
      if (im->global.mut) f |= WK_OPTF_MUTABLE_GLOBALS;
      f |= valtype_feature(im->global.valtype);
    }
    if (im->kind == WK_EXTERN_TABLE && im->table.reftype != WK_FUNCREF) f |= WK_OPTF_REFERENCE_TYPES;
  }
  if (wk_core_table_count(m) > 1) f |= WK_OPTF_REFERENCE_TYPES;
  for (uint32_t i = 0; i < m->ntables; i++)
    if (m->tables[i].reftype != WK_FUNCREF) f |= WK_OPTF_REFERENCE_TYPES;
  for (uint32_t i = 0; i < m->nglobals; i++) {
    f |= valtype_feature(m->globals[i].type.valtype);
    f |= scan(m->globals[i].init.bytes, m->globals[i].init.len, 1);
  }
  for (uint32_t i = 0; i < m->nexports; i++) {
    const wk_core_export *x = &m->exports[i];
    if (x->kind == WK_EXTERN_GLOBAL) {
      const wk_core_globaltype *g = wk_core_global_type(m, x->index);
      if (g && g->mut) f |= WK_OPTF_MUTABLE_GLOBALS;
    }
  }
  for (uint32_t i = 0; i < m->nelems; i++) {
    const wk_core_elem *s = &m->elems[i];
    if (s->mode != WK_SEG_ACTIVE) f |= WK_OPTF_BULK_MEMORY;
    if (s->reftype != WK_FUNCREF || s->uses_exprs || (s->mode == WK_SEG_ACTIVE && s->table))
      f |= WK_OPTF_REFERENCE_TYPES | WK_OPTF_BULK_MEMORY;
    if (s->mode == WK_SEG_ACTIVE) f |= scan(s->offset.bytes, s->offset.len, 1);
    for (uint32_t k = 0; s->exprs && k < s->count; k++) f |= scan(s->exprs[k].bytes, s->exprs[k].len, 1);
  }
  if (m->has_datacount) f |= WK_OPTF_BULK_MEMORY;
  for (uint32_t i = 0; i < m->ndatas; i++) {
    if (m->datas[i].mode != WK_SEG_ACTIVE) f |= WK_OPTF_BULK_MEMORY;
    else f |= scan(m->datas[i].offset.bytes, m->datas[i].offset.len, 1);
  }
  for (uint32_t i = 0; i < m->ncodes; i++) {
    const wk_core_code *c = &m->codes[i];
    for (uint32_t g = 0; g < c->ngroups; g++) f |= valtype_feature(c->groups[g].type);
    f |= scan(c->body, c->body_len, 0);
  }
  for (uint32_t i = 0; i < m->ncustoms; i++) {
    const wk_core_custom *c = &m->customs[i];
    if (c->name.len == 15 && !memcmp(c->name.str, "target_features", 15)) f |= target_features(c->content, c->len);
  }
  wk_core_free(m);
  return f;
}
