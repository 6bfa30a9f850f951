/* wit-gen json: print the Resolve as JSON (wasm-tools `component wit --json` schema). */
#include <stdio.h>
#include <string.h>

#include "witgen.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: wit-gen json [OPTIONS] PATH\n"
          "Parse and resolve the WIT at PATH (a .wit file, or a directory whose deps/ holds its\n"
          "dependencies) and print every package as JSON, in the schema of\n"
          "`wasm-tools component wit --json`.\n"
          "\n"
          "options:\n");
  witgen_usage_options(out);
}

static int emit(const wit_resolve *r, wit_id main_pkg, wk_buf *b, wk_error *e) {
  (void)main_pkg;
  return wit_resolve_to_json(r, b, e);
}

int witgen_cmd_json(int argc, char **argv) { return witgen_run_printer(argc, argv, "json", usage, emit, NULL); }
