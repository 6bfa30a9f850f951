/*
 * Core module model helpers: creation, freeing, index spaces
 * (Core spec 2.5.1 "Indices": imports first in every index space).
 */
#include <stdlib.h>
#include <string.h>

#include "encode/encode.h"

wk_core_module *wk_core_new(void) {
  return wk_calloc(1, sizeof(wk_core_module));
}

void wk_core_free(wk_core_module *m) {
  if (!m) return;
  wk_arena_free(&m->arena);
  free(m);
}

int wk_core_reindex(wk_core_module *m) {
  uint32_t n[5] = {0};
  for (uint32_t i = 0; i < m->nimports; i++)
    if (m->imports[i].kind <= WK_EXTERN_TAG) n[m->imports[i].kind]++;
  uint32_t *arr[5];
  for (int k = 0; k < 5; k++) {
    arr[k] = wk_arena_alloc(&m->arena, n[k] ? n[k] * sizeof(uint32_t) : 1);
    if (!arr[k]) return WK_ERR_NOMEM;
  }
  uint32_t c[5] = {0};
  for (uint32_t i = 0; i < m->nimports; i++) {
    uint8_t k = m->imports[i].kind;
    if (k <= WK_EXTERN_TAG) arr[k][c[k]++] = i;
  }
  m->nimported_funcs = n[0];
  m->nimported_tables = n[1];
  m->nimported_mems = n[2];
  m->nimported_globals = n[3];
  m->func_imports = arr[0];
  m->table_imports = arr[1];
  m->mem_imports = arr[2];
  m->global_imports = arr[3];
  m->nimported_tags = n[4];
  m->tag_imports = arr[4];
  return WK_OK;
}

uint32_t wk_core_func_type_index(const wk_core_module *m, uint32_t f) {
  if (f < m->nimported_funcs) return m->imports[m->func_imports[f]].type_index;
  f -= m->nimported_funcs;
  if (f < m->nfuncs) return m->funcs[f];
  return UINT32_MAX;
}

const wk_core_functype *wk_core_func_type(const wk_core_module *m, uint32_t f) {
  uint32_t t = wk_core_func_type_index(m, f);
  return t < m->ntypes ? &m->types[t] : NULL;
}

const wk_core_tabletype *wk_core_table_type(const wk_core_module *m, uint32_t t) {
  if (t < m->nimported_tables) return &m->imports[m->table_imports[t]].table;
  t -= m->nimported_tables;
  return t < m->ntables ? &m->tables[t] : NULL;
}

const wk_core_limits *wk_core_mem_limits(const wk_core_module *m, uint32_t i) {
  if (i < m->nimported_mems) return &m->imports[m->mem_imports[i]].mem;
  i -= m->nimported_mems;
  return i < m->nmems ? &m->mems[i] : NULL;
}

const wk_core_globaltype *wk_core_global_type(const wk_core_module *m, uint32_t g) {
  if (g < m->nimported_globals) return &m->imports[m->global_imports[g]].global;
  g -= m->nimported_globals;
  return g < m->nglobals ? &m->globals[g].type : NULL;
}

const wk_core_import *wk_core_import_of(const wk_core_module *m, int kind, uint32_t i) {
  switch (kind) {
  case WK_EXTERN_FUNC: return i < m->nimported_funcs ? &m->imports[m->func_imports[i]] : NULL;
  case WK_EXTERN_TABLE: return i < m->nimported_tables ? &m->imports[m->table_imports[i]] : NULL;
  case WK_EXTERN_MEMORY: return i < m->nimported_mems ? &m->imports[m->mem_imports[i]] : NULL;
  case WK_EXTERN_GLOBAL: return i < m->nimported_globals ? &m->imports[m->global_imports[i]] : NULL;
  case WK_EXTERN_TAG: return i < m->nimported_tags ? &m->imports[m->tag_imports[i]] : NULL;
  default: return NULL;
  }
}

const wk_core_name *wk_core_func_name(const wk_core_module *m, uint32_t f) {
  uint32_t lo = 0, hi = m->nfunc_names;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (m->func_names[mid].index == f) return &m->func_names[mid].name;
    if (m->func_names[mid].index < f) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

const wk_core_functype *wk_core_tag_type(const wk_core_module *m, uint32_t t) {
  uint32_t ti;
  if (t < m->nimported_tags) ti = m->imports[m->tag_imports[t]].tag_type;
  else if (t - m->nimported_tags < m->ntags) ti = m->tags[t - m->nimported_tags];
  else return NULL;
  return ti < m->ntypes ? &m->types[ti] : NULL;
}
