/*
 * comp-wast: run a component-model execution .wast converted by
 * ../shared/tools/component-wast2json.mjs (commands: module,
 * module_definition, module_instance, assert_return, assert_trap,
 * assert_invalid, assert_malformed, assert_uninstantiable) against
 * lib/component. Values are the converter's typed JSON; they are turned
 * into wk_cval trees with the invoked function's type (for case, enum and
 * flags names) and results are compared structurally (floats by bits, any
 * NaN matches a NaN).
 *
 * Text modules (`(component quote ...)`, module_type "text": a .wat holding the
 * component's fields) are parsed by lib/encode's component text parser
 * (wk_wat_to_binary on `(component <text>)`). Modules needing a feature
 * lib/component does not implement are skipped with a named reason, and each
 * reason's count is printed as "skipped N: REASON" before the count line.
 *
 * assert_trap passes when the invocation traps, whatever the message (the
 * expected texts are the upstream implementation's wording, see
 * ../shared/corpora/README.md); with -v a differing message is printed as a note.
 *
 * usage: comp-wast [-v] FILE.json   prints one line per failure and
 *                                   "FILE: N passed, N failed, N skipped"; exit 1 on failure
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "component/component.h"
#include "encode/wat.h"

typedef struct named {
  char *name;
  const char *unsupported; /* a definition that needs a feature wkit does not implement: why (a skip reason) */
  wk_comp *c;
  wk_comp_inst *inst;
} named;

typedef struct ctx {
  wk_engine *e;
  wk_store *s;
  wk_comp_linker *l;
  char dir[1024];
  named defs[256];
  int ndefs;
  named insts[256];
  int ninsts;
  wk_comp_inst *cur;
  const char *cur_unsupported; /* the current module needs an unimplemented feature (this reason): its asserts are skipped */
  int passed, failed, skipped;
  const char *reasons[16]; /* skip reasons and how many commands each skipped */
  int nreason[16], nreasons;
  const char *file;
  int verbose;
} ctx;

static void fail(ctx *c, int line, const char *fmt, const char *a, const char *b) {
  c->failed++;
  printf("%s:%d: FAIL ", c->file, line);
  printf(fmt, a ? a : "", b ? b : "");
  printf("\n");
}

static wk_comp *load(ctx *c, const char *fname, wk_error *err) {
  char path[2048];
  snprintf(path, sizeof path, "%s/%s", c->dir, fname);
  uint8_t *data;
  size_t len;
  if (wk_read_file(path, &data, &len, err)) return NULL;
  size_t fl = strlen(fname);
  if (fl > 4 && !strcmp(fname + fl - 4, ".wat")) {
    /* module_type "text": the converter wrote the strings of a
     * `(component quote "...")` (the corpus quotes only components), i.e.
     * the component's fields; lib/encode's text parser reads them inside
     * `(component ...)`. A text error is a malformed module. */
    wk_buf src = {0}, bin = {0};
    wk_buf_str(&src, "(component ");
    wk_buf_append(&src, data, len);
    wk_buf_str(&src, "\n)");
    free(data);
    int trc = wk_wat_to_binary((const char *)src.data, src.len, &bin, err);
    wk_buf_free(&src);
    if (trc) {
      wk_buf_free(&bin);
      return NULL;
    }
    data = bin.data;
    len = bin.len;
  }
  wk_comp *comp = NULL;
  int rc = wk_comp_new(c->e, data, len, &comp, err);
  free(data);
  return rc ? NULL : comp;
}

static int find_label(const wk_cabi_names *nm, uint32_t n, const char *s) {
  if (!nm || !nm->labels) return -1;
  for (uint32_t i = 0; i < n; i++)
    if (nm->labels[i] && !strcmp(nm->labels[i], s)) return (int)i;
  return -1;
}

static const wk_cabi_names *child_names(const wk_cabi_names *nm, uint32_t i) {
  return nm && nm->children ? nm->children[i] : NULL;
}

/* JSON typed value → cval of type t. Returns 0 or -1 (with a reason). */
static int from_json(const cJSON *j, const wk_cabi_type *t, const wk_cabi_names *nm, wk_arena *a, wk_cval *out,
                     const char **why) {
  memset(out, 0, sizeof *out);
  out->kind = t->kind;
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "value");
  const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
  switch (t->kind) {
  case WK_CABI_BOOL: out->of.b = cJSON_IsTrue(v); return 0;
  case WK_CABI_S8: case WK_CABI_S16: case WK_CABI_S32: case WK_CABI_S64:
    if (!s) break;
    out->of.s = strtoll(s, NULL, 10);
    return 0;
  case WK_CABI_U8: case WK_CABI_U16: case WK_CABI_U32: case WK_CABI_U64:
    if (!s) break;
    out->of.u = strtoull(s, NULL, 10);
    return 0;
  case WK_CABI_F32: {
    if (!s) break;
    uint32_t bits = (uint32_t)strtoull(s, NULL, 10);
    memcpy(&out->of.f32, &bits, 4);
    return 0;
  }
  case WK_CABI_F64: {
    if (!s) break;
    uint64_t bits = strtoull(s, NULL, 10);
    memcpy(&out->of.f64, &bits, 8);
    return 0;
  }
  case WK_CABI_CHAR: {
    if (!s) break;
    const unsigned char *p = (const unsigned char *)s;
    uint32_t cp = p[0];
    if (cp >= 0xf0) cp = ((cp & 7) << 18) | ((p[1] & 63) << 12) | ((p[2] & 63) << 6) | (p[3] & 63);
    else if (cp >= 0xe0) cp = ((cp & 15) << 12) | ((p[1] & 63) << 6) | (p[2] & 63);
    else if (cp >= 0xc0) cp = ((cp & 31) << 6) | (p[1] & 63);
    out->of.ch = cp;
    return 0;
  }
  case WK_CABI_STRING:
    if (!s) break;
    out->of.str.len = (uint32_t)strlen(s);
    out->of.str.ptr = wk_arena_strndup(a, s, strlen(s));
    return 0;
  case WK_CABI_LIST:
  case WK_CABI_TUPLE:
  case WK_CABI_RECORD: {
    if (!cJSON_IsArray(v)) break;
    uint32_t n = (uint32_t)cJSON_GetArraySize(v);
    wk_cval *items = wk_arena_alloc(a, sizeof *items * (n + 1));
    uint32_t i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, v) {
      const cJSON *val = e;
      uint32_t ci = t->kind == WK_CABI_LIST ? 0 : i;
      if (t->kind == WK_CABI_RECORD) {
        if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) != 2) break;
        val = cJSON_GetArrayItem(e, 1);
      }
      if (t->kind != WK_CABI_LIST && i >= t->n) {
        *why = "too many fields";
        return -1;
      }
      if (from_json(val, t->children[ci], child_names(nm, ci), a, &items[i], why)) return -1;
      i++;
    }
    out->of.seq.items = items;
    out->of.seq.n = i;
    return 0;
  }
  case WK_CABI_VARIANT: {
    const cJSON *cs = cJSON_GetObjectItemCaseSensitive(v, "case");
    if (!cJSON_IsString(cs)) break;
    int k = find_label(nm, t->n, cs->valuestring);
    if (k < 0) {
      *why = "unknown case";
      return -1;
    }
    out->of.var.disc = (uint32_t)k;
    const cJSON *pl = cJSON_GetObjectItemCaseSensitive(v, "payload");
    if (pl && !cJSON_IsNull(pl) && t->children[k]) {
      out->of.var.payload = wk_arena_alloc(a, sizeof(wk_cval));
      return from_json(pl, t->children[k], child_names(nm, (uint32_t)k), a, out->of.var.payload, why);
    }
    return 0;
  }
  case WK_CABI_ENUM: {
    if (!s) break;
    int k = find_label(nm, t->n, s);
    if (k < 0) {
      *why = "unknown enum case";
      return -1;
    }
    out->of.var.disc = (uint32_t)k;
    return 0;
  }
  case WK_CABI_OPTION:
    if (!v || cJSON_IsNull(v)) {
      out->of.var.disc = 0;
      return 0;
    }
    out->of.var.disc = 1;
    out->of.var.payload = wk_arena_alloc(a, sizeof(wk_cval));
    return from_json(v, t->children[0], child_names(nm, 0), a, out->of.var.payload, why);
  case WK_CABI_RESULT: {
    const cJSON *ok = cJSON_GetObjectItemCaseSensitive(v, "Ok");
    const cJSON *er = cJSON_GetObjectItemCaseSensitive(v, "Err");
    const cJSON *pl = ok ? ok : er;
    if (!pl) break;
    out->of.var.disc = ok ? 0 : 1;
    const wk_cabi_type *ct = t->children[ok ? 0 : 1];
    if (ct && !cJSON_IsNull(pl)) {
      out->of.var.payload = wk_arena_alloc(a, sizeof(wk_cval));
      return from_json(pl, ct, child_names(nm, ok ? 0 : 1), a, out->of.var.payload, why);
    }
    return 0;
  }
  case WK_CABI_FLAGS: {
    if (!cJSON_IsArray(v)) break;
    uint32_t nw = (t->n + 31) / 32;
    out->of.flags.n = nw;
    out->of.flags.words = wk_arena_alloc(a, 4 * (nw + 1));
    const cJSON *e;
    cJSON_ArrayForEach(e, v) {
      int k = cJSON_IsString(e) ? find_label(nm, t->n, e->valuestring) : -1;
      if (k < 0) {
        *why = "unknown flag";
        return -1;
      }
      out->of.flags.words[k / 32] |= 1u << (k % 32);
    }
    return 0;
  }
  default: *why = "value type not supported by the runner"; return -1;
  }
  *why = "malformed JSON value";
  return -1;
}

static int cval_eq(const wk_cval *x, const wk_cval *y, const wk_cabi_type *t) {
  switch (t->kind) {
  case WK_CABI_BOOL: return !x->of.b == !y->of.b;
  case WK_CABI_S8: case WK_CABI_S16: case WK_CABI_S32: case WK_CABI_S64: return x->of.s == y->of.s;
  case WK_CABI_U8: case WK_CABI_U16: case WK_CABI_U32: case WK_CABI_U64: return x->of.u == y->of.u;
  case WK_CABI_F32:
    if (isnan(x->of.f32) && isnan(y->of.f32)) return 1;
    return !memcmp(&x->of.f32, &y->of.f32, 4);
  case WK_CABI_F64:
    if (isnan(x->of.f64) && isnan(y->of.f64)) return 1;
    return !memcmp(&x->of.f64, &y->of.f64, 8);
  case WK_CABI_CHAR: return x->of.ch == y->of.ch;
  case WK_CABI_STRING:
    return x->of.str.len == y->of.str.len && (!x->of.str.len || !memcmp(x->of.str.ptr, y->of.str.ptr, x->of.str.len));
  case WK_CABI_LIST: case WK_CABI_TUPLE: case WK_CABI_RECORD:
    if (x->of.seq.n != y->of.seq.n) return 0;
    for (uint32_t i = 0; i < x->of.seq.n; i++)
      if (!cval_eq(&x->of.seq.items[i], &y->of.seq.items[i], t->children[t->kind == WK_CABI_LIST ? 0 : i])) return 0;
    return 1;
  case WK_CABI_ENUM: return x->of.var.disc == y->of.var.disc;
  case WK_CABI_VARIANT: case WK_CABI_OPTION: case WK_CABI_RESULT: {
    if (x->of.var.disc != y->of.var.disc) return 0;
    const wk_cabi_type *ct = t->kind == WK_CABI_VARIANT ? t->children[x->of.var.disc]
                             : t->kind == WK_CABI_OPTION ? (x->of.var.disc ? t->children[0] : NULL)
                                                         : t->children[x->of.var.disc];
    if (!ct) return 1;
    if (!x->of.var.payload || !y->of.var.payload) return 0;
    return cval_eq(x->of.var.payload, y->of.var.payload, ct);
  }
  case WK_CABI_FLAGS:
    for (uint32_t i = 0; i < (t->n + 31) / 32; i++) {
      uint32_t a = i < x->of.flags.n ? x->of.flags.words[i] : 0, b = i < y->of.flags.n ? y->of.flags.words[i] : 0;
      if (a != b) return 0;
    }
    return 1;
  default: return 0;
  }
}

/* Features outside the MVP that wkit's validator or engine does not implement:
 * the component-model async/threading/map/fixed-length-list features and the
 * core multi-memory proposal (core exception handling runs: lib/interp enables
 * it by default; the tag-section reason below stays for engines configured
 * without it). Modules needing them are reported as skipped (with the reason),
 * never as passed. */
static const char *unsupported_feature(const wk_error *err) {
  const char *m = err->msg;
  if (strstr(m, "streams and futures")) return "component-model async: stream/future types";
  if (strstr(m, "async function")) return "component-model async: async function types";
  if (strstr(m, "canonical built-in") && (strstr(m, "async") || strstr(m, "thread")))
    return "component-model async/threads: canonical built-ins";
  if (strstr(m, "multiple memories") || strstr(m, "malformed memop flags")) return "core multi-memory";
  if (strstr(m, "malformed section id")) return "core exception handling (tag section)";
  if (err->code == WK_ERR_UNSUPPORTED) return "unsupported by lib/component (WK_ERR_UNSUPPORTED)";
  if (strstr(m, "require") && strstr(m, "feature")) return "other feature the validator does not enable";
  return NULL;
}

/* Count one skipped command under `reason` (printed per reason at the end). */
static void skip_count(ctx *c, const char *reason) {
  c->skipped++;
  int i;
  for (i = 0; i < c->nreasons; i++)
    if (!strcmp(c->reasons[i], reason)) break;
  if (i == c->nreasons) {
    if (i == 16) i = 15; /* never reached: the reasons are the few of unsupported_feature */
    else c->reasons[c->nreasons++] = reason;
  }
  c->nreason[i]++;
}

static void skip(ctx *c, int line, const char *what, const char *why) {
  skip_count(c, why);
  if (c->verbose) printf("%s:%d: skip %s: %s\n", c->file, line, what, why);
}

static named *find(named *arr, int n, const char *name) {
  for (int i = n - 1; i >= 0; i--)
    if (arr[i].name && name && !strcmp(arr[i].name, name)) return &arr[i];
  return NULL;
}

static int instantiate(ctx *c, wk_comp *comp, wk_comp_inst **out, char *why, size_t nwhy) {
  wk_error err;
  wk_error_clear(&err);
  wk_trap *trap = NULL;
  int rc = wk_comp_instantiate(c->l, c->s, comp, out, &trap, &err);
  if (rc) snprintf(why, nwhy, "%s", trap ? wk_trap_message(trap) : err.msg);
  wk_trap_free(trap);
  return rc;
}

/* Run an invoke action. 0: returned (result in *res, type *rt); 1: trapped (msg); -1: harness error (msg). */
static int invoke(ctx *c, const cJSON *act, wk_arena *a, wk_cval *res, const wk_comp_functype **ftp, char *msg,
                  size_t nmsg) {
  const cJSON *mod = cJSON_GetObjectItemCaseSensitive(act, "module");
  const cJSON *field = cJSON_GetObjectItemCaseSensitive(act, "field");
  wk_comp_inst *inst = c->cur;
  if (cJSON_IsString(mod)) {
    named *n = find(c->insts, c->ninsts, mod->valuestring);
    inst = n ? n->inst : NULL;
  }
  if (!inst) {
    snprintf(msg, nmsg, "no instance to invoke");
    return -1;
  }
  wk_error err;
  wk_error_clear(&err);
  wk_comp_func *f;
  if (!cJSON_IsString(field) || wk_comp_inst_func(inst, field->valuestring, &f, &err)) {
    snprintf(msg, nmsg, "%s", err.msg);
    return -1;
  }
  const wk_comp_functype *ft = wk_comp_func_type(f);
  *ftp = ft;
  const cJSON *args = cJSON_GetObjectItemCaseSensitive(act, "args");
  uint32_t na = (uint32_t)cJSON_GetArraySize(args);
  if (na != ft->nparams) {
    snprintf(msg, nmsg, "argument count %u, function takes %u", na, ft->nparams);
    return -1;
  }
  wk_cval *av = wk_arena_alloc(a, sizeof *av * (na + 1));
  for (uint32_t i = 0; i < na; i++) {
    const char *why = "";
    if (from_json(cJSON_GetArrayItem(args, (int)i), ft->params[i], ft->param_names[i], a, &av[i], &why)) {
      snprintf(msg, nmsg, "argument %u: %s", i, why);
      return -1;
    }
  }
  wk_trap *trap = NULL;
  int rc = wk_comp_func_call(c->s, f, av, na, a, res, &trap, &err);
  if (rc == WK_ERR_TRAP) {
    snprintf(msg, nmsg, "%s", trap ? wk_trap_message(trap) : err.msg);
    wk_trap_free(trap);
    return 1;
  }
  if (rc) {
    snprintf(msg, nmsg, "%s", err.msg);
    return -1;
  }
  return 0;
}

static int trap_matches(const char *got, const char *want) {
  if (strstr(got, want)) return 1;
  const char *pfx = "wasm trap: ";
  if (!strncmp(want, pfx, strlen(pfx)) && strstr(got, want + strlen(pfx))) return 1;
  return 0;
}

static void run(ctx *c, const cJSON *cmd) {
  const char *type = cJSON_GetObjectItemCaseSensitive(cmd, "type")->valuestring;
  int line = cJSON_GetObjectItemCaseSensitive(cmd, "line") ? cJSON_GetObjectItemCaseSensitive(cmd, "line")->valueint : 0;
  const cJSON *fn = cJSON_GetObjectItemCaseSensitive(cmd, "filename");
  const cJSON *nm = cJSON_GetObjectItemCaseSensitive(cmd, "name");
  char why[1024];
  wk_error err;
  wk_error_clear(&err);
  if (!strcmp(type, "module") || !strcmp(type, "module_definition")) {
    wk_comp *comp = cJSON_IsString(fn) ? load(c, fn->valuestring, &err) : NULL;
    if (!cJSON_IsString(fn)) wk_error_set(&err, WK_ERR_INVALID, "the converter could not convert this module");
    if (!comp) {
      const char *un = unsupported_feature(&err);
      if (un) {
        printf("%s:%d: skip module (%s): %s\n", c->file, line, un, err.msg);
        skip_count(c, un);
      } else
        fail(c, line, "module does not load: %s%s", err.msg, "");
      if (!strcmp(type, "module")) {
        c->cur = NULL;
        c->cur_unsupported = un;
      } else if (c->ndefs < 256) {
        c->defs[c->ndefs].name = cJSON_IsString(nm) ? nm->valuestring : NULL;
        c->defs[c->ndefs].unsupported = un;
        c->defs[c->ndefs++].c = NULL;
      }
      return;
    }
    if (c->ndefs < 256) {
      c->defs[c->ndefs].name = cJSON_IsString(nm) ? nm->valuestring : NULL;
      c->defs[c->ndefs++].c = comp;
    }
    if (!strcmp(type, "module")) {
      wk_comp_inst *inst = NULL;
      if (instantiate(c, comp, &inst, why, sizeof why)) {
        fail(c, line, "module does not instantiate: %s%s", why, "");
        c->cur = NULL;
        c->cur_unsupported = NULL;
        return;
      }
      c->cur = inst;
      c->cur_unsupported = NULL;
      if (c->ninsts < 256) {
        c->insts[c->ninsts].name = cJSON_IsString(nm) ? nm->valuestring : NULL;
        c->insts[c->ninsts++].inst = inst;
      }
    }
    c->passed++;
    return;
  }
  if (!strcmp(type, "module_instance")) {
    const char *in = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cmd, "instance"));
    const char *md = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cmd, "module"));
    named *d = find(c->defs, c->ndefs, md);
    wk_comp_inst *inst = NULL;
    c->cur = NULL;
    c->cur_unsupported = NULL;
    if (d && !d->c && d->unsupported) {
      c->cur_unsupported = d->unsupported;
      skip(c, line, "module_instance (its definition needs an unsupported feature)", d->unsupported);
      return;
    }
    if (!d || !d->c) {
      fail(c, line, "module_instance: no definition %s%s", md, "");
      return;
    }
    if (instantiate(c, d->c, &inst, why, sizeof why)) {
      fail(c, line, "module_instance does not instantiate: %s%s", why, "");
      c->cur = NULL;
      return;
    }
    c->cur = inst;
    if (c->ninsts < 256) {
      c->insts[c->ninsts].name = (char *)in;
      c->insts[c->ninsts++].inst = inst;
    }
    c->passed++;
    return;
  }
  if (!strcmp(type, "assert_invalid") || !strcmp(type, "assert_malformed")) {
    if (!cJSON_IsString(fn)) {
      fail(c, line, "%s: the converter could not convert this module%s", type, "");
      return;
    }
    /* text modules (module_type "text") go through lib/encode's component text parser in load() */
    wk_comp *comp = load(c, fn->valuestring, &err);
    if (comp) {
      fail(c, line, "%s: module loaded%s", type, "");
      wk_comp_free(comp);
      return;
    }
    c->passed++;
    return;
  }
  if (!strcmp(type, "assert_uninstantiable")) {
    wk_comp *comp = load(c, fn->valuestring, &err);
    wk_comp_inst *inst = NULL;
    if (!comp) {
      fail(c, line, "assert_uninstantiable: module does not load: %s%s", err.msg, "");
      return;
    }
    if (!instantiate(c, comp, &inst, why, sizeof why)) {
      fail(c, line, "assert_uninstantiable: instantiated%s%s", "", "");
      return;
    }
    c->passed++;
    return;
  }
  if (!strcmp(type, "assert_return") || !strcmp(type, "assert_trap") || !strcmp(type, "action")) {
    const cJSON *act = cJSON_GetObjectItemCaseSensitive(cmd, "action");
    wk_arena a = {0};
    wk_cval res;
    const wk_comp_functype *ft = NULL;
    const char *field = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(act, "field"));
    if (!c->cur && c->cur_unsupported && !cJSON_GetObjectItemCaseSensitive(act, "module")) {
      skip(c, line, field ? field : "action", c->cur_unsupported);
      return;
    }
    int r = invoke(c, act, &a, &res, &ft, why, sizeof why);
    if (r < 0) {
      fail(c, line, "%s: %s", field, why);
    } else if (!strcmp(type, "assert_trap")) {
      const char *want = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cmd, "text"));
      if (r == 0)
        fail(c, line, "%s: returned, expected trap `%s`", field, want);
      else {
        /* ../shared/corpora/README.md: expected texts are the upstream
         * implementation's own wording, so a negative case is judged on
         * trap / no trap only; a different wording is shown (-v) as information. */
        if (c->verbose && !trap_matches(why, want ? want : ""))
          printf("%s:%d: note %s: trapped with `%s`, upstream says `%s`\n", c->file, line, field, why,
                 want ? want : "");
        c->passed++;
      }
    } else if (r == 1) {
      fail(c, line, "%s: trapped: %s", field, why);
    } else if (!strcmp(type, "action")) {
      c->passed++;
    } else {
      const cJSON *exp = cJSON_GetObjectItemCaseSensitive(cmd, "expected");
      int ne = cJSON_GetArraySize(exp);
      if ((ne == 0) != (ft->result == NULL)) {
        fail(c, line, "%s: result count differs%s", field, "");
      } else if (ne == 0) {
        c->passed++;
      } else {
        wk_cval want;
        const char *w = "";
        if (from_json(cJSON_GetArrayItem(exp, 0), ft->result, ft->result_names, &a, &want, &w))
          fail(c, line, "%s: expected value: %s", field, w);
        else if (!cval_eq(&res, &want, ft->result)) {
          wk_buf b = {0};
          wk_error e2;
          wk_error_clear(&e2);
          if (wk_cval_print_wave(&res, ft->result, ft->result_names, &b, &e2) == WK_OK) wk_buf_byte(&b, 0);
          fail(c, line, "%s: wrong result %s", field, b.data ? (char *)b.data : "?");
          wk_buf_free(&b);
        } else
          c->passed++;
      }
    }
    wk_arena_free(&a);
    return;
  }
  fail(c, line, "unknown command %s%s", type, "");
}

int main(int argc, char **argv) {
  ctx c;
  memset(&c, 0, sizeof c);
  if (argc > 2 && !strcmp(argv[1], "-v")) {
    c.verbose = 1;
    argv++;
    argc--;
  }
  if (argc < 2) {
    fprintf(stderr, "usage: comp-wast [-v] FILE.json\n");
    return 2;
  }
  c.file = argv[1];
  snprintf(c.dir, sizeof c.dir, "%s", argv[1]);
  char *sl = strrchr(c.dir, '/');
  if (sl) *sl = 0;
  else snprintf(c.dir, sizeof c.dir, ".");
  uint8_t *data;
  size_t len;
  wk_error err;
  wk_error_clear(&err);
  if (wk_read_file(argv[1], &data, &len, &err)) {
    fprintf(stderr, "comp-wast: error: %s: %s\n", argv[1], err.msg);
    return 1;
  }
  cJSON *j = cJSON_ParseWithLength((const char *)data, len);
  free(data);
  if (!j) {
    fprintf(stderr, "comp-wast: error: %s: bad JSON\n", argv[1]);
    return 1;
  }
  wk_config cfg;
  wk_config_default(&cfg);
  c.e = wk_engine_new(&cfg);
  c.s = wk_store_new(c.e);
  c.l = wk_comp_linker_new(c.e);
  const cJSON *cmd;
  cJSON_ArrayForEach(cmd, cJSON_GetObjectItemCaseSensitive(j, "commands")) run(&c, cmd);
  /* per-reason skip counts, one line each (suite-exec.sh sums them), before the count line */
  for (int i = 0; i < c.nreasons; i++) printf("skipped %d: %s\n", c.nreason[i], c.reasons[i]);
  printf("%s: %d passed, %d failed, %d skipped\n", argv[1], c.passed, c.failed, c.skipped);
  for (int i = 0; i < c.ninsts; i++) wk_comp_inst_free(c.insts[i].inst);
  for (int i = 0; i < c.ndefs; i++) wk_comp_free(c.defs[i].c);
  wk_comp_linker_free(c.l);
  wk_store_free(c.s);
  wk_engine_free(c.e);
  cJSON_Delete(j);
  return c.failed ? 1 : 0;
}
