/*
 * The WebAssembly 3.0 memory instructions of the interpreter (internal.h XLD ... XV_PRE:
 * multi-memory and memory64, Core 3.0 3.3.7 / 4.4.7), out of line: loop.h's handlers
 * (xmem_loop_int.h) only call these, so that the 2.0 loop keeps its register allocation and
 * code layout. Every access checks its bounds explicitly: the effective address is computed in
 * 64 bits with an overflow check (an i64 address plus a u64 offset can wrap), so these never
 * rely on the guard region.
 */
#include <string.h>

#include "interp/internal.h"

#define U32(k) (ip[k])
#define SL(k) fp[ip[k]]
/* an address-type operand: i64 for an i64 memory, else i32 */
static uint64_t arg(const uint64_t *fp, const uint32_t *ip, int k, int is64) {
  return is64 ? SL(k) : (uint64_t)(uint32_t)SL(k);
}
/* [a, a + n) within m's current bytes, without overflow */
static int in_bounds(const wk_memory *m, uint64_t a, uint64_t n) { return a <= m->bytes && n <= m->bytes - a; }

int wk_xmem_load(wk_instance *inst, uint64_t *fp, const uint32_t *ip) {
  wk_memory *xm = inst->mems[U32(4)];
  uint32_t kind = U32(3);
  uint64_t a = arg(fp, ip, 2, kind & XM_A64), off = (uint64_t)U32(5) | (uint64_t)U32(6) << 32;
  uint64_t ea = a + off;
  static const uint8_t width[16] = {4, 8, 1, 1, 2, 2, 1, 1, 2, 2, 4, 4, 1, 2, 4, 8};
  if (ea < a || !in_bounds(xm, ea, width[kind & 0xf])) return -1;
  const uint8_t *p = xm->base + ea;
  uint64_t r;
  switch (kind & 0xf) {
  case XM_I32: { uint32_t v; memcpy(&v, p, 4); r = v; break; }
  case XM_I64: memcpy(&r, p, 8); break;
  case XM_I32_8S: r = (uint32_t)(int32_t)(int8_t)p[0]; break;
  case XM_I32_8U: case XM_I64_8U: r = p[0]; break;
  case XM_I32_16S: { int16_t v; memcpy(&v, p, 2); r = (uint32_t)(int32_t)v; break; }
  case XM_I32_16U: case XM_I64_16U: { uint16_t v; memcpy(&v, p, 2); r = v; break; }
  case XM_I64_8S: r = (uint64_t)(int64_t)(int8_t)p[0]; break;
  case XM_I64_16S: { int16_t v; memcpy(&v, p, 2); r = (uint64_t)(int64_t)v; break; }
  case XM_I64_32S: { int32_t v; memcpy(&v, p, 4); r = (uint64_t)(int64_t)v; break; }
  default: { uint32_t v; memcpy(&v, p, 4); r = v; break; } /* XM_I64_32U */
  }
  SL(1) = r;
  return 0;
}

int wk_xmem_store(wk_instance *inst, uint64_t *fp, const uint32_t *ip) {
  wk_memory *xm = inst->mems[U32(4)];
  uint32_t kind = U32(3);
  uint64_t a = arg(fp, ip, 1, kind & XM_A64), off = (uint64_t)U32(5) | (uint64_t)U32(6) << 32;
  uint64_t ea = a + off, v = SL(2);
  unsigned n = (kind & 0xf) == XM_8 ? 1 : (kind & 0xf) == XM_16 ? 2 : (kind & 0xf) == XM_32 ? 4 : 8;
  if (ea < a || !in_bounds(xm, ea, n)) return -1;
  uint8_t *p = xm->base + ea;
  switch (n) { /* little-endian host (as the 2.0 handlers): the low n bytes */
  case 1: p[0] = (uint8_t)v; break;
  case 2: { uint16_t w = (uint16_t)v; memcpy(p, &w, 2); break; }
  case 4: { uint32_t w = (uint32_t)v; memcpy(p, &w, 4); break; }
  default: memcpy(p, &v, 8); break;
  }
  return 0;
}

void wk_xmem_grow(wk_store *s, wk_instance *inst, uint64_t *fp, const uint32_t *ip) {
  wk_memory *xm = inst->mems[U32(3)];
  uint64_t n = arg(fp, ip, 2, xm->is64);
  int r = n > 65536 ? -1 : wk_memory_grow_pages(xm, (uint32_t)n, s->engine->cfg.max_memory_bytes);
  SL(1) = xm->is64 ? (uint64_t)(int64_t)r : (uint64_t)(uint32_t)r;
}

int wk_xmem_bulk(wk_instance *inst, uint64_t *fp, const uint32_t *ip, int op) {
  if (op == IOP_XMEM_FILL) {
    wk_memory *xm = inst->mems[U32(4)];
    uint64_t d = arg(fp, ip, 1, xm->is64), n = arg(fp, ip, 3, xm->is64);
    if (!in_bounds(xm, d, n)) return -1;
    if (n) memset(xm->base + d, (int)(uint32_t)SL(2), n);
  } else if (op == IOP_XMEM_COPY) { /* n is an i64 only if both memories are (Core 3.0 3.3.7) */
    wk_memory *md = inst->mems[U32(4)], *ms = inst->mems[U32(5)];
    uint64_t d = arg(fp, ip, 1, md->is64), sr = arg(fp, ip, 2, ms->is64), n = arg(fp, ip, 3, md->is64 && ms->is64);
    if (!in_bounds(md, d, n) || !in_bounds(ms, sr, n)) return -1;
    if (n) memmove(md->base + d, ms->base + sr, n);
  } else { /* XMEM_INIT seg d s n mem */
    wk_memory *xm = inst->mems[U32(5)];
    uint32_t seg = U32(1);
    uint64_t d = arg(fp, ip, 2, xm->is64), sr = (uint32_t)SL(3), n = (uint32_t)SL(4);
    const wk_mdata *ds = &inst->m->datas[seg];
    uint64_t slen = inst->data_dropped[seg] ? 0 : ds->len;
    if (!in_bounds(xm, d, n) || sr + n > slen) return -1;
    if (n) memcpy(xm->base + d, ds->bytes + sr, n);
  }
  return 0;
}

uint8_t *wk_xmem_vpre(wk_instance *inst, uint64_t *fp, const uint32_t *ip) {
  wk_memory *xm = inst->mems[U32(3)];
  uint64_t a = arg(fp, ip, 2, xm->is64), off = (uint64_t)U32(4) | (uint64_t)U32(5) << 32, ea = a + off;
  if (ea < a || !in_bounds(xm, ea, U32(6))) return NULL;
  SL(1) = 0;
  return xm->base + ea;
}

void wk_xmem_clamp(uint64_t *fp, const uint32_t *ip) {
  uint64_t a = SL(2);
  SL(1) = a > 0xffffffffu ? 0xffffffffu : a;
}
