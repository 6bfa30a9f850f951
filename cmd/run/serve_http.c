/*
 * wrun serve, the request path (serve.c is the command: options, the daemon,
 * shutdown): each HTTP request (libmicrohttpd) gets a fresh store and
 * instance of the already translated wasi:http/proxy component, the
 * wasi:http/incoming-handler#handle call, then the response; a trap answers
 * 500, a timeout 504 (the watchdog interrupts the store), and the server
 * keeps serving. One access-log line per request.
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


/* libmicrohttpd, loaded when serve starts (mhd_lib.h); set once before any
 * daemon thread exists, read-only afterwards. */
const wrun_mhd_api *mhd;

uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

/* ---- one request ---- */
typedef struct hdrs {
  size_t n, cap;
  const char **names;
  const uint8_t **values;
  size_t *vlens;
  const char *host;
} hdrs;
static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
  (void)kind;
  hdrs *h = cls;
  if (h->n == h->cap) {
    size_t nc = h->cap ? h->cap * 2 : 16;
    const char **nn = realloc(h->names, nc * sizeof *nn);
    if (nn) h->names = nn;
    const uint8_t **nv = realloc(h->values, nc * sizeof *nv);
    if (nv) h->values = nv;
    size_t *nl = realloc(h->vlens, nc * sizeof *nl);
    if (nl) h->vlens = nl;
    if (!nn || !nv || !nl) return MHD_NO;
    h->cap = nc;
  }
  if (!value) value = "";
  if (!strcasecmp(key, "host")) h->host = value;
  h->names[h->n] = key;
  h->values[h->n] = (const uint8_t *)value;
  h->vlens[h->n] = strlen(value);
  h->n++;
  return MHD_YES;
}

static worker *acquire(server *S) {
  pthread_mutex_lock(&S->mu);
  for (;;) {
    for (unsigned i = 0; i < S->nworkers; i++)
      if (!S->workers[i].busy) {
        S->workers[i].busy = 1;
        pthread_mutex_unlock(&S->mu);
        return &S->workers[i];
      }
    pthread_cond_wait(&S->cv, &S->mu);
  }
}
static void release(server *S, worker *wk) {
  pthread_mutex_lock(&S->mu);
  wk->busy = 0;
  wk->store = NULL;
  pthread_cond_signal(&S->cv);
  pthread_mutex_unlock(&S->mu);
}

static struct MHD_Response *text_response(unsigned *status, unsigned code, const char *msg) {
  *status = code;
  struct MHD_Response *r = mhd->create_response_from_buffer(strlen(msg), (void *)msg, MHD_RESPMEM_MUST_COPY);
  if (r) mhd->add_response_header(r, "content-type", "text/plain; charset=utf-8");
  return r;
}

/* a chunked body with trailers: MHD sends footers only after a chunked body */
typedef struct chunked {
  uint8_t *data;
  size_t len;
} chunked;
static ssize_t chunk_reader(void *cls, uint64_t pos, char *buf, size_t max) {
  chunked *c = cls;
  if (pos >= c->len) return MHD_CONTENT_READER_END_OF_STREAM;
  size_t k = c->len - pos < max ? c->len - (size_t)pos : max;
  memcpy(buf, c->data + pos, k);
  return (ssize_t)k;
}
static void chunk_free(void *cls) {
  chunked *c = cls;
  free(c->data);
  free(c);
}

static int skip_header(const char *n) {
  return !strcasecmp(n, "content-length") || !strcasecmp(n, "date"); /* MHD writes these */
}

/* Run the handler for one request; returns the MHD response (status in *status). */
static struct MHD_Response *run_request(server *S, struct MHD_Connection *conn, const char *method, reqstate *rs,
                                        unsigned *status, size_t *out_len, char *note, size_t notecap) {
  worker *wk = acquire(S);
  struct MHD_Response *out = NULL;
  wk_error err;
  wk_error_clear(&err);
  wk_arena arena = {0};
  wk_store *s = wk_store_new(S->eng);
  wk_comp_inst *inst = NULL;
  wk_trap *trap = NULL;
  hdrs H = {0}, T = {0};
  note[0] = 0;
  if (!s) {
    out = text_response(status, 500, "out of memory\n");
    goto done;
  }
  if (S->has_fuel) wk_store_set_fuel(s, S->fuel);
  if (S->timeout_ns) {
    pthread_mutex_lock(&S->mu);
    wk->store = s;
    wk->deadline = now_ns() + S->timeout_ns;
    wk->thread = pthread_self();
    wk->kicked = 0;
    pthread_mutex_unlock(&S->mu);
  }
  uint64_t t0 = now_ns();
  int rc = wk_comp_instantiate(wk->l, s, S->comp, &inst, &trap, &err);
  uint64_t t1 = now_ns();
  __atomic_add_fetch(&S->ninst, 1, __ATOMIC_RELAXED);
  __atomic_add_fetch(&S->inst_ns, t1 - t0, __ATOMIC_RELAXED);
  wk_comp_func *f = NULL;
  if (!rc) rc = wk_comp_inst_func(inst, S->handle_name, &f, &err);
  if (!rc) {
    mhd->get_connection_values(conn, MHD_HEADER_KIND, collect, &H);
    mhd->get_connection_values(conn, MHD_FOOTER_KIND, collect, &T); /* trailers of a chunked body */
    wk_http_request rq = {method, rs->uri, "http", H.host, H.n, H.names, H.values, H.vlens, rs->body, rs->len,
                          T.n, T.names, T.values, T.vlens};
    wk_cval args[2], res;
    rc = wk_http_begin(wk->h, &rq, args, &err);
    if (!rc) rc = wk_comp_func_call(s, f, args, 2, &arena, &res, &trap, &err);
  }
  if (rc == WK_ERR_TRAP) {
    int code = wk_trap_code_of(trap);
    snprintf(note, notecap, "trap: %s", wk_trap_message(trap));
    if (code == WK_TRAP_INTERRUPT) {
      snprintf(note, notecap, "timeout: the handler ran longer than --timeout");
      out = text_response(status, 504, "504 Gateway Timeout: the handler ran out of time\n");
    } else if (code == WK_TRAP_OUT_OF_FUEL) {
      snprintf(note, notecap, "trap: all fuel consumed (--fuel)");
      out = text_response(status, 500, "500 Internal Server Error: the handler ran out of fuel\n");
    } else {
      if (S->max_memory) /* as wrun: a failed memory.grow is how the limit shows */
        snprintf(note + strlen(note), notecap - strlen(note), " (the --max-memory limit is in force)");
      out = text_response(status, 500, "500 Internal Server Error: the handler trapped\n");
    }
    wk_trap_free(trap);
    goto done;
  }
  if (rc) {
    snprintf(note, notecap, "error: %.200s", err.msg);
    out = text_response(status, 500, "500 Internal Server Error\n");
    goto done;
  }
  const wk_http_response *R = wk_http_result(wk->h);
  if (R->state == 0) {
    snprintf(note, notecap, "the handler returned without response-outparam.set");
    out = text_response(status, 500, "500 Internal Server Error: no response was set\n");
    goto done;
  }
  if (R->state == 2) {
    snprintf(note, notecap, "the handler set error-code %s", R->error);
    out = text_response(status, 500, "500 Internal Server Error\n");
    goto done;
  }
  if (!R->body_finished) snprintf(note, notecap, "note: the body was not finished (outgoing-body.finish)");
  if (R->ntrailers) {
    chunked *ck = calloc(1, sizeof *ck);
    if (ck && (ck->data = malloc(R->body_len ? R->body_len : 1))) {
      memcpy(ck->data, R->body, R->body_len);
      ck->len = R->body_len;
      out = mhd->create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, chunk_reader, ck, chunk_free);
    } else
      free(ck);
  } else
    out = mhd->create_response_from_buffer(R->body_len, (void *)R->body, MHD_RESPMEM_MUST_COPY);
  if (!out) goto done;
  *status = R->status;
  *out_len = R->body_len;
  char *tmp = NULL;
  for (size_t i = 0; i < R->nheaders + R->ntrailers; i++) {
    int tr = i >= R->nheaders;
    size_t k = tr ? i - R->nheaders : i;
    const char *n = tr ? R->tnames[k] : R->names[k];
    const uint8_t *v = tr ? R->tvalues[k] : R->values[k];
    size_t vl = tr ? R->tvlens[k] : R->vlens[k];
    if (!tr && skip_header(n)) continue;
    char *t = realloc(tmp, vl + 1);
    if (!t) break;
    tmp = t;
    memcpy(tmp, v, vl);
    tmp[vl] = 0;
    if (tr) mhd->add_response_footer(out, n, tmp);
    else mhd->add_response_header(out, n, tmp);
  }
  free(tmp);
done:
  wk_comp_inst_free(inst);
  if (S->timeout_ns) {
    pthread_mutex_lock(&S->mu);
    wk->store = NULL;
    pthread_mutex_unlock(&S->mu);
  }
  if (s) wk_store_free(s);
  wk_http_reset(wk->h);
  wk_wasi_p2_reset(wk->w);
  wk_arena_free(&arena);
  free(H.names);
  free(H.values);
  free(H.vlens);
  free(T.names);
  free(T.values);
  free(T.vlens);
  release(S, wk);
  return out;
}

/* the request line and header section size (RFC 9112 2.1), for --max-header */
static enum MHD_Result header_size(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
  (void)kind;
  *(size_t *)cls += strlen(key) + (value ? strlen(value) : 0) + 4;
  return MHD_YES;
}

void *uri_log(void *cls, const char *uri, struct MHD_Connection *conn) {
  (void)cls;
  (void)conn;
  reqstate *rs = calloc(1, sizeof *rs);
  if (rs) {
    rs->uri = strdup(uri);
    rs->t0 = now_ns();
  }
  return rs;
}

enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls) {
  (void)url;
  server *S = cls;
  reqstate *rs = *con_cls;
  if (!rs || !rs->uri) return MHD_NO;
  if (*upload_size) { /* the body arrives in pieces: keep it, up to --max-body */
    size_t n = *upload_size;
    *upload_size = 0;
    if (rs->too_big || rs->len + n > S->max_body) {
      rs->too_big = 1;
      return MHD_YES;
    }
    if (rs->len + n > rs->cap) {
      size_t nc = rs->cap ? rs->cap : 16384;
      while (nc < rs->len + n) nc *= 2;
      uint8_t *nb = realloc(rs->body, nc);
      if (!nb) return MHD_NO;
      rs->body = nb;
      rs->cap = nc;
    }
    memcpy(rs->body + rs->len, upload, n);
    rs->len += n;
    return MHD_YES;
  }
  /* MHD's first call comes with the headers, before any body: answer on
   * the last call (size 0 again), when the whole body is here */
  if (!rs->started) {
    rs->started = 1;
    return MHD_YES;
  }
  size_t hsize = strlen(rs->uri) + strlen(method) + 16;
  mhd->get_connection_values(conn, MHD_HEADER_KIND, header_size, &hsize);
  if (hsize > S->max_header) rs->too_big = 2;
  unsigned status = 500;
  size_t out_len = 0;
  char note[300];
  note[0] = 0;
  struct MHD_Response *r;
  if (rs->too_big == 2) {
    r = text_response(&status, 431, "431 Request Header Fields Too Large\n");
    snprintf(note, sizeof note, "request header section over --max-header");
  } else if (rs->too_big) {
    r = text_response(&status, 413, "413 Content Too Large\n");
    snprintf(note, sizeof note, "request body over --max-body");
  } else
    r = run_request(S, conn, method, rs, &status, &out_len, note, sizeof note);
  if (!r) return MHD_NO;
  enum MHD_Result q = mhd->queue_response(conn, status, r);
  mhd->destroy_response(r);
  uint64_t n = __atomic_add_fetch(&S->nreq, 1, __ATOMIC_RELAXED);
  if (status >= 500) __atomic_add_fetch(&S->nerr, 1, __ATOMIC_RELAXED);
  (void)n;
  if (!S->quiet) {
    const union MHD_ConnectionInfo *ci = mhd->get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char addr[64] = "-";
    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
      inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, addr, sizeof addr);
    else if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET6)
      inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, addr, sizeof addr);
    fprintf(stderr, "%s \"%s %s %s\" %u %zu %zu %" PRIu64 "us%s%s\n", addr, method, rs->uri, version, status, rs->len,
            out_len, (now_ns() - rs->t0) / 1000, note[0] ? " " : "", note);
  }
  return q;
}

void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode tc) {
  (void)cls;
  (void)conn;
  (void)tc;
  reqstate *rs = *con_cls;
  if (rs) {
    free(rs->uri);
    free(rs->body);
    free(rs);
  }
  *con_cls = NULL;
}

void *watchdog(void *arg) {
  server *S = arg;
  for (;;) {
    struct timespec ts = {0, 2000000};
    nanosleep(&ts, NULL);
    pthread_mutex_lock(&S->mu);
    if (S->stop) {
      pthread_mutex_unlock(&S->mu);
      return NULL;
    }
    uint64_t t = now_ns();
    for (unsigned i = 0; i < S->nworkers; i++) {
      worker *wk = &S->workers[i];
      if (!wk->store || t < wk->deadline) continue;
      wk_store_interrupt(wk->store);
      /* a guest blocked in a host call (a pollable's sleep, poll(2)) does not
       * reach a back-edge: a signal ends the wait with EINTR (wasi2.c returns
       * early on it), every 50 ms until the request is over */
      if (wk->kicked++ % 25 == 0) pthread_kill(wk->thread, SIGUSR1);
    }
    pthread_mutex_unlock(&S->mu);
  }
}

void on_kick(int sig) { (void)sig; }

