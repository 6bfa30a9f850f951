/* winspect --wit: the component's world as WIT. */
#include "inspect.h"

int insp_wit(insp *in, FILE *out) {
  (void)out;
  if (in->kind != WK_BIN_COMPONENT) {
    fprintf(stderr, "winspect: error: %s: --wit needs a component, not a core module\n", in->path);
    return 1;
  }
  fprintf(stderr, "winspect: error: --wit is not implemented yet\n");
  return 1;
}
