/* wcompose new: a core module with WIT metadata (+ adapters) -> component (lib/compose/cnew.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapter_builtin.h"
#include "base/base.h"
#include "compose.h"
#include "compose/cnew.h"
#include "encode/encode.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: wcompose new CORE.wasm -o OUT.wasm [--adapt NAME=ADAPTER.wasm]...\n"
          "Build a component from a core module carrying `component-type` metadata (wit-gen embed),\n"
          "like `wasm-tools component new`.\n"
          "\n"
          "  -o, --output FILE        write the component to FILE (\"-\" = stdout)\n"
          "      --adapt NAME=FILE    use core module FILE as adapter for imports from module NAME\n"
          "                           (e.g. wasi_snapshot_preview1=wasi_snapshot_preview1.command.wasm);\n"
          "                           --adapt FILE takes NAME from the file name; without\n"
          "                           --adapt for wasi_snapshot_preview1, a module importing it\n"
          "                           gets wkit's built-in adapter (command variant when the\n"
          "                           module exports _start, else reactor)\n"
          "      --optimize LEVEL     optimize the result's core modules with binaryen (0-4, s, z; see wcompose opt)\n"
          "  -h, --help               show this help\n");
}

#define MAX_ADAPTERS 16

/* Which built-in preview1 adapter core module `data` needs: 0 none (it imports nothing from
 * wasi_snapshot_preview1, or cannot be decoded: wk_cnew reports that), 1 command (it exports
 * `_start`, as wit-component's command adapter expects), 2 reactor. */
static int builtin_variant(const uint8_t *data, size_t len) {
  wk_core_module *m = NULL;
  wk_error e;
  if (wk_core_decode(data, len, &m, &e)) return 0;
  int uses = 0, start = 0;
  for (uint32_t i = 0; i < m->nimports && !uses; i++) uses = !strcmp(m->imports[i].module.str, "wasi_snapshot_preview1");
  for (uint32_t i = 0; i < m->nexports && !start; i++)
    start = m->exports[i].kind == WK_EXTERN_FUNC && !strcmp(m->exports[i].name.str, "_start");
  wk_core_free(m);
  return !uses ? 0 : start ? 1 : 2;
}

int wcompose_new(int argc, char **argv) {
  const char *in = NULL, *outp = NULL, *optlevel = NULL;
  wk_cnew_adapter ad[MAX_ADAPTERS];
  char *adpath[MAX_ADAPTERS];
  char *adname[MAX_ADAPTERS];
  uint32_t nad = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(stdout); return 0; }
    if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
      if (++i >= argc) { fprintf(stderr, "wcompose: error: %s needs a file\n", a); return 2; }
      outp = argv[i];
    } else if (!strcmp(a, "--adapt") || !strncmp(a, "--adapt=", 8)) {
      const char *v = a[7] == '=' ? a + 8 : (++i < argc ? argv[i] : NULL);
      if (!v) { fprintf(stderr, "wcompose: error: --adapt needs NAME=FILE\n"); return 2; }
      if (nad == MAX_ADAPTERS) { fprintf(stderr, "wcompose: error: too many adapters\n"); return 2; }
      const char *eq = strchr(v, '=');
      if (eq) {
        adname[nad] = strndup(v, (size_t)(eq - v));
        adpath[nad] = strdup(eq + 1);
      } else {
        /* NAME from the file name: basename up to the first '.' */
        const char *base = strrchr(v, '/');
        base = base ? base + 1 : v;
        const char *dot = strchr(base, '.');
        adname[nad] = strndup(base, dot ? (size_t)(dot - base) : strlen(base));
        adpath[nad] = strdup(v);
      }
      if (!adname[nad] || !adpath[nad] || !adname[nad][0] || !adpath[nad][0]) {
        fprintf(stderr, "wcompose: error: bad --adapt value `%s`\n", v);
        return 2;
      }
      nad++;
    } else if (!strcmp(a, "--optimize") || !strncmp(a, "--optimize=", 11)) {
      optlevel = a[10] == '=' ? a + 11 : (++i < argc ? argv[i] : NULL);
      if (!optlevel || !wcompose_opt_level_ok(optlevel)) {
        fprintf(stderr, "wcompose: error: --optimize needs a level (0-4, s, z)\n");
        return 2;
      }
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "wcompose: error: unknown option `%s` (see wcompose new --help)\n", a);
      return 2;
    } else if (!in) in = a;
    else { fprintf(stderr, "wcompose: error: more than one input (`%s`)\n", a); return 2; }
  }
  if (!in || !outp) {
    fprintf(stderr, "wcompose: error: %s\n", !in ? "no input core module" : "no output file (-o)");
    usage(stderr);
    return 2;
  }
  int status = 1;
  wk_error err;
  uint8_t *data = NULL;
  size_t len = 0;
  uint8_t *addata[MAX_ADAPTERS] = {0};
  wk_buf out = {0};
  if (wk_read_file(in, &data, &len, &err)) { wk_error_print(stderr, "wcompose", in, &err); goto done; }
  for (uint32_t i = 0; i < nad; i++) {
    size_t l;
    if (wk_read_file(adpath[i], &addata[i], &l, &err)) { wk_error_print(stderr, "wcompose", adpath[i], &err); goto done; }
    ad[i] = (wk_cnew_adapter){adname[i], addata[i], l};
  }
  /* no --adapt for wasi_snapshot_preview1: the built-in adapter when the module needs one */
  int given = 0;
  for (uint32_t i = 0; i < nad; i++) given |= !strcmp(adname[i], "wasi_snapshot_preview1");
  int variant = given || nad == MAX_ADAPTERS ? 0 : builtin_variant(data, len);
  if (variant && wk_adapter_command_len) {
    adname[nad] = strdup("wasi_snapshot_preview1");
    adpath[nad] = strdup(variant == 1 ? "<built-in wasi_snapshot_preview1.command adapter>"
                                      : "<built-in wasi_snapshot_preview1.reactor adapter>");
    if (!adname[nad] || !adpath[nad]) { fprintf(stderr, "wcompose: error: out of memory\n"); free(adname[nad]); free(adpath[nad]); goto done; }
    ad[nad] = (wk_cnew_adapter){adname[nad], variant == 1 ? wk_adapter_command : wk_adapter_reactor,
                                variant == 1 ? wk_adapter_command_len : wk_adapter_reactor_len};
    nad++;
  } else if (variant) {
    fprintf(stderr, "wcompose: note: no built-in preview1 adapter: %s\n", wk_adapter_missing);
  }
  int where = -1;
  wk_buf warn = {0};
  wk_cnew_opts o = {.adapters = ad, .nadapters = nad, .tool = "wcompose", .version = WK_VERSION, .err_source = &where,
                    .warnings = &warn};
  int rc = wk_cnew(data, len, &o, &out, &err);
  for (size_t p = 0; p < warn.len;) { /* one line per warning */
    const char *s = (const char *)warn.data + p, *nl = memchr(s, '\n', warn.len - p);
    size_t n = nl ? (size_t)(nl - s) : warn.len - p;
    fprintf(stderr, "wcompose: warning: %s: %.*s\n", in, (int)n, s);
    p += n + 1;
  }
  wk_buf_free(&warn);
  if (rc) {
    wk_error_print(stderr, "wcompose", where >= 0 && (uint32_t)where < nad ? adpath[where] : in, &err);
    goto done;
  }
  if (optlevel && (status = wcompose_optimize_buf(&out, optlevel, in)) != 0) goto done;
  status = 1;
  if (wk_write_file_atomic(outp, out.data, out.len, &err)) { wk_error_print(stderr, "wcompose", outp, &err); goto done; }
  status = 0;
done:
  wk_buf_free(&out);
  free(data);
  for (uint32_t i = 0; i < nad; i++) { free(addata[i]); free(adname[i]); free(adpath[i]); } /* addata[i] NULL for the built-in */
  return status;
}
