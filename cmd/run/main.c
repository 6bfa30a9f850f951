/*
 * wrun — run a WebAssembly core module (WASI preview1) or component (WASI 0.2,
 * cmd/run/component.c) on wkit's interpreter.
 *
 *   wrun [OPTIONS] FILE.wasm [ARGS...]   (FILE may also be in the text format, .wat)
 *
 * Options come before FILE (as in wasmtime); everything after FILE goes to
 * the guest (or, with --invoke, is parsed as the function's arguments).
 * Exit status: the guest's proc_exit code (0 when _start returns); 134 on a
 * trap (message + wasm backtrace on stderr); 1 for host errors (unreadable
 * file, invalid module, link errors); 2 for usage errors.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "base/base.h"
#include "encode/wat.h"
#include "interp/interp.h"
#include "wasi/wasi.h"
#include "wasi/wasi2.h"
#include "wasi/http.h"
#include "component/component.h"
#include "compose/oci.h"
#include "wrun.h"
#include "../common/tool.h"

#define TOOL "wrun"

static void usage(FILE *out) {
  fprintf(out,
          "usage: wrun [OPTIONS] FILE.wasm [ARGS...]\n"
          "       wrun serve [OPTIONS] APP.wasm   (a wasi:http/proxy component as an HTTP server;\n"
          "                                        see 'wrun serve --help')\n"
          "       wrun oci COMMAND ...            (an OCI runtime for podman, CRI-O, containerd: create,\n"
          "                                        start, state, kill, delete, run; see 'wrun oci --help')\n"
          "Run a WebAssembly core module (WASI preview1) or component (WASI 0.2) on wkit's\n"
          "interpreter, sandboxed to the capabilities granted below; FILE is binary, or the\n"
          "text format when it lacks the \\0asm magic. Options go before FILE; ARGS are the\n"
          "guest's arguments.\n"
          "FILE may be an OCI archive (`wcompose oci`): its wasm layer runs once every digest verified.\n"
          "\n"
          "Capabilities:\n"
          "  --dir HOST[::GUEST][::ro]  preopen host directory HOST as GUEST (default: HOST);\n"
          "                             '::ro' makes it read-only. Repeatable.\n"
          "  --env NAME=VALUE           set a guest environment variable; '--env NAME' copies\n"
          "                             the host's value. Nothing else is inherited. Repeatable.\n"
          "  --argv0 NAME               the guest's argv[0] (default: FILE as given)\n"
          "\n"
          "Execution:\n"
          "  --invoke FUNC [ARGS...]    call export FUNC with ARGS parsed by its signature and\n"
          "                             print its results, one per line (runs _initialize first)\n"
          "  --invoke 'FUNC(ARGS)'      components: call export FUNC with WAVE ARGS, print the WAVE\n"
          "                             result (`()` for none). FUNC: a name (looked up in the\n"
          "                             exported instances too), `ns:pkg/iface.f@v` or\n"
          "                             `ns:pkg/iface@v#f` (wasmtime's forms and wkit's).\n"
          "                             Without --invoke a component's wasi:cli/run export runs.\n"
          "  -S inherit-network         components: TCP/UDP sockets on the host network\n"
          "                             (WASI 0.2 wasi:sockets; denied by default, as wasmtime)\n"
          "  -S tcp                     components: TCP sockets may be created (but not bound\n"
          "                             or connected without inherit-network)\n"
          "  -S udp                     components: UDP sockets, the same way\n"
          "  -S allow-ip-name-lookup    components: host name lookup (wasi:sockets/ip-name-lookup)\n"
          "  -S http                    components: the wasi:http host (wasi:http/types and\n"
          "                             outgoing-handler, as wasmtime -S http); outbound requests\n"
          "                             only to --allow-outbound authorities (wasmtime: any host)\n"
          "                             (-S NAME=n turns a grant off; several: NAME,NAME or -S again)\n"
          "  --allow-outbound HOST[:PORT]\n"
          "                             with -S http: outgoing-handler requests may go to HOST\n"
          "                             (any port, or PORT only); others get HTTP-request-denied.\n"
          "                             Repeatable (as in 'wrun serve')\n"
          "  --trap-unknown-imports     components: imports the host does not define trap when\n"
          "                             called instead of failing instantiation\n"
          "\n"
          "Limits (a limit that is hit traps with a message naming it):\n"
          "  --fuel N                   stop after about N wasm instructions\n"
          "  --timeout DURATION         stop after DURATION of wall time (e.g. 50ms, 2s, 1m)\n"
          "  --max-memory SIZE          cap each linear memory (e.g. 4MiB, 512K; not 0); memory.grow\n"
          "                             beyond it fails; also caps the GC heap (wasm GC objects)\n"
          "  --max-stack SIZE           cap the interpreter's value stack (e.g. 1MiB)\n"
          "  --max-call-depth N         cap nested wasm calls\n"
          "\n"
          "Other:\n"
          "  --cache DIR                keep translated code in DIR (AOT cache): later runs of\n"
          "                             the same module with the same settings skip translation\n"
          "  -h, --help                 show this help\n"
          "  -V, --version              show the version\n"
          "\n"
          "Exit status: the guest's exit code; 134 on a trap; 1 on a host error\n"
          "(unreadable or invalid module); 2 on a usage error.\n");
}

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, TOOL ": error: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n(see 'wrun --help')\n");
  return 2;
}

/* The size and duration rules live in lib/base (wk_parse_size/_duration): the OCI runtime's
 * annotation limits (lib/compose/oci_runtime.c) are checked by the same rule before anything runs. */
int wrun_parse_size(const char *s, uint64_t *out) { return wk_parse_size(s, out); }
int wrun_parse_duration(const char *s, uint64_t *ns) { return wk_parse_duration(s, ns); }

static int parse_u64(const char *s, uint64_t *out) {
  char *end;
  errno = 0;
  if (*s == '-' || !*s) return -1;
  unsigned long long v = strtoull(s, &end, 0);
  if (*end || errno) return -1;
  *out = v;
  return 0;
}

/* ---- timeout: SIGALRM (no SA_RESTART, so a blocking host call returns
 * EINTR) asks the store to stop at the next back-edge or call. ---- */
static wk_store *volatile g_store;
static void on_alarm(int sig) {
  (void)sig;
  if (g_store) wk_store_interrupt(g_store);
}

/* ---- --invoke argument parsing and result printing ---- */
static int parse_value(uint8_t type, const char *s, wk_value *v) {
  char *end;
  errno = 0;
  memset(v, 0, sizeof *v);
  v->type = type;
  switch (type) {
  case WK_I32: {
    long long x = strtoll(s, &end, 0);
    if (*end || errno || x < INT32_MIN || x > (long long)UINT32_MAX) return -1;
    v->of.i32 = (int32_t)(uint32_t)x;
    return 0;
  }
  case WK_I64: {
    if (s[0] == '-') {
      long long x = strtoll(s, &end, 0);
      if (*end || errno) return -1;
      v->of.i64 = x;
    } else {
      unsigned long long x = strtoull(s, &end, 0);
      if (*end || errno) return -1;
      v->of.i64 = (int64_t)x;
    }
    return 0;
  }
  case WK_F32: {
    float f = strtof(s, &end);
    if (*end || end == s) return -1;
    memcpy(&v->of.f32, &f, 4);
    return 0;
  }
  case WK_F64: {
    double d = strtod(s, &end);
    if (*end || end == s) return -1;
    memcpy(&v->of.f64, &d, 8);
    return 0;
  }
  case WK_V128: { /* 0x + 32 hex digits, most significant byte first (as print_value writes it) */
    if ((s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) || strlen(s) != 34) return -1;
    for (int i = 0; i < 16; i++) {
      char h[3] = {s[2 + 2 * i], s[3 + 2 * i], 0};
      if (!isxdigit((unsigned char)h[0]) || !isxdigit((unsigned char)h[1])) return -1;
      v->of.v128[15 - i] = (uint8_t)strtoul(h, NULL, 16);
    }
    return 0;
  }
  case WK_FUNCREF: case WK_EXTERNREF: case WK_EXNREF: case WK_ANYREF:
    /* a reference (Core 3.0 typed references too): only `null` can be written on a command line
     * (wasmtime takes no reference arguments at all); a (ref ht) parameter takes none (the caller
     * checks nullability) */
    if (strcmp(s, "null")) return -1;
    v->of.ref = NULL;
    return 0;
  default: return -1;
  }
}

/* Shortest decimal that reads back to the same float. */
static void print_float(double d, int is32) {
  char buf[64];
  if (isnan(d)) { printf("NaN\n"); return; }
  if (isinf(d)) { printf(d < 0 ? "-inf\n" : "inf\n"); return; }
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(buf, sizeof buf, "%.*g", prec, d);
    if (is32 ? (strtof(buf, NULL) == (float)d) : (strtod(buf, NULL) == d)) break;
  }
  printf("%s\n", buf);
}

static void print_value(const wk_value *v) {
  switch (v->type) {
  case WK_I32: printf("%" PRId32 "\n", v->of.i32); break;
  case WK_I64: printf("%" PRId64 "\n", v->of.i64); break;
  case WK_F32: { float f; memcpy(&f, &v->of.f32, 4); print_float(f, 1); break; }
  case WK_F64: { double d; memcpy(&d, &v->of.f64, 8); print_float(d, 0); break; }
  case WK_V128:
    printf("0x");
    for (int i = 15; i >= 0; i--) printf("%02x", v->of.v128[i]);
    printf("\n");
    break;
  /* references as wasmtime's `--invoke` prints them (src/commands/run.rs): a typed reference
   * (ref null? $t / func) is a funcref there too */
  case WK_FUNCREF: printf(v->of.ref ? "<funcref>\n" : "<null funcref>\n"); break;
  case WK_EXTERNREF: printf(v->of.ref ? "<externref>\n" : "<null externref>\n"); break;
  case WK_EXNREF: printf(v->of.ref ? "<exnref>\n" : "<null exnref>\n"); break;
  /* GC (the any hierarchy: anyref, eqref, i31ref, structref, arrayref, nullref, (ref $struct)):
   * wasmtime's Val::AnyRef, an i31 included (its value is not printed there either) */
  case WK_ANYREF: printf(v->of.ref ? "<anyref>\n" : "<null anyref>\n"); break;
  default: printf(v->of.ref ? "ref\n" : "null\n"); break;
  }
}

static const char *type_name(uint8_t t) {
  switch (t) {
  case WK_I32: return "i32";
  case WK_I64: return "i64";
  case WK_F32: return "f32";
  case WK_F64: return "f64";
  case WK_V128: return "v128";
  case WK_FUNCREF: return "funcref";
  case WK_EXTERNREF: return "externref";
  case WK_EXNREF: return "exnref";
  case WK_ANYREF: return "anyref";
  default: return "?";
  }
}

typedef struct opts {
  const char *file;
  const char *argv0;
  const char *invoke;
  int has_fuel;
  uint64_t fuel, timeout_ns, max_memory, max_stack, max_depth;
  wrun_limits lim; /* the limits as written, for trap messages */
  const char *cache;
  int trap_unknown;
  const char **allow; /* --allow-outbound values (argv's strings), nallow of them */
  size_t nallow;
} opts;

int wrun_finish_trap(const char *file, const wrun_limits *lim, wk_trap *t, int mem_at_limit) {
  int code = wk_trap_code_of(t);
  if (code == WK_TRAP_EXIT) {
    int st = wk_trap_exit_status(t);
    wk_trap_free(t);
    return st;
  }
  const char *msg = wk_trap_message(t);
  fprintf(stderr, TOOL ": error: %s: trap: %s", file, msg ? msg : "(no message)");
  if (code == WK_TRAP_OUT_OF_FUEL && lim->fuel_s) fprintf(stderr, " (the --fuel limit of %s was reached)", lim->fuel_s);
  else if (code == WK_TRAP_INTERRUPT && lim->timeout_s)
    fprintf(stderr, " (the --timeout limit of %s was reached)", lim->timeout_s);
  else if (code == WK_TRAP_STACK_EXHAUSTED && !wk_comp_trap_is_nesting_bound(t)) {
    /* the engine's limit, not lib/component's own fixed bound on nested component calls */
    if (lim->max_stack_s) fprintf(stderr, " (the --max-stack limit of %s was reached)", lim->max_stack_s);
    else if (lim->max_depth_s) fprintf(stderr, " (the --max-call-depth limit of %s was reached)", lim->max_depth_s);
  } else if (code == WK_TRAP_GC_OOM) { /* (not memory.grow: the store's GC heap, interp.h WK_TRAP_GC_OOM) */
    if (lim->max_memory_s)
      fprintf(stderr, " (the garbage-collected heap reached the --max-memory limit of %s)", lim->max_memory_s);
    else fprintf(stderr, " (the garbage-collected heap reached its default limit: --max-memory sets it)");
  } else if (lim->max_memory_s) {
    /* The engine reports a refused memory.grow as -1 to the guest, which
     * then usually traps; say which limit was in force. */
    if (mem_at_limit == 1)
      fprintf(stderr, " (memory is at the --max-memory limit of %s: memory.grow fails beyond it)", lim->max_memory_s);
    else
      fprintf(stderr, " (the --max-memory limit of %s is in force: a memory.grow beyond it fails)", lim->max_memory_s);
  }
  fprintf(stderr, "\n");
  wrun_print_backtrace(t);
  wk_trap_free(t);
  return 134;
}

void wrun_print_backtrace(const wk_trap *t) {
  size_t n = wk_trap_frame_count(t);
  if (n) fprintf(stderr, "wasm backtrace:\n");
  for (size_t i = 0; i < n; i++) {
    uint32_t fi;
    const char *name;
    uint64_t off;
    wk_trap_frame(t, i, &fi, &name, &off);
    if (name) fprintf(stderr, "  %2zu: 0x%06" PRIx64 " - %s\n", i, off, name);
    else fprintf(stderr, "  %2zu: 0x%06" PRIx64 " - <func %" PRIu32 ">\n", i, off, fi);
  }
}

/* Returns the process exit status for a finished call (wrun_finish_trap, with whether the
 * instance's exported memory is at the --max-memory limit). */
static int finish_trap(const opts *o, wk_trap *t, wk_instance *inst) {
  int at_limit = -1;
  wk_extern ex;
  if (o->max_memory && inst && wk_instance_export(inst, "memory", &ex) == WK_OK && ex.kind == WK_EXTERN_MEMORY)
    at_limit = ((uint64_t)wk_memory_pages(ex.of.memory) + 1) * 65536 > o->max_memory;
  return wrun_finish_trap(o->file, &o->lim, t, at_limit);
}

/* Split --dir HOST[::GUEST][::ro]. */
int wrun_parse_dir(const char *spec, char **host, char **guest, int *ro) {
  char *s = strdup(spec);
  if (!s) return -1;
  char *parts[3];
  int n = 0;
  char *p = s;
  for (;;) {
    char *sep = strstr(p, "::");
    if (n == 3) { free(s); return -1; }
    parts[n++] = p;
    if (!sep) break;
    *sep = 0;
    p = sep + 2;
  }
  *ro = 0;
  if (n >= 2 && !strcmp(parts[n - 1], "ro")) { *ro = 1; n--; }
  else if (n == 3) { free(s); return -1; }
  if (!parts[0][0] || (n == 2 && !parts[1][0])) { free(s); return -1; }
  *host = strdup(parts[0]);
  *guest = strdup(n == 2 ? parts[1] : parts[0]);
  free(s);
  return (*host && *guest) ? 0 : -1;
}

/* -S http: wrun's own bit beside the WK_WASI_NET_* ones (not a wk_wasi grant: it adds the
 * wasi:http host, lib/wasi/http.h, to the component linker) */
#define WRUN_GRANT_HTTP 0x80000000u

/* -S NAME[=y|n][,...] (wasmtime's spelling and boolean forms): tcp, udp,
 * inherit-network, allow-ip-name-lookup, http. yes/no collect each name's last
 * setting (WK_WASI_NET_* bits, WRUN_GRANT_HTTP); the grants are then computed as `wasmtime run`
 * does (src/common.rs): inherit-network also allows TCP and UDP, an explicit
 * tcp/udp setting wins. Returns 1 on an unknown name or value. */
static int wasi_grants(wk_wasi *w, unsigned *yes, unsigned *no, const char *val) {
  static const struct { const char *name; unsigned bit; } keys[] = {
      {"inherit-network", WK_WASI_NET_INHERIT}, {"allow-ip-name-lookup", WK_WASI_NET_LOOKUP},
      {"tcp", WK_WASI_NET_TCP}, {"udp", WK_WASI_NET_UDP}, {"http", WRUN_GRANT_HTTP}};
  char buf[256];
  snprintf(buf, sizeof buf, "%s", val);
  for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    char *v = strchr(t, '=');
    if (v) *v++ = 0;
    int on = !v || !strcmp(v, "y") || !strcmp(v, "yes") || !strcmp(v, "true");
    if (!on && strcmp(v, "n") && strcmp(v, "no") && strcmp(v, "false")) return 1;
    unsigned bit = 0;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
      if (!strcmp(t, keys[k].name)) bit = keys[k].bit;
    if (!bit) return 1;
    if (on) { *yes |= bit; *no &= ~bit; }
    else { *no |= bit; *yes &= ~bit; }
  }
  unsigned g = *yes & (WK_WASI_NET_INHERIT | WK_WASI_NET_LOOKUP);
  if (g & WK_WASI_NET_INHERIT) g |= WK_WASI_NET_TCP | WK_WASI_NET_UDP;
  g = (g | (*yes & (WK_WASI_NET_TCP | WK_WASI_NET_UDP))) & ~(*no & (WK_WASI_NET_TCP | WK_WASI_NET_UDP));
  wk_wasi_p2_allow_network(w, g);
  return !val[0];
}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "serve")) return wrun_serve(argc - 1, argv + 1); /* cmd/run/serve.c */
  /* OCI runtime (cmd/run/oci.c): `wrun oci CMD`, or runc's words as podman/conmon pass them */
  if (argc > 1 && !strcmp(argv[1], "oci")) return wrun_oci(argc - 1, argv + 1);
  if (wrun_oci_is_runtime_call(argc, argv)) return wrun_oci(argc, argv);
  opts o;
  memset(&o, 0, sizeof o);
  wk_error err;
  wk_error_clear(&err);
  wk_wasi *w = wk_wasi_new();
  if (!w) { fprintf(stderr, TOOL ": error: out of memory\n"); return 1; }
  if (getenv("WRUN_NO_OPENAT2")) wk_wasi_set_no_openat2(w, 1); /* testing aid: the fallback walk */
  /* A guest writing to a closed pipe gets EPIPE from fd_write, as under
   * wasmtime and node, instead of the host being killed by SIGPIPE. */
  signal(SIGPIPE, SIG_IGN);

  unsigned grants_yes = 0, grants_no = 0;
  const char *allow[argc]; /* (at most one --allow-outbound per argument) */
  o.allow = allow;
  int i = 1;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] != '-' || !strcmp(a, "-")) break;
    if (!strcmp(a, "--")) { i++; break; }
    if (!strcmp(a, "--trap-unknown-imports")) { o.trap_unknown = 1; continue; }
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(stdout); wk_wasi_free(w); return 0; }
    if (!strcmp(a, "-V") || !strcmp(a, "--version")) { printf("wrun %s\n", WK_VERSION); wk_wasi_free(w); return 0; }
    /* Options with a value: "--opt VALUE" or "--opt=VALUE". */
    static const char *const with_value[] = {"--dir",       "--env",        "--argv0",          "--invoke",
                                             "--fuel",      "--timeout",    "--max-memory",     "--max-stack",
                                             "--max-call-depth", "--cache", "-S", "--allow-outbound", NULL};
    const char *val = NULL;
    char name[32];
    int k;
    for (k = 0; with_value[k]; k++) {
      size_t l = strlen(with_value[k]);
      /* a short option also takes its value attached, as clap parses wasmtime's: -Sinherit-network */
      int attached = with_value[k][1] != '-' && a[l] && a[l] != '=';
      if (!strncmp(a, with_value[k], l) && (a[l] == 0 || a[l] == '=' || attached)) {
        if (attached) val = a + l;
        else if (a[l] == '=') val = a + l + 1;
        else if (i + 1 < argc) val = argv[++i];
        else { int r = usage_error("option %s needs a value", with_value[k]); wk_wasi_free(w); return r; }
        break;
      }
    }
    if (!with_value[k]) { int r = usage_error("unknown option '%s'", a); wk_wasi_free(w); return r; }
    snprintf(name, sizeof name, "%s", with_value[k]);
    int bad = 0;
    if (!strcmp(name, "--dir")) {
      char *host, *guest;
      int ro;
      if (wrun_parse_dir(val, &host, &guest, &ro)) bad = 1;
      else {
        int rc = wk_wasi_preopen(w, host, guest, ro, &err);
        free(host);
        free(guest);
        if (rc) { wk_error_print(stderr, TOOL, NULL, &err); wk_wasi_free(w); return 1; }
      }
    } else if (!strcmp(name, "--env")) {
      if (!val[0] || val[0] == '=') bad = 1;
      else if (strchr(val, '=')) { if (wk_wasi_add_env(w, val, &err)) bad = 1; }
      else {
        const char *hv = getenv(val);
        if (hv) {
          size_t l = strlen(val) + strlen(hv) + 2;
          char *nv = malloc(l);
          if (!nv) { fprintf(stderr, TOOL ": error: out of memory\n"); wk_wasi_free(w); return 1; }
          snprintf(nv, l, "%s=%s", val, hv);
          if (wk_wasi_add_env(w, nv, &err)) bad = 1;
          free(nv);
        }
      }
    } else if (!strcmp(name, "--argv0")) o.argv0 = val;
    else if (!strcmp(name, "--invoke")) {
      /* one call per run (wasmtime's --invoke cannot be repeated either): a second one was dropped */
      if (o.invoke) { int r = usage_error("--invoke given twice (then '%s'): one call per run", val); wk_wasi_free(w); return r; }
      o.invoke = val;
      if (!val[0]) bad = 1;
    }
    else if (!strcmp(name, "--fuel")) { o.has_fuel = 1; o.lim.fuel_s = val; bad = parse_u64(val, &o.fuel); }
    else if (!strcmp(name, "--timeout")) { o.lim.timeout_s = val; bad = wrun_parse_duration(val, &o.timeout_ns) || !o.timeout_ns; }
    else if (!strcmp(name, "--max-memory")) { o.lim.max_memory_s = val; bad = wrun_parse_size(val, &o.max_memory) || !o.max_memory; }
    else if (!strcmp(name, "--max-stack")) { o.lim.max_stack_s = val; bad = wrun_parse_size(val, &o.max_stack) || !o.max_stack; }
    else if (!strcmp(name, "--max-call-depth")) o.lim.max_depth_s = val, bad = parse_u64(val, &o.max_depth) || !o.max_depth || o.max_depth > UINT32_MAX;
    else if (!strcmp(name, "--cache")) { o.cache = val; bad = !val[0]; }
    else if (!strcmp(name, "-S")) bad = wasi_grants(w, &grants_yes, &grants_no, val); /* components: WASI 0.2 network grants */
    else if (!strcmp(name, "--allow-outbound")) { o.allow[o.nallow++] = val; bad = wk_http_allow_check(val) != WK_OK; }
    if (bad) {
      fprintf(stderr, TOOL ": error: invalid value '%s' for %s\n(see 'wrun --help')\n", val, name);
      wk_wasi_free(w);
      return 2;
    }
  }
  if (i >= argc) { int r = usage_error("%s", "no module given"); wk_wasi_free(w); return r; }
  int http = !!(grants_yes & WRUN_GRANT_HTTP);
  if (o.nallow && !http) {
    int r = usage_error("--allow-outbound '%s' needs -S http (outbound requests are wasi:http's)", o.allow[0]);
    wk_wasi_free(w);
    return r;
  }
  o.file = argv[i++];
  int first_arg = i;

  /* Guest argv: argv0 then the rest (not with --invoke, whose args are values). */
  if (wk_wasi_add_arg(w, o.argv0 ? o.argv0 : o.file)) { fprintf(stderr, TOOL ": error: out of memory\n"); return 1; }
  if (!o.invoke)
    for (int k = first_arg; k < argc; k++)
      if (wk_wasi_add_arg(w, argv[k])) { fprintf(stderr, TOOL ": error: out of memory\n"); return 1; }

  uint8_t *bytes;
  size_t len;
  /* FILE may be in the text format (core spec 6): converted to the binary first */
  /* h-oci: an OCI archive (wcompose oci) runs its wasm layer, every digest verified first */
  if (wk_oci_read_wasm_file(o.file, &bytes, &len, NULL, &err)) {
    wk_error_print(stderr, TOOL, o.file, &err);
    wk_wasi_free(w);
    return 1;
  }

  wk_config cfg;
  wk_config_default(&cfg);
  cfg.consume_fuel = o.has_fuel;
  if (o.max_memory) cfg.max_memory_bytes = o.max_memory;
  if (o.max_stack) cfg.max_stack_bytes = o.max_stack;
  if (o.max_depth) cfg.max_call_depth = (uint32_t)o.max_depth;
  cfg.cache_dir = o.cache;
  wk_engine *eng = wk_engine_new(&cfg);
  if (!eng) { fprintf(stderr, TOOL ": error: cannot create the engine\n"); free(bytes); wk_wasi_free(w); return 1; }
  if (wk_comp_is_component(bytes, len)) { /* Binary.md: version 0x0d, layer 1: cmd/run/component.c */
    wrun_comp_opts co = {o.file, o.invoke, o.trap_unknown, o.has_fuel, o.fuel, o.timeout_ns, o.lim,
                         http, o.allow, o.nallow};
    int st = wrun_component(eng, w, bytes, len, &co); /* (takes bytes) */
    wk_engine_free(eng);
    wk_wasi_free(w);
    return st;
  }
  wk_module *mod = NULL;
  int rc = wk_module_new(eng, bytes, len, &mod, &err);
  free(bytes);
  int status = 1;
  wk_store *store = NULL;
  wk_linker *lk = NULL;
  wk_instance *inst = NULL;
  if (rc) { wk_error_print(stderr, TOOL, o.file, &err); goto out; }

  store = wk_store_new(eng);
  lk = store ? wk_linker_new(store) : NULL;
  if (!store || !lk) { fprintf(stderr, TOOL ": error: out of memory\n"); goto out; }
  if (o.has_fuel) wk_store_set_fuel(store, o.fuel);
  if (wk_wasi_p1_define_imports(lk, w, mod, &err)) { wk_error_print(stderr, TOOL, o.file, &err); goto out; }

  if (o.timeout_ns) {
    g_store = store;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it;
    memset(&it, 0, sizeof it);
    it.it_value.tv_sec = (time_t)(o.timeout_ns / 1000000000ull);
    it.it_value.tv_usec = (suseconds_t)((o.timeout_ns % 1000000000ull) / 1000);
    if (!it.it_value.tv_sec && !it.it_value.tv_usec) it.it_value.tv_usec = 1;
    /* Re-arm every 10ms so an interrupt that raced with a host call still lands. */
    it.it_interval.tv_usec = 10000;
    setitimer(ITIMER_REAL, &it, NULL);
  }

  wk_trap *trap = NULL;
  rc = wk_linker_instantiate(lk, mod, &inst, &trap, &err);
  if (rc == WK_ERR_TRAP) { status = finish_trap(&o, trap, NULL); goto out; }
  if (rc == WK_ERR_NOMEM && o.max_memory) {
    /* The initial memory does not fit under the limit: report it as the
     * limit being hit (a trap at instantiation), naming the limit. */
    fprintf(stderr, TOOL ": error: %s: trap: the module's initial memory exceeds the --max-memory limit of %s (%s)\n",
            o.file, o.lim.max_memory_s, err.msg);
    status = 134;
    goto out;
  }
  if (rc) { wk_error_print(stderr, TOOL, o.file, &err); goto out; }

  wk_extern ex;
  if (o.invoke) {
    if (wk_instance_export(inst, "_initialize", &ex) == WK_OK && ex.kind == WK_EXTERN_FUNC) {
      if (wk_func_call(store, ex.of.func, NULL, 0, NULL, 0, &trap) == WK_ERR_TRAP) {
        status = finish_trap(&o, trap, inst);
        goto out;
      }
    }
    if (wk_instance_export(inst, o.invoke, &ex) != WK_OK || ex.kind != WK_EXTERN_FUNC) {
      fprintf(stderr, TOOL ": error: %s: no exported function '%s'\n", o.file, o.invoke);
      goto out;
    }
    wk_core_functype ft = wk_func_type(ex.of.func);
    size_t nargs = (size_t)(argc - first_arg);
    if (nargs != ft.nparams) {
      fprintf(stderr, TOOL ": error: '%s' takes %u argument%s, %zu given\n", o.invoke, ft.nparams,
              ft.nparams == 1 ? "" : "s", nargs);
      status = 2;
      goto out;
    }
    wk_value *args = wk_calloc(ft.nparams + 1, sizeof *args);
    wk_value *res = wk_calloc(ft.nresults + 1, sizeof *res);
    if (!args || !res) { free(args); free(res); fprintf(stderr, TOOL ": error: out of memory\n"); goto out; }
    for (uint32_t k = 0; k < ft.nparams; k++) {
      /* a typed reference (Core 3.0): ft.hts[k] is its full type; (ref ht) is not nullable */
      int nonnull = ft.hts && ft.hts[k] && !wk_vt_nullable(ft.hts[k]);
      if (nonnull || parse_value(ft.params[k], argv[first_arg + (int)k], &args[k])) {
        int ref = ft.params[k] == WK_FUNCREF || ft.params[k] == WK_EXTERNREF || ft.params[k] == WK_EXNREF ||
                  ft.params[k] == WK_ANYREF;
        fprintf(stderr, TOOL ": error: argument %u of '%s': '%s' is not a valid %s%s\n", k + 1, o.invoke,
                argv[first_arg + (int)k], nonnull ? "non-null " : "", type_name(ft.params[k]));
        if (ref) fprintf(stderr, TOOL ": note: a reference argument can only be `null` (of a nullable type)\n");
        free(args);
        free(res);
        status = 2;
        goto out;
      }
    }
    rc = wk_func_call(store, ex.of.func, args, ft.nparams, res, ft.nresults, &trap);
    if (rc == WK_ERR_TRAP) status = finish_trap(&o, trap, inst);
    else if (rc) fprintf(stderr, TOOL ": error: cannot call '%s'\n", o.invoke);
    else {
      for (uint32_t k = 0; k < ft.nresults; k++) print_value(&res[k]);
      status = tool_flush_stdout(TOOL); /* results that could not be written are no success */
    }
    free(args);
    free(res);
  } else {
    if (wk_instance_export(inst, "_start", &ex) != WK_OK || ex.kind != WK_EXTERN_FUNC) {
      fprintf(stderr, TOOL ": error: %s: the module exports no _start function (use --invoke FUNC)\n", o.file);
      goto out;
    }
    rc = wk_func_call(store, ex.of.func, NULL, 0, NULL, 0, &trap);
    if (rc == WK_ERR_TRAP) status = finish_trap(&o, trap, inst);
    else if (rc) fprintf(stderr, TOOL ": error: cannot call _start\n");
    else status = 0;
  }

out:
  if (o.timeout_ns) {
    struct itimerval off;
    memset(&off, 0, sizeof off);
    setitimer(ITIMER_REAL, &off, NULL);
    g_store = NULL;
  }
  if (lk) wk_linker_free(lk);
  if (store) wk_store_free(store);
  if (mod) wk_module_free(mod);
  wk_engine_free(eng);
  wk_wasi_free(w);
  return status;
}
