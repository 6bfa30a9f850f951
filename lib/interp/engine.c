/*
 * lib/interp engine and compiled modules (wasmtime's Engine and Module): the
 * configuration, translation of a module's bytes (or loading them from the AOT
 * cache) and the import/export descriptions of a module.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "interp/internal.h"

/* ---- engine ---- */
void wk_config_default(wk_config *c) {
  memset(c, 0, sizeof *c);
  c->guard_pages = 1;
}
wk_engine *wk_engine_new(const wk_config *c) {
  wk_engine *e = calloc(1, sizeof *e);
  if (!e) return NULL;
  if (c) e->cfg = *c;
  else wk_config_default(&e->cfg);
  if (!e->cfg.max_call_depth) e->cfg.max_call_depth = 10000;
  if (!e->cfg.max_stack_bytes) e->cfg.max_stack_bytes = 8u << 20;
  if (!e->cfg.cache_min_code_bytes) e->cfg.cache_min_code_bytes = 32u << 10;
  return e;
}
void wk_engine_free(wk_engine *e) { free(e); }

/* ---- modules ---- */
int wk_module_new(wk_engine *e, const uint8_t *bytes, size_t len, wk_module **out, wk_error *err) {
  return wk_module_new_ex(e, bytes, len, 0, out, err);
}
int wk_module_new_ex(wk_engine *e, const uint8_t *bytes, size_t len, unsigned flags, wk_module **out, wk_error *err) {
  *out = NULL;
  wk_error_clear(err);
  wk_module *m = calloc(1, sizeof *m);
  if (!m) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  m->engine = e;
  uint8_t key[32];
  int use_cache = e->cfg.cache_dir && e->cfg.cache_dir[0] &&
                  wk_cache_code_bytes(bytes, len) >= (flags & WK_MODULE_CACHE_ANY_SIZE ? 1 : e->cfg.cache_min_code_bytes) &&
                  wk_cache_key(e, bytes, len, key) == 0;
  int rc;
  if (use_cache && wk_cache_load(m, key, bytes, len) == 0) { /* threaded code included */
    m->from_cache = 1;
    for (uint32_t i = 0; i < m->nfuncs - m->nfunc_imports; i++) m->funcs[i].tc[0] = m->tcode[0] + m->funcs[i].code;
    rc = WK_OK;
  } else {
    /* a module bound for the cache is translated whole (the entry holds every function, so a
     * cache hit starts without translating anything); others translate each function on its
     * first call (validation stays complete here) */
    /* (3.0 memories: translated whole, so that xmem_insn's limits show at once) */
    int eager = use_cache || e->cfg.eager_translation || (e->cfg.features & WK_INTERP_FEATURES);
    rc = wk_translate_module(m, bytes, len, eager, err);
    if (rc == WK_OK && eager && wk_thread_code(m) != WK_OK) rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    if (rc == WK_OK && use_cache) wk_cache_store(m, key, bytes, len);
  }
  if (rc != WK_OK) {
    wk_module_free(m);
    return rc;
  }
  *out = m;
  return WK_OK;
}
void wk_module_free(wk_module *m) {
  if (!m) return;
  free(m->code);
  if (m->map) munmap(m->map, m->map_len); /* tcode[0] lives there */
  else free(m->tcode[0]);
  free(m->tcode[1]);
  free(m->srcmap);
  wk_lazy_free(m);
  wk_arena_free(&m->arena);
  free(m);
}
int wk_module_from_cache(const wk_module *m) { return m->from_cache; }
size_t wk_module_import_count(const wk_module *m) { return m->nimports; }
void wk_module_import(const wk_module *m, size_t i, wk_import_desc *out) {
  memset(out, 0, sizeof *out);
  if (i >= m->nimports) return;
  const wk_mimport *im = &m->imports[i];
  out->module = im->module;
  out->name = im->name;
  out->kind = im->kind;
  if (im->kind == WK_EXTERN_FUNC) out->type = m->types[im->type];
}
size_t wk_module_export_count(const wk_module *m) { return m->nexports; }
void wk_module_export(const wk_module *m, size_t i, wk_export_desc *out) {
  memset(out, 0, sizeof *out);
  if (i >= m->nexports) return;
  const wk_mexport *e = &m->exports[i];
  out->name = e->name;
  out->kind = e->kind;
  if (e->kind == WK_EXTERN_FUNC) out->type = m->types[m->func_type[e->idx]];
}
