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
 *     tcp-create-socket, udp-create-socket: denied by default:
 *     create-tcp-socket and create-udp-socket return error-code
 *     access-denied unless WK_WASI_NET_INHERIT is granted, resolve-addresses
 *     unless WK_WASI_NET_LOOKUP is (wasmtime's -S inherit-network and
 *     -S allow-ip-name-lookup). Granted, sockets are non-blocking host
 *     sockets following the WIT's state machine.
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
 * linked this way. Errors: those of the linker, WK_ERR_NOMEM.
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

/* Network grants (default: none). */
#define WK_WASI_NET_INHERIT 1u /* TCP and UDP sockets on the host's network (wasmtime -S inherit-network) */
#define WK_WASI_NET_LOOKUP 2u  /* ip-name-lookup through the host's resolver (-S allow-ip-name-lookup) */
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

#endif
