/*
 * wrun: components (lib/component + the WASI 0.2 host of lib/wasi).
 *
 *   wrun [OPTIONS] COMPONENT.wasm [ARGS...]      call wasi:cli/run@0.2.x#run
 *   wrun --invoke 'name(args)' COMPONENT.wasm    call any exported function
 *                                                (WAVE arguments and result,
 *                                                as wasmtime run --invoke);
 *                                                an interface's function is
 *                                                `ns:pkg/iface@v#name`
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "component/component.h"
#include "wrun.h"
#if __has_include("wasi/wasi2.h")
#include "wasi/wasi2.h"
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

/* Split "name(a, b)" into the name and the top-level comma-separated WAVE
 * arguments (quotes, escapes and brackets respected). Returns 0 or -1. */
static int split_invoke(const char *s, char **name, const char ***args, size_t **lens, uint32_t *nargs) {
  const char *lp = strchr(s, '(');
  size_t sl = strlen(s);
  *nargs = 0;
  if (!lp) {
    *name = strdup(s);
    *args = NULL;
    *lens = NULL;
    return *name ? 0 : -1;
  }
  while (sl && (s[sl - 1] == ' ' || s[sl - 1] == '\n')) sl--;
  if (s[sl - 1] != ')') return -1;
  *name = strndup(s, (size_t)(lp - s));
  const char *p = lp + 1, *end = s + sl - 1;
  size_t cap = 8;
  *args = malloc(cap * sizeof **args);
  *lens = malloc(cap * sizeof **lens);
  if (!*name || !*args || !*lens) return -1;
  int depth = 0;
  const char *start = p;
  char q = 0;
  for (const char *c = p; c <= end; c++) {
    if (c < end && q) {
      if (*c == '\\' && c + 1 < end) c++;
      else if (*c == q) q = 0;
      continue;
    }
    if (c < end && (*c == '"' || *c == '\'')) {
      q = *c;
      continue;
    }
    if (c < end && (*c == '(' || *c == '[' || *c == '{')) depth++;
    else if (c < end && (*c == ')' || *c == ']' || *c == '}')) depth--;
    if (depth < 0) return -1;
    if (c == end || (*c == ',' && depth == 0)) {
      const char *a = start, *b = c;
      while (a < b && (*a == ' ' || *a == '\t' || *a == '\n')) a++;
      while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\n')) b--;
      if (a == b) {
        if (c == end && *nargs == 0) break; /* "f()" */
        return -1;
      }
      if (*nargs == cap) {
        cap *= 2;
        *args = realloc(*args, cap * sizeof **args);
        *lens = realloc(*lens, cap * sizeof **lens);
        if (!*args || !*lens) return -1;
      }
      (*args)[*nargs] = a;
      (*lens)[*nargs] = (size_t)(b - a);
      (*nargs)++;
      start = c + 1;
    }
  }
  return q || depth ? -1 : 0;
}

static int do_invoke(const wrun_comp_opts *o, wk_store *s, wk_comp_inst *inst) {
  char *name = NULL;
  const char **args = NULL;
  size_t *lens = NULL;
  uint32_t nargs = 0;
  int status = 1;
  wk_error err;
  wk_error_clear(&err);
  wk_arena arena = {0};
  if (split_invoke(o->invoke, &name, &args, &lens, &nargs)) {
    fprintf(stderr, TOOL ": error: --invoke '%s': expected NAME(ARGS...) with WAVE arguments\n", o->invoke);
    status = 2;
    goto out;
  }
  wk_comp_func *f;
  if (wk_comp_inst_func(inst, name, &f, &err)) {
    fprintf(stderr, TOOL ": error: %s: no exported function '%s'", o->file, name);
    size_t n = wk_comp_inst_func_count(inst);
    if (n) {
      fprintf(stderr, "; exported functions:");
      for (size_t i = 0; i < n; i++) fprintf(stderr, " %s", wk_comp_inst_func_name(inst, i));
    }
    fprintf(stderr, "\n");
    goto out;
  }
  const wk_comp_functype *ft = wk_comp_func_type(f);
  if (nargs != ft->nparams) {
    fprintf(stderr, TOOL ": error: '%s' takes %u argument%s, %u given\n", name, ft->nparams,
            ft->nparams == 1 ? "" : "s", nargs);
    status = 2;
    goto out;
  }
  wk_cval *av = wk_arena_alloc(&arena, sizeof *av * (nargs + 1));
  if (!av) goto out;
  for (uint32_t i = 0; i < nargs; i++) {
    if (wk_cval_parse_wave(args[i], lens[i], ft->params[i], ft->param_names[i], &arena, &av[i], &err)) {
      fprintf(stderr, TOOL ": error: argument %u (%s) of '%s': %s\n", i + 1, ft->param_labels[i], name, err.msg);
      status = 2;
      goto out;
    }
  }
  wk_cval res;
  wk_trap *trap = NULL;
  if (o->timeout_ns) arm_timeout(s, o->timeout_ns);
  int rc = wk_comp_func_call(s, f, av, nargs, &arena, &res, &trap, &err);
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
      fprintf(stderr, TOOL ": error: cannot print the result: %s\n", err.msg);
      wk_buf_free(&b);
      goto out;
    }
    fwrite(b.data, 1, b.len, stdout);
    fputc('\n', stdout);
    wk_buf_free(&b);
  }
  fflush(stdout);
  status = 0;
out:
  wk_arena_free(&arena);
  free(name);
  free(args);
  free(lens);
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
    goto out;
  }
  status = o->invoke ? do_invoke(o, s, inst) : do_run(o, s, inst);
out:
  wk_comp_inst_free(inst);
  if (s) wk_store_free(s);
  wk_comp_linker_free(l);
  wk_comp_free(c);
  return status;
}
