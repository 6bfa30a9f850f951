/*
 * `wasm-tools component embed`: append the `component-type:<world>` custom
 * section (the world encoded as wit-component does, lib/witparse witencode.h)
 * to a core module (lib/encode writes the section: wk_custom_section_write).
 */
#include <stdio.h>
#include <string.h>

#include "bindgen/bindgen.h"
#include "encode/encode.h"
#include "witparse/witencode.h"

int wk_bindgen_embed(const wit_resolve *r, wit_id world, int enc, const uint8_t *core, size_t len, wk_buf *out,
                     wk_error *err) {
  if (wk_bin_kind(core, len) != WK_BIN_MODULE) return wk_error_at(err, WK_ERR_MALFORMED, 0, "not a core wasm module");
  if (!r || world >= r->n_worlds) return wk_error_set(err, WK_ERR_USAGE, "no such world");
  wk_buf ct = {0};
  int rc = wit_encode_world_metadata(r, world, enc, &ct, err);
  if (rc != WK_OK) {
    wk_buf_free(&ct);
    return rc;
  }
  wk_buf_append(out, core, len);
  char name[1024];
  snprintf(name, sizeof name, "component-type:%s", r->worlds[world].name);
  wk_custom_section_write(out, name, ct.data, ct.len);
  rc = ct.oom || out->oom ? wk_error_set(err, WK_ERR_NOMEM, "out of memory") : WK_OK;
  wk_buf_free(&ct);
  return rc;
}
