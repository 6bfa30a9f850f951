/* wcompose — turn core modules into components and compose components */
#include <stdio.h>
#include <string.h>

#include "base/base.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: wcompose [OPTIONS]\n"
          "turn core modules into components and compose components\n"
          "\n"
          "This tool is not built yet: only --help and --version work.\n"
          "  -h, --help     show this help\n"
          "  -V, --version  show the version\n");
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) { usage(stdout); return 0; }
    if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) { printf("wcompose %s\n", WK_VERSION); return 0; }
  }
  fprintf(stderr, "wcompose: error: not built yet (see --help)\n");
  return 2;
}
