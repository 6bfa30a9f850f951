/*
 * Core module decoder (Core spec 5.5 "Modules"): bytes -> wk_core_module,
 * in one pass. Function bodies and constant expressions are scanned with
 * wk_insn_read (so malformed instructions are decoding errors) and kept as
 * byte ranges into the input.
 */
#include <stdlib.h>
#include <string.h>

#include "encode/encode.h"
#include "encode/leb.h"

typedef struct dec {
  const uint8_t *p;
  size_t end; /* end of the current section (or of the input) */
  size_t pos;
  wk_core_module *m;
  wk_error *err;
  uint32_t nlebs;
  wk_leb_pad *pads;
  uint32_t npads, cap_pads;
  size_t data_use; /* 1 + offset of the first body using a data index */
  unsigned flags;  /* WK_CORE_DECODE_* */
  unsigned features; /* WK_FEAT_* */
} dec;

#define TRY(x) do { int rc_ = (x); if (rc_) return rc_; } while (0)

static int eof_err(dec *d, size_t at) {
  return wk_error_at(d->err, WK_ERR_MALFORMED, at, "unexpected end of section or function");
}

static int nomem(dec *d) {
  return wk_error_set(d->err, WK_ERR_NOMEM, "out of memory");
}

static void *alloc(dec *d, size_t n, size_t size) {
  if (n && size > SIZE_MAX / n) return NULL;
  return wk_arena_alloc(&d->m->arena, (n && size) ? n * size : 1);
}

/* Room for n entry offsets (wk_core_offsets), filled by the section reader as it goes. */
static int offs_init(dec *d, wk_core_offsets *o, uint32_t n) {
  if (!(o->at = alloc(d, n, sizeof *o->at))) return nomem(d);
  o->n = n;
  memset(o->at, 0, (n ? n : 1) * sizeof *o->at);
  return WK_OK;
}

/* Remember that the LEB with ordinal `ord` took `w` bytes (more than needed). */
static int add_pad(dec *d, uint32_t ord, unsigned w) {
  if (d->npads == d->cap_pads) {
    uint32_t nc = d->cap_pads ? d->cap_pads * 2 : 16;
    wk_leb_pad *np = wk_reallocarray(d->pads, nc, sizeof *np);
    if (!np) return nomem(d);
    d->pads = np;
    d->cap_pads = nc;
  }
  d->pads[d->npads].ordinal = ord;
  d->pads[d->npads].width = (uint8_t)w;
  d->npads++;
  return WK_OK;
}

/* Unsigned LEB u32 that takes part in round-tripping (Core 5.2.2): remember
 * its width when it is not minimal. */
static int uleb_slow(dec *d, unsigned bits, uint64_t *out);
static inline int uleb(dec *d, unsigned bits, uint64_t *out) {
  if (wk_leb_u_byte(d->p, d->end, &d->pos, out)) { /* minimal: nothing to remember but its ordinal */
    d->nlebs++;
    return WK_OK;
  }
  return uleb_slow(d, bits, out);
}
static int uleb_slow(dec *d, unsigned bits, uint64_t *out) {
  uint64_t v = 0;
  unsigned w = 1;
  size_t at = d->pos;
  if (at >= d->end) return eof_err(d, at);
  TRY(wk_leb_u(d->p, d->end, &d->pos, bits, &v, &w, d->err));
  uint32_t ord = d->nlebs++;
  if (w != wk_leb_u_size(v)) TRY(add_pad(d, ord, w));
  *out = v;
  return WK_OK;
}

static int u32(dec *d, uint32_t *out) {
  uint64_t v = 0;
  TRY(uleb(d, 32, &v));
  *out = (uint32_t)v;
  return WK_OK;
}

static int byte(dec *d, uint8_t *out) {
  if (d->pos >= d->end) return eof_err(d, d->pos);
  *out = d->p[d->pos++];
  return WK_OK;
}

/* A vector length: every element takes at least one byte, so a count larger
 * than what is left cannot be right (and must not drive allocation). */
static int vec_len(dec *d, uint32_t *n) {
  TRY(u32(d, n));
  if (*n > d->end - d->pos) return eof_err(d, d->end);
  return WK_OK;
}

static int is_valtype(uint8_t b) { return (b >= 0x7b && b <= 0x7f) || b == 0x70 || b == 0x6f; }

/* The abstract heap type (or its shorthand code) `c` is allowed by the features: exn needs
 * exception handling, GC's codes (any, eq, i31, struct, array, none, nofunc, noextern, noexn)
 * need GC (Core 3.0 binary/types.rst). */
static int abs_ok(const dec *d, uint8_t c) {
  if (c == WK_FUNCREF || c == WK_EXTERNREF) return 1;
  if (c == WK_EXNREF) return (d->features & WK_FEAT_EXCEPTIONS) != 0;
  if (c == WK_NULLEXNREF && !(d->features & WK_FEAT_EXCEPTIONS)) return 0;
  return wk_gc_ht_code(c) && (d->features & WK_FEAT_GC);
}

/* Core 5.3.3 valtype; Core 3.0 5.3.3-5.3.4: exnref (0x69) with exception handling, (ref null? ht)
 * (0x63/0x64 heaptype) with typed function references, the GC shorthands and heap types with GC.
 * *ht: the heap type beside the code (wk_vt). */
static int valtype_ht(dec *d, uint8_t *out, uint32_t *ht) {
  size_t at = d->pos;
  *ht = 0;
  if (d->pos < d->end && (d->p[d->pos] == WK_REF || d->p[d->pos] == WK_REFNULL) &&
      (d->features & WK_FEAT_FUNCTION_REFERENCES)) {
    int rc = wk_valtype_read(d->p, d->end, &d->pos, out, ht, d->err);
    if (wk_err_is_end(rc, d->err, d->end)) return eof_err(d, d->err->offset);
    if (rc == WK_OK && wk_ht_is_idx(*ht)) {
      /* a type index is an s33 LEB: part of round-tripping (a non-minimal width is kept) */
      if (*ht == WK_HT_BADIDX)
        return wk_error_at(d->err, WK_ERR_UNSUPPORTED, at + 1, "type index too large (implementation limit %u)",
                           WK_HT_BADIDX - 1);
      unsigned w = (unsigned)(d->pos - at - 1);
      uint32_t ord = d->nlebs++;
      if (w != wk_leb_s_size(*ht)) TRY(add_pad(d, ord, w));
    }
    if (rc == WK_OK && !wk_ht_is_idx(*ht) && !abs_ok(d, (uint8_t)*ht))
      return wk_error_at(d->err, WK_ERR_MALFORMED, at, *ht == WK_HT_EXN ? "malformed value type"
                         : !(d->features & WK_FEAT_GC) ? "malformed heap type (a GC heap type: requires the gc feature)"
                                                       : "malformed heap type");
    return rc;
  }
  TRY(byte(d, out));
  if (!is_valtype(*out) && !(wk_abs_ht_code(*out) && abs_ok(d, *out)))
    return wk_error_at(d->err, WK_ERR_MALFORMED, at,
                       wk_gc_ht_code(*out) && !(d->features & WK_FEAT_GC)
                           ? "malformed value type (a GC reference type: requires the gc feature)"
                           : "malformed value type");
  return WK_OK;
}

/* Core 5.3.3 reftype (Core 3.0: any reference type, typed with function references). */
static int reftype_ht(dec *d, uint8_t *out, uint32_t *ht) {
  size_t at = d->pos;
  *ht = 0;
  if (d->pos < d->end && (d->p[d->pos] == WK_REF || d->p[d->pos] == WK_REFNULL) &&
      (d->features & WK_FEAT_FUNCTION_REFERENCES))
    return valtype_ht(d, out, ht);
  TRY(byte(d, out));
  if (!(wk_abs_ht_code(*out) && abs_ok(d, *out)))
    return wk_error_at(d->err, WK_ERR_MALFORMED, at, "malformed reference type");
  return WK_OK;
}

/* Core 5.2.4 names: vec(byte), well-formed UTF-8. Copied NUL-terminated (unless
 * WK_CORE_DECODE_BORROW_NAMES). */
static int name(dec *d, wk_core_name *out) {
  uint32_t n;
  TRY(u32(d, &n));
  if (n > d->end - d->pos) return eof_err(d, d->pos);
  if (!wk_utf8_valid(d->p + d->pos, n))
    return wk_error_at(d->err, WK_ERR_MALFORMED, d->pos, "malformed UTF-8 encoding");
  if (d->flags & WK_CORE_DECODE_BORROW_NAMES) {
    out->str = (const char *)d->p + d->pos; /* (not NUL-terminated: the caller asked) */
  } else {
    char *s = wk_arena_strndup(&d->m->arena, (const char *)d->p + d->pos, n);
    if (!s) return nomem(d);
    out->str = s;
  }
  out->len = n;
  d->pos += n;
  return WK_OK;
}

/* Core 5.3.4 limits: 0x00 min | 0x01 min max; Core 3.0 5.3.7 (memory64):
 * 0x04 min | 0x05 min max with u64 bounds and address type i64. */
static int limits(dec *d, wk_core_limits *l) {
  uint8_t f = 0;
  size_t at = d->pos;
  TRY(byte(d, &f));
  /* The flag is read as a 1-bit LEB128 by the reference interpreter. */
  if (f & 0x80) return wk_error_at(d->err, WK_ERR_MALFORMED, at, "integer representation too long");
  int is64 = (f & 4) && (d->features & WK_FEAT_MEMORY64);
  /* the threads proposal's shared bit 0x02: read with any 3.0 feature on (as wasmparser reads it;
   * validation then rejects it), malformed for 2.0 (2.0 binary.wast: flag 0x02) */
  unsigned shared_bit = d->features ? 2 : 0;
  if ((f & ~(is64 ? 4 : 0) & ~shared_bit) > 1) return wk_error_at(d->err, WK_ERR_MALFORMED, at, "integer too large");
  l->has_max = f & 1;
  l->is64 = (uint8_t)is64;
  l->shared = (f & 2) != 0; /* threads proposal: validation rejects it; tables: tabletype rejects it */
  /* Core 3.0 binary/types.rst: limits are u64 for either address type (validation checks the
   * range); 2.0 (no memory64): u32 */
  unsigned bits = (d->features & WK_FEAT_MEMORY64) ? 64 : 32;
  TRY(uleb(d, bits, &l->min));
  if (f & 1) TRY(uleb(d, bits, &l->max));
  return WK_OK;
}

static int tabletype(dec *d, wk_core_tabletype *t) {
  TRY(reftype_ht(d, &t->reftype, &t->ht));
  size_t at = d->pos;
  TRY(limits(d, &t->lim));
  /* (the shared flag is for memories; wasmparser: malformed table limits flags) */
  if (t->lim.shared) return wk_error_at(d->err, WK_ERR_MALFORMED, at, "integer too large");
  return WK_OK;
}

/* Core 3.0 binary "Tag Types": tagtype ::= 0x00 x:typeidx */
static int tagtype(dec *d, uint32_t *type) {
  size_t at = d->pos;
  uint8_t attr = 0;
  TRY(byte(d, &attr));
  if (attr != 0) return wk_error_at(d->err, WK_ERR_MALFORMED, at, "malformed tag attribute");
  return u32(d, type);
}

static int globaltype(dec *d, wk_core_globaltype *g) {
  TRY(valtype_ht(d, &g->valtype, &g->ht));
  size_t at = d->pos;
  TRY(byte(d, &g->mut));
  if (g->mut > 1) return wk_error_at(d->err, WK_ERR_MALFORMED, at, "malformed mutability");
  return WK_OK;
}

/* An instruction only GC has (Core 3.0): an 0xFB opcode, ref.eq, or a GC heap type or shorthand in
 * a block type, select type or ref.null. */
static int gc_insn(const wk_insn *in) {
  if (in->op == WK_OP_REF_EQ || (in->op >> 8) == 0xfb) return 1;
  if (!((in->imm == WK_IMM_BLOCK && in->bt_kind == WK_BT_VAL) || in->imm == WK_IMM_SELECT_T || in->imm == WK_IMM_REFTYPE ||
        in->imm == WK_IMM_TRY_TABLE))
    return 0;
  if (in->imm == WK_IMM_TRY_TABLE && in->bt_kind != WK_BT_VAL) return 0;
  uint8_t c = in->valtype;
  if (wk_gc_ht_code(c)) return 1;
  return (c == WK_REF || c == WK_REFNULL) && !wk_ht_is_idx(in->ht) && wk_gc_ht_code((uint8_t)in->ht);
}

/* Scan instructions from d->pos to the `end` that closes depth 0 (Core 5.4.9
 * expr). Used for constant expressions and function bodies. `need_dc`: set
 * when memory.init / data.drop occur (Core 5.5.16: needs the data count). */
static int scan_expr(dec *d, size_t limit, int *uses_data_idx) {
  uint32_t depth = 0;
  const int no_typed = !(d->features & WK_FEAT_FUNCTION_REFERENCES);
  wk_insn in;
  for (;;) {
    size_t at = d->pos;
    if (at >= limit) return eof_err(d, at);
    int rc = wk_insn_read(d->p, limit, &d->pos, &in, d->err);
    if (rc) {
      if (wk_err_is_end(rc, d->err, limit)) return eof_err(d, d->err->offset);
      return rc;
    }
    /* 2.0 (Core 2.0 5.4.6): the memory of memory instructions is a 0x00 byte,
     * memarg flags < 2^6; multi-memory makes them a memory index. */
    if (in.mem_explicit && !(d->features & WK_FEAT_MULTI_MEMORY))
      return wk_error_at(d->err, WK_ERR_MALFORMED, at,
                         in.imm == WK_IMM_MEMARG || in.imm == WK_IMM_MEMARG_LANE ? "malformed memop flags"
                                                                                 : "zero byte expected");
    if (in.offset_wide && !(d->features & WK_FEAT_MEMORY64)) /* 2.0: the memarg offset is a u32 */
      return wk_error_at(d->err, WK_ERR_MALFORMED, at,
                         in.offset > UINT32_MAX ? "integer too large" : "integer representation too long");
    if (!(d->features & WK_FEAT_EXCEPTIONS)) { /* 2.0: no such opcodes, no exnref (Core 3.0 5.4.1, 5.3.4) */
      if (in.op == WK_OP_THROW || in.op == WK_OP_THROW_REF || in.op == WK_OP_TRY_TABLE)
        return wk_error_at(d->err, WK_ERR_MALFORMED, at, "illegal opcode %02x", in.op);
      if (in.imm == WK_IMM_BLOCK && in.bt_kind == WK_BT_VAL && in.valtype == WK_EXNREF)
        return wk_error_at(d->err, WK_ERR_MALFORMED, at + 1, "malformed value type");
      if (in.imm == WK_IMM_REFTYPE && in.valtype == WK_EXNREF)
        return wk_error_at(d->err, WK_ERR_MALFORMED, at + 1, "malformed reference type");
    }
    if (__builtin_expect(in.op <= 0x19, 1) && wk_legacy_eh_op(in.op)) { /* (try/delegate nest like block/end) */
      if (!(d->features & WK_FEAT_LEGACY_EXCEPTIONS)) return wk_error_at(d->err, WK_ERR_MALFORMED, at, "illegal opcode %02x", in.op);
      if (in.op == WK_OP_TRY) depth++;
      if (in.op == WK_OP_DELEGATE && depth) depth--; /* (at depth 0: invalid, the validator says so) */
    }
    if (!(d->features & WK_FEAT_GC) && __builtin_expect(gc_insn(&in), 0)) { /* Core 3.0 GC: malformed without it */
      if (in.op == WK_OP_REF_EQ || (in.op >> 8) == 0xfb)
        return wk_error_at(d->err, WK_ERR_MALFORMED, at,
                           in.op > 0xff ? "illegal opcode fb %u (%s: a GC instruction, requires the gc feature)"
                                        : "illegal opcode %02x (%s: a GC instruction, requires the gc feature)",
                           in.op & 0xff, wk_opi_text[in.opi]);
      return wk_error_at(d->err, WK_ERR_MALFORMED, at + 1,
                         in.imm == WK_IMM_REFTYPE ? "malformed reference type (a GC heap type: requires the gc feature)"
                                                  : "malformed value type (a GC reference type: requires the gc feature)");
    }
    if (!(d->features & WK_FEAT_EXCEPTIONS) && in.imm == WK_IMM_REFTYPE && in.valtype == WK_NULLEXNREF)
      return wk_error_at(d->err, WK_ERR_MALFORMED, at + 1, "malformed reference type");
    /* 2.0: no typed references (Core 3.0 5.3.3); (valtype is only meaningful for these kinds) */
    if (no_typed && __builtin_expect((uint8_t)(in.valtype - WK_REFNULL) < 2, 0)) {
      if (in.imm == WK_IMM_REFTYPE) return wk_error_at(d->err, WK_ERR_MALFORMED, at + 1, "malformed reference type");
      if ((in.imm == WK_IMM_BLOCK && in.bt_kind == WK_BT_VAL) || in.imm == WK_IMM_SELECT_T)
        return wk_error_at(d->err, WK_ERR_MALFORMED, at + 1, "malformed value type");
    }
    switch (in.op) {
    case WK_OP_BLOCK: case WK_OP_LOOP: case WK_OP_IF: case WK_OP_TRY_TABLE: depth++; break;
    case WK_OP_END:
      if (depth == 0) return WK_OK;
      depth--;
      break;
    case WK_OP_MEMORY_INIT: case WK_OP_DATA_DROP: case WK_OP_ARRAY_NEW_DATA: case WK_OP_ARRAY_INIT_DATA:
      if (uses_data_idx) *uses_data_idx = 1;
      break;
    default: break;
    }
  }
}

static int expr(dec *d, wk_core_expr *e) {
  size_t start = d->pos;
  TRY(scan_expr(d, d->end, NULL));
  e->bytes = d->p + start;
  e->len = (uint32_t)(d->pos - start);
  e->offset = (uint32_t)start;
  return WK_OK;
}

/* ---- sections ---- */

/* A heap type in function type t's side array (Core 3.0 typed references; encode.h wk_vt),
 * allocated on first use with room for all params and, when `in_params`, an upper bound on
 * the results (the rest of the section). */
static int set_ht(dec *d, wk_core_functype *t, uint32_t **hts, uint32_t k, uint32_t ht, int in_params) {
  if (!*hts) {
    size_t n = (size_t)t->nparams + (in_params ? d->end - d->pos : t->nresults);
    if (!(*hts = alloc(d, n, sizeof **hts))) return nomem(d);
    memset(*hts, 0, n * sizeof **hts);
  }
  (*hts)[k] = ht;
  return WK_OK;
}

/* Core 5.3.6 functype ::= 0x60 vec(valtype) vec(valtype), the 0x60 already read */
static int functype(dec *d, wk_core_functype *t) {
  uint8_t *ps, *rs;
  TRY(vec_len(d, &t->nparams));
  if (!(ps = alloc(d, t->nparams, 1))) return nomem(d);
  uint32_t ht, *hts = NULL;
  /* (a number or vector type, 0x7b..0x7f, is one byte with no heap type: read here rather than
   * by valtype_ht, whose answer for it is the same; most of a type section's bytes) */
  for (uint32_t k = 0; k < t->nparams; k++) {
    if (d->pos < d->end && d->p[d->pos] >= 0x7b && d->p[d->pos] <= 0x7f) {
      ps[k] = d->p[d->pos++];
      continue;
    }
    TRY(valtype_ht(d, &ps[k], &ht));
    if (ht || ps[k] == WK_REF || ps[k] == WK_REFNULL) TRY(set_ht(d, t, &hts, k, ht, 1));
  }
  TRY(vec_len(d, &t->nresults));
  if (!(rs = alloc(d, t->nresults, 1))) return nomem(d);
  for (uint32_t k = 0; k < t->nresults; k++) {
    if (d->pos < d->end && d->p[d->pos] >= 0x7b && d->p[d->pos] <= 0x7f) {
      rs[k] = d->p[d->pos++];
      continue;
    }
    TRY(valtype_ht(d, &rs[k], &ht));
    if (ht || rs[k] == WK_REF || rs[k] == WK_REFNULL) TRY(set_ht(d, t, &hts, t->nparams + k, ht, 0));
  }
  t->params = ps;
  t->results = rs;
  t->hts = hts;
  return WK_OK;
}

/* Core 3.0 binary/types.rst fieldtype ::= st:storagetype m:mut, storagetype ::= valtype | 0x78 i8 |
 * 0x77 i16 */
static int fieldtype(dec *d, wk_core_field *f) {
  if (d->pos < d->end && (d->p[d->pos] == WK_PACKED_I8 || d->p[d->pos] == WK_PACKED_I16)) {
    f->storage = d->p[d->pos++];
    f->ht = 0;
  } else TRY(valtype_ht(d, &f->storage, &f->ht));
  size_t at = d->pos;
  TRY(byte(d, &f->mut));
  if (f->mut > 1) return wk_error_at(d->err, WK_ERR_MALFORMED, at, "malformed mutability");
  return WK_OK;
}

/* Growable temporaries of sec_type (the type count is known only after the last rec group). */
enum { TYPES_STACK = 16 };
typedef struct types_tmp {
  wk_core_functype *t;
  wk_core_subtype *s;
  uint32_t *off; /* each type's file offset */
  uint32_t n, cap;
  uint32_t *empty;
  uint32_t nempty, capempty;
  /* the first TYPES_STACK entries: no allocation for a module's few types (t, s, off point here
   * until they grow) */
  wk_core_functype t_stack[TYPES_STACK];
  wk_core_subtype s_stack[TYPES_STACK];
  uint32_t off_stack[TYPES_STACK];
} types_tmp;

/* A growable array's storage, *p, made room for nc entries of `size`: the first growth out of
 * the caller's stack buffer `stack` copies it to the heap (sec_type: a module with up to
 * TYPES_STACK types makes no allocation for them). NULL on OOM (*p unchanged). */
static void *tmp_grow(void **p, const void *stack, uint32_t n, uint32_t nc, size_t size) {
  if (*p != stack) {
    void *q = wk_reallocarray(*p, nc, size);
    if (q) *p = q;
    return q;
  }
  void *q = wk_reallocarray(NULL, nc, size);
  if (!q) return NULL;
  if (n) memcpy(q, stack, (size_t)n * size);
  return *p = q;
}

static int tmp_push(dec *d, types_tmp *tt) {
  if (tt->n == tt->cap) {
    uint32_t nc = tt->cap ? tt->cap * 2 : 16;
    if (!tmp_grow((void **)&tt->t, tt->t_stack, tt->n, nc, sizeof *tt->t) ||
        !tmp_grow((void **)&tt->s, tt->s_stack, tt->n, nc, sizeof *tt->s) ||
        !tmp_grow((void **)&tt->off, tt->off_stack, tt->n, nc, sizeof *tt->off))
      return nomem(d);
    tt->cap = nc;
  }
  memset(&tt->t[tt->n], 0, sizeof *tt->t);
  memset(&tt->s[tt->n], 0, sizeof *tt->s);
  tt->n++;
  return WK_OK;
}

/* Core 3.0 binary/types.rst: subtype ::= 0x50 vec(typeidx) comptype | 0x4f vec(typeidx) comptype |
 * comptype; comptype ::= 0x5e arraytype | 0x5f structtype | 0x60 functype. Sets *gc when anything
 * but a bare function type was read. */
static int subtype(dec *d, wk_core_functype *t, wk_core_subtype *st, int *gc) {
  uint8_t form = 0;
  size_t at = d->pos;
  TRY(byte(d, &form));
  st->final = 1;
  st->super = WK_NO_SUPER;
  if (form == 0x50 || form == 0x4f) {
    *gc = 1;
    st->sub_form = form;
    st->final = form == 0x4f;
    TRY(vec_len(d, &st->nsupers));
    uint32_t *sv = st->nsupers ? alloc(d, st->nsupers, sizeof *sv) : NULL;
    if (st->nsupers && !sv) return nomem(d);
    for (uint32_t k = 0; k < st->nsupers; k++) TRY(u32(d, &sv[k]));
    st->supers = sv;
    if (st->nsupers) st->super = sv[0];
    at = d->pos;
    TRY(byte(d, &form));
  }
  switch (form) {
  case 0x60: st->kind = WK_COMP_FUNC; return functype(d, t);
  case 0x5f: { /* structtype ::= vec(fieldtype) */
    *gc = 1;
    st->kind = WK_COMP_STRUCT;
    TRY(vec_len(d, &st->nfields));
    wk_core_field *f = alloc(d, st->nfields, sizeof *f);
    if (!f) return nomem(d);
    for (uint32_t k = 0; k < st->nfields; k++) TRY(fieldtype(d, &f[k]));
    st->fields = f;
    return WK_OK;
  }
  case 0x5e: { /* arraytype ::= fieldtype */
    *gc = 1;
    st->kind = WK_COMP_ARRAY;
    st->nfields = 1;
    wk_core_field *f = alloc(d, 1, sizeof *f);
    if (!f) return nomem(d);
    TRY(fieldtype(d, f));
    st->fields = f;
    return WK_OK;
  }
  default: return wk_error_at(d->err, WK_ERR_MALFORMED, at, "malformed composite type");
  }
}

static int sec_type_gc(dec *d, types_tmp *tt) { /* Core 3.0 binary/types.rst, binary/modules.rst */
  uint32_t ngroups;
  int gc = 0;
  TRY(vec_len(d, &ngroups));
  for (uint32_t g = 0; g < ngroups; g++) {
    uint32_t n = 1;
    int explicit_rec = 0;
    if (d->pos < d->end && d->p[d->pos] == 0x4e) { /* rectype ::= 0x4e vec(subtype) | subtype */
      d->pos++;
      explicit_rec = gc = 1;
      TRY(vec_len(d, &n));
      if (n == 0) {
        if (tt->nempty == tt->capempty) {
          uint32_t nc = tt->capempty ? tt->capempty * 2 : 4;
          uint32_t *ne = wk_reallocarray(tt->empty, nc, sizeof *ne);
          if (!ne) return nomem(d);
          tt->empty = ne;
          tt->capempty = nc;
        }
        tt->empty[tt->nempty++] = tt->n;
      }
    }
    uint32_t start = tt->n;
    if (n > UINT32_MAX - start) return wk_error_at(d->err, WK_ERR_MALFORMED, d->pos, "too many types");
    for (uint32_t k = 0; k < n; k++) {
      TRY(tmp_push(d, tt));
      tt->off[tt->n - 1] = (uint32_t)d->pos;
      wk_core_subtype *st = &tt->s[tt->n - 1];
      TRY(subtype(d, &tt->t[tt->n - 1], st, &gc));
      st->rec_start = start;
      st->rec_size = n;
      st->rec_explicit = (uint8_t)explicit_rec;
    }
  }
  wk_core_module *m = d->m;
  m->ntypes = tt->n;
  if (!(m->types = alloc(d, tt->n, sizeof *m->types))) return nomem(d);
  if (tt->n) memcpy(m->types, tt->t, tt->n * sizeof *m->types);
  TRY(offs_init(d, &m->type_offs, tt->n));
  if (tt->n) memcpy(m->type_offs.at, tt->off, tt->n * sizeof *tt->off);
  if (gc) { /* only modules with rec/sub/struct/array get the side array (encode.h) */
    if (!(m->subtypes = alloc(d, tt->n, sizeof *m->subtypes))) return nomem(d);
    if (tt->n) memcpy(m->subtypes, tt->s, tt->n * sizeof *m->subtypes);
    if (tt->nempty) {
      if (!(m->empty_recs = alloc(d, tt->nempty, sizeof *m->empty_recs))) return nomem(d);
      memcpy(m->empty_recs, tt->empty, tt->nempty * sizeof *m->empty_recs);
      m->nempty_recs = tt->nempty;
    }
  }
  return WK_OK;
}

static int sec_type(dec *d) { /* Core 5.5.4 */
  wk_core_module *m = d->m;
  if (d->features & WK_FEAT_GC) {
    types_tmp tt;
    tt.t = tt.t_stack, tt.s = tt.s_stack, tt.off = tt.off_stack;
    tt.n = 0, tt.cap = TYPES_STACK;
    tt.empty = NULL, tt.nempty = tt.capempty = 0;
    int rc = sec_type_gc(d, &tt);
    if (tt.t != tt.t_stack) free(tt.t);
    if (tt.s != tt.s_stack) free(tt.s);
    if (tt.off != tt.off_stack) free(tt.off);
    free(tt.empty);
    return rc;
  }
  TRY(vec_len(d, &m->ntypes));
  if (!(m->types = alloc(d, m->ntypes, sizeof *m->types))) return nomem(d);
  TRY(offs_init(d, &m->type_offs, m->ntypes));
  for (uint32_t i = 0; i < m->ntypes; i++) {
    uint8_t form = 0;
    size_t at = d->pos;
    m->type_offs.at[i] = (uint32_t)at;
    TRY(byte(d, &form));
    if (form == 0x5f || form == 0x5e || form == 0x4e || form == 0x50 || form == 0x4f) /* Core 3.0 binary/types.rst */
      return wk_error_at(d->err, WK_ERR_MALFORMED, at,
                         "GC types (struct, array, sub, rec) require the gc feature (WebAssembly 3.0 GC)");
    if (form != 0x60) return wk_error_at(d->err, WK_ERR_MALFORMED, at, "integer representation too long");
    TRY(functype(d, &m->types[i]));
  }
  return WK_OK;
}

static int sec_import(dec *d) { /* Core 5.5.5 */
  wk_core_module *m = d->m;
  TRY(vec_len(d, &m->nimports));
  if (!(m->imports = alloc(d, m->nimports, sizeof *m->imports))) return nomem(d);
  for (uint32_t i = 0; i < m->nimports; i++) {
    wk_core_import *im = &m->imports[i];
    im->offset = (uint32_t)d->pos;
    TRY(name(d, &im->module));
    TRY(name(d, &im->name));
    size_t at = d->pos;
    TRY(byte(d, &im->kind));
    switch (im->kind) {
    case WK_EXTERN_FUNC: TRY(u32(d, &im->type_index)); break;
    case WK_EXTERN_TABLE: TRY(tabletype(d, &im->table)); break;
    case WK_EXTERN_MEMORY: TRY(limits(d, &im->mem)); break;
    case WK_EXTERN_GLOBAL: TRY(globaltype(d, &im->global)); break;
    case WK_EXTERN_TAG:
      if (d->features & WK_FEAT_EXCEPTIONS) { TRY(tagtype(d, &im->tag_type)); break; }
      /* fall through */
    default: return wk_error_at(d->err, WK_ERR_MALFORMED, at, "malformed import kind");
    }
  }
  return WK_OK;
}

static int sec_tag(dec *d) { /* Core 3.0 binary "Tag Section" (id 13): vec(tagtype) */
  wk_core_module *m = d->m;
  TRY(vec_len(d, &m->ntags));
  if (!(m->tags = alloc(d, m->ntags, sizeof *m->tags))) return nomem(d);
  TRY(offs_init(d, &m->tag_offs, m->ntags));
  for (uint32_t i = 0; i < m->ntags; i++) {
    m->tag_offs.at[i] = (uint32_t)d->pos;
    TRY(tagtype(d, &m->tags[i]));
  }
  return WK_OK;
}

static int sec_func(dec *d) { /* Core 5.5.6 */
  wk_core_module *m = d->m;
  TRY(vec_len(d, &m->nfuncs));
  if (!(m->funcs = alloc(d, m->nfuncs, sizeof *m->funcs))) return nomem(d);
  for (uint32_t i = 0; i < m->nfuncs; i++) TRY(u32(d, &m->funcs[i]));
  return WK_OK;
}

static int sec_table(dec *d) { /* Core 5.5.7 */
  wk_core_module *m = d->m;
  TRY(vec_len(d, &m->ntables));
  if (!(m->tables = alloc(d, m->ntables, sizeof *m->tables))) return nomem(d);
  TRY(offs_init(d, &m->table_offs, m->ntables));
  for (uint32_t i = 0; i < m->ntables; i++) {
    m->table_offs.at[i] = (uint32_t)d->pos;
    /* Core 3.0 5.5.7: table ::= tt | 0x40 0x00 tt e (typed function references) */
    if (d->pos < d->end && d->p[d->pos] == 0x40 && (d->features & WK_FEAT_FUNCTION_REFERENCES)) {
      size_t at = ++d->pos;
      uint8_t z = 0;
      TRY(byte(d, &z));
      if (z != 0) return wk_error_at(d->err, WK_ERR_MALFORMED, at, "malformed table");
      if (!m->table_inits) {
        if (!(m->table_inits = alloc(d, m->ntables, sizeof *m->table_inits))) return nomem(d);
        memset(m->table_inits, 0, m->ntables * sizeof *m->table_inits);
      }
      TRY(tabletype(d, &m->tables[i]));
      TRY(expr(d, &m->table_inits[i]));
    } else TRY(tabletype(d, &m->tables[i]));
  }
  return WK_OK;
}

static int sec_mem(dec *d) { /* Core 5.5.8 */
  wk_core_module *m = d->m;
  TRY(vec_len(d, &m->nmems));
  if (!(m->mems = alloc(d, m->nmems, sizeof *m->mems))) return nomem(d);
  TRY(offs_init(d, &m->mem_offs, m->nmems));
  for (uint32_t i = 0; i < m->nmems; i++) {
    m->mem_offs.at[i] = (uint32_t)d->pos;
    TRY(limits(d, &m->mems[i]));
  }
  return WK_OK;
}

static int sec_global(dec *d) { /* Core 5.5.9 */
  wk_core_module *m = d->m;
  TRY(vec_len(d, &m->nglobals));
  if (!(m->globals = alloc(d, m->nglobals, sizeof *m->globals))) return nomem(d);
  for (uint32_t i = 0; i < m->nglobals; i++) {
    TRY(globaltype(d, &m->globals[i].type));
    TRY(expr(d, &m->globals[i].init));
  }
  return WK_OK;
}

static int sec_export(dec *d) { /* Core 5.5.10 */
  wk_core_module *m = d->m;
  TRY(vec_len(d, &m->nexports));
  if (!(m->exports = alloc(d, m->nexports, sizeof *m->exports))) return nomem(d);
  for (uint32_t i = 0; i < m->nexports; i++) {
    wk_core_export *ex = &m->exports[i];
    ex->offset = (uint32_t)d->pos;
    TRY(name(d, &ex->name));
    size_t at = d->pos;
    TRY(byte(d, &ex->kind));
    if (ex->kind > WK_EXTERN_GLOBAL && !(ex->kind == WK_EXTERN_TAG && (d->features & WK_FEAT_EXCEPTIONS))) return wk_error_at(d->err, WK_ERR_MALFORMED, at, "malformed export kind");
    TRY(u32(d, &ex->index));
  }
  return WK_OK;
}

static int sec_start(dec *d) { /* Core 5.5.11 */
  d->m->has_start = 1;
  d->m->start_offset = (uint32_t)d->pos;
  return u32(d, &d->m->start);
}

static int sec_elem(dec *d) { /* Core 5.5.12 */
  wk_core_module *m = d->m;
  TRY(vec_len(d, &m->nelems));
  if (!(m->elems = alloc(d, m->nelems, sizeof *m->elems))) return nomem(d);
  TRY(offs_init(d, &m->elem_offs, m->nelems));
  for (uint32_t i = 0; i < m->nelems; i++) {
    wk_core_elem *e = &m->elems[i];
    uint32_t flags;
    size_t at = d->pos;
    m->elem_offs.at[i] = (uint32_t)at;
    TRY(u32(d, &flags));
    if (flags > 7) return wk_error_at(d->err, WK_ERR_MALFORMED, at, "malformed elements segment kind");
    /* bit 0: passive/declarative; bit 1: explicit table (active) or
     * declarative; bit 2: items are expressions. */
    e->mode = (flags & 1) ? ((flags & 2) ? WK_SEG_DECLARATIVE : WK_SEG_PASSIVE) : WK_SEG_ACTIVE;
    e->uses_exprs = (flags & 4) != 0;
    e->reftype = WK_FUNCREF;
    if (e->mode == WK_SEG_ACTIVE) {
      if (flags & 2) {
        e->explicit_table = 1;
        TRY(u32(d, &e->table));
      }
      TRY(expr(d, &e->offset));
    }
    if (flags & 3) { /* elemkind or reftype present */
      if (e->uses_exprs) TRY(reftype_ht(d, &e->reftype, &e->ht));
      else {
        uint8_t k = 0;
        size_t kat = d->pos;
        TRY(byte(d, &k));
        if (k != 0) return wk_error_at(d->err, WK_ERR_MALFORMED, kat, "malformed element kind");
      }
    }
    TRY(vec_len(d, &e->count));
    if (e->uses_exprs) {
      if (!(e->exprs = alloc(d, e->count, sizeof *e->exprs))) return nomem(d);
      for (uint32_t k = 0; k < e->count; k++) TRY(expr(d, &e->exprs[k]));
    } else {
      if (!(e->funcs = alloc(d, e->count, sizeof *e->funcs))) return nomem(d);
      for (uint32_t k = 0; k < e->count; k++) TRY(u32(d, &e->funcs[k]));
    }
  }
  return WK_OK;
}

static int sec_datacount(dec *d) { /* Core 5.5.15 */
  d->m->has_datacount = 1;
  return u32(d, &d->m->datacount);
}

static int sec_code(dec *d) { /* Core 5.5.13 */
  wk_core_module *m = d->m;
  size_t at = d->pos;
  TRY(vec_len(d, &m->ncodes));
  if (m->ncodes != m->nfuncs)
    return wk_error_at(d->err, WK_ERR_MALFORMED, at, "function and code section have inconsistent lengths");
  if (!(m->codes = alloc(d, m->ncodes, sizeof *m->codes))) return nomem(d);
  size_t sec_end = d->end;
  for (uint32_t i = 0; i < m->ncodes; i++) {
    wk_core_code *c = &m->codes[i];
    uint32_t size;
    TRY(u32(d, &size));
    if (size > sec_end - d->pos) return eof_err(d, d->pos);
    size_t fend = d->pos + size;
    d->end = fend;
    TRY(vec_len(d, &c->ngroups));
    if (!(c->groups = alloc(d, c->ngroups, sizeof *c->groups))) return nomem(d);
    uint64_t total = 0;
    for (uint32_t k = 0; k < c->ngroups; k++) {
      size_t gat = d->pos;
      TRY(u32(d, &c->groups[k].count));
      total += c->groups[k].count;
      if (total > UINT32_MAX) return wk_error_at(d->err, WK_ERR_MALFORMED, gat, "too many locals");
      TRY(valtype_ht(d, &c->groups[k].type, &c->groups[k].ht));
    }
    c->nlocals = total;
    size_t bstart = d->pos;
    int uses_data = 0;
    /* the caller's validation reads the body; wk_core_scan_bodies, on its error path */
    if (d->flags & WK_CORE_DECODE_LAZY_BODIES) d->pos = fend;
    else TRY(scan_expr(d, fend, &uses_data));
    if (d->pos != fend) return wk_error_at(d->err, WK_ERR_MALFORMED, d->pos, "section size mismatch");
    if (uses_data && !m->has_datacount && !d->data_use) d->data_use = bstart + 1;
    c->body = d->p + bstart;
    c->body_len = (uint32_t)(fend - bstart);
    c->body_offset = (uint32_t)bstart;
    d->end = sec_end;
  }
  return WK_OK;
}

static int sec_data(dec *d) { /* Core 5.5.14 */
  wk_core_module *m = d->m;
  size_t at = d->pos;
  TRY(vec_len(d, &m->ndatas));
  if (m->has_datacount && m->datacount != m->ndatas)
    return wk_error_at(d->err, WK_ERR_MALFORMED, at, "data count and data section have inconsistent lengths");
  if (!(m->datas = alloc(d, m->ndatas, sizeof *m->datas))) return nomem(d);
  for (uint32_t i = 0; i < m->ndatas; i++) {
    wk_core_data *s = &m->datas[i];
    uint32_t flags;
    size_t fat = d->pos;
    TRY(u32(d, &flags));
    if (flags > 2) return wk_error_at(d->err, WK_ERR_MALFORMED, fat, "malformed data segment kind");
    s->mode = flags == 1 ? WK_SEG_PASSIVE : WK_SEG_ACTIVE;
    if (flags == 2) {
      s->explicit_mem = 1;
      TRY(u32(d, &s->memory));
    }
    if (flags != 1) TRY(expr(d, &s->offset));
    TRY(u32(d, &s->len));
    if (s->len > d->end - d->pos) return eof_err(d, d->pos);
    s->bytes = d->p + d->pos;
    s->data_offset = (uint32_t)d->pos;
    d->pos += s->len;
  }
  return WK_OK;
}

/* Name section (Core 7.4 "Custom sections: name section"): only the
 * function-name map is kept; any malformation just drops it. */
int wk_core_parse_func_names(const uint8_t *p, size_t end, wk_arena *a, wk_core_funcname **out, uint32_t *nout) {
  wk_error scratch;
  size_t pos = 0;
  int last_id = -1;
  while (pos < end) {
    uint8_t id = p[pos++];
    uint64_t size = 0;
    if ((int)id <= last_id) return 0;
    last_id = id;
    if (wk_leb_u(p, end, &pos, 32, &size, NULL, &scratch) || size > end - pos) return 0;
    size_t send = pos + (size_t)size;
    if (id == 1) {
      uint64_t n = 0;
      if (wk_leb_u(p, send, &pos, 32, &n, NULL, &scratch) || n > send - pos) return 0;
      wk_core_funcname *fn = wk_arena_alloc(a, n ? n * sizeof *fn : 1);
      if (!fn) return 0;
      for (uint64_t k = 0; k < n; k++) {
        uint64_t idx = 0, nl = 0;
        if (wk_leb_u(p, send, &pos, 32, &idx, NULL, &scratch)) return 0;
        if (k && idx <= fn[k - 1].index) return 0; /* must be strictly increasing */
        if (wk_leb_u(p, send, &pos, 32, &nl, NULL, &scratch) || nl > send - pos) return 0;
        if (!wk_utf8_valid(p + pos, (size_t)nl)) return 0;
        char *str = wk_arena_strndup(a, (const char *)p + pos, (size_t)nl);
        if (!str) return 0;
        fn[k].index = (uint32_t)idx;
        fn[k].name.str = str;
        fn[k].name.len = (uint32_t)nl;
        pos += (size_t)nl;
      }
      if (pos != send) return 0;
      /* (later subsections are not read: a malformed one does not drop the map) */
      *out = fn;
      *nout = (uint32_t)n;
      return 1;
    }
    pos = send;
  }
  return 0;
}
static void parse_names(dec *d, wk_core_custom *c) {
  wk_core_funcname *fn;
  uint32_t n;
  if (wk_core_parse_func_names(c->content, c->len, &d->m->arena, &fn, &n)) {
    d->m->func_names = fn;
    d->m->nfunc_names = n;
  }
}

/* Section order (Core 5.5.2): custom sections anywhere, the others at most
 * once in this order; the data count section (12) sits between element (9)
 * and code (10). */
static int rank_of(uint8_t id) {
  /* the tag section (13, Core 3.0 5.5.16) comes between memory (5) and global (6) */
  static const uint8_t rank[14] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};
  return rank[id];
}

typedef struct customs_list {
  wk_core_custom *v;
  uint32_t n, cap;
} customs_list;

int wk_core_decode(const uint8_t *bytes, size_t len, wk_core_module **out, wk_error *err) {
  return wk_core_decode_ex(bytes, len, 0, out, err);
}

int wk_core_scan_bodies(const wk_core_module *m, wk_error *err) {
  size_t data_use = 0;
  for (uint32_t i = 0; i < m->ncodes; i++) {
    const wk_core_code *c = &m->codes[i];
    size_t fend = (size_t)c->body_offset + c->body_len;
    dec d = {.p = c->body - c->body_offset, .end = fend, .pos = c->body_offset, .m = (wk_core_module *)m, .err = err,
             .features = m->features};
    int uses_data = 0;
    TRY(scan_expr(&d, fend, &uses_data));
    if (d.pos != fend) return wk_error_at(err, WK_ERR_MALFORMED, d.pos, "section size mismatch");
    if (uses_data && !m->has_datacount && !data_use) data_use = c->body_offset + 1;
  }
  if (data_use && (m->sections_present >> 11 & 1)) /* as in wk_core_decode_ex */
    return wk_error_at(err, WK_ERR_MALFORMED, data_use - 1, "data count section required");
  return WK_OK;
}

static int decode_impl(const uint8_t *bytes, size_t len, unsigned flags, unsigned features, wk_core_module **out,
                       wk_error *err);
int wk_core_decode_ex(const uint8_t *bytes, size_t len, unsigned flags, wk_core_module **out, wk_error *err) {
  return decode_impl(bytes, len, flags, 0, out, err);
}
int wk_core_decode_features(const uint8_t *bytes, size_t len, unsigned features, wk_core_module **out,
                            wk_error *err) {
  return decode_impl(bytes, len, 0, features, out, err);
}
int wk_core_decode_features_ex(const uint8_t *bytes, size_t len, unsigned flags, unsigned features,
                               wk_core_module **out, wk_error *err) {
  return decode_impl(bytes, len, flags, features, out, err);
}

/* One decoder for both: `flags` WK_CORE_DECODE_*, `features` WK_FEAT_* (0 = WebAssembly 2.0). */
static int decode_impl(const uint8_t *bytes, size_t len, unsigned flags, unsigned features, wk_core_module **out,
                       wk_error *err) {
  *out = NULL;
  /* Core 5.5.16: magic + version */
  if (len < 4) return wk_error_at(err, WK_ERR_MALFORMED, len, "unexpected end");
  if (memcmp(bytes, "\0asm", 4)) return wk_error_at(err, WK_ERR_MALFORMED, 0, "magic header not detected");
  if (len < 8) return wk_error_at(err, WK_ERR_MALFORMED, len, "unexpected end");
  if (memcmp(bytes + 4, "\1\0\0\0", 4)) return wk_error_at(err, WK_ERR_MALFORMED, 4, "unknown binary version");
  /* The model keeps file offsets as u32. */
  if (len > UINT32_MAX) return wk_error_set(err, WK_ERR_UNSUPPORTED, "module larger than 4 GiB");

  wk_core_module *m = wk_core_new();
  if (!m) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  dec d = {.p = bytes, .end = len, .pos = 8, .m = m, .err = err, .flags = flags, .features = features};
  m->features = features;
  customs_list cl = {0};
  int last_rank = 0;
  uint8_t last_id = 0;
  int rc = WK_OK;
  while (d.pos < len) {
    size_t sec_at = d.pos;
    uint8_t id = bytes[d.pos++];
    if (id > 12 && !(id == 13 && (features & WK_FEAT_EXCEPTIONS))) { rc = wk_error_at(err, WK_ERR_MALFORMED, sec_at, "malformed section id"); goto fail; }
    uint32_t size;
    d.end = len;
    if ((rc = u32(&d, &size))) goto fail;
    if (size > len - d.pos) {
      rc = wk_error_at(err, WK_ERR_MALFORMED, d.pos, "length out of bounds: section size past the end");
      goto fail;
    }
    d.end = d.pos + size;
    if (id != 0) {
      int r = rank_of(id);
      if (r <= last_rank) {
        rc = wk_error_at(err, WK_ERR_MALFORMED, sec_at, "unexpected content after last section");
        goto fail;
      }
      last_rank = r;
      last_id = id;
      m->sections_present |= 1u << id;
    }
    switch (id) {
    case 0: { /* Core 5.5.3 custom section */
      if (cl.n == cl.cap) {
        uint32_t nc = cl.cap ? cl.cap * 2 : 4;
        wk_core_custom *nv = wk_reallocarray(cl.v, nc, sizeof *nv);
        if (!nv) { rc = nomem(&d); goto fail; }
        cl.v = nv;
        cl.cap = nc;
      }
      wk_core_custom *c = &cl.v[cl.n++];
      memset(c, 0, sizeof *c);
      if ((rc = name(&d, &c->name))) goto fail;
      c->content = bytes + d.pos;
      c->len = (uint32_t)(d.end - d.pos);
      c->offset = (uint32_t)d.pos;
      c->place = last_id;
      d.pos = d.end;
      if (c->name.len == 4 && memcmp(c->name.str, "name", 4) == 0 && !m->func_names &&
          !(flags & WK_CORE_DECODE_LAZY_NAMES))
        parse_names(&d, c);
      break;
    }
    case 1: rc = sec_type(&d); break;
    case 2: rc = sec_import(&d); if (!rc) rc = wk_core_reindex(m) ? nomem(&d) : 0; break;
    case 3: rc = sec_func(&d); break;
    case 4: rc = sec_table(&d); break;
    case 5: rc = sec_mem(&d); break;
    case 6: rc = sec_global(&d); break;
    case 7: rc = sec_export(&d); break;
    case 8: rc = sec_start(&d); break;
    case 9: rc = sec_elem(&d); break;
    case 10: rc = sec_code(&d); break;
    case 11: rc = sec_data(&d); break;
    case 12: rc = sec_datacount(&d); break;
    case 13: rc = sec_tag(&d); break;
    }
    if (rc) goto fail;
    if (d.pos != d.end) {
      rc = wk_error_at(err, WK_ERR_MALFORMED, d.pos, "section size mismatch");
      goto fail;
    }
  }
  /* Core 5.5.16: funcs and codes must pair up even if a section is absent. */
  if (m->nfuncs != m->ncodes) {
    rc = wk_error_at(err, WK_ERR_MALFORMED, len, "function and code section have inconsistent lengths");
    goto fail;
  }
  /* Core 5.5.16: memory.init / data.drop need the data count section. As
   * the reference interpreter's tests have it, this is enforced when a data
   * section exists; without one the index is simply out of range, which
   * validation reports ("unknown data segment"; wast2json omits the data
   * count section for modules without data). */
  if (d.data_use && (m->sections_present >> 11 & 1)) {
    rc = wk_error_at(err, WK_ERR_MALFORMED, d.data_use - 1, "data count section required");
    goto fail;
  }
  if (m->has_datacount && m->datacount != m->ndatas) {
    rc = wk_error_at(err, WK_ERR_MALFORMED, len, "data count and data section have inconsistent lengths");
    goto fail;
  }
  if (cl.n) {
    if (!(m->customs = alloc(&d, cl.n, sizeof *m->customs))) { rc = nomem(&d); goto fail; }
    memcpy(m->customs, cl.v, cl.n * sizeof *cl.v);
    m->ncustoms = cl.n;
  }
  if (d.npads) {
    if (!(m->pads = alloc(&d, d.npads, sizeof *m->pads))) { rc = nomem(&d); goto fail; }
    memcpy(m->pads, d.pads, d.npads * sizeof *d.pads);
    m->npads = d.npads;
  }
  m->nlebs = d.nlebs;
  free(cl.v);
  free(d.pads);
  *out = m;
  return WK_OK;
fail:
  free(cl.v);
  free(d.pads);
  wk_core_free(m);
  return rc;
}
