/*
 * translate — first-run translation throughput of lib/interp (issue 13 item 4).
 *
 *   translate [-n N] FILE.wasm...
 *
 * For each core module or component FILE: the size of its code (the code sections of every core
 * module in it, Core spec 5.5.13), then N times (default 3) the CPU time of making it ready to
 * run without the AOT cache, in two ways:
 *   eager  wk_module_new / wk_comp_new with eager_translation: decode, validate and translate
 *          every function (what a first run with --cache does before writing the entry)
 *   lazy   the default: decode and validate every function, translate none (each is translated
 *          on its first call)
 * and prints one line per file:
 *   FILE code_bytes eager_ms lazy_ms eager_MBps lazy_MBps
 * (medians; MB = 10^6 bytes of code; CPU = this thread's CLOCK_THREAD_CPUTIME_ID). Needs no
 * WASI host and runs nothing, so it works for modules no engine can run standalone (ruby's
 * @ruby/3.4-wasm-wasi is a reactor with JS host imports). Exit 1 if a file does not load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "component/component.h"
#include "interp/interp.h"

static double cpu_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static uint64_t leb(const uint8_t *p, size_t len, size_t *pos) {
  uint64_t v = 0;
  for (unsigned sh = 0; *pos < len && sh < 64; sh += 7) {
    uint8_t b = p[(*pos)++];
    v |= (uint64_t)(b & 0x7f) << sh;
    if (!(b & 0x80)) break;
  }
  return v;
}

/* bytes of code sections in a core module or a component (nested modules and components) */
static uint64_t code_bytes(const uint8_t *p, size_t len) {
  if (len < 8 || memcmp(p, "\0asm", 4)) return 0;
  int component = p[6] == 1 && p[7] == 0 && !(p[4] == 1 && p[5] == 0);
  uint64_t total = 0;
  size_t pos = 8;
  while (pos < len) {
    uint8_t id = p[pos++];
    uint64_t n = leb(p, len, &pos);
    if (n > len - pos) break;
    if (!component && id == 10) total += n;
    if (component && (id == 1 || id == 4)) total += code_bytes(p + pos, (size_t)n); /* core module, component */
    pos += (size_t)n;
  }
  return total;
}

static int load(const uint8_t *b, size_t len, int eager, int component, double *ms) {
  wk_config cfg;
  wk_config_default(&cfg);
  cfg.eager_translation = eager;
  wk_engine *e = wk_engine_new(&cfg);
  wk_error err;
  double t0 = cpu_ms();
  int rc;
  if (component) {
    wk_comp *c = NULL;
    rc = wk_comp_new(e, b, len, &c, &err);
    *ms = cpu_ms() - t0;
    wk_comp_free(c);
  } else {
    wk_module *m = NULL;
    rc = wk_module_new(e, b, len, &m, &err);
    *ms = cpu_ms() - t0;
    wk_module_free(m);
  }
  if (rc) fprintf(stderr, "translate: error: %s\n", err.msg);
  wk_engine_free(e);
  return rc;
}

int main(int argc, char **argv) {
  int n = 3, i = 1;
  if (argc > 2 && !strcmp(argv[1], "-n")) n = atoi(argv[2]), i = 3;
  if (n < 1 || i >= argc) {
    fprintf(stderr, "usage: translate [-n N] FILE.wasm...\n");
    return 2;
  }
  int status = 0;
  for (; i < argc; i++) {
    uint8_t *b;
    size_t len;
    wk_error err;
    if (wk_read_file(argv[i], &b, &len, &err)) {
      fprintf(stderr, "translate: error: %s: %s\n", argv[i], err.msg);
      status = 1;
      continue;
    }
    int component = len >= 8 && b[4] != 1;
    uint64_t code = code_bytes(b, len);
    double med[2];
    for (int eager = 1; eager >= 0; eager--) {
      double *t = calloc((size_t)n, sizeof *t);
      for (int k = 0; k < n && t; k++)
        if (load(b, len, eager, component, &t[k])) status = 1;
      if (t) qsort(t, (size_t)n, sizeof *t, cmp_d);
      med[eager] = t ? t[n / 2] : 0;
      free(t);
    }
    printf("%s %llu %.1f %.1f %.1f %.1f\n", argv[i], (unsigned long long)code, med[1], med[0],
           med[1] > 0 ? code / 1e3 / med[1] : 0, med[0] > 0 ? code / 1e3 / med[0] : 0);
    free(b);
  }
  return status;
}
