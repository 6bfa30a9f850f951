/* Resolve -> WIT text with wit-component's WitPrinter layout (printing.rs),
 * which is what `wasm-tools component wit` / `jco wit` print for a decoded
 * package or component: the same text byte for byte for the main package.
 * Grammar: WIT.md. */
#include <stdlib.h>

#include "witparse/internal.h"
#include "witparse/witdecode.h"

typedef struct O {
  const wit_resolve *r;
  wk_buf *b;
  int indent, needs_indent, any_items;
  const char *bad; /* first thing WIT cannot spell */
} O;

static void o_push(O *o, const char *s) { wk_buf_str(o->b, s); }
static void o_indent_if_needed(O *o) {
  if (!o->needs_indent) return;
  for (int i = 0; i < o->indent; i++) o_push(o, "  ");
  o->needs_indent = 0;
}
static void o_str(O *o, const char *s) {
  o_indent_if_needed(o);
  o_push(o, s);
}
static void o_newline(O *o) {
  wk_buf_byte(o->b, '\n');
  o->needs_indent = 1;
}
static void o_indent_start(O *o) {
  o_push(o, " {");
  o->indent++;
  o_newline(o);
}
static void o_indent_end(O *o) {
  if (o->indent) o->indent--;
  o_indent_if_needed(o);
  o_push(o, "}");
  o_newline(o);
}
static void o_semicolon(O *o) {
  o_push(o, ";");
  o_newline(o);
}
static void new_item(O *o) {
  if (o->any_items) o_newline(o);
  o->any_items = 1;
}

static const char *const KW[] = {"use", "type", "func", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "f32",
                                 "f64", "float32", "float64", "char", "resource", "record", "flags", "variant",
                                 "enum", "bool", "string", "option", "result", "future", "stream", "list", "own",
                                 "borrow", "_", "as", "from", "static", "interface", "tuple", "world", "import",
                                 "export", "package", "with", "include", "constructor", "error-context", "async",
                                 "map"};
static void name(O *o, const char *s) {
  o_indent_if_needed(o);
  if (!s) { o->bad = o->bad ? o->bad : "an unnamed item"; s = "?"; }
  for (size_t i = 0; i < sizeof KW / sizeof KW[0]; i++)
    if (!strcmp(KW[i], s)) { o_push(o, "%"); break; }
  o_push(o, s);
}

static void docs(O *o, const char *d) {
  if (!d) return;
  /* Rust str::lines: split on \n, drop a trailing \r, no final empty line */
  for (const char *p = d; *p;) {
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    size_t m = n && p[n - 1] == '\r' ? n - 1 : n;
    o_indent_if_needed(o);
    o_push(o, "///");
    if (m) {
      o_push(o, " ");
      wk_buf_append(o->b, p, m);
    }
    o_newline(o);
    if (!e) break;
    p = e + 1;
  }
}

static void stability(O *o, const wit_stability *s) {
  if (s->kind == WIT_STAB_UNKNOWN) return;
  if (s->kind == WIT_STAB_STABLE) {
    o_str(o, "@since(version = ");
    o_push(o, s->since ? s->since : "");
  } else {
    o_str(o, "@unstable(feature = ");
    o_push(o, s->feature ? s->feature : "");
  }
  o_push(o, ")");
  o_newline(o);
  if (s->deprecated) {
    o_str(o, "@deprecated(version = ");
    o_push(o, s->deprecated);
    o_push(o, ")");
    o_newline(o);
  }
}

static void external_id(O *o, const char *e) {
  if (!e) return;
  o_str(o, "@external-id(\"");
  for (const unsigned char *p = (const unsigned char *)e; *p;) {
    unsigned char c = *p;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-_./: ", c)) {
      wk_buf_byte(o->b, c);
      p++;
      continue;
    }
    if (c == '\\') o_push(o, "\\\\");
    else if (c == '"') o_push(o, "\\\"");
    else if (c == '\n') o_push(o, "\\n");
    else if (c == '\r') o_push(o, "\\r");
    else if (c == '\t') o_push(o, "\\t");
    else {
      /* one UTF-8 scalar as \u{hex} */
      uint32_t cp = c;
      int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
      if (extra) cp = c & (0x3f >> extra);
      for (int k = 0; k < extra && p[1 + k]; k++) cp = (cp << 6) | (p[1 + k] & 0x3f);
      wk_buf_printf(o->b, "\\u{%x}", cp);
      for (int k = 0; k < extra && p[1]; k++) p++;
    }
    p++;
  }
  o_push(o, "\")");
  o_newline(o);
}

static void type_name(O *o, wit_type t, int depth);

static void handle(O *o, const wit_typedef *t, int force) {
  const wit_typedef *rs = t->resource < o->r->n_types ? &o->r->types[t->resource] : NULL;
  const char *rn = rs ? rs->name : NULL;
  if (t->kind == WIT_TD_BORROW) {
    o_str(o, "borrow<");
    name(o, rn);
    o_push(o, ">");
  } else if (force) {
    o_str(o, "own<");
    name(o, rn);
    o_push(o, ">");
  } else {
    name(o, rn);
  }
}

static void result_type(O *o, const wit_typedef *t, int depth) {
  o_str(o, "result");
  int ok = t->ty.prim != WIT_PRIM_NONE, er = t->ty2.prim != WIT_PRIM_NONE;
  if (!ok && !er) return;
  o_push(o, "<");
  if (ok) type_name(o, t->ty, depth + 1);
  else o_push(o, "_");
  if (er) {
    o_push(o, ", ");
    type_name(o, t->ty2, depth + 1);
  }
  o_push(o, ">");
}

/* The right-hand side of an anonymous type (print_type_name's Id case). */
static void anon(O *o, const wit_typedef *t, int depth) {
  switch (t->kind) {
    case WIT_TD_OWN: case WIT_TD_BORROW: handle(o, t, 0); return;
    case WIT_TD_TUPLE:
      o_str(o, "tuple<");
      for (uint32_t i = 0; i < t->n_fields; i++) {
        if (i) o_push(o, ", ");
        type_name(o, t->fields[i].ty, depth + 1);
      }
      o_push(o, ">");
      return;
    case WIT_TD_OPTION: o_str(o, "option<"); type_name(o, t->ty, depth + 1); o_push(o, ">"); return;
    case WIT_TD_RESULT: result_type(o, t, depth); return;
    case WIT_TD_LIST: o_str(o, "list<"); type_name(o, t->ty, depth + 1); o_push(o, ">"); return;
    case WIT_TD_MAP:
      o_str(o, "map<");
      type_name(o, t->ty, depth + 1);
      o_push(o, ", ");
      type_name(o, t->ty2, depth + 1);
      o_push(o, ">");
      return;
    case WIT_TD_FIXED_LIST:
      o_str(o, "list<");
      type_name(o, t->ty, depth + 1);
      wk_buf_printf(o->b, ", %u>", t->size);
      return;
    case WIT_TD_TYPE: type_name(o, t->ty, depth + 1); return;
    case WIT_TD_FUTURE: case WIT_TD_STREAM:
      o_str(o, t->kind == WIT_TD_FUTURE ? "future" : "stream");
      if (t->ty.prim != WIT_PRIM_NONE) {
        o_push(o, "<");
        type_name(o, t->ty, depth + 1);
        o_push(o, ">");
      }
      return;
    default:
      if (!o->bad) o->bad = "an unnamed record, variant, flags, enum or resource";
      o_str(o, "?");
  }
}

static void type_name(O *o, wit_type t, int depth) {
  if (depth > 2 * WIT_MAX_TYPE_DEPTH) { o->bad = "a type nested too deeply"; return; }
  if (t.prim != WIT_PRIM_ID) {
    const char *p = wit_prim_name((wit_prim)t.prim);
    o_str(o, p ? p : "?");
    return;
  }
  if (t.id >= o->r->n_types) { o->bad = "a type id out of range"; return; }
  const wit_typedef *td = &o->r->types[t.id];
  if (td->name) { name(o, td->name); return; }
  anon(o, td, depth);
}

static const char *item_name(const wit_function *f) {
  const char *s = f->name;
  if (!strncmp(s, "[constructor]", 13)) return s + 13;
  if (!strncmp(s, "[method]", 8) || !strncmp(s, "[static]", 8)) {
    const char *dot = strchr(s, '.');
    return dot ? dot + 1 : s + 8;
  }
  return s;
}

static void function(O *o, const wit_function *f) {
  int is_async = f->kind == WIT_FN_ASYNC_FREESTANDING || f->kind == WIT_FN_ASYNC_METHOD || f->kind == WIT_FN_ASYNC_STATIC;
  if (is_async) o_str(o, "async ");
  o_str(o, f->kind == WIT_FN_CONSTRUCTOR ? "constructor(" : "func(");
  uint32_t skip = f->kind == WIT_FN_METHOD || f->kind == WIT_FN_ASYNC_METHOD ? 1 : 0;
  for (uint32_t i = skip; i < f->n_params; i++) {
    if (i > skip) o_push(o, ", ");
    name(o, f->params[i].name);
    o_push(o, ": ");
    type_name(o, f->params[i].ty, 0);
  }
  o_push(o, ")");
  if (f->kind == WIT_FN_CONSTRUCTOR && f->result.prim == WIT_PRIM_ID && f->result.id < o->r->n_types) {
    const wit_typedef *t = &o->r->types[f->result.id];
    if (t->kind == WIT_TD_OWN && t->resource == f->resource) return; /* shorthand */
  }
  if (f->result.prim != WIT_PRIM_NONE) {
    o_push(o, " -> ");
    type_name(o, f->result, 0);
  }
}

static void resource(O *o, wit_id tid, const wit_function *const *funcs, uint32_t nf) {
  const wit_typedef *t = &o->r->types[tid];
  o_str(o, "resource ");
  name(o, t->name);
  uint32_t n = 0;
  for (uint32_t i = 0; i < nf; i++) if (funcs[i]->resource == tid) n++;
  if (!n) { o_semicolon(o); return; }
  o_indent_start(o);
  for (uint32_t i = 0; i < nf; i++) {
    const wit_function *f = funcs[i];
    if (f->resource != tid) continue;
    docs(o, f->docs);
    stability(o, &f->stability);
    external_id(o, f->external_id);
    if (f->kind == WIT_FN_METHOD || f->kind == WIT_FN_ASYNC_METHOD) {
      name(o, item_name(f));
      o_push(o, ": ");
    } else if (f->kind == WIT_FN_STATIC || f->kind == WIT_FN_ASYNC_STATIC) {
      name(o, item_name(f));
      o_push(o, ": static ");
    }
    function(o, f);
    o_semicolon(o);
  }
  o_indent_end(o);
}

static void declare(O *o, wit_id tid) {
  const wit_typedef *t = &o->r->types[tid];
  switch (t->kind) {
    case WIT_TD_RECORD: case WIT_TD_FLAGS: case WIT_TD_VARIANT: case WIT_TD_ENUM: {
      o_str(o, t->kind == WIT_TD_RECORD ? "record " : t->kind == WIT_TD_FLAGS ? "flags " : t->kind == WIT_TD_VARIANT ? "variant " : "enum ");
      name(o, t->name);
      o_indent_start(o);
      for (uint32_t i = 0; i < t->n_fields; i++) {
        docs(o, t->fields[i].docs);
        name(o, t->fields[i].name);
        if (t->kind == WIT_TD_RECORD) {
          o_push(o, ": ");
          type_name(o, t->fields[i].ty, 0);
        } else if (t->kind == WIT_TD_VARIANT && t->fields[i].ty.prim != WIT_PRIM_NONE) {
          o_push(o, "(");
          type_name(o, t->fields[i].ty, 0);
          o_push(o, ")");
        }
        o_push(o, ",");
        o_newline(o);
      }
      o_indent_end(o);
      return;
    }
    case WIT_TD_OWN: case WIT_TD_BORROW:
      o_str(o, "type ");
      name(o, t->name);
      o_push(o, " = ");
      handle(o, t, 1);
      o_semicolon(o);
      return;
    default:
      if (!t->name) { o->bad = o->bad ? o->bad : "an unnamed type in a document"; return; }
      o_str(o, "type ");
      name(o, t->name);
      o_push(o, " = ");
      anon(o, t, 0);
      o_semicolon(o);
  }
}

static void path_to_interface(O *o, wit_id iface, wit_id cur_pkg) {
  const wit_interface *in = &o->r->interfaces[iface];
  if (in->package == cur_pkg) { name(o, in->name); return; }
  if (in->package >= o->r->n_packages) { o->bad = "an interface without a package"; return; }
  const wit_package_name *pn = &o->r->packages[in->package].name;
  name(o, pn->namespace_);
  o_push(o, ":");
  name(o, pn->name);
  o_push(o, "/");
  name(o, in->name);
  if (pn->version) {
    o_push(o, "@");
    o_push(o, pn->version);
  }
}

/* print_types: `use`s (grouped by consecutive source interface), then definitions. */
static void types(O *o, uint32_t owner_kind, wit_id owner, wit_id my_pkg, const wit_named_id *tv, uint32_t n,
                  const wit_function *const *funcs, uint32_t nf) {
  const wit_resolve *r = o->r;
  wit_id *decl = wk_calloc(n + 1, sizeof(wit_id));
  if (!decl) { o->b->oom = 1; return; }
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
        if (!other->name) { o->bad = "a use of an unnamed type"; continue; }
        if (other->owner_kind != WIT_OWNER_INTERFACE) { o->bad = "a use of a world's type"; continue; }
        if (open && g_owner == other->owner && wit_stab_eq(&t->stability, &g_ty->stability) &&
            ((!t->external_id && !g_ty->external_id) ||
             (t->external_id && g_ty->external_id && !strcmp(t->external_id, g_ty->external_id)))) {
          o_push(o, ", ");
        } else {
          if (open) { o_push(o, "}"); o_semicolon(o); }
          o->any_items = 1;
          stability(o, &t->stability);
          external_id(o, t->external_id);
          o_str(o, "use ");
          path_to_interface(o, other->owner, my_pkg);
          o_push(o, ".{");
          open = 1;
          g_owner = other->owner;
          g_ty = t;
        }
        if (!strcmp(tv[i].name, other->name)) {
          name(o, tv[i].name);
        } else {
          name(o, other->name);
          o_push(o, " as ");
          name(o, tv[i].name);
        }
        continue;
      }
    }
    decl[nd++] = tv[i].id;
  }
  if (open) { o_push(o, "}"); o_semicolon(o); }
  for (uint32_t i = 0; i < nd; i++) {
    const wit_typedef *t = &r->types[decl[i]];
    new_item(o);
    docs(o, t->docs);
    stability(o, &t->stability);
    external_id(o, t->external_id);
    if (t->kind == WIT_TD_RESOURCE) resource(o, decl[i], funcs, nf);
    else declare(o, decl[i]);
  }
  free(decl);
}

static int is_free(const wit_function *f) { return f->kind == WIT_FN_FREESTANDING || f->kind == WIT_FN_ASYNC_FREESTANDING; }

static void interface_body(O *o, wit_id iid) {
  int prev = o->any_items;
  o->any_items = 0;
  const wit_interface *in = &o->r->interfaces[iid];
  const wit_function **rf = wk_calloc(in->n_functions + 1, sizeof(void *));
  if (!rf) { o->b->oom = 1; return; }
  uint32_t nrf = 0;
  for (uint32_t i = 0; i < in->n_functions; i++) if (!is_free(&in->functions[i])) rf[nrf++] = &in->functions[i];
  types(o, WIT_OWNER_INTERFACE, iid, in->package, in->types, in->n_types, rf, nrf);
  for (uint32_t i = 0; i < in->n_functions; i++) {
    const wit_function *f = &o->r->interfaces[iid].functions[i];
    if (!is_free(f)) continue;
    new_item(o);
    docs(o, f->docs);
    stability(o, &f->stability);
    external_id(o, f->external_id);
    name(o, item_name(f));
    o_push(o, ": ");
    function(o, f);
    o_semicolon(o);
  }
  free(rf);
  o->any_items = prev;
}

static void world_item(O *o, const wit_world_item *it, wit_id pkg, const char *kw) {
  const wit_resolve *r = o->r;
  if (it->kind == WIT_ITEM_INTERFACE) {
    if (it->docs) docs(o, it->docs);
    else if (it->key_name) docs(o, r->interfaces[it->id].docs);
    stability(o, &it->stability);
    external_id(o, it->external_id);
  } else {
    docs(o, it->func.docs);
    stability(o, &it->func.stability);
    external_id(o, it->func.external_id);
  }
  o_str(o, kw);
  o_push(o, " ");
  if (it->kind == WIT_ITEM_FUNCTION) {
    name(o, it->func.name);
    o_push(o, ": ");
    function(o, &it->func);
    o_semicolon(o);
    return;
  }
  if (it->key_name) {
    name(o, it->key_name);
    o_push(o, ": ");
    if (!r->interfaces[it->id].name) {
      o_str(o, "interface");
      o_indent_start(o);
      interface_body(o, it->id);
      o_indent_end(o);
    } else {
      path_to_interface(o, it->id, pkg);
      o_semicolon(o);
    }
    return;
  }
  path_to_interface(o, it->id, pkg);
  o_semicolon(o);
}

static void world_body(O *o, wit_id wid) {
  int prev = o->any_items;
  o->any_items = 0;
  const wit_world *w = &o->r->worlds[wid];
  uint32_t n = w->n_imports;
  wit_named_id *tv = wk_calloc(n + 1, sizeof *tv);
  const wit_function **rf = wk_calloc(n + 1, sizeof(void *));
  const wit_world_item **fi = wk_calloc(n + 1, sizeof(void *));
  if (!tv || !rf || !fi) { free(tv); free(rf); free(fi); o->b->oom = 1; return; }
  uint32_t nt = 0, nrf = 0, nfi = 0;
  for (uint32_t i = 0; i < n; i++) {
    const wit_world_item *it = &w->imports[i];
    if (it->kind == WIT_ITEM_TYPE) {
      tv[nt].name = it->key_name;
      tv[nt++].id = it->id;
    } else if (it->kind == WIT_ITEM_FUNCTION) {
      if (!is_free(&it->func)) rf[nrf++] = &it->func;
      else fi[nfi++] = it;
    } else {
      world_item(o, it, w->package, "import");
      o->any_items = 1;
    }
  }
  types(o, WIT_OWNER_WORLD, wid, w->package, tv, nt, rf, nrf);
  for (uint32_t i = 0; i < nfi; i++) {
    world_item(o, fi[i], w->package, "import");
    o->any_items = 1;
  }
  if (w->n_exports) new_item(o);
  for (uint32_t i = 0; i < w->n_exports; i++) world_item(o, &w->exports[i], w->package, "export");
  free(tv);
  free(rf);
  free(fi);
  o->any_items = prev;
}

int wit_resolve_print_decoded(const wit_resolve *r, wit_id pkg, wk_buf *out, wk_error *err) {
  if (pkg >= r->n_packages) return wk_error_set(err, WK_ERR_USAGE, "no such package %u", pkg);
  O o = {r, out, 0, 0, 0, NULL};
  const wit_package *p = &r->packages[pkg];
  docs(&o, p->docs);
  o_str(&o, "package ");
  name(&o, p->name.namespace_);
  o_push(&o, ":");
  name(&o, p->name.name);
  if (p->name.version) {
    o_push(&o, "@");
    o_push(&o, p->name.version);
  }
  o_semicolon(&o);
  o_newline(&o);
  for (uint32_t i = 0; i < p->n_interfaces; i++) {
    wit_id iid = p->interfaces[i].id;
    docs(&o, r->interfaces[iid].docs);
    stability(&o, &r->interfaces[iid].stability);
    o_str(&o, "interface ");
    name(&o, p->interfaces[i].name);
    o_indent_start(&o);
    interface_body(&o, iid);
    o_indent_end(&o);
    o_newline(&o);
  }
  for (uint32_t i = 0; i < p->n_worlds; i++) {
    wit_id wid = p->worlds[i].id;
    docs(&o, r->worlds[wid].docs);
    stability(&o, &r->worlds[wid].stability);
    o_str(&o, "world ");
    name(&o, p->worlds[i].name);
    o_indent_start(&o);
    world_body(&o, wid);
    o_indent_end(&o);
  }
  if (out->oom) return wk_error_set(err, WK_ERR_NOMEM, "out of memory printing WIT");
  if (o.bad) return wk_error_set(err, WK_ERR_INVALID, "cannot print as WIT: %s", o.bad);
  return WK_OK;
}
