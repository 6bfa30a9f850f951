/* Internal (lib/encode): per-opcode tables indexed by enum wk_opi, built
 * from WK_OPCODES in insn.c. */
#ifndef WK_ENCODE_INSN_TABLES_H
#define WK_ENCODE_INSN_TABLES_H
#include <stdint.h>
#include "encode/opcodes.h"
extern const uint16_t wk_opi_op[WK_OPI_COUNT];
extern const uint8_t wk_opi_imm[WK_OPI_COUNT];
/* (wk_opi_text, wk_opi_sig, wk_opi_aux: public, encode.h) */
#endif
