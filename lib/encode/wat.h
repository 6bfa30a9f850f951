/*
 * lib/encode — the WebAssembly text format (WAT) to binary.
 *
 * Specs: WebAssembly core spec chapter 6 "Text Format" (lexical format 6.3,
 * modules 6.6, instructions 6.5, abbreviations throughout) and the
 * component model's text format (design/mvp/Explainer.md, the grammar in
 * each section; Binary.md for the bytes each form becomes). The output is
 * the binary wasm-tools' `parse` (npm jco `parse`) produces for the same
 * text: the same section layout, minimal LEB128s, and a `name` /
 * `component-name` section for the `$identifiers` the text declares.
 *
 * Input is untrusted: every error is WK_ERR_MALFORMED with a 1-based
 * line:col (wk_error.line/col) and a one-line reason; nesting is bounded;
 * nothing aborts.
 */
#ifndef WK_ENCODE_WAT_H
#define WK_ENCODE_WAT_H
#include "base/base.h"

/*
 * Parse `len` bytes of text (a `(module ...)`, a `(component ...)`, or the
 * fields of a module without the wrapper, as wasm-tools accepts) and append
 * its binary to `out`. Returns WK_OK, or WK_ERR_MALFORMED (text does not
 * follow the grammar, unknown identifier, ...) / WK_ERR_NOMEM with a
 * line:col in `err`. `out` may hold partial bytes on error.
 */
int wk_wat_to_binary(const char *text, size_t len, wk_buf *out, wk_error *err);

/* Text-format version flags of wk_wat_to_binary_ex / wk_wat_core_module_ex.
 * 0: WebAssembly 3.0 text (what wk_wat_to_binary reads): limits of tables and memories are u64
 *    (Core 3.0 text/modules.rst "limits"); an i32 limit above 2^32-1 is encoded as written (the
 *    3.0 binary reads limits as u64) and validation rejects it ("table size ..."/"memory size");
 *    memarg offsets are u64 too (validation: "offset out of range" on an i32 memory).
 * WK_WAT_CORE2: WebAssembly 2.0 text: limits and offsets are u32 (offsets: u64 in a module with
 *    an i64 memory), a larger one is malformed text
 *    ("constant out of range", as the 2.0 spec tests' assert_malformed cases say). */
#define WK_WAT_CORE2 1u
int wk_wat_to_binary_ex(const char *text, size_t len, unsigned flags, wk_buf *out, wk_error *err);

/*
 * Read the file at `path` as a WebAssembly binary: when it does not start
 * with the `\0asm` magic it is taken as the text format and converted with
 * wk_wat_to_binary (so tools accept `.wat` wherever they take `.wasm`, as
 * wasmtime and wasm-tools do). On success *data (malloc'd, caller frees)
 * holds the binary and *len its size. Errors: WK_ERR_IO (no offset), or the
 * text's WK_ERR_MALFORMED with line:col.
 */
int wk_read_wasm_or_wat(const char *path, uint8_t **data, size_t *len, wk_error *err);

/* ---- S-expressions (shared by the core and component parsers) --------
 * Core spec 6.3 "Lexical Format": tokens are `(`, `)`, keywords, numbers
 * and other "reserved" tokens, strings and `$id`s; whitespace includes
 * line comments `;; ...` and nestable block comments `(; ... ;)`.
 * Annotations (the annotations proposal: `(@name ...)`) are lists whose
 * first child is a WK_SX_ANNOT atom holding "name".
 */
typedef enum wk_sx_kind {
  WK_SX_LIST = 0,
  WK_SX_KEYWORD, /* starts with a-z: `module`, `i32.add`, `offset=4`, `nan:0x1` */
  WK_SX_RESERVED, /* anything else that is an idchar run: numbers `-0x1p3`, `inf`, `1_000` */
  WK_SX_ID,      /* `$name` or `$"name"`: text/len exclude the `$` (decoded for the quoted form) */
  WK_SX_STRING,  /* `"..."`: text/len are the decoded bytes (may contain NUL; not NUL-terminated) */
  WK_SX_ANNOT,   /* the `@name` head of an annotation list: text/len exclude the `@` */
} wk_sx_kind;

typedef struct wk_sx {
  uint8_t kind;               /* enum wk_sx_kind */
  const char *text;           /* atom text (see kinds); NULL for lists */
  uint32_t len;
  uint32_t line, col;         /* 1-based position of the token (or the `(`) */
  uint32_t offset;            /* byte offset of the token in the input */
  struct wk_sx *kids;         /* LIST: its children */
  uint32_t n;
} wk_sx;

typedef struct wk_sx_doc {
  wk_sx *top;    /* the top-level forms, in order */
  uint32_t n;
  void *mem;    /* internal: owns every node and decoded string */
} wk_sx_doc;

/*
 * Read `text` into S-expressions. Strings are validated as the lexical
 * grammar requires (escapes \t \n \r \" \' \\ \hh \u{...}; no control
 * characters); ids, keywords and reserved tokens are split at whitespace,
 * parentheses, `"` and `;`. Nesting deeper than WK_SX_MAX_DEPTH is an
 * error. Returns WK_OK or WK_ERR_MALFORMED/WK_ERR_NOMEM with line:col.
 * Free with wk_sx_free (also after an error).
 */
#define WK_SX_MAX_DEPTH 1000
int wk_sx_read(const char *text, size_t len, wk_sx_doc *doc, wk_error *err);
void wk_sx_free(wk_sx_doc *doc);

/* Helpers: 1 when `x` is an atom of `kind` equal to `s`. */
int wk_sx_is(const wk_sx *x, wk_sx_kind kind, const char *s);
/* 1 when `x` is a list whose first child is keyword `kw`. */
int wk_sx_head(const wk_sx *x, const char *kw);

/*
 * Encode one core module (core spec 6.6) given as a list whose children
 * from index `skip` on are its module fields: `(module $id? field*)` with
 * skip 1 or 2, or the component parser's `(core module $id? field*)` with
 * skip 3 or 4 (keywords and the optional $id are not looked at). A child
 * `binary` keyword at `skip` means `(module binary "..."*)`: the strings'
 * bytes are the module. Annotations are ignored, except `(@custom ...)` and
 * `(@producers ...)` among the fields, which become custom sections.
 * Appends the whole module binary (preamble included) to `out`, byte-equal
 * to wasm-tools' `parse`: type uses without `(type x)` reuse the first
 * identical function type or append one; a `name` section lists the
 * module `name` (may be NULL), and the $ids of functions, locals, labels,
 * types, tables, memories, globals, elem and data segments.
 * Errors as for wk_wat_to_binary ("unknown operator", "unknown label",
 * "constant out of range", "import after function", "duplicate func", ...).
 */
int wk_wat_core_module(const wk_sx *list, uint32_t skip, const char *name, uint32_t name_len, wk_buf *out,
                       wk_error *err);
/* The same with text-format version flags (WK_WAT_CORE2). */
int wk_wat_core_module_ex(const wk_sx *list, uint32_t skip, const char *name, uint32_t name_len, unsigned flags,
                          wk_buf *out, wk_error *err);

/*
 * Encode one component given as its `(component ...)` list, children after
 * the first `skip` ignored (Explainer.md text grammar; Binary.md bytes).
 * Appends the whole component binary to `out`.
 */
int wk_wat_component(const wk_sx *list, uint32_t skip, const char *name, uint32_t name_len, wk_buf *out,
                     wk_error *err);

#endif
