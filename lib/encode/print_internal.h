/* Helpers shared by lib/encode's text printers (print_*.c). */
#ifndef WK_ENCODE_PRINT_INTERNAL_H
#define WK_ENCODE_PRINT_INTERNAL_H
#include "base/base.h"

/* `$name` when every byte is an idchar (WebAssembly text 6.3.5), else `$"..."`. */
void wk_print_id(wk_buf *b, const char *s, size_t n);
/* A string literal with wasmprinter's escapes. */
void wk_print_str(wk_buf *b, const char *s, size_t n);
/* i32, i64, f32, f64, v128, funcref, externref, or a GC abbreviation. */
void wk_print_core_valtype(wk_buf *b, uint8_t t);
/* A core type the component model keeps as raw bytes (GC rec/sub types). */
void wk_print_raw_coretype(wk_buf *b, const uint8_t *d, size_t n);
/* Print one GC subtype (GC proposal binary 5.3: `sub`, `sub final`, func /
 * struct / array) starting at *pos, advancing it. `prefixed`: the component
 * core-type form where a non-final sub type is `0x00 0x50`. Type references
 * are printed by `ref` (index or name). Returns 0, or -1 on malformed bytes. */
typedef void (*wk_typeref_fn)(wk_buf *b, uint32_t idx, void *ctx);
int wk_print_gc_subtype(wk_buf *b, const uint8_t *d, size_t n, size_t *pos, int prefixed, wk_typeref_fn ref,
                        void *ctx);

/* A forgiving cursor over raw bytes, for what the printers read themselves (GC types kept as bytes,
 * the fallback reader of modules beyond 2.0): reading past `n`, or a LEB that is not one of 64 bits
 * (Core 5.2.2: at most 10 bytes, nothing beyond bit 64), sets `bad` and yields 0. */
typedef struct wk_pcur {
  const uint8_t *d;
  size_t n, p;
  int bad;
} wk_pcur;
uint8_t wk_pcur_byte(wk_pcur *c);
/* A LEB128 integer (Core 5.2.2 "Integers"); sign-extended when `sign`. */
int64_t wk_pcur_leb(wk_pcur *c, int sign);
#endif
