/*
 * WAVE, the WebAssembly Value Encoding (wasm-tools crates/wasm-wave, README
 * "Encoding"): printing and parsing of wk_cval trees of a given type.
 *
 * Printing follows wasm-wave's Writer: integers in decimal, floats as Rust's
 * Display (shortest digits that round-trip, never an exponent; `nan`, `inf`,
 * `-inf`), chars and strings with the escapes \\ \" \' \t \r \n and \u{..}
 * for control and (a subset of) non-printable characters, `[a, b]`,
 * `(a, b)`, `{f: v}` with option fields that are `none` left out (`{:}` when
 * nothing is left), `case(payload)`, `some(v)`/`none`, `ok(v)`/`err(v)`,
 * `{a, b}` flags; labels that are keywords get a `%` prefix.
 *
 * Parsing accepts the whole syntax: whitespace and // comments between
 * tokens, `%`-prefixed labels, trailing commas, records in any field order
 * with omitted `none` options and `{:}`, flat `some` / `ok` payloads (when
 * the payload is not an option or result), multiline strings. Maps (not in
 * WAVE) are written as lists of (key, value) tuples. Handles and async
 * values have no WAVE form (WK_ERR_UNSUPPORTED).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canonabi/value.h"

static const char *const KEYWORDS[] = {"true", "false", "some", "none", "ok", "err", "inf", "nan"};

static int is_keyword(const char *s, size_t n) {
  for (size_t i = 0; i < sizeof KEYWORDS / sizeof *KEYWORDS; i++)
    if (strlen(KEYWORDS[i]) == n && !memcmp(KEYWORDS[i], s, n)) return 1;
  return 0;
}

static const wk_cabi_type *tkid(const wk_cabi_type *t, uint32_t i) { return t->children ? t->children[i] : NULL; }
static const wk_cabi_names *nkid(const wk_cabi_names *n, uint32_t i) {
  return n && n->children ? n->children[i] : NULL;
}
static const char *label(const wk_cabi_names *n, uint32_t i) { return n && n->labels ? n->labels[i] : NULL; }

static uint32_t ncases(const wk_cabi_type *t) {
  return t->kind == WK_CABI_OPTION || t->kind == WK_CABI_RESULT ? 2 : t->n;
}
static const wk_cabi_type *case_type(const wk_cabi_type *t, uint32_t i) {
  switch (t->kind) {
  case WK_CABI_VARIANT: return tkid(t, i);
  case WK_CABI_OPTION: return i == 1 ? tkid(t, 0) : NULL;
  case WK_CABI_RESULT: return tkid(t, i);
  default: return NULL;
  }
}
static const wk_cabi_names *case_names(const wk_cabi_type *t, const wk_cabi_names *n, uint32_t i) {
  return t->kind == WK_CABI_OPTION ? nkid(n, 0) : nkid(n, i);
}

static wk_cabi_type map_entry(const wk_cabi_type *t) {
  wk_cabi_type e = {0};
  e.kind = WK_CABI_TUPLE;
  e.n = 2;
  e.children = t->children;
  return e;
}

/* ---- printing ---- */

/* Rust's char::is_control (general category Cc) and a subset of what escape_debug escapes. */
static int needs_unicode_escape(uint32_t c) {
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return 1;
  if (c == 0xad || c == 0x61c || c == 0x180e || (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) ||
      (c >= 0x2060 && c <= 0x206f) || c == 0xfeff || (c >= 0xfff9 && c <= 0xfffb))
    return 1; /* format characters */
  if ((c >= 0x300 && c <= 0x36f) || (c >= 0x1ab0 && c <= 0x1aff) || (c >= 0x1dc0 && c <= 0x1dff) ||
      (c >= 0x20d0 && c <= 0x20ff) || (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0xfe20 && c <= 0xfe2f) ||
      (c >= 0xe0000 && c <= 0xe0fff))
    return 1; /* grapheme extenders, variation selectors, tags */
  if ((c >= 0xe000 && c <= 0xf8ff) || c >= 0xf0000) return 1; /* private use */
  if ((c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe) return 1; /* noncharacters */
  return 0;
}

static void put_utf8(wk_buf *o, uint32_t c) {
  uint8_t b[4];
  size_t n;
  if (c < 0x80) { b[0] = (uint8_t)c; n = 1; }
  else if (c < 0x800) { b[0] = (uint8_t)(0xc0 | c >> 6); b[1] = (uint8_t)(0x80 | (c & 0x3f)); n = 2; }
  else if (c < 0x10000) {
    b[0] = (uint8_t)(0xe0 | c >> 12); b[1] = (uint8_t)(0x80 | (c >> 6 & 0x3f)); b[2] = (uint8_t)(0x80 | (c & 0x3f));
    n = 3;
  } else {
    b[0] = (uint8_t)(0xf0 | c >> 18); b[1] = (uint8_t)(0x80 | (c >> 12 & 0x3f));
    b[2] = (uint8_t)(0x80 | (c >> 6 & 0x3f)); b[3] = (uint8_t)(0x80 | (c & 0x3f));
    n = 4;
  }
  wk_buf_append(o, b, n);
}

/* wasm-wave Writer::write_char */
static void put_char(wk_buf *o, uint32_t c) {
  switch (c) {
  case '\\': wk_buf_str(o, "\\\\"); return;
  case '"': wk_buf_str(o, "\\\""); return;
  case '\'': wk_buf_str(o, "\\'"); return;
  case '\t': wk_buf_str(o, "\\t"); return;
  case '\r': wk_buf_str(o, "\\r"); return;
  case '\n': wk_buf_str(o, "\\n"); return;
  default: break;
  }
  if (needs_unicode_escape(c)) wk_buf_printf(o, "\\u{%x}", c);
  else put_utf8(o, c);
}

/* Decode one code point of UTF-8 at s[*i] (n bytes); -1 when invalid. */
static int64_t utf8_decode(const uint8_t *s, size_t n, size_t *i) {
  uint8_t c = s[*i];
  if (c < 0x80) { (*i)++; return c; }
  uint32_t need, cp;
  if (c >= 0xc2 && c <= 0xdf) { need = 1; cp = c & 0x1f; }
  else if (c >= 0xe0 && c <= 0xef) { need = 2; cp = c & 0x0f; }
  else if (c >= 0xf0 && c <= 0xf4) { need = 3; cp = c & 0x07; }
  else return -1;
  if (n - *i <= need) return -1;
  for (uint32_t k = 1; k <= need; k++) {
    if ((s[*i + k] & 0xc0) != 0x80) return -1;
    cp = cp << 6 | (s[*i + k] & 0x3f);
  }
  if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
    return -1;
  *i += need + 1;
  return cp;
}

/* Rust's Display for f32/f64: the shortest decimal digits that read back as the same
 * value, written positionally (no exponent). */
static void put_float(wk_buf *o, double v, int is32) {
  if (isnan(v)) { wk_buf_str(o, "nan"); return; }
  if (isinf(v)) { wk_buf_str(o, v < 0 ? "-inf" : "inf"); return; }
  if (signbit(v)) wk_buf_byte(o, '-');
  v = fabs(v);
  if (v == 0) { wk_buf_byte(o, '0'); return; }
  char tmp[64];
  int maxp = is32 ? 9 : 17;
  for (int p = 1; p <= maxp; p++) {
    snprintf(tmp, sizeof tmp, "%.*e", p - 1, v);
    if (is32 ? strtof(tmp, NULL) == (float)v : strtod(tmp, NULL) == v) break;
  }
  /* tmp = d[.ddd]e[+-]xx */
  char digits[32];
  int nd = 0;
  const char *q = tmp;
  for (; *q && *q != 'e'; q++)
    if (*q >= '0' && *q <= '9') digits[nd++] = *q;
  int exp = atoi(q + 1);
  while (nd > 1 && digits[nd - 1] == '0') nd--;
  if (exp < 0) {
    wk_buf_str(o, "0.");
    for (int k = 0; k < -exp - 1; k++) wk_buf_byte(o, '0');
    wk_buf_append(o, digits, (size_t)nd);
  } else if (exp >= nd - 1) {
    wk_buf_append(o, digits, (size_t)nd);
    for (int k = 0; k < exp - (nd - 1); k++) wk_buf_byte(o, '0');
  } else {
    wk_buf_append(o, digits, (size_t)exp + 1);
    wk_buf_byte(o, '.');
    wk_buf_append(o, digits + exp + 1, (size_t)(nd - exp - 1));
  }
}

static int put_label(wk_buf *o, const wk_cabi_names *n, uint32_t i, int keyword_prefix, wk_error *err) {
  const char *l = label(n, i);
  if (!l) return wk_error_set(err, WK_ERR_USAGE, "WAVE: label names missing for a type");
  if (keyword_prefix && is_keyword(l, strlen(l))) wk_buf_byte(o, '%');
  wk_buf_str(o, l);
  return WK_OK;
}

static int print(wk_buf *o, const wk_cval *v, const wk_cabi_type *t, const wk_cabi_names *n, unsigned depth,
                 wk_error *err) {
  if (!t) return wk_error_set(err, WK_ERR_INVALID, "WAVE: missing type");
  if (depth > WK_CABI_MAX_DEPTH) return wk_error_set(err, WK_ERR_INVALID, "WAVE: value nested too deeply");
  if (!v || v->kind != t->kind) return wk_error_set(err, WK_ERR_INVALID, "WAVE: value does not match its type");
  int rc;
  switch (t->kind) {
  case WK_CABI_BOOL: wk_buf_str(o, v->of.b ? "true" : "false"); return WK_OK;
  case WK_CABI_S8: wk_buf_printf(o, "%d", (int)(int8_t)v->of.s); return WK_OK;
  case WK_CABI_S16: wk_buf_printf(o, "%d", (int)(int16_t)v->of.s); return WK_OK;
  case WK_CABI_S32: wk_buf_printf(o, "%d", (int)(int32_t)v->of.s); return WK_OK;
  case WK_CABI_S64: wk_buf_printf(o, "%lld", (long long)v->of.s); return WK_OK;
  case WK_CABI_U8: wk_buf_printf(o, "%u", (unsigned)(uint8_t)v->of.u); return WK_OK;
  case WK_CABI_U16: wk_buf_printf(o, "%u", (unsigned)(uint16_t)v->of.u); return WK_OK;
  case WK_CABI_U32: wk_buf_printf(o, "%u", (unsigned)(uint32_t)v->of.u); return WK_OK;
  case WK_CABI_U64: wk_buf_printf(o, "%llu", (unsigned long long)v->of.u); return WK_OK;
  case WK_CABI_F32: put_float(o, v->of.f32, 1); return WK_OK;
  case WK_CABI_F64: put_float(o, v->of.f64, 0); return WK_OK;
  case WK_CABI_CHAR:
    if (v->of.ch > 0x10ffff || (v->of.ch >= 0xd800 && v->of.ch <= 0xdfff))
      return wk_error_set(err, WK_ERR_INVALID, "WAVE: char is not a Unicode scalar value");
    wk_buf_byte(o, '\'');
    put_char(o, v->of.ch);
    wk_buf_byte(o, '\'');
    return WK_OK;
  case WK_CABI_STRING: {
    const uint8_t *s = (const uint8_t *)v->of.str.ptr;
    size_t len = v->of.str.len, i = 0;
    if (len && !s) return wk_error_set(err, WK_ERR_INVALID, "WAVE: string without bytes");
    wk_buf_byte(o, '"');
    while (i < len) {
      int64_t c = utf8_decode(s, len, &i);
      if (c < 0) return wk_error_set(err, WK_ERR_INVALID, "WAVE: string is not valid UTF-8");
      put_char(o, (uint32_t)c);
    }
    wk_buf_byte(o, '"');
    return WK_OK;
  }
  case WK_CABI_LIST:
  case WK_CABI_MAP: {
    wk_cabi_type entry;
    wk_cabi_names en = {NULL, n ? n->children : NULL};
    const wk_cabi_type *et = tkid(t, 0);
    const wk_cabi_names *enames = nkid(n, 0);
    if (t->kind == WK_CABI_MAP) { entry = map_entry(t); et = &entry; enames = &en; }
    if (v->of.seq.n && !v->of.seq.items) return wk_error_set(err, WK_ERR_INVALID, "WAVE: list without items");
    wk_buf_byte(o, '[');
    for (uint32_t i = 0; i < v->of.seq.n; i++) {
      if (i) wk_buf_str(o, ", ");
      if ((rc = print(o, &v->of.seq.items[i], et, enames, depth + 1, err))) return rc;
    }
    wk_buf_byte(o, ']');
    return WK_OK;
  }
  case WK_CABI_TUPLE:
    if (v->of.seq.n != t->n || !v->of.seq.items) return wk_error_set(err, WK_ERR_INVALID, "WAVE: tuple of the wrong size");
    wk_buf_byte(o, '(');
    for (uint32_t i = 0; i < t->n; i++) {
      if (i) wk_buf_str(o, ", ");
      if ((rc = print(o, &v->of.seq.items[i], tkid(t, i), nkid(n, i), depth + 1, err))) return rc;
    }
    wk_buf_byte(o, ')');
    return WK_OK;
  case WK_CABI_RECORD: {
    if (v->of.seq.n != t->n || !v->of.seq.items) return wk_error_set(err, WK_ERR_INVALID, "WAVE: record of the wrong size");
    int first = 1;
    wk_buf_byte(o, '{');
    for (uint32_t i = 0; i < t->n; i++) {
      const wk_cval *f = &v->of.seq.items[i];
      if (f->kind == WK_CABI_OPTION && f->of.var.disc == 0) continue; /* none fields are left out */
      if (!first) wk_buf_str(o, ", ");
      first = 0;
      if ((rc = put_label(o, n, i, 0, err))) return rc;
      wk_buf_str(o, ": ");
      if ((rc = print(o, f, tkid(t, i), nkid(n, i), depth + 1, err))) return rc;
    }
    if (first) wk_buf_byte(o, ':');
    wk_buf_byte(o, '}');
    return WK_OK;
  }
  case WK_CABI_VARIANT:
  case WK_CABI_ENUM:
  case WK_CABI_OPTION:
  case WK_CABI_RESULT: {
    uint32_t d = v->of.var.disc;
    if (d >= ncases(t)) return wk_error_set(err, WK_ERR_INVALID, "WAVE: case index out of range");
    const wk_cabi_type *ct = case_type(t, d);
    if (t->kind == WK_CABI_OPTION) wk_buf_str(o, d ? "some" : "none");
    else if (t->kind == WK_CABI_RESULT) wk_buf_str(o, d ? "err" : "ok");
    else if ((rc = put_label(o, n, d, 1, err))) return rc;
    if (ct) {
      wk_buf_byte(o, '(');
      if ((rc = print(o, v->of.var.payload, ct, case_names(t, n, d), depth + 1, err))) return rc;
      wk_buf_byte(o, ')');
    }
    return WK_OK;
  }
  case WK_CABI_FLAGS: {
    int first = 1;
    wk_buf_byte(o, '{');
    for (uint32_t i = 0; i < t->n; i++) {
      if (i / 32 >= v->of.flags.n || !v->of.flags.words || !(v->of.flags.words[i / 32] >> (i % 32) & 1)) continue;
      if (!first) wk_buf_str(o, ", ");
      first = 0;
      if ((rc = put_label(o, n, i, 0, err))) return rc;
    }
    wk_buf_byte(o, '}');
    return WK_OK;
  }
  default:
    return wk_error_set(err, WK_ERR_UNSUPPORTED, "WAVE: resource handles and async values have no text form");
  }
}

int wk_cval_print_wave(const wk_cval *v, const wk_cabi_type *t, const wk_cabi_names *names, wk_buf *out,
                       wk_error *err) {
  size_t start = out->len;
  int rc = print(out, v, t, names, 0, err);
  if (rc) { out->len = start; return rc; }
  if (out->oom) return wk_error_set(err, WK_ERR_NOMEM, "WAVE: out of memory");
  return WK_OK;
}

/* ---- parsing ---- */

typedef struct P {
  const char *s;
  size_t n, i;
  wk_arena *a;
  wk_error *err;
} P;

static int perr(P *p, size_t at, const char *what) {
  return wk_error_at(p->err, WK_ERR_MALFORMED, at, "WAVE: %s", what);
}

/* Skip whitespace and // comments. */
static void ws(P *p) {
  for (;;) {
    while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r')) p->i++;
    if (p->i + 1 < p->n && p->s[p->i] == '/' && p->s[p->i + 1] == '/') {
      while (p->i < p->n && p->s[p->i] != '\n') p->i++;
      continue;
    }
    return;
  }
}

static int at(P *p, char c) {
  ws(p);
  return p->i < p->n && p->s[p->i] == c;
}

static int expect(P *p, char c) {
  if (!at(p, c)) {
    char m[40];
    snprintf(m, sizeof m, "expected `%c`", c);
    return perr(p, p->i, m);
  }
  p->i++;
  return WK_OK;
}

static int lower(char c) { return c >= 'a' && c <= 'z'; }
static int upper(char c) { return c >= 'A' && c <= 'Z'; }
static int digit(char c) { return c >= '0' && c <= '9'; }

/* The end of a label starting exactly at `j` (README "Labels": words of one case, [a-z][a-z0-9]* or
 * [A-Z][A-Z0-9]*, the first starting with a letter, joined by `-`) into *end; errors at `errat`. */
static int label_at(P *p, size_t j, size_t errat, size_t *end) {
  for (int first = 1;; first = 0) {
    if (j >= p->n) return perr(p, errat, "expected a label");
    char c = p->s[j];
    if (!(lower(c) || upper(c) || (!first && digit(c)))) return perr(p, errat, "expected a label");
    /* one case per word: [a-z][a-z0-9]* | [A-Z][A-Z0-9]* (digits fit either) */
    int seen_lower = lower(c), seen_upper = upper(c);
    j++;
    while (j < p->n && (lower(p->s[j]) || upper(p->s[j]) || digit(p->s[j]))) {
      if (lower(p->s[j])) seen_lower = 1;
      if (upper(p->s[j])) seen_upper = 1;
      if (seen_lower && seen_upper) return perr(p, errat, "label words mix upper and lower case");
      j++;
    }
    if (j + 1 < p->n && p->s[j] == '-' && (lower(p->s[j + 1]) || upper(p->s[j + 1]) || digit(p->s[j + 1]))) {
      j++;
      continue;
    }
    *end = j;
    return WK_OK;
  }
}

/* A label token at p->i (after ws): an optional `%`, then words joined by `-`; sets *ls, *ln to the label without `%`. */
static int lex_label(P *p, size_t *ls, size_t *ln, int *pct) {
  ws(p);
  size_t j = p->i, end;
  *pct = 0;
  if (j < p->n && p->s[j] == '%') { *pct = 1; j++; }
  int rc = label_at(p, j, p->i, &end);
  if (rc) return rc;
  *ls = j;
  *ln = end - j;
  p->i = end;
  return WK_OK;
}

static int64_t find_label(const wk_cabi_names *n, uint32_t count, const char *s, size_t len) {
  if (!n || !n->labels) return -2;
  for (uint32_t i = 0; i < count; i++) {
    const char *l = n->labels[i];
    if (l && strlen(l) == len && !memcmp(l, s, len)) return i;
  }
  return -1;
}

/* The number token `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`; *is_int when neither part is present. */
static int lex_number(P *p, size_t *start, size_t *end, int *is_int) {
  ws(p);
  size_t j = p->i;
  *start = j;
  *is_int = 1;
  if (j < p->n && p->s[j] == '-') j++;
  if (j >= p->n || !digit(p->s[j])) return perr(p, p->i, "expected a number");
  if (p->s[j] == '0') j++;
  else while (j < p->n && digit(p->s[j])) j++;
  if (j + 1 < p->n && p->s[j] == '.' && digit(p->s[j + 1])) {
    *is_int = 0;
    j++;
    while (j < p->n && digit(p->s[j])) j++;
  }
  if (j < p->n && (p->s[j] == 'e' || p->s[j] == 'E')) {
    size_t k = j + 1;
    if (k < p->n && (p->s[k] == '+' || p->s[k] == '-')) k++;
    if (k < p->n && digit(p->s[k])) {
      *is_int = 0;
      j = k;
      while (j < p->n && digit(p->s[j])) j++;
    }
  }
  *end = j;
  p->i = j;
  return WK_OK;
}

static int parse_int(P *p, const wk_cabi_type *t, wk_cval *o) {
  size_t s, e;
  int is_int, rc = lex_number(p, &s, &e, &is_int);
  if (rc) return rc;
  if (!is_int) return perr(p, s, "expected an integer");
  int neg = p->s[s] == '-';
  uint64_t mag = 0;
  for (size_t k = s + neg; k < e; k++) {
    uint64_t d = (uint64_t)(p->s[k] - '0');
    if (mag > (UINT64_MAX - d) / 10) return perr(p, s, "integer out of range");
    mag = mag * 10 + d;
  }
  uint64_t umax;
  int sgn = 0;
  switch (t->kind) {
  case WK_CABI_U8: umax = 0xff; break;
  case WK_CABI_U16: umax = 0xffff; break;
  case WK_CABI_U32: umax = 0xffffffffu; break;
  case WK_CABI_U64: umax = UINT64_MAX; break;
  case WK_CABI_S8: umax = 0x7f; sgn = 1; break;
  case WK_CABI_S16: umax = 0x7fff; sgn = 1; break;
  case WK_CABI_S32: umax = 0x7fffffff; sgn = 1; break;
  default: umax = INT64_MAX; sgn = 1; break;
  }
  if (neg && !sgn) return perr(p, s, "integer out of range");
  if (mag > umax + (uint64_t)(neg && sgn)) return perr(p, s, "integer out of range");
  if (sgn) o->of.s = neg ? (int64_t)(0 - mag) : (int64_t)mag;
  else o->of.u = mag;
  return WK_OK;
}

static int parse_float(P *p, const wk_cabi_type *t, wk_cval *o) {
  ws(p);
  double v;
  size_t s = p->i;
  if (p->n - s >= 4 && !memcmp(p->s + s, "-inf", 4) && (s + 4 == p->n || !(lower(p->s[s + 4]) || upper(p->s[s + 4]) || digit(p->s[s + 4]) || p->s[s + 4] == '-'))) {
    p->i += 4;
    v = -INFINITY;
  } else if (p->i < p->n && (lower(p->s[p->i]) || upper(p->s[p->i]) || p->s[p->i] == '%')) {
    size_t ls, ln;
    int pct, rc = lex_label(p, &ls, &ln, &pct);
    if (rc) return rc;
    if (!pct && ln == 3 && !memcmp(p->s + ls, "inf", 3)) v = INFINITY;
    else if (!pct && ln == 3 && !memcmp(p->s + ls, "nan", 3)) v = NAN;
    else return perr(p, s, "expected a number");
  } else {
    size_t e;
    int is_int, rc = lex_number(p, &s, &e, &is_int);
    if (rc) return rc;
    char buf[512];
    if (e - s >= sizeof buf) return perr(p, s, "number too long");
    memcpy(buf, p->s + s, e - s);
    buf[e - s] = 0;
    if (t->kind == WK_CABI_F32) { o->of.f32 = strtof(buf, NULL); return WK_OK; }
    v = strtod(buf, NULL);
  }
  if (t->kind == WK_CABI_F32) o->of.f32 = isnan(v) ? NAN : (float)v;
  else o->of.f64 = v;
  return WK_OK;
}

/* One char of a char or string literal at p->i (escape or UTF-8); `quote` is the delimiter. */
static int lit_char(P *p, char quote, uint32_t *out) {
  size_t s = p->i;
  if (p->i >= p->n) return perr(p, s, "unterminated literal");
  char c = p->s[p->i];
  if (c == '\n') return perr(p, s, "line break in a literal");
  if (c == '\\') {
    if (p->i + 1 >= p->n) return perr(p, s, "invalid escape");
    char e = p->s[p->i + 1];
    p->i += 2;
    switch (e) {
    case '\\': *out = '\\'; return WK_OK;
    case '\'': *out = '\''; return WK_OK;
    case '"': *out = '"'; return WK_OK;
    case 't': *out = '\t'; return WK_OK;
    case 'n': *out = '\n'; return WK_OK;
    case 'r': *out = '\r'; return WK_OK;
    case 'u': {
      if (p->i >= p->n || p->s[p->i] != '{') return perr(p, s, "invalid escape");
      p->i++;
      uint32_t v = 0;
      int nd = 0;
      while (p->i < p->n && p->s[p->i] != '}') {
        char h = p->s[p->i];
        int d = digit(h) ? h - '0' : (h >= 'a' && h <= 'f') ? h - 'a' + 10 : (h >= 'A' && h <= 'F') ? h - 'A' + 10 : -1;
        if (d < 0 || ++nd > 6) return perr(p, s, "invalid escape");
        v = v << 4 | (uint32_t)d;
        p->i++;
      }
      if (p->i >= p->n || nd == 0) return perr(p, s, "invalid escape");
      p->i++;
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return perr(p, s, "escape is not a Unicode scalar value");
      *out = v;
      return WK_OK;
    }
    default: return perr(p, s, "invalid escape");
    }
  }
  if (c == quote) return perr(p, s, quote == '\'' ? "empty char" : "unexpected quote");
  int64_t cp = utf8_decode((const uint8_t *)p->s, p->n, &p->i);
  if (cp < 0) return perr(p, s, "invalid UTF-8");
  *out = (uint32_t)cp;
  return WK_OK;
}

static int finish_string(P *p, wk_buf *b, wk_cval *o) {
  if (b->oom) { wk_buf_free(b); return wk_error_set(p->err, WK_ERR_NOMEM, "WAVE: out of memory"); }
  char *s = wk_arena_strndup(p->a, b->len ? (const char *)b->data : "", b->len);
  uint32_t len = (uint32_t)b->len;
  wk_buf_free(b);
  if (!s) return wk_error_set(p->err, WK_ERR_NOMEM, "WAVE: out of memory");
  o->of.str.ptr = s;
  o->of.str.len = len;
  return WK_OK;
}

/* README "Multiline Strings": """<newline> ... <newline><indent>""" */
static int parse_multiline(P *p, wk_cval *o) {
  size_t open = p->i;
  p->i += 3;
  const char *end = NULL;
  for (size_t k = p->i; k + 3 <= p->n; k++)
    if (!memcmp(p->s + k, "\"\"\"", 3)) { end = p->s + k; break; }
  if (!end) return perr(p, open, "unterminated multiline string");
  size_t cs = p->i, ce = (size_t)(end - p->s);
  if (cs < ce && p->s[cs] == '\r') cs++;
  if (cs >= ce || p->s[cs] != '\n') return perr(p, open, "opening \"\"\" must be followed immediately by a line break");
  size_t last = ce;
  while (last > cs && p->s[last - 1] != '\n') last--;
  for (size_t k = last; k < ce; k++)
    if (p->s[k] != ' ') return perr(p, ce, "closing \"\"\" must be on a line preceded only by spaces");
  size_t indent = ce - last;
  wk_buf b = {0};
  size_t line = cs + 1;
  int first = 1;
  while (line < last) {
    size_t le = line;
    while (p->s[le] != '\n') le++; /* every line before `last` ends in \n */
    if (!first) wk_buf_byte(&b, '\n');
    first = 0;
    if (le - line < indent || memcmp(p->s + line, p->s + last, indent) != 0) {
      wk_buf_free(&b);
      return perr(p, line, "lines must be indented at least as much as the closing \"\"\"");
    }
    size_t ls = line + indent, lend = le;
    if (lend > ls && p->s[lend - 1] == '\r') lend--;
    P q = *p;
    q.i = ls;
    q.n = lend;
    while (q.i < q.n) {
      uint32_t c;
      int rc;
      if (q.s[q.i] == '"') { c = '"'; q.i++; }
      else if ((rc = lit_char(&q, 0, &c))) { wk_buf_free(&b); return rc; }
      put_utf8(&b, c);
    }
    line = le + 1;
  }
  p->i = ce + 3;
  return finish_string(p, &b, o);
}

static int parse_string(P *p, wk_cval *o) {
  ws(p);
  if (p->n - p->i >= 3 && !memcmp(p->s + p->i, "\"\"\"", 3)) return parse_multiline(p, o);
  if (p->i >= p->n || p->s[p->i] != '"') return perr(p, p->i, "expected a string");
  size_t s = p->i++;
  wk_buf b = {0};
  for (;;) {
    if (p->i >= p->n) { wk_buf_free(&b); return perr(p, s, "unterminated string"); }
    if (p->s[p->i] == '"') { p->i++; break; }
    uint32_t c;
    int rc = p->s[p->i] == '\'' ? (p->i++, c = '\'', 0) : lit_char(p, '"', &c);
    if (rc) { wk_buf_free(&b); return rc; }
    put_utf8(&b, c);
  }
  return finish_string(p, &b, o);
}

static int parse_char(P *p, wk_cval *o) {
  if (!at(p, '\'')) return perr(p, p->i, "expected a char");
  size_t s = p->i++;
  uint32_t c;
  int rc = p->i < p->n && p->s[p->i] == '"' ? (p->i++, c = '"', 0) : lit_char(p, '\'', &c);
  if (rc) return rc;
  if (p->i >= p->n || p->s[p->i] != '\'') return perr(p, s, "a char literal holds exactly one char");
  p->i++;
  o->of.ch = c;
  return WK_OK;
}

static int parse(P *p, const wk_cabi_type *t, const wk_cabi_names *n, unsigned depth, wk_cval *o);

/* [ v, v, ... ] or ( v, ... ) into a fresh item array. */
static int parse_seq(P *p, char close, const wk_cabi_type *et, const wk_cabi_names *en, const wk_cabi_type *tuple,
                     const wk_cabi_names *tn, unsigned depth, wk_cval *o) {
  size_t open = p->i++;
  wk_buf items = {0};
  uint32_t count = 0;
  int rc = WK_OK;
  while (!at(p, close)) {
    if (p->i >= p->n) { rc = perr(p, open, "unterminated list or tuple"); break; }
    const wk_cabi_type *ct = et;
    const wk_cabi_names *cn = en;
    if (tuple) {
      if (count >= tuple->n) { rc = perr(p, p->i, "too many tuple elements"); break; }
      ct = tkid(tuple, count);
      cn = nkid(tn, count);
    }
    wk_cval v;
    if ((rc = parse(p, ct, cn, depth + 1, &v))) break;
    wk_buf_append(&items, &v, sizeof v);
    count++;
    if (at(p, ',')) p->i++;
    else if (!at(p, close)) { rc = perr(p, p->i, close == ']' ? "expected `,` or `]`" : "expected `,` or `)`"); break; }
  }
  if (!rc && items.oom) rc = wk_error_set(p->err, WK_ERR_NOMEM, "WAVE: out of memory");
  if (!rc && tuple && count != tuple->n) rc = perr(p, open, "wrong number of tuple elements");
  if (!rc) {
    p->i++;
    o->of.seq.n = count;
    o->of.seq.items = wk_arena_alloc(p->a, items.len ? items.len : 1);
    if (!o->of.seq.items) rc = wk_error_set(p->err, WK_ERR_NOMEM, "WAVE: out of memory");
    else if (items.len) memcpy(o->of.seq.items, items.data, items.len);
  }
  wk_buf_free(&items);
  return rc;
}

static int need_labels(P *p, const wk_cabi_names *n, size_t where) {
  (void)where;
  if (!n || !n->labels) return wk_error_set(p->err, WK_ERR_USAGE, "WAVE: label names missing for a type");
  return WK_OK;
}

static int parse_payload(P *p, const wk_cabi_type *ct, const wk_cabi_names *cn, unsigned depth, wk_cval *o,
                         size_t start) {
  if (!ct) {
    if (at(p, '(')) return perr(p, p->i, "unexpected payload");
    o->of.var.payload = NULL;
    return WK_OK;
  }
  if (!at(p, '(')) return perr(p, start, "missing payload");
  p->i++;
  wk_cval *pv = wk_arena_alloc(p->a, sizeof *pv);
  if (!pv) return wk_error_set(p->err, WK_ERR_NOMEM, "WAVE: out of memory");
  int rc = parse(p, ct, cn, depth + 1, pv);
  if (rc) return rc;
  o->of.var.payload = pv;
  return expect(p, ')');
}

/* Peek: is the next token the bare keyword `kw`? */
static int next_keyword(P *p, const char *kw) {
  ws(p);
  size_t l = strlen(kw);
  if (p->n - p->i < l || memcmp(p->s + p->i, kw, l)) return 0;
  size_t j = p->i + l;
  return j >= p->n || !(lower(p->s[j]) || upper(p->s[j]) || digit(p->s[j]) || p->s[j] == '-');
}

static int parse(P *p, const wk_cabi_type *t, const wk_cabi_names *n, unsigned depth, wk_cval *o) {
  if (!t) return wk_error_set(p->err, WK_ERR_INVALID, "WAVE: missing type");
  if (depth > WK_CABI_MAX_DEPTH) return perr(p, p->i, "nesting too deep");
  memset(o, 0, sizeof *o);
  o->kind = t->kind;
  ws(p);
  size_t start = p->i;
  int rc;
  switch (t->kind) {
  case WK_CABI_BOOL:
    if (next_keyword(p, "true")) { p->i += 4; o->of.b = 1; return WK_OK; }
    if (next_keyword(p, "false")) { p->i += 5; o->of.b = 0; return WK_OK; }
    return perr(p, start, "expected `true` or `false`");
  case WK_CABI_S8: case WK_CABI_S16: case WK_CABI_S32: case WK_CABI_S64:
  case WK_CABI_U8: case WK_CABI_U16: case WK_CABI_U32: case WK_CABI_U64: return parse_int(p, t, o);
  case WK_CABI_F32:
  case WK_CABI_F64: return parse_float(p, t, o);
  case WK_CABI_CHAR: return parse_char(p, o);
  case WK_CABI_STRING: return parse_string(p, o);
  case WK_CABI_LIST:
  case WK_CABI_MAP: {
    if (!at(p, '[')) return perr(p, start, "expected `[`");
    wk_cabi_type entry;
    wk_cabi_names en = {NULL, n ? n->children : NULL};
    const wk_cabi_type *et = tkid(t, 0);
    const wk_cabi_names *enames = nkid(n, 0);
    if (t->kind == WK_CABI_MAP) { entry = map_entry(t); et = &entry; enames = &en; }
    if ((rc = parse_seq(p, ']', et, enames, NULL, NULL, depth, o))) return rc;
    if (t->kind == WK_CABI_LIST && t->length && o->of.seq.n != t->length)
      return perr(p, start, "wrong number of elements for a fixed-length list");
    return WK_OK;
  }
  case WK_CABI_TUPLE:
    if (!at(p, '(')) return perr(p, start, "expected `(`");
    return parse_seq(p, ')', NULL, NULL, t, n, depth, o);
  case WK_CABI_RECORD: {
    if (!at(p, '{')) return perr(p, start, "expected `{`");
    if ((rc = need_labels(p, n, start))) return rc;
    p->i++;
    wk_cval *items = wk_arena_alloc(p->a, sizeof *items * (t->n ? t->n : 1));
    uint8_t *seen = wk_arena_alloc(p->a, t->n ? t->n : 1);
    if (!items || !seen) return wk_error_set(p->err, WK_ERR_NOMEM, "WAVE: out of memory");
    if (at(p, ':')) {
      p->i++;
      if ((rc = expect(p, '}'))) return rc;
    } else {
      if (at(p, '}')) return perr(p, start, "`{}` is empty flags; an empty record is `{:}`");
      for (;;) {
        size_t ls, ln;
        int pct;
        if ((rc = lex_label(p, &ls, &ln, &pct))) return rc;
        int64_t f = find_label(n, t->n, p->s + ls, ln);
        if (f < 0) return perr(p, ls, "unknown record field");
        if (seen[f]) return perr(p, ls, "duplicate record field");
        seen[f] = 1;
        if ((rc = expect(p, ':')) || (rc = parse(p, tkid(t, (uint32_t)f), nkid(n, (uint32_t)f), depth + 1, &items[f])))
          return rc;
        if (at(p, ',')) p->i++;
        if (at(p, '}')) break;
        if (p->i >= p->n) return perr(p, start, "unterminated record");
      }
      p->i++;
    }
    for (uint32_t i = 0; i < t->n; i++) {
      if (seen[i]) continue;
      const wk_cabi_type *ft = tkid(t, i);
      if (!ft || ft->kind != WK_CABI_OPTION) return perr(p, start, "missing record field");
      items[i].kind = WK_CABI_OPTION; /* an omitted option field is none */
    }
    o->of.seq.items = items;
    o->of.seq.n = t->n;
    return WK_OK;
  }
  case WK_CABI_FLAGS: {
    if (!at(p, '{')) return perr(p, start, "expected `{`");
    if ((rc = need_labels(p, n, start))) return rc;
    p->i++;
    uint32_t nw = (t->n + 31) / 32;
    uint32_t *w = wk_arena_alloc(p->a, (size_t)(nw ? nw : 1) * 4);
    if (!w) return wk_error_set(p->err, WK_ERR_NOMEM, "WAVE: out of memory");
    while (!at(p, '}')) {
      size_t ls, ln;
      int pct;
      if ((rc = lex_label(p, &ls, &ln, &pct))) return rc;
      int64_t f = find_label(n, t->n, p->s + ls, ln);
      if (f < 0) return perr(p, ls, "unknown flag");
      if (w[f / 32] >> (f % 32) & 1) return perr(p, ls, "duplicate flag");
      w[f / 32] |= 1u << (f % 32);
      if (at(p, ',')) p->i++;
      else if (!at(p, '}')) return perr(p, p->i, "expected `,` or `}`");
    }
    p->i++;
    o->of.flags.words = w;
    o->of.flags.n = nw;
    return WK_OK;
  }
  case WK_CABI_VARIANT:
  case WK_CABI_ENUM: {
    size_t ls, ln;
    int pct;
    if ((rc = need_labels(p, n, start)) || (rc = lex_label(p, &ls, &ln, &pct))) return rc;
    if (!pct && is_keyword(p->s + ls, ln)) return perr(p, ls, "a case named like a keyword must be written with `%`");
    int64_t c = find_label(n, t->n, p->s + ls, ln);
    if (c < 0) return perr(p, ls, "unknown case");
    o->of.var.disc = (uint32_t)c;
    return parse_payload(p, case_type(t, (uint32_t)c), case_names(t, n, (uint32_t)c), depth, o, start);
  }
  case WK_CABI_OPTION: {
    const wk_cabi_type *pt = tkid(t, 0);
    if (next_keyword(p, "none")) { p->i += 4; o->of.var.disc = 0; return parse_payload(p, NULL, NULL, depth, o, start); }
    o->of.var.disc = 1;
    if (next_keyword(p, "some")) { p->i += 4; return parse_payload(p, pt, nkid(n, 0), depth, o, start); }
    if (!pt || pt->kind == WK_CABI_OPTION || pt->kind == WK_CABI_RESULT) return perr(p, start, "expected `some` or `none`");
    wk_cval *pv = wk_arena_alloc(p->a, sizeof *pv);
    if (!pv) return wk_error_set(p->err, WK_ERR_NOMEM, "WAVE: out of memory");
    o->of.var.payload = pv;
    return parse(p, pt, nkid(n, 0), depth + 1, pv);
  }
  case WK_CABI_RESULT: {
    if (next_keyword(p, "ok")) { p->i += 2; o->of.var.disc = 0; return parse_payload(p, tkid(t, 0), nkid(n, 0), depth, o, start); }
    if (next_keyword(p, "err")) { p->i += 3; o->of.var.disc = 1; return parse_payload(p, tkid(t, 1), nkid(n, 1), depth, o, start); }
    const wk_cabi_type *pt = tkid(t, 0);
    if (!pt || pt->kind == WK_CABI_OPTION || pt->kind == WK_CABI_RESULT) return perr(p, start, "expected `ok` or `err`");
    wk_cval *pv = wk_arena_alloc(p->a, sizeof *pv);
    if (!pv) return wk_error_set(p->err, WK_ERR_NOMEM, "WAVE: out of memory");
    o->of.var.disc = 0;
    o->of.var.payload = pv;
    return parse(p, pt, nkid(n, 0), depth + 1, pv);
  }
  default:
    return wk_error_set(p->err, WK_ERR_UNSUPPORTED, "WAVE: resource handles and async values have no text form");
  }
}

int wk_cval_parse_wave(const char *text, size_t len, const wk_cabi_type *t, const wk_cabi_names *names,
                       wk_arena *arena, wk_cval *out, wk_error *err) {
  if (!arena || !out || (len && !text)) return wk_error_set(err, WK_ERR_USAGE, "WAVE: bad arguments");
  P p = {text ? text : "", len, 0, arena, err};
  int rc = parse(&p, t, names, 0, out);
  if (rc) return rc;
  ws(&p);
  if (p.i < p.n) return perr(&p, p.i, "trailing characters after the value");
  return WK_OK;
}

/* ---- function calls: `name(args...)` (wasm-wave parse_raw_func_call, to_wasm_params) ---- */

/* `@MAJOR.MINOR.PATCH`, with an optional semver pre-release `-x.y` and build `+x.y`, at p->i: its end. */
static int version_at(P *p, size_t j, size_t *end) {
  size_t at = j++;
  for (int k = 0; k < 3; k++) {
    if (k && (j >= p->n || p->s[j++] != '.')) return perr(p, at, "expected a version MAJOR.MINOR.PATCH after `@`");
    size_t d = j;
    while (j < p->n && digit(p->s[j])) j++;
    if (j == d || (p->s[d] == '0' && j - d > 1)) return perr(p, at, "expected a version MAJOR.MINOR.PATCH after `@`");
  }
  for (char sep = '-'; sep; sep = sep == '-' ? '+' : 0) {
    if (j >= p->n || p->s[j] != sep) continue;
    do {
      size_t d = ++j;
      while (j < p->n && (lower(p->s[j]) || upper(p->s[j]) || digit(p->s[j]) || p->s[j] == '-')) j++;
      if (j == d) return perr(p, at, "malformed version pre-release or build");
    } while (j < p->n && p->s[j] == '.');
  }
  *end = j;
  return WK_OK;
}

int wk_wave_call_name(const char *text, size_t len, size_t *name_len, wk_error *err) {
  if (!name_len || (len && !text)) return wk_error_set(err, WK_ERR_USAGE, "WAVE: bad arguments");
  P p = {text ? text : "", len, 0, NULL, err};
  /* wasm-wave's FuncNameToken `((label:label)/)?label(.label)?(@semver)?` (wit-parser ItemName),
   * or wkit's `(label:label/)?label(@semver)?#label`; no whitespace inside, none before (as there) */
  size_t j = 0, e;
  int rc = label_at(&p, j, 0, &e);
  if (rc) return perr(&p, 0, "expected a function name");
  j = e;
  if (j < p.n && p.s[j] == ':') {
    if ((rc = label_at(&p, j + 1, j + 1, &e))) return rc;
    if (e >= p.n || p.s[e] != '/') return perr(&p, e, "expected `/` after a package name `ns:pkg`");
    if ((rc = label_at(&p, e + 1, e + 1, &j))) return rc;
  }
  if (j < p.n && p.s[j] == '.') { /* iface.name */
    if ((rc = label_at(&p, j + 1, j + 1, &j))) return rc;
    if (j < p.n && p.s[j] == '@' && (rc = version_at(&p, j, &j))) return rc;
  } else {
    if (j < p.n && p.s[j] == '@' && (rc = version_at(&p, j, &j))) return rc;
    if (j < p.n && p.s[j] == '#' && (rc = label_at(&p, j + 1, j + 1, &j))) return rc;
  }
  *name_len = j;
  return WK_OK;
}

int wk_cval_parse_wave_args(const char *text, size_t len, size_t name_len, uint32_t nparams,
                            const wk_cabi_type *const *types, const wk_cabi_names *const *names, wk_arena *arena,
                            wk_cval *out, uint32_t *bad_arg, wk_error *err) {
  uint32_t dummy;
  if (!bad_arg) bad_arg = &dummy;
  *bad_arg = UINT32_MAX;
  if (!arena || (nparams && (!types || !out)) || (len && !text) || name_len > len)
    return wk_error_set(err, WK_ERR_USAGE, "WAVE: bad arguments");
  P p = {text ? text : "", len, name_len, arena, err};
  int rc;
  if ((rc = expect(&p, '('))) return rc;
  uint32_t given = 0;
  if (at(&p, ')')) p.i++;
  else
    for (;;) { /* parse_comma_separated_nodes: `v, v` or `v, v,` then `)` */
      ws(&p);
      if (p.i >= p.n) return perr(&p, p.i, "unterminated call: expected `)`");
      if (given >= nparams) {
        char m[96];
        snprintf(m, sizeof m, "`%.*s` takes %u argument%s, more are given", (int)(name_len < 40 ? name_len : 40),
                 p.s, nparams, nparams == 1 ? "" : "s");
        return perr(&p, p.i, m);
      }
      if ((rc = parse(&p, types[given], names ? names[given] : NULL, 0, &out[given]))) {
        *bad_arg = given;
        return rc;
      }
      given++;
      if (at(&p, ',')) {
        p.i++;
        if (at(&p, ')')) { p.i++; break; }
      } else if (at(&p, ')')) {
        p.i++;
        break;
      } else
        return perr(&p, p.i, p.i < p.n ? "expected `,` or `)`" : "unterminated call: expected `,` or `)`");
    }
  size_t close = p.i - 1;
  ws(&p);
  if (p.i < p.n) return perr(&p, p.i, "trailing characters after the call");
  for (uint32_t k = given; k < nparams; k++) { /* to_wasm_params: trailing options left out are none */
    if (!types[k] || types[k]->kind != WK_CABI_OPTION) {
      char m[96];
      snprintf(m, sizeof m, "`%.*s` takes %u argument%s, %u given", (int)(name_len < 40 ? name_len : 40), p.s,
               nparams, nparams == 1 ? "" : "s", given);
      return perr(&p, close, m);
    }
    memset(&out[k], 0, sizeof out[k]);
    out[k].kind = WK_CABI_OPTION;
  }
  return WK_OK;
}
