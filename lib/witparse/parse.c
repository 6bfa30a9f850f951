/* WIT parser: tokens -> AST (WIT.md "Top-level items", "Item: interface", "Item: world", ...).
 * Grammar and error texts follow wit-parser's ast.rs. */
#include "encode/semver.h"
#include "witparse/internal.h"

typedef struct P {
  wctx *c;
  lexer l;
  wk_arena *a;
} P;

static wit_span tspan(P *p, token t) { return wspan(p->l.file, t.start, t.end); }

static _Noreturn void err_expected(P *p, const char *what, token t) {
  if (t.kind == T_EOF) wfail(p->c, wspan(p->l.file, p->l.len, p->l.len), "expected %s, found eof", what);
  wfail(p->c, tspan(p, t), "expected %s, found %s", what, tok_describe(t.kind));
}

static token peek(P *p) {
  lexer save = p->l;
  token t = lex_next(&p->l);
  p->l = save;
  return t;
}
static int eat(P *p, int kind) {
  lexer save = p->l;
  token t = lex_next(&p->l);
  if (t.kind == kind) return 1;
  p->l = save;
  return 0;
}
static token expect(P *p, int kind) {
  token t = lex_next(&p->l);
  if (t.kind != kind) {
    if (t.kind == T_EOF)
      wfail(p->c, wspan(p->l.file, p->l.len, p->l.len), "expected %s, found eof", tok_describe(kind));
    char exp[64];
    snprintf(exp, sizeof exp, "%s", tok_describe(kind));
    wfail(p->c, wspan(p->l.file, t.start, t.start + 1), "expected %s, found %s", exp, tok_describe(t.kind));
  }
  return t;
}

static ast_id parse_id(P *p) {
  token t = lex_next(&p->l);
  ast_id id = {0};
  if (t.kind == T_ID) {
    wit_check_id(p->c, p->l.file, t.start, p->l.src + t.start, t.end - t.start);
    id.name = wstrdup(p->c, p->a, p->l.src + t.start, t.end - t.start);
  } else if (t.kind == T_EXPLICIT_ID) {
    wit_check_id(p->c, p->l.file, t.start, p->l.src + t.start + 1, t.end - t.start - 1);
    id.name = wstrdup(p->c, p->a, p->l.src + t.start + 1, t.end - t.start - 1);
  } else {
    err_expected(p, "an identifier or string", t);
  }
  id.span = tspan(p, t);
  return id;
}

/* ---- semver (semver.org 2.0.0; WIT.md "Package declaration": a full MAJOR.MINOR.PATCH) ---- */
/* Returns NULL if `s` is a valid semver, else an error message (lib/encode's one version parser). */
static const char *semver_check(const char *s) {
  wk_semver v;
  const char *e = wk_semver_check(s, strlen(s), &v);
  return e ? e : v.nparts < 3 ? "unexpected end of input while parsing version" : NULL;
}

static void eat_ids(P *p, int prefix, uint32_t *end) {
  if (!eat(p, prefix)) return;
  for (;;) {
    lexer save = p->l;
    token t = lex_next(&p->l);
    if (t.kind == T_ID || t.kind == T_INTEGER || t.kind == T_MINUS) { *end = t.end; continue; }
    if (t.kind == T_PERIOD) {
      token u = lex_next(&p->l);
      if (u.kind == T_ID || u.kind == T_INTEGER || u.kind == T_MINUS) { *end = u.end; continue; }
    }
    p->l = save;
    return;
  }
}

static const char *parse_version(P *p, wit_span *sp) {
  uint32_t start = expect(p, T_INTEGER).start;
  expect(p, T_PERIOD);
  expect(p, T_INTEGER);
  expect(p, T_PERIOD);
  uint32_t end = expect(p, T_INTEGER).end;
  eat_ids(p, T_MINUS, &end);
  eat_ids(p, T_PLUS, &end);
  char *v = wstrdup(p->c, p->a, p->l.src + start, end - start);
  *sp = wspan(p->l.file, start, end);
  const char *e = semver_check(v);
  if (e) wfail(p->c, *sp, "%s", e);
  return v;
}

static void parse_docs(P *p, ast_docs *d) {
  memset(d, 0, sizeof *d);
  d->span = wspan_none();
  for (;;) {
    lexer save = p->l;
    token t = lex_raw(&p->l);
    if (t.kind == T_WS) continue;
    if (t.kind == T_COMMENT) {
      uint32_t i = WPUSH(p->c, p->a, d->lines, d->n, d->cap);
      d->lines[i] = wstrdup(p->c, p->a, p->l.src + t.start, t.end - t.start);
      uint32_t e = t.end;
      while (e > t.start && (p->l.src[e - 1] == ' ' || p->l.src[e - 1] == '\n' || p->l.src[e - 1] == '\t' ||
                             p->l.src[e - 1] == '\r'))
        e--;
      if (d->span.file == WIT_NONE) d->span = wspan(p->l.file, t.start, e);
      d->span.end = e;
      continue;
    }
    p->l = save;
    return;
  }
}

static char *parse_string_lit(P *p, token t) {
  wk_buf b = {0};
  const char *s = p->l.src;
  for (uint32_t i = t.start + 1; i + 1 < t.end;) {
    char ch = s[i++];
    if (ch != '\\') { wk_buf_byte(&b, (uint8_t)ch); continue; }
    char e = s[i++];
    switch (e) {
    case '"': wk_buf_byte(&b, '"'); break;
    case '\'': wk_buf_byte(&b, '\''); break;
    case 't': wk_buf_byte(&b, '\t'); break;
    case 'n': wk_buf_byte(&b, '\n'); break;
    case 'r': wk_buf_byte(&b, '\r'); break;
    case '\\': wk_buf_byte(&b, '\\'); break;
    case 'u': {
      if (s[i] != '{') { wk_buf_free(&b); wfail(p->c, wspan(p->l.file, i, i + 1), "expected character '{'"); }
      i++;
      uint32_t v = 0;
      int nd = 0;
      while (i < t.end && ((s[i] >= '0' && s[i] <= '9') || ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'f') || s[i] == '_')) {
        if (s[i] != '_') {
          int d = s[i] <= '9' ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10;
          if (v > 0x10FFFF) { wk_buf_free(&b); wfail(p->c, wspan(p->l.file, i, i + 1), "number is too big to fit in a u32"); }
          v = v * 16 + (uint32_t)d;
          nd++;
        }
        i++;
      }
      if (!nd || s[i] != '}' || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        wk_buf_free(&b);
        wfail(p->c, wspan(p->l.file, i, i + 1), "invalid unicode value %#x", v);
      }
      i++;
      uint8_t u[4];
      int n;
      if (v < 0x80) { u[0] = (uint8_t)v; n = 1; }
      else if (v < 0x800) { u[0] = (uint8_t)(0xC0 | v >> 6); u[1] = (uint8_t)(0x80 | (v & 63)); n = 2; }
      else if (v < 0x10000) { u[0] = (uint8_t)(0xE0 | v >> 12); u[1] = (uint8_t)(0x80 | ((v >> 6) & 63)); u[2] = (uint8_t)(0x80 | (v & 63)); n = 3; }
      else { u[0] = (uint8_t)(0xF0 | v >> 18); u[1] = (uint8_t)(0x80 | ((v >> 12) & 63)); u[2] = (uint8_t)(0x80 | ((v >> 6) & 63)); u[3] = (uint8_t)(0x80 | (v & 63)); n = 4; }
      wk_buf_append(&b, u, (size_t)n);
      break;
    }
    default: {
      int h1 = (e >= '0' && e <= '9') || ((e | 0x20) >= 'a' && (e | 0x20) <= 'f');
      char e2 = s[i];
      int h2 = (e2 >= '0' && e2 <= '9') || ((e2 | 0x20) >= 'a' && (e2 | 0x20) <= 'f');
      if (h1 && h2) {
        int d1 = e <= '9' ? e - '0' : (e | 0x20) - 'a' + 10, d2 = e2 <= '9' ? e2 - '0' : (e2 | 0x20) - 'a' + 10;
        wk_buf_byte(&b, (uint8_t)(d1 * 16 + d2));
        i++;
      } else {
        wk_buf_free(&b);
        wfail(p->c, wspan(p->l.file, i - 1, i), "invalid string escape '%c'", e);
      }
    }
    }
  }
  char *r = wstrdup(p->c, p->a, b.data ? (const char *)b.data : "", b.len);
  int oom = b.oom;
  wk_buf_free(&b);
  if (oom) woom(p->c);
  return r;
}

static void eat_id_named(P *p, const char *want) {
  ast_id id = parse_id(p);
  if (strcmp(id.name, want)) wfail(p->c, id.span, "expected `%s`, found `%s`", want, id.name);
}

static void parse_attrs(P *p, ast_attrs *as) {
  memset(as, 0, sizeof *as);
  while (eat(p, T_AT)) {
    ast_id id = parse_id(p);
    ast_attr at = {0};
    at.span = id.span;
    wit_span vs;
    if (!strcmp(id.name, "since")) {
      expect(p, T_LPAREN);
      eat_id_named(p, "version");
      expect(p, T_EQ);
      at.kind = ATTR_SINCE;
      at.value = parse_version(p, &vs);
      expect(p, T_RPAREN);
    } else if (!strcmp(id.name, "unstable")) {
      expect(p, T_LPAREN);
      eat_id_named(p, "feature");
      expect(p, T_EQ);
      at.kind = ATTR_UNSTABLE;
      at.value = parse_id(p).name;
      expect(p, T_RPAREN);
    } else if (!strcmp(id.name, "deprecated")) {
      expect(p, T_LPAREN);
      eat_id_named(p, "version");
      expect(p, T_EQ);
      at.kind = ATTR_DEPRECATED;
      at.value = parse_version(p, &vs);
      expect(p, T_RPAREN);
    } else if (!strcmp(id.name, "external-id")) {
      expect(p, T_LPAREN);
      token t = expect(p, T_STRING);
      at.kind = ATTR_EXTERNAL_ID;
      at.value = parse_string_lit(p, t);
      expect(p, T_RPAREN);
    } else {
      wfail(p->c, id.span, "unknown attribute `%s`", id.name);
    }
    uint32_t i = WPUSH(p->c, p->a, as->v, as->n, as->cap);
    as->v[i] = at;
  }
}

static ast_type *new_type(P *p, int kind, token t) {
  ast_type *ty = walloc(p->c, p->a, sizeof *ty);
  ty->kind = kind;
  ty->span = tspan(p, t);
  return ty;
}

static ast_type *parse_type(P *p, int depth) {
  token t = lex_next(&p->l);
  if (depth >= WIT_MAX_TYPE_DEPTH) {
    if (t.kind == T_EOF) wfail(p->c, wspan(p->l.file, p->l.len, p->l.len), "type nesting too deep");
    wfail(p->c, tspan(p, t), "type nesting too deep");
  }
  ast_type *ty;
  uint32_t prim = 0;
  switch (t.kind) {
  case T_BOOL: prim = WIT_PRIM_BOOL; break;
  case T_U8: prim = WIT_PRIM_U8; break;
  case T_U16: prim = WIT_PRIM_U16; break;
  case T_U32: prim = WIT_PRIM_U32; break;
  case T_U64: prim = WIT_PRIM_U64; break;
  case T_S8: prim = WIT_PRIM_S8; break;
  case T_S16: prim = WIT_PRIM_S16; break;
  case T_S32: prim = WIT_PRIM_S32; break;
  case T_S64: prim = WIT_PRIM_S64; break;
  case T_F32: prim = WIT_PRIM_F32; break;
  case T_F64: prim = WIT_PRIM_F64; break;
  case T_CHAR: prim = WIT_PRIM_CHAR; break;
  case T_STRING_: prim = WIT_PRIM_STRING; break;
  case T_ERROR_CONTEXT: prim = WIT_PRIM_ERROR_CONTEXT; break;
  case T_TUPLE:
    ty = new_type(p, AT_TUPLE, t);
    expect(p, T_LT);
    for (;;) {
      ast_docs d;
      parse_docs(p, &d);
      if (eat(p, T_GT)) break;
      ast_type *e = parse_type(p, depth + 1);
      uint32_t i = WPUSH(p->c, p->a, ty->elems, ty->n, ty->cap);
      ty->elems[i] = e;
      if (!eat(p, T_COMMA)) { expect(p, T_GT); break; }
    }
    return ty;
  case T_LIST: {
    ty = new_type(p, AT_LIST, t);
    expect(p, T_LT);
    ty->a = parse_type(p, depth + 1);
    if (eat(p, T_COMMA)) {
      token n = lex_next(&p->l);
      if (n.kind != T_INTEGER) err_expected(p, "fixed-length", n);
      uint64_t v = 0;
      for (uint32_t i = n.start; i < n.end; i++) {
        v = v * 10 + (uint64_t)(p->l.src[i] - '0');
        if (v > UINT32_MAX) wfail(p->c, tspan(p, n), "invalid list size: number too large to fit in target type");
      }
      ty->kind = AT_FIXED;
      ty->size = (uint32_t)v;
    }
    expect(p, T_GT);
    return ty;
  }
  case T_MAP:
    ty = new_type(p, AT_MAP, t);
    expect(p, T_LT);
    ty->a = parse_type(p, depth + 1);
    expect(p, T_COMMA);
    ty->b = parse_type(p, depth + 1);
    expect(p, T_GT);
    return ty;
  case T_OPTION:
    ty = new_type(p, AT_OPTION, t);
    expect(p, T_LT);
    ty->a = parse_type(p, depth + 1);
    expect(p, T_GT);
    return ty;
  case T_RESULT:
    ty = new_type(p, AT_RESULT, t);
    if (eat(p, T_LT)) {
      if (eat(p, T_UNDERSCORE)) {
        expect(p, T_COMMA);
        ty->b = parse_type(p, depth + 1);
      } else {
        ty->a = parse_type(p, depth + 1);
        if (eat(p, T_COMMA)) ty->b = parse_type(p, depth + 1);
      }
      expect(p, T_GT);
    }
    return ty;
  case T_FUTURE:
  case T_STREAM:
    ty = new_type(p, t.kind == T_FUTURE ? AT_FUTURE : AT_STREAM, t);
    if (eat(p, T_LT)) {
      ty->a = parse_type(p, depth + 1);
      expect(p, T_GT);
    }
    return ty;
  case T_OWN:
  case T_BORROW:
    ty = new_type(p, t.kind == T_OWN ? AT_OWN : AT_BORROW, t);
    expect(p, T_LT);
    ty->name = parse_id(p);
    expect(p, T_GT);
    ty->span = ty->name.span;
    return ty;
  case T_ID:
  case T_EXPLICIT_ID:
    p->l.pos = t.start;
    ty = new_type(p, AT_NAME, t);
    ty->name = parse_id(p);
    return ty;
  default:
    err_expected(p, "a type", t);
  }
  ty = new_type(p, AT_PRIM, t);
  ty->prim = prim;
  return ty;
}

static void parse_params(P *p, ast_func *f) {
  for (;;) {
    ast_docs d;
    parse_docs(p, &d);
    if (eat(p, T_RPAREN)) break;
    ast_param pa;
    pa.name = parse_id(p);
    expect(p, T_COLON);
    pa.ty = parse_type(p, 0);
    uint32_t i = WPUSH(p->c, p->a, f->params, f->n, f->cap);
    f->params[i] = pa;
    if (!eat(p, T_COMMA)) { expect(p, T_RPAREN); break; }
  }
}

static void parse_func(P *p, ast_func *f) {
  memset(f, 0, sizeof *f);
  f->async_ = eat(p, T_ASYNC);
  token t = expect(p, T_FUNC);
  f->span = tspan(p, t);
  expect(p, T_LPAREN);
  parse_params(p, f);
  if (eat(p, T_RARROW)) f->result = parse_type(p, 0);
}

/* `{ a, b, c }` lists with docs per element; cb parses one element. */
typedef void (*elem_cb)(P *p, ast_docs *d, void *ctx);
static void parse_list(P *p, elem_cb cb, void *ctx) {
  expect(p, T_LBRACE);
  for (;;) {
    ast_docs d;
    parse_docs(p, &d);
    if (eat(p, T_RBRACE)) break;
    cb(p, &d, ctx);
    if (!eat(p, T_COMMA)) { expect(p, T_RBRACE); break; }
  }
}

static void cb_field(P *p, ast_docs *d, void *ctx) {
  ast_typedef *td = ctx;
  uint32_t i = WPUSH(p->c, p->a, td->cases, td->n, td->cap);
  ast_case *cs = &td->cases[i];
  cs->docs = *d;
  cs->name = parse_id(p);
  if (td->kind == TD_RECORD) {
    expect(p, T_COLON);
    cs->ty = parse_type(p, 0);
  } else if (td->kind == TD_VARIANT) {
    if (eat(p, T_LPAREN)) {
      cs->ty = parse_type(p, 0);
      expect(p, T_RPAREN);
    }
  }
}

static ast_typedef *parse_typedef(P *p, ast_docs *docs, ast_attrs *attrs) {
  ast_typedef *td = walloc(p->c, p->a, sizeof *td);
  td->docs = *docs;
  td->attrs = *attrs;
  token t = lex_next(&p->l);
  switch (t.kind) {
  case T_TYPE:
    td->kind = TD_ALIAS;
    td->name = parse_id(p);
    expect(p, T_EQ);
    td->ty = parse_type(p, 0);
    expect(p, T_SEMI);
    return td;
  case T_RECORD: td->kind = TD_RECORD; break;
  case T_FLAGS: td->kind = TD_FLAGS; break;
  case T_VARIANT: td->kind = TD_VARIANT; break;
  case T_ENUM: td->kind = TD_ENUM; break;
  case T_RESOURCE: {
    td->kind = TD_RESOURCE;
    td->name = parse_id(p);
    if (eat(p, T_LBRACE)) {
      while (!eat(p, T_RBRACE)) {
        ast_docs d;
        ast_attrs at;
        parse_docs(p, &d);
        parse_attrs(p, &at);
        uint32_t i = WPUSH(p->c, p->a, td->funcs, td->nf, td->capf);
        ast_named_func *nf = &td->funcs[i];
        nf->docs = d;
        nf->attrs = at;
        token u = peek(p);
        if (u.kind == T_CONSTRUCTOR) {
          lex_next(&p->l);
          nf->rkind = RF_CTOR;
          nf->name.name = "constructor";
          nf->name.span = tspan(p, u);
          nf->func.span = tspan(p, u);
          expect(p, T_LPAREN);
          parse_params(p, &nf->func);
          if (eat(p, T_RARROW)) nf->func.result = parse_type(p, 0);
          expect(p, T_SEMI);
        } else if (u.kind == T_ID || u.kind == T_EXPLICIT_ID) {
          nf->name = parse_id(p);
          expect(p, T_COLON);
          nf->rkind = eat(p, T_STATIC) ? RF_STATIC : RF_METHOD;
          parse_func(p, &nf->func);
          expect(p, T_SEMI);
        } else {
          err_expected(p, "`constructor` or identifier", u);
        }
      }
    } else {
      expect(p, T_SEMI);
    }
    return td;
  }
  default:
    err_expected(p, "a type definition", t);
  }
  td->name = parse_id(p);
  parse_list(p, cb_field, td);
  return td;
}

static void parse_usepath(P *p, ast_usepath *u) {
  memset(u, 0, sizeof *u);
  ast_id id = parse_id(p);
  if (eat(p, T_COLON)) {
    u->is_pkg = 1;
    u->pkg.ns = id;
    u->pkg.name = parse_id(p);
    expect(p, T_SLASH);
    u->name = parse_id(p);
    u->pkg.span = wspan(p->l.file, id.span.start, u->pkg.name.span.end);
    if (eat(p, T_AT)) u->pkg.version = parse_version(p, &u->pkg.vspan);
  } else {
    u->name = id;
  }
}

static ast_use *parse_use(P *p, ast_attrs *attrs) {
  ast_use *u = walloc(p->c, p->a, sizeof *u);
  u->attrs = *attrs;
  expect(p, T_USE);
  parse_usepath(p, &u->from);
  expect(p, T_PERIOD);
  expect(p, T_LBRACE);
  while (!eat(p, T_RBRACE)) {
    uint32_t i = WPUSH(p->c, p->a, u->names, u->n, u->cap);
    u->names[i].name = parse_id(p);
    if (eat(p, T_AS)) u->names[i].as = parse_id(p);
    if (!eat(p, T_COMMA)) { expect(p, T_RBRACE); break; }
  }
  expect(p, T_SEMI);
  return u;
}

static void parse_iface_items(P *p, ast_iface_item **items, uint32_t *n, uint32_t *cap) {
  expect(p, T_LBRACE);
  for (;;) {
    ast_docs d;
    parse_docs(p, &d);
    if (eat(p, T_RBRACE)) break;
    ast_attrs at;
    parse_attrs(p, &at);
    uint32_t i = wpush(p->c, p->a, (void **)items, n, cap, sizeof **items);
    ast_iface_item *it = &(*items)[i];
    token t = peek(p);
    switch (t.kind) {
    case T_TYPE: case T_FLAGS: case T_ENUM: case T_VARIANT: case T_RESOURCE: case T_RECORD:
      it->kind = II_TYPEDEF;
      it->td = parse_typedef(p, &d, &at);
      break;
    case T_ID: case T_EXPLICIT_ID: {
      it->kind = II_FUNC;
      ast_named_func *f = walloc(p->c, p->a, sizeof *f);
      f->docs = d;
      f->attrs = at;
      f->name = parse_id(p);
      expect(p, T_COLON);
      parse_func(p, &f->func);
      expect(p, T_SEMI);
      it->fn = f;
      break;
    }
    case T_USE:
      it->kind = II_USE;
      it->use = parse_use(p, &at);
      break;
    default:
      err_expected(p, "`type`, `resource` or `func`", t);
    }
  }
}

static void parse_extern(P *p, ast_extern *e) {
  memset(e, 0, sizeof *e);
  lexer save = p->l;
  ast_id id = parse_id(p);
  if (eat(p, T_COLON)) {
    token t = peek(p);
    if (t.kind == T_FUNC || t.kind == T_ASYNC) {
      e->kind = EK_FUNC;
      e->id = id;
      parse_func(p, &e->func);
      expect(p, T_SEMI);
      return;
    }
    if (eat(p, T_INTERFACE)) {
      e->kind = EK_INTERFACE;
      e->id = id;
      parse_iface_items(p, &e->items, &e->n, &e->cap);
      return;
    }
    /* `label: path` unless the tokens are `id /` (a qualified ns:pkg/iface path) */
    lexer s2 = p->l;
    token a = lex_next(&p->l);
    token b = lex_next(&p->l);
    p->l = s2;
    int qualified = (a.kind == T_ID || a.kind == T_EXPLICIT_ID) && b.kind == T_SLASH;
    if (!qualified) {
      e->kind = EK_NAMED_PATH;
      e->id = id;
      parse_usepath(p, &e->path);
      expect(p, T_SEMI);
      return;
    }
  }
  p->l = save;
  e->kind = EK_PATH;
  parse_usepath(p, &e->path);
  e->id = e->path.is_pkg ? e->path.pkg.ns : e->path.name;
  if (e->path.is_pkg) e->id.span = e->path.pkg.span;
  expect(p, T_SEMI);
}

static void cb_include_name(P *p, ast_docs *d, void *ctx) {
  (void)d;
  ast_include *inc = ctx;
  uint32_t i = WPUSH(p->c, p->a, inc->names, inc->n, inc->cap);
  inc->names[i].name = parse_id(p);
  expect(p, T_AS);
  inc->names[i].as = parse_id(p);
}

static ast_world *parse_world(P *p, ast_docs *docs, ast_attrs *attrs) {
  ast_world *w = walloc(p->c, p->a, sizeof *w);
  w->docs = *docs;
  w->attrs = *attrs;
  expect(p, T_WORLD);
  w->name = parse_id(p);
  expect(p, T_LBRACE);
  for (;;) {
    ast_docs d;
    parse_docs(p, &d);
    if (eat(p, T_RBRACE)) break;
    ast_attrs at;
    parse_attrs(p, &at);
    uint32_t i = WPUSH(p->c, p->a, w->items, w->n, w->cap);
    ast_world_item *it = &w->items[i];
    it->docs = d;
    it->attrs = at;
    token t = peek(p);
    switch (t.kind) {
    case T_IMPORT:
    case T_EXPORT:
      lex_next(&p->l);
      it->kind = t.kind == T_IMPORT ? WI_IMPORT : WI_EXPORT;
      parse_extern(p, &it->ext);
      break;
    case T_USE:
      it->kind = WI_USE;
      it->use = parse_use(p, &at);
      break;
    case T_TYPE: case T_FLAGS: case T_RESOURCE: case T_RECORD: case T_VARIANT: case T_ENUM:
      it->kind = WI_TYPE;
      it->td = parse_typedef(p, &d, &at);
      break;
    case T_INCLUDE: {
      lex_next(&p->l);
      it->kind = WI_INCLUDE;
      ast_include *inc = walloc(p->c, p->a, sizeof *inc);
      inc->attrs = at;
      parse_usepath(p, &inc->from);
      if (eat(p, T_WITH)) parse_list(p, cb_include_name, inc);
      else expect(p, T_SEMI);
      it->inc = inc;
      break;
    }
    default:
      err_expected(p, "`import`, `export`, `include`, `use`, or type definition", t);
    }
  }
  return w;
}

static void parse_pkgname(P *p, ast_pkgname *pn, ast_docs *docs) {
  memset(pn, 0, sizeof *pn);
  pn->docs = *docs;
  pn->ns = parse_id(p);
  expect(p, T_COLON);
  pn->name = parse_id(p);
  uint32_t end = pn->name.span.end;
  if (eat(p, T_AT)) {
    pn->version = parse_version(p, &pn->vspan);
    end = pn->vspan.end;
  }
  pn->span = wspan(p->l.file, pn->ns.span.start, end);
}

static void parse_decls(P *p, ast_file *f, int until_brace, int depth);

static void parse_item(P *p, ast_file *f, ast_docs *docs, int depth) {
  ast_attrs at;
  parse_attrs(p, &at);
  token t = peek(p);
  uint32_t i = WPUSH(p->c, p->a, f->items, f->n, f->cap);
  ast_item *it = &f->items[i];
  switch (t.kind) {
  case T_INTERFACE: {
    it->kind = AI_INTERFACE;
    ast_interface *in = walloc(p->c, p->a, sizeof *in);
    in->docs = *docs;
    in->attrs = at;
    lex_next(&p->l);
    in->name = parse_id(p);
    parse_iface_items(p, &in->items, &in->n, &in->cap);
    f->items[i].iface = in;
    break;
  }
  case T_WORLD:
    it->kind = AI_WORLD;
    {
      ast_world *w = parse_world(p, docs, &at);
      f->items[i].world = w;
    }
    break;
  case T_USE: {
    it->kind = AI_USE;
    ast_top_use *u = walloc(p->c, p->a, sizeof *u);
    token ut = lex_next(&p->l);
    u->span = tspan(p, ut);
    u->attrs = at;
    parse_usepath(p, &u->item);
    if (eat(p, T_AS)) u->as = parse_id(p);
    expect(p, T_SEMI);
    f->items[i].use = u;
    break;
  }
  case T_PACKAGE: {
    it->kind = AI_PACKAGE;
    token pt = lex_next(&p->l);
    if (at.n) wfail(p->c, tspan(p, pt), "cannot place attributes on nested packages");
    if (depth >= WIT_MAX_ITEM_DEPTH) wfail(p->c, tspan(p, pt), "package nesting too deep");
    ast_file *nf = walloc(p->c, p->a, sizeof *nf);
    nf->file = p->l.file;
    nf->has_pkg = 1;
    parse_pkgname(p, &nf->pkg, docs);
    expect(p, T_LBRACE);
    parse_decls(p, nf, 1, depth + 1);
    f->items[i].pkg = nf;
    break;
  }
  default:
    err_expected(p, "`world`, `interface` or `use`", t);
  }
}

static void parse_decls(P *p, ast_file *f, int until_brace, int depth) {
  ast_docs docs;
  parse_docs(p, &docs);
  for (;;) {
    if (until_brace) {
      if (eat(p, T_RBRACE)) break;
    } else if (peek(p).kind == T_EOF) {
      break;
    }
    parse_item(p, f, &docs, depth);
    parse_docs(p, &docs);
  }
}

ast_file *wit_parse_file(wctx *c, uint32_t file) {
  P p;
  p.c = c;
  p.a = c->tmp;
  wit_file *wf = &c->r->files[file];
  lex_init(c, &p.l, file, wf->text, (uint32_t)wf->len);
  ast_file *f = walloc(c, p.a, sizeof *f);
  f->file = file;
  /* `package a:b;` header (but not `package a:b { ... }`, which is an item) */
  lexer save = p.l;
  ast_docs docs;
  parse_docs(&p, &docs);
  if (eat(&p, T_PACKAGE)) {
    ast_pkgname pn;
    parse_pkgname(&p, &pn, &docs);
    if (eat(&p, T_SEMI)) {
      f->has_pkg = 1;
      f->pkg = pn;
    } else {
      p.l = save;
    }
  } else {
    p.l = save;
  }
  parse_decls(&p, f, 0, 0);
  return f;
}
