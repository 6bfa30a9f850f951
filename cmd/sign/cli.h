/* wsign — the subcommands (keygen.c, sign.c, ...) and their shared helpers (cli.c); main.c dispatches. */
#ifndef WSIGN_CLI_H
#define WSIGN_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "base/base.h"
#include "sign/sign.h"

/* Exit codes (DESIGN.md tool conventions). */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

extern int g_quiet;

int cmd_keygen(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_split(int argc, char **argv);

/* Print "wsign: error: FILE:OFFSET: msg" and return EXIT_FAIL. */
int fail(const char *file, const wk_error *e);
/* Print "wsign: error: msg" + a hint to --help, return EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Read a key file; returns EXIT_OK or prints and returns EXIT_FAIL. */
int load_key(const char *path, int private_key, wk_sign_key **out);
/* Read a detached signature file (*data malloc'd, freed by the caller even on failure) and check that it
 * parses; returns EXIT_OK or prints FILE:OFFSET: message and returns EXIT_FAIL. */
int read_sig_file(const char *path, uint8_t **data, size_t *len);
/* Lower-case hex of n bytes into dst (2n+1 bytes). */
void to_hex(char *dst, const uint8_t *p, size_t n);

/* An input file: mapped read-only when it is a regular file (large modules are
 * hashed without copying), else read into memory ("-" = stdin). */
typedef struct infile {
  uint8_t *data;
  size_t len;
  int mapped;
} infile;
int infile_read(const char *path, infile *f, wk_error *err);
void infile_free(infile *f);

#endif
