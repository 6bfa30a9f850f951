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
    "call stack exhausted", "all fuel consumed", "interrupted", "host trap", "exit",
};
const char *wk_trap_default_message(int code) {
  if (code < 0 || code >= (int)(sizeof trap_msgs / sizeof *trap_msgs)) return "trap";
  return trap_msgs[code];
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
    uint32_t f0 = rc->ip ? func_of_ip(m, rc->ip) : rc->curf;
    t->frames[0].func = f0;
    t->frames[0].name = m->func_names && f0 < m->nfuncs ? m->func_names[f0] : NULL;
    t->frames[0].offset = src_offset(m, rc->ip);
    t->nframes = 1;
    for (uint32_t k = rc->depth; k > rc->entry; k--) {
      wk_frame *fr = &s->frames[k];
      if (!fr->ret_ip || !fr->inst) continue;
      const wk_module *fm = fr->inst->m;
      uint32_t fi = func_of_ip(fm, fr->ret_ip - 1);
      size_t i = t->nframes++;
      t->frames[i].func = fi;
      t->frames[i].name = fm->func_names && fi < fm->nfuncs ? fm->func_names[fi] : NULL;
      t->frames[i].offset = src_offset(fm, fr->ret_ip - 1);
    }
  }
  return t;
}
