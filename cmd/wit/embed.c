/* wit-gen embed: append a world's `component-type:<world>` custom section to a core module (lib/bindgen
 * wk_bindgen_embed), like `wasm-tools component embed`. This file only parses options and writes the file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bindgen/bindgen.h"
#include "witgen.h"

static void usage(FILE *o) {
  fprintf(o,
          "usage: wit-gen embed WIT-PATH [--world W] CORE.wasm -o OUT.wasm\n"
          "                     [--string-encoding utf8|utf16|compact-utf16]\n"
          "                     [--features A,B] [--all-features] [--time]\n"
          "Append a `component-type:<world>` custom section describing the world to a core module.\n");
}

int witgen_cmd_embed(int argc, char **argv) {
  const char *core = NULL, *world_name = NULL;
  int enc = WK_BINDGEN_UTF8;
  witgen_input in;
  memset(&in, 0, sizeof in);
  int rc = 2;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(stdout); rc = 0; goto out; }
    if ((!strcmp(a, "--world") || !strcmp(a, "-w")) && i + 1 < argc) world_name = argv[++i];
    else if (!strncmp(a, "--world=", 8)) world_name = a + 8;
    else if (!strcmp(a, "--string-encoding") && i + 1 < argc) {
      const char *v = argv[++i];
      if (!strcmp(v, "utf8")) enc = WK_BINDGEN_UTF8;
      else if (!strcmp(v, "utf16")) enc = WK_BINDGEN_UTF16;
      else if (!strcmp(v, "compact-utf16")) enc = WK_BINDGEN_COMPACT_UTF16;
      else { fprintf(stderr, "wit-gen: error: unknown string encoding `%s`\n", v); goto out; }
    } else if (in.path && !core && (a[0] != '-' || !a[1])) core = a;
    else {
      int c = witgen_common_opt(&in, argc, argv, &i);
      if (c < 0) goto out;
      if (c == 0) { fprintf(stderr, "wit-gen: error: unknown option `%s`\n", a); goto out; }
    }
  }
  if (!in.path || !core || !in.output) { usage(stderr); goto out; }
  rc = 1;
  wit_id pkg, world;
  wit_resolve *r = witgen_load(&in, &pkg);
  if (!r) goto out;
  uint8_t *data = NULL;
  size_t len = 0;
  wk_buf res = {0};
  wk_error e;
  if (wit_resolve_select_world(r, pkg, world_name, &world, &e)) fprintf(stderr, "wit-gen: error: %s: %s\n", in.path, e.msg);
  else if (wk_read_file(core, &data, &len, &e)) wk_error_print(stderr, WITGEN, core, &e);
  else if (wk_bindgen_embed(r, world, enc, data, len, &res, &e))
    wk_error_print(stderr, WITGEN, e.code == WK_ERR_MALFORMED ? core : in.path, &e);
  else rc = witgen_write(&in, &res);
  free(data);
  wk_buf_free(&res);
  wit_resolve_free(r);
out:
  for (int i = 0; i < in.n_features; i++) free((char *)in.features[i]);
  return rc;
}
