/*
 * libFuzzer target: running components (lib/component).
 * Input: a component binary (seeds: the component-model validation corpus and
 * tests/fuzz/seeds-wasi: real components' wasi:* and wasi:http imports, right and
 * mistyped).
 *   wk_comp_new -> wk_comp_instantiate against a linker holding the WASI 0.2 and
 *   wasi:http host types as lib/wasi declares them (the generated tables of
 *   $(BUILD)/gen/wasi_types.c, wk_comp_linker_declare_types), so every wasi:*
 *   import goes through the declared-type check (fingerprint fast path, then
 *   wk_ctypes_subtype on the decoded declaration); each declared function is
 *   defined as a trapping stub (the check needs the interface defined; the real
 *   host would block or do I/O), other imports trap (trap_unknown_imports) ->
 *   every exported function called with default values of its parameter types
 *   (0, "", [], first case, ...), under fuel.
 * Contracts: errors are error codes with a message, traps are traps (never a
 * crash, hang or sanitizer report); a call returns WK_OK or WK_ERR_TRAP.
 */
#include <string.h>

#include "component/component.h"
#include "fuzz_check.h"
#include "wasi/internal.h"

static int trap_stub(wk_comp_ctx *ctx, void *env, const wk_cval *args, uint32_t nargs, wk_cval *result) {
  return wk_comp_ctx_trap(ctx, "fuzz: declared host function called");
}

/* Define every function of a declared table ("iface#name") as a stub, then declare its types. */
static void declare(wk_comp_linker *l, const unsigned char *bytes, size_t len, const wk_comp_type_hash *h, size_t nh) {
  wk_error err;
  wk_error_clear(&err);
  char iface[256];
  if (!len) return; /* built without the WASI WIT (empty tables): nothing to declare */
  for (size_t i = 0; i < nh; i++) {
    const char *hash = strchr(h[i].name, '#');
    CHECK(hash && (size_t)(hash - h[i].name) < sizeof iface, "declared name `%s`", h[i].name);
    snprintf(iface, sizeof iface, "%.*s", (int)(hash - h[i].name), h[i].name);
    CHECK(wk_comp_linker_define_func(l, iface[0] ? iface : NULL, hash + 1, trap_stub, NULL, &err) == WK_OK,
          "define %s: %s", h[i].name, err.msg);
  }
  CHECK(wk_comp_linker_declare_types(l, bytes, len, h, nh, &err) == WK_OK, "declare: %s", err.msg);
}

/* A default value of type t; 0 if none can be made (handles, async values). */
static int default_value(wk_arena *a, const wk_cabi_type *t, wk_cval *v, int depth) {
  memset(v, 0, sizeof *v);
  if (!t || depth > 40) return 0;
  v->kind = t->kind;
  switch (t->kind) {
  case WK_CABI_OWN: case WK_CABI_BORROW: case WK_CABI_FUTURE: case WK_CABI_STREAM: case WK_CABI_ERROR_CONTEXT:
    return 0;
  case WK_CABI_CHAR: v->of.ch = 'a'; return 1;
  case WK_CABI_LIST:
  case WK_CABI_RECORD:
  case WK_CABI_TUPLE: {
    uint32_t n = t->kind == WK_CABI_LIST ? t->length : t->n;
    if (n > 64) return 0;
    v->of.seq.n = n;
    v->of.seq.items = wk_arena_alloc(a, sizeof(wk_cval) * (n + 1));
    if (!v->of.seq.items) return 0;
    for (uint32_t i = 0; i < n; i++)
      if (!default_value(a, t->children[t->kind == WK_CABI_LIST ? 0 : i], &v->of.seq.items[i], depth + 1)) return 0;
    return 1;
  }
  case WK_CABI_VARIANT:
  case WK_CABI_RESULT: {
    const wk_cabi_type *c = t->children ? t->children[0] : NULL;
    if (c) {
      v->of.var.payload = wk_arena_alloc(a, sizeof(wk_cval));
      if (!v->of.var.payload || !default_value(a, c, v->of.var.payload, depth + 1)) return 0;
    }
    return 1;
  }
  case WK_CABI_FLAGS:
    v->of.flags.n = (t->n + 31) / 32;
    v->of.flags.words = wk_arena_alloc(a, 4 * (v->of.flags.n + 1));
    return v->of.flags.words != NULL;
  case WK_CABI_MAP: return 1; /* empty */
  default: return 1;          /* numbers, bool, string, enum, option: zero / empty / first case */
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static wk_engine *e;
  static wk_comp_linker *l; /* one for every input: what it holds does not change */
  if (!e) {
    wk_config cfg;
    wk_config_default(&cfg);
    cfg.consume_fuel = 1;
    cfg.max_memory_bytes = 16u << 20;
    e = wk_engine_new(&cfg);
    l = wk_comp_linker_new(e);
    CHECK(e && l, "out of memory");
    wk_comp_linker_trap_unknown_imports(l, 1);
    declare(l, wk_wasi_p2_types, wk_wasi_p2_types_len, wk_wasi_p2_type_hashes, wk_wasi_p2_type_hashes_len);
    declare(l, wk_wasi_http_types, wk_wasi_http_types_len, wk_wasi_http_type_hashes, wk_wasi_http_type_hashes_len);
  }
  wk_error err;
  wk_error_clear(&err);
  wk_comp *c = NULL;
  int rc = wk_comp_new(e, data, size, &c, &err);
  if (rc != WK_OK) {
    CHECK(c == NULL, "wk_comp_new failed (%d) but returned a component", rc);
    CHECK(err.msg[0], "wk_comp_new failed without a message");
    return 0;
  }
  wk_store *s = wk_store_new(e);
  CHECK(s, "out of memory");
  wk_store_set_fuel(s, 200000);
  wk_comp_inst *inst = NULL;
  wk_trap *trap = NULL;
  wk_error_clear(&err);
  rc = wk_comp_instantiate(l, s, c, &inst, &trap, &err);
  if (rc == WK_OK) {
    CHECK(inst != NULL, "instantiate returned WK_OK without an instance");
    size_t n = wk_comp_inst_func_count(inst);
    for (size_t i = 0; i < n && i < 16; i++) {
      wk_comp_func *f;
      const char *name = wk_comp_inst_func_name(inst, i);
      CHECK(name != NULL, "func %zu has no name", i);
      CHECK(wk_comp_inst_func(inst, name, &f, &err) == WK_OK, "exported `%s` not found by name", name);
      const wk_comp_functype *ft = wk_comp_func_type(f);
      wk_arena a = {0};
      wk_cval *args = wk_arena_alloc(&a, sizeof(wk_cval) * (ft->nparams + 1));
      int ok = args != NULL;
      for (uint32_t k = 0; ok && k < ft->nparams; k++) ok = default_value(&a, ft->params[k], &args[k], 0);
      if (ok) {
        wk_cval res;
        wk_trap *t = NULL;
        wk_store_set_fuel(s, 200000);
        int crc = wk_comp_func_call(s, f, args, ft->nparams, &a, &res, &t, &err);
        CHECK(crc == WK_OK || crc == WK_ERR_TRAP || crc == WK_ERR_USAGE, "call of `%s` returned %d (%s)", name, crc,
              err.msg);
        CHECK(crc != WK_ERR_TRAP || t != NULL, "call of `%s` trapped without a trap", name);
        wk_trap_free(t);
      }
      wk_arena_free(&a);
    }
  } else {
    CHECK(inst == NULL, "instantiate failed but returned an instance");
    CHECK(rc != WK_ERR_TRAP || trap != NULL, "instantiation trapped without a trap");
    CHECK(err.msg[0], "instantiate failed (%d) without a message", rc);
  }
  wk_trap_free(trap);
  wk_comp_inst_free(inst);
  wk_store_free(s);
  wk_comp_free(c);
  return 0;
}
