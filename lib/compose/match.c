/* lib/compose: matching imports to exports -- names (semver-compatible
 * interface versions: lib/encode's semver.h), and a type check that says
 * exactly what differs. */
#include <string.h>

#include "compose/compose.h"
#include "compose/internal.h"

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


