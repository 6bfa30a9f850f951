/*
 * cmd/run/serve.h — `wrun serve`'s shared state between the command
 * (serve.c: options, the daemon, the watchdog's set-up, shutdown) and the
 * request path (serve_http.c: one request -> a fresh instance -> the
 * response, the watchdog, the access log).
 */
#ifndef WRUN_SERVE_H
#define WRUN_SERVE_H
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "component/component.h"
#include "mhd_lib.h"
#include "wasi/http.h"
#include "wasi/wasi2.h"

/* libmicrohttpd, loaded when serve starts (mhd_lib.h); set once before any
 * daemon thread exists, read-only afterwards. */
extern const wrun_mhd_api *mhd;

#define TOOL "wrun serve"

typedef struct worker {
  wk_wasi *w;
  wk_http *h;
  wk_comp_linker *l;
  int busy;
  wk_store *store;   /* running request (watchdog), under srv.mu */
  uint64_t deadline; /* monotonic ns */
  pthread_t thread;  /* the thread running it */
  int kicked;
} worker;

typedef struct server {
  wk_engine *eng;
  wk_comp *comp;
  const char *file;
  char *handle_name;
  worker *workers;
  unsigned nworkers;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int has_fuel;
  uint64_t fuel, timeout_ns;
  size_t max_body, max_header, max_memory;
  int quiet, stop;
  uint64_t nreq, ninst, inst_ns, nerr;
} server;

typedef struct reqstate {
  char *uri;   /* raw request-target (path and query) */
  uint8_t *body;
  size_t len, cap;
  int too_big, started;
  uint64_t t0;
} reqstate;

uint64_t now_ns(void);
/* libmicrohttpd callbacks (MHD_OPTION_URI_LOG_CALLBACK, the access handler, MHD_OPTION_NOTIFY_COMPLETED). */
void *uri_log(void *cls, const char *uri, struct MHD_Connection *conn);
enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                           const char *version, const char *upload, size_t *upload_size, void **con_cls);
void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode tc);
/* The watchdog thread: interrupts requests past their --timeout (argument: the server). */
void *watchdog(void *arg);
/* SIGUSR1 handler: only interrupts a blocking host call (EINTR). */
void on_kick(int sig);

#endif
