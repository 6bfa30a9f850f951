/* Unit tests for lib/encode components: decode/encode round trips (with
 * non-minimal LEB128s), malformed input, validation rules from the Explainer
 * and Binary.md, extern-name classification, WIT output. The binaries are
 * written by hand from Binary.md's grammar (comments give the productions). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "encode/encode.h"
#include "encode/ctypes.h"
#include "encode/wat.h"
#include "witparse/witdecode.h"

#define HDR 0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00

/* type section: (type (func (param "x" u32) (result string))) */
#define TYPE_FUNC_U32_STRING 0x07, 0x08, 0x01, 0x40, 0x01, 0x01, 'x', 0x79, 0x00, 0x73
/* import section: (import "f" (func (type 0))) */
#define IMPORT_F_FUNC0 0x0a, 0x06, 0x01, 0x00, 0x01, 'f', 0x01, 0x00

static int decode(const uint8_t *d, size_t n, wk_component **c, wk_error *e) {
  wk_error_clear(e);
  return wk_component_decode(d, n, c, e);
}

static void roundtrip(const uint8_t *d, size_t n) {
  wk_component *c;
  wk_error e;
  assert_int_equal(decode(d, n, &c, &e), WK_OK);
  wk_buf b = {0};
  assert_int_equal(wk_component_encode(c, &b, &e), WK_OK);
  assert_int_equal(b.len, n);
  assert_memory_equal(b.data, d, n);
  wk_buf_free(&b);
  wk_component_free(c);
}

static int validate(const uint8_t *d, size_t n, wk_error *e) {
  wk_component *c;
  int rc = decode(d, n, &c, e);
  if (rc) return rc;
  rc = wk_component_validate(c, e);
  wk_component_free(c);
  return rc;
}

static void test_empty_component(void **state) {
  static const uint8_t d[] = {HDR};
  roundtrip(d, sizeof d);
  wk_error e;
  assert_int_equal(validate(d, sizeof d, &e), WK_OK);
}

static void test_func_import_roundtrip(void **state) {
  static const uint8_t d[] = {HDR, TYPE_FUNC_U32_STRING, IMPORT_F_FUNC0};
  roundtrip(d, sizeof d);
  wk_component *c;
  wk_error e;
  assert_int_equal(decode(d, sizeof d, &c, &e), WK_OK);
  assert_int_equal(c->nsections, 2);
  assert_int_equal(c->sections[0].id, WK_CSEC_TYPE);
  const wk_ctype *t = &c->sections[0].u.types[0];
  assert_int_equal(t->code, 0x40);
  assert_int_equal(t->n, 1);
  assert_int_equal(t->fields[0].type.prim, 0x79);
  assert_int_equal(t->a.prim, 0x73);
  const wk_cimport *im = &c->sections[1].u.imports[0];
  assert_int_equal(im->name.name.len, 1);
  assert_int_equal(im->ext.kind, 1);
  assert_int_equal(wk_component_validate(c, &e), WK_OK);
  wk_component_free(c);
}

/* Non-minimal LEB128s (a 5-byte section size, a 2-byte name length) survive. */
static void test_padded_lebs(void **state) {
  static const uint8_t d[] = {HDR, 0x07, 0x88, 0x80, 0x80, 0x80, 0x00, 0x01, 0x40, 0x01, 0x01, 'x', 0x79, 0x00, 0x73,
                              0x0a, 0x07, 0x01, 0x00, 0x81, 0x00, 'f', 0x01, 0x00};
  roundtrip(d, sizeof d);
}

static void test_malformed(void **state) {
  wk_component *c;
  wk_error e;
  static const uint8_t good[] = {HDR, TYPE_FUNC_U32_STRING, IMPORT_F_FUNC0};
  /* every truncation is an error, never a crash */
  for (size_t n = 0; n < sizeof good; n++) {
    int rc = decode(good, n, &c, &e);
    if (n == 8 || n == 18) { /* section boundaries: a shorter valid component */
      assert_int_equal(rc, WK_OK);
      wk_component_free(c);
    } else {
      assert_int_equal(rc, WK_ERR_MALFORMED);
      assert_null(c);
      assert_true(e.has_offset);
    }
  }
  /* a core module is not a component */
  static const uint8_t mod[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  assert_int_equal(decode(mod, sizeof mod, &c, &e), WK_ERR_MALFORMED);
  /* trailing byte inside a section */
  static const uint8_t trail[] = {HDR, 0x07, 0x09, 0x01, 0x40, 0x01, 0x01, 'x', 0x79, 0x00, 0x73, 0x00};
  assert_int_equal(decode(trail, sizeof trail, &c, &e), WK_ERR_MALFORMED);
  assert_non_null(strstr(e.msg, "end of the section"));
  /* unknown section id */
  static const uint8_t badid[] = {HDR, 0x0d, 0x00};
  assert_int_equal(decode(badid, sizeof badid, &c, &e), WK_ERR_MALFORMED);
  /* Binary.md: resultlist is 0x00 valtype | 0x01 0x00 */
  static const uint8_t badres[] = {HDR, 0x07, 0x05, 0x01, 0x40, 0x00, 0x02, 0x00};
  assert_int_equal(decode(badres, sizeof badres, &c, &e), WK_ERR_MALFORMED);
  /* a huge vector count does not allocate: it is bounded by the input */
  static const uint8_t huge[] = {HDR, 0x07, 0x05, 0xff, 0xff, 0xff, 0xff, 0x0f};
  assert_int_equal(decode(huge, sizeof huge, &c, &e), WK_ERR_MALFORMED);
}

/* A valtype's type index is an s33 LEB (Binary.md valtype, Core 5.2.2): a padded one survives a
 * round trip; a malformed one is an error at the byte that breaks it (the end of the input, the
 * 5th byte's continuation bit, bits past the 33rd that are not the sign). Type section:
 * (type (list <valtype>)). */
static void test_s33_valtype(void **state) {
  (void)state;
  static const uint8_t pad[] = {HDR, 0x07, 0x04, 0x01, 0x70, 0x80, 0x00};
  roundtrip(pad, sizeof pad);
  static const uint8_t pad5[] = {HDR, 0x07, 0x07, 0x01, 0x70, 0x80, 0x80, 0x80, 0x80, 0x00};
  roundtrip(pad5, sizeof pad5);
  static const struct {
    uint8_t d[20];
    size_t n;
    uint64_t off;
    const char *msg;
  } bad[] = {
      {{HDR, 0x07, 0x08, 0x01, 0x70, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 18, 16,
       "invalid var_s33: integer representation too long"},
      {{HDR, 0x07, 0x07, 0x01, 0x70, 0x80, 0x80, 0x80, 0x80, 0x10}, 17, 16, "invalid var_s33: integer too large"},
      {{HDR, 0x07, 0x07, 0x01, 0x70, 0xff, 0xff, 0xff, 0xff, 0x4f}, 17, 16, "invalid var_s33: integer too large"},
      {{HDR, 0x07, 0x04, 0x01, 0x70, 0x80, 0x80}, 14, 14, "unexpected end of input"},
      {{HDR, 0x07, 0x02, 0x01, 0x70}, 12, 12, "unexpected end of input"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    wk_component *c;
    wk_error e;
    assert_int_equal(decode(bad[i].d, bad[i].n, &c, &e), WK_ERR_MALFORMED);
    assert_null(c);
    assert_true(e.has_offset);
    assert_int_equal(e.offset, bad[i].off);
    assert_string_equal(e.msg, bad[i].msg);
  }
}

static int validate_ex(const uint8_t *d, size_t n, unsigned flags, wk_error *e) {
  wk_component *c;
  int rc = decode(d, n, &c, e);
  if (rc) return rc;
  rc = wk_component_validate_ex(c, flags, e);
  wk_component_free(c);
  return rc;
}

/* Binary.md defvaltype 0x63 (map k v, cm-map) and 0x67 (list t len,
 * cm-fixed-length-lists): rejected without their feature flag; with it, the
 * key must be a keytype (Explainer.md), len > 0, and elem_size(t, i64) < 2^28
 * (CanonicalABI.md "Element Size"). */
static void test_map_fixed_list(void **state) {
  (void)state;
  wk_error e;
  const unsigned F = WK_CVALIDATE_CM_MAP | WK_CVALIDATE_CM_FIXED_LISTS;
  static const uint8_t map_ok[] = {HDR, 0x07, 0x04, 0x01, 0x63, 0x73, 0x79};      /* (map string u32) */
  static const uint8_t map_f32[] = {HDR, 0x07, 0x04, 0x01, 0x63, 0x76, 0x79};     /* (map f32 u32) */
  static const uint8_t fl_ok[] = {HDR, 0x07, 0x04, 0x01, 0x67, 0x7d, 0x04};       /* (list u8 4) */
  static const uint8_t fl_zero[] = {HDR, 0x07, 0x04, 0x01, 0x67, 0x7d, 0x00};     /* (list u8 0) */
  static const uint8_t fl_big[] = {HDR, 0x07, 0x07, 0x01, 0x67, 0x77, 0x80, 0x80, 0x80, 0x10}; /* (list u64 2^25) */
  static const uint8_t fl_max[] = {HDR, 0x07, 0x07, 0x01, 0x67, 0x7d, 0xff, 0xff, 0xff, 0x7f}; /* (list u8 2^28-1) */
  assert_int_equal(validate(map_ok, sizeof map_ok, &e), WK_ERR_INVALID);
  assert_non_null(strstr(e.msg, "cm-map"));
  assert_int_equal(validate(fl_ok, sizeof fl_ok, &e), WK_ERR_INVALID);
  assert_non_null(strstr(e.msg, "cm-fixed-length-lists"));
  assert_int_equal(validate_ex(map_ok, sizeof map_ok, F, &e), WK_OK);
  assert_int_equal(validate_ex(map_f32, sizeof map_f32, F, &e), WK_ERR_INVALID);
  assert_non_null(strstr(e.msg, "map key"));
  assert_int_equal(validate_ex(fl_ok, sizeof fl_ok, F, &e), WK_OK);
  assert_int_equal(validate_ex(fl_zero, sizeof fl_zero, F, &e), WK_ERR_INVALID);
  assert_non_null(strstr(e.msg, "more than zero"));
  assert_int_equal(validate_ex(fl_big, sizeof fl_big, F, &e), WK_ERR_INVALID); /* 8 * 2^25 = 2^28 bytes */
  assert_non_null(strstr(e.msg, "exceeds maximum byte size"));
  assert_int_equal(validate_ex(fl_max, sizeof fl_max, F, &e), WK_OK);
  roundtrip(map_ok, sizeof map_ok);
  roundtrip(fl_max, sizeof fl_max);
}

/* ctdiff (Explainer.md "Subtyping": value types match when equal): the
 * length of a fixed list and a map's key and value types are compared, with
 * the difference named. */
typedef struct ctv {
  wk_buf bin; /* the binary: the decoded component borrows it */
  wk_component *c;
  wk_ctypes *g;
} ctv;

static void ctv_of(const char *wat, ctv *o) {
  wk_error e;
  wk_error_clear(&e);
  memset(o, 0, sizeof *o);
  assert_int_equal(wk_wat_to_binary(wat, strlen(wat), &o->bin, &e), WK_OK);
  assert_int_equal(decode(o->bin.data, o->bin.len, &o->c, &e), WK_OK);
  assert_int_equal(wk_ctypes_build_ex(o->c, WK_CVALIDATE_CM_MAP | WK_CVALIDATE_CM_FIXED_LISTS, &o->g, &e), WK_OK);
}

static void ctv_free(ctv *o) {
  wk_ctypes_free(o->g);
  wk_component_free(o->c);
  wk_buf_free(&o->bin);
}

/* Is the one import of component text `a` usable where that of `b` is expected? */
static int import_sub(const char *a, const char *b, char *why, size_t wl) {
  ctv x, y;
  ctv_of(a, &x);
  ctv_of(b, &y);
  const wk_ctnode *ra = &x.g->t[x.g->root], *rb = &y.g->t[y.g->root];
  assert_true(ra->nim == 1 && rb->nim == 1);
  int r = wk_ctypes_subtype(x.g, 1, ra->im[0].id, y.g, rb->im[0].id, why, wl);
  ctv_free(&x);
  ctv_free(&y);
  return r;
}

static void test_ctdiff_map_fixed(void **state) {
  (void)state;
  static const char *fl3 = "(component (import \"f\" (func (param \"x\" (list u32 3)))))";
  static const char *fl4 = "(component (import \"f\" (func (param \"x\" (list u32 4)))))";
  static const char *m1 = "(component (import \"f\" (func (param \"x\" (map string u32)))))";
  static const char *m2 = "(component (import \"f\" (func (param \"x\" (map string u64)))))";
  char why[256];
  assert_int_equal(import_sub(fl3, fl3, why, sizeof why), 1);
  assert_int_equal(import_sub(fl3, fl4, why, sizeof why), 0);
  assert_non_null(strstr(why, "expected a list of 4 elements, found 3"));
  assert_int_equal(import_sub(m1, m1, why, sizeof why), 1);
  assert_int_equal(import_sub(m1, m2, why, sizeof why), 0);
  assert_non_null(strstr(why, "map value: expected u64, found u32"));
}

static void test_invalid(void **state) {
  wk_error e;
  /* type index out of bounds */
  static const uint8_t oob[] = {HDR, 0x0a, 0x06, 0x01, 0x00, 0x01, 'f', 0x01, 0x05};
  assert_int_equal(validate(oob, sizeof oob, &e), WK_ERR_INVALID);
  assert_non_null(strstr(e.msg, "out of bounds"));
  assert_int_equal(e.offset, 11); /* the import definition */
  /* names must be kebab-case */
  static const uint8_t snake[] = {HDR, TYPE_FUNC_U32_STRING, 0x0a, 0x08, 0x01, 0x00, 0x03, 'f', '_', 'g', 0x01, 0x00};
  assert_int_equal(validate(snake, sizeof snake, &e), WK_ERR_INVALID);
  assert_non_null(strstr(e.msg, "kebab"));
  /* "f" and "F" are not strongly-unique (Explainer "Name Uniqueness") */
  static const uint8_t dup[] = {HDR, TYPE_FUNC_U32_STRING, 0x0a, 0x0b, 0x02, 0x00, 0x01, 'f', 0x01, 0x00,
                                0x00, 0x01, 'F', 0x01, 0x00};
  assert_int_equal(validate(dup, sizeof dup, &e), WK_ERR_INVALID);
  assert_non_null(strstr(e.msg, "conflicts"));
  /* [method] needs a resource of that name */
  static const uint8_t meth[] = {HDR, TYPE_FUNC_U32_STRING, 0x0a, 0x0f, 0x01, 0x00, 0x0a, '[', 'm', 'e', 't', 'h',
                                 'o', 'd', ']', 'r', '.', 0x01, 0x00};
  assert_int_equal(validate(meth, sizeof meth, &e), WK_ERR_INVALID);
  /* canon lower of a function taking a string needs (memory ...) */
  static const uint8_t lower[] = {HDR, 0x07, 0x08, 0x01, 0x40, 0x01, 0x01, 'x', 0x73, 0x01, 0x00,
                                  IMPORT_F_FUNC0, 0x08, 0x05, 0x01, 0x01, 0x00, 0x00, 0x00};
  assert_int_equal(validate(lower, sizeof lower, &e), WK_ERR_INVALID);
  assert_non_null(strstr(e.msg, "memory"));
  /* resource.new on an imported resource: not a local resource */
  static const uint8_t rnew[] = {HDR, 0x0a, 0x06, 0x01, 0x00, 0x01, 'r', 0x03, 0x01, 0x08, 0x03, 0x01, 0x02, 0x00};
  assert_int_equal(validate(rnew, sizeof rnew, &e), WK_ERR_INVALID);
  /* ... but resource.drop is fine */
  static const uint8_t rdrop[] = {HDR, 0x0a, 0x06, 0x01, 0x00, 0x01, 'r', 0x03, 0x01, 0x08, 0x03, 0x01, 0x03, 0x00};
  assert_int_equal(validate(rdrop, sizeof rdrop, &e), WK_OK);
  /* a locally defined resource with resource.new */
  static const uint8_t res[] = {HDR, 0x07, 0x04, 0x01, 0x3f, 0x7f, 0x00, 0x08, 0x03, 0x01, 0x02, 0x00};
  assert_int_equal(validate(res, sizeof res, &e), WK_OK);
  roundtrip(res, sizeof res);
}

/* Nested core modules are validated with every core feature the standalone validator has
 * (multi-memory, tail calls, ...), not as WebAssembly 2.0; an invalid one is still rejected,
 * at its offset inside the component. */
static int validate_wat(const char *wat, wk_error *e) {
  wk_buf b = {0};
  wk_error_clear(e);
  assert_int_equal(wk_wat_to_binary(wat, strlen(wat), &b, e), WK_OK);
  int rc = validate(b.data, b.len, e);
  wk_buf_free(&b);
  return rc;
}

static void test_nested_core_features(void **state) {
  (void)state;
  wk_error e;
  assert_int_equal(validate_wat("(component (core module (memory 1) (memory 1)"
                                " (func $g (result i32) i32.const 1) (func (result i32) return_call $g)))", &e),
                   WK_OK);
  assert_int_equal(validate_wat("(component (core module (memory 1) (memory 1)"
                                " (func $g (result i64) i64.const 1) (func (result i32) return_call $g)))", &e),
                   WK_ERR_INVALID);
  assert_true(e.has_offset && e.offset > 8);
  /* WK_CVALIDATE_CORE_WASM2 (winspect -f wasm2): nested modules as 2.0, so two memories are invalid */
  wk_buf b = {0};
  const char *two = "(component (core module (memory 1) (memory 1)))";
  assert_int_equal(wk_wat_to_binary(two, strlen(two), &b, &e), WK_OK);
  wk_component *c;
  assert_int_equal(decode(b.data, b.len, &c, &e), WK_OK);
  assert_int_equal(wk_component_validate_ex(c, 0, &e), WK_OK);
  assert_int_equal(wk_component_validate_ex(c, WK_CVALIDATE_CORE_WASM2, &e), WK_ERR_INVALID);
  assert_non_null(strstr(e.msg, "multiple memories"));
  wk_component_free(c);
  wk_buf_free(&b);
}

/* A nested core module the core decoder refuses makes the component invalid (it was let through: a
 * module of garbage code validated inside a component while winspect rejected it alone); the error
 * is the core decoder's, at its offset in the component file. A GC module is fine by default and
 * malformed for -f wasm2. */
static void test_nested_core_malformed(void **state) {
  (void)state;
  wk_error e;
  static const uint8_t comp[] = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, /* component */
                                 0x01, 0x19,                                     /* core module section, 25 bytes */
                                 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00,
                                 0x00, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x05, 0x01, 0x03, 0x00, 0xff, 0x0b}; /* body: 0xff */
  assert_int_equal(validate(comp, sizeof comp, &e), WK_ERR_INVALID);
  assert_non_null(strstr(e.msg, "illegal opcode ff"));
  assert_true(e.has_offset);
  assert_int_equal(e.offset, 10 + 0x17); /* the module starts at 10, the 0xff is its byte 0x17 */
  const char *gc = "(component (core module (type (struct (field i32)))))";
  wk_buf b = {0};
  assert_int_equal(wk_wat_to_binary(gc, strlen(gc), &b, &e), WK_OK);
  wk_component *c;
  assert_int_equal(decode(b.data, b.len, &c, &e), WK_OK);
  assert_int_equal(wk_component_validate_ex(c, 0, &e), WK_OK);
  assert_int_equal(wk_component_validate_ex(c, WK_CVALIDATE_CORE_WASM2, &e), WK_ERR_INVALID);
  wk_component_free(c);
  wk_buf_free(&b);
}

static void test_names(void **state) {
  /* Explainer.md: valid labels */
  static const char *ok[] = {"a", "a-b-c", "a1-2-3", "A", "A-B-C", "A1-2-3", "a11-w0rds", "A11-4CR0NYMS",
                             "m1x3d-4CR0NYMS", "get-JSON"};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
    assert_int_equal(wk_cname_classify(ok[i], strlen(ok[i])), WK_CNAME_PLAIN);
  static const char *bad[] = {"1-2-3", "", "a_b", "a--b", "-a", "a-", "aB", "a b"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(wk_cname_classify(bad[i], strlen(bad[i])), WK_CNAME_INVALID);
  assert_int_equal(wk_cname_classify("wasi:http/types@0.2.0", 21), WK_CNAME_INTERFACE);
  assert_int_equal(wk_cname_classify("wasi:http/types", 15), WK_CNAME_INTERFACE);
  /* Explainer.md canonversion (🔗): 1, 0.2, 0.0.3, 0.0.0 -- but not 0.0, 01, 0.02, 1.2 */
  static const char *canon_ok[] = {"wasi:http/types@0.2", "wasi:http/types@1", "wasi:http/types@10",
                                   "wasi:http/types@0.0.3", "wasi:http/types@0.0.0"};
  for (size_t i = 0; i < sizeof canon_ok / sizeof canon_ok[0]; i++)
    assert_int_equal(wk_cname_classify(canon_ok[i], strlen(canon_ok[i])), WK_CNAME_INTERFACE);
  static const char *canon_bad[] = {"wasi:http/types@0.0", "wasi:http/types@01", "wasi:http/types@0.02",
                                    "wasi:http/types@1.2", "wasi:http/types@0", "wasi:http/types@"};
  for (size_t i = 0; i < sizeof canon_bad / sizeof canon_bad[0]; i++)
    assert_int_equal(wk_cname_classify(canon_bad[i], strlen(canon_bad[i])), WK_CNAME_INVALID);
  assert_int_equal(wk_cname_classify("[method]foo.bar", 15), WK_CNAME_METHOD);
  assert_int_equal(wk_cname_classify("[static]foo.baz", 15), WK_CNAME_STATIC);
  assert_int_equal(wk_cname_classify("[constructor]foo", 16), WK_CNAME_CONSTRUCTOR);
  assert_int_equal(wk_cname_classify("[method]foo", 11), WK_CNAME_INVALID);
}

static void test_wit_and_print(void **state) {
  static const uint8_t d[] = {HDR, TYPE_FUNC_U32_STRING, IMPORT_F_FUNC0};
  wk_component *c;
  wk_error e;
  assert_int_equal(decode(d, sizeof d, &c, &e), WK_OK);
  wk_buf b = {0};
  wit_resolve *r = wit_resolve_new(); /* the WIT view: witparse's decoder (witdecode.h) */
  wit_id pkg = WIT_NONE;
  assert_int_equal(wit_decode_component(r, c, &pkg, NULL, NULL, &e), WK_OK);
  assert_int_equal(wit_resolve_print_decoded(r, pkg, &b, &e), WK_OK);
  wit_resolve_free(r);
  wk_buf_byte(&b, 0);
  assert_string_equal((char *)b.data,
                      "package root:component;\n\nworld root {\n  import f: func(x: u32) -> string;\n}\n");
  wk_buf_free(&b);
  assert_int_equal(wk_component_print(c, &b, &e), WK_OK);
  wk_buf_byte(&b, 0);
  assert_string_equal((char *)b.data, "(component\n  (type (;0;) (func (param \"x\" u32) (result string)))\n"
                                      "  (import \"f\" (func (;0;) (type 0)))\n)\n");
  wk_buf_free(&b);
  wk_component_free(c);
}

/* Regression (libFuzzer, fuzz_component): a nested module whose function
 * declares locals past the end of its body went through the fallback core
 * printer and read out of bounds. Printing must fail cleanly. */
static void test_print_hostile_module(void **state) {
  static const uint8_t d[] = {HDR, 0x01, 0x19, 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01,
                              0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x05, 0x03, 0x02, 0x01, 0x00, 0x0a};
  wk_component *c;
  wk_error e;
  assert_int_equal(decode(d, sizeof d, &c, &e), WK_OK);
  wk_buf b = {0};
  assert_int_not_equal(wk_component_print(c, &b, &e), WK_OK);
  wk_buf_free(&b);
  wk_component_free(c);
}

/* Regression (libFuzzer): a start definition's result count is a bare u32;
 * printing it must not write billions of lines. */
static void test_print_huge_start(void **state) {
  /* start section: func 0, no args, 0x7fffffff results */
  static const uint8_t d[] = {HDR, 0x09, 0x07, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x07};
  wk_component *c;
  wk_error e;
  assert_int_equal(decode(d, sizeof d, &c, &e), WK_OK);
  wk_buf b = {0};
  assert_int_not_equal(wk_component_print(c, &b, &e), WK_OK);
  assert_true(b.len < 4096);
  wk_buf_free(&b);
  assert_int_not_equal(wk_component_validate(c, &e), WK_OK); /* 🪙 values are not enabled */
  wk_component_free(c);
}

/* The validator's indexed paths (names hashed past 16 labels, 32 module-type imports, 32
 * exports of an instantiation argument or export bag; labels checked 8 bytes at a time) give
 * the answers and messages of the pairwise searches they replaced (h-revvalid: differential
 * runs against 2373b74). */
static void appendf(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void appendf(char *buf, size_t cap, const char *fmt, ...) {
  size_t n = strlen(buf);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf + n, cap - n, fmt, ap);
  va_end(ap);
  assert_true(strlen(buf) < cap - 1);
}
static void expect_wat(const char *wat, const char *msg) {
  wk_error e;
  int rc = validate_wat(wat, &e);
  if (!msg) {
    assert_int_equal(rc, WK_OK);
    return;
  }
  assert_int_equal(rc, WK_ERR_INVALID);
  assert_string_equal(e.msg, msg);
}
static void test_indexed_lookups(void **state) {
  (void)state;
  static char w[16384];
  /* Explainer "Name Uniqueness" for labels: case-insensitive conflicts past the 16th label */
  w[0] = 0;
  appendf(w, sizeof w, "(component (type (enum");
  for (int i = 0; i < 20; i++) appendf(w, sizeof w, " \"case-%d\"", i);
  appendf(w, sizeof w, " \"CASE-3\" \"CASE-1\")))");
  expect_wat(w, "enum tag name `CASE-3` conflicts with previous tag name `case-3`");
  w[0] = 0;
  appendf(w, sizeof w, "(component (type (enum");
  for (int i = 0; i < 16; i++) appendf(w, sizeof w, " \"case-%d\"", i);
  appendf(w, sizeof w, " \"x\" \"X\")))");
  expect_wat(w, "enum tag name `X` conflicts with previous tag name `x`");
  w[0] = 0;
  appendf(w, sizeof w, "(component (type (func");
  for (int i = 0; i < 20; i++) appendf(w, sizeof w, " (param \"case-%d\" u8)", i);
  appendf(w, sizeof w, ")))");
  expect_wat(w, NULL);
  w[strlen(w) - 3] = 0;
  appendf(w, sizeof w, " (param \"CASE-5\" u8))))");
  expect_wat(w, "function parameter name `CASE-5` conflicts with previous parameter name `case-5`");
  /* a core module type's imports are unique by module and name */
  w[0] = 0;
  appendf(w, sizeof w, "(component (core type (module");
  for (int i = 0; i < 40; i++) appendf(w, sizeof w, " (import \"m\" \"f%d\" (func))", i);
  appendf(w, sizeof w, ")))");
  expect_wat(w, NULL);
  w[strlen(w) - 3] = 0;
  appendf(w, sizeof w, " (import \"n\" \"f7\" (func)) (import \"m\" \"f9\" (func)))))");
  expect_wat(w, "duplicate import name `m:f9`");
  /* module instantiation: each import found in its argument's 40 exports (or not) */
  char mod[2048] = "";
  appendf(mod, sizeof mod, "(core module $A (func)");
  for (int i = 0; i < 40; i++) appendf(mod, sizeof mod, " (export \"e%d\" (func 0))", i);
  appendf(mod, sizeof mod, ") (core instance $a (instantiate $A)) (core instance $b (instantiate $A))");
  w[0] = 0;
  appendf(w, sizeof w, "(component %s (core module $B (import \"a\" \"e35\" (func)) (import \"b\" \"e0\" (func))"
          " (import \"a\" \"e39\" (func)) (import \"b\" \"e1\" (func))) (core instance (instantiate $B"
          " (with \"a\" (instance $a)) (with \"b\" (instance $b)))))", mod);
  expect_wat(w, NULL);
  w[0] = 0;
  appendf(w, sizeof w, "(component %s (core module $B (import \"a\" \"e35\" (func)) (import \"b\" \"e1\" (func))"
          " (import \"a\" \"e2\" (func)) (import \"b\" \"e99\" (func))) (core instance (instantiate $B"
          " (with \"a\" (instance $a)) (with \"b\" (instance $b)))))", mod);
  expect_wat(w, "module instantiation argument `b` does not export an item named `e99`");
  /* a bag of 41 core exports with one name twice */
  w[0] = 0;
  appendf(w, sizeof w, "(component (core module $A (func (export \"f\"))) (core instance $a (instantiate $A))"
          " (alias core export $a \"f\" (core func $f)) (core instance");
  for (int i = 0; i < 40; i++) appendf(w, sizeof w, " (export \"x%d\" (func $f))", i);
  appendf(w, sizeof w, " (export \"x33\" (func $f))))");
  expect_wat(w, "export name `x33` already defined");
  /* labels of 8 bytes or more (the word-at-a-time path) */
  static const struct { const char *l; int ok; } labels[] = {
      {"abcdefgh", 1}, {"abcdefgh-ijklmnop", 1}, {"abcdefgh-1abc", 1}, {"abcdefgh-IJKLMNOP", 1},
      {"abcdefg-", 0}, {"abcdefg--hijklmn", 0}, {"abcdefgh--ijklmn", 0}, {"abcdefghijklmno-", 0},
      {"abcdefgH", 0}, {"abcdefgh-IJKLmnop", 0}, {"abcdefgh_ijk", 0}, {"-abcdefgh", 0},
      {"1abcdefgh", 0}, {"abcdefghijklmnop--qrstuvwxyz", 0}, {"abcdefghijklmnopqrstuvwx--y", 0},
  };
  for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
    char msg[160];
    snprintf(w, sizeof w, "(component (type (enum \"%s\")))", labels[i].l);
    snprintf(msg, sizeof msg, "enum tag name `%s` is not in kebab case", labels[i].l);
    expect_wat(w, labels[i].ok ? NULL : msg);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_empty_component), cmocka_unit_test(test_func_import_roundtrip),
      cmocka_unit_test(test_padded_lebs),     cmocka_unit_test(test_malformed),
      cmocka_unit_test(test_s33_valtype),
      cmocka_unit_test(test_invalid),         cmocka_unit_test(test_names),
      cmocka_unit_test(test_wit_and_print),   cmocka_unit_test(test_print_hostile_module),
      cmocka_unit_test(test_print_huge_start), cmocka_unit_test(test_map_fixed_list), cmocka_unit_test(test_ctdiff_map_fixed),
      cmocka_unit_test(test_nested_core_features), cmocka_unit_test(test_nested_core_malformed),
      cmocka_unit_test(test_indexed_lookups),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
