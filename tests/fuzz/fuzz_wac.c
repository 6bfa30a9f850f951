/*
 * libFuzzer target: WAC text through lib/compose's parser (wkc_wac_parse).
 * Input: one WAC document (seeds: the .wac files of wac's test corpus).
 * Oracle:
 *  - an error is WK_ERR_MALFORMED (syntax), WK_ERR_LINK (names and types of the
 *    type statements, resolved once the document parses) or WK_ERR_NOMEM, with a 1-based line:col
 *    that is the position of the error's byte offset (start) in the input,
 *    start <= end <= input length + 1, and it renders (source line + caret);
 *  - a parsed document serializes to JSON, and parsing the same bytes again
 *    gives the same JSON (no hidden state);
 *  - evaluating it against no packages fails or succeeds without crashing,
 *    with a located error when it fails.
 */
#include <string.h>

#include "compose/compose.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  wkc_wac *w = NULL;
  wkc_diag d;
  int rc = wkc_wac_parse((const char *)data, size, &w, &d);
  if (rc != WK_OK) {
    CHECK(w == NULL, "document returned on error");
    CHECK(rc == WK_ERR_MALFORMED || rc == WK_ERR_LINK || rc == WK_ERR_NOMEM, "unexpected error code %d: %s", rc, d.err.msg);
    if (rc != WK_ERR_NOMEM) {
      CHECK(d.err.line >= 1 && d.err.col >= 1, "error without a location: %s", d.err.msg);
      CHECK(d.start <= size && d.start <= d.end && d.end <= size + 1, "bad range %u..%u of %zu", d.start, d.end, size);
      uint32_t line = 1, col = 1;
      for (uint32_t i = 0; i < d.start; i++) {
        if (data[i] == '\n') { line++; col = 1; }
        else if ((data[i] & 0xC0) != 0x80) col++;
      }
      CHECK(line == d.err.line && col == d.err.col, "line:col %u:%u is not the offset's %u:%u (%s)", d.err.line,
            d.err.col, line, col, d.err.msg);
      wk_buf r = {0};
      wkc_diag_render("fuzz.wac", (const char *)data, size, &d, &r);
      CHECK(r.len > 0 || r.oom, "empty rendering");
      wk_buf_free(&r);
    }
    return 0;
  }
  wk_buf j1 = {0}, j2 = {0};
  CHECK(wkc_wac_json(w, &j1) == WK_OK, "json failed");
  wkc_wac *w2 = NULL;
  wkc_diag d2;
  CHECK(wkc_wac_parse((const char *)data, size, &w2, &d2) == WK_OK, "second parse failed: %s", d2.err.msg);
  CHECK(wkc_wac_json(w2, &j2) == WK_OK, "json failed");
  CHECK(j1.len == j2.len && !memcmp(j1.data, j2.data, j1.len), "two parses differ");
  wkc_graph *g = wkc_new();
  CHECK(g != NULL, "graph");
  wkc_diag d3;
  int brc = wkc_wac_build(w, g, NULL, 0, &d3);
  if (brc != WK_OK) CHECK(d3.err.line >= 1 && d3.err.msg[0], "build error without a location: %s", d3.err.msg);
  wkc_free(g);
  wkc_wac_free(w);
  wkc_wac_free(w2);
  wk_buf_free(&j1);
  wk_buf_free(&j2);
  return 0;
}
