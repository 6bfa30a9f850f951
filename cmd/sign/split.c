/* wsign split: insert signature_delimiter sections for partial verification. */
#include <getopt.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_PATTERNS 32

static void help(FILE *out) {
  fprintf(out,
          "usage: wsign split [-p REGEX ...] IN.wasm -o OUT.wasm\n"
          "Insert signature_delimiter custom sections (16 random bytes each) so that a signature can\n"
          "later be verified over a prefix of the binary (wsign verify --split). A delimiter goes\n"
          "before and after every run of custom sections whose name matches one of the patterns\n"
          "(POSIX extended regular expressions, unanchored), and after the last section. Without\n"
          "-p only the final delimiter is added, which lets signed sections be appended later.\n"
          "Split before signing: splitting a signed binary invalidates its signatures.\n"
          "\n"
          "  -p, --pattern REGEX  custom section names to separate (repeatable)\n"
          "  -o, --output FILE    output ('-' for stdout), required\n"
          "  -q, --quiet          print nothing on success\n"
          "  -h, --help           show this help\n");
}

typedef struct {
  regex_t re[MAX_PATTERNS];
  size_t n;
} patterns;

static int select_section(void *ctx, int id, const char *name, size_t name_len) {
  patterns *p = ctx;
  if (id != 0 || !name) return 0;
  char *s = malloc(name_len + 1);
  if (!s) return 0;
  memcpy(s, name, name_len);
  s[name_len] = 0;
  int hit = 0;
  for (size_t i = 0; i < p->n && !hit; i++) hit = regexec(&p->re[i], s, 0, NULL, 0) == 0;
  free(s);
  return hit;
}

int cmd_split(int argc, char **argv) {
  static const struct option opts[] = {{"pattern", required_argument, 0, 'p'}, {"output", required_argument, 0, 'o'},
                                       {"quiet", no_argument, 0, 'q'},         {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  patterns pats;
  pats.n = 0;
  const char *out = NULL, *in = NULL;
  int c, rc = EXIT_OK;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "p:o:qh", opts, NULL)) != -1) {
    switch (c) {
    case 'p': {
      if (pats.n == MAX_PATTERNS) { rc = usage_error("split ", "too many patterns (max %d)", MAX_PATTERNS); goto out; }
      int r = regcomp(&pats.re[pats.n], optarg, REG_EXTENDED | REG_NOSUB);
      if (r) {
        char m[128];
        regerror(r, &pats.re[pats.n], m, sizeof m);
        rc = usage_error("split ", "bad pattern '%s': %s", optarg, m);
        goto out;
      }
      pats.n++;
      break;
    }
    case 'o': out = optarg; break;
    case 'q': g_quiet = 1; break;
    case 'h': help(stdout); goto out;
    default: rc = usage_error("split ", "bad option '%s'", argv[optind - 1]); goto out;
    }
  }
  if (optind < argc) in = argv[optind++];
  if (optind < argc) { rc = usage_error("split ", "unexpected argument '%s'", argv[optind]); goto out; }
  if (!in) { rc = usage_error("split ", "missing input file"); goto out; }
  if (!out) { rc = usage_error("split ", "missing -o OUT.wasm"); goto out; }
  {
    wk_error e;
    wk_error_clear(&e);
    uint8_t *data = NULL;
    size_t len = 0, added = 0;
    wk_buf b = {0};
    if (wk_read_file(in, &data, &len, &e)) rc = fail(in, &e);
    else if (wk_sign_split(data, len, select_section, &pats, &b, &added, &e)) rc = fail(in, &e);
    else if (wk_write_file_atomic(out, b.data, b.len, &e)) rc = fail(out, &e);
    else if (!g_quiet && strcmp(out, "-"))
      printf("%s: %zu delimiter%s added -> %s\n", in, added, added == 1 ? "" : "s", out);
    free(data);
    wk_buf_free(&b);
  }
out:
  for (size_t i = 0; i < pats.n; i++) regfree(&pats.re[i]);
  return rc;
}
