/* The `resources` world of ../shared/corpora/wit-bindgen-runtime-wit/resources:
 * exports resources x, z, kebab-case and functions over them; imports y (from
 * the leaf). Destructors print (flushed at once), so the composed runner's
 * output records exactly when each destructor ran.
 * RT_CASE (environment) selects a handle error inside test-imports, for the
 * trap cases of suite-runtime-wit.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resources.h"

struct exports_x_t {
  int32_t a;
};
struct exports_z_t {
  int32_t a;
};
struct exports_kebab_case_t {
  uint32_t a;
};
static uint32_t z_dropped;

static void say(const char *fmt, long v) {
  printf(fmt, v);
  fflush(stdout);
}

exports_own_x_t exports_constructor_x(int32_t a) {
  exports_x_t *x = malloc(sizeof *x);
  x->a = a;
  return exports_x_new(x);
}
int32_t exports_method_x_get_a(exports_borrow_x_t self) { return self->a; }
void exports_method_x_set_a(exports_borrow_x_t self, int32_t a) { self->a = a; }
exports_own_x_t exports_static_x_add(exports_own_x_t x, int32_t a) {
  /* an own<x> of our own type arrives as a handle in our table: rep, then drop */
  exports_x_t *r = exports_x_rep(x);
  int32_t v = r->a + a;
  exports_x_drop_own(x);
  return exports_constructor_x(v);
}
void exports_x_destructor(exports_x_t *rep) {
  say("resources: x destructor a=%ld\n", rep->a);
  free(rep);
}

exports_own_z_t exports_constructor_z(int32_t a) {
  exports_z_t *z = malloc(sizeof *z);
  z->a = a;
  return exports_z_new(z);
}
int32_t exports_method_z_get_a(exports_borrow_z_t self) { return self->a; }
uint32_t exports_static_z_num_dropped(void) { return z_dropped; }
void exports_z_destructor(exports_z_t *rep) {
  z_dropped++;
  say("resources: z destructor a=%ld\n", rep->a);
  free(rep);
}
exports_own_z_t exports_add(exports_borrow_z_t a, exports_borrow_z_t b) { return exports_constructor_z(a->a + b->a); }

void exports_consume(exports_own_x_t x) {
  say("resources: consume a=%ld\n", exports_x_rep(x)->a);
  exports_x_drop_own(x);
}

exports_own_kebab_case_t exports_constructor_kebab_case(uint32_t a) {
  exports_kebab_case_t *k = malloc(sizeof *k);
  k->a = a;
  return exports_kebab_case_new(k);
}
uint32_t exports_method_kebab_case_get_a(exports_borrow_kebab_case_t self) { return self->a; }
uint32_t exports_static_kebab_case_take_owned(exports_own_kebab_case_t k) {
  uint32_t a = exports_kebab_case_rep(k)->a;
  exports_kebab_case_drop_own(k);
  return a;
}
void exports_kebab_case_destructor(exports_kebab_case_t *rep) {
  say("resources: kebab-case destructor a=%ld\n", (long)rep->a);
  free(rep);
}

/* Exercise the imported y (defined by the leaf): constructor, methods through
 * borrows, a static taking and returning own, drops. */
#define CHECK(c, msg)                      \
  do {                                     \
    if (!(c)) {                            \
      resources_string_dup(err, msg);      \
      return false;                        \
    }                                      \
  } while (0)
bool exports_test_imports(resources_string_t *err) {
  const char *tc = getenv("RT_CASE");
  imports_own_y_t y = imports_constructor_y(1);
  CHECK(imports_method_y_get_a(imports_borrow_y(y)) == 1, "y.get-a after constructor(1)");
  imports_method_y_set_a(imports_borrow_y(y), 2);
  CHECK(imports_method_y_get_a(imports_borrow_y(y)) == 2, "y.get-a after set-a(2)");
  imports_own_y_t y2 = imports_static_y_add(y, 3); /* y moves to the leaf */
  CHECK(imports_method_y_get_a(imports_borrow_y(y2)) == 5, "y.add(y, 3).get-a");
  imports_y_drop_own(y2);
  if (tc && !strcmp(tc, "import-use-after-drop")) say("y2.get-a %ld\n", imports_method_y_get_a(imports_borrow_y(y2)));
  if (tc && !strcmp(tc, "import-drop-twice")) imports_y_drop_own(y2);
  if (tc && !strcmp(tc, "import-bogus-handle")) imports_method_y_get_a((imports_borrow_y_t){77});
  if (tc && !strcmp(tc, "export-rep-bogus")) say("rep %ld\n", exports_x_rep((exports_own_x_t){55})->a);
  imports_own_y_t y3 = imports_constructor_y(10);
  CHECK(imports_method_y_get_a(imports_borrow_y(y3)) == 10, "second y.get-a");
  imports_y_drop_own(y3);
  return true;
}
