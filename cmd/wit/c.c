/* wit-gen c: C guest bindings for a world (lib/bindgen); this file only parses options and writes files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bindgen/bindgen.h"
#include "../common/tool.h"
#include "witgen.h"

static void usage(FILE *o) {
  fprintf(o,
          "usage: wit-gen c PATH [--world W] [--out-dir D] [--no-sig-flattening]\n"
          "                 [--autodrop-borrows yes|no] [--async FILTER,...] [--rename K=V]\n"
          "                 [--string-encoding utf8|utf16|compact-utf16]\n"
          "                 [--type-section-suffix S] [--rename-world NAME] [--check]\n"
          "                 [--features A,B] [--all-features] [--time]\n"
          "Generate C guest bindings for a WIT world: <world>.h, <world>.c and\n"
          "<world>_component_type.o (compatible with wit-bindgen's C generator).\n"
          "  --async FILTERS     all, -all, or [-][import:|export:]IFACE#FUNC (first match wins;\n"
          "                      otherwise only `async func`s are async)\n"
          "  --rename K=V        name interface K (world key, e.g. ns:pkg/iface) V in C identifiers\n"
          "  --check             generate in memory only; exit 0 if generation succeeds\n"
          "  --features A,B      enable @unstable(feature = A) items (repeatable)\n"
          "  --all-features      enable every @unstable feature\n");
}

static int write_out(const char *dir, const char *stem, const char *suffix, const wk_buf *b) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s%s", dir, stem, suffix);
  return tool_write(WITGEN, path, b) ? -1 : 0;
}

/* Appends `v` to a growing array of strings; -1 when out of memory. */
static int push(const char ***v, size_t *n, const char *s) {
  const char **nv = wk_reallocarray(*v, *n + 1, sizeof *nv);
  if (!nv) return -1;
  nv[(*n)++] = s;
  *v = nv;
  return 0;
}

int witgen_cmd_c(int argc, char **argv) {
  const char *world_name = NULL, *out_dir = ".";
  const char **async = NULL, **ren_from = NULL, **ren_to = NULL;
  size_t n_async = 0, n_ren = 0, n_to = 0;
  wk_bindgen_c_opts o;
  memset(&o, 0, sizeof o);
  witgen_input in;
  memset(&in, 0, sizeof in);
  int check = 0, rc = 2;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = NULL;
#define OPT(name) ((!strcmp(a, name) && i + 1 < argc && (v = argv[++i])) || \
                   (!strncmp(a, name "=", sizeof(name)) && (v = a + sizeof(name))))
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(stdout); rc = 0; goto out; }
    else if (OPT("--world") || OPT("-w")) world_name = v;
    else if (OPT("--out-dir") || OPT("-o")) out_dir = v;
    else if (!strcmp(a, "--no-sig-flattening")) o.no_sig_flattening = 1;
    else if (OPT("--autodrop-borrows")) {
      if (!strcmp(v, "yes")) o.autodrop_borrows = 1;
      else if (!strcmp(v, "no")) o.autodrop_borrows = 0;
      else { fprintf(stderr, "wit-gen: error: --autodrop-borrows takes yes or no\n"); goto out; }
    } else if (OPT("--async")) {
      if (push(&async, &n_async, v)) { rc = 1; goto out; }
    } else if (OPT("--rename")) {
      const char *eq = strchr(v, '=');
      if (!eq) { fprintf(stderr, "wit-gen: error: `--rename` option must have an `=` in it (e.g. `--rename a=b`)\n"); goto out; }
      char *from = strndup(v, (size_t)(eq - v));
      if (!from || push(&ren_from, &n_ren, from)) { free(from); rc = 1; goto out; }
      if (push(&ren_to, &n_to, eq + 1)) { rc = 1; goto out; }
    } else if (OPT("--string-encoding")) {
      if (!strcmp(v, "utf8")) o.string_encoding = WK_BINDGEN_UTF8;
      else if (!strcmp(v, "utf16")) o.string_encoding = WK_BINDGEN_UTF16;
      else if (!strcmp(v, "compact-utf16")) o.string_encoding = WK_BINDGEN_COMPACT_UTF16;
      else { fprintf(stderr, "wit-gen: error: unknown string encoding `%s`\n", v); goto out; }
    } else if (OPT("--type-section-suffix")) o.type_section_suffix = v;
    else if (OPT("--rename-world")) o.world_name = v;
    else if (!strcmp(a, "--check")) check = 1;
    else {
      int c = witgen_common_opt(&in, argc, argv, &i);
      if (c < 0) goto out;
      if (c == 0) { fprintf(stderr, "wit-gen: error: unknown option `%s`\n", a); usage(stderr); goto out; }
      if (in.output) { fprintf(stderr, "wit-gen: error: `wit-gen c` writes into --out-dir, not --output\n"); goto out; }
    }
#undef OPT
  }
  if (!in.path) { usage(stderr); goto out; }
  rc = 1;
  if (o.string_encoding == WK_BINDGEN_COMPACT_UTF16) {
    fprintf(stderr, "wit-gen: error: the C generator does not support compact-utf16 (as wit-bindgen)\n");
    goto out;
  }
  o.async = async;
  o.n_async = n_async;
  o.rename_from = ren_from;
  o.rename_to = ren_to;
  o.n_rename = n_ren;
  wit_id pkg, world;
  wit_resolve *r = witgen_load(&in, &pkg);
  if (!r) goto out;
  wk_error e;
  wk_bindgen_c_out gen = {0};
  if (wit_resolve_select_world(r, pkg, world_name, &world, &e)) {
    fprintf(stderr, "wit-gen: error: %s: %s\n", in.path, e.msg);
  } else {
    int grc = wk_bindgen_c(r, world, &o, &gen, &e);
    for (size_t k = 0; k < gen.warnings.len;) { /* one "wit-gen: warning: ..." line per warning */
      const char *line = (const char *)gen.warnings.data + k, *nl = memchr(line, '\n', gen.warnings.len - k);
      size_t n = nl ? (size_t)(nl - line) : gen.warnings.len - k;
      fprintf(stderr, "%s: warning: %.*s\n", WITGEN, (int)n, line);
      k += n + 1;
    }
    if (grc) wk_error_print(stderr, WITGEN, in.path, &e);
    else if (check) rc = 0;
    else {
      mkdir(out_dir, 0777);
      rc = write_out(out_dir, gen.stem, ".h", &gen.header) || write_out(out_dir, gen.stem, ".c", &gen.source) ||
                   write_out(out_dir, gen.stem, "_component_type.o", &gen.object)
               ? 1
               : 0;
    }
  }
  wk_bindgen_c_free(&gen);
  wit_resolve_free(r);
out:
  for (size_t i = 0; i < n_ren; i++) free((char *)ren_from[i]);
  free(ren_from);
  free(ren_to);
  free(async);
  for (int i = 0; i < in.n_features; i++) free((char *)in.features[i]);
  return rc;
}
