/* wit-gen wit: print the Resolve as normalized WIT text, or (--wasm) encode the
 * main package in binary form like `wasm-tools component wit --wasm`. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "witgen.h"
#include "witparse/witencode.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: wit-gen wit [OPTIONS] PATH\n"
          "Parse and resolve the WIT at PATH and print it back as normalized WIT: the main\n"
          "package with a `package a:b;` header, every dependency as a nested\n"
          "`package a:b { ... }` block. The output parses back to the same Resolve.\n"
          "\n"
          "With --wasm, write the main package in binary form instead (like\n"
          "`wasm-tools component wit --wasm`): a component whose types describe each\n"
          "interface and world of the package, with a `package-docs` custom section\n"
          "(doc comments and @since/@unstable gates) and a `producers` section naming\n"
          "wit-gen. Binary output is never written to a terminal: pass -o FILE or\n"
          "redirect stdout (exit 1 otherwise).\n"
          "\n"
          "options:\n"
          "      --wasm             write the binary encoding of the main package\n"
          "  -o, --output FILE      write to FILE (atomically) instead of stdout\n"
          "      --features A,B     enable @unstable(feature = A) items (repeatable)\n"
          "      --all-features     enable every @unstable feature\n"
          "      --time             print the parse+resolve time to stderr\n"
          "  -h, --help             show this help\n");
}

static int emit(const wit_resolve *r, wit_id main_pkg, wk_buf *b, wk_error *e) {
  return wit_resolve_print_wit(r, main_pkg, b, e);
}

/* `wit-gen wit --wasm`: encode, then write to -o FILE (atomically) or to stdout when it is not a terminal. */
static int run_wasm(int argc, char **argv) {
  witgen_input in;
  memset(&in, 0, sizeof in);
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--wasm")) continue;
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
  int rc = 1;
  if (wit_encode_package(r, main_pkg, WITGEN, WK_VERSION, &b, &e) != WK_OK)
    wk_error_print(stderr, WITGEN, in.path, &e);
  else if ((!in.output || !strcmp(in.output, "-")) && isatty(STDOUT_FILENO))
    fprintf(stderr, "%s: error: refusing to write binary wasm to a terminal: pass -o FILE or redirect stdout\n",
            WITGEN);
  else
    rc = witgen_write(&in, &b);
  wk_buf_free(&b);
  wit_resolve_free(r);
  return rc;
}

int witgen_cmd_wit(int argc, char **argv) {
  int wasm = 0, help = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--wasm")) wasm = 1;
    else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) help = 1;
    else if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output") || !strcmp(argv[i], "--features")) i++;
  }
  if (wasm && !help) return run_wasm(argc, argv);
  return witgen_run_printer(argc, argv, "wit", usage, emit);
}
