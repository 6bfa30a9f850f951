/*
 * libFuzzer target: core modules through the engine (lib/interp).
 * Input: a core module binary (seeds: the spec-core-2.0 modules).
 *   wk_module_new (decode + validate + translate); for a loadable module:
 *   satisfy the imports (functions: host stubs returning zeros; memories,
 *   tables, globals: fresh host objects of the imported type), instantiate
 *   (segments, start function) and call the first 32 exported functions
 *   with all-zero and all-ones arguments.
 * Termination: consume_fuel with a small budget per call, a shallow call
 * depth and value stack, 16 MiB per memory. Guard-page and explicit-check
 * modes alternate with the input length's parity (deterministic per input;
 * WK_FUZZ_GUARD=0 or 1 in the environment pins one, e.g. for -minimize_crash).
 * WebAssembly 3.0 features the engine runs (WK_INTERP_FEATURES: multi-memory,
 * memory64 with table64, exceptions, typed references, GC, ...) are enabled for inputs whose length has bit 1 set (WK_FUZZ_FEATURES=0
 * or 1 pins it; seeds: the spec-core-3.0 modules of those features, build.sh).
 */
#include <string.h>
#include "interp/interp.h"
#include "encode/encode.h"
#include "fuzz_check.h"

static wk_engine *engines[4]; /* [guard + 2 * features] */
static int force_guard = -1; /* WK_FUZZ_GUARD=0|1 pins the mode (to minimize a crash) */
static int force_features = -1; /* WK_FUZZ_FEATURES=0|1 pins the 3.0 features off / on */

static int stub(wk_caller *c, void *env, const wk_value *args, wk_value *results) {
  const wk_core_functype *t = env;
  for (uint32_t i = 0; i < t->nresults; i++) {
    memset(&results[i], 0, sizeof results[i]);
    results[i].type = t->results[i];
  }
  return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  for (int g = 0; g < 4; g++) {
    wk_config c;
    wk_config_default(&c);
    c.guard_pages = g & 1;
    c.features = g & 2 ? WK_INTERP_FEATURES : 0;
    c.consume_fuel = 1;
    c.max_call_depth = 200;
    c.max_stack_bytes = 1 << 20;
    c.max_memory_bytes = 16 << 20;
    engines[g] = wk_engine_new(&c);
    if (!engines[g]) abort();
  }
  const char *fg = getenv("WK_FUZZ_GUARD");
  if (fg && (*fg == '0' || *fg == '1')) force_guard = *fg - '0';
  const char *ff = getenv("WK_FUZZ_FEATURES");
  if (ff && (*ff == '0' || *ff == '1')) force_features = *ff - '0';
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  int feat = force_features >= 0 ? force_features : (int)(size >> 1 & 1);
  wk_engine *e = engines[(force_guard >= 0 ? force_guard : (int)(size & 1)) + 2 * feat];
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
  wk_core_functype *types = calloc(ni ? ni : 1, sizeof *types);
  /* lib/encode's model gives the non-function import types (limits, global
   * types) that wk_import_desc leaves out: satisfy every import */
  wk_core_module *cm = NULL;
  if (wk_core_decode_features(data, size, feat ? WK_INTERP_FEATURES : 0, &cm, &err) != WK_OK) cm = NULL;
  for (size_t i = 0; i < ni; i++) {
    wk_import_desc d;
    wk_module_import(m, i, &d);
    wk_error_clear(&err);
    if (d.kind == WK_EXTERN_FUNC) {
      types[i] = d.type;
      /* typed references (Core 3.0): the import's own type, with the module as type context */
      wk_func *hf = NULL;
      if (wk_func_new_host_typed(s, &types[i], m, stub, &types[i], &hf, &err) == WK_OK) {
        wk_extern fx = {.kind = WK_EXTERN_FUNC, .of.func = hf};
        (void)wk_linker_define(l, d.module, d.name, fx, &err);
      }
      continue;
    }
    if (!cm || i >= cm->nimports || cm->imports[i].kind != d.kind) continue;
    const wk_core_import *ci = &cm->imports[i];
    wk_extern x = {.kind = d.kind};
    if (d.kind == WK_EXTERN_MEMORY) {
      if (ci->mem.min > 256) continue; /* 16 MiB cap (max_memory_bytes) */
      x.of.memory = wk_memory_new_ex(s, ci->mem.min, ci->mem.max, ci->mem.has_max, ci->mem.is64);
    } else if (d.kind == WK_EXTERN_TABLE) {
      if (ci->table.lim.min > 100000) continue;
      x.of.table = wk_table_new_ex(s, ci->table.reftype, ci->table.lim.min, ci->table.lim.max, ci->table.lim.has_max,
                                   ci->table.lim.is64);
    } else if (d.kind == WK_EXTERN_GLOBAL) {
      wk_value v;
      memset(&v, 0, sizeof v);
      v.type = ci->global.valtype;
      x.of.global = wk_global_new(s, v, ci->global.mut);
    } else {
      continue;
    }
    if (x.of.memory) (void)wk_linker_define(l, d.module, d.name, x, &err);
  }
  wk_core_free(cm);
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
    for (size_t i = 0; i < ne && i < 32; i++) {
      wk_export_desc d;
      wk_module_export(m, i, &d);
      if (d.kind != WK_EXTERN_FUNC || d.type.nparams > 16 || d.type.nresults > 16) continue;
      wk_extern x;
      if (wk_instance_export(inst, d.name, &x) != WK_OK || x.kind != WK_EXTERN_FUNC) continue;
      /* a name with a NUL inside finds the export its C-string prefix names: call only with its own type */
      wk_core_functype ft = wk_func_type(x.of.func);
      if (ft.nparams != d.type.nparams || ft.nresults != d.type.nresults ||
          (ft.nparams && memcmp(ft.params, d.type.params, ft.nparams)) ||
          (ft.nresults && memcmp(ft.results, d.type.results, ft.nresults)))
        continue;
      /* a (ref ht) parameter takes no null, the only reference the harness passes: wk_func_call
       * refuses that call (WK_ERR_USAGE), so such functions are not called */
      int nonnull = 0;
      for (uint32_t k = 0; k < d.type.nparams && d.type.hts; k++)
        nonnull |= d.type.hts[k] && !wk_vt_nullable(d.type.hts[k]);
      if (nonnull) continue;
      for (int pattern = 0; pattern < (d.type.nparams ? 2 : 1); pattern++) {
      /* arguments: all zero, then all bits set (-1, NaN, non-null refs excluded) */
      wk_value args[16], res[16];
      for (uint32_t k = 0; k < d.type.nparams; k++) {
        memset(&args[k], pattern ? 0xff : 0, sizeof args[k]);
        args[k].type = d.type.params[k];
        if (args[k].type != WK_I32 && args[k].type != WK_I64 && args[k].type != WK_F32 && args[k].type != WK_F64 &&
            args[k].type != WK_V128)
          args[k].of.ref = NULL; /* (references: funcref, externref, exnref, anyref (GC): null) */
      }
      wk_store_set_fuel(s, 20000);
      int crc = wk_func_call(s, x.of.func, args, d.type.nparams, res, d.type.nresults, &trap);
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
