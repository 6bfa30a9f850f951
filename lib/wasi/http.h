/*
 * lib/wasi/http.h — the wasi:http 0.2 host: wasi:http/types,
 * wasi:http/incoming-handler (the host calls the guest's export) and
 * wasi:http/outgoing-handler (outbound requests through libcurl).
 *
 * Spec: the wasi-http WIT jco ships (scripts/npm/node_modules/
 * @bytecodealliance/jco/lib/wit/builtin/0.2.12/wasi-http/package.wit).
 * Functions are defined at WK_WASI_P2_VERSION; lib/component matches every
 * 0.2.x import to them semver-compatibly (0.2.0 .. 0.2.12 only add @since
 * items).
 *
 * Resources (fields, incoming-request, outgoing-request, request-options,
 * response-outparam, incoming-response, incoming-body, future-trailers,
 * outgoing-response, outgoing-body, future-incoming-response) are host
 * resources in a table of the wk_http context (rep = index + 1). Bodies are
 * the WASI 0.2 host's own wasi:io streams over host buffers (wasi2.h
 * wk_wasi_p2_buf): one stream implementation for files, stdio and HTTP.
 *
 * Rules from the WIT this host enforces:
 *   fields: a name must be an RFC 9110 token and a value must not hold
 *     control characters other than HTAB (header-error.invalid-syntax); the
 *     hop-by-hop names wasmtime forbids (connection, keep-alive,
 *     proxy-authenticate, proxy-authorization, proxy-connection, te,
 *     transfer-encoding, upgrade, http2-settings) give header-error.forbidden;
 *     the headers of a request or response (`headers()`, from-list is
 *     mutable) are immutable: set/append/delete give header-error.immutable.
 *     Names are kept lower-case (as wasmtime's http crate does).
 *   consume / body / stream / write succeed once per resource (then err).
 *   future-trailers.get / future-incoming-response.get give some(err) on a
 *     second call after the value was taken; incoming trailers are immutable.
 *   outgoing-handler.handle: the request's authority must be allowed
 *     (wk_http_config.allow: "host" = any port, "host:port"); otherwise
 *     error-code.HTTP-request-denied. The transfer runs (blocking, in
 *     future-incoming-response.get/subscribe) once the request body is
 *     finished (or was never asked for); redirects are not followed.
 *
 * Threads: a wk_http is used by one thread at a time (with its wk_wasi).
 * libcurl is loaded (and globally initialised) on the first transfer, once
 * per process (wasi/curl_lib.h); when it cannot be loaded the request fails
 * with error-code.internal-error("cannot load libcurl.so.4: ...").
 */
#ifndef WK_WASI_HTTP_H
#define WK_WASI_HTTP_H
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "canonabi/value.h"
#include "wasi/wasi.h"
#include "wasi/wasi2.h"

typedef struct wk_http wk_http;

typedef struct wk_http_config {
  const char *const *allow; /* allowed outbound authorities: "host" or "host:port" */
  size_t nallow;
  size_t max_body;          /* limit of an outgoing-response body and of an outbound response body (bytes; 0: 64 MiB) */
  uint64_t outbound_timeout_ms; /* cap on one outbound transfer (0: 60 s); request-options may only shorten it */
} wk_http_config;

/* Whether `spec` can be an allowed outbound authority (wk_http_config.allow, wrun's
 * --allow-outbound): a host name or IPv4 address, or a bracketed IPv6 address, then optionally
 * ':' and a port of 1 to 5 digits up to 65535 (RFC 3986 3.2.2 host, 3.2.3 port; no userinfo,
 * path, query or fragment, no unbracketed IPv6). Returns 0 when it is, WK_ERR_USAGE when not
 * (`spec` NULL or empty included). Pure: reads `spec` only. */
int wk_http_allow_check(const char *spec);

/* A context over the WASI 0.2 context `w` (its streams carry the bodies);
 * `cfg` is copied (the allow strings are not: they must outlive h). NULL on
 * OOM. */
wk_http *wk_http_new(wk_wasi *w, const wk_http_config *cfg);
void wk_http_free(wk_http *h);

/* Define every wasi:http/types and wasi:http/outgoing-handler function and
 * resource into `l` (call wk_wasi_p2_define(l, w) first: the http types use
 * its streams and pollables), and declare their WASI 0.2.12 WIT types
 * (wk_comp_linker_declare_types), so wk_comp_instantiate refuses a component
 * whose wasi:http import has another type (WK_ERR_LINK naming the import and
 * what differs). Errors: the linker's, WK_ERR_NOMEM. */
int wk_http_define(wk_comp_linker *l, wk_http *h, wk_error *err);

/* One incoming request, as the server parsed it. Strings NUL-terminated;
 * header values are bytes (vlen). Copied by wk_http_begin. */
typedef struct wk_http_request {
  const char *method;          /* "GET", ... or any token */
  const char *path_with_query; /* "/a?b" */
  const char *scheme;          /* "http" */
  const char *authority;       /* the Host header, or NULL */
  size_t nheaders;
  const char *const *names;
  const uint8_t *const *values;
  const size_t *vlens;
  const uint8_t *body;         /* the whole request body (when body_buf is NULL) */
  size_t body_len;
  size_t ntrailers;            /* trailer fields after a chunked body (incoming-body's future-trailers) */
  const char *const *tnames;
  const uint8_t *const *tvalues;
  const size_t *tvlens;
  /* Streaming (wrun serve): the body as a live input buffer (wasi2.h
   * wk_wasi_p2_buf_live, output 0) that the server fills while the handler
   * runs and closes at its end (closed with an error: the body failed);
   * wk_http_begin takes a reference. `trailers` is then called (on the
   * guest's thread) once body_buf is closed normally, to fetch the trailer
   * fields (same layout as above; 0 of them: none). */
  wk_wasi_p2_buf *body_buf;
  void (*trailers)(void *env, size_t *n, const char *const **names, const uint8_t *const **values,
                   const size_t **vlens);
  /* Events of this request, on the guest's thread while the handler runs
   * (wk_http_result(h) is up to date inside the call); NULL: none, and
   * send-informational answers internal-error. Returns 0, or -1 to refuse
   * (WK_HTTP_EV_INFORMATIONAL only: internal-error). */
  int (*event)(void *env, wk_http *h, int ev);
  void *env;
} wk_http_request;

enum {
  WK_HTTP_EV_RESPONSE = 1, /* response-outparam.set with a response: status, headers, body_buf are set */
  WK_HTTP_EV_BODY_END,     /* that response's outgoing-body.finish: trailers are set; body_buf is closed after */
  WK_HTTP_EV_INFORMATIONAL /* send-informational: info_status and info_* headers (valid during the call) */
};

/*
 * Make the incoming-request and response-outparam of request `rq`: args[0]
 * and args[1] become own handles to pass to
 * wasi:http/incoming-handler#handle. A request still recorded is dropped
 * first. WK_ERR_NOMEM; WK_ERR_USAGE for a request that breaks HTTP's rules (a method or a
 * header/trailer field name that is not a token, a request target or authority with a byte
 * that is not visible ASCII): the client's error, a 400 for a server.
 */
int wk_http_begin(wk_http *h, const wk_http_request *rq, wk_cval args[2], wk_error *err);

/* What the guest passed to response-outparam.set (after the handler
 * returned). `state`: 0 never set, 1 a response, 2 an error-code. */
typedef struct wk_http_response {
  int state;
  uint16_t status;
  size_t nheaders;
  char **names;                /* lower-case */
  uint8_t **values;
  size_t *vlens;
  const uint8_t *body;         /* what was written to the body stream */
  size_t body_len;
  int body_finished;           /* outgoing-body.finish was called (or no body was asked for) */
  size_t ntrailers;
  char **tnames;
  uint8_t **tvalues;
  size_t *tvlens;
  char error[160];             /* state 2: the error-code's case name (and message) */
  /* the response body's buffer (NULL: no body was asked for); the server
   * may make it live (wk_wasi_p2_buf_live, output 1) in WK_HTTP_EV_RESPONSE
   * to send it while the guest writes; http closes it at finish */
  wk_wasi_p2_buf *body_buf;
  uint16_t info_status;        /* WK_HTTP_EV_INFORMATIONAL: a 1xx status (never 101) */
  size_t ninfo;
  char *const *info_names;
  uint8_t *const *info_values;
  const size_t *info_vlens;
} wk_http_response;
const wk_http_response *wk_http_result(wk_http *h);

/* Free every http resource and the recorded response (between requests). */
void wk_http_reset(wk_http *h);

/* Number of host functions wk_http_define defines, and the i-th one's
 * interface (with its version, "wasi:http/types@0.2.12") and name; NULLs past
 * the end (for tests). */
size_t wk_http_func_count(void);
void wk_http_func_name(size_t i, const char **iface, const char **name);

#endif
