/*
 * spec3-check — the VALIDATION side of WebAssembly 3.0 spec tests
 * (wast2json JSON, as written by tests/spec3/convert3.sh) on lib/encode only:
 *
 *   spec3-check [--verbose] [--check-messages] [--features=LIST] [--out-of-scope=NAME.json:LINE=REASON]... FILE.json...
 *
 * LIST: comma-separated extended-const, tail-call, multi-memory, memory64 (WK_FEAT_*), exceptions,
 * legacy-exceptions, function-references, gc,
 * default all of them. Per command (Core spec 3.0 test-suite semantics, as
 * WebAssembly/spec interpreter/script/run.ml):
 *   module           must decode and validate (wk_core_decode_features +
 *                    wk_core_validate_features); then winspect's printer
 *                    (wk_coremod_print_module) and the WAT parser
 *                    (wk_wat_to_binary) must give back the same bytes, or
 *                    for a non-canonical input encoding (padded LEB128s in
 *                    a `module binary`, ...) a module printing to the same text,
 *                    or the input's bytes once its empty sections (count 0: no text
 *                    form) are dropped (one more check counted as "roundtrip").
 *   assert_invalid   must be rejected (decode or validation error; a text
 *                    module must parse, then fail validation)
 *   assert_malformed a binary must fail to decode/validate; a text module
 *                    must be rejected by the WAT parser.
 *   module_definition  as module (Core 3.0 `(module definition ...)`, wast-json)
 *   everything else (module_instance, register, action, assert_return, assert_trap,
 *   assert_exhaustion, assert_unlinkable, assert_uninstantiable): execution commands,
 *   counted apart (neither passed nor skipped: lib/interp runs them, suite-spec3-exec.sh).
 * Output: per file "FILE: P passed, F failed, S skipped, E execution", then
 * "E execution commands" and a last line "N passed, N failed, N skipped" (S: genuine
 * skips only, the --out-of-scope commands). Failures (with line and why) are printed
 * as "FILE:LINE: FAIL: ...". Exit 1 on any failure.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode/component.h"
#include "encode/encode.h"
#include "encode/wat.h"

static int verbose;
static int check_msgs; /* --check-messages: a rejection's message must contain the command's "text" */
/* --out-of-scope=NAME.json:LINE=REASON: commands known to need a feature not
 * implemented here (listed by the suite, each with its reason): skipped. */
static const char *oos[64];
static int noos;
static unsigned features = WK_FEAT_ALL;
static unsigned long np, nf, ns, nexec, nsame, nmods;
static const char *cur;

static void fail(int line, const char *fmt, const char *a, const char *b) {
  printf("%s:%d: FAIL: ", cur, line);
  printf(fmt, a ? a : "", b ? b : "");
  printf("\n");
  nf++;
}

/* `in` without its empty non-custom sections (id 1..12, vector count 0: the text format cannot
 * write one, so where custom sections sit between them, the printed text places those custom
 * sections differently and only this equality can show the re-parsed module is the same).
 * 0 on success, -1 when `in` is not a module binary whose section sizes add up. */
static int drop_empty_sections(const uint8_t *in, size_t len, wk_buf *out) {
  if (len < 8 || memcmp(in, "\0asm", 4)) return -1;
  wk_buf_append(out, in, 8);
  size_t i = 8;
  while (i < len) {
    uint8_t id = in[i++];
    uint64_t sz = 0;
    unsigned sh = 0;
    for (;;) {
      if (i >= len || sh > 63) return -1;
      uint8_t x = in[i++];
      sz |= (uint64_t)(x & 0x7f) << sh;
      sh += 7;
      if (!(x & 0x80)) break;
    }
    size_t start = i;
    if (sz > len - i) return -1;
    i += sz;
    if (id >= 1 && id <= 12 && sz == 1 && in[start] == 0) continue; /* (count 0) */
    wk_buf_byte(out, id);
    wk_buf_uleb(out, sz);
    wk_buf_append(out, in + start, sz);
  }
  return 0;
}

static int read_rel(const char *dir, const char *fn, uint8_t **data, size_t *len, wk_error *err) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, fn);
  return wk_read_file(path, data, len, err);
}

/* Decode + validate. Returns WK_OK or the error code. */
static int check_bin(const uint8_t *d, size_t n, wk_error *err) {
  wk_core_module *m = NULL;
  int rc = wk_core_decode_features(d, n, features, &m, err);
  if (rc == WK_OK) {
    rc = wk_core_validate_features(m, features, err);
    wk_core_free(m);
  }
  return rc;
}

static void run_cmd(const char *dir, const cJSON *c) {
  const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "type"));
  const char *fn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "filename"));
  const char *mt = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "module_type"));
  const cJSON *jl = cJSON_GetObjectItemCaseSensitive(c, "line");
  int line = cJSON_IsNumber(jl) ? jl->valueint : 0;
  if (!type) { fail(line, "command without type%s%s", NULL, NULL); return; }
  /* a Core 3.0 `module definition` is decoded and validated like a module (not instantiated:
   * module_instance is execution) */
  int is_mod = !strcmp(type, "module") || !strcmp(type, "module_definition"), is_inv = !strcmp(type, "assert_invalid"),
      is_mal = !strcmp(type, "assert_malformed");
  for (int k = 0; k < noos; k++) {
    const char *base = strrchr(cur, '/') ? strrchr(cur, '/') + 1 : cur;
    size_t bl = strlen(base);
    char want[32];
    snprintf(want, sizeof want, ":%d=", line);
    if (!strncmp(oos[k], base, bl) && !strncmp(oos[k] + bl, want, strlen(want))) {
      printf("%s:%d: skipped: %s: out of scope: %s\n", cur, line, type, oos[k] + bl + strlen(want));
      ns++;
      return;
    }
  }
  if (!is_mod && !is_inv && !is_mal) {
    if (verbose) printf("%s:%d: execution command: %s\n", cur, line, type);
    nexec++;
    return;
  }
  if (!fn) { fail(line, "%s: no filename%s", type, NULL); return; }
  wk_error err = {0};
  uint8_t *data = NULL;
  size_t len = 0;
  if (read_rel(dir, fn, &data, &len, &err)) { fail(line, "%s: cannot read %s", type, fn); return; }
  int text = mt && !strcmp(mt, "text");
  wk_buf bin = {0};
  int rc;
  if (text) {
    rc = wk_wat_to_binary((const char *)data, len, &bin, &err);
    if (is_mal) {
      if (rc == WK_OK) fail(line, "assert_malformed: the text parser accepted %s%s", fn, NULL);
      else np++;
      goto out;
    }
    if (rc != WK_OK) { fail(line, "%s: the text does not parse: %s", type, err.msg); goto out; }
    rc = check_bin(bin.data, bin.len, &err);
  } else {
    rc = check_bin(data, len, &err);
  }
  if (is_inv || is_mal) {
    const char *want = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "text"));
    if ((rc == WK_ERR_INVALID || rc == WK_ERR_MALFORMED) && check_msgs && want && !strstr(err.msg, want))
      fail(line, "%s: rejected with another message: %s", type, err.msg);
    else if (rc == WK_ERR_INVALID || rc == WK_ERR_MALFORMED) np++;
    else if (rc == WK_OK) fail(line, "%s: module accepted (%s)", type, fn);
    else fail(line, "%s: unexpected error: %s", type, err.msg);
    goto out;
  }
  /* module */
  if (rc != WK_OK) { fail(line, "module: rejected: %s%s", err.msg, NULL); goto out; }
  np++;
  nmods++;
  {
    const uint8_t *orig = text ? bin.data : data;
    size_t olen = text ? bin.len : len;
    wk_buf wat = {0}, back = {0};
    int r1 = wk_coremod_print_module(orig, olen, &wat, &err);
    int r2 = r1 ? r1 : wk_wat_to_binary((const char *)wat.data, wat.len, &back, &err);
    if (r1) fail(line, "roundtrip: print failed: %s%s", err.msg, NULL);
    else if (r2) fail(line, "roundtrip: printed text does not parse: %s%s", err.msg, NULL);
    else if (back.len == olen && !memcmp(back.data, orig, olen)) {
      np++;
      nsame++;
    } else {
      /* Different bytes: fine only for a non-canonical input encoding (a
       * `module binary` with padded LEB128s, explicit memory index 0 ...):
       * the re-parsed module must then print to the same text. */
      wk_buf wat2 = {0};
      int r3 = wk_coremod_print_module(back.data, back.len, &wat2, &err);
      wk_buf dense = {0};
      if (!r3 && wat2.len == wat.len && !memcmp(wat2.data, wat.data, wat.len)) {
        np++;
        if (verbose) printf("%s:%d: roundtrip: same text, different bytes (%zu vs %zu)\n", cur, line, back.len, olen);
      } else if (!r3 && !drop_empty_sections(orig, olen, &dense) && dense.len == back.len &&
                 !memcmp(dense.data, back.data, back.len)) {
        np++; /* (custom sections among empty sections: custom.wast's second module) */
        if (verbose) printf("%s:%d: roundtrip: same bytes once empty sections are dropped\n", cur, line);
      }
      else fail(line, "roundtrip: print+parse gives a different module%s%s", r3 ? ": " : "", r3 ? err.msg : "");
      wk_buf_free(&wat2);
      wk_buf_free(&dense);
    }
    wk_buf_free(&wat);
    wk_buf_free(&back);
  }
out:
  wk_buf_free(&bin);
  free(data);
}

int main(int argc, char **argv) {
  int nfiles = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--verbose")) { verbose = 1; continue; }
    if (!strcmp(a, "--check-messages")) { check_msgs = 1; continue; }
    if (!strncmp(a, "--out-of-scope=", 15)) {
      if (noos < 64) oos[noos++] = a + 15;
      continue;
    }
    if (!strncmp(a, "--features=", 11)) {
      features = 0;
      char buf[256];
      snprintf(buf, sizeof buf, "%s", a + 11);
      for (char *t = strtok(buf, ","); t; t = strtok(NULL, ",")) {
        if (!strcmp(t, "extended-const")) features |= WK_FEAT_EXTENDED_CONST;
        else if (!strcmp(t, "tail-call")) features |= WK_FEAT_TAIL_CALL;
        else if (!strcmp(t, "multi-memory")) features |= WK_FEAT_MULTI_MEMORY;
        else if (!strcmp(t, "memory64")) features |= WK_FEAT_MEMORY64;
        else if (!strcmp(t, "relaxed-simd")) features |= WK_FEAT_RELAXED_SIMD;
        else if (!strcmp(t, "exceptions")) features |= WK_FEAT_EXCEPTIONS;
        else if (!strcmp(t, "legacy-exceptions")) features |= WK_FEAT_LEGACY_EXCEPTIONS;
        else if (!strcmp(t, "function-references")) features |= WK_FEAT_FUNCTION_REFERENCES;
        else if (!strcmp(t, "gc")) features |= WK_FEAT_GC;
        else if (strcmp(t, "none")) { fprintf(stderr, "spec3-check: error: unknown feature %s\n", t); return 2; }
      }
      continue;
    }
    nfiles++;
    unsigned long p0 = np, f0 = nf, s0 = ns, e0 = nexec;
    cur = a;
    uint8_t *js;
    size_t jl;
    wk_error err = {0};
    if (wk_read_file(a, &js, &jl, &err)) { fail(0, "cannot read%s%s", NULL, NULL); continue; }
    cJSON *root = cJSON_ParseWithLength((const char *)js, jl);
    free(js);
    const cJSON *cmds = cJSON_GetObjectItemCaseSensitive(root, "commands");
    if (!cJSON_IsArray(cmds)) { fail(0, "not a wast2json file%s%s", NULL, NULL); cJSON_Delete(root); continue; }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", a);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = 0; else strcpy(dir, ".");
    const cJSON *c;
    cJSON_ArrayForEach(c, cmds) run_cmd(dir, c);
    cJSON_Delete(root);
    printf("%s: %lu passed, %lu failed, %lu skipped, %lu execution\n", a, np - p0, nf - f0, ns - s0, nexec - e0);
  }
  if (!nfiles) { fprintf(stderr, "usage: spec3-check [--verbose] [--features=LIST] FILE.json...\n"); return 2; }
  printf("roundtrip: %lu of %lu valid modules byte-identical after print+parse (the rest: same text)\n", nsame, nmods);
  printf("%lu execution commands\n", nexec);
  printf("%lu passed, %lu failed, %lu skipped\n", np, nf, ns);
  return nf ? 1 : 0;
}
