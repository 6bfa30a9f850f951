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

/* ---- the context (shared by preview1 wasi.c, 0.2 wasi2.c, p1link.c) ---- */
#include <stddef.h>
#include <sys/stat.h>
#include <time.h>
#include "component/component.h"
#include "wasi/wasi.h"

/* filetype */
enum { FT_UNKNOWN, FT_BLOCK, FT_CHAR, FT_DIR, FT_REG, FT_SOCK_DGRAM, FT_SOCK_STREAM, FT_SYMLINK };
typedef struct dent {
  char *name;
  uint64_t ino;
  uint8_t type;
} dent;

typedef struct wfd {
  int used;
  int host;          /* host fd */
  int own;           /* close host on fd_close / free (not for stdio) */
  uint8_t filetype;
  int readonly;      /* derived from a read-only preopen */
  uint64_t base, inh; /* rights */
  char *preopen;     /* guest name if this is a preopened directory */
  dent *ents;        /* cached listing for fd_readdir */
  size_t nents;
} wfd;

struct wk_wasi {
  wfd *fds;
  size_t nfds;
  char **args;
  size_t nargs;
  char **env;
  size_t nenv;
  int use_openat2;
  int stdio_host[3], stdio_fl[3]; /* stdio host fds and their F_GETFL flags, restored at free */
  int exit_code;
  unsigned net_grants; /* WASI 0.2 sockets: WK_WASI_NET_* (wasi2.h) */
  struct wk_p2 *p2;   /* WASI 0.2 resource table (wasi2.c), NULL until wk_wasi_p2_define */
  void *p1_binds;     /* wk_wasi_p1_define's bindings (p1link.c) */
  char trap[256];
};


/* Free the 0.2 state of w (wasi2.c; no-op when there is none). */
void wk_p2_state_free(wk_wasi *w);

/*
 * Path operations shared by preview1 and 0.2 (one sandbox, wasi.c): `dir` is
 * a host directory fd, `o2` whether openat2 is used, `path` a NUL-terminated
 * guest path. Each resolves through wk_sb_resolve_parent and applies the
 * trailing-slash rules; returns a preview1 errno (0 on success).
 */
int wk_at_mkdir(int dir, int o2, const char *path);
int wk_at_rmdir(int dir, int o2, const char *path);
int wk_at_unlink(int dir, int o2, const char *path);
int wk_at_stat(int dir, int o2, const char *path, int follow, struct stat *st);
int wk_at_utimes(int dir, int o2, const char *path, int follow, const struct timespec ts[2]);
int wk_at_link(int odir, const char *op, int follow, int ndir, const char *np, int o2);
int wk_at_rename(int odir, const char *op, int ndir, const char *np, int o2);
int wk_at_symlink(const char *target, int dir, const char *path, int o2);
/* *len = bytes of the target written to out (at most cap; truncated). */
int wk_at_readlink(int dir, int o2, const char *path, char *out, size_t cap, size_t *len);

/* The WIT types of the 0.2 interfaces the host defines, as one world in binary
 * form (wit-component's component-type payload), generated at build time from
 * lib/wasi/wit/host.wit (world `host`) over npm jco's WASI 0.2.12 WIT into
 * $(BUILD)/gen/wasi_types.c by scripts/gen-wasi2-types.c; declared to the
 * component linker by wk_wasi_p2_define so imports are type-checked. Length 0
 * (both tables) when the build had no WASI WIT: nothing is declared. */
extern const unsigned char wk_wasi_p2_types[];
extern const size_t wk_wasi_p2_types_len;
/* and the fingerprints of its functions, sorted (lib/component wk_comp_types_hashes) */
extern const wk_comp_type_hash wk_wasi_p2_type_hashes[];
extern const size_t wk_wasi_p2_type_hashes_len;
/* The same for wasi:http/types and wasi:http/outgoing-handler (world `http`),
 * declared by wk_http_define. */
extern const unsigned char wk_wasi_http_types[];
extern const size_t wk_wasi_http_types_len;
extern const wk_comp_type_hash wk_wasi_http_type_hashes[];
extern const size_t wk_wasi_http_type_hashes_len;

#endif
