/*
 * libFuzzer target: the WebAssembly text format through lib/encode (wat.h).
 * Input: WAT text (seeds: the modules and components of the spec-core-2.0
 * and component-model-validation .wast scripts, the wit-component and
 * wasm-compose .wat files, the printed validation snapshots; dictionary
 * tests/fuzz/wat.dict).
 *
 * Always checked (the parser's own contract, wat.h):
 *   - no crash, leak or sanitizer report; errors only WK_ERR_MALFORMED /
 *     NOMEM / UNSUPPORTED, err.code set, malformed text with a 1-based
 *     line:col;
 *   - the same text parses to the same bytes twice (deterministic output);
 *   - WK_OK bytes start with the module or the component preamble;
 *   - they decode (wk_core_decode / wk_component_decode) and re-encode
 *     byte-exactly. Exception: the component decoder lags the text encoder
 *     (which writes what wasm-tools `parse` writes) on a few forms, listed
 *     in decode_gap(); those are counted, not fatal. (Core modules have no gap:
 *     table init expressions decode with typed function references.)
 * Round trip: printing the bytes (wk_coremod_print_module / wk_component_print) and
 * parsing the printed text must give the same bytes. The printer still
 * leaves out several things wasm-tools prints (names of locals, labels,
 * types, tables, data...; `(implements ...)`; newer canonical built-ins;
 * const expressions of other instructions), so by default deviations are
 * counted and printed at exit ("fuzz_wat round trip: ..."), not fatal.
 * WK_FUZZ_WAT_STRICT=1 makes every round-trip deviation and every decoder
 * gap a finding (use it once those gaps are closed).
 */
#include <stdlib.h>
#include <string.h>
#include "encode/encode.h"
#include "encode/wat.h"
#include "fuzz_check.h"

static const uint8_t MODULE_PRE[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
static const uint8_t COMPONENT_PRE[8] = {0, 'a', 's', 'm', 0x0d, 0, 1, 0};

static int strict = -1;
static unsigned long n_ok, n_err, rt_exact, rt_differs, rt_unparsed, rt_noprint, decode_gaps;

static void report(void) {
  fprintf(stderr,
          "fuzz_wat round trip: %lu parsed, %lu rejected; print->parse: %lu same bytes, %lu other bytes, "
          "%lu printed text rejected, %lu not printable; %lu decoder gaps\n",
          n_ok, n_err, rt_exact, rt_differs, rt_unparsed, rt_noprint, decode_gaps);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  const char *e = getenv("WK_FUZZ_WAT_STRICT");
  strict = e && *e && *e != '0';
  atexit(report);
  return 0;
}

/* Component-decoder messages for bytes that wasm-tools `parse` writes too
 * (checked with jco parse) but lib/encode's decoder refuses:
 *   value bound: wasm-encoder writes `(value t)` externdescs as 0x02 valtype,
 *     Binary.md as 0x02 valuebound (0x00 idx | 0x01 valtype); the
 *     `(value (type $t))` case then ends early ("unexpected end");
 *   canonical option: the gc option and (core-type ...) of newer canon lower;
 *   resource rep: wasmparser reads (rep i64) and leaves the i32 rule to its
 *     validator, our decoder checks it while reading. */
static int decode_gap(const char *msg) {
  static const char *const known[] = {"invalid leading byte for value bound", "invalid leading byte for canonical option",
                                      "resources can only be represented by `i32`", "unexpected end"};
  for (size_t i = 0; i < sizeof known / sizeof *known; i++)
    if (!strcmp(msg, known[i])) return 1;
  return 0;
}

/* Findings of this target, fixed and kept as tests/fuzz/regress/wat seeds:
 *   lane-index-at-end.wat: a lane instruction with no lane index as the last
 *   token of its list was reported at line:col 0:0 (fixed in 779f1fd). */
static void check_error(int rc, const wk_error *err) {
  CHECK(rc == WK_ERR_MALFORMED || rc == WK_ERR_NOMEM || rc == WK_ERR_UNSUPPORTED, "wk_wat_to_binary returned %d: %s",
        rc, err->msg);
  CHECK(err->code == rc, "returned %d but err.code is %d", rc, err->code);
  if (rc == WK_ERR_MALFORMED) CHECK(err->line >= 1 && err->col >= 1, "malformed without a line:col: %s", err->msg);
}

#define SHOW(b) (int)((b).len > 4000 ? 4000 : (b).len), (const char *)(b).data

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (strict < 0) LLVMFuzzerInitialize(NULL, NULL);
  wk_buf bin = {0}, again = {0};
  wk_error err;
  wk_error_clear(&err);
  int rc = wk_wat_to_binary((const char *)data, size, &bin, &err);
  wk_error err2;
  wk_error_clear(&err2);
  int rc2 = wk_wat_to_binary((const char *)data, size, &again, &err2);
  CHECK(rc == rc2, "the same text parsed twice: %d then %d", rc, rc2);
  if (rc != WK_OK) {
    check_error(rc, &err);
    n_err++;
    wk_buf_free(&bin);
    wk_buf_free(&again);
    return 0;
  }
  n_ok++;
  CHECK(again.len == bin.len && !memcmp(again.data, bin.data, bin.len), "the same text parsed twice gives other bytes");
  wk_buf_free(&again);
  CHECK(bin.len >= 8, "WK_OK with %zu bytes", bin.len);
  int is_module = !memcmp(bin.data, MODULE_PRE, 8);
  CHECK(is_module || !memcmp(bin.data, COMPONENT_PRE, 8), "WK_OK but the bytes are neither a module nor a component");

  wk_buf txt = {0}, re = {0};
  wk_error_clear(&err);
  int prc;
  if (is_module) {
    wk_core_module *m = NULL;
    /* the text parser writes every 3.0 feature it knows (tags, multi-memory, ...): decode with all */
    int drc = wk_core_decode_features(bin.data, bin.len, WK_FEAT_ALL, &m, &err);
    /* (a table with an init expression, 0x40 0x00 tt e, decodes with WK_FEAT_FUNCTION_REFERENCES) */
    CHECK(drc == WK_OK || drc == WK_ERR_NOMEM, "the module from the text does not decode: %s (offset %llu)", err.msg,
          (unsigned long long)err.offset);
    if (drc != WK_OK) goto out;
    wk_buf enc = {0};
    if (wk_core_encode(m, &enc, &err) == WK_OK)
      CHECK(enc.len == bin.len && !memcmp(enc.data, bin.data, bin.len), "decode->encode of the parsed module differs");
    wk_buf_free(&enc);
    wk_core_free(m);
    wk_error_clear(&err);
    prc = wk_coremod_print_module(bin.data, bin.len, &txt, &err);
  } else {
    wk_component *c = NULL;
    int drc = wk_component_decode(bin.data, bin.len, &c, &err);
    if (drc == WK_ERR_MALFORMED && !strict && decode_gap(err.msg)) {
      decode_gaps++;
      goto out;
    }
    CHECK(drc == WK_OK || drc == WK_ERR_NOMEM, "the component from the text does not decode: %s (offset %llu)",
          err.msg, (unsigned long long)err.offset);
    if (drc != WK_OK) goto out;
    wk_buf enc = {0};
    if (wk_component_encode(c, &enc, &err) == WK_OK)
      CHECK(enc.len == bin.len && !memcmp(enc.data, bin.data, bin.len),
            "decode->encode of the parsed component differs");
    wk_buf_free(&enc);
    wk_error_clear(&err);
    prc = wk_component_print(c, &txt, &err);
    wk_component_free(c);
  }
  if (prc != WK_OK) {
    CHECK(!strict || prc == WK_ERR_NOMEM, "printing the parsed %s failed: %d %s", is_module ? "module" : "component",
          prc, err.msg);
    rt_noprint++;
    goto out;
  }
  wk_error_clear(&err);
  int rrc = wk_wat_to_binary((const char *)txt.data, txt.len, &re, &err);
  if (rrc == WK_ERR_MALFORMED || rrc == WK_ERR_UNSUPPORTED) {
    CHECK(!strict, "printed text does not parse back: %u:%u %s\n--- printed ---\n%.*s", err.line, err.col, err.msg,
          SHOW(txt));
    rt_unparsed++;
  } else if (rrc == WK_OK) {
    if (re.len == bin.len && !memcmp(re.data, bin.data, bin.len)) {
      rt_exact++;
    } else {
      CHECK(!strict, "print -> parse gives other bytes (%zu vs %zu)\n--- printed ---\n%.*s", re.len, bin.len, SHOW(txt));
      rt_differs++;
    }
  } else {
    CHECK(rrc == WK_ERR_NOMEM, "parsing the printed text returned %d: %s", rrc, err.msg);
  }
out:
  wk_buf_free(&txt);
  wk_buf_free(&re);
  wk_buf_free(&bin);
  return 0;
}
