/* Resolve -> WIT text (WIT.md grammar): the one WIT printer, in two layouts.
 *
 * SOURCE (wit_resolve_print_wit, `wit-gen wit`): laid out so that parsing the
 * text again allocates packages, interfaces and types in the same order:
 *  - interfaces then worlds of each package, in arena (creation) order, which
 *    is already a dependency order;
 *  - in an interface: `use`s, then type definitions in arena order, with
 *    freestanding functions placed so that resource methods keep their
 *    position in the function list;
 *  - in a world: `use`s, then type definitions, imports and exports merged by
 *    their original source position (wit_world_item.src_order), each class
 *    kept in its resolved order.
 * Worlds are printed after `include` expansion and elaboration (every
 * implicit import is written out). Doc comments are written so that they
 * parse back to the same text.
 *
 * COMPONENT (wit_resolve_print_decoded, `winspect --wit`): wit-component's
 * WitPrinter layout (printing.rs), which is what `wasm-tools component wit` /
 * `jco wit` print for a decoded package or component: in an interface, `use`s
 * (consecutive ones from one interface merged), then type definitions, then
 * freestanding functions; in a world, interface imports, types, function
 * imports, then exports; blank lines between items.
 *
 * Both layouts share the writer, identifiers, attributes, type expressions,
 * type definitions, resources, functions and world items; where wit-component
 * spells something differently the layout decides. */
#include <stddef.h>
#include <stdlib.h>

#include "witparse/internal.h"
#include "witparse/witdecode.h"

typedef enum { LAYOUT_SOURCE, LAYOUT_COMPONENT } layout;

typedef struct W {
  const wit_resolve *r;
  wk_buf *b;
  layout lay;
  wit_id pkg; /* package being printed */
  int ind, needs_indent;
  int any_items; /* COMPONENT: a blank line goes before the next item */
  int dep_uses;  /* SOURCE: print the dependency placeholders at the top of the next item */
  const char *bad; /* COMPONENT: first thing WIT cannot spell */
} W;

/* ---- the writer: indentation is written lazily, before the first text of a line ---- */

static void raw(W *w, const char *s) { wk_buf_str(w->b, s); }
static void put(W *w, const char *s) {
  if (w->needs_indent) {
    for (int i = 0; i < w->ind; i++) raw(w, "  ");
    w->needs_indent = 0;
  }
  raw(w, s);
}
static void nl(W *w) {
  wk_buf_byte(w->b, '\n');
  w->needs_indent = 1;
}
static void semicolon(W *w) {
  raw(w, ";");
  nl(w);
}
static void block_start(W *w) {
  raw(w, " {");
  w->ind++;
  nl(w);
}
static void block_end(W *w) {
  if (w->ind) w->ind--;
  put(w, "}");
  nl(w);
}
static void new_item(W *w) {
  if (w->lay != LAYOUT_COMPONENT) return;
  if (w->any_items) nl(w);
  w->any_items = 1;
}
static void bad(W *w, const char *what) {
  if (!w->bad) w->bad = what;
}

/* Keywords get a `%` (WIT.md "Identifiers"); wit-component also escapes the old float names. */
static const char *const KW[] = {"use", "type", "func", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64",
                                 "f32", "f64", "char", "resource", "own", "borrow", "record", "flags", "variant",
                                 "enum", "bool", "string", "option", "result", "future", "stream", "error-context",
                                 "list", "map", "_", "as", "from", "static", "interface", "tuple", "world", "import",
                                 "export", "package", "constructor", "include", "with", "async"};

static void id(W *w, const char *s) {
  if (!s) {
    bad(w, "an unnamed item");
    s = "?";
  }
  put(w, "");
  int kw = w->lay == LAYOUT_COMPONENT && (!strcmp(s, "float32") || !strcmp(s, "float64"));
  for (size_t i = 0; i < sizeof KW / sizeof KW[0] && !kw; i++)
    if (!strcmp(KW[i], s)) kw = 1;
  if (kw) raw(w, "%");
  raw(w, s);
}

/* ---- attributes: docs, stability, external ids ---- */

/* SOURCE: can `d` be written as one block doc comment (slash-star-star d star-slash) that parses back to
 * `d`? The parser keeps the inside of a block verbatim except: the end of the block loses trailing
 * whitespace, the first line loses the common leading whitespace, and each line a trailing \r. */
static int block_docs_ok(const char *d) {
  size_t n = strlen(d);
  if (!n || strstr(d, "*/") || strchr(" \t\n\r\f\v*/", d[0])) return 0;
  char last = d[n - 1];
  if (last == ' ' || last == '\t' || last == '\n' || last == '\r' || last == '\f' || last == '\v') return 0;
  return !strchr(d, '\r');
}

/* SOURCE: does a line other than the last end in whitespace? `///` lines lose it. */
static int inner_trailing_ws(const char *d) {
  for (const char *p = strchr(d, '\n'); p; p = strchr(p + 1, '\n')) {
    char c = p > d ? p[-1] : 0;
    if (c == ' ' || c == '\t' || c == '\f' || c == '\v') return 1;
  }
  return 0;
}

/* Doc comments as `///` lines.
 * SOURCE: the parser strips the leading slashes and then the common leading whitespace of the
 * lines, so when no line starts with whitespace every line gets one space (which parsing removes
 * again); that also keeps a line that starts with '/' intact. A block comment where `///` lines
 * would lose inner trailing spaces.
 * COMPONENT: wit-component's, one `/// line` per Rust str::lines line (a trailing \r dropped). */
static void docs(W *w, const char *d) {
  if (!d) return;
  if (w->lay == LAYOUT_COMPONENT) {
    for (const char *p = d; *p;) {
      const char *e = strchr(p, '\n');
      size_t n = e ? (size_t)(e - p) : strlen(p);
      size_t m = n && p[n - 1] == '\r' ? n - 1 : n;
      put(w, "///");
      if (m) {
        raw(w, " ");
        wk_buf_append(w->b, p, m);
      }
      nl(w);
      if (!e) break;
      p = e + 1;
    }
    return;
  }
  if (inner_trailing_ws(d) && block_docs_ok(d)) {
    put(w, "/**");
    raw(w, d);
    raw(w, "*/");
    nl(w);
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
    put(w, n ? prefix : "///");
    wk_buf_append(w->b, p, n);
    nl(w);
    if (!e) break;
    p = e + 1;
  }
}

/* @since / @unstable / @deprecated (WIT.md "Feature Gates"). */
static void stability(W *w, const wit_stability *s) {
  if (s->kind == WIT_STAB_UNKNOWN) return;
  if (s->kind == WIT_STAB_STABLE) {
    put(w, "@since(version = ");
    raw(w, s->since ? s->since : "");
  } else {
    put(w, "@unstable(feature = ");
    if (w->lay == LAYOUT_SOURCE) id(w, s->feature);
    else raw(w, s->feature ? s->feature : "");
  }
  raw(w, ")");
  nl(w);
  if (s->deprecated) {
    put(w, "@deprecated(version = ");
    raw(w, s->deprecated);
    raw(w, ")");
    nl(w);
  }
}

/* @external-id("..."): SOURCE escapes `"`, `\` and control characters; COMPONENT escapes as
 * wit-component (Rust's escape_debug: \n \r \t by name, other non-plain scalars as \u{hex}). */
static void external_id(W *w, const char *e) {
  if (!e) return;
  put(w, "@external-id(\"");
  for (const unsigned char *p = (const unsigned char *)e; *p; p++) {
    unsigned char c = *p;
    if (w->lay == LAYOUT_SOURCE) {
      if (c == '"' || c == '\\') { wk_buf_byte(w->b, '\\'); wk_buf_byte(w->b, c); }
      else if (c < 0x20 || c == 0x7f) wk_buf_printf(w->b, "\\u{%x}", c);
      else wk_buf_byte(w->b, c);
      continue;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-_./: ", c)) {
      wk_buf_byte(w->b, c);
      continue;
    }
    if (c == '\\') raw(w, "\\\\");
    else if (c == '"') raw(w, "\\\"");
    else if (c == '\n') raw(w, "\\n");
    else if (c == '\r') raw(w, "\\r");
    else if (c == '\t') raw(w, "\\t");
    else {
      /* one UTF-8 scalar as \u{hex} */
      uint32_t cp = c;
      int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
      if (extra) cp = c & (0x3f >> extra);
      for (int k = 0; k < extra && p[1 + k]; k++) cp = (cp << 6) | (p[1 + k] & 0x3f);
      wk_buf_printf(w->b, "\\u{%x}", cp);
      for (int k = 0; k < extra && p[1]; k++) p++;
    }
  }
  raw(w, "\")");
  nl(w);
}

static void attrs(W *w, const char *d, const wit_stability *s, const char *ext) {
  docs(w, d);
  stability(w, s);
  external_id(w, ext);
}

/* ---- names of packages, interfaces, worlds ---- */

static void version(W *w, const char *v) {
  if (!v) return;
  raw(w, "@");
  raw(w, v);
}

static void pkgname(W *w, const wit_package_name *n) {
  id(w, n->namespace_);
  raw(w, ":");
  id(w, n->name);
  version(w, n->version);
}

/* Path to interface `i` from package `from`: its name there, else ns:pkg/name@version. */
static void iface_path(W *w, wit_id i, wit_id from) {
  const wit_interface *in = &w->r->interfaces[i];
  const char *name = in->name ? in->name : w->lay == LAYOUT_SOURCE ? "?" : NULL;
  if (in->package == from) {
    id(w, name);
    return;
  }
  if (in->package >= w->r->n_packages) {
    bad(w, "an interface without a package");
    return;
  }
  const wit_package_name *n = &w->r->packages[in->package].name;
  id(w, n->namespace_);
  raw(w, ":");
  id(w, n->name);
  raw(w, "/");
  id(w, name);
  version(w, n->version);
}

/* ---- type expressions ---- */

static void type_expr(W *w, wit_type t, int depth);

/* own<R> / borrow<R>; a plain `R` for an own handle unless `force` (the resolver turns every plain
 * resource reference into an anonymous own<R>). */
static void handle(W *w, const wit_typedef *t, int force) {
  const wit_typedef *rs = t->resource < w->r->n_types ? &w->r->types[t->resource] : NULL;
  const char *rn = rs && rs->name ? rs->name : w->lay == LAYOUT_SOURCE ? "?" : NULL;
  if (t->kind == WIT_TD_BORROW || force) {
    put(w, t->kind == WIT_TD_BORROW ? "borrow<" : "own<");
    id(w, rn);
    raw(w, ">");
  } else {
    id(w, rn);
  }
}

/* `kw` or `kw<T>` (future, stream) */
static void opt_args(W *w, const char *kw, wit_type t, int depth) {
  put(w, kw);
  if (t.prim != WIT_PRIM_NONE) {
    raw(w, "<");
    type_expr(w, t, depth + 1);
    raw(w, ">");
  }
}

/* A type definition's right-hand side as an anonymous type expression (`force_own`: own<R>, not R). */
static void kind_expr(W *w, const wit_typedef *t, int depth, int force_own) {
  switch (t->kind) {
  case WIT_TD_TYPE: type_expr(w, t->ty, depth + 1); break;
  case WIT_TD_OWN:
  case WIT_TD_BORROW: handle(w, t, force_own); break;
  case WIT_TD_LIST: put(w, "list<"); type_expr(w, t->ty, depth + 1); raw(w, ">"); break;
  case WIT_TD_FIXED_LIST:
    put(w, "list<");
    type_expr(w, t->ty, depth + 1);
    wk_buf_printf(w->b, ", %u>", t->size);
    break;
  case WIT_TD_MAP:
    put(w, "map<");
    type_expr(w, t->ty, depth + 1);
    raw(w, ", ");
    type_expr(w, t->ty2, depth + 1);
    raw(w, ">");
    break;
  case WIT_TD_OPTION: put(w, "option<"); type_expr(w, t->ty, depth + 1); raw(w, ">"); break;
  case WIT_TD_RESULT:
    put(w, "result");
    if (t->ty.prim != WIT_PRIM_NONE || t->ty2.prim != WIT_PRIM_NONE) {
      raw(w, "<");
      if (t->ty.prim == WIT_PRIM_NONE) raw(w, "_");
      else type_expr(w, t->ty, depth + 1);
      if (t->ty2.prim != WIT_PRIM_NONE) {
        raw(w, ", ");
        type_expr(w, t->ty2, depth + 1);
      }
      raw(w, ">");
    }
    break;
  case WIT_TD_TUPLE:
    put(w, "tuple<");
    for (uint32_t i = 0; i < t->n_fields; i++) {
      if (i) raw(w, ", ");
      type_expr(w, t->fields[i].ty, depth + 1);
    }
    raw(w, ">");
    break;
  case WIT_TD_FUTURE: opt_args(w, "future", t->ty, depth); break;
  case WIT_TD_STREAM: opt_args(w, "stream", t->ty, depth); break;
  default:
    if (w->lay == LAYOUT_SOURCE) put(w, "/* unsupported */ u8");
    else {
      bad(w, "an unnamed record, variant, flags, enum or resource");
      put(w, "?");
    }
    break;
  }
}

static void type_expr(W *w, wit_type t, int depth) {
  if (depth > 2 * WIT_MAX_TYPE_DEPTH) {
    if (w->lay == LAYOUT_SOURCE) put(w, "u8");
    else bad(w, "a type nested too deeply");
    return;
  }
  if (t.prim != WIT_PRIM_ID) {
    const char *p = wit_prim_name((wit_prim)t.prim);
    put(w, p ? p : w->lay == LAYOUT_SOURCE ? "u8" : "?");
    return;
  }
  if (t.id >= w->r->n_types) {
    bad(w, "a type id out of range");
    return;
  }
  const wit_typedef *td = &w->r->types[t.id];
  if (td->name) id(w, td->name);
  else kind_expr(w, td, depth, 0);
}

/* ---- functions ---- */

static int is_free(const wit_function *f) { return f->kind == WIT_FN_FREESTANDING || f->kind == WIT_FN_ASYNC_FREESTANDING; }
static int is_method(const wit_function *f) { return f->kind == WIT_FN_METHOD || f->kind == WIT_FN_ASYNC_METHOD; }
static int is_static(const wit_function *f) { return f->kind == WIT_FN_STATIC || f->kind == WIT_FN_ASYNC_STATIC; }

/* A function's name inside its scope: `m` for `[method]r.m`, `[static]r.m`, `[constructor]r`'s r. */
static const char *item_name(const wit_function *f) {
  const char *s = f->name;
  if (!strncmp(s, "[constructor]", 13)) return s + 13;
  if (!strncmp(s, "[method]", 8) || !strncmp(s, "[static]", 8)) {
    const char *dot = strchr(s, '.');
    return dot ? dot + 1 : s + 8;
  }
  return s;
}

/* `[static] [async] func(params) [-> T]`, or `constructor(params) [-> T]`; a method's `self` is not
 * written; a constructor's implicit result (an own handle of its resource) is not written. */
static void func_sig(W *w, const wit_function *f) {
  int is_async = f->kind == WIT_FN_ASYNC_FREESTANDING || f->kind == WIT_FN_ASYNC_METHOD || f->kind == WIT_FN_ASYNC_STATIC;
  if (is_static(f)) put(w, "static ");
  if (is_async) put(w, "async ");
  put(w, f->kind == WIT_FN_CONSTRUCTOR ? "constructor(" : "func(");
  uint32_t skip = is_method(f) ? 1 : 0;
  for (uint32_t i = skip; i < f->n_params; i++) {
    if (i > skip) raw(w, ", ");
    id(w, f->params[i].name);
    raw(w, ": ");
    type_expr(w, f->params[i].ty, 0);
  }
  raw(w, ")");
  if (f->kind == WIT_FN_CONSTRUCTOR && f->result.prim == WIT_PRIM_ID && f->result.id < w->r->n_types) {
    const wit_typedef *t = &w->r->types[f->result.id];
    if (t->kind == WIT_TD_OWN && t->resource == f->resource) return; /* shorthand */
  }
  if (f->result.prim != WIT_PRIM_NONE) {
    raw(w, " -> ");
    type_expr(w, f->result, 0);
  }
}

/* `[prefix ]name: sig;` (a constructor: `constructor(...);`), after its attributes. */
static void func_item(W *w, const char *prefix, const char *name, const wit_function *f) {
  attrs(w, f->docs, &f->stability, f->external_id);
  if (prefix) put(w, prefix);
  if (f->kind != WIT_FN_CONSTRUCTOR) {
    id(w, name);
    raw(w, ": ");
  }
  func_sig(w, f);
  semicolon(w);
}

/* ---- type definitions ---- */

/* A named type definition owned by the current interface/world, after its attributes. `funcs` are
 * the functions of the scope (a resource's are picked by resource id). */
static void typedef_decl(W *w, wit_id tid, const wit_function *const *funcs, uint32_t nfuncs) {
  const wit_typedef *t = &w->r->types[tid];
  attrs(w, t->docs, &t->stability, t->external_id);
  switch (t->kind) {
  case WIT_TD_RECORD:
  case WIT_TD_FLAGS:
  case WIT_TD_VARIANT:
  case WIT_TD_ENUM: {
    put(w, t->kind == WIT_TD_RECORD ? "record " : t->kind == WIT_TD_FLAGS ? "flags " : t->kind == WIT_TD_VARIANT ? "variant " : "enum ");
    id(w, t->name);
    if (!t->n_fields && w->lay == LAYOUT_SOURCE) {
      raw(w, " {}");
      nl(w);
      return;
    }
    block_start(w);
    for (uint32_t i = 0; i < t->n_fields; i++) {
      docs(w, t->fields[i].docs);
      id(w, t->fields[i].name);
      if (t->kind == WIT_TD_RECORD) {
        raw(w, ": ");
        type_expr(w, t->fields[i].ty, 0);
      } else if (t->kind == WIT_TD_VARIANT && t->fields[i].ty.prim != WIT_PRIM_NONE) {
        raw(w, "(");
        type_expr(w, t->fields[i].ty, 0);
        raw(w, ")");
      }
      raw(w, ",");
      nl(w);
    }
    block_end(w);
    return;
  }
  case WIT_TD_RESOURCE: {
    put(w, "resource ");
    id(w, t->name);
    uint32_t n = 0;
    for (uint32_t i = 0; i < nfuncs; i++)
      if (!is_free(funcs[i]) && funcs[i]->resource == tid) n++;
    if (!n) {
      semicolon(w);
      return;
    }
    block_start(w);
    for (uint32_t i = 0; i < nfuncs; i++)
      if (!is_free(funcs[i]) && funcs[i]->resource == tid) func_item(w, NULL, item_name(funcs[i]), funcs[i]);
    block_end(w);
    return;
  }
  default:
    if (!t->name && w->lay == LAYOUT_COMPONENT) {
      bad(w, "an unnamed type in a document");
      return;
    }
    put(w, "type ");
    id(w, t->name);
    raw(w, " = ");
    kind_expr(w, t, 0, 1);
    semicolon(w);
  }
}

/* `use` of a type defined elsewhere: true if `tid` is an alias to another owner's type */
static int is_use_alias(const wit_resolve *r, wit_id tid) {
  const wit_typedef *t = &r->types[tid];
  if (t->kind != WIT_TD_TYPE || t->ty.prim != WIT_PRIM_ID) return 0;
  const wit_typedef *o = &r->types[t->ty.id];
  return o->owner_kind == WIT_OWNER_INTERFACE && !(o->owner_kind == t->owner_kind && o->owner == t->owner);
}

/* `name` or `original as name` inside `use path.{...}` */
static void use_name(W *w, const char *name, const char *original) {
  id(w, original ? original : "?");
  if (original && name && strcmp(original, name)) {
    raw(w, " as ");
    id(w, name);
  }
}

/* ---- world items ---- */

/* `import|export [key: ](path | interface { ... } | func ...);` with its attributes. */
static void interface_body(W *w, wit_id iid);
static void world_item(W *w, const wit_world_item *it, wit_id pkg, int is_export) {
  const char *kw = is_export ? "export " : "import ";
  if (it->kind == WIT_ITEM_FUNCTION) {
    func_item(w, kw, w->lay == LAYOUT_SOURCE ? it->key_name : it->func.name, &it->func);
    return;
  }
  const wit_interface *in = &w->r->interfaces[it->id];
  int inline_iface = it->key_name && !in->name;
  if (w->lay == LAYOUT_SOURCE && inline_iface) attrs(w, in->docs, &in->stability, it->external_id);
  else if (w->lay == LAYOUT_SOURCE) attrs(w, it->docs, &it->stability, it->external_id);
  else attrs(w, it->docs ? it->docs : it->key_name ? in->docs : NULL, &it->stability, it->external_id);
  put(w, kw);
  if (it->key_name) {
    id(w, it->key_name);
    raw(w, ": ");
  }
  if (inline_iface) {
    put(w, "interface");
    block_start(w);
    interface_body(w, it->id);
    block_end(w);
    return;
  }
  iface_path(w, it->id, pkg);
  semicolon(w);
}

/* ==== SOURCE layout: bodies in source order ==== */

static void use_decl(W *w, wit_id tid) {
  const wit_typedef *t = &w->r->types[tid];
  const wit_typedef *o = &w->r->types[t->ty.id];
  stability(w, &t->stability);
  external_id(w, t->external_id);
  put(w, "use ");
  iface_path(w, o->owner, w->pkg);
  raw(w, ".{");
  use_name(w, t->name, o->name);
  raw(w, "}");
  semicolon(w);
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
    wit_package_name unversioned = {d->name.namespace_, d->name.name, NULL};
    if (d->n_interfaces) {
      put(w, "@unstable(feature = wit-gen-dependency) use ");
      iface_path(w, d->interfaces[0].id, WIT_NONE);
      raw(w, ".{}");
    } else if (in_world && d->n_worlds) {
      put(w, "@unstable(feature = wit-gen-dependency) include ");
      pkgname(w, &unversioned);
      raw(w, "/");
      id(w, d->worlds[0].name);
      version(w, d->name.version);
    } else {
      /* nothing nameable is left in that package: a gated reference is never looked up */
      put(w, "@unstable(feature = wit-gen-dependency) use ");
      pkgname(w, &unversioned);
      raw(w, "/placeholder");
      version(w, d->name.version);
      raw(w, ".{}");
    }
    semicolon(w);
  }
}

static int has_funcs(const wit_interface *in, wit_id tid) {
  for (uint32_t i = 0; i < in->n_functions; i++)
    if (!is_free(&in->functions[i]) && in->functions[i].resource == tid) return 1;
  return 0;
}

static void source_interface_body(W *w, wit_id iid) {
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
      func_item(w, NULL, fn->name, fn);
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
  raw(w, ":");
  id(w, n->name);
  raw(w, "/");
  id(w, wd->name);
  version(w, n->version);
}

/* A world is printed as written: its own items in source order and its
 * `include`s; implicit imports and included items are recomputed on parse. */
static void source_world_body(W *w, wit_id wid) {
  const wit_world *wd = &w->r->worlds[wid];
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
    put(w, "include ");
    world_path(w, inc->world);
    if (inc->n_names) {
      raw(w, " with { ");
      for (uint32_t k = 0; k < inc->n_names; k++) {
        if (k) raw(w, ", ");
        id(w, inc->names[k].name);
        raw(w, " as ");
        id(w, inc->names[k].as);
      }
      raw(w, " }");
      nl(w);
    } else {
      semicolon(w);
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
    else world_item(w, all[i].it, w->pkg, all[i].kind == 2);
  }
  free(funcs);
  free(all);
}

/* ==== COMPONENT layout: wit-component's order ==== */

/* print_types: `use`s (grouped by consecutive source interface), then definitions. */
static void component_types(W *w, uint32_t owner_kind, wit_id owner, wit_id my_pkg, const wit_named_id *tv,
                            uint32_t n, const wit_function *const *funcs, uint32_t nf) {
  const wit_resolve *r = w->r;
  wit_id *decl = wk_calloc(n + 1, sizeof(wit_id));
  if (!decl) { w->b->oom = 1; return; }
  uint32_t nd = 0;
  /* uses: printed as they are found, merged into the previous group when it has the same source and attributes */
  wit_id g_owner = WIT_NONE;
  const wit_typedef *g_ty = NULL;
  int open = 0;
  for (uint32_t i = 0; i < n; i++) {
    const wit_typedef *t = &r->types[tv[i].id];
    if (t->kind == WIT_TD_TYPE && t->ty.prim == WIT_PRIM_ID) {
      const wit_typedef *other = &r->types[t->ty.id];
      if (other->owner_kind != WIT_OWNER_NONE && !(other->owner_kind == owner_kind && other->owner == owner)) {
        if (!other->name) { bad(w, "a use of an unnamed type"); continue; }
        if (other->owner_kind != WIT_OWNER_INTERFACE) { bad(w, "a use of a world's type"); continue; }
        if (open && g_owner == other->owner && wit_stab_eq(&t->stability, &g_ty->stability) &&
            ((!t->external_id && !g_ty->external_id) ||
             (t->external_id && g_ty->external_id && !strcmp(t->external_id, g_ty->external_id)))) {
          raw(w, ", ");
        } else {
          if (open) { raw(w, "}"); semicolon(w); }
          w->any_items = 1;
          stability(w, &t->stability);
          external_id(w, t->external_id);
          put(w, "use ");
          iface_path(w, other->owner, my_pkg);
          raw(w, ".{");
          open = 1;
          g_owner = other->owner;
          g_ty = t;
        }
        use_name(w, tv[i].name, other->name);
        continue;
      }
    }
    decl[nd++] = tv[i].id;
  }
  if (open) { raw(w, "}"); semicolon(w); }
  for (uint32_t i = 0; i < nd; i++) {
    new_item(w);
    typedef_decl(w, decl[i], funcs, nf);
  }
  free(decl);
}

static void component_interface_body(W *w, wit_id iid) {
  int prev = w->any_items;
  w->any_items = 0;
  const wit_interface *in = &w->r->interfaces[iid];
  const wit_function **rf = wk_calloc(in->n_functions + 1, sizeof(void *));
  if (!rf) { w->b->oom = 1; return; }
  uint32_t nrf = 0;
  for (uint32_t i = 0; i < in->n_functions; i++) if (!is_free(&in->functions[i])) rf[nrf++] = &in->functions[i];
  component_types(w, WIT_OWNER_INTERFACE, iid, in->package, in->types, in->n_types, rf, nrf);
  for (uint32_t i = 0; i < in->n_functions; i++) {
    const wit_function *f = &in->functions[i];
    if (!is_free(f)) continue;
    new_item(w);
    func_item(w, NULL, item_name(f), f);
  }
  free(rf);
  w->any_items = prev;
}

static void component_world_body(W *w, wit_id wid) {
  int prev = w->any_items;
  w->any_items = 0;
  const wit_world *wd = &w->r->worlds[wid];
  uint32_t n = wd->n_imports;
  wit_named_id *tv = wk_calloc(n + 1, sizeof *tv);
  const wit_function **rf = wk_calloc(n + 1, sizeof(void *));
  const wit_world_item **fi = wk_calloc(n + 1, sizeof(void *));
  if (!tv || !rf || !fi) { free(tv); free(rf); free(fi); w->b->oom = 1; return; }
  uint32_t nt = 0, nrf = 0, nfi = 0;
  for (uint32_t i = 0; i < n; i++) {
    const wit_world_item *it = &wd->imports[i];
    if (it->kind == WIT_ITEM_TYPE) {
      tv[nt].name = it->key_name;
      tv[nt++].id = it->id;
    } else if (it->kind == WIT_ITEM_FUNCTION) {
      if (!is_free(&it->func)) rf[nrf++] = &it->func;
      else fi[nfi++] = it;
    } else {
      world_item(w, it, wd->package, 0);
      w->any_items = 1;
    }
  }
  component_types(w, WIT_OWNER_WORLD, wid, wd->package, tv, nt, rf, nrf);
  for (uint32_t i = 0; i < nfi; i++) {
    world_item(w, fi[i], wd->package, 0);
    w->any_items = 1;
  }
  if (wd->n_exports) new_item(w);
  for (uint32_t i = 0; i < wd->n_exports; i++) world_item(w, &wd->exports[i], wd->package, 1);
  free(tv);
  free(rf);
  free(fi);
  w->any_items = prev;
}

/* ==== packages ==== */

static void interface_body(W *w, wit_id iid) {
  if (w->lay == LAYOUT_SOURCE) source_interface_body(w, iid);
  else component_interface_body(w, iid);
}

/* The interfaces, then the worlds of package `pid`. */
static void package_body(W *w, wit_id pid) {
  const wit_package *p = &w->r->packages[pid];
  w->pkg = pid;
  w->dep_uses = 0;
  if (w->lay == LAYOUT_SOURCE)
    for (uint32_t i = 0; i < p->n_deps; i++)
      if (!pkg_refers(w->r, pid, p->deps[i])) w->dep_uses = 1;
  int first = 1;
  for (uint32_t i = 0; i < p->n_interfaces; i++) {
    const wit_interface *in = &w->r->interfaces[p->interfaces[i].id];
    if (!first && w->lay == LAYOUT_SOURCE) nl(w);
    first = 0;
    attrs(w, in->docs, &in->stability, NULL);
    put(w, "interface ");
    id(w, w->lay == LAYOUT_SOURCE ? in->name : p->interfaces[i].name);
    block_start(w);
    if (w->lay == LAYOUT_SOURCE) dep_placeholders(w, 0);
    interface_body(w, p->interfaces[i].id);
    block_end(w);
    if (w->lay == LAYOUT_COMPONENT) nl(w);
  }
  for (uint32_t i = 0; i < p->n_worlds; i++) {
    const wit_world *wd = &w->r->worlds[p->worlds[i].id];
    if (!first && w->lay == LAYOUT_SOURCE) nl(w);
    first = 0;
    attrs(w, wd->docs, &wd->stability, NULL);
    put(w, "world ");
    id(w, w->lay == LAYOUT_SOURCE ? wd->name : p->worlds[i].name);
    block_start(w);
    if (w->lay == LAYOUT_SOURCE) source_world_body(w, p->worlds[i].id);
    else component_world_body(w, p->worlds[i].id);
    block_end(w);
  }
}

/* `package ns:name@version;`, a blank line, then the package's interfaces and worlds. */
static void main_package(W *w, wit_id pid) {
  const wit_package *p = &w->r->packages[pid];
  docs(w, p->docs);
  put(w, "package ");
  pkgname(w, &p->name);
  semicolon(w);
  nl(w);
  package_body(w, pid);
}

int wit_resolve_print_wit(const wit_resolve *r, wit_id main_pkg, wk_buf *out, wk_error *err) {
  if (main_pkg >= r->n_packages) return wk_error_set(err, WK_ERR_USAGE, "no such package %u", main_pkg);
  W w = {.r = r, .b = out, .lay = LAYOUT_SOURCE, .pkg = main_pkg, .needs_indent = 1};
  main_package(&w, main_pkg);
  for (uint32_t i = 0; i < r->n_packages; i++) {
    if (i == main_pkg) continue;
    const wit_package *p = &r->packages[i];
    nl(&w);
    docs(&w, p->docs);
    put(&w, "package ");
    pkgname(&w, &p->name);
    block_start(&w);
    package_body(&w, i);
    block_end(&w);
  }
  if (out->oom) return wk_error_set(err, WK_ERR_NOMEM, "out of memory printing WIT");
  return WK_OK;
}

int wit_resolve_print_decoded(const wit_resolve *r, wit_id pkg, wk_buf *out, wk_error *err) {
  if (pkg >= r->n_packages) return wk_error_set(err, WK_ERR_USAGE, "no such package %u", pkg);
  W w = {.r = r, .b = out, .lay = LAYOUT_COMPONENT, .pkg = pkg};
  main_package(&w, pkg);
  if (out->oom) return wk_error_set(err, WK_ERR_NOMEM, "out of memory printing WIT");
  if (w.bad) return wk_error_set(err, WK_ERR_INVALID, "cannot print as WIT: %s", w.bad);
  return WK_OK;
}
