/*
 * comp-calls — host->guest calls per second through lib/component (the wrun
 * column of bench/components/run.sh).
 *
 *   comp-calls [--cache DIR] COMPONENT.wasm upper|sum N
 *
 * Instantiates COMPONENT (bench/components/bench.wit, world `bench`) with the
 * WASI 0.2 host (no capabilities) as wrun does, then calls the export N/10
 * times to warm up and N times timed:
 *   upper(s: string) -> string   s = 1 KiB (bench_char(i), see below)
 *   sum(xs: list<u32>) -> u64    xs = 64 Ki elements, xs[i] = i * 2654435761 mod 2^32
 * Every result is checked against the host's own computation (a wrong one
 * is exit 1). Prints one line:
 *   calls N cpu_us WALL_us CALLS_PER_CPU_S
 * cpu_us: user + sys time of this process over the timed calls (getrusage
 * RUSAGE_SELF), wall_us: CLOCK_MONOTONIC. Exit 0, 1 on a failure.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "component/component.h"
#include "wasi/wasi.h"
#include "wasi/wasi2.h"

#define STR_LEN 1024
#define LIST_LEN (64 * 1024)

static char bench_char(uint32_t i) { return "abcdefghijklmnopqrstuvwxyz0123456789 "[i % 37]; }

static long long cpu_us(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

static long long wall_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static int fail(const char *what, const wk_error *err) {
  fprintf(stderr, "comp-calls: error: %s%s%s\n", what, err && err->msg[0] ? ": " : "", err ? err->msg : "");
  return 1;
}

int main(int argc, char **argv) {
  const char *cache = NULL;
  int a = 1;
  if (argc > 2 && !strcmp(argv[1], "--cache")) cache = argv[2], a = 3;
  if (argc - a != 3) {
    fprintf(stderr, "usage: comp-calls [--cache DIR] COMPONENT.wasm upper|sum N\n");
    return 2;
  }
  const char *file = argv[a], *fname = argv[a + 1];
  long n = atol(argv[a + 2]);
  int is_sum = !strcmp(fname, "sum");
  if ((!is_sum && strcmp(fname, "upper")) || n < 1) return fprintf(stderr, "comp-calls: bad function or N\n"), 2;

  FILE *fp = fopen(file, "rb");
  if (!fp) return fail("cannot open the component", NULL);
  fseek(fp, 0, SEEK_END);
  long len = ftell(fp);
  fseek(fp, 0, SEEK_SET);
  uint8_t *bytes = malloc((size_t)len);
  if (!bytes || fread(bytes, 1, (size_t)len, fp) != (size_t)len) return fail("cannot read the component", NULL);
  fclose(fp);

  wk_error err;
  wk_error_clear(&err);
  wk_config cfg;
  wk_config_default(&cfg); /* as wrun: guard pages on */
  cfg.cache_dir = cache;
  wk_engine *e = wk_engine_new(&cfg);
  wk_wasi *w = wk_wasi_new();
  wk_comp *c = NULL;
  if (!e || !w) return fail("out of memory", NULL);
  if (wk_comp_new(e, bytes, (size_t)len, &c, &err)) return fail(file, &err);
  wk_comp_linker *l = wk_comp_linker_new(e);
  wk_store *s = wk_store_new(e);
  if (!l || !s) return fail("out of memory", NULL);
  if (wk_wasi_p2_define(l, w, &err)) return fail("wasi", &err);
  wk_comp_inst *inst = NULL;
  wk_trap *trap = NULL;
  if (wk_comp_instantiate(l, s, c, &inst, &trap, &err)) return fail("instantiate", &err);
  wk_comp_func *f;
  if (wk_comp_inst_func(inst, fname, &f, &err)) return fail(fname, &err);

  /* the argument and the expected result */
  wk_cval arg;
  memset(&arg, 0, sizeof arg);
  char *str = malloc(STR_LEN), *want = malloc(STR_LEN);
  wk_cval *items = calloc(LIST_LEN, sizeof *items);
  uint64_t want_sum = 0;
  if (!str || !want || !items) return fail("out of memory", NULL);
  if (is_sum) {
    for (uint32_t i = 0; i < LIST_LEN; i++) {
      items[i].kind = WK_CABI_U32;
      items[i].of.u = (uint32_t)(i * 2654435761u);
      want_sum += items[i].of.u;
    }
    arg.kind = WK_CABI_LIST;
    arg.of.seq.items = items;
    arg.of.seq.n = LIST_LEN;
  } else {
    for (uint32_t i = 0; i < STR_LEN; i++) {
      str[i] = bench_char(i);
      want[i] = str[i] >= 'a' && str[i] <= 'z' ? (char)(str[i] - 32) : str[i];
    }
    arg.kind = WK_CABI_STRING;
    arg.of.str.ptr = str;
    arg.of.str.len = STR_LEN;
  }

  long warm = n / 10 ? n / 10 : 1;
  long long c0 = 0, w0 = 0;
  for (long i = -warm; i < n; i++) {
    if (i == 0) c0 = cpu_us(), w0 = wall_us();
    wk_arena arena = {0};
    wk_cval res;
    if (wk_comp_func_call(s, f, &arg, 1, &arena, &res, &trap, &err)) {
      if (trap) fprintf(stderr, "comp-calls: trap: %s\n", wk_trap_message(trap));
      return fail("call", &err);
    }
    int ok = is_sum ? res.of.u == want_sum
                    : res.of.str.len == STR_LEN && !memcmp(res.of.str.ptr, want, STR_LEN);
    wk_arena_free(&arena);
    if (!ok) return fail("wrong result", NULL);
  }
  long long cpu = cpu_us() - c0, wall = wall_us() - w0;
  printf("calls %ld %lld %lld %.0f\n", n, cpu, wall, cpu > 0 ? n * 1e6 / (double)cpu : 0.0);
  free(items), free(str), free(want), free(bytes);
  wk_comp_inst_free(inst);
  wk_store_free(s);
  wk_comp_linker_free(l);
  wk_comp_free(c);
  wk_wasi_free(w);
  wk_engine_free(e);
  return 0;
}
