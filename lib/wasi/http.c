/*
 * lib/wasi/http.c — the wasi:http 0.2 host (see http.h for the rules).
 * Spec: wasi-http package.wit 0.2.12 as jco ships it; comments quote its
 * rules where code follows one.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "component/component.h"
#include "wasi/curl_lib.h"
#include "wasi/http.h"
#include "wasi/internal.h"

#define HTTP_IFACE "wasi:http/types@" WK_WASI_P2_VERSION
#define OUT_IFACE "wasi:http/outgoing-handler@" WK_WASI_P2_VERSION
#define MAX_RES (1u << 16)
#define DEFAULT_MAX_BODY (64u << 20)

/* method variant: get head post put delete connect options trace patch other(string) */
static const char *const methods[9] = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};
#define M_OTHER 9
/* scheme variant: HTTP HTTPS other(string) */
#define S_NONE (-1)
#define S_HTTP 0
#define S_HTTPS 1
#define S_OTHER 2
/* error-code cases used here (package.wit variant error-code order) */
enum {
  EC_DNS_ERROR = 1, EC_DESTINATION_NOT_FOUND = 2, EC_CONNECTION_REFUSED = 6, EC_CONNECTION_TERMINATED = 7,
  EC_CONNECTION_TIMEOUT = 8, EC_TLS_PROTOCOL_ERROR = 12, EC_HTTP_REQUEST_DENIED = 15,
  EC_HTTP_REQUEST_URI_INVALID = 19, EC_HTTP_RESPONSE_INCOMPLETE = 25, EC_HTTP_RESPONSE_BODY_SIZE = 29,
  EC_HTTP_RESPONSE_TIMEOUT = 33, EC_HTTP_PROTOCOL_ERROR = 35, EC_INTERNAL_ERROR = 38
};
/* header-error: invalid-syntax forbidden immutable */
enum { HE_INVALID = 0, HE_FORBIDDEN = 1, HE_IMMUTABLE = 2 };

enum hk {
  HK_FREE, HK_FIELDS, HK_IN_REQ, HK_OUT_REQ, HK_OPTS, HK_OUTPARAM, HK_IN_RESP, HK_IN_BODY, HK_FUT_TRAILERS,
  HK_OUT_RESP, HK_OUT_BODY, HK_FUT_RESP, HK_COUNT
};
static const char *const hk_names[HK_COUNT] = {
    [HK_FIELDS] = "fields", [HK_IN_REQ] = "incoming-request", [HK_OUT_REQ] = "outgoing-request",
    [HK_OPTS] = "request-options", [HK_OUTPARAM] = "response-outparam", [HK_IN_RESP] = "incoming-response",
    [HK_IN_BODY] = "incoming-body", [HK_FUT_TRAILERS] = "future-trailers", [HK_OUT_RESP] = "outgoing-response",
    [HK_OUT_BODY] = "outgoing-body", [HK_FUT_RESP] = "future-incoming-response",
};

typedef struct hfields {
  size_t n, cap;
  char **names;
  uint8_t **vals;
  size_t *vlens;
  int immutable;
} hfields;

/* An outgoing body shared by the outgoing-body resource and its request/response. */
typedef struct hbody {
  wk_wasi_p2_buf *buf;
  int finished;
  hfields *trailers;
  int refs;
  int streamed; /* write() was called */
} hbody;

typedef struct hreq { /* incoming-request and outgoing-request */
  int method;         /* 0..8, M_OTHER */
  char *method_other;
  char *path;         /* NULL: none */
  int scheme;         /* S_NONE, S_HTTP, ... */
  char *scheme_other;
  char *authority;    /* NULL: none */
  hfields headers;
  int consumed;       /* consume() / body() was called */
  wk_wasi_p2_buf *in; /* incoming: the body */
  hfields *trailers;  /* incoming: the request's trailers, or NULL */
  hbody *out;         /* outgoing: the body once asked for */
} hreq;

typedef struct hopts {
  int has[3];
  uint64_t ns[3];
} hopts;

typedef struct hresp { /* incoming-response and outgoing-response */
  uint16_t status;
  hfields headers;
  int consumed;
  wk_wasi_p2_buf *in;
  hbody *out;
} hresp;

typedef struct hinbody {
  wk_wasi_p2_buf *buf;
  int streamed;
  hfields *trailers; /* may be NULL */
  int live;          /* the request's streamed body: trailers come once buf is closed */
} hinbody;

typedef struct hfuttr {
  hfields *trailers;
  int taken;
  wk_wasi_p2_buf *live; /* the streamed request body (a reference): pending until closed */
} hfuttr;

typedef struct hfutresp {
  hreq *req;      /* owned; NULL once performed */
  hopts opts;
  int state;      /* 0 pending, 1 response, 2 error, 3 taken */
  hresp *resp;    /* state 1 */
  int ec;         /* state 2 */
  char *ec_msg;   /* internal-error message or NULL */
} hfutresp;

typedef struct hres {
  uint8_t kind;
  void *p;
} hres;

struct wk_http {
  wk_wasi *w;
  wk_http_config cfg;
  hres *r;
  uint32_t n;
  wk_cabi_rtype own_rt[HK_COUNT];
  const wk_cabi_rtype *rt[HK_COUNT];
  struct hbind *binds;
  wk_http_response resp;
  hbody *resp_body; /* the body behind resp.body */
  hfields *resp_trailers;
  /* the current incoming request's streaming hooks (wk_http_request) */
  wk_wasi_p2_buf *in_live;
  void (*trailers_fn)(void *env, size_t *n, const char *const **names, const uint8_t *const **values,
                      const size_t **vlens);
  int (*event)(void *env, wk_http *h, int ev);
  void *env;
  char trap[200];
};

/* ---- fields ---- */
static void fields_clear(hfields *f) {
  for (size_t i = 0; i < f->n; i++) {
    free(f->names[i]);
    free(f->vals[i]);
  }
  free(f->names);
  free(f->vals);
  free(f->vlens);
  memset(f, 0, sizeof *f);
}
static void fields_free(hfields *f) {
  if (!f) return;
  fields_clear(f);
  free(f);
}
/* Append (name lower-cased). 0 or -1 on OOM. */
static int fields_add(hfields *f, const char *name, size_t nlen, const uint8_t *v, size_t vlen) {
  if (f->n == f->cap) {
    size_t nc = f->cap ? f->cap * 2 : 8;
    char **nn = realloc(f->names, nc * sizeof *nn);
    if (!nn) return -1;
    f->names = nn;
    uint8_t **nv = realloc(f->vals, nc * sizeof *nv);
    if (!nv) return -1;
    f->vals = nv;
    size_t *nl = realloc(f->vlens, nc * sizeof *nl);
    if (!nl) return -1;
    f->vlens = nl;
    f->cap = nc;
  }
  char *n = malloc(nlen + 1);
  uint8_t *val = malloc(vlen ? vlen : 1);
  if (!n || !val) {
    free(n);
    free(val);
    return -1;
  }
  for (size_t i = 0; i < nlen; i++) n[i] = (char)tolower((unsigned char)name[i]);
  n[nlen] = 0;
  if (vlen) memcpy(val, v, vlen);
  f->names[f->n] = n;
  f->vals[f->n] = val;
  f->vlens[f->n] = vlen;
  f->n++;
  return 0;
}
static int fields_copy(hfields *dst, const hfields *src) {
  memset(dst, 0, sizeof *dst);
  for (size_t i = 0; i < src->n; i++)
    if (fields_add(dst, src->names[i], strlen(src->names[i]), src->vals[i], src->vlens[i])) return -1;
  return 0;
}
static int name_eq(const char *stored, const char *n, size_t len) {
  return strlen(stored) == len && !strncasecmp(stored, n, len);
}
static void fields_delete(hfields *f, const char *n, size_t len) {
  size_t k = 0;
  for (size_t i = 0; i < f->n; i++) {
    if (name_eq(f->names[i], n, len)) {
      free(f->names[i]);
      free(f->vals[i]);
      continue;
    }
    f->names[k] = f->names[i];
    f->vals[k] = f->vals[i];
    f->vlens[k] = f->vlens[i];
    k++;
  }
  f->n = k;
}

/* RFC 9110 5.1 field-name = token; tchar = "!" / "#" / "$" / "%" / "&" / "'" /
 * "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA */
static int is_token(const char *s, size_t n) {
  if (!n) return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (!(isalnum(ch) || strchr("!#$%&'*+-.^_`|~", ch)) || !ch) return 0;
  }
  return 1;
}
/* Visible ASCII only (RFC 5234 VCHAR, 0x21-0x7e): the characters a request-target (RFC 9112 3.2,
 * RFC 3986 2) and an authority (RFC 3986 3.2) are made of; no space, control or non-ASCII byte. */
static int is_vchars(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e) return 0;
  return 1;
}
/* RFC 9110 5.5 field-value: VCHAR, obs-text, SP, HTAB (no CR, LF, NUL or other controls) */
static int is_value(const uint8_t *v, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((v[i] < 0x20 && v[i] != '\t') || v[i] == 0x7f) return 0;
  return 1;
}
static const char *const forbidden[] = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
                                        "proxy-connection", "te", "transfer-encoding", "upgrade",
                                        "http2-settings"};
static int is_forbidden(const char *n, size_t len) {
  for (size_t i = 0; i < sizeof forbidden / sizeof forbidden[0]; i++)
    if (strlen(forbidden[i]) == len && !strncasecmp(forbidden[i], n, len)) return 1;
  return 0;
}

/* ---- the table ---- */
static void hbody_unref(hbody *b) {
  if (!b || --b->refs > 0) return;
  wk_wasi_p2_buf_unref(b->buf);
  fields_free(b->trailers);
  free(b);
}
static hbody *hbody_new(size_t limit) {
  hbody *b = calloc(1, sizeof *b);
  if (!b) return NULL;
  b->refs = 1;
  if (!(b->buf = wk_wasi_p2_buf_new(limit))) {
    free(b);
    return NULL;
  }
  return b;
}
static void hreq_free(hreq *q) {
  if (!q) return;
  free(q->method_other);
  free(q->path);
  free(q->scheme_other);
  free(q->authority);
  fields_clear(&q->headers);
  wk_wasi_p2_buf_unref(q->in);
  fields_free(q->trailers);
  hbody_unref(q->out);
  free(q);
}
static void hresp_free(hresp *r) {
  if (!r) return;
  fields_clear(&r->headers);
  wk_wasi_p2_buf_unref(r->in);
  hbody_unref(r->out);
  free(r);
}
static void obj_free(uint8_t kind, void *p) {
  switch (kind) {
  case HK_FIELDS: fields_free(p); break;
  case HK_IN_REQ:
  case HK_OUT_REQ: hreq_free(p); break;
  case HK_IN_RESP:
  case HK_OUT_RESP: hresp_free(p); break;
  case HK_IN_BODY: {
    hinbody *b = p;
    wk_wasi_p2_buf_unref(b->buf);
    fields_free(b->trailers);
    free(b);
    break;
  }
  case HK_FUT_TRAILERS:
    fields_free(((hfuttr *)p)->trailers);
    wk_wasi_p2_buf_unref(((hfuttr *)p)->live);
    free(p);
    break;
  case HK_OUT_BODY: hbody_unref(p); break;
  case HK_FUT_RESP: {
    hfutresp *f = p;
    hreq_free(f->req);
    hresp_free(f->resp);
    free(f->ec_msg);
    free(f);
    break;
  }
  default: free(p);
  }
}
static uint32_t res_new(wk_http *h, uint8_t kind, void *p) {
  uint32_t i = 0;
  while (i < h->n && h->r[i].kind != HK_FREE) i++;
  if (i == h->n) {
    if (h->n >= MAX_RES) return 0;
    uint32_t nn = h->n ? h->n * 2 : 32;
    hres *nr = realloc(h->r, (size_t)nn * sizeof *nr);
    if (!nr) return 0;
    memset(nr + h->n, 0, (size_t)(nn - h->n) * sizeof *nr);
    h->r = nr;
    h->n = nn;
  }
  h->r[i].kind = kind;
  h->r[i].p = p;
  return i + 1;
}
static void *res_get(wk_http *h, uint32_t rep, uint8_t kind) {
  if (rep == 0 || rep > h->n || h->r[rep - 1].kind != kind) return NULL;
  return h->r[rep - 1].p;
}
/* Remove the entry without freeing its object (an own handed to the host). */
static void *res_take(wk_http *h, uint32_t rep, uint8_t kind) {
  void *p = res_get(h, rep, kind);
  if (p) {
    h->r[rep - 1].kind = HK_FREE;
    h->r[rep - 1].p = NULL;
  }
  return p;
}
static int http_dtor(void *env, uint32_t rep, wk_error *err) {
  wk_http *h = env;
  if (rep == 0 || rep > h->n || h->r[rep - 1].kind == HK_FREE)
    return wk_error_set(err, WK_ERR_TRAP, "wasi:http: drop of an unknown resource %u", rep);
  obj_free(h->r[rep - 1].kind, h->r[rep - 1].p);
  h->r[rep - 1].kind = HK_FREE;
  h->r[rep - 1].p = NULL;
  return WK_OK;
}

static void resp_clear(wk_http *h) {
  wk_http_response *r = &h->resp;
  for (size_t i = 0; i < r->nheaders; i++) {
    free(r->names[i]);
    free(r->values[i]);
  }
  free(r->names);
  free(r->values);
  free(r->vlens);
  hbody_unref(h->resp_body);
  h->resp_body = NULL;
  memset(r, 0, sizeof *r);
  wk_wasi_p2_buf_unref(h->in_live);
  h->in_live = NULL;
  h->trailers_fn = NULL;
  h->event = NULL;
  h->env = NULL;
}

void wk_http_reset(wk_http *h) {
  for (uint32_t i = 0; i < h->n; i++)
    if (h->r[i].kind != HK_FREE) {
      obj_free(h->r[i].kind, h->r[i].p);
      h->r[i].kind = HK_FREE;
      h->r[i].p = NULL;
    }
  resp_clear(h);
}

wk_http *wk_http_new(wk_wasi *w, const wk_http_config *cfg) {
  wk_http *h = calloc(1, sizeof *h);
  if (!h) return NULL;
  h->w = w;
  if (cfg) h->cfg = *cfg;
  if (!h->cfg.max_body) h->cfg.max_body = DEFAULT_MAX_BODY;
  for (int k = 1; k < HK_COUNT; k++) {
    h->own_rt[k].dtor = http_dtor;
    h->own_rt[k].dtor_env = h;
    h->own_rt[k].name = hk_names[k];
    h->rt[k] = &h->own_rt[k];
  }
  return h;
}
void wk_http_free(wk_http *h) {
  if (!h) return;
  wk_http_reset(h);
  free(h->r);
  free(h->binds);
  free(h);
}
const wk_http_response *wk_http_result(wk_http *h) {
  wk_http_response *r = &h->resp;
  hbody *b = h->resp_body;
  r->body_buf = b ? b->buf : NULL;
  r->body = b ? b->buf->data : NULL;
  r->body_len = b ? b->buf->len : 0;
  r->body_finished = b ? b->finished : 1;
  hfields *t = b ? b->trailers : NULL;
  r->ntrailers = t ? t->n : 0;
  r->tnames = t ? t->names : NULL;
  r->tvalues = t ? t->vals : NULL;
  r->tvlens = t ? t->vlens : NULL;
  return r;
}

/* ---- calls ---- */
typedef struct hcall {
  wk_http *h;
  wk_arena *arena;
  const wk_cval *a;
  uint32_t na;
  wk_cval *res;
  int trapped;
} hcall;

static int trap(hcall *c, const char *msg) {
  snprintf(c->h->trap, sizeof c->h->trap, "wasi:http: %s", msg);
  c->trapped = 1;
  return -1;
}
#define NOMEM(c) trap(c, "out of memory")
static wk_cval *cv_new(hcall *c, uint32_t n) { return wk_cval_alloc(c->arena, n); }
static void cv_var(wk_cval *v, wk_cabi_kind k, uint32_t d, wk_cval *payload) { wk_cval_set_case(v, k, d, payload); }
static int cv_str(hcall *c, wk_cval *v, const char *s, size_t n) {
  return wk_cval_set_string(c->arena, v, s, n) == WK_OK ? 0 : NOMEM(c);
}
static int cv_bytes(hcall *c, wk_cval *v, const uint8_t *b, size_t n) {
  return wk_cval_set_bytes(c->arena, v, b, n) == WK_OK ? 0 : NOMEM(c);
}
static int cv_seq(hcall *c, wk_cval *v, wk_cabi_kind k, uint32_t n) {
  return wk_cval_set_seq(c->arena, v, k, n) == WK_OK ? 0 : NOMEM(c);
}
/* A new own handle of http kind `kind` for object p into v; takes p (freed on failure). */
static int cv_new_res(hcall *c, wk_cval *v, uint8_t kind, void *p) {
  if (!p) return NOMEM(c);
  uint32_t rep = res_new(c->h, kind, p);
  if (!rep) {
    obj_free(kind, p);
    return trap(c, "resource table full");
  }
  v->kind = WK_CABI_OWN;
  v->of.handle.rt = c->h->rt[kind];
  v->of.handle.rep = rep;
  return 0;
}
static int cv_wasi_handle(hcall *c, wk_cval *v, const char *rname, uint32_t rep) {
  v->kind = WK_CABI_OWN;
  v->of.handle.rt = wk_wasi_p2_rtype(c->h->w, rname);
  v->of.handle.rep = rep;
  return v->of.handle.rt ? 0 : NOMEM(c);
}
/* result ok/err with payloads */
static int res_ok(hcall *c, wk_cval *payload) {
  cv_var(c->res, WK_CABI_RESULT, 0, payload);
  return 0;
}
static int res_err(hcall *c, wk_cval *payload) {
  cv_var(c->res, WK_CABI_RESULT, 1, payload);
  return 0;
}
static int header_err(hcall *c, uint32_t he) {
  wk_cval *e = cv_new(c, 1);
  if (!e) return NOMEM(c);
  cv_var(e, WK_CABI_VARIANT, he, NULL);
  return res_err(c, e);
}
/* an error-code value into v; `msg` only for internal-error(option<string>) */
static int error_code(hcall *c, wk_cval *v, int ec, const char *msg) {
  wk_cval *pl = NULL;
  if (ec == EC_INTERNAL_ERROR || ec == EC_HTTP_RESPONSE_BODY_SIZE || ec == EC_DNS_ERROR) {
    pl = cv_new(c, 3);
    if (!pl) return NOMEM(c);
    if (ec == EC_INTERNAL_ERROR && msg) {
      if (cv_str(c, &pl[1], msg, strlen(msg))) return -1;
      cv_var(pl, WK_CABI_OPTION, 1, &pl[1]);
    } else if (ec == EC_DNS_ERROR) { /* DNS-error-payload {rcode: option<string>, info-code: option<u16>} */
      if (cv_seq(c, pl, WK_CABI_RECORD, 2)) return -1;
      cv_var(&pl->of.seq.items[0], WK_CABI_OPTION, 0, NULL);
      cv_var(&pl->of.seq.items[1], WK_CABI_OPTION, 0, NULL);
    } else
      cv_var(pl, WK_CABI_OPTION, 0, NULL);
  }
  cv_var(v, WK_CABI_VARIANT, (uint32_t)ec, pl);
  return 0;
}
static int err_code_result(hcall *c, int ec, const char *msg) {
  wk_cval *e = cv_new(c, 1);
  if (!e) return NOMEM(c);
  if (error_code(c, e, ec, msg)) return -1;
  return res_err(c, e);
}

#define REP(i) (c->a[i].of.handle.rep)
#define GET(var, type, i, kind)                                    \
  type *var = res_get(c->h, REP(i), kind);                         \
  if (!var) return trap(c, "unknown or wrong-typed handle")

/* a string argument */
#define S_PTR(i) (c->a[i].of.str.ptr)
#define S_LEN(i) ((size_t)c->a[i].of.str.len)

/* list<u8> value -> malloc'd bytes */
static uint8_t *bytes_of(const wk_cval *l, size_t *n) {
  uint8_t *b = malloc(l->of.seq.n ? l->of.seq.n : 1);
  if (!b) return NULL;
  for (uint32_t k = 0; k < l->of.seq.n; k++) b[k] = (uint8_t)l->of.seq.items[k].of.u;
  *n = l->of.seq.n;
  return b;
}
/* 0 ok, else a header-error */
static int check_field(const char *n, size_t nl, const wk_cval *val) {
  if (!is_token(n, nl)) return HE_INVALID + 1;
  if (val) {
    uint8_t tmp[1];
    (void)tmp;
    for (uint32_t k = 0; k < val->of.seq.n; k++) {
      uint8_t b = (uint8_t)val->of.seq.items[k].of.u;
      if (!is_value(&b, 1)) return HE_INVALID + 1;
    }
  }
  if (is_forbidden(n, nl)) return HE_FORBIDDEN + 1;
  return 0;
}

/* ==== wasi:http/types: fields ==== */
static int f_http_error_code(hcall *c) {
  cv_var(c->res, WK_CABI_OPTION, 0, NULL); /* no io-error of this host carries an http error-code */
  return 0;
}
static int f_fields_new(hcall *c) { return cv_new_res(c, c->res, HK_FIELDS, calloc(1, sizeof(hfields))); }
static int put_fields_list(hcall *c, wk_cval *v, const hfields *f) {
  if (cv_seq(c, v, WK_CABI_LIST, (uint32_t)f->n)) return -1;
  for (size_t i = 0; i < f->n; i++) {
    wk_cval *t = &v->of.seq.items[i];
    if (cv_seq(c, t, WK_CABI_TUPLE, 2) || cv_str(c, &t->of.seq.items[0], f->names[i], strlen(f->names[i])) ||
        cv_bytes(c, &t->of.seq.items[1], f->vals[i], f->vlens[i]))
      return -1;
  }
  return 0;
}
static int f_fields_from_list(hcall *c) {
  const wk_cval *l = &c->a[0];
  hfields *f = calloc(1, sizeof *f);
  if (!f) return NOMEM(c);
  for (uint32_t i = 0; i < l->of.seq.n; i++) {
    const wk_cval *t = &l->of.seq.items[i];
    const wk_cval *nv = &t->of.seq.items[0], *vv = &t->of.seq.items[1];
    int he = check_field(nv->of.str.ptr, nv->of.str.len, vv);
    if (he) {
      fields_free(f);
      return header_err(c, (uint32_t)(he - 1));
    }
    size_t vl;
    uint8_t *b = bytes_of(vv, &vl);
    if (!b || fields_add(f, nv->of.str.ptr, nv->of.str.len, b, vl)) {
      free(b);
      fields_free(f);
      return NOMEM(c);
    }
    free(b);
  }
  wk_cval *h = cv_new(c, 1);
  if (!h) {
    fields_free(f);
    return NOMEM(c);
  }
  if (cv_new_res(c, h, HK_FIELDS, f)) return -1;
  return res_ok(c, h);
}
static int f_fields_get(hcall *c) {
  GET(f, hfields, 0, HK_FIELDS);
  uint32_t k = 0;
  for (size_t i = 0; i < f->n; i++) k += name_eq(f->names[i], S_PTR(1), S_LEN(1));
  if (cv_seq(c, c->res, WK_CABI_LIST, k)) return -1;
  k = 0;
  for (size_t i = 0; i < f->n; i++)
    if (name_eq(f->names[i], S_PTR(1), S_LEN(1)) && cv_bytes(c, &c->res->of.seq.items[k++], f->vals[i], f->vlens[i]))
      return -1;
  return 0;
}
static int f_fields_has(hcall *c) {
  GET(f, hfields, 0, HK_FIELDS);
  c->res->kind = WK_CABI_BOOL;
  c->res->of.b = 0;
  for (size_t i = 0; i < f->n; i++)
    if (name_eq(f->names[i], S_PTR(1), S_LEN(1))) c->res->of.b = 1;
  return 0;
}
/* set: replace every value of the name (the WIT: "Set all of the values for a name") */
static int f_fields_set(hcall *c) {
  GET(f, hfields, 0, HK_FIELDS);
  if (f->immutable) return header_err(c, HE_IMMUTABLE);
  const wk_cval *l = &c->a[2];
  int he = check_field(S_PTR(1), S_LEN(1), NULL);
  for (uint32_t i = 0; !he && i < l->of.seq.n; i++) he = check_field(S_PTR(1), S_LEN(1), &l->of.seq.items[i]);
  if (he) return header_err(c, (uint32_t)(he - 1));
  fields_delete(f, S_PTR(1), S_LEN(1));
  for (uint32_t i = 0; i < l->of.seq.n; i++) {
    size_t vl;
    uint8_t *b = bytes_of(&l->of.seq.items[i], &vl);
    if (!b || fields_add(f, S_PTR(1), S_LEN(1), b, vl)) {
      free(b);
      return NOMEM(c);
    }
    free(b);
  }
  return res_ok(c, NULL);
}
static int f_fields_delete(hcall *c) {
  GET(f, hfields, 0, HK_FIELDS);
  if (f->immutable) return header_err(c, HE_IMMUTABLE);
  int he = check_field(S_PTR(1), S_LEN(1), NULL);
  if (he) return header_err(c, (uint32_t)(he - 1));
  fields_delete(f, S_PTR(1), S_LEN(1));
  return res_ok(c, NULL);
}
static int f_fields_append(hcall *c) {
  GET(f, hfields, 0, HK_FIELDS);
  if (f->immutable) return header_err(c, HE_IMMUTABLE);
  int he = check_field(S_PTR(1), S_LEN(1), &c->a[2]);
  if (he) return header_err(c, (uint32_t)(he - 1));
  size_t vl;
  uint8_t *b = bytes_of(&c->a[2], &vl);
  if (!b || fields_add(f, S_PTR(1), S_LEN(1), b, vl)) {
    free(b);
    return NOMEM(c);
  }
  free(b);
  return res_ok(c, NULL);
}
static int f_fields_entries(hcall *c) {
  GET(f, hfields, 0, HK_FIELDS);
  return put_fields_list(c, c->res, f);
}
/* clone: "Make a deep copy of the Fields. Equivalent in behavior to calling
 * the fields constructor on the return value of entries" (so: mutable) */
static int f_fields_clone(hcall *c) {
  GET(f, hfields, 0, HK_FIELDS);
  hfields *n = calloc(1, sizeof *n);
  if (!n || fields_copy(n, f)) {
    fields_free(n);
    return NOMEM(c);
  }
  return cv_new_res(c, c->res, HK_FIELDS, n);
}
/* headers(): a new immutable fields resource holding a copy */
static int new_immutable_headers(hcall *c, wk_cval *v, const hfields *src) {
  hfields *n = calloc(1, sizeof *n);
  if (!n || fields_copy(n, src)) {
    fields_free(n);
    return NOMEM(c);
  }
  n->immutable = 1;
  return cv_new_res(c, v, HK_FIELDS, n);
}

/* ==== requests ==== */
static int put_method(hcall *c, wk_cval *v, const hreq *q) {
  if (q->method != M_OTHER) {
    cv_var(v, WK_CABI_VARIANT, (uint32_t)q->method, NULL);
    return 0;
  }
  wk_cval *s = cv_new(c, 1);
  if (!s || cv_str(c, s, q->method_other, strlen(q->method_other))) return NOMEM(c);
  cv_var(v, WK_CABI_VARIANT, M_OTHER, s);
  return 0;
}
static int put_opt_str(hcall *c, wk_cval *v, const char *s) {
  if (!s) {
    cv_var(v, WK_CABI_OPTION, 0, NULL);
    return 0;
  }
  wk_cval *p = cv_new(c, 1);
  if (!p || cv_str(c, p, s, strlen(s))) return NOMEM(c);
  cv_var(v, WK_CABI_OPTION, 1, p);
  return 0;
}
static int put_scheme(hcall *c, wk_cval *v, const hreq *q) {
  if (q->scheme == S_NONE) {
    cv_var(v, WK_CABI_OPTION, 0, NULL);
    return 0;
  }
  wk_cval *p = cv_new(c, 2);
  if (!p) return NOMEM(c);
  if (q->scheme == S_OTHER) {
    if (cv_str(c, &p[1], q->scheme_other, strlen(q->scheme_other))) return -1;
    cv_var(p, WK_CABI_VARIANT, S_OTHER, &p[1]);
  } else
    cv_var(p, WK_CABI_VARIANT, (uint32_t)q->scheme, NULL);
  cv_var(v, WK_CABI_OPTION, 1, p);
  return 0;
}
static int f_inreq_method(hcall *c) {
  GET(q, hreq, 0, HK_IN_REQ);
  return put_method(c, c->res, q);
}
static int f_inreq_path(hcall *c) {
  GET(q, hreq, 0, HK_IN_REQ);
  return put_opt_str(c, c->res, q->path);
}
static int f_inreq_scheme(hcall *c) {
  GET(q, hreq, 0, HK_IN_REQ);
  return put_scheme(c, c->res, q);
}
static int f_inreq_authority(hcall *c) {
  GET(q, hreq, 0, HK_IN_REQ);
  return put_opt_str(c, c->res, q->authority);
}
static int f_inreq_headers(hcall *c) {
  GET(q, hreq, 0, HK_IN_REQ);
  return new_immutable_headers(c, c->res, &q->headers);
}
/* consume: "Gives the incoming-body associated with this request. Will only
 * return success at most once, and subsequent calls will return error." */
static int new_inbody(hcall *c, wk_cval *v, wk_wasi_p2_buf *buf, const hfields *trailers) {
  hinbody *b = calloc(1, sizeof *b);
  if (!b) return NOMEM(c);
  if (trailers && (!(b->trailers = calloc(1, sizeof *b->trailers)) || fields_copy(b->trailers, trailers))) {
    obj_free(HK_IN_BODY, b);
    return NOMEM(c);
  }
  b->buf = buf;
  if (buf) __atomic_add_fetch(&buf->refs, 1, __ATOMIC_RELAXED);
  b->live = buf && buf == c->h->in_live;
  return cv_new_res(c, v, HK_IN_BODY, b);
}
static int f_inreq_consume(hcall *c) {
  GET(q, hreq, 0, HK_IN_REQ);
  if (q->consumed) return res_err(c, NULL);
  wk_cval *h = cv_new(c, 1);
  if (!h || new_inbody(c, h, q->in, q->trailers)) return h ? -1 : NOMEM(c);
  q->consumed = 1;
  return res_ok(c, h);
}
/* outgoing-request constructor(headers: own<headers>): "defaults: method
 * get, no path-with-query, no scheme, no authority"; the headers are taken. */
static int f_outreq_new(hcall *c) {
  hfields *f = res_take(c->h, REP(0), HK_FIELDS);
  if (!f) return trap(c, "unknown fields handle");
  hreq *q = calloc(1, sizeof *q);
  if (!q) {
    fields_free(f);
    return NOMEM(c);
  }
  q->headers = *f;
  q->headers.immutable = 0;
  free(f);
  q->method = 0;
  q->scheme = S_NONE;
  return cv_new_res(c, c->res, HK_OUT_REQ, q);
}
static int out_body(hcall *c, hbody **slot, int *taken) {
  if (*taken) return res_err(c, NULL);
  hbody *b = hbody_new(c->h->cfg.max_body);
  if (!b) return NOMEM(c);
  wk_cval *h = cv_new(c, 1);
  if (!h) {
    hbody_unref(b);
    return NOMEM(c);
  }
  b->refs++; /* one for the parent, one for the outgoing-body resource */
  *slot = b;
  *taken = 1;
  if (cv_new_res(c, h, HK_OUT_BODY, b)) return -1;
  return res_ok(c, h);
}
static int f_outreq_body(hcall *c) {
  GET(q, hreq, 0, HK_OUT_REQ);
  return out_body(c, &q->out, &q->consumed);
}
static int f_outreq_method(hcall *c) {
  GET(q, hreq, 0, HK_OUT_REQ);
  return put_method(c, c->res, q);
}
static int f_outreq_set_method(hcall *c) {
  GET(q, hreq, 0, HK_OUT_REQ);
  const wk_cval *m = &c->a[1];
  if (m->of.var.disc == M_OTHER) {
    const wk_cval *s = m->of.var.payload;
    if (!s || !is_token(s->of.str.ptr, s->of.str.len)) return res_err(c, NULL);
    char *d = strndup(s->of.str.ptr, s->of.str.len);
    if (!d) return NOMEM(c);
    free(q->method_other);
    q->method_other = d;
  }
  q->method = (int)m->of.var.disc;
  return res_ok(c, NULL);
}
static int f_outreq_path(hcall *c) {
  GET(q, hreq, 0, HK_OUT_REQ);
  return put_opt_str(c, c->res, q->path);
}
/* an option<string> argument for path or authority; no controls, spaces or
 * '#' (a path-with-query must be a valid URI path and query) */
static int set_opt_str(hcall *c, char **slot, const wk_cval *o, int path) {
  char *d = NULL;
  if (o->of.var.disc == 1) {
    const wk_cval *s = o->of.var.payload;
    if (!is_vchars(s->of.str.ptr, s->of.str.len)) return res_err(c, NULL);
    for (uint32_t i = 0; i < s->of.str.len; i++) {
      unsigned char ch = (unsigned char)s->of.str.ptr[i];
      if (ch == '#') return res_err(c, NULL);
      /* RFC 3986 3.2 authority = host [":" port] (no userinfo: "a@b" would let
       * an allowed-looking name reach another host): unreserved, sub-delims,
       * pct-encoded, ':' and the IPv6 brackets only */
      if (!path && !isalnum(ch) && !strchr("-._~!$&'()*+,;=%:[]", ch)) return res_err(c, NULL);
    }
    if (path && s->of.str.len && s->of.str.ptr[0] != '/' && s->of.str.ptr[0] != '*') return res_err(c, NULL);
    if (!(d = strndup(s->of.str.ptr ? s->of.str.ptr : "", s->of.str.len))) return NOMEM(c);
  }
  free(*slot);
  *slot = d;
  return res_ok(c, NULL);
}
static int f_outreq_set_path(hcall *c) {
  GET(q, hreq, 0, HK_OUT_REQ);
  return set_opt_str(c, &q->path, &c->a[1], 1);
}
static int f_outreq_scheme(hcall *c) {
  GET(q, hreq, 0, HK_OUT_REQ);
  return put_scheme(c, c->res, q);
}
static int f_outreq_set_scheme(hcall *c) {
  GET(q, hreq, 0, HK_OUT_REQ);
  const wk_cval *o = &c->a[1];
  if (o->of.var.disc == 0) {
    q->scheme = S_NONE;
    return res_ok(c, NULL);
  }
  const wk_cval *v = o->of.var.payload;
  if (v->of.var.disc == S_OTHER) {
    const wk_cval *s = v->of.var.payload;
    if (!s || !s->of.str.len || !isalpha((unsigned char)s->of.str.ptr[0])) return res_err(c, NULL);
    for (uint32_t i = 0; i < s->of.str.len; i++)
      if (!isalnum((unsigned char)s->of.str.ptr[i]) && !strchr("+-.", s->of.str.ptr[i])) return res_err(c, NULL);
    char *d = strndup(s->of.str.ptr, s->of.str.len);
    if (!d) return NOMEM(c);
    free(q->scheme_other);
    q->scheme_other = d;
  }
  q->scheme = (int)v->of.var.disc;
  return res_ok(c, NULL);
}
static int f_outreq_authority(hcall *c) {
  GET(q, hreq, 0, HK_OUT_REQ);
  return put_opt_str(c, c->res, q->authority);
}
static int f_outreq_set_authority(hcall *c) {
  GET(q, hreq, 0, HK_OUT_REQ);
  return set_opt_str(c, &q->authority, &c->a[1], 0);
}
static int f_outreq_headers(hcall *c) {
  GET(q, hreq, 0, HK_OUT_REQ);
  return new_immutable_headers(c, c->res, &q->headers);
}

/* ==== request-options ==== */
static int f_opts_new(hcall *c) { return cv_new_res(c, c->res, HK_OPTS, calloc(1, sizeof(hopts))); }
static int opts_get(hcall *c, int i) {
  GET(o, hopts, 0, HK_OPTS);
  if (!o->has[i]) {
    cv_var(c->res, WK_CABI_OPTION, 0, NULL);
    return 0;
  }
  wk_cval *p = cv_new(c, 1);
  if (!p) return NOMEM(c);
  p->kind = WK_CABI_U64;
  p->of.u = o->ns[i];
  cv_var(c->res, WK_CABI_OPTION, 1, p);
  return 0;
}
static int opts_set(hcall *c, int i) {
  GET(o, hopts, 0, HK_OPTS);
  o->has[i] = c->a[1].of.var.disc == 1;
  o->ns[i] = o->has[i] ? c->a[1].of.var.payload->of.u : 0;
  return res_ok(c, NULL);
}
static int f_opts_ct(hcall *c) { return opts_get(c, 0); }
static int f_opts_set_ct(hcall *c) { return opts_set(c, 0); }
static int f_opts_fb(hcall *c) { return opts_get(c, 1); }
static int f_opts_set_fb(hcall *c) { return opts_set(c, 1); }
static int f_opts_bb(hcall *c) { return opts_get(c, 2); }
static int f_opts_set_bb(hcall *c) { return opts_set(c, 2); }

/* ==== response-outparam ==== */
/* send-informational(status: u16, headers: headers) -> result<_, error-code>:
 * "Send an HTTP 1xx response ... an arbitrary number of informational
 * responses before sending the final response ... HTTP-protocol-error if
 * status is not in the range [100-199], or an internal-error if the
 * implementation does not support informational responses." The server
 * sends it (WK_HTTP_EV_INFORMATIONAL); 101 would switch protocols, which
 * this host does not do: internal-error. The headers are taken. */
static int f_outparam_informational(hcall *c) {
  GET(p, void, 0, HK_OUTPARAM);
  (void)p;
  hfields *f = res_take(c->h, REP(2), HK_FIELDS);
  if (!f) return trap(c, "unknown fields handle");
  uint64_t st = c->a[1].of.u;
  int rc;
  if (st < 100 || st > 199) rc = err_code_result(c, EC_HTTP_PROTOCOL_ERROR, NULL);
  else if (st == 101) rc = err_code_result(c, EC_INTERNAL_ERROR, "101 Switching Protocols is not supported");
  else if (!c->h->event) rc = err_code_result(c, EC_INTERNAL_ERROR, "informational responses are not supported");
  else {
    wk_http_response *R = &c->h->resp;
    R->info_status = (uint16_t)st;
    R->ninfo = f->n;
    R->info_names = f->names;
    R->info_values = f->vals;
    R->info_vlens = f->vlens;
    int r = c->h->event(c->h->env, c->h, WK_HTTP_EV_INFORMATIONAL);
    R->ninfo = 0;
    R->info_names = NULL;
    R->info_values = NULL;
    R->info_vlens = NULL;
    rc = r ? err_code_result(c, EC_INTERNAL_ERROR, "the informational response could not be sent") : res_ok(c, NULL);
  }
  fields_free(f);
  return rc;
}
/* error-code case names, for the log */
static const char *ec_name(uint32_t d) {
  static const char *const n[] = {
      "DNS-timeout", "DNS-error", "destination-not-found", "destination-unavailable", "destination-IP-prohibited",
      "destination-IP-unroutable", "connection-refused", "connection-terminated", "connection-timeout",
      "connection-read-timeout", "connection-write-timeout", "connection-limit-reached", "TLS-protocol-error",
      "TLS-certificate-error", "TLS-alert-received", "HTTP-request-denied", "HTTP-request-length-required",
      "HTTP-request-body-size", "HTTP-request-method-invalid", "HTTP-request-URI-invalid",
      "HTTP-request-URI-too-long", "HTTP-request-header-section-size", "HTTP-request-header-size",
      "HTTP-request-trailer-section-size", "HTTP-request-trailer-size", "HTTP-response-incomplete",
      "HTTP-response-header-section-size", "HTTP-response-header-size", "HTTP-response-body-size",
      "HTTP-response-trailer-section-size", "HTTP-response-trailer-size", "HTTP-response-transfer-coding",
      "HTTP-response-content-coding", "HTTP-response-timeout", "HTTP-upgrade-failed", "HTTP-protocol-error",
      "loop-detected", "configuration-error", "internal-error"};
  return d < sizeof n / sizeof n[0] ? n[d] : "?";
}
/* set(param: own<response-outparam>, response: result<own<outgoing-response>, error-code>):
 * "Set the value of the response-outparam to either send a response, or
 * indicate an error." The host keeps the response's body: what the guest
 * writes to it (also after set) is sent once the handler returns. */
static int f_outparam_set(hcall *c) {
  void *p = res_take(c->h, REP(0), HK_OUTPARAM);
  if (!p) return trap(c, "unknown response-outparam handle");
  free(p);
  wk_http *h = c->h;
  const wk_cval *r = &c->a[1];
  if (h->resp.state) return trap(c, "response-outparam.set called twice");
  if (r->of.var.disc == 1) {
    const wk_cval *e = r->of.var.payload;
    h->resp.state = 2;
    snprintf(h->resp.error, sizeof h->resp.error, "%s", ec_name(e->of.var.disc));
    if (e->of.var.disc == EC_INTERNAL_ERROR && e->of.var.payload && e->of.var.payload->of.var.disc == 1) {
      const wk_cval *s = e->of.var.payload->of.var.payload;
      snprintf(h->resp.error, sizeof h->resp.error, "internal-error: %.*s", (int)s->of.str.len, s->of.str.ptr);
    }
    return 0;
  }
  hresp *o = res_take(h, r->of.var.payload->of.handle.rep, HK_OUT_RESP);
  if (!o) return trap(c, "unknown outgoing-response handle");
  wk_http_response *R = &h->resp;
  R->state = 1;
  R->status = o->status;
  R->nheaders = o->headers.n;
  R->names = o->headers.names;
  R->values = o->headers.vals;
  R->vlens = o->headers.vlens;
  memset(&o->headers, 0, sizeof o->headers);
  h->resp_body = o->out; /* NULL: no body was asked for (an empty body) */
  o->out = NULL;
  hresp_free(o);
  if (h->event) {
    wk_http_result(h);
    h->event(h->env, h, WK_HTTP_EV_RESPONSE);
  }
  return 0;
}

/* ==== responses and bodies ==== */
static int f_inresp_status(hcall *c) {
  GET(r, hresp, 0, HK_IN_RESP);
  c->res->kind = WK_CABI_U16;
  c->res->of.u = r->status;
  return 0;
}
static int f_inresp_headers(hcall *c) {
  GET(r, hresp, 0, HK_IN_RESP);
  return new_immutable_headers(c, c->res, &r->headers);
}
static int f_inresp_consume(hcall *c) {
  GET(r, hresp, 0, HK_IN_RESP);
  if (r->consumed) return res_err(c, NULL);
  wk_cval *h = cv_new(c, 1);
  if (!h || new_inbody(c, h, r->in, NULL)) return h ? -1 : NOMEM(c);
  r->consumed = 1;
  return res_ok(c, h);
}
/* incoming-body.stream: "Returns the contents of the body, as a stream of
 * bytes. Returns success on first call: the stream representing the contents
 * can be retrieved at most once." */
static int f_inbody_stream(hcall *c) {
  GET(b, hinbody, 0, HK_IN_BODY);
  if (b->streamed) return res_err(c, NULL);
  wk_wasi_p2_buf *empty = NULL;
  if (!b->buf && !(b->buf = empty = wk_wasi_p2_buf_new(0))) return NOMEM(c);
  uint32_t rep;
  if (wk_wasi_p2_buf_stream(c->h->w, 0, b->buf, &rep)) return NOMEM(c);
  wk_cval *h = cv_new(c, 1);
  if (!h || cv_wasi_handle(c, h, "input-stream", rep)) return NOMEM(c);
  b->streamed = 1;
  return res_ok(c, h);
}
static int f_inbody_finish(hcall *c) {
  hinbody *b = res_take(c->h, REP(0), HK_IN_BODY);
  if (!b) return trap(c, "unknown incoming-body handle");
  hfuttr *t = calloc(1, sizeof *t);
  if (t) {
    t->trailers = b->trailers;
    b->trailers = NULL;
    if (b->live) { /* the body is still arriving: the trailers come at its end */
      t->live = b->buf;
      b->buf = NULL;
    }
  }
  obj_free(HK_IN_BODY, b);
  return cv_new_res(c, c->res, HK_FUT_TRAILERS, t);
}
static int ready_pollable(hcall *c) {
  uint32_t rep;
  if (wk_wasi_p2_ready_pollable(c->h->w, &rep)) return NOMEM(c);
  return cv_wasi_handle(c, c->res, "pollable", rep);
}
static int f_futtr_subscribe(hcall *c) {
  GET(t, hfuttr, 0, HK_FUT_TRAILERS);
  if (!t->live) return ready_pollable(c);
  uint32_t rep; /* ready once the streamed body has ended */
  if (wk_wasi_p2_buf_end_pollable(c->h->w, t->live, &rep)) return NOMEM(c);
  return cv_wasi_handle(c, c->res, "pollable", rep);
}
/* get: option<result<result<option<trailers>, error-code>>>: none while a
 * streamed request body is still arriving; some(ok(err(connection-
 * terminated))) when it failed; otherwise some(ok(ok(trailers))) (a body
 * held whole is complete when the guest asks); some(err) once taken. */
static int f_futtr_get(hcall *c) {
  GET(t, hfuttr, 0, HK_FUT_TRAILERS);
  wk_cval *v = cv_new(c, 4);
  if (!v) return NOMEM(c);
  if (t->live && !t->taken) {
    int st = wk_wasi_p2_buf_closed(t->live);
    if (st == 0) { /* still arriving: none yet */
      cv_var(c->res, WK_CABI_OPTION, 0, NULL);
      return 0;
    }
    if (st == 2) { /* the body failed (client gone, over the size limit) */
      t->taken = 1;
      if (error_code(c, &v[2], EC_CONNECTION_TERMINATED, NULL)) return -1;
      cv_var(&v[1], WK_CABI_RESULT, 1, &v[2]);
      cv_var(&v[0], WK_CABI_RESULT, 0, &v[1]);
      cv_var(c->res, WK_CABI_OPTION, 1, &v[0]);
      return 0;
    }
    size_t n = 0;
    const char *const *nm = NULL;
    const uint8_t *const *vs = NULL;
    const size_t *vl = NULL;
    if (c->h->trailers_fn && t->live == c->h->in_live) c->h->trailers_fn(c->h->env, &n, &nm, &vs, &vl);
    if (n) {
      if (!(t->trailers = calloc(1, sizeof *t->trailers))) return NOMEM(c);
      for (size_t i = 0; i < n; i++) {
        /* a field name that is not a token (RFC 9110 5.1) is left out, as the outgoing side's
         * on_header does: the request is under way (no 400 now), and a non-UTF-8 name lowered
         * as a WIT string would trap the guest */
        if (!is_token(nm[i], strlen(nm[i]))) continue;
        if (fields_add(t->trailers, nm[i], strlen(nm[i]), vs[i], vl[i])) return NOMEM(c);
      }
    }
  }
  if (t->taken) {
    cv_var(&v[0], WK_CABI_RESULT, 1, NULL);
  } else {
    t->taken = 1;
    if (t->trailers) {
      hfields *tr = t->trailers;
      t->trailers = NULL;
      tr->immutable = 1; /* as the headers of an incoming message */
      if (cv_new_res(c, &v[3], HK_FIELDS, tr)) return -1;
      cv_var(&v[2], WK_CABI_OPTION, 1, &v[3]);
    } else
      cv_var(&v[2], WK_CABI_OPTION, 0, NULL);
    cv_var(&v[1], WK_CABI_RESULT, 0, &v[2]);
    cv_var(&v[0], WK_CABI_RESULT, 0, &v[1]);
  }
  cv_var(c->res, WK_CABI_OPTION, 1, &v[0]);
  return 0;
}
/* outgoing-response constructor(headers): status 200 */
static int f_outresp_new(hcall *c) {
  hfields *f = res_take(c->h, REP(0), HK_FIELDS);
  if (!f) return trap(c, "unknown fields handle");
  hresp *r = calloc(1, sizeof *r);
  if (!r) {
    fields_free(f);
    return NOMEM(c);
  }
  r->headers = *f;
  r->headers.immutable = 0;
  free(f);
  r->status = 200;
  return cv_new_res(c, c->res, HK_OUT_RESP, r);
}
static int f_outresp_status(hcall *c) {
  GET(r, hresp, 0, HK_OUT_RESP);
  c->res->kind = WK_CABI_U16;
  c->res->of.u = r->status;
  return 0;
}
/* set-status-code: "Fails if the status-code given is not a valid http
 * status code" (100..=999, as the http crate) */
static int f_outresp_set_status(hcall *c) {
  GET(r, hresp, 0, HK_OUT_RESP);
  uint64_t s = c->a[1].of.u;
  if (s < 100 || s > 999) return res_err(c, NULL);
  r->status = (uint16_t)s;
  return res_ok(c, NULL);
}
static int f_outresp_headers(hcall *c) {
  GET(r, hresp, 0, HK_OUT_RESP);
  return new_immutable_headers(c, c->res, &r->headers);
}
static int f_outresp_body(hcall *c) {
  GET(r, hresp, 0, HK_OUT_RESP);
  return out_body(c, &r->out, &r->consumed);
}
/* outgoing-body.write: "Returns success on the first call: the output-stream
 * child can be retrieved at most once." */
static int f_outbody_write(hcall *c) {
  GET(b, hbody, 0, HK_OUT_BODY);
  if (b->streamed) return res_err(c, NULL);
  uint32_t rep;
  if (wk_wasi_p2_buf_stream(c->h->w, 1, b->buf, &rep)) return NOMEM(c);
  wk_cval *h = cv_new(c, 1);
  if (!h || cv_wasi_handle(c, h, "output-stream", rep)) return NOMEM(c);
  b->streamed = 1;
  return res_ok(c, h);
}
/* finish(this: own<outgoing-body>, trailers: option<own<trailers>>) */
static int f_outbody_finish(hcall *c) {
  hbody *b = res_take(c->h, REP(0), HK_OUT_BODY);
  if (!b) return trap(c, "unknown outgoing-body handle");
  b->finished = 1;
  if (c->a[1].of.var.disc == 1) {
    hfields *t = res_take(c->h, c->a[1].of.var.payload->of.handle.rep, HK_FIELDS);
    if (!t) {
      hbody_unref(b);
      return trap(c, "unknown trailers handle");
    }
    fields_free(b->trailers);
    b->trailers = t;
  }
  if (b == c->h->resp_body && c->h->event) { /* the response's body, maybe being sent: its end */
    wk_http_result(c->h);
    c->h->event(c->h->env, c->h, WK_HTTP_EV_BODY_END);
    wk_wasi_p2_buf_close(b->buf, 0);
  }
  hbody_unref(b);
  return res_ok(c, NULL);
}

/* ==== outgoing-handler ==== */
typedef struct curlsink {
  hresp *r;
  size_t limit;
  int over;
} curlsink;
static size_t on_header(char *p, size_t sz, size_t n, void *env) {
  curlsink *s = env;
  size_t len = sz * n, l = len;
  while (l && (p[l - 1] == '\n' || p[l - 1] == '\r')) l--;
  if (l >= 5 && !strncmp(p, "HTTP/", 5)) { /* a new status line (after 1xx): restart the headers */
    fields_clear(&s->r->headers);
    return len;
  }
  const char *colon = memchr(p, ':', l);
  if (!colon) return len;
  size_t nl = (size_t)(colon - p);
  const char *v = colon + 1;
  while (v < p + l && (*v == ' ' || *v == '\t')) v++;
  if (!is_token(p, nl) || is_forbidden(p, nl)) return len; /* hop-by-hop fields are not passed on */
  if (fields_add(&s->r->headers, p, nl, (const uint8_t *)v, (size_t)(p + l - v))) return 0;
  return len;
}
static size_t on_data(char *p, size_t sz, size_t n, void *env) {
  curlsink *s = env;
  size_t len = sz * n;
  wk_wasi_p2_buf *b = s->r->in;
  if (b->len + len > s->limit) {
    s->over = 1;
    return 0;
  }
  if (b->len + len > b->cap) {
    size_t nc = b->cap ? b->cap : 16384;
    while (nc < b->len + len) nc *= 2;
    uint8_t *nd = realloc(b->data, nc);
    if (!nd) return 0;
    b->data = nd;
    b->cap = nc;
  }
  memcpy(b->data + b->len, p, len);
  b->len += len;
  return len;
}

int wk_http_allow_check(const char *spec) {
  const char *port = NULL;
  if (!spec || !spec[0]) return WK_ERR_USAGE;
  if (spec[0] == '[') { /* IP-literal (RFC 3986 3.2.2) */
    const char *rb = strchr(spec, ']');
    if (!rb || rb == spec + 1) return WK_ERR_USAGE;
    if (rb[1] == ':') port = rb + 2;
    else if (rb[1]) return WK_ERR_USAGE;
  } else {
    const char *c = strrchr(spec, ':');
    if (c == spec || (c && strchr(spec, ':') != c)) return WK_ERR_USAGE; /* (an IPv6 address needs brackets) */
    if (c) port = c + 1;
    if (strpbrk(spec, "/?#@ []")) return WK_ERR_USAGE; /* an authority's host, not a URL or userinfo */
  }
  if (port) { /* port = *DIGIT (3.2.3); allowed() compares it as written, up to 5 digits */
    size_t n = strspn(port, "0123456789");
    if (!n || port[n] || n > 5 || strtoul(port, NULL, 10) > 65535) return WK_ERR_USAGE;
  }
  return WK_OK;
}

/* "host" or "host:port" allowed for authority (host[:port]) with the scheme's default port */
static int allowed(const wk_http *h, const char *auth, int https) {
  const char *host = auth, *colon = NULL;
  size_t hl;
  if (auth[0] == '[') { /* [v6]:port */
    const char *rb = strchr(auth, ']');
    if (!rb) return 0;
    hl = (size_t)(rb + 1 - auth);
    colon = rb[1] == ':' ? rb + 1 : NULL;
  } else {
    colon = strrchr(auth, ':');
    hl = colon ? (size_t)(colon - auth) : strlen(auth);
  }
  const char *port = colon ? colon + 1 : (https ? "443" : "80");
  if (!*port || strspn(port, "0123456789") != strlen(port) || strlen(port) > 5) return 0;
  for (size_t i = 0; i < h->cfg.nallow; i++) {
    const char *a = h->cfg.allow[i], *ac;
    size_t al;
    if (a[0] == '[') {
      const char *rb = strchr(a, ']');
      al = rb ? (size_t)(rb + 1 - a) : strlen(a);
      ac = rb && rb[1] == ':' ? rb + 1 : NULL;
    } else {
      ac = strrchr(a, ':');
      al = ac ? (size_t)(ac - a) : strlen(a);
    }
    if (al != hl || strncasecmp(a, host, hl)) continue;
    if (!ac || !strcmp(ac + 1, port)) return 1;
  }
  return 0;
}

/* handle(request: own<outgoing-request>, options: option<own<request-options>>)
 *   -> result<own<future-incoming-response>, error-code> */
static int f_out_handle(hcall *c) {
  hreq *q = res_take(c->h, REP(0), HK_OUT_REQ);
  if (!q) return trap(c, "unknown outgoing-request handle");
  hopts o = {{0}, {0}};
  if (c->a[1].of.var.disc == 1) {
    hopts *po = res_take(c->h, c->a[1].of.var.payload->of.handle.rep, HK_OPTS);
    if (!po) {
      hreq_free(q);
      return trap(c, "unknown request-options handle");
    }
    o = *po;
    free(po);
  }
  int https = q->scheme == S_HTTPS;
  if (!q->authority || !q->authority[0] || q->scheme == S_OTHER) {
    hreq_free(q);
    return err_code_result(c, EC_HTTP_REQUEST_URI_INVALID, NULL);
  }
  if (!allowed(c->h, q->authority, https)) {
    hreq_free(q);
    return err_code_result(c, EC_HTTP_REQUEST_DENIED, NULL);
  }
  hfutresp *f = calloc(1, sizeof *f);
  if (!f) {
    hreq_free(q);
    return NOMEM(c);
  }
  f->req = q;
  f->opts = o;
  wk_cval *h = cv_new(c, 1);
  if (!h) {
    obj_free(HK_FUT_RESP, f);
    return NOMEM(c);
  }
  if (cv_new_res(c, h, HK_FUT_RESP, f)) return -1;
  return res_ok(c, h);
}

/* Run the transfer of f (blocking). */
static void perform(wk_http *h, hfutresp *f) {
  hreq *q = f->req;
  hresp *r = NULL;
  CURL *cu = NULL;
  struct curl_slist *hl = NULL;
  char *url = NULL;
  f->state = 2;
  f->ec = EC_INTERNAL_ERROR;
  const char *lerr = NULL;
  const wk_curl_api *cl = wk_curl_load(&lerr);
  if (!cl) { /* no libcurl: internal-error with the loader's message, never a crash */
    f->ec_msg = strdup(lerr);
    goto out;
  }
  r = calloc(1, sizeof *r);
  cu = cl->easy_init();
  if (!r || !cu || !(r->in = wk_wasi_p2_buf_new(0))) goto out;
  const char *path = q->path ? q->path : "/";
  size_t ul = strlen(q->authority) + strlen(path) + 16;
  if (!(url = malloc(ul))) goto out;
  snprintf(url, ul, "%s://%s%s", q->scheme == S_HTTPS ? "https" : "http", q->authority, path);
  cl->easy_setopt(cu, CURLOPT_URL, url);
  cl->easy_setopt(cu, CURLOPT_PROTOCOLS_STR, "http,https");
  cl->easy_setopt(cu, CURLOPT_NOSIGNAL, 1L);
  cl->easy_setopt(cu, CURLOPT_FOLLOWLOCATION, 0L);
  const char *m = q->method == M_OTHER ? q->method_other : methods[q->method];
  if (q->method == 1) cl->easy_setopt(cu, CURLOPT_NOBODY, 1L);
  else cl->easy_setopt(cu, CURLOPT_CUSTOMREQUEST, m);
  for (size_t i = 0; i < q->headers.n; i++) {
    size_t n = strlen(q->headers.names[i]) + q->headers.vlens[i] + 4;
    char *line = malloc(n);
    if (!line) goto out;
    if (q->headers.vlens[i])
      snprintf(line, n, "%s: %.*s", q->headers.names[i], (int)q->headers.vlens[i], (const char *)q->headers.vals[i]);
    else
      snprintf(line, n, "%s;", q->headers.names[i]); /* curl's spelling of an empty value */
    struct curl_slist *nl = cl->slist_append(hl, line);
    free(line);
    if (!nl) goto out;
    hl = nl;
  }
  struct curl_slist *nl = cl->slist_append(hl, "Expect:");
  if (nl) hl = nl;
  cl->easy_setopt(cu, CURLOPT_HTTPHEADER, hl);
  if (q->out && (q->out->buf->len || q->method == 2 || q->method == 3)) {
    cl->easy_setopt(cu, CURLOPT_POSTFIELDS, (const char *)q->out->buf->data);
    cl->easy_setopt(cu, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)q->out->buf->len);
    if (q->method != 2) cl->easy_setopt(cu, CURLOPT_CUSTOMREQUEST, m);
  }
  /* the guest's timeouts (request-options) within the host's cap */
  uint64_t cap_ms = h->cfg.outbound_timeout_ms ? h->cfg.outbound_timeout_ms : 60000;
  if (f->opts.has[0]) {
    uint64_t ms = f->opts.ns[0] / 1000000 + 1;
    cl->easy_setopt(cu, CURLOPT_CONNECTTIMEOUT_MS, (long)(ms < cap_ms ? ms : cap_ms));
  }
  uint64_t total = cap_ms;
  if (f->opts.has[1] || f->opts.has[2]) {
    uint64_t ms = (f->opts.has[1] ? f->opts.ns[1] : f->opts.ns[2]) / 1000000 + 1;
    if (ms < total) total = ms;
  }
  cl->easy_setopt(cu, CURLOPT_TIMEOUT_MS, (long)total);
  curlsink s = {r, h->cfg.max_body, 0};
  cl->easy_setopt(cu, CURLOPT_HEADERFUNCTION, on_header);
  cl->easy_setopt(cu, CURLOPT_HEADERDATA, &s);
  cl->easy_setopt(cu, CURLOPT_WRITEFUNCTION, on_data);
  cl->easy_setopt(cu, CURLOPT_WRITEDATA, &s);
  CURLcode rc = cl->easy_perform(cu);
  if (rc == CURLE_OK) {
    long st = 0;
    cl->easy_getinfo(cu, CURLINFO_RESPONSE_CODE, &st);
    r->status = (uint16_t)st;
    f->state = 1;
    f->resp = r;
    r = NULL;
  } else {
    f->ec = s.over ? EC_HTTP_RESPONSE_BODY_SIZE
            : rc == CURLE_COULDNT_RESOLVE_HOST ? EC_DNS_ERROR
            : rc == CURLE_COULDNT_CONNECT ? EC_CONNECTION_REFUSED
            : rc == CURLE_OPERATION_TIMEDOUT ? EC_CONNECTION_TIMEOUT
            : rc == CURLE_SSL_CONNECT_ERROR ? EC_TLS_PROTOCOL_ERROR
            : rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR ? EC_CONNECTION_TERMINATED
            : rc == CURLE_PARTIAL_FILE ? EC_HTTP_RESPONSE_INCOMPLETE
            : EC_INTERNAL_ERROR;
    if (f->ec == EC_INTERNAL_ERROR) f->ec_msg = strdup(cl->easy_strerror(rc));
  }
out:
  hresp_free(r);
  free(url);
  if (cl) {
    cl->slist_free_all(hl);
    if (cu) cl->easy_cleanup(cu);
  }
  hreq_free(f->req);
  f->req = NULL;
}
/* ready to run: the body was never asked for, or it is finished */
static int can_perform(const hfutresp *f) { return f->req && (!f->req->out || f->req->out->finished); }

static int f_futresp_subscribe(hcall *c) {
  GET(f, hfutresp, 0, HK_FUT_RESP);
  if (can_perform(f)) perform(c->h, f);
  return ready_pollable(c);
}
/* get: option<result<result<own<incoming-response>, error-code>>> */
static int f_futresp_get(hcall *c) {
  GET(f, hfutresp, 0, HK_FUT_RESP);
  if (can_perform(f)) perform(c->h, f);
  if (f->req) { /* the request body is still being written */
    cv_var(c->res, WK_CABI_OPTION, 0, NULL);
    return 0;
  }
  wk_cval *v = cv_new(c, 3);
  if (!v) return NOMEM(c);
  if (f->state == 3) {
    cv_var(&v[0], WK_CABI_RESULT, 1, NULL);
  } else if (f->state == 1) {
    hresp *r = f->resp;
    f->resp = NULL;
    f->state = 3;
    if (cv_new_res(c, &v[2], HK_IN_RESP, r)) return -1;
    cv_var(&v[1], WK_CABI_RESULT, 0, &v[2]);
    cv_var(&v[0], WK_CABI_RESULT, 0, &v[1]);
  } else {
    f->state = 3;
    if (error_code(c, &v[2], f->ec, f->ec_msg)) return -1;
    cv_var(&v[1], WK_CABI_RESULT, 1, &v[2]);
    cv_var(&v[0], WK_CABI_RESULT, 0, &v[1]);
  }
  cv_var(c->res, WK_CABI_OPTION, 1, &v[0]);
  return 0;
}

/* ---- the table of functions ---- */
typedef int (*hfn)(hcall *c);
/* sig: one letter per parameter, checked (with nested payloads) before the
 * call, as wasi2.c does: the linker trusts the component's import type, so
 * a component declaring a wasi:http name with another type must get a trap,
 * not a host reading the wrong union member.
 *   h own/borrow   u integer   s string   b list<u8>   B list<list<u8>>
 *   L list<tuple<string, list<u8>>>   m method   S option<scheme>
 *   o option<string>   d option<u64>   H option<own>   R result<own, error-code> */
typedef struct hdef {
  const char *iface, *name, *sig;
  hfn fn;
} hdef;
#define T HTTP_IFACE
static const hdef defs[] = {
    {T, "http-error-code", "h", f_http_error_code},
    {T, "[constructor]fields", "", f_fields_new},
    {T, "[static]fields.from-list", "L", f_fields_from_list},
    {T, "[method]fields.get", "hs", f_fields_get},
    {T, "[method]fields.has", "hs", f_fields_has},
    {T, "[method]fields.set", "hsB", f_fields_set},
    {T, "[method]fields.delete", "hs", f_fields_delete},
    {T, "[method]fields.append", "hsb", f_fields_append},
    {T, "[method]fields.entries", "h", f_fields_entries},
    {T, "[method]fields.clone", "h", f_fields_clone},
    {T, "[method]incoming-request.method", "h", f_inreq_method},
    {T, "[method]incoming-request.path-with-query", "h", f_inreq_path},
    {T, "[method]incoming-request.scheme", "h", f_inreq_scheme},
    {T, "[method]incoming-request.authority", "h", f_inreq_authority},
    {T, "[method]incoming-request.headers", "h", f_inreq_headers},
    {T, "[method]incoming-request.consume", "h", f_inreq_consume},
    {T, "[constructor]outgoing-request", "h", f_outreq_new},
    {T, "[method]outgoing-request.body", "h", f_outreq_body},
    {T, "[method]outgoing-request.method", "h", f_outreq_method},
    {T, "[method]outgoing-request.set-method", "hm", f_outreq_set_method},
    {T, "[method]outgoing-request.path-with-query", "h", f_outreq_path},
    {T, "[method]outgoing-request.set-path-with-query", "ho", f_outreq_set_path},
    {T, "[method]outgoing-request.scheme", "h", f_outreq_scheme},
    {T, "[method]outgoing-request.set-scheme", "hS", f_outreq_set_scheme},
    {T, "[method]outgoing-request.authority", "h", f_outreq_authority},
    {T, "[method]outgoing-request.set-authority", "ho", f_outreq_set_authority},
    {T, "[method]outgoing-request.headers", "h", f_outreq_headers},
    {T, "[constructor]request-options", "", f_opts_new},
    {T, "[method]request-options.connect-timeout", "h", f_opts_ct},
    {T, "[method]request-options.set-connect-timeout", "hd", f_opts_set_ct},
    {T, "[method]request-options.first-byte-timeout", "h", f_opts_fb},
    {T, "[method]request-options.set-first-byte-timeout", "hd", f_opts_set_fb},
    {T, "[method]request-options.between-bytes-timeout", "h", f_opts_bb},
    {T, "[method]request-options.set-between-bytes-timeout", "hd", f_opts_set_bb},
    {T, "[method]response-outparam.send-informational", "huh", f_outparam_informational},
    {T, "[static]response-outparam.set", "hR", f_outparam_set},
    {T, "[method]incoming-response.status", "h", f_inresp_status},
    {T, "[method]incoming-response.headers", "h", f_inresp_headers},
    {T, "[method]incoming-response.consume", "h", f_inresp_consume},
    {T, "[method]incoming-body.stream", "h", f_inbody_stream},
    {T, "[static]incoming-body.finish", "h", f_inbody_finish},
    {T, "[method]future-trailers.subscribe", "h", f_futtr_subscribe},
    {T, "[method]future-trailers.get", "h", f_futtr_get},
    {T, "[constructor]outgoing-response", "h", f_outresp_new},
    {T, "[method]outgoing-response.status-code", "h", f_outresp_status},
    {T, "[method]outgoing-response.set-status-code", "hu", f_outresp_set_status},
    {T, "[method]outgoing-response.headers", "h", f_outresp_headers},
    {T, "[method]outgoing-response.body", "h", f_outresp_body},
    {T, "[method]outgoing-body.write", "h", f_outbody_write},
    {T, "[static]outgoing-body.finish", "hH", f_outbody_finish},
    {T, "[method]future-incoming-response.subscribe", "h", f_futresp_subscribe},
    {T, "[method]future-incoming-response.get", "h", f_futresp_get},
    {OUT_IFACE, "handle", "hH", f_out_handle},
};
#undef T
#define NDEFS (sizeof defs / sizeof defs[0])
size_t wk_http_func_count(void) { return NDEFS; }
void wk_http_func_name(size_t i, const char **iface, const char **name) {
  *iface = i < NDEFS ? defs[i].iface : NULL;
  *name = i < NDEFS ? defs[i].name : NULL;
}

typedef struct hbind {
  wk_http *h;
  const hdef *d;
} hbind;

static int is_handle(const wk_cval *v) { return v && (v->kind == WK_CABI_OWN || v->kind == WK_CABI_BORROW); }
static int is_str(const wk_cval *v) { return v && v->kind == WK_CABI_STRING; }
static int is_bytes(const wk_cval *v) {
  if (!v || v->kind != WK_CABI_LIST) return 0;
  for (uint32_t i = 0; i < v->of.seq.n; i++)
    if (v->of.seq.items[i].kind != WK_CABI_U8) return 0;
  return 1;
}
static int is_opt(const wk_cval *v, int (*payload)(const wk_cval *)) {
  if (!v || v->kind != WK_CABI_OPTION || v->of.var.disc > 1) return 0;
  return v->of.var.disc == 0 || payload(v->of.var.payload);
}
static int is_u64(const wk_cval *v) { return v && v->kind == WK_CABI_U64; }
static int is_other_str(const wk_cval *v, uint32_t other, uint32_t ncases) {
  if (!v || v->kind != WK_CABI_VARIANT || v->of.var.disc >= ncases) return 0;
  return v->of.var.disc != other || is_str(v->of.var.payload);
}
static int is_scheme(const wk_cval *v) { return is_other_str(v, S_OTHER, 3); }
/* an error-code from the guest: only its case and internal-error's option<string> are read */
static int is_error_code(const wk_cval *v) {
  if (!v || v->kind != WK_CABI_VARIANT || v->of.var.disc > EC_INTERNAL_ERROR) return 0;
  return v->of.var.disc != EC_INTERNAL_ERROR || !v->of.var.payload || is_opt(v->of.var.payload, is_str);
}
static int arg_ok(char sig, const wk_cval *v) {
  switch (sig) {
  case 'h': return is_handle(v);
  case 'u': return v->kind == WK_CABI_U8 || v->kind == WK_CABI_U16 || v->kind == WK_CABI_U32 || v->kind == WK_CABI_U64;
  case 's': return is_str(v);
  case 'b': return is_bytes(v);
  case 'B':
    if (v->kind != WK_CABI_LIST) return 0;
    for (uint32_t i = 0; i < v->of.seq.n; i++)
      if (!is_bytes(&v->of.seq.items[i])) return 0;
    return 1;
  case 'L':
    if (v->kind != WK_CABI_LIST) return 0;
    for (uint32_t i = 0; i < v->of.seq.n; i++) {
      const wk_cval *t = &v->of.seq.items[i];
      if (t->kind != WK_CABI_TUPLE || t->of.seq.n != 2 || !is_str(&t->of.seq.items[0]) || !is_bytes(&t->of.seq.items[1]))
        return 0;
    }
    return 1;
  case 'm': return is_other_str(v, M_OTHER, 10);
  case 'S': return is_opt(v, is_scheme);
  case 'o': return is_opt(v, is_str);
  case 'd': return is_opt(v, is_u64);
  case 'H': return is_opt(v, is_handle);
  case 'R':
    if (v->kind != WK_CABI_RESULT || v->of.var.disc > 1) return 0;
    return v->of.var.disc == 0 ? is_handle(v->of.var.payload) : is_error_code(v->of.var.payload);
  default: return 0;
  }
}

static int host_fn(wk_comp_ctx *ctx, void *env, const wk_cval *args, uint32_t nargs, wk_cval *result) {
  hbind *b = env;
  hcall c = {b->h, wk_comp_ctx_arena(ctx), args, nargs, result, 0};
  if (nargs != strlen(b->d->sig)) {
    trap(&c, "wrong number of arguments");
    return wk_comp_ctx_trap(ctx, b->h->trap);
  }
  for (uint32_t i = 0; i < nargs; i++)
    if (!arg_ok(b->d->sig[i], &args[i])) {
      snprintf(b->h->trap, sizeof b->h->trap, "wasi:http: %s: argument %u of the wrong type", b->d->name, i + 1);
      return wk_comp_ctx_trap(ctx, b->h->trap);
    }
  if (b->d->fn(&c) || c.trapped) return wk_comp_ctx_trap(ctx, b->h->trap);
  return WK_OK;
}

int wk_http_define(wk_comp_linker *l, wk_http *h, wk_error *err) {
  for (int k = 1; k < HK_COUNT; k++) {
    const wk_cabi_rtype *rt;
    int rc = wk_comp_linker_define_resource(l, HTTP_IFACE, hk_names[k], http_dtor, h, &rt, err);
    if (rc) return rc;
    h->rt[k] = rt;
  }
  if (!h->binds && !(h->binds = calloc(NDEFS, sizeof *h->binds))) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < NDEFS; i++) {
    h->binds[i].h = h;
    h->binds[i].d = &defs[i];
    int rc = wk_comp_linker_define_func(l, defs[i].iface, defs[i].name, host_fn, &h->binds[i], err);
    if (rc) return rc;
  }
  /* the WIT types of all of it (lib/wasi/wit world `http`, as wk_wasi_p2_define
   * declares its own): a component importing a wasi:http function or resource
   * with another type fails at instantiation, naming the import and what
   * differs, instead of reaching host_fn's per-call checks (those alone when
   * built without the WASI WIT: empty table, see wk_wasi_p2_define) */
  if (!wk_wasi_http_types_len) return WK_OK;
  return wk_comp_linker_declare_types_static(l, wk_wasi_http_types, wk_wasi_http_types_len, wk_wasi_http_type_hashes,
                                      wk_wasi_http_type_hashes_len, err);
}

/* ---- the incoming side ---- */
int wk_http_begin(wk_http *h, const wk_http_request *rq, wk_cval args[2], wk_error *err) {
  wk_http_reset(h);
  if (!is_token(rq->method, strlen(rq->method)))
    return wk_error_set(err, WK_ERR_USAGE, "the method is not a token");
  /* What the guest reads as WIT strings (incoming-request path-with-query, authority, fields'
   * names) must be Unicode, or lowering them traps the guest on a client's bytes: a request
   * that breaks these HTTP rules is the client's error (as hyper answers 400 for wasmtime serve) */
  if (rq->path_with_query && !is_vchars(rq->path_with_query, strlen(rq->path_with_query)))
    return wk_error_set(err, WK_ERR_USAGE, "the request target has a byte that is not visible ASCII (RFC 9112 3.2)");
  if (rq->authority && !is_vchars(rq->authority, strlen(rq->authority)))
    return wk_error_set(err, WK_ERR_USAGE, "the Host authority has a byte that is not visible ASCII (RFC 3986 3.2)");
  for (size_t i = 0; i < rq->nheaders; i++)
    if (!is_token(rq->names[i], strlen(rq->names[i])))
      return wk_error_set(err, WK_ERR_USAGE, "a header field name is not a token (RFC 9110 5.1)");
  for (size_t i = 0; i < rq->ntrailers; i++)
    if (!is_token(rq->tnames[i], strlen(rq->tnames[i])))
      return wk_error_set(err, WK_ERR_USAGE, "a trailer field name is not a token (RFC 9110 5.1)");
  hreq *q = calloc(1, sizeof *q);
  void *op = calloc(1, 1);
  if (!q || !op) goto nomem;
  q->method = M_OTHER;
  for (int i = 0; i < 9; i++)
    if (!strcmp(rq->method, methods[i])) q->method = i;
  if (q->method == M_OTHER && !(q->method_other = strdup(rq->method))) goto nomem;
  if (rq->path_with_query && !(q->path = strdup(rq->path_with_query))) goto nomem;
  q->scheme = !rq->scheme ? S_NONE : !strcasecmp(rq->scheme, "http") ? S_HTTP : !strcasecmp(rq->scheme, "https") ? S_HTTPS : S_OTHER;
  if (q->scheme == S_OTHER && !(q->scheme_other = strdup(rq->scheme))) goto nomem;
  if (rq->authority && !(q->authority = strdup(rq->authority))) goto nomem;
  for (size_t i = 0; i < rq->nheaders; i++)
    if (fields_add(&q->headers, rq->names[i], strlen(rq->names[i]), rq->values[i], rq->vlens[i])) goto nomem;
  q->headers.immutable = 1;
  if (rq->ntrailers) {
    if (!(q->trailers = calloc(1, sizeof *q->trailers))) goto nomem;
    for (size_t i = 0; i < rq->ntrailers; i++)
      if (fields_add(q->trailers, rq->tnames[i], strlen(rq->tnames[i]), rq->tvalues[i], rq->tvlens[i])) goto nomem;
  }
  if (rq->body_buf) { /* streamed: the server fills it while the handler runs */
    q->in = rq->body_buf;
    __atomic_add_fetch(&q->in->refs, 2, __ATOMIC_RELAXED); /* q->in and h->in_live */
    h->in_live = rq->body_buf;
    h->trailers_fn = rq->trailers;
  } else if (!(q->in = wk_wasi_p2_buf_new(0))) goto nomem;
  h->event = rq->event;
  h->env = rq->env;
  if (!rq->body_buf && rq->body_len) {
    if (!(q->in->data = malloc(rq->body_len))) goto nomem;
    memcpy(q->in->data, rq->body, rq->body_len);
    q->in->len = q->in->cap = rq->body_len;
  }
  uint32_t r1 = res_new(h, HK_IN_REQ, q);
  if (!r1) goto nomem;
  q = NULL;
  uint32_t r2 = res_new(h, HK_OUTPARAM, op);
  if (!r2) goto nomem;
  memset(args, 0, 2 * sizeof *args);
  args[0].kind = WK_CABI_OWN;
  args[0].of.handle.rt = h->rt[HK_IN_REQ];
  args[0].of.handle.rep = r1;
  args[1].kind = WK_CABI_OWN;
  args[1].of.handle.rt = h->rt[HK_OUTPARAM];
  args[1].of.handle.rep = r2;
  return WK_OK;
nomem:
  hreq_free(q);
  free(op);
  wk_http_reset(h);
  return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
}
