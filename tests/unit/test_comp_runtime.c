/*
 * Unit tests for lib/component (instantiation and calls), on small components
 * written in the text format and compiled by lib/encode's WAT parser:
 * host functions through the linker with semver-compatible matching, link
 * errors, --trap-unknown-imports, strings both ways (realloc called while a
 * host result is lowered: a re-entrant engine call), exit from a host,
 * the may_enter guard, and a guest->guest call between nested components.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "component/component.h"
#include "encode/wat.h"
#include "wat_env.h"
#include "wasi/wasi2.h"
#include "witparse/witencode.h"

static const char *HOSTED =
    "(component\n"
    "  (import \"test:x/api@0.1.0\" (instance $api\n"
    "    (export \"add\" (func (param \"a\" u32) (param \"b\" u32) (result u32)))\n"
    "    (export \"greet\" (func (param \"s\" string) (result string)))))\n"
    "  (alias export $api \"add\" (func $add))\n"
    "  (alias export $api \"greet\" (func $greet))\n"
    "  (core module $Mem\n"
    "    (memory (export \"mem\") 1)\n"
    "    (global $bump (mut i32) (i32.const 1024))\n"
    "    (func (export \"realloc\") (param i32 i32 i32 i32) (result i32) (local $r i32)\n"
    "      (local.set $r (global.get $bump))\n"
    "      (global.set $bump (i32.add (global.get $bump) (local.get 3)))\n"
    "      (local.get $r)))\n"
    "  (core instance $mem (instantiate $Mem))\n"
    "  (alias core export $mem \"mem\" (core memory $memory))\n"
    "  (alias core export $mem \"realloc\" (core func $realloc))\n"
    "  (core func $add_c (canon lower (func $add)))\n"
    "  (core func $greet_c (canon lower (func $greet) (memory $memory) (realloc $realloc)))\n"
    "  (core module $M\n"
    "    (import \"host\" \"add\" (func $add (param i32 i32) (result i32)))\n"
    "    (import \"host\" \"greet\" (func $greet (param i32 i32 i32)))\n"
    "    (import \"mem\" \"mem\" (memory 1))\n"
    "    (data (i32.const 16) \"world\")\n"
    "    (func (export \"run\") (param i32) (result i32) (call $add (local.get 0) (i32.const 10)))\n"
    "    (func (export \"hello\") (result i32)\n"
    "      (call $greet (i32.const 16) (i32.const 5) (i32.const 32))\n"
    "      (i32.const 32)))\n"
    "  (core instance $m (instantiate $M\n"
    "    (with \"host\" (instance (export \"add\" (func $add_c)) (export \"greet\" (func $greet_c))))\n"
    "    (with \"mem\" (instance $mem))))\n"
    "  (func (export \"run\") (param \"x\" u32) (result u32) (canon lift (core func $m \"run\")))\n"
    "  (func (export \"hello\") (result string) (canon lift (core func $m \"hello\") (memory $memory)))\n"
    ")\n";

static const char *NESTED =
    "(component\n"
    "  (component $A\n"
    "    (core module $M (memory (export \"mem\") 1)\n"
    "      (func (export \"realloc\") (param i32 i32 i32 i32) (result i32) (i32.const 256))\n"
    "      (func (export \"len\") (param i32 i32) (result i32)\n"
    "        (i32.add (local.get 1) (i32.load8_u (local.get 0)))))\n"
    "    (core instance $m (instantiate $M))\n"
    "    (alias core export $m \"mem\" (core memory $mem))\n"
    "    (alias core export $m \"realloc\" (core func $ra))\n"
    "    (func (export \"len\") (param \"s\" string) (result u32)\n"
    "      (canon lift (core func $m \"len\") (memory $mem) (realloc $ra))))\n"
    "  (instance $a (instantiate $A))\n"
    "  (alias export $a \"len\" (func $len))\n"
    "  (core module $Mem (memory (export \"mem\") 1) (data (i32.const 8) \"abcdef\"))\n"
    "  (core instance $mm (instantiate $Mem))\n"
    "  (alias core export $mm \"mem\" (core memory $mem))\n"
    "  (core func $len_c (canon lower (func $len) (memory $mem)))\n"
    "  (core module $N (import \"a\" \"len\" (func $len (param i32 i32) (result i32)))\n"
    "    (func (export \"run\") (result i32) (call $len (i32.const 8) (i32.const 6))))\n"
    "  (core instance $n (instantiate $N (with \"a\" (instance (export \"len\" (func $len_c))))))\n"
    "  (func (export \"run\") (result u32) (canon lift (core func $n \"run\")))\n"
    ")\n";

static const char *RESOURCES =
    "(component\n"
    "  (import \"test:r/res\" (instance $r\n"
    "    (export \"thing\" (type $t (sub resource)))\n"
    "    (export \"[constructor]thing\" (func (param \"v\" u32) (result (own $t))))\n"
    "    (export \"[method]thing.get\" (func (param \"self\" (borrow $t)) (result u32)))))\n"
    "  (alias export $r \"thing\" (type $thing))\n"
    "  (alias export $r \"[constructor]thing\" (func $new))\n"
    "  (alias export $r \"[method]thing.get\" (func $get))\n"
    "  (core func $new_c (canon lower (func $new)))\n"
    "  (core func $get_c (canon lower (func $get)))\n"
    "  (core func $drop_c (canon resource.drop $thing))\n"
    "  (core module $M\n"
    "    (import \"r\" \"new\" (func $new (param i32) (result i32)))\n"
    "    (import \"r\" \"get\" (func $get (param i32) (result i32)))\n"
    "    (import \"r\" \"drop\" (func $drop (param i32)))\n"
    "    (func (export \"run\") (result i32) (local $h i32) (local $v i32)\n"
    "      (local.set $h (call $new (i32.const 41)))\n"
    "      (local.set $v (call $get (local.get $h)))\n"
    "      (call $drop (local.get $h))\n"
    "      (i32.add (local.get $v) (i32.mul (local.get $h) (i32.const 1000)))))\n"
    "  (core instance $m (instantiate $M (with \"r\" (instance\n"
    "    (export \"new\" (func $new_c)) (export \"get\" (func $get_c)) (export \"drop\" (func $drop_c))))))\n"
    "  (func (export \"run\") (result u32) (canon lift (core func $m \"run\")))\n"
    ")\n";

/* post-return gets the core results; calling an import from post-return traps (may_leave is cleared) */
static const char *POSTRET =
    "(component\n"
    "  (import \"f\" (func $f))\n"
    "  (core func $f_c (canon lower (func $f)))\n"
    "  (core module $M\n"
    "    (import \"\" \"f\" (func $f))\n"
    "    (global $seen (mut i32) (i32.const 0))\n"
    "    (func (export \"g\") (result i32) (i32.const 7))\n"
    "    (func (export \"post\") (param i32) (global.set $seen (i32.add (global.get $seen) (local.get 0))))\n"
    "    (func (export \"bad-post\") (param i32) (call $f))\n"
    "    (func (export \"seen\") (result i32) (global.get $seen)))\n"
    "  (core instance $m (instantiate $M (with \"\" (instance (export \"f\" (func $f_c))))))\n"
    "  (func (export \"g\") (result u32) (canon lift (core func $m \"g\") (post-return (func $m \"post\"))))\n"
    "  (func (export \"h\") (result u32) (canon lift (core func $m \"g\") (post-return (func $m \"bad-post\"))))\n"
    "  (func (export \"seen\") (result u32) (canon lift (core func $m \"seen\")))\n"
    ")\n";

/* Explainer.md: an `implements` attribute names the interface the host provides */
static const char *IMPLEMENTS =
    "(component\n"
    "  (import \"primary\" (implements \"test:x/api@0.1.0\") (instance $api\n"
    "    (export \"add\" (func (param \"a\" u32) (param \"b\" u32) (result u32)))))\n"
    "  (alias export $api \"add\" (func $add))\n"
    "  (core func $add_c (canon lower (func $add)))\n"
    "  (core module $M (import \"\" \"add\" (func $add (param i32 i32) (result i32)))\n"
    "    (func (export \"run\") (result i32) (call $add (i32.const 2) (i32.const 3))))\n"
    "  (core instance $m (instantiate $M (with \"\" (instance (export \"add\" (func $add_c))))))\n"
    "  (func (export \"run\") (result u32) (canon lift (core func $m \"run\")))\n"
    ")\n";

/* The per-call lift budget (component.h WK_COMP_LIFT_BUDGET_*): a 16 MiB
 * memory holds a list<u8> of 16M elements, 384 MiB of wk_cval on the host,
 * past the 256 MiB minimum budget. "big" returns a list of n bytes at 16;
 * "send" passes one to the host import "take". */
static const char *BIGLIST =
    "(component\n"
    "  (import \"take\" (func $take (param \"l\" (list u8))))\n"
    "  (core module $Mem (memory (export \"mem\") 256))\n"
    "  (core instance $mem (instantiate $Mem))\n"
    "  (alias core export $mem \"mem\" (core memory $m))\n"
    "  (core func $take_c (canon lower (func $take) (memory $m)))\n"
    "  (core module $M\n"
    "    (import \"\" \"mem\" (memory 1))\n"
    "    (import \"\" \"take\" (func $take (param i32 i32)))\n"
    "    (func (export \"big\") (param i32) (result i32)\n"
    "      (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (local.get 0)) (i32.const 0))\n"
    "    (func (export \"send\") (param i32) (call $take (i32.const 16) (local.get 0))))\n"
    "  (core instance $i (instantiate $M (with \"\" (instance\n"
    "    (export \"mem\" (memory $m)) (export \"take\" (func $take_c))))))\n"
    "  (func (export \"big\") (param \"n\" u32) (result (list u8)) (canon lift (core func $i \"big\") (memory $m)))\n"
    "  (func (export \"send\") (param \"n\" u32) (canon lift (core func $i \"send\")))\n"
    ")\n";

typedef struct fixture {
  wk_engine *e;
  wk_store *s;
  wk_comp *c;
  wk_comp_linker *l;
  wk_comp_inst *inst;
  int mode; /* host behaviour, see host_add */
  int greet_calls;
} fixture;

static wk_comp *compile(wk_engine *e, const char *text) {
  wk_buf b;
  wat_bin(text, &b);
  assert_true(wk_comp_is_component(b.data, b.len));
  wk_comp *c = NULL;
  wk_error err;
  int rc = wk_comp_new(e, b.data, b.len, &c, &err);
  if (rc) fprintf(stderr, "wk_comp_new: %s\n", err.msg);
  assert_int_equal(rc, WK_OK);
  wk_buf_free(&b);
  return c;
}

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  f->e = wk_engine_new(NULL);
  f->s = wk_store_new(f->e);
  f->l = wk_comp_linker_new(f->e);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  wk_comp_inst_free(f->inst);
  wk_comp_linker_free(f->l);
  wk_comp_free(f->c);
  wk_store_free(f->s);
  wk_engine_free(f->e);
  free(f);
  return 0;
}

/* env = the fixture; the version's offset is added so the test sees which definition ran */
typedef struct addenv {
  fixture *f;
  uint32_t offset;
} addenv;

static int host_add(wk_comp_ctx *ctx, void *env, const wk_cval *args, uint32_t nargs, wk_cval *result) {
  addenv *ae = env;
  assert_int_equal(nargs, 2);
  assert_int_equal(result->kind, WK_CABI_U32);
  if (ae->f->mode == 1) return wk_comp_ctx_exit(ctx, 7);
  if (ae->f->mode == 2) { /* re-enter the instance that called us: may_enter is false */
    wk_comp_func *run;
    wk_error err;
    wk_error_clear(&err);
    assert_int_equal(wk_comp_inst_func(ae->f->inst, "run", &run, &err), WK_OK);
    wk_cval a = {.kind = WK_CABI_U32, .of.u = 1}, r;
    wk_trap *t = NULL;
    int rc = wk_comp_func_call(wk_comp_ctx_store(ctx), run, &a, 1, wk_comp_ctx_arena(ctx), &r, &t, &err);
    assert_int_equal(rc, WK_ERR_TRAP);
    char msg[256];
    snprintf(msg, sizeof msg, "inner: %s", wk_trap_message(t));
    wk_trap_free(t);
    return wk_comp_ctx_trap(ctx, msg);
  }
  result->of.u = (uint32_t)(args[0].of.u + args[1].of.u + ae->offset);
  return WK_OK;
}

static int host_greet(wk_comp_ctx *ctx, void *env, const wk_cval *args, uint32_t nargs, wk_cval *result) {
  fixture *f = ((addenv *)env)->f;
  f->greet_calls++;
  assert_int_equal(nargs, 1);
  assert_int_equal(args[0].kind, WK_CABI_STRING);
  char *s = wk_arena_alloc(wk_comp_ctx_arena(ctx), args[0].of.str.len + 8);
  memcpy(s, "hello, ", 7);
  memcpy(s + 7, args[0].of.str.ptr, args[0].of.str.len);
  result->of.str.ptr = s;
  result->of.str.len = args[0].of.str.len + 7;
  return WK_OK;
}

static addenv envs[3];

static void define_api(fixture *f) {
  wk_error err;
  wk_error_clear(&err);
  /* @0.1.5 is the highest version compatible with an import of @0.1.0; @0.2.0 is not compatible */
  static const char *ifaces[3] = {"test:x/api@0.1.2", "test:x/api@0.1.5", "test:x/api@0.2.0"};
  static const uint32_t offsets[3] = {1000, 0, 2000};
  for (int i = 0; i < 3; i++) {
    envs[i].f = f;
    envs[i].offset = offsets[i];
    assert_int_equal(wk_comp_linker_define_func(f->l, ifaces[i], "add", host_add, &envs[i], &err), WK_OK);
    assert_int_equal(wk_comp_linker_define_func(f->l, ifaces[i], "greet", host_greet, &envs[i], &err), WK_OK);
  }
}

static void instantiate_ok(fixture *f, const char *text) {
  f->c = compile(f->e, text);
  wk_error err;
  wk_error_clear(&err);
  wk_trap *t = NULL;
  int rc = wk_comp_instantiate(f->l, f->s, f->c, &f->inst, &t, &err);
  if (rc) fprintf(stderr, "instantiate: %s\n", err.msg);
  assert_int_equal(rc, WK_OK);
}

static int call_u32(fixture *f, const char *name, const wk_cval *args, uint32_t nargs, uint64_t *out, wk_trap **t) {
  wk_comp_func *fn;
  wk_error err;
  wk_error_clear(&err);
  assert_int_equal(wk_comp_inst_func(f->inst, name, &fn, &err), WK_OK);
  wk_arena a = {0};
  wk_cval r;
  int rc = wk_comp_func_call(f->s, fn, args, nargs, &a, &r, t, &err);
  if (!rc) {
    assert_int_equal(r.kind, WK_CABI_U32);
    *out = r.of.u;
  }
  wk_arena_free(&a);
  return rc;
}

static void test_semver_host_call(void **state) {
  fixture *f = *state;
  define_api(f);
  instantiate_ok(f, HOSTED);
  assert_int_equal(wk_comp_inst_func_count(f->inst), 2);
  assert_string_equal(wk_comp_inst_func_name(f->inst, 0), "run");
  const wk_comp_functype *ft;
  wk_comp_func *fn;
  wk_error err;
  wk_error_clear(&err);
  assert_int_equal(wk_comp_inst_func(f->inst, "run", &fn, &err), WK_OK);
  ft = wk_comp_func_type(fn);
  assert_int_equal(ft->nparams, 1);
  assert_string_equal(ft->param_labels[0], "x");
  assert_int_equal(ft->result->kind, WK_CABI_U32);
  wk_cval a = {.kind = WK_CABI_U32, .of.u = 5};
  uint64_t r = 0;
  wk_trap *t = NULL;
  assert_int_equal(call_u32(f, "run", &a, 1, &r, &t), WK_OK);
  assert_int_equal(r, 15); /* the @0.1.5 definition ran */
  /* wrong argument count */
  assert_int_equal(wk_comp_func_call(f->s, fn, NULL, 0, NULL, NULL, &t, &err), WK_ERR_USAGE);
}

/* HOSTED with its import `test:x/api@0.1.0` renamed to `test:x/api@VERSION` (malloc'd) */
static char *hosted_at(const char *version) {
  const char *at = strstr(HOSTED, "@0.1.0"), *rest = at + 6;
  size_t n = (size_t)(at - HOSTED) + 1 + strlen(version) + strlen(rest) + 1;
  char *t = malloc(n);
  assert_non_null(t);
  snprintf(t, n, "%.*s@%s%s", (int)(at - HOSTED), HOSTED, version, rest);
  return t;
}

/* The Linker's semver tracks (encode/semver.h; wasmtime's NameMap): a canonical interface version
 * (Explainer.md "🔗 Canonical Interface Name") finds the highest definition on its track; a
 * prerelease is a track of its own, so no release satisfies it */
static void test_semver_tracks(void **state) {
  fixture *f = *state;
  define_api(f);
  wk_error err;
  wk_error_clear(&err);
  wk_trap *t = NULL;
  char *pre = hosted_at("0.1.5-rc.1");
  wk_comp *c = compile(f->e, pre);
  free(pre);
  assert_int_equal(wk_comp_instantiate(f->l, f->s, c, &f->inst, &t, &err), WK_ERR_LINK);
  assert_non_null(strstr(err.msg, "import `test:x/api@0.1.5-rc.1` is not defined"));
  wk_comp_free(c);
  f->inst = NULL;
  char *canon = hosted_at("0.1");
  instantiate_ok(f, canon);
  free(canon);
  wk_cval a = {.kind = WK_CABI_U32, .of.u = 5};
  uint64_t r = 0;
  assert_int_equal(call_u32(f, "run", &a, 1, &r, &t), WK_OK);
  assert_int_equal(r, 15); /* the @0.1.5 definition ran, not @0.1.2 (1015) nor @0.2.0 (2015) */
}

static void test_strings_both_ways(void **state) {
  fixture *f = *state;
  define_api(f);
  instantiate_ok(f, HOSTED);
  wk_comp_func *fn;
  wk_error err;
  wk_error_clear(&err);
  assert_int_equal(wk_comp_inst_func(f->inst, "hello", &fn, &err), WK_OK);
  wk_arena a = {0};
  wk_cval r;
  wk_trap *t = NULL;
  int rc = wk_comp_func_call(f->s, fn, NULL, 0, &a, &r, &t, &err);
  if (rc) fprintf(stderr, "hello: %s\n", err.msg);
  assert_int_equal(rc, WK_OK);
  assert_int_equal(r.kind, WK_CABI_STRING);
  assert_int_equal(r.of.str.len, 12);
  assert_memory_equal(r.of.str.ptr, "hello, world", 12);
  assert_int_equal(f->greet_calls, 1);
  wk_arena_free(&a);
}

static void test_link_error_names_import(void **state) {
  fixture *f = *state;
  wk_error err;
  wk_error_clear(&err);
  envs[0].f = f;
  assert_int_equal(wk_comp_linker_define_func(f->l, "test:x/api@0.1.9", "add", host_add, &envs[0], &err), WK_OK);
  assert_int_equal(wk_comp_linker_define_func(f->l, "test:x/api@0.1.9", "greeting", host_greet, &envs[0], &err),
                   WK_OK);
  f->c = compile(f->e, HOSTED);
  wk_trap *t = NULL;
  assert_int_equal(wk_comp_instantiate(f->l, f->s, f->c, &f->inst, &t, &err), WK_ERR_LINK);
  assert_non_null(strstr(err.msg, "test:x/api@0.1.0"));
  assert_non_null(strstr(err.msg, "`greet` is not defined"));
  assert_non_null(strstr(err.msg, "closest: `greeting`"));
  /* an incompatible major version only: the interface is missing */
  wk_comp_linker *l2 = wk_comp_linker_new(f->e);
  assert_int_equal(wk_comp_linker_define_func(l2, "test:x/api@1.0.0", "add", host_add, &envs[0], &err), WK_OK);
  assert_int_equal(wk_comp_instantiate(l2, f->s, f->c, &f->inst, &t, &err), WK_ERR_LINK);
  assert_non_null(strstr(err.msg, "import `test:x/api@0.1.0` is not defined; closest: `test:x/api@1.0.0`"));
  wk_comp_linker_free(l2);
}

/* wk_comp_linker_define_lazy_funcs: an import of one function of the interface defines that one
 * alone (define_one); an import define_one does not define runs the whole set first, so the
 * link error still names the closest of all its functions. */
static int lazy_full_calls, lazy_one_calls;
static int lazy_define_all(wk_comp_linker *l, const char *iface, void *env, wk_error *err) {
  lazy_full_calls++;
  int rc = wk_comp_linker_define_func(l, iface, "add", host_add, env, err);
  if (!rc) rc = wk_comp_linker_define_func(l, iface, "greeting", host_greet, env, err);
  return rc;
}
static int lazy_define_one(wk_comp_linker *l, const char *iface, const char *name, void *env, wk_error *err) {
  lazy_one_calls++;
  if (!strcmp(name, "add")) return wk_comp_linker_define_func(l, iface, "add", host_add, env, err);
  if (!strcmp(name, "greeting")) return wk_comp_linker_define_func(l, iface, "greeting", host_greet, env, err);
  return WK_OK;
}
static const char *LAZY_ADD =
    "(component\n"
    "  (import \"test:x/api@0.1.0\" (instance $api\n"
    "    (export \"add\" (func (param \"a\" u32) (param \"b\" u32) (result u32)))))\n"
    "  (alias export $api \"add\" (func $add))\n"
    "  (core func $add_c (canon lower (func $add)))\n"
    "  (core module $M (import \"host\" \"add\" (func $add (param i32 i32) (result i32)))\n"
    "    (func (export \"run\") (param i32) (result i32) (call $add (local.get 0) (i32.const 10))))\n"
    "  (core instance $m (instantiate $M (with \"host\" (instance (export \"add\" (func $add_c))))))\n"
    "  (func (export \"run\") (param \"x\" u32) (result u32) (canon lift (core func $m \"run\")))\n"
    ")\n";
static void test_define_lazy_funcs(void **state) {
  fixture *f = *state;
  wk_error err;
  wk_error_clear(&err);
  envs[0].f = f;
  envs[0].offset = 0;
  lazy_full_calls = lazy_one_calls = 0;
  assert_int_equal(wk_comp_linker_define_lazy_funcs(f->l, "test:x/api@0.1.9", lazy_define_all, NULL, &envs[0], &err),
                   WK_ERR_USAGE);
  assert_int_equal(wk_comp_linker_define_lazy_funcs(f->l, "test:x/api@0.1.9", lazy_define_all, lazy_define_one,
                                                    &envs[0], &err), WK_OK);
  instantiate_ok(f, LAZY_ADD);
  assert_int_equal(lazy_one_calls, 1);
  assert_int_equal(lazy_full_calls, 0); /* only `add` was defined */
  wk_cval a = {.kind = WK_CABI_U32, .of.u = 5};
  uint64_t r = 0;
  wk_trap *t = NULL;
  assert_int_equal(call_u32(f, "run", &a, 1, &r, &t), WK_OK);
  assert_int_equal(r, 15);
  /* `greet` is not one define_one defines: the whole set runs, and the error sees `greeting` */
  wk_comp_linker *l2 = wk_comp_linker_new(f->e);
  assert_int_equal(wk_comp_linker_define_lazy_funcs(l2, "test:x/api@0.1.9", lazy_define_all, lazy_define_one,
                                                    &envs[0], &err), WK_OK);
  wk_comp *c2 = compile(f->e, HOSTED);
  wk_comp_inst *i2 = NULL;
  assert_int_equal(wk_comp_instantiate(l2, f->s, c2, &i2, &t, &err), WK_ERR_LINK);
  assert_int_equal(lazy_full_calls, 1);
  assert_non_null(strstr(err.msg, "`greet` is not defined"));
  assert_non_null(strstr(err.msg, "closest: `greeting`"));
  wk_comp_free(c2);
  wk_comp_linker_free(l2);
}

/* Host definitions typed by a declared WIT world (wk_comp_linker_declare_wit):
 * instantiation type-checks each satisfied import with lib/encode's
 * wk_ctypes_subtype and names the import, the function and what differs. */
static const char *DECL_OK =
    "package host:decl;\n"
    "world host { import test:x/api@0.1.5; }\n"
    "package test:x@0.1.5 { interface api { add: func(a: u32, b: u32) -> u32; greet: func(s: string) -> string;\n"
    "  extra: func(); } }\n";

static int declared_instantiate(fixture *f, const char *wit, const char *text, wk_error *err) {
  wk_comp_inst_free(f->inst); /* before its linker (component.h CHANGES 4) */
  f->inst = NULL;
  wk_comp_linker_free(f->l);
  f->l = wk_comp_linker_new(f->e);
  define_api(f);
  int rc = wk_comp_linker_declare_wit(f->l, "host.wit", wit, strlen(wit), NULL, err);
  if (rc) fprintf(stderr, "declare: %s\n", err->msg);
  assert_int_equal(rc, WK_OK);
  if (!f->c) f->c = compile(f->e, text);
  wk_trap *t = NULL;
  return wk_comp_instantiate(f->l, f->s, f->c, &f->inst, &t, err);
}

static void test_declared_types(void **state) {
  fixture *f = *state;
  wk_error err;
  wk_error_clear(&err);
  /* equal types (and one more function on the host's side): instantiates and runs */
  assert_int_equal(declared_instantiate(f, DECL_OK, HOSTED, &err), WK_OK);
  wk_cval a = {.kind = WK_CABI_U32, .of.u = 5};
  uint64_t r = 0;
  wk_trap *t = NULL;
  assert_int_equal(call_u32(f, "run", &a, 1, &r, &t), WK_OK);
  assert_int_equal(r, 15);
  /* a parameter of another type */
  const char *bad_param =
      "package host:decl;\nworld host { import test:x/api@0.1.5; }\n"
      "package test:x@0.1.5 { interface api { add: func(a: u32, b: string) -> u32; greet: func(s: string) -> string; } }\n";
  assert_int_equal(declared_instantiate(f, bad_param, HOSTED, &err), WK_ERR_LINK);
  assert_string_equal(err.msg, "import `test:x/api@0.1.0`: the host's `test:x/api@0.1.5` has another type: "
                               "func `add`: parameter `b`: expected u32, found string");
  /* ... at the import's importdecl (past the 8-byte preamble), as an undefined import's error */
  assert_true(err.has_offset);
  assert_true(err.offset > 8);
  /* a result of another type */
  const char *bad_result =
      "package host:decl;\nworld host { import test:x/api@0.1.5; }\n"
      "package test:x@0.1.5 { interface api { add: func(a: u32, b: u32) -> u32; greet: func(s: string) -> list<u8>; } }\n";
  assert_int_equal(declared_instantiate(f, bad_result, HOSTED, &err), WK_ERR_LINK);
  assert_non_null(strstr(err.msg, "import `test:x/api@0.1.0`"));
  assert_non_null(strstr(err.msg, "func `greet`: result: expected string, found list"));
  /* a parameter name that differs */
  const char *bad_name =
      "package host:decl;\nworld host { import test:x/api@0.1.5; }\n"
      "package test:x@0.1.5 { interface api { add: func(x: u32, b: u32) -> u32; greet: func(s: string) -> string; } }\n";
  assert_int_equal(declared_instantiate(f, bad_name, HOSTED, &err), WK_ERR_LINK);
  assert_non_null(strstr(err.msg, "func `add`: parameter 0: expected name `a`, found `x`"));
  /* a declared interface without a function the import needs */
  const char *missing =
      "package host:decl;\nworld host { import test:x/api@0.1.5; }\n"
      "package test:x@0.1.5 { interface api { add: func(a: u32, b: u32) -> u32; } }\n";
  assert_int_equal(declared_instantiate(f, missing, HOSTED, &err), WK_ERR_LINK);
  assert_non_null(strstr(err.msg, "missing export func `greet`"));
  /* bad WIT is an error of the declaration, with its location */
  wk_comp_linker *l2 = wk_comp_linker_new(f->e);
  assert_int_equal(wk_comp_linker_declare_wit(l2, "host.wit", "package a:b; world w { import x: func(; }", 41, NULL,
                                              &err) != WK_OK, 1);
  wk_comp_linker_free(l2);
}

static int host_nop_u32(wk_comp_ctx *ctx, void *env, const wk_cval *args, uint32_t nargs, wk_cval *result) {
  (void)ctx, (void)env, (void)args, (void)nargs;
  result->of.u = 0;
  return WK_OK;
}

/* A variant case that differs, inside a named type of the imported instance. */
static const char *ENUM_IMPORT =
    "(component\n"
    "  (import \"test:y/api\" (instance $api\n"
    "    (type $e (variant (case \"a\") (case \"b\" u32)))\n"
    "    (export \"e\" (type $et (eq $e)))\n"
    "    (export \"f\" (func (param \"x\" $et) (result u32)))))\n"
    ")\n";

static void test_declared_case(void **state) {
  fixture *f = *state;
  wk_error err;
  wk_error_clear(&err);
  assert_int_equal(wk_comp_linker_define_func(f->l, "test:y/api", "f", host_nop_u32, NULL, &err), WK_OK);
  const char *ok = "package test:y; interface api { variant e { a, b(u32) } f: func(x: e) -> u32; }\n"
                   "world host { import api; }\n";
  const char *bad = "package test:y; interface api { variant e { a, c(u32) } f: func(x: e) -> u32; }\n"
                    "world host { import api; }\n";
  const char *badp = "package test:y; interface api { variant e { a, b(s64) } f: func(x: e) -> u32; }\n"
                     "world host { import api; }\n";
  f->c = compile(f->e, ENUM_IMPORT);
  wk_trap *t = NULL;
  assert_int_equal(wk_comp_linker_declare_wit(f->l, "ok.wit", ok, strlen(ok), NULL, &err), WK_OK);
  assert_int_equal(wk_comp_instantiate(f->l, f->s, f->c, &f->inst, &t, &err), WK_OK);
  wk_comp_inst_free(f->inst);
  f->inst = NULL;
  assert_int_equal(wk_comp_linker_declare_wit(f->l, "bad.wit", bad, strlen(bad), NULL, &err), WK_OK);
  assert_int_equal(wk_comp_instantiate(f->l, f->s, f->c, &f->inst, &t, &err), WK_ERR_LINK);
  assert_string_equal(err.msg, "import `test:y/api`: the host's `test:y/api` has another type: "
                               "type `e`: expected case `b`, found `c`");
  assert_int_equal(wk_comp_linker_declare_wit(f->l, "badp.wit", badp, strlen(badp), NULL, &err), WK_OK);
  assert_int_equal(wk_comp_instantiate(f->l, f->s, f->c, &f->inst, &t, &err), WK_ERR_LINK);
  assert_string_equal(err.msg, "import `test:y/api`: the host's `test:y/api` has another type: "
                               "type `e`: case `b`: expected u32, found s64");
}

/* The WASI 0.2 host declares its types (generated at build time into $(BUILD)/gen/wasi_types.c, with
 * fingerprints): a component importing a wasi:* function with another
 * signature fails at instantiation, naming the import, the function and
 * what differs; the right signature at an older 0.2 version instantiates. */
static const char *WASI_ENV_BAD =
    "(component\n"
    "  (import \"wasi:cli/environment@0.2.0\" (instance\n"
    "    (export \"get-arguments\" (func (result (list string))))\n"
    "    (export \"initial-cwd\" (func (result u32))))))\n";
static const char *WASI_ENV_OK =
    "(component\n"
    "  (import \"wasi:cli/environment@0.2.0\" (instance\n"
    "    (export \"get-arguments\" (func (result (list string))))\n"
    "    (export \"initial-cwd\" (func (result (option string)))))))\n";
static const char *WASI_STREAM_BAD =
    "(component\n"
    "  (import \"wasi:io/streams@0.2.3\" (instance\n"
    "    (export \"output-stream\" (type $os (sub resource)))\n"
    "    (export \"[method]output-stream.blocking-flush\" (func (param \"self\" (borrow $os)) (result u32))))))\n";

static int wasi_instantiate(fixture *f, wk_wasi *w, const char *text, wk_error *err) {
  wk_comp_inst_free(f->inst);
  f->inst = NULL;
  wk_comp_free(f->c);
  f->c = compile(f->e, text);
  wk_trap *t = NULL;
  return wk_comp_instantiate(f->l, f->s, f->c, &f->inst, &t, err);
}

static void test_wasi_declared_types(void **state) {
  fixture *f = *state;
  wk_error err;
  wk_error_clear(&err);
  wk_wasi *w = wk_wasi_new();
  assert_non_null(w);
  assert_int_equal(wk_wasi_p2_define(f->l, w, &err), WK_OK);
  assert_int_equal(wasi_instantiate(f, w, WASI_ENV_OK, &err), WK_OK);
  assert_int_equal(wasi_instantiate(f, w, WASI_ENV_BAD, &err), WK_ERR_LINK);
  assert_string_equal(err.msg, "import `wasi:cli/environment@0.2.0`: the host's `wasi:cli/environment@0.2.12` has "
                               "another type: func `initial-cwd`: result: expected u32, found option");
  assert_int_equal(wasi_instantiate(f, w, WASI_STREAM_BAD, &err), WK_ERR_LINK);
  assert_string_equal(err.msg, "import `wasi:io/streams@0.2.3`: the host's `wasi:io/streams@0.2.12` has another "
                               "type: func `[method]output-stream.blocking-flush`: result: expected u32, found result");
  wk_comp_inst_free(f->inst);
  f->inst = NULL;
  wk_comp_linker_free(f->l); /* before the context its functions point into */
  f->l = NULL;
  wk_wasi_free(w);
}

/* The fingerprint fast path: with a table whose fingerprints all equal the
 * import's, the declaration is not decoded (garbage bytes are never read);
 * one that differs decodes it (here: fails to, which shows it was tried). */
static void test_declared_fast_path(void **state) {
  fixture *f = *state;
  wk_error err;
  wk_error_clear(&err);
  define_api(f);
  wit_resolve *r = wit_resolve_new();
  wit_diag diag;
  wit_id pkg, world;
  assert_int_equal(wit_resolve_push_str(r, "h.wit", DECL_OK, strlen(DECL_OK), &pkg, &diag), WK_OK);
  assert_int_equal(wit_resolve_select_world(r, pkg, NULL, &world, &err), WK_OK);
  wk_buf b = {0};
  assert_int_equal(wit_encode_world_metadata(r, world, WIT_STRING_UTF8, &b, &err), WK_OK);
  wit_resolve_free(r);
  wk_comp_type_hash *h;
  size_t nh;
  assert_int_equal(wk_comp_types_hashes(b.data, b.len, &h, &nh, &err), WK_OK);
  assert_int_equal(nh, 3); /* add, extra, greet */
  assert_string_equal(h[0].name, "test:x/api@0.1.5#add");
  static const uint8_t garbage[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  assert_int_equal(wk_comp_linker_declare_types(f->l, garbage, sizeof garbage, h, nh, &err), WK_OK);
  f->c = compile(f->e, HOSTED);
  wk_trap *t = NULL;
  assert_int_equal(wk_comp_instantiate(f->l, f->s, f->c, &f->inst, &t, &err), WK_OK);
  wk_comp_inst_free(f->inst);
  f->inst = NULL;
  h[0].hash ^= 1; /* `add` now differs: the full check runs and decodes the garbage */
  assert_int_not_equal(wk_comp_instantiate(f->l, f->s, f->c, &f->inst, &t, &err), WK_OK);
  assert_int_not_equal(err.code, WK_ERR_LINK);
  wk_comp_inst_free(f->inst);
  f->inst = NULL;
  wk_comp_linker_free(f->l); /* the table must outlive the linker */
  f->l = NULL;
  wk_comp_types_hashes_free(h, nh);
  wk_buf_free(&b);
}

static void test_trap_unknown_imports(void **state) {
  fixture *f = *state;
  wk_comp_linker_trap_unknown_imports(f->l, 1);
  instantiate_ok(f, HOSTED);
  wk_cval a = {.kind = WK_CABI_U32, .of.u = 5};
  uint64_t r;
  wk_trap *t = NULL;
  assert_int_equal(call_u32(f, "run", &a, 1, &r, &t), WK_ERR_TRAP);
  assert_non_null(t);
  assert_non_null(strstr(wk_trap_message(t), "unknown import: `test:x/api@0.1.0#add` has not been defined"));
  assert_true(wk_trap_frame_count(t) >= 1); /* raised in the core function that called the import */
  wk_trap_free(t);
}

static void test_host_exit(void **state) {
  fixture *f = *state;
  define_api(f);
  instantiate_ok(f, HOSTED);
  f->mode = 1;
  wk_cval a = {.kind = WK_CABI_U32, .of.u = 5};
  uint64_t r;
  wk_trap *t = NULL;
  assert_int_equal(call_u32(f, "run", &a, 1, &r, &t), WK_ERR_TRAP);
  assert_int_equal(wk_trap_code_of(t), WK_TRAP_EXIT);
  assert_int_equal(wk_trap_exit_status(t), 7);
  wk_trap_free(t);
}

/* component.h wk_comp_trap_is_nesting_bound: only the bound's trap (code and message, as a trap
 * passed out through component calls keeps them) is it; the engine's own stack limit (the same
 * code, its default message), a host trap with the same text and NULL are not. The bound itself is
 * hit for real in tests/component-exec/suite-wrun.sh (a chain of 5000 component calls). */
static void test_nesting_bound_query(void **state) {
  (void)state;
  const char *msg = "call stack exhausted (component calls nested too deeply)";
  wk_trap *bound = wk_trap_new(WK_TRAP_STACK_EXHAUSTED, msg, 0);
  wk_trap *engine = wk_trap_new(WK_TRAP_STACK_EXHAUSTED, NULL, 0);
  wk_trap *host = wk_trap_new(WK_TRAP_HOST, msg, 0);
  assert_int_equal(wk_comp_trap_is_nesting_bound(bound), 1);
  assert_int_equal(wk_comp_trap_is_nesting_bound(engine), 0);
  assert_int_equal(wk_comp_trap_is_nesting_bound(host), 0);
  assert_int_equal(wk_comp_trap_is_nesting_bound(NULL), 0);
  wk_trap_free(bound);
  wk_trap_free(engine);
  wk_trap_free(host);
}

static void test_may_enter_guard(void **state) {
  fixture *f = *state;
  define_api(f);
  instantiate_ok(f, HOSTED);
  f->mode = 2;
  wk_cval a = {.kind = WK_CABI_U32, .of.u = 5};
  uint64_t r;
  wk_trap *t = NULL;
  assert_int_equal(call_u32(f, "run", &a, 1, &r, &t), WK_ERR_TRAP);
  assert_non_null(strstr(wk_trap_message(t), "inner: cannot enter component instance"));
  wk_trap_free(t);
  /* Explainer.md "lockdown": after the trap the instance cannot be entered again */
  f->mode = 0;
  assert_int_equal(call_u32(f, "run", &a, 1, &r, &t), WK_ERR_TRAP);
  assert_non_null(strstr(wk_trap_message(t), "cannot enter component instance"));
  wk_trap_free(t);
}

static void test_guest_to_guest(void **state) {
  fixture *f = *state;
  instantiate_ok(f, NESTED);
  uint64_t r = 0;
  wk_trap *t = NULL;
  int rc = call_u32(f, "run", NULL, 0, &r, &t);
  if (rc) fprintf(stderr, "run: %s\n", t ? wk_trap_message(t) : "?");
  assert_int_equal(rc, WK_OK);
  assert_int_equal(r, 6 + 'a'); /* the string was copied into A's memory (first byte read there) */
}

/* host resource "thing": rep = 100 + v; the destructor records the rep it got */
static const wk_cabi_rtype *thing_rt;
static uint32_t dropped_rep;
static int thing_dtor(void *env, uint32_t rep, wk_error *err) {
  dropped_rep = rep;
  return WK_OK;
}
static int thing_new(wk_comp_ctx *ctx, void *env, const wk_cval *args, uint32_t nargs, wk_cval *result) {
  assert_int_equal(result->kind, WK_CABI_OWN);
  result->of.handle.rt = thing_rt;
  result->of.handle.rep = 100 + (uint32_t)args[0].of.u;
  return WK_OK;
}
static int thing_get(wk_comp_ctx *ctx, void *env, const wk_cval *args, uint32_t nargs, wk_cval *result) {
  assert_int_equal(args[0].kind, WK_CABI_BORROW);
  assert_ptr_equal(args[0].of.handle.rt, thing_rt);
  result->of.u = args[0].of.handle.rep;
  return WK_OK;
}

static void test_host_resource(void **state) {
  fixture *f = *state;
  wk_error err;
  wk_error_clear(&err);
  assert_int_equal(wk_comp_linker_define_resource(f->l, "test:r/res", "thing", thing_dtor, NULL, &thing_rt, &err),
                   WK_OK);
  assert_non_null(thing_rt);
  assert_int_equal(wk_comp_linker_define_func(f->l, "test:r/res", "[constructor]thing", thing_new, NULL, &err), WK_OK);
  assert_int_equal(wk_comp_linker_define_func(f->l, "test:r/res", "[method]thing.get", thing_get, NULL, &err), WK_OK);
  instantiate_ok(f, RESOURCES);
  dropped_rep = 0;
  uint64_t r = 0;
  wk_trap *t = NULL;
  int rc = call_u32(f, "run", NULL, 0, &r, &t);
  if (rc) fprintf(stderr, "run: %s\n", t ? wk_trap_message(t) : "?");
  assert_int_equal(rc, WK_OK);
  /* handle 1 in the guest's table, the borrow saw rep 141, the own drop ran the host destructor on 141
   * (the lend taken for the borrow was released when `get` returned, or the drop would have trapped) */
  assert_int_equal(r, 1000 + 141);
  assert_int_equal(dropped_rep, 141);
}

static int host_nop(wk_comp_ctx *ctx, void *env, const wk_cval *args, uint32_t nargs, wk_cval *result) {
  (*(int *)env)++;
  return WK_OK;
}

static void test_post_return(void **state) {
  fixture *f = *state;
  wk_error err;
  wk_error_clear(&err);
  int calls = 0;
  assert_int_equal(wk_comp_linker_define_func(f->l, NULL, "f", host_nop, &calls, &err), WK_OK);
  instantiate_ok(f, POSTRET);
  uint64_t r = 0;
  wk_trap *t = NULL;
  assert_int_equal(call_u32(f, "g", NULL, 0, &r, &t), WK_OK);
  assert_int_equal(r, 7);
  assert_int_equal(call_u32(f, "g", NULL, 0, &r, &t), WK_OK);
  assert_int_equal(call_u32(f, "seen", NULL, 0, &r, &t), WK_OK);
  assert_int_equal(r, 14); /* post-return ran twice with the core result 7 */
  assert_int_equal(call_u32(f, "h", NULL, 0, &r, &t), WK_ERR_TRAP);
  assert_non_null(strstr(wk_trap_message(t), "cannot leave component instance"));
  wk_trap_free(t);
  assert_int_equal(calls, 0);
}

static void test_implements(void **state) {
  fixture *f = *state;
  define_api(f);
  instantiate_ok(f, IMPLEMENTS);
  uint64_t r = 0;
  wk_trap *t = NULL;
  assert_int_equal(call_u32(f, "run", NULL, 0, &r, &t), WK_OK);
  assert_int_equal(r, 5); /* test:x/api@0.1.5's add */
}

static int lift_call(fixture *f, const char *name, uint32_t n, size_t *len, wk_trap **t) {
  wk_comp_func *fn;
  wk_error err;
  wk_error_clear(&err);
  assert_int_equal(wk_comp_inst_func(f->inst, name, &fn, &err), WK_OK);
  wk_arena a = {0};
  wk_cval arg = {.kind = WK_CABI_U32}, r;
  arg.of.u = n;
  int rc = wk_comp_func_call(f->s, fn, &arg, 1, &a, &r, t, &err);
  if (!rc && len) {
    assert_int_equal(r.kind, WK_CABI_LIST);
    *len = r.of.seq.n;
  }
  wk_arena_free(&a);
  return rc;
}

static void test_lift_budget(void **state) {
  fixture *f = *state;
  wk_error err;
  wk_error_clear(&err);
  int calls = 0;
  assert_int_equal(wk_comp_linker_define_func(f->l, NULL, "take", host_nop, &calls, &err), WK_OK);
  instantiate_ok(f, BIGLIST);
  size_t len = 0;
  wk_trap *t = NULL;
  /* within the budget: lifted as usual */
  assert_int_equal(lift_call(f, "big", 100000, &len, &t), WK_OK);
  assert_int_equal(len, 100000);
  assert_int_equal(lift_call(f, "send", 100000, NULL, &t), WK_OK);
  assert_int_equal(calls, 1);
  /* canon lift's result past the budget: a trap with the reason */
  uint32_t n = (16u << 20) - 16;
  assert_int_equal(lift_call(f, "big", n, &len, &t), WK_ERR_TRAP);
  assert_non_null(strstr(wk_trap_message(t), "lifted values exceed the per-call host memory budget of 268435456 bytes"));
  wk_trap_free(t);
  t = NULL;
  wk_comp_inst_free(f->inst); /* the trap closed the instance (lockdown) */
  f->inst = NULL;
  wk_comp_free(f->c);
  f->c = NULL;
  instantiate_ok(f, BIGLIST);
  /* canon lower's argument past the budget: the host function is not called */
  assert_int_equal(lift_call(f, "send", n, NULL, &t), WK_ERR_TRAP);
  assert_non_null(strstr(wk_trap_message(t), "per-call host memory budget"));
  wk_trap_free(t);
  assert_int_equal(calls, 1);
}

static void test_not_a_component(void **state) {
  fixture *f = *state;
  static const uint8_t core[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  assert_false(wk_comp_is_component(core, sizeof core));
  wk_error err;
  wk_error_clear(&err);
  wk_comp *c = NULL;
  assert_int_not_equal(wk_comp_new(f->e, core, sizeof core, &c, &err), WK_OK);
  assert_null(c);
  static const uint8_t trunc[10] = {0, 'a', 's', 'm', 0x0d, 0, 1, 0, 7, 5};
  assert_int_not_equal(wk_comp_new(f->e, trunc, sizeof trunc, &c, &err), WK_OK);
}

/* map<K, V> (cm-map) and list<T, N> (cm-fixed-length-lists) through the
 * runtime: arguments parsed from WAVE (a map as the list of (key, value)
 * tuples it despecializes to, Explainer.md), lowered by lib/canonabi (a
 * fixed list flattens to N scalars; a map is a list in memory allocated with
 * the guest's realloc), results lifted and printed back as WAVE. */
static const char MAPFIX[] =
    "(component\n"
    "  (core module $m\n"
    "    (memory (export \"mem\") 1)\n"
    "    (global $bump (mut i32) (i32.const 1024))\n"
    "    (func (export \"realloc\") (param i32 i32 i32 i32) (result i32) (local $p i32)\n"
    "      global.get $bump local.get 2 i32.add i32.const 1 i32.sub\n"
    "      i32.const 0 local.get 2 i32.sub i32.and local.tee $p\n"
    "      local.get 3 i32.add global.set $bump local.get $p)\n"
    "    (func (export \"sum3\") (param i32 i32 i32) (result i32)\n"
    "      local.get 0 local.get 1 i32.add local.get 2 i32.add)\n"
    "    (func (export \"rev\") (param i32 i32 i32) (result i32)\n"
    "      i32.const 0 local.get 2 i32.store i32.const 4 local.get 1 i32.store\n"
    "      i32.const 8 local.get 0 i32.store i32.const 0)\n"
    /* entries are (string, u32): 12 bytes each; n * 100 + the second entry's value */
    "    (func (export \"count\") (param i32 i32) (result i32)\n"
    "      local.get 1 i32.const 100 i32.mul local.get 0 i32.load offset=20 i32.add))\n"
    "  (core instance $i (instantiate $m))\n"
    "  (type $fl (list u32 3))\n"
    "  (func (export \"sum3\") (param \"l\" $fl) (result u32) (canon lift (core func $i \"sum3\")))\n"
    "  (func (export \"rev\") (param \"l\" $fl) (result $fl)\n"
    "    (canon lift (core func $i \"rev\") (memory (core memory $i \"mem\"))))\n"
    "  (func (export \"count\") (param \"m\" (map string u32)) (result u32)\n"
    "    (canon lift (core func $i \"count\") (memory (core memory $i \"mem\")) (realloc (core func $i \"realloc\")))))\n";

static void call_wave(fixture *f, const char *name, const char *arg, const char *want) {
  wk_comp_func *fn;
  wk_error err;
  wk_error_clear(&err);
  assert_int_equal(wk_comp_inst_func(f->inst, name, &fn, &err), WK_OK);
  const wk_comp_functype *ft = wk_comp_func_type(fn);
  assert_int_equal(ft->nparams, 1);
  wk_arena a = {0};
  wk_cval v, r;
  int rc = wk_cval_parse_wave(arg, strlen(arg), ft->params[0], ft->param_names[0], &a, &v, &err);
  if (rc) fprintf(stderr, "%s: parse %s: %s\n", name, arg, err.msg);
  assert_int_equal(rc, WK_OK);
  wk_trap *t = NULL;
  rc = wk_comp_func_call(f->s, fn, &v, 1, &a, &r, &t, &err);
  if (rc) fprintf(stderr, "%s: %s\n", name, t ? wk_trap_message(t) : err.msg);
  assert_int_equal(rc, WK_OK);
  wk_buf b = {0};
  assert_int_equal(wk_cval_print_wave(&r, ft->result, ft->result_names, &b, &err), WK_OK);
  wk_buf_byte(&b, 0);
  assert_string_equal((char *)b.data, want);
  wk_buf_free(&b);
  wk_arena_free(&a);
}

static void test_map_fixed_list(void **state) {
  fixture *f = *state;
  f->c = compile(f->e, MAPFIX);
  wk_error err;
  wk_error_clear(&err);
  wk_trap *t = NULL;
  assert_int_equal(wk_comp_instantiate(f->l, f->s, f->c, &f->inst, &t, &err), WK_OK);
  call_wave(f, "sum3", "[1, 2, 39]", "42");
  call_wave(f, "rev", "[1, 2, 3]", "[3, 2, 1]");
  call_wave(f, "count", "[(\"a\", 5), (\"bc\", 7)]", "207");
  /* a fixed list of the wrong length is no value of the type */
  const wk_comp_functype *ft;
  wk_comp_func *fn;
  assert_int_equal(wk_comp_inst_func(f->inst, "sum3", &fn, &err), WK_OK);
  ft = wk_comp_func_type(fn);
  wk_arena a = {0};
  wk_cval v;
  assert_int_not_equal(wk_cval_parse_wave("[1, 2]", 6, ft->params[0], ft->param_names[0], &a, &v, &err), WK_OK);
  wk_arena_free(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_semver_host_call, setup, teardown),
      cmocka_unit_test_setup_teardown(test_semver_tracks, setup, teardown),
      cmocka_unit_test_setup_teardown(test_strings_both_ways, setup, teardown),
      cmocka_unit_test_setup_teardown(test_link_error_names_import, setup, teardown),
      cmocka_unit_test_setup_teardown(test_trap_unknown_imports, setup, teardown),
      cmocka_unit_test_setup_teardown(test_declared_types, setup, teardown),
      cmocka_unit_test_setup_teardown(test_declared_case, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wasi_declared_types, setup, teardown),
      cmocka_unit_test_setup_teardown(test_declared_fast_path, setup, teardown),
      cmocka_unit_test_setup_teardown(test_host_exit, setup, teardown),
      cmocka_unit_test_setup_teardown(test_may_enter_guard, setup, teardown),
      cmocka_unit_test(test_nesting_bound_query),
      cmocka_unit_test_setup_teardown(test_guest_to_guest, setup, teardown),
      cmocka_unit_test_setup_teardown(test_host_resource, setup, teardown),
      cmocka_unit_test_setup_teardown(test_post_return, setup, teardown),
      cmocka_unit_test_setup_teardown(test_implements, setup, teardown),
      cmocka_unit_test_setup_teardown(test_not_a_component, setup, teardown),
      cmocka_unit_test_setup_teardown(test_map_fixed_list, setup, teardown),
      cmocka_unit_test_setup_teardown(test_lift_budget, setup, teardown),
      cmocka_unit_test_setup_teardown(test_define_lazy_funcs, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
