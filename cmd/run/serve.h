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
  struct server *S;
  pthread_t tid;
} worker;

struct job;

typedef struct server {
  wk_engine *eng;
  wk_comp *comp;
  const char *file;
  char *handle_name;
  worker *workers;
  unsigned nworkers;
  pthread_mutex_t mu; /* the queue, every job's shared fields, the watchdog's view */
  pthread_cond_t cv;  /* a job was queued, or stop */
  struct job *head, *tail; /* requests waiting for a worker */
  struct job *all;          /* every job whose connection is open (prev/next in `all`) */
  int has_fuel;
  uint64_t fuel, timeout_ns;
  size_t max_body, max_header, max_memory;
  int quiet, stop;
  uint64_t nreq, ninst, inst_ns, nerr;
} server;

/*
 * One request, from its request line (uri_log) to MHD's completion callback.
 * Two owners (refs): the connection (MHD's callbacks) and, once queued, the
 * worker running its handler; fields marked (mu) are shared and read or
 * written under server.mu. The handler starts when the header section has
 * arrived; the body is fed to it through `in` (a live wasi:io buffer) while
 * it arrives (the upload waits above IN_HIGH unread bytes); the
 * response is queued once the whole body has arrived (libmicrohttpd stops
 * reading a request whose response is queued early) and the guest has set
 * it, and its body flows from `out` while the guest writes.
 */
typedef struct job {
  server *S;
  int refs;                     /* (mu) */
  struct job *next;             /* (mu) the queue */
  struct job *anext, *aprev;    /* (mu) server.all */
  struct MHD_Connection *conn;  /* (mu) NULL once the connection is done */
  char *uri, *method, *version; /* request line */
  uint64_t t0;
  /* the header section, copied at the first call (names and values in `hmem`) */
  size_t nh;
  const char **hn;
  const uint8_t **hv;
  size_t *hl;
  const char *host;
  char *hmem;
  wk_wasi_p2_buf *in;           /* the request body (live; one reference) */
  size_t in_len;
  int started, too_big, upload_done;
  /* trailers of a chunked request body, copied when the body ends (before `in` is closed) */
  size_t nt;
  const char **tn;
  const uint8_t **tv;
  size_t *tl;
  char *tmem;
  pthread_cond_t cv;            /* (mu) the connection's thread waits here ... */
  int wait_in, wait_resp, wait_out; /* (mu) ... for: room in `in`, a response, body bytes */
  /* the response, from the worker */
  int resp;                     /* (mu) 0 none yet, 1 the guest's, 2 the server's own (status + msg) */
  unsigned status;              /* (mu) */
  const char *msg;              /* (mu) resp 2 */
  size_t nrh;                   /* (mu) response headers (copied) */
  char **rhn, **rhv;
  size_t ntr;                   /* (mu) response trailers (copied at the body's end) */
  char **trn, **trv;
  long clen;                    /* (mu) the guest's content-length, -1 none */
  uint64_t t_set;               /* (mu) when the guest set the response */
  wk_wasi_p2_buf *out;          /* (mu) the response body (live; one reference), NULL: empty */
  int done;                     /* (mu) the handler returned */
  int queued;                   /* response queued to MHD */
  struct MHD_Response *mresp;   /* the queued response (for trailers) */
  char *info;                   /* (mu) 1xx responses waiting to be written */
  size_t info_len;
  size_t out_len;               /* body bytes sent */
  char note[300];               /* (mu) access-log note */
} job;

uint64_t now_ns(void);
/* libmicrohttpd callbacks (MHD_OPTION_URI_LOG_CALLBACK, the access handler, MHD_OPTION_NOTIFY_COMPLETED). */
void *uri_log(void *cls, const char *uri, struct MHD_Connection *conn);
enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                           const char *version, const char *upload, size_t *upload_size, void **con_cls);
void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode tc);
/* A worker thread (argument: its worker): runs queued requests until stop. */
void *worker_main(void *arg);
/* The watchdog thread: interrupts requests past their --timeout (argument: the server). */
void *watchdog(void *arg);
/* SIGUSR1 handler: only interrupts a blocking host call (EINTR). */
void on_kick(int sig);

#endif
