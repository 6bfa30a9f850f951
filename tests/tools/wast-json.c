/*
 * wast-json — core WebAssembly .wast scripts to the JSON + module files that
 * wabt's wast2json writes (what tests/spec/runner.c and tests/tools/spec3-check.c
 * read), on lib/encode's text reader and module encoder (wat.h: wk_sx_read,
 * wk_wat_core_module, wk_wat_to_binary). tests/spec3/convert3.sh uses it for
 * the files neither wast2json 1.0.32 nor the wasm-tools fallback reads.
 *
 *   wast-json [--keep-going] FILE.wast -o OUT.json
 *
 * Script grammar: the spec interpreter's (WebAssembly/spec interpreter/README.md
 * "Scripts"), Core 3.0:
 *   (module $M? ...), (module $M? binary "..."*), (module $M? quote "..."*)
 *                          -> {"type":"module", "name"?, "filename"}
 *   (module definition $M? ...)   -> {"type":"module_definition", "name"?, "filename"}:
 *                          a module that is validated, not instantiated
 *   (module instance $I? $M?)     -> {"type":"module_instance", "instance"?, "module"?}:
 *                          instantiate module $M (the last one when absent) as
 *                          instance $I (one name: the module's, README.md)
 *   (register "as" $I?), (invoke $I? "f" const*), (get $I? "g"),
 *   assert_return / assert_trap / assert_exhaustion / assert_exception /
 *   assert_invalid / assert_malformed / assert_unlinkable, (assert_trap (module ...))
 *                          -> assert_uninstantiable: as wast2json 1.0.32 writes them.
 * The two module commands wabt lacks take wasm-tools json-from-wast's names and fields
 * (module_definition, module_instance {instance, module}); names keep their `$` as in
 * wast2json's output. Values: {"type":"i32","value":"<unsigned decimal>"}, floats as
 * their bit pattern in decimal or "nan:canonical"/"nan:arithmetic", v128 {lane_type,
 * value:[lanes]}, (either ...) as the command's "either" list (wast2json's form),
 * references as tests/spec/wast2json-core.mjs writes them (funcref/externref/exnref
 * "null" or a number, no value for "any non-null", {"type":"ref","value":"null"} for
 * `(ref.null)` of no heap type).
 * Numbers are read by lib/encode's own literal rules: each constant is encoded as the
 * initialiser of a one-global module and read back from the binary (one copy of the
 * core spec 6.3.1/6.3.2 rules).
 * Quoted text in assert_malformed / assert_invalid is written as NAME.N.wat
 * (module_type "text"); the runners parse it. A text module the encoder rejects
 * is an error (exit 1, no JSON), or with --keep-going written as .wat text
 * (module_type "text") so the runner reports that one command as failed.
 * Component scripts (../shared/corpora/component-model-execution) are read too: `(component
 * ...)` forms like modules (lib/encode's component text encoder, wk_wat_component; a quoted
 * component is written as its text, one the encoder rejects gets "filename": null and
 * "conversion_error": true) and component-model values (comp_value), in the JSON that
 * ../shared/tools/component-wast2json.mjs writes and tests/tools/comp-wast runs (the same
 * module_definition / module_instance commands): one script reader for core and component
 * scripts.
 * Output: OUT.json and its modules (OUT's stem .N.wasm/.wat) in OUT's directory.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode/wat.h"

typedef struct cv {
  const char *file;  /* the .wast */
  char dir[4096];    /* output directory */
  char stem[1024];   /* output stem (OUT.json without .json) */
  unsigned idx;      /* next module file number */
  int keep_going;
  int errors;
  wk_buf js;         /* the JSON being written */
  const char *src;   /* the script text */
  size_t srclen;
  int ncmds;
} cv;

static void errf(cv *c, const wk_sx *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void errf(cv *c, const wk_sx *at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "wast-json: error: %s:%u:%u: ", c->file, at ? at->line : 0, at ? at->col : 0);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  c->errors++;
}

/* ---- JSON output ---- */
static void js_str(wk_buf *b, const char *s, size_t n) {
  wk_buf_byte(b, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    char esc[8];
    if (ch == '"' || ch == '\\') {
      wk_buf_byte(b, '\\');
      wk_buf_byte(b, ch);
    } else if (ch < 0x20 || ch == 0x7f) {
      snprintf(esc, sizeof esc, "\\u%04x", ch);
      wk_buf_str(b, esc);
    } else {
      wk_buf_byte(b, ch);
    }
  }
  wk_buf_byte(b, '"');
}
static void js_cstr(wk_buf *b, const char *s) { js_str(b, s, strlen(s)); }
static void js_key(wk_buf *b, const char *k) {
  wk_buf_str(b, ", ");
  js_cstr(b, k);
  wk_buf_str(b, ": ");
}
/* a `$id` atom as wast2json writes names: with the `$` */
static void js_id(wk_buf *b, const wk_sx *id) {
  wk_buf t = {0};
  wk_buf_byte(&t, '$');
  wk_buf_append(&t, id->text, id->len);
  js_str(b, (const char *)t.data, t.len);
  wk_buf_free(&t);
}

static void cmd_begin(cv *c, const char *type, const wk_sx *at) {
  wk_buf_str(&c->js, c->ncmds++ ? ",\n  " : "\n  ");
  wk_buf_str(&c->js, "{\"type\": ");
  js_cstr(&c->js, type);
  char l[32];
  snprintf(l, sizeof l, ", \"line\": %u", at->line);
  wk_buf_str(&c->js, l);
}

/* ---- files ---- */
static int write_file(cv *c, const char *name, const void *d, size_t n) {
  char path[8192];
  snprintf(path, sizeof path, "%s/%s", c->dir, name);
  FILE *f = fopen(path, "wb");
  if (!f || (n && fwrite(d, 1, n, f) != n) || fclose(f)) {
    fprintf(stderr, "wast-json: error: cannot write %s\n", path);
    c->errors++;
    return -1;
  }
  return 0;
}

/* ---- constants through lib/encode ---- */
static uint64_t rd_uleb(const uint8_t **p, const uint8_t *e) {
  uint64_t v = 0;
  for (unsigned sh = 0; *p < e && sh < 70; sh += 7) {
    uint8_t b = *(*p)++;
    v |= (uint64_t)(b & 0x7f) << sh;
    if (!(b & 0x80)) break;
  }
  return v;
}
static int64_t rd_sleb(const uint8_t **p, const uint8_t *e) {
  uint64_t v = 0;
  unsigned sh = 0;
  uint8_t b = 0;
  while (*p < e && sh < 70) {
    b = *(*p)++;
    v |= (uint64_t)(b & 0x7f) << sh;
    sh += 7;
    if (!(b & 0x80)) break;
  }
  if (sh < 64 && (b & 0x40)) v |= ~(uint64_t)0 << sh;
  return (int64_t)v;
}

static wk_sx kw(const char *s, const wk_sx *at) {
  wk_sx k = {0};
  k.kind = WK_SX_KEYWORD, k.text = s, k.len = (uint32_t)strlen(s);
  k.line = at->line, k.col = at->col, k.offset = at->offset;
  return k;
}

/* Encode `init` (a folded constant instruction such as `(f32.const 1.5)`) as the
 * initialiser of `(module (global VT init))` and read the immediate back:
 * bits (ints sign-extended to 64) or 16 bytes for v128. 0, or -1 with an error printed. */
static int const_value(cv *c, const wk_sx *init, const char *vt, uint64_t *bits, uint8_t v128[16]) {
  wk_sx g[3], glist = {0}, m[2], mod = {0};
  g[0] = kw("global", init), g[1] = kw(vt, init), g[2] = *init;
  glist.kind = WK_SX_LIST, glist.kids = g, glist.n = 3, glist.line = init->line, glist.col = init->col;
  m[0] = kw("module", init), m[1] = glist;
  mod.kind = WK_SX_LIST, mod.kids = m, mod.n = 2, mod.line = init->line, mod.col = init->col;
  wk_buf b = {0};
  wk_error err;
  wk_error_clear(&err);
  int rc = wk_wat_core_module(&mod, 1, NULL, 0, &b, &err);
  if (rc || b.oom) {
    errf(c, init, "constant: %s", b.oom ? "out of memory" : err.msg);
    wk_buf_free(&b);
    return -1;
  }
  const uint8_t *p = b.data + 8, *e = b.data + b.len;
  rc = -1;
  while (p < e) {
    uint8_t id = *p++;
    uint64_t sz = rd_uleb(&p, e);
    const uint8_t *se = p + sz;
    if (id == 6 && se <= e) {
      rd_uleb(&p, se); /* count: 1 */
      p += 2;          /* valtype, mutability */
      uint8_t op = p < se ? *p++ : 0;
      if (op == 0x41 || op == 0x42) {
        *bits = (uint64_t)rd_sleb(&p, se);
        rc = 0;
      } else if (op == 0x43 && p + 4 <= se) {
        *bits = (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24;
        rc = 0;
      } else if (op == 0x44 && p + 8 <= se) {
        *bits = 0;
        for (int i = 0; i < 8; i++) *bits |= (uint64_t)p[i] << (8 * i);
        rc = 0;
      } else if (op == 0xfd && v128) {
        rd_uleb(&p, se); /* v128.const: 12 */
        if (p + 16 <= se) memcpy(v128, p, 16), rc = 0;
      }
      break;
    }
    p = se;
  }
  if (rc) errf(c, init, "constant: unexpected encoding");
  wk_buf_free(&b);
  return rc;
}

static int is_nan_pattern(const wk_sx *x) {
  return x->kind == WK_SX_KEYWORD && ((x->len == 13 && !memcmp(x->text, "nan:canonical", 13)) ||
                                      (x->len == 14 && !memcmp(x->text, "nan:arithmetic", 14)));
}

static int head_is(const wk_sx *x, const char *kwd) { return wk_sx_head(x, kwd); }
static wk_sx kw(const char *s, const wk_sx *at);

/* One lane / scalar of type `t` (i32 i64 f32 f64, or a v128 lane i8 i16) from atom `a`:
 * the decimal string of its unsigned bit pattern (or the nan pattern when `expected`). */
static int scalar(cv *c, const wk_sx *a, const char *t, int expected, wk_buf *out) {
  if (expected && t[0] == 'f' && is_nan_pattern(a)) {
    js_str(out, a->text, a->len);
    return 0;
  }
  /* i8/i16/i32 lanes and i32 go through i32.const, i64 through i64.const: a narrow lane takes the
   * low bits (v128.const's own lane range check is not repeated: scripts are well-formed there) */
  int bitsn = atoi(t + 1);
  const char *vt = t[0] == 'f' ? t : bitsn == 64 ? "i64" : "i32";
  char op[16];
  snprintf(op, sizeof op, "%s.const", vt);
  wk_sx ins[2], l = {0};
  ins[0] = kw(op, a), ins[1] = *a;
  l.kind = WK_SX_LIST, l.kids = ins, l.n = 2, l.line = a->line, l.col = a->col;
  uint64_t v;
  if (const_value(c, &l, vt, &v, NULL)) return -1;
  if (bitsn < 64) v &= ((uint64_t)1 << bitsn) - 1;
  char num[32];
  snprintf(num, sizeof num, "%" PRIu64, v);
  js_cstr(out, num);
  return 0;
}

static int value(cv *c, const wk_sx *x, int expected, wk_buf *out);

/* The kids [from, x->n) of x as one list (a record field's inline value `(field "n" u8.const 1)`) */
static wk_sx sub_list(const wk_sx *x, uint32_t from) {
  wk_sx l = *x;
  l.kids = x->kids + from, l.n = x->n > from ? x->n - from : 0;
  return l;
}

static int str_at(cv *c, const wk_sx *x, uint32_t i, wk_buf *out) {
  if (i >= x->n || x->kids[i].kind != WK_SX_STRING) {
    errf(c, x, "expected a string");
    return -1;
  }
  js_str(out, x->kids[i].text, x->kids[i].len);
  return 0;
}

/* Component-model values (the component corpus' scripts: component-model-execution), written as
 * ../shared/tools/component-wast2json.mjs writes them (what tests/tools/comp-wast.c reads):
 * {"type":"u8","value":"255"}, s8..s64 signed decimal, bool a JSON bool, char/string the UTF-8
 * text, list/tuple [values], record [[name, value]...], variant {case, payload?}, enum the case
 * name, option null or the value, result {Ok|Err: value or null}, flags [names]. Returns 0, -1
 * (error printed), or 1 when `hd` is no component value. */
static int comp_value(cv *c, const wk_sx *x, const char *hd, wk_buf *out) {
  size_t hl = strlen(hd);
  if (hl > 6 && !strcmp(hd + hl - 6, ".const") && (hd[0] == 's' || hd[0] == 'u') && hd[1] >= '0' && hd[1] <= '9') {
    int bits = atoi(hd + 1);
    if ((bits != 8 && bits != 16 && bits != 32 && bits != 64) || x->n != 2) return 1;
    wk_sx ins[2], l = {0};
    ins[0] = kw("i64.const", x), ins[1] = x->kids[1];
    l.kind = WK_SX_LIST, l.kids = ins, l.n = 2, l.line = x->line, l.col = x->col;
    uint64_t v;
    if (const_value(c, &l, "i64", &v, NULL)) return -1;
    char num[32];
    if (bits < 64) v &= ((uint64_t)1 << bits) - 1;
    if (hd[0] == 's') {
      int64_t sv = bits < 64 && v >> (bits - 1) ? (int64_t)(v - ((uint64_t)1 << bits)) : (int64_t)v;
      snprintf(num, sizeof num, "%" PRId64, sv);
    } else {
      snprintf(num, sizeof num, "%" PRIu64, v);
    }
    wk_buf_str(out, "{\"type\": ");
    js_str(out, hd, hl - 6);
    wk_buf_str(out, ", \"value\": ");
    js_cstr(out, num);
    wk_buf_byte(out, '}');
    return 0;
  }
  if (!strcmp(hd, "bool.const")) {
    if (x->n != 2 || (!wk_sx_is(&x->kids[1], WK_SX_KEYWORD, "true") && !wk_sx_is(&x->kids[1], WK_SX_KEYWORD, "false"))) {
      errf(c, x, "bool.const: expected true or false");
      return -1;
    }
    wk_buf_str(out, wk_sx_is(&x->kids[1], WK_SX_KEYWORD, "true") ? "{\"type\": \"bool\", \"value\": true}"
                                                                 : "{\"type\": \"bool\", \"value\": false}");
    return 0;
  }
  int rc = 0;
  if (!strcmp(hd, "char.const") || !strcmp(hd, "str.const") || !strcmp(hd, "enum.const")) {
    wk_buf_str(out, hd[0] == 'c' ? "{\"type\": \"char\", \"value\": " : hd[0] == 's' ? "{\"type\": \"string\", \"value\": "
                                                                              : "{\"type\": \"enum\", \"value\": ");
    rc = str_at(c, x, 1, out);
  } else if (!strcmp(hd, "list.const") || !strcmp(hd, "tuple.const") || !strcmp(hd, "flags.const")) {
    wk_buf_str(out, hd[0] == 'l' ? "{\"type\": \"list\", \"value\": [" : hd[0] == 't' ? "{\"type\": \"tuple\", \"value\": ["
                                                                             : "{\"type\": \"flags\", \"value\": [");
    for (uint32_t i = 1; i < x->n && !rc; i++) {
      if (i > 1) wk_buf_str(out, ", ");
      rc = hd[0] == 'f' ? str_at(c, x, i, out) : value(c, &x->kids[i], 0, out);
    }
    wk_buf_byte(out, ']');
  } else if (!strcmp(hd, "record.const")) {
    wk_buf_str(out, "{\"type\": \"record\", \"value\": [");
    for (uint32_t i = 1; i < x->n && !rc; i++) {
      const wk_sx *f = &x->kids[i];
      if (!head_is(f, "field") || f->n < 3) {
        errf(c, f, "record.const: expected (field \"name\" value)");
        return -1;
      }
      if (i > 1) wk_buf_str(out, ", ");
      wk_buf_byte(out, '[');
      rc = str_at(c, f, 1, out);
      wk_buf_str(out, ", ");
      wk_sx v = sub_list(f, 2);
      if (!rc) rc = value(c, &v, 0, out);
      wk_buf_byte(out, ']');
    }
    wk_buf_byte(out, ']');
  } else if (!strcmp(hd, "variant.const")) {
    wk_buf_str(out, "{\"type\": \"variant\", \"value\": {\"case\": ");
    rc = str_at(c, x, 1, out);
    if (!rc && x->n > 2) {
      wk_buf_str(out, ", \"payload\": ");
      rc = value(c, &x->kids[2], 0, out);
    }
    wk_buf_byte(out, '}');
  } else if (!strcmp(hd, "option.none")) {
    wk_buf_str(out, "{\"type\": \"option\", \"value\": null");
  } else if (!strcmp(hd, "option.some")) {
    wk_buf_str(out, "{\"type\": \"option\", \"value\": ");
    rc = x->n == 2 ? value(c, &x->kids[1], 0, out) : (errf(c, x, "option.some: expected a value"), -1);
  } else if (!strcmp(hd, "result.ok") || !strcmp(hd, "result.err")) {
    wk_buf_str(out, hd[7] == 'o' ? "{\"type\": \"result\", \"value\": {\"Ok\": " : "{\"type\": \"result\", \"value\": {\"Err\": ");
    if (x->n > 1) rc = value(c, &x->kids[1], 0, out);
    else wk_buf_str(out, "null");
    wk_buf_byte(out, '}');
  } else {
    return 1;
  }
  wk_buf_byte(out, '}');
  return rc ? -1 : 0;
}

/* A script value (const / result pattern) -> JSON object. */
static int value(cv *c, const wk_sx *x, int expected, wk_buf *out) {
  if (x->kind != WK_SX_LIST || !x->n || x->kids[0].kind != WK_SX_KEYWORD) {
    errf(c, x, "expected a value");
    return -1;
  }
  const wk_sx *h = &x->kids[0];
  char hd[32];
  snprintf(hd, sizeof hd, "%.*s", (int)(h->len < 31 ? h->len : 31), h->text);
  if (!strcmp(hd, "i32.const") || !strcmp(hd, "i64.const") || !strcmp(hd, "f32.const") || !strcmp(hd, "f64.const")) {
    if (x->n != 2) {
      errf(c, x, "%s takes one number", hd);
      return -1;
    }
    char t[4] = {hd[0], hd[1], hd[2], 0};
    wk_buf_str(out, "{\"type\": ");
    js_cstr(out, t);
    wk_buf_str(out, ", \"value\": ");
    if (scalar(c, &x->kids[1], t, expected, out)) return -1;
    wk_buf_byte(out, '}');
    return 0;
  }
  if (!strcmp(hd, "v128.const")) {
    static const struct { const char *shape, *lane; int n; } sh[] = {
        {"i8x16", "i8", 16}, {"i16x8", "i16", 8}, {"i32x4", "i32", 4}, {"i64x2", "i64", 2},
        {"f32x4", "f32", 4}, {"f64x2", "f64", 2}};
    int k = -1;
    for (int i = 0; i < 6 && x->n > 1; i++)
      if (wk_sx_is(&x->kids[1], WK_SX_KEYWORD, sh[i].shape)) k = i;
    if (k < 0 || x->n != 2u + (unsigned)sh[k].n) {
      errf(c, x, "v128.const: expected a shape and its lanes");
      return -1;
    }
    wk_buf_str(out, "{\"type\": \"v128\", \"lane_type\": ");
    js_cstr(out, sh[k].lane);
    wk_buf_str(out, ", \"value\": [");
    for (int i = 0; i < sh[k].n; i++) {
      if (i) wk_buf_str(out, ", ");
      if (scalar(c, &x->kids[2 + i], sh[k].lane, expected, out)) return -1;
    }
    wk_buf_str(out, "]}");
    return 0;
  }
  if (!strcmp(hd, "ref.null")) {
    if (x->n == 1) { /* Core 3.0 result pattern: a null of any type */
      wk_buf_str(out, "{\"type\": \"ref\", \"value\": \"null\"}");
      return 0;
    }
    const wk_sx *ht = &x->kids[1];
    const char *t = NULL;
    if (ht->kind == WK_SX_ID || ht->kind == WK_SX_RESERVED) t = "funcref"; /* a concrete (function) type */
    else if (wk_sx_is(ht, WK_SX_KEYWORD, "func") || wk_sx_is(ht, WK_SX_KEYWORD, "nofunc")) t = "funcref";
    else if (wk_sx_is(ht, WK_SX_KEYWORD, "extern") || wk_sx_is(ht, WK_SX_KEYWORD, "noextern")) t = "externref";
    else if (wk_sx_is(ht, WK_SX_KEYWORD, "exn") || wk_sx_is(ht, WK_SX_KEYWORD, "noexn")) t = "exnref";
    else if (ht->kind == WK_SX_KEYWORD) t = "anyref"; /* GC heap types: any eq i31 struct array none */
    if (!t) {
      errf(c, x, "ref.null: unknown heap type");
      return -1;
    }
    wk_buf_str(out, "{\"type\": ");
    js_cstr(out, t);
    wk_buf_str(out, ", \"value\": \"null\"}");
    return 0;
  }
  if (!strcmp(hd, "ref.extern") || !strcmp(hd, "ref.host")) {
    wk_buf_str(out, !strcmp(hd, "ref.extern") ? "{\"type\": \"externref\"" : "{\"type\": \"hostref\"");
    if (x->n == 2) {
      uint64_t v;
      wk_sx ins[2], l = {0};
      ins[0] = kw("i64.const", x), ins[1] = x->kids[1];
      l.kind = WK_SX_LIST, l.kids = ins, l.n = 2, l.line = x->line, l.col = x->col;
      if (const_value(c, &l, "i64", &v, NULL)) return -1;
      char num[32];
      snprintf(num, sizeof num, "%" PRIu64, v);
      wk_buf_str(out, ", \"value\": ");
      js_cstr(out, num);
    } else if (x->n != 1 || !expected) {
      errf(c, x, "%s: expected a number", hd);
      return -1;
    }
    wk_buf_byte(out, '}');
    return 0;
  }
  if (expected && x->n == 1 && !strncmp(hd, "ref", 3)) {
    /* (ref.func), (ref.struct), ... (ref): any non-null reference of that kind */
    const char *k = hd[3] == '.' ? hd + 4 : "";
    char t[40];
    snprintf(t, sizeof t, "%sref", !strcmp(k, "func") ? "func" : *k ? k : "");
    wk_buf_str(out, "{\"type\": ");
    js_cstr(out, t);
    wk_buf_byte(out, '}');
    return 0;
  }
  int cv_rc = comp_value(c, x, hd, out);
  if (cv_rc != 1) return cv_rc;
  errf(c, x, "unknown value %s", hd);
  return -1;
}

/* (invoke $I? "f" const*) / (get $I? "g") -> the "action" object */
static int action(cv *c, const wk_sx *x, wk_buf *out) {
  int inv = head_is(x, "invoke"), get = head_is(x, "get");
  if (!inv && !get) {
    errf(c, x, "expected (invoke ...) or (get ...)");
    return -1;
  }
  uint32_t k = 1;
  wk_buf_str(out, "{\"type\": ");
  js_cstr(out, inv ? "invoke" : "get");
  if (k < x->n && x->kids[k].kind == WK_SX_ID) {
    js_key(out, "module");
    js_id(out, &x->kids[k++]);
  }
  if (k >= x->n || x->kids[k].kind != WK_SX_STRING) {
    errf(c, x, "action: expected an export name");
    return -1;
  }
  js_key(out, "field");
  js_str(out, x->kids[k].text, x->kids[k].len);
  k++;
  if (inv) {
    js_key(out, "args");
    wk_buf_byte(out, '[');
    for (uint32_t i = k; i < x->n; i++) {
      if (i > k) wk_buf_str(out, ", ");
      if (value(c, &x->kids[i], 0, out)) return -1;
    }
    wk_buf_byte(out, ']');
  } else if (k != x->n) {
    errf(c, x, "get: unexpected arguments");
    return -1;
  }
  wk_buf_byte(out, '}');
  return 0;
}

/* The children of a `(module ...)` after `module`, `definition`, `$id`: index of the first
 * field/keyword; *def / *id set when present. */
static uint32_t module_head(const wk_sx *m, int *def, const wk_sx **id) {
  uint32_t k = 1;
  *def = 0, *id = NULL;
  if (k < m->n && wk_sx_is(&m->kids[k], WK_SX_KEYWORD, "definition")) *def = 1, k++;
  if (k < m->n && m->kids[k].kind == WK_SX_ID) *id = &m->kids[k++];
  return k;
}

/* Write module `m` as a file; appends `"filename": ..., "module_type": ...` to the JSON.
 * `quote_as_text`: a `quote` module is written as its text (assertions); otherwise it is
 * parsed to a binary. Returns 0, or -1 (error printed; with keep_going the text is written). */
static int emit_module(cv *c, const wk_sx *m, size_t end, int quote_as_text) {
  int def;
  const wk_sx *id;
  uint32_t k = module_head(m, &def, &id);
  char name[1200];
  int isbin = 1;
  wk_buf bin = {0}, text = {0};
  wk_error err;
  wk_error_clear(&err);
  int rc = 0;
  int comp = head_is(m, "component");
  int quote = k < m->n && wk_sx_is(&m->kids[k], WK_SX_KEYWORD, "quote");
  int binary = k < m->n && wk_sx_is(&m->kids[k], WK_SX_KEYWORD, "binary");
  if (quote || (binary && comp)) {
    for (uint32_t i = k + 1; i < m->n; i++) {
      if (m->kids[i].kind != WK_SX_STRING) {
        errf(c, &m->kids[i], "module quote/binary: expected strings");
        return -1;
      }
      /* concatenated as they are (README.md "Scripts") */
      wk_buf_append(binary ? &bin : &text, m->kids[i].text, m->kids[i].len);
    }
    /* a quoted component is always written as its text (its fields): comp-wast parses it inside
     * `(component ...)`, as the component corpus' converter does */
    if (quote && (quote_as_text || comp)) isbin = 0;
    else if (quote) rc = wk_wat_to_binary((const char *)text.data, text.len, &bin, &err);
  } else if (comp) {
    /* the encoder finds the component's own $id (for `alias outer $C ...`) right after the
     * keyword: a definition is encoded as `(component $C ...)` without `definition` */
    wk_sx *kids = def ? malloc(m->n * sizeof *kids) : NULL;
    wk_sx view = *m;
    if (kids) {
      kids[0] = m->kids[0];
      memcpy(kids + 1, m->kids + 2, (m->n - 2) * sizeof *kids);
      view.kids = kids, view.n = m->n - 1;
    }
    rc = wk_wat_component(&view, kids ? k - 1 : k, id ? id->text : NULL, id ? id->len : 0, &bin, &err);
    free(kids);
    if (rc) {
      /* as ../shared/tools/component-wast2json.mjs: no file, the runner reports the command */
      fprintf(stderr, "wast-json: warning: %s:%u: component does not parse (%u:%u: %s)\n", c->file, m->line,
              err.line, err.col, err.msg);
      c->idx++;
      js_key(&c->js, "filename");
      wk_buf_str(&c->js, "null");
      js_key(&c->js, "module_type");
      js_cstr(&c->js, "binary");
      wk_buf_str(&c->js, ", \"conversion_error\": true");
      wk_buf_free(&bin);
      return 0;
    }
  } else {
    rc = wk_wat_core_module(m, k, id ? id->text : NULL, id ? id->len : 0, &bin, &err);
  }
  if (rc && !quote_as_text && !c->keep_going) {
    errf(c, m, "module does not parse: %u:%u: %s", err.line, err.col, err.msg);
    wk_buf_free(&bin);
    wk_buf_free(&text);
    return -1;
  }
  if (rc) {
    /* keep the module's text: the runner's text parser reports the same error on that command */
    if (!c->keep_going || quote_as_text) {
      if (!quote_as_text) errf(c, m, "module does not parse: %s", err.msg);
    } else {
      fprintf(stderr, "wast-json: warning: %s:%u: module does not parse (%u:%u: %s): written as text\n", c->file,
              m->line, err.line, err.col, err.msg);
    }
    isbin = 0;
    if (!text.len) {
      /* a text module: its fields from the source, up to `end` (the next form's offset: the
       * module's `)` and any comments before it), inside `(module ` (no `definition`/$id) */
      wk_buf_str(&text, "(module ");
      if (k < m->n && end > m->kids[k].offset && end <= c->srclen)
        wk_buf_append(&text, c->src + m->kids[k].offset, end - m->kids[k].offset);
      else
        wk_buf_byte(&text, ')');
    }
  }
  snprintf(name, sizeof name, "%s.%u.%s", strrchr(c->stem, '/') ? strrchr(c->stem, '/') + 1 : c->stem, c->idx++,
           isbin ? "wasm" : "wat");
  if (isbin) rc = write_file(c, name, bin.data, bin.len);
  else rc = write_file(c, name, text.data, text.len);
  js_key(&c->js, "filename");
  js_cstr(&c->js, name);
  js_key(&c->js, "module_type");
  js_cstr(&c->js, isbin ? "binary" : "text");
  wk_buf_free(&bin);
  wk_buf_free(&text);
  return rc;
}

static int str_arg(cv *c, const wk_sx *x, uint32_t i, const char *key) {
  if (i >= x->n || x->kids[i].kind != WK_SX_STRING) {
    errf(c, x, "expected a string");
    return -1;
  }
  js_key(&c->js, key);
  js_str(&c->js, x->kids[i].text, x->kids[i].len);
  return 0;
}

/* `end`: the offset where the form after `f` starts (or the text's length) */
static void command(cv *c, const wk_sx *f, size_t end) {
  if (f->kind != WK_SX_LIST || !f->n || f->kids[0].kind != WK_SX_KEYWORD) {
    errf(c, f, "expected a command");
    return;
  }
  if (head_is(f, "module") || head_is(f, "component")) {
    if (f->n > 1 && wk_sx_is(&f->kids[1], WK_SX_KEYWORD, "instance")) {
      /* (module instance $I? $M?): one name is the module's (README.md "Scripts") */
      const wk_sx *a = f->n > 2 && f->kids[2].kind == WK_SX_ID ? &f->kids[2] : NULL;
      const wk_sx *b = f->n > 3 && f->kids[3].kind == WK_SX_ID ? &f->kids[3] : NULL;
      if (f->n > 2u + !!a + !!b) {
        errf(c, f, "module instance: expected (module instance $I? $M?)");
        return;
      }
      if (a && !b) b = a, a = NULL;
      cmd_begin(c, "module_instance", f);
      if (a) js_key(&c->js, "instance"), js_id(&c->js, a);
      if (b) js_key(&c->js, "module"), js_id(&c->js, b);
      wk_buf_byte(&c->js, '}');
      return;
    }
    int def;
    const wk_sx *id;
    module_head(f, &def, &id);
    cmd_begin(c, def ? "module_definition" : "module", f);
    if (id) js_key(&c->js, "name"), js_id(&c->js, id);
    emit_module(c, f, end, 0);
    wk_buf_byte(&c->js, '}');
    return;
  }
  if (head_is(f, "register")) {
    cmd_begin(c, "register", f);
    if (f->n > 2 && f->kids[2].kind == WK_SX_ID) js_key(&c->js, "name"), js_id(&c->js, &f->kids[2]);
    str_arg(c, f, 1, "as");
    wk_buf_byte(&c->js, '}');
    return;
  }
  if (head_is(f, "invoke") || head_is(f, "get")) {
    cmd_begin(c, "action", f);
    js_key(&c->js, "action");
    action(c, f, &c->js);
    wk_buf_str(&c->js, ", \"expected\": []}");
    return;
  }
  const wk_sx *inner = f->n > 1 ? &f->kids[1] : NULL;
  if (!inner || inner->kind != WK_SX_LIST) {
    errf(c, f, "expected an action or module");
    return;
  }
  if (head_is(f, "assert_return")) {
    cmd_begin(c, "assert_return", inner);
    js_key(&c->js, "action");
    action(c, inner, &c->js);
    int either = f->n == 3 && head_is(&f->kids[2], "either");
    const wk_sx *vals = either ? &f->kids[2] : f;
    js_key(&c->js, either ? "either" : "expected");
    wk_buf_byte(&c->js, '[');
    for (uint32_t i = 2 - either; i < vals->n; i++) {
      if (i > 2u - either) wk_buf_str(&c->js, ", ");
      value(c, &vals->kids[i], 1, &c->js);
    }
    wk_buf_str(&c->js, "]}");
    return;
  }
  if (head_is(f, "assert_trap") || head_is(f, "assert_exhaustion") || head_is(f, "assert_exception")) {
    int modtrap = head_is(inner, "module") || head_is(inner, "component");
    int exc = head_is(f, "assert_exception");
    cmd_begin(c, modtrap ? "assert_uninstantiable" : head_is(f, "assert_trap") ? "assert_trap" : exc ? "assert_exception"
                                                                                            : "assert_exhaustion",
              inner);
    if (modtrap) {
      emit_module(c, inner, f->n > 2 ? f->kids[2].offset : end, 1);
      str_arg(c, f, 2, "text");
    } else {
      js_key(&c->js, "action");
      action(c, inner, &c->js);
      if (!exc) str_arg(c, f, 2, "text");
      wk_buf_str(&c->js, ", \"expected\": []");
    }
    wk_buf_byte(&c->js, '}');
    return;
  }
  if (head_is(f, "assert_invalid") || head_is(f, "assert_malformed") || head_is(f, "assert_unlinkable")) {
    if (!head_is(inner, "module") && !head_is(inner, "component")) {
      errf(c, inner, "expected a module");
      return;
    }
    char t[32];
    snprintf(t, sizeof t, "%.*s", (int)(f->kids[0].len < 31 ? f->kids[0].len : 31), f->kids[0].text);
    cmd_begin(c, t, inner);
    /* a module the encoder rejects is kept as text for assert_invalid/assert_malformed: the
     * runner's text parser then decides (an invalid module must parse, a malformed one not) */
    int saved = c->keep_going;
    if (strcmp(t, "assert_unlinkable")) c->keep_going = 1;
    emit_module(c, inner, f->n > 2 ? f->kids[2].offset : end, 1);
    c->keep_going = saved;
    str_arg(c, f, 2, "text");
    wk_buf_byte(&c->js, '}');
    return;
  }
  errf(c, f, "unknown command %.*s", (int)f->kids[0].len, f->kids[0].text);
}

/* Annotations are allowed anywhere in a script (Core 3.0 text/lexical.rst "Annotations"), also
 * before a command's or module's keyword (`((@a) module (@a) $m (@a) ...)`, annotations.wast).
 * Drop the annotation lists before a list's head keyword, and in a `module` those before its
 * first field (lib/encode's module parser ignores the ones among and inside fields, and reads
 * `@custom` etc. there); into commands' direct sub-lists (their modules, actions). */
static int is_annot_list(const wk_sx *x) { return x->kind == WK_SX_LIST && x->n && x->kids[0].kind == WK_SX_ANNOT; }
static void unannot(wk_sx *x, int depth) {
  if (x->kind != WK_SX_LIST || is_annot_list(x)) return;
  wk_sx *k = (wk_sx *)x->kids;
  uint32_t o = 0, i = 0;
  while (i < x->n && is_annot_list(&k[i])) i++; /* before the head */
  if (i < x->n) k[o++] = k[i++];
  int mod = o && wk_sx_is(&k[0], WK_SX_KEYWORD, "module");
  for (; i < x->n; i++) {
    if (mod && is_annot_list(&k[i])) continue;
    if (mod && k[i].kind == WK_SX_LIST) mod = 0; /* the first field: the module parser takes over */
    k[o++] = k[i];
  }
  x->n = o;
  if (depth < 2)
    for (uint32_t j = 0; j < x->n; j++) unannot(&k[j], depth + 1);
}

int main(int argc, char **argv) {
  cv c;
  memset(&c, 0, sizeof c);
  const char *in = NULL, *out = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--keep-going")) c.keep_going = 1;
    else if (!strcmp(argv[i], "-o") && i + 1 < argc) out = argv[++i];
    else if (!in) in = argv[i];
    else in = NULL, i = argc;
  }
  if (!in || !out || strlen(out) < 6 || strcmp(out + strlen(out) - 5, ".json")) {
    fprintf(stderr, "usage: wast-json [--keep-going] FILE.wast -o OUT.json\n");
    return 2;
  }
  c.file = in;
  snprintf(c.dir, sizeof c.dir, "%s", out);
  char *sl = strrchr(c.dir, '/');
  if (sl) *sl = 0;
  else snprintf(c.dir, sizeof c.dir, ".");
  snprintf(c.stem, sizeof c.stem, "%.*s", (int)(strlen(out) - 5), out);
  uint8_t *src;
  size_t len;
  wk_error err;
  wk_error_clear(&err);
  if (wk_read_file(in, &src, &len, &err)) {
    fprintf(stderr, "wast-json: error: %s: %s\n", in, err.msg);
    return 1;
  }
  wk_sx_doc doc;
  if (wk_sx_read((const char *)src, len, &doc, &err)) {
    fprintf(stderr, "wast-json: error: %s:%u:%u: %s\n", in, err.line, err.col, err.msg);
    wk_sx_free(&doc);
    free(src);
    return 1;
  }
  c.src = (const char *)src, c.srclen = len;
  for (uint32_t i = 0; i < doc.n; i++) unannot((wk_sx *)&doc.top[i], 0);
  const char *base = strrchr(in, '/') ? strrchr(in, '/') + 1 : in;
  wk_buf_str(&c.js, "{\"source_filename\": ");
  js_cstr(&c.js, base);
  wk_buf_str(&c.js, ",\n \"commands\": [");
  /* a script of bare module fields is one module (wast: core spec 6.6.13 abbreviation) */
  int bare = doc.n > 0;
  for (uint32_t i = 0; i < doc.n; i++) {
    const wk_sx *f = &doc.top[i];
    static const char *fields[] = {"type", "import", "func", "table", "memory", "global", "export",
                                   "start", "elem", "data", "tag", "rec"};
    int isf = 0;
    for (size_t k = 0; k < sizeof fields / sizeof *fields; k++) isf |= head_is(f, fields[k]);
    if (!isf) bare = 0;
  }
  if (bare) {
    wk_sx *kids = calloc(doc.n + 1, sizeof *kids);
    if (kids) {
      kids[0] = kw("module", &doc.top[0]);
      memcpy(kids + 1, doc.top, doc.n * sizeof *kids);
      wk_sx m = {0};
      m.kind = WK_SX_LIST, m.kids = kids, m.n = doc.n + 1, m.line = doc.top[0].line, m.col = doc.top[0].col;
      command(&c, &m, len);
      free(kids);
    }
  } else {
    for (uint32_t i = 0; i < doc.n; i++) {
      const wk_sx *f = &doc.top[i];
      if (f->kind == WK_SX_LIST && f->n && f->kids[0].kind == WK_SX_ANNOT) continue;
      command(&c, f, i + 1 < doc.n ? doc.top[i + 1].offset : len);
    }
  }
  wk_buf_str(&c.js, "\n ]\n}\n");
  int rc = 0;
  if (c.js.oom) fprintf(stderr, "wast-json: error: out of memory\n"), rc = 1;
  else if (c.errors) fprintf(stderr, "wast-json: %s: %d error(s): no JSON written\n", in, c.errors), rc = 1;
  else {
    char tmp[8300];
    snprintf(tmp, sizeof tmp, "%s.tmp", out);
    FILE *f = fopen(tmp, "wb");
    if (!f || fwrite(c.js.data, 1, c.js.len, f) != c.js.len || fclose(f) || rename(tmp, out)) {
      fprintf(stderr, "wast-json: error: cannot write %s\n", out);
      rc = 1;
    }
  }
  wk_buf_free(&c.js);
  wk_sx_free(&doc);
  free(src);
  return rc;
}
