/*
 * libFuzzer target: core modules through the engine (lib/interp).
 * Input: a core module binary (seeds: the spec-core-2.0 modules).
 *   wk_module_new (decode + validate + translate); for a loadable module:
 *   define every function import as a host stub returning zeros, instantiate
 *   (segments, start function) and call every exported nullary function.
 * Termination: consume_fuel with a small budget per call, a shallow call
 * depth and value stack, 16 MiB per memory. Guard-page and explicit-check
 * modes alternate with the input length's parity (deterministic per input).
 */
#include <string.h>
#include "interp/interp.h"
#include "fuzz_check.h"

static wk_engine *engines[2];

static int stub(wk_caller *c, void *env, const wk_value *args, wk_value *results) {
  const wk_functype *t = env;
  for (uint32_t i = 0; i < t->nresults; i++) {
    memset(&results[i], 0, sizeof results[i]);
    results[i].type = t->results[i];
  }
  return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  for (int g = 0; g < 2; g++) {
    wk_config c;
    wk_config_default(&c);
    c.guard_pages = g;
    c.consume_fuel = 1;
    c.max_call_depth = 200;
    c.max_stack_bytes = 1 << 20;
    c.max_memory_bytes = 16 << 20;
    engines[g] = wk_engine_new(&c);
    if (!engines[g]) abort();
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  wk_engine *e = engines[size & 1];
  wk_module *m = NULL;
  wk_error err;
  wk_error_clear(&err);
  int rc = wk_module_new(e, data, size, &m, &err);
  if (rc != WK_OK) {
    CHECK(rc == WK_ERR_MALFORMED || rc == WK_ERR_INVALID || rc == WK_ERR_NOMEM || rc == WK_ERR_UNSUPPORTED,
          "wk_module_new returned %d (%s)", rc, err.msg);
    return 0;
  }
  wk_store *s = wk_store_new(e);
  CHECK(s != NULL, "store");
  wk_linker *l = wk_linker_new(s);
  CHECK(l != NULL, "linker");
  size_t ni = wk_module_import_count(m);
  wk_functype *types = calloc(ni ? ni : 1, sizeof *types);
  for (size_t i = 0; i < ni; i++) {
    wk_import_desc d;
    wk_module_import(m, i, &d);
    if (d.kind != WK_EXTERN_FUNC) continue;
    types[i] = d.type;
    wk_error_clear(&err);
    (void)wk_linker_define_func(l, d.module, d.name, &types[i], stub, &types[i], &err);
  }
  wk_store_set_fuel(s, 100000);
  wk_instance *inst = NULL;
  wk_trap *trap = NULL;
  wk_error_clear(&err);
  rc = wk_linker_instantiate(l, m, &inst, &trap, &err);
  if (trap) {
    (void)wk_trap_message(trap);
    wk_trap_free(trap);
    trap = NULL;
  }
  if (rc == WK_OK) {
    size_t ne = wk_module_export_count(m);
    for (size_t i = 0; i < ne && i < 64; i++) {
      wk_export_desc d;
      wk_module_export(m, i, &d);
      if (d.kind != WK_EXTERN_FUNC || d.type.nparams != 0 || d.type.nresults > 16) continue;
      wk_extern x;
      if (wk_instance_export(inst, d.name, &x) != WK_OK || x.kind != WK_EXTERN_FUNC) continue;
      wk_value res[16];
      wk_store_set_fuel(s, 100000);
      int crc = wk_func_call(s, x.of.func, NULL, 0, res, d.type.nresults, &trap);
      CHECK(crc == WK_OK || crc == WK_ERR_TRAP, "call returned %d", crc);
      if (trap) {
        size_t nf = wk_trap_frame_count(trap);
        for (size_t k = 0; k < nf; k++) {
          uint32_t fi;
          const char *nm;
          uint64_t off;
          wk_trap_frame(trap, k, &fi, &nm, &off);
          CHECK(off <= size, "trap frame offset %llu past the module (%zu bytes)", (unsigned long long)off, size);
        }
        wk_trap_free(trap);
        trap = NULL;
      }
    }
  } else {
    CHECK(inst == NULL, "failed instantiate returned an instance");
  }
  wk_linker_free(l);
  wk_store_free(s);
  wk_module_free(m);
  free(types);
  return 0;
}
