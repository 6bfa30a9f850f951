/*
 * The canonical ABI at run time: load/store and flat lift/lower of component
 * values over an abstract guest memory, handle tables and resource built-ins.
 *
 * Follows component-model design/mvp/CanonicalABI.md and its executable
 * reference definitions.py (sync parts): function names below carry the
 * reference's name in their comment. Async values (future, stream,
 * error-context) give WK_ERR_UNSUPPORTED.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canonabi/value.h"

#define MAX_BYTES ((uint64_t)WK_CABI_MAX_BYTE_LENGTH) /* MAX_STRING_BYTE_LENGTH = MAX_LIST_BYTE_LENGTH */
#define REALLOC_I32_MAX 0xffffffffull
#define TABLE_MAX_LENGTH ((1u << 28) - 1) /* definitions.py Table.MAX_LENGTH */
#define CANON_NAN32 0x7fc00000u
#define CANON_NAN64 0x7ff8000000000000ull

/* State of one lift or lower operation. */
typedef struct S {
  wk_cabi_cx *cx;
  uint32_t ps; /* pointer size: 4 or 8 */
  wk_arena *arena;
  wk_error *err;
} S;

static int trap(S *s, const char *msg) { return wk_error_set(s->err, WK_ERR_TRAP, "%s", msg); }
static int bad_value(S *s, const char *msg) {
  return wk_error_set(s->err, WK_ERR_INVALID, "canonical ABI: host value: %s", msg);
}
static int nomem(S *s) { return wk_error_set(s->err, WK_ERR_NOMEM, "canonical ABI: out of memory"); }
static int unsupported(S *s, const wk_cabi_type *t) {
  return wk_error_set(s->err, WK_ERR_UNSUPPORTED, "canonical ABI: %s values are not supported",
                      t->kind == WK_CABI_FUTURE   ? "future"
                      : t->kind == WK_CABI_STREAM ? "stream"
                                                  : "error-context");
}

/* ---- guest memory ---- */

static uint8_t *mem(S *s, uint64_t *len) {
  size_t l = 0;
  uint8_t *m = s->cx->memory ? s->cx->memory(s->cx->env, &l) : NULL;
  *len = m ? (uint64_t)l : 0;
  return m;
}

/* ptr + n <= len(memory), without overflow. */
static int in_bounds(S *s, uint64_t ptr, uint64_t n) {
  uint64_t len;
  mem(s, &len);
  return ptr <= len && n <= len - ptr;
}

static int rd(S *s, uint64_t ptr, unsigned n, uint64_t *v) {
  uint64_t len;
  uint8_t *m = mem(s, &len);
  if (!(ptr <= len && n <= len - ptr)) return trap(s, "out of bounds memory access");
  uint64_t x = 0;
  for (unsigned i = 0; i < n; i++) x |= (uint64_t)m[ptr + i] << (8 * i);
  *v = x;
  return WK_OK;
}

static int wr(S *s, uint64_t ptr, unsigned n, uint64_t v) {
  uint64_t len;
  uint8_t *m = mem(s, &len);
  if (!(ptr <= len && n <= len - ptr)) return trap(s, "out of bounds memory access");
  for (unsigned i = 0; i < n; i++) m[ptr + i] = (uint8_t)(v >> (8 * i));
  return WK_OK;
}

/* LiftLowerContext.reallocate: may_leave is cleared during the call. */
static int reallocate(S *s, uint64_t old, uint64_t old_size, uint32_t align, uint64_t new_size, uint64_t *ptr) {
  wk_cabi_cx *cx = s->cx;
  if (!cx->realloc) return wk_error_set(s->err, WK_ERR_USAGE, "canonical ABI: lowering needs realloc, none given");
  if (old > UINT32_MAX || old_size > UINT32_MAX || new_size > UINT32_MAX)
    return bad_value(s, "allocation larger than 4 GiB");
  int saved = cx->inst ? cx->inst->may_leave : 0;
  if (cx->inst) cx->inst->may_leave = 0;
  uint32_t p = 0;
  int rc = cx->realloc(cx->env, (uint32_t)old, (uint32_t)old_size, align, (uint32_t)new_size, &p, s->err);
  if (cx->inst) cx->inst->may_leave = saved;
  if (rc) return rc;
  *ptr = p;
  return WK_OK;
}

static int allocate(S *s, uint32_t align, uint64_t size, uint64_t *ptr) { return reallocate(s, 0, 0, align, size, ptr); }

static int check_aligned(S *s, uint64_t ptr, uint32_t align) {
  return ptr % align ? trap(s, "realloc return: misaligned pointer") : WK_OK;
}
static int check_range(S *s, uint64_t ptr, uint64_t n) {
  return in_bounds(s, ptr, n) ? WK_OK : trap(s, "realloc return: beyond end of memory");
}

/* ---- types ---- */

static const wk_cabi_type *kid(const wk_cabi_type *t, uint32_t i) { return t->children ? t->children[i] : NULL; }

static wk_cabi_layout lay(S *s, const wk_cabi_type *t) {
  wk_cabi_layout l = {1, 1};
  wk_error e;
  if (wk_cabi_layout_of(t, s->ps, &l, &e)) { l.size = 1; l.align = 1; } /* trees are validated up front */
  return l;
}

static uint32_t ncases(const wk_cabi_type *t) {
  return t->kind == WK_CABI_OPTION || t->kind == WK_CABI_RESULT ? 2 : t->n;
}

static const wk_cabi_type *case_type(const wk_cabi_type *t, uint32_t i) {
  switch (t->kind) {
  case WK_CABI_VARIANT: return kid(t, i);
  case WK_CABI_OPTION: return i == 1 ? kid(t, 0) : NULL;
  case WK_CABI_RESULT: return kid(t, i);
  default: return NULL;
  }
}

/* max_case_alignment */
static uint32_t max_case_align(S *s, const wk_cabi_type *t) {
  uint32_t a = 1, nc = ncases(t);
  for (uint32_t i = 0; i < nc; i++) {
    const wk_cabi_type *c = case_type(t, i);
    if (c) {
      uint32_t ca = lay(s, c).align;
      if (ca > a) a = ca;
    }
  }
  return a;
}

/* The tuple<K, V> of one map entry (despecialize(MapType)). */
static wk_cabi_type map_entry(const wk_cabi_type *t) {
  wk_cabi_type e = {0};
  e.kind = WK_CABI_TUPLE;
  e.n = 2;
  e.children = t->children;
  return e;
}

/* Reject trees the functions below cannot walk (checked once per entry point). *maxd (when not
 * NULL) is raised to the deepest depth the check reached. */
static int check_type_d(const wk_cabi_type *t, uint32_t ps, unsigned depth, wk_error *err, unsigned *maxd);
static int check_type(const wk_cabi_type *t, uint32_t ps, unsigned depth, wk_error *err) {
  return check_type_d(t, ps, depth, err, NULL);
}
static int check_type_d(const wk_cabi_type *t, uint32_t ps, unsigned depth, wk_error *err, unsigned *maxd) {
  if (maxd && depth > *maxd) *maxd = depth;
  if (!t) return wk_error_set(err, WK_ERR_INVALID, "canonical ABI: missing type");
  if (depth > WK_CABI_MAX_DEPTH) return wk_error_set(err, WK_ERR_INVALID, "canonical ABI: type nested too deeply");
  wk_cabi_layout l;
  int rc = wk_cabi_layout_of(t, ps, &l, err);
  if (rc) return rc;
  uint32_t nk = 0;
  switch (t->kind) {
  case WK_CABI_LIST:
  case WK_CABI_OPTION: nk = 1; break;
  case WK_CABI_RESULT: /* payloads may be NULL */
    for (uint32_t i = 0; i < 2; i++)
      if (kid(t, i) && (rc = check_type_d(kid(t, i), ps, depth + 1, err, maxd))) return rc;
    return WK_OK;
  case WK_CABI_MAP: nk = 2; break;
  case WK_CABI_RECORD:
  case WK_CABI_TUPLE: nk = t->n; break;
  case WK_CABI_VARIANT:
    for (uint32_t i = 0; i < t->n; i++)
      if (kid(t, i) && (rc = check_type_d(kid(t, i), ps, depth + 1, err, maxd))) return rc;
    return WK_OK;
  default: return WK_OK;
  }
  for (uint32_t i = 0; i < nk; i++)
    if ((rc = check_type_d(kid(t, i), ps, depth + 1, err, maxd))) return rc;
  return WK_OK;
}

static int init_state(S *s, wk_cabi_cx *cx, wk_arena *arena, wk_error *err) {
  s->cx = cx;
  s->ps = cx->opts.ptr_size ? cx->opts.ptr_size : 4;
  s->arena = arena;
  s->err = err;
  if (s->ps != 4 && s->ps != 8) return wk_error_set(err, WK_ERR_USAGE, "canonical ABI: pointer size must be 4 or 8");
  return WK_OK;
}

/* ---- floats ---- */

static uint32_t canon32(uint32_t b) { return (b & 0x7f800000u) == 0x7f800000u && (b & 0x7fffffu) ? CANON_NAN32 : b; }
static uint64_t canon64(uint64_t b) {
  return (b & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (b & 0xfffffffffffffull) ? CANON_NAN64 : b;
}
static float f32_of(uint32_t b) { float f; memcpy(&f, &b, 4); return f; }
static double f64_of(uint64_t b) { double f; memcpy(&f, &b, 8); return f; }
static uint32_t bits32(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }
static uint64_t bits64(double f) { uint64_t b; memcpy(&b, &f, 8); return b; }

/* ---- handle tables (definitions.py Table, ResourceHandle) ---- */

static wk_cabi_handle *table_get(wk_cabi_instance *inst, uint64_t i) {
  if (!inst || i == 0 || i >= inst->nhandles || !inst->handles[i].rt) return NULL;
  return &inst->handles[i];
}

/* Table.add: reuse the most recently freed index first. */
static int table_add(wk_cabi_instance *inst, const wk_cabi_handle *h, uint32_t *idx, wk_error *err) {
  if (!inst) return wk_error_set(err, WK_ERR_USAGE, "canonical ABI: no component instance for a handle");
  uint32_t i;
  if (inst->free_head) {
    i = inst->free_head;
    inst->free_head = inst->handles[i].rep;
  } else {
    if (inst->nhandles == 0) inst->nhandles = 1; /* index 0 is never used */
    i = inst->nhandles;
    if (i > TABLE_MAX_LENGTH) return wk_error_set(err, WK_ERR_TRAP, "handle table is full");
    if (i >= inst->cap) {
      uint32_t nc = inst->cap ? inst->cap * 2 : 16;
      wk_cabi_handle *nh = wk_reallocarray(inst->handles, nc, sizeof *nh);
      if (!nh) return wk_error_set(err, WK_ERR_NOMEM, "canonical ABI: out of memory");
      memset(nh + inst->cap, 0, (size_t)(nc - inst->cap) * sizeof *nh);
      inst->handles = nh;
      inst->cap = nc;
    }
    inst->nhandles = i + 1;
  }
  inst->handles[i] = *h;
  *idx = i;
  return WK_OK;
}

/* Table.remove */
static void table_remove(wk_cabi_instance *inst, uint32_t i) {
  memset(&inst->handles[i], 0, sizeof inst->handles[i]);
  inst->handles[i].rep = inst->free_head;
  inst->free_head = i;
}

void wk_cabi_instance_init(wk_cabi_instance *inst) {
  memset(inst, 0, sizeof *inst);
  inst->may_leave = 1;
  inst->may_enter = 1;
}

void wk_cabi_instance_free(wk_cabi_instance *inst) {
  free(inst->handles);
  inst->handles = NULL;
  inst->nhandles = inst->cap = inst->free_head = 0;
}

void wk_cabi_call_init(wk_cabi_call *call, wk_cabi_instance *inst) {
  memset(call, 0, sizeof *call);
  call->inst = inst;
}

static int add_lender(wk_cabi_call *call, wk_cabi_instance *inst, uint32_t i, wk_error *err) {
  if (call->nlenders == call->cap) {
    uint32_t nc = call->cap ? call->cap * 2 : 8;
    uint32_t *nl = wk_reallocarray(call->lenders, nc, sizeof *nl);
    if (!nl) return wk_error_set(err, WK_ERR_NOMEM, "canonical ABI: out of memory");
    call->lenders = nl;
    call->cap = nc;
  }
  call->lenders[call->nlenders++] = i;
  call->lender_inst = inst;
  inst->handles[i].num_lends++;
  return WK_OK;
}

int wk_cabi_call_finish(wk_cabi_call *call, wk_error *err) {
  int rc = WK_OK;
  /* Task.return_: trap_if(self.num_borrows > 0) */
  if (call->num_borrows > 0) rc = wk_error_set(err, WK_ERR_TRAP, "borrow handles still remain at the end of the call");
  /* Subtask.deliver_resolve: for h in self.lenders: h.num_lends -= 1 */
  for (uint32_t k = 0; k < call->nlenders; k++) {
    wk_cabi_handle *h = table_get(call->lender_inst, call->lenders[k]);
    if (h && h->num_lends) h->num_lends--;
  }
  free(call->lenders);
  call->lenders = NULL;
  call->nlenders = call->cap = 0;
  return rc;
}

/* canon resource.new */
int wk_cabi_resource_new(wk_cabi_instance *inst, const wk_cabi_rtype *rt, uint32_t rep, uint32_t *handle,
                         wk_error *err) {
  if (!inst || !rt) return wk_error_set(err, WK_ERR_USAGE, "resource.new: no instance or resource type");
  if (!inst->may_leave) return wk_error_set(err, WK_ERR_TRAP, "cannot leave component instance");
  wk_cabi_handle h = {rt, rep, 1, 0, NULL};
  return table_add(inst, &h, handle, err);
}

/* canon resource.drop */
int wk_cabi_resource_drop(wk_cabi_instance *inst, const wk_cabi_rtype *rt, uint32_t i, wk_error *err) {
  if (!inst || !rt) return wk_error_set(err, WK_ERR_USAGE, "resource.drop: no instance or resource type");
  if (!inst->may_leave) return wk_error_set(err, WK_ERR_TRAP, "cannot leave component instance");
  wk_cabi_handle *h = table_get(inst, i);
  if (!h) return wk_error_set(err, WK_ERR_TRAP, "unknown handle index %u", i);
  if (h->rt != rt) return wk_error_set(err, WK_ERR_TRAP, "handle index %u has the wrong resource type", i);
  if (h->num_lends) return wk_error_set(err, WK_ERR_TRAP, "cannot drop handle %u: it is lent out", i);
  wk_cabi_handle copy = *h;
  table_remove(inst, i);
  if (copy.own) {
    if (rt->dtor) return rt->dtor(rt->dtor_env, copy.rep, err);
  } else if (copy.borrow_scope) {
    wk_cabi_call *scope = copy.borrow_scope;
    if (scope->num_borrows) scope->num_borrows--;
  }
  return WK_OK;
}

/* canon resource.rep */
int wk_cabi_resource_rep(wk_cabi_instance *inst, const wk_cabi_rtype *rt, uint32_t i, uint32_t *rep,
                         wk_error *err) {
  wk_cabi_handle *h = table_get(inst, i);
  if (!h) return wk_error_set(err, WK_ERR_TRAP, "unknown handle index %u", i);
  if (h->rt != rt) return wk_error_set(err, WK_ERR_TRAP, "handle index %u has the wrong resource type", i);
  *rep = h->rep;
  return WK_OK;
}

/* lift_own / lift_borrow */
static int lift_handle(S *s, const wk_cabi_type *t, uint64_t i, wk_cval *o) {
  wk_cabi_instance *inst = s->cx->inst;
  wk_cabi_handle *h = table_get(inst, i);
  if (!h) return wk_error_set(s->err, WK_ERR_TRAP, "unknown handle index %llu", (unsigned long long)i);
  if (t->resource && h->rt != t->resource)
    return wk_error_set(s->err, WK_ERR_TRAP, "handle index %llu has the wrong resource type", (unsigned long long)i);
  o->kind = t->kind;
  o->of.handle.rt = h->rt;
  o->of.handle.rep = h->rep;
  if (t->kind == WK_CABI_OWN) {
    if (h->num_lends) return wk_error_set(s->err, WK_ERR_TRAP, "cannot move handle %llu: it is lent out", (unsigned long long)i);
    if (!h->own) return wk_error_set(s->err, WK_ERR_TRAP, "handle index %llu is not an own handle", (unsigned long long)i);
    table_remove(inst, (uint32_t)i);
    return WK_OK;
  }
  if (s->cx->borrow_scope) return add_lender(s->cx->borrow_scope, inst, (uint32_t)i, s->err);
  return WK_OK;
}

/* lower_own / lower_borrow */
static int lower_handle(S *s, const wk_cabi_type *t, const wk_cval *v, uint32_t *out) {
  const wk_cabi_rtype *rt = t->resource ? t->resource : v->of.handle.rt;
  wk_cabi_handle h = {rt, v->of.handle.rep, t->kind == WK_CABI_OWN, 0, NULL};
  if (t->kind == WK_CABI_BORROW) {
    if (rt && rt->impl && rt->impl == s->cx->inst) { *out = v->of.handle.rep; return WK_OK; }
    h.borrow_scope = s->cx->borrow_scope;
  }
  int rc = table_add(s->cx->inst, &h, out, s->err);
  if (rc) return rc;
  if (h.borrow_scope) s->cx->borrow_scope->num_borrows++;
  return WK_OK;
}

/* ---- strings ---- */

/* Strict UTF-8 validation (as Python's 'utf-8' codec: no overlongs, surrogates or > U+10FFFF). */
static int utf8_valid(const uint8_t *p, uint64_t n) {
  uint64_t i = 0;
  while (i < n) {
    uint8_t c = p[i];
    if (c < 0x80) { i++; continue; }
    uint32_t need, cp;
    if (c >= 0xc2 && c <= 0xdf) { need = 1; cp = c & 0x1f; }
    else if (c >= 0xe0 && c <= 0xef) { need = 2; cp = c & 0x0f; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 3; cp = c & 0x07; }
    else return 0;
    if (n - i <= need) return 0;
    for (uint32_t k = 1; k <= need; k++) {
      if ((p[i + k] & 0xc0) != 0x80) return 0;
      cp = cp << 6 | (p[i + k] & 0x3f);
    }
    if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
      return 0;
    i += need + 1;
  }
  return 1;
}

/* Decode one code point of valid UTF-8 at p[*i]. */
static uint32_t utf8_next(const uint8_t *p, uint64_t *i) {
  uint8_t c = p[*i];
  if (c < 0x80) { (*i)++; return c; }
  uint32_t need = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
  uint32_t cp = c & (0x3f >> need);
  for (uint32_t k = 1; k <= need; k++) cp = cp << 6 | (p[*i + k] & 0x3f);
  *i += need + 1;
  return cp;
}

static size_t utf8_put(uint8_t *o, uint32_t cp) {
  if (cp < 0x80) { o[0] = (uint8_t)cp; return 1; }
  if (cp < 0x800) { o[0] = (uint8_t)(0xc0 | cp >> 6); o[1] = (uint8_t)(0x80 | (cp & 0x3f)); return 2; }
  if (cp < 0x10000) {
    o[0] = (uint8_t)(0xe0 | cp >> 12); o[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3f)); o[2] = (uint8_t)(0x80 | (cp & 0x3f));
    return 3;
  }
  o[0] = (uint8_t)(0xf0 | cp >> 18); o[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3f));
  o[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3f)); o[3] = (uint8_t)(0x80 | (cp & 0x3f));
  return 4;
}

/* load_string_from_range: decode guest bytes into a UTF-8 copy in the arena. */
static int load_string_from_range(S *s, uint64_t ptr, uint64_t tagged, wk_cval *o) {
  uint64_t tag = (uint64_t)1 << (s->ps * 8 - 1);
  uint32_t align = 1;
  int enc; /* 0 utf-8, 1 utf-16le, 2 latin-1 */
  uint64_t units = tagged, nbytes;
  switch (s->cx->opts.string_encoding) {
  case WK_CABI_UTF8: enc = 0; break;
  case WK_CABI_UTF16: enc = 1; align = 2; break;
  case WK_CABI_LATIN1_UTF16:
    align = 2;
    if (tagged & tag) { enc = 1; units = tagged ^ tag; }
    else enc = 2;
    break;
  default: return wk_error_set(s->err, WK_ERR_USAGE, "canonical ABI: unknown string encoding");
  }
  if (enc == 1) {
    if (units > MAX_BYTES) return trap(s, "string byte length exceeds 2^28-1");
    nbytes = 2 * units;
  } else nbytes = units;
  if (nbytes > MAX_BYTES) return trap(s, "string byte length exceeds 2^28-1");
  if (ptr % align) return trap(s, "misaligned string pointer");
  if (!in_bounds(s, ptr, nbytes)) return trap(s, "string pointer/length out of bounds");
  uint64_t len;
  const uint8_t *m = mem(s, &len) + ptr;
  uint8_t *out;
  size_t olen = 0;
  if (enc == 0) {
    if (!utf8_valid(m, nbytes)) return trap(s, "invalid UTF-8");
    out = wk_arena_alloc(s->arena, nbytes + 1);
    if (!out) return nomem(s);
    memcpy(out, m, nbytes);
    olen = nbytes;
  } else if (enc == 2) {
    out = wk_arena_alloc(s->arena, 2 * nbytes + 1);
    if (!out) return nomem(s);
    for (uint64_t i = 0; i < nbytes; i++) olen += utf8_put(out + olen, m[i]);
  } else {
    out = wk_arena_alloc(s->arena, 3 * units + 1);
    if (!out) return nomem(s);
    for (uint64_t i = 0; i < units; i++) {
      uint32_t u = m[2 * i] | (uint32_t)m[2 * i + 1] << 8;
      if (u >= 0xd800 && u <= 0xdbff) {
        if (i + 1 >= units) return trap(s, "invalid UTF-16");
        uint32_t l = m[2 * i + 2] | (uint32_t)m[2 * i + 3] << 8;
        if (l < 0xdc00 || l > 0xdfff) return trap(s, "invalid UTF-16");
        u = 0x10000 + ((u - 0xd800) << 10) + (l - 0xdc00);
        i++;
      } else if (u >= 0xdc00 && u <= 0xdfff) return trap(s, "invalid UTF-16");
      olen += utf8_put(out + olen, u);
    }
  }
  o->kind = WK_CABI_STRING;
  o->of.str.ptr = (const char *)out;
  o->of.str.len = (uint32_t)olen;
  return WK_OK;
}

/* UTF-16 code units of valid UTF-8. */
static uint64_t utf16_len(const uint8_t *p, uint64_t n) {
  uint64_t i = 0, u = 0;
  while (i < n) u += utf8_next(p, &i) >= 0x10000 ? 2 : 1;
  return u;
}

/* Write the UTF-16LE encoding of valid UTF-8 at guest offset `at` (in bounds, checked by the caller). */
static void put_utf16(uint8_t *m, const uint8_t *p, uint64_t n) {
  uint64_t i = 0, o = 0;
  while (i < n) {
    uint32_t cp = utf8_next(p, &i);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      uint32_t hi = 0xd800 + (cp >> 10), lo = 0xdc00 + (cp & 0x3ff);
      m[o++] = (uint8_t)hi; m[o++] = (uint8_t)(hi >> 8);
      m[o++] = (uint8_t)lo; m[o++] = (uint8_t)(lo >> 8);
    } else {
      m[o++] = (uint8_t)cp; m[o++] = (uint8_t)(cp >> 8);
    }
  }
}

/* store_string_into_range with a UTF-8 source (the host's encoding): returns (ptr, tagged code units). */
static int store_string_into_range(S *s, const wk_cval *v, uint64_t *optr, uint64_t *ounits) {
  const uint8_t *src = (const uint8_t *)v->of.str.ptr;
  uint64_t n = v->of.str.len; /* src_code_units */
  if (n && !src) return bad_value(s, "string without bytes");
  if (!utf8_valid(src, n)) return bad_value(s, "string is not valid UTF-8");
  uint64_t tag = (uint64_t)1 << (s->ps * 8 - 1), ptr, len;
  uint8_t *m;
  int rc;
  switch (s->cx->opts.string_encoding) {
  case WK_CABI_UTF8:
    /* store_string_copy(cx, src, src_code_units, 1, 1, 'utf-8') */
    if ((rc = allocate(s, 1, n, &ptr)) || (rc = check_aligned(s, ptr, 1)) || (rc = check_range(s, ptr, n))) return rc;
    m = mem(s, &len);
    if (n) memcpy(m + ptr, src, n);
    *optr = ptr;
    *ounits = n;
    return WK_OK;
  case WK_CABI_UTF16: {
    /* store_utf8_to_utf16 */
    uint64_t worst = 2 * n;
    if (worst > REALLOC_I32_MAX) return bad_value(s, "string too long");
    if ((rc = allocate(s, 2, worst, &ptr)) || (rc = check_aligned(s, ptr, 2)) || (rc = check_range(s, ptr, worst)))
      return rc;
    uint64_t enc = 2 * utf16_len(src, n);
    m = mem(s, &len);
    put_utf16(m + ptr, src, n);
    if (enc < worst) {
      if ((rc = reallocate(s, ptr, worst, 2, enc, &ptr)) || (rc = check_aligned(s, ptr, 2)) ||
          (rc = check_range(s, ptr, enc)))
        return rc;
    }
    *optr = ptr;
    *ounits = enc / 2;
    return WK_OK;
  }
  case WK_CABI_LATIN1_UTF16: {
    /* store_string_to_latin1_or_utf16 */
    if ((rc = allocate(s, 2, n, &ptr)) || (rc = check_aligned(s, ptr, 2)) || (rc = check_range(s, ptr, n))) return rc;
    uint64_t dst = 0, i = 0;
    while (i < n) {
      uint64_t at = i;
      uint32_t cp = utf8_next(src, &i);
      if (cp < 0x100) {
        m = mem(s, &len);
        m[ptr + dst++] = (uint8_t)cp;
        continue;
      }
      uint64_t worst = 2 * n;
      if (worst > REALLOC_I32_MAX) return bad_value(s, "string too long");
      if ((rc = reallocate(s, ptr, n, 2, worst, &ptr)) || (rc = check_aligned(s, ptr, 2)) ||
          (rc = check_range(s, ptr, worst)))
        return rc;
      m = mem(s, &len);
      for (uint64_t j = dst; j-- > 0;) {
        m[ptr + 2 * j] = m[ptr + j];
        m[ptr + 2 * j + 1] = 0;
      }
      /* encoded[2*dst_byte_length:]: the UTF-16 of the rest, from this code point on */
      put_utf16(m + ptr + 2 * dst, src + at, n - at);
      uint64_t enc = 2 * dst + 2 * utf16_len(src + at, n - at);
      if (worst > enc) {
        if ((rc = reallocate(s, ptr, worst, 2, enc, &ptr)) || (rc = check_aligned(s, ptr, 2)) ||
            (rc = check_range(s, ptr, enc)))
          return rc;
      }
      *optr = ptr;
      *ounits = (enc / 2) | tag;
      return WK_OK;
    }
    if (dst < n) {
      if ((rc = reallocate(s, ptr, n, 2, dst, &ptr)) || (rc = check_aligned(s, ptr, 2)) ||
          (rc = check_range(s, ptr, dst)))
        return rc;
    }
    *optr = ptr;
    *ounits = dst;
    return WK_OK;
  }
  default: return wk_error_set(s->err, WK_ERR_USAGE, "canonical ABI: unknown string encoding");
  }
}

/* ---- loading ---- */

static int load(S *s, const wk_cabi_type *t, uint64_t ptr, wk_cval *o);

static wk_cval *new_vals(S *s, uint64_t n) {
  if (n > SIZE_MAX / sizeof(wk_cval)) return NULL;
  return wk_arena_alloc(s->arena, n ? n * sizeof(wk_cval) : 1);
}

/* Fixed-size numeric list elements (ints, floats; size 1/2/4/8): the list
 * fast paths below read and write these straight from one memory lookup. */
static unsigned num_size(const wk_cabi_type *t) {
  switch (t->kind) {
  case WK_CABI_U8: case WK_CABI_S8: return 1;
  case WK_CABI_U16: case WK_CABI_S16: return 2;
  case WK_CABI_U32: case WK_CABI_S32: case WK_CABI_F32: return 4;
  case WK_CABI_U64: case WK_CABI_S64: case WK_CABI_F64: return 8;
  default: return 0;
  }
}

/* Little-endian load/store of n (1, 2, 4, 8) bytes: memcpy on a little-endian host. */
static inline uint64_t ld_le(const uint8_t *p, unsigned n) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint64_t x = 0;
  memcpy(&x, p, n);
  return x;
#else
  uint64_t x = 0;
  for (unsigned i = 0; i < n; i++) x |= (uint64_t)p[i] << (8 * i);
  return x;
#endif
}
static inline void st_le(uint8_t *p, unsigned n, uint64_t x) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  memcpy(p, &x, n);
#else
  for (unsigned i = 0; i < n; i++) p[i] = (uint8_t)(x >> (8 * i));
#endif
}

/* load_list_from_valid_range */
static int load_items(S *s, const wk_cabi_type *et, uint64_t ptr, uint64_t n, wk_cval *o) {
  wk_cval *items = new_vals(s, n);
  if (!items) return nomem(s);
  uint32_t es = lay(s, et).size;
  unsigned ns = num_size(et);
  uint64_t len;
  const uint8_t *m = ns ? mem(s, &len) : NULL;
  if (m && ns == es && ptr <= len && n * es <= len - ptr) {
    /* Fast path: the whole range is in bounds (so no element traps) and loading
     * a number calls nothing that could move memory: one lookup for all. The
     * values are exactly load()'s (sign extension, NaN canonicalization). */
    const uint8_t *p = m + ptr;
    memset(items, 0, n * sizeof *items);
    for (uint64_t i = 0; i < n; i++, p += es) {
      uint64_t x = ld_le(p, ns);
      wk_cval *it = &items[i];
      it->kind = et->kind;
      switch (et->kind) {
      case WK_CABI_S8: it->of.s = (int8_t)x; break;
      case WK_CABI_S16: it->of.s = (int16_t)x; break;
      case WK_CABI_S32: it->of.s = (int32_t)x; break;
      case WK_CABI_S64: it->of.s = (int64_t)x; break;
      case WK_CABI_F32: it->of.f32 = f32_of(canon32((uint32_t)x)); break;
      case WK_CABI_F64: it->of.f64 = f64_of(canon64(x)); break;
      default: it->of.u = x; break;
      }
    }
    o->of.seq.items = items;
    o->of.seq.n = (uint32_t)n;
    return WK_OK;
  }
  for (uint64_t i = 0; i < n; i++) {
    int rc = load(s, et, ptr + i * es, &items[i]);
    if (rc) return rc;
  }
  o->of.seq.items = items;
  o->of.seq.n = (uint32_t)n;
  return WK_OK;
}

/* load_list_from_range */
static int load_list_from_range(S *s, const wk_cabi_type *et, uint64_t ptr, uint64_t n, wk_cval *o) {
  wk_cabi_layout el = lay(s, et);
  if (n > MAX_BYTES / el.size) return trap(s, "list byte length exceeds 2^28-1");
  if (ptr % el.align) return trap(s, "misaligned list pointer");
  if (!in_bounds(s, ptr, n * el.size)) return trap(s, "list pointer/length out of bounds");
  return load_items(s, et, ptr, n, o);
}

static int load(S *s, const wk_cabi_type *t, uint64_t ptr, wk_cval *o) {
  uint64_t x = 0;
  int rc;
  memset(o, 0, sizeof *o);
  o->kind = t->kind;
  switch (t->kind) {
  case WK_CABI_BOOL: if ((rc = rd(s, ptr, 1, &x))) return rc; o->of.b = x != 0; return WK_OK;
  case WK_CABI_U8: if ((rc = rd(s, ptr, 1, &x))) return rc; o->of.u = x; return WK_OK;
  case WK_CABI_U16: if ((rc = rd(s, ptr, 2, &x))) return rc; o->of.u = x; return WK_OK;
  case WK_CABI_U32: if ((rc = rd(s, ptr, 4, &x))) return rc; o->of.u = x; return WK_OK;
  case WK_CABI_U64: if ((rc = rd(s, ptr, 8, &x))) return rc; o->of.u = x; return WK_OK;
  case WK_CABI_S8: if ((rc = rd(s, ptr, 1, &x))) return rc; o->of.s = (int8_t)x; return WK_OK;
  case WK_CABI_S16: if ((rc = rd(s, ptr, 2, &x))) return rc; o->of.s = (int16_t)x; return WK_OK;
  case WK_CABI_S32: if ((rc = rd(s, ptr, 4, &x))) return rc; o->of.s = (int32_t)x; return WK_OK;
  case WK_CABI_S64: if ((rc = rd(s, ptr, 8, &x))) return rc; o->of.s = (int64_t)x; return WK_OK;
  case WK_CABI_F32: if ((rc = rd(s, ptr, 4, &x))) return rc; o->of.f32 = f32_of(canon32((uint32_t)x)); return WK_OK;
  case WK_CABI_F64: if ((rc = rd(s, ptr, 8, &x))) return rc; o->of.f64 = f64_of(canon64(x)); return WK_OK;
  case WK_CABI_CHAR:
    /* convert_i32_to_char */
    if ((rc = rd(s, ptr, 4, &x))) return rc;
    if (x >= 0x110000 || (x >= 0xd800 && x <= 0xdfff)) return trap(s, "invalid char");
    o->of.ch = (uint32_t)x;
    return WK_OK;
  case WK_CABI_STRING: {
    /* load_string */
    uint64_t begin, units;
    if ((rc = rd(s, ptr, s->ps, &begin)) || (rc = rd(s, ptr + s->ps, s->ps, &units))) return rc;
    return load_string_from_range(s, begin, units, o);
  }
  case WK_CABI_LIST:
  case WK_CABI_MAP: {
    wk_cabi_type entry;
    const wk_cabi_type *et = kid(t, 0);
    if (t->kind == WK_CABI_MAP) { entry = map_entry(t); et = &entry; }
    if (t->kind == WK_CABI_LIST && t->length) return load_items(s, et, ptr, t->length, o);
    uint64_t begin, n;
    if ((rc = rd(s, ptr, s->ps, &begin)) || (rc = rd(s, ptr + s->ps, s->ps, &n))) return rc;
    return load_list_from_range(s, et, begin, n, o);
  }
  case WK_CABI_RECORD:
  case WK_CABI_TUPLE: {
    /* load_record */
    wk_cval *items = new_vals(s, t->n);
    if (!items) return nomem(s);
    for (uint32_t i = 0; i < t->n; i++) {
      wk_cabi_layout fl = lay(s, kid(t, i));
      ptr = (ptr + fl.align - 1) / fl.align * fl.align;
      if ((rc = load(s, kid(t, i), ptr, &items[i]))) return rc;
      ptr += fl.size;
    }
    o->of.seq.items = items;
    o->of.seq.n = t->n;
    return WK_OK;
  }
  case WK_CABI_VARIANT:
  case WK_CABI_ENUM:
  case WK_CABI_OPTION:
  case WK_CABI_RESULT: {
    /* load_variant */
    uint32_t nc = ncases(t), ds = wk_cabi_discriminant_size(nc);
    if ((rc = rd(s, ptr, ds, &x))) return rc;
    if (x >= nc) return trap(s, "invalid variant discriminant");
    o->of.var.disc = (uint32_t)x;
    const wk_cabi_type *ct = case_type(t, (uint32_t)x);
    if (!ct) return WK_OK;
    uint32_t a = max_case_align(s, t);
    ptr = (ptr + ds + a - 1) / a * a;
    wk_cval *p = new_vals(s, 1);
    if (!p) return nomem(s);
    o->of.var.payload = p;
    return load(s, ct, ptr, p);
  }
  case WK_CABI_FLAGS: {
    /* load_flags / unpack_flags_from_int: only the label bits count */
    uint32_t nw = wk_cabi_flags_flat_count(t->n);
    uint32_t *w = wk_arena_alloc(s->arena, (size_t)nw * 4);
    if (!w) return nomem(s);
    if (t->n <= 32) {
      if ((rc = rd(s, ptr, wk_cabi_flags_size(t->n), &x))) return rc;
      w[0] = (uint32_t)x;
    } else {
      for (uint32_t i = 0; i < nw; i++) {
        if ((rc = rd(s, ptr + 4 * i, 4, &x))) return rc;
        w[i] = (uint32_t)x;
      }
    }
    if (t->n % 32) w[nw - 1] &= (1u << (t->n % 32)) - 1;
    o->of.flags.words = w;
    o->of.flags.n = nw;
    return WK_OK;
  }
  case WK_CABI_OWN:
  case WK_CABI_BORROW:
    if ((rc = rd(s, ptr, 4, &x))) return rc;
    return lift_handle(s, t, x, o);
  default: return unsupported(s, t);
  }
}

/* ---- storing ---- */

static int store(S *s, const wk_cabi_type *t, const wk_cval *v, uint64_t ptr);

static int value_matches(S *s, const wk_cabi_type *t, const wk_cval *v) {
  if (!v) return bad_value(s, "missing value");
  if (v->kind != t->kind) return bad_value(s, "value kind does not match its type");
  return WK_OK;
}

/* store_list_into_valid_range */
static int store_items(S *s, const wk_cabi_type *et, const wk_cval *v, uint64_t ptr) {
  uint32_t es = lay(s, et).size;
  if (v->of.seq.n && !v->of.seq.items) return bad_value(s, "list without items");
  unsigned ns = num_size(et);
  uint64_t len, n = v->of.seq.n;
  uint8_t *m = ns ? mem(s, &len) : NULL;
  if (m && ns == es && ptr <= len && n * es <= len - ptr) {
    /* Fast path (see load_items): in order, element by element as store()
     * does, so a host value of the wrong kind is reported at the same point
     * with the elements before it written. */
    uint8_t *p = m + ptr;
    const wk_cval *it = v->of.seq.items;
    wk_cabi_kind k = et->kind;
#define STORE_LOOP(EXPR, N)                                                                     \
  for (uint64_t i = 0; i < n; i++, p += (N)) {                                                  \
    if (it[i].kind != k) return bad_value(s, "value kind does not match its type");             \
    st_le(p, (N), (EXPR));                                                                      \
  }
    if (k == WK_CABI_F32) STORE_LOOP(canon32(bits32(it[i].of.f32)), 4)
    else if (k == WK_CABI_F64) STORE_LOOP(canon64(bits64(it[i].of.f64)), 8)
    else if (ns == 1) STORE_LOOP(it[i].of.u, 1)
    else if (ns == 2) STORE_LOOP(it[i].of.u, 2)
    else if (ns == 4) STORE_LOOP(it[i].of.u, 4)
    else STORE_LOOP(it[i].of.u, 8)
#undef STORE_LOOP
    return WK_OK;
  }
  for (uint32_t i = 0; i < v->of.seq.n; i++) {
    int rc = store(s, et, &v->of.seq.items[i], ptr + (uint64_t)i * es);
    if (rc) return rc;
  }
  return WK_OK;
}

static uint64_t char_ok(uint32_t c) { return c < 0xd800 || (c >= 0xe000 && c <= 0x10ffff); }

static int store(S *s, const wk_cabi_type *t, const wk_cval *v, uint64_t ptr) {
  int rc = value_matches(s, t, v);
  if (rc) return rc;
  switch (t->kind) {
  case WK_CABI_BOOL: return wr(s, ptr, 1, v->of.b ? 1 : 0);
  case WK_CABI_U8:
  case WK_CABI_S8: return wr(s, ptr, 1, v->of.u);
  case WK_CABI_U16:
  case WK_CABI_S16: return wr(s, ptr, 2, v->of.u);
  case WK_CABI_U32:
  case WK_CABI_S32: return wr(s, ptr, 4, v->of.u);
  case WK_CABI_U64:
  case WK_CABI_S64: return wr(s, ptr, 8, v->of.u);
  case WK_CABI_F32: return wr(s, ptr, 4, canon32(bits32(v->of.f32))); /* maybe_scramble_nan32, deterministic */
  case WK_CABI_F64: return wr(s, ptr, 8, canon64(bits64(v->of.f64)));
  case WK_CABI_CHAR:
    if (!char_ok(v->of.ch)) return bad_value(s, "char is not a Unicode scalar value");
    return wr(s, ptr, 4, v->of.ch);
  case WK_CABI_STRING: {
    /* store_string */
    uint64_t begin, units;
    if ((rc = store_string_into_range(s, v, &begin, &units))) return rc;
    if ((rc = wr(s, ptr, s->ps, begin))) return rc;
    return wr(s, ptr + s->ps, s->ps, units);
  }
  case WK_CABI_LIST:
  case WK_CABI_MAP: {
    wk_cabi_type entry;
    const wk_cabi_type *et = kid(t, 0);
    if (t->kind == WK_CABI_MAP) { entry = map_entry(t); et = &entry; }
    if (t->kind == WK_CABI_LIST && t->length) {
      if (v->of.seq.n != t->length) return bad_value(s, "fixed-length list of the wrong length");
      return store_items(s, et, v, ptr);
    }
    /* store_list_into_range */
    wk_cabi_layout el = lay(s, et);
    uint64_t nbytes = (uint64_t)v->of.seq.n * el.size, begin;
    if (nbytes > REALLOC_I32_MAX) return bad_value(s, "list too long");
    if ((rc = allocate(s, el.align, nbytes, &begin)) || (rc = check_aligned(s, begin, el.align)) ||
        (rc = check_range(s, begin, nbytes)) || (rc = store_items(s, et, v, begin)))
      return rc;
    if ((rc = wr(s, ptr, s->ps, begin))) return rc;
    return wr(s, ptr + s->ps, s->ps, v->of.seq.n);
  }
  case WK_CABI_RECORD:
  case WK_CABI_TUPLE:
    /* store_record */
    if (v->of.seq.n != t->n || !v->of.seq.items) return bad_value(s, "record or tuple with the wrong field count");
    for (uint32_t i = 0; i < t->n; i++) {
      wk_cabi_layout fl = lay(s, kid(t, i));
      ptr = (ptr + fl.align - 1) / fl.align * fl.align;
      if ((rc = store(s, kid(t, i), &v->of.seq.items[i], ptr))) return rc;
      ptr += fl.size;
    }
    return WK_OK;
  case WK_CABI_VARIANT:
  case WK_CABI_ENUM:
  case WK_CABI_OPTION:
  case WK_CABI_RESULT: {
    /* store_variant */
    uint32_t nc = ncases(t), ds = wk_cabi_discriminant_size(nc), d = v->of.var.disc;
    if (d >= nc) return bad_value(s, "case index out of range");
    const wk_cabi_type *ct = case_type(t, d);
    if (ct && !v->of.var.payload) return bad_value(s, "case without its payload");
    if ((rc = wr(s, ptr, ds, d))) return rc;
    if (!ct) return WK_OK;
    uint32_t a = max_case_align(s, t);
    return store(s, ct, v->of.var.payload, (ptr + ds + a - 1) / a * a);
  }
  case WK_CABI_FLAGS: {
    /* store_flags / pack_flags_into_int: label bits only */
    uint32_t nw = wk_cabi_flags_flat_count(t->n);
    for (uint32_t i = 0; i < nw; i++) {
      uint32_t w = i < v->of.flags.n && v->of.flags.words ? v->of.flags.words[i] : 0;
      if (i == nw - 1 && t->n % 32) w &= (1u << (t->n % 32)) - 1;
      if ((rc = t->n <= 32 ? wr(s, ptr, wk_cabi_flags_size(t->n), w) : wr(s, ptr + 4 * i, 4, w))) return rc;
    }
    return WK_OK;
  }
  case WK_CABI_OWN:
  case WK_CABI_BORROW: {
    uint32_t h;
    if ((rc = lower_handle(s, t, v, &h))) return rc;
    return wr(s, ptr, 4, h);
  }
  default: return unsupported(s, t);
  }
}

/* ---- flat lifting ---- */

/* CoreValueIter, and lift_flat_variant's CoerceValueIter when `have` is set. */
typedef struct FI FI;
struct FI {
  const wk_cabi_flat *v;
  uint32_t n, pos;
  const wk_cabi_core *have; /* joined payload types (coercing iterator) */
  uint32_t nhave, hi;
  FI *parent;
};

static int fi_next(S *s, FI *f, wk_cabi_core want, uint64_t *x) {
  if (!f->have) {
    if (f->pos >= f->n) return wk_error_set(s->err, WK_ERR_USAGE, "canonical ABI: too few flat values");
    const wk_cabi_flat *c = &f->v[f->pos++];
    if (c->type != want) return wk_error_set(s->err, WK_ERR_USAGE, "canonical ABI: flat value of the wrong core type");
    *x = c->type == WK_CABI_CORE_I64 || c->type == WK_CABI_CORE_F64 ? c->bits : c->bits & 0xffffffffu;
    return WK_OK;
  }
  if (f->hi >= f->nhave) return wk_error_set(s->err, WK_ERR_USAGE, "canonical ABI: variant payload overrun");
  wk_cabi_core have = f->have[f->hi++];
  int rc = fi_next(s, f->parent, have, x);
  if (rc) return rc;
  if (have == want) return WK_OK;
  if (have == WK_CABI_CORE_I32 && want == WK_CABI_CORE_F32) *x = canon32((uint32_t)*x);
  else if (have == WK_CABI_CORE_I64 && want == WK_CABI_CORE_I32) *x &= 0xffffffffu;
  else if (have == WK_CABI_CORE_I64 && want == WK_CABI_CORE_F32) *x = canon32((uint32_t)*x);
  else if (have == WK_CABI_CORE_I64 && want == WK_CABI_CORE_F64) *x = canon64(*x);
  else return wk_error_set(s->err, WK_ERR_USAGE, "canonical ABI: impossible flat coercion");
  return WK_OK;
}

static wk_cabi_core ptr_core(S *s) { return s->ps == 8 ? WK_CABI_CORE_I64 : WK_CABI_CORE_I32; }

/* flatten_type into a fresh malloc'd array. */
static int flatten_alloc(S *s, const wk_cabi_type *t, wk_cabi_core **out, uint32_t *n) {
  uint32_t c = 0;
  int rc = wk_cabi_flatten(t, s->ps, NULL, 0, &c, s->err);
  if (rc) return rc;
  if (c > (1u << 20)) return wk_error_set(s->err, WK_ERR_NOMEM, "canonical ABI: flattening too large");
  *out = wk_reallocarray(NULL, c ? c : 1, sizeof **out);
  if (!*out) return nomem(s);
  if ((rc = wk_cabi_flatten(t, s->ps, *out, c, n, s->err))) { free(*out); *out = NULL; }
  return rc;
}

static int lift_flat(S *s, FI *vi, const wk_cabi_type *t, wk_cval *o) {
  uint64_t x = 0;
  int rc;
  memset(o, 0, sizeof *o);
  o->kind = t->kind;
  switch (t->kind) {
  case WK_CABI_BOOL: if ((rc = fi_next(s, vi, WK_CABI_CORE_I32, &x))) return rc; o->of.b = x != 0; return WK_OK;
  case WK_CABI_U8: if ((rc = fi_next(s, vi, WK_CABI_CORE_I32, &x))) return rc; o->of.u = (uint8_t)x; return WK_OK;
  case WK_CABI_U16: if ((rc = fi_next(s, vi, WK_CABI_CORE_I32, &x))) return rc; o->of.u = (uint16_t)x; return WK_OK;
  case WK_CABI_U32: if ((rc = fi_next(s, vi, WK_CABI_CORE_I32, &x))) return rc; o->of.u = (uint32_t)x; return WK_OK;
  case WK_CABI_U64: if ((rc = fi_next(s, vi, WK_CABI_CORE_I64, &x))) return rc; o->of.u = x; return WK_OK;
  case WK_CABI_S8: if ((rc = fi_next(s, vi, WK_CABI_CORE_I32, &x))) return rc; o->of.s = (int8_t)x; return WK_OK;
  case WK_CABI_S16: if ((rc = fi_next(s, vi, WK_CABI_CORE_I32, &x))) return rc; o->of.s = (int16_t)x; return WK_OK;
  case WK_CABI_S32: if ((rc = fi_next(s, vi, WK_CABI_CORE_I32, &x))) return rc; o->of.s = (int32_t)x; return WK_OK;
  case WK_CABI_S64: if ((rc = fi_next(s, vi, WK_CABI_CORE_I64, &x))) return rc; o->of.s = (int64_t)x; return WK_OK;
  case WK_CABI_F32: if ((rc = fi_next(s, vi, WK_CABI_CORE_F32, &x))) return rc; o->of.f32 = f32_of(canon32((uint32_t)x)); return WK_OK;
  case WK_CABI_F64: if ((rc = fi_next(s, vi, WK_CABI_CORE_F64, &x))) return rc; o->of.f64 = f64_of(canon64(x)); return WK_OK;
  case WK_CABI_CHAR:
    if ((rc = fi_next(s, vi, WK_CABI_CORE_I32, &x))) return rc;
    if (x >= 0x110000 || (x >= 0xd800 && x <= 0xdfff)) return trap(s, "invalid char");
    o->of.ch = (uint32_t)x;
    return WK_OK;
  case WK_CABI_STRING: {
    /* lift_flat_string */
    uint64_t p, n;
    if ((rc = fi_next(s, vi, ptr_core(s), &p)) || (rc = fi_next(s, vi, ptr_core(s), &n))) return rc;
    return load_string_from_range(s, p, n, o);
  }
  case WK_CABI_LIST:
  case WK_CABI_MAP: {
    /* lift_flat_list */
    wk_cabi_type entry;
    const wk_cabi_type *et = kid(t, 0);
    if (t->kind == WK_CABI_MAP) { entry = map_entry(t); et = &entry; }
    if (t->kind == WK_CABI_LIST && t->length) {
      wk_cval *items = new_vals(s, t->length);
      if (!items) return nomem(s);
      for (uint32_t i = 0; i < t->length; i++)
        if ((rc = lift_flat(s, vi, et, &items[i]))) return rc;
      o->of.seq.items = items;
      o->of.seq.n = t->length;
      return WK_OK;
    }
    uint64_t p, n;
    if ((rc = fi_next(s, vi, ptr_core(s), &p)) || (rc = fi_next(s, vi, ptr_core(s), &n))) return rc;
    return load_list_from_range(s, et, p, n, o);
  }
  case WK_CABI_RECORD:
  case WK_CABI_TUPLE: {
    wk_cval *items = new_vals(s, t->n);
    if (!items) return nomem(s);
    for (uint32_t i = 0; i < t->n; i++)
      if ((rc = lift_flat(s, vi, kid(t, i), &items[i]))) return rc;
    o->of.seq.items = items;
    o->of.seq.n = t->n;
    return WK_OK;
  }
  case WK_CABI_ENUM:
    if ((rc = fi_next(s, vi, WK_CABI_CORE_I32, &x))) return rc;
    if (x >= t->n) return trap(s, "invalid variant discriminant");
    o->of.var.disc = (uint32_t)x;
    return WK_OK;
  case WK_CABI_VARIANT:
  case WK_CABI_OPTION:
  case WK_CABI_RESULT: {
    /* lift_flat_variant */
    wk_cabi_core *ft;
    uint32_t nft;
    if ((rc = flatten_alloc(s, t, &ft, &nft))) return rc;
    if ((rc = fi_next(s, vi, WK_CABI_CORE_I32, &x))) goto out;
    if (x >= ncases(t)) { rc = trap(s, "invalid variant discriminant"); goto out; }
    o->of.var.disc = (uint32_t)x;
    FI cv = {0};
    cv.have = ft + 1;
    cv.nhave = nft - 1;
    cv.parent = vi;
    const wk_cabi_type *ct = case_type(t, (uint32_t)x);
    if (ct) {
      wk_cval *p = new_vals(s, 1);
      if (!p) { rc = nomem(s); goto out; }
      o->of.var.payload = p;
      if ((rc = lift_flat(s, &cv, ct, p))) goto out;
    }
    for (; cv.hi < cv.nhave; cv.hi++)
      if ((rc = fi_next(s, vi, cv.have[cv.hi], &x))) goto out;
  out:
    free(ft);
    return rc;
  }
  case WK_CABI_FLAGS: {
    /* lift_flat_flags */
    uint32_t nw = wk_cabi_flags_flat_count(t->n);
    uint32_t *w = wk_arena_alloc(s->arena, (size_t)nw * 4);
    if (!w) return nomem(s);
    for (uint32_t i = 0; i < nw; i++) {
      if ((rc = fi_next(s, vi, WK_CABI_CORE_I32, &x))) return rc;
      w[i] = (uint32_t)x;
    }
    if (t->n % 32) w[nw - 1] &= (1u << (t->n % 32)) - 1;
    o->of.flags.words = w;
    o->of.flags.n = nw;
    return WK_OK;
  }
  case WK_CABI_OWN:
  case WK_CABI_BORROW:
    if ((rc = fi_next(s, vi, WK_CABI_CORE_I32, &x))) return rc;
    return lift_handle(s, t, x, o);
  default: return unsupported(s, t);
  }
}

/* ---- flat lowering ---- */

typedef struct FO {
  wk_cabi_flat *v;
  uint32_t n, cap;
} FO;

static int fo_push(S *s, FO *f, wk_cabi_core type, uint64_t bits) {
  if (f->n >= f->cap) return wk_error_set(s->err, WK_ERR_USAGE, "canonical ABI: too many flat values");
  f->v[f->n].type = type;
  f->v[f->n].bits = bits;
  f->n++;
  return WK_OK;
}

static int lower_flat(S *s, FO *fo, const wk_cabi_type *t, const wk_cval *v) {
  int rc = value_matches(s, t, v);
  if (rc) return rc;
  switch (t->kind) {
  case WK_CABI_BOOL: return fo_push(s, fo, WK_CABI_CORE_I32, v->of.b ? 1 : 0);
  case WK_CABI_U8: return fo_push(s, fo, WK_CABI_CORE_I32, (uint8_t)v->of.u);
  case WK_CABI_U16: return fo_push(s, fo, WK_CABI_CORE_I32, (uint16_t)v->of.u);
  case WK_CABI_U32: return fo_push(s, fo, WK_CABI_CORE_I32, (uint32_t)v->of.u);
  case WK_CABI_S8: return fo_push(s, fo, WK_CABI_CORE_I32, (uint32_t)(int32_t)(int8_t)v->of.s);
  case WK_CABI_S16: return fo_push(s, fo, WK_CABI_CORE_I32, (uint32_t)(int32_t)(int16_t)v->of.s);
  case WK_CABI_S32: return fo_push(s, fo, WK_CABI_CORE_I32, (uint32_t)(int32_t)v->of.s);
  case WK_CABI_U64:
  case WK_CABI_S64: return fo_push(s, fo, WK_CABI_CORE_I64, v->of.u);
  case WK_CABI_F32: return fo_push(s, fo, WK_CABI_CORE_F32, canon32(bits32(v->of.f32)));
  case WK_CABI_F64: return fo_push(s, fo, WK_CABI_CORE_F64, canon64(bits64(v->of.f64)));
  case WK_CABI_CHAR:
    if (!char_ok(v->of.ch)) return bad_value(s, "char is not a Unicode scalar value");
    return fo_push(s, fo, WK_CABI_CORE_I32, v->of.ch);
  case WK_CABI_STRING: {
    uint64_t p, n;
    if ((rc = store_string_into_range(s, v, &p, &n)) || (rc = fo_push(s, fo, ptr_core(s), p))) return rc;
    return fo_push(s, fo, ptr_core(s), n);
  }
  case WK_CABI_LIST:
  case WK_CABI_MAP: {
    wk_cabi_type entry;
    const wk_cabi_type *et = kid(t, 0);
    if (t->kind == WK_CABI_MAP) { entry = map_entry(t); et = &entry; }
    if (v->of.seq.n && !v->of.seq.items) return bad_value(s, "list without items");
    if (t->kind == WK_CABI_LIST && t->length) {
      if (v->of.seq.n != t->length) return bad_value(s, "fixed-length list of the wrong length");
      for (uint32_t i = 0; i < t->length; i++)
        if ((rc = lower_flat(s, fo, et, &v->of.seq.items[i]))) return rc;
      return WK_OK;
    }
    wk_cabi_layout el = lay(s, et);
    uint64_t nbytes = (uint64_t)v->of.seq.n * el.size, begin;
    if (nbytes > REALLOC_I32_MAX) return bad_value(s, "list too long");
    if ((rc = allocate(s, el.align, nbytes, &begin)) || (rc = check_aligned(s, begin, el.align)) ||
        (rc = check_range(s, begin, nbytes)) || (rc = store_items(s, et, v, begin)))
      return rc;
    if ((rc = fo_push(s, fo, ptr_core(s), begin))) return rc;
    return fo_push(s, fo, ptr_core(s), v->of.seq.n);
  }
  case WK_CABI_RECORD:
  case WK_CABI_TUPLE:
    if (v->of.seq.n != t->n || !v->of.seq.items) return bad_value(s, "record or tuple with the wrong field count");
    for (uint32_t i = 0; i < t->n; i++)
      if ((rc = lower_flat(s, fo, kid(t, i), &v->of.seq.items[i]))) return rc;
    return WK_OK;
  case WK_CABI_ENUM:
    if (v->of.var.disc >= t->n) return bad_value(s, "case index out of range");
    return fo_push(s, fo, WK_CABI_CORE_I32, v->of.var.disc);
  case WK_CABI_VARIANT:
  case WK_CABI_OPTION:
  case WK_CABI_RESULT: {
    /* lower_flat_variant */
    uint32_t nc = ncases(t), d = v->of.var.disc;
    if (d >= nc) return bad_value(s, "case index out of range");
    const wk_cabi_type *ct = case_type(t, d);
    if (ct && !v->of.var.payload) return bad_value(s, "case without its payload");
    wk_cabi_core *ft;
    uint32_t nft;
    if ((rc = flatten_alloc(s, t, &ft, &nft))) return rc;
    if ((rc = fo_push(s, fo, WK_CABI_CORE_I32, d))) goto out;
    uint32_t start = fo->n;
    if (ct && (rc = lower_flat(s, fo, ct, v->of.var.payload))) goto out;
    for (uint32_t i = start; i < fo->n; i++) {
      wk_cabi_core have = fo->v[i].type, want = ft[1 + (i - start)];
      /* (f32, i32), (i32, i64), (f32, i64): the f32's bits; (f64, i64): the bits */
      fo->v[i].type = want;
      (void)have;
    }
    for (uint32_t k = fo->n - start; k + 1 < nft; k++)
      if ((rc = fo_push(s, fo, ft[1 + k], 0))) goto out;
  out:
    free(ft);
    return rc;
  }
  case WK_CABI_FLAGS: {
    uint32_t nw = wk_cabi_flags_flat_count(t->n);
    for (uint32_t i = 0; i < nw; i++) {
      uint32_t w = i < v->of.flags.n && v->of.flags.words ? v->of.flags.words[i] : 0;
      if (i == nw - 1 && t->n % 32) w &= (1u << (t->n % 32)) - 1;
      if ((rc = fo_push(s, fo, WK_CABI_CORE_I32, w))) return rc;
    }
    return WK_OK;
  }
  case WK_CABI_OWN:
  case WK_CABI_BORROW: {
    uint32_t h;
    if ((rc = lower_handle(s, t, v, &h))) return rc;
    return fo_push(s, fo, WK_CABI_CORE_I32, h);
  }
  default: return unsupported(s, t);
  }
}

/* ---- entry points ---- */

static int check_ptr(S *s, const wk_cabi_type *t, uint64_t ptr) {
  wk_cabi_layout l = lay(s, t);
  if (ptr % l.align) return trap(s, "misaligned pointer");
  if (!in_bounds(s, ptr, l.size)) return trap(s, "pointer out of bounds");
  return WK_OK;
}

int wk_cabi_load(wk_cabi_cx *cx, const wk_cabi_type *t, uint32_t ptr, wk_arena *arena, wk_cval *out,
                 wk_error *err) {
  S s;
  int rc;
  if (!arena || !out) return wk_error_set(err, WK_ERR_USAGE, "canonical ABI: load needs an arena and an output");
  if ((rc = init_state(&s, cx, arena, err)) || (rc = check_type(t, s.ps, 0, err)) || (rc = check_ptr(&s, t, ptr)))
    return rc;
  return load(&s, t, ptr, out);
}

int wk_cabi_store(wk_cabi_cx *cx, const wk_cabi_type *t, const wk_cval *v, uint32_t ptr, wk_error *err) {
  S s;
  int rc;
  if ((rc = init_state(&s, cx, NULL, err)) || (rc = check_type(t, s.ps, 0, err)) || (rc = check_ptr(&s, t, ptr)))
    return rc;
  return store(&s, t, v, ptr);
}

/* flatten_types(ts) length, saturating; *maxd: the deepest depth the types' checks reached. */
static int flat_count(S *s, const wk_cabi_type *const *types, uint32_t ntypes, uint64_t *total, unsigned *maxd) {
  *total = 0;
  *maxd = 0;
  for (uint32_t i = 0; i < ntypes; i++) {
    uint32_t c = 0;
    int rc = check_type_d(types[i], s->ps, 0, s->err, maxd);
    if (rc || (rc = wk_cabi_flatten(types[i], s->ps, NULL, 0, &c, s->err))) return rc;
    *total += c;
  }
  return WK_OK;
}

/* The tuple of all `types` (lift_flat_values / lower_flat_values spilling), checked, and its
 * layout. `maxd`: the deepest depth flat_count's checks of the types reached from 0. When the
 * types' checks would still pass one level deeper (maxd < WK_CABI_MAX_DEPTH), check_type(tt)
 * comes down to its own layout_of(tt) (every other check of it repeats one flat_count made), so
 * that is all that runs: re-walking the types was as much as checking them. */
static int tuple_of(S *s, const wk_cabi_type *const *types, uint32_t ntypes, unsigned maxd, wk_cabi_type *tt,
                    wk_cabi_layout *l) {
  memset(tt, 0, sizeof *tt);
  tt->kind = WK_CABI_TUPLE;
  tt->n = ntypes;
  tt->children = types;
  if (maxd < WK_CABI_MAX_DEPTH) return wk_cabi_layout_of(tt, s->ps, l, s->err);
  int rc = check_type(tt, s->ps, 0, s->err);
  if (!rc) *l = lay(s, tt);
  return rc;
}

/* lift_flat_values */
int wk_cabi_lift_values(wk_cabi_cx *cx, const wk_cabi_type *const *types, uint32_t ntypes, uint32_t max_flat,
                        const wk_cabi_flat *flat, uint32_t nflat, wk_arena *arena, wk_cval *out, wk_error *err) {
  S s;
  uint64_t total;
  unsigned maxd;
  int rc;
  if (!arena || (ntypes && !out)) return wk_error_set(err, WK_ERR_USAGE, "canonical ABI: lift needs an arena and an output");
  if ((rc = init_state(&s, cx, arena, err)) || (rc = flat_count(&s, types, ntypes, &total, &maxd))) return rc;
  FI vi = {flat, nflat, 0, NULL, 0, 0, NULL};
  if (total > max_flat) {
    wk_cabi_type tt;
    wk_cabi_layout l;
    uint64_t ptr;
    if (nflat != 1) return wk_error_set(err, WK_ERR_USAGE, "canonical ABI: expected 1 flat value, got %u", nflat);
    if ((rc = tuple_of(&s, types, ntypes, maxd, &tt, &l)) || (rc = fi_next(&s, &vi, ptr_core(&s), &ptr))) return rc;
    if (ptr % l.align) return trap(&s, "misaligned pointer");
    if (!in_bounds(&s, ptr, l.size)) return trap(&s, "pointer out of bounds");
    wk_cval tv;
    if ((rc = load(&s, &tt, ptr, &tv))) return rc;
    for (uint32_t i = 0; i < ntypes; i++) out[i] = tv.of.seq.items[i];
    return WK_OK;
  }
  if (nflat != total)
    return wk_error_set(err, WK_ERR_USAGE, "canonical ABI: expected %llu flat values, got %u", (unsigned long long)total, nflat);
  for (uint32_t i = 0; i < ntypes; i++)
    if ((rc = lift_flat(&s, &vi, types[i], &out[i]))) return rc;
  return WK_OK;
}

/* lower_flat_values */
int wk_cabi_lower_values(wk_cabi_cx *cx, const wk_cabi_type *const *types, uint32_t ntypes, uint32_t max_flat,
                         const wk_cval *vals, int have_out_ptr, uint32_t out_ptr, wk_cabi_flat *out,
                         uint32_t *nout, wk_error *err) {
  S s;
  uint64_t total;
  unsigned maxd;
  int rc;
  *nout = 0;
  if ((rc = init_state(&s, cx, NULL, err)) || (rc = flat_count(&s, types, ntypes, &total, &maxd))) return rc;
  if (total > max_flat) {
    wk_cabi_type tt;
    wk_cabi_layout l;
    uint64_t ptr;
    if ((rc = tuple_of(&s, types, ntypes, maxd, &tt, &l))) return rc;
    if (!have_out_ptr) {
      if ((rc = allocate(&s, l.align, l.size, &ptr))) return rc;
    } else ptr = out_ptr;
    if (ptr % l.align) return trap(&s, "misaligned pointer");
    if (!in_bounds(&s, ptr, l.size)) return trap(&s, "pointer out of bounds");
    wk_cval tv;
    memset(&tv, 0, sizeof tv);
    tv.kind = WK_CABI_TUPLE;
    tv.of.seq.items = (wk_cval *)vals;
    tv.of.seq.n = ntypes;
    if ((rc = store(&s, &tt, &tv, ptr))) return rc;
    if (!have_out_ptr) {
      out[0].type = ptr_core(&s);
      out[0].bits = ptr;
      *nout = 1;
    }
    return WK_OK;
  }
  if (total > WK_CABI_SIG_MAX) return wk_error_set(err, WK_ERR_USAGE, "canonical ABI: max_flat above WK_CABI_SIG_MAX");
  FO fo = {out, 0, WK_CABI_SIG_MAX};
  for (uint32_t i = 0; i < ntypes; i++)
    if ((rc = lower_flat(&s, &fo, types[i], &vals[i]))) return rc;
  *nout = fo.n;
  return WK_OK;
}

/* ---- equality ---- */

static int eq(const wk_cval *a, const wk_cval *b, const wk_cabi_type *t, unsigned depth) {
  if (!a || !b || !t || depth > WK_CABI_MAX_DEPTH) return a == b;
  if (a->kind != b->kind || a->kind != t->kind) return 0;
  switch (t->kind) {
  case WK_CABI_BOOL: return !a->of.b == !b->of.b;
  case WK_CABI_U8: case WK_CABI_U16: case WK_CABI_U32: case WK_CABI_U64:
  case WK_CABI_S8: case WK_CABI_S16: case WK_CABI_S32: case WK_CABI_S64: return a->of.u == b->of.u;
  case WK_CABI_F32: return bits32(a->of.f32) == bits32(b->of.f32);
  case WK_CABI_F64: return bits64(a->of.f64) == bits64(b->of.f64);
  case WK_CABI_CHAR: return a->of.ch == b->of.ch;
  case WK_CABI_STRING:
    return a->of.str.len == b->of.str.len && (!a->of.str.len || !memcmp(a->of.str.ptr, b->of.str.ptr, a->of.str.len));
  case WK_CABI_LIST:
  case WK_CABI_MAP:
  case WK_CABI_RECORD:
  case WK_CABI_TUPLE: {
    if (a->of.seq.n != b->of.seq.n) return 0;
    wk_cabi_type entry;
    for (uint32_t i = 0; i < a->of.seq.n; i++) {
      const wk_cabi_type *ct;
      if (t->kind == WK_CABI_MAP) { entry = map_entry(t); ct = &entry; }
      else if (t->kind == WK_CABI_LIST) ct = kid(t, 0);
      else ct = i < t->n ? kid(t, i) : NULL;
      if (!eq(&a->of.seq.items[i], &b->of.seq.items[i], ct, depth + 1)) return 0;
    }
    return 1;
  }
  case WK_CABI_VARIANT:
  case WK_CABI_ENUM:
  case WK_CABI_OPTION:
  case WK_CABI_RESULT: {
    if (a->of.var.disc != b->of.var.disc) return 0;
    const wk_cabi_type *ct = a->of.var.disc < ncases(t) ? case_type(t, a->of.var.disc) : NULL;
    if (!ct) return !a->of.var.payload == !b->of.var.payload;
    return eq(a->of.var.payload, b->of.var.payload, ct, depth + 1);
  }
  case WK_CABI_FLAGS: {
    uint32_t n = a->of.flags.n > b->of.flags.n ? a->of.flags.n : b->of.flags.n;
    for (uint32_t i = 0; i < n; i++) {
      uint32_t x = i < a->of.flags.n ? a->of.flags.words[i] : 0, y = i < b->of.flags.n ? b->of.flags.words[i] : 0;
      if (x != y) return 0;
    }
    return 1;
  }
  case WK_CABI_OWN:
  case WK_CABI_BORROW: return a->of.handle.rt == b->of.handle.rt && a->of.handle.rep == b->of.handle.rep;
  default: return 0;
  }
}

int wk_cval_equal(const wk_cval *a, const wk_cval *b, const wk_cabi_type *t) { return eq(a, b, t, 0); }

/* ---- building host values (value.h) ---- */
wk_cval *wk_cval_alloc(wk_arena *a, uint32_t n) {
  size_t bytes = (size_t)(n ? n : 1) * sizeof(wk_cval);
  wk_cval *v = wk_arena_alloc(a, bytes);
  if (v) memset(v, 0, bytes);
  return v;
}
void wk_cval_set_case(wk_cval *v, wk_cabi_kind k, uint32_t disc, wk_cval *payload) {
  v->kind = k;
  v->of.var.disc = disc;
  v->of.var.payload = payload;
}
int wk_cval_set_string(wk_arena *a, wk_cval *v, const char *s, size_t n) {
  v->kind = WK_CABI_STRING;
  char *d = n ? wk_arena_strndup(a, s, n) : NULL;
  if (n && !d) return WK_ERR_NOMEM;
  v->of.str.ptr = d;
  v->of.str.len = (uint32_t)n;
  return WK_OK;
}
int wk_cval_set_seq(wk_arena *a, wk_cval *v, wk_cabi_kind k, uint32_t n) {
  v->kind = k;
  v->of.seq.n = n;
  v->of.seq.items = wk_cval_alloc(a, n);
  return v->of.seq.items ? WK_OK : WK_ERR_NOMEM;
}
int wk_cval_set_bytes(wk_arena *a, wk_cval *v, const uint8_t *b, size_t n) {
  if (wk_cval_set_seq(a, v, WK_CABI_LIST, (uint32_t)n) != WK_OK) return WK_ERR_NOMEM;
  for (size_t i = 0; i < n; i++) {
    v->of.seq.items[i].kind = WK_CABI_U8;
    v->of.seq.items[i].of.u = b[i];
  }
  return WK_OK;
}
