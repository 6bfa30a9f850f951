/*
 * spec-runner — runs the WebAssembly core spec tests (wast2json JSON) on
 * lib/interp.
 *
 *   spec-runner [--verbose] [--no-fork] [--timeout=SECONDS] [--checked] [--cache=DIR]
 *               [--features=LIST] DIR_OR_JSON...
 *
 * --features=LIST: WebAssembly 3.0 features the engine accepts (wk_config
 * features), comma-separated: tail-call, extended-const, relaxed-simd, exceptions, gc, or
 * "all" (WK_INTERP_FEATURES). Default none: WebAssembly 2.0 exactly (the 2.0
 * tests assert some modules invalid that 3.0 features make valid, e.g.
 * global.get of a defined global in a constant expression).
 * (either v...) results (3.0 relaxed SIMD) pass when any of the values matches.
 * --checked: the engine with explicit bounds checks instead of guard pages.
 * --cache=DIR: the engine with the AOT cache in DIR (every module with code is
 * stored, and loaded from there when present: run twice to test the cached
 * code); with --verbose each file says how many modules came from the cache.
 * --features=multi-memory,memory64: the engine with these WebAssembly 3.0
 * features (wk_config.features; tests/spec3/suite-spec3-exec.sh).
 *
 * A DIR is searched recursively for *.json command files (as written by
 * tests/spec/convert.sh: DIR/NAME/NAME.json + modules). Each file runs in a
 * forked child so an engine crash or hang costs only the rest of that file
 * (those commands count as failed); a per-command alarm interrupts runaway
 * wasm (wk_store_interrupt) and a parent watchdog kills a child that makes
 * no progress (--timeout: per command, default 20 s; the watchdog waits 3x).
 * --no-fork runs everything in-process (for debuggers).
 *
 * Command semantics follow the spec interpreter's script runner
 * (WebAssembly/spec interpreter/script/run.ml):
 *   module / register / action / assert_return / assert_trap /
 *   assert_exhaustion / assert_invalid / assert_malformed / assert_unlinkable /
 *   assert_uninstantiable.
 * A text module (module_type "text": wast2json writes the quoted text to a
 * .wat file) goes through lib/encode's text parser (wat.h): assert_malformed
 * passes when the parser rejects it (core spec 6: "malformed" text),
 * assert_invalid when the parsed binary fails validation.
 * Scope: every command runs, SIMD (simd_*.wast, v128 values) included;
 * nothing is skipped (the "skipped" count stays in the output format and
 * must be 0). Any command that is not run is a failure.
 *
 * Output: one line per file "FILE: P passed, F failed, S skipped", totals per
 * file kind, and finally "N passed, N failed, N skipped". Exit 1 on any
 * failure.
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "encode/wat.h"
#include "interp/interp.h"
#include "interp/internal.h" /* wk_cache_code_bytes: which modules the AOT cache holds */

enum { R_PASS = 'P', R_FAIL = 'F', R_SIMD = 'S' };

static int verbose;
static int no_fork;
static int opt_checked, opt_eager; /* --checked: explicit bounds checks (no guard pages); --eager: no lazy translation */
static const char *opt_cache;   /* --cache=DIR: AOT cache directory (every module with code) */
static uint64_t opt_max_memory; /* --max-memory=BYTES: wk_config.max_memory_bytes (also the GC heap's limit) */
static unsigned opt_features;   /* --features=LIST: WK_FEAT_* bits (default 0: WebAssembly 2.0) */
static size_t cache_hits, cache_loads, cache_coded; /* per file: modules loaded from the cache / compiled OK / of those, with a code section (what the cache holds) */
static unsigned cmd_timeout_s = 20;     /* per command, in the child (interrupt) */
static unsigned watchdog_s = 60;        /* parent: no progress for this long -> kill */

/* ---------------------------------------------------------------- results */

typedef struct counts {
  uint64_t pass, fail, simd;
} counts;

static int result_fd = -1; /* child -> parent pipe (or -1 in --no-fork mode) */
static counts *direct;     /* --no-fork: count here */

static void report(int r) {
  if (result_fd >= 0) {
    char c = (char)r;
    ssize_t w;
    do
      w = write(result_fd, &c, 1);
    while (w < 0 && errno == EINTR);
  } else if (direct) {
    switch (r) {
    case R_PASS: direct->pass++; break;
    case R_FAIL: direct->fail++; break;
    default: direct->simd++; break;
    }
  }
}

static const char *cur_file; /* display name of the running .wast/.json */
/* Names may contain U+0000 (Core spec 2.5.10, names.wast does). cJSON's
 * strings are NUL-terminated, so before parsing every JSON escape \u0000 is
 * replaced by the byte 0xFF, which never occurs in UTF-8 text; names are
 * mapped back (0xFF -> 0) and looked up with wk_instance_export_n. */
#define NUL_STANDIN 0xff
static size_t hide_nuls(uint8_t *d, size_t len) {
  size_t o = 0;
  for (size_t i = 0; i < len;) {
    if (d[i] == '\\' && i + 1 < len && d[i + 1] == '\\') { /* an escaped backslash: copy both */
      d[o++] = d[i++];
      d[o++] = d[i++];
    } else if (d[i] == '\\' && i + 6 <= len && !memcmp(d + i, "\\u0000", 6)) {
      d[o++] = NUL_STANDIN;
      i += 6;
    } else {
      d[o++] = d[i++];
    }
  }
  return o;
}
/* Name from the JSON -> bytes (into buf, at most n) and length. */
static size_t name_bytes(const char *s, char *buf, size_t n) {
  size_t l = 0;
  for (; s[l] && l < n; l++) buf[l] = (uint8_t)s[l] == NUL_STANDIN ? 0 : s[l];
  return l;
}

static void failf(int line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void failf(int line, const char *fmt, ...) {
  if (verbose) {
    va_list ap;
    va_start(ap, fmt);
    printf("%s:%d: FAIL: ", cur_file, line);
    vprintf(fmt, ap);
    printf("\n");
    fflush(stdout);
    va_end(ap);
  }
  report(R_FAIL);
}

/* ---------------------------------------------------------------- values */

/* Externref n (spec `ref.extern n`) travels as the pointer n+1, so that
 * `ref.extern 0` is not the null reference. */
static void *extern_ptr(uint64_t n) { return (void *)(uintptr_t)(n + 1); }
/* The store of the run (GC: host values become anyrefs in it, results are classified by it). */
static wk_store *gc_store;
/* WK_ANYREF: the any hierarchy at the host boundary (interp.h); the names of its types */
#define WK_ANYREF_CODE 0x6e
static bool any_name(const char *s) {
  return s && (!strcmp(s, "anyref") || !strcmp(s, "eqref") || !strcmp(s, "i31ref") || !strcmp(s, "structref") ||
               !strcmp(s, "arrayref") || !strcmp(s, "nullref"));
}

static const char *valtype_name(int t) {
  switch (t) {
  case WK_I32: return "i32";
  case WK_I64: return "i64";
  case WK_F32: return "f32";
  case WK_F64: return "f64";
  case WK_V128: return "v128";
  case WK_FUNCREF: return "funcref";
  case WK_EXTERNREF: return "externref";
  case WK_EXNREF: return "exnref";
  case WK_ANYREF_CODE: return "anyref";
  }
  return "?";
}

static int valtype_of(const char *s) {
  if (!s) return -1;
  if (!strcmp(s, "i32")) return WK_I32;
  if (!strcmp(s, "i64")) return WK_I64;
  if (!strcmp(s, "f32")) return WK_F32;
  if (!strcmp(s, "f64")) return WK_F64;
  if (!strcmp(s, "v128")) return WK_V128;
  if (!strcmp(s, "funcref")) return WK_FUNCREF;
  if (!strcmp(s, "externref")) return WK_EXTERNREF;
  if (!strcmp(s, "exnref")) return WK_EXNREF;
  if (any_name(s)) return WK_ANYREF_CODE; /* (GC: the any hierarchy travels as anyref) */
  if (!strcmp(s, "nullfuncref")) return WK_FUNCREF;
  if (!strcmp(s, "nullexternref")) return WK_EXTERNREF;
  if (!strcmp(s, "nullexnref")) return WK_EXNREF;
  if (!strcmp(s, "ref")) return WK_REFNULL; /* wast2json-core.mjs: `(ref.null)` of no given type */
  return -1;
}

/* Parse a decimal (unsigned, as wast2json writes) bit pattern. */
static bool parse_u64(const char *s, uint64_t *out) {
  if (!s || !*s) return false;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || *end) return false;
  *out = v;
  return true;
}

static int lane_bits(const char *lt) {
  if (!lt) return 0;
  if (!strcmp(lt, "i8")) return 8;
  if (!strcmp(lt, "i16")) return 16;
  if (!strcmp(lt, "i32") || !strcmp(lt, "f32")) return 32;
  if (!strcmp(lt, "i64") || !strcmp(lt, "f64")) return 64;
  return 0;
}

static void put_lane(uint8_t *v, int bits, int i, uint64_t x) {
  for (int b = 0; b < bits / 8; b++) v[i * bits / 8 + b] = (uint8_t)(x >> (8 * b));
}
static uint64_t get_lane(const uint8_t *v, int bits, int i) {
  uint64_t x = 0;
  for (int b = 0; b < bits / 8; b++) x |= (uint64_t)v[i * bits / 8 + b] << (8 * b);
  return x;
}

/* A JSON argument -> wk_value. Returns false (with *why) if unreadable. */
static bool json_to_value(const cJSON *j, wk_value *v, const char **why) {
  memset(v, 0, sizeof *v);
  const char *ts = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "type"));
  int t = valtype_of(ts);
  const cJSON *val = cJSON_GetObjectItemCaseSensitive(j, "value");
  *why = "unreadable value";
  if (t < 0) return false;
  v->type = (uint8_t)t;
  uint64_t x;
  switch (t) {
  case WK_I32:
  case WK_F32:
    if (!parse_u64(cJSON_GetStringValue(val), &x)) return false;
    v->of.i32 = (int32_t)(uint32_t)x;
    return true;
  case WK_I64:
  case WK_F64:
    if (!parse_u64(cJSON_GetStringValue(val), &x)) return false;
    v->of.i64 = (int64_t)x;
    return true;
  case WK_V128: {
    int bits = lane_bits(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "lane_type")));
    if (!bits || !cJSON_IsArray(val) || cJSON_GetArraySize(val) != 128 / bits) return false;
    for (int i = 0; i < 128 / bits; i++) {
      if (!parse_u64(cJSON_GetStringValue(cJSON_GetArrayItem(val, i)), &x)) return false;
      put_lane(v->of.v128, bits, i, x);
    }
    return true;
  }
  default: {
    const char *s = cJSON_GetStringValue(val);
    if (!s) return false;
    if (!strcmp(s, "null")) {
      v->of.ref = NULL;
      return true;
    }
    if (t == WK_FUNCREF) { /* funcref arguments other than null cannot be written in wast */
      *why = "non-null funcref argument";
      return false;
    }
    if (!parse_u64(s, &x)) return false;
    if (t == WK_ANYREF_CODE) /* (ref.host n): the host value n as an anyref (any.convert_extern) */
      return gc_store && wk_anyref_of_host(gc_store, extern_ptr(x), v) == WK_OK;
    v->of.ref = extern_ptr(x);
    return true;
  }
  }
}

static void fmt_value(char *buf, size_t n, const wk_value *v) {
  switch (v->type) {
  case WK_I32: snprintf(buf, n, "i32:%" PRIu32, (uint32_t)v->of.i32); break;
  case WK_I64: snprintf(buf, n, "i64:%" PRIu64, (uint64_t)v->of.i64); break;
  case WK_F32: snprintf(buf, n, "f32:0x%08" PRIx32, v->of.f32); break;
  case WK_F64: snprintf(buf, n, "f64:0x%016" PRIx64, v->of.f64); break;
  case WK_V128: {
    int o = snprintf(buf, n, "v128:");
    for (int i = 0; i < 16 && o > 0 && (size_t)o < n; i++) o += snprintf(buf + o, n - (size_t)o, "%02x", v->of.v128[i]);
    break;
  }
  case WK_ANYREF_CODE:
    if (!v->of.ref) snprintf(buf, n, "anyref:null");
    else if (gc_store && wk_ref_kind(gc_store, v) == WK_REFKIND_I31) snprintf(buf, n, "i31:%" PRIu32, wk_i31_get_u(v));
    else snprintf(buf, n, "anyref:kind%d", gc_store ? wk_ref_kind(gc_store, v) : -1);
    break;
  case WK_FUNCREF:
  case WK_EXTERNREF:
    if (!v->of.ref) snprintf(buf, n, "%s:null", valtype_name(v->type));
    else if (v->type == WK_EXTERNREF) snprintf(buf, n, "externref:%" PRIuPTR, (uintptr_t)v->of.ref - 1);
    else snprintf(buf, n, "funcref:%p", v->of.ref);
    break;
  default: snprintf(buf, n, "type 0x%02x?", v->type);
  }
}

static void fmt_json(char *buf, size_t n, const cJSON *j) {
  char *s = cJSON_PrintUnformatted(j);
  snprintf(buf, n, "%s", s ? s : "?");
  free(s);
}

/* Core spec 4.3.3: canonical NaN = exponent all ones, payload exactly the
 * top mantissa bit; arithmetic NaN = exponent all ones, top bit set. Sign free. */
static bool nan_match(const char *kind, uint64_t bits, int width) {
  uint64_t expmask = width == 32 ? 0x7f800000u : 0x7ff0000000000000u;
  uint64_t quiet = width == 32 ? 0x00400000u : 0x0008000000000000u;
  uint64_t mant = width == 32 ? 0x007fffffu : 0x000fffffffffffffu;
  if ((bits & expmask) != expmask) return false;
  if (!strcmp(kind, "nan:canonical")) return (bits & mant) == quiet;
  return (bits & quiet) != 0; /* nan:arithmetic */
}

/* Does `got` match the expectation `j`? */
static bool value_matches(const cJSON *j, const wk_value *got, const char **why) {
  const char *ts = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "type"));
  int t = valtype_of(ts);
  const cJSON *val = cJSON_GetObjectItemCaseSensitive(j, "value");
  const char *s = cJSON_GetStringValue(val);
  *why = "value differs";
  if (t < 0) {
    *why = "unreadable expectation";
    return false;
  }
  if (t == WK_REFNULL && s && !strcmp(s, "null")) /* Core 3.0 scripts: (ref.null) = a null of any type */
    return (got->type == WK_FUNCREF || got->type == WK_EXTERNREF || got->type == WK_EXNREF ||
            got->type == WK_ANYREF_CODE) && !got->of.ref;
  if (t == WK_ANYREF_CODE && got->type == WK_ANYREF_CODE && gc_store) { /* GC: by kind */
    int k = wk_ref_kind(gc_store, got);
    if (s && !strcmp(s, "null")) return k == WK_REFKIND_NULL;
    if (!strcmp(ts, "nullref")) return k == WK_REFKIND_NULL;
    if (!strcmp(ts, "i31ref")) return k == WK_REFKIND_I31;
    if (!strcmp(ts, "structref")) return k == WK_REFKIND_STRUCT;
    if (!strcmp(ts, "arrayref")) return k == WK_REFKIND_ARRAY;
    if (!strcmp(ts, "eqref")) return k == WK_REFKIND_I31 || k == WK_REFKIND_STRUCT || k == WK_REFKIND_ARRAY;
    if (!s) return k != WK_REFKIND_NULL; /* (ref.any) */
    wk_value e;
    uint64_t hx;
    return k == WK_REFKIND_HOST && parse_u64(s, &hx) && wk_extern_of_anyref(gc_store, got, &e) == WK_OK &&
           e.of.ref == extern_ptr(hx); /* (ref.host n) */
  }
  if (got->type != t) {
    *why = "result type differs";
    return false;
  }
  uint64_t x;
  switch (t) {
  case WK_I32: return parse_u64(s, &x) && (uint32_t)got->of.i32 == (uint32_t)x;
  case WK_I64: return parse_u64(s, &x) && (uint64_t)got->of.i64 == x;
  case WK_F32:
    if (s && !strncmp(s, "nan:", 4)) return nan_match(s, got->of.f32, 32);
    return parse_u64(s, &x) && got->of.f32 == (uint32_t)x;
  case WK_F64:
    if (s && !strncmp(s, "nan:", 4)) return nan_match(s, got->of.f64, 64);
    return parse_u64(s, &x) && got->of.f64 == x;
  case WK_V128: {
    const char *lt = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "lane_type"));
    int bits = lane_bits(lt);
    if (!bits || !cJSON_IsArray(val) || cJSON_GetArraySize(val) != 128 / bits) {
      *why = "unreadable expectation";
      return false;
    }
    for (int i = 0; i < 128 / bits; i++) {
      const char *ls = cJSON_GetStringValue(cJSON_GetArrayItem(val, i));
      uint64_t lane = get_lane(got->of.v128, bits, i);
      if (ls && !strncmp(ls, "nan:", 4) && lt[0] == 'f') {
        if (!nan_match(ls, lane, bits)) return false;
      } else if (!parse_u64(ls, &x) || x != lane) {
        return false;
      }
    }
    return true;
  }
  default:
    if (!s) return got->of.ref != NULL; /* (ref.func) / (ref.extern): any non-null */
    if (!strcmp(s, "null")) return got->of.ref == NULL;
    if (t == WK_FUNCREF) return got->of.ref != NULL;
    return parse_u64(s, &x) && got->of.ref == extern_ptr(x);
  }
}

/* ---------------------------------------------------------------- spectest */

static int host_nop(wk_caller *c, void *env, const wk_value *args, wk_value *results) {
  (void)c, (void)env, (void)args, (void)results;
  return 0;
}

/* The `spectest` module of the reference interpreter
 * (WebAssembly/spec interpreter/host/spectest.ml). */
static bool define_spectest(wk_store *s, wk_linker *l, wk_error *err) {
  static const uint8_t p_i32[] = {WK_I32}, p_i64[] = {WK_I64}, p_f32[] = {WK_F32}, p_f64[] = {WK_F64};
  static const uint8_t p_i32_f32[] = {WK_I32, WK_F32}, p_f64_f64[] = {WK_F64, WK_F64};
  static const struct {
    const char *name;
    uint32_t n;
    const uint8_t *p;
  } fns[] = {
      {"print", 0, NULL},          {"print_i32", 1, p_i32},         {"print_i64", 1, p_i64},
      {"print_f32", 1, p_f32},     {"print_f64", 1, p_f64},         {"print_i32_f32", 2, p_i32_f32},
      {"print_f64_f64", 2, p_f64_f64},
  };
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    wk_core_functype ft = {fns[i].n, 0, fns[i].p, NULL, NULL};
    if (wk_linker_define_func(l, "spectest", fns[i].name, &ft, host_nop, NULL, err) != WK_OK) return false;
  }
  float f32 = 666.6f;
  double f64 = 666.6;
  wk_value g[4];
  memset(g, 0, sizeof g);
  g[0].type = WK_I32, g[0].of.i32 = 666;
  g[1].type = WK_I64, g[1].of.i64 = 666;
  g[2].type = WK_F32, memcpy(&g[2].of.f32, &f32, 4);
  g[3].type = WK_F64, memcpy(&g[3].of.f64, &f64, 8);
  static const char *gnames[] = {"global_i32", "global_i64", "global_f32", "global_f64"};
  for (int i = 0; i < 4; i++) {
    wk_extern ext = {.kind = WK_EXTERN_GLOBAL};
    ext.of.global = wk_global_new(s, g[i], 0);
    if (!ext.of.global || wk_linker_define(l, "spectest", gnames[i], ext, err) != WK_OK) return false;
  }
  wk_extern t = {.kind = WK_EXTERN_TABLE};
  t.of.table = wk_table_new(s, WK_FUNCREF, 10, 20, 1);
  if (!t.of.table || wk_linker_define(l, "spectest", "table", t, err) != WK_OK) return false;
  /* Core 3.0 spectest.ml: "table64", the same table with an i64 address type (when memory64 is on) */
  if (opt_features & WK_FEAT_MEMORY64) {
    wk_extern t64 = {.kind = WK_EXTERN_TABLE};
    t64.of.table = wk_table_new_ex(s, WK_FUNCREF, 10, 20, 1, 1);
    if (!t64.of.table || wk_linker_define(l, "spectest", "table64", t64, err) != WK_OK) return false;
  }
  wk_extern m = {.kind = WK_EXTERN_MEMORY};
  m.of.memory = wk_memory_new(s, 1, 2, 1);
  if (!m.of.memory || wk_linker_define(l, "spectest", "memory", m, err) != WK_OK) return false;
  return true;
}

/* ---------------------------------------------------------------- one file */

typedef struct named {
  char *name;
  wk_instance *inst;
} named;

typedef struct ctx {
  const char *dir; /* directory holding the module files */
  wk_engine *engine;
  wk_store *store;
  wk_linker *linker;
  wk_instance *current;
  named *names;
  size_t nnames;
  wk_module **mods;
  size_t nmods;
  named *defs;     /* Core 3.0 scripts: module definitions by name (inst: unused), for module_instance */
  size_t ndefs;
  wk_module *last_def; /* the most recently defined module (module or module_definition) */
  bool simd_file;
  bool setup_ok;
} ctx;

static volatile sig_atomic_t alarm_fired;
static wk_store *volatile alarm_store;
static void on_alarm(int sig) {
  (void)sig;
  alarm_fired = 1;
  if (alarm_store) wk_store_interrupt(alarm_store);
}

static const char *errname(int code) {
  switch (code) {
  case WK_OK: return "ok";
  case WK_ERR_MALFORMED: return "malformed";
  case WK_ERR_INVALID: return "invalid";
  case WK_ERR_IO: return "io";
  case WK_ERR_NOMEM: return "nomem";
  case WK_ERR_UNSUPPORTED: return "unsupported";
  case WK_ERR_LINK: return "link";
  case WK_ERR_TRAP: return "trap";
  case WK_ERR_USAGE: return "usage";
  case WK_ERR_VERIFY: return "verify";
  }
  return "?";
}

/* A text module (.wat from `module quote`): parse it with wk_wat_to_binary.
 * For assert_malformed the parse must fail (returns its WK_ERR_MALFORMED);
 * WK_ERR_USAGE with a message when it parses. Otherwise the binary is
 * compiled like a module file (WK_ERR_USAGE when the text does not parse). */
static int load_text_module(ctx *c, const cJSON *cmd, int expect_malformed, wk_module **out, wk_error *err) {
  const char *fn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cmd, "filename"));
  *out = NULL;
  wk_error_clear(err);
  if (!fn) return wk_error_set(err, WK_ERR_IO, "command has no filename");
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", c->dir, fn);
  uint8_t *text;
  size_t len;
  if (wk_read_file(path, &text, &len, err) != WK_OK) return err->code ? err->code : WK_ERR_IO;
  wk_buf bin = {0};
  /* WebAssembly 2.0 (no --features): the 2.0 text format (u32 limits, which its
   * assert_malformed cases test); with 3.0 features, the 3.0 text (u64 limits) */
  int rc = wk_wat_to_binary_ex((const char *)text, len, opt_features ? 0 : WK_WAT_CORE2, &bin, err);
  free(text);
  if (rc == WK_OK && expect_malformed) {
    wk_buf_free(&bin);
    return wk_error_set(err, WK_ERR_USAGE, "the text parser accepted malformed text");
  }
  if (rc != WK_OK && !expect_malformed) {
    wk_buf_free(&bin);
    char msg[420]; /* (err->msg is the destination too) */
    snprintf(msg, sizeof msg, "%.400s", err->msg);
    return wk_error_set(err, WK_ERR_USAGE, "the text does not parse: %d:%d: %s", err->line, err->col, msg);
  }
  if (rc == WK_OK) {
    rc = wk_module_new(c->engine, bin.data, bin.len, out, err);
    if (rc == WK_OK) wk_module_free(*out), *out = NULL; /* compiled: the caller only needs the code */
  }
  wk_buf_free(&bin);
  return rc;
}

/* Load and compile a module file. Returns the engine's code (WK_ERR_IO if the
 * file cannot be read). The module is kept alive in c->mods until the end. */
static int load_module(ctx *c, const cJSON *cmd, wk_module **out, wk_error *err) {
  const char *fn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cmd, "filename"));
  *out = NULL;
  wk_error_clear(err);
  if (!fn) return wk_error_set(err, WK_ERR_IO, "command has no filename");
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", c->dir, fn);
  uint8_t *bytes;
  size_t len;
  if (wk_read_file(path, &bytes, &len, err) != WK_OK) return err->code ? err->code : WK_ERR_IO;
  int rc = wk_module_new_ex(c->engine, bytes, len, opt_cache ? WK_MODULE_CACHE_ANY_SIZE : 0, out, err);
  size_t coded = wk_cache_code_bytes(bytes, len) > 0;
  free(bytes);
  if (rc == WK_OK && *out) {
    cache_loads++;
    cache_coded += coded;
    cache_hits += (size_t)wk_module_from_cache(*out);
    wk_module **m = realloc(c->mods, (c->nmods + 1) * sizeof *m);
    if (!m) {
      wk_module_free(*out);
      *out = NULL;
      return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    }
    c->mods = m;
    c->mods[c->nmods++] = *out;
  } else if (rc == WK_OK) {
    rc = wk_error_set(err, WK_ERR_USAGE, "wk_module_new returned OK without a module");
  }
  return rc;
}

static wk_instance *find_instance(ctx *c, const char *name) {
  if (!name) return c->current;
  for (size_t i = c->nnames; i-- > 0;)
    if (!strcmp(c->names[i].name, name)) return c->names[i].inst;
  return NULL;
}

static void set_name(ctx *c, const char *name, wk_instance *inst) {
  named *n = realloc(c->names, (c->nnames + 1) * sizeof *n);
  if (!n) return;
  c->names = n;
  c->names[c->nnames].name = strdup(name);
  c->names[c->nnames].inst = inst;
  if (c->names[c->nnames].name) c->nnames++;
}

/* Remember module `m` under `name` (may be NULL) for module_instance: the spec interpreter's
 * `(module $M ...)` and `(module definition $M ...)` both define module $M (README.md "Scripts"). */
static void define_module(ctx *c, const char *name, wk_module *m) {
  c->last_def = m;
  if (!name) return;
  named *n = realloc(c->defs, (c->ndefs + 1) * sizeof *n);
  if (!n) return;
  c->defs = n;
  c->defs[c->ndefs].name = strdup(name);
  c->defs[c->ndefs].inst = (wk_instance *)(void *)m; /* (the slot holds the module) */
  if (c->defs[c->ndefs].name) c->ndefs++;
}

static wk_module *find_module(ctx *c, const char *name) {
  if (!name) return c->last_def;
  for (size_t i = c->ndefs; i-- > 0;)
    if (!strcmp(c->defs[i].name, name)) return (wk_module *)(void *)c->defs[i].inst;
  return NULL;
}

/* Run an action. Returns WK_OK (results in res[*nres]), WK_ERR_TRAP (*trap),
 * or another code with *why describing a runner-side/usage problem. */
static int do_action(ctx *c, const cJSON *act, wk_value *res, size_t maxres, size_t *nres, wk_trap **trap,
                     const char **why, char *whybuf, size_t whylen) {
  *trap = NULL;
  *nres = 0;
  const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(act, "type"));
  const char *mod = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(act, "module"));
  const char *field = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(act, "field"));
  wk_instance *inst = find_instance(c, mod);
  if (!type || !field) {
    *why = "unreadable action";
    return WK_ERR_USAGE;
  }
  if (!inst) {
    snprintf(whybuf, whylen, "no instance %s (an earlier module command failed?)", mod ? mod : "(current)");
    *why = whybuf;
    return WK_ERR_USAGE;
  }
  wk_extern ext;
  memset(&ext, 0, sizeof ext);
  char nb[1024];
  size_t nl = name_bytes(field, nb, sizeof nb);
  if (wk_instance_export_n(inst, nb, nl, &ext) != WK_OK) {
    snprintf(whybuf, whylen, "no export \"%s\"", field);
    *why = whybuf;
    return WK_ERR_USAGE;
  }
  if (!strcmp(type, "get")) {
    if (ext.kind != WK_EXTERN_GLOBAL || !ext.of.global) {
      snprintf(whybuf, whylen, "export \"%s\" is not a global", field);
      *why = whybuf;
      return WK_ERR_USAGE;
    }
    res[0] = wk_global_get(ext.of.global);
    *nres = 1;
    return WK_OK;
  }
  if (strcmp(type, "invoke") != 0) {
    *why = "unknown action type";
    return WK_ERR_USAGE;
  }
  if (ext.kind != WK_EXTERN_FUNC || !ext.of.func) {
    snprintf(whybuf, whylen, "export \"%s\" is not a function", field);
    *why = whybuf;
    return WK_ERR_USAGE;
  }
  const cJSON *args = cJSON_GetObjectItemCaseSensitive(act, "args");
  int na = cJSON_GetArraySize(args);
  wk_value argv[64];
  if (na > 64) {
    *why = "too many arguments";
    return WK_ERR_USAGE;
  }
  for (int i = 0; i < na; i++)
    if (!json_to_value(cJSON_GetArrayItem(args, i), &argv[i], why)) return WK_ERR_USAGE;
  wk_core_functype ft = wk_func_type(ext.of.func);
  if (ft.nresults > maxres) {
    *why = "too many results";
    return WK_ERR_USAGE;
  }
  alarm_fired = 0;
  alarm_store = c->store;
  if (!no_fork) alarm(cmd_timeout_s);
  int rc = wk_func_call(c->store, ext.of.func, argv, (size_t)na, res, ft.nresults, trap);
  if (!no_fork) alarm(0);
  alarm_store = NULL;
  if (rc == WK_OK) *nres = ft.nresults;
  else if (rc != WK_ERR_TRAP) {
    snprintf(whybuf, whylen, "wk_func_call returned %s", errname(rc));
    *why = whybuf;
  } else if (!*trap) {
    *why = "wk_func_call returned a trap code without a trap";
    rc = WK_ERR_USAGE;
  }
  return rc;
}

static const char *action_desc(const cJSON *cmd, char *buf, size_t n) {
  const cJSON *act = cJSON_GetObjectItemCaseSensitive(cmd, "action");
  const char *field = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(act, "field"));
  const char *mod = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(act, "module"));
  char args[200];
  fmt_json(args, sizeof args, cJSON_GetObjectItemCaseSensitive(act, "args"));
  char shown[300];
  size_t o = 0;
  for (const char *p = field ? field : "?"; *p && o + 8 < sizeof shown; p++) {
    if ((uint8_t)*p == NUL_STANDIN) o += (size_t)snprintf(shown + o, sizeof shown - o, "\\u0000");
    else shown[o++] = *p;
  }
  shown[o] = 0;
  snprintf(buf, n, "%s%s\"%s\" %s", mod ? mod : "", mod ? " " : "", shown, args);
  return buf;
}

/* Instantiate a compiled module in the file's store. */
static int instantiate(ctx *c, wk_module *m, wk_instance **inst, wk_trap **trap, wk_error *err) {
  *inst = NULL;
  *trap = NULL;
  wk_error_clear(err);
  alarm_fired = 0;
  alarm_store = c->store;
  if (!no_fork) alarm(cmd_timeout_s);
  int rc = wk_linker_instantiate(c->linker, m, inst, trap, err);
  if (!no_fork) alarm(0);
  alarm_store = NULL;
  return rc;
}

static bool starts_with(const char *s, const char *prefix) {
  return s && prefix && strncmp(s, prefix, strlen(prefix)) == 0;
}

static void run_command(ctx *c, const cJSON *cmd) {
  const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cmd, "type"));
  const cJSON *lj = cJSON_GetObjectItemCaseSensitive(cmd, "line");
  int line = cJSON_IsNumber(lj) ? lj->valueint : 0;
  const char *text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cmd, "text"));
  const char *mtype = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cmd, "module_type"));
  wk_error err;
  wk_error_clear(&err);
  char why[600], d[1024];

  if (!type) {
    failf(line, "command without a type");
    return;
  }
  if (!c->setup_ok) {
    failf(line, "%s: engine/store/spectest setup failed", type);
    return;
  }

  /* ---- validation / decoding: in scope everywhere ---- */
  if (!strcmp(type, "assert_invalid") || !strcmp(type, "assert_malformed")) {
    wk_module *m;
    int rc;
    if (mtype && !strcmp(mtype, "text")) {
      rc = load_text_module(c, cmd, !strcmp(type, "assert_malformed"), &m, &err);
      if (rc == WK_ERR_USAGE) {
        failf(line, "%s: %s", type, err.msg);
        return;
      }
    } else {
      rc = load_module(c, cmd, &m, &err);
    }
    if (rc == WK_ERR_INVALID || rc == WK_ERR_MALFORMED) {
      report(R_PASS);
    } else if (rc == WK_OK) {
      failf(line, "%s: module compiled, expected \"%s\"", type, text ? text : "");
    } else {
      failf(line, "%s: expected \"%s\", got %s error: %s", type, text ? text : "", errname(rc), err.msg);
    }
    return;
  }

  if (!strcmp(type, "module")) {
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cmd, "name"));
    wk_module *m;
    int rc = load_module(c, cmd, &m, &err);
    c->current = NULL; /* the spec runner: a failed module leaves no current one */
    if (rc != WK_OK) {
      failf(line, "module: compile failed: %s: %s (offset %" PRIu64 ")", errname(rc), err.msg, err.offset);
      return;
    }
    wk_instance *inst;
    wk_trap *trap;
    rc = instantiate(c, m, &inst, &trap, &err);
    if (rc != WK_OK || !inst) {
      if (trap) failf(line, "module: instantiation trapped: %s", wk_trap_message(trap));
      else failf(line, "module: instantiation failed: %s: %s", errname(rc), err.msg);
      if (trap) wk_trap_free(trap);
      return;
    }
    c->current = inst;
    if (name) set_name(c, name, inst);
    define_module(c, name, m);
    report(R_PASS);
    return;
  }

  /* Core 3.0 scripts (wast-json): `(module definition $M ...)` is compiled (decoded,
   * validated), not instantiated; `(module instance $I $M)` instantiates $M (the last
   * defined module when absent) as a new instance (instantiation is generative). */
  if (!strcmp(type, "module_definition")) {
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cmd, "name"));
    wk_module *m;
    int rc = load_module(c, cmd, &m, &err);
    if (rc != WK_OK) {
      failf(line, "module_definition: compile failed: %s: %s (offset %" PRIu64 ")", errname(rc), err.msg, err.offset);
      return;
    }
    define_module(c, name, m);
    report(R_PASS);
    return;
  }
  if (!strcmp(type, "module_instance")) {
    const char *iname = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cmd, "instance"));
    const char *mname = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cmd, "module"));
    wk_module *m = find_module(c, mname);
    c->current = NULL;
    if (!m) {
      failf(line, "module_instance: no module %s (an earlier module command failed?)", mname ? mname : "(last)");
      return;
    }
    wk_instance *inst;
    wk_trap *trap;
    int rc = instantiate(c, m, &inst, &trap, &err);
    if (rc != WK_OK || !inst) {
      if (trap) failf(line, "module_instance: instantiation trapped: %s", wk_trap_message(trap));
      else failf(line, "module_instance: instantiation failed: %s: %s", errname(rc), err.msg);
      if (trap) wk_trap_free(trap);
      return;
    }
    c->current = inst;
    if (iname) set_name(c, iname, inst);
    report(R_PASS);
    return;
  }

  if (!strcmp(type, "register")) {
    const char *as = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cmd, "as"));
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cmd, "name"));
    wk_instance *inst = find_instance(c, name);
    if (!inst || !as) {
      failf(line, "register: no instance %s", name ? name : "(current)");
      return;
    }
    int rc = wk_linker_define_instance(c->linker, as, inst, &err);
    if (rc != WK_OK) failf(line, "register \"%s\": %s: %s", as, errname(rc), err.msg);
    else report(R_PASS);
    return;
  }

  if (!strcmp(type, "action") || !strcmp(type, "assert_return") || !strcmp(type, "assert_trap") ||
      !strcmp(type, "assert_exhaustion") || !strcmp(type, "assert_exception")) {
    const cJSON *act = cJSON_GetObjectItemCaseSensitive(cmd, "action");
    wk_value res[64];
    memset(res, 0, sizeof res);
    size_t nres = 0;
    wk_trap *trap = NULL;
    const char *w = NULL;
    int rc = do_action(c, act, res, 64, &nres, &trap, &w, why, sizeof why);
    action_desc(cmd, d, sizeof d);
    if (rc != WK_OK && rc != WK_ERR_TRAP) {
      failf(line, "%s %s: %s", type, d, w ? w : "runner error");
      return;
    }
    if (!strcmp(type, "action")) {
      if (trap) failf(line, "action %s: trapped: %s", d, wk_trap_message(trap));
      else report(R_PASS);
    } else if (!strcmp(type, "assert_return")) {
      if (trap) {
        failf(line, "assert_return %s: trapped: %s%s", d, wk_trap_message(trap),
              alarm_fired ? " (runner timeout)" : "");
      } else {
        const cJSON *exp = cJSON_GetObjectItemCaseSensitive(cmd, "expected");
        const cJSON *either = cJSON_GetObjectItemCaseSensitive(cmd, "either");
        int ne = cJSON_GetArraySize(exp);
        bool ok = (size_t)ne == nres;
        const char *vw = "result count differs";
        int bad = -1;
        if (either && !exp) { /* (either v1 v2 ...): one result, any of the values (relaxed SIMD) */
          exp = either;
          ok = nres == 1;
          bool any = false;
          const cJSON *alt;
          cJSON_ArrayForEach(alt, either) if (ok && value_matches(alt, &res[0], &vw)) any = true;
          if (ok && !any) ok = false, bad = 0, vw = "none of the either values";
        } else
        for (int i = 0; ok && i < ne; i++)
          if (!value_matches(cJSON_GetArrayItem(exp, i), &res[i], &vw)) ok = false, bad = i;
        if (ok) {
          report(R_PASS);
        } else {
          char e[300], g[300] = "";
          fmt_json(e, sizeof e, exp);
          int o = 0;
          for (size_t i = 0; i < nres && o >= 0 && (size_t)o < sizeof g; i++) {
            char one[80];
            fmt_value(one, sizeof one, &res[i]);
            o += snprintf(g + o, sizeof g - (size_t)o, "%s%s", i ? " " : "", one);
          }
          char at[32] = "";
          if (bad >= 0) snprintf(at, sizeof at, " at result %d", bad);
          failf(line, "assert_return %s: %s%s: expected %s, got [%s]", d, vw, at, e, g);
        }
      }
    } else if (!strcmp(type, "assert_exception")) { /* Core 3.0: an uncaught wasm exception */
      if (!trap) failf(line, "assert_exception %s: returned, expected an exception", d);
      else if (wk_trap_code_of(trap) != WK_TRAP_EXCEPTION)
        failf(line, "assert_exception %s: trapped \"%s\", expected an exception", d, wk_trap_message(trap));
      else report(R_PASS);
    } else { /* assert_trap / assert_exhaustion */
      if (!trap) {
        failf(line, "%s %s: returned, expected trap \"%s\"", type, d, text ? text : "");
      } else {
        const char *msg = wk_trap_message(trap);
        bool ok = starts_with(msg, text);
        if (!strcmp(type, "assert_exhaustion") && wk_trap_code_of(trap) != WK_TRAP_STACK_EXHAUSTED) ok = false;
        if (wk_trap_code_of(trap) == WK_TRAP_EXCEPTION) ok = false; /* an exception is not a trap */
        if (ok) report(R_PASS);
        else failf(line, "%s %s: trapped \"%s\", expected \"%s\"", type, d, msg ? msg : "(null)", text ? text : "");
      }
    }
    if (trap) wk_trap_free(trap);
    return;
  }

  if (!strcmp(type, "assert_unlinkable") || !strcmp(type, "assert_uninstantiable")) {
    wk_module *m;
    int rc = load_module(c, cmd, &m, &err);
    if (rc != WK_OK) {
      failf(line, "%s: module failed to compile: %s: %s", type, errname(rc), err.msg);
      return;
    }
    wk_instance *inst;
    wk_trap *trap;
    rc = instantiate(c, m, &inst, &trap, &err);
    bool unl = !strcmp(type, "assert_unlinkable");
    if (unl) {
      if (rc == WK_ERR_LINK) report(R_PASS);
      else failf(line, "assert_unlinkable: expected link error \"%s\", got %s %s", text ? text : "", errname(rc),
                 trap ? wk_trap_message(trap) : err.msg);
    } else {
      if (rc == WK_ERR_TRAP && trap && starts_with(wk_trap_message(trap), text)) report(R_PASS);
      else failf(line, "assert_uninstantiable: expected trap \"%s\", got %s %s", text ? text : "", errname(rc),
                 trap ? wk_trap_message(trap) : err.msg);
    }
    if (trap) wk_trap_free(trap);
    return;
  }

  failf(line, "unknown command type \"%s\"", type);
}

static void run_file(const char *json_path, cJSON *root, const char *display) {
  ctx c;
  memset(&c, 0, sizeof c);
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", json_path);
  char *slash = strrchr(dir, '/');
  if (slash) *slash = 0;
  else snprintf(dir, sizeof dir, ".");
  c.dir = dir;
  cur_file = display;
  const char *base = strrchr(display, '/');
  base = base ? base + 1 : display;
  c.simd_file = strncmp(base, "simd_", 5) == 0;

  wk_error err;
  wk_error_clear(&err);
  wk_config cfg;
  wk_config_default(&cfg);
  cfg.guard_pages = !opt_checked;
  cfg.eager_translation = opt_eager;
  cfg.features = opt_features;
  if (opt_max_memory) cfg.max_memory_bytes = opt_max_memory;
  if (opt_cache) cfg.cache_dir = opt_cache;
  cache_hits = cache_loads = cache_coded = 0;
  c.engine = wk_engine_new(&cfg);
  c.store = c.engine ? wk_store_new(c.engine) : NULL;
  gc_store = c.store;
  c.linker = c.store ? wk_linker_new(c.store) : NULL;
  c.setup_ok = c.linker && define_spectest(c.store, c.linker, &err);
  if (!c.setup_ok && verbose) printf("%s: setup failed: %s\n", display, err.msg);

  const cJSON *cmds = cJSON_GetObjectItemCaseSensitive(root, "commands");
  const cJSON *cmd;
  cJSON_ArrayForEach(cmd, cmds) run_command(&c, cmd);
  if (opt_cache && verbose)
    printf("%s: cache: %zu of %zu modules loaded from the cache (%zu with code)\n", display, cache_hits, cache_loads,
           cache_coded);

  if (c.linker) wk_linker_free(c.linker);
  if (c.store) wk_store_free(c.store);
  for (size_t i = 0; i < c.nmods; i++) wk_module_free(c.mods[i]);
  free(c.mods);
  for (size_t i = 0; i < c.nnames; i++) free(c.names[i].name);
  free(c.names);
  for (size_t i = 0; i < c.ndefs; i++) free(c.defs[i].name);
  free(c.defs);
  if (c.engine) wk_engine_free(c.engine);
}

/* ---------------------------------------------------------------- driver */

typedef struct group {
  const char *label;
  counts n;
  int files;
} group;

static group g_nonsimd = {"non-SIMD files", {0, 0, 0}, 0};
static group g_simd = {"SIMD files", {0, 0, 0}, 0};
static counts total;

static void add(counts *a, const counts *b) {
  a->pass += b->pass, a->fail += b->fail, a->simd += b->simd;
}

static void print_counts(const char *label, const counts *n) {
  printf("%s: %" PRIu64 " passed, %" PRIu64 " failed, %" PRIu64 " skipped", label, n->pass, n->fail,
         n->simd);
  if (n->simd) printf(" (SIMD execution, later issue)");
  printf("\n");
}

static void do_json(const char *path) {
  char display[4096];
  /* Show NAME.wast when the JSON names its source. */
  snprintf(display, sizeof display, "%s", path);
  counts n = {0, 0, 0};
  uint8_t *data = NULL;
  size_t len = 0;
  wk_error err;
  cJSON *root = NULL;
  if (wk_read_file(path, &data, &len, &err) == WK_OK) {
    len = hide_nuls(data, len);
    root = cJSON_ParseWithLength((const char *)data, len);
  }
  free(data);
  const cJSON *cmds = root ? cJSON_GetObjectItemCaseSensitive(root, "commands") : NULL;
  if (!cJSON_IsArray(cmds)) {
    printf("%s: cannot read command list\n", path);
    n.fail = 1;
    goto done;
  }
  const char *src = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(root, "source_filename"));
  if (src) {
    const char *b = strrchr(src, '/');
    snprintf(display, sizeof display, "%s", b ? b + 1 : src);
  }
  int ncmds = cJSON_GetArraySize(cmds);

  if (no_fork) {
    direct = &n;
    run_file(path, root, display);
    direct = NULL;
  } else {
    int fds[2];
    fflush(stdout);
    if (pipe(fds) != 0) {
      printf("%s: pipe: %s\n", display, strerror(errno));
      n.fail = (uint64_t)ncmds;
      goto done;
    }
    pid_t pid = fork();
    if (pid < 0) {
      printf("%s: fork: %s\n", display, strerror(errno));
      close(fds[0]), close(fds[1]);
      n.fail = (uint64_t)ncmds;
      goto done;
    }
    if (pid == 0) {
      close(fds[0]);
      result_fd = fds[1];
      struct sigaction sa;
      memset(&sa, 0, sizeof sa);
      sa.sa_handler = on_alarm;
      sigaction(SIGALRM, &sa, NULL);
      run_file(path, root, display);
      fflush(stdout);
      _exit(0);
    }
    close(fds[1]);
    int got = 0;
    bool killed = false;
    for (;;) {
      struct pollfd p = {fds[0], POLLIN, 0};
      int pr = poll(&p, 1, (int)watchdog_s * 1000);
      if (pr < 0 && errno == EINTR) continue;
      if (pr == 0) {
        kill(pid, SIGKILL);
        killed = true;
        break;
      }
      char buf[4096];
      ssize_t r = read(fds[0], buf, sizeof buf);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      for (ssize_t i = 0; i < r; i++) {
        got++;
        switch (buf[i]) {
        case R_PASS: n.pass++; break;
        case R_SIMD: n.simd++; break;
        default: n.fail++; break;
        }
      }
    }
    close(fds[0]);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    if (got < ncmds) {
      printf("%s: runner child %s after %d of %d commands; the remaining %d count as failed\n", display,
             killed ? "hung (killed by the watchdog)"
             : WIFSIGNALED(st) ? strsignal(WTERMSIG(st))
                               : "exited early",
             got, ncmds, ncmds - got);
      n.fail += (uint64_t)(ncmds - got);
    }
  }
done:
  print_counts(display, &n);
  fflush(stdout);
  bool simd = strncmp(display, "simd_", 5) == 0;
  group *g = simd ? &g_simd : &g_nonsimd;
  g->files++;
  add(&g->n, &n);
  add(&total, &n);
  cJSON_Delete(root);
}

static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Collect *.json under `path` (recursively), sorted. */
static void collect(const char *path, char ***list, size_t *n) {
  struct stat st;
  if (stat(path, &st) != 0) {
    printf("%s: %s\n", path, strerror(errno));
    total.fail++;
    g_nonsimd.n.fail++;
    return;
  }
  if (!S_ISDIR(st.st_mode)) {
    char **l = realloc(*list, (*n + 1) * sizeof *l);
    if (!l) return;
    *list = l;
    (*list)[(*n)++] = strdup(path);
    return;
  }
  DIR *d = opendir(path);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
    size_t L = strlen(e->d_name);
    struct stat s2;
    if (stat(sub, &s2) != 0) continue;
    if (S_ISDIR(s2.st_mode) || (L > 5 && !strcmp(e->d_name + L - 5, ".json"))) collect(sub, list, n);
  }
  closedir(d);
}

int main(int argc, char **argv) {
  char **files = NULL;
  size_t nfiles = 0;
  int nargs = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v")) verbose++;
    else if (!strcmp(argv[i], "--no-fork")) no_fork = 1;
    else if (!strcmp(argv[i], "--checked")) opt_checked = 1; /* explicit bounds checks, no guard pages */
    else if (!strcmp(argv[i], "--eager")) opt_eager = 1;     /* translate every function up front */
    else if (!strncmp(argv[i], "--timeout=", 10) && atoi(argv[i] + 10) > 0) {
      cmd_timeout_s = (unsigned)atoi(argv[i] + 10);
      watchdog_s = 3 * cmd_timeout_s;
    }
    else if (!strncmp(argv[i], "--cache=", 8) && argv[i][8]) opt_cache = argv[i] + 8;
    else if (!strncmp(argv[i], "--max-memory=", 13) && strtoull(argv[i] + 13, NULL, 10) > 0)
      opt_max_memory = strtoull(argv[i] + 13, NULL, 10);
    else if (!strncmp(argv[i], "--features=", 11)) {
      char buf[256];
      snprintf(buf, sizeof buf, "%s", argv[i] + 11);
      for (char *t = strtok(buf, ","); t; t = strtok(NULL, ",")) {
        if (!strcmp(t, "all")) opt_features |= WK_INTERP_FEATURES;
        else if (!strcmp(t, "tail-call")) opt_features |= WK_FEAT_TAIL_CALL;
        else if (!strcmp(t, "extended-const")) opt_features |= WK_FEAT_EXTENDED_CONST;
        else if (!strcmp(t, "relaxed-simd")) opt_features |= WK_FEAT_RELAXED_SIMD;
        else if (!strcmp(t, "multi-memory")) opt_features |= WK_FEAT_MULTI_MEMORY;
        else if (!strcmp(t, "memory64") || !strcmp(t, "table64")) opt_features |= WK_FEAT_MEMORY64;
        else if (!strcmp(t, "exceptions")) opt_features |= WK_FEAT_EXCEPTIONS;
        else if (!strcmp(t, "legacy-exceptions")) opt_features |= WK_FEAT_LEGACY_EXCEPTIONS;
        else if (!strcmp(t, "function-references")) opt_features |= WK_FEAT_FUNCTION_REFERENCES;
        else if (!strcmp(t, "gc")) opt_features |= WK_FEAT_GC | WK_FEAT_FUNCTION_REFERENCES;
        else if (strcmp(t, "none")) {
          fprintf(stderr, "spec-runner: error: unknown feature %s\n", t);
          return 2;
        }
      }
    }
    else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      printf("usage: spec-runner [--verbose] [--no-fork] [--timeout=SECONDS] [--checked] [--eager] [--cache=DIR] "
             "[--features=LIST] DIR_OR_JSON...\n");
      return 0;
    } else if (argv[i][0] == '-') {
      fprintf(stderr, "spec-runner: error: unknown option %s\n", argv[i]);
      return 2;
    } else {
      size_t before = nfiles;
      collect(argv[i], &files, &nfiles);
      qsort(files + before, nfiles - before, sizeof *files, cmpstr);
      nargs++;
    }
  }
  if (!nargs) {
    fprintf(stderr, "usage: spec-runner [--verbose] [--no-fork] [--checked] [--eager] [--timeout=SECONDS] DIR_OR_JSON...\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  for (size_t i = 0; i < nfiles; i++) {
    do_json(files[i]);
    free(files[i]);
  }
  free(files);
  printf("\n");
  printf("files: %d non-SIMD, %d SIMD\n", g_nonsimd.files, g_simd.files);
  print_counts(g_nonsimd.label, &g_nonsimd.n);
  print_counts(g_simd.label, &g_simd.n);
  print_counts("total", &total);
  printf("%" PRIu64 " passed, %" PRIu64 " failed, %" PRIu64 " skipped\n", total.pass, total.fail,
         total.simd);
  return total.fail ? 1 : 0;
}
