/*
 * Handlers of the WebAssembly 3.0 memory instructions (internal.h XLD ... XV_POST: multi-memory
 * and memory64), included by loop.h inside its dispatch, in both loops. The work is out of line
 * (xmem.c) so that the 2.0 handlers' code is unchanged. Not a public header.
 */
  CASE(XLD) {
    if (wk_xmem_load(inst, fp, ip)) TRAP(WK_TRAP_MEMORY_OOB);
    ip += 7;
    NEXT();
  }
  CASE(XST) {
    if (wk_xmem_store(inst, fp, ip)) TRAP(WK_TRAP_MEMORY_OOB);
    ip += 7;
    NEXT();
  }
  CASE(XMEM_SIZE) {
    SL(1) = inst->mems[U32(2)]->pages; /* i32 or i64: the page count, zero-extended */
    ip += 3;
    NEXT();
  }
  CASE(XMEM_GROW) {
    wk_xmem_grow(s, inst, fp, ip);
    RELOAD_MEM(); /* (it may be memory 0, cached by the 2.0 path) */
    ip += 4;
    NEXT();
  }
  CASE(XMEM_FILL) {
    if (wk_xmem_bulk(inst, fp, ip, IOP_XMEM_FILL)) TRAP(WK_TRAP_MEMORY_OOB);
    ip += 5;
    NEXT();
  }
  CASE(XMEM_COPY) {
    if (wk_xmem_bulk(inst, fp, ip, IOP_XMEM_COPY)) TRAP(WK_TRAP_MEMORY_OOB);
    ip += 6;
    NEXT();
  }
  CASE(XMEM_INIT) {
    if (wk_xmem_bulk(inst, fp, ip, IOP_XMEM_INIT)) TRAP(WK_TRAP_MEMORY_OOB);
    ip += 6;
    NEXT();
  }
  CASE(XV_PRE) { /* the SIMD instruction that follows accesses [mem, mem + n): checked here */
    uint8_t *p_ = wk_xmem_vpre(inst, fp, ip);
    if (!p_) TRAP(WK_TRAP_MEMORY_OOB);
    mem = p_;
    memsize = U32(6);
    ip += 7;
    NEXT();
  }
  CASE(XV_POST) {
    RELOAD_MEM();
    ip += 1;
    NEXT();
  }
  CASE(CLAMP64) {
    wk_xmem_clamp(fp, ip);
    ip += 3;
    NEXT();
  }
