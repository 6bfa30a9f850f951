/*
 * Handlers of the WebAssembly 3.0 memory instructions (internal.h XLD ... XMEM_INIT: multi-memory
 * and memory64, Core 3.0 3.3.7 / 4.4.7), included by loop.h inside its dispatch, in both loops.
 * Every access checks its bounds explicitly (the effective address is computed in 64 bits with
 * overflow check: an i64 address plus a u64 offset can wrap), so these never rely on the guard
 * region. Not a public header.
 */
#define XM_MEM(k) (inst->mems[U32(k)])
#define XM_ARG(k, is64) ((is64) ? R64(k) : (uint64_t)R32(k)) /* an address-type operand */
/* in bounds: [a, a + n) within m's current bytes, without overflow */
#define XM_IN(m, a, n) ((a) <= (m)->bytes && (n) <= (m)->bytes - (a))
  CASE(XLD) {
    wk_memory *xm = XM_MEM(4);
    uint32_t kind = U32(3);
    uint64_t a = XM_ARG(2, kind & XM_A64), off = (uint64_t)U32(5) | (uint64_t)U32(6) << 32;
    uint64_t ea = a + off;
    static const uint8_t width[16] = {4, 8, 1, 1, 2, 2, 1, 1, 2, 2, 4, 4, 1, 2, 4, 8};
    if (ea < a || !XM_IN(xm, ea, width[kind & 0xf])) TRAP(WK_TRAP_MEMORY_OOB);
    const uint8_t *p = xm->base + ea;
    switch (kind & 0xf) {
    case XM_I32: { uint32_t v; memcpy(&v, p, 4); W32(1, v); break; }
    case XM_I64: { uint64_t v; memcpy(&v, p, 8); W64(1, v); break; }
    case XM_I32_8S: W32(1, (int32_t)(int8_t)p[0]); break;
    case XM_I32_8U: W32(1, p[0]); break;
    case XM_I32_16S: { int16_t v; memcpy(&v, p, 2); W32(1, (int32_t)v); break; }
    case XM_I32_16U: { uint16_t v; memcpy(&v, p, 2); W32(1, v); break; }
    case XM_I64_8S: W64(1, (int64_t)(int8_t)p[0]); break;
    case XM_I64_8U: W64(1, p[0]); break;
    case XM_I64_16S: { int16_t v; memcpy(&v, p, 2); W64(1, (int64_t)v); break; }
    case XM_I64_16U: { uint16_t v; memcpy(&v, p, 2); W64(1, v); break; }
    case XM_I64_32S: { int32_t v; memcpy(&v, p, 4); W64(1, (int64_t)v); break; }
    default: { uint32_t v; memcpy(&v, p, 4); W64(1, v); break; } /* XM_I64_32U */
    }
    ip += 7;
    NEXT();
  }
  CASE(XST) {
    wk_memory *xm = XM_MEM(4);
    uint32_t kind = U32(3);
    uint64_t a = XM_ARG(1, kind & XM_A64), off = (uint64_t)U32(5) | (uint64_t)U32(6) << 32;
    uint64_t ea = a + off, v = SL(2);
    unsigned n = (kind & 0xf) == XM_8 ? 1 : (kind & 0xf) == XM_16 ? 2 : (kind & 0xf) == XM_32 ? 4 : 8;
    if (ea < a || !XM_IN(xm, ea, n)) TRAP(WK_TRAP_MEMORY_OOB);
    uint8_t *p = xm->base + ea;
    switch (n) { /* little-endian host (as the 2.0 handlers): the low n bytes */
    case 1: p[0] = (uint8_t)v; break;
    case 2: { uint16_t w = (uint16_t)v; memcpy(p, &w, 2); break; }
    case 4: { uint32_t w = (uint32_t)v; memcpy(p, &w, 4); break; }
    default: memcpy(p, &v, 8); break;
    }
    ip += 7;
    NEXT();
  }
  CASE(XMEM_SIZE) {
    SL(1) = XM_MEM(2)->pages; /* i32 or i64: the page count, zero-extended */
    ip += 3;
    NEXT();
  }
  CASE(XMEM_GROW) {
    wk_memory *xm = XM_MEM(3);
    uint64_t n = XM_ARG(2, xm->is64);
    int r = n > 65536 ? -1 : wk_memory_grow_pages(xm, (uint32_t)n, s->engine->cfg.max_memory_bytes);
    if (xm->is64) W64(1, (int64_t)r);
    else W32(1, (uint32_t)r);
    RELOAD_MEM(); /* (it may be memory 0, cached by the 2.0 path) */
    ip += 4;
    NEXT();
  }
  CASE(XMEM_FILL) {
    wk_memory *xm = XM_MEM(4);
    uint64_t d = XM_ARG(1, xm->is64), n = XM_ARG(3, xm->is64);
    if (!XM_IN(xm, d, n)) TRAP(WK_TRAP_MEMORY_OOB);
    if (n) memset(xm->base + d, (int)R32(2), n);
    ip += 5;
    NEXT();
  }
  CASE(XMEM_COPY) {
    wk_memory *md = XM_MEM(4), *ms = XM_MEM(5);
    uint64_t d = XM_ARG(1, md->is64), sr = XM_ARG(2, ms->is64), n = XM_ARG(3, md->is64 && ms->is64);
    if (!XM_IN(md, d, n) || !XM_IN(ms, sr, n)) TRAP(WK_TRAP_MEMORY_OOB);
    if (n) memmove(md->base + d, ms->base + sr, n);
    ip += 6;
    NEXT();
  }
  CASE(XMEM_INIT) {
    wk_memory *xm = XM_MEM(5);
    uint32_t seg = U32(1);
    uint64_t d = XM_ARG(2, xm->is64), sr = R32(3), n = R32(4);
    const wk_mdata *ds = &mod->datas[seg];
    uint64_t slen = inst->data_dropped[seg] ? 0 : ds->len;
    if (!XM_IN(xm, d, n) || sr + n > slen) TRAP(WK_TRAP_MEMORY_OOB);
    if (n) memcpy(xm->base + d, ds->bytes + sr, n);
    ip += 6;
    NEXT();
  }
  CASE(XV_PRE) {
    wk_memory *xm = XM_MEM(3);
    uint64_t a = XM_ARG(2, xm->is64), off = (uint64_t)U32(4) | (uint64_t)U32(5) << 32, ea = a + off;
    if (ea < a || !XM_IN(xm, ea, U32(6))) TRAP(WK_TRAP_MEMORY_OOB);
    mem = xm->base + ea; /* the SIMD instruction that follows accesses [mem, mem + n): checked */
    memsize = xm->bytes - ea;
    W32(1, 0);
    ip += 7;
    NEXT();
  }
  CASE(XV_POST) {
    RELOAD_MEM();
    ip += 1;
    NEXT();
  }
#undef XM_MEM
#undef XM_ARG
#undef XM_IN
