#include "witparse/witparse.h"
/* Version string of lib/witparse (keeps the archive non-empty while the library grows). */
const char *wk_witparse_version(void) { return WK_VERSION; }
