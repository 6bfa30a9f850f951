/* A tiny embedder of wkit's interpreter, built by tests/install/suite-install.sh against an
 * installed wkit with `pkg-config --cflags --libs wkit` only: compiles a core module given in the
 * text format (lib/encode's wk_wat_to_binary), instantiates it through lib/interp with one host
 * function import, calls its export and prints the result. Exit 0 when the result is right. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <encode/wat.h>
#include <interp/interp.h>

static const char *WAT =
    "(module\n"
    "  (import \"env\" \"twice\" (func $twice (param i32) (result i32)))\n"
    "  (func (export \"f\") (param i32 i32) (result i32)\n"
    "    (call $twice (i32.add (local.get 0) (local.get 1)))))\n";

static int twice(wk_caller *c, void *env, const wk_value *args, wk_value *results) {
  (void)c;
  (void)env;
  results[0].type = WK_I32;
  results[0].of.i32 = args[0].of.i32 * 2;
  return 0;
}

int main(void) {
  wk_error err;
  wk_error_clear(&err);
  wk_buf bin = {0};
  if (wk_wat_to_binary(WAT, strlen(WAT), &bin, &err)) { fprintf(stderr, "wat: %s\n", err.msg); return 1; }
  wk_config cfg;
  wk_config_default(&cfg);
  wk_engine *e = wk_engine_new(&cfg);
  wk_module *m = NULL;
  if (!e || wk_module_new(e, bin.data, bin.len, &m, &err)) { fprintf(stderr, "module: %s\n", err.msg); return 1; }
  wk_store *s = wk_store_new(e);
  wk_linker *l = wk_linker_new(s);
  uint8_t p[1] = {WK_I32}, r[1] = {WK_I32};
  wk_core_functype ft = {1, 1, p, r, NULL};
  if (wk_linker_define_func(l, "env", "twice", &ft, twice, NULL, &err)) { fprintf(stderr, "define: %s\n", err.msg); return 1; }
  wk_instance *inst = NULL;
  wk_trap *trap = NULL;
  if (wk_linker_instantiate(l, m, &inst, &trap, &err)) { fprintf(stderr, "instantiate: %s\n", err.msg); return 1; }
  wk_extern ex;
  if (wk_instance_export(inst, "f", &ex) || ex.kind != WK_EXTERN_FUNC) { fprintf(stderr, "no export f\n"); return 1; }
  wk_value args[2] = {{.type = WK_I32, .of.i32 = 19}, {.type = WK_I32, .of.i32 = 2}}, res[1];
  if (wk_func_call(s, ex.of.func, args, 2, res, 1, &trap)) { fprintf(stderr, "call trapped\n"); return 1; }
  printf("f(19, 2) = %d\n", res[0].of.i32);
  wk_linker_free(l);
  wk_store_free(s);
  wk_module_free(m);
  wk_engine_free(e);
  wk_buf_free(&bin);
  return res[0].of.i32 == 42 ? 0 : 1;
}
