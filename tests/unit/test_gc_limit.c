/*
 * Unit tests for the GC heap limit (lib/interp gc.c, issue 12): the limit (wk_config
 * max_memory_bytes) bounds what the heap really holds from malloc, not only objects' header +
 * payload. After each step of a guest program that builds lists of arrays of many sizes (tiny,
 * size-class, large, mmap-sized), drops them (so the sweep fills the free lists) and finally
 * runs out of heap, the bytes the heap charges (wk_gc_stats held) are at least the bytes malloc
 * really gave its blocks (each object in the set, each free-listed object, the set's and the
 * mark stack's arrays, summed with malloc_usable_size + the allocator's header), and held stays
 * within the limit (plus the mark stack's fixed 2 KiB). The guest's out-of-memory is a
 * WK_TRAP_GC_OOM trap, and the heap is usable again after the guest drops its list.
 * (malloc_usable_size: glibc / ASan, which the tests run under.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode/wat.h"
#include "interp/interp.h"
#include "interp/internal.h"
#include "wat_env.h"

#if !defined(__SANITIZE_ADDRESS__) && defined(__has_feature)
#if __has_feature(address_sanitizer)
#define __SANITIZE_ADDRESS__ 1
#endif
#endif

static const char *src =
    "(module (type $a (array (mut i8)))\n"
    " (type $n (struct (field (ref null $n)) (field (ref null $a))))\n"
    " (global $head (mut (ref null $n)) (ref.null $n))\n"
    " (func (export \"add\") (param $k i32) (param $sz i32)\n"
    "   (loop $l\n"
    "     (global.set $head (struct.new $n (global.get $head) (array.new_default $a (local.get $sz))))\n"
    "     (local.set $k (i32.sub (local.get $k) (i32.const 1)))\n"
    "     (br_if $l (local.get $k))))\n"
    " (func (export \"clear\") (global.set $head (ref.null $n))))\n";

#define LIMIT ((uint64_t)8 << 20)

typedef wat_env env;

/* the bytes malloc holds for block p: its usable size plus the allocator's header (glibc: 8
 * bytes, 16 for an mmap-served block, whose usable size + 16 is whole pages) */
static uint64_t real_block(const void *p) {
  size_t u = malloc_usable_size((void *)p);
#ifdef __SANITIZE_ADDRESS__
  return u; /* (ASan's allocator: the usable size is the request) */
#else
  return u + 8 + (u >= ((size_t)128 << 10) - 16 && (u + 16) % 4096 == 0 ? 8 : 0);
#endif
}

/* the heap's charge covers what malloc really holds for it, and stays within the limit */
static void check_accounting(env *v, const char *step) {
  wk_gc_heap_stats st;
  wk_gc_stats(v->s, &st);
  const wk_gc *g = v->s->gc;
  assert_non_null(g);
  uint64_t objs = 0, fl = 0, arrays = 0;
  size_t n = 0;
  for (size_t i = 0; i < g->setcap; i++)
    if (g->set[i] > 1) objs += real_block((const void *)g->set[i]), n++;
  for (size_t c = 0; c < sizeof g->fl / sizeof *g->fl; c++)
    for (void *p = g->fl[c]; p; p = *(void **)p) fl += real_block(p);
  if (g->set) arrays += real_block(g->set);
  if (g->mstack) arrays += real_block(g->mstack);
  fprintf(stderr, "%s: objects %llu charged / %llu malloc'd, free lists %llu / %llu, arrays %llu / %llu\n", step,
          (unsigned long long)st.objects, (unsigned long long)objs, (unsigned long long)st.freelisted,
          (unsigned long long)fl, (unsigned long long)st.arrays, (unsigned long long)arrays);
  if (!(st.held >= objs + fl + arrays && st.objects >= objs && st.freelisted >= fl && st.arrays >= arrays &&
        st.held == st.objects + st.freelisted + st.arrays && n == st.nobjects && st.limit == LIMIT &&
        st.held <= st.limit + 2048))
    fail_msg("%s: held %llu (objects %llu, free lists %llu, arrays %llu; %zu objects), malloc'd %llu (%llu, %llu, "
             "%llu; %zu objects), limit %llu",
             step, (unsigned long long)st.held, (unsigned long long)st.objects, (unsigned long long)st.freelisted,
             (unsigned long long)st.arrays, st.nobjects, (unsigned long long)(objs + fl + arrays),
             (unsigned long long)objs, (unsigned long long)fl, (unsigned long long)arrays, n,
             (unsigned long long)st.limit);
}

static int add(env *v, int32_t k, int32_t sz, wk_trap **t) {
  wk_value a[2] = {{.type = WK_I32}, {.type = WK_I32}};
  a[0].of.i32 = k, a[1].of.i32 = sz;
  *t = NULL;
  return wk_func_call(v->s, wat_fn(v, "add"), a, 2, NULL, 0, t);
}
static void clear(env *v) {
  wk_trap *t = NULL;
  assert_int_equal(wk_func_call(v->s, wat_fn(v, "clear"), NULL, 0, NULL, 0, &t), WK_OK);
}

static void test_heap_charge_covers_malloc(void **state) {
  (void)state;
  env v;
  wk_config cfg;
  wk_config_default(&cfg);
  cfg.max_memory_bytes = LIMIT; /* also the GC heap's limit */
  wat_open(&v, src, &cfg);
  wat_inst(&v);
  wk_trap *t = NULL;
  /* (count, array bytes): empty, odd, size-class edge, beyond the size classes, mmap-sized */
  static const int32_t steps[][2] = {{1000, 0}, {1000, 13}, {500, 232}, {200, 300}, {20, 5000}, {3, 200000}};
  char name[64];
  for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
    assert_int_equal(add(&v, steps[i][0], steps[i][1], &t), WK_OK);
    snprintf(name, sizeof name, "add(%d, %d)", steps[i][0], steps[i][1]);
    check_accounting(&v, name);
  }
  /* garbage: swept objects go to the free lists (still charged) and are reused */
  clear(&v);
  assert_int_equal(add(&v, 30000, 24, &t), WK_OK); /* (about 3 MB made: collections) */
  check_accounting(&v, "after clear, add(30000, 24)");
  clear(&v);
  assert_int_equal(add(&v, 2000, 100, &t), WK_OK);
  check_accounting(&v, "after clear, add(2000, 100)");
  /* out of heap: a trap, with the charge still covering malloc's blocks within the limit */
  int rc = add(&v, 10000000, 8, &t);
  assert_int_equal(rc, WK_ERR_TRAP);
  assert_non_null(t);
  assert_int_equal(wk_trap_code_of(t), WK_TRAP_GC_OOM);
  wk_trap_free(t);
  check_accounting(&v, "at the out-of-memory trap");
  wk_gc_heap_stats st;
  wk_gc_stats(v.s, &st);
  /* each list cell is two objects: a 32-byte struct and a 24-byte array (48 + 32 bytes in glibc
   * chunks, 64 + 48 charged), so an 8 MiB heap holds fewer than LIMIT / 112 cells */
  assert_true(st.nobjects / 2 < LIMIT / 112);
  assert_true(st.nobjects / 2 > LIMIT / 112 / 2); /* (and most of the heap went to them) */
  /* dropped: the heap serves again */
  clear(&v);
  assert_int_equal(add(&v, 20000, 8, &t), WK_OK);
  check_accounting(&v, "after the trap, clear, add(20000, 8)");
  wat_close(&v);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_heap_charge_covers_malloc),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
