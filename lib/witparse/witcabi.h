/*
 * Resolve -> canonical ABI: the lib/canonabi type tree (wk_cabi_type) of a WIT
 * type, so that layouts and flattening (CanonicalABI.md "Alignment",
 * "Element Size", "Flattening") are computed by lib/canonabi for types named
 * in a Resolve. Used by the C binding generator (lib/bindgen) and by anything
 * else that needs the canonical ABI shape of a Resolve type.
 *
 * Trees are built lazily, one node per type id, and owned by the map (an
 * arena). own/borrow/resource nodes carry no resource pointer (layout-only
 * trees: canonabi.h wk_cabi_type.resource is NULL).
 */
#ifndef WK_WITPARSE_WITCABI_H
#define WK_WITPARSE_WITCABI_H
#include "base/base.h"
#include "canonabi/canonabi.h"
#include "witparse/witparse.h"

typedef struct wit_cabi_map {
  const wit_resolve *r;
  const wk_cabi_type **types; /* per type id (r->n_types + 1 entries), NULL until built */
  wk_arena arena;
} wit_cabi_map;

/* Start a map over `r` (borrowed; must outlive the map). WK_OK or WK_ERR_NOMEM. */
int wit_cabi_map_init(wit_cabi_map *m, const wit_resolve *r, wk_error *err);
void wit_cabi_map_free(wit_cabi_map *m);

/*
 * The canonical ABI type of `t` (a primitive or a type id of m->r; aliases
 * are followed). Returns NULL for "no type" (WIT_PRIM_NONE: a function
 * without a result) with err cleared, or NULL with `err` set:
 * WK_ERR_UNSUPPORTED "type nested too deeply" (deeper than WK_CABI_MAX_DEPTH),
 * "unresolved type" (a type id that names no type definition kind canonabi
 * knows), WK_ERR_NOMEM. The returned tree lives as long as the map.
 */
const wk_cabi_type *wit_cabi_type_of(wit_cabi_map *m, wit_type t, wk_error *err);

#endif
