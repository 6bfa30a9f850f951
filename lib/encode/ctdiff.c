/*
 * lib/encode/ctdiff.c -- is one component type usable where another is
 * expected, and if not, exactly what differs (ctypes.h wk_ctypes_subtype).
 * One copy of the rule for every user: lib/compose's matcher (composition,
 * plug, WAC) and lib/component's linker (host definitions declared in WIT
 * against a component's imports). Moved here from lib/compose/match.c.
 * Explainer.md "Subtyping" / "Type Checking".
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "encode/ctypes.h"

const char *wk_ctypes_prim_name(uint8_t p) {
  const char *n = wk_ct_prim_name(p);
  return n ? n : "?";
}

static const char *def_name(uint8_t code) {
  if (code == WK_CTC_FIXED_LIST) return "fixed-length list"; /* (its WAT keyword is list too) */
  switch (code) { /* the defvaltype keywords of ctcodes.h */
#define DEF_NAME_(n, k, s) \
  case k: return s;
    WK_CT_DEFVALTYPES(DEF_NAME_)
#undef DEF_NAME_
  }
  return wk_ctypes_prim_name(code);
}

/* Follow eq1/alias1 to the defining node. */
uint32_t wk_ctypes_peel_all(const wk_ctypes *g, uint32_t id) {
  for (int k = 0; k < 64 && id < g->nt; k++) {
    uint32_t p = wk_ctypes_peel(g, id);
    if (p == id) break;
    id = p;
  }
  return id;
}

static const char *node_desc(const wk_ctypes *g, wk_ctval v) {
  if (v.prim) return wk_ctypes_prim_name(v.prim);
  const wk_ctnode *t = &g->t[wk_ctypes_peel_all(g, v.id)];
  if (t->kind == WK_CT_RES) return "resource";
  if (t->kind == WK_CT_DEF) return def_name(t->code);
  if (t->kind == WK_CT_FUNC) return "func";
  if (t->kind == WK_CT_INST) return "instance";
  if (t->kind == WK_CT_COMP) return "component";
  return "core type";
}

/* A value type naming a primitive through a type index (`type field-key = string`
 * is a defvaltype whose code is the primvaltype's, Binary.md "Type Definitions")
 * is that primitive: so `string` and an alias of it compare (and fingerprint)
 * equal, as Explainer.md "Subtyping" has value types match when equal. */
static wk_ctval val_prim(const wk_ctypes *g, wk_ctval v) {
  if (v.prim) return v;
  uint32_t id = wk_ctypes_peel_all(g, v.id);
  if (id < g->nt && g->t[id].kind == WK_CT_DEF) {
    uint8_t code = g->t[id].code;
    if (wk_ct_is_prim(code)) v.prim = code;
  }
  return v;
}

/* Resources the two sides export under the same name are the same resource for this check
 * (their identity across the two graphs); others (from outside the instance) match any. */
typedef struct rpair {
  uint32_t a, b;
  wk_cstr name;
} rpair;

typedef struct chk {
  const wk_ctypes *ga, *gb;
  char *why;
  size_t wl;
  rpair pairs[64];
  uint32_t npairs;
} chk;

static int fail(chk *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(chk *c, const char *fmt, ...) {
  size_t used = strlen(c->why);
  if (used >= c->wl) return 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->why + used, c->wl - used, fmt, ap);
  va_end(ap);
  return 0;
}

static int same(wk_cstr a, wk_cstr b) { return a.len == b.len && !memcmp(a.s, b.s, a.len); }

static int res_eq(chk *c, uint32_t ia, uint32_t ib) {
  const rpair *pb = NULL, *pa = NULL;
  for (uint32_t i = 0; i < c->npairs; i++) {
    if (c->pairs[i].b == ib) pb = &c->pairs[i];
    if (c->pairs[i].a == ia) pa = &c->pairs[i];
  }
  if (!pb || pb->a == ia) return 1;
  if (pa) return fail(c, "expected resource `%.*s`, found resource `%.*s`", (int)pb->name.len, pb->name.s,
                      (int)pa->name.len, pa->name.s);
  return fail(c, "expected resource `%.*s`, found another resource", (int)pb->name.len, pb->name.s);
}

/* Value types are compared structurally (Explainer.md "Subtyping": value
 * types match when they are equal). `a` comes from the provider (ga), `b`
 * from the expectation (gb). Resources match by kind: their identity is
 * fixed by the wiring and checked when the result is validated. */
static int val_eq(chk *c, wk_ctval a, wk_ctval b, int depth) {
  if (depth > 100) return 1;
  a = val_prim(c->ga, a);
  b = val_prim(c->gb, b);
  if (a.prim || b.prim) {
    if (a.prim == b.prim) return 1;
    return fail(c, "expected %s, found %s", node_desc(c->gb, b), node_desc(c->ga, a));
  }
  uint32_t ia = wk_ctypes_peel_all(c->ga, a.id), ib = wk_ctypes_peel_all(c->gb, b.id);
  const wk_ctnode *x = &c->ga->t[ia], *y = &c->gb->t[ib];
  if (x->kind != y->kind || (x->kind == WK_CT_DEF && x->code != y->code))
    return fail(c, "expected %s, found %s", node_desc(c->gb, b), node_desc(c->ga, a));
  if (x->kind == WK_CT_RES) return res_eq(c, ia, ib);
  if (x->kind != WK_CT_DEF) return 1;
  switch (x->code) {
    case WK_CTC_RECORD: case WK_CTC_VARIANT: case WK_CTC_TUPLE: case WK_CTC_FLAGS: case WK_CTC_ENUM: {
      const char *what = x->code == WK_CTC_RECORD ? "field" : x->code == WK_CTC_VARIANT ? "case" : x->code == WK_CTC_FLAGS ? "flag" : "case";
      if (x->n != y->n && x->code == WK_CTC_TUPLE) return fail(c, "expected a tuple of %u, found %u", y->n, x->n);
      for (uint32_t i = 0; i < x->n || i < y->n; i++) {
        if (i >= x->n) return fail(c, "%s `%.*s` is missing", what, (int)y->labels[i].len, y->labels[i].s);
        if (i >= y->n) return fail(c, "unexpected %s `%.*s`", what, (int)x->labels[i].len, x->labels[i].s);
        if (x->code != WK_CTC_TUPLE && !same(x->labels[i], y->labels[i]))
          return fail(c, "expected %s `%.*s`, found `%.*s`", what, (int)y->labels[i].len, y->labels[i].s,
                      (int)x->labels[i].len, x->labels[i].s);
        if (x->code == WK_CTC_FLAGS || x->code == WK_CTC_ENUM) continue;
        if (x->code == WK_CTC_VARIANT && x->has[i] != y->has[i])
          return fail(c, "case `%.*s`: expected %s payload", (int)y->labels[i].len, y->labels[i].s,
                      y->has[i] ? "a" : "no");
        if (x->code == WK_CTC_VARIANT && !x->has[i]) continue;
        size_t mark = strlen(c->why);
        if (x->code == WK_CTC_TUPLE) fail(c, "tuple element %u: ", i);
        else fail(c, "%s `%.*s`: ", what, (int)x->labels[i].len, x->labels[i].s);
        if (!val_eq(c, x->elems[i], y->elems[i], depth + 1)) return 0;
        c->why[mark] = 0;
      }
      return 1;
    }
    case WK_CTC_LIST: case WK_CTC_FIXED_LIST: case WK_CTC_OPTION: case WK_CTC_STREAM: case WK_CTC_FUTURE: {
      /* a fixed-length list keeps its length in `res` (Binary.md (list t len)) */
      if (x->code == WK_CTC_FIXED_LIST && x->res != y->res)
        return fail(c, "expected a list of %u elements, found %u", y->res, x->res);
      if (x->has_a != y->has_a) return fail(c, "%s element present in one type only", def_name(x->code));
      if (!x->has_a) return 1;
      size_t mark = strlen(c->why);
      fail(c, "%s element: ", def_name(x->code));
      if (!val_eq(c, x->a, y->a, depth + 1)) return 0;
      c->why[mark] = 0;
      return 1;
    }
    case WK_CTC_RESULT: {
      if (x->has_a != y->has_a) return fail(c, "result ok type: expected %s", y->has_a ? "one" : "none");
      if (x->has_b != y->has_b) return fail(c, "result error type: expected %s", y->has_b ? "one" : "none");
      size_t mark = strlen(c->why);
      if (x->has_a) {
        fail(c, "result ok type: ");
        if (!val_eq(c, x->a, y->a, depth + 1)) return 0;
        c->why[mark] = 0;
      }
      if (x->has_b) {
        fail(c, "result error type: ");
        if (!val_eq(c, x->b, y->b, depth + 1)) return 0;
        c->why[mark] = 0;
      }
      return 1;
    }
    case WK_CTC_MAP: { /* (map k v): key and value types must be equal */
      size_t mark = strlen(c->why);
      fail(c, "map key: ");
      if (!val_eq(c, x->a, y->a, depth + 1)) return 0;
      c->why[mark] = 0;
      fail(c, "map value: ");
      if (!val_eq(c, x->b, y->b, depth + 1)) return 0;
      c->why[mark] = 0;
      return 1;
    }
    case WK_CTC_OWN: case WK_CTC_BORROW: return res_eq(c, wk_ctypes_peel_all(c->ga, x->res), wk_ctypes_peel_all(c->gb, y->res));
  }
  return 1; /* a primitive defined type: codes are equal */
}

static int item_sub(chk *c, uint8_t kind, uint32_t a, uint32_t b, int depth);

static int func_sub(chk *c, uint32_t a, uint32_t b, int depth) {
  const wk_ctnode *x = &c->ga->t[a], *y = &c->gb->t[b];
  if (x->kind != WK_CT_FUNC || y->kind != WK_CT_FUNC) return fail(c, "expected a function");
  for (uint32_t i = 0; i < x->n || i < y->n; i++) {
    if (i >= x->n) return fail(c, "parameter `%.*s` is missing", (int)y->labels[i].len, y->labels[i].s);
    if (i >= y->n) return fail(c, "unexpected parameter `%.*s`", (int)x->labels[i].len, x->labels[i].s);
    if (!same(x->labels[i], y->labels[i]))
      return fail(c, "parameter %u: expected name `%.*s`, found `%.*s`", i, (int)y->labels[i].len, y->labels[i].s,
                  (int)x->labels[i].len, x->labels[i].s);
    size_t mark = strlen(c->why);
    fail(c, "parameter `%.*s`: ", (int)x->labels[i].len, x->labels[i].s);
    if (!val_eq(c, x->elems[i], y->elems[i], depth + 1)) return 0;
    c->why[mark] = 0;
  }
  if (x->has_a != y->has_a) return fail(c, y->has_a ? "expected a result, found none" : "expected no result, found one");
  if (x->has_a) {
    size_t mark = strlen(c->why);
    fail(c, "result: ");
    if (!val_eq(c, x->a, y->a, depth + 1)) return 0;
    c->why[mark] = 0;
  }
  return 1;
}

static const char *kind_name(uint8_t k) {
  if (k == WK_CSORT_CORE) return "core module"; /* externtype 0x00 0x11 */
  const char *n = wk_ct_sort_name(k);
  return n ? n : "item";
}

static int ents_sub(chk *c, const wk_ctent *ax, uint32_t an, const wk_ctent *bx, uint32_t bn, const char *what,
                    int depth) {
  for (uint32_t i = 0; i < bn; i++) {
    const wk_ctent *want = &bx[i], *have = NULL;
    for (uint32_t j = 0; j < an && !have; j++)
      if (same(ax[j].name, want->name)) have = &ax[j];
    if (!have)
      return fail(c, "missing %s %s `%.*s`", what, kind_name(want->kind), (int)want->name.len, want->name.s);
    if (have->kind != want->kind)
      return fail(c, "%s `%.*s`: expected a %s, found a %s", what, (int)want->name.len, want->name.s,
                  kind_name(want->kind), kind_name(have->kind));
    size_t mark = strlen(c->why);
    fail(c, "%s `%.*s`: ", kind_name(want->kind), (int)want->name.len, want->name.s);
    if (!item_sub(c, want->kind, have->id, want->id, depth + 1)) return 0;
    c->why[mark] = 0;
  }
  return 1;
}

static void pair_resources(chk *c, const wk_ctent *ax, uint32_t an, const wk_ctent *bx, uint32_t bn) {
  for (uint32_t i = 0; i < bn; i++) {
    if (bx[i].kind != WK_CSORT_TYPE) continue;
    uint32_t pb = wk_ctypes_peel_all(c->gb, bx[i].id);
    if (c->gb->t[pb].kind != WK_CT_RES) continue;
    for (uint32_t j = 0; j < an; j++) {
      if (ax[j].kind != WK_CSORT_TYPE || !same(ax[j].name, bx[i].name)) continue;
      uint32_t pa = wk_ctypes_peel_all(c->ga, ax[j].id);
      if (c->ga->t[pa].kind == WK_CT_RES && c->npairs < 64) c->pairs[c->npairs++] = (rpair){pa, pb, bx[i].name};
    }
  }
}

static int item_sub(chk *c, uint8_t kind, uint32_t a, uint32_t b, int depth) {
  if (depth > 100) return 1;
  if (a >= c->ga->nt || b >= c->gb->nt) return fail(c, "bad type id");
  switch (kind) {
    case WK_CSORT_FUNC: return func_sub(c, a, b, depth);
    case WK_CSORT_TYPE: {
      uint32_t pa = wk_ctypes_peel_all(c->ga, a), pb = wk_ctypes_peel_all(c->gb, b);
      const wk_ctnode *x = &c->ga->t[pa], *y = &c->gb->t[pb];
      if ((x->kind == WK_CT_RES) != (y->kind == WK_CT_RES))
        return fail(c, y->kind == WK_CT_RES ? "expected a resource, found a defined type"
                                            : "expected a defined type, found a resource");
      if (x->kind == WK_CT_RES) return 1;
      return val_eq(c, (wk_ctval){0, pa}, (wk_ctval){0, pb}, depth + 1);
    }
    case WK_CSORT_INSTANCE: {
      const wk_ctnode *x = &c->ga->t[a], *y = &c->gb->t[b];
      if (x->kind != WK_CT_INST || y->kind != WK_CT_INST) return fail(c, "expected an instance");
      pair_resources(c, x->ex, x->nex, y->ex, y->nex);
      return ents_sub(c, x->ex, x->nex, y->ex, y->nex, "export", depth);
    }
    case WK_CSORT_COMPONENT: {
      const wk_ctnode *x = &c->ga->t[a], *y = &c->gb->t[b];
      if (x->kind != WK_CT_COMP || y->kind != WK_CT_COMP) return fail(c, "expected a component");
      if (!ents_sub(c, x->ex, x->nex, y->ex, y->nex, "export", depth)) return 0;
      /* contravariant imports: every import of the provider must be offered by the expectation */
      chk r = {c->gb, c->ga, c->why, c->wl, {{0, 0, {0, 0}}}, 0};
      return ents_sub(&r, y->im, y->nim, x->im, x->nim, "import", depth);
    }
  }
  return 1;
}

int wk_ctypes_subtype(const wk_ctypes *ga, uint8_t kind, uint32_t a_id, const wk_ctypes *gb, uint32_t b_id, char *why,
                size_t wl) {
  if (why && wl) why[0] = 0;
  char tmp[8];
  chk c = {ga, gb, why && wl ? why : tmp, why && wl ? wl : sizeof tmp, {{0, 0, {0, 0}}}, 0};
  c.why[0] = 0;
  return item_sub(&c, kind, a_id, b_id, 0);
}

int wk_ctypes_subtype_exports(const wk_ctypes *ga, const wk_ctent *ex, uint32_t nex, const wk_ctypes *gb, uint32_t b_id,
                        char *why, size_t wl) {
  why[0] = 0;
  chk c = {ga, gb, why, wl, {{0, 0, {0, 0}}}, 0};
  const wk_ctnode *y = &gb->t[b_id];
  if (y->kind != WK_CT_INST) return fail(&c, "expected an instance");
  pair_resources(&c, ex, nex, y->ex, y->nex);
  return ents_sub(&c, ex, nex, y->ex, y->nex, "export", 0);
}

int wk_ctypes_merge_check(const wk_ctypes *ga, uint32_t a_id, const wk_ctypes *gb, uint32_t b_id, char *why, size_t wl) {
  why[0] = 0;
  chk c = {ga, gb, why, wl, {{0, 0, {0, 0}}}, 0};
  const wk_ctnode *x = &ga->t[a_id], *y = &gb->t[b_id];
  if (x->kind != WK_CT_INST || y->kind != WK_CT_INST) return fail(&c, "expected instances");
  for (uint32_t i = 0; i < y->nex; i++)
    for (uint32_t j = 0; j < x->nex; j++) {
      if (!same(x->ex[j].name, y->ex[i].name)) continue;
      if (x->ex[j].kind != y->ex[i].kind)
        return fail(&c, "export `%.*s`: a %s and a %s", (int)y->ex[i].name.len, y->ex[i].name.s,
                    kind_name(x->ex[j].kind), kind_name(y->ex[i].kind));
      size_t mark = strlen(c.why);
      fail(&c, "%s `%.*s`: ", kind_name(y->ex[i].kind), (int)y->ex[i].name.len, y->ex[i].name.s);
      if (!item_sub(&c, y->ex[i].kind, x->ex[j].id, y->ex[i].id, 1)) return 0;
      c.why[mark] = 0;
    }
  return 1;
}

/* ---- structural fingerprints (ctypes.h wk_ctypes_func_hash) ---- */

typedef struct fh {
  const wk_ctypes *g;
  const wk_ctent *scope;
  uint32_t nscope;
  uint64_t h;
  wk_ctypes_hmemo *memo; /* NULL, or the defined types' fingerprints known under this scope */
  int capped;            /* the depth cap cut something off (such a fingerprint is not memoized) */
  int maxd;              /* the deepest depth fh_val reached */
} fh;

/* One 64-bit step per item (a byte, a u32) and per 8 bytes of a string: byte-wise FNV-1a
 * over every label was most of checking a WASI component's imports against the host's
 * declared types at start-up (callgrind). Only equality matters (the build generates the
 * host's table with this same function: scripts/gen-wasi2-types.c). */
static void fh_mix(fh *f, uint64_t x) {
  uint64_t h = (f->h ^ x) * 0x9e3779b97f4a7c15ULL;
  f->h = h ^ (h >> 29);
}
static void fh_bytes(fh *f, const void *p, size_t n) {
  const unsigned char *b = p;
  for (; n >= 8; b += 8, n -= 8) {
    uint64_t w;
    memcpy(&w, b, 8);
    fh_mix(f, w);
  }
  /* The 0..7 tail bytes as one word, by two overlapping loads that between them hold every
   * byte (so, with n in the top byte, distinct tails give distinct words): a variable-length
   * copy here was a fifth of fingerprinting. b may be NULL when n is 0 (an empty string). */
  fh_mix(f, wk_tail_word(b, n) ^ ((uint64_t)n << 56));
}
/* fh_bytes of one byte, without the copy: the same value (the byte, its length 1 in the top byte) */
static void fh_byte(fh *f, uint8_t c) { fh_mix(f, (uint64_t)c ^ ((uint64_t)1 << 56)); }
static void fh_u32(fh *f, uint32_t x) { fh_mix(f, x); }
static void fh_str(fh *f, wk_cstr s) {
  fh_u32(f, (uint32_t)s.len);
  fh_bytes(f, s.s, s.len);
}

/* wk_ctypes_peel_all, without the calls for a node that names no other (most of them): the
 * fingerprints peel every value type they meet. (The test is wk_ctypes_peel's rule, in
 * component_validate.c: a defined type with eq1 or a resource with alias1 names another.) */
static inline uint32_t fh_peel(const wk_ctypes *g, uint32_t id) {
  if (id < g->nt) {
    const wk_ctnode *t = &g->t[id];
    if (!(t->kind == WK_CT_DEF && t->eq1) && !(t->kind == WK_CT_RES && t->alias1)) return id;
  }
  return wk_ctypes_peel_all(g, id);
}

/* A resource is named by the type export of the enclosing instance that
 * stands for it (its identity inside the instance, as pair_resources pairs
 * them); one reached from nowhere in the instance is only "a resource". */
static void fh_res(fh *f, uint32_t id) {
  uint32_t r = fh_peel(f->g, id);
  for (uint32_t i = 0; i < f->nscope; i++)
    if (f->scope[i].kind == WK_CSORT_TYPE && fh_peel(f->g, f->scope[i].id) == r) {
      fh_byte(f, 'R');
      fh_str(f, f->scope[i].name);
      return;
    }
  fh_byte(f, 'r');
}

static uint64_t fh_def(fh *pf, uint32_t id, const wk_ctnode *t, int depth);
static void fh_val(fh *f, wk_ctval v, int depth) {
  if (depth > f->maxd) f->maxd = depth;
  if (depth > 100) {
    f->capped = 1;
    return;
  }
  if (v.prim) {
    fh_byte(f, 'P');
    fh_byte(f, v.prim);
    return;
  }
  uint32_t id = fh_peel(f->g, v.id);
  if (id >= f->g->nt) return;
  const wk_ctnode *t = &f->g->t[id];
  if (t->kind == WK_CT_DEF && wk_ct_is_prim(t->code)) { /* (val_prim's rule, on the one peel) */
    fh_byte(f, 'P');
    fh_byte(f, t->code);
    return;
  }
  fh_byte(f, t->kind);
  if (t->kind == WK_CT_RES) {
    fh_res(f, id);
    return;
  }
  if (t->kind != WK_CT_DEF) return;
  fh_mix(f, fh_def(f, id, t, depth));
}

/* A defined type's fingerprint on its own (then one step of its user's): the same value wherever
 * the type is used, so a memo can keep it (a WASI filesystem error-code enum, 37 labels, is in the
 * result of most of the interface's functions). */
static uint64_t fh_def(fh *pf, uint32_t id, const wk_ctnode *t, int depth) {
  wk_ctypes_hmemo *m = pf->memo;
  uint32_t slot = id & (WK_CTYPES_HMEMO_SLOTS - 1);
  /* a memoized fingerprint walked `hgt` levels below its type: reused only where a fresh walk
   * would not reach the depth cap either (then it is the same value at any depth) */
  if (m && m->id1[slot] == id + 1 && depth + m->hgt[slot] <= 100) {
    if (depth + m->hgt[slot] > pf->maxd) pf->maxd = depth + m->hgt[slot];
    return m->h[slot];
  }
  fh sub = {pf->g, pf->scope, pf->nscope, 0x84222325cbf29ce4ULL, m, 0, depth}, *f = &sub;
  fh_byte(f, t->code);
  if (t->code == WK_CTC_OWN || t->code == WK_CTC_BORROW) {
    fh_res(f, t->res);
    goto done;
  }
  fh_u32(f, t->n);
  if (t->code == WK_CTC_FIXED_LIST) fh_u32(f, t->res); /* the length */
  for (uint32_t i = 0; i < t->n; i++) {
    if (t->labels) fh_str(f, t->labels[i]);
    uint8_t has = t->code == WK_CTC_TUPLE || t->code == WK_CTC_RECORD ? 1 : t->has ? t->has[i] : 0;
    if (t->code == WK_CTC_FLAGS || t->code == WK_CTC_ENUM) has = 0;
    fh_byte(f, has);
    if (has && t->elems) fh_val(f, t->elems[i], depth + 1);
  }
  fh_byte(f, t->has_a);
  if (t->has_a) fh_val(f, t->a, depth + 1);
  fh_byte(f, t->has_b);
  if (t->has_b) fh_val(f, t->b, depth + 1);
done:
  if (f->maxd > pf->maxd) pf->maxd = f->maxd;
  if (f->capped) pf->capped = 1;
  else if (m) { /* (uncut: the same wherever depth + hgt stays under the cap) */
    m->id1[slot] = id + 1;
    m->h[slot] = f->h;
    m->hgt[slot] = (uint8_t)(f->maxd - depth);
  }
  return f->h;
}

void wk_ctypes_hmemo_init(wk_ctypes_hmemo *m) { memset(m->id1, 0, sizeof m->id1); }

uint64_t wk_ctypes_func_hash(const wk_ctypes *g, uint32_t func_id, const wk_ctent *scope, uint32_t nscope) {
  return wk_ctypes_func_hash_memo(g, func_id, scope, nscope, NULL);
}

uint64_t wk_ctypes_func_hash_memo(const wk_ctypes *g, uint32_t func_id, const wk_ctent *scope, uint32_t nscope,
                                  wk_ctypes_hmemo *memo) {
  fh f = {g, scope, nscope, 0xcbf29ce484222325ULL, memo, 0, 0};
  if (func_id >= g->nt || g->t[func_id].kind != WK_CT_FUNC) return 0;
  const wk_ctnode *t = &g->t[func_id];
  fh_byte(&f, 'F');
  fh_u32(&f, t->n);
  for (uint32_t i = 0; i < t->n; i++) {
    fh_str(&f, t->labels[i]);
    fh_val(&f, t->elems[i], 1);
  }
  fh_byte(&f, t->has_a);
  if (t->has_a) fh_val(&f, t->a, 1);
  return f.h;
}
