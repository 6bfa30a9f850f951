/*
 * lib/canonabi/value.h — component values on the host side, and the
 * canonical ABI's lift/lower over an abstract guest memory.
 *
 * CONTRACT HEADER (session 3): the shapes below are the agreement between
 * lib/canonabi (which implements them), lib/component (which wires them to
 * lib/interp) and lib/wasi (whose 0.2 host functions take and return
 * wk_cval trees). Change a shape only together with every user.
 *
 * Spec: component-model design/mvp/CanonicalABI.md ("Lifting and Lowering
 * Values", "Loading", "Storing", "Flat Lifting", "Flat Lowering", "Handle
 * State", "canon resource.new/drop/rep") and its executable reference
 * definitions.py (the names here follow it: ComponentInstance, ResourceType,
 * ResourceHandle, LiftLowerContext, borrow scope, num_lends).
 *
 * Depends on lib/base only (plus canonabi.h's types).
 *
 * CHANGES (h-cabi, against the session-3 contract):
 *  - wk_cabi_flat.type is wk_cabi_core (canonabi.h: WK_CABI_CORE_I32/I64/F32/F64,
 *    the same values as lib/encode's WK_I32/I64/F32/F64), so canonabi no longer
 *    includes encode/encode.h. wk_cabi_flatten() and wk_cabi_core_sig use it too.
 *  - Comment fix: trees live in a wk_arena (there is no wk_cval_arena).
 *  - Added wk_cval_equal() (structural equality, for tests and hosts).
 *  - Added wk_cabi_call_init(); wk_cabi_call_finish() also frees `lenders`.
 *  - Documented: wk_cval.of.handle.rt is set by lifting (the handle's type);
 *    lowering uses t->resource, or of.handle.rt when the type tree has none.
 *    A type tree whose own/borrow has resource == NULL accepts a handle of any
 *    resource type when lifting.
 *  - Documented: lifting a borrow with cx->borrow_scope == NULL records no lend
 *    (a host consumer that finishes before returning).
 *  - Host values that break the type (bad case index, char not a scalar value,
 *    string not UTF-8, fixed list of the wrong length, missing payload) give
 *    WK_ERR_INVALID (the spec asserts these never happen); traps stay WK_ERR_TRAP.
 *  - wk_cabi_lift_values / wk_cabi_lower_values: `nflat` must equal the flat
 *    count (WK_ERR_USAGE otherwise); `*nout` is the count written.
 *  - canonabi.h: added wk_cabi_join() and wk_cabi_uses_memory() (lib/encode's
 *    component validator now flattens through canonabi instead of its own copy).
 *  - WAVE: names == NULL (or a NULL labels array) where labels are needed gives
 *    WK_ERR_USAGE; print also returns WK_ERR_INVALID for a value that does not
 *    match its type. map<K, V> (which WAVE lacks) is written and read as a
 *    list of (key, value) tuples.
 *  - Documented: canonabi clears cx->inst->may_leave around each realloc call
 *    (LiftLowerContext.reallocate); resource.new/drop trap when it is clear.
 *  - Added wk_wave_call_name / wk_cval_parse_wave_args: WAVE function calls
 *    `name(args...)` (wasm-wave parse_raw_func_call), what wrun --invoke reads.
 *  - Documented: opts.ptr_size 8 (memory64) works for pointers read from
 *    memory and flat values (and the 1 << 63 UTF-16 tag), but realloc results
 *    are 32-bit in this interface.
 */
#ifndef WK_CANONABI_VALUE_H
#define WK_CANONABI_VALUE_H
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "canonabi/canonabi.h"

/* ------------------------------------------------------------------ */
/* Host values: a tree of component values (Explainer.md "Value types"). */

typedef struct wk_cabi_rtype wk_cabi_rtype;
typedef struct wk_cval wk_cval;

/*
 * One component value. `kind` is the (specialized) kind of its type.
 *   bool            of.b (0/1)
 *   s8..s64         of.s
 *   u8..u64         of.u
 *   f32, f64        of.f32 / of.f64 (NaNs canonical after lifting)
 *   char            of.ch (a Unicode scalar value)
 *   string          of.str: UTF-8 bytes (not NUL-terminated; ptr may be NULL when len == 0)
 *   list, record, tuple
 *                   of.seq: n items (fields in declaration order)
 *   variant, enum, option, result
 *                   of.var: case index (option: 0 none, 1 some; result: 0 ok, 1 error)
 *                   and the payload (NULL when the case has none)
 *   flags           of.flags: bit i = label i, 32 labels per word (n words)
 *   own, borrow     of.handle: the resource type and the representation
 *                   (CanonicalABI.md: lifting a handle yields its rep)
 * Memory: a tree lives in a wk_arena or in memory the caller manages;
 * nothing in a tree is freed piecemeal. Lifted strings own a copy of their
 * bytes in the arena (never point into guest memory).
 */
struct wk_cval {
  wk_cabi_kind kind;
  union {
    int b;
    int64_t s;
    uint64_t u;
    float f32;
    double f64;
    uint32_t ch;
    struct {
      const char *ptr;
      uint32_t len;
    } str;
    struct {
      wk_cval *items;
      uint32_t n;
    } seq;
    struct {
      uint32_t disc;
      wk_cval *payload;
    } var;
    struct {
      uint32_t *words;
      uint32_t n;
    } flags;
    struct {
      const wk_cabi_rtype *rt;
      uint32_t rep;
    } handle;
  } of;
};

/*
 * Building host values (a host function's result, a host's arguments): the
 * one set of constructors every host uses. All memory comes from `a`.
 *   wk_cval_alloc      n zeroed values (at least one, so n == 0 still gives a
 *                      usable pointer); NULL when the arena is exhausted
 *   wk_cval_set_case   variant/enum/option/result case `disc` with `payload`
 *                      (NULL: the case has none)
 *   wk_cval_set_string a string: a copy of the n UTF-8 bytes at s
 *   wk_cval_set_seq    a list/record/tuple of n zeroed items (kind k)
 *   wk_cval_set_bytes  a list<u8> copying n bytes
 * The setters return WK_OK or WK_ERR_NOMEM (v's payload is then unset).
 */
wk_cval *wk_cval_alloc(wk_arena *a, uint32_t n);
void wk_cval_set_case(wk_cval *v, wk_cabi_kind k, uint32_t disc, wk_cval *payload);
int wk_cval_set_string(wk_arena *a, wk_cval *v, const char *s, size_t n);
int wk_cval_set_seq(wk_arena *a, wk_cval *v, wk_cabi_kind k, uint32_t n);
int wk_cval_set_bytes(wk_arena *a, wk_cval *v, const uint8_t *b, size_t n);

/*
 * WAVE text (the WebAssembly Value Encoding of wasm-tools/wasmtime `--invoke`):
 * print `v` of type `t` into `out` (appended): `42`, `-1.5`, `nan`, `'x'`,
 * `"a\n"`, `[1, 2]`, `{a: 1, b: "x"}`, `(1, "a")`, `case(payload)`, `some(1)`,
 * `none`, `ok(1)`, `err("e")`, `{read, write}`, and `own<rep>`-style handles
 * are not printable (WK_ERR_UNSUPPORTED). Returns WK_OK or WK_ERR_NOMEM.
 */
typedef struct wk_cabi_names wk_cabi_names;
int wk_cval_print_wave(const wk_cval *v, const wk_cabi_type *t, const wk_cabi_names *names, wk_buf *out,
                       wk_error *err);

/*
 * Parse WAVE text of type `t` (type trees do not carry names, so case and
 * field names come from `names`, see wk_cabi_names) into *out, allocated from
 * `arena`. Errors: WK_ERR_MALFORMED with err->offset = byte offset in `text`
 * and what was expected. Deterministic; never reads past `len`.
 */
int wk_cval_parse_wave(const char *text, size_t len, const wk_cabi_type *t, const wk_cabi_names *names,
                       wk_arena *arena, wk_cval *out, wk_error *err);

/*
 * A WAVE function call `name(arg, ...)`, the syntax of `wasmtime run --invoke` (wasm-wave
 * parse_raw_func_call and UntypedFuncCall::to_wasm_params), read in two steps because the
 * arguments' types come from the function the name finds:
 *  - wk_wave_call_name: the name at the start of `text` (nothing before it): wasm-wave's
 *    `label`, `iface.label`, `ns:pkg/iface.label`, each with an optional `@version` at the
 *    end (wit-parser ItemName), or wkit's `ns:pkg/iface@version#label` (`@version` optional):
 *    *name_len bytes of text.
 *  - wk_cval_parse_wave_args: after those name_len bytes, `(`, the arguments separated by `,`
 *    (a trailing comma allowed), `)`, then only whitespace and // comments; whitespace and
 *    comments anywhere between tokens. Argument k has type types[k] and label names names[k]
 *    (names may be NULL); out[0..nparams) are filled (from `arena`). Trailing option
 *    parameters may be left out: they are `none`.
 * Errors: WK_ERR_MALFORMED with err->offset a byte offset in `text`; *bad_arg is the index of
 * the argument whose value is wrong, or UINT32_MAX when the call's own syntax or its number of
 * arguments is (bad_arg may be NULL). Never reads past `len`.
 */
int wk_wave_call_name(const char *text, size_t len, size_t *name_len, wk_error *err);
int wk_cval_parse_wave_args(const char *text, size_t len, size_t name_len, uint32_t nparams,
                            const wk_cabi_type *const *types, const wk_cabi_names *const *names, wk_arena *arena,
                            wk_cval *out, uint32_t *bad_arg, wk_error *err);

/*
 * Names of a type tree's labels, parallel to it (record field names, variant
 * case names, enum and flags labels): `labels[i]` for i < t->n, `children`
 * parallel to t->children. NULL where a kind has none. Built by whoever built
 * the type tree (lib/component from component types, lib/witparse from a
 * Resolve). WAVE printing and parsing need them.
 */
struct wk_cabi_names {
  const char *const *labels;
  const wk_cabi_names *const *children;
};

/* ------------------------------------------------------------------ */
/* Runtime state for lift/lower (definitions.py ComponentInstance etc.). */

typedef struct wk_cabi_instance wk_cabi_instance;

/*
 * A resource type (definitions.py ResourceType): generative, one per
 * `(type (resource ...))` definition per instantiation, or defined by a
 * host. `impl` is the component instance that defined it (NULL for a host
 * resource). `dtor`, if set, runs when the last own handle is dropped:
 * guest destructors are called by lib/component through this callback;
 * host destructors free the host object behind `rep`.
 */
struct wk_cabi_rtype {
  wk_cabi_instance *impl;
  int (*dtor)(void *env, uint32_t rep, wk_error *err);
  void *dtor_env;
  const char *name; /* for messages: "wasi:io/streams.output-stream", "r" */
};

/* One handle-table entry (definitions.py ResourceHandle). */
typedef struct wk_cabi_handle {
  const wk_cabi_rtype *rt; /* NULL = free slot */
  uint32_t rep;
  uint8_t own;
  uint32_t num_lends;  /* own handles lent as borrows that are still live */
  void *borrow_scope;  /* borrow handles: the call (wk_cabi_call) that must drop it */
} wk_cabi_handle;

/*
 * A component instance's canonical-ABI state (definitions.py
 * ComponentInstance): its handle table (index 0 is never used, as the spec's
 * Table), may_leave (cleared while lowering into guest memory via realloc /
 * during post-return), may_enter (reentrance guard). Owned by lib/component;
 * canonabi reads and writes it.
 */
struct wk_cabi_instance {
  wk_cabi_handle *handles;
  uint32_t nhandles, cap;
  uint32_t free_head; /* free list through rep of free slots, 0 = none */
  int may_leave;
  int may_enter;
};

/*
 * A call in progress on the callee side (definitions.py Task / Subtask, sync
 * only): counts borrow handles lowered into the callee (num_borrows, must be
 * 0 at return: trap otherwise) and records own handles whose lends must be
 * released when the call returns (lenders).
 */
typedef struct wk_cabi_call {
  wk_cabi_instance *inst;
  uint32_t num_borrows;
  uint32_t *lenders; /* handle indices in the caller's table whose num_lends were incremented */
  wk_cabi_instance *lender_inst;
  uint32_t nlenders, cap;
} wk_cabi_call;

/*
 * Guest memory and realloc, abstractly (definitions.py LiftLowerContext +
 * CanonicalOptions). `memory` returns the current base and size (it may move
 * after a realloc call: canonabi fetches it again after every realloc).
 * `realloc` calls the guest's realloc(old_ptr, old_size, align, new_size):
 * returns WK_OK with *ptr, or WK_ERR_TRAP (err has the guest's trap text).
 * canonabi checks the result's alignment and bounds (a trap otherwise).
 * `post_return` is not called by canonabi (lib/component calls it).
 */
typedef struct wk_cabi_cx {
  wk_cabi_opts opts;
  uint8_t *(*memory)(void *env, size_t *len);
  int (*realloc)(void *env, uint32_t old_ptr, uint32_t old_size, uint32_t align, uint32_t new_size,
                 uint32_t *ptr, wk_error *err);
  void *env;
  wk_cabi_instance *inst; /* the instance whose memory and handle table this is */
  wk_cabi_call *borrow_scope; /* lifting borrows from a caller: the callee's call; lowering: this call */
} wk_cabi_cx;

/* A flat core value (CanonicalABI.md "Flat Lifting": i32/i64/f32/f64 by bits). */
typedef struct wk_cabi_flat {
  wk_cabi_core type;
  uint64_t bits; /* i32 zero-extended; f32/f64 as IEEE bits */
} wk_cabi_flat;

/*
 * Traps: every lift/lower function returns WK_OK, WK_ERR_TRAP (err->msg is the
 * spec's reason, e.g. "invalid UTF-8", "string pointer/length out of
 * bounds", "invalid variant discriminant", "unknown handle index",
 * "realloc return: misaligned pointer", "invalid char", "flags bits out of
 * range", "borrow handles still remain at the end of the call") or
 * WK_ERR_NOMEM (arena).
 */

/* definitions.py lift_flat_values / lower_flat_values with the
 * MAX_FLAT_PARAMS / MAX_FLAT_RESULTS spilling of canon lift/lower:
 * lift `ntypes` values from `flat` (nflat core values) into `out`;
 * lower `nvals` values to flat core values (out cap WK_CABI_SIG_MAX), writing
 * spilled tuples to memory through realloc (params) or to `retptr`
 * (results of a lowered import: `out_ptr` is the caller-supplied pointer). */
int wk_cabi_lift_values(wk_cabi_cx *cx, const wk_cabi_type *const *types, uint32_t ntypes, uint32_t max_flat,
                        const wk_cabi_flat *flat, uint32_t nflat, wk_arena *arena, wk_cval *out, wk_error *err);
int wk_cabi_lower_values(wk_cabi_cx *cx, const wk_cabi_type *const *types, uint32_t ntypes, uint32_t max_flat,
                         const wk_cval *vals, int have_out_ptr, uint32_t out_ptr, wk_cabi_flat *out,
                         uint32_t *nout, wk_error *err);

/* definitions.py load / store: one value at `ptr` in guest memory. */
int wk_cabi_load(wk_cabi_cx *cx, const wk_cabi_type *t, uint32_t ptr, wk_arena *arena, wk_cval *out,
                 wk_error *err);
int wk_cabi_store(wk_cabi_cx *cx, const wk_cabi_type *t, const wk_cval *v, uint32_t ptr, wk_error *err);

/* Structural equality of two values of type `t` (floats by bits, so NaN == NaN
 * after canonicalization; handles by rt and rep). Returns 1 or 0. */
int wk_cval_equal(const wk_cval *a, const wk_cval *b, const wk_cabi_type *t);

/* Handle tables (definitions.py Table, canon resource.new/drop/rep). Traps
 * (WK_ERR_TRAP): inst->may_leave clear (new, drop), unknown handle index,
 * wrong resource type, own handle still lent (drop), table full (2^28-1). */
int wk_cabi_resource_new(wk_cabi_instance *inst, const wk_cabi_rtype *rt, uint32_t rep, uint32_t *handle,
                         wk_error *err);
/* Drop: own → runs rt->dtor (trap if lent); borrow → decrements the scope's num_borrows. */
int wk_cabi_resource_drop(wk_cabi_instance *inst, const wk_cabi_rtype *rt, uint32_t handle, wk_error *err);
int wk_cabi_resource_rep(wk_cabi_instance *inst, const wk_cabi_rtype *rt, uint32_t handle, uint32_t *rep,
                         wk_error *err);
/* Zero a call record and bind it to the callee instance `inst`. */
void wk_cabi_call_init(wk_cabi_call *call, wk_cabi_instance *inst);
/* End of a call (definitions.py Task.return: trap if num_borrows > 0;
 * Subtask.deliver_resolve: release the lends). Frees `lenders` either way. */
int wk_cabi_call_finish(wk_cabi_call *call, wk_error *err);
void wk_cabi_instance_init(wk_cabi_instance *inst);
void wk_cabi_instance_free(wk_cabi_instance *inst);

#endif
