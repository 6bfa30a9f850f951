/* A C guest built on `wit-gen c` bindings for e2e.wit: it implements `api` and calls `host`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"

struct exports_wkit_e2e_api_counter_t { uint32_t value; };

exports_wkit_e2e_api_own_counter_t exports_wkit_e2e_api_constructor_counter(uint32_t start) {
  exports_wkit_e2e_api_counter_t *c = malloc(sizeof *c);
  c->value = start;
  return exports_wkit_e2e_api_counter_new(c);
}
uint32_t exports_wkit_e2e_api_method_counter_incr(exports_wkit_e2e_api_borrow_counter_t self, uint32_t by) {
  self->value += by;
  return self->value;
}
uint32_t exports_wkit_e2e_api_method_counter_get(exports_wkit_e2e_api_borrow_counter_t self) { return self->value; }
void exports_wkit_e2e_api_counter_destructor(exports_wkit_e2e_api_counter_t *rep) { free(rep); }

static void dup(guest_string_t *out, const char *s) { guest_string_dup(out, s); }

bool exports_wkit_e2e_api_run(guest_list_string_t *args, exports_wkit_e2e_api_point_t *ret, guest_string_t *err) {
  if (args->len == 0) {
    dup(err, "no args");
    guest_list_string_free(args);
    return false;
  }
  ret->x = (int32_t)args->len;
  ret->y = (int32_t)args->ptr[0].len;
  /* label = all args joined with '+' */
  size_t total = 0;
  for (size_t i = 0; i < args->len; i++) total += args->ptr[i].len + 1;
  char *buf = malloc(total + 1);
  size_t k = 0;
  for (size_t i = 0; i < args->len; i++) {
    if (i) buf[k++] = '+';
    memcpy(buf + k, args->ptr[i].ptr, args->ptr[i].len);
    k += args->ptr[i].len;
  }
  guest_string_dup_n(&ret->label, buf, k);
  free(buf);
  guest_list_string_free(args);
  return true;
}

double exports_wkit_e2e_api_area(exports_wkit_e2e_api_shape_t *s) {
  double a = 0;
  switch (s->tag) {
  case WKIT_E2E_TYPES_SHAPE_CIRCLE: a = 3.0 * s->val.circle * s->val.circle; break;
  case WKIT_E2E_TYPES_SHAPE_POLY:
    for (size_t i = 0; i < s->val.poly.len; i++) a += s->val.poly.ptr[i].x * s->val.poly.ptr[i].y;
    break;
  default: a = -1; break;
  }
  exports_wkit_e2e_api_shape_free(s);
  return a;
}

void exports_wkit_e2e_api_paint(exports_wkit_e2e_api_color_t c, exports_wkit_e2e_api_perms_t p, guest_string_t *maybe_note,
                                guest_string_t *ret) {
  char buf[256];
  int n = snprintf(buf, sizeof buf, "color=%d perms=%d%s%s%s", (int)c, (int)p,
                   (p & WKIT_E2E_TYPES_PERMS_WRITE) ? " (w)" : "", maybe_note ? " note=" : "", "");
  if (maybe_note) {
    memcpy(buf + n, maybe_note->ptr, maybe_note->len);
    n += (int)maybe_note->len;
    guest_string_free(maybe_note);
  }
  guest_string_dup_n(ret, buf, (size_t)n);
}

void exports_wkit_e2e_api_many(uint8_t a, int8_t b, uint16_t c, int16_t d, uint32_t e, int32_t f, uint64_t g, int64_t h,
                               float i, double j, uint32_t k, bool l, uint8_t m, uint8_t n, uint8_t o, uint8_t p, uint8_t q,
                               guest_list_u64_t *ret) {
  uint64_t vals[] = {a, (uint64_t)(int64_t)b, c, (uint64_t)(int64_t)d, e, (uint64_t)(int64_t)f, g, (uint64_t)h,
                     (uint64_t)(int64_t)(i * 4), (uint64_t)(int64_t)(j * 8), k, l, (uint64_t)m + n + o + p + q};
  size_t cnt = sizeof vals / sizeof vals[0];
  ret->ptr = malloc(sizeof vals);
  memcpy(ret->ptr, vals, sizeof vals);
  ret->len = cnt;
}

void exports_wkit_e2e_api_use_host(guest_string_t *ret) {
  char out[512];
  int n = 0;
  guest_string_t msg;
  guest_string_set(&msg, "hello from C");
  wkit_e2e_host_log(&msg);

  guest_string_t key, val;
  guest_string_set(&key, "k1");
  if (wkit_e2e_host_lookup(&key, &val)) {
    n += snprintf(out + n, sizeof out - n, "lookup=%.*s;", (int)val.len, (const char *)val.ptr);
    guest_string_free(&val);
  } else n += snprintf(out + n, sizeof out - n, "lookup=none;");
  guest_string_set(&key, "zz");
  n += snprintf(out + n, sizeof out - n, "lookup2=%s;", wkit_e2e_host_lookup(&key, &val) ? "some" : "none");

  guest_list_u8_t bytes;
  guest_string_t err;
  if (wkit_e2e_host_fetch(3, &bytes, &err)) {
    unsigned s = 0;
    for (size_t i = 0; i < bytes.len; i++) s += bytes.ptr[i];
    n += snprintf(out + n, sizeof out - n, "fetch=%zu/%u;", bytes.len, s);
    guest_list_u8_free(&bytes);
  }
  if (!wkit_e2e_host_fetch(0, &bytes, &err)) {
    n += snprintf(out + n, sizeof out - n, "err=%.*s;", (int)err.len, (const char *)err.ptr);
    guest_string_free(&err);
  }

  wkit_e2e_types_point_t pt = {.x = 2, .y = -3};
  guest_string_set(&pt.label, "pt");
  guest_tuple2_s64_string_t mixed;
  wkit_e2e_host_mix(WKIT_E2E_TYPES_COLOR_BLUE, 1.5, 10000000000ull, &pt, &mixed);
  n += snprintf(out + n, sizeof out - n, "mix=%lld,%.*s;", (long long)mixed.f0, (int)mixed.f1.len, (const char *)mixed.f1.ptr);
  guest_tuple2_s64_string_free(&mixed);
  wkit_e2e_host_mix(WKIT_E2E_TYPES_COLOR_RED, -2.0, 1, NULL, &mixed);
  n += snprintf(out + n, sizeof out - n, "mix2=%lld,%.*s;", (long long)mixed.f0, (int)mixed.f1.len, (const char *)mixed.f1.ptr);
  guest_tuple2_s64_string_free(&mixed);

  uint8_t init[] = {1, 2, 3};
  guest_list_u8_t l = {init, 3};
  wkit_e2e_host_own_blob_t b = wkit_e2e_host_constructor_blob(&l);
  wkit_e2e_host_borrow_blob_t bb = wkit_e2e_host_borrow_blob(b);
  uint8_t more[] = {10, 20};
  guest_list_u8_t m = {more, 2};
  wkit_e2e_host_method_blob_append(bb, &m);
  n += snprintf(out + n, sizeof out - n, "blob=%u,%llu", wkit_e2e_host_method_blob_size(bb),
                (unsigned long long)wkit_e2e_host_blob_sum(bb));
  wkit_e2e_host_blob_drop_own(b);

  /* variant payloads through the flat join (f32 and u64 share an i64 slot) and back via a return area */
  wkit_e2e_types_mixed_t mv = {.tag = WKIT_E2E_TYPES_MIXED_F, .val = {.f = 2.5f}}, mo;
  wkit_e2e_host_twist(&mv, &mo);
  n += snprintf(out + n, sizeof out - n, ";twist-f=%d:%g", (int)mo.tag, mo.tag == WKIT_E2E_TYPES_MIXED_D ? mo.val.d : -1.0);
  mv.tag = WKIT_E2E_TYPES_MIXED_W;
  mv.val.w = 0x123456789abcull;
  wkit_e2e_host_twist(&mv, &mo);
  n += snprintf(out + n, sizeof out - n, ";twist-w=%d:%.*s", (int)mo.tag, mo.tag == WKIT_E2E_TYPES_MIXED_S ? (int)mo.val.s.len : 0,
                mo.tag == WKIT_E2E_TYPES_MIXED_S ? (const char *)mo.val.s.ptr : "");
  wkit_e2e_types_mixed_free(&mo);
  guest_string_dup_n(ret, out, (size_t)n);
}

void exports_wkit_e2e_api_echo(exports_wkit_e2e_api_mixed_t *m, uint64_t *maybe_o, exports_wkit_e2e_api_result_void_color_t *r,
                               exports_wkit_e2e_api_tuple3_mixed_option_u64_result_void_color_t *ret) {
  ret->f0 = *m; /* ownership of a string payload moves to the result */
  ret->f1.is_some = maybe_o != NULL;
  if (maybe_o) ret->f1.val = *maybe_o + 1;
  ret->f2 = *r;
}

void exports_wkit_e2e_api_points(uint32_t n, exports_wkit_e2e_api_list_point_t *ret) {
  ret->len = n;
  ret->ptr = malloc(n * sizeof *ret->ptr);
  for (uint32_t i = 0; i < n; i++) {
    char buf[16];
    int k = snprintf(buf, sizeof buf, "p%u", i);
    ret->ptr[i].x = (int32_t)i;
    ret->ptr[i].y = -(int32_t)i;
    guest_string_dup_n(&ret->ptr[i].label, buf, (size_t)k);
  }
}
