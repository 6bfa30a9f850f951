/* lib/canonabi — public header (being built; see the issues). */
#ifndef WK_CANONABI_H
#define WK_CANONABI_H
#include "base/base.h"
#endif
