/* wrun internals shared between main.c (core modules) and component.c (components). */
#ifndef WRUN_H
#define WRUN_H
#include <stddef.h>
#include <stdint.h>

#include "interp/interp.h"
#include "wasi/wasi.h"

/* The limits given on the command line, as written (NULL: not given), for trap messages. */
typedef struct wrun_limits {
  const char *fuel_s, *timeout_s, *max_memory_s, *max_stack_s, *max_depth_s;
} wrun_limits;

/*
 * Report a trap of a core module or a component (the one copy of the rule):
 * a WK_TRAP_EXIT gives its exit status and prints nothing; any other trap is
 * printed as "wrun: error: FILE: trap: MESSAGE (the --LIMIT limit of N was
 * reached)" when a limit in `lim` caused it, then the wasm backtrace, and
 * gives 134. `mem_at_limit`: 1 when a memory is known to be at --max-memory,
 * 0 when not, -1 when unknown. Frees `t`.
 */
int wrun_finish_trap(const char *file, const wrun_limits *lim, wk_trap *t, int mem_at_limit);

typedef struct wrun_comp_opts {
  const char *file;
  const char *invoke;     /* "name(args)" in WAVE, or NULL: run wasi:cli/run */
  int trap_unknown;       /* --trap-unknown-imports */
  int has_fuel;
  uint64_t fuel, timeout_ns;
  wrun_limits lim;
  int http;                 /* -S http: also link the wasi:http host (types, outgoing-handler) */
  const char *const *allow; /* --allow-outbound authorities ("host", "host:port"): the only ones
                             * outgoing-handler.handle reaches (wk_http_config.allow) */
  size_t nallow;
} wrun_comp_opts;

/*
 * Run component `bytes` (Binary.md layer 1): link the WASI 0.2 host
 * (lib/wasi) and, with o->http, the wasi:http host (lib/wasi/http.h, over the
 * same wk_wasi `w`) into a component linker, instantiate, then call the
 * `wasi:cli/run@0.2.x#run` export or, with o->invoke, the named export with
 * WAVE arguments, printing its result in WAVE. Returns the process exit
 * status (the guest's exit code; 134 on a trap; 1 on errors; 2 on usage).
 * Takes `bytes` (from malloc): they are the wk_comp's (wk_comp_new_take), freed before returning.
 */
int wrun_component(wk_engine *e, wk_wasi *w, uint8_t *bytes, size_t len, const wrun_comp_opts *o);

/* Option values shared by wrun and wrun serve (main.c), 0 or -1:
 * sizes "64MiB", "1M", "4096", "2GB" -> bytes; durations "50ms", "2s", "1m"
 * -> ns; --dir "HOST[::GUEST][::ro]" (host and guest malloc'd). */
/* The trap's wasm backtrace on stderr, one frame a line (function name or index, code offset). */
void wrun_print_backtrace(const wk_trap *t);
int wrun_parse_size(const char *s, uint64_t *out);
int wrun_parse_duration(const char *s, uint64_t *ns);
int wrun_parse_dir(const char *spec, char **host, char **guest, int *ro);

/* `wrun serve ...` (cmd/run/serve.c): argv[0] is "serve". Returns the exit status. */
int wrun_serve(int argc, char **argv);

/* `wrun oci ...` / `wrun create ...` (cmd/run/oci.c): wrun as an OCI runtime with runc's command line.
 * argv[0] is "oci" or the program name; returns the exit status. */
int wrun_oci(int argc, char **argv);
/* 1 when argv (wrun's own) is a runc-style call: argv[1] a runc global option, or a runc command
 * word that is not the name of an existing file. */
int wrun_oci_is_runtime_call(int argc, char **argv);

#endif
