/* lib/compose: component creation (component new + adapter) and composition (plug, dependencies, WAC). */
#include "base/base.h"
/* Version string of lib/compose (keeps the archive non-empty while the library grows). */
const char *wk_compose_version(void);
const char *wk_compose_version(void) { return WK_VERSION; }
