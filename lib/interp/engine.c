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
  c->features = WK_INTERP_FEATURES;
}
wk_engine *wk_engine_new(const wk_config *c) {
  wk_engine *e = calloc(1, sizeof *e);
  if (!e) return NULL;
  if (c) e->cfg = *c;
  else wk_config_default(&e->cfg);
  if (!e->cfg.max_call_depth) e->cfg.max_call_depth = 10000;
  if (!e->cfg.max_stack_bytes) e->cfg.max_stack_bytes = 8u << 20;
  if (!e->cfg.cache_min_code_bytes) e->cfg.cache_min_code_bytes = 32u << 10;
  e->cfg.features &= WK_INTERP_FEATURES;
  if (!(e->pairs = wk_pairs_new())) {
    free(e);
    return NULL;
  }
  return e;
}
void wk_engine_free(wk_engine *e) {
  if (!e) return;
  free(e->pairs);
  wk_funcval_free(e->fv_spare);
  free(e);
}

/* ---- modules ---- */
int wk_module_new(wk_engine *e, const uint8_t *bytes, size_t len, wk_module **out, wk_error *err) {
  return wk_module_new_ex(e, bytes, len, 0, out, err);
}
/* m (only its engine set) from the cache entry `key`: 1 on a hit, 0 on a miss (m unchanged) */
static int cache_hit(wk_module *m, const uint8_t key[32], const uint8_t *bytes, size_t len) {
  if (wk_cache_load(m, key, bytes, len) != 0) return 0;
  m->from_cache = 1;
  for (uint32_t i = 0; i < m->nfuncs - m->nfunc_imports; i++) m->funcs[i].tc[0] = m->tcode[0] + m->funcs[i].code;
  memcpy(m->cache_key, key, 32);
  m->has_cache_key = 1;
  return 1;
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
  if (use_cache && cache_hit(m, key, bytes, len)) { /* threaded code included */
    rc = WK_OK;
  } else {
    /* a module bound for the cache is translated whole (the entry holds every function, so a
     * cache hit starts without translating anything); others translate each function on its
     * first call (validation stays complete here) */
    int eager = use_cache || e->cfg.eager_translation;
    rc = wk_translate_module(m, bytes, len, eager, err);
    if (rc == WK_OK && eager && wk_thread_code(m) != WK_OK) rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    if (rc == WK_OK && use_cache) {
      wk_cache_store(m, key, bytes, len);
      memcpy(m->cache_key, key, 32);
      m->has_cache_key = 1;
    }
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
  free(m->handlers);
  wk_lazy_free(m);
  wk_module_names_free(m);
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
  if (im->kind == WK_EXTERN_FUNC || im->kind == WK_EXTERN_TAG) out->type = m->types[im->type];
  if (im->kind == WK_EXTERN_GLOBAL || im->kind == WK_EXTERN_TABLE) out->vt = im->vfull ? im->vfull : im->vtype;
  if (im->kind == WK_EXTERN_GLOBAL) out->mut = im->mut;
  if (im->kind == WK_EXTERN_TABLE || im->kind == WK_EXTERN_MEMORY) {
    out->min = im->lim.min, out->max = im->lim.max;
    out->has_max = im->lim.has_max ? 1 : 0, out->is64 = im->lim.is64 ? 1 : 0;
  }
}
size_t wk_module_export_count(const wk_module *m) { return m->nexports; }
void wk_module_export(const wk_module *m, size_t i, wk_export_desc *out) {
  memset(out, 0, sizeof *out);
  if (i >= m->nexports) return;
  const wk_mexport *e = &m->exports[i];
  out->name = e->name;
  out->kind = e->kind;
  if (e->kind == WK_EXTERN_FUNC) out->type = m->types[m->func_type[e->idx]];
  if (e->kind == WK_EXTERN_TAG) out->type = m->types[m->tag_type[e->idx]];
}

/* ---- module groups (interp.h wk_module_group_load) ---- */
int wk_module_group_load(wk_engine *e, const uint8_t *container, size_t clen, size_t n, const uint8_t *const *bytes,
                         const size_t *lens, wk_module **out) {
  if (!e->cfg.cache_dir || !e->cfg.cache_dir[0] || !n) return -1;
  uint8_t(*keys)[32] = malloc(n * sizeof *keys);
  if (!keys) return -1;
  static const uint8_t none[32];
  int rc = wk_cache_group_read(e, container, clen, n, keys);
  size_t i = 0;
  for (; rc == 0 && i < n; i++) {
    out[i] = NULL;
    if (memcmp(keys[i], none, 32)) {
      wk_module *m = calloc(1, sizeof *m);
      if (m) m->engine = e;
      if (m && cache_hit(m, keys[i], bytes[i], lens[i])) out[i] = m;
      else free(m), rc = -1;
    } else { /* a module without an entry (no code): translated as usual; it was valid before */
      wk_error err;
      if (wk_cache_code_bytes(bytes[i], lens[i]) || wk_module_new_ex(e, bytes[i], lens[i], 0, &out[i], &err) != WK_OK)
        rc = -1;
    }
  }
  if (rc != 0)
    while (i > 0) wk_module_free(out[--i]), out[i] = NULL;
  free(keys);
  return rc;
}

void wk_module_group_store(wk_engine *e, const uint8_t *container, size_t clen, size_t n, wk_module *const *mods) {
  if (!e->cfg.cache_dir || !e->cfg.cache_dir[0] || !n) return;
  uint8_t(*keys)[32] = calloc(n, sizeof *keys);
  if (!keys) return;
  size_t i = 0;
  for (; i < n; i++) {
    if (mods[i]->has_cache_key) memcpy(keys[i], mods[i]->cache_key, 32);
    else if (mods[i]->ncode || mods[i]->tcode[0] || mods[i]->nfuncs > mods[i]->nfunc_imports) break; /* code without an entry */
  }
  if (i == n) wk_cache_group_write(e, container, clen, n, (const uint8_t(*)[32])keys);
  free(keys);
}
