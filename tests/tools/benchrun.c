/*
 * benchrun — a minimal WASI-command runner on lib/interp, for bench/run.sh
 * while wrun cannot run wasm yet (bench uses $BUILD/bin/wrun when it can).
 *
 *   benchrun FILE.wasm [ARGS...]
 *
 * Instantiates the module with the interp API and calls `_start`. WASI
 * preview1 (WebAssembly/WASI phases/snapshot/witx/wasi_snapshot_preview1.witx)
 * is stubbed just enough for the benchmark kernels: args_*, environ_* (empty),
 * clock_time_get, fd_write to fds 1/2, fd_fdstat_get, fd_close, fd_seek
 * (ESPIPE), proc_exit; every other import of the module gets a stub that
 * returns ENOSYS (52). Exit status: the guest's, 1 on a trap or load error.
 * Not a product tool: no sandbox, no preopens.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "interp/interp.h"

enum { E_SUCCESS = 0, E_BADF = 8, E_FAULT = 21, E_INVAL = 28, E_NOSYS = 52, E_SPIPE = 70 };

typedef struct guest {
  int argc;
  char **argv;
} guest;

static uint8_t *mem_at(wk_caller *c, uint32_t ptr, uint32_t len) {
  size_t ml;
  uint8_t *m = wk_caller_memory(c, &ml);
  if (!m || (uint64_t)ptr + len > ml) return NULL;
  return m + ptr;
}
static int put32(wk_caller *c, uint32_t ptr, uint32_t v) {
  uint8_t *p = mem_at(c, ptr, 4);
  if (!p) return 0;
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
  return 1;
}
static int put64(wk_caller *c, uint32_t ptr, uint64_t v) {
  uint8_t *p = mem_at(c, ptr, 8);
  if (!p) return 0;
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
  return 1;
}
static uint32_t get32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static void ret(wk_value *r, int32_t v) {
  r[0].type = WK_I32;
  r[0].of.i32 = v;
}
#define A(i) ((uint32_t)args[i].of.i32)

static int h_args_sizes_get(wk_caller *c, void *env, const wk_value *args, wk_value *r) {
  guest *g = env;
  uint32_t sz = 0;
  for (int i = 0; i < g->argc; i++) sz += (uint32_t)strlen(g->argv[i]) + 1;
  ret(r, put32(c, A(0), (uint32_t)g->argc) && put32(c, A(1), sz) ? E_SUCCESS : E_FAULT);
  return 0;
}
static int h_args_get(wk_caller *c, void *env, const wk_value *args, wk_value *r) {
  guest *g = env;
  uint32_t argv = A(0), buf = A(1);
  for (int i = 0; i < g->argc; i++) {
    uint32_t l = (uint32_t)strlen(g->argv[i]) + 1;
    uint8_t *p = mem_at(c, buf, l);
    if (!p || !put32(c, argv + 4 * (uint32_t)i, buf)) {
      ret(r, E_FAULT);
      return 0;
    }
    memcpy(p, g->argv[i], l);
    buf += l;
  }
  ret(r, E_SUCCESS);
  return 0;
}
static int h_environ_sizes_get(wk_caller *c, void *env, const wk_value *args, wk_value *r) {
  ret(r, put32(c, A(0), 0) && put32(c, A(1), 0) ? E_SUCCESS : E_FAULT);
  return 0;
}
static int h_environ_get(wk_caller *c, void *env, const wk_value *args, wk_value *r) {
  ret(r, E_SUCCESS);
  return 0;
}
static int h_clock_time_get(wk_caller *c, void *env, const wk_value *args, wk_value *r) {
  struct timespec ts;
  clockid_t id = A(0) == 0 ? CLOCK_REALTIME : CLOCK_MONOTONIC;
  if (A(0) > 3) {
    ret(r, E_INVAL);
    return 0;
  }
  clock_gettime(id, &ts);
  ret(r, put64(c, (uint32_t)args[2].of.i32, (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec) ? E_SUCCESS
                                                                                                   : E_FAULT);
  return 0;
}
static int h_fd_write(wk_caller *c, void *env, const wk_value *args, wk_value *r) {
  uint32_t fd = A(0), iovs = A(1), n = A(2), total = 0;
  if (fd != 1 && fd != 2) {
    ret(r, E_BADF);
    return 0;
  }
  for (uint32_t i = 0; i < n; i++) {
    uint8_t *iov = mem_at(c, iovs + 8 * i, 8);
    if (!iov) {
      ret(r, E_FAULT);
      return 0;
    }
    uint32_t p = get32(iov), l = get32(iov + 4);
    uint8_t *b = mem_at(c, p, l);
    if (!b) {
      ret(r, E_FAULT);
      return 0;
    }
    size_t off = 0;
    while (off < l) {
      ssize_t w = write((int)fd, b + off, l - off);
      if (w <= 0) break;
      off += (size_t)w;
    }
    total += (uint32_t)off;
  }
  ret(r, put32(c, A(3), total) ? E_SUCCESS : E_FAULT);
  return 0;
}
static int h_fd_fdstat_get(wk_caller *c, void *env, const wk_value *args, wk_value *r) {
  if (A(0) > 2) {
    ret(r, E_BADF);
    return 0;
  }
  uint8_t *p = mem_at(c, A(1), 24);
  if (!p) {
    ret(r, E_FAULT);
    return 0;
  }
  memset(p, 0, 24);
  p[0] = 2;                   /* filetype character_device */
  memset(p + 8, 0xff, 16);    /* all rights */
  ret(r, E_SUCCESS);
  return 0;
}
static int h_fd_close(wk_caller *c, void *env, const wk_value *args, wk_value *r) {
  ret(r, A(0) <= 2 ? E_SUCCESS : E_BADF);
  return 0;
}
static int h_fd_seek(wk_caller *c, void *env, const wk_value *args, wk_value *r) {
  ret(r, E_SPIPE);
  return 0;
}
static int h_proc_exit(wk_caller *c, void *env, const wk_value *args, wk_value *r) {
  return wk_caller_exit(c, args[0].of.i32);
}
static int h_nosys(wk_caller *c, void *env, const wk_value *args, wk_value *r) {
  const wk_core_functype *ft = env;
  for (uint32_t i = 0; i < ft->nresults; i++) {
    memset(&r[i], 0, sizeof r[i]);
    r[i].type = ft->results[i];
    if (r[i].type == WK_I32) r[i].of.i32 = E_NOSYS;
  }
  return 0;
}

static const struct {
  const char *name;
  wk_host_fn fn;
} known[] = {
    {"args_sizes_get", h_args_sizes_get},
    {"args_get", h_args_get},
    {"environ_sizes_get", h_environ_sizes_get},
    {"environ_get", h_environ_get},
    {"clock_time_get", h_clock_time_get},
    {"fd_write", h_fd_write},
    {"fd_fdstat_get", h_fd_fdstat_get},
    {"fd_close", h_fd_close},
    {"fd_seek", h_fd_seek},
    {"proc_exit", h_proc_exit},
};

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: benchrun FILE.wasm [ARGS...]\n");
    return 2;
  }
  wk_error err;
  wk_error_clear(&err);
  uint8_t *bytes;
  size_t len;
  if (wk_read_file(argv[1], &bytes, &len, &err) != WK_OK) {
    wk_error_print(stderr, "benchrun", argv[1], &err);
    return 1;
  }
  wk_engine *e = wk_engine_new(NULL);
  wk_module *m = NULL;
  if (!e || wk_module_new(e, bytes, len, &m, &err) != WK_OK) {
    wk_error_print(stderr, "benchrun", argv[1], &err);
    return 1;
  }
  free(bytes);
  wk_store *s = wk_store_new(e);
  wk_linker *l = s ? wk_linker_new(s) : NULL;
  if (!l) {
    fprintf(stderr, "benchrun: error: out of memory\n");
    return 1;
  }
  guest g = {argc - 1, argv + 1};
  size_t ni = wk_module_import_count(m);
  for (size_t i = 0; i < ni; i++) {
    wk_import_desc d;
    wk_module_import(m, i, &d);
    if (d.kind != WK_EXTERN_FUNC) continue;
    wk_host_fn fn = h_nosys;
    void *env = NULL;
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
      if (!strcmp(d.module, "wasi_snapshot_preview1") && !strcmp(d.name, known[k].name)) fn = known[k].fn, env = &g;
    if (fn == h_nosys) {
      wk_core_functype *ft = malloc(sizeof *ft);
      if (!ft) return 1;
      *ft = d.type;
      env = ft;
    }
    if (wk_linker_define_func(l, d.module, d.name, &d.type, fn, env, &err) != WK_OK) {
      wk_error_print(stderr, "benchrun", argv[1], &err);
      return 1;
    }
  }
  wk_instance *inst = NULL;
  wk_trap *trap = NULL;
  int rc = wk_linker_instantiate(l, m, &inst, &trap, &err);
  if (rc != WK_OK) {
    if (trap) fprintf(stderr, "benchrun: error: %s: trap: %s\n", argv[1], wk_trap_message(trap));
    else wk_error_print(stderr, "benchrun", argv[1], &err);
    return 1;
  }
  wk_extern start;
  if (wk_instance_export(inst, "_start", &start) != WK_OK || start.kind != WK_EXTERN_FUNC) {
    fprintf(stderr, "benchrun: error: %s: no _start function\n", argv[1]);
    return 1;
  }
  int status = 0;
  rc = wk_func_call(s, start.of.func, NULL, 0, NULL, 0, &trap);
  if (rc == WK_ERR_TRAP && trap && wk_trap_code_of(trap) == WK_TRAP_EXIT) {
    status = wk_trap_exit_status(trap);
  } else if (rc != WK_OK) {
    fprintf(stderr, "benchrun: error: %s: %s\n", argv[1], trap ? wk_trap_message(trap) : "call failed");
    status = 1;
  }
  if (trap) wk_trap_free(trap);
  wk_linker_free(l);
  wk_store_free(s);
  wk_module_free(m);
  wk_engine_free(e);
  return status;
}
