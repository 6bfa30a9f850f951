/* File and directory operations through wasi-libc inside the preopen given
 * as argv[1] (default /sandbox). Prints one line per step with its result or
 * errno, so the output can be compared across hosts. The sandbox dir is
 * expected to hold in.txt ("hello file\n") and nothing else. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

static char P[512];
static const char *p(const char *rel) { static char b[4][600]; static int k; k = (k + 1) % 4; snprintf(b[k], 600, "%s/%s", P, rel); return b[k]; }
static void res(const char *what, int rc) {
  if (rc < 0) printf("%s: error %d (%s)\n", what, errno, strerror(errno));
  else printf("%s: ok\n", what);
}
static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
static void list(const char *rel) {
  DIR *d = opendir(p(rel));
  if (!d) { printf("opendir %s: error %d\n", rel, errno); return; }
  char *names[256];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 256) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char t = e->d_type == DT_DIR ? 'd' : e->d_type == DT_REG ? 'f' : e->d_type == DT_LNK ? 'l' : '?';
    names[n] = malloc(strlen(e->d_name) + 4);
    sprintf(names[n], "%s:%c", e->d_name, t);
    n++;
  }
  closedir(d);
  qsort(names, n, sizeof *names, cmp);
  printf("ls %s:", rel);
  for (int i = 0; i < n; i++) { printf(" %s", names[i]); free(names[i]); }
  printf("\n");
}

int main(int argc, char **argv) {
  snprintf(P, sizeof P, "%s", argc > 1 ? argv[1] : "/sandbox");
  char buf[256];
  /* read an existing file */
  FILE *f = fopen(p("in.txt"), "r");
  if (!f) { printf("open in.txt: error %d\n", errno); return 1; }
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = 0;
  fclose(f);
  printf("in.txt (%zu bytes): %s", n, buf);
  /* write, append, read back */
  f = fopen(p("out.txt"), "w");
  fprintf(f, "line one\n");
  fclose(f);
  f = fopen(p("out.txt"), "a");
  fprintf(f, "line two\n");
  fclose(f);
  int fd = open(p("out.txt"), O_RDONLY);
  n = (size_t)read(fd, buf, sizeof buf - 1);
  buf[n] = 0;
  printf("out.txt: %s", buf);
  printf("lseek end: %lld\n", (long long)lseek(fd, 0, SEEK_END));
  printf("lseek set 5: %lld\n", (long long)lseek(fd, 5, SEEK_SET));
  n = (size_t)read(fd, buf, 3);
  buf[n] = 0;
  printf("read 3 at 5: [%s]\n", buf);
  printf("pread at 9: %zd\n", pread(fd, buf, 4, 9));
  buf[4] = 0;
  printf("pread data: [%s]\n", buf);
  close(fd);
  struct stat st;
  res("stat out.txt", stat(p("out.txt"), &st));
  printf("size=%lld regular=%d nlink=%d\n", (long long)st.st_size, S_ISREG(st.st_mode), (int)st.st_nlink);
  /* truncate, pwrite */
  fd = open(p("out.txt"), O_RDWR);
  res("ftruncate 4", ftruncate(fd, 4));
  printf("pwrite: %zd\n", pwrite(fd, "XY", 2, 6));
  fstat(fd, &st);
  printf("size after pwrite: %lld\n", (long long)st.st_size);
  close(fd);
  /* times */
  struct timeval tv[2] = {{1000000000, 0}, {1200000000, 500000}};
  res("utimes", utimes(p("out.txt"), tv));
  stat(p("out.txt"), &st);
  printf("mtime=%lld atime=%lld\n", (long long)st.st_mtime, (long long)st.st_atime);
  /* errors */
  res("open missing", open(p("missing.txt"), O_RDONLY));
  res("open excl existing", open(p("out.txt"), O_WRONLY | O_CREAT | O_EXCL, 0644));
  res("opendir on file", open(p("out.txt"), O_RDONLY | O_DIRECTORY));
  /* directories */
  res("mkdir d", mkdir(p("d"), 0755));
  res("mkdir d again", mkdir(p("d"), 0755));
  res("mkdir d/e", mkdir(p("d/e"), 0755));
  f = fopen(p("d/e/f.txt"), "w");
  fputs("deep\n", f);
  fclose(f);
  list(".");
  list("d");
  list("d/e");
  res("rmdir non-empty", rmdir(p("d")));
  res("rename f.txt", rename(p("d/e/f.txt"), p("d/g.txt")));
  res("rename dir", rename(p("d/e"), p("d/e2")));
  list("d");
  res("unlink dir", unlink(p("d/e2")));
  res("rmdir file", rmdir(p("d/g.txt")));
  res("rmdir d/e2", rmdir(p("d/e2")));
  res("link", link(p("d/g.txt"), p("hard.txt")));
  stat(p("hard.txt"), &st);
  printf("hard nlink=%d\n", (int)st.st_nlink);
  res("symlink", symlink("d/g.txt", p("sym")));
  ssize_t k = readlink(p("sym"), buf, sizeof buf);
  if (k >= 0) { buf[k] = 0; printf("readlink: %s\n", buf); } else printf("readlink: error %d\n", errno);
  f = fopen(p("sym"), "r");
  if (f) { n = fread(buf, 1, 100, f); buf[n] = 0; printf("via symlink: %s", buf); fclose(f); }
  res("lstat sym", lstat(p("sym"), &st));
  printf("lstat is link: %d\n", S_ISLNK(st.st_mode));
  res("stat sym", stat(p("sym"), &st));
  printf("stat is reg: %d\n", S_ISREG(st.st_mode));
  res("unlink sym", unlink(p("sym")));
  res("unlink hard", unlink(p("hard.txt")));
  res("unlink g", unlink(p("d/g.txt")));
  res("unlink missing", unlink(p("d/g.txt")));
  res("rmdir d", rmdir(p("d")));
  list(".");
  /* many files in a directory (readdir across several fd_readdir calls) */
  mkdir(p("many"), 0755);
  for (int i = 0; i < 150; i++) {
    char name[64];
    snprintf(name, sizeof name, "many/file-with-a-longish-name-%03d", i);
    f = fopen(p(name), "w");
    fclose(f);
  }
  DIR *d = opendir(p("many"));
  int cnt = 0;
  struct dirent *e;
  while ((e = readdir(d))) cnt += e->d_name[0] != '.';
  closedir(d);
  printf("many: %d entries\n", cnt);
  return 0;
}
