/*
 * lib/wasi/wasi2.h — the WASI 0.2 host over the same context and sandbox as
 * preview1 (wasi/wasi.h): one wk_wasi, two ABIs.
 *
 * Spec: the WASI 0.2 WIT that jco ships (scripts/npm/node_modules/
 * @bytecodealliance/jco/lib/wit/builtin/0.2.12: wasi:cli, wasi:io,
 * wasi:clocks, wasi:random, wasi:filesystem, wasi:sockets). Functions are
 * defined at WK_WASI_P2_VERSION; lib/component matches imports of every
 * 0.2.x (x <= 12) to them semver-compatibly (0.2.x minors only add @since
 * items, so one set serves 0.2.0 .. 0.2.12).
 *
 * Interfaces (every function and resource of each):
 *   wasi:cli/environment, exit, stdin, stdout, stderr, terminal-input,
 *     terminal-output, terminal-stdin, terminal-stdout, terminal-stderr
 *   wasi:io/error, poll, streams
 *   wasi:clocks/monotonic-clock, wall-clock
 *   wasi:random/random, insecure, insecure-seed
 *   wasi:filesystem/types, preopens
 *   wasi:sockets/network, instance-network, tcp, udp, ip-name-lookup,
 *     tcp-create-socket, udp-create-socket: denied by default, answering
 *     what wasmtime-wasi 48 answers: create-tcp-socket / create-udp-socket
 *     return error-code access-denied unless WK_WASI_NET_TCP / _UDP is
 *     granted; binding, connecting (at finish-connect), listening and UDP
 *     sends to an address return access-denied unless WK_WASI_NET_INHERIT
 *     is; resolve-addresses returns permanent-resolver-failure unless
 *     WK_WASI_NET_LOOKUP is. Granted, sockets are non-blocking host sockets
 *     following the WIT's state machine.
 *   wasi:clocks/timezone (@unstable upstream, ungated in jco's 0.2.10 copy):
 *     always UTC (the host's zone is not revealed).
 *
 * Resources (descriptor, directory-entry-stream, input-stream,
 * output-stream, pollable, error, terminal-input/-output, network) are host
 * resources: each rep (1, 2, ...) indexes a table in the wk_wasi context;
 * their destructors (run by lib/component when the guest drops the last own
 * handle) free the entry and close host fds it owns. The table is freed by
 * wk_wasi_free.
 *
 * The sandbox is preview1's: get-directories returns the wk_wasi_preopen
 * directories; every path goes through the same resolver (openat2
 * RESOLVE_BENEATH or the walk); an escape (`..` past the preopen, an
 * absolute path, a symlink leading out) fails with error-code not-permitted
 * (the WIT's rule for wasi:filesystem paths), and a read-only preopen has no
 * `mutate-directory` flag: every modification under it fails with
 * not-permitted. Host errno values map to error-code as wasmtime-wasi does
 * (EACCES access, ENOENT no-entry, ... ; unknown ones io).
 */
#ifndef WK_WASI2_H
#define WK_WASI2_H
#include <stdint.h>

#include "base/base.h"
#include "canonabi/value.h"
#include "wasi/wasi.h"

#define WK_WASI_P2_VERSION "0.2.12"

typedef struct wk_comp_linker wk_comp_linker;

/*
 * Define every WASI 0.2 function and resource listed above into the
 * component linker `l` (wk_comp_linker_define_func / _define_resource) under
 * "wasi:<pkg>/<iface>@" WK_WASI_P2_VERSION. `w` carries args, environment,
 * preopens and stdio (shared with preview1) and must outlive every instance
 * linked this way. Errors: those of the linker, WK_ERR_NOMEM, WK_ERR_INVALID when an argument,
 * environment string or preopen guest name of `w` is not UTF-8 (WIT strings cannot hold it).
 */
int wk_wasi_p2_define(wk_comp_linker *l, wk_wasi *w, wk_error *err);

/* Number of host functions wk_wasi_p2_define defines, and the i-th one's
 * interface (without version) and name (for listings and tests). */
size_t wk_wasi_p2_func_count(void);
void wk_wasi_p2_func_name(size_t i, const char **iface, const char **name);
/* The i-th function's parameter kinds as checked before each call, one letter
 * per parameter: h own/borrow handle, u unsigned integer, s string, l list,
 * f flags, r record, v variant/enum/option/result; "*" = unchecked (the
 * socket methods, which trap). For tests that generate arguments. */
const char *wk_wasi_p2_func_sig(size_t i);

/* Network grants of wasi:sockets (default: none), one bit per setting of
 * wasmtime's WasiCtxBuilder. They are independent, as there: a socket needs
 * TCP or UDP to be created and INHERIT to be bound, connected or sent from
 * (`wasmtime run -S inherit-network` grants all three; wrun does the same).
 * Without a grant the calls answer error-codes, never trap (lib/wasi/wasi2.c
 * "wasi:sockets" says which, where). Takes effect for the next call; replaces
 * the previous grants. */
#define WK_WASI_NET_INHERIT 1u /* any address may be bound/connected/sent to (inherit_network, -S inherit-network) */
#define WK_WASI_NET_LOOKUP 2u  /* ip-name-lookup through the host's resolver (allow_ip_name_lookup, -S allow-ip-name-lookup) */
#define WK_WASI_NET_TCP 4u     /* create-tcp-socket (allow_tcp, -S tcp) */
#define WK_WASI_NET_UDP 8u     /* create-udp-socket (allow_udp, -S udp) */
void wk_wasi_p2_allow_network(wk_wasi *w, unsigned grants);

/*
 * Call one 0.2 host function directly, without a component (unit tests,
 * embedders with their own lifting): `iface` without version
 * ("wasi:filesystem/types"), `name` as defined ("[method]descriptor.open-at").
 * `args` as lib/component passes them (borrow/own handles as reps), the
 * result is written to *result, allocated from `arena`.
 * Returns a wk_wasi_status: WK_WASI_RETURN, WK_WASI_EXIT (wasi:cli/exit;
 * wk_wasi_exit_code has the status) or WK_WASI_TRAP (wk_wasi_trap_message
 * says why: unknown function, wrong argument count or kind, bad handle).
 */
int wk_wasi_p2_call(wk_wasi *w, const char *iface, const char *name, wk_arena *arena, const wk_cval *args,
                    uint32_t nargs, wk_cval *result);

/* Drop the resource `rep` as its destructor does (tests; lib/component calls
 * the destructor itself). WK_OK, or WK_ERR_USAGE for an unknown rep. */
int wk_wasi_p2_drop(wk_wasi *w, uint32_t rep, wk_error *err);

/* The resource type used in handles of 0.2 resource `name` ("descriptor",
 * "input-stream", "output-stream", "pollable", "error",
 * "directory-entry-stream", "terminal-input", "terminal-output", "network"):
 * the linker's after wk_wasi_p2_define, else the context's own; NULL if the
 * name is unknown or memory ran out. */
const wk_cabi_rtype *wk_wasi_p2_rtype(wk_wasi *w, const char *name);

/* ---- host byte buffers behind 0.2 streams (wasi:http bodies: lib/wasi/http.c) ----
 * A stream made by wk_wasi_p2_buf_stream is an ordinary wasi:io/streams
 * input-stream or output-stream resource (same table, same methods, same
 * pollables) whose bytes come from / go to `b` instead of a host fd:
 *   input   reads data[pos..len); at len the stream is closed (the buffer
 *           holds the whole body: it is filled before the stream is made)
 *   output  appends to data; a write past `limit` (0: none) fails with
 *           last-operation-failed (check-write reports the room left)
 * Subscribing gives an always-ready pollable. Reference counted: the stream
 * holds one reference (released when the guest drops it or at reset). */
typedef struct wk_wasi_p2_buf {
  uint8_t *data;
  size_t len, cap, pos, limit;
  int refs;                  /* atomic: a live buffer is shared by two threads */
  struct wk_p2_live *live;   /* NULL, or set by wk_wasi_p2_buf_live */
} wk_wasi_p2_buf;
/* A new empty buffer with one reference; NULL when out of memory. */
wk_wasi_p2_buf *wk_wasi_p2_buf_new(size_t limit);
/* Drop one reference (NULL allowed); the last frees it. */
void wk_wasi_p2_buf_unref(wk_wasi_p2_buf *b);
/* A new input (output=0) or output (1) stream over `b` (takes a reference);
 * *rep is the stream's rep for a handle of wk_wasi_p2_rtype(w, "input-stream"
 * / "output-stream"). WK_ERR_NOMEM when the table is full. */
int wk_wasi_p2_buf_stream(wk_wasi *w, int output, wk_wasi_p2_buf *b, uint32_t *rep);
/*
 * Live buffers: a buffer shared between the guest's thread (its stream) and a
 * host thread that fills it while the guest reads (an HTTP request body
 * arriving: `output` 0) or drains it while the guest writes (a response body
 * being sent: `output` 1). After wk_wasi_p2_buf_live, touch `data`/`len`/
 * `pos` only through the functions below (they lock).
 *   input   read returns what has arrived; with nothing there it returns 0
 *           bytes (read) or waits (blocking-read) until bytes arrive or the
 *           host closes it: closed(0) is end of stream, closed(1) an error
 *           (last-operation-failed); subscribe's pollable is ready when
 *           bytes are there or it is closed.
 *   output  write appends (past `limit` bytes in all: last-operation-failed);
 *           with a high-water mark (wk_wasi_p2_buf_set_high, 0: none)
 *           check-write reports 0 while that many bytes wait unsent, the
 *           pollable is ready again below it and blocking-write-and-flush /
 *           blocking-flush wait for it; once the host closed it (the
 *           consumer went away) writes fail (closed).
 * `notify(env)` runs on the guest's thread after each read (input) or write
 * (output) with no lock held: the host's cue to resume its producer or
 * consumer. Waits end early with an error on a signal (EINTR: wrun serve's
 * --timeout). Returns WK_OK or WK_ERR_NOMEM (eventfd or memory).
 */
int wk_wasi_p2_buf_live(wk_wasi_p2_buf *b, int output, void (*notify)(void *env), void *env);
/* Producer side of a live input: append n bytes (WK_OK, WK_ERR_NOMEM). */
int wk_wasi_p2_buf_put(wk_wasi_p2_buf *b, const void *data, size_t n);
/* Consumer side of a live output: move up to `max` unsent bytes to `out`;
 * *state: 0 more may come, 1 finished (closed with 0), 2 failed. */
size_t wk_wasi_p2_buf_take(wk_wasi_p2_buf *b, void *out, size_t max, int *state);
/* Close a live buffer: no more bytes (input) / the writer finished or the
 * reader went away (output); error 0 is a normal end. The first close wins. */
void wk_wasi_p2_buf_close(wk_wasi_p2_buf *b, int error);
/* 0 open, 1 closed normally, 2 closed with an error. */
int wk_wasi_p2_buf_closed(wk_wasi_p2_buf *b);
/* Bytes written but not yet read (any buffer). */
size_t wk_wasi_p2_buf_unread(wk_wasi_p2_buf *b);
/* Output back-pressure: check-write reports 0 while `high` bytes wait (0: none). */
void wk_wasi_p2_buf_set_high(wk_wasi_p2_buf *b, size_t high);
/* A pollable (rep for wk_wasi_p2_rtype(w, "pollable")) ready once the live
 * buffer `b` is closed (a body's trailers: future-trailers.subscribe);
 * always ready for a buffer that is not live. */
int wk_wasi_p2_buf_end_pollable(wk_wasi *w, wk_wasi_p2_buf *b, uint32_t *rep);
/* A new pollable that is always ready (futures resolved by the host). */
int wk_wasi_p2_ready_pollable(wk_wasi *w, uint32_t *rep);
/* Free every 0.2 resource of `w` (streams, pollables, ...) but keep the
 * resource types: a context reused for another instance (wrun serve: one
 * instance per request) starts with an empty table. */
void wk_wasi_p2_reset(wk_wasi *w);

#endif
