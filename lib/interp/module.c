/*
 * Module loading for lib/interp: decode the binary (Core spec 5), check it
 * (Core spec 3), and translate function bodies into register-style internal
 * code (see internal.h for the code format): every body in the same pass as
 * its validation (eager), or every body validated now and each translated on
 * its first call (lazy, the default: wk_func_translate).
 *
 * Translation model. Locals occupy frame slots [0, nlocals); the operand
 * stack position p has the "home" slot nlocals + p. The translator keeps a
 * compile-time operand stack whose entries say where a value lives now: in its
 * home slot (K_SLOT), in a local's slot (K_LOCAL: local.get costs no code,
 * instructions read the local directly; a later local.set of that local first
 * copies it out: copy-on-write), or as a constant not yet materialized
 * (K_CONST: folded into *_I immediate forms where one exists). At control-flow
 * joins every value is materialized in its home slot. Calls place arguments
 * in consecutive home slots, which become the callee's first locals (frames
 * overlap, no argument copying). A v128 takes two adjacent slots and two
 * operand-stack entries (simd.h); locals, block and function types are seen
 * in slots (lslot, xtype), so control flow and calls move v128s as pairs.
 *
 * One table, one reader, one validator: every instruction is decoded by lib/encode's reader
 * (wk_insn_read: named immediates) and checked by lib/encode's validator (wk_funcval_op, Core
 * spec 3.3) before it is translated, so the translator checks nothing; what it emits for each
 * comes from WK_OPCODES' IOP column (the internal instruction) and SIG column (operand types).
 * Its compile-time stack keeps only what slot allocation needs (where each value lives, and its
 * type so that a v128's two halves move together).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "interp/internal.h"

const uint8_t wk_iop_words[IOP__COUNT] = {
#define WK_X(n, w) w,
    WK_IOPS(WK_X)
#undef WK_X
};
#define WK_P(a, b) [IOP_##a##__##b] = IOP_##a,
#define WK_T(X, a, b, c, w) [IOP_##a##__##b##__##c] = IOP_##a,
const uint16_t wk_iop_pair_first[IOP__COUNT] = {WK_PAIRS(WK_P) WK_TRIPLES(WK_T, )};
#undef WK_T
#undef WK_P
const char *const wk_iop_names[IOP__COUNT] = {
#define WK_X(n, w) #n,
    WK_IOPS(WK_X)
#undef WK_X
};

#define NONE UINT32_MAX
#define T_ANY 0 /* polymorphic stack: unknown type (Core spec 3.3.5 "unreachable") */

enum { K_SLOT, K_LOCAL, K_CONST };
typedef struct ent { /* (no type: lib/encode's validator has the operand types, operand_v128) */
  uint8_t kind;
  uint32_t local;
  uint64_t c;
} ent;

enum { C_BLOCK, C_LOOP, C_IF, C_ELSE, C_FUNC };
typedef struct ctl {
  uint8_t kind, unreachable, entry_live, has_br;
  uint32_t np, nr;
  const uint8_t *pt, *rt;
  uint32_t height;
  uint32_t loop_pc;
  uint32_t else_patch;
  uint32_t patch; /* head of the patch list threaded through target words */
  /* one-result blocks: the dest words of the last writes of the result on every incoming
   * edge, so that `end; local.set L` can retarget them to L (no copy at the join) */
  uint8_t nsites, sites_ok;
  uint32_t sites[4];
  uint32_t try_start, catch_pc, ncatch; /* a try_table (try_table_insn): its range starts at try_start */
  uint8_t is_try; /* 1 try_table, 2 legacy try (legacy_eh_insn) */
  uint8_t eh_part;         /* legacy try: 0 in its body, 1 in a catch body */
  uint32_t do_end;         /* legacy try: its body's end */
  uint32_t dpend1, dtail1; /* delegates waiting for this construct's first handler: x->hs index + 1
                              of the chain's head and tail (0: none; eh_resolve) */
  uint32_t eh_near1;       /* eh_target's answer for a construct that does not handle, + 1 (0: not
                              known yet; it stays valid while the construct is open) */
} ctl;

typedef struct dec {
  wk_error *err;
  jmp_buf jb;
  wk_module *m;
  int fuel;
  /* translation */
  uint32_t *code;
  size_t ncode, capcode;
  uint32_t *srcmap;
  size_t nsrc, capsrc;
  ent *st;
  uint32_t h, caph, maxh;
  ctl *cs;
  uint32_t nc, capc;
  uint8_t *ltypes;
  size_t capltypes; /* (ltypes is kept between functions: grown, not allocated per function) */
  uint32_t nlocals;
  int dead;
  uint32_t fuel_pos;
  uint32_t last_dest; /* word index of the dest operand of the last instruction, or NONE */
  uint32_t ld_const;  /* last_dest as it was before the i32.const just pushed (no code since), or NONE */
  uint32_t cmp_pos;   /* start of the last instruction if it is a fusable compare, or NONE */
  uint32_t copy_pos;  /* start of the last instruction if it is a COPY, or NONE */
  uint32_t last_start, prev_start; /* starts of the last two instructions (NONE after a label) */
  const wk_core_functype *ft;
  int has_datacount;
  wk_funcval *fv;
  int eager; /* translate every body now (else validate them: lazy_keep, wk_func_translate) */
  const wk_core_module *cm; /* wk_translate_module's decoded module */
  int opnd_v128; /* the drop / untyped select being translated takes a v128 (operand_v128) */
  uint32_t *v128_at; /* validate_body: offsets of such drops and selects (lazy_keep keeps them) */
  size_t nv128_at, capv128_at;
  int data_section; /* the module has a data section (Core 5.5.16 data count rule) */
  uint32_t cur_ipos; /* byte offset of the instruction being translated */
  int join_valid;     /* the previous instruction was the `end` of a block whose sites are in join */
  uint32_t join_slot, join_n, join_sites[4];
  /* SIMD (simd.h): a v128 takes two slots, so wasm local i lives at slot lslot[i] (NULL when
   * the function has no v128 local: slot = index), and the translator sees every function
   * and block type with v128 expanded to (WK_V128, WK_V128_HI) (xt: per type index, lazily) */
  const wk_insn *in; /* the instruction being translated (its immediates, decoded) */
  int xmem; /* multi-memory / memory64 enabled (cfg.features): xmem_insn, xtable_insn first */
  uint32_t *lslot;
  uint32_t vxor_pos; /* simd_translate_int.h simd_note_shift: a v128.xor just before a shift, or NONE */
  const wk_core_functype **xt;
  wk_handler *hs; /* try_tables closed so far (exception handling), inner ones first */
  size_t nhs, caphs;
} dec;

static const uint8_t vt_i32[1] = {WK_I32}, vt_i64[1] = {WK_I64}, vt_f32[1] = {WK_F32},
                     vt_f64[1] = {WK_F64}, vt_fr[1] = {WK_FUNCREF}, vt_er[1] = {WK_EXTERNREF}, vt_exn[1] = {WK_EXNREF},
                     vt_v128[2] = {WK_V128, WK_V128_HI}, vt_ref[1] = {WK_REF}, vt_refnull[1] = {WK_REFNULL};

__attribute__((noreturn, format(printf, 4, 5))) static void fail(dec *x, int code, size_t off,
                                                                  const char *fmt, ...) {
  if (x->err) {
    va_list ap;
    va_start(ap, fmt);
    x->err->code = code;
    x->err->has_offset = 1;
    x->err->offset = off;
    x->err->line = x->err->col = 0;
    vsnprintf(x->err->msg, sizeof x->err->msg, fmt, ap);
    va_end(ap);
  }
  longjmp(x->jb, 1);
}

static void *xalloc(dec *x, size_t n, size_t size) {
  if (n && size > SIZE_MAX / n) fail(x, WK_ERR_NOMEM, x->cur_ipos, "out of memory");
  void *p = wk_arena_alloc(&x->m->arena, n * size);
  if (!p) fail(x, WK_ERR_NOMEM, x->cur_ipos, "out of memory");
  return p;
}
/* A copy of n bytes in the module's arena, not cleared first (every byte is written): for the
 * kept code bytes and data segments, where clearing cost as much as the copy. */
static void *xdup(dec *x, const void *src, size_t n) {
  void *p = wk_arena_alloc_uninit(&x->m->arena, n);
  if (!p) fail(x, WK_ERR_NOMEM, x->cur_ipos, "out of memory");
  if (n) memcpy(p, src, n);
  return p;
}
static void *xgrow(dec *x, void *p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return p;
  size_t nc = *cap ? *cap * 2 : 64;
  while (nc < need) nc *= 2;
  void *q = wk_reallocarray(p, nc, size);
  if (!q) fail(x, WK_ERR_NOMEM, x->cur_ipos, "out of memory");
  *cap = nc;
  return q;
}

/* ======================= translation ======================= */

static uint32_t here(dec *x) { return (uint32_t)x->ncode; }
static uint32_t *reserve(dec *x, size_t n) {
  x->code = xgrow(x, x->code, &x->capcode, x->ncode + n, sizeof *x->code);
  uint32_t *p = x->code + x->ncode;
  x->ncode += n;
  return p;
}
/* emit an instruction; returns its start or NONE in dead code */
static uint32_t emit(dec *x, uint32_t op, int n, uint32_t a, uint32_t b, uint32_t c, uint32_t d,
                     uint32_t e) {
  x->last_dest = NONE;
  x->ld_const = NONE;
  x->cmp_pos = NONE;
  if (x->dead) return NONE;
  if (op == IOP_COPY && x->copy_pos != NONE && x->copy_pos + 3 == x->ncode) {
    /* two copies in a row become one COPY2 (superinstruction) */
    uint32_t at = x->copy_pos;
    reserve(x, 2);
    x->code[at] = IOP_COPY2;
    x->code[at + 3] = a;
    x->code[at + 4] = b;
    x->copy_pos = NONE;
    return at;
  }
  x->copy_pos = op == IOP_COPY ? here(x) : NONE;
  uint32_t at = here(x);
  x->prev_start = x->last_start;
  x->last_start = at;
  uint32_t *p = reserve(x, (size_t)n + 1);
  p[0] = op;
  uint32_t v[5] = {a, b, c, d, e};
  for (int i = 0; i < n; i++) p[i + 1] = v[i];
  return at;
}
#define E0(op) emit(x, op, 0, 0, 0, 0, 0, 0)
#define E1(op, a) emit(x, op, 1, a, 0, 0, 0, 0)
#define E2(op, a, b) emit(x, op, 2, a, b, 0, 0, 0)
#define E3(op, a, b, c) emit(x, op, 3, a, b, c, 0, 0)
#define E4(op, a, b, c, d) emit(x, op, 4, a, b, c, d, 0)
#define E5(op, a, b, c, d, e) emit(x, op, 5, a, b, c, d, e)

/* drop the code from `pos` on (an instruction being fused into the next one) and map `pos` to
 * the wasm instruction being translated */
static void truncate_to(dec *x, uint32_t pos) {
  x->ncode = pos;
  while (x->nsrc >= 2 && x->srcmap[x->nsrc - 2] >= pos) x->nsrc -= 2;
  x->srcmap = xgrow(x, x->srcmap, &x->capsrc, x->nsrc + 2, sizeof *x->srcmap);
  x->srcmap[x->nsrc++] = pos;
  x->srcmap[x->nsrc++] = x->cur_ipos;
  x->last_dest = NONE, x->cmp_pos = NONE, x->copy_pos = NONE, x->ld_const = NONE;
  x->last_start = x->prev_start = NONE;
}
/* the operand stack changed without code: the last instruction's result is no longer on top,
 * but straight-line code continues (adjacent copies may still merge) */
static void soft_barrier(dec *x) { x->last_dest = NONE, x->cmp_pos = NONE, x->ld_const = NONE; }
/* a label may be placed here: nothing before it may be changed or merged */
static void barrier(dec *x) {
  x->last_dest = NONE, x->cmp_pos = NONE, x->copy_pos = NONE, x->ld_const = NONE;
  x->last_start = x->prev_start = NONE;
}
static void new_block(dec *x) { /* a new basic block starts: new fuel charge site */
  barrier(x);
  if (x->fuel && !x->dead) x->fuel_pos = E1(IOP_FUEL, 0);
}

static uint32_t home(dec *x, uint32_t p) { return x->nlocals + p; }
/* (operands carry no type: see ent) */
static void push(dec *x, uint8_t kind, uint32_t local, uint64_t c) {
  if (x->h >= x->caph) {
    size_t cap = x->caph;
    x->st = xgrow(x, x->st, &cap, (size_t)x->h + 1, sizeof *x->st);
    x->caph = (uint32_t)cap;
  }
  if (x->h >= 1000000) fail(x, WK_ERR_UNSUPPORTED, x->cur_ipos, "operand stack too deep");
  x->st[x->h++] = (ent){kind, local, c};
  if (x->h > x->maxh) x->maxh = x->h;
}
static uint32_t push_slot(dec *x) {
  push(x, K_SLOT, 0, 0);
  return home(x, x->h - 1);
}
static ctl *top_ctl(dec *x) { return &x->cs[x->nc - 1]; }

/* pop an operand (validated: below the frame's height only in unreachable code, Core spec 3.3.5,
 * where a placeholder of unknown type stands for it) */
static ent pop(dec *x) {
  if (x->h == top_ctl(x)->height) return (ent){K_SLOT, 0, 0};
  return x->st[--x->h];
}
/* the slot holding entry e that was at position p (materializing a constant into its home) */
static uint32_t slot_of(dec *x, ent e, uint32_t p) {
  if (e.kind == K_LOCAL) return e.local;
  if (e.kind == K_CONST) {
    uint32_t hs = home(x, p);
    if ((e.c >> 32) == 0)
      E2(IOP_CONST32, hs, (uint32_t)e.c);
    else
      E3(IOP_CONST64, hs, (uint32_t)e.c, (uint32_t)(e.c >> 32));
    return hs;
  }
  return home(x, p);
}
static void materialize(dec *x, uint32_t p) {
  ent *e = &x->st[p];
  if (e->kind == K_SLOT) return;
  uint32_t hs = home(x, p);
  if (e->kind == K_LOCAL)
    E2(IOP_COPY, hs, e->local);
  else
    slot_of(x, *e, p);
  e->kind = K_SLOT;
}
static void materialize_all(dec *x) {
  for (uint32_t p = 0; p < x->h; p++) materialize(x, p);
}
static void result_dest(dec *x, uint32_t at, uint32_t dslot_word) {
  if (at != NONE) x->last_dest = at + dslot_word;
}


/* type ti as the translator sees it: each v128 as two slot types (WK_V128, WK_V128_HI) */
static void expand_types(const uint8_t *t, uint32_t n, uint8_t *out) {
  for (uint32_t i = 0, k = 0; i < n; i++) {
    out[k++] = t[i];
    if (t[i] == WK_V128) out[k++] = WK_V128_HI;
  }
}
static const wk_core_functype *xtype(dec *x, uint32_t ti) {
  const wk_core_functype *t = &x->m->types[ti];
  if (x->m->type_v128 && !x->m->type_v128[ti]) return t; /* (no v128: as it is, nothing counted) */
  uint32_t sp = wk_slot_count(t->params, t->nparams), sr = wk_slot_count(t->results, t->nresults);
  if (sp == t->nparams && sr == t->nresults) return t;
  if (!x->xt) {
    x->xt = calloc(x->m->ntypes, sizeof *x->xt);
    if (!x->xt) fail(x, WK_ERR_NOMEM, x->cur_ipos, "out of memory");
  }
  if (x->xt[ti]) return x->xt[ti];
  wk_core_functype *e = xalloc(x, 1, sizeof *e);
  uint8_t *p = xalloc(x, (size_t)sp + sr + 1, 1);
  expand_types(t->params, t->nparams, p);
  expand_types(t->results, t->nresults, p + sp);
  *e = (wk_core_functype){sp, sr, p, p + sp, NULL};
  return x->xt[ti] = e;
}

/* block type (Core spec 5.4.1), as lib/encode's reader decoded it: empty, a value type, or a type
 * index (in slots: a v128 takes two, simd.h) */
static void blocktype(dec *x, const wk_insn *in, uint32_t *np, const uint8_t **pt, uint32_t *nr,
                      const uint8_t **rt) {
  *np = 0, *pt = NULL, *nr = 0, *rt = NULL;
  if (in->bt_kind == WK_BT_EMPTY) return;
  if (in->bt_kind == WK_BT_VAL) {
    switch (in->valtype) {
    case WK_I32: *nr = 1, *rt = vt_i32; return;
    case WK_I64: *nr = 1, *rt = vt_i64; return;
    case WK_F32: *nr = 1, *rt = vt_f32; return;
    case WK_F64: *nr = 1, *rt = vt_f64; return;
    case WK_FUNCREF: *nr = 1, *rt = vt_fr; return;
    case WK_EXTERNREF: *nr = 1, *rt = vt_er; return;
    case WK_EXNREF: *nr = 1, *rt = vt_exn; return;
    case WK_REF: *nr = 1, *rt = vt_ref; return; /* Core 3.0 typed references: one slot */
    case WK_REFNULL: *nr = 1, *rt = vt_refnull; return;
    case WK_V128: *nr = 2, *rt = vt_v128; return; /* v128: two slots (simd.h) */
    default: *nr = 1, *rt = vt_refnull; return;   /* GC shorthands (anyref, eqref, ..., nullref): one slot */
    }
  }
  const wk_core_functype *ft = xtype(x, in->idx0);
  *np = ft->nparams, *pt = ft->params, *nr = ft->nresults, *rt = ft->results;
}

static void push_ctl(dec *x, uint8_t kind, uint32_t np, const uint8_t *pt, uint32_t nr,
                     const uint8_t *rt) {
  if (x->nc >= x->capc) {
    size_t cap = x->capc;
    x->cs = xgrow(x, x->cs, &cap, (size_t)x->nc + 1, sizeof *x->cs);
    x->capc = (uint32_t)cap;
  }
  ctl *c = &x->cs[x->nc++];
  memset(c, 0, sizeof *c);
  c->kind = kind, c->np = np, c->pt = pt, c->nr = nr, c->rt = rt;
  c->height = x->h - np;
  c->entry_live = !x->dead;
  c->patch = NONE, c->else_patch = NONE, c->loop_pc = NONE;
  c->sites_ok = nr == 1;
}
/* pop params of a block type off the operand stack, type-checked, then push them back */
static void check_params(dec *x, uint32_t np, const uint8_t *pt) {
  ent tmp[np ? np : 1];
  for (uint32_t i = np; i-- > 0;) tmp[i] = pop(x);
  for (uint32_t i = 0; i < np; i++) {
    ent e = tmp[i];
    push(x, e.kind, e.local, e.c);
  }
}
static void set_unreachable(dec *x) {
  ctl *c = top_ctl(x);
  x->h = c->height;
  c->unreachable = 1;
  x->dead = 1;
  barrier(x);
}
static void place_label(dec *x, ctl *c) {
  uint32_t p = c->patch;
  uint32_t tgt = here(x);
  while (p != NONE) {
    uint32_t nx = x->code[p];
    x->code[p] = tgt;
    p = nx;
  }
  c->patch = NONE;
}
/* register a branch to label c from target word w */
static void link_target(dec *x, ctl *c, uint32_t w) {
  if (w == NONE) return;
  if (c->kind == C_LOOP) {
    x->code[w] = c->loop_pc;
  } else {
    x->code[w] = c->patch;
    c->patch = w;
    c->has_br = 1;
  }
}
static uint32_t label_arity(ctl *c, const uint8_t **types) {
  if (c->kind == C_LOOP) { *types = c->pt; return c->np; }
  *types = c->rt;
  return c->nr;
}
/* copy the top n values to the label's slots; no code if already in place */
static int values_in_place(dec *x, uint32_t n, uint32_t base_h) {
  if (x->h < n || x->h - n != base_h) return 0;
  for (uint32_t i = 0; i < n; i++)
    if (x->st[x->h - n + i].kind != K_SLOT) return 0;
  return 1;
}
/* copy n values described by es (es[i] was at stack position p0 + i) to slots dst0.. */
static void note_site(dec *x, ctl *c, size_t before, uint32_t last_dest_before);
/* emit BR / BR_POLL (live code only); a COPY just before merges into COPY_BR / COPY_BR_POLL.
 * Returns the index of the target word. */
static uint32_t emit_jump(dec *x, uint32_t op) {
  if (x->copy_pos != NONE && x->copy_pos + 3 == x->ncode && x->code[x->copy_pos] == IOP_COPY) {
    uint32_t at = x->copy_pos;
    reserve(x, 1);
    x->code[at] = op == IOP_BR ? IOP_COPY_BR : IOP_COPY_BR_POLL;
    x->code[at + 3] = NONE;
    x->last_dest = NONE, x->cmp_pos = NONE, x->copy_pos = NONE;
    return at + 3;
  }
  return E1(op, NONE) + 1;
}
static void copy_ents(dec *x, const ent *es, uint32_t n, uint32_t p0, uint32_t dst0) {
  for (uint32_t i = 0; i < n; i++) {
    ent e = es[i];
    uint32_t d = dst0 + i;
    if (e.kind == K_CONST) {
      if ((e.c >> 32) == 0)
        E2(IOP_CONST32, d, (uint32_t)e.c);
      else
        E3(IOP_CONST64, d, (uint32_t)e.c, (uint32_t)(e.c >> 32));
    } else {
      uint32_t s = e.kind == K_LOCAL ? e.local : home(x, p0 + i);
      if (s != d) E2(IOP_COPY, d, s);
    }
  }
}
static void copy_values(dec *x, uint32_t n, uint32_t dst0) {
  copy_ents(x, x->st + x->h - n, n, x->h - n, dst0);
}
static void emit_return(dec *x) {
  uint32_t n = x->ft->nresults;
  if (x->dead) return;
  if (n > x->h) n = x->h; /* only in unreachable code, which is not emitted */
  /* sources in locals that are also result slots could be clobbered by earlier copies: move
   * them to their home slots first, without changing the compile-time stack (this code may
   * be on a side path of br_if) */
  ent small[8]; /* (most functions: no allocation per return) */
  small[0].kind = K_SLOT; /* (read only after the copy below; this quiets -Wmaybe-uninitialized) */
  ent *tmp = n <= 8 ? small : malloc(sizeof(ent) * n);
  if (!tmp) fail(x, WK_ERR_NOMEM, x->cur_ipos, "out of memory");
  if (n) memcpy(tmp, x->st + x->h - n, sizeof(ent) * n);
  for (uint32_t i = 0; i < n; i++)
    if (tmp[i].kind == K_LOCAL && tmp[i].local < n) {
      E2(IOP_COPY, home(x, x->h - n + i), tmp[i].local);
      tmp[i].kind = K_SLOT;
    }
  if (n == 1 && tmp[0].kind != K_CONST) { /* one result: copy + return in one instruction */
    uint32_t s = tmp[0].kind == K_LOCAL ? tmp[0].local : home(x, x->h - 1);
    if (s == 0) E0(IOP_RET);
    else E1(IOP_RET1, s);
    return;
  }
  copy_ents(x, tmp, n, x->h - n, 0);
  if (tmp != small) free(tmp);
  E0(IOP_RET);
}
/* unconditional branch to relative depth l (values on top already type-checked) */
static void emit_br(dec *x, uint32_t l) {
  ctl *c = &x->cs[x->nc - 1 - l];
  if (c->kind == C_FUNC) { emit_return(x); return; }
  const uint8_t *ty;
  uint32_t n = label_arity(c, &ty);
  if (x->dead) return;
  size_t before = x->ncode;
  uint32_t ldb = x->last_dest;
  if (!values_in_place(x, n, c->height)) copy_values(x, n, home(x, c->height));
  if (c->kind != C_LOOP) note_site(x, c, before, ldb);
  if (c->kind == C_LOOP) { /* back-edge: polls for interrupts */
    uint32_t w = emit_jump(x, IOP_BR_POLL); /* (may move x->code) */
    x->code[w] = c->loop_pc;
    return;
  }
  link_target(x, c, emit_jump(x, IOP_BR));
}

/* conditional branch on the condition entry; returns the target word to patch */
typedef struct cond {
  uint32_t addi; /* start of an I32_ADD_I just before, writing operand a (fusable), or NONE */
  int fused; /* 0: plain slot */
  uint32_t op; /* fused branch-if-true op */
  uint32_t a, b;
  int is64;
} cond;
static uint32_t neg_br(uint32_t op) {
  static const uint8_t inv[10] = {1, 0, 8, 9, 6, 7, 4, 5, 2, 3}; /* EQ NE LTS LTU GTS GTU LES LEU GES GEU */
  if (op >= IOP_BR_I32_EQ && op <= IOP_BR_I32_GE_U) return IOP_BR_I32_EQ + inv[op - IOP_BR_I32_EQ];
  if (op >= IOP_BR_I32_EQ_I && op <= IOP_BR_I32_GE_U_I) return IOP_BR_I32_EQ_I + inv[op - IOP_BR_I32_EQ_I];
  if (op >= IOP_BR_I64_EQ && op <= IOP_BR_I64_GE_U) return IOP_BR_I64_EQ + inv[op - IOP_BR_I64_EQ];
  if (op == IOP_BR_Z) return IOP_BR_NZ;
  if (op == IOP_BR_NZ) return IOP_BR_Z;
  if (op == IOP_BR_I64_Z) return IOP_BR_I64_NZ;
  return IOP_BR_I64_Z;
}
static cond pop_cond(dec *x) {
  cond k = {NONE, 0, IOP_BR_NZ, 0, 0, 0};
  uint32_t cmp = x->cmp_pos;
  uint32_t prev = x->last_start == cmp ? x->prev_start : NONE;
  ent e = pop(x);
  if (x->dead) return k;
  if (cmp != NONE && e.kind == K_SLOT && x->code[cmp + 1] == home(x, x->h)) {
    uint32_t op = x->code[cmp];
    uint32_t bop = NONE;
    if (op >= IOP_I32_EQ && op <= IOP_I32_GE_U) bop = IOP_BR_I32_EQ + (op - IOP_I32_EQ);
    else if (op >= IOP_I64_EQ && op <= IOP_I64_GE_U) bop = IOP_BR_I64_EQ + (op - IOP_I64_EQ);
    else if (op >= IOP_I32_EQ_I && op <= IOP_I32_GE_U_I) bop = IOP_BR_I32_EQ_I + (op - IOP_I32_EQ_I);
    else if (op == IOP_I32_EQZ) bop = IOP_BR_Z;
    else if (op == IOP_I64_EQZ) bop = IOP_BR_I64_Z;
    if (bop != NONE) {
      k.fused = 1;
      k.op = bop;
      k.a = x->code[cmp + 2];
      k.b = wk_iop_words[op] == 4 ? x->code[cmp + 3] : 0;
      if (prev != NONE && prev + 4 == cmp && x->code[prev] == IOP_I32_ADD_I) {
        if (x->code[prev + 1] == k.a) {
          k.addi = prev;
        } else if (x->code[prev + 1] == k.b && k.op >= IOP_BR_I32_EQ && k.op <= IOP_BR_I32_GE_U) {
          /* counter on the right: swap the operands and mirror the comparison */
          static const uint8_t mirror[10] = {0, 1, 4, 5, 2, 3, 8, 9, 6, 7};
          k.op = IOP_BR_I32_EQ + mirror[k.op - IOP_BR_I32_EQ];
          uint32_t t = k.a;
          k.a = k.b, k.b = t;
          k.addi = prev;
        }
      }
      truncate_to(x, cmp); /* drop the compare: the branch does it */
      return k;
    }
  }
  k.a = slot_of(x, e, x->h);
  return k;
}
static uint32_t emit_cond(dec *x, cond k, int when_true) {
  uint32_t op = when_true ? k.op : neg_br(k.op);
  uint32_t at;
  if (k.addi != NONE && !x->dead && x->ncode == (size_t)k.addi + 4) {
    uint32_t fop = NONE;
    switch (op) {
    case IOP_BR_I32_NE_I: fop = IOP_ADDI_BR_NE_I; break;
    case IOP_BR_I32_GT_U_I: fop = IOP_ADDI_BR_GT_U_I; break;
    case IOP_BR_I32_LT_U_I: fop = IOP_ADDI_BR_LT_U_I; break;
    case IOP_BR_I32_GT_S_I: fop = IOP_ADDI_BR_GT_S_I; break;
    case IOP_BR_I32_NE: fop = IOP_ADDI_BR_NE; break;
    case IOP_BR_I32_GE_S: fop = IOP_ADDI_BR_GE_S; break;
    }
    if (fop != NONE) { /* the counter update and the compare-branch in one instruction */
      uint32_t d = x->code[k.addi + 1], src = x->code[k.addi + 2], imm = x->code[k.addi + 3];
      truncate_to(x, k.addi);
      at = E5(fop, d, src, imm, k.b, NONE);
      return at + 5;
    }
  }
  if (op == IOP_BR_Z || op == IOP_BR_NZ || op == IOP_BR_I64_Z || op == IOP_BR_I64_NZ) {
    at = E2(op, k.a, NONE);
    return at == NONE ? NONE : at + 2;
  }
  at = E3(op, k.a, k.b, NONE);
  return at == NONE ? NONE : at + 3;
}

/* An edge into block c carries its one result in home(c->height). `before` is the code size
 * before the edge's own materialization/copy (if any) was emitted: find the dest word of the
 * instruction that last wrote the result, or give up on retargeting this block. */
static void note_site(dec *x, ctl *c, size_t before, uint32_t last_dest_before) {
  if (!c->sites_ok || x->dead) return;
  uint32_t slot = home(x, c->height), site = NONE;
  if (x->ncode == before) { /* no copy: the value was produced in place by the last instruction */
    if (last_dest_before != NONE && x->code[last_dest_before] == slot) site = last_dest_before;
  } else if (x->ncode == before + 3 || x->ncode == before + 4) { /* COPY/CONST32/CONST64 */
    uint32_t op = x->code[before];
    if ((op == IOP_COPY || op == IOP_CONST32 || op == IOP_CONST64) && x->code[before + 1] == slot) site = (uint32_t)before + 1;
  } else if (x->ncode == before + 2 && before >= 3 && x->code[before - 3] == IOP_COPY2 && x->code[before] == slot) {
    site = (uint32_t)before; /* merged into the previous COPY as its second pair */
  }
  if (site == NONE || c->nsites == 4) {
    c->sites_ok = 0;
    return;
  }
  c->sites[c->nsites++] = site;
}
static void copy_on_write(dec *x, uint32_t local) {
  for (uint32_t p = 0; p < x->h; p++)
    if (x->st[p].kind == K_LOCAL && x->st[p].local == local) materialize(x, p);
}
static void set_local(dec *x, uint32_t l, int tee) {
  uint32_t ld = x->last_dest;
  int jv = x->join_valid;
  x->join_valid = 0;
  ent e = pop(x);
  if (!x->dead) {
    int cow = 0;
    for (uint32_t p = 0; p < x->h; p++)
      if (x->st[p].kind == K_LOCAL && x->st[p].local == l) cow = 1;
    if (!cow && jv && e.kind == K_SLOT && x->join_slot == home(x, x->h)) {
      /* right after a block's end: every edge writes the local directly */
      for (uint32_t i = 0; i < x->join_n; i++) x->code[x->join_sites[i]] = l;
    } else if (!cow && e.kind == K_SLOT && ld != NONE && x->code[ld] == home(x, x->h)) {
      x->code[ld] = l; /* retarget the producer's result into the local */
    } else {
      copy_on_write(x, l);
      if (e.kind == K_CONST) {
        if ((e.c >> 32) == 0) E2(IOP_CONST32, l, (uint32_t)e.c);
        else E3(IOP_CONST64, l, (uint32_t)e.c, (uint32_t)(e.c >> 32));
      } else {
        uint32_t s = e.kind == K_LOCAL ? e.local : home(x, x->h);
        if (s != l) E2(IOP_COPY, l, s);
      }
    }
  }
  soft_barrier(x);
  if (tee) push(x, K_LOCAL, l, 0);
}

/* The internal instruction each wasm instruction becomes (WK_OPCODES' IOP column; IOP_NA: none,
 * the instruction has a translation of its own below) */
static const uint16_t iop_of[WK_OPI_COUNT] = {
#define WK_X(name, op, imm, text, sig, aux, iop) IOP_##iop,
    WK_OPCODES(WK_X)
#undef WK_X
};

/* a numeric instruction: internal op, operand type, result type, arity (from WK_OPCODES' IOP
 * and SIG columns: translate_simple) */
typedef struct numop {
  uint16_t iop;
  uint8_t in, out, unary;
} numop;

static int is_cmp(uint32_t op) {
  return (op >= IOP_I32_EQ && op <= IOP_I32_GE_U) || (op >= IOP_I64_EQ && op <= IOP_I64_GE_U) ||
         (op >= IOP_I32_EQ_I && op <= IOP_I32_GE_U_I) || op == IOP_I32_EQZ || op == IOP_I64_EQZ;
}
/* immediate form of a binary op with constant right operand c, or NONE */
static uint32_t imm_form(uint32_t op, uint64_t c, uint32_t *imm) {
  *imm = (uint32_t)c;
  switch (op) {
  case IOP_I32_ADD: return IOP_I32_ADD_I;
  case IOP_I32_SUB: *imm = (uint32_t)(0u - (uint32_t)c); return IOP_I32_ADD_I;
  case IOP_I32_MUL: return IOP_I32_MUL_I;
  case IOP_I32_AND: return IOP_I32_AND_I;
  case IOP_I32_OR: return IOP_I32_OR_I;
  case IOP_I32_XOR: return IOP_I32_XOR_I;
  case IOP_I32_SHL: *imm = (uint32_t)c & 31; return IOP_I32_SHL_I;
  case IOP_I32_SHR_S: *imm = (uint32_t)c & 31; return IOP_I32_SHR_S_I;
  case IOP_I32_SHR_U: *imm = (uint32_t)c & 31; return IOP_I32_SHR_U_I;
  case IOP_I64_SHL: *imm = (uint32_t)c & 63; return IOP_I64_SHL_I;
  case IOP_I64_SHR_S: *imm = (uint32_t)c & 63; return IOP_I64_SHR_S_I;
  case IOP_I64_SHR_U: *imm = (uint32_t)c & 63; return IOP_I64_SHR_U_I;
  case IOP_I32_ROTL: *imm = (uint32_t)c & 31; return IOP_I32_ROTL_I;
  case IOP_I32_ROTR: *imm = (uint32_t)c & 31; return IOP_I32_ROTR_I;
  case IOP_I64_ROTL: *imm = (uint32_t)c & 63; return IOP_I64_ROTL_I;
  case IOP_I64_ROTR: *imm = (uint32_t)c & 63; return IOP_I64_ROTR_I;
  default: break;
  }
  if (op >= IOP_I32_EQ && op <= IOP_I32_GE_U) return IOP_I32_EQ_I + (op - IOP_I32_EQ);
  int64_t s = (int64_t)c;
  if (s >= INT32_MIN && s <= INT32_MAX) {
    if (op == IOP_I64_ADD) return IOP_I64_ADD_I;
    if (op == IOP_I64_AND) return IOP_I64_AND_I;
  }
  if (op == IOP_I64_SUB && s > INT32_MIN && s <= INT32_MAX) {
    *imm = (uint32_t)(int32_t)-s;
    return IOP_I64_ADD_I;
  }
  return NONE;
}

static void numeric(dec *x, const numop *o) {
  if (o->unary) {
    ent a = pop(x);
    if (o->iop == IOP_COPY) { /* reinterpret: same bits, new type, no code */
      push(x, a.kind, a.local, a.c);
      return;
    }
    uint32_t sa = slot_of(x, a, x->h);
    uint32_t d = push_slot(x);
    uint32_t at = E2(o->iop, d, sa);
    result_dest(x, at, 1);
    if (at != NONE && is_cmp(o->iop)) x->cmp_pos = at;
    return;
  }
  uint32_t ld = x->last_dest;
  ent b = pop(x);
  ent a = pop(x);
  if (ld == NONE && b.kind == K_CONST && o->in == WK_I32) ld = x->ld_const; /* p op const, p just computed */
  x->ld_const = NONE;
  uint32_t at, imm, iop = NONE;
  if (b.kind == K_CONST) iop = imm_form(o->iop, b.c, &imm);
  uint32_t fused = NONE;
  if (iop == NONE && !x->dead && ld != NONE && ld + 3 == x->ncode) {
    uint32_t prev = x->code[ld - 1];
    if (o->iop == IOP_I32_ADD && prev == IOP_I32_SHL_I) fused = IOP_I32_ADD_SHL;
    else if (o->iop == IOP_I32_XOR && prev == IOP_I32_ROTL_I) fused = IOP_I32_XOR_ROTL;
    else if (o->iop == IOP_I32_XOR && prev == IOP_I32_ROTR_I) fused = IOP_I32_XOR_ROTR;
  }
  if (fused != NONE) {
    /* base + (i << k), x ^ rotl(y, k): the shift/rotate just emitted folds into the add/xor */
    ent other;
    uint32_t op_pos;
    int ok = 0;
    if (b.kind == K_SLOT && x->code[ld] == home(x, x->h + 1) && a.kind != K_CONST) ok = 1, other = a, op_pos = x->h;
    else if (a.kind == K_SLOT && x->code[ld] == home(x, x->h) && b.kind == K_LOCAL) ok = 1, other = b, op_pos = x->h + 1;
    if (ok) {
      uint32_t src = x->code[ld + 1], k = x->code[ld + 2];
      truncate_to(x, ld - 1);
      uint32_t so = slot_of(x, other, op_pos);
      uint32_t d = push_slot(x);
      at = E4(fused, d, so, src, k);
      result_dest(x, at, 1);
      return;
    }
  }
  if (!x->dead && ld != NONE && x->code[ld - 1] == IOP_I32_ADD && ld + 3 == x->ncode) {
    /* (p + q) + imm or (p + q) + r where p + q is a temporary produced just before */
    uint32_t p = x->code[ld + 1], q = x->code[ld + 2];
    if (iop == IOP_I32_ADD_I && a.kind == K_SLOT && x->code[ld] == home(x, x->h)) {
      truncate_to(x, ld - 1);
      uint32_t d = push_slot(x);
      result_dest(x, E4(IOP_I32_ADD_ADDI, d, p, q, imm), 1);
      return;
    }
    if (iop == NONE && o->iop == IOP_I32_ADD) {
      if (b.kind == K_SLOT && x->code[ld] == home(x, x->h + 1) && a.kind != K_CONST) {
        truncate_to(x, ld - 1);
        uint32_t so = slot_of(x, a, x->h);
        uint32_t d = push_slot(x);
        result_dest(x, E4(IOP_I32_ADD3, d, so, p, q), 1);
        return;
      }
      if (a.kind == K_SLOT && x->code[ld] == home(x, x->h) && b.kind == K_LOCAL) {
        truncate_to(x, ld - 1);
        uint32_t d = push_slot(x);
        result_dest(x, E4(IOP_I32_ADD3, d, p, q, b.local), 1);
        return;
      }
    }
  }
  if (iop == IOP_I32_SHR_S_I && (imm == 16 || imm == 24) && !x->dead && ld != NONE &&
      x->code[ld - 1] == IOP_I32_SHL_I && x->code[ld + 2] == imm && ld + 3 == x->ncode && a.kind == K_SLOT &&
      x->code[ld] == home(x, x->h)) {
    /* (p << 16) >> 16 (signed) is i32.extend16_s, and with 24 extend8_s (Core 4.3.2 iextend): the
     * sign-extension idiom of code built without the sign-extension feature */
    uint32_t p = x->code[ld + 1];
    truncate_to(x, ld - 1);
    uint32_t d = push_slot(x);
    result_dest(x, E2(imm == 16 ? IOP_I32_EXT16 : IOP_I32_EXT8, d, p), 1);
    return;
  }
  if (iop == NONE && o->iop == IOP_I32_SUB && a.kind == K_CONST && b.kind != K_CONST && !x->dead) {
    /* c - q: the constant as an immediate instead of a slot of its own (CONST32 + I32_SUB) */
    uint32_t sb = slot_of(x, b, x->h + 1);
    uint32_t d = push_slot(x);
    result_dest(x, E3(IOP_I32_RSUB_I, d, sb, (uint32_t)a.c), 1);
    return;
  }
  if (iop == IOP_I32_AND_I && !x->dead && ld != NONE && x->code[ld - 1] == IOP_I32_SHR_U_I && ld + 3 == x->ncode &&
      a.kind == K_SLOT && x->code[ld] == home(x, x->h)) {
    /* (p >> k) & mask where p >> k is the temporary produced just before (k is already masked) */
    uint32_t p = x->code[ld + 1], k = x->code[ld + 2];
    truncate_to(x, ld - 1);
    uint32_t d = push_slot(x);
    result_dest(x, E4(IOP_I32_SHR_U_AND_I, d, p, k, imm), 1);
    return;
  }
  if (iop == NONE && o->iop == IOP_I32_ADD && !x->dead && ld != NONE && x->code[ld - 1] == IOP_I32_MUL &&
      ld + 3 == x->ncode) {
    /* a + p * q or p * q + b where p * q is the temporary produced just before (i32.add commutes) */
    uint32_t p = x->code[ld + 1], q = x->code[ld + 2];
    if (b.kind == K_SLOT && x->code[ld] == home(x, x->h + 1) && a.kind != K_CONST) {
      truncate_to(x, ld - 1);
      uint32_t so = slot_of(x, a, x->h);
      uint32_t d = push_slot(x);
      result_dest(x, E4(IOP_I32_MULADD, d, so, p, q), 1);
      return;
    }
    if (a.kind == K_SLOT && x->code[ld] == home(x, x->h) && b.kind == K_LOCAL) {
      truncate_to(x, ld - 1);
      uint32_t d = push_slot(x);
      result_dest(x, E4(IOP_I32_MULADD, d, b.local, p, q), 1);
      return;
    }
  }
  if (iop == NONE && o->iop == IOP_F64_ADD && !x->dead && ld != NONE && x->code[ld - 1] == IOP_F64_MUL &&
      ld + 3 == x->ncode && b.kind == K_SLOT && x->code[ld] == home(x, x->h + 1) && a.kind != K_CONST) {
    /* a + (p * q) where p * q is the temporary produced just before (operand order kept) */
    uint32_t p = x->code[ld + 1], q = x->code[ld + 2];
    truncate_to(x, ld - 1);
    uint32_t so = slot_of(x, a, x->h);
    uint32_t d = push_slot(x);
    result_dest(x, E4(IOP_F64_MULADD, d, so, p, q), 1);
    return;
  }
  if (iop != NONE) {
    uint32_t sa = slot_of(x, a, x->h);
    uint32_t d = push_slot(x);
    at = E3(iop, d, sa, imm);
  } else {
    uint32_t sa = slot_of(x, a, x->h);
    uint32_t sb = slot_of(x, b, x->h + 1);
    uint32_t d = push_slot(x);
    iop = o->iop;
    at = E3(iop, d, sa, sb);
  }
  result_dest(x, at, 1);
  if (at != NONE && is_cmp(iop)) x->cmp_pos = at;
}

/* If the address operand (popped, at position p, kind K_SLOT) is the result of the instruction
 * just emitted and that is an I32_ADD or I32_ADD_SHL, take its operands and drop it. */
static int fold_address(dec *x, ent a, uint32_t p, uint32_t ld, uint32_t ops[3]) {
  if (x->dead || a.kind != K_SLOT || ld == NONE || x->code[ld] != home(x, p)) return 0;
  uint32_t op = x->code[ld - 1];
  if (op == IOP_I32_ADD_SHL && ld + 4 == x->ncode) {
    ops[0] = x->code[ld + 1], ops[1] = x->code[ld + 2], ops[2] = x->code[ld + 3];
    truncate_to(x, ld - 1);
    return 2;
  }
  if ((op == IOP_I32_ADD || op == IOP_I32_ADD_I) && ld + 3 == x->ncode) {
    ops[0] = x->code[ld + 1], ops[1] = x->code[ld + 2];
    truncate_to(x, ld - 1);
    return op == IOP_I32_ADD ? 1 : 3;
  }
  return 0;
}
static void load(dec *x, uint32_t iop, uint8_t t) {
  uint32_t off = (uint32_t)x->in->offset; /* (validated: a 2.0 offset is a u32) */
  uint32_t ld = x->last_dest;
  ent a = pop(x);
  if (iop >= IOP_LD_I32_8S && iop <= IOP_LD_I32_16U && !x->dead && a.kind == K_SLOT && ld != NONE &&
      x->code[ld] == home(x, x->h) && x->code[ld - 1] == IOP_I32_ADD_I && ld + 3 == x->ncode) {
    uint32_t base = x->code[ld + 1], imm = x->code[ld + 2];
    truncate_to(x, ld - 1);
    uint32_t d = push_slot(x);
    result_dest(x, E4(IOP_LD_I32_8S_ADDI + (iop - IOP_LD_I32_8S), d, base, imm, off), 1);
    return;
  }
  if (iop == IOP_LD_I32 || iop == IOP_LD_I64) {
    uint32_t ops[3];
    int k = fold_address(x, a, x->h, ld, ops);
    if (k) {
      uint32_t d = push_slot(x);
      int is32 = iop == IOP_LD_I32;
      uint32_t at = k == 2   ? E5(is32 ? IOP_LD_I32_IDX : IOP_LD_I64_IDX, d, ops[0], ops[1], ops[2], off)
                    : k == 1 ? E4(is32 ? IOP_LD_I32_ADD : IOP_LD_I64_ADD, d, ops[0], ops[1], off)
                             : E4(is32 ? IOP_LD_I32_ADDI : IOP_LD_I64_ADDI, d, ops[0], ops[1], off);
      result_dest(x, at, 1);
      return;
    }
  }
  uint32_t sa = slot_of(x, a, x->h);
  uint32_t d = push_slot(x);
  result_dest(x, E3(iop, d, sa, off), 1);
}
static void store(dec *x, uint32_t iop, uint8_t t) {
  uint32_t off = (uint32_t)x->in->offset;
  uint32_t ld = x->last_dest;
  ent v = pop(x);
  ent a = pop(x);
  if (iop == IOP_ST_I64 && !x->dead && v.kind == K_SLOT && ld != NONE && x->code[ld - 1] == IOP_F64_MULADD &&
      ld + 4 == x->ncode && x->code[ld] == home(x, x->h + 1)) {
    /* the value is a + b * c computed just before into a temporary: one instruction */
    uint32_t ma = x->code[ld + 1], mb = x->code[ld + 2], mc = x->code[ld + 3];
    truncate_to(x, ld - 1);
    uint32_t sa = slot_of(x, a, x->h);
    E5(IOP_ST_F64_MULADD, sa, ma, mb, mc, off);
    return;
  }
  if ((iop == IOP_ST_I32 || iop == IOP_ST_I64) && v.kind == K_LOCAL) { /* value needs no code */
    uint32_t ops[3];
    int k = fold_address(x, a, x->h, ld, ops);
    if (k == 2) { E5(iop == IOP_ST_I32 ? IOP_ST_I32_IDX : IOP_ST_I64_IDX, ops[0], ops[1], ops[2], v.local, off); return; }
    if (k == 1) { E4(iop == IOP_ST_I32 ? IOP_ST_I32_ADD : IOP_ST_I64_ADD, ops[0], ops[1], v.local, off); return; }
    if (k == 3) { E4(iop == IOP_ST_I32 ? IOP_ST_I32_ADDI : IOP_ST_I64_ADDI, ops[0], ops[1], v.local, off); return; }
  }
  uint32_t sa = slot_of(x, a, x->h);
  uint32_t sv = slot_of(x, v, x->h + 1);
  E3(iop, sa, sv, off);
}

static void call_args(dec *x, const wk_core_functype *ft, uint32_t *base) {
  uint32_t h0 = x->h;
  for (uint32_t i = ft->nparams; i-- > 0;) pop(x);
  uint32_t start = x->h;
  /* In unreachable code the operand stack is polymorphic (Core spec 3.3.5): pop() may hand
   * out placeholders without removing entries, so fewer than nparams entries exist. The call
   * is dead code then; pad with placeholder slots (push grows the stack) so every argument
   * position below is a real entry. */
  x->h = h0;
  while (x->h - start < ft->nparams) push(x, K_SLOT, 0, 0);
  /* arguments go to consecutive home slots: they become the callee's first locals */
  for (uint32_t i = 0; i < ft->nparams; i++) materialize(x, start + i);
  x->h = start;
  *base = home(x, start);
}
static void call_results(dec *x, const wk_core_functype *ft) {
  for (uint32_t i = 0; i < ft->nresults; i++) push_slot(x);
  soft_barrier(x);
}
/* return_call f / return_call_indirect t tab (Core 3.0 3.3.8, 4.4.8 "tail calls"): the arguments
 * go to consecutive home slots as for a call, then the callee replaces the current frame: the
 * handler moves them to slots 0.. and jumps (no frame record: constant frame depth and host stack).
 * RETURN_CALL fi base n · RETURN_CALL_IMPORT f base n · RETURN_CALL_INDIRECT ti tab base si n
 * (n: argument slots, a v128 takes two). The immediates come decoded in `in` (validated: the
 * callee's results are this function's). */
static void tail_call(dec *x, uint32_t iop, const wk_insn *in) {
  wk_module *m = x->m;
  uint32_t base;
  if (in->op == WK_OP_RETURN_CALL) {
    uint32_t f = in->idx0;
    const wk_core_functype *cft = xtype(x, m->func_type[f]);
    call_args(x, cft, &base);
    if (f < m->nfunc_imports) E3(IOP_RETURN_CALL_IMPORT, f, base, cft->nparams);
    else E3(iop, f - m->nfunc_imports, base, cft->nparams);
  } else {
    ent idx = pop(x);
    const wk_core_functype *cft = xtype(x, in->idx0);
    uint32_t si = slot_of(x, idx, x->h); /* above the arguments (as for call_indirect) */
    call_args(x, cft, &base);
    E5(iop, in->idx0, in->idx1, base, si, cft->nparams);
  }
  set_unreachable(x);
}
/* ---- typed function references (Core 3.0 3.3.8, 4.4.8; validated by lib/encode) ---- */
static void br_if_k(dec *x, uint32_t l, cond k);
/* call_ref x / return_call_ref x: the reference's slot above the arguments (as call_indirect's
 * index), null traps in the loop; ref.as_non_null: a check, the value stays where it is;
 * br_on_null l / br_on_non_null l: br_if on the reference being (non-)zero, the reference kept on
 * the fall-through path (br_on_null) or passed with the label's values (br_on_non_null). */
static void funcref_insn(dec *x, const wk_insn *in) {
  switch (in->op) {
  case WK_OP_CALL_REF: case WK_OP_RETURN_CALL_REF: {
    ent r = pop(x);
    const wk_core_functype *cft = xtype(x, in->idx0);
    uint32_t sr = slot_of(x, r, x->h), base;
    call_args(x, cft, &base);
    if (in->op == WK_OP_RETURN_CALL_REF) {
      E3(IOP_RETURN_CALL_REF, base, cft->nparams, sr);
      set_unreachable(x);
    } else {
      E2(IOP_CALL_REF, base, sr);
      call_results(x, cft);
    }
    break;
  }
  case WK_OP_REF_AS_NON_NULL: {
    ent r = pop(x);
    uint32_t sr = slot_of(x, r, x->h);
    E1(IOP_REF_AS_NON_NULL, sr);
    push(x, r.kind, r.local, r.c); /* (the same value, non-null) */
    soft_barrier(x);
    break;
  }
  default: { /* br_on_null, br_on_non_null */
    int on_null = in->op == WK_OP_BR_ON_NULL;
    ent r = pop(x);
    cond k = {NONE, 0, on_null ? IOP_BR_I64_Z : IOP_BR_I64_NZ, 0, 0, 0};
    if (!x->dead) k.a = slot_of(x, r, x->h);
    if (on_null) {
      br_if_k(x, in->idx0, k);
      push(x, r.kind, r.local, r.c);
    } else {
      push(x, r.kind, r.local, r.c);
      br_if_k(x, in->idx0, k);
      pop(x);
    }
    soft_barrier(x);
    break;
  }
  }
}

/* ---- SIMD (simd.h): a v128 is two adjacent slots / two operand-stack entries ---- */
static uint32_t local_slot(dec *x, uint32_t l) { /* wasm local index -> its (first) slot */
  return x->lslot ? x->lslot[l] : l;
}
typedef struct vent {
  ent lo, hi;
} vent;
static vent popv(dec *x) {
  vent v;
  v.hi = pop(x);
  v.lo = pop(x);
  return v;
}
static uint32_t pushv(dec *x) {
  uint32_t d = push_slot(x);
  push_slot(x);
  return d;
}
static void vmat(dec *x, ent e, uint32_t d) { /* one half into slot d (a K_SLOT half is there already) */
  if (e.kind == K_CONST) {
    if ((e.c >> 32) == 0) E2(IOP_CONST32, d, (uint32_t)e.c);
    else E3(IOP_CONST64, d, (uint32_t)e.c, (uint32_t)(e.c >> 32));
  } else if (e.kind == K_LOCAL) {
    E2(IOP_COPY, d, e.local);
  }
}
/* the first of two adjacent slots holding v (popped from positions p, p + 1): a v128 local
 * read in place, else the home slots (halves from locals or constants are materialized) */
static uint32_t vslot(dec *x, vent v, uint32_t p) {
  if (v.lo.kind == K_LOCAL && v.hi.kind == K_LOCAL && v.hi.local == v.lo.local + 1) return v.lo.local;
  uint32_t hs = home(x, p);
  if (v.lo.kind == K_CONST && v.hi.kind == K_CONST) { /* a v128.const: one 16-byte store (simd_translate_int.h) */
    E5(IOP_V128_CONST, hs, (uint32_t)v.lo.c, (uint32_t)(v.lo.c >> 32), (uint32_t)v.hi.c, (uint32_t)(v.hi.c >> 32));
    return hs;
  }
  vmat(x, v.lo, hs);
  vmat(x, v.hi, hs + 1);
  return hs;
}
enum {
  SH_BIN = 1, SH_UN, SH_TERN, SH_SHIFT, SH_TEST, SH_SPLAT, SH_EXTRACT_I, SH_EXTRACT_L, SH_EXTRACT_F,
  SH_EXTRACT_D, SH_REPLACE, SH_SHUFFLE, SH_LD1, SH_LD2, SH_LD4, SH_LD8, SH_LD16, SH_ST16, SH_LDL1,
  SH_LDL2, SH_LDL4, SH_LDL8, SH_STL1, SH_STL2, SH_STL4, SH_STL8
};
/* operand shape of each SIMD instruction (simd.h WK_SIMD, by WK_OPCODES name; 0: none, v128.const
 * is two constants); its internal opcode is WK_OPCODES' IOP column */
static const uint8_t simd_shape[WK_OPI_COUNT] = {
#define WK_S(X, n, shape, body) [WK_OPI_##n] = SH_##shape,
    WK_SIMD(WK_S, _)
#undef WK_S
};
/* the shifts' immediate forms (simd.h WK_SIMD_EXTRA_SHIFT), by internal opcode */
static uint32_t shift_imm_form(uint32_t iop) {
  switch (iop) {
#define WK_S(X, n, shape, body) WK_SIMD_SHIFT_CASE_##shape(n)
#define WK_SIMD_SHIFT_CASE_SHIFT(n) case IOP_##n: return IOP_##n##_I;
#define WK_SIMD_SHIFT_CASE_BIN(n)
#define WK_SIMD_SHIFT_CASE_UN(n)
#define WK_SIMD_SHIFT_CASE_TERN(n)
#define WK_SIMD_SHIFT_CASE_TEST(n)
#define WK_SIMD_SHIFT_CASE_SPLAT(n)
#define WK_SIMD_SHIFT_CASE_EXTRACT_I(n)
#define WK_SIMD_SHIFT_CASE_EXTRACT_L(n)
#define WK_SIMD_SHIFT_CASE_EXTRACT_F(n)
#define WK_SIMD_SHIFT_CASE_EXTRACT_D(n)
#define WK_SIMD_SHIFT_CASE_REPLACE(n)
#define WK_SIMD_SHIFT_CASE_SHUFFLE(n)
#define WK_SIMD_SHIFT_CASE_LD1(n)
#define WK_SIMD_SHIFT_CASE_LD2(n)
#define WK_SIMD_SHIFT_CASE_LD4(n)
#define WK_SIMD_SHIFT_CASE_LD8(n)
#define WK_SIMD_SHIFT_CASE_LD16(n)
#define WK_SIMD_SHIFT_CASE_ST16(n)
#define WK_SIMD_SHIFT_CASE_LDL1(n)
#define WK_SIMD_SHIFT_CASE_LDL2(n)
#define WK_SIMD_SHIFT_CASE_LDL4(n)
#define WK_SIMD_SHIFT_CASE_LDL8(n)
#define WK_SIMD_SHIFT_CASE_STL1(n)
#define WK_SIMD_SHIFT_CASE_STL2(n)
#define WK_SIMD_SHIFT_CASE_STL4(n)
#define WK_SIMD_SHIFT_CASE_STL8(n)
    WK_SIMD(WK_S, _)
#undef WK_S
  default: return NONE;
  }
}
/* The internal form of an i8x16.shuffle (Core 4.4.3.7: result byte i = byte s[i] of a:b, s[i] < 32,
 * validated) by its lane indices: moving whole 32-bit lanes (every s[4k] a multiple of 4, followed by
 * s[4k]+1..+3) is I8X16_SHUFFLE_W32; rotating the bytes of each 32-bit lane of one operand by r = 1..3
 * (s[4k+j] = base + 4k + (j+r) mod 4, base 0 for a, 16 for b) is I8X16_SHUFFLE_ROT; anything else
 * the byte loop. Same operand words for the three. */
static uint32_t shuffle_form(const uint8_t s[16]) {
  unsigned base = s[0] & 16u, r = s[0] & 3u;
  int rot = r != 0, w32 = 1; /* (k = j = 0 below: s[0] = base + r, i.e. 1..3 or 17..19) */
  for (unsigned k = 0; k < 4; k++)
    for (unsigned j = 0; j < 4; j++) {
      if (s[4 * k + j] != base + 4 * k + ((j + r) & 3u)) rot = 0;
      if (s[4 * k + j] != (s[4 * k] & ~3u) + j) w32 = 0;
    }
  return rot ? IOP_I8X16_SHUFFLE_ROT : w32 ? IOP_I8X16_SHUFFLE_W32 : IOP_I8X16_SHUFFLE;
}
#include "interp/simd_translate_int.h" /* fused forms: rotates, xor-rotate, add3, v128 moves */
/* One SIMD instruction (Core spec 3.3.3 / 4.4.3), operands and result as the shape says; the
 * immediates (lane, memarg offset, shuffle lanes, constant) come decoded in x->in. */
static void simd_insn(dec *x) {
  const wk_insn *in = x->in;
  if (in->op == WK_OP_V128_CONST) {
    uint64_t lo, hi;
    memcpy(&lo, in->val.v128, 8);
    memcpy(&hi, in->val.v128 + 8, 8);
    push(x, K_CONST, 0, lo);
    push(x, K_CONST, 0, hi);
    soft_barrier(x);
    return;
  }
  uint8_t shape = simd_shape[in->opi];
  uint32_t iop = iop_of[in->opi], d, sa, sb, sc;
  switch (shape) {
  case SH_BIN: {
    if (simd_fuse_bin(x, iop)) break;
    vent b = popv(x), a = popv(x);
    sa = vslot(x, a, x->h), sb = vslot(x, b, x->h + 2);
    d = pushv(x);
    result_dest(x, E3(iop, d, sa, sb), 1);
    break;
  }
  case SH_UN: {
    vent a = popv(x);
    sa = vslot(x, a, x->h);
    d = pushv(x);
    result_dest(x, E2(iop, d, sa), 1);
    break;
  }
  case SH_TERN: {
    vent c = popv(x), b = popv(x), a = popv(x);
    sa = vslot(x, a, x->h), sb = vslot(x, b, x->h + 2), sc = vslot(x, c, x->h + 4);
    d = pushv(x);
    result_dest(x, E4(iop, d, sa, sb, sc), 1);
    break;
  }
  case SH_SHIFT: {
    ent k = pop(x);
    vent a = popv(x);
    sa = vslot(x, a, x->h);
    if (k.kind == K_CONST) { /* the count as an immediate (the handler masks it) */
      simd_note_shift(x);
      d = pushv(x);
      result_dest(x, E3(shift_imm_form(iop), d, sa, (uint32_t)k.c), 1);
      break;
    }
    sb = slot_of(x, k, x->h + 2);
    d = pushv(x);
    result_dest(x, E3(iop, d, sa, sb), 1);
    break;
  }
  case SH_TEST: case SH_EXTRACT_I: case SH_EXTRACT_L: case SH_EXTRACT_F: case SH_EXTRACT_D: {
    vent a = popv(x);
    sa = vslot(x, a, x->h);
    d = push_slot(x);
    if (shape == SH_TEST) E2(iop, d, sa);
    else E3(iop, d, sa, in->lane);
    break;
  }
  case SH_SPLAT: {
    ent v = pop(x); /* (typed by the validator) */
    sa = slot_of(x, v, x->h);
    d = pushv(x);
    result_dest(x, E2(iop, d, sa), 1);
    break;
  }
  case SH_REPLACE: {
    ent v = pop(x);
    vent a = popv(x);
    sa = vslot(x, a, x->h), sb = slot_of(x, v, x->h + 2);
    d = pushv(x);
    result_dest(x, E4(iop, d, sa, sb, in->lane), 1);
    break;
  }
  case SH_SHUFFLE: {
    vent b = popv(x), a = popv(x);
    sa = vslot(x, a, x->h), sb = vslot(x, b, x->h + 2);
    uint32_t form = shuffle_form(in->val.v128);
    if (form == IOP_I8X16_SHUFFLE_ROT && simd_fuse_shuffle_rot(x, in->val.v128, sa, sb)) break;
    d = pushv(x);
    uint32_t at = E3(form, d, sa, sb);
    if (at != NONE) memcpy(reserve(x, 4), in->val.v128, 16); /* the 16 lane indices */
    result_dest(x, at, 1); /* (a local.set after it writes the local directly) */
    break;
  }
  case SH_LD1: case SH_LD2: case SH_LD4: case SH_LD8: case SH_LD16: {
    ent a = pop(x);
    sa = slot_of(x, a, x->h);
    d = pushv(x);
    result_dest(x, E3(iop, d, sa, in->offset), 1);
    break;
  }
  case SH_ST16: case SH_STL1: case SH_STL2: case SH_STL4: case SH_STL8: {
    vent v = popv(x);
    ent a = pop(x);
    sa = slot_of(x, a, x->h), sb = vslot(x, v, x->h + 1);
    if (shape == SH_ST16) E3(iop, sa, sb, in->offset);
    else E4(iop, sa, sb, in->offset, in->lane);
    break;
  }
  case SH_LDL1: case SH_LDL2: case SH_LDL4: case SH_LDL8: {
    vent v = popv(x);
    ent a = pop(x);
    sa = slot_of(x, a, x->h), sb = vslot(x, v, x->h + 1);
    d = pushv(x);
    result_dest(x, E5(iop, d, sa, sb, in->offset, in->lane), 1);
    break;
  }
  }
}

static void translate_insn(dec *x, const wk_insn *in, size_t ipos);
#include "interp/xmem_translate_int.h"
#include "interp/gc_translate_int.h"


/* The next instruction of body cc at *pos (lib/encode's reader); a malformed one ends the
 * translation with its module offset. */
static void read_insn(dec *x, const wk_core_code *cc, size_t *pos, wk_insn *in) {
  if (wk_insn_read(cc->body, cc->body_len, pos, in, x->err)) {
    x->err->offset += cc->body_offset;
    longjmp(x->jb, 1);
  }
}
/* Does drop / untyped select `in` (at module offset off) take a v128? They need its width (two
 * slots, simd.h); the translator keeps no operand types but asks lib/encode's validator, before
 * wk_funcval_op (the operands are still on its stack: wk_funcval_operand_type). A body translated
 * lazily has no validator (it was validated at load): the answer is in what validate_body
 * recorded then, the sorted offsets of the drops and selects that take a v128 (wk_lazy). Called
 * for drop and select only (the test at the call: no call per instruction). */
static int operand_v128(dec *x, wk_funcval *fv, const wk_insn *in, uint32_t off) {
  if (fv) return wk_funcval_operand_type(fv, in->op == WK_OP_SELECT) == WK_V128; /* (select: under the i32) */
  const wk_lazy *lz = x->m->lazy;
  size_t lo = 0, hi = lz ? lz->nv128_at : 0;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (lz->v128_at[mid] < off) lo = mid + 1;
    else hi = mid;
  }
  return lz && lo < lz->nv128_at && lz->v128_at[lo] == off;
}
/* Validate (lib/encode's step validator) and translate one function body, in one pass:
 * each instruction is read (wk_insn_read), checked (wk_funcval_op), then translated. */
static void translate_body(dec *x, wk_mfunc *mf, const wk_core_functype *ft, const wk_core_code *cc,
                           wk_funcval *fv, uint32_t funcidx) {
  /* locals (Core spec 5.5.13): slots, a v128 takes two (simd.h) */
  const wk_core_functype *wft = ft;
  ft = xtype(x, mf->type);
  uint64_t total = (uint64_t)wft->nparams + cc->nlocals, nslots = (uint64_t)ft->nparams + cc->nlocals;
  for (uint32_t i = 0; i < cc->ngroups; i++)
    if (cc->groups[i].type == WK_V128) nslots += cc->groups[i].count;
  if (nslots > 50000) fail(x, WK_ERR_UNSUPPORTED, cc->body_offset, "too many locals (implementation limit 50000)");
  x->nlocals = (uint32_t)nslots;
  free(x->lslot);
  x->lslot = NULL;
  x->ltypes = xgrow(x, x->ltypes, &x->capltypes, nslots + 1, 1);
  if (ft->nparams) memcpy(x->ltypes, ft->params, ft->nparams);
  uint32_t li = ft->nparams;
  for (uint32_t i = 0; i < cc->ngroups; i++) {
    uint32_t n = cc->groups[i].count;
    if (cc->groups[i].type == WK_V128)
      for (uint32_t k = 0; k < n; k++) x->ltypes[li + 2 * k] = WK_V128, x->ltypes[li + 2 * k + 1] = WK_V128_HI;
    else
      memset(x->ltypes + li, cc->groups[i].type, n);
    li += cc->groups[i].type == WK_V128 ? 2 * n : n;
  }
  if (nslots != total) { /* wasm local index -> first slot */
    x->lslot = malloc((total + 1) * sizeof *x->lslot);
    if (!x->lslot) fail(x, WK_ERR_NOMEM, x->cur_ipos, "out of memory");
    for (uint32_t i = 0, k = 0; i < total; i++) {
      x->lslot[i] = k;
      k += x->ltypes[k] == WK_V128 ? 2 : 1;
    }
  }
  mf->nlocals = x->nlocals;
  mf->nparams = ft->nparams;
  mf->code = here(x);
  mf->body_off = cc->body_offset;
  x->ft = ft;
  x->h = x->maxh = 0;
  x->nc = 0;
  x->dead = 0;
  barrier(x);
  push_ctl(x, C_FUNC, 0, NULL, ft->nresults, ft->results);
  if (x->fuel) x->fuel_pos = E1(IOP_FUEL, 0);
  if (fv && wk_funcval_begin(fv, funcidx, x->err)) longjmp(x->jb, 1); /* (no fv: validated before) */
  /* one reader (lib/encode's wk_insn_read), one validator (wk_funcval_op; lazy: the body was
   * validated before, by validate_body), then the translation of the decoded instruction */
  size_t pos = 0;
  wk_insn in;
  while (pos < cc->body_len) {
    size_t at = pos;
    read_insn(x, cc, &pos, &in);
    if (in.op == WK_OP_DROP || in.op == WK_OP_SELECT) x->opnd_v128 = operand_v128(x, fv, &in, (uint32_t)(cc->body_offset + at));
    if (fv && wk_funcval_op(fv, &in, cc->body_offset + at, x->err)) longjmp(x->jb, 1);
    if (x->nc == 0) continue;
    translate_insn(x, &in, cc->body_offset + at);
  }
  if (fv && wk_funcval_finish(fv, x->err)) longjmp(x->jb, 1);
  uint64_t frame = (uint64_t)x->nlocals + x->maxh + 2;
  if (frame < ft->nresults) frame = ft->nresults;
  mf->frame = (uint32_t)frame;
}

/* Validate one function body (lib/encode's step validator) without translating it: the lazy
 * path of wk_module_new (Core spec 3.4: a module is valid only if every function is, so all of
 * them are checked before anything is instantiated). Sets what a call needs before translation:
 * nlocals, nparams, body_off, and a frame of nlocals + 2 slots (raised when translated). The
 * translator's implementation limits are checked here too, so that translation cannot fail
 * later except for lack of memory. */
static void validate_body(dec *x, wk_mfunc *mf, const wk_core_functype *ft, const wk_core_code *cc,
                          wk_funcval *fv, uint32_t funcidx) {
  /* counted in slots, as translate_body counts them (a v128 takes two: simd.h) */
  ft = xtype(x, mf->type);
  uint64_t total = (uint64_t)ft->nparams + cc->nlocals;
  for (uint32_t i = 0; i < cc->ngroups; i++)
    if (cc->groups[i].type == WK_V128) total += cc->groups[i].count;
  if (total > 50000) fail(x, WK_ERR_UNSUPPORTED, cc->body_offset, "too many locals (implementation limit 50000)");
  mf->nlocals = (uint32_t)total;
  mf->nparams = ft->nparams;
  mf->code = 0;
  mf->body_off = cc->body_offset;
  mf->frame = mf->nlocals + 2 > ft->nresults ? mf->nlocals + 2 : ft->nresults;
  if (wk_funcval_begin(fv, funcidx, x->err)) longjmp(x->jb, 1);
  int deep = cc->body_len >= 1000000; /* only a body this long can reach push()'s height limit */
  size_t pos = 0;
  wk_insn in;
  while (pos < cc->body_len) {
    size_t at = pos;
    read_insn(x, cc, &pos, &in);
    if ((in.op == WK_OP_DROP || in.op == WK_OP_SELECT) && operand_v128(x, fv, &in, (uint32_t)(cc->body_offset + at))) {
      x->v128_at = xgrow(x, x->v128_at, &x->capv128_at, x->nv128_at + 1, sizeof *x->v128_at);
      x->v128_at[x->nv128_at++] = (uint32_t)(cc->body_offset + at); /* (for the lazy translation) */
    }
    if (wk_funcval_op(fv, &in, cc->body_offset + at, x->err)) longjmp(x->jb, 1);
    if ((in.op == WK_OP_MEMORY_INIT || in.op == WK_OP_DATA_DROP) && !x->has_datacount && x->data_section)
      fail(x, WK_ERR_MALFORMED, cc->body_offset, "data count section required"); /* (as wk_core_decode) */
    if (deep && wk_funcval_height(fv) >= 1000000)
      fail(x, WK_ERR_UNSUPPORTED, cc->body_offset + at, "operand stack too deep");
  }
  if (wk_funcval_finish(fv, x->err)) longjmp(x->jb, 1);
}

/* An instruction translated by its class (the table gives its internal instruction and typing,
 * Core spec 3.3 via the SIG column): numeric, load, store, SIMD. */
static void translate_simple(dec *x, const wk_insn *in) {
  uint32_t iop = iop_of[in->opi];
  const char *sig = wk_opi_sig[in->opi];
  if (simd_shape[in->opi] || in->op == WK_OP_V128_CONST) { /* (simd.h: by operand shape) */
    simd_insn(x);
    return;
  }
  if (iop == IOP_NA || !sig) { /* (decoded and validated, but the engine has no translation for it) */
    if ((in->op & 0xff00) == 0xfb00 || in->op == WK_OP_REF_EQ) return gc_insn(x, in); /* 3.0 GC: they have one */
    fail(x, WK_ERR_UNSUPPORTED, x->cur_ipos, "instruction %s not supported", wk_opi_text[in->opi]);
  }
  int unary = sig[1] == '>'; /* "a>r" or "ab>r" (a load "i>r", a store "iv>") */
  if (in->imm == WK_IMM_MEMARG) {
    if (unary) load(x, iop, wk_sig_valtype(sig[2]));
    else store(x, iop, wk_sig_valtype(sig[1]));
    return;
  }
  numop o = {(uint16_t)iop, wk_sig_valtype(sig[0]), wk_sig_valtype(sig[unary ? 2 : 3]), (uint8_t)unary};
  numeric(x, &o);
}

/* block / loop / if (Core spec 3.3.8): the block type from lib/encode's reader, in slots */
/* ---- exception handling (Core 3.0 3.3.8, 4.4.8 throw, throw_ref, try_table) ----
 * try_table bt catch*: a block whose start holds one CATCH kind tag dst target per catch clause,
 * a no-op when run in line; its target word is linked to the clause's label like a branch's (so
 * the label mechanism patches it), dst is where the label wants its values (the payload, then
 * the exnref for the _ref forms). When the try_table closes, [first word after the CATCHes, end)
 * is recorded in x->hs (wk_handler; inner try_tables close first). A throw (exec.c
 * wk_eh_unwind) searches those ranges at the throwing instruction, then at each caller's call
 * (its return address - 1), writes the payload to dst and continues at the target. A catch to
 * the function's own label (a return) lands on a pad after the CATCHes that copies the values to
 * the result slots and returns. THROW tag base (the payload in consecutive slots from base, as
 * call arguments) · THROW_REF slot. */
static void try_table_insn(dec *x, const wk_insn *in) {
  uint32_t np, nr;
  const uint8_t *pt, *rt;
  blocktype(x, in, &np, &pt, &nr, &rt);
  check_params(x, np, pt);
  materialize_all(x);
  barrier(x);
  uint32_t pads[64], npads = 0; /* catches to the function label: their pads (below) */
  uint32_t catch_pc = here(x), n = 0;
  size_t cur = 0;
  for (uint32_t k = 0; k < in->count; k++) {
    uint8_t kind;
    uint32_t tag, l;
    wk_insn_catch(in, &cur, &kind, &tag, &l);
    ctl *c = &x->cs[x->nc - 1 - l];
    const uint8_t *ty;
    uint32_t na = label_arity(c, &ty);
    uint32_t dst = c->kind == C_FUNC ? home(x, x->h) : home(x, c->height);
    if (c->kind == C_FUNC && x->h + na > x->maxh) x->maxh = x->h + na;
    uint32_t at = E4(IOP_CATCH, kind, tag, dst, NONE);
    if (at == NONE) continue; /* dead code */
    n++;
    if (c->kind == C_FUNC) {
      if (npads < 64) pads[npads++] = at + 4;
      else fail(x, WK_ERR_UNSUPPORTED, x->cur_ipos, "too many catch clauses to the function label");
    } else {
      c->sites_ok = 0; /* the values arrive from the unwinder, not from recorded writes */
      link_target(x, c, at + 4);
    }
  }
  if (npads) { /* BR over the pad; pad: the values to the result slots, return */
    uint32_t w = E1(IOP_BR, NONE) + 1;
    uint32_t pad = here(x);
    for (uint32_t i = 0; i < npads; i++) x->code[pads[i]] = pad;
    uint32_t dst = home(x, x->h), nres = x->ft->nresults;
    for (uint32_t i = 0; i < nres; i++) E2(IOP_COPY, i, dst + i);
    E0(IOP_RET);
    barrier(x);
    x->code[w] = here(x);
  }
  push_ctl(x, C_BLOCK, np, pt, nr, rt);
  ctl *c = top_ctl(x);
  c->is_try = 1;
  c->catch_pc = catch_pc;
  c->ncatch = n;
  c->try_start = here(x);
  new_block(x);
}
static void legacy_try_end(dec *x, ctl *c);
static void eh_resolve(dec *x, ctl *c, uint32_t k);
static void try_table_end(dec *x, ctl *c) {
  if (c->is_try == 2) { legacy_try_end(x, c); return; }
  if (!c->ncatch || here(x) == c->try_start) { eh_resolve(x, c, NONE); return; }
  x->hs = xgrow(x, x->hs, &x->caphs, x->nhs + 1, sizeof *x->hs);
  x->hs[x->nhs++] = (wk_handler){c->try_start, here(x), c->catch_pc, c->ncatch};
  eh_resolve(x, c, (uint32_t)x->nhs - 1);
}
static void throw_insn(dec *x, const wk_insn *in) {
  if (in->op == WK_OP_THROW_REF) {
    ent e = pop(x);
    E1(IOP_THROW_REF, slot_of(x, e, x->h));
  } else {
    const wk_core_functype *tft = xtype(x, x->m->tag_type[in->idx0]);
    uint32_t base;
    call_args(x, tft, &base);
    E2(IOP_THROW, in->idx0, base);
  }
  set_unreachable(x);
}

/* ---- legacy exception handling (WK_FEAT_LEGACY_EXCEPTIONS; exception-handling repository,
 * document/legacy/exceptions, "Execution") ----
 * try bt: a block (is_try 2) whose body [try_start, do_end) is the range of its clauses' handlers.
 * Each catch x / catch_all body starts with CATCH WK_ICATCH_LEGACY / WK_ICATCH_ALL_LEGACY tag dst
 * target (never run in line: the previous body ends with a branch to the try's end or is
 * unreachable), one handler each (same range, clause order). The unwinder writes the exnref to
 * dst = the try's height (a hidden operand-stack entry below the payload, which rethrow l reads:
 * THROW_REF of label l's height) and the payload above it; a catch body's results are moved down
 * one slot when it ends. delegate l: a handler with n = 0 (exec.c wk_eh_unwind) whose catch_pc
 * becomes the distance to the first handler of the construct the exception goes to: the
 * innermost try_table or try body at label l or outside it (a block does not catch; a try's catch
 * bodies are outside its handlers); none: the caller. That handler is recorded later (it closes
 * after this one), so delegates wait on its ctl (dpend1, chained through catch_pc) until
 * eh_resolve. */
static void end_insn(dec *x);
static int eh_handles(const ctl *t) { return t->is_try == 1 || (t->is_try == 2 && !t->eh_part); }
/* the construct cs[ci] or the innermost one outside it that handles, NULL for none (the caller);
 * memoized in the constructs passed (only the innermost one changes, and only from handling to
 * not: deep nesting stays linear) */
static ctl *eh_target(dec *x, uint32_t ci) {
  uint32_t i = ci;
  while (!eh_handles(&x->cs[i]) && x->cs[i].kind != C_FUNC && !x->cs[i].eh_near1) i--;
  uint32_t r = eh_handles(&x->cs[i]) || x->cs[i].kind == C_FUNC ? i : x->cs[i].eh_near1 - 1;
  for (uint32_t j = ci; j > i; j--) x->cs[j].eh_near1 = r + 1;
  return x->cs[r].kind == C_FUNC ? NULL : &x->cs[r];
}
/* c's construct got its first handler k (NONE: it has none): the delegates waiting on it go
 * there, or on to the next construct out */
static void eh_wait(ctl *t, dec *x, uint32_t p1, uint32_t tail1) { /* append chain p1..tail1 to t's */
  x->hs[tail1 - 1].catch_pc = 0;
  if (t->dtail1) x->hs[t->dtail1 - 1].catch_pc = p1;
  else t->dpend1 = p1;
  t->dtail1 = tail1;
}
static void eh_resolve(dec *x, ctl *c, uint32_t k) {
  uint32_t p = c->dpend1, tail = c->dtail1;
  c->dpend1 = c->dtail1 = 0;
  if (!p) return;
  ctl *t = k == NONE ? eh_target(x, (uint32_t)(c - x->cs) - 1) : NULL;
  if (t) { /* on to the next construct out: O(1) */
    eh_wait(t, x, p, tail);
    return;
  }
  while (p) {
    uint32_t i = p - 1;
    p = x->hs[i].catch_pc;
    x->hs[i].catch_pc = k != NONE ? k - i : WK_DELEGATE_CALLER;
  }
}
static uint32_t eh_handler(dec *x, wk_handler h) {
  x->hs = xgrow(x, x->hs, &x->caphs, x->nhs + 1, sizeof *x->hs);
  x->hs[x->nhs] = h;
  return (uint32_t)x->nhs++;
}
/* the end of the try's body or of a catch body (live code: to the try's end with its results) */
static void legacy_body_end(dec *x, ctl *c) {
  if (!x->dead) {
    emit_br(x, 0);
    set_unreachable(x);
  }
  if (!c->eh_part) {
    c->do_end = here(x);
    c->eh_part = 1;
  }
}
static void legacy_try_end(dec *x, ctl *c) {
  if (!c->eh_part) { /* a try without catch clauses: a block */
    eh_resolve(x, c, NONE);
    return;
  }
  if (!x->dead) { /* a catch body's results, one slot down (over the exnref) */
    uint32_t nr = c->nr;
    copy_values(x, nr, home(x, c->height));
    x->h = c->height;
    for (uint32_t i = 0; i < nr; i++) push_slot(x);
  }
}
static void legacy_eh_insn(dec *x, const wk_insn *in) {
  ctl *c = top_ctl(x);
  switch (in->op) {
  case WK_OP_TRY: {
    uint32_t np, nr;
    const uint8_t *pt, *rt;
    blocktype(x, in, &np, &pt, &nr, &rt);
    check_params(x, np, pt);
    materialize_all(x); /* (the catch bodies see the values below as they are now) */
    barrier(x);
    push_ctl(x, C_BLOCK, np, pt, nr, rt);
    c = top_ctl(x);
    c->is_try = 2;
    c->sites_ok = 0; /* the values also arrive from the catch bodies' moves */
    c->try_start = here(x);
    new_block(x);
    return;
  }
  case WK_OP_CATCH: case WK_OP_CATCH_ALL: {
    int first = !c->eh_part;
    legacy_body_end(x, c);
    x->h = c->height;
    x->dead = !c->entry_live;
    c->unreachable = 0;
    barrier(x);
    uint32_t kind = in->op == WK_OP_CATCH ? WK_ICATCH_LEGACY : WK_ICATCH_ALL_LEGACY;
    uint32_t at = E4(IOP_CATCH, kind, in->op == WK_OP_CATCH ? in->idx0 : 0, home(x, c->height), NONE);
    uint32_t k = NONE;
    if (at != NONE) {
      x->code[at + 4] = at + 5;
      if (c->do_end > c->try_start) k = eh_handler(x, (wk_handler){c->try_start, c->do_end, at, 1});
    }
    if (first) eh_resolve(x, c, k);
    push(x, K_SLOT, 0, 0); /* (rethrow's slot) */
    if (in->op == WK_OP_CATCH) {
      const wk_core_functype *tft = xtype(x, x->m->tag_type[in->idx0]);
      for (uint32_t i = 0; i < tft->nparams; i++) push_slot(x);
    }
    new_block(x);
    return;
  }
  case WK_OP_DELEGATE: {
    uint32_t k = NONE;
    if (c->entry_live && here(x) > c->try_start) {
      ctl *t = eh_target(x, x->nc - 2 - in->idx0);
      k = eh_handler(x, (wk_handler){c->try_start, here(x), WK_DELEGATE_CALLER, 0});
      if (t) eh_wait(t, x, k + 1, k + 1);
    }
    eh_resolve(x, c, k);
    c->is_try = 0; /* (now a block's end) */
    end_insn(x);
    return;
  }
  default: { /* rethrow l: the exnref label l's catch body keeps */
    ctl *t = &x->cs[x->nc - 1 - in->idx0];
    E1(IOP_THROW_REF, home(x, t->height));
    set_unreachable(x);
    return;
  }
  }
}

static void block_start(dec *x, const wk_insn *in) {
  uint32_t np, nr;
  const uint8_t *pt, *rt;
  blocktype(x, in, &np, &pt, &nr, &rt);
  cond k = {NONE, 0, 0, 0, 0, 0};
  if (in->op == WK_OP_IF) k = pop_cond(x);
  check_params(x, np, pt);
  materialize_all(x);
  push_ctl(x, in->op == WK_OP_BLOCK ? C_BLOCK : in->op == WK_OP_LOOP ? C_LOOP : C_IF, np, pt, nr, rt);
  ctl *c = top_ctl(x);
  if (in->op == WK_OP_LOOP) {
    barrier(x);
    c->loop_pc = here(x); /* back-edges poll for interrupts (BR_POLL, backward JUMP) */
    new_block(x);
  } else if (in->op == WK_OP_IF) {
    /* keep a copy of the params for the else branch, above the slots a fused
     * condition may read (positions h, h+1) */
    for (uint32_t i = 0; i < np; i++) {
      if (x->h + 3 + i > x->maxh) x->maxh = x->h + 3 + i;
      E2(IOP_COPY, home(x, x->h + 2 + i), home(x, c->height + i));
    }
    c->else_patch = emit_cond(x, k, 0);
    new_block(x);
  }
}
static void else_insn(dec *x) {
  ctl *c = top_ctl(x);
  x->h = c->height + c->nr;
  if (!x->dead) {
    size_t before = x->ncode;
    uint32_t ldb = x->last_dest;
    for (uint32_t i = 0; i < c->nr; i++) materialize(x, c->height + i);
    note_site(x, c, before, ldb);
    link_target(x, c, emit_jump(x, IOP_BR));
  }
  x->h = c->height;
  x->dead = !c->entry_live;
  barrier(x);
  if (c->else_patch != NONE) x->code[c->else_patch] = here(x);
  c->kind = C_ELSE;
  c->unreachable = 0;
  for (uint32_t i = 0; i < c->np; i++) push_slot(x);
  for (uint32_t i = 0; i < c->np; i++) E2(IOP_COPY, home(x, c->height + i), home(x, x->h + 2 + i));
  new_block(x);
}
static void end_insn(dec *x) {
  ctl *c = top_ctl(x);
  if (__builtin_expect(c->is_try, 0)) try_table_end(x, c);
  x->h = c->height + c->nr; /* (validated; in unreachable code no entry is read: x->dead) */
  int live_now = !x->dead;
  if (live_now && c->kind != C_FUNC) { /* (the function's results go straight to slots 0..) */
    size_t before = x->ncode;
    uint32_t ldb = x->last_dest;
    for (uint32_t i = 0; i < c->nr; i++) materialize(x, c->height + i);
    note_site(x, c, before, ldb);
  }
  if (c->kind == C_IF && c->entry_live) c->sites_ok = 0; /* the false edge passes the param through */
  x->h = c->height;
  if (c->kind == C_FUNC) {
    x->h += c->nr; /* the results, where they are (emit_return copies them) */
    emit_return(x);
    x->nc--;
    return;
  }
  int live;
  if (c->kind == C_LOOP)
    live = live_now;
  else
    live = live_now || c->has_br || (c->kind == C_IF && c->entry_live);
  if (c->kind == C_IF && c->else_patch != NONE) x->code[c->else_patch] = here(x);
  x->dead = !live;
  barrier(x);
  place_label(x, c);
  uint32_t nr = c->nr;
  int join = c->sites_ok && c->nsites > 0 && live;
  x->join_n = c->nsites;
  memcpy(x->join_sites, c->sites, sizeof c->sites);
  x->join_slot = home(x, c->height);
  x->nc--;
  for (uint32_t i = 0; i < nr; i++) push_slot(x);
  new_block(x);
  x->join_valid = join;
}
static void br_if_k(dec *x, uint32_t l, cond k);
static void br_if_insn(dec *x, uint32_t l) { br_if_k(x, l, pop_cond(x)); }
static void br_if_k(dec *x, uint32_t l, cond k) {
  ctl *t = &x->cs[x->nc - 1 - l];
  t->sites_ok = 0; /* the value also stays on the fall-through path */
  const uint8_t *ty;
  uint32_t n = label_arity(t, &ty);
  check_params(x, n, ty); /* the values keep the label's types (Core spec 3.3.8.9) */
  if (x->dead) return;
  if (t->kind == C_FUNC) {
    uint32_t skip = emit_cond(x, k, 0);
    emit_return(x);
    x->code[skip] = here(x);
  } else if (values_in_place(x, n, t->height) || n == 0) {
    link_target(x, t, emit_cond(x, k, 1));
  } else {
    uint32_t skip = emit_cond(x, k, 0);
    emit_br(x, l);
    x->code[skip] = here(x);
  }
  barrier(x);
}
static void br_table_insn(dec *x, const wk_insn *in) {
  uint32_t n = in->count;
  uint32_t *ls = malloc(((size_t)n + 1) * sizeof *ls);
  if (!ls) fail(x, WK_ERR_NOMEM, x->cur_ipos, "out of memory");
  size_t cur = 0;
  for (uint32_t i = 0; i < n; i++) ls[i] = wk_insn_br_target(in, &cur);
  ls[n] = in->idx0;
  ent idx = pop(x);
  for (uint32_t i = 0; i <= n; i++) x->cs[x->nc - 1 - ls[i]].sites_ok = 0;
  const uint8_t *ty0;
  uint32_t ar = label_arity(&x->cs[x->nc - 1 - ls[n]], &ty0);
  if (!x->dead) {
    uint32_t si = slot_of(x, idx, x->h);
    uint32_t at = here(x);
    uint32_t *p = reserve(x, (size_t)n + 4);
    p[0] = IOP_BR_TABLE, p[1] = si, p[2] = n;
    for (uint32_t i = 0; i <= n; i++) x->code[at + 3 + i] = NONE;
    for (uint32_t i = 0; i <= n; i++) {
      ctl *t = &x->cs[x->nc - 1 - ls[i]];
      uint32_t w = at + 3 + i;
      if (t->kind != C_FUNC && (ar == 0 || values_in_place(x, ar, t->height))) {
        link_target(x, t, w);
      } else { /* stub: copies then branch */
        x->code[w] = here(x);
        barrier(x);
        emit_br(x, ls[i]);
      }
    }
  }
  free(ls);
  set_unreachable(x);
}
static void select_insn(dec *x, const wk_insn *in) {
  uint8_t t = in->op == WK_OP_SELECT_T ? in->valtype : T_ANY;
  ent cnd = pop(x);
  if (t == WK_V128 || (t == T_ANY && x->opnd_v128)) {
    /* v128: one SELECT per half; the halves of a and b stay adjacent (vslot) */
    vent vb = popv(x), va = popv(x);
    uint32_t sc = slot_of(x, cnd, x->h + 4);
    uint32_t sa = vslot(x, va, x->h), sb = vslot(x, vb, x->h + 2);
    uint32_t d = pushv(x);
    E4(IOP_SELECT, d, sa, sb, sc);
    E4(IOP_SELECT, d + 1, sa + 1, sb + 1, sc);
    return;
  }
  ent b = pop(x);
  ent a = pop(x);
  uint32_t sc = slot_of(x, cnd, x->h + 2);
  uint32_t sa = slot_of(x, a, x->h);
  uint32_t sb = slot_of(x, b, x->h + 1);
  uint32_t d = push_slot(x);
  result_dest(x, E4(IOP_SELECT, d, sa, sb, sc), 1);
}
static void local_set_insn(dec *x, const wk_insn *in) {
  uint32_t l = local_slot(x, in->idx0);
  int tee = in->op == WK_OP_LOCAL_TEE;
  ctl *c = top_ctl(x);
  if (x->ltypes[l] == WK_V128) { /* the high half, then the low one */
    uint32_t ld = x->last_dest;
    x->join_valid = 0;
    if (!x->dead && ld != NONE && x->h >= c->height + 2 && x->st[x->h - 1].kind == K_SLOT &&
        x->st[x->h - 2].kind == K_SLOT && x->code[ld] == home(x, x->h - 2)) {
      int cow = 0;
      for (uint32_t p = 0; p + 2 < x->h; p++)
        if (x->st[p].kind == K_LOCAL && (x->st[p].local == l || x->st[p].local == l + 1)) cow = 1;
      if (!cow) { /* the SIMD instruction just emitted writes the local directly */
        x->code[ld] = l;
        popv(x);
        soft_barrier(x);
        if (tee) push(x, K_LOCAL, l, 0), push(x, K_LOCAL, l + 1, 0);
        return;
      }
    }
    if (simd_set_local(x, l, tee)) return; /* one 16-byte move */
    set_local(x, l + 1, 0);
    set_local(x, l, 0);
    if (tee) push(x, K_LOCAL, l, 0), push(x, K_LOCAL, l + 1, 0);
    return;
  }
  set_local(x, l, tee);
}
/* memory.init, memory.copy, memory.fill, table.init, table.copy, table.fill: three i32 operands
 * and the immediates (Core spec 3.3.6-3.3.7) */
static void bulk3(dec *x, uint32_t iop, const wk_insn *in) {
  ent n = pop(x), v = pop(x), d = pop(x);
  uint32_t sd = slot_of(x, d, x->h), sv = slot_of(x, v, x->h + 1), sn = slot_of(x, n, x->h + 2);
  switch (in->op) {
  case WK_OP_MEMORY_INIT: E4(iop, in->idx0, sd, sv, sn); break;
  case WK_OP_MEMORY_COPY: case WK_OP_MEMORY_FILL: E3(iop, sd, sv, sn); break;
  case WK_OP_TABLE_INIT: E5(iop, in->idx0, in->idx1, sd, sv, sn); break;
  case WK_OP_TABLE_COPY: E5(iop, in->idx0, in->idx1, sd, sv, sn); break;
  default: E4(iop, in->idx0, sd, sv, sn); break; /* table.fill t: i v n */
  }
}

/* Translate one instruction, decoded by wk_insn_read (named immediates) and validated by
 * lib/encode's validator (wk_funcval_op) before: the translator checks nothing. Instructions
 * with a translation of their own are cases here; every other one goes by its class
 * (translate_simple: the table's IOP and SIG columns). */
static void translate_insn(dec *x, const wk_insn *in, size_t ipos) {
  wk_module *m = x->m;
  uint32_t iop = iop_of[in->opi];
  x->cur_ipos = (uint32_t)ipos;
  x->in = in;
  if (in->op != WK_OP_LOCAL_SET && in->op != WK_OP_LOCAL_TEE) x->join_valid = 0;
  if (!x->dead) {
    x->srcmap = xgrow(x, x->srcmap, &x->capsrc, x->nsrc + 2, sizeof *x->srcmap);
    x->srcmap[x->nsrc++] = here(x);
    x->srcmap[x->nsrc++] = (uint32_t)ipos;
    if (x->fuel) x->code[x->fuel_pos + 1]++;
  }
  if (x->xmem && (xmem_insn(x, in) || xtable_insn(x, in))) return; /* 3.0 memories, table64 */
  switch (in->op) {
  case WK_OP_UNREACHABLE:
    E0(iop);
    set_unreachable(x);
    break;
  case WK_OP_NOP: break;
  case WK_OP_BLOCK: case WK_OP_LOOP: case WK_OP_IF: block_start(x, in); break;
  case WK_OP_ELSE: else_insn(x); break;
  case WK_OP_END: end_insn(x); break;
  case WK_OP_BR:
    emit_br(x, in->idx0);
    set_unreachable(x);
    break;
  case WK_OP_BR_IF: br_if_insn(x, in->idx0); break;
  case WK_OP_BR_TABLE: br_table_insn(x, in); break;
  case WK_OP_RETURN:
    emit_return(x);
    set_unreachable(x);
    break;
  case WK_OP_CALL: {
    uint32_t f = in->idx0;
    const wk_core_functype *cft = xtype(x, m->func_type[f]);
    uint32_t base;
    call_args(x, cft, &base);
    if (f < m->nfunc_imports) E2(IOP_CALL_IMPORT, f, base);
    else E2(iop, f - m->nfunc_imports, base);
    call_results(x, cft);
    break;
  }
  case WK_OP_CALL_INDIRECT: {
    ent idx = pop(x);
    const wk_core_functype *cft = xtype(x, in->idx0);
    uint32_t base;
    /* the index's home is above the arguments: materializing them cannot clobber it */
    uint32_t si = slot_of(x, idx, x->h);
    call_args(x, cft, &base);
    E4(iop, in->idx0, in->idx1, base, si);
    call_results(x, cft);
    break;
  }
  case WK_OP_RETURN_CALL: case WK_OP_RETURN_CALL_INDIRECT: tail_call(x, iop, in); break;
  case WK_OP_CALL_REF: case WK_OP_RETURN_CALL_REF: case WK_OP_REF_AS_NON_NULL: case WK_OP_BR_ON_NULL:
  case WK_OP_BR_ON_NON_NULL: funcref_insn(x, in); break;
  case WK_OP_TRY_TABLE: try_table_insn(x, in); break;
  case WK_OP_TRY: case WK_OP_CATCH: case WK_OP_CATCH_ALL: case WK_OP_DELEGATE: case WK_OP_RETHROW: legacy_eh_insn(x, in); break;
  case WK_OP_THROW: case WK_OP_THROW_REF: throw_insn(x, in); break;
  case WK_OP_DROP: /* (a v128: both halves) */
    pop(x);
    if (x->opnd_v128) pop(x);
    soft_barrier(x);
    break;
  case WK_OP_SELECT: case WK_OP_SELECT_T: select_insn(x, in); break;
  case WK_OP_LOCAL_GET: {
    uint32_t l = local_slot(x, in->idx0);
    uint8_t t = x->ltypes[l];
    push(x, K_LOCAL, l, 0);
    if (t == WK_V128) push(x, K_LOCAL, l + 1, 0); /* both halves (simd.h) */
    soft_barrier(x);
    break;
  }
  case WK_OP_LOCAL_SET: case WK_OP_LOCAL_TEE: local_set_insn(x, in); break;
  case WK_OP_GLOBAL_GET: {
    uint32_t g = in->idx0;
    uint32_t d = push_slot(x);
    if (m->globals[g].type == WK_V128) {
      push_slot(x);
      E2(IOP_V128_GGET, d, g);
      break;
    }
    result_dest(x, E2(iop, d, g), 1);
    break;
  }
  case WK_OP_GLOBAL_SET: {
    uint32_t g = in->idx0;
    if (m->globals[g].type == WK_V128) {
      vent v = popv(x);
      E2(IOP_V128_GSET, g, vslot(x, v, x->h));
      break;
    }
    ent v = pop(x);
    E2(iop, g, slot_of(x, v, x->h));
    break;
  }
  case WK_OP_TABLE_GET: {
    ent i = pop(x);
    uint32_t si = slot_of(x, i, x->h);
    uint32_t d = push_slot(x);
    E3(iop, d, in->idx0, si);
    break;
  }
  case WK_OP_TABLE_SET: {
    ent v = pop(x), i = pop(x);
    uint32_t si = slot_of(x, i, x->h), sv = slot_of(x, v, x->h + 1);
    E3(iop, in->idx0, si, sv);
    break;
  }
  case WK_OP_MEMORY_SIZE: {
    uint32_t d = push_slot(x);
    result_dest(x, E1(iop, d), 1);
    break;
  }
  case WK_OP_MEMORY_GROW: {
    ent a = pop(x);
    uint32_t sa = slot_of(x, a, x->h);
    uint32_t d = push_slot(x);
    E2(iop, d, sa);
    barrier(x);
    break;
  }
  case WK_OP_I32_CONST: {
    uint32_t ld = x->last_dest;
    push(x, K_CONST, 0, (uint32_t)in->val.i32);
    soft_barrier(x);
    x->ld_const = ld; /* "p op const" fusions look past the constant (numeric) */
    break;
  }
  case WK_OP_I64_CONST: push(x, K_CONST, 0, (uint64_t)in->val.i64); soft_barrier(x); break;
  case WK_OP_F32_CONST: push(x, K_CONST, 0, in->val.f32); soft_barrier(x); break;
  case WK_OP_F64_CONST: push(x, K_CONST, 0, in->val.f64); soft_barrier(x); break;
  case WK_OP_REF_NULL: push(x, K_CONST, 0, 0); soft_barrier(x); break;
  case WK_OP_REF_IS_NULL: {
    ent a = pop(x);
    uint32_t sa = slot_of(x, a, x->h);
    uint32_t d = push_slot(x);
    result_dest(x, E2(iop, d, sa), 1); /* (a null reference is all zero bits) */
    break;
  }
  case WK_OP_REF_FUNC: {
    uint32_t d = push_slot(x);
    result_dest(x, E2(iop, d, in->idx0), 1);
    break;
  }
  case WK_OP_MEMORY_INIT: case WK_OP_MEMORY_COPY: case WK_OP_MEMORY_FILL: case WK_OP_TABLE_INIT:
  case WK_OP_TABLE_COPY: case WK_OP_TABLE_FILL:
    bulk3(x, iop, in);
    barrier(x);
    break;
  case WK_OP_DATA_DROP: case WK_OP_ELEM_DROP:
    E1(iop, in->idx0);
    barrier(x);
    break;
  case WK_OP_TABLE_GROW: {
    ent n = pop(x), v = pop(x);
    uint32_t sv = slot_of(x, v, x->h), sn = slot_of(x, n, x->h + 1);
    uint32_t d = push_slot(x);
    E4(iop, d, in->idx0, sv, sn);
    barrier(x);
    break;
  }
  case WK_OP_TABLE_SIZE: {
    uint32_t d = push_slot(x);
    E2(iop, d, in->idx0);
    barrier(x);
    break;
  }
  default: translate_simple(x, in); break;
  }
}

/* ======================= module building ======================= */

/* An extended constant expression (Core 3.0 3.3.10, extended-const: more than one instruction
 * before `end`), already validated by wk_core_validate_module: its bytes are kept for
 * wk_eval_cexpr. Returns 0 when `e` is a single instruction (the plain path). */
static int ext_cexpr(dec *x, const wk_core_expr *e, wk_cexpr *out) {
  if (!(x->m->engine->cfg.features & (WK_FEAT_EXTENDED_CONST | WK_FEAT_GC))) return 0;
  wk_insn in;
  size_t pos = 0;
  wk_error e2;
  if (wk_insn_read(e->bytes, e->len, &pos, &in, &e2) || pos >= e->len ||
      (e->bytes[pos] == 0x0b && (in.op & 0xff00) != 0xfb00)) /* (a GC one is evaluated there too) */
    return 0;
  uint32_t n = e->len, depth = 0, maxd = 0;
  while (n && e->bytes[n - 1] != 0x0b) n--; /* without the final end */
  if (n) n--;
  for (pos = 0; pos < n && !wk_insn_read(e->bytes, n, &pos, &in, &e2);) { /* exec.c eval_ext's stack */
    if (in.op == WK_OP_I32_CONST || in.op == WK_OP_I64_CONST || in.op == WK_OP_GLOBAL_GET) depth++;
    else if (depth) depth--;
    if (depth > maxd) maxd = depth;
  }
  if (maxd > 64) fail(x, WK_ERR_UNSUPPORTED, e->offset, "constant expression too deep (implementation limit 64)");
  uint8_t *p = xalloc(x, n + 1, 1);
  memcpy(p, e->bytes, n);
  *out = (wk_cexpr){WK_CEXPR_EXT, n, 0, 0, p};
  return 1;
}

/* A constant expression (Core spec 3.3.10) as the instance evaluates it: the module was validated
 * (wk_core_validate_module), so it is one constant instruction, read by lib/encode's reader, or
 * an extended one (ext_cexpr, evaluated at instantiation). */
static wk_cexpr core_cexpr(dec *x, const wk_core_expr *e) {
  wk_insn in;
  size_t pos = 0;
  wk_cexpr c = {0, 0, 0, 0, NULL};
  if (ext_cexpr(x, e, &c)) return c;
  if (wk_insn_read(e->bytes, e->len, &pos, &in, x->err)) {
    x->err->offset += e->offset;
    longjmp(x->jb, 1);
  }
  switch (in.op) {
  case WK_OP_I32_CONST: c.bits = (uint32_t)in.val.i32; break;
  case WK_OP_I64_CONST: c.bits = (uint64_t)in.val.i64; break;
  case WK_OP_F32_CONST: c.bits = in.val.f32; break;
  case WK_OP_F64_CONST: c.bits = in.val.f64; break;
  case WK_OP_REF_NULL: break;
  case WK_OP_REF_FUNC: case WK_OP_GLOBAL_GET: c.idx = in.idx0; break;
  case WK_OP_V128_CONST:
    memcpy(&c.bits, in.val.v128, 8);
    memcpy(&c.hi, in.val.v128 + 8, 8);
    c.op = 0xfd;
    return c;
  default: fail(x, WK_ERR_UNSUPPORTED, e->offset, "constant expression not supported");
  }
  c.op = (uint8_t)in.op; /* (the one-byte opcodes: 0x41..0x44, 0x23, 0xd0, 0xd2) */
  return c;
}

/* the lazy state of a validated module: a copy of the bodies' bytes and their locals */
static void lazy_keep(dec *x, const wk_core_module *cm) {
  wk_module *m = x->m;
  wk_lazy *lz = xalloc(x, 1, sizeof *lz);
  memset(lz, 0, sizeof *lz);
  uint32_t nd = cm->ncodes;
  lz->body_len = xalloc(x, nd ? nd : 1, sizeof *lz->body_len);
  lz->ngroups = xalloc(x, nd ? nd : 1, sizeof *lz->ngroups);
  lz->groups = xalloc(x, nd ? nd : 1, sizeof *lz->groups);
  lz->fc = xalloc(x, nd ? nd : 1, sizeof *lz->fc);
  memset(lz->fc, 0, (nd ? nd : 1) * sizeof *lz->fc);
  uint64_t lo = UINT64_MAX, hi = 0, ng = 0;
  for (uint32_t i = 0; i < nd; i++) ng += cm->codes[i].ngroups;
  if (ng > SIZE_MAX / sizeof **lz->groups) fail(x, WK_ERR_NOMEM, 0, "out of memory");
  /* every function's local groups in one block (uncleared: each is copied) */
  wk_local_group *gs = wk_arena_alloc_uninit(&m->arena, (size_t)ng * sizeof *gs);
  if (!gs) fail(x, WK_ERR_NOMEM, 0, "out of memory");
  for (uint32_t i = 0; i < nd; i++) {
    const wk_core_code *cc = &cm->codes[i];
    lz->body_len[i] = (uint32_t)cc->body_len;
    lz->ngroups[i] = cc->ngroups;
    lz->groups[i] = gs;
    if (cc->ngroups) memcpy(gs, cc->groups, cc->ngroups * sizeof *gs);
    gs += cc->ngroups;
    if (cc->body_offset < lo) lo = cc->body_offset;
    if ((uint64_t)cc->body_offset + cc->body_len > hi) hi = (uint64_t)cc->body_offset + cc->body_len;
  }
  if (nd) {
    /* bodies lie in the code section in order; each body pointer is bytes + body_offset */
    const uint8_t *base = cm->codes[0].body - cm->codes[0].body_offset;
    lz->src = xdup(x, base + lo, (size_t)(hi - lo));
    lz->src_off = (uint32_t)lo;
  }
  if (x->nv128_at) { /* (validate_body's, in body order: sorted) */
    uint32_t *at = xalloc(x, x->nv128_at, sizeof *at);
    memcpy(at, x->v128_at, x->nv128_at * sizeof *at);
    lz->v128_at = at, lz->nv128_at = x->nv128_at;
  }
  if (pthread_mutex_init(&lz->lock, NULL) != 0) fail(x, WK_ERR_NOMEM, 0, "out of memory");
  m->lazy = lz;
}

/* a typed reference's full type (wk_vt, module type indices) for import matching, else 0 */
static wk_vt full_vt(uint8_t code, uint32_t ht) {
  if (code != WK_REF && code != WK_REFNULL) /* GC shorthands below any (eqref, i31ref, ...): their own code */
    return wk_gc_top_code(code) == WK_ANYREF && code != WK_ANYREF ? code : 0;
  return wk_vt_make(code, ht);
}

/* A NUL-terminated copy of the n bytes at s at *pp, which moves past it (build's name block). */
static char *name_copy(char **pp, const char *s, uint32_t n) {
  char *p = *pp;
  if (n) memcpy(p, s, n);
  p[n] = 0;
  *pp = p + n + 1;
  return p;
}

static int build(dec *x, const wk_core_module *cm) {
  wk_module *m = x->m;
  /* module-level validation (Core spec 3.4); the bodies are validated one instruction at a
   * time below, while they are translated (eager) or before any is (lazy) */
  if (wk_core_validate_module(cm, m->engine->cfg.features, x->err)) longjmp(x->jb, 1);

  m->ntypes = cm->ntypes;
  m->types = xalloc(x, m->ntypes, sizeof *m->types);
  m->type_v128 = xalloc(x, m->ntypes ? m->ntypes : 1, 1); /* (for xtype) */
  /* every type's params and results in one block (uncleared: each byte is copied) */
  size_t nvt = 1;
  for (uint32_t i = 0; i < m->ntypes; i++) nvt += (size_t)cm->types[i].nparams + cm->types[i].nresults;
  uint8_t *vts = wk_arena_alloc_uninit(&m->arena, nvt);
  if (!vts) fail(x, WK_ERR_NOMEM, 0, "out of memory");
  for (uint32_t i = 0; i < m->ntypes; i++) {
    const wk_core_functype *t = &cm->types[i];
    uint8_t *p = vts;
    vts += (size_t)t->nparams + t->nresults;
    if (t->nparams) memcpy(p, t->params, t->nparams);
    if (t->nresults) memcpy(p + t->nparams, t->results, t->nresults);
    uint32_t *hv = NULL;
    if (t->hts) { /* typed references: family codes here, the full types kept for type identity */
      uint32_t n = t->nparams + t->nresults;
      hv = xalloc(x, (size_t)n + 1, sizeof *hv);
      for (uint32_t k = 0; k < n; k++) {
        wk_vt v = wk_functype_vt(t, k);
        hv[k] = wk_vt_is_ref(v) ? full_vt(wk_vt_code(v), wk_vt_heap(v)) : 0;
        p[k] = wk_vt_family(wk_vt_code(v), wk_vt_heap(v));
      }
    } else {
      for (uint32_t k = 0; k < t->nparams + t->nresults; k++) p[k] = wk_gc_top_code(p[k]); /* (GC shorthands) */
    }
    m->types[i] = (wk_core_functype){t->nparams, t->nresults, p, p + t->nparams, hv};
    for (uint32_t k = 0; k < t->nparams + t->nresults; k++)
      if (p[k] == WK_V128) {
        m->type_v128[i] = 1;
        break;
      }
  }
  gc_build_types(x, cm); /* (GC: struct / array types, rec groups, supertypes) */
  m->nimports = cm->nimports;
  m->imports = xalloc(x, m->nimports, sizeof *m->imports);
  m->nfunc_imports = cm->nimported_funcs;
  m->ntable_imports = cm->nimported_tables;
  m->nmem_imports = cm->nimported_mems;
  m->nglobal_imports = cm->nimported_globals;
  m->nfuncs = wk_core_func_count(cm);
  m->ntables = wk_core_table_count(cm);
  m->nmems = wk_core_mem_count(cm);
  m->nglobals = wk_core_global_count(cm);
  m->func_type = xalloc(x, m->nfuncs, sizeof *m->func_type);
  m->funcs = xalloc(x, cm->nfuncs, sizeof *m->funcs);
  m->tables = xalloc(x, m->ntables, sizeof *m->tables);
  m->mems = xalloc(x, m->nmems, sizeof *m->mems);
  m->globals = xalloc(x, m->nglobals, sizeof *m->globals);
  m->declared_funcs = xalloc(x, m->nfuncs + 1, 1);
  /* tags (Core 3.0 exception handling): type index per tag, imports first */
  m->ntags = wk_core_tag_count(cm);
  m->ntag_imports = cm->nimported_tags;
  m->tag_type = xalloc(x, m->ntags, sizeof *m->tag_type);
  for (uint32_t i = 0; i < cm->ntags; i++) m->tag_type[m->ntag_imports + i] = cm->tags[i];
  /* the import, export and function names (NUL-terminated copies: the decoded module is freed)
   * in one block rather than an allocation each */
  size_t nbytes = 1;
  for (uint32_t i = 0; i < cm->nimports; i++) nbytes += (size_t)cm->imports[i].module.len + cm->imports[i].name.len + 2;
  for (uint32_t i = 0; i < cm->nexports; i++) nbytes += (size_t)cm->exports[i].name.len + 1;
  char *names = wk_arena_alloc_uninit(&m->arena, nbytes); /* (every byte used is written) */
  if (!names) fail(x, WK_ERR_NOMEM, 0, "out of memory");
  uint32_t fi = 0, ti = 0, mi = 0, gi = 0, tgi = 0;
  for (uint32_t i = 0; i < cm->nimports; i++) {
    const wk_core_import *ci = &cm->imports[i];
    wk_mimport *im = &m->imports[i];
    im->module = name_copy(&names, ci->module.str, ci->module.len);
    im->name = name_copy(&names, ci->name.str, ci->name.len);
    im->kind = ci->kind;
    switch (ci->kind) {
    case WK_EXTERN_FUNC: im->type = ci->type_index; m->func_type[fi++] = ci->type_index; break;
    case WK_EXTERN_TABLE:
      im->vtype = wk_vt_family(ci->table.reftype, ci->table.ht);
      im->vfull = full_vt(ci->table.reftype, ci->table.ht);
      m->tables[ti].vfull = im->vfull;
      im->lim = (wk_limits){ci->table.lim.min, ci->table.lim.max, ci->table.lim.has_max, ci->table.lim.is64};
      m->tables[ti].et = im->vtype, m->tables[ti++].lim = im->lim;
      break;
    case WK_EXTERN_MEMORY:
      im->lim = (wk_limits){ci->mem.min, ci->mem.max, ci->mem.has_max, ci->mem.is64};
      m->mems[mi++] = im->lim;
      break;
    case WK_EXTERN_TAG: im->type = ci->tag_type; m->tag_type[tgi++] = ci->tag_type; break;
    default:
      im->vtype = wk_vt_family(ci->global.valtype, ci->global.ht);
      im->vfull = full_vt(ci->global.valtype, ci->global.ht);
      m->globals[gi].vfull = im->vfull;
      im->mut = ci->global.mut;
      m->globals[gi].type = im->vtype, m->globals[gi++].mut = im->mut;
      break;
    }
  }
  for (uint32_t i = 0; i < cm->nfuncs; i++) {
    m->func_type[fi + i] = cm->funcs[i];
    m->funcs[i].type = cm->funcs[i];
  }
  for (uint32_t i = 0; i < cm->ntables; i++) {
    m->tables[ti + i].et = wk_vt_family(cm->tables[i].reftype, cm->tables[i].ht);
    m->tables[ti + i].vfull = full_vt(cm->tables[i].reftype, cm->tables[i].ht);
    if (cm->table_inits && cm->table_inits[i].len) { /* Core 3.0 5.5.7: a table initialiser */
      m->tables[ti + i].has_init = 1;
      m->tables[ti + i].init = core_cexpr(x, &cm->table_inits[i]);
      if (m->tables[ti + i].init.op == WK_OP_REF_FUNC) m->declared_funcs[m->tables[ti + i].init.idx] = 1;
    }
    m->tables[ti + i].lim = (wk_limits){cm->tables[i].lim.min, cm->tables[i].lim.max, cm->tables[i].lim.has_max,
                                        cm->tables[i].lim.is64};
  }
  for (uint32_t i = 0; i < cm->nmems; i++)
    m->mems[mi + i] = (wk_limits){cm->mems[i].min, cm->mems[i].max, cm->mems[i].has_max, cm->mems[i].is64};
  for (uint32_t i = 0; i < cm->nglobals; i++) {
    wk_mglobal *g = &m->globals[gi + i];
    g->type = wk_vt_family(cm->globals[i].type.valtype, cm->globals[i].type.ht);
    g->vfull = full_vt(cm->globals[i].type.valtype, cm->globals[i].type.ht);
    g->mut = cm->globals[i].type.mut;
  }
  for (uint32_t i = 0; i < cm->nglobals; i++) {
    wk_mglobal *g = &m->globals[gi + i];
    g->init = core_cexpr(x, &cm->globals[i].init);
    if (g->init.op == WK_OP_REF_FUNC) m->declared_funcs[g->init.idx] = 1;
  }
  m->nexports = cm->nexports;
  m->exports = xalloc(x, m->nexports, sizeof *m->exports);
  for (uint32_t i = 0; i < cm->nexports; i++) {
    wk_mexport *e = &m->exports[i];
    e->name = name_copy(&names, cm->exports[i].name.str, cm->exports[i].name.len);
    e->name_len = cm->exports[i].name.len;
    e->kind = cm->exports[i].kind;
    e->idx = cm->exports[i].index;
    if (e->kind == WK_EXTERN_FUNC) m->declared_funcs[e->idx] = 1;
  }
  m->has_start = cm->has_start;
  m->start = cm->start;
  m->nelems = cm->nelems;
  m->elems = xalloc(x, m->nelems, sizeof *m->elems);
  for (uint32_t i = 0; i < cm->nelems; i++) {
    const wk_core_elem *ce = &cm->elems[i];
    wk_melem *e = &m->elems[i];
    e->mode = ce->mode == WK_SEG_ACTIVE ? SEG_ACTIVE : ce->mode == WK_SEG_PASSIVE ? SEG_PASSIVE : SEG_DECLARATIVE;
    e->et = wk_vt_family(ce->reftype, ce->ht);
    e->table = ce->table;
    if (e->mode == SEG_ACTIVE) e->offset = core_cexpr(x, &ce->offset);
    e->n = ce->count;
    e->items = xalloc(x, e->n, sizeof *e->items);
    for (uint32_t k = 0; k < e->n; k++) {
      if (ce->exprs) {
        e->items[k] = core_cexpr(x, &ce->exprs[k]);
      } else {
        e->items[k].op = WK_OP_REF_FUNC;
        e->items[k].idx = ce->funcs[k];
      }
      if (e->items[k].op == WK_OP_REF_FUNC) m->declared_funcs[e->items[k].idx] = 1;
    }
  }
  m->ndatas = cm->ndatas;
  m->datas = xalloc(x, m->ndatas, sizeof *m->datas);
  for (uint32_t i = 0; i < cm->ndatas; i++) {
    const wk_core_data *cd = &cm->datas[i];
    wk_mdata *d = &m->datas[i];
    d->mode = cd->mode == WK_SEG_ACTIVE ? SEG_ACTIVE : SEG_PASSIVE;
    d->mem = cd->memory;
    if (d->mode == SEG_ACTIVE) d->offset = core_cexpr(x, &cd->offset);
    d->len = cd->len;
    d->src_off = cd->data_offset;
    d->bytes = xdup(x, cd->bytes, d->len);
  }
  x->has_datacount = cm->has_datacount;
  x->data_section = cm->sections_present >> 11 & 1;
  /* the name sections: kept for wk_module_func_names (decoded with WK_CORE_DECODE_LAZY_NAMES) */
  for (uint32_t i = 0; i < cm->ncustoms; i++) {
    const wk_core_custom *c = &cm->customs[i];
    if (c->name.len != 4 || memcmp(c->name.str, "name", 4)) continue;
    if (!m->name_secs) {
      uint32_t k = 0;
      for (uint32_t j = i; j < cm->ncustoms; j++) k += cm->customs[j].name.len == 4 && !memcmp(cm->customs[j].name.str, "name", 4);
      m->name_secs = xalloc(x, k, sizeof *m->name_secs);
    }
    m->name_secs[m->nname_secs++] = (struct wk_rawsec){c->len ? xdup(x, c->content, c->len) : NULL, c->len};
  }
  if (m->gctypes) gc_fix_families(x); /* (GC: struct / array types' references are anyrefs) */
  /* function bodies: validate + translate in one pass each (eager), or validate now and keep
   * what translating them on first call needs (lazy: wk_func_translate) */
  x->xmem = xmem_needed(m); /* (memories and tables are known now) */
  if (cm->ncodes) {
    /* the engine's spare validator (the last module's, rebound), else a new one */
    wk_funcval *fv = __atomic_exchange_n(&m->engine->fv_spare, NULL, __ATOMIC_ACQ_REL);
    if (fv && wk_funcval_reset(fv, cm) != WK_OK) wk_funcval_free(fv), fv = NULL;
    else if (!fv) fv = wk_funcval_new(cm);
    if (!fv) fail(x, WK_ERR_NOMEM, 0, "out of memory");
    wk_funcval_set_features(fv, m->engine->cfg.features);
    x->fv = fv;
    for (uint32_t i = 0; i < cm->ncodes; i++) {
      wk_mfunc *mf = &m->funcs[i];
      if (x->eager) {
        translate_body(x, mf, &m->types[mf->type], &cm->codes[i], fv, m->nfunc_imports + i);
      } else {
        validate_body(x, mf, &m->types[mf->type], &cm->codes[i], fv, m->nfunc_imports + i);
      }
    }
    x->fv = NULL;
    wk_funcval_free(__atomic_exchange_n(&m->engine->fv_spare, fv, __ATOMIC_ACQ_REL)); /* (kept for the next) */
  }
  if (!x->eager) lazy_keep(x, cm);
  return WK_OK;
}

/* The pair and chain lists (internal.h WK_PAIRS, WK_TRIPLES) and their lookup tables, built once
 * per engine (wk_pairs_new) rather than on every translation: a lazily translated module translates
 * each function on its own, and building the tables cost more than pairing a small function. */
static const uint16_t pairs_list[][3] = {
#define WK_P(a, b) {IOP_##a, IOP_##b, IOP_##a##__##b},
    WK_PAIRS(WK_P)
#undef WK_P
};
static const uint16_t triples_list[][3] = {
#define WK_T(X, a, b, c, w) {IOP_##a##__##b, IOP_##c, IOP_##a##__##b##__##c},
    WK_TRIPLES(WK_T, )
#undef WK_T
};
enum { NPAIRS = sizeof pairs_list / sizeof pairs_list[0], NTRIPLES = sizeof triples_list / sizeof triples_list[0] };
struct wk_pairs {
  /* pairs by first op: first[a] = 1 + index of a pair starting with a, then chained by next[] */
  uint16_t first[IOP__COUNT], next[NPAIRS];
  /* triples by their pair (1 + index, chained by tnext), and each chain's own pair */
  uint16_t head[IOP__COUNT], tnext[NTRIPLES], chain_pair[IOP__COUNT];
  /* the loops' opcode words (exec.c wk_thread_offsets), for wk_thread_words_offs */
  int32_t offs[2][IOP__COUNT];
};

wk_pairs *wk_pairs_new(void) {
  wk_pairs *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  for (int i = NPAIRS - 1; i >= 0; i--) t->next[i] = t->first[pairs_list[i][0]], t->first[pairs_list[i][0]] = (uint16_t)(i + 1);
  for (int i = NTRIPLES - 1; i >= 0; i--)
    t->tnext[i] = t->head[triples_list[i][0]], t->head[triples_list[i][0]] = (uint16_t)(i + 1);
  for (int i = 0; i < NTRIPLES; i++) t->chain_pair[triples_list[i][2]] = triples_list[i][0];
  wk_thread_offsets(t->offs);
  return t;
}

/* Chained superinstructions (internal.h WK_TRIPLES), on paired code: where the pair A__B is directly
 * followed by C and (A, B, C) is listed, A__B's opcode word becomes A__B__C. */
static void chain_code(const wk_pairs *pt, uint32_t *code, size_t ncode) {
  const uint16_t(*triples)[3] = triples_list;
  const uint16_t *head = pt->head, *next = pt->tnext, *chain_pair = pt->chain_pair;
  /* right to left, so that C (to the right) is final when A__B is looked at: a chain may end in a
   * chain (the entries name the label they go to). (No memory for the instruction starts: no
   * chains, the code is as correct.) */
  size_t n = 0, cap = ncode / 2 + 1;
  uint32_t small[256]; /* (most lazily translated functions: no allocation) */
  uint32_t *starts = cap <= 256 ? small : malloc(cap * sizeof *starts);
  if (!starts) return;
  for (size_t pc = 0; pc < ncode && n < cap;) {
    starts[n++] = (uint32_t)pc;
    pc += wk_iop_words[code[pc]] ? wk_iop_words[code[pc]] : (size_t)4 + code[pc + 2];
  }
  while (n--) {
    size_t pc = starts[n];
    uint32_t a = code[pc];
    size_t na = wk_iop_words[a];
    if (!head[a] || !na || pc + na >= ncode) continue;
    uint32_t b = code[pc + na];
    size_t nb = wk_iop_words[b] ? wk_iop_words[b] : (size_t)4 + code[pc + na + 2];
    if (pc + na + nb >= ncode) continue;
    uint32_t c = code[pc + na + nb];
    uint32_t c2 = c < IOP__COUNT && chain_pair[c] ? chain_pair[c] : c; /* a chain C__D__E starts as
                                                                         its pair C__D: either label */
    int t = -1;
    for (int i = head[a] - 1; i >= 0 && t < 0; i = next[i] - 1)
      if (triples[i][1] == c && wk_iop_words[triples[i][2]] == na) t = i;
    for (int i = head[a] - 1; i >= 0 && t < 0; i = next[i] - 1)
      if (triples[i][1] == c2 && wk_iop_words[triples[i][2]] == na) t = i;
    if (t >= 0) code[pc] = triples[t][2];
  }
  if (starts != small) free(starts);
}

/* Superinstructions (internal.h WK_PAIRS): left to right, where instruction B directly follows A
 * and (A, B) is a listed pair, A's opcode word becomes A__B (B is left as it is, see WK_PAIRS);
 * then chain_code, only if a pair was made (chains start at pairs, and the translator emits no
 * pair itself: no pair, nothing to chain, as in most small functions). */
static void pair_code(const wk_pairs *pt, uint32_t *code, size_t ncode) {
  const uint16_t(*pairs)[3] = pairs_list;
  const uint16_t *first = pt->first, *next = pt->next;
  int paired = 0;
  for (size_t pc = 0; pc < ncode;) {
    uint32_t a = code[pc];
    size_t na = wk_iop_words[a] ? wk_iop_words[a] : (size_t)4 + code[pc + 2];
    if (first[a] && pc + na < ncode) {
      uint32_t b = code[pc + na];
      for (int i = first[a] - 1; i >= 0; i = next[i] - 1)
        if (pairs[i][1] == b && wk_iop_words[pairs[i][2]] == na) {
          code[pc] = pairs[i][2];
          paired = 1;
          size_t nb = wk_iop_words[b] ? wk_iop_words[b] : (size_t)4 + code[pc + na + 2];
          pc += na + nb; /* B is consumed by the pair */
          goto next;
        }
    }
    pc += na;
  next:;
  }
  if (paired) chain_code(pt, code, ncode);
}

int wk_translate_module(wk_module *m, const uint8_t *bytes, size_t len, int eager, wk_error *err) {
  dec *x = calloc(1, sizeof *x);
  if (!x) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  x->eager = eager;
  x->last_dest = x->ld_const = NONE;
  wk_error local;
  x->err = err ? err : &local;
  x->m = m;
  x->fuel = m->engine->cfg.consume_fuel;
  int rc;
  wk_core_module *cm = NULL;
  if (setjmp(x->jb)) {
    rc = x->err->code ? x->err->code : WK_ERR_MALFORMED;
    if (x->fv) wk_funcval_free(x->fv);
    x->fv = NULL;
    /* a malformed body anywhere is a decoding error, before any validation error */
    wk_error e2;
    if (!eager && x->cm && rc != WK_ERR_MALFORMED && rc != WK_ERR_NOMEM && wk_core_scan_bodies(x->cm, &e2) != WK_OK) {
      *x->err = e2;
      rc = WK_ERR_MALFORMED;
    }
  } else {
    /* lazy: the validation pass reads every instruction, so decoding does not scan them first */
    rc = wk_core_decode_features_ex(bytes, len, (eager ? 0 : WK_CORE_DECODE_LAZY_BODIES) | WK_CORE_DECODE_LAZY_NAMES |
                                                    WK_CORE_DECODE_BORROW_NAMES,
                                    m->engine->cfg.features, &cm, x->err);
    x->cm = cm; /* (read after a longjmp: kept in *x, not in a local) */
    if (rc == WK_OK) rc = build(x, cm);
  }
  wk_core_free((wk_core_module *)x->cm);
  free(x->st);
  free(x->cs);
  free(x->ltypes);
  free(x->lslot);
  free(x->xt);
  free(x->v128_at);
  if (rc == WK_OK && !eager) rc = wk_lazy_stubs(m, (const int32_t(*)[IOP__COUNT])m->engine->pairs->offs);
  if (rc == WK_OK) {
#ifndef WK_NO_PAIRS /* (for a WK_PROFILE build that counts the pairs themselves) */
    pair_code(m->engine->pairs, x->code, x->ncode);
#endif
    m->code = x->code;
    m->ncode = x->ncode;
    m->srcmap = x->srcmap;
    m->nsrcmap = x->nsrc / 2;
    m->handlers = x->hs;
    m->nhandlers = (uint32_t)x->nhs;
  } else {
    free(x->code);
    free(x->srcmap);
    free(x->hs);
  }
  free(x);
  return rc;
}

/* A cleared translator state for wk_func_translate (lock held), with the buffers of the module's
 * last translation (operand and control stacks, code words) kept: a lazily translated module
 * translates one function at a time, and allocating them afresh was a fixed cost of each; NULL
 * without memory. */
__attribute__((noinline)) static dec *lazy_scratch(wk_lazy *lz) { /* (noinline: no -Wclobbered false alarm) */
  dec *x = lz->scratch;
  lz->scratch = NULL;
  if (!x) return calloc(1, sizeof *x);
  ent *st = x->st;
  ctl *cs = x->cs;
  uint32_t *code = x->code, *srcmap = x->srcmap;
  uint8_t *ltypes = x->ltypes;
  uint32_t caph = x->caph, capc = x->capc;
  size_t capcode = x->capcode, capsrc = x->capsrc, capltypes = x->capltypes;
  memset(x, 0, sizeof *x);
  x->st = st, x->caph = caph, x->cs = cs, x->capc = capc, x->code = code, x->capcode = capcode;
  x->srcmap = srcmap, x->capsrc = capsrc, x->ltypes = ltypes, x->capltypes = capltypes;
  return x;
}

/* Lazy translation of one function (internal.h wk_lazy). The module is valid (every body was
 * checked by wk_module_new), so translation only fails for lack of memory. */
int wk_func_translate(const wk_module *cm, uint32_t i) {
  wk_module *m = (wk_module *)cm;
  wk_lazy *lz = m->lazy;
  wk_mfunc *mf = &m->funcs[i];
  if (!lz || WK_ACQ(mf->tc[0]) != lz->stubs[0] + 2 * i) return WK_OK;
  pthread_mutex_lock(&lz->lock);
  int rc = WK_OK;
  if (mf->tc[0] == lz->stubs[0] + 2 * i) {
    wk_error local;
    local.code = 0; /* (only the code is read; fail() sets every field) */
    dec *x = lazy_scratch(lz);
    if (!x) {
      rc = WK_ERR_NOMEM;
    } else {
      x->last_dest = x->ld_const = NONE;
      x->err = &local;
      x->m = m;
      x->fuel = m->engine->cfg.consume_fuel;
      x->xmem = xmem_needed(m);
      /* about a code word and a srcmap word per body byte: size the buffers once (they grow if not) */
      size_t cap = (size_t)lz->body_len[i] + 16;
      if (x->capcode < cap) {
        free(x->code);
        x->capcode = 0;
        if ((x->code = malloc(cap * sizeof *x->code)) != NULL) x->capcode = cap;
      }
      if (x->capsrc < cap) {
        free(x->srcmap);
        x->capsrc = 0;
        if ((x->srcmap = malloc(cap * sizeof *x->srcmap)) != NULL) x->capsrc = cap;
      }
      wk_mfunc f = *mf;
      if (setjmp(x->jb)) {
        rc = local.code ? local.code : WK_ERR_NOMEM;
      } else {
        wk_core_code cc;
        memset(&cc, 0, sizeof cc);
        cc.ngroups = lz->ngroups[i];
        cc.groups = lz->groups[i];
        cc.nlocals = mf->nlocals - mf->nparams;
        cc.body = lz->src + (mf->body_off - lz->src_off);
        cc.body_len = lz->body_len[i];
        cc.body_offset = mf->body_off;
        translate_body(x, &f, &m->types[mf->type], &cc, NULL, m->nfunc_imports + i);
#ifndef WK_NO_PAIRS
        pair_code(m->engine->pairs, x->code, x->ncode);
#endif
        /* (no longjmp from here on) */
        /* a small function's words and srcmap (exact size, copied from the scratch buffer) in
         * the module's arena (nothing else allocates there once the module is made; lock held); a
         * big one's malloc'd, its srcmap buffer handed over (no clearing or copying of big blocks) */
        int own = x->ncode > 512 || x->nsrc > 1024;
        uint32_t *words, *srcmap;
        if (own) {
          words = malloc(x->ncode * 2 * sizeof *words);
          srcmap = x->srcmap;
        } else {
          /* (uncleared: wk_thread_words_offs writes every word, the srcmap is copied) */
          words = wk_arena_alloc_uninit(&m->arena, (x->ncode ? x->ncode : 1) * 2 * sizeof *words);
          srcmap = wk_arena_alloc_uninit(&m->arena, x->nsrc * sizeof *x->srcmap);
          if (srcmap && x->nsrc) memcpy(srcmap, x->srcmap, x->nsrc * sizeof *x->srcmap);
        }
        if (!words || !srcmap ||
            wk_thread_words_offs((const int32_t(*)[IOP__COUNT])m->engine->pairs->offs, x->code, x->ncode, words,
                                 words + x->ncode) != WK_OK) {
          rc = WK_ERR_NOMEM; /* (what the arena took stays there until the module is freed) */
          if (own) free(words);
        } else {
          wk_fcode *fc = &lz->fc[i];
          fc->words = words;
          fc->n = (uint32_t)x->ncode;
          fc->srcmap = srcmap;
          fc->nsrcmap = (uint32_t)(x->nsrc / 2);
          fc->own = (uint8_t)own;
          if (own) x->srcmap = NULL, x->capsrc = 0;
          fc->handlers = x->hs; /* (word indices in this function's code) */
          fc->nhandlers = (uint32_t)x->nhs;
          x->hs = NULL;
          __atomic_store_n(&mf->frame, f.frame, __ATOMIC_RELAXED);
          __atomic_store_n(&mf->tc[1], fc->words + fc->n, __ATOMIC_RELEASE);
          __atomic_store_n(&mf->tc[0], fc->words, __ATOMIC_RELEASE);
        }
      }
      free(x->hs);
      free(x->lslot);
      free(x->xt);
      x->hs = NULL, x->lslot = NULL, x->xt = NULL;
      if (x->capcode > 65536) { /* (a big function's buffers are not kept) */
        free(x->code);
        x->code = NULL, x->capcode = 0;
      }
      if (x->capsrc > 65536) {
        free(x->srcmap);
        x->srcmap = NULL, x->capsrc = 0;
      }
      lz->scratch = x; /* (the stacks, code, srcmap and local-type buffers, for the next translation) */
    }
  }
  pthread_mutex_unlock(&lz->lock);
  return rc;
}

void wk_lazy_free(wk_module *m) {
  wk_lazy *lz = m->lazy;
  if (!lz) return;
  for (uint32_t i = 0; i < m->nfuncs - m->nfunc_imports; i++) { /* (a small function's words and
                                                                    srcmap: the module's arena) */
    if (lz->fc[i].own) free(lz->fc[i].words), free(lz->fc[i].srcmap);
    if (lz->fc[i].handlers) free(lz->fc[i].handlers);
  }
  dec *x = lz->scratch;
  if (x) {
    free(x->st);
    free(x->cs);
    free(x->code);
    free(x->srcmap);
    free(x->ltypes);
    free(x);
  }
  pthread_mutex_destroy(&lz->lock);
  m->lazy = NULL; /* (the rest lives in the module's arena) */
}

/* Debug aid (internal): print the translated code of defined function `i`. */
void wk_module_dump(const wk_module *m, uint32_t i, FILE *out) {
  if (i >= m->nfuncs - m->nfunc_imports || !m->code) return; /* (no plain code after an AOT cache hit) */
  const wk_mfunc *f = &m->funcs[i];
  size_t end = i + 1 < m->nfuncs - m->nfunc_imports ? m->funcs[i + 1].code : m->ncode;
  fprintf(out, "func %u: nlocals %u frame %u\n", i + m->nfunc_imports, f->nlocals, f->frame);
  for (size_t pc = f->code; pc < end;) {
    uint32_t op = m->code[pc];
    if (op >= IOP__COUNT) break;
    size_t n = wk_iop_words[op] ? wk_iop_words[op] : 4 + m->code[pc + 2];
    fprintf(out, "  %5zu %s", pc, wk_iop_names[op]);
    for (size_t k = 1; k < n; k++) fprintf(out, " %u", m->code[pc + k]);
    fputc('\n', out);
    pc += n;
  }
}

/* ---- function names (trap backtraces, the cache) ---- */
struct wk_lazy_names {
  wk_arena arena;
  char **names;
};
char **wk_module_func_names(const wk_module *m) {
  if (m->func_names || !m->nname_secs) return m->func_names;
  struct wk_lazy_names **slot = &((wk_module *)m)->lazy_names, *h = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
  if (h) return h->names;
  if (!(h = calloc(1, sizeof *h))) return NULL;
  for (uint32_t i = 0; i < m->nname_secs; i++) { /* the first "name" section with a map, as decoding */
    wk_core_funcname *fn;
    uint32_t n;
    if (!wk_core_parse_func_names(m->name_secs[i].p, m->name_secs[i].len, &h->arena, &fn, &n)) continue;
    if (n && (h->names = wk_arena_alloc(&h->arena, (m->nfuncs ? m->nfuncs : 1) * sizeof(char *))))
      for (uint32_t k = 0; k < n; k++)
        if (fn[k].index < m->nfuncs) h->names[fn[k].index] = (char *)fn[k].name.str;
    break;
  }
  struct wk_lazy_names *seen = NULL; /* another thread may have built them first: keep its */
  if (!__atomic_compare_exchange_n(slot, &seen, h, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
    wk_arena_free(&h->arena);
    free(h);
    h = seen;
  }
  return h->names;
}
void wk_module_names_free(wk_module *m) {
  if (!m->lazy_names) return;
  wk_arena_free(&m->lazy_names->arena);
  free(m->lazy_names);
  m->lazy_names = NULL;
}
