/* lib/wasi — public header (being built; see the issues). */
#ifndef WK_WASI_H
#define WK_WASI_H
#include "base/base.h"
#endif
