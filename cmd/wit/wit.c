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

static int emit(const wit_resolve *r, wit_id main_pkg, wk_buf *b, wk_error *e) {
  return wit_resolve_print_wit(r, main_pkg, b, e);
}

int witgen_cmd_wit(int argc, char **argv) { return witgen_run_printer(argc, argv, "wit", usage, emit); }
