/*
 * lib/component — run components: instantiate a validated component as
 * component-model design/mvp/Explainer.md says ("Instance Definitions",
 * "Alias Definitions", "Canonical Definitions", "Start Definitions",
 * "Import and Export Definitions"), on lib/interp, with every canon
 * lift/lower going through lib/canonabi (canonabi/value.h).
 *
 * CONTRACT HEADER (session 3): lib/wasi's 0.2 host and wrun are written
 * against these shapes. Change a shape only together with every user.
 *
 * Object model, the same split as the core engine (and wasmtime's
 * component API):
 *   wk_comp        a decoded, validated component; its core modules
 *                  translated (through the engine's AOT cache); immutable
 *   wk_comp_linker host functions, host resources and host instances by
 *                  interface name; semver-compatible matching
 *   wk_comp_inst   an instantiated component, owned by a wk_store
 * Prefix: wk_comp_. Floors: uses interp, canonabi, witparse (declared host types), encode, base.
 *
 * CHANGES (h-comp, for h-wasi and the lead):
 *  1. wk_comp_host_fn: `args` of a host function may be read only during the
 *     call; `result` is zeroed before the call and its `kind` already set from
 *     the function type (the host fills `of`).
 *  2. wk_comp_linker_define_func: `iface` may carry any semver-compatible
 *     version; an iface without a version matches only unversioned imports.
 *  3. New: wk_comp_ctx_caller_inst (the calling component instance's
 *     canonical-ABI state, for hosts that create handles themselves; usually
 *     not needed: return own handles through result->of.handle).
 *  4. wk_comp_inst_free is required (the store cannot free component
 *     instances): call it before wk_comp_linker_free (host resource types
 *     belong to the linker) and before wk_store_free.
 *  5. A host function may call wk_comp_func_call (re-entrance into a
 *     component instance that is in a call traps: "cannot enter component
 *     instance", definitions.py may_enter).
 *  6. lib/interp gains wk_trap_new (traps raised outside wasm code).
 */
#ifndef WK_COMPONENT_H
#define WK_COMPONENT_H
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "canonabi/value.h"
#include "interp/interp.h"

typedef struct wk_comp wk_comp;
typedef struct wk_comp_linker wk_comp_linker;
typedef struct wk_comp_inst wk_comp_inst;
typedef struct wk_comp_func wk_comp_func; /* an exported (lifted) component function */
typedef struct wk_comp_ctx wk_comp_ctx;   /* the context of one host-function call */

/* ---- components ---- */
/*
 * Decode, validate and prepare a component (every nested core module goes
 * through wk_module_new, so the engine's AOT cache covers them). `bytes` is
 * copied. Errors: WK_ERR_MALFORMED / WK_ERR_INVALID with a byte offset,
 * WK_ERR_NOMEM.
 */
int wk_comp_new(wk_engine *e, const uint8_t *bytes, size_t len, wk_comp **out, wk_error *err);
/* wk_comp_new without the copy: takes `bytes` (from malloc; len bytes), which the wk_comp owns
 * from then on and frees in wk_comp_free, or at once when wk_comp_new_take fails. For a caller
 * that read the file only to hand it over (wrun): copying a component costs a pass over it and
 * a page fault per 4 KiB page of the copy. */
int wk_comp_new_take(wk_engine *e, uint8_t *bytes, size_t len, wk_comp **out, wk_error *err);
void wk_comp_free(wk_comp *c);
/* 1 if the core modules of `c` came from the AOT cache in one piece (its group index, see
 * wk_module_group_load; modules without code have no entry and are translated) or each from
 * its own entry. */
int wk_comp_from_cache(const wk_comp *c);
/* 1 if `bytes` start with the component preamble (Binary.md: version 0x0d, layer 1). */
int wk_comp_is_component(const uint8_t *bytes, size_t len);

/* ---- host side ---- */
/*
 * A host function. `args`: the lifted arguments (nargs of them, in the
 * function type's order; strings and lists point into memory valid for the
 * call only). Write the result (if the function type has one) to *result,
 * allocating from wk_comp_ctx_arena(ctx). Return WK_OK, or the value of
 * wk_comp_ctx_trap / wk_comp_ctx_exit to unwind.
 * Handles: an own<R> argument of a host resource type arrives as its rep
 * (the guest's handle is already removed); a borrow<R> as its rep. To return
 * a new own<R>, set result->of.handle = {rt, rep}.
 */
typedef int (*wk_comp_host_fn)(wk_comp_ctx *ctx, void *env, const wk_cval *args, uint32_t nargs,
                               wk_cval *result);

wk_comp_linker *wk_comp_linker_new(wk_engine *e);
void wk_comp_linker_free(wk_comp_linker *l);

/*
 * Define a host function `name` in the instance `iface` ("wasi:cli/stdout@0.2.3",
 * or NULL for a function imported directly by the root component under
 * `name`). Names follow Explainer.md: "[method]output-stream.write",
 * "[constructor]fields", "[static]fields.from-list", "[resource-drop]..." is
 * not needed (resource drops go to the resource's dtor). The function's type is
 * taken from the component's import at instantiation; unless the
 * interface's types are declared (wk_comp_linker_declare_wit, checked at
 * instantiation), the host function trusts it. Later definitions replace
 * earlier ones.
 */
int wk_comp_linker_define_func(wk_comp_linker *l, const char *iface, const char *name, wk_comp_host_fn fn,
                               void *env, wk_error *err);
/*
 * Define a host resource type `name` in instance `iface`; *out is the
 * resource type (owned by the linker) to put in returned own/borrow values.
 * `dtor` runs when the guest drops its last own handle (may be NULL).
 */
int wk_comp_linker_define_resource(wk_comp_linker *l, const char *iface, const char *name,
                                   int (*dtor)(void *env, uint32_t rep, wk_error *err), void *env,
                                   const wk_cabi_rtype **out, wk_error *err);
/*
 * Declare the WIT types of what this linker's host defines, so that
 * instantiation type-checks imports instead of trusting them: `wit` (`len`
 * bytes of WIT text, one package; `name` names it in diagnostics) has a
 * world `world` (NULL: the package's only world) whose imports are the
 * interfaces, with their versions, and root functions the host defines, e.g.
 *   package host:decl; world host { import test:x/api@0.1.9; }
 *   package test:x@0.1.9; ... (a WIT document may nest packages)
 * wk_comp_instantiate then checks each import of the component that the host
 * satisfies (its interface semver-matched to the defined one, whose declared
 * name must be the same, version included) with lib/encode's
 * wk_ctypes_subtype (Explainer.md "Subtyping"): the declared instance must
 * provide every function and type of the import with equal types, else
 * WK_ERR_LINK naming the import, the function and what differs:
 *   import `test:x/api@0.1.0`: the host's `test:x/api@0.1.9` has another type:
 *   func `add`: parameter `b`: expected u32, found string
 * Undeclared interfaces keep the name checks only. Errors: the WIT's
 * diagnostics (WK_ERR_PARSE/WK_ERR_INVALID with line:col), WK_ERR_NOMEM.
 * Cost: the check walks the type graph wk_comp_new's validation kept (no
 * second validation); declaring parses, encodes and validates the WIT once.
 */
int wk_comp_linker_declare_wit(wk_comp_linker *l, const char *name, const char *wit, size_t len, const char *world,
                               wk_error *err);
/*
 * The same from the binary form (no WIT parser at run time): `bytes` is a
 * component holding one world's type, as `wit-gen wit --wasm` writes a
 * package with one world (the world's type export is used; interface type
 * exports before it are skipped) or as a `component-type` custom section
 * holds it. `bytes` is copied. `hashes` (may be NULL; must outlive the
 * linker): wk_comp_types_hashes's table for the same bytes. With it the
 * bytes are decoded only when some imported function's fingerprint differs
 * (then wk_ctypes_subtype decides and explains as above), so a host can
 * declare many interfaces without a validation pass at every start-up.
 * Errors: WK_ERR_MALFORMED / WK_ERR_INVALID (offset) when decoded here,
 * WK_ERR_NOMEM.
 */
typedef struct wk_comp_type_hash {
  const char *name; /* "ns:pkg/iface@ver#func", or "#func" for a root function */
  uint64_t hash;    /* encode/ctypes.h wk_ctypes_func_hash */
} wk_comp_type_hash;
int wk_comp_linker_declare_types(wk_comp_linker *l, const uint8_t *bytes, size_t len, const wk_comp_type_hash *hashes,
                                 size_t nhashes, wk_error *err);
/* wk_comp_linker_declare_types with `bytes` borrowed, not copied: they must
 * outlive the linker (a host's static, generated table; copying WASI's was 11K
 * instructions of every start-up). Shapes, `hashes` and errors as there. */
int wk_comp_linker_declare_types_static(wk_comp_linker *l, const uint8_t *bytes, size_t len,
                                        const wk_comp_type_hash *hashes, size_t nhashes, wk_error *err);
/* For generators: the fingerprint table of every function the world of
 * `bytes` imports, sorted by name (strcmp). Free with wk_comp_types_hashes_free. */
int wk_comp_types_hashes(const uint8_t *bytes, size_t len, wk_comp_type_hash **out, size_t *n, wk_error *err);
void wk_comp_types_hashes_free(wk_comp_type_hash *v, size_t n);

/*
 * Define the functions of interface `iface` (as wk_comp_linker_define_func
 * would) only when they are needed: `define(l, iface, env, err)` is called
 * once, the first time an import matches `iface` (instantiation) or a
 * definition is added to `iface`, so the definitions come out as if it had
 * run here (later definitions still replace earlier ones). A host with many
 * interfaces of which a component imports a few (WASI 0.2: ~140 functions
 * over ~40 interfaces) defines only those. `iface` is copied; `env` is
 * borrowed and passed to `define` unchanged (it must live until `define` has
 * run or the linker is freed). A second define_lazy of the same interface
 * first runs the pending one. Errors: WK_ERR_USAGE (a NULL argument), what
 * `define` returns (at instantiation then, or here for an earlier pending
 * one), WK_ERR_NOMEM.
 */
typedef int (*wk_comp_define_fn)(wk_comp_linker *l, const char *iface, void *env, wk_error *err);
int wk_comp_linker_define_lazy(wk_comp_linker *l, const char *iface, wk_comp_define_fn define, void *env,
                               wk_error *err);
/*
 * As wk_comp_linker_define_lazy, for an interface whose `define` defines
 * functions only (no resources): when an import needs one function `name` of
 * it, `define_one(l, iface, name, env, err)` defines just that one, which it
 * must do exactly as `define` would (or define nothing and return WK_OK when
 * `define` has no `name`). `define` itself stays pending and still runs in
 * full, once, when anything else needs the interface: a later definition in
 * it, or an import of a function define_one did not define (so an error's
 * "closest" suggestion sees every name). WASI 0.2: a component imports a few
 * functions of each interface it imports. Errors: as define_lazy, and
 * WK_ERR_USAGE for a NULL define_one.
 */
typedef int (*wk_comp_define_one_fn)(wk_comp_linker *l, const char *iface, const char *name, void *env,
                                     wk_error *err);
int wk_comp_linker_define_lazy_funcs(wk_comp_linker *l, const char *iface, wk_comp_define_fn define,
                                     wk_comp_define_one_fn define_one, void *env, wk_error *err);
/* Every import not defined becomes a function that traps when called
 * ("unknown import: NAME has not been defined"), as wasmtime's
 * --trap-unknown-imports. */
void wk_comp_linker_trap_unknown_imports(wk_comp_linker *l, int on);

/*
 * Instantiate (Explainer.md "Instance Definitions", runtime instantiation):
 * match each import of `c` by name, semver-compatibly (an import of
 * `wasi:cli/stdout@0.2.0` is satisfied by a definition of `@0.2.3`, the
 * highest compatible version wins), check what each import needs against
 * what is defined (WK_ERR_LINK: "import `wasi:cli/stdout@0.2.0`: function
 * `get-stdout` is not defined; closest: ..."), then instantiate nested core
 * modules and components in section order, run start functions. A trap
 * during instantiation: WK_ERR_TRAP with *trap. Hostile-input bounds:
 * at most 20000 component instances and 10000 core module instances per
 * call (WK_ERR_NOMEM naming the limit); at run time cross-component calls
 * nest at most 2000 deep and within 4 MiB of C stack (a trap, "call stack
 * exhausted").
 */
int wk_comp_instantiate(wk_comp_linker *l, wk_store *s, const wk_comp *c, wk_comp_inst **out, wk_trap **trap,
                        wk_error *err);

/* ---- exports and calls ---- */
/*
 * Find an exported function: `name` is "run" for a root function export, or
 * "ns:pkg/iface@v#name" / "iface#name" for a function inside an exported
 * instance. WK_ERR_USAGE when there is none.
 */
int wk_comp_inst_func(wk_comp_inst *inst, const char *name, wk_comp_func **out, wk_error *err);
/* Number of exported functions (root and one level of instances) and the i-th name, for listings. */
size_t wk_comp_inst_func_count(const wk_comp_inst *inst);
const char *wk_comp_inst_func_name(const wk_comp_inst *inst, size_t i);
/*
 * The exported function a user's name means, as wasmtime's `run --invoke` finds it (run.rs
 * search_component_funcs, with wit-parser's ItemName): `name` (`len` bytes, not NUL-terminated) is
 *  - `f`: the root function export `f`, or else the one function `f` of the exported instances;
 *  - `ns:pkg/iface.f@v` (ItemName) or wkit's `ns:pkg/iface@v#f`: `f` in the exported instance
 *    `ns:pkg/iface@v`, the version matched semver-compatibly as the Linker matches imports (an
 *    exact version first, else the highest compatible one); without a version, `f` in the one
 *    exported instance of that name;
 *  - `iface.f` / `iface#f`: `f` in the exported instance `iface`.
 * Returns how many exported functions match: 1 with *idx (for wk_comp_inst_func_name) set; 0 when
 * none; more when the name is ambiguous (wk_comp_inst_func_is(inst, i, name, len) says which i).
 */
size_t wk_comp_inst_find_func(const wk_comp_inst *inst, const char *name, size_t len, size_t *idx);
/* 1 when exported function i is one of those `name` could mean (wk_comp_inst_find_func's forms,
 * any compatible version), for listing the candidates of an ambiguous name. */
int wk_comp_inst_func_is(const wk_comp_inst *inst, size_t i, const char *name, size_t len);

/* The function's parameter types, names and result type (NULL if none); owned by the instance. */
typedef struct wk_comp_functype {
  uint32_t nparams;
  const wk_cabi_type *const *params;
  const char *const *param_labels;          /* parameter names */
  const wk_cabi_names *const *param_names;  /* per parameter, the type's label names (WAVE) */
  const wk_cabi_type *result;               /* NULL: no result */
  const wk_cabi_names *result_names;
} wk_comp_functype;
const wk_comp_functype *wk_comp_func_type(const wk_comp_func *f);

/*
 * Per-call budget for lifted values. Lifting builds one wk_cval per list
 * element (and copies strings), so a guest could make one call allocate many
 * times its own memory on the host (a list<u8> costs sizeof(wk_cval) host
 * bytes per guest byte; a list of empty records costs nothing in guest
 * memory at all). Every lift of a call's arguments or results (canon lift's
 * results, canon lower's arguments, the values a host function returns into
 * the same call) may take at most
 *   max(WK_COMP_LIFT_BUDGET_MIN, WK_COMP_LIFT_BUDGET_FACTOR x the size of the
 *       linear memory the values are lifted from)
 * host bytes; past it the call traps with "lifted values exceed the per-call
 * host memory budget of N bytes" instead of exhausting host memory.
 */
#define WK_COMP_LIFT_BUDGET_MIN ((size_t)256 << 20)
#define WK_COMP_LIFT_BUDGET_FACTOR 4

/*
 * Call an exported function (CanonicalABI.md canon lift, host caller):
 * lower `args` into the callee, run it, lift the result into *result
 * (allocated from `arena`), then call post-return. WK_ERR_TRAP with *trap
 * (wasm backtrace, WK_TRAP_EXIT for wasi:cli/exit), WK_ERR_USAGE for a wrong
 * argument count.
 */
int wk_comp_func_call(wk_store *s, wk_comp_func *f, const wk_cval *args, uint32_t nargs, wk_arena *arena,
                      wk_cval *result, wk_trap **trap, wk_error *err);
/*
 * 1 when `t` is this library's own bound on nested cross-component calls (wk_comp_instantiate:
 * 2000 deep, 4 MiB of C stack; a WK_TRAP_STACK_EXHAUSTED trap, "call stack exhausted (component
 * calls nested too deeply)"), also after it passed out through enclosing component calls; 0 for
 * any other trap, in particular the engine's own stack and call-depth limits
 * (wk_config max_call_depth / max_stack_bytes: the same code with the code's default message), and for
 * NULL. Lets a tool say which limit a stack-exhausted trap was (wrun names --max-stack /
 * --max-call-depth only for the engine's). Borrows `t`.
 */
int wk_comp_trap_is_nesting_bound(const wk_trap *t);

/* ---- inside a host call ---- */
wk_arena *wk_comp_ctx_arena(wk_comp_ctx *ctx);
wk_store *wk_comp_ctx_store(wk_comp_ctx *ctx);
/* Trap with a message (WK_TRAP_HOST); returns the value to return from the host function. */
int wk_comp_ctx_trap(wk_comp_ctx *ctx, const char *msg);
/* Unwind with an exit status (wasi:cli/exit): the outer call returns a WK_TRAP_EXIT trap. */
int wk_comp_ctx_exit(wk_comp_ctx *ctx, int status);
/* The calling component instance's handle table and flags (CHANGES 3). */
wk_cabi_instance *wk_comp_ctx_caller_inst(wk_comp_ctx *ctx);

/* Free an instance (required, see CHANGES 4). NULL is allowed. */
void wk_comp_inst_free(wk_comp_inst *inst);
const char *wk_component_version(void);

#endif
