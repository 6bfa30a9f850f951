/* lib/encode/wat_core.c — core modules in the text format (placeholder, being written). */
#include "encode/wat.h"

int wk_wat_core_module(const wk_sx *list, uint32_t skip, const char *name, uint32_t name_len, wk_buf *out,
                       wk_error *err) {
  (void)skip, (void)name, (void)name_len, (void)out;
  return wk_error_at_line(err, WK_ERR_UNSUPPORTED, list->line, list->col, "core text format not yet implemented");
}
