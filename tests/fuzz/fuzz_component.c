/*
 * libFuzzer target: components through lib/encode (encode/component.h).
 * Input: a component binary (seeds: the component-model validation corpus).
 *   wk_component_decode -> wk_component_encode (must be byte-exact: "a model
 *   fresh from the decoder encodes to the exact input bytes")
 *   -> wk_component_validate -> wk_component_print, the WIT decoder (witparse/witdecode.h).
 */
#include <string.h>
#include "encode/encode.h"
#include "witparse/witdecode.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  wk_component *c = NULL;
  wk_error err;
  wk_error_clear(&err);
  int rc = wk_component_decode(data, size, &c, &err);
  if (rc != WK_OK) {
    CHECK(c == NULL, "decode failed (%d) but returned a model", rc);
    return 0;
  }
  CHECK(c != NULL, "decode returned WK_OK without a model");
  wk_buf out = {0};
  wk_error_clear(&err);
  int erc = wk_component_encode(c, &out, &err);
  CHECK(erc == WK_OK || erc == WK_ERR_NOMEM, "encode of a decoded component failed: %d %s", erc, err.msg);
  if (erc == WK_OK)
    CHECK(out.len == size && memcmp(out.data, data, size) == 0,
          "decode->encode not byte-exact (in %zu bytes, out %zu bytes)", size, out.len);
  wk_buf_free(&out);

  wk_error_clear(&err);
  /* with the map / fixed-length-list features on, so their validation is fuzzed too */
  int vrc = wk_component_validate_ex(c, WK_CVALIDATE_CM_MAP | WK_CVALIDATE_CM_FIXED_LISTS, &err);
  wk_buf txt = {0};
  wk_error_clear(&err);
  (void)wk_component_print(c, &txt, &err);
  wk_buf_free(&txt);
  if (vrc == WK_OK) {
    wk_buf wit = {0};
    wk_error_clear(&err);
    /* the WIT view (witparse's decoder): fails only where WIT cannot describe the component */
    wit_resolve *r = wit_resolve_new();
    wit_id pkg = WIT_NONE;
    int wrc = r ? wit_decode_component(r, c, &pkg, NULL, NULL, &err) : WK_ERR_NOMEM;
    if (wrc == WK_OK) wrc = wit_resolve_print_decoded(r, pkg, &wit, &err);
    CHECK(wrc == WK_OK || wrc == WK_ERR_NOMEM || wrc == WK_ERR_INVALID,
          "wit of a valid component failed: %d %s", wrc, err.msg);
    wit_resolve_free(r);
    wk_buf_free(&wit);
  }
  wk_component_free(c);
  return 0;
}
