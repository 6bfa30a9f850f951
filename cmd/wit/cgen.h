/*
 * wit-gen c / wit-gen embed: C guest bindings compatible with wit-bindgen's C
 * generator, and embedding of the `component-type:<world>` custom section.
 * main.c dispatches `wit-gen c ...` and `wit-gen embed ...` here; argv[0] is
 * the subcommand name. Both return the process exit code (0 ok, 1 failed
 * work, 2 usage error).
 */
#ifndef WK_WIT_CGEN_H
#define WK_WIT_CGEN_H
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "witparse/witencode.h" /* wit_encode_world_metadata: the component-type section */
#include "witparse/witparse.h"

int wit_gen_c_main(int argc, char **argv);
/* Does world `w` match `spec`: `name` (a world of package `pkg`) or `ns:pkg/name[@version]`? */
int wk_cgen_world_matches(const wit_resolve *r, wit_id w, wit_id pkg, const char *spec);
int wit_gen_embed_main(int argc, char **argv);

/*
 * Write a relocatable wasm object (tool-conventions Linking.md) holding one
 * dummy function exported as symbol `symbol` and a custom section named
 * `section` with `data`. Appends to `out`.
 */
void wk_ctype_object(const char *section, const uint8_t *data, size_t len, const char *symbol, wk_buf *out);

#endif
