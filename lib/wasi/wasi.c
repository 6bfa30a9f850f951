/*
 * lib/wasi/wasi.c — WASI preview1 host functions.
 *
 * Spec: WebAssembly/WASI phases/snapshot/witx/wasi_snapshot_preview1.witx and
 * typenames.witx (layouts, errno, rights); wasi_unstable (phases/old/
 * snapshot_0) for the older ABI. Structure layouts below are the witx ones
 * (little endian, natural alignment); guest pointers need no alignment here
 * because every access goes through ld/st helpers after a bounds check.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "wasi/internal.h"
#include "wasi/wasi.h"

/* ---- rights (typenames.witx `rights`) ---- */
#define R_FD_DATASYNC (1ull << 0)
#define R_FD_READ (1ull << 1)
#define R_FD_SEEK (1ull << 2)
#define R_FD_FDSTAT_SET_FLAGS (1ull << 3)
#define R_FD_SYNC (1ull << 4)
#define R_FD_TELL (1ull << 5)
#define R_FD_WRITE (1ull << 6)
#define R_FD_ADVISE (1ull << 7)
#define R_FD_ALLOCATE (1ull << 8)
#define R_PATH_CREATE_DIRECTORY (1ull << 9)
#define R_PATH_CREATE_FILE (1ull << 10)
#define R_PATH_LINK_SOURCE (1ull << 11)
#define R_PATH_LINK_TARGET (1ull << 12)
#define R_PATH_OPEN (1ull << 13)
#define R_FD_READDIR (1ull << 14)
#define R_PATH_READLINK (1ull << 15)
#define R_PATH_RENAME_SOURCE (1ull << 16)
#define R_PATH_RENAME_TARGET (1ull << 17)
#define R_PATH_FILESTAT_GET (1ull << 18)
#define R_PATH_FILESTAT_SET_SIZE (1ull << 19)
#define R_PATH_FILESTAT_SET_TIMES (1ull << 20)
#define R_FD_FILESTAT_GET (1ull << 21)
#define R_FD_FILESTAT_SET_SIZE (1ull << 22)
#define R_FD_FILESTAT_SET_TIMES (1ull << 23)
#define R_PATH_SYMLINK (1ull << 24)
#define R_PATH_REMOVE_DIRECTORY (1ull << 25)
#define R_PATH_UNLINK_FILE (1ull << 26)
#define R_POLL_FD_READWRITE (1ull << 27)
#define R_SOCK_SHUTDOWN (1ull << 28)
#define R_SOCK_ACCEPT (1ull << 29)
#define R_ALL ((1ull << 30) - 1)

#define FILE_RIGHTS                                                                                      \
  (R_FD_DATASYNC | R_FD_READ | R_FD_SEEK | R_FD_FDSTAT_SET_FLAGS | R_FD_SYNC | R_FD_TELL | R_FD_WRITE |   \
   R_FD_ADVISE | R_FD_ALLOCATE | R_FD_FILESTAT_GET | R_FD_FILESTAT_SET_SIZE | R_FD_FILESTAT_SET_TIMES |   \
   R_POLL_FD_READWRITE)
#define DIR_RIGHTS                                                                                       \
  (R_FD_DATASYNC | R_FD_FDSTAT_SET_FLAGS | R_FD_SYNC | R_FD_ADVISE | R_PATH_CREATE_DIRECTORY |            \
   R_PATH_CREATE_FILE | R_PATH_LINK_SOURCE | R_PATH_LINK_TARGET | R_PATH_OPEN | R_FD_READDIR |           \
   R_PATH_READLINK | R_PATH_RENAME_SOURCE | R_PATH_RENAME_TARGET | R_PATH_FILESTAT_GET |                 \
   R_PATH_FILESTAT_SET_SIZE | R_PATH_FILESTAT_SET_TIMES | R_FD_FILESTAT_GET | R_FD_FILESTAT_SET_TIMES |  \
   R_PATH_SYMLINK | R_PATH_REMOVE_DIRECTORY | R_PATH_UNLINK_FILE | R_POLL_FD_READWRITE)
/* Everything that can change the file system: removed under a read-only preopen. */
#define WRITE_RIGHTS                                                                                     \
  (R_FD_DATASYNC | R_FD_WRITE | R_FD_ALLOCATE | R_FD_FILESTAT_SET_SIZE | R_FD_FILESTAT_SET_TIMES |       \
   R_PATH_CREATE_DIRECTORY | R_PATH_CREATE_FILE | R_PATH_LINK_SOURCE | R_PATH_LINK_TARGET |              \
   R_PATH_RENAME_SOURCE | R_PATH_RENAME_TARGET | R_PATH_FILESTAT_SET_SIZE | R_PATH_FILESTAT_SET_TIMES |  \
   R_PATH_SYMLINK | R_PATH_REMOVE_DIRECTORY | R_PATH_UNLINK_FILE)
/* Rights that need the host file opened for writing (fdatasync works on a
 * read-only fd, and directories carry fd_datasync). */
#define HOST_WRITE_RIGHTS (R_FD_WRITE | R_FD_ALLOCATE | R_FD_FILESTAT_SET_SIZE)

/* fdflags */
#define FDF_APPEND 1
#define FDF_DSYNC 2
#define FDF_NONBLOCK 4
#define FDF_RSYNC 8
#define FDF_SYNC 16
/* oflags */
#define OF_CREAT 1
#define OF_DIRECTORY 2
#define OF_EXCL 4
#define OF_TRUNC 8
/* fstflags */
#define FST_ATIM 1
#define FST_ATIM_NOW 2
#define FST_MTIM 4
#define FST_MTIM_NOW 8

#define MAX_FDS 4096       /* guest fd table size (EMFILE beyond) */
#define MAX_IOVS 1024      /* iovec count per call (EINVAL beyond), as IOV_MAX */
#define MAX_SUBS 4096      /* poll_oneoff subscriptions (EINVAL beyond) */
#define MAX_DIRENTS 1000000 /* entries listed per directory */

/* ---- memory helpers: every guest access goes through these ---- */
typedef struct gmem {
  uint8_t *base;
  size_t len;
} gmem;

static int in_bounds(const gmem *m, uint64_t off, uint64_t n) { return off <= m->len && n <= m->len - off; }
static uint32_t ld32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t ld64(const uint8_t *p) { return (uint64_t)ld32(p) | (uint64_t)ld32(p + 4) << 32; }
static uint16_t ld16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static void st16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void st32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i)); }
static void st64(uint8_t *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i)); }
/* Store a u32/u64 result at a guest pointer; EFAULT if out of bounds. */
static int put32(gmem *m, uint32_t ptr, uint32_t v) {
  if (!in_bounds(m, ptr, 4)) return WK_WASI_EFAULT;
  st32(m->base + ptr, v);
  return 0;
}
static int put64(gmem *m, uint32_t ptr, uint64_t v) {
  if (!in_bounds(m, ptr, 8)) return WK_WASI_EFAULT;
  st64(m->base + ptr, v);
  return 0;
}

/* ---- context ---- */
static char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

static void fd_clear(wfd *f) {
  for (size_t i = 0; i < f->nents; i++) free(f->ents[i].name);
  free(f->ents);
  f->ents = NULL;
  f->nents = 0;
}

static void fd_release(wfd *f) {
  if (f->own && f->host >= 0) close(f->host);
  fd_clear(f);
  free(f->preopen);
  memset(f, 0, sizeof *f);
  f->host = -1;
}

static uint8_t filetype_of(mode_t m) {
  if (S_ISREG(m)) return FT_REG;
  if (S_ISDIR(m)) return FT_DIR;
  if (S_ISCHR(m)) return FT_CHAR;
  if (S_ISBLK(m)) return FT_BLOCK;
  if (S_ISLNK(m)) return FT_SYMLINK;
  if (S_ISSOCK(m)) return FT_SOCK_STREAM;
  return FT_UNKNOWN;
}

/* Lowest free guest fd, growing the table; -1 when full. */
static int fd_alloc(wk_wasi *w) {
  for (size_t i = 0; i < w->nfds; i++)
    if (!w->fds[i].used) return (int)i;
  if (w->nfds >= MAX_FDS) return -1;
  size_t n = w->nfds ? w->nfds * 2 : 8;
  if (n > MAX_FDS) n = MAX_FDS;
  wfd *nf = wk_reallocarray(w->fds, n, sizeof *nf);
  if (!nf) return -1;
  memset(nf + w->nfds, 0, (n - w->nfds) * sizeof *nf);
  for (size_t i = w->nfds; i < n; i++) nf[i].host = -1;
  int r = (int)w->nfds;
  w->fds = nf;
  w->nfds = n;
  return r;
}

/* Guest fd `i` becomes host fd `host` (stdio: not owned). */
static void set_stdio_fd(wfd *f, int host) {
  struct stat st;
  f->used = 1;
  f->host = host;
  f->own = 0;
  f->filetype = fstat(host, &st) == 0 ? filetype_of(st.st_mode) : FT_CHAR;
  /* A terminal cannot seek; wasi-libc's isatty() is "character device
   * without fd_seek/fd_tell rights", so leave those out for a terminal
   * (and only for one: /dev/null is a character device too). */
  f->base = FILE_RIGHTS & (isatty(host) ? ~(R_FD_SEEK | R_FD_TELL) : R_ALL);
  f->inh = 0;
}

wk_wasi *wk_wasi_new(void) {
  wk_wasi *w = wk_calloc(1, sizeof *w);
  if (!w) return NULL;
  w->use_openat2 = wk_sb_have_openat2();
  for (int i = 0; i < 3; i++) w->stdio_host[i] = -1;
  for (int i = 0; i < 3; i++) {
    int fd = fd_alloc(w);
    if (fd != i) { wk_wasi_free(w); return NULL; }
    set_stdio_fd(&w->fds[i], i);
    w->stdio_host[i] = i;
    w->stdio_fl[i] = fcntl(i, F_GETFL);
  }
  return w;
}

int wk_wasi_set_stdio(wk_wasi *w, int in, int out, int err) {
  int host[3] = {in, out, err};
  for (int i = 0; i < 3; i++)
    if ((size_t)i >= w->nfds || !w->fds[i].used || w->fds[i].own) return WK_ERR_USAGE;
  for (int i = 0; i < 3; i++) {
    set_stdio_fd(&w->fds[i], host[i]);
    w->stdio_host[i] = host[i];
    w->stdio_fl[i] = fcntl(host[i], F_GETFL);
  }
  return WK_OK;
}

void wk_wasi_free(wk_wasi *w) {
  if (!w) return;
  wk_p2_state_free(w);
  free(w->p1_binds);
  /* fd_fdstat_set_flags may have set O_APPEND/O_NONBLOCK on the host's stdio,
   * which outlives us (the terminal is shared with the shell): restore. */
  for (int i = 0; i < 3; i++)
    if (w->stdio_host[i] >= 0 && w->stdio_fl[i] >= 0 && fcntl(w->stdio_host[i], F_GETFL) != w->stdio_fl[i])
      fcntl(w->stdio_host[i], F_SETFL, w->stdio_fl[i]);
  for (size_t i = 0; i < w->nfds; i++)
    if (w->fds[i].used) fd_release(&w->fds[i]);
  free(w->fds);
  for (size_t i = 0; i < w->nargs; i++) free(w->args[i]);
  free(w->args);
  for (size_t i = 0; i < w->nenv; i++) free(w->env[i]);
  free(w->env);
  free(w);
}

static int push_str(char ***arr, size_t *n, const char *s) {
  char *d = xstrdup(s);
  char **na = d ? wk_reallocarray(*arr, *n + 1, sizeof *na) : NULL;
  if (!na) { free(d); return WK_ERR_NOMEM; }
  na[(*n)++] = d;
  *arr = na;
  return WK_OK;
}

int wk_wasi_add_arg(wk_wasi *w, const char *arg) { return push_str(&w->args, &w->nargs, arg); }

int wk_wasi_add_env(wk_wasi *w, const char *nv, wk_error *err) {
  const char *eq = strchr(nv, '=');
  if (!eq || eq == nv) return wk_error_set(err, WK_ERR_USAGE, "environment entry '%s' is not NAME=VALUE", nv);
  size_t nl = (size_t)(eq - nv) + 1; /* NAME= */
  for (size_t i = 0; i < w->nenv; i++) {
    if (!strncmp(w->env[i], nv, nl)) { /* a later definition replaces an earlier one */
      char *d = xstrdup(nv);
      if (!d) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
      free(w->env[i]);
      w->env[i] = d;
      return WK_OK;
    }
  }
  if (push_str(&w->env, &w->nenv, nv)) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  return WK_OK;
}

int wk_wasi_preopen(wk_wasi *w, const char *host_path, const char *guest_path, int readonly, wk_error *err) {
  int h = open(host_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (h < 0) return wk_error_set(err, WK_ERR_IO, "cannot open directory '%s': %s", host_path, strerror(errno));
  int fd = fd_alloc(w);
  char *name = xstrdup(guest_path);
  if (fd < 0 || !name) {
    close(h);
    free(name);
    return wk_error_set(err, WK_ERR_NOMEM, "too many preopens");
  }
  wfd *f = &w->fds[fd];
  f->used = 1;
  f->host = h;
  f->own = 1;
  f->filetype = FT_DIR;
  f->readonly = readonly;
  f->base = DIR_RIGHTS & (readonly ? ~WRITE_RIGHTS : R_ALL);
  f->inh = (DIR_RIGHTS | FILE_RIGHTS) & (readonly ? ~WRITE_RIGHTS : R_ALL);
  f->preopen = name;
  return WK_OK;
}

void wk_wasi_set_no_openat2(wk_wasi *w, int on) { w->use_openat2 = on ? 0 : wk_sb_have_openat2(); }
int wk_wasi_uses_openat2(const wk_wasi *w) { return w->use_openat2; }
int wk_wasi_exit_code(const wk_wasi *w) { return w->exit_code; }
const char *wk_wasi_trap_message(const wk_wasi *w) { return w->trap; }

/* ---- fd and path helpers ---- */

/* Look up guest fd with all `rights` in its base set. */
static int get_fd(wk_wasi *w, uint64_t fd, uint64_t rights, wfd **out) {
  if (fd >= w->nfds || !w->fds[fd].used) return WK_WASI_EBADF;
  wfd *f = &w->fds[fd];
  if ((f->base & rights) != rights) return WK_WASI_ENOTCAPABLE;
  *out = f;
  return 0;
}

/* Copy a guest path into a NUL-terminated host string. */
static int get_path(gmem *m, uint32_t ptr, uint32_t len, char *out /* WK_SB_PATH_MAX+1 */) {
  if (!in_bounds(m, ptr, len)) return WK_WASI_EFAULT;
  if (len > WK_SB_PATH_MAX) return WK_WASI_ENAMETOOLONG;
  if (memchr(m->base + ptr, 0, len)) return WK_WASI_EINVAL; /* a NUL inside a path */
  memcpy(out, m->base + ptr, len);
  out[len] = 0;
  return 0;
}

/* A directory fd with `rights`, plus the guest path argument. */
static int dir_path(wk_wasi *w, gmem *m, uint64_t fd, uint64_t rights, uint32_t ptr, uint32_t len, wfd **f,
                    char *path) {
  int rc = get_fd(w, fd, 0, f);
  if (rc) return rc;
  if ((*f)->filetype != FT_DIR) return ((*f)->base & rights) == rights ? WK_WASI_ENOTDIR : WK_WASI_ENOTCAPABLE;
  if (((*f)->base & rights) != rights) return WK_WASI_ENOTCAPABLE;
  return get_path(m, ptr, len, path);
}

static uint64_t ts_ns(struct timespec t) { return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec; }

/* filestat (preview1: 64 bytes; unstable: 56 bytes, nlink u32). */
static int put_filestat(gmem *m, uint32_t ptr, int abi, const struct stat *st) {
  uint32_t size = abi == WK_WASI_UNSTABLE ? 56 : 64;
  if (!in_bounds(m, ptr, size)) return WK_WASI_EFAULT;
  uint8_t *p = m->base + ptr;
  memset(p, 0, size);
  st64(p, (uint64_t)st->st_dev);
  st64(p + 8, (uint64_t)st->st_ino);
  p[16] = filetype_of(st->st_mode);
  if (abi == WK_WASI_UNSTABLE) {
    st32(p + 20, (uint32_t)st->st_nlink);
    st64(p + 24, (uint64_t)st->st_size);
    st64(p + 32, ts_ns(st->st_atim));
    st64(p + 40, ts_ns(st->st_mtim));
    st64(p + 48, ts_ns(st->st_ctim));
  } else {
    st64(p + 24, (uint64_t)st->st_nlink);
    st64(p + 32, (uint64_t)st->st_size);
    st64(p + 40, ts_ns(st->st_atim));
    st64(p + 48, ts_ns(st->st_mtim));
    st64(p + 56, ts_ns(st->st_ctim));
  }
  return 0;
}

/* timespec pair for utimensat from (atim, mtim, fstflags); EINVAL on a
 * contradictory combination (witx: `atim` and `atim_now` both set). */
static int make_times(uint64_t atim, uint64_t mtim, uint32_t fl, struct timespec ts[2]) {
  if (fl & ~(uint32_t)15) return WK_WASI_EINVAL;
  if ((fl & FST_ATIM) && (fl & FST_ATIM_NOW)) return WK_WASI_EINVAL;
  if ((fl & FST_MTIM) && (fl & FST_MTIM_NOW)) return WK_WASI_EINVAL;
  ts[0].tv_sec = 0;
  ts[0].tv_nsec = UTIME_OMIT;
  ts[1] = ts[0];
  if (fl & FST_ATIM_NOW) ts[0].tv_nsec = UTIME_NOW;
  else if (fl & FST_ATIM) { ts[0].tv_sec = (time_t)(atim / 1000000000ull); ts[0].tv_nsec = (long)(atim % 1000000000ull); }
  if (fl & FST_MTIM_NOW) ts[1].tv_nsec = UTIME_NOW;
  else if (fl & FST_MTIM) { ts[1].tv_sec = (time_t)(mtim / 1000000000ull); ts[1].tv_nsec = (long)(mtim % 1000000000ull); }
  return 0;
}

/* Gather guest iovecs (8 bytes each: buf u32, len u32) into host iovecs. */
static int get_iovs(gmem *m, uint32_t iovs, uint32_t n, struct iovec *out) {
  if (n > MAX_IOVS) return WK_WASI_EINVAL;
  if (!in_bounds(m, iovs, (uint64_t)n * 8)) return WK_WASI_EFAULT;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t b = ld32(m->base + iovs + 8 * i), l = ld32(m->base + iovs + 8 * i + 4);
    if (!in_bounds(m, b, l)) return WK_WASI_EFAULT;
    out[i].iov_base = m->base + b;
    out[i].iov_len = l;
  }
  return 0;
}

/* ---- args / environ (witx: args_get, args_sizes_get, environ_*) ---- */
static int strs_sizes(gmem *m, char **v, size_t n, uint32_t pcount, uint32_t psize) {
  uint64_t total = 0;
  for (size_t i = 0; i < n; i++) total += strlen(v[i]) + 1;
  if (total > UINT32_MAX) return WK_WASI_EOVERFLOW;
  int rc = put32(m, pcount, (uint32_t)n);
  return rc ? rc : put32(m, psize, (uint32_t)total);
}
static int strs_get(gmem *m, char **v, size_t n, uint32_t pptrs, uint32_t pbuf) {
  uint64_t total = 0;
  for (size_t i = 0; i < n; i++) total += strlen(v[i]) + 1;
  if (!in_bounds(m, pptrs, (uint64_t)n * 4) || !in_bounds(m, pbuf, total)) return WK_WASI_EFAULT;
  uint32_t at = pbuf;
  for (size_t i = 0; i < n; i++) {
    size_t l = strlen(v[i]) + 1;
    st32(m->base + pptrs + 4 * i, at);
    memcpy(m->base + at, v[i], l);
    at += (uint32_t)l;
  }
  return 0;
}

/* ---- clocks (witx: clock_res_get, clock_time_get) ---- */
static int host_clock(uint32_t id, clockid_t *c) {
  switch (id) {
  case 0: *c = CLOCK_REALTIME; return 0;
  case 1: *c = CLOCK_MONOTONIC; return 0;
  case 2: *c = CLOCK_PROCESS_CPUTIME_ID; return 0;
  case 3: *c = CLOCK_THREAD_CPUTIME_ID; return 0;
  default: return WK_WASI_EINVAL;
  }
}

/* ---- fd_readdir listing ---- */
static int load_dir(wfd *f) {
  fd_clear(f);
  int d = openat(f->host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (d < 0) return wk_sb_errno(errno);
  DIR *dir = fdopendir(d);
  if (!dir) { int e = errno; close(d); return wk_sb_errno(e); }
  size_t cap = 0;
  struct dirent *de;
  int rc = 0;
  errno = 0;
  while ((de = readdir(dir))) {
    if (f->nents >= MAX_DIRENTS) break;
    if (f->nents == cap) {
      size_t nc = cap ? cap * 2 : 32;
      dent *ne = wk_reallocarray(f->ents, nc, sizeof *ne);
      if (!ne) { rc = WK_WASI_ENOMEM; break; }
      f->ents = ne;
      cap = nc;
    }
    dent *e = &f->ents[f->nents];
    e->name = xstrdup(de->d_name);
    if (!e->name) { rc = WK_WASI_ENOMEM; break; }
    e->ino = de->d_ino;
    switch (de->d_type) {
    case DT_REG: e->type = FT_REG; break;
    case DT_DIR: e->type = FT_DIR; break;
    case DT_LNK: e->type = FT_SYMLINK; break;
    case DT_CHR: e->type = FT_CHAR; break;
    case DT_BLK: e->type = FT_BLOCK; break;
    case DT_SOCK: e->type = FT_SOCK_STREAM; break;
    default: {
      struct stat st;
      e->type = fstatat(f->host, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? filetype_of(st.st_mode) : FT_UNKNOWN;
    }
    }
    f->nents++;
  }
  closedir(dir);
  return rc;
}

/* ---- the functions ---- */
typedef struct call {
  wk_wasi *w;
  gmem m;
  int abi;
  const uint64_t *a;
} call;
#define A32(i) ((uint32_t)c->a[i])
#define A64(i) (c->a[i])

static int f_args_get(call *c) { return strs_get(&c->m, c->w->args, c->w->nargs, A32(0), A32(1)); }
static int f_args_sizes_get(call *c) { return strs_sizes(&c->m, c->w->args, c->w->nargs, A32(0), A32(1)); }
static int f_environ_get(call *c) { return strs_get(&c->m, c->w->env, c->w->nenv, A32(0), A32(1)); }
static int f_environ_sizes_get(call *c) { return strs_sizes(&c->m, c->w->env, c->w->nenv, A32(0), A32(1)); }

static int f_clock_res_get(call *c) {
  clockid_t id;
  struct timespec ts;
  int rc = host_clock(A32(0), &id);
  if (rc) return rc;
  if (clock_getres(id, &ts)) return wk_sb_errno(errno);
  return put64(&c->m, A32(1), ts_ns(ts));
}
static int f_clock_time_get(call *c) {
  clockid_t id;
  struct timespec ts;
  int rc = host_clock(A32(0), &id);
  if (rc) return rc;
  if (clock_gettime(id, &ts)) return wk_sb_errno(errno);
  return put64(&c->m, A32(2), ts_ns(ts));
}

static int f_fd_advise(call *c) {
  wfd *f;
  int rc = get_fd(c->w, A32(0), R_FD_ADVISE, &f);
  if (rc) return rc;
  uint32_t adv = A32(3);
  static const int map[] = {POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                            POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
  if (adv > 5) return WK_WASI_EINVAL;
  if ((int64_t)A64(1) < 0 || (int64_t)A64(2) < 0) return WK_WASI_EINVAL;
  if (f->filetype == FT_DIR) return WK_WASI_EBADF;
  int e = posix_fadvise(f->host, (off_t)A64(1), (off_t)A64(2), map[adv]);
  return e == ESPIPE ? 0 : wk_sb_errno(e); /* advice on a pipe is a no-op */
}
static int f_fd_allocate(call *c) {
  wfd *f;
  int rc = get_fd(c->w, A32(0), R_FD_ALLOCATE, &f);
  if (rc) return rc;
  if ((int64_t)A64(1) < 0 || (int64_t)A64(2) <= 0 || A64(1) + A64(2) > (uint64_t)INT64_MAX) return WK_WASI_EINVAL;
  if (f->filetype == FT_DIR) return WK_WASI_EBADF;
  return wk_sb_errno(posix_fallocate(f->host, (off_t)A64(1), (off_t)A64(2)));
}
static int f_fd_close(call *c) {
  wfd *f;
  int rc = get_fd(c->w, A32(0), 0, &f);
  if (rc) return rc;
  fd_release(f);
  return 0;
}
static int f_fd_datasync(call *c) {
  wfd *f;
  int rc = get_fd(c->w, A32(0), R_FD_DATASYNC, &f);
  if (rc) return rc;
  return fdatasync(f->host) ? wk_sb_errno(errno) : 0;
}
static int f_fd_sync(call *c) {
  wfd *f;
  int rc = get_fd(c->w, A32(0), R_FD_SYNC, &f);
  if (rc) return rc;
  return fsync(f->host) ? wk_sb_errno(errno) : 0;
}
static int f_fd_fdstat_get(call *c) {
  wfd *f;
  int rc = get_fd(c->w, A32(0), 0, &f);
  if (rc) return rc;
  if (!in_bounds(&c->m, A32(1), 24)) return WK_WASI_EFAULT;
  int fl = fcntl(f->host, F_GETFL);
  uint16_t flags = 0;
  if (fl >= 0) {
    if (fl & O_APPEND) flags |= FDF_APPEND;
    if (fl & O_NONBLOCK) flags |= FDF_NONBLOCK;
    if ((fl & O_SYNC) == O_SYNC) flags |= FDF_SYNC | FDF_RSYNC;
    else if (fl & O_DSYNC) flags |= FDF_DSYNC;
  }
  uint8_t *p = c->m.base + A32(1);
  memset(p, 0, 24);
  p[0] = f->filetype;
  st16(p + 2, flags);
  st64(p + 8, f->base);
  st64(p + 16, f->inh);
  return 0;
}
static int f_fd_fdstat_set_flags(call *c) {
  wfd *f;
  int rc = get_fd(c->w, A32(0), R_FD_FDSTAT_SET_FLAGS, &f);
  if (rc) return rc;
  uint32_t fl = A32(1);
  if (fl & ~(uint32_t)31) return WK_WASI_EINVAL;
  if (fl & (FDF_DSYNC | FDF_RSYNC | FDF_SYNC)) return WK_WASI_ENOTSUP; /* Linux cannot change these (F_SETFL) */
  int cur = fcntl(f->host, F_GETFL);
  if (cur < 0) return wk_sb_errno(errno);
  cur &= ~(O_APPEND | O_NONBLOCK);
  if (fl & FDF_APPEND) cur |= O_APPEND;
  if (fl & FDF_NONBLOCK) cur |= O_NONBLOCK;
  return fcntl(f->host, F_SETFL, cur) ? wk_sb_errno(errno) : 0;
}
static int f_fd_fdstat_set_rights(call *c) {
  wfd *f;
  int rc = get_fd(c->w, A32(0), 0, &f);
  if (rc) return rc;
  /* Rights can only be dropped (witx: "can only remove rights"). */
  if ((A64(1) & ~f->base) || (A64(2) & ~f->inh)) return WK_WASI_ENOTCAPABLE;
  f->base = A64(1);
  f->inh = A64(2);
  return 0;
}
static int f_fd_filestat_get(call *c) {
  wfd *f;
  struct stat st;
  int rc = get_fd(c->w, A32(0), R_FD_FILESTAT_GET, &f);
  if (rc) return rc;
  if (fstat(f->host, &st)) return wk_sb_errno(errno);
  return put_filestat(&c->m, A32(1), c->abi, &st);
}
static int f_fd_filestat_set_size(call *c) {
  wfd *f;
  int rc = get_fd(c->w, A32(0), R_FD_FILESTAT_SET_SIZE, &f);
  if (rc) return rc;
  if (A64(1) > (uint64_t)INT64_MAX) return WK_WASI_EINVAL;
  return ftruncate(f->host, (off_t)A64(1)) ? wk_sb_errno(errno) : 0;
}
static int f_fd_filestat_set_times(call *c) {
  wfd *f;
  struct timespec ts[2];
  int rc = get_fd(c->w, A32(0), R_FD_FILESTAT_SET_TIMES, &f);
  if (rc) return rc;
  rc = make_times(A64(1), A64(2), A32(3), ts);
  if (rc) return rc;
  return futimens(f->host, ts) ? wk_sb_errno(errno) : 0;
}
static int rw_result(gmem *m, uint32_t ptr, ssize_t n) {
  if (n < 0) return wk_sb_errno(errno);
  return put32(m, ptr, (uint32_t)n);
}
static int f_fd_read(call *c) {
  wfd *f;
  struct iovec iov[MAX_IOVS];
  int rc = get_fd(c->w, A32(0), R_FD_READ, &f);
  if (rc) return rc;
  if (f->filetype == FT_DIR) return WK_WASI_EISDIR;
  if ((rc = get_iovs(&c->m, A32(1), A32(2), iov))) return rc;
  if (!in_bounds(&c->m, A32(3), 4)) return WK_WASI_EFAULT;
  return rw_result(&c->m, A32(3), readv(f->host, iov, (int)A32(2)));
}
static int f_fd_write(call *c) {
  wfd *f;
  struct iovec iov[MAX_IOVS];
  int rc = get_fd(c->w, A32(0), R_FD_WRITE, &f);
  if (rc) return rc;
  if (f->filetype == FT_DIR) return WK_WASI_EISDIR;
  if ((rc = get_iovs(&c->m, A32(1), A32(2), iov))) return rc;
  if (!in_bounds(&c->m, A32(3), 4)) return WK_WASI_EFAULT;
  return rw_result(&c->m, A32(3), writev(f->host, iov, (int)A32(2)));
}
static int f_fd_pread(call *c) {
  wfd *f;
  struct iovec iov[MAX_IOVS];
  int rc = get_fd(c->w, A32(0), R_FD_READ | R_FD_SEEK, &f);
  if (rc) return rc;
  if (f->filetype == FT_DIR) return WK_WASI_EISDIR;
  if ((rc = get_iovs(&c->m, A32(1), A32(2), iov))) return rc;
  if (A64(3) > (uint64_t)INT64_MAX) return WK_WASI_EINVAL;
  if (!in_bounds(&c->m, A32(4), 4)) return WK_WASI_EFAULT;
  return rw_result(&c->m, A32(4), preadv(f->host, iov, (int)A32(2), (off_t)A64(3)));
}
static int f_fd_pwrite(call *c) {
  wfd *f;
  struct iovec iov[MAX_IOVS];
  int rc = get_fd(c->w, A32(0), R_FD_WRITE | R_FD_SEEK, &f);
  if (rc) return rc;
  if (f->filetype == FT_DIR) return WK_WASI_EISDIR;
  if ((rc = get_iovs(&c->m, A32(1), A32(2), iov))) return rc;
  if (A64(3) > (uint64_t)INT64_MAX) return WK_WASI_EINVAL;
  if (!in_bounds(&c->m, A32(4), 4)) return WK_WASI_EFAULT;
  return rw_result(&c->m, A32(4), pwritev(f->host, iov, (int)A32(2), (off_t)A64(3)));
}
static int f_fd_prestat_get(call *c) {
  wfd *f;
  int rc = get_fd(c->w, A32(0), 0, &f);
  if (rc) return rc;
  if (!f->preopen) return WK_WASI_EBADF;
  if (!in_bounds(&c->m, A32(1), 8)) return WK_WASI_EFAULT;
  uint8_t *p = c->m.base + A32(1);
  memset(p, 0, 8);
  p[0] = 0; /* preopentype dir */
  st32(p + 4, (uint32_t)strlen(f->preopen));
  return 0;
}
static int f_fd_prestat_dir_name(call *c) {
  wfd *f;
  int rc = get_fd(c->w, A32(0), 0, &f);
  if (rc) return rc;
  if (!f->preopen) return WK_WASI_EBADF;
  size_t n = strlen(f->preopen);
  if (A32(2) < n) return WK_WASI_ENAMETOOLONG;
  if (!in_bounds(&c->m, A32(1), n)) return WK_WASI_EFAULT;
  memcpy(c->m.base + A32(1), f->preopen, n);
  return 0;
}
static int f_fd_readdir(call *c) {
  wfd *f;
  int rc = get_fd(c->w, A32(0), R_FD_READDIR, &f);
  if (rc) return rc;
  if (f->filetype != FT_DIR) return WK_WASI_ENOTDIR;
  uint32_t buf = A32(1), blen = A32(2);
  uint64_t cookie = A64(3);
  if (!in_bounds(&c->m, buf, blen) || !in_bounds(&c->m, A32(4), 4)) return WK_WASI_EFAULT;
  if (cookie == 0 || !f->ents) {
    if ((rc = load_dir(f))) return rc;
  }
  uint32_t used = 0;
  for (uint64_t i = cookie; i < f->nents && used < blen; i++) {
    dent *e = &f->ents[i];
    size_t nl = strlen(e->name);
    uint8_t hdr[24];
    memset(hdr, 0, sizeof hdr);
    st64(hdr, i + 1);  /* d_next */
    st64(hdr + 8, e->ino);
    st32(hdr + 16, (uint32_t)nl);
    hdr[20] = e->type;
    /* witx: the last entry may be truncated; bufused == buf_len means "maybe more". */
    uint32_t n = blen - used < 24 ? blen - used : 24;
    memcpy(c->m.base + buf + used, hdr, n);
    used += n;
    if (n < 24) break;
    n = blen - used < nl ? blen - used : (uint32_t)nl;
    memcpy(c->m.base + buf + used, e->name, n);
    used += n;
  }
  st32(c->m.base + A32(4), used);
  return 0;
}
static int f_fd_renumber(call *c) {
  wfd *from, *to;
  int rc = get_fd(c->w, A32(0), 0, &from);
  if (rc) return rc;
  if ((rc = get_fd(c->w, A32(1), 0, &to))) return rc;
  if (from == to) return 0;
  fd_release(to);
  *to = *from;
  memset(from, 0, sizeof *from);
  from->host = -1;
  return 0;
}
static int f_fd_seek(call *c) {
  wfd *f;
  int64_t off = (int64_t)A64(1);
  uint32_t wh = A32(2);
  int whence;
  if (c->abi == WK_WASI_UNSTABLE) { /* snapshot 0: cur 0, end 1, set 2 */
    if (wh == 0) whence = SEEK_CUR; else if (wh == 1) whence = SEEK_END; else if (wh == 2) whence = SEEK_SET; else return WK_WASI_EINVAL;
  } else {
    if (wh == 0) whence = SEEK_SET; else if (wh == 1) whence = SEEK_CUR; else if (wh == 2) whence = SEEK_END; else return WK_WASI_EINVAL;
  }
  /* witx: fd_tell suffices for a zero-offset relative seek. */
  uint64_t need = (whence == SEEK_CUR && off == 0) ? R_FD_TELL : R_FD_SEEK;
  int rc = get_fd(c->w, A32(0), 0, &f);
  if (rc) return rc;
  if (!(f->base & (need | R_FD_SEEK))) return WK_WASI_ENOTCAPABLE;
  if (f->filetype == FT_DIR) return WK_WASI_EBADF;
  if (!in_bounds(&c->m, A32(3), 8)) return WK_WASI_EFAULT;
  off_t r = lseek(f->host, (off_t)off, whence);
  if (r < 0) return wk_sb_errno(errno);
  return put64(&c->m, A32(3), (uint64_t)r);
}
static int f_fd_tell(call *c) {
  wfd *f;
  int rc = get_fd(c->w, A32(0), R_FD_TELL, &f);
  if (rc) return rc;
  if (f->filetype == FT_DIR) return WK_WASI_EBADF;
  if (!in_bounds(&c->m, A32(1), 8)) return WK_WASI_EFAULT;
  off_t r = lseek(f->host, 0, SEEK_CUR);
  if (r < 0) return wk_sb_errno(errno);
  return put64(&c->m, A32(1), (uint64_t)r);
}

/* path_* helpers */
typedef struct ppath {
  int parent;
  char name[256];
  int must_dir;
} ppath;
static int resolve_at(int dir, int o2, const char *path, int follow, ppath *p) {
  return wk_sb_resolve_parent(dir, path, follow, o2, &p->parent, p->name, &p->must_dir);
}
static int ends_with_slash(const char *path) {
  size_t n = strlen(path);
  return n > 0 && path[n - 1] == '/';
}
/* The state of a last component named with a trailing slash, without
 * following it (Linux semantics: it must be a directory): 0 = a directory,
 * -1 = does not exist, else an errno (ENOTDIR for a file or symlink). */
static int slash_state(const ppath *p) {
  struct stat st;
  if (fstatat(p->parent, p->name, &st, AT_SYMLINK_NOFOLLOW)) return errno == ENOENT ? -1 : wk_sb_errno(errno);
  return S_ISDIR(st.st_mode) ? 0 : WK_WASI_ENOTDIR;
}
/* Map an errno of a mutating "at" call on a name (EXDEV here is a cross-device
 * rename/link, not an escape). */
static int at_errno(int e) { return e == EXDEV ? WK_WASI_EXDEV : wk_sb_errno(e); }

/* ---- path operations shared by preview1 and 0.2 (internal.h) ---- */
int wk_at_mkdir(int dir, int o2, const char *path) {
  ppath p;
  int rc = resolve_at(dir, o2, path, 0, &p);
  if (rc) return rc;
  rc = mkdirat(p.parent, p.name, 0777) ? at_errno(errno) : 0;
  close(p.parent);
  return rc;
}
int wk_at_rmdir(int dir, int o2, const char *path) {
  ppath p;
  int rc = resolve_at(dir, o2, path, 0, &p);
  if (rc) return rc;
  if (!strcmp(p.name, ".")) rc = WK_WASI_EINVAL;
  else if (p.must_dir && (rc = slash_state(&p)) != 0) rc = rc < 0 ? WK_WASI_ENOENT : rc;
  else rc = unlinkat(p.parent, p.name, AT_REMOVEDIR) ? at_errno(errno) : 0;
  if (rc == WK_WASI_EEXIST) rc = WK_WASI_ENOTEMPTY;
  close(p.parent);
  return rc;
}
int wk_at_unlink(int dir, int o2, const char *path) {
  ppath p;
  int rc = resolve_at(dir, o2, path, 0, &p);
  if (rc) return rc;
  if (!strcmp(p.name, ".")) rc = WK_WASI_EISDIR;
  else if (p.must_dir) {
    rc = slash_state(&p);
    rc = rc < 0 ? WK_WASI_ENOENT : rc == 0 ? WK_WASI_EISDIR : rc;
  } else
    rc = unlinkat(p.parent, p.name, 0) ? at_errno(errno) : 0;
  close(p.parent);
  return rc;
}
int wk_at_stat(int dir, int o2, const char *path, int follow, struct stat *st) {
  ppath p;
  int rc = resolve_at(dir, o2, path, follow || ends_with_slash(path), &p);
  if (rc) return rc;
  rc = fstatat(p.parent, p.name, st, AT_SYMLINK_NOFOLLOW) ? at_errno(errno) : 0;
  close(p.parent);
  if (!rc && p.must_dir && !S_ISDIR(st->st_mode)) rc = WK_WASI_ENOTDIR;
  return rc;
}
int wk_at_utimes(int dir, int o2, const char *path, int follow, const struct timespec ts[2]) {
  ppath p;
  int rc = resolve_at(dir, o2, path, follow || ends_with_slash(path), &p);
  if (rc) return rc;
  if (p.must_dir && (rc = slash_state(&p)) != 0) rc = rc < 0 ? WK_WASI_ENOENT : rc;
  else rc = utimensat(p.parent, p.name, ts, AT_SYMLINK_NOFOLLOW) ? at_errno(errno) : 0;
  close(p.parent);
  return rc;
}
int wk_at_link(int odir, const char *op, int follow, int ndir, const char *np, int o2) {
  ppath po, pn;
  int rc = resolve_at(odir, o2, op, follow, &po);
  if (rc) return rc;
  if ((rc = resolve_at(ndir, o2, np, 0, &pn))) { close(po.parent); return rc; }
  int so = po.must_dir ? slash_state(&po) : 0, sn = pn.must_dir ? slash_state(&pn) : 0;
  if (!strcmp(po.name, ".") || !strcmp(pn.name, ".")) rc = !strcmp(pn.name, ".") ? WK_WASI_EEXIST : WK_WASI_EPERM;
  else if (so) rc = so < 0 ? WK_WASI_ENOENT : so;                     /* "file/" as the source */
  else if (sn) rc = sn < 0 ? WK_WASI_ENOENT : WK_WASI_EEXIST;         /* "new/": no such directory */
  else if (pn.must_dir) rc = WK_WASI_EEXIST;                           /* "dir/" exists */
  else rc = linkat(po.parent, po.name, pn.parent, pn.name, 0) ? at_errno(errno) : 0;
  close(po.parent);
  close(pn.parent);
  return rc;
}
int wk_at_rename(int odir, const char *op, int ndir, const char *np, int o2) {
  ppath po, pn;
  int rc = resolve_at(odir, o2, op, 0, &po);
  if (rc) return rc;
  if ((rc = resolve_at(ndir, o2, np, 0, &pn))) { close(po.parent); return rc; }
  int so = po.must_dir ? slash_state(&po) : 0;
  if (!strcmp(po.name, ".") || !strcmp(pn.name, ".")) rc = WK_WASI_EBUSY;
  else if (so) rc = so < 0 ? WK_WASI_ENOENT : so; /* "file/" as the source */
  else if (pn.must_dir && !po.must_dir) {
    /* "new/" as the destination: only a directory may move there */
    struct stat st;
    if (fstatat(po.parent, po.name, &st, AT_SYMLINK_NOFOLLOW)) rc = at_errno(errno);
    else if (!S_ISDIR(st.st_mode)) rc = WK_WASI_ENOTDIR;
    else rc = renameat(po.parent, po.name, pn.parent, pn.name) ? at_errno(errno) : 0;
  } else
    rc = renameat(po.parent, po.name, pn.parent, pn.name) ? at_errno(errno) : 0;
  close(po.parent);
  close(pn.parent);
  return rc;
}
int wk_at_symlink(const char *target, int dir, const char *path, int o2) {
  ppath p;
  /* An absolute target could never be followed inside the sandbox; refuse it
   * as wasmtime (cap-std) does. */
  if (target[0] == '/') return WK_WASI_EPERM;
  int rc = resolve_at(dir, o2, path, 0, &p);
  if (rc) return rc;
  if (p.must_dir) { /* "link/": ENOENT if absent, else EEXIST (dir) / ENOTDIR (file) */
    rc = slash_state(&p);
    rc = rc < 0 ? WK_WASI_ENOENT : rc == 0 ? WK_WASI_EEXIST : rc;
  } else
    rc = symlinkat(target, p.parent, p.name) ? at_errno(errno) : 0;
  close(p.parent);
  return rc;
}
int wk_at_readlink(int dir, int o2, const char *path, char *out, size_t cap, size_t *len) {
  ppath p;
  int rc = resolve_at(dir, o2, path, 0, &p);
  if (rc) return rc;
  ssize_t n = readlinkat(p.parent, p.name, out, cap);
  rc = n < 0 ? at_errno(errno) : 0;
  close(p.parent);
  if (!rc) *len = (size_t)n;
  return rc;
}

#define O2 (c->w->use_openat2)
static int f_path_create_directory(call *c) {
  wfd *f;
  char path[WK_SB_PATH_MAX + 1];
  int rc = dir_path(c->w, &c->m, A32(0), R_PATH_CREATE_DIRECTORY, A32(1), A32(2), &f, path);
  return rc ? rc : wk_at_mkdir(f->host, O2, path);
}
static int f_path_remove_directory(call *c) {
  wfd *f;
  char path[WK_SB_PATH_MAX + 1];
  int rc = dir_path(c->w, &c->m, A32(0), R_PATH_REMOVE_DIRECTORY, A32(1), A32(2), &f, path);
  return rc ? rc : wk_at_rmdir(f->host, O2, path);
}
static int f_path_unlink_file(call *c) {
  wfd *f;
  char path[WK_SB_PATH_MAX + 1];
  int rc = dir_path(c->w, &c->m, A32(0), R_PATH_UNLINK_FILE, A32(1), A32(2), &f, path);
  return rc ? rc : wk_at_unlink(f->host, O2, path);
}
static int f_path_filestat_get(call *c) {
  wfd *f;
  char path[WK_SB_PATH_MAX + 1];
  struct stat st;
  int rc = dir_path(c->w, &c->m, A32(0), R_PATH_FILESTAT_GET, A32(2), A32(3), &f, path);
  if (rc || (rc = wk_at_stat(f->host, O2, path, A32(1) & 1, &st))) return rc;
  return put_filestat(&c->m, A32(4), c->abi, &st);
}
static int f_path_filestat_set_times(call *c) {
  wfd *f;
  char path[WK_SB_PATH_MAX + 1];
  struct timespec ts[2];
  int rc = dir_path(c->w, &c->m, A32(0), R_PATH_FILESTAT_SET_TIMES, A32(2), A32(3), &f, path);
  if (rc || (rc = make_times(A64(4), A64(5), A32(6), ts))) return rc;
  return wk_at_utimes(f->host, O2, path, A32(1) & 1, ts);
}
static int f_path_link(call *c) {
  wfd *fo, *fn;
  char op[WK_SB_PATH_MAX + 1], np[WK_SB_PATH_MAX + 1];
  int rc = dir_path(c->w, &c->m, A32(0), R_PATH_LINK_SOURCE, A32(2), A32(3), &fo, op);
  if (rc || (rc = dir_path(c->w, &c->m, A32(4), R_PATH_LINK_TARGET, A32(5), A32(6), &fn, np))) return rc;
  return wk_at_link(fo->host, op, A32(1) & 1, fn->host, np, O2);
}
static int f_path_rename(call *c) {
  wfd *fo, *fn;
  char op[WK_SB_PATH_MAX + 1], np[WK_SB_PATH_MAX + 1];
  int rc = dir_path(c->w, &c->m, A32(0), R_PATH_RENAME_SOURCE, A32(1), A32(2), &fo, op);
  if (rc || (rc = dir_path(c->w, &c->m, A32(3), R_PATH_RENAME_TARGET, A32(4), A32(5), &fn, np))) return rc;
  return wk_at_rename(fo->host, op, fn->host, np, O2);
}
static int f_path_symlink(call *c) {
  wfd *f;
  char target[WK_SB_PATH_MAX + 1], path[WK_SB_PATH_MAX + 1];
  int rc = get_path(&c->m, A32(0), A32(1), target);
  if (rc || (rc = dir_path(c->w, &c->m, A32(2), R_PATH_SYMLINK, A32(3), A32(4), &f, path))) return rc;
  return wk_at_symlink(target, f->host, path, O2);
}
static int f_path_readlink(call *c) {
  wfd *f;
  char path[WK_SB_PATH_MAX + 1], out[WK_SB_PATH_MAX + 1];
  int rc = dir_path(c->w, &c->m, A32(0), R_PATH_READLINK, A32(1), A32(2), &f, path);
  if (rc) return rc;
  if (!in_bounds(&c->m, A32(3), A32(4)) || !in_bounds(&c->m, A32(5), 4)) return WK_WASI_EFAULT;
  size_t n = 0;
  if ((rc = wk_at_readlink(f->host, O2, path, out, sizeof out, &n))) return rc;
  uint32_t k = (uint64_t)n < A32(4) ? (uint32_t)n : A32(4); /* truncated to buf_len */
  memcpy(c->m.base + A32(3), out, k);
  st32(c->m.base + A32(5), k);
  return 0;
}
static int f_path_open(call *c) {
  wfd *f;
  char path[WK_SB_PATH_MAX + 1];
  uint32_t dirflags = A32(1), oflags = A32(4), fdflags = A32(7);
  uint64_t base = A64(5), inh = A64(6);
  uint64_t need = R_PATH_OPEN;
  if (oflags & OF_CREAT) need |= R_PATH_CREATE_FILE;
  if (oflags & OF_TRUNC) need |= R_PATH_FILESTAT_SET_SIZE;
  int rc = dir_path(c->w, &c->m, A32(0), need, A32(2), A32(3), &f, path);
  if (rc) return rc;
  if (!in_bounds(&c->m, A32(8), 4)) return WK_WASI_EFAULT;
  if (oflags & ~(uint32_t)15 || fdflags & ~(uint32_t)31) return WK_WASI_EINVAL;
  /* Rights of the new fd come from the directory's inheriting set. Asking
   * for more is not an error (wasi-libc and Rust ask for broad sets and
   * expect the intersection), except asking to write under a read-only
   * preopen, which is refused outright. */
  if (f->readonly && (base & HOST_WRITE_RIGHTS)) return WK_WASI_ENOTCAPABLE;
  /* wasi-libc masks the rights of open(O_WRONLY) with our inheriting set, so
   * a write-only open arrives with neither read nor write rights: refuse it
   * too under a read-only preopen. */
  if (f->readonly && !(oflags & OF_DIRECTORY) && !(base & (R_FD_READ | R_FD_READDIR)))
    return WK_WASI_ENOTCAPABLE;
  base &= f->inh;
  inh &= f->inh;
  int fl = 0;
  if (oflags & OF_DIRECTORY) {
    fl = O_RDONLY | O_DIRECTORY; /* with fd_write: EISDIR below, once it is known to be one */
  } else {
    int r = (base & (R_FD_READ | R_FD_READDIR)) != 0, wr = (base & HOST_WRITE_RIGHTS) != 0;
    if (f->readonly) wr = 0;
    fl = wr ? (r ? O_RDWR : O_WRONLY) : O_RDONLY;
  }
  if (oflags & OF_CREAT) fl |= O_CREAT;
  if (oflags & OF_EXCL) fl |= O_EXCL;
  if (oflags & OF_TRUNC) fl |= O_TRUNC;
  if (fdflags & FDF_APPEND) fl |= O_APPEND;
  if (fdflags & FDF_NONBLOCK) fl |= O_NONBLOCK;
  if (fdflags & FDF_DSYNC) fl |= O_DSYNC;
  if (fdflags & (FDF_SYNC | FDF_RSYNC)) fl |= O_SYNC;
  fl |= O_NOCTTY;
  int slot = fd_alloc(c->w);
  if (slot < 0) return WK_WASI_EMFILE;
  f = &c->w->fds[A32(0)]; /* fd_alloc may have moved the table */
  int h;
  rc = wk_sb_open(f->host, path, fl, 0666, dirflags & 1, c->w->use_openat2, &h);
  if (rc) return rc;
  struct stat st;
  if (fstat(h, &st)) { rc = wk_sb_errno(errno); close(h); return rc; }
  /* A directory cannot be opened for writing (POSIX open(O_DIRECTORY|O_RDWR)). */
  if ((oflags & OF_DIRECTORY) && (base & R_FD_WRITE)) { close(h); return WK_WASI_EISDIR; }
  wfd *n = &c->w->fds[slot];
  memset(n, 0, sizeof *n);
  n->used = 1;
  n->host = h;
  n->own = 1;
  n->filetype = filetype_of(st.st_mode);
  n->readonly = f->readonly;
  n->base = base & (n->filetype == FT_DIR ? DIR_RIGHTS : FILE_RIGHTS);
  n->inh = inh;
  if (n->readonly) { n->base &= ~WRITE_RIGHTS; n->inh &= ~WRITE_RIGHTS; }
  /* A file opened without host write access cannot honour write rights. */
  if (n->filetype != FT_DIR && (fl & O_ACCMODE) == O_RDONLY) n->base &= ~HOST_WRITE_RIGHTS;
  st32(c->m.base + A32(8), (uint32_t)slot);
  return 0;
}

/* poll_oneoff: clocks and fd readiness (witx poll_oneoff; subscription and
 * event layouts from typenames.witx, snapshot-0 subscription for unstable). */
static int f_poll_oneoff(call *c) {
  uint32_t in = A32(0), out = A32(1), n = A32(2);
  int unstable = c->abi == WK_WASI_UNSTABLE;
  uint32_t ssz = unstable ? 56 : 48;
  if (n == 0 || n > MAX_SUBS) return WK_WASI_EINVAL;
  if (!in_bounds(&c->m, in, (uint64_t)n * ssz) || !in_bounds(&c->m, out, (uint64_t)n * 32) ||
      !in_bounds(&c->m, A32(3), 4))
    return WK_WASI_EFAULT;
  struct pollfd *pfds = wk_calloc(n, sizeof *pfds);
  uint32_t *pidx = wk_calloc(n, sizeof *pidx);
  uint8_t *evs = wk_calloc(n, 32);
  int64_t *rels = wk_calloc(n, sizeof *rels);
  if (!pfds || !pidx || !evs || !rels) { free(pfds); free(pidx); free(evs); free(rels); return WK_WASI_ENOMEM; }
  uint32_t nev = 0, npfd = 0;
  int64_t min_to = -1; /* ns until the earliest clock */
  struct timespec now;
  for (uint32_t i = 0; i < n; i++) {
    const uint8_t *s = c->m.base + in + (uint64_t)i * ssz;
    uint64_t ud = ld64(s);
    rels[i] = -1;
    uint8_t tag = s[8];
    uint8_t *ev = evs + (uint64_t)nev * 32;
    if (tag == 0) { /* clock */
      uint32_t id = unstable ? ld32(s + 24) : ld32(s + 16);
      uint64_t to = unstable ? ld64(s + 32) : ld64(s + 24);
      uint16_t fl = unstable ? ld16(s + 48) : ld16(s + 40);
      clockid_t cid;
      int rc = host_clock(id, &cid);
      if (rc) { st64(ev, ud); st16(ev + 8, (uint16_t)rc); ev[10] = 0; nev++; continue; }
      int64_t rel;
      if (fl & 1) { /* abstime */
        clock_gettime(cid, &now);
        uint64_t t = ts_ns(now);
        rel = to > t ? (int64_t)(to - t > (uint64_t)INT64_MAX ? INT64_MAX : to - t) : 0;
      } else rel = to > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)to;
      rels[i] = rel;
      if (min_to < 0 || rel < min_to) min_to = rel;
    } else if (tag == 1 || tag == 2) { /* fd_read / fd_write */
      uint32_t fd = ld32(s + 16);
      wfd *f;
      int rc = get_fd(c->w, fd, R_POLL_FD_READWRITE, &f);
      if (rc) { st64(ev, ud); st16(ev + 8, (uint16_t)rc); ev[10] = tag; nev++; continue; }
      pfds[npfd].fd = f->host;
      pfds[npfd].events = tag == 1 ? POLLIN : POLLOUT;
      pidx[npfd++] = i;
    } else {
      st64(ev, ud); st16(ev + 8, WK_WASI_EINVAL); ev[10] = tag; nev++;
    }
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int timed_out = 0;
  if (nev == 0 || npfd > 0) {
    struct timespec ts, *tsp = NULL;
    if (nev > 0) { ts.tv_sec = 0; ts.tv_nsec = 0; tsp = &ts; }
    else if (min_to >= 0) { ts.tv_sec = (time_t)(min_to / 1000000000); ts.tv_nsec = (long)(min_to % 1000000000); tsp = &ts; }
    int r = ppoll(npfd ? pfds : NULL, npfd, tsp, NULL);
    if (r < 0) {
      int e = errno;
      free(pfds); free(pidx); free(evs); free(rels);
      return wk_sb_errno(e);
    }
    if (r == 0 && nev == 0) timed_out = 1;
    for (uint32_t k = 0; k < npfd; k++) {
      if (!pfds[k].revents) continue;
      const uint8_t *s = c->m.base + in + (uint64_t)pidx[k] * ssz;
      uint8_t *ev = evs + (uint64_t)nev * 32;
      st64(ev, ld64(s));
      ev[10] = s[8];
      uint64_t nbytes = 0;
      if (pfds[k].revents & (POLLERR | POLLNVAL)) st16(ev + 8, pfds[k].revents & POLLNVAL ? WK_WASI_EBADF : WK_WASI_EIO);
      if (s[8] == 1) {
        int avail = 0;
        struct stat st;
        if (fstat(pfds[k].fd, &st) == 0 && S_ISREG(st.st_mode)) {
          off_t pos = lseek(pfds[k].fd, 0, SEEK_CUR);
          nbytes = pos >= 0 && st.st_size > pos ? (uint64_t)(st.st_size - pos) : 0;
        } else if (ioctl(pfds[k].fd, FIONREAD, &avail) == 0 && avail > 0) nbytes = (uint64_t)avail;
      }
      st64(ev + 16, nbytes);
      st16(ev + 24, (pfds[k].revents & POLLHUP) ? 1 : 0);
      nev++;
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (nev == 0 || timed_out) {
    /* Report every clock whose timeout has passed (at least the earliest). */
    int64_t elapsed = (int64_t)(ts_ns(t1) - ts_ns(t0));
    for (uint32_t i = 0; i < n; i++) {
      const uint8_t *s = c->m.base + in + (uint64_t)i * ssz;
      if (s[8] != 0) continue;
      if (rels[i] < 0) continue;
      int fire = rels[i] <= elapsed || rels[i] == min_to;
      if (!fire) continue;
      uint8_t *ev = evs + (uint64_t)nev * 32;
      st64(ev, ld64(s));
      ev[10] = 0;
      nev++;
    }
  }
  memcpy(c->m.base + out, evs, (size_t)nev * 32);
  st32(c->m.base + A32(3), nev);
  free(pfds); free(pidx); free(evs); free(rels);
  return 0;
}

static int f_proc_exit(call *c) {
  c->w->exit_code = (int)A32(0);
  return -1;
}
static int f_proc_raise(call *c) { return WK_WASI_ENOSYS; }
static int f_sched_yield(call *c) { sched_yield(); return 0; }
static int f_random_get(call *c) {
  if (!in_bounds(&c->m, A32(0), A32(1))) return WK_WASI_EFAULT;
  uint8_t *p = c->m.base + A32(0);
  size_t left = A32(1);
  while (left) {
    ssize_t r = getrandom(p, left, 0);
    if (r < 0) { if (errno == EINTR) continue; return wk_sb_errno(errno); }
    p += r;
    left -= (size_t)r;
  }
  return 0;
}
/* sock_*: no socket is ever handed to a guest (no sock_open in preview1, no
 * preopened sockets), so a descriptor that is not a socket is ENOTSOCK
 * (POSIX recv/send/shutdown/accept on a non-socket; wasi-testsuite
 * sock_shutdown-not_sock); a host socket given as stdio is ENOTSUP. */
static int f_sock_unsupported(call *c) {
  wfd *f;
  int rc = get_fd(c->w, A32(0), 0, &f);
  if (rc) return rc;
  return f->filetype == FT_SOCK_STREAM || f->filetype == FT_SOCK_DGRAM ? WK_WASI_ENOTSUP : WK_WASI_ENOTSOCK;
}

/* ---- the table ---- */
#define I 0x7f
#define L 0x7e
typedef int (*impl_fn)(call *);
static const struct {
  wk_wasi_func_desc d;
  impl_fn fn;
} table[] = {
    {{"args_get", 2, 1, {I, I}, {I}}, f_args_get},
    {{"args_sizes_get", 2, 1, {I, I}, {I}}, f_args_sizes_get},
    {{"environ_get", 2, 1, {I, I}, {I}}, f_environ_get},
    {{"environ_sizes_get", 2, 1, {I, I}, {I}}, f_environ_sizes_get},
    {{"clock_res_get", 2, 1, {I, I}, {I}}, f_clock_res_get},
    {{"clock_time_get", 3, 1, {I, L, I}, {I}}, f_clock_time_get},
    {{"fd_advise", 4, 1, {I, L, L, I}, {I}}, f_fd_advise},
    {{"fd_allocate", 3, 1, {I, L, L}, {I}}, f_fd_allocate},
    {{"fd_close", 1, 1, {I}, {I}}, f_fd_close},
    {{"fd_datasync", 1, 1, {I}, {I}}, f_fd_datasync},
    {{"fd_fdstat_get", 2, 1, {I, I}, {I}}, f_fd_fdstat_get},
    {{"fd_fdstat_set_flags", 2, 1, {I, I}, {I}}, f_fd_fdstat_set_flags},
    {{"fd_fdstat_set_rights", 3, 1, {I, L, L}, {I}}, f_fd_fdstat_set_rights},
    {{"fd_filestat_get", 2, 1, {I, I}, {I}}, f_fd_filestat_get},
    {{"fd_filestat_set_size", 2, 1, {I, L}, {I}}, f_fd_filestat_set_size},
    {{"fd_filestat_set_times", 4, 1, {I, L, L, I}, {I}}, f_fd_filestat_set_times},
    {{"fd_pread", 5, 1, {I, I, I, L, I}, {I}}, f_fd_pread},
    {{"fd_prestat_get", 2, 1, {I, I}, {I}}, f_fd_prestat_get},
    {{"fd_prestat_dir_name", 3, 1, {I, I, I}, {I}}, f_fd_prestat_dir_name},
    {{"fd_pwrite", 5, 1, {I, I, I, L, I}, {I}}, f_fd_pwrite},
    {{"fd_read", 4, 1, {I, I, I, I}, {I}}, f_fd_read},
    {{"fd_readdir", 5, 1, {I, I, I, L, I}, {I}}, f_fd_readdir},
    {{"fd_renumber", 2, 1, {I, I}, {I}}, f_fd_renumber},
    {{"fd_seek", 4, 1, {I, L, I, I}, {I}}, f_fd_seek},
    {{"fd_sync", 1, 1, {I}, {I}}, f_fd_sync},
    {{"fd_tell", 2, 1, {I, I}, {I}}, f_fd_tell},
    {{"fd_write", 4, 1, {I, I, I, I}, {I}}, f_fd_write},
    {{"path_create_directory", 3, 1, {I, I, I}, {I}}, f_path_create_directory},
    {{"path_filestat_get", 5, 1, {I, I, I, I, I}, {I}}, f_path_filestat_get},
    {{"path_filestat_set_times", 7, 1, {I, I, I, I, L, L, I}, {I}}, f_path_filestat_set_times},
    {{"path_link", 7, 1, {I, I, I, I, I, I, I}, {I}}, f_path_link},
    {{"path_open", 9, 1, {I, I, I, I, I, L, L, I, I}, {I}}, f_path_open},
    {{"path_readlink", 6, 1, {I, I, I, I, I, I}, {I}}, f_path_readlink},
    {{"path_remove_directory", 3, 1, {I, I, I}, {I}}, f_path_remove_directory},
    {{"path_rename", 6, 1, {I, I, I, I, I, I}, {I}}, f_path_rename},
    {{"path_symlink", 5, 1, {I, I, I, I, I}, {I}}, f_path_symlink},
    {{"path_unlink_file", 3, 1, {I, I, I}, {I}}, f_path_unlink_file},
    {{"poll_oneoff", 4, 1, {I, I, I, I}, {I}}, f_poll_oneoff},
    {{"proc_exit", 1, 0, {I}, {0}}, f_proc_exit},
    {{"proc_raise", 1, 1, {I}, {I}}, f_proc_raise},
    {{"sched_yield", 0, 1, {0}, {I}}, f_sched_yield},
    {{"random_get", 2, 1, {I, I}, {I}}, f_random_get},
    {{"sock_accept", 3, 1, {I, I, I}, {I}}, f_sock_unsupported},
    {{"sock_recv", 6, 1, {I, I, I, I, I, I}, {I}}, f_sock_unsupported},
    {{"sock_send", 5, 1, {I, I, I, I, I}, {I}}, f_sock_unsupported},
    {{"sock_shutdown", 2, 1, {I, I}, {I}}, f_sock_unsupported},
};
#undef I
#undef L
#define NFUNCS (sizeof table / sizeof table[0])

size_t wk_wasi_func_count(void) { return NFUNCS; }
const wk_wasi_func_desc *wk_wasi_func(size_t i) { return i < NFUNCS ? &table[i].d : NULL; }

int wk_wasi_lookup(const char *module, const char *name, int *abi) {
  int a;
  if (!strcmp(module, WK_WASI_MODULE_PREVIEW1)) a = WK_WASI_PREVIEW1;
  else if (!strcmp(module, WK_WASI_MODULE_UNSTABLE)) a = WK_WASI_UNSTABLE;
  else return -1;
  for (size_t i = 0; i < NFUNCS; i++) {
    if (!strcmp(table[i].d.name, name)) {
      /* sock_accept is preview1-only */
      if (a == WK_WASI_UNSTABLE && !strcmp(name, "sock_accept")) return -1;
      if (abi) *abi = a;
      return (int)i;
    }
  }
  return -1;
}

int wk_wasi_call(wk_wasi *w, int index, int abi, uint8_t *mem, size_t memlen, const uint64_t *args,
                 uint32_t *result) {
  if (index < 0 || (size_t)index >= NFUNCS) {
    snprintf(w->trap, sizeof w->trap, "wasi: no host function %d", index);
    return WK_WASI_TRAP;
  }
  call c = {w, {mem, mem ? memlen : 0}, abi, args};
  int rc = table[index].fn(&c);
  if (rc < 0) return WK_WASI_EXIT;
  if (result) *result = (uint32_t)rc;
  return WK_WASI_RETURN;
}
