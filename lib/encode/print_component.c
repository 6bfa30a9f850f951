/* Component printer (wasm-tools `print` style). */
#include "encode/component.h"

int wk_component_print(const wk_component *c, wk_buf *out, wk_error *err) {
  (void)c; (void)out;
  return wk_error_set(err, WK_ERR_UNSUPPORTED, "component printing is not implemented yet");
}

int wk_coremod_print(const uint8_t *data, size_t len, int indent, wk_buf *out, wk_error *err) {
  (void)data; (void)len; (void)indent; (void)out;
  return wk_error_set(err, WK_ERR_UNSUPPORTED, "core module printing is not implemented yet");
}
