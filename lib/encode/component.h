/*
 * Components (Binary.md, layer 1 / version 0x0d): model, decoder, encoder,
 * validator. Part of lib/encode's public surface (encode.h includes it).
 * (Being built.)
 */
#ifndef WK_ENCODE_COMPONENT_H
#define WK_ENCODE_COMPONENT_H
#include "base/base.h"
#endif
