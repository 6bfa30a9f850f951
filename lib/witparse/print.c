/* Resolve -> WIT text (placeholder until the printer lands). */
#include "witparse/internal.h"

int wit_resolve_print_wit(const wit_resolve *r, wit_id main_pkg, wk_buf *out, wk_error *err) {
  (void)r; (void)main_pkg; (void)out;
  return wk_error_set(err, WK_ERR_UNSUPPORTED, "WIT printing not implemented yet");
}
