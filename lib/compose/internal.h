/* lib/compose internals shared by graph.c, encode.c, match.c, policy.c, wac.c. */
#ifndef WK_COMPOSE_INTERNAL_H
#define WK_COMPOSE_INTERNAL_H
#include "compose/compose.h"

typedef struct wkc_comp {
  char *label, *name;
  uint8_t *bytes;
  size_t len;
  wk_component *c;
  wk_ctypes *t;
} wkc_comp;

enum { WKC_SRC_OPEN = 0, WKC_SRC_EXPORT, WKC_SRC_IMPORT, WKC_SRC_INSTANCE, WKC_SRC_IMPORT_EXPORT };
typedef struct wkc_src {
  uint8_t kind;
  uint32_t inst, idx; /* WKC_SRC_EXPORT: instance and its export index; WKC_SRC_INSTANCE: the instance */
  uint32_t outer;     /* WKC_SRC_IMPORT(_EXPORT): index into g->imps; _EXPORT: idx = its export index */
} wkc_src;

typedef struct wkc_inst {
  uint32_t comp;
  char *name;
  wkc_src *args; /* one per import of the component */
} wkc_inst;

typedef struct wkc_outer {
  char *name;
  uint8_t kind;
  uint8_t fixed;      /* an explicit import: its own type, which every user must accept */
  uint32_t comp, imp; /* the component import that gives the type (instance imports of the same
                       * name are united with the other users' when not fixed) */
  uint32_t inst;      /* the instance of that import (WKC_NONE for an explicit import) */
  const wk_ctent *ent; /* the item giving the type: import `imp` of `comp`, or (explicit imports
                        * by package path) an export of `comp` */
} wkc_outer;

typedef struct wkc_exp_ext {
  int whole; /* export the instance itself */
} wkc_exp_ext;

typedef struct wkc_exp {
  char *name;
  uint32_t inst, idx; /* idx WKC_NONE: the instance itself */
  uint32_t outer;     /* WKC_NONE, or an import of the result re-exported (idx WKC_NONE: whole, else
                       * that export of an explicit instance import) */
  uint8_t is_type;    /* a type of g->types_comp: 2 its own export (written with the definitions),
                       * 1 exported again under `name` (type index `idx`) */
} wkc_exp;

struct wkc_graph {
  wkc_comp *comps;
  uint32_t ncomps;
  wkc_inst *insts;
  uint32_t ninsts;
  wkc_outer *imps;
  uint32_t nimps;
  wkc_exp *exps;
  uint32_t nexps;
  uint8_t has_types;   /* type definitions (a WAC document's type statements) come first in the result: */
  uint32_t types_comp; /* the component that holds them (type definitions and type exports only) */
};

/* The type-difference rule lives in lib/encode (ctdiff.c), shared with lib/component's linker. */
#define wkc_prim_name wk_ctypes_prim_name
#define wkc_peel_all wk_ctypes_peel_all
#define wkc_subtype_exports wk_ctypes_subtype_exports
#define wkc_merge_check wk_ctypes_merge_check
/* The import/export entries of a component's type. */
const wk_ctent *wkc_imports(const wkc_graph *g, uint32_t comp, uint32_t *n);
const wk_ctent *wkc_exports(const wkc_graph *g, uint32_t comp, uint32_t *n);
/* Format a wk_cstr for %.*s. */
#define WKC_S(x) (int)(x).len, (x).s


/* The exports of explicit instance import `outer` (its type's INST node), or NULL. */
const wk_ctent *wkc_outer_exports(const wkc_graph *g, uint32_t outer, uint32_t *n);

#endif
