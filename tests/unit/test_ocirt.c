/* Unit tests for lib/compose/oci_runtime: a bundle's config.json -> the wrun command line
 * (rootfs as "/", bind mounts of directories as --dir, env, argv0, limits), what is noted instead of
 * run, errors naming the field, the state file's status, signal names, and lib/base's size and
 * duration rules the annotation limits use. The lifecycle itself (fork, fifo, podman) is
 * tests/oci/suite-ociruntime.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "compose/oci_runtime.h"

static char dir[PATH_MAX];

static void put(const char *rel, const char *text) {
  char p[PATH_MAX + 64];
  snprintf(p, sizeof p, "%s/%s", dir, rel);
  FILE *f = fopen(p, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static int setup(void **state) {
  snprintf(dir, sizeof dir, "/tmp/wk-ocirt-XXXXXX");
  assert_non_null(mkdtemp(dir));
  char p[PATH_MAX + 64];
  snprintf(p, sizeof p, "%s/rootfs", dir);
  mkdir(p, 0755);
  snprintf(p, sizeof p, "%s/data", dir);
  mkdir(p, 0755);
  put("rootfs/app.wasm", "\0asm");
  /* fputs stops at NUL: write the magic explicitly */
  snprintf(p, sizeof p, "%s/rootfs/app.wasm", dir);
  FILE *f = fopen(p, "wb");
  fwrite("\0asm\1\0\0\0", 1, 8, f);
  fclose(f);
  put("rootfs/notwasm", "#!/bin/sh\n");
  put("file.txt", "x");
  return 0;
}

static int teardown(void **state) {
  char cmd[PATH_MAX + 16];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd);
}

static char *joined(const wk_ocirt_plan *p) {
  static char buf[4 * PATH_MAX + 512];
  buf[0] = 0;
  for (size_t i = 0; i < p->n_wrun_argv; i++) {
    if (i) strcat(buf, " ");
    strcat(buf, p->wrun_argv[i]);
  }
  return buf;
}

static void test_plan(void **state) {
  char cfg[8192], want[4 * PATH_MAX + 512];
  snprintf(cfg, sizeof cfg,
           "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\",\"readonly\":true},"
           "\"process\":{\"args\":[\"/app.wasm\",\"a b\",\"-x\"],\"env\":[\"A=1\",\"B=x=y\"],\"cwd\":\"/\","
           "\"user\":{\"uid\":5,\"gid\":6,\"additionalGids\":[7]},"
           "\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":10,\"hard\":20},{\"type\":\"RLIMIT_CPU\",\"soft\":3,\"hard\":4},"
           "{\"type\":\"RLIMIT_AS\",\"soft\":1048576,\"hard\":1048576},"
           "{\"type\":\"RLIMIT_CORE\",\"soft\":18446744073709551615,\"hard\":18446744073709551615}]},"
           "\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
           "{\"destination\":\"/d\",\"type\":\"bind\",\"source\":\"data\",\"options\":[\"rbind\",\"ro\"]},"
           "{\"destination\":\"/rw\",\"source\":\"%s/data\",\"options\":[\"bind\"]},"
           "{\"destination\":\"/etc/hosts\",\"type\":\"bind\",\"source\":\"file.txt\"}],"
           "\"linux\":{\"namespaces\":[{\"type\":\"pid\"}],\"resources\":{\"memory\":{\"limit\":4194304}}},"
           "\"annotations\":{\"wkit.wrun.fuel\":\"1000\",\"z\":\"1\"}}",
           dir);
  put("config.json", cfg);
  wk_ocirt_plan p;
  wk_error e;
  wk_error_clear(&e);
  assert_int_equal(wk_ocirt_plan_load(dir, &p, &e), WK_OK);
  char rd[PATH_MAX];
  assert_non_null(realpath(dir, rd));
  /* RLIMIT_AS (1 MiB) is below the memory limit (4 MiB): the smaller wins */
  snprintf(want, sizeof want,
           "--dir %s/rootfs::/::ro --dir %s/data::/d::ro --dir %s/data::/rw --env A=1 --env B=x=y --argv0 /app.wasm "
           "--max-memory 1048576 --timeout 3s --fuel 1000 -- %s/rootfs/app.wasm a b -x",
           rd, rd, dir, rd);
  assert_string_equal(joined(&p), want);
  assert_string_equal(p.oci_version, "1.0.2");
  assert_string_equal(p.annotations_json, "{\"wkit.wrun.fuel\":\"1000\",\"z\":\"1\"}");
  assert_int_equal(p.uid, 5);
  assert_int_equal(p.gid, 6);
  assert_int_equal(p.n_groups, 1);
  assert_int_equal(p.n_rlimits, 2); /* RLIMIT_AS and RLIMIT_CPU became interpreter limits */
  assert_int_equal(p.rlimits[0].resource, RLIMIT_NOFILE);
  assert_int_equal(p.rlimits[0].soft, 10);
  assert_int_equal(p.rlimits[0].hard, 20);
  assert_int_equal(p.rlimits[1].resource, RLIMIT_CORE); /* 2^64-1 (RLIM_INFINITY) as a JSON number */
  assert_true(p.rlimits[1].soft == UINT64_MAX && p.rlimits[1].hard == UINT64_MAX);
  assert_int_equal(p.n_notes, 3); /* /proc, the file bind mount, namespaces */
  assert_non_null(strstr(p.notes[0], "/proc"));
  assert_non_null(strstr(p.notes[1], "/etc/hosts"));
  wk_ocirt_plan_free(&p);
}

static void expect_error(const char *cfg, int code, const char *msg) {
  put("config.json", cfg);
  wk_ocirt_plan p;
  wk_error e;
  wk_error_clear(&e);
  int rc = wk_ocirt_plan_load(dir, &p, &e);
  if (rc != code || !strstr(e.msg, msg)) fprintf(stderr, "got %d '%s', want %d '%s'\n", rc, e.msg, code, msg);
  assert_int_equal(rc, code);
  assert_non_null(strstr(e.msg, msg));
  assert_null(p.wrun_argv);
}

#define HEAD "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},"
static void test_errors(void **state) {
  expect_error("[1]", WK_ERR_MALFORMED, "not a JSON object");
  expect_error("{\"root\":{\"path\":\"rootfs\"}}", WK_ERR_MALFORMED, "ociVersion");
  expect_error("{\"ociVersion\":\"1\",\"process\":{\"args\":[\"/app.wasm\"]}}", WK_ERR_MALFORMED, "root.path");
  expect_error(HEAD "\"process\":{\"args\":[]}}", WK_ERR_MALFORMED, "process.args must be a non-empty array");
  expect_error(HEAD "\"process\":{\"args\":[\"/app.wasm\", 3]}}", WK_ERR_MALFORMED, "not a string");
  expect_error(HEAD "\"process\":{\"args\":[\"/notwasm\"]}}", WK_ERR_UNSUPPORTED, "is not WebAssembly");
  expect_error(HEAD "\"process\":{\"args\":[\"/\"]}}", WK_ERR_INVALID, "is not a regular file");
  expect_error(HEAD "\"process\":{\"args\":[\"../file.txt\"]}}", WK_ERR_INVALID, "outside the rootfs");
  expect_error(HEAD "\"process\":{\"args\":[\"/app.wasm\"],\"env\":[\"NOEQUALS\"]}}", WK_ERR_MALFORMED, "KEY=VALUE");
  expect_error(HEAD "\"process\":{\"args\":[\"/app.wasm\"],\"rlimits\":[{\"type\":\"RLIMIT_BOGUS\",\"soft\":1,\"hard\":1}]}}",
               WK_ERR_INVALID, "unknown rlimit type RLIMIT_BOGUS");
  expect_error(HEAD "\"process\":{\"args\":[\"/app.wasm\"]},\"mounts\":[{\"destination\":\"/a/../..\",\"type\":\"bind\",\"source\":\"data\"}]}",
               WK_ERR_INVALID, "without '..'");
  expect_error(HEAD "\"process\":{\"args\":[\"/app.wasm\"]},\"mounts\":[{\"destination\":\"/a\",\"type\":\"bind\"}]}",
               WK_ERR_MALFORMED, "needs a source");
  expect_error(HEAD "\"process\":{\"args\":[\"/app.wasm\"]},\"annotations\":{\"wkit.wrun.timeout\":\"0\"}}", WK_ERR_INVALID,
               "wkit.wrun.timeout=0 is not a valid duration");
  expect_error(HEAD "\"process\":{\"args\":[\"/app.wasm\"]},\"annotations\":{\"wkit.wrun.max-call-depth\":\"-1\"}}",
               WK_ERR_INVALID, "not a valid count");
  /* a size limit of 0 is refused as wrun refuses --max-memory 0 / --max-stack 0 */
  expect_error(HEAD "\"process\":{\"args\":[\"/app.wasm\"]},\"annotations\":{\"wkit.wrun.max-memory\":\"0\"}}",
               WK_ERR_INVALID, "wkit.wrun.max-memory=0 is not a valid size");
  expect_error(HEAD "\"process\":{\"args\":[\"/app.wasm\"]},\"annotations\":{\"wkit.wrun.max-stack\":\"0KiB\"}}",
               WK_ERR_INVALID, "wkit.wrun.max-stack=0KiB is not a valid size");
}

static void test_state_missing(void **state) {
  wk_ocirt_state s;
  wk_error e;
  wk_error_clear(&e);
  assert_int_equal(wk_ocirt_state_load(dir, "nope", &s, &e), WK_ERR_LINK);
  assert_string_equal(e.msg, "container nope does not exist");
  assert_int_equal(wk_ocirt_state_load(dir, "../x", &s, &e), WK_ERR_USAGE);
  assert_int_equal(wk_ocirt_state_load(dir, "", &s, &e), WK_ERR_USAGE);
  /* a recorded pid that is gone is `stopped`; the JSON then has no pid (runtime.md "State") */
  char p[PATH_MAX + 64];
  snprintf(p, sizeof p, "%s/c1", dir);
  mkdir(p, 0700);
  put("c1/state.json", "{\"ociVersion\":\"1.0.2\",\"id\":\"c1\",\"pid\":2147483000,\"wkitStartTime\":1,"
                       "\"bundle\":\"/b\",\"created\":\"2026-01-01T00:00:00Z\",\"annotations\":{\"k\":\"v\"}}");
  assert_int_equal(wk_ocirt_state_load(dir, "c1", &s, &e), WK_OK);
  assert_int_equal(s.status, WK_OCIRT_STOPPED);
  wk_buf b = {0};
  assert_int_equal(wk_ocirt_state_json(&s, &b, &e), WK_OK);
  wk_buf_byte(&b, 0);
  assert_null(strstr((char *)b.data, "\"pid\""));
  assert_non_null(strstr((char *)b.data, "\"status\":\t\"stopped\""));
  wk_buf_free(&b);
  wk_ocirt_state_free(&s);
  /* our own pid, start time unknown (0): alive; with the fifo present it is `created` */
  snprintf(p, sizeof p, "{\"ociVersion\":\"1.0.2\",\"id\":\"c1\",\"pid\":%d,\"wkitStartTime\":0,\"bundle\":\"/b\","
                        "\"created\":\"x\",\"annotations\":{}}", (int)getpid());
  put("c1/state.json", p);
  put("c1/exec.fifo", "");
  assert_int_equal(wk_ocirt_state_load(dir, "c1", &s, &e), WK_OK);
  assert_int_equal(s.status, WK_OCIRT_CREATED);
  wk_ocirt_state_free(&s);
  put("c1/state.json", "{\"ociVersion\":3}");
  assert_int_equal(wk_ocirt_state_load(dir, "c1", &s, &e), WK_ERR_MALFORMED);
}

/* Hostile config.json and state.json: 2,000 deterministic mutations (byte flips, truncations,
 * spliced type changes) of valid files; each load must return WK_OK or an error with a message,
 * never crash (run under ASan in `make asan`). */
static void test_mutations(void **state) {
  char cfg[4096];
  snprintf(cfg, sizeof cfg,
           "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\",\"readonly\":true},"
           "\"process\":{\"args\":[\"/app.wasm\",\"x\"],\"env\":[\"A=1\"],\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0},"
           "\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":10,\"hard\":20}]},"
           "\"mounts\":[{\"destination\":\"/d\",\"type\":\"bind\",\"source\":\"data\",\"options\":[\"ro\"]}],"
           "\"linux\":{\"resources\":{\"memory\":{\"limit\":1048576}}},\"annotations\":{\"wkit.wrun.fuel\":\"10\"}}");
  static const char *splice[] = {"null", "[]", "{}", "-1", "1e308", "\"\"", "\"..\"", "true", "[[[[[[", "\"/../..\""};
  uint32_t seed = 12345;
  size_t ok = 0, errs = 0;
  for (int round = 0; round < 1500; round++) {
    char m[8192];
    size_t n = strlen(cfg);
    memcpy(m, cfg, n + 1);
    seed = seed * 1103515245u + 12345u;
    uint32_t r = seed >> 8;
    size_t at = r % n;
    switch (round % 3) {
    case 0: m[at] = (char)(r >> 8); break;             /* one byte changed */
    case 1: m[at] = 0; break;                          /* truncated */
    default: {                                         /* a value replaced by another type */
      const char *sp = splice[(r >> 4) % (sizeof splice / sizeof *splice)];
      size_t sl = strlen(sp), cut = (r >> 12) % 8;
      if (at + cut > n) cut = n - at;
      memmove(m + at + sl, m + at + cut, n - at - cut + 1);
      memcpy(m + at, sp, sl);
    }
    }
    put("config.json", m);
    wk_ocirt_plan p;
    wk_error e;
    wk_error_clear(&e);
    int rc = wk_ocirt_plan_load(dir, &p, &e);
    if (rc == WK_OK) { ok++; wk_ocirt_plan_free(&p); }
    else { errs++; assert_true(e.msg[0] != 0); assert_null(p.wrun_argv); }
  }
  assert_true(ok > 0 && errs > 500);
  /* state files */
  char p[PATH_MAX + 64];
  snprintf(p, sizeof p, "%s/s1", dir);
  mkdir(p, 0700);
  const char *st = "{\"ociVersion\":\"1.0.2\",\"id\":\"s1\",\"pid\":1,\"wkitStartTime\":1,\"bundle\":\"/b\","
                   "\"created\":\"x\",\"annotations\":{\"k\":\"v\"}}";
  for (int round = 0; round < 500; round++) {
    char m[512];
    size_t n = strlen(st);
    memcpy(m, st, n + 1);
    seed = seed * 1103515245u + 12345u;
    m[(seed >> 8) % n] = (char)(seed >> 20);
    put("s1/state.json", m);
    wk_ocirt_state s;
    wk_error e;
    wk_error_clear(&e);
    if (wk_ocirt_state_load(dir, "s1", &s, &e) == WK_OK) {
      wk_buf b = {0};
      assert_int_equal(wk_ocirt_state_json(&s, &b, &e), WK_OK);
      wk_buf_free(&b);
      wk_ocirt_state_free(&s);
    } else assert_true(e.msg[0] != 0);
  }
}

static void test_signals_and_units(void **state) {
  assert_int_equal(wk_ocirt_signal_parse("TERM"), SIGTERM);
  assert_int_equal(wk_ocirt_signal_parse("SIGKILL"), SIGKILL);
  assert_int_equal(wk_ocirt_signal_parse("sigusr1"), SIGUSR1);
  assert_int_equal(wk_ocirt_signal_parse("9"), 9);
  assert_int_equal(wk_ocirt_signal_parse("0"), -1);
  assert_int_equal(wk_ocirt_signal_parse("NOPE"), -1);
  uint64_t v;
  assert_int_equal(wk_parse_size("64MiB", &v), 0);
  assert_true(v == 64ull << 20);
  assert_int_equal(wk_parse_size("2GB", &v), 0);
  assert_true(v == 2000000000ull);
  assert_int_equal(wk_parse_size("lots", &v), -1);
  assert_int_equal(wk_parse_duration("1.5s", &v), 0);
  assert_true(v == 1500000000ull);
  assert_int_equal(wk_parse_duration("50ms", &v), 0);
  assert_true(v == 50000000ull);
  assert_int_equal(wk_parse_duration("5 parsecs", &v), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_plan),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_state_missing),
      cmocka_unit_test(test_mutations),
      cmocka_unit_test(test_signals_and_units),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
