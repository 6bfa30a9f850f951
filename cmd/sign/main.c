/* wsign — sign and verify WebAssembly modules and components (Signatures.md format). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "cli.h"

int g_quiet = 0;

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

int fail(const char *file, const wk_error *e) {
  wk_error_print(stderr, "wsign", file, e);
  return EXIT_FAIL;
}

int usage_error(const char *cmd, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "wsign: error: ");
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\n(see 'wsign %s--help')\n", cmd ? cmd : "");
  return EXIT_USAGE;
}

void to_hex(char *dst, const uint8_t *p, size_t n) {
  static const char d[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    dst[2 * i] = d[p[i] >> 4];
    dst[2 * i + 1] = d[p[i] & 15];
  }
  dst[2 * n] = 0;
}

int load_key(const char *path, int private_key, wk_sign_key **out) {
  uint8_t *data = NULL;
  size_t len = 0;
  wk_error e;
  wk_error_clear(&e);
  if (wk_read_file(path, &data, &len, &e)) return fail(path, &e);
  int rc = private_key ? wk_sign_key_load_private(data, len, out, &e) : wk_sign_key_load_public(data, len, out, &e);
  OPENSSL_cleanse(data, len);
  free(data);
  if (rc) return fail(path, &e);
  return EXIT_OK;
}

int write_private_atomic(const char *path, const void *data, size_t len, wk_error *err) {
  if (!strcmp(path, "-")) return wk_write_file_atomic(path, data, len, err);
  size_t pl = strlen(path);
  char *tmp = malloc(pl + 16);
  if (!tmp) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  snprintf(tmp, pl + 16, "%s.tmp.XXXXXX", path);
  int fd = mkstemp(tmp); /* mode 0600 */
  if (fd < 0) {
    int e = errno;
    free(tmp);
    return wk_error_set(err, WK_ERR_IO, "cannot create %s: %s", path, strerror(e));
  }
  const uint8_t *p = data;
  size_t left = len;
  int bad = fchmod(fd, 0600) != 0;
  while (!bad && left) {
    ssize_t n = write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) { bad = 1; break; }
    p += n;
    left -= (size_t)n;
  }
  int e = errno;
  if (!bad && fsync(fd)) { bad = 1; e = errno; }
  if (close(fd) && !bad) { bad = 1; e = errno; }
  if (!bad && rename(tmp, path)) { bad = 1; e = errno; }
  if (bad) unlink(tmp);
  free(tmp);
  return bad ? wk_error_set(err, WK_ERR_IO, "cannot write %s: %s", path, strerror(e)) : WK_OK;
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
