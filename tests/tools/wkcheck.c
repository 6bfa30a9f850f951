/*
 * wkcheck — check core modules with lib/encode.
 *
 *   wkcheck [--roundtrip] [--validate] FILE.wasm...
 *       decode each file; --validate: also validate (Core spec 3);
 *       --roundtrip: encode the decoded model and require the exact input bytes.
 *   wkcheck --spec FILE.json...
 *       run the module commands of wast2json command lists (Core spec test
 *       suite): `module` (and assert_unlinkable / assert_uninstantiable,
 *       which are valid modules) must decode, validate and round-trip;
 *       binary assert_invalid must decode and fail validation; binary
 *       assert_malformed must fail decoding; text assert_malformed is the
 *       text parser's business and is reported as skipped. Prints per-kind
 *       counts and `N passed, N failed`.
 *   wkcheck --dump FILE.wasm...
 *       print every instruction of every body (offset, text name).
 *   wkcheck --mutate N FILE.wasm...
 *       every truncation + N random one-byte mutations of each file must
 *       decode or fail cleanly, and what decodes must re-encode exactly.
 *
 * Exit 0 when everything passed, 1 when something failed, 2 on usage errors.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/base.h"
#include "encode/encode.h"

static const char *tool = "wkcheck";

/* Decode (+ validate, + round trip). Returns WK_OK or the error code, with a
 * round-trip mismatch reported as WK_ERR_VERIFY. */
static int check_bytes(const uint8_t *data, size_t len, int validate, int roundtrip, int *stage,
                       wk_error *err) {
  wk_core_module *m = NULL;
  *stage = 0;
  int rc = wk_core_decode(data, len, &m, err);
  if (rc) return rc;
  *stage = 1;
  if (validate && (rc = wk_core_validate(m, err))) goto out;
  *stage = 2;
  if (roundtrip) {
    wk_buf b = {0};
    if ((rc = wk_core_encode(m, &b, err)) == WK_OK) {
      if (b.len != len || memcmp(b.data, data, len)) {
        size_t i = 0;
        while (i < len && i < b.len && b.data[i] == data[i]) i++;
        rc = wk_error_at(err, WK_ERR_VERIFY, i, "round trip differs (input %zu bytes, output %zu bytes)", len,
                         b.len);
      }
    }
    wk_buf_free(&b);
  }
out:
  wk_core_free(m);
  return rc;
}

enum { K_MODULE, K_OTHER_VALID, K_INVALID, K_MALFORMED, K_MALFORMED_TEXT, K_COUNT };
static const char *kind_names[K_COUNT] = {"module (decode+validate+round trip)",
                                          "assert_unlinkable/uninstantiable modules (decode+validate+round trip)",
                                          "assert_invalid (decode ok, validation fails)",
                                          "assert_malformed binary (decoding fails)",
                                          "assert_malformed text (skipped: text-format parser's business)"};

static int run_spec(int nfiles, char **files, int verbose) {
  long pass[K_COUNT] = {0}, fail[K_COUNT] = {0};
  long other_fail = 0;
  for (int f = 0; f < nfiles; f++) {
    uint8_t *js;
    size_t jl;
    wk_error err;
    wk_error_clear(&err);
    if (wk_read_file(files[f], &js, &jl, &err)) {
      wk_error_print(stderr, tool, files[f], &err);
      other_fail++;
      continue;
    }
    cJSON *root = cJSON_ParseWithLength((const char *)js, jl);
    free(js);
    cJSON *cmds = root ? cJSON_GetObjectItemCaseSensitive(root, "commands") : NULL;
    if (!cJSON_IsArray(cmds)) {
      fprintf(stderr, "%s: error: %s: not a wast2json command list\n", tool, files[f]);
      other_fail++;
      cJSON_Delete(root);
      continue;
    }
    /* module files are relative to the JSON file's directory */
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", files[f]);
    char *slash = strrchr(dir, '/');
    if (slash) slash[1] = 0;
    else dir[0] = 0;
    cJSON *c;
    cJSON_ArrayForEach(c, cmds) {
      const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "type"));
      const char *fn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "filename"));
      const char *mt = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "module_type"));
      cJSON *line = cJSON_GetObjectItemCaseSensitive(c, "line");
      if (!type || !fn) continue;
      int kind;
      if (!strcmp(type, "module")) kind = K_MODULE;
      else if (!strcmp(type, "assert_unlinkable") || !strcmp(type, "assert_uninstantiable")) kind = K_OTHER_VALID;
      else if (!strcmp(type, "assert_invalid")) kind = K_INVALID;
      else if (!strcmp(type, "assert_malformed")) kind = (mt && strcmp(mt, "binary")) ? K_MALFORMED_TEXT : K_MALFORMED;
      else continue;
      if (kind == K_MALFORMED_TEXT) {
        pass[kind]++; /* reported separately as skipped, not counted as passed below */
        continue;
      }
      if (kind != K_MODULE && mt && strcmp(mt, "binary")) {
        /* a text module in assert_invalid etc.: wast2json normally emits binary */
        fprintf(stderr, "%s: %s:%d: %s with module_type %s not run\n", tool, files[f],
                line ? line->valueint : 0, type, mt);
        fail[kind]++;
        continue;
      }
      char path[8192];
      snprintf(path, sizeof path, "%s%s", dir, fn);
      uint8_t *data;
      size_t len;
      wk_error_clear(&err);
      if (wk_read_file(path, &data, &len, &err)) {
        wk_error_print(stderr, tool, path, &err);
        fail[kind]++;
        continue;
      }
      int stage;
      wk_error_clear(&err);
      int rc = check_bytes(data, len, 1, kind == K_MODULE || kind == K_OTHER_VALID, &stage, &err);
      free(data);
      int ok;
      const char *expect;
      switch (kind) {
      case K_MODULE: case K_OTHER_VALID: ok = rc == WK_OK; expect = "valid"; break;
      case K_INVALID: ok = rc == WK_ERR_INVALID && stage == 1; expect = "invalid"; break;
      default: ok = rc == WK_ERR_MALFORMED && stage == 0; expect = "malformed"; break;
      }
      if (ok) {
        pass[kind]++;
        if (verbose) {
          const char *text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "text"));
          printf("ok %s:%d %s expected \"%s\" got \"%s\"\n", files[f], line ? line->valueint : 0, type,
                 text ? text : "", rc ? err.msg : "");
        }
      } else {
        fail[kind]++;
        const char *text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "text"));
        fprintf(stderr, "FAIL %s:%d %s (%s) expected %s%s%s, got: %s\n", files[f], line ? line->valueint : 0,
                type, fn, expect, text ? " \"" : "", text ? text : "", rc ? "" : "accepted");
        if (rc) wk_error_print(stderr, tool, path, &err);
        if (text) fputs("\"\n", stderr);
      }
    }
    cJSON_Delete(root);
  }
  long tp = 0, tf = other_fail;
  for (int k = 0; k < K_COUNT; k++) {
    if (k == K_MALFORMED_TEXT) {
      printf("%-72s %ld skipped\n", kind_names[k], pass[k]);
      continue;
    }
    printf("%-72s %ld/%ld\n", kind_names[k], pass[k], pass[k] + fail[k]);
    tp += pass[k];
    tf += fail[k];
  }
  printf("%ld passed, %ld failed\n", tp, tf);
  return tf ? 1 : 0;
}

/* --dump: one line per instruction of every function body (text names, as
 * wasm-objdump -d prints them), for comparing the reader against wabt. */
static int dump_ops(const char *path) {
  uint8_t *data;
  size_t len;
  wk_error err;
  wk_error_clear(&err);
  if (wk_read_file(path, &data, &len, &err)) {
    wk_error_print(stderr, tool, path, &err);
    return 1;
  }
  wk_core_module *m;
  int rc = wk_core_decode(data, len, &m, &err);
  if (rc == WK_OK) {
    for (uint32_t f = 0; f < m->ncodes && !rc; f++) {
      const wk_core_code *c = &m->codes[f];
      size_t pos = 0;
      wk_insn in;
      printf("func %u\n", m->nimported_funcs + f);
      while (pos < c->body_len) {
        size_t at = pos;
        if ((rc = wk_insn_read(c->body, c->body_len, &pos, &in, &err))) break;
        printf("%06zx %s\n", c->body_offset + at, wk_op_name(in.op));
      }
    }
    wk_core_free(m);
  }
  if (rc) wk_error_print(stderr, tool, path, &err);
  free(data);
  return rc ? 1 : 0;
}

/* --mutate N: robustness + round-trip property on damaged inputs. For every
 * prefix of the file and N single-byte mutations (deterministic xorshift
 * PRNG): decoding must fail cleanly or succeed; whatever decodes must
 * validate or fail cleanly, and re-encode to exactly the damaged bytes (the
 * round trip holds for every decodable input, valid or not). Returns the
 * number of property violations. Crashes are for ASan/UBSan to catch. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

static long mutate_one(const char *path, const uint8_t *buf, size_t len, long *ndecoded) {
  wk_core_module *m;
  wk_error err;
  wk_error_clear(&err);
  if (wk_core_decode(buf, len, &m, &err) != WK_OK) {
    if (err.code != WK_ERR_MALFORMED || !err.has_offset || err.offset > len) {
      fprintf(stderr, "%s: %zu bytes: bad decode error (code %d, offset %llu): %s\n", path, len, err.code,
              (unsigned long long)err.offset, err.msg);
      return 1;
    }
    return 0;
  }
  (*ndecoded)++;
  long bad = 0;
  int vrc = wk_core_validate(m, &err);
  if (vrc != WK_OK && vrc != WK_ERR_INVALID) {
    fprintf(stderr, "%s: %zu bytes: validate returned %d: %s\n", path, len, vrc, err.msg);
    bad++;
  }
  wk_buf b = {0};
  if (wk_core_encode(m, &b, &err) != WK_OK || b.len != len || memcmp(b.data, buf, len)) {
    fprintf(stderr, "%s: %zu bytes: decodable input does not round-trip\n", path, len);
    bad++;
  }
  wk_buf_free(&b);
  wk_core_free(m);
  return bad;
}

static int run_mutate(long n, int nfiles, char **files) {
  long bad = 0, cases = 0, decoded = 0, badfiles = 0;
  for (int f = 0; f < nfiles; f++) {
    long bad0 = bad;
    uint8_t *data;
    size_t len;
    wk_error err;
    if (wk_read_file(files[f], &data, &len, &err)) {
      wk_error_print(stderr, tool, files[f], &err);
      bad++;
      continue;
    }
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy) { free(data); return 1; }
    /* every prefix of small files; 4096 spread-out prefixes of big ones */
    size_t step = len > 65536 ? len / 4096 : 1;
    for (size_t k = 0; k < len; k += step, cases++) {
      /* an exact-size heap copy so ASan sees reads past a truncation */
      uint8_t *t = malloc(k ? k : 1);
      if (!t) break;
      memcpy(t, data, k);
      bad += mutate_one(files[f], t, k, &decoded);
      free(t);
    }
    for (long i = 0; i < n && len > 8; i++, cases++) {
      memcpy(copy, data, len);
      uint64_t r = rng();
      size_t at = 8 + (size_t)(r % (len - 8));
      static const uint8_t interesting[] = {0x00, 0x01, 0x0b, 0x7f, 0x80, 0xff, 0x40, 0x60, 0x70, 0x6f, 0xfc, 0xfd};
      copy[at] = (r >> 32) & 1 ? interesting[(r >> 40) % sizeof interesting] : (uint8_t)(r >> 48);
      bad += mutate_one(files[f], copy, len, &decoded);
    }
    free(copy);
    free(data);
    if (bad != bad0) badfiles++;
  }
  printf("%d files, %ld damaged inputs (%ld still decodable), %ld property violations in %ld files\n", nfiles,
         cases, decoded, bad, badfiles);
  return bad ? 1 : 0;
}

static void usage(FILE *o) {
  fprintf(o, "usage: wkcheck [--roundtrip] [--validate] FILE.wasm...\n"
             "       wkcheck --spec [--verbose] FILE.json...\n"
             "       wkcheck --dump FILE.wasm...\n"
             "       wkcheck --mutate N FILE.wasm...\n");
}

int main(int argc, char **argv) {
  int validate = 0, roundtrip = 0, spec = 0, verbose = 0, dump = 0, i;
  long mutate = -1;
  for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    if (!strcmp(argv[i], "--validate")) validate = 1;
    else if (!strcmp(argv[i], "--roundtrip")) roundtrip = 1;
    else if (!strcmp(argv[i], "--spec")) spec = 1;
    else if (!strcmp(argv[i], "--verbose")) verbose = 1;
    else if (!strcmp(argv[i], "--dump")) dump = 1;
    else if (!strcmp(argv[i], "--mutate") && i + 1 < argc) mutate = atol(argv[++i]);
    else if (!strcmp(argv[i], "--help")) { usage(stdout); return 0; }
    else if (!strcmp(argv[i], "--")) { i++; break; }
    else { usage(stderr); return 2; }
  }
  if (i >= argc) { usage(stderr); return 2; }
  if (spec) return run_spec(argc - i, argv + i, verbose);
  if (mutate >= 0) return run_mutate(mutate, argc - i, argv + i);
  if (dump) {
    int st = 0;
    for (; i < argc; i++) st |= dump_ops(argv[i]);
    return st;
  }
  int status = 0;
  for (; i < argc; i++) {
    uint8_t *data;
    size_t len;
    wk_error err;
    wk_error_clear(&err);
    if (wk_read_file(argv[i], &data, &len, &err)) {
      wk_error_print(stderr, tool, argv[i], &err);
      status = 1;
      continue;
    }
    int stage;
    if (check_bytes(data, len, validate, roundtrip, &stage, &err)) {
      wk_error_print(stderr, tool, argv[i], &err);
      status = 1;
    }
    free(data);
  }
  return status;
}
