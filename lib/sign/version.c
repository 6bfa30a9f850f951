#include "sign/sign.h"
/* Version string of lib/sign (keeps the archive non-empty while the library grows). */
const char *wk_sign_version(void) { return WK_VERSION; }
