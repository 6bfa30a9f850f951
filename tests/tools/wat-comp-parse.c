/*
 * tests/tools/wat-comp-parse: text format -> binary through wk_wat_to_binary,
 * for the WAT component suite (tests/wat/suite-wat-component.sh).
 *
 *   wat-comp-parse IN.wat OUT.wasm      one file
 *   wat-comp-parse -l LIST              LIST lines "IN<TAB>OUT": many files in
 *                                       one process; prints "ok IN" or
 *                                       "error IN: message" per line
 *   wat-comp-parse -t IN.wat            time the parse (ms on stderr), no output
 * Exit status: 0 when every file parsed, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "encode/wat.h"

static int one(const char *in, const char *out, int quiet) {
  wk_error err;
  wk_error_clear(&err);
  uint8_t *data;
  size_t len;
  if (wk_read_file(in, &data, &len, &err)) {
    printf("error %s: ", in);
    wk_error_print(stdout, "read", in, &err);
    return 1;
  }
  wk_buf b = {0};
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int rc = wk_wat_to_binary((const char *)data, len, &b, &err);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  free(data);
  if (rc) {
    printf("error %s: ", in);
    fflush(stdout);
    wk_error_print(stdout, "parse", in, &err);
    wk_buf_free(&b);
    return 1;
  }
  if (!out) {
    fprintf(stderr, "%s: %zu bytes in %.1f ms\n", in, b.len,
            (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
  } else if (wk_write_file_atomic(out, b.data, b.len, &err)) {
    printf("error %s: ", in);
    wk_error_print(stdout, "write", out, &err);
    wk_buf_free(&b);
    return 1;
  }
  if (!quiet) printf("ok %s\n", in);
  wk_buf_free(&b);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 3 && !strcmp(argv[1], "-t")) return one(argv[2], NULL, 1);
  if (argc == 3 && !strcmp(argv[1], "-l")) {
    FILE *f = fopen(argv[2], "r");
    if (!f) {
      perror(argv[2]);
      return 2;
    }
    char line[8192];
    int bad = 0;
    while (fgets(line, sizeof line, f)) {
      line[strcspn(line, "\n")] = 0;
      char *tab = strchr(line, '\t');
      if (!tab) continue;
      *tab = 0;
      bad |= one(line, tab + 1, 0);
      fflush(stdout);
    }
    fclose(f);
    return bad;
  }
  if (argc == 3) return one(argv[1], argv[2], 1);
  fprintf(stderr, "usage: wat-comp-parse IN OUT | -l LIST | -t IN\n");
  return 2;
}
