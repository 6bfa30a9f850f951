/*
 * libFuzzer target: WAVE function calls (lib/canonabi wk_wave_call_name +
 * wk_cval_parse_wave_args, what `wrun --invoke` reads). Input: one byte picks
 * a parameter list (below), the rest is the call text.
 *   Both steps only succeed or fail with WK_ERR_MALFORMED (an offset within
 *   the text; the argument at fault is one of the parameters or UINT32_MAX);
 *   never a crash, never a read past the text (the text is copied to a
 *   buffer of exactly its length).
 *   A call that parses is printed back (each argument with
 *   wk_cval_print_wave, as `NAME(a, b, ...)`), and that text must parse to
 *   equal values (wk_cval_equal).
 */
#include <stdlib.h>
#include <string.h>

#include "canonabi/value.h"
#include "fuzz_check.h"

#define T(k) {.kind = (k)}
static const wk_cabi_type t_u8 = T(WK_CABI_U8), t_u16 = T(WK_CABI_U16), t_u32 = T(WK_CABI_U32),
                          t_u64 = T(WK_CABI_U64), t_s8 = T(WK_CABI_S8), t_f32 = T(WK_CABI_F32),
                          t_f64 = T(WK_CABI_F64), t_str = T(WK_CABI_STRING), t_chr = T(WK_CABI_CHAR),
                          t_bool = T(WK_CABI_BOOL);
#define KIDS(...) (const wk_cabi_type *const[]){__VA_ARGS__}
static const wk_cabi_type t_opt_u32 = {.kind = WK_CABI_OPTION, .n = 1, .children = KIDS(&t_u32)};
static const wk_cabi_type t_opt_str = {.kind = WK_CABI_OPTION, .n = 1, .children = KIDS(&t_str)};
static const wk_cabi_type t_opt_u8 = {.kind = WK_CABI_OPTION, .n = 1, .children = KIDS(&t_u8)};
static const wk_cabi_type t_opt_opt = {.kind = WK_CABI_OPTION, .n = 1, .children = KIDS(&t_opt_u32)};
static const wk_cabi_type t_list_s8 = {.kind = WK_CABI_LIST, .n = 1, .children = KIDS(&t_s8)};
static const wk_cabi_type t_list_str = {.kind = WK_CABI_LIST, .n = 1, .children = KIDS(&t_str)};
static const wk_cabi_type t_rec = {.kind = WK_CABI_RECORD, .n = 2, .children = KIDS(&t_u8, &t_opt_u8)};
static const wk_cabi_type t_var = {.kind = WK_CABI_VARIANT, .n = 2, .children = KIDS(NULL, &t_u64)};
static const wk_cabi_type t_enum = {.kind = WK_CABI_ENUM, .n = 2};
static const wk_cabi_type t_flags = {.kind = WK_CABI_FLAGS, .n = 3};
static const wk_cabi_type t_tup = {.kind = WK_CABI_TUPLE, .n = 2, .children = KIDS(&t_u16, &t_f32)};
static const wk_cabi_type t_res = {.kind = WK_CABI_RESULT, .n = 2, .children = KIDS(&t_tup, &t_str)};
static const wk_cabi_type t_list_rec = {.kind = WK_CABI_LIST, .n = 1, .children = KIDS(&t_rec)};

static const wk_cabi_names n_rec = {(const char *const[]){"a", "b-c"}, NULL};
static const wk_cabi_names n_var = {(const char *const[]){"none", "x1"}, NULL};
static const wk_cabi_names n_enum = {(const char *const[]){"left", "right"}, NULL};
static const wk_cabi_names n_flags = {(const char *const[]){"read", "write", "Z"}, NULL};
static const wk_cabi_names n_list_rec = {NULL, (const wk_cabi_names *const[]){&n_rec}};

typedef struct params {
  uint32_t n;
  const wk_cabi_type *const *t;
  const wk_cabi_names *const *names;
} params;

static const params LISTS[] = {
    {0, NULL, NULL},
    {3, KIDS(&t_u32, &t_opt_u32, &t_opt_str), NULL},
    {5, KIDS(&t_str, &t_list_s8, &t_chr, &t_f64, &t_bool), NULL},
    {5, KIDS(&t_rec, &t_var, &t_enum, &t_flags, &t_res),
     (const wk_cabi_names *const[]){&n_rec, &n_var, &n_enum, &n_flags, NULL}},
    {3, KIDS(&t_list_str, &t_opt_opt, &t_list_rec), (const wk_cabi_names *const[]){NULL, NULL, &n_list_rec}},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > 65536) return 0;
  const params *pl = &LISTS[data[0] % (sizeof LISTS / sizeof *LISTS)];
  size_t len = size - 1;
  char *text = malloc(len ? len : 1); /* exactly the text: ASan sees any read past it */
  if (!text) return 0;
  memcpy(text, data + 1, len);
  wk_error e;
  wk_error_clear(&e);
  size_t nlen = 0;
  int rc = wk_wave_call_name(text, len, &nlen, &e);
  CHECK(rc == WK_OK || rc == WK_ERR_MALFORMED, "call name: %d: %s", rc, e.msg);
  if (rc) {
    CHECK(e.has_offset && e.offset <= len, "call name error offset %llu of %zu", (unsigned long long)e.offset, len);
    free(text);
    return 0;
  }
  CHECK(nlen > 0 && nlen <= len, "name length %zu of %zu", nlen, len);
  wk_arena a = {0};
  wk_cval v[8];
  uint32_t bad = 7;
  rc = wk_cval_parse_wave_args(text, len, nlen, pl->n, pl->t, pl->names, &a, v, &bad, &e);
  CHECK(rc == WK_OK || rc == WK_ERR_MALFORMED || rc == WK_ERR_NOMEM, "call arguments: %d: %s", rc, e.msg);
  if (rc == WK_ERR_MALFORMED) {
    CHECK(e.has_offset && e.offset <= len, "argument error offset %llu of %zu", (unsigned long long)e.offset, len);
    CHECK(bad == UINT32_MAX || bad < pl->n, "argument at fault %u of %u", bad, pl->n);
  }
  if (rc == WK_OK) {
    CHECK(bad == UINT32_MAX, "no argument at fault after success: %u", bad);
    wk_buf b = {0};
    wk_buf_append(&b, text, nlen);
    wk_buf_byte(&b, '(');
    for (uint32_t i = 0; i < pl->n; i++) {
      if (i) wk_buf_str(&b, ", ");
      rc = wk_cval_print_wave(&v[i], pl->t[i], pl->names ? pl->names[i] : NULL, &b, &e);
      CHECK(rc == WK_OK, "printing argument %u: %s", i, e.msg);
    }
    wk_buf_byte(&b, ')');
    if (!b.oom) {
      wk_cval w[8];
      size_t n2 = 0;
      rc = wk_wave_call_name((const char *)b.data, b.len, &n2, &e);
      CHECK(rc == WK_OK && n2 == nlen, "printed call's name does not read back: %s", e.msg);
      rc = wk_cval_parse_wave_args((const char *)b.data, b.len, n2, pl->n, pl->t, pl->names, &a, w, NULL, &e);
      CHECK(rc == WK_OK || rc == WK_ERR_NOMEM, "printed call does not parse: %s at %llu\n%.*s", e.msg,
            (unsigned long long)e.offset, (int)(b.len > 2000 ? 2000 : b.len), (const char *)b.data);
      for (uint32_t i = 0; rc == WK_OK && i < pl->n; i++)
        CHECK(wk_cval_equal(&v[i], &w[i], pl->t[i]), "argument %u changed in the round trip\n%.*s", i,
              (int)(b.len > 2000 ? 2000 : b.len), (const char *)b.data);
    }
    wk_buf_free(&b);
  }
  wk_arena_free(&a);
  free(text);
  return 0;
}
