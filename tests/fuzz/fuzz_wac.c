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
 *  - evaluating it fails or succeeds without crashing, with a located error
 *    when it fails.
 * The document is parsed and evaluated with one --dep package, `foo:bar` (the
 * name wac's corpus uses): a WIT package encoded as a component (PKG_WIT), so
 * package paths in type statements (`use foo:bar/baz.{a}`, `include
 * foo:bar/w`, `import foo:bar/qux;` in a world) are resolved and encoded.
 */
#include <string.h>

#include "compose/compose.h"
#include "fuzz_check.h"
#include "witparse/witencode.h"
#include "witparse/witparse.h"

static const char PKG_WIT[] =
    "package foo:bar;\n"
    "interface baz { type a = u8; resource x { constructor(); m: func() -> a; } type y = borrow<x>;"
    " record r { f: a } f: func(); }\n"
    "interface qux { use baz.{a, x}; g: func(p: a) -> x; }\n"
    "world w { import baz; export qux; export h: func(); }\n";
static wk_buf pkg_bin; /* PKG_WIT as a component, made once (this target's only state) */

static void pkg_init(void) {
  if (pkg_bin.len) return;
  wit_resolve *r = wit_resolve_new();
  wit_diag wd;
  wit_id id;
  wk_error e;
  wk_error_clear(&e);
  CHECK(r && !wit_resolve_push_str(r, "pkg.wit", PKG_WIT, sizeof PKG_WIT - 1, &id, &wd), "package WIT: %s", wd.err.msg);
  CHECK(!wit_encode_package(r, id, NULL, NULL, &pkg_bin, &e), "package encoding: %s", e.msg);
  wit_resolve_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  pkg_init();
  wkc_pkg pkg = {.name = "foo:bar", .path = "pkg.wit", .bytes = pkg_bin.data, .len = pkg_bin.len, .comp = WKC_NONE};
  wkc_wac *w = NULL;
  wkc_diag d;
  int rc = wkc_wac_parse_pkgs((const char *)data, size, &pkg, 1, &w, &d);
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
  CHECK(wkc_wac_parse_pkgs((const char *)data, size, &pkg, 1, &w2, &d2) == WK_OK, "second parse failed: %s", d2.err.msg);
  CHECK(wkc_wac_json(w2, &j2) == WK_OK, "json failed");
  CHECK(j1.len == j2.len && !memcmp(j1.data, j2.data, j1.len), "two parses differ");
  wkc_graph *g = wkc_new();
  CHECK(g != NULL, "graph");
  wkc_diag d3;
  int brc = wkc_wac_build(w, g, &pkg, 1, &d3);
  if (brc != WK_OK) CHECK(d3.err.line >= 1 && d3.err.msg[0], "build error without a location: %s", d3.err.msg);
  wkc_free(g);
  wkc_wac_free(w);
  wkc_wac_free(w2);
  wk_buf_free(&j1);
  wk_buf_free(&j2);
  return 0;
}
