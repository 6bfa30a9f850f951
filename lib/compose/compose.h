/*
 * lib/compose — composition of components (wac semantics: `wac plug`,
 * `wac compose`, and wasm-tools compose's dependency resolution).
 *
 * Model: a composition graph (wkc_graph) holds
 *  - components: validated component binaries (copied), each with its type
 *    graph (encode/ctypes.h);
 *  - instances: instantiations of a component; every import of an instance
 *    is either wired to a source (an export of another instance, or an
 *    import of the composed component) or left open;
 *  - exports of the composed component: an export of an instance under a
 *    name.
 * wkc_encode turns it into one component (Explainer.md "Component
 * Definitions", "Instance Definitions", "Alias Definitions"): imports of
 * the result (open instance imports, merged by name; their types re-encoded
 * from the type graphs), the components embedded as nested components,
 * their instantiations with `with` arguments, the exports; then a
 * `component-name` and a `producers` section naming wcompose. The output is
 * validated (wk_component_validate) before it is returned. Deterministic.
 *
 * Matching (wkc_match_*): import names match export names exactly, or as
 * interface names `ns:pkg/iface@V` whose versions are semver compatible
 * (same major, or same 0.minor, or same 0.0.patch); among compatible
 * exports the highest version wins (as wac). A candidate export is type
 * checked against the import (Explainer.md "Subtyping": instance types by
 * export name, functions by parameter names and value types, value types
 * structurally, resources by kind); a mismatch is described exactly:
 * "func `f`: parameter `x`: expected u32, found string".
 *
 * Errors: wk_error (WK_ERR_LINK for wiring failures, WK_ERR_INVALID for an
 * invalid input or output, WK_ERR_NOMEM), one line, naming the component
 * files involved. Nothing prints or exits.
 */
#ifndef WK_COMPOSE_COMPOSE_H
#define WK_COMPOSE_COMPOSE_H
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "encode/component.h"
#include "encode/ctypes.h"

#define WKC_NONE UINT32_MAX

typedef struct wkc_graph wkc_graph;

/* Create an empty graph (NULL on OOM). Free with wkc_free. */
wkc_graph *wkc_new(void);
void wkc_free(wkc_graph *g);

/*
 * Add a component: `bytes` (len) are copied, decoded and validated; `label`
 * (copied) names it in errors and JSON (a path, or a package name), `name`
 * (copied, may be NULL) names it in the output's name section. *out = its
 * index. Errors: the decoder's/validator's, with the label in the message.
 */
int wkc_add_component(wkc_graph *g, const char *label, const char *name, const uint8_t *bytes, size_t len,
                      uint32_t *out, wk_error *err);
/* wkc_add_component taking ownership of `bytes` (malloc'ed; freed by the graph, or here on error)
 * instead of copying them: a 12 MB component is not copied once more. */
int wkc_add_component_owned(wkc_graph *g, const char *label, const char *name, uint8_t *bytes, size_t len,
                            uint32_t *out, wk_error *err);

/* Number of components; the label; the component type (root node) of one. */
uint32_t wkc_ncomponents(const wkc_graph *g);
const char *wkc_component_label(const wkc_graph *g, uint32_t comp);
const wk_ctypes *wkc_component_types(const wkc_graph *g, uint32_t comp);

/* Instantiate component `comp`; `name` (copied) names the instance in the
 * output and in JSON. *out = instance index. */
int wkc_instantiate(wkc_graph *g, uint32_t comp, const char *name, uint32_t *out, wk_error *err);
uint32_t wkc_ninstances(const wkc_graph *g);
uint32_t wkc_instance_component(const wkc_graph *g, uint32_t inst);
const char *wkc_instance_name(const wkc_graph *g, uint32_t inst);

/*
 * Wire import `import_index` (index in the component's type: root->im) of
 * instance `inst` to export `export_index` of instance `src` (root->ex of
 * its component), after type checking it. A second wiring of the same import
 * is an error. Errors: WK_ERR_LINK with the exact type difference.
 */
int wkc_connect(wkc_graph *g, uint32_t inst, uint32_t import_index, uint32_t src, uint32_t export_index,
                wk_error *err);

/* Wire an import of `inst` to an import of the composed component named
 * `outer_name` (several instances may share one; their types must agree:
 * the first one fixes the type). */
int wkc_connect_import(wkc_graph *g, uint32_t inst, uint32_t import_index, const char *outer_name, wk_error *err);

/* Wire an import of `inst` to the whole instance `src` (its exports as an
 * instance), after type checking. */
int wkc_connect_instance(wkc_graph *g, uint32_t inst, uint32_t import_index, uint32_t src, wk_error *err);

/* Does the result have an export / an import named `name`? */
int wkc_has_export(const wkc_graph *g, const char *name);
int wkc_has_import(const wkc_graph *g, const char *name);

/* Is import `import_index` of `inst` wired (1) or open (0)? */
int wkc_is_connected(const wkc_graph *g, uint32_t inst, uint32_t import_index);

/* Export export `export_index` of instance `inst` from the composed component
 * as `name` (NULL = the same name). A duplicate name is an error. */
int wkc_export(wkc_graph *g, uint32_t inst, uint32_t export_index, const char *name, wk_error *err);

/* Export the whole instance `inst` as `name`. */
int wkc_export_instance(wkc_graph *g, uint32_t inst, const char *name, wk_error *err);
/* Re-export the result's import `import_name` as `name`. */
int wkc_export_import(wkc_graph *g, const char *import_name, const char *name, wk_error *err);

/* An explicit import of the result named `name`, with the type of import
 * `import_index` of component `comp` (e.g. a component made from WAC type
 * syntax). Instances wired to it (wkc_connect_import with that name) must
 * accept that type: a mismatch is an error naming the difference. */
int wkc_import_explicit(wkc_graph *g, const char *name, uint32_t comp, uint32_t import_index, wk_error *err);

/* The index of the result's import `name`, or WKC_NONE. */
uint32_t wkc_find_import(const wkc_graph *g, const char *name);
/* Wire an import of `inst` to export `export_index` of the explicit instance
 * import `outer` (type checked). */
int wkc_connect_import_export(wkc_graph *g, uint32_t inst, uint32_t import_index, uint32_t outer,
                              uint32_t export_index, wk_error *err);
/* Export export `export_index` of the explicit instance import `outer` as `name`. */
int wkc_export_import_export(wkc_graph *g, uint32_t outer, uint32_t export_index, const char *name, wk_error *err);

/* Same with the type of an import (is_export 0) or export (1) `index` of `comp`. */
int wkc_import_explicit_item(wkc_graph *g, const char *name, uint32_t comp, int is_export, uint32_t index,
                             wk_error *err);

/* Same with any item of `comp`'s type graph (e.g. an import of a component type it exports). */
int wkc_import_explicit_ent(wkc_graph *g, const char *name, uint32_t comp, const wk_ctent *ent, wk_error *err);

/* Options of wkc_encode. */
typedef struct wkc_encode_opts {
  int no_imports;           /* an open import is an error instead of an import of the result */
  const char *producer_version; /* for the producers section (NULL = WK_VERSION) */
} wkc_encode_opts;

/*
 * Encode the composition (appended to `out`). Open imports of every instance
 * become imports of the result (one per name), unless opts->no_imports.
 * The output is validated before returning. Errors: WK_ERR_LINK (open import
 * with no_imports, names the import and the instance), WK_ERR_UNSUPPORTED
 * (an import kind the encoder does not re-encode: core modules, values),
 * WK_ERR_INVALID (the result failed validation: a bug, or resource identity
 * the wiring breaks), WK_ERR_NOMEM.
 */
int wkc_encode(wkc_graph *g, const wkc_encode_opts *opts, wk_buf *out, wk_error *err);

/* The wiring as JSON (who satisfies what), appended to `out`: instances with
 * their component, each import with its source, and the exports. */
int wkc_wiring_json(const wkc_graph *g, wk_buf *out, wk_error *err);

/* ---- matching ------------------------------------------------------ */

/* Split an interface name "ns:pkg/iface@ver" into base ("ns:pkg/iface") and
 * version (may be empty). Returns the base length; *ver and *vlen the version. */
size_t wkc_name_base(const char *s, size_t n, const char **ver, size_t *vlen);

/* Whether a version satisfies another: lib/encode's wk_semver_compatible
 * (encode/semver.h), the one copy of the rule; composition (plug, WAC) uses
 * its WK_SEMVER_FULL_ONLY option, as wac does. */

/* Type check: lib/encode's wk_ctypes_subtype (encode/ctypes.h), the one copy of the rule. */
#define wkc_subtype wk_ctypes_subtype

/*
 * Find the export of component `comp` that satisfies import `import_index` of
 * component `icomp`: an export with the same name, or the highest
 * semver-compatible version of the same interface. Returns the export index,
 * WKC_NONE when no export has that name or interface (no error set), or
 * WKC_NONE with an error (WK_ERR_LINK) when candidates exist but none type
 * checks -- the message names the import and every candidate with its
 * difference.
 */
uint32_t wkc_find_export(const wkc_graph *g, uint32_t icomp, uint32_t import_index, uint32_t comp, wk_error *err);

/* ---- policies ------------------------------------------------------ */

/*
 * `wac plug`: instantiate the socket; every socket import that a plug exports
 * (matching as above: the exact name, else the highest compatible version;
 * the later plug on a tie) is wired to that plug's instance (one per plug
 * used); the result exports the socket's exports. Errors: nothing plugged,
 * or an import whose only candidates fail the type check (with the reason).
 */
int wkc_plug(wkc_graph *g, uint32_t socket, const uint32_t *plugs, uint32_t nplugs, wk_error *err);

/*
 * Dependencies (wasm-tools compose): instantiate `main`; each of its imports
 * is satisfied by the dependency (one of `deps`) named like it (an instance
 * import named `b` and a dependency `b.wasm`: its whole instance), else by the
 * dependency exporting it (exact name, else the highest compatible version,
 * else the first given), instantiated once and wired the same way,
 * transitively. Candidates that all fail the type check are an error listing
 * each with its difference. A cycle is an error naming it
 * ("a.wasm -> b.wasm -> a.wasm"). Imports no dependency exports stay open.
 * The result exports main's exports.
 */
int wkc_deps(wkc_graph *g, uint32_t main, const uint32_t *deps, uint32_t ndeps, wk_error *err);

/* ---- WAC ----------------------------------------------------------- */

/*
 * Type definitions the result defines and exports (WAC type statements, wac's "type definitions
 * are exported"): `comp` (added with wkc_add_component) holds only type definitions followed by
 * type exports; its type section is written first in the result, in order, so its type indices
 * are the result's. Once per graph. wkc_export_type then exports its type export `export_index`
 * as `name` (after the exports added before it). Errors: WK_ERR_USAGE (not such a component,
 * called twice), WK_ERR_LINK (duplicate export name).
 */
int wkc_set_type_defs(wkc_graph *g, uint32_t comp, wk_error *err);
int wkc_export_type(wkc_graph *g, uint32_t export_index, const char *name, wk_error *err);

/* A `--dep ns:name=path` package given to the WAC resolver. */
typedef struct wkc_pkg {
  const char *name;   /* "ns:name" (optionally "@version") */
  const char *path;   /* for messages */
  const uint8_t *bytes; /* the component binary (borrowed) */
  const char *load_error; /* when the file could not be read as a binary (e.g. its text does not parse): why */
  const char *wit_path;   /* a WIT package (directory or .wit file) instead of a component: only its
                           * interfaces and worlds can be used (`import x: ns:pkg/iface;`, package
                           * paths in type statements), not instantiated */
  size_t len;
  uint32_t comp;      /* its component index once loaded, WKC_NONE before (wkc_wac_build loads it
                       * when a `new` first names it, so a bad package is reported there) */
} wkc_pkg;

/* A located WAC diagnostic: file, 1-based line:col, byte range. */
typedef struct wkc_diag {
  wk_error err;
  uint32_t start, end;
} wkc_diag;

/* The parsed WAC document (opaque). */
typedef struct wkc_wac wkc_wac;

/*
 * Parse WAC source `text` (len bytes; kept borrowed until wkc_wac_free).
 * Grammar (wac LANGUAGE.md "WAC Grammar"): `package ns:name[@ver] [targets
 * path];` then statements: `import id [as name]: type;` (a package path,
 * `func(...)`, `interface {..}`, or a type name; inline func/interface types
 * are also written out as component text for wkc_wac_build), `type` /
 * `interface` / `world` declarations, `let id = expr;` (expr:
 * `new pkg:name { arg, id: expr, ...x, ... }`, an id, `(expr)`, `expr.name`,
 * `expr["name"]`), `export expr [as name | ...];`. Errors (WK_ERR_MALFORMED)
 * carry line:col and the byte range in `d`, at the positions wac reports
 * (an unexpected end of input at the last byte of the last token). Once the
 * document parses, its type statements and inline types are resolved as wac's
 * resolver does (scopes, kinds of named items, duplicates, world includes,
 * borrows in results): those errors are WK_ERR_LINK, at wac's positions.
 */
int wkc_wac_parse(const char *text, size_t len, wkc_wac **out, wkc_diag *d);
/*
 * The same with the --dep packages `pkgs` (borrowed for the call; `comp` is not used): a package
 * path in a type statement (`use ns:pkg/i.{..}` in an interface or world, `include ns:pkg/w` and
 * `import ns:pkg/i;` / `export ns:pkg/i;` in a world) names an interface or world of one of them
 * (wac resolution.rs resolve_package_path): a WIT package (`wit_path`, read with lib/witparse) or
 * a component (`bytes`; a WIT package encoded as a component defines its interfaces and worlds,
 * any other component nothing). Unknown packages, definitions and types are WK_ERR_LINK at wac's
 * positions. Without packages (wkc_wac_parse) every package path is an unknown package.
 */
int wkc_wac_parse_pkgs(const char *text, size_t len, const wkc_pkg *pkgs, uint32_t npkgs, wkc_wac **out, wkc_diag *d);
/* The same for the syntax only (no name is resolved: `wcompose compose --ast`). */
int wkc_wac_parse_syntax(const char *text, size_t len, wkc_wac **out, wkc_diag *d);
void wkc_wac_free(wkc_wac *w);

/* The document as JSON (package, statements; for tests). */
int wkc_wac_json(const wkc_wac *w, wk_buf *out);

/*
 * Resolve and wire the parsed document into `g`: explicit imports become
 * imports of the result with their declared type (inline types, or by package
 * path the item of a `pkgs` component), `new` instantiates the named package's
 * component (loaded on first use) with named, inferred and spread arguments
 * and `...` (implicit imports), accesses alias exports, `export` exports
 * (names checked: kebab-case or interface names). Every argument is type
 * checked. Errors (WK_ERR_LINK, or WK_ERR_UNSUPPORTED for type declarations,
 * imports by type name and `targets`) carry line:col of the offending item.
 */
int wkc_wac_build(const wkc_wac *w, wkc_graph *g, const wkc_pkg *pkgs, uint32_t npkgs, wkc_diag *d);

/* Render a diagnostic as wit-parser does ("MSG\n     --> FILE:L:C\n ... ^--"). */
void wkc_diag_render(const char *file, const char *text, size_t len, const wkc_diag *d, wk_buf *out);

#endif
