/*
 * wrun serve: run a wasi:http/proxy component as an HTTP/1.1 server
 * (libmicrohttpd), one fresh component instance per request (as `wasmtime
 * serve`).
 *
 *   wrun serve [--addr 127.0.0.1:8080] [--dir ...] [--env ...]
 *              [--allow-outbound HOST[:PORT]]... [--fuel N] [--timeout D]
 *              [--max-memory S] [--max-body S] [--max-header S]
 *              [--threads N] [--quiet] APP.wasm
 *
 * The component is decoded, validated and translated once (wk_comp_new);
 * each worker thread has its own WASI context, wasi:http context and
 * component linker (imports defined once); each request gets a new store
 * and instance, the wasi:http/incoming-handler#handle call, then the
 * instance and store are dropped and the contexts' resource tables reset.
 * Per-request limits: --fuel and --max-memory apply to each request's store,
 * --timeout to each request (a watchdog thread interrupts the store): a trap
 * answers 500, a timeout 504, and the server keeps serving.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "component/component.h"
#include "encode/wat.h"
#include "wasi/http.h"
#include "mhd_lib.h"
#include "wasi/wasi2.h"
#include "serve.h"
#include "wrun.h"


static void usage(FILE *out) {
  fprintf(out,
          "usage: wrun serve [OPTIONS] APP.wasm\n"
          "Serve a wasi:http/proxy component over HTTP/1.1, a fresh instance per request.\n"
          "  --addr HOST:PORT            listen address (default 127.0.0.1:8080)\n"
          "  --dir HOST[::GUEST]         preopen a directory (as wrun)\n"
          "  --env NAME[=VALUE]          set an environment variable for the handler\n"
          "  --allow-outbound HOST[:PORT] allow outgoing-handler requests to HOST (repeatable;\n"
          "                              default: none allowed)\n"
          "  --fuel N                    fuel per request (trap: 500)\n"
          "  --timeout DURATION          time per request, e.g. 2s, 500ms (exceeded: 504)\n"
          "  --max-memory SIZE           linear memory limit per instance\n"
          "  --max-body SIZE             request body limit (default 16M; over: 413) and\n"
          "                              response/outbound body limit (default 64M)\n"
          "  --max-header SIZE           request header section limit (default 16K)\n"
          "  --threads N                 worker threads (default 1)\n"
          "  --trap-unknown-imports      imports the host lacks trap when called\n"
          "  --quiet                     no access log\n"
          "Access log on stderr: CLIENT \"METHOD TARGET VERSION\" STATUS IN-BYTES OUT-BYTES TIME [NOTE]\n"
          "(IN/OUT: request/response body bytes; OUT is 0 for the server's own error responses).\n"
          "SIGINT/SIGTERM: stop accepting, finish running requests, exit 0.\n");
}

int wrun_serve(int argc, char **argv) {
  const char *addr = "127.0.0.1:8080", *file = NULL;
  const char **dirs = NULL, **envs = NULL, **allow = NULL;
  size_t ndirs = 0, nenvs = 0, nallow = 0;
  server S;
  memset(&S, 0, sizeof S);
  S.max_body = 16u << 20;
  S.max_header = 16u << 10;
  uint64_t max_memory = 0, max_body = S.max_body, max_header = S.max_header;
  size_t out_body = 0;
  unsigned threads = 1;
  int trap_unknown = 0;
  const char *cache = NULL;
  dirs = calloc((size_t)argc, sizeof *dirs);
  envs = calloc((size_t)argc, sizeof *envs);
  allow = calloc((size_t)argc, sizeof *allow);
  if (!dirs || !envs || !allow) return 1;
  int i = 1;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] != '-') break;
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      usage(stdout);
      return 0;
    }
    if (!strcmp(a, "--quiet")) { S.quiet = 1; continue; }
    if (!strcmp(a, "--trap-unknown-imports")) { trap_unknown = 1; continue; }
    static const char *const opts[] = {"--addr", "--dir", "--env", "--allow-outbound", "--fuel", "--timeout",
                                       "--max-memory", "--max-body", "--max-header", "--threads", "--cache", NULL};
    const char *val = NULL;
    int k;
    for (k = 0; opts[k]; k++) {
      size_t l = strlen(opts[k]);
      if (!strncmp(a, opts[k], l) && (a[l] == 0 || a[l] == '=')) {
        if (a[l] == '=') val = a + l + 1;
        else if (i + 1 < argc) val = argv[++i];
        break;
      }
    }
    if (!opts[k] || !val) {
      fprintf(stderr, "wrun: error: serve: %s '%s'\n(see 'wrun serve --help')\n",
              opts[k] ? "option needs a value:" : "unknown option", a);
      return 2;
    }
    int bad = 0;
    uint64_t u;
    char *end;
    switch (k) {
    case 0: addr = val; break;
    case 1: dirs[ndirs++] = val; break;
    case 2: envs[nenvs++] = val; break;
    case 3: allow[nallow++] = val; bad = wk_http_allow_check(val) != WK_OK; break; /* the rule wrun uses too */
    case 4:
      errno = 0;
      S.fuel = strtoull(val, &end, 10);
      bad = *end || errno || val[0] == '-';
      S.has_fuel = 1;
      break;
    case 5: bad = wrun_parse_duration(val, &S.timeout_ns) || !S.timeout_ns; break;
    case 6: bad = wrun_parse_size(val, &max_memory); break;
    case 7: bad = wrun_parse_size(val, &max_body) || max_body > SIZE_MAX / 2; S.max_body = out_body = (size_t)max_body; break;
    case 8: bad = wrun_parse_size(val, &max_header) || max_header < 1024 || max_header > (1u << 30); S.max_header = (size_t)max_header; break;
    case 9:
      u = strtoull(val, &end, 10);
      bad = *end || !u || u > 64;
      threads = (unsigned)u;
      break;
    case 10: cache = val; break;
    }
    if (bad) {
      fprintf(stderr, "wrun: error: serve: invalid value '%s' for %s\n", val, opts[k]);
      return 2;
    }
  }
  if (i != argc - 1) {
    fprintf(stderr, "wrun: error: serve: %s\n(see 'wrun serve --help')\n",
            i >= argc ? "no component given" : "arguments after the component");
    return 2;
  }
  file = argv[i];
  S.file = file;

  /* the listen address: IPv4 a.b.c.d:port or [v6]:port */
  struct sockaddr_storage ss;
  memset(&ss, 0, sizeof ss);
  {
    char host[128];
    const char *colon = strrchr(addr, ':');
    unsigned long port = colon ? strtoul(colon + 1, NULL, 10) : 0;
    size_t hl = colon ? (size_t)(colon - addr) : 0;
    if (!colon || hl >= sizeof host || port > 65535) {
      fprintf(stderr, "wrun: error: serve: invalid --addr '%s' (expected HOST:PORT)\n", addr);
      return 2;
    }
    memcpy(host, addr, hl);
    host[hl] = 0;
    if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
      struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
      host[hl - 1] = 0;
      s6->sin6_family = AF_INET6;
      s6->sin6_port = htons((uint16_t)port);
      if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1) port = 70000;
    } else {
      struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
      s4->sin_family = AF_INET;
      s4->sin_port = htons((uint16_t)port);
      if (!strcmp(host, "localhost")) strcpy(host, "127.0.0.1");
      if (inet_pton(AF_INET, host, &s4->sin_addr) != 1) port = 70000;
    }
    if (port > 65535) {
      fprintf(stderr, "wrun: error: serve: invalid --addr '%s' (a numeric IPv4 or [IPv6] address)\n", addr);
      return 2;
    }
  }

  const char *lerr = NULL;
  if (!(mhd = wrun_mhd_load(&lerr))) {
    fprintf(stderr, "wrun: error: %s\n", lerr);
    return 1;
  }
  wk_error err;
  wk_error_clear(&err);
  uint8_t *bytes;
  size_t len;
  if (wk_read_wasm_or_wat(file, &bytes, &len, &err)) {
    wk_error_print(stderr, "wrun", file, &err);
    return 1;
  }
  if (!wk_comp_is_component(bytes, len)) {
    fprintf(stderr, "wrun: error: %s: not a component (wrun serve needs a wasi:http/proxy component)\n", file);
    free(bytes);
    return 1;
  }
  wk_config cfg;
  wk_config_default(&cfg);
  cfg.consume_fuel = S.has_fuel;
  if (max_memory) cfg.max_memory_bytes = max_memory;
  S.max_memory = (size_t)max_memory;
  cfg.cache_dir = cache;
  S.eng = wk_engine_new(&cfg);
  if (!S.eng) {
    fprintf(stderr, "wrun: error: cannot create the engine\n");
    return 1;
  }
  uint64_t tc0 = now_ns();
  int rc = wk_comp_new(S.eng, bytes, len, &S.comp, &err);
  uint64_t tc1 = now_ns();
  free(bytes);
  if (rc) {
    wk_error_print(stderr, "wrun", file, &err);
    return 1;
  }
  /* an outbound transfer blocks in the host, where the watchdog cannot
   * interrupt: cap it at the request's --timeout */
  wk_http_config hc = {allow, nallow, out_body ? out_body : 0, S.timeout_ns ? S.timeout_ns / 1000000 + 1 : 0};
  S.nworkers = threads;
  S.workers = calloc(threads, sizeof *S.workers);
  if (!S.workers) return 1;
  for (unsigned t = 0; t < threads; t++) {
    worker *wk = &S.workers[t];
    wk->w = wk_wasi_new();
    if (!wk->w) return 1;
    wk_wasi_add_arg(wk->w, file);
    for (size_t d = 0; d < ndirs; d++) {
      char *host, *guest;
      int ro;
      if (wrun_parse_dir(dirs[d], &host, &guest, &ro)) {
        fprintf(stderr, "wrun: error: serve: invalid value '%s' for --dir\n", dirs[d]);
        return 2;
      }
      int rc2 = wk_wasi_preopen(wk->w, host, guest, ro, &err);
      free(host);
      free(guest);
      if (rc2) {
        wk_error_print(stderr, "wrun", NULL, &err);
        return 1;
      }
    }
    for (size_t e = 0; e < nenvs; e++) {
      if (strchr(envs[e], '=')) {
        if (wk_wasi_add_env(wk->w, envs[e], &err)) {
          fprintf(stderr, "wrun: error: serve: invalid --env '%s'\n", envs[e]);
          return 2;
        }
      } else if (getenv(envs[e])) {
        char nv[4096];
        snprintf(nv, sizeof nv, "%s=%s", envs[e], getenv(envs[e]));
        wk_wasi_add_env(wk->w, nv, &err);
      }
    }
    wk->h = wk_http_new(wk->w, &hc);
    wk->l = wk_comp_linker_new(S.eng);
    if (!wk->h || !wk->l) return 1;
    wk_comp_linker_trap_unknown_imports(wk->l, trap_unknown);
    if (wk_wasi_p2_define(wk->l, wk->w, &err) || wk_http_define(wk->l, wk->h, &err)) {
      wk_error_print(stderr, "wrun", file, &err);
      return 1;
    }
  }
  /* one instantiation now: link errors and a missing export fail at start */
  {
    wk_store *s = wk_store_new(S.eng);
    wk_comp_inst *inst = NULL;
    wk_trap *trap = NULL;
    if (S.has_fuel) wk_store_set_fuel(s, S.fuel);
    uint64_t t0 = now_ns();
    rc = wk_comp_instantiate(S.workers[0].l, s, S.comp, &inst, &trap, &err);
    uint64_t t1 = now_ns();
    if (rc == WK_ERR_TRAP) {
      fprintf(stderr, "wrun: error: %s: trap during instantiation: %s\n", file, wk_trap_message(trap));
      return 1;
    }
    if (rc) {
      wk_error_print(stderr, "wrun", file, &err);
      return 1;
    }
    for (size_t k = 0; k < wk_comp_inst_func_count(inst); k++) {
      const char *n = wk_comp_inst_func_name(inst, k);
      if (!strncmp(n, "wasi:http/incoming-handler@0.2.", 31) && strlen(n) > 7 && !strcmp(n + strlen(n) - 7, "#handle"))
        S.handle_name = strdup(n);
    }
    wk_comp_inst_free(inst);
    wk_store_free(s);
    wk_http_reset(S.workers[0].h);
    wk_wasi_p2_reset(S.workers[0].w);
    if (!S.handle_name) {
      fprintf(stderr, "wrun: error: %s: the component exports no `wasi:http/incoming-handler@0.2.x` instance\n",
              file);
      return 1;
    }
    if (!S.quiet)
      fprintf(stderr, "wrun serve: %s: compiled in %.1f ms, instantiated in %.1f us\n", file, (tc1 - tc0) / 1e6,
              (t1 - t0) / 1e3);
  }
  pthread_mutex_init(&S.mu, NULL);
  pthread_cond_init(&S.cv, NULL);

  /* SIGINT/SIGTERM: blocked in every thread, taken by sigwait below */
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, NULL);
  signal(SIGPIPE, SIG_IGN);
  struct sigaction sa; /* the watchdog's kick: no SA_RESTART, so blocking waits return EINTR */
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_kick;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);

  /* the handlers run on the worker threads (serve_http.c worker_main);
   * libmicrohttpd's thread per connection moves the bytes, waiting on the
   * request's handler when it must */
  for (unsigned t = 0; t < threads; t++) {
    S.workers[t].S = &S;
    pthread_create(&S.workers[t].tid, NULL, worker_main, &S.workers[t]);
  }
  unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
                   MHD_USE_ERROR_LOG | MHD_USE_ITC;
  if (ss.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
  struct MHD_Daemon *d = mhd->start_daemon(
      flags, 0, NULL, NULL, on_request, &S, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
      MHD_OPTION_URI_LOG_CALLBACK, uri_log, &S, MHD_OPTION_NOTIFY_COMPLETED, on_completed, &S,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(S.max_header + 16384), MHD_OPTION_CONNECTION_TIMEOUT,
      (unsigned)60, MHD_OPTION_END);
  if (!d) {
    fprintf(stderr, "wrun: error: serve: cannot listen on %s: %s\n", addr, strerror(errno));
    return 1;
  }
  pthread_t wd;
  pthread_create(&wd, NULL, watchdog, &S);
  const union MHD_DaemonInfo *di = mhd->get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  fprintf(stderr, "wrun serve: listening on http://%s/ (port %u)\n", addr, di ? di->port : 0);
  fflush(stderr);
  int sig = 0;
  sigwait(&sigs, &sig);
  if (!S.quiet) fprintf(stderr, "wrun serve: %s: shutting down\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
  /* graceful: stop accepting, let running requests finish and their
   * responses go out (bounded: 30 s), then stop */
  MHD_socket ls = mhd->quiesce_daemon(d);
  if (ls != MHD_INVALID_SOCKET) close(ls);
  for (int t = 0; t < 3000; t++) {
    int busy = 0;
    pthread_mutex_lock(&S.mu);
    for (unsigned k = 0; k < S.nworkers; k++) busy |= S.workers[k].busy;
    busy |= S.head != NULL;
    pthread_mutex_unlock(&S.mu);
    const union MHD_DaemonInfo *ci = mhd->get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    if (!busy && (!ci || ci->num_connections == 0 || t > 50)) break; /* idle keep-alive connections: 0.5 s */
    struct timespec ts = {0, 10000000};
    nanosleep(&ts, NULL);
  }
  mhd->stop_daemon(d);
  pthread_mutex_lock(&S.mu);
  S.stop = 1;
  pthread_cond_broadcast(&S.cv);
  pthread_mutex_unlock(&S.mu);
  pthread_join(wd, NULL);
  for (unsigned t = 0; t < threads; t++) pthread_join(S.workers[t].tid, NULL);
  fprintf(stderr, "wrun serve: %" PRIu64 " requests (%" PRIu64 " answered 5xx); %" PRIu64
                  " instantiations, mean %.1f us\n",
          S.nreq, S.nerr, S.ninst, S.ninst ? (double)S.inst_ns / (double)S.ninst / 1e3 : 0.0);
  for (unsigned t = 0; t < threads; t++) {
    wk_comp_linker_free(S.workers[t].l);
    wk_http_free(S.workers[t].h);
    wk_wasi_free(S.workers[t].w);
  }
  free(S.workers);
  free(S.handle_name);
  wk_comp_free(S.comp);
  wk_engine_free(S.eng);
  free(dirs);
  free(envs);
  free(allow);
  return 0;
}
