/*
 * A wasi:http/proxy handler in C (bindings: wit-gen c of wasi:http@0.2.12
 * proxy), used by tests/http/suite-serve.sh. Routes:
 *   /hello               200 "hello from wasi:http\n" (content-type text/plain)
 *   /echo                the request body back; x-method, x-body-length, x-path,
 *                        x-trailers (the request's trailers, name=value;...)
 *   /headers             the request headers as "name: value" lines
 *   /fields              checks of the fields rules; x-fields-check: ok or what failed
 *   /status/NNN          status NNN, empty body
 *   /big?n=N             N bytes of 'a'..'z' (written in 64 KiB pieces)
 *   /trailers            body "with trailers\n" and trailer x-checksum: 42
 *   /nobody              a response whose body was never asked for
 *   /error               response-outparam.set with an error-code
 *   /trap                unreachable
 *   /loop                loops forever (fuel / timeout)
 *   /sleep               blocks on a 60 s monotonic-clock pollable (timeout in a host call)
 *   /fetch?AUTHORITY/PATH  GET http://AUTHORITY/PATH through outgoing-handler:
 *                        the upstream status and body, or 502 "error-code N"
 *   /stream-echo         sets the response first, then echoes each piece of the
 *                        body as it reads it; trailers x-bytes and x-gap-ms (ms
 *                        from the first piece read to the body's end)
 *   /stream-out          "part1\n", then 1 s on a clock pollable, then "part2\n"
 *   /early               (built with -DHANDLER_INFORMATIONAL only: wit-gen
 *                        --features informational-outbound-responses)
 *                        send-informational 103 with a link header, then 200 and
 *                        "e200=N e101=N\n": the error-code cases of a 200 and a 101
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handler.h"

typedef wasi_http_types_own_fields_t fields_t;

static void str(handler_string_t *s, const char *c) { handler_string_set(s, c); }

static int fields_append(wasi_http_types_borrow_fields_t f, const char *n, const char *v,
                         wasi_http_types_header_error_t *e) {
  handler_string_t name;
  str(&name, n);
  wasi_http_types_field_value_t val = {(uint8_t *)v, strlen(v)};
  return wasi_http_types_method_fields_append(f, &name, &val, e);
}

/* Send status, headers (n pairs), body (len bytes) and optional trailers. */
static void respond(wasi_http_types_own_response_outparam_t out, int status, const char **hdrs, int nh,
                    const char *body, size_t len, const char *trailer) {
  fields_t h = wasi_http_types_constructor_fields();
  wasi_http_types_header_error_t he;
  for (int i = 0; i < nh; i++) fields_append(wasi_http_types_borrow_fields(h), hdrs[2 * i], hdrs[2 * i + 1], &he);
  wasi_http_types_own_outgoing_response_t r = wasi_http_types_constructor_outgoing_response(h);
  wasi_http_types_method_outgoing_response_set_status_code(wasi_http_types_borrow_outgoing_response(r), (uint16_t)status);
  wasi_http_types_own_outgoing_body_t b;
  int has_body = body != NULL;
  if (has_body) wasi_http_types_method_outgoing_response_body(wasi_http_types_borrow_outgoing_response(r), &b);
  wasi_http_types_result_own_outgoing_response_error_code_t res = {.is_err = false, .val.ok = r};
  wasi_http_types_static_response_outparam_set(out, &res);
  if (!has_body) return;
  wasi_http_types_own_output_stream_t s;
  if (!wasi_http_types_method_outgoing_body_write(wasi_http_types_borrow_outgoing_body(b), &s)) abort();
  size_t off = 0;
  while (off < len) { /* blocking-write-and-flush takes at most 4096 bytes per call */
    size_t k = len - off > 4096 ? 4096 : len - off;
    handler_list_u8_t l = {(uint8_t *)body + off, k};
    wasi_io_streams_stream_error_t se;
    if (!wasi_io_streams_method_output_stream_blocking_write_and_flush(wasi_io_streams_borrow_output_stream(s), &l, &se))
      abort();
    off += k;
  }
  wasi_io_streams_output_stream_drop_own(s);
  wasi_http_types_own_trailers_t t;
  int has_t = trailer != NULL;
  if (has_t) {
    t = wasi_http_types_constructor_fields();
    fields_append(wasi_http_types_borrow_fields(t), "x-checksum", trailer, &he);
  }
  wasi_http_types_error_code_t ec;
  if (!wasi_http_types_static_outgoing_body_finish(b, has_t ? &t : NULL, &ec)) abort();
}

/* read the whole incoming body; its trailers as "name=value;..." into tr */
static char *read_body(wasi_http_types_borrow_incoming_request_t req, size_t *len, char *tr, size_t trcap) {
  tr[0] = 0;
  wasi_http_types_own_incoming_body_t ib;
  *len = 0;
  char *buf = malloc(1);
  if (!wasi_http_types_method_incoming_request_consume(req, &ib)) return buf;
  wasi_http_types_own_input_stream_t in;
  if (!wasi_http_types_method_incoming_body_stream(wasi_http_types_borrow_incoming_body(ib), &in)) abort();
  for (;;) {
    handler_list_u8_t chunk;
    wasi_io_streams_stream_error_t se;
    if (!wasi_io_streams_method_input_stream_blocking_read(wasi_io_streams_borrow_input_stream(in), 65536, &chunk, &se))
      break;
    buf = realloc(buf, *len + chunk.len + 1);
    memcpy(buf + *len, chunk.ptr, chunk.len);
    *len += chunk.len;
    handler_list_u8_free(&chunk);
  }
  wasi_io_streams_input_stream_drop_own(in);
  wasi_http_types_own_future_trailers_t ft = wasi_http_types_static_incoming_body_finish(ib);
  wasi_http_types_result_result_option_own_trailers_error_code_void_t got;
  if (wasi_http_types_method_future_trailers_get(wasi_http_types_borrow_future_trailers(ft), &got) && !got.is_err &&
      !got.val.ok.is_err && got.val.ok.val.ok.is_some) {
    fields_t t = got.val.ok.val.ok.val;
    wasi_http_types_list_tuple2_field_name_field_value_t es;
    wasi_http_types_method_fields_entries(wasi_http_types_borrow_fields(t), &es);
    size_t off = 0;
    for (size_t i = 0; i < es.len && off < trcap; i++)
      off += (size_t)snprintf(tr + off, trcap - off, "%.*s=%.*s;", (int)es.ptr[i].f0.len, (const char *)es.ptr[i].f0.ptr,
                              (int)es.ptr[i].f1.len, (const char *)es.ptr[i].f1.ptr);
    wasi_http_types_header_error_t he; /* incoming trailers are immutable */
    if (fields_append(wasi_http_types_borrow_fields(t), "x-more", "1", &he) || he.tag != WASI_HTTP_TYPES_HEADER_ERROR_IMMUTABLE)
      snprintf(tr, trcap, "mutable!");
    wasi_http_types_fields_drop_own(t);
  }
  wasi_http_types_future_trailers_drop_own(ft);
  return buf;
}

static const char *method_name(wasi_http_types_method_t *m) {
  static const char *n[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};
  static char other[64];
  if (m->tag < 9) return n[m->tag];
  snprintf(other, sizeof other, "%.*s", (int)m->val.other.len, (const char *)m->val.other.ptr);
  return other;
}

static void do_fields(wasi_http_types_borrow_incoming_request_t req, wasi_http_types_own_response_outparam_t out) {
  const char *fail = "ok";
  wasi_http_types_header_error_t he;
  fields_t f = wasi_http_types_constructor_fields();
  wasi_http_types_borrow_fields_t bf = wasi_http_types_borrow_fields(f);
  if (!fields_append(bf, "X-A", "1", &he)) fail = "append";
  else if (!fields_append(bf, "x-a", "2", &he)) fail = "append2";
  else if (fields_append(bf, "connection", "close", &he) || he.tag != WASI_HTTP_TYPES_HEADER_ERROR_FORBIDDEN)
    fail = "forbidden";
  else if (fields_append(bf, "bad name", "v", &he) || he.tag != WASI_HTTP_TYPES_HEADER_ERROR_INVALID_SYNTAX)
    fail = "syntax-name";
  else if (fields_append(bf, "x-b", "a\r\nb", &he) || he.tag != WASI_HTTP_TYPES_HEADER_ERROR_INVALID_SYNTAX)
    fail = "syntax-value";
  if (!strcmp(fail, "ok")) {
    handler_string_t n;
    str(&n, "X-a");
    wasi_http_types_list_field_value_t vals;
    wasi_http_types_method_fields_get(bf, &n, &vals);
    if (vals.len != 2 || vals.ptr[1].len != 1 || vals.ptr[1].ptr[0] != '2') fail = "get";
    else if (!wasi_http_types_method_fields_has(bf, &n)) fail = "has";
    else if (!wasi_http_types_method_fields_delete(bf, &n, &he) || wasi_http_types_method_fields_has(bf, &n))
      fail = "delete";
  }
  if (!strcmp(fail, "ok")) { /* the request's headers are immutable */
    fields_t rh = wasi_http_types_method_incoming_request_headers(req);
    if (fields_append(wasi_http_types_borrow_fields(rh), "x-new", "1", &he) ||
        he.tag != WASI_HTTP_TYPES_HEADER_ERROR_IMMUTABLE)
      fail = "immutable";
    fields_t cl = wasi_http_types_method_fields_clone(wasi_http_types_borrow_fields(rh)); /* a clone is mutable */
    if (!strcmp(fail, "ok") && !fields_append(wasi_http_types_borrow_fields(cl), "x-new", "1", &he)) fail = "clone";
    wasi_http_types_fields_drop_own(cl);
    wasi_http_types_fields_drop_own(rh);
  }
  if (!strcmp(fail, "ok")) { /* from-list checks too */
    wasi_http_types_tuple2_field_name_field_value_t e[1];
    str(&e[0].f0, "te");
    e[0].f1 = (wasi_http_types_field_value_t){(uint8_t *)"x", 1};
    wasi_http_types_list_tuple2_field_name_field_value_t l = {e, 1};
    fields_t r;
    if (wasi_http_types_static_fields_from_list(&l, &r, &he) || he.tag != WASI_HTTP_TYPES_HEADER_ERROR_FORBIDDEN)
      fail = "from-list";
  }
  wasi_http_types_fields_drop_own(f);
  const char *h[] = {"x-fields-check", fail};
  respond(out, 200, h, 1, fail, strlen(fail), NULL);
}

static void do_fetch(const char *target, wasi_http_types_own_response_outparam_t out) {
  const char *slash = strchr(target, '/');
  char auth[256];
  size_t al = slash ? (size_t)(slash - target) : strlen(target);
  if (al >= sizeof auth) al = sizeof auth - 1;
  memcpy(auth, target, al);
  auth[al] = 0;
  wasi_http_types_own_outgoing_request_t rq = wasi_http_types_constructor_outgoing_request(wasi_http_types_constructor_fields());
  wasi_http_types_borrow_outgoing_request_t b = wasi_http_types_borrow_outgoing_request(rq);
  wasi_http_types_scheme_t sch = {.tag = WASI_HTTP_TYPES_SCHEME_HTTP};
  wasi_http_types_method_outgoing_request_set_scheme(b, &sch);
  handler_string_t a, p;
  str(&a, auth);
  str(&p, slash ? slash : "/");
  wasi_http_types_method_outgoing_request_set_authority(b, &a);
  wasi_http_types_method_outgoing_request_set_path_with_query(b, &p);
  wasi_http_outgoing_handler_own_future_incoming_response_t fut;
  wasi_http_outgoing_handler_error_code_t ec;
  char msg[64];
  if (!wasi_http_outgoing_handler_handle(rq, NULL, &fut, &ec)) {
    snprintf(msg, sizeof msg, "error-code %d\n", ec.tag);
    respond(out, 502, NULL, 0, msg, strlen(msg), NULL);
    return;
  }
  wasi_http_types_result_result_own_incoming_response_error_code_void_t got;
  wasi_http_types_borrow_future_incoming_response_t bf = wasi_http_types_borrow_future_incoming_response(fut);
  for (int tries = 0; !wasi_http_types_method_future_incoming_response_get(bf, &got) && tries < 1000; tries++) {
    wasi_http_types_own_pollable_t pl = wasi_http_types_method_future_incoming_response_subscribe(bf);
    wasi_io_poll_method_pollable_block(wasi_io_poll_borrow_pollable(pl));
    wasi_io_poll_pollable_drop_own(pl);
  }
  if (got.is_err || got.val.ok.is_err) {
    snprintf(msg, sizeof msg, "error-code %d\n", got.is_err ? -1 : got.val.ok.val.err.tag);
    respond(out, 502, NULL, 0, msg, strlen(msg), NULL);
    return;
  }
  wasi_http_types_own_incoming_response_t resp = got.val.ok.val.ok;
  wasi_http_types_borrow_incoming_response_t br = wasi_http_types_borrow_incoming_response(resp);
  int status = wasi_http_types_method_incoming_response_status(br);
  wasi_http_types_own_incoming_body_t ib;
  size_t len = 0;
  char *buf = malloc(1);
  if (wasi_http_types_method_incoming_response_consume(br, &ib)) {
    wasi_http_types_own_input_stream_t in;
    wasi_http_types_method_incoming_body_stream(wasi_http_types_borrow_incoming_body(ib), &in);
    for (;;) {
      handler_list_u8_t chunk;
      wasi_io_streams_stream_error_t se;
      if (!wasi_io_streams_method_input_stream_blocking_read(wasi_io_streams_borrow_input_stream(in), 65536, &chunk, &se))
        break;
      buf = realloc(buf, len + chunk.len + 1);
      memcpy(buf + len, chunk.ptr, chunk.len);
      len += chunk.len;
      handler_list_u8_free(&chunk);
    }
    wasi_io_streams_input_stream_drop_own(in);
    wasi_http_types_future_trailers_drop_own(wasi_http_types_static_incoming_body_finish(ib));
  }
  wasi_http_types_incoming_response_drop_own(resp);
  wasi_http_types_future_incoming_response_drop_own(fut);
  const char *h[] = {"x-upstream", "yes"};
  respond(out, status, h, 1, buf, len, NULL);
  free(buf);
}

static wasi_io_streams_own_output_stream_t start_stream(wasi_http_types_own_response_outparam_t out,
                                                      wasi_http_types_own_outgoing_body_t *b) {
  fields_t h = wasi_http_types_constructor_fields();
  wasi_http_types_own_outgoing_response_t r = wasi_http_types_constructor_outgoing_response(h);
  if (!wasi_http_types_method_outgoing_response_body(wasi_http_types_borrow_outgoing_response(r), b)) abort();
  wasi_http_types_result_own_outgoing_response_error_code_t res = {.is_err = false, .val.ok = r};
  wasi_http_types_static_response_outparam_set(out, &res);
  wasi_io_streams_own_output_stream_t s;
  if (!wasi_http_types_method_outgoing_body_write(wasi_http_types_borrow_outgoing_body(*b), &s)) abort();
  return s;
}
static void put(wasi_io_streams_own_output_stream_t s, const uint8_t *p, size_t n) {
  while (n) {
    size_t k = n > 4096 ? 4096 : n;
    handler_list_u8_t l = {(uint8_t *)p, k};
    wasi_io_streams_stream_error_t se;
    if (!wasi_io_streams_method_output_stream_blocking_write_and_flush(wasi_io_streams_borrow_output_stream(s), &l, &se))
      abort();
    p += k;
    n -= k;
  }
}
static void finish(wasi_http_types_own_outgoing_body_t b, wasi_io_streams_own_output_stream_t s, const char **tr,
                   int ntr) {
  wasi_io_streams_output_stream_drop_own(s);
  wasi_http_types_own_trailers_t t = wasi_http_types_constructor_fields();
  wasi_http_types_header_error_t he;
  for (int i = 0; i < ntr; i++) fields_append(wasi_http_types_borrow_fields(t), tr[2 * i], tr[2 * i + 1], &he);
  wasi_http_types_error_code_t ec;
  if (!wasi_http_types_static_outgoing_body_finish(b, ntr ? &t : NULL, &ec)) abort();
  if (!ntr) wasi_http_types_fields_drop_own(t);
}
static void do_stream_echo(wasi_http_types_borrow_incoming_request_t req, wasi_http_types_own_response_outparam_t out) {
  wasi_http_types_own_outgoing_body_t b;
  wasi_io_streams_own_output_stream_t s = start_stream(out, &b);
  wasi_http_types_own_incoming_body_t ib;
  uint64_t first = 0, end, total = 0;
  if (wasi_http_types_method_incoming_request_consume(req, &ib)) {
    wasi_http_types_own_input_stream_t in;
    if (!wasi_http_types_method_incoming_body_stream(wasi_http_types_borrow_incoming_body(ib), &in)) abort();
    for (;;) {
      handler_list_u8_t chunk;
      wasi_io_streams_stream_error_t se;
      if (!wasi_io_streams_method_input_stream_blocking_read(wasi_io_streams_borrow_input_stream(in), 65536, &chunk, &se))
        break;
      if (chunk.len && !first) first = wasi_clocks_monotonic_clock_now();
      total += chunk.len;
      put(s, chunk.ptr, chunk.len);
      handler_list_u8_free(&chunk);
    }
    wasi_io_streams_input_stream_drop_own(in);
    wasi_http_types_future_trailers_drop_own(wasi_http_types_static_incoming_body_finish(ib));
  }
  end = wasi_clocks_monotonic_clock_now();
  char bytes[32], gap[32];
  snprintf(bytes, sizeof bytes, "%llu", (unsigned long long)total);
  snprintf(gap, sizeof gap, "%llu", (unsigned long long)(first ? (end - first) / 1000000 : 0));
  const char *tr[] = {"x-bytes", bytes, "x-gap-ms", gap};
  finish(b, s, tr, 2);
}
static void do_stream_out(wasi_http_types_own_response_outparam_t out) {
  wasi_http_types_own_outgoing_body_t b;
  wasi_io_streams_own_output_stream_t s = start_stream(out, &b);
  put(s, (const uint8_t *)"part1\n", 6);
  wasi_io_poll_own_pollable_t p = wasi_clocks_monotonic_clock_subscribe_duration(1000000000ull);
  wasi_io_poll_method_pollable_block(wasi_io_poll_borrow_pollable(p));
  wasi_io_poll_pollable_drop_own(p);
  put(s, (const uint8_t *)"part2\n", 6);
  finish(b, s, NULL, 0);
}
#ifdef HANDLER_INFORMATIONAL
static int informational(wasi_http_types_own_response_outparam_t out, int status, const char *name, const char *value) {
  fields_t h = wasi_http_types_constructor_fields();
  wasi_http_types_header_error_t he;
  if (name) fields_append(wasi_http_types_borrow_fields(h), name, value, &he);
  wasi_http_types_error_code_t ec;
  if (wasi_http_types_method_response_outparam_send_informational(wasi_http_types_borrow_response_outparam(out),
                                                                  (uint16_t)status, h, &ec))
    return -1;
  return ec.tag;
}
#endif

void exports_wasi_http_incoming_handler_handle(exports_wasi_http_incoming_handler_own_incoming_request_t request,
                                               exports_wasi_http_incoming_handler_own_response_outparam_t out) {
  wasi_http_types_borrow_incoming_request_t req = wasi_http_types_borrow_incoming_request(request);
  handler_string_t pq;
  char path[1024] = "/";
  if (wasi_http_types_method_incoming_request_path_with_query(req, &pq)) {
    snprintf(path, sizeof path, "%.*s", (int)pq.len, (const char *)pq.ptr);
    handler_string_free(&pq);
  }
  wasi_http_types_method_t m;
  wasi_http_types_method_incoming_request_method(req, &m);
  const char *mn = method_name(&m);
  if (!strcmp(path, "/hello")) {
    const char *h[] = {"content-type", "text/plain"};
    const char *b = "hello from wasi:http\n";
    respond(out, 200, h, 1, b, strlen(b), NULL);
  } else if (!strcmp(path, "/echo")) {
    size_t len;
    char tr[256];
    char *body = read_body(req, &len, tr, sizeof tr);
    char lens[32];
    snprintf(lens, sizeof lens, "%zu", len);
    const char *h[] = {"x-method", mn, "x-body-length", lens, "x-path", path, "x-trailers", tr};
    respond(out, 200, h, tr[0] ? 4 : 3, body, len, NULL);
    free(body);
  } else if (!strcmp(path, "/headers")) {
    fields_t rh = wasi_http_types_method_incoming_request_headers(req);
    wasi_http_types_list_tuple2_field_name_field_value_t es;
    wasi_http_types_method_fields_entries(wasi_http_types_borrow_fields(rh), &es);
    size_t cap = 64, len = 0;
    char *b = malloc(cap);
    for (size_t i = 0; i < es.len; i++) {
      size_t need = es.ptr[i].f0.len + es.ptr[i].f1.len + 4;
      while (len + need > cap) b = realloc(b, cap *= 2);
      len += (size_t)sprintf(b + len, "%.*s: %.*s\n", (int)es.ptr[i].f0.len, (const char *)es.ptr[i].f0.ptr,
                             (int)es.ptr[i].f1.len, (const char *)es.ptr[i].f1.ptr);
    }
    wasi_http_types_fields_drop_own(rh);
    respond(out, 200, NULL, 0, b, len, NULL);
    free(b);
  } else if (!strcmp(path, "/fields")) {
    do_fields(req, out);
  } else if (!strncmp(path, "/status/", 8)) {
    respond(out, atoi(path + 8), NULL, 0, "", 0, NULL);
  } else if (!strncmp(path, "/big?n=", 7)) {
    size_t n = (size_t)strtoul(path + 7, NULL, 10);
    char *b = malloc(n ? n : 1);
    for (size_t i = 0; i < n; i++) b[i] = (char)('a' + i % 26);
    respond(out, 200, NULL, 0, b, n, NULL);
    free(b);
  } else if (!strcmp(path, "/trailers")) {
    respond(out, 200, NULL, 0, "with trailers\n", 14, "42");
  } else if (!strcmp(path, "/nobody")) {
    respond(out, 204, NULL, 0, NULL, 0, NULL);
  } else if (!strcmp(path, "/error")) {
    wasi_http_types_result_own_outgoing_response_error_code_t res = {.is_err = true};
    res.val.err.tag = WASI_HTTP_TYPES_ERROR_CODE_HTTP_REQUEST_DENIED;
    wasi_http_types_static_response_outparam_set(out, &res);
  } else if (!strcmp(path, "/trap")) {
    __builtin_trap();
  } else if (!strcmp(path, "/loop")) {
    volatile unsigned long x = 0;
    for (;;) x++;
  } else if (!strcmp(path, "/sleep")) {
    wasi_io_poll_own_pollable_t p = wasi_clocks_monotonic_clock_subscribe_duration(60ull * 1000000000ull);
    for (;;) wasi_io_poll_method_pollable_block(wasi_io_poll_borrow_pollable(p)); /* until interrupted */
  } else if (!strncmp(path, "/fetch?", 7)) {
    do_fetch(path + 7, out);
  } else if (!strcmp(path, "/stream-echo")) {
    do_stream_echo(req, out);
  } else if (!strcmp(path, "/stream-out")) {
    do_stream_out(out);
#ifdef HANDLER_INFORMATIONAL
  } else if (!strcmp(path, "/early")) {
    int e103 = informational(out, 103, "link", "</style.css>; rel=preload");
    int e200 = informational(out, 200, NULL, NULL);
    int e101 = informational(out, 101, NULL, NULL);
    char b[64];
    snprintf(b, sizeof b, "e103=%d e200=%d e101=%d\n", e103, e200, e101);
    respond(out, 200, NULL, 0, b, strlen(b), NULL);
#endif
  } else {
    const char *b = "not found\n";
    respond(out, 404, NULL, 0, b, strlen(b), NULL);
  }
  wasi_http_types_incoming_request_drop_own(request);
}
