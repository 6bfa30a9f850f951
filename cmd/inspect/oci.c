/* winspect APP.oci.tar: an OCI layout tar written by `wcompose oci` (lib/compose/oci.h).
 * Default mode: the manifest, the config and the layers, each blob's digest verified.
 * Other modes (--wit, --json, print, ...) look at the wasm inside once it verified. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "compose/oci.h"
#include "encode/wat.h"
#include "inspect.h"

static void print_json(FILE *out, const char *title, const char *json) {
  cJSON *j = cJSON_Parse(json);
  char *s = j ? cJSON_Print(j) : NULL;
  fprintf(out, "%s:\n%s\n", title, s ? s : json);
  free(s);
  cJSON_Delete(j);
}

int insp_oci(const char *path, uint8_t **data, size_t *len, int show) {
  wk_oci_image img;
  wk_error err;
  uint8_t *raw = NULL;
  size_t n = 0;
  *data = NULL;
  if (wk_read_file(path, &raw, &n, &err)) {
    wk_error_print(stderr, "winspect", NULL, &err);
    return 1;
  }
  if (!wk_oci_is_archive(raw, n)) {
    /* a .wasm, or the text format converted to the binary (as wk_read_wasm_or_wat) */
    if (n >= 4 && !memcmp(raw, "\0asm", 4)) {
      *data = raw;
      *len = n;
      return -1;
    }
    wk_buf b = {0};
    int r = wk_wat_to_binary((const char *)raw, n, &b, &err);
    free(raw);
    if (r) {
      wk_buf_free(&b);
      wk_error_print(stderr, "winspect", path, &err);
      return 1;
    }
    *data = b.data;
    *len = b.len;
    return -1;
  }
  int rc = wk_oci_read(raw, n, &img, &err);
  free(raw);
  if (rc) {
    wk_error_print(stderr, "winspect", path, &err);
    return 1;
  }
  if (show) {
    FILE *out = stdout;
    fprintf(out, "OCI image layout: %s\n", path);
    if (img.ref_name) fprintf(out, "ref: %s\n", img.ref_name);
    fprintf(out, "manifest %s %s (%llu bytes) verified\n", img.manifest.digest, img.manifest.media_type,
            (unsigned long long)img.manifest.size);
    if (img.artifact_type) fprintf(out, "  artifactType: %s\n", img.artifact_type);
    fprintf(out, "config   %s %s (%llu bytes) verified\n", img.config.digest, img.config.media_type,
            (unsigned long long)img.config.size);
    for (uint32_t i = 0; i < img.n_layers; i++)
      fprintf(out, "layer %u  %s %s (%llu bytes) verified\n", i, img.layers[i].digest, img.layers[i].media_type,
              (unsigned long long)img.layers[i].size);
    fprintf(out, "wasm: %zu bytes%s%s, %s\n", img.wasm_len, img.wasm_path ? " at " : "",
            img.wasm_path ? img.wasm_path : "",
            img.wasm_len >= 8 && img.wasm[4] == WK_CT_VERSION ? "component" : "core module");
    print_json(out, "manifest", img.manifest_json);
    print_json(out, "config", img.config_json);
    wk_oci_image_free(&img);
    return 0;
  }
  *data = img.wasm;
  *len = img.wasm_len;
  img.wasm = NULL;
  wk_oci_image_free(&img);
  return -1;
}
