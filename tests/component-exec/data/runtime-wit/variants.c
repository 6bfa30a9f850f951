/* Guest for ../shared/corpora/wit-bindgen-runtime-wit/variants (world `test`),
 * as wit-bindgen's runtime test expects it: roundtrip-option maps some(x) to
 * some(x as u8); roundtrip-result maps ok(a) to ok(a as f64) and err(b) to
 * err(b as u8); invert-bool negates; the others return their arguments
 * (variant-typedefs returns nothing). */
#include "test.h"

bool exports_test_variants_to_test_roundtrip_option(float *maybe_a, uint8_t *ret) {
  if (!maybe_a) return false;
  *ret = (uint8_t)*maybe_a;
  return true;
}
bool exports_test_variants_to_test_roundtrip_result(exports_test_variants_to_test_result_u32_f32_t *a, double *ret,
                                                    uint8_t *err) {
  if (a->is_err) {
    *err = (uint8_t)a->val.err;
    return false;
  }
  *ret = (double)a->val.ok;
  return true;
}
exports_test_variants_to_test_e1_t exports_test_variants_to_test_roundtrip_enum(exports_test_variants_to_test_e1_t a) {
  return a;
}
bool exports_test_variants_to_test_invert_bool(bool a) { return !a; }
void exports_test_variants_to_test_variant_casts(exports_test_variants_to_test_casts_t *a,
                                                 exports_test_variants_to_test_casts_t *ret) {
  *ret = *a;
}
void exports_test_variants_to_test_variant_zeros(exports_test_variants_to_test_zeros_t *a,
                                                 exports_test_variants_to_test_zeros_t *ret) {
  *ret = *a;
}
void exports_test_variants_to_test_variant_typedefs(uint32_t *maybe_a, exports_test_variants_to_test_bool_typedef_t b,
                                                    exports_test_variants_to_test_result_typedef_t *c) {
  (void)maybe_a, (void)b, (void)c;
}
void exports_test_variants_to_test_variant_enums(bool a, exports_test_variants_to_test_result_void_void_t *b,
                                                 exports_test_variants_to_test_my_errno_t c,
                                                 exports_test_variants_to_test_tuple3_bool_result_void_void_my_errno_t *ret) {
  ret->f0 = a;
  ret->f1 = *b;
  ret->f2 = c;
}
