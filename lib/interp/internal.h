/*
 * lib/interp internal definitions: the translated instruction set (one
 * X-macro table), the module model the translator produces, and the
 * runtime objects. Not a public header.
 *
 * Translated code is an array of 32-bit words. Each instruction is an opcode
 * word followed by operand words: frame slot indices (relative to the frame
 * pointer), inline immediates, and branch targets as absolute word indices
 * into the module's code array. No raw pointers appear in the code, so it is
 * position-independent and can be written to the AOT cache as is.
 */
#ifndef WK_INTERP_INTERNAL_H
#define WK_INTERP_INTERNAL_H

#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>

#include "interp/interp.h"
#include "interp/simd.h"
#include "interp/gc.h"

/* X(name, words): words = total length including the opcode word; 0 = variable (br_table). */
#define WK_IOPS(X)                                                                                 \
  X(UNREACHABLE, 1) X(BR, 2) X(BR_Z, 3) X(BR_NZ, 3) X(BR_TABLE, 0) X(RET, 1)     \
  X(POLL, 1) X(FUEL, 2) X(CALL, 3) X(CALL_IMPORT, 3) X(CALL_INDIRECT, 5) X(COPY, 3) X(CONST32, 3) \
  X(LAZY, 2) /* a function's stub until its first call: LAZY i (defined index), see wk_func_translate */ \
  X(RETURN_CALL, 4) X(RETURN_CALL_IMPORT, 4) X(RETURN_CALL_INDIRECT, 6) /* tail calls (module.c tail_call) */ \
  /* exception handling (module.c try_table_insn): CATCH kind tag dst target, a no-op run in line \
   * (read by the unwinder, exec.c wk_eh_unwind); THROW tag base; THROW_REF slot */                 \
  X(CATCH, 5) X(THROW, 3) X(THROW_REF, 2)                                                           \
  /* typed function references (module.c funcref_insn): CALL_REF base slot; RETURN_CALL_REF base n  \
   * slot; REF_AS_NON_NULL slot (traps on null) */                                                  \
  X(CALL_REF, 3) X(RETURN_CALL_REF, 4) X(REF_AS_NON_NULL, 2)                                        \
  X(CONST64, 4) X(SELECT, 5) X(GGET, 3) X(GSET, 3)                                                \
  /* compare + branch: a b target */                                                             \
  X(BR_I32_EQ, 4) X(BR_I32_NE, 4) X(BR_I32_LT_S, 4) X(BR_I32_LT_U, 4) X(BR_I32_GT_S, 4)           \
  X(BR_I32_GT_U, 4) X(BR_I32_LE_S, 4) X(BR_I32_LE_U, 4) X(BR_I32_GE_S, 4) X(BR_I32_GE_U, 4)       \
  X(BR_I32_EQ_I, 4) X(BR_I32_NE_I, 4) X(BR_I32_LT_S_I, 4) X(BR_I32_LT_U_I, 4) X(BR_I32_GT_S_I, 4) \
  X(BR_I32_GT_U_I, 4) X(BR_I32_LE_S_I, 4) X(BR_I32_LE_U_I, 4) X(BR_I32_GE_S_I, 4)                 \
  X(BR_I32_GE_U_I, 4) X(BR_I64_EQ, 4) X(BR_I64_NE, 4) X(BR_I64_LT_S, 4) X(BR_I64_LT_U, 4)         \
  X(BR_I64_GT_S, 4) X(BR_I64_GT_U, 4) X(BR_I64_LE_S, 4) X(BR_I64_LE_U, 4) X(BR_I64_GE_S, 4)       \
  X(BR_I64_GE_U, 4) X(BR_I64_Z, 3) X(BR_I64_NZ, 3)                                                \
  /* loads: d addr offset ; stores: addr value offset */                                         \
  X(LD_I32, 4) X(LD_I64, 4) X(LD_I32_8S, 4) X(LD_I32_8U, 4) X(LD_I32_16S, 4) X(LD_I32_16U, 4)     \
  X(LD_I64_8S, 4) X(LD_I64_8U, 4) X(LD_I64_16S, 4) X(LD_I64_16U, 4) X(LD_I64_32S, 4)              \
  X(LD_I64_32U, 4) X(ST_I32, 4) X(ST_I64, 4) X(ST_8, 4) X(ST_16, 4)                               \
  X(MEM_SIZE, 2) X(MEM_GROW, 3) X(MEM_FILL, 4) X(MEM_COPY, 4) X(MEM_INIT, 5) X(DATA_DROP, 2)      \
  X(TABLE_GET, 4) X(TABLE_SET, 4) X(TABLE_SIZE, 3) X(TABLE_GROW, 5) X(TABLE_FILL, 5)              \
  X(TABLE_COPY, 6) X(TABLE_INIT, 6) X(ELEM_DROP, 2) X(REF_FUNC, 3)                                \
  /* binary: d a b */                                                                            \
  X(I32_ADD, 4) X(I32_SUB, 4) X(I32_MUL, 4) X(I32_DIV_S, 4) X(I32_DIV_U, 4) X(I32_REM_S, 4)       \
  X(I32_REM_U, 4) X(I32_AND, 4) X(I32_OR, 4) X(I32_XOR, 4) X(I32_SHL, 4) X(I32_SHR_S, 4)          \
  X(I32_SHR_U, 4) X(I32_ROTL, 4) X(I32_ROTR, 4) X(I32_EQ, 4) X(I32_NE, 4) X(I32_LT_S, 4)          \
  X(I32_LT_U, 4) X(I32_GT_S, 4) X(I32_GT_U, 4) X(I32_LE_S, 4) X(I32_LE_U, 4) X(I32_GE_S, 4)       \
  X(I32_GE_U, 4) X(I64_ADD, 4) X(I64_SUB, 4) X(I64_MUL, 4) X(I64_DIV_S, 4) X(I64_DIV_U, 4)        \
  X(I64_REM_S, 4) X(I64_REM_U, 4) X(I64_AND, 4) X(I64_OR, 4) X(I64_XOR, 4) X(I64_SHL, 4)          \
  X(I64_SHR_S, 4) X(I64_SHR_U, 4) X(I64_ROTL, 4) X(I64_ROTR, 4) X(I64_EQ, 4) X(I64_NE, 4)         \
  X(I64_LT_S, 4) X(I64_LT_U, 4) X(I64_GT_S, 4) X(I64_GT_U, 4) X(I64_LE_S, 4) X(I64_LE_U, 4)       \
  X(I64_GE_S, 4) X(I64_GE_U, 4) X(F32_ADD, 4) X(F32_SUB, 4) X(F32_MUL, 4) X(F32_DIV, 4)           \
  X(F32_MIN, 4) X(F32_MAX, 4) X(F32_COPYSIGN, 4) X(F32_EQ, 4) X(F32_NE, 4) X(F32_LT, 4)           \
  X(F32_GT, 4) X(F32_LE, 4) X(F32_GE, 4) X(F64_ADD, 4) X(F64_SUB, 4) X(F64_MUL, 4) X(F64_DIV, 4)  \
  X(F64_MIN, 4) X(F64_MAX, 4) X(F64_COPYSIGN, 4) X(F64_EQ, 4) X(F64_NE, 4) X(F64_LT, 4)           \
  X(F64_GT, 4) X(F64_LE, 4) X(F64_GE, 4)                                                         \
  /* binary with a 32-bit immediate: d a imm */                                                  \
  X(I32_ADD_I, 4) X(I32_MUL_I, 4) X(I32_AND_I, 4) X(I32_OR_I, 4) X(I32_XOR_I, 4) X(I32_SHL_I, 4)  \
  X(I32_SHR_S_I, 4) X(I32_SHR_U_I, 4) X(I32_EQ_I, 4) X(I32_NE_I, 4) X(I32_LT_S_I, 4)              \
  X(I32_LT_U_I, 4) X(I32_GT_S_I, 4) X(I32_GT_U_I, 4) X(I32_LE_S_I, 4) X(I32_LE_U_I, 4)            \
  X(I32_GE_S_I, 4) X(I32_GE_U_I, 4) X(I64_ADD_I, 4) X(I64_AND_I, 4) X(I64_SHL_I, 4)               \
  X(I64_SHR_S_I, 4) X(I64_SHR_U_I, 4) X(I32_ROTL_I, 4) X(I32_ROTR_I, 4) X(I64_ROTL_I, 4)          \
  X(I64_ROTR_I, 4) X(COPY2, 5) X(BR_POLL, 2) X(RET1, 2)                                          \
  /* address arithmetic fused into loads/stores: d = a + (b << k); LD d base idx k off;         \
   * ST base idx k value off; LD_*_ADD d a b off (address a + b); ST_*_ADD a b value off */       \
  X(I32_ADD_SHL, 5) X(LD_I32_IDX, 6) X(LD_I64_IDX, 6) X(ST_I32_IDX, 6) X(ST_I64_IDX, 6)           \
  X(LD_I32_ADD, 5) X(LD_I64_ADD, 5) X(ST_I32_ADD, 5) X(ST_I64_ADD, 5)                             \
  /* address a + imm (i32 wrap) + off: LD d a imm off; ST a imm value off */                      \
  X(LD_I32_ADDI, 5) X(LD_I64_ADDI, 5) X(ST_I32_ADDI, 5) X(ST_I64_ADDI, 5)                         \
  /* add chains through a temporary: d = a + b + c; d = a + b + imm */                           \
  X(I32_XOR_ROTL, 5) X(I32_XOR_ROTR, 5) /* d a b k: a ^ rot(b, k) */                          \
  X(I32_RSUB_I, 4) /* d a imm: imm - a */ X(I32_SHR_U_AND_I, 5) /* d a k mask: (a >> k) & mask */ X(I32_MULADD, 5) /* d a b c: a + b * c */ \
  X(I32_ADD3, 5) X(I32_ADD_ADDI, 5) X(COPY_BR, 4) X(COPY_BR_POLL, 4) /* d s target */         \
  /* loop counters: d = a + imm; branch if d <cmp> b (b a slot or an immediate): d a imm b target */ \
  X(ADDI_BR_NE_I, 6) X(ADDI_BR_GT_U_I, 6) X(ADDI_BR_LT_U_I, 6) X(ADDI_BR_GT_S_I, 6)               \
  X(ADDI_BR_NE, 6) X(ADDI_BR_GE_S, 6)                                                             \
  /* narrow loads at a + imm + off: d a imm off */                                               \
  X(LD_I32_8S_ADDI, 5) X(LD_I32_8U_ADDI, 5) X(LD_I32_16S_ADDI, 5) X(LD_I32_16U_ADDI, 5)                                                     \
  /* d = a + b * c, both operations rounded (no fma): d a b c */                                  \
  X(F64_MULADD, 5) X(ST_F64_MULADD, 6) /* ST_F64_MULADD addr a b c off: store a + b * c */         \
  /* unary: d a */                                                                               \
  X(I32_EQZ, 3) X(I32_CLZ, 3) X(I32_CTZ, 3) X(I32_POPCNT, 3) X(I32_EXT8, 3) X(I32_EXT16, 3)       \
  X(I64_EQZ, 3) X(I64_CLZ, 3) X(I64_CTZ, 3) X(I64_POPCNT, 3) X(I64_EXT8, 3) X(I64_EXT16, 3)       \
  X(I64_EXT32, 3) X(F32_ABS, 3) X(F32_NEG, 3) X(F32_CEIL, 3) X(F32_FLOOR, 3) X(F32_TRUNC, 3)      \
  X(F32_NEAREST, 3) X(F32_SQRT, 3) X(F64_ABS, 3) X(F64_NEG, 3) X(F64_CEIL, 3) X(F64_FLOOR, 3)     \
  X(F64_TRUNC, 3) X(F64_NEAREST, 3) X(F64_SQRT, 3) X(I32_WRAP, 3) X(I32_TRUNC_F32_S, 3)           \
  X(I32_TRUNC_F32_U, 3) X(I32_TRUNC_F64_S, 3) X(I32_TRUNC_F64_U, 3) X(I64_EXTEND_S, 3)            \
  X(I64_EXTEND_U, 3) X(I64_TRUNC_F32_S, 3) X(I64_TRUNC_F32_U, 3) X(I64_TRUNC_F64_S, 3)            \
  X(I64_TRUNC_F64_U, 3) X(F32_CONV_I32_S, 3) X(F32_CONV_I32_U, 3) X(F32_CONV_I64_S, 3)            \
  X(F32_CONV_I64_U, 3) X(F32_DEMOTE, 3) X(F64_CONV_I32_S, 3) X(F64_CONV_I32_U, 3)                 \
  X(F64_CONV_I64_S, 3) X(F64_CONV_I64_U, 3) X(F64_PROMOTE, 3) X(I32_TRUNC_SAT_F32_S, 3)           \
  X(I32_TRUNC_SAT_F32_U, 3) X(I32_TRUNC_SAT_F64_S, 3) X(I32_TRUNC_SAT_F64_U, 3)                   \
  X(I64_TRUNC_SAT_F32_S, 3) X(I64_TRUNC_SAT_F32_U, 3) X(I64_TRUNC_SAT_F64_S, 3)                   \
  X(I64_TRUNC_SAT_F64_U, 3)                                                                       \
  /* superinstructions A__B: A then B in one dispatch (see WK_PAIRS) */                          \
  X(I32_ADD_I__I32_ADD_I, 4) X(ST_F64_MULADD__I32_ADD_I, 6) X(I32_ADD_I__CALL, 4) \
  X(I32_ADD__RET1, 4) X(I32_ADD__ADDI_BR_GT_U_I, 4) X(I32_ADD_I__ADDI_BR_NE, 4) \
  X(LD_I64_ADDI__ST_F64_MULADD, 5) X(LD_I64__ST_F64_MULADD, 4) X(LD_I64__LD_I64_ADDI, 4) \
  X(LD_I64__LD_I64, 4) X(I32_ADD_I__LD_I64, 4) X(I32_SHR_U_I__I32_AND_I, 4) \
  X(I32_ADD__I32_ADD_I, 4) X(LD_I32__BR_NZ, 4) X(I32_ROTL_I__I32_XOR_ROTL, 4) \
  X(COPY__LD_I32_IDX, 3) X(I32_ADD_I__LD_I32, 4) X(LD_I32_8U__BR_Z, 4) \
  X(ST_I32__COPY, 4) X(COPY2__COPY2, 5) X(I32_SHR_U_I__I32_XOR, 4) \
  X(CONST32__SELECT, 3) X(LD_I32_16S__LD_I32_16S, 4) X(LD_I32__I32_ADD_I, 4) \
  X(I32_ADD_I__I32_AND_I, 4) X(CONST32__BR_I32_LT_S_I, 3) X(COPY__LD_I32, 3) \
  X(LD_I32__ST_I32, 4) X(I32_ADD_I__ST_I32, 4) X(CONST32__CONST32, 3) \
  X(I32_ADD_I__COPY2, 4) X(COPY__BR_NZ, 3) X(ST_I32__I32_ADD_I, 4) \
  X(I32_ADD3__I32_ADD, 5) X(COPY2__COPY_BR_POLL, 5) X(I32_XOR_ROTL__I32_XOR_ROTL, 5) \
  X(LD_I32__LD_I32_8U, 4) X(I32_SHL_I__I32_SHR_S_I, 4) X(ST_I32__COPY2, 4) \
  X(CONST32__COPY, 3) X(ST_I32__I32_ADD, 4) X(I32_GT_S__SELECT, 4) \
  X(LD_I32_IDX__COPY, 6) X(SELECT__ST_I32, 5) X(LD_I32_IDX__I32_GT_S, 6) \
  X(I32_LE_U__BR_NZ, 4) X(I32_LE_S__I32_ADD, 4) X(I32_ADD_I__I32_LE_S, 4) \
  X(I32_ADD__I32_LE_U, 4) X(LD_I32_16S__BR_I32_LE_S, 4) X(I32_AND_I__I32_SHR_U_I, 4) \
  X(I32_ADD_I__LD_I32_8U, 4) X(SELECT__I32_SHR_U_I, 5) X(I32_AND_I__I32_XOR_I, 4) \
  X(COPY__BR_I32_NE_I, 3) X(I32_AND_I__SELECT, 4) X(I32_ADD__I32_ADD, 4) \
  X(LD_I32_ADDI__I32_ROTL_I, 5) X(I32_XOR_ROTL__I32_SHR_U_I, 5) X(I32_ADD_I__I32_SHR_U_I, 4) \
  X(I32_XOR__I32_AND_I, 4) X(CONST32__I32_SUB, 3) X(I32_ADD_I__BR_NZ, 4) \
  X(CONST32__I32_ADD_I, 3) X(I32_XOR_I__I32_SHR_U_I, 4) X(LD_I32_16S__I32_MUL, 4) \
  X(I32_AND_I__BR_I32_EQ, 4) X(COPY2__LD_I32, 5) X(I32_MUL_I__I32_ADD_I, 4) \
  X(I32_ADD_I__I32_ADD, 4) X(COPY2__I32_SHR_U_I, 5) X(I32_ADD_I__COPY, 4) \
  X(BR_I32_LT_U_I__I32_ADD_I, 4) X(BR_NZ__LD_I32, 3) X(BR_I32_LT_U_I__I32_ADD, 4) \
  X(BR_I32_EQ_I__BR_TABLE, 4) X(BR_I32_LE_S__I32_ADD_I, 4) X(BR_NZ__COPY, 3) \
  X(BR_I32_LT_S_I__CONST32, 4) X(BR_NZ__ST_I32, 3) X(BR_I32_GT_S_I__BR_Z, 4) \
  X(BR_Z__BR_Z, 3) X(BR_Z__LD_I32_16S, 3) X(BR_NZ__BR_I32_GT_S, 3) \
  X(BR_Z__COPY, 3) X(BR_I32_GT_S__COPY, 4) X(BR_NZ__I32_ADD_I, 3) \
  X(BR_I32_NE_I__BR_I32_EQ_I, 4) X(BR_I32_EQ__LD_I32, 4) X(BR_Z__LD_I32, 3) \
  X(BR_NZ__LD_I32_16U, 3) X(LD_I32_16U__I32_AND_I, 4) X(LD_I32_8U__I32_AND_I, 4) \
  X(I32_ADD__I32_XOR_I, 4) X(I32_MULADD__I32_ADD_I, 5) X(LD_I32__LD_I32_16U, 4) \
  X(I32_ADD_I__BR_POLL, 4) X(BR_Z__BR_I32_EQ_I, 3) X(I32_ADD__I32_XOR, 4) \
  X(LD_I32_16U__LD_I32_16U, 4) X(LD_I32_16U__I32_MUL, 4) X(I32_MUL__COPY2, 4) \
  X(I32_AND_I__I32_MULADD, 4) X(LD_I32__ADDI_BR_GE_S, 4) X(I32_EQ_I__BR_NZ, 4) \
  X(LD_I32_ADDI__I32_AND, 5) X(I32_XOR_ROTL__I32_ADD3, 5) X(I32_XOR_ROTL__I32_ADD, 5) \
  X(I32_XOR_I__I32_AND, 4) X(I32_XOR__I32_ROTL_I, 4) X(I32_XOR__I32_AND, 4) \
  X(I32_AND__I32_XOR, 4) X(I32_AND__I32_ROTL_I, 4) X(I32_AND__I32_AND, 4) \
  X(I32_AND__I32_ADD3, 4) X(I32_ADD__I32_EQ_I, 4) X(LD_I32_ADD__I32_ADD_I, 5) \
  X(COPY2__BR_POLL, 5) X(BR_NZ__LD_I32_ADD, 3) X(I32_AND_I__I32_XOR, 4) \
  X(I32_XOR__BR_Z, 4) X(I32_SHR_U_I__ST_8, 4) X(I32_ADD__ST_I32, 4) \
  X(SELECT__I32_ADD, 5) X(LD_I32__BR_I32_LT_S, 4) X(I32_AND_I__BR_I32_GE_U_I, 4) \
  X(COPY__BR_I32_GT_S, 3) X(BR_I32_GT_S__I32_ADD_I, 4) X(BR_I32_LT_S__I32_ADD_I, 4) \
  X(I32_EQ_I__CONST32, 4) X(ST_8__I32_ADD_I, 4) X(I32_ADD_I__I32_MUL_I, 4) \
  X(SELECT__I32_SHR_U_AND_I, 5) X(I32_SHR_U_AND_I__I32_XOR_I, 5) X(I32_SHR_U_AND_I__I32_SHR_U_AND_I, 5) \
  X(I32_SHR_U_AND_I__I32_MULADD, 5) X(COPY2__I32_SHR_U_AND_I, 5) X(BR_I32_EQ_I__CONST32, 4) \
  X(COPY__CALL, 3) X(LD_I32_8U__BR_NZ, 4) X(BR_I32_GE_U_I__I32_ADD_I, 4) \
  X(LD_I32__COPY_BR, 4) X(I32_ADD_I__LD_I32_ADDI, 4) X(I32_MUL__I32_ADD, 4) \
  X(LD_I32_ADDI__LD_I32_ADDI, 5) X(I32_XOR__I32_ADD3, 4) X(I32_XOR__I32_ADD, 4) \
  X(I32_ADD3__LD_I32_ADDI, 5) X(COPY__ADDI_BR_NE_I, 3) X(COPY__I32_AND_I, 3) \
  X(COPY2__COPY, 5) X(ST_16__I32_ADD_I, 4) X(I32_AND_I__BR_Z, 4) \
  X(I32_GT_S__CONST32, 4) X(I32_ADD__I32_GT_S, 4) X(COPY__I32_ADD_I, 3) \
  X(SELECT__I32_ADD_I, 5) X(I32_ADD__LD_I32_16S_ADDI, 4) X(BR_Z__I32_AND_I, 3) \
  X(LD_I32_16S_ADDI__I32_MUL, 5) X(I32_AND_I__I32_LT_U_I, 4) X(I32_ADD_I__ADDI_BR_NE_I, 4) \
  X(LD_I64_ADDI__ST_I64, 5) X(I32_ADD_I__LD_I64_ADDI, 4) X(I32_AND_I__BR_I32_GT_U_I, 4) \
  X(I32_ADD__ST_16, 4) X(SELECT__RET1, 5)                                                          \
  /* superinstructions A__B__C (see WK_TRIPLES) */                                               \
  WK_TRIPLES(WK_TRIPLE_IOP, X)                                                                     \
  /* SIMD (simd.h): one opcode per v128 instruction, v128 globals */                           \
  WK_SIMD_IOPS(X)                                                                                  \
  /* WebAssembly 3.0 memories (xmem_loop.h): any memory index, i32 or i64 addresses, explicit   \
   * bounds checks in both loops. XLD d a kind mem off_lo off_hi; XST a v kind mem off_lo off_hi \
   * (kind: XM_* width/extension, | XM_A64 for an i64 address); XMEM_SIZE d mem;                 \
   * XMEM_GROW d n mem; XMEM_FILL d v n mem; XMEM_COPY d s n dmem smem; XMEM_INIT seg d s n mem */ \
  X(XLD, 7) X(XST, 7) X(XMEM_SIZE, 3) X(XMEM_GROW, 4) X(XMEM_FILL, 5) X(XMEM_COPY, 6) X(XMEM_INIT, 6) \
  /* a SIMD access to memory m: XV_PRE d a m off_lo off_hi n (check [a + off, + n), point the     \
   * loop's memory register there, d = 0), the SIMD instruction at address d, XV_POST (memory 0) */ \
  X(XV_PRE, 7) X(XV_POST, 1)                                                                      \
  /* table64: d = min(a, 0xffffffff), an i64 index or count for a 2.0 table instruction (tables  \
   * stay below 2^32 entries, so a clamped value is out of bounds exactly when the i64 one is) */   \
  X(CLAMP64, 3)                                                                                    \
  /* WebAssembly 3.0 GC (gc.h, gc_loop_int.h): GC sub d a imm1 imm2 live, sub a GS_ / GA_ / G_ \
   * operation, operands in consecutive slots from a, live: the frame's live slots (GC roots) */  \
  X(GC, 7)

/* XLD/XST kinds: the access's width and extension (loads) or width (stores) */
enum {
  XM_I32, XM_I64, XM_I32_8S, XM_I32_8U, XM_I32_16S, XM_I32_16U, XM_I64_8S, XM_I64_8U, XM_I64_16S,
  XM_I64_16U, XM_I64_32S, XM_I64_32U, XM_8, XM_16, XM_32, XM_64,
  XM_A64 = 0x100 /* the address operand is an i64 (memory64) */
};

/* Chained superinstructions (module.c chain_code, after pair_code): where a pair A__B is directly
 * followed by C (any instruction: a pair, or a chained one, so chains run on), A__B's opcode word
 * becomes A__B__C: A and B run, then C's handler by a direct jump (B and C keep their words, so
 * branches to them and code walkers work as for a pair; A__B__C has A's length, the last field).
 * A and B are straight-line instructions or conditional branches with a body in loop.h (PB_A, PB_B).
 * The list: the most frequent (A__B, C) fall-through successions left after pairing (WK_PAIRS,
 * below), from dispatch counts of the bench workloads: CoreMark's list, state-machine, crc and
 * matrix loops, sort's merge and partition loops, coremix, sha256's rounds, fib's call/return,
 * matmul's axpy loop c[j] += a * b[j], flite's runs of compare-and-branch on constants (a run of
 * one pair chains to the next pair: every other one of the run costs no dispatch). */
#define WK_TRIPLE_IOP(X, a, b, c, w) X(a##__##b##__##c, w)
#define WK_TRIPLES(T, X) \
  T(X, LD_I64, LD_I64, ST_F64_MULADD__I32_ADD_I, 4) \
  T(X, LD_I64, LD_I64_ADDI, ST_F64_MULADD__I32_ADD_I, 4) \
  T(X, COPY, LD_I32, ST_I32__COPY__BR_NZ, 3) \
  T(X, ST_I32, COPY, BR_NZ, 4) \
  T(X, LD_I32_8U, BR_Z, COPY__BR_I32_NE_I, 4) \
  T(X, I32_XOR_I, I32_SHR_U_I, I32_XOR__I32_AND_I__SELECT__I32_SHR_U_AND_I, 4) \
  T(X, I32_XOR, I32_AND_I, SELECT__I32_SHR_U_AND_I, 4) \
  T(X, LD_I32_16U, LD_I32_16U, I32_MUL__COPY2__I32_SHR_U_AND_I__I32_SHR_U_AND_I, 4) \
  T(X, I32_MUL, COPY2, I32_SHR_U_AND_I__I32_SHR_U_AND_I, 4) \
  T(X, I32_MULADD, I32_ADD_I, I32_ADD__I32_ADD_I__BR_NZ, 5) \
  T(X, I32_ADD, I32_ADD_I, BR_NZ, 4) \
  T(X, LD_I32, LD_I32_16U, I32_AND_I__BR_I32_EQ__LD_I32__BR_NZ, 4) \
  T(X, I32_AND_I, BR_I32_EQ, LD_I32__BR_NZ, 4) \
  T(X, LD_I32, LD_I32_8U, I32_AND_I__I32_XOR__BR_Z__LD_I32__BR_NZ, 4) \
  T(X, I32_AND_I, I32_XOR, BR_Z__LD_I32__BR_NZ, 4) \
  T(X, I32_ADD_I, I32_AND_I, BR_I32_GE_U_I, 4) \
  T(X, BR_I32_EQ_I, CONST32, I32_ADD_I__I32_AND_I__BR_I32_GE_U_I, 4) \
  T(X, ST_I32, I32_ADD_I, LD_I32_8U__BR_Z__COPY__BR_I32_NE_I, 4) \
  T(X, LD_I32_IDX, COPY, LD_I32_IDX__I32_GT_S__SELECT__ST_I32, 6) \
  T(X, LD_I32_IDX, I32_GT_S, SELECT__ST_I32, 6) \
  T(X, I32_ADD, I32_ADD_I, I32_ADD_I__I32_LE_S__I32_ADD__I32_LE_U, 4) \
  T(X, I32_ADD_I, I32_LE_S, I32_ADD__I32_LE_U, 4) \
  T(X, I32_ADD_I, I32_ADD_I, LD_I32__BR_I32_LT_S, 4) \
  T(X, I32_ADD_I, COPY, BR_I32_GT_S__I32_ADD_I, 4) \
  T(X, ST_I32, COPY2, COPY_BR_POLL, 4) \
  T(X, LD_I32_16S, LD_I32_16S, BR_I32_LE_S__I32_ADD_I, 4) \
  T(X, BR_Z, BR_Z, LD_I32_16S__LD_I32_16S__BR_I32_LE_S__I32_ADD_I, 3) \
  T(X, LD_I32, BR_NZ, ST_I32__COPY2__COPY_BR_POLL, 4) \
  T(X, I32_ROTL_I, I32_XOR_ROTL, I32_SHR_U_I__I32_XOR, 4) \
  T(X, BR_I32_LT_U_I, I32_ADD_I, CALL, 4) \
  T(X, BR_I32_LT_U_I, I32_ADD_I, RET1, 4) \
  T(X, CONST32, BR_I32_LT_S_I, CONST32__BR_I32_LT_S_I, 3) \
  T(X, BR_Z, LD_I32, BR_NZ, 3) \
  T(X, CONST32, SELECT, I32_ADD__I32_GT_S, 3) \
  T(X, I32_ADD, I32_GT_S, CONST32__SELECT__I32_ADD__I32_GT_S, 4) \
  T(X, I32_ADD, I32_GT_S, CONST32__SELECT, 4) \
  T(X, LD_I32_16S, LD_I32_16S, I32_MUL__I32_ADD__I32_ADD, 4) \
  T(X, I32_MUL, I32_ADD, I32_ADD, 4) \
  T(X, LD_I32, I32_ADD_I, ST_I32__I32_ADD_I__LD_I32_8U__BR_Z__COPY__BR_I32_NE_I, 4) \
  T(X, LD_I32, I32_ADD_I, ST_I32, 4) \
  T(X, I32_ADD_I, I32_AND_I, BR_I32_GT_U_I, 4) \
  T(X, CONST32, COPY, BR_I32_EQ_I__CONST32__I32_ADD_I__I32_AND_I__BR_I32_GE_U_I, 3) \
  T(X, CONST32, COPY, I32_ADD_I__I32_AND_I__BR_I32_GT_U_I, 3) \
  T(X, CONST32, COPY, I32_AND_I, 3) \
  T(X, LD_I32, LD_I32_8U, BR_NZ__ST_I32__I32_ADD_I, 4) \
  T(X, BR_NZ, ST_I32, I32_ADD_I, 3) \
  T(X, I32_ADD_I, I32_ADD_I, I32_ADD_I__I32_ADD_I__I32_ADD_I__CALL, 4) \
  T(X, I32_ADD_I, I32_ADD_I, I32_ADD_I__CALL, 4)
enum wk_iop {
#define WK_X(n, w) IOP_##n,
  WK_IOPS(WK_X)
#undef WK_X
      IOP__COUNT
};
/* WK_OPCODES' IOP column (lib/encode/opcodes.h) for a wasm instruction that becomes no one internal
 * instruction (control flow, locals, constants: the translator has a case of its own for it) */
#define IOP_NA UINT16_MAX
/* Superinstructions (module.c pair_code): where B follows A in straight-line code, A's opcode word
 * becomes A__B, whose handler runs A, then B, then dispatches once. B's words stay in place, so a
 * branch to B still runs B alone, and A__B has A's length, so code walkers step from A to B as
 * before. A is one of the straight-line instructions with a body in loop.h (PB_A); B is any
 * instruction, reached by a direct jump to its handler. A may be a conditional branch: when it is
 * taken, the pair dispatches as usual; when it falls through, B is reached directly. The list: the most frequent adjacent
 * pairs of CoreMark (weight 2), the bench kernels and flite, each weighted by its share of the
 * workload's dispatches (a WK_PROFILE -DWK_NO_PAIRS build counts them). */
#define WK_PAIRS(P) \
  P(I32_ADD_I, I32_ADD_I) P(ST_F64_MULADD, I32_ADD_I) P(I32_ADD_I, CALL) P(I32_ADD, RET1) \
  P(I32_ADD, ADDI_BR_GT_U_I) P(I32_ADD_I, ADDI_BR_NE) P(LD_I64_ADDI, ST_F64_MULADD) P(LD_I64, ST_F64_MULADD) \
  P(LD_I64, LD_I64_ADDI) P(LD_I64, LD_I64) P(I32_ADD_I, LD_I64) P(I32_SHR_U_I, I32_AND_I) \
  P(I32_ADD, I32_ADD_I) P(LD_I32, BR_NZ) P(I32_ROTL_I, I32_XOR_ROTL) P(COPY, LD_I32_IDX) \
  P(I32_ADD_I, LD_I32) P(LD_I32_8U, BR_Z) P(ST_I32, COPY) P(COPY2, COPY2) \
  P(I32_SHR_U_I, I32_XOR) P(CONST32, SELECT) P(LD_I32_16S, LD_I32_16S) P(LD_I32, I32_ADD_I) \
  P(I32_ADD_I, I32_AND_I) P(CONST32, BR_I32_LT_S_I) P(COPY, LD_I32) P(LD_I32, ST_I32) \
  P(I32_ADD_I, ST_I32) P(CONST32, CONST32) P(I32_ADD_I, COPY2) P(COPY, BR_NZ) \
  P(ST_I32, I32_ADD_I) P(I32_ADD3, I32_ADD) P(COPY2, COPY_BR_POLL) P(I32_XOR_ROTL, I32_XOR_ROTL) \
  P(LD_I32, LD_I32_8U) P(I32_SHL_I, I32_SHR_S_I) P(ST_I32, COPY2) P(CONST32, COPY) \
  P(ST_I32, I32_ADD) P(I32_GT_S, SELECT) P(LD_I32_IDX, COPY) P(SELECT, ST_I32) \
  P(LD_I32_IDX, I32_GT_S) P(I32_LE_U, BR_NZ) P(I32_LE_S, I32_ADD) P(I32_ADD_I, I32_LE_S) \
  P(I32_ADD, I32_LE_U) P(LD_I32_16S, BR_I32_LE_S) P(I32_AND_I, I32_SHR_U_I) P(I32_ADD_I, LD_I32_8U) \
  P(SELECT, I32_SHR_U_I) P(I32_AND_I, I32_XOR_I) P(COPY, BR_I32_NE_I) P(I32_AND_I, SELECT) \
  P(I32_ADD, I32_ADD) P(LD_I32_ADDI, I32_ROTL_I) P(I32_XOR_ROTL, I32_SHR_U_I) P(I32_ADD_I, I32_SHR_U_I) \
  P(I32_XOR, I32_AND_I) P(CONST32, I32_SUB) P(I32_ADD_I, BR_NZ) P(CONST32, I32_ADD_I) \
  P(I32_XOR_I, I32_SHR_U_I) P(LD_I32_16S, I32_MUL) P(I32_AND_I, BR_I32_EQ) P(COPY2, LD_I32) \
  P(I32_MUL_I, I32_ADD_I) P(I32_ADD_I, I32_ADD) P(COPY2, I32_SHR_U_I) P(I32_ADD_I, COPY) \
  P(BR_I32_LT_U_I, I32_ADD_I) P(BR_NZ, LD_I32) P(BR_I32_LT_U_I, I32_ADD) P(BR_I32_EQ_I, BR_TABLE) \
  P(BR_I32_LE_S, I32_ADD_I) P(BR_NZ, COPY) P(BR_I32_LT_S_I, CONST32) P(BR_NZ, ST_I32) \
  P(BR_I32_GT_S_I, BR_Z) P(BR_Z, BR_Z) P(BR_Z, LD_I32_16S) P(BR_NZ, BR_I32_GT_S) \
  P(BR_Z, COPY) P(BR_I32_GT_S, COPY) P(BR_NZ, I32_ADD_I) P(BR_I32_NE_I, BR_I32_EQ_I) \
  P(BR_I32_EQ, LD_I32) P(BR_Z, LD_I32) P(BR_NZ, LD_I32_16U) P(LD_I32_16U, I32_AND_I) \
  P(LD_I32_8U, I32_AND_I) P(I32_ADD, I32_XOR_I) P(I32_MULADD, I32_ADD_I) P(LD_I32, LD_I32_16U) \
  P(I32_ADD_I, BR_POLL) P(BR_Z, BR_I32_EQ_I) P(I32_ADD, I32_XOR) P(LD_I32_16U, LD_I32_16U) \
  P(LD_I32_16U, I32_MUL) P(I32_MUL, COPY2) P(I32_AND_I, I32_MULADD) P(LD_I32, ADDI_BR_GE_S) \
  P(I32_EQ_I, BR_NZ) P(LD_I32_ADDI, I32_AND) P(I32_XOR_ROTL, I32_ADD3) P(I32_XOR_ROTL, I32_ADD) \
  P(I32_XOR_I, I32_AND) P(I32_XOR, I32_ROTL_I) P(I32_XOR, I32_AND) P(I32_AND, I32_XOR) \
  P(I32_AND, I32_ROTL_I) P(I32_AND, I32_AND) P(I32_AND, I32_ADD3) P(I32_ADD, I32_EQ_I) \
  P(LD_I32_ADD, I32_ADD_I) P(COPY2, BR_POLL) P(BR_NZ, LD_I32_ADD) P(I32_AND_I, I32_XOR) \
  P(I32_XOR, BR_Z) P(I32_SHR_U_I, ST_8) P(I32_ADD, ST_I32) P(SELECT, I32_ADD) \
  P(LD_I32, BR_I32_LT_S) P(I32_AND_I, BR_I32_GE_U_I) P(COPY, BR_I32_GT_S) P(BR_I32_GT_S, I32_ADD_I) \
  P(BR_I32_LT_S, I32_ADD_I) P(I32_EQ_I, CONST32) P(ST_8, I32_ADD_I) P(I32_ADD_I, I32_MUL_I) \
  P(SELECT, I32_SHR_U_AND_I) P(I32_SHR_U_AND_I, I32_XOR_I) P(I32_SHR_U_AND_I, I32_SHR_U_AND_I) P(I32_SHR_U_AND_I, I32_MULADD) \
  P(COPY2, I32_SHR_U_AND_I) P(BR_I32_EQ_I, CONST32) P(COPY, CALL) P(LD_I32_8U, BR_NZ) \
  P(BR_I32_GE_U_I, I32_ADD_I) P(LD_I32, COPY_BR) P(I32_ADD_I, LD_I32_ADDI) P(I32_MUL, I32_ADD) \
  P(LD_I32_ADDI, LD_I32_ADDI) P(I32_XOR, I32_ADD3) P(I32_XOR, I32_ADD) P(I32_ADD3, LD_I32_ADDI) \
  P(COPY, ADDI_BR_NE_I) P(COPY, I32_AND_I) P(COPY2, COPY) P(ST_16, I32_ADD_I) \
  P(I32_AND_I, BR_Z) P(I32_GT_S, CONST32) P(I32_ADD, I32_GT_S) P(COPY, I32_ADD_I) \
  P(SELECT, I32_ADD_I) P(I32_ADD, LD_I32_16S_ADDI) P(BR_Z, I32_AND_I) P(LD_I32_16S_ADDI, I32_MUL) \
  P(I32_AND_I, I32_LT_U_I) P(I32_ADD_I, ADDI_BR_NE_I) P(LD_I64_ADDI, ST_I64) P(I32_ADD_I, LD_I64_ADDI) \
  P(I32_AND_I, BR_I32_GT_U_I) P(I32_ADD, ST_16) P(SELECT, RET1)
extern const uint8_t wk_iop_words[IOP__COUNT];
extern const uint16_t wk_iop_pair_first[IOP__COUNT]; /* a superinstruction's A; 0 for other ops */
extern const char *const wk_iop_names[IOP__COUNT];

/* ---- module model ---- */
typedef struct wk_cexpr { /* constant expression (Core spec 3.3.10) */
  uint8_t op;             /* 0x41 i32.const, 0x42, 0x43, 0x44, 0x23 global.get, 0xd0 ref.null, 0xd2 ref.func,
                             WK_CEXPR_EXT: an extended constant expression (below) */
  uint32_t idx;           /* WK_CEXPR_EXT: the length of expr */
  uint64_t bits;
  uint64_t hi; /* v128.const (0xfd): the high 8 bytes; bits holds the low ones */
  const uint8_t *expr; /* WK_CEXPR_EXT: the validated instructions (without the final end), module arena */
} wk_cexpr;
/* Extended constant expression (Core 3.0 3.3.10, extended-const): i32/i64 const, global.get and
 * i32/i64 add, sub, mul, evaluated on a small stack at instantiation (wk_eval_cexpr). */
#define WK_CEXPR_EXT 0x01

typedef struct wk_limits {
  uint64_t min, max; /* memory64 limits are 64-bit (Core 3.0 2.3.10); tables and i32 memories fit 32 */
  int has_max;
  uint8_t is64;      /* memory: address type i64 (memory64) */
} wk_limits;

typedef struct wk_mimport {
  char *module, *name;
  uint8_t kind;
  uint32_t type;   /* func: type index */
  uint8_t vtype;   /* table: elem type; global: value type (a typed reference: its family, wk_vt_family) */
  uint8_t mut;     /* global */
  wk_vt vfull;     /* a typed reference (Core 3.0): the full type (module type indices), else 0 */
  wk_limits lim;   /* table/memory */
} wk_mimport;

/* A try_table (Core 3.0 exception handling) in translated code: a throw at a code word index pc
 * with start <= pc < end is handled by its catch clauses, the CATCH instructions at catch_pc (n of
 * them, 5 words each). Recorded when the try_table closes: inner ones come first. */
typedef struct wk_handler {
  uint32_t start, end, catch_pc, n;
} wk_handler;
/* Legacy exception handling (module.c legacy_eh_insn): a catch x / catch_all clause is one
 * handler (n = 1) whose CATCH has kind WK_ICATCH_LEGACY / WK_ICATCH_ALL_LEGACY: the exnref is
 * written to dst (rethrow's slot), the payload after it. A try ... delegate l is a handler with
 * n = 0: an exception in its range continues the search at handler index (its own +
 * catch_pc), the first handler of the construct label l names, or leaves the function when
 * catch_pc is WK_DELEGATE_CALLER. */
enum { WK_ICATCH_LEGACY = 4, WK_ICATCH_ALL_LEGACY = 5 };
#define WK_DELEGATE_CALLER UINT32_MAX

typedef struct wk_mfunc { /* a defined function */
  uint32_t type;
  uint32_t nlocals;    /* params + declared locals */
  uint32_t frame;      /* slots needed: locals + max operand height */
  uint32_t code;       /* word index of the first instruction */
  uint32_t body_off;   /* byte offset of the body in the module */
  uint32_t nparams;    /* = types[type].nparams, kept here for the call path (not in the cache: derived) */
  /* where a call enters the function, for the guarded [0] and the checked [1] loop: tcode[k] + code,
   * or, in a lazily translated module until the first call, its stub (LAZY i). Written once, under
   * the module's lock, with frame before it; read with WK_ACQ (then frame) on the call path. */
  const uint32_t *tc[2];
} wk_mfunc;
#define WK_ACQ(v) __atomic_load_n(&(v), __ATOMIC_ACQUIRE)
#define WK_RLX(v) __atomic_load_n(&(v), __ATOMIC_RELAXED)

/* Lazy translation: wk_module_new validates every body (Core spec 3.3: the module is valid or
 * rejected before anything runs) and keeps what translation needs; a function is translated on its
 * first call (the LAZY stub, or wk_exec entering it), once, under `lock`, so that a module shared
 * by stores on several threads translates each function exactly once. */
typedef struct wk_fcode { /* one translated function */
  uint32_t *words;   /* n words for the guarded loop, then n for the checked loop */
  uint32_t n;
  uint32_t *srcmap;  /* pairs (word index in the function, byte offset in the module) */
  uint32_t nsrcmap;
  wk_handler *handlers; /* its try_tables (word indices in the function) */
  uint32_t nhandlers;
  uint8_t own; /* words and srcmap are malloc'd (a big function), else in the module's arena */
} wk_fcode;
typedef struct wk_lazy {
  pthread_mutex_t lock;
  uint32_t *stubs[2];     /* per defined function i: words 2i, 2i+1 = LAZY i, per loop */
  const uint8_t *src;     /* a copy of the function bodies' bytes (from the first body to the last) */
  uint32_t src_off;       /* module byte offset of src[0] */
  uint32_t *body_len;     /* per defined function */
  const uint32_t *v128_at; /* sorted module offsets of the drops and untyped selects that take a v128 */
  size_t nv128_at;         /* (the validator's answer, for the translator: module.c operand_v128) */
  uint32_t *ngroups;      /* per defined function: its local groups (Core spec 5.5.13) */
  wk_local_group **groups;
  wk_fcode *fc;           /* per defined function, valid once its tc[0] is not the stub */
  void *scratch;          /* module.c: the translator state of the last translation, its buffers
                           * kept for the next one (under lock) */
} wk_lazy;

typedef struct wk_mtable {
  uint8_t et;      /* the element type's family: WK_FUNCREF / WK_EXTERNREF / WK_EXNREF */
  wk_vt vfull;     /* a typed reference (Core 3.0): the full element type, else 0 */
  wk_limits lim;
  uint8_t has_init; /* Core 3.0 5.5.7 (typed function references): every element starts as `init` */
  wk_cexpr init;
} wk_mtable;
typedef struct wk_mglobal {
  uint8_t type, mut;
  wk_vt vfull;     /* a typed reference (Core 3.0): the full value type, else 0 */
  wk_cexpr init;
} wk_mglobal;
typedef struct wk_mexport {
  char *name;
  uint32_t name_len;
  uint8_t kind;
  uint32_t idx;
} wk_mexport;
enum { SEG_ACTIVE, SEG_PASSIVE, SEG_DECLARATIVE };
typedef struct wk_melem {
  uint8_t mode, et;
  uint32_t table;
  wk_cexpr offset;
  uint32_t n;
  wk_cexpr *items;
} wk_melem;
typedef struct wk_mdata {
  uint8_t mode;
  uint32_t mem;
  wk_cexpr offset;
  uint32_t len;
  const uint8_t *bytes;
  uint32_t src_off; /* file offset of bytes[0] in the module's wasm (the AOT cache re-reads them from there) */
} wk_mdata;

struct wk_module {
  wk_arena arena;
  wk_engine *engine;
  uint32_t ntypes;
  wk_core_functype *types;
  uint8_t *type_v128; /* module.c build: per type, 1 if a param or result is a v128 (two slots);
                         NULL when not known (a module from the AOT cache) */
  uint32_t nimports;
  wk_mimport *imports;
  uint32_t nfuncs, nfunc_imports; /* nfuncs includes imports */
  uint32_t *func_type;            /* per function index */
  wk_mfunc *funcs;                /* defined functions [nfuncs - nfunc_imports] */
  uint32_t ntables, ntable_imports;
  wk_mtable *tables;
  uint32_t nmems, nmem_imports;
  wk_limits *mems;
  uint32_t nglobals, nglobal_imports;
  wk_mglobal *globals;
  uint32_t nexports;
  wk_mexport *exports;
  int has_start;
  uint32_t start;
  uint32_t nelems;
  wk_melem *elems;
  uint32_t ndatas;
  wk_mdata *datas;
  uint8_t *declared_funcs; /* ref.func allowed (Core spec 3.4.10 C.refs) */
  uint32_t *code;     /* translated code, opcode words are enum wk_iop (position-independent) */
  uint32_t *tcode[2]; /* the same, direct-threaded for the guard-page [0] and checked [1] loops
                         ([1] made on first use, see exec.c checked_code; atomic) */
  size_t ncode;
  uint32_t *srcmap; /* pairs (code word index, byte offset), sorted by code index */
  size_t nsrcmap;
  wk_handler *handlers; /* try_tables of `code` (eagerly translated modules), inner ones first */
  uint32_t nhandlers;
  uint32_t ntags, ntag_imports; /* Core 3.0 tags: type index of each (imports first) */
  uint32_t *tag_type;
  wk_gc_deftype *gctypes; /* WebAssembly 3.0 GC: per type (gc.h; module arena), NULL for a module without GC */
  uint8_t gc_elems;       /* GC: an element segment has an item that may allocate (evaluated once, at
                             instantiation, into wk_instance.gc_elems: Core 3.0 4.5.4 "elem") */
  char **func_names; /* per function index, or NULL (a module loaded from the cache); else read
                        through wk_module_func_names */
  /* the "name" custom sections' contents (copies in `arena`), parsed only when names are asked
   * for (a backtrace, the cache): decoding the adapter's function names at every load was ~10K
   * instructions of a component's start-up (callgrind) */
  struct wk_rawsec { const uint8_t *p; uint32_t len; } *name_secs;
  uint32_t nname_secs;
  struct wk_lazy_names *lazy_names; /* what wk_module_func_names built (set once, atomically) */
  wk_lazy *lazy;       /* NULL: every function was translated by wk_module_new (or loaded from the cache) */
  int from_cache;
  void *map;         /* AOT cache hit: the mapped entry; tcode[0] points into it and code is NULL */
  size_t map_len;
  int has_cache_key; /* cache_key names this module's entry (loaded from it or written to it) */
  uint8_t cache_key[32];
};

/* ---- runtime ---- */
struct wk_func {
  wk_core_functype type; /* arrays owned by the module or the store */
  uint32_t type_id; /* store-canonical type id */
  int is_host;
  wk_instance *inst; /* wasm: defining instance */
  uint32_t index;    /* wasm: function index in inst's module */
  wk_host_fn fn;
  void *env;
};

struct wk_memory {
  uint8_t *base;
  uint64_t bytes; /* current size */
  uint32_t pages;
  uint64_t max;   /* pages (memory64: up to 2^48) */
  int has_max;
  uint8_t is64;   /* address type i64 (memory64, Core 3.0 2.3.10) */
  size_t reserved; /* bytes mapped (guard mode) or allocated (checked mode) */
  int guarded;
};

struct wk_table { /* (et, size, elems first: what call_indirect reads, in 16 bytes) */
  uint8_t et;
  uint8_t is64;  /* index type i64 (table64, Core 3.0 2.3.10) */
  uint32_t size;
  void **elems;
  uint64_t max;  /* (table64: up to 2^64 - 1) */
  int has_max;
  wk_vt vt;      /* the element type with a store-level heap type (type index -> store type id), or 0:
                    `et` is all of it (import matching, Core 3.0 typed references) */
};

struct wk_global {
  uint8_t type, mut;
  uint64_t val; /* numeric bits or reference pointer (v128: the low 8 bytes) */
  uint64_t hi;  /* v128: the high 8 bytes (simd.h) */
  wk_vt vt;     /* as wk_table.vt: the full value type at store level, or 0 (`type` is all of it) */
  wk_store *store; /* the owning store (wk_global_set checks typed references against its GC heap) */
};

struct wk_tag {
  wk_core_functype type;
  uint32_t type_id; /* store-canonical: import matching */
};

/* An exception (Core 3.0 "Exception Instances"): its tag and payload in frame slots (a v128
 * takes two). Store-owned (OBJ_BLOB), freed with the store; an exnref slot holds its address. */
typedef struct wk_exn {
  wk_tag *tag;
  uint32_t n;
  uint64_t v[];
} wk_exn;

struct wk_instance {
  wk_store *store;
  const wk_module *m;
  wk_func **funcs;
  wk_table **tables;
  wk_memory **mems;
  wk_global **globals;
  uint32_t *type_ids;
  uint8_t *elem_dropped, *data_dropped;
  wk_tag **tags; /* Core 3.0 tags (imports first) */
  uint64_t **gc_elems; /* GC (wk_module.gc_elems): per element segment its evaluated items, or NULL
                          (wk_eval_ref of such an item reads it here: gc.c wk_gc_elem_value) */
};


typedef struct wk_frame { /* saved caller state in the call stack */
  const uint32_t *ret_ip;
  uint64_t *fp;
  wk_instance *inst; /* (the suspended function is found from ret_ip) */
} wk_frame;

/* The superinstruction lookup tables of module.c's pair_code (WK_PAIRS, WK_TRIPLES), built once per
 * engine: wk_pairs_new (NULL without memory; free with free()). */
typedef struct wk_pairs wk_pairs;
wk_pairs *wk_pairs_new(void);
struct wk_engine {
  wk_config cfg;
  wk_pairs *pairs;
  /* module.c: the body validator of the last module loaded, kept for the next one (taken and put
   * back atomically; wk_funcval_reset): its set-up was a fixed cost of each core module */
  wk_funcval *fv_spare;
};

struct wk_store {
  wk_engine *engine;
  void **objs; /* everything to free: tagged pointers */
  size_t nobjs, capobjs;
  wk_core_functype *ctypes; /* canonical types, index = type id */
  size_t nctypes, capctypes;
  uint64_t fuel;
  atomic_int interrupt;
  uint64_t *stack, *stack_end, *top; /* value stack; top = first free slot for a new entry */
  size_t stack_bytes;
  wk_frame *frames;
  uint32_t depth, max_depth;
  int guard; /* memories use guard pages */
  wk_memory **mems; /* every memory of the store (the fault handler checks these) */
  size_t nmems, capmems;
  wk_gc *gc; /* WebAssembly 3.0 GC heap and type displays (gc.h), NULL until a GC module is instantiated */
  /* store.c wk_func_new_host: host functions are carved from blocks of HOST_SLAB (each block one
   * OBJ_FUNC): a calloc, a tracking entry and a free per host function were ~300 instructions each
   * of a WASI component's start-up (callgrind) */
  wk_func *hslab;
  uint32_t hslab_left;
  /* store.c intern_type: the canonical types' value-type bytes, carved from blocks (OBJ_BLOB) rather
   * than a malloc and a free each */
  uint8_t *tpool;
  size_t tpool_left;
};

struct wk_trap {
  int code;
  int exit_status;
  char *msg;
  size_t nframes;
  struct {
    uint32_t func;
    const char *name;
    uint64_t offset;
  } *frames;
};

struct wk_caller {
  wk_store *store;
  wk_instance *inst;
  wk_trap *trap; /* set by wk_caller_trap/exit */
};

/* the state of one wk_exec activation (exec.c) */
typedef struct wk_runctx {
  const uint32_t *ip; /* last instruction that may fault / trapped */
  wk_instance *inst;
  uint32_t curf, depth, entry;
  wk_store *s;
  sigjmp_buf jb;
  wk_trap *trap;
  struct wk_runctx *prev;
} wk_runctx;

/* module.c: eager 1 translates every function now (m->code); 0 validates them all and sets up
 * m->lazy (functions translated by wk_func_translate) */
int wk_translate_module(wk_module *m, const uint8_t *bytes, size_t len, int eager, wk_error *err);
/* module.c: translate defined function i (index among the defined functions) of a lazy module if
 * it is not yet: WK_OK, or WK_ERR_NOMEM. Thread-safe. */
int wk_func_translate(const wk_module *m, uint32_t i);
void wk_lazy_free(wk_module *m);
/* module.c: m's function names per function index (Custom 7.4.2.2; NULL entries for functions
 * without one), or NULL: no name section with a well-formed function-name map. Parsed on first
 * use from m->name_secs, as wk_core_decode would have (the first "name" section with a map);
 * safe from several threads; owned by m. */
char **wk_module_func_names(const wk_module *m);
void wk_module_names_free(wk_module *m); /* (wk_module_free) */
/* exec.c: the threaded form of n words of translated code whose branch targets are word indices
 * into those n words, for the guarded loop in out and (unless NULL) the checked one in out1:
 * WK_OK or WK_ERR_MALFORMED */
int wk_thread_words(const uint32_t *code, size_t n, uint32_t *out, uint32_t *out1);
/* exec.c: the two loops' opcode words (what wk_thread_words threads with), and wk_thread_words with
 * them given (a caller that threads many functions gets them once: module.c, per engine) */
void wk_thread_offsets(int32_t offs[2][IOP__COUNT]);
int wk_thread_words_offs(const int32_t offs[2][IOP__COUNT], const uint32_t *code, size_t n, uint32_t *out, uint32_t *out1);
/* exec.c: m->lazy->stubs (in the module's arena) and every function's tc[] pointing at its stub;
 * offs: the loops' opcode words (the engine's, wk_pairs): WK_OK or WK_ERR_NOMEM */
int wk_lazy_stubs(wk_module *m, const int32_t offs[2][IOP__COUNT]);
/* exec.c: build m->tcode[0] from m->code (tcode[1] is derived from it when first run); WK_OK or
 * WK_ERR_NOMEM */
int wk_thread_code(wk_module *m);
/* exec.c: fingerprint of this build's threaded opcode words (part of the AOT cache key) */
uint64_t wk_thread_fingerprint(void);
/* cache.c */
int wk_cache_key(const wk_engine *e, const uint8_t *bytes, size_t len, uint8_t key[32]);
size_t wk_cache_code_bytes(const uint8_t *bytes, size_t len); /* code section size (Core 5.5.13), 0 if none */
/* cache.c: are m->gctypes (read from an AOT cache entry) consistent: rec groups, function fields, no
 * reference past its rec group (1), else 0 (the entry is refused) */
int wk_cache_gc_types_ok(const wk_module *m);
int wk_cache_load(wk_module *m, const uint8_t key[32], const uint8_t *wasm, size_t wasm_len);
void wk_cache_store(const wk_module *m, const uint8_t key[32], const uint8_t *wasm, size_t wasm_len);
/* group index of a container's modules (cache.c "group indexes"): 0 and the recorded module keys
 * (all zero: no entry) when <cache_dir> has the index of exactly these container bytes, else -1 */
int wk_cache_group_read(const wk_engine *e, const uint8_t *c, size_t clen, size_t nmods, uint8_t (*keys)[32]);
/* write that index for container c[0..clen) and its nmods module keys (all zero: no entry), with the
 * container's bytes, atomically under <cache_dir>; best effort (nothing is reported, like every
 * cache write) */
void wk_cache_group_write(const wk_engine *e, const uint8_t *c, size_t clen, size_t nmods, const uint8_t (*keys)[32]);
/* store.c: kinds of the objects a store owns; wk_store_track records p (of that kind) to be freed
 * with the store: 0, or -1 (p is NULL or out of memory; p is not recorded) */
enum { OBJ_FUNC, OBJ_MEM, OBJ_TABLE, OBJ_GLOBAL, OBJ_INST, OBJ_BLOB, OBJ_EXN /* a wk_exn (GC roots) */ };
int wk_store_track(wk_store *s, void *p, int kind);
uint32_t wk_store_intern_type(wk_store *s, const wk_core_functype *t);
/* The same for type `self` of a module whose earlier types have the store ids ids[0..self): a type
 * with typed references (t->hts: the full wk_vt of each typed entry, wk_module.types) is equal to
 * another only with the same referenced types (Core 3.0 3.2 type equivalence). */
uint32_t wk_store_intern_type_ex(wk_store *s, const wk_core_functype *t, const uint32_t *ids, uint32_t self);
/* The same without looking for an equal type: a new id (gc_types.c: a member of a GC recursion group) */
uint32_t wk_store_add_type_ex(wk_store *s, const wk_core_functype *t, const uint32_t *ids, uint32_t self);
/* The engine's code for a value type: a typed reference (Core 3.0 (ref null? ht)) as the top of its
 * hierarchy, WK_FUNCREF / WK_EXTERNREF / WK_EXNREF (slots, wk_value.type, tables, globals). */
/* With GC (Core 3.0 3.2) a family is the top of a hierarchy: any for any/eq/i31/struct/array/none
 * (0x6a..0x6e, 0x71), func for nofunc, extern for noextern, exn for noexn; a concrete struct or
 * array type's family (not known here: funcref) is made anyref by module.c's gc_fix_families. */
static inline uint8_t wk_gc_top_code(uint8_t c) {
  static const uint8_t top[11] = {0x6e, 0x6e, 0x6e, 0x6e, 0x6e, 0x6f, 0x70, 0x6e, 0x6f, 0x70, 0x69};
  return c >= 0x6a && c <= 0x74 ? top[c - 0x6a] : c;
}
static inline uint8_t wk_vt_family(uint8_t code, uint32_t ht) {
  if (code != WK_REF && code != WK_REFNULL) return wk_gc_top_code(code);
  return wk_ht_is_idx(ht) || ht == WK_HT_FUNC ? WK_FUNCREF : wk_gc_top_code((uint8_t)ht);
}
/* trap.c: depends on nothing else in lib/interp */
wk_trap *wk_trap_make(int code, const char *msg);
wk_trap *wk_trap_backtrace(wk_store *s, wk_runctx *rc, int code, const char *msg);
const char *wk_trap_default_message(int code);
/* exec.c: unwind exception exn thrown at ip (frame fp, instance *inst, call depth *depth) to the
 * innermost matching try_table catch clause of this activation (down to frame `entry`): 1 with
 * *ip, *fp, *inst, *depth set to the handler (payload and exnref written to its label's slots),
 * 0 when none catches it (the activation ends with WK_TRAP_EXCEPTION). */
int wk_eh_unwind(wk_store *s, uint32_t entry, wk_exn *exn, const uint32_t **ip, uint64_t **fp, wk_instance **inst,
                 uint32_t *depth);
/* exec.c: a new exception of tag t with payload slots v[0..n) (store-owned), NULL on OOM */
wk_exn *wk_exn_new(wk_store *s, wk_tag *t, const uint64_t *v, uint32_t n);
/* exec.c: run function f with args at s->top; results written at the same base */
int wk_exec(wk_store *s, wk_func *f, uint64_t *base, wk_trap **trap);
int wk_call_host(wk_store *s, wk_func *f, wk_instance *inst, uint64_t *base, wk_runctx *rc);
void *wk_eval_ref(wk_instance *inst, const wk_cexpr *e);
uint64_t wk_eval_cexpr(wk_instance *inst, const wk_cexpr *e);
/* gc.c: the instantiation-time value of element item e (wk_eval_ref, when inst->gc_elems) */
uint64_t wk_gc_elem_value(wk_instance *inst, const wk_cexpr *e);
int wk_memory_grow_pages(wk_memory *mem, uint32_t delta, uint64_t max_bytes); /* old pages or -1 */

int wk_table_grow_by(wk_table *t, uint32_t delta, void *init); /* old size or -1 */
void wk_value_from_slot(uint8_t t, uint64_t v, wk_value *out);
uint64_t wk_value_to_slot(uint8_t t, const wk_value *v);
/* exec.c: frame slots of n values of these types (a v128 takes two, simd.h) and the conversions
 * of such a sequence between wk_value and slots */
uint32_t wk_slot_count(const uint8_t *types, uint32_t n);
void wk_values_to_slots(const uint8_t *types, uint32_t n, const wk_value *v, uint64_t *slots);
void wk_values_from_slots(const uint8_t *types, uint32_t n, const uint64_t *slots, wk_value *v);
uint64_t wk_eval_cexpr_hi(wk_instance *inst, const wk_cexpr *e); /* a v128 value's high half, else 0 */
void wk_install_fault_handler(void);
/* xmem.c: the 3.0 memory instructions at ip (internal.h XLD ...), for loop.h; fp the frame.
 * load/store/bulk: 0, or -1 for an out-of-bounds access (nothing written); vpre: the checked host
 * address of the SIMD access, or NULL when out of bounds */
int wk_xmem_load(wk_instance *inst, uint64_t *fp, const uint32_t *ip);
int wk_xmem_store(wk_instance *inst, uint64_t *fp, const uint32_t *ip);
void wk_xmem_grow(wk_store *s, wk_instance *inst, uint64_t *fp, const uint32_t *ip);
int wk_xmem_bulk(wk_instance *inst, uint64_t *fp, const uint32_t *ip, int op);
uint8_t *wk_xmem_vpre(wk_instance *inst, uint64_t *fp, const uint32_t *ip);
/* CLAMP64 d a (table64, xmem_translate_int.h): slot d = slot a's u64 index, clamped to 0xffffffff
 * (no table has that many entries, so a 2.0 table instruction on the result traps as the 64-bit
 * index would) */
void wk_xmem_clamp(uint64_t *fp, const uint32_t *ip);

#endif
