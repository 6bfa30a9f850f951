/* wit-gen: option parsing and I/O shared by the subcommands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "../common/tool.h"
#include "witgen.h"

static int add_features(witgen_input *in, const char *list) {
  const char *p = list;
  while (*p) {
    const char *e = strchr(p, ',');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (n) {
      if (in->n_features >= 64) {
        fprintf(stderr, "%s: error: too many features\n", WITGEN);
        return -1;
      }
      char *s = strndup(p, n);
      if (!s) return -1;
      in->features[in->n_features++] = s;
    }
    p += n;
    if (*p == ',') p++;
  }
  return 1;
}

void witgen_usage_options(FILE *out) {
  fprintf(out,
          "  -o, --output FILE      write to FILE (atomically) instead of stdout\n"
          "      --features A,B     enable @unstable(feature = A) items (repeatable)\n"
          "      --all-features     enable every @unstable feature\n"
          "      --time             print the parse+resolve time to stderr\n"
          "  -h, --help             show this help\n");
}

int witgen_common_opt(witgen_input *in, int argc, char **argv, int *i) {
  const char *a = argv[*i];
  if (!strcmp(a, "--time")) {
    in->time = 1;
    return 1;
  }
  if (!strcmp(a, "--all-features")) {
    in->all_features = 1;
    return 1;
  }
  if (!strncmp(a, "--features=", 11)) return add_features(in, a + 11);
  if (!strcmp(a, "--features")) {
    if (*i + 1 >= argc) {
      fprintf(stderr, "%s: error: --features needs a value\n", WITGEN);
      return -1;
    }
    return add_features(in, argv[++*i]);
  }
  if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
    if (*i + 1 >= argc) {
      fprintf(stderr, "%s: error: %s needs a value\n", WITGEN, a);
      return -1;
    }
    in->output = argv[++*i];
    return 1;
  }
  if (!strncmp(a, "--output=", 9)) {
    in->output = a + 9;
    return 1;
  }
  if (a[0] == '-' && a[1]) return 0;
  if (in->path) {
    fprintf(stderr, "%s: error: more than one input path\n", WITGEN);
    return -1;
  }
  in->path = a;
  return 1;
}

wit_resolve *witgen_load(witgen_input *in, wit_id *main_pkg) {
  wit_resolve *r = wit_resolve_new();
  int feat_rc = WK_OK;
  if (r) {
    wit_resolve_set_all_features(r, in->all_features);
    for (int i = 0; i < in->n_features; i++)
      if (wit_resolve_enable_feature(r, in->features[i]) != WK_OK) feat_rc = WK_ERR_NOMEM;
  }
  for (int i = 0; i < in->n_features; i++) free((char *)in->features[i]);
  in->n_features = 0;
  if (!r || feat_rc != WK_OK) {
    fprintf(stderr, "%s: error: out of memory\n", WITGEN);
    wit_resolve_free(r);
    return NULL;
  }
  wit_diag d;
  struct timespec t0, t1, c0, c1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
  int rc = wit_resolve_push_path(r, in->path, main_pkg, &d);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (in->time)
    fprintf(stderr, "%s: parse+resolve %s: %.3f ms cpu, %.3f ms wall (%u packages, %u interfaces, %u types)\n",
            WITGEN, in->path, (double)(c1.tv_sec - c0.tv_sec) * 1e3 + (double)(c1.tv_nsec - c0.tv_nsec) / 1e6,
            (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6, r->n_packages,
            r->n_interfaces, r->n_types);
  if (rc != WK_OK) {
    /* "wit-gen: error: FILE:LINE:COL: message", then wit-parser's source excerpt:
     *      --> FILE:LINE:COL / source line / caret under the offending text */
    wk_buf b = {0};
    wit_diag_render(r, &d, &b);
    wk_buf_byte(&b, 0);
    const char *excerpt = b.data ? strstr((char *)b.data, "\n     --> ") : NULL;
    if (d.file[0] && d.err.line)
      fprintf(stderr, "%s: error: %s:%u:%u: %s%s\n", WITGEN, d.file, d.err.line, d.err.col, d.err.msg,
              excerpt ? excerpt : "");
    else
      fprintf(stderr, "%s: error: %s\n", WITGEN, d.err.msg);
    wk_buf_free(&b);
    wit_resolve_free(r);
    return NULL;
  }
  return r;
}

int witgen_write(const witgen_input *in, wk_buf *b) { return tool_write(WITGEN, in->output, b); }

int witgen_run_printer(int argc, char **argv, const char *sub, void (*usage)(FILE *), witgen_emit_fn emit,
                       witgen_emit_fn emit_binary) {
  int binary = 0;
  witgen_input in;
  memset(&in, 0, sizeof in);
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
      usage(stdout);
      return 0;
    }
    if (emit_binary && !strcmp(argv[i], "--wasm")) {
      emit = emit_binary;
      binary = 1;
      continue;
    }
    int rc = witgen_common_opt(&in, argc, argv, &i);
    if (rc < 0) return 2;
    if (rc == 0) {
      fprintf(stderr, "%s: error: unknown option `%s` (see `wit-gen %s --help`)\n", WITGEN, argv[i], sub);
      return 2;
    }
  }
  if (!in.path) {
    usage(stderr);
    return 2;
  }
  wit_id main_pkg;
  wit_resolve *r = witgen_load(&in, &main_pkg);
  if (!r) return 1;
  wk_buf b = {0};
  wk_error e;
  int rc;
  if (emit(r, main_pkg, &b, &e) != WK_OK) {
    wk_error_print(stderr, WITGEN, in.path, &e);
    rc = 1;
  } else if (binary && (!in.output || !strcmp(in.output, "-")) && isatty(STDOUT_FILENO)) {
    fprintf(stderr, "%s: error: refusing to write binary wasm to a terminal: pass -o FILE or redirect stdout\n",
            WITGEN);
    rc = 1;
  } else {
    rc = witgen_write(&in, &b);
  }
  wk_buf_free(&b);
  wit_resolve_free(r);
  return rc;
}
