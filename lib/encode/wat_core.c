/*
 * lib/encode/wat_core.c — core modules in the text format to binary
 * (core spec 6.6 "Modules", 6.5 "Instructions", 6.4 "Values").
 *
 * Two passes over the module's fields:
 *   1. declare: every `$id` gets its index (imports first: an import after
 *      a definition is an error, 6.6.5), explicit `(type ...)` definitions
 *      are registered for type-use lookup (6.6.3 "Type Uses"), and inline
 *      table elements / memory data count as segments at their position.
 *   2. encode, in field order: each field appends to its section buffer;
 *      type uses without a `(type x)` find the first identical function
 *      type or append a new one at the end of the type section (the order
 *      wasm-tools' `parse` gives them, so the output is byte-identical).
 * The module is assembled in section order with minimal LEB128s and a
 * `name` section for the identifiers (custom section "name", appendix 7.4:
 * module, functions, locals, labels, types, tables, memories, globals,
 * elements, data -- as wasm-tools writes them).
 *
 * Instruction names and immediate kinds come from encode/opcodes.h (one
 * table for reader, printer and this parser).
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "encode/encode.h"
#include "encode/wat.h"

enum { NS_FUNC, NS_TABLE, NS_MEM, NS_GLOBAL, NS_TYPE, NS_ELEM, NS_DATA, NS_TAG, NS_COUNT };
static const char *const ns_what[NS_COUNT] = {"func", "table", "memory", "global", "type", "elem", "data", "tag"};

/* ---- a string -> index hash table ------------------------------------- */
typedef struct symtab {
  struct sym {
    const char *s;
    uint32_t len, idx;
  } *e;
  uint32_t n, cap; /* cap: power of two, 0 = empty */
} symtab;

static uint32_t hash_bytes(const void *p, size_t n) {
  const uint8_t *s = p;
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 16777619u;
  return h;
}

static struct sym *sym_find(const symtab *t, const char *s, uint32_t len) {
  if (!t->cap) return NULL;
  for (uint32_t i = hash_bytes(s, len) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
    struct sym *e = &t->e[i];
    if (!e->s) return NULL;
    if (e->len == len && !memcmp(e->s, s, len)) return e;
  }
}

/* 0 ok, 1 duplicate, -1 oom */
static int sym_add(symtab *t, const char *s, uint32_t len, uint32_t idx) {
  if (sym_find(t, s, len)) return 1;
  if ((t->n + 1) * 2 > t->cap) {
    uint32_t nc = t->cap ? t->cap * 2 : 16;
    struct sym *ne = calloc(nc, sizeof *ne);
    if (!ne) return -1;
    for (uint32_t i = 0; i < t->cap; i++) {
      if (!t->e[i].s) continue;
      uint32_t j = hash_bytes(t->e[i].s, t->e[i].len) & (nc - 1);
      while (ne[j].s) j = (j + 1) & (nc - 1);
      ne[j] = t->e[i];
    }
    free(t->e);
    t->e = ne, t->cap = nc;
  }
  uint32_t j = hash_bytes(s, len) & (t->cap - 1);
  while (t->e[j].s) j = (j + 1) & (t->cap - 1);
  t->e[j].s = s, t->e[j].len = len, t->e[j].idx = idx;
  t->n++;
  return 0;
}

static void sym_free(symtab *t) {
  free(t->e);
  memset(t, 0, sizeof *t);
}

/* ---- name lists for the name section --------------------------------- */
typedef struct nameent {
  uint32_t idx;
  const char *s;
  uint32_t len;
} nameent;
typedef struct namelist {
  nameent *v;
  uint32_t n, cap;
} namelist;

static int nl_push(namelist *l, uint32_t idx, const char *s, uint32_t len) {
  if (l->n == l->cap) {
    uint32_t nc = l->cap ? l->cap * 2 : 16;
    nameent *nv = wk_reallocarray(l->v, nc, sizeof *nv);
    if (!nv) return -1;
    l->v = nv, l->cap = nc;
  }
  l->v[l->n++] = (nameent){idx, s, len};
  return 0;
}

/* name map (appendix 7.4.1): vec((idx, name)) */
static void nl_encode(wk_buf *b, const namelist *l) {
  wk_buf_uleb(b, l->n);
  for (uint32_t i = 0; i < l->n; i++) {
    wk_buf_uleb(b, l->v[i].idx);
    wk_buf_uleb(b, l->v[i].len);
    wk_buf_append(b, l->v[i].s, l->v[i].len);
  }
}

/* ---- function types ---------------------------------------------------- */
typedef struct ftype {
  uint8_t *p, *r; /* value type bytes */
  uint32_t np, nr;
  uint32_t *h;    /* heap types of params then results beside the code bytes (wk_vt), or NULL */
  /* GC (Core 3.0 text/types.rst): kind WK_COMP_*, final, supertypes, the rec group, fields
   * (storage codes: a value type code or WK_PACKED_I8/I16; mutability; heap types) and the
   * fields' $ids (struct.get $t $f) */
  uint8_t kind, final, rec_explicit;
  uint32_t nsup, *sups;
  uint32_t rec_start, rec_size;
  uint32_t nfields;
  uint8_t *fst, *fmut;
  uint32_t *fht;
  symtab *fnames; /* malloc'd, or NULL */
} ftype;

/* ---- custom sections placed by `(@custom "name" (before|after X) ...)` -- */
enum { PL_BEFORE_FIRST, PL_BEFORE, PL_AFTER, PL_AFTER_LAST };
enum { AN_TYPE = 1, AN_IMPORT, AN_FUNC, AN_TABLE, AN_MEMORY, AN_GLOBAL, AN_EXPORT, AN_START, AN_ELEM, AN_CODE, AN_DATA,
       AN_TAG };
typedef struct custom {
  int place, anchor;
  const char *name;
  uint32_t name_len;
  wk_buf data;
} custom;

/* ---- the module context ------------------------------------------------ */
typedef struct cm {
  wk_error *err;
  unsigned flags;      /* WK_WAT_CORE2: 2.0 text (u32 limits) */
  wk_arena ar;
  symtab ns[NS_COUNT];
  uint32_t cnt[NS_COUNT];
  namelist names[NS_COUNT];
  ftype *types;
  uint32_t ntypes, captypes;
  int no_tmap;         /* add_type: do not register (sub/rec function types) */
  int gc;              /* some type is GC (rec/sub/struct/array): the type section is vec(rectype) */
  uint32_t *empty_recs; /* `(rec)` with no types: before type index empty_recs[k] */
  uint32_t nempty, capempty;
  wk_buf nm_fields;    /* name section subsection 10 (field names): encoded entries */
  uint32_t n_nm_fields;
  symtab tmap; /* key: encoded functype bytes (arena) -> first index */
  /* `(@name "...")` annotations: key = 4-byte source offset of the $id they
   * follow (or of the list they open), value = index into aname */
  symtab anames;
  const wk_sx **aname;
  uint32_t naname, capaname;
  const char *last_def; /* "function", "table", ... once a definition was seen */
  wk_buf sec_import, sec_func, sec_table, sec_mem, sec_global, sec_export, sec_elem, sec_data, sec_code, sec_tag;
  uint32_t n_import, n_func, n_table, n_mem, n_global, n_export, n_elem, n_data, n_code, n_tag;
  int has_start;
  uint32_t start_idx;
  int need_datacount;
  int mem64; /* some memory is declared `i64` (memory64): memarg offsets may exceed a u32 */
  /* names of locals and labels: per function an encoded indirect entry */
  wk_buf nm_locals, nm_labels;
  uint32_t n_nm_locals, n_nm_labels;
  custom *customs;
  uint32_t ncustoms;
} cm;

static void name_of(cm *m, const wk_sx *list, const wk_sx *id, const char **s, uint32_t *len);

static int oom(cm *m) { return wk_error_set(m->err, WK_ERR_NOMEM, "out of memory"); }

static int errat(cm *m, const wk_sx *x, const char *fmt, const char *arg) {
  char msg[400];
  snprintf(msg, sizeof msg, fmt, arg ? arg : "");
  return wk_error_at_line(m->err, WK_ERR_MALFORMED, x ? x->line : 0, x ? x->col : 0, "%s", msg);
}

/* `x` as printable text for messages (atoms only) */
static const char *atom_str(const wk_sx *x, char *buf, size_t cap) {
  if (!x || x->kind == WK_SX_LIST) return "(";
  size_t o = 0;
  if (x->kind == WK_SX_ID) buf[o++] = '$';
  size_t n = x->len < cap - 1 - o ? x->len : cap - 1 - o;
  if (n) memcpy(buf + o, x->text, n);
  buf[o + n] = 0;
  for (char *c = buf; *c; c++)
    if ((unsigned char)*c < 0x20) *c = '?';
  return buf;
}

static int is_kw(const wk_sx *x, const char *s) { return wk_sx_is(x, WK_SX_KEYWORD, s); }
static int is_list(const wk_sx *x) { return x->kind == WK_SX_LIST; }

/* ======================================================================
 * Values (core spec 6.3.1 numbers, 6.4)
 * ====================================================================== */

/* digits with `_` only between digits; base 10 or 16. Returns count of
 * digits or -1 on a misplaced underscore / bad digit. Overflow -> *ovf. */
static int scan_digits(const char *s, size_t n, int hex, uint64_t *val, int *ovf) {
  uint64_t v = 0;
  int nd = 0, prev_digit = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    int d;
    if (c == '_') {
      if (!prev_digit || i + 1 == n) return -1;
      prev_digit = 0;
      continue;
    }
    if (c >= '0' && c <= '9') d = c - '0';
    else if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return -1;
    uint64_t base = hex ? 16 : 10;
    if (v > (UINT64_MAX - (uint64_t)d) / base) *ovf = 1;
    v = v * base + (uint64_t)d;
    nd++, prev_digit = 1;
  }
  if (!nd) return -1;
  *val = v;
  return nd;
}

/* integer literal: sign? (num | 0x hexnum). 0 ok, -1 syntax, -2 overflow */
static int parse_int(const char *s, size_t n, int allow_sign, int *neg, uint64_t *mag) {
  *neg = 0;
  if (n && (s[0] == '+' || s[0] == '-')) {
    if (!allow_sign) return -1;
    *neg = s[0] == '-';
    s++, n--;
  }
  int hex = n > 2 && s[0] == '0' && s[1] == 'x';
  if (hex) s += 2, n -= 2;
  int ovf = 0;
  if (scan_digits(s, n, hex, mag, &ovf) < 0) return -1;
  return ovf ? -2 : 0;
}

static int atom_num(const wk_sx *x) { return x->kind == WK_SX_RESERVED || x->kind == WK_SX_KEYWORD; }

static int get_u32(cm *m, const wk_sx *x, uint32_t *v) {
  int neg;
  uint64_t mag;
  if (!atom_num(x)) return errat(m, x, "expected a u32", NULL);
  int rc = parse_int(x->text, x->len, 0, &neg, &mag);
  if (rc == -1) return errat(m, x, "unknown operator: expected a u32", NULL);
  if (rc == -2 || mag > UINT32_MAX) return errat(m, x, "constant out of range (u32)", NULL);
  *v = (uint32_t)mag;
  return WK_OK;
}

static int is_u32_atom(const wk_sx *x) {
  int neg;
  uint64_t mag;
  return x->kind == WK_SX_RESERVED && parse_int(x->text, x->len, 0, &neg, &mag) != -1;
}

/* iN: bits 32 or 64; also 8/16 for lanes. Range: -2^(N-1) .. 2^N-1. */
static int get_int(cm *m, const wk_sx *x, unsigned bits, int64_t *v) {
  int neg;
  uint64_t mag;
  if (!atom_num(x)) return errat(m, x, "unexpected token: expected an integer", NULL);
  int rc = parse_int(x->text, x->len, 1, &neg, &mag);
  if (rc == -1) return errat(m, x, "unknown operator: malformed integer", NULL);
  uint64_t umax = bits == 64 ? UINT64_MAX : ((1ull << bits) - 1);
  uint64_t nmax = 1ull << (bits - 1);
  if (rc == -2 || (neg ? mag > nmax : mag > umax)) return errat(m, x, "constant out of range", NULL);
  uint64_t u = neg ? (uint64_t)0 - mag : mag;
  if (bits < 64) u &= (1ull << bits) - 1;
  /* sign-extend to int64 */
  if (bits < 64 && (u >> (bits - 1)) & 1) u |= ~((1ull << bits) - 1);
  *v = (int64_t)u;
  return WK_OK;
}

/* float literal (6.3.1 float / hexfloat / inf / nan / nan:0x...) to bits */
static int get_float(cm *m, const wk_sx *x, int is64, uint64_t *bits) {
  if (!atom_num(x)) return errat(m, x, "unexpected token: expected a float", NULL);
  const char *s = x->text;
  size_t n = x->len;
  int neg = 0;
  if (n && (s[0] == '+' || s[0] == '-')) neg = s[0] == '-', s++, n--;
  uint64_t sign = neg ? (is64 ? 1ull << 63 : 1ull << 31) : 0;
  uint64_t expmask = is64 ? 0x7ffull << 52 : 0xffull << 23;
  uint64_t mantmask = is64 ? (1ull << 52) - 1 : (1ull << 23) - 1;
  if (n == 3 && !memcmp(s, "inf", 3)) {
    *bits = sign | expmask;
    return WK_OK;
  }
  if (n == 3 && !memcmp(s, "nan", 3)) {
    *bits = sign | expmask | (1ull << (is64 ? 51 : 22));
    return WK_OK;
  }
  if (n > 6 && !memcmp(s, "nan:0x", 6)) {
    uint64_t pl;
    int ovf = 0;
    if (scan_digits(s + 6, n - 6, 1, &pl, &ovf) < 0) return errat(m, x, "unknown operator: malformed nan payload", NULL);
    if (ovf || pl == 0 || pl > mantmask) return errat(m, x, "constant out of range (nan payload)", NULL);
    *bits = sign | expmask | pl;
    return WK_OK;
  }
  /* validate the shape, copying digits without `_` */
  char buf[512];
  char *dyn = NULL, *d = buf;
  if (n + 2 >= sizeof buf) {
    dyn = malloc(n + 3);
    if (!dyn) return oom(m);
    d = dyn;
  }
  size_t o = 0, i = 0;
  int hex = n > 2 && s[0] == '0' && s[1] == 'x';
  int ok = 1;
  if (hex) d[o++] = '0', d[o++] = 'x', i = 2;
  /* part: digits (with `_` between) ; returns count */
#define DIGITS(ISHEX)                                                                                          \
  ({                                                                                                           \
    int nd_ = 0, prev_ = 0;                                                                                    \
    while (i < n) {                                                                                            \
      char c_ = s[i];                                                                                          \
      int isd_ = (c_ >= '0' && c_ <= '9') ||                                                                   \
                 ((ISHEX) && ((c_ >= 'a' && c_ <= 'f') || (c_ >= 'A' && c_ <= 'F')));                          \
      if (isd_) {                                                                                              \
        d[o++] = c_, nd_++, prev_ = 1, i++;                                                                    \
      } else if (c_ == '_' && prev_ && i + 1 < n) {                                                            \
        char nx_ = s[i + 1];                                                                                   \
        int nxd_ = (nx_ >= '0' && nx_ <= '9') ||                                                               \
                   ((ISHEX) && ((nx_ >= 'a' && nx_ <= 'f') || (nx_ >= 'A' && nx_ <= 'F')));                    \
        if (!nxd_) {                                                                                           \
          ok = 0;                                                                                              \
          break;                                                                                               \
        }                                                                                                      \
        prev_ = 0, i++;                                                                                        \
      } else                                                                                                   \
        break;                                                                                                 \
    }                                                                                                          \
    nd_;                                                                                                       \
  })
  if (DIGITS(hex) == 0) ok = 0;
  if (ok && i < n && s[i] == '.') {
    d[o++] = '.', i++;
    if (i < n && s[i] != (hex ? 'p' : 'e') && s[i] != (hex ? 'P' : 'E')) {
      if (DIGITS(hex) == 0) ok = 0;
    }
  }
  if (ok && i < n && (hex ? (s[i] == 'p' || s[i] == 'P') : (s[i] == 'e' || s[i] == 'E'))) {
    d[o++] = hex ? 'p' : 'e', i++;
    if (i < n && (s[i] == '+' || s[i] == '-')) d[o++] = s[i++];
    if (DIGITS(0) == 0) ok = 0;
  }
#undef DIGITS
  if (!ok || i != n) {
    free(dyn);
    return errat(m, x, "unknown operator: malformed float literal", NULL);
  }
  d[o] = 0;
  uint64_t r;
  int inf;
  if (is64) {
    double v = strtod(d, NULL);
    inf = isinf(v);
    memcpy(&r, &v, 8);
  } else {
    float v = strtof(d, NULL);
    inf = isinf(v);
    uint32_t u;
    memcpy(&u, &v, 4);
    r = u;
  }
  free(dyn);
  if (inf) return errat(m, x, "constant out of range", NULL);
  *bits = r | sign;
  return WK_OK;
}

/* ======================================================================
 * Types
 * ====================================================================== */

static uint8_t heaptype_of(const wk_sx *x);
/* valtype keyword (6.4.x): numtype, vectype, reftype; returns byte or 0 */
static uint8_t valtype_of(const wk_sx *x) {
  if (x->kind == WK_SX_KEYWORD) {
    static const struct {
      const char *s;
      uint8_t b;
    } vt[] = {{"i32", 0x7f}, {"i64", 0x7e}, {"f32", 0x7d}, {"f64", 0x7c}, {"v128", 0x7b},
              {"funcref", 0x70}, {"externref", 0x6f}, {"exnref", 0x69},
              /* Core 3.0 GC shorthands (text/types.rst) */
              {"anyref", 0x6e}, {"eqref", 0x6d}, {"i31ref", 0x6c}, {"structref", 0x6b}, {"arrayref", 0x6a},
              {"nullref", 0x71}, {"nullexternref", 0x72}, {"nullfuncref", 0x73}, {"nullexnref", 0x74}};
    for (size_t i = 0; i < sizeof vt / sizeof vt[0]; i++)
      if (is_kw(x, vt[i].s)) return vt[i].b;
    return 0;
  }
  /* (ref null absheaptype): the nullable abstract forms encode as the short reftypes */
  if (x->kind == WK_SX_LIST && x->n == 3 && is_kw(&x->kids[0], "ref") && is_kw(&x->kids[1], "null"))
    return heaptype_of(&x->kids[2]);
  return 0;
}

static uint8_t reftype_of(const wk_sx *x) {
  uint8_t t = valtype_of(x);
  return wk_abs_ht_code(t) ? t : 0;
}

/* abstract heap type keyword (Core 3.0 text/types.rst "Heap Types"): its code, or 0 */
static uint8_t heaptype_of(const wk_sx *x) {
  static const struct {
    const char *s;
    uint8_t b;
  } ht[] = {{"func", 0x70}, {"extern", 0x6f}, {"exn", 0x69}, {"any", 0x6e}, {"eq", 0x6d}, {"i31", 0x6c},
            {"struct", 0x6b}, {"array", 0x6a}, {"none", 0x71}, {"noextern", 0x72}, {"nofunc", 0x73}, {"noexn", 0x74}};
  if (x->kind != WK_SX_KEYWORD) return 0;
  for (size_t i = 0; i < sizeof ht / sizeof ht[0]; i++)
    if (is_kw(x, ht[i].s)) return ht[i].b;
  return 0;
}

/* value types: code bytes, and beside them (h, NULL until a typed reference is pushed) the heap
 * types of (ref null? ht) (Core 3.0 typed references; encode.h wk_vt) */
typedef struct vtvec {
  uint8_t *v;
  uint32_t n, cap;
  uint32_t *h;
} vtvec;

static int vt_push_ht(vtvec *v, uint8_t t, uint32_t ht) {
  if (v->n == v->cap) {
    uint32_t nc = v->cap ? v->cap * 2 : 8;
    uint8_t *nv = realloc(v->v, nc);
    if (!nv) return -1;
    v->v = nv, v->cap = nc;
    if (v->h) {
      uint32_t *nh = wk_reallocarray(v->h, nc, sizeof *nh);
      if (!nh) return -1;
      v->h = nh;
    }
  }
  if ((ht || t == WK_REF || t == WK_REFNULL) && !v->h) {
    if (!(v->h = calloc(v->cap, sizeof *v->h))) return -1;
  }
  if (v->h) v->h[v->n] = ht;
  v->v[v->n++] = t;
  return 0;
}
static uint32_t vt_ht(const vtvec *v, uint32_t i) { return v->h ? v->h[i] : 0; }

/* encoded functype bytes as the type-map key (ph/rh: heap types or NULL) */
static void ftype_bytes(wk_buf *b, const uint8_t *p, const uint32_t *ph, uint32_t np, const uint8_t *r,
                        const uint32_t *rh, uint32_t nr) {
  wk_buf_byte(b, 0x60);
  wk_buf_uleb(b, np);
  if (ph) for (uint32_t k = 0; k < np; k++) wk_valtype_put(b, p[k], ph[k]);
  else wk_buf_append(b, p, np);
  wk_buf_uleb(b, nr);
  if (rh) for (uint32_t k = 0; k < nr; k++) wk_valtype_put(b, r[k], rh[k]);
  else wk_buf_append(b, r, nr);
}

/* append a type; register in the map when the key is new (first wins) */
static int add_type(cm *m, const uint8_t *p, const uint32_t *ph, uint32_t np, const uint8_t *r, const uint32_t *rh,
                    uint32_t nr, uint32_t *idx) {
  if (m->ntypes == m->captypes) {
    uint32_t nc = m->captypes ? m->captypes * 2 : 16;
    ftype *nt = wk_reallocarray(m->types, nc, sizeof *nt);
    if (!nt) return oom(m);
    m->types = nt, m->captypes = nc;
  }
  ftype *t = &m->types[m->ntypes];
  memset(t, 0, sizeof *t);
  t->kind = WK_COMP_FUNC;
  t->final = 1;
  t->rec_start = m->ntypes;
  t->rec_size = 1;
  t->p = wk_arena_alloc(&m->ar, np + nr + 1);
  if (!t->p) return oom(m);
  if (np) memcpy(t->p, p, np);
  t->r = t->p + np;
  if (nr) memcpy(t->r, r, nr);
  t->np = np, t->nr = nr;
  t->h = NULL;
  if (ph || rh) {
    if (!(t->h = wk_arena_alloc(&m->ar, ((size_t)np + nr + 1) * sizeof *t->h))) return oom(m);
    for (uint32_t k = 0; k < np; k++) t->h[k] = ph ? ph[k] : 0;
    for (uint32_t k = 0; k < nr; k++) t->h[np + k] = rh ? rh[k] : 0;
  }
  *idx = m->ntypes++;
  if (m->no_tmap) return WK_OK; /* (a GC function type: not a plain type use's match) */
  wk_buf k = {0};
  ftype_bytes(&k, p, ph, np, r, rh, nr);
  if (k.oom) return oom(m);
  if (!sym_find(&m->tmap, (const char *)k.data, (uint32_t)k.len)) {
    char *ks = wk_arena_alloc(&m->ar, k.len);
    if (!ks) {
      wk_buf_free(&k);
      return oom(m);
    }
    memcpy(ks, k.data, k.len);
    if (sym_add(&m->tmap, ks, (uint32_t)k.len, *idx) < 0) {
      wk_buf_free(&k);
      return oom(m);
    }
  }
  wk_buf_free(&k);
  return WK_OK;
}

/* find-or-append (wasm-tools' type-use expansion) */
static int type_for(cm *m, const uint8_t *p, const uint32_t *ph, uint32_t np, const uint8_t *r, const uint32_t *rh,
                    uint32_t nr, uint32_t *idx) {
  wk_buf k = {0};
  ftype_bytes(&k, p, ph, np, r, rh, nr);
  if (k.oom) return oom(m);
  struct sym *e = sym_find(&m->tmap, (const char *)k.data, (uint32_t)k.len);
  wk_buf_free(&k);
  if (e) {
    *idx = e->idx;
    return WK_OK;
  }
  return add_type(m, p, ph, np, r, rh, nr, idx);
}

/* index: u32 or $id in namespace `ns` */
static int get_index(cm *m, const wk_sx *x, int ns, uint32_t *v) {
  if (x->kind == WK_SX_ID) {
    struct sym *e = sym_find(&m->ns[ns], x->text, x->len);
    if (!e) {
      char b[96];
      char msg[160];
      snprintf(msg, sizeof msg, "unknown %s %s", ns_what[ns], atom_str(x, b, sizeof b));
      return errat(m, x, "%s", msg);
    }
    *v = e->idx;
    return WK_OK;
  }
  if (x->kind == WK_SX_RESERVED) return get_u32(m, x, v);
  return errat(m, x, "unexpected token: expected an index", NULL);
}

static int is_index(const wk_sx *x) { return x->kind == WK_SX_ID || is_u32_atom(x); }

/* Core 3.0 6.4.x heaptype ::= func | extern | exn | typeidx -> *ht (WK_HT_* or the index): 0, or
 * -1 (not a heap type; an unknown $id has set the error) */
static int heaptype_ht(cm *m, const wk_sx *x, uint32_t *ht) {
  uint8_t a = heaptype_of(x);
  if (a) { *ht = WK_HT_ABS | a; return 0; }
  if (!is_index(x)) return -1;
  uint32_t v;
  if (get_index(m, x, NS_TYPE, &v)) return -1;
  if (v >= WK_HT_BADIDX) { /* (the model's heap types hold indices below 2^22 - 1: encode.h wk_vt) */
    errat(m, x, "type index too large (implementation limit)", NULL);
    return -1;
  }
  *ht = v;
  return 0;
}

/* valtype with Core 3.0 typed references: also (ref null? heaptype), canonical (wk_vt_ref).
 * Returns the code byte (0: not a value type) and sets *ht (0 unless the code is 0x63/0x64). */
static uint8_t valtype_ht(cm *m, const wk_sx *x, uint32_t *ht) {
  *ht = 0;
  uint8_t t = valtype_of(x);
  if (t) return t;
  if (x->kind != WK_SX_LIST || (x->n != 2 && x->n != 3) || !is_kw(&x->kids[0], "ref")) return 0;
  int nul = x->n == 3;
  if (nul && !is_kw(&x->kids[1], "null")) return 0;
  uint32_t h;
  if (heaptype_ht(m, &x->kids[x->n - 1], &h)) return 0;
  wk_vt v = wk_vt_ref(h, nul);
  t = wk_vt_code(v);
  if (t == WK_REF || t == WK_REFNULL) *ht = h;
  return t;
}
static uint8_t reftype_ht(cm *m, const wk_sx *x, uint32_t *ht) {
  uint8_t t = valtype_ht(m, x, ht);
  return wk_vt_is_ref(t) ? t : 0;
}

/*
 * typeuse (6.6.3): `(type x)? (param ...)* (result ...)*` starting at
 * kids[*i]. Param ids go to `pids` (may be NULL: then ids are an error
 * only where the grammar forbids them -- we accept and ignore).
 */
typedef struct typeuse {
  int has_idx, has_inline;
  uint32_t idx;
  const wk_sx *at;
  vtvec p, r;
  /* param ids, parallel to p (NULL text when unnamed) */
  const wk_sx **pids;
  uint32_t npids, cappids;
} typeuse;

static void tu_free(typeuse *t) {
  free(t->p.v), free(t->r.v), free(t->p.h), free(t->r.h), free(t->pids);
  memset(t, 0, sizeof *t);
}

static int pid_push(typeuse *t, const wk_sx *id) {
  if (t->npids == t->cappids) {
    uint32_t nc = t->cappids ? t->cappids * 2 : 8;
    const wk_sx **nv = wk_reallocarray(t->pids, nc, sizeof *nv);
    if (!nv) return -1;
    t->pids = nv, t->cappids = nc;
  }
  t->pids[t->npids++] = id;
  return 0;
}

static int parse_typeuse(cm *m, const wk_sx *k, uint32_t n, uint32_t *i, typeuse *t, int allow_pids) {
  memset(t, 0, sizeof *t);
  t->at = *i < n ? &k[*i] : NULL;
  if (*i < n && wk_sx_head(&k[*i], "type")) {
    const wk_sx *x = &k[*i];
    if (x->n != 2) return errat(m, x, "unexpected token: expected `(type idx)`", NULL);
    int rc = get_index(m, &x->kids[1], NS_TYPE, &t->idx);
    if (rc) return rc;
    t->has_idx = 1;
    (*i)++;
  }
  while (*i < n && wk_sx_head(&k[*i], "param")) {
    const wk_sx *x = &k[*i];
    t->has_inline = 1;
    uint32_t j = 1;
    if (x->n > 1 && x->kids[1].kind == WK_SX_ID) {
      if (!allow_pids) return errat(m, &x->kids[1], "unexpected token: parameter id not allowed here", NULL);
      if (x->n != 3) return errat(m, x, "unexpected token: a named param has exactly one type", NULL);
      uint32_t ht;
      uint8_t vt = valtype_ht(m, &x->kids[2], &ht);
      if (!vt) return errat(m, &x->kids[2], "unexpected token: expected a value type", NULL);
      if (vt_push_ht(&t->p, vt, ht) || pid_push(t, &x->kids[1])) return oom(m);
      (*i)++;
      continue;
    }
    for (; j < x->n; j++) {
      uint32_t ht;
      uint8_t vt = valtype_ht(m, &x->kids[j], &ht);
      if (!vt) return errat(m, &x->kids[j], "unexpected token: expected a value type", NULL);
      if (vt_push_ht(&t->p, vt, ht) || pid_push(t, NULL)) return oom(m);
    }
    (*i)++;
  }
  while (*i < n && wk_sx_head(&k[*i], "result")) {
    const wk_sx *x = &k[*i];
    t->has_inline = 1;
    for (uint32_t j = 1; j < x->n; j++) {
      uint32_t ht;
      uint8_t vt = valtype_ht(m, &x->kids[j], &ht);
      if (!vt) return errat(m, &x->kids[j], "unexpected token: expected a value type", NULL);
      if (vt_push_ht(&t->r, vt, ht)) return oom(m);
    }
    (*i)++;
  }
  if (*i < n && (wk_sx_head(&k[*i], "param") || wk_sx_head(&k[*i], "type")))
    return errat(m, &k[*i], "unexpected token: misplaced `%s` in a type use", wk_sx_head(&k[*i], "param") ? "param" : "type");
  return WK_OK;
}

/* resolve a typeuse to a type index (checking an explicit index against
 * the inline signature: "inline function type doesn't match") */
static int resolve_typeuse(cm *m, typeuse *t, uint32_t *idx) {
  if (t->has_idx) {
    if (t->has_inline) {
      if (t->idx >= m->ntypes) return errat(m, t->at, "unknown type", NULL);
      ftype *f = &m->types[t->idx];
      int same = f->np == t->p.n && f->nr == t->r.n && !(t->p.n && memcmp(f->p, t->p.v, t->p.n)) &&
                 !(t->r.n && memcmp(f->r, t->r.v, t->r.n));
      for (uint32_t q = 0; same && q < f->np + f->nr; q++)
        same = (f->h ? f->h[q] : 0) == (q < f->np ? vt_ht(&t->p, q) : vt_ht(&t->r, q - f->np));
      if (!same) return errat(m, t->at, "type mismatch: inline function type doesn't match type reference", NULL);
    }
    *idx = t->idx;
    return WK_OK;
  }
  return type_for(m, t->p.v, t->p.h, t->p.n, t->r.v, t->r.h, t->r.n, idx);
}

/* number of params of the type a typeuse denotes (for local numbering) */
static uint32_t typeuse_nparams(cm *m, const typeuse *t, int *known) {
  *known = 1;
  if (t->has_inline || !t->has_idx) return t->p.n;
  if (t->idx < m->ntypes) return m->types[t->idx].np;
  *known = 0;
  return 0;
}

/* ======================================================================
 * Instructions (6.5)
 * ====================================================================== */

typedef struct opinfo {
  const char *name;
  uint16_t op;
  uint8_t imm, aux;
} opinfo;

static const opinfo optable[] = {
#define X(NAME, OP, IMM, TXT, SIG, AUX, IOP) {TXT, OP, WK_IMM_##IMM, AUX},
    WK_OPCODES(X)
#undef X
};
#define NOPS (sizeof optable / sizeof optable[0])

static symtab g_ops; /* name -> optable index; built once, read-only afterwards */
static int g_ops_failed;
static pthread_once_t g_ops_once = PTHREAD_ONCE_INIT;

static void ops_build(void) {
  for (uint32_t i = 0; i < NOPS; i++) {
    if (!strcmp(optable[i].name, "select_t")) continue; /* text form is `select (result t)` */
    if (sym_add(&g_ops, optable[i].name, (uint32_t)strlen(optable[i].name), i) < 0) g_ops_failed = 1;
  }
}

static int ops_init(void) {
  pthread_once(&g_ops_once, ops_build);
  return g_ops_failed ? -1 : 0;
}

typedef struct label {
  const char *s;
  uint32_t len; /* s NULL: unnamed */
  uint8_t kind; /* legacy exception handling: 1 a try's body, 2 after catch, 3 after catch_all; else 0 */
} label;

typedef struct fctx {
  cm *m;
  symtab locals;
  uint32_t nlocals;
  int in_func;
  label *lab;
  uint32_t nlab, caplab;
  uint32_t label_count; /* blocks so far (label index for the name section) */
  namelist label_names;
  unsigned depth;
} fctx;

static void put_op(wk_buf *b, unsigned op) {
  if (op < 0x100) {
    wk_buf_byte(b, (uint8_t)op);
  } else if (op >= 0xfe00) { /* relaxed SIMD: 0xFD sub-opcode 0x100 + low byte (opcodes.h) */
    wk_buf_byte(b, 0xfd);
    wk_buf_uleb(b, 0x100 + (op & 0xff));
  } else {
    wk_buf_byte(b, (uint8_t)(op >> 8));
    wk_buf_uleb(b, op & 0xff);
  }
}

static int push_label(fctx *f, const wk_sx *id) {
  if (f->nlab == f->caplab) {
    uint32_t nc = f->caplab ? f->caplab * 2 : 16;
    label *nl = wk_reallocarray(f->lab, nc, sizeof *nl);
    if (!nl) return oom(f->m);
    f->lab = nl, f->caplab = nc;
  }
  f->lab[f->nlab].s = id ? id->text : NULL;
  f->lab[f->nlab].len = id ? id->len : 0;
  f->lab[f->nlab].kind = 0;
  f->nlab++;
  if (id && f->in_func) {
    const char *s;
    uint32_t len;
    name_of(f->m, NULL, id, &s, &len);
    if (nl_push(&f->label_names, f->label_count, s, len)) return oom(f->m);
  }
  f->label_count++;
  return WK_OK;
}

static int get_label(fctx *f, const wk_sx *x, uint32_t *v) {
  if (x->kind == WK_SX_ID) {
    for (uint32_t d = 0; d < f->nlab; d++) {
      label *l = &f->lab[f->nlab - 1 - d];
      if (l->s && l->len == x->len && !memcmp(l->s, x->text, x->len)) {
        *v = d;
        return WK_OK;
      }
    }
    char b[96];
    return errat(f->m, x, "unknown label %s", atom_str(x, b, sizeof b));
  }
  return get_u32(f->m, x, v);
}

/* blocktype (6.5.2): label? then typeuse lists */
static int put_blocktype(fctx *f, wk_buf *b, const wk_sx *k, uint32_t n, uint32_t *i) {
  typeuse t;
  int rc = parse_typeuse(f->m, k, n, i, &t, 0);
  if (!rc) {
    if (t.has_idx) {
      if (t.has_inline) {
        uint32_t idx;
        rc = resolve_typeuse(f->m, &t, &idx);
      }
      if (!rc) wk_buf_sleb(b, (int64_t)t.idx);
    } else if (t.p.n == 0 && t.r.n == 0) {
      wk_buf_byte(b, 0x40);
    } else if (t.p.n == 0 && t.r.n == 1) {
      wk_valtype_put(b, t.r.v[0], vt_ht(&t.r, 0));
    } else {
      uint32_t idx;
      rc = resolve_typeuse(f->m, &t, &idx);
      if (!rc) wk_buf_sleb(b, (int64_t)idx);
    }
  }
  tu_free(&t);
  return rc;
}

/* try_table's catch clauses (Core 3.0 text "Control Instructions"): (catch x l) (catch_ref x l) (catch_all l)
 * (catch_all_ref l), labels resolved outside the try_table (before its label is pushed). */
static int put_catches(fctx *f, wk_buf *b, const wk_sx *k, uint32_t n, uint32_t *i) {
  static const char *const kw[] = {"catch", "catch_ref", "catch_all", "catch_all_ref"};
  wk_buf t = {0};
  uint32_t cnt = 0;
  int rc = WK_OK;
  while (!rc && *i < n && is_list(&k[*i]) && k[*i].n) {
    const wk_sx *c = &k[*i];
    int kind = -1;
    for (int q = 0; q < 4; q++)
      if (is_kw(&c->kids[0], kw[q])) kind = q;
    if (kind < 0) break;
    uint32_t want = kind < 2 ? 3 : 2, x = 0, l;
    if (c->n != want) { rc = errat(f->m, c, "unexpected token: malformed catch clause", NULL); break; }
    wk_buf_byte(&t, (uint8_t)kind);
    if (kind < 2) {
      if ((rc = get_index(f->m, &c->kids[1], NS_TAG, &x))) break;
      wk_buf_uleb(&t, x);
    }
    if ((rc = get_label(f, &c->kids[want - 1], &l))) break;
    wk_buf_uleb(&t, l);
    cnt++, (*i)++;
  }
  if (!rc) {
    wk_buf_uleb(b, cnt);
    wk_buf_append(b, t.data, t.len);
  }
  wk_buf_free(&t);
  return rc;
}

static int get_local(fctx *f, const wk_sx *x, uint32_t *v) {
  if (x->kind == WK_SX_ID) {
    struct sym *e = f->in_func ? sym_find(&f->locals, x->text, x->len) : NULL;
    if (!e) {
      char b[96];
      return errat(f->m, x, "unknown local %s", atom_str(x, b, sizeof b));
    }
    *v = e->idx;
    return WK_OK;
  }
  return get_u32(f->m, x, v);
}

/* memarg (6.5.5): memidx? offset=? align=? */
static int put_memarg(fctx *f, wk_buf *b, const wk_sx *k, uint32_t n, uint32_t *i, unsigned natural) {
  cm *m = f->m;
  uint32_t mem = 0;
  if (*i < n && (k[*i].kind == WK_SX_ID || is_u32_atom(&k[*i]))) {
    int rc = get_index(m, &k[*i], NS_MEM, &mem);
    if (rc) return rc;
    (*i)++;
  }
  uint64_t offset = 0, align = 1ull << natural;
  if (*i < n && k[*i].kind == WK_SX_KEYWORD && k[*i].len > 7 && !memcmp(k[*i].text, "offset=", 7)) {
    int neg;
    int rc = parse_int(k[*i].text + 7, k[*i].len - 7, 0, &neg, &offset);
    if (rc == -1) return errat(m, &k[*i], "unknown operator: malformed offset", NULL);
    /* a u32 in 2.0 text (Core 2.0 6.5.7) unless the module has an i64 memory; a u64 in 3.0
     * text (Core 3.0 text/instructions.rst memarg: the validator checks it against the memory) */
    if (rc == -2 || (offset > UINT32_MAX && !m->mem64 && (m->flags & WK_WAT_CORE2))) return errat(m, &k[*i], "constant out of range: offset", NULL);
    (*i)++;
  }
  if (*i < n && k[*i].kind == WK_SX_KEYWORD && k[*i].len > 6 && !memcmp(k[*i].text, "align=", 6)) {
    int neg;
    int rc = parse_int(k[*i].text + 6, k[*i].len - 6, 0, &neg, &align);
    if (rc == -1) return errat(m, &k[*i], "unknown operator: malformed alignment", NULL);
    if (rc == -2 || align > UINT32_MAX) return errat(m, &k[*i], "constant out of range: alignment", NULL);
    if (align == 0 || (align & (align - 1))) return errat(m, &k[*i], "alignment must be a power of two", NULL);
    (*i)++;
  }
  unsigned a = (unsigned)__builtin_ctzll(align);
  if (mem == 0) {
    wk_buf_uleb(b, a);
  } else {
    wk_buf_uleb(b, a | 0x40);
    wk_buf_uleb(b, mem);
  }
  wk_buf_uleb(b, offset);
  return WK_OK;
}

/* A lane index after instruction `opx` (located at the instruction when the list ends). */
static int put_lane(fctx *f, wk_buf *b, const wk_sx *k, uint32_t n, uint32_t *i, const wk_sx *opx) {
  uint32_t v;
  if (*i >= n || k[*i].kind != WK_SX_RESERVED)
    return errat(f->m, *i < n ? &k[*i] : opx, "unexpected token: expected a lane index", NULL);
  int neg;
  uint64_t mag;
  int rc = parse_int(k[*i].text, k[*i].len, 0, &neg, &mag);
  if (rc) return errat(f->m, &k[*i], "malformed lane index", NULL);
  if (mag > 255) return errat(f->m, &k[*i], "malformed lane index", NULL);
  v = (uint32_t)mag;
  wk_buf_byte(b, (uint8_t)v);
  (*i)++;
  return WK_OK;
}

/* optional index (table/memory) defaulting to 0 */
static int opt_index(cm *m, const wk_sx *k, uint32_t n, uint32_t *i, int ns, uint32_t *v) {
  *v = 0;
  if (*i < n && is_index(&k[*i])) {
    int rc = get_index(m, &k[*i], ns, v);
    if (rc) return rc;
    (*i)++;
  }
  return WK_OK;
}

static int need_atom(cm *m, const wk_sx *k, uint32_t n, uint32_t i, const wk_sx *op) {
  if (i >= n || k[i].kind == WK_SX_LIST) {
    char b[96];
    return errat(m, i < n ? &k[i] : op, "unexpected token: `%s` needs an immediate", atom_str(op, b, sizeof b));
  }
  return WK_OK;
}

/* `op x` with one index immediate x (u32 or $id) in namespace `ns`: call, global.get/set,
 * call_ref / return_call_ref (type), throw (tag) */
static int put_indexed(cm *m, wk_buf *b, unsigned op, const wk_sx *opx, const wk_sx *k, uint32_t n, uint32_t *i,
                       int ns) {
  uint32_t v;
  int rc;
  if ((rc = need_atom(m, k, n, *i, opx)) || (rc = get_index(m, &k[*i], ns, &v))) return rc;
  (*i)++;
  put_op(b, op);
  wk_buf_uleb(b, v);
  return WK_OK;
}

/* v128.const shape lanes (6.5.x SIMD) */
static int put_v128(fctx *f, wk_buf *b, const wk_sx *k, uint32_t n, uint32_t *i, const wk_sx *op) {
  cm *m = f->m;
  int rc = need_atom(m, k, n, *i, op);
  if (rc) return rc;
  const wk_sx *sh = &k[*i];
  static const struct {
    const char *s;
    unsigned lanes, bits, flt;
  } shapes[] = {{"i8x16", 16, 8, 0}, {"i16x8", 8, 16, 0}, {"i32x4", 4, 32, 0},
                {"i64x2", 2, 64, 0}, {"f32x4", 4, 32, 1}, {"f64x2", 2, 64, 1}};
  int s = -1;
  for (int j = 0; j < 6; j++)
    if (is_kw(sh, shapes[j].s)) s = j;
  if (s < 0) return errat(m, sh, "unexpected token: expected a v128 shape", NULL);
  (*i)++;
  for (unsigned l = 0; l < shapes[s].lanes; l++) {
    if (*i >= n || k[*i].kind == WK_SX_LIST) return errat(m, *i < n ? &k[*i] : sh, "wrong number of lane literals", NULL);
    uint64_t u;
    if (shapes[s].flt) {
      rc = get_float(m, &k[*i], shapes[s].bits == 64, &u);
    } else {
      int64_t v;
      rc = get_int(m, &k[*i], shapes[s].bits, &v);
      u = (uint64_t)v;
    }
    if (rc) return rc;
    for (unsigned by = 0; by < shapes[s].bits / 8; by++) wk_buf_byte(b, (uint8_t)(u >> (8 * by)));
    (*i)++;
  }
  if (*i < n && k[*i].kind != WK_SX_LIST && k[*i].kind != WK_SX_KEYWORD)
    return errat(m, &k[*i], "wrong number of lane literals", NULL);
  return WK_OK;
}

/* Legacy exception handling's clauses in the flat form (exception-handling repository,
 * document/legacy/exceptions, text format): `catch x` and `catch_all` after a try's body or a
 * catch (catch_all last), `delegate l` ending a try's body (l resolved outside the try). */
static int legacy_clause(fctx *f, wk_buf *b, unsigned op, const wk_sx *opx, const wk_sx *k, uint32_t n, uint32_t *i) {
  cm *m = f->m;
  label *l = f->nlab ? &f->lab[f->nlab - 1] : NULL;
  uint32_t v = 0;
  int rc;
  if (!l || !l->kind || l->kind == 3 || (op == 0x18 && l->kind != 1))
    return errat(m, opx, "unexpected token: `%s` outside of a try", op == 0x07 ? "catch" : op == 0x19 ? "catch_all" : "delegate");
  if (op == 0x07 && ((rc = need_atom(m, k, n, *i, opx)) || (rc = get_index(m, &k[(*i)++], NS_TAG, &v)))) return rc;
  if (op == 0x18) {
    f->nlab--; /* (the try's label ends here) */
    if ((rc = need_atom(m, k, n, *i, opx)) || (rc = get_label(f, &k[(*i)++], &v))) return rc;
  } else {
    l->kind = op == 0x07 ? 2 : 3;
  }
  put_op(b, op);
  if (op != 0x19) wk_buf_uleb(b, v);
  return WK_OK;
}

static int encode_seq(fctx *f, wk_buf *b, const wk_sx *k, uint32_t n, uint32_t i);

/* The folded try (legacy exception handling, text format): (try label? blocktype (do instr*)
 * (catch x instr*)* (catch_all instr*)?) or (try label? blocktype (do instr*) (delegate l)). */
static int folded_try(fctx *f, wk_buf *b, const wk_sx *x) {
  cm *m = f->m;
  const wk_sx *k = x->kids;
  uint32_t n = x->n, i = 1, depth0 = f->nlab;
  const wk_sx *id = NULL;
  if (i < n && k[i].kind == WK_SX_ID) id = &k[i++];
  put_op(b, 0x06);
  int rc = put_blocktype(f, b, k, n, &i);
  if (!rc) rc = push_label(f, id);
  if (rc) return rc;
  f->lab[f->nlab - 1].kind = 1;
  if (i >= n || !wk_sx_head(&k[i], "do")) return errat(m, i < n ? &k[i] : x, "unexpected token: expected `(do ...)`", NULL);
  rc = encode_seq(f, b, k[i].kids, k[i].n, 1);
  i++;
  int delegated = 0;
  while (!rc && i < n) {
    const wk_sx *c = &k[i];
    if (!delegated && f->nlab != depth0 + 1) break; /* (unbalanced: the error below) */
    if (delegated || !is_list(c) || !c->n ||
        !(is_kw(&c->kids[0], "catch") || is_kw(&c->kids[0], "catch_all") || is_kw(&c->kids[0], "delegate"))) {
      rc = errat(m, c, "unexpected token: expected `(catch ...)`, `(catch_all ...)` or `(delegate ...)`", NULL);
      break;
    }
    uint32_t j = 1;
    if ((rc = legacy_clause(f, b, is_kw(&c->kids[0], "catch") ? 0x07 : is_kw(&c->kids[0], "catch_all") ? 0x19 : 0x18,
                            &c->kids[0], c->kids, c->n, &j)))
      break;
    if (is_kw(&c->kids[0], "delegate")) {
      delegated = 1;
      if (j != c->n) rc = errat(m, &c->kids[j], "unexpected token after delegate's label", NULL);
    } else {
      rc = encode_seq(f, b, c->kids, c->n, j);
    }
    i++;
  }
  if (!rc && f->nlab != depth0 + !delegated) rc = errat(m, x, "unexpected token: unbalanced block in folded form", NULL);
  if (!rc && !delegated) {
    f->nlab--;
    wk_buf_byte(b, 0x0b);
  }
  return rc;
}

/*
 * One instruction's immediates at k[*i..n) (the opcode already consumed)
 * into `b` (opcode included). For block/loop/if the label is pushed.
 */
static int put_instr(fctx *f, wk_buf *b, const wk_sx *opx, const wk_sx *k, uint32_t n, uint32_t *i) {
  cm *m = f->m;
  char nb[96];
  struct sym *e = sym_find(&g_ops, opx->text, opx->len);
  if (!e || is_kw(opx, "select")) {
    if (is_kw(opx, "select")) {
      /* select (result t*)* -> 0x1c vec(t) when any result clause, else 0x1b */
      vtvec ts = {0};
      int found = 0;
      while (*i < n && wk_sx_head(&k[*i], "result")) {
        found = 1;
        for (uint32_t j = 1; j < k[*i].n; j++) {
          uint32_t ht;
          uint8_t vt = valtype_ht(m, &k[*i].kids[j], &ht);
          if (!vt) {
            free(ts.v), free(ts.h);
            return errat(m, &k[*i].kids[j], "unexpected token: expected a value type", NULL);
          }
          if (vt_push_ht(&ts, vt, ht)) {
            free(ts.v), free(ts.h);
            return oom(m);
          }
        }
        (*i)++;
      }
      if (found) {
        wk_buf_byte(b, 0x1c);
        wk_buf_uleb(b, ts.n);
        for (uint32_t q = 0; q < ts.n; q++) wk_valtype_put(b, ts.v[q], vt_ht(&ts, q));
      } else {
        wk_buf_byte(b, 0x1b);
      }
      free(ts.v), free(ts.h);
      return WK_OK;
    }
    return errat(m, opx, "unknown operator `%s`", atom_str(opx, nb, sizeof nb));
  }
  const opinfo *oi = &optable[e->idx];
  uint32_t v, w;
  int rc = WK_OK;
  if (oi->op == 0x07 || oi->op == 0x19 || oi->op == 0x18) return legacy_clause(f, b, oi->op, opx, k, n, i);
  switch (oi->imm) {
  case WK_IMM_NONE:
    if (oi->op == 0x05 || oi->op == 0x0b) {
      /* else/end: optional label id that must match the innermost block */
      if (!f->nlab) return errat(m, opx, "unexpected token: `%s` without a block", oi->name);
      if (*i < n && k[*i].kind == WK_SX_ID) {
        label *l = &f->lab[f->nlab - 1];
        if (!l->s || l->len != k[*i].len || memcmp(l->s, k[*i].text, l->len))
          return errat(m, &k[*i], "mismatching label", NULL);
        (*i)++;
      }
      if (oi->op == 0x0b) f->nlab--;
    }
    put_op(b, oi->op);
    return WK_OK;
  case WK_IMM_BLOCK: case WK_IMM_TRY_TABLE: {
    const wk_sx *id = NULL;
    if (*i < n && k[*i].kind == WK_SX_ID) id = &k[(*i)++];
    put_op(b, oi->op);
    rc = put_blocktype(f, b, k, n, i);
    if (!rc && oi->imm == WK_IMM_TRY_TABLE) rc = put_catches(f, b, k, n, i);
    if (!rc) rc = push_label(f, id);
    if (!rc && oi->op == 0x06) f->lab[f->nlab - 1].kind = 1; /* legacy try (legacy_clause) */
    return rc;
  }
  case WK_IMM_TYPE: /* call_ref x, return_call_ref x (Core 3.0 6.5.x) */
    return put_indexed(m, b, oi->op, opx, k, n, i, NS_TYPE);
  case WK_IMM_TAG:
    return put_indexed(m, b, oi->op, opx, k, n, i, NS_TAG);
  case WK_IMM_TYPE_FIELD: case WK_IMM_TYPE_COUNT: case WK_IMM_TYPE_DATA: case WK_IMM_TYPE_ELEM:
  case WK_IMM_TYPE_TYPE: { /* Core 3.0 text/instructions.rst (GC): typeidx then field/u32/data/elem/typeidx */
    if ((rc = need_atom(m, k, n, *i, opx)) || (rc = get_index(m, &k[*i], NS_TYPE, &v))) return rc;
    (*i)++;
    if ((rc = need_atom(m, k, n, *i, opx))) return rc;
    const wk_sx *y = &k[*i];
    if (oi->imm == WK_IMM_TYPE_FIELD && y->kind == WK_SX_ID) {
      struct sym *fe = v < m->ntypes && m->types[v].fnames ? sym_find(m->types[v].fnames, y->text, y->len) : NULL;
      if (!fe) return errat(m, y, "unknown field %s", atom_str(y, nb, sizeof nb));
      w = fe->idx;
    } else if (oi->imm == WK_IMM_TYPE_FIELD || oi->imm == WK_IMM_TYPE_COUNT) {
      if ((rc = get_u32(m, y, &w))) return rc;
    } else if ((rc = get_index(m, y, oi->imm == WK_IMM_TYPE_DATA ? NS_DATA : oi->imm == WK_IMM_TYPE_ELEM ? NS_ELEM : NS_TYPE, &w)))
      return rc;
    (*i)++;
    put_op(b, oi->op);
    wk_buf_uleb(b, v);
    wk_buf_uleb(b, w);
    if (oi->imm == WK_IMM_TYPE_DATA && f->in_func) m->need_datacount = 1;
    return WK_OK;
  }
  case WK_IMM_HEAPTYPE: case WK_IMM_BR_ON_CAST: {
    /* ref.test rt / ref.cast rt (the opcode by rt's nullability), br_on_cast(_fail) l rt1 rt2 */
    uint32_t l = 0, hts[2];
    int nul[2], nrt = oi->imm == WK_IMM_BR_ON_CAST ? 2 : 1;
    if (nrt == 2) {
      if ((rc = need_atom(m, k, n, *i, opx)) || (rc = get_label(f, &k[*i], &l))) return rc;
      (*i)++;
    }
    for (int q = 0; q < nrt; q++) {
      uint32_t ht;
      uint8_t c;
      if (*i >= n || !(c = reftype_ht(m, &k[*i], &ht))) return errat(m, *i < n ? &k[*i] : opx, "unexpected token: expected a reference type", NULL);
      wk_vt t = wk_vt_make(c, ht);
      hts[q] = wk_vt_heap(t), nul[q] = wk_vt_nullable(t);
      (*i)++;
    }
    unsigned op = oi->op;
    if (nrt == 1) op = (op == WK_OP_REF_TEST || op == WK_OP_REF_TEST_NULL ? WK_OP_REF_TEST : WK_OP_REF_CAST) + (unsigned)nul[0];
    put_op(b, op);
    if (nrt == 2) {
      wk_buf_byte(b, (uint8_t)(nul[0] | nul[1] << 1));
      wk_buf_uleb(b, l);
    }
    for (int q = 0; q < nrt; q++) {
      wk_buf hb = {0}; /* the heap type's encoding: (ref null ht) without its 0x63 */
      wk_valtype_put(&hb, WK_REFNULL, hts[q]);
      if (hb.oom) return oom(m);
      wk_buf_append(b, hb.data + 1, hb.len - 1);
      wk_buf_free(&hb);
    }
    return WK_OK;
  }
  case WK_IMM_LABEL:
    if ((rc = need_atom(m, k, n, *i, opx)) || (rc = get_label(f, &k[*i], &v))) return rc;
    (*i)++;
    put_op(b, oi->op);
    wk_buf_uleb(b, v);
    return WK_OK;
  case WK_IMM_BR_TABLE: {
    wk_buf t = {0};
    uint32_t cnt = 0;
    while (*i < n && (k[*i].kind == WK_SX_ID || is_u32_atom(&k[*i]))) {
      if ((rc = get_label(f, &k[*i], &v))) {
        wk_buf_free(&t);
        return rc;
      }
      wk_buf_uleb(&t, v);
      cnt++, (*i)++;
    }
    if (!cnt) {
      wk_buf_free(&t);
      return errat(m, opx, "unexpected token: br_table needs a label", NULL);
    }
    put_op(b, oi->op);
    wk_buf_uleb(b, cnt - 1);
    wk_buf_append(b, t.data, t.len);
    wk_buf_free(&t);
    return WK_OK;
  }
  case WK_IMM_FUNC:
    return put_indexed(m, b, oi->op, opx, k, n, i, NS_FUNC);
  case WK_IMM_CALL_INDIRECT: {
    if ((rc = opt_index(m, k, n, i, NS_TABLE, &w))) return rc;
    typeuse t;
    rc = parse_typeuse(m, k, n, i, &t, 0);
    if (!rc) rc = resolve_typeuse(m, &t, &v);
    tu_free(&t);
    if (rc) return rc;
    put_op(b, oi->op);
    wk_buf_uleb(b, v);
    wk_buf_uleb(b, w);
    return WK_OK;
  }
  case WK_IMM_LOCAL:
    if ((rc = need_atom(m, k, n, *i, opx)) || (rc = get_local(f, &k[*i], &v))) return rc;
    (*i)++;
    put_op(b, oi->op);
    wk_buf_uleb(b, v);
    return WK_OK;
  case WK_IMM_GLOBAL:
    return put_indexed(m, b, oi->op, opx, k, n, i, NS_GLOBAL);
  case WK_IMM_TABLE:
    if ((rc = opt_index(m, k, n, i, NS_TABLE, &v))) return rc;
    put_op(b, oi->op);
    wk_buf_uleb(b, v);
    return WK_OK;
  case WK_IMM_MEMARG:
    put_op(b, oi->op);
    return put_memarg(f, b, k, n, i, oi->aux);
  case WK_IMM_MEM:
    if ((rc = opt_index(m, k, n, i, NS_MEM, &v))) return rc;
    put_op(b, oi->op);
    wk_buf_uleb(b, v);
    return WK_OK;
  case WK_IMM_I32:
  case WK_IMM_I64: {
    int64_t x;
    if ((rc = need_atom(m, k, n, *i, opx)) || (rc = get_int(m, &k[*i], oi->imm == WK_IMM_I32 ? 32 : 64, &x))) return rc;
    (*i)++;
    put_op(b, oi->op);
    wk_buf_sleb(b, x);
    return WK_OK;
  }
  case WK_IMM_F32:
  case WK_IMM_F64: {
    uint64_t bits;
    int is64 = oi->imm == WK_IMM_F64;
    if ((rc = need_atom(m, k, n, *i, opx)) || (rc = get_float(m, &k[*i], is64, &bits))) return rc;
    (*i)++;
    put_op(b, oi->op);
    for (int by = 0; by < (is64 ? 8 : 4); by++) wk_buf_byte(b, (uint8_t)(bits >> (8 * by)));
    return WK_OK;
  }
  case WK_IMM_REFTYPE: {
    if ((rc = need_atom(m, k, n, *i, opx))) return rc;
    uint32_t ht;
    if (heaptype_ht(m, &k[*i], &ht)) return errat(m, &k[*i], "unexpected token: expected a heap type", NULL);
    (*i)++;
    put_op(b, oi->op);
    wk_buf hb = {0}; /* the heap type's encoding: (ref null ht) without its 0x63 */
    wk_valtype_put(&hb, WK_REFNULL, ht);
    if (hb.oom) return oom(m);
    wk_buf_append(b, hb.data + 1, hb.len - 1);
    wk_buf_free(&hb);
    return WK_OK;
  }
  case WK_IMM_MEM_INIT:
  case WK_IMM_TABLE_INIT: {
    /* memory.init memidx? dataidx ; table.init tableidx? elemidx */
    int seg_ns = oi->imm == WK_IMM_MEM_INIT ? NS_DATA : NS_ELEM;
    int own_ns = oi->imm == WK_IMM_MEM_INIT ? NS_MEM : NS_TABLE;
    uint32_t own = 0, seg;
    if ((rc = need_atom(m, k, n, *i, opx))) return rc;
    if (*i + 1 < n && is_index(&k[*i]) && is_index(&k[*i + 1])) {
      if ((rc = get_index(m, &k[*i], own_ns, &own))) return rc;
      (*i)++;
    }
    if ((rc = get_index(m, &k[*i], seg_ns, &seg))) return rc;
    (*i)++;
    put_op(b, oi->op);
    wk_buf_uleb(b, seg);
    wk_buf_uleb(b, own);
    if (oi->imm == WK_IMM_MEM_INIT) m->need_datacount = m->need_datacount || f->in_func;
    return WK_OK;
  }
  case WK_IMM_DATA:
  case WK_IMM_ELEM:
    if ((rc = need_atom(m, k, n, *i, opx)) ||
        (rc = get_index(m, &k[*i], oi->imm == WK_IMM_DATA ? NS_DATA : NS_ELEM, &v)))
      return rc;
    (*i)++;
    put_op(b, oi->op);
    wk_buf_uleb(b, v);
    if (oi->imm == WK_IMM_DATA && f->in_func) m->need_datacount = 1;
    return WK_OK;
  case WK_IMM_MEM_COPY:
  case WK_IMM_TABLE_COPY: {
    int ns = oi->imm == WK_IMM_MEM_COPY ? NS_MEM : NS_TABLE;
    uint32_t d = 0, s = 0;
    if (*i < n && is_index(&k[*i])) {
      if ((rc = get_index(m, &k[*i], ns, &d))) return rc;
      (*i)++;
      if (*i >= n || !is_index(&k[*i])) return errat(m, opx, "unexpected token: expected a second index", NULL);
      if ((rc = get_index(m, &k[*i], ns, &s))) return rc;
      (*i)++;
    }
    put_op(b, oi->op);
    wk_buf_uleb(b, d);
    wk_buf_uleb(b, s);
    return WK_OK;
  }
  case WK_IMM_V128:
    put_op(b, oi->op);
    return put_v128(f, b, k, n, i, opx);
  case WK_IMM_SHUFFLE:
    put_op(b, oi->op);
    for (int l = 0; l < 16; l++) {
      if (*i >= n || k[*i].kind == WK_SX_LIST) return errat(m, *i < n ? &k[*i] : opx, "invalid lane length", NULL);
      if ((rc = put_lane(f, b, k, n, i, opx))) return rc;
    }
    if (*i < n && k[*i].kind == WK_SX_RESERVED) return errat(m, &k[*i], "invalid lane length", NULL);
    return WK_OK;
  case WK_IMM_LANE:
    put_op(b, oi->op);
    return put_lane(f, b, k, n, i, opx);
  case WK_IMM_MEMARG_LANE: {
    /* the first integer is a memory index only when followed by another
     * integer or by offset=/align= (wasm-tools' rule) */
    int has_memarg = 1;
    if (*i < n && is_u32_atom(&k[*i])) {
      has_memarg = 0;
      if (*i + 1 < n && is_u32_atom(&k[*i + 1])) has_memarg = 1;
      if (*i + 1 < n && k[*i + 1].kind == WK_SX_KEYWORD &&
          ((k[*i + 1].len > 7 && !memcmp(k[*i + 1].text, "offset=", 7)) ||
           (k[*i + 1].len > 6 && !memcmp(k[*i + 1].text, "align=", 6))))
        has_memarg = 1;
    }
    put_op(b, oi->op);
    if (has_memarg) {
      if ((rc = put_memarg(f, b, k, n, i, oi->aux))) return rc;
    } else {
      wk_buf_uleb(b, oi->aux);
      wk_buf_uleb(b, 0);
    }
    return put_lane(f, b, k, n, i, opx);
  }
  default:
    return errat(m, opx, "unknown operator `%s`", atom_str(opx, nb, sizeof nb));
  }
}

static int encode_seq(fctx *f, wk_buf *b, const wk_sx *k, uint32_t n, uint32_t i);

/* a folded instruction `( ... )` (6.5.8) */
static int encode_folded(fctx *f, wk_buf *b, const wk_sx *x) {
  cm *m = f->m;
  if (++f->depth > WK_SX_MAX_DEPTH) return errat(m, x, "nesting too deep", NULL);
  int rc;
  if (!x->n || x->kids[0].kind != WK_SX_KEYWORD) {
    f->depth--;
    return errat(m, x, x->n ? "unknown operator: expected an instruction" : "unexpected token: empty `()`", NULL);
  }
  const wk_sx *opx = &x->kids[0];
  const wk_sx *k = x->kids;
  uint32_t n = x->n, i = 1;
  if (is_kw(opx, "block") || is_kw(opx, "loop") || is_kw(opx, "try_table")) {
    uint32_t depth0 = f->nlab;
    rc = put_instr(f, b, opx, k, n, &i);
    if (!rc) rc = encode_seq(f, b, k, n, i);
    if (!rc && f->nlab != depth0 + 1) rc = errat(m, x, "unexpected token: unbalanced block in folded form", NULL);
    if (!rc) {
      f->nlab--;
      wk_buf_byte(b, 0x0b);
    }
  } else if (is_kw(opx, "if")) {
    /* (if label? blocktype foldedinstr* (then instr*) (else instr*)?) */
    const wk_sx *id = NULL;
    if (i < n && k[i].kind == WK_SX_ID) id = &k[i++];
    wk_buf bt = {0};
    rc = put_blocktype(f, &bt, k, n, &i);
    while (!rc && i < n && !wk_sx_head(&k[i], "then")) {
      if (!is_list(&k[i])) {
        rc = errat(m, &k[i], "unexpected token: expected `(`", NULL);
        break;
      }
      rc = encode_folded(f, b, &k[i]);
      i++;
    }
    if (!rc && i >= n) rc = errat(m, x, "unexpected token: previous `if` had no `then`", NULL);
    if (!rc) {
      wk_buf_byte(b, 0x04);
      wk_buf_append(b, bt.data, bt.len);
      rc = push_label(f, id);
    }
    wk_buf_free(&bt);
    if (!rc) {
      uint32_t depth0 = f->nlab;
      rc = encode_seq(f, b, k[i].kids, k[i].n, 1);
      i++;
      if (!rc && i < n) {
        if (!wk_sx_head(&k[i], "else")) {
          rc = errat(m, &k[i], "unexpected token: expected `(else ...)`", NULL);
        } else {
          wk_buf_byte(b, 0x05);
          rc = encode_seq(f, b, k[i].kids, k[i].n, 1);
          i++;
          if (!rc && i < n) rc = errat(m, &k[i], "unexpected token: too many payloads inside of `(if)`", NULL);
        }
      }
      if (!rc && f->nlab != depth0) rc = errat(m, x, "unexpected token: unbalanced block in folded form", NULL);
      if (!rc) {
        f->nlab--;
        wk_buf_byte(b, 0x0b);
      }
    }
  } else if (is_kw(opx, "try")) {
    rc = folded_try(f, b, x);
  } else {
    wk_buf ins = {0};
    if (is_kw(opx, "else") || is_kw(opx, "end") || is_kw(opx, "then"))
      rc = errat(m, opx, "unexpected token: `%s` in a folded instruction", is_kw(opx, "then") ? "then" : "else/end");
    else if (is_kw(opx, "catch") || is_kw(opx, "catch_all") || is_kw(opx, "delegate") || is_kw(opx, "do"))
      rc = errat(m, opx, "unexpected token: `%s` outside of a folded try", is_kw(opx, "do") ? "do" : "catch/delegate");
    else
      rc = put_instr(f, &ins, opx, k, n, &i);
    if (!rc) rc = encode_seq(f, b, k, n, i);
    if (!rc) wk_buf_append(b, ins.data, ins.len);
    wk_buf_free(&ins);
  }
  f->depth--;
  return rc;
}

/* a sequence of plain and folded instructions k[i..n) */
static int encode_seq(fctx *f, wk_buf *b, const wk_sx *k, uint32_t n, uint32_t i) {
  while (i < n) {
    const wk_sx *x = &k[i];
    int rc;
    if (x->kind == WK_SX_LIST) {
      rc = encode_folded(f, b, x);
      i++;
    } else if (x->kind == WK_SX_KEYWORD) {
      i++;
      rc = put_instr(f, b, x, k, n, &i);
    } else {
      char nb[96];
      rc = errat(f->m, x, "unexpected token `%s`", atom_str(x, nb, sizeof nb));
    }
    if (rc) return rc;
    if (b->oom) return oom(f->m);
  }
  return WK_OK;
}

/* constant expression (globals, offsets, elem items): instr* + end */
static int encode_const(cm *m, wk_buf *b, const wk_sx *k, uint32_t n, uint32_t i) {
  fctx f = {0};
  f.m = m;
  int rc = encode_seq(&f, b, k, n, i);
  free(f.lab);
  free(f.label_names.v);
  if (!rc && f.nlab) rc = errat(m, n ? &k[n - 1] : NULL, "unexpected end: unclosed block", NULL);
  wk_buf_byte(b, 0x0b);
  return rc;
}

/* ======================================================================
 * Module fields (6.6)
 * ====================================================================== */

static void put_name(wk_buf *b, const char *s, uint32_t n) {
  wk_buf_uleb(b, n);
  wk_buf_append(b, s, n);
}

static int utf8_name(cm *m, const wk_sx *x) {
  if (!wk_utf8_valid((const uint8_t *)x->text, x->len)) return errat(m, x, "malformed UTF-8 encoding", NULL);
  return WK_OK;
}

/* field id at kids[1] if any: returns next index */
static uint32_t field_id(const wk_sx *x, const wk_sx **id) {
  if (x->n > 1 && x->kids[1].kind == WK_SX_ID) {
    *id = &x->kids[1];
    return 2;
  }
  *id = NULL;
  return 1;
}

/* The name-section name of an item: its `(@name "...")` annotation (after
 * the $id, or first in `list` when there is no id) else the id itself, as
 * wasm-tools' get_name. *s NULL: no name. */
static void name_of(cm *m, const wk_sx *list, const wk_sx *id, const char **s, uint32_t *len) {
  *s = id ? id->text : NULL;
  *len = id ? id->len : 0;
  if (!m->anames.n) return;
  const wk_sx *key = id ? id : list;
  if (!key) return;
  struct sym *e = sym_find(&m->anames, (const char *)&key->offset, 4);
  if (e) *s = m->aname[e->idx]->text, *len = m->aname[e->idx]->len;
}

static int declare_named(cm *m, int ns, const wk_sx *id, const wk_sx *list, int use_annot) {
  uint32_t idx = m->cnt[ns]++;
  if (id) {
    int r = sym_add(&m->ns[ns], id->text, id->len, idx);
    if (r < 0) return oom(m);
    if (r > 0) {
      char b[96], msg[160];
      snprintf(msg, sizeof msg, "duplicate %s %s", ns_what[ns], atom_str(id, b, sizeof b));
      return errat(m, id, "%s", msg);
    }
  }
  const char *s;
  uint32_t len;
  if (use_annot) {
    name_of(m, list, id, &s, &len);
  } else {
    s = id ? id->text : NULL;
    len = id ? id->len : 0;
  }
  if (s && nl_push(&m->names[ns], idx, s, len)) return oom(m);
  return WK_OK;
}

/* an item whose `(@name)` annotation is not used (inline imports of tables,
 * memories and globals: wasm-tools drops it when it de-inlines them) */
static int declare(cm *m, int ns, const wk_sx *id) { return declare_named(m, ns, id, NULL, 0); }

/* `(export "name")*` then `(import "m" "n")?` after the id: positions */
static void inline_ie(const wk_sx *x, uint32_t i, uint32_t *after_exports, const wk_sx **import) {
  while (i < x->n && wk_sx_head(&x->kids[i], "export")) i++;
  *import = NULL;
  if (i < x->n && wk_sx_head(&x->kids[i], "import")) *import = &x->kids[i++];
  *after_exports = i;
}

static int check_import_order(cm *m, const wk_sx *x) {
  if (m->last_def) {
    char msg[64];
    snprintf(msg, sizeof msg, "import after %s", m->last_def);
    return errat(m, x, "%s", msg);
  }
  return WK_OK;
}

/* pass 1 over one field */
/* ---- type definitions (Core 3.0 text/types.rst, text/modules.rst) ---- */

/* storagetype ::= valtype | i8 | i16; fieldtype ::= storagetype | (mut storagetype) */
static int fieldtype_of(cm *m, const wk_sx *x, uint8_t *st, uint8_t *mut, uint32_t *ht) {
  *mut = 0;
  *ht = 0;
  if (wk_sx_head(x, "mut")) {
    if (x->n != 2) return errat(m, x, "unexpected token: expected `(mut storagetype)`", NULL);
    *mut = 1;
    x = &x->kids[1];
  }
  if (is_kw(x, "i8")) { *st = WK_PACKED_I8; return WK_OK; }
  if (is_kw(x, "i16")) { *st = WK_PACKED_I16; return WK_OK; }
  if (!(*st = valtype_ht(m, x, ht))) return errat(m, x, "unexpected token: expected a storage type", NULL);
  return WK_OK;
}

/* append field (st, mut, ht) to type t, named `id` (may be NULL) */
static int add_field(cm *m, ftype *t, uint8_t st, uint8_t mut, uint32_t ht, const wk_sx *id) {
  uint32_t k = t->nfields;
  if (k == 0 || (k >= 4 && (k & (k - 1)) == 0)) { /* capacity 4, 8, 16...: grow at a power of two (arena: old arrays stay) */
    uint32_t nc = k ? 2 * k : 4;
    uint8_t *a = wk_arena_alloc(&m->ar, nc), *b = wk_arena_alloc(&m->ar, nc);
    uint32_t *c = wk_arena_alloc(&m->ar, (size_t)nc * sizeof *c);
    if (!a || !b || !c) return oom(m);
    if (k) memcpy(a, t->fst, k), memcpy(b, t->fmut, k), memcpy(c, t->fht, k * sizeof *c);
    t->fst = a, t->fmut = b, t->fht = c;
  }
  t->fst[k] = st, t->fmut[k] = mut, t->fht[k] = ht;
  t->nfields++;
  if (id) {
    if (!t->fnames && !(t->fnames = calloc(1, sizeof *t->fnames))) return oom(m);
    int r = sym_add(t->fnames, id->text, id->len, k);
    if (r < 0) return oom(m);
    if (r) return errat(m, id, "duplicate field", NULL);
  }
  return WK_OK;
}

/* One `(type $id? deftype)` at type index m->ntypes, in the rec group [gs, gs+gn). */
static int define_type(cm *m, const wk_sx *x, uint32_t gs, uint32_t gn, int rec_explicit) {
  const wk_sx *id;
  uint32_t i = field_id(x, &id);
  int rc;
  if (i >= x->n || i + 1 != x->n || !is_list(&x->kids[i]))
    return errat(m, x, "unexpected token: expected one type in a type definition", NULL);
  const wk_sx *b = &x->kids[i];
  int final = 1, sub = 0;
  uint32_t nsup = 0, sups[8];
  if (wk_sx_head(b, "sub")) { /* (sub final? typeidx* comptype) */
    uint32_t j = 1;
    sub = 1, final = 0;
    if (j < b->n && is_kw(&b->kids[j], "final")) final = 1, j++;
    for (; j < b->n && is_index(&b->kids[j]); j++) {
      uint32_t v;
      if ((rc = get_index(m, &b->kids[j], NS_TYPE, &v))) return rc;
      if (nsup < 8) sups[nsup] = v;
      nsup++;
    }
    if (nsup > 8) return errat(m, b, "unexpected token: too many supertypes", NULL);
    if (j + 1 != b->n || !is_list(&b->kids[j])) return errat(m, b, "unexpected token: expected `(sub final? typeidx* comptype)`", NULL);
    b = &b->kids[j];
  }
  uint32_t idx;
  int gc = sub || rec_explicit || gn != 1;
  if (wk_sx_head(b, "func")) {
    uint32_t fi = 1;
    typeuse t;
    rc = parse_typeuse(m, b->kids, b->n, &fi, &t, 1);
    if (!rc && t.has_idx) rc = errat(m, b, "unexpected token: `type` inside a type definition", NULL);
    if (!rc && fi != b->n) rc = errat(m, &b->kids[fi], "unexpected token in a function type", NULL);
    m->no_tmap = gc && !(final && !nsup && gn == 1 && !rec_explicit);
    if (!rc) rc = add_type(m, t.p.v, t.p.h, t.p.n, t.r.v, t.r.h, t.r.n, &idx);
    m->no_tmap = 0;
    tu_free(&t);
    if (rc) return rc;
  } else if (wk_sx_head(b, "struct") || wk_sx_head(b, "array")) {
    gc = 1;
    m->no_tmap = 1; /* (not a function type: never a type use's match) */
    rc = add_type(m, NULL, NULL, 0, NULL, NULL, 0, &idx);
    m->no_tmap = 0;
    if (rc) return rc;
    ftype *t = &m->types[idx];
    int is_struct = wk_sx_head(b, "struct");
    t->kind = is_struct ? WK_COMP_STRUCT : WK_COMP_ARRAY;
    uint8_t st, mut;
    uint32_t ht;
    if (!is_struct) {
      if (b->n != 2) return errat(m, b, "unexpected token: expected `(array fieldtype)`", NULL);
      if ((rc = fieldtype_of(m, &b->kids[1], &st, &mut, &ht)) || (rc = add_field(m, t, st, mut, ht, NULL))) return rc;
    } else {
      for (uint32_t q = 1; q < b->n; q++) {
        const wk_sx *f = &b->kids[q];
        if (!wk_sx_head(f, "field")) return errat(m, f, "unexpected token: expected `(field ...)`", NULL);
        if (f->n >= 2 && f->kids[1].kind == WK_SX_ID) { /* (field $id fieldtype) */
          if (f->n != 3) return errat(m, f, "unexpected token: a named field has exactly one type", NULL);
          if ((rc = fieldtype_of(m, &f->kids[2], &st, &mut, &ht)) ||
              (rc = add_field(m, t, st, mut, ht, &f->kids[1])))
            return rc;
          continue;
        }
        for (uint32_t r = 1; r < f->n; r++)
          if ((rc = fieldtype_of(m, &f->kids[r], &st, &mut, &ht)) || (rc = add_field(m, t, st, mut, ht, NULL)))
            return rc;
      }
    }
  } else {
    return errat(m, b, "unexpected token: expected `(func ...)`, `(struct ...)` or `(array ...)`", NULL);
  }
  ftype *t = &m->types[idx];
  t->final = (uint8_t)final;
  t->nsup = nsup;
  if (nsup) {
    if (!(t->sups = wk_arena_alloc(&m->ar, nsup * sizeof *t->sups))) return oom(m);
    memcpy(t->sups, sups, nsup * sizeof *sups);
  }
  t->rec_start = gs, t->rec_size = gn;
  t->rec_explicit = (uint8_t)rec_explicit;
  if (gc) m->gc = 1;
  /* field names (name section subsection 10, an indirect name map: typeidx, namemap) */
  if (t->fnames) {
    const wk_sx *bk = b->kids;
    uint32_t cnt = 0, k = 0;
    wk_buf e = {0};
    for (uint32_t q = 1; q < b->n; q++) {
      const wk_sx *f = &bk[q];
      if (f->n >= 2 && f->kids[1].kind == WK_SX_ID) {
        const char *s;
        uint32_t len;
        name_of(m, NULL, &f->kids[1], &s, &len);
        wk_buf_uleb(&e, k);
        wk_buf_uleb(&e, len);
        wk_buf_append(&e, s, len);
        cnt++, k++;
      } else k += f->n - 1;
    }
    wk_buf_uleb(&m->nm_fields, idx);
    wk_buf_uleb(&m->nm_fields, cnt);
    wk_buf_append(&m->nm_fields, e.data, e.len);
    m->n_nm_fields++;
    if (e.oom) m->nm_fields.oom = 1;
    wk_buf_free(&e);
  }
  return WK_OK;
}

/* pass 1b: the bodies of all `type` and `rec` fields, in order (type indices as declared) */
static int define_types(cm *m, const wk_sx *fields, uint32_t nf) {
  int rc = WK_OK;
  for (uint32_t i = 0; !rc && i < nf; i++) {
    const wk_sx *x = &fields[i];
    if (is_kw(&x->kids[0], "type")) rc = define_type(m, x, m->ntypes, 1, 0);
    else if (is_kw(&x->kids[0], "rec")) {
      uint32_t gs = m->ntypes, gn = x->n - 1;
      m->gc = 1;
      if (!gn) {
        if (m->nempty == m->capempty) {
          uint32_t nc = m->capempty ? 2 * m->capempty : 4;
          uint32_t *ne = wk_reallocarray(m->empty_recs, nc, sizeof *ne);
          if (!ne) return oom(m);
          m->empty_recs = ne, m->capempty = nc;
        }
        m->empty_recs[m->nempty++] = gs;
      }
      for (uint32_t q = 1; !rc && q < x->n; q++) rc = define_type(m, &x->kids[q], gs, gn, 1);
    }
  }
  return rc;
}

/* Core 3.0 binary/types.rst: one subtype's bytes (the canonical form wasm-tools writes: no
 * prefix when final without supertype) */
static void subtype_bytes(wk_buf *b, const ftype *t) {
  if (!t->final || t->nsup) {
    wk_buf_byte(b, t->final ? 0x4f : 0x50);
    wk_buf_uleb(b, t->nsup);
    for (uint32_t k = 0; k < t->nsup; k++) wk_buf_uleb(b, t->sups[k]);
  }
  if (t->kind == WK_COMP_FUNC) {
    ftype_bytes(b, t->p, t->h, t->np, t->r, t->h ? t->h + t->np : NULL, t->nr);
    return;
  }
  wk_buf_byte(b, t->kind == WK_COMP_STRUCT ? 0x5f : 0x5e);
  if (t->kind == WK_COMP_STRUCT) wk_buf_uleb(b, t->nfields);
  for (uint32_t k = 0; k < t->nfields; k++) {
    if (t->fst[k] == WK_PACKED_I8 || t->fst[k] == WK_PACKED_I16) wk_buf_byte(b, t->fst[k]);
    else wk_valtype_put(b, t->fst[k], t->fht[k]);
    wk_buf_byte(b, t->fmut[k]);
  }
}

static int declare_field(cm *m, const wk_sx *x) {
  const wk_sx *id;
  uint32_t i = field_id(x, &id);
  const wk_sx *imp;
  uint32_t j;
  int rc;
  const wk_sx *h = &x->kids[0];
  if (is_kw(h, "type")) /* (the body is read by define_types, once every type $id is known) */
    return declare_named(m, NS_TYPE, id, x, 1);
  if (is_kw(h, "rec")) { /* Core 3.0 text/modules.rst: (rec (type ...)*) */
    for (uint32_t q = 1; q < x->n; q++) {
      const wk_sx *t = &x->kids[q];
      if (!wk_sx_head(t, "type")) return errat(m, t, "unexpected token: expected `(type ...)` in a rec group", NULL);
      const wk_sx *tid;
      field_id(t, &tid);
      if ((rc = declare_named(m, NS_TYPE, tid, t, 1))) return rc;
    }
    return WK_OK;
  }
  if (is_kw(h, "import")) {
    if ((rc = check_import_order(m, x))) return rc;
    /* (import "m" "n" (kind $id? ...)) */
    if (x->n != 4 || !is_list(&x->kids[3]) || !x->kids[3].n)
      return errat(m, x, "unexpected token: expected (import \"module\" \"name\" (desc))", NULL);
    const wk_sx *d = &x->kids[3];
    const wk_sx *did = d->n > 1 && d->kids[1].kind == WK_SX_ID ? &d->kids[1] : NULL;
    int ns = is_kw(&d->kids[0], "func") ? NS_FUNC
             : is_kw(&d->kids[0], "table") ? NS_TABLE
             : is_kw(&d->kids[0], "memory") ? NS_MEM
             : is_kw(&d->kids[0], "global") ? NS_GLOBAL
             : is_kw(&d->kids[0], "tag")    ? NS_TAG
                                             : -1;
    if (ns < 0) return errat(m, &d->kids[0], "unexpected token: unknown import kind", NULL);
    if (ns == NS_MEM)
      for (uint32_t q = 1; q < d->n; q++) m->mem64 |= is_kw(&d->kids[q], "i64");
    return declare_named(m, ns, did, d, 1);
  }
  static const struct {
    const char *kw, *def;
    int ns;
  } defs[] = {{"func", "function", NS_FUNC}, {"table", "table", NS_TABLE}, {"memory", "memory", NS_MEM},
              {"global", "global", NS_GLOBAL}, {"tag", "tag", NS_TAG}};
  for (int d = 0; d < 5; d++) {
    if (!is_kw(h, defs[d].kw)) continue;
    inline_ie(x, i, &j, &imp);
    if (imp) {
      if ((rc = check_import_order(m, imp))) return rc;
    } else {
      m->last_def = defs[d].def;
    }
    if (d == 2)
      for (uint32_t q = j; q < x->n; q++) m->mem64 |= is_kw(&x->kids[q], "i64");
    /* explicit index type (the default i32, or memory64's i64) */
    if (d >= 1 && d <= 2 && !imp && j < x->n && (is_kw(&x->kids[j], "i32") || is_kw(&x->kids[j], "i64"))) j++;
    if (d == 1 && !imp) {
      /* `(table $t? (export)* reftype (elem ...))`: an active elem segment here */
      if (j + 1 < x->n && (reftype_of(&x->kids[j]) || wk_sx_head(&x->kids[j], "ref")) &&
          wk_sx_head(&x->kids[j + 1], "elem"))
        if ((rc = declare(m, NS_ELEM, NULL))) return rc;
    }
    if (d == 2 && !imp) {
      if (j < x->n && wk_sx_head(&x->kids[j], "data"))
        if ((rc = declare(m, NS_DATA, NULL))) return rc;
    }
    /* only a function keeps its @name through an inline import (wasm-tools) */
    return declare_named(m, defs[d].ns, id, x, !(imp && d != 0));
  }
  if (is_kw(h, "elem")) return declare_named(m, NS_ELEM, id, x, 1);
  if (is_kw(h, "data")) return declare_named(m, NS_DATA, id, x, 1);
  if (is_kw(h, "export") || is_kw(h, "start")) return WK_OK;
  char b[96];
  return errat(m, h, "unexpected token: unknown module field `%s`", atom_str(h, b, sizeof b));
}

static int is_u64_atom(const wk_sx *x) {
  int neg;
  uint64_t mag;
  return atom_num(x) && parse_int(x->text, x->len, 0, &neg, &mag) != -1;
}

/* u64 (memory64 limits) */
static int get_u64(cm *m, const wk_sx *x, uint64_t *v) {
  int neg;
  if (!atom_num(x)) return errat(m, x, "expected a u64", NULL);
  int rc = parse_int(x->text, x->len, 0, &neg, v);
  if (rc == -1) return errat(m, x, "unknown operator: expected a u64", NULL);
  if (rc == -2) return errat(m, x, "constant out of range (u64)", NULL);
  return WK_OK;
}

/* limits (6.4.x): u32 min, u32 max?; Core 3.0 6.4.x: `i64` u64 min, u64 max?
 * (memory64: binary flags 0x04 / 0x05) */
static int put_limits_(cm *m, wk_buf *b, const wk_sx *k, uint32_t n, uint32_t *i, const wk_sx *at);
/* limits, then the threads proposal's `shared` (memtype ::= addrtype? limits shared?): flag bit
 * 0x02. Validation rejects shared memories (no threads); tables reject it (put_tabletype). */
static int put_limits(cm *m, wk_buf *b, const wk_sx *k, uint32_t n, uint32_t *i, const wk_sx *at) {
  size_t flag = b->len;
  int rc = put_limits_(m, b, k, n, i, at);
  if (!rc && *i < n && is_kw(&k[*i], "shared") && !b->oom) {
    b->data[flag] |= 2;
    (*i)++;
  }
  return rc;
}

static int put_limits_(cm *m, wk_buf *b, const wk_sx *k, uint32_t n, uint32_t *i, const wk_sx *at) {
  /* addrtype? min max? (an explicit `i32` is the default). Core 3.0 text/modules.rst: the limits
   * are u64 for either address type, encoded as written (the 3.0 binary reads them as u64,
   * binary/types.rst; validation checks an i32 limit's range, so above 2^32-1 is invalid, not
   * malformed text). 2.0 text (WK_WAT_CORE2) without `i64`: u32, a bigger one is malformed. */
  uint8_t flag = 0;
  if (*i < n && is_kw(&k[*i], "i64")) flag = 4, (*i)++;
  else if (*i < n && is_kw(&k[*i], "i32")) (*i)++;
  int u32 = !flag && (m->flags & WK_WAT_CORE2);
  uint64_t v[2];
  int nv = 0;
  for (; nv < 2 && *i < n && (u32 ? is_u32_atom(&k[*i]) : is_u64_atom(&k[*i])); nv++, (*i)++) {
    uint32_t w;
    int rc = u32 ? get_u32(m, &k[*i], &w) : get_u64(m, &k[*i], &v[nv]);
    if (rc) return rc;
    if (u32) v[nv] = w;
  }
  if (!nv) return errat(m, *i < n ? &k[*i] : at, "unexpected token: expected limits", NULL);
  wk_buf_byte(b, (uint8_t)(flag | (nv == 2))); /* 0x00 / 0x01 (i32), 0x04 / 0x05 (i64): max present */
  for (int q = 0; q < nv; q++) wk_buf_uleb(b, v[q]);
  return WK_OK;
}

static int put_tabletype(cm *m, wk_buf *b, const wk_sx *k, uint32_t n, uint32_t *i, const wk_sx *at) {
  wk_buf lim = {0};
  const wk_sx *lk = *i < n ? &k[*i] : at;
  int rc = put_limits(m, &lim, k, n, i, at);
  if (!rc && lim.len && (lim.data[0] & 2)) rc = errat(m, lk, "unexpected token: a table cannot be `shared`", NULL);
  uint8_t rt = 0;
  uint32_t rht = 0;
  if (!rc && (*i >= n || !(rt = reftype_ht(m, &k[*i], &rht))))
    rc = errat(m, *i < n ? &k[*i] : at, "unexpected token: expected a reference type", NULL);
  if (!rc) {
    (*i)++;
    wk_valtype_put(b, rt, rht);
    wk_buf_append(b, lim.data, lim.len);
  }
  wk_buf_free(&lim);
  return rc;
}

static int put_globaltype(cm *m, wk_buf *b, const wk_sx *k, uint32_t n, uint32_t *i, const wk_sx *at) {
  if (*i >= n) return errat(m, at, "unexpected token: expected a global type", NULL);
  const wk_sx *x = &k[*i];
  uint8_t vt;
  uint32_t ht;
  if (wk_sx_head(x, "mut")) {
    if (x->n != 2 || !(vt = valtype_ht(m, &x->kids[1], &ht))) return errat(m, x, "unexpected token: expected (mut valtype)", NULL);
    wk_valtype_put(b, vt, ht);
    wk_buf_byte(b, 1);
  } else {
    if (!(vt = valtype_ht(m, x, &ht))) return errat(m, x, "unexpected token: expected a value type", NULL);
    wk_valtype_put(b, vt, ht);
    wk_buf_byte(b, 0);
  }
  (*i)++;
  return WK_OK;
}

static int end_of_field(cm *m, const wk_sx *k, uint32_t n, uint32_t i) {
  if (i < n) {
    char b[96];
    return errat(m, &k[i], "unexpected token `%s`", atom_str(&k[i], b, sizeof b));
  }
  return WK_OK;
}

/* a tag's typeuse (Core 3.0 text "Tags": params only) -> type index */
static int tag_typeuse(cm *m, const wk_sx *k, uint32_t n, uint32_t *i, uint32_t *idx) {
  typeuse t;
  int rc = parse_typeuse(m, k, n, i, &t, 0);
  if (!rc) rc = resolve_typeuse(m, &t, idx);
  tu_free(&t);
  return rc;
}

/* import description for func/table/memory/global/tag at k[i..n) */
static int put_importdesc(cm *m, int ns, const wk_sx *k, uint32_t n, uint32_t i, const wk_sx *at) {
  wk_buf *b = &m->sec_import;
  int rc;
  switch (ns) {
  case NS_FUNC: {
    typeuse t;
    uint32_t idx;
    rc = parse_typeuse(m, k, n, &i, &t, 1);
    if (!rc) rc = resolve_typeuse(m, &t, &idx);
    tu_free(&t);
    if (rc) return rc;
    wk_buf_byte(b, 0x00);
    wk_buf_uleb(b, idx);
    break;
  }
  case NS_TABLE:
    wk_buf_byte(b, 0x01);
    if ((rc = put_tabletype(m, b, k, n, &i, at))) return rc;
    break;
  case NS_MEM:
    wk_buf_byte(b, 0x02);
    if ((rc = put_limits(m, b, k, n, &i, at))) return rc;
    break;
  case NS_TAG: { /* Core 3.0: tag 0x00 typeidx */
    uint32_t idx;
    if ((rc = tag_typeuse(m, k, n, &i, &idx))) return rc;
    wk_buf_byte(b, 0x04);
    wk_buf_byte(b, 0x00);
    wk_buf_uleb(b, idx);
    break;
  }
  default:
    wk_buf_byte(b, 0x03);
    if ((rc = put_globaltype(m, b, k, n, &i, at))) return rc;
    break;
  }
  m->n_import++;
  return end_of_field(m, k, n, i);
}

static int add_export(cm *m, const wk_sx *ex, uint8_t kind, uint32_t idx) {
  if (ex->n != 2 || ex->kids[1].kind != WK_SX_STRING) return errat(m, ex, "unexpected token: expected (export \"name\")", NULL);
  int rc = utf8_name(m, &ex->kids[1]);
  if (rc) return rc;
  put_name(&m->sec_export, ex->kids[1].text, ex->kids[1].len);
  wk_buf_byte(&m->sec_export, kind);
  wk_buf_uleb(&m->sec_export, idx);
  m->n_export++;
  return WK_OK;
}

/* data strings (6.6.12 datastring) */
static int data_bytes(cm *m, wk_buf *b, const wk_sx *k, uint32_t n, uint32_t i) {
  for (; i < n; i++) {
    if (k[i].kind != WK_SX_STRING) return errat(m, &k[i], "unexpected token: expected a string", NULL);
    wk_buf_append(b, k[i].text, k[i].len);
  }
  return WK_OK;
}

/* elem list items from k[i..n) for element type `rt`: either indices
 * (`func`-style) or expressions `(item ...)` / `(instr)` */
static int put_elem_payload(cm *m, wk_buf *b, const wk_sx *k, uint32_t n, uint32_t i, int indices, int write_kind,
                            uint8_t rt, uint32_t rht) {
  int rc;
  if (indices && rt == 0x70) {
    if (write_kind) wk_buf_byte(b, 0x00);
    wk_buf_uleb(b, n - i);
    for (; i < n; i++) {
      uint32_t v;
      if ((rc = get_index(m, &k[i], NS_FUNC, &v))) return rc;
      wk_buf_uleb(b, v);
    }
    return WK_OK;
  }
  if (write_kind) wk_valtype_put(b, rt, rht);
  wk_buf_uleb(b, n - i);
  for (; i < n; i++) {
    if (indices) {
      uint32_t v;
      if ((rc = get_index(m, &k[i], NS_FUNC, &v))) return rc;
      wk_buf_byte(b, 0xd2);
      wk_buf_uleb(b, v);
      wk_buf_byte(b, 0x0b);
      continue;
    }
    if (!is_list(&k[i])) return errat(m, &k[i], "unexpected token: expected an element expression", NULL);
    if (wk_sx_head(&k[i], "item")) rc = encode_const(m, b, k[i].kids, k[i].n, 1);
    else rc = encode_const(m, b, &k[i], 1, 0);
    if (rc) return rc;
  }
  return WK_OK;
}

/* `(offset instr*)` or one folded instruction */
static int put_offset(cm *m, wk_buf *b, const wk_sx *x) {
  if (!is_list(x)) return errat(m, x, "unexpected token: expected an offset expression", NULL);
  if (wk_sx_head(x, "offset")) return encode_const(m, b, x->kids, x->n, 1);
  return encode_const(m, b, x, 1, 0);
}

static int encode_elem(cm *m, const wk_sx *x) {
  const wk_sx *id;
  uint32_t i = field_id(x, &id), n = x->n;
  const wk_sx *k = x->kids;
  wk_buf *b = &m->sec_elem;
  int rc;
  enum { PASSIVE, DECLARE, ACTIVE } mode = PASSIVE;
  int has_table = 0, table_omitted = 0;
  uint32_t table = 0;
  wk_buf off = {0};
  if (i < n && is_kw(&k[i], "declare")) {
    mode = DECLARE, i++;
  } else if (i < n && (is_u32_atom(&k[i]) || (is_list(&k[i]) && !reftype_of(&k[i]) && !wk_sx_head(&k[i], "ref")))) {
    mode = ACTIVE;
    if (is_u32_atom(&k[i])) {
      if ((rc = get_u32(m, &k[i], &table))) return rc;
      has_table = 1, table_omitted = 1, i++;
    } else if (wk_sx_head(&k[i], "table")) {
      if (k[i].n != 2) return errat(m, &k[i], "unexpected token: expected (table idx)", NULL);
      if ((rc = get_index(m, &k[i].kids[1], NS_TABLE, &table))) return rc;
      has_table = 1, i++;
    } else {
      table_omitted = 1;
    }
    if (i >= n) return errat(m, x, "unexpected token: expected an offset", NULL);
    rc = put_offset(m, &off, &k[i]);
    if (rc) {
      wk_buf_free(&off);
      return rc;
    }
    i++;
  }
  int indices;
  uint8_t rt = 0x70;
  uint32_t rht = 0;
  if (i < n && is_kw(&k[i], "func")) {
    indices = 1, i++;
  } else if (i < n && (rt = reftype_ht(m, &k[i], &rht))) {
    indices = 0, i++;
  } else if (table_omitted) {
    indices = 1, rt = 0x70;
  } else {
    wk_buf_free(&off);
    return errat(m, i < n ? &k[i] : x, "unexpected token: expected `func` or a reference type", NULL);
  }
  /* flags per wasm-encoder's ElementSection::segment */
  int exprs = !(indices && rt == 0x70);
  uint32_t expr_bit = exprs ? 4 : 0;
  int write_kind = 0;
  if (mode == PASSIVE) {
    wk_buf_uleb(b, 1 | expr_bit), write_kind = 1;
  } else if (mode == DECLARE) {
    wk_buf_uleb(b, 3 | expr_bit), write_kind = 1;
  } else {
    if (!has_table && (!exprs || rt == 0x70)) {
      wk_buf_uleb(b, expr_bit);
    } else {
      wk_buf_uleb(b, 2 | expr_bit);
      wk_buf_uleb(b, table);
      write_kind = 1;
    }
    wk_buf_append(b, off.data, off.len);
  }
  wk_buf_free(&off);
  rc = put_elem_payload(m, b, k, n, i, indices, write_kind, rt, rht);
  m->n_elem++;
  return rc;
}

static int encode_data(cm *m, const wk_sx *x) {
  const wk_sx *id;
  uint32_t i = field_id(x, &id), n = x->n;
  const wk_sx *k = x->kids;
  wk_buf *b = &m->sec_data;
  int rc;
  if (i >= n || k[i].kind == WK_SX_STRING) {
    wk_buf_byte(b, 0x01);
  } else {
    uint32_t mem = 0;
    if (is_u32_atom(&k[i])) {
      if ((rc = get_u32(m, &k[i], &mem))) return rc;
      i++;
    } else if (wk_sx_head(&k[i], "memory")) {
      if (k[i].n != 2) return errat(m, &k[i], "unexpected token: expected (memory idx)", NULL);
      if ((rc = get_index(m, &k[i].kids[1], NS_MEM, &mem))) return rc;
      i++;
    }
    if (i >= n) return errat(m, x, "unexpected token: expected an offset", NULL);
    if (mem == 0) {
      wk_buf_byte(b, 0x00);
    } else {
      wk_buf_byte(b, 0x02);
      wk_buf_uleb(b, mem);
    }
    if ((rc = put_offset(m, b, &k[i]))) return rc;
    i++;
  }
  wk_buf d = {0};
  rc = data_bytes(m, &d, k, n, i);
  if (!rc) {
    wk_buf_uleb(b, d.len);
    wk_buf_append(b, d.data, d.len);
  }
  wk_buf_free(&d);
  m->n_data++;
  return rc;
}

/* a function definition: typeuse, locals, body into the code section */
static int encode_func(cm *m, const wk_sx *x, uint32_t i, uint32_t fidx) {
  const wk_sx *k = x->kids;
  uint32_t n = x->n;
  typeuse t;
  uint32_t tidx;
  int rc = parse_typeuse(m, k, n, &i, &t, 1);
  if (!rc) rc = resolve_typeuse(m, &t, &tidx);
  if (rc) {
    tu_free(&t);
    return rc;
  }
  wk_buf_uleb(&m->sec_func, tidx);
  m->n_func++;
  fctx f = {0};
  f.m = m, f.in_func = 1;
  namelist lnames = {0};
  int known;
  uint32_t np = typeuse_nparams(m, &t, &known);
  uint32_t li = 0;
  /* params */
  for (uint32_t p = 0; p < t.npids; p++, li++) {
    if (!t.pids[p]) continue;
    int r = sym_add(&f.locals, t.pids[p]->text, t.pids[p]->len, li);
    if (r < 0) rc = oom(m);
    else if (r > 0) rc = errat(m, t.pids[p], "duplicate local", NULL);
    else {
      const char *ns_;
      uint32_t nl_;
      name_of(m, NULL, t.pids[p], &ns_, &nl_);
      if (nl_push(&lnames, li, ns_, nl_)) rc = oom(m);
    }
    if (rc) break;
  }
  li = np;
  tu_free(&t);
  /* locals (6.6.5): (local $id t) | (local t*) */
  vtvec lt = {0};
  while (!rc && i < n && wk_sx_head(&k[i], "local")) {
    const wk_sx *l = &k[i];
    if (l->n > 1 && l->kids[1].kind == WK_SX_ID) {
      uint8_t vt;
      uint32_t ht = 0;
      if (l->n != 3 || !(vt = valtype_ht(m, &l->kids[2], &ht))) {
        rc = errat(m, l, "unexpected token: a named local has exactly one type", NULL);
        break;
      }
      int r = sym_add(&f.locals, l->kids[1].text, l->kids[1].len, li);
      if (r < 0) rc = oom(m);
      else if (r > 0) rc = errat(m, &l->kids[1], "duplicate local", NULL);
      else {
        const char *ns_;
        uint32_t nl_;
        name_of(m, NULL, &l->kids[1], &ns_, &nl_);
        if (nl_push(&lnames, li, ns_, nl_) || vt_push_ht(&lt, vt, ht)) rc = oom(m);
      }
      li++;
    } else {
      for (uint32_t j = 1; j < l->n && !rc; j++) {
        uint32_t ht;
        uint8_t vt = valtype_ht(m, &l->kids[j], &ht);
        if (!vt) rc = errat(m, &l->kids[j], "unexpected token: expected a value type", NULL);
        else if (vt_push_ht(&lt, vt, ht)) rc = oom(m);
        li++;
      }
    }
    i++;
  }
  wk_buf body = {0};
  if (!rc) {
    /* local declarations: runs of equal types */
    uint32_t runs = 0;
    for (uint32_t j = 0; j < lt.n; j++)
      if (j == 0 || lt.v[j] != lt.v[j - 1] || vt_ht(&lt, j) != vt_ht(&lt, j - 1)) runs++;
    wk_buf_uleb(&body, runs);
    for (uint32_t j = 0; j < lt.n;) {
      uint32_t e = j;
      while (e < lt.n && lt.v[e] == lt.v[j] && vt_ht(&lt, e) == vt_ht(&lt, j)) e++;
      wk_buf_uleb(&body, e - j);
      wk_valtype_put(&body, lt.v[j], vt_ht(&lt, j));
      j = e;
    }
    rc = encode_seq(&f, &body, k, n, i);
    if (!rc && f.nlab) rc = errat(m, x, "unexpected end: unclosed block in function", NULL);
    wk_buf_byte(&body, 0x0b);
  }
  if (!rc) {
    wk_buf_uleb(&m->sec_code, body.len);
    wk_buf_append(&m->sec_code, body.data, body.len);
    m->n_code++;
    if (lnames.n && known) {
      wk_buf_uleb(&m->nm_locals, fidx);
      nl_encode(&m->nm_locals, &lnames);
      m->n_nm_locals++;
    }
    if (f.label_names.n) {
      wk_buf_uleb(&m->nm_labels, fidx);
      nl_encode(&m->nm_labels, &f.label_names);
      m->n_nm_labels++;
    }
  }
  wk_buf_free(&body);
  free(lt.v);
  free(lt.h);
  free(lnames.v);
  free(f.lab);
  free(f.label_names.v);
  sym_free(&f.locals);
  return rc;
}

/* pass 2 over one field */
static int encode_field(cm *m, const wk_sx *x, uint32_t *cur) {
  const wk_sx *h = &x->kids[0];
  const wk_sx *id;
  uint32_t i = field_id(x, &id);
  const wk_sx *k = x->kids;
  uint32_t n = x->n;
  int rc;
  if (is_kw(h, "type")) {
    cur[NS_TYPE]++;
    return WK_OK;
  }
  if (is_kw(h, "rec")) {
    cur[NS_TYPE] += x->n - 1;
    return WK_OK;
  }
  if (is_kw(h, "import")) {
    const wk_sx *d = &k[3];
    int ns = is_kw(&d->kids[0], "func") ? NS_FUNC
             : is_kw(&d->kids[0], "table") ? NS_TABLE
             : is_kw(&d->kids[0], "memory") ? NS_MEM
             : is_kw(&d->kids[0], "tag")    ? NS_TAG
                                             : NS_GLOBAL;
    if (k[1].kind != WK_SX_STRING || k[2].kind != WK_SX_STRING)
      return errat(m, x, "unexpected token: expected module and field names", NULL);
    if ((rc = utf8_name(m, &k[1])) || (rc = utf8_name(m, &k[2]))) return rc;
    put_name(&m->sec_import, k[1].text, k[1].len);
    put_name(&m->sec_import, k[2].text, k[2].len);
    cur[ns]++;
    uint32_t di = d->n > 1 && d->kids[1].kind == WK_SX_ID ? 2 : 1;
    return put_importdesc(m, ns, d->kids, d->n, di, d);
  }
  if (is_kw(h, "func") || is_kw(h, "table") || is_kw(h, "memory") || is_kw(h, "global") || is_kw(h, "tag")) {
    int ns = is_kw(h, "func") ? NS_FUNC : is_kw(h, "table") ? NS_TABLE : is_kw(h, "memory") ? NS_MEM
           : is_kw(h, "tag") ? NS_TAG : NS_GLOBAL;
    static const uint8_t ekind[] = {[NS_FUNC] = 0, [NS_TABLE] = 1, [NS_MEM] = 2, [NS_GLOBAL] = 3, [NS_TAG] = 4};
    uint32_t idx = cur[ns];
    const wk_sx *imp;
    uint32_t j;
    inline_ie(x, i, &j, &imp);
    /* inline exports come first (wasm-tools places them before the item) */
    for (uint32_t e = i; e < j - (imp ? 1 : 0); e++)
      if ((rc = add_export(m, &k[e], ekind[ns], idx))) return rc;
    if (imp) {
      if (imp->n != 3 || imp->kids[1].kind != WK_SX_STRING || imp->kids[2].kind != WK_SX_STRING)
        return errat(m, imp, "unexpected token: expected (import \"module\" \"name\")", NULL);
      if ((rc = utf8_name(m, &imp->kids[1])) || (rc = utf8_name(m, &imp->kids[2]))) return rc;
      put_name(&m->sec_import, imp->kids[1].text, imp->kids[1].len);
      put_name(&m->sec_import, imp->kids[2].text, imp->kids[2].len);
      cur[ns]++;
      return put_importdesc(m, ns, k, n, j, x);
    }
    cur[ns]++;
    i = j;
    switch (ns) {
    case NS_FUNC:
      return encode_func(m, x, i, idx);
    case NS_TAG: { /* Core 3.0 tag section entry: 0x00 typeidx */
      uint32_t ti;
      if ((rc = tag_typeuse(m, k, n, &i, &ti))) return rc;
      wk_buf_byte(&m->sec_tag, 0x00);
      wk_buf_uleb(&m->sec_tag, ti);
      m->n_tag++;
      return end_of_field(m, k, n, i);
    }
    case NS_TABLE: {
      uint8_t rt;
      uint32_t rht = 0; /* (a typed reference's heap type, Core 3.0) */
      int tab64 = 0; /* Core 3.0 6.6.6: (table i64 reftype (elem ...)) (table64) */
      if (i + 2 < n && (is_kw(&k[i], "i32") || is_kw(&k[i], "i64")) &&
          (reftype_of(&k[i + 1]) || wk_sx_head(&k[i + 1], "ref")) && wk_sx_head(&k[i + 2], "elem"))
        tab64 = is_kw(&k[i++], "i64");
      if (i + 1 < n && wk_sx_head(&k[i + 1], "elem") && (rt = reftype_ht(m, &k[i], &rht))) {
        /* table with inline elements: min = max = count, an active segment
         * at offset 0 for this table (6.6.6 abbreviation) */
        const wk_sx *el = &k[i + 1];
        int exprs = el->n > 1 && is_list(&el->kids[1]);
        uint32_t cnt = el->n - 1;
        if ((rc = end_of_field(m, k, n, i + 2))) return rc;
        wk_valtype_put(&m->sec_table, rt, rht);
        wk_buf_byte(&m->sec_table, tab64 ? 0x05 : 0x01);
        wk_buf_uleb(&m->sec_table, cnt);
        wk_buf_uleb(&m->sec_table, cnt);
        m->n_table++;
        int is_exprs = exprs || rt != 0x70;
        wk_buf *b = &m->sec_elem;
        wk_buf_uleb(b, 2 | (is_exprs ? 4 : 0));
        wk_buf_uleb(b, idx);
        wk_buf_byte(b, tab64 ? 0x42 : 0x41); /* offset 0 in the index type */
        wk_buf_byte(b, 0x00);
        wk_buf_byte(b, 0x0b);
        rc = put_elem_payload(m, b, el->kids, el->n, 1, !exprs, 1, rt, rht);
        m->n_elem++;
        cur[NS_ELEM]++;
        return rc;
      }
      wk_buf tt = {0};
      rc = put_tabletype(m, &tt, k, n, &i, x);
      if (!rc && i < n) {
        /* table with an init expression (0x40 0x00 tabletype expr) */
        wk_buf_byte(&m->sec_table, 0x40);
        wk_buf_byte(&m->sec_table, 0x00);
        wk_buf_append(&m->sec_table, tt.data, tt.len);
        rc = encode_const(m, &m->sec_table, k, n, i);
      } else if (!rc) {
        wk_buf_append(&m->sec_table, tt.data, tt.len);
      }
      wk_buf_free(&tt);
      m->n_table++;
      return rc;
    }
    case NS_MEM: {
      int mem64 = 0; /* Core 3.0 6.6.6: (memory i64 (data ...)) */
      if (i + 1 < n && (is_kw(&k[i], "i32") || is_kw(&k[i], "i64")) && wk_sx_head(&k[i + 1], "data"))
        mem64 = is_kw(&k[i++], "i64");
      if (i < n && wk_sx_head(&k[i], "data")) {
        wk_buf d = {0};
        rc = data_bytes(m, &d, k[i].kids, k[i].n, 1);
        if (!rc) rc = end_of_field(m, k, n, i + 1);
        if (!rc) {
          uint64_t pages = ((uint64_t)d.len + 65535) / 65536;
          wk_buf_byte(&m->sec_mem, mem64 ? 0x05 : 0x01);
          wk_buf_uleb(&m->sec_mem, pages);
          wk_buf_uleb(&m->sec_mem, pages);
          m->n_mem++;
          wk_buf *b = &m->sec_data;
          if (idx == 0) {
            wk_buf_byte(b, 0x00);
          } else {
            wk_buf_byte(b, 0x02);
            wk_buf_uleb(b, idx);
          }
          wk_buf_byte(b, mem64 ? 0x42 : 0x41); /* offset 0 in the address type */
          wk_buf_byte(b, 0x00);
          wk_buf_byte(b, 0x0b);
          wk_buf_uleb(b, d.len);
          wk_buf_append(b, d.data, d.len);
          m->n_data++;
          cur[NS_DATA]++;
        }
        wk_buf_free(&d);
        return rc;
      }
      if ((rc = put_limits(m, &m->sec_mem, k, n, &i, x))) return rc;
      m->n_mem++;
      return end_of_field(m, k, n, i);
    }
    default:
      if ((rc = put_globaltype(m, &m->sec_global, k, n, &i, x))) return rc;
      m->n_global++;
      return encode_const(m, &m->sec_global, k, n, i);
    }
  }
  if (is_kw(h, "export")) {
    if (n != 3 || k[1].kind != WK_SX_STRING || !is_list(&k[2]) || k[2].n != 2)
      return errat(m, x, "unexpected token: expected (export \"name\" (kind idx))", NULL);
    const wk_sx *d = &k[2];
    int ns = is_kw(&d->kids[0], "func") ? NS_FUNC
             : is_kw(&d->kids[0], "table") ? NS_TABLE
             : is_kw(&d->kids[0], "memory") ? NS_MEM
             : is_kw(&d->kids[0], "global") ? NS_GLOBAL
             : is_kw(&d->kids[0], "tag")    ? NS_TAG
                                             : -1;
    if (ns < 0) return errat(m, &d->kids[0], "unexpected token: unknown export kind", NULL);
    uint32_t v;
    if ((rc = get_index(m, &d->kids[1], ns, &v))) return rc;
    static const uint8_t ekind[] = {[NS_FUNC] = 0, [NS_TABLE] = 1, [NS_MEM] = 2, [NS_GLOBAL] = 3, [NS_TAG] = 4};
    if ((rc = utf8_name(m, &k[1]))) return rc;
    put_name(&m->sec_export, k[1].text, k[1].len);
    wk_buf_byte(&m->sec_export, ekind[ns]);
    wk_buf_uleb(&m->sec_export, v);
    m->n_export++;
    return WK_OK;
  }
  if (is_kw(h, "start")) {
    if (n != 2) return errat(m, x, "unexpected token: expected (start idx)", NULL);
    if (m->has_start) return errat(m, x, "multiple start sections", NULL);
    if ((rc = get_index(m, &k[1], NS_FUNC, &m->start_idx))) return rc;
    m->has_start = 1;
    return WK_OK;
  }
  if (is_kw(h, "elem")) {
    cur[NS_ELEM]++;
    return encode_elem(m, x);
  }
  if (is_kw(h, "data")) {
    cur[NS_DATA]++;
    return encode_data(m, x);
  }
  return errat(m, h, "unexpected token: unknown module field", NULL);
}

/* ---- annotations -------------------------------------------------------- */

static int has_annot(const wk_sx *x) {
  if (x->kind != WK_SX_LIST) return 0;
  if (x->n && x->kids[0].kind == WK_SX_ANNOT) return 1;
  for (uint32_t i = 0; i < x->n; i++)
    if (has_annot(&x->kids[i])) return 1;
  return 0;
}

/* a copy of `x` without annotation lists (they never change the bytes we
 * emit, except `@custom`, handled at field level) */
static int strip_annot(cm *m, const wk_sx *x, wk_sx *out) {
  *out = *x;
  if (x->kind != WK_SX_LIST) return WK_OK;
  uint32_t keep = 0;
  for (uint32_t i = 0; i < x->n; i++)
    if (!(is_list(&x->kids[i]) && x->kids[i].n && x->kids[i].kids[0].kind == WK_SX_ANNOT)) keep++;
  out->n = keep;
  out->kids = keep ? wk_arena_alloc(&m->ar, keep * sizeof(wk_sx)) : NULL;
  if (keep && !out->kids) return oom(m);
  uint32_t o = 0;
  for (uint32_t i = 0; i < x->n; i++) {
    const wk_sx *a = &x->kids[i];
    if (is_list(a) && a->n == 2 && wk_sx_is(&a->kids[0], WK_SX_ANNOT, "name") && a->kids[1].kind == WK_SX_STRING) {
      /* `(@name "...")` after an $id (or first in its list): the name-section name */
      const wk_sx *key = i > 0 && x->kids[i - 1].kind == WK_SX_ID ? &x->kids[i - 1] : x;
      if (m->naname == m->capaname) {
        uint32_t nc = m->capaname ? m->capaname * 2 : 16;
        const wk_sx **nv = wk_reallocarray(m->aname, nc, sizeof *nv);
        if (!nv) return oom(m);
        m->aname = nv, m->capaname = nc;
      }
      m->aname[m->naname] = &a->kids[1];
      char *k = wk_arena_alloc(&m->ar, 4);
      if (!k) return oom(m);
      memcpy(k, &key->offset, 4);
      if (sym_add(&m->anames, k, 4, m->naname) < 0) return oom(m);
      m->naname++;
    }
    if (is_list(&x->kids[i]) && x->kids[i].n && x->kids[i].kids[0].kind == WK_SX_ANNOT) continue;
    int rc = strip_annot(m, &x->kids[i], &out->kids[o++]);
    if (rc) return rc;
  }
  return WK_OK;
}

/* `(@custom "name" (before|after X)? "data"*)` */
static int add_custom(cm *m, const wk_sx *x) {
  static const char *const anchors[] = {NULL,     "type",   "import", "func", "table", "memory", "global",
                                        "export", "start", "elem",   "code", "data",  "tag"};
  if (x->n < 2 || x->kids[1].kind != WK_SX_STRING) return errat(m, x, "unexpected token: expected a custom section name", NULL);
  custom *nc = wk_reallocarray(m->customs, m->ncustoms + 1, sizeof *nc);
  if (!nc) return oom(m);
  m->customs = nc;
  custom *c = &m->customs[m->ncustoms++];
  memset(c, 0, sizeof *c);
  c->place = PL_AFTER_LAST;
  c->name = x->kids[1].text, c->name_len = x->kids[1].len;
  uint32_t i = 2;
  if (i < x->n && is_list(&x->kids[i])) {
    const wk_sx *p = &x->kids[i];
    if (p->n != 2 || (!wk_sx_head(p, "before") && !wk_sx_head(p, "after")))
      return errat(m, p, "unexpected token: expected (before X) or (after X)", NULL);
    int before = wk_sx_head(p, "before");
    if (before && is_kw(&p->kids[1], "first")) c->place = PL_BEFORE_FIRST;
    else if (!before && is_kw(&p->kids[1], "last")) c->place = PL_AFTER_LAST;
    else {
      c->place = before ? PL_BEFORE : PL_AFTER;
      c->anchor = 0;
      for (int a = 1; a <= AN_TAG; a++)
        if (is_kw(&p->kids[1], anchors[a])) c->anchor = a;
      if (!c->anchor) return errat(m, &p->kids[1], "unexpected token: unknown section anchor", NULL);
    }
    i++;
  }
  for (; i < x->n; i++) {
    if (x->kids[i].kind != WK_SX_STRING) return errat(m, &x->kids[i], "unexpected token: expected a string", NULL);
    wk_buf_append(&c->data, x->kids[i].text, x->kids[i].len);
  }
  return WK_OK;
}

/* `(@producers (language|sdk|processed-by "name" "version")*)`: the
 * producers custom section (tool-conventions ProducersSection.md), fields
 * in the order language, sdk, processed-by as wasm-tools writes them;
 * placed after the last section like any unplaced custom section. */
static int add_producers(cm *m, const wk_sx *x) {
  static const char *const fields[] = {"language", "sdk", "processed-by"};
  for (uint32_t i = 1; i < x->n; i++) {
    const wk_sx *e = &x->kids[i];
    if (!is_list(e) || e->n != 3 || e->kids[1].kind != WK_SX_STRING || e->kids[2].kind != WK_SX_STRING ||
        !(is_kw(&e->kids[0], "language") || is_kw(&e->kids[0], "sdk") || is_kw(&e->kids[0], "processed-by")))
      return errat(m, e, "unexpected token: expected (language|sdk|processed-by \"name\" \"version\")", NULL);
  }
  custom *nc = wk_reallocarray(m->customs, m->ncustoms + 1, sizeof *nc);
  if (!nc) return oom(m);
  m->customs = nc;
  custom *c = &m->customs[m->ncustoms++];
  memset(c, 0, sizeof *c);
  c->place = PL_AFTER_LAST;
  c->name = "producers", c->name_len = 9;
  uint32_t nfields = 0;
  for (int f = 0; f < 3; f++)
    for (uint32_t i = 1; i < x->n; i++)
      if (is_kw(&x->kids[i].kids[0], fields[f])) {
        nfields++;
        break;
      }
  wk_buf_uleb(&c->data, nfields);
  for (int f = 0; f < 3; f++) {
    uint32_t cnt = 0;
    for (uint32_t i = 1; i < x->n; i++) cnt += is_kw(&x->kids[i].kids[0], fields[f]);
    if (!cnt) continue;
    put_name(&c->data, fields[f], (uint32_t)strlen(fields[f]));
    wk_buf_uleb(&c->data, cnt);
    for (uint32_t i = 1; i < x->n; i++) {
      const wk_sx *e = &x->kids[i];
      if (!is_kw(&e->kids[0], fields[f])) continue;
      put_name(&c->data, e->kids[1].text, e->kids[1].len);
      put_name(&c->data, e->kids[2].text, e->kids[2].len);
    }
  }
  return c->data.oom ? oom(m) : WK_OK;
}

/* `(@dylink.0 (mem-info (memory size align)? (table size align)?) (needed "x"*)
 * (export-info "name" flags*) (import-info "module" "name" flags*)
 * (runtime-path "x"*))`: the dylink.0 custom section (tool-conventions
 * DynamicLinking.md), placed before the first section as wasm-tools does;
 * consecutive export-info / import-info entries share one subsection. */
static int dylink_flags(cm *m, const wk_sx *k, uint32_t n, uint32_t i, uint32_t *flags) {
  static const struct {
    const char *s;
    uint32_t v;
  } fl[] = {{"binding-weak", 1u << 0}, {"binding-local", 1u << 1}, {"visibility-hidden", 1u << 2},
            {"undefined", 1u << 4},    {"exported", 1u << 5},      {"explicit-name", 1u << 6},
            {"no-strip", 1u << 7},     {"tls", 1u << 8},           {"absolute", 1u << 9}};
  *flags = 0;
  for (; i < n; i++) {
    uint32_t v = 0;
    if (is_u32_atom(&k[i])) {
      int rc = get_u32(m, &k[i], &v);
      if (rc) return rc;
    } else {
      for (size_t f = 0; f < sizeof fl / sizeof fl[0]; f++)
        if (is_kw(&k[i], fl[f].s)) v = fl[f].v;
      if (!v) return errat(m, &k[i], "unexpected token: unknown dylink.0 symbol flag", NULL);
    }
    *flags |= v;
  }
  return WK_OK;
}

static int add_dylink(cm *m, const wk_sx *x) {
  custom *nc = wk_reallocarray(m->customs, m->ncustoms + 1, sizeof *nc);
  if (!nc) return oom(m);
  m->customs = nc;
  custom *c = &m->customs[m->ncustoms++];
  memset(c, 0, sizeof *c);
  c->place = PL_BEFORE_FIRST;
  c->name = "dylink.0", c->name_len = 8;
  wk_buf sub = {0};
  uint32_t cnt = 0;
  int id = 0, rc = WK_OK;
  for (uint32_t i = 1; i <= x->n && !rc; i++) {
    const wk_sx *e = i < x->n ? &x->kids[i] : NULL;
    int nid = !e                                 ? 0
              : wk_sx_head(e, "mem-info")        ? 1
              : wk_sx_head(e, "needed")          ? 2
              : wk_sx_head(e, "export-info")     ? 3
              : wk_sx_head(e, "import-info")     ? 4
              : wk_sx_head(e, "runtime-path")    ? 5
                                                 : -1;
    if (nid < 0) {
      rc = errat(m, e, "unexpected token: unknown dylink.0 subsection", NULL);
      break;
    }
    /* flush the pending export-info/import-info run */
    if (id && (nid != id || (id != 3 && id != 4))) {
      wk_buf v = {0};
      wk_buf_uleb(&v, cnt);
      wk_buf_append(&v, sub.data, sub.len);
      wk_buf_byte(&c->data, (uint8_t)id);
      wk_buf_uleb(&c->data, v.len);
      wk_buf_append(&c->data, v.data, v.len);
      wk_buf_free(&v);
      sub.len = 0, cnt = 0, id = 0;
    }
    if (!e) break;
    const wk_sx *k = e->kids;
    uint32_t n = e->n;
    if (nid == 1) {
      uint32_t vals[4] = {0, 0, 0, 0};
      for (uint32_t j = 1; j < n && !rc; j++) {
        int t = wk_sx_head(&k[j], "memory") ? 0 : wk_sx_head(&k[j], "table") ? 2 : -1;
        if (t < 0 || k[j].n != 3) {
          rc = errat(m, &k[j], "unexpected token: expected (memory|table size align)", NULL);
          break;
        }
        if (!(rc = get_u32(m, &k[j].kids[1], &vals[t]))) rc = get_u32(m, &k[j].kids[2], &vals[t + 1]);
      }
      wk_buf v = {0};
      for (int j = 0; j < 4; j++) wk_buf_uleb(&v, vals[j]);
      wk_buf_byte(&c->data, 1);
      wk_buf_uleb(&c->data, v.len);
      wk_buf_append(&c->data, v.data, v.len);
      wk_buf_free(&v);
    } else if (nid == 2 || nid == 5) {
      wk_buf v = {0};
      wk_buf_uleb(&v, n - 1);
      for (uint32_t j = 1; j < n; j++) {
        if (k[j].kind != WK_SX_STRING) {
          rc = errat(m, &k[j], "unexpected token: expected a string", NULL);
          break;
        }
        put_name(&v, k[j].text, k[j].len);
      }
      wk_buf_byte(&c->data, (uint8_t)nid);
      wk_buf_uleb(&c->data, v.len);
      wk_buf_append(&c->data, v.data, v.len);
      wk_buf_free(&v);
    } else {
      uint32_t nstr = nid == 3 ? 1 : 2, flags;
      for (uint32_t j = 1; j <= nstr && !rc; j++)
        if (j >= n || k[j].kind != WK_SX_STRING) rc = errat(m, e, "unexpected token: expected a string", NULL);
      if (!rc) rc = dylink_flags(m, k, n, nstr + 1, &flags);
      if (!rc) {
        for (uint32_t j = 1; j <= nstr; j++) put_name(&sub, k[j].text, k[j].len);
        wk_buf_uleb(&sub, flags);
        cnt++, id = nid;
      }
    }
  }
  wk_buf_free(&sub);
  if (!rc && c->data.oom) rc = oom(m);
  return rc;
}

/* ---- assembly ---------------------------------------------------------- */

static void put_section(wk_buf *out, uint8_t id, const wk_buf *content) {
  wk_buf_byte(out, id);
  wk_buf_uleb(out, content->len);
  wk_buf_append(out, content->data, content->len);
}

static void put_vec_section(wk_buf *out, uint8_t id, uint32_t count, const wk_buf *items) {
  if (!count) return;
  wk_buf s = {0};
  wk_buf_uleb(&s, count);
  wk_buf_append(&s, items->data, items->len);
  put_section(out, id, &s);
  if (s.oom) out->oom = 1;
  wk_buf_free(&s);
}

static void emit_customs(cm *m, wk_buf *out, int place, int anchor) {
  for (uint32_t i = 0; i < m->ncustoms; i++) {
    custom *c = &m->customs[i];
    if (c->place != place || (anchor && c->anchor != anchor)) continue;
    wk_buf s = {0};
    put_name(&s, c->name, c->name_len);
    wk_buf_append(&s, c->data.data, c->data.len);
    put_section(out, 0, &s);
    wk_buf_free(&s);
  }
}

static void name_sub(wk_buf *ns, uint8_t id, const wk_buf *content) {
  wk_buf_byte(ns, id);
  wk_buf_uleb(ns, content->len);
  wk_buf_append(ns, content->data, content->len);
}

static void emit_names(cm *m, wk_buf *out, const char *name, uint32_t name_len) {
  wk_buf ns = {0}, sub = {0};
  put_name(&ns, "name", 4);
  size_t base = ns.len;
  if (name) {
    put_name(&sub, name, name_len);
    name_sub(&ns, 0, &sub);
    sub.len = 0;
  }
  struct {
    int ns;
    uint8_t id;
  } order[] = {{NS_FUNC, 1}, {-2, 2}, {-3, 3}, {NS_TYPE, 4}, {NS_TABLE, 5},
               {NS_MEM, 6},  {NS_GLOBAL, 7}, {NS_ELEM, 8}, {NS_DATA, 9}, {-4, 10}, {NS_TAG, 11}};
  for (size_t o = 0; o < sizeof order / sizeof order[0]; o++) {
    sub.len = 0;
    if (order[o].ns == -2) {
      if (!m->n_nm_locals) continue;
      wk_buf_uleb(&sub, m->n_nm_locals);
      wk_buf_append(&sub, m->nm_locals.data, m->nm_locals.len);
    } else if (order[o].ns == -4) { /* field names (GC) */
      if (!m->n_nm_fields) continue;
      wk_buf_uleb(&sub, m->n_nm_fields);
      wk_buf_append(&sub, m->nm_fields.data, m->nm_fields.len);
    } else if (order[o].ns == -3) {
      if (!m->n_nm_labels) continue;
      wk_buf_uleb(&sub, m->n_nm_labels);
      wk_buf_append(&sub, m->nm_labels.data, m->nm_labels.len);
    } else {
      if (!m->names[order[o].ns].n) continue;
      nl_encode(&sub, &m->names[order[o].ns]);
    }
    name_sub(&ns, order[o].id, &sub);
  }
  if (ns.len > base) put_section(out, 0, &ns);
  if (ns.oom || sub.oom) out->oom = 1;
  wk_buf_free(&ns);
  wk_buf_free(&sub);
}

static void cm_free(cm *m) {
  for (int i = 0; i < NS_COUNT; i++) {
    sym_free(&m->ns[i]);
    free(m->names[i].v);
  }
  sym_free(&m->tmap);
  sym_free(&m->anames);
  free(m->aname);
  for (uint32_t i = 0; i < m->ntypes; i++)
    if (m->types[i].fnames) sym_free(m->types[i].fnames), free(m->types[i].fnames);
  free(m->types);
  free(m->empty_recs);
  wk_buf_free(&m->nm_fields);
  wk_buf *bufs[] = {&m->sec_import, &m->sec_func, &m->sec_table, &m->sec_mem,  &m->sec_global, &m->sec_export,
                    &m->sec_elem,   &m->sec_data, &m->sec_code,  &m->nm_locals, &m->nm_labels, &m->sec_tag};
  for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++) wk_buf_free(bufs[i]);
  for (uint32_t i = 0; i < m->ncustoms; i++) wk_buf_free(&m->customs[i].data);
  free(m->customs);
  wk_arena_free(&m->ar);
}

int wk_wat_core_module(const wk_sx *list, uint32_t skip, const char *name, uint32_t name_len, wk_buf *out,
                       wk_error *err) {
  return wk_wat_core_module_ex(list, skip, name, name_len, 0, out, err);
}

int wk_wat_core_module_ex(const wk_sx *list, uint32_t skip, const char *name, uint32_t name_len, unsigned flags,
                          wk_buf *out, wk_error *err) {
  wk_error_clear(err);
  if (ops_init()) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  /* `(module $id? binary "..."*)`: the bytes as given (wasm-tools `parse`) */
  if (skip < list->n && wk_sx_is(&list->kids[skip], WK_SX_KEYWORD, "binary")) {
    for (uint32_t i = skip + 1; i < list->n; i++) {
      if (list->kids[i].kind != WK_SX_STRING)
        return wk_error_at_line(err, WK_ERR_MALFORMED, list->kids[i].line, list->kids[i].col,
                                "unexpected token: expected a string");
      wk_buf_append(out, list->kids[i].text, list->kids[i].len);
    }
    return out->oom ? wk_error_set(err, WK_ERR_NOMEM, "out of memory") : WK_OK;
  }
  if (skip < list->n && wk_sx_is(&list->kids[skip], WK_SX_KEYWORD, "quote"))
    return wk_error_at_line(err, WK_ERR_MALFORMED, list->kids[skip].line, list->kids[skip].col,
                            "unexpected token: `module quote` is a script form, not a module");
  cm mm = {0};
  cm *m = &mm;
  m->err = err;
  m->flags = flags;
  int rc = WK_OK;
  /* fields, without annotations (custom sections collected aside) */
  uint32_t nf = 0;
  wk_sx *fields = list->n > skip ? wk_arena_alloc(&m->ar, (list->n - skip) * sizeof(wk_sx)) : NULL;
  if (list->n > skip && !fields) rc = oom(m);
  for (uint32_t i = skip; !rc && i < list->n; i++) {
    const wk_sx *x = &list->kids[i];
    if (!is_list(x) || !x->n) {
      char b[96];
      rc = errat(m, x, "unexpected token `%s`: expected a module field", atom_str(x, b, sizeof b));
      break;
    }
    if (x->kids[0].kind == WK_SX_ANNOT) {
      if (wk_sx_is(&x->kids[0], WK_SX_ANNOT, "custom")) rc = add_custom(m, x);
      else if (wk_sx_is(&x->kids[0], WK_SX_ANNOT, "producers")) rc = add_producers(m, x);
      else if (wk_sx_is(&x->kids[0], WK_SX_ANNOT, "dylink.0")) rc = add_dylink(m, x);
      continue;
    }
    if (x->kids[0].kind != WK_SX_KEYWORD) {
      rc = errat(m, x, "unexpected token: expected a module field", NULL);
      break;
    }
    if (has_annot(x)) rc = strip_annot(m, x, &fields[nf++]);
    else fields[nf++] = *x;
  }
  /* pass 1 */
  for (uint32_t i = 0; !rc && i < nf; i++) rc = declare_field(m, &fields[i]);
  if (!rc) rc = define_types(m, fields, nf);
  /* pass 2 */
  uint32_t cur[NS_COUNT] = {0};
  for (uint32_t i = 0; !rc && i < nf; i++) {
    rc = encode_field(m, &fields[i], cur);
    if (!rc && (m->sec_code.oom || m->sec_elem.oom || m->sec_data.oom)) rc = oom(m);
  }
  if (!rc) {
    wk_buf_append(out, "\0asm\1\0\0\0", 8);
    emit_customs(m, out, PL_BEFORE_FIRST, 0);
    /* type section: all types, explicit and appended */
    emit_customs(m, out, PL_BEFORE, AN_TYPE);
    if (m->ntypes && !m->gc) {
      wk_buf ts = {0};
      for (uint32_t t = 0; t < m->ntypes; t++)
        ftype_bytes(&ts, m->types[t].p, m->types[t].h, m->types[t].np, m->types[t].r,
                    m->types[t].h ? m->types[t].h + m->types[t].np : NULL, m->types[t].nr);
      put_vec_section(out, 1, m->ntypes, &ts);
      wk_buf_free(&ts);
    } else if (m->gc) { /* Core 3.0: typesec ::= vec(rectype) */
      wk_buf ts = {0};
      uint32_t ngroups = 0, ke = 0;
      for (uint32_t t = 0; t < m->ntypes; t++) {
        const ftype *ft = &m->types[t];
        if (ft->rec_start != t) continue;
        for (; ke < m->nempty && m->empty_recs[ke] <= t; ke++) wk_buf_byte(&ts, 0x4e), wk_buf_uleb(&ts, 0), ngroups++;
        if (ft->rec_explicit) wk_buf_byte(&ts, 0x4e), wk_buf_uleb(&ts, ft->rec_size);
        for (uint32_t q = 0; q < ft->rec_size && t + q < m->ntypes; q++) subtype_bytes(&ts, &m->types[t + q]);
        ngroups++;
      }
      for (; ke < m->nempty; ke++) wk_buf_byte(&ts, 0x4e), wk_buf_uleb(&ts, 0), ngroups++;
      put_vec_section(out, 1, ngroups, &ts);
      wk_buf_free(&ts);
    }
    emit_customs(m, out, PL_AFTER, AN_TYPE);
#define SEC(AN, ID, CNT, BUF)                  \
  emit_customs(m, out, PL_BEFORE, AN);         \
  put_vec_section(out, ID, m->CNT, &m->BUF);   \
  emit_customs(m, out, PL_AFTER, AN);
    SEC(AN_IMPORT, 2, n_import, sec_import)
    SEC(AN_FUNC, 3, n_func, sec_func)
    SEC(AN_TABLE, 4, n_table, sec_table)
    SEC(AN_MEMORY, 5, n_mem, sec_mem)
    SEC(AN_TAG, 13, n_tag, sec_tag) /* Core 3.0 5.5.16: tags between memory and global */
    SEC(AN_GLOBAL, 6, n_global, sec_global)
    SEC(AN_EXPORT, 7, n_export, sec_export)
    emit_customs(m, out, PL_BEFORE, AN_START);
    if (m->has_start) {
      wk_buf s = {0};
      wk_buf_uleb(&s, m->start_idx);
      put_section(out, 8, &s);
      wk_buf_free(&s);
    }
    emit_customs(m, out, PL_AFTER, AN_START);
    SEC(AN_ELEM, 9, n_elem, sec_elem)
    if (m->need_datacount) {
      wk_buf s = {0};
      wk_buf_uleb(&s, m->cnt[NS_DATA]);
      put_section(out, 12, &s);
      wk_buf_free(&s);
    }
    SEC(AN_CODE, 10, n_code, sec_code)
    SEC(AN_DATA, 11, n_data, sec_data)
#undef SEC
    emit_customs(m, out, PL_AFTER_LAST, 0);
    emit_names(m, out, name, name_len);
    if (out->oom) rc = oom(m);
  }
  cm_free(m);
  return rc;
}
