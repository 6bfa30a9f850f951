/* wcompose — turn core modules into components and compose components.
 * main.c only dispatches to the subcommands (one file each). */
#include <stdio.h>
#include <string.h>

#include "base/base.h"
#include "compose.h"
#include "compose_cmds.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: wcompose COMMAND [OPTIONS]\n"
          "turn core modules into components and compose components\n"
          "\n"
          "commands:\n"
          "  new      build a component from a core module with WIT metadata (wcompose new --help)\n"
          "  plug     wire a socket component's imports to plugs' exports (wcompose plug --help)\n"
          "  compose  compose as a WAC document says (wcompose compose --help)\n"
          "  oci      package a component as an OCI artifact or image tar (wcompose oci --help)\n"
          "  opt      optimize the core modules of a component with binaryen (wcompose opt --help)\n"
          "\n"
          "  -h, --help     show this help\n"
          "  -V, --version  show the version\n"
          "\n");
  wcompose_compose_usage(out); /* h-wac: composition subcommands */
}

static const struct {
  const char *name;
  int (*run)(int argc, char **argv);
} COMMANDS[] = {
    {"new", wcompose_new},
    {"plug", wcompose_plug},    /* h-wac */
    {"compose", wcompose_wac},  /* h-wac */
    {"oci", wcompose_oci},      /* h-oci */
    {"opt", wcompose_opt},
};

int main(int argc, char **argv) {
  if (argc < 2) { usage(stderr); return 2; }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) { usage(stdout); return 0; }
  if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) { printf("wcompose %s\n", WK_VERSION); return 0; }
  for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
    if (!strcmp(cmd, COMMANDS[i].name)) return COMMANDS[i].run(argc - 1, argv + 1);
  /* h-wac: `wcompose MAIN.wasm DEP.wasm ...` (a component file, or one of its options, first) */
  if (cmd[0] != '-' || !strcmp(cmd, "--no-imports") || !strcmp(cmd, "--json") || !strcmp(cmd, "-o") ||
      !strncmp(cmd, "--output", 8) || !strncmp(cmd, "--optimize", 10))
    return wcompose_deps(argc, argv);
  fprintf(stderr, "wcompose: error: unknown command `%s` (see wcompose --help)\n", cmd);
  return 2;
}
