/* Interface versions (semver.h): parse, compatibility, precedence. */
#include "encode/semver.h"

#include <string.h>

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_ident_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

/* A number at s[*i]: digits without a leading zero, at most UINT64_MAX. NULL or what is wrong. */
static const char *number(const char *s, size_t n, size_t *i, uint64_t *out) {
  size_t st = *i;
  uint64_t x = 0;
  while (*i < n && is_digit(s[*i])) {
    unsigned d = (unsigned)(s[*i] - '0');
    if (x > (UINT64_MAX - d) / 10) return "value out of range"; /* the semver crate's u64: an error there too */
    x = x * 10 + d;
    (*i)++;
  }
  if (*i == st) return "unexpected character in version";
  if (*i - st > 1 && s[st] == '0') return "invalid leading zero in version number";
  *out = x;
  return NULL;
}

/* Dot-separated identifiers at s[*i] up to `stop` (or the end): non-empty, of
 * [0-9A-Za-z-]; in a pre-release a numeric one has no leading zero (semver.org 9, 10). */
static int idents(const char *s, size_t n, size_t *i, char stop, int pre) {
  for (;;) {
    size_t st = *i;
    int numeric = 1;
    while (*i < n && s[*i] != '.' && s[*i] != stop) {
      if (!is_ident_char(s[*i])) return 0;
      numeric &= is_digit(s[*i]);
      (*i)++;
    }
    if (*i == st || (pre && numeric && *i - st > 1 && s[st] == '0')) return 0;
    if (*i >= n || s[*i] == stop) return 1;
    (*i)++; /* '.' */
  }
}

const char *wk_semver_check(const char *s, size_t n, wk_semver *v) {
  wk_semver t;
  memset(&t, 0, sizeof t);
  uint64_t num[3] = {0, 0, 0};
  size_t i = 0;
  const char *e;
  if (!s || !n) return "unexpected end of input while parsing version";
  for (t.nparts = 0; t.nparts < 3;) {
    if ((e = number(s, n, &i, &num[t.nparts]))) return e;
    t.nparts++;
    if (i >= n || s[i] != '.' || t.nparts == 3) break;
    i++;
  }
  t.major = num[0], t.minor = num[1], t.patch = num[2];
  if (t.nparts < 3) {
    /* canonversion: [1-9][0-9]* | 0.[1-9][0-9]* (0.0.P and 0.0.0 are written in full) */
    int canon = t.nparts == 1 ? t.major > 0 : t.major == 0 && t.minor > 0;
    if (!canon) return i == n ? "unexpected end of input while parsing version" : "unexpected character after version";
    if (i != n) return "unexpected character after version"; /* a canonversion has no pre-release or build */
    if (v) *v = t;
    return NULL;
  }
  if (i < n && s[i] == '-') {
    t.pre = s + ++i;
    if (!idents(s, n, &i, '+', 1)) return "invalid pre-release or build identifier";
    t.npre = (size_t)(s + i - t.pre);
  }
  if (i < n && s[i] == '+') {
    t.build = s + ++i;
    if (!idents(s, n, &i, 0, 0)) return "invalid pre-release or build identifier";
    t.nbuild = (size_t)(s + i - t.build);
  }
  if (i != n) return "unexpected character after version";
  if (v) *v = t;
  return NULL;
}

int wk_semver_parse(const char *s, size_t n, wk_semver *v) { return !wk_semver_check(s, n, v); }

int wk_semver_is_canonical(const wk_semver *v) {
  return !v->npre && !v->nbuild && (v->nparts < 3 || (!v->major && !v->minor));
}

int wk_semver_compatible(const char *a, size_t an, const char *b, size_t bn, unsigned flags) {
  if (an == bn && (!an || !memcmp(a, b, an))) return 1; /* the exact name */
  wk_semver x, y;
  if (!an || !bn || !wk_semver_parse(a, an, &x) || !wk_semver_parse(b, bn, &y)) return 0;
  if (flags & WK_SEMVER_FULL_ONLY) {
    /* wac: no track for an abbreviated version; 0.0.P and pre-releases only byte for byte (done above) */
    if (x.nparts < 3 || y.nparts < 3 || x.npre || y.npre) return 0;
    if (!x.major && !x.minor) return 0;
  }
  if (x.npre || y.npre) /* its own track: the version without its build metadata */
    return x.major == y.major && x.minor == y.minor && x.patch == y.patch && x.npre == y.npre &&
           !memcmp(x.pre, y.pre, x.npre);
  /* Explainer.md "🔗 Canonical Interface Name": the canonversion prefix */
  if (x.major != y.major) return 0;
  if (x.major) return 1;
  if (x.minor != y.minor) return 0;
  if (x.minor) return 1;
  return x.patch == y.patch;
}

static int cmp_u64(uint64_t a, uint64_t b) { return a < b ? -1 : a > b; }

/* bytes, then the shorter first */
static int cmp_bytes(const char *a, size_t an, const char *b, size_t bn) {
  int c = memcmp(a, b, an < bn ? an : bn);
  return c ? (c < 0 ? -1 : 1) : cmp_u64(an, bn);
}

/* one pre-release identifier (semver.org 11.4.1 - 11.4.3) */
static int cmp_ident(const char *a, size_t an, const char *b, size_t bn) {
  int da = 1, db = 1;
  for (size_t i = 0; i < an; i++) da &= is_digit(a[i]);
  for (size_t i = 0; i < bn; i++) db &= is_digit(b[i]);
  if (da && db) return an != bn ? cmp_u64(an, bn) : cmp_bytes(a, an, b, bn); /* no leading zeros: longer is larger */
  if (da != db) return da ? -1 : 1;
  return cmp_bytes(a, an, b, bn);
}

int wk_semver_cmp(const char *a, size_t an, const char *b, size_t bn) {
  wk_semver x, y;
  int px = wk_semver_parse(a, an, &x), py = wk_semver_parse(b, bn, &y);
  if (!px || !py) return px != py ? (px ? 1 : -1) : cmp_bytes(a, an, b, bn);
  int c = cmp_u64(x.major, y.major);
  if (!c) c = cmp_u64(x.minor, y.minor);
  if (!c) c = cmp_u64(x.patch, y.patch);
  if (c || (!x.npre && !y.npre)) return c;
  if (!x.npre || !y.npre) return x.npre ? -1 : 1; /* 11.3: a pre-release is below its release */
  size_t i = 0, j = 0;
  for (;;) {
    size_t ie = i, je = j;
    while (ie < x.npre && x.pre[ie] != '.') ie++;
    while (je < y.npre && y.pre[je] != '.') je++;
    c = cmp_ident(x.pre + i, ie - i, y.pre + j, je - j);
    if (c) return c;
    int xe = ie >= x.npre, ye = je >= y.npre;
    if (xe || ye) return xe && ye ? 0 : xe ? -1 : 1; /* 11.4.4: fewer identifiers first */
    i = ie + 1, j = je + 1;
  }
}
