/*
 * lib/encode/ctypes.h — a read-only view of the component validator's type
 * graph (Explainer.md "Type Definitions", "Import and Export Definitions").
 *
 * wk_ctypes_build validates a component exactly as wk_component_validate does
 * and keeps the interned type table: every defined value type, function,
 * component, instance and resource type the validation created is one node,
 * named by an integer id (its index in `t`). Consumers (lib/witparse's
 * decoder: a component's type back into WIT) walk it from `root`, the
 * component type of the validated component (its imports and exports).
 *
 * Identity rules the view keeps (wasmparser's "created" type ids):
 *  - a type import/export with an `eq` bound is its own node, a copy of the
 *    defined type or resource with `eq1` = 1 + the id of the type it names
 *    (follow eq1 to peel the alias chain); a resource copy also has alias1
 *    set, so it is the same resource for typing;
 *  - substituting resources (instantiation, instance imports) maps every node
 *    once, so a type shared by several exports stays shared.
 *
 * Ownership: the graph, its strings (borrowed from the decoded component,
 * which must outlive it) and arrays belong to the wk_ctypes; free it with
 * wk_ctypes_free. Not thread-safe while being built; read-only afterwards.
 */
#ifndef WK_ENCODE_CTYPES_H
#define WK_ENCODE_CTYPES_H
#include <stdint.h>

#include "base/base.h"
#include "encode/component.h"

/* Node kinds. */
enum {
  WK_CT_DEF = 1, /* defined value type: `code` is the Binary.md defvaltype opcode (0x72 record ... 0x7f bool) */
  WK_CT_FUNC,    /* function type: params (n, labels, elems), result (has_a, a) */
  WK_CT_COMP,    /* component type: imports (nim, im), exports (nex, ex) */
  WK_CT_INST,    /* instance type: exports (nex, ex) */
  WK_CT_RES,     /* resource type */
  WK_CT_CFUNC, WK_CT_CTABLE, WK_CT_CMEM, WK_CT_CGLOBAL, WK_CT_CTAG, WK_CT_CMOD, WK_CT_CINST, /* core types */
};

/* A value type: a primitive (prim = its Binary.md primvaltype code, 0x64..0x7f) or a node (prim = 0, id). */
typedef struct wk_ctval {
  uint8_t prim;
  uint32_t id;
} wk_ctval;

/* An import/export of a component or instance type. kind: component extern
 * kind (0 core module, 1 func, 2 value, 3 type, 4 component, 5 instance) or,
 * in core types, the core extern kind. */
typedef struct wk_ctent {
  wk_cstr module, name;
  uint8_t kind;
  uint32_t id;
  const wk_cname *cn; /* component imports/exports: the name with its attributes (NULL inside core types) */
  /* Type exports only, for naming (never for typing): the instance export a
   * type alias named (1 + instance id, export name) -- wit-component picks a
   * `use` source by it -- or, for a component's own export, 1 + the index of
   * the component import it re-exports (resolved at instantiation). */
  uint32_t oinst1, oimp1;
  wk_cstr oname;
} wk_ctent;

typedef struct wk_ctnode {
  uint8_t kind, code;
  uint32_t n;              /* DEF: fields/cases/elements/flags/enum cases; FUNC: params */
  wk_cstr *labels;
  wk_ctval *elems;
  uint8_t *has;            /* per element: payload present (variant cases) */
  uint8_t has_a, has_b;
  wk_ctval a, b;           /* list/option element, result ok/err, function result */
  uint32_t res;            /* own/borrow: resource id */
  uint32_t nim, nex;
  wk_ctent *im, *ex;
  uint32_t np, nr;         /* core func */
  const uint8_t *p, *r;
  uint8_t unknown;         /* a core type we do not model (GC): matches anything */
  uint8_t reftype, valtype, mut;
  wk_corelimits lim;
  uint8_t local;           /* resource defined by a resource type definition */
  uint8_t fixed;           /* DEF: a fixed-length list, or holds one in a child (element-size check) */
  uint32_t owner;          /* resource: scope serial that defined it */
  uint32_t size;           /* wasmparser-style "effective type size", capped */
  uint32_t serial_end;     /* instance/component types: scopes [owner, serial_end] are inside */
  uint32_t alias1;         /* resource re-exported by a concrete component: 1 + the resource it names */
  uint32_t eq1;            /* DEF/RES made by a type import/export `(eq i)`: 1 + the id of the type it names */
} wk_ctnode;

typedef struct wk_ctypes {
  const wk_ctnode *t; /* the nodes, indexed by id */
  uint32_t nt;
  uint32_t root;      /* WK_CT_COMP node of the validated component */
  void *priv;         /* internal */
} wk_ctypes;

/*
 * Validate component `c` (as wk_component_validate) and return its type graph
 * in *out. Errors: the validation error (WK_ERR_INVALID with a byte offset in
 * `err`) or WK_ERR_NOMEM; *out is NULL then.
 */
int wk_ctypes_build(const wk_component *c, wk_ctypes **out, wk_error *err);
/* The same with wk_component_validate_ex's `flags` (WK_CVALIDATE_SHALLOW_CORE:
 * for a runtime that validates the core modules itself). */
int wk_ctypes_build_ex(const wk_component *c, unsigned flags, wk_ctypes **out, wk_error *err);

/* Free a graph from wk_ctypes_build (NULL is allowed). */
void wk_ctypes_free(wk_ctypes *g);

/* The node an alias names: follows eq1 (defined types) and alias1
 * (re-exported resources) once; returns `id` itself when it is no alias. */
uint32_t wk_ctypes_peel(const wk_ctypes *g, uint32_t id);
/* wk_ctypes_peel repeated until the node is no alias (at most 64 steps). */
uint32_t wk_ctypes_peel_all(const wk_ctypes *g, uint32_t id);
/* WIT name of a primvaltype code ("u32", "string", ...; "?" when none). */
const char *wk_ctypes_prim_name(uint8_t p);

/*
 * Type check (ctdiff.c; Explainer.md "Subtyping"): is item `a_id` (kind
 * `kind`: 1 func, 3 type, 4 component, 5 instance) of graph `ga`, the
 * provider, usable where item `b_id` of graph `gb` is expected? Value types
 * must be equal; instances and components may provide more exports than
 * expected (components: take fewer imports). Resources exported by both
 * instances under one name are paired; other resources match by kind.
 * Returns 1 if so; else 0 with the exact difference written to `why` (at
 * most `wl` bytes, NUL-terminated): the path to it and what differs, e.g.
 * "func `f`: parameter `x`: expected u32, found string" or
 * "func `g`: result: result ok type: variant case `b` is missing".
 */
int wk_ctypes_subtype(const wk_ctypes *ga, uint8_t kind, uint32_t a_id, const wk_ctypes *gb, uint32_t b_id,
                      char *why, size_t wl);
/* The same for exports `ex` (nex of them, of graph ga: a component's exports
 * seen as an instance) against instance type `b_id` of gb. */
int wk_ctypes_subtype_exports(const wk_ctypes *ga, const wk_ctent *ex, uint32_t nex, const wk_ctypes *gb,
                              uint32_t b_id, char *why, size_t wl);
/*
 * A structural fingerprint (64-bit FNV-1a) of function type `func_id`:
 * parameter names and types, result type, every defined type's code, labels
 * and payloads; a resource by the name of the type export in `scope` (the
 * enclosing instance's exports, nscope of them) that stands for it. Two
 * functions with equal fingerprints under the same export names are equal for
 * wk_ctypes_subtype (up to a hash collision); lib/component uses it to accept
 * a declared host type without decoding it. 0 if `func_id` is no function.
 */
uint64_t wk_ctypes_func_hash(const wk_ctypes *g, uint32_t func_id, const wk_ctent *scope, uint32_t nscope);
/*
 * wk_ctypes_func_hash with a memo of the defined types' fingerprints: the same
 * values, each defined type walked once for as long as the memo lives. A memo
 * belongs to one `g` and one `scope` (a resource's fingerprint is its name
 * there): wk_ctypes_hmemo_init it before the first call for them. Caller-owned,
 * no allocation (WK_CTYPES_HMEMO_SLOTS entries, direct-mapped by type id).
 */
#define WK_CTYPES_HMEMO_SLOTS 64
typedef struct wk_ctypes_hmemo {
  uint32_t id1[WK_CTYPES_HMEMO_SLOTS]; /* type id + 1, 0 = empty */
  uint64_t h[WK_CTYPES_HMEMO_SLOTS];
  uint8_t hgt[WK_CTYPES_HMEMO_SLOTS]; /* levels walked below the type (reuse only within the depth cap) */
} wk_ctypes_hmemo;
void wk_ctypes_hmemo_init(wk_ctypes_hmemo *m);
uint64_t wk_ctypes_func_hash_memo(const wk_ctypes *g, uint32_t func_id, const wk_ctent *scope, uint32_t nscope,
                                  wk_ctypes_hmemo *memo);

/* Can instance types a and b be merged into one import (every export they
 * have in common has the same kind and type)? 1 if so, else 0 and `why`. */
int wk_ctypes_merge_check(const wk_ctypes *ga, uint32_t a_id, const wk_ctypes *gb, uint32_t b_id, char *why,
                          size_t wl);

#endif
