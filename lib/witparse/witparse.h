/*
 * lib/witparse — WIT (WebAssembly Interface Types) lexer, parser and resolver.
 *
 * Spec: WebAssembly/component-model design/mvp/WIT.md. The model follows
 * wasm-tools' wit-parser `Resolve`: every package, world, interface and type
 * definition lives in one arena of the resolve and is named by an integer id
 * (its index in that arena). Ids are assigned in the same order wit-parser
 * assigns them, so `wit_resolve_to_json` prints the same document as
 * `wasm-tools component wit --json`.
 *
 * Ownership: a wit_resolve owns everything reachable from it (strings, arrays);
 * pointers into it stay valid until the next wit_resolve_push_* call (arrays may
 * move when they grow) or wit_resolve_free. Ids stay valid forever.
 *
 * Errors: functions return an enum wk_errcode (WK_OK on success) and fill a
 * wit_diag: the file, 1-based line:col, byte range on that line and a one-line
 * message. wit_diag_render() formats it with the source line and a caret. The
 * library never prints, exits or aborts on input; nesting is bounded
 * (WIT_MAX_TYPE_DEPTH) and every count comes from the input text itself.
 *
 * Thread-safety: a wit_resolve is not shared between threads while mutated.
 */
#ifndef WK_WITPARSE_H
#define WK_WITPARSE_H
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

/* An index into one of the arenas of a wit_resolve. */
typedef uint32_t wit_id;
#define WIT_NONE UINT32_MAX

/* Parser limits (wit-parser's MAX_TYPE_DEPTH / MAX_ITEM_DEPTH). */
#define WIT_MAX_TYPE_DEPTH 100
#define WIT_MAX_ITEM_DEPTH 100

/* A value type: a primitive, or a reference to a type definition (WIT_PRIM_ID). */
typedef enum wit_prim {
  WIT_PRIM_NONE = 0, /* "no type" (absent result/ok/err/case payload/future element) */
  WIT_PRIM_BOOL,
  WIT_PRIM_U8,
  WIT_PRIM_U16,
  WIT_PRIM_U32,
  WIT_PRIM_U64,
  WIT_PRIM_S8,
  WIT_PRIM_S16,
  WIT_PRIM_S32,
  WIT_PRIM_S64,
  WIT_PRIM_F32,
  WIT_PRIM_F64,
  WIT_PRIM_CHAR,
  WIT_PRIM_STRING,
  WIT_PRIM_ERROR_CONTEXT,
  WIT_PRIM_ID, /* `id` names a wit_typedef */
} wit_prim;

typedef struct wit_type {
  uint32_t prim; /* enum wit_prim */
  wit_id id;     /* valid when prim == WIT_PRIM_ID */
} wit_type;

/* WIT spelling of a primitive ("u32", "error-context"); NULL for NONE and ID. */
const char *wit_prim_name(wit_prim p);

/* Feature gates (WIT.md "Feature Gates"). Versions are semver strings. */
typedef enum wit_stability_kind { WIT_STAB_UNKNOWN = 0, WIT_STAB_STABLE, WIT_STAB_UNSTABLE } wit_stability_kind;
typedef struct wit_stability {
  uint32_t kind;          /* enum wit_stability_kind */
  const char *since;      /* STABLE: @since(version = ...) */
  const char *feature;    /* UNSTABLE: @unstable(feature = ...) */
  const char *deprecated; /* optional @deprecated(version = ...), else NULL */
} wit_stability;

/* A source location: index into wit_resolve.files (WIT_NONE = unknown) and byte range. */
typedef struct wit_span {
  uint32_t file;
  uint32_t start, end; /* byte offsets within that file's text */
} wit_span;

typedef enum wit_typedef_kind {
  WIT_TD_RECORD,
  WIT_TD_RESOURCE,
  WIT_TD_OWN,    /* handle: `resource` */
  WIT_TD_BORROW, /* handle: `resource` */
  WIT_TD_FLAGS,
  WIT_TD_TUPLE,
  WIT_TD_VARIANT,
  WIT_TD_ENUM,
  WIT_TD_OPTION, /* ty */
  WIT_TD_RESULT, /* ty = ok, ty2 = err (either may be WIT_PRIM_NONE) */
  WIT_TD_LIST,   /* ty */
  WIT_TD_MAP,    /* ty = key, ty2 = value */
  WIT_TD_FIXED_LIST, /* ty, size */
  WIT_TD_FUTURE, /* ty (may be NONE) */
  WIT_TD_STREAM, /* ty (may be NONE) */
  WIT_TD_TYPE,   /* alias: ty */
  WIT_TD_UNKNOWN, /* internal: a not-yet-resolved foreign type */
} wit_typedef_kind;

/* A record field, variant case (ty may be NONE), enum case or flag (ty unused), or tuple element. */
typedef struct wit_field {
  const char *name; /* NULL for tuple elements */
  wit_type ty;
  const char *docs; /* NULL = no docs */
  wit_span span;
} wit_field;

typedef enum wit_owner_kind { WIT_OWNER_NONE = 0, WIT_OWNER_WORLD, WIT_OWNER_INTERFACE } wit_owner_kind;

typedef struct wit_typedef {
  const char *name; /* NULL for anonymous types */
  uint32_t kind;    /* enum wit_typedef_kind */
  uint32_t owner_kind; /* enum wit_owner_kind */
  wit_id owner;
  wit_type ty, ty2;
  wit_id resource; /* OWN/BORROW: the resource type definition */
  uint32_t size;   /* FIXED_LIST element count */
  wit_field *fields; /* RECORD/VARIANT/ENUM/FLAGS/TUPLE */
  uint32_t n_fields;
  const char *docs;
  wit_stability stability;
  const char *external_id; /* @external-id("...") or NULL */
  wit_span span;
} wit_typedef;

typedef enum wit_func_kind {
  WIT_FN_FREESTANDING,
  WIT_FN_ASYNC_FREESTANDING,
  WIT_FN_METHOD,
  WIT_FN_ASYNC_METHOD,
  WIT_FN_STATIC,
  WIT_FN_ASYNC_STATIC,
  WIT_FN_CONSTRUCTOR,
} wit_func_kind;

typedef struct wit_param {
  const char *name;
  wit_type ty;
  wit_span span;
} wit_param;

/* A function. Names of resource functions are "[method]R.m", "[static]R.m", "[constructor]R". */
typedef struct wit_function {
  const char *name;
  uint32_t kind;   /* enum wit_func_kind */
  wit_id resource; /* METHOD/STATIC/CONSTRUCTOR (+async): the resource type */
  wit_param *params; /* methods start with `self: borrow<R>` */
  uint32_t n_params;
  wit_type result; /* WIT_PRIM_NONE = no result */
  const char *docs;
  wit_stability stability;
  const char *external_id;
  wit_span span;
} wit_function;

typedef struct wit_named_id {
  const char *name;
  wit_id id;
} wit_named_id;

typedef struct wit_interface {
  const char *name; /* NULL for an interface declared inline in a world */
  wit_named_id *types; /* name -> typedef, in definition order */
  uint32_t n_types, cap_types;
  wit_function *functions;
  uint32_t n_functions, cap_functions;
  const char *docs;
  wit_stability stability;
  wit_id package; /* WIT_NONE only while being built */
  wit_id clone_of; /* WIT_NONE unless cloned by an `include` */
  wit_span span;
} wit_interface;

typedef enum wit_item_kind { WIT_ITEM_INTERFACE, WIT_ITEM_FUNCTION, WIT_ITEM_TYPE } wit_item_kind;

/* Where a world item comes from (the WIT printer writes only SOURCE items and the includes). */
typedef enum wit_item_origin {
  WIT_ORIGIN_SOURCE = 0, /* written in the world */
  WIT_ORIGIN_ELABORATED, /* implicit import of an interface dependency (WIT.md "Worlds") */
  WIT_ORIGIN_INCLUDED,   /* copied by an `include` */
} wit_item_origin;

/*
 * One import or export of a world. The key is a plain name (`key_name`) or an
 * interface (`key_iface`, key_name == NULL: "import ns:pkg/iface;").
 */
typedef struct wit_world_item {
  const char *key_name;
  wit_id key_iface;
  uint32_t kind;     /* enum wit_item_kind */
  wit_id id;         /* INTERFACE: interface id; TYPE: typedef id */
  wit_function func; /* FUNCTION */
  wit_stability stability; /* INTERFACE items (functions and types carry their own) */
  const char *docs;        /* INTERFACE items */
  const char *external_id; /* INTERFACE items */
  wit_span span;
  uint32_t src_order; /* position of the item in its world's source text (0 for items not written in
                         this world); the WIT printer uses it to keep declaration order */
  uint32_t origin;    /* enum wit_item_origin */
} wit_world_item;

typedef struct wit_include_name {
  const char *name, *as;
} wit_include_name;

typedef struct wit_include {
  wit_stability stability;
  wit_id world;
  wit_include_name *names;
  uint32_t n_names;
  wit_span span;
} wit_include;

typedef struct wit_world {
  const char *name;
  wit_world_item *imports;
  uint32_t n_imports, cap_imports;
  wit_world_item *exports;
  uint32_t n_exports, cap_exports;
  wit_id package;
  const char *docs;
  wit_stability stability;
  wit_include *includes; /* the world's enabled `include`s (world ids resolved), already applied */
  uint32_t n_includes;
  wit_span span;
} wit_world;

typedef struct wit_package_name {
  const char *namespace_, *name;
  const char *version; /* semver string or NULL */
} wit_package_name;

typedef struct wit_package {
  wit_package_name name;
  const char *docs;
  wit_named_id *interfaces; /* named interfaces in creation order */
  uint32_t n_interfaces, cap_interfaces;
  wit_named_id *worlds;
  uint32_t n_worlds, cap_worlds;
  /* Packages this one's source refers to (ns:pkg/...), in first-reference order,
   * including references dropped by feature gates. */
  wit_id *deps;
  uint32_t n_deps;
} wit_package;

/* A source file the resolve has read (kept for diagnostics). */
typedef struct wit_file {
  const char *path;
  const char *text; /* NUL-terminated */
  size_t len;
} wit_file;

typedef struct wit_resolve wit_resolve;
struct wit_resolve {
  wit_package *packages;
  uint32_t n_packages, cap_packages;
  wit_world *worlds;
  uint32_t n_worlds, cap_worlds;
  wit_interface *interfaces;
  uint32_t n_interfaces, cap_interfaces;
  wit_typedef *types;
  uint32_t n_types, cap_types;
  wit_file *files;
  uint32_t n_files, cap_files;
  /* Feature gates: @unstable(feature = X) items are kept when X is enabled. */
  char **features;
  uint32_t n_features;
  int all_features;
  wk_arena arena; /* strings and fixed-size arrays */
};

/* A diagnostic: wk_error (code, line, col, msg) plus the file and span. */
typedef struct wit_diag {
  wk_error err;
  char file[512]; /* path of the file, "" when unknown */
  uint32_t file_index; /* index into resolve->files or WIT_NONE */
  uint32_t start, end; /* byte range within the file */
} wit_diag;

/* Create an empty resolve (NULL on OOM). Free with wit_resolve_free. */
wit_resolve *wit_resolve_new(void);
void wit_resolve_free(wit_resolve *r);

/* Enable the feature `name` for @unstable gates (copies the string). */
int wit_resolve_enable_feature(wit_resolve *r, const char *name);
/* Enable every feature (wit-parser's `all_features`). */
void wit_resolve_set_all_features(wit_resolve *r, int on);

/*
 * Parse and resolve WIT at `path` (wit-parser Resolve::push_path):
 *  - a directory: every *.wit file in it (sorted by path) is one package,
 *    and `path/deps/` holds dependencies: each subdirectory is a package, each
 *    *.wit file a package (or several with `package a:b { ... }` blocks);
 *  - a file: one WIT document (with optional nested package blocks).
 * All packages are added in dependency order (a cycle is an error). On success
 * *pkg_out (may be NULL) is the id of the main package. On failure `diag` is
 * filled and the resolve must not be used further except to free it.
 */
int wit_resolve_push_path(wit_resolve *r, const char *path, wit_id *pkg_out, wit_diag *diag);

/*
 * Directory `path` as wit_resolve_push_path reads it (its *.wit files are the
 * main package), with its dependencies taken from the directory `deps` instead
 * of `path/deps/` (same layout: each subdirectory a package, each *.wit file
 * one, *.wasm / *.wat decoded). For WIT that names packages installed elsewhere
 * (lib/wasi/wit/host.wit over jco's WASI WIT, read at build time). A missing
 * `path` or `deps` is a WK_ERR_IO error in `diag`.
 */
int wit_resolve_push_dir_deps(wit_resolve *r, const char *path, const char *deps, wit_id *pkg_out, wit_diag *diag);

/* Same for one in-memory document `text` of `len` bytes named `name` (for diagnostics). */
int wit_resolve_push_str(wit_resolve *r, const char *name, const char *text, size_t len, wit_id *pkg_out,
                         wit_diag *diag);

/*
 * Several in-memory documents forming one package (like a directory without
 * deps/): names[i]/texts[i]/lens[i]. Files are processed sorted by name.
 */
int wit_resolve_push_files(wit_resolve *r, uint32_t n, const char *const *names, const char *const *texts,
                           const size_t *lens, wit_id *pkg_out, wit_diag *diag);

/*
 * Render `d` as wit-parser does:
 *     MESSAGE
 *          --> FILE:LINE:COL
 *           |
 *        12 | source line
 *           |     ^----
 * into `out` (appended, no trailing newline). Uses the file text kept in `r`.
 */
void wit_diag_render(const wit_resolve *r, const wit_diag *d, wk_buf *out);

/* The same rendering for any text (used for WAC diagnostics by lib/compose):
 * `msg`, the `--> path:line:col` line, the source line holding byte `start`
 * of `text` (len bytes) and a caret with dashes up to `end_off` (same line). */
void wit_snippet_render(const char *path, const char *text, size_t len, uint32_t line, uint32_t col, uint32_t start,
                        uint32_t end_off, const char *msg, wk_buf *out);

/*
 * Serialize the whole resolve as JSON with the schema of
 * `wasm-tools component wit --json` (keys in wit-parser's order, 2-space
 * indentation like serde_json's pretty printer, trailing newline). Built with
 * cJSON. Returns WK_OK or WK_ERR_NOMEM.
 */
int wit_resolve_to_json(const wit_resolve *r, wk_buf *out, wk_error *err);

/*
 * Print the resolve as WIT text: package `main_pkg` with a `package a:b;`
 * header, every other package as a nested `package a:b { ... }` block (in
 * arena order). The text parses back (wit_resolve_push_str) to the same
 * Resolve. Output is deterministic. Returns WK_OK or WK_ERR_NOMEM.
 */
int wit_resolve_print_wit(const wit_resolve *r, wit_id main_pkg, wk_buf *out, wk_error *err);

/*
 * Pick a world as wit-parser's Resolve::select_world does (for tools taking
 * `--world`): `spec` NULL = the only world of package `main_pkg`; "name" = a
 * world of `main_pkg`; "ns:pkg/name" or "ns:pkg/name@1.2.3" = a world of that
 * package (without a version, the one versioned package of that name, if
 * unique). Identifiers may carry a '%' prefix. On success *out is the world id.
 * Errors: WK_ERR_USAGE with a message (no such package/world, ambiguous).
 */
int wit_resolve_select_world(const wit_resolve *r, wit_id main_pkg, const char *spec, wit_id *out, wk_error *err);

/* Lookups (linear; NULL/WIT_NONE when absent). */
wit_id wit_resolve_find_package(const wit_resolve *r, const char *ns, const char *name, const char *version);
wit_id wit_interface_find_type(const wit_resolve *r, wit_id iface, const char *name);
const wit_function *wit_interface_find_function(const wit_resolve *r, wit_id iface, const char *name);

/* "ns:pkg/iface@ver" for a named interface (written to buf, NUL-terminated); "" if anonymous. */
const char *wit_interface_id_string(const wit_resolve *r, wit_id iface, char *buf, size_t cap);

/* Validate a WIT identifier (WIT.md "Identifiers": kebab-case words, each all-lower or all-upper). 1 = ok. */
int wit_valid_id(const char *s, size_t len);

/*
 * 1 when WIT type `t` of `r` contains a `borrow<T>` anywhere inside it (through aliases, lists,
 * fixed-length lists, options, results, records, tuples, variants, maps, futures and streams),
 * else 0. WIT.md / CanonicalABI.md: a function result may not contain a borrow. Primitives,
 * unknown ids and nesting past WIT_MAX_TYPE_DEPTH give 0. No allocation; `r` is not changed.
 */
int wit_type_has_borrow(const wit_resolve *r, wit_type t);

/* Version of lib/witparse. */
const char *wk_witparse_version(void);

#endif
