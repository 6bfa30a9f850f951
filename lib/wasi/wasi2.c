/*
 * lib/wasi/wasi2.c — WASI 0.2 host functions (see wasi2.h) over the
 * preview1 context and sandbox.
 *
 * Values follow the WIT of jco's builtin 0.2.12 (names, field order, variant
 * and enum case order); shapes are wk_cval trees (canonabi/value.h). Each
 * host function is a plain C function over a p2call (args, result, arena),
 * so it can be called with or without lib/component (wk_wasi_p2_call).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "component/component.h"
#include "encode/sections.h"
#include "wasi/internal.h"
#include "wasi/wasi2.h"

#define MAX_RES (1u << 20)      /* live resources per context (trap beyond) */
#define MAX_IO (1u << 20)       /* bytes per read/write call (shorter reads are allowed by the WIT) */
#define CHECK_WRITE (1u << 20)  /* what output-stream.check-write permits */
#define MAX_RANDOM (1u << 20)   /* get-random-bytes length limit (trap beyond): each byte is a wk_cval */

/* ---- WIT enums (case order = index) ---- */
/* wasi:filesystem/types descriptor-type */
enum { DT_UNKNOWN_, DT_BLOCK_, DT_CHAR_, DT_DIR_, DT_FIFO_, DT_SYMLINK_, DT_REG_, DT_SOCKET_ };
/* descriptor-flags bits */
#define DF_READ 1u
#define DF_WRITE 2u
#define DF_FSYNC 4u
#define DF_DSYNC 8u
#define DF_RSYNC 16u
#define DF_MUTATE 32u
/* open-flags bits */
#define OF_CREATE 1u
#define OF_DIRECTORY 2u
#define OF_EXCLUSIVE 4u
#define OF_TRUNCATE 8u
/* error-code */
enum {
  EC_ACCESS, EC_WOULD_BLOCK, EC_ALREADY, EC_BAD_DESCRIPTOR, EC_BUSY, EC_DEADLOCK, EC_QUOTA, EC_EXIST,
  EC_FILE_TOO_LARGE, EC_ILLEGAL_BYTE_SEQUENCE, EC_IN_PROGRESS, EC_INTERRUPTED, EC_INVALID, EC_IO,
  EC_IS_DIRECTORY, EC_LOOP, EC_TOO_MANY_LINKS, EC_MESSAGE_SIZE, EC_NAME_TOO_LONG, EC_NO_DEVICE, EC_NO_ENTRY,
  EC_NO_LOCK, EC_INSUFFICIENT_MEMORY, EC_INSUFFICIENT_SPACE, EC_NOT_DIRECTORY, EC_NOT_EMPTY,
  EC_NOT_RECOVERABLE, EC_UNSUPPORTED, EC_NO_TTY, EC_NO_SUCH_DEVICE, EC_OVERFLOW, EC_NOT_PERMITTED, EC_PIPE,
  EC_READ_ONLY, EC_INVALID_SEEK, EC_TEXT_FILE_BUSY, EC_CROSS_DEVICE
};

/* Preview1 errno (what the shared sandbox returns) to error-code, following
 * wasmtime-wasi's errno mapping (same-named codes; escapes, which preview1
 * calls ENOTCAPABLE, are not-permitted as the wasi:filesystem WIT says). */
static uint32_t ec_of_p1(int e) {
  switch (e) {
  case 2: return EC_ACCESS;
  case 6: return EC_WOULD_BLOCK;
  case 7: return EC_ALREADY;
  case 8: return EC_BAD_DESCRIPTOR;
  case 10: return EC_BUSY;
  case 16: return EC_DEADLOCK;
  case 19: return EC_QUOTA;
  case 20: return EC_EXIST;
  case 22: return EC_FILE_TOO_LARGE;
  case 25: return EC_ILLEGAL_BYTE_SEQUENCE;
  case 26: return EC_IN_PROGRESS;
  case 27: return EC_INTERRUPTED;
  case 28: return EC_INVALID;
  case 29: return EC_IO;
  case 31: return EC_IS_DIRECTORY;
  case 32: return EC_LOOP;
  case 34: return EC_TOO_MANY_LINKS;
  case 35: return EC_MESSAGE_SIZE;
  case 37: return EC_NAME_TOO_LONG;
  case 43: return EC_NO_DEVICE;
  case 44: return EC_NO_ENTRY;
  case 46: return EC_NO_LOCK;
  case 48: return EC_INSUFFICIENT_MEMORY;
  case 51: return EC_INSUFFICIENT_SPACE;
  case 52: return EC_UNSUPPORTED;
  case 54: return EC_NOT_DIRECTORY;
  case 55: return EC_NOT_EMPTY;
  case 56: return EC_NOT_RECOVERABLE;
  case 58: return EC_UNSUPPORTED;
  case 59: return EC_NO_TTY;
  case 60: return EC_NO_SUCH_DEVICE;
  case 61: return EC_OVERFLOW;
  case 63: return EC_NOT_PERMITTED;
  case 64: return EC_PIPE;
  case 69: return EC_READ_ONLY;
  case 70: return EC_INVALID_SEEK;
  case 74: return EC_TEXT_FILE_BUSY;
  case 75: return EC_CROSS_DEVICE;
  case 76: return EC_NOT_PERMITTED;
  default: return EC_IO;
  }
}
static uint32_t ec_of_errno(int e) { return e == EXDEV ? EC_CROSS_DEVICE : ec_of_p1(wk_sb_errno(e)); }

/* ---- the resource table ---- */
enum rk {
  RK_FREE, RK_DESC, RK_DIRSTREAM, RK_IN, RK_OUT, RK_POLL, RK_ERR, RK_TERM_IN, RK_TERM_OUT, RK_NET,
  RK_TCP, RK_UDP, RK_UDP_IN, RK_UDP_OUT, RK_RESOLVE, RK_COUNT
};
/* An interface's name, then a NUL and, for the linker, the same with "@" WK_WASI_P2_VERSION
 * (vname): built by the compiler, as composing it at every set-up was an eighth of
 * wk_wasi_p2_define, and in the one literal, as a second pointer per table entry cost the
 * dynamic loader a relocation each at every start of wrun, core modules' too (callgrind). */
#define WV(iface) iface "\0" iface "@" WK_WASI_P2_VERSION
static const char *vname(const char *iface) { return iface + strlen(iface) + 1; }
static const struct {
  const char *iface, *name; /* iface: WV */
} rk_names[RK_COUNT] = {
    [RK_DESC] = {WV("wasi:filesystem/types"), "descriptor"},
    [RK_DIRSTREAM] = {WV("wasi:filesystem/types"), "directory-entry-stream"},
    [RK_IN] = {WV("wasi:io/streams"), "input-stream"},
    [RK_OUT] = {WV("wasi:io/streams"), "output-stream"},
    [RK_POLL] = {WV("wasi:io/poll"), "pollable"},
    [RK_ERR] = {WV("wasi:io/error"), "error"},
    [RK_TERM_IN] = {WV("wasi:cli/terminal-input"), "terminal-input"},
    [RK_TERM_OUT] = {WV("wasi:cli/terminal-output"), "terminal-output"},
    [RK_NET] = {WV("wasi:sockets/network"), "network"},
    [RK_TCP] = {WV("wasi:sockets/tcp"), "tcp-socket"},
    [RK_UDP] = {WV("wasi:sockets/udp"), "udp-socket"},
    [RK_UDP_IN] = {WV("wasi:sockets/udp"), "incoming-datagram-stream"},
    [RK_UDP_OUT] = {WV("wasi:sockets/udp"), "outgoing-datagram-stream"},
    [RK_RESOLVE] = {WV("wasi:sockets/ip-name-lookup"), "resolve-address-stream"},
};

/* PK_BUF: a live buffer's stream (readable / room to write); PK_BUF_END: a live buffer closed */
enum { PK_READY, PK_TIMER, PK_FD_IN, PK_FD_OUT, PK_BUF, PK_BUF_END };

/* The shared part of a live wk_wasi_p2_buf (wasi2.h): `mu` guards the
 * buffer's data/len/pos and the fields below; `efd` (an eventfd) is
 * signalled on every change so that the guest's thread can wait on it with
 * poll(2), next to its other pollables. */
struct wk_p2_live {
  pthread_mutex_t mu;
  int efd;
  int output;
  int closed;   /* 0 open, 1 ended, 2 failed */
  size_t high;  /* output: back-pressure mark, 0 none */
  size_t total; /* output: bytes written in all (the limit) */
  void (*notify)(void *env);
  void *env;
};
struct wk_p2;
static int new_buf_pollable(struct wk_p2 *p, wk_wasi_p2_buf *b, int pkind, wk_cval *out);
static void live_signal(struct wk_p2_live *l) {
  uint64_t one = 1;
  ssize_t r = write(l->efd, &one, sizeof one);
  (void)r; /* EAGAIN: the counter is already non-zero */
}
static void live_drain(struct wk_p2_live *l) {
  uint64_t v;
  ssize_t r = read(l->efd, &v, sizeof v);
  (void)r;
}
/* ready for the guest: input has bytes or is closed; output has room or is closed */
static int live_ready_locked(wk_wasi_p2_buf *b, int end_only) {
  struct wk_p2_live *l = b->live;
  if (l->closed || end_only) return l->closed != 0;
  return l->output ? !l->high || b->len - b->pos < l->high : b->len > b->pos;
}
/* wait (guest thread) until live_ready; 0, or EINTR on a signal */
static int live_wait(wk_wasi_p2_buf *b, int end_only) {
  struct wk_p2_live *l = b->live;
  for (;;) {
    live_drain(l);
    pthread_mutex_lock(&l->mu);
    int r = live_ready_locked(b, end_only);
    pthread_mutex_unlock(&l->mu);
    if (r) return 0;
    struct pollfd pf = {l->efd, POLLIN, 0};
    if (poll(&pf, 1, -1) < 0 && errno == EINTR) return EINTR;
  }
}

typedef struct p2res {
  uint8_t kind;
  int fd, own;      /* host fd (-1 none) and whether it is closed with the entry */
  /* descriptor */
  uint32_t dflags;
  uint8_t dtype;
  /* streams */
  int positional, append, eof;
  uint64_t off;
  /* directory-entry-stream */
  char **names;
  uint8_t *types;
  size_t n, pos;
  /* pollable */
  int pkind;
  uint64_t deadline; /* monotonic ns */
  /* streams over a host buffer (wk_wasi_p2_buf: wasi:http bodies) instead of fd */
  wk_wasi_p2_buf *buf;
  /* error */
  char *msg;
  int code; /* filesystem error-code, -1 none */
  /* sockets: address family, state, listen backlog; resolve-address-stream
   * and a UDP stream's connected remote address */
  int family, sstate, backlog, has_remote;
  int refused; /* tcp: a start-connect refused by the grants (finish-connect answers access-denied) */
  int sock; /* a stream over a socket: written with send(MSG_NOSIGNAL) */
  struct sockaddr_storage *addrs;
  size_t naddrs, apos;
  struct sockaddr_storage remote;
} p2res;

struct wk_p2 {
  p2res *r;
  uint32_t n;
  uint32_t hint; /* no free entry below this index */
  wk_cabi_rtype own_rt[RK_COUNT];  /* used until a linker defines the types */
  const wk_cabi_rtype *rt[RK_COUNT];
  uint64_t rng;                    /* insecure: splitmix64 state, seeded from getrandom */
  uint64_t seed[2];                /* insecure-seed: fixed per context */
  struct p2bind *binds;
};

static void res_clear(p2res *e) {
  if (e->own && e->fd >= 0) close(e->fd);
  wk_wasi_p2_buf_unref(e->buf);
  for (size_t i = 0; i < e->n; i++) free(e->names[i]);
  free(e->names);
  free(e->types);
  free(e->msg);
  free(e->addrs);
  memset(e, 0, sizeof *e);
  e->fd = -1;
}

/* Free entry i and let res_new reuse it. */
static void res_release(struct wk_p2 *p, uint32_t i) {
  res_clear(&p->r[i]);
  if (i < p->hint) p->hint = i;
}

void wk_p2_state_free(wk_wasi *w) {
  struct wk_p2 *p = w->p2;
  if (!p) return;
  for (uint32_t i = 0; i < p->n; i++)
    if (p->r[i].kind != RK_FREE) res_clear(&p->r[i]);
  free(p->r);
  free(p->binds);
  free(p);
  w->p2 = NULL;
}

static int p2_dtor(void *env, uint32_t rep, wk_error *err);

static struct wk_p2 *p2_state(wk_wasi *w) {
  if (w->p2) return w->p2;
  struct wk_p2 *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  for (int k = 1; k < RK_COUNT; k++) {
    p->own_rt[k].dtor = p2_dtor;
    p->own_rt[k].dtor_env = w;
    p->own_rt[k].name = rk_names[k].name;
    p->rt[k] = &p->own_rt[k];
  }
  uint64_t s[3] = {0x9e3779b97f4a7c15ull, 1, 2};
  if (getrandom(s, sizeof s, 0) < 0) { /* keep the constants: insecure is allowed to be predictable */ }
  p->rng = s[0];
  p->seed[0] = s[1];
  p->seed[1] = s[2];
  w->p2 = p;
  return p;
}

/* New entry of `kind`; returns its rep (index + 1) or 0 when the table is full. */
static uint32_t res_new(struct wk_p2 *p, uint8_t kind, p2res **out) {
  uint32_t i = p->hint;
  while (i < p->n && p->r[i].kind != RK_FREE) i++;
  if (i >= p->n) {
    i = p->n;
    if (p->n >= MAX_RES) return 0;
    uint32_t nn = p->n ? p->n * 2 : 16;
    p2res *nr = realloc(p->r, (size_t)nn * sizeof *nr);
    if (!nr) return 0;
    memset(nr + p->n, 0, (size_t)(nn - p->n) * sizeof *nr);
    p->r = nr;
    p->n = nn;
  }
  p->hint = i + 1;
  p2res *e = &p->r[i];
  memset(e, 0, sizeof *e);
  e->kind = kind;
  e->fd = -1;
  e->code = -1;
  *out = e;
  return i + 1;
}
static p2res *res_get(struct wk_p2 *p, uint32_t rep, uint8_t kind) {
  if (rep == 0 || rep > p->n || p->r[rep - 1].kind != kind) return NULL;
  return &p->r[rep - 1];
}

static int p2_dtor(void *env, uint32_t rep, wk_error *err) {
  wk_wasi *w = env;
  if (!w->p2 || rep == 0 || rep > w->p2->n || w->p2->r[rep - 1].kind == RK_FREE)
    return wk_error_set(err, WK_ERR_TRAP, "wasi: drop of an unknown resource %u", rep);
  res_release(w->p2, rep - 1);
  return WK_OK;
}
int wk_wasi_p2_drop(wk_wasi *w, uint32_t rep, wk_error *err) {
  if (!w->p2 || rep == 0 || rep > w->p2->n || w->p2->r[rep - 1].kind == RK_FREE)
    return wk_error_set(err, WK_ERR_USAGE, "wasi: no resource %u", rep);
  res_release(w->p2, rep - 1);
  return WK_OK;
}

/* ---- calls ---- */
enum { P2_OK = 0, P2_EXIT = 1, P2_TRAP = 2 };

typedef struct p2call {
  wk_wasi *w;
  struct wk_p2 *p;
  wk_arena *arena;
  const wk_cval *a;
  uint32_t na;
  wk_cval *res;
} p2call;
typedef int (*p2fn)(p2call *c);

static int trap(p2call *c, const char *fmt, const char *arg) {
  snprintf(c->w->trap, sizeof c->w->trap, fmt, arg ? arg : "");
  return P2_TRAP;
}
#define NOMEM(c) trap(c, "wasi: out of memory%s", NULL)

static wk_cval *cv_new(p2call *c, uint32_t n) { return wk_cval_alloc(c->arena, n); }
static void cv_u(wk_cval *v, wk_cabi_kind k, uint64_t x) { v->kind = k; v->of.u = x; }
static void cv_bool(wk_cval *v, int b) { v->kind = WK_CABI_BOOL; v->of.b = b != 0; }
static void cv_enum(wk_cval *v, uint32_t d) { v->kind = WK_CABI_ENUM; v->of.var.disc = d; v->of.var.payload = NULL; }
static void cv_var(wk_cval *v, wk_cabi_kind k, uint32_t d, wk_cval *payload) { wk_cval_set_case(v, k, d, payload); }
static int cv_str(p2call *c, wk_cval *v, const char *s, size_t n) {
  return wk_cval_set_string(c->arena, v, s, n) == WK_OK ? 0 : -1;
}
static int cv_bytes(p2call *c, wk_cval *v, const uint8_t *b, size_t n) {
  return wk_cval_set_bytes(c->arena, v, b, n) == WK_OK ? 0 : -1;
}
static int cv_seq(p2call *c, wk_cval *v, wk_cabi_kind k, uint32_t n) {
  return wk_cval_set_seq(c->arena, v, k, n) == WK_OK ? 0 : -1;
}
static void cv_handle(p2call *c, wk_cval *v, uint8_t kind, uint32_t rep) {
  v->kind = WK_CABI_OWN;
  v->of.handle.rt = c->p->rt[kind];
  v->of.handle.rep = rep;
}

/* result<payload, _> ok / err with an enum payload */
static int ok(p2call *c, wk_cval *payload) {
  cv_var(c->res, WK_CABI_RESULT, 0, payload);
  return P2_OK;
}
static int err_enum(p2call *c, uint32_t code) {
  wk_cval *e = cv_new(c, 1);
  if (!e) return NOMEM(c);
  cv_enum(e, code);
  cv_var(c->res, WK_CABI_RESULT, 1, e);
  return P2_OK;
}
/* filesystem error from a preview1 errno */
static int fs_err(p2call *c, int p1) { return err_enum(c, ec_of_p1(p1)); }

/* ---- arguments ---- */
static uint32_t A_REP(p2call *c, uint32_t i) { return c->a[i].of.handle.rep; }
static uint64_t A_U(p2call *c, uint32_t i) { return c->a[i].of.u; }
static uint32_t A_FLAGS(p2call *c, uint32_t i) { return c->a[i].of.flags.n ? c->a[i].of.flags.words[0] : 0; }
/* A string argument as a NUL-terminated path (buffer WK_SB_PATH_MAX+1);
 * returns a preview1 errno. */
static int A_PATH(p2call *c, uint32_t i, char *out) {
  const wk_cval *v = &c->a[i];
  if (v->of.str.len > WK_SB_PATH_MAX) return WK_WASI_ENAMETOOLONG;
  if (v->of.str.len && memchr(v->of.str.ptr, 0, v->of.str.len)) return WK_WASI_EINVAL;
  if (v->of.str.len) memcpy(out, v->of.str.ptr, v->of.str.len);
  out[v->of.str.len] = 0;
  return 0;
}

/* The borrowed self (or other) handle of `kind` at argument i; traps if unknown. */
#define GET(var, i, kind)                                                  \
  p2res *var = res_get(c->p, A_REP(c, i), kind);                           \
  if (!var) return trap(c, "wasi: unknown %s handle", rk_names[kind].name)

static uint64_t mono_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

/* ==== wasi:cli ==== */
static int f_get_environment(p2call *c) {
  wk_wasi *w = c->w;
  if (cv_seq(c, c->res, WK_CABI_LIST, (uint32_t)w->nenv)) return NOMEM(c);
  for (size_t i = 0; i < w->nenv; i++) {
    const char *nv = w->env[i], *eq = strchr(nv, '=');
    wk_cval *t = &c->res->of.seq.items[i];
    if (cv_seq(c, t, WK_CABI_TUPLE, 2) || cv_str(c, &t->of.seq.items[0], nv, (size_t)(eq - nv)) ||
        cv_str(c, &t->of.seq.items[1], eq + 1, strlen(eq + 1)))
      return NOMEM(c);
  }
  return P2_OK;
}
static int f_get_arguments(p2call *c) {
  wk_wasi *w = c->w;
  if (cv_seq(c, c->res, WK_CABI_LIST, (uint32_t)w->nargs)) return NOMEM(c);
  for (size_t i = 0; i < w->nargs; i++)
    if (cv_str(c, &c->res->of.seq.items[i], w->args[i], strlen(w->args[i]))) return NOMEM(c);
  return P2_OK;
}
static int f_initial_cwd(p2call *c) {
  cv_var(c->res, WK_CABI_OPTION, 0, NULL); /* no host cwd is exposed */
  return P2_OK;
}
static int f_exit(p2call *c) {
  c->w->exit_code = c->a[0].of.var.disc == 0 ? 0 : 1;
  return P2_EXIT;
}
static int f_exit_with_code(p2call *c) {
  c->w->exit_code = (int)(uint8_t)A_U(c, 0);
  return P2_EXIT;
}
static int new_stream(p2call *c, uint8_t kind, int fd, int own, int positional, uint64_t off, int append) {
  p2res *e;
  uint32_t rep = res_new(c->p, kind, &e);
  if (!rep) {
    if (own) close(fd);
    return 0;
  }
  e->fd = fd;
  e->own = own;
  e->positional = positional;
  e->off = off;
  e->append = append;
  return (int)rep;
}
static int stdio_stream(p2call *c, int i, uint8_t kind) {
  int rep = new_stream(c, kind, c->w->stdio_host[i], 0, 0, 0, 0);
  if (!rep) return trap(c, "wasi: resource table full%s", NULL);
  cv_handle(c, c->res, kind, (uint32_t)rep);
  return P2_OK;
}
static int f_get_stdin(p2call *c) { return stdio_stream(c, 0, RK_IN); }
static int f_get_stdout(p2call *c) { return stdio_stream(c, 1, RK_OUT); }
static int f_get_stderr(p2call *c) { return stdio_stream(c, 2, RK_OUT); }
static int terminal(p2call *c, int i, uint8_t kind) {
  if (!isatty(c->w->stdio_host[i])) {
    cv_var(c->res, WK_CABI_OPTION, 0, NULL);
    return P2_OK;
  }
  p2res *e;
  uint32_t rep = res_new(c->p, kind, &e);
  wk_cval *h = cv_new(c, 1);
  if (!rep || !h) return NOMEM(c);
  cv_handle(c, h, kind, rep);
  cv_var(c->res, WK_CABI_OPTION, 1, h);
  return P2_OK;
}
static int f_terminal_stdin(p2call *c) { return terminal(c, 0, RK_TERM_IN); }
static int f_terminal_stdout(p2call *c) { return terminal(c, 1, RK_TERM_OUT); }
static int f_terminal_stderr(p2call *c) { return terminal(c, 2, RK_TERM_OUT); }

/* ==== wasi:io/error ==== */
static int new_error(p2call *c, int host_errno, int code, wk_cval *out) {
  p2res *e;
  uint32_t rep = res_new(c->p, RK_ERR, &e);
  if (!rep) return -1;
  e->msg = strdup(strerror(host_errno));
  e->code = code;
  cv_handle(c, out, RK_ERR, rep);
  return 0;
}
static int f_error_to_debug_string(p2call *c) {
  GET(e, 0, RK_ERR);
  const char *m = e->msg ? e->msg : "error";
  return cv_str(c, c->res, m, strlen(m)) ? NOMEM(c) : P2_OK;
}
/* stream-error: last-operation-failed(error) | closed */
static int stream_err(p2call *c, int host_errno) {
  wk_cval *se = cv_new(c, 2);
  if (!se) return NOMEM(c);
  if (host_errno == 0 || host_errno == EPIPE) {
    cv_var(se, WK_CABI_VARIANT, 1, NULL);
  } else {
    if (new_error(c, host_errno, (int)ec_of_errno(host_errno), &se[1])) return NOMEM(c);
    cv_var(se, WK_CABI_VARIANT, 0, &se[1]);
  }
  cv_var(c->res, WK_CABI_RESULT, 1, se);
  return P2_OK;
}

/* ==== wasi:io/poll ==== */
static int new_pollable(p2call *c, int pkind, int fd, uint64_t deadline, wk_cval *out) {
  p2res *e;
  uint32_t rep = res_new(c->p, RK_POLL, &e);
  if (!rep) return -1;
  e->pkind = pkind;
  e->deadline = deadline;
  if (fd >= 0) {
    e->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3); /* the pollable may outlive its stream */
    e->own = e->fd >= 0;
    if (e->fd < 0) e->pkind = PK_READY;
  }
  cv_handle(c, out, RK_POLL, rep);
  return 0;
}
/* 1 if ready now; with `block`, wait until it is. A signal (wrun's
 * --timeout alarm) ends the wait early with 0, so that the interrupted store
 * can trap at the guest's next back-edge instead of the host sleeping on. */
static int poll_ready(p2res *e, int block) {
  for (;;) {
    if (e->pkind == PK_READY) return 1;
    if (e->pkind == PK_BUF || e->pkind == PK_BUF_END) {
      if (!e->buf->live) return 1;
      int end_only = e->pkind == PK_BUF_END;
      if (block) return live_wait(e->buf, end_only) == 0;
      live_drain(e->buf->live);
      pthread_mutex_lock(&e->buf->live->mu);
      int r = live_ready_locked(e->buf, end_only);
      pthread_mutex_unlock(&e->buf->live->mu);
      return r;
    }
    if (e->pkind == PK_TIMER) {
      uint64_t now = mono_ns();
      if (now >= e->deadline) return 1;
      if (!block) return 0;
      uint64_t d = e->deadline - now;
      struct timespec ts = {(time_t)(d / 1000000000ull), (long)(d % 1000000000ull)};
      if (nanosleep(&ts, NULL) && errno == EINTR) return 0;
      continue;
    }
    struct pollfd pf = {e->fd, (short)(e->pkind == PK_FD_IN ? POLLIN : POLLOUT), 0};
    int r = poll(&pf, 1, block ? -1 : 0);
    if (r > 0) return 1; /* readable, writable, hung up or error: an operation will not block */
    if (r < 0) return errno != EINTR;
    if (!block) return 0;
  }
}
static int f_pollable_ready(p2call *c) {
  GET(e, 0, RK_POLL);
  cv_bool(c->res, poll_ready(e, 0));
  return P2_OK;
}
static int f_pollable_block(p2call *c) {
  GET(e, 0, RK_POLL);
  poll_ready(e, 1);
  return P2_OK;
}
/* poll(list<borrow<pollable>>) -> list<u32>: indices of the ready ones,
 * waiting until at least one is (the WIT: traps on an empty list). */
static int f_poll(p2call *c) {
  const wk_cval *in = &c->a[0];
  uint32_t n = in->of.seq.n;
  if (n == 0) return trap(c, "wasi:io/poll: poll of an empty list%s", NULL);
  p2res **es = wk_arena_alloc(c->arena, (size_t)n * sizeof *es);
  struct pollfd *pf = wk_arena_alloc(c->arena, (size_t)n * sizeof *pf);
  uint32_t *idx = wk_arena_alloc(c->arena, (size_t)n * sizeof *idx);
  if (!es || !pf || !idx) return NOMEM(c);
  for (uint32_t i = 0; i < n; i++) {
    if (!(es[i] = res_get(c->p, in->of.seq.items[i].of.handle.rep, RK_POLL)))
      return trap(c, "wasi: unknown %s handle", "pollable");
  }
  for (;;) {
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++)
      if (poll_ready(es[i], 0)) idx[k++] = i;
    if (k) {
      if (cv_seq(c, c->res, WK_CABI_LIST, k)) return NOMEM(c);
      for (uint32_t i = 0; i < k; i++) cv_u(&c->res->of.seq.items[i], WK_CABI_U32, idx[i]);
      return P2_OK;
    }
    /* none ready: wait for an fd or the nearest deadline */
    uint32_t nf = 0;
    uint64_t now = mono_ns(), wait = UINT64_MAX;
    for (uint32_t i = 0; i < n; i++) {
      if (es[i]->pkind == PK_TIMER) {
        if (es[i]->deadline - now < wait) wait = es[i]->deadline - now;
      } else if (es[i]->pkind == PK_FD_IN || es[i]->pkind == PK_FD_OUT || es[i]->pkind == PK_BUF ||
                 es[i]->pkind == PK_BUF_END) {
        pf[nf].fd = es[i]->fd;
        pf[nf].events = (short)(es[i]->pkind == PK_FD_OUT ? POLLOUT : POLLIN);
        pf[nf].revents = 0;
        nf++;
      }
    }
    int ms = wait == UINT64_MAX ? -1 : (int)(wait / 1000000ull > INT_MAX ? INT_MAX : wait / 1000000ull + 1);
    if (poll(pf, nf, ms) < 0 && errno == EINTR) {
      /* a signal (wrun --timeout): return nothing ready rather than wait on */
      return cv_seq(c, c->res, WK_CABI_LIST, 0) ? NOMEM(c) : P2_OK;
    }
  }
}

/* ==== wasi:io/streams ==== */
/* Read up to `len` bytes (capped at MAX_IO); *n = bytes read; returns a host
 * errno or 0. With !block, a stream that is not a regular file is polled
 * first and 0 bytes are returned if nothing is pending. */
static int stream_read(p2res *e, uint64_t len, int block, uint8_t *buf, size_t *n) {
  size_t want = len > MAX_IO ? MAX_IO : (size_t)len;
  *n = 0;
  if (e->buf && e->buf->live) { /* a live buffer: what has arrived; blocking waits for more */
    wk_wasi_p2_buf *b = e->buf;
    struct wk_p2_live *l = b->live;
    for (;;) {
      pthread_mutex_lock(&l->mu);
      size_t k = b->len - b->pos < want ? b->len - b->pos : want;
      if (k) memcpy(buf, b->data + b->pos, k);
      b->pos += k;
      if (b->pos == b->len) b->pos = b->len = 0; /* all read: start over */
      int closed = l->closed;
      pthread_mutex_unlock(&l->mu);
      *n = k;
      if (k) {
        if (l->notify) l->notify(l->env);
        return 0;
      }
      if (closed == 1) e->eof = 1;
      if (closed == 2) return ECONNRESET;
      if (closed || !block || want == 0) return 0;
      int er = live_wait(b, 0);
      if (er) return er;
    }
  }
  if (e->buf) { /* a host buffer: everything it will ever hold is there (done) */
    wk_wasi_p2_buf *b = e->buf;
    size_t k = b->len - b->pos < want ? b->len - b->pos : want;
    if (k) memcpy(buf, b->data + b->pos, k);
    b->pos += k;
    *n = k;
    if (b->pos == b->len) e->eof = 1;
    return 0;
  }
  if (want == 0) return 0;
  if (!e->positional && !block) {
    struct pollfd pf = {e->fd, POLLIN, 0};
    if (poll(&pf, 1, 0) == 0) return 0;
  }
  /* EINTR (a signal, e.g. wrun's --timeout) is reported, as preview1 does;
   * a non-blocking host fd (a socket) is waited on when blocking */
  ssize_t r;
  for (;;) {
    r = e->positional ? pread(e->fd, buf, want, (off_t)e->off) : read(e->fd, buf, want);
    if (r >= 0 || errno != EAGAIN) break;
    if (!block) return 0;
    struct pollfd pf = {e->fd, POLLIN, 0};
    if (poll(&pf, 1, -1) < 0 && errno == EINTR) return EINTR;
  }
  if (r < 0) return errno;
  if (r == 0) e->eof = 1;
  if (e->positional) e->off += (uint64_t)r;
  *n = (size_t)r;
  return 0;
}
static int in_read(p2call *c, int block) {
  GET(e, 0, RK_IN);
  uint64_t len = A_U(c, 1);
  if (e->eof) return stream_err(c, 0);
  uint8_t *buf = wk_arena_alloc(c->arena, len > MAX_IO ? MAX_IO : len ? (size_t)len : 1);
  wk_cval *pl = cv_new(c, 1);
  if (!buf || !pl) return NOMEM(c);
  size_t n;
  int er = stream_read(e, len, block, buf, &n);
  if (er) return stream_err(c, er);
  if (len && n == 0 && e->eof) return stream_err(c, 0); /* closed */
  if (cv_bytes(c, pl, buf, n)) return NOMEM(c);
  return ok(c, pl);
}
static int f_in_read(p2call *c) { return in_read(c, 0); }
static int f_in_blocking_read(p2call *c) { return in_read(c, 1); }
static int in_skip(p2call *c, int block) {
  GET(e, 0, RK_IN);
  uint64_t len = A_U(c, 1), done = 0;
  if (e->eof) return stream_err(c, 0);
  uint8_t buf[65536];
  while (done < len) {
    size_t n;
    uint64_t want = len - done > sizeof buf ? sizeof buf : len - done;
    int er = stream_read(e, want, block && done == 0, buf, &n);
    if (er) return stream_err(c, er);
    if (n == 0) break;
    done += n;
    if (!e->positional) break; /* one read per call on a pipe or terminal */
  }
  if (len && done == 0 && e->eof) return stream_err(c, 0);
  wk_cval *pl = cv_new(c, 1);
  if (!pl) return NOMEM(c);
  cv_u(pl, WK_CABI_U64, done);
  return ok(c, pl);
}
static int f_in_skip(p2call *c) { return in_skip(c, 0); }
static int f_in_blocking_skip(p2call *c) { return in_skip(c, 1); }
static int subscribe_stream(p2call *c, uint8_t kind) {
  GET(e, 0, kind);
  if (e->buf && e->buf->live) return new_buf_pollable(c->p, e->buf, PK_BUF, c->res) < 0 ? NOMEM(c) : P2_OK;
  int pk = e->positional || e->buf ? PK_READY : kind == RK_IN ? PK_FD_IN : PK_FD_OUT;
  if (new_pollable(c, pk, pk == PK_READY ? -1 : e->fd, 0, c->res)) return NOMEM(c);
  return P2_OK;
}
static int f_in_subscribe(p2call *c) { return subscribe_stream(c, RK_IN); }
static int f_out_subscribe(p2call *c) { return subscribe_stream(c, RK_OUT); }

/* Write all of buf (blocking); returns a host errno or 0. */
static int stream_write(p2res *e, const uint8_t *buf, size_t n) {
  if (e->buf && e->buf->live) { /* a live buffer: append under its lock, then tell the reader */
    wk_wasi_p2_buf *b = e->buf;
    struct wk_p2_live *l = b->live;
    pthread_mutex_lock(&l->mu);
    int er = l->closed ? EPIPE : b->limit && n > b->limit - l->total ? EFBIG : 0;
    if (!er && b->pos && b->pos == b->len) b->pos = b->len = 0;
    if (!er && b->len + n > b->cap) {
      if (b->pos) { /* move the unsent bytes down first */
        memmove(b->data, b->data + b->pos, b->len - b->pos);
        b->len -= b->pos;
        b->pos = 0;
      }
      size_t nc = b->cap ? b->cap : 4096;
      while (nc < b->len + n) nc *= 2;
      uint8_t *nd = b->len + n > b->cap ? realloc(b->data, nc) : b->data;
      if (!nd) er = ENOMEM;
      else if (nd != b->data || nc > b->cap) {
        b->data = nd;
        b->cap = nc;
      }
    }
    if (!er && n) {
      memcpy(b->data + b->len, buf, n);
      b->len += n;
      l->total += n;
    }
    pthread_mutex_unlock(&l->mu);
    if (!er && n && l->notify) l->notify(l->env);
    return er;
  }
  if (e->buf) { /* a host buffer: append; past its limit the stream fails (EFBIG) */
    wk_wasi_p2_buf *b = e->buf;
    if (b->limit && n > b->limit - b->len) return EFBIG;
    if (b->len + n > b->cap) {
      size_t nc = b->cap ? b->cap : 4096;
      while (nc < b->len + n) nc *= 2;
      uint8_t *nd = realloc(b->data, nc);
      if (!nd) return ENOMEM;
      b->data = nd;
      b->cap = nc;
    }
    if (n) memcpy(b->data + b->len, buf, n);
    b->len += n;
    return 0;
  }
  if (e->append) {
    struct stat st;
    if (fstat(e->fd, &st)) return errno;
    e->off = (uint64_t)st.st_size;
  }
  while (n) {
    ssize_t r = e->positional || e->append ? pwrite(e->fd, buf, n, (off_t)e->off)
                : e->sock                     ? send(e->fd, buf, n, MSG_NOSIGNAL) /* EPIPE, never SIGPIPE */
                                              : write(e->fd, buf, n);
    if (r < 0) {
      if (errno == EAGAIN) { /* a non-blocking host fd: wait until writable */
        struct pollfd pf = {e->fd, POLLOUT, 0};
        if (poll(&pf, 1, -1) >= 0 || errno != EINTR) continue;
      }
      return errno; /* EINTR included: a signal interrupts the write */
    }
    buf += r;
    n -= (size_t)r;
    if (e->positional || e->append) e->off += (uint64_t)r;
  }
  return 0;
}
static int f_out_check_write(p2call *c) {
  GET(e, 0, RK_OUT);
  if (e->eof) return stream_err(c, 0);
  wk_cval *pl = cv_new(c, 1);
  if (!pl) return NOMEM(c);
  uint64_t room = CHECK_WRITE;
  if (e->buf && e->buf->live) {
    wk_wasi_p2_buf *b = e->buf;
    struct wk_p2_live *l = b->live;
    pthread_mutex_lock(&l->mu);
    int closed = l->closed;
    if (b->limit && b->limit - l->total < room) room = b->limit - l->total;
    if (l->high && b->len - b->pos >= l->high) room = 0; /* back-pressure: wait on the pollable */
    pthread_mutex_unlock(&l->mu);
    if (closed) return stream_err(c, 0);
  } else if (e->buf && e->buf->limit && e->buf->limit - e->buf->len < room)
    room = e->buf->limit - e->buf->len;
  cv_u(pl, WK_CABI_U64, room);
  return ok(c, pl);
}
/* The list<u8> argument i into a byte buffer from the arena. */
static const uint8_t *list_bytes(p2call *c, uint32_t i, size_t *n) {
  const wk_cval *l = &c->a[i];
  uint8_t *b = wk_arena_alloc(c->arena, l->of.seq.n ? l->of.seq.n : 1);
  if (!b) return NULL;
  for (uint32_t k = 0; k < l->of.seq.n; k++) b[k] = (uint8_t)l->of.seq.items[k].of.u;
  *n = l->of.seq.n;
  return b;
}
/* The WIT: writing more than check-write permitted traps (as wasmtime). */
#define OVER_BUDGET(c, n) \
  if ((n) > CHECK_WRITE) return trap(c, "wasi:io/streams: %s", "write of more than check-write permitted")
static int out_write(p2call *c) {
  GET(e, 0, RK_OUT);
  OVER_BUDGET(c, c->a[1].of.seq.n);
  if (e->eof) return stream_err(c, 0);
  size_t n;
  const uint8_t *b = list_bytes(c, 1, &n);
  if (!b) return NOMEM(c);
  int er = stream_write(e, b, n);
  if (er == EPIPE) e->eof = 1;
  return er ? stream_err(c, er) : ok(c, NULL);
}
static int f_out_write(p2call *c) { return out_write(c); }
/* a live buffer's blocking flush: wait until the unsent bytes are below its mark */
static int live_flush(p2call *c, p2res *e) {
  if (!e->buf || !e->buf->live) return P2_OK;
  int er = live_wait(e->buf, 0);
  if (!er && wk_wasi_p2_buf_closed(e->buf) == 2) er = EPIPE;
  return er ? stream_err(c, er) : P2_OK;
}
static int f_out_blocking_write_and_flush(p2call *c) {
  int r = out_write(c);
  if (r != P2_OK || c->res->of.var.disc != 0) return r;
  GET(e, 0, RK_OUT);
  return live_flush(c, e);
}
static int f_out_flush(p2call *c) {
  GET(e, 0, RK_OUT);
  return e->eof ? stream_err(c, 0) : ok(c, NULL); /* writes are not buffered here */
}
static int f_out_blocking_flush(p2call *c) {
  GET(e, 0, RK_OUT);
  if (e->eof) return stream_err(c, 0);
  int r = ok(c, NULL);
  return r == P2_OK ? live_flush(c, e) : r;
}
static int f_out_write_zeroes(p2call *c) {
  GET(e, 0, RK_OUT);
  if (e->eof) return stream_err(c, 0);
  uint64_t len = A_U(c, 1);
  OVER_BUDGET(c, len);
  static const uint8_t zero[4096];
  while (len) {
    size_t k = len > sizeof zero ? sizeof zero : (size_t)len;
    int er = stream_write(e, zero, k);
    if (er) return stream_err(c, er);
    len -= k;
  }
  return ok(c, NULL);
}
static int do_splice(p2call *c, int block) {
  GET(o, 0, RK_OUT);
  GET(in, 1, RK_IN);
  uint64_t len = A_U(c, 2) > CHECK_WRITE ? CHECK_WRITE : A_U(c, 2); /* splice may move fewer */
  if (o->eof || in->eof) return stream_err(c, 0);
  uint8_t *buf = wk_arena_alloc(c->arena, len > MAX_IO ? MAX_IO : len ? (size_t)len : 1);
  if (!buf) return NOMEM(c);
  size_t n;
  int er = stream_read(in, len, block, buf, &n);
  if (er) return stream_err(c, er);
  if (len && n == 0 && in->eof) return stream_err(c, 0);
  if ((er = stream_write(o, buf, n))) return stream_err(c, er);
  wk_cval *pl = cv_new(c, 1);
  if (!pl) return NOMEM(c);
  cv_u(pl, WK_CABI_U64, n);
  return ok(c, pl);
}
static int f_out_splice(p2call *c) { return do_splice(c, 0); }
static int f_out_blocking_splice(p2call *c) { return do_splice(c, 1); }

/* ==== wasi:clocks ==== */
static int f_mono_now(p2call *c) {
  cv_u(c->res, WK_CABI_U64, mono_ns());
  return P2_OK;
}
static int f_mono_resolution(p2call *c) {
  struct timespec t;
  clock_getres(CLOCK_MONOTONIC, &t);
  cv_u(c->res, WK_CABI_U64, (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec);
  return P2_OK;
}
static int f_mono_subscribe_instant(p2call *c) {
  return new_pollable(c, PK_TIMER, -1, A_U(c, 0), c->res) ? NOMEM(c) : P2_OK;
}
static int f_mono_subscribe_duration(p2call *c) {
  uint64_t now = mono_ns(), d = A_U(c, 0);
  return new_pollable(c, PK_TIMER, -1, d > UINT64_MAX - now ? UINT64_MAX : now + d, c->res) ? NOMEM(c) : P2_OK;
}
static int datetime(p2call *c, wk_cval *v, struct timespec t) {
  if (cv_seq(c, v, WK_CABI_RECORD, 2)) return -1;
  cv_u(&v->of.seq.items[0], WK_CABI_U64, (uint64_t)t.tv_sec);
  cv_u(&v->of.seq.items[1], WK_CABI_U32, (uint64_t)t.tv_nsec);
  return 0;
}
static int f_wall_now(p2call *c) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  if (t.tv_sec < 0) t.tv_sec = 0, t.tv_nsec = 0;
  return datetime(c, c->res, t) ? NOMEM(c) : P2_OK;
}
static int f_wall_resolution(p2call *c) {
  struct timespec t;
  clock_getres(CLOCK_REALTIME, &t);
  return datetime(c, c->res, t) ? NOMEM(c) : P2_OK;
}

/* wasi:clocks/timezone (@unstable in the WIT; jco's 0.2.10 copy has it
 * ungated): the sandbox does not reveal the host's zone, every instant is UTC. */
static int f_tz_display(p2call *c) {
  if (cv_seq(c, c->res, WK_CABI_RECORD, 3) || cv_str(c, &c->res->of.seq.items[1], "UTC", 3)) return NOMEM(c);
  c->res->of.seq.items[0].kind = WK_CABI_S32;
  c->res->of.seq.items[0].of.s = 0;
  cv_bool(&c->res->of.seq.items[2], 0);
  return P2_OK;
}
static int f_tz_utc_offset(p2call *c) {
  c->res->kind = WK_CABI_S32;
  c->res->of.s = 0;
  return P2_OK;
}

/* ==== wasi:random ==== */
static uint64_t splitmix(uint64_t *s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
static int random_bytes(p2call *c, int secure) {
  uint64_t len = A_U(c, 0);
  if (len > MAX_RANDOM) return trap(c, "wasi:random: %s", "length too large");
  uint8_t *b = wk_arena_alloc(c->arena, len ? (size_t)len : 1);
  if (!b) return NOMEM(c);
  if (secure) {
    size_t got = 0;
    while (got < len) {
      ssize_t r = getrandom(b + got, (size_t)len - got, 0);
      if (r < 0) {
        if (errno == EINTR) continue;
        return trap(c, "wasi:random: getrandom failed: %s", strerror(errno));
      }
      got += (size_t)r;
    }
  } else {
    for (uint64_t i = 0; i < len; i += 8) {
      uint64_t x = splitmix(&c->p->rng);
      for (uint64_t k = 0; k < 8 && i + k < len; k++) b[i + k] = (uint8_t)(x >> (8 * k));
    }
  }
  return cv_bytes(c, c->res, b, (size_t)len) ? NOMEM(c) : P2_OK;
}
static int f_random_bytes(p2call *c) { return random_bytes(c, 1); }
static int f_random_u64(p2call *c) {
  uint64_t x;
  while (getrandom(&x, sizeof x, 0) != (ssize_t)sizeof x)
    if (errno != EINTR) return trap(c, "wasi:random: getrandom failed: %s", strerror(errno));
  cv_u(c->res, WK_CABI_U64, x);
  return P2_OK;
}
static int f_insecure_bytes(p2call *c) { return random_bytes(c, 0); }
static int f_insecure_u64(p2call *c) {
  cv_u(c->res, WK_CABI_U64, splitmix(&c->p->rng));
  return P2_OK;
}
static int f_insecure_seed(p2call *c) {
  if (cv_seq(c, c->res, WK_CABI_TUPLE, 2)) return NOMEM(c);
  cv_u(&c->res->of.seq.items[0], WK_CABI_U64, c->p->seed[0]);
  cv_u(&c->res->of.seq.items[1], WK_CABI_U64, c->p->seed[1]);
  return P2_OK;
}

/* ==== wasi:filesystem ==== */
static uint8_t dtype_of(mode_t m) {
  if (S_ISREG(m)) return DT_REG_;
  if (S_ISDIR(m)) return DT_DIR_;
  if (S_ISCHR(m)) return DT_CHAR_;
  if (S_ISBLK(m)) return DT_BLOCK_;
  if (S_ISLNK(m)) return DT_SYMLINK_;
  if (S_ISFIFO(m)) return DT_FIFO_;
  if (S_ISSOCK(m)) return DT_SOCKET_;
  return DT_UNKNOWN_;
}
static uint32_t new_desc(struct wk_p2 *p, int fd, int own, uint32_t dflags, uint8_t dtype) {
  p2res *e;
  uint32_t rep = res_new(p, RK_DESC, &e);
  if (!rep) return 0;
  e->fd = fd;
  e->own = own;
  e->dflags = dflags;
  e->dtype = dtype;
  return rep;
}
/* preopens.get-directories: list<tuple<descriptor, string>> */
static int f_get_directories(p2call *c) {
  wk_wasi *w = c->w;
  uint32_t n = 0;
  for (size_t i = 0; i < w->nfds; i++)
    if (w->fds[i].used && w->fds[i].preopen) n++;
  if (cv_seq(c, c->res, WK_CABI_LIST, n)) return NOMEM(c);
  uint32_t k = 0;
  for (size_t i = 0; i < w->nfds; i++) {
    wfd *f = &w->fds[i];
    if (!f->used || !f->preopen) continue;
    wk_cval *t = &c->res->of.seq.items[k++];
    /* the preopen's host fd is shared with preview1 (not closed at drop) */
    uint32_t rep = new_desc(c->p, f->host, 0, DF_READ | (f->readonly ? 0 : DF_MUTATE), DT_DIR_);
    if (!rep || cv_seq(c, t, WK_CABI_TUPLE, 2) || cv_str(c, &t->of.seq.items[1], f->preopen, strlen(f->preopen)))
      return NOMEM(c);
    cv_handle(c, &t->of.seq.items[0], RK_DESC, rep);
  }
  return P2_OK;
}

/* self descriptor; for directory operations must be a directory */
#define DESC(d) GET(d, 0, RK_DESC)
#define DIRDESC(d)                                    \
  DESC(d);                                            \
  if (d->dtype != DT_DIR_) return err_enum(c, EC_NOT_DIRECTORY)
#define MUTATE(d) \
  if (!(d->dflags & DF_MUTATE)) return err_enum(c, EC_NOT_PERMITTED)

static int f_read_via_stream(p2call *c) {
  DESC(d);
  if (d->dtype == DT_DIR_) return err_enum(c, EC_BAD_DESCRIPTOR);
  if (!(d->dflags & DF_READ)) return err_enum(c, EC_BAD_DESCRIPTOR);
  int fd = fcntl(d->fd, F_DUPFD_CLOEXEC, 3);
  if (fd < 0) return err_enum(c, ec_of_errno(errno));
  int rep = new_stream(c, RK_IN, fd, 1, 1, A_U(c, 1), 0);
  wk_cval *pl = cv_new(c, 1);
  if (!rep || !pl) return NOMEM(c);
  cv_handle(c, pl, RK_IN, (uint32_t)rep);
  return ok(c, pl);
}
static int out_stream(p2call *c, uint64_t off, int append) {
  DESC(d);
  if (d->dtype == DT_DIR_) return err_enum(c, EC_BAD_DESCRIPTOR);
  if (!(d->dflags & DF_WRITE)) return err_enum(c, EC_BAD_DESCRIPTOR);
  int fd = fcntl(d->fd, F_DUPFD_CLOEXEC, 3);
  if (fd < 0) return err_enum(c, ec_of_errno(errno));
  int rep = new_stream(c, RK_OUT, fd, 1, !append, off, append);
  wk_cval *pl = cv_new(c, 1);
  if (!rep || !pl) return NOMEM(c);
  cv_handle(c, pl, RK_OUT, (uint32_t)rep);
  return ok(c, pl);
}
static int f_write_via_stream(p2call *c) { return out_stream(c, A_U(c, 1), 0); }
static int f_append_via_stream(p2call *c) { return out_stream(c, 0, 1); }
static int f_advise(p2call *c) {
  DESC(d);
  static const int map[] = {POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                            POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
  uint32_t adv = c->a[3].of.var.disc;
  if (adv > 5 || (int64_t)A_U(c, 1) < 0 || (int64_t)A_U(c, 2) < 0) return err_enum(c, EC_INVALID);
  if (d->dtype == DT_DIR_) return err_enum(c, EC_BAD_DESCRIPTOR);
  int e = posix_fadvise(d->fd, (off_t)A_U(c, 1), (off_t)A_U(c, 2), map[adv]);
  return e && e != ESPIPE ? err_enum(c, ec_of_errno(e)) : ok(c, NULL);
}
static int f_sync_data(p2call *c) {
  DESC(d);
  return fdatasync(d->fd) ? err_enum(c, ec_of_errno(errno)) : ok(c, NULL);
}
static int f_sync(p2call *c) {
  DESC(d);
  return fsync(d->fd) ? err_enum(c, ec_of_errno(errno)) : ok(c, NULL);
}
static int f_get_flags(p2call *c) {
  DESC(d);
  wk_cval *pl = cv_new(c, 1);
  uint32_t *words = wk_arena_alloc(c->arena, sizeof *words);
  if (!pl || !words) return NOMEM(c);
  *words = d->dflags;
  pl->kind = WK_CABI_FLAGS;
  pl->of.flags.words = words;
  pl->of.flags.n = 1;
  return ok(c, pl);
}
static int f_get_type(p2call *c) {
  DESC(d);
  struct stat st;
  if (fstat(d->fd, &st)) return err_enum(c, ec_of_errno(errno));
  wk_cval *pl = cv_new(c, 1);
  if (!pl) return NOMEM(c);
  cv_enum(pl, dtype_of(st.st_mode));
  return ok(c, pl);
}
static int f_set_size(p2call *c) {
  DESC(d);
  if (d->dtype == DT_DIR_) return err_enum(c, EC_BAD_DESCRIPTOR);
  if (!(d->dflags & DF_WRITE)) return err_enum(c, EC_NOT_PERMITTED);
  if ((int64_t)A_U(c, 1) < 0) return err_enum(c, EC_INVALID);
  return ftruncate(d->fd, (off_t)A_U(c, 1)) ? err_enum(c, ec_of_errno(errno)) : ok(c, NULL);
}
static int kind_ok(char s, wk_cabi_kind k);
/* new-timestamp: no-change | now | timestamp(datetime); 0 or EINVAL (p1) */
static int new_ts(const wk_cval *v, struct timespec *t) {
  t->tv_sec = 0;
  switch (v->of.var.disc) {
  case 0: t->tv_nsec = UTIME_OMIT; return 0;
  case 1: t->tv_nsec = UTIME_NOW; return 0;
  default: {
    const wk_cval *dt = v->of.var.payload;
    /* the payload's shape is checked too: a component's import type is the guest's word */
    if (!dt || dt->kind != WK_CABI_RECORD || dt->of.seq.n != 2 || !kind_ok('u', dt->of.seq.items[0].kind) ||
        !kind_ok('u', dt->of.seq.items[1].kind))
      return WK_WASI_EINVAL;
    uint64_t s = dt->of.seq.items[0].of.u, ns = dt->of.seq.items[1].of.u;
    if (ns >= 1000000000ull || s > (uint64_t)INT64_MAX) return WK_WASI_EINVAL;
    t->tv_sec = (time_t)s;
    t->tv_nsec = (long)ns;
    return 0;
  }
  }
}
static int f_set_times(p2call *c) {
  DESC(d);
  struct timespec ts[2];
  int rc = new_ts(&c->a[1], &ts[0]);
  if (rc || (rc = new_ts(&c->a[2], &ts[1]))) return fs_err(c, rc);
  /* modifying metadata needs write (files) or mutate-directory (directories) */
  if (!(d->dflags & (d->dtype == DT_DIR_ ? DF_MUTATE : DF_WRITE))) return err_enum(c, EC_NOT_PERMITTED);
  return futimens(d->fd, ts) ? err_enum(c, ec_of_errno(errno)) : ok(c, NULL);
}
/* read(length, offset) -> result<tuple<list<u8>, bool>, error-code> */
static int f_read(p2call *c) {
  DESC(d);
  if (d->dtype == DT_DIR_) return err_enum(c, EC_BAD_DESCRIPTOR);
  if (!(d->dflags & DF_READ)) return err_enum(c, EC_NOT_PERMITTED);
  uint64_t len = A_U(c, 1), off = A_U(c, 2);
  if ((int64_t)off < 0) return err_enum(c, EC_INVALID);
  size_t want = len > MAX_IO ? MAX_IO : (size_t)len;
  uint8_t *buf = wk_arena_alloc(c->arena, want ? want : 1);
  wk_cval *pl = cv_new(c, 1);
  if (!buf || !pl) return NOMEM(c);
  ssize_t r;
  do r = pread(d->fd, buf, want, (off_t)off);
  while (r < 0 && errno == EINTR);
  if (r < 0) return err_enum(c, ec_of_errno(errno));
  if (cv_seq(c, pl, WK_CABI_TUPLE, 2) || cv_bytes(c, &pl->of.seq.items[0], buf, (size_t)r)) return NOMEM(c);
  cv_bool(&pl->of.seq.items[1], r == 0); /* end of file: nothing left at offset (as wasmtime) */
  return ok(c, pl);
}
static int f_write(p2call *c) {
  DESC(d);
  if (d->dtype == DT_DIR_) return err_enum(c, EC_BAD_DESCRIPTOR);
  if (!(d->dflags & DF_WRITE)) return err_enum(c, EC_NOT_PERMITTED);
  size_t n;
  const uint8_t *b = list_bytes(c, 1, &n);
  uint64_t off = A_U(c, 2);
  wk_cval *pl = cv_new(c, 1);
  if (!b || !pl) return NOMEM(c);
  if ((int64_t)off < 0) return err_enum(c, EC_INVALID);
  ssize_t r;
  do r = pwrite(d->fd, b, n, (off_t)off);
  while (r < 0 && errno == EINTR);
  if (r < 0) return err_enum(c, ec_of_errno(errno));
  cv_u(pl, WK_CABI_U64, (uint64_t)r);
  return ok(c, pl);
}
static int f_read_directory(p2call *c) {
  DIRDESC(d);
  if (!(d->dflags & DF_READ)) return err_enum(c, EC_NOT_PERMITTED);
  int dfd = d->fd; /* res_new below may move the table (and d) */
  int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return err_enum(c, ec_of_errno(errno));
  DIR *dir = fdopendir(fd);
  if (!dir) { int e = errno; close(fd); return err_enum(c, ec_of_errno(e)); }
  p2res *e;
  uint32_t rep = res_new(c->p, RK_DIRSTREAM, &e);
  wk_cval *pl = cv_new(c, 1);
  if (!rep || !pl) { closedir(dir); return NOMEM(c); }
  size_t cap = 0;
  struct dirent *de;
  int rc = 0;
  while ((de = readdir(dir))) {
    if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue; /* the WIT: not included */
    if (e->n == cap) {
      size_t nc = cap ? cap * 2 : 32;
      char **nn = realloc(e->names, nc * sizeof *nn);
      if (nn) e->names = nn;
      uint8_t *nt = nn ? realloc(e->types, nc) : NULL;
      if (nt) e->types = nt;
      if (!nn || !nt) { rc = 1; break; }
      cap = nc;
    }
    if (!(e->names[e->n] = strdup(de->d_name))) { rc = 1; break; }
    struct stat st;
    uint8_t t;
    switch (de->d_type) {
    case DT_REG: t = DT_REG_; break;
    case DT_DIR: t = DT_DIR_; break;
    case DT_LNK: t = DT_SYMLINK_; break;
    case DT_CHR: t = DT_CHAR_; break;
    case DT_BLK: t = DT_BLOCK_; break;
    case DT_FIFO: t = DT_FIFO_; break;
    case DT_SOCK: t = DT_SOCKET_; break;
    default: t = fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) ? DT_UNKNOWN_ : dtype_of(st.st_mode);
    }
    e->types[e->n++] = t;
  }
  closedir(dir);
  if (rc) { res_release(c->p, rep - 1); return NOMEM(c); }
  cv_handle(c, pl, RK_DIRSTREAM, rep);
  return ok(c, pl);
}
static int f_read_directory_entry(p2call *c) {
  GET(e, 0, RK_DIRSTREAM);
  wk_cval *v = cv_new(c, 2);
  if (!v) return NOMEM(c);
  if (e->pos >= e->n) {
    cv_var(v, WK_CABI_OPTION, 0, NULL);
    return ok(c, v);
  }
  /* directory-entry.name is a WIT string (Unicode scalar values, wasi-filesystem types.wit:
   * "Some filesystems may contain paths which are not accessible by this API"): a host name
   * that is not UTF-8 is this entry's error-code::illegal-byte-sequence, and the stream goes on
   * (wasmtime-wasi's ReaddirError::IllegalSequence); lowering it would trap the guest. */
  if (!wk_utf8_valid((const uint8_t *)e->names[e->pos], strlen(e->names[e->pos]))) {
    e->pos++;
    return err_enum(c, EC_ILLEGAL_BYTE_SEQUENCE);
  }
  if (cv_seq(c, &v[1], WK_CABI_RECORD, 2) ||
      cv_str(c, &v[1].of.seq.items[1], e->names[e->pos], strlen(e->names[e->pos])))
    return NOMEM(c);
  cv_enum(&v[1].of.seq.items[0], e->types[e->pos]);
  e->pos++;
  cv_var(v, WK_CABI_OPTION, 1, &v[1]);
  return ok(c, v);
}
static int create_dir_at(p2call *c) {
  DIRDESC(d);
  MUTATE(d);
  char path[WK_SB_PATH_MAX + 1];
  int rc = A_PATH(c, 1, path);
  if (!rc) rc = wk_at_mkdir(d->fd, c->w->use_openat2, path);
  return rc ? fs_err(c, rc) : ok(c, NULL);
}
/* descriptor-stat record */
static int put_stat(p2call *c, wk_cval *v, const struct stat *st) {
  if (cv_seq(c, v, WK_CABI_RECORD, 6)) return -1;
  wk_cval *f = v->of.seq.items;
  cv_enum(&f[0], dtype_of(st->st_mode));
  cv_u(&f[1], WK_CABI_U64, (uint64_t)st->st_nlink);
  cv_u(&f[2], WK_CABI_U64, (uint64_t)st->st_size);
  const struct timespec *ts[3] = {&st->st_atim, &st->st_mtim, &st->st_ctim};
  for (int i = 0; i < 3; i++) {
    if (ts[i]->tv_sec < 0) { /* before the epoch: no datetime for it */
      cv_var(&f[3 + i], WK_CABI_OPTION, 0, NULL);
      continue;
    }
    wk_cval *dt = cv_new(c, 1);
    if (!dt || datetime(c, dt, *ts[i])) return -1;
    cv_var(&f[3 + i], WK_CABI_OPTION, 1, dt);
  }
  return 0;
}
static int f_stat(p2call *c) {
  DESC(d);
  struct stat st;
  if (fstat(d->fd, &st)) return err_enum(c, ec_of_errno(errno));
  wk_cval *pl = cv_new(c, 1);
  if (!pl || put_stat(c, pl, &st)) return NOMEM(c);
  return ok(c, pl);
}
static int f_stat_at(p2call *c) {
  DIRDESC(d);
  char path[WK_SB_PATH_MAX + 1];
  struct stat st;
  int rc = A_PATH(c, 2, path);
  if (!rc) rc = wk_at_stat(d->fd, c->w->use_openat2, path, A_FLAGS(c, 1) & 1, &st);
  if (rc) return fs_err(c, rc);
  wk_cval *pl = cv_new(c, 1);
  if (!pl || put_stat(c, pl, &st)) return NOMEM(c);
  return ok(c, pl);
}
static int f_set_times_at(p2call *c) {
  DIRDESC(d);
  MUTATE(d);
  char path[WK_SB_PATH_MAX + 1];
  struct timespec ts[2];
  int rc = A_PATH(c, 2, path);
  if (!rc) rc = new_ts(&c->a[3], &ts[0]);
  if (!rc) rc = new_ts(&c->a[4], &ts[1]);
  if (!rc) rc = wk_at_utimes(d->fd, c->w->use_openat2, path, A_FLAGS(c, 1) & 1, ts);
  return rc ? fs_err(c, rc) : ok(c, NULL);
}
static int f_link_at(p2call *c) {
  DIRDESC(d);
  GET(nd, 3, RK_DESC);
  if (nd->dtype != DT_DIR_) return err_enum(c, EC_NOT_DIRECTORY);
  MUTATE(d);
  MUTATE(nd);
  if (A_FLAGS(c, 1) & 1) return err_enum(c, EC_INVALID); /* link-at never follows (as wasmtime) */
  char op[WK_SB_PATH_MAX + 1], np[WK_SB_PATH_MAX + 1];
  int rc = A_PATH(c, 2, op);
  if (!rc) rc = A_PATH(c, 4, np);
  if (!rc) rc = wk_at_link(d->fd, op, A_FLAGS(c, 1) & 1, nd->fd, np, c->w->use_openat2);
  return rc ? fs_err(c, rc) : ok(c, NULL);
}
/* open-at(path-flags, path, open-flags, descriptor-flags) -> result<descriptor, error-code> */
static int f_open_at(p2call *c) {
  DIRDESC(d);
  char path[WK_SB_PATH_MAX + 1];
  uint32_t pf = A_FLAGS(c, 1), of = A_FLAGS(c, 3), df = A_FLAGS(c, 4);
  int rc = A_PATH(c, 2, path);
  if (rc) return fs_err(c, rc);
  /* Without mutate-directory (a read-only preopen), nothing that could
   * modify the file system: creating, truncating or opening for writing. */
  if (!(d->dflags & DF_MUTATE) && ((of & (OF_CREATE | OF_TRUNCATE)) || (df & DF_WRITE)))
    return err_enum(c, EC_NOT_PERMITTED);
  if ((of & OF_DIRECTORY) && (of & (OF_CREATE | OF_EXCLUSIVE | OF_TRUNCATE))) return err_enum(c, EC_INVALID);
  if ((of & OF_DIRECTORY) && (df & DF_WRITE)) return err_enum(c, EC_IS_DIRECTORY);
  /* as wasmtime: create and truncate open for writing; without the write
   * flag the file is opened for reading (its flags then say what is allowed) */
  int wr = (df & DF_WRITE) || (of & (OF_CREATE | OF_TRUNCATE)), rd = (df & DF_READ) || !(df & DF_WRITE);
  if (of & OF_DIRECTORY) wr = 0, rd = 1;
  int fl = wr ? (rd ? O_RDWR : O_WRONLY) : O_RDONLY;
  if (of & OF_CREATE) fl |= O_CREAT;
  if (of & OF_EXCLUSIVE) fl |= O_EXCL;
  if (of & OF_TRUNCATE) fl |= O_TRUNC;
  if (of & OF_DIRECTORY) fl |= O_DIRECTORY;
  if (df & DF_FSYNC) fl |= O_SYNC;
  else if (df & DF_DSYNC) fl |= O_DSYNC;
  if (df & DF_RSYNC) fl |= O_RSYNC;
  fl |= O_NOCTTY;
  int h;
  rc = wk_sb_open(d->fd, path, fl, 0666, pf & 1, c->w->use_openat2, &h);
  if (rc) return fs_err(c, rc);
  struct stat st;
  if (fstat(h, &st)) { int e = errno; close(h); return err_enum(c, ec_of_errno(e)); }
  uint8_t t = dtype_of(st.st_mode);
  uint32_t nf = df & (DF_FSYNC | DF_DSYNC | DF_RSYNC);
  if (t == DT_DIR_) {
    /* a directory inherits its parent's permission to mutate (as wasmtime's
     * Dir::new(.., d.perms, ..)); under a ::ro preopen it never has it */
    nf = DF_READ | (d->dflags & DF_MUTATE);
    if ((fl & O_ACCMODE) != O_RDONLY) { close(h); return err_enum(c, EC_IS_DIRECTORY); }
  } else {
    nf |= (rd ? DF_READ : 0) | (wr ? DF_WRITE : 0);
  }
  uint32_t rep = new_desc(c->p, h, 1, nf, t);
  wk_cval *pl = cv_new(c, 1);
  if (!rep || !pl) { if (!rep) close(h); return NOMEM(c); }
  cv_handle(c, pl, RK_DESC, rep);
  return ok(c, pl);
}
static int f_readlink_at(p2call *c) {
  DIRDESC(d);
  char path[WK_SB_PATH_MAX + 1], out[WK_SB_PATH_MAX + 1];
  size_t n = 0;
  int rc = A_PATH(c, 1, path);
  if (!rc) rc = wk_at_readlink(d->fd, c->w->use_openat2, path, out, sizeof out, &n);
  if (rc) return fs_err(c, rc);
  /* the target is a WIT string: a non-UTF-8 one is illegal-byte-sequence (as wasmtime-wasi) */
  if (!wk_utf8_valid((const uint8_t *)out, n)) return err_enum(c, EC_ILLEGAL_BYTE_SEQUENCE);
  wk_cval *pl = cv_new(c, 1);
  if (!pl || cv_str(c, pl, out, n)) return NOMEM(c);
  return ok(c, pl);
}
static int f_remove_directory_at(p2call *c) {
  DIRDESC(d);
  MUTATE(d);
  char path[WK_SB_PATH_MAX + 1];
  int rc = A_PATH(c, 1, path);
  if (!rc) rc = wk_at_rmdir(d->fd, c->w->use_openat2, path);
  return rc ? fs_err(c, rc) : ok(c, NULL);
}
static int f_rename_at(p2call *c) {
  DIRDESC(d);
  GET(nd, 2, RK_DESC);
  if (nd->dtype != DT_DIR_) return err_enum(c, EC_NOT_DIRECTORY);
  MUTATE(d);
  MUTATE(nd);
  char op[WK_SB_PATH_MAX + 1], np[WK_SB_PATH_MAX + 1];
  int rc = A_PATH(c, 1, op);
  if (!rc) rc = A_PATH(c, 3, np);
  if (!rc) rc = wk_at_rename(d->fd, op, nd->fd, np, c->w->use_openat2);
  return rc ? fs_err(c, rc) : ok(c, NULL);
}
static int f_symlink_at(p2call *c) {
  DIRDESC(d);
  MUTATE(d);
  char target[WK_SB_PATH_MAX + 1], path[WK_SB_PATH_MAX + 1];
  int rc = A_PATH(c, 1, target);
  if (!rc) rc = A_PATH(c, 2, path);
  if (!rc) rc = wk_at_symlink(target, d->fd, path, c->w->use_openat2);
  return rc ? fs_err(c, rc) : ok(c, NULL);
}
static int f_unlink_file_at(p2call *c) {
  DIRDESC(d);
  MUTATE(d);
  char path[WK_SB_PATH_MAX + 1];
  int rc = A_PATH(c, 1, path);
  if (!rc) rc = wk_at_unlink(d->fd, c->w->use_openat2, path);
  return rc ? fs_err(c, rc) : ok(c, NULL);
}
static int f_is_same_object(p2call *c) {
  DESC(a);
  GET(b, 1, RK_DESC);
  struct stat sa, sb;
  cv_bool(c->res, !fstat(a->fd, &sa) && !fstat(b->fd, &sb) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino);
  return P2_OK;
}
/* metadata-hash-value {lower, upper}: a mix of (device, inode), equal for
 * the same object and (with overwhelming probability) different otherwise. */
static int put_hash(p2call *c, const struct stat *st) {
  wk_cval *pl = cv_new(c, 1);
  if (!pl || cv_seq(c, pl, WK_CABI_RECORD, 2)) return NOMEM(c);
  uint64_t s1 = (uint64_t)st->st_dev ^ 0x6a09e667f3bcc908ull, s2 = (uint64_t)st->st_ino ^ 0xbb67ae8584caa73bull;
  uint64_t lo = splitmix(&s1) ^ splitmix(&s2);
  uint64_t hi = splitmix(&s2) ^ splitmix(&s1);
  cv_u(&pl->of.seq.items[0], WK_CABI_U64, lo);
  cv_u(&pl->of.seq.items[1], WK_CABI_U64, hi);
  return ok(c, pl);
}
static int f_metadata_hash(p2call *c) {
  DESC(d);
  struct stat st;
  if (fstat(d->fd, &st)) return err_enum(c, ec_of_errno(errno));
  return put_hash(c, &st);
}
static int f_metadata_hash_at(p2call *c) {
  DIRDESC(d);
  char path[WK_SB_PATH_MAX + 1];
  struct stat st;
  int rc = A_PATH(c, 2, path);
  if (!rc) rc = wk_at_stat(d->fd, c->w->use_openat2, path, A_FLAGS(c, 1) & 1, &st);
  return rc ? fs_err(c, rc) : put_hash(c, &st);
}
/* filesystem-error-code(borrow<error>) -> option<error-code> */
static int f_filesystem_error_code(p2call *c) {
  GET(e, 0, RK_ERR);
  if (e->code < 0) {
    cv_var(c->res, WK_CABI_OPTION, 0, NULL);
    return P2_OK;
  }
  wk_cval *pl = cv_new(c, 1);
  if (!pl) return NOMEM(c);
  cv_enum(pl, (uint32_t)e->code);
  cv_var(c->res, WK_CABI_OPTION, 1, pl);
  return P2_OK;
}

/* ==== wasi:sockets ====
 * Denied unless granted (wk_wasi_p2_allow_network), with the answers of
 * wasmtime-wasi 48 (crates/wasi/src/sockets: tcp.rs, udp.rs,
 * ip_name_lookup.rs; the first wasmtime whose `wasmtime run` denies socket
 * creation by default, commit 55433cf "Disallow TCP/UDP socket creation by
 * default"; it ships the WASI 0.2.12 WIT):
 * - create-tcp-socket / create-udp-socket: access-denied without
 *   WK_WASI_NET_TCP / WK_WASI_NET_UDP (wasmtime's allow_tcp / allow_udp,
 *   `-S tcp` / `-S udp`; check_allowed_tcp/udp before socket()).
 * - every use of an address without WK_WASI_NET_INHERIT (wasmtime's
 *   socket_addr_check, which `-S inherit-network` makes always-true and which
 *   otherwise refuses every address): start-bind answers access-denied after
 *   its state and argument checks; start-connect answers ok after them and
 *   the first finish-connect answers access-denied (wasmtime runs the check
 *   inside the connect future), without a connect(); start-listen, UDP
 *   stream(remote) and UDP send answer access-denied. In wasmtime (and here)
 *   the last three are only reachable with a bound socket, so only by an
 *   embedder withdrawing the grant after a bind; they are checked anyway.
 *   Not checked: accept and receive on a socket bound under the grant
 *   (wasmtime's TcpAccept/UdpReceive checks silently drop the peer there).
 * - resolve-addresses: permanent-resolver-failure without WK_WASI_NET_LOOKUP
 *   (wasmtime's allow_ip_name_lookup: ip_name_lookup.rs, before the name is
 *   parsed; jco's preview2-shim answers the same).
 * The WIT allows access-denied from every function (wasi:sockets/network
 * error-code: "a couple of errors that are always possible") and calls bind
 * async so that "hosts [may] inject permission prompts" (tcp.wit start-bind).
 * A socket created without INHERIT is a host socket (so its options read as
 * wasmtime's do), never bound or connected: tcp-create-socket's WIT calls it
 * "an in-memory configuration object, unable to communicate with the outside
 * world" until bind/connect, and every syscall that would give it an address
 * or send (bind, connect, listen, sendto) is behind the INHERIT check.
 * Differences of older wasmtime (17 to 47) and jco's shim with the network
 * denied: creation succeeds without a grant, and start-bind / start-connect
 * (jco: also stream) refuse first, before their state and argument checks.
 * Granted, sockets are host sockets (non-blocking; IPv6 ones IPV6_V6ONLY)
 * and the state machine of the WIT (wasi:sockets/tcp, udp) is followed. */
enum {
  NE_UNKNOWN, NE_ACCESS_DENIED, NE_NOT_SUPPORTED, NE_INVALID_ARGUMENT, NE_OUT_OF_MEMORY, NE_TIMEOUT,
  NE_CONCURRENCY_CONFLICT, NE_NOT_IN_PROGRESS, NE_WOULD_BLOCK, NE_INVALID_STATE, NE_NEW_SOCKET_LIMIT,
  NE_ADDRESS_NOT_BINDABLE, NE_ADDRESS_IN_USE, NE_REMOTE_UNREACHABLE, NE_CONNECTION_REFUSED,
  NE_CONNECTION_RESET, NE_CONNECTION_ABORTED, NE_DATAGRAM_TOO_LARGE, NE_NAME_UNRESOLVABLE,
  NE_TEMPORARY_RESOLVER_FAILURE, NE_PERMANENT_RESOLVER_FAILURE
};
/* socket states (tcp; udp uses UNBOUND, BIND_STARTED, BOUND) */
enum { SS_UNBOUND, SS_BIND_STARTED, SS_BOUND, SS_LISTEN_STARTED, SS_LISTENING, SS_CONNECTING, SS_CONNECTED,
       SS_CLOSED };
#define UDP_SEND_PERMIT 64
#define UDP_MAX_DATAGRAM 65536

void wk_wasi_p2_allow_network(wk_wasi *w, unsigned grants) { w->net_grants = grants; }

static uint32_t ne_of_errno(int e) {
  switch (e) {
  case EACCES: case EPERM: return NE_ACCESS_DENIED;
  case EAFNOSUPPORT: case EOPNOTSUPP: case EPROTONOSUPPORT: return NE_NOT_SUPPORTED;
  case EINVAL: case EDESTADDRREQ: return NE_INVALID_ARGUMENT;
  case ENOMEM: case ENOBUFS: return NE_OUT_OF_MEMORY;
  case ETIMEDOUT: return NE_TIMEOUT;
  case EALREADY: return NE_CONCURRENCY_CONFLICT;
  case EAGAIN: return NE_WOULD_BLOCK;
  case EISCONN: case ENOTCONN: return NE_INVALID_STATE;
  case EMFILE: case ENFILE: return NE_NEW_SOCKET_LIMIT;
  case EADDRNOTAVAIL: return NE_ADDRESS_NOT_BINDABLE;
  case EADDRINUSE: return NE_ADDRESS_IN_USE;
  case EHOSTUNREACH: case ENETUNREACH: case ENETDOWN: return NE_REMOTE_UNREACHABLE;
  case ECONNREFUSED: return NE_CONNECTION_REFUSED;
  case ECONNRESET: case EPIPE: return NE_CONNECTION_RESET;
  case ECONNABORTED: return NE_CONNECTION_ABORTED;
  case EMSGSIZE: return NE_DATAGRAM_TOO_LARGE;
  default: return NE_UNKNOWN;
  }
}
static int net_err(p2call *c, uint32_t code) { return err_enum(c, code); }
static int net_errno(p2call *c, int e) { return err_enum(c, ne_of_errno(e)); }
/* wasmtime's socket_addr_check as `wasmtime run` sets it: every address
 * allowed with -S inherit-network, none without (see above) */
static int addr_denied(p2call *c) { return !(c->w->net_grants & WK_WASI_NET_INHERIT); }

static int f_instance_network(p2call *c) {
  p2res *e;
  uint32_t rep = res_new(c->p, RK_NET, &e);
  if (!rep) return NOMEM(c);
  cv_handle(c, c->res, RK_NET, rep);
  return P2_OK;
}
static int f_network_error_code(p2call *c) {
  GET(e, 0, RK_ERR);
  (void)e;
  cv_var(c->res, WK_CABI_OPTION, 0, NULL); /* stream errors here carry filesystem codes only */
  return P2_OK;
}
static int f_noop(p2call *c) { return P2_OK; }

/* ---- addresses ---- */
static int is_u(const wk_cval *v) { return v && kind_ok('u', v->kind); }
/* ip-socket-address (variant ipv4(record{port, address: tuple<u8 x4>}) |
 * ipv6(record{port, flow-info, address: tuple<u16 x8>, scope-id})) to a
 * sockaddr; 0 or NE_INVALID_ARGUMENT (any malformed shape too). */
static int sa_from(const wk_cval *v, struct sockaddr_storage *ss, socklen_t *len) {
  memset(ss, 0, sizeof *ss);
  if (!v || v->kind != WK_CABI_VARIANT || !v->of.var.payload) return NE_INVALID_ARGUMENT;
  const wk_cval *r = v->of.var.payload;
  if (r->kind != WK_CABI_RECORD) return NE_INVALID_ARGUMENT;
  const wk_cval *f = r->of.seq.items;
  if (v->of.var.disc == 0) {
    if (r->of.seq.n != 2 || !is_u(&f[0]) || f[1].kind != WK_CABI_TUPLE || f[1].of.seq.n != 4) return NE_INVALID_ARGUMENT;
    struct sockaddr_in *a = (struct sockaddr_in *)ss;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)f[0].of.u);
    uint8_t *b = (uint8_t *)&a->sin_addr;
    for (int i = 0; i < 4; i++) {
      if (!is_u(&f[1].of.seq.items[i])) return NE_INVALID_ARGUMENT;
      b[i] = (uint8_t)f[1].of.seq.items[i].of.u;
    }
    *len = sizeof *a;
    return 0;
  }
  if (v->of.var.disc != 1 || r->of.seq.n != 4 || !is_u(&f[0]) || !is_u(&f[1]) || f[2].kind != WK_CABI_TUPLE ||
      f[2].of.seq.n != 8 || !is_u(&f[3]))
    return NE_INVALID_ARGUMENT;
  struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
  a->sin6_family = AF_INET6;
  a->sin6_port = htons((uint16_t)f[0].of.u);
  a->sin6_flowinfo = htonl((uint32_t)f[1].of.u);
  for (int i = 0; i < 8; i++) {
    if (!is_u(&f[2].of.seq.items[i])) return NE_INVALID_ARGUMENT;
    uint16_t x = (uint16_t)f[2].of.seq.items[i].of.u;
    a->sin6_addr.s6_addr[2 * i] = (uint8_t)(x >> 8);
    a->sin6_addr.s6_addr[2 * i + 1] = (uint8_t)x;
  }
  a->sin6_scope_id = (uint32_t)f[3].of.u;
  *len = sizeof *a;
  return 0;
}
/* ip-address (variant ipv4(tuple<u8 x4>) | ipv6(tuple<u16 x8>)) of a sockaddr */
static int ip_to(p2call *c, wk_cval *v, const struct sockaddr_storage *ss) {
  if (ss->ss_family == AF_INET) {
    const uint8_t *b = (const uint8_t *)&((const struct sockaddr_in *)ss)->sin_addr;
    wk_cval *t = cv_new(c, 1);
    if (!t || cv_seq(c, t, WK_CABI_TUPLE, 4)) return -1;
    for (int i = 0; i < 4; i++) cv_u(&t->of.seq.items[i], WK_CABI_U8, b[i]);
    cv_var(v, WK_CABI_VARIANT, 0, t);
  } else {
    const uint8_t *b = ((const struct sockaddr_in6 *)ss)->sin6_addr.s6_addr;
    wk_cval *t = cv_new(c, 1);
    if (!t || cv_seq(c, t, WK_CABI_TUPLE, 8)) return -1;
    for (int i = 0; i < 8; i++) cv_u(&t->of.seq.items[i], WK_CABI_U16, (uint64_t)(b[2 * i] << 8 | b[2 * i + 1]));
    cv_var(v, WK_CABI_VARIANT, 1, t);
  }
  return 0;
}
/* ip-socket-address of a sockaddr */
static int sa_to(p2call *c, wk_cval *v, const struct sockaddr_storage *ss) {
  wk_cval *r = cv_new(c, 1), ip;
  if (!r || ip_to(c, &ip, ss)) return -1;
  if (ss->ss_family == AF_INET) {
    const struct sockaddr_in *a = (const struct sockaddr_in *)ss;
    if (cv_seq(c, r, WK_CABI_RECORD, 2)) return -1;
    cv_u(&r->of.seq.items[0], WK_CABI_U16, ntohs(a->sin_port));
    r->of.seq.items[1] = *ip.of.var.payload;
    cv_var(v, WK_CABI_VARIANT, 0, r);
  } else {
    const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;
    if (cv_seq(c, r, WK_CABI_RECORD, 4)) return -1;
    cv_u(&r->of.seq.items[0], WK_CABI_U16, ntohs(a->sin6_port));
    cv_u(&r->of.seq.items[1], WK_CABI_U32, ntohl(a->sin6_flowinfo));
    r->of.seq.items[2] = *ip.of.var.payload;
    cv_u(&r->of.seq.items[3], WK_CABI_U32, a->sin6_scope_id);
    cv_var(v, WK_CABI_VARIANT, 1, r);
  }
  return 0;
}
static int sa_unspecified(const struct sockaddr_storage *ss) {
  if (ss->ss_family == AF_INET) return ((const struct sockaddr_in *)ss)->sin_addr.s_addr == 0;
  static const uint8_t zero[16];
  return !memcmp(((const struct sockaddr_in6 *)ss)->sin6_addr.s6_addr, zero, 16);
}
static int sa_port(const struct sockaddr_storage *ss) {
  return ss->ss_family == AF_INET ? ntohs(((const struct sockaddr_in *)ss)->sin_port)
                                  : ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
}

/* ---- sockets ---- */
static int create_socket(p2call *c, uint8_t kind, int type) {
  if (!(c->w->net_grants & (kind == RK_TCP ? WK_WASI_NET_TCP : WK_WASI_NET_UDP))) return net_err(c, NE_ACCESS_DENIED);
  uint32_t fam = c->a[0].of.var.disc;
  if (fam > 1) return net_err(c, NE_INVALID_ARGUMENT);
  int af = fam == 0 ? AF_INET : AF_INET6;
  int fd = socket(af, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return net_errno(c, errno);
  if (af == AF_INET6) {
    int one = 1;
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  }
  p2res *e;
  uint32_t rep = res_new(c->p, kind, &e);
  wk_cval *pl = cv_new(c, 1);
  if (!rep || !pl) { close(fd); return NOMEM(c); }
  e->fd = fd;
  e->own = 1;
  e->family = af;
  e->sstate = SS_UNBOUND;
  e->backlog = 128;
  cv_handle(c, pl, kind, rep);
  return ok(c, pl);
}
static int f_create_tcp(p2call *c) { return create_socket(c, RK_TCP, SOCK_STREAM); }
static int f_create_udp(p2call *c) { return create_socket(c, RK_UDP, SOCK_DGRAM); }

/* self socket of `kind`, the network argument at 1 */
static int start_bind(p2call *c, uint8_t kind) {
  GET(s, 0, kind);
  GET(net, 1, RK_NET);
  (void)net;
  struct sockaddr_storage ss;
  socklen_t len;
  if (s->sstate != SS_UNBOUND) return net_err(c, NE_INVALID_STATE);
  if (sa_from(&c->a[2], &ss, &len) || ss.ss_family != s->family) return net_err(c, NE_INVALID_ARGUMENT);
  if (addr_denied(c)) return net_err(c, NE_ACCESS_DENIED); /* still unbound: a later start-bind is checked again */
  if (kind == RK_TCP) {
    int one = 1; /* as wasmtime on Unix: a listener may rebind a port in TIME_WAIT */
    setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  }
  if (bind(s->fd, (struct sockaddr *)&ss, len)) return net_errno(c, errno);
  s->sstate = SS_BIND_STARTED;
  return ok(c, NULL);
}
static int finish_bind(p2call *c, uint8_t kind) {
  GET(s, 0, kind);
  if (s->sstate != SS_BIND_STARTED) return net_err(c, NE_NOT_IN_PROGRESS);
  s->sstate = SS_BOUND;
  return ok(c, NULL);
}
static int f_tcp_start_bind(p2call *c) { return start_bind(c, RK_TCP); }
static int f_tcp_finish_bind(p2call *c) { return finish_bind(c, RK_TCP); }
static int f_udp_start_bind(p2call *c) { return start_bind(c, RK_UDP); }
static int f_udp_finish_bind(p2call *c) { return finish_bind(c, RK_UDP); }

static int f_tcp_start_connect(p2call *c) {
  GET(s, 0, RK_TCP);
  GET(net, 1, RK_NET);
  (void)net;
  struct sockaddr_storage ss;
  socklen_t len;
  if (s->sstate == SS_CONNECTING) return net_err(c, NE_CONCURRENCY_CONFLICT);
  if (s->sstate != SS_UNBOUND && s->sstate != SS_BOUND) return net_err(c, NE_INVALID_STATE);
  if (sa_from(&c->a[2], &ss, &len) || ss.ss_family != s->family || sa_port(&ss) == 0 || sa_unspecified(&ss))
    return net_err(c, NE_INVALID_ARGUMENT);
  if (addr_denied(c)) { /* refused, as wasmtime does, by the first finish-connect; no connect() */
    s->sstate = SS_CONNECTING;
    s->refused = 1;
    return ok(c, NULL);
  }
  if (connect(s->fd, (struct sockaddr *)&ss, len) && errno != EINPROGRESS) {
    int e = errno;
    s->sstate = SS_CLOSED;
    return net_errno(c, e);
  }
  s->sstate = SS_CONNECTING;
  return ok(c, NULL);
}
/* (own input-stream, own output-stream) over dups of a connected socket */
static int sock_streams(p2call *c, int fd, wk_cval *in, wk_cval *out) {
  int a = fcntl(fd, F_DUPFD_CLOEXEC, 3), b = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (a < 0 || b < 0) {
    int e = errno;
    if (a >= 0) close(a);
    if (b >= 0) close(b);
    return e;
  }
  int ri = new_stream(c, RK_IN, a, 1, 0, 0, 0);
  int ro = ri ? new_stream(c, RK_OUT, b, 1, 0, 0, 0) : (close(b), 0);
  if (!ri || !ro) return ENOMEM;
  c->p->r[ro - 1].sock = 1;
  cv_handle(c, in, RK_IN, (uint32_t)ri);
  cv_handle(c, out, RK_OUT, (uint32_t)ro);
  return 0;
}
static int f_tcp_finish_connect(p2call *c) {
  GET(s, 0, RK_TCP);
  if (s->sstate != SS_CONNECTING) return net_err(c, NE_NOT_IN_PROGRESS);
  if (s->refused) { /* wasmtime: the socket is then closed with that error */
    s->sstate = SS_CLOSED;
    return net_err(c, NE_ACCESS_DENIED);
  }
  struct pollfd pf = {s->fd, POLLOUT, 0};
  if (poll(&pf, 1, 0) == 0) return net_err(c, NE_WOULD_BLOCK);
  int err = 0, fd = s->fd;
  socklen_t el = sizeof err;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el)) err = errno;
  if (err) {
    s->sstate = SS_CLOSED;
    return net_errno(c, err);
  }
  s->sstate = SS_CONNECTED;
  wk_cval *t = cv_new(c, 1);
  if (!t || cv_seq(c, t, WK_CABI_TUPLE, 2)) return NOMEM(c);
  int e = sock_streams(c, fd, &t->of.seq.items[0], &t->of.seq.items[1]);
  if (e == ENOMEM) return NOMEM(c);
  if (e) return net_errno(c, e);
  return ok(c, t);
}
static int f_tcp_start_listen(p2call *c) {
  GET(s, 0, RK_TCP);
  if (s->sstate == SS_LISTEN_STARTED) return net_err(c, NE_CONCURRENCY_CONFLICT);
  if (s->sstate != SS_BOUND) return net_err(c, NE_INVALID_STATE);
  if (addr_denied(c)) return net_err(c, NE_ACCESS_DENIED); /* wasmtime's TcpListen check */
  if (listen(s->fd, s->backlog)) return net_errno(c, errno);
  s->sstate = SS_LISTEN_STARTED;
  return ok(c, NULL);
}
static int f_tcp_finish_listen(p2call *c) {
  GET(s, 0, RK_TCP);
  if (s->sstate != SS_LISTEN_STARTED) return net_err(c, NE_NOT_IN_PROGRESS);
  s->sstate = SS_LISTENING;
  return ok(c, NULL);
}
static int f_tcp_accept(p2call *c) {
  GET(s, 0, RK_TCP);
  if (s->sstate != SS_LISTENING) return net_err(c, NE_INVALID_STATE);
  int family = s->family;
  int fd = accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) return net_errno(c, errno);
  p2res *e;
  uint32_t rep = res_new(c->p, RK_TCP, &e); /* may move s */
  wk_cval *t = cv_new(c, 1);
  if (!rep || !t || cv_seq(c, t, WK_CABI_TUPLE, 3)) { close(fd); return NOMEM(c); }
  e->fd = fd;
  e->own = 1;
  e->family = family;
  e->sstate = SS_CONNECTED;
  e->backlog = 128;
  cv_handle(c, &t->of.seq.items[0], RK_TCP, rep);
  int er = sock_streams(c, fd, &t->of.seq.items[1], &t->of.seq.items[2]);
  if (er == ENOMEM) return NOMEM(c);
  if (er) return net_errno(c, er);
  return ok(c, t);
}
static int sock_addr(p2call *c, uint8_t kind, int remote) {
  GET(s, 0, kind);
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (remote ? (kind == RK_TCP ? s->sstate != SS_CONNECTED : !s->has_remote) : s->sstate == SS_UNBOUND)
    return net_err(c, NE_INVALID_STATE);
  if (remote ? getpeername(s->fd, (struct sockaddr *)&ss, &len) : getsockname(s->fd, (struct sockaddr *)&ss, &len))
    return net_errno(c, errno);
  wk_cval *pl = cv_new(c, 1);
  if (!pl || sa_to(c, pl, &ss)) return NOMEM(c);
  return ok(c, pl);
}
static int f_tcp_local_address(p2call *c) { return sock_addr(c, RK_TCP, 0); }
static int f_tcp_remote_address(p2call *c) { return sock_addr(c, RK_TCP, 1); }
static int f_udp_local_address(p2call *c) { return sock_addr(c, RK_UDP, 0); }
static int f_udp_remote_address(p2call *c) { return sock_addr(c, RK_UDP, 1); }
static int f_tcp_is_listening(p2call *c) {
  GET(s, 0, RK_TCP);
  cv_bool(c->res, s->sstate == SS_LISTENING);
  return P2_OK;
}
static int family(p2call *c, uint8_t kind) {
  GET(s, 0, kind);
  cv_enum(c->res, s->family == AF_INET ? 0 : 1);
  return P2_OK;
}
static int f_tcp_address_family(p2call *c) { return family(c, RK_TCP); }
static int f_udp_address_family(p2call *c) { return family(c, RK_UDP); }
static int f_tcp_set_listen_backlog_size(p2call *c) {
  GET(s, 0, RK_TCP);
  uint64_t v = A_U(c, 1);
  if (v == 0) return net_err(c, NE_INVALID_ARGUMENT);
  s->backlog = v > INT_MAX ? INT_MAX : (int)v;
  if (s->sstate == SS_LISTENING && listen(s->fd, s->backlog)) return net_errno(c, errno);
  return ok(c, NULL);
}
/* integer socket options: get -> ok(value * scale) of kind k; set(value / scale, rounded up) */
static int opt_get(p2call *c, uint8_t kind, int level, int name, wk_cabi_kind k, uint64_t scale) {
  GET(s, 0, kind);
  int v = 0;
  socklen_t l = sizeof v;
  if (getsockopt(s->fd, level, name, &v, &l)) return net_errno(c, errno);
  wk_cval *pl = cv_new(c, 1);
  if (!pl) return NOMEM(c);
  if (k == WK_CABI_BOOL) cv_bool(pl, v);
  else cv_u(pl, k, (uint64_t)(v < 0 ? 0 : v) * scale);
  return ok(c, pl);
}
static int opt_set(p2call *c, uint8_t kind, int level, int name, uint64_t scale, int zero_ok) {
  GET(s, 0, kind);
  uint64_t x = c->a[1].kind == WK_CABI_BOOL ? (uint64_t)c->a[1].of.b : c->a[1].of.u;
  if (!zero_ok && x == 0) return net_err(c, NE_INVALID_ARGUMENT);
  x = (x + scale - 1) / scale;
  int v = x > INT_MAX ? INT_MAX : (int)x;
  if (setsockopt(s->fd, level, name, &v, sizeof v)) return net_errno(c, errno);
  return ok(c, NULL);
}
static int hop_level(p2res *s) { return s->family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6; }
static int hop_name(p2res *s) { return s->family == AF_INET ? IP_TTL : IPV6_UNICAST_HOPS; }
#define NS 1000000000ull
static int f_tcp_keep_alive_enabled(p2call *c) { return opt_get(c, RK_TCP, SOL_SOCKET, SO_KEEPALIVE, WK_CABI_BOOL, 1); }
static int f_tcp_set_keep_alive_enabled(p2call *c) { return opt_set(c, RK_TCP, SOL_SOCKET, SO_KEEPALIVE, 1, 1); }
static int f_tcp_keep_alive_idle_time(p2call *c) { return opt_get(c, RK_TCP, IPPROTO_TCP, TCP_KEEPIDLE, WK_CABI_U64, NS); }
static int f_tcp_set_keep_alive_idle_time(p2call *c) { return opt_set(c, RK_TCP, IPPROTO_TCP, TCP_KEEPIDLE, NS, 0); }
static int f_tcp_keep_alive_interval(p2call *c) { return opt_get(c, RK_TCP, IPPROTO_TCP, TCP_KEEPINTVL, WK_CABI_U64, NS); }
static int f_tcp_set_keep_alive_interval(p2call *c) { return opt_set(c, RK_TCP, IPPROTO_TCP, TCP_KEEPINTVL, NS, 0); }
static int f_tcp_keep_alive_count(p2call *c) { return opt_get(c, RK_TCP, IPPROTO_TCP, TCP_KEEPCNT, WK_CABI_U32, 1); }
static int f_tcp_set_keep_alive_count(p2call *c) { return opt_set(c, RK_TCP, IPPROTO_TCP, TCP_KEEPCNT, 1, 0); }
static int hop(p2call *c, uint8_t kind, int set) {
  GET(s, 0, kind);
  int level = hop_level(s), name = hop_name(s);
  return set ? opt_set(c, kind, level, name, 1, 0) : opt_get(c, kind, level, name, WK_CABI_U8, 1);
}
static int f_tcp_hop_limit(p2call *c) { return hop(c, RK_TCP, 0); }
static int f_tcp_set_hop_limit(p2call *c) { return hop(c, RK_TCP, 1); }
static int f_udp_hop_limit(p2call *c) { return hop(c, RK_UDP, 0); }
static int f_udp_set_hop_limit(p2call *c) { return hop(c, RK_UDP, 1); }
static int f_tcp_rcvbuf(p2call *c) { return opt_get(c, RK_TCP, SOL_SOCKET, SO_RCVBUF, WK_CABI_U64, 1); }
static int f_tcp_set_rcvbuf(p2call *c) { return opt_set(c, RK_TCP, SOL_SOCKET, SO_RCVBUF, 1, 0); }
static int f_tcp_sndbuf(p2call *c) { return opt_get(c, RK_TCP, SOL_SOCKET, SO_SNDBUF, WK_CABI_U64, 1); }
static int f_tcp_set_sndbuf(p2call *c) { return opt_set(c, RK_TCP, SOL_SOCKET, SO_SNDBUF, 1, 0); }
static int f_udp_rcvbuf(p2call *c) { return opt_get(c, RK_UDP, SOL_SOCKET, SO_RCVBUF, WK_CABI_U64, 1); }
static int f_udp_set_rcvbuf(p2call *c) { return opt_set(c, RK_UDP, SOL_SOCKET, SO_RCVBUF, 1, 0); }
static int f_udp_sndbuf(p2call *c) { return opt_get(c, RK_UDP, SOL_SOCKET, SO_SNDBUF, WK_CABI_U64, 1); }
static int f_udp_set_sndbuf(p2call *c) { return opt_set(c, RK_UDP, SOL_SOCKET, SO_SNDBUF, 1, 0); }
static int sock_subscribe(p2call *c, uint8_t kind) {
  GET(s, 0, kind);
  int pk = PK_READY;
  if (kind == RK_TCP && s->sstate == SS_CONNECTING && !s->refused) pk = PK_FD_OUT;
  else if (kind == RK_TCP && s->sstate == SS_LISTENING) pk = PK_FD_IN;
  else if (kind == RK_UDP_IN) pk = PK_FD_IN;
  else if (kind == RK_UDP_OUT) pk = PK_FD_OUT;
  return new_pollable(c, pk, pk == PK_READY ? -1 : s->fd, 0, c->res) ? NOMEM(c) : P2_OK;
}
static int f_tcp_subscribe(p2call *c) { return sock_subscribe(c, RK_TCP); }
static int f_udp_subscribe(p2call *c) { return sock_subscribe(c, RK_UDP); }
static int f_udp_in_subscribe(p2call *c) { return sock_subscribe(c, RK_UDP_IN); }
static int f_udp_out_subscribe(p2call *c) { return sock_subscribe(c, RK_UDP_OUT); }
static int f_tcp_shutdown(p2call *c) {
  GET(s, 0, RK_TCP);
  static const int how[] = {SHUT_RD, SHUT_WR, SHUT_RDWR};
  uint32_t t = c->a[1].of.var.disc;
  if (t > 2) return net_err(c, NE_INVALID_ARGUMENT);
  if (s->sstate != SS_CONNECTED) return net_err(c, NE_INVALID_STATE);
  return shutdown(s->fd, how[t]) ? net_errno(c, errno) : ok(c, NULL);
}

/* udp-socket.stream(option<ip-socket-address>) ->
 * result<tuple<incoming-datagram-stream, outgoing-datagram-stream>> */
static int f_udp_stream(p2call *c) {
  GET(s, 0, RK_UDP);
  if (s->sstate != SS_BOUND) return net_err(c, NE_INVALID_STATE);
  const wk_cval *opt = &c->a[1];
  struct sockaddr_storage ss;
  socklen_t len = 0;
  int has = opt->of.var.disc == 1;
  if (has && (sa_from(opt->of.var.payload, &ss, &len) || ss.ss_family != s->family || sa_port(&ss) == 0 ||
              sa_unspecified(&ss)))
    return net_err(c, NE_INVALID_ARGUMENT);
  if (has && addr_denied(c)) return net_err(c, NE_ACCESS_DENIED); /* wasmtime's UdpSend/UdpReceive check */
  if (has) {
    if (connect(s->fd, (struct sockaddr *)&ss, len)) return net_errno(c, errno);
  } else if (s->has_remote) {
    /* disconnect; only when connected: on Linux it also drops a port the
     * kernel chose at bind time */
    struct sockaddr un = {.sa_family = AF_UNSPEC};
    connect(s->fd, &un, sizeof un);
  }
  s->has_remote = has;
  if (has) s->remote = ss;
  int family = s->family, fd = s->fd;
  int a = fcntl(fd, F_DUPFD_CLOEXEC, 3), b = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (a < 0 || b < 0) {
    int e = errno;
    if (a >= 0) close(a);
    if (b >= 0) close(b);
    return net_errno(c, e);
  }
  p2res *ei, *eo;
  uint32_t ri = res_new(c->p, RK_UDP_IN, &ei);
  if (ri) { ei->fd = a; ei->own = 1; ei->family = family; } else close(a);
  uint32_t ro = ri ? res_new(c->p, RK_UDP_OUT, &eo) : 0;
  if (ro) {
    eo->fd = b;
    eo->own = 1;
    eo->family = family;
    eo->has_remote = has;
    if (has) eo->remote = ss;
  } else close(b);
  wk_cval *t = cv_new(c, 1);
  if (!ri || !ro || !t || cv_seq(c, t, WK_CABI_TUPLE, 2)) return NOMEM(c);
  cv_handle(c, &t->of.seq.items[0], RK_UDP_IN, ri);
  cv_handle(c, &t->of.seq.items[1], RK_UDP_OUT, ro);
  return ok(c, t);
}
/* receive(max-results) -> result<list<incoming-datagram{data, remote-address}>> */
static int f_udp_receive(p2call *c) {
  GET(s, 0, RK_UDP_IN);
  uint64_t max = A_U(c, 1);
  if (max > UDP_SEND_PERMIT) max = UDP_SEND_PERMIT;
  wk_cval *l = cv_new(c, 1), *items = cv_new(c, (uint32_t)(max ? max : 1));
  uint8_t *buf = wk_arena_alloc(c->arena, UDP_MAX_DATAGRAM);
  if (!l || !items || !buf) return NOMEM(c);
  uint32_t n = 0;
  while (n < max) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    ssize_t r = recvfrom(s->fd, buf, UDP_MAX_DATAGRAM, MSG_DONTWAIT, (struct sockaddr *)&ss, &len);
    if (r < 0) {
      if (errno == EAGAIN || n) break;
      return net_errno(c, errno);
    }
    wk_cval *d = &items[n++];
    if (cv_seq(c, d, WK_CABI_RECORD, 2) || cv_bytes(c, &d->of.seq.items[0], buf, (size_t)r) ||
        sa_to(c, &d->of.seq.items[1], &ss))
      return NOMEM(c);
  }
  l->kind = WK_CABI_LIST;
  l->of.seq.items = items;
  l->of.seq.n = n;
  return ok(c, l);
}
static int f_udp_check_send(p2call *c) {
  GET(s, 0, RK_UDP_OUT);
  (void)s;
  wk_cval *pl = cv_new(c, 1);
  if (!pl) return NOMEM(c);
  cv_u(pl, WK_CABI_U64, UDP_SEND_PERMIT);
  return ok(c, pl);
}
/* send(list<outgoing-datagram{data, remote-address: option<..>}>) -> result<u64> */
static int f_udp_send(p2call *c) {
  GET(s, 0, RK_UDP_OUT);
  const wk_cval *l = &c->a[1];
  if (l->of.seq.n > UDP_SEND_PERMIT) return trap(c, "wasi:sockets/udp: %s", "send of more than check-send permitted");
  uint64_t sent = 0;
  uint8_t *buf = wk_arena_alloc(c->arena, UDP_MAX_DATAGRAM);
  if (!buf) return NOMEM(c);
  for (uint32_t i = 0; i < l->of.seq.n; i++) {
    const wk_cval *d = &l->of.seq.items[i];
    if (d->kind != WK_CABI_RECORD || d->of.seq.n != 2 || d->of.seq.items[0].kind != WK_CABI_LIST ||
        d->of.seq.items[1].kind != WK_CABI_OPTION)
      return trap(c, "wasi:sockets/udp: %s", "outgoing-datagram of the wrong type");
    const wk_cval *data = &d->of.seq.items[0], *ra = &d->of.seq.items[1];
    if (data->of.seq.n > UDP_MAX_DATAGRAM) {
      if (sent) break; /* the ones before were sent: report those */
      return net_err(c, NE_DATAGRAM_TOO_LARGE);
    }
    for (uint32_t k = 0; k < data->of.seq.n; k++) {
      if (data->of.seq.items[k].kind != WK_CABI_U8) return trap(c, "wasi:sockets/udp: %s", "data of the wrong type");
      buf[k] = (uint8_t)data->of.seq.items[k].of.u;
    }
    struct sockaddr_storage ss;
    socklen_t len = 0;
    int has = ra->of.var.disc == 1;
    if (has && (sa_from(ra->of.var.payload, &ss, &len) || ss.ss_family != s->family || sa_port(&ss) == 0 ||
                sa_unspecified(&ss)))
      return net_err(c, NE_INVALID_ARGUMENT);
    if (!has && !s->has_remote) return net_err(c, NE_INVALID_ARGUMENT);
    if (has && s->has_remote && (len > sizeof s->remote || memcmp(&ss, &s->remote, len)))
      return net_err(c, NE_INVALID_ARGUMENT); /* connected: only to that remote */
    if (addr_denied(c)) { /* wasmtime's UdpSend check, after the argument checks */
      if (sent) break;
      return net_err(c, NE_ACCESS_DENIED);
    }
    ssize_t r = has && !s->has_remote ? sendto(s->fd, buf, data->of.seq.n, MSG_DONTWAIT, (struct sockaddr *)&ss, len)
                                      : send(s->fd, buf, data->of.seq.n, MSG_DONTWAIT);
    if (r < 0) {
      if (sent) break;
      return net_errno(c, errno);
    }
    sent++;
  }
  wk_cval *pl = cv_new(c, 1);
  if (!pl) return NOMEM(c);
  cv_u(pl, WK_CABI_U64, sent);
  return ok(c, pl);
}

/* ip-name-lookup.resolve-addresses(network, name): getaddrinfo, all at once */
static int f_resolve_addresses(p2call *c) {
  GET(net, 0, RK_NET);
  (void)net;
  /* wasmtime: refused before the name is looked at */
  if (!(c->w->net_grants & WK_WASI_NET_LOOKUP)) return net_err(c, NE_PERMANENT_RESOLVER_FAILURE);
  const wk_cval *nm = &c->a[1];
  if (nm->of.str.len == 0 || nm->of.str.len > 253 || memchr(nm->of.str.ptr, 0, nm->of.str.len))
    return net_err(c, NE_INVALID_ARGUMENT);
  char name[256];
  memcpy(name, nm->of.str.ptr, nm->of.str.len);
  name[nm->of.str.len] = 0;
  /* an IPv6 literal may come in brackets, as in a URL */
  char *host = name;
  size_t hl = strlen(host);
  if (hl > 2 && host[0] == '[' && host[hl - 1] == ']') { host[hl - 1] = 0; host++; }
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  int rc = getaddrinfo(host, NULL, &hints, &res);
  if (rc) {
    uint32_t code = rc == EAI_NONAME || rc == EAI_NODATA ? NE_NAME_UNRESOLVABLE
                    : rc == EAI_AGAIN                    ? NE_TEMPORARY_RESOLVER_FAILURE
                    : rc == EAI_MEMORY                   ? NE_OUT_OF_MEMORY
                                                         : NE_PERMANENT_RESOLVER_FAILURE;
    return net_err(c, code);
  }
  size_t n = 0;
  for (struct addrinfo *ai = res; ai; ai = ai->ai_next) n++;
  struct sockaddr_storage *a = calloc(n ? n : 1, sizeof *a);
  if (!a) { freeaddrinfo(res); return NOMEM(c); }
  size_t k = 0;
  for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
    if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) || ai->ai_addrlen > sizeof *a) continue;
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    memcpy(&ss, ai->ai_addr, ai->ai_addrlen);
    int dup = 0; /* one entry per address (getaddrinfo repeats them per protocol) */
    for (size_t j = 0; j < k && !dup; j++) {
      if (a[j].ss_family != ss.ss_family) continue;
      dup = ss.ss_family == AF_INET
                ? !memcmp(&((struct sockaddr_in *)&a[j])->sin_addr, &((struct sockaddr_in *)&ss)->sin_addr, 4)
                : !memcmp(&((struct sockaddr_in6 *)&a[j])->sin6_addr, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
    }
    if (!dup) a[k++] = ss;
  }
  freeaddrinfo(res);
  p2res *e;
  uint32_t rep = res_new(c->p, RK_RESOLVE, &e);
  wk_cval *pl = cv_new(c, 1);
  if (!rep || !pl) { free(a); return NOMEM(c); }
  e->addrs = a;
  e->naddrs = k;
  cv_handle(c, pl, RK_RESOLVE, rep);
  return ok(c, pl);
}
static int f_resolve_next(p2call *c) {
  GET(e, 0, RK_RESOLVE);
  wk_cval *o = cv_new(c, 2);
  if (!o) return NOMEM(c);
  if (e->apos >= e->naddrs) {
    cv_var(o, WK_CABI_OPTION, 0, NULL);
    return ok(c, o);
  }
  if (ip_to(c, &o[1], &e->addrs[e->apos++])) return NOMEM(c);
  cv_var(o, WK_CABI_OPTION, 1, &o[1]);
  return ok(c, o);
}
static int f_resolve_subscribe(p2call *c) {
  GET(e, 0, RK_RESOLVE);
  (void)e;
  return new_pollable(c, PK_READY, -1, 0, c->res) ? NOMEM(c) : P2_OK;
}

/* ---- the table ----
 * sig: one letter per parameter, checked before the call: h handle
 * (own/borrow), u unsigned integer, s string, l list, f flags, r record, b bool, v
 * variant/enum/option/result, * unchecked (socket methods that trap). */
typedef struct p2def {
  const char *iface, *name, *sig; /* iface: WV */
  p2fn fn;
} p2def;
#define FS "wasi:filesystem/types"
#define ST "wasi:io/streams"
#define D(n) "[method]descriptor." n
static const p2def defs[] = {
    {WV("wasi:cli/environment"), "get-environment", "", f_get_environment},
    {WV("wasi:cli/environment"), "get-arguments", "", f_get_arguments},
    {WV("wasi:cli/environment"), "initial-cwd", "", f_initial_cwd},
    {WV("wasi:cli/exit"), "exit", "v", f_exit},
    {WV("wasi:cli/exit"), "exit-with-code", "u", f_exit_with_code},
    {WV("wasi:cli/stdin"), "get-stdin", "", f_get_stdin},
    {WV("wasi:cli/stdout"), "get-stdout", "", f_get_stdout},
    {WV("wasi:cli/stderr"), "get-stderr", "", f_get_stderr},
    {WV("wasi:cli/terminal-stdin"), "get-terminal-stdin", "", f_terminal_stdin},
    {WV("wasi:cli/terminal-stdout"), "get-terminal-stdout", "", f_terminal_stdout},
    {WV("wasi:cli/terminal-stderr"), "get-terminal-stderr", "", f_terminal_stderr},
    {WV("wasi:io/error"), "[method]error.to-debug-string", "h", f_error_to_debug_string},
    {WV("wasi:io/poll"), "[method]pollable.ready", "h", f_pollable_ready},
    {WV("wasi:io/poll"), "[method]pollable.block", "h", f_pollable_block},
    {WV("wasi:io/poll"), "poll", "l", f_poll},
    {WV(ST), "[method]input-stream.read", "hu", f_in_read},
    {WV(ST), "[method]input-stream.blocking-read", "hu", f_in_blocking_read},
    {WV(ST), "[method]input-stream.skip", "hu", f_in_skip},
    {WV(ST), "[method]input-stream.blocking-skip", "hu", f_in_blocking_skip},
    {WV(ST), "[method]input-stream.subscribe", "h", f_in_subscribe},
    {WV(ST), "[method]output-stream.check-write", "h", f_out_check_write},
    {WV(ST), "[method]output-stream.write", "hl", f_out_write},
    {WV(ST), "[method]output-stream.blocking-write-and-flush", "hl", f_out_blocking_write_and_flush},
    {WV(ST), "[method]output-stream.flush", "h", f_out_flush},
    {WV(ST), "[method]output-stream.blocking-flush", "h", f_out_blocking_flush},
    {WV(ST), "[method]output-stream.subscribe", "h", f_out_subscribe},
    {WV(ST), "[method]output-stream.write-zeroes", "hu", f_out_write_zeroes},
    {WV(ST), "[method]output-stream.blocking-write-zeroes-and-flush", "hu", f_out_write_zeroes},
    {WV(ST), "[method]output-stream.splice", "hhu", f_out_splice},
    {WV(ST), "[method]output-stream.blocking-splice", "hhu", f_out_blocking_splice},
    {WV("wasi:clocks/monotonic-clock"), "now", "", f_mono_now},
    {WV("wasi:clocks/monotonic-clock"), "resolution", "", f_mono_resolution},
    {WV("wasi:clocks/monotonic-clock"), "subscribe-instant", "u", f_mono_subscribe_instant},
    {WV("wasi:clocks/monotonic-clock"), "subscribe-duration", "u", f_mono_subscribe_duration},
    {WV("wasi:clocks/wall-clock"), "now", "", f_wall_now},
    {WV("wasi:clocks/wall-clock"), "resolution", "", f_wall_resolution},
    {WV("wasi:clocks/timezone"), "display", "r", f_tz_display},
    {WV("wasi:clocks/timezone"), "utc-offset", "r", f_tz_utc_offset},
    {WV("wasi:random/random"), "get-random-bytes", "u", f_random_bytes},
    {WV("wasi:random/random"), "get-random-u64", "", f_random_u64},
    {WV("wasi:random/insecure"), "get-insecure-random-bytes", "u", f_insecure_bytes},
    {WV("wasi:random/insecure"), "get-insecure-random-u64", "", f_insecure_u64},
    {WV("wasi:random/insecure-seed"), "insecure-seed", "", f_insecure_seed},
    {WV(FS), D("read-via-stream"), "hu", f_read_via_stream},
    {WV(FS), D("write-via-stream"), "hu", f_write_via_stream},
    {WV(FS), D("append-via-stream"), "h", f_append_via_stream},
    {WV(FS), D("advise"), "huuv", f_advise},
    {WV(FS), D("sync-data"), "h", f_sync_data},
    {WV(FS), D("get-flags"), "h", f_get_flags},
    {WV(FS), D("get-type"), "h", f_get_type},
    {WV(FS), D("set-size"), "hu", f_set_size},
    {WV(FS), D("set-times"), "hvv", f_set_times},
    {WV(FS), D("read"), "huu", f_read},
    {WV(FS), D("write"), "hlu", f_write},
    {WV(FS), D("read-directory"), "h", f_read_directory},
    {WV(FS), D("sync"), "h", f_sync},
    {WV(FS), D("create-directory-at"), "hs", create_dir_at},
    {WV(FS), D("stat"), "h", f_stat},
    {WV(FS), D("stat-at"), "hfs", f_stat_at},
    {WV(FS), D("set-times-at"), "hfsvv", f_set_times_at},
    {WV(FS), D("link-at"), "hfshs", f_link_at},
    {WV(FS), D("open-at"), "hfsff", f_open_at},
    {WV(FS), D("readlink-at"), "hs", f_readlink_at},
    {WV(FS), D("remove-directory-at"), "hs", f_remove_directory_at},
    {WV(FS), D("rename-at"), "hshs", f_rename_at},
    {WV(FS), D("symlink-at"), "hss", f_symlink_at},
    {WV(FS), D("unlink-file-at"), "hs", f_unlink_file_at},
    {WV(FS), D("is-same-object"), "hh", f_is_same_object},
    {WV(FS), D("metadata-hash"), "h", f_metadata_hash},
    {WV(FS), D("metadata-hash-at"), "hfs", f_metadata_hash_at},
    {WV(FS), "[method]directory-entry-stream.read-directory-entry", "h", f_read_directory_entry},
    {WV(FS), "filesystem-error-code", "h", f_filesystem_error_code},
    {WV("wasi:filesystem/preopens"), "get-directories", "", f_get_directories},
    {WV("wasi:sockets/instance-network"), "instance-network", "", f_instance_network},
    {WV("wasi:sockets/network"), "network-error-code", "h", f_network_error_code},
    /* jco's 0.2.10 WIT gives the methodless `network` a never-called noop */
    {WV("wasi:sockets/network"), "[method]network.noop", "h", f_noop},
    {WV("wasi:sockets/tcp-create-socket"), "create-tcp-socket", "v", f_create_tcp},
    {WV("wasi:sockets/udp-create-socket"), "create-udp-socket", "v", f_create_udp},
    {WV("wasi:sockets/ip-name-lookup"), "resolve-addresses", "hs", f_resolve_addresses},
    {WV("wasi:sockets/ip-name-lookup"), "[method]resolve-address-stream.resolve-next-address", "h", f_resolve_next},
    {WV("wasi:sockets/ip-name-lookup"), "[method]resolve-address-stream.subscribe", "h", f_resolve_subscribe},
#define TCP(n, sig, f) {WV("wasi:sockets/tcp"), "[method]tcp-socket." n, sig, f}
    TCP("start-bind", "hhv", f_tcp_start_bind), TCP("finish-bind", "h", f_tcp_finish_bind),
    TCP("start-connect", "hhv", f_tcp_start_connect), TCP("finish-connect", "h", f_tcp_finish_connect),
    TCP("start-listen", "h", f_tcp_start_listen), TCP("finish-listen", "h", f_tcp_finish_listen),
    TCP("accept", "h", f_tcp_accept), TCP("local-address", "h", f_tcp_local_address),
    TCP("remote-address", "h", f_tcp_remote_address), TCP("is-listening", "h", f_tcp_is_listening),
    TCP("address-family", "h", f_tcp_address_family),
    TCP("set-listen-backlog-size", "hu", f_tcp_set_listen_backlog_size),
    TCP("keep-alive-enabled", "h", f_tcp_keep_alive_enabled),
    TCP("set-keep-alive-enabled", "hb", f_tcp_set_keep_alive_enabled),
    TCP("keep-alive-idle-time", "h", f_tcp_keep_alive_idle_time),
    TCP("set-keep-alive-idle-time", "hu", f_tcp_set_keep_alive_idle_time),
    TCP("keep-alive-interval", "h", f_tcp_keep_alive_interval),
    TCP("set-keep-alive-interval", "hu", f_tcp_set_keep_alive_interval),
    TCP("keep-alive-count", "h", f_tcp_keep_alive_count), TCP("set-keep-alive-count", "hu", f_tcp_set_keep_alive_count),
    TCP("hop-limit", "h", f_tcp_hop_limit), TCP("set-hop-limit", "hu", f_tcp_set_hop_limit),
    TCP("receive-buffer-size", "h", f_tcp_rcvbuf), TCP("set-receive-buffer-size", "hu", f_tcp_set_rcvbuf),
    TCP("send-buffer-size", "h", f_tcp_sndbuf), TCP("set-send-buffer-size", "hu", f_tcp_set_sndbuf),
    TCP("subscribe", "h", f_tcp_subscribe), TCP("shutdown", "hv", f_tcp_shutdown),
#define UDP(r, n, sig, f) {WV("wasi:sockets/udp"), "[method]" r "." n, sig, f}
    UDP("udp-socket", "start-bind", "hhv", f_udp_start_bind), UDP("udp-socket", "finish-bind", "h", f_udp_finish_bind),
    UDP("udp-socket", "stream", "hv", f_udp_stream), UDP("udp-socket", "local-address", "h", f_udp_local_address),
    UDP("udp-socket", "remote-address", "h", f_udp_remote_address),
    UDP("udp-socket", "address-family", "h", f_udp_address_family),
    UDP("udp-socket", "unicast-hop-limit", "h", f_udp_hop_limit),
    UDP("udp-socket", "set-unicast-hop-limit", "hu", f_udp_set_hop_limit),
    UDP("udp-socket", "receive-buffer-size", "h", f_udp_rcvbuf),
    UDP("udp-socket", "set-receive-buffer-size", "hu", f_udp_set_rcvbuf),
    UDP("udp-socket", "send-buffer-size", "h", f_udp_sndbuf),
    UDP("udp-socket", "set-send-buffer-size", "hu", f_udp_set_sndbuf),
    UDP("udp-socket", "subscribe", "h", f_udp_subscribe),
    UDP("incoming-datagram-stream", "receive", "hu", f_udp_receive),
    UDP("incoming-datagram-stream", "subscribe", "h", f_udp_in_subscribe),
    UDP("outgoing-datagram-stream", "check-send", "h", f_udp_check_send),
    UDP("outgoing-datagram-stream", "send", "hl", f_udp_send),
    UDP("outgoing-datagram-stream", "subscribe", "h", f_udp_out_subscribe),
};
#define NDEFS (sizeof defs / sizeof defs[0])

size_t wk_wasi_p2_func_count(void) { return NDEFS; }
void wk_wasi_p2_func_name(size_t i, const char **iface, const char **name) {
  *iface = i < NDEFS ? defs[i].iface : NULL;
  *name = i < NDEFS ? defs[i].name : NULL;
}

const char *wk_wasi_p2_func_sig(size_t i) { return i < NDEFS ? defs[i].sig : NULL; }

static int kind_ok(char s, wk_cabi_kind k) {
  switch (s) {
  case 'h': return k == WK_CABI_OWN || k == WK_CABI_BORROW;
  case 'u': return k == WK_CABI_U8 || k == WK_CABI_U16 || k == WK_CABI_U32 || k == WK_CABI_U64;
  case 's': return k == WK_CABI_STRING;
  case 'l': return k == WK_CABI_LIST;
  case 'f': return k == WK_CABI_FLAGS;
  case 'r': return k == WK_CABI_RECORD;
  case 'b': return k == WK_CABI_BOOL;
  case 'v': return k == WK_CABI_VARIANT || k == WK_CABI_ENUM || k == WK_CABI_OPTION || k == WK_CABI_RESULT;
  default: return 1;
  }
}

/* Run def `d`: check the arguments' count and kinds, then call. */
static int run_def(wk_wasi *w, const p2def *d, wk_arena *arena, const wk_cval *args, uint32_t nargs,
                   wk_cval *result) {
  p2call c = {w, p2_state(w), arena, args, nargs, result};
  if (!c.p) return trap(&c, "wasi: out of memory%s", NULL);
  if (d->sig[0] != '*') {
    if (nargs != strlen(d->sig)) return trap(&c, "wasi: %s: wrong number of arguments", d->name);
    for (uint32_t i = 0; i < nargs; i++)
      if (!kind_ok(d->sig[i], args[i].kind)) return trap(&c, "wasi: %s: argument of the wrong type", d->name);
  }
  /* lists of u8 (write, blocking-write-and-flush, descriptor.write) and
   * pollables (poll): check the element kinds too */
  for (uint32_t i = 0; d->sig[0] != '*' && i < nargs; i++) {
    if (args[i].kind != WK_CABI_LIST) continue;
    for (uint32_t k = 0; k < args[i].of.seq.n; k++) {
      wk_cabi_kind ek = args[i].of.seq.items[k].kind;
      if (d->fn == f_poll ? !kind_ok('h', ek) : d->fn == f_udp_send ? ek != WK_CABI_RECORD : ek != WK_CABI_U8)
        return trap(&c, "wasi: %s: list element of the wrong type", d->name);
    }
  }
  return d->fn(&c);
}

int wk_wasi_p2_call(wk_wasi *w, const char *iface, const char *name, wk_arena *arena, const wk_cval *args,
                    uint32_t nargs, wk_cval *result) {
  for (size_t i = 0; i < NDEFS; i++)
    if (!strcmp(defs[i].iface, iface) && !strcmp(defs[i].name, name)) {
      memset(result, 0, sizeof *result);
      int rc = run_def(w, &defs[i], arena, args, nargs, result);
      return rc == P2_EXIT ? WK_WASI_EXIT : rc == P2_TRAP ? WK_WASI_TRAP : WK_WASI_RETURN;
    }
  snprintf(w->trap, sizeof w->trap, "wasi: no 0.2 function %s#%s", iface, name);
  return WK_WASI_TRAP;
}

const wk_cabi_rtype *wk_wasi_p2_rtype(wk_wasi *w, const char *name) {
  struct wk_p2 *p = p2_state(w);
  if (!p) return NULL;
  for (int k = 1; k < RK_COUNT; k++)
    if (!strcmp(rk_names[k].name, name)) return p->rt[k];
  return NULL;
}

/* ---- binding to lib/component ---- */
typedef struct p2bind {
  wk_wasi *w;
  const p2def *d;
} p2bind;

static int host_fn(wk_comp_ctx *ctx, void *env, const wk_cval *args, uint32_t nargs, wk_cval *result) {
  p2bind *b = env;
  int rc = run_def(b->w, b->d, wk_comp_ctx_arena(ctx), args, nargs, result);
  if (rc == P2_EXIT) return wk_comp_ctx_exit(ctx, b->w->exit_code);
  if (rc == P2_TRAP) return wk_comp_ctx_trap(ctx, b->w->trap);
  return WK_OK;
}

/* Is defs[i] in the same interface as defs[j]? The table spells each interface with one literal,
 * which the compiler usually keeps once: equal pointers answer without a strcmp (the strcmps of
 * these run scans were most of finding one function of an interface). */
static int same_iface(size_t i, size_t j) { return defs[i].iface == defs[j].iface || !strcmp(defs[i].iface, defs[j].iface); }

/* wk_comp_linker_define_lazy's callback: the functions of one interface, the run of defs that
 * starts at env (its binding) */
static int p2_define_iface(wk_comp_linker *l, const char *iface, void *env, wk_error *err) {
  p2bind *b = env;
  size_t first = (size_t)(b->d - defs);
  for (size_t i = first; i < NDEFS && (i == first || same_iface(i, first)); i++) {
    int rc = wk_comp_linker_define_func(l, iface, defs[i].name, host_fn, &b[i - first], err);
    if (rc) return rc;
  }
  return WK_OK;
}

/* wk_comp_linker_define_lazy_funcs' define_one: function `name` of that run, as p2_define_iface
 * defines it (nothing when the interface has no such function) */
static int p2_define_one(wk_comp_linker *l, const char *iface, const char *name, void *env, wk_error *err) {
  p2bind *b = env;
  size_t first = (size_t)(b->d - defs);
  for (size_t i = first; i < NDEFS && (i == first || same_iface(i, first)); i++)
    if (defs[i].name[0] == name[0] && !strcmp(defs[i].name, name)) return wk_comp_linker_define_func(l, iface, defs[i].name, host_fn, &b[i - first], err);
  return WK_OK;
}

/* The strings WASI 0.2 hands out from the host's set-up (wasi:cli/environment get-arguments and
 * get-environment, wasi:filesystem/preopens get-directories) are WIT strings, which hold Unicode
 * scalar values only (Explainer.md "string"; CanonicalABI.md store_string): a non-UTF-8 one could
 * not be lowered and would trap the guest on its first call, so it is refused here, as wasmtime's
 * command line refuses it. WK_ERR_INVALID naming the string. */
static int check_host_strings(const wk_wasi *w, wk_error *err) {
  for (size_t i = 0; i < w->nargs; i++)
    if (!wk_utf8_valid((const uint8_t *)w->args[i], strlen(w->args[i])))
      return wk_error_set(err, WK_ERR_INVALID, "argv[%zu] is not valid UTF-8 (WASI 0.2 arguments are Unicode strings)", i);
  for (size_t i = 0; i < w->nenv; i++)
    if (!wk_utf8_valid((const uint8_t *)w->env[i], strlen(w->env[i]))) {
      const char *eq = strchr(w->env[i], '=');
      int nl = eq ? (int)(eq - w->env[i]) : (int)strlen(w->env[i]);
      if (!wk_utf8_valid((const uint8_t *)w->env[i], (size_t)nl)) nl = 0;
      return wk_error_set(err, WK_ERR_INVALID,
                          "environment variable %.*s%sis not valid UTF-8 (WASI 0.2 environment strings are Unicode)",
                          nl, w->env[i], nl ? " " : "");
    }
  for (size_t i = 0; i < w->nfds; i++)
    if (w->fds[i].used && w->fds[i].preopen &&
        !wk_utf8_valid((const uint8_t *)w->fds[i].preopen, strlen(w->fds[i].preopen)))
      return wk_error_set(err, WK_ERR_INVALID,
                          "the guest name of a preopened directory is not valid UTF-8 (WASI 0.2 paths are Unicode strings)");
  return WK_OK;
}

int wk_wasi_p2_define(wk_comp_linker *l, wk_wasi *w, wk_error *err) {
  int crc = check_host_strings(w, err);
  if (crc) return crc;
  struct wk_p2 *p = p2_state(w);
  if (!p) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  for (int k = 1; k < RK_COUNT; k++) {
    const wk_cabi_rtype *rt;
    int rc = wk_comp_linker_define_resource(l, vname(rk_names[k].iface), rk_names[k].name, p2_dtor, w, &rt, err);
    if (rc) return rc;
    p->rt[k] = rt;
  }
  /* terminal-input/-output are also named by terminal-stdin/-stdout/-stderr
   * through `use`; the linker resolves those aliases to the types above. */
  if (!p->binds) {
    p->binds = calloc(NDEFS, sizeof *p->binds);
    if (!p->binds) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  }
  for (size_t i = 0; i < NDEFS; i++) {
    p->binds[i].w = w;
    p->binds[i].d = &defs[i];
  }
  /* the functions: each interface's only when a component imports it (defining all ~140 was
   * most of this set-up, and a component imports a few interfaces), and of those only the
   * functions it imports (define_one) */
  for (size_t i = 0; i < NDEFS; i++) {
    if (i && same_iface(i, i - 1)) continue;
    int rc = wk_comp_linker_define_lazy_funcs(l, vname(defs[i].iface), p2_define_iface, p2_define_one, &p->binds[i], err);
    if (rc) return rc;
  }
  /* the WIT types of all of it: instantiation type-checks every wasi:* import
   * the host satisfies (a component expecting another signature fails there,
   * naming the import, the function and what differs). Built without the WASI
   * WIT (npm jco; the Makefile warned) the table is empty: nothing declared, and
   * each call's values are still checked as host_fn lifts and lowers them. */
  if (!wk_wasi_p2_types_len) return WK_OK;
  return wk_comp_linker_declare_types_static(l, wk_wasi_p2_types, wk_wasi_p2_types_len, wk_wasi_p2_type_hashes,
                                      wk_wasi_p2_type_hashes_len, err);
}

/* ---- host buffers behind streams (wasi2.h) ---- */
wk_wasi_p2_buf *wk_wasi_p2_buf_new(size_t limit) {
  wk_wasi_p2_buf *b = calloc(1, sizeof *b);
  if (b) {
    b->limit = limit;
    b->refs = 1;
  }
  return b;
}
void wk_wasi_p2_buf_unref(wk_wasi_p2_buf *b) {
  if (!b || __atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL) > 0) return;
  if (b->live) {
    pthread_mutex_destroy(&b->live->mu);
    close(b->live->efd);
    free(b->live);
  }
  free(b->data);
  free(b);
}
int wk_wasi_p2_buf_live(wk_wasi_p2_buf *b, int output, void (*notify)(void *env), void *env) {
  struct wk_p2_live *l = calloc(1, sizeof *l);
  if (!l) return WK_ERR_NOMEM;
  if ((l->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0) {
    free(l);
    return WK_ERR_NOMEM;
  }
  pthread_mutex_init(&l->mu, NULL);
  l->output = output;
  l->total = b->len;
  l->notify = notify;
  l->env = env;
  b->live = l;
  return WK_OK;
}
int wk_wasi_p2_buf_put(wk_wasi_p2_buf *b, const void *data, size_t n) {
  struct wk_p2_live *l = b->live;
  int rc = WK_OK;
  pthread_mutex_lock(&l->mu);
  if (b->pos && b->pos == b->len) b->pos = b->len = 0;
  if (b->len + n > b->cap) {
    if (b->pos) {
      memmove(b->data, b->data + b->pos, b->len - b->pos);
      b->len -= b->pos;
      b->pos = 0;
    }
    size_t nc = b->cap ? b->cap : 16384;
    while (nc < b->len + n) nc *= 2;
    uint8_t *nd = nc > b->cap ? realloc(b->data, nc) : b->data;
    if (!nd) rc = WK_ERR_NOMEM;
    else {
      b->data = nd;
      if (nc > b->cap) b->cap = nc;
    }
  }
  if (rc == WK_OK && n) {
    memcpy(b->data + b->len, data, n);
    b->len += n;
  }
  pthread_mutex_unlock(&l->mu);
  live_signal(l);
  return rc;
}
size_t wk_wasi_p2_buf_take(wk_wasi_p2_buf *b, void *out, size_t max, int *state) {
  struct wk_p2_live *l = b->live;
  pthread_mutex_lock(&l->mu);
  size_t k = b->len - b->pos < max ? b->len - b->pos : max;
  if (k) memcpy(out, b->data + b->pos, k);
  b->pos += k;
  if (b->pos == b->len) b->pos = b->len = 0;
  *state = b->len == b->pos ? l->closed : 0;
  if (l->closed == 2) *state = 2;
  pthread_mutex_unlock(&l->mu);
  if (k) live_signal(l);
  return k;
}
void wk_wasi_p2_buf_close(wk_wasi_p2_buf *b, int error) {
  struct wk_p2_live *l = b->live;
  if (!l) return;
  pthread_mutex_lock(&l->mu);
  if (!l->closed) l->closed = error ? 2 : 1;
  pthread_mutex_unlock(&l->mu);
  live_signal(l);
}
int wk_wasi_p2_buf_closed(wk_wasi_p2_buf *b) {
  struct wk_p2_live *l = b->live;
  if (!l) return 0;
  pthread_mutex_lock(&l->mu);
  int c = l->closed;
  pthread_mutex_unlock(&l->mu);
  return c;
}
size_t wk_wasi_p2_buf_unread(wk_wasi_p2_buf *b) {
  struct wk_p2_live *l = b->live;
  if (l) pthread_mutex_lock(&l->mu);
  size_t n = b->len - b->pos;
  if (l) pthread_mutex_unlock(&l->mu);
  return n;
}
void wk_wasi_p2_buf_set_high(wk_wasi_p2_buf *b, size_t high) {
  struct wk_p2_live *l = b->live;
  if (!l) return;
  pthread_mutex_lock(&l->mu);
  l->high = high;
  pthread_mutex_unlock(&l->mu);
  live_signal(l);
}
int wk_wasi_p2_buf_stream(wk_wasi *w, int output, wk_wasi_p2_buf *b, uint32_t *rep) {
  struct wk_p2 *p = p2_state(w);
  p2res *e;
  if (!p || !(*rep = res_new(p, output ? RK_OUT : RK_IN, &e))) return WK_ERR_NOMEM;
  e->buf = b;
  __atomic_add_fetch(&b->refs, 1, __ATOMIC_RELAXED);
  if (!output && !b->live && b->pos == b->len) e->eof = 1;
  return WK_OK;
}
/* a pollable over a live buffer (holds a reference; waits on its eventfd) */
static int new_buf_pollable(struct wk_p2 *p, wk_wasi_p2_buf *b, int pkind, wk_cval *out) {
  p2res *e;
  uint32_t rep = res_new(p, RK_POLL, &e);
  if (!rep) return -1;
  e->fd = -1;
  e->pkind = b->live ? pkind : PK_READY;
  if (b->live) {
    e->buf = b;
    __atomic_add_fetch(&b->refs, 1, __ATOMIC_RELAXED);
    e->fd = b->live->efd; /* not owned: the buffer closes it */
  }
  if (out) {
    out->kind = WK_CABI_OWN;
    out->of.handle.rt = p->rt[RK_POLL];
    out->of.handle.rep = rep;
  }
  return (int)rep;
}
int wk_wasi_p2_buf_end_pollable(wk_wasi *w, wk_wasi_p2_buf *b, uint32_t *rep) {
  struct wk_p2 *p = p2_state(w);
  int r;
  if (!p || (r = new_buf_pollable(p, b, PK_BUF_END, NULL)) <= 0) return WK_ERR_NOMEM;
  *rep = (uint32_t)r;
  return WK_OK;
}
int wk_wasi_p2_ready_pollable(wk_wasi *w, uint32_t *rep) {
  struct wk_p2 *p = p2_state(w);
  p2res *e;
  if (!p || !(*rep = res_new(p, RK_POLL, &e))) return WK_ERR_NOMEM;
  e->pkind = PK_READY;
  return WK_OK;
}
void wk_wasi_p2_reset(wk_wasi *w) {
  struct wk_p2 *p = w->p2;
  if (!p) return;
  for (uint32_t i = 0; i < p->n; i++)
    if (p->r[i].kind != RK_FREE) res_clear(&p->r[i]);
  p->hint = 0;
}
