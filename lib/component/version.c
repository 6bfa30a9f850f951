#include "component/component.h"
/* Version string of lib/component (keeps the archive non-empty while the library grows). */
const char *wk_component_version(void) { return WK_VERSION; }
