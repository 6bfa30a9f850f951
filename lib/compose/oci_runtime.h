/*
 * lib/compose — wrun as an OCI runtime (issue 16 item 3).
 *
 * The OCI runtime spec (opencontainers/runtime-spec runtime.md) defines a
 * container by a *bundle* (a directory with `config.json`, config.md) and a
 * lifecycle: create -> created -> start -> running -> (process exits) ->
 * stopped -> delete. runc's command line (create/start/state/kill/delete/run
 * with a state directory under `--root`) is the contract podman, CRI-O and
 * containerd's runc shim drive. This library holds the three jobs behind
 * `wrun oci ...`:
 *
 *  1. the run plan: config.json (process.args/env/cwd/user/rlimits/terminal,
 *     root.path/readonly, mounts, annotations, linux.resources.memory.limit)
 *     translated into wrun's own options: the rootfs is preopened as "/",
 *     each directory bind mount becomes `--dir HOST::GUEST[::ro]`, limits come
 *     from rlimits / the memory limit / `wkit.wrun.*` annotations;
 *  2. the state directory ROOT/ID/ (state.json, exec.fifo) that lets each CLI
 *     invocation see the container the previous one created;
 *  3. the lifecycle operations (create forks the container process, which
 *     waits on the exec fifo - as runc's init does - until `start`).
 *
 * No function prints or exits; the container process that create forks
 * calls back into the tool (which execs the runner) once start released it.
 */
#ifndef WK_COMPOSE_OCI_RUNTIME_H
#define WK_COMPOSE_OCI_RUNTIME_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/base.h"

/* runtime.md "State": status values. */
enum wk_ocirt_status {
  WK_OCIRT_CREATING = 0,
  WK_OCIRT_CREATED,
  WK_OCIRT_RUNNING,
  WK_OCIRT_STOPPED,
};
/* "creating", "created", "running", "stopped". */
const char *wk_ocirt_status_name(int status);

typedef struct wk_ocirt_rlimit {
  int resource; /* RLIMIT_* */
  uint64_t soft, hard;
} wk_ocirt_rlimit;

/*
 * A bundle's config.json, checked and translated. All strings malloc'd and
 * owned (wk_ocirt_plan_free).
 *  - `wrun_argv` (n_wrun_argv entries, NULL-terminated): wrun's options
 *    followed by the entrypoint's host path and the guest arguments
 *    process.args[1..], i.e. what follows the program name in
 *    `wrun OPTIONS FILE.wasm ARGS...`. Options used: --dir ROOTFS::/[::ro],
 *    --dir HOST::GUEST[::ro] per bind mount of a directory, --env K=V per
 *    process.env entry, --argv0 process.args[0], and the limits (--max-memory
 *    from RLIMIT_AS or linux.resources.memory.limit, --timeout from
 *    RLIMIT_CPU seconds, and the annotations wkit.wrun.fuel / .timeout /
 *    .max-memory / .max-stack / .max-call-depth, which win).
 *  - `rlimits`: process.rlimits other than RLIMIT_AS and RLIMIT_CPU (which
 *    became interpreter limits), to be applied with setrlimit(2) in the
 *    container process, as runc does.
 *  - `notes`: what was accepted but has no meaning for a wasm guest
 *    (non-bind mounts such as proc/tmpfs/sysfs, file bind mounts - WASI
 *    preopens are directories -, namespaces, hostname), one line each.
 */
typedef struct wk_ocirt_plan {
  char *oci_version;      /* config.json ociVersion */
  char *bundle;           /* absolute, symlinks resolved */
  char *rootfs;           /* absolute, symlinks resolved */
  char *entry;            /* the entrypoint's host path (inside rootfs) */
  char *annotations_json; /* config.json annotations as a JSON object ("{}" when absent) */
  char **wrun_argv;
  size_t n_wrun_argv;
  wk_ocirt_rlimit *rlimits;
  size_t n_rlimits;
  uint32_t uid, gid;
  uint32_t *groups; /* process.user.additionalGids */
  size_t n_groups;
  int terminal;     /* process.terminal */
  char **notes;
  size_t n_notes;
} wk_ocirt_plan;

/*
 * Read BUNDLE/config.json (runtime-spec config.md) and translate it. Errors,
 * naming the field (WK_ERR_IO when config.json or the rootfs cannot be read,
 * WK_ERR_MALFORMED for JSON that is not an object or a field of the wrong
 * type, WK_ERR_INVALID for values the spec forbids or that would escape the
 * sandbox): no process.args; a relative process.cwd; the entrypoint
 * (process.args[0], resolved against root.path, or against process.cwd when
 * relative) missing, not a regular file, outside root.path after resolving
 * symbolic links; a mount destination
 * that is not absolute or has a `..` component; a bind mount source that
 * does not exist; an unknown rlimit type; an annotation limit that does not
 * parse. An entrypoint that is not WebAssembly (no `\0asm` magic) is
 * WK_ERR_UNSUPPORTED and only that: a tool may hand such a bundle to another
 * runtime (wrun oci --delegate). On error `p` is freed and zeroed.
 */
int wk_ocirt_plan_load(const char *bundle, wk_ocirt_plan *p, wk_error *err);
void wk_ocirt_plan_free(wk_ocirt_plan *p);

/* A container's recorded state (ROOT/ID/state.json) with its status as of now. */
typedef struct wk_ocirt_state {
  char *oci_version, *id, *bundle, *annotations_json, *created; /* created: RFC 3339 UTC */
  pid_t pid;
  uint64_t start_time; /* /proc/PID/stat field 22: tells a reused pid apart */
  int status;          /* enum wk_ocirt_status, computed by wk_ocirt_state_load */
} wk_ocirt_state;

/*
 * Load ROOT/ID/state.json and compute the status: the process is gone (or a
 * zombie, or its pid now belongs to another process) -> stopped; alive and
 * the exec fifo still there -> created; alive without it -> running.
 * Errors: WK_ERR_USAGE for an id that is empty, longer than 1024 bytes or has
 * characters other than [A-Za-z0-9._-] (runc's rule, so an id is a single
 * path component); WK_ERR_LINK when no such container exists (message
 * "container ID does not exist", the words podman matches); WK_ERR_MALFORMED
 * for a damaged state file.
 */
int wk_ocirt_state_load(const char *root, const char *id, wk_ocirt_state *st, wk_error *err);
void wk_ocirt_state_free(wk_ocirt_state *st);

/* The runtime-spec state JSON (runtime.md "State"): ociVersion, id, status,
 * pid (only while created or running), bundle, annotations; plus runc's
 * `created` (RFC 3339). Pretty-printed, appended to `out`. */
int wk_ocirt_state_json(const wk_ocirt_state *st, wk_buf *out, wk_error *err);

typedef struct wk_ocirt_create_opts {
  const char *pid_file;       /* NULL, or a file that receives the container's pid */
  const char *console_socket; /* NULL, or an AF_UNIX socket that receives the pty master
                                 (SCM_RIGHTS) when process.terminal is true */
  int keep_stdio;             /* 1: ignore process.terminal and keep the caller's stdio (wrun oci run
                                 in the foreground without --console-socket: the guest's output is
                                 the caller's, as `runc run` shows it on its own terminal) */
  /* Called in the container process after `start` (stdio already set up);
   * must exec the runner and only returns on failure (the process then
   * exits 127). */
  void (*exec_fn)(const wk_ocirt_plan *p, void *ctx);
  void *ctx;
} wk_ocirt_create_opts;

/*
 * runtime.md "Create": make ROOT/ID (error if the id exists: "container ID
 * already exists"), fork the container process - it applies rlimits and the
 * user, takes the pty when terminal, then blocks opening ROOT/ID/exec.fifo
 * for writing - and record state.json (status created, pid, bundle,
 * annotations). The user's program does not run before wk_ocirt_start. The
 * container process is not waited for: once the caller exits, it belongs to
 * the nearest subreaper (conmon, containerd-shim), as with runc.
 * *pid_out receives its pid. On error nothing is left under ROOT/ID and the
 * process (if forked) is killed.
 */
int wk_ocirt_create(const char *root, const char *id, const wk_ocirt_plan *p, const wk_ocirt_create_opts *o,
                    pid_t *pid_out, wk_error *err);

/* runtime.md "Start": the container must be `created`; release its process
 * (read the exec fifo's byte) and remove the fifo. Errors: not created
 * ("container ID is not created: it is running"), the process died. */
int wk_ocirt_start(const char *root, const char *id, wk_error *err);

/* runtime.md "Kill": send `sig` to the container process (created or running
 * only, else "container ID is not running"). */
int wk_ocirt_kill(const char *root, const char *id, int sig, wk_error *err);

/* runtime.md "Delete": remove ROOT/ID. A running container is an error
 * unless `force` (then SIGKILL and wait up to 5 s for it to go); a created one
 * is killed first (runc's behaviour). With `force` an unknown id is not an
 * error (runc). */
int wk_ocirt_delete(const char *root, const char *id, int force, wk_error *err);

/* The runtime-spec features structure (features.md) of this runtime, appended to `out`:
 * ociVersionMin/Max (the versions whose config.json fields are read), hooks [] (none are run),
 * mountOptions (the ones a bind mount's translation reads), annotations (the wkit.wrun.* limit
 * keys with their wrun option). */
void wk_ocirt_features_json(wk_buf *out);

/* "TERM", "SIGTERM", "term", "15" -> 15; -1 when unknown. */
int wk_ocirt_signal_parse(const char *s);

#endif
