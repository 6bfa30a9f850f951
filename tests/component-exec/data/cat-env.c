/* A C wasi:cli command (preview1 + jco's command adapter) for suite-wrun.sh: prints its
 * arguments, one environment variable, the lines of a file in a preopened directory and
 * whether a `..` escape from it opens, then exits 7. wrun (--env, --dir) and jco run (the
 * same variables through env -i, the same preopen through a --jco-import module) must
 * print the same bytes and exit alike. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  printf("args %d:", argc - 1);
  for (int i = 1; i < argc; i++) printf(" [%s]", argv[i]);
  printf("\n");
  const char *a = getenv("WK_A");
  printf("WK_A=%s\n", a ? a : "(unset)");
  FILE *f = fopen("/data/input.txt", "r");
  if (!f) {
    printf("/data/input.txt: cannot open\n");
    return 3;
  }
  char line[256];
  int n = 0;
  while (fgets(line, sizeof line, f)) printf("%d: %s", ++n, line);
  fclose(f);
  FILE *g = fopen("/data/../escape.txt", "r");
  printf("/data/../escape.txt: %s\n", g ? "opened" : "refused");
  if (g) fclose(g);
  fprintf(stderr, "done (stderr)\n");
  return 7;
}
