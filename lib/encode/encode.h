/*
 * lib/encode — the WebAssembly binary format: core modules and components.
 * decode ⇄ in-memory model ⇄ encode, validation. (Being built; see issues.)
 */
#ifndef WK_ENCODE_H
#define WK_ENCODE_H
#include "base/base.h"
#include "encode/sections.h"
#endif
