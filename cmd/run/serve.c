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
#include "wrun.h"

/* libmicrohttpd, loaded when serve starts (mhd_lib.h); set once before any
 * daemon thread exists, read-only afterwards. */
static const wrun_mhd_api *mhd;

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

static uint64_t now_ns(void) {
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

static void *uri_log(void *cls, const char *uri, struct MHD_Connection *conn) {
  (void)cls;
  (void)conn;
  reqstate *rs = calloc(1, sizeof *rs);
  if (rs) {
    rs->uri = strdup(uri);
    rs->t0 = now_ns();
  }
  return rs;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
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

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode tc) {
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

static void *watchdog(void *arg) {
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

static void on_kick(int sig) { (void)sig; }

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
    case 3: allow[nallow++] = val; bad = !val[0]; break;
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

  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG | MHD_USE_ITC;
  if (ss.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
  struct MHD_Daemon *d = mhd->start_daemon(
      flags, 0, NULL, NULL, on_request, &S, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
      MHD_OPTION_URI_LOG_CALLBACK, uri_log, &S, MHD_OPTION_NOTIFY_COMPLETED, on_completed, &S,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(S.max_header + 16384), MHD_OPTION_CONNECTION_TIMEOUT,
      (unsigned)60, /* a pool only for N > 1 (MHD_OPTION_END ends the list otherwise) */
      threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, threads, MHD_OPTION_END);
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
    pthread_mutex_unlock(&S.mu);
    const union MHD_DaemonInfo *ci = mhd->get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    if (!busy && (!ci || ci->num_connections == 0 || t > 50)) break; /* idle keep-alive connections: 0.5 s */
    struct timespec ts = {0, 10000000};
    nanosleep(&ts, NULL);
  }
  mhd->stop_daemon(d);
  pthread_mutex_lock(&S.mu);
  S.stop = 1;
  pthread_mutex_unlock(&S.mu);
  pthread_join(wd, NULL);
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
