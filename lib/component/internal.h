/*
 * lib/component internals: runtime index spaces of component instances
 * (Explainer.md "Index Spaces", "Instance Definitions").
 */
#ifndef WK_COMPONENT_INTERNAL_H
#define WK_COMPONENT_INTERNAL_H
#include "component/component.h"
#include "encode/encode.h"

typedef struct rt_func rt_func;
typedef struct rt_type rt_type;
typedef struct rt_comp rt_comp;
typedef struct rt_inst rt_inst;
typedef struct rt_cinst rt_cinst;
typedef struct scope scope;

/* One item of an index space or of an instance's exports.
 * sort/core_sort as wk_csort (Binary.md "sort"). */
typedef struct item {
  uint8_t sort, core_sort;
  union {
    rt_func *func;
    rt_type *type;
    rt_comp *comp;
    rt_inst *inst;
    rt_cinst *cinst;
    const wk_module *cmod;
    wk_extern ext; /* core func/table/memory/global */
  } u;
} item;

typedef struct named_item {
  const char *name; /* len bytes; NUL-terminated too, except in a core instance's inline exports */
  uint32_t len;
  item it;
} named_item;

typedef struct vec {
  item *v;
  uint32_t n, cap;
} vec;

/* Type index space entry. */
enum { T_VAL = 1, T_RES, T_FUNC, T_INST, T_COMP, T_CORE };
struct rt_type {
  uint8_t kind;
  const wk_cabi_type *vt;      /* T_VAL */
  const wk_cabi_names *names;  /* T_VAL */
  wk_cabi_rtype *res;          /* T_RES */
  wk_comp_functype ft;         /* T_FUNC */
  const wk_ctype *decl;        /* T_INST / T_COMP */
  scope *sc;                   /* T_INST / T_COMP: where `decl` is evaluated */
};

/* A component function (Explainer.md "Canonical Definitions"). */
enum { F_LIFT = 1, F_HOST, F_TRAP };
struct rt_func {
  uint8_t kind;
  const wk_comp_functype *ft;
  /* F_LIFT: canon lift of `core` with options, in instance `sc` */
  scope *sc;
  wk_func *core, *realloc, *post_return;
  wk_memory *mem;
  wk_cabi_opts opts;
  /* F_HOST */
  wk_comp_host_fn fn;
  void *env;
  const char *iface, *name; /* for messages: "iface#name", or "name" (iface NULL) */
};

/* A component instance as a value (its exports). */
struct rt_inst {
  uint32_t n;
  named_item *ex;
};

/* A core instance: an instantiated module or a bag of inline exports. */
struct rt_cinst {
  wk_instance *wi;
  uint32_t n;
  named_item *ex;
  uint32_t hint; /* inline exports: where the last lookup by name ended (find_named_from) */
};

/* A component definition with the scope it was defined in (outer aliases). */
struct rt_comp {
  const wk_component *model;
  scope *lexical;
};

/* One component instantiation (or one type-declaration scope: only `types`
 * and the other spaces a declaration list can touch are used then). */
struct scope {
  wk_comp_inst *top;
  scope *parent;    /* lexical: outer aliases count through it */
  scope *rt_parent; /* the instance that instantiated this one (may_enter) */
  int is_decl;
  wk_cabi_instance cabi;
  vec funcs, values, types, comps, insts;
  vec cfuncs, ctables, cmems, cglobals, ctags, ctypes, cmods, cinsts;
  named_item *args; /* nested instantiation: the `with` arguments */
  uint32_t nargs;
  named_item *ex;   /* exports so far */
  uint32_t nex, capex;
  scope *next_all;  /* every scope of the top instance, for freeing */
};

#endif
