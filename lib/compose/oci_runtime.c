/*
 * wrun as an OCI runtime: bundle -> run plan, state directory, lifecycle.
 * See oci_runtime.h; spec: opencontainers/runtime-spec runtime.md (state,
 * lifecycle, operations) and config.md (the bundle's config.json).
 */
#include "compose/oci_runtime.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *wk_ocirt_status_name(int s) {
  switch (s) {
  case WK_OCIRT_CREATED: return "created";
  case WK_OCIRT_RUNNING: return "running";
  case WK_OCIRT_STOPPED: return "stopped";
  default: return "creating";
  }
}

/* ---- small string vector ---- */
typedef struct strv {
  char **v;
  size_t n, cap;
  int oom;
} strv;
static void sv_push(strv *s, const char *x) {
  if (s->oom) return;
  if (s->n + 2 > s->cap) {
    size_t nc = s->cap ? s->cap * 2 : 16;
    char **nv = wk_reallocarray(s->v, nc, sizeof *nv);
    if (!nv) { s->oom = 1; return; }
    s->v = nv;
    s->cap = nc;
  }
  char *d = strdup(x);
  if (!d) { s->oom = 1; return; }
  s->v[s->n++] = d;
  s->v[s->n] = NULL;
}
static void sv_pushf(strv *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sv_pushf(strv *s, const char *fmt, ...) {
  char buf[PATH_MAX + 256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  sv_push(s, buf);
}
static void sv_free(char **v, size_t n) {
  if (!v) return;
  for (size_t i = 0; i < n; i++) free(v[i]);
  free(v);
}

void wk_ocirt_plan_free(wk_ocirt_plan *p) {
  if (!p) return;
  free(p->oci_version);
  free(p->bundle);
  free(p->rootfs);
  free(p->entry);
  free(p->annotations_json);
  sv_free(p->wrun_argv, p->n_wrun_argv);
  free(p->rlimits);
  free(p->groups);
  sv_free(p->notes, p->n_notes);
  memset(p, 0, sizeof *p);
}

/* config.md "POSIX process": rlimit types (getrlimit(2) names). */
static const struct { const char *name; int res; } rlimit_names[] = {
    {"RLIMIT_AS", RLIMIT_AS},           {"RLIMIT_CORE", RLIMIT_CORE},     {"RLIMIT_CPU", RLIMIT_CPU},
    {"RLIMIT_DATA", RLIMIT_DATA},       {"RLIMIT_FSIZE", RLIMIT_FSIZE},   {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK}, {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_NOFILE", RLIMIT_NOFILE},   {"RLIMIT_NPROC", RLIMIT_NPROC},   {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},   {"RLIMIT_RTTIME", RLIMIT_RTTIME}, {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_STACK", RLIMIT_STACK},
};

/* A path component ".." anywhere (config.md mounts: destination is an absolute path in the container). */
static int has_dotdot(const char *p) {
  for (const char *s = p; *s;) {
    const char *e = strchr(s, '/');
    size_t l = e ? (size_t)(e - s) : strlen(s);
    if (l == 2 && s[0] == '.' && s[1] == '.') return 1;
    if (!e) break;
    s = e + 1;
  }
  return 0;
}

static int is_u32(const cJSON *x) { return cJSON_IsNumber(x) && x->valuedouble >= 0 && x->valuedouble <= 4294967295.0; }
/* up to 2^64 - 1 (RLIM_INFINITY as a JSON number is 1.8446744073709552e19 once a double) */
static int is_u64(const cJSON *x) { return cJSON_IsNumber(x) && x->valuedouble >= 0 && x->valuedouble <= 1.8446744073709552e19; }

/* Annotation limits (config.md "annotations"): names under wkit.wrun.; each maps to the wrun option. */
static const struct { const char *key, *opt; int kind; /* 0 count, 1 size, 2 duration */ } ann_limits[] = {
    {"wkit.wrun.fuel", "--fuel", 0},
    {"wkit.wrun.timeout", "--timeout", 2},
    {"wkit.wrun.max-memory", "--max-memory", 1},
    {"wkit.wrun.max-stack", "--max-stack", 1},
    {"wkit.wrun.max-call-depth", "--max-call-depth", 0},
};

static int parse_count(const char *s) {
  if (!*s || *s == '-') return -1;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  return (*end || errno || v == 0) ? -1 : 0;
}

int wk_ocirt_plan_load(const char *bundle, wk_ocirt_plan *p, wk_error *err) {
  memset(p, 0, sizeof *p);
  strv av = {0}, notes = {0};
  cJSON *doc = NULL;
  uint8_t *text = NULL;
  size_t len;
  int rc = WK_OK;
  char path[PATH_MAX + 64], rb[PATH_MAX];

  if (!realpath(bundle, rb)) { rc = wk_error_set(err, WK_ERR_IO, "bundle %s: %s", bundle, strerror(errno)); goto fail; }
  p->bundle = strdup(rb);
  snprintf(path, sizeof path, "%s/config.json", rb);
  if (access(path, F_OK)) {
    rc = wk_error_set(err, WK_ERR_IO, "bundle %s has no config.json (runtime-spec bundle.md)", rb);
    goto fail;
  }
  if ((rc = wk_read_file(path, &text, &len, err))) goto fail;
  doc = cJSON_ParseWithLength((const char *)text, len);
  if (!doc || !cJSON_IsObject(doc)) {
    const char *at = cJSON_GetErrorPtr();
    long off = (doc || !at || at < (const char *)text || at > (const char *)text + len) ? 0 : (long)(at - (const char *)text);
    if (!doc) rc = wk_error_at(err, WK_ERR_MALFORMED, (uint64_t)off, "%s: not valid JSON", path);
    else rc = wk_error_set(err, WK_ERR_MALFORMED, "%s: not a JSON object", path);
    goto fail;
  }
#define BAD(code, ...)                         \
  do {                                         \
    rc = wk_error_set(err, code, __VA_ARGS__); \
    goto fail;                                 \
  } while (0)
  const cJSON *ver = cJSON_GetObjectItemCaseSensitive(doc, "ociVersion");
  if (!cJSON_IsString(ver)) BAD(WK_ERR_MALFORMED, "config.json: ociVersion (a string) is required (config.md)");
  p->oci_version = strdup(ver->valuestring);

  /* root (config.md "Root"): path relative to the bundle, readonly */
  const cJSON *root = cJSON_GetObjectItemCaseSensitive(doc, "root");
  const cJSON *rpath = cJSON_GetObjectItemCaseSensitive(root, "path");
  if (!cJSON_IsString(rpath) || !rpath->valuestring[0]) BAD(WK_ERR_MALFORMED, "config.json: root.path (a string) is required");
  if (rpath->valuestring[0] == '/') snprintf(path, sizeof path, "%s", rpath->valuestring);
  else snprintf(path, sizeof path, "%s/%s", rb, rpath->valuestring);
  struct stat st;
  if (!realpath(path, rb) || stat(rb, &st) || !S_ISDIR(st.st_mode))
    BAD(WK_ERR_IO, "config.json: root.path %s is not a directory", path);
  if (strstr(rb, "::")) BAD(WK_ERR_INVALID, "config.json: root.path %s contains '::'", rb);
  p->rootfs = strdup(rb);
  const cJSON *rro = cJSON_GetObjectItemCaseSensitive(root, "readonly");
  int root_ro = cJSON_IsTrue(rro);

  /* process (config.md "Process") */
  const cJSON *proc = cJSON_GetObjectItemCaseSensitive(doc, "process");
  if (!cJSON_IsObject(proc)) BAD(WK_ERR_MALFORMED, "config.json: process (an object) is required to start a container");
  const cJSON *args = cJSON_GetObjectItemCaseSensitive(proc, "args");
  if (!cJSON_IsArray(args) || !cJSON_GetArraySize(args))
    BAD(WK_ERR_MALFORMED, "config.json: process.args must be a non-empty array (args[0] is the .wasm entrypoint)");
  for (const cJSON *a = args->child; a; a = a->next)
    if (!cJSON_IsString(a)) BAD(WK_ERR_MALFORMED, "config.json: process.args has an element that is not a string");
  const char *arg0 = args->child->valuestring;
  const cJSON *cwd = cJSON_GetObjectItemCaseSensitive(proc, "cwd");
  const char *cwds = "/";
  if (cwd) {
    if (!cJSON_IsString(cwd)) BAD(WK_ERR_MALFORMED, "config.json: process.cwd is not a string");
    if (cwd->valuestring[0] != '/') BAD(WK_ERR_INVALID, "config.json: process.cwd '%s' is not absolute (config.md)", cwd->valuestring);
    cwds = cwd->valuestring;
  }
  p->terminal = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(proc, "terminal"));
  const cJSON *user = cJSON_GetObjectItemCaseSensitive(proc, "user");
  if (user) {
    const cJSON *uid = cJSON_GetObjectItemCaseSensitive(user, "uid"), *gid = cJSON_GetObjectItemCaseSensitive(user, "gid");
    if ((uid && !is_u32(uid)) || (gid && !is_u32(gid))) BAD(WK_ERR_MALFORMED, "config.json: process.user.uid/gid must be numbers");
    p->uid = uid ? (uint32_t)uid->valuedouble : 0;
    p->gid = gid ? (uint32_t)gid->valuedouble : 0;
    const cJSON *ag = cJSON_GetObjectItemCaseSensitive(user, "additionalGids");
    if (cJSON_IsArray(ag) && cJSON_GetArraySize(ag) > 0) {
      p->groups = wk_calloc((size_t)cJSON_GetArraySize(ag), sizeof *p->groups);
      if (!p->groups) BAD(WK_ERR_NOMEM, "out of memory");
      for (const cJSON *g = ag->child; g; g = g->next) {
        if (!is_u32(g)) BAD(WK_ERR_MALFORMED, "config.json: process.user.additionalGids must be numbers");
        p->groups[p->n_groups++] = (uint32_t)g->valuedouble;
      }
    }
  } else {
    p->uid = (uint32_t)getuid();
    p->gid = (uint32_t)getgid();
  }

  /* The entrypoint: args[0] inside the rootfs (relative: against cwd). Symbolic links are resolved
   * on the host, and the result must stay inside root.path (nothing outside the bundle runs). */
  if (arg0[0] == '/') snprintf(path, sizeof path, "%s%s", p->rootfs, arg0);
  else snprintf(path, sizeof path, "%s%s/%s", p->rootfs, strcmp(cwds, "/") ? cwds : "", arg0);
  if (!realpath(path, rb)) BAD(WK_ERR_IO, "the entrypoint %s (process.args[0]) is not in the rootfs %s: %s", arg0, p->rootfs, strerror(errno));
  size_t rl = strlen(p->rootfs);
  if (strncmp(rb, p->rootfs, rl) || (rb[rl] != '/' && rb[rl] != 0 && strcmp(p->rootfs, "/")))
    BAD(WK_ERR_INVALID, "the entrypoint %s (process.args[0]) resolves to %s, outside the rootfs %s", arg0, rb, p->rootfs);
  if (stat(rb, &st) || !S_ISREG(st.st_mode)) BAD(WK_ERR_INVALID, "the entrypoint %s (process.args[0]) is not a regular file", arg0);
  {
    unsigned char mg[4] = {0};
    int fd = open(rb, O_RDONLY | O_CLOEXEC);
    ssize_t got = fd >= 0 ? read(fd, mg, 4) : -1;
    if (fd >= 0) close(fd);
    if (got != 4 || memcmp(mg, "\0asm", 4))
      BAD(WK_ERR_UNSUPPORTED, "the entrypoint %s (process.args[0]) is not WebAssembly (no \\0asm magic): wrun runs only .wasm containers", arg0);
  }
  if (strstr(rb, "::")) BAD(WK_ERR_INVALID, "the entrypoint path %s contains '::'", rb);
  p->entry = strdup(rb);

  /* The rootfs is the guest's "/" (a WASI preopen), read-only when root.readonly. */
  sv_push(&av, "--dir");
  sv_pushf(&av, "%s::/%s", p->rootfs, root_ro ? "::ro" : "");

  /* mounts (config.md "Mounts"): a bind mount of a directory becomes a preopen; the rest is noted. */
  const cJSON *mounts = cJSON_GetObjectItemCaseSensitive(doc, "mounts");
  if (mounts && !cJSON_IsArray(mounts)) BAD(WK_ERR_MALFORMED, "config.json: mounts is not an array");
  int mi = 0;
  for (const cJSON *m = mounts ? mounts->child : NULL; m; m = m->next, mi++) {
    const cJSON *dst = cJSON_GetObjectItemCaseSensitive(m, "destination");
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(m, "source");
    const cJSON *typ = cJSON_GetObjectItemCaseSensitive(m, "type");
    const cJSON *opts = cJSON_GetObjectItemCaseSensitive(m, "options");
    if (!cJSON_IsString(dst)) BAD(WK_ERR_MALFORMED, "config.json: mounts[%d].destination (a string) is required", mi);
    const char *d = dst->valuestring;
    if (d[0] != '/' || has_dotdot(d))
      BAD(WK_ERR_INVALID, "config.json: mounts[%d].destination '%s' must be an absolute path without '..' (it would escape the container's root)", mi, d);
    int bind = 0, ro = 0;
    if (cJSON_IsString(typ) && !strcmp(typ->valuestring, "bind")) bind = 1;
    for (const cJSON *o = cJSON_IsArray(opts) ? opts->child : NULL; o; o = o->next) {
      if (!cJSON_IsString(o)) continue;
      if (!strcmp(o->valuestring, "bind") || !strcmp(o->valuestring, "rbind")) bind = 1;
      else if (!strcmp(o->valuestring, "ro")) ro = 1;
    }
    if (!bind) {
      sv_pushf(&notes, "mount %s (type %s): not a bind mount; a wasm guest has no %s file system", d,
               cJSON_IsString(typ) ? typ->valuestring : "none", cJSON_IsString(typ) ? typ->valuestring : "such");
      continue;
    }
    if (!cJSON_IsString(src) || !src->valuestring[0]) BAD(WK_ERR_MALFORMED, "config.json: mounts[%d] (%s): a bind mount needs a source", mi, d);
    if (src->valuestring[0] == '/') snprintf(path, sizeof path, "%s", src->valuestring);
    else snprintf(path, sizeof path, "%s/%s", p->bundle, src->valuestring);
    if (stat(path, &st)) BAD(WK_ERR_IO, "config.json: mounts[%d]: the source %s of %s: %s", mi, path, d, strerror(errno));
    if (!S_ISDIR(st.st_mode)) {
      sv_pushf(&notes, "mount %s: the source %s is not a directory; WASI preopens are directories, so it is not visible", d, path);
      continue;
    }
    if (strstr(path, "::") || strstr(d, "::")) BAD(WK_ERR_INVALID, "config.json: mounts[%d]: a path contains '::'", mi);
    sv_push(&av, "--dir");
    sv_pushf(&av, "%s::%s%s", path, d, ro ? "::ro" : "");
  }

  /* env (config.md: "KEY=value" strings) */
  const cJSON *env = cJSON_GetObjectItemCaseSensitive(proc, "env");
  if (env && !cJSON_IsArray(env)) BAD(WK_ERR_MALFORMED, "config.json: process.env is not an array");
  for (const cJSON *e = env ? env->child : NULL; e; e = e->next) {
    if (!cJSON_IsString(e) || !strchr(e->valuestring, '=') || e->valuestring[0] == '=')
      BAD(WK_ERR_MALFORMED, "config.json: process.env entries must be KEY=VALUE strings");
    sv_push(&av, "--env");
    sv_push(&av, e->valuestring);
  }
  sv_push(&av, "--argv0");
  sv_push(&av, arg0);

  /* limits: linux.resources.memory.limit and RLIMIT_AS -> --max-memory, RLIMIT_CPU -> --timeout;
   * the other rlimits are applied to the process (setrlimit) */
  uint64_t max_mem = 0, cpu_s = 0;
  const cJSON *mem = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "linux"), "resources"), "memory"),
      "limit");
  if (is_u64(mem) && mem->valuedouble > 0) max_mem = (uint64_t)mem->valuedouble;
  const cJSON *rls = cJSON_GetObjectItemCaseSensitive(proc, "rlimits");
  if (rls && !cJSON_IsArray(rls)) BAD(WK_ERR_MALFORMED, "config.json: process.rlimits is not an array");
  if (rls && cJSON_GetArraySize(rls)) {
    p->rlimits = wk_calloc((size_t)cJSON_GetArraySize(rls), sizeof *p->rlimits);
    if (!p->rlimits) BAD(WK_ERR_NOMEM, "out of memory");
  }
  for (const cJSON *r = rls ? rls->child : NULL; r; r = r->next) {
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(r, "type");
    const cJSON *so = cJSON_GetObjectItemCaseSensitive(r, "soft"), *ha = cJSON_GetObjectItemCaseSensitive(r, "hard");
    if (!cJSON_IsString(t) || !is_u64(so) || !is_u64(ha)) BAD(WK_ERR_MALFORMED, "config.json: process.rlimits entries need type, soft and hard");
    size_t k;
    for (k = 0; k < sizeof rlimit_names / sizeof *rlimit_names; k++)
      if (!strcmp(rlimit_names[k].name, t->valuestring)) break;
    if (k == sizeof rlimit_names / sizeof *rlimit_names) BAD(WK_ERR_INVALID, "config.json: unknown rlimit type %s", t->valuestring);
    uint64_t sv = so->valuedouble >= 1.8e19 ? UINT64_MAX : (uint64_t)so->valuedouble;
    if (rlimit_names[k].res == RLIMIT_AS) { if (!max_mem || sv < max_mem) max_mem = sv; continue; }
    if (rlimit_names[k].res == RLIMIT_CPU) { cpu_s = sv; continue; }
    p->rlimits[p->n_rlimits++] = (wk_ocirt_rlimit){rlimit_names[k].res, sv, ha->valuedouble >= 1.8e19 ? UINT64_MAX : (uint64_t)ha->valuedouble};
  }
  const cJSON *ann = cJSON_GetObjectItemCaseSensitive(doc, "annotations");
  if (ann && !cJSON_IsObject(ann)) BAD(WK_ERR_MALFORMED, "config.json: annotations is not an object");
  const char *ann_val[sizeof ann_limits / sizeof *ann_limits] = {0};
  for (size_t k = 0; k < sizeof ann_limits / sizeof *ann_limits; k++) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(ann, ann_limits[k].key);
    if (!v) continue;
    if (!cJSON_IsString(v)) BAD(WK_ERR_MALFORMED, "config.json: annotation %s is not a string", ann_limits[k].key);
    uint64_t x;
    int bad = ann_limits[k].kind == 0 ? parse_count(v->valuestring)
              : ann_limits[k].kind == 1 ? (wk_parse_size(v->valuestring, &x) || !x) /* wrun: not 0 */
                                        : (wk_parse_duration(v->valuestring, &x) || !x);
    if (bad) BAD(WK_ERR_INVALID, "config.json: annotation %s=%s is not a valid %s", ann_limits[k].key, v->valuestring,
                 ann_limits[k].kind == 0 ? "count" : ann_limits[k].kind == 1 ? "size (e.g. 64MiB)" : "duration (e.g. 2s)");
    ann_val[k] = v->valuestring;
  }
  if (max_mem && max_mem != UINT64_MAX && !ann_val[2]) { sv_push(&av, "--max-memory"); sv_pushf(&av, "%llu", (unsigned long long)max_mem); }
  if (cpu_s && cpu_s != UINT64_MAX && !ann_val[1]) { sv_push(&av, "--timeout"); sv_pushf(&av, "%llus", (unsigned long long)cpu_s); }
  for (size_t k = 0; k < sizeof ann_limits / sizeof *ann_limits; k++)
    if (ann_val[k]) { sv_push(&av, ann_limits[k].opt); sv_push(&av, ann_val[k]); }
  char *aj = ann ? cJSON_PrintUnformatted(ann) : strdup("{}");
  if (!aj) BAD(WK_ERR_NOMEM, "out of memory");
  p->annotations_json = aj;

  /* what has no meaning for a wasm guest */
  const cJSON *linux_ = cJSON_GetObjectItemCaseSensitive(doc, "linux");
  if (cJSON_GetObjectItemCaseSensitive(linux_, "namespaces"))
    sv_push(&notes, "linux.namespaces: not created; the guest is isolated by the wasm sandbox (only its preopens are visible)");
  if (cJSON_GetObjectItemCaseSensitive(doc, "hostname")) sv_push(&notes, "hostname: a wasm guest has no hostname");
  if (cJSON_GetObjectItemCaseSensitive(doc, "hooks")) sv_push(&notes, "hooks: not run (wrun runs no OCI hooks)");

  /* the runner's command line: options, "--", the entrypoint, the guest's args[1..] */
  sv_push(&av, "--");
  sv_push(&av, p->entry);
  for (const cJSON *a = args->child->next; a; a = a->next) sv_push(&av, a->valuestring);
  if (av.oom || notes.oom || !p->bundle || !p->rootfs || !p->entry || !p->oci_version) BAD(WK_ERR_NOMEM, "out of memory");
  p->wrun_argv = av.v;
  p->n_wrun_argv = av.n;
  p->notes = notes.v;
  p->n_notes = notes.n;
#undef BAD
  cJSON_Delete(doc);
  free(text);
  return WK_OK;
fail:
  cJSON_Delete(doc);
  free(text);
  sv_free(av.v, av.n);
  sv_free(notes.v, notes.n);
  wk_ocirt_plan_free(p);
  return rc;
}

/* ---- state directory ---- */

/* runc's id rule: ^[\w+-\.]+$ - one path component, never "." or "..". */
static int check_id(const char *id, wk_error *err) {
  size_t l = strlen(id);
  if (!l || l > 1024 || !strcmp(id, ".") || !strcmp(id, ".."))
    return wk_error_set(err, WK_ERR_USAGE, "invalid container id '%s'", id);
  for (const char *c = id; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' ||
          *c == '.' || *c == '+'))
      return wk_error_set(err, WK_ERR_USAGE, "invalid container id '%s': use letters, digits, '_', '-', '+' and '.'", id);
  return WK_OK;
}

static void cpath(char *out, size_t n, const char *root, const char *id, const char *file) {
  if (file) snprintf(out, n, "%s/%s/%s", root, id, file);
  else snprintf(out, n, "%s/%s", root, id);
}

/* /proc/PID/stat: state letter and start time (field 22). Returns -1 when the process is gone. */
static int proc_stat(pid_t pid, char *state, uint64_t *start) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = 0;
  char *rp = strrchr(buf, ')');
  if (!rp || rp[1] != ' ') return -1;
  *state = rp[2];
  /* fields after ')' start with field 3 (state); start time is field 22 */
  char *s = rp + 2;
  for (int f = 3; f < 22 && s; f++) {
    s = strchr(s, ' ');
    if (s) s++;
  }
  *start = s ? strtoull(s, NULL, 10) : 0;
  return 0;
}

static int alive(pid_t pid, uint64_t start) {
  char st;
  uint64_t t;
  if (pid <= 0 || proc_stat(pid, &st, &t)) return 0;
  if (st == 'Z' || st == 'X') return 0;
  return !start || t == start;
}

void wk_ocirt_state_free(wk_ocirt_state *s) {
  if (!s) return;
  free(s->oci_version);
  free(s->id);
  free(s->bundle);
  free(s->annotations_json);
  free(s->created);
  memset(s, 0, sizeof *s);
}

int wk_ocirt_state_load(const char *root, const char *id, wk_ocirt_state *s, wk_error *err) {
  memset(s, 0, sizeof *s);
  int rc = check_id(id, err);
  if (rc) return rc;
  char path[PATH_MAX];
  cpath(path, sizeof path, root, id, "state.json");
  if (access(path, F_OK)) return wk_error_set(err, WK_ERR_LINK, "container %s does not exist", id);
  uint8_t *text;
  size_t len;
  if ((rc = wk_read_file(path, &text, &len, err))) return rc;
  cJSON *d = cJSON_ParseWithLength((const char *)text, len);
  free(text);
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(d, "ociVersion"), *b = cJSON_GetObjectItemCaseSensitive(d, "bundle");
  const cJSON *pid = cJSON_GetObjectItemCaseSensitive(d, "pid"), *t0 = cJSON_GetObjectItemCaseSensitive(d, "wkitStartTime");
  const cJSON *cr = cJSON_GetObjectItemCaseSensitive(d, "created"), *an = cJSON_GetObjectItemCaseSensitive(d, "annotations");
  if (!cJSON_IsString(v) || !cJSON_IsString(b) || !cJSON_IsNumber(pid) || !cJSON_IsNumber(t0) || !cJSON_IsString(cr) ||
      !cJSON_IsObject(an)) {
    cJSON_Delete(d);
    return wk_error_set(err, WK_ERR_MALFORMED, "%s: damaged state file", path);
  }
  s->oci_version = strdup(v->valuestring);
  s->id = strdup(id);
  s->bundle = strdup(b->valuestring);
  s->created = strdup(cr->valuestring);
  s->annotations_json = cJSON_PrintUnformatted(an);
  s->pid = (pid_t)pid->valueint;
  s->start_time = (uint64_t)t0->valuedouble;
  cJSON_Delete(d);
  if (!s->oci_version || !s->id || !s->bundle || !s->created || !s->annotations_json) {
    wk_ocirt_state_free(s);
    return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  }
  cpath(path, sizeof path, root, id, "exec.fifo");
  if (!alive(s->pid, s->start_time)) s->status = WK_OCIRT_STOPPED;
  else if (!access(path, F_OK)) s->status = WK_OCIRT_CREATED;
  else s->status = WK_OCIRT_RUNNING;
  return WK_OK;
}

int wk_ocirt_state_json(const wk_ocirt_state *s, wk_buf *out, wk_error *err) {
  cJSON *o = cJSON_CreateObject();
  cJSON *an = cJSON_Parse(s->annotations_json);
  int ok = o && an;
  ok = ok && cJSON_AddStringToObject(o, "ociVersion", s->oci_version);
  ok = ok && cJSON_AddStringToObject(o, "id", s->id);
  ok = ok && cJSON_AddStringToObject(o, "status", wk_ocirt_status_name(s->status));
  /* runtime.md "State": pid REQUIRED when created or running (on Linux) */
  if (ok && (s->status == WK_OCIRT_CREATED || s->status == WK_OCIRT_RUNNING)) ok = cJSON_AddNumberToObject(o, "pid", s->pid) != NULL;
  ok = ok && cJSON_AddStringToObject(o, "bundle", s->bundle);
  if (ok) { ok = cJSON_AddItemToObject(o, "annotations", an); if (ok) an = NULL; }
  ok = ok && cJSON_AddStringToObject(o, "created", s->created);
  char *txt = ok ? cJSON_Print(o) : NULL;
  cJSON_Delete(o);
  cJSON_Delete(an);
  if (!txt) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  wk_buf_str(out, txt);
  wk_buf_byte(out, '\n');
  free(txt);
  return out->oom ? wk_error_set(err, WK_ERR_NOMEM, "out of memory") : WK_OK;
}

static void remove_dir(const char *root, const char *id) {
  char path[PATH_MAX];
  cpath(path, sizeof path, root, id, "exec.fifo");
  unlink(path);
  cpath(path, sizeof path, root, id, "state.json");
  unlink(path);
  cpath(path, sizeof path, root, id, NULL);
  rmdir(path);
}

/* Send the pty master over the console socket (SCM_RIGHTS), as runc does for conmon. */
static int send_console(const char *sock, int fd, wk_error *err) {
  struct sockaddr_un sa;
  memset(&sa, 0, sizeof sa);
  sa.sun_family = AF_UNIX;
  if (strlen(sock) >= sizeof sa.sun_path) return wk_error_set(err, WK_ERR_USAGE, "console socket path too long: %s", sock);
  strcpy(sa.sun_path, sock);
  int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof sa)) {
    int e = errno;
    if (s >= 0) close(s);
    return wk_error_set(err, WK_ERR_IO, "console socket %s: %s", sock, strerror(e));
  }
  char name[] = "/dev/ptmx";
  struct iovec iov = {name, sizeof name - 1};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } u;
  memset(&u, 0, sizeof u);
  struct msghdr mh = {0};
  mh.msg_iov = &iov;
  mh.msg_iovlen = 1;
  mh.msg_control = u.buf;
  mh.msg_controllen = sizeof u.buf;
  struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &fd, sizeof(int));
  ssize_t n = sendmsg(s, &mh, 0);
  int e = errno;
  close(s);
  if (n < 0) return wk_error_set(err, WK_ERR_IO, "console socket %s: %s", sock, strerror(e));
  return WK_OK;
}

static void child_fail(int fd, const char *what) {
  char msg[512];
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(errno));
  ssize_t w = write(fd, msg, strlen(msg));
  (void)w;
  _exit(127);
}

int wk_ocirt_create(const char *root, const char *id, const wk_ocirt_plan *p, const wk_ocirt_create_opts *o, pid_t *pid_out,
                    wk_error *err) {
  int rc = check_id(id, err);
  if (rc) return rc;
  int terminal = p->terminal && !(o && o->keep_stdio && !o->console_socket);
  if (terminal && !(o && o->console_socket))
    return wk_error_set(err, WK_ERR_USAGE, "process.terminal is true but no --console-socket was given");
  char dir[PATH_MAX], fifo[PATH_MAX], path[PATH_MAX];
  if (wk_mkdir_p(root, 0711)) return wk_error_set(err, WK_ERR_IO, "state root %s: %s", root, strerror(errno));
  cpath(dir, sizeof dir, root, id, NULL);
  if (mkdir(dir, 0711)) {
    if (errno == EEXIST) return wk_error_set(err, WK_ERR_USAGE, "container %s already exists", id);
    return wk_error_set(err, WK_ERR_IO, "%s: %s", dir, strerror(errno));
  }
  cpath(fifo, sizeof fifo, root, id, "exec.fifo");
  if (mkfifo(fifo, 0600) || (geteuid() == 0 && chown(fifo, p->uid, p->gid))) {
    rc = wk_error_set(err, WK_ERR_IO, "%s: %s", fifo, strerror(errno));
    remove_dir(root, id);
    return rc;
  }
  int master = -1;
  char *slave = NULL;
  if (terminal) {
    master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || grantpt(master) || unlockpt(master) || !(slave = ptsname(master))) {
      rc = wk_error_set(err, WK_ERR_IO, "cannot open a pseudo-terminal: %s", strerror(errno));
      goto undo;
    }
    slave = strdup(slave);
    if (!slave) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto undo; }
  }
  int sync[2];
  if (pipe2(sync, O_CLOEXEC)) { rc = wk_error_set(err, WK_ERR_IO, "pipe: %s", strerror(errno)); goto undo; }
  pid_t pid = fork();
  if (pid < 0) {
    rc = wk_error_set(err, WK_ERR_IO, "fork: %s", strerror(errno));
    close(sync[0]);
    close(sync[1]);
    goto undo;
  }
  if (pid == 0) {
    /* the container process (runc's init): set up, report, then wait for start on the fifo */
    close(sync[0]);
    setsid();
    if (slave) {
      int t = open(slave, O_RDWR);
      if (t < 0 || ioctl(t, TIOCSCTTY, 0) || dup2(t, 0) < 0 || dup2(t, 1) < 0 || dup2(t, 2) < 0) child_fail(sync[1], "pseudo-terminal");
      if (t > 2) close(t);
    }
    for (size_t k = 0; k < p->n_rlimits; k++) {
      struct rlimit r = {(rlim_t)p->rlimits[k].soft, (rlim_t)p->rlimits[k].hard};
      if (p->rlimits[k].soft == UINT64_MAX) r.rlim_cur = RLIM_INFINITY;
      if (p->rlimits[k].hard == UINT64_MAX) r.rlim_max = RLIM_INFINITY;
      /* Raising a hard limit needs CAP_SYS_RESOURCE; without it (a container in a container) the
       * limit is clamped to the current hard limit, so lowering a limit is always enforced. */
      struct rlimit cur;
      int res = p->rlimits[k].resource;
      int e = setrlimit(res, &r) ? errno : 0;
      if (e == EPERM && !getrlimit(res, &cur) && cur.rlim_max != RLIM_INFINITY &&
          (r.rlim_max == RLIM_INFINITY || r.rlim_max > cur.rlim_max)) {
        r.rlim_max = cur.rlim_max;
        if (r.rlim_cur == RLIM_INFINITY || r.rlim_cur > r.rlim_max) r.rlim_cur = r.rlim_max;
        e = setrlimit(res, &r) ? errno : 0;
      }
      if (e) {
        char what[96];
        snprintf(what, sizeof what, "setrlimit (process.rlimits, resource %d)", res);
        errno = e;
        child_fail(sync[1], what);
      }
    }
    if (getuid() != p->uid || getgid() != p->gid) {
      gid_t gs[64];
      size_t ng = p->n_groups < 64 ? p->n_groups : 64;
      for (size_t k = 0; k < ng; k++) gs[k] = p->groups[k];
      if (geteuid() == 0 && setgroups(ng, gs)) child_fail(sync[1], "setgroups (process.user.additionalGids)");
      if (setgid(p->gid)) child_fail(sync[1], "setgid (process.user.gid)");
      if (setuid(p->uid)) child_fail(sync[1], "setuid (process.user.uid)");
    }
    close(sync[1]); /* EOF: set up */
    int f = open(fifo, O_WRONLY | O_CLOEXEC); /* blocks until start opens it for reading */
    if (f < 0) _exit(127);
    if (write(f, "0", 1) != 1) _exit(127);
    close(f);
    if (o && o->exec_fn) o->exec_fn(p, o->ctx);
    _exit(127);
  }
  close(sync[1]);
  char msg[512];
  size_t got = 0;
  for (;;) {
    ssize_t n = read(sync[0], msg + got, sizeof msg - 1 - got);
    if (n > 0) { got += (size_t)n; if (got < sizeof msg - 1) continue; }
    if (n < 0 && errno == EINTR) continue;
    break;
  }
  close(sync[0]);
  msg[got] = 0;
  if (got) {
    waitpid(pid, NULL, 0);
    rc = wk_error_set(err, WK_ERR_IO, "container process: %s", msg);
    goto undo;
  }
  if (master >= 0 && (rc = send_console(o->console_socket, master, err))) {
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    goto undo;
  }
  /* state.json (runtime.md "State") with runc's `created`; wkitStartTime tells a reused pid apart */
  char st;
  uint64_t t0 = 0;
  proc_stat(pid, &st, &t0);
  char created[40];
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
  cJSON *sj = cJSON_CreateObject();
  cJSON *an = cJSON_Parse(p->annotations_json);
  int ok = sj && an && cJSON_AddStringToObject(sj, "ociVersion", p->oci_version) && cJSON_AddStringToObject(sj, "id", id) &&
           cJSON_AddNumberToObject(sj, "pid", pid) && cJSON_AddNumberToObject(sj, "wkitStartTime", (double)t0) &&
           cJSON_AddStringToObject(sj, "bundle", p->bundle) && cJSON_AddStringToObject(sj, "created", created);
  if (ok) { ok = cJSON_AddItemToObject(sj, "annotations", an); if (ok) an = NULL; }
  char *txt = ok ? cJSON_Print(sj) : NULL;
  cJSON_Delete(sj);
  cJSON_Delete(an);
  cpath(path, sizeof path, root, id, "state.json");
  if (!txt) rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  else rc = wk_write_file_atomic(path, txt, strlen(txt), err);
  free(txt);
  if (!rc && o && o->pid_file) {
    char pb[32];
    snprintf(pb, sizeof pb, "%d", (int)pid);
    rc = wk_write_file_atomic(o->pid_file, pb, strlen(pb), err);
  }
  if (rc) {
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    goto undo;
  }
  if (master >= 0) close(master);
  free(slave);
  if (pid_out) *pid_out = pid;
  return WK_OK;
undo:
  if (master >= 0) close(master);
  free(slave);
  remove_dir(root, id);
  return rc;
}

int wk_ocirt_start(const char *root, const char *id, wk_error *err) {
  wk_ocirt_state s;
  int rc = wk_ocirt_state_load(root, id, &s, err);
  if (rc) return rc;
  if (s.status != WK_OCIRT_CREATED) {
    rc = wk_error_set(err, WK_ERR_USAGE, "container %s is not created: it is %s", id, wk_ocirt_status_name(s.status));
    wk_ocirt_state_free(&s);
    return rc;
  }
  char fifo[PATH_MAX];
  cpath(fifo, sizeof fifo, root, id, "exec.fifo");
  int fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    rc = wk_error_set(err, WK_ERR_IO, "%s: %s", fifo, strerror(errno));
    wk_ocirt_state_free(&s);
    return rc;
  }
  rc = wk_error_set(err, WK_ERR_IO, "container %s: its process did not take the start signal within 10 s", id);
  for (int waited = 0; waited < 10000; waited += 50) {
    char c;
    ssize_t n = read(fd, &c, 1);
    if (n == 1) { rc = WK_OK; wk_error_clear(err); break; }
    if (!alive(s.pid, s.start_time)) {
      rc = wk_error_set(err, WK_ERR_IO, "container %s: its process exited before start", id);
      break;
    }
    struct pollfd pf = {fd, POLLIN, 0};
    poll(&pf, 1, 50);
  }
  close(fd);
  if (!rc) unlink(fifo); /* no fifo + live process = running */
  wk_ocirt_state_free(&s);
  return rc;
}

int wk_ocirt_kill(const char *root, const char *id, int sig, wk_error *err) {
  wk_ocirt_state s;
  int rc = wk_ocirt_state_load(root, id, &s, err);
  if (rc) return rc;
  if (s.status != WK_OCIRT_CREATED && s.status != WK_OCIRT_RUNNING) rc = wk_error_set(err, WK_ERR_USAGE, "container %s is not running", id);
  else if (kill(s.pid, sig)) rc = wk_error_set(err, WK_ERR_IO, "kill %d: %s", (int)s.pid, strerror(errno));
  wk_ocirt_state_free(&s);
  return rc;
}

int wk_ocirt_delete(const char *root, const char *id, int force, wk_error *err) {
  wk_ocirt_state s;
  int rc = wk_ocirt_state_load(root, id, &s, err);
  if (rc == WK_ERR_LINK && force) { wk_error_clear(err); return WK_OK; }
  if (rc) return rc;
  if (s.status == WK_OCIRT_RUNNING && !force) {
    rc = wk_error_set(err, WK_ERR_USAGE, "cannot delete container %s that is not stopped: it is running (use --force)", id);
    wk_ocirt_state_free(&s);
    return rc;
  }
  if (s.status != WK_OCIRT_STOPPED) {
    kill(s.pid, SIGKILL);
    int waited = 0;
    while (alive(s.pid, s.start_time) && waited < 5000) {
      if (waitpid(s.pid, NULL, WNOHANG) == s.pid) break; /* our own child (wrun oci run) */
      struct timespec ts = {0, 10 * 1000000};
      nanosleep(&ts, NULL);
      waited += 10;
    }
    if (alive(s.pid, s.start_time)) {
      rc = wk_error_set(err, WK_ERR_IO, "container %s: process %d did not stop after SIGKILL", id, (int)s.pid);
      wk_ocirt_state_free(&s);
      return rc;
    }
  }
  remove_dir(root, id);
  wk_ocirt_state_free(&s);
  return WK_OK;
}

void wk_ocirt_features_json(wk_buf *out) {
  wk_buf_str(out, "{\n  \"ociVersionMin\": \"1.0.0\",\n  \"ociVersionMax\": \"1.1.0\",\n  \"hooks\": [],\n"
                  "  \"mountOptions\": [\"bind\", \"rbind\", \"ro\"],\n  \"annotations\": {");
  for (size_t k = 0; k < sizeof ann_limits / sizeof *ann_limits; k++)
    wk_buf_printf(out, "%s\n    \"%s\": \"%s\"", k ? "," : "", ann_limits[k].key, ann_limits[k].opt);
  wk_buf_str(out, "\n  }\n}\n");
}

int wk_ocirt_signal_parse(const char *s) {
  static const struct { const char *n; int v; } sigs[] = {
      {"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"ILL", SIGILL},   {"TRAP", SIGTRAP}, {"ABRT", SIGABRT},
      {"BUS", SIGBUS},   {"FPE", SIGFPE},   {"KILL", SIGKILL}, {"USR1", SIGUSR1}, {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},
      {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT}, {"STOP", SIGSTOP},
      {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU}, {"URG", SIGURG},   {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ},
      {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH}, {"IO", SIGIO}, {"PWR", SIGPWR}, {"SYS", SIGSYS},
  };
  if (!s || !*s) return -1;
  if (*s >= '0' && *s <= '9') {
    char *end;
    long v = strtol(s, &end, 10);
    return (*end || v <= 0 || v >= 65) ? -1 : (int)v;
  }
  const char *n = s;
  if (!strncasecmp(n, "SIG", 3)) n += 3;
  for (size_t k = 0; k < sizeof sigs / sizeof *sigs; k++)
    if (!strcasecmp(n, sigs[k].n)) return sigs[k].v;
  return -1;
}
