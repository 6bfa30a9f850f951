/* wsign — sign and verify WebAssembly modules and components (Signatures.md format). */
#include <string.h>

#include "cli.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: wsign COMMAND [OPTIONS] ...\n"
          "Sign and verify WebAssembly core modules and components (tool-conventions signature format).\n"
          "\n"
          "commands:\n"
          "  keygen   generate a key pair (ecdsa-p256 or ed25519, PEM)\n"
          "  sign     add a signature (embedded, or --detached)\n"
          "  verify   verify a signature against one or more public keys\n"
          "  show     print signatures, key ids, algorithms and signed ranges\n"
          "  split    insert signature_delimiter sections for partial verification\n"
          "\n"
          "  -h, --help     show this help (wsign COMMAND --help for a command)\n"
          "  -V, --version  show the version\n"
          "\n"
          "exit status: 0 success, 1 failed work or verification, 2 usage error\n");
}

int main(int argc, char **argv) {
  static char *sub[3];
  if (argc < 2) {
    usage(stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
    if (!strcmp(cmd, "help") && argc > 2) {
      sub[0] = argv[2];
      sub[1] = "--help";
      sub[2] = NULL;
      argv = sub;
      argc = 2;
      cmd = argv[0];
      goto dispatch;
    }
    usage(stdout);
    return EXIT_OK;
  }
  if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
    printf("wsign %s\n", WK_VERSION);
    return EXIT_OK;
  }
  argv++;
  argc--;
dispatch:
  if (!strcmp(cmd, "keygen")) return cmd_keygen(argc, argv);
  if (!strcmp(cmd, "sign")) return cmd_sign(argc, argv);
  if (!strcmp(cmd, "verify")) return cmd_verify(argc, argv);
  if (!strcmp(cmd, "show")) return cmd_show(argc, argv);
  if (!strcmp(cmd, "split")) return cmd_split(argc, argv);
  return usage_error(NULL, "unknown command '%s'", cmd);
}
