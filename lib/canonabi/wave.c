/*
 * WAVE (WebAssembly Value Encoding, wasm-tools crates/wasm-wave) printing and
 * parsing of wk_cval trees.
 */
#include <string.h>

#include "canonabi/value.h"

int wk_cval_print_wave(const wk_cval *v, const wk_cabi_type *t, const wk_cabi_names *names, wk_buf *out,
                       wk_error *err) {
  return wk_error_set(err, WK_ERR_UNSUPPORTED, "WAVE printing: not implemented yet");
}

int wk_cval_parse_wave(const char *text, size_t len, const wk_cabi_type *t, const wk_cabi_names *names,
                       wk_arena *arena, wk_cval *out, wk_error *err) {
  return wk_error_set(err, WK_ERR_UNSUPPORTED, "WAVE parsing: not implemented yet");
}
