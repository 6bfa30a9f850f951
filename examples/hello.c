/*
 * examples/hello.c — a WASI program for `wrun` (built by examples/run.sh):
 * reads a text file from a preopened directory, greets $NAME, and writes a
 * report next to the input. It sees only what wrun grants: the preopened
 * directory and the environment variables given with --env.
 *
 *   clang --target=wasm32-wasi -O2 -o hello.wasm hello.c
 *   wrun --dir work::/work --env NAME=you hello.wasm /work/greeting.txt
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  const char *in = argc > 1 ? argv[1] : "/work/greeting.txt";
  const char *name = getenv("NAME");
  FILE *f = fopen(in, "r");
  if (!f) {
    fprintf(stderr, "hello: cannot open %s: %s (did you pass --dir?)\n", in, strerror(errno));
    return 1;
  }
  char text[4096];
  size_t n = fread(text, 1, sizeof text - 1, f);
  text[n] = 0;
  fclose(f);

  size_t lines = 0, words = 0;
  int in_word = 0;
  for (size_t i = 0; i < n; i++) {
    if (text[i] == '\n') lines++;
    if (isspace((unsigned char)text[i])) in_word = 0;
    else if (!in_word) { in_word = 1; words++; }
  }
  printf("Hello, %s!\n", name ? name : "stranger (no NAME given: try --env NAME=you)");
  printf("%s has %zu lines and %zu words:\n%s", in, lines, words, text);

  /* Write the report next to the input, in the same preopened directory. */
  char out[512];
  snprintf(out, sizeof out, "%s.report", in);
  f = fopen(out, "w");
  if (!f) {
    fprintf(stderr, "hello: cannot write %s: %s\n", out, strerror(errno));
    return 1;
  }
  fprintf(f, "greeted %s; %zu lines, %zu words\n", name ? name : "nobody", lines, words);
  if (fclose(f)) return 1;
  printf("wrote %s\n", out);

  /* The sandbox at work: nothing outside the preopen is reachable. */
  f = fopen("/etc/passwd", "r");
  printf("reading /etc/passwd: %s\n", f ? "ALLOWED (sandbox broken!)" : "refused, as it should be");
  return f ? 1 : 0;
}
