/* lib/wasi internal: the path sandbox (sandbox.c) and errno mapping. */
#ifndef WK_WASI_INTERNAL_H
#define WK_WASI_INTERNAL_H
#include <stdint.h>
#include <sys/types.h>

#define WK_SB_PATH_MAX 4096   /* longest guest path accepted (ENAMETOOLONG beyond) */
#define WK_SB_SYMLINK_MAX 40  /* symlink expansions per resolution (ELOOP beyond), as Linux */
#define WK_SB_DEPTH_MAX 256   /* directory depth of the fallback walk (ENAMETOOLONG beyond) */

/* Map a host errno value to a preview1 errno. */
uint16_t wk_sb_errno(int host_errno);

/* 1 if the kernel implements openat2 with RESOLVE_BENEATH (probed once). */
int wk_sb_have_openat2(void);

/*
 * Resolve `path` (NUL-terminated guest path) beneath directory fd `dirfd`:
 * open the directory holding its last component (O_PATH, caller closes
 * *parent) and copy that component into `name` (size >= 256). When the last
 * component is "." or ".." (or the path is a bare "."), *parent is the
 * directory the whole path names and name is ".". With follow_last, a
 * symlink in the last position is expanded (beneath dirfd again).
 * A trailing '/' sets *must_dir; the caller applies the POSIX rules (the
 * last component must then be a directory; path_open and stat follow it).
 * Returns a preview1 errno: ENOTCAPABLE for any escape (absolute path, `..`
 * past dirfd, symlink leading outside), ELOOP after WK_SB_SYMLINK_MAX links.
 */
int wk_sb_resolve_parent(int dirfd, const char *path, int follow_last, int use_openat2, int *parent,
                         char *name, int *must_dir);

/*
 * Open `path` beneath dirfd with open(2) `flags` (O_CLOEXEC added; O_NOFOLLOW
 * added unless `follow`) and `mode` (used with O_CREAT). Returns a preview1
 * errno; *out is the new host fd on success.
 */
int wk_sb_open(int dirfd, const char *path, int flags, mode_t mode, int follow, int use_openat2, int *out);

#endif
