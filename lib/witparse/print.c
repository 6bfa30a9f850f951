/* Resolve -> WIT text (WIT.md grammar). The output is laid out so that parsing it
 * again allocates packages, interfaces and types in the same order:
 *  - interfaces then worlds of each package, in arena (creation) order, which
 *    is already a dependency order;
 *  - in an interface: `use`s, then type definitions in arena order, with
 *    freestanding functions placed so that resource methods keep their
 *    position in the function list;
 *  - in a world: `use`s, then type definitions, imports and exports merged by
 *    their original source position (wit_world_item.src_order), each class
 *    kept in its resolved order.
 * Worlds are printed after `include` expansion and elaboration (every
 * implicit import is written out). */
#include <stddef.h>
#include <stdlib.h>

#include "witparse/internal.h"

typedef struct W {
  const wit_resolve *r;
  wk_buf *b;
  wit_id pkg; /* package being printed */
  int ind;
  int dep_uses; /* print the dependency placeholders at the top of the next item */
} W;

static const char *const KW[] = {"use", "type", "func", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64",
                                 "f32", "f64", "char", "resource", "own", "borrow", "record", "flags", "variant",
                                 "enum", "bool", "string", "option", "result", "future", "stream", "error-context",
                                 "list", "map", "_", "as", "from", "static", "interface", "tuple", "world", "import",
                                 "export", "package", "constructor", "include", "with", "async"};

static void id(W *w, const char *s) {
  for (size_t i = 0; i < sizeof KW / sizeof KW[0]; i++)
    if (!strcmp(KW[i], s)) { wk_buf_byte(w->b, '%'); break; }
  wk_buf_str(w->b, s);
}
static void nl(W *w) {
  wk_buf_byte(w->b, '\n');
}
static void pad(W *w) {
  for (int i = 0; i < w->ind; i++) wk_buf_str(w->b, "  ");
}

/* Doc comments as `///` lines. The parser strips the leading slashes and then
 * the common leading whitespace of the lines, so when no line starts with
 * whitespace every line gets one space (which parsing removes again); that also
 * keeps a line that starts with '/' intact. */
/* Can `d` be written as one block doc comment (slash-star-star d star-slash) that parses back to `d`?
 * The parser keeps the inside of a block verbatim except: the end of the
 * block loses trailing whitespace, the first line loses the common leading
 * whitespace, and each line a trailing \r. */
static int block_docs_ok(const char *d) {
  size_t n = strlen(d);
  if (!n || strstr(d, "*/") || strchr(" \t\n\r\f\v*/", d[0])) return 0;
  char last = d[n - 1];
  if (last == ' ' || last == '\t' || last == '\n' || last == '\r' || last == '\f' || last == '\v') return 0;
  return !strchr(d, '\r');
}

/* Does a line other than the last end in whitespace? `///` lines lose it. */
static int inner_trailing_ws(const char *d) {
  for (const char *p = strchr(d, '\n'); p; p = strchr(p + 1, '\n')) {
    char c = p > d ? p[-1] : 0;
    if (c == ' ' || c == '\t' || c == '\f' || c == '\v') return 1;
  }
  return 0;
}

static void docs(W *w, const char *d) {
  if (!d) return;
  if (inner_trailing_ws(d) && block_docs_ok(d)) {
    /* a block doc comment keeps the trailing spaces of its inner lines */
    pad(w);
    wk_buf_str(w->b, "/**");
    wk_buf_str(w->b, d);
    wk_buf_str(w->b, "*/\n");
    return;
  }
  size_t minws = (size_t)-1;
  for (const char *p = d;;) {
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p), k = 0;
    while (k < n && (p[k] == ' ' || p[k] == '\t' || p[k] == '\r' || p[k] == '\f')) k++;
    if (n && k < minws) minws = k;
    if (!e) break;
    p = e + 1;
  }
  const char *prefix = minws == 0 ? "/// " : "///";
  for (const char *p = d;;) {
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    pad(w);
    wk_buf_str(w->b, n ? prefix : "///");
    wk_buf_append(w->b, p, n);
    nl(w);
    if (!e) break;
    p = e + 1;
  }
}

static void stability(W *w, const wit_stability *s) {
  if (s->kind == WIT_STAB_STABLE) {
    pad(w);
    wk_buf_printf(w->b, "@since(version = %s)\n", s->since);
  } else if (s->kind == WIT_STAB_UNSTABLE) {
    pad(w);
    wk_buf_str(w->b, "@unstable(feature = ");
    id(w, s->feature);
    wk_buf_str(w->b, ")\n");
  }
  if (s->kind != WIT_STAB_UNKNOWN && s->deprecated) {
    pad(w);
    wk_buf_printf(w->b, "@deprecated(version = %s)\n", s->deprecated);
  }
}

static void external_id(W *w, const char *e) {
  if (!e) return;
  pad(w);
  wk_buf_str(w->b, "@external-id(\"");
  for (const char *p = e; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == '"' || c == '\\') { wk_buf_byte(w->b, '\\'); wk_buf_byte(w->b, c); }
    else if (c < 0x20 || c == 0x7f) wk_buf_printf(w->b, "\\u{%x}", c);
    else wk_buf_byte(w->b, c);
  }
  wk_buf_str(w->b, "\")\n");
}

/* Path to interface `i` from the package being printed. */
static void iface_path(W *w, wit_id i) {
  const wit_interface *in = &w->r->interfaces[i];
  if (in->package == w->pkg) {
    id(w, in->name ? in->name : "?");
    return;
  }
  const wit_package_name *n = &w->r->packages[in->package].name;
  id(w, n->namespace_);
  wk_buf_byte(w->b, ':');
  id(w, n->name);
  wk_buf_byte(w->b, '/');
  id(w, in->name ? in->name : "?");
  if (n->version) wk_buf_printf(w->b, "@%s", n->version);
}

static void pkgname(W *w, const wit_package_name *n) {
  id(w, n->namespace_);
  wk_buf_byte(w->b, ':');
  id(w, n->name);
  if (n->version) wk_buf_printf(w->b, "@%s", n->version);
}

static void type_expr(W *w, wit_type t, int depth);

static void opt_args(W *w, const char *kw, wit_type t, int depth) {
  wk_buf_str(w->b, kw);
  if (t.prim != WIT_PRIM_NONE) {
    wk_buf_byte(w->b, '<');
    type_expr(w, t, depth + 1);
    wk_buf_byte(w->b, '>');
  }
}

/* A type definition's right-hand side as an anonymous type expression. */
static void kind_expr(W *w, const wit_typedef *t, int depth) {
  switch (t->kind) {
  case WIT_TD_TYPE: type_expr(w, t->ty, depth + 1); break;
  case WIT_TD_LIST: wk_buf_str(w->b, "list<"); type_expr(w, t->ty, depth + 1); wk_buf_byte(w->b, '>'); break;
  case WIT_TD_FIXED_LIST:
    wk_buf_str(w->b, "list<");
    type_expr(w, t->ty, depth + 1);
    wk_buf_printf(w->b, ", %u>", t->size);
    break;
  case WIT_TD_MAP:
    wk_buf_str(w->b, "map<");
    type_expr(w, t->ty, depth + 1);
    wk_buf_str(w->b, ", ");
    type_expr(w, t->ty2, depth + 1);
    wk_buf_byte(w->b, '>');
    break;
  case WIT_TD_OPTION: wk_buf_str(w->b, "option<"); type_expr(w, t->ty, depth + 1); wk_buf_byte(w->b, '>'); break;
  case WIT_TD_RESULT:
    wk_buf_str(w->b, "result");
    if (t->ty.prim != WIT_PRIM_NONE || t->ty2.prim != WIT_PRIM_NONE) {
      wk_buf_byte(w->b, '<');
      if (t->ty.prim == WIT_PRIM_NONE) wk_buf_str(w->b, "_");
      else type_expr(w, t->ty, depth + 1);
      if (t->ty2.prim != WIT_PRIM_NONE) {
        wk_buf_str(w->b, ", ");
        type_expr(w, t->ty2, depth + 1);
      }
      wk_buf_byte(w->b, '>');
    }
    break;
  case WIT_TD_TUPLE:
    wk_buf_str(w->b, "tuple<");
    for (uint32_t i = 0; i < t->n_fields; i++) {
      if (i) wk_buf_str(w->b, ", ");
      type_expr(w, t->fields[i].ty, depth + 1);
    }
    wk_buf_byte(w->b, '>');
    break;
  case WIT_TD_FUTURE: opt_args(w, "future", t->ty, depth); break;
  case WIT_TD_STREAM: opt_args(w, "stream", t->ty, depth); break;
  case WIT_TD_OWN:
  case WIT_TD_BORROW: {
    wk_buf_str(w->b, t->kind == WIT_TD_OWN ? "own<" : "borrow<");
    const wit_typedef *rs = &w->r->types[t->resource];
    id(w, rs->name ? rs->name : "?");
    wk_buf_byte(w->b, '>');
    break;
  }
  default: wk_buf_str(w->b, "/* unsupported */ u8"); break;
  }
}

static void type_expr(W *w, wit_type t, int depth) {
  if (depth > 200) { wk_buf_str(w->b, "u8"); return; }
  if (t.prim != WIT_PRIM_ID) {
    wk_buf_str(w->b, wit_prim_name((wit_prim)t.prim) ? wit_prim_name((wit_prim)t.prim) : "u8");
    return;
  }
  const wit_typedef *td = &w->r->types[t.id];
  if (td->name) { id(w, td->name); return; }
  if (td->kind == WIT_TD_OWN) {
    /* the resolver turns every plain resource reference into an anonymous own<R> */
    const wit_typedef *rs = &w->r->types[td->resource];
    id(w, rs->name ? rs->name : "?");
    return;
  }
  kind_expr(w, td, depth);
}

static void params(W *w, const wit_function *f, int skip_self) {
  wk_buf_byte(w->b, '(');
  int first = 1;
  for (uint32_t i = skip_self ? 1 : 0; i < f->n_params; i++) {
    if (!first) wk_buf_str(w->b, ", ");
    first = 0;
    id(w, f->params[i].name);
    wk_buf_str(w->b, ": ");
    type_expr(w, f->params[i].ty, 0);
  }
  wk_buf_byte(w->b, ')');
}

static void func_sig(W *w, const wit_function *f, int skip_self) {
  int is_async = f->kind == WIT_FN_ASYNC_FREESTANDING || f->kind == WIT_FN_ASYNC_METHOD || f->kind == WIT_FN_ASYNC_STATIC;
  if (f->kind == WIT_FN_STATIC || f->kind == WIT_FN_ASYNC_STATIC) wk_buf_str(w->b, "static ");
  if (is_async) wk_buf_str(w->b, "async ");
  wk_buf_str(w->b, "func");
  params(w, f, skip_self);
  if (f->result.prim != WIT_PRIM_NONE) {
    wk_buf_str(w->b, " -> ");
    type_expr(w, f->result, 0);
  }
}

static void item_attrs(W *w, const char *d, const wit_stability *s, const char *ext) {
  docs(w, d);
  stability(w, s);
  external_id(w, ext);
}

static void resource_func(W *w, const wit_function *f) {
  item_attrs(w, f->docs, &f->stability, f->external_id);
  pad(w);
  if (f->kind == WIT_FN_CONSTRUCTOR) {
    wk_buf_str(w->b, "constructor");
    params(w, f, 0);
    /* an explicit `-> result<R, E>`; the implicit result is (an own handle of) R itself */
    if (f->result.prim == WIT_PRIM_ID && w->r->types[f->result.id].kind == WIT_TD_RESULT) {
      wk_buf_str(w->b, " -> ");
      type_expr(w, f->result, 0);
    }
  } else {
    const char *dot = strchr(f->name, '.');
    id(w, dot ? dot + 1 : f->name);
    wk_buf_str(w->b, ": ");
    func_sig(w, f, f->kind == WIT_FN_METHOD || f->kind == WIT_FN_ASYNC_METHOD);
  }
  wk_buf_str(w->b, ";\n");
}

/* A named type definition owned by the current interface/world. `funcs` are
 * the functions of the scope (resource functions are picked by resource id). */
static void typedef_decl(W *w, wit_id tid, const wit_function *const *funcs, uint32_t nfuncs) {
  const wit_typedef *t = &w->r->types[tid];
  item_attrs(w, t->docs, &t->stability, t->external_id);
  pad(w);
  switch (t->kind) {
  case WIT_TD_RECORD:
  case WIT_TD_FLAGS:
  case WIT_TD_VARIANT:
  case WIT_TD_ENUM: {
    const char *kw = t->kind == WIT_TD_RECORD ? "record" : t->kind == WIT_TD_FLAGS ? "flags" : t->kind == WIT_TD_VARIANT ? "variant" : "enum";
    wk_buf_printf(w->b, "%s ", kw);
    id(w, t->name);
    if (!t->n_fields) { wk_buf_str(w->b, " {}\n"); return; }
    wk_buf_str(w->b, " {\n");
    w->ind++;
    for (uint32_t i = 0; i < t->n_fields; i++) {
      docs(w, t->fields[i].docs);
      pad(w);
      id(w, t->fields[i].name);
      if (t->kind == WIT_TD_RECORD) {
        wk_buf_str(w->b, ": ");
        type_expr(w, t->fields[i].ty, 0);
      } else if (t->kind == WIT_TD_VARIANT && t->fields[i].ty.prim != WIT_PRIM_NONE) {
        wk_buf_byte(w->b, '(');
        type_expr(w, t->fields[i].ty, 0);
        wk_buf_byte(w->b, ')');
      }
      wk_buf_str(w->b, ",\n");
    }
    w->ind--;
    pad(w);
    wk_buf_str(w->b, "}\n");
    return;
  }
  case WIT_TD_RESOURCE: {
    wk_buf_str(w->b, "resource ");
    id(w, t->name);
    uint32_t n = 0;
    for (uint32_t i = 0; i < nfuncs; i++)
      if (funcs[i]->kind != WIT_FN_FREESTANDING && funcs[i]->kind != WIT_FN_ASYNC_FREESTANDING && funcs[i]->resource == tid) n++;
    if (!n) { wk_buf_str(w->b, ";\n"); return; }
    wk_buf_str(w->b, " {\n");
    w->ind++;
    for (uint32_t i = 0; i < nfuncs; i++)
      if (funcs[i]->kind != WIT_FN_FREESTANDING && funcs[i]->kind != WIT_FN_ASYNC_FREESTANDING && funcs[i]->resource == tid)
        resource_func(w, funcs[i]);
    w->ind--;
    pad(w);
    wk_buf_str(w->b, "}\n");
    return;
  }
  default:
    wk_buf_str(w->b, "type ");
    id(w, t->name);
    wk_buf_str(w->b, " = ");
    kind_expr(w, t, 0);
    wk_buf_str(w->b, ";\n");
  }
}

/* `use` of a type defined elsewhere: true if `tid` is an alias to another owner's type */
static int is_use_alias(const wit_resolve *r, wit_id tid) {
  const wit_typedef *t = &r->types[tid];
  if (t->kind != WIT_TD_TYPE || t->ty.prim != WIT_PRIM_ID) return 0;
  const wit_typedef *o = &r->types[t->ty.id];
  return o->owner_kind == WIT_OWNER_INTERFACE && !(o->owner_kind == t->owner_kind && o->owner == t->owner);
}

static void use_decl(W *w, wit_id tid) {
  const wit_typedef *t = &w->r->types[tid];
  const wit_typedef *o = &w->r->types[t->ty.id];
  stability(w, &t->stability);
  external_id(w, t->external_id);
  pad(w);
  wk_buf_str(w->b, "use ");
  iface_path(w, o->owner);
  wk_buf_str(w->b, ".{");
  id(w, o->name ? o->name : "?");
  if (o->name && strcmp(o->name, t->name)) {
    wk_buf_str(w->b, " as ");
    id(w, t->name);
  }
  wk_buf_str(w->b, "};\n");
}

/* Does package `p` refer to package `d` through anything that is printed? */
static int pkg_refers(const wit_resolve *r, wit_id p, wit_id d) {
  const wit_package *pk = &r->packages[p];
  for (uint32_t i = 0; i < pk->n_interfaces; i++) {
    const wit_interface *in = &r->interfaces[pk->interfaces[i].id];
    for (uint32_t k = 0; k < in->n_types; k++)
      if (is_use_alias(r, in->types[k].id)) {
        const wit_typedef *o = &r->types[r->types[in->types[k].id].ty.id];
        if (r->interfaces[o->owner].package == d) return 1;
      }
  }
  for (uint32_t i = 0; i < pk->n_worlds; i++) {
    const wit_world *w = &r->worlds[pk->worlds[i].id];
    for (uint32_t k = 0; k < w->n_includes; k++)
      if (r->worlds[w->includes[k].world].package == d) return 1;
    for (int ex = 0; ex < 2; ex++)
      for (uint32_t k = 0; k < (ex ? w->n_exports : w->n_imports); k++) {
        const wit_world_item *it = ex ? &w->exports[k] : &w->imports[k];
        if (it->origin != WIT_ORIGIN_SOURCE) continue;
        if (it->kind == WIT_ITEM_INTERFACE && r->interfaces[it->id].package == d) return 1;
        if (it->kind == WIT_ITEM_TYPE && is_use_alias(r, it->id)) {
          const wit_typedef *o = &r->types[r->types[it->id].ty.id];
          if (r->interfaces[o->owner].package == d) return 1;
        }
      }
  }
  return 0;
}

/* The package ordering of wit-parser follows each package's references to other
 * packages. When a reference was dropped by a feature gate it is not printed,
 * so keep the dependency with a gated, empty `use` of the package. */
static void dep_placeholders(W *w, int in_world) {
  if (!w->dep_uses) return;
  w->dep_uses = 0;
  const wit_package *p = &w->r->packages[w->pkg];
  for (uint32_t i = 0; i < p->n_deps; i++) {
    const wit_package *d = &w->r->packages[p->deps[i]];
    W tmp = *w;
    tmp.pkg = WIT_NONE;
    pad(w);
    if (d->n_interfaces) {
      wk_buf_str(w->b, "@unstable(feature = wit-gen-dependency) use ");
      iface_path(&tmp, d->interfaces[0].id);
      wk_buf_str(w->b, ".{};\n");
    } else if (in_world && d->n_worlds) {
      wk_buf_str(w->b, "@unstable(feature = wit-gen-dependency) include ");
      pkgname(&tmp, &(wit_package_name){d->name.namespace_, d->name.name, NULL});
      wk_buf_byte(w->b, '/');
      id(w, d->worlds[0].name);
      if (d->name.version) wk_buf_printf(w->b, "@%s", d->name.version);
      wk_buf_str(w->b, ";\n");
    } else {
      /* nothing nameable is left in that package: a gated reference is never looked up */
      wk_buf_str(w->b, "@unstable(feature = wit-gen-dependency) use ");
      pkgname(&tmp, &(wit_package_name){d->name.namespace_, d->name.name, NULL});
      wk_buf_str(w->b, "/placeholder");
      if (d->name.version) wk_buf_printf(w->b, "@%s", d->name.version);
      wk_buf_str(w->b, ".{};\n");
    }
  }
}

static int is_free(const wit_function *f) { return f->kind == WIT_FN_FREESTANDING || f->kind == WIT_FN_ASYNC_FREESTANDING; }

static int has_funcs(const wit_interface *in, wit_id tid) {
  for (uint32_t i = 0; i < in->n_functions; i++)
    if (!is_free(&in->functions[i]) && in->functions[i].resource == tid) return 1;
  return 0;
}

static void interface_body(W *w, wit_id iid) {
  const wit_interface *in = &w->r->interfaces[iid];
  const wit_function **funcs = wk_calloc(in->n_functions + 1, sizeof(void *));
  uint8_t *printed = wk_calloc(in->n_types + 1, 1);
  if (!funcs || !printed) { free(funcs); free(printed); w->b->oom = 1; return; }
  for (uint32_t i = 0; i < in->n_functions; i++) funcs[i] = &in->functions[i];
  for (uint32_t i = 0; i < in->n_types; i++)
    if (is_use_alias(w->r, in->types[i].id)) { use_decl(w, in->types[i].id); printed[i] = 1; }
  uint32_t next = 0;
  /* definitions before the next resource that has functions can go first */
#define FLUSH_PLAIN()                                                                       \
  for (; next < in->n_types; next++) {                                                      \
    if (printed[next]) continue;                                                            \
    if (has_funcs(in, in->types[next].id)) break;                                           \
    typedef_decl(w, in->types[next].id, funcs, in->n_functions);                            \
    printed[next] = 1;                                                                      \
  }
  FLUSH_PLAIN();
  for (uint32_t f = 0; f < in->n_functions; f++) {
    const wit_function *fn = &in->functions[f];
    if (is_free(fn)) {
      item_attrs(w, fn->docs, &fn->stability, fn->external_id);
      pad(w);
      id(w, fn->name);
      wk_buf_str(w->b, ": ");
      func_sig(w, fn, 0);
      wk_buf_str(w->b, ";\n");
      continue;
    }
    /* flush type definitions up to and including this function's resource */
    uint32_t at = UINT32_MAX;
    for (uint32_t i = 0; i < in->n_types; i++)
      if (in->types[i].id == fn->resource) { at = i; break; }
    if (at == UINT32_MAX) continue;
    for (; next <= at && next < in->n_types; next++)
      if (!printed[next]) { typedef_decl(w, in->types[next].id, funcs, in->n_functions); printed[next] = 1; }
    FLUSH_PLAIN();
  }
#undef FLUSH_PLAIN
  for (; next < in->n_types; next++)
    if (!printed[next]) typedef_decl(w, in->types[next].id, funcs, in->n_functions);
  free(funcs);
  free(printed);
}

static void interface_decl(W *w, wit_id iid) {
  const wit_interface *in = &w->r->interfaces[iid];
  item_attrs(w, in->docs, &in->stability, NULL);
  pad(w);
  wk_buf_str(w->b, "interface ");
  id(w, in->name);
  wk_buf_str(w->b, " {\n");
  w->ind++;
  dep_placeholders(w, 0);
  interface_body(w, iid);
  w->ind--;
  pad(w);
  wk_buf_str(w->b, "}\n");
}

static void world_item(W *w, const wit_world_item *it, int is_export) {
  const char *kw = is_export ? "export " : "import ";
  if (it->kind == WIT_ITEM_FUNCTION) {
    const wit_function *f = &it->func;
    item_attrs(w, f->docs, &f->stability, f->external_id);
    pad(w);
    wk_buf_str(w->b, kw);
    id(w, it->key_name);
    wk_buf_str(w->b, ": ");
    func_sig(w, f, 0);
    wk_buf_str(w->b, ";\n");
    return;
  }
  const wit_interface *in = &w->r->interfaces[it->id];
  if (it->key_name && !in->name) {
    /* inline interface: its own docs/stability */
    item_attrs(w, in->docs, &in->stability, it->external_id);
    pad(w);
    wk_buf_str(w->b, kw);
    id(w, it->key_name);
    wk_buf_str(w->b, ": interface {\n");
    w->ind++;
    interface_body(w, it->id);
    w->ind--;
    pad(w);
    wk_buf_str(w->b, "}\n");
    return;
  }
  item_attrs(w, it->docs, &it->stability, it->external_id);
  pad(w);
  wk_buf_str(w->b, kw);
  if (it->key_name) {
    id(w, it->key_name);
    wk_buf_str(w->b, ": ");
  }
  iface_path(w, it->id);
  wk_buf_str(w->b, ";\n");
}

typedef struct ent {
  int kind; /* 0 typedef, 1 import, 2 export */
  const wit_world_item *it;
  uint32_t order;
} ent;

static void world_path(W *w, wit_id wid) {
  const wit_world *wd = &w->r->worlds[wid];
  if (wd->package == w->pkg) {
    id(w, wd->name);
    return;
  }
  const wit_package_name *n = &w->r->packages[wd->package].name;
  id(w, n->namespace_);
  wk_buf_byte(w->b, ':');
  id(w, n->name);
  wk_buf_byte(w->b, '/');
  id(w, wd->name);
  if (n->version) wk_buf_printf(w->b, "@%s", n->version);
}

/* A world is printed as written: its own items in source order and its
 * `include`s; implicit imports and included items are recomputed on parse. */
static void world_decl(W *w, wit_id wid) {
  const wit_world *wd = &w->r->worlds[wid];
  item_attrs(w, wd->docs, &wd->stability, NULL);
  pad(w);
  wk_buf_str(w->b, "world ");
  id(w, wd->name);
  wk_buf_str(w->b, " {\n");
  w->ind++;
  dep_placeholders(w, 1);
  uint32_t n = wd->n_imports + wd->n_exports;
  const wit_function **funcs = wk_calloc(n + 1, sizeof(void *));
  ent *all = wk_calloc(n + 1, sizeof(ent));
  if (!funcs || !all) { free(funcs); free(all); w->b->oom = 1; return; }
  uint32_t nf = 0;
  for (uint32_t i = 0; i < wd->n_imports; i++)
    if (wd->imports[i].kind == WIT_ITEM_FUNCTION && wd->imports[i].origin == WIT_ORIGIN_SOURCE)
      funcs[nf++] = &wd->imports[i].func;
  for (uint32_t i = 0; i < wd->n_imports; i++)
    if (wd->imports[i].kind == WIT_ITEM_TYPE && wd->imports[i].origin == WIT_ORIGIN_SOURCE &&
        is_use_alias(w->r, wd->imports[i].id))
      use_decl(w, wd->imports[i].id);
  for (uint32_t i = 0; i < wd->n_includes; i++) {
    const wit_include *inc = &wd->includes[i];
    stability(w, &inc->stability);
    pad(w);
    wk_buf_str(w->b, "include ");
    world_path(w, inc->world);
    if (inc->n_names) {
      wk_buf_str(w->b, " with { ");
      for (uint32_t k = 0; k < inc->n_names; k++) {
        if (k) wk_buf_str(w->b, ", ");
        id(w, inc->names[k].name);
        wk_buf_str(w->b, " as ");
        id(w, inc->names[k].as);
      }
      wk_buf_str(w->b, " }\n");
    } else {
      wk_buf_str(w->b, ";\n");
    }
  }
  uint32_t k = 0;
  for (int ex = 0; ex < 2; ex++) {
    const wit_world_item *arr = ex ? wd->exports : wd->imports;
    uint32_t cnt = ex ? wd->n_exports : wd->n_imports;
    for (uint32_t i = 0; i < cnt; i++) {
      const wit_world_item *it = &arr[i];
      if (it->origin != WIT_ORIGIN_SOURCE) continue;
      if (it->kind == WIT_ITEM_TYPE) {
        if (is_use_alias(w->r, it->id)) continue;
        uint32_t order = UINT32_MAX; /* plain definitions: fixed below */
        if (w->r->types[it->id].kind == WIT_TD_RESOURCE)
          for (uint32_t q = 0; q < nf; q++)
            if (!is_free(funcs[q]) && funcs[q]->resource == it->id) {
              order = ((const wit_world_item *)((const char *)funcs[q] - offsetof(wit_world_item, func)))->src_order;
              break;
            }
        all[k].kind = 0;
        all[k].it = it;
        all[k].order = order;
        k++;
      } else if (it->kind == WIT_ITEM_INTERFACE || is_free(&it->func)) {
        all[k].kind = ex ? 2 : 1;
        all[k].it = it;
        all[k].order = it->src_order;
        k++;
      }
    }
  }
  /* Type definitions keep their (dependency) order among themselves; a resource
   * with functions must sit at its source position (its functions are resolved
   * there). Plain definitions take the position of the next such resource, or
   * of the previous one at the end: non-decreasing along the type order. */
  {
    uint32_t next = UINT32_MAX;
    for (uint32_t i = k; i-- > 0;) {
      if (all[i].kind != 0) continue;
      if (all[i].order != UINT32_MAX) next = all[i].order;
      else all[i].order = next; /* may stay UINT32_MAX: fixed by the forward pass */
    }
    uint32_t prev = 0;
    for (uint32_t i = 0; i < k; i++) {
      if (all[i].kind != 0) continue;
      if (all[i].order == UINT32_MAX) all[i].order = prev;
      else prev = all[i].order;
    }
  }
  /* stable insertion sort by source position */
  for (uint32_t i = 1; i < k; i++)
    for (uint32_t j = i; j > 0 && all[j - 1].order > all[j].order; j--) {
      ent t = all[j];
      all[j] = all[j - 1];
      all[j - 1] = t;
    }
  for (uint32_t i = 0; i < k; i++) {
    if (all[i].kind == 0) typedef_decl(w, all[i].it->id, funcs, nf);
    else world_item(w, all[i].it, all[i].kind == 2);
  }
  free(funcs);
  free(all);
  w->ind--;
  pad(w);
  wk_buf_str(w->b, "}\n");
}

static void package_body(W *w, wit_id pid) {
  const wit_package *p = &w->r->packages[pid];
  w->pkg = pid;
  w->dep_uses = 0;
  for (uint32_t i = 0; i < p->n_deps; i++)
    if (!pkg_refers(w->r, pid, p->deps[i])) w->dep_uses = 1;
  int first = 1;
  for (uint32_t i = 0; i < p->n_interfaces; i++) {
    if (!first) nl(w);
    first = 0;
    interface_decl(w, p->interfaces[i].id);
  }
  for (uint32_t i = 0; i < p->n_worlds; i++) {
    if (!first) nl(w);
    first = 0;
    world_decl(w, p->worlds[i].id);
  }
}

int wit_resolve_print_wit(const wit_resolve *r, wit_id main_pkg, wk_buf *out, wk_error *err) {
  if (main_pkg >= r->n_packages) return wk_error_set(err, WK_ERR_USAGE, "no such package %u", main_pkg);
  W w = {r, out, main_pkg, 0, 0};
  const wit_package *mp = &r->packages[main_pkg];
  docs(&w, mp->docs);
  wk_buf_str(out, "package ");
  pkgname(&w, &mp->name);
  wk_buf_str(out, ";\n\n");
  package_body(&w, main_pkg);
  for (uint32_t i = 0; i < r->n_packages; i++) {
    if (i == main_pkg) continue;
    const wit_package *p = &r->packages[i];
    nl(&w);
    docs(&w, p->docs);
    wk_buf_str(out, "package ");
    pkgname(&w, &p->name);
    wk_buf_str(out, " {\n");
    w.ind = 1;
    package_body(&w, i);
    w.ind = 0;
    wk_buf_str(out, "}\n");
  }
  if (out->oom) return wk_error_set(err, WK_ERR_NOMEM, "out of memory printing WIT");
  return WK_OK;
}
