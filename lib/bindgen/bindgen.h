/*
 * lib/bindgen — guest bindings for a WIT world.
 *
 * C bindings API-compatible with wit-bindgen's C generator (crates/c): the
 * same type, function, helper and export names, ownership rules, resource
 * handle API and signature flattening, so existing C guests build unchanged.
 * Layouts and flattening come from lib/canonabi through lib/witparse's
 * Resolve -> canonical ABI adapter (witparse/witcabi.h); the world's
 * `component-type` custom section comes from lib/witparse (witencode.h).
 *
 * Also here: the relocatable object that carries that section into a linked
 * module, and `embed` (the section appended to a finished core module, like
 * `wasm-tools component embed`).
 *
 * Nothing here prints or exits; errors come back as wk_error.
 */
#ifndef WK_BINDGEN_H
#define WK_BINDGEN_H
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "witparse/witparse.h"

/* String encodings of the generated code (Explainer.md "Canonical ABI options" string-encoding). */
enum { WK_BINDGEN_UTF8 = 0, WK_BINDGEN_UTF16 = 1, WK_BINDGEN_COMPACT_UTF16 = 2 };

/* Options of the C generator (wit-bindgen's C `Opts`). All-zero = wit-bindgen's defaults. */
typedef struct wk_bindgen_c_opts {
  int no_sig_flattening; /* pass every parameter and result through pointers */
  int autodrop_borrows;  /* drop imported borrows after an export returns */
  int string_encoding;   /* WK_BINDGEN_UTF8 or _UTF16 (compact-utf16 is refused, as wit-bindgen does) */
  /* --async filters, each a comma-separated list (wit-bindgen AsyncFilterSet, first match wins):
   * `all`, `-all`, `none`, or [-][import:|export:]NAME with NAME = `iface#func` or `func`. Without a
   * match only `async func`s are async. */
  const char *const *async;
  size_t n_async;
  /* --rename: interface world key (plain name or ns:pkg/iface@ver) -> name used in C identifiers */
  const char *const *rename_from, *const *rename_to;
  size_t n_rename;
  const char *type_section_suffix; /* appended to the custom section name; NULL = none */
  const char *world_name;          /* name the files and C identifiers use; NULL = the world's name */
} wk_bindgen_c_opts;

/* The generated files, owned by the caller (wk_bindgen_c_free). */
typedef struct wk_bindgen_c_out {
  char *stem;       /* snake-case world name: files STEM.h, STEM.c, STEM_component_type.o */
  wk_buf header;    /* STEM.h */
  wk_buf source;    /* STEM.c */
  wk_buf object;    /* STEM_component_type.o: the world's component-type section in a relocatable object */
  wk_buf warnings;  /* zero or more lines, each a warning (e.g. a --rename that matched nothing) */
} wk_bindgen_c_out;

/*
 * Generate C bindings for world `world` of `r` (pick it with
 * wit_resolve_select_world). `out` is zeroed first and filled on success;
 * warnings are filled even on failure. Returns WK_OK, WK_ERR_UNSUPPORTED
 * (a WIT construct the C generator cannot express, e.g. named fixed-length
 * lists, compact-utf16), WK_ERR_USAGE (bad world id) or WK_ERR_NOMEM, with
 * `err` set.
 */
int wk_bindgen_c(const wit_resolve *r, wit_id world, const wk_bindgen_c_opts *opts, wk_bindgen_c_out *out,
                 wk_error *err);
void wk_bindgen_c_free(wk_bindgen_c_out *out);

/*
 * Write a relocatable wasm object (WebAssembly tool-conventions Linking.md,
 * linking section version 2) holding one dummy function exported as symbol
 * `symbol` and a custom section named `section` with `data` (len bytes).
 * Appends to `out` (check out->oom).
 */
void wk_bindgen_ctype_object(const char *section, const uint8_t *data, size_t len, const char *symbol,
                             wk_buf *out);

/*
 * `wasm-tools component embed`: the core module `core` (len bytes, borrowed)
 * with a `component-type:<world name>` custom section appended that encodes
 * world `world` of `r` (witencode.h wit_encode_world_metadata, string
 * encoding `enc`: WK_BINDGEN_*). Appends to `out`. Returns WK_OK,
 * WK_ERR_MALFORMED ("not a core wasm module", offset 0), or the encoder's
 * error.
 */
int wk_bindgen_embed(const wit_resolve *r, wit_id world, int enc, const uint8_t *core, size_t len, wk_buf *out,
                     wk_error *err);

#endif
