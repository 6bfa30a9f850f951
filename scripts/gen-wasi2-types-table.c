/* Helper of scripts/gen-wasi2-types.sh: print the fingerprint table
 * (lib/component wk_comp_types_hashes) of a world's binary as C. */
#include <stdio.h>
#include <stdlib.h>

#include "component/component.h"

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  FILE *f = fopen(argv[1], "rb");
  if (!f) return 1;
  static unsigned char buf[1 << 22];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  wk_comp_type_hash *v;
  size_t nv;
  wk_error err;
  wk_error_clear(&err);
  if (wk_comp_types_hashes(buf, n, &v, &nv, &err)) {
    fprintf(stderr, "gen-wasi2-types-table: %s\n", err.msg);
    return 1;
  }
  printf("const wk_comp_type_hash wk_wasi_p2_type_hashes[%zu] = {\n", nv);
  for (size_t i = 0; i < nv; i++) printf("    {\"%s\", 0x%016llxULL},\n", v[i].name, (unsigned long long)v[i].hash);
  printf("};\nconst size_t wk_wasi_p2_type_hashes_len = %zu;\n", nv);
  wk_comp_types_hashes_free(v, nv);
  return 0;
}
