/*
 * wrun oci — wrun as an OCI runtime with runc's command line (issue 16):
 *
 *   wrun [oci] [--root DIR] [--log FILE] [--log-format text|json] COMMAND ...
 *     create [--bundle DIR] [--pid-file F] [--console-socket S] ID
 *     start ID | state ID | kill [--all] ID [SIGNAL] | delete [--force] ID
 *     run [--bundle DIR] [--pid-file F] [--console-socket S] [--detach] ID
 *
 * podman/conmon, CRI-O and containerd's runc shim call the runtime binary
 * with these words directly (`wrun create ...`), so main.c also comes here
 * when argv[1] is a runc global option or command word that is not a file.
 * Option parsing and messages only; the bundle, state and lifecycle are
 * lib/compose/oci_runtime.[ch]. The container process execs wrun itself
 * (/proc/self/exe) with the options the plan translated config.json into.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"
#include "compose/oci_runtime.h"
#include "wrun.h"

#define TOOL "wrun"

typedef struct gopts {
  const char *root, *log, *log_format, *delegate;
  int systemd_cgroup, debug;
} gopts;

static void oci_usage(FILE *out) {
  fprintf(out,
          "usage: wrun oci [GLOBAL OPTIONS] COMMAND [OPTIONS] ID\n"
          "wrun as an OCI runtime (runc's command line): runs containers whose entrypoint\n"
          "(process.args[0] in the bundle's config.json) is a .wasm, under wrun's interpreter.\n"
          "The word 'oci' may be left out (podman/CRI-O/containerd call 'wrun create ...').\n"
          "\n"
          "Global options:\n"
          "  --root DIR               state directory (default /run/wrun, or\n"
          "                           $XDG_RUNTIME_DIR/wrun when not root)\n"
          "  --log FILE               also write errors to FILE\n"
          "  --log-format text|json   format of the --log lines (default text)\n"
          "  --delegate RUNTIME       hand containers whose entrypoint is not WebAssembly to\n"
          "                           RUNTIME (runc, crun), with state in ROOT-delegate: one\n"
          "                           runtime for a Kubernetes node's pause and wasm containers\n"
          "  --debug                  also print the warnings (config.json fields a wasm\n"
          "                           guest has no use for) on stderr\n"
          "  --systemd-cgroup         accepted (passed on to the delegate)\n"
          "\n"
          "Commands:\n"
          "  create [--bundle DIR] [--pid-file F] [--console-socket S] ID\n"
          "                           prepare the container from DIR/config.json (default DIR .);\n"
          "                           its process exists but the guest does not run yet\n"
          "  start ID                 run the guest of a created container\n"
          "  state ID                 print the runtime-spec state JSON\n"
          "  kill [--all] ID [SIGNAL] send SIGNAL (default TERM; name or number)\n"
          "  ps [--format table|json] ID  the container's process (its pid while it lives)\n"
          "  features                 the runtime-spec features JSON\n"
          "  delete [--force] ID      remove a stopped (or created) container; --force kills\n"
          "                           a running one first\n"
          "  run [--bundle DIR] [--pid-file F] [--detach] ID\n"
          "                           create + start; without --detach wait, delete, and exit\n"
          "                           with the guest's status\n"
          "\n"
          "config.json: process.args[0] is the .wasm (inside root.path), args[1..] its arguments;\n"
          "process.env -> --env; the rootfs is preopened as '/' (read-only with root.readonly);\n"
          "each bind mount of a directory -> --dir SOURCE::DESTINATION (::ro with option ro);\n"
          "linux.resources.memory.limit and RLIMIT_AS -> --max-memory, RLIMIT_CPU -> --timeout;\n"
          "annotations wkit.wrun.fuel, .timeout, .max-memory, .max-stack, .max-call-depth set\n"
          "those limits. Other rlimits and process.user are applied to the process.\n");
}

/* One line to the --log file (runc's formats) and, for errors or with --debug, to stderr. */
static void logline(const gopts *g, const char *level, const char *msg) {
  if (!strcmp(level, "error") || g->debug) fprintf(stderr, TOOL ": %s: %s\n", level, msg);
  if (!g->log) return;
  FILE *f = fopen(g->log, "a");
  if (!f) return;
  char ts[40];
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (g->log_format && !strcmp(g->log_format, "json")) {
    /* runc's json log line: {"level":"error","msg":"...","time":"..."} */
    fprintf(f, "{\"level\":\"%s\",\"msg\":\"", level);
    for (const char *c = msg; *c; c++) {
      if (*c == '"' || *c == '\\') fprintf(f, "\\%c", *c);
      else if ((unsigned char)*c < 0x20) fprintf(f, "\\u%04x", *c);
      else fputc(*c, f);
    }
    fprintf(f, "\",\"time\":\"%s\"}\n", ts);
  } else fprintf(f, "time=\"%s\" level=%s msg=\"%s\"\n", ts, level, msg);
  fclose(f);
}

static void logmsg(const gopts *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logmsg(const gopts *g, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  logline(g, "error", msg);
}

static int fail(const gopts *g, const wk_error *e) {
  logmsg(g, "%s", e->msg);
  return 1;
}

/* The container process, released by start: become `wrun OPTIONS -- ENTRY ARGS...`. */
static void exec_runner(const wk_ocirt_plan *p, void *ctx) {
  (void)ctx;
  char **argv = calloc(p->n_wrun_argv + 2, sizeof *argv);
  if (!argv) return;
  argv[0] = (char *)"wrun";
  for (size_t k = 0; k < p->n_wrun_argv; k++) argv[k + 1] = p->wrun_argv[k];
  execv("/proc/self/exe", argv);
  fprintf(stderr, TOOL ": error: cannot exec the runner (/proc/self/exe): %s\n", strerror(errno));
}

/* "--opt VALUE" or "--opt=VALUE" at argv[*i]; NULL when argv[*i] is not `name`. */
static const char *optval(int argc, char **argv, int *i, const char *name, int *missing) {
  size_t l = strlen(name);
  const char *a = argv[*i];
  if (strncmp(a, name, l)) return NULL;
  if (a[l] == '=') return a + l + 1;
  if (a[l]) return NULL;
  if (*i + 1 >= argc) { *missing = 1; return NULL; }
  return argv[++*i];
}

static const char *const runc_commands[] = {"create", "start", "state", "kill", "delete", "run", "features", "ps",
                                            "exec", "pause", "resume", "update", "events", "list", "spec",
                                            "checkpoint", "restore", NULL};
static const char *const global_flags[] = {"--root", "--log", "--log-format", "--criu", "--rootless", "--delegate", NULL};

int wrun_oci_is_runtime_call(int argc, char **argv) {
  if (argc < 2) return 0;
  const char *a = argv[1];
  for (int k = 0; global_flags[k]; k++) {
    size_t l = strlen(global_flags[k]);
    if (!strncmp(a, global_flags[k], l) && (a[l] == 0 || a[l] == '=')) return 1;
  }
  if (!strcmp(a, "--systemd-cgroup") || !strcmp(a, "--debug")) return 1;
  for (int k = 0; runc_commands[k]; k++)
    if (!strcmp(a, runc_commands[k])) return access(a, F_OK) != 0; /* a file of that name runs as wasm */
  return 0;
}

/* `wrun run app.wasm` is runc's `run` with container id "app.wasm" (podman calls wrun without
 * `oci`): when that id names a file and no --bundle was given, say how a module is run, for a
 * wasmtime user who typed `wasmtime run`'s words. */
static void run_word_note(const char *cmd, const char *id, int bundle_given) {
  if (!strcmp(cmd, "run") && !bundle_given && access(id, F_OK) == 0)
    fprintf(stderr, TOOL ": note: `wrun run ID` is the OCI runtime's command (runc's CLI); to run a module "
                    "or component: wrun [OPTIONS] %s [ARGS...]\n", id);
}

/* Run the delegate runtime on this command: RUNTIME --root ROOT-delegate [--log L] [--log-format F]
 * [--systemd-cgroup] CMD ARGS... (runc's global options; its state stays out of ours). */
static int delegate(const gopts *g, int argc, char **argv, int cmd_idx) {
  char droot[600];
  snprintf(droot, sizeof droot, "%s-delegate", g->root);
  char **av = calloc((size_t)argc + 10, sizeof *av);
  if (!av) return 1;
  int n = 0;
  av[n++] = (char *)g->delegate;
  av[n++] = (char *)"--root";
  av[n++] = droot;
  if (g->log) { av[n++] = (char *)"--log"; av[n++] = (char *)g->log; }
  if (g->log_format) { av[n++] = (char *)"--log-format"; av[n++] = (char *)g->log_format; }
  if (g->systemd_cgroup) av[n++] = (char *)"--systemd-cgroup";
  for (int k = cmd_idx; k < argc; k++) av[n++] = argv[k];
  execv(g->delegate, av);
  logmsg(g, "cannot run the delegate runtime %s: %s", g->delegate, strerror(errno));
  free(av);
  return 1;
}

/* The container lives in the delegate's state (ROOT-delegate/ID), not in ours. */
static int delegated(const gopts *g, const char *id) {
  char p[1200];
  snprintf(p, sizeof p, "%s/%s", g->root, id);
  if (!g->delegate || !access(p, F_OK) || strchr(id, '/')) return 0;
  snprintf(p, sizeof p, "%s-delegate/%s", g->root, id);
  return !access(p, F_OK);
}

static pid_t g_child;
static void forward(int sig) {
  if (g_child > 0) kill(g_child, sig);
}

int wrun_oci(int argc, char **argv) {
  gopts g = {NULL, NULL, NULL, NULL, 0, 0};
  char defroot[512];
  int i = 1, missing = 0;
  for (; i < argc && argv[i][0] == '-'; i++) {
    const char *v;
    if ((v = optval(argc, argv, &i, "--root", &missing))) g.root = v;
    else if ((v = optval(argc, argv, &i, "--log-format", &missing))) g.log_format = v;
    else if ((v = optval(argc, argv, &i, "--log", &missing))) g.log = v;
    else if ((v = optval(argc, argv, &i, "--delegate", &missing))) g.delegate = v;
    else if ((v = optval(argc, argv, &i, "--criu", &missing)) || (v = optval(argc, argv, &i, "--rootless", &missing))) continue;
    else if (missing) break;
    else if (!strcmp(argv[i], "--systemd-cgroup")) g.systemd_cgroup = 1;
    else if (!strcmp(argv[i], "--debug")) g.debug = 1;
    else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) { oci_usage(stdout); return 0; }
    else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--version")) {
      printf("wrun version %s\nspec: 1.0.2\n", WK_VERSION);
      return 0;
    } else {
      fprintf(stderr, TOOL ": error: unknown option '%s'\n(see 'wrun oci --help')\n", argv[i]);
      return 2;
    }
  }
  if (missing) { fprintf(stderr, TOOL ": error: option %s needs a value\n", argv[i]); return 2; }
  if (g.log_format && strcmp(g.log_format, "text") && strcmp(g.log_format, "json")) {
    fprintf(stderr, TOOL ": error: --log-format must be text or json, not '%s'\n", g.log_format);
    return 2;
  }
  if (!g.root) {
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    if (geteuid() != 0 && xdg && *xdg) snprintf(defroot, sizeof defroot, "%s/wrun", xdg);
    else if (geteuid() != 0) snprintf(defroot, sizeof defroot, "/tmp/wrun-%d", (int)geteuid());
    else snprintf(defroot, sizeof defroot, "/run/wrun");
    g.root = defroot;
  }
  if (i >= argc) { fprintf(stderr, TOOL ": error: no command given\n(see 'wrun oci --help')\n"); return 2; }
  int cmd_idx = i;
  const char *cmd = argv[i++];
  const char *bundle = ".", *pid_file = NULL, *console = NULL;
  int bundle_given = 0;
  int force = 0, detach = 0;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    const char *v;
    if (!strcmp(argv[i], "--")) { i++; break; }
    if ((v = optval(argc, argv, &i, "--bundle", &missing)) || (v = optval(argc, argv, &i, "-b", &missing))) bundle = v, bundle_given = 1;
    else if ((v = optval(argc, argv, &i, "--pid-file", &missing))) pid_file = v;
    else if ((v = optval(argc, argv, &i, "--console-socket", &missing))) console = v;
    else if ((v = optval(argc, argv, &i, "--format", &missing))) continue; /* ps: read again below */
    else if ((v = optval(argc, argv, &i, "--preserve-fds", &missing))) {
      if (strcmp(v, "0")) { logmsg(&g, "--preserve-fds %s: wasm guests get no inherited descriptors beyond stdio", v); return 1; }
    } else if (missing) break;
    else if (!strcmp(argv[i], "--force") || !strcmp(argv[i], "-f")) force = 1;
    else if (!strcmp(argv[i], "--detach") || !strcmp(argv[i], "-d")) detach = 1;
    else if (!strcmp(argv[i], "--all") || !strcmp(argv[i], "-a") || !strcmp(argv[i], "--no-pivot") ||
             !strcmp(argv[i], "--no-new-keyring") || !strcmp(argv[i], "--no-subreaper"))
      continue; /* one process per container: --all is the same as without; the rest have no meaning here */
    else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) { oci_usage(stdout); return 0; }
    else { fprintf(stderr, TOOL ": error: %s: unknown option '%s'\n(see 'wrun oci --help')\n", cmd, argv[i]); return 2; }
  }
  if (missing) { fprintf(stderr, TOOL ": error: option %s needs a value\n", argv[i]); return 2; }
  if (!strcmp(cmd, "features")) { /* runtime-spec features.md; takes no id */
    wk_buf b = {0};
    wk_ocirt_features_json(&b);
    if (!b.oom) fwrite(b.data, 1, b.len, stdout);
    wk_buf_free(&b);
    return (b.oom || fflush(stdout)) ? 1 : 0;
  }
  if (i >= argc) { fprintf(stderr, TOOL ": error: %s: no container id given\n(see 'wrun oci --help')\n", cmd); return 2; }
  const char *id = argv[i++];
  wk_error err;
  wk_error_clear(&err);

  if (!strcmp(cmd, "create") || !strcmp(cmd, "run")) {
    if (i < argc) {
      fprintf(stderr, TOOL ": error: %s: unexpected argument '%s'\n", cmd, argv[i]);
      run_word_note(cmd, id, bundle_given);
      return 2;
    }
    wk_ocirt_plan p;
    int prc = wk_ocirt_plan_load(bundle, &p, &err);
    if (prc == WK_ERR_UNSUPPORTED && g.delegate) return delegate(&g, argc, argv, cmd_idx); /* not wasm */
    if (prc) {
      int r = fail(&g, &err);
      run_word_note(cmd, id, bundle_given);
      return r;
    }
    /* what config.json asked for that a wasm guest has no use for: warnings in the log */
    for (size_t k = 0; k < p.n_notes; k++) logline(&g, "warning", p.notes[k]);
    /* run in the foreground: a terminal config keeps our stdio unless a console socket is given */
    wk_ocirt_create_opts co = {pid_file, console, !strcmp(cmd, "run") && !detach, exec_runner, NULL};
    pid_t pid;
    int rc = wk_ocirt_create(g.root, id, &p, &co, &pid, &err);
    wk_ocirt_plan_free(&p);
    if (rc) return fail(&g, &err);
    if (!strcmp(cmd, "create")) return 0;
    g_child = pid;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    if (wk_ocirt_start(g.root, id, &err)) {
      int r = fail(&g, &err);
      wk_ocirt_delete(g.root, id, 1, &err);
      return r;
    }
    if (detach) return 0;
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (wk_ocirt_delete(g.root, id, 1, &err)) fail(&g, &err);
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 1;
  }
  if (delegated(&g, id)) return delegate(&g, argc, argv, cmd_idx);
  if (!strcmp(cmd, "start")) return wk_ocirt_start(g.root, id, &err) ? fail(&g, &err) : 0;
  if (!strcmp(cmd, "state")) {
    wk_ocirt_state s;
    if (wk_ocirt_state_load(g.root, id, &s, &err)) return fail(&g, &err);
    wk_buf b = {0};
    int rc = wk_ocirt_state_json(&s, &b, &err);
    wk_ocirt_state_free(&s);
    if (rc) { wk_buf_free(&b); return fail(&g, &err); }
    fwrite(b.data, 1, b.len, stdout);
    wk_buf_free(&b);
    return fflush(stdout) ? 1 : 0;
  }
  if (!strcmp(cmd, "kill")) {
    int sig = SIGTERM;
    if (i < argc && (sig = wk_ocirt_signal_parse(argv[i++])) < 0) {
      fprintf(stderr, TOOL ": error: kill: unknown signal '%s'\n", argv[i - 1]);
      return 2;
    }
    return wk_ocirt_kill(g.root, id, sig, &err) ? fail(&g, &err) : 0;
  }
  if (!strcmp(cmd, "ps")) { /* runc ps [--format table|json] ID: the container's processes (one here) */
    const char *fmt = "table";
    for (int k = cmd_idx + 1; k < argc; k++)
      if (!strncmp(argv[k], "--format", 8)) fmt = argv[k][8] == '=' ? argv[k] + 9 : (k + 1 < argc ? argv[k + 1] : "");
    wk_ocirt_state s;
    if (wk_ocirt_state_load(g.root, id, &s, &err)) return fail(&g, &err);
    int live = s.status == WK_OCIRT_CREATED || s.status == WK_OCIRT_RUNNING;
    if (!strcmp(fmt, "json")) printf(live ? "[%d]\n" : "[]\n", (int)s.pid);
    else {
      printf("PID\n");
      if (live) printf("%d\n", (int)s.pid);
    }
    wk_ocirt_state_free(&s);
    return fflush(stdout) ? 1 : 0;
  }
  if (!strcmp(cmd, "delete")) return wk_ocirt_delete(g.root, id, force, &err) ? fail(&g, &err) : 0;
  for (int k = 0; runc_commands[k]; k++)
    if (!strcmp(cmd, runc_commands[k])) {
      logmsg(&g, "'%s' is not supported by wrun's OCI runtime (create, start, state, kill, delete, run are)", cmd);
      return 1;
    }
  fprintf(stderr, TOOL ": error: unknown command '%s'\n(see 'wrun oci --help')\n", cmd);
  return 2;
}
