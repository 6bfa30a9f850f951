/* Runner of ../shared/corpora/wit-bindgen-runtime-wit/resources (world `runner`):
 * composed with the `resources` and `leaf` components by the corpus's compose.wac,
 * its `run` calls every export of `exports` and prints each result, so one
 * call gives the same text under wrun and under jco transpile + node.
 * RT_CASE (environment) selects one handle error (a trap) instead. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

static void say(const char *what, long v) {
  printf("runner: %s = %ld\n", what, v);
  fflush(stdout);
}
#define B(T, h) ((exports_borrow_##T##_t){(h).__handle})

static void trap_case(const char *tc) {
  say("trap case", (long)strlen(tc));
  if (!strcmp(tc, "drop-twice")) {
    exports_own_x_t x = exports_constructor_x(1);
    exports_x_drop_own(x);
    exports_x_drop_own(x);
  } else if (!strcmp(tc, "use-after-consume")) {
    exports_own_x_t x = exports_constructor_x(2);
    exports_consume(x);
    say("x.get-a", exports_method_x_get_a(B(x, x)));
  } else if (!strcmp(tc, "slot-reuse")) {
    /* not a trap: x moves out, and the own<x> coming back takes its free slot
     * (CanonicalABI.md "Table": freed indices are reused), so the stale index
     * names the new handle in both runtimes */
    exports_own_x_t x = exports_constructor_x(3);
    exports_own_x_t x2 = exports_static_x_add(x, 1);
    say("x2.get-a", exports_method_x_get_a(B(x, x2)));
    say("stale x index == x2 index", x.__handle == x2.__handle);
    say("x.get-a", exports_method_x_get_a(B(x, x)));
    exports_x_drop_own(x2);
    exports_x_drop_own(x);
  } else if (!strcmp(tc, "bogus-handle")) {
    say("x.get-a", exports_method_x_get_a((exports_borrow_x_t){99}));
  } else if (!strcmp(tc, "wrong-type")) {
    exports_own_x_t x = exports_constructor_x(4);
    say("z.get-a on an x", exports_method_z_get_a((exports_borrow_z_t){x.__handle}));
  } else if (!strcmp(tc, "drop-wrong-type")) {
    exports_own_z_t z = exports_constructor_z(5);
    exports_x_drop_own((exports_own_x_t){z.__handle});
  } else if (!strcmp(tc, "own-after-drop")) {
    exports_own_kebab_case_t k = exports_constructor_kebab_case(6);
    exports_kebab_case_drop_own(k);
    say("take-owned", exports_static_kebab_case_take_owned(k));
  } else if (!strcmp(tc, "nested-test-imports")) {
    /* runner -> resources -> leaf, and test-imports' post-return in a
     * guest -> guest call */
    runner_string_t err;
    bool ok = exports_test_imports(&err);
    say("test-imports ok", ok);
    return;
  }
  say("not reached", 0);
}

void exports_runner_run(void) {
  const char *tc = getenv("RT_CASE");
  if (tc) {
    trap_case(tc);
    return;
  }
  /* x: constructor, methods on a borrow, static taking and returning own */
  exports_own_x_t x = exports_constructor_x(7);
  say("x.get-a", exports_method_x_get_a(B(x, x)));
  exports_method_x_set_a(B(x, x), 8);
  say("x.get-a after set-a(8)", exports_method_x_get_a(B(x, x)));
  exports_own_x_t x2 = exports_static_x_add(x, 5); /* x moves into the callee */
  say("x.add(x, 5).get-a", exports_method_x_get_a(B(x, x2)));
  exports_x_drop_own(x2); /* the destructor runs in `resources` */
  say("x2 dropped", 1);

  /* z: two borrows into one call, own result, destructors counted */
  exports_own_z_t z1 = exports_constructor_z(10), z2 = exports_constructor_z(20);
  say("z.num-dropped", exports_static_z_num_dropped());
  exports_own_z_t z3 = exports_add(B(z, z1), B(z, z2));
  say("add(z1, z2).get-a", exports_method_z_get_a(B(z, z3)));
  say("add(z1, z1).get-a", exports_method_z_get_a(B(z, exports_add(B(z, z1), B(z, z1)))));
  exports_z_drop_own(z1);
  say("z.num-dropped after one drop", exports_static_z_num_dropped());
  exports_z_drop_own(z2);
  exports_z_drop_own(z3);
  say("z.num-dropped after three drops", exports_static_z_num_dropped());

  /* consume: own passed, the callee drops it */
  exports_own_x_t x3 = exports_constructor_x(-3);
  exports_consume(x3);
  say("consumed", 1);

  /* kebab-case: names with dashes, take-owned */
  exports_own_kebab_case_t k = exports_constructor_kebab_case(4000000000u);
  say("kebab-case.get-a", (long)exports_method_kebab_case_get_a(B(kebab_case, k)));
  say("kebab-case.take-owned", (long)exports_static_kebab_case_take_owned(k));

  /* many handles: the table grows and frees slots for reuse */
  exports_own_x_t xs[40];
  for (int i = 0; i < 40; i++) xs[i] = exports_constructor_x(100 + i);
  long sum = 0;
  for (int i = 0; i < 40; i += 2) exports_x_drop_own(xs[i]);
  for (int i = 1; i < 40; i += 2) sum += exports_method_x_get_a(B(x, xs[i]));
  say("sum over 20 live x", sum);
  for (int i = 1; i < 40; i += 2) exports_x_drop_own(xs[i]);
  /* test-imports (resources -> leaf) runs from the host on lib.wac's composition
   * and from here only as RT_CASE=nested-test-imports: jco 1.35.0 cannot run
   * it here (see suite-runtime-wit.sh) */
}
