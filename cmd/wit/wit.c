/* wit-gen wit: print the Resolve as normalized WIT text, or (--wasm) encode the
 * main package in binary form like `wasm-tools component wit --wasm`. */
#include <stdio.h>
#include <string.h>

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
          "      --wasm             write the binary encoding of the main package\n");
  witgen_usage_options(out);
}

static int emit(const wit_resolve *r, wit_id main_pkg, wk_buf *b, wk_error *e) {
  return wit_resolve_print_wit(r, main_pkg, b, e);
}

/* --wasm: the main package as a binary WIT package (wit-gen as the producer) */
static int emit_wasm(const wit_resolve *r, wit_id main_pkg, wk_buf *b, wk_error *e) {
  return wit_encode_package(r, main_pkg, WITGEN, WK_VERSION, b, e);
}

int witgen_cmd_wit(int argc, char **argv) { return witgen_run_printer(argc, argv, "wit", usage, emit, emit_wasm); }
