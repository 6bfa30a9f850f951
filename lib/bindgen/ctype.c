/*
 * The relocatable wasm object that carries a world's `component-type` custom
 * section into a linked core module (wit-bindgen's `*_component_type.o`). The
 * section contents come from lib/witparse (witencode.h
 * wit_encode_world_metadata); the module is built as a lib/encode model and
 * written by lib/encode's encoder (wk_core_encode).
 *
 * Object format: WebAssembly tool-conventions Linking.md (linking section
 * version 2, WASM_SYMBOL_TABLE): one function `() -> ()` with an empty body,
 * named by `symbol`, so that the linker keeps the object (and with it the
 * custom section) when the symbol is referenced.
 */
#include <string.h>

#include "bindgen/bindgen.h"
#include "encode/encode.h"

static void name(wk_buf *b, const char *s) {
  size_t n = strlen(s);
  wk_buf_uleb(b, n);
  wk_buf_append(b, s, n);
}

void wk_bindgen_ctype_object(const char *sect, const uint8_t *data, size_t len, const char *symbol, wk_buf *out) {
  /* Linking.md "linking" payload: version 2, one WASM_SYMBOL_TABLE subsection
   * with a function symbol (flags 0) for function 0. */
  wk_buf sub = {0}, link = {0};
  wk_buf_uleb(&sub, 1);    /* one symbol */
  wk_buf_byte(&sub, 0x00); /* SYMTAB_FUNCTION */
  wk_buf_uleb(&sub, 0);    /* flags */
  wk_buf_uleb(&sub, 0);    /* function index */
  name(&sub, symbol);
  wk_buf_uleb(&link, 2);
  wk_buf_byte(&link, 0x08); /* WASM_SYMBOL_TABLE */
  wk_buf_uleb(&link, sub.len);
  wk_buf_append(&link, sub.data, sub.len);

  static const uint8_t end[] = {WK_OP_END};
  wk_core_functype ft = {0, 0, NULL, NULL, NULL};
  uint32_t func_type = 0;
  wk_core_code code = {.body = end, .body_len = sizeof end};
  wk_core_custom customs[2] = {
      {.name = {sect, (uint32_t)strlen(sect)}, .content = data, .len = (uint32_t)len, .place = 10},
      {.name = {"linking", 7}, .content = link.data, .len = (uint32_t)link.len, .place = 10},
  };
  wk_core_module *m = wk_core_new();
  if (m && !sub.oom && !link.oom) {
    m->ntypes = 1;
    m->types = &ft;
    m->nfuncs = 1;
    m->funcs = &func_type;
    m->ncodes = 1;
    m->codes = &code;
    m->ncustoms = 2;
    m->customs = customs;
    wk_error e;
    if (wk_core_reindex(m) != WK_OK || wk_core_encode(m, out, &e) != WK_OK) out->oom = 1;
    /* the arrays above are borrowed: detach them before the model is freed */
    m->types = NULL, m->funcs = NULL, m->codes = NULL, m->customs = NULL;
    m->ntypes = m->nfuncs = m->ncodes = m->ncustoms = 0;
  } else {
    out->oom = 1;
  }
  wk_core_free(m);
  wk_buf_free(&sub);
  wk_buf_free(&link);
}
