/*
 * lib/wasi/p1link.c — bind the preview1 host to a core linker (as wasm3's
 * m3_LinkWASI or wasmtime's add_to_linker): every function of the table is
 * defined under `wasi_snapshot_preview1` and `wasi_unstable` as a host
 * function that forwards to wk_wasi_call with the caller's memory.
 */
#include <stdlib.h>

#include "interp/interp.h"
#include "wasi/internal.h"
#include "wasi/wasi.h"

typedef struct binding {
  wk_wasi *w;
  int idx, abi;
} binding;

static int trampoline(wk_caller *c, void *env, const wk_value *args, wk_value *results) {
  binding *b = env;
  const wk_wasi_func_desc *d = wk_wasi_func((size_t)b->idx);
  uint64_t raw[10];
  for (unsigned i = 0; i < d->nparams; i++)
    raw[i] = d->params[i] == WK_I64 ? (uint64_t)args[i].of.i64 : (uint64_t)(uint32_t)args[i].of.i32;
  size_t len = 0;
  uint8_t *mem = wk_caller_memory(c, &len);
  uint32_t r = 0;
  int st = wk_wasi_call(b->w, b->idx, b->abi, mem, len, raw, &r);
  if (st == WK_WASI_EXIT) return wk_caller_exit(c, wk_wasi_exit_code(b->w));
  if (st == WK_WASI_TRAP) return wk_caller_trap(c, wk_wasi_trap_message(b->w));
  if (d->nresults) {
    results[0].type = WK_I32;
    results[0].of.i32 = (int32_t)r;
  }
  return 0;
}

int wk_wasi_p1_define(wk_linker *l, wk_wasi *w, wk_error *err) {
  static const char *const mods[2] = {WK_WASI_MODULE_PREVIEW1, WK_WASI_MODULE_UNSTABLE};
  size_t n = wk_wasi_func_count();
  if (!w->p1_binds) {
    w->p1_binds = calloc(2 * n, sizeof(binding));
    if (!w->p1_binds) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  }
  binding *binds = w->p1_binds;
  for (int m = 0; m < 2; m++) {
    for (size_t i = 0; i < n; i++) {
      const wk_wasi_func_desc *fd = wk_wasi_func(i);
      int abi;
      int idx = wk_wasi_lookup(mods[m], fd->name, &abi);
      if (idx < 0) continue; /* not in this ABI (sock_accept in wasi_unstable) */
      binding *b = &binds[(size_t)m * n + i];
      b->w = w;
      b->idx = idx;
      b->abi = abi;
      wk_functype ft = {fd->nparams, fd->nresults, fd->params, fd->results};
      int rc = wk_linker_define_func(l, mods[m], fd->name, &ft, trampoline, b, err);
      if (rc) return rc;
    }
  }
  return WK_OK;
}
