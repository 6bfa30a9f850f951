/* wit-gen — parse and resolve WIT; print WIT and JSON. Subcommands live in
 * their own files (json.c, wit.c, ...); this file only dispatches. */
#include <stdio.h>
#include <string.h>

#include "witgen.h"

static const struct {
  const char *name;
  int (*fn)(int, char **);
  const char *help;
} CMDS[] = {
    {"json", witgen_cmd_json, "print the resolved packages as JSON (wasm-tools `component wit --json` schema)"},
    {"wit", witgen_cmd_wit, "print the resolved packages as normalized WIT"},
    {"c", witgen_cmd_c, "generate C guest bindings for a world"},
    {"embed", witgen_cmd_embed, "embed a world's component-type custom section into a core module"},
};

static void usage(FILE *out) {
  fprintf(out,
          "usage: wit-gen <COMMAND> [OPTIONS] PATH\n"
          "parse and resolve WIT (a .wit file, or a package directory with deps/)\n"
          "\n"
          "commands:\n");
  for (size_t i = 0; i < sizeof CMDS / sizeof CMDS[0]; i++)
    fprintf(out, "  %-6s %s\n", CMDS[i].name, CMDS[i].help);
  fprintf(out,
          "\n"
          "options:\n"
          "  -h, --help     show this help (`wit-gen COMMAND --help` for a command)\n"
          "  -V, --version  show the version\n");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
    usage(stdout);
    return 0;
  }
  if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
    printf("wit-gen %s\n", WK_VERSION);
    return 0;
  }
  for (size_t i = 0; i < sizeof CMDS / sizeof CMDS[0]; i++)
    if (!strcmp(cmd, CMDS[i].name)) return CMDS[i].fn(argc - 1, argv + 1);
  fprintf(stderr, "wit-gen: error: unknown command `%s` (see --help)\n", cmd);
  return 2;
}
