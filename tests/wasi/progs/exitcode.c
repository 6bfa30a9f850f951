/* Exits with argv[1] (via exit(), i.e. proc_exit); "trap" executes unreachable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
__attribute__((noinline)) static void crash_here(void) { __builtin_trap(); }
int main(int argc, char **argv) {
  if (argc < 2) return 3;
  printf("exiting with %s\n", argv[1]);
  fflush(stdout);
  if (!strcmp(argv[1], "trap")) crash_here();
  exit(atoi(argv[1]));
}
