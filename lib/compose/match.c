/* lib/compose: matching imports to exports -- names, semver-compatible
 * interface versions, and a type check that says exactly what differs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose/compose.h"
#include "compose/internal.h"
#include "witparse/witparse.h"

size_t wkc_name_base(const char *s, size_t n, const char **ver, size_t *vlen) {
  /* Explainer.md "Import and Export Definitions": interfacename ::= namespace:package/name[@version];
   * the `@` cannot appear elsewhere in a plain or interface name. */
  const char *at = memchr(s, '@', n);
  if (!at || !memchr(s, '/', n)) {
    *ver = s + n;
    *vlen = 0;
    return n;
  }
  *ver = at + 1;
  *vlen = n - (size_t)(at + 1 - s);
  return (size_t)(at - s);
}

/* Parse "MAJOR.MINOR.PATCH[-pre][+build]": 1 when well formed. */
static int semver3(const char *s, size_t n, unsigned long long v[3], int *pre) {
  size_t i = 0;
  for (int k = 0; k < 3; k++) {
    if (i >= n || s[i] < '0' || s[i] > '9') return 0;
    unsigned long long x = 0;
    size_t st = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
      if (x > 1000000000000ULL) return 0;
      x = x * 10 + (unsigned)(s[i++] - '0');
    }
    if (i - st > 1 && s[st] == '0') return 0;
    v[k] = x;
    if (k < 2) {
      if (i >= n || s[i] != '.') return 0;
      i++;
    }
  }
  *pre = i < n && s[i] == '-';
  return i == n || s[i] == '-' || s[i] == '+';
}

int wkc_version_compatible(const char *want, size_t wn, const char *have, size_t hn) {
  if (!wn || !hn) return wn == hn;
  if (wn == hn && !memcmp(want, have, wn)) return 1;
  unsigned long long a[3], b[3];
  int pa, pb;
  if (!semver3(want, wn, a, &pa) || !semver3(have, hn, b, &pb)) return 0;
  if (pa || pb) return 0; /* prereleases match only exactly (wasmtime's alternate lookup key) */
  /* cargo-style compatibility tracks: 1.x.y, 0.2.x, 0.0.3 */
  if (a[0] != b[0]) return 0;
  if (a[0] == 0 && a[1] != b[1]) return 0;
  if (a[0] == 0 && a[1] == 0 && a[2] != b[2]) return 0;
  return 1;
}

int wkc_semver_cmp_n(const char *a, size_t an, const char *b, size_t bn) {
  char x[128], y[128];
  snprintf(x, sizeof x, "%.*s", (int)an, a);
  snprintf(y, sizeof y, "%.*s", (int)bn, b);
  return wit_semver_cmp(x, y);
}

