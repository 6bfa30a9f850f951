/* Edge cases of the preview1 file-system API, checked against the errno
 * values the witx documentation and POSIX allow (several are allowed where
 * implementations legitimately differ). Raw WASI calls on the preopen named
 * argv[1] (default /sandbox), which must be empty. Prints "ok"/"FAIL" per
 * check and exits 1 if any failed. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "common.h"

static int nfail, nchk;
static void expect(const char *what, int got, int n, ...) {
  va_list ap;
  va_start(ap, n);
  int okk = 0;
  char allowed[128] = "";
  for (int i = 0; i < n; i++) {
    int e = va_arg(ap, int);
    if (e == got) okk = 1;
    snprintf(allowed + strlen(allowed), sizeof allowed - strlen(allowed), "%s%d", i ? "|" : "", e);
  }
  va_end(ap);
  nchk++;
  if (okk) printf("ok   %s\n", what);
  else { nfail++; printf("FAIL %s: errno %d, want %s\n", what, got, allowed); }
}
#define OK(what, e) expect(what, (e), 1, 0)

static int d; /* scratch dir fd */
static __wasi_fd_t fd_;
static int open_(const char *p, int follow, int oflags, __wasi_rights_t base, int fdflags) {
  return __wasi_path_open(d, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, p, oflags, base, 0, fdflags, &fd_);
}
static void mkfile(const char *p, const char *data) {
  if (open_(p, 0, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, __WASI_RIGHTS_FD_WRITE, 0)) { printf("FAIL create %s\n", p); nfail++; return; }
  __wasi_ciovec_t v = {(const uint8_t *)data, strlen(data)};
  __wasi_size_t n;
  if (__wasi_fd_write(fd_, &v, 1, &n)) nfail++;
  if (__wasi_fd_close(fd_)) nfail++;
}

int main(int argc, char **argv) {
  d = find_preopen(argc > 1 ? argv[1] : "/sandbox");
  if (d < 0) { printf("no preopen\n"); return 1; }
  __wasi_filestat_t st;
  __wasi_fdstat_t fs;

  /* ---- paths ---- */
  OK("mkdir dir", __wasi_path_create_directory(d, "dir"));
  OK("mkdir dir/nested", __wasi_path_create_directory(d, "dir/nested"));
  mkfile("dir/nested/file", "0123456789");
  expect("absolute path", open_("/dir/nested/file", 0, 0, 0, 0), 2, __WASI_ERRNO_PERM, __WASI_ERRNO_NOTCAPABLE);
  OK("dotted path", open_("dir/.//nested/../../dir/nested/../nested///./file", 0, 0, 0, 0));
  (void)__wasi_fd_close(fd_);
  expect("file with trailing slash", open_("dir/nested/file/", 0, 0, 0, 0), 2, __WASI_ERRNO_NOTDIR, __WASI_ERRNO_NOENT);
  expect("file with trailing slashes", open_("dir/nested/file///", 0, 0, 0, 0), 2, __WASI_ERRNO_NOTDIR, __WASI_ERRNO_NOENT);
  OK("dir with trailing slash", open_("dir/nested/", 0, 0, 0, 0));
  (void)__wasi_fd_close(fd_);
  expect("too many ..", open_("dir/nested/../../../x/dir/nested/file", 0, 0, 0, 0), 2, __WASI_ERRNO_PERM, __WASI_ERRNO_NOTCAPABLE);
  expect("missing", open_("dir/missing", 0, 0, 0, 0), 1, __WASI_ERRNO_NOENT);
  expect("file as directory", open_("dir/nested/file", 0, __WASI_OFLAGS_DIRECTORY, 0, 0), 1, __WASI_ERRNO_NOTDIR);
  expect("create existing excl", open_("dir/nested/file", 0, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, 0, 0), 1, __WASI_ERRNO_EXIST);
  expect("create a directory name", open_("dir/", 0, __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0), 2, __WASI_ERRNO_ISDIR, __WASI_ERRNO_EXIST);
  /* path_open on a file fd */
  if (open_("dir/nested/file", 0, 0, __WASI_RIGHTS_FD_READ, 0) == 0) {
    __wasi_fd_t f2;
    expect("path_open relative to a file", __wasi_path_open(fd_, 0, "x", 0, 0, 0, 0, &f2), 2, __WASI_ERRNO_NOTDIR, __WASI_ERRNO_NOTCAPABLE);
    (void)__wasi_fd_close(fd_);
  }

  /* ---- opening the preopen itself ---- */
  OK("fdstat of preopen", __wasi_fd_fdstat_get(d, &fs));
  OK("open . with the preopen's own rights", __wasi_path_open(d, 0, ".", 0, fs.fs_rights_base, fs.fs_rights_inheriting, 0, &fd_));
  (void)__wasi_fd_close(fd_);
  OK("open . with no rights", __wasi_path_open(d, 0, ".", 0, 0, 0, 0, &fd_));
  (void)__wasi_fd_close(fd_);
  OK("open . O_DIRECTORY with fd_read", __wasi_path_open(d, 0, ".", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ, 0, 0, &fd_));
  (void)__wasi_fd_close(fd_);
  expect("open . O_DIRECTORY read/write", __wasi_path_open(d, 0, ".", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, 0, &fd_), 1, __WASI_ERRNO_ISDIR);
  {
    static const __wasi_rights_t need_base = __WASI_RIGHTS_PATH_CREATE_DIRECTORY | __WASI_RIGHTS_PATH_CREATE_FILE |
      __WASI_RIGHTS_PATH_LINK_SOURCE | __WASI_RIGHTS_PATH_LINK_TARGET | __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_FD_READDIR |
      __WASI_RIGHTS_PATH_READLINK | __WASI_RIGHTS_PATH_RENAME_SOURCE | __WASI_RIGHTS_PATH_RENAME_TARGET |
      __WASI_RIGHTS_PATH_SYMLINK | __WASI_RIGHTS_PATH_REMOVE_DIRECTORY | __WASI_RIGHTS_PATH_UNLINK_FILE |
      __WASI_RIGHTS_PATH_FILESTAT_GET | __WASI_RIGHTS_PATH_FILESTAT_SET_TIMES | __WASI_RIGHTS_FD_FILESTAT_GET |
      __WASI_RIGHTS_FD_FILESTAT_SET_TIMES;
    static const __wasi_rights_t need_inh = need_base | __WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_READ |
      __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS | __WASI_RIGHTS_FD_SYNC | __WASI_RIGHTS_FD_TELL |
      __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_ADVISE | __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE |
      __WASI_RIGHTS_POLL_FD_READWRITE;
    expect("preopen has the directory base rights", (fs.fs_rights_base & need_base) == need_base ? 0 : 1, 1, 0);
    expect("preopen has the inheriting rights", (fs.fs_rights_inheriting & need_inh) == need_inh ? 0 : 1, 1, 0);
    expect("directory has no fd_seek", fs.fs_rights_base & __WASI_RIGHTS_FD_SEEK ? 1 : 0, 1, 0);
  }
  /* APPEND|SYNC at open: either refused with ENOTSUP or shown by fdstat */
  {
    int e = open_("syncfile", 0, __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, __WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_SYNC);
    expect("open with APPEND|SYNC", e, 2, 0, __WASI_ERRNO_NOTSUP);
    if (e == 0) {
      OK("fdstat of sync file", __wasi_fd_fdstat_get(fd_, &fs));
      expect("fdstat shows APPEND and SYNC", (fs.fs_flags & (__WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_SYNC)) == (__WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_SYNC) ? 0 : 1, 1, 0);
      (void)__wasi_fd_close(fd_);
    }
    OK("unlink syncfile", __wasi_path_unlink_file(d, "syncfile"));
  }
  /* path_filestat_set_times with nanosecond precision */
  mkfile("times", "t");
  OK("stat times", __wasi_path_filestat_get(d, 0, "times", &st));
  {
    __wasi_timestamp_t m = st.mtim - 100;
    OK("path set mtim -100ns", __wasi_path_filestat_set_times(d, 0, "times", 0, m, __WASI_FSTFLAGS_MTIM));
    OK("stat times 2", __wasi_path_filestat_get(d, 0, "times", &st));
    expect("mtim exact to the ns", st.mtim == m ? 0 : 1, 1, 0);
    expect("mtim and mtim_now", __wasi_path_filestat_set_times(d, 0, "times", 0, m, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW), 1, __WASI_ERRNO_INVAL);
    OK("stat times 3", __wasi_path_filestat_get(d, 0, "times", &st));
    expect("mtim untouched by the failed call", st.mtim == m ? 0 : 1, 1, 0);
  }
  OK("unlink times", __wasi_path_unlink_file(d, "times"));

  /* ---- symlinks ---- */
  OK("mkdir target", __wasi_path_create_directory(d, "target"));
  OK("symlink to dir", __wasi_path_symlink("target", d, "symlink"));
  expect("nofollow dir symlink as dir", open_("symlink", 0, __WASI_OFLAGS_DIRECTORY, 0, 0), 2, __WASI_ERRNO_LOOP, __WASI_ERRNO_NOTDIR);
  expect("nofollow symlink", open_("symlink", 0, 0, 0, 0), 2, __WASI_ERRNO_LOOP, __WASI_ERRNO_ACCES);
  OK("follow symlink as dir", open_("symlink", 1, __WASI_OFLAGS_DIRECTORY, 0, 0));
  (void)__wasi_fd_close(fd_);
  OK("lstat symlink", __wasi_path_filestat_get(d, 0, "symlink", &st));
  expect("lstat type", st.filetype == __WASI_FILETYPE_SYMBOLIC_LINK ? 0 : 1, 1, 0);
  OK("stat through symlink/", __wasi_path_filestat_get(d, 0, "symlink/", &st));
  expect("symlink/ is the directory", st.filetype == __WASI_FILETYPE_DIRECTORY ? 0 : 1, 1, 0);
  expect("rmdir symlink/", __wasi_path_remove_directory(d, "symlink/"), 1, __WASI_ERRNO_NOTDIR);
  OK("unlink symlink", __wasi_path_unlink_file(d, "symlink"));
  OK("target still there", __wasi_path_filestat_get(d, 0, "target", &st));
  OK("symlink dangling", __wasi_path_symlink("nowhere", d, "dangling"));
  expect("open dangling nofollow", open_("dangling", 0, 0, 0, 0), 1, __WASI_ERRNO_LOOP);
  expect("open dangling follow", open_("dangling", 1, 0, 0, 0), 1, __WASI_ERRNO_NOENT);
  OK("symlink loop", __wasi_path_symlink("loop", d, "loop"));
  expect("open loop follow", open_("loop", 1, 0, 0, 0), 1, __WASI_ERRNO_LOOP);
  expect("stat loop follow", __wasi_path_filestat_get(d, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "loop", &st), 1, __WASI_ERRNO_LOOP);
  char buf[64];
  __wasi_size_t used;
  OK("readlink", __wasi_path_readlink(d, "dangling", (uint8_t *)buf, sizeof buf, &used));
  expect("readlink contents", used == 7 && !memcmp(buf, "nowhere", 7) ? 0 : 1, 1, 0);
  OK("readlink short buffer", __wasi_path_readlink(d, "dangling", (uint8_t *)buf, 3, &used));
  expect("readlink truncates", used == 3 ? 0 : 1, 1, 0);
  expect("readlink on a file", __wasi_path_readlink(d, "dir/nested/file", (uint8_t *)buf, sizeof buf, &used), 2, __WASI_ERRNO_INVAL, __WASI_ERRNO_NOENT);
  expect("symlink dest with slash (absent)", __wasi_path_symlink("source", d, "new/"), 1, __WASI_ERRNO_NOENT);
  expect("symlink dest with slash (dir)", __wasi_path_symlink("source", d, "target/"), 1, __WASI_ERRNO_EXIST);
  expect("symlink dest exists", __wasi_path_symlink("source", d, "target"), 1, __WASI_ERRNO_EXIST);
  expect("symlink dest with slash (file)", __wasi_path_symlink("source", d, "dir/nested/file/"), 2, __WASI_ERRNO_NOTDIR, __WASI_ERRNO_EXIST);
  OK("unlink dangling", __wasi_path_unlink_file(d, "dangling"));
  OK("unlink loop", __wasi_path_unlink_file(d, "loop"));

  /* ---- unlink / rmdir ---- */
  expect("unlink a dir", __wasi_path_unlink_file(d, "target"), 1, __WASI_ERRNO_ISDIR);
  expect("unlink a dir/", __wasi_path_unlink_file(d, "target/"), 1, __WASI_ERRNO_ISDIR);
  expect("unlink file/", __wasi_path_unlink_file(d, "dir/nested/file/"), 1, __WASI_ERRNO_NOTDIR);
  expect("rmdir a file", __wasi_path_remove_directory(d, "dir/nested/file"), 1, __WASI_ERRNO_NOTDIR);
  expect("rmdir a file/", __wasi_path_remove_directory(d, "dir/nested/file/"), 1, __WASI_ERRNO_NOTDIR);
  expect("rmdir non-empty", __wasi_path_remove_directory(d, "dir"), 1, __WASI_ERRNO_NOTEMPTY);
  OK("rmdir target/", __wasi_path_remove_directory(d, "target/"));
  expect("rmdir .", __wasi_path_remove_directory(d, "."), 3, __WASI_ERRNO_INVAL, __WASI_ERRNO_BUSY, __WASI_ERRNO_NOTEMPTY);

  /* ---- rename ---- */
  OK("mkdir src", __wasi_path_create_directory(d, "src"));
  OK("rename src/ -> dst", __wasi_path_rename(d, "src/", d, "dst"));
  OK("rename dst -> src/", __wasi_path_rename(d, "dst", d, "src/"));
  OK("rename src/ -> dst/", __wasi_path_rename(d, "src/", d, "dst/"));
  mkfile("f1", "one");
  mkfile("f2", "two");
  OK("rename file over file", __wasi_path_rename(d, "f1", d, "f2"));
  expect("rename file onto dir", __wasi_path_rename(d, "f2", d, "dst"), 1, __WASI_ERRNO_ISDIR);
  expect("rename file/ ", __wasi_path_rename(d, "f2/", d, "f3"), 1, __WASI_ERRNO_NOTDIR);
  expect("rename file -> new/", __wasi_path_rename(d, "f2", d, "f3/"), 2, __WASI_ERRNO_NOTDIR, __WASI_ERRNO_NOENT);
  expect("rename dir onto non-empty dir", __wasi_path_rename(d, "dst", d, "dir"), 1, __WASI_ERRNO_NOTEMPTY);
  expect("rename dir onto file", __wasi_path_rename(d, "dst", d, "f2"), 1, __WASI_ERRNO_NOTDIR);
  expect("rename missing", __wasi_path_rename(d, "nope", d, "f4"), 1, __WASI_ERRNO_NOENT);

  /* ---- link ---- */
  OK("link", __wasi_path_link(d, 0, "f2", d, "f2link"));
  expect("link onto existing", __wasi_path_link(d, 0, "f2", d, "f2link"), 1, __WASI_ERRNO_EXIST);
  expect("link to itself", __wasi_path_link(d, 0, "f2", d, "f2"), 1, __WASI_ERRNO_EXIST);
  expect("link onto dir", __wasi_path_link(d, 0, "f2", d, "dst"), 1, __WASI_ERRNO_EXIST);
  expect("link a directory", __wasi_path_link(d, 0, "dst", d, "dstlink"), 2, __WASI_ERRNO_PERM, __WASI_ERRNO_ACCES);
  expect("link dest with slash", __wasi_path_link(d, 0, "f2", d, "new/"), 1, __WASI_ERRNO_NOENT);
  OK("nlink is 2", __wasi_path_filestat_get(d, 0, "f2", &st));
  expect("nlink value", st.nlink == 2 ? 0 : 1, 1, 0);
  OK("unlink f2link", __wasi_path_unlink_file(d, "f2link"));

  /* ---- fds on directories ---- */
  uint8_t b[16];
  __wasi_iovec_t iov = {b, sizeof b};
  __wasi_ciovec_t ciov = {b, sizeof b};
  __wasi_size_t n;
  __wasi_filesize_t pos;
  expect("fd_read on dir", __wasi_fd_read(d, &iov, 1, &n), 3, __WASI_ERRNO_ISDIR, __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE);
  expect("fd_write on dir", __wasi_fd_write(d, &ciov, 1, &n), 3, __WASI_ERRNO_ISDIR, __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE);
  expect("fd_pread on dir", __wasi_fd_pread(d, &iov, 1, 0, &n), 3, __WASI_ERRNO_ISDIR, __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE);
  expect("fd_seek on dir", __wasi_fd_seek(d, 0, __WASI_WHENCE_CUR, &pos), 3, __WASI_ERRNO_ISDIR, __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE);
  expect("fd_tell on dir", __wasi_fd_tell(d, &pos), 3, __WASI_ERRNO_ISDIR, __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE);
  expect("fd_allocate on dir", __wasi_fd_allocate(d, 0, 1), 3, __WASI_ERRNO_ISDIR, __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE);
  expect("fd_filestat_set_size on dir", __wasi_fd_filestat_set_size(d, 0), 4, __WASI_ERRNO_ISDIR, __WASI_ERRNO_INVAL, __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE);
  OK("fdstat of dir", __wasi_fd_fdstat_get(d, &fs));
  expect("dir filetype and flags", fs.fs_filetype == __WASI_FILETYPE_DIRECTORY && fs.fs_flags == 0 ? 0 : 1, 1, 0);
  expect("dir lacks fd_filestat_set_size", fs.fs_rights_base & __WASI_RIGHTS_FD_FILESTAT_SET_SIZE ? 1 : 0, 1, 0);
  __wasi_prestat_t ps;
  OK("prestat", __wasi_fd_prestat_get(d, &ps));
  expect("prestat_dir_name len 0", __wasi_fd_prestat_dir_name(d, (uint8_t *)buf, 0), 2, __WASI_ERRNO_INVAL, __WASI_ERRNO_NAMETOOLONG);
  OK("prestat_dir_name bigger buffer", __wasi_fd_prestat_dir_name(d, (uint8_t *)buf, ps.u.dir.pr_name_len + 1));
  expect("prestat of stdout", __wasi_fd_prestat_get(1, &ps), 1, __WASI_ERRNO_BADF);

  /* ---- files: seek, append, pread/pwrite, truncate, times ---- */
  if (open_("data", 0, __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK |
            __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS | __WASI_RIGHTS_FD_FILESTAT_GET |
            __WASI_RIGHTS_FD_FILESTAT_SET_SIZE | __WASI_RIGHTS_FD_FILESTAT_SET_TIMES | __WASI_RIGHTS_FD_ADVISE |
            __WASI_RIGHTS_FD_ALLOCATE, __WASI_FDFLAGS_APPEND) == 0) {
    __wasi_fd_t f = fd_;
    memset(b, 'a', sizeof b);
    OK("append write", __wasi_fd_write(f, &ciov, 1, &n));
    OK("seek 0", __wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos));
    memset(b, 'b', sizeof b);
    OK("append write after seek", __wasi_fd_write(f, &ciov, 1, &n));
    OK("filestat", __wasi_fd_filestat_get(f, &st));
    expect("append went to the end (size 32)", st.size == 32 ? 0 : 1, 1, 0);
    OK("fdstat", __wasi_fd_fdstat_get(f, &fs));
    expect("fdstat shows append", fs.fs_flags & __WASI_FDFLAGS_APPEND ? 0 : 1, 1, 0);
    OK("clear append", __wasi_fd_fdstat_set_flags(f, 0));
    OK("seek 0 again", __wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos));
    memset(b, 'c', sizeof b);
    OK("overwrite", __wasi_fd_write(f, &ciov, 1, &n));
    OK("filestat 2", __wasi_fd_filestat_get(f, &st));
    expect("size still 32", st.size == 32 ? 0 : 1, 1, 0);
    OK("tell", __wasi_fd_tell(f, &pos));
    expect("tell is 16", pos == 16 ? 0 : 1, 1, 0);
    OK("seek end -4", __wasi_fd_seek(f, -4, __WASI_WHENCE_END, &pos));
    expect("seek end pos 28", pos == 28 ? 0 : 1, 1, 0);
    expect("seek before start", __wasi_fd_seek(f, -100, __WASI_WHENCE_CUR, &pos), 1, __WASI_ERRNO_INVAL);
    OK("pread at 16", __wasi_fd_pread(f, &iov, 1, 16, &n));
    expect("pread data", n == 16 && b[0] == 'b' ? 0 : 1, 1, 0);
    OK("tell unchanged by pread", __wasi_fd_tell(f, &pos));
    expect("tell still 28", pos == 28 ? 0 : 1, 1, 0);
    OK("pwrite past end", __wasi_fd_pwrite(f, &ciov, 1, 40, &n));
    OK("filestat 3", __wasi_fd_filestat_get(f, &st));
    expect("size 56 after pwrite", st.size == 56 ? 0 : 1, 1, 0);
    OK("set size 10", __wasi_fd_filestat_set_size(f, 10));
    OK("filestat 4", __wasi_fd_filestat_get(f, &st));
    expect("size 10", st.size == 10 ? 0 : 1, 1, 0);
    OK("set times", __wasi_fd_filestat_set_times(f, 1000000000ull * 5, 1000000000ull * 7, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
    OK("filestat 5", __wasi_fd_filestat_get(f, &st));
    expect("times set", st.mtim == 7000000000ull && st.atim == 5000000000ull ? 0 : 1, 1, 0);
    expect("atim and atim_now", __wasi_fd_filestat_set_times(f, 0, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW), 1, __WASI_ERRNO_INVAL);
    expect("mtim and mtim_now", __wasi_fd_filestat_set_times(f, 0, 0, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW), 1, __WASI_ERRNO_INVAL);
    expect("path atim and atim_now", __wasi_path_filestat_set_times(d, 0, "data", 0, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW), 1, __WASI_ERRNO_INVAL);
    OK("path set mtime now", __wasi_path_filestat_set_times(d, 0, "data", 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
    OK("advise", __wasi_fd_advise(f, 0, 10, __WASI_ADVICE_SEQUENTIAL));
    expect("advise bad", __wasi_fd_advise(f, 0, 10, 99), 1, __WASI_ERRNO_INVAL);
    expect("allocate", __wasi_fd_allocate(f, 0, 100), 2, 0, __WASI_ERRNO_NOTSUP);
    /* rights: drop write, then writing fails */
    OK("drop write right", __wasi_fd_fdstat_set_rights(f, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK, 0));
    expect("write without right", __wasi_fd_write(f, &ciov, 1, &n), 2, __WASI_ERRNO_NOTCAPABLE, __WASI_ERRNO_BADF);
    expect("cannot regain a right", __wasi_fd_fdstat_set_rights(f, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0), 1, __WASI_ERRNO_NOTCAPABLE);
    OK("close", __wasi_fd_close(f));
    expect("close twice", __wasi_fd_close(f), 1, __WASI_ERRNO_BADF);
  } else { nfail++; printf("FAIL open data\n"); }

  /* truncation needs path_filestat_set_size on the directory */
  OK("trunc open", open_("data", 0, __WASI_OFLAGS_TRUNC, 0, 0));
  (void)__wasi_fd_close(fd_);
  OK("stat after trunc", __wasi_path_filestat_get(d, 0, "data", &st));
  expect("truncated to 0", st.size == 0 ? 0 : 1, 1, 0);

  /* ---- renumber ---- */
  __wasi_fd_t a, bfd;
  if (__wasi_path_open(d, 0, "f2", 0, __WASI_RIGHTS_FD_READ, 0, 0, &a) == 0 &&
      __wasi_path_open(d, 0, "data", 0, __WASI_RIGHTS_FD_READ, 0, 0, &bfd) == 0) {
    OK("renumber", __wasi_fd_renumber(a, bfd));
    expect("from is closed", __wasi_fd_close(a), 1, __WASI_ERRNO_BADF);
    expect("renumber to closed fd", __wasi_fd_renumber(bfd, a), 1, __WASI_ERRNO_BADF);
    OK("read renumbered", __wasi_fd_read(bfd, &iov, 1, &n));
    expect("it is f2", n == 3 && !memcmp(b, "one", 3) ? 0 : 1, 1, 0);
    OK("close renumbered", __wasi_fd_close(bfd));
  } else { nfail++; printf("FAIL renumber opens\n"); }

  /* ---- readdir with cookies ---- */
  OK("mkdir rd", __wasi_path_create_directory(d, "rd"));
  for (int i = 0; i < 300; i++) {
    char nm[64];
    snprintf(nm, sizeof nm, "rd/entry-%03d", i);
    mkfile(nm, "");
  }
  if (__wasi_path_open(d, 0, "rd", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, 0, 0, &a) == 0) {
    uint8_t rbuf[256];
    __wasi_dircookie_t cookie = 0;
    int total = 0, dots = 0, calls = 0;
    for (;;) {
      if (__wasi_fd_readdir(a, rbuf, sizeof rbuf, cookie, &used)) { nfail++; printf("FAIL readdir\n"); break; }
      calls++;
      size_t at = 0;
      while (at + sizeof(__wasi_dirent_t) <= used) {
        __wasi_dirent_t de;
        memcpy(&de, rbuf + at, sizeof de);
        if (at + sizeof de + de.d_namlen > used) break;
        const char *nm = (const char *)rbuf + at + sizeof de;
        if ((de.d_namlen == 1 && nm[0] == '.') || (de.d_namlen == 2 && nm[0] == '.' && nm[1] == '.')) dots++;
        total++;
        cookie = de.d_next;
        at += sizeof de + de.d_namlen;
      }
      if (used < sizeof rbuf) break;
      if (calls > 10000) break;
    }
    expect("readdir sees 300 entries + . and ..", total == 302 && dots == 2 ? 0 : 1, 1, 0);
    if (total != 302) printf("     (saw %d entries, %d dots)\n", total, dots);
    (void)__wasi_fd_close(a);
  }
  /* ---- misc ---- */
  expect("clock bad id", __wasi_clock_time_get(99, 0, &pos), 1, __WASI_ERRNO_INVAL);
  OK("sched_yield", __wasi_sched_yield());
  expect("sock_shutdown on a file descriptor that is not a socket", __wasi_sock_shutdown(d, __WASI_SDFLAGS_RD), 2, __WASI_ERRNO_NOTSOCK, __WASI_ERRNO_NOTSUP);
  expect("sock_shutdown bad fd", __wasi_sock_shutdown(77, __WASI_SDFLAGS_RD), 1, __WASI_ERRNO_BADF);
  expect("fd_close bad fd", __wasi_fd_close(77), 1, __WASI_ERRNO_BADF);
  printf("edge: %d checks, %d failed\n", nchk, nfail);
  return nfail ? 1 : 0;
}
