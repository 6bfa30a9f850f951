/* Internal (lib/encode): shared between the module and function validators. */
#ifndef WK_ENCODE_VALIDATE_INT_H
#define WK_ENCODE_VALIDATE_INT_H
#include "encode/encode.h"
/* Bitmap (malloc'd, one bit per function index) of C.refs (Core 3.4.10):
 * functions referenced outside function bodies (element segments, global
 * initializers, exports). NULL on OOM. */
uint8_t *wk_val_declared_refs(const wk_core_module *m);
#endif
