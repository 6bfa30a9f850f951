/* wit-gen wit: print the Resolve as normalized WIT text. */
#include <stdio.h>
#include <string.h>

#include "witgen.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: wit-gen wit [OPTIONS] PATH\n"
          "Parse and resolve the WIT at PATH and print it back as normalized WIT: the main\n"
          "package with a `package a:b;` header, every dependency as a nested\n"
          "`package a:b { ... }` block. The output parses back to the same Resolve.\n"
          "\n"
          "options:\n"
          "  -o, --output FILE      write to FILE (atomically) instead of stdout\n"
          "      --features A,B     enable @unstable(feature = A) items (repeatable)\n"
          "      --all-features     enable every @unstable feature\n"
          "      --time             print the parse+resolve time to stderr\n"
          "  -h, --help             show this help\n");
}

int witgen_cmd_wit(int argc, char **argv) {
  witgen_input in;
  memset(&in, 0, sizeof in);
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
      usage(stdout);
      return 0;
    }
    int rc = witgen_common_opt(&in, argc, argv, &i);
    if (rc < 0) return 2;
    if (rc == 0) {
      fprintf(stderr, "%s: error: unknown option `%s` (see `wit-gen wit --help`)\n", WITGEN, argv[i]);
      return 2;
    }
  }
  if (!in.path) {
    usage(stderr);
    return 2;
  }
  wit_id main_pkg;
  wit_resolve *r = witgen_load(&in, &main_pkg);
  if (!r) return 1;
  wk_buf b = {0};
  wk_error e;
  int rc;
  if (wit_resolve_print_wit(r, main_pkg, &b, &e) != WK_OK) {
    wk_error_print(stderr, WITGEN, in.path, &e);
    rc = 1;
  } else {
    rc = witgen_write(&in, &b);
  }
  wk_buf_free(&b);
  wit_resolve_free(r);
  return rc;
}
