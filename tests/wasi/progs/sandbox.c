/* Sandbox refusals, through raw WASI calls on the preopen fd (so wasi-libc's
 * own path checks do not hide what the host does) and through libc.
 * argv[1]: preopen name (default /sandbox). The test script places a file
 * "secret.txt" NEXT TO the preopened directory and symlinks inside it:
 *   to_etc -> /etc, to_parent -> .., to_secret -> ../secret.txt,
 *   deep/up -> ../.., inside -> in.txt; and next to the preopen an empty
 *   directory "emptydir" and a symlink "outlink".
 * Every escape must fail; the script then checks nothing appeared outside. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "common.h"

static int root;
static void try_open(const char *path, int follow, int creat) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(root, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, path,
                                      creat ? __WASI_OFLAGS_CREAT : 0,
                                      __WASI_RIGHTS_FD_READ | (creat ? __WASI_RIGHTS_FD_WRITE : 0), 0, 0, &fd);
  if (e == 0) {
    char buf[64] = {0};
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf - 1};
    __wasi_size_t n = 0;
    if (__wasi_fd_read(fd, &iov, 1, &n)) n = 0;
    printf("open %-22s follow=%d creat=%d: OPENED (read %u bytes)%s\n", path, follow, creat, (unsigned)n,
           strstr(buf, "TOPSECRET") ? " LEAKED SECRET" : "");
    (void)__wasi_fd_close(fd);
  } else
    printf("open %-22s follow=%d creat=%d: errno %d\n", path, follow, creat, e);
}
static void try_stat(const char *path, int follow) {
  __wasi_filestat_t st;
  __wasi_errno_t e = __wasi_path_filestat_get(root, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, path, &st);
  printf("stat %-22s follow=%d: errno %d\n", path, follow, e);
}
int main(int argc, char **argv) {
  const char *pre = argc > 1 ? argv[1] : "/sandbox";
  root = find_preopen(pre);
  if (root < 0) { printf("no preopen %s\n", pre); return 1; }
  printf("preopen found\n");
  const char *reads[] = {"../secret.txt", "/etc/passwd", "to_etc/passwd", "to_parent/secret.txt",
                         "to_secret", "deep/up/secret.txt", "deep/../../secret.txt", "./../secret.txt", NULL};
  for (int i = 0; reads[i]; i++) { try_open(reads[i], 1, 0); try_stat(reads[i], 1); }
  try_open("to_secret", 0, 0);
  try_open("inside", 1, 0);
  try_open("deep/../in.txt", 1, 0);
  /* creation outside */
  try_open("../created.txt", 1, 1);
  try_open("to_parent/created.txt", 1, 1);
  const char *dirs[] = {"../newdir", "to_parent/newdir", "/tmp/wk-newdir", NULL};
  for (int i = 0; dirs[i]; i++)
    printf("mkdir %-22s: errno %d\n", dirs[i], __wasi_path_create_directory(root, dirs[i]));
  printf("rename in.txt -> ../moved.txt: errno %d\n", __wasi_path_rename(root, "in.txt", root, "../moved.txt"));
  printf("link in.txt -> to_parent/linked.txt: errno %d\n", __wasi_path_link(root, 0, "in.txt", root, "to_parent/linked.txt"));
  printf("unlink ../secret.txt: errno %d\n", __wasi_path_unlink_file(root, "../secret.txt"));
  printf("symlink ../x in to_parent: errno %d\n", __wasi_path_symlink("x", root, "to_parent/x"));
  printf("rmdir ../emptydir: errno %d\n", __wasi_path_remove_directory(root, "../emptydir"));
  printf("rmdir to_parent/emptydir: errno %d\n", __wasi_path_remove_directory(root, "to_parent/emptydir"));
  printf("utimes ../secret.txt: errno %d\n",
         __wasi_path_filestat_set_times(root, 0, "../secret.txt", 0, 0, __WASI_FSTFLAGS_MTIM));
  printf("utimes to_secret (follow): errno %d\n",
         __wasi_path_filestat_set_times(root, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "to_secret", 0, 0, __WASI_FSTFLAGS_MTIM));
  {
    char lb[64];
    __wasi_size_t used;
    printf("readlink to_parent/outlink: errno %d\n", __wasi_path_readlink(root, "to_parent/outlink", (uint8_t *)lb, sizeof lb, &used));
  }
  /* listing outside: open the parent as a directory */
  __wasi_fd_t fd;
  printf("open .. as dir: errno %d\n", __wasi_path_open(root, 0, "..", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, 0, 0, &fd));
  printf("open to_parent as dir (follow): errno %d\n",
         __wasi_path_open(root, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "to_parent", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, 0, 0, &fd));
  printf("open to_etc as dir (follow): errno %d\n",
         __wasi_path_open(root, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "to_etc", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, 0, 0, &fd));
  /* libc view */
  char path[300];
  snprintf(path, sizeof path, "%s/../secret.txt", pre);
  FILE *f = fopen(path, "r");
  printf("libc fopen %s: %s\n", "PRE/../secret.txt", f ? "OPENED" : "refused");
  f = fopen("/etc/passwd", "r");
  printf("libc fopen /etc/passwd: %s\n", f ? "OPENED" : "refused");
  return 0;
}
