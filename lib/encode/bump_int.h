/*
 * lib/encode/bump_int.h — uncleared allocations cut from chunks of a wk_arena (internal to
 * lib/encode: the component decoder's model and the component validator's type graph).
 *
 * Under callgrind an arena call per allocation (most of them 8..64 bytes) was ~8% of decoding
 * and ~4% of validating a WASI hello component; a bump pointer over 8 KB chunks costs a few
 * instructions. The bytes are not cleared: for arrays whose items are all written before they
 * are read. Everything lives in the arena and goes with wk_arena_free.
 */
#ifndef WK_ENCODE_BUMP_INT_H
#define WK_ENCODE_BUMP_INT_H
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

typedef struct wk_bump {
  unsigned char *p, *e; /* the current chunk's free bytes; both NULL before the first */
} wk_bump;

#define WK_BUMP_CHUNK 8192u

static inline void *wk_bump_slow(wk_bump *b, wk_arena *a, size_t n) {
  if (n >= WK_BUMP_CHUNK / 4) return wk_arena_alloc_uninit(a, n); /* (large: its own piece) */
  unsigned char *c = wk_arena_alloc_uninit(a, WK_BUMP_CHUNK);
  if (!c) return NULL;
  b->p = c + n;
  b->e = c + WK_BUMP_CHUNK;
  return c;
}

/* n bytes (at least 1) of unspecified content aligned to 8, or NULL when out of memory. */
static inline void *wk_bump_alloc(wk_bump *b, wk_arena *a, size_t n) {
  if (n > SIZE_MAX / 2) return NULL;
  n = n ? (n + 7) & ~(size_t)7 : 8;
  if (n > (size_t)(b->e - b->p)) return wk_bump_slow(b, a, n);
  void *p = b->p;
  b->p += n;
  return p;
}

#endif
