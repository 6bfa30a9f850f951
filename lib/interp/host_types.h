/*
 * lib/interp internal: typed references at the host boundary (host_types.c).
 */
#ifndef WK_INTERP_HOST_TYPES_H
#define WK_INTERP_HOST_TYPES_H
#include "interp/internal.h"

/* 1 when every typed-reference argument of `args` (f's nparams values, of the right families)
 * fits f's parameter type: not null for a (ref ht), a function of type $t for a (ref null? $t).
 * With GC in the store (s->gc), a reference of the any hierarchy or of a struct/array type must
 * be an i31 or a live object of store `s` (gc.h wk_gc_ref_fits).
 * 0 otherwise (wk_func_call: WK_ERR_USAGE; a null there would break the engine's
 * non-null assumptions). */
int wk_func_args_fit(wk_store *s, const wk_func *f, const wk_value *args);
/* The same for a host function's results (wk_call_host: else the call traps). */
int wk_host_results_fit(wk_store *s, const wk_func *f, const wk_value *res);
/* 1 when `v` (of g's family) fits global g's store-level type (wk_global_set) */
int wk_global_value_fits(const wk_global *g, const wk_value *v);
/* Append the text of an extern's type / of import `im`'s type in `inst` (Core 3.0 text format
 * forms: `(func (param i32))`, `(global (mut (ref null (func))))`, `(table 1 10 funcref)`, ...,
 * concrete heap types written out as their function types) to `b`: import-matching errors. */
void wk_extern_type_text(const wk_store *s, const wk_extern *e, wk_buf *b);
void wk_import_type_text(const wk_store *s, const wk_instance *inst, const wk_mimport *im, wk_buf *b);
#endif
