/* winspect — show what a WebAssembly module or component is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode/wat.h"
#include "../common/tool.h"
#include "inspect.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: winspect [OPTIONS] FILE\n"
          "       winspect print [-o OUT] FILE\n"
          "show what a WebAssembly module or component is (FILE may be - for stdin)\n"
          "\n"
          "  (default)        a tree: nested components and modules with sizes, producers,\n"
          "                   imports, exports, custom sections, signature presence\n"
          "                   (an OCI archive from `wcompose oci`: manifest, config, layers, digests\n"
          "                   verified; the other modes look at its wasm)\n"
          "  --sections       offsets and sizes of every section (like wasm-objdump -h)\n"
          "  --json           everything as JSON\n"
          "  --wit            the component's world (or the WIT package it encodes) as WIT\n"
          "  --validate       validate the component or core module (exit 1 with FILE:OFFSET: reason if\n"
          "                   invalid; core modules with every WebAssembly 3.0 feature wkit implements)\n"
          "  --roundtrip      decode and re-encode; exit 1 unless the bytes are identical\n"
          "  -f, --features LIST  with --validate: also accept these comma-separated component-model\n"
          "                   features (cm-map, cm-fixed-length-lists; as wasm-tools -f); wasm2: core\n"
          "                   modules (standalone and nested) as WebAssembly 2.0 only\n"
          "  print            the text format (WAT) of a module or component\n"
          "  -o FILE          write the output to FILE (atomically) instead of stdout\n"
          "  -h, --help       show this help\n"
          "  -V, --version    show the version\n");
}

int main(int argc, char **argv) {
  enum { M_TREE, M_SECTIONS, M_JSON, M_WIT, M_VALIDATE, M_ROUNDTRIP, M_PRINT } mode = M_TREE;
  const char *file = NULL, *outpath = NULL;
  int nmodes = 0;
  unsigned vflags = 0; /* WK_CVALIDATE_* feature flags from -f */
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(stdout); return 0; }
    if (!strcmp(a, "-V") || !strcmp(a, "--version")) { printf("winspect %s\n", WK_VERSION); return 0; }
    if (!strcmp(a, "--sections")) { mode = M_SECTIONS; nmodes++; }
    else if (!strcmp(a, "--json")) { mode = M_JSON; nmodes++; }
    else if (!strcmp(a, "--wit")) { mode = M_WIT; nmodes++; }
    else if (!strcmp(a, "--validate")) { mode = M_VALIDATE; nmodes++; }
    else if (!strcmp(a, "--roundtrip")) { mode = M_ROUNDTRIP; nmodes++; }
    else if (!strcmp(a, "print") && !file && mode == M_TREE && nmodes == 0) { mode = M_PRINT; nmodes++; }
    else if (!strcmp(a, "-f") || !strcmp(a, "--features")) {
      if (++i >= argc) { fprintf(stderr, "winspect: error: %s needs a feature list\n", a); return 2; }
      for (const char *p = argv[i]; *p;) {
        size_t n = strcspn(p, ",");
        if (n == 6 && !strncmp(p, "cm-map", n)) vflags |= WK_CVALIDATE_CM_MAP;
        else if (n == 21 && !strncmp(p, "cm-fixed-length-lists", n)) vflags |= WK_CVALIDATE_CM_FIXED_LISTS;
        else if (n == 5 && !strncmp(p, "wasm2", n)) vflags |= WK_CVALIDATE_CORE_WASM2;
        else if (n) {
          fprintf(stderr, "winspect: error: unknown feature `%.*s` (known: cm-map, cm-fixed-length-lists, wasm2)\n", (int)n, p);
          return 2;
        }
        p += n + (p[n] == ',');
      }
    } else if (!strcmp(a, "-o")) {
      if (++i >= argc) { fprintf(stderr, "winspect: error: -o needs a file\n"); return 2; }
      outpath = argv[i];
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "winspect: error: unknown option %s (see --help)\n", a);
      return 2;
    } else if (!file) file = a;
    else { fprintf(stderr, "winspect: error: more than one input file\n"); return 2; }
  }
  if (nmodes > 1) { fprintf(stderr, "winspect: error: choose one of --sections, --json, --wit, --validate, --roundtrip, print\n"); return 2; }
  if (!file) { usage(stderr); return 2; }

  insp in;
  memset(&in, 0, sizeof in);
  in.path = file;
  wk_error err;
  wk_error_clear(&err);
  uint8_t *data;
  size_t len;
  /* FILE may be in the text format (.wat): converted to the binary first; h-oci: or an OCI archive
   * (cmd/inspect/oci.c), shown or looked into once every digest verified */
  int orc = insp_oci(file, &data, &len, mode == M_TREE);
  if (orc >= 0) return orc;
  in.data = data;
  in.len = len;
  wk_section_iter it;
  if (wk_sections_begin(&it, data, len, &err)) {
    wk_error_print(stderr, "winspect", file, &err);
    free(data);
    return 1;
  }
  in.kind = it.kind;
  int rc = 0;
  if (in.kind == WK_BIN_COMPONENT && mode != M_SECTIONS) {
    if (wk_component_decode(data, len, &in.comp, &err)) {
      wk_error_print(stderr, "winspect", file, &err);
      free(data);
      return 1;
    }
  }
  wk_buf b = {0};
  switch (mode) {
    case M_TREE: rc = insp_tree(&in, stdout); break;
    case M_SECTIONS: rc = insp_sections(&in, stdout); break;
    case M_JSON: rc = insp_json(&in, stdout); break;
    case M_WIT: rc = insp_wit(&in, stdout); break;
    case M_VALIDATE:
      if (in.kind != WK_BIN_COMPONENT) {
        /* a core module: decoded and validated with every core feature lib/encode implements */
        wk_core_module *cm = NULL;
        unsigned feats = vflags & WK_CVALIDATE_CORE_WASM2 ? 0 : WK_FEAT_ALL;
        if (wk_core_decode_features(data, len, feats, &cm, &err) || wk_core_validate_features(cm, feats, &err)) {
          wk_error_print(stderr, "winspect", file, &err);
          rc = 1;
        }
        wk_core_free(cm);
      } else if (wk_component_validate_ex(in.comp, vflags, &err)) {
        wk_error_print(stderr, "winspect", file, &err);
        rc = 1;
      }
      break;
    case M_ROUNDTRIP:
      if (in.kind != WK_BIN_COMPONENT) {
        fprintf(stderr, "winspect: error: %s: --roundtrip checks components\n", file);
        rc = 1;
      } else if (wk_component_encode(in.comp, &b, &err)) {
        wk_error_print(stderr, "winspect", file, &err);
        rc = 1;
      } else if (b.len != len || memcmp(b.data, data, len)) {
        size_t k = 0;
        while (k < b.len && k < len && b.data[k] == data[k]) k++;
        fprintf(stderr, "winspect: error: %s:0x%zx: re-encoded bytes differ (%zu vs %zu bytes)\n", file, k, b.len, len);
        rc = 1;
      }
      break;
    case M_PRINT:
      if (in.kind == WK_BIN_COMPONENT) rc = wk_component_print(in.comp, &b, &err);
      else rc = wk_coremod_print_module(data, len, &b, &err);
      if (rc) { wk_error_print(stderr, "winspect", file, &err); rc = 1; }
      else rc = tool_write("winspect", outpath, &b);
      break;
  }
  wk_buf_free(&b);
  wk_component_free(in.comp);
  wk_arena_free(&in.arena);
  free(data);
  if (tool_flush_stdout("winspect")) rc = 1; /* the report printed to stdout must have been written */
  return rc;
}
