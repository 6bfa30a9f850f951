#include "canonabi/canonabi.h"
/* Version string of lib/canonabi (keeps the archive non-empty while the library grows). */
const char *wk_canonabi_version(void) { return WK_VERSION; }
