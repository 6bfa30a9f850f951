/* wcompose — turn core modules into components and compose components */
#include <stdio.h>
#include <string.h>

#include "base/base.h"
#include "compose_cmds.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: wcompose [OPTIONS]\n"
          "turn core modules into components and compose components\n"
          "\n"
          "\n"
          "  -h, --help     show this help\n"
          "  -V, --version  show the version\n"
          "\n");
  wcompose_compose_usage(out); /* h-wac: composition subcommands */
}

int main(int argc, char **argv) {
  /* h-wac: composition subcommands (plug, compose, MAIN.wasm DEP.wasm ...) */
  if (argc > 1 && !strcmp(argv[1], "plug")) return wcompose_plug(argc - 1, argv + 1);
  if (argc > 1 && !strcmp(argv[1], "compose")) return wcompose_wac(argc - 1, argv + 1);
  if (argc > 1 && ((argv[1][0] != '-' && strcmp(argv[1], "new")) || !strcmp(argv[1], "--no-imports") ||
                   !strcmp(argv[1], "--json") || !strcmp(argv[1], "-o") || !strncmp(argv[1], "--output", 8)))
    return wcompose_deps(argc, argv);
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) { usage(stdout); return 0; }
    if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) { printf("wcompose %s\n", WK_VERSION); return 0; }
  }
  fprintf(stderr, "wcompose: error: not built yet (see --help)\n");
  return 2;
}
