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
 *  - the sort / extern-kind bytes (Binary.md "Instance Definitions": sort,
 *    core:sort; "Type Definitions": externtype),
 *  - the canonical built-ins and canonopts (Binary.md "Canonical
 *    Definitions"),
 *  - the small discriminants: instance expressions, alias targets,
 *    module/component/instance declarators, bounds, resultlist, <T>?,
 *    nameattributes and attributes, and the preamble's version/layer.
 *  - the section ids (Binary.md "Component Definitions").
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

/* Section ids (Binary.md "Component Definitions": section_N). */
enum wk_csec_id {
  WK_CSEC_CUSTOM = 0, WK_CSEC_CORE_MODULE = 1, WK_CSEC_CORE_INSTANCE = 2, WK_CSEC_CORE_TYPE = 3,
  WK_CSEC_COMPONENT = 4, WK_CSEC_INSTANCE = 5, WK_CSEC_ALIAS = 6, WK_CSEC_TYPE = 7,
  WK_CSEC_CANON = 8, WK_CSEC_START = 9, WK_CSEC_IMPORT = 10, WK_CSEC_EXPORT = 11, WK_CSEC_VALUE = 12,
};

/* sort: X(NAME, code, WAT keyword). Binary.md "Instance Definitions" (sort):
 * the byte after which an index names a core item (then a core:sort byte
 * follows), func, value, type, component or instance. The same numbers are
 * the externtype kinds (Binary.md "Type Definitions": externtype), where
 * core is always `0x00 0x11` (core module). */
#define WK_CT_SORTS(X)                          \
  X(CORE, 0x00, "core")                         \
  X(FUNC, 0x01, "func")                         \
  X(VALUE, 0x02, "value")                       \
  X(TYPE, 0x03, "type")                         \
  X(COMPONENT, 0x04, "component")               \
  X(INSTANCE, 0x05, "instance")

/* core:sort: X(NAME, code, WAT keyword). Binary.md "Instance Definitions"
 * (core:sort; the values match core:externtype's). */
#define WK_CT_CORE_SORTS(X)                     \
  X(FUNC, 0x00, "func")                         \
  X(TABLE, 0x01, "table")                       \
  X(MEMORY, 0x02, "memory")                     \
  X(GLOBAL, 0x03, "global")                     \
  X(TAG, 0x04, "tag")                           \
  X(TYPE, 0x10, "type")                         \
  X(MODULE, 0x11, "module")                     \
  X(INSTANCE, 0x12, "instance")

#define WK_CT_ENUM_(n, c, s) WK_CSORT_##n = c,
/* WK_CSORT_CORE ... WK_CSORT_INSTANCE. */
enum { WK_CT_SORTS(WK_CT_ENUM_) };
#undef WK_CT_ENUM_
#define WK_CT_ENUM_(n, c, s) WK_CCSORT_##n = c,
/* WK_CCSORT_FUNC ... WK_CCSORT_INSTANCE. */
enum { WK_CT_CORE_SORTS(WK_CT_ENUM_) };
#undef WK_CT_ENUM_

/* Canonical built-ins: X(NAME, code, WAT keyword). Binary.md "Canonical
 * Definitions" (canon). LIFT and LOWER are followed by a 0x00 (the func
 * sort). RESOURCE_DROP_ASYNC (0x07 rt) and BACKPRESSURE_SET (0x08) are the
 * earlier async encodings, still decoded and re-encoded for round trips. */
#define WK_CT_CANONS(X)                                               \
  X(LIFT, 0x00, "lift")                                               \
  X(LOWER, 0x01, "lower")                                             \
  X(RESOURCE_NEW, 0x02, "resource.new")                               \
  X(RESOURCE_DROP, 0x03, "resource.drop")                             \
  X(RESOURCE_REP, 0x04, "resource.rep")                               \
  X(TASK_CANCEL, 0x05, "task.cancel")                                 \
  X(SUBTASK_CANCEL, 0x06, "subtask.cancel")                           \
  X(RESOURCE_DROP_ASYNC, 0x07, "resource.drop")                       \
  X(BACKPRESSURE_SET, 0x08, "backpressure.set")                       \
  X(TASK_RETURN, 0x09, "task.return")                                 \
  X(CONTEXT_GET, 0x0a, "context.get")                                 \
  X(CONTEXT_SET, 0x0b, "context.set")                                 \
  X(THREAD_YIELD, 0x0c, "thread.yield")                               \
  X(SUBTASK_DROP, 0x0d, "subtask.drop")                               \
  X(STREAM_NEW, 0x0e, "stream.new")                                   \
  X(STREAM_READ, 0x0f, "stream.read")                                 \
  X(STREAM_WRITE, 0x10, "stream.write")                               \
  X(STREAM_CANCEL_READ, 0x11, "stream.cancel-read")                   \
  X(STREAM_CANCEL_WRITE, 0x12, "stream.cancel-write")                 \
  X(STREAM_DROP_READABLE, 0x13, "stream.drop-readable")               \
  X(STREAM_DROP_WRITABLE, 0x14, "stream.drop-writable")               \
  X(FUTURE_NEW, 0x15, "future.new")                                   \
  X(FUTURE_READ, 0x16, "future.read")                                 \
  X(FUTURE_WRITE, 0x17, "future.write")                               \
  X(FUTURE_CANCEL_READ, 0x18, "future.cancel-read")                   \
  X(FUTURE_CANCEL_WRITE, 0x19, "future.cancel-write")                 \
  X(FUTURE_DROP_READABLE, 0x1a, "future.drop-readable")               \
  X(FUTURE_DROP_WRITABLE, 0x1b, "future.drop-writable")               \
  X(ERROR_CONTEXT_NEW, 0x1c, "error-context.new")                     \
  X(ERROR_CONTEXT_DEBUG_MESSAGE, 0x1d, "error-context.debug-message") \
  X(ERROR_CONTEXT_DROP, 0x1e, "error-context.drop")                   \
  X(WAITABLE_SET_NEW, 0x1f, "waitable-set.new")                       \
  X(WAITABLE_SET_WAIT, 0x20, "waitable-set.wait")                     \
  X(WAITABLE_SET_POLL, 0x21, "waitable-set.poll")                     \
  X(WAITABLE_SET_DROP, 0x22, "waitable-set.drop")                     \
  X(WAITABLE_JOIN, 0x23, "waitable.join")                             \
  X(BACKPRESSURE_INC, 0x24, "backpressure.inc")                       \
  X(BACKPRESSURE_DEC, 0x25, "backpressure.dec")                       \
  X(THREAD_INDEX, 0x26, "thread.index")                               \
  X(THREAD_NEW_INDIRECT, 0x27, "thread.new-indirect")                 \
  X(THREAD_RESUME_LATER, 0x28, "thread.resume-later")                 \
  X(THREAD_SUSPEND, 0x29, "thread.suspend")                           \
  X(THREAD_SUSPEND_THEN_RESUME, 0x2a, "thread.suspend-then-resume")   \
  X(THREAD_YIELD_THEN_RESUME, 0x2b, "thread.yield-then-resume")       \
  X(THREAD_SUSPEND_THEN_PROMOTE, 0x2c, "thread.suspend-then-promote") \
  X(THREAD_YIELD_THEN_PROMOTE, 0x2d, "thread.yield-then-promote")     \
  X(THREAD_SPAWN_REF, 0x40, "thread.spawn-ref")                       \
  X(THREAD_SPAWN_INDIRECT, 0x41, "thread.spawn-indirect")             \
  X(THREAD_AVAILABLE_PARALLELISM, 0x42, "thread.available_parallelism")

/* canonopt: X(NAME, code, WAT text). Binary.md "Canonical Definitions"
 * (canonopt); MEMORY, REALLOC, POST_RETURN and CALLBACK take an index. */
#define WK_CT_CANONOPTS(X)                                  \
  X(UTF8, 0x00, "string-encoding=utf8")                     \
  X(UTF16, 0x01, "string-encoding=utf16")                   \
  X(LATIN1_UTF16, 0x02, "string-encoding=latin1+utf16")     \
  X(MEMORY, 0x03, "memory")                                 \
  X(REALLOC, 0x04, "realloc")                               \
  X(POST_RETURN, 0x05, "post-return")                       \
  X(ASYNC, 0x06, "async")                                   \
  X(CALLBACK, 0x07, "callback")                             \
  X(CORE_TYPE, 0x08, "core-type") /* wasm-tools, cm GC */   \
  X(GC, 0x09, "gc")               /* wasm-tools, cm GC */

#define WK_CT_ENUM_(n, c, s) WK_CANON_##n = c,
/* WK_CANON_LIFT ... WK_CANON_THREAD_AVAILABLE_PARALLELISM. */
enum { WK_CT_CANONS(WK_CT_ENUM_) };
#undef WK_CT_ENUM_
#define WK_CT_ENUM_(n, c, s) WK_COPT_##n = c,
/* WK_COPT_UTF8 ... WK_COPT_CALLBACK. */
enum { WK_CT_CANONOPTS(WK_CT_ENUM_) };
#undef WK_CT_ENUM_

/* The small discriminant bytes of the component grammar (Binary.md). */
enum {
  /* "Canonical Definitions": the 0x00 after lift/lower (Binary.md: "stands for the func sort"). */
  WK_CANON_FUNC_SORT = 0x00,
  /* "Instance Definitions": core:instanceexpr and instanceexpr. */
  WK_CINST_INSTANTIATE = 0x00, /* module/component index, args */
  WK_CINST_EXPORTS = 0x01,     /* inline exports */
  /* "Alias Definitions": alias target. */
  WK_CALIAS_EXPORT = 0x00,      /* instance export */
  WK_CALIAS_CORE_EXPORT = 0x01, /* core instance export */
  WK_CALIAS_OUTER = 0x02,       /* outer count, index */
  /* "Type Definitions": core:alias is `0x10 0x01 ct idx` (core:sort type, outer). */
  WK_CCALIAS_OUTER = 0x01,
  /* "Type Definitions": core:moduledecl. */
  WK_CMODDECL_IMPORT = 0x00,
  WK_CMODDECL_TYPE = 0x01,
  WK_CMODDECL_ALIAS = 0x02,
  WK_CMODDECL_EXPORT = 0x03,
  /* "Type Definitions": componentdecl / instancedecl. */
  WK_CDECL_CORE_TYPE = 0x00,
  WK_CDECL_TYPE = 0x01,
  WK_CDECL_ALIAS = 0x02,
  WK_CDECL_IMPORT = 0x03, /* componentdecl only */
  WK_CDECL_EXPORT = 0x04,
  /* "Type Definitions": typebound and valuebound. */
  WK_CBOUND_EQ = 0x00,           /* (eq i) */
  WK_CBOUND_SUB_RESOURCE = 0x01, /* (sub resource) */
  WK_CVBOUND_EQ = 0x00,          /* (eq i) */
  WK_CVBOUND_VALTYPE = 0x01,     /* a valtype */
  /* "Type Definitions": resultlist: 0x00 valtype, or 0x01 0x00 (no result; an older
   * encoding had a vec of named results after the 0x01). */
  WK_CRESULT_ONE = 0x00,
  WK_CRESULT_NONE = 0x01,
  /* "Type Definitions": <T>? (absent / present), and the 0x00 that ends a variant case. */
  WK_CT_ABSENT = 0x00,
  WK_CT_PRESENT = 0x01,
  WK_CT_CASE_END = 0x00,
  /* "Type Definitions": core:deftype's 0x00 before a non-final core sub type (0x00 0x50). */
  WK_CT_CORE_SUB_PREFIX = 0x00,
  /* "Import and Export Definitions": nameattributes (0x00 and 0x01 both plain) and attribute. */
  WK_CNA_PLAIN = 0x00,
  WK_CNA_PLAIN1 = 0x01,
  WK_CNA_ATTRS = 0x02,
  WK_CATTR_IMPLEMENTS = 0x00,
  WK_CATTR_VERSIONSUFFIX = 0x01,
  WK_CATTR_EXTERNAL_ID = 0x02,
  /* "Name Section": the component-name subsections. */
  WK_CNAMESUB_COMPONENT = 0x00, /* the component's own name */
  WK_CNAMESUB_SORT = 0x01,      /* sort, namemap */
};

/* Component preamble (Binary.md "Component Definitions"): `\0asm`, version, layer. */
enum { WK_CT_VERSION = 0x0d, WK_CT_LAYER = 0x01 };

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

/* WAT keyword of sort byte `c` ("core" ... "instance"), NULL if none. */
static inline const char *wk_ct_sort_name(uint8_t c) {
  switch (c) {
#define WK_CT_NAME_(n, k, s) \
  case k: return s;
    WK_CT_SORTS(WK_CT_NAME_)
#undef WK_CT_NAME_
  default: return 0;
  }
}

/* WAT keyword of core:sort byte `c` ("func" ... "instance"), NULL if none. */
static inline const char *wk_ct_core_sort_name(uint8_t c) {
  switch (c) {
#define WK_CT_NAME_(n, k, s) \
  case k: return s;
    WK_CT_CORE_SORTS(WK_CT_NAME_)
#undef WK_CT_NAME_
  default: return 0;
  }
}

/* WAT keyword of canon opcode `c` ("lift" ... ), NULL if none. */
static inline const char *wk_ct_canon_name(uint8_t c) {
  switch (c) {
#define WK_CT_NAME_(n, k, s) \
  case k: return s;
    WK_CT_CANONS(WK_CT_NAME_)
#undef WK_CT_NAME_
  default: return 0;
  }
}

#endif
