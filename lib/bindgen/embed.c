/*
 * `wasm-tools component embed`: append the `component-type:<world>` custom
 * section (the world encoded as wit-component does, lib/witparse witencode.h)
 * to a core module. Core spec 5.5.3 "Custom Section": id 0, size, name, bytes.
 */
#include <stdio.h>
#include <string.h>

#include "bindgen/bindgen.h"
#include "witparse/witencode.h"

int wk_bindgen_embed(const wit_resolve *r, wit_id world, int enc, const uint8_t *core, size_t len, wk_buf *out,
                     wk_error *err) {
  static const uint8_t magic[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  if (len < 8 || memcmp(core, magic, 8)) return wk_error_at(err, WK_ERR_MALFORMED, 0, "not a core wasm module");
  if (!r || world >= r->n_worlds) return wk_error_set(err, WK_ERR_USAGE, "no such world");
  wk_buf ct = {0}, sec = {0};
  int rc = wit_encode_world_metadata(r, world, enc, &ct, err);
  if (rc != WK_OK) {
    wk_buf_free(&ct);
    return rc;
  }
  wk_buf_append(out, core, len);
  char name[1024];
  snprintf(name, sizeof name, "component-type:%s", r->worlds[world].name);
  wk_buf_uleb(&sec, strlen(name));
  wk_buf_str(&sec, name);
  wk_buf_append(&sec, ct.data, ct.len);
  wk_buf_byte(out, 0x00);
  wk_buf_uleb(out, sec.len);
  wk_buf_append(out, sec.data, sec.len);
  rc = sec.oom || ct.oom || out->oom ? wk_error_set(err, WK_ERR_NOMEM, "out of memory") : WK_OK;
  wk_buf_free(&sec);
  wk_buf_free(&ct);
  return rc;
}
