/* wcompose opt: optimize the core modules of a component (or a core module) with binaryen
 * (lib/compose/opt.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "compose.h"
#include "compose/opt.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: wcompose opt IN.wasm -o OUT.wasm [-O|-O0..-O4|-Os|-Oz] [--dce] [--pass NAME]...\n"
          "Optimize every core module of a component (nested components included), or a core module,\n"
          "with binaryen, keeping the component's structure, exports, names and custom sections.\n"
          "\n"
          "  -o, --output FILE   write the result to FILE (\"-\" = stdout)\n"
          "  -O                  binaryen's default optimization (same as -Os; the default)\n"
          "  -O0 .. -O4          optimize level (speed)\n"
          "  -Os, -Oz            optimize for size (-Oz: more aggressively)\n"
          "      --dce           dead code across modules: first drop each core module's exports that nothing\n"
          "                      in the component uses (no alias, no other module's import), then optimize\n"
          "      --pass NAME     run binaryen pass NAME after the level's pipeline (repeatable, in order);\n"
          "                      with --pass and no -O flag only the named passes run\n"
          "      --stats         print each module's size before and after to stderr\n"
          "  -h, --help          show this help\n");
}

static void print_report(const wk_opt_report *r, int stats) {
  size_t before = 0, after = 0;
  for (uint32_t i = 0; i < r->n; i++) {
    const wk_opt_entry *e = &r->e[i];
    before += e->before;
    after += e->after;
    if (stats && e->dropped)
      fprintf(stderr, "wcompose: %s: %zu -> %zu bytes (%u unused exports dropped)\n", e->where, e->before, e->after,
              e->dropped);
    else if (stats)
      fprintf(stderr, "wcompose: %s: %zu -> %zu bytes%s\n", e->where, e->before, e->after,
              e->optimized ? "" : " (left as it was)");
    if (e->note[0])
      fprintf(stderr, "wcompose: note: %s: %s%s\n", e->where, e->optimized ? "" : "left as it was: ", e->note);
  }
  if (stats) fprintf(stderr, "wcompose: total: %zu -> %zu bytes in %u core modules\n", before, after, r->n);
}

int wcompose_opt_level_ok(const char *level) {
  wk_opt_options o = {0};
  return wk_opt_parse_level(level, &o) == WK_OK;
}

int wcompose_optimize_buf(wk_buf *buf, const char *level, const char *file) {
  wk_opt_options o = {.tool = "wcompose", .version = WK_VERSION};
  if (wk_opt_parse_level(level, &o)) {
    fprintf(stderr, "wcompose: error: bad optimize level `%s` (0-4, s, z)\n", level);
    return 2;
  }
  wk_buf out = {0};
  wk_opt_report rep = {0};
  wk_error err;
  if (wk_opt_run(buf->data, buf->len, &o, &out, &rep, &err)) {
    wk_error_print(stderr, "wcompose", file, &err);
    wk_buf_free(&out);
    return 1;
  }
  print_report(&rep, 0);
  wk_opt_report_free(&rep);
  wk_buf_free(buf);
  *buf = out;
  return 0;
}

int wcompose_opt(int argc, char **argv) {
  const char *in = NULL, *outp = NULL;
  wk_opt_options o = {.tool = "wcompose", .version = WK_VERSION};
  int have_level = 0, stats = 0;
  const char **passes = calloc((size_t)argc + 1, sizeof *passes);
  if (!passes) { fprintf(stderr, "wcompose: error: out of memory\n"); return 1; }
  int status = 2;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(stdout); status = 0; goto out; }
    if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
      if (++i >= argc) { fprintf(stderr, "wcompose: error: %s needs a file\n", a); goto out; }
      outp = argv[i];
    } else if (!strncmp(a, "-O", 2)) {
      if (wk_opt_parse_level(a, &o)) { fprintf(stderr, "wcompose: error: unknown option `%s` (-O, -O0..-O4, -Os, -Oz)\n", a); goto out; }
      have_level = 1;
    } else if (!strcmp(a, "--pass") || !strncmp(a, "--pass=", 7)) {
      const char *v = a[6] == '=' ? a + 7 : (++i < argc ? argv[i] : NULL);
      if (!v || !v[0]) { fprintf(stderr, "wcompose: error: --pass needs a pass name\n"); goto out; }
      passes[o.npasses++] = v;
    } else if (!strcmp(a, "--stats")) {
      stats = 1;
    } else if (!strcmp(a, "--dce")) {
      o.dce = 1;
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "wcompose: error: unknown option `%s` (see wcompose opt --help)\n", a);
      goto out;
    } else if (!in) in = a;
    else { fprintf(stderr, "wcompose: error: more than one input (`%s`)\n", a); goto out; }
  }
  if (!in || !outp) {
    fprintf(stderr, "wcompose: error: %s\n", !in ? "no input" : "no output file (-o)");
    usage(stderr);
    goto out;
  }
  if (!have_level) {
    if (o.npasses) o.pipeline = 0;
    else wk_opt_parse_level("-O", &o);
  }
  o.passes = passes;
  wk_error err;
  if (wk_opt_check_passes(&o, &err)) {
    wk_error_print(stderr, "wcompose", NULL, &err);
    status = err.code == WK_ERR_USAGE ? 2 : 1;
    goto out;
  }
  status = 1;
  uint8_t *data = NULL;
  size_t len = 0;
  wk_buf res = {0};
  wk_opt_report rep = {0};
  if (wk_read_file(in, &data, &len, &err)) { wk_error_print(stderr, "wcompose", in, &err); goto out; }
  if (wk_opt_run(data, len, &o, &res, &rep, &err)) wk_error_print(stderr, "wcompose", in, &err);
  else {
    print_report(&rep, stats);
    if (wk_write_file_atomic(outp, res.data, res.len, &err)) wk_error_print(stderr, "wcompose", outp, &err);
    else status = 0;
  }
  wk_opt_report_free(&rep);
  wk_buf_free(&res);
  free(data);
out:
  free(passes);
  return status;
}
