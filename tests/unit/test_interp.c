/*
 * Unit tests for lib/interp's API: modules are written in WAT and compiled with
 * wabt's wat2wasm at test time; expected values come from C reference
 * computations, and trap offsets from wasm-objdump's disassembly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "interp/interp.h"
#include "interp/internal.h"
#include "encode/wat.h"
#include "wat_env.h"

static char tmpdir[] = "/tmp/wk-test-interp-XXXXXX";

/* wat2wasm (with the name section) -> bytes, its .wasm file's path to wasm_path_out when not NULL */
static uint8_t *wat_flags(const char *src, size_t *len, char *wasm_path_out, const char *flags);
static uint8_t *wat(const char *src, size_t *len, char *wasm_path_out) { return wat_flags(src, len, wasm_path_out, ""); }
/* the same with wat2wasm options (e.g. --enable-multi-memory) */
static uint8_t *wat_flags(const char *src, size_t *len, char *wasm_path_out, const char *flags) {
  static int n;
  char bp[512], fl[512];
  snprintf(bp, sizeof bp, "%s/m%d.wasm", tmpdir, n++);
  snprintf(fl, sizeof fl, "--debug-names --enable-tail-call --enable-extended-const %s", flags);
  uint8_t *d = wat2wasm_at(src, fl, bp, len);
  if (wasm_path_out) strcpy(wasm_path_out, bp);
  return d;
}

typedef wat_env env;

/* wat2wasm's module of src (path: its .wasm file, when not NULL) in a new engine of cfg, store, linker */
static void setup_at(env *v, const char *src, const wk_config *cfg, char *path) {
  size_t len;
  uint8_t *bytes = wat(src, &len, path);
  wat_open_bin(v, bytes, len, cfg, 0);
  free(bytes);
}
static void setup_cfg(env *v, const char *src, const wk_config *cfg) { setup_at(v, src, cfg, NULL); }

static wk_value I32(int32_t x) { wk_value v = {.type = WK_I32}; v.of.i32 = x; return v; }
static wk_value I64(int64_t x) { wk_value v = {.type = WK_I64}; v.of.i64 = x; return v; }

/* WebAssembly 3.0 GC through the embedder API (interp.h "GC references at the host boundary"):
 * a struct reaches the host as a WK_ANYREF of kind struct and goes back in as an argument that
 * survives collections (the store's heap limit is 4 MiB here: the callee allocates 64 MiB) while
 * it is only on the value stack; i31 values; a host pointer made an anyref (any.convert_extern)
 * is neither eq nor struct and converts back to itself (what is no anyref of the store: refused,
 * unread); an object larger than the limit traps
 * WK_TRAP_GC_OOM and the store goes on. Lazy and eager translation, guard pages and checks. */
static void test_gc_host_boundary(void **state) {
  (void)state;
  static const char *src =
      "(module (type $s (struct (field i32)))\n"
      " (type $b (array (mut i8)))\n"
      " (func (export \"mk\") (param i32) (result anyref) (struct.new $s (local.get 0)))\n"
      " (func (export \"i31\") (param i32) (result anyref) (ref.i31 (local.get 0)))\n"
      " (func (export \"churn_get\") (param $r anyref) (param $n i32) (result i32)\n"
      "  (loop $l (drop (array.new_default $b (i32.const 65536)))\n"
      "   (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br_if $l (local.get $n)))\n"
      "  (struct.get $s 0 (ref.cast (ref $s) (local.get $r))))\n"
      " (func (export \"kinds\") (param anyref) (result i32)\n"
      "  (i32.add (i32.mul (ref.test (ref eq) (local.get 0)) (i32.const 2)) (ref.test (ref any) (local.get 0))))\n"
      " (func (export \"huge\") (result i32) (array.len (array.new_default $b (i32.const 0x1000000)))))\n";
  for (int k = 0; k < 4; k++) {
    wk_config c;
    wk_config_default(&c);
    c.eager_translation = k & 1;
    c.guard_pages = !(k & 2);
    c.max_memory_bytes = 4 << 20;
    env v;
    wat_open(&v, src, &c); /* (lib/encode's parser: wabt 1.0.32 reads no GC) */
    wat_inst(&v);
    wk_trap *t = NULL;
    wk_value r, o, a[2];
    a[0] = I32(7);
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "mk"), a, 1, &o, 1, &t), WK_OK);
    assert_int_equal(o.type, 0x6e);
    assert_int_equal(wk_ref_kind(v.s, &o), WK_REFKIND_STRUCT);
    a[0] = o, a[1] = I32(1024); /* 64 MiB of garbage arrays, 16 times the heap limit */
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "churn_get"), a, 2, &r, 1, &t), WK_OK);
    assert_int_equal(r.of.i32, 7);
    a[0] = I32(-3);
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "i31"), a, 1, &o, 1, &t), WK_OK);
    assert_int_equal(wk_ref_kind(v.s, &o), WK_REFKIND_I31);
    assert_int_equal(wk_i31_get_u(&o), 0x7ffffffdu);
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "kinds"), &o, 1, &r, 1, &t), WK_OK);
    assert_int_equal(r.of.i32, 3);
    /* wk_gc_ref_fits (internal): o is an i31 now; a struct of $s (store id of type 0) */
    uint32_t sid = v.inst->type_ids[0];
    assert_true(wk_gc_ref_fits(v.s, wk_vt_ref(WK_HT_I31, 0), (uint64_t)(uintptr_t)o.of.ref));
    assert_true(wk_gc_ref_fits(v.s, wk_vt_ref(WK_HT_EQ, 0), (uint64_t)(uintptr_t)o.of.ref));
    assert_false(wk_gc_ref_fits(v.s, wk_vt_ref(WK_HT_STRUCT, 0), (uint64_t)(uintptr_t)o.of.ref));
    assert_false(wk_gc_ref_fits(v.s, wk_vt_ref(sid, 0), (uint64_t)(uintptr_t)o.of.ref));
    assert_false(wk_gc_ref_fits(v.s, wk_vt_ref(sid, 0), 0));
    assert_true(wk_gc_ref_fits(v.s, wk_vt_ref(sid, 1), 0));
    assert_false(wk_gc_ref_fits(v.s, wk_vt_ref(WK_HT_ANY, 0), 0x1000)); /* (no object of this store) */
    wk_value so;
    a[0] = I32(5);
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "mk"), a, 1, &so, 1, &t), WK_OK);
    assert_true(wk_gc_ref_fits(v.s, wk_vt_ref(sid, 0), (uint64_t)(uintptr_t)so.of.ref));
    assert_true(wk_gc_ref_fits(v.s, wk_vt_ref(WK_HT_STRUCT, 0), (uint64_t)(uintptr_t)so.of.ref));
    assert_false(wk_gc_ref_fits(v.s, wk_vt_ref(WK_HT_ARRAY, 0), (uint64_t)(uintptr_t)so.of.ref));
    wk_value h, x;
    assert_int_equal(wk_anyref_of_host(v.s, (void *)(uintptr_t)0x1235, &h), WK_OK);
    assert_int_equal(wk_ref_kind(v.s, &h), WK_REFKIND_HOST);
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "kinds"), &h, 1, &r, 1, &t), WK_OK);
    assert_int_equal(r.of.i32, 1); /* any, not eq */
    assert_int_equal(wk_extern_of_anyref(v.s, &h, &x), WK_OK);
    assert_int_equal(x.type, WK_EXTERNREF);
    assert_ptr_equal(x.of.ref, (void *)(uintptr_t)0x1235);
    /* extern.convert_any of what is no anyref of this store: WK_ERR_USAGE, *out untouched, nothing
     * read through the pointer (an externref given by mistake, a stray pointer) */
    int32_t word = 0x11223344;
    wk_value bad = {.type = WK_EXTERNREF, .of.ref = &word};
    assert_int_equal(wk_extern_of_anyref(v.s, &bad, &x), WK_ERR_USAGE);
    bad.type = WK_ANYREF;
    assert_int_equal(wk_extern_of_anyref(v.s, &bad, &x), WK_ERR_USAGE);
    assert_ptr_equal(x.of.ref, (void *)(uintptr_t)0x1235);
    bad.of.ref = NULL; /* null and i31 are anyrefs of every store */
    assert_int_equal(wk_extern_of_anyref(v.s, &bad, &x), WK_OK);
    assert_null(x.of.ref);
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "huge"), NULL, 0, &r, 1, &t), WK_ERR_TRAP);
    assert_int_equal(wk_trap_code_of(t), WK_TRAP_GC_OOM);
    assert_string_equal(wk_trap_message(t), "out of memory");
    wk_trap_free(t);
    t = NULL;
    a[0] = I32(9);
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "mk"), a, 1, &o, 1, &t), WK_OK);
    a[0] = o, a[1] = I32(8);
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "churn_get"), a, 2, &r, 1, &t), WK_OK);
    assert_int_equal(r.of.i32, 9);
    wat_close(&v);
  }
}

/* The AOT cache's check of an entry's GC types (cache.c wk_cache_gc_types_ok, run on every load:
 * the translated code trusts them; CACHE_FORMAT 10): the types of a real GC module (two rec groups,
 * a subtype, an array, a function type with a concrete reference) pass; each single inconsistency a
 * damaged or hostile entry could carry is refused: a field referring past its rec group (a later
 * group, whose store ids are not known yet when wk_gc_alloc_types reads them), out of range, a
 * member whose group bounds differ from its group's, a group not starting where the one before
 * ends, the last group not ending at the last type, a function type whose fields are not its
 * params + results. */
static void test_cache_gc_types_check(void **state) {
  (void)state;
  static const char *src = "(module (rec (type $a (sub (struct (field i32) (field (ref null $b)))))\n"
                           "               (type $b (sub $a (struct (field i32) (field (ref null $b)) (field i64)))))\n"
                           " (type $arr (array (mut (ref null $a))))\n"
                           " (type $f (func (param (ref null $arr)) (result i32)))\n"
                           " (func (type $f) (i32.const 0)))\n";
  wk_buf b = {0};
  wk_error e;
  assert_int_equal(wk_wat_to_binary(src, strlen(src), &b, &e), WK_OK);
  wk_config c;
  wk_config_default(&c);
  wk_engine *en = wk_engine_new(&c);
  wk_module *m;
  assert_int_equal(wk_module_new(en, b.data, b.len, &m, &e), WK_OK);
  wk_buf_free(&b);
  assert_int_equal(m->ntypes, 4);
  assert_non_null(m->gctypes);
  assert_int_equal(wk_cache_gc_types_ok(m), 1);
  wk_gc_deftype *g = m->gctypes, save[4];
  memcpy(save, g, sizeof save);
  wk_vt fvt[2] = {g[3].vts[0], g[3].vts[1]};
  /* $arr's element (ref null $a) made (ref null $f): a later group */
  wk_vt *ev = (wk_vt *)g[2].vts, ev0 = ev[0];
  ev[0] = wk_vt_make(WK_REFNULL, 3);
  assert_int_equal(wk_cache_gc_types_ok(m), 0);
  ev[0] = wk_vt_make(WK_REFNULL, 4000); /* (no such type) */
  assert_int_equal(wk_cache_gc_types_ok(m), 0);
  ev[0] = ev0;
  assert_int_equal(wk_cache_gc_types_ok(m), 1);
  g[1].gn = 3; /* $b claims a group [0, 3) while $a's is [0, 2) */
  assert_int_equal(wk_cache_gc_types_ok(m), 0);
  memcpy(g, save, sizeof save);
  g[3].g0 = 3, g[2].g0 = 1, g[2].gn = 2; /* $arr's group overlaps {$a, $b} */
  assert_int_equal(wk_cache_gc_types_ok(m), 0);
  memcpy(g, save, sizeof save);
  g[3].gn = 2; /* the last group would end past the types (also refused as read) */
  assert_int_equal(wk_cache_gc_types_ok(m), 0);
  memcpy(g, save, sizeof save);
  g[2].gn = 2, g[3].g0 = 2, g[3].gn = 2; /* a group {$arr, $f}: consistent, accepted */
  assert_int_equal(wk_cache_gc_types_ok(m), 1);
  memcpy(g, save, sizeof save);
  g[3].nparams = 0; /* $f's fields no longer its 1 param + 1 result */
  assert_int_equal(wk_cache_gc_types_ok(m), 0);
  memcpy(g, save, sizeof save);
  assert_int_equal(g[3].vts[0], fvt[0]), assert_int_equal(g[3].vts[1], fvt[1]);
  assert_int_equal(wk_cache_gc_types_ok(m), 1);
  wk_module_free(m);
  wk_engine_free(en);
}
/* GC references the host holds (interp.h wk_ref_root): a struct (with a child struct) rooted
 * by the host survives 64 calls that each allocate 16 times the heap limit (4 MiB) and are each a
 * new wk_func_call (which ends the implicit rooting of the previous call's results); it is
 * intact afterwards (fields read by the guest). Unrooted, a struct is collected (no longer an
 * object of the heap; looked up, not dereferenced). Bad handles do nothing. And values the host
 * passes for a (ref $s) parameter are checked (wk_gc_ref_fits): an i31, a wk_func pointer, a
 * freed pointer, a null and a struct of another type give WK_ERR_USAGE (no dereference: run
 * under ASan by the sanitizer build). */
static void test_gc_roots(void **state) {
  (void)state;
  static const char *src =
      "(module (type $s (struct (field i32) (field (ref null $s))))\n"
      " (type $t (struct (field i64)))\n"
      " (type $b (array (mut i8)))\n"
      " (func (export \"mk\") (param i32) (result (ref $s))\n"
      "  (struct.new $s (local.get 0) (struct.new $s (i32.add (local.get 0) (i32.const 100)) (ref.null $s))))\n"
      " (func (export \"mkt\") (result (ref $t)) (struct.new $t (i64.const 1)))\n"
      " (func (export \"wipe\") (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64\n"
      "  i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64))\n"
      " (func (export \"churn\") (param $n i32)\n"
      "  (loop $l (drop (array.new_default $b (i32.const 65536)))\n"
      "   (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br_if $l (local.get $n))))\n"
      " (func (export \"sum\") (param (ref $s)) (result i32)\n"
      "  (i32.add (struct.get $s 0 (local.get 0))\n"
      "   (struct.get $s 0 (ref.as_non_null (struct.get $s 1 (local.get 0)))))))\n";
  wk_config c;
  wk_config_default(&c);
  c.max_memory_bytes = 4 << 20;
  env v;
  wat_open(&v, src, &c);
  wat_inst(&v);
  wk_trap *t = NULL;
  wk_value r, o, o2, a[2];
  a[0] = I32(7);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "mk"), a, 1, &o, 1, &t), WK_OK);
  uint32_t id = 0, id2 = 0, id3 = 0;
  assert_int_equal(wk_ref_root(v.s, &o, &id), WK_OK);
  assert_int_not_equal(id, 0);
  assert_int_equal(wk_ref_root(v.s, &o, &id3), WK_OK); /* a second handle to the same value */
  assert_int_not_equal(id3, id);
  /* not rooted: a $t, of a size no later allocation before the checks below has (the heap reuses
   * a swept object's memory for the next object of its size class) */
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "mkt"), NULL, 0, &o2, 1, &t), WK_OK);
  /* (zeroed locals overwrite the value-stack slots mkt used: the stack is scanned conservatively,
   * a stale copy of o2 there would keep it) */
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "wipe"), NULL, 0, NULL, 0, &t), WK_OK);
  assert_true(wk_gc_is_obj(v.s, (uint64_t)(uintptr_t)o2.of.ref));
  a[0] = I32(1024); /* 64 MiB of 64 KiB arrays: collections, and no small object made meanwhile */
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "churn"), a, 1, NULL, 0, &t), WK_OK);
  assert_false(wk_gc_is_obj(v.s, (uint64_t)(uintptr_t)o2.of.ref)); /* (collected: not dereferenced) */
  /* a dangling pointer (o2, freed; no object has its address yet) for a (ref $s) parameter */
  wk_func *sum = wat_fn(&v, "sum");
  wk_value bad = {.type = WK_ANYREF};
  bad.of.ref = o2.of.ref;
  assert_int_equal(wk_func_call(v.s, sum, &bad, 1, &r, 1, &t), WK_ERR_USAGE);
  for (int k = 0; k < 64; k++) {
    a[0] = I32(1024); /* 64 MiB of garbage per call */
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "churn"), a, 1, NULL, 0, &t), WK_OK);
    a[0] = I32(k);
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "mk"), a, 1, &r, 1, &t), WK_OK);
  }
  assert_true(wk_gc_is_obj(v.s, (uint64_t)(uintptr_t)o.of.ref));
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "sum"), &o, 1, &r, 1, &t), WK_OK);
  assert_int_equal(r.of.i32, 7 + 107);
  /* one of two handles released: still rooted */
  wk_ref_unroot(v.s, id);
  wk_ref_unroot(v.s, id); /* (released already: nothing) */
  wk_ref_unroot(v.s, 0);
  wk_ref_unroot(v.s, 123456);
  a[0] = I32(1024);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "churn"), a, 1, NULL, 0, &t), WK_OK);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "sum"), &o, 1, &r, 1, &t), WK_OK);
  assert_int_equal(r.of.i32, 114);
  /* a released slot is reused with the next generation (interp.h): the new handle differs, and
   * the stale handle id, unrooted again, does not release the new root (o stays alive after the
   * other handle, id3, is released) */
  uint32_t id4 = 0;
  assert_int_equal(wk_ref_root(v.s, &o, &id4), WK_OK);
  assert_int_equal(id4 & 0xffffff, id & 0xffffff);
  assert_int_not_equal(id4, id);
  wk_ref_unroot(v.s, id3);
  wk_ref_unroot(v.s, id); /* (stale: nothing) */
  a[0] = I32(1024);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "wipe"), NULL, 0, NULL, 0, &t), WK_OK);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "churn"), a, 1, NULL, 0, &t), WK_OK);
  assert_true(wk_gc_is_obj(v.s, (uint64_t)(uintptr_t)o.of.ref));
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "sum"), &o, 1, &r, 1, &t), WK_OK);
  assert_int_equal(r.of.i32, 114);
  /* non-object references can be rooted too; a number cannot */
  wk_value i31 = {.type = WK_ANYREF};
  i31.of.ref = (void *)(uintptr_t)((5u << 1) | 1);
  assert_int_equal(wk_ref_root(v.s, &i31, &id2), WK_OK);
  assert_int_equal(id2 & 0xffffff, id3 & 0xffffff); /* (id3's slot, next generation) */
  assert_int_not_equal(id2, id3);
  wk_value n = I32(1);
  assert_int_equal(wk_ref_root(v.s, &n, &id2), WK_ERR_USAGE);
  assert_int_equal(wk_ref_root(v.s, &o, NULL), WK_ERR_USAGE);
  /* host values for a (ref $s) parameter: the wrong ones are usage errors, not crashes */
  bad.of.ref = i31.of.ref;
  assert_int_equal(wk_func_call(v.s, sum, &bad, 1, &r, 1, &t), WK_ERR_USAGE);
  bad.of.ref = sum; /* a wk_func */
  assert_int_equal(wk_func_call(v.s, sum, &bad, 1, &r, 1, &t), WK_ERR_USAGE);
  bad.of.ref = NULL; /* null for a non-null type */
  assert_int_equal(wk_func_call(v.s, sum, &bad, 1, &r, 1, &t), WK_ERR_USAGE);
  wk_value ot;
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "mkt"), NULL, 0, &ot, 1, &t), WK_OK);
  assert_int_equal(wk_func_call(v.s, sum, &ot, 1, &r, 1, &t), WK_ERR_USAGE); /* a struct of $t */
  assert_int_equal(wk_func_call(v.s, sum, &o, 1, &r, 1, &t), WK_OK);
  assert_int_equal(r.of.i32, 114);
  wk_ref_unroot(v.s, id4);
  wk_ref_unroot(v.s, id2);
  wat_close(&v);
}

/* Core 3.0 typed function references through the embedder API: a (ref $ii) result reaches the
 * host as a non-null WK_FUNCREF (the family of a typed reference), goes back in as a (ref null $ii)
 * argument, call_ref of null traps with WK_TRAP_NULL_FUNC_REF; without the feature the module is
 * malformed (2.0). Lazy and eager translation. (Our own WAT parser: wabt 1.0.32 cannot write these.) */
static void test_typed_func_refs(void **state) {
  (void)state;
  static const char *src =
      "(module (type $ii (func (param i32) (result i32)))\n"
      " (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))\n"
      " (elem declare func $inc)\n"
      " (table $t 2 (ref $ii) (ref.func $inc))\n"
      " (func (export \"get\") (result (ref $ii)) (ref.func $inc))\n"
      " (func (export \"tab\") (param i32) (result i32) (call_indirect $t (type $ii) (i32.const 9) (local.get 0)))\n"
      " (func (export \"apply\") (param (ref null $ii) i32) (result i32)\n"
      "  (call_ref $ii (local.get 1) (local.get 0))))\n";
  wk_buf b = {0};
  wk_error e;
  assert_int_equal(wk_wat_to_binary(src, strlen(src), &b, &e), WK_OK);
  for (int eager = 0; eager < 3; eager++) {
    wk_config c;
    wk_config_default(&c);
    if (eager == 2) c.features = 0; /* WebAssembly 2.0: 0x64 is not a value type */
    c.eager_translation = eager == 1;
    wk_engine *en = wk_engine_new(&c);
    wk_module *m = NULL;
    int rc = wk_module_new(en, b.data, b.len, &m, &e);
    if (eager == 2) {
      assert_int_equal(rc, WK_ERR_MALFORMED);
      wk_engine_free(en);
      continue;
    }
    assert_int_equal(rc, WK_OK);
    env v = {.e = en, .m = m};
    v.s = wk_store_new(en);
    v.l = wk_linker_new(v.s);
    wat_inst(&v);
    wk_trap *t = NULL;
    wk_value f, r, a[2];
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "get"), NULL, 0, &f, 1, &t), WK_OK);
    assert_int_equal(f.type, WK_FUNCREF);
    assert_non_null(f.of.ref);
    a[0] = f, a[1] = I32(41);
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "apply"), a, 2, &r, 1, &t), WK_OK);
    assert_int_equal(r.of.i32, 42);
    a[1] = I32(1);
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "tab"), &a[1], 1, &r, 1, &t), WK_OK); /* the table's init */
    assert_int_equal(r.of.i32, 10);
    a[0].of.ref = NULL;
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "apply"), a, 2, &r, 1, &t), WK_ERR_TRAP);
    assert_non_null(t);
    assert_int_equal(wk_trap_code_of(t), WK_TRAP_NULL_FUNC_REF);
    assert_string_equal(wk_trap_message(t), "null function reference");
    wk_trap_free(t);
    wat_close(&v);
  }
  wk_buf_free(&b);
}

static uint64_t ref_fib(uint32_t n) { return n < 2 ? n : ref_fib(n - 1) + ref_fib(n - 2); }

static void test_calls_and_results(void **state) {
  env v;
  setup_cfg(&v,
            "(module\n"
            " (func $fib (export \"fib\") (param i32) (result i64)\n"
            "  (if (result i64) (i32.lt_u (local.get 0) (i32.const 2))\n"
            "   (then (i64.extend_i32_u (local.get 0)))\n"
            "   (else (i64.add (call $fib (i32.sub (local.get 0) (i32.const 1)))\n"
            "                  (call $fib (i32.sub (local.get 0) (i32.const 2)))))))\n"
            " (func (export \"swap\") (param i32 i64) (result i64 i32) (local.get 1) (local.get 0))\n"
            " (func (export \"sum\") (param i32) (result i32) (local i32)\n"
            "  (block (loop (br_if 1 (i32.eqz (local.get 0)))\n"
            "    (local.set 1 (i32.add (local.get 1) (local.get 0)))\n"
            "    (local.set 0 (i32.sub (local.get 0) (i32.const 1))) (br 0)))\n"
            "  (local.get 1)))\n",
            NULL);
  wat_inst(&v);
  wk_trap *t = NULL;
  wk_value r[2];
  for (uint32_t n = 0; n < 22; n += 3) {
    wk_value a = I32((int32_t)n);
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "fib"), &a, 1, r, 1, &t), WK_OK);
    assert_int_equal(r[0].type, WK_I64);
    assert_true((uint64_t)r[0].of.i64 == ref_fib(n));
  }
  wk_value a2[2] = {I32(-7), I64(0x123456789abcdefLL)};
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "swap"), a2, 2, r, 2, &t), WK_OK);
  assert_true(r[0].of.i64 == 0x123456789abcdefLL);
  assert_int_equal(r[1].of.i32, -7);
  wk_value a = I32(1000);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "sum"), &a, 1, r, 1, &t), WK_OK);
  assert_int_equal(r[0].of.i32, 500500);
  /* wrong argument types are a usage error */
  wk_value bad = I64(1);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "sum"), &bad, 1, r, 1, &t), WK_ERR_USAGE);
  wat_close(&v);
}

/* WebAssembly 3.0 tail calls (Core 3.0 4.4.8): 1,000,000 mutual return_calls under a 50-frame
 * call-depth limit and a 64 KiB value stack, so each must reuse its caller's frame; the same
 * module is invalid for an engine without the feature (wk_config.features = 0: 2.0) */
static void test_tail_calls(void **state) {
  static const char *src =
      "(module\n"
      " (global $k i32 (i32.add (i32.const 40) (i32.const 2)))\n"
      " (func $even (export \"even\") (param i32) (result i32)\n"
      "  (if (result i32) (i32.eqz (local.get 0)) (then (global.get $k))\n"
      "   (else (return_call $odd (i32.sub (local.get 0) (i32.const 1))))))\n"
      " (func $odd (param i32) (result i32)\n"
      "  (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 7))\n"
      "   (else (return_call $even (i32.sub (local.get 0) (i32.const 1)))))))\n";
  for (int eager = 0; eager < 2; eager++) {
    wk_config c;
    wk_config_default(&c);
    c.max_call_depth = 50;
    c.max_stack_bytes = 64 << 10;
    c.eager_translation = eager;
    env v;
    setup_cfg(&v, src, &c);
    wat_inst(&v);
    wk_trap *t = NULL;
    wk_value a = I32(1000000), r;
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "even"), &a, 1, &r, 1, &t), WK_OK);
    assert_int_equal(r.of.i32, 42);
    a = I32(999999);
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "even"), &a, 1, &r, 1, &t), WK_OK);
    assert_int_equal(r.of.i32, 7);
    wat_close(&v);
  }
  wk_config c;
  wk_config_default(&c);
  c.features = 0;
  size_t len;
  wk_engine *e = wk_engine_new(&c);
  wk_module *m = NULL;
  wk_error err;
  uint8_t *b = wat(src, &len, NULL); /* (the extended constant fails first) */
  assert_int_equal(wk_module_new(e, b, len, &m, &err), WK_ERR_INVALID);
  free(b);
  b = wat("(module (func $f (result i32) (return_call $f)))", &len, NULL);
  assert_int_equal(wk_module_new(e, b, len, &m, &err), WK_ERR_INVALID);
  assert_non_null(strstr(err.msg, "tail-call"));
  wk_engine_free(e);
  free(b);
}

/* block results assigned to locals (the translator writes the local on every edge), branches
 * with values, and copy-on-write of locals still on the operand stack */
static void test_translation_edges(void **state) {
  env v;
  setup_cfg(&v,
            "(module\n"
            " (func (export \"join\") (param i32) (result i32) (local i32)\n"
            "  (local.set 1 (i32.const 5))\n"
            "  (local.set 1 (block (result i32)\n"
            "    (if (local.get 0) (then (br 1 (i32.add (local.get 1) (i32.const 1)))))\n"
            "    (i32.mul (local.get 1) (i32.const 3))))\n"
            "  (local.get 1))\n"
            " (func (export \"cow\") (param i32) (result i32)\n"
            "  (local.get 0) (local.set 0 (i32.const 100)) (local.get 0) (i32.sub))\n"
            " (func (export \"ifelse\") (param i32 i32) (result i32)\n"
            "  (local.tee 1 (if (result i32) (local.get 0) (then (local.get 1)) (else (i32.const 7))))\n"
            "  (local.get 1) (i32.add))\n"
            " (func (export \"swap\") (param i32 i32) (result i32 i32) (local.get 1) (local.get 0) (return))\n"
            " (func (export \"count_ne\") (param i32 i32) (result i32) (local i32)\n"
            "  (loop (local.set 2 (i32.add (local.get 2) (i32.const 1)))\n"
            "   (br_if 0 (i32.ne (local.get 1) (local.tee 0 (i32.add (local.get 0) (i32.const 3))))))\n"
            "  (local.get 2))\n"
            " (func (export \"count_gtu\") (param i32) (result i32) (local i32)\n"
            "  (loop (local.set 1 (i32.add (local.get 1) (i32.const 1)))\n"
            "   (br_if 0 (i32.gt_u (local.tee 0 (i32.add (local.get 0) (i32.const -1))) (i32.const 5))))\n"
            "  (local.get 1))\n"
            " (func (export \"xrot\") (param i32 i32) (result i32)\n"
            "  (i32.xor (i32.rotr (local.get 0) (i32.const 13)) (i32.xor (local.get 0) (i32.rotl (local.get 1) (i32.const 7)))))\n"
            " (func (export \"idx\") (param i32 i32) (result i32)\n"
            "  (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 2))))\n"
            " (memory 1)\n"
            " (func (export \"madd\") (param f64 f64 f64) (result f64)\n"
            "  (f64.add (local.get 0) (f64.mul (local.get 1) (local.get 2))))\n"
            " (func (export \"madd_st\") (param i32 f64 f64) (result f64)\n"
            "  (f64.store offset=8 (local.get 0)\n"
            "   (f64.add (f64.load offset=8 (local.get 0)) (f64.mul (local.get 1) (local.get 2))))\n"
            "  (f64.load offset=8 (local.get 0))))\n",
            NULL);
  wat_inst(&v);
  wk_trap *t = NULL;
  wk_value r[2], a[2];
  a[0] = I32(1);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "join"), a, 1, r, 1, &t), WK_OK);
  assert_int_equal(r[0].of.i32, 6); /* 5 + 1 */
  a[0] = I32(0);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "join"), a, 1, r, 1, &t), WK_OK);
  assert_int_equal(r[0].of.i32, 15); /* 5 * 3 */
  a[0] = I32(30);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "cow"), a, 1, r, 1, &t), WK_OK);
  assert_int_equal(r[0].of.i32, 30 - 100);
  a[0] = I32(1), a[1] = I32(21);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "ifelse"), a, 2, r, 1, &t), WK_OK);
  assert_int_equal(r[0].of.i32, 42);
  a[0] = I32(0);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "ifelse"), a, 2, r, 1, &t), WK_OK);
  assert_int_equal(r[0].of.i32, 14);
  a[0] = I32(3), a[1] = I32(4);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "swap"), a, 2, r, 2, &t), WK_OK);
  assert_int_equal(r[0].of.i32, 4);
  assert_int_equal(r[1].of.i32, 3);
  /* rotate/shift folded into xor/add, against C */
  static const uint32_t xs[] = {0, 1, 0x80000001u, 0xdeadbeefu, 0x7fffffffu, 0x12345678u};
  for (size_t i = 0; i < sizeof xs / sizeof *xs; i++)
    for (size_t j = 0; j < sizeof xs / sizeof *xs; j++) {
      uint32_t p = xs[i], q = xs[j];
      uint32_t want = ((p >> 13) | (p << 19)) ^ (p ^ ((q << 7) | (q >> 25)));
      a[0] = I32((int32_t)p), a[1] = I32((int32_t)q);
      assert_int_equal(wk_func_call(v.s, wat_fn(&v, "xrot"), a, 2, r, 1, &t), WK_OK);
      assert_int_equal((uint32_t)r[0].of.i32, want);
      assert_int_equal(wk_func_call(v.s, wat_fn(&v, "idx"), a, 2, r, 1, &t), WK_OK);
      assert_int_equal((uint32_t)r[0].of.i32, p + (q << 2));
    }
  /* a + b * c (fused f64 mul/add, and into a store): each operation rounded, never an fma.
   * With b = 1 + 2^-30, c = 1 - 2^-30: b * c rounds to 1, so -1 + b * c is 0 (an fma gives -2^-60) */
  {
    volatile double vb = 1.0 + 0x1p-30, vc = 1.0 - 0x1p-30, va = -1.0;
    volatile double prod = vb * vc;
    double want = va + prod;
    assert_true(want == 0.0);
    wk_value f[3] = {{.type = WK_F64}, {.type = WK_F64}, {.type = WK_F64}};
    double dv[3] = {va, vb, vc};
    for (int k = 0; k < 3; k++) memcpy(&f[k].of.f64, &dv[k], 8);
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "madd"), f, 3, r, 1, &t), WK_OK);
    double got;
    memcpy(&got, &r[0].of.f64, 8);
    assert_true(got == want);
    /* memory starts at 0.0: 0 + b * c, stored then reloaded */
    f[0] = I32(64);
    memcpy(&f[1].of.f64, &dv[1], 8), memcpy(&f[2].of.f64, &dv[2], 8);
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "madd_st"), f, 3, r, 1, &t), WK_OK);
    memcpy(&got, &r[0].of.f64, 8);
    assert_true(got == (double)prod);
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "madd_st"), f, 3, r, 1, &t), WK_OK);
    memcpy(&got, &r[0].of.f64, 8);
    assert_true(got == (double)prod + (double)prod);
    /* the fused store still traps out of bounds (65536 - 8 + offset 8) */
    f[0] = I32(65536 - 8);
    assert_int_not_equal(wk_func_call(v.s, wat_fn(&v, "madd_st"), f, 3, r, 1, &t), WK_OK);
    assert_non_null(t);
    wk_trap_free(t);
    t = NULL;
  }
  /* loop counters (fused add + compare-branch) against the same loops in C */
  for (int32_t start = -7; start <= 7; start++) {
    int32_t n = 30, i = start, iters = 0;
    if ((n - start) % 3 != 0) continue;
    do { iters++; i += 3; } while (n != i);
    a[0] = I32(start), a[1] = I32(n);
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "count_ne"), a, 2, r, 1, &t), WK_OK);
    assert_int_equal(r[0].of.i32, iters);
    uint32_t u = (uint32_t)start + 20;
    iters = 0;
    do { iters++; u -= 1; } while (u > 5);
    a[0] = I32((int32_t)((uint32_t)start + 20));
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "count_gtu"), a, 1, r, 1, &t), WK_OK);
    assert_int_equal(r[0].of.i32, iters);
  }
  wat_close(&v);
}

/* offset of the first instruction named `insn` in function `func` per wasm-objdump -d */
static uint64_t objdump_offset(const char *path, const char *func, const char *insn) {
  char cmd[800], line[512];
  snprintf(cmd, sizeof cmd, "wasm-objdump -d '%s'", path);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  int in_func = 0;
  uint64_t off = 0;
  char hdr[128];
  snprintf(hdr, sizeof hdr, "<%s>:", func);
  while (fgets(line, sizeof line, p)) {
    if (strstr(line, "func[")) in_func = strstr(line, hdr) != NULL;
    else if (in_func && strstr(line, insn) && !off) off = strtoull(line, NULL, 16);
  }
  pclose(p);
  assert_true(off != 0);
  return off;
}

static void test_trap_backtrace(void **state) {
  env v;
  char path[512];
  setup_at(&v,
           "(module\n"
           " (func $inner (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))\n"
           " (func $middle (param i32) (result i32) (i32.add (call $inner (local.get 0)) (i32.const 1)))\n"
           " (func $boom (export \"boom\") unreachable)\n"
           " (func (export \"outer\") (param i32) (result i32) (call $middle (local.get 0))))\n",
           NULL, path);
  wat_inst(&v);
  wk_trap *t = NULL;
  wk_value r, a = I32(0);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "outer"), &a, 1, &r, 1, &t), WK_ERR_TRAP);
  assert_non_null(t);
  assert_int_equal(wk_trap_code_of(t), WK_TRAP_INT_DIV_ZERO);
  assert_string_equal(wk_trap_message(t), "integer divide by zero");
  assert_int_equal(wk_trap_frame_count(t), 3);
  uint32_t fi;
  const char *name;
  uint64_t off;
  wk_trap_frame(t, 0, &fi, &name, &off);
  assert_int_equal(fi, 0);
  assert_string_equal(name, "inner");
  assert_true(off == objdump_offset(path, "inner", "i32.div_s"));
  wk_trap_frame(t, 1, &fi, &name, &off);
  assert_int_equal(fi, 1);
  assert_string_equal(name, "middle");
  assert_true(off == objdump_offset(path, "middle", "call"));
  wk_trap_frame(t, 2, &fi, &name, &off);
  assert_int_equal(fi, 3);
  wk_trap_free(t);
  /* the store stays usable after a trap */
  a = I32(2);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "outer"), &a, 1, &r, 1, &t), WK_OK);
  assert_int_equal(r.of.i32, 1);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "boom"), NULL, 0, NULL, 0, &t), WK_ERR_TRAP);
  assert_int_equal(wk_trap_code_of(t), WK_TRAP_UNREACHABLE);
  wk_trap_frame(t, 0, &fi, &name, &off);
  assert_true(off == objdump_offset(path, "boom", "unreachable"));
  wk_trap_free(t);
  wat_close(&v);
}

/* Chained superinstructions (internal.h WK_TRIPLES): matmul's axpy loop c[i] += a * b[i] runs its
 * two loads and the multiply-add store in one chain; results against C, and a load that faults
 * inside the chain names its own instruction in the backtrace (guard pages and explicit checks) */
static void check_chain_axpy(int guard) {
  wk_config cfg;
  wk_config_default(&cfg);
  cfg.guard_pages = guard;
  env v;
  char path[512];
  setup_at(&v,
           "(module\n"
           " (memory 1)\n"
           " (func (export \"init\") (param $n i32) (local $i i32)\n"
           "  (loop\n"
           "   (f64.store (i32.shl (local.get $i) (i32.const 3)) (f64.convert_i32_s (local.get $i)))\n"
           "   (f64.store offset=8000 (i32.shl (local.get $i) (i32.const 3))\n"
           "    (f64.convert_i32_s (i32.sub (i32.const 7) (local.get $i))))\n"
           "   (br_if 0 (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))\n"
           " (func (export \"get\") (param i32) (result f64) (f64.load (i32.shl (local.get 0) (i32.const 3))))\n"
           " (func $axpy (export \"axpy\") (param $c i32) (param $b i32) (param $a f64) (param $n i32)\n"
           "  (loop\n"
           "   (f64.store (local.get $c)\n"
           "    (f64.add (f64.load (local.get $c)) (f64.mul (local.get $a) (f64.load (local.get $b)))))\n"
           "   (local.set $c (i32.add (local.get $c) (i32.const 8)))\n"
           "   (local.set $b (i32.add (local.get $b) (i32.const 8)))\n"
           "   (br_if 0 (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))\n",
           &cfg, path);
  wat_inst(&v);
  wk_trap *t = NULL;
  wk_value r, a[4] = {I32(100)};
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "init"), a, 1, NULL, 0, &t), WK_OK);
  a[0] = I32(0), a[1] = I32(8000), a[2] = (wk_value){.type = WK_F64}, a[3] = I32(100);
  double k = 0.375;
  memcpy(&a[2].of.f64, &k, 8);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "axpy"), a, 4, NULL, 0, &t), WK_OK);
  for (int i = 0; i < 100; i++) {
    wk_value ix = I32(i);
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "get"), &ix, 1, &r, 1, &t), WK_OK);
    volatile double m = k * (double)(7 - i);
    double want = (double)i + m, got;
    memcpy(&got, &r.of.f64, 8);
    assert_true(got == want);
  }
  /* b runs off the end of memory on the fourth element: the second f64.load traps */
  a[0] = I32(0), a[1] = I32(65536 - 3 * 8), a[3] = I32(10);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "axpy"), a, 4, NULL, 0, &t), WK_ERR_TRAP);
  assert_non_null(t);
  assert_int_equal(wk_trap_code_of(t), WK_TRAP_MEMORY_OOB);
  uint32_t fi;
  const char *name;
  uint64_t off = 0;
  wk_trap_frame(t, 0, &fi, &name, &off);
  assert_string_equal(name, "axpy");
  /* objdump_offset finds the first f64.load; the faulting one is the second: f64.mul's operand */
  char cmd[800], line[512];
  snprintf(cmd, sizeof cmd, "wasm-objdump -d '%s'", path);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  int in_func = 0, nload = 0;
  uint64_t want = 0;
  while (fgets(line, sizeof line, p)) {
    if (strstr(line, "func[")) in_func = strstr(line, "<axpy>:") != NULL;
    else if (in_func && strstr(line, "f64.load") && ++nload == 2) want = strtoull(line, NULL, 16);
  }
  pclose(p);
  assert_true(want != 0);
  assert_true(off == want);
  wk_trap_free(t);
  /* the first three elements were updated before the trap (c[i] = i + k * (7 - i)) */
  for (int i = 0; i < 4; i++) {
    wk_value ix = I32(i);
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "get"), &ix, 1, &r, 1, &t), WK_OK);
    double got, m1 = k * (double)(7 - i), m2 = k * 0.0;
    double want2 = i < 3 ? ((double)i + m1) + m2 : (double)i + m1;
    memcpy(&got, &r.of.f64, 8);
    assert_true(got == want2);
  }
  wat_close(&v);
}
static void test_chained_superinstructions(void **state) {
  check_chain_axpy(1);
  check_chain_axpy(0);
}

/* host functions: wasm -> host -> wasm re-entry, traps from the host, exit */
static int host_double_via_guest(wk_caller *c, void *envp, const wk_value *args, wk_value *res) {
  env *v = envp;
  wk_value a = I32(args[0].of.i32 + 1), r;
  wk_trap *t = NULL;
  if (wk_func_call(wk_caller_store(c), wat_fn(v, "twice"), &a, 1, &r, 1, &t) != WK_OK) {
    wk_trap_free(t);
    return wk_caller_trap(c, "nested call failed");
  }
  size_t len;
  uint8_t *mem = wk_caller_memory(c, &len);
  if (!mem || len < 65536) return wk_caller_trap(c, "no memory");
  res[0] = I32(r.of.i32 + mem[100]);
  return 0;
}
static int host_fail(wk_caller *c, void *envp, const wk_value *args, wk_value *res) {
  return args[0].of.i32 == 42 ? wk_caller_exit(c, 7) : wk_caller_trap(c, "host says no");
}
static void test_host_functions(void **state) {
  env v;
  setup_cfg(&v,
            "(module\n"
            " (import \"host\" \"dbl\" (func $dbl (param i32) (result i32)))\n"
            " (import \"host\" \"fail\" (func $fail (param i32)))\n"
            " (memory 1) (data (i32.const 100) \"\\05\")\n"
            " (func (export \"twice\") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))\n"
            " (func (export \"run\") (param i32) (result i32) (i32.add (call $dbl (local.get 0)) (i32.const 1000)))\n"
            " (func (export \"fail\") (param i32) (call $fail (local.get 0))))\n",
            NULL);
  uint8_t i32t[1] = {WK_I32};
  wk_core_functype ft = {1, 1, i32t, i32t, NULL}, ft2 = {1, 0, i32t, NULL, NULL};
  wk_error err;
  assert_int_equal(wk_linker_define_func(v.l, "host", "dbl", &ft, host_double_via_guest, &v, &err), WK_OK);
  assert_int_equal(wk_linker_define_func(v.l, "host", "fail", &ft2, host_fail, NULL, &err), WK_OK);
  wat_inst(&v);
  wk_trap *t = NULL;
  wk_value r, a = I32(20);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "run"), &a, 1, &r, 1, &t), WK_OK);
  assert_int_equal(r.of.i32, (20 + 1) * 2 + 5 + 1000);
  a = I32(1);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "fail"), &a, 1, NULL, 0, &t), WK_ERR_TRAP);
  assert_int_equal(wk_trap_code_of(t), WK_TRAP_HOST);
  assert_string_equal(wk_trap_message(t), "host says no");
  wk_trap_free(t);
  a = I32(42);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "fail"), &a, 1, NULL, 0, &t), WK_ERR_TRAP);
  assert_int_equal(wk_trap_code_of(t), WK_TRAP_EXIT);
  assert_int_equal(wk_trap_exit_status(t), 7);
  wk_trap_free(t);
  wat_close(&v);
}

/* exception handling (Core 3.0): an exception does not cross a host call: the nested
 * wk_func_call ends with WK_TRAP_EXCEPTION, and what the host makes of it (a trap) is not caught
 * by the outer try_table; a host-made tag (wk_tag_new) imported by identity */
static int host_reenter(wk_caller *c, void *envp, const wk_value *args, wk_value *res) {
  env *v = envp;
  if (args[0].of.i32 == 0) {
    res[0] = I32(5);
    return 0;
  }
  wk_value r;
  wk_trap *t = NULL;
  int rc = wk_func_call(wk_caller_store(c), wat_fn(v, "thrower"), args, 1, &r, 1, &t);
  int code = wk_trap_code_of(t);
  wk_trap_free(t);
  if (rc == WK_ERR_TRAP && code == WK_TRAP_EXCEPTION) return wk_caller_trap(c, "inner call: uncaught exception");
  return wk_caller_trap(c, "inner call did not end with an exception");
}
static void test_exceptions_host_boundary(void **state) {
  const char *src = "(module\n"
                    " (import \"host\" \"reenter\" (func $reenter (param i32) (result i32)))\n"
                    " (import \"host\" \"tag\" (tag $h (param i32)))\n"
                    " (tag $t (export \"t\") (param i32))\n"
                    " (func (export \"thrower\") (param i32) (result i32) (throw $t (local.get 0)))\n"
                    " (func (export \"throw_h\") (param i32) (result i32)\n"
                    "  (block $c (result i32) (try_table (catch $t $c) (throw $h (local.get 0)))\n"
                    "   (unreachable)))\n"
                    " (func (export \"catch_h\") (param i32) (result i32)\n"
                    "  (block $c (result i32) (try_table (catch $h $c) (throw $h (local.get 0)))\n"
                    "   (unreachable)))\n"
                    " (func (export \"run\") (param i32) (result i32)\n"
                    "  (block $all\n"
                    "   (block $c (result i32)\n"
                    "    (try_table (result i32) (catch $t $c) (catch_all $all) (call $reenter (local.get 0)))\n"
                    "    (return))\n"
                    "   (return (i32.add (i32.const 1000))))\n"
                    "  (i32.const -1))\n"
                    /* legacy exception handling: the same boundary for try/catch and delegate */
                    " (func (export \"run_legacy\") (param i32) (result i32)\n"
                    "  (try (result i32) (do (call $reenter (local.get 0)))\n"
                    "   (catch $t (i32.add (i32.const 1000))) (catch_all (i32.const -1))))\n"
                    " (func (export \"thrower_delegate\") (param i32) (result i32)\n"
                    "  (try (result i32) (do (throw $t (local.get 0))) (delegate 0))))\n";
  env v;
  wat_open(&v, src, NULL); /* (the defaults run exception handling) */
  wk_error err;
  uint8_t i32t[1] = {WK_I32};
  wk_core_functype ft = {1, 1, i32t, i32t, NULL}, tt = {1, 0, i32t, NULL, NULL};
  assert_int_equal(wk_linker_define_func(v.l, "host", "reenter", &ft, host_reenter, &v, &err), WK_OK);
  wk_tag *ht = wk_tag_new(v.s, &tt);
  assert_non_null(ht);
  assert_int_equal(wk_tag_type(ht).nparams, 1);
  wk_extern hx = {.kind = WK_EXTERN_TAG, .of.tag = ht};
  assert_int_equal(wk_linker_define(v.l, "host", "tag", hx, &err), WK_OK);
  wat_inst(&v);
  wk_extern tx;
  assert_int_equal(wk_instance_export(v.inst, "t", &tx), WK_OK);
  assert_int_equal(tx.kind, WK_EXTERN_TAG);
  assert_true(tx.of.tag != ht);
  wk_trap *t = NULL;
  wk_value r, a = I32(0);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "run"), &a, 1, &r, 1, &t), WK_OK);
  assert_int_equal(r.of.i32, 5);
  a = I32(7);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "thrower"), &a, 1, &r, 1, &t), WK_ERR_TRAP);
  assert_int_equal(wk_trap_code_of(t), WK_TRAP_EXCEPTION);
  assert_string_equal(wk_trap_message(t), "uncaught exception");
  wk_trap_free(t);
  /* through the host: a trap, caught neither by catch $t nor by catch_all */
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "run"), &a, 1, &r, 1, &t), WK_ERR_TRAP);
  assert_int_equal(wk_trap_code_of(t), WK_TRAP_HOST);
  assert_string_equal(wk_trap_message(t), "inner call: uncaught exception");
  wk_trap_free(t);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "run_legacy"), &a, 1, &r, 1, &t), WK_ERR_TRAP);
  assert_int_equal(wk_trap_code_of(t), WK_TRAP_HOST);
  wk_trap_free(t);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "thrower_delegate"), &a, 1, &r, 1, &t), WK_ERR_TRAP);
  assert_int_equal(wk_trap_code_of(t), WK_TRAP_EXCEPTION);
  wk_trap_free(t);
  a = I32(0);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "run_legacy"), &a, 1, &r, 1, &t), WK_OK);
  assert_int_equal(r.of.i32, 5);
  a = I32(7);
  /* the host tag is not $t (same type, another tag), and is caught by its own import */
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "throw_h"), &a, 1, &r, 1, &t), WK_ERR_TRAP);
  assert_int_equal(wk_trap_code_of(t), WK_TRAP_EXCEPTION);
  wk_trap_free(t);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "catch_h"), &a, 1, &r, 1, &t), WK_OK);
  assert_int_equal(r.of.i32, 7);
  /* a tag import of another type does not link */
  wk_core_functype t64 = {1, 0, (const uint8_t[]){WK_I64}, NULL, NULL};
  hx.of.tag = wk_tag_new(v.s, &t64);
  assert_int_equal(wk_linker_define(v.l, "host", "tag", hx, &err), WK_OK);
  wk_instance *i2;
  assert_int_equal(wk_linker_instantiate(v.l, v.m, &i2, &t, &err), WK_ERR_LINK);
  assert_non_null(strstr(err.msg, "incompatible import type"));
  wat_close(&v);
}

/* legacy exception handling, deep structures (translation stays linear: module.c eh_target
 * memoizes, delegate chains pass outward in O(1)): a delegate under 20000 blocks to the try
 * outside them, 20000 more; 20000 delegates to the innermost of 20000 nested catch-less tries,
 * which pass them on to the outermost try when each closes. Both catch: 1. */
static char *legacy_deep_src(int chain) {
  enum { N = 20000 };
  size_t cap = (size_t)N * 48 + 512, n = 0;
  char *s = malloc(cap);
  assert_non_null(s);
  n += (size_t)sprintf(s + n, "(module (tag $e) (func (export \"f\") (result i32) try (result i32) ");
  for (int i = 0; i < N; i++) n += (size_t)sprintf(s + n, chain ? "try " : "block ");
  n += (size_t)sprintf(s + n, "try throw $e delegate %d ", chain ? 0 : N);
  for (int i = 0; i < N; i++) n += (size_t)sprintf(s + n, chain ? "try nop delegate 0 " : "try delegate %d ", N);
  for (int i = 0; i < N; i++) n += (size_t)sprintf(s + n, "end ");
  sprintf(s + n, "i32.const 0 catch $e i32.const 1 end))");
  return s;
}
static void test_legacy_eh_deep(void **state) {
  for (int chain = 0; chain < 2; chain++)
    for (int eager = 0; eager < 2; eager++) {
      char *src = legacy_deep_src(chain);
      wk_config c;
      wk_config_default(&c);
      c.eager_translation = eager;
      env v;
      wat_open(&v, src, &c); /* (lib/encode's parser: wat2wasm reads no legacy EH) */
      free(src);
      wat_inst(&v);
      wk_trap *t = NULL;
      wk_value r;
      assert_int_equal(wk_func_call(v.s, wat_fn(&v, "f"), NULL, 0, &r, 1, &t), WK_OK);
      assert_int_equal(r.of.i32, 1);
      wat_close(&v);
    }
}

static void test_link_errors(void **state) {
  env v;
  setup_cfg(&v, "(module (import \"m\" \"f\" (func (param i32))) (import \"m\" \"mem\" (memory 2)))", NULL);
  wk_trap *t = NULL;
  wk_error err;
  wk_instance *inst;
  assert_int_equal(wk_linker_instantiate(v.l, v.m, &inst, &t, &err), WK_ERR_LINK);
  assert_non_null(strstr(err.msg, "unknown import"));
  uint8_t i64t[1] = {WK_I64};
  wk_core_functype ft = {1, 0, i64t, NULL, NULL};
  assert_int_equal(wk_linker_define_func(v.l, "m", "f", &ft, host_fail, NULL, &err), WK_OK);
  assert_int_equal(wk_linker_instantiate(v.l, v.m, &inst, &t, &err), WK_ERR_LINK);
  assert_non_null(strstr(err.msg, "incompatible import type"));
  uint8_t i32t[1] = {WK_I32};
  ft.params = i32t;
  assert_int_equal(wk_linker_define_func(v.l, "m", "f", &ft, host_fail, NULL, &err), WK_OK);
  /* memory too small: limits subtyping (min 1 < 2) */
  wk_extern mx = {.kind = WK_EXTERN_MEMORY, .of.memory = wk_memory_new(v.s, 1, 0, 0)};
  assert_int_equal(wk_linker_define(v.l, "m", "mem", mx, &err), WK_OK);
  assert_int_equal(wk_linker_instantiate(v.l, v.m, &inst, &t, &err), WK_ERR_LINK);
  mx.of.memory = wk_memory_new(v.s, 3, 0, 0);
  assert_int_equal(wk_linker_define(v.l, "m", "mem", mx, &err), WK_OK);
  assert_int_equal(wk_linker_instantiate(v.l, v.m, &inst, &t, &err), WK_OK);
  wat_close(&v);
}

static const char *mem_wat =
    "(module (memory (export \"mem\") 1)\n"
    " (func (export \"load\") (param i32) (result i32) (i32.load (local.get 0)))\n"
    " (func (export \"load_far\") (param i32) (result i32) (i32.load offset=4294967295 (local.get 0)))\n"
    " (func (export \"store\") (param i32 i32) (i32.store (local.get 0) (local.get 1)))\n"
    " (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0))))\n";

static void check_memory_mode(int guard) {
  wk_config cfg;
  wk_config_default(&cfg);
  cfg.guard_pages = guard;
  cfg.max_memory_bytes = 4 * 65536;
  env v;
  setup_cfg(&v, mem_wat, &cfg);
  wat_inst(&v);
  wk_trap *t = NULL;
  wk_value r, a[2] = {I32(65532), I32(0x11223344)};
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "store"), a, 2, NULL, 0, &t), WK_OK);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "load"), a, 1, &r, 1, &t), WK_OK);
  assert_int_equal(r.of.i32, 0x11223344);
  static const int32_t bad[] = {65533, 65536, -1, INT32_MIN};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    a[0] = I32(bad[i]);
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "load"), a, 1, &r, 1, &t), WK_ERR_TRAP);
    assert_int_equal(wk_trap_code_of(t), WK_TRAP_MEMORY_OOB);
    assert_string_equal(wk_trap_message(t), "out of bounds memory access");
    assert_int_equal(wk_trap_frame_count(t), 1);
    wk_trap_free(t);
  }
  a[0] = I32(-1);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "load_far"), a, 1, &r, 1, &t), WK_ERR_TRAP);
  assert_int_equal(wk_trap_code_of(t), WK_TRAP_MEMORY_OOB);
  wk_trap_free(t);
  /* grow: old size, new pages accessible and zeroed; beyond max_memory_bytes fails */
  a[0] = I32(2);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "grow"), a, 1, &r, 1, &t), WK_OK);
  assert_int_equal(r.of.i32, 1);
  a[0] = I32(3 * 65536 - 4);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "load"), a, 1, &r, 1, &t), WK_OK);
  assert_int_equal(r.of.i32, 0);
  a[0] = I32(2);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "grow"), a, 1, &r, 1, &t), WK_OK);
  assert_int_equal(r.of.i32, -1);
  wk_extern mx;
  assert_int_equal(wk_instance_export(v.inst, "mem", &mx), WK_OK);
  assert_int_equal(wk_memory_pages(mx.of.memory), 3);
  wat_close(&v);
}
static void test_memory_guard_pages(void **state) { check_memory_mode(1); }
static void test_memory_explicit_checks(void **state) { check_memory_mode(0); }

static const char *spin_wat =
    "(module (func (export \"spin\") (loop (br 0)))\n"
    " (func (export \"spin2\") (param i32) (loop (br_if 0 (i32.lt_u (local.get 0) (i32.const 5)))))\n"
    " (func $rec (export \"rec\") (param i32) (result i32) (i32.add (call $rec (local.get 0)) (i32.const 1)))\n"
    " (func (export \"count\") (param i32) (loop (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))))\n";

static void test_fuel(void **state) {
  wk_config cfg;
  wk_config_default(&cfg);
  cfg.consume_fuel = 1;
  env v;
  setup_cfg(&v, spin_wat, &cfg);
  wat_inst(&v);
  wk_trap *t = NULL;
  wk_store_set_fuel(v.s, 100000);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "spin"), NULL, 0, NULL, 0, &t), WK_ERR_TRAP);
  assert_int_equal(wk_trap_code_of(t), WK_TRAP_OUT_OF_FUEL);
  wk_trap_free(t);
  /* a bounded loop consumes about one unit per instruction: 1000 iterations of ~5 */
  wk_store_set_fuel(v.s, 1000000);
  wk_value a = I32(1000);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "count"), &a, 1, NULL, 0, &t), WK_OK);
  uint64_t used = 1000000 - wk_store_get_fuel(v.s);
  assert_true(used >= 4000 && used <= 8000);
  wat_close(&v);
}

static void *interrupter(void *p) {
  struct timespec ts = {0, 50 * 1000 * 1000};
  nanosleep(&ts, NULL);
  wk_store_interrupt(p);
  return NULL;
}
static void test_interrupt_and_exhaustion(void **state) {
  env v;
  setup_cfg(&v, spin_wat, NULL);
  wat_inst(&v);
  wk_trap *t = NULL;
  pthread_t th;
  assert_int_equal(pthread_create(&th, NULL, interrupter, v.s), 0);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "spin"), NULL, 0, NULL, 0, &t), WK_ERR_TRAP);
  pthread_join(th, NULL);
  assert_int_equal(wk_trap_code_of(t), WK_TRAP_INTERRUPT);
  wk_trap_free(t);
  /* a conditional back-edge polls too */
  wk_value r, a = I32(1);
  assert_int_equal(pthread_create(&th, NULL, interrupter, v.s), 0);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "spin2"), &a, 1, NULL, 0, &t), WK_ERR_TRAP);
  pthread_join(th, NULL);
  assert_int_equal(wk_trap_code_of(t), WK_TRAP_INTERRUPT);
  wk_trap_free(t);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "rec"), &a, 1, &r, 1, &t), WK_ERR_TRAP);
  assert_int_equal(wk_trap_code_of(t), WK_TRAP_STACK_EXHAUSTED);
  assert_string_equal(wk_trap_message(t), "call stack exhausted");
  assert_true(wk_trap_frame_count(t) > 1000);
  wk_trap_free(t);
  /* still usable afterwards */
  a = I32(10);
  assert_int_equal(wk_func_call(v.s, wat_fn(&v, "count"), &a, 1, NULL, 0, &t), WK_OK);
  wat_close(&v);
}

static void test_invalid_and_malformed(void **state) {
  wk_engine *e = wk_engine_new(NULL);
  wk_module *m;
  wk_error err;
  static const uint8_t junk[] = {0, 'a', 's', 'm', 2, 0, 0, 0};
  assert_int_equal(wk_module_new(e, junk, sizeof junk, &m, &err), WK_ERR_MALFORMED);
  /* (func (result i32) i64.const 0): type mismatch */
  static const uint8_t bad[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7f, 3, 2, 1, 0,
                                10, 6, 1, 4, 0, 0x42, 0, 0x0b};
  assert_int_equal(wk_module_new(e, bad, sizeof bad, &m, &err), WK_ERR_INVALID);
  assert_true(err.has_offset);
  /* truncated inside a section (prefixes ending at a section boundary are valid modules) */
  for (size_t cut = 9; cut < sizeof bad; cut++)
    if (cut != 15 && cut != 19) assert_int_not_equal(wk_module_new(e, bad, cut, &m, &err), WK_OK);
  wk_engine_free(e);
}

/* Lazy translation (wk_config.eager_translation 0, the default): every function is validated by
 * wk_module_new, also those never called; a function is translated on its first call, whether it
 * is reached by call, call_indirect, an export, the start function or from another instance; a
 * module shared by stores on two threads translates each function once and both get the same
 * results; traps in a function translated lazily give the same frames as in an eager module. */
static const char *lazy_wat =
    "(module\n"
    " (type $t (func (param i32) (result i32)))\n"
    " (table 3 funcref) (elem (i32.const 0) $dbl $fib $sq)\n"
    " (global $g (mut i32) (i32.const 0))\n"
    " (func $start (global.set $g (i32.const 5)))\n"
    " (start $start)\n"
    " (func $dbl (type $t) (i32.add (local.get 0) (local.get 0)))\n"
    " (func $sq (type $t) (i32.mul (local.get 0) (local.get 0)))\n"
    " (func $fib (type $t)\n"
    "  (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))\n"
    "   (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))\n"
    "                  (call_indirect (type $t) (i32.sub (local.get 0) (i32.const 2)) (i32.const 1))))))\n"
    " (func (export \"via\") (param i32 i32) (result i32)\n"
    "  (call_indirect (type $t) (local.get 1) (local.get 0)))\n"
    " (func (export \"g\") (result i32) (global.get $g))\n"
    " (func $deep (param i32) (result i32) (i32.div_u (i32.const 7) (local.get 0)))\n"
    " (func (export \"div\") (param i32) (result i32) (call $deep (local.get 0))))\n";

typedef struct lazy_job {
  wk_engine *e;
  const wk_module *m;
  int ok;
} lazy_job;
static void *lazy_thread(void *p) {
  lazy_job *j = p;
  j->ok = 0;
  wk_store *s = wk_store_new(j->e);
  wk_linker *l = wk_linker_new(s);
  wk_instance *inst;
  wk_trap *t = NULL;
  wk_error err;
  if (wk_linker_instantiate(l, j->m, &inst, &t, &err) == WK_OK) {
    wk_extern x;
    int good = wk_instance_export(inst, "via", &x) == WK_OK;
    for (int32_t n = 0; good && n < 200; n++) {
      wk_value a[2] = {I32(n % 3), I32(n % 20)}, r;
      int32_t k = n % 20, want = n % 3 == 0 ? 2 * k : n % 3 == 2 ? k * k : (int32_t)ref_fib((uint32_t)k);
      good = wk_func_call(s, x.of.func, a, 2, &r, 1, &t) == WK_OK && r.of.i32 == want;
    }
    j->ok = good;
  }
  wk_linker_free(l);
  wk_store_free(s);
  return NULL;
}
static void test_lazy_translation(void **state) {
  size_t len;
  char path[512];
  uint8_t *bytes = wat(lazy_wat, &len, path);
  for (int eager = 0; eager < 2; eager++) {
    wk_config cfg;
    wk_config_default(&cfg);
    cfg.eager_translation = eager;
    wk_engine *e = wk_engine_new(&cfg);
    wk_module *m;
    wk_error err;
    assert_int_equal(wk_module_new(e, bytes, len, &m, &err), WK_OK);
    /* one module, two threads, a store each: the first calls race to translate */
    pthread_t th[2];
    lazy_job jobs[2] = {{e, m, 0}, {e, m, 0}};
    for (int i = 0; i < 2; i++) assert_int_equal(pthread_create(&th[i], NULL, lazy_thread, &jobs[i]), 0);
    for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
    assert_true(jobs[0].ok && jobs[1].ok);
    /* start function ran (translated on that call); a trap two frames deep in functions first
     * called here has the frames and offsets an eager module gives */
    wk_store *s = wk_store_new(e);
    wk_linker *l = wk_linker_new(s);
    wk_instance *inst;
    wk_trap *t = NULL;
    assert_int_equal(wk_linker_instantiate(l, m, &inst, &t, &err), WK_OK);
    wk_extern x;
    wk_value r, a = I32(0);
    assert_int_equal(wk_instance_export(inst, "g", &x), WK_OK);
    assert_int_equal(wk_func_call(s, x.of.func, NULL, 0, &r, 1, &t), WK_OK);
    assert_int_equal(r.of.i32, 5);
    assert_int_equal(wk_instance_export(inst, "div", &x), WK_OK);
    assert_int_equal(wk_func_call(s, x.of.func, &a, 1, &r, 1, &t), WK_ERR_TRAP);
    assert_int_equal(wk_trap_code_of(t), WK_TRAP_INT_DIV_ZERO);
    assert_int_equal(wk_trap_frame_count(t), 2);
    uint32_t fi;
    const char *name;
    uint64_t off;
    wk_trap_frame(t, 0, &fi, &name, &off);
    assert_string_equal(name, "deep");
    assert_true(off == objdump_offset(path, "deep", "i32.div_u"));
    wk_trap_frame(t, 1, &fi, &name, &off);
    assert_int_equal(fi, 7);
    assert_true(off == objdump_offset(path, "div", "call"));
    wk_trap_free(t);
    wk_linker_free(l);
    wk_store_free(s);
    wk_module_free(m);
    /* validation stays complete: an invalid body that is never called still rejects the module
     * (the last function returns i64 for i32) */
    static const uint8_t bad[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7f, 3, 3, 2, 0, 0,
                                  10, 11, 2, 4, 0, 0x41, 0, 0x0b, 4, 0, 0x42, 0, 0x0b};
    assert_int_equal(wk_module_new(e, bad, sizeof bad, &m, &err), WK_ERR_INVALID);
    assert_true(err.has_offset && err.offset >= 29 && err.offset < sizeof bad); /* in the second body */
    /* decoding precedes validation (Core spec 5 before 3): an invalid first body (a value left on
     * the stack) and a malformed second one give "malformed", lazily too (the decoder's body scan
     * is deferred to the error path, wk_core_scan_bodies): an illegal opcode, then bytes after the
     * function's final end */
    static const uint8_t mixed[2][28] = {
        {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 3, 2, 0, 0, 10, 10, 2, 4, 0, 0x41, 0, 0x0b, 3},
        {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 3, 2, 0, 0, 10, 11, 2, 4, 0, 0x41, 0, 0x0b, 4}};
    static const uint8_t tails[2][4] = {{0, 0xff, 0x0b}, {0, 0x0b, 0x01, 0x0b}};
    for (int k = 0; k < 2; k++) {
      uint8_t mod[40];
      memcpy(mod, mixed[k], 28);
      memcpy(mod + 28, tails[k], 3 + (size_t)k);
      assert_int_equal(wk_module_new(e, mod, 31 + (size_t)k, &m, &err), WK_ERR_MALFORMED);
      /* and the invalid body alone is invalid */
      uint8_t one[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 6, 1, 4, 0, 0x41, 0, 0x0b};
      assert_int_equal(wk_module_new(e, one, sizeof one, &m, &err), WK_ERR_INVALID);
    }
    wk_engine_free(e);
  }
  free(bytes);
}

static int count_cache_files(const char *dir, char *one) {
  char cmd[700], line[180];
  snprintf(cmd, sizeof cmd, "ls '%s' 2>/dev/null", dir);
  FILE *p = popen(cmd, "r");
  int n = 0;
  while (p && fgets(line, sizeof line, p)) {
    line[strcspn(line, "\n")] = 0;
    if (strstr(line, ".wkc")) {
      n++;
      if (one) snprintf(one, 600, "%s/%s", dir, line);
    }
  }
  if (p) pclose(p);
  return n;
}
static int32_t cached_call(wk_engine *e, const uint8_t *bytes, size_t len, int *from_cache) {
  wk_module *m;
  wk_error err;
  assert_int_equal(wk_module_new(e, bytes, len, &m, &err), WK_OK);
  *from_cache = wk_module_from_cache(m);
  wk_store *s = wk_store_new(e);
  wk_store_set_fuel(s, 1000000);
  wk_linker *l = wk_linker_new(s);
  wk_instance *inst;
  wk_trap *t = NULL;
  assert_int_equal(wk_linker_instantiate(l, m, &inst, &t, &err), WK_OK);
  wk_extern x;
  assert_int_equal(wk_instance_export(inst, "f", &x), WK_OK);
  wk_value a = I32(10), r;
  int rc = wk_func_call(s, x.of.func, &a, 1, &r, 1, &t);
  if (rc) fprintf(stderr, "trap: %s (cached %d)\n", wk_trap_message(t), *from_cache);
  assert_int_equal(rc, WK_OK);
  wk_linker_free(l);
  wk_store_free(s);
  wk_module_free(m);
  return r.of.i32;
}
/* WebAssembly 3.0 multi-memory + memory64 through the API (Core 3.0 2.3.10, 3.3.7): rejected
 * without wk_config.features; with them, a host-made i64 memory (wk_memory_new_ex) is imported
 * next to a defined i32 one, accesses at the last byte work and one past traps (both bounds
 * modes), and an i32 memory does not satisfy an i64 import (Core 3.0 3.5.2 memtype matching). */
static void test_memory64_multi(void **state) {
  (void)state;
  size_t len;
  uint8_t *bytes = wat_flags("(module (import \"h\" \"m64\" (memory i64 1 2)) (memory $b 1)\n"
                             " (func (export \"ld\") (param i64) (result i32) (i32.load8_u 0 (local.get 0)))\n"
                             " (func (export \"st-b\") (param i32 i32) (i32.store8 $b (local.get 0) (local.get 1)))\n"
                             " (func (export \"ld-b\") (param i32) (result i32) (i32.load8_u $b (local.get 0)))\n"
                             " (func (export \"grow\") (param i64) (result i64) (memory.grow 0 (local.get 0))))",
                             &len, NULL, "--enable-multi-memory --enable-memory64");
  for (int guard = 0; guard < 2; guard++) {
    wk_config cfg;
    wk_config_default(&cfg);
    cfg.guard_pages = guard;
    cfg.features = 0; /* exactly 2.0 */
    wk_engine *e = wk_engine_new(&cfg);
    wk_module *m = NULL;
    wk_error err;
    int rc = wk_module_new(e, bytes, len, &m, &err);
    assert_true(rc == WK_ERR_MALFORMED || rc == WK_ERR_INVALID); /* 2.0: no i64 memory, one memory */
    wk_engine_free(e);
    cfg.features = WK_INTERP_FEATURES;
    e = wk_engine_new(&cfg);
    rc = wk_module_new(e, bytes, len, &m, &err);
    if (rc) fprintf(stderr, "module: %s\n", err.msg);
    assert_int_equal(rc, WK_OK);
    /* lazy translation with the 3.0 memories too: no body translated before its first call */
    for (uint32_t i = 0; i < m->nfuncs - m->nfunc_imports; i++) assert_int_equal(m->funcs[i].code, 0);
    wk_store *s = wk_store_new(e);
    wk_linker *l = wk_linker_new(s);
    wk_instance *inst = NULL;
    wk_trap *t = NULL;
    /* an i32 memory for the i64 import: incompatible */
    wk_extern x32 = {.kind = WK_EXTERN_MEMORY, .of.memory = wk_memory_new(s, 1, 2, 1)};
    assert_non_null(x32.of.memory);
    assert_int_equal(wk_linker_define(l, "h", "m64", x32, &err), WK_OK);
    assert_int_equal(wk_linker_instantiate(l, m, &inst, &t, &err), WK_ERR_LINK);
    wk_linker_free(l);
    l = wk_linker_new(s);
    assert_null(wk_memory_new_ex(s, 65537, 0, 0, 1)); /* beyond this engine's 4 GiB */
    wk_extern x = {.kind = WK_EXTERN_MEMORY, .of.memory = wk_memory_new_ex(s, 1, 2, 1, 1)};
    assert_non_null(x.of.memory);
    size_t n;
    uint8_t *d = wk_memory_data(x.of.memory, &n);
    assert_int_equal(n, 65536);
    d[65535] = 0x5a;
    assert_int_equal(wk_linker_define(l, "h", "m64", x, &err), WK_OK);
    assert_int_equal(wk_linker_instantiate(l, m, &inst, &t, &err), WK_OK);
    wk_extern f;
    wk_value a[2], r;
    assert_int_equal(wk_instance_export(inst, "ld", &f), WK_OK);
    a[0] = I64(65535);
    assert_int_equal(wk_func_call(s, f.of.func, a, 1, &r, 1, &t), WK_OK);
    assert_int_equal(r.of.i32, 0x5a);
    a[0] = I64(65536);
    assert_int_equal(wk_func_call(s, f.of.func, a, 1, &r, 1, &t), WK_ERR_TRAP);
    assert_int_equal(wk_trap_code_of(t), WK_TRAP_MEMORY_OOB);
    wk_trap_free(t);
    t = NULL;
    a[0] = I64((int64_t)0x8000000000000000ull);
    assert_int_equal(wk_func_call(s, f.of.func, a, 1, &r, 1, &t), WK_ERR_TRAP);
    wk_trap_free(t);
    t = NULL;
    /* the second memory is separate from the imported one */
    assert_int_equal(wk_instance_export(inst, "st-b", &f), WK_OK);
    a[0] = I32(65535), a[1] = I32(7);
    assert_int_equal(wk_func_call(s, f.of.func, a, 2, NULL, 0, &t), WK_OK);
    assert_int_equal(d[65535], 0x5a);
    assert_int_equal(wk_instance_export(inst, "ld-b", &f), WK_OK);
    a[0] = I32(65535);
    assert_int_equal(wk_func_call(s, f.of.func, a, 1, &r, 1, &t), WK_OK);
    assert_int_equal(r.of.i32, 7);
    /* memory.grow of the i64 memory: i64 result, up to its max */
    assert_int_equal(wk_instance_export(inst, "grow", &f), WK_OK);
    a[0] = I64(1);
    assert_int_equal(wk_func_call(s, f.of.func, a, 1, &r, 1, &t), WK_OK);
    assert_int_equal(r.of.i64, 1);
    assert_int_equal(wk_func_call(s, f.of.func, a, 1, &r, 1, &t), WK_OK);
    assert_int_equal(r.of.i64, -1);
    wk_linker_free(l);
    wk_store_free(s);
    wk_module_free(m);
    wk_engine_free(e);
  }
  free(bytes);
}

static void test_aot_cache(void **state) {
  size_t len;
  uint8_t *bytes = wat("(module (memory 1) (data (i32.const 8) \"\07\")\n"
                       " (func $g (param i32) (result i32) (i32.mul (local.get 0) (i32.load (i32.const 8))))\n"
                       " (func (export \"f\") (param i32) (result i32) (i32.add (call $g (local.get 0)) (i32.const 1))))",
                       &len, NULL);
  char dir[400], file[600];
  snprintf(dir, sizeof dir, "%s/cache", tmpdir);
  wk_config cfg;
  wk_config_default(&cfg);
  cfg.cache_dir = dir;
  cfg.cache_min_code_bytes = 1; /* cache even this small module */
  wk_engine *e = wk_engine_new(&cfg);
  int hit;
  assert_int_equal(cached_call(e, bytes, len, &hit), 71);
  assert_int_equal(hit, 0);
  assert_int_equal(count_cache_files(dir, file), 1);
  assert_int_equal(cached_call(e, bytes, len, &hit), 71);
  assert_int_equal(hit, 1);
  /* data segment contents are not part of the key (the entry refers to them by file offset): a module
   * differing only there hits the same entry and runs with its own data (10 * 5 + 1) */
  size_t len5;
  uint8_t *bytes5 = wat("(module (memory 1) (data (i32.const 8) \"\05\")\n"
                        " (func $g (param i32) (result i32) (i32.mul (local.get 0) (i32.load (i32.const 8))))\n"
                        " (func (export \"f\") (param i32) (result i32) (i32.add (call $g (local.get 0)) (i32.const 1))))",
                        &len5, NULL);
  assert_int_equal(len5, len);
  assert_int_equal(cached_call(e, bytes5, len5, &hit), 51);
  assert_int_equal(hit, 1);
  assert_int_equal(count_cache_files(dir, NULL), 1);
  /* corrupt the entry: a miss (never an error), then it is rewritten */
  FILE *f = fopen(file, "r+b");
  assert_non_null(f);
  fseek(f, -3, SEEK_END);
  fputc(0x5a, f);
  fclose(f);
  assert_int_equal(cached_call(e, bytes, len, &hit), 71);
  assert_int_equal(hit, 0);
  assert_int_equal(cached_call(e, bytes, len, &hit), 71);
  assert_int_equal(hit, 1);
  /* truncated entry: a miss */
  assert_int_equal(truncate(file, 40), 0);
  assert_int_equal(cached_call(e, bytes, len, &hit), 71);
  assert_int_equal(hit, 0);
  wk_engine_free(e);
  /* a setting that changes the code (fuel) uses another key */
  cfg.consume_fuel = 1;
  e = wk_engine_new(&cfg);
  assert_int_equal(cached_call(e, bytes, len, &hit), 71);
  assert_int_equal(hit, 0);
  assert_int_equal(count_cache_files(dir, NULL), 2);
  wk_engine_free(e);
  /* so do the WebAssembly 3.0 features (the same bytes translate differently with them) */
  cfg.consume_fuel = 0;
  cfg.features = WK_FEAT_MULTI_MEMORY | WK_FEAT_MEMORY64;
  e = wk_engine_new(&cfg);
  assert_int_equal(cached_call(e, bytes, len, &hit), 71);
  assert_int_equal(hit, 0);
  assert_int_equal(cached_call(e, bytes, len, &hit), 71);
  assert_int_equal(hit, 1);
  assert_int_equal(count_cache_files(dir, NULL), 3);
  wk_engine_free(e);
  cfg.features = WK_INTERP_FEATURES;
  /* by default a module this small skips the cache: no entry written, never a hit */
  cfg.consume_fuel = 0;
  cfg.cache_min_code_bytes = 0;
  e = wk_engine_new(&cfg);
  assert_int_equal(cached_call(e, bytes5, len5, &hit), 51);
  assert_int_equal(hit, 0);
  assert_int_equal(count_cache_files(dir, NULL), 3);
  wk_engine_free(e);
  free(bytes5);
  free(bytes);
}

/* Regressions found by tests/fuzz/fuzz_engine. */
static void call_trap(env *v, const char *name, int code) {
  wk_trap *t = NULL;
  assert_int_equal(wk_func_call(v->s, wat_fn(v, name), NULL, 0, NULL, 0, &t), WK_ERR_TRAP);
  assert_non_null(t);
  assert_int_equal(wk_trap_code_of(t), code);
  wk_trap_free(t);
}
static void test_fuzz_regressions(void **state) {
  /* A call in unreachable code with more parameters than operands on the stack: the
   * stack is polymorphic there (Core spec 3.3.5); translation once wrote past its operand
   * array. The module is valid and must trap "unreachable". */
  char src[1024];
  char params[400] = "";
  for (int i = 0; i < 60; i++) strcat(params, " i32");
  snprintf(src, sizeof src,
           "(module (func $f (param%s))\n"
           " (func (export \"one\") unreachable call $f)\n"
           " (func (export \"many\") (i32.const 1) (i32.const 2) unreachable call $f))\n",
           params);
  env v;
  setup_cfg(&v, src, NULL);
  wat_inst(&v);
  call_trap(&v, "one", WK_TRAP_UNREACHABLE);
  call_trap(&v, "many", WK_TRAP_UNREACHABLE);
  wat_close(&v);
  /* Zero-length bulk memory operations on a 0-page memory are no-ops in both memory
   * modes (the explicit-check mode has no mapping at all then). */
  for (int guard = 0; guard <= 1; guard++) {
    wk_config cfg;
    wk_config_default(&cfg);
    cfg.guard_pages = guard;
    setup_cfg(&v,
              "(module (memory 0) (table 0 funcref)\n"
              " (func (export \"fill\") (memory.fill (i32.const 0) (i32.const 0) (i32.const 0)))\n"
              " (func (export \"copy\") (memory.copy (i32.const 0) (i32.const 0) (i32.const 0)))\n"
              " (func (export \"tcopy\") (table.copy (i32.const 0) (i32.const 0) (i32.const 0)))\n"
              " (func (export \"oob\") (memory.fill (i32.const 1) (i32.const 0) (i32.const 0))))\n",
              &cfg);
    wat_inst(&v);
    wk_trap *t = NULL;
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "fill"), NULL, 0, NULL, 0, &t), WK_OK);
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "copy"), NULL, 0, NULL, 0, &t), WK_OK);
    assert_int_equal(wk_func_call(v.s, wat_fn(&v, "tcopy"), NULL, 0, NULL, 0, &t), WK_OK);
    call_trap(&v, "oob", WK_TRAP_MEMORY_OOB);
    wat_close(&v);
  }
}

/* One table (issue 12 item 1): every WebAssembly 2.0 instruction that lib/encode types from its SIG
 * column has, in its WK_OPCODES row, the internal instruction the translator emits for it (the IOP
 * column), except the constants and nop, which become operand-stack entries (no code); every SIMD
 * row names its own WK_SIMD handler. A row added without its IOP would fail here. */
static void test_opcode_table_iop_column(void **state) {
  (void)state;
  static const struct {
    const char *name;
    unsigned op, iop;
    const char *sig;
  } rows[] = {
#define WK_X(name, op, imm, text, sig, aux, iop) {#name, op, IOP_##iop, sig},
      WK_OPCODES(WK_X)
#undef WK_X
  };
  unsigned simple = 0;
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    if (!rows[i].sig || rows[i].op == WK_OP_RETURN_CALL || rows[i].op == WK_OP_RETURN_CALL_INDIRECT) continue;
    simple++;
    int own = rows[i].op == WK_OP_NOP || rows[i].op == WK_OP_I32_CONST || rows[i].op == WK_OP_I64_CONST ||
              rows[i].op == WK_OP_F32_CONST || rows[i].op == WK_OP_F64_CONST || rows[i].op == WK_OP_V128_CONST;
    if (own) {
      assert_int_equal(rows[i].iop, IOP_NA);
      continue;
    }
    if (rows[i].iop >= IOP__COUNT) fail_msg("%s: no internal instruction in its WK_OPCODES row", rows[i].name);
    if ((rows[i].op >> 8) == 0xfd || (rows[i].op >> 8) == 0xfe) /* (0xFE: relaxed SIMD, opcodes.h) */
      assert_string_equal(wk_iop_names[rows[i].iop], rows[i].name);
  }
  assert_true(simple > 400); /* (the numeric, memory and SIMD instructions) */
}

int main(void) {
  if (!mkdtemp(tmpdir)) return 1;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_calls_and_results),  cmocka_unit_test(test_trap_backtrace),
      cmocka_unit_test(test_host_functions),     cmocka_unit_test(test_link_errors),
      cmocka_unit_test(test_exceptions_host_boundary),
      cmocka_unit_test(test_legacy_eh_deep),
      cmocka_unit_test(test_memory_guard_pages), cmocka_unit_test(test_memory_explicit_checks),
      cmocka_unit_test(test_fuel),               cmocka_unit_test(test_interrupt_and_exhaustion),
      cmocka_unit_test(test_invalid_and_malformed), cmocka_unit_test(test_aot_cache),
      cmocka_unit_test(test_memory64_multi),
      cmocka_unit_test(test_translation_edges),  cmocka_unit_test(test_lazy_translation),
      cmocka_unit_test(test_fuzz_regressions),  cmocka_unit_test(test_opcode_table_iop_column),
      cmocka_unit_test(test_tail_calls), cmocka_unit_test(test_typed_func_refs), cmocka_unit_test(test_gc_host_boundary), cmocka_unit_test(test_gc_roots), cmocka_unit_test(test_cache_gc_types_check),         cmocka_unit_test(test_chained_superinstructions),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  if (system(cmd) != 0) rc = rc ? rc : 1;
  return rc;
}
