/*
 * The relocatable wasm object that carries a world's `component-type` custom
 * section into a linked core module (wit-bindgen's `*_component_type.o`). The
 * section contents come from lib/witparse (witencode.h
 * wit_encode_world_metadata).
 *
 * Object format: WebAssembly tool-conventions Linking.md (linking section
 * version 2, WASM_SYMBOL_TABLE).
 */
#include <string.h>

#include "bindgen/bindgen.h"

static void name(wk_buf *b, const char *s) {
  size_t n = strlen(s);
  wk_buf_uleb(b, n);
  wk_buf_append(b, s, n);
}

static void section(wk_buf *out, uint8_t id, const wk_buf *payload) {
  wk_buf_byte(out, id);
  wk_buf_uleb(out, payload->len);
  wk_buf_append(out, payload->data, payload->len);
}

void wk_bindgen_ctype_object(const char *sect, const uint8_t *data, size_t len, const char *symbol, wk_buf *out) {
  static const uint8_t hdr[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  wk_buf_append(out, hdr, sizeof hdr);
  wk_buf p = {0};
  /* type section: one type () -> () */
  wk_buf_uleb(&p, 1);
  wk_buf_byte(&p, 0x60);
  wk_buf_byte(&p, 0x00);
  wk_buf_byte(&p, 0x00);
  section(out, 0x01, &p);
  p.len = 0;
  /* function section */
  wk_buf_uleb(&p, 1);
  wk_buf_uleb(&p, 0);
  section(out, 0x03, &p);
  p.len = 0;
  /* code section: one empty body */
  wk_buf_uleb(&p, 1);
  wk_buf_uleb(&p, 2);
  wk_buf_byte(&p, 0x00);
  wk_buf_byte(&p, 0x0b);
  section(out, 0x0a, &p);
  p.len = 0;
  /* the component-type custom section */
  name(&p, sect);
  wk_buf_append(&p, data, len);
  section(out, 0x00, &p);
  p.len = 0;
  /* linking section (version 2) with a symbol table naming function 0 */
  wk_buf sub = {0};
  wk_buf_uleb(&sub, 1);    /* one symbol */
  wk_buf_byte(&sub, 0x00); /* SYMTAB_FUNCTION */
  wk_buf_uleb(&sub, 0);    /* flags */
  wk_buf_uleb(&sub, 0);    /* function index */
  name(&sub, symbol);
  name(&p, "linking");
  wk_buf_uleb(&p, 2);
  wk_buf_byte(&p, 0x08); /* WASM_SYMBOL_TABLE */
  wk_buf_uleb(&p, sub.len);
  wk_buf_append(&p, sub.data, sub.len);
  section(out, 0x00, &p);
  wk_buf_free(&sub);
  wk_buf_free(&p);
}
