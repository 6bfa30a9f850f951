/*
 * The unit tests' one way to run a WAT module on lib/interp: WAT text -> binary with lib/encode's
 * parser (wk_wat_to_binary), or with wabt's wat2wasm where a test wants wabt's bytes (its name
 * section, wasm-objdump offsets); an engine, the module, a store and a linker; instantiation; an
 * exported function; teardown. Each step fails the running cmocka test when it does not succeed,
 * with the library's message on stderr. Header only (static inline): each tests/unit/test_*.c is
 * its own program (Makefile UNIT_BINS), so a shared object would need its own link rule.
 */
#ifndef WK_TESTS_UNIT_WAT_ENV_H
#define WK_TESTS_UNIT_WAT_ENV_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "encode/wat.h"
#include "interp/interp.h"

/* what wat_open makes (all owned; wat_close frees them); inst: set by wat_inst */
typedef struct wat_env {
  wk_engine *e;
  wk_store *s;
  wk_linker *l;
  wk_module *m;
  wk_instance *inst;
} wat_env;

/* WAT text (a module or a component) -> its binary in *out (the caller frees it: wk_buf_free) */
static inline void wat_bin(const char *src, wk_buf *out) {
  wk_error err;
  wk_error_clear(&err);
  memset(out, 0, sizeof *out);
  int rc = wk_wat_to_binary(src, strlen(src), out, &err);
  if (rc) fprintf(stderr, "wat: %u:%u: %s\n", err.line, err.col, err.msg);
  assert_int_equal(rc, WK_OK);
}

/* wabt's `wat2wasm FLAGS` of src -> the bytes (malloc'd; *len) it wrote to wasm_path, which is
 * kept (e.g. for wasm-objdump); the text is written beside it to wasm_path + ".wat" and removed */
static inline uint8_t *wat2wasm_at(const char *src, const char *flags, const char *wasm_path, size_t *len) {
  char wp[1024], cmd[2600];
  snprintf(wp, sizeof wp, "%s.wat", wasm_path);
  FILE *f = fopen(wp, "w");
  assert_non_null(f);
  fputs(src, f);
  fclose(f);
  snprintf(cmd, sizeof cmd, "wat2wasm %s '%s' -o '%s'", flags, wp, wasm_path);
  int rc = system(cmd);
  unlink(wp);
  assert_int_equal(rc, 0);
  uint8_t *d;
  wk_error e;
  assert_int_equal(wk_read_file(wasm_path, &d, len, &e), WK_OK);
  return d;
}

/* an engine of cfg (NULL: the defaults), the module of bytes[0..len) (wk_module_new_ex flags; the
 * bytes are not retained), a store and a linker, in *v */
static inline void wat_open_bin(wat_env *v, const uint8_t *bytes, size_t len, const wk_config *cfg, unsigned flags) {
  memset(v, 0, sizeof *v);
  v->e = wk_engine_new(cfg);
  assert_non_null(v->e);
  wk_error err;
  wk_error_clear(&err);
  int rc = wk_module_new_ex(v->e, bytes, len, flags, &v->m, &err);
  if (rc) fprintf(stderr, "module: %s\n", err.msg);
  assert_int_equal(rc, WK_OK);
  v->s = wk_store_new(v->e);
  v->l = wk_linker_new(v->s);
  assert_non_null(v->l);
}
/* wat_open_bin of the module text src (lib/encode's parser) */
static inline void wat_open_ex(wat_env *v, const char *src, const wk_config *cfg, unsigned flags) {
  wk_buf b;
  wat_bin(src, &b);
  wat_open_bin(v, b.data, b.len, cfg, flags);
  wk_buf_free(&b);
}
static inline void wat_open(wat_env *v, const char *src, const wk_config *cfg) { wat_open_ex(v, src, cfg, 0); }

/* instantiates v->m with v->l's definitions into v->inst; fails the test on an error or a trap */
static inline void wat_inst(wat_env *v) {
  wk_trap *t = NULL;
  wk_error err;
  wk_error_clear(&err);
  int rc = wk_linker_instantiate(v->l, v->m, &v->inst, &t, &err);
  if (rc) fprintf(stderr, "instantiate: %s\n", t ? wk_trap_message(t) : err.msg);
  assert_int_equal(rc, WK_OK);
}

/* v->inst's exported function `name`; fails the test when there is none */
static inline wk_func *wat_fn(wat_env *v, const char *name) {
  wk_extern x;
  assert_int_equal(wk_instance_export(v->inst, name, &x), WK_OK);
  assert_int_equal(x.kind, WK_EXTERN_FUNC);
  return x.of.func;
}

static inline void wat_close(wat_env *v) {
  wk_linker_free(v->l);
  wk_store_free(v->s);
  wk_module_free(v->m);
  wk_engine_free(v->e);
}

#endif
