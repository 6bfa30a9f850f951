/* wcompose plug / dependencies / compose (WAC): option parsing, loading the
 * component files, writing the result. The work is lib/compose's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compose.h" /* wcompose_optimize_buf (cmd/compose/opt.c) */
#include "compose/compose.h"
#include "compose_cmds.h"
#include "encode/wat.h"

#define TOOL "wcompose"

void wcompose_compose_usage(FILE *out) {
  fprintf(out,
          "  wcompose plug --plug PLUG.wasm [--plug PLUG.wasm ...] SOCKET.wasm -o OUT.wasm\n"
          "      wire the socket's imports to the plugs' exports (wac plug)\n"
          "  wcompose MAIN.wasm DEP.wasm [DEP.wasm ...] -o OUT.wasm [--no-imports]\n"
          "      satisfy MAIN's imports from the dependencies, transitively\n"
          "  wcompose compose FILE.wac --dep ns:name=PATH [...] -o OUT.wasm [--no-imports]\n"
          "      compose as the WAC document says\n"
          "  common: --json (print the wiring as JSON on stdout), -o - (component to stdout),\n"
          "          --optimize LEVEL (optimize the result's core modules with binaryen: 0-4, s, z;\n"
          "          see wcompose opt)\n");
}

typedef struct opts {
  const char *out;
  const char *optimize; /* --optimize LEVEL, or NULL */
  int json, no_imports;
} opts;

static int load(wkc_graph *g, const char *path, const char *name, uint32_t *idx) {
  wk_error e;
  wk_error_clear(&e);
  uint8_t *data = NULL;
  size_t len = 0;
  if (wk_read_wasm_or_wat(path, &data, &len, &e)) {
    wk_error_print(stderr, TOOL, path, &e);
    return 1;
  }
  int rc = wkc_add_component_owned(g, path, name, data, len, idx, &e); /* takes data */
  if (rc) {
    fprintf(stderr, "%s: error: %s\n", TOOL, e.msg);
    return 1;
  }
  return 0;
}

/* A name for the output's name section: the file name without directory and extension. */
static char *stem(const char *path) {
  const char *b = strrchr(path, '/');
  b = b ? b + 1 : path;
  size_t n = strlen(b);
  const char *dot = strrchr(b, '.');
  if (dot && dot != b) n = (size_t)(dot - b);
  char *s = malloc(n + 1);
  if (!s) return NULL;
  memcpy(s, b, n);
  s[n] = 0;
  return s;
}

static int finish(wkc_graph *g, const opts *o) {
  wk_error e;
  wk_error_clear(&e);
  wk_buf b = {0};
  wkc_encode_opts eo = {.no_imports = o->no_imports};
  if (wkc_encode(g, &eo, &b, &e)) {
    fprintf(stderr, "%s: error: %s\n", TOOL, e.msg);
    wk_buf_free(&b);
    return 1;
  }
  if (o->json) {
    wk_buf j = {0};
    if (wkc_wiring_json(g, &j, &e)) {
      fprintf(stderr, "%s: error: %s\n", TOOL, e.msg);
      wk_buf_free(&j);
      wk_buf_free(&b);
      return 1;
    }
    fwrite(j.data, 1, j.len, stdout);
    wk_buf_free(&j);
  }
  int rc = 0;
  if (o->optimize && (rc = wcompose_optimize_buf(&b, o->optimize, o->out)) != 0) {
    wk_buf_free(&b);
    return rc;
  }
  if (wk_write_file_atomic(o->out, b.data, b.len, &e)) {
    wk_error_print(stderr, TOOL, o->out, &e);
    rc = 1;
  }
  wk_buf_free(&b);
  return rc;
}

static int common_opt(int argc, char **argv, int *i, opts *o, int *bad) {
  const char *a = argv[*i];
  if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
    if (*i + 1 >= argc) { fprintf(stderr, "%s: error: %s needs a file\n", TOOL, a); *bad = 1; return 1; }
    o->out = argv[++*i];
    return 1;
  }
  if (!strncmp(a, "--output=", 9)) { o->out = a + 9; return 1; }
  if (!strcmp(a, "--json")) { o->json = 1; return 1; }
  if (!strcmp(a, "--no-imports")) { o->no_imports = 1; return 1; }
  if (!strcmp(a, "--optimize") || !strncmp(a, "--optimize=", 11)) {
    const char *v = a[10] == '=' ? a + 11 : (*i + 1 < argc ? argv[++*i] : NULL);
    if (!v || !wcompose_opt_level_ok(v)) {
      fprintf(stderr, "%s: error: --optimize needs a level (0-4, s, z)\n", TOOL);
      *bad = 1;
    }
    o->optimize = v;
    return 1;
  }
  return 0;
}

static int need_output(const opts *o) {
  if (!o->out) {
    fprintf(stderr, "%s: error: no output file (-o FILE, or -o - for stdout)\n", TOOL);
    return 2;
  }
  if (o->json && !strcmp(o->out, "-")) {
    fprintf(stderr, "%s: error: --json prints on stdout: write the component to a file (-o FILE)\n", TOOL);
    return 2;
  }
  return 0;
}

int wcompose_plug(int argc, char **argv) {
  opts o = {0};
  const char **plugs = calloc((size_t)argc + 1, sizeof(char *));
  const char *socket = NULL;
  uint32_t np = 0;
  int bad = 0;
  if (!plugs) return 1;
  for (int i = 1; i < argc && !bad; i++) {
    const char *a = argv[i];
    if (common_opt(argc, argv, &i, &o, &bad)) continue;
    if (!strcmp(a, "--plug") || !strcmp(a, "-p")) {
      if (i + 1 >= argc) { fprintf(stderr, "%s: error: --plug needs a file\n", TOOL); bad = 1; break; }
      plugs[np++] = argv[++i];
    } else if (!strncmp(a, "--plug=", 7)) {
      plugs[np++] = a + 7;
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      printf("usage: wcompose plug --plug PLUG.wasm [--plug PLUG.wasm ...] SOCKET.wasm -o OUT.wasm [--json]\n"
             "       [--optimize LEVEL]\n"
             "Instantiate SOCKET with each of its imports that a plug exports wired to that plug\n"
             "(the last plug given wins when several export it); the plugs' own imports and the\n"
             "socket's remaining imports become imports of the result; it exports what the socket\n"
             "exports. Each plug must satisfy at least one import.\n"
             "  --optimize LEVEL   optimize the result's core modules with binaryen (0-4, s, z; see wcompose opt)\n");
      free(plugs);
      return 0;
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "%s: error: unknown option %s (see wcompose plug --help)\n", TOOL, a);
      bad = 1;
    } else if (!socket) {
      socket = a;
    } else {
      fprintf(stderr, "%s: error: more than one socket component (%s, %s)\n", TOOL, socket, a);
      bad = 1;
    }
  }
  if (!bad && (!socket || !np)) {
    fprintf(stderr, "%s: error: plug needs a socket component and at least one --plug\n", TOOL);
    bad = 1;
  }
  int u = bad ? 2 : need_output(&o);
  if (u) { free(plugs); return u; }
  wkc_graph *g = wkc_new();
  uint32_t *pidx = calloc(np + 1, sizeof(uint32_t));
  int rc = 1;
  uint32_t si;
  if (!g || !pidx) { fprintf(stderr, "%s: error: out of memory\n", TOOL); goto out; }
  char *sn = stem(socket);
  int lr = load(g, socket, sn, &si);
  free(sn);
  if (lr) goto out;
  for (uint32_t k = 0; k < np; k++) {
    char *pn = stem(plugs[k]);
    lr = load(g, plugs[k], pn, &pidx[k]);
    free(pn);
    if (lr) goto out;
  }
  wk_error e;
  wk_error_clear(&e);
  if (wkc_plug(g, si, pidx, np, &e)) {
    fprintf(stderr, "%s: error: %s\n", TOOL, e.msg);
    goto out;
  }
  rc = finish(g, &o);
out:
  wkc_free(g);
  free(pidx);
  free(plugs);
  return rc;
}

int wcompose_deps(int argc, char **argv) {
  opts o = {0};
  const char **files = calloc((size_t)argc + 1, sizeof(char *));
  uint32_t nf = 0;
  int bad = 0;
  if (!files) return 1;
  for (int i = 1; i < argc && !bad; i++) {
    const char *a = argv[i];
    if (common_opt(argc, argv, &i, &o, &bad)) continue;
    if (a[0] == '-' && a[1]) {
      fprintf(stderr, "%s: error: unknown option %s (see wcompose --help)\n", TOOL, a);
      bad = 1;
    } else {
      files[nf++] = a;
    }
  }
  if (!bad && nf < 1) { fprintf(stderr, "%s: error: no main component\n", TOOL); bad = 1; }
  int u = bad ? 2 : need_output(&o);
  if (u) { free(files); return u; }
  wkc_graph *g = wkc_new();
  uint32_t *idx = calloc(nf + 1, sizeof(uint32_t));
  int rc = 1;
  if (!g || !idx) { fprintf(stderr, "%s: error: out of memory\n", TOOL); goto out; }
  for (uint32_t k = 0; k < nf; k++) {
    char *nm = stem(files[k]);
    int lr = load(g, files[k], nm, &idx[k]);
    free(nm);
    if (lr) goto out;
  }
  wk_error e;
  wk_error_clear(&e);
  if (wkc_deps(g, idx[0], idx + 1, nf - 1, &e)) {
    fprintf(stderr, "%s: error: %s\n", TOOL, e.msg);
    goto out;
  }
  rc = finish(g, &o);
out:
  wkc_free(g);
  free(idx);
  free(files);
  return rc;
}

int wcompose_wac(int argc, char **argv) {
  opts o = {0};
  const char *file = NULL;
  int bad = 0, ast = 0;
  wkc_pkg *pkgs = calloc((size_t)argc + 1, sizeof(wkc_pkg));
  const char **paths = calloc((size_t)argc + 1, sizeof(char *));
  char **names = calloc((size_t)argc + 1, sizeof(char *));
  uint8_t **bytes = calloc((size_t)argc + 1, sizeof(uint8_t *));
  char **errs = calloc((size_t)argc + 1, sizeof(char *));
  uint32_t np = 0;
  if (!pkgs || !paths || !names || !bytes || !errs) { free(pkgs); free(paths); free(names); free(bytes); free(errs); return 1; }
  for (int i = 1; i < argc && !bad; i++) {
    const char *a = argv[i];
    if (common_opt(argc, argv, &i, &o, &bad)) continue;
    const char *dep = NULL;
    if (!strcmp(a, "--ast")) {
      ast = 1;
    } else if (!strcmp(a, "--dep") || !strcmp(a, "-d")) {
      if (i + 1 >= argc) { fprintf(stderr, "%s: error: --dep needs ns:name=PATH\n", TOOL); bad = 1; break; }
      dep = argv[++i];
    } else if (!strncmp(a, "--dep=", 6)) {
      dep = a + 6;
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      printf("usage: wcompose compose FILE.wac --dep ns:name=PATH [--dep ...] -o OUT.wasm [--json] [--no-imports]\n"
             "       [--optimize LEVEL]\n"
             "Compose as the WAC document says: `package`, `import`, `let x = new ns:name { ... }`,\n"
             "`x.name`, `x[\"name\"]`, `export`. Each package named by `new` is a --dep component;\n"
             "a --dep may also be a WIT package (directory or .wit file) for `import x: ns:pkg/iface;`\n"
             "and for type statements that name its interfaces or worlds (`use ns:pkg/i.{..}`, `include ns:pkg/w`).\n"
             "  --ast   only parse: print the document as JSON (no --dep or -o needed)\n"
             "  --optimize LEVEL   optimize the result's core modules with binaryen (0-4, s, z; see wcompose opt)\n");
      free(pkgs); free(paths); free(names); free(bytes); free(errs);
      return 0;
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "%s: error: unknown option %s (see wcompose compose --help)\n", TOOL, a);
      bad = 1;
    } else if (!file) {
      file = a;
    } else {
      fprintf(stderr, "%s: error: more than one WAC file (%s, %s)\n", TOOL, file, a);
      bad = 1;
    }
    if (dep) {
      const char *eq = strchr(dep, '=');
      if (!eq || eq == dep || !eq[1]) {
        fprintf(stderr, "%s: error: --dep %s: expected ns:name=PATH\n", TOOL, dep);
        bad = 1;
      } else {
        names[np] = strndup(dep, (size_t)(eq - dep));
        paths[np] = eq + 1;
        np++;
      }
    }
  }
  if (!bad && !file) { fprintf(stderr, "%s: error: no WAC file\n", TOOL); bad = 1; }
  int u = bad ? 2 : ast ? 0 : need_output(&o);
  int rc = 1;
  wkc_graph *g = NULL;
  wkc_wac *w = NULL;
  uint8_t *text = NULL;
  size_t len = 0;
  if (u) { rc = u; goto out; }
  wk_error e;
  wk_error_clear(&e);
  if (wk_read_file(file, &text, &len, &e)) { wk_error_print(stderr, TOOL, file, &e); goto out; }
  wkc_diag d;
  memset(&d, 0, sizeof d);
  g = wkc_new();
  if (!g) goto out;
  int prc;
  if (ast) {
    prc = wkc_wac_parse_syntax((const char *)text, len, &w, &d);
    if (!prc) {
      wk_buf j = {0};
      if (wkc_wac_json(w, &j) == WK_OK) { fwrite(j.data, 1, j.len, stdout); rc = 0; }
      wk_buf_free(&j);
      goto out;
    }
  } else {
    /* the packages first: type statements may name them (package paths) */
    for (uint32_t k = 0; k < np; k++) {
      pkgs[k].name = names[k];
      pkgs[k].path = paths[k];
      pkgs[k].comp = WKC_NONE;
      struct stat st;
      size_t pl = strlen(paths[k]);
      if ((pl > 4 && !strcmp(paths[k] + pl - 4, ".wit")) || (!stat(paths[k], &st) && S_ISDIR(st.st_mode))) {
        pkgs[k].wit_path = paths[k]; /* a WIT package: read by the WAC evaluator when an import names it */
        continue;
      }
      if (wk_read_wasm_or_wat(paths[k], &bytes[k], &pkgs[k].len, &e)) {
        /* a text file that does not parse is reported where the package is used, as any bad package */
        if (e.code == WK_ERR_IO) { wk_error_print(stderr, TOOL, paths[k], &e); goto out; }
        bytes[k] = NULL;
        pkgs[k].len = 0;
        char *m = malloc(strlen(paths[k]) + sizeof e.msg + 32);
        if (m) sprintf(m, "%s:%u:%u: %s", paths[k], e.line, e.col, e.msg);
        errs[k] = m;
        pkgs[k].load_error = m ? m : "cannot be read";
      }
      pkgs[k].bytes = bytes[k];
    }
    prc = wkc_wac_parse_pkgs((const char *)text, len, pkgs, np, &w, &d);
    if (!prc) prc = wkc_wac_build(w, g, pkgs, np, &d);
  }
  if (prc) {
    /* "wcompose: error: FILE:LINE:COL: message", then the line and a caret (as wit-gen) */
    wk_buf b = {0};
    wkc_diag_render(file, (const char *)text, len, &d, &b);
    wk_buf_byte(&b, 0);
    const char *excerpt = b.data ? strstr((char *)b.data, "\n     --> ") : NULL;
    if (d.err.line)
      fprintf(stderr, "%s: error: %s:%u:%u: %s%s\n", TOOL, file, d.err.line, d.err.col, d.err.msg,
              excerpt ? excerpt : "");
    else
      fprintf(stderr, "%s: error: %s: %s\n", TOOL, file, d.err.msg);
    wk_buf_free(&b);
    goto out;
  }
  rc = finish(g, &o);
out:
  wkc_wac_free(w);
  wkc_free(g);
  free(text);
  for (uint32_t k = 0; k < np; k++) { free(names[k]); free(bytes[k]); free(errs[k]); }
  free(names);
  free(bytes);
  free(errs);
  free(paths);
  free(pkgs);
  return rc;
}
