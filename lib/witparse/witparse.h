/* lib/witparse — public header (being built; see the issues). */
#ifndef WK_WITPARSE_H
#define WK_WITPARSE_H
#include "base/base.h"
#endif
