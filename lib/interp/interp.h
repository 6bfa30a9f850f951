/*
 * lib/interp — wkit's WebAssembly engine: validate + translate each function
 * once into compact register-style internal code, then interpret it with
 * threaded dispatch. No JIT.
 *
 * Object model (as in wasmtime):
 *   wk_engine   configuration + AOT cache; shareable, immutable after creation
 *   wk_module   a validated, translated core module; immutable; owned by caller
 *   wk_store    all runtime objects (instances, memories, tables, globals,
 *               host functions); one thread at a time; freeing it frees them
 *   wk_linker   resolves imports by (module, name) and instantiates
 *   wk_instance an instantiated module, owned by its store
 *
 * Errors: functions return WK_OK or an enum wk_errcode and fill a wk_error.
 * Traps are values (wk_trap) carrying a code, the spec's message and a wasm
 * backtrace. Nothing here prints or exits.
 */
#ifndef WK_INTERP_H
#define WK_INTERP_H

#include "base/base.h"
#include "encode/encode.h"

typedef struct wk_engine wk_engine;
typedef struct wk_module wk_module;
typedef struct wk_store wk_store;
typedef struct wk_linker wk_linker;
typedef struct wk_instance wk_instance;
typedef struct wk_trap wk_trap;
typedef struct wk_caller wk_caller;
typedef struct wk_func wk_func;       /* store-owned function (wasm or host) */
typedef struct wk_memory wk_memory;   /* store-owned linear memory */
typedef struct wk_table wk_table;     /* store-owned table */
typedef struct wk_global wk_global;   /* store-owned global */
typedef struct wk_tag wk_tag;         /* store-owned exception tag (Core 3.0 exception handling) */

/* A value crossing the embedder boundary. `type` is a wk_valtype.
 * Floats travel as bit patterns so NaN payloads survive. A null reference is
 * ref == NULL; a funcref points to a wk_func; an externref is an opaque
 * host pointer (the spec runner uses small integers cast to pointers). */
typedef struct wk_value {
  uint8_t type;
  union {
    int32_t i32;
    int64_t i64;
    uint32_t f32; /* bits */
    uint64_t f64; /* bits */
    uint8_t v128[16];
    void *ref;
  } of;
} wk_value;

/* An external value: what imports take and exports give (Core spec 4.2.10). */
typedef struct wk_extern {
  uint8_t kind; /* wk_externkind */
  union {
    wk_func *func;
    wk_table *table;
    wk_memory *memory;
    wk_global *global;
    wk_tag *tag; /* WK_EXTERN_TAG: identity is the pointer (Core 3.0 "Tag Instances") */
  } of;
} wk_extern;

/* ---- engine ---- */
typedef struct wk_config {
  uint32_t max_call_depth;   /* wasm frames before "call stack exhausted"; 0 = default (10000) */
  uint64_t max_stack_bytes;  /* value-stack bytes per store before exhaustion; 0 = default (8 MiB) */
  uint64_t max_memory_bytes; /* per linear memory; growth beyond fails (memory.grow = -1); 0 = 4 GiB */
                             /* (also each store's GC heap: the host memory it holds - each struct / array
                                object's malloc block with a bound of the allocator's cost, dead objects kept
                                for reuse, its object set and mark stack; an allocation that does not fit
                                after collecting and dropping the kept dead objects traps WK_TRAP_GC_OOM;
                                0 = 1 GiB for it) */
  int guard_pages;           /* 1: reserve 4 GiB + 4 GiB guard (8 GiB of address space, PROT_NONE, pages
                                committed by memory.grow) per memory: no bounds-check branch, a fault in
                                the region becomes "out of bounds memory access" (SIGSEGV/SIGBUS handler
                                on an alternate stack; faults elsewhere go to the previous handler).
                                0: explicit checks. If a reservation fails, that store falls back to
                                explicit checks. */
  int consume_fuel;          /* 1: count fuel (see wk_store_set_fuel), charged per basic block at its
                                start (one unit per wasm instruction in it); changes the code */
  const char *cache_dir;     /* AOT cache directory (created if missing), or NULL for no cache; see
                                wk_module_from_cache */
  uint32_t cache_min_code_bytes; /* modules whose code section is smaller skip the cache (translating
                                them is cheaper than hashing: OpenSSL's setup alone costs about as much
                                as translating 20 KiB of code); 0 = default (32 KiB), 1 = cache all */
  int eager_translation;     /* 1: translate every function when the module is made; 0 (default):
                                validate every function then, translate each on its first call
                                (modules that go to the cache are always translated whole) */
  unsigned features;         /* WebAssembly 3.0 features accepted beyond 2.0 (WK_FEAT_* bits of
                                encode.h; only those in WK_INTERP_FEATURES run here, others are
                                ignored): 0 = WebAssembly 2.0 exactly. Part of the AOT cache key. */
} wk_config;

/* The WK_FEAT_* features lib/interp executes: tail calls (return_call, return_call_indirect:
 * constant host stack and frame depth), extended constant expressions, relaxed SIMD (the
 * deterministic profile, lib/interp/simd.h), multi-memory (Core 3.0 3.3.7: a memory index on
 * every memory instruction, several memories per module), memory64 (i64 addresses and
 * 64-bit limits, Core 3.0 2.3.10; with it table64: i64 tables) and exception handling (tags,
 * throw, throw_ref, try_table; an exception no handler of the running wk_func_call catches ends
 * it with the WK_TRAP_EXCEPTION trap: it never crosses a host call), and typed function references
 * (Core 3.0: (ref null? $t) types, call_ref, return_call_ref, ref.as_non_null, br_on_null,
 * br_on_non_null, table initialisers; a null callee or operand traps). Accesses to a memory other
 * than memory 0, or to an i64 memory, are bounds-checked explicitly (also with guard_pages: a
 * guard region cannot cover 64-bit addresses); an i32 memory 0 keeps the 2.0 access path.
 * wk_config_default enables all of them. */
/* Legacy exception handling (try/catch/catch_all/delegate/rethrow, WK_FEAT_LEGACY_EXCEPTIONS) is
 * on too: it is not in WebAssembly 3.0, and wasmtime rejects it ("legacy_exceptions feature
 * required"; wasmparser has it off by default), but emscripten's -fwasm-exceptions emits it
 * unless built with -sWASM_LEGACY_EXCEPTIONS=0, browsers and node run it, and enabling it only
 * gives meaning to opcodes that are otherwise malformed. */
#define WK_INTERP_FEATURES                                                                            \
  (WK_FEAT_TAIL_CALL | WK_FEAT_EXTENDED_CONST | WK_FEAT_RELAXED_SIMD | WK_FEAT_MULTI_MEMORY | WK_FEAT_MEMORY64 | \
   WK_FEAT_EXCEPTIONS | WK_FEAT_FUNCTION_REFERENCES | WK_FEAT_LEGACY_EXCEPTIONS | WK_FEAT_GC)

/* Fill *c with the defaults (guard pages on, no fuel, no cache, WK_INTERP_FEATURES). */
void wk_config_default(wk_config *c);
/* Create an engine; returns NULL only on OOM. `c` may be NULL for defaults. */
wk_engine *wk_engine_new(const wk_config *c);
void wk_engine_free(wk_engine *e);

/* ---- modules ---- */
/*
 * Decode, validate and translate a core module from `bytes` (not retained).
 * Returns WK_OK, WK_ERR_MALFORMED or WK_ERR_INVALID (err has the byte offset
 * and the spec's message, e.g. "type mismatch"), or WK_ERR_NOMEM.
 */
int wk_module_new(wk_engine *e, const uint8_t *bytes, size_t len, wk_module **out, wk_error *err);
/* Flags of wk_module_new_ex. */
enum {
  /* With a cache_dir: cache the module whatever the size of its code (not
   * only from cache_min_code_bytes on; a module without code is still not
   * cached). For modules loaded together, e.g. a component's: the hashing
   * set-up is then paid once for all of them. */
  WK_MODULE_CACHE_ANY_SIZE = 1u << 0,
};
/* wk_module_new with `flags` (WK_MODULE_*; 0 = the same as wk_module_new). */
int wk_module_new_ex(wk_engine *e, const uint8_t *bytes, size_t len, unsigned flags, wk_module **out, wk_error *err);
void wk_module_free(wk_module *m);
/* 1 if `m` was loaded from the engine's AOT cache (config cache_dir), else 0.
 * With a cache_dir, wk_module_new looks up <cache_dir>/<sha256 key>.wkc first
 * (key: wasm bytes + engine version + code-changing settings); a missing,
 * stale or corrupt entry is a miss, and a miss writes the entry atomically. */
int wk_module_from_cache(const wk_module *m);
/*
 * AOT cache for the modules of one container (a component's core modules), without hashing
 * them: a cached start-up of a component then needs no SHA-256 (libcrypto) at all.
 * wk_module_group_store records, under a cheap digest of `container` (its clen bytes, e.g. the
 * component's) and the engine settings, the cache keys of mods[0..n) (each made by
 * wk_module_new_ex with a cache_dir; a module without code has none); best effort, like every
 * cache write. wk_module_group_load, given the same container and its n modules' bytes in the
 * same order, fills out[0..n) from the cache and returns 0 only when the stored container bytes
 * and settings EQUAL the given ones (compared, not just hashed) and every module loads (from its
 * entry, or translated if it has none); otherwise it returns -1 with nothing created, and the
 * caller loads the modules one by one (wk_module_new_ex). Without a cache_dir: -1 / nothing.
 */
int wk_module_group_load(wk_engine *e, const uint8_t *container, size_t clen, size_t n, const uint8_t *const *bytes,
                         const size_t *lens, wk_module **out);
void wk_module_group_store(wk_engine *e, const uint8_t *container, size_t clen, size_t n, wk_module *const *mods);

/* Function types are lib/encode's wk_core_functype (encode/encode.h, Core
 * 2.3.3: params and results as arrays of wk_valtype), the one function type
 * of the toolchain. */

/* Import/export introspection. Strings are owned by the module. For funcs,
 * `type` is filled; other kinds leave it zeroed. */
typedef struct wk_import_desc {
  const char *module, *name;
  uint8_t kind;
  wk_core_functype type;
  /* globals and tables: the value / element type as a host-level wk_vt (a concrete heap type is a
   * type index of this module: give the module as ctx to wk_global_new_typed / wk_table_new_typed),
   * the global's mutability; tables and memories: the limits (is64: i64 address type). Zero for
   * other kinds. */
  wk_vt vt;
  uint8_t mut;
  uint8_t has_max, is64;
  uint64_t min, max;
} wk_import_desc;
typedef struct wk_export_desc {
  const char *name;
  uint8_t kind;
  wk_core_functype type;
} wk_export_desc;
size_t wk_module_import_count(const wk_module *m);
void wk_module_import(const wk_module *m, size_t i, wk_import_desc *out);
size_t wk_module_export_count(const wk_module *m);
void wk_module_export(const wk_module *m, size_t i, wk_export_desc *out);

/* ---- stores ---- */
wk_store *wk_store_new(wk_engine *e);
void wk_store_free(wk_store *s);
/* Fuel (engine must have consume_fuel): set the remaining amount; running out
 * traps with WK_TRAP_OUT_OF_FUEL. One unit is about one wasm instruction. */
void wk_store_set_fuel(wk_store *s, uint64_t fuel);
uint64_t wk_store_get_fuel(const wk_store *s);
/* Ask running code to stop: it traps with WK_TRAP_INTERRUPT at the next loop
 * back-edge or call. Safe to call from another thread or a signal handler. */
void wk_store_interrupt(wk_store *s);

/* ---- host objects (for imports: spectest, WASI, ...) ---- */
/*
 * A host function. `args` has nparams values, write nresults to `results`.
 * Return 0 to continue, or the value of wk_caller_trap()/wk_caller_exit()
 * to unwind. `env` is the pointer given at definition.
 */
typedef int (*wk_host_fn)(wk_caller *caller, void *env, const wk_value *args, wk_value *results);
wk_func *wk_func_new_host(wk_store *s, const wk_core_functype *type, wk_host_fn fn, void *env);
wk_memory *wk_memory_new(wk_store *s, uint32_t min_pages, uint32_t max_pages, int has_max);
/* A memory with 64-bit limits and address type: is64 1 = an i64 memory (memory64, Core 3.0
 * 2.3.10; max_pages up to 2^48), 0 = the same as wk_memory_new. This engine keeps any memory within
 * 65536 pages (4 GiB): a larger min_pages gives NULL, as do invalid limits and lack of memory. */
wk_memory *wk_memory_new_ex(wk_store *s, uint64_t min_pages, uint64_t max_pages, int has_max, int is64);
wk_table *wk_table_new(wk_store *s, uint8_t elemtype, uint32_t min, uint32_t max, int has_max);
/* A table with 64-bit limits and index type: is64 1 = an i64 table (table64, Core 3.0 2.3.10;
 * max up to 2^64 - 1), 0 = the same as wk_table_new. Sizes stay within this engine's limit
 * (10,000,000 entries): a larger min gives NULL. */
wk_table *wk_table_new_ex(wk_store *s, uint8_t elemtype, uint64_t min, uint64_t max, int has_max, int is64);
wk_global *wk_global_new(wk_store *s, wk_value init, int mutable_);
/* A new tag (Core 3.0 "Tag Instances") of function type `type` (no results), distinct from every
 * other tag; NULL on OOM. */
wk_tag *wk_tag_new(wk_store *s, const wk_core_functype *type);
/* The tag's type (arrays owned by the store or the module). */
wk_core_functype wk_tag_type(const wk_tag *t);

/*
 * Typed references at the host boundary (Core 3.0 typed function references: (ref null? ht)).
 * Host-defined functions, globals and tables may have full value types (wk_vt, encode.h), with an
 * abstract heap type (WK_HT_FUNC, WK_HT_EXTERN, WK_HT_EXN, and the 3.0 GC ones: WK_HT_ANY, WK_HT_EQ,
 * WK_HT_I31, WK_HT_STRUCT, WK_HT_ARRAY, the none types; or the GC shorthand codes anyref, eqref, ...)
 * or a concrete one: a type index into the type section of `ctx` (a function, struct or array type),
 * a module giving the type context (NULL: abstract heap types only). Such objects match imports by
 * Core 3.0 import subtyping
 * (valid/matching.rst "external types": function types equal up to type equivalence, a const
 * global's type a subtype, a var global's and a table's element type equal); a mismatch fails
 * wk_linker_instantiate with WK_ERR_LINK "incompatible import type: M.N: expected T1, got T2".
 * Values: a reference of type (ref ht) is never NULL; one of type (ref null? $t) is a wk_func of
 * that type (a function type) or a store object of that type or a subtype (a struct / array type:
 * values of the any hierarchy travel as WK_ANYREF, see "GC references" below). wk_func_call gives WK_ERR_USAGE for arguments that do not fit, and a host function
 * returning such a result traps (WK_TRAP_HOST).
 * Errors: WK_ERR_USAGE (not a value type, unknown type index, an initial value of the wrong type,
 * invalid table limits), WK_ERR_NOMEM; *out is then NULL.
 */
/* A host function of type `type`: params/results either in lib/encode's convention (a WK_REF /
 * WK_REFNULL code with the heap type in hts[i]) or as wk_module_import gives them for a module
 * (family codes, hts[i] the full wk_vt or 0; that module as ctx: e.g. a host function made for
 * one of its imports). (wk_func_type of a host function gives store-level heap types: not a
 * type to pass here with a concrete heap type.) With type->hts NULL the same as wk_func_new_host
 * (which also takes typed types, with no context module). */
int wk_func_new_host_typed(wk_store *s, const wk_core_functype *type, const wk_module *ctx, wk_host_fn fn, void *env,
                           wk_func **out, wk_error *err);
/* A global of value type `type` (wk_vt_make(code, heap type); numeric types too), initial value
 * `init` (init.type its family code: WK_FUNCREF for (ref null? func|$t), ...). */
int wk_global_new_typed(wk_store *s, wk_vt type, const wk_module *ctx, wk_value init, int mutable_, wk_global **out,
                        wk_error *err);
/* A table of element type `elem` (a reference type), limits as wk_table_new_ex, every element
 * `init` (NULL = null, which a non-nullable element type does not allow: Core 3.0 tables of
 * (ref ht) need an initial value). */
int wk_table_new_typed(wk_store *s, wk_vt elem, const wk_module *ctx, uint64_t min, uint64_t max, int has_max, int is64,
                       void *init, wk_table **out, wk_error *err);

/* During a host call: the calling instance's memory 0 (NULL if none), its
 * current size in *len. The pointer is valid until the next guest code runs
 * (memory.grow may move it). Hosts must bounds-check every guest offset. */
uint8_t *wk_caller_memory(wk_caller *c, size_t *len);
wk_store *wk_caller_store(wk_caller *c);
/* Make the host call trap with a message (WK_TRAP_HOST); returns the value to return. */
int wk_caller_trap(wk_caller *c, const char *msg);
/* Unwind with an exit status (WASI proc_exit): the call returns a WK_TRAP_EXIT trap. */
int wk_caller_exit(wk_caller *c, int status);
/* Make the host call trap with trap code `code` (a wk_trap_code) and `msg` (copied; NULL: the
 * code's default message): a host passing on the trap of a nested wk_func_call keeps its code, so
 * a limit hit there (fuel, timeout, call depth) is still that limit's trap. Not for WK_TRAP_EXIT
 * (its exit status would be 0: use wk_caller_exit). As wk_caller_trap, the first trap of a call
 * wins (a later one is ignored). Returns the value to return. */
int wk_caller_trap_code(wk_caller *c, int code, const char *msg);

/* ---- linking and instantiation ---- */
wk_linker *wk_linker_new(wk_store *s);
void wk_linker_free(wk_linker *l);
/* Define one import (module, name). Later definitions replace earlier ones. */
int wk_linker_define(wk_linker *l, const char *module, const char *name, wk_extern ext, wk_error *err);
/* Convenience: wk_func_new_host + define. */
int wk_linker_define_func(wk_linker *l, const char *module, const char *name, const wk_core_functype *type,
                          wk_host_fn fn, void *env, wk_error *err);
/* Give wk_linker_instantiate its imports by position instead of by name:
 * import i of the module (wk_module_import order) is ext[i], n of them (the
 * spec's module_instantiate externval list; the types are still matched).
 * `ext` is borrowed; until set again (ext NULL: back to the definitions by
 * name) the definitions are ignored; an import at position n or later is
 * undefined (wk_linker_instantiate's unknown-import error). For a component's core instantiations,
 * whose arguments are resolved per import already (defining each by name
 * cost ~700 instructions). Returns WK_OK. */
int wk_linker_set_imports(wk_linker *l, const wk_extern *ext, size_t n);
/* Define every export of `inst` under module name `module` (spec `register`). */
int wk_linker_define_instance(wk_linker *l, const char *module, wk_instance *inst, wk_error *err);
/*
 * Instantiate (Core spec 4.5.4): resolve imports, check their types
 * (WK_ERR_LINK, "unknown import" / "incompatible import type"), allocate,
 * initialize segments, run the start function. A trap during segment
 * initialization or start returns WK_ERR_TRAP with *trap set (the spec's
 * "uninstantiable"); the instance is not returned then.
 */
int wk_linker_instantiate(wk_linker *l, const wk_module *m, wk_instance **out, wk_trap **trap,
                          wk_error *err);

/* Export lookup; returns WK_OK or WK_ERR_USAGE when there is no such export. */
int wk_instance_export(wk_instance *inst, const char *name, wk_extern *out);
/* Same with an explicit length: export names may contain U+0000 (Core spec 2.5.10). */
int wk_instance_export_n(wk_instance *inst, const char *name, size_t len, wk_extern *out);

/* ---- calls and object access ---- */
/* The function's type (arrays owned by the store). */
wk_core_functype wk_func_type(const wk_func *f);
/*
 * Call `f`. Returns WK_OK with results written; WK_ERR_TRAP with *trap set;
 * WK_ERR_USAGE if the argument count/types do not match the function type.
 */
int wk_func_call(wk_store *s, wk_func *f, const wk_value *args, size_t nargs, wk_value *results,
                 size_t nresults, wk_trap **trap);
wk_value wk_global_get(const wk_global *g);
int wk_global_set(wk_global *g, wk_value v); /* WK_ERR_USAGE if immutable or wrong type (a typed reference:
                                                 null for (ref ht), a function of another type for $t) */
uint8_t *wk_memory_data(wk_memory *m, size_t *len);
uint32_t wk_memory_pages(const wk_memory *m);
uint32_t wk_table_size(const wk_table *t);

/* ---- WebAssembly 3.0 GC references at the host boundary ----
 * A reference of the any hierarchy (anyref, eqref, i31ref, structref, arrayref, nullref and struct /
 * array types) reaches the host as a wk_value of type WK_ANYREF (0x6e) whose `ref` is opaque (an
 * i31 or a store-owned object, lib/interp/gc.h); nofunc / noextern / noexn references travel as
 * funcref / externref / exnref. Such a value stays valid while the guest keeps it reachable, and a
 * value returned by wk_func_call until the next wk_func_call on the store from the host (which may
 * take it as an argument); to keep one longer, root it (wk_ref_root below) or store it in a
 * global or table. */
enum { WK_REFKIND_NULL, WK_REFKIND_I31, WK_REFKIND_STRUCT, WK_REFKIND_ARRAY, WK_REFKIND_HOST, WK_REFKIND_OTHER };
/* What kind of reference v is (WK_REFKIND_*): for WK_ANYREF values, null / i31 / struct / array /
 * a host value converted with any.convert_extern (or wk_anyref_of_host); other references: null
 * or WK_REFKIND_OTHER. */
int wk_ref_kind(wk_store *s, const wk_value *v);
/* any.convert_extern of host externref `host` (Core 3.0 4.4.6): *out an anyref; WK_OK or
 * WK_ERR_NOMEM. extern.convert_any gives `host` back (wk_extern_of_anyref). */
int wk_anyref_of_host(wk_store *s, void *host, wk_value *out);
/* extern.convert_any of anyref v: the externref (a host pointer for a converted host value, else
 * an opaque reference); *out the externref; WK_OK, WK_ERR_NOMEM, or WK_ERR_USAGE when v is not a
 * WK_ANYREF value of this store (null, an i31 or a live object; *out then unchanged). */
int wk_extern_of_anyref(wk_store *s, const wk_value *v, wk_value *out);
/* i31.get_u of an i31 value (wk_ref_kind WK_REFKIND_I31; of any other value: unspecified bits) */
uint32_t wk_i31_get_u(const wk_value *v);
/* Explicit roots (as wasmtime's ManuallyRooted): wk_ref_root keeps reference v (any reference
 * value: an anyref / externref / funcref / exnref wk_value; null, i31, function and host values
 * need no rooting but are accepted) alive across any number of calls until wk_ref_unroot(*id);
 * the collector marks every rooted value and what it reaches. Objects never move, so v's `ref`
 * stays the same pointer while rooted. *id is a handle (never 0) owned by the caller; each
 * wk_ref_root makes a new one (rooting twice needs two unroots). A handle is a slot number (low
 * 24 bits, at most 2^23 roots at once) and the slot's generation (high 8 bits): released slots
 * are reused, but with the next generation, so a stale handle or a second unroot of a handle is
 * refused (does nothing) even when its slot was given out again, unless that slot has been
 * reused a multiple of 256 times since. The root set belongs to the store: wk_store_free
 * releases it (handles die with the store). WK_OK, WK_ERR_USAGE (v is not a reference type, or
 * id NULL), WK_ERR_NOMEM (also beyond 2^23 roots). wk_ref_unroot of 0, of an unknown, stale or
 * already released handle does nothing. Cost: one slot per root; O(1) both ways. */
int wk_ref_root(wk_store *s, const wk_value *v, uint32_t *id);
void wk_ref_unroot(wk_store *s, uint32_t id);

/* ---- traps ---- */
typedef enum wk_trap_code {
  WK_TRAP_UNREACHABLE,        /* "unreachable" */
  WK_TRAP_MEMORY_OOB,         /* "out of bounds memory access" */
  WK_TRAP_TABLE_OOB,          /* "out of bounds table access" */
  WK_TRAP_INT_DIV_ZERO,       /* "integer divide by zero" */
  WK_TRAP_INT_OVERFLOW,       /* "integer overflow" */
  WK_TRAP_BAD_CONVERSION,     /* "invalid conversion to integer" */
  WK_TRAP_UNDEFINED_ELEMENT,  /* "undefined element" */
  WK_TRAP_UNINIT_ELEMENT,     /* "uninitialized element" */
  WK_TRAP_INDIRECT_MISMATCH,  /* "indirect call type mismatch" */
  WK_TRAP_STACK_EXHAUSTED,    /* "call stack exhausted" */
  WK_TRAP_OUT_OF_FUEL,        /* "all fuel consumed" */
  WK_TRAP_INTERRUPT,          /* "interrupted" (timeout) */
  WK_TRAP_HOST,               /* message from the host */
  WK_TRAP_EXIT,               /* WASI proc_exit; see wk_trap_exit_status */
  WK_TRAP_EXCEPTION,          /* "uncaught exception": a wasm exception (Core 3.0 throw) that no
                                 handler of this call caught; not catchable by wasm code */
  WK_TRAP_NULL_FUNC_REF,      /* "null function reference": call_ref / return_call_ref of null
                                 (Core 3.0 4.4.8, typed function references) */
  WK_TRAP_NULL_REF,           /* "null reference": ref.as_non_null of null (Core 3.0 4.4.6) */
  /* WebAssembly 3.0 GC (Core 3.0 4.4.7 aggregate instructions, 4.4.6 ref.cast) */
  WK_TRAP_NULL_STRUCT,        /* "null structure reference" */
  WK_TRAP_NULL_ARRAY,         /* "null array reference" */
  WK_TRAP_NULL_I31,           /* "null i31 reference" */
  WK_TRAP_ARRAY_OOB,          /* "out of bounds array access" */
  WK_TRAP_CAST,               /* "cast failure" */
  WK_TRAP_GC_OOM,             /* "out of memory": the store's GC heap is at its limit after collecting */
} wk_trap_code;

int wk_trap_code_of(const wk_trap *t);
const char *wk_trap_message(const wk_trap *t);
int wk_trap_exit_status(const wk_trap *t);
/* Backtrace, innermost first: function index, name (name section; NULL if
 * none) and byte offset of the instruction within the module. */
size_t wk_trap_frame_count(const wk_trap *t);
void wk_trap_frame(const wk_trap *t, size_t i, uint32_t *func_index, const char **name, uint64_t *offset);
void wk_trap_free(wk_trap *t);
/* Make a trap outside wasm code (lib/component: a canonical-ABI trap while
 * lifting or lowering; an exit from a host function called directly):
 * `code` a wk_trap_code, `msg` NULL for the code's default message,
 * `exit_status` for WK_TRAP_EXIT. NULL only on OOM. */
wk_trap *wk_trap_new(int code, const char *msg, int exit_status);

#endif
