/*
 * lib/interp traps (wasmtime's Trap): construction, the default messages of the
 * spec's trap conditions, backtraces from the interpreter's frames (function
 * index, name, code offset) and the public accessors. Execution (exec.c,
 * loop.h) makes traps here; nothing here calls back into execution.
 */
#include <stdlib.h>
#include <string.h>

#include "interp/internal.h"

/* ---- traps ---- */
wk_trap *wk_trap_make(int code, const char *msg) {
  wk_trap *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->code = code;
  const char *m = msg ? msg : wk_trap_default_message(code);
  t->msg = strdup(m);
  return t;
}
wk_trap *wk_trap_new(int code, const char *msg, int exit_status) {
  wk_trap *t = wk_trap_make(code, msg);
  if (t) t->exit_status = exit_status;
  return t;
}
int wk_trap_code_of(const wk_trap *t) { return t ? t->code : WK_TRAP_HOST; }
const char *wk_trap_message(const wk_trap *t) { return t && t->msg ? t->msg : "trap"; }
int wk_trap_exit_status(const wk_trap *t) { return t ? t->exit_status : 0; }
size_t wk_trap_frame_count(const wk_trap *t) { return t ? t->nframes : 0; }
void wk_trap_frame(const wk_trap *t, size_t i, uint32_t *func_index, const char **name, uint64_t *offset) {
  if (!t || i >= t->nframes) {
    if (func_index) *func_index = 0;
    if (name) *name = NULL;
    if (offset) *offset = 0;
    return;
  }
  if (func_index) *func_index = t->frames[i].func;
  if (name) *name = t->frames[i].name;
  if (offset) *offset = t->frames[i].offset;
}
void wk_trap_free(wk_trap *t) {
  if (!t) return;
  free(t->msg);
  free(t->frames);
  free(t);
}

static const char *const trap_msgs[] = {
    "unreachable", "out of bounds memory access", "out of bounds table access",
    "integer divide by zero", "integer overflow", "invalid conversion to integer",
    "undefined element", "uninitialized element", "indirect call type mismatch",
    "call stack exhausted", "all fuel consumed", "interrupted", "host trap", "exit", "uncaught exception",
    "null function reference", "null reference", "null structure reference", "null array reference",
    "null i31 reference", "out of bounds array access", "cast failure", "out of memory",
};
const char *wk_trap_default_message(int code) {
  if (code < 0 || code >= (int)(sizeof trap_msgs / sizeof *trap_msgs)) return "trap";
  return trap_msgs[code];
}

/* In a lazily translated module (internal.h wk_lazy) each function has its own code: find the
 * defined function i whose code or stub holds ip, trying *hint first (frames of one backtrace
 * are often the same function); its byte offset in *off. 0, or -1 when ip is in none. */
static int lazy_locate(const wk_module *m, const uint32_t *ip, uint32_t *hint, uint32_t *fi, uint64_t *off) {
  const wk_lazy *lz = m->lazy;
  uint32_t nd = m->nfuncs - m->nfunc_imports;
  for (int k = 0; k < 2; k++)
    if (ip >= lz->stubs[k] && ip < lz->stubs[k] + 2 * (size_t)nd) {
      *fi = (uint32_t)((ip - lz->stubs[k]) / 2);
      *off = m->funcs[*fi].body_off;
      return 0;
    }
  for (uint32_t j = 0; j <= nd; j++) {
    uint32_t i = j == 0 ? *hint : j - 1;
    if (i >= nd || WK_ACQ(m->funcs[i].tc[0]) == lz->stubs[0] + 2 * i) continue;
    const wk_fcode *fc = &lz->fc[i];
    if (ip < fc->words || ip >= fc->words + 2 * (size_t)fc->n) continue;
    uint32_t pc = (uint32_t)((ip - fc->words) % fc->n);
    size_t lo = 0, hi = fc->nsrcmap;
    while (lo < hi) { /* last entry with code index <= pc */
      size_t mid = (lo + hi) / 2;
      if (fc->srcmap[2 * mid] <= pc) lo = mid + 1;
      else hi = mid;
    }
    *fi = *hint = i;
    *off = lo ? fc->srcmap[2 * (lo - 1) + 1] : m->funcs[i].body_off;
    return 0;
  }
  return -1;
}

static uint64_t src_offset(const wk_module *m, const uint32_t *ip) {
  const uint32_t *base = NULL;
  for (int k = 0; k < 2; k++)
    if (m->tcode[k] && ip >= m->tcode[k] && ip < m->tcode[k] + m->ncode) base = m->tcode[k];
  if (!ip || !base) return 0;
  uint32_t pc = (uint32_t)(ip - base);
  size_t lo = 0, hi = m->nsrcmap;
  while (lo < hi) { /* last entry with code index <= pc */
    size_t mid = (lo + hi) / 2;
    if (m->srcmap[2 * mid] <= pc) lo = mid + 1;
    else hi = mid;
  }
  return lo ? m->srcmap[2 * (lo - 1) + 1] : 0;
}

/* the function (index in m) whose translated code contains ip: functions are laid out in order */
static uint32_t func_of_ip(const wk_module *m, const uint32_t *ip) {
  const uint32_t *base = NULL;
  for (int k = 0; k < 2; k++)
    if (m->tcode[k] && ip >= m->tcode[k] && ip < m->tcode[k] + m->ncode) base = m->tcode[k];
  uint32_t nd = m->nfuncs - m->nfunc_imports;
  if (!base || !nd) return 0;
  uint32_t pc = (uint32_t)(ip - base), lo = 0, hi = nd;
  while (lo < hi) { /* last function with code start <= pc */
    uint32_t mid = (lo + hi) / 2;
    if (m->funcs[mid].code <= pc) lo = mid + 1;
    else hi = mid;
  }
  return (lo ? lo - 1 : 0) + m->nfunc_imports;
}

/* the trap rc carries (or a new one with code and msg) with the wasm frames of the current
 * activation, innermost first, as function indices and byte offsets in the code section */
wk_trap *wk_trap_backtrace(wk_store *s, wk_runctx *rc, int code, const char *msg) {
  wk_trap *t = rc->trap ? rc->trap : wk_trap_make(code, msg);
  rc->trap = NULL;
  if (!t || t->nframes) return t;
  uint32_t n = rc->depth >= rc->entry ? rc->depth - rc->entry + 1 : 0;
  t->frames = calloc(n ? n : 1, sizeof *t->frames);
  if (!t->frames) return t;
  if (rc->inst && n) {
    const wk_module *m = rc->inst->m;
    uint32_t hint = 0, lf;
    uint64_t loff = 0;
    uint32_t f0 = rc->curf;
    if (m->lazy && rc->ip && lazy_locate(m, rc->ip, &hint, &lf, &loff) == 0) f0 = lf + m->nfunc_imports;
    else if (rc->ip) f0 = func_of_ip(m, rc->ip), loff = src_offset(m, rc->ip);
    t->frames[0].func = f0;
    char **names = wk_module_func_names(m);
    t->frames[0].name = names && f0 < m->nfuncs ? names[f0] : NULL;
    t->frames[0].offset = loff;
    t->nframes = 1;
    for (uint32_t k = rc->depth; k > rc->entry; k--) {
      wk_frame *fr = &s->frames[k];
      if (!fr->ret_ip || !fr->inst) continue;
      const wk_module *fm = fr->inst->m;
      uint32_t fi = 0;
      uint64_t off = 0;
      if (fm->lazy) {
        if (lazy_locate(fm, fr->ret_ip - 1, &hint, &fi, &off) == 0) fi += fm->nfunc_imports;
      } else {
        fi = func_of_ip(fm, fr->ret_ip - 1);
        off = src_offset(fm, fr->ret_ip - 1);
      }
      size_t i = t->nframes++;
      t->frames[i].func = fi;
      char **fnames = wk_module_func_names(fm);
      t->frames[i].name = fnames && fi < fm->nfuncs ? fnames[fi] : NULL;
      t->frames[i].offset = off;
    }
  }
  return t;
}
