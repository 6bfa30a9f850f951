/*
 * Component validation (Explainer.md, Binary.md "validation" notes,
 * CanonicalABI.md "Canonical definitions").
 *
 * Types are interned in one table (integer ids, as wasmparser's type list):
 * defined value types, function, component, instance and resource types,
 * and the core types a component can see (function, table, memory,
 * global, tag, module and instance types). Each scope (a component, or a
 * component/instance type) has the Explainer's index spaces as arrays of
 * type ids. Resource types are compared by identity; instantiation binds
 * the abstract resources a component type imports to the arguments'
 * resources and substitutes them in the instance's exports.
 */
#include "encode/encode.h"
#include "encode/bump_int.h"
#include "encode/hash_int.h"
#include "encode/leb.h"
#include "encode/ctypes.h"
#include "encode/semver.h"
#include "canonabi/canonabi.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum {
  T_DEF = WK_CT_DEF, T_FUNC = WK_CT_FUNC, T_COMP = WK_CT_COMP, T_INST = WK_CT_INST, T_RES = WK_CT_RES,
  T_CFUNC = WK_CT_CFUNC, T_CTABLE = WK_CT_CTABLE, T_CMEM = WK_CT_CMEM, T_CGLOBAL = WK_CT_CGLOBAL,
  T_CTAG = WK_CT_CTAG, T_CMOD = WK_CT_CMOD, T_CINST = WK_CT_CINST,
};

/* The node, entity and value-type records are public (encode/ctypes.h) so
 * the WIT decoder can read the graph; see that header for the fields. */
typedef wk_ctval vv;
typedef wk_ctent ent;

/* Where a component-level type index came from (see ent.oinst1). */
typedef struct torig {
  uint32_t inst1, imp1;
  wk_cstr name;
} torig;

typedef wk_ctnode vt;

enum { S_CFUNC, S_CTABLE, S_CMEM, S_CGLOBAL, S_CTAG, S_CTYPE, S_CMOD, S_CINST,
       S_FUNC, S_VALUE, S_TYPE, S_COMP, S_INST, S_N };

typedef struct space {
  uint32_t *v;
  uint32_t n, cap;
} space;

/* A set of type ids (open addressing on 1 + id, 0 = empty slot): the types named so far in a
 * scope and the types an import/export binds, which are asked about once per reference (a
 * linear search of them was ~3% of validating a WASI hello). */
typedef struct idset {
  uint32_t *h;     /* the hash table once n > IDSET_SMALL */
  uint32_t cap, n; /* cap: 0 (ids in sm) or a power of two, kept at least twice n */
  uint32_t sm[8];  /* up to IDSET_SMALL ids (most sets), searched in order */
} idset;
#define IDSET_SMALL 8u

typedef struct scope {
  struct scope *parent;
  int kind; /* 0 component, 1 component type, 2 instance type, 3 core module type */
  uint32_t serial;
  space sp[S_N];
  ent *im, *ex;
  uint32_t nim, nex, imcap, excap;
  idset named;    /* types named by imports/exports so far */
  idset named_im; /* ... by imports only */
  torig *tor;     /* per type index (S_TYPE slot), zero when not tracked */
  uint32_t ntor, torcap;
  struct ckey *imk, *exk; /* per import/export (im/ex order): its name's canonical form (check_name) */
  uint32_t imkcap, exkcap;
} scope;

/* A name's strongly-unique canonical form (canon_name), when it has one: `plain` = not a locator
 * name and at most 500 bytes; else names conflict only when equal (name_conflict). */
typedef struct ckey {
  const char *s;
  uint32_t len;
  uint8_t plain;
} ckey;

typedef struct V {
  wk_error *err;
  wk_arena a;
  wk_bump bump; /* v_raw's chunk of `a` */
  vt *t;
  uint32_t nt, tcap;
  uint32_t serials;
  int depth;
  const uint8_t *input;
  /* per type id: its canonical ABI type (built on demand, in `a`), in chunks of CABI_CHUNK ids
   * (cabi[id / CABI_CHUNK][id % CABI_CHUNK]) so that only the chunks of the ids asked about are
   * cleared (one table for every id the type table could hold was cleared byte by byte) */
  const wk_cabi_type ***cabi;
  uint32_t ncabi; /* chunks */
  int cabi_deep; /* cabi_of gave up: nested deeper than WK_CABI_MAX_DEPTH */
  struct fmemo *fm; /* flatten()'s results by canonical ABI type (open addressing on the node) */
  uint32_t fmcap, fmn;
  unsigned flags; /* WK_CVALIDATE_* (component.h) */
} V;

#define TRY(x) do { if ((x)) return -1; } while (0)

static int verr(V *v, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int verr(V *v, size_t off, const char *fmt, ...) {
  if (v->err) {
    va_list ap;
    va_start(ap, fmt);
    v->err->code = WK_ERR_INVALID;
    v->err->has_offset = 1;
    v->err->offset = off;
    v->err->line = v->err->col = 0;
    vsnprintf(v->err->msg, sizeof v->err->msg, fmt, ap);
    va_end(ap);
  }
  return -1;
}

static int vnomem(V *v) {
  wk_error_set(v->err, WK_ERR_NOMEM, "out of memory");
  return -1;
}

/* Bytes of unspecified content, aligned to 8 (bump_int.h): for arrays whose items are all written
 * before they are read (index spaces, import/export lists, labels and elements, copies).
 * Clearing them first was about a sixth of a WASI hello's validation. */
static inline void *v_raw(V *v, size_t n) { return wk_bump_alloc(&v->bump, &v->a, n); }
/* Zeroed bytes: for records read before every field is set (canonical ABI nodes, memo tables). */
static void *v_alloc(V *v, size_t n) {
  void *p = v_raw(v, n);
  if (p) memset(p, 0, n);
  return p;
}

static inline uint32_t newtype(V *v, uint8_t kind) {
  if (v->nt == v->tcap) {
    uint32_t nc = v->tcap ? v->tcap * 2 : 256;
    vt *p = wk_reallocarray(v->t, nc, sizeof *p);
    if (!p) return UINT32_MAX;
    v->t = p;
    v->tcap = nc;
  }
  memset(&v->t[v->nt], 0, sizeof(vt));
  v->t[v->nt].kind = kind;
  v->t[v->nt].size = 1;
  return v->nt++;
}
#define NEWTYPE(v, var, kind) do { var = newtype((v), (kind)); if (var == UINT32_MAX) return vnomem(v); } while (0)

static int push_grow(V *v, space *s) {
  uint32_t nc = s->cap ? s->cap * 2 : 16;
  uint32_t *p = v_raw(v, (size_t)nc * sizeof *p);
  if (!p) return vnomem(v);
  if (s->v) memcpy(p, s->v, (size_t)s->n * sizeof *p);
  s->v = p;
  s->cap = nc;
  return 0;
}
/* (inline: ~400 calls for a WASI hello, nearly all with room) */
static inline int push(V *v, space *s, uint32_t id) {
  if (s->n == s->cap && push_grow(v, s)) return -1;
  s->v[s->n++] = id;
  return 0;
}

/* Record the origin of type index `slot` of a component scope. */
static int set_torig(V *v, scope *sc, uint32_t slot, torig o) {
  if (slot >= UINT32_MAX / 4) return vnomem(v);
  if (slot >= sc->torcap) {
    uint32_t nc = sc->torcap ? sc->torcap : 16;
    while (nc <= slot) nc *= 2;
    torig *p = v_raw(v, (size_t)nc * sizeof *p); /* (cleared below) */
    if (!p) return vnomem(v);
    memset(p, 0, (size_t)nc * sizeof *p);
    if (sc->ntor) memcpy(p, sc->tor, (size_t)sc->ntor * sizeof *p);
    sc->tor = p;
    sc->torcap = nc;
  }
  if (slot >= sc->ntor) sc->ntor = slot + 1;
  sc->tor[slot] = o;
  return 0;
}

static torig get_torig(const scope *sc, uint32_t slot) {
  torig z = {0, 0, {0}};
  return slot < sc->ntor ? sc->tor[slot] : z;
}

static int push_ent_grow(V *v, ent **arr, uint32_t *n, uint32_t *cap) {
  uint32_t nc = *cap ? *cap * 2 : 8;
  ent *p = v_raw(v, (size_t)nc * sizeof *p);
  if (!p) return vnomem(v);
  if (*arr) memcpy(p, *arr, (size_t)*n * sizeof *p);
  *arr = p;
  *cap = nc;
  return 0;
}
static inline int push_ent(V *v, ent **arr, uint32_t *n, uint32_t *cap, ent e) {
  if (*n == *cap && push_ent_grow(v, arr, n, cap)) return -1;
  (*arr)[(*n)++] = e;
  return 0;
}

/* Room for `want` entries in *arr (push_ent's array) at once, when the count is known up front
 * (a section's or an instance's item count; the caller bounds it by the bytes left): growing
 * from 8 by doubling copied the arrays of a WASI hello's modules ~4 times each. */
static int reserve_ent(V *v, ent **arr, uint32_t n, uint32_t *cap, uint64_t want) {
  if (want <= *cap || want > UINT32_MAX / 2) return 0;
  ent *p = v_raw(v, (size_t)want * sizeof *p);
  if (!p) return vnomem(v);
  if (*arr && n) memcpy(p, *arr, (size_t)n * sizeof *p);
  *arr = p;
  *cap = (uint32_t)want;
  return 0;
}

/* Equal names. Export lookups compare many same-length names ("fd_read", "fd_seek", ...): up to
 * 16 bytes are compared as two (overlapping) loads of each side rather than by a memcmp call,
 * which was most of the cost of looking up a module's imports in its arguments' exports. */
static inline uint64_t ld64(const char *p) { uint64_t x; memcpy(&x, p, 8); return x; }
static inline uint32_t ld32(const char *p) { uint32_t x; memcpy(&x, p, 4); return x; }
static inline int streq(wk_cstr a, wk_cstr b) {
  uint32_t n = a.len;
  if (n != b.len) return 0;
  if (n >= 8) {
    if (ld64(a.s) != ld64(b.s) || ld64(a.s + n - 8) != ld64(b.s + n - 8)) return 0;
    return n <= 16 || !memcmp(a.s + 8, b.s + 8, n - 16);
  }
  if (n >= 4) return ld32(a.s) == ld32(b.s) && ld32(a.s + n - 4) == ld32(b.s + n - 4);
  /* 1..3 bytes: the first, middle and last are all of them */
  return !n || (a.s[0] == b.s[0] && a.s[n / 2] == b.s[n / 2] && a.s[n - 1] == b.s[n - 1]);
}

/* A hash index over the names (and, for core imports, the module names) of an ent array, for
 * the lookups that are one per item: resolving a module's imports in an instance's exports and
 * the duplicate-name checks of export bags and module imports were each a linear search per
 * item (the name compares were ~5% of validating a WASI hello). Same answers as the linear
 * search: a name maps to its first item. Arrays of at most NIDX_MIN items keep the search. */
#define NIDX_MIN 32u
typedef struct nidx {
  uint32_t *slot; /* 1 + item index, 0 = empty */
  uint32_t mask;
  int with_module; /* core imports: keyed by module and name; else by name (find_ent) */
} nidx;

/* Room for `n` items, hashed by wk_name_hash (core import keys by the name only: a module's
 * imports share few modules); -1 out of memory. */
static int nidx_init(V *v, nidx *x, uint32_t n, int with_module) {
  x->with_module = with_module;
  uint32_t cap = 16;
  while (cap < 2 * (uint64_t)n) cap *= 2;
  x->slot = v_alloc(v, (size_t)cap * sizeof *x->slot);
  if (!x->slot) return vnomem(v);
  x->mask = cap - 1;
  return 0;
}

static int nidx_same(const nidx *x, const ent *e, wk_cstr module, wk_cstr name) {
  return streq(e->name, name) && (!x->with_module || streq(e->module, module));
}

/* The first item of arr (indexed by x) named module/name (module: with_module only), or NULL. */
static ent *nidx_find(const nidx *x, ent *arr, wk_cstr module, wk_cstr name) {
  for (uint32_t h = wk_name_hash(name.s, name.len) & x->mask;; h = (h + 1) & x->mask) {
    uint32_t s = x->slot[h];
    if (!s) return NULL;
    if (nidx_same(x, &arr[s - 1], module, name)) return &arr[s - 1];
  }
}

/* Index item i of arr unless an earlier item has its names (the first one keeps the name). */
static void nidx_add(nidx *x, ent *arr, uint32_t i) {
  wk_cstr module = arr[i].module;
  uint32_t h = wk_name_hash(arr[i].name.s, arr[i].name.len) & x->mask;
  for (;; h = (h + 1) & x->mask) {
    uint32_t s = x->slot[h];
    if (!s) break;
    if (nidx_same(x, &arr[s - 1], module, arr[i].name)) return;
  }
  x->slot[h] = i + 1;
}

static const char *space_name(int s) {
  static const char *n[] = {"func", "table", "memory", "global", "tag", "core type", "module", "core instance",
                            "func", "value", "type", "component", "instance"};
  return n[s];
}

static inline int sort_space(wk_csort s) {
  if (s.sort == WK_CSORT_CORE) {
    switch (s.core_sort) {
      case WK_CCSORT_FUNC: return S_CFUNC;
      case WK_CCSORT_TABLE: return S_CTABLE;
      case WK_CCSORT_MEMORY: return S_CMEM;
      case WK_CCSORT_GLOBAL: return S_CGLOBAL;
      case WK_CCSORT_TAG: return S_CTAG;
      case WK_CCSORT_TYPE: return S_CTYPE;
      case WK_CCSORT_MODULE: return S_CMOD;
      case WK_CCSORT_INSTANCE: return S_CINST;
    }
    return -1;
  }
  switch (s.sort) {
    case WK_CSORT_FUNC: return S_FUNC;
    case WK_CSORT_VALUE: return S_VALUE;
    case WK_CSORT_TYPE: return S_TYPE;
    case WK_CSORT_COMPONENT: return S_COMP;
    case WK_CSORT_INSTANCE: return S_INST;
  }
  return -1;
}

static inline int get(V *v, scope *sc, int s, uint32_t idx, size_t off, uint32_t *out) {
  if (idx >= sc->sp[s].n) {
    if (s == S_CTYPE || s == S_TYPE) return verr(v, off, "%stype index out of bounds", s == S_CTYPE ? "core " : "");
    if (s == S_CMOD) return verr(v, off, "module index out of bounds");
    if (s == S_COMP) return verr(v, off, "component index out of bounds");
    if (s == S_INST) return verr(v, off, "instance index out of bounds");
    if (s == S_CINST) return verr(v, off, "core instance index out of bounds");
    return verr(v, off, "unknown %s %u: %s index out of bounds", space_name(s), idx, space_name(s));
  }
  *out = sc->sp[s].v[idx];
  return 0;
}

/* ---- names (Explainer.md "Import and Export Definitions") ------------- */

typedef struct lab { const char *s; size_t n; } lab;

/* label ::= fragment ('-' fragment)*, first fragment starts with a letter;
 * a fragment is all lowercase ([a-z0-9]+) or all uppercase ([A-Z0-9]+).
 * One table look-up per character (lab_class: 1 lower, 2 upper, 4 digit, 0 anything else
 * but '-'): the character tests were most of classifying a WASI component's names. */
enum { LC_LOWER = 1, LC_UPPER = 2, LC_DIGIT = 4 };
static const uint8_t lab_class[256] = {
  ['0'] = LC_DIGIT, ['1'] = LC_DIGIT, ['2'] = LC_DIGIT, ['3'] = LC_DIGIT, ['4'] = LC_DIGIT,
  ['5'] = LC_DIGIT, ['6'] = LC_DIGIT, ['7'] = LC_DIGIT, ['8'] = LC_DIGIT, ['9'] = LC_DIGIT,
  ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1,
  ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
  ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
  ['A'] = 2, ['B'] = 2, ['C'] = 2, ['D'] = 2, ['E'] = 2, ['F'] = 2, ['G'] = 2, ['H'] = 2, ['I'] = 2,
  ['J'] = 2, ['K'] = 2, ['L'] = 2, ['M'] = 2, ['N'] = 2, ['O'] = 2, ['P'] = 2, ['Q'] = 2, ['R'] = 2,
  ['S'] = 2, ['T'] = 2, ['U'] = 2, ['V'] = 2, ['W'] = 2, ['X'] = 2, ['Y'] = 2, ['Z'] = 2,
};
/* Eight bytes at a time (SWAR): per byte, the high bit of the result is set when the byte is
 * in [lo, hi] (all bytes below 0x80; the caller checks that) or equal to c. */
#define SW_ONES 0x0101010101010101ull
#define SW_HIGH 0x8080808080808080ull
static inline uint64_t sw_range(uint64_t y, unsigned lo, unsigned hi) {
  return (y + SW_ONES * (0x80 - lo)) & ~(y + SW_ONES * (0x7f - hi)) & SW_HIGH;
}
static inline uint64_t sw_eq(uint64_t y, unsigned c) {
  uint64_t z = y ^ (SW_ONES * c);
  return ~(((z & ~SW_HIGH) + ~SW_HIGH) | z) & SW_HIGH;
}
/* Word i of s for n >= 8 bytes: bytes 8i..8i+7, the last word the last 8 bytes (overlapping
 * the one before it; the tests below give the same answer for a byte seen twice). Byte k of the
 * word is bits 8k..8k+7 on every host (the "--" tests below shift towards later bytes). */
static inline uint64_t sw_word(const unsigned char *s, size_t n, size_t i) {
  uint64_t x;
  memcpy(&x, s + (i + 8 <= n ? i : n - 8), 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  x = __builtin_bswap64(x);
#endif
  return x;
}
/* Does s hold an ASCII upper-case letter? (check_name's canonical-form test) */
static int has_upper(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  if (n < 8) {
    for (size_t i = 0; i < n; i++) if (u[i] >= 'A' && u[i] <= 'Z') return 1;
    return 0;
  }
  for (size_t i = 0; i < n; i += 8) {
    uint64_t x = sw_word(u, n, i);
    if (sw_range(x & ~SW_HIGH, 'A', 'Z') & ~x) return 1;
  }
  return 0;
}
/* label_scan's common case for labels of 8 bytes or more: lower-case letters, digits and
 * single inner dashes, starting with a letter, eight bytes at a time (the per-character loop
 * below was ~7% of validating a WASI hello): 1 when s is such a label, 0 when label_scan must
 * decide. */
static int lower_label_fast(const unsigned char *u, size_t n) {
  if (n < 8 || u[0] < 'a' || u[0] > 'z' || u[n - 1] == '-') return 0;
  for (size_t i = 0; i < n; i += 8) {
    uint64_t x = sw_word(u, n, i);
    if (x & SW_HIGH) return 0; /* a byte >= 0x80 */
    uint64_t dash = sw_eq(x, '-');
    if ((sw_range(x, 'a', 'z') | sw_range(x, '0', '9') | dash) != SW_HIGH) return 0;
    if (dash & (dash << 8)) return 0; /* "--" in this word */
    if (i && (dash & 0x80) && u[i - 1] == '-' && i + 8 <= n) return 0; /* "--" across words */
  }
  return 1;
}
/* is_label, and in *any_upper whether a character is upper-case (words: none may be) */
static int label_scan(const char *s, size_t n, int *any_upper) {
  *any_upper = 0;
  if (!n) return 0;
  const unsigned char *u = (const unsigned char *)s;
  if (lower_label_fast(u, n)) return 1;
  if (!(lab_class[u[0]] & (LC_LOWER | LC_UPPER))) return 0; /* the first fragment starts with a letter */
  unsigned all = 0, frag = 0;
  for (size_t j = 0; j < n; j++) {
    unsigned c = lab_class[u[j]];
    if (c) { frag |= c; continue; }
    if (u[j] != '-' || !frag || (frag & 3) == 3) return 0; /* empty or mixed-case fragment */
    all |= frag;
    frag = 0;
  }
  if (!frag || (frag & 3) == 3) return 0;
  *any_upper = ((all | frag) & LC_UPPER) != 0;
  return 1;
}
static inline int is_label(const char *s, size_t n) {
  int up;
  return label_scan(s, n, &up);
}

static int is_words(const char *s, size_t n) {
  /* words ::= first-word ('-' word)* (lowercase only) */
  int up;
  return label_scan(s, n, &up) && !up;
}

/* Explainer.md "Import and Export Names": `valid semver` (semver.org 2.0.0) and
 * `canonversion` (🔗), parsed by lib/encode's one version parser (semver.h) */
static int is_semver(const char *s, size_t n) {
  wk_semver v;
  return wk_semver_parse(s, n, &v) && v.nparts == 3;
}
static int is_canonversion(const char *s, size_t n) {
  wk_semver v;
  return wk_semver_parse(s, n, &v) && wk_semver_is_canonical(&v);
}

/* interfacename ::= namespace ':' words '/' label ('@' (semver | canonversion))? */
static int is_interface(const char *s, size_t n, char *why, size_t whylen) {
  const char *colon = memchr(s, ':', n);
  if (!colon) { snprintf(why, whylen, "expected `:`"); return 0; }
  size_t ns = (size_t)(colon - s);
  int up;
  if (!label_scan(s, ns, &up)) { snprintf(why, whylen, "`%.*s` is not in kebab case", (int)ns, s); return 0; }
  if (up) { snprintf(why, whylen, "character is not lowercase in package name/namespace"); return 0; }
  const char *rest = colon + 1;
  size_t rn = n - ns - 1;
  const char *at = memchr(rest, '@', rn);
  size_t body = at ? (size_t)(at - rest) : rn;
  const char *slash = memchr(rest, '/', body);
  if (!slash) { snprintf(why, whylen, "expected `/` after package name"); return 0; }
  size_t pk = (size_t)(slash - rest);
  if (!label_scan(rest, pk, &up)) { snprintf(why, whylen, "`%.*s` is not in kebab case", (int)pk, rest); return 0; }
  if (up) { snprintf(why, whylen, "character is not lowercase in package name/namespace"); return 0; }
  const char *ifc = slash + 1;
  size_t in = body - pk - 1;
  if (memchr(ifc, '/', in)) { snprintf(why, whylen, "nested interface names require the `cm-nested-names` feature"); return 0; }
  if (!is_label(ifc, in)) { snprintf(why, whylen, "`%.*s` is not in kebab case", (int)in, ifc); return 0; }
  if (at && !is_semver(at + 1, rn - body - 1) && !is_canonversion(at + 1, rn - body - 1)) {
    snprintf(why, whylen, "`%.*s` is not a valid semver", (int)(rn - body - 1), at + 1);
    return 0;
  }
  return 1;
}

static int starts(const char *s, size_t n, const char *p) {
  size_t k = strlen(p);
  return n >= k && !memcmp(s, p, k);
}

/* Classify; for annotated names fill the resource label (r) and the item label. */
static int classify(const char *s, size_t n, lab *res, lab *item, int import, char *why, size_t whylen) {
  res->s = item->s = NULL;
  res->n = item->n = 0;
  why[0] = 0;
  if (n == 0) { snprintf(why, whylen, "name cannot be empty"); return WK_CNAME_INVALID; }
  if (s[0] == '[') {
    if (starts(s, n, "[constructor]")) {
      res->s = s + 13; res->n = n - 13;
      if (!is_label(res->s, res->n)) { snprintf(why, whylen, "`%.*s` is not in kebab case", (int)res->n, res->s); return WK_CNAME_INVALID; }
      return WK_CNAME_CONSTRUCTOR;
    }
    int kind = 0;
    size_t pl = 0;
    if (starts(s, n, "[method]")) { kind = WK_CNAME_METHOD; pl = 8; }
    else if (starts(s, n, "[static]")) { kind = WK_CNAME_STATIC; pl = 8; }
    if (!kind) { snprintf(why, whylen, "`%.*s` is not in kebab case", (int)n, s); return WK_CNAME_INVALID; }
    const char *b = s + pl;
    size_t bn = n - pl;
    const char *dot = memchr(b, '.', bn);
    if (!dot) { snprintf(why, whylen, "failed to find `.` character"); return WK_CNAME_INVALID; }
    res->s = b; res->n = (size_t)(dot - b);
    item->s = dot + 1; item->n = bn - res->n - 1;
    if (!is_label(res->s, res->n)) { snprintf(why, whylen, "`%.*s` is not in kebab case", (int)res->n, res->s); return WK_CNAME_INVALID; }
    if (!is_label(item->s, item->n)) { snprintf(why, whylen, "`%.*s` is not in kebab case", (int)item->n, item->s); return WK_CNAME_INVALID; }
    return kind;
  }
  /* (the locator forms all start with 'u', 'i' or 'l': other names skip their prefix tests) */
  if (import && (s[0] == 'u' || s[0] == 'i' || s[0] == 'l')) {
    if (starts(s, n, "url=")) {
      if (n < 6 || s[4] != '<') { snprintf(why, whylen, "expected `<` at `url=`"); return WK_CNAME_INVALID; }
      const char *gt = memchr(s + 5, '>', n - 5);
      if (!gt) { snprintf(why, whylen, "failed to find `>` character"); return WK_CNAME_INVALID; }
      if (memchr(s + 5, '<', (size_t)(gt - s - 5))) { snprintf(why, whylen, "url cannot contain `<`"); return WK_CNAME_INVALID; }
      size_t r = (size_t)(gt + 1 - s);
      if (r < n) {
        if (!starts(s + r, n - r, ",integrity=<")) { snprintf(why, whylen, "trailing characters found: `%.*s`", (int)(n - r), s + r); return WK_CNAME_INVALID; }
      }
      return WK_CNAME_URL;
    }
    if (starts(s, n, "integrity=")) {
      if (n < 12 || s[10] != '<') { snprintf(why, whylen, "expected `<` at `integrity=`"); return WK_CNAME_INVALID; }
      if (s[n - 1] != '>') { snprintf(why, whylen, "failed to find `>` character"); return WK_CNAME_INVALID; }
      const char *h = s + 11;
      size_t hn = n - 12;
      if (!hn) { snprintf(why, whylen, "integrity hash cannot be empty"); return WK_CNAME_INVALID; }
      /* SRI metadata: whitespace-separated `alg-base64[?opts]` tokens */
      size_t i = 0;
      int tokens = 0;
      while (i < hn) {
        while (i < hn && h[i] == ' ') i++;
        if (i >= hn) break;
        size_t j = i;
        while (j < hn && h[j] != ' ') j++;
        const char *dash = memchr(h + i, '-', j - i);
        if (!dash) { snprintf(why, whylen, "expected `-` after hash algorithm"); return WK_CNAME_INVALID; }
        size_t al = (size_t)(dash - h - i);
        if (!((al == 6 && (starts(h + i, al, "sha256") || starts(h + i, al, "sha384") || starts(h + i, al, "sha512"))))) {
          snprintf(why, whylen, "unrecognized hash algorithm"); return WK_CNAME_INVALID;
        }
        const char *c = dash + 1, *e = h + j;
        const char *q = memchr(c, '?', (size_t)(e - c));
        if (q) e = q;
        size_t nb = 0, pad = 0;
        for (; c < e; c++) {
          int b64 = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '+' || *c == '/';
          if (b64 && !pad) nb++;
          else if (*c == '=' && nb) pad++;
          else { nb = 0; break; }
        }
        if (!nb || pad > 2) { snprintf(why, whylen, "not valid base64"); return WK_CNAME_INVALID; }
        tokens++;
        i = j;
      }
      if (!tokens) { snprintf(why, whylen, "integrity hash cannot be empty"); return WK_CNAME_INVALID; }
      return WK_CNAME_HASH;
    }
    if (starts(s, n, "locked-dep=") || starts(s, n, "unlocked-dep=")) {
      size_t pl = s[0] == 'l' ? 11 : 13;
      if (n <= pl || s[pl] != '<') { snprintf(why, whylen, "expected `<` at `%.*s`", (int)(n - pl), s + pl); return WK_CNAME_INVALID; }
      /* the closing `>` ends the name or precedes `,integrity=<...>` (version ranges contain `>=`) */
      size_t endn = n;
      for (size_t k = pl; k + 12 <= n; k++)
        if (!memcmp(s + k, ",integrity=<", 12)) { endn = k; break; }
      if (endn == 0 || s[endn - 1] != '>') { snprintf(why, whylen, "failed to find `>` character"); return WK_CNAME_INVALID; }
      const char *gt = s + endn - 1;
      const char *b = s + pl + 1;
      size_t bn = (size_t)(gt - b);
      const char *colon = memchr(b, ':', bn);
      if (!colon) { snprintf(why, whylen, "expected `:`"); return WK_CNAME_INVALID; }
      const char *at = memchr(b, '@', bn);
      size_t body = at ? (size_t)(at - b) : bn;
      size_t ns = (size_t)(colon - b);
      if (!is_words(b, ns) || !is_words(colon + 1, body - ns - 1)) { snprintf(why, whylen, "`%.*s` is not in kebab case", (int)body, b); return WK_CNAME_INVALID; }
      if (at) {
        const char *vv = at + 1;
        size_t vn = bn - body - 1;
        if (s[0] == 'l') {
          if (!is_semver(vv, vn)) { snprintf(why, whylen, "`%.*s` is not a valid semver", (int)vn, vv); return WK_CNAME_INVALID; }
        } else {
          /* version range: '*' | '{' ... '}' */
          if (!(vn == 1 && vv[0] == '*') && !(vn >= 2 && vv[0] == '{' && vv[vn - 1] == '}')) {
            snprintf(why, whylen, "expected `*` or `{` at start of version range"); return WK_CNAME_INVALID;
          }
          if (vv[0] == '{') {
            const char *in = vv + 1;
            size_t inn = vn - 2;
            if (starts(in, inn, ">=")) {
              const char *sp = memchr(in, ' ', inn);
              size_t a = sp ? (size_t)(sp - in) : inn;
              if (!is_semver(in + 2, a - 2)) { snprintf(why, whylen, "`%.*s` is not a valid semver", (int)(a - 2), in + 2); return WK_CNAME_INVALID; }
              if (sp) {
                if (!starts(sp + 1, inn - a - 1, "<")) { snprintf(why, whylen, "expected `<`"); return WK_CNAME_INVALID; }
                if (!is_semver(sp + 2, inn - a - 2)) { snprintf(why, whylen, "is not a valid semver"); return WK_CNAME_INVALID; }
              }
            } else if (starts(in, inn, "<")) {
              if (!is_semver(in + 1, inn - 1)) { snprintf(why, whylen, "is not a valid semver"); return WK_CNAME_INVALID; }
            } else { snprintf(why, whylen, "expected `>=` or `<` at start of version range"); return WK_CNAME_INVALID; }
          }
        }
      }
      size_t r = (size_t)(gt + 1 - s);
      if (r < n && !starts(s + r, n - r, ",integrity=<")) {
        snprintf(why, whylen, "trailing characters found: `%.*s`", (int)(n - r), s + r); return WK_CNAME_INVALID;
      }
      return WK_CNAME_DEPENDENCY;
    }
  }
  if (memchr(s, ':', n)) {
    if (!is_interface(s, n, why, whylen)) return WK_CNAME_INVALID;
    return WK_CNAME_INTERFACE;
  }
  if (!is_label(s, n)) { snprintf(why, whylen, "`%.*s` is not in kebab case", (int)n, s); return WK_CNAME_INVALID; }
  return WK_CNAME_PLAIN;
}

int wk_cname_classify(const char *s, size_t n) {
  lab r, i;
  char why[128];
  return classify(s, n, &r, &i, 1, why, sizeof why);
}

/* Strongly-unique canonical form (Explainer.md "Name Uniqueness"). */
static size_t canon_name(const char *s, size_t n, char *out, size_t cap) {
  size_t k = 0;
  const char *b = s;
  size_t bn = n;
  if (starts(s, n, "[method]") || starts(s, n, "[static]")) {
    b = s + 8; bn = n - 8;
    const char *dot = memchr(b, '.', bn);
    if (dot) {
      size_t r = (size_t)(dot - b);
      size_t it = bn - r - 1;
      int same = r == it;
      for (size_t i = 0; same && i < r; i++) {
        char x = b[i], y = dot[1 + i];
        if (x >= 'A' && x <= 'Z') x += 32;
        if (y >= 'A' && y <= 'Z') y += 32;
        same = x == y;
      }
      if (same) bn = r;
    }
  }
  for (size_t i = 0; i < bn && k < cap; i++) {
    char c = b[i];
    if (c >= 'A' && c <= 'Z') c += 32;
    out[k++] = c;
  }
  return k;
}

static int is_locator_name(wk_cstr a) {
  if (!a.len || (a.s[0] != 'u' && a.s[0] != 'i' && a.s[0] != 'l')) return 0;
  return starts(a.s, a.len, "url=") || starts(a.s, a.len, "integrity=") || starts(a.s, a.len, "locked-dep=") ||
         starts(a.s, a.len, "unlocked-dep=");
}

static int name_conflict(wk_cstr a, wk_cstr b) {
  char x[512], y[512];
  /* names of different lengths conflict only through canon_name's [method]/[static] forms (every
   * other case below compares equal lengths): the common case, before any canonicalization */
  if (a.len != b.len && !(a.len && a.s[0] == '[') && !(b.len && b.s[0] == '[')) return 0;
  if (is_locator_name(a) || is_locator_name(b)) return streq(a, b);
  if (a.len > 500 || b.len > 500) return streq(a, b);
  size_t nx = canon_name(a.s, a.len, x, sizeof x), ny = canon_name(b.s, b.len, y, sizeof y);
  return nx == ny && !memcmp(x, y, nx);
}

/* ---- type helpers --------------------------------------------------- */

static int vv_eq(V *v, vv a, vv b, uint32_t *map, uint32_t nmap);

#define MAX_TYPE_SIZE 1000000u
static uint32_t vv_size(V *v, vv x) { return x.prim ? 1 : v->t[x.id].size; }
static uint32_t sat_add(uint32_t a, uint32_t b) { return a > MAX_TYPE_SIZE || b > MAX_TYPE_SIZE ? MAX_TYPE_SIZE + 1 : a + b; }
/* Recompute the size of a freshly built type; returns -1 past the limit. */
static inline int set_size(V *v, uint32_t id, size_t off) {
  vt *t = &v->t[id];
  uint32_t sz = 1;
  if (t->kind == T_DEF || t->kind == T_FUNC) {
    for (uint32_t i = 0; i < t->n; i++) if (t->elems && (t->kind == T_FUNC || t->has[i])) sz = sat_add(sz, vv_size(v, t->elems[i]));
    if (t->has_a) sz = sat_add(sz, vv_size(v, t->a));
    if (t->has_b) sz = sat_add(sz, vv_size(v, t->b));
  } else if (t->kind == T_INST || t->kind == T_COMP) {
    for (uint32_t i = 0; i < t->nim; i++) sz = sat_add(sz, v->t[t->im[i].id].size);
    for (uint32_t i = 0; i < t->nex; i++) sz = sat_add(sz, v->t[t->ex[i].id].size);
  }
  t->size = sz;
  if (sz > MAX_TYPE_SIZE) return verr(v, off, "effective type size exceeds the limit of %u", MAX_TYPE_SIZE);
  return 0;
}

static uint32_t mapres(uint32_t id, uint32_t *map, uint32_t nmap) {
  for (uint32_t i = 0; i < nmap; i++) if (map[2 * i] == id) return map[2 * i + 1];
  return id;
}
/* The resource an exported alias stands for (equal for typing, distinct for naming). */
static uint32_t rcanon(V *v, uint32_t id) {
  for (int k = 0; k < 8 && v->t[id].kind == T_RES && v->t[id].alias1; k++) id = v->t[id].alias1 - 1;
  return id;
}

/* A resource for comparison: mapped (bound) and through its aliases. */
static uint32_t rres(V *v, uint32_t id, uint32_t *map, uint32_t nmap) {
  for (int k = 0; k < 64; k++) {
    id = mapres(id, map, nmap);
    if (v->t[id].kind != T_RES || !v->t[id].alias1) break;
    id = v->t[id].alias1 - 1;
  }
  return id;
}

static int def_eq(V *v, uint32_t a, uint32_t b, uint32_t *map, uint32_t nmap) {
  if (a == b) return 1;
  vt *x = &v->t[a], *y = &v->t[b];
  if (x->kind == T_RES || y->kind == T_RES) {
    if (x->kind != y->kind) return 0;
    return rres(v, a, map, nmap) == rres(v, b, map, nmap);
  }
  if (x->kind != y->kind) return 0;
  if (x->kind == T_FUNC) {
    if (x->n != y->n || x->has_a != y->has_a) return 0;
    for (uint32_t i = 0; i < x->n; i++)
      if (!streq(x->labels[i], y->labels[i]) || !vv_eq(v, x->elems[i], y->elems[i], map, nmap)) return 0;
    return !x->has_a || vv_eq(v, x->a, y->a, map, nmap);
  }
  if (x->kind != T_DEF) return 0;
  if (x->code != y->code) return 0;
  switch (x->code) {
    case WK_CTC_RECORD: case WK_CTC_VARIANT: case WK_CTC_TUPLE: case WK_CTC_FLAGS: case WK_CTC_ENUM:
      if (x->n != y->n) return 0;
      for (uint32_t i = 0; i < x->n; i++) {
        if (x->code != WK_CTC_TUPLE && !streq(x->labels[i], y->labels[i])) return 0;
        if (x->code == WK_CTC_FLAGS || x->code == WK_CTC_ENUM) continue;
        if (x->has[i] != y->has[i]) return 0;
        if (x->has[i] && !vv_eq(v, x->elems[i], y->elems[i], map, nmap)) return 0;
      }
      return 1;
    case WK_CTC_OWN: case WK_CTC_BORROW: return rres(v, x->res, map, nmap) == rres(v, y->res, map, nmap);
    default:
      if (x->has_a != y->has_a || x->has_b != y->has_b) return 0;
      if (x->code == WK_CTC_FIXED_LIST && x->res != y->res) return 0;
      if (x->has_a && !vv_eq(v, x->a, y->a, map, nmap)) return 0;
      if (x->has_b && !vv_eq(v, x->b, y->b, map, nmap)) return 0;
      return 1;
  }
}

static int vv_eq(V *v, vv a, vv b, uint32_t *map, uint32_t nmap) {
  if (a.prim || b.prim) {
    /* a defined type that is just a primitive equals that primitive */
    if (!a.prim && v->t[a.id].kind == T_DEF && v->t[a.id].code >= WK_CTC_ERROR_CONTEXT && v->t[a.id].code == b.prim) return 1;
    if (!b.prim && v->t[b.id].kind == T_DEF && v->t[b.id].code >= WK_CTC_ERROR_CONTEXT && v->t[b.id].code == a.prim) return 1;
    return a.prim == b.prim;
  }
  return def_eq(v, a.id, b.id, map, nmap);
}

/* Visit every resource id reachable from type `id`. Resources exported as
 * types by instance/component types are reported with bound = 1. */
typedef int (*resfn)(V *v, uint32_t res, int bound, void *ctx);
static int walk_res(V *v, uint32_t id, resfn fn, void *ctx, int depth) {
  if (depth > 200) return 0;
  vt *t = &v->t[id];
  switch (t->kind) {
    case T_RES: return fn(v, id, 0, ctx);
    case T_DEF:
      if (t->code == WK_CTC_OWN || t->code == WK_CTC_BORROW) return fn(v, t->res, 0, ctx);
      for (uint32_t i = 0; i < t->n; i++)
        if (t->elems && t->has[i] && !t->elems[i].prim) TRY(walk_res(v, t->elems[i].id, fn, ctx, depth + 1));
      if (t->has_a && !t->a.prim) TRY(walk_res(v, t->a.id, fn, ctx, depth + 1));
      if (t->has_b && !t->b.prim) TRY(walk_res(v, t->b.id, fn, ctx, depth + 1));
      return 0;
    case T_FUNC:
      for (uint32_t i = 0; i < t->n; i++)
        if (!t->elems[i].prim) TRY(walk_res(v, t->elems[i].id, fn, ctx, depth + 1));
      if (t->has_a && !t->a.prim) TRY(walk_res(v, t->a.id, fn, ctx, depth + 1));
      return 0;
    case T_INST: case T_COMP:
      for (uint32_t i = 0; i < t->nim; i++) {
        if (t->im[i].kind == WK_CSORT_TYPE && v->t[t->im[i].id].kind == T_RES) TRY(fn(v, t->im[i].id, 1, ctx));
        else TRY(walk_res(v, t->im[i].id, fn, ctx, depth + 1));
      }
      for (uint32_t i = 0; i < t->nex; i++) {
        if (t->ex[i].kind == WK_CSORT_TYPE && v->t[t->ex[i].id].kind == T_RES) TRY(fn(v, t->ex[i].id, 1, ctx));
        else if (t->ex[i].kind != WK_CSORT_CORE) TRY(walk_res(v, t->ex[i].id, fn, ctx, depth + 1));
      }
      return 0;
  }
  return 0;
}

/* ---- canonical ABI (lib/canonabi: CanonicalABI.md "Flattening", "Type Predicates") ----
 *
 * A value type is handed to lib/canonabi as a wk_cabi_type; the trees share
 * nodes by type id (memoized in v->cabi), so their walks are bounded by the
 * effective type size (MAX_TYPE_SIZE) like the type table's own walks. */

static const wk_cabi_type *cabi_prim(uint8_t code) {
  /* Binary.md primvaltype codes 0x7f bool .. 0x73 string, 0x64 error-context */
  static const wk_cabi_type prims[] = {
      {.kind = WK_CABI_BOOL}, {.kind = WK_CABI_S8},  {.kind = WK_CABI_U8},  {.kind = WK_CABI_S16},
      {.kind = WK_CABI_U16},  {.kind = WK_CABI_S32}, {.kind = WK_CABI_U32}, {.kind = WK_CABI_S64},
      {.kind = WK_CABI_U64},  {.kind = WK_CABI_F32}, {.kind = WK_CABI_F64}, {.kind = WK_CABI_CHAR},
      {.kind = WK_CABI_STRING}};
  static const wk_cabi_type errctx = {.kind = WK_CABI_ERROR_CONTEXT}, other = {.kind = WK_CABI_U32};
  if (code >= WK_CTC_STRING && code <= WK_CTC_BOOL) return &prims[WK_CTC_BOOL - code];
  if (code == WK_CTC_ERROR_CONTEXT) return &errctx;
  return &other; /* not a value type the ABI knows: one i32, as before */
}

#define CABI_CHUNK 128u
static const wk_cabi_type *cabi_of(V *v, vv x, int depth);

static const wk_cabi_type *cabi_of_node(V *v, uint32_t id, int depth) {
  const vt *t = &v->t[id];
  if (t->kind != T_DEF) return cabi_prim(0);
  if (t->code >= WK_CTC_STRING || t->code == WK_CTC_ERROR_CONTEXT) return cabi_prim(t->code);
  wk_cabi_type *c = v_alloc(v, sizeof *c);
  if (!c) return NULL;
  uint32_t nk = 0;
  switch (t->code) {
    case WK_CTC_RECORD: c->kind = WK_CABI_RECORD; c->n = t->n; nk = t->n; break;
    case WK_CTC_TUPLE: c->kind = WK_CABI_TUPLE; c->n = t->n; nk = t->n; break;
    case WK_CTC_VARIANT: c->kind = WK_CABI_VARIANT; c->n = t->n; nk = t->n; break;
    case WK_CTC_FLAGS: c->kind = WK_CABI_FLAGS; c->n = t->n; return c;
    case WK_CTC_ENUM: c->kind = WK_CABI_ENUM; c->n = t->n; return c;
    case WK_CTC_LIST: c->kind = WK_CABI_LIST; nk = 1; break;
    case WK_CTC_FIXED_LIST: c->kind = WK_CABI_LIST; c->length = t->res; nk = 1; break;
    case WK_CTC_OPTION: c->kind = WK_CABI_OPTION; nk = 1; break;
    case WK_CTC_RESULT: c->kind = WK_CABI_RESULT; nk = 2; break;
    case WK_CTC_MAP: c->kind = WK_CABI_MAP; nk = 2; break;
    case WK_CTC_OWN: c->kind = WK_CABI_OWN; return c;
    case WK_CTC_BORROW: c->kind = WK_CABI_BORROW; return c;
    case WK_CTC_STREAM: c->kind = WK_CABI_STREAM; return c;
    case WK_CTC_FUTURE: c->kind = WK_CABI_FUTURE; return c;
    default: return cabi_prim(0);
  }
  const wk_cabi_type **k = v_alloc(v, (nk ? nk : 1) * sizeof *k);
  if (!k) return NULL;
  if (c->kind == WK_CABI_RECORD || c->kind == WK_CABI_TUPLE || c->kind == WK_CABI_VARIANT) {
    for (uint32_t i = 0; i < nk; i++) {
      if (c->kind == WK_CABI_VARIANT && !t->has[i]) continue; /* a case without payload */
      if (!(k[i] = cabi_of(v, t->elems[i], depth + 1))) return NULL;
    }
  } else if (c->kind == WK_CABI_RESULT || c->kind == WK_CABI_MAP) {
    if (t->has_a && !(k[0] = cabi_of(v, t->a, depth + 1))) return NULL;
    if (t->has_b && !(k[1] = cabi_of(v, t->b, depth + 1))) return NULL;
  } else if (!(k[0] = cabi_of(v, t->a, depth + 1))) {
    return NULL;
  }
  c->children = k;
  return c;
}

/* The canonical ABI type of `x`, or NULL (out of memory, or nested deeper than canonabi walks). */
static const wk_cabi_type *cabi_of(V *v, vv x, int depth) {
  if (x.prim) return cabi_prim(x.prim);
  if (depth > WK_CABI_MAX_DEPTH) { v->cabi_deep = 1; return NULL; }
  uint32_t hi = x.id / CABI_CHUNK;
  if (hi >= v->ncabi) {
    /* sized by the type table's capacity, not its count: re-sizing as types were added copied
     * this memo ~20 times for a WASI hello */
    uint32_t nc = (v->tcap > x.id ? v->tcap : x.id + 1) / CABI_CHUNK + 1;
    const wk_cabi_type ***m = v_alloc(v, (size_t)nc * sizeof *m);
    if (!m) return NULL;
    if (v->ncabi) memcpy(m, v->cabi, v->ncabi * sizeof *m);
    v->cabi = m;
    v->ncabi = nc;
  }
  if (!v->cabi[hi] && !(v->cabi[hi] = v_alloc(v, CABI_CHUNK * sizeof **v->cabi))) return NULL;
  const wk_cabi_type **slot = &v->cabi[hi][x.id % CABI_CHUNK];
  if (!*slot) {
    const wk_cabi_type *c = cabi_of_node(v, x.id, depth);
    slot = &v->cabi[hi][x.id % CABI_CHUNK];
    *slot = c;
  }
  return *slot;
}

/* CanonicalABI.md contains_borrow (function results may not hold borrows). */
static int contains_borrow(V *v, vv x, int *bad) {
  const wk_cabi_type *t = cabi_of(v, x, 0);
  if (!t) { *bad = v->cabi_deep ? 1 : 2; return 0; }
  return wk_cabi_contains_borrow(t);
}

/* Flattened core types of a signature part: the first FLAT_MAX, the full count, and whether
 * values go through linear memory (strings, lists). */
#define FLAT_MAX 17
typedef struct flat {
  uint8_t t[FLAT_MAX + 1];
  uint32_t n;
  int has_mem; /* strings or lists inside */
} flat;

/* flatten_type and uses-memory of one canonical ABI type, kept: lowered and lifted functions
 * share their parameter and result types (handles, error results), which were flattened again
 * for every function. */
typedef struct fmemo {
  const wk_cabi_type *k; /* NULL: empty slot */
  uint32_t n;            /* flattened count (the first FLAT_MAX in t) */
  uint8_t t[FLAT_MAX];
  uint8_t mem;
} fmemo;

static fmemo *fmemo_slot(const V *v, const wk_cabi_type *k) {
  uint32_t h = (uint32_t)(((uintptr_t)k >> 4) * 2654435761u) & (v->fmcap - 1);
  while (v->fm[h].k && v->fm[h].k != k) h = (h + 1) & (v->fmcap - 1);
  return &v->fm[h];
}

/* Append flatten_type(x) to `f` (wk_cabi_flatten with 4-byte pointers: the
 * validator has no memory64). Returns -1 with the error set. */
static int flatten(V *v, vv x, flat *f, size_t off) {
  const wk_cabi_type *t = cabi_of(v, x, 0);
  if (!t) return v->cabi_deep ? verr(v, off, "type nested too deeply for the canonical ABI") : vnomem(v);
  fmemo *m = v->fmcap ? fmemo_slot(v, t) : NULL;
  if (!m || !m->k) {
    wk_cabi_core out[FLAT_MAX];
    uint32_t n = 0;
    wk_error e;
    if (wk_cabi_flatten(t, 4, out, FLAT_MAX, &n, &e)) return verr(v, off, "%s", e.msg); /* (not kept) */
    if ((v->fmn + 1) * 2 > v->fmcap) {
      uint32_t nc = v->fmcap ? v->fmcap * 2 : 64;
      fmemo *nm = v_alloc(v, (size_t)nc * sizeof *nm);
      if (!nm) return vnomem(v);
      fmemo *old = v->fm;
      uint32_t oc = v->fmcap;
      v->fm = nm;
      v->fmcap = nc;
      for (uint32_t i = 0; i < oc; i++) if (old[i].k) *fmemo_slot(v, old[i].k) = old[i];
    }
    m = fmemo_slot(v, t);
    m->k = t;
    m->n = n;
    for (uint32_t i = 0; i < n && i < FLAT_MAX; i++) m->t[i] = (uint8_t)out[i];
    m->mem = (uint8_t)(wk_cabi_uses_memory(t) != 0);
    v->fmn++;
  }
  for (uint32_t i = 0; i < m->n && f->n + i < FLAT_MAX; i++) f->t[f->n + i] = m->t[i];
  f->n = f->n > UINT32_MAX - m->n ? UINT32_MAX : f->n + m->n;
  if (m->mem) f->has_mem = 1;
  return 0;
}

static void fmt_types(char *buf, size_t cap, const uint8_t *t, uint32_t n) {
  size_t k = 0;
  buf[0] = 0;
  k += (size_t)snprintf(buf + k, cap - k, "[");
  for (uint32_t i = 0; i < n && k < cap; i++) {
    const char *s = t[i] == WK_I32 ? "I32" : t[i] == WK_I64 ? "I64" : t[i] == WK_F32 ? "F32" : t[i] == WK_F64 ? "F64" : "?";
    k += (size_t)snprintf(buf + k, cap - k, "%s%s", i ? ", " : "", s);
  }
  if (k < cap) snprintf(buf + k, cap - k, "]");
}

/* ---- core types ----------------------------------------------------- */

static int core_func_eq(V *v, uint32_t a, uint32_t b) {
  vt *x = &v->t[a], *y = &v->t[b];
  if (x->unknown || y->unknown) return 1;
  return x->np == y->np && x->nr == y->nr && !memcmp(x->p, y->p, x->np) && !memcmp(x->r, y->r, x->nr);
}

static uint32_t mk_cfunc(V *v, const uint8_t *p, uint32_t np, const uint8_t *r, uint32_t nr) {
  uint32_t id = newtype(v, T_CFUNC);
  if (id == UINT32_MAX) return id;
  uint8_t *buf = v_raw(v, np + nr + 1);
  if (!buf) return UINT32_MAX;
  memcpy(buf, p, np);
  memcpy(buf + np, r, nr);
  v->t[id].p = buf;
  v->t[id].r = buf + np;
  v->t[id].np = np;
  v->t[id].nr = nr;
  return id;
}

static const char *core_kind_name(uint8_t kind) {
  return kind <= WK_CCSORT_TAG ? wk_ct_core_sort_name(kind) : "?"; /* core:sort = core externtype kind */
}

/* Core extern subtyping: `a` (provided) matches `b` (expected). */
static int core_sub(V *v, uint8_t kind_a, uint32_t a, uint8_t kind_b, uint32_t b, char *why, size_t wl) {
  if (kind_a != kind_b) {
    snprintf(why, wl, "expected %s, found %s", core_kind_name(kind_b), core_kind_name(kind_a));
    return 0;
  }
  vt *x = &v->t[a], *y = &v->t[b];
  switch (kind_a) {
    case 0: case 4:
      if (!core_func_eq(v, a, b)) { snprintf(why, wl, "type mismatch"); return 0; }
      return 1;
    case 1:
      if (x->unknown || y->unknown) return 1;
      if (x->reftype != y->reftype) {
        snprintf(why, wl, "expected table element type %s, found %s", y->reftype == WK_FUNCREF ? "funcref" : "externref",
                 x->reftype == WK_FUNCREF ? "funcref" : "externref");
        return 0;
      }
      /* fallthrough */
    case 2:
      if ((x->lim.flags & 4) != (y->lim.flags & 4)) { snprintf(why, wl, "mismatch in index type used for memories"); return 0; }
      if ((x->lim.flags & 2) != (y->lim.flags & 2)) { snprintf(why, wl, "mismatch in the shared flag for memories"); return 0; }
      if (x->lim.min < y->lim.min) { snprintf(why, wl, "mismatch in %s limits", kind_a == 1 ? "table" : "memory"); return 0; }
      if (y->lim.flags & 1) {
        if (!(x->lim.flags & 1) || x->lim.max > y->lim.max) { snprintf(why, wl, "mismatch in %s limits", kind_a == 1 ? "table" : "memory"); return 0; }
      }
      return 1;
    case 3:
      if (x->unknown || y->unknown) return 1;
      if (x->valtype != y->valtype || x->mut != y->mut) {
        snprintf(why, wl, "expected global type %s, found %s", y->valtype == WK_I64 ? "i64" : "i32", x->valtype == WK_I64 ? "i64" : "i32");
        return 0;
      }
      return 1;
  }
  return 1;
}

/* Read a core module's types, imports and exports into a T_CMOD type. */
typedef struct mrd {
  const uint8_t *d;
  size_t end, pos, base;
  V *v;
} mrd;

static int mfail(mrd *r, const char *msg) {
  wk_error_at(r->v->err, WK_ERR_MALFORMED, r->base + r->pos, "%s", msg);
  return -1;
}
static inline int mb(mrd *r, uint8_t *b) {
  if (r->pos >= r->end) return mfail(r, "unexpected end");
  *b = r->d[r->pos++];
  return 0;
}
static inline int mu(mrd *r, uint64_t *x, unsigned bits) {
  /* leb.h's reader, inline (its one-byte fast path takes most counts and indices) */
  uint64_t v = 0;
  if (wk_leb_u(r->d, r->end, &r->pos, bits, &v, NULL, r->v->err)) {
    if (r->v->err) r->v->err->offset += r->base;
    return -1;
  }
  *x = v;
  return 0;
}
static inline int mname(mrd *r, wk_cstr *s) {
  uint64_t n;
  TRY(mu(r, &n, 32));
  if (n > r->end - r->pos) return mfail(r, "unexpected end");
  s->s = (const char *)r->d + r->pos;
  s->len = (uint32_t)n;
  r->pos += n;
  return 0;
}
static inline int mvaltype(mrd *r, uint8_t *out, int *unknown) {
  uint8_t b;
  TRY(mb(r, &b));
  *out = b;
  if (b == 0x63 || b == 0x64) {
    uint8_t h;
    *unknown = 1;
    do { TRY(mb(r, &h)); } while (h & 0x80);
  } else if (!((b >= 0x7b && b <= 0x7f) || (b >= 0x69 && b <= 0x74))) {
    return mfail(r, "malformed value type");
  }
  return 0;
}
static int mlimits(mrd *r, wk_corelimits *l) {
  uint64_t x;
  TRY(mb(r, &l->flags));
  TRY(mu(r, &l->min, (l->flags & 4) ? 64 : 32));
  if (l->flags & 1) TRY(mu(r, &l->max, (l->flags & 4) ? 64 : 32));
  if (l->flags & 8) { TRY(mu(r, &x, 32)); l->page_log2 = (uint32_t)x; }
  return 0;
}

static int core_extern_read(mrd *r, uint8_t kind, space *types, uint32_t *out) {
  V *v = r->v;
  uint32_t id = 0;
  uint64_t x;
  int unk = 0;
  switch (kind) {
    case 0:
      TRY(mu(r, &x, 32));
      if (x >= types->n) return verr(v, r->base + r->pos, "unknown type %u: type index out of bounds", (unsigned)x);
      *out = types->v[x];
      if (v->t[*out].kind != T_CFUNC) return verr(v, r->base + r->pos, "type index %u is not a function type", (unsigned)x);
      return 0;
    case 1:
      NEWTYPE(v, id, T_CTABLE);
      TRY(mvaltype(r, &v->t[id].reftype, &unk));
      v->t[id].unknown = (uint8_t)unk;
      TRY(mlimits(r, &v->t[id].lim));
      *out = id;
      return 0;
    case 2:
      NEWTYPE(v, id, T_CMEM);
      TRY(mlimits(r, &v->t[id].lim));
      *out = id;
      return 0;
    case 3:
      NEWTYPE(v, id, T_CGLOBAL);
      TRY(mvaltype(r, &v->t[id].valtype, &unk));
      v->t[id].unknown = (uint8_t)unk;
      TRY(mb(r, &v->t[id].mut));
      *out = id;
      return 0;
    case 4: {
      uint8_t a;
      TRY(mb(r, &a));
      TRY(mu(r, &x, 32));
      if (x >= types->n) return verr(v, r->base + r->pos, "type index out of bounds");
      *out = types->v[x];
      return 0;
    }
  }
  return mfail(r, "malformed import kind");
}

static int core_functype_read(mrd *r, uint32_t *out) {
  uint64_t np, nr;
  int unk = 0;
  TRY(mu(r, &np, 32));
  if (np > r->end - r->pos) return mfail(r, "unexpected end");
  uint8_t *p = v_raw(r->v, np + 1);
  if (!p) return vnomem(r->v);
  for (uint64_t i = 0; i < np; i++) TRY(mvaltype(r, &p[i], &unk));
  TRY(mu(r, &nr, 32));
  if (nr > r->end - r->pos) return mfail(r, "unexpected end");
  uint8_t *q = v_raw(r->v, nr + 1);
  if (!q) return vnomem(r->v);
  for (uint64_t i = 0; i < nr; i++) TRY(mvaltype(r, &q[i], &unk));
  /* p and q are already the type's own copies (in the arena): no mk_cfunc copy */
  uint32_t id = newtype(r->v, T_CFUNC);
  if (id == UINT32_MAX) return vnomem(r->v);
  r->v->t[id].p = p;
  r->v->t[id].r = q;
  r->v->t[id].np = (uint32_t)np;
  r->v->t[id].nr = (uint32_t)nr;
  r->v->t[id].unknown = (uint8_t)unk;
  *out = id;
  return 0;
}

static int module_type(V *v, const uint8_t *d, size_t len, size_t base, uint32_t *out) {
  wk_section_iter it;
  wk_section s;
  if (wk_sections_begin(&it, d, len, v->err)) { if (v->err) v->err->offset += base; return -1; }
  if (it.kind != WK_BIN_MODULE) return verr(v, base, "expected a core module");
  space types = {0}, funcs = {0}, tables = {0}, mems = {0}, globals = {0}, tags = {0};
  uint32_t id = 0;
  NEWTYPE(v, id, T_CMOD);
  uint32_t imcap = 0, excap = 0;
  int rc;
  uint8_t last = 0;
  while ((rc = wk_sections_next(&it, &s, v->err)) == 1) {
    mrd r = {.d = d, .end = s.end, .pos = s.payload_offset, .base = base, .v = v};
    uint64_t n;
    if (s.id != 0) {
      /* Core 5.5.2 order: type import func table mem tag global export start elem datacount code data */
      static const uint8_t ranks[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};
      uint8_t rank = s.id < 14 ? ranks[s.id] : 99;
      if (rank == 99) return verr(v, base + s.offset, "malformed section id");
      if (rank <= last && last) return verr(v, base + s.offset, "section out of order");
      last = rank;
    }
    switch (s.id) {
      case 1:
        TRY(mu(&r, &n, 32));
        for (uint64_t i = 0; i < n; i++) {
          uint8_t b;
          TRY(mb(&r, &b));
          if (b == WK_CTC_CORE_FUNC) {
            uint32_t f = 0;
            TRY(core_functype_read(&r, &f));
            TRY(push(v, &types, f));
          } else {
            /* GC type: skip the rest of this section; functions of these types are unknown */
            uint32_t f = 0;
            NEWTYPE(v, f, T_CFUNC);
            v->t[f].unknown = 1;
            TRY(push(v, &types, f));
            r.pos = r.end;
            break;
          }
        }
        break;
      case 2: {
        TRY(mu(&r, &n, 32));
        if (n <= r.end - r.pos) TRY(reserve_ent(v, &v->t[id].im, v->t[id].nim, &imcap, v->t[id].nim + n));
        /* (one import section: nim is 0 here unless the section is repeated, which the order
         * check above refuses) */
        nidx ix = {0};
        if (n > NIDX_MIN && n <= r.end - r.pos && !v->t[id].nim) TRY(nidx_init(v, &ix, (uint32_t)n, 1));
        for (uint64_t i = 0; i < n; i++) {
          ent e = {0};
          uint32_t t = 0;
          TRY(mname(&r, &e.module));
          TRY(mname(&r, &e.name));
          TRY(mb(&r, &e.kind));
          TRY(core_extern_read(&r, e.kind, &types, &t));
          e.id = t;
          int dup = 0;
          if (ix.slot) dup = nidx_find(&ix, v->t[id].im, e.module, e.name) != NULL;
          else
            for (uint32_t k = 0; k < v->t[id].nim && !dup; k++)
              dup = streq(v->t[id].im[k].name, e.name) && streq(v->t[id].im[k].module, e.module); /* (names differ more) */
          if (dup)
            return verr(v, base + r.pos, "duplicate import name `%.*s:%.*s`", (int)e.module.len, e.module.s,
                        (int)e.name.len, e.name.s);
          TRY(push_ent(v, &v->t[id].im, &v->t[id].nim, &imcap, e));
          if (ix.slot) nidx_add(&ix, v->t[id].im, v->t[id].nim - 1);
          space *sp = e.kind == WK_CCSORT_FUNC ? &funcs : e.kind == WK_CCSORT_TABLE ? &tables : e.kind == WK_CCSORT_MEMORY ? &mems : e.kind == WK_CCSORT_GLOBAL ? &globals : &tags;
          TRY(push(v, sp, t));
        }
        break;
      }
      case 3:
        TRY(mu(&r, &n, 32));
        for (uint64_t i = 0; i < n; i++) {
          uint64_t x;
          TRY(mu(&r, &x, 32));
          if (x >= types.n) return verr(v, base + r.pos, "unknown type %u: type index out of bounds", (unsigned)x);
          TRY(push(v, &funcs, types.v[x]));
        }
        break;
      case 4: case 5: case 6: case 13:
        TRY(mu(&r, &n, 32));
        for (uint64_t i = 0; i < n; i++) {
          uint32_t t = 0;
          if (s.id == 6) {
            /* global: type + init expr: stop after the type (init exprs are not needed) */
            TRY(core_extern_read(&r, 3, &types, &t));
            TRY(push(v, &globals, t));
            /* skip the constant expression up to its `end` (best effort for simple ones) */
            for (;;) {
              uint8_t op;
              TRY(mb(&r, &op));
              if (op == WK_OP_END) break;
              if (op == WK_OP_I32_CONST || op == WK_OP_I64_CONST || op == WK_OP_GLOBAL_GET || op == WK_OP_REF_FUNC) { uint64_t x; TRY(mu(&r, &x, 64)); }
              else if (op == WK_OP_F32_CONST) r.pos += 4;
              else if (op == WK_OP_F64_CONST) r.pos += 8;
              else if (op == WK_OP_REF_NULL) { uint8_t h; TRY(mb(&r, &h)); }
              else if (op == 0xfd) { uint64_t x; TRY(mu(&r, &x, 32)); r.pos += 16; }
              else { r.pos = r.end; break; }
              if (r.pos > r.end) return mfail(&r, "unexpected end");
            }
            if (r.pos >= r.end) break;
          } else {
            TRY(core_extern_read(&r, s.id == 4 ? 1 : s.id == 5 ? 2 : 4, &types, &t));
            TRY(push(v, s.id == 4 ? &tables : s.id == 5 ? &mems : &tags, t));
            if (s.id == 4 && r.pos < r.end && v->t[t].reftype == 0x40) { r.pos = r.end; break; }
          }
        }
        break;
      case 7:
        TRY(mu(&r, &n, 32));
        if (n <= r.end - r.pos) TRY(reserve_ent(v, &v->t[id].ex, v->t[id].nex, &excap, v->t[id].nex + n));
        for (uint64_t i = 0; i < n; i++) {
          ent e = {0};
          uint64_t x;
          TRY(mname(&r, &e.name));
          TRY(mb(&r, &e.kind));
          TRY(mu(&r, &x, 32));
          space *sp = e.kind == WK_CCSORT_FUNC ? &funcs : e.kind == WK_CCSORT_TABLE ? &tables : e.kind == WK_CCSORT_MEMORY ? &mems : e.kind == WK_CCSORT_GLOBAL ? &globals : &tags;
          if (e.kind > 4) return mfail(&r, "malformed export kind");
          if (x >= sp->n) return verr(v, base + r.pos, "unknown %s %u", core_kind_name(e.kind), (unsigned)x);
          e.id = sp->v[x];
          TRY(push_ent(v, &v->t[id].ex, &v->t[id].nex, &excap, e));
        }
        break;
    }
  }
  if (rc < 0) { if (v->err) v->err->offset += base; return -1; }
  *out = id;
  return 0;
}

/* ---- component-level ------------------------------------------------ */

static int validate_component(V *v, const wk_component *c, scope *parent, uint32_t *out);

static int ctype_def(V *v, scope *sc, const wk_ctype *t, uint32_t *out);

static inline int resolve_vv(V *v, scope *sc, wk_cvaltype x, size_t off, vv *out) {
  if (x.prim) { out->prim = x.prim; out->id = 0; return 0; }
  uint32_t id = 0;
  TRY(get(v, sc, S_TYPE, x.idx, off, &id));
  if (v->t[id].kind != T_DEF) return verr(v, off, "type index %u is not a defined type", x.idx);
  out->prim = 0;
  out->id = id;
  return 0;
}

static inline int label_check(V *v, wk_cstr l, const char *what, size_t off) {
  if (!l.len) return verr(v, off, "%s name cannot be empty", what);
  if (!is_label(l.s, l.len)) return verr(v, off, "%s name `%.*s` is not in kebab case", what, (int)l.len, l.s);
  return 0;
}

/* name_conflict for two labels (is_label: [a-zA-Z0-9-] only, so no locator or [method] form and
 * canon_name is just lower-casing): equal length and equal ignoring ASCII case. Canonicalizing
 * both labels of every pair was 8% of validating a WASI-importing component (callgrind). */
static int label_conflict(wk_cstr a, wk_cstr b) {
  if (a.len != b.len) return 0;
  for (size_t i = 0; i < a.len; i++)
    if ((a.s[i] | 0x20) != (b.s[i] | 0x20)) return 0; /* '-' and digits already have 0x20 set */
  return 1;
}

/* A hash of a label ignoring ASCII case (label_conflict's equality): length and the first,
 * middle and last bytes with 0x20 set. */
static uint32_t label_hash(wk_cstr a) {
  uint32_t n = a.len, h = n * 0x9e3779b1u;
  if (n) {
    const unsigned char *s = (const unsigned char *)a.s;
    h ^= (s[0] | 0x20u) * 0x85ebca6bu ^ (s[n - 1] | 0x20u) * 0xc2b2ae35u ^ (s[n / 2] | 0x20u) * 0x27d4eb2fu;
  }
  return h ^ (h >> 15);
}

static int labels_unique(V *v, const wk_cfield *f, uint32_t n, const char *what, const char *prev, size_t off) {
  /* Pairs compared up to 16 labels; past that, earlier labels are found by a hash of their
   * case-folded form (a WASI error-code enum has ~37 cases: 666 pairs). Labels checked so far
   * conflict with none before them, and conflicting is equality ignoring case, so at most one
   * earlier label conflicts with a new one: the error names the same pair. */
  uint32_t *slot = NULL, mask = 0;
  if (n > 16 && n < (1u << 28)) {
    uint32_t cap = 64;
    while (cap < 2 * n) cap *= 2;
    if (!(slot = v_alloc(v, (size_t)cap * sizeof *slot))) return vnomem(v);
    mask = cap - 1;
  }
  for (uint32_t i = 0; i < n; i++) {
    TRY(label_check(v, f[i].name, what, off));
    if (slot) {
      uint32_t h = label_hash(f[i].name) & mask;
      for (; slot[h]; h = (h + 1) & mask)
        if (label_conflict(f[i].name, f[slot[h] - 1].name)) {
          uint32_t j = slot[h] - 1;
          return verr(v, off, "%s name `%.*s` conflicts with previous %s name `%.*s`", what, (int)f[i].name.len,
                      f[i].name.s, prev, (int)f[j].name.len, f[j].name.s);
        }
      slot[h] = i + 1;
      continue;
    }
    for (uint32_t j = 0; j < i; j++)
      if (label_conflict(f[i].name, f[j].name))
        return verr(v, off, "%s name `%.*s` conflicts with previous %s name `%.*s`", what, (int)f[i].name.len,
                    f[i].name.s, prev, (int)f[j].name.len, f[j].name.s);
  }
  return 0;
}

static int decl_scope(V *v, scope *parent, const wk_cdecl *decls, uint32_t n, int kind, uint32_t *out);

/* Explainer.md "Value Types": keytype ::= bool | s8 | u8 | s16 | u16 | s32 |
 * u32 | s64 | u64 | char | string (Binary.md: (map k v) if k is in keytype).
 * A type index naming such a primitive counts as that primitive. */
static int map_key_ok(V *v, vv k, size_t off) {
  uint8_t p = k.prim;
  if (!p && v->t[k.id].kind == T_DEF && wk_ct_is_prim(v->t[k.id].code)) p = v->t[k.id].code;
  if (p && p != WK_CTC_F32 && p != WK_CTC_F64 && p != WK_CTC_ERROR_CONTEXT) return 0;
  return verr(v, off, "map key type must be a primitive integer, bool, char or string type");
}

/* Does defined type `id` hold a fixed-length list (directly in a child)? Only
 * those types can reach the element-size limit, so only they are measured. */
static int vv_fixed(V *v, vv x) { return !x.prim && v->t[x.id].kind == T_DEF && v->t[x.id].fixed; }
static int def_has_fixed(V *v, uint32_t id) {
  vt *t = &v->t[id];
  int f = t->code == WK_CTC_FIXED_LIST;
  for (uint32_t i = 0; i < t->n && !f; i++) if (t->elems && t->has[i] && vv_fixed(v, t->elems[i])) f = 1;
  if (t->has_a && vv_fixed(v, t->a)) f = 1;
  if (t->has_b && vv_fixed(v, t->b)) f = 1;
  v->t[id].fixed = (uint8_t)f;
  return f;
}

/* CanonicalABI.md "Element Size": validation requires elem_size(t, 'i64') <
 * 2^28 for every defvaltype t (the bound of MAX_LIST_BYTE_LENGTH). */
static const wk_cabi_type *cabi_of(V *v, vv x, int depth);
static int elem_size_ok(V *v, uint32_t id, size_t off) {
  const wk_cabi_type *ct = cabi_of(v, (vv){0, id}, 0);
  if (!ct) return v->cabi_deep ? 0 : vnomem(v);
  wk_cabi_layout l;
  wk_error e;
  wk_error_clear(&e);
  if (wk_cabi_layout_of(ct, 8, &l, &e)) return verr(v, off, "type exceeds maximum byte size (elem_size must be below 2^28)");
  return 0;
}

static int ctype_def(V *v, scope *sc, const wk_ctype *t, uint32_t *out) {
  uint32_t id = 0;
  size_t off = t->offset;
  uint8_t c = t->code;
  if (wk_ct_is_prim(c)) {
    NEWTYPE(v, id, T_DEF);
    v->t[id].code = c;
    *out = id;
    return 0;
  }
  switch (c) {
    case WK_CTC_FUNC: case WK_CTC_ASYNC_FUNC: {
      if (c == WK_CTC_ASYNC_FUNC) return verr(v, off, "async functions require the component model async feature");
      TRY(labels_unique(v, t->fields, t->n, "function parameter", "parameter", off));
      NEWTYPE(v, id, T_FUNC);
      vt *f = &v->t[id];
      f->n = t->n;
      f->labels = v_raw(v, t->n * sizeof(wk_cstr));
      f->elems = v_raw(v, t->n * sizeof(vv));
      f->has = v_raw(v, t->n + 1);
      if (!f->labels || !f->elems || !f->has) return vnomem(v);
      for (uint32_t i = 0; i < t->n; i++) {
        vv x;
        TRY(resolve_vv(v, sc, t->fields[i].type, off, &x));
        f = &v->t[id];
        f->labels[i] = t->fields[i].name;
        f->elems[i] = x;
        f->has[i] = 1;
      }
      if (t->nresults) return verr(v, off, "function with named results is not supported");
      if (!t->results_none) {
        vv x;
        TRY(resolve_vv(v, sc, t->a, off, &x));
        int bad = 0;
        if (contains_borrow(v, x, &bad)) return verr(v, off, "function result cannot contain a `borrow` type");
        if (bad == 1) return verr(v, off, "type nested too deeply for the canonical ABI");
        if (bad) return vnomem(v);
        v->t[id].has_a = 1;
        v->t[id].a = x;
      }
      TRY(set_size(v, id, off));
      *out = id;
      return 0;
    }
    case WK_CTC_COMPONENT: case WK_CTC_INSTANCE:
      return decl_scope(v, sc, t->decls, t->ndecls, c == WK_CTC_COMPONENT ? 1 : 2, out);
    case WK_CTC_RESOURCE: {
      if (sc->kind != 0) return verr(v, off, "resources can only be defined within a concrete component");
      if (t->has_dtor) {
        uint32_t f = 0;
        TRY(get(v, sc, S_CFUNC, t->dtor, off, &f));
        vt *ft = &v->t[f];
        if (!ft->unknown && !(ft->np == 1 && ft->p[0] == WK_I32 && ft->nr == 0))
          return verr(v, off, "wrong signature for a destructor");
      }
      NEWTYPE(v, id, T_RES);
      v->t[id].local = 1;
      v->t[id].owner = sc->serial;
      *out = id;
      return 0;
    }
  }
  /* defined value types */
  NEWTYPE(v, id, T_DEF);
  v->t[id].code = c;
  uint32_t n = t->n;
  switch (c) {
    case WK_CTC_RECORD:
      if (!n) return verr(v, off, "record type must have at least one field");
      TRY(labels_unique(v, t->fields, n, "record field", "field", off));
      break;
    case WK_CTC_VARIANT:
      if (!n) return verr(v, off, "variant type must have at least one case");
      TRY(labels_unique(v, t->fields, n, "variant case", "case", off));
      break;
    case WK_CTC_TUPLE: if (!n) return verr(v, off, "tuple type must have at least one type"); break;
    case WK_CTC_FLAGS:
      if (!n) return verr(v, off, "flags must have at least one entry");
      if (n > 32) return verr(v, off, "cannot have more than 32 flags");
      TRY(labels_unique(v, t->fields, n, "flag", "flag", off));
      break;
    case WK_CTC_ENUM:
      if (!n) return verr(v, off, "enum type must have at least one variant");
      TRY(labels_unique(v, t->fields, n, "enum tag", "tag", off));
      break;
    case WK_CTC_FIXED_LIST:
      if (!(v->flags & WK_CVALIDATE_CM_FIXED_LISTS))
        return verr(v, off, "fixed-length lists require the `cm-fixed-length-lists` feature");
      /* Binary.md: (list t len) (if len > 0) */
      if (t->idx == 0) return verr(v, off, "Fixed-length lists must have more than zero elements");
      if (t->idx > (1u << 30)) return verr(v, off, "fixed-length list element count exceeds limit of %u", 1u << 30);
      break;
    case WK_CTC_STREAM: case WK_CTC_FUTURE: return verr(v, off, "streams and futures require the component model async feature");
    case WK_CTC_MAP:
      if (!(v->flags & WK_CVALIDATE_CM_MAP)) return verr(v, off, "maps require the `cm-map` feature");
      break;
  }
  if (n) {
    vt *d = &v->t[id];
    d->n = n;
    d->labels = v_raw(v, n * sizeof(wk_cstr));
    d->elems = v_raw(v, n * sizeof(vv));
    d->has = v_raw(v, n);
    if (!d->labels || !d->elems || !d->has) return vnomem(v);
    for (uint32_t i = 0; i < n; i++) {
      vv x = {0, 0};
      if (t->fields[i].has_type) TRY(resolve_vv(v, sc, t->fields[i].type, off, &x));
      d = &v->t[id];
      d->labels[i] = t->fields[i].name;
      d->elems[i] = x;
      d->has[i] = t->fields[i].has_type;
      if (c == WK_CTC_VARIANT && t->fields[i].has_refines) return verr(v, off, "variant case refines is not supported");
    }
  }
  if (t->has_a) { vv x; TRY(resolve_vv(v, sc, t->a, off, &x)); v->t[id].has_a = 1; v->t[id].a = x; }
  if (t->has_b) { vv x; TRY(resolve_vv(v, sc, t->b, off, &x)); v->t[id].has_b = 1; v->t[id].b = x; }
  if (c == WK_CTC_OWN || c == WK_CTC_BORROW) {
    uint32_t r = 0;
    TRY(get(v, sc, S_TYPE, t->idx, off, &r));
    if (v->t[r].kind != T_RES) return verr(v, off, "type index %u is not a resource type", t->idx);
    v->t[id].res = r;
  }
  if (c == WK_CTC_FIXED_LIST) v->t[id].res = t->idx; /* the length (compared by types_eq, read by cabi_of_node) */
  if (c == WK_CTC_MAP) TRY(map_key_ok(v, v->t[id].a, off));
  TRY(set_size(v, id, off));
  if (def_has_fixed(v, id)) TRY(elem_size_ok(v, id, off));
  *out = id;
  return 0;
}

/* Instance export lookup. */
static inline ent *find_ent(ent *arr, uint32_t n, wk_cstr name) {
  for (uint32_t i = 0; i < n; i++) if (streq(arr[i].name, name)) return &arr[i];
  return NULL;
}


static const char *ekind_name(uint8_t k) {
  if (k == WK_CSORT_CORE) return "module"; /* externtype 0x00 0x11 */
  const char *n = wk_ct_sort_name(k);
  return n ? n : "?";
}

/* Component entity subtyping: `a` provided, `b` expected (Explainer
 * "Subtyping"). `map` binds b's abstract resources to a's (grows). */
struct rmap;
typedef struct rmap {
  uint32_t *m;
  uint32_t n, cap;
  uint32_t minkey; /* the least id mapped (valid when n > 0) */
  V *v;
  /* subst memo (old id -> substituted id), so a type reached along several
   * paths is copied once and stays one node (open addressing, keys ~0 = empty) */
  uint32_t *mk, *mv;
  uint32_t mcap, mn;
} rmap;

static uint32_t memo_get(const rmap *m, uint32_t id) {
  if (!m->mcap) return UINT32_MAX;
  for (uint32_t h = (id * 2654435761u) & (m->mcap - 1);; h = (h + 1) & (m->mcap - 1)) {
    if (m->mk[h] == id) return m->mv[h];
    if (m->mk[h] == UINT32_MAX) return UINT32_MAX;
  }
}
static void memo_put(rmap *m, uint32_t id, uint32_t to) {
  if ((m->mn + 1) * 2 > m->mcap) {
    uint32_t nc = m->mcap ? m->mcap * 2 : 64;
    uint32_t *k = v_raw(m->v, (size_t)nc * sizeof *k), *val = v_raw(m->v, (size_t)nc * sizeof *val); /* (k set below) */
    if (!k || !val) return; /* the memo is an optimisation of sharing only */
    memset(k, 0xff, (size_t)nc * sizeof *k);
    uint32_t *ok = m->mk, *ov = m->mv, oc = m->mcap;
    m->mk = k; m->mv = val; m->mcap = nc; m->mn = 0;
    for (uint32_t i = 0; i < oc; i++) if (ok[i] != UINT32_MAX) memo_put(m, ok[i], ov[i]);
  }
  uint32_t h = (id * 2654435761u) & (m->mcap - 1);
  while (m->mk[h] != UINT32_MAX && m->mk[h] != id) h = (h + 1) & (m->mcap - 1);
  if (m->mk[h] == UINT32_MAX) m->mn++;
  m->mk[h] = id;
  m->mv[h] = to;
}

static int rmap_add(rmap *m, uint32_t from, uint32_t to) {
  if (m->n == m->cap) {
    uint32_t nc = m->cap ? m->cap * 2 : 16;
    uint32_t *p = v_raw(m->v, (size_t)nc * 2 * sizeof *p);
    if (!p) return -1;
    if (m->m) memcpy(p, m->m, (size_t)m->n * 2 * sizeof *p);
    m->m = p;
    m->cap = nc;
  }
  m->m[2 * m->n] = from;
  m->m[2 * m->n + 1] = to;
  if (!m->n || from < m->minkey) m->minkey = from;
  m->n++;
  if (m->mn) { memset(m->mk, 0xff, (size_t)m->mcap * sizeof *m->mk); m->mn = 0; } /* results depend on the map */
  return 0;
}

static int ent_sub(V *v, uint8_t kind, uint32_t a, uint32_t b, rmap *m, char *why, size_t wl, int depth);

static int inst_sub(V *v, uint32_t a, uint32_t b, rmap *m, char *why, size_t wl, int depth) {
  vt *x = &v->t[a], *y = &v->t[b];
  for (uint32_t i = 0; i < y->nex; i++) {
    ent *want = &y->ex[i];
    ent *have = find_ent(x->ex, x->nex, want->name);
    if (!have) { snprintf(why, wl, "missing expected export `%.*s`", (int)want->name.len, want->name.s); return 0; }
    if (have->kind != want->kind) {
      snprintf(why, wl, "type mismatch in instance export `%.*s`: expected %s, found %s", (int)want->name.len,
               want->name.s, ekind_name(want->kind), ekind_name(have->kind));
      return 0;
    }
    if (want->kind == WK_CSORT_TYPE && v->t[want->id].kind == T_RES && v->t[have->id].kind == T_RES &&
        mapres(want->id, m->m, m->n) == want->id && !v->t[want->id].local && !v->t[want->id].eq1) {
      /* abstract resource in the expected type: bind it (an `(eq r)` alias is checked, not bound) */
      if (rmap_add(m, want->id, have->id)) return -1;
      continue;
    }
    if (want->kind == WK_CSORT_TYPE && v->t[want->id].kind != T_RES && want->id != have->id &&
        mapres(want->id, m->m, m->n) == want->id && def_eq(v, have->id, want->id, m->m, m->n)) {
      if (rmap_add(m, want->id, have->id)) return -1;
      continue;
    }
    if (!ent_sub(v, want->kind, have->id, want->id, m, why, wl, depth + 1)) {
      char inner[200];
      snprintf(inner, sizeof inner, "%.150s", why);
      snprintf(why, wl, "type mismatch in instance export `%.*s`: %s", (int)(want->name.len > 40 ? 40 : want->name.len), want->name.s, inner);
      return 0;
    }
  }
  return 1;
}

static int ent_sub(V *v, uint8_t kind, uint32_t a, uint32_t b, rmap *m, char *why, size_t wl, int depth) {
  if (depth > 100) return 1;
  vt *x = &v->t[a], *y = &v->t[b];
  switch (kind) {
    case WK_CSORT_FUNC:
      if (x->kind != T_FUNC || y->kind != T_FUNC) { snprintf(why, wl, "expected func"); return 0; }
      if (x->n != y->n) { snprintf(why, wl, "expected %u parameters, found %u", y->n, x->n); return 0; }
      for (uint32_t i = 0; i < x->n; i++) {
        if (!streq(x->labels[i], y->labels[i])) {
          snprintf(why, wl, "expected parameter named `%.*s`, found `%.*s`", (int)y->labels[i].len, y->labels[i].s,
                   (int)x->labels[i].len, x->labels[i].s);
          return 0;
        }
        if (!vv_eq(v, x->elems[i], y->elems[i], m->m, m->n)) {
          snprintf(why, wl, "type mismatch in function parameter `%.*s`", (int)x->labels[i].len, x->labels[i].s);
          return 0;
        }
      }
      if (x->has_a != y->has_a) { snprintf(why, wl, y->has_a ? "expected a result, found none" : "expected no result, found one"); return 0; }
      if (x->has_a && !vv_eq(v, x->a, y->a, m->m, m->n)) { snprintf(why, wl, "type mismatch with result type"); return 0; }
      return 1;
    case WK_CSORT_TYPE:
      if ((x->kind == T_RES) != (y->kind == T_RES)) {
        snprintf(why, wl, y->kind == T_RES ? "expected resource, found defined type" : "expected defined type, found resource");
        return 0;
      }
      if (x->kind == T_RES) {
        uint32_t mb = mapres(b, m->m, m->n);
        if (rres(v, a, m->m, m->n) == rres(v, b, m->m, m->n)) return 1;
        /* an abstract resource of the expected type seen for the first time binds */
        if (mb == b && !y->local && !y->eq1) { if (rmap_add(m, b, a)) return -1; return 1; }
        snprintf(why, wl, "resource types are not the same");
        return 0;
      }
      if (!def_eq(v, a, b, m->m, m->n)) { snprintf(why, wl, "type mismatch"); return 0; }
      return 1;
    case WK_CSORT_INSTANCE:
      if (x->kind != T_INST) { snprintf(why, wl, "expected instance, found %s", x->kind == T_COMP ? "component" : "other"); return 0; }
      return inst_sub(v, a, b, m, why, wl, depth);
    case WK_CSORT_COMPONENT: {
      if (x->kind != T_COMP) { snprintf(why, wl, "expected component, found instance"); return 0; }
      /* every import of a must be satisfiable by b's imports; every export of b present in a */
      for (uint32_t i = 0; i < x->nim; i++) {
        ent *need = &x->im[i];
        ent *have = find_ent(y->im, y->nim, need->name);
        if (!have) { snprintf(why, wl, "missing expected import `%.*s`", (int)need->name.len, need->name.s); return 0; }
        if (have->kind != need->kind || !ent_sub(v, need->kind, have->id, need->id, m, why, wl, depth + 1)) {
          snprintf(why, wl, "type mismatch in import `%.*s`", (int)need->name.len, need->name.s);
          return 0;
        }
      }
      for (uint32_t i = 0; i < y->nex; i++) {
        ent *want = &y->ex[i];
        ent *have = find_ent(x->ex, x->nex, want->name);
        if (!have) { snprintf(why, wl, "missing expected export `%.*s`", (int)want->name.len, want->name.s); return 0; }
        if (have->kind != want->kind || !ent_sub(v, want->kind, have->id, want->id, m, why, wl, depth + 1)) {
          snprintf(why, wl, "type mismatch in export `%.*s`", (int)want->name.len, want->name.s);
          return 0;
        }
      }
      return 1;
    }
    case WK_CSORT_CORE: {
      if (x->kind != T_CMOD) return 0;
      for (uint32_t i = 0; i < x->nim; i++) {
        ent *need = &x->im[i];
        ent *have = NULL;
        for (uint32_t k = 0; k < y->nim; k++)
          if (streq(y->im[k].module, need->module) && streq(y->im[k].name, need->name)) have = &y->im[k];
        if (!have) { snprintf(why, wl, "missing expected import `%.*s::%.*s`", (int)need->module.len, need->module.s, (int)need->name.len, need->name.s); return 0; }
        if (!core_sub(v, have->kind, have->id, need->kind, need->id, why, wl)) return 0;
      }
      for (uint32_t i = 0; i < y->nex; i++) {
        ent *want = &y->ex[i];
        ent *have = find_ent(x->ex, x->nex, want->name);
        if (!have) { snprintf(why, wl, "missing expected export `%.*s`", (int)want->name.len, want->name.s); return 0; }
        if (!core_sub(v, have->kind, have->id, want->kind, want->id, why, wl)) return 0;
      }
      return 1;
    }
  }
  return 1;
}

/* Substitute mapped resources in type `id` (deep copy when anything changes). */
static uint32_t subst(V *v, uint32_t id, rmap *m, int depth);

static vv subst_vv(V *v, vv x, rmap *m, int depth) {
  if (!x.prim) x.id = subst(v, x.id, m, depth + 1);
  return x;
}

static uint32_t subst_raw(V *v, uint32_t id, rmap *m, int depth);
static uint32_t subst(V *v, uint32_t id, rmap *m, int depth) {
  if (!m->n || depth > 100 || id == UINT32_MAX) return id;
  /* A value type or resource refers only to nodes made before it (lower ids: newtype appends,
   * ctype_def and eq_copy only look up existing types, subst copies children first, and nodes
   * are not changed once made), so nothing reachable from one below every mapped id is mapped:
   * freshening an instance type's resources skips the outer types it aliases. (Not instance
   * and component nodes: instantiate() makes its instance before the copies it exports.) */
  if (id < m->minkey && (v->t[id].kind == T_DEF || v->t[id].kind == T_FUNC || v->t[id].kind == T_RES)) return id;
  uint32_t r = memo_get(m, id);
  if (r != UINT32_MAX) return r;
  r = subst_raw(v, id, m, depth);
  if (r != UINT32_MAX) memo_put(m, id, r);
  return r;
}
static uint32_t subst_raw(V *v, uint32_t id, rmap *m, int depth) {
  uint32_t mapped = mapres(id, m->m, m->n);
  if (mapped != id) return mapped;
  vt t = v->t[id];
  switch (t.kind) {
    case T_RES: {
      if (!t.eq1) return mapres(id, m->m, m->n);
      /* an alias made by an `(eq r)` type import/export follows its resource */
      uint32_t e = subst(v, t.eq1 - 1, m, depth + 1);
      if (e == UINT32_MAX || e == t.eq1 - 1) return e == UINT32_MAX ? e : id;
      uint32_t nid = newtype(v, T_RES);
      if (nid == UINT32_MAX) return nid;
      v->t[nid] = t;
      v->t[nid].eq1 = v->t[nid].alias1 = e + 1;
      return nid;
    }
    case T_DEF: case T_FUNC: {
      int changed = 0;
      vv *el = NULL;
      uint32_t res = t.res;
      if (t.code == WK_CTC_OWN || t.code == WK_CTC_BORROW) {
        /* a resource alias (eq copy) follows its resource through subst */
        res = v->t[t.res].eq1 ? subst(v, t.res, m, depth + 1) : mapres(t.res, m->m, m->n);
        if (res == UINT32_MAX) return res;
        changed = res != t.res;
      }
      if (t.n && t.elems) {
        el = v_raw(v, t.n * sizeof(vv));
        if (!el) return UINT32_MAX;
        for (uint32_t i = 0; i < t.n; i++) {
          el[i] = t.has[i] ? subst_vv(v, t.elems[i], m, depth) : t.elems[i];
          if (el[i].id != t.elems[i].id) changed = 1;
        }
      }
      vv a = t.has_a ? subst_vv(v, t.a, m, depth) : t.a;
      vv b = t.has_b ? subst_vv(v, t.b, m, depth) : t.b;
      if (a.id != t.a.id || b.id != t.b.id) changed = 1;
      uint32_t eq1 = t.eq1;
      if (eq1) {
        uint32_t e = subst(v, eq1 - 1, m, depth + 1);
        if (e == UINT32_MAX) return e;
        if (e != eq1 - 1) changed = 1;
        eq1 = e + 1;
      }
      if (!changed) return id;
      uint32_t nid = newtype(v, t.kind);
      if (nid == UINT32_MAX) return nid;
      v->t[nid] = t;
      if (el) v->t[nid].elems = el;
      v->t[nid].a = a;
      v->t[nid].b = b;
      v->t[nid].res = res;
      v->t[nid].eq1 = eq1;
      return nid;
    }
    case T_INST: case T_COMP: {
      int changed = 0;
      ent *im = NULL, *ex = NULL;
      if (t.nim) {
        im = v_raw(v, t.nim * sizeof(ent));
        if (!im) return UINT32_MAX;
        for (uint32_t i = 0; i < t.nim; i++) {
          im[i] = t.im[i];
          if (im[i].kind) im[i].id = subst(v, t.im[i].id, m, depth + 1);
          if (im[i].id != t.im[i].id) changed = 1;
        }
      }
      if (t.nex) {
        ex = v_raw(v, t.nex * sizeof(ent));
        if (!ex) return UINT32_MAX;
        for (uint32_t i = 0; i < t.nex; i++) {
          ex[i] = t.ex[i];
          if (ex[i].kind) ex[i].id = subst(v, t.ex[i].id, m, depth + 1);
          if (ex[i].id != t.ex[i].id) changed = 1;
        }
      }
      if (!changed) return id;
      uint32_t nid = newtype(v, t.kind);
      if (nid == UINT32_MAX) return nid;
      v->t[nid] = t;
      v->t[nid].im = im;
      v->t[nid].ex = ex;
      return nid;
    }
  }
  return id;
}

/* Names of types (Binary.md "Import and Export Definitions": every resource
 * and nominal type -- record, variant, enum, flags -- used by an import or
 * export must have been introduced by a preceding import (for imports) or
 * import/export (for exports)). */
static inline int is_nominal(V *v, uint32_t id) {
  vt *t = &v->t[id];
  if (t->kind == T_RES) return 1;
  return t->kind == T_DEF && (t->code == WK_CTC_RECORD || t->code == WK_CTC_VARIANT || t->code == WK_CTC_FLAGS || t->code == WK_CTC_ENUM);
}
static int in_space(space *s, uint32_t id) {
  for (uint32_t i = 0; i < s->n; i++) if (s->v[i] == id) return 1;
  return 0;
}

static uint32_t id_hash(uint32_t id) { return (id + 1) * 2654435761u; }
static inline int idset_has(const idset *s, uint32_t id) {
  if (!s->cap) {
    for (uint32_t i = 0; i < s->n; i++) if (s->sm[i] == id) return 1;
    return 0;
  }
  for (uint32_t h = id_hash(id) >> 8 & (s->cap - 1);; h = (h + 1) & (s->cap - 1)) {
    if (s->h[h] == id + 1) return 1;
    if (!s->h[h]) return 0;
  }
}
static inline void idset_put(idset *s, uint32_t id) { /* (room checked by the caller) */
  uint32_t h = id_hash(id) >> 8 & (s->cap - 1);
  while (s->h[h] && s->h[h] != id + 1) h = (h + 1) & (s->cap - 1);
  if (!s->h[h]) { s->h[h] = id + 1; s->n++; }
}
/* Add id (no-op when present); -1 out of memory. */
static int idset_add(V *v, idset *s, uint32_t id) {
  if (id == UINT32_MAX) return 0; /* (never a type id) */
  if (!s->cap) {
    for (uint32_t i = 0; i < s->n; i++) if (s->sm[i] == id) return 0;
    if (s->n < IDSET_SMALL) { s->sm[s->n++] = id; return 0; }
  }
  if ((s->n + 1) * 2 > s->cap) {
    if (s->cap >= (1u << 30)) return vnomem(v);
    uint32_t nc = s->cap ? s->cap * 2 : 64;
    uint32_t *nh = v_alloc(v, (size_t)nc * sizeof *nh);
    if (!nh) return vnomem(v);
    idset o = *s;
    s->h = nh; s->cap = nc; s->n = 0;
    if (!o.cap) for (uint32_t i = 0; i < o.n; i++) idset_put(s, o.sm[i]);
    for (uint32_t i = 0; i < o.cap; i++) if (o.h[i]) idset_put(s, o.h[i] - 1);
  }
  idset_put(s, id);
  return 0;
}
/* The i-th id of s for i < idset_slots(s), or UINT32_MAX for an empty slot. */
static uint32_t idset_slots(const idset *s) { return s->cap ? s->cap : s->n; }
static uint32_t idset_at(const idset *s, uint32_t i) { return s->cap ? s->h[i] - 1 : s->sm[i]; }

/* Visit the type references of `id`: nominal references with bound = 0,
 * types exported by instance/component types with bound = 1. `self`:
 * also consider `id` itself as a reference. */
typedef int (*namefn)(V *v, uint32_t id, int bound, void *ctx);
typedef struct namectx { idset *named; int bad; idset bound; int res_only; scope *outer; int import; space refs; } namectx;
/* The bound types (bound = 1), and the references check_named would look at (kept in refs, checked once the
 * walk has seen every bound type): one walk instead of two */
static int collect_bound_refs(V *v, uint32_t id, int bound, void *ctx) {
  namectx *n = ctx;
  if (bound) return idset_add(v, &n->bound, id);
  if (n->res_only && v->t[id].kind != T_RES) return 0;
  return push(v, &n->refs, id);
}
/* `vals` = 0: not into defined and function types (value types), which hold no bound types: for
 * a caller that only wants those reports (freshen: the value types were most of its walk). */
static int walk_names_(V *v, uint32_t id, namefn fn, void *ctx, int self, int depth, int vals);
static int walk_names(V *v, uint32_t id, namefn fn, void *ctx, int self, int depth) {
  return walk_names_(v, id, fn, ctx, self, depth, 1);
}
static inline int walk_vv(V *v, vv x, namefn fn, void *ctx, int depth) {
  if (x.prim) return 0;
  return walk_names(v, x.id, fn, ctx, 1, depth + 1);
}
static int walk_names_(V *v, uint32_t id, namefn fn, void *ctx, int self, int depth, int vals) {
  if (depth > 200) return 0;
  vt *t = &v->t[id];
  if (self && is_nominal(v, id)) return fn(v, id, 0, ctx);
  switch (t->kind) {
    case T_DEF:
      if (!vals) return 0;
      if (t->code == WK_CTC_OWN || t->code == WK_CTC_BORROW) return fn(v, t->res, 0, ctx);
      for (uint32_t i = 0; i < t->n; i++)
        if (t->elems && t->has[i]) TRY(walk_vv(v, t->elems[i], fn, ctx, depth));
      if (t->has_a) TRY(walk_vv(v, t->a, fn, ctx, depth));
      if (t->has_b) TRY(walk_vv(v, t->b, fn, ctx, depth));
      return 0;
    case T_FUNC:
      if (!vals) return 0;
      for (uint32_t i = 0; i < t->n; i++) TRY(walk_vv(v, t->elems[i], fn, ctx, depth));
      if (t->has_a) TRY(walk_vv(v, t->a, fn, ctx, depth));
      return 0;
    case T_INST: case T_COMP:
      for (int pass = 0; pass < 2; pass++) {
        ent *arr = pass ? t->ex : t->im;
        uint32_t n = pass ? t->nex : t->nim;
        for (uint32_t i = 0; i < n; i++) {
          if (arr[i].kind == WK_CSORT_TYPE) {
            TRY(fn(v, arr[i].id, 1, ctx));
            for (uint32_t q = arr[i].id; v->t[q].eq1;) { q = v->t[q].eq1 - 1; TRY(fn(v, q, 1, ctx)); }
            TRY(walk_names_(v, arr[i].id, fn, ctx, 0, depth + 1, vals));
          }
          else if (arr[i].kind != WK_CSORT_CORE && arr[i].kind != WK_CSORT_VALUE) TRY(walk_names_(v, arr[i].id, fn, ctx, 0, depth + 1, vals));
        }
      }
      return 0;
  }
  return 0;
}

static int check_named(V *v, uint32_t id, int bound, void *ctx) {
  namectx *n = ctx;
  if (bound) return 0;
  if (n->res_only && v->t[id].kind != T_RES) return 0;
  if (idset_has(&n->bound, id) || idset_has(n->named, id)) return 0;
  /* in a type declaration, a type that reached this scope by an outer alias was named by the
   * enclosing declarations (wasmparser accepts `use`d handles of an outer instance's resource) */
  for (scope *p = n->outer; p; p = p->kind == 1 || p->kind == 2 ? p->parent : NULL)
    if (idset_has(n->import ? &p->named_im : &p->named, id)) return 0;
  n->bad = 1;
  return 0;
}
static int collect_res_any(V *v, uint32_t id, int bound, void *ctx) {
  ((namectx *)ctx)->bad = 1;
  return 0;
}

/* When the check passes, also names the types the entity introduces in add1 and add2 (each may
 * be NULL), from the bound types the check's walk collected (the same walk, in the same
 * order) instead of walking the type again per space (two more walks per import were 7% of
 * validating a WASI hello). */
static int check_entity_names(V *v, scope *sc, uint8_t kind, uint32_t id, int import, size_t off, wk_cstr nm,
                              idset *add1, idset *add2) {
  if (kind == WK_CSORT_CORE || kind == WK_CSORT_VALUE) return 0;
  /* Inside component/instance type declarations only resources need names
   * ("instance types can be temporarily invalid"); concrete components
   * also need names for records, variants, enums and flags. */
  namectx n = {.named = import ? &sc->named_im : &sc->named, .res_only = sc->kind == 2, .import = import,
               .outer = sc->kind == 1 || sc->kind == 2 ? sc->parent : NULL};
  TRY(walk_names(v, id, collect_bound_refs, &n, 0, 0));
  for (uint32_t i = 0; i < n.refs.n && !n.bad; i++) TRY(check_named(v, n.refs.v[i], 0, &n));
  if (n.bad)
    return verr(v, off, "%s not valid to be used as %s (`%.*s` uses a type that is not %s)", ekind_name(kind),
                import ? "import" : "export", (int)(nm.len > 100 ? 100 : nm.len), nm.s,
                import ? "imported before" : "imported or exported before");
  /* Explainer.md "External Visibility of Types": only the new typeidx an
   * import/export introduces is named; the typeidx passed *into* an export
   * (or an `(eq i)` bound) is not retroactively named. */
  idset *adds[2] = {add1, add2};
  for (int k = 0; k < 2; k++) {
    idset *a = adds[k];
    if (!a) continue;
    if (kind == WK_CSORT_TYPE) TRY(idset_add(v, a, id));
    for (uint32_t i = 0; i < idset_slots(&n.bound); i++) TRY(idset_add(v, a, idset_at(&n.bound, i)));
  }
  return 0;
}

/* Fresh copies of the resources an instance type introduces (its exported
 * `(sub resource)` types), for each import/export of that type
 * (Explainer.md: instance types are generative for their resources). */
static uint32_t subst(V *v, uint32_t id, struct rmap *m, int depth);
typedef struct freshctx { space found; uint32_t lo, hi; } freshctx;
static int collect_exported_res(V *v, uint32_t id, int bound, void *ctx) {
  freshctx *n = ctx;
  vt *t = &v->t[id];
  if (bound && t->kind == T_RES && !t->local && !t->eq1 && t->owner >= n->lo && t->owner <= n->hi && !in_space(&n->found, id))
    return push(v, &n->found, id);
  return 0;
}
static int freshen(V *v, scope *sc, uint32_t *id) {
  if (v->t[*id].kind != T_INST) return 0;
  freshctx n = {.lo = v->t[*id].owner, .hi = v->t[*id].serial_end};
  TRY(walk_names_(v, *id, collect_exported_res, &n, 0, 0, 0));
  if (!n.found.n) return 0;
  struct rmap m = {.v = v};
  for (uint32_t i = 0; i < n.found.n; i++) {
    uint32_t f = newtype(v, T_RES);
    if (f == UINT32_MAX) return vnomem(v);
    v->t[f].owner = sc->serial;
    if (rmap_add(&m, n.found.v[i], f)) return vnomem(v);
  }
  uint32_t nid = subst(v, *id, &m, 0);
  if (nid == UINT32_MAX) return vnomem(v);
  *id = nid;
  return 0;
}

/* Binary.md: the resource of `[method]r.x` etc. is a preceding resource
 * import (for imports) or export (for exports) named `r` in the same scope. */
static int find_named_resource(V *v, scope *sc, lab r, int import, uint32_t *out) {
  for (uint32_t pass = import ? 0 : 1; pass < (import ? 1u : 2u); pass++) {
    ent *arr = pass ? sc->ex : sc->im;
    uint32_t n = pass ? sc->nex : sc->nim;
    for (uint32_t i = 0; i < n; i++)
      if (arr[i].kind == WK_CSORT_TYPE && v->t[arr[i].id].kind == T_RES && arr[i].name.len == r.n && !memcmp(arr[i].name.s, r.s, r.n)) {
        *out = arr[i].id;
        return 1;
      }
  }
  return 0;
}

static int is_own_of(V *v, vv x, uint32_t res, int borrow) {
  if (x.prim) return 0;
  vt *t = &v->t[x.id];
  if (t->kind != T_DEF || t->code != (borrow ? WK_CTC_BORROW : WK_CTC_OWN)) return 0;
  /* `(eq r)` aliases (eq1) name the same resource; re-exports (alias1 only) do not */
  uint32_t a = t->res, b = res;
  for (int k = 0; k < 64 && v->t[a].eq1; k++) a = v->t[a].eq1 - 1;
  for (int k = 0; k < 64 && v->t[b].eq1; k++) b = v->t[b].eq1 - 1;
  return a == b;
}

/* Name attributes (Explainer.md "Import and Export Definitions",
 * Binary.md `externname`): at most one attribute of each kind;
 * `implements` only on an instance with a plain label name, and its value
 * must be an interface name; `versionsuffix` only on an instance whose name
 * is an interface name with a `canonversion`, the two together a valid
 * semver ("Canonical Interface Name"); `external-id` is free-form. None of
 * them takes part in name uniqueness. `k` is the name's classification. */
static int check_attrs(V *v, const wk_cname *nm, int k, uint8_t kind, int import, size_t off) {
  static const char *attr_names[] = {"implements", "versionsuffix", "external-id"};
  for (uint32_t i = 0; i < nm->nattrs; i++) {
    const wk_cattr *a = &nm->attrs[i];
    if (a->kind > WK_CATTR_EXTERNAL_ID) return verr(v, off, "invalid name attribute kind %u", a->kind);
    for (uint32_t j = 0; j < i; j++)
      if (nm->attrs[j].kind == a->kind)
        return verr(v, off, "%s name `%.*s` has more than one `%s` attribute", import ? "import" : "export",
                    (int)nm->name.len, nm->name.s, attr_names[a->kind]);
    if (a->kind == WK_CATTR_IMPLEMENTS) {
      if (k != WK_CNAME_PLAIN)
        return verr(v, off, "name `%.*s` is not valid with `implements`", (int)nm->name.len, nm->name.s);
      if (kind != WK_CSORT_INSTANCE) return verr(v, off, "only instances can have an `implements`");
      lab r, item;
      char why[256];
      int ik = classify(a->value.s, a->value.len, &r, &item, import, why, sizeof why);
      if (ik == WK_CNAME_INVALID)
        return verr(v, off, "`%.*s` is not a valid name: %s", (int)a->value.len, a->value.s, why);
      if (ik != WK_CNAME_INTERFACE)
        return verr(v, off, "name `%.*s` must be an interface", (int)a->value.len, a->value.s);
    } else if (a->kind == WK_CATTR_VERSIONSUFFIX) {
      if (kind != WK_CSORT_INSTANCE) return verr(v, off, "only instances can have an `versionsuffix`");
      const char *at = k == WK_CNAME_INTERFACE ? memchr(nm->name.s, '@', nm->name.len) : NULL;
      size_t vn = at ? nm->name.len - (size_t)(at + 1 - nm->name.s) : 0;
      char ver[600];
      if (!at || !is_canonversion(at + 1, vn) || vn + a->value.len >= sizeof ver)
        return verr(v, off, "invalid interface version: `%.*s` has no canonical version for a `versionsuffix`",
                    (int)nm->name.len, nm->name.s);
      memcpy(ver, at + 1, vn);
      memcpy(ver + vn, a->value.s, a->value.len);
      if (!is_semver(ver, vn + a->value.len))
        return verr(v, off, "invalid interface version: `%.*s` is not a valid semver", (int)(vn + a->value.len), ver);
    }
  }
  return 0;
}

/* Name checks shared by imports and exports of components and types. */
static int check_name(V *v, scope *sc, const wk_cname *nm, uint8_t kind, uint32_t id, int import, size_t off) {
  lab r, item;
  char why[256];
  int k = classify(nm->name.s, nm->name.len, &r, &item, import, why, sizeof why);
  if (k == WK_CNAME_INVALID) {
    if (!nm->name.len) return verr(v, off, "name cannot be empty");
    return verr(v, off, "%s name `%.*s` is not valid: %s", import ? "import" : "export", (int)nm->name.len,
                nm->name.s, why);
  }
  TRY(check_attrs(v, nm, k, kind, import, off));
  /* uniqueness: each earlier name's canonical form was kept when it was checked (keys), so a
   * name is canonicalized once, not once per pair (that was 6% of validating a WASI hello) */
  ent *arr = import ? sc->im : sc->ex;
  uint32_t n = import ? sc->nim : sc->nex;
  ckey **keys = import ? &sc->imk : &sc->exk;
  uint32_t *kcap = import ? &sc->imkcap : &sc->exkcap;
  char cb[512];
  int canon = nm->name.len <= 500 && !is_locator_name(nm->name);
  /* a name with no upper-case letter and no [method]/[static] prefix is its own canonical form:
   * kept as it is (borrowed from the component, which outlives validation), not copied */
  const char *cs = cb;
  size_t ncb = 0;
  if (canon) {
    int self = nm->name.len && nm->name.s[0] != '[';
    if (self) self = !has_upper(nm->name.s, nm->name.len);
    if (self) cs = nm->name.s, ncb = nm->name.len;
    else ncb = canon_name(nm->name.s, nm->name.len, cb, sizeof cb);
  }
  for (uint32_t i = 0; i < n; i++) {
    const ckey *pk = &(*keys)[i];
    if (pk->plain && canon ? pk->len == ncb && !memcmp(pk->s, cs, ncb) : name_conflict(arr[i].name, nm->name))
      return verr(v, off, "%s name `%.*s` conflicts with previous name `%.*s`", import ? "import" : "export",
                  (int)nm->name.len, nm->name.s, (int)arr[i].name.len, arr[i].name.s);
  }
  /* the caller adds the name as arr[n] next */
  if (n >= *kcap) {
    uint32_t nc = *kcap ? *kcap * 2 : 16;
    while (nc <= n) nc *= 2;
    ckey *p = v_raw(v, (size_t)nc * sizeof *p);
    if (!p) return vnomem(v);
    if (n) memcpy(p, *keys, (size_t)n * sizeof *p);
    *keys = p;
    *kcap = nc;
  }
  ckey *nk = &(*keys)[n];
  nk->plain = (uint8_t)canon;
  nk->len = (uint32_t)ncb;
  nk->s = NULL;
  if (canon && cs != cb) {
    nk->s = cs;
  } else if (canon) {
    char *c = v_raw(v, ncb);
    if (!c) return vnomem(v);
    memcpy(c, cb, ncb);
    nk->s = c;
  }
  if (k == WK_CNAME_CONSTRUCTOR || k == WK_CNAME_METHOD || k == WK_CNAME_STATIC) {
    if (kind != WK_CSORT_FUNC) return verr(v, off, "%s not valid to be used as %s", ekind_name(kind), import ? "import" : "export");
    uint32_t res = 0;
    if (!find_named_resource(v, sc, r, import, &res))
      return verr(v, off, "%s resource name `%.*s` is not known in this context",
                  k == WK_CNAME_STATIC ? "static" : k == WK_CNAME_METHOD ? "method" : "constructor", (int)r.n, r.s);
    vt *f = &v->t[id];
    if (k == WK_CNAME_CONSTRUCTOR) {
      int ok = 0;
      if (f->has_a) {
        if (is_own_of(v, f->a, res, 0)) ok = 1;
        else if (!f->a.prim && v->t[f->a.id].kind == T_DEF && v->t[f->a.id].code == WK_CTC_RESULT && v->t[f->a.id].has_a &&
                 is_own_of(v, v->t[f->a.id].a, res, 0))
          ok = 1;
      }
      if (!ok) return verr(v, off, "function should return `(own $T)` or `(result (own $T))`");
    } else if (k == WK_CNAME_METHOD) {
      if (f->n == 0) return verr(v, off, "function should have at least one argument");
      if (!(f->labels[0].len == 4 && !memcmp(f->labels[0].s, "self", 4)))
        return verr(v, off, "function should have a first argument called `self`");
      if (!is_own_of(v, f->elems[0], res, 1)) return verr(v, off, "function should take a first argument of `(borrow $T)`");
    }
  }
  return 0;
}

static inline int add_entity(V *v, scope *sc, uint8_t kind, uint32_t id) {
  int s = kind == WK_CSORT_CORE ? S_CMOD : kind == WK_CSORT_FUNC ? S_FUNC : kind == WK_CSORT_VALUE ? S_VALUE : kind == WK_CSORT_TYPE ? S_TYPE : kind == WK_CSORT_COMPONENT ? S_COMP : S_INST;
  return push(v, &sc->sp[s], id);
}

static int extern_entity(V *v, scope *sc, const wk_cextern *e, size_t off, uint32_t *out) {
  uint32_t id = 0;
  switch (e->kind) {
    case WK_CSORT_CORE:
      TRY(get(v, sc, S_CTYPE, e->idx, off, &id));
      if (v->t[id].kind != T_CMOD) return verr(v, off, "core type index %u is not a module type", e->idx);
      break;
    case WK_CSORT_FUNC:
      TRY(get(v, sc, S_TYPE, e->idx, off, &id));
      if (v->t[id].kind != T_FUNC) return verr(v, off, "type index %u is not a function type", e->idx);
      break;
    case WK_CSORT_VALUE: return verr(v, off, "value imports and exports require the `cm-values` feature");
    case WK_CSORT_TYPE:
      if (e->bound == WK_CBOUND_SUB_RESOURCE) {
        NEWTYPE(v, id, T_RES);
        v->t[id].owner = sc->serial;
      } else {
        TRY(get(v, sc, S_TYPE, e->idx, off, &id));
      }
      break;
    case WK_CSORT_COMPONENT:
      TRY(get(v, sc, S_TYPE, e->idx, off, &id));
      if (v->t[id].kind != T_COMP) return verr(v, off, "type index %u is not a component type", e->idx);
      break;
    case WK_CSORT_INSTANCE:
      TRY(get(v, sc, S_TYPE, e->idx, off, &id));
      if (v->t[id].kind != T_INST) return verr(v, off, "type index %u is not an instance type", e->idx);
      break;
    default: return verr(v, off, "invalid extern kind");
  }
  *out = id;
  return 0;
}

/* A type import/export `(eq i)` of a defined type creates a new type that
 * aliases it (wasmparser's "created" id): same structure, own node, eq1 set.
 * Typing is structural for defined types, so only naming sees the difference. */
static inline int eq_copy(V *v, const wk_cextern *e, uint32_t *id) {
  if (e->kind != WK_CSORT_TYPE || e->bound == WK_CBOUND_SUB_RESOURCE) return 0;
  uint8_t k = v->t[*id].kind;
  if (k != T_DEF && k != T_RES) return 0;
  uint32_t c = newtype(v, k);
  if (c == UINT32_MAX) return vnomem(v);
  v->t[c] = v->t[*id];
  v->t[c].eq1 = *id + 1;
  if (k == T_RES) { /* same resource for typing (rcanon), own node for naming */
    v->t[c].alias1 = *id + 1;
    v->t[c].local = 0;
  }
  *id = c;
  return 0;
}

static int do_import(V *v, scope *sc, const wk_cname *nm, const wk_cextern *e, size_t off) {
  uint32_t id = 0;
  TRY(extern_entity(v, sc, e, off, &id));
  TRY(eq_copy(v, e, &id));
  if (e->kind == WK_CSORT_INSTANCE) TRY(freshen(v, sc, &id));
  TRY(check_entity_names(v, sc, e->kind, id, 1, off, nm->name, &sc->named_im, &sc->named)); /* (and names its types) */
  TRY(check_name(v, sc, nm, e->kind, id, 1, off));
  ent x = {.name = nm->name, .kind = e->kind, .id = id, .cn = nm};
  TRY(push_ent(v, &sc->im, &sc->nim, &sc->imcap, x));
  TRY(add_entity(v, sc, e->kind, id));
  if (e->kind == WK_CSORT_TYPE && sc->kind == 0) {
    torig o = {0, sc->nim, {0}};
    TRY(set_torig(v, sc, sc->sp[S_TYPE].n - 1, o));
  }
  return 0;
}

static int do_export_decl(V *v, scope *sc, const wk_cname *nm, uint8_t kind, uint32_t *idp, size_t off) {
  if (kind == WK_CSORT_INSTANCE && sc->kind != 0) TRY(freshen(v, sc, idp));
  if (kind == WK_CSORT_TYPE && sc->kind == 0 && v->t[*idp].kind == T_RES && v->t[*idp].local) {
    /* Explainer: the export introduces a new, abstract type index; uses of
     * the exported resource must go through it */
    uint32_t f = newtype(v, T_RES);
    if (f == UINT32_MAX) return vnomem(v);
    v->t[f].owner = sc->serial;
    v->t[f].alias1 = *idp + 1;
    *idp = f;
  } else if (kind == WK_CSORT_TYPE && sc->kind == 0 && v->t[*idp].kind == T_DEF) {
    /* Explainer.md "External Visibility of Types": the export introduces a
     * new typeidx that is externally visible; the one passed into the export
     * is not retroactively named (wasmparser: `with_unique(referenced)`). */
    wk_cextern e = {.kind = WK_CSORT_TYPE, .bound = WK_CBOUND_EQ};
    TRY(eq_copy(v, &e, idp));
  }
  uint32_t id = *idp;
  TRY(check_entity_names(v, sc, kind, id, 0, off, nm->name, &sc->named, NULL)); /* (and names its types) */
  TRY(check_name(v, sc, nm, kind, id, 0, off));
  ent x = {.name = nm->name, .kind = kind, .id = id, .cn = nm};
  return push_ent(v, &sc->ex, &sc->nex, &sc->excap, x);
}

static int do_alias(V *v, scope *sc, const wk_calias *a, size_t off, int in_type) {
  int s = sort_space(a->sort);
  if (s < 0) return verr(v, off, "invalid sort");
  uint32_t id = 0;
  if (a->target == WK_CALIAS_OUTER) {
    if (!(s == S_TYPE || s == S_CTYPE || s == S_CMOD || s == S_COMP))
      return verr(v, off, "outer aliases of %s are not supported", space_name(s));
    if (in_type && !(s == S_TYPE || s == S_CTYPE))
      return verr(v, off, "aliases in a component or instance type may only refer to types or instances");
    scope *t = sc;
    int crossed_component = 0;
    for (uint32_t k = 0; k < a->inst; k++) {
      if (t->kind == 0) crossed_component = 1;
      t = t->parent;
      if (!t) return verr(v, off, "invalid outer alias count of %u", a->inst);
    }
    TRY(get(v, t, s, a->idx, off, &id));
    if (s == S_TYPE && crossed_component) {
      /* Binary.md: an outer type alias crossing a component boundary may
       * not refer to resources. */
      namectx nc = {0};
      TRY(walk_res(v, id, collect_res_any, &nc, 0));
      if (nc.bad) return verr(v, off, "refers to resources not defined in the current component");
    }
    return push(v, &sc->sp[s], id);
  }
  if (in_type && a->target != WK_CALIAS_EXPORT) return verr(v, off, "aliases in a component or instance type may only refer to types or instances");
  if (in_type && !(s == S_TYPE || s == S_INST))
    return verr(v, off, "aliases in a component or instance type may only refer to types or instances");
  if (a->target == WK_CALIAS_EXPORT) {
    uint32_t inst = 0;
    TRY(get(v, sc, S_INST, a->inst, off, &inst));
    vt *it = &v->t[inst];
    ent *e = find_ent(it->ex, it->nex, a->name);
    if (!e) return verr(v, off, "instance %u has no export named `%.*s`", a->inst, (int)a->name.len, a->name.s);
    int es = e->kind == WK_CSORT_CORE ? S_CMOD : e->kind == WK_CSORT_FUNC ? S_FUNC : e->kind == WK_CSORT_VALUE ? S_VALUE : e->kind == WK_CSORT_TYPE ? S_TYPE : e->kind == WK_CSORT_COMPONENT ? S_COMP : S_INST;
    if (es != s) return verr(v, off, "export `%.*s` for instance %u is not a %s", (int)a->name.len, a->name.s, a->inst, space_name(s));
    TRY(push(v, &sc->sp[s], e->id));
    if (s == S_TYPE && sc->kind == 0) {
      /* wit-component names a re-exported type by the instance export the
       * alias refers to, not by the type it resolves to */
      torig o = {inst + 1, 0, a->name};
      TRY(set_torig(v, sc, sc->sp[S_TYPE].n - 1, o));
    }
    return 0;
  }
  /* core export */
  uint32_t inst = 0;
  TRY(get(v, sc, S_CINST, a->inst, off, &inst));
  vt *it = &v->t[inst];
  ent *e = find_ent(it->ex, it->nex, a->name);
  if (!e) return verr(v, off, "core instance %u has no export named `%.*s`", a->inst, (int)a->name.len, a->name.s);
  if (s > S_CTAG || e->kind != s)
    return verr(v, off, "export `%.*s` for core instance %u is not a %s", (int)a->name.len, a->name.s, a->inst, space_name(s));
  return push(v, &sc->sp[s], e->id);
}

static int core_type_def(V *v, scope *sc, const wk_coretype *t, uint32_t *out);
static int push_core_types(V *v, space *sp, const wk_coretype *t, uint32_t id);

static int module_decls(V *v, scope *parent, const wk_coretype *t, uint32_t *out) {
  scope ms;
  memset(&ms, 0, sizeof ms);
  ms.parent = parent;
  ms.kind = 3;
  ms.serial = ++v->serials;
  uint32_t id = 0;
  NEWTYPE(v, id, T_CMOD);
  uint32_t imcap = 0, excap = 0;
  for (uint32_t i = 0; i < t->ndecls; i++) {
    const wk_coredecl *d = &t->decls[i];
    size_t off = t->offset;
    switch (d->kind) {
      case WK_CMODDECL_IMPORT: case WK_CMODDECL_EXPORT: {
        ent e = {.module = d->module, .name = d->name, .kind = d->ext.kind};
        uint32_t tid = 0;
        if (d->ext.kind == WK_CCSORT_FUNC || d->ext.kind == WK_CCSORT_TAG) {
          TRY(get(v, &ms, S_CTYPE, d->ext.idx, off, &tid));
          if (v->t[tid].kind != T_CFUNC) return verr(v, off, "type index %u is not a function type", d->ext.idx);
        } else {
          if (d->ext.kind == WK_CCSORT_MEMORY && !(d->ext.lim.flags & 4) &&
              (d->ext.lim.min > 65536 || ((d->ext.lim.flags & 1) && d->ext.lim.max > 65536)))
            return verr(v, off, "memory size must be at most 65536 pages (4GiB)");
          NEWTYPE(v, tid, d->ext.kind == WK_CCSORT_TABLE ? T_CTABLE : d->ext.kind == WK_CCSORT_MEMORY ? T_CMEM : T_CGLOBAL);
          vt *x = &v->t[tid];
          x->lim = d->ext.lim;
          if (d->ext.valtype.len == 1) { x->reftype = x->valtype = (uint8_t)d->ext.valtype.s[0]; }
          else x->unknown = 1;
          x->mut = d->ext.mut;
        }
        e.id = tid;
        if (d->kind == WK_CMODDECL_IMPORT) {
          for (uint32_t k = 0; k < v->t[id].nim; k++)
            if (streq(v->t[id].im[k].name, e.name) && streq(v->t[id].im[k].module, e.module)) /* (names differ more) */
              return verr(v, off, "duplicate import name `%.*s:%.*s`", (int)e.module.len, e.module.s, (int)e.name.len, e.name.s);
          TRY(push_ent(v, &v->t[id].im, &v->t[id].nim, &imcap, e));
        } else {
          if (find_ent(v->t[id].ex, v->t[id].nex, e.name))
            return verr(v, off, "export name `%.*s` already defined", (int)e.name.len, e.name.s);
          TRY(push_ent(v, &v->t[id].ex, &v->t[id].nex, &excap, e));
        }
        break;
      }
      case WK_CMODDECL_TYPE: {
        uint32_t tid = 0;
        if (d->type->code == WK_CTC_CORE_MODULE) return verr(v, off, "module types cannot be nested");
        TRY(core_type_def(v, &ms, d->type, &tid));
        TRY(push_core_types(v, &ms.sp[S_CTYPE], d->type, tid));
        break;
      }
      case WK_CMODDECL_ALIAS: {
        scope *p = &ms;
        for (uint32_t k = 0; k < d->alias_ct; k++) {
          p = p->parent;
          if (!p) return verr(v, off, "invalid outer alias count of %u", d->alias_ct);
        }
        uint32_t tid = 0;
        TRY(get(v, p, S_CTYPE, d->alias_idx, off, &tid));
        if (v->t[tid].kind == T_CMOD) return verr(v, off, "type index %u is a module type", d->alias_idx);
        TRY(push(v, &ms.sp[S_CTYPE], tid));
        break;
      }
    }
  }
  *out = id;
  return 0;
}

/* A rec group (GC 5.3: 0x4e vec(subtype)) defines one core type index per
 * member; everything else defines one. */
static int push_core_types(V *v, space *sp, const wk_coretype *t, uint32_t id) {
  if (t->code == 0 && t->raw.len && (uint8_t)t->raw.s[0] == 0x4e) {
    size_t p = 1;
    uint64_t n = 0;
    if (wk_read_uleb((const uint8_t *)t->raw.s, t->raw.len, &p, 32, &n, NULL) != WK_OK) n = 1;
    for (uint64_t i = 0; i < n; i++) TRY(push(v, sp, id));
    return 0;
  }
  return push(v, sp, id);
}

static int core_type_def(V *v, scope *sc, const wk_coretype *t, uint32_t *out) {
  if (t->code == WK_CTC_CORE_FUNC) {
    uint32_t id = mk_cfunc(v, t->params, t->nparams, t->results, t->nresults);
    if (id == UINT32_MAX) return vnomem(v);
    *out = id;
    return 0;
  }
  if (t->code == WK_CTC_CORE_MODULE) return module_decls(v, sc, t, out);
  /* GC types: check the few structural rules we can see in raw bytes */
  const uint8_t *b = (const uint8_t *)t->raw.s;
  size_t n = t->raw.len, p = 0;
  int nonfinal = 0;
  if (n >= 2 && b[0] == WK_CT_CORE_SUB_PREFIX && b[1] == 0x50) { p = 2; nonfinal = 1; }
  else if (n >= 1 && b[0] == 0x50) { p = 1; nonfinal = 1; }
  else if (n >= 1 && b[0] == 0x4f) p = 1;
  if (p) {
    /* sub types: supertypes must exist and not be final (GC proposal 3.2.2) */
    uint64_t cnt, idx;
    if (wk_read_uleb(b, n, &p, 32, &cnt, NULL) == WK_OK) {
      for (uint64_t k = 0; k < cnt; k++) {
        if (wk_read_uleb(b, n, &p, 32, &idx, NULL) != WK_OK) break;
        if (idx >= sc->sp[S_CTYPE].n) return verr(v, t->offset, "type index out of bounds");
        vt *st = &v->t[sc->sp[S_CTYPE].v[idx]];
        if (st->kind == T_CMOD) return verr(v, t->offset, "type index %u is a module type", (unsigned)idx);
        if (st->kind == T_CFUNC && st->local == 0) return verr(v, t->offset, "sub type cannot have a final super type");
      }
    }
  }
  /* heap type indices in value types of a function/struct/array type */
  if (p < n && b[p] == 0x60) { /* function types: params and results are plain value types */
    for (size_t q = p + 1; q + 1 < n; q++) {
      if (b[q] != 0x63 && b[q] != 0x64) continue;
      size_t r = q + 1;
      int64_t h = 0;
      unsigned shift = 0;
      uint8_t c;
      do { c = b[r++]; h |= (int64_t)(c & 0x7f) << shift; shift += 7; } while ((c & 0x80) && r < n && shift < 35);
      if (shift < 64 && (c & 0x40)) h |= -((int64_t)1 << shift);
      if (h >= 0) {
        /* a type may refer to itself (an implicit one-type rec group) */
        if ((uint64_t)h > sc->sp[S_CTYPE].n) return verr(v, t->offset, "type index out of bounds");
        if ((uint64_t)h < sc->sp[S_CTYPE].n && v->t[sc->sp[S_CTYPE].v[h]].kind == T_CMOD)
          return verr(v, t->offset, "type index %u is a module type", (unsigned)h);
      }
      q = r - 1;
    }
  }
  uint32_t id = 0;
  NEWTYPE(v, id, T_CFUNC);
  v->t[id].unknown = 1;
  v->t[id].local = (uint8_t)nonfinal; /* non-final sub type */
  *out = id;
  return 0;
}

/* component type / instance type declarations */
static int decl_scope(V *v, scope *parent, const wk_cdecl *decls, uint32_t n, int kind, uint32_t *out) {
  if (++v->depth > WK_COMPONENT_MAX_DEPTH) return verr(v, 0, "nesting too deep");
  scope sc;
  memset(&sc, 0, sizeof sc);
  sc.parent = parent;
  sc.kind = kind;
  sc.serial = ++v->serials;
  /* the import and export lists take every declaration of their kind: sized once (growing from 8
   * by doubling copied a WASI instance type's exports three times) */
  uint32_t nimd = 0, nexd = 0;
  for (uint32_t i = 0; i < n; i++) {
    nimd += decls[i].kind == WK_CDECL_IMPORT;
    nexd += decls[i].kind == WK_CDECL_EXPORT;
  }
  TRY(reserve_ent(v, &sc.im, 0, &sc.imcap, nimd));
  TRY(reserve_ent(v, &sc.ex, 0, &sc.excap, nexd));
  for (uint32_t i = 0; i < n; i++) {
    const wk_cdecl *d = &decls[i];
    size_t off = d->offset;
    uint32_t id = 0;
    switch (d->kind) {
      case WK_CDECL_CORE_TYPE:
        TRY(core_type_def(v, &sc, d->coretype, &id));
        TRY(push_core_types(v, &sc.sp[S_CTYPE], d->coretype, id));
        break;
      case WK_CDECL_TYPE:
        if (d->type->code == WK_CTC_RESOURCE) return verr(v, off, "resources can only be defined within a concrete component");
        TRY(ctype_def(v, &sc, d->type, &id));
        TRY(push(v, &sc.sp[S_TYPE], id));
        break;
      case WK_CDECL_ALIAS: TRY(do_alias(v, &sc, &d->alias, off, 1)); break;
      case WK_CDECL_IMPORT: TRY(do_import(v, &sc, &d->name, &d->ext, off)); break;
      case WK_CDECL_EXPORT:
        TRY(extern_entity(v, &sc, &d->ext, off, &id));
        TRY(eq_copy(v, &d->ext, &id));
        TRY(do_export_decl(v, &sc, &d->name, d->ext.kind, &id, off));
        TRY(add_entity(v, &sc, d->ext.kind, id));
        break;
    }
  }
  uint32_t id = 0;
  NEWTYPE(v, id, kind == 1 ? T_COMP : T_INST);
  v->t[id].im = sc.im;
  v->t[id].nim = sc.nim;
  v->t[id].ex = sc.ex;
  v->t[id].nex = sc.nex;
  v->t[id].owner = sc.serial;
  v->t[id].serial_end = v->serials;
  TRY(set_size(v, id, n ? decls[n - 1].offset : 0));
  *out = id;
  v->depth--;
  return 0;
}

/* ---- canon ---------------------------------------------------------- */

static int canon_opts(V *v, scope *sc, const wk_ccanon *c, int lift, const flat *needs, uint32_t *mem_out,
                      uint32_t *realloc_out, int *post_out) {
  int enc = -1, mem = -1, re = -1, post = -1;
  size_t off = c->offset;
  static const char *encn[] = {"utf8", "utf16", "latin1-utf16"};
  for (uint32_t i = 0; i < c->nopts; i++) {
    const wk_copt *o = &c->opts[i];
    switch (o->code) {
      case WK_COPT_UTF8: case WK_COPT_UTF16: case WK_COPT_LATIN1_UTF16:
        if (enc >= 0) {
          if (enc == o->code) return verr(v, off, "canonical encoding option `%s` is specified more than once", encn[enc]);
          return verr(v, off, "canonical encoding option `%s` conflicts with option `%s`", encn[enc], encn[o->code]);
        }
        enc = o->code;
        break;
      case WK_COPT_MEMORY: {
        if (mem >= 0) return verr(v, off, "canonical option `memory` is specified more than once");
        uint32_t m = 0;
        TRY(get(v, sc, S_CMEM, o->idx, off, &m));
        if (v->t[m].lim.flags & 4) return verr(v, off, "64-bit memories require the `cm64` feature to be enabled");
        mem = (int)o->idx;
        break;
      }
      case WK_COPT_REALLOC: {
        if (re >= 0) return verr(v, off, "canonical option `realloc` is specified more than once");
        uint32_t f = 0;
        TRY(get(v, sc, S_CFUNC, o->idx, off, &f));
        vt *ft = &v->t[f];
        static const uint8_t p4[] = {WK_I32, WK_I32, WK_I32, WK_I32};
        if (!ft->unknown && !(ft->np == 4 && !memcmp(ft->p, p4, 4) && ft->nr == 1 && ft->r[0] == WK_I32))
          return verr(v, off, "canonical option `realloc` uses a core function with an incorrect signature");
        re = (int)o->idx;
        break;
      }
      case WK_COPT_POST_RETURN:
        if (!lift) return verr(v, off, "canonical option `post-return` cannot be specified for lowerings");
        if (post >= 0) return verr(v, off, "canonical option `post-return` is specified more than once");
        {
          uint32_t f = 0;
          TRY(get(v, sc, S_CFUNC, o->idx, off, &f));
          post = (int)o->idx;
        }
        break;
      case WK_COPT_ASYNC: return verr(v, off, "canonical option `async` requires the component model async feature");
      case WK_COPT_CALLBACK: return verr(v, off, "canonical option `callback` requires the component model async feature");
    }
  }
  if (needs && needs->has_mem && mem < 0) return verr(v, off, "canonical option `memory` is required");
  *mem_out = (uint32_t)mem;
  *realloc_out = (uint32_t)re;
  *post_out = post;
  return 0;
}

static int do_canon(V *v, scope *sc, const wk_ccanon *c) {
  size_t off = c->offset;
  uint32_t id = 0;
  switch (c->op) {
    case WK_CANON_LIFT: case WK_CANON_LOWER: {
      uint32_t ft = 0, cf = 0;
      if (c->op == WK_CANON_LIFT) {
        TRY(get(v, sc, S_TYPE, c->type, off, &ft));
        if (v->t[ft].kind != T_FUNC) return verr(v, off, "type index %u is not a function type", c->type);
        TRY(get(v, sc, S_CFUNC, c->func, off, &cf));
      } else {
        TRY(get(v, sc, S_FUNC, c->func, off, &ft));
      }
      vt *f = &v->t[ft];
      flat params = {0}, results = {0};
      for (uint32_t i = 0; i < f->n; i++) TRY(flatten(v, f->elems[i], &params, off));
      if (f->has_a) TRY(flatten(v, f->a, &results, off));
      /* CanonicalABI.md: memory is needed to pass strings/lists and to
       * spill more than MAX_FLAT_PARAMS (16) params or MAX_FLAT_RESULTS (1) results */
      flat both = params;
      both.has_mem = params.has_mem || results.has_mem || params.n > 16 || results.n > 1;
      uint32_t mem = 0, re = 0;
      int post = -1;
      TRY(canon_opts(v, sc, c, c->op == WK_CANON_LIFT, &both, &mem, &re, &post));
      /* realloc required: lift when params carry memory data; lower when results do */
      if (c->op == WK_CANON_LIFT && (params.has_mem || params.n > 16) && re == UINT32_MAX)
        return verr(v, off, "canonical option `realloc` is required");
      if (c->op == WK_CANON_LOWER && results.has_mem && re == UINT32_MAX) return verr(v, off, "canonical option `realloc` is required");
      uint8_t cp[FLAT_MAX + 2], cr[FLAT_MAX + 2];
      uint32_t np = 0, nr = 0;
      if (params.n > 16) { cp[0] = WK_I32; np = 1; } else { memcpy(cp, params.t, params.n); np = params.n; }
      if (c->op == WK_CANON_LIFT) {
        if (results.n > 1) { cr[0] = WK_I32; nr = 1; } else { memcpy(cr, results.t, results.n); nr = results.n; }
        vt *core = &v->t[cf];
        if (!core->unknown && (core->np != np || memcmp(core->p, cp, np) || core->nr != nr || memcmp(core->r, cr, nr))) {
          char a[128], b[128];
          if (core->np != np || memcmp(core->p, cp, np)) {
            fmt_types(a, sizeof a, cp, np);
            fmt_types(b, sizeof b, core->p, core->np);
            return verr(v, off, "lowered parameter types `%s` do not match parameter types `%s` of core function %u", a, b, c->func);
          }
          fmt_types(a, sizeof a, cr, nr);
          fmt_types(b, sizeof b, core->r, core->nr);
          return verr(v, off, "lowered result types `%s` do not match result types `%s` of core function %u", a, b, c->func);
        }
        if (post >= 0) {
          uint32_t pf = sc->sp[S_CFUNC].v[post];
          vt *pt = &v->t[pf];
          if (!pt->unknown && (pt->np != nr || memcmp(pt->p, cr, nr) || pt->nr != 0))
            return verr(v, off, "canonical option `post-return` uses a core function with an incorrect signature");
        }
        return push(v, &sc->sp[S_FUNC], ft);
      }
      if (results.n > 1) { cp[np++] = WK_I32; nr = 0; } else { memcpy(cr, results.t, results.n); nr = results.n; }
      id = mk_cfunc(v, cp, np, cr, nr);
      if (id == UINT32_MAX) return vnomem(v);
      return push(v, &sc->sp[S_CFUNC], id);
    }
    case WK_CANON_RESOURCE_NEW: case WK_CANON_RESOURCE_DROP: case WK_CANON_RESOURCE_REP: {
      uint32_t r = 0;
      TRY(get(v, sc, S_TYPE, c->type, off, &r));
      if (v->t[r].kind != T_RES) return verr(v, off, "type index %u is not a resource type", c->type);
      r = rcanon(v, r);
      if (c->op != WK_CANON_RESOURCE_DROP && !(v->t[r].local && v->t[r].owner == sc->serial)) return verr(v, off, "not a local resource");
      static const uint8_t i32 = WK_I32;
      id = mk_cfunc(v, &i32, 1, &i32, c->op == WK_CANON_RESOURCE_DROP ? 0 : 1);
      if (id == UINT32_MAX) return vnomem(v);
      return push(v, &sc->sp[S_CFUNC], id);
    }
    default:
      return verr(v, off, "canonical built-in 0x%02x requires the component model async or threading features", c->op);
  }
}

/* ---- instantiation -------------------------------------------------- */

static int core_instantiate(V *v, scope *sc, const wk_cinstance *in, uint32_t *out) {
  size_t off = in->offset;
  uint32_t id = 0;
  NEWTYPE(v, id, T_CINST);
  if (in->kind == WK_CINST_INSTANTIATE) {
    uint32_t mod = 0;
    if (in->target >= sc->sp[S_CMOD].n) return verr(v, off, "unknown module %u: module index out of bounds", in->target);
    mod = sc->sp[S_CMOD].v[in->target];
    for (uint32_t i = 0; i < in->n; i++) {
      for (uint32_t j = 0; j < i; j++)
        if (streq(in->args[i].name.name, in->args[j].name.name))
          return verr(v, off, "duplicate module instantiation argument named `%.*s`", (int)in->args[i].name.name.len,
                      in->args[i].name.name.s);
      uint32_t x = 0;
      TRY(get(v, sc, S_CINST, in->args[i].idx, off, &x));
    }
    vt *m = &v->t[mod];
    nidx *ix = NULL;                   /* per argument: an index of its exports, made on first use */
    const wk_cinstarg *last = NULL;    /* the argument of the previous import (imports come in runs */
    for (uint32_t k = 0; k < m->nim; k++) { /* of one module name; argument names are unique) */
      ent *need = &m->im[k];
      const wk_cinstarg *arg = NULL;
      if (last && streq(last->name.name, need->module)) arg = last;
      else
        for (uint32_t i = 0; i < in->n; i++)
          if (streq(in->args[i].name.name, need->module)) arg = &in->args[i];
      if (!arg) return verr(v, off, "missing module instantiation argument named `%.*s`", (int)need->module.len, need->module.s);
      last = arg;
      vt *ai = &v->t[sc->sp[S_CINST].v[arg->idx]];
      ent *have;
      if (ai->nex > NIDX_MIN) {
        if (!ix && !(ix = v_alloc(v, (size_t)in->n * sizeof *ix))) return vnomem(v);
        nidx *x = &ix[arg - in->args];
        if (!x->slot) {
          TRY(nidx_init(v, x, ai->nex, 0));
          for (uint32_t i = 0; i < ai->nex; i++) nidx_add(x, ai->ex, i);
        }
        have = nidx_find(x, ai->ex, need->module, need->name);
      } else {
        have = find_ent(ai->ex, ai->nex, need->name);
      }
      if (!have)
        return verr(v, off, "module instantiation argument `%.*s` does not export an item named `%.*s`",
                    (int)need->module.len, need->module.s, (int)need->name.len, need->name.s);
      char why[256];
      if (!core_sub(v, have->kind, have->id, need->kind, need->id, why, sizeof why))
        return verr(v, off, "type mismatch for export `%.*s` of module instantiation argument `%.*s`: %s",
                    (int)need->name.len, need->name.s, (int)need->module.len, need->module.s, why);
      m = &v->t[mod];
    }
    v->t[id].ex = v->t[mod].ex;
    v->t[id].nex = v->t[mod].nex;
  } else {
    uint32_t cap = 0;
    TRY(reserve_ent(v, &v->t[id].ex, 0, &cap, in->n)); /* (in->n decoded items) */
    nidx ix = {0};
    if (in->n > NIDX_MIN) TRY(nidx_init(v, &ix, in->n, 0));
    for (uint32_t i = 0; i < in->n; i++) {
      const wk_cinstarg *a = &in->args[i];
      int s = sort_space(a->sort);
      if (s < 0 || s > S_CTAG) return verr(v, off, "invalid core export sort");
      uint32_t x = 0;
      TRY(get(v, sc, s, a->idx, off, &x));
      wk_cstr none = {0};
      if (ix.slot ? nidx_find(&ix, v->t[id].ex, none, a->name.name) != NULL
                  : find_ent(v->t[id].ex, v->t[id].nex, a->name.name) != NULL)
        return verr(v, off, "export name `%.*s` already defined", (int)a->name.name.len, a->name.name.s);
      ent e = {.name = a->name.name, .kind = (uint8_t)s, .id = x};
      TRY(push_ent(v, &v->t[id].ex, &v->t[id].nex, &cap, e));
      if (ix.slot) nidx_add(&ix, v->t[id].ex, v->t[id].nex - 1);
    }
  }
  *out = id;
  return 0;
}

static int space_kind(int s) {
  switch (s) {
    case S_CMOD: return 0;
    case S_FUNC: return 1;
    case S_VALUE: return 2;
    case S_TYPE: return 3;
    case S_COMP: return 4;
    case S_INST: return 5;
  }
  return -1;
}

static int instantiate(V *v, scope *sc, const wk_cinstance *in, uint32_t *out) {
  size_t off = in->offset;
  uint32_t id = 0;
  if (in->kind == WK_CINST_INSTANTIATE) {
    uint32_t comp = 0;
    if (in->target >= sc->sp[S_COMP].n) return verr(v, off, "unknown component %u: component index out of bounds", in->target);
    comp = sc->sp[S_COMP].v[in->target];
    for (uint32_t i = 0; i < in->n; i++) {
      for (uint32_t j = 0; j < i; j++)
        if (name_conflict(in->args[i].name.name, in->args[j].name.name))
          return verr(v, off, "instantiation argument `%.*s` conflicts with previous argument `%.*s`",
                      (int)in->args[i].name.name.len, in->args[i].name.name.s, (int)in->args[j].name.name.len,
                      in->args[j].name.name.s);
      int s = sort_space(in->args[i].sort);
      if (s < 0) return verr(v, off, "invalid sort");
      if (space_kind(s) < 0) return verr(v, off, "instantiation arguments must be component-level items");
      uint32_t x = 0;
      TRY(get(v, sc, s, in->args[i].idx, off, &x));
    }
    rmap m = {.v = v};
    uint32_t cnim = v->t[comp].nim;
    for (uint32_t k = 0; k < cnim; k++) {
      ent need = v->t[comp].im[k];
      const wk_cinstarg *arg = NULL;
      for (uint32_t i = 0; i < in->n; i++)
        if (streq(in->args[i].name.name, need.name)) arg = &in->args[i];
      if (!arg) return verr(v, off, "missing import named `%.*s`", (int)need.name.len, need.name.s);
      int s = sort_space(arg->sort);
      uint8_t k2 = (uint8_t)space_kind(s);
      uint32_t have = sc->sp[s].v[arg->idx];
      if (k2 != need.kind)
        return verr(v, off, "expected %s, found %s", ekind_name(need.kind), ekind_name(k2));
      if (need.kind == WK_CSORT_TYPE && v->t[need.id].kind == T_RES && mapres(need.id, m.m, m.n) == need.id && !v->t[need.id].eq1) {
        if (v->t[have].kind != T_RES) return verr(v, off, "type mismatch for import `%.*s`: expected resource, found defined type", (int)need.name.len, need.name.s);
        if (rmap_add(&m, need.id, have)) return vnomem(v);
        continue;
      }
      char why[256];
      if (!ent_sub(v, need.kind, have, need.id, &m, why, sizeof why, 0))
        return verr(v, off, "type mismatch for import `%.*s`: %s", (int)need.name.len, need.name.s, why);
      /* Explainer: a supplied type import is substituted in the rest of the type */
      if (need.kind == WK_CSORT_TYPE && need.id != have && rmap_add(&m, need.id, have)) return vnomem(v);
    }
    /* fresh resources for the component's exported abstract resources */
    uint32_t cnex = v->t[comp].nex;
    for (uint32_t k = 0; k < cnex; k++) {
      ent e = v->t[comp].ex[k];
      if (e.kind == WK_CSORT_TYPE && v->t[e.id].kind == T_RES && mapres(e.id, m.m, m.n) == e.id) {
        /* exports of one resource under several names stay one type */
        uint32_t c = rcanon(v, e.id), fresh = mapres(c, m.m, m.n);
        if (fresh == c) {
          NEWTYPE(v, fresh, T_RES);
          if (rmap_add(&m, c, fresh)) return vnomem(v);
        }
        if (e.id != c && rmap_add(&m, e.id, fresh)) return vnomem(v);
      }
    }
    NEWTYPE(v, id, T_INST);
    uint32_t nex = v->t[comp].nex;
    ent *ex = v_raw(v, (nex + 1) * sizeof(ent));
    if (!ex) return vnomem(v);
    for (uint32_t k = 0; k < nex; k++) {
      ex[k] = v->t[comp].ex[k];
      if (ex[k].kind) ex[k].id = subst(v, ex[k].id, &m, 0);
      if (ex[k].id == UINT32_MAX) return vnomem(v);
      /* a re-exported type import takes the origin of the type supplied */
      uint32_t oi = ex[k].oimp1;
      ex[k].oimp1 = ex[k].oinst1 = 0;
      ex[k].oname.s = NULL;
      ex[k].oname.len = 0;
      if (ex[k].kind == WK_CSORT_TYPE && oi && oi <= cnim) {
        for (uint32_t i = 0; i < in->n; i++)
          if (streq(in->args[i].name.name, v->t[comp].im[oi - 1].name) && sort_space(in->args[i].sort) == S_TYPE) {
            torig o = get_torig(sc, in->args[i].idx);
            ex[k].oinst1 = o.inst1;
            ex[k].oname = o.name;
          }
      }
    }
    v->t[id].ex = ex;
    v->t[id].nex = nex;
    TRY(set_size(v, id, off));
  } else {
    NEWTYPE(v, id, T_INST);
    /* A bag of exports is checked like an instance type's exports: names
     * unique and well-formed, annotated functions against the resources the
     * bag exports (a local resource exported here gets a new type index). */
    scope bag;
    memset(&bag, 0, sizeof bag);
    bag.parent = sc;
    bag.kind = 2;
    bag.serial = sc->serial;
    for (uint32_t i = 0; i < in->n; i++) {
      const wk_cinstarg *a = &in->args[i];
      int s = sort_space(a->sort);
      if (s < 0 || space_kind(s) < 0) return verr(v, off, "invalid inline export sort");
      uint32_t x = 0;
      TRY(get(v, sc, s, a->idx, off, &x));
      uint8_t kind = (uint8_t)space_kind(s);
      if (kind == WK_CSORT_TYPE && v->t[x].kind == T_RES && v->t[x].local) {
        uint32_t f = newtype(v, T_RES);
        if (f == UINT32_MAX) return vnomem(v);
        v->t[f].owner = sc->serial;
        v->t[f].alias1 = x + 1;
        x = f;
      }
      TRY(check_name(v, &bag, &a->name, kind, x, 0, off));
      ent e = {.name = a->name.name, .kind = kind, .id = x};
      TRY(push_ent(v, &bag.ex, &bag.nex, &bag.excap, e));
    }
    v->t[id].ex = bag.ex;
    v->t[id].nex = bag.nex;
    TRY(set_size(v, id, off));
  }
  *out = id;
  return 0;
}

/* ---- a component ---------------------------------------------------- */

/* Nested core modules are decoded and validated by lib/encode's core
 * validator (Core spec 3), with every core feature it implements (WK_FEAT_ALL,
 * as winspect's printer and wasm-tools' default; 2.0 with WK_CVALIDATE_CORE_WASM2): a component may embed what a
 * core module may be on its own (multi-memory, tail calls, exceptions, ...). */
static int core_module_check(V *v, const wk_cmodule *m) {
  /* The caller validates the module's code itself (WK_CVALIDATE_SHALLOW_CORE):
   * module_type() has read what the component level needs. */
  if (v->flags & WK_CVALIDATE_SHALLOW_CORE) return 0;
  wk_core_module *cm = NULL;
  wk_error derr;
  wk_error_clear(&derr);
  /* A module the decoder refuses is malformed (Core spec 5; Binary.md: a core:module is a core
   * module), as wasm-tools' default features say: with every feature lib/encode implements
   * (WK_FEAT_ALL, GC included) nothing it refuses is valid 3.0. (It was let through while GC was
   * missing: a component with a module of garbage code validated.)
   * Decoded without scanning the bodies (wk_core_validate reads every instruction of them): one
   * pass over the code instead of two. Only when validation fails is the module decoded in full,
   * so the verdict and the error are decode-then-validate's: the full decoder's error when it
   * refuses the module, else the validation error. */
  unsigned feats = v->flags & WK_CVALIDATE_CORE_WASM2 ? 0 : WK_FEAT_ALL;
  int rc = WK_OK;
  if (wk_core_decode_features_ex(m->bytes, m->len, WK_CORE_DECODE_LAZY_BODIES, feats, &cm, &derr) != WK_OK) {
    rc = derr.code ? derr.code : WK_ERR_MALFORMED;
    if (v->err) *v->err = derr;
  } else {
    wk_error verr_;
    wk_error_clear(&verr_);
    rc = wk_core_validate_features(cm, feats, &verr_);
    wk_core_free(cm);
    if (rc != WK_OK) {
      wk_core_module *full = NULL;
      int drc = wk_core_decode_features(m->bytes, m->len, feats, &full, &derr);
      wk_core_free(full);
      if (v->err) *v->err = drc != WK_OK ? derr : verr_;
    }
  }
  if (rc != WK_OK) {
    if (v->err) {
      if (v->err->has_offset) v->err->offset += m->offset;
      else { v->err->has_offset = 1; v->err->offset = m->offset; }
      if (v->err->code == WK_ERR_MALFORMED || v->err->code == WK_ERR_UNSUPPORTED) v->err->code = WK_ERR_INVALID;
    }
    return -1;
  }
  return 0;
}

static int validate_component(V *v, const wk_component *c, scope *parent, uint32_t *out) {
  if (++v->depth > WK_COMPONENT_MAX_DEPTH) return verr(v, c->offset, "nesting too deep");
  scope sc;
  memset(&sc, 0, sizeof sc);
  sc.parent = parent;
  sc.kind = 0;
  sc.serial = ++v->serials;
  for (uint32_t si = 0; si < c->nsections; si++) {
    const wk_csection *s = &c->sections[si];
    uint32_t id = 0;
    switch (s->id) {
      case WK_CSEC_CORE_MODULE:
        TRY(module_type(v, s->u.module.bytes, s->u.module.len, s->u.module.offset, &id));
        TRY(core_module_check(v, &s->u.module));
        TRY(push(v, &sc.sp[S_CMOD], id));
        break;
      case WK_CSEC_CORE_INSTANCE:
        for (uint32_t i = 0; i < s->count; i++) {
          TRY(core_instantiate(v, &sc, &s->u.core_instances[i], &id));
          TRY(push(v, &sc.sp[S_CINST], id));
        }
        break;
      case WK_CSEC_CORE_TYPE:
        for (uint32_t i = 0; i < s->count; i++) {
          TRY(core_type_def(v, &sc, &s->u.core_types[i], &id));
          TRY(push_core_types(v, &sc.sp[S_CTYPE], &s->u.core_types[i], id));
        }
        break;
      case WK_CSEC_COMPONENT:
        TRY(validate_component(v, s->u.component, &sc, &id));
        TRY(push(v, &sc.sp[S_COMP], id));
        break;
      case WK_CSEC_INSTANCE:
        for (uint32_t i = 0; i < s->count; i++) {
          TRY(instantiate(v, &sc, &s->u.instances[i], &id));
          TRY(push(v, &sc.sp[S_INST], id));
        }
        break;
      case WK_CSEC_ALIAS:
        for (uint32_t i = 0; i < s->count; i++) TRY(do_alias(v, &sc, &s->u.aliases[i], s->payload_offset, 0));
        break;
      case WK_CSEC_TYPE:
        for (uint32_t i = 0; i < s->count; i++) {
          TRY(ctype_def(v, &sc, &s->u.types[i], &id));
          TRY(push(v, &sc.sp[S_TYPE], id));
        }
        break;
      case WK_CSEC_CANON:
        for (uint32_t i = 0; i < s->count; i++) TRY(do_canon(v, &sc, &s->u.canons[i]));
        break;
      case WK_CSEC_START: return verr(v, s->offset, "start definitions require the `cm-values` feature");
      case WK_CSEC_IMPORT:
        for (uint32_t i = 0; i < s->count; i++)
          TRY(do_import(v, &sc, &s->u.imports[i].name, &s->u.imports[i].ext, s->u.imports[i].offset));
        break;
      case WK_CSEC_EXPORT:
        for (uint32_t i = 0; i < s->count; i++) {
          const wk_cexport *e = &s->u.exports[i];
          int sp = sort_space(e->sort);
          if (sp < 0 || space_kind(sp) < 0)
            return verr(v, e->offset, "exports of core %ss are not supported", space_name(sp < 0 ? 0 : sp));
          uint8_t kind = (uint8_t)space_kind(sp);
          TRY(get(v, &sc, sp, e->idx, e->offset, &id));
          if (e->has_type) {
            if (e->ext.kind != kind) return verr(v, e->offset, "ascribed type of export is not compatible with item type");
            uint32_t want = 0;
            TRY(extern_entity(v, &sc, &e->ext, e->offset, &want));
            rmap m = {.v = v};
            char why[256];
            if (kind == WK_CSORT_TYPE && e->ext.bound == WK_CBOUND_SUB_RESOURCE) {
              if (v->t[id].kind != T_RES) return verr(v, e->offset, "ascribed type of export is not compatible with item type");
            } else if (!ent_sub(v, kind, id, want, &m, why, sizeof why, 0)) {
              return verr(v, e->offset, "ascribed type of export is not compatible with item type: %s", why);
            }
            /* A `(sub resource)` ascription exports a fresh abstract
             * resource, unrelated to the resource passed in (wasmparser
             * gives it a new resource id, defined by this component) */
            id = want;
          }
          TRY(do_export_decl(v, &sc, &e->name, kind, &id, e->offset));
          TRY(add_entity(v, &sc, kind, id));
          if (kind == WK_CSORT_TYPE && !e->has_type) {
            torig o = get_torig(&sc, e->idx);
            sc.ex[sc.nex - 1].oinst1 = o.inst1;
            sc.ex[sc.nex - 1].oimp1 = o.imp1;
            sc.ex[sc.nex - 1].oname = o.name;
            TRY(set_torig(v, &sc, sc.sp[S_TYPE].n - 1, o));
          }
        }
        break;
      case WK_CSEC_VALUE: return verr(v, s->offset, "value definitions require the `cm-values` feature");
      default: break;
    }
  }
  uint32_t id = 0;
  NEWTYPE(v, id, T_COMP);
  v->t[id].im = sc.im;
  v->t[id].nim = sc.nim;
  v->t[id].ex = sc.ex;
  v->t[id].nex = sc.nex;
  TRY(set_size(v, id, c->offset));
  *out = id;
  v->depth--;
  return 0;
}

/* Size the type table for `c` up front: growing it by doubling copied it (a realloc of 43 KB for
 * a WASI hello-world, ~6% of its validation). ~1 node per 16 bytes of non-module content (real
 * components: 1 per 20-50), at least 256; the table still grows if that is short. */
static void presize(V *v, const wk_component *c) {
  size_t mod = 0;
  for (uint32_t i = 0; i < c->nsections; i++)
    if (c->sections[i].id == WK_CSEC_CORE_MODULE) mod += c->sections[i].u.module.len;
  size_t rest = c->input_len > mod ? c->input_len - mod : 0;
  size_t cap = 256 + rest / 16;
  if (cap > (1u << 20)) cap = 1u << 20;
  vt *p = wk_reallocarray(NULL, cap, sizeof *p);
  if (!p) return; /* newtype tries again (and reports the failure) */
  v->t = p;
  v->tcap = (uint32_t)cap;
}

int wk_component_validate(const wk_component *c, wk_error *err) {
  return wk_component_validate_ex(c, 0, err);
}

int wk_component_validate_ex(const wk_component *c, unsigned flags, wk_error *err) {
  wk_error local;
  if (!err) err = &local;
  wk_error_clear(err);
  V v;
  memset(&v, 0, sizeof v);
  v.err = err;
  v.flags = flags;
  v.input = c->input;
  presize(&v, c);
  uint32_t id = 0;
  int rc = validate_component(&v, c, NULL, &id);
  free(v.t);
  wk_arena_free(&v.a);
  if (rc) return err->code ? err->code : WK_ERR_INVALID;
  return WK_OK;
}

/* ---- the type graph, kept (encode/ctypes.h) ---- */

typedef struct ctypes_priv {
  wk_ctypes g;
  V v;
} ctypes_priv;

int wk_ctypes_build(const wk_component *c, wk_ctypes **out, wk_error *err) {
  return wk_ctypes_build_ex(c, 0, out, err);
}

int wk_ctypes_build_ex(const wk_component *c, unsigned flags, wk_ctypes **out, wk_error *err) {
  wk_error local;
  if (!err) err = &local;
  wk_error_clear(err);
  *out = NULL;
  ctypes_priv *p = wk_calloc(1, sizeof *p);
  if (!p) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  p->v.err = err;
  p->v.flags = flags;
  p->v.input = c->input;
  presize(&p->v, c);
  uint32_t id = 0;
  if (validate_component(&p->v, c, NULL, &id)) {
    free(p->v.t);
    wk_arena_free(&p->v.a);
    free(p);
    return err->code ? err->code : WK_ERR_INVALID;
  }
  p->g.t = p->v.t;
  p->g.nt = p->v.nt;
  p->g.root = id;
  p->g.priv = p;
  *out = &p->g;
  return WK_OK;
}

void wk_ctypes_free(wk_ctypes *g) {
  if (!g) return;
  ctypes_priv *p = g->priv;
  free(p->v.t);
  wk_arena_free(&p->v.a);
  free(p);
}

uint32_t wk_ctypes_peel(const wk_ctypes *g, uint32_t id) {
  if (id >= g->nt) return id;
  const wk_ctnode *t = &g->t[id];
  if (t->kind == WK_CT_DEF && t->eq1 && t->eq1 - 1 < g->nt) return t->eq1 - 1;
  if (t->kind == WK_CT_RES && t->alias1 && t->alias1 - 1 < g->nt) return t->alias1 - 1;
  return id;
}
