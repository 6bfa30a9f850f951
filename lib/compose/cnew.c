/*
 * `component new` (cnew.h): core module + WIT metadata (+ adapters) ->
 * component. The plan follows wit-component's encoding.rs; every
 * definition goes through the component builder (encode/cbuild.h) and so
 * through the one component encoder.
 *
 * Order of the output (Explainer.md "Index Spaces": everything is defined
 * before use):
 *   1. the (pruned) world's imports, re-emitted from its component type
 *      (types, aliases and imports keep their indices);
 *   2. lowered imports that need no canonical options (canon lower);
 *   3. the shim module (call_indirect trampolines) for everything that is
 *      only available after instantiation (lowerings with memory/realloc,
 *      adapter exports used by the main module, resource destructors); an
 *      adapter calls its own such imports through the shim's table instead
 *      (adapter_call_slots: no trampoline). With mem_first (mem_first_setup)
 *      the shim also defines the main module's memory;
 *   4. exported resource types and their resource.new/rep/drop;
 *   5. the main module, instantiated with inline instances per import
 *      module; then the adapters (an adapter's lowerings that need the main
 *      module's memory but no realloc are lowered here, directly: that memory
 *      exists by now); with mem_first the adapters first and then the main
 *      module, which gets an adapter's instance itself for its imports from
 *      it; then the fixup module filling the shim's table with the real
 *      functions;
 *   6. `_initialize`; then lifted exports (canon lift); an interface export
 *      is the instance of a shim component that imports the lifted functions
 *      and the types they use and exports them under their names.
 */
#include "compose/cnew.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonabi/canonabi.h"
#include "encode/cbuild.h"
#include "encode/encode.h"
#include "encode/sections.h"
#include "encode/semver.h"
#include "witparse/witdecode.h"
#include "witparse/witencode.h"
#include "witparse/witparse.h"

#define PAGE 65536

enum { K_LOWER, K_RES_DROP, K_RES_NEW, K_RES_REP, K_ADAPTER, K_MAIN_EXPORT, K_MEMGROW };

typedef struct src {
  const char *name;          /* adapter name; NULL = main module */
  const uint8_t *bytes;      /* original bytes */
  size_t len;
  wk_core_module *m;
  wit_id world;              /* its metadata world, WIT_NONE if none */
  int string_enc;            /* WIT_STRING_* */
  int used;
  int renamed;               /* cm32p2 names rewritten: embed the re-encoded module */
  uint32_t inst;             /* core instance (builder) */
  int has_mem;
  uint32_t mem;              /* core memory (builder) for options */
  int has_realloc, has_import_realloc;
  uint32_t realloc, import_realloc;
  const wk_core_import *orig_imports; /* the imports before short_import_names (for messages), or NULL */
  int shim_table;            /* adapter: imports the shim's table as its table 0 (adapter_shim_table) */
  int fills_shim;            /* adapter: imports the shim's table and fills its own exports' slots
                              * (adapter_fill_shim), so the fixup leaves them out */
} src;

typedef struct need {
  uint32_t src, imp;         /* importing module, import index */
  int kind;
  const char *key;           /* world key of the interface (LOWER/RES_*), or NULL for $root */
  uint32_t witem;            /* world import item (LOWER/RES_DROP) */
  const wit_function *fn;    /* LOWER */
  wit_id res;                /* RES_*: resource typedef */
  uint32_t adapter;          /* K_ADAPTER: src index */
  const char *field;         /* K_ADAPTER / K_MAIN_EXPORT: export name */
  int indirect;
  int late;                  /* K_LOWER of an adapter: lowered directly once the main module's memory
                              * exists (step 5), not through the shim */
  uint32_t slot;
  uint32_t core_func;
  uint32_t comp_func;        /* K_LOWER: the component function being lowered */
  wk_cb_opts opts;
  int tabled;                /* an adapter's import called through the shim's table instead
                              * (adapter_call_slots): removed from the adapter, imp = UINT32_MAX */
  wk_core_import orig;       /* tabled: the import as the adapter had it (for messages) */
} need;

typedef struct slot {
  wk_core_functype ty;
  uint32_t need;             /* need index, or UINT32_MAX for a destructor */
  uint32_t dtor_res;         /* destructor: index into ctx.res */
  uint32_t shim_func;        /* aliased shim export (builder core func) */
  int tabled;                /* only the table slot: the adapter calls it with call_indirect, the
                              * shim has no trampoline for it (adapter_call_slots) */
} slot;

typedef struct xres {        /* an exported resource */
  const char *key;           /* export interface key */
  wit_id id;                 /* typedef */
  int has_dtor;
  uint32_t dtor_export;      /* main export index of the destructor */
  uint32_t slot;
  uint32_t type;             /* builder type index */
} xres;

typedef struct ctx {
  wk_error *err;
  wit_resolve *r;
  wit_id world;              /* the merged world */
  src *srcs;
  uint32_t nsrcs;
  need *needs;
  uint32_t nneeds, capneeds;
  slot *slots;
  uint32_t nslots, capslots;
  xres *res;
  uint32_t nres, capres;
  wk_arena arena;
  wk_cbuild *b;
  uint32_t *imp_index;       /* per world import item: builder index (instance / func), UINT32_MAX none */
  uint32_t nmain_imports;    /* the main module's own world imports come first in the merged world */
  int64_t main_mem_import;   /* import index of the main module's imported memory, or -1 */
  int mem_first;             /* the main module's memory became an import the shim defines, and the
                              * adapters are instantiated before it (mem_first_setup) */
  int err_src;               /* where an error's offset points: -1 main module, i >= 0 adapter i */
  wk_buf *abytes;            /* per src: an adapter's bytes, made before the shim (build) */
} ctx;

/* ---------------------------------------------------------------- helpers */

/* Whether a[0..n) equals b[0..n); n 0: equal without reading either (an empty type list's
 * pointer may be NULL, which memcmp must not get even for 0 bytes: C11 7.1.4, 7.24.1p2). */
static int same_bytes(const uint8_t *a, const uint8_t *b, size_t n) { return !n || !memcmp(a, b, n); }

static void *grow(void *arr, uint32_t *cap, uint32_t n, size_t elem) {
  if (n < *cap) return arr;
  uint32_t nc = *cap ? *cap * 2 : 16;
  void *p = wk_reallocarray(arr, nc, elem);
  if (p) *cap = nc;
  return p;
}

static const char *cname(const wk_core_name *n) { return n->str ? n->str : ""; }

static const char *item_key(ctx *c, const wit_world_item *it) {
  if (it->key_name) return it->key_name;
  char buf[1024];
  const char *s = wit_interface_id_string(c->r, it->key_iface, buf, sizeof buf);
  return wk_arena_strndup(&c->arena, s, strlen(s));
}

static int find_export(const wk_core_module *m, const char *name, int kind, uint32_t *idx) {
  for (uint32_t i = 0; i < m->nexports; i++)
    if (m->exports[i].kind == kind && !strcmp(cname(&m->exports[i].name), name)) {
      if (idx) *idx = i;
      return 1;
    }
  return 0;
}

static int starts(const char *s, const char *p) { return !strncmp(s, p, strlen(p)); }

/* The function the body of function `f` starts with calling (`call F` first, F a defined
 * function of type [] -> []), or UINT32_MAX. */
static uint32_t first_void_call(const wk_core_module *m, uint32_t f) {
  if (f < m->nimported_funcs || f - m->nimported_funcs >= m->ncodes) return UINT32_MAX;
  const wk_core_code *code = &m->codes[f - m->nimported_funcs];
  size_t pos = 0;
  wk_insn in;
  wk_error e;
  if (wk_insn_read(code->body, code->body_len, &pos, &in, &e) || in.op != WK_OP_CALL) return UINT32_MAX;
  uint32_t g = in.idx0;
  if (g < m->nimported_funcs || g - m->nimported_funcs >= m->nfuncs) return UINT32_MAX;
  uint32_t t = m->funcs[g - m->nimported_funcs];
  if (t >= m->ntypes || m->types[t].nparams || m->types[t].nresults) return UINT32_MAX;
  return g;
}

/* wk_cnew's warning: in a command, the realloc export starts with what `_start` starts with
 * (wasm-ld's `<name>.command_export` wrappers run __wasm_call_ctors first: lld wraps every export
 * of a command unless the program references __wasm_call_ctors itself). */
static void warn_ctor_wrapped_realloc(const wk_core_module *m, wk_buf *w) {
  static const char *const reallocs[] = {"cabi_realloc", "cabi_import_realloc", "cabi_export_realloc"};
  uint32_t si, ri;
  if (!w || !find_export(m, "_start", WK_EXTERN_FUNC, &si)) return;
  uint32_t a = first_void_call(m, m->exports[si].index);
  if (a == UINT32_MAX) return;
  for (size_t k = 0; k < sizeof reallocs / sizeof *reallocs; k++) {
    const char *rn = reallocs[k];
    if (!find_export(m, rn, WK_EXTERN_FUNC, &ri) || first_void_call(m, m->exports[ri].index) != a) continue;
    const char *fname = NULL;
    for (uint32_t i = 0; i < m->nfunc_names; i++)
      if (m->func_names[i].index == a) { fname = cname(&m->func_names[i].name); break; }
    char msg[1024];
    snprintf(msg, sizeof msg,
             "export `%s` first calls %s%.100s%s(function %u), as `_start` does: wasm-ld wrapped the command's "
             "exports in its constructors, so every allocation the canonical ABI makes reruns them, and "
             "constructors that call imports (wasi-libc's environ and preopens) trap there (may_leave is clear "
             "inside realloc); call __wasm_call_ctors once from main yourself (wit-bindgen's run_ctors_once), "
             "which stops the wrapping, or build a reactor\n",
             rn, fname ? "`" : "", fname ? fname : "", fname ? "` " : "", a);
    wk_buf_append(w, msg, strlen(msg));
  }
}

/* -------------------------------------------- Resolve types -> canonabi */

static const wk_cabi_type *to_cabi(ctx *c, wit_type t, int depth);

static const wk_cabi_type *cabi_new(ctx *c, wk_cabi_kind k, uint32_t n, uint32_t nchildren) {
  wk_cabi_type *x = wk_arena_alloc(&c->arena, sizeof *x);
  if (!x) return NULL;
  x->kind = k;
  x->n = n;
  if (nchildren) {
    const wk_cabi_type **ch = wk_arena_alloc(&c->arena, nchildren * sizeof *ch);
    if (!ch) return NULL;
    x->children = ch;
  }
  return x;
}

static const wk_cabi_type *to_cabi(ctx *c, wit_type t, int depth) {
  static const wk_cabi_kind prims[] = {
      [WIT_PRIM_BOOL] = WK_CABI_BOOL, [WIT_PRIM_U8] = WK_CABI_U8,   [WIT_PRIM_U16] = WK_CABI_U16,
      [WIT_PRIM_U32] = WK_CABI_U32,   [WIT_PRIM_U64] = WK_CABI_U64, [WIT_PRIM_S8] = WK_CABI_S8,
      [WIT_PRIM_S16] = WK_CABI_S16,   [WIT_PRIM_S32] = WK_CABI_S32, [WIT_PRIM_S64] = WK_CABI_S64,
      [WIT_PRIM_F32] = WK_CABI_F32,   [WIT_PRIM_F64] = WK_CABI_F64, [WIT_PRIM_CHAR] = WK_CABI_CHAR,
      [WIT_PRIM_STRING] = WK_CABI_STRING, [WIT_PRIM_ERROR_CONTEXT] = WK_CABI_ERROR_CONTEXT};
  if (depth > WIT_MAX_TYPE_DEPTH) return NULL;
  if (t.prim != WIT_PRIM_ID) {
    if (t.prim == WIT_PRIM_NONE || t.prim >= WIT_PRIM_ID) return NULL;
    return cabi_new(c, prims[t.prim], 0, 0);
  }
  if (t.id >= c->r->n_types) return NULL;
  const wit_typedef *d = &c->r->types[t.id];
  wk_cabi_type *x = NULL;
  switch (d->kind) {
    case WIT_TD_TYPE: return to_cabi(c, d->ty, depth + 1);
    case WIT_TD_RECORD: case WIT_TD_TUPLE: case WIT_TD_VARIANT: {
      wk_cabi_kind k = d->kind == WIT_TD_RECORD ? WK_CABI_RECORD : d->kind == WIT_TD_TUPLE ? WK_CABI_TUPLE : WK_CABI_VARIANT;
      x = (wk_cabi_type *)cabi_new(c, k, d->n_fields, d->n_fields);
      if (!x) return NULL;
      for (uint32_t i = 0; i < d->n_fields; i++) {
        if (k == WK_CABI_VARIANT && d->fields[i].ty.prim == WIT_PRIM_NONE) { ((const wk_cabi_type **)x->children)[i] = NULL; continue; }
        const wk_cabi_type *ch = to_cabi(c, d->fields[i].ty, depth + 1);
        if (!ch) return NULL;
        ((const wk_cabi_type **)x->children)[i] = ch;
      }
      return x;
    }
    case WIT_TD_ENUM: return cabi_new(c, WK_CABI_ENUM, d->n_fields, 0);
    case WIT_TD_FLAGS: return cabi_new(c, WK_CABI_FLAGS, d->n_fields, 0);
    case WIT_TD_OWN: return cabi_new(c, WK_CABI_OWN, 0, 0);
    case WIT_TD_BORROW: return cabi_new(c, WK_CABI_BORROW, 0, 0);
    case WIT_TD_FUTURE: return cabi_new(c, WK_CABI_FUTURE, 0, 0);
    case WIT_TD_STREAM: return cabi_new(c, WK_CABI_STREAM, 0, 0);
    case WIT_TD_OPTION: case WIT_TD_LIST: case WIT_TD_FIXED_LIST: {
      x = (wk_cabi_type *)cabi_new(c, d->kind == WIT_TD_OPTION ? WK_CABI_OPTION : WK_CABI_LIST, 1, 1);
      if (!x) return NULL;
      if (d->kind == WIT_TD_FIXED_LIST) x->length = d->size;
      const wk_cabi_type *ch = to_cabi(c, d->ty, depth + 1);
      if (!ch) return NULL;
      ((const wk_cabi_type **)x->children)[0] = ch;
      return x;
    }
    case WIT_TD_RESULT: case WIT_TD_MAP: {
      x = (wk_cabi_type *)cabi_new(c, d->kind == WIT_TD_RESULT ? WK_CABI_RESULT : WK_CABI_MAP, 2, 2);
      if (!x) return NULL;
      const wk_cabi_type *a = d->ty.prim ? to_cabi(c, d->ty, depth + 1) : NULL;
      const wk_cabi_type *b = d->ty2.prim ? to_cabi(c, d->ty2, depth + 1) : NULL;
      if ((d->ty.prim && !a) || (d->ty2.prim && !b)) return NULL;
      ((const wk_cabi_type **)x->children)[0] = a;
      ((const wk_cabi_type **)x->children)[1] = b;
      return x;
    }
    default: return NULL;
  }
}

/* Does `t` contain a string (bit 1) or a list (bit 2)? (wit-component TypeContents) */
static int contents(const wk_cabi_type *t, int depth) {
  if (!t || depth > WK_CABI_MAX_DEPTH) return 0;
  if (t->kind == WK_CABI_STRING) return 1;
  int r = t->kind == WK_CABI_LIST || t->kind == WK_CABI_MAP ? 2 : 0;
  uint32_t n = 0;
  switch (t->kind) {
    case WK_CABI_RECORD: case WK_CABI_TUPLE: case WK_CABI_VARIANT: n = t->n; break;
    case WK_CABI_LIST: case WK_CABI_OPTION: n = 1; break;
    case WK_CABI_RESULT: case WK_CABI_MAP: n = 2; break;
    default: break;
  }
  for (uint32_t i = 0; i < n; i++) r |= contents(t->children[i], depth + 1);
  return r;
}

/* Canonical options a function needs (wit-component RequiredOptions::for_import / for_export):
 * lowering an import lifts its params and lowers its result; lifting an export the reverse. */
static int required_opts(ctx *c, const wit_function *f, int is_import, int *mem, int *realloc, int *strenc) {
  const wk_cabi_type *ps[WIT_MAX_TYPE_DEPTH + 64];
  if (f->n_params > sizeof ps / sizeof ps[0]) return wk_error_set(c->err, WK_ERR_UNSUPPORTED, "function `%s` has too many parameters", f->name);
  int pc = 0;
  for (uint32_t i = 0; i < f->n_params; i++) {
    ps[i] = to_cabi(c, f->params[i].ty, 0);
    if (!ps[i]) return wk_error_set(c->err, WK_ERR_UNSUPPORTED, "cannot lay out the parameters of `%s`", f->name);
    pc |= contents(ps[i], 0);
  }
  const wk_cabi_type *res = NULL;
  if (f->result.prim != WIT_PRIM_NONE) {
    res = to_cabi(c, f->result, 0);
    if (!res) return wk_error_set(c->err, WK_ERR_UNSUPPORTED, "cannot lay out the result of `%s`", f->name);
  }
  int rc_ = contents(res, 0);
  wk_cabi_opts o = {.ptr_size = 4};
  wk_cabi_core_sig sig;
  int rc = wk_cabi_flatten_func(ps, f->n_params, res, &o, is_import ? WK_CABI_LOWER : WK_CABI_LIFT, &sig, c->err);
  if (rc) return rc;
  int lifted = is_import ? pc : rc_, lowered = is_import ? rc_ : pc;
  *mem = *realloc = *strenc = 0;
  if (lifted & 2) *mem = 1;
  if (lifted & 1) *mem = *strenc = 1;
  if (lowered & 2) *mem = *realloc = 1;
  if (lowered & 1) *mem = *strenc = *realloc = 1;
  if (sig.indirect_params || sig.indirect_results) *mem = 1;
  if (!is_import && sig.indirect_params) *realloc = 1;
  return WK_OK;
}

/* "[I32, I32] -> [I32]" (wit-component's spelling of core signatures). */
static void sig_str(char *buf, size_t cap, const uint8_t *p, uint32_t np, const uint8_t *r, uint32_t nr) {
  size_t n = 0;
  buf[0] = 0;
  for (int side = 0; side < 2; side++) {
    const uint8_t *v = side ? r : p;
    uint32_t k = side ? nr : np;
    n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, "%s[", side ? " -> " : "");
    for (uint32_t i = 0; i < k && n < cap; i++) {
      const char *t = v[i] == WK_I32 ? "I32" : v[i] == WK_I64 ? "I64" : v[i] == WK_F32 ? "F32" : v[i] == WK_F64 ? "F64" : "?";
      n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, "%s%s", i ? ", " : "", t);
    }
    n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, "]");
    if (n >= cap) return;
  }
}

/* Check that core function type `ty` is the flattening of `f` (CanonicalABI.md flatten_functype)
 * for `context`. WK_ERR_INVALID "type mismatch for function ...". */
static int check_sig(ctx *c, const wit_function *f, wk_cabi_context context, const wk_core_functype *ty, uint64_t off) {
  const wk_cabi_type *ps[64];
  if (f->n_params > 64) return wk_error_set(c->err, WK_ERR_UNSUPPORTED, "function `%s` has too many parameters", f->name);
  for (uint32_t i = 0; i < f->n_params; i++)
    if (!(ps[i] = to_cabi(c, f->params[i].ty, 0))) return wk_error_set(c->err, WK_ERR_UNSUPPORTED, "cannot lay out `%s`", f->name);
  const wk_cabi_type *res = NULL;
  if (f->result.prim != WIT_PRIM_NONE && !(res = to_cabi(c, f->result, 0)))
    return wk_error_set(c->err, WK_ERR_UNSUPPORTED, "cannot lay out `%s`", f->name);
  wk_cabi_opts o = {.ptr_size = 4};
  wk_cabi_core_sig sig;
  int rc = wk_cabi_flatten_func(ps, f->n_params, res, &o, context, &sig, c->err);
  if (rc) return rc;
  uint8_t sp[WK_CABI_SIG_MAX], sr[WK_CABI_SIG_MAX];
  for (uint32_t i = 0; i < sig.nparams; i++) sp[i] = (uint8_t)sig.params[i];
  for (uint32_t i = 0; i < sig.nresults; i++) sr[i] = (uint8_t)sig.results[i];
  if (ty && ty->nparams == sig.nparams && ty->nresults == sig.nresults && same_bytes(ty->params, sp, sig.nparams) &&
      same_bytes(ty->results, sr, sig.nresults))
    return WK_OK;
  char want[256], got[256];
  sig_str(want, sizeof want, sp, sig.nparams, sr, sig.nresults);
  if (ty) sig_str(got, sizeof got, ty->params, ty->nparams, ty->results, ty->nresults);
  else snprintf(got, sizeof got, "?");
  return wk_error_at(c->err, WK_ERR_INVALID, off, "type mismatch for function `%s`: expected `%s` but found `%s`", f->name, want, got);
}

/* The same for a fixed signature (resource intrinsics): params/results of i32s. */
static int check_fixed(ctx *c, const char *name, uint32_t np, uint32_t nr, const wk_core_functype *ty, uint64_t off) {
  static const uint8_t i32s[2] = {WK_I32, WK_I32};
  if (ty->nparams == np && ty->nresults == nr && same_bytes(ty->params, i32s, np) && same_bytes(ty->results, i32s, nr)) return WK_OK;
  char want[64], got[256];
  sig_str(want, sizeof want, i32s, np, i32s, nr);
  sig_str(got, sizeof got, ty->params, ty->nparams, ty->results, ty->nresults);
  return wk_error_at(c->err, WK_ERR_INVALID, off, "type mismatch for function `%s`: expected `%s` but found `%s`", name, want, got);
}

/* ---------------------------------------------------------- metadata */

/* `wit-component-encoding` inside a metadata component: version 4, then the string encoding. */
static int meta_string_encoding(const uint8_t *d, size_t n) {
  wk_section_iter it;
  wk_section s;
  wk_error e;
  if (wk_sections_begin(&it, d, n, &e)) return 0;
  while (wk_sections_next(&it, &s, &e) == 1)
    if (s.id == 0 && s.name_len == 22 && !memcmp(s.name, "wit-component-encoding", 22) && s.end - s.content_offset >= 2)
      return d[s.content_offset + 1] <= 2 ? d[s.content_offset + 1] : 0;
  return 0;
}

/* Append the items of `from` to `into` (skipping keys already present). */
static int merge_items(ctx *c, wit_world_item **into, uint32_t *n, uint32_t *cap, const wit_world_item *from, uint32_t m) {
  wit_world_item *na = wk_arena_alloc(&c->r->arena, ((size_t)*n + m + 1) * sizeof *na);
  if (!na) return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
  if (*n) memcpy(na, *into, *n * sizeof *na);
  uint32_t k = *n;
  for (uint32_t i = 0; i < m; i++) {
    const char *key = item_key(c, &from[i]);
    int dup = 0;
    for (uint32_t j = 0; j < k && !dup; j++) dup = !strcmp(item_key(c, &na[j]), key);
    if (!dup) na[k++] = from[i];
  }
  *into = na;
  *n = k;
  *cap = *n + m + 1;
  return WK_OK;
}

/* wk_semver_compatible of two NUL-terminated versions: wit-component's rule (wit-parser
 * PackageName::version_compat_track), the canonical versions of `cm32p2` names (`@0.2`) included */
static int same_track(const char *a, const char *b) { return wk_semver_compatible(a, strlen(a), b, strlen(b), 0); }

/* wit-component merges imports of semver-compatible versions of one interface into the newest
 * (Resolve::merge_world_imports_based_on_semver; its "semver track" is wk_semver_compatible's rule):
 * keep the newest at the earlier position, drop the other. `nmain` (the main world's share of the
 * imports) shrinks with removals before it. */
static void merge_import_versions(ctx *c, uint32_t *nmain) {
  wit_world *w = &c->r->worlds[c->world];
  for (uint32_t i = 0; i < w->n_imports; i++) {
    if (w->imports[i].kind != WIT_ITEM_INTERFACE || w->imports[i].key_name) continue;
    const char *ki = item_key(c, &w->imports[i]), *ai = strchr(ki, '@');
    if (!ai) continue;
    for (uint32_t j = i + 1; j < w->n_imports; j++) {
      if (w->imports[j].kind != WIT_ITEM_INTERFACE || w->imports[j].key_name) continue;
      const char *kj = item_key(c, &w->imports[j]), *aj = strchr(kj, '@');
      if (!aj || aj - kj != ai - ki || memcmp(ki, kj, (size_t)(ai - ki)) || !same_track(ai + 1, aj + 1)) continue;
      if (wk_semver_cmp(aj + 1, strlen(aj + 1), ai + 1, strlen(ai + 1)) > 0) { w->imports[i] = w->imports[j]; ki = kj; ai = aj; }
      memmove(&w->imports[j], &w->imports[j + 1], (w->n_imports - j - 1) * sizeof *w->imports);
      w->n_imports--;
      if (j < *nmain) (*nmain)--;
      j--;
    }
  }
}

/* Decode every component-type section of `s` into c->r; merge their worlds into the first. */
static int read_metadata(ctx *c, src *s) {
  wk_section_iter it;
  wk_section sec;
  int rc = wk_sections_begin(&it, s->bytes, s->len, c->err);
  if (rc) return rc;
  int n;
  s->world = WIT_NONE;
  while ((n = wk_sections_next(&it, &sec, c->err)) == 1) {
    if (sec.id != 0 || sec.name_len < 14 || memcmp(sec.name, "component-type", 14)) continue;
    const uint8_t *d = s->bytes + sec.content_offset;
    size_t dl = sec.end - sec.content_offset;
    wit_id pkg = WIT_NONE, world = WIT_NONE;
    int kind = 0;
    /* The section's own package may already be in the resolve (the main module's and an
     * adapter's metadata share one package, as wit-component's tests do). The decoder wants the
     * main package to be new: learn its name from a scratch decode, and hide the one in c->r
     * under a temporary name while decoding (foreign packages are still shared by name). */
    wit_id hidden = WIT_NONE;
    const char *hidden_name = NULL;
    {
      wit_resolve *tmp = wit_resolve_new();
      wit_id tp = WIT_NONE;
      if (!tmp) return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
      wk_error te;
      if (wit_decode_bytes(tmp, d, dl, &tp, NULL, NULL, &te) == WK_OK && tp != WIT_NONE) {
        const wit_package_name *pn = &tmp->packages[tp].name;
        hidden = wit_resolve_find_package(c->r, pn->namespace_, pn->name, pn->version);
        if (hidden != WIT_NONE) {
          hidden_name = c->r->packages[hidden].name.name;
          c->r->packages[hidden].name.name = "%wcompose-hidden";
        }
      }
      wit_resolve_free(tmp);
    }
    rc = wit_decode_bytes(c->r, d, dl, &pkg, &world, &kind, c->err);
    if (hidden != WIT_NONE) c->r->packages[hidden].name.name = hidden_name;
    if (rc) {
      c->err->has_offset = 1;
      c->err->offset = sec.offset;
      char msg[sizeof c->err->msg];
      memcpy(msg, c->err->msg, sizeof msg);
      snprintf(c->err->msg, sizeof c->err->msg, "cannot decode the component-type section: %.400s", msg);
      return rc;
    }
    if (kind != WIT_DECODED_PACKAGE || pkg == WIT_NONE || c->r->packages[pkg].n_worlds != 1)
      return wk_error_at(c->err, WK_ERR_INVALID, sec.offset, "the component-type section does not hold one world");
    world = c->r->packages[pkg].worlds[0].id;
    s->string_enc = meta_string_encoding(d, dl);
    if (s->world == WIT_NONE) { s->world = world; continue; }
    wit_world *w = &c->r->worlds[s->world];
    const wit_world *o = &c->r->worlds[world];
    if ((rc = merge_items(c, &w->imports, &w->n_imports, &w->cap_imports, o->imports, o->n_imports))) return rc;
    w = &c->r->worlds[s->world];
    if ((rc = merge_items(c, &w->exports, &w->n_exports, &w->cap_exports, o->exports, o->n_exports))) return rc;
  }
  return n < 0 ? WK_ERR_MALFORMED : WK_OK;
}

/* ------------------------------------------------------ classification */

static int add_need(ctx *c, need *n) {
  need *a = grow(c->needs, &c->capneeds, c->nneeds, sizeof *a);
  if (!a) return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
  c->needs = a;
  a[c->nneeds++] = *n;
  return WK_OK;
}

/* The world import whose key is `key`; failing that, one whose key differs only by a
 * semver-compatible version (a module built against wasi@0.2.6 imports an adapter world's
 * wasi@0.2.12 interface; wit-component matches them the same way). */
static uint32_t find_import_item(ctx *c, const char *key, uint32_t kind) {
  const wit_world *w = &c->r->worlds[c->world];
  for (uint32_t i = 0; i < w->n_imports; i++)
    if (w->imports[i].kind == kind && !strcmp(item_key(c, &w->imports[i]), key)) return i;
  const char *at = strchr(key, '@');
  if (!at) return UINT32_MAX;
  for (uint32_t i = 0; i < w->n_imports; i++) {
    if (w->imports[i].kind != kind) continue;
    const char *k2 = item_key(c, &w->imports[i]), *at2 = strchr(k2, '@');
    if (!at2 || at2 - k2 != at - key || memcmp(k2, key, (size_t)(at - key))) continue;
    if (same_track(at + 1, at2 + 1)) return i;
  }
  return UINT32_MAX;
}

static uint32_t find_export_item(ctx *c, const char *key) {
  const wit_world *w = &c->r->worlds[c->world];
  for (uint32_t i = 0; i < w->n_exports; i++)
    if (w->exports[i].kind == WIT_ITEM_INTERFACE && !strcmp(item_key(c, &w->exports[i]), key)) return i;
  return UINT32_MAX;
}

/* A resource named `name` in interface `iface` (WIT_NONE = world level: the world's type items). */
static wit_id find_resource(ctx *c, wit_id iface, const char *name, int world_exports) {
  if (iface != WIT_NONE) {
    wit_id t = wit_interface_find_type(c->r, iface, name);
    if (t == WIT_NONE) return WIT_NONE;
    while (c->r->types[t].kind == WIT_TD_TYPE && c->r->types[t].ty.prim == WIT_PRIM_ID) t = c->r->types[t].ty.id;
    return c->r->types[t].kind == WIT_TD_RESOURCE ? t : WIT_NONE;
  }
  const wit_world *w = &c->r->worlds[c->world];
  const wit_world_item *items = world_exports ? w->exports : w->imports;
  uint32_t n = world_exports ? w->n_exports : w->n_imports;
  for (uint32_t i = 0; i < n; i++)
    if (items[i].kind == WIT_ITEM_TYPE && items[i].key_name && !strcmp(items[i].key_name, name)) {
      wit_id t = items[i].id;
      while (c->r->types[t].kind == WIT_TD_TYPE && c->r->types[t].ty.prim == WIT_PRIM_ID) t = c->r->types[t].ty.id;
      if (c->r->types[t].kind == WIT_TD_RESOURCE) return t;
    }
  return WIT_NONE;
}

/* The world key (import or export side) for interface name `k`: itself, or the key of a
 * version-compatible interface of the same name. */
static const char *world_key_for(ctx *c, const char *k, int exports) {
  const wit_world *w = &c->r->worlds[c->world];
  const wit_world_item *items = exports ? w->exports : w->imports;
  uint32_t n = exports ? w->n_exports : w->n_imports;
  const char *at = strchr(k, '@');
  for (uint32_t i = 0; i < n; i++)
    if (items[i].kind == WIT_ITEM_INTERFACE && !strcmp(item_key(c, &items[i]), k)) return k;
  if (!at) return k;
  for (uint32_t i = 0; i < n; i++) {
    if (items[i].kind != WIT_ITEM_INTERFACE) continue;
    const char *k2 = item_key(c, &items[i]), *at2 = strchr(k2, '@');
    if (at2 && at2 - k2 == at - k && !memcmp(k2, k, (size_t)(at - k)) && same_track(at + 1, at2 + 1)) return k2;
  }
  return k;
}

static void set_name(ctx *c, wk_core_name *n, const char *a, const char *b2, const char *b3) {
  size_t la = strlen(a), lb = b2 ? strlen(b2) : 0, lc = b3 ? strlen(b3) : 0;
  char *p = wk_arena_alloc(&c->arena, la + lb + lc + 1);
  if (!p) return; /* keeps the old name; the build then fails to find it */
  memcpy(p, a, la);
  if (lb) memcpy(p + la, b2, lb);
  if (lc) memcpy(p + la + lb, b3, lc);
  p[la + lb + lc] = 0;
  n->str = p;
  n->len = (uint32_t)(la + lb + lc);
}

/* `s` ends with `suffix`: its length without it, else -1. */
static long strip_suffix(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n > k && !strcmp(s + n - k, suffix) ? (long)(n - k) : -1;
}

/* The "standard32" name mangling (wit-component validation.rs, `cm32p2` names) rewritten to the
 * legacy names the rest of this file uses; the module is then re-encoded with those names (names
 * only: no index moves). Returns 1 when the module used cm32p2 names. */
static int cm32_rename(ctx *c, src *s) {
  wk_core_module *m = s->m;
  int any = 0;
  for (uint32_t i = 0; i < m->nimports && !any; i++) any = starts(cname(&m->imports[i].module), "cm32p2");
  for (uint32_t i = 0; i < m->nexports && !any; i++) any = starts(cname(&m->exports[i].name), "cm32p2");
  if (!any) return 0;
  char buf[2048];
  for (uint32_t i = 0; i < m->nimports; i++) {
    wk_core_import *im = &m->imports[i];
    const char *mod = cname(&im->module), *fld = cname(&im->name);
    if (!starts(mod, "cm32p2")) continue;
    if (!strcmp(mod, "cm32p2")) set_name(c, &im->module, "$root", NULL, NULL);
    else if (starts(mod, "cm32p2|_ex_")) {
      if (!strcmp(mod + 11, "$root") || !mod[11]) set_name(c, &im->module, "[export]$root", NULL, NULL);
      else set_name(c, &im->module, "[export]", world_key_for(c, mod + 11, 1), NULL);
    } else if (starts(mod, "cm32p2|")) set_name(c, &im->module, world_key_for(c, mod + 7, 0), NULL, NULL);
    else continue;
    static const char *const sfx[][2] = {{"_drop", "[resource-drop]"}, {"_new", "[resource-new]"}, {"_rep", "[resource-rep]"}};
    for (int k = 0; k < 3; k++) {
      long l = strip_suffix(fld, sfx[k][0]);
      if (l > 0 && (size_t)l < sizeof buf) {
        memcpy(buf, fld, (size_t)l);
        buf[l] = 0;
        set_name(c, &im->name, sfx[k][1], buf, NULL);
        break;
      }
    }
  }
  for (uint32_t i = 0; i < m->nexports; i++) {
    wk_core_export *ex = &m->exports[i];
    const char *nm = cname(&ex->name);
    if (!strcmp(nm, "cm32p2_memory")) set_name(c, &ex->name, "memory", NULL, NULL);
    else if (!strcmp(nm, "cm32p2_realloc")) set_name(c, &ex->name, "cabi_realloc", NULL, NULL);
    else if (!strcmp(nm, "cm32p2_initialize")) set_name(c, &ex->name, "_initialize", NULL, NULL);
    else if (starts(nm, "cm32p2|")) {
      const char *rest = nm + 7, *bar = strchr(rest, '|');
      if (!bar || (size_t)(bar - rest) >= sizeof buf) continue;
      memcpy(buf, rest, (size_t)(bar - rest));
      buf[bar - rest] = 0;
      const char *fn = bar + 1;
      char key[1024];
      snprintf(key, sizeof key, "%s", buf[0] ? world_key_for(c, buf, 1) : "");
      char f2[1024];
      long l;
      if ((l = strip_suffix(fn, "_post")) > 0 && (size_t)l < sizeof f2) {
        memcpy(f2, fn, (size_t)l);
        f2[l] = 0;
        if (key[0]) { snprintf(buf, sizeof buf, "%s#%s", key, f2); set_name(c, &ex->name, "cabi_post_", buf, NULL); }
        else set_name(c, &ex->name, "cabi_post_", f2, NULL);
      } else if ((l = strip_suffix(fn, "_dtor")) > 0 && (size_t)l < sizeof f2) {
        memcpy(f2, fn, (size_t)l);
        f2[l] = 0;
        set_name(c, &ex->name, key, "#[dtor]", f2);
      } else if (key[0]) set_name(c, &ex->name, key, "#", fn);
      else set_name(c, &ex->name, fn, NULL, NULL);
    }
  }
  return 1;
}

/* Components may not instantiate a core module that imports one name twice (wasm-tools rejects
 * it). wit-component removes the duplicates; renaming them keeps every function index where it is:
 * the later ones become `NAME (import N)`, and the argument instance exports each name. Returns 1
 * when the module was changed. */
static int rename_duplicate_imports(ctx *c, src *s) {
  wk_core_module *m = s->m;
  int changed = 0;
  for (uint32_t i = 1; i < m->nimports; i++)
    for (uint32_t k = 0; k < i; k++) {
      const wk_core_import *a = &m->imports[k], *b2 = &m->imports[i];
      if (a->module.len == b2->module.len && a->name.len == b2->name.len && !memcmp(cname(&a->module), cname(&b2->module), a->module.len) &&
          !memcmp(cname(&a->name), cname(&b2->name), a->name.len)) {
        char sfx[32];
        snprintf(sfx, sizeof sfx, " (import %u)", i);
        set_name(c, &m->imports[i].name, cname(&m->imports[i].name), sfx, NULL);
        changed = 1;
        break;
      }
    }
  return changed;
}

/* The core signatures of the module's imports against what the world says. */
static int check_import_sigs(ctx *c, uint32_t si) {
  src *s = &c->srcs[si];
  for (uint32_t i = 0; i < c->nneeds; i++) {
    need *n = &c->needs[i];
    if (n->src != si) continue;
    const wk_core_import *im = &s->m->imports[n->imp];
    const wk_core_functype *ty = im->type_index < s->m->ntypes ? &s->m->types[im->type_index] : NULL;
    if (!ty) return wk_error_at(c->err, WK_ERR_MALFORMED, im->offset, "import with an unknown type");
    int rc = WK_OK;
    if (n->kind == K_LOWER) rc = check_sig(c, n->fn, WK_CABI_LOWER, ty, im->offset);
    else if (n->kind == K_RES_DROP) rc = check_fixed(c, cname(&im->name), 1, 0, ty, im->offset);
    else if (n->kind == K_RES_NEW || n->kind == K_RES_REP) rc = check_fixed(c, cname(&im->name), 1, 1, ty, im->offset);
    if (rc) return rc;
  }
  return WK_OK;
}

/* ---------------------------------------------------------- adapter gc */

static int mark_func_live(uint8_t *live, uint32_t *stack, uint32_t *sp, uint32_t nf, uint32_t f) {
  if (f >= nf || live[f]) return 0;
  live[f] = 1;
  stack[(*sp)++] = f;
  return 0;
}

/* Whether instruction `op` names a function index in idx0 (call, return_call, ref.func): the one
 * list adapter liveness (scan_refs) and renumbering (renumber_code) both follow. */
static int names_func(uint16_t op) { return op == WK_OP_CALL || op == WK_OP_RETURN_CALL || op == WK_OP_REF_FUNC; }

/* The one instruction walker of the adapter rewrites below: `fn` sees each instruction of `code`
 * (a function body or a constant expression, Core 5.4), its bytes code[at, end) and its decoded
 * form, and returns 1 when it wrote it (rewritten) into `out`, 0 to have it copied as it is (when
 * there is an `out`), or a negative value that stops the walk and is returned. -1: an instruction
 * that cannot be read. */
typedef int (*insn_fn)(void *arg, const uint8_t *code, size_t at, size_t end, const wk_insn *in, wk_buf *out);
static int walk_code(const uint8_t *code, size_t len, insn_fn fn, void *arg, wk_buf *out) {
  size_t pos = 0;
  wk_insn in;
  wk_error e;
  while (pos < len) {
    size_t at = pos;
    if (wk_insn_read(code, len, &pos, &in, &e)) return -1;
    int r = fn(arg, code, at, pos, &in, out);
    if (r < 0) return r;
    if (!r && out) wk_buf_append(out, code + at, pos - at);
  }
  return 0;
}

typedef struct liveset {
  uint8_t *live;
  uint32_t *stack, *sp, nf;
} liveset;
static int refs_fn(void *arg, const uint8_t *code, size_t at, size_t end, const wk_insn *in, wk_buf *out) {
  liveset *l = arg;
  if (names_func(in->op)) mark_func_live(l->live, l->stack, l->sp, l->nf, in->idx0);
  return 0;
}

/* Functions referenced (call, ref.func) by the expression `code`. Returns -1 when an instruction
 * cannot be read (then the caller keeps everything). */
static int scan_refs(const uint8_t *code, size_t len, uint8_t *live, uint32_t *stack, uint32_t *sp, uint32_t nf) {
  liveset l = {live, stack, sp, nf};
  return walk_code(code, len, refs_fn, &l, NULL);
}

/* Whether adapter si's function export `nm` is a root of its liveness: the main module (or another
 * adapter) imports it, it is canonical-ABI (a name with `#`, `cabi_*`) or a function of its world. */
static int adapter_root(ctx *c, uint32_t si, const char *nm) {
  int root = strchr(nm, '#') != NULL || starts(nm, "cabi_");
  for (uint32_t k = 0; k < c->nneeds && !root; k++)
    root = c->needs[k].kind == K_ADAPTER && c->needs[k].adapter == si && !strcmp(c->needs[k].field, nm);
  const wit_world *w = c->srcs[si].world != WIT_NONE ? &c->r->worlds[c->srcs[si].world] : NULL;
  for (uint32_t k = 0; w && k < w->n_exports && !root; k++)
    root = w->exports[k].kind == WIT_ITEM_FUNCTION && !strcmp(w->exports[k].func.name, nm);
  return root;
}

/* What wit-component's adapter gc keeps, as a liveness map over the adapter's functions: the
 * exports the main module imports, the canonical-ABI exports (names with `#`, `cabi_*`), the start
 * function, table elements, and everything they call. Imports only dead code uses need no
 * component import (they are satisfied by trapping stubs). NULL = keep everything. */
static uint8_t *adapter_live(ctx *c, uint32_t si) {
  const wk_core_module *m = c->srcs[si].m;
  uint32_t nf = wk_core_func_count(m);
  uint8_t *live = calloc(nf + 1, 1);
  uint32_t *stack = calloc(nf + 1, sizeof *stack), sp = 0;
  if (!live || !stack) { free(live); free(stack); return NULL; }
  for (uint32_t i = 0; i < m->nexports; i++) {
    const wk_core_export *ex = &m->exports[i];
    if (ex->kind != WK_EXTERN_FUNC) continue;
    if (adapter_root(c, si, cname(&ex->name))) mark_func_live(live, stack, &sp, nf, ex->index);
  }
  if (m->has_start) mark_func_live(live, stack, &sp, nf, m->start);
  int bad = 0;
  for (uint32_t i = 0; i < m->nelems && !bad; i++) {
    const wk_core_elem *el = &m->elems[i];
    for (uint32_t k = 0; k < el->count && !bad; k++) {
      if (el->funcs) mark_func_live(live, stack, &sp, nf, el->funcs[k]);
      else if (el->exprs) bad = scan_refs(el->exprs[k].bytes, el->exprs[k].len, live, stack, &sp, nf);
    }
  }
  for (uint32_t i = 0; i < m->nglobals && !bad; i++)
    bad = scan_refs(m->globals[i].init.bytes, m->globals[i].init.len, live, stack, &sp, nf);
  while (sp && !bad) {
    uint32_t f = stack[--sp];
    if (f < m->nimported_funcs) continue;
    uint32_t d = f - m->nimported_funcs;
    if (d < m->ncodes) bad = scan_refs(m->codes[d].body, m->codes[d].body_len, live, stack, &sp, nf);
  }
  free(stack);
  if (bad) { free(live); return NULL; }
  return live;
}

/* Whether adapter import `im` (function index f when a function) is one only dead code uses: it is
 * removed from the adapter and needs no component import (adapter_trim). The main module's exports
 * (`__main_module__`) are kept. */
static int adapter_import_dead(const uint8_t *live, const wk_core_import *im, uint32_t f) {
  return im->kind == WK_EXTERN_FUNC && !live[f] && strcmp(cname(&im->module), "__main_module__");
}

static int classify_(ctx *c, uint32_t si, const uint8_t *live);
static int classify(ctx *c, uint32_t si) {
  uint8_t *live = si > 0 ? adapter_live(c, si) : NULL;
  int rc = classify_(c, si, live);
  free(live);
  return rc;
}

static int classify_(ctx *c, uint32_t si, const uint8_t *live) {
  src *s = &c->srcs[si];
  const wk_core_module *m = s->m;
  const wit_world *w = &c->r->worlds[c->world];
  uint32_t fidx = 0;
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wk_core_import *im = &m->imports[i];
    const char *mod = cname(&im->module), *fld = cname(&im->name);
    need n = {.src = si, .imp = i, .witem = UINT32_MAX, .res = WIT_NONE};
    if (s->name && !strcmp(mod, "env") && !strcmp(fld, "memory") && im->kind == WK_EXTERN_MEMORY) continue;
    if (im->kind == WK_EXTERN_FUNC) fidx++;
    if (live && adapter_import_dead(live, im, fidx - 1)) continue; /* removed by adapter_trim */
    if (si == 0 && im->kind == WK_EXTERN_MEMORY && c->main_mem_import < 0) {
      c->main_mem_import = i;
      continue;
    }
    if (im->kind != WK_EXTERN_FUNC)
      return wk_error_at(c->err, WK_ERR_UNSUPPORTED, im->offset, "failed to resolve import `%s::%s`: module is only allowed to import functions", mod, fld);
    if (s->name && !strcmp(mod, "__main_module__")) {
      n.kind = K_MAIN_EXPORT;
      n.field = fld;
      if (!find_export(c->srcs[0].m, fld, WK_EXTERN_FUNC, NULL)) {
        if (strcmp(fld, "cabi_realloc") && strcmp(fld, "canonical_abi_realloc"))
          return wk_error_at(c->err, WK_ERR_INVALID, im->offset, "adapter `%s` needs `%s` from the main module, which does not export it", s->name, fld);
        n.kind = K_MEMGROW;
      }
      if (add_need(c, &n)) return WK_ERR_NOMEM;
      continue;
    }
    int ad = -1;
    for (uint32_t k = 1; k < c->nsrcs; k++)
      if (k != si && !strcmp(c->srcs[k].name, mod)) ad = (int)k;
    if (ad > 0) {
      uint32_t e;
      if (!find_export(c->srcs[ad].m, fld, WK_EXTERN_FUNC, &e))
        return wk_error_at(c->err, WK_ERR_INVALID, im->offset, "adapter `%s` does not export `%s`", mod, fld);
      n.kind = K_ADAPTER;
      n.adapter = (uint32_t)ad;
      n.field = fld;
      c->srcs[ad].used = 1;
      if (add_need(c, &n)) return WK_ERR_NOMEM;
      continue;
    }
    if (starts(mod, "[export]")) {
      const char *key = mod + 8;
      wit_id iface = WIT_NONE;
      if (strcmp(key, "$root")) {
        uint32_t x = find_export_item(c, key);
        if (x == UINT32_MAX) return wk_error_at(c->err, WK_ERR_INVALID, im->offset, "module requires an import interface named `%s`", mod);
        iface = w->exports[x].id;
      }
      const char *rn = NULL;
      if (starts(fld, "[resource-new]")) { n.kind = K_RES_NEW; rn = fld + 14; }
      else if (starts(fld, "[resource-rep]")) { n.kind = K_RES_REP; rn = fld + 14; }
      else if (starts(fld, "[resource-drop]")) { n.kind = K_RES_DROP; rn = fld + 15; }
      else return wk_error_at(c->err, WK_ERR_UNSUPPORTED, im->offset, "unknown intrinsic `%s::%s`", mod, fld);
      n.res = find_resource(c, iface, rn, 1);
      if (n.res == WIT_NONE) return wk_error_at(c->err, WK_ERR_INVALID, im->offset, "no exported resource named `%s` in `%s`", rn, key);
      n.key = key;
      n.witem = UINT32_MAX; /* exported */
      if (add_need(c, &n)) return WK_ERR_NOMEM;
      continue;
    }
    if (!strcmp(mod, "$root")) {
      if (starts(fld, "[resource-drop]")) {
        n.kind = K_RES_DROP;
        n.res = find_resource(c, WIT_NONE, fld + 15, 0);
        if (n.res == WIT_NONE) return wk_error_at(c->err, WK_ERR_INVALID, im->offset, "no imported resource named `%s` in the world", fld + 15);
        n.witem = UINT32_MAX - 1; /* world-level type */
        if (add_need(c, &n)) return WK_ERR_NOMEM;
        continue;
      }
      uint32_t x = UINT32_MAX;
      for (uint32_t k = 0; k < w->n_imports; k++)
        if (w->imports[k].kind == WIT_ITEM_FUNCTION && !strcmp(w->imports[k].func.name, fld)) x = k;
      if (x == UINT32_MAX) return wk_error_at(c->err, WK_ERR_INVALID, im->offset, "no top-level imported function `%s` specified", fld);
      n.kind = K_LOWER;
      n.witem = x;
      n.fn = &w->imports[x].func;
      if (add_need(c, &n)) return WK_ERR_NOMEM;
      continue;
    }
    uint32_t x = find_import_item(c, mod, WIT_ITEM_INTERFACE);
    if (x == UINT32_MAX && !strcmp(mod, "wasi_snapshot_preview1"))
      return wk_error_at(c->err, WK_ERR_INVALID, im->offset,
                         "module requires an import interface named `%s` (a WASI preview1 module needs an adapter: "
                         "--adapt wasi_snapshot_preview1=ADAPTER.wasm)", mod);
    if (x == UINT32_MAX)
      return wk_error_at(c->err, WK_ERR_INVALID, im->offset, "module requires an import interface named `%s`", mod);
    if (si == 0 && x >= c->nmain_imports) /* only an adapter's world has it */
      return wk_error_at(c->err, WK_ERR_INVALID, im->offset, "missing component metadata for import of `%s::%s`", mod, fld);
    n.key = mod;
    n.witem = x;
    wit_id iface = w->imports[x].id;
    if (starts(fld, "[resource-drop]")) {
      n.kind = K_RES_DROP;
      n.res = find_resource(c, iface, fld + 15, 0);
      if (n.res == WIT_NONE) return wk_error_at(c->err, WK_ERR_INVALID, im->offset, "resource `%s` not found in `%s`", fld + 15, mod);
    } else {
      n.kind = K_LOWER;
      n.fn = wit_interface_find_function(c->r, iface, fld);
      if (!n.fn)
        return wk_error_at(c->err, WK_ERR_INVALID, im->offset, "import interface `%s` is missing function `%s` that is required by the module", mod, fld);
    }
    if (add_need(c, &n)) return WK_ERR_NOMEM;
  }
  return WK_OK;
}

/* --------------------------------------------------------------- pruning */

typedef struct live {
  uint8_t *types;            /* per type id */
  uint8_t **funcs;           /* per interface: per function */
} live;

static void mark_type(ctx *c, live *l, wit_type t, int depth) {
  if (t.prim != WIT_PRIM_ID || t.id >= c->r->n_types || depth > WIT_MAX_TYPE_DEPTH * 4) return;
  if (l->types[t.id]) return;
  l->types[t.id] = 1;
  const wit_typedef *d = &c->r->types[t.id];
  mark_type(c, l, d->ty, depth + 1);
  mark_type(c, l, d->ty2, depth + 1);
  for (uint32_t i = 0; i < d->n_fields; i++) mark_type(c, l, d->fields[i].ty, depth + 1);
  if (d->kind == WIT_TD_OWN || d->kind == WIT_TD_BORROW) mark_type(c, l, (wit_type){WIT_PRIM_ID, d->resource}, depth + 1);
}

static void mark_func(ctx *c, live *l, const wit_function *f) {
  for (uint32_t i = 0; i < f->n_params; i++) mark_type(c, l, f->params[i].ty, 0);
  mark_type(c, l, f->result, 0);
  if (f->kind != WIT_FN_FREESTANDING && f->kind != WIT_FN_ASYNC_FREESTANDING && f->resource != WIT_NONE)
    mark_type(c, l, (wit_type){WIT_PRIM_ID, f->resource}, 0);
}

/* wit-component keeps only what the modules use of the imports (encoding/world.rs): drop unused
 * functions, the types nothing live refers to, and imports left empty. Exports stay whole. */
static int prune(ctx *c) {
  wit_resolve *r = c->r;
  wit_world *w = &r->worlds[c->world];
  live l = {0};
  l.types = calloc(r->n_types + 1, 1);
  l.funcs = calloc(r->n_interfaces + 1, sizeof *l.funcs);
  int rc = WK_OK;
  if (!l.types || !l.funcs) { rc = wk_error_set(c->err, WK_ERR_NOMEM, "out of memory"); goto out; }
  for (uint32_t i = 0; i < r->n_interfaces; i++) {
    l.funcs[i] = calloc(r->interfaces[i].n_functions + 1, 1);
    if (!l.funcs[i]) { rc = wk_error_set(c->err, WK_ERR_NOMEM, "out of memory"); goto out; }
  }
  uint8_t *keep_world_fn = calloc(w->n_imports + 1, 1);
  if (!keep_world_fn) { rc = wk_error_set(c->err, WK_ERR_NOMEM, "out of memory"); goto out; }
  /* exports: everything */
  for (uint32_t i = 0; i < w->n_exports; i++) {
    const wit_world_item *it = &w->exports[i];
    if (it->kind == WIT_ITEM_FUNCTION) mark_func(c, &l, &it->func);
    else if (it->kind == WIT_ITEM_INTERFACE) {
      const wit_interface *in = &r->interfaces[it->id];
      for (uint32_t k = 0; k < in->n_types; k++) mark_type(c, &l, (wit_type){WIT_PRIM_ID, in->types[k].id}, 0);
      for (uint32_t k = 0; k < in->n_functions; k++) mark_func(c, &l, &in->functions[k]);
    } else mark_type(c, &l, (wit_type){WIT_PRIM_ID, it->id}, 0);
  }
  /* what the exports need, before what the imports need (an interface both imported and
   * exported is not imported for its exported copy's sake) */
  uint8_t *from_exports = malloc(r->n_types + 1);
  if (!from_exports) { free(keep_world_fn); rc = wk_error_set(c->err, WK_ERR_NOMEM, "out of memory"); goto out; }
  memcpy(from_exports, l.types, r->n_types + 1);
  memset(l.types, 0, r->n_types + 1);
  /* world-level types (`use` in the world) are always kept, with what they need */
  for (uint32_t i = 0; i < w->n_imports; i++)
    if (w->imports[i].kind == WIT_ITEM_TYPE) mark_type(c, &l, (wit_type){WIT_PRIM_ID, w->imports[i].id}, 0);
  /* what the modules import */
  for (uint32_t i = 0; i < c->nneeds; i++) {
    need *n = &c->needs[i];
    if (!c->srcs[n->src].used) continue;
    if (n->kind == K_LOWER) {
      mark_func(c, &l, n->fn);
      const wit_world_item *it = &w->imports[n->witem];
      if (it->kind == WIT_ITEM_FUNCTION) keep_world_fn[n->witem] = 1;
      else {
        const wit_interface *in = &r->interfaces[it->id];
        for (uint32_t k = 0; k < in->n_functions; k++)
          if (&in->functions[k] == n->fn) l.funcs[it->id][k] = 1;
      }
    } else if (n->kind == K_RES_DROP || n->kind == K_RES_NEW || n->kind == K_RES_REP) {
      mark_type(c, &l, (wit_type){WIT_PRIM_ID, n->res}, 0);
    }
  }
  /* the needs point at functions by address: record (interface, index) before compacting */
  for (uint32_t i = 0; i < c->nneeds; i++) {
    need *n = &c->needs[i];
    if (n->kind != K_LOWER) continue;
    const wit_world_item *it = &w->imports[n->witem];
    if (it->kind != WIT_ITEM_INTERFACE) continue;
    const wit_interface *in = &r->interfaces[it->id];
    n->slot = (uint32_t)(n->fn - in->functions); /* temporary: function position */
  }
  /* compact interfaces that are imported (and not exported) */
  uint32_t k2 = 0;
  uint32_t *remap = calloc(w->n_imports + 1, sizeof *remap);
  if (!remap) { free(keep_world_fn); rc = wk_error_set(c->err, WK_ERR_NOMEM, "out of memory"); goto out; }
  for (uint32_t i = 0; i < w->n_imports; i++) {
    wit_world_item *it = &w->imports[i];
    int keep = 0;
    if (it->kind == WIT_ITEM_FUNCTION) keep = keep_world_fn[i];
    else if (it->kind == WIT_ITEM_TYPE) keep = l.types[it->id] || from_exports[it->id];
    else {
      wit_interface *in = &r->interfaces[it->id];
      int exported = 0;
      for (uint32_t e = 0; e < w->n_exports; e++)
        if (w->exports[e].kind == WIT_ITEM_INTERFACE && w->exports[e].id == it->id) exported = 1;
      for (uint32_t k = 0; k < in->n_functions; k++) keep |= l.funcs[it->id][k];
      for (uint32_t k = 0; k < in->n_types; k++) keep |= l.types[in->types[k].id] || (!exported && from_exports[in->types[k].id]);
      if (keep && !exported) {
        /* new positions of functions for the needs */
        uint32_t *fpos = calloc(in->n_functions + 1, sizeof *fpos);
        if (!fpos) { free(remap); free(keep_world_fn); rc = wk_error_set(c->err, WK_ERR_NOMEM, "out of memory"); goto out; }
        uint32_t nf = 0, nt = 0;
        for (uint32_t k = 0; k < in->n_functions; k++) {
          fpos[k] = nf;
          if (l.funcs[it->id][k]) in->functions[nf++] = in->functions[k];
        }
        for (uint32_t k = 0; k < in->n_types; k++)
          if (l.types[in->types[k].id] || from_exports[in->types[k].id]) in->types[nt++] = in->types[k];
        for (uint32_t q = 0; q < c->nneeds; q++) {
          need *n = &c->needs[q];
          if (n->kind == K_LOWER && n->witem == i) n->fn = &in->functions[fpos[n->slot]];
        }
        free(fpos);
        in->n_functions = nf;
        in->n_types = nt;
      }
    }
    remap[i] = keep ? k2 : UINT32_MAX;
    if (keep) w->imports[k2++] = *it;
  }
  w->n_imports = k2;
  free(from_exports);
  for (uint32_t q = 0; q < c->nneeds; q++) {
    need *n = &c->needs[q];
    n->slot = 0;
    if (n->witem < UINT32_MAX - 1) {
      n->witem = remap[n->witem];
      if (n->kind == K_LOWER && w->imports[n->witem].kind == WIT_ITEM_FUNCTION) n->fn = &w->imports[n->witem].func;
    }
  }
  free(remap);
  free(keep_world_fn);
out:
  if (l.funcs)
    for (uint32_t i = 0; i < r->n_interfaces; i++) free(l.funcs[i]);
  free(l.funcs);
  free(l.types);
  return rc;
}

/* ---------------------------------------------------- small core modules */

static void put_name(wk_buf *b, const char *s) {
  size_t n = strlen(s);
  wk_buf_uleb(b, n);
  wk_buf_append(b, s, n);
}

static void put_sec(wk_buf *o, uint8_t id, wk_buf *p) {
  wk_buf_byte(o, id);
  wk_buf_uleb(o, p->len);
  wk_buf_append(o, p->data, p->len);
  if (p->oom) o->oom = 1;
  p->len = 0;
}

static void put_functype(wk_buf *b, const wk_core_functype *t) {
  wk_buf_byte(b, WK_CTC_CORE_FUNC);
  wk_buf_uleb(b, t->nparams);
  wk_buf_append(b, t->params, t->nparams);
  wk_buf_uleb(b, t->nresults);
  wk_buf_append(b, t->results, t->nresults);
}

/* The distinct function types of the shim's slots, in order of first use, into `p` as a type
 * section's contents; tix[i] = slot i's type index. (Types match structurally, Core 3.3.5
 * call_indirect: one type per signature, not one per slot, is less to decode and validate.) */
static void slot_types(ctx *c, wk_buf *p, uint32_t *tix, const uint8_t *keep) {
  /* keep NULL: the shim's, every slot with a trampoline (not tabled) */
  uint32_t n = c->nslots, nt = 0;
  for (uint32_t i = 0; i < n; i++) {
    const wk_core_functype *t = &c->slots[i].ty;
    tix[i] = nt;
    if (keep ? !keep[i] : c->slots[i].tabled) { tix[i] = UINT32_MAX; continue; }
    for (uint32_t k = 0; k < i; k++) {
      if (keep ? !keep[k] : c->slots[k].tabled) continue;
      const wk_core_functype *u = &c->slots[k].ty;
      if (u->nparams == t->nparams && u->nresults == t->nresults && same_bytes(u->params, t->params, t->nparams) &&
          same_bytes(u->results, t->results, t->nresults)) {
        tix[i] = tix[k];
        break;
      }
    }
    if (tix[i] == nt) nt++;
  }
  wk_buf_uleb(p, nt);
  for (uint32_t i = 0, next = 0; i < n; i++)
    if (tix[i] == next) {
      put_functype(p, &c->slots[i].ty);
      next++;
    }
}

/* The shim (wit-component "indirect lowering"): function i forwards its arguments through
 * call_indirect to table slot i, for the slots that are not `tabled` (an adapter calls those
 * through the table itself, adapter_call_slots); the table is exported as "$imports", the
 * functions as their slot numbers; with a memory to define (`mem`), it is exported as "$memory".
 * Sections without entries are left out. */
static void shim_module(ctx *c, wk_buf *o, const wk_core_limits *mem) {
  uint32_t n = c->nslots, nf = 0;
  wk_buf p = {0};
  uint32_t *tix = calloc((size_t)n + 1, sizeof *tix);
  if (!tix) { o->oom = 1; return; }
  for (uint32_t i = 0; i < n; i++) nf += !c->slots[i].tabled;
  wk_buf_append(o, "\0asm\1\0\0\0", 8);
  slot_types(c, &p, tix, NULL);
  if (nf) put_sec(o, 1, &p);
  p.len = 0;
  wk_buf_uleb(&p, nf);
  for (uint32_t i = 0; i < n; i++)
    if (!c->slots[i].tabled) wk_buf_uleb(&p, tix[i]);
  if (nf) put_sec(o, 3, &p);
  p.len = 0;
  if (n) {
    wk_buf_uleb(&p, 1);
    wk_buf_byte(&p, WK_FUNCREF);
    wk_buf_byte(&p, 0x01); /* limits: min and max */
    wk_buf_uleb(&p, n);
    wk_buf_uleb(&p, n);
    put_sec(o, 4, &p);
  }
  if (mem) {
    wk_buf_uleb(&p, 1);
    wk_buf_byte(&p, mem->has_max ? 0x01 : 0x00);
    wk_buf_uleb(&p, mem->min);
    if (mem->has_max) wk_buf_uleb(&p, mem->max);
    put_sec(o, 5, &p);
  }
  wk_buf_uleb(&p, nf + (n > 0) + (mem != NULL));
  if (mem) {
    put_name(&p, "$memory");
    wk_buf_byte(&p, WK_EXTERN_MEMORY);
    wk_buf_uleb(&p, 0);
  }
  char nm[16];
  for (uint32_t i = 0, f = 0; i < n; i++) {
    if (c->slots[i].tabled) continue;
    snprintf(nm, sizeof nm, "%u", i);
    put_name(&p, nm);
    wk_buf_byte(&p, WK_EXTERN_FUNC);
    wk_buf_uleb(&p, f++);
  }
  if (n) {
    put_name(&p, "$imports");
    wk_buf_byte(&p, WK_EXTERN_TABLE);
    wk_buf_uleb(&p, 0);
  }
  put_sec(o, 7, &p);
  wk_buf_uleb(&p, nf);
  for (uint32_t i = 0; i < n; i++) {
    if (c->slots[i].tabled) continue;
    wk_buf body = {0};
    wk_buf_uleb(&body, 0); /* no locals */
    for (uint32_t k = 0; k < c->slots[i].ty.nparams; k++) { wk_buf_byte(&body, WK_OP_LOCAL_GET); wk_buf_uleb(&body, k); }
    wk_buf_byte(&body, WK_OP_I32_CONST);
    wk_buf_sleb(&body, i);
    wk_buf_byte(&body, WK_OP_CALL_INDIRECT);
    wk_buf_uleb(&body, tix[i]);
    wk_buf_byte(&body, 0x00); /* table 0 */
    wk_buf_byte(&body, WK_OP_END);
    wk_buf_uleb(&p, body.len);
    wk_buf_append(&p, body.data, body.len);
    if (body.oom) p.oom = 1;
    wk_buf_free(&body);
  }
  if (nf) put_sec(o, 10, &p);
  if (p.oom) o->oom = 1;
  wk_buf_free(&p);
  free(tix);
}

/* The fixup: imports the shim's table and the real functions of the slots with keep[i] set
 * (import "" "i"), and fills those slots: one active element segment per run of consecutive kept
 * slots (Core 2.5.7, 4.5.4 instantiation step 12: active segments are applied in order). The
 * slots an adapter fills itself (adapter_fill_shim) are not kept. */
static void fixup_module(ctx *c, wk_buf *o, const uint8_t *keep) {
  uint32_t n = c->nslots, nk = 0, nruns = 0;
  wk_buf p = {0};
  uint32_t *tix = calloc((size_t)n + 1, sizeof *tix);
  if (!tix) { o->oom = 1; return; }
  for (uint32_t i = 0; i < n; i++)
    if (keep[i]) {
      nk++;
      if (i == 0 || !keep[i - 1]) nruns++;
    }
  wk_buf_append(o, "\0asm\1\0\0\0", 8);
  slot_types(c, &p, tix, keep);
  put_sec(o, 1, &p);
  wk_buf_uleb(&p, nk + 1);
  char nm[16];
  for (uint32_t i = 0; i < n; i++) {
    if (!keep[i]) continue;
    snprintf(nm, sizeof nm, "%u", i);
    put_name(&p, "");
    put_name(&p, nm);
    wk_buf_byte(&p, WK_EXTERN_FUNC);
    wk_buf_uleb(&p, tix[i]);
  }
  put_name(&p, "");
  put_name(&p, "$imports");
  wk_buf_byte(&p, WK_EXTERN_TABLE);
  wk_buf_byte(&p, WK_FUNCREF);
  wk_buf_byte(&p, 0x01); /* limits: min and max */
  wk_buf_uleb(&p, n);
  wk_buf_uleb(&p, n);
  put_sec(o, 2, &p);
  wk_buf_uleb(&p, nruns);
  for (uint32_t i = 0, f = 0; i < n;) {
    if (!keep[i]) { i++; continue; }
    uint32_t e = i;
    while (e < n && keep[e]) e++;
    wk_buf_uleb(&p, 0); /* flags 0: table 0, funcref, active */
    wk_buf_byte(&p, WK_OP_I32_CONST);
    wk_buf_sleb(&p, i);
    wk_buf_byte(&p, WK_OP_END);
    wk_buf_uleb(&p, e - i);
    for (; i < e; i++) wk_buf_uleb(&p, f++);
  }
  put_sec(o, 9, &p);
  wk_buf_free(&p);
  free(tix);
}

/* cabi_realloc over memory.grow for adapters when the main module has none (wit-component gc.rs
 * realloc_via_memory_grow, here for any fresh allocation size): (import "env" "memory"),
 * export "cabi_realloc". Reallocating an existing block traps. */
static void memgrow_module(wk_buf *o) {
  wk_buf p = {0};
  wk_buf_append(o, "\0asm\1\0\0\0", 8);
  static const uint8_t ty[] = {1, WK_CTC_CORE_FUNC, 4, WK_I32, WK_I32, WK_I32, WK_I32, 1, WK_I32};
  wk_buf_append(&p, ty, sizeof ty);
  put_sec(o, 1, &p);
  wk_buf_uleb(&p, 1);
  put_name(&p, "env");
  put_name(&p, "memory");
  wk_buf_byte(&p, WK_EXTERN_MEMORY);
  wk_buf_byte(&p, 0x00); /* limits: min only */
  wk_buf_uleb(&p, 0);
  put_sec(o, 2, &p);
  wk_buf_uleb(&p, 1);
  wk_buf_uleb(&p, 0);
  put_sec(o, 3, &p);
  wk_buf_uleb(&p, 1);
  put_name(&p, "cabi_realloc");
  wk_buf_byte(&p, WK_EXTERN_FUNC);
  wk_buf_uleb(&p, 0);
  put_sec(o, 7, &p);
  static const uint8_t body[] = {
      1, 1, WK_I32, /* one local i32 */
      WK_OP_LOCAL_GET, 0, WK_OP_LOCAL_GET, 1, WK_OP_I32_OR, WK_OP_IF, 0x40, WK_OP_UNREACHABLE, WK_OP_END, /* old_ptr|old_len -> unreachable */
      WK_OP_LOCAL_GET, 3, WK_OP_I32_CONST, 0xff, 0xff, 0x03, WK_OP_I32_ADD, WK_OP_I32_CONST, 0x10, WK_OP_I32_SHR_U, /* (new_len + 65535) >> 16 */
      WK_OP_MEMORY_GROW, 0, WK_OP_LOCAL_TEE, 4, /* memory.grow 0, local.tee 4 */
      WK_OP_I32_CONST, 0x7f, WK_OP_I32_EQ, WK_OP_IF, 0x40, WK_OP_UNREACHABLE, WK_OP_END, /* == -1 -> unreachable */
      WK_OP_LOCAL_GET, 4, WK_OP_I32_CONST, 0x10, WK_OP_I32_SHL, WK_OP_END}; /* old pages << 16 */
  wk_buf_uleb(&p, 1);
  wk_buf_uleb(&p, sizeof body);
  wk_buf_append(&p, body, sizeof body);
  put_sec(o, 10, &p);
  wk_buf_free(&p);
}

/* The index of the mutable i32 global named `name` in the name section (subsection 7), or -1. */
static int64_t global_named(const wk_core_module *m, const char *name) {
  for (uint32_t i = 0; i < m->ncustoms; i++) {
    const wk_core_custom *cs = &m->customs[i];
    if (strcmp(cname(&cs->name), "name")) continue;
    size_t pos = 0, len = cs->len;
    const uint8_t *d = cs->content;
    while (pos < len) {
      uint8_t id = d[pos++];
      uint64_t size;
      if (wk_read_uleb(d, len, &pos, 32, &size, NULL) || size > len - pos) return -1;
      size_t end = pos + size;
      if (id == 7) {
        uint64_t cnt;
        if (wk_read_uleb(d, end, &pos, 32, &cnt, NULL)) return -1;
        for (uint64_t k = 0; k < cnt; k++) {
          uint64_t idx, nl;
          if (wk_read_uleb(d, end, &pos, 32, &idx, NULL) || wk_read_uleb(d, end, &pos, 32, &nl, NULL) || nl > end - pos)
            return -1;
          if (nl == strlen(name) && !memcmp(d + pos, name, nl)) {
            const wk_core_globaltype *g = wk_core_global_type(m, (uint32_t)idx);
            if (g && g->valtype == WK_I32 && g->mut && !wk_core_import_of(m, WK_EXTERN_GLOBAL, (uint32_t)idx)) return (int64_t)idx;
            return -1;
          }
          pos += nl;
        }
      }
      pos = end;
    }
  }
  return -1;
}

/* Drop the component-type custom sections from the model. */
static int strip_meta(ctx *c, wk_core_module *m) {
  wk_core_custom *cu = wk_arena_alloc(&m->arena, (m->ncustoms + 1) * sizeof *cu);
  if (!cu) return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
  uint32_t nc = 0;
  for (uint32_t i = 0; i < m->ncustoms; i++)
    if (!starts(cname(&m->customs[i].name), "component-type")) cu[nc++] = m->customs[i];
  m->customs = cu;
  m->ncustoms = nc;
  return WK_OK;
}

/* The (renamed) model without its metadata, encoded. */
static int strip_encode(ctx *c, src *s, wk_buf *out) {
  int rc = strip_meta(c, s->m);
  return rc ? rc : wk_core_encode(s->m, out, c->err);
}

/* Function index map of a trimmed adapter (adapter_trim): new index of each old one, UINT32_MAX for
 * a removed function. The map keeps the order, so a sorted map stays sorted. */
typedef struct fnmap {
  const uint32_t *to;
  uint32_t n;
} fnmap;
static uint32_t fn_new(const fnmap *fm, uint64_t f) { return f < fm->n ? fm->to[f] : UINT32_MAX; }

/* `code` (an expression or function body, Core 5.4) with the function indices of call, return_call
 * and ref.func renumbered, into `out`. -1: an instruction that cannot be read or a removed function
 * (adapter_live read every live body, so neither happens for one). */
static int renumber_fn(void *arg, const uint8_t *code, size_t at, size_t end, const wk_insn *in, wk_buf *out) {
  if (!names_func(in->op)) return 0;
  uint32_t f = fn_new(arg, in->idx0);
  if (f == UINT32_MAX) return -1;
  wk_buf_byte(out, code[at]); /* (one-byte opcodes: 0x10, 0x12, 0xd2) */
  wk_buf_uleb(out, f);
  return 1;
}
static int renumber_code(const uint8_t *code, size_t len, const fnmap *fm, wk_buf *out) {
  return walk_code(code, len, renumber_fn, (void *)fm, out);
}

/* `code` renumbered into the module's arena; 0, -1 (as renumber_code) or WK_ERR_NOMEM */
static int renumber_into(wk_core_module *m, const uint8_t **code, uint32_t *len, const fnmap *fm) {
  wk_buf b = {0};
  int rc = renumber_code(*code, *len, fm, &b);
  if (!rc && b.oom) rc = WK_ERR_NOMEM;
  uint8_t *p = rc || !b.len ? NULL : wk_arena_alloc(&m->arena, b.len);
  if (!rc && b.len && !p) rc = WK_ERR_NOMEM;
  if (!rc) {
    if (b.len) memcpy(p, b.data, b.len);
    *code = p;
    *len = (uint32_t)b.len;
  }
  wk_buf_free(&b);
  return rc;
}

/* The name section (Custom 7.4) with its function-indexed maps renumbered: function names
 * (subsection 1), local and label names (2, 3: indirect maps by function); the others are copied.
 * The names of removed functions go. A malformed name section is dropped (it is no error, Custom
 * 7.4: "ill-formed ... ignored"). 1 = rewritten into *out, 0 = drop it. */
static int renumber_names(const uint8_t *p, size_t len, const fnmap *fm, wk_buf *out) {
  size_t pos = 0;
  wk_error e;
  uint64_t v;
  wk_buf sub = {0}, body = {0};
#define RD(x) do { if (wk_read_uleb(p, len, &pos, 32, &v, &e)) goto bad; x = v; } while (0)
  while (pos < len) {
    uint8_t id = p[pos++];
    uint64_t size;
    RD(size);
    if (size > len - pos) goto bad;
    size_t end = pos + (size_t)size;
    if (id != 1 && id != 2 && id != 3) {
      wk_buf_byte(out, id);
      wk_buf_uleb(out, size);
      wk_buf_append(out, p + pos, (size_t)size);
      pos = end;
      continue;
    }
    uint64_t n, kept = 0;
    RD(n);
    for (uint64_t i = 0; i < n; i++) {
      uint64_t f, nl, k = 1;
      RD(f);
      size_t from = pos;
      if (id != 1) RD(k); /* an indirect map: k (index, name) pairs; a name map: one name */
      for (uint64_t q = 0; q < k; q++) {
        if (id != 1) RD(nl); /* (the local's or label's index) */
        RD(nl);
        if (nl > end - pos) goto bad;
        pos += (size_t)nl;
      }
      uint32_t nf = fn_new(fm, f);
      if (nf == UINT32_MAX) continue;
      wk_buf_uleb(&body, nf);
      wk_buf_append(&body, p + from, pos - from);
      kept++;
    }
    if (pos != end) goto bad;
    wk_buf_uleb(&sub, kept);
    wk_buf_append(&sub, body.data, body.len);
    wk_buf_byte(out, id);
    wk_buf_uleb(out, sub.len);
    wk_buf_append(out, sub.data, sub.len);
    sub.len = body.len = 0;
  }
#undef RD
  if (sub.oom || body.oom) out->oom = 1;
  wk_buf_free(&sub);
  wk_buf_free(&body);
  return 1;
bad:
  wk_buf_free(&sub);
  wk_buf_free(&body);
  return 0;
}

/* Trims adapter `si` to what the component uses (wit-component's adapter gc, by the liveness rule of
 * adapter_live, the one classify drops the adapter's imports by): its function exports that are no
 * root are dropped, and so are the functions nothing live reaches, defined or imported (an import only
 * dead code uses needs no component import, adapter_import_dead). The functions left are renumbered
 * in their order: calls, ref.func, exports, the start function, element segments, global
 * initializers, the name section, and the needs' import indices (classify's). What is left to
 * validate, instantiate and link is what the main module reaches (a C hello reaches about half of
 * the built-in adapter). No liveness map (an instruction that cannot be read): kept whole. */
static int adapter_trim(ctx *c, uint32_t si) {
  wk_core_module *m = c->srcs[si].m;
  uint8_t *live = adapter_live(c, si);
  if (!live) return 0;
  uint32_t nf = wk_core_func_count(m);
  uint32_t *to = calloc((size_t)nf + 1, sizeof *to), *ito = calloc((size_t)m->nimports + 1, sizeof *ito);
  if (!to || !ito) { free(live); free(to); free(ito); return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory"); }
  int rc = 0;
  /* imports: the dead function imports go (function index space: imports first) */
  uint32_t nimp = 0, f = 0, nfn = 0, nimp0 = m->nimports;
  for (uint32_t i = 0; i < m->nimports; i++) {
    wk_core_import *im = &m->imports[i];
    ito[i] = UINT32_MAX;
    if (im->kind == WK_EXTERN_FUNC) {
      uint32_t fi = f++;
      if (adapter_import_dead(live, im, fi)) { to[fi] = UINT32_MAX; continue; }
      to[fi] = nfn++;
    }
    ito[i] = nimp;
    m->imports[nimp++] = *im;
  }
  /* defined functions: the dead ones go */
  uint32_t nd = 0;
  for (uint32_t d = 0; d < m->ncodes && d < m->nfuncs; d++) {
    uint32_t fi = m->nimported_funcs + d;
    if (!live[fi]) { to[fi] = UINT32_MAX; continue; }
    to[fi] = nfn++;
    m->funcs[nd] = m->funcs[d];
    m->codes[nd++] = m->codes[d];
  }
  fnmap fm = {to, nf};
  m->nimports = nimp;
  m->nfuncs = m->ncodes = nd;
  for (uint32_t d = 0; d < nd && !rc; d++) rc = renumber_into(m, &m->codes[d].body, &m->codes[d].body_len, &fm);
  /* exports (the dead function exports go: no root, adapter_root) */
  uint32_t n = 0;
  for (uint32_t i = 0; i < m->nexports && !rc; i++) {
    wk_core_export ex = m->exports[i];
    if (ex.kind == WK_EXTERN_FUNC) {
      if (!adapter_root(c, si, cname(&ex.name)) || fn_new(&fm, ex.index) == UINT32_MAX) continue;
      ex.index = fn_new(&fm, ex.index);
    }
    m->exports[n++] = ex;
  }
  m->nexports = n;
  if (m->has_start) m->start = fn_new(&fm, m->start); /* (live: a root) */
  for (uint32_t i = 0; i < m->nelems && !rc; i++) {
    wk_core_elem *el = &m->elems[i];
    for (uint32_t k = 0; k < el->count && !rc; k++) {
      if (el->funcs) el->funcs[k] = fn_new(&fm, el->funcs[k]);
      else if (el->exprs) rc = renumber_into(m, &el->exprs[k].bytes, &el->exprs[k].len, &fm);
    }
  }
  for (uint32_t i = 0; i < m->nglobals && !rc; i++)
    rc = renumber_into(m, &m->globals[i].init.bytes, &m->globals[i].init.len, &fm);
  /* the name section */
  uint32_t nc = 0;
  for (uint32_t i = 0; i < m->ncustoms && !rc; i++) {
    wk_core_custom cu = m->customs[i];
    if (cu.name.len == 4 && !memcmp(cname(&cu.name), "name", 4)) {
      wk_buf b = {0};
      int keep = renumber_names(cu.content, cu.len, &fm, &b);
      uint8_t *p = keep && b.len ? wk_arena_alloc(&m->arena, b.len) : NULL;
      if (b.oom || (keep && b.len && !p)) rc = WK_ERR_NOMEM;
      else if (keep) {
        if (b.len) memcpy(p, b.data, b.len);
        cu.content = p;
        cu.len = (uint32_t)b.len;
      }
      wk_buf_free(&b);
      if (!keep) continue;
    }
    m->customs[nc++] = cu;
  }
  if (!rc) m->ncustoms = nc;
  /* the needs of this adapter (classify) name its imports by index */
  for (uint32_t k = 0; k < c->nneeds && !rc; k++)
    if (c->needs[k].src == si) {
      uint32_t old = c->needs[k].imp;
      c->needs[k].imp = old < nimp0 ? ito[old] : UINT32_MAX;
      if (c->needs[k].imp == UINT32_MAX) rc = -1; /* (classify and adapter_trim disagree: cannot be) */
    }
  free(live);
  free(to);
  free(ito);
  if (rc == WK_ERR_NOMEM) return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
  if (rc) return wk_error_set(c->err, WK_ERR_MALFORMED, "adapter `%s`: cannot renumber its functions", c->srcs[si].name);
  if (wk_core_reindex(m)) return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
  return 0;
}

/* Whether a function body of `m` reads or writes global `g` (global.get / global.set). An
 * instruction that cannot be read counts as a use (the caller then keeps what the global needs). */
static int global_fn(void *arg, const uint8_t *code, size_t at, size_t end, const wk_insn *in, wk_buf *out) {
  return (in->op == WK_OP_GLOBAL_GET || in->op == WK_OP_GLOBAL_SET) && in->idx0 == *(const uint64_t *)arg ? -2 : 0;
}
static int global_used(const wk_core_module *m, uint64_t g) {
  for (uint32_t d = 0; d < m->ncodes; d++)
    if (walk_code(m->codes[d].body, m->codes[d].body_len, global_fn, &g, NULL)) return 1;
  return 0;
}

/* Import k of `s` as the module named it (before short_import_names): for messages. */
static const wk_core_import *orig_import(const src *s, uint32_t k) {
  return s->orig_imports ? &s->orig_imports[k] : &s->m->imports[k];
}

/* The adapter's imports renamed for the component's internal wiring: every import gets module ""
 * and, as its name, the index of the first import of its old (module, name) in decimal (so an
 * import made twice stays one name). The names only match the adapter's imports with the
 * core instance cnew builds for them (one instance instead of one per interface), so nothing
 * outside the component sees them; shorter names are less to decode, validate and link at every
 * start-up. (A name that cannot be allocated keeps its old name: both spellings link.) */
static void short_import_names(ctx *c, src *s) {
  wk_core_module *m = s->m;
  uint32_t *first = calloc((size_t)m->nimports + 1, sizeof *first);
  wk_core_import *orig = wk_arena_alloc(&c->arena, ((size_t)m->nimports + 1) * sizeof *orig);
  if (!first || !orig) { free(first); return; } /* (keeps the names: they link as they are) */
  if (m->nimports) memcpy(orig, m->imports, m->nimports * sizeof *orig);
  s->orig_imports = orig;
  for (uint32_t i = 0; i < m->nimports; i++) {
    first[i] = i;
    for (uint32_t k = 0; k < i && first[i] == i; k++)
      if (m->imports[k].module.len == m->imports[i].module.len && m->imports[k].name.len == m->imports[i].name.len &&
          !memcmp(cname(&m->imports[k].module), cname(&m->imports[i].module), m->imports[i].module.len) &&
          !memcmp(cname(&m->imports[k].name), cname(&m->imports[i].name), m->imports[i].name.len))
        first[i] = k;
  }
  for (uint32_t i = 0; i < m->nimports; i++) {
    char num[16];
    snprintf(num, sizeof num, "%u", first[i]);
    set_name(c, &m->imports[i].name, num, NULL, NULL);
    set_name(c, &m->imports[i].module, "", NULL, NULL);
  }
  free(first);
}

/* a typed reference (Core 3.0 reftype with a heap type): names a type index */
static int is_ref(uint8_t t) { return t == WK_REF || t == WK_REFNULL; }

/* Scans `code` (a body or an expression) for the type indices it names: call_indirect /
 * return_call_indirect and a block/loop/if type index (Core 5.4.1) are marked in `used`; with
 * `map`, they are written renumbered into `out` (the other bytes copied). -1: an instruction that
 * cannot be read or one that names a type some other way (typed references, GC, try_table): the
 * types are then kept as they are. */
typedef struct typeset {
  uint8_t *used;
  uint32_t ntypes;
  const uint32_t *map;
} typeset;
static int type_fn(void *arg, const uint8_t *code, size_t at, size_t end, const wk_insn *in, wk_buf *out) {
  typeset *t = arg;
  if (in->imm >= WK_IMM_TRY_TABLE) return -1;
  if ((in->imm == WK_IMM_REFTYPE || in->imm == WK_IMM_SELECT_T || (in->imm == WK_IMM_BLOCK && in->bt_kind == WK_BT_VAL)) &&
      is_ref(in->valtype))
    return -1;
  if (in->imm == WK_IMM_SELECT_T && in->count != 1) return -1;
  int bt = in->imm == WK_IMM_BLOCK && in->bt_kind == WK_BT_TYPE;
  if (!bt && in->imm != WK_IMM_CALL_INDIRECT) return 0;
  if (in->idx0 >= t->ntypes) return -1;
  t->used[in->idx0] = 1;
  if (!t->map) return 0;
  wk_buf_byte(out, code[at]); /* (one-byte opcodes: 0x02..0x04, 0x11, 0x13) */
  if (bt) wk_buf_sleb(out, t->map[in->idx0]);
  else wk_buf_uleb(out, t->map[in->idx0]), wk_buf_uleb(out, in->idx1);
  return 1;
}
static int type_refs(const uint8_t *code, size_t len, uint8_t *used, uint32_t ntypes, const uint32_t *map,
                     wk_buf *out) {
  typeset t = {used, ntypes, map};
  return walk_code(code, len, type_fn, &t, map ? out : NULL);
}

/* Whether name section `p` has no type names (subsection 4) and no field names (10, by type index):
 * those would need renumbering too (extended name section; the others are not by type index). */
static int names_typeless(const uint8_t *p, size_t len) {
  size_t pos = 0;
  wk_error e;
  uint64_t size;
  while (pos < len) {
    uint8_t id = p[pos++];
    if (id == 4 || id == 10 || wk_read_uleb(p, len, &pos, 32, &size, &e) || size > len - pos) return 0;
    pos += (size_t)size;
  }
  return 1;
}

/* Drops the function types a trimmed adapter no longer names (wit-component's adapter gc keeps only
 * the live types too): each is decoded, validated and interned at every start-up. Only for a module
 * whose types are plain function types named by imports, functions, call_indirect and block types
 * (what C compiles to); any other use of a type index (typed references, GC, tags, try_table, type
 * names) keeps them all. The types left keep their order. 0 or WK_ERR_NOMEM. */
static int adapter_trim_types(ctx *c, wk_core_module *m) {
  if (m->subtypes || m->nempty_recs || m->ntags || m->nimported_tags || !m->ntypes) return 0;
  for (uint32_t t = 0; t < m->ntypes; t++)
    if (m->types[t].hts) return 0;
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wk_core_import *im = &m->imports[i];
    if (im->kind == WK_EXTERN_TAG || (im->kind == WK_EXTERN_TABLE && is_ref(im->table.reftype)) ||
        (im->kind == WK_EXTERN_GLOBAL && is_ref(im->global.valtype)))
      return 0;
  }
  if (m->table_inits) return 0;
  for (uint32_t i = 0; i < m->ntables; i++)
    if (is_ref(m->tables[i].reftype)) return 0;
  for (uint32_t i = 0; i < m->ncustoms; i++)
    if (m->customs[i].name.len == 4 && !memcmp(cname(&m->customs[i].name), "name", 4) &&
        !names_typeless(m->customs[i].content, m->customs[i].len))
      return 0;
  uint8_t *used = calloc(m->ntypes, 1);
  uint32_t *map = calloc(m->ntypes, sizeof *map);
  if (!used || !map) { free(used); free(map); return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory"); }
  int keep = 0; /* 1: a type index used some other way, keep them all */
  for (uint32_t i = 0; i < m->nimports; i++)
    if (m->imports[i].kind == WK_EXTERN_FUNC) {
      if (m->imports[i].type_index >= m->ntypes) keep = 1;
      else used[m->imports[i].type_index] = 1;
    }
  for (uint32_t d = 0; d < m->nfuncs && !keep; d++) {
    if (m->funcs[d] >= m->ntypes) keep = 1;
    else used[m->funcs[d]] = 1;
  }
  for (uint32_t d = 0; d < m->ncodes && !keep; d++) {
    for (uint32_t g = 0; g < m->codes[d].ngroups; g++)
      if (is_ref(m->codes[d].groups[g].type)) keep = 1;
    if (!keep && type_refs(m->codes[d].body, m->codes[d].body_len, used, m->ntypes, NULL, NULL)) keep = 1;
  }
  for (uint32_t i = 0; i < m->nglobals && !keep; i++)
    if (is_ref(m->globals[i].type.valtype) ||
        type_refs(m->globals[i].init.bytes, m->globals[i].init.len, used, m->ntypes, NULL, NULL))
      keep = 1;
  for (uint32_t i = 0; i < m->nelems && !keep; i++) {
    const wk_core_elem *el = &m->elems[i];
    if (is_ref(el->reftype) || (el->offset.len && type_refs(el->offset.bytes, el->offset.len, used, m->ntypes, NULL, NULL)))
      keep = 1;
    for (uint32_t k = 0; k < el->count && el->exprs && !keep; k++)
      if (type_refs(el->exprs[k].bytes, el->exprs[k].len, used, m->ntypes, NULL, NULL)) keep = 1;
  }
  for (uint32_t i = 0; i < m->ndatas && !keep; i++)
    if (m->datas[i].offset.len && type_refs(m->datas[i].offset.bytes, m->datas[i].offset.len, used, m->ntypes, NULL, NULL))
      keep = 1;
  uint32_t n = 0;
  for (uint32_t t = 0; t < m->ntypes; t++) map[t] = used[t] ? n++ : UINT32_MAX;
  int rc = 0;
  if (!keep && n < m->ntypes) {
    /* the bodies that name a type are rewritten (the others stay as they are) */
    for (uint32_t d = 0; d < m->ncodes && !rc; d++) {
      wk_buf b = {0};
      if (type_refs(m->codes[d].body, m->codes[d].body_len, used, m->ntypes, map, &b)) rc = -1;
      else if (b.oom) rc = WK_ERR_NOMEM;
      else if (b.len != m->codes[d].body_len || memcmp(b.data, m->codes[d].body, b.len)) {
        uint8_t *p = wk_arena_alloc(&m->arena, b.len ? b.len : 1);
        if (!p) rc = WK_ERR_NOMEM;
        else {
          memcpy(p, b.data, b.len);
          m->codes[d].body = p;
          m->codes[d].body_len = (uint32_t)b.len;
        }
      }
      wk_buf_free(&b);
    }
    if (!rc) {
      for (uint32_t i = 0; i < m->nimports; i++)
        if (m->imports[i].kind == WK_EXTERN_FUNC) m->imports[i].type_index = map[m->imports[i].type_index];
      for (uint32_t d = 0; d < m->nfuncs; d++) m->funcs[d] = map[m->funcs[d]];
      for (uint32_t t = 0; t < m->ntypes; t++)
        if (map[t] != UINT32_MAX) m->types[map[t]] = m->types[t];
      m->ntypes = n;
    }
  }
  free(used);
  free(map);
  if (rc == WK_ERR_NOMEM) return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
  if (rc) return wk_error_set(c->err, WK_ERR_MALFORMED, "adapter: cannot renumber its types");
  return 0;
}

/* Whether the name section of `m` names tables (extended name section, subsection 5) or cannot be
 * walked: then its tables are not renumbered (adapter_shim_table refuses, and the fixup fills the
 * adapter's slots and the shim keeps their trampolines). */
static int names_tables(const wk_core_module *m) {
  for (uint32_t i = 0; i < m->ncustoms; i++) {
    const wk_core_custom *cs = &m->customs[i];
    if (cs->name.len != 4 || memcmp(cname(&cs->name), "name", 4)) continue;
    size_t pos = 0;
    wk_error e;
    uint64_t sz;
    while (pos < cs->len) {
      uint8_t id = cs->content[pos++];
      if (id == 5 || wk_read_uleb(cs->content, cs->len, &pos, 32, &sz, &e) || sz > cs->len - pos) return 1;
      pos += sz;
    }
  }
  return 0;
}

/* `code` (Core 5.4) with every table index one higher (a table import now comes first in the
 * table index space, Core 2.5.11), into `out`; -1: an instruction that cannot be read. */
static int shift_fn(void *arg, const uint8_t *code, size_t at, size_t end, const wk_insn *in, wk_buf *out) {
  int k = in->imm;
  if (k != WK_IMM_TABLE && k != WK_IMM_CALL_INDIRECT && k != WK_IMM_TABLE_INIT && k != WK_IMM_TABLE_COPY) return 0;
  size_t q = at + 1; /* the opcode: one byte, or a prefix byte and a LEB128 u32 */
  if (in->op > 0xff) {
    while (q < end && (code[q] & 0x80)) q++;
    q++;
  }
  wk_buf_append(out, code + at, q - at);
  if (k == WK_IMM_TABLE) wk_buf_uleb(out, (uint64_t)in->idx0 + 1);
  else if (k == WK_IMM_TABLE_COPY) { wk_buf_uleb(out, (uint64_t)in->idx0 + 1); wk_buf_uleb(out, (uint64_t)in->idx1 + 1); }
  else { wk_buf_uleb(out, in->idx0); wk_buf_uleb(out, (uint64_t)in->idx1 + 1); } /* call_indirect, table.init */
  return 1;
}
static int shift_tables_code(const uint8_t *code, size_t len, wk_buf *out) {
  return walk_code(code, len, shift_fn, NULL, out);
}
static int table_use_fn(void *arg, const uint8_t *code, size_t at, size_t end, const wk_insn *in, wk_buf *out) {
  int k = in->imm;
  return k == WK_IMM_TABLE || k == WK_IMM_CALL_INDIRECT || k == WK_IMM_TABLE_INIT || k == WK_IMM_TABLE_COPY ? -2 : 0;
}
/* Whether anything in `m` names a table: an instruction (or one cannot be read), an element
 * segment, an export, a table initializer. */
static int tables_used(const wk_core_module *m) {
  if (m->nelems || m->table_inits) return 1;
  for (uint32_t i = 0; i < m->nexports; i++)
    if (m->exports[i].kind == WK_EXTERN_TABLE) return 1;
  for (uint32_t d = 0; d < m->ncodes; d++)
    if (walk_code(m->codes[d].body, m->codes[d].body_len, table_use_fn, NULL, NULL)) return 1;
  return 0;
}

/* The adapter imports the shim's table ("" "$imports", the shim is instantiated before it) as its
 * table 0 (Core 2.5.11: imported tables come first); its own tables move up one index (code,
 * active segments, exports). 1 when it does (or did already), 0 when it cannot: it imports tables
 * or names them, or an instruction cannot be read. */
static int adapter_shim_table(ctx *c, src *s) {
  wk_core_module *m = s->m;
  if (s->shim_table) return 1;
  if (m->nimported_tables || (m->ntables && names_tables(m))) return 0;
  int rc = 0;
  /* own tables nothing names (wasm-ld defines one whenever it links; C code that takes no
   * function's address leaves it empty): dropped rather than moved, one table less to set up */
  if (m->ntables && !tables_used(m)) m->ntables = 0;
  if (m->ntables) {
    const uint8_t **bodies = calloc((size_t)m->ncodes + 1, sizeof *bodies);
    uint32_t *lens = calloc((size_t)m->ncodes + 1, sizeof *lens);
    if (!bodies || !lens) rc = WK_ERR_NOMEM;
    for (uint32_t d = 0; d < m->ncodes && !rc; d++) {
      wk_buf b = {0};
      if (shift_tables_code(m->codes[d].body, m->codes[d].body_len, &b)) rc = -1;
      else if (b.oom || !(bodies[d] = wk_arena_alloc(&m->arena, b.len + 1))) rc = WK_ERR_NOMEM;
      else {
        memcpy((uint8_t *)bodies[d], b.data, b.len);
        lens[d] = (uint32_t)b.len;
      }
      wk_buf_free(&b);
    }
    if (!rc) {
      for (uint32_t d = 0; d < m->ncodes; d++) {
        m->codes[d].body = bodies[d];
        m->codes[d].body_len = lens[d];
        m->codes[d].body_offset = 0;
      }
      for (uint32_t i = 0; i < m->nelems; i++)
        if (m->elems[i].mode == WK_SEG_ACTIVE) m->elems[i].table++;
      for (uint32_t i = 0; i < m->nexports; i++)
        if (m->exports[i].kind == WK_EXTERN_TABLE) m->exports[i].index++;
    }
    free(bodies);
    free(lens);
    if (rc == -1) return 0; /* (unreadable code: left as it is) */
  }
  wk_core_import *ni = rc ? NULL : wk_arena_alloc(&m->arena, (m->nimports + 1) * sizeof *ni);
  if (!ni) return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
  if (m->nimports) memcpy(ni, m->imports, m->nimports * sizeof *ni);
  ni[m->nimports] = (wk_core_import){.module = {"", 0}, .name = {"$imports", 8}, .kind = WK_EXTERN_TABLE,
                                     .table = {.reftype = WK_FUNCREF, .lim = {.min = c->nslots, .max = c->nslots, .has_max = 1}}};
  m->imports = ni;
  m->nimports++;
  if (wk_core_reindex(m)) return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
  s->shim_table = 1;
  return 1;
}

/* The adapter fills the shim's table slots of its own exports itself: it imports the shim's table
 * (adapter_shim_table) and gets an active element segment per run of consecutive such slots,
 * applied when it is instantiated (Core 4.5.4 instantiation: active element segments initialise
 * imported tables too). The fixup module then only fills the slots that need canon-lowered
 * functions and destructors, the ones that need the adapter's memory or realloc or the main
 * module's exports. Not done (0, the fixup fills them as before) when the table cannot be imported
 * or an export is missing. */
static int adapter_fill_shim(ctx *c, src *s) {
  wk_core_module *m = s->m;
  uint32_t si = (uint32_t)(s - c->srcs), n = c->nslots, nruns = 0, nmine = 0;
  if (!n) return 0;
  uint32_t *fidx = calloc((size_t)n + 1, sizeof *fidx);
  if (!fidx) return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
  for (uint32_t i = 0; i < n; i++) {
    fidx[i] = UINT32_MAX;
    const slot *sl = &c->slots[i];
    if (sl->need == UINT32_MAX) continue;
    const need *nd = &c->needs[sl->need];
    if (nd->kind != K_ADAPTER || nd->adapter != si) continue;
    uint32_t ei;
    if (!find_export(m, nd->field, WK_EXTERN_FUNC, &ei)) { free(fidx); return 0; }
    fidx[i] = m->exports[ei].index;
    nmine++;
    if (i == 0 || fidx[i - 1] == UINT32_MAX) nruns++;
  }
  if (!nmine) { free(fidx); return 0; }
  int rc = adapter_shim_table(c, s);
  if (rc <= 0) { free(fidx); return rc < 0 ? rc : 0; }
  wk_core_elem *ne = wk_arena_alloc(&m->arena, (m->nelems + nruns) * sizeof *ne);
  if (!ne) { free(fidx); return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory"); }
  if (m->nelems) memcpy(ne, m->elems, m->nelems * sizeof *ne);
  for (uint32_t i = 0, r = m->nelems; i < n;) {
    if (fidx[i] == UINT32_MAX) { i++; continue; }
    uint32_t e = i;
    while (e < n && fidx[e] != UINT32_MAX) e++;
    wk_buf off = {0};
    wk_buf_byte(&off, WK_OP_I32_CONST);
    wk_buf_sleb(&off, i);
    wk_buf_byte(&off, WK_OP_END);
    uint8_t *ob = off.oom ? NULL : wk_arena_alloc(&m->arena, off.len);
    uint32_t *fs = wk_arena_alloc(&m->arena, (size_t)(e - i) * sizeof *fs);
    if (!ob || !fs) { wk_buf_free(&off); free(fidx); return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory"); }
    memcpy(ob, off.data, off.len);
    memcpy(fs, fidx + i, (size_t)(e - i) * sizeof *fs);
    ne[r++] = (wk_core_elem){.mode = WK_SEG_ACTIVE, .reftype = WK_FUNCREF, .table = 0,
                             .offset = {ob, (uint32_t)off.len, 0}, .count = e - i, .funcs = fs};
    wk_buf_free(&off);
    i = e;
  }
  m->elems = ne;
  m->nelems += nruns;
  free(fidx);
  if (wk_core_reindex(m)) return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
  s->fills_shim = 1;
  return 0;
}

/* adapter_call_slots' rewrite: a call of a removed import (`slot` >= 0 in slot_of) becomes
 * `i32.const slot; call_indirect (type t) 0` (return_call: return_call_indirect), any other
 * function index is renumbered; -1 for a removed function named any other way (cannot be: those
 * are kept). */
typedef struct callmap {
  fnmap fm;
  const int64_t *slot_of; /* per old function index: its shim slot, or -1 */
  const uint32_t *type_of; /* per old function index: its type index */
} callmap;
static int call_fn(void *arg, const uint8_t *code, size_t at, size_t end, const wk_insn *in, wk_buf *out) {
  const callmap *cm = arg;
  if (!names_func(in->op)) return 0;
  if (in->idx0 < cm->fm.n && cm->slot_of[in->idx0] >= 0) {
    if (in->op == WK_OP_REF_FUNC) return -1;
    wk_buf_byte(out, WK_OP_I32_CONST);
    wk_buf_sleb(out, cm->slot_of[in->idx0]);
    wk_buf_byte(out, in->op == WK_OP_CALL ? WK_OP_CALL_INDIRECT : WK_OP_RETURN_CALL_INDIRECT);
    wk_buf_uleb(out, cm->type_of[in->idx0]);
    wk_buf_byte(out, 0x00); /* table 0: the shim's */
    return 1;
  }
  return renumber_fn((void *)&cm->fm, code, at, end, in, out);
}
/* (ref.func of a function: it must stay a function of the adapter) */
static int reffunc_fn(void *arg, const uint8_t *code, size_t at, size_t end, const wk_insn *in, wk_buf *out) {
  if (in->op == WK_OP_REF_FUNC && in->idx0 < ((fnmap *)arg)->n) ((uint32_t *)((fnmap *)arg)->to)[in->idx0] = 1;
  return 0;
}

/* The adapter's imports that only exist after the modules are instantiated (canon lowerings that
 * need the adapter's own realloc, the main module's exports with mem_first), each a shim slot, are
 * called through the shim's table (the adapter imports it, adapter_shim_table) instead of through
 * an imported shim trampoline: the import goes, every `call` of it becomes `i32.const slot;
 * call_indirect` (Core 4.4.8: the fixup has filled the slot by the time anything runs), and the
 * other functions move down (calls, exports, start, element segments, global initializers, the
 * name section, the needs' import indices). The shim then has no function for the slot: less for
 * every start-up to decode, validate and translate (a trampoline is translated on its first call).
 * An import the adapter names any other way (ref.func, an element segment, an export, the start
 * function) keeps its trampoline. */
static int adapter_call_slots(ctx *c, src *s) {
  wk_core_module *m = s->m;
  uint32_t si = (uint32_t)(s - c->srcs), nf = wk_core_func_count(m), nimp = m->nimports;
  int64_t *slot_of = malloc(((size_t)nf + 1) * sizeof *slot_of);
  uint32_t *type_of = calloc((size_t)nf + 1, sizeof *type_of), *to = calloc((size_t)nf + 1, sizeof *to);
  uint32_t *ito = calloc((size_t)nimp + 1, sizeof *ito);
  int rc = 0;
  if (!slot_of || !type_of || !to || !ito) { rc = WK_ERR_NOMEM; goto out; }
  /* the function names that must stay: ref.func anywhere, element segments, exports, start */
  fnmap taken = {to, nf};
  for (uint32_t d = 0; d < m->ncodes && !rc; d++)
    if (walk_code(m->codes[d].body, m->codes[d].body_len, reffunc_fn, &taken, NULL)) rc = 1;
  for (uint32_t i = 0; i < m->nglobals && !rc; i++)
    if (walk_code(m->globals[i].init.bytes, m->globals[i].init.len, reffunc_fn, &taken, NULL)) rc = 1;
  for (uint32_t i = 0; i < m->nelems && !rc; i++) {
    const wk_core_elem *el = &m->elems[i];
    for (uint32_t k = 0; k < el->count && !rc; k++) {
      if (el->funcs) { if (el->funcs[k] < nf) to[el->funcs[k]] = 1; }
      else if (el->exprs && walk_code(el->exprs[k].bytes, el->exprs[k].len, reffunc_fn, &taken, NULL)) rc = 1;
    }
  }
  if (rc) { rc = 0; goto out; } /* (unreadable: left as it is) */
  for (uint32_t i = 0; i < m->nexports; i++)
    if (m->exports[i].kind == WK_EXTERN_FUNC && m->exports[i].index < nf) to[m->exports[i].index] = 1;
  if (m->has_start && m->start < nf) to[m->start] = 1;
  /* the candidates: function imports that are a slot of this adapter */
  uint32_t ncand = 0;
  for (uint32_t f = 0; f < nf; f++) slot_of[f] = -1;
  for (uint32_t i = 0, f = 0; i < nimp; i++) {
    const wk_core_import *im = &m->imports[i];
    if (im->kind != WK_EXTERN_FUNC) continue;
    type_of[f] = im->type_index;
    for (uint32_t k = 0; k < c->nneeds && !to[f]; k++) {
      const need *n = &c->needs[k];
      if (n->src == si && n->imp == i && n->indirect && n->slot < c->nslots && c->slots[n->slot].need == k) {
        slot_of[f] = n->slot;
        ncand++;
      }
    }
    f++;
  }
  if (!ncand) goto out;
  if ((rc = adapter_shim_table(c, s)) <= 0) goto out;
  rc = 0;
  nimp = m->nimports; /* (with the table's, appended) */
  /* the map: removed imports -> UINT32_MAX, the others in order */
  uint32_t nfn = 0;
  for (uint32_t f = 0; f < nf; f++) to[f] = slot_of[f] >= 0 ? UINT32_MAX : nfn++;
  callmap cm = {{to, nf}, slot_of, type_of};
  /* the bodies first, into new buffers: nothing changes unless all of them can be rewritten */
  const uint8_t **bodies = calloc((size_t)m->ncodes + 1, sizeof *bodies);
  uint32_t *lens = calloc((size_t)m->ncodes + 1, sizeof *lens);
  if (!bodies || !lens) rc = WK_ERR_NOMEM;
  for (uint32_t d = 0; d < m->ncodes && !rc; d++) {
    wk_buf b = {0};
    if (walk_code(m->codes[d].body, m->codes[d].body_len, call_fn, &cm, &b)) rc = -1;
    else if (b.oom || !(bodies[d] = wk_arena_alloc(&m->arena, b.len + 1))) rc = WK_ERR_NOMEM;
    else {
      memcpy((uint8_t *)bodies[d], b.data, b.len);
      lens[d] = (uint32_t)b.len;
    }
    wk_buf_free(&b);
  }
  for (uint32_t d = 0; d < m->ncodes && !rc; d++) {
    m->codes[d].body = bodies[d];
    m->codes[d].body_len = lens[d];
    m->codes[d].body_offset = 0;
  }
  free(bodies);
  free(lens);
  if (rc) goto out;
  for (uint32_t i = 0; i < m->nexports; i++)
    if (m->exports[i].kind == WK_EXTERN_FUNC) m->exports[i].index = fn_new(&cm.fm, m->exports[i].index);
  if (m->has_start) m->start = fn_new(&cm.fm, m->start);
  for (uint32_t i = 0; i < m->nelems && !rc; i++) {
    wk_core_elem *el = &m->elems[i];
    for (uint32_t k = 0; k < el->count && !rc; k++) {
      if (el->funcs) el->funcs[k] = fn_new(&cm.fm, el->funcs[k]);
      else if (el->exprs) rc = renumber_into(m, &el->exprs[k].bytes, &el->exprs[k].len, &cm.fm);
    }
  }
  for (uint32_t i = 0; i < m->nglobals && !rc; i++)
    rc = renumber_into(m, &m->globals[i].init.bytes, &m->globals[i].init.len, &cm.fm);
  for (uint32_t i = 0; i < m->ncustoms && !rc; i++) {
    wk_core_custom *cu = &m->customs[i];
    if (cu->name.len != 4 || memcmp(cname(&cu->name), "name", 4)) continue;
    wk_buf b = {0};
    int keep = renumber_names(cu->content, cu->len, &cm.fm, &b);
    uint8_t *p = keep && b.len ? wk_arena_alloc(&m->arena, b.len) : NULL;
    if (b.oom || (keep && b.len && !p)) rc = WK_ERR_NOMEM;
    else if (keep) {
      if (b.len) memcpy(p, b.data, b.len);
      cu->content = p;
      cu->len = (uint32_t)b.len;
    } else cu->len = 0; /* (a malformed name section: emptied, as adapter_trim drops it) */
    wk_buf_free(&b);
  }
  if (rc) goto out;
  /* the imports, and the needs that name them */
  uint32_t ni = 0;
  for (uint32_t i = 0, f = 0; i < nimp; i++)
    ito[i] = m->imports[i].kind == WK_EXTERN_FUNC && slot_of[f++] >= 0 ? UINT32_MAX : ni++;
  for (uint32_t k = 0; k < c->nneeds; k++) {
    need *n = &c->needs[k];
    if (n->src != si || n->imp >= nimp) continue;
    if (ito[n->imp] == UINT32_MAX) {
      n->orig = *orig_import(s, n->imp);
      n->tabled = 1;
      c->slots[n->slot].tabled = 1;
    }
    n->imp = ito[n->imp];
  }
  for (uint32_t i = 0; i < nimp; i++)
    if (ito[i] != UINT32_MAX) m->imports[ito[i]] = m->imports[i];
  m->nimports = ni;
  if (wk_core_reindex(m)) rc = WK_ERR_NOMEM;
out:
  free(slot_of);
  free(type_of);
  free(to);
  free(ito);
  if (rc == WK_ERR_NOMEM) return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
  if (rc) return wk_error_set(c->err, WK_ERR_MALFORMED, "adapter `%s`: cannot renumber its functions", s->name);
  return 0;
}

/* The adapter as it goes into the component: component-type sections dropped and, when it has a
 * `__stack_pointer` global, its stack allocated (wit-component gc.rs allocate_stack_via_realloc):
 * lazily from each export when it also has `allocation_state` and the main module's realloc,
 * else by a start function (see below). */
static int adapter_bytes(ctx *c, src *s, wk_buf *out) {
  wk_core_module *m = s->m;
  int rc0 = strip_meta(c, m);
  if (rc0) return rc0;
  rc0 = adapter_trim(c, (uint32_t)(s - c->srcs));
  if (rc0) return rc0;
  rc0 = adapter_trim_types(c, m);
  if (rc0) return rc0;
  /* an adapter that uses memory instructions without a memory gets the main module's
   * (`env` `memory`, as wit-component's adapter gc does); adding a memory import moves no
   * function index */
  if (m->nimported_mems == 0 && m->nmems == 0 && c->srcs[0].has_mem) {
    wk_core_import *ni = wk_arena_alloc(&m->arena, (m->nimports + 1) * sizeof *ni);
    if (!ni) return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
    if (m->nimports) memcpy(ni, m->imports, m->nimports * sizeof *ni);
    ni[m->nimports] = (wk_core_import){.module = {"env", 3}, .name = {"memory", 6}, .kind = WK_EXTERN_MEMORY};
    m->imports = ni;
    m->nimports++;
    if (wk_core_reindex(m)) return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
  }
  int64_t sp = global_named(m, "__stack_pointer"), st = global_named(m, "allocation_state");
  int64_t realloc = -1;
  int main_realloc = 0; /* the realloc import is served by the main module's own export */
  uint32_t fi = 0;
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wk_core_import *im = &m->imports[i];
    if (im->kind != WK_EXTERN_FUNC) continue;
    if (!strcmp(cname(&im->module), "__main_module__") &&
        (!strcmp(cname(&im->name), "cabi_realloc") || !strcmp(cname(&im->name), "canonical_abi_realloc"))) {
      realloc = fi;
      main_realloc = find_export(c->srcs[0].m, cname(&im->name), WK_EXTERN_FUNC, NULL);
    }
    fi++;
  }
  /* wit-component gc.rs: with a stack pointer, an `allocation_state` global and the main module's
   * realloc, the stack is allocated lazily: a new `allocate_stack` function is called first thing
   * in every exported function, and there is no start function. The main module's realloc must not
   * run while the adapter is instantiated: it is a main-module export (wasm-ld wraps a command's
   * exports to run the constructors, which call imports) and the shim's table slots are only
   * filled by the fixup instance after the adapter is instantiated. Otherwise a start function
   * allocates the stack, through the realloc when it is the memory.grow one, else by growing the
   * memory itself (wit-component's realloc_via_memory_grow). */
  int lazy = sp >= 0 && st >= 0 && realloc >= 0 && main_realloc;
  /* (a stack no function left after adapter_trim uses is not allocated: a C adapter whose kept
   * functions need no stack frame, as adapter/preview1.c's on a plain stdout program, then has no
   * start function to validate, translate and run) */
  int eager = !lazy && sp >= 0 && !m->has_start && (m->nimported_mems + m->nmems) > 0 && global_used(m, (uint64_t)sp);
  if (lazy || eager) {
    /* type () -> () */
    wk_core_functype *nt = wk_arena_alloc(&m->arena, (m->ntypes + 1) * sizeof *nt);
    uint32_t *nf = wk_arena_alloc(&m->arena, (m->nfuncs + 1) * sizeof *nf);
    wk_core_code *ncd = wk_arena_alloc(&m->arena, (m->ncodes + 1) * sizeof *ncd);
    wk_local_group *lg = wk_arena_alloc(&m->arena, sizeof *lg);
    uint8_t *body = wk_arena_alloc(&m->arena, 128);
    if (!nt || !nf || !ncd || !lg || !body) return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
    if (m->ntypes) memcpy(nt, m->types, m->ntypes * sizeof *nt);
    nt[m->ntypes] = (wk_core_functype){0};
    if (m->nfuncs) memcpy(nf, m->funcs, m->nfuncs * sizeof *nf);
    nf[m->nfuncs] = m->ntypes;
    if (m->ncodes) memcpy(ncd, m->codes, m->ncodes * sizeof *ncd);
    int grow = realloc < 0 || main_realloc; /* eager, without a usable realloc: memory.grow here */
    wk_buf b = {0};
    if (st >= 0) {
      wk_buf_byte(&b, WK_OP_GLOBAL_GET); wk_buf_uleb(&b, (uint64_t)st); /* state */
      wk_buf_byte(&b, WK_OP_I32_CONST); wk_buf_sleb(&b, 0);              /* Unallocated */
      wk_buf_byte(&b, WK_OP_I32_EQ);
      wk_buf_byte(&b, WK_OP_IF); wk_buf_byte(&b, 0x40);                 /* blocktype: empty */
      wk_buf_byte(&b, WK_OP_I32_CONST); wk_buf_sleb(&b, 1);              /* Allocating */
      wk_buf_byte(&b, WK_OP_GLOBAL_SET); wk_buf_uleb(&b, (uint64_t)st);
    }
    if (!lazy && grow) {
      static const uint8_t g[] = {WK_OP_I32_CONST, 1, WK_OP_MEMORY_GROW, 0, WK_OP_LOCAL_TEE, 0, /* memory.grow 1, local.tee 0 */
                                  WK_OP_I32_CONST, 0x7f, WK_OP_I32_EQ, WK_OP_IF, 0x40, WK_OP_UNREACHABLE, WK_OP_END, /* == -1 -> unreachable */
                                  WK_OP_LOCAL_GET, 0, WK_OP_I32_CONST, 0x10, WK_OP_I32_SHL}; /* old pages << 16 */
      wk_buf_append(&b, g, sizeof g);
    } else {
      wk_buf_byte(&b, WK_OP_I32_CONST); wk_buf_sleb(&b, 0);
      wk_buf_byte(&b, WK_OP_I32_CONST); wk_buf_sleb(&b, 0);
      wk_buf_byte(&b, WK_OP_I32_CONST); wk_buf_sleb(&b, 8);
      wk_buf_byte(&b, WK_OP_I32_CONST); wk_buf_sleb(&b, PAGE);
      wk_buf_byte(&b, WK_OP_CALL); wk_buf_uleb(&b, (uint64_t)realloc);
    }
    wk_buf_byte(&b, WK_OP_I32_CONST); wk_buf_sleb(&b, PAGE);
    wk_buf_byte(&b, WK_OP_I32_ADD);
    wk_buf_byte(&b, WK_OP_GLOBAL_SET); wk_buf_uleb(&b, (uint64_t)sp);
    if (st >= 0) {
      wk_buf_byte(&b, WK_OP_I32_CONST); wk_buf_sleb(&b, 2);  /* Allocated */
      wk_buf_byte(&b, WK_OP_GLOBAL_SET); wk_buf_uleb(&b, (uint64_t)st);
      wk_buf_byte(&b, WK_OP_END);
    }
    wk_buf_byte(&b, WK_OP_END);
    if (b.oom || b.len > 128) { wk_buf_free(&b); return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory"); }
    memcpy(body, b.data, b.len);
    ncd[m->ncodes] = (wk_core_code){.body = body, .body_len = (uint32_t)b.len};
    if (!lazy && grow) {
      *lg = (wk_local_group){.count = 1, .type = WK_I32};
      ncd[m->ncodes].ngroups = 1;
      ncd[m->ncodes].groups = lg;
      ncd[m->ncodes].nlocals = 1;
    }
    wk_buf_free(&b);
    uint32_t alloc_fn = m->nimported_funcs + m->nfuncs; /* appended: no other index moves */
    if (lazy) {
      /* `call allocate_stack` before the body of each defined exported function */
      uint8_t callb[6];
      size_t cl = 0;
      callb[cl++] = WK_OP_CALL;
      for (uint32_t v = alloc_fn;; ) {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        callb[cl++] = byte | (v ? 0x80 : 0);
        if (!v) break;
      }
      for (uint32_t i = 0; i < m->nexports; i++) {
        const wk_core_export *ex = &m->exports[i];
        if (ex->kind != WK_EXTERN_FUNC || ex->index < m->nimported_funcs) continue;
        uint32_t k = ex->index - m->nimported_funcs;
        if (k >= m->ncodes) continue;
        int seen = 0; /* a function exported twice gets one call */
        for (uint32_t j = 0; j < i && !seen; j++)
          seen = m->exports[j].kind == WK_EXTERN_FUNC && m->exports[j].index == ex->index;
        if (seen) continue;
        uint8_t *nb = wk_arena_alloc(&m->arena, (size_t)ncd[k].body_len + cl);
        if (!nb) return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
        memcpy(nb, callb, cl);
        memcpy(nb + cl, ncd[k].body, ncd[k].body_len);
        ncd[k].body = nb;
        ncd[k].body_len += (uint32_t)cl;
        ncd[k].body_offset = 0;
      }
    }
    m->types = nt;
    m->ntypes++;
    m->funcs = nf;
    m->nfuncs++;
    m->codes = ncd;
    m->ncodes++;
    if (!lazy) {
      m->has_start = 1;
      m->start = alloc_fn;
    }
  }
  if ((rc0 = adapter_call_slots(c, s))) return rc0;
  short_import_names(c, s);
  if ((rc0 = adapter_fill_shim(c, s))) return rc0;
  return wk_core_encode(m, out, c->err);
}

/* The memory-first structure. The main module's imports of an adapter's functions exist before
 * the main module only when the adapter is instantiated first; the adapter needs the main module's
 * memory, so that memory must exist before both. When the main module defines exactly one memory
 * (plain: i32 addresses, not shared) and imports none, its memory definition becomes an import
 * (module "", name "$memory": appended last, so no index moves; Core 2.5.11: imported memories come first
 * in the memory index space and it is the only one) that the shim defines with the same limits
 * (Core 4.5.4 instantiation: an imported memory matches when its current size and maximum fit the
 * import's limits, and nothing has grown it yet). Then the adapters are instantiated before the
 * main module (Explainer.md "Instance Definitions": core instantiation takes already-defined core
 * instances as arguments), and the main module imports their functions directly instead of
 * through one shim trampoline each (translated on first call, plus the shim's own decoding and
 * validation). What the adapters need from the main module (`__main_module__` exports) goes
 * through the shim and the fixup instead. Not done (the main module first, as before) when no
 * used adapter serves the main module, the main module imports from module "" already, it was
 * renamed (re-encoded), or an adapter has a start function of its own (it could call the main
 * module, which then does not exist yet). Nor when the main module could see that its memory is no
 * longer its own fresh one: the adapters run first, and an adapter given a stack start function
 * (adapter_bytes: memory.grow at instantiation) has grown it before the main module's data
 * segments are written and its start function runs (Core 4.5.4 instantiation, steps 14-16). So
 * the main module must have no start function, and each active data segment must have a constant
 * offset (`i32.const`) and fit in the memory's minimum size, where the bounds check of an
 * instantiation (Core 4.5.4: out of bounds traps) gives the same answer before and after a grow. */
static int data_in_min(const wk_core_module *m) {
  uint64_t size = (uint64_t)m->mems[0].min * 65536;
  for (uint32_t i = 0; i < m->ndatas; i++) {
    const wk_core_data *d = &m->datas[i];
    if (d->mode != WK_SEG_ACTIVE) continue;
    /* the offset expression, read with lib/encode's instruction reader: i32.const c, end */
    const uint8_t *e = d->offset.bytes;
    size_t n = d->offset.len, k = 0;
    wk_insn c, end;
    wk_error err;
    if (!e || wk_insn_read(e, n, &k, &c, &err) || c.op != WK_OP_I32_CONST || wk_insn_read(e, n, &k, &end, &err) ||
        end.op != WK_OP_END || k != n)
      return 0;
    uint64_t off = (uint32_t)c.val.i32; /* (an i32 address: unsigned, Core 4.5.4) */
    if (off + d->len > size) return 0;
  }
  return 1;
}
static int mem_first_setup(ctx *c) {
  wk_core_module *m = c->srcs[0].m;
  if (c->main_mem_import >= 0 || m->nimported_mems || m->nmems != 1 || m->mems[0].is64 || m->mems[0].shared ||
      c->srcs[0].renamed || m->has_start || !data_in_min(m))
    return WK_OK;
  int serves = 0;
  for (uint32_t i = 0; i < c->nneeds; i++)
    if (c->needs[i].kind == K_ADAPTER && c->needs[i].src == 0) serves = 1;
  for (uint32_t i = 1; i < c->nsrcs; i++)
    if (c->srcs[i].used && c->srcs[i].m->has_start) serves = 0;
  for (uint32_t i = 0; i < m->nimports; i++) /* (module "" is the shim's instance, step 5) */
    if (!m->imports[i].module.len) serves = 0;
  if (!serves) return WK_OK;
  wk_core_import *ni = wk_arena_alloc(&m->arena, (m->nimports + 1) * sizeof *ni);
  if (!ni) return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
  if (m->nimports) memcpy(ni, m->imports, m->nimports * sizeof *ni);
  ni[m->nimports] = (wk_core_import){.module = {"", 0}, .name = {"$memory", 7}, .kind = WK_EXTERN_MEMORY, .mem = m->mems[0]};
  m->imports = ni;
  c->main_mem_import = m->nimports++;
  m->nmems = 0;
  if (wk_core_reindex(m)) return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
  c->mem_first = 1;
  return WK_OK;
}

/* The main module without its component-type sections (sections copied byte for byte); with
 * mem_first, its memory section dropped and the import section given the memory import
 * (mem_first_setup) as its last entry. */
static int main_bytes(ctx *c, const uint8_t *d, size_t n, wk_buf *out) {
  wk_section_iter it;
  wk_section s;
  int rc = wk_sections_begin(&it, d, n, c->err), k, added = !c->mem_first;
  if (rc) return rc;
  wk_buf imp = {0}; /* the memory import's entry */
  if (!added) {
    const wk_core_import *mi = &c->srcs[0].m->imports[c->main_mem_import];
    const wk_core_limits *l = &mi->mem;
    put_name(&imp, cname(&mi->module));
    put_name(&imp, cname(&mi->name));
    wk_buf_byte(&imp, WK_EXTERN_MEMORY);
    wk_buf_byte(&imp, l->has_max ? 0x01 : 0x00);
    wk_buf_uleb(&imp, l->min);
    if (l->has_max) wk_buf_uleb(&imp, l->max);
  }
  wk_buf_append(out, d, 8);
  while ((k = wk_sections_next(&it, &s, c->err)) == 1) {
    if (s.id == 0 && s.name_len >= 14 && !memcmp(s.name, "component-type", 14)) continue;
    if (c->mem_first && s.id == 5) continue;
    if (!added && (s.id == 2 || (s.id != 0 && s.id != 1))) {
      /* the import section with one entry more, or (none) a new one before the first section
       * after the type section (Core 5.5.2 section order) */
      wk_buf p = {0};
      uint64_t cnt = 0;
      size_t pos = s.content_offset;
      if (s.id == 2 && wk_read_uleb(d, s.end, &pos, 32, &cnt, c->err)) { wk_buf_free(&imp); return WK_ERR_MALFORMED; }
      wk_buf_uleb(&p, cnt + 1);
      if (s.id == 2) wk_buf_append(&p, d + pos, s.end - pos);
      wk_buf_append(&p, imp.data, imp.len);
      if (imp.oom) p.oom = 1;
      put_sec(out, 2, &p);
      wk_buf_free(&p);
      added = 1;
      if (s.id == 2) continue;
    }
    wk_buf_append(out, d + s.offset, s.end - s.offset);
  }
  if (!added && k == 0) {
    wk_buf p = {0};
    wk_buf_uleb(&p, 1);
    wk_buf_append(&p, imp.data, imp.len);
    put_sec(out, 2, &p);
    wk_buf_free(&p);
  }
  wk_buf_free(&imp);
  return k < 0 ? WK_ERR_MALFORMED : WK_OK;
}

/* ------------------------------------------------------------ building */

static int add_slot(ctx *c, const wk_core_functype *ty, uint32_t needi, uint32_t dtor) {
  slot *a = grow(c->slots, &c->capslots, c->nslots, sizeof *a);
  if (!a) return -1;
  c->slots = a;
  a[c->nslots] = (slot){.ty = *ty, .need = needi, .dtor_res = dtor};
  return (int)c->nslots++;
}

/* Copy of component type `t` with its type indices mapped through `map` (n entries). */
static int remap_type(ctx *c, const wk_ctype *t, const uint32_t *map, uint32_t n, wk_ctype *out) {
  *out = *t;
#define MAPV(v)                                                         \
  do {                                                                  \
    if (!(v).prim) {                                                    \
      if ((v).idx >= n) return wk_error_set(c->err, WK_ERR_UNSUPPORTED, "export type refers to an unknown type"); \
      (v).idx = map[(v).idx];                                           \
    }                                                                   \
  } while (0)
  switch (t->code) {
    case WK_CTC_INSTANCE: {
      /* an instance type: its own scope; only outer aliases (count 1) point at ours */
      if (!t->ndecls) return WK_OK;
      wk_cdecl *ds = wk_cb_alloc(c->b, t->ndecls * sizeof *ds);
      if (!ds) return WK_ERR_NOMEM;
      memcpy(ds, t->decls, t->ndecls * sizeof *ds);
      for (uint32_t i = 0; i < t->ndecls; i++)
        if (ds[i].kind == WK_CDECL_ALIAS && ds[i].alias.target == WK_CALIAS_OUTER && ds[i].alias.inst == 1) {
          if (ds[i].alias.idx >= n) return wk_error_set(c->err, WK_ERR_UNSUPPORTED, "instance type refers to an unknown type");
          ds[i].alias.idx = map[ds[i].alias.idx];
        } else if (ds[i].kind == WK_CDECL_ALIAS && ds[i].alias.target == WK_CALIAS_OUTER)
          return wk_error_set(c->err, WK_ERR_UNSUPPORTED, "instance type with a deep outer alias");
      out->decls = ds;
      return WK_OK;
    }
    case WK_CTC_COMPONENT: case WK_CTC_RESOURCE:
      return wk_error_set(c->err, WK_ERR_UNSUPPORTED, "nested component/resource type in an export interface");
    case WK_CTC_OWN: case WK_CTC_BORROW:
      if (t->idx >= n) return wk_error_set(c->err, WK_ERR_UNSUPPORTED, "export type refers to an unknown type");
      out->idx = map[t->idx];
      return WK_OK;
    default: break;
  }
  if (t->n) {
    out->fields = wk_cb_alloc(c->b, t->n * sizeof *out->fields);
    if (!out->fields) return WK_ERR_NOMEM;
    memcpy(out->fields, t->fields, t->n * sizeof *out->fields);
    for (uint32_t i = 0; i < t->n; i++)
      if (out->fields[i].has_type || t->code == WK_CTC_FUNC || t->code == WK_CTC_ASYNC_FUNC || t->code == WK_CTC_RECORD || t->code == WK_CTC_TUPLE) MAPV(out->fields[i].type);
  }
  if (t->nresults) {
    out->results = wk_cb_alloc(c->b, t->nresults * sizeof *out->results);
    if (!out->results) return WK_ERR_NOMEM;
    memcpy(out->results, t->results, t->nresults * sizeof *out->results);
    for (uint32_t i = 0; i < t->nresults; i++) MAPV(out->results[i].type);
  }
  switch (t->code) {
    case WK_CTC_LIST: case WK_CTC_OPTION: case WK_CTC_FIXED_LIST: case WK_CTC_MAP: case WK_CTC_STREAM: case WK_CTC_FUTURE: case WK_CTC_RESULT: case WK_CTC_FUNC: case WK_CTC_ASYNC_FUNC:
      if (t->code == WK_CTC_RESULT || t->code == WK_CTC_STREAM || t->code == WK_CTC_FUTURE) {
        if (t->has_a) MAPV(out->a);
        if (t->has_b) MAPV(out->b);
      } else if ((t->code == WK_CTC_FUNC || t->code == WK_CTC_ASYNC_FUNC)) {
        if (!t->results_none) MAPV(out->a);
      } else {
        MAPV(out->a);
        if (t->code == WK_CTC_MAP) MAPV(out->b);
      }
      break;
    default: break;
  }
#undef MAPV
  return WK_OK;
}

static wk_cb_opts lift_opts(ctx *c, src *s, const wit_function *f, const char *core_name, int *rc) {
  wk_cb_opts o = {.string_encoding = -1};
  int mem, realloc, strenc;
  *rc = required_opts(c, f, 0, &mem, &realloc, &strenc);
  if (*rc) return o;
  if (strenc) o.string_encoding = s->string_enc;
  if (mem) {
    if (!s->has_mem) { *rc = wk_error_set(c->err, WK_ERR_INVALID, "module does not export a memory named `memory` (needed by `%s`)", core_name); return o; }
    o.has_memory = 1;
    o.memory = s->mem;
  }
  if (realloc) {
    if (!s->has_realloc) { *rc = wk_error_set(c->err, WK_ERR_INVALID, "module does not export a function named `cabi_realloc` (needed by `%s`)", core_name); return o; }
    o.has_realloc = 1;
    o.realloc = s->realloc;
  }
  char post[1200];
  snprintf(post, sizeof post, "cabi_post_%s", core_name);
  if (find_export(s->m, post, WK_EXTERN_FUNC, NULL)) {
    o.has_post_return = 1;
    o.post_return = wk_cb_alias_core_export(c->b, s->inst, post, WK_CB_CORE_FUNC);
  }
  return o;
}

/* Lift core export `core_name` of `s` for WIT function `f` with component type `type`. */
static uint32_t lift(ctx *c, src *s, const wit_function *f, const char *core_name, uint32_t type, int *rc) {
  if (!find_export(s->m, core_name, WK_EXTERN_FUNC, NULL)) {
    *rc = wk_error_set(c->err, WK_ERR_INVALID, "module does not export the function `%s` the world requires", core_name);
    return 0;
  }
  wk_cb_opts o = lift_opts(c, s, f, core_name, rc);
  if (*rc) return 0;
  uint32_t cf = wk_cb_alias_core_export(c->b, s->inst, core_name, WK_CB_CORE_FUNC);
  return wk_cb_canon_lift(c->b, cf, type, &o);
}

/* The module that provides export item `it` (the main module, or an adapter whose world has it). */
static src *export_owner(ctx *c, const wit_world_item *it) {
  const char *key = item_key(c, it);
  for (uint32_t k = 1; k < c->nsrcs; k++) {
    src *s = &c->srcs[k];
    if (!s->used || s->world == WIT_NONE) continue;
    const wit_world *w = &c->r->worlds[s->world];
    for (uint32_t i = 0; i < w->n_exports; i++)
      if (!strcmp(item_key(c, &w->exports[i]), key)) return s;
  }
  return &c->srcs[0];
}

/* ---- structural copies of outer types into a shim component ----
 * A shim component may not refer to the enclosing component's named types through outer
 * aliases (wasm-tools: an import's type must only use types imported before), so each one it
 * needs is rebuilt inside it: resources as `(sub resource)` imports, other named types as their
 * definition (over the copies of what they use) imported with an `(eq)` bound, every import
 * instantiated with the enclosing component's own type. */
typedef struct lmemo { uint32_t inst, j, local; } lmemo;
typedef struct shimx {
  ctx *c;
  const wk_ctype *wt;
  const uint32_t *wmap, *imap;
  uint32_t wtypes, winsts;
  wk_cbuild *parent, *child;
  uint32_t *wmemo;
  lmemo *lm;
  uint32_t nl, capl;
  wk_cb_item *args;
  uint32_t nargs, capargs;
  uint32_t names;
  int rc;
} shimx;

static int is_type_decl(const wk_cdecl *e) {
  return e->kind == WK_CDECL_TYPE || (e->kind == WK_CDECL_ALIAS && e->alias.sort.sort == WK_CSORT_TYPE) ||
         ((e->kind == WK_CDECL_IMPORT || e->kind == WK_CDECL_EXPORT) && e->ext.kind == WK_CSORT_TYPE);
}
/* The declaration introducing type index `t` in a list of declarations. */
static const wk_cdecl *decl_of_type(const wk_cdecl *ds, uint32_t n, uint32_t t) {
  uint32_t k = 0;
  for (uint32_t i = 0; i < n; i++)
    if (is_type_decl(&ds[i]) && k++ == t) return &ds[i];
  return NULL;
}
/* The instance type of world-scope instance `i`. */
static const wk_ctype *world_inst_type(const wk_ctype *wt, uint32_t i) {
  uint32_t k = 0;
  for (uint32_t d = 0; d < wt->ndecls; d++) {
    const wk_cdecl *e = &wt->decls[d];
    if ((e->kind == WK_CDECL_IMPORT || e->kind == WK_CDECL_EXPORT) && e->ext.kind == WK_CSORT_INSTANCE && k++ == i) {
      const wk_cdecl *td = decl_of_type(wt->decls, wt->ndecls, e->ext.idx);
      return td && td->kind == WK_CDECL_TYPE && td->type->code == WK_CTC_INSTANCE ? td->type : NULL;
    }
  }
  return NULL;
}

static uint32_t sx_fail(shimx *x, const char *why) {
  if (!x->rc) x->rc = wk_error_set(x->c->err, WK_ERR_UNSUPPORTED, "export shim: %s", why);
  return 0;
}

static uint32_t sx_arg(shimx *x, const char *name, uint32_t top) {
  if (x->nargs == x->capargs) {
    uint32_t nc = x->capargs ? x->capargs * 2 : 16;
    wk_cb_item *a = wk_reallocarray(x->args, nc, sizeof *a);
    if (!a) { x->rc = WK_ERR_NOMEM; return 0; }
    x->args = a;
    x->capargs = nc;
  }
  x->args[x->nargs++] = (wk_cb_item){wk_arena_strndup(&x->c->arena, name, strlen(name)), WK_CB_TYPE, top};
  return 0;
}

/* A named import of the copy: `(import "import-type-sN" (type (sub resource) | (eq local)))`. */
static uint32_t sx_import(shimx *x, int resource, uint32_t local, uint32_t top) {
  char an[32];
  snprintf(an, sizeof an, "import-type-s%u", x->names++);
  wk_cextern e = {.kind = WK_CSORT_TYPE, .bound = resource ? WK_CBOUND_SUB_RESOURCE : WK_CBOUND_EQ, .idx = local};
  uint32_t r = wk_cb_import(x->child, an, &e);
  sx_arg(x, an, top);
  return r;
}

static uint32_t sx_world(shimx *x, uint32_t w, int depth);
static uint32_t sx_local(shimx *x, uint32_t inst, const wk_ctype *ity, uint32_t j, int depth);

/* Copy type definition `t`, its references resolved by `inst`/`ity` (instance scope) or, when
 * ity is NULL, in the world scope. */
static uint32_t sx_copy(shimx *x, const wk_ctype *t, uint32_t inst, const wk_ctype *ity, int depth) {
  uint32_t maxref = 0;
  uint32_t refs[512], nrefs = 0;
#define REF(v) do { if (!(v).prim && nrefs < 512) { refs[nrefs++] = (v).idx; if ((v).idx > maxref) maxref = (v).idx; } } while (0)
  switch (t->code) {
    case WK_CTC_OWN: case WK_CTC_BORROW: refs[nrefs++] = t->idx; maxref = t->idx; break;
    case WK_CTC_COMPONENT: case WK_CTC_INSTANCE: case WK_CTC_RESOURCE: return sx_fail(x, "unexpected type kind");
    default:
      for (uint32_t i = 0; i < t->n; i++)
        if (t->fields[i].has_type || t->code == WK_CTC_FUNC || t->code == WK_CTC_ASYNC_FUNC || t->code == WK_CTC_RECORD || t->code == WK_CTC_TUPLE) REF(t->fields[i].type);
      for (uint32_t i = 0; i < t->nresults; i++) REF(t->results[i].type);
      if (t->code == WK_CTC_RESULT || t->code == WK_CTC_STREAM || t->code == WK_CTC_FUTURE) { if (t->has_a) REF(t->a); if (t->has_b) REF(t->b); }
      else if (t->code == WK_CTC_FUNC || t->code == WK_CTC_ASYNC_FUNC) { if (!t->results_none) REF(t->a); }
      else if (t->code == WK_CTC_LIST || t->code == WK_CTC_OPTION || t->code == WK_CTC_FIXED_LIST || t->code == WK_CTC_MAP) { REF(t->a); if (t->code == WK_CTC_MAP) REF(t->b); }
  }
#undef REF
  if (nrefs >= 512) return sx_fail(x, "type too large");
  uint32_t *map = calloc((size_t)maxref + 1, sizeof *map);
  if (!map) { x->rc = WK_ERR_NOMEM; return 0; }
  for (uint32_t i = 0; i < nrefs && !x->rc; i++)
    map[refs[i]] = ity ? sx_local(x, inst, ity, refs[i], depth + 1) : sx_world(x, refs[i], depth + 1);
  wk_ctype out;
  if (!x->rc) x->rc = remap_type(x->c, t, map, maxref + 1, &out);
  free(map);
  return x->rc ? 0 : wk_cb_type(x->child, &out);
}

static uint32_t sx_local(shimx *x, uint32_t inst, const wk_ctype *ity, uint32_t j, int depth) {
  if (x->rc) return 0;
  if (depth > 64) return sx_fail(x, "types nest too deeply");
  for (uint32_t i = 0; i < x->nl; i++)
    if (x->lm[i].inst == inst && x->lm[i].j == j) return x->lm[i].local;
  const wk_cdecl *e = decl_of_type(ity->decls, ity->ndecls, j);
  if (!e) return sx_fail(x, "unknown instance type index");
  uint32_t r = 0;
  if (e->kind == WK_CDECL_TYPE) r = sx_copy(x, e->type, inst, ity, depth);
  else if (e->kind == WK_CDECL_ALIAS) {
    if (e->alias.target != WK_CALIAS_OUTER || e->alias.inst != 1) return sx_fail(x, "unexpected alias");
    r = sx_world(x, e->alias.idx, depth + 1);
  } else {
    /* an exported (named) type of instance `inst` */
    char nm[512];
    snprintf(nm, sizeof nm, "%.*s", (int)e->name.name.len, e->name.name.s);
    uint32_t top = wk_cb_alias_export(x->parent, x->imap[inst], nm, WK_CB_TYPE);
    if (e->ext.bound == 1) r = sx_import(x, 1, 0, top);
    else {
      uint32_t inner = sx_local(x, inst, ity, e->ext.idx, depth + 1);
      if (x->rc) return 0;
      r = sx_import(x, 0, inner, top);
    }
  }
  if (x->rc) return 0;
  if (x->nl == x->capl) {
    uint32_t nc = x->capl ? x->capl * 2 : 16;
    lmemo *a = wk_reallocarray(x->lm, nc, sizeof *a);
    if (!a) { x->rc = WK_ERR_NOMEM; return 0; }
    x->lm = a;
    x->capl = nc;
  }
  x->lm[x->nl++] = (lmemo){inst, j, r};
  return r;
}

static uint32_t sx_world(shimx *x, uint32_t w, int depth) {
  if (x->rc) return 0;
  if (depth > 64) return sx_fail(x, "types nest too deeply");
  if (w >= x->wtypes) return sx_fail(x, "unknown world type index");
  if (x->wmemo[w] != UINT32_MAX) return x->wmemo[w];
  const wk_cdecl *d = decl_of_type(x->wt->decls, x->wt->ndecls, w);
  if (!d) return sx_fail(x, "unknown world type");
  uint32_t r = 0;
  if (d->kind == WK_CDECL_ALIAS) {
    if (d->alias.target != WK_CALIAS_EXPORT || d->alias.inst >= x->winsts) return sx_fail(x, "unexpected world alias");
    const wk_ctype *ity = world_inst_type(x->wt, d->alias.inst);
    if (!ity) return sx_fail(x, "instance without an instance type");
    uint32_t k = 0, jn = UINT32_MAX;
    for (uint32_t i = 0; i < ity->ndecls && jn == UINT32_MAX; i++) {
      const wk_cdecl *e = &ity->decls[i];
      if (!is_type_decl(e)) continue;
      if (e->kind == WK_CDECL_EXPORT && e->name.name.len == d->alias.name.len && !memcmp(e->name.name.s, d->alias.name.s, d->alias.name.len)) jn = k;
      k++;
    }
    if (jn == UINT32_MAX) return sx_fail(x, "aliased export not found");
    r = sx_local(x, d->alias.inst, ity, jn, depth + 1);
  } else if (d->kind == WK_CDECL_IMPORT || d->kind == WK_CDECL_EXPORT) {
    if (d->ext.bound == 1) r = sx_import(x, 1, 0, x->wmap[w]);
    else {
      uint32_t inner = sx_world(x, d->ext.idx, depth + 1);
      if (x->rc) return 0;
      r = sx_import(x, 0, inner, x->wmap[w]);
    }
  } else r = sx_copy(x, d->type, 0, NULL, depth);
  if (x->rc) return 0;
  x->wmemo[w] = r;
  return r;
}

/* The body of an export's shim component (into c->b): instance type `ity`'s declarations,
 * first as imports ("import-type-tK" / "import-func-fK", K = the declaration's position), then
 * as exports under their own names with types rebuilt over the exported types. */
static int shim_component(ctx *c, shimx *x, const wk_ctype *wt, const wk_ctype *ity, const uint32_t *wmap, uint32_t wtypes,
                          const char *dname) {
  wk_cbuild *b = c->b;
  uint32_t n = ity->ndecls;
  uint32_t *mimp = calloc(n + 1, sizeof *mimp), *mexp = calloc(n + 1, sizeof *mexp), *fidx = calloc(n + 1, sizeof *fidx);
  uint32_t *declty = calloc(n + 1, sizeof *declty); /* decl -> its type index in the instance scope */
  int rc = WK_OK;
  if (!mimp || !mexp || !fidx || !declty) { rc = wk_error_set(c->err, WK_ERR_NOMEM, "out of memory"); goto out; }
  uint32_t nt = 0;
  char an[32];
  for (uint32_t k = 0; k < n && rc == WK_OK; k++) {
    const wk_cdecl *e = &ity->decls[k];
    if (e->kind == WK_CDECL_TYPE) {
      wk_ctype t;
      rc = remap_type(c, e->type, mimp, nt, &t);
      if (rc == WK_OK) { declty[k] = nt; mimp[nt++] = wk_cb_type(b, &t); }
    } else if (e->kind == WK_CDECL_ALIAS) {
      if (e->alias.idx >= wtypes) { rc = wk_error_set(c->err, WK_ERR_UNSUPPORTED, "export `%s`: bad outer alias", dname); break; }
      declty[k] = nt;
      mimp[nt++] = sx_world(x, e->alias.idx, 0);
      if (x->rc) { rc = x->rc; break; }
    } else if (e->kind == WK_CDECL_EXPORT && e->ext.kind == WK_CSORT_TYPE) {
      snprintf(an, sizeof an, "import-type-t%u", k);
      wk_cextern x = {.kind = WK_CSORT_TYPE, .bound = e->ext.bound};
      if (e->ext.bound == 0) {
        if (e->ext.idx >= nt) { rc = wk_error_set(c->err, WK_ERR_UNSUPPORTED, "export `%s`: bad type index", dname); break; }
        x.idx = mimp[e->ext.idx];
      }
      declty[k] = nt;
      mimp[nt++] = wk_cb_import(b, an, &x);
    } else if (e->kind == WK_CDECL_EXPORT && e->ext.kind == WK_CSORT_FUNC) {
      if (e->ext.idx >= nt) { rc = wk_error_set(c->err, WK_ERR_UNSUPPORTED, "export `%s`: bad type index", dname); break; }
      snprintf(an, sizeof an, "import-func-f%u", k);
      wk_cextern x = {.kind = WK_CSORT_FUNC, .idx = mimp[e->ext.idx]};
      fidx[k] = wk_cb_import(b, an, &x);
    } else rc = wk_error_set(c->err, WK_ERR_UNSUPPORTED, "export `%s`: unexpected declaration", dname);
  }
  nt = 0;
  for (uint32_t k = 0; k < n && rc == WK_OK; k++) {
    const wk_cdecl *e = &ity->decls[k];
    if (e->kind == WK_CDECL_TYPE) {
      wk_ctype t;
      rc = remap_type(c, e->type, mexp, nt, &t);
      if (rc == WK_OK) mexp[nt++] = wk_cb_type(b, &t);
    } else if (e->kind == WK_CDECL_ALIAS) {
      mexp[nt] = mimp[nt];
      nt++;
    } else if (e->kind == WK_CDECL_EXPORT && e->ext.kind == WK_CSORT_TYPE) {
      /* a resource is exported as the import it is; any other type as its definition rebuilt
       * over the exported types (so that what it refers to is this instance's own export) */
      uint32_t what = e->ext.bound == 1 || e->ext.idx >= nt ? mimp[declty[k]] : mexp[e->ext.idx];
      mexp[nt] = wk_cb_export_cname(b, &e->name, WK_CB_TYPE, what, NULL);
      nt++;
    } else if (e->kind == WK_CDECL_EXPORT && e->ext.kind == WK_CSORT_FUNC) {
      wk_cextern x = {.kind = WK_CSORT_FUNC, .idx = mexp[e->ext.idx]};
      wk_cb_export_cname(b, &e->name, WK_CB_FUNC, fidx[k], &x);
    }
  }
out:
  free(mimp);
  free(mexp);
  free(fidx);
  free(declty);
  return rc;
}

static int build(ctx *c, const wk_ctype *wt, wk_buf *out) {
  wk_cbuild *b = c->b;
  const wit_world *w = &c->r->worlds[c->world];
  int rc = WK_OK;
  /* 1. the world's imports, decl by decl up to the first export (indices match the world type's) */
  uint32_t first_export = wt->ndecls, wtypes = 0, winsts = 0;
  for (uint32_t i = 0; i < wt->ndecls; i++) {
    const wk_cdecl *d = &wt->decls[i];
    if (d->kind == WK_CDECL_EXPORT) { first_export = i; break; }
    if (d->kind == WK_CDECL_TYPE) { wk_cb_type(b, d->type); wtypes++; }
    else if (d->kind == WK_CDECL_ALIAS) {
      if (d->alias.target != WK_CALIAS_EXPORT || d->alias.sort.sort != WK_CSORT_TYPE) return wk_error_set(c->err, WK_ERR_UNSUPPORTED, "unexpected alias in the world type");
      wk_cb_alias_export(b, d->alias.inst, wk_arena_strndup(&c->arena, d->alias.name.s, d->alias.name.len), d->alias.sort.sort);
      wtypes++;
    } else if (d->kind == WK_CDECL_IMPORT) {
      uint32_t idx = wk_cb_import_cname(b, &d->name, &d->ext);
      if (d->ext.kind == WK_CSORT_TYPE) wtypes++;
      if (d->ext.kind == WK_CSORT_INSTANCE) winsts++;
      /* which world import item this is: same key, matching kind */
      uint32_t want = d->ext.kind == WK_CSORT_TYPE ? WIT_ITEM_TYPE : d->ext.kind == WK_CSORT_INSTANCE ? WIT_ITEM_INTERFACE : WIT_ITEM_FUNCTION;
      for (uint32_t k = 0; k < w->n_imports; k++) {
        if (w->imports[k].kind != want || c->imp_index[k] != UINT32_MAX) continue;
        const char *key = item_key(c, &w->imports[k]);
        if (d->name.name.len == strlen(key) && !memcmp(d->name.name.s, key, d->name.name.len)) { c->imp_index[k] = idx; break; }
      }
    } else return wk_error_set(c->err, WK_ERR_UNSUPPORTED, "unexpected declaration in the world type");
  }
  /* 2. lowerings; decide direct vs indirect */
  for (uint32_t i = 0; i < c->nneeds; i++) {
    need *n = &c->needs[i];
    src *s = &c->srcs[n->src];
    if (!s->used) continue;
    const wk_core_import *im = &s->m->imports[n->imp];
    const wk_core_functype *ity = &s->m->types[im->type_index];
    if (n->kind == K_LOWER) {
      int mem, realloc, strenc;
      if ((rc = required_opts(c, n->fn, 1, &mem, &realloc, &strenc))) return rc;
      uint32_t f;
      if (w->imports[n->witem].kind == WIT_ITEM_FUNCTION) f = c->imp_index[n->witem];
      else f = wk_cb_alias_export(b, c->imp_index[n->witem], n->fn->name, WK_CB_FUNC);
      n->opts = (wk_cb_opts){.string_encoding = -1};
      if (strenc) n->opts.string_encoding = s->string_enc;
      n->opts.has_memory = mem;
      n->opts.has_realloc = realloc;
      n->comp_func = f;
      if (mem && !realloc && n->src > 0 && !find_export(s->m, "memory", WK_EXTERN_MEMORY, NULL)) {
        /* an adapter's lowering whose only option is the memory, the main module's (the adapter
         * defines none, step 5): no cycle, so no shim slot; lowered in step 5, before the adapter
         * is instantiated (wit-component routes every lowering with options through the shim) */
        n->late = 1;
      } else if (mem || realloc) {
        n->indirect = 1;
        int sl = add_slot(c, ity, i, UINT32_MAX);
        if (sl < 0) return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
        n->slot = (uint32_t)sl;
      } else n->core_func = wk_cb_canon_lower(b, f, &n->opts);
    } else if (n->kind == K_RES_DROP && n->witem != UINT32_MAX) {
      const wit_typedef *td = &c->r->types[n->res];
      uint32_t t;
      if (n->witem == UINT32_MAX - 1) {
        /* world-level imported resource: the type its import defines */
        t = UINT32_MAX;
        for (uint32_t k = 0; k < w->n_imports && t == UINT32_MAX; k++) {
          if (w->imports[k].kind != WIT_ITEM_TYPE) continue;
          wit_id id = w->imports[k].id;
          while (c->r->types[id].kind == WIT_TD_TYPE && c->r->types[id].ty.prim == WIT_PRIM_ID) id = c->r->types[id].ty.id;
          if (id == n->res) t = c->imp_index[k];
        }
        if (t == UINT32_MAX) return wk_error_set(c->err, WK_ERR_INVALID, "resource `%s` is not imported by the world", td->name);
      } else t = wk_cb_alias_export(b, c->imp_index[n->witem], td->name, WK_CB_TYPE);
      n->core_func = wk_cb_canon_resource_drop(b, t);
    } else if (n->kind == K_ADAPTER || (n->kind == K_MAIN_EXPORT && c->mem_first)) {
      /* mem_first: the main module imports an adapter's function directly (the adapter is
       * instantiated first, step 5), and an adapter's import of a main-module export goes
       * through the shim instead */
      if (n->kind == K_ADAPTER && c->mem_first && n->src == 0) continue;
      n->indirect = 1;
      int sl = add_slot(c, ity, i, UINT32_MAX);
      if (sl < 0) return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
      n->slot = (uint32_t)sl;
    }
  }
  /* exported resources (all resources of exported interfaces) and their destructors */
  src *mainsrc = &c->srcs[0];
  for (uint32_t e = 0; e < w->n_exports; e++) {
    const wit_world_item *it = &w->exports[e];
    if (it->kind != WIT_ITEM_INTERFACE) continue;
    const wit_interface *in = &c->r->interfaces[it->id];
    for (uint32_t k = 0; k < in->n_types; k++) {
      wit_id id = in->types[k].id;
      if (c->r->types[id].kind != WIT_TD_RESOURCE || c->r->types[id].owner != it->id) continue;
      xres *x = grow(c->res, &c->capres, c->nres, sizeof *x);
      if (!x) return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
      c->res = x;
      x = &c->res[c->nres];
      *x = (xres){.key = item_key(c, it), .id = id};
      char dn[1200];
      snprintf(dn, sizeof dn, "%s#[dtor]%s", x->key, c->r->types[id].name);
      src *owner = export_owner(c, it);
      if (owner == mainsrc && find_export(mainsrc->m, dn, WK_EXTERN_FUNC, &x->dtor_export)) {
        x->has_dtor = 1;
        static const uint8_t i32[] = {WK_I32};
        wk_core_functype ty = {1, 0, i32, NULL, NULL};
        int sl = add_slot(c, &ty, UINT32_MAX, c->nres);
        if (sl < 0) return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
        x->slot = (uint32_t)sl;
      }
      c->nres++;
    }
  }
  /* the adapters as they go into the component (step 5), made before the shim: adapter_call_slots
   * decides which of their slots need no trampoline in it */
  wk_buf *abytes = c->abytes = calloc(c->nsrcs + 1, sizeof *abytes);
  if (!abytes) return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
  for (uint32_t si = 1; si < c->nsrcs && rc == WK_OK; si++) {
    if (!c->srcs[si].used) continue;
    c->err_src = (int)si - 1;
    rc = adapter_bytes(c, &c->srcs[si], &abytes[si]);
    if (rc == WK_OK) c->err_src = -1;
  }
  if (rc) return rc;
  /* 3. the shim */
  uint32_t shim_inst = 0, shim_table = UINT32_MAX;
  if (c->nslots || c->main_mem_import >= 0) {
    wk_buf sm = {0};
    shim_module(c, &sm, c->main_mem_import >= 0 ? &c->srcs[0].m->imports[c->main_mem_import].mem : NULL);
    if (sm.oom) { wk_buf_free(&sm); return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory"); }
    uint32_t mod = wk_cb_core_module(b, sm.data, sm.len);
    wk_buf_free(&sm);
    wk_cb_name(b, WK_CB_CORE_MODULE, mod, "wit-component:shim");
    shim_inst = wk_cb_core_instantiate(b, mod, 0, NULL);
    wk_cb_name(b, WK_CB_CORE_INSTANCE, shim_inst, "wit-component:shim");
    if (c->main_mem_import >= 0) {
      c->srcs[0].has_mem = 1;
      c->srcs[0].mem = wk_cb_alias_core_export(b, shim_inst, "$memory", WK_CB_CORE_MEMORY);
    }
    char nm[16];
    for (uint32_t i = 0; i < c->nslots; i++) {
      if (c->slots[i].tabled) continue; /* (no trampoline: adapter_call_slots) */
      snprintf(nm, sizeof nm, "%u", i);
      c->slots[i].shim_func = wk_cb_alias_core_export(b, shim_inst, nm, WK_CB_CORE_FUNC);
      if (c->slots[i].need != UINT32_MAX) c->needs[c->slots[i].need].core_func = c->slots[i].shim_func;
    }
  }
  /* 4. exported resource types and intrinsics */
  for (uint32_t i = 0; i < c->nres; i++) {
    xres *x = &c->res[i];
    x->type = wk_cb_type_resource(b, x->has_dtor ? (int64_t)c->slots[x->slot].shim_func : -1);
  }
  for (uint32_t i = 0; i < c->nneeds; i++) {
    need *n = &c->needs[i];
    if (!c->srcs[n->src].used) continue;
    if (!(n->kind == K_RES_NEW || n->kind == K_RES_REP || (n->kind == K_RES_DROP && n->witem == UINT32_MAX))) continue;
    uint32_t t = UINT32_MAX;
    for (uint32_t k = 0; k < c->nres; k++)
      if (c->res[k].id == n->res) t = c->res[k].type;
    if (t == UINT32_MAX) return wk_error_set(c->err, WK_ERR_UNSUPPORTED, "resource intrinsic for a world-level exported resource");
    n->core_func = n->kind == K_RES_NEW ? wk_cb_canon_resource_new(b, t)
                 : n->kind == K_RES_REP ? wk_cb_canon_resource_rep(b, t) : wk_cb_canon_resource_drop(b, t);
  }
  /* 5. modules: the main module first, then the adapters; with mem_first the adapters first */
  uint32_t memgrow_func = UINT32_MAX;
  for (uint32_t oi = 0; oi < c->nsrcs; oi++) {
    uint32_t si = !c->mem_first ? oi : oi + 1 < c->nsrcs ? oi + 1 : 0;
    src *s = &c->srcs[si];
    if (!s->used) continue;
    wk_buf mb = {0};
    if (si > 0) { mb = abytes[si]; abytes[si] = (wk_buf){0}; }
    c->err_src = (int)si - 1;
    rc = si > 0 ? WK_OK : s->renamed ? strip_encode(c, s, &mb) : main_bytes(c, s->bytes, s->len, &mb);
    if (rc == WK_OK) c->err_src = -1;
    if (rc) { wk_buf_free(&mb); return rc; }
    uint32_t mod = wk_cb_core_module(b, mb.data, mb.len);
    wk_buf_free(&mb);
    char nm[600];
    snprintf(nm, sizeof nm, si == 0 ? "main" : "wit-component:adapter:%s", s->name);
    wk_cb_name(b, WK_CB_CORE_MODULE, mod, nm);
    if (si > 0) {
      /* memory.grow realloc for the adapter if needed */
      for (uint32_t i = 0; i < c->nneeds; i++)
        if (c->needs[i].src == si && c->needs[i].kind == K_MEMGROW && memgrow_func == UINT32_MAX) {
          wk_buf g = {0};
          memgrow_module(&g);
          uint32_t gm = wk_cb_core_module(b, g.data, g.len);
          wk_buf_free(&g);
          wk_cb_name(b, WK_CB_CORE_MODULE, gm, "wit-component:realloc-via-memory-grow");
          wk_cb_item mi = {"memory", WK_CB_CORE_MEMORY, c->srcs[0].mem};
          uint32_t env = wk_cb_core_instance_exports(b, 1, &mi);
          wk_cb_item arg = {"env", WK_CB_CORE_INSTANCE, env};
          uint32_t gi = wk_cb_core_instantiate(b, gm, 1, &arg);
          memgrow_func = wk_cb_alias_core_export(b, gi, "cabi_realloc", WK_CB_CORE_FUNC);
        }
      for (uint32_t i = 0; i < c->nneeds; i++) {
        need *n = &c->needs[i];
        if (n->src != si) continue;
        if (n->kind == K_MEMGROW) n->core_func = memgrow_func;
        else if (n->kind == K_MAIN_EXPORT && !n->indirect) n->core_func = wk_cb_alias_core_export(b, c->srcs[0].inst, n->field, WK_CB_CORE_FUNC);
        else if (n->late) {
          if (!c->srcs[0].has_mem) {
            const wk_core_import *im = orig_import(s, n->imp);
            return wk_error_at(c->err, WK_ERR_INVALID, im->offset, "module does not export a memory named `memory` (needed to lower `%s::%s`)", cname(&im->module), cname(&im->name));
          }
          n->opts.memory = c->srcs[0].mem;
          n->core_func = wk_cb_canon_lower(b, n->comp_func, &n->opts);
        }
      }
    }
    /* group the imports by module name, in order of first appearance */
    const wk_core_module *m = s->m;
    wk_cb_item *args = calloc(m->nimports + 1, sizeof *args);
    wk_cb_item *items = calloc(m->nimports + 1, sizeof *items);
    uint8_t *done = calloc(m->nimports + 1, 1);
    if (!args || !items || !done) { free(args); free(items); free(done); return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory"); }
    uint32_t nargs = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
      if (done[i]) continue;
      const char *mn = cname(&m->imports[i].module);
      uint32_t nit = 0;
      if (si == 0 && c->mem_first) {
        /* mem_first: a module's imports that one instance serves whole, the shim's (the memory,
         * "" "$memory") or an adapter's (its functions, by their own names), get that instance as
         * the argument (Core 4.5.4: an instance may export more than is imported), not one
         * aliased function each in an instance of their own */
        int64_t whole = -1;
        for (uint32_t k = i; k < m->nimports && whole != -2; k++) {
          if (done[k] || strcmp(cname(&m->imports[k].module), mn)) continue;
          int64_t inst = -2;
          if ((int64_t)k == c->main_mem_import) inst = shim_inst;
          else
            for (uint32_t q = 0; q < c->nneeds; q++)
              if (c->needs[q].src == 0 && c->needs[q].imp == k && c->needs[q].kind == K_ADAPTER && !c->needs[q].indirect)
                inst = c->srcs[c->needs[q].adapter].inst;
          whole = whole == -1 || whole == inst ? inst : -2;
        }
        if (whole >= 0) {
          for (uint32_t k = i; k < m->nimports; k++)
            if (!strcmp(cname(&m->imports[k].module), mn)) done[k] = 1;
          args[nargs++] = (wk_cb_item){mn, WK_CB_CORE_INSTANCE, (uint32_t)whole};
          continue;
        }
      }
      for (uint32_t k = i; k < m->nimports; k++) {
        if (done[k] || strcmp(cname(&m->imports[k].module), mn)) continue;
        done[k] = 1;
        const wk_core_import *im = &m->imports[k];
        /* a module may import the same name twice: one export of the argument instance serves both */
        int dup = 0;
        for (uint32_t q = 0; q < nit && !dup; q++) dup = !strcmp(items[q].name, cname(&im->name));
        if (dup) continue;
        if (si == 0 && im->kind == WK_EXTERN_MEMORY && (int64_t)k == c->main_mem_import) {
          items[nit++] = (wk_cb_item){cname(&im->name), WK_CB_CORE_MEMORY, s->mem};
          continue;
        }
        if (si > 0 && im->kind == WK_EXTERN_TABLE && s->shim_table) { /* adapter_shim_table */
          if (shim_table == UINT32_MAX) shim_table = wk_cb_alias_core_export(b, shim_inst, "$imports", WK_CB_CORE_TABLE);
          items[nit++] = (wk_cb_item){cname(&im->name), WK_CB_CORE_TABLE, shim_table};
          continue;
        }
        if (si > 0 && im->kind == WK_EXTERN_MEMORY) {
          if (!c->srcs[0].has_mem) { free(args); free(items); free(done); return wk_error_set(c->err, WK_ERR_INVALID, "adapter `%s` needs a memory but the main module exports none", s->name); }
          items[nit++] = (wk_cb_item){cname(&im->name), WK_CB_CORE_MEMORY, c->srcs[0].mem};
          continue;
        }
        uint32_t cf = UINT32_MAX;
        for (uint32_t q = 0; q < c->nneeds; q++)
          if (c->needs[q].src == si && c->needs[q].imp == k) {
            need *n = &c->needs[q];
            if (n->kind == K_ADAPTER && !n->indirect) /* mem_first: the adapter is instantiated */
              n->core_func = wk_cb_alias_core_export(b, c->srcs[n->adapter].inst, n->field, WK_CB_CORE_FUNC);
            cf = n->core_func;
          }
        if (cf == UINT32_MAX) { free(args); free(items); free(done); return wk_error_set(c->err, WK_ERR_INVALID, "import `%s::%s` is not satisfied", cname(&orig_import(s, k)->module), cname(&orig_import(s, k)->name)); }
        items[nit++] = (wk_cb_item){cname(&im->name), WK_CB_CORE_FUNC, cf};
      }
      uint32_t ci = wk_cb_core_instance_exports(b, nit, items);
      if (*mn) wk_cb_name(b, WK_CB_CORE_INSTANCE, ci, mn); /* (an adapter's: "", short_import_names) */
      args[nargs++] = (wk_cb_item){mn, WK_CB_CORE_INSTANCE, ci};
    }
    s->inst = wk_cb_core_instantiate(b, mod, nargs, args);
    free(args);
    free(items);
    free(done);
    wk_cb_name(b, WK_CB_CORE_INSTANCE, s->inst, si == 0 ? "main" : s->name);
    /* memory and realloc of this module */
    if (si == 0 && c->main_mem_import >= 0) {
      /* already the shim's */
    } else if (find_export(m, "memory", WK_EXTERN_MEMORY, NULL)) {
      s->has_mem = 1;
      s->mem = wk_cb_alias_core_export(b, s->inst, "memory", WK_CB_CORE_MEMORY);
    } else if (si > 0 && c->srcs[0].has_mem) {
      s->has_mem = 1;
      s->mem = c->srcs[0].mem;
    }
    /* validation.rs: `cabi_export_realloc` / `cabi_import_realloc` when exported, else `cabi_realloc` */
    const char *rn = find_export(m, "cabi_export_realloc", WK_EXTERN_FUNC, NULL) ? "cabi_export_realloc" : "cabi_realloc";
    if (find_export(m, rn, WK_EXTERN_FUNC, NULL)) {
      s->has_realloc = 1;
      s->realloc = wk_cb_alias_core_export(b, s->inst, rn, WK_CB_CORE_FUNC);
    }
    const char *irn = find_export(m, "cabi_import_realloc", WK_EXTERN_FUNC, NULL) ? "cabi_import_realloc" : "cabi_realloc";
    if (find_export(m, irn, WK_EXTERN_FUNC, NULL)) {
      s->has_import_realloc = 1;
      s->import_realloc = !strcmp(irn, rn) && s->has_realloc ? s->realloc : wk_cb_alias_core_export(b, s->inst, irn, WK_CB_CORE_FUNC);
    }
  }
  /* 6. the fixup: real functions into the shim's table */
  if (c->nslots) {
    wk_cb_item *items = calloc(c->nslots + 2, sizeof *items);
    char (*names)[16] = calloc(c->nslots + 1, sizeof *names);
    uint8_t *keep = calloc(c->nslots + 1, 1);
    uint32_t nk = 0;
    if (!items || !names || !keep) { free(items); free(names); free(keep); return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory"); }
    for (uint32_t i = 0; i < c->nslots && rc == WK_OK; i++) {
      slot *sl = &c->slots[i];
      uint32_t f = 0;
      if (sl->need != UINT32_MAX && c->needs[sl->need].kind == K_ADAPTER && c->srcs[c->needs[sl->need].adapter].fills_shim)
        continue; /* the adapter filled it when instantiated (adapter_fill_shim) */
      if (sl->need == UINT32_MAX) {
        xres *x = &c->res[sl->dtor_res];
        f = wk_cb_alias_core_export(b, c->srcs[0].inst, cname(&c->srcs[0].m->exports[x->dtor_export].name), WK_CB_CORE_FUNC);
      } else {
        need *n = &c->needs[sl->need];
        if (n->kind == K_ADAPTER) f = wk_cb_alias_core_export(b, c->srcs[n->adapter].inst, n->field, WK_CB_CORE_FUNC);
        else if (n->kind == K_MAIN_EXPORT) f = wk_cb_alias_core_export(b, c->srcs[0].inst, n->field, WK_CB_CORE_FUNC);
        else {
          src *s = &c->srcs[n->src];
          const wk_core_import *im = n->tabled ? &n->orig : orig_import(s, n->imp);
          if (n->opts.has_memory) {
            if (!s->has_mem)
              rc = wk_error_at(c->err, WK_ERR_INVALID, im->offset, "module does not export a memory named `memory` (needed to lower `%s::%s`)", cname(&im->module), cname(&im->name));
            n->opts.memory = s->mem;
          }
          if (n->opts.has_realloc) {
            if (!s->has_import_realloc)
              rc = wk_error_at(c->err, WK_ERR_INVALID, im->offset, "module does not export a function named `cabi_realloc` (needed to lower `%s::%s`)", cname(&im->module), cname(&im->name));
            n->opts.realloc = s->import_realloc;
          }
          f = wk_cb_canon_lower(b, n->comp_func, &n->opts);
        }
      }
      snprintf(names[i], 16, "%u", i);
      items[nk++] = (wk_cb_item){names[i], WK_CB_CORE_FUNC, f};
      keep[i] = 1;
    }
    if (rc == WK_OK && nk) {
      if (shim_table == UINT32_MAX) shim_table = wk_cb_alias_core_export(b, shim_inst, "$imports", WK_CB_CORE_TABLE);
      items[nk] = (wk_cb_item){"$imports", WK_CB_CORE_TABLE, shim_table};
      wk_buf fm = {0};
      fixup_module(c, &fm, keep);
      if (fm.oom) {
        wk_buf_free(&fm);
        free(items);
        free(names);
        free(keep);
        return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
      }
      uint32_t mod = wk_cb_core_module(b, fm.data, fm.len);
      wk_buf_free(&fm);
      wk_cb_name(b, WK_CB_CORE_MODULE, mod, "wit-component:fixups");
      uint32_t ci = wk_cb_core_instance_exports(b, nk + 1, items);
      wk_cb_item arg = {"", WK_CB_CORE_INSTANCE, ci};
      uint32_t fi = wk_cb_core_instantiate(b, mod, 1, &arg);
      wk_cb_name(b, WK_CB_CORE_INSTANCE, fi, "fixup-args");
    }
    free(items);
    free(names);
    free(keep);
    if (rc) return rc;
  }
  /* `_initialize` runs once everything is instantiated and wired (wit-component: a module whose
   * start function is the imported `_initialize`, instantiated last) */
  {
    uint32_t ie;
    const wk_core_module *mm = c->srcs[0].m;
    if (find_export(mm, "_initialize", WK_EXTERN_FUNC, &ie)) {
      const wk_core_functype *ft = wk_core_func_type(mm, mm->exports[ie].index);
      if (!ft || ft->nparams || ft->nresults)
        return wk_error_at(c->err, WK_ERR_INVALID, mm->exports[ie].offset, "`_initialize` must have type [] -> []");
      static const uint8_t init_mod[] = {
          0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
          1, 4, 1, WK_CTC_CORE_FUNC, 0, 0,                                      /* type () -> () */
          2, 0x14, 1, 4, 'm', 'a', 'i', 'n', 0x0b, '_', 'i', 'n', 'i', 't', 'i', 'a', 'l', 'i', 'z', 'e',
          WK_EXTERN_FUNC, 0,                                                    /* import main._initialize */
          8, 1, 0};                                                             /* start 0 */
      uint32_t mod = wk_cb_core_module(b, init_mod, sizeof init_mod);
      wk_cb_name(b, WK_CB_CORE_MODULE, mod, "wit-component:initialize");
      wk_cb_item arg = {"main", WK_CB_CORE_INSTANCE, c->srcs[0].inst};
      uint32_t ii = wk_cb_core_instantiate(b, mod, 1, &arg);
      wk_cb_name(b, WK_CB_CORE_INSTANCE, ii, "wit-component:initialize");
    }
  }
  /* 7. the rest of the world type, in order: exports, and the types/aliases they use. World-scope
   * indices are mapped to ours from here on (wmap: types, imap: instances). */
  uint32_t *wmap = calloc(wt->ndecls + wtypes + 1, sizeof *wmap), *imap = calloc(wt->ndecls + winsts + 1, sizeof *imap);
  if (!wmap || !imap) { free(wmap); free(imap); return wk_error_set(c->err, WK_ERR_NOMEM, "out of memory"); }
  for (uint32_t i = 0; i < wtypes; i++) wmap[i] = i;
  for (uint32_t i = 0; i < winsts; i++) imap[i] = i;
  for (uint32_t i = first_export; i < wt->ndecls && rc == WK_OK; i++) {
    const wk_cdecl *d = &wt->decls[i];
    if (d->kind == WK_CDECL_TYPE) {
      wk_ctype t;
      rc = remap_type(c, d->type, wmap, wtypes, &t);
      if (rc == WK_OK) wmap[wtypes++] = wk_cb_type(b, &t);
      continue;
    }
    if (d->kind == WK_CDECL_ALIAS) {
      if (d->alias.target != WK_CALIAS_EXPORT || d->alias.sort.sort != WK_CSORT_TYPE || d->alias.inst >= winsts) {
        rc = wk_error_set(c->err, WK_ERR_UNSUPPORTED, "unexpected alias in the world type");
        break;
      }
      wmap[wtypes++] = wk_cb_alias_export(b, imap[d->alias.inst], wk_arena_strndup(&c->arena, d->alias.name.s, d->alias.name.len), WK_CB_TYPE);
      continue;
    }
    if (d->kind != WK_CDECL_EXPORT) { rc = wk_error_set(c->err, WK_ERR_UNSUPPORTED, "unexpected declaration among the world's exports"); break; }
    const char *dname = wk_arena_strndup(&c->arena, d->name.name.s, d->name.name.len);
    const wit_world_item *it = NULL;
    for (uint32_t k = 0; k < w->n_exports && !it; k++)
      if (!strcmp(item_key(c, &w->exports[k]), dname)) it = &w->exports[k];
    if (!it) { rc = wk_error_set(c->err, WK_ERR_UNSUPPORTED, "export `%s` of the world type not found in the world", dname); break; }
    src *s = export_owner(c, it);
    if (d->ext.kind == WK_CSORT_FUNC && it->kind == WIT_ITEM_FUNCTION) {
      if (d->ext.idx >= wtypes) { rc = wk_error_set(c->err, WK_ERR_UNSUPPORTED, "export `%s`: bad type index", dname); break; }
      uint32_t f = lift(c, s, &it->func, it->func.name, wmap[d->ext.idx], &rc);
      if (rc) break;
      wk_cb_export_cname(b, &d->name, WK_CB_FUNC, f, NULL);
      continue;
    }
    if (d->ext.kind != WK_CSORT_INSTANCE || it->kind != WIT_ITEM_INTERFACE) {
      rc = wk_error_set(c->err, WK_ERR_UNSUPPORTED, "export `%s`: only functions and interfaces can be exported", dname);
      break;
    }
    /* the instance type of the export (a type declared earlier in the world type) */
    const wk_ctype *ity = NULL;
    uint32_t tcount = 0;
    for (uint32_t k = 0; k < i; k++) {
      const wk_cdecl *e = &wt->decls[k];
      if (e->kind == WK_CDECL_TYPE) { if (tcount == d->ext.idx) ity = e->type; tcount++; }
      else if (e->kind == WK_CDECL_ALIAS && e->alias.sort.sort == WK_CSORT_TYPE) tcount++;
      else if ((e->kind == WK_CDECL_IMPORT || e->kind == WK_CDECL_EXPORT) && e->ext.kind == WK_CSORT_TYPE) tcount++;
    }
    if (!ity || ity->code != WK_CTC_INSTANCE) { rc = wk_error_set(c->err, WK_ERR_UNSUPPORTED, "export `%s`: no instance type", dname); break; }
    uint32_t *map = calloc(ity->ndecls + 1, sizeof *map);
    wk_cb_item *items = calloc(ity->ndecls + 1, sizeof *items);
    if (!map || !items) { free(map); free(items); rc = wk_error_set(c->err, WK_ERR_NOMEM, "out of memory"); break; }
    uint32_t nmap = 0, nitems = 0;
    for (uint32_t k = 0; k < ity->ndecls && rc == WK_OK; k++) {
      const wk_cdecl *e = &ity->decls[k];
      char an[32];
      if (e->kind == WK_CDECL_TYPE) {
        wk_ctype t;
        rc = remap_type(c, e->type, map, nmap, &t);
        if (rc == WK_OK) map[nmap++] = wk_cb_type(b, &t);
      } else if (e->kind == WK_CDECL_ALIAS) {
        if (e->alias.target != WK_CALIAS_OUTER || e->alias.inst != 1 || e->alias.sort.sort != WK_CSORT_TYPE)
          rc = wk_error_set(c->err, WK_ERR_UNSUPPORTED, "export `%s`: unexpected alias in its instance type", dname);
        else if (e->alias.idx >= wtypes) rc = wk_error_set(c->err, WK_ERR_UNSUPPORTED, "export `%s`: bad outer alias", dname);
        else {
          map[nmap++] = wmap[e->alias.idx];
        }
      } else if (e->kind == WK_CDECL_EXPORT) {
        const char *en = wk_arena_strndup(&c->arena, e->name.name.s, e->name.name.len);
        if (e->ext.kind == WK_CSORT_TYPE) {
          uint32_t t;
          if (e->ext.bound == 0) {
            if (e->ext.idx >= nmap) { rc = wk_error_set(c->err, WK_ERR_UNSUPPORTED, "export `%s`: bad type index", dname); break; }
            t = map[e->ext.idx];
          } else {
            wit_id rid = wit_interface_find_type(c->r, it->id, en);
            t = UINT32_MAX;
            for (uint32_t q = 0; q < c->nres; q++)
              if (c->res[q].id == rid) t = c->res[q].type;
            if (t == UINT32_MAX) { rc = wk_error_set(c->err, WK_ERR_UNSUPPORTED, "export `%s`: resource `%s` not found", dname, en); break; }
          }
          map[nmap++] = t;
          snprintf(an, sizeof an, "import-type-t%u", k);
          items[nitems++] = (wk_cb_item){wk_arena_strndup(&c->arena, an, strlen(an)), WK_CB_TYPE, t};
        } else if (e->ext.kind == WK_CSORT_FUNC) {
          const wit_function *f = wit_interface_find_function(c->r, it->id, en);
          if (!f || e->ext.idx >= nmap) { rc = wk_error_set(c->err, WK_ERR_UNSUPPORTED, "export `%s`: function `%s` not found", dname, en); break; }
          char core_name[2048];
          snprintf(core_name, sizeof core_name, "%s#%s", dname, en);
          uint32_t fx = lift(c, s, f, core_name, map[e->ext.idx], &rc);
          snprintf(an, sizeof an, "import-func-f%u", k);
          items[nitems++] = (wk_cb_item){wk_arena_strndup(&c->arena, an, strlen(an)), WK_CB_FUNC, fx};
        } else rc = wk_error_set(c->err, WK_ERR_UNSUPPORTED, "export `%s`: unexpected export kind", dname);
      } else rc = wk_error_set(c->err, WK_ERR_UNSUPPORTED, "export `%s`: unexpected declaration", dname);
    }
    /* An instance type of functions only (no type exports, aliases or named types: what such a
     * function uses needs no name, Explainer.md "Import and Export Definitions"): exported as an
     * instance of the lifted functions under their names (Explainer.md "Instance Definitions":
     * inline exports), without the shim component below. */
    int plain = rc == WK_OK && nitems > 0;
    for (uint32_t k = 0; k < ity->ndecls && plain; k++) {
      const wk_cdecl *e = &ity->decls[k];
      if (e->kind == WK_CDECL_EXPORT) plain = e->ext.kind == WK_CSORT_FUNC;
      else if (e->kind == WK_CDECL_TYPE) {
        int code = e->type->code;
        plain = code != WK_CTC_RECORD && code != WK_CTC_VARIANT && code != WK_CTC_ENUM && code != WK_CTC_FLAGS &&
                code != WK_CTC_RESOURCE && code != WK_CTC_INSTANCE && code != WK_CTC_COMPONENT;
      } else plain = 0;
    }
    if (plain) {
      for (uint32_t k = 0, q = 0; k < ity->ndecls; k++)
        if (ity->decls[k].kind == WK_CDECL_EXPORT)
          items[q++].name = wk_arena_strndup(&c->arena, ity->decls[k].name.name.s, ity->decls[k].name.name.len);
      uint32_t inst = wk_cb_instance_exports(b, nitems, items);
      imap[winsts++] = wk_cb_export_cname(b, &d->name, WK_CB_INSTANCE, inst, NULL);
      free(map);
      free(items);
      continue;
    }
    /* wit-component's shim component: imports the types and lifted functions and exports them
     * under their names, so that every type a function uses is named in the exported instance
     * (Explainer.md: exported functions may only use exported or imported types). */
    uint32_t comp = 0;
    if (rc == WK_OK) {
      wk_cbuild *cb = wk_cb_component_begin(b);
      if (!cb) rc = wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
      else {
        shimx x = {.c = c, .wt = wt, .wmap = wmap, .imap = imap, .wtypes = wtypes, .winsts = winsts, .parent = b, .child = cb};
        x.wmemo = malloc(((size_t)wtypes + 1) * sizeof *x.wmemo);
        if (!x.wmemo) rc = wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
        else {
          for (uint32_t q = 0; q <= wtypes; q++) x.wmemo[q] = UINT32_MAX;
          c->b = cb;
          rc = shim_component(c, &x, wt, ity, wmap, wtypes, dname);
          c->b = b;
        }
        if (rc == WK_OK && x.rc) rc = x.rc == WK_ERR_NOMEM ? wk_error_set(c->err, WK_ERR_NOMEM, "out of memory") : x.rc;
        /* the copies' imports are instantiation arguments too */
        if (rc == WK_OK && x.nargs) {
          wk_cb_item *all = calloc((size_t)nitems + x.nargs + 1, sizeof *all);
          if (!all) rc = wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
          else {
            memcpy(all, items, nitems * sizeof *all);
            memcpy(all + nitems, x.args, x.nargs * sizeof *all);
            free(items);
            items = all;
            nitems += x.nargs;
          }
        }
        free(x.wmemo);
        free(x.lm);
        free(x.args);
        comp = wk_cb_component_end(b, cb);
        char nm[600];
        snprintf(nm, sizeof nm, "%s-shim-component", dname);
        wk_cb_name(b, WK_CB_COMPONENT, comp, nm);
      }
    }
    if (rc == WK_OK) {
      uint32_t inst = wk_cb_instantiate(b, comp, nitems, items);
      char nm[600];
      snprintf(nm, sizeof nm, "%s-shim-instance", dname);
      wk_cb_name(b, WK_CB_INSTANCE, inst, nm);
      imap[winsts++] = wk_cb_export_cname(b, &d->name, WK_CB_INSTANCE, inst, NULL);
    }
    free(map);
    free(items);
  }
  free(wmap);
  free(imap);
  if (rc) return rc;
  return wk_cb_encode(b, out, c->err);
}

/* --------------------------------------------------------------- driver */

int wk_cnew(const uint8_t *core, size_t len, const wk_cnew_opts *opts, wk_buf *out, wk_error *err) {
  static const wk_cnew_opts none = {0};
  if (!opts) opts = &none;
  wk_error_clear(err);
  ctx c = {.err = err, .world = WIT_NONE, .main_mem_import = -1, .err_src = -1};
  int rc = WK_OK;
  wk_buf meta = {0};
  wk_component *mc = NULL;
  c.nsrcs = 1 + opts->nadapters;
  c.srcs = calloc(c.nsrcs, sizeof *c.srcs);
  c.r = wit_resolve_new();
  if (!c.srcs || !c.r) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto out; }
  c.srcs[0] = (src){.bytes = core, .len = len, .used = 1, .world = WIT_NONE};
  for (uint32_t i = 0; i < opts->nadapters; i++)
    c.srcs[1 + i] = (src){.name = opts->adapters[i].name, .bytes = opts->adapters[i].bytes, .len = opts->adapters[i].len, .world = WIT_NONE};
  for (uint32_t i = 0; i < c.nsrcs; i++) {
    c.err_src = (int)i - 1;
    /* Binary.md preamble: a component has version 0x0d and layer 1 where a module has version 1 */
    if (c.srcs[i].len >= 8 && !memcmp(c.srcs[i].bytes, "\0asm\x0d\0\x01\0", 8)) {
      rc = wk_error_at(err, WK_ERR_INVALID, 4, "this is a component; `component new` takes a core module");
      goto out;
    }
    rc = wk_core_decode(c.srcs[i].bytes, c.srcs[i].len, &c.srcs[i].m, err);
    if (rc) {
      if (i) { char m2[sizeof err->msg]; memcpy(m2, err->msg, sizeof m2); snprintf(err->msg, sizeof err->msg, "adapter `%.60s`: %.400s", c.srcs[i].name, m2); }
      goto out;
    }
    if ((rc = read_metadata(&c, &c.srcs[i]))) goto out;
  }
  warn_ctor_wrapped_realloc(c.srcs[0].m, opts->warnings);
  /* the merged world: the main module's, plus what the adapters' worlds import and export */
  if (c.srcs[0].world == WIT_NONE) {
    static const char empty[] = "package root:root;\nworld root {}\n";
    wit_diag dg;
    wit_id pkg;
    if ((rc = wit_resolve_push_str(c.r, "<empty>", empty, sizeof empty - 1, &pkg, &dg))) { *err = dg.err; goto out; }
    c.srcs[0].world = c.r->packages[pkg].worlds[0].id;
  }
  c.world = c.srcs[0].world;
  c.nmain_imports = c.r->worlds[c.world].n_imports;
  /* an adapter is used when the main module imports from it or its world exports something */
  for (uint32_t i = 1; i < c.nsrcs; i++) {
    const wk_core_module *m = c.srcs[0].m;
    for (uint32_t k = 0; k < m->nimports; k++)
      if (!strcmp(cname(&m->imports[k].module), c.srcs[i].name)) c.srcs[i].used = 1;
    if (c.srcs[i].world != WIT_NONE && c.r->worlds[c.srcs[i].world].n_exports) c.srcs[i].used = 1;
    if (!c.srcs[i].used || c.srcs[i].world == WIT_NONE) continue;
    wit_world *w = &c.r->worlds[c.world];
    const wit_world *a = &c.r->worlds[c.srcs[i].world];
    if ((rc = merge_items(&c, &w->imports, &w->n_imports, &w->cap_imports, a->imports, a->n_imports))) goto out;
    w = &c.r->worlds[c.world];
    if ((rc = merge_items(&c, &w->exports, &w->n_exports, &w->cap_exports, a->exports, a->n_exports))) goto out;
  }
  merge_import_versions(&c, &c.nmain_imports);
  for (uint32_t i = 0; i < c.nsrcs; i++)
    if (c.srcs[i].used) c.srcs[i].renamed = cm32_rename(&c, &c.srcs[i]);
  for (uint32_t i = 0; i < c.nsrcs; i++)
    if (c.srcs[i].used && (c.err_src = (int)i - 1, rc = classify(&c, i))) goto out;
  for (uint32_t i = 0; i < c.nsrcs; i++)
    if (c.srcs[i].used && (c.err_src = (int)i - 1, rc = check_import_sigs(&c, i))) goto out;
  c.err_src = -1;
  /* every export of the world must be there, in the module that provides it (validation.rs) */
  {
    const wit_world *w = &c.r->worlds[c.world];
    for (uint32_t i = 0; i < w->n_exports; i++) {
      const wit_world_item *it = &w->exports[i];
      src *s = export_owner(&c, it);
      c.err_src = (int)(s - c.srcs) - 1;
      const char *who = s->name ? s->name : "the main module";
      if (it->kind == WIT_ITEM_FUNCTION) {
        uint32_t ex;
        if (!find_export(s->m, it->func.name, WK_EXTERN_FUNC, &ex)) {
          rc = wk_error_set(err, WK_ERR_INVALID, "failed to find export of function `%s` in %s", it->func.name, who);
          goto out;
        }
        if ((rc = check_sig(&c, &it->func, WK_CABI_LIFT, wk_core_func_type(s->m, s->m->exports[ex].index), s->m->exports[ex].offset)))
          goto out;
      } else if (it->kind == WIT_ITEM_INTERFACE) {
        const wit_interface *in = &c.r->interfaces[it->id];
        const char *key = item_key(&c, it);
        for (uint32_t k = 0; k < in->n_functions; k++) {
          char nm[2048];
          snprintf(nm, sizeof nm, "%s#%s", key, in->functions[k].name);
          uint32_t ex;
          if (!find_export(s->m, nm, WK_EXTERN_FUNC, &ex)) {
            rc = wk_error_set(err, WK_ERR_INVALID, "failed to find export of interface `%s` function `%s` in %s", key,
                              in->functions[k].name, who);
            goto out;
          }
          if ((rc = check_sig(&c, &in->functions[k], WK_CABI_LIFT, wk_core_func_type(s->m, s->m->exports[ex].index),
                              s->m->exports[ex].offset)))
            goto out;
        }
      }
    }
  }
  for (uint32_t i = 0; i < c.nsrcs; i++)
    if (c.srcs[i].used && rename_duplicate_imports(&c, &c.srcs[i])) c.srcs[i].renamed = 1;
  c.err_src = -1;
  if ((rc = mem_first_setup(&c))) goto out;
  if ((rc = prune(&c))) goto out;
  /* the pruned world as a component type */
  if ((rc = wit_encode_world_metadata(c.r, c.world, WIT_STRING_UTF8, &meta, err))) goto out;
  if ((rc = wk_component_decode(meta.data, meta.len, &mc, err))) goto out;
  const wk_ctype *wt = NULL;
  for (uint32_t i = 0; i < mc->nsections && !wt; i++)
    if (mc->sections[i].id == WK_CSEC_TYPE && mc->sections[i].count == 1) {
      const wk_ctype *outer = &mc->sections[i].u.types[0];
      if (outer->code == WK_CTC_COMPONENT && outer->ndecls >= 1 && outer->decls[0].kind == WK_CDECL_TYPE) wt = outer->decls[0].type;
    }
  if (!wt || wt->code != WK_CTC_COMPONENT) { rc = wk_error_set(err, WK_ERR_INVALID, "internal: cannot read back the world type"); goto out; }
  c.imp_index = calloc(c.r->worlds[c.world].n_imports + 1, sizeof *c.imp_index);
  c.b = wk_cb_new();
  if (!c.imp_index || !c.b) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto out; }
  for (uint32_t i = 0; i <= c.r->worlds[c.world].n_imports; i++) c.imp_index[i] = UINT32_MAX;
  if (opts->tool) wk_cb_producer(c.b, "processed-by", opts->tool, opts->version ? opts->version : "");
  size_t start = out->len;
  if ((rc = build(&c, wt, out))) goto out;
  /* validate what we built */
  {
    wk_component *chk = NULL;
    wk_error verr;
    rc = wk_component_decode(out->data + start, out->len - start, &chk, &verr);
    if (rc == WK_OK) rc = wk_component_validate(chk, &verr);
    wk_component_free(chk);
    if (rc) {
      wk_error_set(err, WK_ERR_INVALID, "the component does not validate: %s (at byte %llu of the output)", verr.msg,
                   (unsigned long long)verr.offset);
      rc = WK_ERR_INVALID;
    }
  }
out:
  wk_component_free(mc);
  wk_buf_free(&meta);
  if (c.b) wk_cb_free(c.b);
  free(c.imp_index);
  free(c.needs);
  free(c.slots);
  free(c.res);
  if (c.abytes)
    for (uint32_t i = 0; i < c.nsrcs; i++) wk_buf_free(&c.abytes[i]);
  free(c.abytes);
  if (c.srcs)
    for (uint32_t i = 0; i < c.nsrcs; i++) wk_core_free(c.srcs[i].m);
  free(c.srcs);
  if (c.r) wit_resolve_free(c.r);
  wk_arena_free(&c.arena);
  if (opts->err_source) *opts->err_source = rc ? c.err_src : -1;
  return rc;
}
