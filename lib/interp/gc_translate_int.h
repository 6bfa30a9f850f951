/*
 * Translation of the WebAssembly 3.0 GC instructions (Core 3.0 3.3.4-3.3.6 / 4.4.6-4.4.7:
 * struct.*, array.*, ref.test, ref.cast, br_on_cast(_fail), ref.i31, i31.get_*,
 * any.convert_extern, extern.convert_any, ref.eq). Included by module.c inside its translator
 * (uses its dec, pop, push, materialize, br_if_k, E*); not a public header.
 *
 * Each becomes one IOP_GC (internal.h): GC sub d a imm1 imm2 live, its operands materialized
 * into consecutive home slots from a (as call arguments: a v128 takes two), its result written
 * at d (the first operand's home, or the next free one). imm1 is a module type index, imm2 a
 * field / count / segment index; for ref.test / ref.cast imm1 is the heap type (WK_HT_* or a type
 * index), imm2 its nullability. live = the frame's live slots (locals + operand height before the
 * instruction): the collector scans the frame up to there (gc.h). ref.eq is I64_EQ (references
 * of eq are equal exactly when their slots are); br_on_cast(_fail) is a ref.test into a scratch
 * slot above the stack and a BR_NZ / BR_Z to the label, the reference staying on the stack. The
 * immediates are lib/encode's (wk_insn: idx0, idx1, count, ht, ht2, cast_flags), the operand
 * types the module's (m->gctypes, kept for lazy translation).
 */

/* slots of a struct field / array element of module type t (a v128 takes two) */
static uint32_t gc_fslots(dec *x, uint32_t t, uint32_t k) {
  const wk_gc_deftype *d = &x->m->gctypes[t];
  return k < d->nfields && wk_vt_code(d->vts[k]) == WK_V128 ? 2 : 1;
}
/* the top n operand entries into consecutive home slots (popped); their first slot */
static uint32_t gc_args(dec *x, uint32_t n) {
  uint32_t h0 = x->h;
  for (uint32_t i = n; i-- > 0;) pop(x);
  uint32_t start = x->h;
  x->h = h0;
  while (x->h - start < n) push(x, K_SLOT, 0, 0); /* (unreachable code: placeholders, as call_args) */
  for (uint32_t i = 0; i < n; i++) materialize(x, start + i);
  x->h = start;
  return home(x, start);
}
static void gc_emit(dec *x, uint32_t sub, uint32_t d, uint32_t a, uint32_t imm1, uint32_t imm2, uint32_t live) {
  uint32_t at = E5(IOP_GC, sub, d, a, imm1, imm2);
  if (at != NONE) *reserve(x, 1) = live;
}
/* n operand entries -> sub -> nres result entries (1 or 2 slots, 0 for none) */
static void gc_op(dec *x, uint32_t sub, uint32_t n, uint32_t imm1, uint32_t imm2, uint32_t nres) {
  uint32_t live = x->nlocals + x->h;
  uint32_t a = gc_args(x, n), d = home(x, x->h);
  for (uint32_t i = 0; i < nres; i++) push_slot(x);
  gc_emit(x, sub, d, a, imm1, imm2, live);
  soft_barrier(x);
}

__attribute__((noinline, cold)) static void gc_insn(dec *x, const wk_insn *in) {
  uint32_t t = in->idx0, f = in->idx1;
  switch (in->op) {
  case WK_OP_REF_EQ: {
    ent b = pop(x), a = pop(x);
    uint32_t sa = slot_of(x, a, x->h), sb = slot_of(x, b, x->h + 1), d = push_slot(x);
    E3(IOP_I64_EQ, d, sa, sb);
    break;
  }
  case WK_OP_STRUCT_NEW: {
    uint32_t n = 0;
    for (uint32_t k = 0; k < x->m->gctypes[t].nfields; k++) n += gc_fslots(x, t, k);
    gc_op(x, GS_NEW, n, t, 0, 1);
    break;
  }
  case WK_OP_STRUCT_NEW_DEFAULT: gc_op(x, GS_NEW_DEFAULT, 0, t, 0, 1); break;
  case WK_OP_STRUCT_GET: gc_op(x, GS_GET, 1, t, f, gc_fslots(x, t, f)); break;
  case WK_OP_STRUCT_GET_S: gc_op(x, GS_GET_S, 1, t, f, 1); break;
  case WK_OP_STRUCT_GET_U: gc_op(x, GS_GET_U, 1, t, f, 1); break;
  case WK_OP_STRUCT_SET: gc_op(x, GS_SET, 1 + gc_fslots(x, t, f), t, f, 0); break;
  case WK_OP_ARRAY_NEW: gc_op(x, GA_NEW, gc_fslots(x, t, 0) + 1, t, 0, 1); break;
  case WK_OP_ARRAY_NEW_DEFAULT: gc_op(x, GA_NEW_DEFAULT, 1, t, 0, 1); break;
  case WK_OP_ARRAY_NEW_FIXED: gc_op(x, GA_NEW_FIXED, in->count * gc_fslots(x, t, 0), t, in->count, 1); break;
  case WK_OP_ARRAY_NEW_DATA: gc_op(x, GA_NEW_DATA, 2, t, f, 1); break;
  case WK_OP_ARRAY_NEW_ELEM: gc_op(x, GA_NEW_ELEM, 2, t, f, 1); break;
  case WK_OP_ARRAY_GET: gc_op(x, GA_GET, 2, t, 0, gc_fslots(x, t, 0)); break;
  case WK_OP_ARRAY_GET_S: gc_op(x, GA_GET_S, 2, t, 0, 1); break;
  case WK_OP_ARRAY_GET_U: gc_op(x, GA_GET_U, 2, t, 0, 1); break;
  case WK_OP_ARRAY_SET: gc_op(x, GA_SET, 2 + gc_fslots(x, t, 0), t, 0, 0); break;
  case WK_OP_ARRAY_LEN: gc_op(x, GA_LEN, 1, 0, 0, 1); break;
  case WK_OP_ARRAY_FILL: gc_op(x, GA_FILL, 3 + gc_fslots(x, t, 0), t, 0, 0); break;
  case WK_OP_ARRAY_COPY: gc_op(x, GA_COPY, 5, t, f, 0); break;
  case WK_OP_ARRAY_INIT_DATA: gc_op(x, GA_INIT_DATA, 4, t, f, 0); break;
  case WK_OP_ARRAY_INIT_ELEM: gc_op(x, GA_INIT_ELEM, 4, t, f, 0); break;
  case WK_OP_REF_I31: gc_op(x, G_I31, 1, 0, 0, 1); break;
  case WK_OP_I31_GET_S: gc_op(x, G_I31_GET_S, 1, 0, 0, 1); break;
  case WK_OP_I31_GET_U: gc_op(x, G_I31_GET_U, 1, 0, 0, 1); break;
  case WK_OP_ANY_CONVERT_EXTERN: gc_op(x, G_ANY_CONV, 1, 0, 0, 1); break;
  case WK_OP_EXTERN_CONVERT_ANY: gc_op(x, G_EXTERN_CONV, 1, 0, 0, 1); break;
  case WK_OP_REF_TEST: case WK_OP_REF_TEST_NULL: case WK_OP_REF_CAST: case WK_OP_REF_CAST_NULL: {
    uint32_t ht = wk_vt_heap(wk_vt_make(in->valtype, in->ht));
    int nul = in->op == WK_OP_REF_TEST_NULL || in->op == WK_OP_REF_CAST_NULL;
    gc_op(x, in->op == WK_OP_REF_TEST || in->op == WK_OP_REF_TEST_NULL ? G_TEST : G_CAST, 1, ht, (uint32_t)nul, 1);
    break;
  }
  case WK_OP_BR_ON_CAST: case WK_OP_BR_ON_CAST_FAIL: { /* the test of rt2, then br_if on it */
    ent r = pop(x);
    uint32_t sr = x->dead ? 0 : slot_of(x, r, x->h);
    push(x, r.kind, r.local, r.c);
    uint32_t tmp = push_slot(x); /* (a scratch slot above the stack: frame room) */
    x->h--;
    gc_emit(x, G_TEST, tmp, sr, in->ht2, (in->cast_flags >> 1) & 1, x->nlocals + x->h);
    cond k = {NONE, 0, in->op == WK_OP_BR_ON_CAST ? IOP_BR_NZ : IOP_BR_Z, tmp, 0, 0};
    br_if_k(x, in->idx0, k);
    soft_barrier(x);
    break;
  }
  default: fail(x, WK_ERR_UNSUPPORTED, x->cur_ipos, "instruction %s not supported", wk_opi_text[in->opi]);
  }
}

/* m->gctypes from the decoded module's GC types (lib/encode wk_core_subtype; NULL without
 * them): what the runtime canonicalises (gc_types.c) and the translator reads, in the arena */
__attribute__((noinline)) static void gc_build_types(dec *x, const wk_core_module *cm) {
  wk_module *m = x->m;
  if (!cm->subtypes) return;
  m->gctypes = xalloc(x, m->ntypes ? m->ntypes : 1, sizeof *m->gctypes);
  for (uint32_t i = 0; i < m->ntypes; i++) {
    const wk_core_subtype *st = &cm->subtypes[i];
    wk_gc_deftype *d = &m->gctypes[i];
    memset(d, 0, sizeof *d);
    d->kind = st->kind == WK_COMP_STRUCT ? RTT_STRUCT : st->kind == WK_COMP_ARRAY ? RTT_ARRAY : RTT_FUNC;
    d->final = st->final;
    d->super = st->super == WK_NO_SUPER ? UINT32_MAX : st->super;
    d->g0 = st->rec_start, d->gn = st->rec_size;
    wk_vt *vts;
    uint8_t *mut;
    if (d->kind == RTT_FUNC) {
      const wk_core_functype *ft = &cm->types[i];
      d->nfields = ft->nparams + ft->nresults;
      d->nparams = ft->nparams;
      vts = xalloc(x, d->nfields + 1, sizeof *vts);
      mut = NULL;
      for (uint32_t k = 0; k < d->nfields; k++) vts[k] = wk_functype_vt(ft, k);
    } else {
      d->nfields = st->nfields;
      vts = xalloc(x, d->nfields + 1, sizeof *vts);
      mut = xalloc(x, d->nfields + 1, 1);
      for (uint32_t k = 0; k < d->nfields; k++) {
        vts[k] = wk_field_vt(&st->fields[k]);
        mut[k] = st->fields[k].mut;
      }
    }
    d->vts = vts;
    d->mut = mut;
  }
}

/* With GC, a reference's family (wk_vt_family: what slots, wk_value.type, tables and globals
 * carry) is the top of its hierarchy (Core 3.0 3.2): wk_vt_family knows the abstract heap types;
 * for a module with GC types (m->gctypes) this makes (ref null? $t) of a struct or array type an
 * anyref too, and notes element segments whose items may allocate (m->gc_elems). */
static uint8_t gc_family(const wk_module *m, uint8_t fam, wk_vt full) {
  fam = wk_gc_top_code(fam);
  if (fam == WK_FUNCREF && full && m->gctypes && wk_vt_is_ref(full) && wk_ht_is_idx(wk_vt_heap(full)) &&
      wk_vt_heap(full) < m->ntypes && m->gctypes[wk_vt_heap(full)].kind != RTT_FUNC)
    return 0x6e;
  return fam;
}
__attribute__((noinline)) static void gc_fix_families(dec *x) {
  wk_module *m = x->m;
  for (uint32_t i = 0; i < m->ntypes; i++) {
    wk_core_functype *t = &m->types[i];
    uint8_t *p = (uint8_t *)t->params;
    for (uint32_t k = 0; k < t->nparams + t->nresults; k++) p[k] = gc_family(m, p[k], t->hts ? t->hts[k] : 0);
  }
  for (uint32_t i = 0; i < m->nimports; i++)
    if (m->imports[i].kind == WK_EXTERN_TABLE || m->imports[i].kind == WK_EXTERN_GLOBAL)
      m->imports[i].vtype = gc_family(m, m->imports[i].vtype, m->imports[i].vfull);
  for (uint32_t i = 0; i < m->ntables; i++) m->tables[i].et = gc_family(m, m->tables[i].et, m->tables[i].vfull);
  for (uint32_t i = 0; i < m->nglobals; i++) m->globals[i].type = gc_family(m, m->globals[i].type, m->globals[i].vfull);
  for (uint32_t i = 0; i < m->nelems; i++) {
    m->elems[i].et = gc_family(m, m->elems[i].et, 0);
    for (uint32_t k = 0; k < m->elems[i].n && !m->gc_elems; k++) m->gc_elems = m->elems[i].items[k].op == WK_CEXPR_EXT;
  }
}
