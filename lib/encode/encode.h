/*
 * lib/encode — the WebAssembly binary format: core modules and components.
 * decode ⇄ in-memory model ⇄ encode, validation.
 *
 * (The core-module model, decoder, encoder and validator are being written:
 * this header grows with them. The value-type codes below are shared with
 * lib/interp and must keep their binary encodings.)
 */
#ifndef WK_ENCODE_H
#define WK_ENCODE_H
#include "base/base.h"
#include "encode/sections.h"
#include "encode/component.h" /* components: see that header */

/* Core spec 5.3.1-5.3.3: value types by their binary encoding. */
typedef enum wk_valtype {
  WK_I32 = 0x7f,
  WK_I64 = 0x7e,
  WK_F32 = 0x7d,
  WK_F64 = 0x7c,
  WK_V128 = 0x7b,
  WK_FUNCREF = 0x70,
  WK_EXTERNREF = 0x6f,
} wk_valtype;

/* Core spec 5.5.5 import/export descriptors: extern kinds by binary encoding. */
typedef enum wk_externkind {
  WK_EXTERN_FUNC = 0,
  WK_EXTERN_TABLE = 1,
  WK_EXTERN_MEMORY = 2,
  WK_EXTERN_GLOBAL = 3,
} wk_externkind;

#endif
