/* isatty() on the three stdio fds (wasi-libc derives it from fd_fdstat_get:
 * a character device without seek/tell rights), and a write to a closed
 * pipe (stdout of `... | true`) must fail with EPIPE, not kill the host. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "pipe")) {
    sleep(1); /* let the reader exit */
    ssize_t r = 0;
    for (int i = 0; i < 100 && r >= 0; i++) r = write(1, "x\n", 2);
    fprintf(stderr, "write to closed pipe: %s\n", r < 0 && errno == EPIPE ? "EPIPE" : "no error");
    return 0;
  }
  for (int fd = 0; fd < 3; fd++) fprintf(stderr, "isatty(%d)=%d\n", fd, isatty(fd));
  return 0;
}
