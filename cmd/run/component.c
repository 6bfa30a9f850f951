/*
 * wrun: components (lib/component + the WASI 0.2 host of lib/wasi).
 *
 *   wrun [OPTIONS] COMPONENT.wasm [ARGS...]      call wasi:cli/run@0.2.x#run
 *   wrun --invoke 'name(args)' COMPONENT.wasm    call any exported function
 *                                                (WAVE arguments and result,
 *                                                as wasmtime run --invoke);
 *                                                an interface's function is
 *                                                `ns:pkg/iface.name@v` or
 *                                                `ns:pkg/iface@v#name`, a bare
 *                                                name is searched for
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "component/component.h"
#include "wrun.h"
#include "../common/tool.h"
#if __has_include("wasi/wasi2.h")
#include "wasi/wasi2.h"
#include "wasi/http.h"
#define WRUN_HAVE_WASI2 1
#endif

#define TOOL "wrun"

static wk_store *volatile g_cstore;
static void on_alarm_c(int sig) {
  (void)sig;
  if (g_cstore) wk_store_interrupt(g_cstore);
}

static void arm_timeout(wk_store *s, uint64_t ns) {
  g_cstore = s;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm_c;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval it;
  memset(&it, 0, sizeof it);
  it.it_value.tv_sec = (time_t)(ns / 1000000000ull);
  it.it_value.tv_usec = (suseconds_t)((ns % 1000000000ull) / 1000);
  if (!it.it_value.tv_sec && !it.it_value.tv_usec) it.it_value.tv_usec = 1;
  it.it_interval.tv_usec = 10000; /* re-arm: an interrupt racing a host call still lands */
  setitimer(ITIMER_REAL, &it, NULL);
}

static void disarm_timeout(void) {
  struct itimerval off;
  memset(&off, 0, sizeof off);
  setitimer(ITIMER_REAL, &off, NULL);
  g_cstore = NULL;
}

static int report_trap(const wrun_comp_opts *o, wk_trap *t) { return wrun_finish_trap(o->file, &o->lim, t, -1); }

/* Where `off` is in the --invoke text: "WAVE:COL" on one line, "WAVE:LINE:COL" on several. */
static void where(const char *s, size_t off, char *buf, size_t n) {
  unsigned line = 1, col = 1;
  int multi = strchr(s, '\n') != NULL;
  for (size_t i = 0; i < off && s[i]; i++) {
    if (s[i] == '\n') line++, col = 1;
    else col++;
  }
  if (multi) snprintf(buf, n, "WAVE:%u:%u", line, col);
  else snprintf(buf, n, "WAVE:%u", col);
}

/* The line of the --invoke text around byte `off`, cut to at most 60 bytes (an --invoke can be
 * huge: it is not echoed whole), and a caret under `off`: "  | f(1, x)" / "  |      ^". */
static void excerpt(const char *s, size_t off) {
  size_t n = strlen(s);
  if (off > n) off = n;
  size_t ls = off, le = off;
  while (ls && s[ls - 1] != '\n') ls--;
  while (le < n && s[le] != '\n') le++;
  size_t from = ls, to = le;
  if (off - from > 40) from = off - 40;
  while (from > ls && ((unsigned char)s[from] & 0xc0) == 0x80) from--; /* (not inside a UTF-8 sequence) */
  if (to - from > 60) to = from + 60;
  while (to < le && to > off && ((unsigned char)s[to] & 0xc0) == 0x80) to--;
  const char *pre = from > ls ? "..." : "", *post = to < le ? "..." : "";
  fprintf(stderr, "  | %s%.*s%s\n  | %*s^\n", pre, (int)(to - from), s + from, post,
          (int)(strlen(pre) + off - from), "");
}

static void wave_error(const char *invoke, const char *what, const wk_error *err) {
  char loc[48] = "WAVE";
  if (err->has_offset) where(invoke, (size_t)err->offset, loc, sizeof loc);
  const char *msg = err->msg;
  if (!strncmp(msg, "WAVE: ", 6)) msg += 6;
  fprintf(stderr, TOOL ": error: %s%s%s: %s\n", what ? what : "", what ? ": " : "", loc, msg);
  if (err->has_offset) excerpt(invoke, (size_t)err->offset);
}

/* The exported function an --invoke name means (lib/component's wk_comp_inst_find_func: wasmtime's
 * forms): its full name, or NULL with a message printed (none: every exported function is listed;
 * several: the candidates). */
static const char *find_export(const wrun_comp_opts *o, wk_comp_inst *inst, const char *name, size_t len) {
  size_t n = wk_comp_inst_func_count(inst), idx = 0;
  size_t nfound = wk_comp_inst_find_func(inst, name, len, &idx);
  if (nfound == 1) return wk_comp_inst_func_name(inst, idx);
  if (nfound > 1) {
    fprintf(stderr, TOOL ": error: %s: several exported functions are named '%.*s': retry with one of:", o->file,
            (int)len, name);
    for (size_t i = 0; i < n; i++)
      if (wk_comp_inst_func_is(inst, i, name, len)) fprintf(stderr, " %s", wk_comp_inst_func_name(inst, i));
    fprintf(stderr, "\n");
    return NULL;
  }
  fprintf(stderr, TOOL ": error: %s: no exported function '%.*s%s'", o->file, (int)(len > 200 ? 200 : len), name,
          len > 200 ? "..." : "");
  if (n) {
    fprintf(stderr, "; exported functions:");
    for (size_t i = 0; i < n; i++) fprintf(stderr, " %s", wk_comp_inst_func_name(inst, i));
  }
  fprintf(stderr, "\n");
  return NULL;
}

/* --invoke 'name(args)' (wasmtime run.rs invoke_component): the call is read by lib/canonabi's
 * WAVE reader, the result printed in WAVE; a function without a result prints `()` as wasmtime
 * (wasm-wave DisplayFuncResults of no values). */
static int do_invoke(const wrun_comp_opts *o, wk_store *s, wk_comp_inst *inst) {
  int status = 1;
  wk_error err;
  wk_error_clear(&err);
  wk_arena arena = {0};
  const char *call = o->invoke;
  size_t len = strlen(call), nlen;
  if (wk_wave_call_name(call, len, &nlen, &err)) {
    wave_error(call, "--invoke", &err);
    fprintf(stderr, TOOL ": note: a component's --invoke is 'NAME(ARGS...)' with WAVE arguments (see wrun(1))\n");
    return 2;
  }
  const char *full = find_export(o, inst, call, nlen);
  wk_comp_func *f;
  if (!full || wk_comp_inst_func(inst, full, &f, &err)) goto out;
  const wk_comp_functype *ft = wk_comp_func_type(f);
  wk_cval *av = wk_arena_alloc(&arena, sizeof *av * (ft->nparams + 1));
  if (!av) goto out;
  uint32_t bad;
  if (wk_cval_parse_wave_args(call, len, nlen, ft->nparams, ft->params, ft->param_names, &arena, av, &bad, &err)) {
    char what[300];
    if (bad < ft->nparams)
      snprintf(what, sizeof what, "argument %u (%s) of '%s'", bad + 1, ft->param_labels[bad], full);
    else
      snprintf(what, sizeof what, "--invoke");
    wave_error(call, what, &err);
    status = 2;
    goto out;
  }
  wk_cval res;
  wk_trap *trap = NULL;
  if (o->timeout_ns) arm_timeout(s, o->timeout_ns);
  int rc = wk_comp_func_call(s, f, av, ft->nparams, &arena, &res, &trap, &err);
  if (o->timeout_ns) disarm_timeout();
  if (rc == WK_ERR_TRAP) {
    fflush(stdout);
    status = report_trap(o, trap);
    goto out;
  }
  if (rc) {
    fprintf(stderr, TOOL ": error: %s: %s\n", o->file, err.msg);
    goto out;
  }
  if (ft->result) {
    wk_buf b = {0};
    if (wk_cval_print_wave(&res, ft->result, ft->result_names, &b, &err)) {
      fprintf(stderr, TOOL ": error: %s: cannot print the result of '%s': %s\n", o->file, full, err.msg);
      wk_buf_free(&b);
      goto out;
    }
    fwrite(b.data, 1, b.len, stdout);
    fputc('\n', stdout);
    wk_buf_free(&b);
  } else
    fputs("()\n", stdout);
  status = tool_flush_stdout(TOOL); /* a result that could not be written is no success */
out:
  wk_arena_free(&arena);
  return status;
}

/* wasi:cli/run@0.2.x#run: result<_, _> (ok: exit 0, err: exit 1), as wasmtime. */
static int do_run(const wrun_comp_opts *o, wk_store *s, wk_comp_inst *inst) {
  const char *name = NULL;
  for (size_t i = 0; i < wk_comp_inst_func_count(inst); i++) {
    const char *n = wk_comp_inst_func_name(inst, i);
    if (!strncmp(n, "wasi:cli/run@0.2.", 17) && strlen(n) > 4 && !strcmp(n + strlen(n) - 4, "#run")) name = n;
  }
  if (!name) {
    fprintf(stderr, TOOL ": error: %s: the component exports no `wasi:cli/run@0.2.x` instance (use --invoke)\n", o->file);
    return 1;
  }
  wk_comp_func *f;
  wk_error err;
  wk_error_clear(&err);
  if (wk_comp_inst_func(inst, name, &f, &err)) return 1;
  const wk_comp_functype *ft = wk_comp_func_type(f);
  if (ft->nparams || !ft->result || ft->result->kind != WK_CABI_RESULT) {
    fprintf(stderr, TOOL ": error: %s: `%s` does not have the type func() -> result\n", o->file, name);
    return 1;
  }
  wk_arena arena = {0};
  wk_cval res;
  wk_trap *trap = NULL;
  if (o->timeout_ns) arm_timeout(s, o->timeout_ns);
  int rc = wk_comp_func_call(s, f, NULL, 0, &arena, &res, &trap, &err);
  if (o->timeout_ns) disarm_timeout();
  fflush(stdout);
  int status;
  if (rc == WK_ERR_TRAP) status = report_trap(o, trap);
  else if (rc) {
    fprintf(stderr, TOOL ": error: %s: %s\n", o->file, err.msg);
    status = 1;
  } else
    status = res.of.var.disc == 0 ? 0 : 1;
  wk_arena_free(&arena);
  return status;
}

int wrun_component(wk_engine *e, wk_wasi *w, uint8_t *bytes, size_t len, const wrun_comp_opts *o) {
  wk_error err;
  wk_error_clear(&err);
  wk_comp *c = NULL;
  wk_comp_linker *l = NULL;
  wk_store *s = NULL;
  wk_comp_inst *inst = NULL;
#ifdef WRUN_HAVE_WASI2
  wk_http *h = NULL;
#endif
  int status = 1;
  if (wk_comp_new_take(e, bytes, len, &c, &err)) { /* (bytes are c's now, not copied) */
    wk_error_print(stderr, TOOL, o->file, &err);
    goto out;
  }
  l = wk_comp_linker_new(e);
  s = wk_store_new(e);
  if (!l || !s) {
    fprintf(stderr, TOOL ": error: out of memory\n");
    goto out;
  }
  if (o->has_fuel) wk_store_set_fuel(s, o->fuel);
  wk_comp_linker_trap_unknown_imports(l, o->trap_unknown);
#ifdef WRUN_HAVE_WASI2
  if (wk_wasi_p2_define(l, w, &err)) {
    wk_error_print(stderr, TOOL, o->file, &err);
    goto out;
  }
  if (o->http) {
    /* -S http: wasi:http/types and wasi:http/outgoing-handler, as wasmtime run's -S http
     * (wasmtime_wasi_http::add_only_http_to_linker_sync); outbound requests reach only the
     * --allow-outbound authorities (error-code.HTTP-request-denied otherwise), where wasmtime
     * allows any. A transfer blocks in the host, where --timeout cannot interrupt: it is
     * capped at the --timeout (as wrun serve's per-request cap). */
    wk_http_config hc = {o->allow, o->nallow, 0, o->timeout_ns ? o->timeout_ns / 1000000 + 1 : 0};
    h = wk_http_new(w, &hc);
    if (!h) {
      fprintf(stderr, TOOL ": error: out of memory\n");
      goto out;
    }
    if (wk_http_define(l, h, &err)) {
      wk_error_print(stderr, TOOL, o->file, &err);
      goto out;
    }
  }
#else
  (void)w;
#endif
  wk_trap *trap = NULL;
  if (o->timeout_ns) arm_timeout(s, o->timeout_ns);
  int rc = wk_comp_instantiate(l, s, c, &inst, &trap, &err);
  if (o->timeout_ns) disarm_timeout();
  if (rc == WK_ERR_TRAP) {
    status = report_trap(o, trap);
    goto out;
  }
  if (rc == WK_ERR_NOMEM && o->lim.max_memory_s) {
    /* as for core modules: an initial memory above the limit is the limit being hit */
    fprintf(stderr, TOOL ": error: %s: trap: a core module's initial memory exceeds the --max-memory limit of %s (%s)\n",
            o->file, o->lim.max_memory_s, err.msg);
    status = 134;
    goto out;
  }
  if (rc) {
    wk_error_print(stderr, TOOL, o->file, &err);
    if (rc == WK_ERR_LINK && !o->http && strstr(err.msg, "`wasi:http/"))
      fprintf(stderr, TOOL ": note: -S http defines the wasi:http host (wasi:http/types, wasi:http/outgoing-handler)\n");
    goto out;
  }
  status = o->invoke ? do_invoke(o, s, inst) : do_run(o, s, inst);
out:
  wk_comp_inst_free(inst);
  if (s) wk_store_free(s);
  wk_comp_linker_free(l);
  wk_comp_free(c);
#ifdef WRUN_HAVE_WASI2
  wk_http_free(h); /* (after the instance and store that held its resources) */
#endif
  return status;
}
