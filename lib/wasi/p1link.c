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

/* Define (module, name) if it is a preview1 function (wk_wasi_lookup); 0 when it is not. */
static int define_one(wk_linker *l, wk_wasi *w, const char *module, const char *name, wk_error *err) {
  size_t n = wk_wasi_func_count();
  if (!w->p1_binds) {
    w->p1_binds = calloc(2 * n, sizeof(binding));
    if (!w->p1_binds) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  }
  int abi;
  int idx = wk_wasi_lookup(module, name, &abi);
  if (idx < 0) return WK_OK; /* not in this ABI (sock_accept in wasi_unstable), or not WASI */
  binding *b = &((binding *)w->p1_binds)[(size_t)abi * n + (size_t)idx];
  b->w = w;
  b->idx = idx;
  b->abi = abi;
  const wk_wasi_func_desc *fd = wk_wasi_func((size_t)idx);
  wk_core_functype ft = {fd->nparams, fd->nresults, fd->params, fd->results, NULL};
  return wk_linker_define_func(l, module, fd->name, &ft, trampoline, b, err);
}

int wk_wasi_p1_define(wk_linker *l, wk_wasi *w, wk_error *err) {
  static const char *const mods[2] = {WK_WASI_MODULE_PREVIEW1, WK_WASI_MODULE_UNSTABLE};
  size_t n = wk_wasi_func_count();
  for (int m = 0; m < 2; m++)
    for (size_t i = 0; i < n; i++) {
      int rc = define_one(l, w, mods[m], wk_wasi_func(i)->name, err);
      if (rc) return rc;
    }
  return WK_OK;
}

int wk_wasi_p1_define_imports(wk_linker *l, wk_wasi *w, const wk_module *m, wk_error *err) {
  size_t n = wk_module_import_count(m);
  for (size_t k = 0; k < n; k++) {
    wk_import_desc d;
    wk_module_import(m, k, &d);
    if (d.kind != WK_EXTERN_FUNC) continue;
    int rc = define_one(l, w, d.module, d.name, err);
    if (rc) return rc;
  }
  return WK_OK;
}
