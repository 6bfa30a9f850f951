/* Copies stdin to stdout upper-cased and writes a line to stderr; also a
 * write with several iovecs (writev) and fd_fdstat_get on the stdio fds. */
#include <ctype.h>
#include <stdio.h>
#include <sys/uio.h>
#include <unistd.h>
int main(void) {
  int c;
  while ((c = getchar()) != EOF) putchar(toupper(c));
  fflush(stdout);
  struct iovec v[3] = {{"one ", 4}, {"two ", 4}, {"three\n", 6}};
  printf("writev: %zd\n", writev(1, v, 3));
  fprintf(stderr, "to stderr\n");
  return 0;
}
