/*
 * lib/encode/ctcodes.h — the one table of component-model type codes
 * (component-model design/mvp/Binary.md "Type Definitions"), the component
 * counterpart of WK_OPCODES (opcodes.h) for core instructions.
 *
 * Every byte a component type is encoded with has one name here:
 *  - primvaltype (0x7f bool .. 0x73 string, 0x64 error-context),
 *  - defvaltype (0x72 record .. 0x63 map),
 *  - resourcetype 0x3f, functype 0x40 / 0x43 (async), componenttype 0x41,
 *    instancetype 0x42, and the core types a component defines
 *    (core:functype 0x60, core:moduletype 0x50),
 *  - the sort / extern-kind bytes (Binary.md "Index Spaces"/"Alias
 *    Definitions": sort, core:sort; externdesc).
 * Code that reads or writes these bytes uses the names, never the literal.
 */
#ifndef WK_ENCODE_CTCODES_H
#define WK_ENCODE_CTCODES_H
#include <stdint.h>

/* primvaltype: X(NAME, code, WIT/WAT name). Binary.md "primvaltype". */
#define WK_CT_PRIMS(X)                          \
  X(BOOL, 0x7f, "bool")                         \
  X(S8, 0x7e, "s8")                             \
  X(U8, 0x7d, "u8")                             \
  X(S16, 0x7c, "s16")                           \
  X(U16, 0x7b, "u16")                           \
  X(S32, 0x7a, "s32")                           \
  X(U32, 0x79, "u32")                           \
  X(S64, 0x78, "s64")                           \
  X(U64, 0x77, "u64")                           \
  X(F32, 0x76, "f32")                           \
  X(F64, 0x75, "f64")                           \
  X(CHAR, 0x74, "char")                         \
  X(STRING, 0x73, "string")                     \
  X(ERROR_CONTEXT, 0x64, "error-context")

/* defvaltype constructors: X(NAME, code, WAT keyword). Binary.md "defvaltype". */
#define WK_CT_DEFVALTYPES(X)                    \
  X(RECORD, 0x72, "record")                     \
  X(VARIANT, 0x71, "variant")                   \
  X(LIST, 0x70, "list")                         \
  X(FIXED_LIST, 0x67, "list") /* (list t len), cm-fixed-length-lists */ \
  X(TUPLE, 0x6f, "tuple")                       \
  X(FLAGS, 0x6e, "flags")                       \
  X(ENUM, 0x6d, "enum")                         \
  X(OPTION, 0x6b, "option")                     \
  X(RESULT, 0x6a, "result")                     \
  X(OWN, 0x69, "own")                           \
  X(BORROW, 0x68, "borrow")                     \
  X(STREAM, 0x66, "stream")                     \
  X(FUTURE, 0x65, "future")                     \
  X(MAP, 0x63, "map") /* (map k v), cm-map */

/* The other type definitions: X(NAME, code, WAT keyword). Binary.md
 * "resourcetype", "functype", "componenttype", "instancetype",
 * "core:functype"/"core:moduletype". */
#define WK_CT_DEFTYPES(X)                       \
  X(RESOURCE, 0x3f, "resource")                 \
  X(FUNC, 0x40, "func")                         \
  X(COMPONENT, 0x41, "component")               \
  X(INSTANCE, 0x42, "instance")                 \
  X(ASYNC_FUNC, 0x43, "func") /* (func async ...) */ \
  X(CORE_FUNC, 0x60, "func")                    \
  X(CORE_MODULE, 0x50, "module")

#define WK_CT_ENUM_(n, c, s) WK_CTC_##n = c,
/* WK_CTC_BOOL ... WK_CTC_MAP, WK_CTC_RESOURCE ... WK_CTC_CORE_MODULE. */
enum { WK_CT_PRIMS(WK_CT_ENUM_) WK_CT_DEFVALTYPES(WK_CT_ENUM_) WK_CT_DEFTYPES(WK_CT_ENUM_) };
#undef WK_CT_ENUM_

/* sort (Binary.md "sort"): the byte after which an index names a core item
 * (then a core:sort byte follows), func, value, type, component or instance.
 * The same numbers are the externdesc kinds (importdecl/exportdecl). */
enum {
  WK_CSORT_CORE = 0x00,
  WK_CSORT_FUNC = 0x01,
  WK_CSORT_VALUE = 0x02,
  WK_CSORT_TYPE = 0x03,
  WK_CSORT_COMPONENT = 0x04,
  WK_CSORT_INSTANCE = 0x05,
};
/* core:sort (Binary.md "core:sort"); externdesc's core module is 0x00 0x11. */
enum {
  WK_CCSORT_FUNC = 0x00,
  WK_CCSORT_TABLE = 0x01,
  WK_CCSORT_MEMORY = 0x02,
  WK_CCSORT_GLOBAL = 0x03,
  WK_CCSORT_TAG = 0x04,
  WK_CCSORT_TYPE = 0x10,
  WK_CCSORT_MODULE = 0x11,
  WK_CCSORT_INSTANCE = 0x12,
};

/* Is `c` a primvaltype code? */
static inline int wk_ct_is_prim(uint8_t c) { return (c >= WK_CTC_STRING && c <= WK_CTC_BOOL) || c == WK_CTC_ERROR_CONTEXT; }

/* WIT name of primvaltype code `c` ("bool" ... "error-context"), NULL if none. */
static inline const char *wk_ct_prim_name(uint8_t c) {
  switch (c) {
#define WK_CT_NAME_(n, k, s) \
  case k: return s;
    WK_CT_PRIMS(WK_CT_NAME_)
#undef WK_CT_NAME_
  default: return 0;
  }
}

#endif
