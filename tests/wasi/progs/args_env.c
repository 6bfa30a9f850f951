/* Prints argc/argv and the whole environment (sorted): the host must pass
 * exactly what it was given and nothing from its own environment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
extern char **environ;
static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
int main(int argc, char **argv) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d]=[%s]\n", i, argv[i]);
  int n = 0;
  while (environ[n]) n++;
  char **e = malloc(sizeof *e * (n + 1));
  for (int i = 0; i < n; i++) e[i] = environ[i];
  qsort(e, n, sizeof *e, cmp);
  printf("envc=%d\n", n);
  for (int i = 0; i < n; i++) printf("env[%d]=[%s]\n", i, e[i]);
  const char *g = getenv("GREETING");
  printf("GREETING=%s\n", g ? g : "(unset)");
  printf("HOME=%s\n", getenv("HOME") ? getenv("HOME") : "(unset)");
  return 0;
}
