/*
 * lib/canonabi — Canonical ABI layouts (component-model design/mvp/CanonicalABI.md):
 * alignment, element size, field/payload offsets, discriminant types, flattening
 * of value types and of function types, string-encoding constants.
 *
 * The library works on its own small, abstract type description (wk_cabi_type),
 * not on lib/witparse's Resolve, so that both the binding generator (which
 * builds wk_cabi_type trees from a Resolve) and the runtime (which builds them
 * from decoded component types) share one implementation of the rules.
 *
 * Nothing here allocates. Every function that walks a type tree is bounded by
 * WK_CABI_MAX_DEPTH and checks sizes against the spec's limits, so trees built
 * from hostile input cannot crash or overflow it.
 */
#ifndef WK_CANONABI_H
#define WK_CANONABI_H
#include <stdint.h>

#include "base/base.h"

/* CanonicalABI.md "Flattening". */
#define WK_CABI_MAX_FLAT_PARAMS 16
#define WK_CABI_MAX_FLAT_ASYNC_PARAMS 4
#define WK_CABI_MAX_FLAT_RESULTS 1
/* CanonicalABI.md "Loading": MAX_STRING_BYTE_LENGTH / MAX_LIST_BYTE_LENGTH; also
 * the bound component validation puts on elem_size(t, 'i64') ("Element Size"). */
#define WK_CABI_MAX_BYTE_LENGTH ((1u << 28) - 1)
/* CanonicalABI.md "Loading" (load_string): the latin1+utf16 tag bit of a length. */
#define WK_CABI_UTF16_TAG (1u << 31)
/* Nesting bound for type trees (hostile-input guard; wit-parser's own limit is lower). */
#define WK_CABI_MAX_DEPTH 100

/*
 * Core value types of flattened signatures (CanonicalABI.md "Flattening":
 * 'i32', 'i64', 'f32', 'f64'). The values are the core binary format's
 * valtype opcodes (Core spec 5.3.1), so they convert 1:1 to lib/encode's
 * wk_valtype without canonabi depending on lib/encode.
 */
typedef enum wk_cabi_core {
  WK_CABI_CORE_I32 = 0x7f,
  WK_CABI_CORE_I64 = 0x7e,
  WK_CABI_CORE_F32 = 0x7d,
  WK_CABI_CORE_F64 = 0x7c,
} wk_cabi_core;

/*
 * Type kinds, CanonicalABI.md / Explainer.md "Type definitions". Specialized
 * types (tuple, enum, option, result, map) are kept as such; the functions
 * below despecialize them per CanonicalABI.md "Despecialization".
 */
typedef enum wk_cabi_kind {
  WK_CABI_BOOL,
  WK_CABI_S8,
  WK_CABI_U8,
  WK_CABI_S16,
  WK_CABI_U16,
  WK_CABI_S32,
  WK_CABI_U32,
  WK_CABI_S64,
  WK_CABI_U64,
  WK_CABI_F32,
  WK_CABI_F64,
  WK_CABI_CHAR,
  WK_CABI_STRING,
  WK_CABI_ERROR_CONTEXT,
  WK_CABI_LIST,    /* children[0] = element; `length` != 0 for a fixed-length list<T, N> */
  WK_CABI_RECORD,  /* n fields: children[0..n) */
  WK_CABI_TUPLE,   /* n elements: children[0..n) */
  WK_CABI_VARIANT, /* n cases: children[i] is the payload or NULL */
  WK_CABI_ENUM,    /* n cases, no children */
  WK_CABI_OPTION,  /* children[0] = payload */
  WK_CABI_RESULT,  /* children[0] = ok payload or NULL, children[1] = error payload or NULL */
  WK_CABI_FLAGS,   /* n labels, no children */
  WK_CABI_OWN,     /* resource handles: an i32 index */
  WK_CABI_BORROW,
  WK_CABI_FUTURE,  /* children may be absent (n == 0) */
  WK_CABI_STREAM,
  WK_CABI_MAP,     /* children[0] = key, children[1] = value: list<tuple<K, V>> */
  WK_CABI_KIND_COUNT
} wk_cabi_kind;

/*
 * A value type. `children` points at `n` child pointers for record, tuple and
 * variant; at 1 for list and option; at 2 for result and map. `n` is also the
 * label count of enum and flags. The caller owns the tree (arena-allocate it).
 */
typedef struct wk_cabi_type wk_cabi_type;
struct wk_cabi_type {
  wk_cabi_kind kind;
  uint32_t n;
  uint32_t length; /* fixed-length list element count; 0 = variable-length */
  const wk_cabi_type *const *children;
  /* own/borrow in trees built at run time: the resource type (canonabi/value.h);
   * NULL in layout-only trees (bindgen). */
  const struct wk_cabi_rtype *resource;
};

/* Canonical ABI options that change layouts (CanonicalABI.md "Canonical ABI Options"). */
typedef enum wk_cabi_string_encoding {
  WK_CABI_UTF8 = 0,
  WK_CABI_UTF16 = 1,
  WK_CABI_LATIN1_UTF16 = 2, /* "latin1+utf16", a.k.a. compact-utf16 */
} wk_cabi_string_encoding;

typedef struct wk_cabi_opts {
  uint32_t ptr_size; /* 4 (memory32, 'i32' pointers) or 8 (memory64) */
  wk_cabi_string_encoding string_encoding;
  int async_;   /* canonopt async */
  int callback; /* canonopt callback present (lift, async) */
} wk_cabi_opts;

/* Size and alignment in bytes of a value type (CanonicalABI.md "Alignment", "Element Size"). */
typedef struct wk_cabi_layout {
  uint32_t size;
  uint32_t align;
} wk_cabi_layout;

/*
 * Size and alignment of `t` with pointers of `ptr_size` bytes (4 or 8).
 * Errors: WK_ERR_INVALID for a malformed tree (NULL child where one is required,
 * an empty record/tuple/variant, a variant with 2^32 cases, nesting deeper than
 * WK_CABI_MAX_DEPTH, a size above WK_CABI_MAX_BYTE_LENGTH).
 */
int wk_cabi_layout_of(const wk_cabi_type *t, uint32_t ptr_size, wk_cabi_layout *out, wk_error *err);

/* Round `v` up to a multiple of `align` (a power of two); CanonicalABI.md align_to. */
static inline uint32_t wk_cabi_align_to(uint32_t v, uint32_t align) { return (v + align - 1) & ~(align - 1); }

/*
 * Byte size of the discriminant of a variant with `ncases` cases (1 <= ncases):
 * 1, 2 or 4 (CanonicalABI.md "Alignment", discriminant_type: u8/u16/u32).
 */
uint32_t wk_cabi_discriminant_size(uint32_t ncases);

/*
 * Byte size (= alignment) of a flags value with `nlabels` labels: 1, 2 or 4 for
 * up to 32 labels (CanonicalABI.md elem_size_flags); above 32 (accepted by older
 * toolchains) 4 * ceil(n/32), aligned to 4. 0 labels give 0.
 */
uint32_t wk_cabi_flags_size(uint32_t nlabels);
/* Number of i32 core values a flags value flattens to: 1 up to 32 labels, ceil(n/32) above, 0 for none. */
uint32_t wk_cabi_flags_flat_count(uint32_t nlabels);

/*
 * Byte offsets of the fields of a record or tuple (or of key/value of one map
 * entry) in memory: writes min(n, cap) offsets to `offsets` and returns WK_OK
 * (CanonicalABI.md store_record / elem_size_record).
 */
int wk_cabi_field_offsets(const wk_cabi_type *t, uint32_t ptr_size, uint32_t *offsets, uint32_t cap,
                          wk_error *err);

/*
 * Byte offset of the payload of a variant, enum, option or result (after the
 * discriminant, aligned to the largest case alignment; CanonicalABI.md
 * elem_size_variant / store_variant). Enums give the discriminant size.
 */
int wk_cabi_payload_offset(const wk_cabi_type *t, uint32_t ptr_size, uint32_t *offset, wk_error *err);

/*
 * Flatten `t` into core value types (WK_CABI_CORE_I32/I64/F32/F64) per
 * CanonicalABI.md "Flattening" (flatten_type, with join for variant payloads).
 * Writes at most `cap` types to `out` (which may be NULL when cap == 0) and sets
 * *count to the full count (saturating at UINT32_MAX), so a caller can tell
 * "more than MAX_FLAT_PARAMS" without a large buffer.
 */
int wk_cabi_flatten(const wk_cabi_type *t, uint32_t ptr_size, wk_cabi_core *out, uint32_t cap, uint32_t *count,
                    wk_error *err);

/* The context of a function-type flattening: lifting a core export, or lowering an import. */
typedef enum wk_cabi_context { WK_CABI_LIFT = 0, WK_CABI_LOWER = 1 } wk_cabi_context;

/* A flattened core function type. */
#define WK_CABI_SIG_MAX (WK_CABI_MAX_FLAT_PARAMS + 1)
typedef struct wk_cabi_core_sig {
  wk_cabi_core params[WK_CABI_SIG_MAX];
  uint32_t nparams;
  wk_cabi_core results[WK_CABI_SIG_MAX];
  uint32_t nresults;
  int indirect_params;  /* params were spilled: the one (first) param is a pointer to them */
  int indirect_results; /* lift: the result is a pointer; lower: the last param is a return pointer */
} wk_cabi_core_sig;

/*
 * CanonicalABI.md "Flattening" flatten_functype: the core signature of a
 * component function with `nparams` parameter types and an optional result
 * type (NULL = no result), for `context` and `opts` (ptr_size, async_,
 * callback). Parameters or results beyond the limits go through memory.
 */
int wk_cabi_flatten_func(const wk_cabi_type *const *params, uint32_t nparams, const wk_cabi_type *result,
                         const wk_cabi_opts *opts, wk_cabi_context context, wk_cabi_core_sig *out, wk_error *err);

/* Size in bytes of one code unit of `enc` (1 for utf8 and for the latin1 half of latin1+utf16, 2 for utf16). */
uint32_t wk_cabi_string_unit_size(wk_cabi_string_encoding enc);
/* Alignment of string data in memory: 1 for utf8, 2 otherwise (CanonicalABI.md load_string_from_range). */
uint32_t wk_cabi_string_align(wk_cabi_string_encoding enc);

/* True if `t` contains a borrow handle / a future or stream (CanonicalABI.md "Type Predicates"). */
int wk_cabi_contains_borrow(const wk_cabi_type *t);
int wk_cabi_contains_async_value(const wk_cabi_type *t);
/* True if values of `t` reach into linear memory (a string, a variable-length
 * list or a map anywhere inside): canon lift/lower of such a type needs the
 * `memory` option (CanonicalABI.md "canonopt validation"). */
int wk_cabi_uses_memory(const wk_cabi_type *t);

/* CanonicalABI.md "Flattening" join: the core type holding both `a` and `b`. */
wk_cabi_core wk_cabi_join(wk_cabi_core a, wk_cabi_core b);

/* Version of lib/canonabi. */
const char *wk_canonabi_version(void);

#endif
