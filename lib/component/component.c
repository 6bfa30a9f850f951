/* lib/component — skeleton; the runtime lands in the next commits. */
#include "component/component.h"

#include <string.h>

int wk_comp_is_component(const uint8_t *b, size_t n) {
  /* Binary.md preamble: magic, version 0x0d 0x00, layer 0x01 0x00 */
  return n >= 8 && memcmp(b, "\0asm", 4) == 0 && b[4] == 0x0d && b[5] == 0 && b[6] == 1 && b[7] == 0;
}
int wk_comp_new(wk_engine *e, const uint8_t *bytes, size_t len, wk_comp **out, wk_error *err) {
  (void)e; (void)bytes; (void)len; *out = NULL;
  return wk_error_set(err, WK_ERR_UNSUPPORTED, "components are not supported yet");
}
void wk_comp_free(wk_comp *c) { (void)c; }
int wk_comp_from_cache(const wk_comp *c) { (void)c; return 0; }
wk_comp_linker *wk_comp_linker_new(wk_engine *e) { (void)e; return NULL; }
void wk_comp_linker_free(wk_comp_linker *l) { (void)l; }
int wk_comp_linker_define_func(wk_comp_linker *l, const char *iface, const char *name, wk_comp_host_fn fn,
                               void *env, wk_error *err) {
  (void)l; (void)iface; (void)name; (void)fn; (void)env;
  return wk_error_set(err, WK_ERR_UNSUPPORTED, "not yet");
}
int wk_comp_linker_define_resource(wk_comp_linker *l, const char *iface, const char *name,
                                   int (*dtor)(void *env, uint32_t rep, wk_error *err), void *env,
                                   const wk_cabi_rtype **out, wk_error *err) {
  (void)l; (void)iface; (void)name; (void)dtor; (void)env; *out = NULL;
  return wk_error_set(err, WK_ERR_UNSUPPORTED, "not yet");
}
void wk_comp_linker_trap_unknown_imports(wk_comp_linker *l, int on) { (void)l; (void)on; }
int wk_comp_instantiate(wk_comp_linker *l, wk_store *s, const wk_comp *c, wk_comp_inst **out, wk_trap **trap,
                        wk_error *err) {
  (void)l; (void)s; (void)c; *out = NULL; *trap = NULL;
  return wk_error_set(err, WK_ERR_UNSUPPORTED, "not yet");
}
int wk_comp_inst_func(wk_comp_inst *inst, const char *name, wk_comp_func **out, wk_error *err) {
  (void)inst; *out = NULL;
  return wk_error_set(err, WK_ERR_USAGE, "no exported function `%s`", name);
}
size_t wk_comp_inst_func_count(const wk_comp_inst *inst) { (void)inst; return 0; }
const char *wk_comp_inst_func_name(const wk_comp_inst *inst, size_t i) { (void)inst; (void)i; return NULL; }
const wk_comp_functype *wk_comp_func_type(const wk_comp_func *f) { (void)f; return NULL; }
int wk_comp_func_call(wk_store *s, wk_comp_func *f, const wk_cval *args, uint32_t nargs, wk_arena *arena,
                      wk_cval *result, wk_trap **trap, wk_error *err) {
  (void)s; (void)f; (void)args; (void)nargs; (void)arena; (void)result; *trap = NULL;
  return wk_error_set(err, WK_ERR_UNSUPPORTED, "not yet");
}
wk_arena *wk_comp_ctx_arena(wk_comp_ctx *ctx) { (void)ctx; return NULL; }
wk_store *wk_comp_ctx_store(wk_comp_ctx *ctx) { (void)ctx; return NULL; }
int wk_comp_ctx_trap(wk_comp_ctx *ctx, const char *msg) { (void)ctx; (void)msg; return -1; }
int wk_comp_ctx_exit(wk_comp_ctx *ctx, int status) { (void)ctx; (void)status; return -1; }
wk_cabi_instance *wk_comp_ctx_caller_inst(wk_comp_ctx *ctx) { (void)ctx; return NULL; }
void wk_comp_inst_free(wk_comp_inst *inst) { (void)inst; }
