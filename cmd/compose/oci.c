/* wcompose oci: package a core module or component as an OCI artifact or image (lib/compose/oci.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "compose.h"
#include "compose/oci.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: wcompose oci APP.wasm -o APP.oci.tar [--ref NAME:TAG] [--annotation K=V]... [--image]\n"
          "Package a component (or core module) as an OCI image layout in a tar (`oci-archive:` for skopeo):\n"
          "by default the CNCF Wasm OCI artifact (config application/vnd.wasm.config.v0+json with the\n"
          "component's imports and exports, one application/wasm layer); prints the layer digest.\n"
          "\n"
          "  -o, --output FILE        write the archive to FILE (\"-\" = stdout)\n"
          "      --ref NAME:TAG       reference name stored in index.json (org.opencontainers.image.ref.name)\n"
          "      --annotation K=V     manifest annotation (repeatable)\n"
          "      --world NS:PKG/W@V   the component's target world (config component.target)\n"
          "      --image              a runnable scratch image instead: Entrypoint /NAME.wasm, one tar layer,\n"
          "                           annotation module.wasm.image/variant=compat-smart (podman, containerd)\n"
          "      --name FILE          file name of the .wasm inside the image (default: the input's name)\n"
          "      --optimize LEVEL     optimize the component's core modules with binaryen before packing\n"
          "                           (0-4, s, z; see wcompose opt)\n"
          "  -h, --help               show this help\n");
}

#define MAX_ANN 64

int wcompose_oci(int argc, char **argv) {
  const char *in = NULL, *outp = NULL, *optlevel = NULL;
  wk_oci_opts o = {0};
  const char *keys[MAX_ANN], *vals[MAX_ANN];
  char *owned[MAX_ANN];
  uint32_t nann = 0;
  int status = 2;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = NULL;
#define VALUE(opt)                                                                          \
  (!strcmp(a, opt) ? (++i < argc ? (v = argv[i], 1) : (v = NULL, 1))                       \
                   : (!strncmp(a, opt "=", strlen(opt) + 1) ? (v = a + strlen(opt) + 1, 1) : 0))
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(stdout); status = 0; goto done; }
    if (!strcmp(a, "--image")) { o.image = 1; continue; }
    if (VALUE("-o") || VALUE("--output")) outp = v;
    else if (VALUE("--ref")) o.ref = v;
    else if (VALUE("--world")) o.target = v;
    else if (VALUE("--name")) o.wasm_name = v;
    else if (VALUE("--optimize")) {
      if (v && !wcompose_opt_level_ok(v)) { fprintf(stderr, "wcompose: error: --optimize needs a level (0-4, s, z)\n"); goto done; }
      optlevel = v;
    }
    else if (VALUE("--annotation")) {
      const char *eq = v ? strchr(v, '=') : NULL;
      if (!eq || eq == v) { fprintf(stderr, "wcompose: error: --annotation needs KEY=VALUE\n"); goto done; }
      if (nann == MAX_ANN) { fprintf(stderr, "wcompose: error: too many annotations\n"); goto done; }
      owned[nann] = strndup(v, (size_t)(eq - v));
      if (!owned[nann]) { fprintf(stderr, "wcompose: error: out of memory\n"); status = 1; goto done; }
      keys[nann] = owned[nann];
      vals[nann++] = eq + 1;
      continue;
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "wcompose: error: unknown option `%s` (see wcompose oci --help)\n", a);
      goto done;
    } else if (!in) { in = a; continue; }
    else { fprintf(stderr, "wcompose: error: more than one input (`%s`)\n", a); goto done; }
    if (!v) { fprintf(stderr, "wcompose: error: %s needs a value\n", a); goto done; }
#undef VALUE
  }
  if (!in || !outp) {
    fprintf(stderr, "wcompose: error: %s\n", !in ? "no input .wasm" : "no output file (-o)");
    usage(stderr);
    goto done;
  }
  o.ann_keys = keys;
  o.ann_vals = vals;
  o.n_ann = nann;
  if (!o.wasm_name) {
    const char *b = strrchr(in, '/');
    b = b ? b + 1 : in;
    o.wasm_name = strcmp(b, "-") ? b : "app.wasm";
  }
  status = 1;
  wk_error err;
  uint8_t *data = NULL;
  size_t len = 0;
  wk_buf out = {0};
  char digest[WK_OCI_DIGEST_LEN];
  wk_buf in_buf = {0}; /* the input, optimized in place when --optimize is given */
  if (wk_read_file(in, &data, &len, &err)) { wk_error_print(stderr, "wcompose", in, &err); goto freeall; }
  in_buf = (wk_buf){.data = data, .len = len, .cap = len};
  data = NULL;
  if (optlevel && (status = wcompose_optimize_buf(&in_buf, optlevel, in)) != 0) goto freeall;
  status = 1;
  if (wk_oci_pack(in_buf.data, in_buf.len, &o, &out, digest, &err))
    wk_error_print(stderr, "wcompose", err.code == WK_ERR_USAGE ? NULL : in, &err);
  else if (wk_write_file_atomic(outp, out.data, out.len, &err)) wk_error_print(stderr, "wcompose", outp, &err);
  else {
    fprintf(strcmp(outp, "-") ? stdout : stderr, "%s\n", digest);
    status = 0;
  }
freeall:
  wk_buf_free(&out);
  wk_buf_free(&in_buf);
  free(data);
done:
  for (uint32_t i = 0; i < nann; i++) free(owned[i]);
  return status;
}
