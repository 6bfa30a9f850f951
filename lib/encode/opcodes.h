/*
 * lib/encode/opcodes.h — every WebAssembly 2.0 instruction, defined once
 * (Core spec 5.4 "Instructions", binary encodings), expanded with X-macros
 * wherever a per-opcode table is needed (as Lua's lopcodes.h does).
 * Included by encode/encode.h; lib/interp may include it for its dispatch.
 *
 * WebAssembly 3.0 additions (tail calls: return_call 0x12, return_call_indirect
 * 0x13; typed function references: call_ref 0x14, return_call_ref 0x15,
 * ref.as_non_null 0xD4, br_on_null 0xD5, br_on_non_null 0xD6; Core 3.0 5.4.1) are decoded always; the validator accepts them only
 * when the feature is enabled (wk_core_validate_features, WK_FEAT_*).
 *
 * WK_OPCODES(X) calls X(NAME, OP, IMM, "text", SIG, AUX, IOP) for each instruction:
 *   NAME  C identifier suffix: WK_OP_##NAME is OP, WK_OPI_##NAME a dense index
 *   OP    opcode number: the byte for one-byte opcodes, 0xFC00|sub for the
 *         0xFC prefix (saturating truncation, bulk memory, table ops) and
 *         0xFD00|sub for the 0xFD prefix (SIMD). All 2.0 sub-opcodes are < 256.
 *         The 0xFD sub-opcodes 0x100-0x1FF (relaxed SIMD, WebAssembly 3.0) are
 *         0xFE00|(sub - 0x100): wk_insn.op stays 16 bits. (0xFE is the threads
 *         proposal's prefix, not part of 3.0 and not decoded here; the reader
 *         maps only 0xFD sub-opcodes to these numbers.) Decoded always;
 *         validated only with WK_FEAT_RELAXED_SIMD. GC (Core 3.0 binary/instructions.rst): the
 *         0xFB sub-opcodes 0-30 are 0xFB00|sub (struct.*, array.*, ref.test/ref.cast, br_on_cast,
 *         any/extern conversions, i31); ref.test/ref.cast have two rows each (the non-null and
 *         the `ref null` opcode, one text name). Decoded only with WK_FEAT_GC.
 *   IMM   immediate kind: WK_IMM_##IMM (see enum wk_immkind in encode.h)
 *   text  the text-format name
 *   SIG   operand typing for "simple" instructions as "PARAMS>RESULTS" with
 *         i=i32 I=i64 f=f32 F=f64 v=v128 (Core 3.3 "Instructions"), or NULL
 *         when the validator types it by hand (control, variables, refs,
 *         tables, bulk memory, parametric)
 *   AUX   memarg instructions: log2 of the natural alignment (Core 3.3.7);
 *         lane instructions (WK_IMM_LANE): the number of lanes; else 0
 *   IOP   the engine's internal instruction it becomes (lib/interp: IOP_##IOP,
 *         internal.h WK_IOPS / simd.h WK_SIMD): for the numeric, memory and
 *         SIMD instructions the one the translator emits (COPY for the
 *         reinterpretations: the same bits in a new type), for the others the
 *         main one their translation emits; NA when none is (control flow,
 *         locals, constants, which become operand-stack entries or jumps).
 *         lib/encode ignores it. Adding an instruction: its row here, with
 *         this column naming its handler's internal instruction, and the
 *         handler (lib/interp/loop.h, or a WK_SIMD row for SIMD).
 */
#ifndef WK_ENCODE_OPCODES_H
#define WK_ENCODE_OPCODES_H

/* clang-format off */
#define WK_OPCODES(X) \
  X(UNREACHABLE, 0x0000, NONE, "unreachable", NULL, 0, UNREACHABLE) \
  X(NOP, 0x0001, NONE, "nop", ">", 0, NA) \
  X(BLOCK, 0x0002, BLOCK, "block", NULL, 0, NA) \
  X(LOOP, 0x0003, BLOCK, "loop", NULL, 0, NA) \
  X(IF, 0x0004, BLOCK, "if", NULL, 0, NA) \
  X(ELSE, 0x0005, NONE, "else", NULL, 0, NA) \
  X(END, 0x000b, NONE, "end", NULL, 0, NA) \
  X(BR, 0x000c, LABEL, "br", NULL, 0, BR) \
  X(BR_IF, 0x000d, LABEL, "br_if", NULL, 0, NA) \
  X(BR_TABLE, 0x000e, BR_TABLE, "br_table", NULL, 0, BR_TABLE) \
  X(RETURN, 0x000f, NONE, "return", NULL, 0, RET) \
  X(CALL, 0x0010, FUNC, "call", NULL, 0, CALL) \
  X(CALL_INDIRECT, 0x0011, CALL_INDIRECT, "call_indirect", NULL, 0, CALL_INDIRECT) \
  X(RETURN_CALL, 0x0012, FUNC, "return_call", NULL, 0, RETURN_CALL) \
  X(RETURN_CALL_INDIRECT, 0x0013, CALL_INDIRECT, "return_call_indirect", NULL, 0, RETURN_CALL_INDIRECT) \
  X(CALL_REF, 0x0014, TYPE, "call_ref", NULL, 0, CALL_REF) \
  X(RETURN_CALL_REF, 0x0015, TYPE, "return_call_ref", NULL, 0, RETURN_CALL_REF) \
  X(DROP, 0x001a, NONE, "drop", NULL, 0, NA) \
  X(SELECT, 0x001b, NONE, "select", NULL, 0, SELECT) \
  X(SELECT_T, 0x001c, SELECT_T, "select_t", NULL, 0, SELECT) \
  X(LOCAL_GET, 0x0020, LOCAL, "local.get", NULL, 0, NA) \
  X(LOCAL_SET, 0x0021, LOCAL, "local.set", NULL, 0, NA) \
  X(LOCAL_TEE, 0x0022, LOCAL, "local.tee", NULL, 0, NA) \
  X(GLOBAL_GET, 0x0023, GLOBAL, "global.get", NULL, 0, GGET) \
  X(GLOBAL_SET, 0x0024, GLOBAL, "global.set", NULL, 0, GSET) \
  X(TABLE_GET, 0x0025, TABLE, "table.get", NULL, 0, TABLE_GET) \
  X(TABLE_SET, 0x0026, TABLE, "table.set", NULL, 0, TABLE_SET) \
  X(I32_LOAD, 0x0028, MEMARG, "i32.load", "i>i", 2, LD_I32) \
  X(I64_LOAD, 0x0029, MEMARG, "i64.load", "i>I", 3, LD_I64) \
  X(F32_LOAD, 0x002a, MEMARG, "f32.load", "i>f", 2, LD_I32) \
  X(F64_LOAD, 0x002b, MEMARG, "f64.load", "i>F", 3, LD_I64) \
  X(I32_LOAD8_S, 0x002c, MEMARG, "i32.load8_s", "i>i", 0, LD_I32_8S) \
  X(I32_LOAD8_U, 0x002d, MEMARG, "i32.load8_u", "i>i", 0, LD_I32_8U) \
  X(I32_LOAD16_S, 0x002e, MEMARG, "i32.load16_s", "i>i", 1, LD_I32_16S) \
  X(I32_LOAD16_U, 0x002f, MEMARG, "i32.load16_u", "i>i", 1, LD_I32_16U) \
  X(I64_LOAD8_S, 0x0030, MEMARG, "i64.load8_s", "i>I", 0, LD_I64_8S) \
  X(I64_LOAD8_U, 0x0031, MEMARG, "i64.load8_u", "i>I", 0, LD_I64_8U) \
  X(I64_LOAD16_S, 0x0032, MEMARG, "i64.load16_s", "i>I", 1, LD_I64_16S) \
  X(I64_LOAD16_U, 0x0033, MEMARG, "i64.load16_u", "i>I", 1, LD_I64_16U) \
  X(I64_LOAD32_S, 0x0034, MEMARG, "i64.load32_s", "i>I", 2, LD_I64_32S) \
  X(I64_LOAD32_U, 0x0035, MEMARG, "i64.load32_u", "i>I", 2, LD_I64_32U) \
  X(I32_STORE, 0x0036, MEMARG, "i32.store", "ii>", 2, ST_I32) \
  X(I64_STORE, 0x0037, MEMARG, "i64.store", "iI>", 3, ST_I64) \
  X(F32_STORE, 0x0038, MEMARG, "f32.store", "if>", 2, ST_I32) \
  X(F64_STORE, 0x0039, MEMARG, "f64.store", "iF>", 3, ST_I64) \
  X(I32_STORE8, 0x003a, MEMARG, "i32.store8", "ii>", 0, ST_8) \
  X(I32_STORE16, 0x003b, MEMARG, "i32.store16", "ii>", 1, ST_16) \
  X(I64_STORE8, 0x003c, MEMARG, "i64.store8", "iI>", 0, ST_8) \
  X(I64_STORE16, 0x003d, MEMARG, "i64.store16", "iI>", 1, ST_16) \
  X(I64_STORE32, 0x003e, MEMARG, "i64.store32", "iI>", 2, ST_I32) \
  X(MEMORY_SIZE, 0x003f, MEM, "memory.size", ">i", 0, MEM_SIZE) \
  X(MEMORY_GROW, 0x0040, MEM, "memory.grow", "i>i", 0, MEM_GROW) \
  X(I32_CONST, 0x0041, I32, "i32.const", ">i", 0, NA) \
  X(I64_CONST, 0x0042, I64, "i64.const", ">I", 0, NA) \
  X(F32_CONST, 0x0043, F32, "f32.const", ">f", 0, NA) \
  X(F64_CONST, 0x0044, F64, "f64.const", ">F", 0, NA) \
  X(I32_EQZ, 0x0045, NONE, "i32.eqz", "i>i", 0, I32_EQZ) \
  X(I32_EQ, 0x0046, NONE, "i32.eq", "ii>i", 0, I32_EQ) \
  X(I32_NE, 0x0047, NONE, "i32.ne", "ii>i", 0, I32_NE) \
  X(I32_LT_S, 0x0048, NONE, "i32.lt_s", "ii>i", 0, I32_LT_S) \
  X(I32_LT_U, 0x0049, NONE, "i32.lt_u", "ii>i", 0, I32_LT_U) \
  X(I32_GT_S, 0x004a, NONE, "i32.gt_s", "ii>i", 0, I32_GT_S) \
  X(I32_GT_U, 0x004b, NONE, "i32.gt_u", "ii>i", 0, I32_GT_U) \
  X(I32_LE_S, 0x004c, NONE, "i32.le_s", "ii>i", 0, I32_LE_S) \
  X(I32_LE_U, 0x004d, NONE, "i32.le_u", "ii>i", 0, I32_LE_U) \
  X(I32_GE_S, 0x004e, NONE, "i32.ge_s", "ii>i", 0, I32_GE_S) \
  X(I32_GE_U, 0x004f, NONE, "i32.ge_u", "ii>i", 0, I32_GE_U) \
  X(I64_EQZ, 0x0050, NONE, "i64.eqz", "I>i", 0, I64_EQZ) \
  X(I64_EQ, 0x0051, NONE, "i64.eq", "II>i", 0, I64_EQ) \
  X(I64_NE, 0x0052, NONE, "i64.ne", "II>i", 0, I64_NE) \
  X(I64_LT_S, 0x0053, NONE, "i64.lt_s", "II>i", 0, I64_LT_S) \
  X(I64_LT_U, 0x0054, NONE, "i64.lt_u", "II>i", 0, I64_LT_U) \
  X(I64_GT_S, 0x0055, NONE, "i64.gt_s", "II>i", 0, I64_GT_S) \
  X(I64_GT_U, 0x0056, NONE, "i64.gt_u", "II>i", 0, I64_GT_U) \
  X(I64_LE_S, 0x0057, NONE, "i64.le_s", "II>i", 0, I64_LE_S) \
  X(I64_LE_U, 0x0058, NONE, "i64.le_u", "II>i", 0, I64_LE_U) \
  X(I64_GE_S, 0x0059, NONE, "i64.ge_s", "II>i", 0, I64_GE_S) \
  X(I64_GE_U, 0x005a, NONE, "i64.ge_u", "II>i", 0, I64_GE_U) \
  X(F32_EQ, 0x005b, NONE, "f32.eq", "ff>i", 0, F32_EQ) \
  X(F32_NE, 0x005c, NONE, "f32.ne", "ff>i", 0, F32_NE) \
  X(F32_LT, 0x005d, NONE, "f32.lt", "ff>i", 0, F32_LT) \
  X(F32_GT, 0x005e, NONE, "f32.gt", "ff>i", 0, F32_GT) \
  X(F32_LE, 0x005f, NONE, "f32.le", "ff>i", 0, F32_LE) \
  X(F32_GE, 0x0060, NONE, "f32.ge", "ff>i", 0, F32_GE) \
  X(F64_EQ, 0x0061, NONE, "f64.eq", "FF>i", 0, F64_EQ) \
  X(F64_NE, 0x0062, NONE, "f64.ne", "FF>i", 0, F64_NE) \
  X(F64_LT, 0x0063, NONE, "f64.lt", "FF>i", 0, F64_LT) \
  X(F64_GT, 0x0064, NONE, "f64.gt", "FF>i", 0, F64_GT) \
  X(F64_LE, 0x0065, NONE, "f64.le", "FF>i", 0, F64_LE) \
  X(F64_GE, 0x0066, NONE, "f64.ge", "FF>i", 0, F64_GE) \
  X(I32_CLZ, 0x0067, NONE, "i32.clz", "i>i", 0, I32_CLZ) \
  X(I32_CTZ, 0x0068, NONE, "i32.ctz", "i>i", 0, I32_CTZ) \
  X(I32_POPCNT, 0x0069, NONE, "i32.popcnt", "i>i", 0, I32_POPCNT) \
  X(I32_ADD, 0x006a, NONE, "i32.add", "ii>i", 0, I32_ADD) \
  X(I32_SUB, 0x006b, NONE, "i32.sub", "ii>i", 0, I32_SUB) \
  X(I32_MUL, 0x006c, NONE, "i32.mul", "ii>i", 0, I32_MUL) \
  X(I32_DIV_S, 0x006d, NONE, "i32.div_s", "ii>i", 0, I32_DIV_S) \
  X(I32_DIV_U, 0x006e, NONE, "i32.div_u", "ii>i", 0, I32_DIV_U) \
  X(I32_REM_S, 0x006f, NONE, "i32.rem_s", "ii>i", 0, I32_REM_S) \
  X(I32_REM_U, 0x0070, NONE, "i32.rem_u", "ii>i", 0, I32_REM_U) \
  X(I32_AND, 0x0071, NONE, "i32.and", "ii>i", 0, I32_AND) \
  X(I32_OR, 0x0072, NONE, "i32.or", "ii>i", 0, I32_OR) \
  X(I32_XOR, 0x0073, NONE, "i32.xor", "ii>i", 0, I32_XOR) \
  X(I32_SHL, 0x0074, NONE, "i32.shl", "ii>i", 0, I32_SHL) \
  X(I32_SHR_S, 0x0075, NONE, "i32.shr_s", "ii>i", 0, I32_SHR_S) \
  X(I32_SHR_U, 0x0076, NONE, "i32.shr_u", "ii>i", 0, I32_SHR_U) \
  X(I32_ROTL, 0x0077, NONE, "i32.rotl", "ii>i", 0, I32_ROTL) \
  X(I32_ROTR, 0x0078, NONE, "i32.rotr", "ii>i", 0, I32_ROTR) \
  X(I64_CLZ, 0x0079, NONE, "i64.clz", "I>I", 0, I64_CLZ) \
  X(I64_CTZ, 0x007a, NONE, "i64.ctz", "I>I", 0, I64_CTZ) \
  X(I64_POPCNT, 0x007b, NONE, "i64.popcnt", "I>I", 0, I64_POPCNT) \
  X(I64_ADD, 0x007c, NONE, "i64.add", "II>I", 0, I64_ADD) \
  X(I64_SUB, 0x007d, NONE, "i64.sub", "II>I", 0, I64_SUB) \
  X(I64_MUL, 0x007e, NONE, "i64.mul", "II>I", 0, I64_MUL) \
  X(I64_DIV_S, 0x007f, NONE, "i64.div_s", "II>I", 0, I64_DIV_S) \
  X(I64_DIV_U, 0x0080, NONE, "i64.div_u", "II>I", 0, I64_DIV_U) \
  X(I64_REM_S, 0x0081, NONE, "i64.rem_s", "II>I", 0, I64_REM_S) \
  X(I64_REM_U, 0x0082, NONE, "i64.rem_u", "II>I", 0, I64_REM_U) \
  X(I64_AND, 0x0083, NONE, "i64.and", "II>I", 0, I64_AND) \
  X(I64_OR, 0x0084, NONE, "i64.or", "II>I", 0, I64_OR) \
  X(I64_XOR, 0x0085, NONE, "i64.xor", "II>I", 0, I64_XOR) \
  X(I64_SHL, 0x0086, NONE, "i64.shl", "II>I", 0, I64_SHL) \
  X(I64_SHR_S, 0x0087, NONE, "i64.shr_s", "II>I", 0, I64_SHR_S) \
  X(I64_SHR_U, 0x0088, NONE, "i64.shr_u", "II>I", 0, I64_SHR_U) \
  X(I64_ROTL, 0x0089, NONE, "i64.rotl", "II>I", 0, I64_ROTL) \
  X(I64_ROTR, 0x008a, NONE, "i64.rotr", "II>I", 0, I64_ROTR) \
  X(F32_ABS, 0x008b, NONE, "f32.abs", "f>f", 0, F32_ABS) \
  X(F32_NEG, 0x008c, NONE, "f32.neg", "f>f", 0, F32_NEG) \
  X(F32_CEIL, 0x008d, NONE, "f32.ceil", "f>f", 0, F32_CEIL) \
  X(F32_FLOOR, 0x008e, NONE, "f32.floor", "f>f", 0, F32_FLOOR) \
  X(F32_TRUNC, 0x008f, NONE, "f32.trunc", "f>f", 0, F32_TRUNC) \
  X(F32_NEAREST, 0x0090, NONE, "f32.nearest", "f>f", 0, F32_NEAREST) \
  X(F32_SQRT, 0x0091, NONE, "f32.sqrt", "f>f", 0, F32_SQRT) \
  X(F32_ADD, 0x0092, NONE, "f32.add", "ff>f", 0, F32_ADD) \
  X(F32_SUB, 0x0093, NONE, "f32.sub", "ff>f", 0, F32_SUB) \
  X(F32_MUL, 0x0094, NONE, "f32.mul", "ff>f", 0, F32_MUL) \
  X(F32_DIV, 0x0095, NONE, "f32.div", "ff>f", 0, F32_DIV) \
  X(F32_MIN, 0x0096, NONE, "f32.min", "ff>f", 0, F32_MIN) \
  X(F32_MAX, 0x0097, NONE, "f32.max", "ff>f", 0, F32_MAX) \
  X(F32_COPYSIGN, 0x0098, NONE, "f32.copysign", "ff>f", 0, F32_COPYSIGN) \
  X(F64_ABS, 0x0099, NONE, "f64.abs", "F>F", 0, F64_ABS) \
  X(F64_NEG, 0x009a, NONE, "f64.neg", "F>F", 0, F64_NEG) \
  X(F64_CEIL, 0x009b, NONE, "f64.ceil", "F>F", 0, F64_CEIL) \
  X(F64_FLOOR, 0x009c, NONE, "f64.floor", "F>F", 0, F64_FLOOR) \
  X(F64_TRUNC, 0x009d, NONE, "f64.trunc", "F>F", 0, F64_TRUNC) \
  X(F64_NEAREST, 0x009e, NONE, "f64.nearest", "F>F", 0, F64_NEAREST) \
  X(F64_SQRT, 0x009f, NONE, "f64.sqrt", "F>F", 0, F64_SQRT) \
  X(F64_ADD, 0x00a0, NONE, "f64.add", "FF>F", 0, F64_ADD) \
  X(F64_SUB, 0x00a1, NONE, "f64.sub", "FF>F", 0, F64_SUB) \
  X(F64_MUL, 0x00a2, NONE, "f64.mul", "FF>F", 0, F64_MUL) \
  X(F64_DIV, 0x00a3, NONE, "f64.div", "FF>F", 0, F64_DIV) \
  X(F64_MIN, 0x00a4, NONE, "f64.min", "FF>F", 0, F64_MIN) \
  X(F64_MAX, 0x00a5, NONE, "f64.max", "FF>F", 0, F64_MAX) \
  X(F64_COPYSIGN, 0x00a6, NONE, "f64.copysign", "FF>F", 0, F64_COPYSIGN) \
  X(I32_WRAP_I64, 0x00a7, NONE, "i32.wrap_i64", "I>i", 0, I32_WRAP) \
  X(I32_TRUNC_F32_S, 0x00a8, NONE, "i32.trunc_f32_s", "f>i", 0, I32_TRUNC_F32_S) \
  X(I32_TRUNC_F32_U, 0x00a9, NONE, "i32.trunc_f32_u", "f>i", 0, I32_TRUNC_F32_U) \
  X(I32_TRUNC_F64_S, 0x00aa, NONE, "i32.trunc_f64_s", "F>i", 0, I32_TRUNC_F64_S) \
  X(I32_TRUNC_F64_U, 0x00ab, NONE, "i32.trunc_f64_u", "F>i", 0, I32_TRUNC_F64_U) \
  X(I64_EXTEND_I32_S, 0x00ac, NONE, "i64.extend_i32_s", "i>I", 0, I64_EXTEND_S) \
  X(I64_EXTEND_I32_U, 0x00ad, NONE, "i64.extend_i32_u", "i>I", 0, I64_EXTEND_U) \
  X(I64_TRUNC_F32_S, 0x00ae, NONE, "i64.trunc_f32_s", "f>I", 0, I64_TRUNC_F32_S) \
  X(I64_TRUNC_F32_U, 0x00af, NONE, "i64.trunc_f32_u", "f>I", 0, I64_TRUNC_F32_U) \
  X(I64_TRUNC_F64_S, 0x00b0, NONE, "i64.trunc_f64_s", "F>I", 0, I64_TRUNC_F64_S) \
  X(I64_TRUNC_F64_U, 0x00b1, NONE, "i64.trunc_f64_u", "F>I", 0, I64_TRUNC_F64_U) \
  X(F32_CONVERT_I32_S, 0x00b2, NONE, "f32.convert_i32_s", "i>f", 0, F32_CONV_I32_S) \
  X(F32_CONVERT_I32_U, 0x00b3, NONE, "f32.convert_i32_u", "i>f", 0, F32_CONV_I32_U) \
  X(F32_CONVERT_I64_S, 0x00b4, NONE, "f32.convert_i64_s", "I>f", 0, F32_CONV_I64_S) \
  X(F32_CONVERT_I64_U, 0x00b5, NONE, "f32.convert_i64_u", "I>f", 0, F32_CONV_I64_U) \
  X(F32_DEMOTE_F64, 0x00b6, NONE, "f32.demote_f64", "F>f", 0, F32_DEMOTE) \
  X(F64_CONVERT_I32_S, 0x00b7, NONE, "f64.convert_i32_s", "i>F", 0, F64_CONV_I32_S) \
  X(F64_CONVERT_I32_U, 0x00b8, NONE, "f64.convert_i32_u", "i>F", 0, F64_CONV_I32_U) \
  X(F64_CONVERT_I64_S, 0x00b9, NONE, "f64.convert_i64_s", "I>F", 0, F64_CONV_I64_S) \
  X(F64_CONVERT_I64_U, 0x00ba, NONE, "f64.convert_i64_u", "I>F", 0, F64_CONV_I64_U) \
  X(F64_PROMOTE_F32, 0x00bb, NONE, "f64.promote_f32", "f>F", 0, F64_PROMOTE) \
  X(I32_REINTERPRET_F32, 0x00bc, NONE, "i32.reinterpret_f32", "f>i", 0, COPY) \
  X(I64_REINTERPRET_F64, 0x00bd, NONE, "i64.reinterpret_f64", "F>I", 0, COPY) \
  X(F32_REINTERPRET_I32, 0x00be, NONE, "f32.reinterpret_i32", "i>f", 0, COPY) \
  X(F64_REINTERPRET_I64, 0x00bf, NONE, "f64.reinterpret_i64", "I>F", 0, COPY) \
  X(I32_EXTEND8_S, 0x00c0, NONE, "i32.extend8_s", "i>i", 0, I32_EXT8) \
  X(I32_EXTEND16_S, 0x00c1, NONE, "i32.extend16_s", "i>i", 0, I32_EXT16) \
  X(I64_EXTEND8_S, 0x00c2, NONE, "i64.extend8_s", "I>I", 0, I64_EXT8) \
  X(I64_EXTEND16_S, 0x00c3, NONE, "i64.extend16_s", "I>I", 0, I64_EXT16) \
  X(I64_EXTEND32_S, 0x00c4, NONE, "i64.extend32_s", "I>I", 0, I64_EXT32) \
  X(REF_NULL, 0x00d0, REFTYPE, "ref.null", NULL, 0, NA) \
  X(REF_IS_NULL, 0x00d1, NONE, "ref.is_null", NULL, 0, I64_EQZ) \
  X(REF_FUNC, 0x00d2, FUNC, "ref.func", NULL, 0, REF_FUNC) \
  X(REF_AS_NON_NULL, 0x00d4, NONE, "ref.as_non_null", NULL, 0, REF_AS_NON_NULL) \
  X(BR_ON_NULL, 0x00d5, LABEL, "br_on_null", NULL, 0, BR_I64_Z) \
  X(BR_ON_NON_NULL, 0x00d6, LABEL, "br_on_non_null", NULL, 0, BR_I64_NZ) \
  X(I32_TRUNC_SAT_F32_S, 0xfc00, NONE, "i32.trunc_sat_f32_s", "f>i", 0, I32_TRUNC_SAT_F32_S) \
  X(I32_TRUNC_SAT_F32_U, 0xfc01, NONE, "i32.trunc_sat_f32_u", "f>i", 0, I32_TRUNC_SAT_F32_U) \
  X(I32_TRUNC_SAT_F64_S, 0xfc02, NONE, "i32.trunc_sat_f64_s", "F>i", 0, I32_TRUNC_SAT_F64_S) \
  X(I32_TRUNC_SAT_F64_U, 0xfc03, NONE, "i32.trunc_sat_f64_u", "F>i", 0, I32_TRUNC_SAT_F64_U) \
  X(I64_TRUNC_SAT_F32_S, 0xfc04, NONE, "i64.trunc_sat_f32_s", "f>I", 0, I64_TRUNC_SAT_F32_S) \
  X(I64_TRUNC_SAT_F32_U, 0xfc05, NONE, "i64.trunc_sat_f32_u", "f>I", 0, I64_TRUNC_SAT_F32_U) \
  X(I64_TRUNC_SAT_F64_S, 0xfc06, NONE, "i64.trunc_sat_f64_s", "F>I", 0, I64_TRUNC_SAT_F64_S) \
  X(I64_TRUNC_SAT_F64_U, 0xfc07, NONE, "i64.trunc_sat_f64_u", "F>I", 0, I64_TRUNC_SAT_F64_U) \
  X(MEMORY_INIT, 0xfc08, MEM_INIT, "memory.init", NULL, 0, MEM_INIT) \
  X(DATA_DROP, 0xfc09, DATA, "data.drop", NULL, 0, DATA_DROP) \
  X(MEMORY_COPY, 0xfc0a, MEM_COPY, "memory.copy", NULL, 0, MEM_COPY) \
  X(MEMORY_FILL, 0xfc0b, MEM, "memory.fill", NULL, 0, MEM_FILL) \
  X(TABLE_INIT, 0xfc0c, TABLE_INIT, "table.init", NULL, 0, TABLE_INIT) \
  X(ELEM_DROP, 0xfc0d, ELEM, "elem.drop", NULL, 0, ELEM_DROP) \
  X(TABLE_COPY, 0xfc0e, TABLE_COPY, "table.copy", NULL, 0, TABLE_COPY) \
  X(TABLE_GROW, 0xfc0f, TABLE, "table.grow", NULL, 0, TABLE_GROW) \
  X(TABLE_SIZE, 0xfc10, TABLE, "table.size", NULL, 0, TABLE_SIZE) \
  X(TABLE_FILL, 0xfc11, TABLE, "table.fill", NULL, 0, TABLE_FILL) \
  X(V128_LOAD, 0xfd00, MEMARG, "v128.load", "i>v", 4, V128_LOAD) \
  X(V128_LOAD8X8_S, 0xfd01, MEMARG, "v128.load8x8_s", "i>v", 3, V128_LOAD8X8_S) \
  X(V128_LOAD8X8_U, 0xfd02, MEMARG, "v128.load8x8_u", "i>v", 3, V128_LOAD8X8_U) \
  X(V128_LOAD16X4_S, 0xfd03, MEMARG, "v128.load16x4_s", "i>v", 3, V128_LOAD16X4_S) \
  X(V128_LOAD16X4_U, 0xfd04, MEMARG, "v128.load16x4_u", "i>v", 3, V128_LOAD16X4_U) \
  X(V128_LOAD32X2_S, 0xfd05, MEMARG, "v128.load32x2_s", "i>v", 3, V128_LOAD32X2_S) \
  X(V128_LOAD32X2_U, 0xfd06, MEMARG, "v128.load32x2_u", "i>v", 3, V128_LOAD32X2_U) \
  X(V128_LOAD8_SPLAT, 0xfd07, MEMARG, "v128.load8_splat", "i>v", 0, V128_LOAD8_SPLAT) \
  X(V128_LOAD16_SPLAT, 0xfd08, MEMARG, "v128.load16_splat", "i>v", 1, V128_LOAD16_SPLAT) \
  X(V128_LOAD32_SPLAT, 0xfd09, MEMARG, "v128.load32_splat", "i>v", 2, V128_LOAD32_SPLAT) \
  X(V128_LOAD64_SPLAT, 0xfd0a, MEMARG, "v128.load64_splat", "i>v", 3, V128_LOAD64_SPLAT) \
  X(V128_STORE, 0xfd0b, MEMARG, "v128.store", "iv>", 4, V128_STORE) \
  X(V128_CONST, 0xfd0c, V128, "v128.const", ">v", 0, NA) \
  X(I8X16_SHUFFLE, 0xfd0d, SHUFFLE, "i8x16.shuffle", "vv>v", 0, I8X16_SHUFFLE) \
  X(I8X16_SWIZZLE, 0xfd0e, NONE, "i8x16.swizzle", "vv>v", 0, I8X16_SWIZZLE) \
  X(I8X16_SPLAT, 0xfd0f, NONE, "i8x16.splat", "i>v", 0, I8X16_SPLAT) \
  X(I16X8_SPLAT, 0xfd10, NONE, "i16x8.splat", "i>v", 0, I16X8_SPLAT) \
  X(I32X4_SPLAT, 0xfd11, NONE, "i32x4.splat", "i>v", 0, I32X4_SPLAT) \
  X(I64X2_SPLAT, 0xfd12, NONE, "i64x2.splat", "I>v", 0, I64X2_SPLAT) \
  X(F32X4_SPLAT, 0xfd13, NONE, "f32x4.splat", "f>v", 0, F32X4_SPLAT) \
  X(F64X2_SPLAT, 0xfd14, NONE, "f64x2.splat", "F>v", 0, F64X2_SPLAT) \
  X(I8X16_EXTRACT_LANE_S, 0xfd15, LANE, "i8x16.extract_lane_s", "v>i", 16, I8X16_EXTRACT_LANE_S) \
  X(I8X16_EXTRACT_LANE_U, 0xfd16, LANE, "i8x16.extract_lane_u", "v>i", 16, I8X16_EXTRACT_LANE_U) \
  X(I8X16_REPLACE_LANE, 0xfd17, LANE, "i8x16.replace_lane", "vi>v", 16, I8X16_REPLACE_LANE) \
  X(I16X8_EXTRACT_LANE_S, 0xfd18, LANE, "i16x8.extract_lane_s", "v>i", 8, I16X8_EXTRACT_LANE_S) \
  X(I16X8_EXTRACT_LANE_U, 0xfd19, LANE, "i16x8.extract_lane_u", "v>i", 8, I16X8_EXTRACT_LANE_U) \
  X(I16X8_REPLACE_LANE, 0xfd1a, LANE, "i16x8.replace_lane", "vi>v", 8, I16X8_REPLACE_LANE) \
  X(I32X4_EXTRACT_LANE, 0xfd1b, LANE, "i32x4.extract_lane", "v>i", 4, I32X4_EXTRACT_LANE) \
  X(I32X4_REPLACE_LANE, 0xfd1c, LANE, "i32x4.replace_lane", "vi>v", 4, I32X4_REPLACE_LANE) \
  X(I64X2_EXTRACT_LANE, 0xfd1d, LANE, "i64x2.extract_lane", "v>I", 2, I64X2_EXTRACT_LANE) \
  X(I64X2_REPLACE_LANE, 0xfd1e, LANE, "i64x2.replace_lane", "vI>v", 2, I64X2_REPLACE_LANE) \
  X(F32X4_EXTRACT_LANE, 0xfd1f, LANE, "f32x4.extract_lane", "v>f", 4, F32X4_EXTRACT_LANE) \
  X(F32X4_REPLACE_LANE, 0xfd20, LANE, "f32x4.replace_lane", "vf>v", 4, F32X4_REPLACE_LANE) \
  X(F64X2_EXTRACT_LANE, 0xfd21, LANE, "f64x2.extract_lane", "v>F", 2, F64X2_EXTRACT_LANE) \
  X(F64X2_REPLACE_LANE, 0xfd22, LANE, "f64x2.replace_lane", "vF>v", 2, F64X2_REPLACE_LANE) \
  X(I8X16_EQ, 0xfd23, NONE, "i8x16.eq", "vv>v", 0, I8X16_EQ) \
  X(I8X16_NE, 0xfd24, NONE, "i8x16.ne", "vv>v", 0, I8X16_NE) \
  X(I8X16_LT_S, 0xfd25, NONE, "i8x16.lt_s", "vv>v", 0, I8X16_LT_S) \
  X(I8X16_LT_U, 0xfd26, NONE, "i8x16.lt_u", "vv>v", 0, I8X16_LT_U) \
  X(I8X16_GT_S, 0xfd27, NONE, "i8x16.gt_s", "vv>v", 0, I8X16_GT_S) \
  X(I8X16_GT_U, 0xfd28, NONE, "i8x16.gt_u", "vv>v", 0, I8X16_GT_U) \
  X(I8X16_LE_S, 0xfd29, NONE, "i8x16.le_s", "vv>v", 0, I8X16_LE_S) \
  X(I8X16_LE_U, 0xfd2a, NONE, "i8x16.le_u", "vv>v", 0, I8X16_LE_U) \
  X(I8X16_GE_S, 0xfd2b, NONE, "i8x16.ge_s", "vv>v", 0, I8X16_GE_S) \
  X(I8X16_GE_U, 0xfd2c, NONE, "i8x16.ge_u", "vv>v", 0, I8X16_GE_U) \
  X(I16X8_EQ, 0xfd2d, NONE, "i16x8.eq", "vv>v", 0, I16X8_EQ) \
  X(I16X8_NE, 0xfd2e, NONE, "i16x8.ne", "vv>v", 0, I16X8_NE) \
  X(I16X8_LT_S, 0xfd2f, NONE, "i16x8.lt_s", "vv>v", 0, I16X8_LT_S) \
  X(I16X8_LT_U, 0xfd30, NONE, "i16x8.lt_u", "vv>v", 0, I16X8_LT_U) \
  X(I16X8_GT_S, 0xfd31, NONE, "i16x8.gt_s", "vv>v", 0, I16X8_GT_S) \
  X(I16X8_GT_U, 0xfd32, NONE, "i16x8.gt_u", "vv>v", 0, I16X8_GT_U) \
  X(I16X8_LE_S, 0xfd33, NONE, "i16x8.le_s", "vv>v", 0, I16X8_LE_S) \
  X(I16X8_LE_U, 0xfd34, NONE, "i16x8.le_u", "vv>v", 0, I16X8_LE_U) \
  X(I16X8_GE_S, 0xfd35, NONE, "i16x8.ge_s", "vv>v", 0, I16X8_GE_S) \
  X(I16X8_GE_U, 0xfd36, NONE, "i16x8.ge_u", "vv>v", 0, I16X8_GE_U) \
  X(I32X4_EQ, 0xfd37, NONE, "i32x4.eq", "vv>v", 0, I32X4_EQ) \
  X(I32X4_NE, 0xfd38, NONE, "i32x4.ne", "vv>v", 0, I32X4_NE) \
  X(I32X4_LT_S, 0xfd39, NONE, "i32x4.lt_s", "vv>v", 0, I32X4_LT_S) \
  X(I32X4_LT_U, 0xfd3a, NONE, "i32x4.lt_u", "vv>v", 0, I32X4_LT_U) \
  X(I32X4_GT_S, 0xfd3b, NONE, "i32x4.gt_s", "vv>v", 0, I32X4_GT_S) \
  X(I32X4_GT_U, 0xfd3c, NONE, "i32x4.gt_u", "vv>v", 0, I32X4_GT_U) \
  X(I32X4_LE_S, 0xfd3d, NONE, "i32x4.le_s", "vv>v", 0, I32X4_LE_S) \
  X(I32X4_LE_U, 0xfd3e, NONE, "i32x4.le_u", "vv>v", 0, I32X4_LE_U) \
  X(I32X4_GE_S, 0xfd3f, NONE, "i32x4.ge_s", "vv>v", 0, I32X4_GE_S) \
  X(I32X4_GE_U, 0xfd40, NONE, "i32x4.ge_u", "vv>v", 0, I32X4_GE_U) \
  X(F32X4_EQ, 0xfd41, NONE, "f32x4.eq", "vv>v", 0, F32X4_EQ) \
  X(F32X4_NE, 0xfd42, NONE, "f32x4.ne", "vv>v", 0, F32X4_NE) \
  X(F32X4_LT, 0xfd43, NONE, "f32x4.lt", "vv>v", 0, F32X4_LT) \
  X(F32X4_GT, 0xfd44, NONE, "f32x4.gt", "vv>v", 0, F32X4_GT) \
  X(F32X4_LE, 0xfd45, NONE, "f32x4.le", "vv>v", 0, F32X4_LE) \
  X(F32X4_GE, 0xfd46, NONE, "f32x4.ge", "vv>v", 0, F32X4_GE) \
  X(F64X2_EQ, 0xfd47, NONE, "f64x2.eq", "vv>v", 0, F64X2_EQ) \
  X(F64X2_NE, 0xfd48, NONE, "f64x2.ne", "vv>v", 0, F64X2_NE) \
  X(F64X2_LT, 0xfd49, NONE, "f64x2.lt", "vv>v", 0, F64X2_LT) \
  X(F64X2_GT, 0xfd4a, NONE, "f64x2.gt", "vv>v", 0, F64X2_GT) \
  X(F64X2_LE, 0xfd4b, NONE, "f64x2.le", "vv>v", 0, F64X2_LE) \
  X(F64X2_GE, 0xfd4c, NONE, "f64x2.ge", "vv>v", 0, F64X2_GE) \
  X(V128_NOT, 0xfd4d, NONE, "v128.not", "v>v", 0, V128_NOT) \
  X(V128_AND, 0xfd4e, NONE, "v128.and", "vv>v", 0, V128_AND) \
  X(V128_ANDNOT, 0xfd4f, NONE, "v128.andnot", "vv>v", 0, V128_ANDNOT) \
  X(V128_OR, 0xfd50, NONE, "v128.or", "vv>v", 0, V128_OR) \
  X(V128_XOR, 0xfd51, NONE, "v128.xor", "vv>v", 0, V128_XOR) \
  X(V128_BITSELECT, 0xfd52, NONE, "v128.bitselect", "vvv>v", 0, V128_BITSELECT) \
  X(V128_ANY_TRUE, 0xfd53, NONE, "v128.any_true", "v>i", 0, V128_ANY_TRUE) \
  X(V128_LOAD8_LANE, 0xfd54, MEMARG_LANE, "v128.load8_lane", "iv>v", 0, V128_LOAD8_LANE) \
  X(V128_LOAD16_LANE, 0xfd55, MEMARG_LANE, "v128.load16_lane", "iv>v", 1, V128_LOAD16_LANE) \
  X(V128_LOAD32_LANE, 0xfd56, MEMARG_LANE, "v128.load32_lane", "iv>v", 2, V128_LOAD32_LANE) \
  X(V128_LOAD64_LANE, 0xfd57, MEMARG_LANE, "v128.load64_lane", "iv>v", 3, V128_LOAD64_LANE) \
  X(V128_STORE8_LANE, 0xfd58, MEMARG_LANE, "v128.store8_lane", "iv>", 0, V128_STORE8_LANE) \
  X(V128_STORE16_LANE, 0xfd59, MEMARG_LANE, "v128.store16_lane", "iv>", 1, V128_STORE16_LANE) \
  X(V128_STORE32_LANE, 0xfd5a, MEMARG_LANE, "v128.store32_lane", "iv>", 2, V128_STORE32_LANE) \
  X(V128_STORE64_LANE, 0xfd5b, MEMARG_LANE, "v128.store64_lane", "iv>", 3, V128_STORE64_LANE) \
  X(V128_LOAD32_ZERO, 0xfd5c, MEMARG, "v128.load32_zero", "i>v", 2, V128_LOAD32_ZERO) \
  X(V128_LOAD64_ZERO, 0xfd5d, MEMARG, "v128.load64_zero", "i>v", 3, V128_LOAD64_ZERO) \
  X(F32X4_DEMOTE_F64X2_ZERO, 0xfd5e, NONE, "f32x4.demote_f64x2_zero", "v>v", 0, F32X4_DEMOTE_F64X2_ZERO) \
  X(F64X2_PROMOTE_LOW_F32X4, 0xfd5f, NONE, "f64x2.promote_low_f32x4", "v>v", 0, F64X2_PROMOTE_LOW_F32X4) \
  X(I8X16_ABS, 0xfd60, NONE, "i8x16.abs", "v>v", 0, I8X16_ABS) \
  X(I8X16_NEG, 0xfd61, NONE, "i8x16.neg", "v>v", 0, I8X16_NEG) \
  X(I8X16_POPCNT, 0xfd62, NONE, "i8x16.popcnt", "v>v", 0, I8X16_POPCNT) \
  X(I8X16_ALL_TRUE, 0xfd63, NONE, "i8x16.all_true", "v>i", 0, I8X16_ALL_TRUE) \
  X(I8X16_BITMASK, 0xfd64, NONE, "i8x16.bitmask", "v>i", 0, I8X16_BITMASK) \
  X(I8X16_NARROW_I16X8_S, 0xfd65, NONE, "i8x16.narrow_i16x8_s", "vv>v", 0, I8X16_NARROW_I16X8_S) \
  X(I8X16_NARROW_I16X8_U, 0xfd66, NONE, "i8x16.narrow_i16x8_u", "vv>v", 0, I8X16_NARROW_I16X8_U) \
  X(F32X4_CEIL, 0xfd67, NONE, "f32x4.ceil", "v>v", 0, F32X4_CEIL) \
  X(F32X4_FLOOR, 0xfd68, NONE, "f32x4.floor", "v>v", 0, F32X4_FLOOR) \
  X(F32X4_TRUNC, 0xfd69, NONE, "f32x4.trunc", "v>v", 0, F32X4_TRUNC) \
  X(F32X4_NEAREST, 0xfd6a, NONE, "f32x4.nearest", "v>v", 0, F32X4_NEAREST) \
  X(I8X16_SHL, 0xfd6b, NONE, "i8x16.shl", "vi>v", 0, I8X16_SHL) \
  X(I8X16_SHR_S, 0xfd6c, NONE, "i8x16.shr_s", "vi>v", 0, I8X16_SHR_S) \
  X(I8X16_SHR_U, 0xfd6d, NONE, "i8x16.shr_u", "vi>v", 0, I8X16_SHR_U) \
  X(I8X16_ADD, 0xfd6e, NONE, "i8x16.add", "vv>v", 0, I8X16_ADD) \
  X(I8X16_ADD_SAT_S, 0xfd6f, NONE, "i8x16.add_sat_s", "vv>v", 0, I8X16_ADD_SAT_S) \
  X(I8X16_ADD_SAT_U, 0xfd70, NONE, "i8x16.add_sat_u", "vv>v", 0, I8X16_ADD_SAT_U) \
  X(I8X16_SUB, 0xfd71, NONE, "i8x16.sub", "vv>v", 0, I8X16_SUB) \
  X(I8X16_SUB_SAT_S, 0xfd72, NONE, "i8x16.sub_sat_s", "vv>v", 0, I8X16_SUB_SAT_S) \
  X(I8X16_SUB_SAT_U, 0xfd73, NONE, "i8x16.sub_sat_u", "vv>v", 0, I8X16_SUB_SAT_U) \
  X(F64X2_CEIL, 0xfd74, NONE, "f64x2.ceil", "v>v", 0, F64X2_CEIL) \
  X(F64X2_FLOOR, 0xfd75, NONE, "f64x2.floor", "v>v", 0, F64X2_FLOOR) \
  X(I8X16_MIN_S, 0xfd76, NONE, "i8x16.min_s", "vv>v", 0, I8X16_MIN_S) \
  X(I8X16_MIN_U, 0xfd77, NONE, "i8x16.min_u", "vv>v", 0, I8X16_MIN_U) \
  X(I8X16_MAX_S, 0xfd78, NONE, "i8x16.max_s", "vv>v", 0, I8X16_MAX_S) \
  X(I8X16_MAX_U, 0xfd79, NONE, "i8x16.max_u", "vv>v", 0, I8X16_MAX_U) \
  X(F64X2_TRUNC, 0xfd7a, NONE, "f64x2.trunc", "v>v", 0, F64X2_TRUNC) \
  X(I8X16_AVGR_U, 0xfd7b, NONE, "i8x16.avgr_u", "vv>v", 0, I8X16_AVGR_U) \
  X(I16X8_EXTADD_PAIRWISE_I8X16_S, 0xfd7c, NONE, "i16x8.extadd_pairwise_i8x16_s", "v>v", 0, I16X8_EXTADD_PAIRWISE_I8X16_S) \
  X(I16X8_EXTADD_PAIRWISE_I8X16_U, 0xfd7d, NONE, "i16x8.extadd_pairwise_i8x16_u", "v>v", 0, I16X8_EXTADD_PAIRWISE_I8X16_U) \
  X(I32X4_EXTADD_PAIRWISE_I16X8_S, 0xfd7e, NONE, "i32x4.extadd_pairwise_i16x8_s", "v>v", 0, I32X4_EXTADD_PAIRWISE_I16X8_S) \
  X(I32X4_EXTADD_PAIRWISE_I16X8_U, 0xfd7f, NONE, "i32x4.extadd_pairwise_i16x8_u", "v>v", 0, I32X4_EXTADD_PAIRWISE_I16X8_U) \
  X(I16X8_ABS, 0xfd80, NONE, "i16x8.abs", "v>v", 0, I16X8_ABS) \
  X(I16X8_NEG, 0xfd81, NONE, "i16x8.neg", "v>v", 0, I16X8_NEG) \
  X(I16X8_Q15MULR_SAT_S, 0xfd82, NONE, "i16x8.q15mulr_sat_s", "vv>v", 0, I16X8_Q15MULR_SAT_S) \
  X(I16X8_ALL_TRUE, 0xfd83, NONE, "i16x8.all_true", "v>i", 0, I16X8_ALL_TRUE) \
  X(I16X8_BITMASK, 0xfd84, NONE, "i16x8.bitmask", "v>i", 0, I16X8_BITMASK) \
  X(I16X8_NARROW_I32X4_S, 0xfd85, NONE, "i16x8.narrow_i32x4_s", "vv>v", 0, I16X8_NARROW_I32X4_S) \
  X(I16X8_NARROW_I32X4_U, 0xfd86, NONE, "i16x8.narrow_i32x4_u", "vv>v", 0, I16X8_NARROW_I32X4_U) \
  X(I16X8_EXTEND_LOW_I8X16_S, 0xfd87, NONE, "i16x8.extend_low_i8x16_s", "v>v", 0, I16X8_EXTEND_LOW_I8X16_S) \
  X(I16X8_EXTEND_HIGH_I8X16_S, 0xfd88, NONE, "i16x8.extend_high_i8x16_s", "v>v", 0, I16X8_EXTEND_HIGH_I8X16_S) \
  X(I16X8_EXTEND_LOW_I8X16_U, 0xfd89, NONE, "i16x8.extend_low_i8x16_u", "v>v", 0, I16X8_EXTEND_LOW_I8X16_U) \
  X(I16X8_EXTEND_HIGH_I8X16_U, 0xfd8a, NONE, "i16x8.extend_high_i8x16_u", "v>v", 0, I16X8_EXTEND_HIGH_I8X16_U) \
  X(I16X8_SHL, 0xfd8b, NONE, "i16x8.shl", "vi>v", 0, I16X8_SHL) \
  X(I16X8_SHR_S, 0xfd8c, NONE, "i16x8.shr_s", "vi>v", 0, I16X8_SHR_S) \
  X(I16X8_SHR_U, 0xfd8d, NONE, "i16x8.shr_u", "vi>v", 0, I16X8_SHR_U) \
  X(I16X8_ADD, 0xfd8e, NONE, "i16x8.add", "vv>v", 0, I16X8_ADD) \
  X(I16X8_ADD_SAT_S, 0xfd8f, NONE, "i16x8.add_sat_s", "vv>v", 0, I16X8_ADD_SAT_S) \
  X(I16X8_ADD_SAT_U, 0xfd90, NONE, "i16x8.add_sat_u", "vv>v", 0, I16X8_ADD_SAT_U) \
  X(I16X8_SUB, 0xfd91, NONE, "i16x8.sub", "vv>v", 0, I16X8_SUB) \
  X(I16X8_SUB_SAT_S, 0xfd92, NONE, "i16x8.sub_sat_s", "vv>v", 0, I16X8_SUB_SAT_S) \
  X(I16X8_SUB_SAT_U, 0xfd93, NONE, "i16x8.sub_sat_u", "vv>v", 0, I16X8_SUB_SAT_U) \
  X(F64X2_NEAREST, 0xfd94, NONE, "f64x2.nearest", "v>v", 0, F64X2_NEAREST) \
  X(I16X8_MUL, 0xfd95, NONE, "i16x8.mul", "vv>v", 0, I16X8_MUL) \
  X(I16X8_MIN_S, 0xfd96, NONE, "i16x8.min_s", "vv>v", 0, I16X8_MIN_S) \
  X(I16X8_MIN_U, 0xfd97, NONE, "i16x8.min_u", "vv>v", 0, I16X8_MIN_U) \
  X(I16X8_MAX_S, 0xfd98, NONE, "i16x8.max_s", "vv>v", 0, I16X8_MAX_S) \
  X(I16X8_MAX_U, 0xfd99, NONE, "i16x8.max_u", "vv>v", 0, I16X8_MAX_U) \
  X(I16X8_AVGR_U, 0xfd9b, NONE, "i16x8.avgr_u", "vv>v", 0, I16X8_AVGR_U) \
  X(I16X8_EXTMUL_LOW_I8X16_S, 0xfd9c, NONE, "i16x8.extmul_low_i8x16_s", "vv>v", 0, I16X8_EXTMUL_LOW_I8X16_S) \
  X(I16X8_EXTMUL_HIGH_I8X16_S, 0xfd9d, NONE, "i16x8.extmul_high_i8x16_s", "vv>v", 0, I16X8_EXTMUL_HIGH_I8X16_S) \
  X(I16X8_EXTMUL_LOW_I8X16_U, 0xfd9e, NONE, "i16x8.extmul_low_i8x16_u", "vv>v", 0, I16X8_EXTMUL_LOW_I8X16_U) \
  X(I16X8_EXTMUL_HIGH_I8X16_U, 0xfd9f, NONE, "i16x8.extmul_high_i8x16_u", "vv>v", 0, I16X8_EXTMUL_HIGH_I8X16_U) \
  X(I32X4_ABS, 0xfda0, NONE, "i32x4.abs", "v>v", 0, I32X4_ABS) \
  X(I32X4_NEG, 0xfda1, NONE, "i32x4.neg", "v>v", 0, I32X4_NEG) \
  X(I32X4_ALL_TRUE, 0xfda3, NONE, "i32x4.all_true", "v>i", 0, I32X4_ALL_TRUE) \
  X(I32X4_BITMASK, 0xfda4, NONE, "i32x4.bitmask", "v>i", 0, I32X4_BITMASK) \
  X(I32X4_EXTEND_LOW_I16X8_S, 0xfda7, NONE, "i32x4.extend_low_i16x8_s", "v>v", 0, I32X4_EXTEND_LOW_I16X8_S) \
  X(I32X4_EXTEND_HIGH_I16X8_S, 0xfda8, NONE, "i32x4.extend_high_i16x8_s", "v>v", 0, I32X4_EXTEND_HIGH_I16X8_S) \
  X(I32X4_EXTEND_LOW_I16X8_U, 0xfda9, NONE, "i32x4.extend_low_i16x8_u", "v>v", 0, I32X4_EXTEND_LOW_I16X8_U) \
  X(I32X4_EXTEND_HIGH_I16X8_U, 0xfdaa, NONE, "i32x4.extend_high_i16x8_u", "v>v", 0, I32X4_EXTEND_HIGH_I16X8_U) \
  X(I32X4_SHL, 0xfdab, NONE, "i32x4.shl", "vi>v", 0, I32X4_SHL) \
  X(I32X4_SHR_S, 0xfdac, NONE, "i32x4.shr_s", "vi>v", 0, I32X4_SHR_S) \
  X(I32X4_SHR_U, 0xfdad, NONE, "i32x4.shr_u", "vi>v", 0, I32X4_SHR_U) \
  X(I32X4_ADD, 0xfdae, NONE, "i32x4.add", "vv>v", 0, I32X4_ADD) \
  X(I32X4_SUB, 0xfdb1, NONE, "i32x4.sub", "vv>v", 0, I32X4_SUB) \
  X(I32X4_MUL, 0xfdb5, NONE, "i32x4.mul", "vv>v", 0, I32X4_MUL) \
  X(I32X4_MIN_S, 0xfdb6, NONE, "i32x4.min_s", "vv>v", 0, I32X4_MIN_S) \
  X(I32X4_MIN_U, 0xfdb7, NONE, "i32x4.min_u", "vv>v", 0, I32X4_MIN_U) \
  X(I32X4_MAX_S, 0xfdb8, NONE, "i32x4.max_s", "vv>v", 0, I32X4_MAX_S) \
  X(I32X4_MAX_U, 0xfdb9, NONE, "i32x4.max_u", "vv>v", 0, I32X4_MAX_U) \
  X(I32X4_DOT_I16X8_S, 0xfdba, NONE, "i32x4.dot_i16x8_s", "vv>v", 0, I32X4_DOT_I16X8_S) \
  X(I32X4_EXTMUL_LOW_I16X8_S, 0xfdbc, NONE, "i32x4.extmul_low_i16x8_s", "vv>v", 0, I32X4_EXTMUL_LOW_I16X8_S) \
  X(I32X4_EXTMUL_HIGH_I16X8_S, 0xfdbd, NONE, "i32x4.extmul_high_i16x8_s", "vv>v", 0, I32X4_EXTMUL_HIGH_I16X8_S) \
  X(I32X4_EXTMUL_LOW_I16X8_U, 0xfdbe, NONE, "i32x4.extmul_low_i16x8_u", "vv>v", 0, I32X4_EXTMUL_LOW_I16X8_U) \
  X(I32X4_EXTMUL_HIGH_I16X8_U, 0xfdbf, NONE, "i32x4.extmul_high_i16x8_u", "vv>v", 0, I32X4_EXTMUL_HIGH_I16X8_U) \
  X(I64X2_ABS, 0xfdc0, NONE, "i64x2.abs", "v>v", 0, I64X2_ABS) \
  X(I64X2_NEG, 0xfdc1, NONE, "i64x2.neg", "v>v", 0, I64X2_NEG) \
  X(I64X2_ALL_TRUE, 0xfdc3, NONE, "i64x2.all_true", "v>i", 0, I64X2_ALL_TRUE) \
  X(I64X2_BITMASK, 0xfdc4, NONE, "i64x2.bitmask", "v>i", 0, I64X2_BITMASK) \
  X(I64X2_EXTEND_LOW_I32X4_S, 0xfdc7, NONE, "i64x2.extend_low_i32x4_s", "v>v", 0, I64X2_EXTEND_LOW_I32X4_S) \
  X(I64X2_EXTEND_HIGH_I32X4_S, 0xfdc8, NONE, "i64x2.extend_high_i32x4_s", "v>v", 0, I64X2_EXTEND_HIGH_I32X4_S) \
  X(I64X2_EXTEND_LOW_I32X4_U, 0xfdc9, NONE, "i64x2.extend_low_i32x4_u", "v>v", 0, I64X2_EXTEND_LOW_I32X4_U) \
  X(I64X2_EXTEND_HIGH_I32X4_U, 0xfdca, NONE, "i64x2.extend_high_i32x4_u", "v>v", 0, I64X2_EXTEND_HIGH_I32X4_U) \
  X(I64X2_SHL, 0xfdcb, NONE, "i64x2.shl", "vi>v", 0, I64X2_SHL) \
  X(I64X2_SHR_S, 0xfdcc, NONE, "i64x2.shr_s", "vi>v", 0, I64X2_SHR_S) \
  X(I64X2_SHR_U, 0xfdcd, NONE, "i64x2.shr_u", "vi>v", 0, I64X2_SHR_U) \
  X(I64X2_ADD, 0xfdce, NONE, "i64x2.add", "vv>v", 0, I64X2_ADD) \
  X(I64X2_SUB, 0xfdd1, NONE, "i64x2.sub", "vv>v", 0, I64X2_SUB) \
  X(I64X2_MUL, 0xfdd5, NONE, "i64x2.mul", "vv>v", 0, I64X2_MUL) \
  X(I64X2_EQ, 0xfdd6, NONE, "i64x2.eq", "vv>v", 0, I64X2_EQ) \
  X(I64X2_NE, 0xfdd7, NONE, "i64x2.ne", "vv>v", 0, I64X2_NE) \
  X(I64X2_LT_S, 0xfdd8, NONE, "i64x2.lt_s", "vv>v", 0, I64X2_LT_S) \
  X(I64X2_GT_S, 0xfdd9, NONE, "i64x2.gt_s", "vv>v", 0, I64X2_GT_S) \
  X(I64X2_LE_S, 0xfdda, NONE, "i64x2.le_s", "vv>v", 0, I64X2_LE_S) \
  X(I64X2_GE_S, 0xfddb, NONE, "i64x2.ge_s", "vv>v", 0, I64X2_GE_S) \
  X(I64X2_EXTMUL_LOW_I32X4_S, 0xfddc, NONE, "i64x2.extmul_low_i32x4_s", "vv>v", 0, I64X2_EXTMUL_LOW_I32X4_S) \
  X(I64X2_EXTMUL_HIGH_I32X4_S, 0xfddd, NONE, "i64x2.extmul_high_i32x4_s", "vv>v", 0, I64X2_EXTMUL_HIGH_I32X4_S) \
  X(I64X2_EXTMUL_LOW_I32X4_U, 0xfdde, NONE, "i64x2.extmul_low_i32x4_u", "vv>v", 0, I64X2_EXTMUL_LOW_I32X4_U) \
  X(I64X2_EXTMUL_HIGH_I32X4_U, 0xfddf, NONE, "i64x2.extmul_high_i32x4_u", "vv>v", 0, I64X2_EXTMUL_HIGH_I32X4_U) \
  X(F32X4_ABS, 0xfde0, NONE, "f32x4.abs", "v>v", 0, F32X4_ABS) \
  X(F32X4_NEG, 0xfde1, NONE, "f32x4.neg", "v>v", 0, F32X4_NEG) \
  X(F32X4_SQRT, 0xfde3, NONE, "f32x4.sqrt", "v>v", 0, F32X4_SQRT) \
  X(F32X4_ADD, 0xfde4, NONE, "f32x4.add", "vv>v", 0, F32X4_ADD) \
  X(F32X4_SUB, 0xfde5, NONE, "f32x4.sub", "vv>v", 0, F32X4_SUB) \
  X(F32X4_MUL, 0xfde6, NONE, "f32x4.mul", "vv>v", 0, F32X4_MUL) \
  X(F32X4_DIV, 0xfde7, NONE, "f32x4.div", "vv>v", 0, F32X4_DIV) \
  X(F32X4_MIN, 0xfde8, NONE, "f32x4.min", "vv>v", 0, F32X4_MIN) \
  X(F32X4_MAX, 0xfde9, NONE, "f32x4.max", "vv>v", 0, F32X4_MAX) \
  X(F32X4_PMIN, 0xfdea, NONE, "f32x4.pmin", "vv>v", 0, F32X4_PMIN) \
  X(F32X4_PMAX, 0xfdeb, NONE, "f32x4.pmax", "vv>v", 0, F32X4_PMAX) \
  X(F64X2_ABS, 0xfdec, NONE, "f64x2.abs", "v>v", 0, F64X2_ABS) \
  X(F64X2_NEG, 0xfded, NONE, "f64x2.neg", "v>v", 0, F64X2_NEG) \
  X(F64X2_SQRT, 0xfdef, NONE, "f64x2.sqrt", "v>v", 0, F64X2_SQRT) \
  X(F64X2_ADD, 0xfdf0, NONE, "f64x2.add", "vv>v", 0, F64X2_ADD) \
  X(F64X2_SUB, 0xfdf1, NONE, "f64x2.sub", "vv>v", 0, F64X2_SUB) \
  X(F64X2_MUL, 0xfdf2, NONE, "f64x2.mul", "vv>v", 0, F64X2_MUL) \
  X(F64X2_DIV, 0xfdf3, NONE, "f64x2.div", "vv>v", 0, F64X2_DIV) \
  X(F64X2_MIN, 0xfdf4, NONE, "f64x2.min", "vv>v", 0, F64X2_MIN) \
  X(F64X2_MAX, 0xfdf5, NONE, "f64x2.max", "vv>v", 0, F64X2_MAX) \
  X(F64X2_PMIN, 0xfdf6, NONE, "f64x2.pmin", "vv>v", 0, F64X2_PMIN) \
  X(F64X2_PMAX, 0xfdf7, NONE, "f64x2.pmax", "vv>v", 0, F64X2_PMAX) \
  X(I32X4_TRUNC_SAT_F32X4_S, 0xfdf8, NONE, "i32x4.trunc_sat_f32x4_s", "v>v", 0, I32X4_TRUNC_SAT_F32X4_S) \
  X(I32X4_TRUNC_SAT_F32X4_U, 0xfdf9, NONE, "i32x4.trunc_sat_f32x4_u", "v>v", 0, I32X4_TRUNC_SAT_F32X4_U) \
  X(F32X4_CONVERT_I32X4_S, 0xfdfa, NONE, "f32x4.convert_i32x4_s", "v>v", 0, F32X4_CONVERT_I32X4_S) \
  X(F32X4_CONVERT_I32X4_U, 0xfdfb, NONE, "f32x4.convert_i32x4_u", "v>v", 0, F32X4_CONVERT_I32X4_U) \
  X(I32X4_TRUNC_SAT_F64X2_S_ZERO, 0xfdfc, NONE, "i32x4.trunc_sat_f64x2_s_zero", "v>v", 0, I32X4_TRUNC_SAT_F64X2_S_ZERO) \
  X(I32X4_TRUNC_SAT_F64X2_U_ZERO, 0xfdfd, NONE, "i32x4.trunc_sat_f64x2_u_zero", "v>v", 0, I32X4_TRUNC_SAT_F64X2_U_ZERO) \
  X(F64X2_CONVERT_LOW_I32X4_S, 0xfdfe, NONE, "f64x2.convert_low_i32x4_s", "v>v", 0, F64X2_CONVERT_LOW_I32X4_S) \
  X(F64X2_CONVERT_LOW_I32X4_U, 0xfdff, NONE, "f64x2.convert_low_i32x4_u", "v>v", 0, F64X2_CONVERT_LOW_I32X4_U) \
  /* Relaxed SIMD (Core 3.0 5.4.8: 0xFD sub-opcodes 0x100-0x113; OP = 0xFE00 | (sub - 0x100)) */ \
  X(I8X16_RELAXED_SWIZZLE, 0xfe00, NONE, "i8x16.relaxed_swizzle", "vv>v", 0, I8X16_RELAXED_SWIZZLE) \
  X(I32X4_RELAXED_TRUNC_F32X4_S, 0xfe01, NONE, "i32x4.relaxed_trunc_f32x4_s", "v>v", 0, I32X4_RELAXED_TRUNC_F32X4_S) \
  X(I32X4_RELAXED_TRUNC_F32X4_U, 0xfe02, NONE, "i32x4.relaxed_trunc_f32x4_u", "v>v", 0, I32X4_RELAXED_TRUNC_F32X4_U) \
  X(I32X4_RELAXED_TRUNC_F64X2_S_ZERO, 0xfe03, NONE, "i32x4.relaxed_trunc_f64x2_s_zero", "v>v", 0, I32X4_RELAXED_TRUNC_F64X2_S_ZERO) \
  X(I32X4_RELAXED_TRUNC_F64X2_U_ZERO, 0xfe04, NONE, "i32x4.relaxed_trunc_f64x2_u_zero", "v>v", 0, I32X4_RELAXED_TRUNC_F64X2_U_ZERO) \
  X(F32X4_RELAXED_MADD, 0xfe05, NONE, "f32x4.relaxed_madd", "vvv>v", 0, F32X4_RELAXED_MADD) \
  X(F32X4_RELAXED_NMADD, 0xfe06, NONE, "f32x4.relaxed_nmadd", "vvv>v", 0, F32X4_RELAXED_NMADD) \
  X(F64X2_RELAXED_MADD, 0xfe07, NONE, "f64x2.relaxed_madd", "vvv>v", 0, F64X2_RELAXED_MADD) \
  X(F64X2_RELAXED_NMADD, 0xfe08, NONE, "f64x2.relaxed_nmadd", "vvv>v", 0, F64X2_RELAXED_NMADD) \
  X(I8X16_RELAXED_LANESELECT, 0xfe09, NONE, "i8x16.relaxed_laneselect", "vvv>v", 0, I8X16_RELAXED_LANESELECT) \
  X(I16X8_RELAXED_LANESELECT, 0xfe0a, NONE, "i16x8.relaxed_laneselect", "vvv>v", 0, I16X8_RELAXED_LANESELECT) \
  X(I32X4_RELAXED_LANESELECT, 0xfe0b, NONE, "i32x4.relaxed_laneselect", "vvv>v", 0, I32X4_RELAXED_LANESELECT) \
  X(I64X2_RELAXED_LANESELECT, 0xfe0c, NONE, "i64x2.relaxed_laneselect", "vvv>v", 0, I64X2_RELAXED_LANESELECT) \
  X(F32X4_RELAXED_MIN, 0xfe0d, NONE, "f32x4.relaxed_min", "vv>v", 0, F32X4_RELAXED_MIN) \
  X(F32X4_RELAXED_MAX, 0xfe0e, NONE, "f32x4.relaxed_max", "vv>v", 0, F32X4_RELAXED_MAX) \
  X(F64X2_RELAXED_MIN, 0xfe0f, NONE, "f64x2.relaxed_min", "vv>v", 0, F64X2_RELAXED_MIN) \
  X(F64X2_RELAXED_MAX, 0xfe10, NONE, "f64x2.relaxed_max", "vv>v", 0, F64X2_RELAXED_MAX) \
  X(I16X8_RELAXED_Q15MULR_S, 0xfe11, NONE, "i16x8.relaxed_q15mulr_s", "vv>v", 0, I16X8_RELAXED_Q15MULR_S) \
  X(I16X8_RELAXED_DOT_I8X16_I7X16_S, 0xfe12, NONE, "i16x8.relaxed_dot_i8x16_i7x16_s", "vv>v", 0, I16X8_RELAXED_DOT_I8X16_I7X16_S) \
  X(I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S, 0xfe13, NONE, "i32x4.relaxed_dot_i8x16_i7x16_add_s", "vvv>v", 0, I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S) \
  /* Exception handling (Core 3.0 5.4.1; validated only with WK_FEAT_EXCEPTIONS) */ \
  X(THROW, 0x0008, TAG, "throw", NULL, 0, NA) \
  /* Legacy exception handling (the proposal's first version, exception-handling repository \
   * document/legacy/exceptions; validated only with WK_FEAT_LEGACY_EXCEPTIONS): try bt, catch x, \
   * catch_all, delegate l (ends the try like end), rethrow l */ \
  X(TRY, 0x0006, BLOCK, "try", NULL, 0, NA) \
  X(CATCH, 0x0007, TAG, "catch", NULL, 0, NA) \
  X(CATCH_ALL, 0x0019, NONE, "catch_all", NULL, 0, NA) \
  X(DELEGATE, 0x0018, LABEL, "delegate", NULL, 0, NA) \
  X(RETHROW, 0x0009, LABEL, "rethrow", NULL, 0, NA) \
  X(THROW_REF, 0x000a, NONE, "throw_ref", NULL, 0, NA) \
  X(TRY_TABLE, 0x001f, TRY_TABLE, "try_table", NULL, 0, NA) \
  /* GC (Core 3.0 binary/instructions.rst; prefix 0xFB: OP = 0xFB00 | sub; ref.eq 0xD3; validated \
   * only with WK_FEAT_GC, malformed without it) */ \
  X(REF_EQ, 0x00d3, NONE, "ref.eq", NULL, 0, NA) \
  X(STRUCT_NEW, 0xfb00, TYPE, "struct.new", NULL, 0, NA) \
  X(STRUCT_NEW_DEFAULT, 0xfb01, TYPE, "struct.new_default", NULL, 0, NA) \
  X(STRUCT_GET, 0xfb02, TYPE_FIELD, "struct.get", NULL, 0, NA) \
  X(STRUCT_GET_S, 0xfb03, TYPE_FIELD, "struct.get_s", NULL, 0, NA) \
  X(STRUCT_GET_U, 0xfb04, TYPE_FIELD, "struct.get_u", NULL, 0, NA) \
  X(STRUCT_SET, 0xfb05, TYPE_FIELD, "struct.set", NULL, 0, NA) \
  X(ARRAY_NEW, 0xfb06, TYPE, "array.new", NULL, 0, NA) \
  X(ARRAY_NEW_DEFAULT, 0xfb07, TYPE, "array.new_default", NULL, 0, NA) \
  X(ARRAY_NEW_FIXED, 0xfb08, TYPE_COUNT, "array.new_fixed", NULL, 0, NA) \
  X(ARRAY_NEW_DATA, 0xfb09, TYPE_DATA, "array.new_data", NULL, 0, NA) \
  X(ARRAY_NEW_ELEM, 0xfb0a, TYPE_ELEM, "array.new_elem", NULL, 0, NA) \
  X(ARRAY_GET, 0xfb0b, TYPE, "array.get", NULL, 0, NA) \
  X(ARRAY_GET_S, 0xfb0c, TYPE, "array.get_s", NULL, 0, NA) \
  X(ARRAY_GET_U, 0xfb0d, TYPE, "array.get_u", NULL, 0, NA) \
  X(ARRAY_SET, 0xfb0e, TYPE, "array.set", NULL, 0, NA) \
  X(ARRAY_LEN, 0xfb0f, NONE, "array.len", NULL, 0, NA) \
  X(ARRAY_FILL, 0xfb10, TYPE, "array.fill", NULL, 0, NA) \
  X(ARRAY_COPY, 0xfb11, TYPE_TYPE, "array.copy", NULL, 0, NA) \
  X(ARRAY_INIT_DATA, 0xfb12, TYPE_DATA, "array.init_data", NULL, 0, NA) \
  X(ARRAY_INIT_ELEM, 0xfb13, TYPE_ELEM, "array.init_elem", NULL, 0, NA) \
  X(REF_TEST, 0xfb14, HEAPTYPE, "ref.test", NULL, 0, NA) \
  X(REF_TEST_NULL, 0xfb15, HEAPTYPE, "ref.test", NULL, 0, NA) \
  X(REF_CAST, 0xfb16, HEAPTYPE, "ref.cast", NULL, 0, NA) \
  X(REF_CAST_NULL, 0xfb17, HEAPTYPE, "ref.cast", NULL, 0, NA) \
  X(BR_ON_CAST, 0xfb18, BR_ON_CAST, "br_on_cast", NULL, 0, NA) \
  X(BR_ON_CAST_FAIL, 0xfb19, BR_ON_CAST, "br_on_cast_fail", NULL, 0, NA) \
  X(ANY_CONVERT_EXTERN, 0xfb1a, NONE, "any.convert_extern", NULL, 0, NA) \
  X(EXTERN_CONVERT_ANY, 0xfb1b, NONE, "extern.convert_any", NULL, 0, NA) \
  X(REF_I31, 0xfb1c, NONE, "ref.i31", NULL, 0, NA) \
  X(I31_GET_S, 0xfb1d, NONE, "i31.get_s", NULL, 0, NA) \
  X(I31_GET_U, 0xfb1e, NONE, "i31.get_u", NULL, 0, NA)


/* clang-format on */

/* Opcode numbers (the OP column). */
enum wk_op {
#define WK_X_OP(name, op, imm, text, sig, aux, iop) WK_OP_##name = op,
  WK_OPCODES(WK_X_OP)
#undef WK_X_OP
};

/* Dense indices 0..WK_OPI_COUNT-1, in table order (for dispatch tables). */
enum wk_opi {
#define WK_X_OPI(name, op, imm, text, sig, aux, iop) WK_OPI_##name,
  WK_OPCODES(WK_X_OPI)
#undef WK_X_OPI
  WK_OPI_COUNT
};

#endif
