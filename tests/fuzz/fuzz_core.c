/*
 * libFuzzer target: core modules through lib/encode.
 * Input: a core module binary (seeds: the spec-core-2.0 modules, the 3.0 legacy-exception and GC
 * modules: tests/fuzz/build.sh).
 *   wk_core_decode -> wk_core_validate -> wk_core_encode
 * Contract checked (encode.h): a decoded, unmodified module encodes back to
 * the input byte for byte (valid or not); decoding failures leave *out NULL
 * and set an error code. The text printer (wk_coremod_print) is run on every
 * decodable input too: it is another parser of the same bytes.
 */
#include <string.h>
#include "encode/encode.h"
#include "fuzz_check.h"

/* decode -> validate -> encode with the 3.0 features on (WK_FEAT_ALL: GC types and instructions too) */
static void with_features(const uint8_t *data, size_t size) {
  wk_core_module *m = NULL;
  wk_error err;
  wk_error_clear(&err);
  int rc = wk_core_decode_features(data, size, WK_FEAT_ALL, &m, &err);
  if (rc != WK_OK) {
    CHECK(m == NULL, "decode (3.0) failed (%d) but returned a module", rc);
    return;
  }
  wk_error_clear(&err);
  int vrc = wk_core_validate_features(m, WK_FEAT_ALL, &err);
  CHECK(vrc == WK_OK || vrc == WK_ERR_INVALID || vrc == WK_ERR_NOMEM || vrc == WK_ERR_UNSUPPORTED,
        "validate (3.0) returned %d", vrc);
  wk_buf out = {0};
  wk_error_clear(&err);
  int erc = wk_core_encode(m, &out, &err);
  CHECK(erc == WK_OK || erc == WK_ERR_NOMEM, "encode (3.0) of a decoded module failed: %d %s", erc, err.msg);
  if (erc == WK_OK)
    CHECK(out.len == size && memcmp(out.data, data, size) == 0, "decode->encode (3.0) not byte-exact");
  wk_buf_free(&out);
  wk_core_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  with_features(data, size);
  wk_core_module *m = NULL;
  wk_error err;
  wk_error_clear(&err);
  int rc = wk_core_decode(data, size, &m, &err);
  if (rc != WK_OK) {
    CHECK(m == NULL, "decode failed (%d) but returned a module", rc);
    CHECK(err.code == rc, "decode returned %d, err.code %d", rc, err.code);
    return 0;
  }
  CHECK(m != NULL, "decode returned WK_OK without a module");
  wk_error_clear(&err);
  int vrc = wk_core_validate(m, &err);
  CHECK(vrc == WK_OK || vrc == WK_ERR_INVALID || vrc == WK_ERR_NOMEM || vrc == WK_ERR_UNSUPPORTED,
        "validate returned %d", vrc);

  wk_buf out = {0};
  wk_error_clear(&err);
  int erc = wk_core_encode(m, &out, &err);
  CHECK(erc == WK_OK || erc == WK_ERR_NOMEM, "encode of a decoded module failed: %d %s", erc, err.msg);
  if (erc == WK_OK)
    CHECK(out.len == size && memcmp(out.data, data, size) == 0,
          "decode->encode not byte-exact (in %zu bytes, out %zu bytes, valid=%d)", size, out.len, vrc == WK_OK);
  wk_buf_free(&out);
  wk_core_free(m);

  /* the printer decodes on its own */
  wk_buf txt = {0};
  wk_error_clear(&err);
  (void)wk_coremod_print(data, size, 0, &txt, &err);
  wk_buf_free(&txt);
  return 0;
}
