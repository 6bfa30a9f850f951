/* Under a read-only preopen (argv[1]) every write is refused; reads work.
 * argv[2] names a read-write preopen where writes must work. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
static char b1[600];
static const char *j(const char *a, const char *b) { snprintf(b1, sizeof b1, "%s/%s", a, b); return b1; }
static void res(const char *what, int rc) {
  if (rc < 0) printf("%s: refused errno %d\n", what, errno);
  else printf("%s: ALLOWED\n", what);
}
int main(int argc, char **argv) {
  if (argc < 3) return 2;
  const char *ro = argv[1], *rw = argv[2];
  char buf[64];
  FILE *f = fopen(j(ro, "in.txt"), "r");
  size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
  buf[n] = 0;
  printf("read ro/in.txt: %s", f ? buf : "FAILED\n");
  if (f) fclose(f);
  res("create ro/new.txt", open(j(ro, "new.txt"), O_WRONLY | O_CREAT, 0644));
  res("truncate-open ro/in.txt", open(j(ro, "in.txt"), O_WRONLY | O_TRUNC));
  res("write-open ro/in.txt", open(j(ro, "in.txt"), O_WRONLY));
  int fd = open(j(ro, "in.txt"), O_RDWR);
  if (fd >= 0) res("write via O_RDWR fd", (int)write(fd, "x", 1));
  else res("O_RDWR open ro/in.txt", -1);
  res("mkdir ro/d", mkdir(j(ro, "d"), 0755));
  res("unlink ro/in.txt", unlink(j(ro, "in.txt")));
  res("rename ro/in.txt", rename(j(ro, "in.txt"), j(ro, "x.txt")));
  res("symlink in ro", symlink("in.txt", j(ro, "l")));
  res("rmdir ro/sub", rmdir(j(ro, "sub")));
  res("utimes ro/in.txt", utimensat(AT_FDCWD, j(ro, "in.txt"), NULL, 0));
  /* moving or hard-linking a read-only file into the writable preopen would
   * let it be modified there: both need rights the read-only side lacks */
  char src[600], dst[600];
  snprintf(src, sizeof src, "%s/in.txt", ro);
  snprintf(dst, sizeof dst, "%s/linked.txt", rw);
  res("link ro/in.txt -> rw/linked.txt", link(src, dst));
  snprintf(dst, sizeof dst, "%s/moved.txt", rw);
  res("rename ro/in.txt -> rw/moved.txt", rename(src, dst));
  f = fopen(j(rw, "ok.txt"), "w");
  printf("write rw/ok.txt: %s\n", f && fputs("written\n", f) >= 0 && fclose(f) == 0 ? "ok" : "FAILED");
  return 0;
}
