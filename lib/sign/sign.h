/* lib/sign — WebAssembly module/component signatures (being built; see the issues). */
#ifndef WK_SIGN_H
#define WK_SIGN_H
#include "base/base.h"
#endif
