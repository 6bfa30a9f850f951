/* Sets O_NONBLOCK on stdin (fcntl F_SETFL -> fd_fdstat_set_flags) and checks
 * that it took; with argument "check", only reports whether stdin is
 * non-blocking. The test script runs both on the same pipe: the flag lives in
 * the shared file description, so a host that did not restore it would leave
 * its caller's stdin non-blocking. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "check")) {
    printf("nonblocking at start: %d\n", (fcntl(0, F_GETFL) & O_NONBLOCK) != 0);
    return 0;
  }
  int fl = fcntl(0, F_GETFL);
  int r = fcntl(0, F_SETFL, fl | O_NONBLOCK);
  printf("set nonblock: %d, now nonblocking: %d\n", r, (fcntl(0, F_GETFL) & O_NONBLOCK) != 0);
  return 0;
}
