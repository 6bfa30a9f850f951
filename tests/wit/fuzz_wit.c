/*
 * libFuzzer target for lib/witparse (not built by default: the fuzz build
 * compiles tests/fuzz/fuzz_*.c; copy or move this file there to enable it).
 *
 * Input: one WIT document. Property checked beyond "no crash / no leak":
 * whatever parses must print (wit_resolve_print_wit) to WIT that parses back
 * to byte-identical JSON (wit_resolve_to_json), with every feature enabled.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Ilib tests/wit/fuzz_wit.c \
 *     build-fuzz/lib/libwk_witparse.a build-fuzz/lib/libwk_base.a -lcjson -o fuzz_wit
 *   ./fuzz_wit -dict=... ../shared/corpora/wit-parser-ui   (seed corpus: any .wit files)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "witparse/witparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  wit_resolve *r = wit_resolve_new();
  if (!r) return 0;
  wit_resolve_set_all_features(r, 1);
  wit_diag d;
  wit_id pkg;
  if (wit_resolve_push_str(r, "fuzz.wit", (const char *)data, size, &pkg, &d) != WK_OK) {
    wk_buf b = {0};
    wit_diag_render(r, &d, &b); /* rendering must cope with any location */
    wk_buf_free(&b);
    wit_resolve_free(r);
    return 0;
  }
  wk_buf j1 = {0}, text = {0}, j2 = {0};
  wk_error e;
  if (wit_resolve_to_json(r, &j1, &e) == WK_OK && wit_resolve_print_wit(r, pkg, &text, &e) == WK_OK) {
    wit_resolve *r2 = wit_resolve_new();
    wit_resolve_set_all_features(r2, 1);
    if (wit_resolve_push_str(r2, "printed.wit", (const char *)text.data, text.len, NULL, &d) != WK_OK) abort();
    if (wit_resolve_to_json(r2, &j2, &e) != WK_OK) abort();
    if (j1.len != j2.len || memcmp(j1.data, j2.data, j1.len)) abort();
    wit_resolve_free(r2);
  }
  wk_buf_free(&j1);
  wk_buf_free(&j2);
  wk_buf_free(&text);
  wit_resolve_free(r);
  return 0;
}
