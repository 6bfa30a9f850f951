/*
 * lib/encode/wat.c — wk_wat_to_binary: read the text into S-expressions
 * (wat_sx.c) and hand the one top-level form to the core module encoder
 * (wat_core*.c) or the component encoder (wat_component.c).
 */
#include <stdlib.h>
#include <string.h>

#include "encode/wat.h"

/* `(module $id? ...)` / `(component $id? ...)`: children to skip and the id */
static uint32_t head_skip(const wk_sx *x, const char **name, uint32_t *name_len) {
  *name = NULL, *name_len = 0;
  if (x->n > 1 && x->kids[1].kind == WK_SX_ID) {
    *name = x->kids[1].text, *name_len = x->kids[1].len;
    return 2;
  }
  return 1;
}

int wk_wat_to_binary(const char *text, size_t len, wk_buf *out, wk_error *err) {
  return wk_wat_to_binary_ex(text, len, 0, out, err);
}

int wk_wat_to_binary_ex(const char *text, size_t len, unsigned flags, wk_buf *out, wk_error *err) {
  wk_sx_doc doc;
  int rc = wk_sx_read(text, len, &doc, err);
  if (rc) {
    wk_sx_free(&doc);
    return rc;
  }
  const char *name;
  uint32_t name_len;
  /* annotations around the one `(module ...)` / `(component ...)` are ignored */
  const wk_sx *only = NULL;
  uint32_t forms = 0;
  for (uint32_t i = 0; i < doc.n; i++) {
    const wk_sx *x = &doc.top[i];
    if (x->kind == WK_SX_LIST && x->n && x->kids[0].kind == WK_SX_ANNOT) continue;
    forms++;
    only = x;
  }
  if (forms == 1 && wk_sx_head(only, "module")) {
    uint32_t skip = head_skip(only, &name, &name_len);
    rc = wk_wat_core_module_ex(only, skip, name, name_len, flags, out, err);
  } else if (forms == 1 && wk_sx_head(only, "component")) {
    uint32_t skip = head_skip(only, &name, &name_len);
    rc = wk_wat_component(only, skip, name, name_len, out, err);
  } else if (doc.n == 0) {
    rc = wk_error_at_line(err, WK_ERR_MALFORMED, 1, 1, "expected at least one module field");
  } else {
    /* bare module fields (core spec 6.6.13: a module may omit the wrapper) */
    for (uint32_t i = 0; i < doc.n; i++) {
      if (doc.top[i].kind != WK_SX_LIST || wk_sx_head(&doc.top[i], "module") ||
          wk_sx_head(&doc.top[i], "component")) {
        uint32_t l = doc.top[i].line, c = doc.top[i].col;
        wk_sx_free(&doc);
        return wk_error_at_line(err, WK_ERR_MALFORMED, l, c, "expected a single module or component");
      }
    }
    wk_sx all = {0};
    all.kind = WK_SX_LIST;
    all.kids = doc.top, all.n = doc.n, all.line = 1, all.col = 1;
    rc = wk_wat_core_module_ex(&all, 0, NULL, 0, flags, out, err);
  }
  wk_sx_free(&doc);
  return rc;
}

int wk_read_wasm_or_wat(const char *path, uint8_t **data, size_t *len, wk_error *err) {
  uint8_t *bytes;
  size_t n;
  int rc = wk_read_file(path, &bytes, &n, err);
  if (rc) return rc;
  if (n >= 4 && !memcmp(bytes, "\0asm", 4)) {
    *data = bytes;
    *len = n;
    return WK_OK;
  }
  wk_buf bin = {0};
  rc = wk_wat_to_binary((const char *)bytes, n, &bin, err);
  free(bytes);
  if (rc == WK_OK && bin.oom) rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  if (rc) { wk_buf_free(&bin); return rc; }
  *data = bin.data;
  *len = bin.len;
  return WK_OK;
}
