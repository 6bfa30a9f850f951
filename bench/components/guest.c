/* The guest of `make bench-components` (bench.wit, world `bench`), on `wit-gen c` bindings. */
#include <stdlib.h>

#include "bench.h"

/* The string is ours (canon lift gave it to us): upper-case it in place and return it; the
 * generated post-return frees it. */
void exports_bench_upper(bench_string_t *s, bench_string_t *ret) {
  for (size_t i = 0; i < s->len; i++)
    if (s->ptr[i] >= 'a' && s->ptr[i] <= 'z') s->ptr[i] -= 32;
  *ret = *s;
}

uint64_t exports_bench_sum(bench_list_u32_t *xs) {
  uint64_t t = 0;
  for (size_t i = 0; i < xs->len; i++) t += xs->ptr[i];
  bench_list_u32_free(xs);
  return t;
}

/* bench_component_type.o is not linked: `wit-gen embed` adds the world afterwards. */
void __component_type_object_force_link_bench(void) {}
