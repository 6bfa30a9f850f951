/*
 * tests/compose/data/cjsapp.c — the C half of suite-e2e.sh's C + JS composition: a wasi:cli
 * command (world c-app of jsfmt.wit, bindings by `wit-gen c`) that calls the `demo:js/format`
 * functions a componentize-js component exports and prints what they return.
 *
 * Both imports return strings, so the callee allocates in our memory through the bindings'
 * `cabi_realloc` export. In a command module wasm-ld wraps every export, cabi_realloc
 * included, in __wasm_call_ctors/__wasm_call_dtors unless the program references
 * __wasm_call_ctors itself; wasi-libc's constructors call WASI imports, and an import called
 * while realloc runs traps (may_leave is clear then: CanonicalABI.md "canon lower",
 * trap_if(not task.inst.may_leave)). So main runs the constructors once itself (as wit-bindgen's
 * Rust `run_ctors_once` does) and flushes stdout before returning, as the destructors would.
 */
#include <stdio.h>
#include <string.h>

#include "c_app.h"

extern void __wasm_call_ctors(void);

int main(int argc, char **argv) {
  __wasm_call_ctors();
  const char *text = argc > 1 ? argv[1] : "hello from c";
  c_app_string_t in, out;
  c_app_string_set(&in, text);
  demo_js_format_shout(&in, &out);
  printf("c: shout(\"%s\") = %.*s\n", text, (int)out.len, (const char *)out.ptr);
  c_app_string_free(&out);

  static const char *words[] = {"wasm", "components", "compose", "héllo ✓"};
  c_app_string_t ws[4];
  for (int i = 0; i < 4; i++) c_app_string_set(&ws[i], words[i]);
  c_app_list_string_t list = {ws, 4};
  c_app_string_t sep;
  c_app_string_set(&sep, " + ");
  c_app_tuple2_string_u32_t r;
  demo_js_format_join(&list, &sep, &r);
  printf("c: join = \"%.*s\" (%u words)\n", (int)r.f0.len, (const char *)r.f0.ptr, (unsigned)r.f1);
  c_app_string_free(&r.f0);
  fflush(stdout);
  return 0;
}
