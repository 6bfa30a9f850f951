/*
 * Function-body validation, one instruction at a time (Core spec 3.3
 * "Instructions", with the algorithm of the spec's Appendix "Validation
 * Algorithm": an operand-type stack and a control-frame stack).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode/encode.h"
#include "encode/insn_tables.h"
#include "encode/validate_int.h"

/* One-element type arrays for block types given as a single value type. */
static const wk_vt k_one[256] = {
    [WK_I32] = WK_I32, [WK_I64] = WK_I64, [WK_F32] = WK_F32, [WK_F64] = WK_F64,
    [WK_V128] = WK_V128, [WK_FUNCREF] = WK_FUNCREF, [WK_EXTERNREF] = WK_EXTERNREF, [WK_EXNREF] = WK_EXNREF,
    /* GC shorthands (Core 3.0 binary/types.rst) */
    [WK_ANYREF] = WK_ANYREF, [WK_EQREF] = WK_EQREF, [WK_I31REF] = WK_I31REF, [WK_STRUCTREF] = WK_STRUCTREF,
    [WK_ARRAYREF] = WK_ARRAYREF, [WK_NULLREF] = WK_NULLREF, [WK_NULLEXTERNREF] = WK_NULLEXTERNREF,
    [WK_NULLFUNCREF] = WK_NULLFUNCREF, [WK_NULLEXNREF] = WK_NULLEXNREF,
};

/* 1 if value type t needs WK_FEAT_GC (a GC abstract heap type or shorthand) */
static inline int vt_is_gc(wk_vt t) {
  uint8_t c = wk_vt_code(t);
  if (c == WK_REF || c == WK_REFNULL) return !wk_ht_is_idx(wk_vt_heap(t)) && wk_gc_ht_code((uint8_t)wk_vt_heap(t));
  return wk_gc_ht_code(c);
}

typedef struct ctrl {
  uint8_t kind, unreachable;
  uint32_t nparams, nresults;
  const wk_vt *params, *results;
  uint32_t height;
  uint32_t init_height; /* v->ninits at entry (Core 3.0 3.3: local initialisation is block-scoped) */
} ctrl;

/* One-element arrays for typed-reference block types (Core 3.0 5.4.1 blocktype ::= valtype):
 * chunks that do not move, reused from the first for each function. */
typedef struct vt_chunk {
  struct vt_chunk *next;
  uint32_t n;
  wk_vt t[254];
} vt_chunk;

/* Operand typing of the "simple" instructions (the SIG column), decoded once
 * per validator from the WK_OPCODES strings. */
typedef struct simple_sig {
  uint8_t np, nr, ok;
  uint8_t p[3], r;
  uint8_t parsed; /* wk_opi_sig parsed into the fields above (on first use: parse_sig) */
} simple_sig;

/* Locals up to this many get a flat type array; beyond, a binary search
 * over the (count, type) groups. */
#define FLAT_LOCALS 4096

struct wk_funcval {
  const wk_core_module *m;
  simple_sig sigs[WK_OPI_COUNT];
  wk_vt flat[FLAT_LOCALS];
  const uint8_t *refs; /* bitmap: functions declared for ref.func (Core 3.4.10 C.refs) */
  wk_vt *vals;
  uint32_t nvals, capvals;
  ctrl *ctrls;
  uint32_t nctrls, capctrls;
  uint32_t func;        /* function index being validated */
  const wk_core_functype *type;
  const wk_core_code *code;
  uint32_t *gend;       /* cumulative local count after each group (params first) */
  uint32_t capgend;
  uint64_t nlocals;
  int begun, ended;
  uint8_t *refs_own;
  unsigned features;    /* WK_FEAT_* accepted beyond 2.0 */
  /* Core 3.0 typed references: each type's params + results as wk_vt (built on first use) */
  wk_vt **tvt;
  uint32_t *canon;      /* wk_val_type_canon, on first use */
  vt_chunk *chunks, *chunk;
  /* Core 3.0 3.3 local initialisation (only for functions with non-defaultable locals):
   * bit per local, set = initialised; inits = the locals set since, for resetting at `end` */
  uint8_t *inited;
  uint64_t capinited;
  uint32_t *inits, ninits, capinits;
  int track_init;
};

/* Error with "func N: " prefix at `off`. */
#define FAIL(...) return ferr(v, err, off, __VA_ARGS__)
static int ferr(wk_funcval *v, wk_error *err, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int ferr(wk_funcval *v, wk_error *err, size_t off, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return wk_error_at(err, WK_ERR_INVALID, off, "func %u: %s", v->func, msg);
}


wk_funcval *wk_funcval_new(const wk_core_module *m) {
  /* zeroed but for `flat` (16 KiB: locals_begin writes each entry before local_vt reads it), whose
   * clearing was most of a small module's validator set-up (a component has several such modules) */
  wk_funcval *v = malloc(sizeof *v);
  if (!v) return NULL;
  memset(v, 0, offsetof(wk_funcval, flat));
  memset((char *)v + offsetof(wk_funcval, refs), 0, sizeof *v - offsetof(wk_funcval, refs));
  v->m = m; /* (the signatures are parsed on first use: a module uses a fraction of them) */
  v->refs_own = wk_val_declared_refs(m);
  if (!v->refs_own) {
    free(v);
    return NULL;
  }
  v->refs = v->refs_own;
  return v;
}

void wk_funcval_set_features(wk_funcval *v, unsigned features) { v->features = features; }

int wk_funcval_reset(wk_funcval *v, const wk_core_module *m) {
  /* what depends on the module goes; the stacks, local tables, block-type chunks and parsed
   * signatures (by operator only) stay */
  free(v->refs_own);
  free(v->tvt);
  free(v->canon);
  v->refs_own = NULL, v->refs = NULL, v->tvt = NULL, v->canon = NULL;
  v->m = m;
  v->nvals = v->nctrls = v->ninits = 0;
  v->begun = v->ended = v->track_init = 0;
  v->type = NULL, v->code = NULL;
  v->refs_own = wk_val_declared_refs(m);
  if (!v->refs_own) return WK_ERR_NOMEM;
  v->refs = v->refs_own;
  return WK_OK;
}

void wk_funcval_free(wk_funcval *v) {
  if (!v) return;
  free(v->vals);
  free(v->ctrls);
  free(v->gend);
  free(v->refs_own);
  free(v->tvt);
  free(v->canon);
  for (vt_chunk *c = v->chunks, *n; c; c = n) n = c->next, free(c);
  free(v->inited);
  free(v->inits);
  free(v);
}

/* Every type's params then results as wk_vt, in one block (the pointers, then the types), built
 * on the first use: a malloc per type was a fixed cost of each small module. NULL on OOM. */
__attribute__((noinline)) static wk_vt **type_vts_build(wk_funcval *v) {
  const wk_core_module *m = v->m;
  size_t total = 0;
  for (uint32_t i = 0; i < m->ntypes; i++) total += (size_t)m->types[i].nparams + m->types[i].nresults;
  wk_vt **p = malloc((size_t)m->ntypes * sizeof *p + total * sizeof **p + 1);
  if (!p) return NULL;
  wk_vt *a = (wk_vt *)(p + m->ntypes);
  for (uint32_t i = 0; i < m->ntypes; i++) {
    const wk_core_functype *t = &m->types[i];
    uint32_t n = t->nparams + t->nresults;
    p[i] = a;
    for (uint32_t k = 0; k < n; k++) a[k] = wk_functype_vt(t, k);
    a += n;
  }
  return v->tvt = p;
}
/* Type ti's params then results as wk_vt (NULL on OOM; the type exists). */
static inline const wk_vt *type_vts(wk_funcval *v, uint32_t ti) {
  if (__builtin_expect(v->tvt != NULL, 1)) return v->tvt[ti];
  wk_vt **p = type_vts_build(v);
  return p ? p[ti] : NULL;
}

/* t1 <: t2 for distinct non-unknown types (Core 3.0 3.2 matching; the slow path of pop_t). */
__attribute__((noinline, cold)) static int vt_sub_slow(wk_funcval *v, wk_vt a, wk_vt b) {
  if (!wk_vt_is_ref(a) || !wk_vt_is_ref(b)) return 0;
  if (wk_ht_is_idx(wk_vt_heap(a)) && wk_ht_is_idx(wk_vt_heap(b)) && !v->canon) v->canon = wk_val_type_canon(v->m);
  return wk_val_vt_sub(v->m, v->canon, a, b);
}
static inline int vt_sub(wk_funcval *v, wk_vt a, wk_vt b) {
  return a == b || a == WK_TYPE_UNKNOWN || b == WK_TYPE_UNKNOWN || vt_sub_slow(v, a, b);
}

/* ---- stacks ---- */
static int grow_vals(wk_funcval *v) {
  uint32_t nc = v->capvals ? v->capvals * 2 : 64;
  wk_vt *p = wk_reallocarray(v->vals, nc, sizeof *p);
  if (!p) return -1;
  v->vals = p;
  v->capvals = nc;
  return 0;
}

#define PUSH(t) do { if (v->nvals == v->capvals && grow_vals(v)) return nomem(err); v->vals[v->nvals++] = (t); } while (0)

static int nomem(wk_error *err) { return wk_error_set(err, WK_ERR_NOMEM, "out of memory"); }

/* pop_val(): returns the popped type, UNKNOWN from an unreachable bottom, or
 * -1 on underflow. */
__attribute__((always_inline)) static inline int64_t pop_any(wk_funcval *v) {
  ctrl *c = &v->ctrls[v->nctrls - 1];
  if (v->nvals == c->height) return c->unreachable ? WK_TYPE_UNKNOWN : -1;
  return v->vals[--v->nvals];
}

/* pop_val(expect): type or -1 on mismatch/underflow. */
__attribute__((always_inline)) static inline int64_t pop_t(wk_funcval *v, wk_vt expect) {
  int64_t t = pop_any(v);
  if (t < 0) return -1;
  if (!vt_sub(v, (wk_vt)t, expect)) return -1;
  return t; /* the actual type: UNKNOWN stays UNKNOWN (Appendix: pop_val) */
}

static int pop_vals(wk_funcval *v, uint32_t n, const wk_vt *ts) {
  for (uint32_t i = n; i-- > 0;)
    if (pop_t(v, ts[i]) < 0) return -1;
  return 0;
}

static int push_vals(wk_funcval *v, uint32_t n, const wk_vt *ts, wk_error *err) {
  while (v->nvals + n > v->capvals)
    if (grow_vals(v)) return nomem(err);
  if (n == 1) v->vals[v->nvals] = ts[0];
  else if (n) memcpy(v->vals + v->nvals, ts, n * sizeof *ts);
  v->nvals += n;
  return 0;
}

static int push_ctrl(wk_funcval *v, uint8_t kind, uint32_t np, const wk_vt *p, uint32_t nr,
                     const wk_vt *r, wk_error *err) {
  if (v->nctrls == v->capctrls) {
    uint32_t nc = v->capctrls ? v->capctrls * 2 : 16;
    ctrl *c = wk_reallocarray(v->ctrls, nc, sizeof *c);
    if (!c) return nomem(err);
    v->ctrls = c;
    v->capctrls = nc;
  }
  ctrl *c = &v->ctrls[v->nctrls++];
  c->kind = kind;
  c->unreachable = 0;
  c->nparams = np;
  c->params = p;
  c->nresults = nr;
  c->results = r;
  c->height = v->nvals;
  c->init_height = v->ninits;
  return push_vals(v, np, p, err);
}

static inline void set_unreachable(wk_funcval *v) {
  ctrl *c = &v->ctrls[v->nctrls - 1];
  v->nvals = c->height;
  c->unreachable = 1;
}

static inline uint32_t label_n(const ctrl *c) { return c->kind == WK_FRAME_LOOP ? c->nparams : c->nresults; }
static inline const wk_vt *label_t(const ctrl *c) { return c->kind == WK_FRAME_LOOP ? c->params : c->results; }

/* ---- begin / finish ---- */
static int locals_begin(wk_funcval *v, wk_error *err);

int wk_funcval_begin(wk_funcval *v, uint32_t f, wk_error *err) {
  const wk_core_module *m = v->m;
  v->func = f;
  v->nvals = v->nctrls = 0;
  v->begun = 1;
  v->ended = 0;
  if (f < m->nimported_funcs || f - m->nimported_funcs >= m->ncodes)
    return wk_error_set(err, WK_ERR_INVALID, "func %u: not a defined function", f);
  v->code = &m->codes[f - m->nimported_funcs];
  v->type = wk_core_func_type(m, f);
  if (!v->type) return wk_error_at(err, WK_ERR_INVALID, v->code->body_offset, "func %u: unknown type", f);
  const wk_vt *fvt = type_vts(v, m->funcs[f - m->nimported_funcs]);
  if (!fvt) return nomem(err);
  v->ninits = 0;
  v->track_init = 0;
  if (v->chunks) v->chunk = v->chunks, v->chunk->n = 0;
  uint32_t ng = v->code->ngroups + 1;
  if (ng > v->capgend) {
    uint32_t *g = wk_reallocarray(v->gend, ng, sizeof *g);
    if (!g) return nomem(err);
    v->gend = g;
    v->capgend = ng;
  }
  uint64_t total = v->type->nparams;
  v->gend[0] = (uint32_t)total;
  for (uint32_t i = 0; i < v->code->ngroups; i++) {
    total += v->code->groups[i].count;
    if (total > UINT32_MAX)
      return wk_error_at(err, WK_ERR_INVALID, v->code->body_offset, "func %u: too many locals", f);
    v->gend[i + 1] = (uint32_t)total;
  }
  v->nlocals = total;
  if (total <= FLAT_LOCALS) {
    uint32_t k = 0;
    memcpy(v->flat, fvt, v->type->nparams * sizeof *fvt);
    k = v->type->nparams;
    for (uint32_t i = 0; i < v->code->ngroups; i++) {
      wk_vt t = wk_vt_make(v->code->groups[i].type, v->code->groups[i].ht);
      for (uint32_t j = 0; j < v->code->groups[i].count; j++) v->flat[k + j] = t;
      k += v->code->groups[i].count;
    }
  }
  int rc = locals_begin(v, err);
  if (rc) return rc;
  return push_ctrl(v, WK_FRAME_FUNC, 0, NULL, v->type->nresults, fvt + v->type->nparams, err);
}

int wk_funcval_finish(wk_funcval *v, wk_error *err) {
  if (!v->ended || v->nctrls)
    return wk_error_set(err, WK_ERR_INVALID, "func %u: END opcode expected", v->func);
  return WK_OK;
}

/* ---- queries ---- */
uint32_t wk_funcval_height(const wk_funcval *v) { return v->nvals; }
uint8_t wk_funcval_type_at(const wk_funcval *v, uint32_t d) {
  return d < v->nvals ? wk_vt_code(v->vals[v->nvals - 1 - d]) : WK_TYPE_UNKNOWN;
}
wk_vt wk_funcval_vt_at(const wk_funcval *v, uint32_t d) {
  return d < v->nvals ? v->vals[v->nvals - 1 - d] : WK_TYPE_UNKNOWN;
}
int wk_funcval_unreachable(const wk_funcval *v) { return v->nctrls ? v->ctrls[v->nctrls - 1].unreachable : 0; }
uint32_t wk_funcval_depth(const wk_funcval *v) { return v->nctrls; }
int wk_funcval_frame(const wk_funcval *v, uint32_t d, wk_frame_info *o) {
  if (d >= v->nctrls) return -1;
  const ctrl *c = &v->ctrls[v->nctrls - 1 - d];
  o->kind = c->kind;
  o->unreachable = c->unreachable;
  o->nparams = c->nparams;
  o->nresults = c->nresults;
  o->params = c->params;
  o->results = c->results;
  o->height = c->height;
  o->label_arity = label_n(c);
  o->label_types = label_t(c);
  return 0;
}
uint32_t wk_funcval_nlocals(const wk_funcval *v) { return (uint32_t)v->nlocals; }
static wk_vt local_vt(const wk_funcval *v, uint32_t i) {
  if (i >= v->nlocals) return WK_TYPE_UNKNOWN;
  if (v->nlocals <= FLAT_LOCALS) return v->flat[i];
  if (i < v->type->nparams) return wk_functype_vt(v->type, i);
  uint32_t lo = 0, hi = v->code->ngroups; /* first group whose end > i */
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (v->gend[mid + 1] > i) hi = mid;
    else lo = mid + 1;
  }
  return wk_vt_make(v->code->groups[lo].type, v->code->groups[lo].ht);
}
uint8_t wk_funcval_local_type(const wk_funcval *v, uint32_t i) { return wk_vt_code(local_vt(v, i)); }
wk_vt wk_funcval_local_vt(const wk_funcval *v, uint32_t i) { return local_vt(v, i); }

static int is_num_or_unknown(int64_t t) { return t == WK_TYPE_UNKNOWN || t == WK_I32 || t == WK_I64 || t == WK_F32 || t == WK_F64; }
static int is_ref(int64_t t) { return wk_vt_is_ref((wk_vt)t); }


/* Block type -> params/results (Core 3.2.? "Block types"). */
/* A one-element array holding t, valid until the next function (NULL on OOM). */
static const wk_vt *one_vt(wk_funcval *v, wk_vt t) {
  if (!v->chunk || v->chunk->n == sizeof v->chunk->t / sizeof v->chunk->t[0]) {
    vt_chunk *c = v->chunk && v->chunk->next ? v->chunk->next : NULL;
    if (!c) {
      if (!(c = calloc(1, sizeof *c))) return NULL;
      if (v->chunk) v->chunk->next = c;
      else v->chunks = c;
    }
    c->n = 0;
    v->chunk = c;
  }
  v->chunk->t[v->chunk->n] = t;
  return &v->chunk->t[v->chunk->n++];
}

/* Block type -> params/results (Core 3.2.? "Block types"). -1: unknown type, -2: OOM. */
static int blocktype(wk_funcval *v, const wk_insn *in, uint32_t *np, const wk_vt **p, uint32_t *nr,
                     const wk_vt **r) {
  switch (in->bt_kind) {
  case WK_BT_EMPTY: *np = *nr = 0; *p = *r = NULL; return 0;
  case WK_BT_VAL:
    *np = 0; *p = NULL; *nr = 1;
    if (__builtin_expect(in->valtype == WK_REF || in->valtype == WK_REFNULL, 0)) {
      wk_vt t = wk_vt_make(in->valtype, in->ht);
      if (!(v->features & WK_FEAT_FUNCTION_REFERENCES) || !wk_val_vt_ok(v->m, t)) return -1;
      if (wk_vt_heap(t) == WK_HT_EXN && !(v->features & WK_FEAT_EXCEPTIONS)) return -1;
      if (vt_is_gc(t) && !(v->features & WK_FEAT_GC)) return -1;
      return (*r = one_vt(v, t)) ? 0 : -2;
    }
    if (__builtin_expect(wk_gc_ht_code(in->valtype), 0) && !(v->features & WK_FEAT_GC)) return -1;
    *r = &k_one[in->valtype];
    return 0;
  default: {
    if (in->idx0 >= v->m->ntypes || !wk_core_type_is_func(v->m, in->idx0)) return -1;
    const wk_vt *a = type_vts(v, in->idx0);
    if (!a) return -2;
    *np = v->m->types[in->idx0].nparams;
    *p = a;
    *nr = v->m->types[in->idx0].nresults;
    *r = a + *np;
    return 0;
  }
  }
}
#define BLOCKTYPE(np, p, nr, r)                                                                    \
  do {                                                                                             \
    int b_ = blocktype(v, in, &np, &p, &nr, &r);                                                   \
    if (b_ == -2) return nomem(err);                                                               \
    if (b_) FAIL("unknown type");                                                                  \
  } while (0)

#define MISMATCH() FAIL("type mismatch")
#define POP(t) do { if (pop_t(v, (t)) < 0) MISMATCH(); } while (0)

/* The memory an instruction names (Core 3.0 3.3.7: C.mems[x] must exist).
 * Without multi-memory, only the 2.0 encoding (implicit memory 0) is allowed. */
static int need_mem(wk_funcval *v, const wk_insn *in, uint32_t mem, wk_error *err, size_t off) {
  if (in->mem_explicit && !(v->features & WK_FEAT_MULTI_MEMORY))
    FAIL("zero byte expected (memory index immediates require the multi-memory feature)");
  if (mem >= wk_core_mem_count(v->m)) FAIL("unknown memory %u", mem);
  return WK_OK;
}
/* Address type of memory `x` (Core 3.0 2.3.10; the memory exists). */
static uint8_t addr_type(const wk_core_module *m, uint32_t x) {
  const wk_core_limits *l = wk_core_mem_limits(m, x);
  return l && l->is64 ? WK_I64 : WK_I32;
}
/* Index type of table `x` (Core 3.0 table64: i64 tables; the table exists). */
static uint8_t tab_addr(const wk_core_module *m, uint32_t x) {
  const wk_core_tabletype *t = wk_core_table_type(m, x);
  return t && t->lim.is64 ? WK_I64 : WK_I32;
}
#define NEED_MEM(x) do { int r_ = need_mem(v, in, (x), err, off); if (r_) return r_; } while (0)

/* Core 3.0 3.3.8 return_call / return_call_indirect: the callee's results
 * must match the current function's results. */
static int tail_results(wk_funcval *v, const wk_core_functype *t) {
  const ctrl *f = &v->ctrls[0];
  if (t->nresults != f->nresults) return 0;
  for (uint32_t k = 0; k < t->nresults; k++) /* Core 3.0 3.3.8: the callee's results match the caller's */
    if (!vt_sub(v, wk_functype_vt(t, t->nparams + k), f->results[k])) return 0;
  return 1;
}

static void parse_sig(simple_sig *g, unsigned opi) {
  const char *sig = wk_opi_sig[opi];
  g->parsed = 1;
  if (!sig) return;
  const char *q = sig;
  for (; *q != '>'; q++) g->p[g->np++] = wk_sig_valtype(*q);
  for (q++; *q; q++) g->r = wk_sig_valtype(*q), g->nr++;
  g->ok = 1;
}

/* Core 3.0 3.3.8 exception handling: throw x : [t1* t*] -> [t2*] (tag x : [t*] -> []),
 * throw_ref : [t1* exnref] -> [t2*], try_table bt catch* : like block bt, each catch clause
 * typed against its label in the context outside the try_table: catch x l : label [t*],
 * catch_ref x l : [t* (ref exn)], catch_all l : [], catch_all_ref l : [(ref exn)]. */
static int exceptions_op(wk_funcval *v, const wk_insn *in, size_t off, wk_error *err) {
  const wk_core_module *m = v->m;
  if (!(v->features & WK_FEAT_EXCEPTIONS)) FAIL("%s requires the exceptions feature", wk_opi_text[in->opi]);
  if (in->op == WK_OP_THROW) {
    const wk_core_functype *t = wk_core_tag_type(m, in->idx0);
    if (!t) FAIL("unknown tag %u", in->idx0);
    const wk_vt *tv = type_vts(v, (uint32_t)(t - m->types));
    if (!tv) return nomem(err);
    if (pop_vals(v, t->nparams, tv)) MISMATCH();
    set_unreachable(v);
    return WK_OK;
  }
  if (in->op == WK_OP_THROW_REF) {
    POP(WK_EXNREF);
    set_unreachable(v);
    return WK_OK;
  }
  uint32_t np, nr;
  const wk_vt *p, *r;
  BLOCKTYPE(np, p, nr, r);
  size_t cur = 0;
  for (uint32_t k = 0; k < in->count; k++) {
    uint8_t kind;
    uint32_t x, l;
    wk_insn_catch(in, &cur, &kind, &x, &l);
    uint32_t n = 0;
    const wk_vt *ts = NULL;
    if (kind == WK_CATCH || kind == WK_CATCH_REF) {
      const wk_core_functype *t = wk_core_tag_type(m, x);
      if (!t) FAIL("unknown tag %u", x);
      n = t->nparams;
      if (!(ts = type_vts(v, (uint32_t)(t - m->types)))) return nomem(err);
    }
    if (l >= v->nctrls) FAIL("unknown label");
    const ctrl *c = &v->ctrls[v->nctrls - 1 - l];
    uint32_t ln = label_n(c);
    const wk_vt *lt = label_t(c);
    int ref = kind == WK_CATCH_REF || kind == WK_CATCH_ALL_REF;
    /* catch_ref / catch_all_ref push a (ref exn): non-null (Core 3.0 3.3.8) */
    if (ln != n + (uint32_t)ref || (ref && !vt_sub(v, wk_vt_make(WK_REF, WK_HT_EXN), lt[n]))) MISMATCH();
    for (uint32_t i = 0; i < n; i++)
      if (!vt_sub(v, ts[i], lt[i])) MISMATCH();
  }
  if (pop_vals(v, np, p)) MISMATCH();
  return push_ctrl(v, WK_FRAME_BLOCK, np, p, nr, r, err);
}

/* exnref in a block type or select type needs the feature (Core 3.0 5.3.4). */
static int uses_exnref(const wk_insn *in) {
  return (in->imm == WK_IMM_BLOCK && in->bt_kind == WK_BT_VAL && in->valtype == WK_EXNREF) ||
         (in->imm == WK_IMM_SELECT_T && in->valtype == WK_EXNREF);
}

static void reset_inits(wk_funcval *v, uint32_t h);
/* The end of frame c's body (at end, else, catch, catch_all, delegate): its results on top of
 * exactly its height, then the locals set inside it forgotten (Core 3.0 3.3). -1: mismatch. */
static int close_body(wk_funcval *v, const ctrl *c) {
  if (pop_vals(v, c->nresults, c->results) || v->nvals != c->height) return -1;
  if (v->ninits != c->init_height) reset_inits(v, c->init_height);
  return 0;
}

/* Legacy exception handling (exception-handling repository, document/legacy/exceptions,
 * "Validation"): try bt : like block bt (a WK_FRAME_TRY frame); catch x ends the try body or the
 * previous catch body like `end` would (its results checked) and starts a body with the tag's
 * parameters on the stack (WK_FRAME_CATCH); catch_all likewise with none (WK_FRAME_CATCH_ALL,
 * the last clause); delegate l ends a try without catches like `end`, l a label outside it;
 * rethrow l : [t1*] -> [t2*], label l a catch or catch_all body. The try's label is the block's
 * (its results) in every part. */
static int legacy_eh_op(wk_funcval *v, const wk_insn *in, size_t off, wk_error *err) {
  if (!(v->features & WK_FEAT_LEGACY_EXCEPTIONS))
    FAIL("%s requires the legacy-exceptions feature", wk_opi_text[in->opi]);
  ctrl *top = &v->ctrls[v->nctrls - 1];
  switch (in->op) {
  case WK_OP_TRY: {
    uint32_t np, nr;
    const wk_vt *p, *r;
    if (uses_exnref(in) && !(v->features & WK_FEAT_EXCEPTIONS)) FAIL("exnref requires the exceptions feature");
    BLOCKTYPE(np, p, nr, r);
    if (pop_vals(v, np, p)) MISMATCH();
    return push_ctrl(v, WK_FRAME_TRY, np, p, nr, r, err);
  }
  case WK_OP_CATCH: case WK_OP_CATCH_ALL: {
    const wk_core_functype *t = NULL;
    if (top->kind != WK_FRAME_TRY && top->kind != WK_FRAME_CATCH)
      FAIL("%s found outside of a try block", wk_opi_text[in->opi]);
    if (in->op == WK_OP_CATCH && !(t = wk_core_tag_type(v->m, in->idx0))) FAIL("unknown tag %u", in->idx0);
    if (close_body(v, top)) MISMATCH();
    top->kind = in->op == WK_OP_CATCH ? WK_FRAME_CATCH : WK_FRAME_CATCH_ALL;
    top->unreachable = 0;
    if (!t) return WK_OK;
    const wk_vt *tv = type_vts(v, (uint32_t)(t - v->m->types));
    if (!tv) return nomem(err);
    return push_vals(v, t->nparams, tv, err);
  }
  case WK_OP_DELEGATE: {
    if (top->kind != WK_FRAME_TRY) FAIL("delegate found outside of a try block");
    if (close_body(v, top)) MISMATCH();
    if (in->idx0 >= v->nctrls - 1) FAIL("unknown label");
    ctrl c = *top;
    v->nctrls--;
    return push_vals(v, c.nresults, c.results, err);
  }
  default: { /* rethrow */
    if (in->idx0 >= v->nctrls) FAIL("unknown label");
    uint8_t k = v->ctrls[v->nctrls - 1 - in->idx0].kind;
    if (k != WK_FRAME_CATCH && k != WK_FRAME_CATCH_ALL) FAIL("invalid rethrow label");
    set_unreachable(v);
    return WK_OK;
  }
  }
}

/* ---- Core 3.0 typed function references ---- */

/* Core 3.0 3.3 "Local initialisation": with non-defaultable locals ((ref ht), no default value)
 * in the function, track which are set; a block's sets are forgotten at its end (and at `else`). */
static int locals_begin(wk_funcval *v, wk_error *err) {
  const wk_core_code *c = v->code;
  for (uint32_t i = 0; i < c->ngroups; i++)
    if (c->groups[i].type == WK_REF && c->groups[i].count) v->track_init = 1;
  if (!v->track_init) return WK_OK;
  if (v->nlocals > (1u << 26))
    return wk_error_at(err, WK_ERR_INVALID, c->body_offset, "func %u: too many locals", v->func);
  uint64_t nb = v->nlocals / 8 + 1;
  if (nb > v->capinited) {
    uint8_t *b = realloc(v->inited, nb);
    if (!b) return nomem(err);
    v->inited = b;
    v->capinited = nb;
  }
  memset(v->inited, 0, nb);
  return WK_OK;
}

static void reset_inits(wk_funcval *v, uint32_t h) {
  while (v->ninits > h) {
    uint32_t i = v->inits[--v->ninits];
    v->inited[i >> 3] &= (uint8_t)~(1u << (i & 7));
  }
}

/* local.get / local.set / local.tee of non-defaultable local in->idx0 */
static int local_init_op(wk_funcval *v, const wk_insn *in, size_t off, wk_error *err) {
  uint32_t i = in->idx0;
  if (i < v->type->nparams || (v->inited[i >> 3] >> (i & 7) & 1)) return WK_OK;
  if (in->op == WK_OP_LOCAL_GET) FAIL("uninitialized local");
  if (v->ninits == v->capinits) {
    uint32_t nc = v->capinits ? v->capinits * 2 : 16;
    uint32_t *p = wk_reallocarray(v->inits, nc, sizeof *p);
    if (!p) return nomem(err);
    v->inits = p;
    v->capinits = nc;
  }
  v->inits[v->ninits++] = i;
  v->inited[i >> 3] |= (uint8_t)(1u << (i & 7));
  return WK_OK;
}

/* Core 3.0 3.3.8: `if` without `else` needs [t1*] <: [t2*] (the empty else branch) */
static int if_no_else_ok(wk_funcval *v, const ctrl *c) {
  if (c->nparams != c->nresults) return 0;
  for (uint32_t k = 0; k < c->nparams; k++)
    if (!vt_sub(v, c->params[k], c->results[k])) return 0;
  return 1;
}

/* call_indirect's table: its element type must match funcref (Core 3.0 3.3.8) */
static int tab_is_func(wk_funcval *v, const wk_core_tabletype *tt) {
  return tt->reftype == WK_FUNCREF || vt_sub(v, wk_vt_make(tt->reftype, tt->ht), WK_FUNCREF);
}

/* Core 3.0 3.3.8, 3.3.5 (typed function references):
 *   call_ref x         : [t1* (ref null x)] -> [t2*]          (x = func [t1*] -> [t2*])
 *   return_call_ref x  : [t1* (ref null x)] -> [t*], t2* matching the function's results
 *   ref.as_non_null    : [(ref null ht)] -> [(ref ht)]
 *   br_on_null l       : [t* (ref null ht)] -> [t* (ref ht)]   (label l : [t*])
 *   br_on_non_null l   : [t* (ref null ht)] -> [t*]            (label l : [t* (ref ht)]) */
static int funcref_op(wk_funcval *v, const wk_insn *in, size_t off, wk_error *err) {
  const wk_core_module *m = v->m;
  if (!(v->features & WK_FEAT_FUNCTION_REFERENCES))
    FAIL("%s requires the function-references feature", wk_opi_text[in->opi]);
  switch (in->op) {
  case WK_OP_CALL_REF: case WK_OP_RETURN_CALL_REF: {
    if (in->op == WK_OP_RETURN_CALL_REF && !(v->features & WK_FEAT_TAIL_CALL))
      FAIL("return_call_ref requires the tail-call feature");
    if (in->idx0 >= m->ntypes) FAIL("unknown type");
    if (!wk_core_type_is_func(m, in->idx0)) MISMATCH();
    const wk_core_functype *t = &m->types[in->idx0];
    const wk_vt *tv = type_vts(v, in->idx0);
    if (!tv) return nomem(err);
    POP(wk_vt_make(WK_REFNULL, in->idx0));
    if (pop_vals(v, t->nparams, tv)) MISMATCH();
    if (in->op == WK_OP_CALL_REF) return push_vals(v, t->nresults, tv + t->nparams, err);
    if (!tail_results(v, t)) MISMATCH();
    set_unreachable(v);
    return WK_OK;
  }
  case WK_OP_REF_AS_NON_NULL: {
    int64_t t = pop_any(v);
    if (t < 0 || (t != WK_TYPE_UNKNOWN && !is_ref(t))) MISMATCH();
    PUSH(t == WK_TYPE_UNKNOWN ? (wk_vt)t : wk_vt_ref(wk_vt_heap((wk_vt)t), 0));
    return WK_OK;
  }
  default: { /* br_on_null, br_on_non_null */
    if (in->idx0 >= v->nctrls) FAIL("unknown label");
    int64_t t = pop_any(v);
    if (t < 0 || (t != WK_TYPE_UNKNOWN && !is_ref(t))) MISMATCH();
    wk_vt nn = t == WK_TYPE_UNKNOWN ? WK_TYPE_UNKNOWN : wk_vt_ref(wk_vt_heap((wk_vt)t), 0);
    const ctrl *c = &v->ctrls[v->nctrls - 1 - in->idx0];
    uint32_t n = label_n(c);
    const wk_vt *ts = label_t(c);
    int rc;
    if (in->op == WK_OP_BR_ON_NULL) {
      if (pop_vals(v, n, ts)) MISMATCH();
      if ((rc = push_vals(v, n, ts, err))) return rc;
      PUSH(nn);
      return WK_OK;
    }
    if (n == 0 || !vt_sub(v, nn, ts[n - 1])) MISMATCH();
    if (pop_vals(v, n - 1, ts)) MISMATCH();
    return push_vals(v, n - 1, ts, err);
  }
  }
}

/* ---- Core 3.0 GC (valid/instructions.rst "Reference Instructions", "Aggregate Reference
 * Instructions") ---- */

/* the struct (want = WK_COMP_STRUCT) or array type x, or fail "unknown type" / type mismatch */
#define NEED_AGG(x, want)                                                                          \
  do {                                                                                             \
    if ((x) >= m->ntypes) FAIL("unknown type");                                                    \
    if (wk_core_type_kind(m, (x)) != (want)) MISMATCH();                                           \
  } while (0)

/* storage type a matches storage type b (Core 3.0 valid/matching.rst "Storage Types") */
static int st_sub(wk_funcval *v, const wk_core_field *a, const wk_core_field *b) {
  if (wk_field_packed(a) || wk_field_packed(b)) return a->storage == b->storage;
  return vt_sub(v, wk_field_vt(a), wk_field_vt(b));
}

/* the elem segment y exists and its type matches the array's element type (array.new_elem,
 * array.init_elem); -1 unknown segment, -2 mismatch */
static int elem_fits(wk_funcval *v, uint32_t y, const wk_core_field *f) {
  const wk_core_module *m = v->m;
  if (y >= m->nelems) return -1;
  if (wk_field_packed(f) || !wk_vt_is_ref(wk_field_vt(f))) return -2;
  return vt_sub(v, wk_val_elem_vt(m, &m->elems[y], v->features), wk_field_vt(f)) ? 0 : -2;
}

/* a cast's target type rt is valid (Core 3.0 valid/types.rst) */
static int cast_type_ok(wk_funcval *v, wk_vt t) { return wk_val_vt_ok(v->m, t); }

static int gc_op(wk_funcval *v, const wk_insn *in, size_t off, wk_error *err) {
  const wk_core_module *m = v->m;
  if (!(v->features & WK_FEAT_GC)) FAIL("%s requires the gc feature", wk_opi_text[in->opi]);
  switch (in->op) {
  case WK_OP_REF_EQ: POP(WK_EQREF); POP(WK_EQREF); PUSH(WK_I32); return WK_OK;
  case WK_OP_STRUCT_NEW: case WK_OP_STRUCT_NEW_DEFAULT: {
    NEED_AGG(in->idx0, WK_COMP_STRUCT);
    uint32_t nf = wk_core_type_nfields(m, in->idx0);
    for (uint32_t k = nf; k-- > 0;) {
      wk_vt t = wk_field_unpacked(wk_core_type_field(m, in->idx0, k));
      if (in->op == WK_OP_STRUCT_NEW) POP(t);
      else if (!wk_val_defaultable(t)) FAIL("type mismatch (field %u is not defaultable)", k);
    }
    PUSH(wk_vt_make(WK_REF, in->idx0));
    return WK_OK;
  }
  case WK_OP_STRUCT_GET: case WK_OP_STRUCT_GET_S: case WK_OP_STRUCT_GET_U: case WK_OP_STRUCT_SET: {
    NEED_AGG(in->idx0, WK_COMP_STRUCT);
    const wk_core_field *f = wk_core_type_field(m, in->idx0, in->idx1);
    if (!f) FAIL("unknown field %u", in->idx1);
    /* get_s/get_u exactly for packed fields, get for the others */
    if (in->op != WK_OP_STRUCT_SET && (in->op == WK_OP_STRUCT_GET) == wk_field_packed(f)) MISMATCH();
    if (in->op == WK_OP_STRUCT_SET) {
      if (!f->mut) FAIL("field is immutable");
      POP(wk_field_unpacked(f));
      POP(wk_vt_make(WK_REFNULL, in->idx0));
      return WK_OK;
    }
    POP(wk_vt_make(WK_REFNULL, in->idx0));
    PUSH(wk_field_unpacked(f));
    return WK_OK;
  }
  case WK_OP_ARRAY_NEW: case WK_OP_ARRAY_NEW_DEFAULT: case WK_OP_ARRAY_NEW_FIXED:
  case WK_OP_ARRAY_NEW_DATA: case WK_OP_ARRAY_NEW_ELEM: {
    NEED_AGG(in->idx0, WK_COMP_ARRAY);
    const wk_core_field *f = wk_core_type_field(m, in->idx0, 0);
    wk_vt t = wk_field_unpacked(f);
    switch (in->op) {
    case WK_OP_ARRAY_NEW: POP(WK_I32); POP(t); break;
    case WK_OP_ARRAY_NEW_DEFAULT:
      if (!wk_val_defaultable(t)) FAIL("type mismatch (array element type is not defaultable)");
      POP(WK_I32);
      break;
    case WK_OP_ARRAY_NEW_FIXED:
      if (in->count > WK_GC_MAX_NEW_FIXED) FAIL("array.new_fixed: too many operands (implementation limit %u)", WK_GC_MAX_NEW_FIXED);
      for (uint32_t k = 0; k < in->count; k++) POP(t);
      break;
    case WK_OP_ARRAY_NEW_DATA:
      /* numeric, vector or packed elements; C.datas (the data count, Core 5.5.16) */
      if (!wk_field_packed(f) && wk_vt_is_ref(t)) MISMATCH();
      if (in->idx1 >= (m->has_datacount ? m->datacount : m->ndatas)) FAIL("unknown data segment %u", in->idx1);
      POP(WK_I32); POP(WK_I32);
      break;
    default: {
      int r = elem_fits(v, in->idx1, f);
      if (r == -1) FAIL("unknown elem segment %u", in->idx1);
      if (r) MISMATCH();
      POP(WK_I32); POP(WK_I32);
      break;
    }
    }
    PUSH(wk_vt_make(WK_REF, in->idx0));
    return WK_OK;
  }
  case WK_OP_ARRAY_GET: case WK_OP_ARRAY_GET_S: case WK_OP_ARRAY_GET_U: {
    NEED_AGG(in->idx0, WK_COMP_ARRAY);
    const wk_core_field *f = wk_core_type_field(m, in->idx0, 0);
    if ((in->op == WK_OP_ARRAY_GET) == wk_field_packed(f)) MISMATCH();
    POP(WK_I32);
    POP(wk_vt_make(WK_REFNULL, in->idx0));
    PUSH(wk_field_unpacked(f));
    return WK_OK;
  }
  case WK_OP_ARRAY_SET: case WK_OP_ARRAY_FILL: {
    NEED_AGG(in->idx0, WK_COMP_ARRAY);
    const wk_core_field *f = wk_core_type_field(m, in->idx0, 0);
    if (!f->mut) FAIL("array is immutable");
    if (in->op == WK_OP_ARRAY_FILL) POP(WK_I32);
    POP(wk_field_unpacked(f));
    POP(WK_I32);
    POP(wk_vt_make(WK_REFNULL, in->idx0));
    return WK_OK;
  }
  case WK_OP_ARRAY_LEN: POP(WK_ARRAYREF); PUSH(WK_I32); return WK_OK;
  case WK_OP_ARRAY_COPY: {
    NEED_AGG(in->idx0, WK_COMP_ARRAY);
    NEED_AGG(in->idx1, WK_COMP_ARRAY);
    const wk_core_field *d = wk_core_type_field(m, in->idx0, 0), *s = wk_core_type_field(m, in->idx1, 0);
    if (!d->mut) FAIL("array is immutable");
    if (!st_sub(v, s, d)) MISMATCH();
    POP(WK_I32); POP(WK_I32); POP(wk_vt_make(WK_REFNULL, in->idx1)); POP(WK_I32); POP(wk_vt_make(WK_REFNULL, in->idx0));
    return WK_OK;
  }
  case WK_OP_ARRAY_INIT_DATA: case WK_OP_ARRAY_INIT_ELEM: {
    NEED_AGG(in->idx0, WK_COMP_ARRAY);
    const wk_core_field *f = wk_core_type_field(m, in->idx0, 0);
    if (!f->mut) FAIL("array is immutable");
    if (in->op == WK_OP_ARRAY_INIT_DATA) {
      if (!wk_field_packed(f) && wk_vt_is_ref(wk_field_vt(f))) MISMATCH();
      if (in->idx1 >= (m->has_datacount ? m->datacount : m->ndatas)) FAIL("unknown data segment %u", in->idx1);
    } else {
      int r = elem_fits(v, in->idx1, f);
      if (r == -1) FAIL("unknown elem segment %u", in->idx1);
      if (r) MISMATCH();
    }
    POP(WK_I32); POP(WK_I32); POP(WK_I32); POP(wk_vt_make(WK_REFNULL, in->idx0));
    return WK_OK;
  }
  case WK_OP_REF_TEST: case WK_OP_REF_TEST_NULL: case WK_OP_REF_CAST: case WK_OP_REF_CAST_NULL: {
    /* ref.test rt : [rt'] -> [i32], ref.cast rt : [rt'] -> [rt], rt' = (ref null top(rt)) */
    wk_vt rt = wk_vt_make(in->valtype, in->ht);
    if (!cast_type_ok(v, rt)) FAIL("unknown type");
    POP(wk_vt_ref(wk_val_ht_top(m, wk_vt_heap(rt)), 1));
    PUSH(in->op == WK_OP_REF_TEST || in->op == WK_OP_REF_TEST_NULL ? WK_I32 : rt);
    return WK_OK;
  }
  case WK_OP_BR_ON_CAST: case WK_OP_BR_ON_CAST_FAIL: {
    /* br_on_cast l rt1 rt2 : [t* rt1] -> [t* (rt1 \ rt2)], label l : [t* rt'], rt2 <: rt';
     * br_on_cast_fail l rt1 rt2 : [t* rt1] -> [t* rt2], label l : [t* rt'], rt1 \ rt2 <: rt';
     * both with rt2 <: rt1 (Core 3.0 valid/instructions.rst) */
    wk_vt rt1, rt2;
    wk_insn_cast_types(in, &rt1, &rt2);
    if (!cast_type_ok(v, rt1) || !cast_type_ok(v, rt2)) FAIL("unknown type");
    if (in->idx0 >= v->nctrls) FAIL("unknown label");
    if (!vt_sub(v, rt2, rt1)) MISMATCH();
    /* rt1 \ rt2: rt1, non-null when rt2 is nullable */
    wk_vt diff = wk_vt_ref(wk_vt_heap(rt1), wk_vt_nullable(rt1) && !wk_vt_nullable(rt2));
    wk_vt to_label = in->op == WK_OP_BR_ON_CAST ? rt2 : diff, stays = in->op == WK_OP_BR_ON_CAST ? diff : rt2;
    const ctrl *c = &v->ctrls[v->nctrls - 1 - in->idx0];
    uint32_t n = label_n(c);
    const wk_vt *ts = label_t(c);
    if (n == 0 || !vt_sub(v, to_label, ts[n - 1])) MISMATCH();
    POP(rt1);
    if (pop_vals(v, n - 1, ts)) MISMATCH();
    int rc = push_vals(v, n - 1, ts, err);
    if (rc) return rc;
    PUSH(stays);
    return WK_OK;
  }
  case WK_OP_ANY_CONVERT_EXTERN: case WK_OP_EXTERN_CONVERT_ANY: {
    int to_any = in->op == WK_OP_ANY_CONVERT_EXTERN;
    int64_t t = pop_t(v, to_any ? WK_EXTERNREF : WK_ANYREF);
    if (t < 0) MISMATCH();
    int nul = t == WK_TYPE_UNKNOWN || wk_vt_nullable((wk_vt)t);
    PUSH(wk_vt_ref(to_any ? WK_HT_ANY : WK_HT_EXTERN, nul));
    return WK_OK;
  }
  case WK_OP_REF_I31: POP(WK_I32); PUSH(wk_vt_make(WK_REF, WK_HT_I31)); return WK_OK;
  case WK_OP_I31_GET_S: case WK_OP_I31_GET_U: POP(WK_I31REF); PUSH(WK_I32); return WK_OK;
  default: FAIL("illegal opcode");
  }
}

int wk_funcval_op(wk_funcval *v, const wk_insn *in, size_t off, wk_error *err) {
  const wk_core_module *m = v->m;
  if (!v->begun || v->ended || v->nctrls == 0) FAIL("operators remaining after end of function");
  if (in->opi >= WK_OPI_COUNT) FAIL("illegal opcode");
  const simple_sig *sig = &v->sigs[in->opi];
  if (__builtin_expect(!sig->parsed, 0)) parse_sig(&v->sigs[in->opi], in->opi);
  if (sig->ok) {
    if (__builtin_expect(in->op >= 0xfe00, 0) && !(v->features & WK_FEAT_RELAXED_SIMD)) /* opcodes.h */
      FAIL("%s requires the relaxed-simd feature", wk_opi_text[in->opi]);
    /* Simple instructions: memory access checks, lanes, then typing. */
    uint8_t aux = wk_opi_aux[in->opi];
    simple_sig s64;
    if (in->imm == WK_IMM_MEMARG || in->imm == WK_IMM_MEMARG_LANE) {
      NEED_MEM(in->mem);
      /* Core 3.0 3.3.7: the address operand has the memory's address type;
       * an i32 memory's offset must fit a u32 */
      if (wk_core_mem_limits(m, in->mem)->is64) {
        s64 = *sig;
        s64.p[0] = WK_I64;
        sig = &s64;
      } else if (in->offset > UINT32_MAX) FAIL("offset out of range");
      /* a 2.0 memarg offset is a u32 LEB (also when the decoder did not scan
       * the body, e.g. wk_core_decode_ex's lazy bodies) */
      if (in->offset_wide && !(v->features & WK_FEAT_MEMORY64)) FAIL("integer representation too long");
      if (in->align > aux) FAIL("alignment must not be larger than natural");
      if (in->imm == WK_IMM_MEMARG_LANE && in->lane >= (16u >> aux)) FAIL("invalid lane index");
    } else if (in->imm == WK_IMM_LANE) {
      if (in->lane >= aux) FAIL("invalid lane index");
    } else if (in->imm == WK_IMM_SHUFFLE) {
      for (int k = 0; k < 16; k++)
        if (in->val.v128[k] >= 32) FAIL("invalid lane index");
    } else if (in->imm == WK_IMM_MEM) {
      NEED_MEM(in->mem);
      if (wk_core_mem_limits(m, in->mem)->is64) { /* memory.size/grow: sizes in the address type */
        s64 = *sig;
        for (int k = 0; k < s64.np; k++) s64.p[k] = WK_I64;
        if (s64.nr) s64.r = WK_I64;
        sig = &s64;
      }
    }
    ctrl *c = &v->ctrls[v->nctrls - 1];
    uint32_t np = sig->np;
    if (v->nvals - c->height >= np) { /* fast path: all operands present */
      for (uint32_t k = 0; k < np; k++)
        if (v->vals[v->nvals - np + k] != sig->p[k] && v->vals[v->nvals - np + k] != WK_TYPE_UNKNOWN) MISMATCH();
      v->nvals -= np;
    } else {
      for (uint32_t k = np; k-- > 0;) POP(sig->p[k]);
    }
    if (sig->nr) PUSH(sig->r);
    return WK_OK;
  }
  ctrl *top = &v->ctrls[v->nctrls - 1];
  switch (in->op) {
  case WK_OP_UNREACHABLE:
    set_unreachable(v);
    return WK_OK;
  case WK_OP_BLOCK: case WK_OP_LOOP: case WK_OP_IF: {
    if (__builtin_expect(uses_exnref(in), 0) && !(v->features & WK_FEAT_EXCEPTIONS)) /* (valtype is set only for WK_BT_VAL) */
      FAIL("exnref requires the exceptions feature");
    uint32_t np, nr;
    const wk_vt *p, *r;
    BLOCKTYPE(np, p, nr, r);
    if (in->op == WK_OP_IF) POP(WK_I32);
    if (pop_vals(v, np, p)) MISMATCH();
    uint8_t kind = in->op == WK_OP_BLOCK ? WK_FRAME_BLOCK : in->op == WK_OP_LOOP ? WK_FRAME_LOOP : WK_FRAME_IF;
    return push_ctrl(v, kind, np, p, nr, r, err);
  }
  case WK_OP_ELSE:
    if (top->kind != WK_FRAME_IF) FAIL("else without matching if");
    if (close_body(v, top)) MISMATCH();
    top->kind = WK_FRAME_ELSE;
    top->unreachable = 0;
    return push_vals(v, top->nparams, top->params, err);
  case WK_OP_END: {
    if (close_body(v, top)) MISMATCH();
    /* Core 3.3.8: `if` without `else` has type [t*] -> [t*]. */
    if (top->kind == WK_FRAME_IF && !if_no_else_ok(v, top)) MISMATCH();
    ctrl c = *top;
    v->nctrls--;
    if (c.kind == WK_FRAME_FUNC) {
      v->ended = 1;
      return WK_OK;
    }
    return push_vals(v, c.nresults, c.results, err);
  }
  case WK_OP_BR: case WK_OP_BR_IF: {
    if (in->idx0 >= v->nctrls) FAIL("unknown label");
    if (in->op == WK_OP_BR_IF) POP(WK_I32);
    const ctrl *c = &v->ctrls[v->nctrls - 1 - in->idx0];
    uint32_t n = label_n(c);
    const wk_vt *ts = label_t(c);
    if (pop_vals(v, n, ts)) MISMATCH();
    if (in->op == WK_OP_BR) set_unreachable(v);
    else return push_vals(v, n, ts, err);
    return WK_OK;
  }
  case WK_OP_BR_TABLE: {
    POP(WK_I32);
    if (in->idx0 >= v->nctrls) FAIL("unknown label");
    const ctrl *d = &v->ctrls[v->nctrls - 1 - in->idx0];
    uint32_t arity = label_n(d);
    size_t cur = 0;
    for (uint32_t k = 0; k < in->count; k++) {
      uint32_t l = wk_insn_br_target(in, &cur);
      if (l >= v->nctrls) FAIL("unknown label");
      const ctrl *c = &v->ctrls[v->nctrls - 1 - l];
      if (label_n(c) != arity) MISMATCH();
      /* push_vals(pop_vals(label_types)) keeps what was actually popped. */
      const wk_vt *ts = label_t(c);
      wk_vt save[16];
      wk_vt *tmp = arity <= 16 ? save : malloc(arity * sizeof *tmp);
      if (!tmp) return nomem(err);
      int bad = 0;
      for (uint32_t i = arity; i-- > 0;) {
        int64_t t = pop_t(v, ts[i]);
        if (t < 0) { bad = 1; break; }
        tmp[i] = (wk_vt)t;
      }
      int rc = bad ? 0 : push_vals(v, arity, tmp, err);
      if (tmp != save) free(tmp);
      if (bad) MISMATCH();
      if (rc) return rc;
    }
    if (pop_vals(v, arity, label_t(d))) MISMATCH();
    set_unreachable(v);
    return WK_OK;
  }
  case WK_OP_RETURN: {
    const ctrl *f = &v->ctrls[0];
    if (pop_vals(v, f->nresults, f->results)) MISMATCH();
    set_unreachable(v);
    return WK_OK;
  }
  case WK_OP_CALL: {
    const wk_core_functype *t = wk_core_func_type(m, in->idx0);
    if (!t) FAIL("unknown function %u", in->idx0);
    const wk_vt *tv = type_vts(v, (uint32_t)(t - m->types));
    if (!tv) return nomem(err);
    if (pop_vals(v, t->nparams, tv)) MISMATCH();
    return push_vals(v, t->nresults, tv + t->nparams, err);
  }
  case WK_OP_CALL_INDIRECT: {
    const wk_core_tabletype *tt = wk_core_table_type(m, in->idx1);
    if (!tt) FAIL("unknown table %u", in->idx1);
    if (!tab_is_func(v, tt)) MISMATCH();
    if (in->idx0 >= m->ntypes) FAIL("unknown type");
    if (!wk_core_type_is_func(m, in->idx0)) MISMATCH(); /* Core 3.0 valid/instructions.rst: a function type */
    const wk_core_functype *t = &m->types[in->idx0];
    const wk_vt *tv = type_vts(v, in->idx0);
    if (!tv) return nomem(err);
    POP(tab_addr(m, in->idx1)); /* Core 3.0 3.3.8: the table's index type */
    if (pop_vals(v, t->nparams, tv)) MISMATCH();
    return push_vals(v, t->nresults, tv + t->nparams, err);
  }
  case WK_OP_RETURN_CALL: case WK_OP_RETURN_CALL_INDIRECT: {
    if (!(v->features & WK_FEAT_TAIL_CALL)) FAIL("%s requires the tail-call feature", wk_opi_text[in->opi]);
    const wk_core_functype *t;
    if (in->op == WK_OP_RETURN_CALL) {
      if (!(t = wk_core_func_type(m, in->idx0))) FAIL("unknown function %u", in->idx0);
    } else {
      const wk_core_tabletype *tt = wk_core_table_type(m, in->idx1);
      if (!tt) FAIL("unknown table %u", in->idx1);
      if (!tab_is_func(v, tt)) MISMATCH();
      if (in->idx0 >= m->ntypes) FAIL("unknown type");
      if (!wk_core_type_is_func(m, in->idx0)) MISMATCH();
      t = &m->types[in->idx0];
      POP(tab_addr(m, in->idx1));
    }
    const wk_vt *tv = type_vts(v, (uint32_t)(t - m->types));
    if (!tv) return nomem(err);
    if (pop_vals(v, t->nparams, tv)) MISMATCH();
    if (!tail_results(v, t)) MISMATCH();
    set_unreachable(v);
    return WK_OK;
  }
  case WK_OP_DROP:
    if (pop_any(v) < 0) MISMATCH();
    return WK_OK;
  case WK_OP_SELECT: {
    POP(WK_I32);
    int64_t t1 = pop_any(v), t2 = t1 < 0 ? -1 : pop_any(v);
    if (t1 < 0 || t2 < 0) MISMATCH();
    /* Core 3.3.4: untyped select only for numeric and vector types. */
    if (!((is_num_or_unknown(t1) && is_num_or_unknown(t2)) ||
          ((t1 == WK_V128 || t1 == WK_TYPE_UNKNOWN) && (t2 == WK_V128 || t2 == WK_TYPE_UNKNOWN))))
      MISMATCH();
    if (t1 != t2 && t1 != WK_TYPE_UNKNOWN && t2 != WK_TYPE_UNKNOWN) MISMATCH();
    PUSH(t1 == WK_TYPE_UNKNOWN ? t2 : t1);
    return WK_OK;
  }
  case WK_OP_SELECT_T: {
    if (in->count != 1) FAIL("invalid result arity");
    wk_vt t = wk_vt_make(in->valtype, in->ht);
    if (__builtin_expect(t != in->valtype, 0) && (!(v->features & WK_FEAT_FUNCTION_REFERENCES) || !wk_val_vt_ok(m, t)))
      FAIL("unknown type");
    if (__builtin_expect(vt_is_gc(t), 0) && !(v->features & WK_FEAT_GC)) FAIL("GC heap types require the gc feature");
    POP(WK_I32);
    POP(t);
    POP(t);
    PUSH(t);
    return WK_OK;
  }
  case WK_OP_LOCAL_GET: case WK_OP_LOCAL_SET: case WK_OP_LOCAL_TEE: {
    if (in->idx0 >= v->nlocals) FAIL("unknown local %u", in->idx0);
    wk_vt t = v->nlocals <= FLAT_LOCALS ? v->flat[in->idx0] : local_vt(v, in->idx0);
    if (__builtin_expect(wk_vt_code(t) == WK_REF, 0) && v->track_init) {
      int rc = local_init_op(v, in, off, err);
      if (rc) return rc;
    }
    if (in->op != WK_OP_LOCAL_GET) POP(t);
    if (in->op != WK_OP_LOCAL_SET) PUSH(t);
    return WK_OK;
  }
  case WK_OP_GLOBAL_GET: case WK_OP_GLOBAL_SET: {
    const wk_core_globaltype *g = wk_core_global_type(m, in->idx0);
    if (!g) FAIL("unknown global %u", in->idx0);
    wk_vt gt = wk_vt_make(g->valtype, g->ht);
    if (in->op == WK_OP_GLOBAL_GET) PUSH(gt);
    else {
      if (!g->mut) FAIL("global is immutable");
      POP(gt);
    }
    return WK_OK;
  }
  case WK_OP_TABLE_GET: case WK_OP_TABLE_SET: case WK_OP_TABLE_SIZE: case WK_OP_TABLE_GROW:
  case WK_OP_TABLE_FILL: {
    const wk_core_tabletype *tt = wk_core_table_type(m, in->idx0);
    if (!tt) FAIL("unknown table %u", in->idx0);
    wk_vt t = wk_vt_make(tt->reftype, tt->ht);
    uint8_t at = tt->lim.is64 ? WK_I64 : WK_I32; /* Core 3.0 3.3.6: index type */
    switch (in->op) {
    case WK_OP_TABLE_GET: POP(at); PUSH(t); break;
    case WK_OP_TABLE_SET: POP(t); POP(at); break;
    case WK_OP_TABLE_SIZE: PUSH(at); break;
    case WK_OP_TABLE_GROW: POP(at); POP(t); PUSH(at); break;
    default: POP(at); POP(t); POP(at); break;
    }
    return WK_OK;
  }
  case WK_OP_TABLE_COPY: {
    const wk_core_tabletype *d = wk_core_table_type(m, in->idx0), *s = wk_core_table_type(m, in->idx1);
    if (!d) FAIL("unknown table %u", in->idx0);
    if (!s) FAIL("unknown table %u", in->idx1);
    if (!vt_sub(v, wk_vt_make(s->reftype, s->ht), wk_vt_make(d->reftype, d->ht))) MISMATCH(); /* Core 3.0 3.3.6 */
    /* Core 3.0 3.3.6 table.copy x y: [at_x at_y min(at_x, at_y)] -> [] */
    uint8_t ad = d->lim.is64 ? WK_I64 : WK_I32, as = s->lim.is64 ? WK_I64 : WK_I32;
    POP(ad == WK_I64 && as == WK_I64 ? WK_I64 : WK_I32); POP(as); POP(ad);
    return WK_OK;
  }
  case WK_OP_TABLE_INIT: {
    const wk_core_tabletype *t = wk_core_table_type(m, in->idx1);
    if (!t) FAIL("unknown table %u", in->idx1);
    if (in->idx0 >= m->nelems) FAIL("unknown elem segment %u", in->idx0);
    if (!vt_sub(v, wk_val_elem_vt(m, &m->elems[in->idx0], v->features), wk_vt_make(t->reftype, t->ht))) MISMATCH();
    POP(WK_I32); POP(WK_I32); POP(t->lim.is64 ? WK_I64 : WK_I32);
    return WK_OK;
  }
  case WK_OP_ELEM_DROP:
    if (in->idx0 >= m->nelems) FAIL("unknown elem segment %u", in->idx0);
    return WK_OK;
  case WK_OP_MEMORY_INIT: case WK_OP_DATA_DROP:
    if (in->op == WK_OP_MEMORY_INIT) NEED_MEM(in->mem);
    /* Core 3.3.7: C.datas (the data count when given, Core 5.5.16). */
    if (in->idx0 >= (m->has_datacount ? m->datacount : m->ndatas)) FAIL("unknown data segment %u", in->idx0);
    if (in->op == WK_OP_MEMORY_INIT) { POP(WK_I32); POP(WK_I32); POP(addr_type(m, in->mem)); }
    return WK_OK;
  case WK_OP_MEMORY_COPY: case WK_OP_MEMORY_FILL: {
    NEED_MEM(in->mem);
    uint8_t at = addr_type(m, in->mem);
    if (in->op == WK_OP_MEMORY_FILL) { POP(at); POP(WK_I32); POP(at); return WK_OK; }
    /* Core 3.0 3.3.7 memory.copy x y: [at_x at_y min(at_x, at_y)] -> [] */
    NEED_MEM(in->mem_src);
    uint8_t as = addr_type(m, in->mem_src);
    POP(at == WK_I64 && as == WK_I64 ? WK_I64 : WK_I32);
    POP(as);
    POP(at);
    return WK_OK;
  }
  case WK_OP_REF_NULL:
    if ((in->valtype == WK_EXNREF || in->valtype == WK_NULLEXNREF) && !(v->features & WK_FEAT_EXCEPTIONS))
      FAIL("exnref requires the exceptions feature");
    if (__builtin_expect(wk_gc_ht_code(in->valtype), 0) && !(v->features & WK_FEAT_GC))
      FAIL("GC heap types require the gc feature");
    if (__builtin_expect(in->valtype == WK_REFNULL, 0)) {
      if (!(v->features & WK_FEAT_FUNCTION_REFERENCES)) FAIL("ref.null of a type index requires the function-references feature");
      if (in->ht >= m->ntypes) FAIL("unknown type");
    }
    PUSH(wk_vt_make(in->valtype, in->ht));
    return WK_OK;
  case WK_OP_REF_IS_NULL: {
    int64_t t = pop_any(v);
    if (t < 0 || !(t == WK_TYPE_UNKNOWN || is_ref(t))) MISMATCH();
    PUSH(WK_I32);
    return WK_OK;
  }
  case WK_OP_REF_FUNC:
    if (in->idx0 >= wk_core_func_count(m)) FAIL("unknown function %u", in->idx0);
    if (!(v->refs[in->idx0 >> 3] >> (in->idx0 & 7) & 1)) FAIL("undeclared function reference");
    /* Core 3.0 3.3.5: ref.func x : [] -> [(ref $t)] with $t the function's type */
    PUSH(v->features & WK_FEAT_FUNCTION_REFERENCES ? wk_vt_make(WK_REF, wk_core_func_type_index(m, in->idx0)) : WK_FUNCREF);
    return WK_OK;
  case WK_OP_CALL_REF: case WK_OP_RETURN_CALL_REF: case WK_OP_REF_AS_NON_NULL: case WK_OP_BR_ON_NULL:
  case WK_OP_BR_ON_NON_NULL:
    return funcref_op(v, in, off, err);
  case WK_OP_THROW: case WK_OP_THROW_REF: case WK_OP_TRY_TABLE:
    return exceptions_op(v, in, off, err);
  case WK_OP_TRY: case WK_OP_CATCH: case WK_OP_CATCH_ALL: case WK_OP_DELEGATE: case WK_OP_RETHROW:
    return legacy_eh_op(v, in, off, err);
  default:
    if (in->op == WK_OP_REF_EQ || (in->op >> 8) == 0xfb) return gc_op(v, in, off, err);
    FAIL("illegal opcode");
  }
}

/* (query, encode.h) only the current frame's operands: below its height the stack is polymorphic
 * (Core 3.3.5; Appendix "Validation Algorithm": pop_val in unreachable code yields Unknown) */
uint8_t wk_funcval_operand_type(const wk_funcval *v, uint32_t depth) {
  uint32_t base = v->nctrls ? v->ctrls[v->nctrls - 1].height : 0;
  return depth < v->nvals - base ? wk_funcval_type_at(v, depth) : WK_TYPE_UNKNOWN;
}
wk_vt wk_funcval_operand_vt(const wk_funcval *v, uint32_t depth) {
  uint32_t base = v->nctrls ? v->ctrls[v->nctrls - 1].height : 0;
  return depth < v->nvals - base ? wk_funcval_vt_at(v, depth) : WK_TYPE_UNKNOWN;
}
