/*
 * wit-gen embed: append the `component-type:<world>` custom section (the world
 * encoded as wit-component does, see lib/witparse/witencode.h) to a core wasm module, like
 * `wasm-tools component embed`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgen.h"

static void usage_embed(FILE *o) {
  fprintf(o,
          "usage: wit-gen embed WIT-PATH [--world W] CORE.wasm -o OUT.wasm\n"
          "                     [--string-encoding utf8|utf16|compact-utf16]\n"
          "Append a `component-type:<world>` custom section describing the world to a core module.\n");
}

int wit_gen_embed_main(int argc, char **argv) {
  const char *wit = NULL, *core = NULL, *out = NULL, *world_name = NULL;
  int enc = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage_embed(stdout); return 0; }
    if ((!strcmp(a, "--world") || !strcmp(a, "-w")) && i + 1 < argc) world_name = argv[++i];
    else if (!strncmp(a, "--world=", 8)) world_name = a + 8;
    else if (!strcmp(a, "-o") && i + 1 < argc) out = argv[++i];
    else if (!strcmp(a, "--string-encoding") && i + 1 < argc) {
      const char *v = argv[++i];
      if (!strcmp(v, "utf8")) enc = 0;
      else if (!strcmp(v, "utf16")) enc = 1;
      else if (!strcmp(v, "compact-utf16")) enc = 2;
      else { fprintf(stderr, "wit-gen: error: unknown string encoding `%s`\n", v); return 2; }
    } else if (a[0] == '-' && a[1]) { fprintf(stderr, "wit-gen: error: unknown option `%s`\n", a); return 2; }
    else if (!wit) wit = a;
    else if (!core) core = a;
    else { fprintf(stderr, "wit-gen: error: unexpected argument `%s`\n", a); return 2; }
  }
  if (!wit || !core || !out) { usage_embed(stderr); return 2; }
  wit_resolve *r = wit_resolve_new();
  if (!r) return 1;
  wit_diag diag;
  memset(&diag, 0, sizeof diag);
  wit_id pkg = WIT_NONE;
  int rc = 1;
  uint8_t *data = NULL;
  size_t len = 0;
  wk_buf ct = {0}, res = {0};
  wk_error err;
  wk_error_clear(&err);
  if (wit_resolve_push_path(r, wit, &pkg, &diag)) {
    wk_buf b = {0};
    wit_diag_render(r, &diag, &b);
    fprintf(stderr, "wit-gen: error: %.*s\n", (int)b.len, b.data ? (char *)b.data : "");
    wk_buf_free(&b);
    goto done;
  }
  wit_id world = WIT_NONE;
  for (uint32_t i = 0; i < r->n_worlds; i++) {
    if (world_name ? wk_cgen_world_matches(r, i, pkg, world_name) : r->worlds[i].package == pkg) {
      if (world != WIT_NONE && !world_name) {
        fprintf(stderr, "wit-gen: error: %s: multiple worlds in the package: pass --world\n", wit);
        goto done;
      }
      world = i;
      if (world_name) break;
    }
  }
  if (world == WIT_NONE) { fprintf(stderr, "wit-gen: error: %s: world not found\n", wit); goto done; }
  if (wk_read_file(core, &data, &len, &err)) { wk_error_print(stderr, "wit-gen", core, &err); goto done; }
  static const uint8_t magic[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  if (len < 8 || memcmp(data, magic, 8)) {
    wk_error_at(&err, WK_ERR_MALFORMED, 0, "not a core wasm module");
    wk_error_print(stderr, "wit-gen", core, &err);
    goto done;
  }
  if (wit_encode_world_metadata(r, world, enc, &ct, &err)) { wk_error_print(stderr, "wit-gen", wit, &err); goto done; }
  wk_buf_append(&res, data, len);
  wk_buf sec = {0};
  char name[1024];
  snprintf(name, sizeof name, "component-type:%s", r->worlds[world].name);
  wk_buf_uleb(&sec, strlen(name));
  wk_buf_str(&sec, name);
  wk_buf_append(&sec, ct.data, ct.len);
  wk_buf_byte(&res, 0x00);
  wk_buf_uleb(&res, sec.len);
  wk_buf_append(&res, sec.data, sec.len);
  wk_buf_free(&sec);
  if (res.oom) { fprintf(stderr, "wit-gen: error: out of memory\n"); goto done; }
  if (wk_write_file_atomic(out, res.data, res.len, &err)) { wk_error_print(stderr, "wit-gen", out, &err); goto done; }
  rc = 0;
done:
  free(data);
  wk_buf_free(&ct);
  wk_buf_free(&res);
  wit_resolve_free(r);
  return rc;
}
