/* wit-gen — parse and resolve WIT; print WIT and JSON. Subcommands live in
 * their own files (json.c, wit.c, ...); this file only dispatches. */
#include <stdio.h>
#include <string.h>

#include "witgen.h"

/* Subcommands implemented in other files of cmd/wit that may not be present in
 * every checkout (C bindings: cgen.c, embed.c); weak so main.c links without them. */
int wit_gen_c_main(int argc, char **argv) __attribute__((weak));
int wit_gen_embed_main(int argc, char **argv) __attribute__((weak));

static const struct {
  const char *name;
  int (*fn)(int, char **);
  const char *help;
} CMDS[] = {
    {"json", witgen_cmd_json, "print the resolved packages as JSON (wasm-tools `component wit --json` schema)"},
    {"wit", witgen_cmd_wit, "print the resolved packages as normalized WIT"},
    {"c", NULL, "generate C guest bindings for a world"},
    {"embed", NULL, "embed a world's component-type custom section into a core module"},
};

static int (*cmd_fn(size_t i))(int, char **) {
  if (CMDS[i].fn) return CMDS[i].fn;
  if (!strcmp(CMDS[i].name, "c")) return wit_gen_c_main;
  if (!strcmp(CMDS[i].name, "embed")) return wit_gen_embed_main;
  return NULL;
}

static void usage(FILE *out) {
  fprintf(out,
          "usage: wit-gen <COMMAND> [OPTIONS] PATH\n"
          "parse and resolve WIT (a .wit file, or a package directory with deps/)\n"
          "\n"
          "commands:\n");
  for (size_t i = 0; i < sizeof CMDS / sizeof CMDS[0]; i++)
    if (cmd_fn(i)) fprintf(out, "  %-6s %s\n", CMDS[i].name, CMDS[i].help);
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
    if (!strcmp(cmd, CMDS[i].name) && cmd_fn(i)) return cmd_fn(i)(argc - 1, argv + 1);
  fprintf(stderr, "wit-gen: error: unknown command `%s` (see --help)\n", cmd);
  return 2;
}
