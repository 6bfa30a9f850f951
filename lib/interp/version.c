#include "interp/interp.h"
/* Version string of lib/interp (keeps the archive non-empty while the library grows). */
const char *wk_interp_version(void) { return WK_VERSION; }
