/*
 * wit-gen c: C guest bindings for a WIT world, API-compatible with
 * wit-bindgen's C generator (crates/c): the same type, function, helper and
 * export names, ownership rules (`_free` functions, string helpers,
 * cabi_realloc, post-return functions), resource handle API and signature
 * flattening, so existing C guests build unchanged. The code that lowers and
 * lifts values is our own: it relies on the fact that, for wasm32, the C
 * layout of every generated type equals its canonical ABI layout
 * (CanonicalABI.md "Alignment"/"Element Size"), and uses lib/canonabi for
 * flattening and sizes.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bindgen/bindgen.h"
#include "canonabi/canonabi.h"
#include "witparse/witcabi.h"
#include "witparse/witencode.h"

/* ------------------------------------------------------------------ */
/* small utilities                                                     */

/* A growable array v of *cap elements of `size` bytes with room for element n: v itself while it
 * fits, else moved to twice the capacity (`first` elements the first time, *cap updated); NULL
 * when out of memory (v and *cap unchanged). */
static void *grown(void *v, size_t *cap, size_t n, size_t size, size_t first) {
  if (n < *cap) return v;
  size_t nc = *cap ? *cap * 2 : first;
  void *nv = wk_reallocarray(v, nc, size);
  if (nv) *cap = nc;
  return nv;
}

typedef struct strset {
  char **v;
  size_t n, cap;
} strset;

static int strset_has(const strset *s, const char *x) {
  for (size_t i = 0; i < s->n; i++)
    if (!strcmp(s->v[i], x)) return 1;
  return 0;
}
static int strset_add(strset *s, const char *x) { /* 1 if newly added */
  if (strset_has(s, x)) return 0;
  char **nv = grown(s->v, &s->cap, s->n, sizeof *nv, 16);
  if (!nv) return 0;
  s->v = nv;
  s->v[s->n++] = strdup(x);
  return 1;
}
static void strset_free(strset *s) {
  for (size_t i = 0; i < s->n; i++) free(s->v[i]);
  free(s->v);
}

enum { ENC_UTF8 = 0, ENC_UTF16 = 1, ENC_COMPACT = 2 };
enum { DIR_NONE = 0, DIR_IMPORT = 1, DIR_EXPORT = 2 };

typedef struct resinfo {
  int direction;
  char *own, *borrow, *drop_fn;
} resinfo;

/* One flat (core wasm) value during lowering/lifting. */
typedef struct fv {
  const char *e;
  wk_cabi_core t;
} fv;
typedef struct fvlist {
  fv *v;
  size_t n, cap;
} fvlist;

typedef struct cg {
  const wit_resolve *r;
  wit_id world;
  char *wsnake, *wshouty;
  /* options */
  int no_sig_flattening, autodrop, async_all, string_encoding;
  /* --async filters (wit-bindgen AsyncFilterSet): kind 0 all, 1 function, 2 import:, 3 export: */
  struct { int enabled, kind; const char *name; } *async_f;
  size_t n_async;
  /* --rename KEY=NAME for interfaces (KEY is the world key: plain name or ns:pkg/iface@ver) */
  const char *const *ren_from, *const *ren_to; /* borrowed from the options */
  size_t n_ren;
  const char *type_section_suffix;
  /* output sections (wit-bindgen's Source layout) */
  wk_buf h_defs, h_fns, h_helpers, h_async, c_defs, c_fns, c_helpers, c_adapters, c_async;
  /* per type id */
  char **type_names, **dtor;
  resinfo *res;
  unsigned char *futures_done;
  wit_cabi_map cabi; /* Resolve -> canonical ABI types */
  strset prim_names;
  int needs_string, needs_async;
  int need_f32_i32, need_i32_f32, need_f64_i64, need_i64_f64;
  uint32_t ret_size, ret_align;
  /* generation context */
  int in_import;
  wit_id cur_iface;                 /* WIT_NONE = world level */
  const wit_world_item *cur_key;    /* NULL = world level */
  const char *import_module;
  wk_arena arena;
  int failed;
  wk_error err;
} cg;

static char *afmt(cg *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *afmt(cg *g, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  char *s = wk_arena_alloc(&g->arena, (size_t)n + 1);
  if (!s) { g->failed = 1; return (char *)""; }
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

static void fail(cg *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(cg *g, const char *fmt, ...) {
  if (g->failed) return;
  g->failed = 1;
  va_list ap;
  va_start(ap, fmt);
  char msg[400];
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  wk_error_set(&g->err, WK_ERR_UNSUPPORTED, "%s", msg);
}

static void fv_push(cg *g, fvlist *l, const char *e, wk_cabi_core t) {
  fv *nv = grown(l->v, &l->cap, l->n, sizeof *nv, 8);
  if (!nv) { g->failed = 1; return; }
  l->v = nv;
  l->v[l->n].e = e;
  l->v[l->n].t = t;
  l->n++;
}

/* heck's to_snake_case for WIT names: words split at non-alphanumerics (and
 * lower->upper transitions), lowercased, joined with '_'. */
static char *snake(cg *g, const char *s) {
  size_t n = strlen(s);
  char *o = wk_arena_alloc(&g->arena, 2 * n + 2);
  if (!o) { g->failed = 1; return (char *)""; }
  size_t k = 0;
  int inword = 0;
  char prev = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) { inword = 0; prev = 0; continue; }
    int boundary = !inword || (prev >= 'a' && prev <= 'z' && c >= 'A' && c <= 'Z');
    if (boundary && k > 0) o[k++] = '_';
    o[k++] = (char)((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
    inword = 1;
    prev = (char)c;
  }
  o[k] = 0;
  return o;
}
static char *shouty(cg *g, const char *s) {
  char *o = snake(g, s);
  for (char *p = o; *p; p++)
    if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
  return o;
}

static const char *const c_keywords[] = {
    "alignas", "alignof", "and", "and_eq", "asm", "atomic_cancel", "atomic_commit", "atomic_noexcept", "auto",
    "bitand", "bitor", "bool", "break", "case", "catch", "char", "char8_t", "char16_t", "char32_t", "class",
    "compl", "concept", "const", "consteval", "constexpr", "constinit", "const_cast", "continue", "co_await",
    "co_return", "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast", "else", "enum",
    "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int", "long",
    "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "operator", "or", "or_eq", "private",
    "protected", "public", "reflexpr", "register", "reinterpret_cast", "requires", "return", "short", "signed",
    "sizeof", "static", "static_assert", "static_cast", "struct", "switch", "synchronized", "template", "this",
    "thread_local", "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using",
    "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq", "_Packed", "ret", "err", "stdin",
    "stdout", "stderr", NULL};

/* wit-bindgen's to_c_ident: escape C/C++ keywords (and ret/err), else snake_case. */
static char *c_ident(cg *g, const char *name) {
  for (int i = 0; c_keywords[i]; i++)
    if (!strcmp(name, c_keywords[i])) return afmt(g, "%s_", name);
  return snake(g, name);
}

/* ------------------------------------------------------------------ */
/* resolve helpers                                                     */

static const wit_typedef *td(cg *g, wit_id id) { return &g->r->types[id]; }

static int is_id(wit_type t) { return t.prim == WIT_PRIM_ID; }

/* Follow `type x = y` aliases. */
static wit_type dealias_ty(cg *g, wit_type t) {
  for (int guard = 0; is_id(t) && guard < 1000; guard++) {
    const wit_typedef *d = td(g, t.id);
    if (d->kind != WIT_TD_TYPE) break;
    t = d->ty;
  }
  return t;
}
static wit_id dealias_id(cg *g, wit_id id) {
  for (int guard = 0; guard < 1000; guard++) {
    const wit_typedef *d = td(g, id);
    if (d->kind != WIT_TD_TYPE || !is_id(d->ty)) break;
    id = d->ty.id;
  }
  return id;
}

static wit_type mkid(wit_id id) {
  wit_type t = {WIT_PRIM_ID, id};
  return t;
}

/* name_world_key */
static const char *world_key_name(cg *g, const wit_world_item *it) {
  if (it->key_name) return it->key_name;
  char buf[1024];
  wit_interface_id_string(g->r, it->key_iface, buf, sizeof buf);
  return afmt(g, "%s", buf);
}

static int pkg_has_multiple_versions(cg *g, wit_id pkg) {
  const wit_package *p = &g->r->packages[pkg];
  for (uint32_t i = 0; i < g->r->n_packages; i++) {
    const wit_package *q = &g->r->packages[i];
    if (!strcmp(q->name.namespace_, p->name.namespace_) && !strcmp(q->name.name, p->name.name)) {
      const char *a = p->name.version ? p->name.version : "", *b = q->name.version ? q->name.version : "";
      if (strcmp(a, b)) return 1;
    }
  }
  return 0;
}

/* wit-bindgen interface_identifier */
static const char *world_key_name(cg *g, const wit_world_item *it);
static char *iface_ident(cg *g, const wit_world_item *key, int in_export) {
  if (g->n_ren) {
    const char *kn = world_key_name(g, key);
    for (size_t i = 0; i < g->n_ren; i++)
      if (!strcmp(g->ren_from[i], kn)) return afmt(g, "%s%s", in_export && !key->key_name ? "exports_" : "", g->ren_to[i]);
  }
  if (key->key_name) return snake(g, key->key_name);
  const wit_interface *it = &g->r->interfaces[key->key_iface];
  const wit_package *p = &g->r->packages[it->package];
  char *ver = (char *)"";
  if (p->name.version && pkg_has_multiple_versions(g, it->package)) {
    ver = afmt(g, "%s_", p->name.version);
    for (char *c = ver; *c; c++)
      if (*c == '.' || *c == '-' || *c == '+') *c = '_';
  }
  return afmt(g, "%s%s_%s_%s%s", in_export ? "exports_" : "", snake(g, p->name.namespace_), snake(g, p->name.name), ver,
              it->name ? snake(g, it->name) : "");
}

static char *owner_ns(cg *g, wit_id ty) {
  const wit_typedef *d = td(g, ty);
  if (g->cur_key) {
    if (d->owner_kind == WIT_OWNER_INTERFACE && d->owner != g->cur_iface) {
      /* a type of another interface that was not generated yet: name it after
       * that interface's import (wit-bindgen treats this as unreachable) */
      wit_world_item tmp;
      memset(&tmp, 0, sizeof tmp);
      tmp.key_iface = d->owner;
      if (!g->r->interfaces[d->owner].name) return snake(g, "anon");
      return iface_ident(g, &tmp, 0);
    }
    return iface_ident(g, g->cur_key, !g->in_import);
  }
  return afmt(g, "%s", g->wsnake);
}

static char *c_func_name(cg *g, const wit_world_item *key, const wit_function *f) {
  if (key) return afmt(g, "%s_%s", iface_ident(g, key, !g->in_import), snake(g, f->name));
  return afmt(g, "%s%s_%s", g->in_import ? "" : "exports_", g->wsnake, snake(g, f->name));
}

/* push_ty_name */
static void ty_enc(cg *g, wit_type t, wk_buf *o, int depth) {
  static const char *pn[] = {"", "bool", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "f32", "f64", "char32", "string", "error_context"};
  if (depth > 200) { fail(g, "type nested too deeply"); return; }
  if (!is_id(t)) {
    if (t.prim < sizeof pn / sizeof pn[0]) wk_buf_str(o, pn[t.prim]);
    return;
  }
  const wit_typedef *d = td(g, t.id);
  if (d->name) { wk_buf_str(o, snake(g, d->name)); return; }
  switch (d->kind) {
  case WIT_TD_TYPE: ty_enc(g, d->ty, o, depth + 1); break;
  case WIT_TD_TUPLE:
    wk_buf_printf(o, "tuple%u", d->n_fields);
    for (uint32_t i = 0; i < d->n_fields; i++) { wk_buf_str(o, "_"); ty_enc(g, d->fields[i].ty, o, depth + 1); }
    break;
  case WIT_TD_OPTION: wk_buf_str(o, "option_"); ty_enc(g, d->ty, o, depth + 1); break;
  case WIT_TD_RESULT:
    wk_buf_str(o, "result_");
    if (d->ty.prim) ty_enc(g, d->ty, o, depth + 1); else wk_buf_str(o, "void");
    wk_buf_str(o, "_");
    if (d->ty2.prim) ty_enc(g, d->ty2, o, depth + 1); else wk_buf_str(o, "void");
    break;
  case WIT_TD_LIST: wk_buf_str(o, "list_"); ty_enc(g, d->ty, o, depth + 1); break;
  case WIT_TD_FIXED_LIST: wk_buf_str(o, "list_"); ty_enc(g, d->ty, o, depth + 1); wk_buf_printf(o, "_%u", d->size); break;
  case WIT_TD_FUTURE:
    wk_buf_str(o, "future_");
    if (d->ty.prim) ty_enc(g, d->ty, o, depth + 1); else wk_buf_str(o, "void");
    break;
  case WIT_TD_STREAM:
    wk_buf_str(o, "stream_");
    if (d->ty.prim) ty_enc(g, d->ty, o, depth + 1); else wk_buf_str(o, "void");
    break;
  case WIT_TD_OWN: wk_buf_str(o, "own_"); ty_enc(g, mkid(d->resource), o, depth + 1); break;
  case WIT_TD_BORROW: wk_buf_str(o, "borrow_"); ty_enc(g, mkid(d->resource), o, depth + 1); break;
  case WIT_TD_MAP:
    wk_buf_str(o, "map_");
    ty_enc(g, d->ty, o, depth + 1);
    wk_buf_str(o, "_");
    ty_enc(g, d->ty2, o, depth + 1);
    break;
  default: fail(g, "anonymous type of unexpected kind"); break;
  }
}

static int is_prim_ty(cg *g, wit_type t, int depth);
static int is_prim_id(cg *g, wit_id id, int depth) {
  const wit_typedef *d = td(g, id);
  if (d->name || depth > 200) return 0;
  switch (d->kind) {
  case WIT_TD_LIST:
  case WIT_TD_OPTION:
  case WIT_TD_TYPE: return is_prim_ty(g, d->ty, depth + 1);
  case WIT_TD_TUPLE:
    for (uint32_t i = 0; i < d->n_fields; i++)
      if (!is_prim_ty(g, d->fields[i].ty, depth + 1)) return 0;
    return 1;
  case WIT_TD_MAP: return is_prim_ty(g, d->ty, depth + 1) && is_prim_ty(g, d->ty2, depth + 1);
  default: return 0;
  }
}
static int is_prim_ty(cg *g, wit_type t, int depth) { return is_id(t) ? is_prim_id(g, t.id, depth) : 1; }

static const char *char_type(cg *g) { return g->string_encoding == ENC_UTF16 ? "uint16_t" : "uint8_t"; }

/* C type of a WIT type (push_type_name). */
static const char *cty(cg *g, wit_type t) {
  switch (t.prim) {
  case WIT_PRIM_BOOL: return "bool";
  case WIT_PRIM_CHAR: return "uint32_t";
  case WIT_PRIM_U8: return "uint8_t";
  case WIT_PRIM_S8: return "int8_t";
  case WIT_PRIM_U16: return "uint16_t";
  case WIT_PRIM_S16: return "int16_t";
  case WIT_PRIM_U32: return "uint32_t";
  case WIT_PRIM_S32: return "int32_t";
  case WIT_PRIM_U64: return "uint64_t";
  case WIT_PRIM_S64: return "int64_t";
  case WIT_PRIM_F32: return "float";
  case WIT_PRIM_F64: return "double";
  case WIT_PRIM_STRING: g->needs_string = 1; return afmt(g, "%s_string_t", g->wsnake);
  case WIT_PRIM_ERROR_CONTEXT: return "error_context";
  case WIT_PRIM_ID:
    if (g->type_names[t.id]) return g->type_names[t.id];
    fail(g, "no C name for type %u", t.id);
    return "void";
  default: return "void";
  }
}

/* ------------------------------------------------------------------ */
/* canonical ABI bridge                                                */

/* The canonical ABI tree of `t` (lib/witparse witcabi.h); on an error the generation fails and a
 * placeholder (u8) keeps the caller going until the error is reported. */
static const wk_cabi_type *cabi_of(cg *g, wit_type t) {
  static const wk_cabi_type placeholder = {.kind = WK_CABI_U8};
  wk_error e;
  const wk_cabi_type *c = wit_cabi_type_of(&g->cabi, t, &e);
  if (c || !e.code) return c;
  if (e.code == WK_ERR_NOMEM) g->failed = 1;
  else fail(g, "%s", e.msg);
  return &placeholder;
}

static wk_cabi_layout layout(cg *g, wit_type t) {
  wk_cabi_layout l = {1, 1};
  wk_error e;
  if (wk_cabi_layout_of(cabi_of(g, t), 4, &l, &e)) fail(g, "%s", e.msg);
  return l;
}

static uint32_t flatten(cg *g, wit_type t, wk_cabi_core *out, uint32_t cap) {
  uint32_t n = 0;
  wk_error e;
  if (wk_cabi_flatten(cabi_of(g, t), 4, out, cap, &n, &e)) fail(g, "%s", e.msg);
  return n;
}

static const char *wasm_cty(wk_cabi_core t) {
  switch (t) {
  case WK_CABI_CORE_I64: return "int64_t";
  case WK_CABI_CORE_F32: return "float";
  case WK_CABI_CORE_F64: return "double";
  default: return "int32_t";
  }
}

/* ------------------------------------------------------------------ */
/* type definitions                                                    */

static void docs(wk_buf *b, const char *d) {
  if (!d || !*d) return;
  /* trim and print each line as a // comment */
  const char *s = d;
  while (*s == '\n' || *s == ' ' || *s == '\t' || *s == '\r') s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) n--;
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && s[j] != '\n') j++;
    wk_buf_str(b, "// ");
    wk_buf_append(b, s + i, j - i);
    wk_buf_str(b, "\n");
    i = j + 1;
  }
}

static const char *int_repr_n(uint32_t ncases) {
  uint32_t s = wk_cabi_discriminant_size(ncases);
  return s == 1 ? "uint8_t" : s == 2 ? "uint16_t" : "uint32_t";
}
static const char *flags_repr(uint32_t n) {
  if (n <= 8) return "uint8_t";
  if (n <= 16) return "uint16_t";
  if (n <= 32) return "uint32_t";
  return "uint64_t";
}

static char *strip_t(cg *g, const char *name) {
  size_t n = strlen(name);
  if (n >= 2 && !strcmp(name + n - 2, "_t")) n -= 2;
  return afmt(g, "%.*s", (int)n, name);
}

static void define_type_resource(cg *g, wit_id id, const char *name) {
  char *ns = owner_ns(g, id);
  char *sn = snake(g, name);
  char *own = afmt(g, "%s_own_%s_t", ns, sn), *borrow = afmt(g, "%s_borrow_%s_t", ns, sn);
  wk_buf_printf(&g->h_helpers, "\nextern void %s_%s_drop_own(%s handle);\n", ns, sn, own);
  const char *module;
  if (g->in_import) module = g->import_module;
  else if (g->cur_key) module = afmt(g, "[export]%s", world_key_name(g, g->cur_key));
  else { fail(g, "resource exports from worlds are not supported"); return; }
  char *drop_fn = afmt(g, "__wasm_import_%s_%s_drop", ns, sn);
  wk_buf_printf(&g->c_helpers,
                "\n__attribute__((__import_module__(\"%s\"), __import_name__(\"[resource-drop]%s\")))\n"
                "extern void %s(int32_t handle);\n\n"
                "void %s_%s_drop_own(%s handle) {\n%s(handle.__handle);\n}\n",
                module, name, drop_fn, ns, sn, own, drop_fn);
  wk_buf_printf(&g->h_defs, "\ntypedef struct %s {\nint32_t __handle;\n} %s;\n", own, own);
  if (g->in_import) {
    wk_buf_printf(&g->h_defs, "\ntypedef struct %s {\nint32_t __handle;\n} %s;\n", borrow, borrow);
    if (!g->autodrop) {
      wk_buf_printf(&g->h_helpers, "\nextern void %s_%s_drop_borrow(%s handle);\n", ns, sn, borrow);
      wk_buf_printf(&g->c_helpers, "\nvoid %s_%s_drop_borrow(%s handle) {\n__wasm_import_%s_%s_drop(handle.__handle);\n}\n",
                    ns, sn, borrow, ns, sn);
    }
    wk_buf_printf(&g->h_helpers, "\nextern %s %s_borrow_%s(%s handle);\n", borrow, ns, sn, own);
    wk_buf_printf(&g->c_helpers, "\n%s %s_borrow_%s(%s arg) {\nreturn (%s) { arg.__handle };\n}\n", borrow, ns, sn, own,
                  borrow);
  } else {
    const char *tyn = g->type_names[id];
    const char *mod = world_key_name(g, g->cur_key);
    wk_buf_printf(&g->h_defs, "\ntypedef struct %s %s;\n", tyn, tyn);
    wk_buf_printf(&g->h_defs, "\ntypedef %s* %s;\n", tyn, borrow);
    wk_buf_printf(&g->h_helpers,
                  "\nextern %s %s_%s_new(%s *rep);\nextern %s* %s_%s_rep(%s handle);\nvoid %s_%s_destructor(%s *rep);\n",
                  own, ns, sn, tyn, tyn, ns, sn, own, ns, sn, tyn);
    wk_buf_printf(&g->c_helpers,
                  "\n__attribute__(( __import_module__(\"[export]%s\"), __import_name__(\"[resource-new]%s\")))\n"
                  "extern int32_t __wasm_import_%s_%s_new(int32_t);\n\n"
                  "__attribute__((__import_module__(\"[export]%s\"), __import_name__(\"[resource-rep]%s\")))\n"
                  "extern int32_t __wasm_import_%s_%s_rep(int32_t);\n\n"
                  "%s %s_%s_new(%s *rep) {\nreturn (%s) { __wasm_import_%s_%s_new((int32_t) (uintptr_t) rep) };\n}\n\n"
                  "%s* %s_%s_rep(%s handle) {\nreturn (%s*) (uintptr_t) __wasm_import_%s_%s_rep(handle.__handle);\n}\n\n"
                  "__attribute__((__export_name__(\"%s#[dtor]%s\")))\n"
                  "void __wasm_export_%s_%s_dtor(%s* arg) {\n%s_%s_destructor(arg);\n}\n",
                  mod, name, ns, sn, mod, name, ns, sn, own, ns, sn, tyn, own, ns, sn, tyn, ns, sn, own, tyn, ns, sn,
                  mod, name, ns, sn, tyn, ns, sn);
  }
  resinfo *ri = &g->res[id];
  ri->direction = g->in_import ? DIR_IMPORT : DIR_EXPORT;
  ri->own = own;
  ri->borrow = borrow;
  ri->drop_fn = drop_fn;
}

static void map_entry_typedef(cg *g, wit_id id, wit_type k, wit_type v) {
  char *entry = afmt(g, "%s_entry_t", strip_t(g, g->type_names[id]));
  wk_buf_printf(&g->h_defs, "\ntypedef struct {\n%s key;\n%s value;\n} %s;\n", cty(g, k), cty(g, v), entry);
}

/* The C shape of a tuple, option, result, list, map, future or stream type (wit-bindgen's C):
 * named, after a blank line and its docs, `typedef struct NAME {...} NAME;`; anonymous,
 * `typedef struct {...} NAME;`. A map's entry struct comes first; futures and streams are handles. */
static void define_shape(cg *g, wit_id id, int named) {
  const wit_typedef *d = td(g, id);
  const char *tn = g->type_names[id];
  wk_buf *h = &g->h_defs;
  if (named) wk_buf_str(h, "\n"), docs(h, d->docs);
  if (d->kind == WIT_TD_FUTURE || d->kind == WIT_TD_STREAM) {
    wk_buf_printf(h, "\ntypedef uint32_t %s;\n", tn);
    return;
  }
  if (d->kind == WIT_TD_MAP) map_entry_typedef(g, id, d->ty, d->ty2);
  if (named) wk_buf_printf(h, "typedef struct %s {\n", tn);
  else wk_buf_str(h, "\ntypedef struct {\n");
  switch (d->kind) {
  case WIT_TD_TUPLE:
    for (uint32_t i = 0; i < d->n_fields; i++) wk_buf_printf(h, "%s f%u;\n", cty(g, d->fields[i].ty), i);
    break;
  case WIT_TD_OPTION: wk_buf_printf(h, "bool is_some;\n%s val;\n", cty(g, d->ty)); break;
  case WIT_TD_RESULT:
    wk_buf_str(h, "bool is_err;\n");
    if (d->ty.prim || d->ty2.prim) {
      wk_buf_str(h, "union {\n");
      if (d->ty.prim) wk_buf_printf(h, "%s ok;\n", cty(g, d->ty));
      if (d->ty2.prim) wk_buf_printf(h, "%s err;\n", cty(g, d->ty2));
      wk_buf_str(h, "} val;\n");
    }
    break;
  case WIT_TD_LIST: wk_buf_printf(h, "%s *ptr;\nsize_t len;\n", cty(g, d->ty)); break;
  case WIT_TD_MAP: wk_buf_printf(h, "%s_entry_t *ptr;\nsize_t len;\n", strip_t(g, tn)); break;
  default: break;
  }
  wk_buf_printf(h, "} %s;\n", tn);
}

/* Named type definitions (wit-bindgen InterfaceGenerator::type_*). */
/* `#define NS_TYPE_CASE i` for each case of a variant or enum (wit-bindgen's C constants), after a blank line */
static void case_constants(cg *g, wk_buf *h, const char *ns, const wit_typedef *d) {
  if (d->n_fields) wk_buf_str(h, "\n");
  char *nsu = shouty(g, ns), *nu = shouty(g, d->name);
  for (uint32_t i = 0; i < d->n_fields; i++) {
    docs(h, d->fields[i].docs);
    wk_buf_printf(h, "#define %s_%s_%s %u\n", nsu, nu, shouty(g, d->fields[i].name), i);
  }
}

static void define_named(cg *g, wit_id id) {
  const wit_typedef *d = td(g, id);
  const char *tn = g->type_names[id];
  wk_buf *h = &g->h_defs;
  char *ns = owner_ns(g, id);
  switch (d->kind) {
  case WIT_TD_RECORD:
    wk_buf_str(h, "\n");
    docs(h, d->docs);
    wk_buf_printf(h, "typedef struct %s {\n", tn);
    for (uint32_t i = 0; i < d->n_fields; i++) {
      docs(h, d->fields[i].docs);
      wk_buf_printf(h, "%s %s;\n", cty(g, d->fields[i].ty), c_ident(g, d->fields[i].name));
    }
    wk_buf_printf(h, "} %s;\n", tn);
    break;
  case WIT_TD_RESOURCE: define_type_resource(g, id, d->name); break;
  case WIT_TD_TUPLE:
  case WIT_TD_OPTION:
  case WIT_TD_RESULT:
  case WIT_TD_LIST:
  case WIT_TD_MAP:
  case WIT_TD_FUTURE:
  case WIT_TD_STREAM: define_shape(g, id, 1); break;
  case WIT_TD_FLAGS: {
    wk_buf_str(h, "\n");
    docs(h, d->docs);
    wk_buf_printf(h, "typedef %s %s;\n", flags_repr(d->n_fields), tn);
    if (d->n_fields) wk_buf_str(h, "\n");
    char *nsu = shouty(g, ns), *nu = shouty(g, d->name);
    for (uint32_t i = 0; i < d->n_fields; i++) {
      docs(h, d->fields[i].docs);
      wk_buf_printf(h, "#define %s_%s_%s (%s << %u)\n", nsu, nu, shouty(g, d->fields[i].name),
                    i >= 31 ? "1ULL" : "1", i);
    }
    break;
  }
  case WIT_TD_VARIANT: {
    wk_buf_str(h, "\n");
    docs(h, d->docs);
    wk_buf_printf(h, "typedef struct %s {\n%s tag;\n", tn, int_repr_n(d->n_fields));
    int any = 0;
    for (uint32_t i = 0; i < d->n_fields; i++) any |= d->fields[i].ty.prim != WIT_PRIM_NONE;
    if (any) {
      wk_buf_str(h, "union {\n");
      for (uint32_t i = 0; i < d->n_fields; i++)
        if (d->fields[i].ty.prim) wk_buf_printf(h, "%s %s;\n", cty(g, d->fields[i].ty), c_ident(g, d->fields[i].name));
      wk_buf_str(h, "} val;\n");
    }
    wk_buf_printf(h, "} %s;\n", tn);
    case_constants(g, h, ns, d);
    break;
  }
  case WIT_TD_ENUM: {
    wk_buf_str(h, "\n");
    docs(h, d->docs);
    wk_buf_printf(h, "typedef %s %s;\n", int_repr_n(d->n_fields ? d->n_fields : 1), tn);
    case_constants(g, h, ns, d);
    break;
  }
  case WIT_TD_TYPE: {
    if (is_id(d->ty) && td(g, dealias_id(g, d->ty.id))->kind == WIT_TD_RESOURCE) return;
    wk_buf_str(h, "\n");
    docs(h, d->docs);
    wk_buf_printf(h, "typedef %s %s;\n", cty(g, d->ty), tn);
    break;
  }
  case WIT_TD_FIXED_LIST: fail(g, "named fixed-length list types are not supported by the C generator"); break;
  default: fail(g, "handle types do not require definition"); break;
  }
}

static void define_anonymous(cg *g, wit_id id) {
  const wit_typedef *d = td(g, id);
  const char *tn = g->type_names[id];
  wk_buf *h = &g->h_defs;
  switch (d->kind) {
  case WIT_TD_OWN:
  case WIT_TD_BORROW: {
    resinfo *ri = &g->res[dealias_id(g, d->resource)];
    if (!ri->own) { fail(g, "handle to a resource without bindings"); return; }
    wk_buf_printf(h, "\ntypedef %s %s;\n", d->kind == WIT_TD_BORROW ? ri->borrow : ri->own, tn);
    break;
  }
  case WIT_TD_TUPLE:
  case WIT_TD_OPTION:
  case WIT_TD_RESULT:
  case WIT_TD_LIST:
  case WIT_TD_FUTURE:
  case WIT_TD_STREAM:
  case WIT_TD_MAP: define_shape(g, id, 0); break;
  case WIT_TD_FIXED_LIST: fail(g, "fixed-length lists are not supported by the C generator"); break;
  default: fail(g, "unexpected anonymous type"); break;
  }
}

/* Emit a call that frees `expr` (a pointer expression) of type t, if it owns memory. */
static void free_expr(cg *g, wk_buf *b, wit_type t, const char *expr) {
  if (is_id(t)) {
    if (g->dtor[t.id]) wk_buf_printf(b, "%s(%s);\n", g->dtor[t.id], expr);
  } else if (t.prim == WIT_PRIM_STRING) {
    wk_buf_printf(b, "%s_string_free(%s);\n", g->wsnake, expr);
  }
}

static void define_dtor(cg *g, wit_id id) {
  const wit_typedef *d = td(g, id);
  const char *name = g->type_names[id];
  char *prefix = strip_t(g, name);
  wk_buf body = {0};
  switch (d->kind) {
  case WIT_TD_TYPE: free_expr(g, &body, d->ty, "ptr"); break;
  case WIT_TD_RECORD:
    for (uint32_t i = 0; i < d->n_fields; i++)
      free_expr(g, &body, d->fields[i].ty, afmt(g, "&ptr->%s", c_ident(g, d->fields[i].name)));
    break;
  case WIT_TD_TUPLE:
    for (uint32_t i = 0; i < d->n_fields; i++) free_expr(g, &body, d->fields[i].ty, afmt(g, "&ptr->f%u", i));
    break;
  case WIT_TD_LIST:
    wk_buf_printf(&body, "size_t list_len = ptr->len;\nif (list_len > 0) {\n%s *list_ptr = ptr->ptr;\n"
                         "for (size_t i = 0; i < list_len; i++) {\n", cty(g, d->ty));
    free_expr(g, &body, d->ty, "&list_ptr[i]");
    wk_buf_str(&body, "}\nfree(list_ptr);\n}\n");
    break;
  case WIT_TD_VARIANT:
    wk_buf_str(&body, "switch ((int32_t) ptr->tag) {\n");
    for (uint32_t i = 0; i < d->n_fields; i++) {
      if (!d->fields[i].ty.prim) continue;
      wk_buf_printf(&body, "case %u: {\n", i);
      free_expr(g, &body, d->fields[i].ty, afmt(g, "&ptr->val.%s", c_ident(g, d->fields[i].name)));
      wk_buf_str(&body, "break;\n}\n");
    }
    wk_buf_str(&body, "}\n");
    break;
  case WIT_TD_OPTION:
    wk_buf_str(&body, "if (ptr->is_some) {\n");
    free_expr(g, &body, d->ty, "&ptr->val");
    wk_buf_str(&body, "}\n");
    break;
  case WIT_TD_RESULT:
    wk_buf_str(&body, "if (!ptr->is_err) {\n");
    if (d->ty.prim) free_expr(g, &body, d->ty, "&ptr->val.ok");
    if (d->ty2.prim) {
      wk_buf_str(&body, "} else {\n");
      free_expr(g, &body, d->ty2, "&ptr->val.err");
    }
    wk_buf_str(&body, "}\n");
    break;
  case WIT_TD_MAP:
    wk_buf_printf(&body, "size_t map_len = ptr->len;\nif (map_len > 0) {\n%s_entry_t *map_ptr = ptr->ptr;\n"
                         "for (size_t i = 0; i < map_len; i++) {\n", prefix);
    free_expr(g, &body, d->ty, "&map_ptr[i].key");
    free_expr(g, &body, d->ty2, "&map_ptr[i].value");
    wk_buf_str(&body, "}\nfree(map_ptr);\n}\n");
    break;
  default: break;
  }
  if (body.len) {
    wk_buf_printf(&g->h_helpers, "\nvoid %s_free(%s *ptr);\n", prefix, name);
    wk_buf_printf(&g->c_helpers, "\nvoid %s_free(%s *ptr) {\n", prefix, name);
    wk_buf_append(&g->c_helpers, body.data, body.len);
    wk_buf_str(&g->c_helpers, "}\n");
    g->dtor[id] = afmt(g, "%s_free", prefix);
  }
  wk_buf_free(&body);
}

/* ---- live types (wit-parser LiveTypes: post-order, first visit wins) ---- */
typedef struct idlist {
  wit_id *v;
  size_t n, cap;
  unsigned char *seen;
} idlist;

/* appends id to l (on allocation failure: g->failed, l unchanged) */
static void idlist_push(cg *g, idlist *l, wit_id id) {
  wit_id *nv = grown(l->v, &l->cap, l->n, sizeof *nv, 32);
  if (!nv) { g->failed = 1; return; }
  l->v = nv;
  l->v[l->n++] = id;
}

static void live_type(cg *g, idlist *l, wit_type t, int depth);
static void live_id(cg *g, idlist *l, wit_id id, int depth) {
  if (l->seen[id] || depth > 300) return;
  l->seen[id] = 1;
  const wit_typedef *d = td(g, id);
  switch (d->kind) {
  case WIT_TD_TYPE:
  case WIT_TD_LIST:
  case WIT_TD_FIXED_LIST:
  case WIT_TD_OPTION:
  case WIT_TD_FUTURE:
  case WIT_TD_STREAM: live_type(g, l, d->ty, depth + 1); break;
  case WIT_TD_MAP:
  case WIT_TD_RESULT:
    live_type(g, l, d->ty, depth + 1);
    live_type(g, l, d->ty2, depth + 1);
    break;
  case WIT_TD_OWN:
  case WIT_TD_BORROW: live_id(g, l, d->resource, depth + 1); break;
  case WIT_TD_RECORD:
  case WIT_TD_TUPLE:
  case WIT_TD_VARIANT:
    for (uint32_t i = 0; i < d->n_fields; i++) live_type(g, l, d->fields[i].ty, depth + 1);
    break;
  default: break;
  }
  idlist_push(g, l, id);
}
static void live_type(cg *g, idlist *l, wit_type t, int depth) {
  if (is_id(t)) live_id(g, l, t.id, depth);
}
static void live_func(cg *g, idlist *l, const wit_function *f) {
  if (f->kind == WIT_FN_STATIC || f->kind == WIT_FN_ASYNC_STATIC) live_id(g, l, f->resource, 0);
  for (uint32_t i = 0; i < f->n_params; i++) live_type(g, l, f->params[i].ty, 0);
  live_type(g, l, f->result, 0);
}
static void live_iface(cg *g, idlist *l, wit_id iface) {
  const wit_interface *it = &g->r->interfaces[iface];
  for (uint32_t i = 0; i < it->n_types; i++) live_id(g, l, it->types[i].id, 0);
  for (uint32_t i = 0; i < it->n_functions; i++) live_func(g, l, &it->functions[i]);
}
static int idlist_init(cg *g, idlist *l) {
  memset(l, 0, sizeof *l);
  l->seen = calloc(g->r->n_types + 1, 1);
  return l->seen ? 0 : -1;
}
static void idlist_free(idlist *l) {
  free(l->v);
  free(l->seen);
}

static void define_live_types(cg *g, idlist *l) {
  for (size_t k = 0; k < l->n && !g->failed; k++) {
    wit_id ty = l->v[k];
    if (g->type_names[ty]) continue;
    const wit_typedef *d = td(g, ty);
    wk_buf enc = {0};
    ty_enc(g, mkid(ty), &enc, 0);
    wk_buf_byte(&enc, 0);
    const char *e = enc.data ? (const char *)enc.data : "";
    if (d->name) {
      g->type_names[ty] = afmt(g, "%s_%s_t", owner_ns(g, ty), e);
      wk_buf_free(&enc);
      define_named(g, ty);
    } else {
      int prim = is_prim_id(g, ty, 0), defined = 0;
      if (prim) {
        g->type_names[ty] = afmt(g, "%s_%s_t", g->wsnake, e);
        defined = !strset_add(&g->prim_names, g->type_names[ty]);
      } else {
        g->type_names[ty] = afmt(g, "%s_%s_t", owner_ns(g, ty), e);
      }
      wk_buf_free(&enc);
      if (defined) continue;
      if ((d->kind == WIT_TD_OWN || d->kind == WIT_TD_BORROW) && dealias_id(g, d->resource) == d->resource) continue;
      define_anonymous(g, ty);
    }
    define_dtor(g, ty);
  }
}

/* ------------------------------------------------------------------ */
/* lowering and lifting (our own code generation)                      */

typedef struct fnctx {
  cg *g;
  wk_buf src;
  wk_buf borrow_decls;
  char **borrows; /* temp names holding imported borrows to drop (autodrop) */
  wit_id *borrow_res;
  size_t nborrows, capborrows;
  int tmp;
} fnctx;

static char *tmpname(fnctx *f, const char *base) { return afmt(f->g, "_%s%d", base, f->tmp++); }

static const char *conv_down(fnctx *f, const char *e, wk_cabi_core from, wk_cabi_core to) {
  /* payload flat type -> joined flat type (CanonicalABI.md lower_flat_variant) */
  cg *g = f->g;
  if (from == to) return e;
  if (from == WK_CABI_CORE_F32 && to == WK_CABI_CORE_I32) { g->need_f32_i32 = 1; return afmt(g, "__wk_f32_i32(%s)", e); }
  if (from == WK_CABI_CORE_I32 && to == WK_CABI_CORE_I64) return afmt(g, "(int64_t) (uint32_t) (%s)", e);
  if (from == WK_CABI_CORE_F32 && to == WK_CABI_CORE_I64) { g->need_f32_i32 = 1; return afmt(g, "(int64_t) (uint32_t) __wk_f32_i32(%s)", e); }
  if (from == WK_CABI_CORE_F64 && to == WK_CABI_CORE_I64) { g->need_f64_i64 = 1; return afmt(g, "__wk_f64_i64(%s)", e); }
  fail(g, "internal: bad flat conversion");
  return e;
}
static const char *conv_up(fnctx *f, const char *e, wk_cabi_core from, wk_cabi_core to) {
  /* joined flat type -> payload flat type (CanonicalABI.md lift_flat_variant) */
  cg *g = f->g;
  if (from == to) return e;
  if (from == WK_CABI_CORE_I32 && to == WK_CABI_CORE_F32) { g->need_i32_f32 = 1; return afmt(g, "__wk_i32_f32(%s)", e); }
  if (from == WK_CABI_CORE_I64 && to == WK_CABI_CORE_I32) return afmt(g, "(int32_t) (%s)", e);
  if (from == WK_CABI_CORE_I64 && to == WK_CABI_CORE_F32) { g->need_i32_f32 = 1; return afmt(g, "__wk_i32_f32((int32_t) (%s))", e); }
  if (from == WK_CABI_CORE_I64 && to == WK_CABI_CORE_F64) { g->need_i64_f64 = 1; return afmt(g, "__wk_i64_f64(%s)", e); }
  fail(g, "internal: bad flat conversion");
  return e;
}

static int res_direction(cg *g, wit_id resource) { return g->res[dealias_id(g, resource)].direction; }

static void lower_flat(fnctx *f, wit_type t0, const char *e, fvlist *out, int depth);

static void lower_variant_case(fnctx *f, wit_type payload, const char *pe, char **tmps, const wk_cabi_core *joined,
                               uint32_t nj, int depth) {
  cg *g = f->g;
  fvlist pl = {0};
  if (payload.prim) lower_flat(f, payload, pe, &pl, depth + 1);
  for (uint32_t k = 1; k < nj; k++) {
    if (k - 1 < pl.n) wk_buf_printf(&f->src, "%s = %s;\n", tmps[k], conv_down(f, pl.v[k - 1].e, pl.v[k - 1].t, joined[k]));
    else wk_buf_printf(&f->src, "%s = 0;\n", tmps[k]);
  }
  free(pl.v);
  (void)g;
}

static void lower_flat(fnctx *f, wit_type t0, const char *e, fvlist *out, int depth) {
  cg *g = f->g;
  if (depth > 200) { fail(g, "type nested too deeply"); return; }
  wit_type t = dealias_ty(g, t0);
  switch (t.prim) {
  case WIT_PRIM_BOOL:
  case WIT_PRIM_U8:
  case WIT_PRIM_U16:
  case WIT_PRIM_U32:
  case WIT_PRIM_S8:
  case WIT_PRIM_S16:
  case WIT_PRIM_S32:
  case WIT_PRIM_CHAR:
  case WIT_PRIM_ERROR_CONTEXT: fv_push(g, out, afmt(g, "(int32_t) (%s)", e), WK_CABI_CORE_I32); return;
  case WIT_PRIM_U64:
  case WIT_PRIM_S64: fv_push(g, out, afmt(g, "(int64_t) (%s)", e), WK_CABI_CORE_I64); return;
  case WIT_PRIM_F32: fv_push(g, out, e, WK_CABI_CORE_F32); return;
  case WIT_PRIM_F64: fv_push(g, out, e, WK_CABI_CORE_F64); return;
  case WIT_PRIM_STRING:
    fv_push(g, out, afmt(g, "(int32_t) (uintptr_t) (%s).ptr", e), WK_CABI_CORE_I32);
    fv_push(g, out, afmt(g, "(int32_t) (%s).len", e), WK_CABI_CORE_I32);
    return;
  case WIT_PRIM_ID: break;
  default: return;
  }
  const wit_typedef *d = td(g, t.id);
  switch (d->kind) {
  case WIT_TD_RECORD:
    for (uint32_t i = 0; i < d->n_fields; i++)
      lower_flat(f, d->fields[i].ty, afmt(g, "(%s).%s", e, c_ident(g, d->fields[i].name)), out, depth + 1);
    return;
  case WIT_TD_TUPLE:
    for (uint32_t i = 0; i < d->n_fields; i++) lower_flat(f, d->fields[i].ty, afmt(g, "(%s).f%u", e, i), out, depth + 1);
    return;
  case WIT_TD_FLAGS:
    if (d->n_fields <= 32) fv_push(g, out, afmt(g, "(int32_t) (%s)", e), WK_CABI_CORE_I32);
    else {
      fv_push(g, out, afmt(g, "(int32_t) ((%s) & 0xffffffff)", e), WK_CABI_CORE_I32);
      fv_push(g, out, afmt(g, "(int32_t) (((%s) >> 32) & 0xffffffff)", e), WK_CABI_CORE_I32);
    }
    return;
  case WIT_TD_ENUM:
  case WIT_TD_FUTURE:
  case WIT_TD_STREAM: fv_push(g, out, afmt(g, "(int32_t) (%s)", e), WK_CABI_CORE_I32); return;
  case WIT_TD_OWN:
  case WIT_TD_BORROW:
    if (d->kind == WIT_TD_BORROW && res_direction(g, d->resource) == DIR_EXPORT && !g->in_import)
      fv_push(g, out, afmt(g, "(int32_t) (uintptr_t) (%s)", e), WK_CABI_CORE_I32);
    else fv_push(g, out, afmt(g, "(%s).__handle", e), WK_CABI_CORE_I32);
    return;
  case WIT_TD_LIST:
  case WIT_TD_MAP:
    fv_push(g, out, afmt(g, "(int32_t) (uintptr_t) (%s).ptr", e), WK_CABI_CORE_I32);
    fv_push(g, out, afmt(g, "(int32_t) (%s).len", e), WK_CABI_CORE_I32);
    return;
  case WIT_TD_OPTION:
  case WIT_TD_RESULT:
  case WIT_TD_VARIANT: {
    wk_cabi_core j[64];
    uint32_t nj = flatten(g, t, j, 64);
    if (nj > 64) { fail(g, "variant too large to flatten"); return; }
    char **tmps = wk_arena_alloc(&g->arena, nj * sizeof *tmps);
    if (!tmps) { g->failed = 1; return; }
    for (uint32_t k = 0; k < nj; k++) {
      tmps[k] = tmpname(f, "v");
      wk_buf_printf(&f->src, "%s %s = 0;\n", wasm_cty(j[k]), tmps[k]);
    }
    if (d->kind == WIT_TD_OPTION) {
      wk_buf_printf(&f->src, "if ((%s).is_some) {\n%s = 1;\n", e, tmps[0]);
      lower_variant_case(f, d->ty, afmt(g, "(%s).val", e), tmps, j, nj, depth);
      wk_buf_printf(&f->src, "} else {\n%s = 0;\n", tmps[0]);
      lower_variant_case(f, (wit_type){0, 0}, NULL, tmps, j, nj, depth);
      wk_buf_str(&f->src, "}\n");
    } else if (d->kind == WIT_TD_RESULT) {
      wk_buf_printf(&f->src, "if ((%s).is_err) {\n%s = 1;\n", e, tmps[0]);
      lower_variant_case(f, d->ty2, afmt(g, "(%s).val.err", e), tmps, j, nj, depth);
      wk_buf_printf(&f->src, "} else {\n%s = 0;\n", tmps[0]);
      lower_variant_case(f, d->ty, afmt(g, "(%s).val.ok", e), tmps, j, nj, depth);
      wk_buf_str(&f->src, "}\n");
    } else {
      wk_buf_printf(&f->src, "switch ((int32_t) (%s).tag) {\n", e);
      for (uint32_t i = 0; i < d->n_fields; i++) {
        wk_buf_printf(&f->src, "case %u: {\n%s = %u;\n", i, tmps[0], i);
        lower_variant_case(f, d->fields[i].ty,
                           d->fields[i].ty.prim ? afmt(g, "(%s).val.%s", e, c_ident(g, d->fields[i].name)) : NULL, tmps,
                           j, nj, depth);
        wk_buf_str(&f->src, "break;\n}\n");
      }
      wk_buf_str(&f->src, "}\n");
    }
    for (uint32_t k = 0; k < nj; k++) fv_push(g, out, tmps[k], j[k]);
    return;
  }
  default: fail(g, "cannot lower this type (fixed-length list?)"); return;
  }
}

static const char *lift_flat(fnctx *f, wit_type t0, const fv *in, size_t nin, size_t *idx, int depth);

static const char *next_in(fnctx *f, const fv *in, size_t nin, size_t *idx) {
  if (*idx >= nin) { fail(f->g, "internal: flat values exhausted"); return "0"; }
  return in[(*idx)++].e;
}

static const char *lift_payload2(fnctx *f, wit_type payload, const fv *jin, uint32_t njin, const wk_cabi_core *jt,
                                 int depth) {
  cg *g = f->g;
  wk_cabi_core pt[64];
  uint32_t np = flatten(g, payload, pt, 64);
  if (np > 64 || np > njin) { fail(g, "internal: payload flattening"); return "0"; }
  fv tmp[64];
  for (uint32_t k = 0; k < np; k++) {
    tmp[k].e = conv_up(f, jin[k].e, jt[k], pt[k]);
    tmp[k].t = pt[k];
  }
  size_t i = 0;
  return lift_flat(f, payload, tmp, np, &i, depth + 1);
}

static const char *lift_flat(fnctx *f, wit_type t0, const fv *in, size_t nin, size_t *idx, int depth) {
  cg *g = f->g;
  if (depth > 200) { fail(g, "type nested too deeply"); return "0"; }
  wit_type t = dealias_ty(g, t0);
  const char *tn = cty(g, t0);
  switch (t.prim) {
  case WIT_PRIM_BOOL: return afmt(g, "(bool) (%s)", next_in(f, in, nin, idx));
  case WIT_PRIM_U8:
  case WIT_PRIM_U16:
  case WIT_PRIM_U32:
  case WIT_PRIM_S8:
  case WIT_PRIM_S16:
  case WIT_PRIM_S32:
  case WIT_PRIM_CHAR:
  case WIT_PRIM_U64:
  case WIT_PRIM_S64:
  case WIT_PRIM_ERROR_CONTEXT: return afmt(g, "(%s) (%s)", cty(g, t), next_in(f, in, nin, idx));
  case WIT_PRIM_F32:
  case WIT_PRIM_F64: return next_in(f, in, nin, idx);
  case WIT_PRIM_STRING: {
    const char *p = next_in(f, in, nin, idx), *l = next_in(f, in, nin, idx);
    return afmt(g, "(%s) { (%s*) (uintptr_t) (%s), (size_t) (%s) }", cty(g, t), char_type(g), p, l);
  }
  case WIT_PRIM_ID: break;
  default: return "0";
  }
  const wit_typedef *d = td(g, t.id);
  switch (d->kind) {
  case WIT_TD_RECORD:
  case WIT_TD_TUPLE: {
    char *v = tmpname(f, "r");
    wk_buf_printf(&f->src, "%s %s;\n", tn, v);
    for (uint32_t i = 0; i < d->n_fields; i++) {
      const char *x = lift_flat(f, d->fields[i].ty, in, nin, idx, depth + 1);
      if (d->kind == WIT_TD_RECORD) wk_buf_printf(&f->src, "%s.%s = %s;\n", v, c_ident(g, d->fields[i].name), x);
      else wk_buf_printf(&f->src, "%s.f%u = %s;\n", v, i, x);
    }
    return v;
  }
  case WIT_TD_FLAGS:
    if (d->n_fields <= 32) return afmt(g, "(%s) (%s)", tn, next_in(f, in, nin, idx));
    else {
      const char *a = next_in(f, in, nin, idx), *b = next_in(f, in, nin, idx);
      return afmt(g, "((%s) (uint32_t) (%s)) | (((%s) (uint32_t) (%s)) << 32)", tn, a, tn, b);
    }
  case WIT_TD_ENUM:
  case WIT_TD_FUTURE:
  case WIT_TD_STREAM: return afmt(g, "(%s) (%s)", tn, next_in(f, in, nin, idx));
  case WIT_TD_OWN: return afmt(g, "(%s) { %s }", tn, next_in(f, in, nin, idx));
  case WIT_TD_BORROW: {
    const char *x = next_in(f, in, nin, idx);
    wit_id rid = dealias_id(g, d->resource);
    if (g->res[rid].direction == DIR_EXPORT) return afmt(g, "((%s*) (uintptr_t) (%s))", cty(g, mkid(rid)), x);
    if (!g->in_import && g->autodrop) {
      char *b = tmpname(f, "borrow");
      wk_buf_printf(&f->borrow_decls, "int32_t %s = 0;\n", b);
      wk_buf_printf(&f->src, "%s = %s;\n", b, x);
      if (f->nborrows == f->capborrows) {
        size_t nc = f->capborrows ? f->capborrows * 2 : 4;
        char **nb = wk_reallocarray(f->borrows, nc, sizeof *nb);
        wit_id *nr = wk_reallocarray(f->borrow_res, nc, sizeof *nr);
        if (nb) f->borrows = nb;
        if (nr) f->borrow_res = nr;
        if (!nb || !nr) { g->failed = 1; return "0"; }
        f->capborrows = nc;
      }
      f->borrows[f->nborrows] = b;
      f->borrow_res[f->nborrows++] = rid;
    }
    return afmt(g, "(%s) { %s }", tn, x);
  }
  case WIT_TD_LIST: {
    const char *p = next_in(f, in, nin, idx), *l = next_in(f, in, nin, idx);
    return afmt(g, "(%s) { (%s*) (uintptr_t) (%s), (size_t) (%s) }", tn, cty(g, d->ty), p, l);
  }
  case WIT_TD_MAP: {
    const char *p = next_in(f, in, nin, idx), *l = next_in(f, in, nin, idx);
    return afmt(g, "(%s) { (%s_entry_t*) (uintptr_t) (%s), (size_t) (%s) }", tn, strip_t(g, tn), p, l);
  }
  case WIT_TD_OPTION:
  case WIT_TD_RESULT:
  case WIT_TD_VARIANT: {
    wk_cabi_core j[64];
    uint32_t nj = flatten(g, t, j, 64);
    if (nj > 64 || *idx + nj > nin) { fail(g, "internal: variant flattening"); return "0"; }
    size_t base = *idx;
    *idx += nj;
    const char *disc = in[base].e;
    char *v = tmpname(f, "r");
    wk_buf_printf(&f->src, "%s %s;\n", tn, v);
    /* payload k-th flat value is in[base + 1 + k] with joined type j[1 + k] */
    fv jin[64];
    for (uint32_t k = 1; k < nj; k++) jin[k - 1] = in[base + k];
    wk_cabi_core jt[64];
    for (uint32_t k = 1; k < nj; k++) jt[k - 1] = j[k];
#define PAYLOAD(ty) lift_payload2(f, (ty), jin, nj - 1, jt, depth)
    if (d->kind == WIT_TD_OPTION) {
      wk_buf_printf(&f->src, "switch (%s) {\ncase 0: {\n%s.is_some = false;\nbreak;\n}\ncase 1: {\n%s.is_some = true;\n", disc, v, v);
      const char *x = PAYLOAD(d->ty);
      wk_buf_printf(&f->src, "%s.val = %s;\nbreak;\n}\n}\n", v, x);
    } else if (d->kind == WIT_TD_RESULT) {
      wk_buf_printf(&f->src, "switch (%s) {\ncase 0: {\n%s.is_err = false;\n", disc, v);
      if (d->ty.prim) { const char *x = PAYLOAD(d->ty); wk_buf_printf(&f->src, "%s.val.ok = %s;\n", v, x); }
      wk_buf_printf(&f->src, "break;\n}\ncase 1: {\n%s.is_err = true;\n", v);
      if (d->ty2.prim) { const char *x = PAYLOAD(d->ty2); wk_buf_printf(&f->src, "%s.val.err = %s;\n", v, x); }
      wk_buf_str(&f->src, "break;\n}\n}\n");
    } else {
      wk_buf_printf(&f->src, "%s.tag = (%s) (%s);\nswitch ((int32_t) %s.tag) {\n", v, int_repr_n(d->n_fields), disc, v);
      for (uint32_t i = 0; i < d->n_fields; i++) {
        wk_buf_printf(&f->src, "case %u: {\n", i);
        if (d->fields[i].ty.prim) {
          const char *x = PAYLOAD(d->fields[i].ty);
          wk_buf_printf(&f->src, "%s.val.%s = %s;\n", v, c_ident(g, d->fields[i].name), x);
        }
        wk_buf_str(&f->src, "break;\n}\n");
      }
      wk_buf_str(&f->src, "}\n");
    }
#undef PAYLOAD
    return v;
  }
  default: fail(g, "cannot lift this type (fixed-length list?)"); return "0";
  }
}

/* ---- memory (post-return deallocation, CanonicalABI.md "Element Size") ---- */

static int needs_dealloc(cg *g, wit_type t, int depth) {
  t = dealias_ty(g, t);
  if (depth > 200) return 0;
  if (t.prim == WIT_PRIM_STRING || t.prim == WIT_PRIM_ERROR_CONTEXT) return 1;
  if (!is_id(t)) return 0;
  const wit_typedef *d = td(g, t.id);
  switch (d->kind) {
  case WIT_TD_LIST:
  case WIT_TD_MAP: return 1;
  case WIT_TD_FIXED_LIST:
  case WIT_TD_OPTION: return needs_dealloc(g, d->ty, depth + 1);
  case WIT_TD_RESULT: return (d->ty.prim && needs_dealloc(g, d->ty, depth + 1)) || (d->ty2.prim && needs_dealloc(g, d->ty2, depth + 1));
  case WIT_TD_RECORD:
  case WIT_TD_TUPLE:
  case WIT_TD_VARIANT:
    for (uint32_t i = 0; i < d->n_fields; i++)
      if (d->fields[i].ty.prim && needs_dealloc(g, d->fields[i].ty, depth + 1)) return 1;
    return 0;
  default: return 0;
  }
}

static void dealloc_mem(fnctx *f, wit_type t0, const char *base, int depth) {
  cg *g = f->g;
  wit_type t = dealias_ty(g, t0);
  if (!needs_dealloc(g, t, 0) || depth > 200) return;
  wk_buf *s = &f->src;
  if (t.prim == WIT_PRIM_STRING) {
    wk_buf_printf(s, "if ((*((size_t *) (%s + 4))) > 0) {\nfree(*((uint8_t **) (%s + 0)));\n}\n", base, base);
    return;
  }
  if (!is_id(t)) return;
  const wit_typedef *d = td(g, t.id);
  switch (d->kind) {
  case WIT_TD_LIST:
  case WIT_TD_MAP: {
    char *p = tmpname(f, "p"), *l = tmpname(f, "len"), *i = tmpname(f, "i"), *b = tmpname(f, "base");
    uint32_t esize, voff = 0;
    if (d->kind == WIT_TD_LIST) esize = layout(g, d->ty).size;
    else {
      const wk_cabi_type *kids[2] = {cabi_of(g, d->ty), cabi_of(g, d->ty2)};
      wk_cabi_type tup = {.kind = WK_CABI_TUPLE, .n = 2, .children = kids};
      wk_cabi_layout l2 = {1, 1};
      uint32_t offs[2] = {0, 0};
      wk_error e;
      if (wk_cabi_layout_of(&tup, 4, &l2, &e) || wk_cabi_field_offsets(&tup, 4, offs, 2, &e)) fail(g, "%s", e.msg);
      esize = l2.size;
      voff = offs[1];
    }
    wk_buf_printf(s, "{\nuint8_t *%s = *((uint8_t **) (%s + 0));\nsize_t %s = *((size_t *) (%s + 4));\nif (%s > 0) {\n"
                     "for (size_t %s = 0; %s < %s; %s++) {\nuint8_t *%s = %s + %s * %u;\n(void) %s;\n",
                  p, base, l, base, l, i, i, l, i, b, p, i, esize, b);
    if (d->kind == WIT_TD_LIST) dealloc_mem(f, d->ty, b, depth + 1);
    else {
      dealloc_mem(f, d->ty, b, depth + 1);
      dealloc_mem(f, d->ty2, afmt(g, "(%s + %u)", b, voff), depth + 1);
    }
    wk_buf_printf(s, "}\nfree(%s);\n}\n}\n", p);
    return;
  }
  case WIT_TD_RECORD:
  case WIT_TD_TUPLE: {
    uint32_t *offs = wk_arena_alloc(&g->arena, (d->n_fields + 1) * sizeof *offs);
    wk_error e;
    if (!offs || wk_cabi_field_offsets(cabi_of(g, t), 4, offs, d->n_fields, &e)) { fail(g, "record layout"); return; }
    for (uint32_t k = 0; k < d->n_fields; k++) dealloc_mem(f, d->fields[k].ty, afmt(g, "(%s + %u)", base, offs[k]), depth + 1);
    return;
  }
  case WIT_TD_OPTION:
  case WIT_TD_RESULT:
  case WIT_TD_VARIANT: {
    uint32_t off = 0, nc = d->kind == WIT_TD_VARIANT ? d->n_fields : 2;
    wk_error e;
    if (wk_cabi_payload_offset(cabi_of(g, t), 4, &off, &e)) { fail(g, "%s", e.msg); return; }
    uint32_t ds = wk_cabi_discriminant_size(nc);
    wk_buf_printf(s, "switch ((int32_t) *((%s *) (%s + 0))) {\n", ds == 1 ? "uint8_t" : ds == 2 ? "uint16_t" : "int32_t", base);
    for (uint32_t c = 0; c < nc; c++) {
      wit_type p = d->kind == WIT_TD_VARIANT ? d->fields[c].ty
                   : d->kind == WIT_TD_OPTION ? (c == 1 ? d->ty : (wit_type){0, 0})
                   : (c == 0 ? d->ty : d->ty2);
      wk_buf_printf(s, "case %u: {\n", c);
      if (p.prim) dealloc_mem(f, p, afmt(g, "(%s + %u)", base, off), depth + 1);
      wk_buf_str(s, "break;\n}\n");
    }
    wk_buf_str(s, "}\n");
    return;
  }
  default: return;
  }
}

/* Offsets of a function's parameters stored as one record (CanonicalABI.md lower_flat / store params). */
static void params_layout(cg *g, const wit_function *fn, uint32_t *offs, wk_cabi_layout *lay) {
  const wk_cabi_type **kids = wk_arena_alloc(&g->arena, (fn->n_params + 1) * sizeof *kids);
  if (!kids) { g->failed = 1; return; }
  for (uint32_t i = 0; i < fn->n_params; i++) kids[i] = cabi_of(g, fn->params[i].ty);
  wk_cabi_type rec = {.kind = WK_CABI_RECORD, .n = fn->n_params, .children = kids};
  wk_error e;
  if (fn->n_params == 0) { lay->size = 0; lay->align = 1; return; }
  if (wk_cabi_layout_of(&rec, 4, lay, &e) || wk_cabi_field_offsets(&rec, 4, offs, fn->n_params, &e)) fail(g, "%s", e.msg);
}

static void core_sig(cg *g, const wit_function *fn, int async_, int lift, wk_cabi_core_sig *sig) {
  const wk_cabi_type **kids = wk_arena_alloc(&g->arena, (fn->n_params + 1) * sizeof *kids);
  if (!kids) { g->failed = 1; memset(sig, 0, sizeof *sig); return; }
  for (uint32_t i = 0; i < fn->n_params; i++) kids[i] = cabi_of(g, fn->params[i].ty);
  wk_cabi_opts o = {.ptr_size = 4, .async_ = async_, .callback = async_ && lift};
  wk_error e;
  if (wk_cabi_flatten_func(kids, fn->n_params, fn->result.prim ? cabi_of(g, fn->result) : NULL, &o,
                           lift ? WK_CABI_LIFT : WK_CABI_LOWER, sig, &e))
    fail(g, "%s", e.msg);
}

/* ------------------------------------------------------------------ */
/* signatures                                                          */

enum { SC_NONE = 0, SC_VOID, SC_OPTBOOL, SC_RESBOOL, SC_TYPE };

typedef struct csig {
  char *name;
  char *sig;
  uint32_t nparams;
  int *byptr;    /* param passed as pointer */
  int *isopt;    /* option param flattened to maybe_NAME */
  char **pname;  /* C identifier */
  int scalar;
  wit_type scalar_ty, opt_payload, ok, err;
  wit_type retptrs[2];
  int nretptrs;
  char *retnames[2];
} csig;

static int is_arg_by_pointer(cg *g, wit_type t) {
  t = dealias_ty(g, t);
  if (t.prim == WIT_PRIM_STRING) return 1;
  if (!is_id(t)) return 0;
  switch (td(g, t.id)->kind) {
  case WIT_TD_VARIANT:
  case WIT_TD_OPTION:
  case WIT_TD_RESULT:
  case WIT_TD_TUPLE:
  case WIT_TD_RECORD:
  case WIT_TD_LIST:
  case WIT_TD_MAP: return 1;
  default: return 0;
  }
}

static int is_option(cg *g, wit_type t) { return is_id(t) && td(g, t.id)->kind == WIT_TD_OPTION; }

static void return_single(cg *g, csig *s, wit_type t, wit_type orig) {
  if (!is_id(t)) {
    if (t.prim == WIT_PRIM_STRING) { s->retptrs[s->nretptrs++] = orig; return; }
    s->scalar = SC_TYPE;
    s->scalar_ty = orig;
    return;
  }
  const wit_typedef *d = td(g, t.id);
  switch (d->kind) {
  case WIT_TD_TYPE: return_single(g, s, d->ty, orig); return;
  case WIT_TD_FLAGS:
  case WIT_TD_ENUM:
  case WIT_TD_OWN:
  case WIT_TD_BORROW:
  case WIT_TD_FUTURE:
  case WIT_TD_STREAM: s->scalar = SC_TYPE; s->scalar_ty = orig; return;
  case WIT_TD_OPTION:
    if (!g->no_sig_flattening) {
      s->scalar = SC_OPTBOOL;
      s->opt_payload = d->ty;
      s->retptrs[s->nretptrs++] = d->ty;
      return;
    }
    break;
  case WIT_TD_RESULT:
    if (!g->no_sig_flattening) {
      if (d->ty.prim) s->retptrs[s->nretptrs++] = d->ty;
      if (d->ty2.prim) s->retptrs[s->nretptrs++] = d->ty2;
      s->scalar = SC_RESBOOL;
      s->ok = d->ty;
      s->err = d->ty2;
      return;
    }
    break;
  default: break;
  }
  s->retptrs[s->nretptrs++] = orig;
}

static csig *print_sig(cg *g, const wit_world_item *key, const wit_function *fn, const wk_cabi_core_sig *core,
                       int async_) {
  csig *s = wk_arena_alloc(&g->arena, sizeof *s);
  if (!s) { g->failed = 1; return NULL; }
  s->name = c_func_name(g, key, fn);
  uint32_t n = fn->n_params;
  s->byptr = wk_arena_alloc(&g->arena, (n + 1) * sizeof(int));
  s->isopt = wk_arena_alloc(&g->arena, (n + 1) * sizeof(int));
  s->pname = wk_arena_alloc(&g->arena, (n + 2) * sizeof(char *));
  if (!s->byptr || !s->isopt || !s->pname) { g->failed = 1; return NULL; }
  wk_buf b = {0};
  int result_rets = 0, result_has_ok = 0;
  if (async_ && !g->in_import) {
    s->scalar = fn->result.prim ? SC_TYPE : SC_VOID;
    s->scalar_ty = fn->result;
  } else if (!fn->result.prim) {
    s->scalar = SC_VOID;
  } else {
    return_single(g, s, fn->result, fn->result);
  }
  if (async_) {
    wk_buf_printf(&b, "%s_%s", g->wsnake, g->in_import ? "subtask_status_t" : "callback_code_t");
  } else {
    switch (s->scalar) {
    case SC_NONE:
    case SC_VOID: wk_buf_str(&b, "void"); break;
    case SC_OPTBOOL: wk_buf_str(&b, "bool"); break;
    case SC_RESBOOL: result_rets = 1; result_has_ok = s->ok.prim != 0; wk_buf_str(&b, "bool"); break;
    default: wk_buf_str(&b, cty(g, s->scalar_ty)); break;
    }
  }
  wk_buf_printf(&b, " %s(", s->name);
  s->nparams = n;
  if (async_ && g->in_import) {
    int printed = 0;
    if (core->indirect_params) {
      if (n == 1) {
        wk_buf_printf(&b, "%s *arg", cty(g, fn->params[0].ty));
        s->pname[0] = "arg";
        s->byptr[0] = 1;
        printed = 1;
      } else if (n > 1) {
        wk_buf_printf(&g->h_defs, "typedef struct %s_args {\n", s->name);
        for (uint32_t i = 0; i < n; i++) wk_buf_printf(&g->h_defs, "%s %s;\n", cty(g, fn->params[i].ty), c_ident(g, fn->params[i].name));
        wk_buf_printf(&g->h_defs, "} %s_args_t;\n", s->name);
        wk_buf_printf(&b, "%s_args_t *args", s->name);
        s->pname[0] = "args";
        s->byptr[0] = 1;
        printed = 1;
      }
    } else {
      for (uint32_t i = 0; i < n; i++) {
        s->pname[i] = c_ident(g, fn->params[i].name);
        wk_buf_printf(&b, "%s%s %s", printed ? ", " : "", cty(g, fn->params[i].ty), s->pname[i]);
        printed = 1;
      }
    }
    if (fn->result.prim) {
      wk_buf_printf(&b, "%s%s *result", printed ? ", " : "", cty(g, fn->result));
      printed = 1;
    }
    if (!printed) wk_buf_str(&b, "void");
  } else {
    for (uint32_t i = 0; i < n; i++) {
      wit_type ty = fn->params[i].ty;
      int ptr = is_arg_by_pointer(g, ty);
      int opt = !g->no_sig_flattening && is_option(g, ty);
      s->pname[i] = c_ident(g, fn->params[i].name);
      s->isopt[i] = opt;
      s->byptr[i] = !opt && ptr;
      if (i) wk_buf_str(&b, ", ");
      if (opt) wk_buf_printf(&b, "%s %smaybe_%s", cty(g, td(g, ty.id)->ty), ptr ? "*" : "", s->pname[i]);
      else wk_buf_printf(&b, "%s %s%s", cty(g, ty), ptr ? "*" : "", s->pname[i]);
    }
    if (!async_) {
      for (int i = 0; i < s->nretptrs; i++) {
        if (i > 0 || n > 0) wk_buf_str(&b, ", ");
        const char *rn;
        if (result_rets) rn = (i == 0 && result_has_ok) ? "ret" : "err";
        else if (s->nretptrs == 1) rn = "ret";
        else rn = afmt(g, "ret%d", i);
        wk_buf_printf(&b, "%s *%s", cty(g, s->retptrs[i]), rn);
        s->retnames[i] = (char *)rn;
      }
      if (n == 0 && s->nretptrs == 0) wk_buf_str(&b, "void");
    } else if (n == 0) {
      wk_buf_str(&b, "void");
    }
  }
  wk_buf_str(&b, ")");
  wk_buf_byte(&b, 0);
  s->sig = afmt(g, "%s", b.data ? (char *)b.data : "");
  wk_buf_free(&b);
  docs(&g->h_fns, fn->docs);
  wk_buf_printf(&g->h_fns, "%s%s;\n", g->in_import && !async_ ? "extern " : (g->in_import ? "extern " : ""), s->sig);
  return s;
}

static void core_decl(wk_buf *b, const char *ret, const char *name, const wk_cabi_core_sig *sig, int with_names) {
  wk_buf_printf(b, "%s %s(", ret, name);
  for (uint32_t i = 0; i < sig->nparams; i++)
    wk_buf_printf(b, "%s%s%s", i ? ", " : "", wasm_cty(sig->params[i]), with_names ? "" : "");
  if (!sig->nparams) wk_buf_str(b, "void");
  wk_buf_str(b, ")");
}

/* ---- futures and streams (wit-bindgen generate_async_future_or_stream) ---- */

static void find_fs(cg *g, wit_type t, idlist *out, int depth) {
  if (!is_id(t) || depth > 200) return;
  const wit_typedef *d = td(g, t.id);
  switch (d->kind) {
  case WIT_TD_RECORD:
  case WIT_TD_TUPLE:
  case WIT_TD_VARIANT:
    for (uint32_t i = 0; i < d->n_fields; i++) find_fs(g, d->fields[i].ty, out, depth + 1);
    break;
  case WIT_TD_OPTION:
  case WIT_TD_LIST:
  case WIT_TD_FIXED_LIST:
  case WIT_TD_TYPE: find_fs(g, d->ty, out, depth + 1); break;
  case WIT_TD_MAP:
  case WIT_TD_RESULT:
    find_fs(g, d->ty, out, depth + 1);
    find_fs(g, d->ty2, out, depth + 1);
    break;
  case WIT_TD_FUTURE:
  case WIT_TD_STREAM:
    find_fs(g, d->ty, out, depth + 1);
    idlist_push(g, out, t.id);
    break;
  default: break;
  }
}

static void gen_futures_streams(cg *g, const char *prefix, const wit_function *fn, const wit_world_item *key) {
  idlist l;
  memset(&l, 0, sizeof l);
  for (uint32_t i = 0; i < fn->n_params; i++) find_fs(g, fn->params[i].ty, &l, 0);
  find_fs(g, fn->result, &l, 0);
  const char *module = afmt(g, "%s%s", prefix, key ? world_key_name(g, key) : "$root");
  for (size_t index = 0; index < l.n; index++) {
    wit_id id = l.v[index];
    if (g->futures_done[id]) continue;
    g->futures_done[id] = 1;
    const wit_typedef *d = td(g, id);
    int stream = d->kind == WIT_TD_STREAM;
    const char *ty = cty(g, mkid(id));
    char *name = strip_t(g, ty);
    const char *sn = g->wsnake;
    const char *kind = stream ? "stream" : "future";
    const char *lenarg = stream ? ", size_t" : "";
    const char *rty, *rex, *wty, *wex;
    if (!stream && !d->ty.prim) { rty = ""; rex = "NULL"; wty = ""; wex = "NULL"; }
    else if (!stream) {
      const char *p = cty(g, d->ty);
      rty = afmt(g, ", %s *buf", p); rex = "(uint8_t*) buf"; wty = afmt(g, ", const %s *buf", p); wex = "(const uint8_t*) buf";
    } else if (!d->ty.prim) {
      rty = ", size_t amt"; rex = "NULL, amt"; wty = ", size_t amt"; wex = "NULL, amt";
    } else {
      const char *p = cty(g, d->ty);
      rty = afmt(g, ", %s *buf, size_t amt", p); rex = "(uint8_t*) buf, amt";
      wty = afmt(g, ", const %s *buf, size_t amt", p); wex = "(const uint8_t*) buf, amt";
    }
    wk_buf_printf(&g->h_helpers,
                  "\ntypedef uint32_t %s_writer_t;\n\n"
                  "%s %s_new(%s_writer_t *writer);\n"
                  "%s_waitable_status_t %s_read(%s reader%s);\n"
                  "%s_waitable_status_t %s_write(%s_writer_t writer%s);\n"
                  "%s_waitable_status_t %s_cancel_read(%s reader);\n"
                  "%s_waitable_status_t %s_cancel_write(%s_writer_t writer);\n"
                  "void %s_drop_readable(%s reader);\n"
                  "void %s_drop_writable(%s_writer_t writer);\n",
                  name, ty, name, name, sn, name, ty, rty, sn, name, name, wty, sn, name, ty, sn, name, name, name, ty,
                  name, name);
    const char *fname = fn->name;
    wk_buf_printf(&g->c_helpers,
                  "\n__attribute__((__import_module__(\"%s\"), __import_name__(\"[%s-new-%zu]%s\")))\n"
                  "extern uint64_t %s__new(void);\n"
                  "__attribute__((__import_module__(\"%s\"), __import_name__(\"[async-lower][%s-read-%zu]%s\")))\n"
                  "extern uint32_t %s__read(uint32_t, uint8_t*%s);\n"
                  "__attribute__((__import_module__(\"%s\"), __import_name__(\"[async-lower][%s-write-%zu]%s\")))\n"
                  "extern uint32_t %s__write(uint32_t, const uint8_t*%s);\n"
                  "__attribute__((__import_module__(\"%s\"), __import_name__(\"[%s-cancel-read-%zu]%s\")))\n"
                  "extern uint32_t %s__cancel_read(uint32_t);\n"
                  "__attribute__((__import_module__(\"%s\"), __import_name__(\"[%s-cancel-write-%zu]%s\")))\n"
                  "extern uint32_t %s__cancel_write(uint32_t);\n"
                  "__attribute__((__import_module__(\"%s\"), __import_name__(\"[%s-drop-readable-%zu]%s\")))\n"
                  "extern void %s__drop_readable(uint32_t);\n"
                  "__attribute__((__import_module__(\"%s\"), __import_name__(\"[%s-drop-writable-%zu]%s\")))\n"
                  "extern void %s__drop_writable(uint32_t);\n",
                  module, kind, index, fname, name, module, kind, index, fname, name, lenarg, module, kind, index, fname,
                  name, lenarg, module, kind, index, fname, name, module, kind, index, fname, name, module, kind, index,
                  fname, name, module, kind, index, fname, name);
    wk_buf_printf(&g->c_helpers,
                  "\n%s %s_new(%s_writer_t *writer) {\nuint64_t packed = %s__new();\n*writer = (uint32_t) (packed >> 32);\n"
                  "return (uint32_t) packed;\n}\n\n"
                  "%s_waitable_status_t %s_read(%s reader%s) {\nreturn %s__read(reader, %s);\n}\n\n"
                  "%s_waitable_status_t %s_write(%s_writer_t writer%s) {\nreturn %s__write(writer, %s);\n}\n\n"
                  "%s_waitable_status_t %s_cancel_read(%s reader) {\nreturn %s__cancel_read(reader);\n}\n\n"
                  "%s_waitable_status_t %s_cancel_write(%s_writer_t writer) {\nreturn %s__cancel_write(writer);\n}\n\n"
                  "void %s_drop_readable(%s reader) {\n%s__drop_readable(reader);\n}\n\n"
                  "void %s_drop_writable(%s_writer_t writer) {\n%s__drop_writable(writer);\n}\n",
                  ty, name, name, name, sn, name, ty, rty, name, rex, sn, name, name, wty, name, wex, sn, name, ty, name,
                  sn, name, name, name, name, ty, name, name, name, name);
  }
  free(l.v);
}

/* ------------------------------------------------------------------ */
/* imports                                                             */

static int fn_is_async(cg *g, const wit_world_item *key, const wit_function *fn, int is_import) {
  const char *test = key ? afmt(g, "%s#%s", world_key_name(g, key), fn->name) : fn->name;
  for (size_t i = 0; i < g->n_async; i++) {
    if (g->async_f[i].kind == 0) return g->async_f[i].enabled;
    if (g->async_f[i].kind == 2 && !is_import) continue;
    if (g->async_f[i].kind == 3 && is_import) continue;
    if (!strcmp(g->async_f[i].name, test)) return g->async_f[i].enabled;
  }
  return fn->kind == WIT_FN_ASYNC_FREESTANDING || fn->kind == WIT_FN_ASYNC_METHOD || fn->kind == WIT_FN_ASYNC_STATIC;
}

static void emit_fnctx_body(wk_buf *dst, fnctx *f) {
  wk_buf_append(dst, f->borrow_decls.data, f->borrow_decls.len);
  wk_buf_append(dst, f->src.data, f->src.len);
}

static void fnctx_free(fnctx *f) {
  wk_buf_free(&f->src);
  wk_buf_free(&f->borrow_decls);
  free(f->borrows);
  free(f->borrow_res);
}

static void gen_import(cg *g, const wit_world_item *key, const wit_function *fn) {
  int async_ = fn_is_async(g, key, fn, 1);
  if (async_) g->needs_async = 1;
  wk_cabi_core_sig core;
  core_sig(g, fn, async_, 0, &core);
  if (g->failed) return;
  const char *module = key ? world_key_name(g, key) : "$root";
  char *cname = c_func_name(g, key, fn);
  char *iname = afmt(g, "__wasm_import_%s", cname);
  wk_buf_printf(&g->c_fns, "\n__attribute__((__import_module__(\"%s\"), __import_name__(\"%s%s\")))\nextern ", module,
                async_ ? "[async-lower]" : "", fn->name);
  core_decl(&g->c_fns, core.nresults ? wasm_cty(core.results[0]) : "void", iname, &core, 0);
  wk_buf_str(&g->c_fns, ";\n");
  csig *s = print_sig(g, key, fn, &core, async_);
  if (!s) return;
  fnctx f = {.g = g};
  fvlist args = {0};
  wk_buf_printf(&g->c_adapters, "\n%s {\n", s->sig);
  if (async_) {
    if (core.indirect_params) fv_push(g, &args, afmt(g, "(int32_t) (uintptr_t) %s", s->pname[0]), WK_CABI_CORE_I32);
    else
      for (uint32_t i = 0; i < fn->n_params; i++) lower_flat(&f, fn->params[i].ty, s->pname[i], &args, 0);
    if (fn->result.prim) fv_push(g, &args, "(int32_t) (uintptr_t) result", WK_CABI_CORE_I32);
    wk_buf_printf(&f.src, "return %s(", iname);
    for (size_t i = 0; i < args.n; i++) wk_buf_printf(&f.src, "%s%s", i ? ", " : "", args.v[i].e);
    wk_buf_str(&f.src, ");\n");
  } else {
    const char **pexpr = wk_arena_alloc(&g->arena, (fn->n_params + 1) * sizeof *pexpr);
    if (!pexpr) { g->failed = 1; return; }
    for (uint32_t i = 0; i < fn->n_params; i++) {
      if (s->isopt[i]) {
        const char *ot = cty(g, fn->params[i].ty);
        wk_buf_printf(&f.src, "%s %s;\n%s.is_some = maybe_%s != NULL;\nif (maybe_%s) {\n%s.val = *maybe_%s;\n}\n", ot,
                      s->pname[i], s->pname[i], s->pname[i], s->pname[i], s->pname[i], s->pname[i]);
        pexpr[i] = s->pname[i];
      } else if (s->byptr[i]) {
        pexpr[i] = afmt(g, "(*%s)", s->pname[i]);
      } else {
        pexpr[i] = s->pname[i];
      }
    }
    if (core.indirect_params) {
      uint32_t *offs = wk_arena_alloc(&g->arena, (fn->n_params + 1) * sizeof *offs);
      wk_cabi_layout pl = {0, 1};
      if (!offs) { g->failed = 1; return; }
      params_layout(g, fn, offs, &pl);
      wk_buf_printf(&f.src, "__attribute__((__aligned__(%u)))\nuint8_t _params[%u];\n", pl.align, pl.size ? pl.size : 1);
      for (uint32_t i = 0; i < fn->n_params; i++)
        wk_buf_printf(&f.src, "*((%s *) (_params + %u)) = %s;\n", cty(g, fn->params[i].ty), offs[i], pexpr[i]);
      fv_push(g, &args, "(int32_t) (uintptr_t) _params", WK_CABI_CORE_I32);
    } else {
      for (uint32_t i = 0; i < fn->n_params; i++) lower_flat(&f, fn->params[i].ty, pexpr[i], &args, 0);
    }
    if (core.indirect_results) {
      wk_cabi_layout rl = layout(g, fn->result);
      wk_buf_printf(&f.src, "__attribute__((__aligned__(%u)))\nuint8_t _ret_area[%u];\n", rl.align, rl.size);
      fv_push(g, &args, "(int32_t) (uintptr_t) _ret_area", WK_CABI_CORE_I32);
    }
    if (core.nresults) wk_buf_printf(&f.src, "%s _ret = ", wasm_cty(core.results[0]));
    wk_buf_printf(&f.src, "%s(", iname);
    for (size_t i = 0; i < args.n; i++) wk_buf_printf(&f.src, "%s%s", i ? ", " : "", args.v[i].e);
    wk_buf_str(&f.src, ");\n");
    const char *val = NULL;
    if (fn->result.prim) {
      if (core.indirect_results) {
        val = afmt(g, "(*((%s *) _ret_area))", cty(g, fn->result));
      } else {
        fv rv = {"_ret", core.results[0]};
        size_t idx = 0;
        val = lift_flat(&f, fn->result, &rv, 1, &idx, 0);
      }
      wk_buf_printf(&f.src, "%s _rv = %s;\n", cty(g, fn->result), val);
    }
    switch (s->scalar) {
    case SC_NONE: wk_buf_printf(&f.src, "*%s = _rv;\n", s->retnames[0]); break;
    case SC_VOID: break;
    case SC_TYPE: wk_buf_str(&f.src, "return _rv;\n"); break;
    case SC_OPTBOOL: wk_buf_printf(&f.src, "if (_rv.is_some) {\n*%s = _rv.val;\n}\nreturn _rv.is_some;\n", s->retnames[0]); break;
    case SC_RESBOOL: {
      int k = 0;
      wk_buf_str(&f.src, "if (!_rv.is_err) {\n");
      if (s->ok.prim) wk_buf_printf(&f.src, "*%s = _rv.val.ok;\n", s->retnames[k++]);
      wk_buf_str(&f.src, "return 1;\n} else {\n");
      if (s->err.prim) wk_buf_printf(&f.src, "*%s = _rv.val.err;\n", s->retnames[k++]);
      wk_buf_str(&f.src, "return 0;\n}\n");
      break;
    }
    }
  }
  emit_fnctx_body(&g->c_adapters, &f);
  wk_buf_str(&g->c_adapters, "}\n");
  free(args.v);
  fnctx_free(&f);
  gen_futures_streams(g, "", fn, key);
}

/* ------------------------------------------------------------------ */
/* exports                                                             */

static void gen_export(cg *g, const wit_world_item *key, const wit_function *fn) {
  int async_ = fn_is_async(g, key, fn, 0);
  if (async_) g->needs_async = 1;
  wk_cabi_core_sig core;
  core_sig(g, fn, async_, 1, &core);
  if (g->failed) return;
  const char *module = key ? world_key_name(g, key) : NULL;
  const char *export_name = module ? afmt(g, "%s#%s", module, fn->name) : fn->name;
  const char *prefix = async_ ? "[async-lift]" : "";
  csig *s = print_sig(g, key, fn, &core, async_);
  if (!s) return;
  char *iname = afmt(g, "__wasm_export_%s", s->name);
  wk_buf_printf(&g->c_adapters, "\n__attribute__((__export_name__(\"%s%s\")))\n%s %s(", prefix, export_name,
                core.nresults ? wasm_cty(core.results[0]) : "void", iname);
  fvlist in = {0};
  for (uint32_t i = 0; i < core.nparams; i++) {
    char *a = afmt(g, "arg%u", i);
    wk_buf_printf(&g->c_adapters, "%s%s %s", i ? ", " : "", wasm_cty(core.params[i]), a);
    fv_push(g, &in, a, core.params[i]);
  }
  if (!core.nparams) wk_buf_str(&g->c_adapters, "void");
  wk_buf_str(&g->c_adapters, ") {\n");
  fnctx f = {.g = g};
  char **lifted = wk_arena_alloc(&g->arena, (fn->n_params + 1) * sizeof *lifted);
  if (!lifted) { g->failed = 1; return; }
  if (core.indirect_params) {
    uint32_t *offs = wk_arena_alloc(&g->arena, (fn->n_params + 1) * sizeof *offs);
    wk_cabi_layout pl;
    if (!offs) { g->failed = 1; return; }
    params_layout(g, fn, offs, &pl);
    wk_buf_str(&f.src, "uint8_t *_pp = (uint8_t *) (uintptr_t) arg0;\n");
    for (uint32_t i = 0; i < fn->n_params; i++) {
      lifted[i] = tmpname(&f, "arg");
      const char *t = cty(g, fn->params[i].ty);
      wk_buf_printf(&f.src, "%s %s = *((%s *) (_pp + %u));\n", t, lifted[i], t, offs[i]);
    }
    if (!async_) wk_buf_str(&f.src, "free(_pp);\n");
  } else {
    size_t idx = 0;
    for (uint32_t i = 0; i < fn->n_params; i++) {
      const char *x = lift_flat(&f, fn->params[i].ty, in.v, in.n, &idx, 0);
      lifted[i] = tmpname(&f, "arg");
      wk_buf_printf(&f.src, "%s %s = %s;\n", cty(g, fn->params[i].ty), lifted[i], x);
    }
  }
  wk_buf args = {0};
  for (uint32_t i = 0; i < fn->n_params; i++) {
    if (i) wk_buf_str(&args, ", ");
    if (s->isopt[i]) wk_buf_printf(&args, "%s.is_some ? &(%s.val) : NULL", lifted[i], lifted[i]);
    else if (s->byptr[i]) wk_buf_printf(&args, "&%s", lifted[i]);
    else wk_buf_str(&args, lifted[i]);
  }
  wk_buf_byte(&args, 0);
  const char *a = (const char *)args.data;
  const char *sep = fn->n_params ? ", " : "";
  if (async_) {
    wk_buf_printf(&f.src, "%s_callback_code_t _ret = %s(%s);\n", g->wsnake, s->name, a);
    for (size_t i = 0; i < f.nborrows; i++)
      wk_buf_printf(&f.src, "if (%s != 0) {\n%s(%s);\n}\n", f.borrows[i], g->res[f.borrow_res[i]].drop_fn, f.borrows[i]);
    wk_buf_str(&f.src, "return _ret;\n");
  } else {
    int have = fn->result.prim != 0;
    const char *rt = have ? cty(g, fn->result) : NULL;
    switch (s->scalar) {
    case SC_NONE: wk_buf_printf(&f.src, "%s _rv;\n%s(%s%s&_rv);\n", rt, s->name, a, sep); break;
    case SC_VOID: wk_buf_printf(&f.src, "%s(%s);\n", s->name, a); break;
    case SC_TYPE: wk_buf_printf(&f.src, "%s _rv = %s(%s);\n", rt, s->name, a); break;
    case SC_OPTBOOL: {
      const char *pt = cty(g, s->opt_payload);
      wk_buf_printf(&f.src, "%s _val;\nbool _some = %s(%s%s&_val);\n%s _rv;\n_rv.is_some = _some;\nif (_some) {\n_rv.val = _val;\n}\n",
                    pt, s->name, a, sep, rt);
      break;
    }
    case SC_RESBOOL: {
      wk_buf_printf(&f.src, "%s _rv;\n", rt);
      wk_buf cargs = {0};
      wk_buf_str(&cargs, a);
      int first = fn->n_params == 0;
      if (s->ok.prim) {
        wk_buf_printf(&f.src, "%s _ok;\n", cty(g, s->ok));
        wk_buf_printf(&cargs, "%s&_ok", first ? "" : ", ");
        first = 0;
      }
      if (s->err.prim) {
        wk_buf_printf(&f.src, "%s _err;\n", cty(g, s->err));
        wk_buf_printf(&cargs, "%s&_err", first ? "" : ", ");
      }
      wk_buf_byte(&cargs, 0);
      wk_buf_printf(&f.src, "_rv.is_err = !%s(%s);\n", s->name, (char *)cargs.data);
      if (s->err.prim) wk_buf_str(&f.src, "if (_rv.is_err) {\n_rv.val.err = _err;\n}\n");
      if (s->ok.prim) wk_buf_str(&f.src, "if (!_rv.is_err) {\n_rv.val.ok = _ok;\n}\n");
      wk_buf_free(&cargs);
      break;
    }
    }
    const char *retexpr = NULL;
    if (have) {
      if (core.indirect_results) {
        wk_cabi_layout rl = layout(g, fn->result);
        if (rl.size > g->ret_size) g->ret_size = rl.size;
        if (rl.align > g->ret_align) g->ret_align = rl.align;
        wk_buf_printf(&f.src, "*((%s *) RET_AREA) = _rv;\n", rt);
        retexpr = "(int32_t) (uintptr_t) RET_AREA";
      } else {
        fvlist out = {0};
        lower_flat(&f, fn->result, "_rv", &out, 0);
        if (out.n == 1) retexpr = out.v[0].e;
        free(out.v);
      }
    }
    for (size_t i = 0; i < f.nborrows; i++)
      wk_buf_printf(&f.src, "if (%s != 0) {\n%s(%s);\n}\n", f.borrows[i], g->res[f.borrow_res[i]].drop_fn, f.borrows[i]);
    if (retexpr) wk_buf_printf(&f.src, "return %s;\n", retexpr);
  }
  wk_buf_free(&args);
  emit_fnctx_body(&g->c_adapters, &f);
  wk_buf_str(&g->c_adapters, "}\n");
  fnctx_free(&f);
  free(in.v);

  if (async_) {
    const char *sn = g->wsnake;
    const char *rty = fn->result.prim ? afmt(g, "%s ret", cty(g, fn->result)) : "void";
    wk_buf_printf(&g->h_fns, "%s_callback_code_t %s_callback(%s_event_t *event);\n", sn, s->name, sn);
    wk_buf_printf(&g->h_helpers, "void %s_return(%s);\n", s->name, rty);
    fnctx t = {.g = g};
    fvlist out = {0};
    if (fn->result.prim) {
      wk_cabi_core fl[WK_CABI_MAX_FLAT_PARAMS + 1];
      uint32_t n = flatten(g, fn->result, fl, WK_CABI_MAX_FLAT_PARAMS + 1);
      if (n > WK_CABI_MAX_FLAT_PARAMS) {
        wk_cabi_layout rl = layout(g, fn->result);
        if (rl.size > g->ret_size) g->ret_size = rl.size;
        if (rl.align > g->ret_align) g->ret_align = rl.align;
        wk_buf_printf(&t.src, "*((%s *) RET_AREA) = ret;\n", cty(g, fn->result));
        fv_push(g, &out, "(int32_t) (uintptr_t) RET_AREA", WK_CABI_CORE_I32);
      } else {
        lower_flat(&t, fn->result, "ret", &out, 0);
      }
    }
    const char *imod = key ? world_key_name(g, key) : "$root";
    wk_buf_printf(&g->c_helpers,
                  "\n__attribute__((__export_name__(\"[callback]%s%s\")))\n"
                  "uint32_t %s_callback(uint32_t event_raw, uint32_t waitable, uint32_t code) {\n"
                  "%s_event_t event;\nevent.event = (%s_event_code_t) event_raw;\nevent.waitable = waitable;\n"
                  "event.code = code;\nreturn %s_callback(&event);\n}\n\n"
                  "__attribute__((__import_module__(\"[export]%s\"), __import_name__(\"[task-return]%s\")))\n"
                  "void %s__task_return(",
                  prefix, export_name, iname, sn, sn, s->name, imod, fn->name, iname);
    for (size_t i = 0; i < out.n; i++) wk_buf_printf(&g->c_helpers, "%s%s", i ? ", " : "", wasm_cty(out.v[i].t));
    if (!out.n) wk_buf_str(&g->c_helpers, "void");
    wk_buf_printf(&g->c_helpers, ");\n\nvoid %s_return(%s) {\n", s->name, rty);
    wk_buf_append(&g->c_helpers, t.src.data, t.src.len);
    wk_buf_printf(&g->c_helpers, "%s__task_return(", iname);
    for (size_t i = 0; i < out.n; i++) wk_buf_printf(&g->c_helpers, "%s%s", i ? ", " : "", out.v[i].e);
    wk_buf_str(&g->c_helpers, ");\n}\n");
    free(out.v);
    fnctx_free(&t);
  } else if (fn->result.prim && needs_dealloc(g, fn->result, 0)) {
    fnctx p = {.g = g};
    wk_buf_printf(&g->c_fns, "\n__attribute__((__weak__, __export_name__(\"cabi_post_%s\")))\nvoid %s_post_return(int32_t arg0) {\n",
                  export_name, iname);
    wk_buf_str(&p.src, "uint8_t *_base = (uint8_t *) (uintptr_t) arg0;\n");
    dealloc_mem(&p, fn->result, "_base", 0);
    wk_buf_append(&g->c_fns, p.src.data, p.src.len);
    wk_buf_str(&g->c_fns, "}\n");
    fnctx_free(&p);
  }
  gen_futures_streams(g, "[export]", fn, key);
}

/* ------------------------------------------------------------------ */
/* world traversal (wit-bindgen-core WorldGenerator::generate)         */

static void set_ctx(cg *g, int in_import, const wit_world_item *key, const char *module) {
  g->in_import = in_import;
  g->cur_key = key;
  g->cur_iface = key ? key->id : WIT_NONE;
  g->import_module = module;
}

/* An imported or exported interface: its live types, then its functions. */
static void gen_interface(cg *g, const wit_world_item *it, int is_import) {
  const char *module = world_key_name(g, it);
  set_ctx(g, is_import, it, is_import ? module : NULL);
  idlist l;
  if (idlist_init(g, &l)) { g->failed = 1; return; }
  live_iface(g, &l, it->id);
  define_live_types(g, &l);
  idlist_free(&l);
  const wit_interface *iface = &g->r->interfaces[it->id];
  const char *dir = is_import ? "Imported" : "Exported";
  for (uint32_t i = 0; i < iface->n_functions && !g->failed; i++) {
    if (i == 0) {
      wk_buf_printf(&g->h_fns, "\n// %s Functions from `%s`\n", dir, module);
      wk_buf_printf(&g->c_fns, "\n// %s Functions from `%s`\n", dir, module);
    }
    if (is_import) gen_import(g, it, &iface->functions[i]);
    else gen_export(g, it, &iface->functions[i]);
  }
}

/* remove_types_redefined_by_exports: keep only imported types used by exported interfaces. */
static void trim_for_exports(cg *g) {
  const wit_world *w = &g->r->worlds[g->world];
  idlist live;
  if (idlist_init(g, &live)) { g->failed = 1; return; }
  unsigned char *exported = calloc(g->r->n_interfaces + 1, 1), *used = calloc(g->r->n_interfaces + 1, 1);
  if (!exported || !used) { g->failed = 1; free(exported); free(used); idlist_free(&live); return; }
  for (uint32_t i = 0; i < w->n_exports; i++)
    if (w->exports[i].kind == WIT_ITEM_INTERFACE) {
      exported[w->exports[i].id] = 1;
      live_iface(g, &live, w->exports[i].id);
    }
  for (size_t k = 0; k < live.n; k++) {
    const wit_typedef *d = td(g, live.v[k]);
    if (d->owner_kind == WIT_OWNER_INTERFACE && !exported[d->owner]) used[d->owner] = 1;
  }
  idlist keep;
  if (idlist_init(g, &keep)) { g->failed = 1; free(exported); free(used); idlist_free(&live); return; }
  for (uint32_t i = 0; i < g->r->n_interfaces; i++)
    if (used[i]) live_iface(g, &keep, i);
  for (uint32_t id = 0; id < g->r->n_types; id++) {
    if (keep.seen[id]) continue;
    g->type_names[id] = NULL;
    g->dtor[id] = NULL;
    memset(&g->res[id], 0, sizeof g->res[id]);
  }
  free(exported);
  free(used);
  idlist_free(&live);
  idlist_free(&keep);
}

/* The world's own imported (`is_import`) or exported functions: their live types, then the functions. */
static void world_funcs(cg *g, const wit_world_item *items, uint32_t n, int is_import) {
  set_ctx(g, is_import, NULL, is_import ? "$root" : NULL);
  idlist l;
  if (idlist_init(g, &l)) { g->failed = 1; return; }
  for (uint32_t i = 0; i < n; i++)
    if (items[i].kind == WIT_ITEM_FUNCTION) live_func(g, &l, &items[i].func);
  define_live_types(g, &l);
  idlist_free(&l);
  int first = 1;
  for (uint32_t i = 0; i < n && !g->failed; i++) {
    if (items[i].kind != WIT_ITEM_FUNCTION) continue;
    if (first) {
      const char *what = is_import ? "Imported" : "Exported";
      wk_buf_printf(&g->h_fns, "\n// %s Functions from `%s`\n", what, g->r->worlds[g->world].name);
      wk_buf_printf(&g->c_fns, "\n// %s Functions from `%s`\n", what, g->r->worlds[g->world].name);
      first = 0;
    }
    if (is_import) gen_import(g, NULL, &items[i].func);
    else gen_export(g, NULL, &items[i].func);
  }
}

static void gen_world(cg *g) {
  const wit_world *w = &g->r->worlds[g->world];
  for (uint32_t i = 0; i < w->n_imports && !g->failed; i++)
    if (w->imports[i].kind == WIT_ITEM_INTERFACE) gen_interface(g, &w->imports[i], 1);
  /* world-level types, then functions */
  int any_types = 0, any_funcs = 0;
  for (uint32_t i = 0; i < w->n_imports; i++) {
    any_types |= w->imports[i].kind == WIT_ITEM_TYPE;
    any_funcs |= w->imports[i].kind == WIT_ITEM_FUNCTION;
  }
  if (any_types && !g->failed) {
    set_ctx(g, 1, NULL, "$root");
    idlist l;
    if (idlist_init(g, &l)) { g->failed = 1; return; }
    for (uint32_t i = 0; i < w->n_imports; i++)
      if (w->imports[i].kind == WIT_ITEM_TYPE) live_id(g, &l, w->imports[i].id, 0);
    define_live_types(g, &l);
    idlist_free(&l);
  }
  if (any_funcs && !g->failed) world_funcs(g, w->imports, w->n_imports, 1);
  int any_efuncs = 0;
  for (uint32_t i = 0; i < w->n_exports; i++) any_efuncs |= w->exports[i].kind == WIT_ITEM_FUNCTION;
  if (any_efuncs && !g->failed) world_funcs(g, w->exports, w->n_exports, 0);
  if (!g->failed) trim_for_exports(g);
  for (uint32_t i = 0; i < w->n_exports && !g->failed; i++)
    if (w->exports[i].kind == WIT_ITEM_INTERFACE) gen_interface(g, &w->exports[i], 0);
}

/* ------------------------------------------------------------------ */
/* output assembly                                                     */

/* Re-indent C text by brace depth (2 spaces), outside literals and comments. */
static void reindent(const wk_buf *in, wk_buf *out) {
  int depth = 0;
  size_t i = 0, n = in->len;
  const char *s = (const char *)in->data;
  while (i < n) {
    size_t j = i;
    while (j < n && s[j] != '\n') j++;
    size_t a = i;
    while (a < j && (s[a] == ' ' || s[a] == '\t')) a++;
    size_t z = j;
    while (z > a && (s[z - 1] == ' ' || s[z - 1] == '\t' || s[z - 1] == '\r')) z--;
    int opens = 0, closes_first = 0, closes = 0;
    int in_str = 0, in_chr = 0;
    for (size_t k = a; k < z; k++) {
      char c = s[k];
      if (in_str) { if (c == '\\') k++; else if (c == '"') in_str = 0; continue; }
      if (in_chr) { if (c == '\\') k++; else if (c == '\'') in_chr = 0; continue; }
      if (c == '/' && k + 1 < z && s[k + 1] == '/') break;
      if (c == '"') in_str = 1;
      else if (c == '\'') in_chr = 1;
      else if (c == '{') opens++;
      else if (c == '}') {
        if (opens > 0) opens--;
        else if (k == a || (closes_first == closes && k == a + (size_t)closes)) { closes_first++; closes++; }
        else closes++;
      }
    }
    int d = depth - closes_first;
    if (d < 0) d = 0;
    if (z > a) {
      if (s[a] != '#')
        for (int k = 0; k < d; k++) wk_buf_str(out, "  ");
      wk_buf_append(out, s + a, z - a);
    }
    wk_buf_byte(out, '\n');
    depth += opens - closes;
    if (depth < 0) depth = 0;
    i = j + 1;
  }
}

static void async_helpers(cg *g) {
  const char *s = g->wsnake, *S = g->wshouty;
  wk_buf *h = &g->h_async;
  wk_buf_printf(h,
                "\ntypedef uint32_t %s_subtask_status_t;\ntypedef uint32_t %s_subtask_t;\n"
                "#define %s_SUBTASK_STATE(status) ((%s_subtask_state_t) ((status) & 0xf))\n"
                "#define %s_SUBTASK_HANDLE(status) ((%s_subtask_t) ((status) >> 4))\n\n"
                "typedef enum %s_subtask_state {\n%s_SUBTASK_STARTING,\n%s_SUBTASK_STARTED,\n%s_SUBTASK_RETURNED,\n"
                "%s_SUBTASK_STARTED_CANCELLED,\n%s_SUBTASK_RETURNED_CANCELLED,\n} %s_subtask_state_t;\n\n"
                "%s_subtask_status_t %s_subtask_cancel(%s_subtask_t subtask);\nvoid %s_subtask_drop(%s_subtask_t subtask);\n\n"
                "typedef uint32_t %s_callback_code_t;\n#define %s_CALLBACK_CODE_EXIT 0\n#define %s_CALLBACK_CODE_YIELD 1\n"
                "#define %s_CALLBACK_CODE_WAIT(set) (2 | (set << 4))\n\n",
                s, s, S, s, S, s, s, S, S, S, S, S, s, s, s, s, s, s, s, S, S, S);
  wk_buf_printf(h,
                "typedef enum %s_event_code {\n%s_EVENT_NONE,\n%s_EVENT_SUBTASK,\n%s_EVENT_STREAM_READ,\n"
                "%s_EVENT_STREAM_WRITE,\n%s_EVENT_FUTURE_READ,\n%s_EVENT_FUTURE_WRITE,\n%s_EVENT_CANCEL,\n} %s_event_code_t;\n\n"
                "typedef struct %s_event {\n%s_event_code_t event;\nuint32_t waitable;\nuint32_t code;\n} %s_event_t;\n\n"
                "typedef uint32_t %s_waitable_set_t;\n%s_waitable_set_t %s_waitable_set_new(void);\n"
                "void %s_waitable_join(uint32_t waitable, %s_waitable_set_t set);\n"
                "void %s_waitable_set_drop(%s_waitable_set_t set);\n"
                "void %s_waitable_set_wait(%s_waitable_set_t set, %s_event_t *event);\n"
                "void %s_waitable_set_poll(%s_waitable_set_t set, %s_event_t *event);\n\n"
                "void %s_task_cancel(void);\n\n",
                s, S, S, S, S, S, S, S, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s);
  wk_buf_printf(h,
                "typedef uint32_t %s_waitable_status_t;\n"
                "#define %s_WAITABLE_STATE(status) ((%s_waitable_state_t) ((status) & 0xf))\n"
                "#define %s_WAITABLE_COUNT(status) ((uint32_t) ((status) >> 4))\n"
                "#define %s_WAITABLE_STATUS_BLOCKED ((%s_waitable_status_t) -1)\n\n"
                "typedef enum %s_waitable_state {\n%s_WAITABLE_COMPLETED,\n%s_WAITABLE_DROPPED,\n%s_WAITABLE_CANCELLED,\n"
                "} %s_waitable_state_t;\n\n"
                "void %s_backpressure_inc(void);\nvoid %s_backpressure_dec(void);\nvoid* %s_context_get_0(void);\n"
                "void %s_context_set_0(void* value);\nvoid %s_thread_yield(void);\n",
                s, S, s, S, S, s, s, S, S, S, s, s, s, s, s, s);
  wk_buf *c = &g->c_async;
#define IMP(name, decl) wk_buf_printf(c, "\n__attribute__((__import_module__(\"$root\"), __import_name__(\"" name "\")))\n" decl "\n")
  IMP("[subtask-cancel]", "extern uint32_t __subtask_cancel(uint32_t handle);");
  wk_buf_printf(c, "\n%s_subtask_status_t %s_subtask_cancel(%s_subtask_t subtask) {\nreturn __subtask_cancel(subtask);\n}\n", s, s, s);
  IMP("[subtask-drop]", "extern void __subtask_drop(uint32_t handle);");
  wk_buf_printf(c, "\nvoid %s_subtask_drop(%s_subtask_t subtask) {\n__subtask_drop(subtask);\n}\n", s, s);
  IMP("[waitable-set-new]", "extern uint32_t __waitable_set_new(void);");
  wk_buf_printf(c, "\n%s_waitable_set_t %s_waitable_set_new(void) {\nreturn __waitable_set_new();\n}\n", s, s);
  IMP("[waitable-join]", "extern void __waitable_join(uint32_t, uint32_t);");
  wk_buf_printf(c, "\nvoid %s_waitable_join(uint32_t waitable, %s_waitable_set_t set) {\n__waitable_join(waitable, set);\n}\n", s, s);
  IMP("[waitable-set-drop]", "extern void __waitable_set_drop(uint32_t);");
  wk_buf_printf(c, "\nvoid %s_waitable_set_drop(%s_waitable_set_t set) {\n__waitable_set_drop(set);\n}\n", s, s);
  IMP("[waitable-set-wait]", "extern uint32_t __waitable_set_wait(uint32_t, uint32_t*);");
  IMP("[waitable-set-poll]", "extern uint32_t __waitable_set_poll(uint32_t, uint32_t*);");
  wk_buf_printf(c,
                "\nvoid %s_waitable_set_wait(%s_waitable_set_t set, %s_event_t *event) {\n"
                "event->event = (%s_event_code_t) __waitable_set_wait(set, &event->waitable);\n}\n"
                "\nvoid %s_waitable_set_poll(%s_waitable_set_t set, %s_event_t *event) {\n"
                "event->event = (%s_event_code_t) __waitable_set_poll(set, &event->waitable);\n}\n",
                s, s, s, s, s, s, s, s);
  wk_buf_str(c, "\n__attribute__((__import_module__(\"[export]$root\"), __import_name__(\"[task-cancel]\")))\nextern void __task_cancel(void);\n");
  wk_buf_printf(c, "\nvoid %s_task_cancel(void) {\n__task_cancel();\n}\n", s);
  IMP("[backpressure-inc]", "extern void __backpressure_inc(void);");
  wk_buf_printf(c, "\nvoid %s_backpressure_inc(void) {\n__backpressure_inc();\n}\n", s);
  IMP("[backpressure-dec]", "extern void __backpressure_dec(void);");
  wk_buf_printf(c, "\nvoid %s_backpressure_dec(void) {\n__backpressure_dec();\n}\n", s);
  IMP("[context-get-0]", "extern void* __context_get_0(void);");
  wk_buf_printf(c, "\nvoid* %s_context_get_0(void) {\nreturn __context_get_0();\n}\n", s);
  IMP("[context-set-0]", "extern void __context_set_0(void*);");
  wk_buf_printf(c, "\nvoid %s_context_set_0(void *value) {\n__context_set_0(value);\n}\n", s);
  IMP("[thread-yield]", "extern uint32_t __thread_yield(void);");
  wk_buf_printf(c, "\nvoid %s_thread_yield(void) {\n__thread_yield();\n}\n", s);
#undef IMP
}

static int any_futures(cg *g) {
  for (uint32_t i = 0; i < g->r->n_types; i++)
    if (g->futures_done[i]) return 1;
  return 0;
}

static void finish(cg *g, wk_buf *hout, wk_buf *cout) {
  const char *s = g->wsnake;
  wk_buf_str(&g->c_adapters, "\n// Ensure that the *_component_type.o object is linked in\n");
  wk_buf_printf(&g->c_adapters,
                "\nextern void __component_type_object_force_link_%s(void);\n__attribute__((used))\n"
                "void __component_type_object_force_link_%s_public_use_in_this_compilation_unit(void) {\n"
                "__component_type_object_force_link_%s();\n}\n",
                s, s, s);
  /* canonical ABI intrinsics */
  wk_buf_str(&g->c_fns, "\n// Canonical ABI intrinsics\n\n"
                        "__attribute__((__weak__, __export_name__(\"cabi_realloc\")))\n"
                        "void *cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size) {\n"
                        "(void) old_size;\nif (new_size == 0) return (void*) align;\nvoid *ret = realloc(ptr, new_size);\n"
                        "if (!ret) abort();\nreturn ret;\n}\n");
  int utf16 = g->string_encoding == ENC_UTF16;
  if (g->needs_string) {
    const char *cs = utf16 ? "char16_t" : "char", *ct = char_type(g);
    const char *len = utf16 ? afmt(g, "%s_string_len(s)", s) : "strlen(s)";
    int size = utf16 ? 2 : 1;
    if (utf16) {
      wk_buf_printf(&g->h_helpers, "\n// Returns the length of the UTF-16 string `s` in code units\nsize_t %s_string_len(const char16_t* s);\n", s);
      wk_buf_printf(&g->c_helpers, "\nsize_t %s_string_len(const char16_t* s) {\nchar16_t* c = (char16_t*)s;\nfor (; *c; ++c);\nreturn c-s;\n}\n", s);
    }
    wk_buf_printf(&g->h_helpers,
                  "\n// Sets the string `ret` to reference the input string `s` without copying it\n"
                  "void %s_string_set(%s_string_t *ret, const %s *s);\n\n"
                  "// Creates a copy of the input nul-terminated string `s` and\n"
                  "// stores it into the component model string `ret`.\n"
                  "void %s_string_dup(%s_string_t *ret, const %s *s);\n\n"
                  "// Creates a copy of the input string `s` with length `len` and\n"
                  "// stores it into the component model string `ret`.\n"
                  "// The length is specified in code units (bytes for UTF-8, 16-bit values for UTF-16).\n"
                  "void %s_string_dup_n(%s_string_t *ret, const %s *s, size_t len);\n\n"
                  "// Deallocates the string pointed to by `ret`, deallocating\n"
                  "// the memory behind the string.\n"
                  "void %s_string_free(%s_string_t *ret);\n",
                  s, s, cs, s, s, cs, s, s, cs, s, s);
    wk_buf_printf(&g->c_helpers,
                  "\nvoid %s_string_set(%s_string_t *ret, const %s *s) {\nret->ptr = (%s*) s;\nret->len = %s;\n}\n"
                  "\nvoid %s_string_dup(%s_string_t *ret, const %s *s) {\nret->len = %s;\n"
                  "ret->ptr = (%s*) cabi_realloc(NULL, 0, %d, ret->len * %d);\nmemcpy(ret->ptr, s, ret->len * %d);\n}\n"
                  "\nvoid %s_string_dup_n(%s_string_t *ret, const %s *s, size_t len) {\nret->len = len;\n"
                  "ret->ptr = (%s*) cabi_realloc(NULL, 0, %d, ret->len * %d);\nmemcpy(ret->ptr, s, ret->len * %d);\n}\n"
                  "\nvoid %s_string_free(%s_string_t *ret) {\nif (ret->len > 0) {\nfree(ret->ptr);\n}\n"
                  "ret->ptr = NULL;\nret->len = 0;\n}\n",
                  s, s, cs, ct, len, s, s, cs, len, ct, size, size, size, s, s, cs, ct, size, size, size, s, s);
  }
  if (g->need_f32_i32) wk_buf_str(&g->c_defs, "\nstatic inline int32_t __wk_f32_i32(float x) {\nunion { float a; int32_t b; } u;\nu.a = x;\nreturn u.b;\n}\n");
  if (g->need_i32_f32) wk_buf_str(&g->c_defs, "\nstatic inline float __wk_i32_f32(int32_t x) {\nunion { int32_t a; float b; } u;\nu.a = x;\nreturn u.b;\n}\n");
  if (g->need_f64_i64) wk_buf_str(&g->c_defs, "\nstatic inline int64_t __wk_f64_i64(double x) {\nunion { double a; int64_t b; } u;\nu.a = x;\nreturn u.b;\n}\n");
  if (g->need_i64_f64) wk_buf_str(&g->c_defs, "\nstatic inline double __wk_i64_f64(int64_t x) {\nunion { int64_t a; double b; } u;\nu.a = x;\nreturn u.b;\n}\n");
  if (g->needs_async || any_futures(g)) async_helpers(g);

  /* header */
  wk_buf hb = {0};
  wk_buf_str(&hb, "#include <stdint.h>\n#include <stdbool.h>\n#include <stddef.h>\n");
  if (g->needs_string && utf16) wk_buf_str(&hb, "#include <uchar.h>\n");
  if (g->needs_string)
    wk_buf_printf(&hb, "\ntypedef struct %s_string_t {\n%s *ptr;\nsize_t len;\n} %s_string_t;\n", s, char_type(g), s);
  if (g->h_async.len) {
    wk_buf_str(&hb, "\n// Async Helper Functions\n");
    wk_buf_append(&hb, g->h_async.data, g->h_async.len);
    wk_buf_str(&hb, "\n");
  }
  wk_buf_append(&hb, g->h_defs.data, g->h_defs.len);
  wk_buf_append(&hb, g->h_fns.data, g->h_fns.len);
  if (g->h_helpers.len) {
    wk_buf_str(&hb, "\n// Helper Functions\n");
    wk_buf_append(&hb, g->h_helpers.data, g->h_helpers.len);
    wk_buf_str(&hb, "\n");
  }
  wk_buf_printf(hout, "// Generated by `wit-gen` %s. DO NOT EDIT!\n#ifndef __BINDINGS_%s_H\n#define __BINDINGS_%s_H\n"
                      "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n", WK_VERSION, g->wshouty, g->wshouty);
  reindent(&hb, hout);
  wk_buf_str(hout, "\n#ifdef __cplusplus\n}\n#endif\n#endif\n");
  wk_buf_free(&hb);

  /* C file */
  wk_buf cb = {0};
  wk_buf_printf(&cb, "// Generated by `wit-gen` %s. DO NOT EDIT!\n#include \"%s.h\"\n#include <stdlib.h>\n", WK_VERSION, s);
  if (g->needs_string) wk_buf_str(&cb, "#include <string.h>\n");
  wk_buf_append(&cb, g->c_defs.data, g->c_defs.len);
  wk_buf_append(&cb, g->c_fns.data, g->c_fns.len);
  if (g->ret_size)
    wk_buf_printf(&cb, "\n__attribute__((__aligned__(%u)))\nstatic uint8_t RET_AREA[%u];\n", g->ret_align, g->ret_size);
  if (g->c_helpers.len) {
    wk_buf_str(&cb, "\n// Helper Functions\n");
    wk_buf_append(&cb, g->c_helpers.data, g->c_helpers.len);
  }
  if (g->c_async.len) {
    wk_buf_str(&cb, "\n// Async Helper Functions\n");
    wk_buf_append(&cb, g->c_async.data, g->c_async.len);
    wk_buf_str(&cb, "\n");
  }
  wk_buf_str(&cb, "\n// Component Adapters\n");
  wk_buf_append(&cb, g->c_adapters.data, g->c_adapters.len);
  reindent(&cb, cout);
  wk_buf_free(&cb);
}

static void cg_free(cg *g) {
  wk_buf *bufs[] = {&g->h_defs, &g->h_fns, &g->h_helpers, &g->h_async, &g->c_defs, &g->c_fns, &g->c_helpers, &g->c_adapters, &g->c_async};
  for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++) wk_buf_free(bufs[i]);
  free(g->type_names);
  free(g->dtor);
  free(g->res);
  free(g->futures_done);
  wit_cabi_map_free(&g->cabi);
  free(g->async_f);
  strset_free(&g->prim_names);
  wk_arena_free(&g->arena);
}

/* ------------------------------------------------------------------ */
/* entry point                                                         */

/* --async lists into g->async_f (tokens live in g's arena). */
static int parse_async(cg *g, const char *const *lists, size_t n) {
  for (size_t l = 0; l < n; l++) {
    char *copy = afmt(g, "%s", lists[l]);
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
      void *nv = wk_reallocarray(g->async_f, g->n_async + 1, sizeof *g->async_f);
      if (!nv) return -1;
      g->async_f = nv;
      int en = 1;
      if (*tok == '-') { en = 0; tok++; }
      int kind = 1;
      if (!strcmp(tok, "all")) kind = 0;
      else if (!strcmp(tok, "none")) { kind = 0; en = 0; }
      else if (!strncmp(tok, "import:", 7)) { kind = 2; tok += 7; }
      else if (!strncmp(tok, "export:", 7)) { kind = 3; tok += 7; }
      g->async_f[g->n_async].enabled = en;
      g->async_f[g->n_async].kind = kind;
      g->async_f[g->n_async].name = tok;
      g->n_async++;
    }
  }
  return 0;
}

int wk_bindgen_c(const wit_resolve *r, wit_id world, const wk_bindgen_c_opts *opts, wk_bindgen_c_out *out,
                 wk_error *err) {
  memset(out, 0, sizeof *out);
  wk_error_clear(err);
  if (!r || world >= r->n_worlds) return wk_error_set(err, WK_ERR_USAGE, "no such world");
  if (opts->string_encoding == ENC_COMPACT)
    return wk_error_set(err, WK_ERR_UNSUPPORTED, "the C generator does not support compact-utf16 (as wit-bindgen)");
  cg g;
  memset(&g, 0, sizeof g);
  g.r = r;
  g.world = world;
  g.no_sig_flattening = opts->no_sig_flattening;
  g.autodrop = opts->autodrop_borrows;
  g.string_encoding = opts->string_encoding;
  g.ren_from = opts->rename_from;
  g.ren_to = opts->rename_to;
  g.n_ren = opts->n_rename;
  g.type_section_suffix = opts->type_section_suffix;
  int rc = WK_ERR_NOMEM;
  const char *wname = opts->world_name ? opts->world_name : r->worlds[world].name;
  g.wsnake = snake(&g, wname);
  g.wshouty = shouty(&g, wname);
  size_t nt = r->n_types + 1;
  g.type_names = calloc(nt, sizeof *g.type_names);
  g.dtor = calloc(nt, sizeof *g.dtor);
  g.res = calloc(nt, sizeof *g.res);
  g.futures_done = calloc(nt, 1);
  if (!g.type_names || !g.dtor || !g.res || !g.futures_done || wit_cabi_map_init(&g.cabi, r, err) ||
      parse_async(&g, opts->async, opts->n_async)) {
    wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    goto out;
  }
  for (size_t i = 0; i < g.n_ren; i++) {
    const wit_world *w = &r->worlds[g.world];
    int found = 0;
    for (uint32_t k = 0; k < w->n_imports + w->n_exports && !found; k++) {
      const wit_world_item *it = k < w->n_imports ? &w->imports[k] : &w->exports[k - w->n_imports];
      if (it->kind == WIT_ITEM_INTERFACE && !strcmp(world_key_name(&g, it), g.ren_from[i])) found = 1;
    }
    if (!found) wk_buf_printf(&out->warnings, "rename of `%s` did not match any interfaces\n", g.ren_from[i]);
  }
  gen_world(&g);
  wk_buf ct = {0};
  if (!g.failed) finish(&g, &out->header, &out->source);
  if (!g.failed) {
    wk_error e;
    if (wit_encode_world_metadata(r, g.world, g.string_encoding, &ct, &e)) { g.failed = 1; g.err = e; }
  }
  if (g.failed) {
    if (!g.err.msg[0]) wk_error_set(&g.err, WK_ERR_NOMEM, "out of memory");
    *err = g.err;
    rc = g.err.code ? g.err.code : WK_ERR_NOMEM;
  } else {
    char *section = afmt(&g, "component-type:%s%s", wname, g.type_section_suffix ? g.type_section_suffix : "");
    char *sym = afmt(&g, "__component_type_object_force_link_%s", g.wsnake);
    wk_bindgen_ctype_object(section, ct.data, ct.len, sym, &out->object);
    out->stem = strdup(g.wsnake);
    if (!out->stem || out->header.oom || out->source.oom || out->object.oom || g.failed)
      wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    else rc = WK_OK;
  }
  wk_buf_free(&ct);
out:
  cg_free(&g);
  if (rc != WK_OK) {
    wk_buf w = out->warnings;
    out->warnings = (wk_buf){0};
    wk_bindgen_c_free(out);
    out->warnings = w;
  }
  return rc;
}

void wk_bindgen_c_free(wk_bindgen_c_out *out) {
  free(out->stem);
  wk_buf_free(&out->header);
  wk_buf_free(&out->source);
  wk_buf_free(&out->object);
  wk_buf_free(&out->warnings);
  memset(out, 0, sizeof *out);
}
