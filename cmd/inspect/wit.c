/* winspect --wit: the component's world as WIT (lib/encode wk_component_wit). */
#include <stdlib.h>

#include "inspect.h"

int insp_wit(insp *in, FILE *out) {
  if (in->kind != WK_BIN_COMPONENT) {
    fprintf(stderr, "winspect: error: %s: --wit needs a component, not a core module\n", in->path);
    return 1;
  }
  wk_buf b = {0};
  wk_error err;
  wk_error_clear(&err);
  int rc = wk_component_wit(in->comp, &b, &err);
  if (rc) {
    wk_error_print(stderr, "winspect", in->path, &err);
    wk_buf_free(&b);
    return 1;
  }
  fwrite(b.data, 1, b.len, out);
  wk_buf_free(&b);
  return 0;
}
