/*
 * lib/witparse — decode a component's type back into a Resolve
 * (wit-component / wit-parser `decoding.rs` semantics).
 *
 * Two kinds of input (Binary.md components; the WIT package encoding is the
 * one wit-component writes):
 *  - a WIT package encoded as a component: every top-level extern is an export
 *    of a type whose definition is a component type exporting exactly one
 *    `ns:pkg/name` instance (an interface) or component (a world). The
 *    package (interfaces, worlds, types, functions, `use`s between
 *    interfaces) is added to the resolve, after the foreign packages it
 *    refers to (each as its own package holding only what is used, in
 *    wit-parser's topological order). The older "v1" form (one export
 *    `ns:pkg/wit`) is accepted too;
 *  - any other component: its own type becomes world `root` of package
 *    `root:component` (as `wasm-tools component wit` prints it).
 * A `package-docs` custom section (wit-parser metadata.rs: a version byte
 * 0 or 1, then JSON) adds docs and stability to the main package.
 *
 * Identity follows wasmparser's type ids through lib/encode's type graph
 * (encode/ctypes.h): a named type that re-exports another becomes an alias
 * (`type b = a`, or a `use` across interfaces); anonymous types are shared.
 *
 * Errors: the component is validated first (WK_ERR_MALFORMED/WK_ERR_INVALID
 * with the byte offset of the failing item); a valid component that WIT
 * cannot describe is WK_ERR_INVALID with the offset of the import/export
 * being decoded. No input crashes: recursion is bounded by the validator's
 * limits and WIT_MAX_TYPE_DEPTH. On error the resolve must only be freed.
 */
#ifndef WK_WITDECODE_H
#define WK_WITDECODE_H
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "encode/component.h"
#include "witparse/witparse.h"

typedef enum wit_decoded_kind {
  WIT_DECODED_PACKAGE = 1,   /* a WIT package: *pkg_out is it, *world_out WIT_NONE */
  WIT_DECODED_COMPONENT = 2, /* a component: *pkg_out is root:component, *world_out its world `root` */
} wit_decoded_kind;

/*
 * Decode the component `c` (from wk_component_decode) into `r`. Outputs may be
 * NULL. Foreign packages already in `r` (same name) are reused: their
 * interfaces gain what this input uses (a merge by name); the main package
 * must not be in `r` yet.
 */
int wit_decode_component(wit_resolve *r, const wk_component *c, wit_id *pkg_out, wit_id *world_out,
                         int *kind_out, wk_error *err);

/* Same for `len` bytes of component binary (decoded, then as above). */
int wit_decode_bytes(wit_resolve *r, const uint8_t *data, size_t len, wit_id *pkg_out, wit_id *world_out,
                     int *kind_out, wk_error *err);

/*
 * Print package `pkg` of `r` as WIT with wit-component's WitPrinter layout
 * (what `wasm-tools component wit` and `jco wit` print for decoded input):
 * in an interface, `use`s (consecutive ones from one interface merged), then
 * type definitions (resources with their functions), then freestanding
 * functions; in a world, interface imports, types, function imports, then
 * exports; blank lines between items. Only `pkg` is printed (no nested
 * packages), with its `package ns:name;` header. Returns WK_OK,
 * WK_ERR_NOMEM, or WK_ERR_INVALID when the resolve holds something WIT
 * cannot spell (an unnamed record, ...).
 */
int wit_resolve_print_decoded(const wit_resolve *r, wit_id pkg, wk_buf *out, wk_error *err);

#endif
