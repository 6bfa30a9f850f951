/*
 * Core module text printer (Core spec 6 "Text Format") in wasmprinter's
 * layout: definitions in binary section order, `(;N;)` index comments,
 * function names from the name section, folded-free instruction lists with
 * `;; label = @N` block comments. Reads the module through wk_core_decode
 * (WebAssembly 2.0); other modules are reported as unsupported.
 */
#include "encode/encode.h"
#include "encode/print_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int idchar(unsigned char c) {
  if (c >= '0' && c <= '9') return 1;
  if ((c | 32) >= 'a' && (c | 32) <= 'z') return 1;
  return strchr("!#$%&'*+-./:<=>?@\\^_`|~", c) != NULL && c != 0;
}

void wk_print_id(wk_buf *b, const char *s, size_t n) {
  int ok = n > 0;
  for (size_t i = 0; i < n && ok; i++) ok = idchar((unsigned char)s[i]);
  wk_buf_byte(b, '$');
  if (ok) wk_buf_append(b, s, n);
  else wk_print_str(b, s, n);
}

void wk_print_str(wk_buf *b, const char *s, size_t n) {
  wk_buf_byte(b, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"') wk_buf_str(b, "\\\"");
    else if (c == '\\') wk_buf_str(b, "\\\\");
    else if (c == '\n') wk_buf_str(b, "\\n");
    else if (c == '\t') wk_buf_str(b, "\\t");
    else if (c == '\r') wk_buf_str(b, "\\r");
    else if (c < 0x20 || c == 0x7f) wk_buf_printf(b, "\\%02x", c);
    else wk_buf_byte(b, c);
  }
  wk_buf_byte(b, '"');
}

void wk_print_core_valtype(wk_buf *b, uint8_t t) {
  const char *s = "?";
  switch (t) {
    case 0x7f: s = "i32"; break;
    case 0x7e: s = "i64"; break;
    case 0x7d: s = "f32"; break;
    case 0x7c: s = "f64"; break;
    case 0x7b: s = "v128"; break;
    case 0x70: s = "funcref"; break;
    case 0x6f: s = "externref"; break;
    case 0x6e: s = "anyref"; break;
    case 0x6d: s = "eqref"; break;
    case 0x6c: s = "i31ref"; break;
    case 0x6b: s = "structref"; break;
    case 0x6a: s = "arrayref"; break;
    case 0x69: s = "exnref"; break;
    case 0x71: s = "nullref"; break;
    case 0x72: s = "nullexternref"; break;
    case 0x73: s = "nullfuncref"; break;
    case 0x74: s = "nullexnref"; break;
  }
  wk_buf_str(b, s);
}

void wk_print_raw_coretype(wk_buf *b, const uint8_t *d, size_t n) {
  /* Minimal GC rendering: (sub (func ...)) / (sub final ...) for the
   * simple shapes; anything else as a comment with its bytes. */
  if (n >= 5 && d[0] == 0x00 && d[1] == 0x50 && d[2] == 0x00 && d[3] == 0x60) {
    wk_buf_str(b, "(sub (func");
    size_t p = 4;
    for (int k = 0; k < 2 && p < n; k++) {
      uint8_t cnt = d[p++];
      if (cnt) {
        wk_buf_str(b, k ? " (result" : " (param");
        for (uint8_t i = 0; i < cnt && p < n; i++) { wk_buf_byte(b, ' '); wk_print_core_valtype(b, d[p++]); }
        wk_buf_byte(b, ')');
      }
    }
    wk_buf_str(b, "))");
    return;
  }
  wk_buf_str(b, "(;gc-type");
  for (size_t i = 0; i < n; i++) wk_buf_printf(b, " %02x", d[i]);
  wk_buf_str(b, ";)");
}

static void ind(wk_buf *b, int n) {
  for (int i = 0; i < n; i++) wk_buf_str(b, "  ");
}

static void functype(wk_buf *b, const wk_core_functype *t) {
  if (t->nparams) {
    wk_buf_str(b, " (param");
    for (uint32_t i = 0; i < t->nparams; i++) { wk_buf_byte(b, ' '); wk_print_core_valtype(b, t->params[i]); }
    wk_buf_byte(b, ')');
  }
  if (t->nresults) {
    wk_buf_str(b, " (result");
    for (uint32_t i = 0; i < t->nresults; i++) { wk_buf_byte(b, ' '); wk_print_core_valtype(b, t->results[i]); }
    wk_buf_byte(b, ')');
  }
}

static void limits(wk_buf *b, const wk_core_limits *l) {
  wk_buf_printf(b, " %u", l->min);
  if (l->has_max) wk_buf_printf(b, " %u", l->max);
}

static void funcref(wk_buf *b, const wk_core_module *m, uint32_t f) {
  const wk_core_name *n = wk_core_func_name(m, f);
  if (n) wk_print_id(b, n->str, n->len);
  else wk_buf_printf(b, "%u", f);
}

/* Float text: hex form + decimal comment, as wasmprinter. */
static void print_float(wk_buf *b, uint64_t bits, int is64) {
  int mbits = is64 ? 52 : 23, ebits = is64 ? 11 : 8;
  uint64_t sign = bits >> (mbits + ebits);
  uint64_t exp = (bits >> mbits) & ((1u << ebits) - 1);
  uint64_t mant = bits & ((1ull << mbits) - 1);
  int bias = (1 << (ebits - 1)) - 1;
  if (sign) wk_buf_byte(b, '-');
  if (exp == (uint64_t)((1 << ebits) - 1)) {
    if (!mant) { wk_buf_str(b, "inf"); return; }
    uint64_t canon = 1ull << (mbits - 1);
    if (mant == canon) wk_buf_str(b, "nan");
    else wk_buf_printf(b, "nan:0x%llx", (unsigned long long)mant);
    return;
  }
  if (!exp && !mant) { wk_buf_str(b, "0x0p+0 (;=0;)"); return; }
  int e;
  uint64_t frac = mant;
  if (!exp) { /* subnormal: 0x0.xxxp-bias+1 */
    e = 1 - bias;
    int sh = is64 ? 0 : 1; /* align fraction to hex digits: 52 bits = 13 digits, 23 bits -> 24 = 6 digits */
    frac <<= sh;
    int digits = is64 ? 13 : 6;
    while (digits > 0 && !(frac & 0xf)) { frac >>= 4; digits--; }
    wk_buf_printf(b, "0x0.%0*llxp%+d", digits, (unsigned long long)frac, e);
  } else {
    e = (int)exp - bias;
    int sh = is64 ? 0 : 1;
    frac <<= sh;
    int digits = is64 ? 13 : 6;
    while (digits > 0 && !(frac & 0xf)) { frac >>= 4; digits--; }
    if (digits) wk_buf_printf(b, "0x1.%0*llxp%+d", digits, (unsigned long long)frac, e);
    else wk_buf_printf(b, "0x1p%+d", e);
  }
  double v;
  if (is64) { memcpy(&v, &bits, 8); }
  else { uint32_t w = (uint32_t)bits; float f; memcpy(&f, &w, 4); v = f; }
  char buf[64];
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(buf, sizeof buf, "%.*g", prec, fabs(v));
    if (is64 ? strtod(buf, NULL) == fabs(v) : (float)strtod(buf, NULL) == (float)fabs(v)) break;
  }
  if (!strchr(buf, 'e')) wk_buf_printf(b, " (;=%s%s;)", sign ? "-" : "", buf);
  else {
    /* Rust prints without exponents: expand */
    double a = fabs(v);
    if (a >= 1) snprintf(buf, sizeof buf, "%.0f", a);
    else snprintf(buf, sizeof buf, "%.17g", a);
    wk_buf_printf(b, " (;=%s%s;)", sign ? "-" : "", buf);
  }
}

static unsigned natural_align(const char *name) {
  /* log2 of the access size from the instruction name (Core 3.3.7) */
  const char *dot = strchr(name, '.');
  if (!dot) return 0;
  if (strstr(name, "8")) {
    const char *s = dot + 1;
    if (strstr(s, "8")) return 0;
  }
  const char *op = dot + 1;
  if (!strncmp(name, "v128", 4)) {
    if (strstr(op, "load8x8") || strstr(op, "load16x4") || strstr(op, "load32x2") || strstr(op, "64_")) return 3;
    if (strstr(op, "load8") || strstr(op, "store8")) return 0;
    if (strstr(op, "load16") || strstr(op, "store16")) return 1;
    if (strstr(op, "load32") || strstr(op, "store32")) return 2;
    if (strstr(op, "load64") || strstr(op, "store64")) return 3;
    return 4;
  }
  if (strstr(op, "8")) return 0;
  if (strstr(op, "16")) return 1;
  if (strstr(op, "32")) return 2;
  if (name[1] == '6' || name[0] == 'f' ? (name[1] == '6') : 0) return 3;
  return (name[1] == '6') ? 3 : 2;
}

static int body(wk_buf *b, const wk_core_module *m, const wk_core_code *c, int depth, wk_error *err) {
  size_t pos = 0;
  int level = 0;   /* block nesting */
  int label = 0;   /* label counter */
  int stack[1024];
  while (pos < c->body_len) {
    wk_insn in;
    if (wk_insn_read(c->body, c->body_len, &pos, &in, err)) return -1;
    if (in.op == WK_OP_END) {
      if (level == 0) break;
      level--;
      ind(b, depth + level);
      wk_buf_str(b, "end\n");
      continue;
    }
    if (in.op == WK_OP_ELSE) {
      ind(b, depth + level - 1);
      wk_buf_str(b, "else\n");
      continue;
    }
    ind(b, depth + level);
    const char *name = wk_op_name(in.op);
    wk_buf_str(b, name ? name : "unknown");
    switch (in.imm) {
      case WK_IMM_BLOCK:
        if (in.bt_kind == WK_BT_VAL) { wk_buf_str(b, " (result "); wk_print_core_valtype(b, in.valtype); wk_buf_byte(b, ')'); }
        else if (in.bt_kind == WK_BT_TYPE) wk_buf_printf(b, " (type %u)", in.idx0);
        label++;
        wk_buf_printf(b, "  ;; label = @%d", label);
        if (level < 1024) stack[level] = label;
        level++;
        break;
      case WK_IMM_LABEL: {
        int tgt = level - 1 - (int)in.idx0;
        wk_buf_printf(b, " %u", in.idx0);
        if (tgt >= 0 && tgt < 1024) wk_buf_printf(b, " (;@%d;)", stack[tgt]);
        break;
      }
      case WK_IMM_BR_TABLE: {
        size_t cur = 0;
        for (uint32_t i = 0; i <= in.count; i++) {
          uint32_t l = i < in.count ? wk_insn_br_target(&in, &cur) : in.idx0;
          int tgt = level - 1 - (int)l;
          wk_buf_printf(b, " %u", l);
          if (tgt >= 0 && tgt < 1024) wk_buf_printf(b, " (;@%d;)", stack[tgt]);
        }
        break;
      }
      case WK_IMM_FUNC: wk_buf_byte(b, ' '); funcref(b, m, in.idx0); break;
      case WK_IMM_CALL_INDIRECT:
        if (in.idx1) wk_buf_printf(b, " %u", in.idx1);
        wk_buf_printf(b, " (type %u)", in.idx0);
        break;
      case WK_IMM_LOCAL: case WK_IMM_GLOBAL: case WK_IMM_TABLE: case WK_IMM_DATA: case WK_IMM_ELEM:
        wk_buf_printf(b, " %u", in.idx0);
        break;
      case WK_IMM_MEMARG: case WK_IMM_MEMARG_LANE:
        if (in.offset) wk_buf_printf(b, " offset=%u", in.offset);
        if (in.align != natural_align(name ? name : "")) wk_buf_printf(b, " align=%u", 1u << in.align);
        if (in.imm == WK_IMM_MEMARG_LANE) wk_buf_printf(b, " %u", in.lane);
        break;
      case WK_IMM_I32: wk_buf_printf(b, " %d", in.val.i32); break;
      case WK_IMM_I64: wk_buf_printf(b, " %lld", (long long)in.val.i64); break;
      case WK_IMM_F32: wk_buf_byte(b, ' '); print_float(b, in.val.f32, 0); break;
      case WK_IMM_F64: wk_buf_byte(b, ' '); print_float(b, in.val.f64, 1); break;
      case WK_IMM_SELECT_T: wk_buf_str(b, " (result "); wk_print_core_valtype(b, in.valtype); wk_buf_byte(b, ')'); break;
      case WK_IMM_REFTYPE: wk_buf_str(b, in.valtype == 0x70 ? " func" : " extern"); break;
      case WK_IMM_MEM_INIT: wk_buf_printf(b, " %u", in.idx0); break;
      case WK_IMM_TABLE_INIT: if (in.idx1) wk_buf_printf(b, " %u", in.idx1); wk_buf_printf(b, " %u", in.idx0); break;
      case WK_IMM_TABLE_COPY: if (in.idx0 || in.idx1) wk_buf_printf(b, " %u %u", in.idx0, in.idx1); break;
      case WK_IMM_LANE: wk_buf_printf(b, " %u", in.lane); break;
      case WK_IMM_V128: case WK_IMM_SHUFFLE:
        if (in.imm == WK_IMM_V128) wk_buf_str(b, " i32x4");
        for (int i = 0; i < (in.imm == WK_IMM_V128 ? 4 : 16); i++) {
          if (in.imm == WK_IMM_V128) {
            uint32_t w;
            memcpy(&w, in.val.v128 + 4 * i, 4);
            wk_buf_printf(b, " 0x%08x", w);
          } else {
            wk_buf_printf(b, " %u", in.val.v128[i]);
          }
        }
        break;
      default: break;
    }
    wk_buf_byte(b, '\n');
  }
  return 0;
}

static void constexpr_(wk_buf *b, const wk_core_module *m, const wk_core_expr *e) {
  size_t pos = 0;
  int first = 1;
  wk_error err;
  while (pos < e->len) {
    wk_insn in;
    if (wk_insn_read(e->bytes, e->len, &pos, &in, &err) || in.op == WK_OP_END) break;
    const char *name = wk_op_name(in.op);
    wk_buf_printf(b, "%s%s", first ? "" : " ", name ? name : "?");
    first = 0;
    switch (in.imm) {
      case WK_IMM_I32: wk_buf_printf(b, " %d", in.val.i32); break;
      case WK_IMM_I64: wk_buf_printf(b, " %lld", (long long)in.val.i64); break;
      case WK_IMM_F32: wk_buf_byte(b, ' '); print_float(b, in.val.f32, 0); break;
      case WK_IMM_F64: wk_buf_byte(b, ' '); print_float(b, in.val.f64, 1); break;
      case WK_IMM_GLOBAL: wk_buf_printf(b, " %u", in.idx0); break;
      case WK_IMM_FUNC: wk_buf_byte(b, ' '); funcref(b, m, in.idx0); break;
      case WK_IMM_REFTYPE: wk_buf_str(b, in.valtype == 0x70 ? " func" : " extern"); break;
      default: break;
    }
  }
}

int wk_coremod_print(const uint8_t *data, size_t len, int depth, wk_buf *out, wk_error *err) {
  wk_core_module *m = NULL;
  int rc = wk_core_decode(data, len, &m, err);
  if (rc) return rc;
  wk_buf *b = out;
  for (uint32_t i = 0; i < m->ntypes; i++) {
    ind(b, depth);
    wk_buf_printf(b, "(type (;%u;) (func", i);
    functype(b, &m->types[i]);
    wk_buf_str(b, "))\n");
  }
  uint32_t nf = 0, nt = 0, nm = 0, ng = 0;
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wk_core_import *im = &m->imports[i];
    ind(b, depth);
    wk_buf_str(b, "(import ");
    wk_print_str(b, im->module.str, im->module.len);
    wk_buf_byte(b, ' ');
    wk_print_str(b, im->name.str, im->name.len);
    switch (im->kind) {
      case WK_EXTERN_FUNC: {
        wk_buf_str(b, " (func");
        const wk_core_name *n = wk_core_func_name(m, nf);
        if (n) { wk_buf_byte(b, ' '); wk_print_id(b, n->str, n->len); }
        wk_buf_printf(b, " (;%u;) (type %u)))\n", nf++, im->type_index);
        break;
      }
      case WK_EXTERN_TABLE:
        wk_buf_printf(b, " (table (;%u;)", nt++);
        limits(b, &im->table.lim);
        wk_buf_byte(b, ' ');
        wk_print_core_valtype(b, im->table.reftype);
        wk_buf_str(b, "))\n");
        break;
      case WK_EXTERN_MEMORY:
        wk_buf_printf(b, " (memory (;%u;)", nm++);
        limits(b, &im->mem);
        wk_buf_str(b, "))\n");
        break;
      case WK_EXTERN_GLOBAL:
        wk_buf_printf(b, " (global (;%u;) ", ng++);
        if (im->global.mut) wk_buf_str(b, "(mut ");
        wk_print_core_valtype(b, im->global.valtype);
        if (im->global.mut) wk_buf_byte(b, ')');
        wk_buf_str(b, "))\n");
        break;
    }
  }
  for (uint32_t i = 0; i < m->ntables; i++) {
    ind(b, depth);
    wk_buf_printf(b, "(table (;%u;)", nt++);
    limits(b, &m->tables[i].lim);
    wk_buf_byte(b, ' ');
    wk_print_core_valtype(b, m->tables[i].reftype);
    wk_buf_str(b, ")\n");
  }
  for (uint32_t i = 0; i < m->nmems; i++) {
    ind(b, depth);
    wk_buf_printf(b, "(memory (;%u;)", nm++);
    limits(b, &m->mems[i]);
    wk_buf_str(b, ")\n");
  }
  for (uint32_t i = 0; i < m->nglobals; i++) {
    ind(b, depth);
    wk_buf_printf(b, "(global (;%u;) ", ng++);
    if (m->globals[i].type.mut) wk_buf_str(b, "(mut ");
    wk_print_core_valtype(b, m->globals[i].type.valtype);
    if (m->globals[i].type.mut) wk_buf_byte(b, ')');
    wk_buf_byte(b, ' ');
    constexpr_(b, m, &m->globals[i].init);
    wk_buf_str(b, ")\n");
  }
  static const char *ek[] = {"func", "table", "memory", "global"};
  for (uint32_t i = 0; i < m->nexports; i++) {
    const wk_core_export *e = &m->exports[i];
    ind(b, depth);
    wk_buf_str(b, "(export ");
    wk_print_str(b, e->name.str, e->name.len);
    wk_buf_printf(b, " (%s ", e->kind < 4 ? ek[e->kind] : "?");
    if (e->kind == WK_EXTERN_FUNC) funcref(b, m, e->index);
    else wk_buf_printf(b, "%u", e->index);
    wk_buf_str(b, "))\n");
  }
  if (m->has_start) {
    ind(b, depth);
    wk_buf_str(b, "(start ");
    funcref(b, m, m->start);
    wk_buf_str(b, ")\n");
  }
  for (uint32_t i = 0; i < m->nelems; i++) {
    const wk_core_elem *e = &m->elems[i];
    ind(b, depth);
    wk_buf_printf(b, "(elem (;%u;)", i);
    if (e->mode == WK_SEG_ACTIVE) {
      if (e->explicit_table || e->table) wk_buf_printf(b, " (table %u)", e->table);
      wk_buf_str(b, " (");
      constexpr_(b, m, &e->offset);
      wk_buf_byte(b, ')');
    } else if (e->mode == WK_SEG_DECLARATIVE) {
      wk_buf_str(b, " declare");
    }
    if (e->funcs) {
      wk_buf_str(b, " func");
      for (uint32_t k = 0; k < e->count; k++) { wk_buf_byte(b, ' '); funcref(b, m, e->funcs[k]); }
    } else {
      wk_buf_byte(b, ' ');
      wk_print_core_valtype(b, e->reftype);
      for (uint32_t k = 0; k < e->count; k++) { wk_buf_str(b, " (item "); constexpr_(b, m, &e->exprs[k]); wk_buf_byte(b, ')'); }
    }
    wk_buf_str(b, ")\n");
  }
  uint32_t nimp = m->nimported_funcs;
  for (uint32_t i = 0; i < m->ncodes && i < m->nfuncs; i++) {
    uint32_t fi = nimp + i;
    ind(b, depth);
    wk_buf_str(b, "(func");
    const wk_core_name *n = wk_core_func_name(m, fi);
    if (n) { wk_buf_byte(b, ' '); wk_print_id(b, n->str, n->len); }
    wk_buf_printf(b, " (;%u;) (type %u)", fi, m->funcs[i]);
    if (m->funcs[i] < m->ntypes) functype(b, &m->types[m->funcs[i]]);
    const wk_core_code *c = &m->codes[i];
    if (c->ngroups == 0 && c->body_len == 1) { wk_buf_str(b, ")\n"); continue; }
    wk_buf_byte(b, '\n');
    if (c->ngroups) {
      ind(b, depth + 1);
      wk_buf_str(b, "(local");
      for (uint32_t g = 0; g < c->ngroups; g++)
        for (uint32_t k = 0; k < c->groups[g].count && k < 100000; k++) { wk_buf_byte(b, ' '); wk_print_core_valtype(b, c->groups[g].type); }
      wk_buf_str(b, ")\n");
    }
    if (body(b, m, c, depth + 1, err)) {
      if (err) err->offset += c->body_offset;
      wk_core_free(m);
      return WK_ERR_MALFORMED;
    }
    ind(b, depth);
    wk_buf_str(b, ")\n");
  }
  for (uint32_t i = 0; i < m->ndatas; i++) {
    const wk_core_data *d = &m->datas[i];
    ind(b, depth);
    wk_buf_printf(b, "(data (;%u;)", i);
    if (d->mode == WK_SEG_ACTIVE) {
      if (d->memory) wk_buf_printf(b, " (memory %u)", d->memory);
      wk_buf_str(b, " (");
      constexpr_(b, m, &d->offset);
      wk_buf_byte(b, ')');
    }
    wk_buf_byte(b, ' ');
    wk_print_str(b, (const char *)d->bytes, d->len);
    wk_buf_str(b, ")\n");
  }
  wk_core_free(m);
  return b->oom ? wk_error_set(err, WK_ERR_NOMEM, "out of memory") : WK_OK;
}
