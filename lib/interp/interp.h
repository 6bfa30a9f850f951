/* lib/interp — public header (being built; see the issues). */
#ifndef WK_INTERP_H
#define WK_INTERP_H
#include "base/base.h"
#endif
