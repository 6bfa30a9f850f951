/* WIT lexer (WIT.md "Lexical structure"; token set as wit-parser's ast/lex.rs). */
#include "witparse/internal.h"

static const struct {
  const char *kw;
  int tok;
} KEYWORDS[] = {
    {"use", T_USE},           {"type", T_TYPE},         {"func", T_FUNC},
    {"u8", T_U8},             {"u16", T_U16},           {"u32", T_U32},
    {"u64", T_U64},           {"s8", T_S8},             {"s16", T_S16},
    {"s32", T_S32},           {"s64", T_S64},           {"f32", T_F32},
    {"f64", T_F64},           {"char", T_CHAR},         {"resource", T_RESOURCE},
    {"own", T_OWN},           {"borrow", T_BORROW},     {"record", T_RECORD},
    {"flags", T_FLAGS},       {"variant", T_VARIANT},   {"enum", T_ENUM},
    {"bool", T_BOOL},         {"string", T_STRING_},    {"option", T_OPTION},
    {"result", T_RESULT},     {"future", T_FUTURE},     {"stream", T_STREAM},
    {"error-context", T_ERROR_CONTEXT}, {"list", T_LIST}, {"map", T_MAP},
    {"_", T_UNDERSCORE},      {"as", T_AS},             {"from", T_FROM},
    {"static", T_STATIC},     {"interface", T_INTERFACE}, {"tuple", T_TUPLE},
    {"world", T_WORLD},       {"import", T_IMPORT},     {"export", T_EXPORT},
    {"package", T_PACKAGE},   {"constructor", T_CONSTRUCTOR}, {"include", T_INCLUDE},
    {"with", T_WITH},         {"async", T_ASYNC},
};

const char *tok_describe(int k) {
  switch (k) {
  case T_EOF: return "eof";
  case T_WS: return "whitespace";
  case T_COMMENT: return "a comment";
  case T_EQ: return "'='";
  case T_COMMA: return "','";
  case T_COLON: return "':'";
  case T_PERIOD: return "'.'";
  case T_SEMI: return "';'";
  case T_LPAREN: return "'('";
  case T_RPAREN: return "')'";
  case T_LBRACE: return "'{'";
  case T_RBRACE: return "'}'";
  case T_LT: return "'<'";
  case T_GT: return "'>'";
  case T_RARROW: return "`->`";
  case T_STAR: return "`*`";
  case T_AT: return "`@`";
  case T_SLASH: return "`/`";
  case T_PLUS: return "`+`";
  case T_MINUS: return "`-`";
  case T_STRING: return "a string literal";
  case T_ID: return "an identifier";
  case T_EXPLICIT_ID: return "an '%' identifier";
  case T_INTEGER: return "an integer";
  default:
    for (size_t i = 0; i < sizeof KEYWORDS / sizeof KEYWORDS[0]; i++)
      if (KEYWORDS[i].tok == k) {
        static __thread char buf[64];
        snprintf(buf, sizeof buf, "keyword `%s`", KEYWORDS[i].kw);
        return buf;
      }
    return "?";
  }
}

/* Decode one UTF-8 scalar at s[*i] (advancing *i); invalid bytes give 0xFFFD. */
static uint32_t utf8_at(const char *s, uint32_t len, uint32_t *i) {
  const unsigned char *p = (const unsigned char *)s + *i;
  uint32_t left = len - *i;
  if (p[0] < 0x80) { (*i)++; return p[0]; }
  uint32_t cp, n;
  if ((p[0] & 0xE0) == 0xC0) { cp = p[0] & 0x1F; n = 2; }
  else if ((p[0] & 0xF0) == 0xE0) { cp = p[0] & 0x0F; n = 3; }
  else if ((p[0] & 0xF8) == 0xF0) { cp = p[0] & 0x07; n = 4; }
  else { (*i)++; return 0xFFFD; }
  if (n > left) { (*i)++; return 0xFFFD; }
  for (uint32_t k = 1; k < n; k++) {
    if ((p[k] & 0xC0) != 0x80) { (*i)++; return 0xFFFD; }
    cp = (cp << 6) | (p[k] & 0x3F);
  }
  *i += n;
  return cp;
}

/* Control, bidi-override and deprecated code points are rejected (as wit-parser does). */
static void detect_invalid_input(wctx *c, uint32_t file, const char *s, uint32_t len) {
  uint32_t i = 0;
  while (i < len) {
    uint32_t at = i;
    unsigned char b = (unsigned char)s[i];
    if (b >= 0x20 && b < 0x7f) { i++; continue; }
    uint32_t ch = utf8_at(s, len, &i);
    if (ch == '\n' || ch == '\r' || ch == '\t') continue;
    if ((ch >= 0x202a && ch <= 0x202e) || (ch >= 0x2066 && ch <= 0x2069))
      wfail(c, wspan(file, at, at + 1), "Input contains bidirectional override codepoint '\\u{%x}'", ch);
    if (ch == 0x149 || ch == 0x673 || ch == 0xf77 || ch == 0xf79 || ch == 0x17a3 || ch == 0x17a4 ||
        ch == 0x17b4 || ch == 0x17b5)
      wfail(c, wspan(file, at, at + 1), "Codepoint '\\u{%x}' is discouraged by Unicode", ch);
    if (ch < 0x20 || (ch >= 0x7f && ch < 0xa0))
      wfail(c, wspan(file, at, at + 1), "Control code '\\u{%x}'", ch);
  }
}

void lex_init(wctx *c, lexer *l, uint32_t file, const char *src, uint32_t len) {
  l->c = c;
  l->src = src;
  l->len = len;
  l->pos = 0;
  l->file = file;
  detect_invalid_input(c, file, src, len);
  if (len >= 3 && (unsigned char)src[0] == 0xEF && (unsigned char)src[1] == 0xBB && (unsigned char)src[2] == 0xBF)
    l->pos = 3;
}

/* Any non-ASCII byte is "keylike" here; identifiers are validated afterwards. */
static int keylike_start(unsigned char ch) { return ch >= 0x80 || ch == '_' || ch == '-' || (unsigned)((ch | 0x20) - 'a') < 26u; }
static int keylike_cont(unsigned char ch) { return keylike_start(ch) || (ch >= '0' && ch <= '9'); }

token lex_raw(lexer *l) {
  token t = {T_EOF, l->pos, l->pos};
  if (l->pos >= l->len) return t;
  const char *s = l->src;
  uint32_t p = l->pos;
  unsigned char ch = (unsigned char)s[p++];
  int k;
  switch (ch) {
  case '\n': case '\t': case ' ': case '\r':
    if (ch == '\r' && !(p < l->len && s[p] == '\n')) goto unexpected;
    while (p < l->len && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || (s[p] == '\r' && p + 1 < l->len && s[p + 1] == '\n')))
      p++;
    k = T_WS;
    break;
  case '/':
    if (p < l->len && s[p] == '/') {
      while (p < l->len && s[p] != '\n') p++;
      if (p < l->len) p++; /* the newline belongs to the comment */
      k = T_COMMENT;
    } else if (p < l->len && s[p] == '*') {
      p++;
      int depth = 1;
      while (depth > 0) {
        if (p >= l->len) wfail(l->c, wspan(l->file, t.start, t.start + 1), "unterminated block comment");
        char c = s[p++];
        if (c == '/' && p < l->len && s[p] == '*') { p++; depth++; }
        else if (c == '*' && p < l->len && s[p] == '/') { p++; depth--; }
      }
      k = T_COMMENT;
    } else k = T_SLASH;
    break;
  case '=': k = T_EQ; break;
  case ',': k = T_COMMA; break;
  case ':': k = T_COLON; break;
  case '.': k = T_PERIOD; break;
  case ';': k = T_SEMI; break;
  case '(': k = T_LPAREN; break;
  case ')': k = T_RPAREN; break;
  case '{': k = T_LBRACE; break;
  case '}': k = T_RBRACE; break;
  case '<': k = T_LT; break;
  case '>': k = T_GT; break;
  case '*': k = T_STAR; break;
  case '@': k = T_AT; break;
  case '+': k = T_PLUS; break;
  case '-':
    if (p < l->len && s[p] == '>') { p++; k = T_RARROW; }
    else k = T_MINUS;
    break;
  case '%':
    if (p < l->len && keylike_start((unsigned char)s[p])) {
      while (p < l->len && keylike_cont((unsigned char)s[p])) p++;
    }
    k = T_EXPLICIT_ID;
    break;
  case '"': {
    for (;;) {
      if (p >= l->len) wfail(l->c, wspan(l->file, l->len, l->len + 1), "unexpected end-of-file");
      unsigned char c = (unsigned char)s[p++];
      if (c == '"') break;
      if (c == '\\') {
        if (p >= l->len) wfail(l->c, wspan(l->file, l->len, l->len + 1), "unexpected end-of-file");
        p++;
      } else if (c < 0x20 || c == 0x7f) {
        wfail(l->c, wspan(l->file, p - 1, p), "invalid character in string");
      }
    }
    k = T_STRING;
    break;
  }
  default:
    if (keylike_start(ch)) {
      while (p < l->len && keylike_cont((unsigned char)s[p])) p++;
      k = T_ID;
      uint32_t n = p - t.start;
      for (size_t i = 0; i < sizeof KEYWORDS / sizeof KEYWORDS[0]; i++)
        if (strlen(KEYWORDS[i].kw) == n && !memcmp(KEYWORDS[i].kw, s + t.start, n)) { k = KEYWORDS[i].tok; break; }
    } else if (ch >= '0' && ch <= '9') {
      while (p < l->len && s[p] >= '0' && s[p] <= '9') p++;
      k = T_INTEGER;
    } else {
    unexpected:;
      uint32_t i = t.start;
      uint32_t cp = utf8_at(s, l->len, &i);
      if (cp >= 0x20 && cp < 0x7f)
        wfail(l->c, wspan(l->file, t.start, t.start + 1), "unexpected character '%c'", (int)cp);
      wfail(l->c, wspan(l->file, t.start, t.start + 1), "unexpected character '\\u{%x}'", cp);
    }
  }
  l->pos = p;
  t.kind = k;
  t.end = p;
  return t;
}

token lex_next(lexer *l) {
  for (;;) {
    token t = lex_raw(l);
    if (t.kind != T_WS && t.kind != T_COMMENT) return t;
  }
}

/* WIT.md "Identifiers": words separated by '-', each all-lowercase or all-uppercase
 * (digits allowed), the first word starting with a letter. */
int wit_valid_id(const char *s, size_t n) {
  if (n == 0) return 0;
  size_t i = 0;
  int first = 1;
  while (i <= n) {
    size_t j = i;
    while (j < n && s[j] != '-') j++;
    if (j == i) return 0;
    if (first && !((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z')) return 0;
    int upper = -1;
    for (size_t k = i; k < j; k++) {
      char ch = s[k];
      if (ch >= '0' && ch <= '9') continue;
      if (ch >= 'A' && ch <= 'Z') { if (upper == 0) return 0; upper = 1; }
      else if (ch >= 'a' && ch <= 'z') { if (upper == 1) return 0; upper = 0; }
      else return 0;
    }
    first = 0;
    i = j + 1;
  }
  return 1;
}

void wit_check_id(wctx *c, uint32_t file, uint32_t start, const char *s, size_t n) {
  if (wit_valid_id(s, n)) return;
  if (n == 0) wfail(c, wspan(file, start, start + 1), "empty identifier");
  /* find the offending character for the message */
  size_t i = 0;
  int first = 1;
  while (i <= n) {
    size_t j = i;
    while (j < n && s[j] != '-') j++;
    if (j == i) wfail(c, wspan(file, start, start + 1), "identifiers must have characters between '-'s");
    if (first && !((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z'))
      wfail(c, wspan(file, start, start + 1), "invalid character in identifier '%c'", s[i]);
    int upper = -1;
    for (size_t k = i; k < j; k++) {
      char ch = s[k];
      if (ch >= '0' && ch <= '9') continue;
      if (ch >= 'A' && ch <= 'Z' && upper != 0) { upper = 1; continue; }
      if (ch >= 'a' && ch <= 'z' && upper != 1) { upper = 0; continue; }
      wfail(c, wspan(file, start, start + 1), "invalid character in identifier '%c'", ch);
    }
    first = 0;
    i = j + 1;
  }
  wfail(c, wspan(file, start, start + 1), "invalid identifier");
}
