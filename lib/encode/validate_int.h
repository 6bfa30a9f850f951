/* Internal (lib/encode): shared between the module and function validators. */
#ifndef WK_ENCODE_VALIDATE_INT_H
#define WK_ENCODE_VALIDATE_INT_H
#include "encode/encode.h"
/* Bitmap (malloc'd, one bit per function index) of C.refs (Core 3.4.10):
 * functions referenced outside function bodies (element segments, global
 * initializers, exports). NULL on OOM. */
uint8_t *wk_val_declared_refs(const wk_core_module *m);
/* Reference types (reftypes.c, Core 3.0 3.2 "Matching"). canon: wk_val_type_canon's array (the
 * smallest equivalent type index of each type; malloc'd, NULL on OOM), needed to match two
 * concrete heap types; NULL treats distinct type indices as unrelated. */
uint32_t *wk_val_type_canon(const wk_core_module *m);
/* 1 if heap type a matches heap type b (a <: b; WK_HT_* or type indices), else 0. */
int wk_val_ht_sub(const wk_core_module *m, const uint32_t *canon, uint32_t a, uint32_t b);
/* 1 if value type a matches value type b (a <: b: equal, or references whose nullability b
 * allows and whose heap types match), else 0. */
int wk_val_vt_sub(const wk_core_module *m, const uint32_t *canon, wk_vt a, wk_vt b);
/* 1 if t's heap type (if any) names an existing type */
int wk_val_vt_ok(const wk_core_module *m, wk_vt t);
/* The element type of segment e (function-index segments: (ref func) with typed references) */
wk_vt wk_val_elem_vt(const wk_core_module *m, const wk_core_elem *e, unsigned features);
/* The top of h's hierarchy: WK_HT_FUNC, WK_HT_EXTERN, WK_HT_EXN or WK_HT_ANY (Core 3.0
 * valid/matching.rst); an out-of-range index comes back unchanged */
uint32_t wk_val_ht_top(const wk_core_module *m, uint32_t h);
/* 1 if the composite type of type a matches that of type b (Core 3.0 valid/matching.rst
 * "Composite Types"; both exist) */
int wk_val_comp_sub(const wk_core_module *m, const uint32_t *canon, uint32_t a, uint32_t b);
/* Core 3.0 valid/types.rst: the GC type section (rec groups, supertypes, field types) */
int wk_val_check_types(const wk_core_module *m, unsigned features, const uint32_t *canon, wk_error *err);
/* Core 3.0 valid/types.rst "Defaultable Types": numeric, vector and nullable reference types */
static inline int wk_val_defaultable(wk_vt t) { return wk_vt_code(t) != WK_REF; }
/* Implementation limits agreed among engines (wasmparser limits.rs, SpiderMonkey, JSC; Core 3.0
 * appendix/implementation.rst allows them): types, struct fields, array.new_fixed operands,
 * subtyping depth */
#define WK_GC_MAX_TYPES 1000000u
#define WK_GC_MAX_STRUCT_FIELDS 10000u
#define WK_GC_MAX_NEW_FIXED 10000u
#define WK_GC_MAX_SUBTYPING_DEPTH 63u
#endif
