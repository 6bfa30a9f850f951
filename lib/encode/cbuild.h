/*
 * Component builder: add definitions to a component one at a time, in
 * order, and get back the index each one takes in its index space
 * (Explainer.md "Index Spaces"); then encode it (Binary.md) through the one
 * component encoder, wk_component_encode: the builder only fills a
 * wk_component model (component.h).
 *
 * Use:
 *     wk_cbuild *b = wk_cb_new();
 *     uint32_t t = wk_cb_type(b, &functype);            // type index
 *     uint32_t f = wk_cb_import(b, "f", (wk_cextern){.kind = WK_CSORT_FUNC, .idx = t});
 *     ...
 *     wk_cb_producer(b, "processed-by", "wcompose", WK_VERSION);
 *     rc = wk_cb_encode(b, &out, &err);
 *     wk_cb_free(b);
 *
 * Ownership: strings and byte ranges passed in (names, core module bytes,
 * custom payloads) are COPIED into the builder. Structures passed by
 * pointer (wk_ctype, wk_coretype, wk_cextern) are copied one level deep:
 * the arrays they point to (fields, decls, params) must stay alive until
 * wk_cb_encode returns; allocate them with wk_cb_alloc to tie them to the
 * builder.
 *
 * Errors: adding never fails loudly. On OOM the builder remembers the
 * failure, returns index 0 from then on, and wk_cb_encode reports
 * WK_ERR_NOMEM. The builder does not validate: run wk_component_validate
 * on the decoded output (wk_cb_encode + wk_component_decode) to check it.
 *
 * Nested components: wk_cb_component_begin(parent) returns a child builder
 * for a `(component ...)` definition; wk_cb_component_end(parent, child)
 * adds it to the parent (component index) and frees the child. Outer
 * aliases from the child count 1 for the parent.
 *
 * Custom sections: the component-name section (wk_cb_name,
 * wk_cb_component_name) and the producers section (wk_cb_producer) are
 * written after all other sections, names first; wk_cb_custom sections are
 * written where they are added.
 *
 * API history (keep stable; note changes here):
 *   v1 (2026-12-04): initial API.
 *   v2 (2026-12-04): wk_cb_import_cname / wk_cb_export_cname (names with attributes, e.g.
 *                    `implements`).
 *   v3 (2026-12-04): wk_cb_component_model (h-wac: a decoded component as a nested
 *                    component; same text as on h-wac).
 */
#ifndef WK_ENCODE_CBUILD_H
#define WK_ENCODE_CBUILD_H
#include "base/base.h"
#include "encode/component.h"

typedef struct wk_cbuild wk_cbuild;

/* Sorts (component.h wk_csort.sort / .core_sort) as single codes for the
 * builder: component sorts are their Binary.md byte (0x01 func .. 0x05
 * instance); core sorts are 0x100 | core:sort byte. */
enum wk_cb_sort {
  WK_CB_FUNC = WK_CSORT_FUNC, WK_CB_VALUE = WK_CSORT_VALUE, WK_CB_TYPE = WK_CSORT_TYPE,
  WK_CB_COMPONENT = WK_CSORT_COMPONENT, WK_CB_INSTANCE = WK_CSORT_INSTANCE,
  WK_CB_CORE_FUNC = 0x100 | WK_CCSORT_FUNC, WK_CB_CORE_TABLE = 0x100 | WK_CCSORT_TABLE,
  WK_CB_CORE_MEMORY = 0x100 | WK_CCSORT_MEMORY, WK_CB_CORE_GLOBAL = 0x100 | WK_CCSORT_GLOBAL,
  WK_CB_CORE_TAG = 0x100 | WK_CCSORT_TAG, WK_CB_CORE_TYPE = 0x100 | WK_CCSORT_TYPE,
  WK_CB_CORE_MODULE = 0x100 | WK_CCSORT_MODULE, WK_CB_CORE_INSTANCE = 0x100 | WK_CCSORT_INSTANCE,
};

/* New empty builder (NULL on OOM). */
wk_cbuild *wk_cb_new(void);
/* Free a builder (and any unfinished children are the caller's to free). NULL is allowed. */
void wk_cb_free(wk_cbuild *b);

/* Memory tied to the (outermost) builder: zeroed, freed by wk_cb_free. NULL on OOM. */
void *wk_cb_alloc(wk_cbuild *b, size_t size);
/* A copy of `s` (`n` bytes) as a wk_cstr owned by the builder. */
wk_cstr wk_cb_strn(wk_cbuild *b, const char *s, size_t n);
wk_cstr wk_cb_str(wk_cbuild *b, const char *s);

/* Current size of an index space (the index the next definition of `sort` gets). */
uint32_t wk_cb_count(const wk_cbuild *b, int sort);

/* ---- types (Binary.md "Type Definitions") ---- */
/* Add a component type definition (copied one level). Returns its type index. */
uint32_t wk_cb_type(wk_cbuild *b, const wk_ctype *t);
/* Convenience: (func (param n_i t_i)* (result r)?); `has_result` 0 = no result. */
uint32_t wk_cb_type_func(wk_cbuild *b, uint32_t n, const char *const *names, const wk_cvaltype *types,
                         int has_result, wk_cvaltype result);
/* Convenience: (resource (rep i32) (dtor core-func)?); dtor < 0 = none. */
uint32_t wk_cb_type_resource(wk_cbuild *b, int64_t dtor);
/* Add a core type definition (core:type; functype 0x60 or moduletype 0x50). Returns the core type index. */
uint32_t wk_cb_core_type(wk_cbuild *b, const wk_coretype *t);

/* ---- imports and exports ---- */
/* (import "name" externdesc). Returns the index in the sort of `ext->kind` (0x00 = core module). */
uint32_t wk_cb_import(wk_cbuild *b, const char *name, const wk_cextern *ext);
/* Same with a full extern name (Binary.md importname'/exportname': 0x00 plain or 0x02 with
 * attributes); the name and attribute strings are copied. */
uint32_t wk_cb_import_cname(wk_cbuild *b, const wk_cname *name, const wk_cextern *ext);
uint32_t wk_cb_export_cname(wk_cbuild *b, const wk_cname *name, int sort, uint32_t idx, const wk_cextern *ascribed);
/* (export "name" (sort idx) externdesc?) — `ascribed` NULL = no ascription. Returns the NEW index the
 * export adds to `sort` (Explainer.md: exports introduce an index). */
uint32_t wk_cb_export(wk_cbuild *b, const char *name, int sort, uint32_t idx, const wk_cextern *ascribed);

/* ---- core modules and instances ---- */
/* An embedded core module (bytes copied). Returns the core module index. */
uint32_t wk_cb_core_module(wk_cbuild *b, const uint8_t *bytes, size_t len);

/* A named argument / export item: name + sort (enum wk_cb_sort) + index. */
typedef struct wk_cb_item {
  const char *name;
  int sort;
  uint32_t idx;
} wk_cb_item;

/* (core instance (instantiate module (with "name" (instance idx))*)): args' sort must be
 * WK_CB_CORE_INSTANCE. Returns the core instance index. */
uint32_t wk_cb_core_instantiate(wk_cbuild *b, uint32_t module, uint32_t n, const wk_cb_item *args);
/* (core instance (export "name" (core sort idx))*). Returns the core instance index. */
uint32_t wk_cb_core_instance_exports(wk_cbuild *b, uint32_t n, const wk_cb_item *items);
/* (instance (instantiate component (with "name" (sort idx))*)). Returns the instance index. */
uint32_t wk_cb_instantiate(wk_cbuild *b, uint32_t component, uint32_t n, const wk_cb_item *args);
/* (instance (export "name" (sort idx))*). Returns the instance index. */
uint32_t wk_cb_instance_exports(wk_cbuild *b, uint32_t n, const wk_cb_item *items);

/* ---- aliases ---- */
/* (alias export instance "name" (sort)). Returns the index in `sort`. */
uint32_t wk_cb_alias_export(wk_cbuild *b, uint32_t instance, const char *name, int sort);
/* (alias core export core-instance "name" (core sort)). Returns the index in that core sort. */
uint32_t wk_cb_alias_core_export(wk_cbuild *b, uint32_t core_instance, const char *name, int core_sort);
/* (alias outer count idx (sort)): type, component, core type or core module. Returns the local index. */
uint32_t wk_cb_alias_outer(wk_cbuild *b, uint32_t count, uint32_t idx, int sort);

/* ---- canon (Binary.md "Canonical Definitions") ---- */
/* Canonical options: string_encoding -1 = none, else 0 utf8, 1 utf16, 2 latin1+utf16. */
typedef struct wk_cb_opts {
  int string_encoding;
  int has_memory, has_realloc, has_post_return;
  uint32_t memory, realloc, post_return; /* core memory index, core func indices */
} wk_cb_opts;
/* canon lift core-func opts (type t). Returns the func index. `opts` may be NULL. */
uint32_t wk_cb_canon_lift(wk_cbuild *b, uint32_t core_func, uint32_t type, const wk_cb_opts *opts);
/* canon lower func opts. Returns the core func index. */
uint32_t wk_cb_canon_lower(wk_cbuild *b, uint32_t func, const wk_cb_opts *opts);
/* canon resource.new / resource.drop / resource.rep of resource type `type`. Return the core func index. */
uint32_t wk_cb_canon_resource_new(wk_cbuild *b, uint32_t type);
uint32_t wk_cb_canon_resource_drop(wk_cbuild *b, uint32_t type);
uint32_t wk_cb_canon_resource_rep(wk_cbuild *b, uint32_t type);

/* ---- nested components ---- */
/* A child builder for a nested component (shares the parent's memory). NULL on OOM. */
wk_cbuild *wk_cb_component_begin(wk_cbuild *parent);
/* Add the finished child as a `(component ...)` definition of `parent`; frees `child`.
 * Returns the component index. */
uint32_t wk_cb_component_end(wk_cbuild *parent, wk_cbuild *child);
/* (h-wac) Add an existing component -- a model from wk_component_decode -- as a nested
 * `(component ...)` definition (composition embeds the components it instantiates). The model
 * is borrowed: it (and the bytes it was decoded from) must outlive wk_cb_encode. It is
 * re-encoded with minimal LEB128s. Returns the component index. */
uint32_t wk_cb_component_model(wk_cbuild *b, const wk_component *c);

/* ---- custom sections ---- */
/* A custom section with `name` and payload, written at this point. */
void wk_cb_custom(wk_cbuild *b, const char *name, const uint8_t *data, size_t len);
/* Name index `idx` of `sort` in the component-name section (Binary.md "Name Section"). */
void wk_cb_name(wk_cbuild *b, int sort, uint32_t idx, const char *name);
/* The component's own name in the component-name section. */
void wk_cb_component_name(wk_cbuild *b, const char *name);
/* Add (name, version) to a producers field ("language", "processed-by", "sdk"); tool-conventions
 * ProducersSection.md. A repeated name in the same field replaces the version. */
void wk_cb_producer(wk_cbuild *b, const char *field, const char *name, const char *version);

/* ---- output ---- */
/* The model built so far (owned by the builder, valid until the next add or wk_cb_free); the name
 * and producers sections are not in it. */
const wk_component *wk_cb_model(wk_cbuild *b);
/* Encode the component (appended to `out`) with wk_component_encode, plus the component-name and
 * producers sections. Returns WK_OK or WK_ERR_NOMEM (also for an earlier failed add). Only for the
 * outermost builder (WK_ERR_USAGE for a child). */
int wk_cb_encode(wk_cbuild *b, wk_buf *out, wk_error *err);

#endif
