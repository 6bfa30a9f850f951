/*
 * tests/tools/wat-core-tool: helpers for tests/wat/suite-wat-core.sh.
 *
 *   wat-core-tool split FILE.wast OUTDIR
 *       Read a spec script with wk_sx_read and write every module text
 *       form to OUTDIR: `(module ...)` at top level or as the module of an
 *       assert_invalid / assert_unlinkable / assert_trap /
 *       assert_uninstantiable (the source slice, `mod-N.wat`), `(module
 *       quote ...)` as its strings joined by spaces (`quote-N.wat`), and the quoted
 *       text of every `assert_malformed (module quote ...)` (`malformed-N.wat`).
 *       `(module binary ...)` forms are not text and are left out. Prints one
 *       line per file: "KIND PATH" (KIND mod, quote or malformed).
 *   wat-core-tool core-split FILE.wat OUTDIR PREFIX
 *       Every `(core module ...)` of a component text as a standalone
 *       `(module ...)` (`OUTDIR/PREFIX-N.wat`); prints "core PATH" per file.
 *   wat-core-tool parse [--core2] -l LIST
 *       (--core2: WebAssembly 2.0 text, wk_wat_to_binary_ex WK_WAT_CORE2: the 2.0 corpus's
 *       u32 limits)
 *       LIST lines "IN<TAB>OUT[<TAB>EXPECTED]": wk_wat_to_binary each IN to
 *       OUT in one process; prints "ok IN" (or, with EXPECTED, "same IN",
 *       "differ IN", "noref IN" when EXPECTED does not exist) or
 *       "error IN: line:col: message".
 *   wat-core-tool roundtrip OUTDIR LIST
 *       LIST lines "FILE.wasm": print each with wk_coremod_print_module (what
 *       `winspect print` runs for a module) to OUTDIR/NAME.wat, parse it
 *       back to OUTDIR/NAME.wasm, compare with FILE: "same FILE",
 *       "differ FILE WAT", "error FILE WAT: line:col: message",
 *       "printfail FILE: message".
 * Exit status 0 unless a file could not be read or written (parse errors are
 * reported per line, not in the exit status).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode/component.h"
#include "encode/wat.h"

/* plain write (no fsync: thousands of scratch files) */
static int write_file(const char *path, const void *p, size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f)) {
    perror(path);
    return 1;
  }
  return 0;
}

static int split(const char *file, const char *dir) {
  wk_error err;
  uint8_t *data;
  size_t len;
  if (wk_read_file(file, &data, &len, &err)) {
    wk_error_print(stderr, "wat-core-tool", file, &err);
    return 1;
  }
  wk_sx_doc doc;
  if (wk_sx_read((const char *)data, len, &doc, &err)) {
    wk_error_print(stderr, "wat-core-tool", file, &err);
    wk_sx_free(&doc);
    free(data);
    return 1;
  }
  int bad = 0;
  unsigned nmod = 0, nq = 0, nmal = 0;
  char path[4096];
  for (uint32_t t = 0; t < doc.n; t++) {
    const wk_sx *top = &doc.top[t];
    const wk_sx *mod = NULL;
    size_t end = t + 1 < doc.n ? doc.top[t + 1].offset : len;
    int malformed = 0;
    if (wk_sx_head(top, "module")) {
      mod = top;
    } else if ((wk_sx_head(top, "assert_invalid") || wk_sx_head(top, "assert_unlinkable") ||
                wk_sx_head(top, "assert_trap") || wk_sx_head(top, "assert_uninstantiable") ||
                wk_sx_head(top, "assert_malformed")) &&
               top->n >= 2 && wk_sx_head(&top->kids[1], "module")) {
      mod = &top->kids[1];
      end = top->n > 2 ? top->kids[2].offset : end;
      malformed = wk_sx_head(top, "assert_malformed");
    }
    if (!mod) continue;
    uint32_t k = 1;
    if (k < mod->n && mod->kids[k].kind == WK_SX_ID) k++;
    int quote = k < mod->n && wk_sx_is(&mod->kids[k], WK_SX_KEYWORD, "quote");
    int binary = k < mod->n && wk_sx_is(&mod->kids[k], WK_SX_KEYWORD, "binary");
    if (binary) continue;
    if (malformed && !quote) continue; /* malformed text that is not quoted cannot be in a script */
    wk_buf b = {0};
    const char *kind;
    if (quote) {
      /* the strings joined by spaces: a whole text (module or bare fields), as wasm-tools' wast runner does */
      for (uint32_t i = k + 1; i < mod->n; i++) {
        wk_buf_append(&b, mod->kids[i].text, mod->kids[i].len);
        wk_buf_byte(&b, ' ');
      }
      kind = malformed ? "malformed" : "quote";
      snprintf(path, sizeof path, "%s/%s-%u.wat", dir, kind, malformed ? nmal++ : nq++);
    } else {
      /* the module's source slice: up to the next sibling form (comments in between are whitespace) */
      wk_buf_append(&b, data + mod->offset, end - mod->offset);
      kind = "mod";
      snprintf(path, sizeof path, "%s/mod-%u.wat", dir, nmod++);
    }
    bad |= write_file(path, b.data, b.len);
    printf("%s %s\n", kind, path);
    wk_buf_free(&b);
  }
  wk_sx_free(&doc);
  free(data);
  return bad;
}

/* Offset just past the `)` closing the list that opens at `start` (lexical
 * rules of wat_sx.c: strings, line and nested block comments). */
static size_t list_end(const char *t, size_t len, size_t start) {
  int depth = 0;
  for (size_t i = start; i < len; i++) {
    char c = t[i];
    if (c == '"') {
      for (i++; i < len && t[i] != '"'; i++)
        if (t[i] == '\\') i++;
    } else if (c == ';' && i + 1 < len && t[i + 1] == ';') {
      while (i < len && t[i] != '\n' && t[i] != '\r') i++;
    } else if (c == '(' && i + 1 < len && t[i + 1] == ';') {
      int d = 0;
      for (; i + 1 < len; i++) {
        if (t[i] == '(' && t[i + 1] == ';') d++, i++;
        else if (t[i] == ';' && t[i + 1] == ')' && --d == 0) {
          i++;
          break;
        }
      }
    } else if (c == '(') {
      depth++;
    } else if (c == ')' && --depth == 0) {
      return i + 1;
    }
  }
  return len;
}

static void core_walk(const wk_sx *x, const char *text, size_t len, const char *dir, const char *prefix,
                      unsigned *n, int *bad) {
  if (x->kind != WK_SX_LIST) return;
  if (x->n >= 2 && wk_sx_is(&x->kids[0], WK_SX_KEYWORD, "core") && wk_sx_is(&x->kids[1], WK_SX_KEYWORD, "module")) {
    size_t end = list_end(text, len, x->offset);
    wk_buf b = {0};
    wk_buf_str(&b, "(module");
    wk_buf_append(&b, text + x->kids[1].offset + 6, end - (x->kids[1].offset + 6));
    char path[4096];
    snprintf(path, sizeof path, "%s/%s-%u.wat", dir, prefix, (*n)++);
    *bad |= write_file(path, b.data, b.len);
    printf("core %s\n", path);
    wk_buf_free(&b);
    return;
  }
  for (uint32_t i = 0; i < x->n; i++) core_walk(&x->kids[i], text, len, dir, prefix, n, bad);
}

/* every `(core module ...)` of a component text, rewritten as `(module ...)` */
static int core_split(const char *file, const char *dir, const char *prefix) {
  wk_error err;
  uint8_t *data;
  size_t len;
  if (wk_read_file(file, &data, &len, &err)) {
    wk_error_print(stderr, "wat-core-tool", file, &err);
    return 1;
  }
  wk_sx_doc doc;
  int bad = 0;
  if (wk_sx_read((const char *)data, len, &doc, &err)) {
    wk_error_print(stderr, "wat-core-tool", file, &err);
    bad = 1;
  } else {
    unsigned n = 0;
    for (uint32_t t = 0; t < doc.n; t++) core_walk(&doc.top[t], (const char *)data, len, dir, prefix, &n, &bad);
  }
  wk_sx_free(&doc);
  free(data);
  return bad;
}

static int read_all(const char *path, uint8_t **data, size_t *len) {
  wk_error err;
  if (wk_read_file(path, data, len, &err)) return -1;
  return 0;
}

/* LIST lines "IN<TAB>OUT[<TAB>EXPECTED]" */
static int parse_list(const char *list, unsigned flags) {
  FILE *f = fopen(list, "r");
  if (!f) {
    perror(list);
    return 1;
  }
  char line[8192];
  int bad = 0;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = 0;
    char *tab = strchr(line, '\t');
    if (!tab) continue;
    *tab = 0;
    char *out = tab + 1, *want = strchr(out, '\t');
    if (want) *want++ = 0;
    wk_error err;
    uint8_t *data;
    size_t len;
    if (wk_read_file(line, &data, &len, &err)) {
      wk_error_print(stderr, "wat-core-tool", line, &err);
      bad = 1;
      continue;
    }
    wk_buf b = {0};
    int rc = wk_wat_to_binary_ex((const char *)data, len, flags, &b, &err);
    free(data);
    if (rc) {
      printf("error %s: %u:%u: %s\n", line, err.line, err.col, err.msg);
    } else {
      bad |= write_file(out, b.data, b.len);
      if (!want) {
        printf("ok %s\n", line);
      } else {
        uint8_t *w;
        size_t wl;
        if (read_all(want, &w, &wl)) {
          printf("noref %s\n", line);
        } else {
          printf("%s %s\n", wl == b.len && !memcmp(w, b.data, wl) ? "same" : "differ", line);
          free(w);
        }
      }
    }
    fflush(stdout);
    wk_buf_free(&b);
  }
  fclose(f);
  return bad;
}

/* LIST lines "FILE.wasm": print it as winspect print does (wk_coremod_print_module),
 * write DIR/NAME.wat, parse that back to DIR/NAME.wasm and compare with the
 * original: "same FILE", "differ FILE WAT", "error FILE WAT: l:c: msg",
 * "printfail FILE: msg". */
static int roundtrip(const char *dir, const char *list) {
  FILE *f = fopen(list, "r");
  if (!f) {
    perror(list);
    return 1;
  }
  char line[8192], wat[8192], bin[8192];
  int bad = 0;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = 0;
    if (!*line) continue;
    const char *base = strrchr(line, '/');
    base = base ? base + 1 : line;
    size_t bl = strlen(base);
    if (bl > 5 && !strcmp(base + bl - 5, ".wasm")) bl -= 5;
    snprintf(wat, sizeof wat, "%s/%.*s.wat", dir, (int)bl, base);
    snprintf(bin, sizeof bin, "%s/%.*s.wasm", dir, (int)bl, base);
    uint8_t *data;
    size_t len;
    wk_error err;
    if (wk_read_file(line, &data, &len, &err)) {
      wk_error_print(stderr, "wat-core-tool", line, &err);
      bad = 1;
      continue;
    }
    wk_buf t = {0}, b = {0};
    if (wk_coremod_print_module(data, len, &t, &err)) {
      printf("printfail %s: %s\n", line, err.msg);
    } else if ((bad |= write_file(wat, t.data, t.len)), wk_wat_to_binary((const char *)t.data, t.len, &b, &err)) {
      printf("error %s %s: %u:%u: %s\n", line, wat, err.line, err.col, err.msg);
    } else {
      bad |= write_file(bin, b.data, b.len);
      if (b.len == len && !memcmp(b.data, data, len)) printf("same %s\n", line);
      else printf("differ %s %s\n", line, wat);
    }
    fflush(stdout);
    free(data);
    wk_buf_free(&t);
    wk_buf_free(&b);
  }
  fclose(f);
  return bad;
}

int main(int argc, char **argv) {
  if (argc == 4 && !strcmp(argv[1], "split")) return split(argv[2], argv[3]);
  if (argc == 4 && !strcmp(argv[1], "parse") && !strcmp(argv[2], "-l")) return parse_list(argv[3], 0);
  if (argc == 5 && !strcmp(argv[1], "parse") && !strcmp(argv[2], "--core2") && !strcmp(argv[3], "-l"))
    return parse_list(argv[4], WK_WAT_CORE2);
  if (argc == 5 && !strcmp(argv[1], "core-split")) return core_split(argv[2], argv[3], argv[4]);
  if (argc == 4 && !strcmp(argv[1], "roundtrip")) return roundtrip(argv[2], argv[3]);
  fprintf(stderr, "usage: wat-core-tool split FILE.wast OUTDIR | core-split FILE.wat OUTDIR PREFIX | parse -l LIST |\n"
                  "       roundtrip OUTDIR LIST\n");
  return 2;
}
