/*
 * The interpreter loop, included twice by exec.c: with WK_CHECKED 0 (memory
 * accesses rely on the guard region: no bounds-check branch) and 1 (explicit
 * bounds checks). Dispatch is by computed goto (direct to the handler's
 * address through a table) or, with WK_SWITCH_DISPATCH, a plain switch: the
 * same handler source serves both (Lua lvm.c style).
 */
/* aligned to a cache line: where the linker happens to place the loop (it moves with every object
 * added before it) shifts every handler against line and fetch-window boundaries, which moved
 * CoreMark by ~4% between two links of the same code; aligned, the layout inside is the same */
#if defined(__GNUC__)
__attribute__((aligned(64)))
#endif
static int WK_RUN_NAME(wk_store *s, wk_func *f0, uint64_t *fp0, wk_runctx *rc) {
#if WK_USE_GOTO
  /* direct threading: the code's opcode words hold these handler offsets (wk_thread_code) */
  static const int32_t disp[IOP__COUNT] = {
#define WK_X(n, w) (int32_t)((char *)&&L_##n - (char *)&&L_UNREACHABLE),
      WK_IOPS(WK_X)
#undef WK_X
  };
  if (!s) { /* asked for the handler offsets */
    memcpy(fp0, disp, sizeof disp);
    return 0;
  }
#define CASE(n) L_##n:
#define NEXT() goto *(void *)((char *)&&L_UNREACHABLE + (int32_t)*ip)
#define DISPATCH() NEXT();
#define END_DISPATCH
#else
#define CASE(n) case IOP_##n:
#define NEXT() goto next
#define DISPATCH()                                                                                 \
  next:                                                                                            \
  switch (*ip) {
#define END_DISPATCH                                                                               \
  default:                                                                                         \
    __builtin_unreachable();                                                                       \
    }
#endif
  wk_instance *inst = f0->inst;
  const wk_module *mod = inst->m;
  const wk_mfunc *mf = &mod->funcs[f0->index - mod->nfunc_imports];
  register uint64_t *fp = fp0;
  register const uint32_t *ip = WK_ACQ(mf->tc[WK_CHECKED]); /* (a LAZY stub until translated) */
  uint8_t *mem;
  uint64_t memsize;
  uint64_t *stack_end = s->stack_end;
  wk_frame *frames = s->frames;
  /* the call depth lives in rc->depth only (the fault handler's backtrace reads it there): a local
   * copy was kept in a stack slot anyway (register pressure) and cost a second store per call/return */
#define DEPTH (rc->depth)
  const uint32_t max_depth = s->max_depth;
  int tcode = 0;

#define RELOAD_MEM()                                                                               \
  do {                                                                                             \
    wk_memory *m0_ = inst->mems ? inst->mems[0] : NULL;                                            \
    mem = m0_ ? m0_->base : NULL;                                                                  \
    memsize = m0_ ? m0_->bytes : 0;                                                                \
  } while (0)
  (void)memsize;
  RELOAD_MEM();
#if WK_CHECKED
#define MEMSIZE() memsize
#else
#define MEMSIZE() inst->mems[0]->bytes
#endif
  for (uint32_t i = mf->nparams; i < mf->nlocals; i++) fp[i] = 0; /* slots: a v128 takes two */

#define U32(k) (ip[k])
#define SL(k) fp[ip[k]]
#define R32(k) ((uint32_t)SL(k))
#define RS32(k) ((int32_t)(uint32_t)SL(k))
#define R64(k) (SL(k))
#define RS64(k) ((int64_t)SL(k))
#define W32(k, v) (SL(k) = (uint64_t)(uint32_t)(v))
#define W64(k, v) (SL(k) = (uint64_t)(v))
#define RF32(k) f32_of(R32(k))
#define RF64(k) f64_of(R64(k))
#define WF32(k, v) W32(k, bits_f32(v))
#define WF64(k, v) W64(k, bits_f64(v))
#define TRAP(c)                                                                                    \
  do {                                                                                             \
    tcode = (c);                                                                                   \
    goto trap;                                                                                     \
  } while (0)
/* taken branch; a backward one (a loop back-edge) polls for interrupts */
#define JUMP(t)                                                                                    \
  do {                                                                                             \
    int32_t rel_ = (int32_t)(t); /* targets are relative to the instruction (wk_thread_code) */     \
    const uint32_t *nip_ = ip + rel_;                                                              \
    if (rel_ <= 0 && __builtin_expect(atomic_load_explicit(&s->interrupt, memory_order_relaxed), 0)) \
      goto interrupted;                                                                            \
    ip = nip_;                                                                                     \
  } while (0)
#define BIN32(n, expr)                                                                             \
  CASE(n) {                                                                                        \
    uint32_t a = R32(2), b = R32(3);                                                               \
    W32(1, expr);                                                                                  \
    ip += 4;                                                                                       \
    NEXT();                                                                                        \
  }
#define BIN64(n, expr)                                                                             \
  CASE(n) {                                                                                        \
    uint64_t a = R64(2), b = R64(3);                                                               \
    W64(1, expr);                                                                                  \
    ip += 4;                                                                                       \
    NEXT();                                                                                        \
  }
#define CMP64(n, expr)                                                                             \
  CASE(n) {                                                                                        \
    uint64_t a = R64(2), b = R64(3);                                                               \
    W32(1, expr);                                                                                  \
    ip += 4;                                                                                       \
    NEXT();                                                                                        \
  }
#define IMM32(n, expr)                                                                             \
  CASE(n) {                                                                                        \
    uint32_t a = R32(2), b = U32(3);                                                               \
    W32(1, expr);                                                                                  \
    ip += 4;                                                                                       \
    NEXT();                                                                                        \
  }
#define IMM64(n, expr)                                                                             \
  CASE(n) {                                                                                        \
    uint64_t a = R64(2), b = (uint64_t)(int64_t)(int32_t)U32(3);                                   \
    W64(1, expr);                                                                                  \
    ip += 4;                                                                                       \
    NEXT();                                                                                        \
  }
#define FBIN32(n, expr)                                                                            \
  CASE(n) {                                                                                        \
    float a = RF32(2), b = RF32(3);                                                                \
    WF32(1, expr);                                                                                 \
    ip += 4;                                                                                       \
    NEXT();                                                                                        \
  }
#define FBIN64(n, expr)                                                                            \
  CASE(n) {                                                                                        \
    double a = RF64(2), b = RF64(3);                                                               \
    WF64(1, expr);                                                                                 \
    ip += 4;                                                                                       \
    NEXT();                                                                                        \
  }
#define FCMP32(n, expr)                                                                            \
  CASE(n) {                                                                                        \
    float a = RF32(2), b = RF32(3);                                                                \
    W32(1, expr);                                                                                  \
    ip += 4;                                                                                       \
    NEXT();                                                                                        \
  }
#define FCMP64(n, expr)                                                                            \
  CASE(n) {                                                                                        \
    double a = RF64(2), b = RF64(3);                                                               \
    W32(1, expr);                                                                                  \
    ip += 4;                                                                                       \
    NEXT();                                                                                        \
  }
#define UN(n, T, rd, wr, expr)                                                                     \
  CASE(n) {                                                                                        \
    T a = rd(2);                                                                                   \
    wr(1, expr);                                                                                   \
    ip += 3;                                                                                       \
    NEXT();                                                                                        \
  }
#define BRC32(n, cmpexpr)                                                                          \
  CASE(n) {                                                                                        \
    uint32_t a = R32(1), b = R32(2);                                                               \
    if (cmpexpr) JUMP(U32(3));                                                                     \
    else ip += 4;                                                                                  \
    NEXT();                                                                                        \
  }
#define BRC32I(n, cmpexpr)                                                                         \
  CASE(n) {                                                                                        \
    uint32_t a = R32(1), b = U32(2);                                                               \
    if (cmpexpr) JUMP(U32(3));                                                                     \
    else ip += 4;                                                                                  \
    NEXT();                                                                                        \
  }
#define BRC64(n, cmpexpr)                                                                          \
  CASE(n) {                                                                                        \
    uint64_t a = R64(1), b = R64(2);                                                               \
    if (cmpexpr) JUMP(U32(3));                                                                     \
    else ip += 4;                                                                                  \
    NEXT();                                                                                        \
  }
#if WK_CHECKED
#define EA(n)                                                                                      \
  uint64_t ea_ = (uint64_t)R32(2) + U32(3);                                                        \
  if (__builtin_expect(ea_ + (n) > memsize, 0)) TRAP(WK_TRAP_MEMORY_OOB);                          \
  uint8_t *p_ = mem + ea_;
#define EAS(n)                                                                                     \
  uint64_t ea_ = (uint64_t)R32(1) + U32(3);                                                        \
  if (__builtin_expect(ea_ + (n) > memsize, 0)) TRAP(WK_TRAP_MEMORY_OOB);                          \
  uint8_t *p_ = mem + ea_;
#else
#define EA(n)                                                                                      \
  rc->ip = ip;                                                                                     \
  uint8_t *p_ = mem + (uint64_t)R32(2) + U32(3);
#define EAS(n)                                                                                     \
  rc->ip = ip;                                                                                     \
  uint8_t *p_ = mem + (uint64_t)R32(1) + U32(3);
#endif
#define LOAD(n, T, ST, wr)                                                                         \
  CASE(n) {                                                                                        \
    EA(sizeof(T))                                                                                  \
    T v_;                                                                                          \
    memcpy(&v_, p_, sizeof v_);                                                                    \
    wr(1, (ST)v_);                                                                                 \
    ip += 4;                                                                                       \
    NEXT();                                                                                        \
  }
#define STORE(n, T)                                                                                \
  CASE(n) {                                                                                        \
    EAS(sizeof(T))                                                                                 \
    T v_ = (T)SL(2);                                                                               \
    memcpy(p_, &v_, sizeof v_);                                                                    \
    ip += 4;                                                                                       \
    NEXT();                                                                                        \
  }

/* a callee's declared locals start at zero (Core 4.4.10 invocation: default values). An inline loop,
 * not memset: GCC turns a plain loop into a memset call, around which every call saves and reloads
 * the loop's live registers (the asm hides the pointer from that idiom recognition) */
#define ZERO_LOCALS(p, from, to)                                                                   \
  do {                                                                                             \
    uint64_t *z_ = (p) + (from), *ze_ = (p) + (to);                                                \
    while (z_ < ze_) {                                                                             \
      *z_++ = 0;                                                                                   \
      __asm__("" : "+r"(z_));                                                                      \
    }                                                                                              \
  } while (0)

  DISPATCH()
  CASE(UNREACHABLE) TRAP(WK_TRAP_UNREACHABLE);
  /* exception handling (module.c try_table_insn, exec.c wk_eh_unwind) */
  CASE(CATCH) { /* a catch clause, run in line: nothing to do */
    ip += 5;
    NEXT();
  }
  {
    wk_exn *exn;
  CASE(THROW) {
      wk_tag *t = inst->tags[U32(1)];
      exn = wk_exn_new(s, t, fp + U32(2), wk_slot_count(t->type.params, t->type.nparams));
      if (!exn) {
        rc->trap = wk_trap_make(WK_TRAP_HOST, "out of memory (exception)");
        TRAP(WK_TRAP_HOST);
      }
      goto throw_exn;
    }
  CASE(THROW_REF) {
      exn = (wk_exn *)(uintptr_t)SL(1);
      if (!exn) {
        rc->trap = wk_trap_make(WK_TRAP_UNREACHABLE, "null exception reference");
        TRAP(WK_TRAP_UNREACHABLE);
      }
    throw_exn:;
      const uint32_t *hip = ip;
      uint64_t *hfp = fp;
      wk_instance *hinst = inst;
      uint32_t hd = DEPTH;
      if (!wk_eh_unwind(s, rc->entry, exn, &hip, &hfp, &hinst, &hd)) TRAP(WK_TRAP_EXCEPTION);
      ip = hip;
      fp = hfp;
      DEPTH = hd;
      if (hinst != inst) {
        inst = hinst;
        mod = inst->m;
        rc->inst = inst;
      }
      RELOAD_MEM();
      NEXT();
    }
  }
#include "interp/simd_loop.h"
  CASE(BR) {
    ip += (int32_t)U32(1);
    NEXT();
  }
  CASE(BR_POLL) {
    if (__builtin_expect(atomic_load_explicit(&s->interrupt, memory_order_relaxed), 0)) {
      atomic_store(&s->interrupt, 0);
      TRAP(WK_TRAP_INTERRUPT);
    }
    ip += (int32_t)U32(1);
    NEXT();
  }
#define ADDIBR(n, cmpexpr, bexpr)                                                                  \
  CASE(n) {                                                                                        \
    uint32_t a = R32(2) + U32(3);                                                                  \
    W32(1, a);                                                                                     \
    uint32_t b = bexpr;                                                                            \
    if (cmpexpr) JUMP(U32(5));                                                                     \
    else ip += 6;                                                                                  \
    NEXT();                                                                                        \
  }
  ADDIBR(ADDI_BR_NE_I, a != b, U32(4))
  ADDIBR(ADDI_BR_GT_U_I, a > b, U32(4))
  ADDIBR(ADDI_BR_LT_U_I, a < b, U32(4))
  ADDIBR(ADDI_BR_GT_S_I, (int32_t)a > (int32_t)b, U32(4))
  ADDIBR(ADDI_BR_NE, a != b, R32(4))
  ADDIBR(ADDI_BR_GE_S, (int32_t)a >= (int32_t)b, R32(4))
  CASE(COPY_BR) {
    SL(1) = SL(2);
    ip += (int32_t)U32(3);
    NEXT();
  }
  CASE(COPY_BR_POLL) {
    SL(1) = SL(2);
    if (__builtin_expect(atomic_load_explicit(&s->interrupt, memory_order_relaxed), 0)) goto interrupted;
    ip += (int32_t)U32(3);
    NEXT();
  }
  CASE(COPY2) {
    SL(1) = SL(2);
    SL(3) = SL(4);
    ip += 5;
    NEXT();
  }
  CASE(BR_Z) {
    if (!R32(1)) JUMP(U32(2));
    else ip += 3;
    NEXT();
  }
  CASE(BR_NZ) {
    if (R32(1)) JUMP(U32(2));
    else ip += 3;
    NEXT();
  }
  CASE(BR_I64_Z) {
    if (!R64(1)) JUMP(U32(2));
    else ip += 3;
    NEXT();
  }
  CASE(BR_I64_NZ) {
    if (R64(1)) JUMP(U32(2));
    else ip += 3;
    NEXT();
  }
  CASE(BR_TABLE) {
    uint32_t i = R32(1), n = U32(2);
    if (i > n) i = n;
    JUMP(ip[3 + i]);
    NEXT();
  }
  BRC32(BR_I32_EQ, a == b)
  BRC32(BR_I32_NE, a != b)
  BRC32(BR_I32_LT_S, (int32_t)a < (int32_t)b)
  BRC32(BR_I32_LT_U, a < b)
  BRC32(BR_I32_GT_S, (int32_t)a > (int32_t)b)
  BRC32(BR_I32_GT_U, a > b)
  BRC32(BR_I32_LE_S, (int32_t)a <= (int32_t)b)
  BRC32(BR_I32_LE_U, a <= b)
  BRC32(BR_I32_GE_S, (int32_t)a >= (int32_t)b)
  BRC32(BR_I32_GE_U, a >= b)
  BRC32I(BR_I32_EQ_I, a == b)
  BRC32I(BR_I32_NE_I, a != b)
  BRC32I(BR_I32_LT_S_I, (int32_t)a < (int32_t)b)
  BRC32I(BR_I32_LT_U_I, a < b)
  BRC32I(BR_I32_GT_S_I, (int32_t)a > (int32_t)b)
  BRC32I(BR_I32_GT_U_I, a > b)
  BRC32I(BR_I32_LE_S_I, (int32_t)a <= (int32_t)b)
  BRC32I(BR_I32_LE_U_I, a <= b)
  BRC32I(BR_I32_GE_S_I, (int32_t)a >= (int32_t)b)
  BRC32I(BR_I32_GE_U_I, a >= b)
  BRC64(BR_I64_EQ, a == b)
  BRC64(BR_I64_NE, a != b)
  BRC64(BR_I64_LT_S, (int64_t)a < (int64_t)b)
  BRC64(BR_I64_LT_U, a < b)
  BRC64(BR_I64_GT_S, (int64_t)a > (int64_t)b)
  BRC64(BR_I64_GT_U, a > b)
  BRC64(BR_I64_LE_S, (int64_t)a <= (int64_t)b)
  BRC64(BR_I64_LE_U, a <= b)
  BRC64(BR_I64_GE_S, (int64_t)a >= (int64_t)b)
  BRC64(BR_I64_GE_U, a >= b)
  CASE(POLL) {
    if (__builtin_expect(atomic_load_explicit(&s->interrupt, memory_order_relaxed), 0)) {
      atomic_store(&s->interrupt, 0);
      TRAP(WK_TRAP_INTERRUPT);
    }
    ip += 1;
    NEXT();
  }
  CASE(FUEL) {
    uint32_t n = U32(1);
    if (__builtin_expect(s->fuel < n, 0)) {
      s->fuel = 0;
      TRAP(WK_TRAP_OUT_OF_FUEL);
    }
    s->fuel -= n;
    ip += 2;
    NEXT();
  }
  CASE(RET1) {
    fp[0] = SL(1);
    goto ret;
  }
  CASE(RET) {
  ret:;
    wk_frame *fr = &frames[DEPTH];
    if (!fr->ret_ip) {
      s->depth = DEPTH - 1;
      return 0;
    }
    ip = fr->ret_ip;
    fp = fr->fp;
    DEPTH--;
    if (__builtin_expect(fr->inst != inst, 0)) {
      inst = fr->inst;
      mod = inst->m;
      rc->inst = inst;
      RELOAD_MEM();
    }
#if WK_CHECKED
    else RELOAD_MEM(); /* the callee may have grown (and moved) the memory */
#endif
    NEXT();
  }
  {
    wk_func *callee;
    uint64_t *nfp;
    const uint32_t *rip;
  CASE(CALL) {
      uint32_t fi = U32(1);
      nfp = fp + U32(2);
      rip = ip + 3;
      const wk_mfunc *cf = &mod->funcs[fi];
      const uint32_t *fip = WK_ACQ(cf->tc[WK_CHECKED]); /* before frame: see wk_mfunc.tc */
      if (__builtin_expect(nfp + WK_RLX(cf->frame) > stack_end || DEPTH + 1 >= max_depth, 0))
        TRAP(WK_TRAP_STACK_EXHAUSTED);
      if (__builtin_expect(atomic_load_explicit(&s->interrupt, memory_order_relaxed), 0)) {
        atomic_store(&s->interrupt, 0);
        TRAP(WK_TRAP_INTERRUPT);
      }
      DEPTH++;
      wk_frame *fr = &frames[DEPTH];
      fr->ret_ip = rip;
      fr->fp = fp;
      fr->inst = inst;
      uint32_t np = cf->nparams;
      ZERO_LOCALS(nfp, np, cf->nlocals);
      fp = nfp;
      ip = fip;
      NEXT();
    }
  CASE(LAZY) {
      /* the first call of a function of a lazily translated module: the caller has made the frame
       * (checked against the stack with the frame size known before translation: its locals + 2)
       * and zeroed the locals; translate it (once per module), check the real frame, run it */
      const wk_mfunc *lf = &mod->funcs[U32(1)];
      if (__builtin_expect(wk_func_translate(mod, U32(1)) != WK_OK, 0)) {
        rc->trap = wk_trap_make(WK_TRAP_HOST, "out of memory (translating a function)");
        TRAP(WK_TRAP_HOST);
      }
      const uint32_t *fip = WK_ACQ(lf->tc[WK_CHECKED]);
      if (__builtin_expect(fp + WK_RLX(lf->frame) > stack_end, 0)) TRAP(WK_TRAP_STACK_EXHAUSTED);
      ip = fip;
      NEXT();
    }
  CASE(CALL_IMPORT) {
      callee = inst->funcs[U32(1)];
      nfp = fp + U32(2);
      rip = ip + 3;
      goto call_func;
    }
  CASE(CALL_INDIRECT) {
      wk_table *t = inst->tables[U32(2)];
      uint32_t i = R32(4);
      if (__builtin_expect(i >= t->size, 0)) TRAP(WK_TRAP_UNDEFINED_ELEMENT);
      callee = t->elems[i];
      if (__builtin_expect(!callee, 0)) {
        rc->trap = wk_trap_make(WK_TRAP_UNINIT_ELEMENT, NULL);
        if (rc->trap) {
          char b[64];
          snprintf(b, sizeof b, "uninitialized element %u", i);
          free(rc->trap->msg);
          rc->trap->msg = strdup(b);
        }
        TRAP(WK_TRAP_UNINIT_ELEMENT);
      }
      if (__builtin_expect(callee->type_id != inst->type_ids[U32(1)], 0) &&
          !wk_gc_sub(s, callee->type_id, inst->type_ids[U32(1)])) /* (GC: a declared subtype matches) */
        TRAP(WK_TRAP_INDIRECT_MISMATCH);
      nfp = fp + U32(3);
      rip = ip + 5;
      goto call_func;
    }
  /* Core 3.0 4.4.8 call_ref: the callee from a slot (module.c funcref_insn); the validator typed it */
  CASE(CALL_REF) {
      callee = (wk_func *)(uintptr_t)SL(2);
      if (__builtin_expect(!callee, 0)) TRAP(WK_TRAP_NULL_FUNC_REF);
      nfp = fp + U32(1);
      rip = ip + 3;
      goto call_func;
    }
  call_func:
    if (!callee->is_host) {
      if (callee->inst != inst) {
        /* switch instance: the frame records the caller's; the callee runs in its own */
        if (__builtin_expect(nfp + 64 > stack_end || DEPTH + 1 >= max_depth, 0))
          TRAP(WK_TRAP_STACK_EXHAUSTED);
        const wk_module *cm = callee->inst->m;
        const wk_mfunc *cf = &cm->funcs[callee->index - cm->nfunc_imports];
#if WK_CHECKED
        if (__builtin_expect(!checked_code(cm), 0)) {
          rc->trap = wk_trap_make(WK_TRAP_HOST, "out of memory");
          TRAP(WK_TRAP_HOST);
        }
#endif
        const uint32_t *fip = WK_ACQ(cf->tc[WK_CHECKED]);
        if (__builtin_expect(nfp + WK_RLX(cf->frame) > stack_end, 0)) TRAP(WK_TRAP_STACK_EXHAUSTED);
        DEPTH++;
        wk_frame *fr = &frames[DEPTH];
        fr->ret_ip = rip;
        fr->fp = fp;
        fr->inst = inst;
        inst = callee->inst;
        mod = cm;
        uint32_t np = cf->nparams;
        ZERO_LOCALS(nfp, np, cf->nlocals);
        fp = nfp;
        ip = fip;
        rc->inst = inst;
        RELOAD_MEM();
        NEXT();
      }
      const wk_mfunc *cf = &mod->funcs[callee->index - mod->nfunc_imports];
      (void)cf;
      {
        const wk_mfunc *cf2 = cf;
        const uint32_t *fip = WK_ACQ(cf2->tc[WK_CHECKED]);
        /* same instance: reuse the direct path */
        if (__builtin_expect(nfp + WK_RLX(cf2->frame) > stack_end || DEPTH + 1 >= max_depth, 0))
          TRAP(WK_TRAP_STACK_EXHAUSTED);
        DEPTH++;
        wk_frame *fr = &frames[DEPTH];
        fr->ret_ip = rip;
        fr->fp = fp;
        fr->inst = inst;
        uint32_t np = cf2->nparams;
        ZERO_LOCALS(nfp, np, cf2->nlocals);
        fp = nfp;
        ip = fip;
        NEXT();
      }
    }
    /* host function */
    {
      rc->ip = ip;
      rc->inst = inst;
      s->depth = DEPTH;
      int r = wk_call_host(s, callee, inst, nfp, rc);
      if (r) {
        tcode = -1; /* trap object already made */
        goto trap;
      }
      ip = rip;
      RELOAD_MEM();
      NEXT();
    }
  }
  /* tail calls (Core 3.0 4.4.8 return_call, return_call_indirect; module.c tail_call): the
   * arguments move to slots 0.. of this frame and the callee runs in it, returning to this
   * function's caller (frames[depth] unchanged): no frame record, no host stack per call */
  {
    wk_func *tcallee;
    uint32_t tbase, tn;
  CASE(RETURN_CALL) {
      const wk_mfunc *cf = &mod->funcs[U32(1)];
      const uint32_t *fip = WK_ACQ(cf->tc[WK_CHECKED]); /* before frame: see wk_mfunc.tc */
      if (__builtin_expect(fp + WK_RLX(cf->frame) > stack_end, 0)) TRAP(WK_TRAP_STACK_EXHAUSTED);
      if (__builtin_expect(atomic_load_explicit(&s->interrupt, memory_order_relaxed), 0)) {
        atomic_store(&s->interrupt, 0);
        TRAP(WK_TRAP_INTERRUPT);
      }
      memmove(fp, fp + U32(2), (size_t)U32(3) * sizeof *fp);
      ZERO_LOCALS(fp, cf->nparams, cf->nlocals);
      ip = fip;
      NEXT();
    }
  CASE(RETURN_CALL_IMPORT) {
      tcallee = inst->funcs[U32(1)];
      tbase = U32(2), tn = U32(3);
      goto tail_func;
    }
  CASE(RETURN_CALL_INDIRECT) {
      wk_table *t = inst->tables[U32(2)];
      uint32_t i = R32(4);
      if (__builtin_expect(i >= t->size, 0)) TRAP(WK_TRAP_UNDEFINED_ELEMENT);
      tcallee = t->elems[i];
      if (__builtin_expect(!tcallee, 0)) TRAP(WK_TRAP_UNINIT_ELEMENT);
      if (__builtin_expect(tcallee->type_id != inst->type_ids[U32(1)], 0) &&
          !wk_gc_sub(s, tcallee->type_id, inst->type_ids[U32(1)]))
        TRAP(WK_TRAP_INDIRECT_MISMATCH);
      tbase = U32(3), tn = U32(5);
      goto tail_func;
    }
  /* Core 3.0 4.4.8 return_call_ref: the callee from a slot (module.c funcref_insn) */
  CASE(RETURN_CALL_REF) {
      tcallee = (wk_func *)(uintptr_t)SL(3);
      if (__builtin_expect(!tcallee, 0)) TRAP(WK_TRAP_NULL_FUNC_REF);
      tbase = U32(1), tn = U32(2);
      goto tail_func;
    }
  tail_func:
    if (__builtin_expect(atomic_load_explicit(&s->interrupt, memory_order_relaxed), 0)) {
      atomic_store(&s->interrupt, 0);
      TRAP(WK_TRAP_INTERRUPT);
    }
    if (!tcallee->is_host) {
      const wk_module *cm = tcallee->inst->m;
      const wk_mfunc *cf = &cm->funcs[tcallee->index - cm->nfunc_imports];
#if WK_CHECKED
      if (__builtin_expect(cm != mod && !checked_code(cm), 0)) {
        rc->trap = wk_trap_make(WK_TRAP_HOST, "out of memory");
        TRAP(WK_TRAP_HOST);
      }
#endif
      const uint32_t *fip = WK_ACQ(cf->tc[WK_CHECKED]);
      if (__builtin_expect(fp + WK_RLX(cf->frame) > stack_end, 0)) TRAP(WK_TRAP_STACK_EXHAUSTED);
      memmove(fp, fp + tbase, (size_t)tn * sizeof *fp);
      ZERO_LOCALS(fp, cf->nparams, cf->nlocals);
      if (tcallee->inst != inst) { /* the callee's instance from now on (ret switches back) */
        inst = tcallee->inst;
        mod = cm;
        rc->inst = inst;
        RELOAD_MEM();
      }
      ip = fip;
      NEXT();
    }
    /* host function: it runs in this frame, then this function returns its results */
    memmove(fp, fp + tbase, (size_t)tn * sizeof *fp);
    rc->ip = ip;
    rc->inst = inst;
    s->depth = DEPTH;
    if (wk_call_host(s, tcallee, inst, fp, rc)) {
      tcode = -1; /* trap object already made */
      goto trap;
    }
    goto ret;
  }
  CASE(COPY) {
    SL(1) = SL(2);
    ip += 3;
    NEXT();
  }
  CASE(CONST32) {
    SL(1) = U32(2);
    ip += 3;
    NEXT();
  }
  CASE(CONST64) {
    SL(1) = (uint64_t)U32(2) | ((uint64_t)U32(3) << 32);
    ip += 4;
    NEXT();
  }
  CASE(SELECT) {
    SL(1) = R32(4) ? SL(2) : SL(3);
    ip += 5;
    NEXT();
  }
  CASE(GGET) {
    SL(1) = inst->globals[U32(2)]->val;
    ip += 3;
    NEXT();
  }
  CASE(GSET) {
    inst->globals[U32(1)]->val = SL(2);
    ip += 3;
    NEXT();
  }
  LOAD(LD_I32, uint32_t, uint32_t, W32)
  LOAD(LD_I64, uint64_t, uint64_t, W64)
  LOAD(LD_I32_8S, int8_t, int32_t, W32)
  LOAD(LD_I32_8U, uint8_t, uint32_t, W32)
  LOAD(LD_I32_16S, int16_t, int32_t, W32)
  LOAD(LD_I32_16U, uint16_t, uint32_t, W32)
  LOAD(LD_I64_8S, int8_t, int64_t, W64)
  LOAD(LD_I64_8U, uint8_t, uint64_t, W64)
  LOAD(LD_I64_16S, int16_t, int64_t, W64)
  LOAD(LD_I64_16U, uint16_t, uint64_t, W64)
  LOAD(LD_I64_32S, int32_t, int64_t, W64)
  LOAD(LD_I64_32U, uint32_t, uint64_t, W64)
  CASE(I32_XOR_ROTL) {
    W32(1, R32(2) ^ rotl32(R32(3), U32(4)));
    ip += 5;
    NEXT();
  }
  CASE(I32_XOR_ROTR) {
    W32(1, R32(2) ^ rotr32(R32(3), U32(4)));
    ip += 5;
    NEXT();
  }
  CASE(I32_SHR_U_AND_I) { /* i32.shr_u by a constant, then i32.and with a constant: a bit field */
    W32(1, (R32(2) >> U32(3)) & U32(4));
    ip += 5;
    NEXT();
  }
  CASE(I32_MULADD) { /* i32.mul then i32.add (both wrap mod 2^32, Core 4.3.2 imul, iadd) */
    W32(1, R32(2) + R32(3) * R32(4));
    ip += 5;
    NEXT();
  }
  CASE(I32_ADD3) {
    W32(1, R32(2) + R32(3) + R32(4));
    ip += 5;
    NEXT();
  }
  CASE(F64_MULADD) {
    /* f64.mul then f64.add, each rounded (Core 4.3.3 fmul, fadd): never contracted into an fma */
    double m = RF64(3) * RF64(4);
    WK_FP_BARRIER(m);
    WF64(1, RF64(2) + m);
    ip += 5;
    NEXT();
  }
  CASE(I32_ADD_ADDI) {
    W32(1, R32(2) + R32(3) + U32(4));
    ip += 5;
    NEXT();
  }
  CASE(I32_ADD_SHL) {
    W32(1, R32(2) + (R32(3) << U32(4)));
    ip += 5;
    NEXT();
  }
  /* effective address a + (b << k) + off and a + b + off, with i32 wrap-around of the sum */
#if WK_CHECKED
#define EAX(sum, offw, n)                                                                          \
  uint64_t ea_ = (uint64_t)(uint32_t)(sum) + U32(offw);                                             \
  if (__builtin_expect(ea_ + (n) > memsize, 0)) TRAP(WK_TRAP_MEMORY_OOB);                          \
  uint8_t *p_ = mem + ea_;
#else
#define EAX(sum, offw, n)                                                                          \
  rc->ip = ip;                                                                                     \
  uint8_t *p_ = mem + (uint64_t)(uint32_t)(sum) + U32(offw);
#endif
  CASE(LD_I32_IDX) {
    EAX(R32(2) + (R32(3) << U32(4)), 5, 4)
    uint32_t v_;
    memcpy(&v_, p_, 4);
    W32(1, v_);
    ip += 6;
    NEXT();
  }
  CASE(LD_I64_IDX) {
    EAX(R32(2) + (R32(3) << U32(4)), 5, 8)
    uint64_t v_;
    memcpy(&v_, p_, 8);
    W64(1, v_);
    ip += 6;
    NEXT();
  }
  CASE(ST_I32_IDX) {
    EAX(R32(1) + (R32(2) << U32(3)), 5, 4)
    uint32_t v_ = R32(4);
    memcpy(p_, &v_, 4);
    ip += 6;
    NEXT();
  }
  CASE(ST_I64_IDX) {
    EAX(R32(1) + (R32(2) << U32(3)), 5, 8)
    uint64_t v_ = R64(4);
    memcpy(p_, &v_, 8);
    ip += 6;
    NEXT();
  }
  CASE(ST_F64_MULADD) {
    EAX(R32(1), 5, 8)
    double m_ = RF64(3) * RF64(4);
    WK_FP_BARRIER(m_);
    uint64_t v_ = bits_f64(RF64(2) + m_);
    memcpy(p_, &v_, 8);
    ip += 6;
    NEXT();
  }
  CASE(LD_I32_ADD) {
    EAX(R32(2) + R32(3), 4, 4)
    uint32_t v_;
    memcpy(&v_, p_, 4);
    W32(1, v_);
    ip += 5;
    NEXT();
  }
  CASE(LD_I64_ADD) {
    EAX(R32(2) + R32(3), 4, 8)
    uint64_t v_;
    memcpy(&v_, p_, 8);
    W64(1, v_);
    ip += 5;
    NEXT();
  }
  CASE(ST_I32_ADD) {
    EAX(R32(1) + R32(2), 4, 4)
    uint32_t v_ = R32(3);
    memcpy(p_, &v_, 4);
    ip += 5;
    NEXT();
  }
  CASE(ST_I64_ADD) {
    EAX(R32(1) + R32(2), 4, 8)
    uint64_t v_ = R64(3);
    memcpy(p_, &v_, 8);
    ip += 5;
    NEXT();
  }
  CASE(LD_I32_ADDI) {
    EAX(R32(2) + U32(3), 4, 4)
    uint32_t v_;
    memcpy(&v_, p_, 4);
    W32(1, v_);
    ip += 5;
    NEXT();
  }
  CASE(LD_I64_ADDI) {
    EAX(R32(2) + U32(3), 4, 8)
    uint64_t v_;
    memcpy(&v_, p_, 8);
    W64(1, v_);
    ip += 5;
    NEXT();
  }
  CASE(ST_I32_ADDI) {
    EAX(R32(1) + U32(2), 4, 4)
    uint32_t v_ = R32(3);
    memcpy(p_, &v_, 4);
    ip += 5;
    NEXT();
  }
  CASE(ST_I64_ADDI) {
    EAX(R32(1) + U32(2), 4, 8)
    uint64_t v_ = R64(3);
    memcpy(p_, &v_, 8);
    ip += 5;
    NEXT();
  }
#define LDADDI(n, T, ST)                                                                           \
  CASE(n) {                                                                                        \
    EAX(R32(2) + U32(3), 4, sizeof(T))                                                             \
    T v_;                                                                                          \
    memcpy(&v_, p_, sizeof v_);                                                                    \
    W32(1, (ST)v_);                                                                                \
    ip += 5;                                                                                       \
    NEXT();                                                                                        \
  }
  LDADDI(LD_I32_8S_ADDI, int8_t, int32_t)
  LDADDI(LD_I32_8U_ADDI, uint8_t, uint32_t)
  LDADDI(LD_I32_16S_ADDI, int16_t, int32_t)
  LDADDI(LD_I32_16U_ADDI, uint16_t, uint32_t)
  STORE(ST_I32, uint32_t)
  STORE(ST_I64, uint64_t)
  STORE(ST_8, uint8_t)
  STORE(ST_16, uint16_t)
  CASE(MEM_SIZE) {
    W32(1, inst->mems[0]->pages);
    ip += 2;
    NEXT();
  }
  CASE(MEM_GROW) {
    W32(1, (uint32_t)wk_memory_grow_pages(inst->mems[0], R32(2), s->engine->cfg.max_memory_bytes));
    RELOAD_MEM();
    ip += 3;
    NEXT();
  }
  CASE(MEM_FILL) {
    uint64_t d = R32(1), n = R32(3);
    if (d + n > MEMSIZE()) TRAP(WK_TRAP_MEMORY_OOB);
    if (n) memset(mem + d, (int)R32(2), n); /* n == 0: mem may be NULL (0 pages) */
    ip += 4;
    NEXT();
  }
  CASE(MEM_COPY) {
    uint64_t d = R32(1), sr = R32(2), n = R32(3);
    if (d + n > MEMSIZE() || sr + n > MEMSIZE()) TRAP(WK_TRAP_MEMORY_OOB);
    if (n) memmove(mem + d, mem + sr, n);
    ip += 4;
    NEXT();
  }
  CASE(MEM_INIT) {
    uint32_t seg = U32(1);
    uint64_t d = R32(2), sr = R32(3), n = R32(4);
    const wk_mdata *ds = &mod->datas[seg];
    uint64_t slen = inst->data_dropped[seg] ? 0 : ds->len;
    if (d + n > MEMSIZE() || sr + n > slen) TRAP(WK_TRAP_MEMORY_OOB);
    if (n) memcpy(mem + d, ds->bytes + sr, n);
    ip += 5;
    NEXT();
  }
  CASE(DATA_DROP) {
    inst->data_dropped[U32(1)] = 1;
    ip += 2;
    NEXT();
  }
  CASE(TABLE_GET) {
    wk_table *t = inst->tables[U32(2)];
    uint32_t i = R32(3);
    if (i >= t->size) TRAP(WK_TRAP_TABLE_OOB);
    SL(1) = (uint64_t)(uintptr_t)t->elems[i];
    ip += 4;
    NEXT();
  }
  CASE(TABLE_SET) {
    wk_table *t = inst->tables[U32(1)];
    uint32_t i = R32(2);
    if (i >= t->size) TRAP(WK_TRAP_TABLE_OOB);
    t->elems[i] = (void *)(uintptr_t)SL(3);
    ip += 4;
    NEXT();
  }
  CASE(TABLE_SIZE) {
    W32(1, inst->tables[U32(2)]->size);
    ip += 3;
    NEXT();
  }
  CASE(TABLE_GROW) {
    W32(1, (uint32_t)wk_table_grow_by(inst->tables[U32(2)], R32(4), (void *)(uintptr_t)SL(3)));
    ip += 5;
    NEXT();
  }
  CASE(TABLE_FILL) {
    wk_table *t = inst->tables[U32(1)];
    uint64_t i = R32(2), n = R32(4);
    if (i + n > t->size) TRAP(WK_TRAP_TABLE_OOB);
    void *v = (void *)(uintptr_t)SL(3);
    for (uint64_t k = 0; k < n; k++) t->elems[i + k] = v;
    ip += 5;
    NEXT();
  }
  CASE(TABLE_COPY) {
    wk_table *td = inst->tables[U32(1)], *ts = inst->tables[U32(2)];
    uint64_t d = R32(3), sr = R32(4), n = R32(5);
    if (d + n > td->size || sr + n > ts->size) TRAP(WK_TRAP_TABLE_OOB);
    if (n) memmove(td->elems + d, ts->elems + sr, n * sizeof(void *));
    ip += 6;
    NEXT();
  }
  CASE(TABLE_INIT) {
    uint32_t seg = U32(1);
    wk_table *t = inst->tables[U32(2)];
    uint64_t d = R32(3), sr = R32(4), n = R32(5);
    uint64_t slen = inst->elem_dropped[seg] ? 0 : mod->elems[seg].n;
    if (d + n > t->size || sr + n > slen) TRAP(WK_TRAP_TABLE_OOB);
    for (uint64_t k = 0; k < n; k++) t->elems[d + k] = wk_eval_ref(inst, &mod->elems[seg].items[sr + k]);
    ip += 6;
    NEXT();
  }
  CASE(ELEM_DROP) {
    inst->elem_dropped[U32(1)] = 1;
    ip += 2;
    NEXT();
  }
  CASE(REF_FUNC) {
    SL(1) = (uint64_t)(uintptr_t)inst->funcs[U32(2)];
    ip += 3;
    NEXT();
  }
  CASE(REF_AS_NON_NULL) { /* Core 3.0 4.4.6 ref.as_non_null: trap on null, the value stays */
    if (__builtin_expect(!SL(1), 0)) TRAP(WK_TRAP_NULL_REF);
    ip += 2;
    NEXT();
  }
  BIN32(I32_ADD, a + b)
  BIN32(I32_SUB, a - b)
  BIN32(I32_MUL, a * b)
  CASE(I32_DIV_S) {
    int32_t a = RS32(2), b = RS32(3);
    if (__builtin_expect(b == 0, 0)) TRAP(WK_TRAP_INT_DIV_ZERO);
    if (__builtin_expect(a == INT32_MIN && b == -1, 0)) TRAP(WK_TRAP_INT_OVERFLOW);
    W32(1, a / b);
    ip += 4;
    NEXT();
  }
  CASE(I32_DIV_U) {
    uint32_t a = R32(2), b = R32(3);
    if (__builtin_expect(b == 0, 0)) TRAP(WK_TRAP_INT_DIV_ZERO);
    W32(1, a / b);
    ip += 4;
    NEXT();
  }
  CASE(I32_REM_S) {
    int32_t a = RS32(2), b = RS32(3);
    if (__builtin_expect(b == 0, 0)) TRAP(WK_TRAP_INT_DIV_ZERO);
    W32(1, b == -1 ? 0 : a % b);
    ip += 4;
    NEXT();
  }
  CASE(I32_REM_U) {
    uint32_t a = R32(2), b = R32(3);
    if (__builtin_expect(b == 0, 0)) TRAP(WK_TRAP_INT_DIV_ZERO);
    W32(1, a % b);
    ip += 4;
    NEXT();
  }
  BIN32(I32_AND, a & b)
  BIN32(I32_OR, a | b)
  BIN32(I32_XOR, a ^ b)
  BIN32(I32_SHL, a << (b & 31))
  BIN32(I32_SHR_S, (uint32_t)((int32_t)a >> (b & 31)))
  BIN32(I32_SHR_U, a >> (b & 31))
  BIN32(I32_ROTL, rotl32(a, b))
  BIN32(I32_ROTR, rotr32(a, b))
  BIN32(I32_EQ, a == b)
  BIN32(I32_NE, a != b)
  BIN32(I32_LT_S, (int32_t)a < (int32_t)b)
  BIN32(I32_LT_U, a < b)
  BIN32(I32_GT_S, (int32_t)a > (int32_t)b)
  BIN32(I32_GT_U, a > b)
  BIN32(I32_LE_S, (int32_t)a <= (int32_t)b)
  BIN32(I32_LE_U, a <= b)
  BIN32(I32_GE_S, (int32_t)a >= (int32_t)b)
  BIN32(I32_GE_U, a >= b)
  BIN64(I64_ADD, a + b)
  BIN64(I64_SUB, a - b)
  BIN64(I64_MUL, a * b)
  CASE(I64_DIV_S) {
    int64_t a = RS64(2), b = RS64(3);
    if (__builtin_expect(b == 0, 0)) TRAP(WK_TRAP_INT_DIV_ZERO);
    if (__builtin_expect(a == INT64_MIN && b == -1, 0)) TRAP(WK_TRAP_INT_OVERFLOW);
    W64(1, a / b);
    ip += 4;
    NEXT();
  }
  CASE(I64_DIV_U) {
    uint64_t a = R64(2), b = R64(3);
    if (__builtin_expect(b == 0, 0)) TRAP(WK_TRAP_INT_DIV_ZERO);
    W64(1, a / b);
    ip += 4;
    NEXT();
  }
  CASE(I64_REM_S) {
    int64_t a = RS64(2), b = RS64(3);
    if (__builtin_expect(b == 0, 0)) TRAP(WK_TRAP_INT_DIV_ZERO);
    W64(1, b == -1 ? 0 : a % b);
    ip += 4;
    NEXT();
  }
  CASE(I64_REM_U) {
    uint64_t a = R64(2), b = R64(3);
    if (__builtin_expect(b == 0, 0)) TRAP(WK_TRAP_INT_DIV_ZERO);
    W64(1, a % b);
    ip += 4;
    NEXT();
  }
  BIN64(I64_AND, a & b)
  BIN64(I64_OR, a | b)
  BIN64(I64_XOR, a ^ b)
  BIN64(I64_SHL, a << (b & 63))
  BIN64(I64_SHR_S, (uint64_t)((int64_t)a >> (b & 63)))
  BIN64(I64_SHR_U, a >> (b & 63))
  BIN64(I64_ROTL, rotl64(a, b))
  BIN64(I64_ROTR, rotr64(a, b))
  CMP64(I64_EQ, a == b)
  CMP64(I64_NE, a != b)
  CMP64(I64_LT_S, (int64_t)a < (int64_t)b)
  CMP64(I64_LT_U, a < b)
  CMP64(I64_GT_S, (int64_t)a > (int64_t)b)
  CMP64(I64_GT_U, a > b)
  CMP64(I64_LE_S, (int64_t)a <= (int64_t)b)
  CMP64(I64_LE_U, a <= b)
  CMP64(I64_GE_S, (int64_t)a >= (int64_t)b)
  CMP64(I64_GE_U, a >= b)
  FBIN32(F32_ADD, a + b)
  FBIN32(F32_SUB, a - b)
  FBIN32(F32_MUL, a * b)
  FBIN32(F32_DIV, a / b)
  FBIN32(F32_MIN, fmin32(a, b))
  FBIN32(F32_MAX, fmax32(a, b))
  CASE(F32_COPYSIGN) {
    W32(1, (R32(2) & 0x7fffffffu) | (R32(3) & 0x80000000u));
    ip += 4;
    NEXT();
  }
  FCMP32(F32_EQ, a == b)
  FCMP32(F32_NE, a != b)
  FCMP32(F32_LT, a < b)
  FCMP32(F32_GT, a > b)
  FCMP32(F32_LE, a <= b)
  FCMP32(F32_GE, a >= b)
  FBIN64(F64_ADD, a + b)
  FBIN64(F64_SUB, a - b)
  FBIN64(F64_MUL, a * b)
  FBIN64(F64_DIV, a / b)
  FBIN64(F64_MIN, fmin64(a, b))
  FBIN64(F64_MAX, fmax64(a, b))
  CASE(F64_COPYSIGN) {
    W64(1, (R64(2) & 0x7fffffffffffffffull) | (R64(3) & 0x8000000000000000ull));
    ip += 4;
    NEXT();
  }
  FCMP64(F64_EQ, a == b)
  FCMP64(F64_NE, a != b)
  FCMP64(F64_LT, a < b)
  FCMP64(F64_GT, a > b)
  FCMP64(F64_LE, a <= b)
  FCMP64(F64_GE, a >= b)
  IMM32(I32_ADD_I, a + b)
  IMM32(I32_MUL_I, a * b)
  IMM32(I32_AND_I, a & b)
  IMM32(I32_OR_I, a | b)
  IMM32(I32_XOR_I, a ^ b)
  IMM32(I32_SHL_I, a << b)
  IMM32(I32_SHR_S_I, (uint32_t)((int32_t)a >> b))
  IMM32(I32_SHR_U_I, a >> b)
  IMM32(I32_EQ_I, a == b)
  IMM32(I32_NE_I, a != b)
  IMM32(I32_LT_S_I, (int32_t)a < (int32_t)b)
  IMM32(I32_LT_U_I, a < b)
  IMM32(I32_GT_S_I, (int32_t)a > (int32_t)b)
  IMM32(I32_GT_U_I, a > b)
  IMM32(I32_LE_S_I, (int32_t)a <= (int32_t)b)
  IMM32(I32_LE_U_I, a <= b)
  IMM32(I32_GE_S_I, (int32_t)a >= (int32_t)b)
  IMM32(I32_GE_U_I, a >= b)
  IMM64(I64_ADD_I, a + b)
  IMM64(I64_AND_I, a & b)
  IMM64(I64_SHL_I, a << b)
  IMM64(I64_SHR_S_I, (uint64_t)((int64_t)a >> b))
  IMM64(I64_SHR_U_I, a >> b)
  IMM32(I32_ROTL_I, rotl32(a, b))
  IMM32(I32_RSUB_I, b - a) /* i32.sub with a constant left operand (0 - x: negation) */
  IMM32(I32_ROTR_I, rotr32(a, b))
  IMM64(I64_ROTL_I, rotl64(a, b))
  IMM64(I64_ROTR_I, rotr64(a, b))
  UN(I32_EQZ, uint32_t, R32, W32, a == 0)
  UN(I32_CLZ, uint32_t, R32, W32, a ? __builtin_clz(a) : 32)
  UN(I32_CTZ, uint32_t, R32, W32, a ? __builtin_ctz(a) : 32)
  UN(I32_POPCNT, uint32_t, R32, W32, __builtin_popcount(a))
  UN(I32_EXT8, uint32_t, R32, W32, (int32_t)(int8_t)a)
  UN(I32_EXT16, uint32_t, R32, W32, (int32_t)(int16_t)a)
  UN(I64_EQZ, uint64_t, R64, W32, a == 0)
  UN(I64_CLZ, uint64_t, R64, W64, a ? __builtin_clzll(a) : 64)
  UN(I64_CTZ, uint64_t, R64, W64, a ? __builtin_ctzll(a) : 64)
  UN(I64_POPCNT, uint64_t, R64, W64, __builtin_popcountll(a))
  UN(I64_EXT8, uint64_t, R64, W64, (int64_t)(int8_t)a)
  UN(I64_EXT16, uint64_t, R64, W64, (int64_t)(int16_t)a)
  UN(I64_EXT32, uint64_t, R64, W64, (int64_t)(int32_t)a)
  UN(F32_ABS, uint32_t, R32, W32, a & 0x7fffffffu)
  UN(F32_NEG, uint32_t, R32, W32, a ^ 0x80000000u)
  UN(F32_CEIL, float, RF32, WF32, a != a ? a + a : ceilf(a))
  UN(F32_FLOOR, float, RF32, WF32, a != a ? a + a : floorf(a))
  UN(F32_TRUNC, float, RF32, WF32, a != a ? a + a : truncf(a))
  UN(F32_NEAREST, float, RF32, WF32, wk_nearest32(a))
  UN(F32_SQRT, float, RF32, WF32, sqrtf(a))
  UN(F64_ABS, uint64_t, R64, W64, a & 0x7fffffffffffffffull)
  UN(F64_NEG, uint64_t, R64, W64, a ^ 0x8000000000000000ull)
  UN(F64_CEIL, double, RF64, WF64, a != a ? a + a : ceil(a))
  UN(F64_FLOOR, double, RF64, WF64, a != a ? a + a : floor(a))
  UN(F64_TRUNC, double, RF64, WF64, a != a ? a + a : trunc(a))
  UN(F64_NEAREST, double, RF64, WF64, wk_nearest64(a))
  UN(F64_SQRT, double, RF64, WF64, sqrt(a))
  UN(I32_WRAP, uint64_t, R64, W32, (uint32_t)a)
#define TRUNC(n, FT, rd, wr, T, lo, hi)                                                            \
  CASE(n) {                                                                                        \
    FT a = rd(2);                                                                                  \
    if (__builtin_expect(a != a, 0)) TRAP(WK_TRAP_BAD_CONVERSION);                                 \
    if (__builtin_expect(!(a > (FT)(lo) && a < (FT)(hi)), 0)) TRAP(WK_TRAP_INT_OVERFLOW);          \
    wr(1, (T)a);                                                                                   \
    ip += 3;                                                                                       \
    NEXT();                                                                                        \
  }
  /* bounds are exclusive and exactly representable (Core spec 4.3.3 trunc) */
  TRUNC(I32_TRUNC_F32_S, float, RF32, W32, int32_t, -2147483904.0f, 2147483648.0f)
  TRUNC(I32_TRUNC_F32_U, float, RF32, W32, uint32_t, -1.0f, 4294967296.0f)
  TRUNC(I32_TRUNC_F64_S, double, RF64, W32, int32_t, -2147483649.0, 2147483648.0)
  TRUNC(I32_TRUNC_F64_U, double, RF64, W32, uint32_t, -1.0, 4294967296.0)
  TRUNC(I64_TRUNC_F32_S, float, RF32, W64, int64_t, -9223373136366403584.0f, 9223372036854775808.0f)
  TRUNC(I64_TRUNC_F32_U, float, RF32, W64, uint64_t, -1.0f, 18446744073709551616.0f)
  TRUNC(I64_TRUNC_F64_S, double, RF64, W64, int64_t, -9223372036854777856.0, 9223372036854775808.0)
  TRUNC(I64_TRUNC_F64_U, double, RF64, W64, uint64_t, -1.0, 18446744073709551616.0)
  UN(I64_EXTEND_S, uint32_t, R32, W64, (int64_t)(int32_t)a)
  UN(I64_EXTEND_U, uint32_t, R32, W64, (uint64_t)a)
  UN(F32_CONV_I32_S, uint32_t, R32, WF32, (float)(int32_t)a)
  UN(F32_CONV_I32_U, uint32_t, R32, WF32, (float)a)
  UN(F32_CONV_I64_S, uint64_t, R64, WF32, (float)(int64_t)a)
  UN(F32_CONV_I64_U, uint64_t, R64, WF32, (float)a)
  UN(F32_DEMOTE, double, RF64, WF32, (float)a)
  UN(F64_CONV_I32_S, uint32_t, R32, WF64, (double)(int32_t)a)
  UN(F64_CONV_I32_U, uint32_t, R32, WF64, (double)a)
  UN(F64_CONV_I64_S, uint64_t, R64, WF64, (double)(int64_t)a)
  UN(F64_CONV_I64_U, uint64_t, R64, WF64, (double)a)
  UN(F64_PROMOTE, float, RF32, WF64, (double)a)
  UN(I32_TRUNC_SAT_F32_S, float, RF32, W32, sat_s32(a))
  UN(I32_TRUNC_SAT_F32_U, float, RF32, W32, sat_u32(a))
  UN(I32_TRUNC_SAT_F64_S, double, RF64, W32, sat_s32(a))
  UN(I32_TRUNC_SAT_F64_U, double, RF64, W32, sat_u32(a))
  UN(I64_TRUNC_SAT_F32_S, float, RF32, W64, sat_s64(a))
  UN(I64_TRUNC_SAT_F32_U, float, RF32, W64, sat_u64(a))
  UN(I64_TRUNC_SAT_F64_S, double, RF64, W64, sat_s64(a))
  UN(I64_TRUNC_SAT_F64_U, double, RF64, W64, sat_u64(a))
  /* superinstructions (internal.h WK_PAIRS): the body of A, which runs the instruction at ip and
   * advances ip, then B's handler by a direct jump (B's words follow A's) */
#define PB_BIN(expr) { uint32_t a = R32(2), b = R32(3); W32(1, expr); ip += 4; }
#define PB_IMM(expr) { uint32_t a = R32(2), b = U32(3); W32(1, expr); ip += 4; }
#define PB_I32_ADD PB_BIN(a + b)
#define PB_I32_XOR PB_BIN(a ^ b)
#define PB_I32_GT_S PB_BIN((int32_t)a > (int32_t)b)
#define PB_I32_LE_S PB_BIN((int32_t)a <= (int32_t)b)
#define PB_I32_LE_U PB_BIN(a <= b)
#define PB_I32_ADD_I PB_IMM(a + b)
#define PB_I32_AND_I PB_IMM(a & b)
#define PB_I32_XOR_I PB_IMM(a ^ b)
#define PB_I32_MUL_I PB_IMM(a * b)
#define PB_I32_SHL_I PB_IMM(a << b)
#define PB_I32_SHR_U_I PB_IMM(a >> b)
#define PB_I32_ROTL_I PB_IMM(rotl32(a, b))
#define PB_I32_XOR_ROTL { W32(1, R32(2) ^ rotl32(R32(3), U32(4))); ip += 5; }
#define PB_I32_ADD3 { W32(1, R32(2) + R32(3) + R32(4)); ip += 5; }
#define PB_COPY { SL(1) = SL(2); ip += 3; }
#define PB_COPY2 { SL(1) = SL(2); SL(3) = SL(4); ip += 5; }
#define PB_CONST32 { SL(1) = U32(2); ip += 3; }
#define PB_SELECT { SL(1) = R32(4) ? SL(2) : SL(3); ip += 5; }
#define PB_LOAD(T, ST, wr) { EA(sizeof(T)) T v_; memcpy(&v_, p_, sizeof v_); wr(1, (ST)v_); ip += 4; }
#define PB_LD_I32 PB_LOAD(uint32_t, uint32_t, W32)
#define PB_LD_I64 PB_LOAD(uint64_t, uint64_t, W64)
#define PB_LD_I32_8U PB_LOAD(uint8_t, uint32_t, W32)
#define PB_LD_I32_16S PB_LOAD(int16_t, int32_t, W32)
#define PB_LD_I32_IDX { EAX(R32(2) + (R32(3) << U32(4)), 5, 4) uint32_t v_; memcpy(&v_, p_, 4); W32(1, v_); ip += 6; }
#define PB_LD_I32_ADDI { EAX(R32(2) + U32(3), 4, 4) uint32_t v_; memcpy(&v_, p_, 4); W32(1, v_); ip += 5; }
#define PB_LD_I64_ADDI { EAX(R32(2) + U32(3), 4, 8) uint64_t v_; memcpy(&v_, p_, 8); W64(1, v_); ip += 5; }
#define PB_ST_I32 { EAS(4) uint32_t v_ = (uint32_t)SL(2); memcpy(p_, &v_, sizeof v_); ip += 4; }
#define PB_ST_F64_MULADD                                                                           \
  {                                                                                                \
    EAX(R32(1), 5, 8)                                                                              \
    double m_ = RF64(3) * RF64(4);                                                                 \
    WK_FP_BARRIER(m_);                                                                             \
    uint64_t v_ = bits_f64(RF64(2) + m_);                                                          \
    memcpy(p_, &v_, 8);                                                                            \
    ip += 6;                                                                                       \
  }
#define PB_I32_MUL PB_BIN(a * b)
#define PB_I32_AND PB_BIN(a & b)
#define PB_I32_EQ_I PB_IMM(a == b)
#define PB_I32_MULADD { W32(1, R32(2) + R32(3) * R32(4)); ip += 5; }
#define PB_LD_I32_16U PB_LOAD(uint16_t, uint32_t, W32)
#define PB_LD_I32_ADD { EAX(R32(2) + R32(3), 4, 4) uint32_t v_; memcpy(&v_, p_, 4); W32(1, v_); ip += 5; }
#define PB_ST_8 { EAS(1) uint8_t v_ = (uint8_t)SL(2); memcpy(p_, &v_, 1); ip += 4; }
#define PB_I32_SHR_U_AND_I { W32(1, (R32(2) >> U32(3)) & U32(4)); ip += 5; }
#define PB_LD_I32_16S_ADDI { EAX(R32(2) + U32(3), 4, 2) int16_t v_; memcpy(&v_, p_, 2); W32(1, (int32_t)v_); ip += 5; }
#define PB_ST_16 { EAS(2) uint16_t v_ = (uint16_t)SL(2); memcpy(p_, &v_, 2); ip += 4; }
  /* a conditional branch as A: taken, it dispatches as any branch; not taken, B follows */
#define PB_BRC(cond, tw, n) { if (cond) { JUMP(U32(tw)); NEXT(); } ip += n; }
#define PB_BR_NZ PB_BRC(R32(1), 2, 3)
#define PB_BR_Z PB_BRC(!R32(1), 2, 3)
#define PB_BR_I32_EQ_I PB_BRC(R32(1) == U32(2), 3, 4)
#define PB_BR_I32_NE_I PB_BRC(R32(1) != U32(2), 3, 4)
#define PB_BR_I32_LT_U_I PB_BRC(R32(1) < U32(2), 3, 4)
#define PB_BR_I32_GE_U_I PB_BRC(R32(1) >= U32(2), 3, 4)
#define PB_BR_I32_LT_S_I PB_BRC((int32_t)R32(1) < (int32_t)U32(2), 3, 4)
#define PB_BR_I32_GT_S_I PB_BRC((int32_t)R32(1) > (int32_t)U32(2), 3, 4)
#define PB_BR_I32_EQ PB_BRC(R32(1) == R32(2), 3, 4)
#define PB_BR_I32_LT_S PB_BRC((int32_t)R32(1) < (int32_t)R32(2), 3, 4)
#define PB_BR_I32_GT_S PB_BRC((int32_t)R32(1) > (int32_t)R32(2), 3, 4)
#define PB_BR_I32_LE_S PB_BRC((int32_t)R32(1) <= (int32_t)R32(2), 3, 4)
#if WK_USE_GOTO
#define GOTO_OP(n) goto L_##n /* B's own handler, by a direct jump: no indirect branch to predict */
#else
#define GOTO_OP(n) NEXT() /* ip is at B, whose opcode word is intact */
#endif
  /* chains (internal.h WK_TRIPLES): A and B, then C's handler */
#define WK_T(X, a, b, c, w) CASE(a##__##b##__##c) { PB_##a PB_##b GOTO_OP(c); }
  WK_TRIPLES(WK_T, )
#undef WK_T
#define WK_P(a, b) CASE(a##__##b) { PB_##a GOTO_OP(b); }
  WK_PAIRS(WK_P)
#undef WK_P
#include "interp/xmem_loop_int.h" /* 3.0 memories: multi-memory, memory64 */
#include "interp/gc_loop_int.h"   /* 3.0 GC */
  END_DISPATCH

interrupted:
  atomic_store(&s->interrupt, 0);
  tcode = WK_TRAP_INTERRUPT;
trap:
  rc->ip = ip;
  rc->inst = inst;
  return tcode < 0 ? -1 : tcode + 1;
#undef CASE
#undef NEXT
#undef DISPATCH
#undef END_DISPATCH
#undef EA
#undef EAS
#undef EAX
#undef MEMSIZE
#undef ZERO_LOCALS
#undef DEPTH
}
