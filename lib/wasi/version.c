#include "wasi/wasi.h"
/* Version string of lib/wasi (keeps the archive non-empty while the library grows). */
const char *wk_wasi_version(void) { return WK_VERSION; }
