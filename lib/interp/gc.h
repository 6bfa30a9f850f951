/*
 * lib/interp garbage-collected objects (WebAssembly 3.0 GC: Core 3.0 2.3.7 composite types,
 * 4.2.5 structure and array instances, 4.4.7 aggregate / i31 / extern instructions). Internal
 * header (included by internal.h), implemented in gc.c (runtime, types, collector), gc_types.c
 * (canonicalisation of a module's recursion groups into store type ids), run by gc_loop_int.h
 * (handlers) and made by gc_translate_int.h (translation). Not a public header.
 *
 * Reference representation (one 64-bit slot, null = 0 in every hierarchy):
 *   any hierarchy  (any, eq, i31, struct, array, none, concrete struct/array types)
 *     i31          (v << 1) | 1: an odd value, no allocation (ref.i31 allocates nothing)
 *     struct/array the address of a wk_gcobj (8-aligned, so even) on the store's GC heap
 *     host extern  a wk_gcobj of kind GCK_HOSTBOX holding the host's externref pointer, made by
 *                  any.convert_extern; it is none of eq, i31, struct, array (only any)
 *   extern hierarchy (extern, noextern)
 *     host value   the host's pointer, as before GC (the spec runner's n + 1)
 *     struct/array the object's own address (extern.convert_any of an object is the object)
 *     i31          a wk_gcobj of kind GCK_I31BOX holding the i31 slot value (extern.convert_any
 *                  of an i31 allocates: host pointers may be odd, so the tag cannot be shared)
 *   any.convert_extern(y): 0 -> 0; y a live object of this store's heap: a GCK_I31BOX gives its
 *   i31 back, a struct/array is itself; anything else is a host value: a new GCK_HOSTBOX.
 *   extern.convert_any(x): 0 -> 0; i31 -> a new GCK_I31BOX; GCK_HOSTBOX -> the host pointer in
 *   it; struct/array -> x. So extern.convert_any(any.convert_extern(y)) == y and
 *   any.convert_extern(extern.convert_any(x)) is x, or an i31 equal to x (i31 compare by value).
 *   Telling a heap object from a host pointer looks the address up in the set of live objects.
 *
 * Types: every GC-enabled module's types are canonicalised per store by recursion group (Core
 * 3.0 3.2 "type equivalence", 4.5.4 "alloctype": equal rec groups of different modules get the
 * same ids), in the same id space as wk_store_intern_type_ex's function types, so call_indirect,
 * casts and import matching compare ids across instances of the store. Each id has a wk_rtt with
 * its supertype display (its ancestors by depth, itself last): t <: u is
 * depth(u) <= depth(t) && display(t)[depth(u)] == u, O(1) as in wasmtime and V8.
 *
 * Collection: mark-sweep, run when the bytes allocated since the last collection pass a
 * threshold (max(1 MiB, live bytes)), or when an allocation would pass the heap limit (the
 * engine's max_memory_bytes, else 1 GiB); an allocation that still does not fit traps
 * WK_TRAP_GC_OOM. Roots: every global and table of the store, every exception payload, the
 * instances' type-independent state, and the value stack scanned conservatively: every slot of
 * [stack base, fp + the running instruction's live height) that equals the address of a live
 * object (or a GCK_* box) keeps it (stale slots only retain, never free), plus the host roots
 * (the reference results of the last wk_func_call, kept until the next wk_func_call from the
 * host has copied its arguments to the stack) and the explicit roots (wk_ref_root, interp.h).
 * Objects are traced precisely by their type.
 * Exceptions (Core 3.0 exception handling, exnref): in a store with a GC heap, wk_exn_new makes
 * each exception a GCK_EXN object whose payload is the wk_exn; an exnref is the wk_exn's address
 * (the object's + sizeof(wk_gcobj)), so marking a value that is no object also tries it as an
 * exnref; the payload slots are scanned conservatively (as the stack); exnref tables are roots.
 * An unreachable exception is freed by the next collection. In a store without a heap (no GC
 * module instantiated yet) exceptions stay store objects (OBJ_EXN: freed with the store, their
 * payloads roots): the 2.0 / exceptions-only path is unchanged.
 * Collection never runs while a constant expression is evaluated (instantiation) or inside an
 * instruction that has objects only in C variables.
 */
#ifndef WK_INTERP_GC_H
#define WK_INTERP_GC_H

#include <stdint.h>

enum { GCK_STRUCT = 1, GCK_ARRAY = 2, GCK_HOSTBOX = 3, GCK_I31BOX = 4, GCK_EXN = 5 };

typedef struct wk_gcobj {
  uint32_t tid;  /* store type id (struct/array), 0 for boxes */
  uint8_t kind;  /* GCK_* */
  uint8_t mark;
  uint16_t esz;  /* array: element bytes */
  uint32_t len;  /* array: element count */
  uint32_t bytes; /* payload bytes */
  /* payload: struct fields at their offsets, array elements, or the box's 8-byte value */
} wk_gcobj;
#define WK_GCOBJ_DATA(o) ((uint8_t *)(o) + sizeof(wk_gcobj))

/* storage types of fields (Core 3.0 2.3.7): value type codes, plus the packed ones */
#define WK_ST_I8 0x78
#define WK_ST_I16 0x77

typedef struct wk_gcfield {
  uint8_t st;    /* storage: WK_ST_I8 / WK_ST_I16 / a value type code (family of a reference) */
  uint8_t mut;
  uint8_t is_ref; /* holds a reference (traced) */
  uint8_t size;   /* bytes: 1, 2, 4, 8, 16 */
  uint32_t off;   /* struct: byte offset in the payload */
} wk_gcfield;

enum { RTT_FUNC = 0, RTT_STRUCT = 1, RTT_ARRAY = 2 };
typedef struct wk_rtt {
  uint8_t kind;  /* RTT_* */
  uint8_t final;
  uint8_t known; /* filled (ids made by wk_store_intern_type_ex are functions, depth 0, on demand) */
  uint8_t grouped; /* made for a recursion group (gc_types.c) */
  uint32_t depth;
  uint32_t *display; /* [depth + 1]: ancestors from the root, display[depth] = the id itself */
  uint32_t nfields;  /* struct: its fields; array: 1 (the element) */
  wk_gcfield *fields;
  uint32_t size;     /* struct payload bytes */
} wk_rtt;

typedef struct wk_gc wk_gc;
struct wk_gc {
  wk_rtt *rtt; /* per store type id */
  size_t nrtt;
  struct wk_gcgroup { uint32_t *key; uint32_t klen, first, n; } *groups; /* canonical rec groups */
  size_t ngroups, capgroups;
  uintptr_t *set; /* open addressing: addresses of the live objects (0 empty, 1 deleted) */
  size_t setcap, nset, nused;
  uint64_t bytes, limit, since, threshold; /* bytes: what the live objects hold (gc.c gc_held) */
  uint64_t aux;      /* what the set's and the mark stack's arrays hold (gc.c aux_update) */
  uint64_t need;     /* header + payload bytes of the objects in the set (the collection pace) */
  int no_collect; /* > 0: allocation never collects (objects held in C variables) */
  int cexpr_oom;  /* a constant expression ran out of heap (wk_gc_cexpr_op): the instantiation traps */
  uint64_t *hroots;
  size_t nhroots, caphroots;
  uint64_t *roots;   /* wk_ref_root: rooted values by handle - 1 (free slots: 0) */
  uint32_t *rnext;   /* free list links of released slots */
  uint8_t *rgen;     /* per slot: its generation (the handle's high 8 bits; gc.c) */
  uint32_t nroots, caproots, rfree; /* rfree: first free handle, 0 none */
  void *fl[33];       /* free lists of swept small objects by size class (8-byte granules, gc.c) */
  uint64_t flbytes;   /* bytes on them (capped: the rest goes back to malloc) */
  wk_gcobj **mstack; /* mark stack */
  size_t nmstack, capmstack;
  size_t ndeferred;  /* objects marked 2 (no room on the mark stack): drain looks for them */
};

/* Per-store GC state, made when the first module using GC is instantiated (NULL before: a 2.0
 * store pays nothing). 0 or -1 on OOM. */
int wk_gc_init(wk_store *s);
void wk_gc_free(wk_store *s);
/* the rtt of store type id `id` (a function type made before GC: filled on demand); NULL on OOM */
wk_rtt *wk_gc_rtt(wk_store *s, uint32_t id);
/* the rtt entry of id as it is (gc_types.c fills it); NULL on OOM */
wk_rtt *wk_gc_rtt_raw(wk_store *s, uint32_t id);
/* id was made for a GC recursion group (wk_store_intern_type_ex skips it) */
int wk_gc_grouped(const wk_store *s, uint32_t id);
/* t <: u for two store type ids (concrete; function types of pre-GC ids are final and unrelated) */
int wk_gc_sub(wk_store *s, uint32_t t, uint32_t u);

/* heap type a <: b at store level (WK_HT_* or store type ids; Core 3.0 3.2) */
int wk_gc_ht_sub(wk_store *s, uint32_t a, uint32_t b);

/* Does reference v (what a host passes in wk_value.of.ref) have the store-level reference type vt
 * (concrete heap types as store type ids, linker.c store_vt)? Declared subtypes match; a value of
 * the any hierarchy must be an i31 or a live object of this store (looked up, never dereferenced
 * before that). For embedder-boundary checks: host_types.c ref_fits calls it when s->gc is set. */
int wk_gc_ref_fits(wk_store *s, wk_vt vt, uint64_t v);

/* A module's type as gc_types.c reads it for canonicalisation. */
typedef struct wk_gc_deftype {
  uint8_t kind;      /* RTT_* */
  uint8_t final;
  uint32_t super;    /* module type index of its declared supertype, or UINT32_MAX */
  uint32_t nfields;  /* struct fields / 1 for an array / params + results for a function */
  const wk_vt *vts;  /* each field's (or param's/result's) type; WK_ST_I8 / WK_ST_I16 packed */
  const uint8_t *mut; /* per field (NULL: immutable) */
  uint32_t nparams;  /* function: the first nparams of vts are params */
  uint32_t g0, gn;   /* its recursion group: module type indices [g0, g0 + gn) */
} wk_gc_deftype;

/* Canonicalise module m's types into store ids (Core 3.0 4.5.4 "alloctype"): ids[0..ntypes).
 * WK_OK or WK_ERR_NOMEM. (gc_types.c) */
int wk_gc_alloc_types(wk_store *s, const wk_module *m, uint32_t *ids);

/* Allocation: a new object, zeroed; NULL when the heap limit is reached even after collecting
 * and dropping the free lists (live: [stack base, live_top) is scanned as roots; NULL: no stack
 * roots beyond the host's). The limit charges what the heap holds (gc.c gc_held, wk_gc_stats). */
wk_gcobj *wk_gc_alloc(wk_store *s, uint8_t kind, uint32_t tid, uint32_t len, uint32_t esz, uint32_t bytes,
                      uint64_t *live_top);
/* a new exception (GCK_EXN object; collection off while it is made: its payload v is only in the
 * thrower's frame): NULL on OOM (exec.c wk_exn_new) */
struct wk_exn *wk_gc_exn_new(wk_store *s, wk_tag *t, const uint64_t *v, uint32_t n);
/* is `p` a live object of s's heap */
int wk_gc_is_obj(const wk_store *s, uint64_t p);
/* collect now (live_top as for wk_gc_alloc) */
void wk_gc_collect(wk_store *s, uint64_t *live_top);
/* What the heap holds, as charged against its limit (gc.c gc_held): held = objects +
 * freelisted + arrays, each a computed bound of the malloc blocks (request + allocator cost).
 * held stays <= limit, except for the mark stack's first 256 entries (2 KiB). For tests. */
typedef struct wk_gc_heap_stats {
  uint64_t held, limit;
  uint64_t objects;    /* the objects in the set (live, or dead and not yet swept) */
  uint64_t freelisted; /* swept objects kept on the size-class free lists */
  uint64_t arrays;     /* the object set's and the mark stack's arrays */
  size_t nobjects;     /* objects in the set */
} wk_gc_heap_stats;
void wk_gc_stats(const wk_store *s, wk_gc_heap_stats *st); /* (all 0 without GC state) */
/* the host roots (wk_func_call results; also exnrefs). Explicit roots: interp.h wk_ref_root. */
void wk_gc_host_root(wk_store *s, uint64_t v);
void wk_gc_host_roots_clear(wk_store *s);

/* Execute the GC instruction at ip (internal.h IOP_GC: GC sub d a imm1 imm2 live): 0, or a
 * wk_trap_code + 1 to trap with. (gc.c) */
int wk_gc_exec(wk_store *s, wk_instance *inst, uint64_t *fp, const uint32_t *ip);
/* ref.test for a value v against heap type ht (a WK_HT_* code or a store type id, stored as
 * GC_HT_ID | id), nullable: 1/0 */
#define GC_HT_ID 0x80000000u
int wk_gc_test(wk_store *s, uint64_t v, uint32_t ht, int nullable);
/* A GC constant instruction in an extended constant expression (exec.c eval_ext): 1 if `in` was
 * one (run on the evaluator's stack st[*n]), 0 otherwise. Collection is off meanwhile. */
int wk_gc_cexpr_op(wk_instance *inst, const wk_insn *in, uint64_t *st, uint64_t *hi, uint32_t *n);
/* did a constant expression run out of heap since the last call (g->cexpr_oom; cleared): 1/0 */
int wk_gc_cexpr_failed(wk_store *s);
/* evaluate inst's element segments that may allocate into inst->gc_elems: 0 or -1 (OOM) */
int wk_gc_eval_elems(wk_instance *inst);
/* value conversions any <-> extern (see the representation above); UINT64_MAX on OOM */
uint64_t wk_gc_any_of_extern(wk_store *s, uint64_t y, uint64_t *live_top);
uint64_t wk_gc_extern_of_any(wk_store *s, uint64_t x, uint64_t *live_top);

/* GC instruction sub-operations (IOP_GC's word 1) */
enum {
  GS_NEW, GS_NEW_DEFAULT, GS_GET, GS_GET_S, GS_GET_U, GS_SET,
  GA_NEW, GA_NEW_DEFAULT, GA_NEW_FIXED, GA_NEW_DATA, GA_NEW_ELEM, GA_GET, GA_GET_S, GA_GET_U, GA_SET,
  GA_LEN, GA_FILL, GA_COPY, GA_INIT_DATA, GA_INIT_ELEM,
  G_I31, G_I31_GET_S, G_I31_GET_U, G_TEST, G_CAST, G_ANY_CONV, G_EXTERN_CONV
};

#endif
