/*
 * libFuzzer target: WIT text through lib/witparse.
 * Input: one WIT document (seeds: wit-parser-ui and wit-bindgen .wit files).
 *   wit_resolve_push_str (all @unstable features on); on failure the
 *   diagnostic is rendered (it re-reads the source lines); on success the
 *   Resolve is serialized to JSON and printed as WIT, and the printed text
 *   must parse back to the same JSON (witparse.h: "The text parses back to
 *   the same Resolve").
 */
#include <string.h>
#include "witparse/witparse.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  wit_resolve *r = wit_resolve_new();
  CHECK(r != NULL, "resolve_new");
  wit_resolve_set_all_features(r, 1);
  wit_id pkg = WIT_NONE;
  wit_diag d;
  memset(&d, 0, sizeof d);
  int rc = wit_resolve_push_str(r, "fuzz.wit", (const char *)data, size, &pkg, &d);
  if (rc != WK_OK) {
    wk_buf msg = {0};
    wit_diag_render(r, &d, &msg);
    wk_buf_free(&msg);
    wit_resolve_free(r);
    return 0;
  }
  wk_error err;
  wk_buf j1 = {0}, j2 = {0}, text = {0};
  int jrc = wit_resolve_to_json(r, &j1, &err);
  int prc = wit_resolve_print_wit(r, pkg, &text, &err);
  CHECK(prc == WK_OK || prc == WK_ERR_NOMEM, "print_wit failed: %d %s", prc, err.msg);
  if (jrc == WK_OK && prc == WK_OK) {
    wit_resolve *r2 = wit_resolve_new();
    CHECK(r2 != NULL, "resolve_new");
    wit_resolve_set_all_features(r2, 1);
    wit_diag d2;
    memset(&d2, 0, sizeof d2);
    int rc2 = wit_resolve_push_str(r2, "printed.wit", (const char *)text.data, text.len, NULL, &d2);
    CHECK(rc2 == WK_OK, "printed WIT does not parse back: %u:%u %s\n--- printed ---\n%.*s", d2.err.line, d2.err.col,
          d2.err.msg, (int)text.len, (const char *)text.data);
    CHECK(wit_resolve_to_json(r2, &j2, &err) == WK_OK, "json of reparsed");
    CHECK(j1.len == j2.len && memcmp(j1.data, j2.data, j1.len) == 0,
          "printed WIT re-parses to a different Resolve\n--- printed ---\n%.*s", (int)text.len,
          (const char *)text.data);
    wit_resolve_free(r2);
  }
  wk_buf_free(&j1);
  wk_buf_free(&j2);
  wk_buf_free(&text);
  wit_resolve_free(r);
  return 0;
}
