/*
 * Canonical ABI layouts: alignment, element size, offsets and flattening
 * (component-model design/mvp/CanonicalABI.md, sections "Despecialization",
 * "Type Predicates", "Alignment", "Element Size", "Flattening").
 */
#include <stdlib.h>
#include <string.h>

#include "canonabi/canonabi.h"

/* Child `i` of `t`, or NULL when the tree does not have it. */
static const wk_cabi_type *child(const wk_cabi_type *t, uint32_t i) {
  return t->children ? t->children[i] : NULL;
}

uint32_t wk_cabi_discriminant_size(uint32_t ncases) {
  /* discriminant_type: ceil(log2(n)/8) -> u8, u8, u16, u32 */
  if (ncases <= 0x100u) return 1;
  if (ncases <= 0x10000u) return 2;
  return 4;
}

uint32_t wk_cabi_flags_size(uint32_t n) {
  if (n == 0) return 0;
  if (n <= 8) return 1;
  if (n <= 16) return 2;
  return 4 * ((n + 31) / 32);
}

uint32_t wk_cabi_flags_flat_count(uint32_t n) { return (n + 31) / 32; }

uint32_t wk_cabi_string_unit_size(wk_cabi_string_encoding enc) { return enc == WK_CABI_UTF16 ? 2 : 1; }

uint32_t wk_cabi_string_align(wk_cabi_string_encoding enc) { return enc == WK_CABI_UTF8 ? 1 : 2; }

/* Number of cases of a variant-like (despecialized) type and case i's payload. */
static int variant_cases(const wk_cabi_type *t, uint32_t *ncases) {
  switch (t->kind) {
  case WK_CABI_VARIANT:
  case WK_CABI_ENUM: *ncases = t->n; return 1;
  case WK_CABI_OPTION:
  case WK_CABI_RESULT: *ncases = 2; return 1;
  default: return 0;
  }
}

static const wk_cabi_type *case_payload(const wk_cabi_type *t, uint32_t i) {
  switch (t->kind) {
  case WK_CABI_VARIANT: return child(t, i);
  case WK_CABI_OPTION: return i == 1 ? child(t, 0) : NULL; /* none, some(T) */
  case WK_CABI_RESULT: return child(t, i);                  /* ok(T), error(E) */
  default: return NULL;
  }
}

/* Number of fields of a record-like type (record, tuple, one map entry). */
static int record_fields(const wk_cabi_type *t, uint32_t *n) {
  switch (t->kind) {
  case WK_CABI_RECORD:
  case WK_CABI_TUPLE: *n = t->n; return 1;
  case WK_CABI_MAP: *n = 2; return 1; /* as the tuple<K, V> of one entry */
  default: return 0;
  }
}

typedef struct { uint64_t size, align; } lay64;

static int lay(const wk_cabi_type *t, uint32_t ps, unsigned depth, lay64 *o, wk_error *err) {
  if (!t) return wk_error_set(err, WK_ERR_INVALID, "canonical ABI: missing type");
  if (depth > WK_CABI_MAX_DEPTH) return wk_error_set(err, WK_ERR_INVALID, "canonical ABI: type nested too deeply");
  switch (t->kind) {
  case WK_CABI_BOOL:
  case WK_CABI_S8:
  case WK_CABI_U8: o->size = o->align = 1; return WK_OK;
  case WK_CABI_S16:
  case WK_CABI_U16: o->size = o->align = 2; return WK_OK;
  case WK_CABI_S32:
  case WK_CABI_U32:
  case WK_CABI_F32:
  case WK_CABI_CHAR:
  case WK_CABI_ERROR_CONTEXT:
  case WK_CABI_OWN:
  case WK_CABI_BORROW:
  case WK_CABI_FUTURE:
  case WK_CABI_STREAM: o->size = o->align = 4; return WK_OK;
  case WK_CABI_S64:
  case WK_CABI_U64:
  case WK_CABI_F64: o->size = o->align = 8; return WK_OK;
  case WK_CABI_STRING: o->size = 2 * (uint64_t)ps; o->align = ps; return WK_OK;
  case WK_CABI_MAP: o->size = 2 * (uint64_t)ps; o->align = ps; return WK_OK; /* a list */
  case WK_CABI_LIST:
    if (t->length == 0) { o->size = 2 * (uint64_t)ps; o->align = ps; return WK_OK; }
    /* alignment_list / elem_size_list for list<T, N> */
    {
      lay64 e;
      int rc = lay(child(t, 0), ps, depth + 1, &e, err);
      if (rc) return rc;
      o->align = e.align;
      o->size = e.size * t->length;
      break;
    }
  case WK_CABI_FLAGS:
    if (t->n == 0) return wk_error_set(err, WK_ERR_INVALID, "canonical ABI: flags without labels");
    o->size = o->align = wk_cabi_flags_size(t->n);
    if (o->align > 4) o->align = 4;
    return WK_OK;
  case WK_CABI_RECORD:
  case WK_CABI_TUPLE: {
    /* elem_size_record / alignment_record */
    if (t->n == 0) return wk_error_set(err, WK_ERR_INVALID, "canonical ABI: empty record or tuple");
    uint64_t s = 0, a = 1;
    for (uint32_t i = 0; i < t->n; i++) {
      lay64 f;
      int rc = lay(child(t, i), ps, depth + 1, &f, err);
      if (rc) return rc;
      s = (s + f.align - 1) / f.align * f.align + f.size;
      if (f.align > a) a = f.align;
      if (s > WK_CABI_MAX_BYTE_LENGTH) break;
    }
    o->size = (s + a - 1) / a * a;
    o->align = a;
    break;
  }
  case WK_CABI_VARIANT:
  case WK_CABI_ENUM:
  case WK_CABI_OPTION:
  case WK_CABI_RESULT: {
    /* elem_size_variant / alignment_variant / max_case_alignment */
    uint32_t nc = 0;
    variant_cases(t, &nc);
    if (nc == 0) return wk_error_set(err, WK_ERR_INVALID, "canonical ABI: variant without cases");
    uint64_t ds = wk_cabi_discriminant_size(nc), ca = 1, cs = 0;
    for (uint32_t i = 0; i < nc; i++) {
      const wk_cabi_type *p = case_payload(t, i);
      if (!p) {
        if (t->kind == WK_CABI_OPTION && i == 1)
          return wk_error_set(err, WK_ERR_INVALID, "canonical ABI: option without payload type");
        continue;
      }
      lay64 f;
      int rc = lay(p, ps, depth + 1, &f, err);
      if (rc) return rc;
      if (f.align > ca) ca = f.align;
      if (f.size > cs) cs = f.size;
    }
    uint64_t a = ds > ca ? ds : ca;
    uint64_t s = (ds + ca - 1) / ca * ca + cs;
    o->size = (s + a - 1) / a * a;
    o->align = a;
    break;
  }
  default: return wk_error_set(err, WK_ERR_INVALID, "canonical ABI: unknown type kind %d", (int)t->kind);
  }
  if (o->size > WK_CABI_MAX_BYTE_LENGTH)
    return wk_error_set(err, WK_ERR_INVALID, "canonical ABI: type size exceeds 2^28-1 bytes");
  return WK_OK;
}

int wk_cabi_layout_of(const wk_cabi_type *t, uint32_t ptr_size, wk_cabi_layout *out, wk_error *err) {
  if (ptr_size != 4 && ptr_size != 8) return wk_error_set(err, WK_ERR_USAGE, "canonical ABI: pointer size must be 4 or 8");
  lay64 l;
  int rc = lay(t, ptr_size, 0, &l, err);
  if (rc) return rc;
  out->size = (uint32_t)l.size;
  out->align = (uint32_t)l.align;
  return WK_OK;
}

int wk_cabi_field_offsets(const wk_cabi_type *t, uint32_t ptr_size, uint32_t *offsets, uint32_t cap,
                          wk_error *err) {
  uint32_t n;
  if (!t || !record_fields(t, &n)) return wk_error_set(err, WK_ERR_USAGE, "canonical ABI: not a record or tuple");
  if (ptr_size != 4 && ptr_size != 8) return wk_error_set(err, WK_ERR_USAGE, "canonical ABI: pointer size must be 4 or 8");
  uint64_t s = 0;
  for (uint32_t i = 0; i < n; i++) {
    lay64 f;
    int rc = lay(child(t, i), ptr_size, 1, &f, err);
    if (rc) return rc;
    s = (s + f.align - 1) / f.align * f.align;
    if (s > WK_CABI_MAX_BYTE_LENGTH) return wk_error_set(err, WK_ERR_INVALID, "canonical ABI: record too large");
    if (i < cap) offsets[i] = (uint32_t)s;
    s += f.size;
  }
  return WK_OK;
}

int wk_cabi_payload_offset(const wk_cabi_type *t, uint32_t ptr_size, uint32_t *offset, wk_error *err) {
  uint32_t nc;
  if (!t || !variant_cases(t, &nc)) return wk_error_set(err, WK_ERR_USAGE, "canonical ABI: not a variant");
  if (ptr_size != 4 && ptr_size != 8) return wk_error_set(err, WK_ERR_USAGE, "canonical ABI: pointer size must be 4 or 8");
  if (nc == 0) return wk_error_set(err, WK_ERR_INVALID, "canonical ABI: variant without cases");
  uint64_t ca = 1;
  for (uint32_t i = 0; i < nc; i++) {
    const wk_cabi_type *p = case_payload(t, i);
    if (!p) continue;
    lay64 f;
    int rc = lay(p, ptr_size, 1, &f, err);
    if (rc) return rc;
    if (f.align > ca) ca = f.align;
  }
  uint64_t ds = wk_cabi_discriminant_size(nc);
  *offset = (uint32_t)((ds + ca - 1) / ca * ca);
  return WK_OK;
}

/* ---- flattening ---- */

wk_cabi_core wk_cabi_join(wk_cabi_core a, wk_cabi_core b) {
  if (a == b) return a;
  if ((a == WK_CABI_CORE_I32 && b == WK_CABI_CORE_F32) || (a == WK_CABI_CORE_F32 && b == WK_CABI_CORE_I32)) return WK_CABI_CORE_I32;
  return WK_CABI_CORE_I64;
}

/*
 * Store the flattening of `t` at out[pos..] (only entries below `cap`) and add
 * its length to *count (a 64-bit count, clamped by the caller).
 */
static int flat(const wk_cabi_type *t, wk_cabi_core ptr, unsigned depth, wk_cabi_core *out, uint64_t pos, uint64_t cap,
                uint64_t *count, wk_error *err);

static void put(wk_cabi_core *out, uint64_t pos, uint64_t cap, wk_cabi_core v) {
  if (pos < cap) out[pos] = v;
}

#define FLAT_LIMIT ((uint64_t)1 << 40)

static int flat(const wk_cabi_type *t, wk_cabi_core ptr, unsigned depth, wk_cabi_core *out, uint64_t pos, uint64_t cap,
                uint64_t *count, wk_error *err) {
  if (!t) return wk_error_set(err, WK_ERR_INVALID, "canonical ABI: missing type");
  if (depth > WK_CABI_MAX_DEPTH) return wk_error_set(err, WK_ERR_INVALID, "canonical ABI: type nested too deeply");
  switch (t->kind) {
  case WK_CABI_BOOL:
  case WK_CABI_S8:
  case WK_CABI_U8:
  case WK_CABI_S16:
  case WK_CABI_U16:
  case WK_CABI_S32:
  case WK_CABI_U32:
  case WK_CABI_CHAR:
  case WK_CABI_ERROR_CONTEXT:
  case WK_CABI_OWN:
  case WK_CABI_BORROW:
  case WK_CABI_FUTURE:
  case WK_CABI_STREAM:
  case WK_CABI_ENUM: /* a variant whose flattening is its discriminant only */
    put(out, pos, cap, WK_CABI_CORE_I32);
    *count = 1;
    return WK_OK;
  case WK_CABI_S64:
  case WK_CABI_U64: put(out, pos, cap, WK_CABI_CORE_I64); *count = 1; return WK_OK;
  case WK_CABI_F32: put(out, pos, cap, WK_CABI_CORE_F32); *count = 1; return WK_OK;
  case WK_CABI_F64: put(out, pos, cap, WK_CABI_CORE_F64); *count = 1; return WK_OK;
  case WK_CABI_STRING:
  case WK_CABI_MAP:
    put(out, pos, cap, ptr);
    put(out, pos + 1, cap, ptr);
    *count = 2;
    return WK_OK;
  case WK_CABI_FLAGS:
    if (t->n == 0) return wk_error_set(err, WK_ERR_INVALID, "canonical ABI: flags without labels");
    *count = wk_cabi_flags_flat_count(t->n);
    for (uint64_t i = 0; i < *count; i++) put(out, pos + i, cap, WK_CABI_CORE_I32);
    return WK_OK;
  case WK_CABI_LIST: {
    if (t->length == 0) {
      put(out, pos, cap, ptr);
      put(out, pos + 1, cap, ptr);
      *count = 2;
      return WK_OK;
    }
    /* flatten_list for list<T, N>: flatten_type(T) repeated N times */
    uint64_t n = 0;
    int rc = flat(child(t, 0), ptr, depth + 1, out, pos, cap, &n, err);
    if (rc) return rc;
    for (uint64_t k = 1; k < t->length; k++) {
      if (pos + k * n >= cap) break;
      for (uint64_t i = 0; i < n; i++) put(out, pos + k * n + i, cap, pos + i < cap ? out[pos + i] : WK_CABI_CORE_I32);
    }
    *count = n * t->length;
    if (*count > FLAT_LIMIT) return wk_error_set(err, WK_ERR_INVALID, "canonical ABI: type too large");
    return WK_OK;
  }
  case WK_CABI_RECORD:
  case WK_CABI_TUPLE: {
    if (t->n == 0) return wk_error_set(err, WK_ERR_INVALID, "canonical ABI: empty record or tuple");
    uint64_t total = 0;
    for (uint32_t i = 0; i < t->n; i++) {
      uint64_t n = 0;
      int rc = flat(child(t, i), ptr, depth + 1, out, pos + total, cap, &n, err);
      if (rc) return rc;
      total += n;
      if (total > FLAT_LIMIT) return wk_error_set(err, WK_ERR_INVALID, "canonical ABI: type too large");
    }
    *count = total;
    return WK_OK;
  }
  case WK_CABI_VARIANT:
  case WK_CABI_OPTION:
  case WK_CABI_RESULT: {
    /* flatten_variant: discriminant, then the positionwise join of all payloads */
    uint32_t nc = 0;
    variant_cases(t, &nc);
    if (nc == 0) return wk_error_set(err, WK_ERR_INVALID, "canonical ABI: variant without cases");
    put(out, pos, cap, WK_CABI_CORE_I32);
    uint64_t room = pos + 1 < cap ? cap - pos - 1 : 0;
    /* the payloads' flattenings: on the stack when they fit (a signature holds at most
     * WK_CABI_SIG_MAX), else on the heap (a malloc and free per variant of every
     * canon lower's signature were a sixth of flattening one, callgrind) */
    wk_cabi_core sbuf[2 * WK_CABI_SIG_MAX], *tmp = NULL;
    if (room > sizeof sbuf / sizeof sbuf[0]) {
      tmp = wk_reallocarray(NULL, room, sizeof *tmp);
      if (!tmp) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    } else if (room)
      tmp = sbuf;
    wk_cabi_core *heap = tmp == sbuf ? NULL : tmp;
    uint64_t have = 0;
    for (uint32_t i = 0; i < nc; i++) {
      const wk_cabi_type *p = case_payload(t, i);
      if (!p) {
        if (t->kind == WK_CABI_OPTION && i == 1) {
          free(heap);
          return wk_error_set(err, WK_ERR_INVALID, "canonical ABI: option without payload type");
        }
        continue;
      }
      uint64_t n = 0;
      int rc = flat(p, ptr, depth + 1, tmp, 0, room, &n, err);
      if (rc) { free(heap); return rc; }
      for (uint64_t j = 0; j < n && j < room; j++) {
        if (j < have) out[pos + 1 + j] = wk_cabi_join(out[pos + 1 + j], tmp[j]);
        else out[pos + 1 + j] = tmp[j];
      }
      if (n > have) have = n;
    }
    free(heap);
    *count = 1 + have;
    return WK_OK;
  }
  default: return wk_error_set(err, WK_ERR_INVALID, "canonical ABI: unknown type kind %d", (int)t->kind);
  }
}

int wk_cabi_flatten(const wk_cabi_type *t, uint32_t ptr_size, wk_cabi_core *out, uint32_t cap, uint32_t *count,
                    wk_error *err) {
  if (ptr_size != 4 && ptr_size != 8) return wk_error_set(err, WK_ERR_USAGE, "canonical ABI: pointer size must be 4 or 8");
  uint64_t n = 0;
  int rc = flat(t, ptr_size == 8 ? WK_CABI_CORE_I64 : WK_CABI_CORE_I32, 0, out, 0, out ? cap : 0, &n, err);
  if (rc) return rc;
  *count = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
  return WK_OK;
}

int wk_cabi_flatten_func(const wk_cabi_type *const *params, uint32_t nparams, const wk_cabi_type *result,
                         const wk_cabi_opts *opts, wk_cabi_context context, wk_cabi_core_sig *out, wk_error *err) {
  uint32_t ps = opts ? opts->ptr_size : 4;
  if (ps == 0) ps = 4;
  if (ps != 4 && ps != 8) return wk_error_set(err, WK_ERR_USAGE, "canonical ABI: pointer size must be 4 or 8");
  wk_cabi_core ptr = ps == 8 ? WK_CABI_CORE_I64 : WK_CABI_CORE_I32;
  int async_ = opts && opts->async_;
  memset(out, 0, sizeof *out);
  /* flat_params = flatten_types(ft.param_types()) */
  uint64_t np = 0;
  for (uint32_t i = 0; i < nparams; i++) {
    uint64_t n = 0;
    int rc = flat(params[i], ptr, 0, out->params, np, WK_CABI_SIG_MAX, &n, err);
    if (rc) return rc;
    np += n;
    if (np > FLAT_LIMIT) np = FLAT_LIMIT;
  }
  uint64_t nr = 0;
  if (result) {
    int rc = flat(result, ptr, 0, out->results, 0, WK_CABI_SIG_MAX, &nr, err);
    if (rc) return rc;
  }
  uint32_t max_params = WK_CABI_MAX_FLAT_PARAMS;
  if (async_ && context == WK_CABI_LOWER) max_params = WK_CABI_MAX_FLAT_ASYNC_PARAMS;
  if (np > max_params) {
    out->params[0] = ptr;
    np = 1;
    out->indirect_params = 1;
  }
  if (!async_) {
    if (nr > WK_CABI_MAX_FLAT_RESULTS) {
      out->indirect_results = 1;
      if (context == WK_CABI_LIFT) {
        out->results[0] = ptr;
        nr = 1;
      } else {
        out->params[np++] = ptr;
        nr = 0;
      }
    }
  } else if (context == WK_CABI_LIFT) {
    /* results go through task.return; a callback export returns an i32 code */
    if (opts->callback) { out->results[0] = WK_CABI_CORE_I32; nr = 1; }
    else nr = 0;
  } else {
    if (nr > 0) { out->params[np++] = ptr; out->indirect_results = 1; }
    out->results[0] = WK_CABI_CORE_I32;
    nr = 1;
  }
  out->nparams = (uint32_t)np;
  out->nresults = (uint32_t)nr;
  return WK_OK;
}

/* ---- predicates ---- */

static int contains(const wk_cabi_type *t, int want_borrow, unsigned depth) {
  if (!t || depth > WK_CABI_MAX_DEPTH) return 0;
  switch (t->kind) {
  case WK_CABI_BORROW: return want_borrow;
  case WK_CABI_FUTURE:
  case WK_CABI_STREAM:
    if (!want_borrow) return 1;
    return t->n && contains(child(t, 0), want_borrow, depth + 1);
  case WK_CABI_LIST:
  case WK_CABI_OPTION: return contains(child(t, 0), want_borrow, depth + 1);
  case WK_CABI_RESULT:
  case WK_CABI_MAP: return contains(child(t, 0), want_borrow, depth + 1) || contains(child(t, 1), want_borrow, depth + 1);
  case WK_CABI_RECORD:
  case WK_CABI_TUPLE:
  case WK_CABI_VARIANT:
    for (uint32_t i = 0; i < t->n; i++)
      if (contains(child(t, i), want_borrow, depth + 1)) return 1;
    return 0;
  default: return 0;
  }
}

int wk_cabi_contains_borrow(const wk_cabi_type *t) { return contains(t, 1, 0); }

/* Values that live behind a pointer: strings, variable-length lists, maps. */
static int uses_memory(const wk_cabi_type *t, unsigned depth) {
  if (!t || depth > WK_CABI_MAX_DEPTH) return 0;
  switch (t->kind) {
  case WK_CABI_STRING:
  case WK_CABI_MAP: return 1;
  case WK_CABI_LIST: return t->length == 0 || uses_memory(child(t, 0), depth + 1);
  case WK_CABI_OPTION: return uses_memory(child(t, 0), depth + 1);
  case WK_CABI_RESULT: return uses_memory(child(t, 0), depth + 1) || uses_memory(child(t, 1), depth + 1);
  case WK_CABI_RECORD:
  case WK_CABI_TUPLE:
  case WK_CABI_VARIANT:
    for (uint32_t i = 0; i < t->n; i++)
      if (uses_memory(child(t, i), depth + 1)) return 1;
    return 0;
  default: return 0; /* scalars; handles, futures and streams are i32 indices */
  }
}

int wk_cabi_uses_memory(const wk_cabi_type *t) { return uses_memory(t, 0); }
int wk_cabi_contains_async_value(const wk_cabi_type *t) { return contains(t, 0, 0); }
