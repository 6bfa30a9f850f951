/*
 * lib/encode/wat_sx.c — the S-expression reader under the WAT parsers.
 *
 * Core spec 6.3 "Lexical Format": the text is a sequence of tokens
 * (`(`, `)`, keywords, reserved tokens, strings, ids) separated by
 * whitespace: spaces, tabs, newlines, line comments `;; ...` and nestable
 * block comments `(; ... ;)`. Annotations (`(@name ...)`, annotations
 * proposal) become lists whose first child is a WK_SX_ANNOT atom.
 *
 * The reader keeps no pointers into the caller's text except for keyword,
 * reserved and plain-id atoms (which point into `text`): the text must
 * outlive the document. Decoded strings live in the document's arena.
 */
#include <stdlib.h>
#include <string.h>

#include "encode/sections.h"
#include "encode/wat.h"

typedef struct sxr {
  const char *s;
  size_t len, pos;
  uint32_t line;
  size_t line_start;
  wk_arena *arena;
  wk_error *err;
  unsigned annot; /* > 0: inside an annotation `(@id ...)` */
} sxr;

static uint32_t col_of(const sxr *r, size_t pos) { return (uint32_t)(pos - r->line_start + 1); }

static int fail_at(sxr *r, size_t pos, const char *msg) {
  /* recompute the line of `pos` when it lies before the current line start */
  uint32_t line = r->line;
  size_t ls = r->line_start;
  if (pos < ls) {
    line = 1, ls = 0;
    for (size_t i = 0; i < pos; i++)
      if (r->s[i] == '\n') line++, ls = i + 1;
  }
  return wk_error_at_line(r->err, WK_ERR_MALFORMED, line, (uint32_t)(pos - ls + 1), "%s", msg);
}

/* Core spec 6.3.3: idchar */
static int is_idchar(unsigned char c) {
  if (c >= '0' && c <= '9') return 1;
  if (c >= 'a' && c <= 'z') return 1;
  if (c >= 'A' && c <= 'Z') return 1;
  return c && strchr("!#$%&'*+-./:<=>?@\\^_`|~", c) != NULL;
}

static void newline(sxr *r, size_t at) {
  r->line++;
  r->line_start = at + 1;
}

/* Skip whitespace and comments (6.3.4, 6.3.5). Returns WK_OK or an error
 * for an unterminated block comment or a forbidden control character. */
static int skip_ws(sxr *r) {
  while (r->pos < r->len) {
    unsigned char c = (unsigned char)r->s[r->pos];
    if (c == ' ' || c == '\t' || c == '\r') {
      r->pos++;
    } else if (c == '\n') {
      newline(r, r->pos);
      r->pos++;
    } else if (c == ';' && r->pos + 1 < r->len && r->s[r->pos + 1] == ';') {
      /* a line comment ends at a newline: U+0A, U+0D or both (6.3.4; comments.wast) */
      while (r->pos < r->len && r->s[r->pos] != '\n' && r->s[r->pos] != '\r') r->pos++;
    } else if (c == '(' && r->pos + 1 < r->len && r->s[r->pos + 1] == ';') {
      size_t start = r->pos;
      unsigned depth = 0;
      while (r->pos < r->len) {
        if (r->s[r->pos] == '(' && r->pos + 1 < r->len && r->s[r->pos + 1] == ';') {
          depth++;
          r->pos += 2;
        } else if (r->s[r->pos] == ';' && r->pos + 1 < r->len && r->s[r->pos + 1] == ')') {
          r->pos += 2;
          if (--depth == 0) break;
        } else {
          if (r->s[r->pos] == '\n') newline(r, r->pos);
          r->pos++;
        }
      }
      if (depth) return fail_at(r, start, "unterminated block comment");
    } else {
      break;
    }
  }
  return WK_OK;
}

static int hexval(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static void put_utf8(wk_buf *b, uint32_t cp) {
  if (cp < 0x80) {
    wk_buf_byte(b, (uint8_t)cp);
  } else if (cp < 0x800) {
    wk_buf_byte(b, (uint8_t)(0xc0 | (cp >> 6)));
    wk_buf_byte(b, (uint8_t)(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    wk_buf_byte(b, (uint8_t)(0xe0 | (cp >> 12)));
    wk_buf_byte(b, (uint8_t)(0x80 | ((cp >> 6) & 0x3f)));
    wk_buf_byte(b, (uint8_t)(0x80 | (cp & 0x3f)));
  } else {
    wk_buf_byte(b, (uint8_t)(0xf0 | (cp >> 18)));
    wk_buf_byte(b, (uint8_t)(0x80 | ((cp >> 12) & 0x3f)));
    wk_buf_byte(b, (uint8_t)(0x80 | ((cp >> 6) & 0x3f)));
    wk_buf_byte(b, (uint8_t)(0x80 | (cp & 0x3f)));
  }
}

/* Length of the valid UTF-8 sequence at s (max n bytes), 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  size_t k;
  uint32_t cp;
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) k = 2, cp = c & 0x1f;
  else if (c >= 0xe0 && c <= 0xef) k = 3, cp = c & 0x0f;
  else if (c >= 0xf0 && c <= 0xf4) k = 4, cp = c & 0x07;
  else return 0;
  if (n < k) return 0;
  for (size_t i = 1; i < k; i++) {
    if ((s[i] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3f);
  }
  if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10ffff))) return 0;
  if (cp >= 0xd800 && cp < 0xe000) return 0;
  return k;
}

/* A string literal at r->pos (which is '"'), Core spec 6.3.3 "Strings".
 * Decoded bytes into the arena. */
static int read_string(sxr *r, const char **out, uint32_t *outlen) {
  size_t start = r->pos;
  wk_buf b = {0};
  r->pos++;
  for (;;) {
    if (r->pos >= r->len) {
      wk_buf_free(&b);
      return fail_at(r, start, "unterminated string");
    }
    unsigned char c = (unsigned char)r->s[r->pos];
    if (c == '"') {
      r->pos++;
      break;
    }
    if (c < 0x20 || c == 0x7f) {
      wk_buf_free(&b);
      return fail_at(r, r->pos, c == '\n' ? "unterminated string" : "control character in string");
    }
    if (c == '\\') {
      size_t esc = r->pos;
      if (r->pos + 1 >= r->len) {
        wk_buf_free(&b);
        return fail_at(r, start, "unterminated string");
      }
      unsigned char e = (unsigned char)r->s[r->pos + 1];
      r->pos += 2;
      switch (e) {
      case 't': wk_buf_byte(&b, '\t'); break;
      case 'n': wk_buf_byte(&b, '\n'); break;
      case 'r': wk_buf_byte(&b, '\r'); break;
      case '"': wk_buf_byte(&b, '"'); break;
      case '\'': wk_buf_byte(&b, '\''); break;
      case '\\': wk_buf_byte(&b, '\\'); break;
      case 'u': {
        /* \u{hexnum}: hexnum may hold `_` between digits (6.3.3) */
        if (r->pos >= r->len || r->s[r->pos] != '{') goto bad_escape;
        r->pos++;
        uint32_t cp = 0;
        int digits = 0, last_us = 1;
        while (r->pos < r->len && r->s[r->pos] != '}') {
          int h = hexval((unsigned char)r->s[r->pos]);
          if (h >= 0) {
            if (cp > 0x10ffff) goto bad_escape;
            cp = cp * 16 + (uint32_t)h;
            digits++, last_us = 0;
          } else if (r->s[r->pos] == '_' && !last_us) {
            last_us = 1;
          } else {
            goto bad_escape;
          }
          r->pos++;
        }
        if (r->pos >= r->len || !digits || last_us) goto bad_escape;
        r->pos++;
        if (cp >= 0x110000 || (cp >= 0xd800 && cp < 0xe000)) goto bad_escape;
        put_utf8(&b, cp);
        break;
      }
      default: {
        int h1 = hexval(e), h2 = r->pos < r->len ? hexval((unsigned char)r->s[r->pos]) : -1;
        if (h1 < 0 || h2 < 0) goto bad_escape;
        r->pos++;
        wk_buf_byte(&b, (uint8_t)(h1 * 16 + h2));
        break;
      }
      bad_escape:
        wk_buf_free(&b);
        return fail_at(r, esc, "malformed escape in string");
      }
      continue;
    }
    size_t k = utf8_len((const unsigned char *)r->s + r->pos, r->len - r->pos);
    if (!k) {
      wk_buf_free(&b);
      return fail_at(r, r->pos, "malformed UTF-8 encoding");
    }
    wk_buf_append(&b, r->s + r->pos, k);
    r->pos += k;
  }
  if (b.oom) {
    wk_buf_free(&b);
    return wk_error_at_line(r->err, WK_ERR_NOMEM, r->line, col_of(r, start), "out of memory");
  }
  char *m = wk_arena_alloc(r->arena, b.len + 1);
  if (!m) {
    wk_buf_free(&b);
    return wk_error_at_line(r->err, WK_ERR_NOMEM, r->line, col_of(r, start), "out of memory");
  }
  if (b.len) memcpy(m, b.data, b.len);
  *out = m;
  *outlen = (uint32_t)b.len;
  wk_buf_free(&b);
  return WK_OK;
}

/* After an atom: the next character must end the token (6.3: tokens are
 * separated by whitespace or parentheses; `"` directly after an idchar run
 * and vice versa would make one reserved token). */
static int check_sep(sxr *r) {
  if (r->pos >= r->len) return WK_OK;
  unsigned char c = (unsigned char)r->s[r->pos];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' || c == ';') return WK_OK;
  return fail_at(r, r->pos, "unknown operator (tokens must be separated by whitespace)");
}

/* a growable child vector */
typedef struct kidvec {
  wk_sx *v;
  uint32_t n, cap;
} kidvec;

static int kv_push(kidvec *k, const wk_sx *x) {
  if (k->n == k->cap) {
    uint32_t nc = k->cap ? k->cap * 2 : 8;
    wk_sx *nv = wk_reallocarray(k->v, nc, sizeof *nv);
    if (!nv) return -1;
    k->v = nv, k->cap = nc;
  }
  k->v[k->n++] = *x;
  return 0;
}

static int finish_list(sxr *r, kidvec *k, wk_sx **out) {
  *out = NULL;
  if (!k->n) return WK_OK;
  wk_sx *m = wk_arena_alloc(r->arena, (size_t)k->n * sizeof *m);
  if (!m) return wk_error_at_line(r->err, WK_ERR_NOMEM, r->line, 1, "out of memory");
  memcpy(m, k->v, (size_t)k->n * sizeof *m);
  *out = m;
  return WK_OK;
}

static int read_items(sxr *r, kidvec *k, unsigned depth, int toplevel, size_t open_pos);

/* Core 3.0 text/lexical.rst: reserved ::= (idchar | string | ',' | ';' | '[' | ']' | '{' | '}')+ .
 * The end of such a run from `pos` (`;;` starts a comment; strings may hold escaped quotes), or
 * (size_t)-1 for a string left open. */
static size_t reserved_end(const sxr *r, size_t pos) {
  while (pos < r->len) {
    unsigned char c = (unsigned char)r->s[pos];
    if (c == '"') {
      size_t q = pos + 1;
      while (q < r->len && r->s[q] != '"' && r->s[q] != '\n') q += r->s[q] == '\\' ? 2 : 1;
      if (q >= r->len || r->s[q] != '"') return (size_t)-1;
      pos = q + 1;
    } else if (c == ';') {
      if (pos + 1 < r->len && r->s[pos + 1] == ';') break;
      pos++;
    } else if (is_idchar(c) || (c && strchr(",[]{}", c))) {
      pos++;
    } else break;
  }
  return pos;
}

/* Inside an annotation every token sequence is allowed (Core 3.0 text/lexical.rst
 * "Annotations": annot ::= '(@' annotid (space | token)* ')'), reserved tokens included. When
 * the run at r->pos is not one ordinary token (an id, keyword, number or string), it becomes
 * one WK_SX_RESERVED atom (its raw text) and 1 is returned; 0: read it as usual. */
static int annot_reserved(sxr *r, wk_sx *x) {
  unsigned char c = (unsigned char)r->s[r->pos];
  size_t e = reserved_end(r, r->pos);
  if (e == (size_t)-1 || e == r->pos) return 0; /* (read as usual: its error) */
  size_t one = r->pos; /* where the ordinary token would end */
  if (c == '"') {
    size_t q = r->pos + 1;
    while (q < r->len && r->s[q] != '"') q += r->s[q] == '\\' ? 2 : 1;
    one = q + 1;
  } else if (is_idchar(c)) {
    one = r->pos + (c == '$');
    while (one < r->len && is_idchar((unsigned char)r->s[one])) one++;
  }
  if (one == e) return 0;
  x->kind = WK_SX_RESERVED;
  x->text = r->s + r->pos, x->len = (uint32_t)(e - r->pos);
  r->pos = e;
  return 1;
}


/* One token or list at r->pos (not whitespace). */
static int read_one(sxr *r, wk_sx *x, unsigned depth) {
  memset(x, 0, sizeof *x);
  x->line = r->line;
  x->col = col_of(r, r->pos);
  x->offset = (uint32_t)r->pos;
  unsigned char c = (unsigned char)r->s[r->pos];
  if (c == '(') {
    if (depth >= WK_SX_MAX_DEPTH) return fail_at(r, r->pos, "nesting too deep");
    size_t open = r->pos;
    r->pos++;
    kidvec k = {0};
    x->kind = WK_SX_LIST;
    /* (inside an annotation `(@` with no id is `(` then the reserved token `@...`) */
    int empty_inner = r->annot && r->pos + 1 < r->len &&
                      !(is_idchar((unsigned char)r->s[r->pos + 1]) || r->s[r->pos + 1] == '"');
    if (r->pos < r->len && r->s[r->pos] == '@' && !empty_inner) {
      /* annotation head `(@name` (annotations proposal): name is idchars or a string */
      wk_sx a = {0};
      a.kind = WK_SX_ANNOT;
      a.line = r->line, a.col = col_of(r, r->pos), a.offset = (uint32_t)r->pos;
      r->pos++;
      size_t st = r->pos;
      if (r->pos < r->len && r->s[r->pos] == '"') {
        int rc = read_string(r, &a.text, &a.len);
        if (rc) return rc;
        /* Core 3.0 text/lexical.rst: annotid ::= idchar+ | name (a name is valid UTF-8) */
        if (!wk_utf8_valid((const uint8_t *)a.text, a.len)) return fail_at(r, st, "malformed UTF-8 encoding");
      } else {
        while (r->pos < r->len && is_idchar((unsigned char)r->s[r->pos])) r->pos++;
        a.text = r->s + st, a.len = (uint32_t)(r->pos - st);
      }
      if (!a.len) return fail_at(r, st, "empty annotation id");
      int rc = check_sep(r);
      if (!rc && kv_push(&k, &a)) rc = wk_error_at_line(r->err, WK_ERR_NOMEM, r->line, 1, "out of memory");
      if (rc) {
        free(k.v);
        return rc;
      }
    }
    int annot = k.n && k.v[0].kind == WK_SX_ANNOT;
    r->annot += annot;
    int rc = read_items(r, &k, depth + 1, 0, open);
    r->annot -= annot;
    if (!rc) rc = finish_list(r, &k, &x->kids);
    x->n = k.n;
    free(k.v);
    return rc;
  }
  if (r->annot && annot_reserved(r, x)) return WK_OK;
  if (c == '"') {
    x->kind = WK_SX_STRING;
    int rc = read_string(r, &x->text, &x->len);
    return rc ? rc : check_sep(r);
  }
  if (c == '$') {
    x->kind = WK_SX_ID;
    r->pos++;
    if (r->pos < r->len && r->s[r->pos] == '"') {
      /* `$"..."` (id as string, newer text format): decoded, must be non-empty UTF-8 */
      int rc = read_string(r, &x->text, &x->len);
      if (rc) return rc;
      if (!x->len) return fail_at(r, x->offset, "empty identifier");
      if (!wk_utf8_valid((const uint8_t *)x->text, x->len)) return fail_at(r, x->offset, "malformed UTF-8 encoding");
      return check_sep(r);
    }
    size_t st = r->pos;
    while (r->pos < r->len && is_idchar((unsigned char)r->s[r->pos])) r->pos++;
    if (r->pos == st) return fail_at(r, x->offset, "empty identifier");
    x->text = r->s + st, x->len = (uint32_t)(r->pos - st);
    return check_sep(r);
  }
  if (is_idchar(c)) {
    size_t st = r->pos;
    while (r->pos < r->len && is_idchar((unsigned char)r->s[r->pos])) r->pos++;
    x->kind = (c >= 'a' && c <= 'z') ? WK_SX_KEYWORD : WK_SX_RESERVED;
    x->text = r->s + st, x->len = (uint32_t)(r->pos - st);
    return check_sep(r);
  }
  if (c == ')') return fail_at(r, r->pos, "unexpected `)`");
  return fail_at(r, r->pos, c >= 0x80 ? "unexpected character (non-ASCII outside a string)"
                                      : "unexpected character");
}

static int read_items(sxr *r, kidvec *k, unsigned depth, int toplevel, size_t open_pos) {
  for (;;) {
    int rc = skip_ws(r);
    if (rc) return rc;
    if (r->pos >= r->len) {
      if (toplevel) return WK_OK;
      return fail_at(r, open_pos, "unclosed `(`");
    }
    if (r->s[r->pos] == ')') {
      if (toplevel) return fail_at(r, r->pos, "unexpected `)`");
      r->pos++;
      return WK_OK; /* `)` needs no separator after it */
    }
    wk_sx x;
    rc = read_one(r, &x, depth);
    if (rc) return rc;
    if (kv_push(k, &x)) return wk_error_at_line(r->err, WK_ERR_NOMEM, r->line, 1, "out of memory");
  }
}

int wk_sx_read(const char *text, size_t len, wk_sx_doc *doc, wk_error *err) {
  memset(doc, 0, sizeof *doc);
  wk_error_clear(err);
  wk_arena *a = wk_calloc(1, sizeof *a);
  if (!a) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  doc->mem = a;
  if (len > UINT32_MAX) return wk_error_set(err, WK_ERR_NOMEM, "text too large (over 4 GiB)");
  sxr r = {text, len, 0, 1, 0, a, err, 0};
  kidvec k = {0};
  int rc = read_items(&r, &k, 0, 1, 0);
  if (!rc) rc = finish_list(&r, &k, &doc->top);
  doc->n = rc ? 0 : k.n;
  free(k.v);
  return rc;
}

void wk_sx_free(wk_sx_doc *doc) {
  if (!doc) return;
  if (doc->mem) {
    wk_arena_free(doc->mem);
    free(doc->mem);
  }
  memset(doc, 0, sizeof *doc);
}

int wk_sx_is(const wk_sx *x, wk_sx_kind kind, const char *s) {
  if (!x || x->kind != kind || kind == WK_SX_LIST) return 0;
  size_t n = strlen(s);
  return x->len == n && !memcmp(x->text, s, n);
}

int wk_sx_head(const wk_sx *x, const char *kw) {
  return x && x->kind == WK_SX_LIST && x->n > 0 && wk_sx_is(&x->kids[0], WK_SX_KEYWORD, kw);
}
