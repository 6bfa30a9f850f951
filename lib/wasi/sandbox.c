/*
 * lib/wasi/sandbox.c — resolve guest paths beneath a directory fd without
 * ever leaving it.
 *
 * Two implementations of "open directory D beneath root R":
 *  - openat2(R, D, O_PATH|O_DIRECTORY, RESOLVE_BENEATH|RESOLVE_NO_MAGICLINKS)
 *    where the kernel has it (Linux >= 5.6; probed at run time through
 *    syscall(SYS_openat2) so the binary also runs on older kernels). The
 *    kernel refuses absolute paths, `..` above R and symlinks leading out
 *    with EXDEV, which we report as ENOTCAPABLE.
 *  - a walk, one component at a time: each step is openat(cur, comp,
 *    O_PATH|O_DIRECTORY|O_NOFOLLOW), so the kernel never follows a link for
 *    us; a symlink is read with readlinkat and its (relative) target spliced
 *    in front of the remaining path; `..` pops a stack of the fds walked
 *    through, and popping past R is ENOTCAPABLE. An absolute symlink target
 *    is ENOTCAPABLE. At most WK_SB_SYMLINK_MAX expansions (ELOOP).
 * The last component is always handled by the caller relative to the parent
 * fd with "at" calls that do not follow it (AT_SYMLINK_NOFOLLOW, O_NOFOLLOW),
 * or expanded here by the same rules when the operation follows symlinks.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "wasi/internal.h"
#include "wasi/wasi.h"

uint16_t wk_sb_errno(int e) {
  switch (e) {
  case 0: return 0;
  case E2BIG: return 1;
  case EACCES: return 2;
  case EADDRINUSE: return 3;
  case EADDRNOTAVAIL: return 4;
  case EAFNOSUPPORT: return 5;
  case EAGAIN: return 6;
  case EALREADY: return 7;
  case EBADF: return 8;
  case EBADMSG: return 9;
  case EBUSY: return 10;
  case ECANCELED: return 11;
  case ECHILD: return 12;
  case ECONNABORTED: return 13;
  case ECONNREFUSED: return 14;
  case ECONNRESET: return 15;
  case EDEADLK: return 16;
  case EDESTADDRREQ: return 17;
  case EDOM: return 18;
  case EDQUOT: return 19;
  case EEXIST: return 20;
  case EFAULT: return 21;
  case EFBIG: return 22;
  case EHOSTUNREACH: return 23;
  case EIDRM: return 24;
  case EILSEQ: return 25;
  case EINPROGRESS: return 26;
  case EINTR: return 27;
  case EINVAL: return 28;
  case EIO: return 29;
  case EISCONN: return 30;
  case EISDIR: return 31;
  case ELOOP: return 32;
  case EMFILE: return 33;
  case EMLINK: return 34;
  case EMSGSIZE: return 35;
  case EMULTIHOP: return 36;
  case ENAMETOOLONG: return 37;
  case ENETDOWN: return 38;
  case ENETRESET: return 39;
  case ENETUNREACH: return 40;
  case ENFILE: return 41;
  case ENOBUFS: return 42;
  case ENODEV: return 43;
  case ENOENT: return 44;
  case ENOEXEC: return 45;
  case ENOLCK: return 46;
  case ENOLINK: return 47;
  case ENOMEM: return 48;
  case ENOMSG: return 49;
  case ENOPROTOOPT: return 50;
  case ENOSPC: return 51;
  case ENOSYS: return 52;
  case ENOTCONN: return 53;
  case ENOTDIR: return 54;
  case ENOTEMPTY: return 55;
  case ENOTRECOVERABLE: return 56;
  case ENOTSOCK: return 57;
  case ENOTSUP: return 58; /* == EOPNOTSUPP on Linux */
  case ENOTTY: return 59;
  case ENXIO: return 60;
  case EOVERFLOW: return 61;
  case EOWNERDEAD: return 62;
  case EPERM: return 63;
  case EPIPE: return 64;
  case EPROTO: return 65;
  case EPROTONOSUPPORT: return 66;
  case EPROTOTYPE: return 67;
  case ERANGE: return 68;
  case EROFS: return 69;
  case ESPIPE: return 70;
  case ESRCH: return 71;
  case ESTALE: return 72;
  case ETIMEDOUT: return 73;
  case ETXTBSY: return 74;
  case EXDEV: return 76; /* only openat2's RESOLVE_BENEATH produces it for lookups: an escape */
  default: return 29;    /* EIO */
  }
}

static long sys_openat2(int dirfd, const char *path, struct open_how *how) {
#ifdef SYS_openat2
  return syscall(SYS_openat2, dirfd, path, how, sizeof *how);
#else
  (void)dirfd; (void)path; (void)how;
  errno = ENOSYS;
  return -1;
#endif
}

int wk_sb_have_openat2(void) {
  static int probed = -1; /* benign race: every thread computes the same value */
  if (probed < 0) {
    struct open_how how = {.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
                           .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
    long fd = sys_openat2(AT_FDCWD, ".", &how);
    if (fd >= 0) { close((int)fd); probed = 1; }
    else probed = (errno == ENOSYS || errno == EINVAL || errno == EPERM) ? 0 : 1;
  }
  return probed;
}

/* openat2 beneath dirfd, retrying the EAGAIN the kernel returns when a rename
 * raced with a RESOLVE_BENEATH lookup. */
static int openat2_beneath(int dirfd, const char *path, int flags, mode_t mode, int *out) {
  struct open_how how = {.flags = (uint64_t)(flags | O_CLOEXEC),
                         .mode = ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) ? mode : 0,
                         .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
  for (int tries = 0; tries < 16; tries++) {
    long fd = sys_openat2(dirfd, path, &how);
    if (fd >= 0) { *out = (int)fd; return 0; }
    if (errno != EAGAIN) return wk_sb_errno(errno);
  }
  return WK_WASI_EAGAIN;
}

/* Walk `path` (relative) beneath dirfd, component by component, to an
 * O_PATH directory fd. `*links` counts symlink expansions. */
static int walk_dir(int dirfd, const char *path, int *links, int *out) {
  int stack[WK_SB_DEPTH_MAX];
  int depth = 0; /* stack[0..depth-1] are owned fds; dirfd itself is the root */
  char *buf = malloc(2 * WK_SB_PATH_MAX + 2);
  char *tmp = malloc(2 * WK_SB_PATH_MAX + 2);
  int rc = 0;
  if (!buf || !tmp) { free(buf); free(tmp); return WK_WASI_ENOMEM; }
  if (path[0] == '/') { rc = WK_WASI_ENOTCAPABLE; goto done; }
  size_t plen = strlen(path);
  if (plen > WK_SB_PATH_MAX) { rc = WK_WASI_ENAMETOOLONG; goto done; }
  memcpy(buf, path, plen + 1);
  char *rest = buf;
  while (*rest) {
    while (*rest == '/') rest++;
    if (!*rest) break;
    char *slash = strchr(rest, '/');
    size_t clen = slash ? (size_t)(slash - rest) : strlen(rest);
    char comp[256];
    if (clen > 255) { rc = WK_WASI_ENAMETOOLONG; goto done; }
    memcpy(comp, rest, clen);
    comp[clen] = 0;
    rest += clen;
    int cur = depth ? stack[depth - 1] : dirfd;
    if (!strcmp(comp, ".")) continue;
    if (!strcmp(comp, "..")) {
      if (depth == 0) { rc = WK_WASI_ENOTCAPABLE; goto done; } /* `..` past the root */
      close(stack[--depth]);
      continue;
    }
    int fd = openat(cur, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
      if (depth == WK_SB_DEPTH_MAX) { close(fd); rc = WK_WASI_ENAMETOOLONG; goto done; }
      stack[depth++] = fd;
      continue;
    }
    int e = errno;
    if (e != ENOTDIR && e != ELOOP) { rc = wk_sb_errno(e); goto done; }
    /* Not a directory: a symlink to expand, or really not a directory. */
    ssize_t n = readlinkat(cur, comp, tmp, WK_SB_PATH_MAX + 1);
    if (n < 0) { rc = WK_WASI_ENOTDIR; goto done; }
    if (n > WK_SB_PATH_MAX) { rc = WK_WASI_ENAMETOOLONG; goto done; }
    if (++*links > WK_SB_SYMLINK_MAX) { rc = WK_WASI_ELOOP; goto done; }
    if (n == 0) { rc = WK_WASI_ENOENT; goto done; }
    if (tmp[0] == '/') { rc = WK_WASI_ENOTCAPABLE; goto done; } /* absolute link: outside */
    size_t rlen = strlen(rest);
    if ((size_t)n + 1 + rlen > WK_SB_PATH_MAX) { rc = WK_WASI_ENAMETOOLONG; goto done; }
    tmp[n] = '/';
    memcpy(tmp + n + 1, rest, rlen + 1);
    memcpy(buf, tmp, (size_t)n + 1 + rlen + 1);
    rest = buf;
  }
  {
    int cur = depth ? stack[depth - 1] : dirfd;
    int fd = openat(cur, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) rc = wk_sb_errno(errno);
    else *out = fd;
  }
done:
  while (depth > 0) close(stack[--depth]);
  free(buf);
  free(tmp);
  return rc;
}

static int open_dir_beneath(int dirfd, const char *dirpath, int use_openat2, int *links, int *out) {
  if (dirpath[0] == '/') return WK_WASI_ENOTCAPABLE;
  if (use_openat2) return openat2_beneath(dirfd, dirpath[0] ? dirpath : ".", O_PATH | O_DIRECTORY, 0, out);
  return walk_dir(dirfd, dirpath, links, out);
}

int wk_sb_resolve_parent(int dirfd, const char *path, int follow_last, int use_openat2, int *parent,
                         char *name, int *must_dir) {
  size_t len = strlen(path);
  if (len == 0) return WK_WASI_ENOENT;
  if (len > WK_SB_PATH_MAX) return WK_WASI_ENAMETOOLONG;
  if (path[0] == '/') return WK_WASI_ENOTCAPABLE;
  char *buf = malloc(2 * WK_SB_PATH_MAX + 2);
  char *lnk = malloc(WK_SB_PATH_MAX + 2);
  if (!buf || !lnk) { free(buf); free(lnk); return WK_WASI_ENOMEM; }
  memcpy(buf, path, len + 1);
  int links = 0, rc;
  *must_dir = 0;
  for (;;) {
    len = strlen(buf);
    /* Trailing slashes: the last component must be a directory (the caller
     * checks; path_open and stat follow it, as POSIX path resolution does). */
    while (len > 1 && buf[len - 1] == '/') { buf[--len] = 0; *must_dir = 1; }
    char *slash = strrchr(buf, '/');
    const char *last = slash ? slash + 1 : buf;
    if (strlen(last) > 255) { rc = WK_WASI_ENAMETOOLONG; break; }
    int pfd;
    if (!strcmp(last, ".") || !strcmp(last, "..")) {
      /* The path names a directory itself: open it (beneath) and name it ".". */
      rc = open_dir_beneath(dirfd, buf, use_openat2, &links, &pfd);
      if (rc) break;
      *parent = pfd;
      strcpy(name, ".");
      rc = 0;
      break;
    }
    char saved[256];
    strcpy(saved, last);
    if (slash) {
      if (slash == buf) { rc = WK_WASI_ENOTCAPABLE; break; }
      *slash = 0;
      rc = open_dir_beneath(dirfd, buf, use_openat2, &links, &pfd);
    } else {
      rc = open_dir_beneath(dirfd, "", use_openat2, &links, &pfd);
    }
    if (rc) break;
    if (follow_last) {
      ssize_t n = readlinkat(pfd, saved, lnk, WK_SB_PATH_MAX + 1);
      if (n >= 0) {
        close(pfd);
        if (n > WK_SB_PATH_MAX) { rc = WK_WASI_ENAMETOOLONG; break; }
        if (++links > WK_SB_SYMLINK_MAX) { rc = WK_WASI_ELOOP; break; }
        if (n == 0) { rc = WK_WASI_ENOENT; break; }
        lnk[n] = 0;
        if (lnk[0] == '/') { rc = WK_WASI_ENOTCAPABLE; break; }
        /* New path: the link's directory + its target, resolved beneath dirfd again. */
        size_t dlen = slash ? strlen(buf) : 0;
        if (dlen + 1 + (size_t)n + (*must_dir ? 1 : 0) > WK_SB_PATH_MAX) { rc = WK_WASI_ENAMETOOLONG; break; }
        if (slash) { buf[dlen] = '/'; memcpy(buf + dlen + 1, lnk, (size_t)n + 1); }
        else memcpy(buf, lnk, (size_t)n + 1);
        if (*must_dir) strcat(buf, "/");
        continue;
      }
    }
    *parent = pfd;
    strcpy(name, saved);
    rc = 0;
    break;
  }
  free(buf);
  free(lnk);
  return rc;
}

int wk_sb_open(int dirfd, const char *path, int flags, mode_t mode, int follow, int use_openat2, int *out) {
  if (strlen(path) > WK_SB_PATH_MAX) return WK_WASI_ENAMETOOLONG;
  if (path[0] == '/') return WK_WASI_ENOTCAPABLE;
  if (!path[0]) return WK_WASI_ENOENT;
  if (use_openat2) return openat2_beneath(dirfd, path, flags | (follow ? 0 : O_NOFOLLOW), mode, out);
  int parent, must_dir;
  char name[256];
  size_t plen = strlen(path);
  if (path[plen - 1] == '/') follow = 1; /* "link/" names the link's target */
  int rc = wk_sb_resolve_parent(dirfd, path, follow, 0, &parent, name, &must_dir);
  if (rc) return rc;
  if (must_dir) {
    if (flags & O_CREAT) { close(parent); return WK_WASI_EISDIR; } /* open("x/", O_CREAT): as Linux */
    flags |= O_DIRECTORY;
  }
  int fd = openat(parent, name, flags | O_NOFOLLOW | O_CLOEXEC, mode);
  int e = errno;
  close(parent);
  if (fd < 0) return wk_sb_errno(e);
  *out = fd;
  return 0;
}
