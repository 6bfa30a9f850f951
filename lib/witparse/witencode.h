/*
 * lib/witparse — encoding a resolved WIT package or world as a component type
 * (the binary form of WIT).
 *
 * Two products, both following wit-component (bytecodealliance/wasm-tools,
 * crates/wit-component/src/encoding/wit.rs and metadata.rs):
 *
 *  - a world as the component stored in a `component-type:<world>` custom
 *    section of a core module (what `wasm-tools component embed` writes and
 *    `component new` reads), see wit_encode_world_metadata;
 *  - a whole package as a component (what `wasm-tools component wit --wasm`
 *    writes, "WIT package in binary form"), see wit_encode_package.
 *
 * Binary format: component-model design/mvp/Binary.md, sections "Type
 * Definitions" (componenttype 0x41, instancetype 0x42, defvaltype, functype),
 * "Alias Definitions" (instance-export and outer aliases), "Import and Export
 * Definitions" (importname'/exportname', nameattributes) and "Custom
 * Sections". Each interface becomes an instance type whose named types are
 * exported with `(eq i)` bounds (resources as `(sub resource)`); a type used
 * from another interface is aliased out of that interface's instance into the
 * outer component type and from there into the using instance with an outer
 * alias; anonymous types and function types are deduplicated structurally
 * within one type scope. The output is byte-identical to wit-component's for
 * the same Resolve (checked by tests/cgen and tests/witbin).
 *
 * Ownership: every function appends to a caller-owned wk_buf (release it with
 * wk_buf_free); the resolve is only read. Output is deterministic: the same
 * resolve gives the same bytes.
 *
 * Errors: WK_OK, or WK_ERR_USAGE (bad world/package/interface id),
 * WK_ERR_INVALID (a resolve the encoder cannot express, e.g. a type used from
 * an interface that is not part of the encoded world, or an unresolved type),
 * WK_ERR_NOMEM; `err` (may be NULL) gets a message. On error `out` may hold a
 * partial encoding: discard it.
 */
#ifndef WK_WITENCODE_H
#define WK_WITENCODE_H
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "witparse/witparse.h"

/* String encodings recorded in the `wit-component-encoding` custom section. */
enum { WIT_STRING_UTF8 = 0, WIT_STRING_UTF16 = 1, WIT_STRING_COMPACT_UTF16 = 2 };

/*
 * Append the component type describing world `world` wrapped as wit-component
 * wraps it (encoding/wit.rs `encode_world` plus the wrapper of `Encoder::run`):
 *     (component (type (component <imports, exports of the world>))
 *                (export "ns:pkg/world[@ver]" (component 0)))
 * i.e. the bytes of one `componenttype` (0x41 ...), without any section
 * framing. World imports of interfaces are instance imports named
 * "ns:pkg/iface[@ver]" (or the plain name, with an `implements` attribute
 * for a plain-named import of a named interface), world types are
 * `(import "t" (type (eq i)))`, functions are func imports/exports.
 */
int wit_encode_world_type(const wit_resolve *r, wit_id world, wk_buf *out, wk_error *err);

/*
 * Append the component that wit-component stores in a `component-type`
 * custom section (metadata.rs "encode"): a whole component binary (preamble
 * 0x00 0x61 0x73 0x6d 0x0d 0x00 0x01 0x00) with a `wit-component-encoding`
 * custom section (version byte 4, then `string_encoding`: WIT_STRING_*), a
 * type section holding wit_encode_world_type's component type and an export
 * section exporting that type under the world's plain name.
 * The caller adds the custom section framing (name `component-type:<world>`).
 */
int wit_encode_world_metadata(const wit_resolve *r, wit_id world, int string_encoding, wk_buf *out,
                              wk_error *err);

/*
 * Append the component type of named interface `iface` as a package encoding
 * holds it (encoding/wit.rs `encode_interface`): every interface it depends on
 * through `use` (transitively, dependencies first) is imported as an instance
 * of its types only, named "ns:pkg/name[@ver]"; then the interface itself is
 * exported as an instance under its own id. Bytes of one `componenttype`.
 */
int wit_encode_interface_type(const wit_resolve *r, wit_id iface, wk_buf *out, wk_error *err);

/*
 * Append the `package-docs` custom section payload of package `pkg`
 * (wit-parser metadata.rs PackageMetadata, format version 1): the byte 0x01
 * followed by compact JSON (serde_json spelling, keys in wit-parser's order)
 * holding the docs and @since/@unstable stability of the package, its worlds
 * and interfaces, their types, functions and record fields/cases/flags. Empty
 * entries are left out ("\x01{}" when nothing is documented).
 */
int wit_encode_package_docs(const wit_resolve *r, wit_id pkg, wk_buf *out, wk_error *err);

/*
 * Append the binary encoding of package `pkg` (wit-component `encode`), as
 * `wasm-tools component wit --wasm` writes it: a component binary whose
 * type/export sections hold, for each interface of the package (creation
 * order), wit_encode_interface_type's component type exported as a type under
 * the interface's plain name, then for each world wit_encode_world_type's
 * component type exported under the world's plain name; then the
 * `package-docs` custom section (wit_encode_package_docs) and, when
 * `tool` is not NULL, a `producers` custom section (tool-conventions
 * ProducersSection.md) with one field `processed-by` = [(tool, version)]
 * (`version` "" when NULL). Pass our own tool name: the section says who
 * wrote the file.
 */
int wit_encode_package(const wit_resolve *r, wit_id pkg, const char *tool, const char *version, wk_buf *out,
                       wk_error *err);

#endif
