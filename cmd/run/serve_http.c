/*
 * wrun serve, the request path (serve.c is the command: options, the daemon,
 * shutdown): each HTTP request (libmicrohttpd) gets a fresh store and
 * instance of the already translated wasi:http/proxy component, the
 * wasi:http/incoming-handler#handle call, then the response; a trap answers
 * 500, a timeout 504 (the watchdog interrupts the store), and the server
 * keeps serving. One access-log line per request.
 *
 * Threads: libmicrohttpd runs a thread per connection, which runs every
 * callback below except worker_main's; --threads worker threads run the
 * handlers. Streaming (serve.h `job`): a request is handed to a worker as
 * soon as its header section is in, its body flows into the guest's
 * incoming-body stream as it arrives (a live wasi:io buffer; the connection
 * thread waits while IN_HIGH bytes wait unread) and the response body flows
 * out while the guest writes it (chunked, with back-pressure at OUT_HIGH).
 * The connection thread waits on the job's condition variable (not
 * MHD_suspend_connection: libmicrohttpd 0.9.75 allows that only from the
 * access handler, and a suspension from the body reader was seen to leave
 * a connection suspended, which aborts MHD_stop_daemon).
 * A response whose body is finished within PUSH_NS of response-outparam.set
 * (the common case) goes out whole, with a content-length.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
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
#define IN_HIGH (256u << 10)  /* unread request body bytes above which the upload waits */
#define OUT_HIGH (256u << 10) /* unsent response body bytes above which check-write reports 0 */
#define PUSH_NS 10000000ull   /* a response body not finished 10 ms after set is streamed */

static void job_free(job *j) {
  free(j->uri);
  free(j->method);
  free(j->version);
  free(j->hn);
  free(j->hv);
  free(j->hl);
  free(j->hmem);
  free(j->tn);
  free(j->tv);
  free(j->tl);
  free(j->tmem);
  for (size_t i = 0; i < j->nrh; i++) {
    free(j->rhn[i]);
    free(j->rhv[i]);
  }
  free(j->rhn);
  free(j->rhv);
  for (size_t i = 0; i < j->ntr; i++) {
    free(j->trn[i]);
    free(j->trv[i]);
  }
  free(j->trn);
  free(j->trv);
  free(j->info);
  wk_wasi_p2_buf_unref(j->in);
  wk_wasi_p2_buf_unref(j->out);
  pthread_cond_destroy(&j->cv);
  free(j);
}
static void job_unref(job *j) {
  server *S = j->S;
  pthread_mutex_lock(&S->mu);
  int last = --j->refs == 0;
  pthread_mutex_unlock(&S->mu);
  if (last) job_free(j);
}
/* (mu held) wake the connection's thread waiting on j (it re-checks why) */
static void wake_locked(job *j) { pthread_cond_broadcast(&j->cv); }

/* header fields of the connection into (n, names, values, lens), strings in *mem */
typedef struct fcount {
  size_t n, bytes;
} fcount;
static enum MHD_Result count_fields(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
  (void)kind;
  fcount *c = cls;
  c->n++;
  c->bytes += strlen(key) + (value ? strlen(value) : 0) + 2;
  return MHD_YES;
}
typedef struct fcopy {
  size_t n;
  const char **names;
  const uint8_t **values;
  size_t *lens;
  char *p;
  const char *host;
} fcopy;
static enum MHD_Result copy_field(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
  (void)kind;
  fcopy *c = cls;
  if (!value) value = "";
  size_t kl = strlen(key), vl = strlen(value);
  memcpy(c->p, key, kl + 1);
  c->names[c->n] = c->p;
  c->p += kl + 1;
  memcpy(c->p, value, vl + 1);
  c->values[c->n] = (const uint8_t *)c->p;
  c->lens[c->n] = vl;
  if (!strcasecmp(key, "host")) c->host = c->p;
  c->p += vl + 1;
  c->n++;
  return MHD_YES;
}
static int copy_fields(struct MHD_Connection *conn, enum MHD_ValueKind kind, size_t *n, const char ***names,
                       const uint8_t ***values, size_t **lens, char **mem, const char **host) {
  fcount fc = {0, 0};
  mhd->get_connection_values(conn, kind, count_fields, &fc);
  *names = calloc(fc.n + 1, sizeof **names);
  *values = calloc(fc.n + 1, sizeof **values);
  *lens = calloc(fc.n + 1, sizeof **lens);
  *mem = malloc(fc.bytes + 1);
  if (!*names || !*values || !*lens || !*mem) return -1;
  fcopy c = {0, *names, *values, *lens, *mem, NULL};
  mhd->get_connection_values(conn, kind, copy_field, &c);
  *n = c.n;
  if (host) *host = c.host;
  return 0;
}

static struct MHD_Response *text_response(unsigned *status, unsigned code, const char *msg) {
  *status = code;
  struct MHD_Response *r = mhd->create_response_from_buffer(strlen(msg), (void *)msg, MHD_RESPMEM_MUST_COPY);
  if (r) mhd->add_response_header(r, "content-type", "text/plain; charset=utf-8");
  return r;
}

static int skip_header(const char *n) {
  return !strcasecmp(n, "content-length") || !strcasecmp(n, "date"); /* MHD writes these */
}

/* ---- the guest's side (worker threads) ---- */
/* live input: the guest read (an upload waiting for room goes on); live
 * output: the guest wrote (the body reader, or a response waiting for
 * OUT_HIGH unsent bytes, goes on) */
static void in_notify(void *env) {
  job *j = env;
  pthread_mutex_lock(&j->S->mu);
  if (j->wait_in) wake_locked(j);
  pthread_mutex_unlock(&j->S->mu);
}
static void out_notify(void *env) {
  job *j = env;
  pthread_mutex_lock(&j->S->mu);
  if (j->wait_out || j->wait_resp) wake_locked(j);
  pthread_mutex_unlock(&j->S->mu);
}
static void req_trailers(void *env, size_t *n, const char *const **names, const uint8_t *const **values,
                         const size_t **vlens) {
  job *j = env; /* filled before `in` was closed */
  *n = j->nt;
  *names = j->tn;
  *values = j->tv;
  *vlens = j->tl;
}
static char *dupn(const void *p, size_t n) {
  char *d = malloc(n + 1);
  if (d) {
    memcpy(d, p, n);
    d[n] = 0;
  }
  return d;
}
/* copy fields (names, values, lens) as strings into dn, dv (count in dc) */
static void copy_out(size_t n, char *const *names, uint8_t *const *values, const size_t *lens, size_t *dc,
                     char ***dn, char ***dv) {
  *dn = calloc(n + 1, sizeof **dn);
  *dv = calloc(n + 1, sizeof **dv);
  *dc = 0;
  if (!*dn || !*dv) return;
  for (size_t i = 0; i < n; i++) {
    (*dn)[*dc] = strdup(names[i]);
    (*dv)[*dc] = dupn(values[i], lens[i]);
    if ((*dn)[*dc] && (*dv)[*dc]) (*dc)++;
  }
}
static void body_end_locked(job *j, const wk_http_response *R) {
  if (!j->ntr && R->ntrailers) copy_out(R->ntrailers, R->tnames, R->tvalues, R->tvlens, &j->ntr, &j->trn, &j->trv);
  if (j->out) wk_wasi_p2_buf_close(j->out, 0);
  if (j->wait_resp || j->wait_out) wake_locked(j);
}
static int on_event(void *env, wk_http *h, int ev) {
  job *j = env;
  server *S = j->S;
  const wk_http_response *R = wk_http_result(h);
  if (ev == WK_HTTP_EV_RESPONSE) {
    wk_wasi_p2_buf *b = R->body_buf;
    if (b && !b->live && wk_wasi_p2_buf_live(b, 1, out_notify, j)) return -1;
    pthread_mutex_lock(&S->mu);
    j->resp = 1;
    j->status = R->status;
    j->t_set = now_ns();
    j->clen = -1;
    copy_out(R->nheaders, R->names, R->values, R->vlens, &j->nrh, &j->rhn, &j->rhv);
    for (size_t i = 0; i < j->nrh; i++)
      if (!strcasecmp(j->rhn[i], "content-length")) {
        char *end;
        long v = strtol(j->rhv[i], &end, 10);
        if (!*end && v >= 0 && j->rhv[i][0]) j->clen = v;
      }
    if (b) {
      __atomic_add_fetch(&b->refs, 1, __ATOMIC_RELAXED);
      j->out = b;
    }
    if (!b || R->body_finished) body_end_locked(j, R);
    pthread_mutex_unlock(&S->mu);
  } else if (ev == WK_HTTP_EV_BODY_END) {
    pthread_mutex_lock(&S->mu);
    body_end_locked(j, R);
    pthread_mutex_unlock(&S->mu);
  } else if (ev == WK_HTTP_EV_INFORMATIONAL) {
    /* RFC 9110 15.2: "A server MUST NOT send a 1xx response to an HTTP/1.0
     * client": accepted and not sent */
    if (!strcmp(j->version, "HTTP/1.0")) return 0;
    const char *reason = mhd->get_reason_phrase_for(R->info_status);
    size_t need = 64 + strlen(reason);
    for (size_t i = 0; i < R->ninfo; i++) need += strlen(R->info_names[i]) + R->info_vlens[i] + 4;
    pthread_mutex_lock(&S->mu);
    char *ni = realloc(j->info, j->info_len + need);
    if (!ni) {
      pthread_mutex_unlock(&S->mu);
      return -1;
    }
    j->info = ni;
    char *p = ni + j->info_len;
    p += sprintf(p, "HTTP/1.1 %u %s\r\n", R->info_status, reason);
    for (size_t i = 0; i < R->ninfo; i++) {
      p += sprintf(p, "%s: ", R->info_names[i]);
      memcpy(p, R->info_values[i], R->info_vlens[i]);
      p += R->info_vlens[i];
      *p++ = '\r';
      *p++ = '\n';
    }
    *p++ = '\r';
    *p++ = '\n';
    j->info_len = (size_t)(p - ni);
    if (j->wait_resp) wake_locked(j); /* the connection's thread writes it */
    pthread_mutex_unlock(&S->mu);
  }
  return 0;
}

/* the server's own response for job j (no guest response) */
static void own_response(job *j, unsigned status, const char *msg) {
  j->resp = 2;
  j->status = status;
  j->msg = msg;
}

/* Run the handler of one request on worker wk. */
static void run_job(server *S, worker *wk, job *j) {
  wk_error err;
  wk_error_clear(&err);
  wk_arena arena = {0};
  wk_store *s = wk_store_new(S->eng);
  wk_comp_inst *inst = NULL;
  wk_trap *trap = NULL;
  char note[300];
  note[0] = 0;
  unsigned ostatus = 0;
  const char *omsg = NULL;
  if (!s) {
    ostatus = 500;
    omsg = "out of memory\n";
    goto done;
  }
  if (S->has_fuel) wk_store_set_fuel(s, S->fuel);
  pthread_mutex_lock(&S->mu);
  if (S->timeout_ns) {
    wk->store = s;
    wk->deadline = now_ns() + S->timeout_ns;
    wk->thread = pthread_self();
    wk->kicked = 0;
  }
  pthread_mutex_unlock(&S->mu);
  uint64_t t0 = now_ns();
  int rc = wk_comp_instantiate(wk->l, s, S->comp, &inst, &trap, &err);
  uint64_t t1 = now_ns();
  __atomic_add_fetch(&S->ninst, 1, __ATOMIC_RELAXED);
  __atomic_add_fetch(&S->inst_ns, t1 - t0, __ATOMIC_RELAXED);
  wk_comp_func *f = NULL;
  if (!rc) rc = wk_comp_inst_func(inst, S->handle_name, &f, &err);
  if (!rc) {
    wk_http_request rq = {j->method, j->uri, "http", j->host, j->nh, j->hn, j->hv, j->hl, NULL, 0, 0, NULL, NULL,
                          NULL, j->in, req_trailers, on_event, j};
    wk_cval args[2], res;
    rc = wk_http_begin(wk->h, &rq, args, &err);
    if (rc == WK_ERR_USAGE) { /* a malformed request: the client's error, the guest never sees it */
      snprintf(note, sizeof note, "bad request: %.200s", err.msg);
      ostatus = 400;
      omsg = "400 Bad Request\n";
      goto done;
    }
    if (!rc) rc = wk_comp_func_call(s, f, args, 2, &arena, &res, &trap, &err);
  }
  if (rc == WK_ERR_TRAP) {
    int code = wk_trap_code_of(trap);
    snprintf(note, sizeof note, "trap: %s", wk_trap_message(trap));
    if (code == WK_TRAP_INTERRUPT) {
      snprintf(note, sizeof note, "timeout: the handler ran longer than --timeout");
      ostatus = 504;
      omsg = "504 Gateway Timeout: the handler ran out of time\n";
    } else if (code == WK_TRAP_OUT_OF_FUEL) {
      snprintf(note, sizeof note, "trap: all fuel consumed (--fuel)");
      ostatus = 500;
      omsg = "500 Internal Server Error: the handler ran out of fuel\n";
    } else {
      if (S->max_memory) /* as wrun: a failed memory.grow is how the limit shows */
        snprintf(note + strlen(note), sizeof note - strlen(note), " (the --max-memory limit is in force)");
      ostatus = 500;
      omsg = "500 Internal Server Error: the handler trapped\n";
    }
    wk_trap_free(trap);
  } else if (rc) {
    snprintf(note, sizeof note, "error: %.200s", err.msg);
    ostatus = 500;
    omsg = "500 Internal Server Error\n";
  } else {
    const wk_http_response *R = wk_http_result(wk->h);
    if (R->state == 0) {
      snprintf(note, sizeof note, "the handler returned without response-outparam.set");
      ostatus = 500;
      omsg = "500 Internal Server Error: no response was set\n";
    } else if (R->state == 2) {
      snprintf(note, sizeof note, "the handler set error-code %s", R->error);
      ostatus = 500;
      omsg = "500 Internal Server Error\n";
    } else if (!R->body_finished)
      snprintf(note, sizeof note, "the body was not finished (outgoing-body.finish): response aborted");
  }
done:
  pthread_mutex_lock(&S->mu);
  if (ostatus && j->resp != 1) own_response(j, ostatus, omsg);
  /* a response set but its body never finished (or a trap after set): the
   * body is incomplete, so the response is aborted, as wasmtime does */
  if (j->out) wk_wasi_p2_buf_close(j->out, 2);
  if (note[0]) snprintf(j->note, sizeof j->note, "%s", note);
  j->done = 1;
  wk->store = NULL;
  wake_locked(j);
  pthread_mutex_unlock(&S->mu);
  wk_comp_inst_free(inst);
  if (s) wk_store_free(s);
  wk_http_reset(wk->h);
  wk_wasi_p2_reset(wk->w);
  wk_arena_free(&arena);
}

void *worker_main(void *arg) {
  worker *wk = arg;
  server *S = wk->S;
  for (;;) {
    pthread_mutex_lock(&S->mu);
    while (!S->head && !S->stop) pthread_cond_wait(&S->cv, &S->mu);
    job *j = S->head;
    if (!j) {
      pthread_mutex_unlock(&S->mu);
      return NULL;
    }
    S->head = j->next;
    if (!S->head) S->tail = NULL;
    wk->busy = 1;
    pthread_mutex_unlock(&S->mu);
    run_job(S, wk, j);
    pthread_mutex_lock(&S->mu);
    wk->busy = 0;
    pthread_mutex_unlock(&S->mu);
    job_unref(j);
  }
}

/* ---- the connection's side (libmicrohttpd's thread) ---- */

/* the request line and header section size (RFC 9112 2.1), for --max-header */
static enum MHD_Result header_size(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
  (void)kind;
  *(size_t *)cls += strlen(key) + (value ? strlen(value) : 0) + 4;
  return MHD_YES;
}

void *uri_log(void *cls, const char *uri, struct MHD_Connection *conn) {
  job *j = calloc(1, sizeof *j);
  if (j) {
    j->S = cls;
    j->refs = 1;
    j->conn = conn;
    j->uri = strdup(uri);
    j->t0 = now_ns();
    j->clen = -1;
    pthread_cond_init(&j->cv, NULL);
    server *S = cls;
    pthread_mutex_lock(&S->mu);
    j->anext = S->all;
    if (S->all) S->all->aprev = j;
    S->all = j;
    pthread_mutex_unlock(&S->mu);
  }
  return j;
}

/* write the guest's 1xx responses straight to the socket: libmicrohttpd has
 * no interim responses, and between its callbacks before the final response
 * is queued it has nothing of its own waiting to be written (a 100 Continue
 * went out before the body it asked for) */
static void flush_info(job *j, struct MHD_Connection *conn) {
  server *S = j->S;
  pthread_mutex_lock(&S->mu);
  char *info = j->info;
  size_t n = j->info_len;
  j->info = NULL;
  j->info_len = 0;
  pthread_mutex_unlock(&S->mu);
  if (!info) return;
  const union MHD_ConnectionInfo *ci = mhd->get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
  size_t off = 0;
  while (ci && off < n) {
    ssize_t w = send(ci->connect_fd, info + off, n - off, MSG_NOSIGNAL);
    if (w > 0) {
      off += (size_t)w;
      continue;
    }
    if (w < 0 && errno == EAGAIN) {
      struct pollfd pf = {ci->connect_fd, POLLOUT, 0};
      if (poll(&pf, 1, 1000) > 0) continue;
    }
    break;
  }
  free(info);
}

/* the response body while the guest writes it */
static ssize_t body_reader(void *cls, uint64_t pos, char *buf, size_t max) {
  (void)pos;
  job *j = cls;
  server *S = j->S;
  int st;
  pthread_mutex_lock(&S->mu);
  for (;;) {
    size_t k = wk_wasi_p2_buf_take(j->out, buf, max, &st);
    if (k) {
      j->out_len += k;
      j->wait_out = 0;
      pthread_mutex_unlock(&S->mu);
      return (ssize_t)k;
    }
    if (st == 1) { /* the end: the trailers go out as the chunked body's trailer section */
      for (size_t i = 0; i < j->ntr; i++) mhd->add_response_footer(j->mresp, j->trn[i], j->trv[i]);
      pthread_mutex_unlock(&S->mu);
      return MHD_CONTENT_READER_END_OF_STREAM;
    }
    if (st == 2) {
      pthread_mutex_unlock(&S->mu);
      return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    /* nothing yet: wait until the guest writes (out_notify) or is done */
    j->wait_out = 1;
    pthread_cond_wait(&j->cv, &S->mu);
  }
}
static void body_free(void *cls) { job_unref(cls); }

/* `s` for the access log: a control byte, DEL, a non-ASCII byte, '"' or '\\' as \xHH (Apache's
 * log escaping), so a client's request line cannot write terminal sequences or fake lines. */
static const char *log_item(const char *s, char *buf, size_t n) {
  size_t k = 0;
  for (; s && *s && k + 5 < n; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\') k += (size_t)snprintf(buf + k, n - k, "\\x%02x", ch);
    else buf[k++] = (char)ch;
  }
  buf[k] = 0;
  if (s && *s && n > 4) memcpy(buf + (k < n - 4 ? k : n - 4), "...", 4); /* cut: said */
  return buf;
}

static void access_log(job *j, struct MHD_Connection *conn, unsigned status, const char *note) {
  server *S = j->S;
  __atomic_add_fetch(&S->nreq, 1, __ATOMIC_RELAXED);
  if (status >= 500 || !status) __atomic_add_fetch(&S->nerr, 1, __ATOMIC_RELAXED);
  if (S->quiet) return;
  char addr[64] = "-";
  const union MHD_ConnectionInfo *ci = conn ? mhd->get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS) : NULL;
  if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, addr, sizeof addr);
  else if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, addr, sizeof addr);
  char m[64], u[1024], v[32];
  fprintf(stderr, "%s \"%s %s %s\" %u %zu %zu %" PRIu64 "us%s%s\n", addr, log_item(j->method ? j->method : "-", m, sizeof m),
          log_item(j->uri, u, sizeof u), log_item(j->version ? j->version : "-", v, sizeof v), status, j->in_len,
          j->out_len, (now_ns() - j->t0) / 1000, note[0] ? " " : "", note);
}

/* queue the response once the body is in and the guest has one (or is done) */
static enum MHD_Result try_respond(server *S, struct MHD_Connection *conn, job *j) {
  unsigned status = 500;
  struct MHD_Response *r = NULL;
  char note[300];
  note[0] = 0;
  int streamed = 0;
  if (j->too_big == 2) {
    r = text_response(&status, 431, "431 Request Header Fields Too Large\n");
    snprintf(note, sizeof note, "request header section over --max-header");
  } else if (j->too_big) {
    r = text_response(&status, 413, "413 Content Too Large\n");
    snprintf(note, sizeof note, "request body over --max-body");
  } else {
    pthread_mutex_lock(&S->mu);
    int st;
    for (;;) {
      if (j->info) { /* the guest's 1xx responses first */
        pthread_mutex_unlock(&S->mu);
        flush_info(j, conn);
        pthread_mutex_lock(&S->mu);
        continue;
      }
      st = j->out ? wk_wasi_p2_buf_closed(j->out) : 1;
      /* wait for a response; and for its body's end for PUSH_NS after set
       * (or until OUT_HIGH bytes wait), so that a handler that sets, writes
       * and finishes gets one content-length response */
      if (j->resp == 2 || j->done) break;
      if (j->resp == 1) {
        uint64_t t = now_ns();
        if (st != 0 || t - j->t_set >= PUSH_NS || wk_wasi_p2_buf_unread(j->out) >= OUT_HIGH) break;
        uint64_t until = j->t_set + PUSH_NS;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        uint64_t d = until - t, ns = (uint64_t)ts.tv_nsec + d % 1000000000ull;
        ts.tv_sec += (time_t)(d / 1000000000ull + ns / 1000000000ull);
        ts.tv_nsec = (long)(ns % 1000000000ull);
        j->wait_resp = 1;
        pthread_cond_timedwait(&j->cv, &S->mu, &ts);
      } else {
        j->wait_resp = 1;
        pthread_cond_wait(&j->cv, &S->mu);
      }
      j->wait_resp = 0;
    }
    if (!j->resp) /* done without a response the server could take (out of memory) */
      own_response(j, 500, "500 Internal Server Error\n");
    if (j->resp == 2) {
      r = text_response(&status, j->status, j->msg);
    } else {
      status = j->status;
      if (st == 1 && !j->ntr) { /* the whole body is here: send it with a content-length */
        size_t n = j->out ? wk_wasi_p2_buf_unread(j->out) : 0, k = 0;
        char *b = malloc(n ? n : 1);
        if (b && j->out) k = wk_wasi_p2_buf_take(j->out, b, n, &st);
        r = b ? mhd->create_response_from_buffer(k, b, MHD_RESPMEM_MUST_FREE) : NULL;
        if (!r) free(b);
        j->out_len = k;
      } else if (j->out) { /* chunked (or the guest's content-length), sent as it is written */
        wk_wasi_p2_buf_set_high(j->out, OUT_HIGH);
        j->refs++; /* the body reader's (body_free) */
        r = mhd->create_response_from_callback(j->clen >= 0 && !j->ntr ? (uint64_t)j->clen : MHD_SIZE_UNKNOWN,
                                               64 * 1024, body_reader, j, body_free);
        if (!r) j->refs--;
        streamed = 1;
      } else
        r = mhd->create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
      for (size_t i = 0; r && i < j->nrh; i++)
        if (!skip_header(j->rhn[i])) mhd->add_response_header(r, j->rhn[i], j->rhv[i]);
      j->mresp = r;
    }
    snprintf(note, sizeof note, "%s", j->note);
    pthread_mutex_unlock(&S->mu);
  }
  if (!r) return MHD_NO;
  j->status = status;
  enum MHD_Result q = mhd->queue_response(conn, status, r);
  mhd->destroy_response(r);
  j->queued = streamed ? 2 : 1;
  if (!streamed) access_log(j, conn, status, note); /* a streamed one: when it is over */
  return q;
}

enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                           const char *version, const char *upload, size_t *upload_size, void **con_cls) {
  (void)url;
  server *S = cls;
  job *j = *con_cls;
  if (!j || !j->uri) return MHD_NO;
  if (!j->started) { /* the header section is in: start the handler now */
    j->started = 1;
    if (!(j->method = strdup(method)) || !(j->version = strdup(version))) return MHD_NO;
    size_t hsize = strlen(j->uri) + strlen(method) + 16;
    mhd->get_connection_values(conn, MHD_HEADER_KIND, header_size, &hsize);
    if (hsize > S->max_header) j->too_big = 2;
    const char *cl = NULL;
    if (!j->too_big) {
      if (copy_fields(conn, MHD_HEADER_KIND, &j->nh, &j->hn, &j->hv, &j->hl, &j->hmem, &j->host)) return MHD_NO;
      for (size_t i = 0; i < j->nh; i++)
        if (!strcasecmp(j->hn[i], "content-length")) cl = (const char *)j->hv[i];
      if (cl && strtoull(cl, NULL, 10) > S->max_body) j->too_big = 1; /* refused before the body comes */
    }
    /* refused before the body: answered now (libmicrohttpd then sends no
     * 100 Continue, reads no body and closes the connection after) */
    if (j->too_big) return try_respond(S, conn, j);
    {
      if (!(j->in = wk_wasi_p2_buf_new(0)) || wk_wasi_p2_buf_live(j->in, 0, in_notify, j)) return MHD_NO;
      pthread_mutex_lock(&S->mu);
      j->refs++; /* the worker's */
      if (S->tail) S->tail->next = j;
      else S->head = j;
      S->tail = j;
      pthread_cond_signal(&S->cv);
      pthread_mutex_unlock(&S->mu);
    }
    return MHD_YES;
  }
  if (*upload_size) { /* a piece of the body: to the guest, up to --max-body */
    size_t n = *upload_size;
    *upload_size = 0;
    j->in_len += n;
    if (j->too_big) return MHD_YES;
    if (j->in_len > S->max_body) {
      j->too_big = 1;
      wk_wasi_p2_buf_close(j->in, 1); /* the guest's read fails */
      return MHD_YES;
    }
    pthread_mutex_lock(&S->mu);
    int done = j->done;
    pthread_mutex_unlock(&S->mu);
    if (done) return MHD_YES; /* the handler is over: the rest is read and dropped */
    if (wk_wasi_p2_buf_put(j->in, upload, n)) return MHD_NO;
    if (j->info) flush_info(j, conn);
    pthread_mutex_lock(&S->mu);
    while (!j->done && wk_wasi_p2_buf_unread(j->in) >= IN_HIGH) { /* back-pressure until the guest reads */
      j->wait_in = 1;
      pthread_cond_wait(&j->cv, &S->mu);
    }
    j->wait_in = 0;
    pthread_mutex_unlock(&S->mu);
    return MHD_YES;
  }
  /* the body is complete */
  if (!j->upload_done) {
    j->upload_done = 1;
    if (j->in && !j->too_big) {
      copy_fields(conn, MHD_FOOTER_KIND, &j->nt, &j->tn, &j->tv, &j->tl, &j->tmem, NULL); /* before the close */
      wk_wasi_p2_buf_close(j->in, 0);
    }
  }
  if (j->queued) return MHD_YES;
  return try_respond(S, conn, j);
}

void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode tc) {
  server *S = cls;
  job *j = *con_cls;
  *con_cls = NULL;
  if (!j) return;
  pthread_mutex_lock(&S->mu);
  j->conn = NULL;
  if (j->aprev) j->aprev->anext = j->anext;
  else S->all = j->anext;
  if (j->anext) j->anext->aprev = j->aprev;
  /* the client is gone or the exchange is over: the guest's reads of an
   * unfinished body and writes of an unsent one fail from now on */
  if (j->in) wk_wasi_p2_buf_close(j->in, 1);
  if (j->out) wk_wasi_p2_buf_close(j->out, 2);
  char note[340];
  snprintf(note, sizeof note, "%s%s%s", j->note,
           tc == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : j->note[0] ? "; " : "",
           tc == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : "connection ended early");
  pthread_mutex_unlock(&S->mu);
  if (j->queued != 1) access_log(j, conn, j->queued ? j->status : 0, note);
  job_unref(j);
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
