/* Guest for ../shared/corpora/wit-bindgen-runtime-wit/strings (world `test`),
 * as wit-bindgen's runtime test expects it: take-basic traps unless given
 * "latin utf16"; return-unicode / return-empty return fixed strings;
 * roundtrip returns its argument (ownership moves to the result). */
#include <stdlib.h>
#include <string.h>

#include "test.h"

void exports_test_strings_to_test_take_basic(test_string_t *s) {
  static const char want[] = "latin utf16";
  int ok = s->len == sizeof want - 1 && !memcmp(s->ptr, want, s->len);
  test_string_free(s);
  if (!ok) abort();
}
void exports_test_strings_to_test_return_unicode(test_string_t *ret) {
  test_string_dup(ret, "\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80 \xf0\xa0\x88\x84\xf0\x93\x80\x80");
}
void exports_test_strings_to_test_return_empty(test_string_t *ret) { test_string_dup(ret, ""); }
void exports_test_strings_to_test_roundtrip(test_string_t *s, test_string_t *ret) { *ret = *s; }
