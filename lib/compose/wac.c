/* lib/compose: the WAC language (bytecodealliance/wac LANGUAGE.md "WAC
 * Grammar"): a lexer, a parser for the whole grammar (type statements are
 * resolved, checked and written out as component text, see "types" and
 * "packages" below), and the evaluation of imports, `let`, `new`, access and
 * `export` into a composition graph. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "compose/compose.h"
#include "compose/internal.h"
#include "encode/semver.h"
#include "encode/encode.h"
#include "encode/wat.h"
#include "witparse/witdecode.h"
#include "witparse/witencode.h"
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
  wk_buf *w;         /* component text of the import type being parsed, or NULL */
  int check;         /* the second pass: resolve and check names (see "types" below) */
  struct wsym *syms; /* names in scope: the root scope [0, nroot), the current one [base, nsyms) */
  uint32_t nsyms, capsyms, nroot, base;
  int depth_scope;
  struct wdef *defs; /* the items of the interfaces and worlds declared */
  uint32_t ndefs, capdefs;
  int ty_borrow;     /* the value type just parsed contains a borrow */
  const char *ty_desc; /* and what it is ("u32", "record", ...) */
  const char *decl_name, *decl_desc, *decl_ref; /* the name type_decl just declared, its kind, the type it names */
  int ctx;           /* where type definitions are being written: CTX_ROOT, CTX_INST, CTX_WORLD */
  uint32_t cur_def;  /* the interface or world statement being written (its dependencies), or UINT32_MAX */
  const char *no_encode; /* why the statement being parsed cannot be encoded (checked only) */
  uint32_t decl_at;
  int decl_kind;
  const char *package; /* the document's package name (ns:name[@version]) */
  /* package paths in type statements (`use ns:pkg/i.{..}`, `include ns:pkg/w`, world items): the
   * --dep packages, read into one WIT Resolve when first named (see "packages" below) */
  const wkc_pkg *pkgs;
  uint32_t npkgs;
  wit_resolve *r;
  wit_id *pmain;       /* per package: its id in r (WIT_NONE: not read yet) */
  uint8_t *pstate;     /* per package: 0 not read, 1 in r, 2 a component that defines nothing */
  struct wpref { uint32_t pk; int world; const char *name; uint32_t def; } *prefs; /* definitions read */
  uint32_t nprefs, capprefs;
  uint32_t nsynth;     /* synthetic worlds pushed into r (their package names) */
} P;

/* a name in scope (wac's `Scope`): what kind of item it is and, for messages, what it is */
enum { SYM_TYPE = 1, SYM_RES, SYM_FUNC, SYM_IFACE, SYM_WORLD };
enum { CTX_ROOT = 0, CTX_INST, CTX_WORLD };
typedef struct wsym {
  const char *name;
  int kind;
  const char *desc; /* SYM_TYPE: "u32", "record", ... */
  int borrow;       /* SYM_TYPE: contains a borrow */
  uint32_t at;      /* where it is defined */
  uint32_t def;     /* SYM_IFACE / SYM_WORLD: its items, index in P.defs */
  const char *ref;  /* the $id the component text names it by, when not its own name (root aliases) */
} wsym;
/* an interface's exports or a world's imports and exports (wac's `externs`) */
typedef struct wname {
  const char *name;
  int kind;
  const char *desc;
  int is_export;
  const char *ext;  /* world item: its externdesc text (for includes), or NULL */
  uint32_t iface;   /* world item naming an interface of this document: its def, else UINT32_MAX */
  const char *pline; /* world item from a package path: its line of the synthetic WIT world (pkg_splice) */
  int borrow;       /* a type that contains a borrow */
} wname;
/* a line of the synthetic WIT world that brings a package's items into an interface or world
 * (`import ns:pkg/i@v;`, `export ...;`, `include ...`); alias_def: the package interface whose
 * types are then aliased as `$ID.TYPE` (UINT32_MAX: none) */
typedef struct wpline {
  const char *text;
  uint32_t alias_def;
} wpline;
typedef struct wdef {
  wname *items;
  uint32_t n, cap;
  int is_world;
  const char *name; /* the interface's or world's name (NULL: inline) */
  char *inst;       /* interface: the declarations of its instance type (component text) */
  uint32_t *deps;   /* the interfaces of this document it uses (written as imports before it) */
  uint32_t ndeps, capdeps;
  wpline *pl;       /* what it takes from --dep packages (see pkg_splice) */
  uint32_t npl, cappl;
  int is_pkg;       /* an interface or world of a --dep package (name: its id `ns:pkg/name[@v]`) */
  const char *wit;  /* is_pkg: its id in WIT, every identifier %-escaped (`%ns:%pkg/%name@v`) */
} wdef;

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

/* a WAC package version: MAJOR.MINOR.PATCH with optional -pre and +build (wac-parser: semver's
 * Version::parse), by lib/encode's one version parser */
static int valid_semver(const char *s, size_t n) {
  wk_semver v;
  return wk_semver_parse(s, n, &v) && v.nparts == 3;
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

/* Is the current token an identifier followed by `:` (the start of a package name or path, not a
 * plain id)? Looks one token ahead and puts the lexer back. */
static int at_package_path(P *p) {
  if (p->t.kind != T_ID) return 0;
  uint32_t save = p->pos;
  tok st = p->t;
  next(p);
  int colon = p->t.kind == T_COLON;
  p->pos = save;
  p->t = st;
  p->after_at = 0;
  return colon;
}

static int def_is_export(P *p, uint32_t def);
static void iface_id(P *p, const char *id, char *out, size_t n);
static int def_is_export(P *p, uint32_t def);
static void iface_id(P *p, const char *id, char *out, size_t n);
static void dep_add(P *p, uint32_t dep);
/* ---- types ----
 * The document is parsed twice (wkc_wac_parse): first for syntax only, as wac
 * parses a whole document before resolving it; then, once it parses, again
 * with every name resolved and checked as wac's resolver does (wac-parser
 * `resolution.rs`: a root scope and one scope per interface or world, the
 * kind each name must have, duplicate cases, fields, parameters, exports,
 * imports and uses, world includes, borrows in results). Inside an import's
 * inline type (`import x: func(...)` / `interface { ... }`) the second pass
 * also writes the type out as component text format (Explainer.md type
 * grammar) into p->w, which lib/encode's WAT parser turns into a component
 * whose import carries the type: WIT's `own`-by-default resource names,
 * `[constructor]` / `[method]` / `[static]` function names, `(eq ...)`
 * exports of named types. Names must be defined before they are used (as in
 * wac). */

/* emission helpers (no-ops when p->w is NULL) */
static void W(P *p, const char *s) { if (p->w && !p->failed) wk_buf_str(p->w, s); }
/* a WAT string literal of an identifier we already validated (kebab case: no escapes needed) */
static void Wq(P *p, const char *s) { if (p->w && !p->failed) wk_buf_printf(p->w, "\"%s\"", s); }

static void *grow(P *p, void *arr, uint32_t n, uint32_t *cap, size_t elem) {
  if (n < *cap) return arr;
  uint32_t nc = *cap ? *cap * 2 : 16;
  void *a = wk_arena_alloc(p->a, nc * elem);
  if (!a) { perr(p, p->t.start, p->t.end, "out of memory"); return NULL; }
  if (n) memcpy(a, arr, n * elem);
  *cap = nc;
  return a;
}

/* the symbol `name` in the current scope (root_only: in the root scope) */
static wsym *lookup(P *p, const char *name, int root_only) {
  uint32_t lo = root_only ? 0 : p->base, hi = root_only ? p->nroot : p->nsyms;
  for (uint32_t i = hi; i-- > lo;)
    if (!strcmp(p->syms[i].name, name)) return &p->syms[i];
  return NULL;
}
/* wac's `local_or_root_item`: the current scope, then the root scope */
static wsym *lookup_lr(P *p, const char *name) {
  wsym *s = lookup(p, name, 0);
  return s ? s : p->depth_scope ? lookup(p, name, 1) : NULL;
}

static int undefined(P *p, const char *name, uint32_t at) {
  return perr(p, at, at + (uint32_t)strlen(name), "undefined name `%s`", name);
}

/* register_name: a name is defined once per scope */
static wsym *sym_add(P *p, const char *name, int kind, const char *desc, uint32_t at) {
  if (!p->check || p->failed || !name) return NULL;
  wsym *o = lookup(p, name, 0);
  if (o) {
    uint32_t l, c;
    lc(p->s, o->at, &l, &c);
    perr(p, at, at + (uint32_t)strlen(name), "`%s` was previously defined at %u:%u", name, l, c);
    return NULL;
  }
  wsym *a = grow(p, p->syms, p->nsyms, &p->capsyms, sizeof *p->syms);
  if (!a) return NULL;
  p->syms = a;
  wsym *s = &p->syms[p->nsyms++];
  memset(s, 0, sizeof *s);
  s->name = name;
  s->kind = kind;
  s->desc = desc;
  s->at = at;
  s->def = UINT32_MAX;
  if (!p->depth_scope) p->nroot = p->nsyms;
  return s;
}

static void scope_push(P *p, uint32_t *saved_base, uint32_t *saved_n) {
  *saved_base = p->base;
  *saved_n = p->nsyms;
  p->base = p->nsyms;
  p->depth_scope++;
}
static void scope_pop(P *p, uint32_t saved_base, uint32_t saved_n) {
  p->base = saved_base;
  p->nsyms = saved_n;
  p->depth_scope--;
}

/* the items of an interface (its exports) or a world (imports and exports) being declared */
static wdef *def_new(P *p, uint32_t *idx) {
  wdef *a = grow(p, p->defs, p->ndefs, &p->capdefs, sizeof *p->defs);
  if (!a) return NULL;
  p->defs = a;
  *idx = p->ndefs;
  memset(&p->defs[p->ndefs], 0, sizeof *p->defs);
  return &p->defs[p->ndefs++];
}
static wname *def_find(P *p, uint32_t def, const char *name, int is_export) {
  if (def == UINT32_MAX || def >= p->ndefs) return NULL;
  wdef *d = &p->defs[def];
  for (uint32_t i = 0; i < d->n; i++)
    if (d->items[i].is_export == is_export && !strcmp(d->items[i].name, name)) return &d->items[i];
  return NULL;
}
static void def_add(P *p, uint32_t def, const char *name, int kind, const char *desc, int is_export) {
  if (!p->check || p->failed || def == UINT32_MAX || !name) return;
  wdef *d = &p->defs[def];
  wname *a = grow(p, d->items, d->n, &d->cap, sizeof *d->items);
  if (!a) return;
  d->items = a;
  d->items[d->n++] = (wname){name, kind, desc, is_export, NULL, UINT32_MAX, NULL, 0};
}

static const char *kind_desc(const wsym *s) {
  switch (s->kind) {
    case SYM_RES: return "resource";
    case SYM_FUNC: return "function type";
    case SYM_IFACE: return "interface";
    case SYM_WORLD: return "world";
    default: return s->desc ? s->desc : "type";
  }
}

static int type_(P *p);

static int enter(P *p) {
  if (++p->depth > 100) return perr(p, p->t.start, p->t.end, "nesting is too deep");
  return 0;
}

/* A value type; sets p->ty_borrow (it contains a borrow) and p->ty_desc (what it is). */
static int type_(P *p) {
  if (p->failed || enter(p)) return -1;
  int rc = 0, b = 0;
  const char *desc = NULL;
  if (kw(p, "tuple")) {
    next(p);
    W(p, "(tuple");
    expect(p, T_LT, NULL);
    W(p, " ");
    type_(p);
    b |= p->ty_borrow;
    while (p->t.kind == T_COMMA && !p->failed) {
      next(p);
      if (p->t.kind == T_GT) break;
      W(p, " ");
      type_(p);
      b |= p->ty_borrow;
    }
    W(p, ")");
    expect(p, T_GT, NULL);
    desc = "tuple";
  } else if (kw(p, "list") || kw(p, "option")) {
    desc = kw(p, "list") ? "list" : "option";
    W(p, kw(p, "list") ? "(list " : "(option ");
    next(p);
    expect(p, T_LT, NULL);
    type_(p);
    b |= p->ty_borrow;
    W(p, ")");
    expect(p, T_GT, NULL);
  } else if (kw(p, "borrow")) {
    next(p);
    expect(p, T_LT, NULL);
    uint32_t at = p->t.start;
    char *id = ident(p, NULL);
    if (id && p->check) {
      wsym *s = lookup(p, id, 0);
      if (!s) return p->depth--, undefined(p, id, at);
      if (s->kind != SYM_RES)
        return p->depth--, perr(p, at, at + (uint32_t)strlen(id), "`%s` (%s) is not a resource type", id, kind_desc(s));
    }
    W(p, "(borrow $");
    if (id) { wsym *s = p->check ? lookup(p, id, 0) : NULL; W(p, s && s->ref ? s->ref : id); }
    W(p, ")");
    expect(p, T_GT, NULL);
    b = 1;
    desc = "borrow";
  } else if (kw(p, "result")) {
    next(p);
    W(p, "(result");
    if (p->t.kind == T_LT) {
      next(p);
      if (p->t.kind == T_UNDERSCORE) {
        next(p);
        if (p->t.kind == T_COMMA) { next(p); W(p, " (error "); type_(p); b |= p->ty_borrow; W(p, ")"); }
        /* `result<_>`: no ok type, no error type (wac) */
      } else {
        W(p, " ");
        type_(p);
        b |= p->ty_borrow;
        if (p->t.kind == T_COMMA) { next(p); W(p, " (error "); type_(p); b |= p->ty_borrow; W(p, ")"); }
      }
      expect(p, T_GT, NULL);
    }
    W(p, ")");
    desc = "result";
  } else if (is_keyword_tok(p)) {
    static const char *prims[] = {"u8", "s8", "u16", "s16", "u32", "s32", "u64", "s64", "f32", "f64", "char", "bool", "string", NULL};
    for (int i = 0; prims[i] && !desc; i++)
      if (kw(p, prims[i])) { desc = prims[i]; W(p, prims[i]); }
    if (!desc) rc = perr(p, p->t.start, p->t.end, "expected a type, found keyword `%.*s`", (int)(p->t.end - p->t.start), p->s + p->t.start);
    else next(p);
  } else {
    uint32_t at = p->t.start;
    char *id = ident(p, NULL);
    if (!id) rc = -1;
    else if (p->check) {
      wsym *s = lookup(p, id, 0);
      if (!s) rc = undefined(p, id, at);
      else if (s->kind == SYM_RES) { W(p, "(own $"); W(p, s->ref ? s->ref : id); W(p, ")"); desc = "resource"; }
      else if (s->kind == SYM_TYPE) { W(p, "$"); W(p, s->ref ? s->ref : id); desc = s->desc; b = s->borrow; }
      else rc = perr(p, at, at + (uint32_t)strlen(id), "`%s` (%s) cannot be used as a value type", id, kind_desc(s));
    }
  }
  p->depth--;
  p->ty_borrow = b;
  p->ty_desc = desc ? desc : "type";
  return p->failed ? -1 : rc;
}

/* named-type (',' named-type)* ','? up to `close` (not consumed); emitted as (param "n" T)
 * (`what` "param") or (field "n" T); `dup` names what a duplicate is (wac's messages) */
static int named_types(P *p, int close, const char *what, const char *dup) {
  const char **seen = NULL;
  uint32_t nseen = 0, cap = 0;
  while (p->t.kind != close && !p->failed) {
    uint32_t at = p->t.start;
    char *n = ident(p, NULL);
    if (n && p->check) {
      for (uint32_t i = 0; i < nseen; i++)
        if (!strcmp(seen[i], n)) return perr(p, at, at + (uint32_t)strlen(n), "duplicate %s `%s`", dup, n);
      const char **g = grow(p, seen, nseen, &cap, sizeof *seen);
      if (!g) return -1;
      seen = g;
      seen[nseen++] = n;
    }
    W(p, " (");
    W(p, what);
    W(p, " ");
    if (n) Wq(p, n);
    W(p, " ");
    expect(p, T_COLON, NULL);
    type_(p);
    W(p, ")");
    if (p->t.kind != T_COMMA) break;
    next(p);
  }
  return p->failed ? -1 : 0;
}

/* func-type, emitted as `(func PARAMS (result T)?)`; `self_res` adds a (param "self" (borrow $R)) first,
 * `ctor_res` a (result (own $R)); `fkind` is what wac calls it in messages (function, method, ...) */
static int func_type_x(P *p, const char *self_res, const char *ctor_res, const char *fkind) {
  if (!ctor_res) expect_kw(p, "func");
  W(p, "(func");
  if (self_res) { W(p, " (param \"self\" (borrow $"); W(p, self_res); W(p, "))"); }
  expect(p, T_LPAREN, NULL);
  char dup[64];
  snprintf(dup, sizeof dup, "%s parameter", fkind);
  named_types(p, T_RPAREN, "param", dup);
  expect(p, T_RPAREN, NULL);
  if (ctor_res) { W(p, " (result (own $"); W(p, ctor_res); W(p, "))"); }
  if (!ctor_res && p->t.kind == T_ARROW) {
    next(p);
    if (p->t.kind == T_LPAREN) {
      if (p->check) return perr(p, p->t.start, p->t.end, "named function results are not supported (the component model has one result)");
      next(p);
      named_types(p, T_RPAREN, "result", "result");
      expect(p, T_RPAREN, NULL);
    } else {
      uint32_t at = p->t.start;
      W(p, " (result ");
      type_(p);
      /* CanonicalABI.md / WIT: a function result cannot contain a borrow */
      if (p->check && !p->failed && p->ty_borrow)
        return perr(p, at, p->prev_end > at ? p->prev_end : at + 1, "function result cannot recursively contain a borrow type");
      W(p, ")");
    }
  }
  W(p, ")");
  return p->failed ? -1 : 0;
}
static int func_type(P *p) { return func_type_x(p, NULL, NULL, "function"); }

/* `{ item (, item)* ,? }` for variant cases / flags / enum ids / record fields of type `name`;
 * sets p->ty_borrow */
static int list_body(P *p, int with_payload, const char *what, const char *name) {
  expect(p, T_LBRACE, NULL);
  int n = 0, b = 0;
  const char **seen = NULL;
  uint32_t nseen = 0, cap = 0;
  while (p->t.kind != T_RBRACE && !p->failed) {
    uint32_t at = p->t.start;
    char *id = ident(p, NULL);
    if (with_payload == 0) { W(p, " "); if (id) Wq(p, id); }
    if (with_payload == 1) { W(p, " (case "); if (id) Wq(p, id); }
    if (with_payload == 1 && p->t.kind == T_LPAREN) { next(p); W(p, " "); type_(p); b |= p->ty_borrow; expect(p, T_RPAREN, NULL); }
    if (with_payload == 1) W(p, ")");
    if (with_payload == 2) {
      W(p, " (field ");
      if (id) Wq(p, id);
      W(p, " ");
      expect(p, T_COLON, NULL);
      type_(p);
      b |= p->ty_borrow;
      W(p, ")");
    }
    if (id && p->check && !p->failed) {
      for (uint32_t i = 0; i < nseen; i++)
        if (!strcmp(seen[i], id))
          return perr(p, at, at + (uint32_t)strlen(id), "duplicate %s `%s` for %s type `%s`",
                      with_payload == 2 ? "field" : !strcmp(what, "flags") ? "flag" : "case", id, what, name ? name : "");
      const char **g = grow(p, seen, nseen, &cap, sizeof *seen);
      if (!g) return -1;
      seen = g;
      seen[nseen++] = id;
    }
    n++;
    if (p->t.kind != T_COMMA) break;
    next(p);
  }
  p->ty_borrow = b;
  if (!p->failed && !n && p->t.kind == T_RBRACE)
    return perr(p, p->t.start, p->t.end, "%s must contain at least one %s", what,
                with_payload == 2 ? "field" : with_payload == 1 ? "case" : !strcmp(what, "flags") ? "flag" : "case");
  return expect(p, T_RBRACE, NULL);
}

/* A named type definition, by where it is declared (p->ctx): at the root `(type $N <def>)` (the
 * statement exports it); in an interface `(type $N-def <def>)(export "N" (type $N (eq $N-def)))`;
 * in a world the same with `import` (wit-component's encoding of WIT). */
static void def_open(P *p, const char *name) {
  W(p, "(type $");
  if (name) W(p, name);
  W(p, "-def (");
}
static void def_named(P *p, const char *name) {
  if (p->ctx == CTX_ROOT) {
    /* exported as it is defined: later definitions name the export (a type that is exported may
     * only refer to exported types, Explainer.md "Type Definitions": the export rule) */
    W(p, "(export $");
    if (name) W(p, name);
    W(p, " ");
    if (name) Wq(p, name);
    W(p, " (type $");
    if (name) W(p, name);
    W(p, "-def))");
    return;
  }
  W(p, p->ctx == CTX_WORLD ? "(import " : "(export ");
  if (name) Wq(p, name);
  W(p, " (type $");
  if (name) W(p, name);
  W(p, " (eq $");
  if (name) W(p, name);
  W(p, "-def)))");
}
static void def_close(P *p, const char *name) {
  W(p, "))");
  def_named(p, name);
}
/* an item of the interface (export) or world (import) being declared: `(export "N" ` */
static void item_open(P *p, const char *name) {
  W(p, p->ctx == CTX_WORLD ? "(import " : "(export ");
  Wq(p, name);
  W(p, " ");
}

/* A type declaration in the current scope; its name (and a resource's functions) also go into
 * the items of `def` (an interface's exports, a world's imports: wac's `externs`). The name
 * declared is left in p->decl_name / p->decl_at, its kind in p->decl_kind / p->decl_desc. */
static int type_decl(P *p, uint32_t def) {
  uint32_t k = p->t.start;
  static const char *const kinds[] = {"variant", "record", "flags", "enum"};
  p->decl_name = NULL;
  p->decl_ref = NULL;
  for (int i = 0; i < 4; i++) {
    if (!kw(p, kinds[i])) continue;
    next(p);
    uint32_t at = p->t.start;
    char *id = ident(p, NULL);
    def_open(p, id);
    W(p, kinds[i]);
    list_body(p, i == 0 ? 1 : i == 1 ? 2 : 0, kinds[i], id);
    def_close(p, id);
    int b = p->ty_borrow;
    wsym *s = sym_add(p, id, SYM_TYPE, kinds[i], at);
    if (s) s->borrow = b;
    def_add(p, def, id, SYM_TYPE, kinds[i], def_is_export(p, def));
    p->decl_name = id, p->decl_at = at, p->decl_kind = SYM_TYPE, p->decl_desc = kinds[i];
    (void)k;
    return p->failed ? -1 : 0;
  }
  if (kw(p, "type")) {
    next(p);
    uint32_t at = p->t.start;
    char *id = ident(p, NULL);
    expect(p, T_EQ, NULL);
    int kind = SYM_TYPE, b = 0;
    const char *desc = NULL;
    const char *ref = NULL;
    if (kw(p, "func")) {
      W(p, "(type $");
      if (id) W(p, id);
      W(p, p->ctx == CTX_ROOT ? "-def " : " ");
      func_type(p);
      W(p, ")");
      if (p->ctx == CTX_ROOT) def_named(p, id);
      kind = SYM_FUNC;
      desc = "function type";
    } else if (p->t.kind == T_ID && !is_keyword_tok(p)) {
      /* an alias of a named item: a resource (the same resource), a value type, a function type */
      uint32_t rat = p->t.start;
      char *r = ident(p, NULL);
      wsym *s = r && p->check ? lookup(p, r, 0) : NULL;
      if (r && p->check && !s) return undefined(p, r, rat);
      const char *sref = s && s->ref ? s->ref : r;
      if (s && (s->kind == SYM_RES || s->kind == SYM_TYPE || (s->kind == SYM_FUNC && p->ctx == CTX_ROOT))) {
        if (p->ctx == CTX_ROOT) { /* the same type exported under a second name */
          W(p, "(export $");
          if (id) W(p, id);
          W(p, " ");
          if (id) Wq(p, id);
          W(p, " (type $");
          W(p, sref);
          W(p, "))");
        } else { /* an alias is the same type (for a resource, the same resource) */
          W(p, p->ctx == CTX_WORLD ? "(import " : "(export ");
          if (id) Wq(p, id);
          W(p, " (type $");
          if (id) W(p, id);
          W(p, " (eq $");
          W(p, sref);
          W(p, ")))");
        }
        kind = s->kind;
        desc = s->kind == SYM_RES ? "resource" : s->kind == SYM_FUNC ? "function type" : s->desc;
        b = s->borrow;
      } else if (s && s->kind == SYM_FUNC) {
        W(p, "(type $");
        if (id) W(p, id);
        W(p, " (func (type $");
        W(p, sref);
        W(p, ")))");
        kind = SYM_FUNC;
        desc = "function type";
      } else if (s) {
        return perr(p, rat, rat + (uint32_t)strlen(r), "`%s` (%s) cannot be used in a type alias", r, kind_desc(s));
      }
    } else {
      W(p, "(type $");
      if (id) W(p, id);
      W(p, "-def ");
      /* a reference to a named type is not a type definition: `(type $x (eq ...))` at the root
       * would not be one either, so an alias of a named type is handled above */
      type_(p);
      b = p->ty_borrow;
      desc = p->ty_desc;
      W(p, ")");
      def_named(p, id);
    }
    if (!p->failed) {
      wsym *s = sym_add(p, id, kind, desc, at);
      if (s) s->borrow = b, s->ref = ref;
      def_add(p, def, id, kind, desc, def_is_export(p, def));
      p->decl_name = id, p->decl_at = at, p->decl_kind = kind, p->decl_desc = desc, p->decl_ref = ref;
    }
    return expect(p, T_SEMI, NULL);
  }
  if (kw(p, "resource")) {
    next(p);
    uint32_t at = p->t.start;
    char *id = ident(p, NULL);
    W(p, p->ctx == CTX_WORLD ? "(import " : "(export ");
    if (id) Wq(p, id);
    W(p, " (type $");
    if (id) W(p, id);
    W(p, " (sub resource)))");
    /* the resource is defined before its functions (they refer to it) */
    sym_add(p, id, SYM_RES, "resource", at);
    def_add(p, def, id, SYM_RES, "resource", def_is_export(p, def));
    p->decl_name = id, p->decl_at = at, p->decl_kind = SYM_RES, p->decl_desc = "resource";
    if (p->t.kind == T_SEMI) return next(p);
    expect(p, T_LBRACE, NULL);
    const char **seen = NULL;
    uint32_t nseen = 0, cap = 0;
    while (p->t.kind != T_RBRACE && !p->failed) {
      uint32_t mat = p->t.start;
      const char *mname;
      char ext[600];
      if (kw(p, "constructor")) {
        mname = "";
        if (p->check)
          for (uint32_t i = 0; i < nseen; i++)
            if (!*seen[i]) return perr(p, mat, p->t.end, "duplicate constructor for resource `%s`", id ? id : "");
        next(p);
        snprintf(ext, sizeof ext, "[constructor]%s", id ? id : "");
        item_open(p, ext);
        func_type_x(p, NULL, id ? id : "", "constructor");
        W(p, ")");
      } else {
        char *m = ident(p, NULL);
        mname = m ? m : "";
        if (m && p->check)
          for (uint32_t i = 0; i < nseen; i++)
            if (!strcmp(seen[i], m))
              return perr(p, mat, mat + (uint32_t)strlen(m), "duplicate method `%s` for resource `%s`", m, id ? id : "");
        expect(p, T_COLON, NULL);
        int st = 0;
        if (kw(p, "static")) { next(p); st = 1; }
        snprintf(ext, sizeof ext, "%s%s.%s", st ? "[static]" : "[method]", id ? id : "", mname);
        item_open(p, ext);
        func_type_x(p, st ? NULL : (id ? id : ""), NULL, st ? "static method" : "method");
        W(p, ")");
      }
      if (p->check && !p->failed) {
        const char **g = grow(p, seen, nseen, &cap, sizeof *seen);
        if (!g) return -1;
        seen = g;
        seen[nseen++] = mname;
        def_add(p, def, wk_arena_strndup(p->a, ext, strlen(ext)), SYM_FUNC, "function", def_is_export(p, def));
      }
      expect(p, T_SEMI, NULL);
    }
    return expect(p, T_RBRACE, NULL);
  }
  return perr(p, p->t.start, p->t.end, "expected a type declaration, found %s", tok_desc(p->t.kind));
}

static int def_is_export(P *p, uint32_t def) { return def < p->ndefs && !p->defs[def].is_world; }

/* ---- packages ----
 * A package path in a type statement (`use ns:pkg/i.{..}`, `include ns:pkg/w`, `import ns:pkg/i;`
 * in a world) names an interface or world of a --dep package: wac's resolve_package_path looks
 * the path's segment up in the package's "definitions" (wac-types Package::find_definitions: the
 * interfaces and worlds of a WIT package; a component defines those it exports as wit-component
 * encodes a WIT package, any other component nothing). A WIT package (directory or file) is read
 * with lib/witparse (wit_resolve_push_path), a component decoded back to WIT (witdecode.h), all
 * into one Resolve; what an interface or world statement takes from packages is then written as
 * one synthetic WIT world of that Resolve, encoded as wit-component does (pkg_splice). */

/* The --dep package `name` (ns:name, optionally @version: without one it names the package's only
 * version); -1 when none. */
static int pkg_index(const wkc_pkg *pkgs, uint32_t npkgs, const char *name) {
  for (uint32_t i = 0; i < npkgs; i++)
    if (!strcmp(pkgs[i].name, name)) return (int)i;
  const char *at = strchr(name, '@');
  size_t n = at ? (size_t)(at - name) : strlen(name);
  for (uint32_t i = 0; i < npkgs; i++) {
    const char *pa = strchr(pkgs[i].name, '@');
    size_t pn = pa ? (size_t)(pa - pkgs[i].name) : strlen(pkgs[i].name);
    if (pn == n && !memcmp(pkgs[i].name, name, n) && (!at || !pa)) return (int)i;
  }
  return -1;
}

/* What a WIT type is, in wac's words ("u8", "record", "resource", ...); *is_res when it is (an
 * alias of) a resource. */
static const char *wit_desc(const wit_resolve *r, wit_type t, int *is_res) {
  *is_res = 0;
  for (int depth = 0; depth < WIT_MAX_TYPE_DEPTH; depth++) {
    if (t.prim != WIT_PRIM_ID) return wit_prim_name((wit_prim)t.prim) ? wit_prim_name((wit_prim)t.prim) : "type";
    if (t.id >= r->n_types) return "type";
    const wit_typedef *td = &r->types[t.id];
    switch (td->kind) {
      case WIT_TD_TYPE: t = td->ty; continue;
      case WIT_TD_RESOURCE: *is_res = 1; return "resource";
      case WIT_TD_RECORD: return "record";
      case WIT_TD_VARIANT: return "variant";
      case WIT_TD_ENUM: return "enum";
      case WIT_TD_FLAGS: return "flags";
      case WIT_TD_TUPLE: return "tuple";
      case WIT_TD_LIST: case WIT_TD_FIXED_LIST: return "list";
      case WIT_TD_OPTION: return "option";
      case WIT_TD_RESULT: return "result";
      case WIT_TD_BORROW: return "borrow";
      case WIT_TD_OWN: return "own";
      default: return "type";
    }
  }
  return "type";
}

/* `ns:pkg/name[@version]` of an interface or world `name` of package `pkg` (in the arena); wit: as
 * WIT spells it in any case, `%ns:%pkg/%name[@version]` (an identifier may be a WIT keyword) */
static char *wit_item_id_x(P *p, wit_id pkg, const char *name, int wit) {
  const wit_package_name *n = &p->r->packages[pkg].name;
  size_t len = strlen(n->namespace_) + strlen(n->name) + strlen(name) + (n->version ? strlen(n->version) : 0) + 12;
  char *s = wk_arena_alloc(p->a, len);
  const char *e = wit ? "%" : "";
  if (s) snprintf(s, len, "%s%s:%s%s/%s%s%s%s", e, n->namespace_, e, n->name, e, name, n->version ? "@" : "", n->version ? n->version : "");
  return s;
}
static char *wit_item_id(P *p, wit_id pkg, const char *name) { return wit_item_id_x(p, pkg, name, 0); }

static char *astr(P *p, const char *s) { return wk_arena_strndup(p->a, s, strlen(s)); }

/* a named WIT type as an item of `def` */
static void wit_type_item(P *p, uint32_t def, const char *name, wit_id id, int is_export) {
  int res;
  wit_type t = {WIT_PRIM_ID, id};
  const char *desc = wit_desc(p->r, t, &res);
  def_add(p, def, astr(p, name), res ? SYM_RES : SYM_TYPE, desc, is_export);
  if (!p->failed) p->defs[def].items[p->defs[def].n - 1].borrow = wit_type_has_borrow(p->r, t); /* lib/witparse: the one rule */
}

/* Read --dep package `pk` into p->r (once). Errors at the package name (at..end), as wac. */
static int pkg_load(P *p, int pk, const char *name, uint32_t at, uint32_t end) {
  if (!p->pmain) {
    p->pmain = wk_arena_alloc(p->a, p->npkgs * sizeof *p->pmain);
    p->pstate = wk_arena_alloc(p->a, p->npkgs);
    if (!p->pmain || !p->pstate) return perr(p, at, end, "out of memory");
    memset(p->pstate, 0, p->npkgs);
  }
  if (p->pstate[pk]) return 0;
  const wkc_pkg *k = &p->pkgs[pk];
  if (k->load_error) return perr(p, at, end, "failed to parse package `%s`: %s", name, k->load_error);
  if (!p->r && !(p->r = wit_resolve_new())) return perr(p, at, end, "out of memory");
  if (k->wit_path) {
    wit_diag wd;
    memset(&wd, 0, sizeof wd);
    if (wit_resolve_push_path(p->r, k->wit_path, &p->pmain[pk], &wd))
      return perr(p, at, end, "failed to parse package `%s`: %s:%u:%u: %s", name, wd.file, wd.err.line, wd.err.col, wd.err.msg);
    p->pstate[pk] = 1;
    return 0;
  }
  /* a component: a WIT package encoded as one defines its interfaces and worlds; decoded once on
   * its own first (a plain component would add a `root:component` package to p->r) */
  wk_error er;
  wk_error_clear(&er);
  int kind = 0;
  wit_resolve *t = wit_resolve_new();
  if (!t) return perr(p, at, end, "out of memory");
  int rc = wit_decode_bytes(t, k->bytes, k->len, NULL, NULL, &kind, &er);
  wit_resolve_free(t);
  if (rc) return perr(p, at, end, "failed to parse package `%s`: %s", name, er.msg);
  if (kind != WIT_DECODED_PACKAGE) { p->pstate[pk] = 2; return 0; }
  if (wit_decode_bytes(p->r, k->bytes, k->len, &p->pmain[pk], NULL, &kind, &er))
    return perr(p, at, end, "failed to parse package `%s`: %s", name, er.msg);
  p->pstate[pk] = 1;
  return 0;
}

static uint32_t pkg_def_x(P *p, const char *path, uint32_t at, uint32_t end, int *is_world);
/* A path with segments after the definition's (`ns:pkg/i/x`) names an export inside it (wac
 * projects into the exports), never an interface or world: the statement's error, where wac
 * reports it. `want`: what the statement needs ("an interface", "a world"). */
static void pkg_inner(P *p, uint32_t def, const char *path, uint32_t at, uint32_t end, const char *want) {
  const char *seg = strchr(path, '/') + 1, *seg2 = strchr(seg, '/') + 1;
  size_t n1 = strcspn(seg, "/@"), n2 = strcspn(seg2, "/@");
  uint32_t s2 = at;
  for (int k = 0; k < 2 && s2 < end; s2++)
    if (p->s[s2] == '/') k++;
  while (s2 < end && !is_idc(p->s[s2])) s2++;
  const wdef *d = &p->defs[def];
  const wname *it = NULL;
  for (uint32_t i = 0; i < d->n && !it; i++)
    if (d->items[i].is_export && strlen(d->items[i].name) == n2 && !memcmp(d->items[i].name, seg2, n2)) it = &d->items[i];
  if (!it) {
    perr(p, s2, s2 + (uint32_t)n2, "%s `%.*s` in package `%.*s` has no export named `%.*s`", d->is_world ? "world" : "interface",
         (int)n1, seg, (int)(strchr(path, '/') - path), path, (int)n2, seg2);
    return;
  }
  perr(p, at, end, "`%s` (%s) is not %s", path, it->kind == SYM_IFACE ? "instance" : it->desc ? it->desc : "type", want);
}
/* The interface or world that package path `path` (its text; at..end in the document) names: a
 * def (is_pkg) holding its items (an interface's exports; a world's imports and exports), named by
 * its id. *is_world tells which. UINT32_MAX when there is none (reported at wac's place). */
static uint32_t pkg_def(P *p, const char *path, uint32_t at, uint32_t end, int *is_world, const char *want) {
  uint32_t d = pkg_def_x(p, path, at, end, is_world);
  const char *slash = path ? strchr(path, '/') : NULL;
  if (d != UINT32_MAX && slash && strchr(slash + 1, '/')) {
    pkg_inner(p, d, path, at, end, want);
    return UINT32_MAX;
  }
  return d;
}
static uint32_t pkg_def_x(P *p, const char *path, uint32_t at, uint32_t end, int *is_world) {
  *is_world = 0;
  if (!p->check || p->failed || !path) return UINT32_MAX;
  const char *slash = strchr(path, '/'), *ver = strchr(path, '@');
  if (!slash) { perr(p, at, end, "`%s` is not a package path", path); return UINT32_MAX; }
  /* the spans of the package name and of the first segment in the document */
  uint32_t sl = at;
  while (sl < end && p->s[sl] != '/') sl++;
  uint32_t pe = sl;
  while (pe > at && (p->s[pe - 1] == ' ' || p->s[pe - 1] == '\t' || p->s[pe - 1] == '\n' || p->s[pe - 1] == '\r')) pe--;
  uint32_t ss = sl + 1;
  while (ss < end && (p->s[ss] == ' ' || p->s[ss] == '\t' || p->s[ss] == '\n' || p->s[ss] == '\r' || p->s[ss] == '%')) ss++;
  uint32_t se = ss;
  while (se < end && is_idc(p->s[se])) se++;
  char pkg[512], seg[256];
  snprintf(pkg, sizeof pkg, "%.*s%s", (int)(slash - path), path, ver ? ver : "");
  const char *segend = slash + 1 + strcspn(slash + 1, "/@");
  snprintf(seg, sizeof seg, "%.*s", (int)(segend - slash - 1), slash + 1);
  int pk = pkg_index(p->pkgs, p->npkgs, pkg);
  char pname[512];
  snprintf(pname, sizeof pname, "%.*s", (int)(slash - path), path);
  if (pk < 0) { perr(p, at, pe, "unknown package `%s` (give it with --dep %s=PATH)", pname, pname); return UINT32_MAX; }
  if (pkg_load(p, pk, pname, at, pe)) return UINT32_MAX;
  for (uint32_t i = 0; i < p->nprefs; i++)
    if (p->prefs[i].pk == (uint32_t)pk && !strcmp(p->prefs[i].name, seg)) {
      *is_world = p->prefs[i].world;
      return p->prefs[i].def;
    }
  wit_id iface = WIT_NONE, world = WIT_NONE;
  if (p->pstate[pk] == 1) {
    const wit_package *wp = &p->r->packages[p->pmain[pk]];
    for (uint32_t i = 0; i < wp->n_interfaces && iface == WIT_NONE; i++)
      if (!strcmp(wp->interfaces[i].name, seg)) iface = wp->interfaces[i].id;
    for (uint32_t i = 0; i < wp->n_worlds && iface == WIT_NONE && world == WIT_NONE; i++)
      if (!strcmp(wp->worlds[i].name, seg)) world = wp->worlds[i].id;
  }
  if (iface == WIT_NONE && world == WIT_NONE) {
    perr(p, ss, se, "package `%s` has no export named `%s`", pname, seg);
    return UINT32_MAX;
  }
  uint32_t def;
  wdef *d = def_new(p, &def);
  if (!d) return UINT32_MAX;
  d->is_pkg = 1;
  d->is_world = world != WIT_NONE;
  d->name = wit_item_id(p, p->pmain[pk], seg);
  d->wit = wit_item_id_x(p, p->pmain[pk], seg, 1);
  *is_world = d->is_world;
  if (iface != WIT_NONE) {
    const wit_interface *in = &p->r->interfaces[iface];
    for (uint32_t i = 0; i < in->n_types && !p->failed; i++) wit_type_item(p, def, in->types[i].name, in->types[i].id, 1);
    for (uint32_t i = 0; i < in->n_functions && !p->failed; i++)
      def_add(p, def, astr(p, in->functions[i].name), SYM_FUNC, "function", 1);
  } else {
    const wit_world *w = &p->r->worlds[world];
    for (int ex = 0; ex < 2 && !p->failed; ex++) {
      const wit_world_item *it = ex ? w->exports : w->imports;
      uint32_t n = ex ? w->n_exports : w->n_imports;
      for (uint32_t i = 0; i < n && !p->failed; i++) {
        if (it[i].kind == WIT_ITEM_TYPE) { wit_type_item(p, def, it[i].key_name, it[i].id, ex); continue; }
        const char *nm = it[i].key_name;
        if (!nm && it[i].key_iface < p->r->n_interfaces) {
          const wit_interface *ki = &p->r->interfaces[it[i].key_iface];
          nm = ki->name ? wit_item_id(p, ki->package, ki->name) : NULL;
        } else if (nm) nm = astr(p, nm);
        if (!nm) { perr(p, at, end, "out of memory"); return UINT32_MAX; }
        int fn = it[i].kind == WIT_ITEM_FUNCTION;
        def_add(p, def, nm, fn ? SYM_FUNC : SYM_IFACE, fn ? "function" : "interface", ex);
      }
    }
  }
  struct wpref *g = grow(p, p->prefs, p->nprefs, &p->capprefs, sizeof *p->prefs);
  if (!g) return UINT32_MAX;
  p->prefs = g;
  p->prefs[p->nprefs++] = (struct wpref){(uint32_t)pk, *is_world, astr(p, seg), def};
  return p->failed ? UINT32_MAX : def;
}

/* The interface or world being written takes `text` (a line of its synthetic WIT world) from a
 * package; alias_def: the package interface whose types it refers to as `$ID.TYPE` */
static void pline_add(P *p, const char *text, uint32_t alias_def) {
  if (!p->check || p->failed || p->cur_def == UINT32_MAX || !text) return;
  wdef *d = &p->defs[p->cur_def];
  for (uint32_t i = 0; i < d->npl; i++)
    if (!strcmp(d->pl[i].text, text)) {
      if (alias_def != UINT32_MAX) d->pl[i].alias_def = alias_def;
      return;
    }
  wpline *a = grow(p, d->pl, d->npl, &d->cappl, sizeof *d->pl);
  if (!a) return;
  d->pl = a;
  d->pl[d->npl++] = (wpline){text, alias_def};
}
/* ... everything interface or world `from` takes from packages (its text is written into this one) */
static void pline_merge(P *p, uint32_t from) {
  if (from == UINT32_MAX || from >= p->ndefs) return;
  for (uint32_t i = 0; i < p->defs[from].npl && !p->failed; i++) pline_add(p, p->defs[from].pl[i].text, p->defs[from].pl[i].alias_def);
}
static char *pline_of(P *p, const char *fmt, const char *id) {
  size_t n = strlen(fmt) + strlen(id) + 1;
  char *s = wk_arena_alloc(p->a, n);
  if (s) snprintf(s, n, fmt, id);
  return s;
}

/* the lines of def and of the interfaces it depends on, once each */
static void pline_collect(P *p, uint32_t def, uint8_t *seen, wpline **out, uint32_t *n, uint32_t *cap, int depth) {
  if (seen[def] || depth > 100 || p->failed) return;
  seen[def] = 1;
  const wdef *d = &p->defs[def];
  for (uint32_t i = 0; i < d->npl; i++) {
    uint32_t k = 0;
    while (k < *n && strcmp((*out)[k].text, d->pl[i].text)) k++;
    if (k < *n) { if (d->pl[i].alias_def != UINT32_MAX) (*out)[k].alias_def = d->pl[i].alias_def; continue; }
    wpline *a = grow(p, *out, *n, cap, sizeof **out);
    if (!a) return;
    *out = a;
    (*out)[(*n)++] = d->pl[i];
  }
  for (uint32_t i = 0; i < d->ndeps; i++) pline_collect(p, d->deps[i], seen, out, n, cap, depth + 1);
}

/* the offset just past the list that opens at text[open] (a `(`), skipping strings and comments */
static size_t sx_close(const char *t, size_t n, size_t open) {
  int depth = 0;
  for (size_t i = open; i < n; i++) {
    if (t[i] == '"') {
      for (i++; i < n && t[i] != '"'; i++)
        if (t[i] == '\\') i++;
    } else if (t[i] == '(' && i + 1 < n && t[i + 1] == ';') {
      int cd = 1;
      for (i += 2; i < n && cd; i++) {
        if (t[i] == '(' && i + 1 < n && t[i + 1] == ';') cd++, i++;
        else if (t[i] == ';' && i + 1 < n && t[i + 1] == ')') cd--, i++;
      }
      i--;
    } else if (t[i] == ';' && i + 1 < n && t[i + 1] == ';') {
      while (i < n && t[i] != '\n') i++;
    } else if (t[i] == '(') depth++;
    else if (t[i] == ')' && --depth == 0) return i + 1;
  }
  return n;
}

static const wk_sx *sx_child(const wk_sx *x, const char *head) {
  for (uint32_t i = 0; x && i < x->n; i++)
    if (wk_sx_head(&x->kids[i], head)) return &x->kids[i];
  return NULL;
}

/* What interface or world `def` (being written) takes from packages, as the first declarations of
 * its component type: a synthetic WIT world of those lines (`import ns:pkg/i@v;`, `export ...;`,
 * `include ...`) is encoded as wit-component encodes a world (lib/witparse) and printed (lib/encode);
 * the world type's declarations are copied as they are (they come first, so their index references
 * hold), then each package interface whose types are named gets `(alias export N "T" (type
 * $ID.T))` (wit-component's encoding of `use`). Written to out; errors at at..end. */
static int pkg_splice(P *p, uint32_t def, wk_buf *out, uint32_t at, uint32_t end) {
  if (!p->check || p->failed) return p->failed ? -1 : 0;
  if (!p->defs[def].npl && !p->defs[def].ndeps) return 0;
  uint8_t *seen = wk_calloc(p->ndefs + 1, 1);
  if (!seen) return perr(p, at, end, "out of memory");
  wpline *ls = NULL;
  uint32_t n = 0, cap = 0;
  pline_collect(p, def, seen, &ls, &n, &cap, 0);
  free(seen);
  if (!n || p->failed) return p->failed ? -1 : 0;
  wk_buf doc = {0}, bin = {0}, txt = {0};
  wk_sx_doc sx = {0};
  wk_component *c = NULL;
  wk_error er;
  wk_error_clear(&er);
  wit_diag wd;
  memset(&wd, 0, sizeof wd);
  wit_id synth = WIT_NONE, world = WIT_NONE;
  wk_buf_printf(&doc, "package wac:synth%u;\nworld w {\n", p->nsynth++);
  for (uint32_t i = 0; i < n; i++) wk_buf_printf(&doc, "  %s\n", ls[i].text);
  wk_buf_str(&doc, "}\n");
  int rc = doc.oom ? WK_ERR_NOMEM : 0;
  if (!rc && wit_resolve_push_str(p->r, "wac-packages.wit", (const char *)doc.data, doc.len, &synth, &wd)) {
    perr(p, at, end, "the items taken from packages do not form a world: %s", wd.err.msg);
    goto out;
  }
  if (!rc) rc = wit_resolve_select_world(p->r, synth, "w", &world, &er);
  if (!rc) rc = wit_encode_world_metadata(p->r, world, 0, &bin, &er);
  if (!rc) rc = wk_component_decode(bin.data, bin.len, &c, &er);
  if (!rc) rc = wk_component_print(c, &txt, &er);
  if (!rc) rc = wk_sx_read((const char *)txt.data, txt.len, &sx, &er);
  if (rc) { perr(p, at, end, "encoding the items taken from packages: %s", er.msg[0] ? er.msg : "out of memory"); goto out; }
  /* (component (type (component (type (component BODY...)) (export "wac:synthN/w" ...))) ...) */
  const wk_sx *wt = sx.n ? sx_child(sx_child(sx_child(sx_child(&sx.top[0], "type"), "component"), "type"), "component") : NULL;
  if (!wt) { perr(p, at, end, "encoding the items taken from packages: unexpected world encoding"); goto out; }
  if (wt->n > 1) {
    size_t from = wt->kids[1].offset, to = sx_close((const char *)txt.data, txt.len, wt->offset) - 1;
    wk_buf_append(out, txt.data + from, to - from);
  }
  /* the instance index of each interface import of the world type (Explainer.md: imports, exports
   * and aliases of instances each add one to the instance index space) */
  for (uint32_t i = 0; i < n; i++) {
    if (ls[i].alias_def == UINT32_MAX) continue;
    const wdef *x = &p->defs[ls[i].alias_def];
    uint32_t idx = 0, found = UINT32_MAX;
    for (uint32_t k = 1; k < wt->n && found == UINT32_MAX; k++) {
      const wk_sx *dcl = &wt->kids[k];
      int imp = wk_sx_head(dcl, "import"), exp = wk_sx_head(dcl, "export"), al = wk_sx_head(dcl, "alias");
      if (!imp && !exp && !al) continue;
      const wk_sx *desc = dcl->n ? &dcl->kids[dcl->n - 1] : NULL;
      if (!desc || !wk_sx_head(desc, "instance")) continue;
      if (imp && dcl->n > 1 && dcl->kids[1].kind == WK_SX_STRING && dcl->kids[1].len == strlen(x->name) &&
          !memcmp(dcl->kids[1].text, x->name, dcl->kids[1].len))
        found = idx;
      idx++;
    }
    if (found == UINT32_MAX) { perr(p, at, end, "interface `%s` is not imported by its encoded world", x->name); goto out; }
    for (uint32_t k = 0; k < x->n; k++)
      if (x->items[k].kind == SYM_TYPE || x->items[k].kind == SYM_RES)
        wk_buf_printf(out, "(alias export %u \"%s\" (type $%s.%s))", found, x->items[k].name, x->name, x->items[k].name);
  }
out:
  wk_sx_free(&sx);
  if (c) wk_component_free(c);
  wk_buf_free(&doc);
  wk_buf_free(&bin);
  wk_buf_free(&txt);
  return p->failed ? -1 : 0;
}

/* Interface `dep` (declared in this document) is used by the interface or world being written:
 * record it; its import is written before that interface's or world's body (emit_deps). */
static void dep_add(P *p, uint32_t dep) {
  if (!p->check || p->failed || dep == UINT32_MAX || p->cur_def == UINT32_MAX) return;
  wdef *d = &p->defs[p->cur_def];
  for (uint32_t i = 0; i < d->ndeps; i++)
    if (d->deps[i] == dep) return;
  uint32_t *a = grow(p, d->deps, d->ndeps, &d->capdeps, sizeof *d->deps);
  if (!a) return;
  d->deps = a;
  d->deps[d->ndeps++] = dep;
}

/* The imports of the interfaces in deps (each after its own dependencies, once: `seen`), with an
 * `alias export` of each of their types as `$IFACE.TYPE` (wit-component's encoding of `use`). */
static void emit_deps(P *p, wk_buf *out, const uint32_t *deps, uint32_t n, uint8_t *seen, int depth) {
  if (depth > 100) { perr(p, p->t.start, p->t.end, "interfaces use each other too deeply"); return; }
  for (uint32_t i = 0; i < n && !p->failed; i++) {
    uint32_t d = deps[i];
    if (seen[d]) continue;
    seen[d] = 1;
    wdef *x = &p->defs[d];
    emit_deps(p, out, x->deps, x->ndeps, seen, depth + 1);
    char full[600];
    iface_id(p, x->name, full, sizeof full);
    wk_buf_printf(out, "(import \"%s\" (instance $%s.inst %s))", full, x->name, x->inst ? x->inst : "");
    for (uint32_t k = 0; k < x->n; k++)
      if (x->items[k].kind == SYM_TYPE || x->items[k].kind == SYM_RES)
        wk_buf_printf(out, "(alias export $%s.inst \"%s\" (type $%s.%s))", x->name, x->items[k].name, x->name, x->items[k].name);
  }
}

/* A `use` path: an interface declared in this document, or one of a --dep package (pkg_def).
 * Returns the interface's def or UINT32_MAX; *name gets the path's text. */
static uint32_t use_path(P *p, char **name, uint32_t *at, uint32_t *end) {
  *at = p->t.start;
  if (at_package_path(p)) {
    *name = pkg_path(p, 1, at, end);
    int world;
    uint32_t d = pkg_def(p, *name, *at, *end, &world, "an interface");
    if (d != UINT32_MAX && world) {
      perr(p, *at, *end, "`%s` (world) is not an interface", *name);
      return UINT32_MAX;
    }
    return d;
  }
  char *id = ident(p, NULL);
  *name = id;
  *end = *at + (id ? (uint32_t)strlen(id) : 0);
  if (!id || !p->check) return UINT32_MAX;
  wsym *s = lookup(p, id, 1);
  if (!s) { undefined(p, id, *at); return UINT32_MAX; }
  if (s->kind != SYM_IFACE) {
    perr(p, *at, *end, "`%s` (%s) is not an interface", id, kind_desc(s));
    return UINT32_MAX;
  }
  return s->def;
}

/* `use path.{a, b as c};` in an interface (its exports) or a world (its imports) `def` */
static int use_type(P *p, uint32_t def, int in_world) {
  if (p->check && p->cur_def == UINT32_MAX)
    return perr(p, p->t.start, p->t.end, "`use` in an imported interface is not supported yet");
  expect_kw(p, "use");
  char *iname = NULL;
  uint32_t iat, iend;
  uint32_t from = use_path(p, &iname, &iat, &iend);
  expect(p, T_DOT, NULL);
  expect(p, T_LBRACE, NULL);
  while (p->t.kind != T_RBRACE && !p->failed) {
    uint32_t at = p->t.start;
    char *id = ident(p, NULL);
    char *as = NULL;
    uint32_t as_at = 0;
    if (kw(p, "as")) { next(p); as_at = p->t.start; as = ident(p, NULL); }
    if (p->check && !p->failed && from != UINT32_MAX && id) {
      wname *it = def_find(p, from, id, 1);
      if (!it)
        return perr(p, at, at + (uint32_t)strlen(id), "a type named `%s` is not defined in interface `%s`", id,
                    iname ? iname : "");
      if (it->kind != SYM_TYPE && it->kind != SYM_RES)
        return perr(p, at, at + (uint32_t)strlen(id), "`%s` (%s) is not a value type in interface `%s`", id,
                    it->kind == SYM_FUNC ? "function" : it->desc ? it->desc : "item", iname ? iname : "");
      const char *nm = as ? as : id;
      uint32_t nat = as ? as_at : at;
      if (def_find(p, def, nm, !in_world))
        return perr(p, nat, nat + (uint32_t)strlen(nm), "use of type `%s` conflicts with an %s of the same name", nm,
                    in_world ? "import" : "export");
      int borrow = it->borrow;
      def_add(p, def, nm, it->kind, it->desc, !in_world);
      if (!p->failed) p->defs[def].items[p->defs[def].n - 1].borrow = borrow;
      wsym *sy = sym_add(p, nm, it->kind, it->desc, nat);
      if (sy) sy->borrow = borrow;
      /* the used interface is imported (with its own dependencies) before the item that uses it, and
       * its type aliased as `$IFACE.TYPE` (wit-component's encoding of `use`); here the name is
       * (eq) that type, which lib/encode's WAT parser reaches with an outer alias. An interface of
       * a package is imported by the item's synthetic world (pkg_splice), named by its id. */
      if (p->defs[from].is_pkg) pline_add(p, pline_of(p, "import %s;", p->defs[from].wit), from);
      else dep_add(p, from);
      if (in_world && !p->failed) {
        /* the world item again, for a world that includes this one */
        size_t n = strlen(p->defs[from].name) + strlen(id) + 24;
        char *ext = wk_arena_alloc(p->a, n);
        if (ext) snprintf(ext, n, "(type (eq $%s.%s))", p->defs[from].name, id);
        p->defs[def].items[p->defs[def].n - 1].ext = ext;
      }
      W(p, in_world ? "(import " : "(export ");
      Wq(p, nm);
      W(p, " (type $");
      W(p, nm);
      W(p, " (eq $");
      W(p, p->defs[from].name);
      W(p, ".");
      W(p, id);
      W(p, ")))");
    }
    if (p->t.kind != T_COMMA) break;
    next(p);
  }
  expect(p, T_RBRACE, NULL);
  return expect(p, T_SEMI, NULL);
}

static int is_type_decl_kw(P *p) {
  return kw(p, "variant") || kw(p, "record") || kw(p, "flags") || kw(p, "enum") || kw(p, "type") || kw(p, "resource");
}

/* `{ interface-item* }` of interface `name` (NULL: inline), in a scope of its own, into `def`
 * (its exports); emitted as the declarations of an instance type */
static int interface_items(P *p, const char *name, uint32_t def) {
  uint32_t sb, sn;
  scope_push(p, &sb, &sn);
  int octx = p->ctx;
  p->ctx = CTX_INST;
  expect(p, T_LBRACE, NULL);
  while (p->t.kind != T_RBRACE && !p->failed) {
    if (kw(p, "use")) use_type(p, def, 0);
    else if (is_type_decl_kw(p)) type_decl(p, def);
    else {
      uint32_t at = p->t.start;
      char *n = ident(p, NULL);
      expect(p, T_COLON, NULL);
      W(p, "(export ");
      if (n) Wq(p, n);
      W(p, " ");
      if (kw(p, "func")) func_type(p);
      else {
        uint32_t fat = p->t.start;
        char *f = ident(p, NULL);
        if (f && p->check) {
          wsym *s = lookup(p, f, 0);
          if (!s) return undefined(p, f, fat);
          if (s->kind != SYM_FUNC)
            return perr(p, fat, fat + (uint32_t)strlen(f), "`%s` (%s) is not a function type", f, kind_desc(s));
        }
        W(p, "(func (type $");
        if (f) { wsym *s = p->check ? lookup(p, f, 0) : NULL; W(p, s && s->ref ? s->ref : f); }
        W(p, "))");
      }
      W(p, ")");
      if (n && p->check && !p->failed) {
        if (def_find(p, def, n, 1))
          return perr(p, at, at + (uint32_t)strlen(n), "duplicate interface export `%s`%s%s%s", n, name ? " for interface `" : "",
                      name ? name : "", name ? "`" : "");
        def_add(p, def, n, SYM_FUNC, "function", 1);
      }
      expect(p, T_SEMI, NULL);
    }
  }
  scope_pop(p, sb, sn);
  p->ctx = octx;
  return expect(p, T_RBRACE, NULL);
}

/* an include of a world, checked after the world's other items (as wac) */
typedef struct winc {
  char *world;
  uint32_t at, end;
  uint32_t def; /* UINT32_MAX: a package path */
  struct { char *from, *to; uint32_t from_at, to_at; int used; } *with;
  uint32_t nwith;
} winc;

static int world_add_item(P *p, uint32_t def, const char *world, const char *name, uint32_t at, uint32_t end, int is_export,
                          int kind, const char *ext, uint32_t iface) {
  if (!p->check || p->failed || !name) return p->failed ? -1 : 0;
  if (def_find(p, def, name, is_export))
    return perr(p, at, end, "%s `%s` conflicts with existing %s of the same name in world `%s`", is_export ? "export" : "import",
                name, is_export ? "export" : "import", world);
  def_add(p, def, name, kind, kind == SYM_IFACE ? "interface" : "function", is_export);
  wdef *d = &p->defs[def];
  d->items[d->n - 1].ext = ext;
  d->items[d->n - 1].iface = iface;
  return 0;
}

/* text written to p->w since `from`, as a string in the arena (NULL when not writing) */
static char *since(P *p, size_t from) {
  if (!p->w || p->failed || p->w->oom || p->w->len < from) return NULL;
  return wk_arena_strndup(p->a, (const char *)p->w->data + from, p->w->len - from);
}

/* A world item naming an interface declared in this document (`import i;`): the interface is
 * imported with its dependencies (as a dependency is); an export exports its instance type. */
static void world_iface_item(P *p, uint32_t iface, const char *full, int is_export) {
  pline_merge(p, iface);
  if (!is_export) { dep_add(p, iface); return; }
  for (uint32_t i = 0; i < p->defs[iface].ndeps; i++) dep_add(p, p->defs[iface].deps[i]);
  W(p, "(export ");
  Wq(p, full);
  W(p, " (instance ");
  W(p, p->defs[iface].inst ? p->defs[iface].inst : "");
  W(p, "))");
}

/* extern-type / world-item-path after import/export in world `world` */
static int world_item_path(P *p, uint32_t def, const char *world, int is_export) {
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
  if (path) {
    uint32_t at, end;
    char *pp = pkg_path(p, 1, &at, &end);
    if (!pp) return -1;
    if (!p->check) return 0;
    /* an interface of a --dep package: the world item is named by the interface's id (wac) */
    int w;
    uint32_t d = pkg_def(p, pp, at, end, &w, "an interface");
    if (d == UINT32_MAX) return -1;
    if (w) return perr(p, at, end, "`%s` (world) is not an interface", pp);
    const char *full = p->defs[d].name;
    if (world_add_item(p, def, world, full, at, end, is_export, SYM_IFACE, NULL, UINT32_MAX)) return -1;
    char *line = pline_of(p, is_export ? "export %s;" : "import %s;", p->defs[d].wit);
    p->defs[def].items[p->defs[def].n - 1].pline = line;
    pline_add(p, line, UINT32_MAX);
    return p->failed ? -1 : 0;
  }
  uint32_t at = p->t.start;
  char *id = ident(p, NULL);
  if (!id) return -1;
  uint32_t end = at + (uint32_t)strlen(id);
  if (!colon) {
    /* an interface declared in this document, named by its id `ns:pkg/name` */
    if (!p->check) return 0;
    wsym *s = lookup(p, id, 1);
    if (!s) return undefined(p, id, at);
    if (s->kind != SYM_IFACE) return perr(p, at, end, "`%s` (%s) is not an interface", id, kind_desc(s));
    char full[600];
    iface_id(p, id, full, sizeof full);
    char *fn = wk_arena_strndup(p->a, full, strlen(full));
    if (world_add_item(p, def, world, fn, at, end, is_export, SYM_IFACE, NULL, s->def)) return -1;
    world_iface_item(p, s->def, fn, is_export);
    return p->failed ? -1 : 0;
  }
  if (p->check && def_find(p, def, id, is_export))
    return perr(p, at, end, "%s `%s` conflicts with existing %s of the same name in world `%s`", is_export ? "export" : "import", id,
                is_export ? "export" : "import", world);
  expect(p, T_COLON, NULL);
  int kind = SYM_FUNC;
  W(p, is_export ? "(export " : "(import ");
  Wq(p, id);
  W(p, " ");
  size_t from = p->w ? p->w->len : 0;
  if (kw(p, "func")) func_type(p);
  else if (kw(p, "interface")) {
    next(p);
    uint32_t d2;
    if (p->check && !def_new(p, &d2)) return -1;
    if (!p->check) d2 = UINT32_MAX;
    W(p, "(instance ");
    interface_items(p, NULL, d2);
    W(p, ")");
    kind = SYM_IFACE;
  } else {
    uint32_t tat = p->t.start;
    char *t = ident(p, NULL);
    if (t && p->check) {
      wsym *s = lookup_lr(p, t);
      if (!s) return undefined(p, t, tat);
      if (s->kind != SYM_IFACE && s->kind != SYM_FUNC)
        return perr(p, tat, tat + (uint32_t)strlen(t), "`%s` (%s) is not a function type or interface", t, kind_desc(s));
      kind = s->kind;
      if (s->kind == SYM_FUNC) {
        W(p, "(func (type $");
        W(p, s->ref ? s->ref : t);
        W(p, "))");
      } else {
        for (uint32_t i = 0; i < p->defs[s->def].ndeps; i++) dep_add(p, p->defs[s->def].deps[i]);
        pline_merge(p, s->def);
        W(p, "(instance ");
        W(p, p->defs[s->def].inst ? p->defs[s->def].inst : "");
        W(p, ")");
      }
    }
  }
  char *ext = since(p, from);
  W(p, ")");
  return world_add_item(p, def, world, id, at, end, is_export, kind, ext, UINT32_MAX);
}

static int world_include(P *p, uint32_t def, const char *world, winc *in) {
  if (!p->check || p->failed) return p->failed ? -1 : 0;
  for (uint32_t i = 0; i < in->nwith; i++)
    for (uint32_t j = 0; j < i; j++)
      if (!strcmp(in->with[i].from, in->with[j].from))
        return perr(p, in->with[i].from_at, in->with[i].from_at + (uint32_t)strlen(in->with[i].from),
                    "duplicate `%s` in world include `with` clause", in->with[i].from);
  if (in->def == UINT32_MAX) return p->failed ? -1 : 0;
  wdef *o = &p->defs[in->def];
  /* a world of a package comes in through the synthetic world (pkg_splice), `with` and all */
  char *line = NULL;
  if (o->is_pkg) {
    wk_buf l = {0};
    wk_buf_printf(&l, "include %s", o->wit);
    for (uint32_t k = 0; k < in->nwith; k++) wk_buf_printf(&l, "%s%%%s as %%%s", k ? ", " : " with { ", in->with[k].from, in->with[k].to);
    wk_buf_str(&l, in->nwith ? " }" : ";");
    line = l.oom ? NULL : wk_arena_strndup(p->a, (const char *)l.data, l.len);
    wk_buf_free(&l);
    if (!line) return perr(p, in->at, in->end, "out of memory");
  } else {
    /* what the included world's items need: the interfaces and package items it uses */
    for (uint32_t i = 0; i < o->ndeps; i++) dep_add(p, o->deps[i]);
    pline_merge(p, in->def);
  }
  for (int ex = 0; ex < 2; ex++)
    for (uint32_t i = 0; i < o->n; i++) {
      if (o->items[i].is_export != ex) continue;
      const char *nm = o->items[i].name;
      const char *orig = nm;
      uint32_t at = in->at, end = in->end;
      if (!strchr(nm, ':'))
        for (uint32_t k = 0; k < in->nwith; k++)
          if (!in->with[k].used && !strcmp(in->with[k].from, nm)) {
            in->with[k].used = 1;
            nm = in->with[k].to;
            at = in->with[k].to_at;
            end = at + (uint32_t)strlen(nm);
            break;
          }
      wname *have = def_find(p, def, nm, ex);
      /* an interface (named by its id) is the same item in both worlds: kept once (wac) */
      if (have && strchr(nm, ':')) continue;
      if (have)
        return perr(p, at, end, "%s `%s` from world `%s` conflicts with %s of the same name in world `%s`", ex ? "export" : "import", nm,
                    in->world, ex ? "export" : "import", world);
      def_add(p, def, nm, o->items[i].kind, o->items[i].desc, ex);
      p->defs[def].items[p->defs[def].n - 1].ext = o->items[i].ext;
      p->defs[def].items[p->defs[def].n - 1].iface = o->items[i].iface;
      p->defs[def].items[p->defs[def].n - 1].borrow = o->items[i].borrow;
      p->defs[def].items[p->defs[def].n - 1].pline = line ? line : o->items[i].pline;
      /* the item again, in this world */
      if (line) continue;
      if (o->items[i].iface != UINT32_MAX) world_iface_item(p, o->items[i].iface, nm, ex);
      else if (o->items[i].pline && nm != orig)
        p->no_encode = "renaming an item that a world included from a package world is not supported yet";
      else if (o->items[i].pline) pline_add(p, o->items[i].pline, UINT32_MAX);
      else if (o->items[i].ext) {
        W(p, ex ? "(export " : "(import ");
        Wq(p, nm);
        W(p, " ");
        W(p, o->items[i].ext);
        W(p, ")");
      } else {
        p->no_encode = "including a world that declares or uses types is not supported yet";
      }
    }
  for (uint32_t k = 0; k < in->nwith; k++)
    if (!in->with[k].used)
      return perr(p, in->with[k].from_at, in->with[k].from_at + (uint32_t)strlen(in->with[k].from),
                  "world `%s` does not have an import or export named `%s`", in->world, in->with[k].from);
  if (line) pline_add(p, line, UINT32_MAX);
  return p->failed ? -1 : 0;
}

/* `{ world-item* }` of world `world`, in a scope of its own, into `def` */
static int world_items(P *p, const char *world, uint32_t def) {
  uint32_t sb, sn;
  scope_push(p, &sb, &sn);
  int octx = p->ctx;
  p->ctx = CTX_WORLD;
  winc *inc = NULL;
  uint32_t ninc = 0, capinc = 0;
  expect(p, T_LBRACE, NULL);
  while (p->t.kind != T_RBRACE && !p->failed) {
    if (kw(p, "use")) use_type(p, def, 1);
    else if (is_type_decl_kw(p)) type_decl(p, def);
    else if (kw(p, "import") || kw(p, "export")) {
      int ex = kw(p, "export");
      next(p);
      world_item_path(p, def, world, ex);
      expect(p, T_SEMI, NULL);
    } else if (kw(p, "include")) {
      next(p);
      winc in;
      memset(&in, 0, sizeof in);
      in.def = UINT32_MAX;
      in.at = p->t.start;
      if (at_package_path(p)) {
        in.world = pkg_path(p, 1, &in.at, &in.end);
        int isw;
        in.def = pkg_def(p, in.world, in.at, in.end, &isw, "a world");
        if (in.def != UINT32_MAX && !isw) return perr(p, in.at, in.end, "`%s` (interface) is not a world", in.world);
      } else {
        in.world = ident(p, NULL);
        in.end = in.at + (in.world ? (uint32_t)strlen(in.world) : 0);
        if (in.world && p->check) {
          wsym *s = lookup(p, in.world, 1);
          if (!s) return undefined(p, in.world, in.at);
          if (s->kind != SYM_WORLD) return perr(p, in.at, in.end, "`%s` (%s) is not a world", in.world, kind_desc(s));
          in.def = s->def;
        }
      }
      if (kw(p, "with")) {
        next(p);
        expect(p, T_LBRACE, NULL);
        uint32_t cap = 0;
        while (p->t.kind != T_RBRACE && !p->failed) {
          void *g = grow(p, in.with, in.nwith, &cap, sizeof *in.with);
          if (!g) return -1;
          in.with = g;
          memset(&in.with[in.nwith], 0, sizeof *in.with);
          in.with[in.nwith].from_at = p->t.start;
          in.with[in.nwith].from = ident(p, NULL);
          expect_kw(p, "as");
          in.with[in.nwith].to_at = p->t.start;
          in.with[in.nwith].to = ident(p, NULL);
          if (!p->failed) in.nwith++;
          if (p->t.kind != T_COMMA) break;
          next(p);
        }
        expect(p, T_RBRACE, NULL);
      }
      expect(p, T_SEMI, NULL);
      winc *g = grow(p, inc, ninc, &capinc, sizeof *inc);
      if (!g) return -1;
      inc = g;
      inc[ninc++] = in;
    } else {
      perr(p, p->t.start, p->t.end, "expected a world item, found %s", tok_desc(p->t.kind));
    }
  }
  /* includes last, so conflicts are found with the items the world declares itself (wac) */
  for (uint32_t i = 0; i < ninc && !p->failed; i++) world_include(p, def, world, &inc[i]);
  scope_pop(p, sb, sn);
  p->ctx = octx;
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
  uint32_t as_start, as_end; /* span of the `as` name (0 when none) */
  char *path;           /* import by package path */
  uint8_t inline_type;  /* import: 1 func / 2 interface / 3 id type */
  char *wat;            /* import with an inline type: its component text (an externdesc) */
  uint32_t path_start, path_end; /* import by package path: its span */
  uint32_t type_start;
  wexpr *e;             /* let / export */
  int spread;           /* export `...` */
  const char *tname, *tdesc; /* type statement: the name it declares (exported by wac), what it is */
  uint32_t tat;
  int tkind;
  const char *tref;     /* type statement: the $id of its definition in wkc_wac.types */
  const char *no_encode; /* type statement: checked, but cannot be encoded yet (why) */
  const char *iext;     /* type statement: the externdesc an import of it by name has, or NULL */
  const char *tyref;    /* import by type name: the name */
  uint32_t tyref_at;
} wstmt;

struct wkc_wac {
  wk_arena a;
  const char *text;
  uint32_t len;
  char *package;
  char *targets;
  wstmt *st;
  uint32_t n, cap;
  wk_buf types; /* component text: the definitions of every type statement, `(type $NAME ...)` */
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
        a.start = p->t.start;
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
    /* the access's span starts at its `.` or `[` (where wac points) */
    x->nstart = p->t.start;
    if (p->t.kind == T_DOT) {
      next(p);
      x->kind = E_ACCESS;
      x->end = p->t.end;
      x->nend = p->t.end;
      x->name = ident(p, NULL);
    } else {
      next(p);
      x->kind = E_NAMED;
      x->end = p->t.end;
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
      s->as_start = p->t.start;
      s->as_end = p->t.end;
      if (p->t.kind == T_STR) s->as = str_tok(p);
      else s->as = ident(p, NULL);
    }
    expect(p, T_COLON, NULL);
    wk_buf wat = {0};
    if (kw(p, "func") || kw(p, "interface")) {
      /* `(import "NAME" (func ...))` / `(import "NAME" (instance ...))`, the name filled in later */
      p->w = p->check ? &wat : NULL;
      s->type_start = p->t.start;
    }
    if (kw(p, "func")) { s->inline_type = 1; func_type(p); }
    else if (kw(p, "interface")) {
      s->inline_type = 2;
      next(p);
      uint32_t def = UINT32_MAX;
      if (p->check && !def_new(p, &def)) return -1;
      W(p, "(instance ");
      interface_items(p, NULL, def);
      W(p, ")");
    }
    else if (p->t.kind == T_ID) {
      if (at_package_path(p)) s->path = pkg_path(p, 1, &s->path_start, &s->path_end);
      else { s->inline_type = 3; s->tyref_at = p->t.start; s->tyref = ident(p, NULL); }
    } else {
      perr(p, p->t.start, p->t.end, "expected an import type, found %s", tok_desc(p->t.kind));
    }
    s->end = p->t.end;
    p->w = NULL;
    if (p->check && (s->inline_type == 1 || s->inline_type == 2)) {
      if (!p->failed && !wat.oom) s->wat = wk_arena_strndup(p->a, (const char *)wat.data, wat.len);
      if (!p->failed && !s->wat) perr(p, s->start, s->end, "out of memory");
    }
    wk_buf_free(&wat);
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
      s->as_start = p->t.start;
      s->as_end = p->t.end;
      if (p->t.kind == T_STR) s->as = str_tok(p);
      else s->as = ident(p, NULL);
    } else if (kw(p, "with")) { /* older wac syntax: export x with "name" */
      next(p);
      s->as_start = p->t.start;
      s->as_end = p->t.end;
      s->as = str_tok(p);
    }
    s->end = p->t.end;
    return expect(p, T_SEMI, NULL);
  }
  if (kw(p, "interface") || kw(p, "world")) {
    int world = kw(p, "world");
    wstmt *s = push_stmt(p, w, S_TYPE);
    if (!s) return -1;
    next(p);
    uint32_t at = p->t.start;
    char *id = ident(p, NULL);
    uint32_t def = UINT32_MAX;
    if (p->check) {
      wdef *d = def_new(p, &def);
      if (!d) return -1;
      d->is_world = world;
      d->name = id;
    }
    p->no_encode = NULL;
    /* the body is written on its own: the imports of the interfaces it uses go before it */
    wk_buf body = {0};
    p->w = p->check ? &body : NULL;
    p->cur_def = def;
    if (world) world_items(p, id, def);
    else interface_items(p, id, def);
    p->w = NULL;
    p->cur_def = UINT32_MAX;
    if (p->check && !p->failed && id) {
      if (body.oom) { wk_buf_free(&body); return perr(p, at, at, "out of memory"); }
      wdef *d = &p->defs[def];
      char *text = wk_arena_strndup(p->a, body.len ? (const char *)body.data : "", body.len);
      uint8_t *seen = wk_arena_alloc(p->a, p->ndefs + 1);
      wk_buf deps = {0};
      /* what it takes from packages first (pkg_splice), then the interfaces of this document it uses */
      if (text && seen && !pkg_splice(p, def, &deps, at, at + (uint32_t)strlen(id))) emit_deps(p, &deps, d->deps, d->ndeps, seen, 0);
      d = &p->defs[def];
      char full[600];
      iface_id(p, id, full, sizeof full);
      /* wit-component's encoding of a WIT interface / world (a component type exporting it) */
      if (!world) {
        d->inst = text;
        wk_buf_printf(&w->types, "(type $%s-def (component %.*s(type $%s.inst (instance %s)) (export \"%s\" (instance (type $%s.inst)))))",
                      id, (int)deps.len, deps.len ? (const char *)deps.data : "", id, text ? text : "", full, id);
        if (!d->ndeps && !d->npl) {
          size_t n = strlen(text ? text : "") + 16;
          char *x = wk_arena_alloc(p->a, n);
          if (x) snprintf(x, n, "(instance %s)", text ? text : "");
          s->iext = x;
        }
      } else {
        wk_buf_printf(&w->types, "(type $%s-def (component (type $%s.c (component %.*s%s)) (export \"%s\" (component (type $%s.c)))))", id,
                      id, (int)deps.len, deps.len ? (const char *)deps.data : "", text ? text : "", full, id);
      }
      wk_buf_printf(&w->types, "(export $%s \"%s\" (type $%s-def))\n", id, id, id);
      wk_buf_free(&deps);
    }
    wk_buf_free(&body);
    /* defined once its body is resolved: the body cannot refer to it (wac) */
    wsym *sy = sym_add(p, id, world ? SYM_WORLD : SYM_IFACE, world ? "world" : "interface", at);
    if (sy) sy->def = def;
    s->tname = id, s->tat = at, s->tkind = world ? SYM_WORLD : SYM_IFACE, s->tdesc = world ? "world" : "interface";
    s->tref = id;
    s->no_encode = p->no_encode;
    s->end = p->prev_end;
    return p->failed ? -1 : 0;
  }
  if (is_type_decl_kw(p)) {
    wstmt *s = push_stmt(p, w, S_TYPE);
    if (!s) return -1;
    p->no_encode = NULL;
    p->w = p->check ? &w->types : NULL;
    p->ctx = CTX_ROOT;
    size_t from = w->types.len;
    if (kw(p, "resource") && p->check) p->no_encode = "a resource outside an interface or world is not supported";
    int rc = type_decl(p, UINT32_MAX);
    p->w = NULL;
    s->tname = p->decl_name, s->tat = p->decl_at, s->tkind = p->decl_kind, s->tdesc = p->decl_desc;
    s->tref = p->decl_ref ? p->decl_ref : p->decl_name;
    if (p->check && !rc && s->tkind == SYM_FUNC && s->tref) {
      size_t n = strlen(s->tref) + 16;
      char *x = wk_arena_alloc(p->a, n);
      if (x) snprintf(x, n, "(func (type $%s))", s->tref);
      s->iext = x;
    }
    if (w->types.len > from) wk_buf_byte(&w->types, '\n');
    s->no_encode = p->no_encode;
    s->end = p->prev_end;
    return rc;
  }
  if (kw(p, "package"))
    return perr(p, p->t.start, p->t.end, "a package declaration may only appear once, at the start");
  return perr(p, p->t.start, p->t.end, "expected a statement (import, let, export, interface, world, type), found %s",
              p->t.kind == T_ID ? "identifier" : tok_desc(p->t.kind));
}

/* The interface id of interface `id` declared in this document: ns:pkg/id[@version] */
static void iface_id(P *p, const char *id, char *out, size_t n) {
  const char *pk = p->package ? p->package : "";
  const char *at = strchr(pk, '@');
  snprintf(out, n, "%.*s/%s%s", at ? (int)(at - pk) : (int)strlen(pk), pk, id, at ? at : "");
}

/* One pass over the document (check: the second, resolving pass) into w. */
static int parse_pass(const char *text, size_t len, wkc_wac *w, wkc_diag *d, int check, const wkc_pkg *pkgs, uint32_t npkgs);

static int parse_doc(const char *text, size_t len, wkc_wac **out, wkc_diag *d, int resolve, const wkc_pkg *pkgs,
                     uint32_t npkgs) {
  *out = NULL;
  memset(d, 0, sizeof *d);
  if (len > UINT32_MAX / 2) return wk_error_set(&d->err, WK_ERR_NOMEM, "input too large");
  /* syntax first (wac parses the whole document before it resolves anything), then names */
  for (int check = 0; check < 2; check++) {
    if (check && !resolve) break;
    wkc_wac *w = wk_calloc(1, sizeof *w);
    if (!w) return wk_error_set(&d->err, WK_ERR_NOMEM, "out of memory");
    int rc = parse_pass(text, len, w, d, check, pkgs, npkgs);
    if (rc && check && d->err.code == WK_ERR_MALFORMED) d->err.code = WK_ERR_LINK; /* a resolution error */
    if (rc || (!check && resolve)) wkc_wac_free(w);
    if (rc) return check && rc == WK_ERR_MALFORMED ? WK_ERR_LINK : rc;
    if (check || !resolve) *out = w;
  }
  return WK_OK;
}

int wkc_wac_parse(const char *text, size_t len, wkc_wac **out, wkc_diag *d) { return parse_doc(text, len, out, d, 1, NULL, 0); }
int wkc_wac_parse_pkgs(const char *text, size_t len, const wkc_pkg *pkgs, uint32_t npkgs, wkc_wac **out, wkc_diag *d) {
  return parse_doc(text, len, out, d, 1, pkgs, npkgs);
}
int wkc_wac_parse_syntax(const char *text, size_t len, wkc_wac **out, wkc_diag *d) { return parse_doc(text, len, out, d, 0, NULL, 0); }

static int parse_pass(const char *text, size_t len, wkc_wac *w, wkc_diag *d, int check, const wkc_pkg *pkgs, uint32_t npkgs) {
  w->text = text;
  w->len = (uint32_t)len;
  P p = {.s = text, .n = (uint32_t)len, .d = d, .a = &w->a, .check = check, .cur_def = UINT32_MAX,
         .pkgs = pkgs, .npkgs = pkgs ? npkgs : 0};
  next(&p);
  if (!kw(&p, "package")) {
    perr(&p, p.t.start, p.t.end, "expected a package declaration (`package ns:name;`), found %s",
         p.t.kind == T_ID ? "identifier" : tok_desc(p.t.kind));
  } else {
    next(&p);
    w->package = pkg_path(&p, 0, NULL, NULL);
    p.package = w->package;
    if (kw(&p, "targets")) { next(&p); w->targets = pkg_path(&p, 1, NULL, NULL); }
    expect(&p, T_SEMI, NULL);
  }
  while (!p.failed && p.t.kind != T_EOF) statement(&p, w);
  wit_resolve_free(p.r);
  if (p.failed) return d->err.code ? d->err.code : WK_ERR_MALFORMED;
  return WK_OK;
}

void wkc_wac_free(wkc_wac *w) {
  if (!w) return;
  wk_buf_free(&w->types);
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

enum { V_IMPORT = 1, V_INST, V_EXPORT, V_IEXP, V_TYPE };
typedef struct wval {
  uint8_t kind;
  const char *imp;   /* V_IMPORT: import name of the result */
  uint32_t inst, exp; /* V_EXPORT: instance and export; V_IEXP: exp = export of the explicit import `imp` */
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
  const struct wstmt **types; /* the type statements so far (their names are exports, for wac) */
  uint32_t ntypes;
  int types_ok;       /* the type statements' definitions are in the graph (wkc_set_type_defs) */
  uint32_t *texp;     /* per statement: its type export's index in that component */
  wk_arena a;         /* names made while building */
  struct bspan { const char *name; uint32_t start, end; uint8_t is_export; } *spans; /* where each import / export is named */
  uint32_t nspans;
  int failed;
} B;

/* The first error of the build: at bytes start..end of the document, or (located 0) at no place in
 * it (an item the composition got implicitly). Returns -1. */
static int vberr(B *b, int located, uint32_t start, uint32_t end, const char *fmt, va_list ap) {
  if (b->failed) return -1;
  b->failed = 1;
  char m[768];
  vsnprintf(m, sizeof m, fmt, ap);
  if (!located) return wk_error_set(&b->d->err, WK_ERR_LINK, "%s", m), -1;
  uint32_t l, c;
  lc(b->w->text, start, &l, &c);
  wk_error_at_line(&b->d->err, WK_ERR_LINK, l, c, "%s", m);
  b->d->start = start;
  b->d->end = end > start ? end : start + 1;
  return -1;
}
static int berr(B *b, uint32_t start, uint32_t end, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int berr(B *b, uint32_t start, uint32_t end, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = vberr(b, 1, start, end, fmt, ap);
  va_end(ap);
  return rc;
}
static int berr_noloc(B *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int berr_noloc(B *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = vberr(b, 0, 0, 0, fmt, ap);
  va_end(ap);
  return rc;
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
static int find_pkg(B *b, const char *name) { return pkg_index(b->pkgs, b->npkgs, name); }

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
  if (v->kind == V_TYPE) return berr(b, start, end, "a type declaration cannot be an instantiation argument");
  if (v->kind == V_EXPORT) rc = wkc_connect(b->g, inst, imp, v->inst, v->exp, &e);
  else if (v->kind == V_IEXP) rc = wkc_connect_import_export(b->g, inst, imp, wkc_find_import(b->g, v->imp), v->exp, &e);
  else if (v->kind == V_IMPORT) rc = wkc_connect_import(b->g, inst, imp, v->imp, &e);
  else rc = wkc_connect_instance(b->g, inst, imp, v->inst, &e);
  if (rc) return berr(b, start, end, "%s", e.msg);
  return 0;
}

/* Load --dep package `pk` when first used (as wac), so its errors point at the use (start..end). */
static int load_pkg(B *b, int pk, const char *name, uint32_t start, uint32_t end) {
  if (b->pkgs[pk].load_error)
    return berr(b, start, end, "failed to parse package `%s`: %s", name, b->pkgs[pk].load_error);
  if (b->pkgs[pk].comp == WKC_NONE) {
    uint32_t c;
    wk_error er;
    wk_error_clear(&er);
    if (wkc_add_component(b->g, b->pkgs[pk].path, b->pkgs[pk].name, b->pkgs[pk].bytes, b->pkgs[pk].len, &c, &er))
      return berr(b, start, end, "failed to parse package `%s`: %s", name, er.msg);
    ((wkc_pkg *)b->pkgs)[pk].comp = c;
  }
  return 0;
}

/* `import x: ns:pkg/iface[@v];` from a WIT package: a world importing that interface is resolved
 * next to the package (lib/witparse) and encoded as wit-component encodes worlds; its import gives
 * the type. Interfaces it uses types from are imported too, before it (as wac does). */
static int wit_path_import(B *b, const wstmt *s, const char *name, int pk, const char *pkg) {
  wit_resolve *r = wit_resolve_new();
  if (!r) return berr(b, s->path_start, s->path_end, "out of memory");
  wit_diag wd;
  memset(&wd, 0, sizeof wd);
  wit_id main = WIT_NONE, synth = WIT_NONE, world = WIT_NONE;
  wk_buf doc = {0}, bin = {0};
  wk_error er;
  wk_error_clear(&er);
  int rc = wit_resolve_push_path(r, b->pkgs[pk].wit_path, &main, &wd);
  if (rc) {
    berr(b, s->path_start, s->path_end, "failed to parse package `%s`: %s:%u:%u: %s", pkg, wd.file, wd.err.line,
         wd.err.col, wd.err.msg);
    goto out;
  }
  /* a path without a version names the package's only version (as wac) */
  const char *ver = main < r->n_packages ? r->packages[main].name.version : NULL;
  if (!strchr(s->path, '@') && ver) wk_buf_printf(&doc, "package wac:synth;\nworld w { import %s@%s; }\n", s->path, ver);
  else wk_buf_printf(&doc, "package wac:synth;\nworld w { import %s; }\n", s->path);
  wk_buf_byte(&doc, 0);
  if (doc.oom || wit_resolve_push_str(r, "wac-import.wit", (const char *)doc.data, doc.len - 1, &synth, &wd)) {
    berr(b, s->path_start, s->path_end, "package `%s` has no interface `%s`: %s", pkg, s->path, wd.err.msg);
    goto out;
  }
  if (wit_resolve_select_world(r, synth, "w", &world, &er) || wit_encode_world_metadata(r, world, 0, &bin, &er)) {
    berr(b, s->path_start, s->path_end, "interface `%s`: %s", s->path, er.msg);
    goto out;
  }
  uint32_t comp;
  char label[600];
  snprintf(label, sizeof label, "%s (WIT package %s)", b->pkgs[pk].wit_path, pkg);
  if (wkc_add_component(b->g, label, NULL, bin.data, bin.len, &comp, &er)) {
    berr(b, s->path_start, s->path_end, "interface `%s`: %s", s->path, er.msg);
    goto out;
  }
  /* the world's type: the component's one type export */
  const wk_ctypes *t = wkc_component_types(b->g, comp);
  const wk_ctnode *root = &t->t[t->root];
  const wk_ctnode *wt = NULL;
  for (uint32_t i = 0; i < root->nex && !wt; i++)
    if (t->t[wkc_peel_all(t, root->ex[i].id)].kind == WK_CT_COMP) wt = &t->t[wkc_peel_all(t, root->ex[i].id)];
  /* wit-component wraps the world: (component (export "ns:pkg/w" (component <world>))) */
  for (int k = 0; k < 4 && wt && !wt->nim && wt->nex == 1 && wt->ex[0].kind == WK_CSORT_COMPONENT; k++) wt = &t->t[wt->ex[0].id];
  if (!wt || !wt->nim) {
    berr(b, s->path_start, s->path_end, "interface `%s`: no import in its encoded world", s->path);
    goto out;
  }
  /* the interface is the world's last import; those before it are the interfaces it uses */
  for (uint32_t i = 0; i < wt->nim && !b->failed; i++) {
    int last = i + 1 == wt->nim;
    char nm[512];
    snprintf(nm, sizeof nm, "%.*s", WKC_S(wt->im[i].name));
    const char *as = last ? name : nm;
    if (!last && wkc_find_import(b->g, as) != WKC_NONE) continue; /* already imported */
    if (wkc_import_explicit_ent(b->g, as, comp, &wt->im[i], &er))
      berr(b, s->path_start, s->path_end, "%s", er.msg);
  }
out:
  wk_buf_free(&doc);
  wk_buf_free(&bin);
  wit_resolve_free(r);
  return b->failed ? -1 : 0;
}

/* `import x: ns:pkg/iface[@v];` -- the item named so in package ns:pkg[@v] (a --dep component): its
 * export of that name (the same interface at a compatible version), else its import. */
static int path_import(B *b, const wstmt *s, const char *name) {
  char pkg[512];
  const char *slash = strchr(s->path, '/'), *at = strchr(s->path, '@');
  if (!slash) return berr(b, s->path_start, s->path_end, "`%s` is not a package path", s->path);
  snprintf(pkg, sizeof pkg, "%.*s%s", (int)(slash - s->path), s->path, at ? at : "");
  int pk = find_pkg(b, pkg);
  if (pk < 0) {
    pkg[slash - s->path] = 0;
    return berr(b, s->path_start, s->path_end, "unknown package `%s` (give it with --dep %s=PATH)", pkg, pkg);
  }
  pkg[slash - s->path] = 0;
  if (b->pkgs[pk].wit_path) return wit_path_import(b, s, name, pk, pkg);
  if (load_pkg(b, pk, pkg, s->path_start, s->path_end)) return -1;
  uint32_t comp = b->pkgs[pk].comp;
  const char *pv;
  size_t pvl, pl = strlen(s->path);
  size_t pb = wkc_name_base(s->path, pl, &pv, &pvl);
  for (int pass = 0; pass < 2; pass++) {
    uint32_t n;
    const wk_ctent *items = pass == 0 ? wkc_exports(b->g, comp, &n) : wkc_imports(b->g, comp, &n);
    uint32_t hit = WKC_NONE;
    for (uint32_t i = 0; i < n && hit == WKC_NONE; i++) {
      const char *v;
      size_t vl;
      size_t ib = wkc_name_base(items[i].name.s, items[i].name.len, &v, &vl);
      if (ib == pb && !memcmp(items[i].name.s, s->path, pb) && wk_semver_compatible(pv, pvl, v, vl, WK_SEMVER_FULL_ONLY)) hit = i;
    }
    if (hit == WKC_NONE) continue;
    wk_error er;
    wk_error_clear(&er);
    if (wkc_import_explicit_item(b->g, name, comp, pass == 0, hit, &er)) return berr(b, s->path_start, s->path_end, "%s", er.msg);
    return 0;
  }
  return berr(b, s->path_start, s->path_end, "package `%s` has no item named `%s`", pkg, s->path);
}

static int eval_new(B *b, const wexpr *e, const char *bind, wval *out, int depth) {
  if (b->w->package && !strcmp(b->w->package, e->name))
    return berr(b, e->nstart, e->nend, "cannot instantiate the package being defined");
  int pk = find_pkg(b, e->name);
  if (pk < 0) return berr(b, e->nstart, e->nend, "unknown package `%s` (give it with --dep %s=PATH)", e->name, e->name);
  wk_error er;
  wk_error_clear(&er);
  if (load_pkg(b, pk, e->name, e->nstart, e->nend)) return -1;
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
      if (v.kind == V_IEXP && imp == WKC_NONE) {
        uint32_t nex;
        const wk_ctent *ex = wkc_outer_exports(b->g, wkc_find_import(b->g, v.imp), &nex);
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
    uint32_t aend = a->start + (uint32_t)strlen(a->name);
    uint32_t outer = l->v.kind == V_IMPORT ? wkc_find_import(b->g, l->v.imp) : WKC_NONE;
    uint32_t onex = 0;
    const wk_ctent *oex = outer != WKC_NONE ? wkc_outer_exports(b->g, outer, &onex) : NULL;
    if (l->v.kind != V_INST && !oex)
      return berr(b, a->start, aend, "an instance is required for a spread argument (`%s` is not one)", a->name);
    if (oex) {
      uint32_t used = 0;
      for (uint32_t k = 0; k < nim; k++) {
        if (wkc_is_connected(b->g, inst, k)) continue;
        for (uint32_t q = 0; q < onex; q++) {
          if (oex[q].name.len != im[k].name.len || memcmp(oex[q].name.s, im[k].name.s, im[k].name.len)) continue;
          wval v = {V_IEXP, l->v.imp, 0, q};
          if (wire(b, inst, k, &v, a->start, aend)) return -1;
          used++;
          break;
        }
      }
      if (!used) return berr(b, a->start, aend, "the instance has no matching exports for the remaining unsatisfied arguments");
      continue;
    }
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
    if (!used) return berr(b, a->start, aend, "the instance has no matching exports for the remaining unsatisfied arguments");
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
        return berr(b, b->loc[q].start, b->loc[q].start + (uint32_t)strlen(b->loc[q].name),
                    "import `%s` conflicts with an item that was implicitly imported by an instantiation of `%s`", nm,
                    e->name);
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
      if (base.kind == V_IMPORT) {
        uint32_t nex;
        const wk_ctent *ex = wkc_outer_exports(b->g, wkc_find_import(b->g, base.imp), &nex);
        if (!ex) return berr(b, e->start, e->end, "only an instance can be accessed (`%s` is not one)", base.imp);
        uint32_t x = e->kind == E_ACCESS ? by_kebab(ex, nex, e->name) : by_name(ex, nex, e->name);
        if (x == WKC_NONE) return berr(b, e->nstart, e->nend, "the instance has no export named `%s`", e->name);
        *out = (wval){V_IEXP, base.imp, 0, x};
        return 0;
      }
      if (base.kind != V_INST)
        return berr(b, e->start, e->end, "only an instance of a component can be accessed (%s)",
                    "an export of an instance; nested access is not supported");
      uint32_t comp = wkc_instance_component(b->g, base.inst), nex;
      const wk_ctent *ex = wkc_exports(b->g, comp, &nex);
      uint32_t x = e->kind == E_ACCESS ? by_kebab(ex, nex, e->name) : by_name(ex, nex, e->name);
      if (x == WKC_NONE)
        return berr(b, e->nstart, e->nend, "the instance has no export named `%s` (instance of %s)", e->name,
                    wkc_component_label(b->g, comp));
      *out = (wval){V_EXPORT, NULL, base.inst, x};
      return 0;
    }
  }
  return berr(b, e->start, e->end, "bad expression");
}

/* An import with an inline type: its component text becomes a component importing it (through
 * lib/encode's WAT parser), whose import gives the type of the result's import `name`. */
/* An import of the result whose type is component text `ext` (an externdesc), which may name
 * the type statements' definitions (written before it). */
static int explicit_import(B *b, const wstmt *s, const char *name, const char *ext) {
  wk_buf txt = {0}, bin = {0};
  wk_buf_str(&txt, "(component ");
  if (b->w->types.len) wk_buf_append(&txt, b->w->types.data, b->w->types.len);
  wk_buf_str(&txt, "(import \"");
  wk_buf_str(&txt, name);
  wk_buf_str(&txt, "\" ");
  wk_buf_str(&txt, ext);
  wk_buf_str(&txt, "))");
  wk_error er;
  wk_error_clear(&er);
  int rc = txt.oom ? WK_ERR_NOMEM : wk_wat_to_binary((const char *)txt.data, txt.len, &bin, &er);
  uint32_t comp = 0;
  if (!rc) {
    char label[300];
    snprintf(label, sizeof label, "the type of import `%s`", name);
    rc = wkc_add_component(b->g, label, NULL, bin.data, bin.len, &comp, &er);
  }
  if (!rc) rc = wkc_import_explicit(b->g, name, comp, 0, &er);
  wk_buf_free(&txt);
  wk_buf_free(&bin);
  if (rc) return berr(b, s->type_start, s->end, "import `%s`: %s", name, er.msg);
  return 0;
}

static void span_add(B *b, const char *name, uint32_t start, uint32_t end, int is_export) {
  struct bspan *n = wk_reallocarray(b->spans, b->nspans + 1, sizeof *n);
  char *nm = wk_arena_strndup(&b->a, name, strlen(name));
  if (n) b->spans = n;
  if (!n || !nm) return; /* only a location is lost */
  b->spans = n;
  b->spans[b->nspans++] = (struct bspan){nm, start, end, (uint8_t)is_export};
}
static const struct bspan *span_of(const B *b, const char *name, int is_export) {
  for (uint32_t i = 0; i < b->nspans; i++)
    if (b->spans[i].is_export == is_export && !strcmp(b->spans[i].name, name)) return &b->spans[i];
  return NULL;
}

/* The world a wit-component-encoded world type wraps: (component (export "ns:pkg/w" (component W))) */
static const wk_ctnode *unwrap_world(const wk_ctypes *t, uint32_t id) {
  const wk_ctnode *n = &t->t[wkc_peel_all(t, id)];
  for (int k = 0; k < 4 && n->kind == WK_CT_COMP && !n->nim && n->nex == 1 && n->ex[0].kind == WK_CSORT_COMPONENT; k++)
    n = &t->t[wkc_peel_all(t, n->ex[0].id)];
  return n->kind == WK_CT_COMP ? n : NULL;
}

/* `package ... targets PATH;` (wac LANGUAGE.md "Targets", wac-parser validate_target): the
 * composition imports only what world PATH imports, each with a type the world's import can be
 * used for, and exports everything the world exports, each usable as the world's. PATH is a world
 * of this document or of a --dep WIT package. */
static int check_targets(B *b) {
  const wkc_wac *w = b->w;
  wkc_graph *g = b->g;
  /* the path's span: after the `targets` keyword */
  const char *kwp = strstr(w->text, "targets");
  uint32_t ps = kwp ? (uint32_t)(kwp - w->text) + 7 : 0;
  while (ps < w->len && (w->text[ps] == ' ' || w->text[ps] == '\t' || w->text[ps] == '\n' || w->text[ps] == '\r')) ps++;
  uint32_t pe = ps;
  while (pe < w->len && w->text[pe] != ';' && w->text[pe] != ' ' && w->text[pe] != '\n') pe++;
  const char *path = w->targets;
  const char *slash = strchr(path, '/'), *ver = strchr(path, '@');
  if (!slash) return berr(b, ps, pe, "`%s` is not a package path", path);
  char pkg[512], seg[256];
  snprintf(pkg, sizeof pkg, "%.*s", (int)(slash - path), path);
  snprintf(seg, sizeof seg, "%.*s", (int)((ver && ver > slash ? ver : path + strlen(path)) - slash - 1), slash + 1);
  if (strchr(seg, '/')) return berr(b, ps, pe, "`%s`: a target world is named by `ns:pkg/world`", path);
  const char *dp = w->package ? w->package : "";
  const char *dv = strchr(dp, '@');
  size_t dn = dv ? (size_t)(dv - dp) : strlen(dp);
  const wk_ctypes *wt = NULL;
  const wk_ctnode *world = NULL;
  if (strlen(pkg) == dn && !memcmp(pkg, dp, dn)) {
    /* a world of this document */
    uint32_t ss = ps + (uint32_t)(slash - path) + 1;
    local *l = find_local(b, seg);
    if (!l) return berr(b, ss, ss + (uint32_t)strlen(seg), "undefined name `%s`", seg);
    const wstmt *ts = l->v.kind == V_TYPE ? &w->st[l->v.inst] : NULL;
    if (!ts || ts->tkind != SYM_WORLD)
      return berr(b, ps, pe, "`%s` (%s) is not a world", path, ts && ts->tdesc ? ts->tdesc : "instance");
    if (!b->types_ok) return 0; /* reported as not encodable */
    wt = wkc_component_types(g, g->types_comp);
    const wk_ctnode *root = &wt->t[wt->root];
    for (uint32_t i = 0; i < root->nex && !world; i++)
      if (cstr_eq(root->ex[i].name, seg)) world = unwrap_world(wt, root->ex[i].id);
  } else {
    char pv[600];
    snprintf(pv, sizeof pv, "%s%s", pkg, ver && ver > slash ? ver : "");
    int pk = find_pkg(b, pv);
    if (pk < 0) return berr(b, ps, pe, "unknown package `%s`", pkg);
    if (!b->pkgs[pk].wit_path) {
      berr(b, ps, pe, "a target world from a component package (`%s`) is not supported yet: give it as a WIT package", pkg);
      b->d->err.code = WK_ERR_UNSUPPORTED;
      return -1;
    }
    wit_resolve *r = wit_resolve_new();
    if (!r) return berr(b, ps, pe, "out of memory");
    wit_diag wd;
    memset(&wd, 0, sizeof wd);
    wit_id main = WIT_NONE, wid = WIT_NONE;
    wk_buf bin = {0};
    wk_error er;
    wk_error_clear(&er);
    uint32_t comp;
    if (wit_resolve_push_path(r, b->pkgs[pk].wit_path, &main, &wd))
      berr(b, ps, pe, "failed to parse package `%s`: %s:%u:%u: %s", pkg, wd.file, wd.err.line, wd.err.col, wd.err.msg);
    else if (wit_resolve_select_world(r, main, seg, &wid, &er))
      berr(b, ps, pe, "package `%s` has no world `%s`: %s", pkg, seg, er.msg);
    else if (wit_encode_world_metadata(r, wid, 0, &bin, &er) ||
             wkc_add_component(g, b->pkgs[pk].wit_path, NULL, bin.data, bin.len, &comp, &er))
      berr(b, ps, pe, "world `%s`: %s", path, er.msg);
    wk_buf_free(&bin);
    wit_resolve_free(r);
    if (b->failed) return -1;
    wt = wkc_component_types(g, comp);
    const wk_ctnode *root = &wt->t[wt->root];
    for (uint32_t i = 0; i < root->nex && !world; i++)
      if (wkc_peel_all(wt, root->ex[i].id) < wt->nt) world = unwrap_world(wt, root->ex[i].id);
  }
  if (!world) return berr(b, ps, pe, "cannot find the type of world `%s`", path);
  /* the composition's own type: encoded once here (the tool encodes it again for output) */
  wk_buf out = {0};
  wk_error er;
  wk_error_clear(&er);
  uint32_t cc;
  if (wkc_encode(g, NULL, &out, &er) || wkc_add_component(g, "the composition", NULL, out.data, out.len, &cc, &er)) {
    wk_buf_free(&out);
    return berr(b, ps, pe, "checking the composition against `%s`: %s", path, er.msg);
  }
  wk_buf_free(&out);
  const wk_ctypes *ct = wkc_component_types(g, cc);
  const wk_ctnode *me = &ct->t[ct->root];
  char why[512], nm[512];
  for (uint32_t i = 0; i < me->nim; i++) {
    snprintf(nm, sizeof nm, "%.*s", WKC_S(me->im[i].name));
    const struct bspan *sp = span_of(b, nm, 0);
    const wk_ctent *want = NULL;
    for (uint32_t k = 0; k < world->nim && !want; k++)
      if (cstr_eq(world->im[k].name, nm)) want = &world->im[k];
    if (!want) {
      if (sp) return berr(b, sp->start, sp->end, "target world `%s` does not have an import named `%s`", path, nm);
      return berr_noloc(b, "target world `%s` does not have an import named `%s`", path, nm);
    }
    /* the world offers its import; the composition may ask for less */
    if (want->kind != me->im[i].kind || !wkc_subtype(wt, want->kind, want->id, ct, me->im[i].id, why, sizeof why)) {
      if (want->kind != me->im[i].kind) snprintf(why, sizeof why, "expected a different kind of item");
      if (sp) return berr(b, sp->start, sp->end, "import `%s` has a mismatched type for target world `%s`: %s", nm, path, why);
      return berr_noloc(b, "import `%s` has a mismatched type for target world `%s`: %s", nm, path, why);
    }
  }
  for (uint32_t k = 0; k < world->nex; k++) {
    snprintf(nm, sizeof nm, "%.*s", WKC_S(world->ex[k].name));
    const wk_ctent *have = NULL;
    for (uint32_t i = 0; i < me->nex && !have; i++)
      if (cstr_eq(me->ex[i].name, nm)) have = &me->ex[i];
    if (!have) return berr(b, ps, pe, "target world `%s` requires an export named `%s`", path, nm);
    if (have->kind != world->ex[k].kind || !wkc_subtype(ct, have->kind, have->id, wt, world->ex[k].id, why, sizeof why)) {
      if (have->kind != world->ex[k].kind) snprintf(why, sizeof why, "expected a different kind of item");
      const struct bspan *sp = span_of(b, nm, 1);
      if (sp) return berr(b, sp->start, sp->end, "export `%s` has a mismatched type for target world `%s`: %s", nm, path, why);
      return berr_noloc(b, "export `%s` has a mismatched type for target world `%s`: %s", nm, path, why);
    }
  }
  return 0;
}

int wkc_wac_build(const wkc_wac *w, wkc_graph *g, const wkc_pkg *pkgs, uint32_t npkgs, wkc_diag *d) {
  memset(d, 0, sizeof *d);
  B b = {.w = w, .g = g, .pkgs = pkgs, .npkgs = npkgs, .d = d};
  const wstmt *unsupported_at = NULL; /* the first statement we check but cannot encode yet */
  const char *unsupported_why = NULL;
  /* the type statements' definitions, one component of type definitions and type exports: wac
   * exports every type statement (its definitions come first in the result) */
  {
    int any = 0, encodable = 1;
    for (uint32_t i = 0; i < w->n; i++)
      if (w->st[i].kind == S_TYPE && w->st[i].tname) {
        any = 1;
        if (w->st[i].no_encode || !w->st[i].tref) encodable = 0;
      }
    b.texp = wk_calloc(w->n + 1, sizeof *b.texp);
    if (!b.texp) return wk_error_set(&d->err, WK_ERR_NOMEM, "out of memory");
    if (any && encodable) {
      wk_buf txt = {0}, bin = {0};
      wk_buf_str(&txt, "(component\n");
      if (w->types.len) wk_buf_append(&txt, w->types.data, w->types.len);
      /* each type statement defines and exports one type, in order */
      uint32_t k = 0;
      const wstmt *first = NULL;
      for (uint32_t i = 0; i < w->n; i++) {
        const wstmt *s = &w->st[i];
        if (s->kind != S_TYPE || !s->tname) continue;
        if (!first) first = s;
        b.texp[i] = k++;
      }
      wk_buf_str(&txt, ")");
      wk_error er;
      wk_error_clear(&er);
      uint32_t tc;
      int rc = txt.oom ? WK_ERR_NOMEM : wk_wat_to_binary((const char *)txt.data, txt.len, &bin, &er);
      if (!rc) rc = wkc_add_component(g, "the type statements", NULL, bin.data, bin.len, &tc, &er);
      if (!rc) rc = wkc_set_type_defs(g, tc, &er);
      wk_buf_free(&txt);
      wk_buf_free(&bin);
      if (rc) {
        berr(&b, first->tat, first->tat + 1, "encoding the type statements: %s", er.msg);
        free(b.texp);
        return d->err.code ? d->err.code : WK_ERR_LINK;
      }
      b.types_ok = 1;
    }
  }

  for (uint32_t i = 0; i < w->n && !b.failed; i++) {
    const wstmt *s = &w->st[i];
    switch (s->kind) {
      case S_IMPORT: {
        /* the name of the import in the result: `as`, else the package path, else the local name */
        const char *name = s->as ? s->as : s->path ? s->path : s->id;
        /* an explicit import's type (a package path, an inline func/interface, a type name) would have
         * to be resolved from WIT; until then its uses would go unchecked: refuse it */
        /* the span of the import's name: `as NAME`, else the package path, else the local name */
        uint32_t ns = s->as ? s->as_start : s->path ? s->path_start : s->id_start;
        uint32_t ne = s->as ? s->as_end : s->path ? s->path_end : s->id_start + (uint32_t)strlen(s->id);
        if (wkc_find_import(g, name) != WKC_NONE) { berr(&b, ns, ne, "duplicate import `%s`", name); break; }
        if (s->as) {
          int k = wk_cname_classify(name, strlen(name));
          if (k == WK_CNAME_INVALID) { berr(&b, ns, ne, "import name `%s` is not a valid extern name", name); break; }
        }
        for (uint32_t k = 0; k < b.nimplicit; k++)
          if (!strcmp(b.implicit[k], name))
            return berr(&b, s->id_start, s->id_start + (uint32_t)strlen(s->id),
                        "import `%s` conflicts with an item that was implicitly imported by an instantiation", name),
                   free(b.loc), free(b.implicit), free(b.types), free(b.texp), free(b.spans), wk_arena_free(&b.a), WK_ERR_LINK;
        if (s->path) {
          if (path_import(&b, s, name)) break;
        } else if (!s->wat) {
          /* by the name of a type statement: a function type or an interface (wac: `local_item`) */
          local *tl = s->tyref ? find_local(&b, s->tyref) : NULL;
          const wstmt *ts = tl && tl->v.kind == V_TYPE ? &w->st[tl->v.inst] : NULL;
          if (!tl) { berr(&b, s->tyref_at, s->tyref_at + (uint32_t)strlen(s->tyref ? s->tyref : ""), "undefined name `%s`", s->tyref ? s->tyref : ""); break; }
          if (!ts || (ts->tkind != SYM_FUNC && ts->tkind != SYM_IFACE)) {
            berr(&b, s->tyref_at, s->tyref_at + (uint32_t)strlen(s->tyref), "`%s` (%s) is not a function type or interface", s->tyref,
                 ts && ts->tdesc ? ts->tdesc : "instance");
            break;
          }
          if (!ts->iext || !b.types_ok) {
            berr(&b, s->start, s->end, "importing interface `%s` by name (it uses other interfaces) is not supported yet", s->tyref);
            d->err.code = WK_ERR_UNSUPPORTED;
            break;
          }
          char full[600];
          if (!s->as && ts->tkind == SYM_IFACE) {
            const char *pk = w->package ? w->package : "";
            const char *at = strchr(pk, '@');
            snprintf(full, sizeof full, "%.*s/%s%s", at ? (int)(at - pk) : (int)strlen(pk), pk, ts->tname, at ? at : "");
            name = full;
            if (wkc_find_import(g, name) != WKC_NONE) { berr(&b, s->id_start, s->id_start + (uint32_t)strlen(s->id), "duplicate import `%s`", name); break; }
          }
          if (explicit_import(&b, s, name, ts->iext)) break;
          name = wk_arena_strndup(&b.a, name, strlen(name));
          if (!name) { berr(&b, s->start, s->end, "out of memory"); break; }
        } else if (explicit_import(&b, s, name, s->wat)) break;
        span_add(&b, name, ns, ne, 0);
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
        uint32_t es = s->e->start, ee = s->e->end;
        if (s->spread) {
          uint32_t nex, added = 0;
          const wk_ctent *ex = NULL;
          uint32_t outer = v.kind == V_IMPORT ? wkc_find_import(g, v.imp) : WKC_NONE;
          if (v.kind == V_INST) ex = wkc_exports(g, wkc_instance_component(g, v.inst), &nex);
          else if (outer != WKC_NONE) ex = wkc_outer_exports(g, outer, &nex);
          if (!ex) { berr(&b, es, ee, "only an instance can be spread into exports"); break; }
          for (uint32_t k = 0; k < nex && !b.failed; k++) {
            char nm[512];
            snprintf(nm, sizeof nm, "%.*s", WKC_S(ex[k].name));
            if (wkc_has_export(g, nm)) continue; /* earlier exports win (LANGUAGE.md "Export Statements") */
            int rc = v.kind == V_INST ? wkc_export(g, v.inst, k, NULL, &er) : wkc_export_import_export(g, outer, k, nm, &er);
            if (rc) berr(&b, es, ee, "%s", er.msg);
            added++;
          }
          if (!b.failed && !added)
            berr(&b, es, ee, "instance has no exports or all exports of the instance match previously exported names");
          break;
        }
        if (v.kind == V_TYPE) { /* a type statement exported again under another name */
          const wstmt *ts = &w->st[v.inst];
          if (!s->as) { berr(&b, es, ee, "export statement requires an `as` clause as the export name cannot be inferred"); break; }
          int ck = wk_cname_classify(s->as, strlen(s->as));
          if (ck != WK_CNAME_PLAIN && ck != WK_CNAME_INTERFACE) {
            berr(&b, s->as_start, s->as_end, "export name `%s` is not valid (a kebab-case name or an interface name)", s->as);
            break;
          }
          if (wkc_has_export(g, s->as)) { berr(&b, s->as_start, s->as_end, "duplicate export `%s`", s->as); break; }
          if (!b.types_ok) break; /* reported at the end (not encodable) */
          if (wkc_export_type(g, b.texp[v.inst], s->as, &er)) berr(&b, s->as_start, s->as_end, "%s", er.msg);
          (void)ts;
          break;
        }
        /* the export name: `as`, else the name the value carries */
        char inferred[512] = "";
        const char *name = s->as;
        uint32_t ns = s->as ? s->as_start : es, ne = s->as ? s->as_end : ee;
        if (!name && v.kind == V_EXPORT) {
          uint32_t nex;
          const wk_ctent *ex = wkc_exports(g, wkc_instance_component(g, v.inst), &nex);
          snprintf(inferred, sizeof inferred, "%.*s", WKC_S(ex[v.exp].name));
          name = inferred;
        } else if (!name && v.kind == V_IEXP) {
          uint32_t nex;
          const wk_ctent *ex = wkc_outer_exports(g, wkc_find_import(g, v.imp), &nex);
          snprintf(inferred, sizeof inferred, "%.*s", WKC_S(ex[v.exp].name));
          name = inferred;
        } else if (!name && v.kind == V_IMPORT) {
          name = v.imp;
        }
        if (!name) { berr(&b, es, ee, "export statement requires an `as` clause as the export name cannot be inferred"); break; }
        int ck = wk_cname_classify(name, strlen(name));
        if (ck != WK_CNAME_PLAIN && ck != WK_CNAME_INTERFACE) {
          berr(&b, ns, ne, "export name `%s` is not valid (a kebab-case name or an interface name)", name);
          break;
        }
        const wstmt *td = NULL;
        for (uint32_t k = 0; k < b.ntypes && !td; k++)
          if (!strcmp(b.types[k]->tname, name)) td = b.types[k];
        if (td) { berr(&b, ns, ne, "export `%s` conflicts with %s definition", name, td->tdesc ? td->tdesc : "type"); break; }
        if (wkc_has_export(g, name)) { berr(&b, ns, ne, "duplicate export `%s`", name); break; }
        int rc = 0;
        if (v.kind == V_EXPORT) rc = wkc_export(g, v.inst, v.exp, name, &er);
        else if (v.kind == V_INST) rc = wkc_export_instance(g, v.inst, name, &er);
        else if (v.kind == V_IEXP) rc = wkc_export_import_export(g, wkc_find_import(g, v.imp), v.exp, name, &er);
        else rc = wkc_export_import(g, v.imp, name, &er);
        if (rc) berr(&b, ns, ne, "%s", er.msg);
        else span_add(&b, name, ns, ne, 1);
        break;
      }
      default: { /* a type statement: resolved and checked by the parser; wac exports it */
        if (!s->tname) break;
        uint32_t te = s->tat + (uint32_t)strlen(s->tname);
        if (wkc_has_export(g, s->tname)) {
          berr(&b, s->tat, te, "type declaration `%s` conflicts with a previous export of the same name", s->tname);
          break;
        }
        const wstmt **nt = wk_reallocarray(b.types, b.ntypes + 1, sizeof *nt);
        if (!nt) { berr(&b, s->tat, te, "out of memory"); break; }
        b.types = nt;
        b.types[b.ntypes++] = s;
        wval v = {V_TYPE, NULL, i, 0};
        if (add_local(&b, s->tname, v, s->tat)) break;
        if (s->no_encode && !unsupported_at)
          unsupported_at = s, unsupported_why = s->no_encode;
        if (b.types_ok) {
          wk_error er;
          wk_error_clear(&er);
          if (wkc_export_type(g, b.texp[i], s->tname, &er)) berr(&b, s->tat, te, "%s", er.msg);
        }
        break;
      }
    }
  }
  if (!b.failed && unsupported_at) {
    berr(&b, unsupported_at->start, unsupported_at->end, "%s", unsupported_why);
    d->err.code = WK_ERR_UNSUPPORTED;
  }
  if (!b.failed && w->targets) check_targets(&b);
  free(b.spans);
  free(b.types);
  free(b.texp);
  wk_arena_free(&b.a);
  free(b.loc);
  free(b.implicit);
  return b.failed ? (d->err.code ? d->err.code : WK_ERR_LINK) : WK_OK;
}

void wkc_diag_render(const char *file, const char *text, size_t len, const wkc_diag *d, wk_buf *out) {
  wit_snippet_render(file, text, len, d->err.line, d->err.col, d->start, d->end, d->err.msg, out);
}
