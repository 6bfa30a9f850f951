/*
 * lib/interp execution: the interpreter loop (loop.h, instantiated for the
 * guard-page and the explicit-check memory modes), the fault handler that
 * turns a guard-region SIGSEGV/SIGBUS into an "out of bounds memory access"
 * trap, host calls, and memory/table growth.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "interp/host_types.h"
#include "interp/internal.h"

#ifndef WK_SWITCH_DISPATCH
#define WK_USE_GOTO 1
#else
#define WK_USE_GOTO 0
#endif

static inline float f32_of(uint32_t b) {
  float f;
  memcpy(&f, &b, 4);
  return f;
}
static inline double f64_of(uint64_t b) {
  double f;
  memcpy(&f, &b, 8);
  return f;
}
static inline uint32_t bits_f32(float f) {
  uint32_t b;
  memcpy(&b, &f, 4);
  return b;
}
static inline uint64_t bits_f64(double f) {
  uint64_t b;
  memcpy(&b, &f, 8);
  return b;
}
static inline uint32_t rotl32(uint32_t a, uint32_t b) { b &= 31; return (a << b) | (a >> ((32 - b) & 31)); }
static inline uint32_t rotr32(uint32_t a, uint32_t b) { b &= 31; return (a >> b) | (a << ((32 - b) & 31)); }
static inline uint64_t rotl64(uint64_t a, uint64_t b) { b &= 63; return (a << b) | (a >> ((64 - b) & 63)); }
static inline uint64_t rotr64(uint64_t a, uint64_t b) { b &= 63; return (a >> b) | (a << ((64 - b) & 63)); }
/* Core spec 4.3.3 fmin/fmax: NaN if either is NaN; -0 < +0 */
static inline float fmin32(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return f32_of(bits_f32(a) | bits_f32(b));
  return a < b ? a : b;
}
static inline float fmax32(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return f32_of(bits_f32(a) & bits_f32(b));
  return a > b ? a : b;
}
static inline double fmin64(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == b) return f64_of(bits_f64(a) | bits_f64(b));
  return a < b ? a : b;
}
static inline double fmax64(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == b) return f64_of(bits_f64(a) & bits_f64(b));
  return a > b ? a : b;
}
/* saturating truncation (Core spec 4.3.3 trunc_sat) */
static inline int32_t sat_s32(double a) {
  if (a != a) return 0;
  if (a <= -2147483648.0) return INT32_MIN;
  if (a >= 2147483648.0) return INT32_MAX;
  return (int32_t)a;
}
static inline uint32_t sat_u32(double a) {
  if (!(a > -1.0)) return 0;
  if (a >= 4294967296.0) return UINT32_MAX;
  return (uint32_t)a;
}
static inline int64_t sat_s64(double a) {
  if (a != a) return 0;
  if (a <= -9223372036854775808.0) return INT64_MIN;
  if (a >= 9223372036854775808.0) return INT64_MAX;
  return (int64_t)a;
}
static inline uint64_t sat_u64(double a) {
  if (!(a > -1.0)) return 0;
  if (a >= 18446744073709551616.0) return UINT64_MAX;
  return (uint64_t)a;
}

/* the checked loop's code of m (derived from tcode[0] on first use); NULL on OOM */
static const uint32_t *checked_code(const wk_module *m);

/* keeps a product in a register as a rounded double so that the compiler cannot contract
 * "a + b * c" into an fma (-ffp-contract=fast is GCC's default in GNU C mode) */
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define WK_FP_BARRIER(v) __asm__("" : "+x"(v))
#elif defined(__GNUC__) && defined(__aarch64__)
#define WK_FP_BARRIER(v) __asm__("" : "+w"(v))
#else
#define WK_FP_BARRIER(v) do { volatile double wk_fp_barrier_ = (v); (v) = wk_fp_barrier_; } while (0)
#endif
#define WK_CHECKED 0
#define WK_RUN_NAME run_guarded
#include "interp/loop.h"
#undef WK_CHECKED
#undef WK_RUN_NAME
#define WK_CHECKED 1
#define WK_RUN_NAME run_checked
#include "interp/loop.h"
#undef WK_CHECKED
#undef WK_RUN_NAME

/* the opcode words of the two loops: label offsets (computed goto) or the opcode itself */
static void thread_offsets(int32_t offs[2][IOP__COUNT]) {
#if WK_USE_GOTO
  run_guarded(NULL, NULL, (uint64_t *)offs[0], NULL);
  run_checked(NULL, NULL, (uint64_t *)offs[1], NULL);
#else
  for (int k = 0; k < 2; k++)
    for (int i = 0; i < IOP__COUNT; i++) offs[k][i] = i;
#endif
}

uint64_t wk_thread_fingerprint(void) {
  int32_t offs[2][IOP__COUNT];
  thread_offsets(offs);
  uint64_t h = 1469598103934665603ull; /* FNV-1a over both tables */
  const uint8_t *p = (const uint8_t *)offs;
  for (size_t i = 0; i < sizeof offs; i++) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

/* tcode[1] from tcode[0]: the same words with the checked loop's opcode words */
static uint32_t *derive_checked(const wk_module *m) {
  int32_t offs[2][IOP__COUNT];
  thread_offsets(offs);
  /* reverse map of the guarded loop's opcode words: open addressing, 4x the opcodes */
  enum { RSIZE = 4096 };
  _Static_assert(IOP__COUNT * 4 <= RSIZE, "reverse table too small");
  int16_t rev[RSIZE];
  memset(rev, 0xff, sizeof rev);
  for (int i = 0; i < IOP__COUNT; i++) {
    uint32_t h = ((uint32_t)offs[0][i] * 2654435761u) >> 20;
    while (rev[h] >= 0) {
      if (offs[0][rev[h]] == offs[0][i]) return NULL; /* two opcodes share a label (never with gcc/clang) */
      h = (h + 1) & (RSIZE - 1);
    }
    rev[h] = (int16_t)i;
  }
  const uint32_t *t0 = m->tcode[0];
  uint32_t *t = malloc((m->ncode ? m->ncode : 1) * sizeof *t);
  if (!t) return NULL;
  if (m->ncode) memcpy(t, t0, m->ncode * sizeof *t);
  for (size_t pc = 0; pc < m->ncode;) {
    uint32_t h = (t0[pc] * 2654435761u) >> 20;
    int op = -1;
    for (; rev[h] >= 0; h = (h + 1) & (RSIZE - 1))
      if ((uint32_t)offs[0][rev[h]] == t0[pc]) { op = rev[h]; break; }
    if (op < 0 || (!wk_iop_words[op] && m->ncode - pc < 3)) { free(t); return NULL; }
    size_t n = wk_iop_words[op] ? wk_iop_words[op] : (size_t)4 + t0[pc + 2];
    if (n > m->ncode - pc) { free(t); return NULL; }
    t[pc] = (uint32_t)offs[1][op];
    pc += n;
  }
  return t;
}

/* Most stores use guard pages and never run the checked loop: its copy of the code (as big as
 * the guarded one) is made when first needed. Modules may be shared between threads. */
static pthread_mutex_t checked_lock = PTHREAD_MUTEX_INITIALIZER;
static const uint32_t *checked_code(const wk_module *cm) {
  wk_module *m = (wk_module *)cm;
  if (m->lazy) return m->lazy->stubs[1]; /* each function is threaded for both loops when translated */
  uint32_t *t = __atomic_load_n(&m->tcode[1], __ATOMIC_ACQUIRE);
  if (__builtin_expect(t != NULL, 1)) return t;
  pthread_mutex_lock(&checked_lock);
  t = m->tcode[1];
  if (!t && (t = derive_checked(m)) != NULL) {
    for (uint32_t i = 0; i < m->nfuncs - m->nfunc_imports; i++) m->funcs[i].tc[1] = t + m->funcs[i].code;
    __atomic_store_n(&m->tcode[1], t, __ATOMIC_RELEASE);
  }
  pthread_mutex_unlock(&checked_lock);
  return t;
}

void wk_thread_offsets(int32_t offs[2][IOP__COUNT]) { thread_offsets(offs); }

int wk_thread_words(const uint32_t *code, size_t n, uint32_t *t, uint32_t *t1) {
  int32_t offs[2][IOP__COUNT];
  thread_offsets(offs);
  return wk_thread_words_offs((const int32_t(*)[IOP__COUNT])offs, code, n, t, t1);
}

int wk_thread_words_offs(const int32_t offs[2][IOP__COUNT], const uint32_t *code, size_t n, uint32_t *t, uint32_t *t1) {
  if (n) memcpy(t, code, n * sizeof *t);
  for (size_t pc = 0; pc < n;) {
    uint32_t op = code[pc];
    if (op >= IOP__COUNT || (!wk_iop_words[op] && n - pc < 3)) return WK_ERR_MALFORMED;
    size_t nw = wk_iop_words[op] ? wk_iop_words[op] : (size_t)4 + code[pc + 2];
    if (nw > n - pc) return WK_ERR_MALFORMED;
    t[pc] = (uint32_t)offs[0][op];
    uint32_t op1 = (uint32_t)offs[1][op];
    /* branch targets become offsets relative to the instruction: no code base in the loop */
    size_t w0 = 0, w1 = 0;
    if (wk_iop_pair_first[op]) op = wk_iop_pair_first[op]; /* a superinstruction: A's target words */
    switch (op) {
    case IOP_BR: case IOP_BR_POLL: w0 = w1 = 1; break;
    case IOP_COPY_BR: case IOP_COPY_BR_POLL: w0 = w1 = 3; break;
    case IOP_BR_Z: case IOP_BR_NZ: case IOP_BR_I64_Z: case IOP_BR_I64_NZ: w0 = w1 = 2; break;
    case IOP_BR_TABLE: w0 = 3, w1 = nw - 1; break;
    case IOP_CATCH: w0 = w1 = 4; break;
    case IOP_ADDI_BR_NE_I: case IOP_ADDI_BR_GT_U_I: case IOP_ADDI_BR_LT_U_I: case IOP_ADDI_BR_GT_S_I:
    case IOP_ADDI_BR_NE: case IOP_ADDI_BR_GE_S: w0 = w1 = 5; break;
    default:
      if (op >= IOP_BR_I32_EQ && op <= IOP_BR_I64_GE_U) w0 = w1 = 3;
      break;
    }
    if (w0)
      for (size_t w = w0; w <= w1; w++) t[pc + w] = (uint32_t)(int32_t)((int64_t)code[pc + w] - (int64_t)pc);
    if (t1) {
      t1[pc] = op1;
      for (size_t w = 1; w < nw; w++) t1[pc + w] = t[pc + w];
    }
    pc += nw;
  }
  return WK_OK;
}

int wk_thread_code(wk_module *m) {
  /* tcode[1]: checked_code, on first use */
  uint32_t *t = malloc((m->ncode ? m->ncode : 1) * sizeof *t);
  if (!t) return WK_ERR_NOMEM;
  int rc = wk_thread_words(m->code, m->ncode, t, NULL);
  if (rc != WK_OK) {
    free(t);
    return rc;
  }
  m->tcode[0] = t;
  for (uint32_t i = 0; i < m->nfuncs - m->nfunc_imports; i++) m->funcs[i].tc[0] = t + m->funcs[i].code;
  return WK_OK;
}

int wk_lazy_stubs(wk_module *m, const int32_t offs[2][IOP__COUNT]) {
  uint32_t nd = m->nfuncs - m->nfunc_imports;
  /* (in the module's arena: both loops' stubs in one block, freed with the module) */
  uint32_t *st = wk_arena_alloc(&m->arena, ((size_t)nd * 2 + 1) * 2 * sizeof *st);
  if (!st) return WK_ERR_NOMEM;
  for (int k = 0; k < 2; k++, st += (size_t)nd * 2 + 1) {
    for (uint32_t i = 0; i < nd; i++) {
      st[2 * i] = (uint32_t)offs[k][IOP_LAZY];
      st[2 * i + 1] = i;
      m->funcs[i].tc[k] = st + 2 * i;
    }
    m->lazy->stubs[k] = st;
  }
  return WK_OK;
}

/* ---- fault handling ---- */
static _Thread_local wk_runctx *tls_rc;
static _Thread_local int tls_altstack;
static struct sigaction old_segv, old_bus;
static pthread_mutex_t handler_lock = PTHREAD_MUTEX_INITIALIZER;
/* Install the guard-region fault handler (called when a store with guard pages is made). */
static void on_fault(int sig, siginfo_t *si, void *uc) {
  wk_runctx *rc = tls_rc;
  if (rc) {
    uintptr_t a = (uintptr_t)si->si_addr;
    wk_store *s = rc->s;
    for (size_t i = 0; i < s->nmems; i++) {
      wk_memory *m = s->mems[i];
      if (m->guarded && a >= (uintptr_t)m->base && a < (uintptr_t)m->base + m->reserved)
        siglongjmp(rc->jb, 1);
    }
  }
  /* not a guest memory access: hand it to whoever was there before (or the default action) */
  struct sigaction *old = sig == SIGSEGV ? &old_segv : &old_bus;
  if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction) {
    old->sa_sigaction(sig, si, uc);
    return;
  }
  if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
    old->sa_handler(sig);
    return;
  }
  signal(sig, SIG_DFL); /* returning re-executes the access, which now kills the process */
}
static void install_handler(void) {
  struct sigaction sa, cur;
  /* (re)install when someone replaced ours (test harnesses install their own per test) */
  if (sigaction(SIGSEGV, NULL, &cur) == 0 && (cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == on_fault) return;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, &old_segv);
  sigaction(SIGBUS, &sa, &old_bus);
}
void wk_install_fault_handler(void) {
  pthread_mutex_lock(&handler_lock);
  install_handler();
  pthread_mutex_unlock(&handler_lock);
}
static void ensure_altstack(void) {
  if (tls_altstack) return;
  tls_altstack = 1;
  stack_t cur;
  if (sigaltstack(NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE)) return;
  size_t sz = 64 * 1024;
  void *p = malloc(sz); /* one per thread, for the thread's lifetime */
  if (!p) return;
  stack_t st = {.ss_sp = p, .ss_size = sz, .ss_flags = 0};
  if (sigaltstack(&st, NULL) != 0) free(p);
}

uint64_t wk_eval_cexpr_hi(wk_instance *inst, const wk_cexpr *e) {
  if (e->op == 0x23) return inst->globals[e->idx]->hi;
  return e->op == 0xfd ? e->hi : 0;
}
/* An extended constant expression (Core 3.0 3.3.10; validated: i32/i64 const, global.get,
 * i32/i64 add/sub/mul, one result), on a small value stack; i32 results are kept zero-extended. */
static uint64_t eval_ext(wk_instance *inst, const wk_cexpr *e) {
  uint64_t st[64], hi[64]; /* hi: a v128's high half (GC constants' v128 fields), else 0 */
  uint32_t n = 0;
  size_t pos = 0;
  wk_insn in;
  wk_error err;
  while (pos < e->idx && wk_insn_read(e->expr, e->idx, &pos, &in, &err) == WK_OK) {
    uint64_t a, b;
    if (((in.op & 0xff00) == 0xfb00 || in.op == WK_OP_REF_NULL || in.op == WK_OP_REF_FUNC) &&
        wk_gc_cexpr_op(inst, &in, st, hi, &n))
      continue; /* (GC constant instructions: gc.c) */
    if (in.op == WK_OP_I32_CONST || in.op == WK_OP_I64_CONST || in.op == WK_OP_GLOBAL_GET) {
      if (n == 64) break; /* (deeper expressions: see the module check in module.c) */
      hi[n] = in.op == WK_OP_GLOBAL_GET ? inst->globals[in.idx0]->hi : 0;
      st[n++] = in.op == WK_OP_I32_CONST ? (uint32_t)in.val.i32
                : in.op == WK_OP_I64_CONST ? (uint64_t)in.val.i64
                                           : inst->globals[in.idx0]->val;
      continue;
    }
    if (in.op == WK_OP_F32_CONST || in.op == WK_OP_F64_CONST || in.op == WK_OP_V128_CONST) {
      if (n == 64) break; /* (operands of a GC constant: struct.new's fields, array.new's value) */
      hi[n] = 0;
      if (in.op == WK_OP_F32_CONST) st[n] = in.val.f32;
      else if (in.op == WK_OP_F64_CONST) st[n] = in.val.f64;
      else memcpy(&st[n], in.val.v128, 8), memcpy(&hi[n], in.val.v128 + 8, 8);
      n++;
      continue;
    }
    if (n < 2) break;
    b = st[--n], a = st[n - 1];
    switch (in.op) {
    case WK_OP_I32_ADD: a = (uint32_t)(a + b); break;
    case WK_OP_I32_SUB: a = (uint32_t)(a - b); break;
    case WK_OP_I32_MUL: a = (uint32_t)((uint32_t)a * (uint32_t)b); break;
    case WK_OP_I64_ADD: a += b; break;
    case WK_OP_I64_SUB: a -= b; break;
    case WK_OP_I64_MUL: a *= b; break;
    default: break;
    }
    st[n - 1] = a;
  }
  return n ? st[n - 1] : 0;
}

uint64_t wk_eval_cexpr(wk_instance *inst, const wk_cexpr *e) {
  switch (e->op) {
  case WK_CEXPR_EXT: return eval_ext(inst, e);
  case 0x23: return inst->globals[e->idx]->val;
  case 0xd0: return 0;
  case 0xd2: return (uint64_t)(uintptr_t)inst->funcs[e->idx];
  default: return e->bits;
  }
}
void *wk_eval_ref(wk_instance *inst, const wk_cexpr *e) {
  if (__builtin_expect(inst->gc_elems != NULL, 0) && e->op == WK_CEXPR_EXT) /* (GC: evaluated at instantiation) */
    return (void *)(uintptr_t)wk_gc_elem_value(inst, e);
  return (void *)(uintptr_t)wk_eval_cexpr(inst, e);
}

int wk_exec(wk_store *s, wk_func *f, uint64_t *base, wk_trap **trap) {
  *trap = NULL;
  const wk_module *m = f->inst->m;
  const wk_mfunc *mf = &m->funcs[f->index - m->nfunc_imports];
  if (s->depth + 2 >= s->max_depth || base + WK_RLX(mf->frame) > s->stack_end) { /* (LAZY re-checks) */
    *trap = wk_trap_make(WK_TRAP_STACK_EXHAUSTED, NULL);
    return WK_ERR_TRAP;
  }
  ensure_altstack();
  uint32_t saved_depth = s->depth;
  uint32_t entry = ++s->depth;
  s->frames[entry] = (wk_frame){NULL, NULL, NULL};
  wk_runctx rc;
  memset(&rc, 0, sizeof rc);
  rc.s = s;
  rc.entry = entry;
  rc.depth = entry;
  rc.inst = f->inst;
  rc.curf = f->index;
  rc.prev = tls_rc;
  int r;
  int guard = s->guard;
  if (!guard && !checked_code(m)) {
    s->depth = saved_depth;
    *trap = wk_trap_make(WK_TRAP_HOST, "out of memory");
    return WK_ERR_TRAP;
  }
  if (sigsetjmp(rc.jb, 0)) {
    tls_rc = rc.prev;
    *trap = wk_trap_backtrace(s, &rc, WK_TRAP_MEMORY_OOB, NULL);
    s->depth = saved_depth;
    return WK_ERR_TRAP;
  }
  tls_rc = &rc;
  if (guard)
    r = run_guarded(s, f, base, &rc);
  else
    r = run_checked(s, f, base, &rc);
  tls_rc = rc.prev;
  if (r == 0) {
    s->depth = saved_depth;
    return WK_OK;
  }
  *trap = wk_trap_backtrace(s, &rc, r > 0 ? r - 1 : WK_TRAP_HOST, NULL);
  s->depth = saved_depth;
  return WK_ERR_TRAP;
}

static void slot_to_value(uint8_t t, uint64_t v, wk_value *out) {
  memset(out, 0, sizeof *out);
  out->type = t;
  switch (t) {
  case WK_I32: out->of.i32 = (int32_t)(uint32_t)v; break;
  case WK_F32: out->of.f32 = (uint32_t)v; break;
  case WK_I64: out->of.i64 = (int64_t)v; break;
  case WK_F64: out->of.f64 = v; break;
  default: out->of.ref = (void *)(uintptr_t)v; break;
  }
}
static uint64_t value_to_slot(uint8_t t, const wk_value *v) {
  switch (t) {
  case WK_I32: return (uint32_t)v->of.i32;
  case WK_F32: return v->of.f32;
  case WK_I64: return (uint64_t)v->of.i64;
  case WK_F64: return v->of.f64;
  default: return (uint64_t)(uintptr_t)v->of.ref;
  }
}
/* ---- exception handling (internal.h wk_eh_unwind; module.c try_table_insn) ---- */
wk_exn *wk_exn_new(wk_store *s, wk_tag *t, const uint64_t *v, uint32_t n) {
  if (s->gc) return wk_gc_exn_new(s, t, v, n); /* (GC store: a collectable heap object, gc.c) */
  wk_exn *e = malloc(sizeof *e + (size_t)n * sizeof(uint64_t));
  if (!e || wk_store_track(s, e, OBJ_EXN)) { /* (OBJ_EXN: its payload is a GC root) */
    free(e);
    return NULL;
  }
  e->tag = t;
  e->n = n;
  if (n) memcpy(e->v, v, (size_t)n * sizeof *v);
  return e;
}

/* the try_tables of the code holding ip, and ip's word index in that code (*base: its word 0) */
static int eh_locate(const wk_module *m, const uint32_t *ip, const wk_handler **hs, uint32_t *nh, uint32_t *pc,
                     const uint32_t **base) {
  for (int k = 0; k < 2; k++)
    if (m->tcode[k] && ip >= m->tcode[k] && ip < m->tcode[k] + m->ncode) {
      *hs = m->handlers, *nh = m->nhandlers, *pc = (uint32_t)(ip - m->tcode[k]), *base = m->tcode[k];
      return 1;
    }
  const wk_lazy *lz = m->lazy;
  if (!lz) return 0;
  for (uint32_t i = 0; i < m->nfuncs - m->nfunc_imports; i++) {
    const wk_fcode *fc = &lz->fc[i];
    if (WK_ACQ(m->funcs[i].tc[0]) == lz->stubs[0] + 2 * i || !fc->words) continue;
    if (ip < fc->words || ip >= fc->words + 2 * (size_t)fc->n) continue;
    size_t off = (size_t)(ip - fc->words);
    int checked = off >= fc->n;
    *hs = fc->handlers, *nh = fc->nhandlers, *pc = (uint32_t)(off % fc->n);
    *base = fc->words + (checked ? fc->n : 0);
    return 1;
  }
  return 0;
}

int wk_eh_unwind(wk_store *s, uint32_t entry, wk_exn *exn, const uint32_t **ipp, uint64_t **fpp, wk_instance **instp,
                 uint32_t *depthp) {
  const uint32_t *ip = *ipp;
  uint64_t *fp = *fpp;
  wk_instance *inst = *instp;
  uint32_t depth = *depthp;
  for (;;) {
    const wk_handler *hs;
    const uint32_t *base;
    uint32_t nh, pc;
    if (eh_locate(inst->m, ip, &hs, &nh, &pc, &base)) {
      for (uint32_t h = 0; h < nh; h++) {
        if (pc < hs[h].start || pc >= hs[h].end) continue;
        if (__builtin_expect(hs[h].n == 0, 0)) { /* a legacy try ... delegate (internal.h) */
          if (hs[h].catch_pc == WK_DELEGATE_CALLER) break;
          h += hs[h].catch_pc - 1;
          continue;
        }
        for (uint32_t k = 0; k < hs[h].n; k++) {
          const uint32_t *c = base + hs[h].catch_pc + 5 * k; /* CATCH kind tag dst target */
          uint32_t kind = c[1];
          int tagged = kind < WK_CATCH_ALL || kind == WK_ICATCH_LEGACY;
          if (tagged && inst->tags[c[2]] != exn->tag) continue;
          uint64_t *d = fp + c[3];
          uint32_t n = 0;
          if (kind >= WK_ICATCH_LEGACY) *d++ = (uint64_t)(uintptr_t)exn; /* (rethrow's slot) */
          if (tagged) {
            if (exn->n) memcpy(d, exn->v, (size_t)exn->n * sizeof *d);
            n = exn->n;
          }
          if (kind == WK_CATCH_REF || kind == WK_CATCH_ALL_REF) d[n] = (uint64_t)(uintptr_t)exn;
          *ipp = c + (int32_t)c[4];
          *fpp = fp;
          *instp = inst;
          *depthp = depth;
          return 1;
        }
      }
    }
    /* not caught in this function: to its caller's call instruction, unless it is the
     * activation's entry (ret_ip NULL: a host boundary) */
    const wk_frame *fr = &s->frames[depth];
    if (!fr->ret_ip || depth <= entry) return 0;
    ip = fr->ret_ip - 1;
    fp = fr->fp;
    inst = fr->inst;
    depth--;
  }
}

void wk_value_from_slot(uint8_t t, uint64_t v, wk_value *out) { slot_to_value(t, v, out); }
uint64_t wk_value_to_slot(uint8_t t, const wk_value *v) { return value_to_slot(t, v); }
uint32_t wk_slot_count(const uint8_t *types, uint32_t n) {
  uint32_t k = n;
  for (uint32_t i = 0; i < n; i++) k += types[i] == WK_V128;
  return k;
}
void wk_values_to_slots(const uint8_t *types, uint32_t n, const wk_value *v, uint64_t *slots) {
  for (uint32_t i = 0, k = 0; i < n; i++) {
    if (types[i] == WK_V128) {
      memcpy(&slots[k], v[i].of.v128, 16);
      k += 2;
    } else {
      slots[k++] = value_to_slot(types[i], &v[i]);
    }
  }
}
void wk_values_from_slots(const uint8_t *types, uint32_t n, const uint64_t *slots, wk_value *v) {
  for (uint32_t i = 0, k = 0; i < n; i++) {
    if (types[i] == WK_V128) {
      memset(&v[i], 0, sizeof v[i]);
      v[i].type = WK_V128;
      memcpy(v[i].of.v128, &slots[k], 16);
      k += 2;
    } else {
      slot_to_value(types[i], slots[k++], &v[i]);
    }
  }
}

int wk_call_host(wk_store *s, wk_func *f, wk_instance *inst, uint64_t *base, wk_runctx *rc) {
  uint32_t np = f->type.nparams, nr = f->type.nresults;
  uint32_t snp = wk_slot_count(f->type.params, np), snr = wk_slot_count(f->type.results, nr);
  uint32_t n = snp > snr ? snp : snr;
  if (base + n > s->stack_end) {
    rc->trap = wk_trap_make(WK_TRAP_STACK_EXHAUSTED, NULL);
    return -1;
  }
  wk_value sargs[8], sres[8];
  wk_value *args = np <= 8 ? sargs : calloc(np, sizeof *args);
  wk_value *res = nr <= 8 ? sres : calloc(nr, sizeof *res);
  if (!args || !res) {
    if (args != sargs) free(args);
    if (res != sres) free(res);
    rc->trap = wk_trap_make(WK_TRAP_HOST, "out of memory");
    return -1;
  }
  wk_values_from_slots(f->type.params, np, base, args);
  for (uint32_t i = 0; i < nr; i++) {
    memset(&res[i], 0, sizeof res[i]);
    res[i].type = f->type.results[i];
  }
  wk_caller c = {s, inst, NULL};
  uint64_t *old_top = s->top;
  size_t hroots0 = s->gc ? s->gc->nhroots : 0;
  s->top = base + n;
  int r = f->fn(&c, f->env, args, res);
  s->top = old_top;
  /* GC: the host roots its nested wk_func_calls added (their results) end with this call, as a
   * top-level host's end at its next call (gc.h); res is on the stack before anything allocates.
   * Without this, each nested call pinned its results until the outermost call returned. */
  if (s->gc && s->gc->nhroots > hroots0) s->gc->nhroots = hroots0;
  if (r != 0 || c.trap) {
    rc->trap = c.trap ? c.trap : wk_trap_make(WK_TRAP_HOST, "host function failed");
    if (args != sargs) free(args);
    if (res != sres) free(res);
    return -1;
  }
  /* An interrupt (wk_store_interrupt: wrun's --timeout) that came while the host function ran --
   * a sleep or poll it ended early -- traps here, as at a back-edge or call: the caller may have
   * neither before it returns, and would then finish as if the wait had run its course. */
  if (__builtin_expect(atomic_load_explicit(&s->interrupt, memory_order_relaxed), 0)) {
    atomic_store(&s->interrupt, 0);
    rc->trap = wk_trap_make(WK_TRAP_INTERRUPT, NULL);
    if (args != sargs) free(args);
    if (res != sres) free(res);
    return -1;
  }
  if ((f->type.hts || s->gc) && !wk_host_results_fit(s, f, res)) { /* typed references (host_types.c): a null for a
                                                        (ref ht) result would break the engine's checks */
    rc->trap = wk_trap_make(WK_TRAP_HOST, "host function returned a value of the wrong reference type");
    if (args != sargs) free(args);
    if (res != sres) free(res);
    return -1;
  }
  wk_values_to_slots(f->type.results, nr, res, base);
  if (args != sargs) free(args);
  if (res != sres) free(res);
  return 0;
}

int wk_memory_grow_pages(wk_memory *m, uint32_t delta, uint64_t max_bytes) {
  uint32_t old = m->pages;
  uint64_t np = (uint64_t)old + delta;
  uint64_t lim = m->has_max && m->max < 65536 ? m->max : 65536; /* (memory64 too: store.c) */
  if (np > lim) return -1;
  if (max_bytes && np * 65536 > max_bytes) return -1;
  if (delta == 0) return (int)old;
  uint64_t nb = np * 65536;
  if (m->guarded) {
    if (mprotect(m->base + m->bytes, nb - m->bytes, PROT_READ | PROT_WRITE) != 0) return -1;
  } else {
    if (nb > SIZE_MAX) return -1;
    uint8_t *p = realloc(m->base, (size_t)nb);
    if (!p) return -1;
    memset(p + m->bytes, 0, (size_t)(nb - m->bytes));
    m->base = p;
    m->reserved = (size_t)nb;
  }
  m->pages = (uint32_t)np;
  m->bytes = nb;
  return (int)old;
}

int wk_table_grow_by(wk_table *t, uint32_t delta, void *init) {
  uint32_t old = t->size;
  uint64_t ns = (uint64_t)old + delta;
  uint64_t lim = t->has_max ? t->max : 10000000u; /* implementation limit on table size */
  if (ns > lim) return -1;
  if (delta == 0) return (int)old;
  void **e = realloc(t->elems, (size_t)ns * sizeof *e);
  if (!e) return -1;
  for (uint64_t i = old; i < ns; i++) e[i] = init;
  t->elems = e;
  t->size = (uint32_t)ns;
  return (int)old;
}
