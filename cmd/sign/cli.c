/* wsign: helpers shared by the subcommands (cli.h); main.c only dispatches. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "../common/tool.h"
#include "cli.h"

int g_quiet = 0;

int fail(const char *file, const wk_error *e) { return tool_fail("wsign", file, e); }

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

int read_sig_file(const char *path, uint8_t **data, size_t *len) {
  wk_error e;
  wk_error_clear(&e);
  if (wk_read_file(path, data, len, &e)) return fail(path, &e);
  /* a bad signature file is reported against its own name and offsets */
  wk_arena a = {0};
  wk_sig_data sd;
  int rc = wk_sig_data_parse(*data, *len, 0, &a, &sd, &e);
  wk_arena_free(&a);
  return rc ? fail(path, &e) : EXIT_OK;
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

