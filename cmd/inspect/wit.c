/* winspect --wit: the component's world (or the WIT package it encodes) as WIT:
 * decoded into a Resolve (lib/witparse witdecode.h, wit-component's rules) and
 * printed with wit-component's layout, as `wasm-tools component wit` / `jco wit`. */
#include <stdlib.h>

#include "inspect.h"
#include "witparse/witdecode.h"

int insp_wit(insp *in, FILE *out) {
  if (in->kind != WK_BIN_COMPONENT) {
    fprintf(stderr, "winspect: error: %s: --wit needs a component, not a core module\n", in->path);
    return 1;
  }
  wk_error err;
  wk_error_clear(&err);
  wit_resolve *r = wit_resolve_new();
  if (!r) { fprintf(stderr, "winspect: error: out of memory\n"); return 1; }
  wit_id pkg = WIT_NONE;
  wk_buf b = {0};
  int rc = wit_decode_component(r, in->comp, &pkg, NULL, NULL, &err);
  if (!rc) rc = wit_resolve_print_decoded(r, pkg, &b, &err);
  if (rc) {
    wk_error_print(stderr, "winspect", in->path, &err);
  } else {
    fwrite(b.data, 1, b.len, out);
  }
  wk_buf_free(&b);
  wit_resolve_free(r);
  return rc ? 1 : 0;
}
