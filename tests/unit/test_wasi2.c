/*
 * Unit tests for the WASI 0.2 host (lib/wasi/wasi2.h), driven directly with
 * hand-built wk_cval arguments through wk_wasi_p2_call (no component).
 *
 * Oracles: the WIT jco ships (scripts/npm/node_modules/@bytecodealliance/jco/
 * lib/wit/builtin/0.2.12): every function of the covered interfaces must be
 * defined (read from the .wit files at run time), enum/variant case indices
 * are the WIT's; the sandbox cases are the preview1 ones of test_wasi.c
 * (escapes with `..`, absolute paths, symlinks leading out, writes under a
 * read-only preopen), here expected as error-code not-permitted (the
 * wasi:filesystem WIT rule) and checked on the host file system afterwards.
 * Every sandbox case runs with openat2 and with the fallback walk.
 */
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sandbox_tree.h"

#include "wasi/wasi2.h"

/* WIT case indices (wasi:filesystem/types error-code, descriptor-type) */
enum { EC_ACCESS = 0, EC_EXIST = 7, EC_INVALID = 12, EC_IS_DIRECTORY = 14, EC_NO_ENTRY = 20,
       EC_NOT_DIRECTORY = 24, EC_NOT_EMPTY = 25, EC_NOT_PERMITTED = 31, EC_BAD_DESCRIPTOR = 3 };
enum { T_DIR = 3, T_SYMLINK = 5, T_REG = 6 };
#define FS "wasi:filesystem/types"
#define ST "wasi:io/streams"

static wk_arena A;
static char root[256];
static char outside[300];

/* ---- value builders ---- */
static wk_cval vu(uint64_t x) { wk_cval v = {.kind = WK_CABI_U64}; v.of.u = x; return v; }
static wk_cval vh(uint32_t rep) { wk_cval v = {.kind = WK_CABI_BORROW}; v.of.handle.rep = rep; return v; }
static wk_cval vs(const char *s) {
  wk_cval v = {.kind = WK_CABI_STRING};
  v.of.str.ptr = s;
  v.of.str.len = (uint32_t)strlen(s);
  return v;
}
static wk_cval vf(uint32_t bits) {
  wk_cval v = {.kind = WK_CABI_FLAGS};
  uint32_t *w = wk_arena_alloc(&A, sizeof *w);
  *w = bits;
  v.of.flags.words = w;
  v.of.flags.n = 1;
  return v;
}
static wk_cval vbytes(const char *s) {
  wk_cval v = {.kind = WK_CABI_LIST};
  size_t n = strlen(s);
  v.of.seq.items = wk_arena_alloc(&A, (n ? n : 1) * sizeof(wk_cval));
  v.of.seq.n = (uint32_t)n;
  for (size_t i = 0; i < n; i++) { v.of.seq.items[i].kind = WK_CABI_U8; v.of.seq.items[i].of.u = (uint8_t)s[i]; }
  return v;
}
static wk_cval vvar(wk_cabi_kind k, uint32_t disc) {
  wk_cval v = {.kind = k};
  v.of.var.disc = disc;
  return v;
}

/* Call and expect a normal return. */
static wk_cval callv(wk_wasi *w, const char *iface, const char *name, int n, ...) {
  wk_cval args[8];
  va_list ap;
  va_start(ap, n);
  for (int i = 0; i < n; i++) args[i] = va_arg(ap, wk_cval);
  va_end(ap);
  wk_cval r;
  int st = wk_wasi_p2_call(w, iface, name, &A, args, (uint32_t)n, &r);
  if (st != WK_WASI_RETURN) fail_msg("%s#%s: status %d: %s", iface, name, st, wk_wasi_trap_message(w));
  return r;
}
#define NARGS(...) (int)(sizeof((wk_cval[]){__VA_ARGS__}) / sizeof(wk_cval))
#define CALL(w, i, n, ...) callv(w, i, n, NARGS(__VA_ARGS__), __VA_ARGS__)
#define CALL0(w, i, n) callv(w, i, n, 0)

static int is_ok(wk_cval r) { return r.kind == WK_CABI_RESULT && r.of.var.disc == 0; }
/* the error-code of an err(...) result, -1 for ok */
static int errc(wk_cval r) {
  assert_int_equal(r.kind, WK_CABI_RESULT);
  if (r.of.var.disc == 0) return -1;
  assert_non_null(r.of.var.payload);
  return (int)r.of.var.payload->of.var.disc;
}
static uint32_t ok_rep(wk_cval r) {
  if (!is_ok(r)) fail_msg("expected ok, got err %d", errc(r));
  assert_int_equal(r.of.var.payload->kind, WK_CABI_OWN);
  return r.of.var.payload->of.handle.rep;
}
static void bytes_eq(const wk_cval *l, const char *want) {
  assert_int_equal(l->kind, WK_CABI_LIST);
  assert_int_equal(l->of.seq.n, strlen(want));
  for (uint32_t i = 0; i < l->of.seq.n; i++) assert_int_equal(l->of.seq.items[i].of.u, (uint8_t)want[i]);
}
static int str_eq(const wk_cval *v, const char *s) {
  return v->kind == WK_CABI_STRING && v->of.str.len == strlen(s) && !memcmp(v->of.str.ptr, s, v->of.str.len);
}

static int setup(void **state) {
  sandbox_tree_make("wk-wasi2-unit", root, sizeof root, outside, sizeof outside);
  return 0;
}
static int teardown(void **state) {
  wk_arena_free(&A);
  return sandbox_tree_remove(root);
}

/* A context with the scratch tree preopened as /sb; returns the rep of its descriptor. */
static wk_wasi *mk(int ro, int fallback, uint32_t *dir) {
  wk_wasi *w = wk_wasi_new();
  wk_error err;
  assert_non_null(w);
  assert_int_equal(wk_wasi_preopen(w, root, "/sb", ro, &err), WK_OK);
  wk_wasi_set_no_openat2(w, fallback);
  wk_cval l = CALL0(w, "wasi:filesystem/preopens", "get-directories");
  assert_int_equal(l.kind, WK_CABI_LIST);
  assert_int_equal(l.of.seq.n, 1);
  wk_cval *t = &l.of.seq.items[0];
  assert_int_equal(t->kind, WK_CABI_TUPLE);
  assert_true(str_eq(&t->of.seq.items[1], "/sb"));
  assert_int_equal(t->of.seq.items[0].kind, WK_CABI_OWN);
  assert_ptr_equal(t->of.seq.items[0].of.handle.rt, wk_wasi_p2_rtype(w, "descriptor"));
  *dir = t->of.seq.items[0].of.handle.rep;
  return w;
}
/* open-at(dir, path-flags, path, open-flags, descriptor-flags) */
static wk_cval open_at(wk_wasi *w, uint32_t dir, uint32_t pf, const char *path, uint32_t of, uint32_t df) {
  return CALL(w, FS, "[method]descriptor.open-at", vh(dir), vf(pf), vs(path), vf(of), vf(df));
}
static int host_exists(const char *rel) {
  char p[600];
  struct stat st;
  snprintf(p, sizeof p, "%s/%s", root, rel);
  return lstat(p, &st) == 0;
}

/* ---- every WIT function is defined ---- */
static int defined(const char *iface, const char *name) {
  for (size_t i = 0; i < wk_wasi_p2_func_count(); i++) {
    const char *fi, *fn;
    wk_wasi_p2_func_name(i, &fi, &fn);
    if (!strcmp(fi, iface) && !strcmp(fn, name)) return 1;
  }
  return 0;
}
static void test_covers_wit(void **state) {
  static const char *pkgs[] = {"cli", "clocks", "io", "random", "filesystem", "sockets"};
  /* jco ships 0.2.12 (every package) and 0.2.10 (io, clocks, sockets) */
  static const char *vers[] = {WK_WASI_P2_VERSION, "0.2.10"};
  const char *base = "scripts/npm/node_modules/@bytecodealliance/jco/lib/wit/builtin/";
  int total = 0, missing = 0, files = 0;
  for (size_t vk = 0; vk < 2 * sizeof pkgs / sizeof *pkgs; vk++) {
    size_t k = vk % (sizeof pkgs / sizeof *pkgs), v = vk / (sizeof pkgs / sizeof *pkgs);
    char path[512], line[512], iface[160] = "", res[128] = "";
    snprintf(path, sizeof path, "%s%s/wasi-%s/package.wit", base, vers[v], pkgs[k]);
    FILE *f = fopen(path, "r");
    if (!f && v == 0) fail_msg("cannot read the WIT %s (run from the repository root)", path);
    if (!f) continue;
    files++;
    int unstable = 0, depth = 0, iface_unstable = 0, in_res = 0;
    while (fgets(line, sizeof line, f)) {
      char *s = line;
      while (*s == ' ' || *s == '\t') s++;
      char name[128];
      const char *colon = strstr(s, ": func(");
      if (!strncmp(s, "@unstable", 9)) { unstable = 1; continue; }
      if (depth == 0 && sscanf(s, "interface %127[a-z0-9-]", name) == 1) {
        snprintf(iface, sizeof iface, "wasi:%s/%s", pkgs[k], name);
        /* wasi:cli/run is exported by a command, not imported */
        iface_unstable = unstable || !strcmp(iface, "wasi:cli/run");
      } else if (depth == 1 && sscanf(s, "resource %127[a-z0-9-] {", name) == 1) {
        snprintf(res, sizeof res, "%s", name);
        in_res = 1;
      } else if (depth >= 1 && colon && colon - s < 120) {
        const char *n0 = s[0] == '%' ? s + 1 : s;
        snprintf(name, sizeof name, "%.*s", (int)(colon - n0), n0);
        char full[300];
        if (depth == 2 && in_res) snprintf(full, sizeof full, "[method]%s.%s", res, name);
        else snprintf(full, sizeof full, "%s", name);
        if (!unstable && !iface_unstable && !strchr(name, ' ')) {
          total++;
          if (!defined(iface, full)) { missing++; print_error("not defined: %s#%s\n", iface, full); }
        }
      }
      for (char *q = s; *q; q++) depth += *q == '{' ? 1 : *q == '}' ? -1 : 0;
      if (depth < 2) in_res = 0;
      unstable = 0;
    }
    fclose(f);
  }
  print_message("WASI 0.2.10/0.2.12 WIT (%d files): %d functions, %d missing; host defines %zu\n", files, total,
                missing, wk_wasi_p2_func_count());
  assert_true(total > 100);
  assert_int_equal(files, 9);
  assert_int_equal(missing, 0);
}

/* ---- wasi:cli ---- */
static void test_cli(void **state) {
  wk_wasi *w = wk_wasi_new();
  wk_error err;
  wk_wasi_add_arg(w, "prog");
  wk_wasi_add_arg(w, "x y");
  assert_int_equal(wk_wasi_add_env(w, "A=1=2", &err), WK_OK);
  wk_cval e = CALL0(w, "wasi:cli/environment", "get-environment");
  assert_int_equal(e.of.seq.n, 1);
  assert_true(str_eq(&e.of.seq.items[0].of.seq.items[0], "A"));
  assert_true(str_eq(&e.of.seq.items[0].of.seq.items[1], "1=2"));
  wk_cval a = CALL0(w, "wasi:cli/environment", "get-arguments");
  assert_int_equal(a.of.seq.n, 2);
  assert_true(str_eq(&a.of.seq.items[1], "x y"));
  wk_cval cwd = CALL0(w, "wasi:cli/environment", "initial-cwd");
  assert_int_equal(cwd.kind, WK_CABI_OPTION);
  assert_int_equal(cwd.of.var.disc, 0);
  /* exit(err) -> 1, exit(ok) -> 0, exit-with-code(7) */
  wk_cval st = vvar(WK_CABI_RESULT, 1), r;
  assert_int_equal(wk_wasi_p2_call(w, "wasi:cli/exit", "exit", &A, &st, 1, &r), WK_WASI_EXIT);
  assert_int_equal(wk_wasi_exit_code(w), 1);
  st.of.var.disc = 0;
  assert_int_equal(wk_wasi_p2_call(w, "wasi:cli/exit", "exit", &A, &st, 1, &r), WK_WASI_EXIT);
  assert_int_equal(wk_wasi_exit_code(w), 0);
  wk_cval code = {.kind = WK_CABI_U8};
  code.of.u = 7;
  assert_int_equal(wk_wasi_p2_call(w, "wasi:cli/exit", "exit-with-code", &A, &code, 1, &r), WK_WASI_EXIT);
  assert_int_equal(wk_wasi_exit_code(w), 7);
  /* terminals: none when stdio are pipes */
  int in[2], out[2];
  assert_int_equal(pipe(in), 0);
  assert_int_equal(pipe(out), 0);
  assert_int_equal(wk_wasi_set_stdio(w, in[0], out[1], out[1]), WK_OK);
  wk_cval t = CALL0(w, "wasi:cli/terminal-stdout", "get-terminal-stdout");
  assert_int_equal(t.kind, WK_CABI_OPTION);
  assert_int_equal(t.of.var.disc, 0);
  wk_wasi_free(w);
  close(in[0]); close(in[1]); close(out[0]); close(out[1]);
}

/* ---- wasi:io streams on host stdio ---- */
static void test_stdio_streams(void **state) {
  wk_wasi *w = wk_wasi_new();
  wk_error err;
  int in[2], out[2];
  assert_int_equal(pipe(in), 0);
  assert_int_equal(pipe(out), 0);
  assert_int_equal(wk_wasi_set_stdio(w, in[0], out[1], out[1]), WK_OK);
  wk_cval so = CALL0(w, "wasi:cli/stdout", "get-stdout");
  assert_int_equal(so.kind, WK_CABI_OWN);
  assert_ptr_equal(so.of.handle.rt, wk_wasi_p2_rtype(w, "output-stream"));
  uint32_t o = so.of.handle.rep;
  wk_cval cw = CALL(w, ST, "[method]output-stream.check-write", vh(o));
  assert_true(is_ok(cw) && cw.of.var.payload->of.u > 0);
  assert_true(is_ok(CALL(w, ST, "[method]output-stream.write", vh(o), vbytes("hi "))));
  assert_true(is_ok(CALL(w, ST, "[method]output-stream.blocking-write-and-flush", vh(o), vbytes("there"))));
  assert_true(is_ok(CALL(w, ST, "[method]output-stream.write-zeroes", vh(o), vu(2))));
  assert_true(is_ok(CALL(w, ST, "[method]output-stream.blocking-flush", vh(o))));
  char buf[32] = {0};
  assert_int_equal(read(out[0], buf, sizeof buf), 10);
  assert_memory_equal(buf, "hi there\0\0", 10);

  /* stdin: non-blocking read of nothing is ok([]); data; then closed */
  uint32_t i = CALL0(w, "wasi:cli/stdin", "get-stdin").of.handle.rep;
  wk_cval r = CALL(w, ST, "[method]input-stream.read", vh(i), vu(10));
  assert_true(is_ok(r));
  bytes_eq(r.of.var.payload, "");
  /* a pollable on stdin is not ready until data arrives */
  wk_cval p = CALL(w, ST, "[method]input-stream.subscribe", vh(i));
  assert_int_equal(p.kind, WK_CABI_OWN);
  assert_int_equal(CALL(w, "wasi:io/poll", "[method]pollable.ready", vh(p.of.handle.rep)).of.b, 0);
  assert_int_equal(write(in[1], "abcdef", 6), 6);
  assert_int_equal(CALL(w, "wasi:io/poll", "[method]pollable.ready", vh(p.of.handle.rep)).of.b, 1);
  r = CALL(w, ST, "[method]input-stream.blocking-read", vh(i), vu(3));
  assert_true(is_ok(r));
  bytes_eq(r.of.var.payload, "abc");
  r = CALL(w, ST, "[method]input-stream.skip", vh(i), vu(2));
  assert_true(is_ok(r));
  assert_int_equal(r.of.var.payload->of.u, 2);
  /* splice the rest of stdin to stdout */
  r = CALL(w, ST, "[method]output-stream.blocking-splice", vh(o), vh(i), vu(100));
  assert_true(is_ok(r));
  assert_int_equal(r.of.var.payload->of.u, 1);
  assert_int_equal(read(out[0], buf, sizeof buf), 1);
  assert_int_equal(buf[0], 'f');
  close(in[1]);
  r = CALL(w, ST, "[method]input-stream.blocking-read", vh(i), vu(3));
  assert_int_equal(r.of.var.disc, 1); /* err(closed) */
  assert_int_equal(r.of.var.payload->kind, WK_CABI_VARIANT);
  assert_int_equal(r.of.var.payload->of.var.disc, 1);
  /* writing to a pipe nobody reads: closed (EPIPE) */
  close(out[0]);
  signal(SIGPIPE, SIG_IGN);
  r = CALL(w, ST, "[method]output-stream.write", vh(o), vbytes("x"));
  assert_int_equal(r.of.var.disc, 1);
  assert_int_equal(wk_wasi_p2_drop(w, o, &err), WK_OK);
  assert_int_not_equal(wk_wasi_p2_drop(w, o, &err), WK_OK); /* twice: unknown */
  wk_wasi_free(w);
  close(in[0]);
  close(out[1]);
}

/* ---- live buffers (wasi2.h wk_wasi_p2_buf_live: wrun serve's streamed bodies) ---- */
static int notified;
static void count_notify(void *env) { __atomic_add_fetch((int *)env, 1, __ATOMIC_RELAXED); }
typedef struct feeder {
  wk_wasi_p2_buf *b;
  int output; /* 0: put "de" then close; 1: take 4 bytes */
  char got[8];
} feeder;
static void *feed(void *arg) {
  feeder *f = arg;
  struct timespec ts = {0, 50000000};
  nanosleep(&ts, NULL);
  if (!f->output) {
    wk_wasi_p2_buf_put(f->b, "de", 2);
    wk_wasi_p2_buf_close(f->b, 0);
  } else {
    int st;
    wk_wasi_p2_buf_take(f->b, f->got, 4, &st);
  }
  return NULL;
}
static void test_live_buffers(void **state) {
  (void)state;
  wk_wasi *w = wk_wasi_new();
  uint32_t i, o, rep;
  /* input: what has arrived; blocking-read waits for a producer thread; then closed */
  wk_wasi_p2_buf *b = wk_wasi_p2_buf_new(0);
  notified = 0;
  assert_int_equal(wk_wasi_p2_buf_live(b, 0, count_notify, &notified), WK_OK);
  assert_int_equal(wk_wasi_p2_buf_stream(w, 0, b, &i), WK_OK);
  wk_cval r = CALL(w, ST, "[method]input-stream.read", vh(i), vu(10));
  assert_true(is_ok(r));
  bytes_eq(r.of.var.payload, "");
  uint32_t p = CALL(w, ST, "[method]input-stream.subscribe", vh(i)).of.handle.rep;
  assert_int_equal(wk_wasi_p2_buf_end_pollable(w, b, &rep), WK_OK);
  assert_int_equal(CALL(w, "wasi:io/poll", "[method]pollable.ready", vh(p)).of.b, 0);
  assert_int_equal(wk_wasi_p2_buf_put(b, "abc", 3), WK_OK);
  assert_int_equal(CALL(w, "wasi:io/poll", "[method]pollable.ready", vh(p)).of.b, 1);
  assert_int_equal(CALL(w, "wasi:io/poll", "[method]pollable.ready", vh(rep)).of.b, 0); /* not closed */
  r = CALL(w, ST, "[method]input-stream.read", vh(i), vu(10));
  bytes_eq(r.of.var.payload, "abc");
  assert_int_equal(notified, 1);
  assert_int_equal(wk_wasi_p2_buf_unread(b), 0);
  feeder f = {b, 0, {0}};
  pthread_t t;
  pthread_create(&t, NULL, feed, &f);
  r = CALL(w, ST, "[method]input-stream.blocking-read", vh(i), vu(10));
  bytes_eq(r.of.var.payload, "de");
  pthread_join(t, NULL);
  assert_int_equal(CALL(w, "wasi:io/poll", "[method]pollable.ready", vh(rep)).of.b, 1);
  r = CALL(w, ST, "[method]input-stream.blocking-read", vh(i), vu(10));
  assert_int_equal(r.of.var.disc, 1);
  assert_int_equal(r.of.var.payload->of.var.disc, 1); /* closed */
  wk_wasi_p2_buf_unref(b);
  /* input closed with an error: last-operation-failed */
  b = wk_wasi_p2_buf_new(0);
  assert_int_equal(wk_wasi_p2_buf_live(b, 0, NULL, NULL), WK_OK);
  assert_int_equal(wk_wasi_p2_buf_stream(w, 0, b, &i), WK_OK);
  wk_wasi_p2_buf_close(b, 1);
  wk_wasi_p2_buf_close(b, 0); /* the first close wins */
  assert_int_equal(wk_wasi_p2_buf_closed(b), 2);
  r = CALL(w, ST, "[method]input-stream.blocking-read", vh(i), vu(10));
  assert_int_equal(r.of.var.disc, 1);
  assert_int_equal(r.of.var.payload->of.var.disc, 0);
  wk_wasi_p2_buf_unref(b);
  /* output: limit 8, high-water mark 4: check-write 0 while 4 wait, the
   * pollable waits, blocking-flush waits for a consumer thread */
  b = wk_wasi_p2_buf_new(8);
  notified = 0;
  assert_int_equal(wk_wasi_p2_buf_live(b, 1, count_notify, &notified), WK_OK);
  assert_int_equal(wk_wasi_p2_buf_stream(w, 1, b, &o), WK_OK);
  assert_true(is_ok(CALL(w, ST, "[method]output-stream.write", vh(o), vbytes("hello"))));
  assert_int_equal(notified, 1);
  wk_cval cw = CALL(w, ST, "[method]output-stream.check-write", vh(o));
  assert_int_equal(cw.of.var.payload->of.u, 3); /* the limit: 8 - 5 */
  wk_wasi_p2_buf_set_high(b, 4);
  cw = CALL(w, ST, "[method]output-stream.check-write", vh(o));
  assert_int_equal(cw.of.var.payload->of.u, 0);
  p = CALL(w, ST, "[method]output-stream.subscribe", vh(o)).of.handle.rep;
  assert_int_equal(CALL(w, "wasi:io/poll", "[method]pollable.ready", vh(p)).of.b, 0);
  f = (feeder){b, 1, {0}};
  pthread_create(&t, NULL, feed, &f);
  assert_true(is_ok(CALL(w, ST, "[method]output-stream.blocking-flush", vh(o)))); /* waits for the take */
  pthread_join(t, NULL);
  assert_memory_equal(f.got, "hell", 4);
  assert_int_equal(CALL(w, "wasi:io/poll", "[method]pollable.ready", vh(p)).of.b, 1);
  r = CALL(w, ST, "[method]output-stream.write", vh(o), vbytes("abcd")); /* 9 in all: over the limit */
  assert_int_equal(r.of.var.disc, 1);
  assert_true(is_ok(CALL(w, ST, "[method]output-stream.write", vh(o), vbytes("ab"))));
  char out[8];
  int st;
  assert_int_equal(wk_wasi_p2_buf_take(b, out, sizeof out, &st), 3);
  assert_memory_equal(out, "oab", 3);
  assert_int_equal(st, 0);
  wk_wasi_p2_buf_close(b, 2); /* the reader went away: writes fail */
  r = CALL(w, ST, "[method]output-stream.write", vh(o), vbytes("x"));
  assert_int_equal(r.of.var.disc, 1);
  assert_int_equal(wk_wasi_p2_buf_take(b, out, sizeof out, &st), 0);
  assert_int_equal(st, 2);
  wk_wasi_p2_buf_unref(b);
  wk_wasi_free(w); /* frees the streams and pollables: their references */
}

/* ---- clocks, poll, random ---- */
static void test_clocks_poll_random(void **state) {
  wk_wasi *w = wk_wasi_new();
  uint64_t t0 = CALL0(w, "wasi:clocks/monotonic-clock", "now").of.u;
  assert_true(CALL0(w, "wasi:clocks/monotonic-clock", "resolution").of.u > 0);
  wk_cval wall = CALL0(w, "wasi:clocks/wall-clock", "now");
  assert_int_equal(wall.kind, WK_CABI_RECORD);
  assert_true(wall.of.seq.items[0].of.u > 1600000000ull);
  assert_true(wall.of.seq.items[1].of.u < 1000000000ull);
  uint32_t later = CALL(w, "wasi:clocks/monotonic-clock", "subscribe-duration", vu(3000000)).of.handle.rep;
  uint32_t now = CALL(w, "wasi:clocks/monotonic-clock", "subscribe-instant", vu(0)).of.handle.rep;
  assert_int_equal(CALL(w, "wasi:io/poll", "[method]pollable.ready", vh(later)).of.b, 0);
  wk_cval lst = {.kind = WK_CABI_LIST};
  wk_cval items[2] = {vh(later), vh(now)};
  lst.of.seq.items = items;
  lst.of.seq.n = 2;
  wk_cval r = CALL(w, "wasi:io/poll", "poll", lst);
  assert_int_equal(r.of.seq.n, 1);
  assert_int_equal(r.of.seq.items[0].of.u, 1);
  lst.of.seq.n = 1; /* only the 3 ms timer: poll waits for it */
  r = CALL(w, "wasi:io/poll", "poll", lst);
  assert_int_equal(r.of.seq.n, 1);
  assert_int_equal(r.of.seq.items[0].of.u, 0);
  assert_true(CALL0(w, "wasi:clocks/monotonic-clock", "now").of.u - t0 >= 3000000);
  /* the resource table: 5000 live pollables, all dropped, then reused */
  {
    wk_error err;
    uint32_t maxrep = 0, first = 0;
    for (int i = 0; i < 5000; i++) {
      uint32_t p = CALL(w, "wasi:clocks/monotonic-clock", "subscribe-duration", vu(0)).of.handle.rep;
      if (!first) first = p;
      if (p > maxrep) maxrep = p;
    }
    for (uint32_t p = first; p <= maxrep; p++) assert_int_equal(wk_wasi_p2_drop(w, p, &err), WK_OK);
    uint32_t again = CALL(w, "wasi:clocks/monotonic-clock", "subscribe-duration", vu(0)).of.handle.rep;
    assert_int_equal(again, first);
  }
  /* poll of an empty list traps (the WIT) */
  lst.of.seq.n = 0;
  assert_int_equal(wk_wasi_p2_call(w, "wasi:io/poll", "poll", &A, &lst, 1, &r), WK_WASI_TRAP);

  wk_cval dt = {.kind = WK_CABI_RECORD};
  dt.of.seq.items = wall.of.seq.items;
  dt.of.seq.n = 2;
  wk_cval tz = CALL(w, "wasi:clocks/timezone", "display", dt);
  assert_true(str_eq(&tz.of.seq.items[1], "UTC"));
  assert_int_equal(CALL(w, "wasi:clocks/timezone", "utc-offset", dt).of.s, 0);
  r = CALL(w, "wasi:random/random", "get-random-bytes", vu(64));
  assert_int_equal(r.of.seq.n, 64);
  int nz = 0;
  for (int i = 0; i < 64; i++) nz += r.of.seq.items[i].of.u != 0;
  assert_true(nz > 40);
  assert_int_equal(CALL(w, "wasi:random/insecure", "get-insecure-random-bytes", vu(5)).of.seq.n, 5);
  assert_int_not_equal(CALL0(w, "wasi:random/insecure", "get-insecure-random-u64").of.u,
                       CALL0(w, "wasi:random/insecure", "get-insecure-random-u64").of.u);
  wk_cval s1 = CALL0(w, "wasi:random/insecure-seed", "insecure-seed");
  wk_cval s2 = CALL0(w, "wasi:random/insecure-seed", "insecure-seed");
  assert_int_equal(s1.of.seq.items[0].of.u, s2.of.seq.items[0].of.u);
  wk_wasi_free(w);
}

/* ---- wasi:filesystem on a writable preopen ---- */
static void fs_ops(int fallback) {
  uint32_t dir;
  wk_wasi *w = mk(0, fallback, &dir);
  wk_cval fl = CALL(w, FS, "[method]descriptor.get-flags", vh(dir));
  assert_true(is_ok(fl));
  assert_int_equal(fl.of.var.payload->of.flags.words[0], 1u | 32u); /* read | mutate-directory */
  /* open and read a file */
  uint32_t f = ok_rep(open_at(w, dir, 0, "a.txt", 0, 1));
  wk_cval t = CALL(w, FS, "[method]descriptor.get-type", vh(f));
  assert_int_equal(t.of.var.payload->of.var.disc, T_REG);
  wk_cval r = CALL(w, FS, "[method]descriptor.read", vh(f), vu(100), vu(0));
  assert_true(is_ok(r));
  bytes_eq(&r.of.var.payload->of.seq.items[0], "hello\n");
  assert_int_equal(r.of.var.payload->of.seq.items[1].of.b, 0); /* data: not the end yet (wasmtime: eof = 0 bytes) */
  r = CALL(w, FS, "[method]descriptor.read", vh(f), vu(100), vu(6));
  assert_int_equal(r.of.var.payload->of.seq.items[0].of.seq.n, 0);
  assert_int_equal(r.of.var.payload->of.seq.items[1].of.b, 1);
  /* write to a descriptor opened without write: not-permitted (as wasmtime) */
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.write", vh(f), vbytes("x"), vu(0))), EC_NOT_PERMITTED);
  /* read-via-stream from offset 2 */
  uint32_t in = ok_rep(CALL(w, FS, "[method]descriptor.read-via-stream", vh(f), vu(2)));
  r = CALL(w, ST, "[method]input-stream.blocking-read", vh(in), vu(100));
  bytes_eq(r.of.var.payload, "llo\n");
  r = CALL(w, ST, "[method]input-stream.read", vh(in), vu(100));
  assert_int_equal(r.of.var.disc, 1); /* closed at end of file */
  /* stat and stat-at agree; symlink-follow */
  wk_cval s = CALL(w, FS, "[method]descriptor.stat", vh(f));
  assert_true(is_ok(s));
  assert_int_equal(s.of.var.payload->of.seq.items[2].of.u, 6); /* size */
  assert_int_equal(s.of.var.payload->of.seq.items[4].of.var.disc, 1); /* some(mtime) */
  s = CALL(w, FS, "[method]descriptor.stat-at", vh(dir), vf(0), vs("ln"));
  assert_int_equal(s.of.var.payload->of.seq.items[0].of.var.disc, T_SYMLINK);
  s = CALL(w, FS, "[method]descriptor.stat-at", vh(dir), vf(1), vs("ln"));
  assert_int_equal(s.of.var.payload->of.seq.items[0].of.var.disc, T_REG);
  /* metadata-hash: same object through the link, another object differs */
  wk_cval h1 = CALL(w, FS, "[method]descriptor.metadata-hash", vh(f));
  wk_cval h2 = CALL(w, FS, "[method]descriptor.metadata-hash-at", vh(dir), vf(1), vs("ln"));
  wk_cval h3 = CALL(w, FS, "[method]descriptor.metadata-hash-at", vh(dir), vf(0), vs("sub"));
  assert_int_equal(h1.of.var.payload->of.seq.items[0].of.u, h2.of.var.payload->of.seq.items[0].of.u);
  assert_int_equal(h1.of.var.payload->of.seq.items[1].of.u, h2.of.var.payload->of.seq.items[1].of.u);
  assert_int_not_equal(h1.of.var.payload->of.seq.items[0].of.u, h3.of.var.payload->of.seq.items[0].of.u);
  uint32_t f2 = ok_rep(open_at(w, dir, 1, "ln", 0, 1));
  assert_int_equal(CALL(w, FS, "[method]descriptor.is-same-object", vh(f), vh(f2)).of.b, 1);
  assert_int_equal(CALL(w, FS, "[method]descriptor.is-same-object", vh(f), vh(dir)).of.b, 0);
  /* readlink-at */
  r = CALL(w, FS, "[method]descriptor.readlink-at", vh(dir), vs("ln"));
  assert_true(is_ok(r) && str_eq(r.of.var.payload, "a.txt"));
  /* create, write through a stream, append, read back */
  uint32_t nf = ok_rep(open_at(w, dir, 0, "new.txt", 1 /* create */, 1 | 2));
  uint32_t out = ok_rep(CALL(w, FS, "[method]descriptor.write-via-stream", vh(nf), vu(0)));
  assert_true(is_ok(CALL(w, ST, "[method]output-stream.blocking-write-and-flush", vh(out), vbytes("abc"))));
  uint32_t app = ok_rep(CALL(w, FS, "[method]descriptor.append-via-stream", vh(nf)));
  assert_true(is_ok(CALL(w, ST, "[method]output-stream.write", vh(app), vbytes("XY"))));
  r = CALL(w, FS, "[method]descriptor.write", vh(nf), vbytes("Z"), vu(1));
  assert_int_equal(r.of.var.payload->of.u, 1);
  r = CALL(w, FS, "[method]descriptor.read", vh(nf), vu(100), vu(0));
  bytes_eq(&r.of.var.payload->of.seq.items[0], "aZcXY");
  assert_true(is_ok(CALL(w, FS, "[method]descriptor.set-size", vh(nf), vu(2))));
  assert_true(is_ok(CALL(w, FS, "[method]descriptor.sync-data", vh(nf))));
  wk_cval ts = vvar(WK_CABI_VARIANT, 2);
  wk_cval dt = {.kind = WK_CABI_RECORD};
  wk_cval dtf[2] = {vu(1000000000), vu(5)};
  dt.of.seq.items = dtf;
  dt.of.seq.n = 2;
  ts.of.var.payload = &dt;
  assert_true(is_ok(CALL(w, FS, "[method]descriptor.set-times", vh(nf), vvar(WK_CABI_VARIANT, 0), ts)));
  struct stat hs;
  char hp[600];
  snprintf(hp, sizeof hp, "%s/new.txt", root);
  assert_int_equal(stat(hp, &hs), 0);
  assert_int_equal(hs.st_size, 2);
  assert_int_equal(hs.st_mtim.tv_sec, 1000000000);
  /* exclusive create of an existing file */
  assert_int_equal(errc(open_at(w, dir, 0, "new.txt", 1 | 4, 1)), EC_EXIST);
  assert_int_equal(errc(open_at(w, dir, 0, "nope.txt", 0, 1)), EC_NO_ENTRY);
  assert_int_equal(errc(open_at(w, dir, 0, "a.txt", 2 /* directory */, 1)), EC_NOT_DIRECTORY);
  /* directories: create, list, rename, remove */
  assert_true(is_ok(CALL(w, FS, "[method]descriptor.create-directory-at", vh(dir), vs("d1"))));
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.create-directory-at", vh(dir), vs("d1"))), EC_EXIST);
  assert_true(is_ok(CALL(w, FS, "[method]descriptor.rename-at", vh(dir), vs("new.txt"), vh(dir), vs("d1/moved"))));
  assert_true(host_exists("d1/moved") && !host_exists("new.txt"));
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.remove-directory-at", vh(dir), vs("d1"))), EC_NOT_EMPTY);
  assert_true(is_ok(CALL(w, FS, "[method]descriptor.link-at", vh(dir), vf(0), vs("d1/moved"), vh(dir), vs("hard"))));
  assert_true(is_ok(CALL(w, FS, "[method]descriptor.symlink-at", vh(dir), vs("hard"), vs("soft"))));
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.symlink-at", vh(dir), vs("/etc"), vs("abs2"))),
                   EC_NOT_PERMITTED);
  uint32_t ds = ok_rep(CALL(w, FS, "[method]descriptor.read-directory", vh(dir)));
  int seen = 0, n = 0;
  for (;;) {
    wk_cval e = CALL(w, FS, "[method]directory-entry-stream.read-directory-entry", vh(ds));
    assert_true(is_ok(e));
    if (e.of.var.payload->of.var.disc == 0) break;
    wk_cval *ent = e.of.var.payload->of.var.payload;
    n++;
    assert_false(str_eq(&ent->of.seq.items[1], ".") || str_eq(&ent->of.seq.items[1], ".."));
    if (str_eq(&ent->of.seq.items[1], "d1")) { seen++; assert_int_equal(ent->of.seq.items[0].of.var.disc, T_DIR); }
    if (str_eq(&ent->of.seq.items[1], "soft")) { seen++; assert_int_equal(ent->of.seq.items[0].of.var.disc, T_SYMLINK); }
  }
  assert_int_equal(seen, 2);
  assert_int_equal(n, 9); /* sub a.txt abs up insub ln d1 hard soft */
  assert_true(is_ok(CALL(w, FS, "[method]descriptor.unlink-file-at", vh(dir), vs("soft"))));
  assert_true(is_ok(CALL(w, FS, "[method]descriptor.unlink-file-at", vh(dir), vs("hard"))));
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.unlink-file-at", vh(dir), vs("d1"))), EC_IS_DIRECTORY);
  assert_true(is_ok(CALL(w, FS, "[method]descriptor.unlink-file-at", vh(dir), vs("d1/moved"))));
  assert_true(is_ok(CALL(w, FS, "[method]descriptor.remove-directory-at", vh(dir), vs("d1"))));
  assert_false(host_exists("d1"));
  /* a directory cannot be read as a file; a file is not a directory */
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.read-via-stream", vh(dir), vu(0))), EC_BAD_DESCRIPTOR);
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.read", vh(dir), vu(1), vu(0))), EC_BAD_DESCRIPTOR);
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.read-directory", vh(f))), EC_NOT_DIRECTORY);
  /* an I/O error on a stream carries an error resource with a filesystem error-code */
  uint32_t d2 = ok_rep(open_at(w, dir, 0, "sub", 2, 1));
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.write-via-stream", vh(d2), vu(0))), EC_BAD_DESCRIPTOR);
  /* a subdirectory opened under a writable preopen may be mutated (it
   * inherits the permission, as under wasmtime) */
  assert_int_equal(CALL(w, FS, "[method]descriptor.get-flags", vh(d2)).of.var.payload->of.flags.words[0], 1u | 32u);
  assert_true(is_ok(CALL(w, FS, "[method]descriptor.create-directory-at", vh(d2), vs("inner"))));
  assert_true(host_exists("sub/inner"));
  assert_true(is_ok(CALL(w, FS, "[method]descriptor.remove-directory-at", vh(d2), vs("inner"))));
  /* link-at with symlink-follow: invalid (as wasmtime) */
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.link-at", vh(dir), vf(1), vs("a.txt"), vh(dir), vs("h2"))),
                   EC_INVALID);
  /* create without the write flag still opens for writing */
  uint32_t cf = ok_rep(open_at(w, dir, 0, "c2.txt", 1, 0));
  assert_int_equal(CALL(w, FS, "[method]descriptor.get-flags", vh(cf)).of.var.payload->of.flags.words[0], 1u | 2u);
  assert_true(is_ok(CALL(w, FS, "[method]descriptor.write", vh(cf), vbytes("ok"), vu(0))));
  r = CALL(w, FS, "[method]descriptor.read", vh(cf), vu(10), vu(2));
  assert_int_equal(r.of.var.payload->of.seq.items[1].of.b, 1); /* nothing at offset 2: end of file */
  r = CALL(w, FS, "[method]descriptor.read", vh(cf), vu(1), vu(0));
  assert_int_equal(r.of.var.payload->of.seq.items[1].of.b, 0);
  wk_wasi_free(w);
}
static void test_fs_openat2(void **state) { fs_ops(0); }
static void test_fs_fallback(void **state) { fs_ops(1); }

/* ---- the preview1 sandbox refusals through wasi:filesystem ---- */
static void escapes(int fallback) {
  uint32_t dir;
  wk_wasi *w = mk(0, fallback, &dir);
  static const char *esc[] = {"..", "../", "/etc/passwd", "/", "abs/passwd", "up/x", "sub/up2/x",
                              "sub/../../x", "insub/../..", "up"};
  for (size_t i = 0; i < sizeof esc / sizeof *esc; i++) {
    int follow = 1;
    int e = errc(open_at(w, dir, follow, esc[i], 0, 1));
    if (e != EC_NOT_PERMITTED) fail_msg("open-at %s (fallback %d): error %d, want not-permitted", esc[i], fallback, e);
  }
  /* the file next to the sandbox: not reachable, not created, not removed */
  char rel[400];
  snprintf(rel, sizeof rel, "../%s", strrchr(outside, '/') + 1);
  assert_int_equal(errc(open_at(w, dir, 0, rel, 0, 1)), EC_NOT_PERMITTED);
  assert_int_equal(errc(open_at(w, dir, 0, "../wk-wasi2-created", 1, 1 | 2)), EC_NOT_PERMITTED);
  assert_int_equal(access("/tmp/wk-wasi2-created", F_OK), -1);
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.stat-at", vh(dir), vf(1), vs("abs/passwd"))), EC_NOT_PERMITTED);
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.create-directory-at", vh(dir), vs("up/newdir"))),
                   EC_NOT_PERMITTED);
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.unlink-file-at", vh(dir), vs(rel))), EC_NOT_PERMITTED);
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.rename-at", vh(dir), vs("a.txt"), vh(dir), vs("../stolen"))),
                   EC_NOT_PERMITTED);
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.symlink-at", vh(dir), vs("x"), vs("../lnk"))),
                   EC_NOT_PERMITTED);
  assert_int_equal(access(outside, F_OK), 0);
  assert_true(host_exists("a.txt"));
  /* symlinks that stay inside work */
  assert_true(is_ok(open_at(w, dir, 1, "insub/../a.txt", 0, 1)));
  wk_wasi_free(w);
}
static void test_escapes_openat2(void **state) { escapes(0); }
static void test_escapes_fallback(void **state) { escapes(1); }

static void readonly(int fallback) {
  uint32_t dir;
  wk_wasi *w = mk(1, fallback, &dir);
  wk_cval fl = CALL(w, FS, "[method]descriptor.get-flags", vh(dir));
  assert_int_equal(fl.of.var.payload->of.flags.words[0], 1u); /* read only: no mutate-directory */
  assert_true(is_ok(open_at(w, dir, 0, "a.txt", 0, 1)));
  assert_int_equal(errc(open_at(w, dir, 0, "a.txt", 0, 2)), EC_NOT_PERMITTED);          /* write */
  assert_int_equal(errc(open_at(w, dir, 0, "a.txt", 0, 1 | 2)), EC_NOT_PERMITTED);      /* read+write */
  assert_int_equal(errc(open_at(w, dir, 0, "c.txt", 1, 1)), EC_NOT_PERMITTED);          /* create */
  assert_int_equal(errc(open_at(w, dir, 0, "a.txt", 8, 1)), EC_NOT_PERMITTED);          /* truncate */
  /* asking for mutate-directory under it gives a descriptor without it */
  uint32_t sm = ok_rep(open_at(w, dir, 0, "sub", 2, 1 | 32));
  assert_int_equal(CALL(w, FS, "[method]descriptor.get-flags", vh(sm)).of.var.payload->of.flags.words[0], 1u);
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.create-directory-at", vh(sm), vs("x"))), EC_NOT_PERMITTED);
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.create-directory-at", vh(dir), vs("nd"))), EC_NOT_PERMITTED);
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.unlink-file-at", vh(dir), vs("a.txt"))), EC_NOT_PERMITTED);
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.remove-directory-at", vh(dir), vs("sub"))), EC_NOT_PERMITTED);
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.rename-at", vh(dir), vs("a.txt"), vh(dir), vs("b"))),
                   EC_NOT_PERMITTED);
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.symlink-at", vh(dir), vs("a.txt"), vs("s"))), EC_NOT_PERMITTED);
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.link-at", vh(dir), vf(0), vs("a.txt"), vh(dir), vs("h"))),
                   EC_NOT_PERMITTED);
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.set-times-at", vh(dir), vf(0), vs("a.txt"),
                             vvar(WK_CABI_VARIANT, 1), vvar(WK_CABI_VARIANT, 1))),
                   EC_NOT_PERMITTED);
  /* a subdirectory opened under it cannot gain mutate-directory; a file has no write */
  uint32_t sub = ok_rep(open_at(w, dir, 0, "sub", 2, 1));
  assert_int_equal(CALL(w, FS, "[method]descriptor.get-flags", vh(sub)).of.var.payload->of.flags.words[0], 1u);
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.create-directory-at", vh(sub), vs("x"))), EC_NOT_PERMITTED);
  uint32_t f = ok_rep(open_at(w, dir, 0, "a.txt", 0, 1));
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.write-via-stream", vh(f), vu(0))), EC_BAD_DESCRIPTOR);
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.set-size", vh(f), vu(0))), EC_NOT_PERMITTED);
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.write", vh(f), vbytes("x"), vu(0))), EC_NOT_PERMITTED);
  /* nothing changed on the host */
  assert_false(host_exists("c.txt") || host_exists("nd") || host_exists("b") || host_exists("s") ||
               host_exists("h") || host_exists("sub/x"));
  struct stat st;
  char p[600];
  snprintf(p, sizeof p, "%s/a.txt", root);
  assert_int_equal(stat(p, &st), 0);
  assert_int_equal(st.st_size, 6);
  wk_wasi_free(w);
}
static void test_readonly_openat2(void **state) { readonly(0); }
static void test_readonly_fallback(void **state) { readonly(1); }

/* ---- sockets denied; hostile arguments ---- */
static void test_sockets_and_bad_calls(void **state) {
  uint32_t dir;
  wk_wasi *w = mk(0, 0, &dir);
  wk_cval net = CALL0(w, "wasi:sockets/instance-network", "instance-network");
  assert_int_equal(net.kind, WK_CABI_OWN);
  wk_cval r = CALL(w, "wasi:sockets/tcp-create-socket", "create-tcp-socket", vvar(WK_CABI_ENUM, 0));
  assert_int_equal(errc(r), 1); /* access-denied */
  r = CALL(w, "wasi:sockets/udp-create-socket", "create-udp-socket", vvar(WK_CABI_ENUM, 1));
  assert_int_equal(errc(r), 1);
  /* wasmtime-wasi 48: permanent-resolver-failure without allow_ip_name_lookup */
  r = CALL(w, "wasi:sockets/ip-name-lookup", "resolve-addresses", vh(net.of.handle.rep), vs("localhost"));
  assert_int_equal(errc(r), 20);
  wk_cval args[3] = {vh(dir), vu(1), vu(2)};
  /* unknown function, wrong count, wrong kind, unknown handle, wrong resource kind: traps */
  assert_int_equal(wk_wasi_p2_call(w, FS, "[method]descriptor.nope", &A, args, 1, &r), WK_WASI_TRAP);
  assert_int_equal(wk_wasi_p2_call(w, FS, "[method]descriptor.read", &A, args, 2, &r), WK_WASI_TRAP);
  assert_non_null(strstr(wk_wasi_trap_message(w), "number of arguments"));
  wk_cval bad[3] = {vu(1), vu(1), vu(2)};
  assert_int_equal(wk_wasi_p2_call(w, FS, "[method]descriptor.read", &A, bad, 3, &r), WK_WASI_TRAP);
  wk_cval unk[3] = {vh(4242), vu(1), vu(2)};
  assert_int_equal(wk_wasi_p2_call(w, FS, "[method]descriptor.read", &A, unk, 3, &r), WK_WASI_TRAP);
  wk_cval wrongres[2] = {vh(dir), vu(1)};
  assert_int_equal(wk_wasi_p2_call(w, ST, "[method]input-stream.read", &A, wrongres, 2, &r), WK_WASI_TRAP);
  wk_cval nul = {.kind = WK_CABI_STRING};
  nul.of.str.ptr = "a\0b";
  nul.of.str.len = 3;
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.stat-at", vh(dir), vf(0), nul)), EC_INVALID);
  wk_wasi_free(w);
}

/* ---- sockets with the grants: TCP and UDP over loopback, name lookup ---- */
#define SK "wasi:sockets/tcp"
#define SU "wasi:sockets/udp"
/* ip-socket-address ipv4(record{port, address: tuple<u8 x4>}) */
static wk_cval v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port) {
  wk_cval *r = wk_arena_alloc(&A, sizeof *r), *f = wk_arena_alloc(&A, 2 * sizeof *f),
          *t = wk_arena_alloc(&A, 4 * sizeof *t);
  uint8_t oct[4] = {a, b, c, d};
  for (int i = 0; i < 4; i++) { t[i].kind = WK_CABI_U8; t[i].of.u = oct[i]; }
  f[0].kind = WK_CABI_U16;
  f[0].of.u = port;
  f[1].kind = WK_CABI_TUPLE;
  f[1].of.seq.items = t;
  f[1].of.seq.n = 4;
  r->kind = WK_CABI_RECORD;
  r->of.seq.items = f;
  r->of.seq.n = 2;
  wk_cval v = vvar(WK_CABI_VARIANT, 0);
  v.of.var.payload = r;
  return v;
}
/* ip-socket-address ipv6(record{port, flow-info, address: tuple<u16 x8>, scope-id}) */
static wk_cval v6(const uint16_t a[8], uint16_t port) {
  wk_cval *r = wk_arena_alloc(&A, sizeof *r), *f = wk_arena_alloc(&A, 4 * sizeof *f),
          *t = wk_arena_alloc(&A, 8 * sizeof *t);
  for (int i = 0; i < 8; i++) { t[i].kind = WK_CABI_U16; t[i].of.u = a[i]; }
  f[0].kind = WK_CABI_U16;
  f[0].of.u = port;
  f[1] = vu(0);
  f[1].kind = WK_CABI_U32;
  f[2].kind = WK_CABI_TUPLE;
  f[2].of.seq.items = t;
  f[2].of.seq.n = 8;
  f[3] = vu(0);
  f[3].kind = WK_CABI_U32;
  r->kind = WK_CABI_RECORD;
  r->of.seq.items = f;
  r->of.seq.n = 4;
  wk_cval v = vvar(WK_CABI_VARIANT, 1);
  v.of.var.payload = r;
  return v;
}
static int net_errc(wk_cval r) { return errc(r); }
/* the port of an ok(ip-socket-address) result */
static uint16_t ok_port(wk_cval r) {
  assert_true(is_ok(r));
  return (uint16_t)r.of.var.payload->of.var.payload->of.seq.items[0].of.u;
}
/* retry a start/finish "would-block" call after waiting on the socket's pollable */
static wk_cval until_ready(wk_wasi *w, const char *iface, const char *name, uint32_t sock) {
  for (int i = 0; i < 1000; i++) {
    wk_cval r = CALL(w, iface, name, vh(sock));
    if (is_ok(r) || errc(r) != 8 /* would-block */) return r;
    uint32_t p = CALL(w, iface, "[method]tcp-socket.subscribe", vh(sock)).of.handle.rep;
    CALL(w, "wasi:io/poll", "[method]pollable.block", vh(p));
    wk_error err;
    wk_wasi_p2_drop(w, p, &err);
  }
  fail_msg("%s: still would-block", name);
  return (wk_cval){0};
}
static void test_sockets_granted(void **state) {
  wk_wasi *w = wk_wasi_new();
  wk_wasi_p2_allow_network(w, WK_WASI_NET_INHERIT | WK_WASI_NET_TCP | WK_WASI_NET_UDP | WK_WASI_NET_LOOKUP);
  uint32_t net = CALL0(w, "wasi:sockets/instance-network", "instance-network").of.handle.rep;
  /* a listener on 127.0.0.1, port chosen by the kernel */
  uint32_t srv = ok_rep(CALL(w, "wasi:sockets/tcp-create-socket", "create-tcp-socket", vvar(WK_CABI_ENUM, 0)));
  assert_int_equal(net_errc(CALL(w, SK, "[method]tcp-socket.finish-bind", vh(srv))), 7); /* not-in-progress */
  assert_int_equal(net_errc(CALL(w, SK, "[method]tcp-socket.local-address", vh(srv))), 9); /* invalid-state */
  assert_true(is_ok(CALL(w, SK, "[method]tcp-socket.start-bind", vh(srv), vh(net), v4(127, 0, 0, 1, 0))));
  assert_int_equal(net_errc(CALL(w, SK, "[method]tcp-socket.start-bind", vh(srv), vh(net), v4(127, 0, 0, 1, 0))), 9);
  assert_true(is_ok(CALL(w, SK, "[method]tcp-socket.finish-bind", vh(srv))));
  assert_true(is_ok(CALL(w, SK, "[method]tcp-socket.start-listen", vh(srv))));
  assert_true(is_ok(CALL(w, SK, "[method]tcp-socket.finish-listen", vh(srv))));
  assert_int_equal(CALL(w, SK, "[method]tcp-socket.is-listening", vh(srv)).of.b, 1);
  uint16_t port = ok_port(CALL(w, SK, "[method]tcp-socket.local-address", vh(srv)));
  assert_true(port > 0);
  assert_int_equal(net_errc(CALL(w, SK, "[method]tcp-socket.accept", vh(srv))), 8); /* would-block: nobody yet */
  /* a client connects */
  uint32_t cli = ok_rep(CALL(w, "wasi:sockets/tcp-create-socket", "create-tcp-socket", vvar(WK_CABI_ENUM, 0)));
  assert_int_equal(net_errc(CALL(w, SK, "[method]tcp-socket.start-connect", vh(cli), vh(net), v4(127, 0, 0, 1, 0))), 3);
  assert_int_equal(net_errc(CALL(w, SK, "[method]tcp-socket.start-connect", vh(cli), vh(net), v4(0, 0, 0, 0, port))), 3);
  assert_true(is_ok(CALL(w, SK, "[method]tcp-socket.start-connect", vh(cli), vh(net), v4(127, 0, 0, 1, port))));
  wk_cval cs = until_ready(w, SK, "[method]tcp-socket.finish-connect", cli);
  assert_true(is_ok(cs));
  uint32_t cin = cs.of.var.payload->of.seq.items[0].of.handle.rep, cout = cs.of.var.payload->of.seq.items[1].of.handle.rep;
  assert_int_equal(ok_port(CALL(w, SK, "[method]tcp-socket.remote-address", vh(cli))), port);
  wk_cval ac = until_ready(w, SK, "[method]tcp-socket.accept", srv);
  assert_true(is_ok(ac));
  uint32_t conn = ac.of.var.payload->of.seq.items[0].of.handle.rep;
  uint32_t sin = ac.of.var.payload->of.seq.items[1].of.handle.rep, sout = ac.of.var.payload->of.seq.items[2].of.handle.rep;
  assert_int_equal(ok_port(CALL(w, SK, "[method]tcp-socket.remote-address", vh(conn))),
                   ok_port(CALL(w, SK, "[method]tcp-socket.local-address", vh(cli))));
  /* ping / pong through the streams */
  assert_true(is_ok(CALL(w, ST, "[method]output-stream.blocking-write-and-flush", vh(cout), vbytes("ping"))));
  wk_cval r = CALL(w, ST, "[method]input-stream.blocking-read", vh(sin), vu(4));
  bytes_eq(r.of.var.payload, "ping");
  assert_true(is_ok(CALL(w, ST, "[method]output-stream.blocking-write-and-flush", vh(sout), vbytes("pong!"))));
  r = CALL(w, ST, "[method]input-stream.blocking-read", vh(cin), vu(100));
  bytes_eq(r.of.var.payload, "pong!");
  /* options */
  assert_true(is_ok(CALL(w, SK, "[method]tcp-socket.set-keep-alive-enabled", vh(cli), (wk_cval){.kind = WK_CABI_BOOL, .of.b = 1})));
  assert_int_equal(CALL(w, SK, "[method]tcp-socket.keep-alive-enabled", vh(cli)).of.var.payload->of.b, 1);
  assert_true(is_ok(CALL(w, SK, "[method]tcp-socket.set-keep-alive-idle-time", vh(cli), vu(30000000000ull))));
  assert_int_equal(CALL(w, SK, "[method]tcp-socket.keep-alive-idle-time", vh(cli)).of.var.payload->of.u, 30000000000ull);
  assert_int_equal(net_errc(CALL(w, SK, "[method]tcp-socket.set-hop-limit", vh(cli), vu(0))), 3);
  assert_true(is_ok(CALL(w, SK, "[method]tcp-socket.set-hop-limit", vh(cli), vu(42))));
  assert_int_equal(CALL(w, SK, "[method]tcp-socket.hop-limit", vh(cli)).of.var.payload->of.u, 42);
  assert_true(CALL(w, SK, "[method]tcp-socket.receive-buffer-size", vh(cli)).of.var.payload->of.u > 0);
  assert_int_equal(CALL(w, SK, "[method]tcp-socket.address-family", vh(cli)).of.var.disc, 0);
  assert_int_equal(net_errc(CALL(w, SK, "[method]tcp-socket.start-listen", vh(cli))), 9);
  /* shutdown(send): the other side reads end of stream */
  assert_true(is_ok(CALL(w, SK, "[method]tcp-socket.shutdown", vh(cli), vvar(WK_CABI_ENUM, 1))));
  r = CALL(w, ST, "[method]input-stream.blocking-read", vh(sin), vu(10));
  assert_int_equal(r.of.var.disc, 1); /* closed */
  /* the client goes away: writes to it fail (reset / closed) and never
   * raise SIGPIPE, which is left at its default here to prove it */
  {
    wk_error e2;
    assert_int_equal(wk_wasi_p2_drop(w, cin, &e2), WK_OK);
    assert_int_equal(wk_wasi_p2_drop(w, cout, &e2), WK_OK);
    assert_int_equal(wk_wasi_p2_drop(w, cli, &e2), WK_OK);
    void (*old)(int) = signal(SIGPIPE, SIG_DFL);
    int failed = 0;
    for (int i = 0; i < 200 && !failed; i++) {
      r = CALL(w, ST, "[method]output-stream.blocking-write-and-flush", vh(sout), vbytes("data after close"));
      failed = r.of.var.disc == 1;
      if (!failed) usleep(1000);
    }
    signal(SIGPIPE, old);
    assert_true(failed);
  }
  /* a refused connection: the closed listener's port */
  uint32_t c2 = ok_rep(CALL(w, "wasi:sockets/tcp-create-socket", "create-tcp-socket", vvar(WK_CABI_ENUM, 0)));
  wk_error err;
  assert_int_equal(wk_wasi_p2_drop(w, srv, &err), WK_OK);
  wk_cval sc = CALL(w, SK, "[method]tcp-socket.start-connect", vh(c2), vh(net), v4(127, 0, 0, 1, port));
  if (is_ok(sc)) sc = until_ready(w, SK, "[method]tcp-socket.finish-connect", c2);
  assert_int_equal(net_errc(sc), 14); /* connection-refused */

  /* UDP: u2 connected to u1 sends; u1 (unconnected) receives with u2's address */
  uint32_t u1 = ok_rep(CALL(w, "wasi:sockets/udp-create-socket", "create-udp-socket", vvar(WK_CABI_ENUM, 0)));
  uint32_t u2 = ok_rep(CALL(w, "wasi:sockets/udp-create-socket", "create-udp-socket", vvar(WK_CABI_ENUM, 0)));
  assert_int_equal(net_errc(CALL(w, SU, "[method]udp-socket.stream", vh(u1), vvar(WK_CABI_OPTION, 0))), 9); /* unbound */
  for (int i = 0; i < 2; i++) {
    uint32_t u = i ? u2 : u1;
    assert_true(is_ok(CALL(w, SU, "[method]udp-socket.start-bind", vh(u), vh(net), v4(127, 0, 0, 1, 0))));
    assert_true(is_ok(CALL(w, SU, "[method]udp-socket.finish-bind", vh(u))));
  }
  uint16_t p1 = ok_port(CALL(w, SU, "[method]udp-socket.local-address", vh(u1)));
  uint16_t p2 = ok_port(CALL(w, SU, "[method]udp-socket.local-address", vh(u2)));
  wk_cval s1 = CALL(w, SU, "[method]udp-socket.stream", vh(u1), vvar(WK_CABI_OPTION, 0));
  wk_cval some = vvar(WK_CABI_OPTION, 1);
  wk_cval a1 = v4(127, 0, 0, 1, p1);
  some.of.var.payload = &a1;
  wk_cval s2 = CALL(w, SU, "[method]udp-socket.stream", vh(u2), some);
  assert_true(is_ok(s1) && is_ok(s2));
  assert_int_equal(ok_port(CALL(w, SU, "[method]udp-socket.remote-address", vh(u2))), p1);
  assert_int_equal(net_errc(CALL(w, SU, "[method]udp-socket.remote-address", vh(u1))), 9);
  uint32_t in1 = s1.of.var.payload->of.seq.items[0].of.handle.rep, out1 = s1.of.var.payload->of.seq.items[1].of.handle.rep;
  uint32_t out2 = s2.of.var.payload->of.seq.items[1].of.handle.rep;
  assert_int_equal(CALL(w, SU, "[method]outgoing-datagram-stream.check-send", vh(out2)).of.var.payload->of.u, 64);
  /* list<outgoing-datagram{data, remote-address: none}> */
  wk_cval dg = {.kind = WK_CABI_RECORD}, dgf[2] = {vbytes("hi"), vvar(WK_CABI_OPTION, 0)}, lst = {.kind = WK_CABI_LIST};
  dg.of.seq.items = dgf;
  dg.of.seq.n = 2;
  lst.of.seq.items = &dg;
  lst.of.seq.n = 1;
  r = CALL(w, SU, "[method]outgoing-datagram-stream.send", vh(out2), lst);
  assert_true(is_ok(r));
  assert_int_equal(r.of.var.payload->of.u, 1);
  assert_int_equal(net_errc(CALL(w, SU, "[method]outgoing-datagram-stream.send", vh(out1), lst)), 3); /* no remote */
  uint32_t pin = CALL(w, SU, "[method]incoming-datagram-stream.subscribe", vh(in1)).of.handle.rep;
  CALL(w, "wasi:io/poll", "[method]pollable.block", vh(pin));
  r = CALL(w, SU, "[method]incoming-datagram-stream.receive", vh(in1), vu(10));
  assert_true(is_ok(r));
  assert_int_equal(r.of.var.payload->of.seq.n, 1);
  bytes_eq(&r.of.var.payload->of.seq.items[0].of.seq.items[0], "hi");
  assert_int_equal(r.of.var.payload->of.seq.items[0].of.seq.items[1].of.var.payload->of.seq.items[0].of.u, p2);

  /* IPv6: a listener on ::1, a client connects; addresses round-trip */
  {
    static const uint16_t lo6[8] = {0, 0, 0, 0, 0, 0, 0, 1};
    uint32_t s6 = ok_rep(CALL(w, "wasi:sockets/tcp-create-socket", "create-tcp-socket", vvar(WK_CABI_ENUM, 1)));
    assert_int_equal(CALL(w, SK, "[method]tcp-socket.address-family", vh(s6)).of.var.disc, 1);
    /* an IPv4 address on an IPv6 socket: invalid-argument */
    assert_int_equal(net_errc(CALL(w, SK, "[method]tcp-socket.start-bind", vh(s6), vh(net), v4(127, 0, 0, 1, 0))), 3);
    assert_true(is_ok(CALL(w, SK, "[method]tcp-socket.start-bind", vh(s6), vh(net), v6(lo6, 0))));
    assert_true(is_ok(CALL(w, SK, "[method]tcp-socket.finish-bind", vh(s6))));
    assert_true(is_ok(CALL(w, SK, "[method]tcp-socket.start-listen", vh(s6))));
    assert_true(is_ok(CALL(w, SK, "[method]tcp-socket.finish-listen", vh(s6))));
    wk_cval la = CALL(w, SK, "[method]tcp-socket.local-address", vh(s6));
    assert_true(is_ok(la));
    assert_int_equal(la.of.var.payload->of.var.disc, 1);
    wk_cval *rec = la.of.var.payload->of.var.payload;
    uint16_t p6 = (uint16_t)rec->of.seq.items[0].of.u;
    for (int i = 0; i < 8; i++) assert_int_equal(rec->of.seq.items[2].of.seq.items[i].of.u, lo6[i]);
    uint32_t c6 = ok_rep(CALL(w, "wasi:sockets/tcp-create-socket", "create-tcp-socket", vvar(WK_CABI_ENUM, 1)));
    assert_true(is_ok(CALL(w, SK, "[method]tcp-socket.start-connect", vh(c6), vh(net), v6(lo6, p6))));
    assert_true(is_ok(until_ready(w, SK, "[method]tcp-socket.finish-connect", c6)));
    assert_true(is_ok(until_ready(w, SK, "[method]tcp-socket.accept", s6)));
    assert_int_equal(CALL(w, SK, "[method]tcp-socket.remote-address", vh(c6)).of.var.payload->of.var.payload->of.seq.items[0].of.u, p6);
  }

  /* ip-name-lookup */
  wk_cval rs = CALL(w, "wasi:sockets/ip-name-lookup", "resolve-addresses", vh(net), vs("127.0.0.1"));
  uint32_t st = ok_rep(rs);
  r = CALL(w, "wasi:sockets/ip-name-lookup", "[method]resolve-address-stream.resolve-next-address", vh(st));
  assert_true(is_ok(r) && r.of.var.payload->of.var.disc == 1);
  wk_cval *ip = r.of.var.payload->of.var.payload;
  assert_int_equal(ip->of.var.disc, 0);
  assert_int_equal(ip->of.var.payload->of.seq.items[0].of.u, 127);
  assert_int_equal(ip->of.var.payload->of.seq.items[3].of.u, 1);
  r = CALL(w, "wasi:sockets/ip-name-lookup", "[method]resolve-address-stream.resolve-next-address", vh(st));
  assert_true(is_ok(r) && r.of.var.payload->of.var.disc == 0); /* one address, then none */
  assert_int_equal(net_errc(CALL(w, "wasi:sockets/ip-name-lookup", "resolve-addresses", vh(net), vs(""))), 3);
  st = ok_rep(CALL(w, "wasi:sockets/ip-name-lookup", "resolve-addresses", vh(net), vs("localhost")));
  r = CALL(w, "wasi:sockets/ip-name-lookup", "[method]resolve-address-stream.resolve-next-address", vh(st));
  assert_true(is_ok(r) && r.of.var.payload->of.var.disc == 1);
  /* grants withdrawn: denied again */
  wk_wasi_p2_allow_network(w, 0);
  assert_int_equal(net_errc(CALL(w, "wasi:sockets/ip-name-lookup", "resolve-addresses", vh(net), vs("localhost"))), 20);
  assert_int_equal(net_errc(CALL(w, "wasi:sockets/tcp-create-socket", "create-tcp-socket", vvar(WK_CABI_ENUM, 0))), 1);
  wk_wasi_free(w);
}

/* ---- sockets created but no address granted (wasmtime -S tcp,udp without
 * inherit-network): the steps and codes of wasmtime-wasi 48's
 * crates/wasi/src/p2/host/{tcp,udp}.rs and sockets/{tcp,udp}.rs ---- */
static void test_sockets_no_address(void **state) {
  wk_wasi *w = wk_wasi_new();
  wk_wasi_p2_allow_network(w, WK_WASI_NET_TCP);
  uint32_t net = CALL0(w, "wasi:sockets/instance-network", "instance-network").of.handle.rep;
  assert_int_equal(net_errc(CALL(w, "wasi:sockets/udp-create-socket", "create-udp-socket", vvar(WK_CABI_ENUM, 0))), 1);
  wk_wasi_p2_allow_network(w, WK_WASI_NET_TCP | WK_WASI_NET_UDP);
  static const uint16_t lo6[8] = {0, 0, 0, 0, 0, 0, 0, 1};
  uint32_t t = ok_rep(CALL(w, "wasi:sockets/tcp-create-socket", "create-tcp-socket", vvar(WK_CABI_ENUM, 0)));
  /* bind: state and argument checks first, then access-denied; still unbound */
  assert_int_equal(net_errc(CALL(w, SK, "[method]tcp-socket.start-bind", vh(t), vh(net), v6(lo6, 0))), 3);
  assert_int_equal(net_errc(CALL(w, SK, "[method]tcp-socket.start-bind", vh(t), vh(net), v4(127, 0, 0, 1, 0))), 1);
  assert_int_equal(net_errc(CALL(w, SK, "[method]tcp-socket.start-bind", vh(t), vh(net), v4(127, 0, 0, 1, 0))), 1);
  assert_int_equal(net_errc(CALL(w, SK, "[method]tcp-socket.finish-bind", vh(t))), 7);
  assert_int_equal(net_errc(CALL(w, SK, "[method]tcp-socket.local-address", vh(t))), 9);
  assert_int_equal(net_errc(CALL(w, SK, "[method]tcp-socket.start-listen", vh(t))), 9); /* unbound */
  /* options work on the (unbound, unconnected) host socket */
  assert_true(is_ok(CALL(w, SK, "[method]tcp-socket.set-hop-limit", vh(t), vu(42))));
  assert_int_equal(CALL(w, SK, "[method]tcp-socket.hop-limit", vh(t)).of.var.payload->of.u, 42);
  /* connect: argument checks, then ok; the first finish-connect is access-denied */
  assert_int_equal(net_errc(CALL(w, SK, "[method]tcp-socket.start-connect", vh(t), vh(net), v4(127, 0, 0, 1, 0))), 3);
  assert_true(is_ok(CALL(w, SK, "[method]tcp-socket.start-connect", vh(t), vh(net), v4(127, 0, 0, 1, 9))));
  assert_int_equal(net_errc(CALL(w, SK, "[method]tcp-socket.start-connect", vh(t), vh(net), v4(127, 0, 0, 1, 9))), 6);
  uint32_t p = CALL(w, SK, "[method]tcp-socket.subscribe", vh(t)).of.handle.rep;
  assert_int_equal(CALL(w, "wasi:io/poll", "[method]pollable.ready", vh(p)).of.b, 1);
  assert_int_equal(net_errc(CALL(w, SK, "[method]tcp-socket.finish-connect", vh(t))), 1);
  assert_int_equal(net_errc(CALL(w, SK, "[method]tcp-socket.finish-connect", vh(t))), 7);
  assert_int_equal(net_errc(CALL(w, SK, "[method]tcp-socket.start-connect", vh(t), vh(net), v4(127, 0, 0, 1, 9))), 9);
  assert_int_equal(net_errc(CALL(w, SK, "[method]tcp-socket.remote-address", vh(t))), 9);
  /* UDP: bind refused, so no stream (WASI 0.2: bound first) */
  uint32_t u = ok_rep(CALL(w, "wasi:sockets/udp-create-socket", "create-udp-socket", vvar(WK_CABI_ENUM, 1)));
  assert_int_equal(net_errc(CALL(w, SU, "[method]udp-socket.start-bind", vh(u), vh(net), v6(lo6, 0))), 1);
  assert_int_equal(net_errc(CALL(w, SU, "[method]udp-socket.stream", vh(u), vvar(WK_CABI_OPTION, 0))), 9);
  /* bound with the grant, then the grant withdrawn: listen, stream(remote)
   * and a send to an address are checked too */
  wk_wasi_p2_allow_network(w, WK_WASI_NET_INHERIT | WK_WASI_NET_TCP | WK_WASI_NET_UDP);
  uint32_t l = ok_rep(CALL(w, "wasi:sockets/tcp-create-socket", "create-tcp-socket", vvar(WK_CABI_ENUM, 0)));
  uint32_t u1 = ok_rep(CALL(w, "wasi:sockets/udp-create-socket", "create-udp-socket", vvar(WK_CABI_ENUM, 0)));
  assert_true(is_ok(CALL(w, SK, "[method]tcp-socket.start-bind", vh(l), vh(net), v4(127, 0, 0, 1, 0))));
  assert_true(is_ok(CALL(w, SK, "[method]tcp-socket.finish-bind", vh(l))));
  assert_true(is_ok(CALL(w, SU, "[method]udp-socket.start-bind", vh(u1), vh(net), v4(127, 0, 0, 1, 0))));
  assert_true(is_ok(CALL(w, SU, "[method]udp-socket.finish-bind", vh(u1))));
  uint16_t p1 = ok_port(CALL(w, SU, "[method]udp-socket.local-address", vh(u1)));
  wk_wasi_p2_allow_network(w, WK_WASI_NET_TCP | WK_WASI_NET_UDP);
  assert_int_equal(net_errc(CALL(w, SK, "[method]tcp-socket.start-listen", vh(l))), 1);
  wk_cval some = vvar(WK_CABI_OPTION, 1), a1 = v4(127, 0, 0, 1, p1);
  some.of.var.payload = &a1;
  assert_int_equal(net_errc(CALL(w, SU, "[method]udp-socket.stream", vh(u1), some)), 1);
  wk_cval s1 = CALL(w, SU, "[method]udp-socket.stream", vh(u1), vvar(WK_CABI_OPTION, 0));
  assert_true(is_ok(s1));
  uint32_t out1 = s1.of.var.payload->of.seq.items[1].of.handle.rep;
  wk_cval dg = {.kind = WK_CABI_RECORD}, dgf[2] = {vbytes("hi"), some}, lst = {.kind = WK_CABI_LIST};
  dg.of.seq.items = dgf;
  dg.of.seq.n = 2;
  lst.of.seq.items = &dg;
  lst.of.seq.n = 1;
  assert_int_equal(net_errc(CALL(w, SU, "[method]outgoing-datagram-stream.send", vh(out1), lst)), 1);
  wk_wasi_free(w);
}

/* ---- random calls: no crash, no escape, only WIT-shaped answers ---- */
static uint64_t xorshift(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}
static void test_random_calls(void **state) {
  uint32_t dir;
  wk_wasi *w = mk(0, 0, &dir);
  wk_error err;
  char ro[400];
  snprintf(ro, sizeof ro, "%s/sub", root);
  assert_int_equal(wk_wasi_preopen(w, ro, "/ro", 1, &err), WK_OK);
  /* sockets may be created, but no address is granted (so nothing is bound,
   * connected or sent); no name lookup (it would query DNS) */
  wk_wasi_p2_allow_network(w, WK_WASI_NET_TCP | WK_WASI_NET_UDP);
  int nul = open("/dev/null", O_RDWR);
  assert_true(nul >= 0);
  assert_int_equal(wk_wasi_set_stdio(w, nul, nul, nul), WK_OK);
  static const char *paths[] = {"a.txt", "sub", "ln", "new", "new/", "..", "../wk-fz2", "/etc", "abs/passwd",
                                "up/wk-fz2", "sub/up2/wk-fz2", "insub/x", ".", "", "sub/../a.txt", "d/e/f"};
  static const uint64_t nums[] = {0, 1, 2, 3, 5, 100, 4096, 1u << 20, (1u << 20) + 1, 1ull << 40,
                                  0x7fffffffffffffffull, ~0ull};
  uint64_t seed = 0x2545f4914f6cdd1dull;
  size_t nf = wk_wasi_p2_func_count(), calls = 0, traps = 0, exits = 0;
  uint32_t live[64], nlive = 0; /* reps handed out recently */
  for (int it = 0; it < 40000; it++) {
    const char *iface, *name;
    size_t fi = xorshift(&seed) % nf;
    wk_wasi_p2_func_name(fi, &iface, &name);
    const char *sig = wk_wasi_p2_func_sig(fi);
    /* waits on random timers could sleep for ages */
    if (!strcmp(name, "[method]pollable.block") || !strcmp(name, "poll")) continue;
    /* the socket methods only trap: call them rarely */
    if (sig[0] == '*' && (xorshift(&seed) & 15)) continue;
    /* 7 in 8 calls have the right count and kinds (values still random) */
    int typed = (xorshift(&seed) & 7) != 0 && sig[0] != '*';
    wk_cval args[6];
    uint32_t n = typed ? (uint32_t)strlen(sig) : (uint32_t)(xorshift(&seed) % 6);
    for (uint32_t k = 0; k < n; k++) {
      uint64_t r = xorshift(&seed);
      int pick = (int)(r % 8);
      if (typed) {
        switch (sig[k]) {
        case 'h': pick = 0; break;
        case 'u': pick = 2; break;
        case 's': pick = 3; break;
        case 'f': pick = 4; break;
        case 'l': pick = 5; break;
        case 'v': pick = (r >> 3) & 1 ? 6 : 7; break;
        default: pick = 7; break;
        }
      }
      switch (pick) {
      case 0: case 1: args[k] = vh(nlive && (r >> 8) & 3 ? live[(r >> 10) % nlive] : (uint32_t)(r >> 8) % 24); break;
      case 2: args[k] = vu(nums[(r >> 8) % (sizeof nums / sizeof *nums)]); break;
      case 3: args[k] = vs(paths[(r >> 8) % (sizeof paths / sizeof *paths)]); break;
      case 4: args[k] = vf((uint32_t)(r >> 8)); break;
      case 5: args[k] = vbytes((r >> 8) & 1 ? "data" : ""); break;
      case 6: args[k] = vvar((r >> 8) & 1 ? WK_CABI_VARIANT : WK_CABI_ENUM, (uint32_t)(r >> 9) % 4); break;
      default: { /* new-timestamp(datetime) / a record */
        args[k] = vvar(WK_CABI_VARIANT, 2);
        wk_cval *dt = wk_arena_alloc(&A, sizeof *dt);
        wk_cval *f = wk_arena_alloc(&A, 2 * sizeof *f);
        f[0] = vu(r >> 20);
        f[1] = vu((r >> 8) % 2000000000u);
        dt->kind = WK_CABI_RECORD;
        dt->of.seq.items = f;
        dt->of.seq.n = (r >> 9) & 1 ? 2 : 1;
        args[k].of.var.payload = (r >> 10) & 1 ? dt : NULL;
        if ((r >> 11) & 1 && !(typed && sig[k] == 'v')) args[k] = *dt;
      }
      }
    }
    wk_cval res;
    int st = wk_wasi_p2_call(w, iface, name, &A, args, n, &res);
    calls++;
    if (st == WK_WASI_TRAP) traps++;
    else if (st == WK_WASI_EXIT) exits++;
    else assert_int_equal(st, WK_WASI_RETURN);
    if (st == WK_WASI_RETURN) { /* remember handles in own, ok(own), list<tuple<own, _>> results */
      const wk_cval *h = res.kind == WK_CABI_RESULT && res.of.var.disc == 0 ? res.of.var.payload : &res;
      if (h && h->kind == WK_CABI_LIST && h->of.seq.n && h->of.seq.items[0].kind == WK_CABI_TUPLE)
        h = &h->of.seq.items[0].of.seq.items[0];
      if (h && h->kind == WK_CABI_OWN) live[nlive < 64 ? nlive++ : xorshift(&seed) % 64] = h->of.handle.rep;
    }
    if ((xorshift(&seed) & 15) == 0) wk_wasi_p2_drop(w, (uint32_t)(xorshift(&seed) % 48), &err);
    if (it % 64 == 0) wk_arena_free(&A);
  }
  print_message("random 0.2 calls: %zu (%zu trapped, %zu exited)\n", calls, traps, exits);
  assert_true(calls - traps - exits > 8000); /* that many ran into a body */
  wk_wasi_free(w);
  close(nul);
  /* nothing escaped next to the scratch dir; the file outside is intact */
  char p[400];
  struct stat st;
  snprintf(p, sizeof p, "%s/../wk-fz2", root);
  assert_int_not_equal(lstat(p, &st), 0);
  assert_int_equal(access("/tmp/wk-fz2", F_OK), -1);
  FILE *f = fopen(outside, "r");
  char buf[16] = {0};
  assert_non_null(f);
  assert_non_null(fgets(buf, sizeof buf, f));
  fclose(f);
  assert_string_equal(buf, "secret\n");
}

/* ---- host names that are not UTF-8 ----
 * A WIT string holds Unicode scalar values only (Explainer.md "string"; CanonicalABI.md
 * store_string), and wasi-filesystem's types.wit says "Some filesystems may contain paths which
 * are not accessible by this API": a directory entry whose host name is not UTF-8 is that
 * entry's error-code::illegal-byte-sequence and the listing goes on (wasmtime-wasi's
 * ReaddirError::IllegalSequence); readlink-at of a link whose target is not UTF-8 answers
 * illegal-byte-sequence. Neither hands the canonical ABI a string it must refuse (a trap). */
enum { EC_ILLEGAL_BYTE_SEQUENCE = 9 };
static char names_dir[64];
static const char *const odd_names[] = {"good-1", "bad\xff" "name", "good-2", "odd-link"};

static int names_setup(void **state) {
  (void)state;
  snprintf(names_dir, sizeof names_dir, "/tmp/wk-wasi2-names.XXXXXX");
  if (!mkdtemp(names_dir)) return -1;
  char p[160];
  for (int i = 0; i < 3; i++) {
    snprintf(p, sizeof p, "%s/%s", names_dir, odd_names[i]);
    FILE *f = fopen(p, "w");
    if (!f) return -1;
    fclose(f);
  }
  snprintf(p, sizeof p, "%s/%s", names_dir, odd_names[3]);
  return symlink("target-\xfe", p);
}
static int names_teardown(void **state) {
  (void)state;
  char p[160];
  for (int i = 0; i < 4; i++) {
    snprintf(p, sizeof p, "%s/%s", names_dir, odd_names[i]);
    unlink(p);
  }
  wk_arena_free(&A);
  return rmdir(names_dir);
}

/* A context with names_dir preopened as /d; returns the rep of its descriptor. */
static wk_wasi *names_ctx(uint32_t *rep) {
  wk_wasi *w = wk_wasi_new();
  wk_error err;
  assert_non_null(w);
  assert_int_equal(wk_wasi_preopen(w, names_dir, "/d", 1, &err), WK_OK);
  wk_cval l = CALL0(w, "wasi:filesystem/preopens", "get-directories");
  assert_int_equal(l.kind, WK_CABI_LIST);
  assert_int_equal(l.of.seq.n, 1);
  *rep = l.of.seq.items[0].of.seq.items[0].of.handle.rep;
  return w;
}

static void test_read_directory_non_utf8(void **state) {
  (void)state;
  uint32_t d;
  wk_wasi *w = names_ctx(&d);
  wk_cval s = vh(ok_rep(CALL(w, FS, "[method]descriptor.read-directory", vh(d))));
  int good = 0, illegal = 0, entries = 0;
  for (int k = 0; k < 10; k++) {
    wk_cval e = CALL(w, FS, "[method]directory-entry-stream.read-directory-entry", s);
    if (errc(e) >= 0) { /* err(error-code) */
      assert_int_equal(errc(e), EC_ILLEGAL_BYTE_SEQUENCE);
      illegal++;
      continue;
    }
    if (e.of.var.payload->of.var.disc == 0) break; /* none: the end */
    const wk_cval *name = &e.of.var.payload->of.var.payload->of.seq.items[1];
    assert_int_equal(name->kind, WK_CABI_STRING);
    entries++;
    if (name->of.str.len == 6 && !memcmp(name->of.str.ptr, "good-", 5)) good++;
  }
  assert_int_equal(illegal, 1); /* the one non-UTF-8 name, once */
  assert_int_equal(good, 2);    /* and the listing went on past it */
  assert_int_equal(entries, 3); /* good-1 good-2 odd-link */
  wk_wasi_free(w);
}

static void test_readlink_non_utf8(void **state) {
  (void)state;
  uint32_t d;
  wk_wasi *w = names_ctx(&d);
  assert_int_equal(errc(CALL(w, FS, "[method]descriptor.readlink-at", vh(d), vs("odd-link"))), EC_ILLEGAL_BYTE_SEQUENCE);
  wk_wasi_free(w);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_covers_wit),
      cmocka_unit_test(test_cli),
      cmocka_unit_test(test_stdio_streams),
      cmocka_unit_test(test_clocks_poll_random),
      cmocka_unit_test_setup_teardown(test_fs_openat2, setup, teardown),
      cmocka_unit_test_setup_teardown(test_fs_fallback, setup, teardown),
      cmocka_unit_test_setup_teardown(test_escapes_openat2, setup, teardown),
      cmocka_unit_test_setup_teardown(test_escapes_fallback, setup, teardown),
      cmocka_unit_test_setup_teardown(test_readonly_openat2, setup, teardown),
      cmocka_unit_test_setup_teardown(test_readonly_fallback, setup, teardown),
      cmocka_unit_test_setup_teardown(test_sockets_and_bad_calls, setup, teardown),
      cmocka_unit_test(test_sockets_granted),
      cmocka_unit_test(test_sockets_no_address),
      cmocka_unit_test_setup_teardown(test_random_calls, setup, teardown),
      cmocka_unit_test_setup_teardown(test_live_buffers, setup, teardown),
      cmocka_unit_test_setup_teardown(test_read_directory_non_utf8, names_setup, names_teardown),
      cmocka_unit_test_setup_teardown(test_readlink_non_utf8, names_setup, names_teardown),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  wk_arena_free(&A);
  return rc;
}
