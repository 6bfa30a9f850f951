/* lib/compose: the WAC language (bytecodealliance/wac LANGUAGE.md "WAC
 * Grammar"): a lexer, a parser for the whole grammar (type statements are
 * checked for syntax and kept only as spans), and the evaluation of
 * imports, `let`, `new`, access and `export` into a composition graph. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "compose/compose.h"
#include "compose/internal.h"
#include "witparse/witparse.h"

/* ---- lexer ---- */

enum {
  T_EOF = 0, T_ID, T_STR, T_VER, T_SEMI, T_COLON, T_COMMA, T_DOT, T_LBRACE, T_RBRACE, T_LPAREN, T_RPAREN,
  T_LBRACK, T_RBRACK, T_LT, T_GT, T_EQ, T_ARROW, T_ELLIPSIS, T_AT, T_SLASH, T_UNDERSCORE,
};

typedef struct tok {
  int kind;
  uint32_t start, end; /* byte range */
  int pct;             /* id written with a leading % (never a keyword) */
} tok;

typedef struct P {
  const char *s;
  uint32_t n, pos;
  tok t;       /* current token */
  int after_at; /* the next token is a version */
  wkc_diag *d;
  int failed;
  wk_arena *a;
  int depth;
  uint32_t prev_end; /* end of the previous token (end-of-input errors point at its last byte, as wac) */
} P;

static void lc(const char *s, uint32_t off, uint32_t *line, uint32_t *col) {
  uint32_t l = 1, c = 1;
  for (uint32_t i = 0; i < off; i++) {
    if (s[i] == '\n') { l++; c = 1; }
    else if (((unsigned char)s[i] & 0xC0) != 0x80) c++;
  }
  *line = l;
  *col = c;
}

static int perr(P *p, uint32_t start, uint32_t end, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int perr(P *p, uint32_t start, uint32_t end, const char *fmt, ...) {
  if (p->failed) return -1;
  p->failed = 1;
  if (start >= p->n && p->t.kind == T_EOF && p->prev_end > 0) { start = p->prev_end - 1; end = p->prev_end; }
  va_list ap;
  va_start(ap, fmt);
  char m[400];
  vsnprintf(m, sizeof m, fmt, ap);
  va_end(ap);
  uint32_t l, c;
  lc(p->s, start, &l, &c);
  wk_error_at_line(&p->d->err, WK_ERR_MALFORMED, l, c, "%s", m);
  p->d->start = start;
  p->d->end = end > start ? end : start + 1;
  return -1;
}

static int is_idc(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'; }

static int skip_ws(P *p) {
  for (;;) {
    while (p->pos < p->n && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
      p->pos++;
    if (p->pos + 1 < p->n && p->s[p->pos] == '/' && p->s[p->pos + 1] == '/') {
      while (p->pos < p->n && p->s[p->pos] != '\n') p->pos++;
      continue;
    }
    if (p->pos + 1 < p->n && p->s[p->pos] == '/' && p->s[p->pos + 1] == '*') {
      uint32_t st = p->pos, depth = 0;
      while (p->pos < p->n) {
        if (p->pos + 1 < p->n && p->s[p->pos] == '/' && p->s[p->pos + 1] == '*') { depth++; p->pos += 2; continue; }
        if (p->pos + 1 < p->n && p->s[p->pos] == '*' && p->s[p->pos + 1] == '/') {
          p->pos += 2;
          if (--depth == 0) break;
          continue;
        }
        p->pos++;
      }
      if (depth) return perr(p, st, st + 2, "unterminated block comment");
      continue;
    }
    return 0;
  }
}

static int next(P *p) {
  if (p->failed) { p->t.kind = T_EOF; return -1; }
  if (p->t.end > p->t.start) p->prev_end = p->t.end;
  if (skip_ws(p)) { p->t.kind = T_EOF; return -1; }
  tok t = {T_EOF, p->pos, p->pos, 0};
  if (p->pos >= p->n) { p->t = t; return 0; }
  char c = p->s[p->pos];
  if (p->after_at) {
    /* a semver: digits, letters, '.', '-', '+' */
    p->after_at = 0;
    while (p->pos < p->n && (is_idc(p->s[p->pos]) || p->s[p->pos] == '+' ||
                             (p->s[p->pos] == '.' && p->pos + 1 < p->n && is_idc(p->s[p->pos + 1]))))
      p->pos++;
    t.kind = T_VER;
    t.end = p->pos;
    p->t = t;
    return 0;
  }
  if (c == '%' || (is_idc(c) && c != '-')) {
    if (c == '%') { t.pct = 1; p->pos++; }
    uint32_t st = p->pos;
    while (p->pos < p->n && is_idc(p->s[p->pos])) p->pos++;
    if (p->pos == st) return perr(p, t.start, t.start + 1, "expected an identifier after `%%`");
    t.kind = T_ID;
    if (p->pos - st == 1 && p->s[st] == '_' ) t.kind = T_UNDERSCORE;
    t.end = p->pos;
    p->t = t;
    return 0;
  }
  if (c == '_') { p->pos++; t.kind = T_UNDERSCORE; t.end = p->pos; p->t = t; return 0; }
  if (c == '"') {
    p->pos++;
    while (p->pos < p->n && p->s[p->pos] != '"' && p->s[p->pos] != '\n') p->pos++;
    if (p->pos >= p->n || p->s[p->pos] != '"') return perr(p, t.start, p->pos, "unterminated string");
    p->pos++;
    t.kind = T_STR;
    t.end = p->pos;
    p->t = t;
    return 0;
  }
  p->pos++;
  switch (c) {
    case ';': t.kind = T_SEMI; break;
    case ':': t.kind = T_COLON; break;
    case ',': t.kind = T_COMMA; break;
    case '{': t.kind = T_LBRACE; break;
    case '}': t.kind = T_RBRACE; break;
    case '(': t.kind = T_LPAREN; break;
    case ')': t.kind = T_RPAREN; break;
    case '[': t.kind = T_LBRACK; break;
    case ']': t.kind = T_RBRACK; break;
    case '<': t.kind = T_LT; break;
    case '>': t.kind = T_GT; break;
    case '=': t.kind = T_EQ; break;
    case '@': t.kind = T_AT; p->after_at = 1; break;
    case '/': t.kind = T_SLASH; break;
    case '-':
      if (p->pos < p->n && p->s[p->pos] == '>') { p->pos++; t.kind = T_ARROW; break; }
      return perr(p, t.start, p->pos, "unexpected character `-`");
    case '.':
      if (p->pos + 1 < p->n && p->s[p->pos] == '.' && p->s[p->pos + 1] == '.') { p->pos += 2; t.kind = T_ELLIPSIS; }
      else t.kind = T_DOT;
      break;
    default: {
      unsigned char u = (unsigned char)c;
      uint32_t e = p->pos;
      while (e < p->n && ((unsigned char)p->s[e] & 0xC0) == 0x80) e++;
      if (u >= 0x20 && u < 0x7f) return perr(p, t.start, e, "unexpected character `%c`", c);
      return perr(p, t.start, e, "unexpected character");
    }
  }
  t.end = p->pos;
  p->t = t;
  return 0;
}

static const char *tok_desc(int k) {
  static const char *d[] = {"end of input", "identifier", "string", "version", "`;`", "`:`", "`,`", "`.`", "`{`",
                            "`}`", "`(`", "`)`", "`[`", "`]`", "`<`", "`>`", "`=`", "`->`", "`...`", "`@`", "`/`", "`_`"};
  return k >= 0 && k <= T_UNDERSCORE ? d[k] : "token";
}

static int kw(P *p, const char *w) {
  size_t n = strlen(w);
  return p->t.kind == T_ID && !p->t.pct && p->t.end - p->t.start == n && !memcmp(p->s + p->t.start, w, n);
}

static int expect(P *p, int kind, const char *what) {
  if (p->failed) return -1;
  if (p->t.kind != kind)
    return perr(p, p->t.start, p->t.end, "expected %s, found %s", what ? what : tok_desc(kind), tok_desc(p->t.kind));
  return next(p);
}

static int expect_kw(P *p, const char *w) {
  if (p->failed) return -1;
  if (!kw(p, w)) return perr(p, p->t.start, p->t.end, "expected keyword `%s`, found %s", w, tok_desc(p->t.kind));
  return next(p);
}

static const char *const KEYWORDS[] = {"package", "targets", "import", "as", "let", "new", "export", "interface",
                                       "world", "use", "include", "with", "type", "resource", "constructor",
                                       "static", "func", "variant", "record", "flags", "enum", "tuple", "list",
                                       "option", "result", "borrow", "u8", "s8", "u16", "s16", "u32", "s32", "u64",
                                       "s64", "f32", "f64", "char", "bool", "string", NULL};

static int is_keyword_tok(P *p) {
  if (p->t.kind != T_ID || p->t.pct) return 0;
  for (int i = 0; KEYWORDS[i]; i++)
    if (kw(p, KEYWORDS[i])) return 1;
  return 0;
}

/* id: `%`? kebab words (WIT.md "Identifiers"); returns its text (without %) in the arena */
static char *ident(P *p, uint32_t *start) {
  if (p->failed) return NULL;
  if (p->t.kind != T_ID) { perr(p, p->t.start, p->t.end, "expected an identifier, found %s", tok_desc(p->t.kind)); return NULL; }
  if (is_keyword_tok(p)) {
    perr(p, p->t.start, p->t.end, "expected an identifier, found keyword `%.*s`", (int)(p->t.end - p->t.start),
         p->s + p->t.start);
    return NULL;
  }
  uint32_t s = p->t.start + (p->t.pct ? 1 : 0);
  /* kebab case: words of [a-z][a-z0-9]* or [A-Z][A-Z0-9]*, joined by single '-' */
  const char *x = p->s + s;
  uint32_t n = p->t.end - s;
  int ok = n > 0;
  for (uint32_t i = 0; i < n && ok;) {
    if (!((x[i] >= 'a' && x[i] <= 'z') || (x[i] >= 'A' && x[i] <= 'Z'))) { ok = 0; break; }
    int upper = x[i] >= 'A' && x[i] <= 'Z';
    while (i < n && x[i] != '-') {
      if (upper ? (x[i] >= 'a' && x[i] <= 'z') : (x[i] >= 'A' && x[i] <= 'Z')) ok = 0;
      i++;
    }
    if (i < n) { i++; if (i == n) ok = 0; }
  }
  if (!ok) {
    perr(p, p->t.start, p->t.end, "`%.*s` is not a valid identifier", (int)n, x);
    return NULL;
  }
  if (start) *start = p->t.start;
  char *r = wk_arena_strndup(p->a, x, n);
  next(p);
  return r;
}

/* A segment of a package name or path after the first: keywords are allowed there. */
static int seg(P *p) {
  if (p->t.kind != T_ID) { perr(p, p->t.start, p->t.end, "expected an identifier, found %s", tok_desc(p->t.kind)); return 0; }
  next(p);
  return !p->failed;
}

static char *str_tok(P *p) {
  if (p->t.kind != T_STR) { perr(p, p->t.start, p->t.end, "expected a string, found %s", tok_desc(p->t.kind)); return NULL; }
  char *r = wk_arena_strndup(p->a, p->s + p->t.start + 1, p->t.end - p->t.start - 2);
  next(p);
  return r;
}

static int valid_semver(const char *s, size_t n) {
  /* MAJOR.MINOR.PATCH with optional -pre and +build (semver.org) */
  size_t i = 0;
  for (int k = 0; k < 3; k++) {
    size_t st = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    if (i == st || (i - st > 1 && s[st] == '0')) return 0;
    if (k < 2) { if (i >= n || s[i] != '.') return 0; i++; }
  }
  if (i < n && s[i] == '-') {
    i++;
    size_t st = i;
    while (i < n && s[i] != '+') { if (!(is_idc(s[i]) || s[i] == '.')) return 0; i++; }
    if (i == st || s[i - 1] == '.') return 0;
  }
  if (i < n && s[i] == '+') {
    i++;
    if (i == n) return 0;
    while (i < n) { if (!(is_idc(s[i]) || s[i] == '.')) return 0; i++; }
  }
  return i == n;
}

/* package-name ::= id (':' id)+ ('@' version)?  /  package-path ::= id (':' id)+ ('/' id)+ ('@' version)?
 * want_path: 1 requires a `/`, 0 forbids it, -1 either. Returns the text (in the arena). */
static char *pkg_path(P *p, int want_path, uint32_t *start, uint32_t *end) {
  uint32_t st = p->t.start;
  if (!ident(p, NULL)) return NULL;
  int ncolon = 0, nslash = 0;
  while (p->t.kind == T_COLON && !p->failed) {
    next(p);
    if (!seg(p)) return NULL;
    ncolon++;
  }
  if (!ncolon) { perr(p, p->t.start, p->t.end, "expected `:`, found %s", tok_desc(p->t.kind)); return NULL; }
  while (p->t.kind == T_SLASH && !p->failed) {
    if (want_path == 0) break;
    next(p);
    if (!seg(p)) return NULL;
    nslash++;
  }
  if (want_path == 1 && !nslash) { perr(p, p->t.start, p->t.end, "expected `/`, found %s", tok_desc(p->t.kind)); return NULL; }
  if (p->t.kind == T_AT) {
    next(p);
    if (p->t.kind != T_VER || !valid_semver(p->s + p->t.start, p->t.end - p->t.start)) {
      perr(p, p->t.start, p->t.end, "`%.*s` is not a valid semantic version", (int)(p->t.end - p->t.start),
           p->s + p->t.start);
      return NULL;
    }
    next(p);
  }
  uint32_t en = p->t.start;
  /* the end is the end of the previous token: trim whitespace before the current one */
  while (en > st && (p->s[en - 1] == ' ' || p->s[en - 1] == '\n' || p->s[en - 1] == '\t' || p->s[en - 1] == '\r')) en--;
  if (start) *start = st;
  if (end) *end = en;
  if (p->failed) return NULL;
  /* keep the text without whitespace or comments between tokens: rebuild from the span */
  char *r = wk_arena_alloc(p->a, en - st + 1);
  if (!r) return NULL;
  uint32_t k = 0;
  for (uint32_t i = st; i < en; i++)
    if (p->s[i] != ' ' && p->s[i] != '\t' && p->s[i] != '\n' && p->s[i] != '\r' && p->s[i] != '%') r[k++] = p->s[i];
  r[k] = 0;
  return r;
}

/* ---- types (syntax only) ---- */

static int type_(P *p);

static int enter(P *p) {
  if (++p->depth > 100) return perr(p, p->t.start, p->t.end, "nesting is too deep");
  return 0;
}

static int type_(P *p) {
  if (p->failed || enter(p)) return -1;
  int rc = 0;
  if (kw(p, "tuple")) {
    next(p);
    expect(p, T_LT, NULL);
    type_(p);
    while (p->t.kind == T_COMMA && !p->failed) {
      next(p);
      if (p->t.kind == T_GT) break;
      type_(p);
    }
    expect(p, T_GT, NULL);
  } else if (kw(p, "list") || kw(p, "option") || kw(p, "borrow")) {
    next(p);
    expect(p, T_LT, NULL);
    type_(p);
    expect(p, T_GT, NULL);
  } else if (kw(p, "result")) {
    next(p);
    if (p->t.kind == T_LT) {
      next(p);
      if (p->t.kind == T_UNDERSCORE) {
        next(p);
        if (p->t.kind == T_COMMA) { next(p); type_(p); } /* `result<_>` is refused by wac when resolving */
      } else {
        type_(p);
        if (p->t.kind == T_COMMA) { next(p); type_(p); }
      }
      expect(p, T_GT, NULL);
    }
  } else if (is_keyword_tok(p)) {
    static const char *prims[] = {"u8", "s8", "u16", "s16", "u32", "s32", "u64", "s64", "f32", "f64", "char", "bool", "string", NULL};
    int ok = 0;
    for (int i = 0; prims[i]; i++) if (kw(p, prims[i])) ok = 1;
    if (!ok) rc = perr(p, p->t.start, p->t.end, "expected a type, found keyword `%.*s`", (int)(p->t.end - p->t.start), p->s + p->t.start);
    else next(p);
  } else {
    if (!ident(p, NULL)) rc = -1;
  }
  p->depth--;
  return p->failed ? -1 : rc;
}

static int named_types(P *p, int close) {
  /* named-type (',' named-type)* ','? up to `close` (not consumed) */
  while (p->t.kind != close && !p->failed) {
    ident(p, NULL);
    expect(p, T_COLON, NULL);
    type_(p);
    if (p->t.kind != T_COMMA) break;
    next(p);
  }
  return p->failed ? -1 : 0;
}

static int func_type(P *p) {
  expect_kw(p, "func");
  expect(p, T_LPAREN, NULL);
  named_types(p, T_RPAREN);
  expect(p, T_RPAREN, NULL);
  if (p->t.kind == T_ARROW) {
    next(p);
    if (p->t.kind == T_LPAREN) {
      next(p);
      named_types(p, T_RPAREN);
      expect(p, T_RPAREN, NULL);
    } else {
      type_(p);
    }
  }
  return p->failed ? -1 : 0;
}

static int list_body(P *p, int with_payload, const char *what, uint32_t kwpos) {
  /* `{ item (, item)* ,? }` for variant cases / flags / enum ids / record fields */
  expect(p, T_LBRACE, NULL);
  int n = 0;
  while (p->t.kind != T_RBRACE && !p->failed) {
    ident(p, NULL);
    if (with_payload == 1 && p->t.kind == T_LPAREN) { next(p); type_(p); expect(p, T_RPAREN, NULL); }
    if (with_payload == 2) { expect(p, T_COLON, NULL); type_(p); }
    n++;
    if (p->t.kind != T_COMMA) break;
    next(p);
  }
  (void)kwpos;
  if (!p->failed && !n && p->t.kind == T_RBRACE)
    return perr(p, p->t.start, p->t.end, "%s must contain at least one %s", what,
                with_payload == 2 ? "field" : with_payload == 1 ? "case" : !strcmp(what, "flags") ? "flag" : "case");
  return expect(p, T_RBRACE, NULL);
}

static int type_decl(P *p) {
  uint32_t k = p->t.start;
  if (kw(p, "variant")) { next(p); ident(p, NULL); return list_body(p, 1, "variant", k); }
  if (kw(p, "record")) { next(p); ident(p, NULL); return list_body(p, 2, "record", k); }
  if (kw(p, "flags")) { next(p); ident(p, NULL); return list_body(p, 0, "flags", k); }
  if (kw(p, "enum")) { next(p); ident(p, NULL); return list_body(p, 0, "enum", k); }
  if (kw(p, "type")) {
    next(p);
    ident(p, NULL);
    expect(p, T_EQ, NULL);
    if (kw(p, "func")) func_type(p);
    else type_(p);
    return expect(p, T_SEMI, NULL);
  }
  if (kw(p, "resource")) {
    next(p);
    ident(p, NULL);
    if (p->t.kind == T_SEMI) return next(p);
    expect(p, T_LBRACE, NULL);
    while (p->t.kind != T_RBRACE && !p->failed) {
      if (kw(p, "constructor")) {
        next(p);
        expect(p, T_LPAREN, NULL);
        named_types(p, T_RPAREN);
        expect(p, T_RPAREN, NULL);
      } else {
        ident(p, NULL);
        expect(p, T_COLON, NULL);
        if (kw(p, "static")) next(p);
        func_type(p);
      }
      expect(p, T_SEMI, NULL);
    }
    return expect(p, T_RBRACE, NULL);
  }
  return perr(p, p->t.start, p->t.end, "expected a type declaration, found %s", tok_desc(p->t.kind));
}

static int use_type(P *p) {
  expect_kw(p, "use");
  /* use-path: package-path or id */
  if (p->t.kind == T_ID) {
    uint32_t save = p->pos;
    tok st = p->t;
    next(p);
    int is_path = p->t.kind == T_COLON;
    p->pos = save;
    p->t = st;
    if (is_path) pkg_path(p, 1, NULL, NULL);
    else ident(p, NULL);
  } else {
    ident(p, NULL);
  }
  expect(p, T_DOT, NULL);
  expect(p, T_LBRACE, NULL);
  while (p->t.kind != T_RBRACE && !p->failed) {
    ident(p, NULL);
    if (kw(p, "as")) { next(p); ident(p, NULL); }
    if (p->t.kind != T_COMMA) break;
    next(p);
  }
  expect(p, T_RBRACE, NULL);
  return expect(p, T_SEMI, NULL);
}

static int is_type_decl_kw(P *p) {
  return kw(p, "variant") || kw(p, "record") || kw(p, "flags") || kw(p, "enum") || kw(p, "type") || kw(p, "resource");
}

static int interface_items(P *p) {
  expect(p, T_LBRACE, NULL);
  while (p->t.kind != T_RBRACE && !p->failed) {
    if (kw(p, "use")) use_type(p);
    else if (is_type_decl_kw(p)) type_decl(p);
    else {
      ident(p, NULL);
      expect(p, T_COLON, NULL);
      if (kw(p, "func")) func_type(p);
      else ident(p, NULL);
      expect(p, T_SEMI, NULL);
    }
  }
  return expect(p, T_RBRACE, NULL);
}

/* extern-type / world-item-path after import/export in a world */
static int world_item_path(P *p) {
  if (p->t.kind != T_ID) return perr(p, p->t.start, p->t.end, "expected an identifier, found %s", tok_desc(p->t.kind));
  uint32_t save = p->pos;
  tok st = p->t;
  next(p);
  int colon = p->t.kind == T_COLON;
  int path = 0;
  if (colon) {
    next(p);
    /* `id : id ...` is a package path when followed by `/`, a named item otherwise */
    if (p->t.kind == T_ID && !kw(p, "func") && !kw(p, "interface")) {
      next(p);
      path = p->t.kind == T_SLASH || p->t.kind == T_COLON;
    }
  }
  p->pos = save;
  p->t = st;
  p->after_at = 0;
  if (path) return pkg_path(p, 1, NULL, NULL) ? 0 : -1;
  ident(p, NULL);
  if (!colon) return p->failed ? -1 : 0;
  expect(p, T_COLON, NULL);
  if (kw(p, "func")) return func_type(p);
  if (kw(p, "interface")) { next(p); return interface_items(p); }
  ident(p, NULL);
  return p->failed ? -1 : 0;
}

static int world_items(P *p) {
  expect(p, T_LBRACE, NULL);
  while (p->t.kind != T_RBRACE && !p->failed) {
    if (kw(p, "use")) use_type(p);
    else if (is_type_decl_kw(p)) type_decl(p);
    else if (kw(p, "import") || kw(p, "export")) {
      next(p);
      world_item_path(p);
      expect(p, T_SEMI, NULL);
    } else if (kw(p, "include")) {
      next(p);
      if (p->t.kind == T_ID) {
        uint32_t save = p->pos;
        tok st = p->t;
        next(p);
        int is_path = p->t.kind == T_COLON;
        p->pos = save;
        p->t = st;
        p->after_at = 0;
        if (is_path) pkg_path(p, 1, NULL, NULL);
        else ident(p, NULL);
      } else {
        ident(p, NULL);
      }
      if (kw(p, "with")) {
        next(p);
        expect(p, T_LBRACE, NULL);
        while (p->t.kind != T_RBRACE && !p->failed) {
          ident(p, NULL);
          expect_kw(p, "as");
          ident(p, NULL);
          if (p->t.kind != T_COMMA) break;
          next(p);
        }
        expect(p, T_RBRACE, NULL);
      }
      expect(p, T_SEMI, NULL);
    } else {
      perr(p, p->t.start, p->t.end, "expected a world item, found %s", tok_desc(p->t.kind));
    }
  }
  return expect(p, T_RBRACE, NULL);
}

/* ---- composition AST ---- */

enum { E_ID = 1, E_NEW, E_ACCESS, E_NAMED };
enum { A_INFER = 1, A_SPREAD, A_NAMED };

struct wexpr;
typedef struct warg {
  uint8_t kind;
  char *name;        /* A_NAMED: argument name; A_INFER/A_SPREAD: the local */
  uint8_t name_is_str;
  struct wexpr *e;   /* A_NAMED */
  uint32_t start, end;
} warg;

typedef struct wexpr {
  uint8_t kind;
  uint32_t start, end;
  char *name;            /* E_ID local, E_NEW package, E_ACCESS/E_NAMED export name */
  uint32_t nstart, nend; /* E_NEW: the package name's span; E_ACCESS/E_NAMED: the export name's */
  struct wexpr *base;    /* access */
  uint32_t nargs;
  warg *args;
  int fill;              /* `...` last */
  uint32_t fill_at;
} wexpr;

enum { S_IMPORT = 1, S_LET, S_EXPORT, S_TYPE };
typedef struct wstmt {
  uint8_t kind;
  uint32_t start, end;
  char *id;             /* import local / let id */
  uint32_t id_start;
  char *as;             /* import `as` / export `as` name */
  char *path;           /* import by package path */
  uint8_t inline_type;  /* import: func / interface / id type */
  wexpr *e;             /* let / export */
  int spread;           /* export `...` */
} wstmt;

struct wkc_wac {
  wk_arena a;
  const char *text;
  uint32_t len;
  char *package;
  char *targets;
  wstmt *st;
  uint32_t n, cap;
};

static wexpr *expr(P *p);

static wexpr *new_expr(P *p) {
  wexpr *e = wk_arena_alloc(p->a, sizeof *e);
  if (!e) { perr(p, p->t.start, p->t.end, "out of memory"); return NULL; }
  e->kind = E_NEW;
  e->start = p->t.start;
  next(p);
  e->name = pkg_path(p, 0, &e->nstart, &e->nend);
  if (!e->name) return NULL;
  expect(p, T_LBRACE, NULL);
  uint32_t cap = 0;
  while (p->t.kind != T_RBRACE && !p->failed) {
    if (e->fill) { perr(p, e->fill_at, e->fill_at + 3, "implicit import argument `...` must be the last argument"); return NULL; }
    warg a = {0};
    a.start = p->t.start;
    if (p->t.kind == T_ELLIPSIS) {
      next(p);
      if (p->t.kind == T_ID) {
        a.kind = A_SPREAD;
        a.name = ident(p, NULL);
      } else {
        e->fill = 1;
        e->fill_at = a.start;
      }
    } else if (p->t.kind == T_STR) {
      a.kind = A_NAMED;
      a.name_is_str = 1;
      a.name = str_tok(p);
      expect(p, T_COLON, NULL);
      a.e = expr(p);
    } else {
      a.name = ident(p, NULL);
      if (p->t.kind == T_COLON) {
        next(p);
        a.kind = A_NAMED;
        a.e = expr(p);
      } else {
        a.kind = A_INFER;
      }
    }
    if (p->failed) return NULL;
    a.end = p->t.start;
    if (a.kind) {
      if (e->nargs == cap) {
        cap = cap ? cap * 2 : 8;
        warg *na = wk_arena_alloc(p->a, cap * sizeof *na);
        if (!na) { perr(p, a.start, a.end, "out of memory"); return NULL; }
        if (e->nargs) memcpy(na, e->args, e->nargs * sizeof *na);
        e->args = na;
      }
      e->args[e->nargs++] = a;
    }
    if (p->t.kind != T_COMMA) break;
    next(p);
  }
  e->end = p->t.end;
  expect(p, T_RBRACE, NULL);
  return p->failed ? NULL : e;
}

static wexpr *expr(P *p) {
  if (p->failed || enter(p)) return NULL;
  wexpr *e = NULL;
  uint32_t st = p->t.start;
  if (kw(p, "new")) {
    e = new_expr(p);
  } else if (p->t.kind == T_LPAREN) {
    next(p);
    e = expr(p);
    expect(p, T_RPAREN, NULL);
  } else {
    e = wk_arena_alloc(p->a, sizeof *e);
    if (!e) { perr(p, p->t.start, p->t.end, "out of memory"); return NULL; }
    e->kind = E_ID;
    e->start = p->t.start;
    e->end = p->t.end;
    e->name = ident(p, NULL);
  }
  while (!p->failed && e && (p->t.kind == T_DOT || p->t.kind == T_LBRACK)) {
    wexpr *x = wk_arena_alloc(p->a, sizeof *x);
    if (!x) { perr(p, p->t.start, p->t.end, "out of memory"); return NULL; }
    x->base = e;
    x->start = st;
    if (p->t.kind == T_DOT) {
      next(p);
      x->kind = E_ACCESS;
      x->end = p->t.end;
      x->nstart = p->t.start;
      x->nend = p->t.end;
      x->name = ident(p, NULL);
    } else {
      next(p);
      x->kind = E_NAMED;
      x->end = p->t.end;
      x->nstart = p->t.start;
      x->nend = p->t.end;
      x->name = str_tok(p);
      expect(p, T_RBRACK, NULL);
    }
    e = x;
  }
  p->depth--;
  return p->failed ? NULL : e;
}

static wstmt *push_stmt(P *p, wkc_wac *w, uint8_t kind) {
  if (w->n == w->cap) {
    uint32_t nc = w->cap ? w->cap * 2 : 16;
    wstmt *ns = wk_arena_alloc(p->a, nc * sizeof *ns);
    if (!ns) { perr(p, p->t.start, p->t.end, "out of memory"); return NULL; }
    if (w->n) memcpy(ns, w->st, w->n * sizeof *ns);
    w->st = ns;
    w->cap = nc;
  }
  wstmt *s = &w->st[w->n++];
  memset(s, 0, sizeof *s);
  s->kind = kind;
  s->start = p->t.start;
  return s;
}

static int statement(P *p, wkc_wac *w) {
  if (kw(p, "import")) {
    wstmt *s = push_stmt(p, w, S_IMPORT);
    if (!s) return -1;
    next(p);
    s->id = ident(p, &s->id_start);
    if (kw(p, "as")) {
      next(p);
      if (p->t.kind == T_STR) s->as = str_tok(p);
      else s->as = ident(p, NULL);
    }
    expect(p, T_COLON, NULL);
    if (kw(p, "func")) { s->inline_type = 1; func_type(p); }
    else if (kw(p, "interface")) { s->inline_type = 2; next(p); interface_items(p); }
    else if (p->t.kind == T_ID) {
      uint32_t save = p->pos;
      tok st = p->t;
      next(p);
      int is_path = p->t.kind == T_COLON;
      p->pos = save;
      p->t = st;
      p->after_at = 0;
      if (is_path) s->path = pkg_path(p, 1, NULL, NULL);
      else { s->inline_type = 3; ident(p, NULL); }
    } else {
      perr(p, p->t.start, p->t.end, "expected an import type, found %s", tok_desc(p->t.kind));
    }
    s->end = p->t.end;
    return expect(p, T_SEMI, NULL);
  }
  if (kw(p, "let")) {
    wstmt *s = push_stmt(p, w, S_LET);
    if (!s) return -1;
    next(p);
    s->id = ident(p, &s->id_start);
    expect(p, T_EQ, NULL);
    s->e = expr(p);
    s->end = p->t.end;
    return expect(p, T_SEMI, NULL);
  }
  if (kw(p, "export")) {
    wstmt *s = push_stmt(p, w, S_EXPORT);
    if (!s) return -1;
    next(p);
    s->e = expr(p);
    if (p->t.kind == T_ELLIPSIS) { s->spread = 1; next(p); }
    else if (kw(p, "as")) {
      next(p);
      if (p->t.kind == T_STR) s->as = str_tok(p);
      else s->as = ident(p, NULL);
    } else if (kw(p, "with")) { /* older wac syntax: export x with "name" */
      next(p);
      s->as = str_tok(p);
    }
    s->end = p->t.end;
    return expect(p, T_SEMI, NULL);
  }
  if (kw(p, "interface")) {
    wstmt *s = push_stmt(p, w, S_TYPE);
    if (!s) return -1;
    next(p);
    ident(p, NULL);
    return interface_items(p);
  }
  if (kw(p, "world")) {
    wstmt *s = push_stmt(p, w, S_TYPE);
    if (!s) return -1;
    next(p);
    ident(p, NULL);
    return world_items(p);
  }
  if (is_type_decl_kw(p)) {
    wstmt *s = push_stmt(p, w, S_TYPE);
    if (!s) return -1;
    return type_decl(p);
  }
  if (kw(p, "package"))
    return perr(p, p->t.start, p->t.end, "a package declaration may only appear once, at the start");
  return perr(p, p->t.start, p->t.end, "expected a statement (import, let, export, interface, world, type), found %s",
              p->t.kind == T_ID ? "identifier" : tok_desc(p->t.kind));
}

int wkc_wac_parse(const char *text, size_t len, wkc_wac **out, wkc_diag *d) {
  *out = NULL;
  memset(d, 0, sizeof *d);
  wkc_wac *w = wk_calloc(1, sizeof *w);
  if (!w) return wk_error_set(&d->err, WK_ERR_NOMEM, "out of memory");
  if (len > UINT32_MAX / 2) { free(w); return wk_error_set(&d->err, WK_ERR_NOMEM, "input too large"); }
  w->text = text;
  w->len = (uint32_t)len;
  P p = {.s = text, .n = (uint32_t)len, .d = d, .a = &w->a};
  next(&p);
  if (!kw(&p, "package")) {
    perr(&p, p.t.start, p.t.end, "expected a package declaration (`package ns:name;`), found %s",
         p.t.kind == T_ID ? "identifier" : tok_desc(p.t.kind));
  } else {
    next(&p);
    w->package = pkg_path(&p, 0, NULL, NULL);
    if (kw(&p, "targets")) { next(&p); w->targets = pkg_path(&p, 1, NULL, NULL); }
    expect(&p, T_SEMI, NULL);
  }
  while (!p.failed && p.t.kind != T_EOF) statement(&p, w);
  if (p.failed) {
    wkc_wac_free(w);
    return d->err.code ? d->err.code : WK_ERR_MALFORMED;
  }
  *out = w;
  return WK_OK;
}

void wkc_wac_free(wkc_wac *w) {
  if (!w) return;
  wk_arena_free(&w->a);
  free(w);
}

static cJSON *expr_json(const wexpr *e, int depth) {
  cJSON *o = cJSON_CreateObject();
  if (!e || depth > 100) return o;
  switch (e->kind) {
    case E_ID: cJSON_AddStringToObject(o, "ident", e->name); break;
    case E_NEW: {
      cJSON_AddStringToObject(o, "new", e->name);
      cJSON *a = cJSON_AddArrayToObject(o, "arguments");
      for (uint32_t i = 0; i < e->nargs; i++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddItemToArray(a, x);
        cJSON_AddStringToObject(x, e->args[i].kind == A_INFER ? "inferred" : e->args[i].kind == A_SPREAD ? "spread" : "name",
                                e->args[i].name);
        if (e->args[i].kind == A_NAMED) cJSON_AddItemToObject(x, "value", expr_json(e->args[i].e, depth + 1));
      }
      cJSON_AddBoolToObject(o, "fill", e->fill);
      break;
    }
    case E_ACCESS: case E_NAMED:
      cJSON_AddItemToObject(o, "base", expr_json(e->base, depth + 1));
      cJSON_AddStringToObject(o, e->kind == E_ACCESS ? "access" : "namedAccess", e->name);
      break;
  }
  return o;
}

int wkc_wac_json(const wkc_wac *w, wk_buf *out) {
  cJSON *r = cJSON_CreateObject();
  cJSON_AddStringToObject(r, "package", w->package ? w->package : "");
  if (w->targets) cJSON_AddStringToObject(r, "targets", w->targets);
  cJSON *st = cJSON_AddArrayToObject(r, "statements");
  for (uint32_t i = 0; i < w->n; i++) {
    const wstmt *s = &w->st[i];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToArray(st, o);
    switch (s->kind) {
      case S_IMPORT:
        cJSON_AddStringToObject(o, "import", s->id);
        if (s->as) cJSON_AddStringToObject(o, "as", s->as);
        if (s->path) cJSON_AddStringToObject(o, "path", s->path);
        else cJSON_AddStringToObject(o, "type", s->inline_type == 1 ? "func" : s->inline_type == 2 ? "interface" : "ident");
        break;
      case S_LET:
        cJSON_AddStringToObject(o, "let", s->id);
        cJSON_AddItemToObject(o, "expr", expr_json(s->e, 0));
        break;
      case S_EXPORT:
        cJSON_AddItemToObject(o, "export", expr_json(s->e, 0));
        if (s->as) cJSON_AddStringToObject(o, "as", s->as);
        if (s->spread) cJSON_AddBoolToObject(o, "spread", 1);
        break;
      case S_TYPE: cJSON_AddStringToObject(o, "type", "declaration"); break;
    }
  }
  char *s = cJSON_Print(r);
  cJSON_Delete(r);
  if (!s) return WK_ERR_NOMEM;
  wk_buf_str(out, s);
  wk_buf_byte(out, '\n');
  free(s);
  return out->oom ? WK_ERR_NOMEM : WK_OK;
}

/* ---- evaluation ---- */

enum { V_IMPORT = 1, V_INST, V_EXPORT };
typedef struct wval {
  uint8_t kind;
  const char *imp;   /* V_IMPORT: import name of the result */
  uint32_t inst, exp;
} wval;

typedef struct local {
  const char *name;
  wval v;
  uint32_t start;
} local;

typedef struct B {
  const wkc_wac *w;
  wkc_graph *g;
  const wkc_pkg *pkgs;
  uint32_t npkgs;
  wkc_diag *d;
  local *loc;
  uint32_t nloc;
  const char **implicit; /* implicit import names (from `...`) */
  uint32_t nimplicit;
  int failed;
} B;

static int berr(B *b, uint32_t start, uint32_t end, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int berr(B *b, uint32_t start, uint32_t end, const char *fmt, ...) {
  if (b->failed) return -1;
  b->failed = 1;
  va_list ap;
  va_start(ap, fmt);
  char m[512];
  vsnprintf(m, sizeof m, fmt, ap);
  va_end(ap);
  uint32_t l, c;
  lc(b->w->text, start, &l, &c);
  wk_error_at_line(&b->d->err, WK_ERR_LINK, l, c, "%s", m);
  b->d->start = start;
  b->d->end = end > start ? end : start + 1;
  return -1;
}

static local *find_local(B *b, const char *name) {
  for (uint32_t i = 0; i < b->nloc; i++)
    if (!strcmp(b->loc[i].name, name)) return &b->loc[i];
  return NULL;
}

static int add_local(B *b, const char *name, wval v, uint32_t start) {
  local *l = find_local(b, name);
  if (l) {
    uint32_t ln, c;
    lc(b->w->text, l->start, &ln, &c);
    return berr(b, start, start + (uint32_t)strlen(name), "`%s` was previously defined at %u:%u", name, ln, c);
  }
  local *nl = wk_reallocarray(b->loc, b->nloc + 1, sizeof *nl);
  if (!nl) return berr(b, start, start, "out of memory");
  b->loc = nl;
  b->loc[b->nloc++] = (local){name, v, start};
  return 0;
}

/* Find the package `name` (with or without a version) among the --dep packages. */
static int find_pkg(B *b, const char *name) {
  for (uint32_t i = 0; i < b->npkgs; i++)
    if (!strcmp(b->pkgs[i].name, name)) return (int)i;
  const char *at = strchr(name, '@');
  size_t n = at ? (size_t)(at - name) : strlen(name);
  for (uint32_t i = 0; i < b->npkgs; i++) {
    const char *pa = strchr(b->pkgs[i].name, '@');
    size_t pn = pa ? (size_t)(pa - b->pkgs[i].name) : strlen(b->pkgs[i].name);
    if (pn == n && !memcmp(b->pkgs[i].name, name, n) && (!at || !pa)) return (int)i;
  }
  return -1;
}

static int cstr_eq(wk_cstr a, const char *s) { return a.len == strlen(s) && !memcmp(a.s, s, a.len); }

/* The one item whose name is a path ending in `/id` (ignoring a version), else the item named `id`. */
static uint32_t by_kebab(const wk_ctent *ents, uint32_t n, const char *id) {
  uint32_t hit = WKC_NONE, cnt = 0;
  size_t il = strlen(id);
  for (uint32_t i = 0; i < n; i++) {
    const char *v;
    size_t vl;
    size_t base = wkc_name_base(ents[i].name.s, ents[i].name.len, &v, &vl);
    const char *sl = memchr(ents[i].name.s, '/', base);
    if (!sl) continue;
    const char *last = ents[i].name.s + base;
    while (last > ents[i].name.s && last[-1] != '/') last--;
    if ((size_t)(ents[i].name.s + base - last) == il && !memcmp(last, id, il)) { hit = i; cnt++; }
  }
  if (cnt == 1) return hit;
  for (uint32_t i = 0; i < n; i++)
    if (cstr_eq(ents[i].name, id)) return i;
  return WKC_NONE;
}

static uint32_t by_name(const wk_ctent *ents, uint32_t n, const char *name) {
  for (uint32_t i = 0; i < n; i++)
    if (cstr_eq(ents[i].name, name)) return i;
  return WKC_NONE;
}

static int eval(B *b, const wexpr *e, const char *bind, wval *out, int depth);

static int wire(B *b, uint32_t inst, uint32_t imp, const wval *v, uint32_t start, uint32_t end) {
  wk_error e;
  wk_error_clear(&e);
  int rc = 0;
  if (v->kind == V_EXPORT) rc = wkc_connect(b->g, inst, imp, v->inst, v->exp, &e);
  else if (v->kind == V_IMPORT) rc = wkc_connect_import(b->g, inst, imp, v->imp, &e);
  else rc = wkc_connect_instance(b->g, inst, imp, v->inst, &e);
  if (rc) return berr(b, start, end, "%s", e.msg);
  return 0;
}

static int eval_new(B *b, const wexpr *e, const char *bind, wval *out, int depth) {
  if (b->w->package && !strcmp(b->w->package, e->name))
    return berr(b, e->nstart, e->nend, "cannot instantiate the package being defined");
  int pk = find_pkg(b, e->name);
  if (pk < 0) return berr(b, e->nstart, e->nend, "unknown package `%s` (give it with --dep %s=PATH)", e->name, e->name);
  wk_error er;
  wk_error_clear(&er);
  if (b->pkgs[pk].comp == WKC_NONE) {
    /* packages are loaded when first instantiated (as wac), so their errors point here */
    uint32_t c;
    if (wkc_add_component(b->g, b->pkgs[pk].path, b->pkgs[pk].name, b->pkgs[pk].bytes, b->pkgs[pk].len, &c, &er))
      return berr(b, e->nstart, e->nend, "failed to load package `%s`: %s", e->name, er.msg);
    ((wkc_pkg *)b->pkgs)[pk].comp = c;
  }
  uint32_t comp = b->pkgs[pk].comp;
  uint32_t inst;
  if (wkc_instantiate(b->g, comp, bind ? bind : e->name, &inst, &er)) return berr(b, e->nstart, e->nend, "%s", er.msg);
  uint32_t nim;
  const wk_ctent *im = wkc_imports(b->g, comp, &nim);
  /* named and inferred arguments first (LANGUAGE.md "New Expressions") */
  for (uint32_t i = 0; i < e->nargs && !b->failed; i++) {
    const warg *a = &e->args[i];
    if (a->kind == A_SPREAD) continue;
    wval v;
    uint32_t imp = WKC_NONE;
    if (a->kind == A_NAMED) {
      if (eval(b, a->e, NULL, &v, depth + 1)) return -1;
      imp = a->name_is_str ? by_name(im, nim, a->name) : by_kebab(im, nim, a->name);
    } else {
      local *l = find_local(b, a->name);
      if (!l) return berr(b, a->start, a->end, "undefined name `%s`", a->name);
      v = l->v;
      /* an explicit import or an export access matching an import by its name */
      if (v.kind == V_IMPORT) imp = by_name(im, nim, v.imp);
      if (v.kind == V_EXPORT && imp == WKC_NONE) {
        uint32_t nex;
        const wk_ctent *ex = wkc_exports(b->g, wkc_instance_component(b->g, v.inst), &nex);
        char nm[512];
        snprintf(nm, sizeof nm, "%.*s", WKC_S(ex[v.exp].name));
        imp = by_name(im, nim, nm);
      }
      if (imp == WKC_NONE) imp = by_kebab(im, nim, a->name);
    }
    if (imp == WKC_NONE)
      return berr(b, a->start, a->end, "component `%s` has no import named `%s`", e->name, a->name);
    if (wkc_is_connected(b->g, inst, imp))
      return berr(b, a->start, a->end, "duplicate argument `%.*s`", WKC_S(im[imp].name));
    if (wire(b, inst, imp, &v, a->start, a->end)) return -1;
  }
  /* spread arguments, in order */
  for (uint32_t i = 0; i < e->nargs && !b->failed; i++) {
    const warg *a = &e->args[i];
    if (a->kind != A_SPREAD) continue;
    local *l = find_local(b, a->name);
    if (!l) return berr(b, a->start, a->end, "undefined name `%s`", a->name);
    if (l->v.kind != V_INST) return berr(b, a->start, a->end, "`%s` is not an instance: only instances can be spread", a->name);
    uint32_t src = l->v.inst, scomp = wkc_instance_component(b->g, src), used = 0;
    for (uint32_t k = 0; k < nim; k++) {
      if (wkc_is_connected(b->g, inst, k)) continue;
      wk_error fe;
      wk_error_clear(&fe);
      uint32_t x = wkc_find_export(b->g, comp, k, scomp, &fe);
      if (fe.code) return berr(b, a->start, a->end, "%s", fe.msg);
      if (x == WKC_NONE) continue;
      wval v = {V_EXPORT, NULL, src, x};
      if (wire(b, inst, k, &v, a->start, a->end)) return -1;
      used++;
    }
    if (!used) return berr(b, a->start, a->end, "instance `%s` has no export matching an import of `%s`", a->name, e->name);
  }
  /* the rest: imported from the composition (`...`), or an error */
  for (uint32_t k = 0; k < nim && !b->failed; k++) {
    if (wkc_is_connected(b->g, inst, k)) continue;
    if (!e->fill)
      return berr(b, e->nstart, e->nend, "missing instantiation argument `%.*s` for package `%s`", WKC_S(im[k].name),
                  e->name);
    char nm[512];
    snprintf(nm, sizeof nm, "%.*s", WKC_S(im[k].name));
    for (uint32_t q = 0; q < b->nloc; q++)
      if (b->loc[q].v.kind == V_IMPORT && !strcmp(b->loc[q].v.imp, nm))
        return berr(b, e->nstart, e->nend, "implicit import `%s` of `%s` conflicts with the explicit import `%s`", nm,
                    e->name, b->loc[q].name);
    wval v = {V_IMPORT, NULL, 0, 0};
    const char **ni = wk_reallocarray(b->implicit, b->nimplicit + 1, sizeof *ni);
    if (!ni) return berr(b, e->start, e->end, "out of memory");
    b->implicit = ni;
    char *keep = wk_arena_strndup((wk_arena *)&b->w->a, nm, strlen(nm));
    if (!keep) return berr(b, e->start, e->end, "out of memory");
    b->implicit[b->nimplicit++] = keep;
    v.imp = keep;
    if (wire(b, inst, k, &v, e->nstart, e->nend)) return -1;
  }
  out->kind = V_INST;
  out->inst = inst;
  return b->failed ? -1 : 0;
}

static int eval(B *b, const wexpr *e, const char *bind, wval *out, int depth) {
  if (b->failed) return -1;
  if (depth > 100) return berr(b, e->start, e->end, "expression nested too deep");
  switch (e->kind) {
    case E_ID: {
      local *l = find_local(b, e->name);
      if (!l) return berr(b, e->start, e->end, "undefined name `%s`", e->name);
      *out = l->v;
      return 0;
    }
    case E_NEW: return eval_new(b, e, bind, out, depth);
    case E_ACCESS: case E_NAMED: {
      wval base;
      if (eval(b, e->base, NULL, &base, depth + 1)) return -1;
      if (base.kind != V_INST)
        return berr(b, e->start, e->end, "only an instance of a component can be accessed (`%s`)",
                    base.kind == V_IMPORT ? "an import" : "an export of an instance; nested access is not supported");
      uint32_t comp = wkc_instance_component(b->g, base.inst), nex;
      const wk_ctent *ex = wkc_exports(b->g, comp, &nex);
      uint32_t x = e->kind == E_ACCESS ? by_kebab(ex, nex, e->name) : by_name(ex, nex, e->name);
      if (x == WKC_NONE)
        return berr(b, e->nstart, e->nend, "the instance of `%s` has no export named `%s`", wkc_component_label(b->g, comp),
                    e->name);
      *out = (wval){V_EXPORT, NULL, base.inst, x};
      return 0;
    }
  }
  return berr(b, e->start, e->end, "bad expression");
}

int wkc_wac_build(const wkc_wac *w, wkc_graph *g, const wkc_pkg *pkgs, uint32_t npkgs, wkc_diag *d) {
  memset(d, 0, sizeof *d);
  B b = {.w = w, .g = g, .pkgs = pkgs, .npkgs = npkgs, .d = d};
  if (w->targets) {
    const char *t = strstr(w->text, "targets");
    uint32_t at = t ? (uint32_t)(t - w->text) : 0;
    return berr(&b, at, at + 7, "`targets` (checking the composition against a world) is not supported yet"), WK_ERR_UNSUPPORTED;
  }
  for (uint32_t i = 0; i < w->n && !b.failed; i++) {
    const wstmt *s = &w->st[i];
    switch (s->kind) {
      case S_IMPORT: {
        /* the name of the import in the result: `as`, else the package path, else the local name */
        const char *name = s->as ? s->as : s->path ? s->path : s->id;
        /* an explicit import's type (a package path, an inline func/interface, a type name) would have
         * to be resolved from WIT; until then its uses would go unchecked: refuse it */
        for (uint32_t k = 0; k < b.nimplicit; k++)
          if (!strcmp(b.implicit[k], name))
            return berr(&b, s->id_start, s->id_start + (uint32_t)strlen(s->id),
                        "import `%s` conflicts with an item that was implicitly imported by an instantiation", name),
                   free(b.loc), free(b.implicit), WK_ERR_LINK;
        berr(&b, s->start, s->end, "explicit imports are not supported yet (import `%s`): let `new ... { ... }` import it implicitly", name);
        break;
        for (uint32_t k = 0; k < i; k++) {
          const wstmt *o = &w->st[k];
          if (o->kind == S_IMPORT && !strcmp(o->as ? o->as : o->path ? o->path : o->id, name))
            berr(&b, s->start, s->end, "duplicate import name `%s`", name);
        }
        wval v = {V_IMPORT, name, 0, 0};
        add_local(&b, s->id, v, s->id_start);
        break;
      }
      case S_LET: {
        wval v;
        if (eval(&b, s->e, s->id, &v, 0)) break;
        add_local(&b, s->id, v, s->id_start);
        break;
      }
      case S_EXPORT: {
        wval v;
        if (eval(&b, s->e, NULL, &v, 0)) break;
        wk_error er;
        wk_error_clear(&er);
        if (s->spread) {
          if (v.kind != V_INST) { berr(&b, s->start, s->end, "only an instance can be spread into exports"); break; }
          uint32_t nex;
          const wk_ctent *ex = wkc_exports(g, wkc_instance_component(g, v.inst), &nex);
          if (!nex) { berr(&b, s->start, s->end, "the instance has no exports to spread"); break; }
          for (uint32_t k = 0; k < nex && !b.failed; k++) {
            char nm[512];
            snprintf(nm, sizeof nm, "%.*s", WKC_S(ex[k].name));
            if (wkc_has_export(g, nm)) continue; /* earlier exports win (LANGUAGE.md "Export Statements") */
            if (wkc_export(g, v.inst, k, NULL, &er)) berr(&b, s->start, s->end, "%s", er.msg);
          }
        } else if (v.kind == V_EXPORT) {
          if (wkc_export(g, v.inst, v.exp, s->as, &er)) berr(&b, s->start, s->end, "%s", er.msg);
        } else {
          berr(&b, s->start, s->end, "exporting %s is not supported (export one of its exports, or spread it with `...`)",
               v.kind == V_INST ? "a whole instance" : "an import");
        }
        break;
      }
      default: /* type statements are exported by wac: until they are resolved, refuse them */
        berr(&b, s->start, s->start + 1, "type statements (interface, world, type declarations) are not supported yet");
        break;
    }
  }
  /* explicit imports must be used as instantiation arguments: their type comes from the use */
  for (uint32_t i = 0; i < w->n && !b.failed; i++) {
    const wstmt *s = &w->st[i];
    if (s->kind != S_IMPORT) continue;
    const char *name = s->as ? s->as : s->path ? s->path : s->id;
    if (!wkc_has_import(g, name))
      berr(&b, s->start, s->end, "import `%s` is not used as an instantiation argument (unsupported: its type would come from that use)", name);
  }
  free(b.loc);
  free(b.implicit);
  return b.failed ? (d->err.code ? d->err.code : WK_ERR_LINK) : WK_OK;
}

void wkc_diag_render(const char *file, const char *text, size_t len, const wkc_diag *d, wk_buf *out) {
  wit_snippet_render(file, text, len, d->err.line, d->err.col, d->start, d->end, d->err.msg, out);
}
