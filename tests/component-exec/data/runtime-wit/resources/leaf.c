/* Leaf of ../shared/corpora/wit-bindgen-runtime-wit/resources (world `leaf`):
 * exports the resource `y` that the `resources` component imports.
 * Its destructor prints, so the runner's output shows when a drop in another
 * component reaches the defining one (CanonicalABI.md "canon resource.drop":
 * the destructor runs when the last own handle is dropped). */
#include <stdio.h>
#include <stdlib.h>

#include "leaf.h"

struct imports_y_t {
  int32_t a;
};

imports_own_y_t imports_constructor_y(int32_t a) {
  imports_y_t *y = malloc(sizeof *y);
  y->a = a;
  return imports_y_new(y);
}
int32_t imports_method_y_get_a(imports_borrow_y_t self) { return self->a; }
void imports_method_y_set_a(imports_borrow_y_t self, int32_t a) { self->a = a; }
/* static add(own<y>, a) -> own<y>: takes ownership of its argument (the
 * handle comes back to this component's table as an own handle: take its rep
 * and drop the handle, which runs the destructor of the old one) */
imports_own_y_t imports_static_y_add(imports_own_y_t y, int32_t a) {
  int32_t v = imports_y_rep(y)->a;
  imports_y_drop_own(y);
  return imports_constructor_y(v + a);
}
void imports_y_destructor(imports_y_t *rep) {
  printf("leaf: y destructor a=%d\n", (int)rep->a);
  fflush(stdout);
  free(rep);
}
