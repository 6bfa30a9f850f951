/* wsign — sign and verify WebAssembly modules and components (Signatures.md format). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

static int write_all_fd(int fd, const uint8_t *p, size_t left) {
  while (left) {
    ssize_t n = write(fd, p, left > (1u << 30) ? (1u << 30) : left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    p += n;
    left -= (size_t)n;
  }
  return 0;
}

int write_parts_atomic(const char *path, const void *a, size_t alen, const void *b, size_t blen, int mode,
                       wk_error *err) {
  if (!strcmp(path, "-")) {
    if (write_all_fd(STDOUT_FILENO, a, alen) || write_all_fd(STDOUT_FILENO, b, blen))
      return wk_error_set(err, WK_ERR_IO, "cannot write to stdout: %s", strerror(errno));
    return WK_OK;
  }
  size_t pl = strlen(path);
  char *tmp = malloc(pl + 16);
  if (!tmp) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  snprintf(tmp, pl + 16, "%s.tmp.XXXXXX", path);
  int fd = mkstemp(tmp); /* created with mode 0600: a private key is never readable by others */
  if (fd < 0) {
    int e = errno;
    free(tmp);
    return wk_error_set(err, WK_ERR_IO, "cannot create %s: %s", path, strerror(e));
  }
  int bad = write_all_fd(fd, a, alen) || write_all_fd(fd, b, blen) || fchmod(fd, (mode_t)mode);
  int e = errno;
  if (close(fd) && !bad) { bad = 1; e = errno; }
  if (!bad && rename(tmp, path)) { bad = 1; e = errno; }
  if (bad) unlink(tmp);
  free(tmp);
  return bad ? wk_error_set(err, WK_ERR_IO, "cannot write %s: %s", path, strerror(e)) : WK_OK;
}

int infile_read(const char *path, infile *f, wk_error *err) {
  memset(f, 0, sizeof *f);
  if (strcmp(path, "-")) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return wk_error_set(err, WK_ERR_IO, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
      void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
      if (p != MAP_FAILED) {
        close(fd);
        f->data = p;
        f->len = (size_t)st.st_size;
        f->mapped = 1;
        return WK_OK;
      }
    }
    close(fd);
  }
  return wk_read_file(path, &f->data, &f->len, err);
}

void infile_free(infile *f) {
  if (f->mapped) munmap(f->data, f->len);
  else free(f->data);
  memset(f, 0, sizeof *f);
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
