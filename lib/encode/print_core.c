/*
 * Core module text printer (Core spec 6 "Text Format") in wasmprinter's
 * layout: definitions in binary section order, `(;N;)` index comments,
 * function names from the name section, folded-free instruction lists with
 * `;; label = @N` block comments. Reads the module through wk_core_decode
 * with every WebAssembly 3.0 feature wkit implements (GC types through the one
 * byte-level type printer); a module the decoder refuses is printed by
 * lite_print from its raw sections, as far as they read.
 */
#include "encode/encode.h"
#include "encode/insn_tables.h"
#include "encode/leb.h"
#include "encode/print_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int idchar(unsigned char c) {
  if (c >= '0' && c <= '9') return 1;
  if ((c | 32) >= 'a' && (c | 32) <= 'z') return 1;
  return strchr("!#$%&'*+-./:<=>?@\\^_`|~", c) != NULL && c != 0;
}

void wk_print_id(wk_buf *b, const char *s, size_t n) {
  int ok = n > 0;
  for (size_t i = 0; i < n && ok; i++) ok = idchar((unsigned char)s[i]);
  wk_buf_byte(b, '$');
  if (ok) wk_buf_append(b, s, n);
  else wk_print_str(b, s, n);
}

void wk_print_str(wk_buf *b, const char *s, size_t n) {
  wk_buf_byte(b, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"') wk_buf_str(b, "\\\"");
    else if (c == '\\') wk_buf_str(b, "\\\\");
    else if (c == '\n') wk_buf_str(b, "\\n");
    else if (c == '\t') wk_buf_str(b, "\\t");
    else if (c == '\r') wk_buf_str(b, "\\r");
    else if (c < 0x20 || c == 0x7f) wk_buf_printf(b, "\\%02x", c);
    else wk_buf_byte(b, c);
  }
  wk_buf_byte(b, '"');
}

void wk_print_core_valtype(wk_buf *b, uint8_t t) {
  const char *s = "?";
  switch (t) {
    case 0x7f: s = "i32"; break;
    case 0x7e: s = "i64"; break;
    case 0x7d: s = "f32"; break;
    case 0x7c: s = "f64"; break;
    case 0x7b: s = "v128"; break;
    case 0x70: s = "funcref"; break;
    case 0x6f: s = "externref"; break;
    case 0x6e: s = "anyref"; break;
    case 0x6d: s = "eqref"; break;
    case 0x6c: s = "i31ref"; break;
    case 0x6b: s = "structref"; break;
    case 0x6a: s = "arrayref"; break;
    case 0x69: s = "exnref"; break;
    case 0x71: s = "nullref"; break;
    case 0x72: s = "nullexternref"; break;
    case 0x73: s = "nullfuncref"; break;
    case 0x74: s = "nullexnref"; break;
  }
  wk_buf_str(b, s);
}

void wk_print_raw_coretype(wk_buf *b, const uint8_t *d, size_t n) {
  /* the GC type printer (component form: 0x00 0x50 for `sub`); what it cannot read whole, as a
   * comment with the bytes */
  size_t pos = 0;
  wk_buf t = {0};
  if (wk_print_gc_subtype(&t, d, n, &pos, 1, NULL, NULL) == 0 && pos == n) {
    if (t.oom) b->oom = 1;
    else wk_buf_append(b, t.data, t.len);
  } else {
    wk_buf_str(b, "(;gc-type");
    for (size_t i = 0; i < n; i++) wk_buf_printf(b, " %02x", d[i]);
    wk_buf_str(b, ";)");
  }
  wk_buf_free(&t);
}


/* ---- GC types (GC proposal binary 5.3) ------------------------------ */

/* The one printer of GC types (module type sections, the fallback reader, component core types):
 * it reads the bytes; `ref` prints a type index (NULL: the number), `field`, when not NULL, what
 * goes before field k's type in a struct (its `$name `, if it has one), both given `ctx`. */
typedef void (*wk_fieldname_fn)(wk_buf *b, uint32_t k, void *ctx);
typedef struct gcr {
  wk_pcur c;
  wk_typeref_fn ref;
  void *ctx;
  wk_fieldname_fn field;
} gcr;

uint8_t wk_pcur_byte(wk_pcur *c) {
  if (c->p >= c->n) { c->bad = 1; return 0; }
  return c->d[c->p++];
}
int64_t wk_pcur_leb(wk_pcur *c, int sign) {
  /* leb.h's readers at 64 bits: what they reject is `bad` */
  uint64_t u = 0;
  int64_t s = 0;
  int rc = sign ? wk_leb_s(c->d, c->n, &c->p, 64, &s, NULL) : wk_leb_u(c->d, c->n, &c->p, 64, &u, NULL, NULL);
  if (rc) {
    c->bad = 1;
    return 0;
  }
  return sign ? s : (int64_t)u;
}

static const char *heap_abstract(uint8_t b) {
  switch (b) {
    case 0x70: return "func";
    case 0x6f: return "extern";
    case 0x6e: return "any";
    case 0x6d: return "eq";
    case 0x6c: return "i31";
    case 0x6b: return "struct";
    case 0x6a: return "array";
    case 0x69: return "exn";
    case 0x74: return "noexn";
    case 0x73: return "nofunc";
    case 0x72: return "noextern";
    case 0x71: return "none";
  }
  return NULL;
}

static void gc_typeref(wk_buf *b, gcr *g, uint32_t idx) {
  if (g->ref) g->ref(b, idx, g->ctx);
  else wk_buf_printf(b, "%u", idx);
}

static void gc_valtype(wk_buf *b, gcr *g) {
  uint8_t t = wk_pcur_byte(&g->c);
  if (t == 0x63 || t == 0x64) {
    int64_t h = wk_pcur_leb(&g->c, 1);
    if (h < 0) {
      uint8_t ab = (uint8_t)(h & 0x7f);
      const char *a = heap_abstract(ab);
      if (t == 0x63) { wk_print_core_valtype(b, ab); return; }
      wk_buf_printf(b, "(ref %s)", a ? a : "?");
      return;
    }
    wk_buf_str(b, t == 0x63 ? "(ref null " : "(ref ");
    gc_typeref(b, g, (uint32_t)h);
    wk_buf_byte(b, ')');
    return;
  }
  if (t == 0x78) { wk_buf_str(b, "i8"); return; }
  if (t == 0x77) { wk_buf_str(b, "i16"); return; }
  wk_print_core_valtype(b, t);
}

/* Core 3.0 text/types.rst "Aggregate Types": fieldtype ::= storagetype | (mut storagetype); in a
 * struct `(field $name? fieldtype)` (k: the field's index), else ` fieldtype` */
static void gc_field(wk_buf *b, gcr *g, int in_struct, uint32_t k) {
  gcr t = *g;
  wk_buf scratch = {0};
  gc_valtype(&scratch, &t);
  wk_buf_free(&scratch);
  uint8_t mut = t.c.p < t.c.n ? t.c.d[t.c.p] : 0;
  if (in_struct) wk_buf_str(b, " (field");
  wk_buf_byte(b, ' ');
  if (in_struct && g->field) g->field(b, k, g->ctx);
  if (mut) wk_buf_str(b, "(mut ");
  gc_valtype(b, g);
  if (mut) wk_buf_byte(b, ')');
  wk_pcur_byte(&g->c);
  if (in_struct) wk_buf_byte(b, ')');
}

static void gc_comptype(wk_buf *b, gcr *g) {
  uint8_t t = wk_pcur_byte(&g->c);
  if (t == 0x60) {
    wk_buf_str(b, "(func");
    for (int k = 0; k < 2 && !g->c.bad; k++) {
      int64_t cnt = wk_pcur_leb(&g->c, 0);
      if (cnt > 0) {
        wk_buf_str(b, k ? " (result" : " (param");
        for (int64_t i = 0; i < cnt && !g->c.bad; i++) { wk_buf_byte(b, ' '); gc_valtype(b, g); }
        wk_buf_byte(b, ')');
      }
    }
    wk_buf_byte(b, ')');
  } else if (t == 0x5f) {
    wk_buf_str(b, "(struct");
    int64_t cnt = wk_pcur_leb(&g->c, 0);
    for (int64_t i = 0; i < cnt && !g->c.bad; i++) gc_field(b, g, 1, (uint32_t)i);
    wk_buf_byte(b, ')');
  } else if (t == 0x5e) {
    wk_buf_str(b, "(array");
    gc_field(b, g, 0, 0);
    wk_buf_byte(b, ')');
  } else {
    g->c.bad = 1;
  }
}

/* Core 3.0 text/types.rst "Sub Types", as wasmprinter writes them: a bare comptype when final
 * without supertype, else (sub final? super* comptype) */
static int gc_subtype(wk_buf *b, const uint8_t *d, size_t n, size_t *pos, int prefixed, wk_typeref_fn ref,
                      wk_fieldname_fn field, void *ctx) {
  gcr g = {.c = {.d = d, .n = n, .p = *pos}, .ref = ref, .ctx = ctx, .field = field};
  uint8_t t = g.c.p < g.c.n ? g.c.d[g.c.p] : 0;
  if (prefixed && t == 0x00) { g.c.p++; t = g.c.p < g.c.n ? g.c.d[g.c.p] : 0; }
  if (t == 0x50 || t == 0x4f) {
    g.c.p++;
    int64_t cnt = wk_pcur_leb(&g.c, 0);
    if (t == 0x4f && cnt == 0) {
      gc_comptype(b, &g);
    } else {
      wk_buf_str(b, t == 0x4f ? "(sub final" : "(sub");
      for (int64_t i = 0; i < cnt && !g.c.bad; i++) { wk_buf_byte(b, ' '); gc_typeref(b, &g, (uint32_t)wk_pcur_leb(&g.c, 0)); }
      wk_buf_byte(b, ' ');
      gc_comptype(b, &g);
      wk_buf_byte(b, ')');
    }
  } else {
    gc_comptype(b, &g);
  }
  *pos = g.c.p;
  return g.c.bad ? -1 : 0;
}
int wk_print_gc_subtype(wk_buf *b, const uint8_t *d, size_t n, size_t *pos, int prefixed, wk_typeref_fn ref,
                        void *ctx) {
  return gc_subtype(b, d, n, pos, prefixed, ref, NULL, ctx);
}

typedef struct pctx pctx;
/* A type index: its name-section identifier, or the number (wasmprinter; p may be NULL) */
static void typeref(wk_buf *b, const pctx *p, uint32_t idx);

/* A value type with its heap type (Core 3.0 6.4.x: `(ref null? heaptype)`; type indices by their
 * name when the name section gives one, as wasmprinter). */
static void pvt(wk_buf *b, const pctx *p, uint8_t code, uint32_t ht) {
  wk_vt t = wk_vt_make(code, ht); /* (canonical: (ref null func) is funcref) */
  code = wk_vt_code(t);
  if (code != WK_REF && code != WK_REFNULL) { wk_print_core_valtype(b, code); return; }
  wk_buf_str(b, code == WK_REFNULL ? "(ref null " : "(ref ");
  if (wk_ht_is_idx(ht)) typeref(b, p, ht);
  else { const char *a = heap_abstract((uint8_t)ht); wk_buf_str(b, a ? a : "?"); }
  wk_buf_byte(b, ')');
}
/* ref.null's immediate: the heap type */
static void refnull_imm(wk_buf *b, const pctx *p, const wk_insn *in) {
  if (in->valtype == WK_REFNULL) { wk_buf_byte(b, ' '); typeref(b, p, in->ht); }
  else { const char *a = heap_abstract(in->valtype); wk_buf_printf(b, " %s", a ? a : "?"); }
}

static void ind(wk_buf *b, int n) {
  if (n > 50) n = 50; /* wasmprinter stops indenting deeper nesting */
  for (int i = 0; i < n; i++) wk_buf_str(b, "  ");
}

static void named_local(wk_buf *b, const pctx *p, const char *kw, uint32_t idx, uint8_t code, uint32_t ht, int *open);
static void functype(wk_buf *b, const pctx *p, const wk_core_functype *t) {
  if (t->nparams) { /* (parameter names: those of the function being printed, p->cur) */
    int open = 0;
    for (uint32_t i = 0; i < t->nparams; i++) named_local(b, p, "param", i, t->params[i], t->hts ? t->hts[i] : 0, &open);
    if (open) wk_buf_byte(b, ')');
  }
  if (t->nresults) {
    wk_buf_str(b, " (result");
    for (uint32_t i = 0; i < t->nresults; i++) { wk_buf_byte(b, ' '); pvt(b, p, t->results[i], t->hts ? t->hts[t->nparams + i] : 0); }
    wk_buf_byte(b, ')');
  }
}

/* Core 3.0 6.4.x: addrtype? min max? (i64: memory64) */
static void limits(wk_buf *b, const wk_core_limits *l) {
  if (l->is64) wk_buf_str(b, " i64");
  wk_buf_printf(b, " %llu", (unsigned long long)l->min);
  if (l->has_max) wk_buf_printf(b, " %llu", (unsigned long long)l->max);
  if (l->shared) wk_buf_str(b, " shared"); /* threads proposal text */
}

/* the fallback reader's cursor (print_internal.h) */
typedef wk_pcur lr;
static uint64_t lleb(lr *r) { return (uint64_t)wk_pcur_leb(r, 0); }
static uint8_t lbyte(lr *r) { return wk_pcur_byte(r); }
static void lname(lr *r, wk_buf *b) {
  uint64_t n = lleb(r);
  if (r->bad || n > r->n - r->p) { r->bad = 1; return; }
  wk_print_str(b, (const char *)r->d + r->p, (size_t)n);
  r->p += n;
}

typedef struct lnames {
  const uint8_t *d;  /* name section payload */
  size_t len;
} lnames;

/* name section subsection `sub` (1 functions, 4 types): the name of `idx` */
static int lname_lookup(const lnames *ns, uint8_t sub, uint32_t idx, const char **s, size_t *n) {
  int found = 0;
  if (!ns->d) return 0;
  lr r = {.d = ns->d, .n = ns->len};
  while (r.p < r.n && !r.bad) {
    uint8_t id = lbyte(&r);
    uint64_t size = lleb(&r);
    if (r.bad || size > r.n - r.p) return 0;
    size_t next = r.p + size;
    if (id == sub) {
      lr m = {.d = ns->d, .n = next, .p = r.p};
      uint64_t cnt = lleb(&m);
      for (uint64_t i = 0; i < cnt && !m.bad; i++) {
        uint64_t k = lleb(&m), l = lleb(&m);
        if (m.bad || l > m.n - m.p) return 0;
        if (k == idx) { *s = (const char *)m.d + m.p; *n = (size_t)l; found = 1; } /* the last one wins */
        m.p += l;
      }
    }
    r.p = next;
  }
  return found;
}

/* ---- names (Custom 7.4 "Name Section") ----------------------------------
 * One table per name map (1 functions, 4 types, 5 tables, 6 memories,
 * 7 globals, 8 elem segments, 9 data segments), built once per module the
 * way wasmprinter builds its naming maps: entries in section order, the
 * last one for an index wins, and a name that is empty, starts with `#`, or
 * was already used in the same map gets the synthetic identifier
 * `$"#<group><index> <name>"` (so the text stays unambiguous and parses back),
 * printed with an `(@name "<name>")` annotation at the definition. */
enum { NMAPS = 12 }; /* + 11 tags (extended name section, Core 3.0 exception handling) */
typedef struct pname {
  const char *s;
  uint32_t n;
  uint8_t set, synth;
} pname;
static void group_id(wk_buf *b, const char *group, uint32_t idx, const pname *nm);
static void group_def(wk_buf *b, const char *group, uint32_t idx, const pname *nm);
struct pctx {
  const wk_core_module *m;
  pname *map[NMAPS];
  uint32_t cnt[NMAPS];
  pname **fields; /* GC field names (name section subsection 10): per type, nfields entries, or NULL */
  /* local names (subsection 2): where each function's name map starts in the payload (0: none),
   * and the current function's names (set while printing it) */
  const uint8_t *locals_d;
  size_t locals_len;
  size_t *local_map; /* per function index: offset + 1 of its namemap, or 0 */
  pname *cur;        /* the function being printed: its locals' names (ncur entries), or NULL */
  uint32_t ncur;
  /* label names (subsection 3), the same way: per function, and the current function's by label
   * index (the order of block/loop/if/try/try_table in the body) */
  const uint8_t *labels_d;
  size_t labels_len;
  size_t *label_map;
  pname *curl;
  uint32_t ncurl;
};

static const char *const name_group[NMAPS] = {NULL, "func", NULL, NULL, "type", "table", "memory", "global", "elem", "data", NULL, "tag"};

static uint64_t name_hash(const char *s, uint32_t n) {
  uint64_t h = 1469598103934665603ull;
  for (uint32_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 1099511628211ull;
  return h;
}

/* Fill the map of subsection `sub` from `d`/`len` (its payload) for `count` items. */
static void pnames_fill(pctx *p, uint8_t sub, const uint8_t *d, size_t len) {
  uint32_t count = p->cnt[sub];
  pname *map = count ? calloc(count, sizeof *map) : NULL;
  if (!map) return;
  /* the "used" set: open addressing over pointers into the payload */
  uint32_t cap = 16;
  while (cap < 2 * count + 16) cap *= 2;
  const pname **used = calloc(cap, sizeof *used);
  pname *ents = calloc(count + 1, sizeof *ents); /* backing store for the set's keys */
  if (!used || !ents) { free(map); free(used); free(ents); return; }
  uint32_t nents = 0;
  lr m = {.d = d, .n = len};
  uint64_t cnt = lleb(&m);
  for (uint64_t i = 0; i < cnt && !m.bad; i++) {
    uint64_t k = lleb(&m), l = lleb(&m);
    if (m.bad || l > m.n - m.p) break;
    const char *s = (const char *)m.d + m.p;
    m.p += l;
    int synth = l == 0 || s[0] == '#';
    if (!synth) {
      uint32_t h = (uint32_t)name_hash(s, (uint32_t)l) & (cap - 1);
      while (used[h] && !(used[h]->n == l && !memcmp(used[h]->s, s, l))) h = (h + 1) & (cap - 1);
      if (used[h]) synth = 1;
      else if (nents < count) { ents[nents] = (pname){s, (uint32_t)l, 1, 0}; used[h] = &ents[nents++]; }
    }
    if (k < count) map[k] = (pname){s, (uint32_t)l, 1, (uint8_t)synth};
  }
  free(used);
  free(ents);
  p->map[sub] = map;
}

static void fields_fill(pctx *p, const uint8_t *d, size_t len);
static void locals_index(pctx *p, const uint8_t *d, size_t len, const uint8_t **od, size_t *olen, size_t **omap);
static void pctx_init(pctx *p, const wk_core_module *m) {
  memset(p, 0, sizeof *p);
  p->m = m;
  p->cnt[1] = wk_core_func_count(m);
  p->cnt[4] = m->ntypes;
  p->cnt[5] = wk_core_table_count(m);
  p->cnt[6] = wk_core_mem_count(m);
  p->cnt[7] = wk_core_global_count(m);
  p->cnt[8] = m->nelems;
  p->cnt[9] = m->ndatas;
  p->cnt[11] = wk_core_tag_count(m);
  for (uint32_t i = 0; i < m->ncustoms; i++) {
    if (!(m->customs[i].name.len == 4 && !memcmp(m->customs[i].name.str, "name", 4))) continue;
    lr r = {.d = m->customs[i].content, .n = m->customs[i].len};
    while (r.p < r.n && !r.bad) {
      uint8_t id = lbyte(&r);
      uint64_t size = lleb(&r);
      if (r.bad || size > r.n - r.p) break;
      if (id < NMAPS && name_group[id] && !p->map[id]) pnames_fill(p, id, r.d + r.p, (size_t)size);
      if (id == 10 && !p->fields) fields_fill(p, r.d + r.p, (size_t)size);
      if (id == 2 && !p->locals_d) locals_index(p, r.d + r.p, (size_t)size, &p->locals_d, &p->locals_len, &p->local_map);
      if (id == 3 && !p->labels_d) locals_index(p, r.d + r.p, (size_t)size, &p->labels_d, &p->labels_len, &p->label_map);
      r.p += (size_t)size;
    }
    break; /* the first name section only */
  }
}

static void pctx_free(pctx *p) {
  for (int i = 0; i < NMAPS; i++) free(p->map[i]);
  if (p->fields)
    for (uint32_t i = 0; i < p->m->ntypes; i++) free(p->fields[i]);
  free(p->fields);
  free(p->local_map);
  free(p->cur);
  free(p->label_map);
  free(p->curl);
}

/* The names of one name map that are in use (set, not synthetic), as a multiset: wasmprinter's
 * "repeats in its map" test in constant time per entry (a scan of the map per entry was
 * quadratic: a function with 10^6 locals and 10^5 distinct local names printed for minutes). */
typedef struct nameset {
  struct nslot { const char *s; uint32_t n, count; } *slot; /* open addressing; s NULL = empty */
  size_t cap;
} nameset;

/* at most how many more name-map entries (index, name) the cursor's bytes hold: 2 bytes or more
 * each, and no more than the map says */
static uint64_t entries_left(const lr *r, uint64_t nn) {
  uint64_t left = r->p < r->n ? (r->n - r->p) / 2 : 0;
  return nn < left ? nn : left;
}

/* room for `n` distinct names; 0 on OOM (then every lookup says "not in use") */
static int nameset_init(nameset *ns, uint64_t n) {
  size_t cap = 16;
  while (cap < 2 * n && cap < ((size_t)1 << 40)) cap *= 2;
  ns->slot = calloc(cap, sizeof *ns->slot);
  ns->cap = ns->slot ? cap : 0;
  return ns->slot != NULL;
}

/* the slot of name (s, n): its own, or the empty one where it goes (NULL: no table) */
static struct nslot *nameset_slot(nameset *ns, const char *s, uint32_t n) {
  if (!ns->cap) return NULL;
  uint64_t h = 1469598103934665603ull;
  for (uint32_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 1099511628211ull;
  for (size_t i = h & (ns->cap - 1);; i = (i + 1) & (ns->cap - 1)) {
    struct nslot *e = &ns->slot[i];
    if (!e->s || (e->n == n && !memcmp(e->s, s, n))) return e;
  }
}

/* Entry `idx` of `map` becomes name (s, l): synthetic when empty, starting with `#` or equal to
 * another index's non-synthetic name; the entry it replaces no longer counts. At most `entries`
 * distinct names are added (the table's size). */
static void nameset_assign(nameset *ns, pname *map, uint32_t idx, const char *s, uint64_t l) {
  pname *old = &map[idx];
  if (old->set && !old->synth) {
    struct nslot *e = nameset_slot(ns, old->s, old->n);
    if (e && e->s && e->count) e->count--;
  }
  int synth = !l || s[0] == '#';
  struct nslot *e = synth ? NULL : nameset_slot(ns, s, (uint32_t)l);
  if (e && e->s && e->count) synth = 1;
  map[idx] = (pname){s, (uint32_t)l, 1, (uint8_t)synth};
  if (!synth && e) {
    if (!e->s) e->s = s, e->n = (uint32_t)l;
    e->count++;
  }
}

/* Field names (Core 3.0 appendix "Name Section", subsection 10: vec(typeidx namemap)), for struct
 * types only; a name that is empty, starts with `#` or repeats in its type gets the synthetic
 * identifier `$"#field<i> <name>"` (wasmprinter's Naming), so the text always parses back. */
static void fields_fill(pctx *p, const uint8_t *d, size_t len) {
  const wk_core_module *m = p->m;
  if (!m->subtypes || !m->ntypes || !(p->fields = calloc(m->ntypes, sizeof *p->fields))) return;
  lr r = {.d = d, .n = len};
  uint64_t cnt = lleb(&r);
  for (uint64_t i = 0; i < cnt && !r.bad; i++) {
    uint64_t ti = lleb(&r), nn = lleb(&r);
    int ok = !r.bad && ti < m->ntypes && m->subtypes[ti].kind == WK_COMP_STRUCT && m->subtypes[ti].nfields;
    pname *map = ok && !p->fields[ti] ? calloc(m->subtypes[ti].nfields, sizeof *map) : NULL;
    nameset ns = {0};
    /* (each entry takes 2 bytes or more: what is left bounds the distinct names) */
    if (map && !nameset_init(&ns, entries_left(&r, nn))) { free(map); map = NULL; }
    for (uint64_t k = 0; k < nn && !r.bad; k++) {
      uint64_t fi = lleb(&r), l = lleb(&r);
      if (r.bad || l > r.n - r.p) { r.bad = 1; break; }
      const char *s = (const char *)r.d + r.p;
      r.p += l;
      if (!map || fi >= m->subtypes[ti].nfields) continue;
      nameset_assign(&ns, map, (uint32_t)fi, s, l);
    }
    free(ns.slot);
    if (map) p->fields[ti] = map;
  }
}

/* Local names (Custom "Name Section", subsection 2: vec(funcidx namemap)): where each function's
 * map starts; read per function by locals_load. */
static void locals_index(pctx *p, const uint8_t *d, size_t len, const uint8_t **od, size_t *olen, size_t **omap) {
  uint32_t nf = wk_core_func_count(p->m);
  if (!nf || !(*omap = calloc(nf, sizeof **omap))) return;
  *od = d, *olen = len;
  size_t *map = *omap;
  lr r = {.d = d, .n = len};
  uint64_t cnt = lleb(&r);
  for (uint64_t i = 0; i < cnt && !r.bad; i++) {
    uint64_t f = lleb(&r);
    if (r.bad) break;
    if (f < nf && !map[f]) map[f] = r.p + 1;
    uint64_t nn = lleb(&r);
    for (uint64_t k = 0; k < nn && !r.bad; k++) {
      lleb(&r);
      uint64_t l = lleb(&r);
      if (r.bad || l > r.n - r.p) { r.bad = 1; break; }
      r.p += l;
    }
  }
}

/* The names of function f's `n` locals (params first) into p->cur, as wasmprinter names them: a
 * name that is empty, starts with `#` or repeats in the function gets the synthetic identifier
 * `$"#local<i> <name>"` (synth), the last entry for an index wins. */
static void locals_load(pctx *p, uint32_t f, uint32_t n) {
  free(p->cur);
  p->cur = NULL, p->ncur = 0;
  if (!p->local_map || f >= wk_core_func_count(p->m) || !p->local_map[f] || !n || n > 1000000) return;
  if (!(p->cur = calloc(n, sizeof *p->cur))) return;
  p->ncur = n;
  lr r = {.d = p->locals_d, .n = p->locals_len, .p = p->local_map[f] - 1};
  uint64_t nn = lleb(&r);
  nameset ns = {0};
  if (!nameset_init(&ns, entries_left(&r, nn))) return;
  for (uint64_t k = 0; k < nn && !r.bad; k++) {
    uint64_t li = lleb(&r), l = lleb(&r);
    if (r.bad || l > r.n - r.p) break;
    const char *s = (const char *)r.d + r.p;
    r.p += l;
    if (li >= n) continue;
    nameset_assign(&ns, p->cur, (uint32_t)li, s, l);
  }
  free(ns.slot);
}

/* Function f's label names into p->curl (indexed by label index; wasmprinter keeps no "used" set
 * for labels: shadowing is resolved at each branch) */
static void labels_load(pctx *p, uint32_t f, size_t body_len) {
  free(p->curl);
  p->curl = NULL, p->ncurl = 0;
  if (!p->label_map || f >= wk_core_func_count(p->m) || !p->label_map[f]) return;
  lr r = {.d = p->labels_d, .n = p->labels_len, .p = p->label_map[f] - 1};
  uint64_t nn = lleb(&r);
  for (uint64_t k = 0; k < nn && !r.bad; k++) {
    uint64_t li = lleb(&r), l = lleb(&r);
    if (r.bad || l > r.n - r.p) break;
    const char *s = (const char *)r.d + r.p;
    r.p += l;
    /* (a body of body_len bytes has fewer labels: each block/loop/if/try takes 2 bytes or more. A
     * bigger index, unused, once grew the array to it for every function: 24 MB each) */
    if (li >= body_len / 2 || !l || s[0] == '#') continue;
    if (li >= p->ncurl) {
      uint32_t nc = p->ncurl ? p->ncurl : 16;
      while (nc <= li) nc *= 2;
      pname *np = realloc(p->curl, nc * sizeof *np);
      if (!np) return;
      memset(np + p->ncurl, 0, (nc - p->ncurl) * sizeof *np);
      p->curl = np, p->ncurl = nc;
    }
    p->curl[li] = (pname){s, (uint32_t)l, 1, 0};
  }
}

static const pname *label_name(const pctx *p, int li) {
  return p && p->curl && li >= 0 && (uint32_t)li < p->ncurl && p->curl[li].set ? &p->curl[li] : NULL;
}

static const pname *local_name(const pctx *p, uint32_t i) {
  return p && p->cur && i < p->ncur && p->cur[i].set ? &p->cur[i] : NULL;
}

/* `(param ...)` / `(local ...)` groups of value types, wasmprinter's NamedLocalPrinter: a named
 * local alone in its group `(param $x i32)`, unnamed ones together `(param i32 i64)`. `first` is
 * the local index of vts[0]; *open tracks an unnamed group left open (close with `)`). */
static void named_local(wk_buf *b, const pctx *p, const char *kw, uint32_t idx, uint8_t code, uint32_t ht, int *open) {
  const pname *nm = local_name(p, idx);
  if (nm && *open) wk_buf_byte(b, ')'), *open = 0;
  if (!*open) {
    wk_buf_printf(b, " (%s", kw);
    *open = 1;
  }
  wk_buf_byte(b, ' ');
  if (nm) group_def(b, "local", idx, nm), wk_buf_byte(b, ' ');
  pvt(b, p, code, ht);
  if (nm) wk_buf_byte(b, ')'), *open = 0;
}

static const pname *field_name(const pctx *p, uint32_t ti, uint32_t fi) {
  if (!p || !p->fields || ti >= p->m->ntypes || !p->fields[ti] || !p->m->subtypes || fi >= p->m->subtypes[ti].nfields)
    return NULL;
  return p->fields[ti][fi].set ? &p->fields[ti][fi] : NULL;
}

static const pname *pname_of(const pctx *p, uint8_t sub, uint32_t idx) {
  return p->map[sub] && idx < p->cnt[sub] && p->map[sub][idx].set ? &p->map[sub][idx] : NULL;
}

/* The identifier of item `idx` (a reference), without the annotation. */
static void name_id(wk_buf *b, uint8_t sub, uint32_t idx, const pname *nm) { group_id(b, name_group[sub], idx, nm); }

/* wasmprinter's Naming: the name as an identifier, or the synthetic `$"#<group><idx> <name>"`
 * for a name that is empty, starts with `#` or repeats in its map (nm->synth). */
static void group_id(wk_buf *b, const char *group, uint32_t idx, const pname *nm) {
  if (!nm->synth) { wk_print_id(b, nm->s, nm->n); return; }
  wk_buf_printf(b, "$\"#%s%u ", group, idx);
  wk_buf tmp = {0};
  wk_print_str(&tmp, nm->s, nm->n); /* "..." : drop the quotes */
  if (!tmp.oom && tmp.len >= 2) wk_buf_append(b, tmp.data + 1, tmp.len - 2);
  wk_buf_free(&tmp);
  wk_buf_byte(b, '"');
}

/* The identifier at a definition, with the `(@name "...")` of a synthetic one. */
static void group_def(wk_buf *b, const char *group, uint32_t idx, const pname *nm) {
  group_id(b, group, idx, nm);
  if (nm->synth) { wk_buf_str(b, " (@name "); wk_print_str(b, nm->s, nm->n); wk_buf_byte(b, ')'); }
}

/* At a definition: ` $name` (or ` $"#func3 n" (@name "n")`), nothing when unnamed. */
static void core_named(wk_buf *b, const pctx *p, uint8_t sub, uint32_t idx) {
  const pname *nm = pname_of(p, sub, idx);
  if (!nm) return;
  wk_buf_byte(b, ' ');
  name_id(b, sub, idx, nm);
  if (nm->synth) { wk_buf_str(b, " (@name "); wk_print_str(b, nm->s, nm->n); wk_buf_byte(b, ')'); }
}

/* `(KIND $name? (;idx;)`, opening a definition or an import's item: KIND the group of name
 * section subsection `sub` (func, type, table, memory, global, elem, data, tag), the name its map gives */
static void def_open(wk_buf *b, const pctx *p, uint8_t sub, uint32_t idx) {
  wk_buf_printf(b, "(%s", name_group[sub]);
  core_named(b, p, sub, idx);
  wk_buf_printf(b, " (;%u;)", idx);
}

/* Core 3.0 text "Table Types": limits reftype (after a space) */
static void tabletype(wk_buf *b, const pctx *p, const wk_core_tabletype *t) {
  limits(b, &t->lim);
  wk_buf_byte(b, ' ');
  pvt(b, p, t->reftype, t->ht);
}
/* Core 3.0 text "Global Types": valtype | (mut valtype) */
static void globaltype(wk_buf *b, const pctx *p, const wk_core_globaltype *g) {
  if (g->mut) wk_buf_str(b, "(mut ");
  pvt(b, p, g->valtype, g->ht);
  if (g->mut) wk_buf_byte(b, ')');
}

/* Data bytes as a string literal: printable ASCII as is, every other byte (and `"`, `\`) as \hh */
static void bytes_str(wk_buf *b, const uint8_t *d, size_t n) {
  wk_buf_byte(b, '"');
  for (size_t k = 0; k < n; k++) {
    uint8_t c = d[k];
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') wk_buf_byte(b, c);
    else wk_buf_printf(b, "\\%02x", c);
  }
  wk_buf_byte(b, '"');
}

/* A reference: the identifier, or the index. */
static void core_ref(wk_buf *b, const pctx *p, uint8_t sub, uint32_t idx) {
  const pname *nm = pname_of(p, sub, idx);
  if (nm) name_id(b, sub, idx, nm);
  else wk_buf_printf(b, "%u", idx);
}
static void funcref(wk_buf *b, const pctx *p, uint32_t f) { core_ref(b, p, 1, f); }
static void globalref(wk_buf *b, const pctx *p, uint32_t g) { core_ref(b, p, 7, g); }
static void typeref(wk_buf *b, const pctx *p, uint32_t idx) {
  if (p) core_ref(b, p, 4, idx);
  else wk_buf_printf(b, "%u", idx);
}

/* The type of the `(type ...)` definition i of the decoded module m, read from its bytes (data, at
 * m->type_offs: the decoder read them, so they are well formed) by the GC type printer, with the
 * name section's names for type references and struct fields. */
typedef struct subnames {
  const pctx *p;
  uint32_t ti;
} subnames;
static void sub_typeref(wk_buf *b, uint32_t idx, void *ctx) { typeref(b, ((const subnames *)ctx)->p, idx); }
static void sub_fieldname(wk_buf *b, uint32_t k, void *ctx) {
  const subnames *sn = ctx;
  const pname *fn = field_name(sn->p, sn->ti, k);
  if (fn) group_id(b, "field", k, fn), wk_buf_byte(b, ' '); /* (wasmprinter: no @name for fields) */
}
static int subtype(wk_buf *b, const pctx *p, const uint8_t *data, size_t len, uint32_t i) {
  subnames sn = {p, i};
  size_t pos = wk_core_entry_offset(&p->m->type_offs, i);
  return gc_subtype(b, data, len, &pos, 0, sub_typeref, sub_fieldname, &sn);
}

/* the type-index immediates (call_ref x; GC: x, x y, x n, x data, x elem, x x') */
static void gc_imm(wk_buf *b, const pctx *p, const wk_insn *in) {
  wk_buf_byte(b, ' ');
  typeref(b, p, in->idx0);
  switch (in->imm) {
  case WK_IMM_TYPE_COUNT: wk_buf_printf(b, " %u", in->count); break;
  case WK_IMM_TYPE_TYPE: wk_buf_byte(b, ' '); typeref(b, p, in->idx1); break;
  case WK_IMM_TYPE_DATA: case WK_IMM_TYPE_ELEM: /* the segment by its name (name section 9 / 8) */
    wk_buf_byte(b, ' ');
    if (p) core_ref(b, p, in->imm == WK_IMM_TYPE_DATA ? 9 : 8, in->idx1);
    else wk_buf_printf(b, "%u", in->idx1);
    break;
  case WK_IMM_TYPE_FIELD: {
    const pname *fn = field_name(p, in->idx0, in->idx1);
    if (fn) wk_buf_byte(b, ' '), group_id(b, "field", in->idx1, fn);
    else wk_buf_printf(b, " %u", in->idx1);
    break;
  }
  default: break;
  }
}

/* Float text: hex form + decimal comment, as wasmprinter. */
static void print_float(wk_buf *b, uint64_t bits, int is64) {
  int mbits = is64 ? 52 : 23, ebits = is64 ? 11 : 8;
  uint64_t sign = bits >> (mbits + ebits);
  uint64_t exp = (bits >> mbits) & ((1u << ebits) - 1);
  uint64_t mant = bits & ((1ull << mbits) - 1);
  int bias = (1 << (ebits - 1)) - 1;
  if (sign) wk_buf_byte(b, '-');
  if (exp == (uint64_t)((1 << ebits) - 1)) {
    if (!mant) { wk_buf_printf(b, "inf (;=%sinf;)", sign ? "-" : ""); return; }
    uint64_t canon = 1ull << (mbits - 1);
    if (mant == canon) wk_buf_str(b, "nan (;=NaN;)");
    else wk_buf_printf(b, "nan:0x%llx (;=NaN;)", (unsigned long long)mant);
    return;
  }
  if (!exp && !mant) { wk_buf_printf(b, "0x0p+0 (;=%s0;)", sign ? "-" : ""); return; }
  int e;
  uint64_t frac = mant;
  if (!exp) { /* subnormal: 0x0.xxxp-bias+1 */
    e = 1 - bias;
    int sh = is64 ? 0 : 1; /* align fraction to hex digits: 52 bits = 13 digits, 23 bits -> 24 = 6 digits */
    frac <<= sh;
    int digits = is64 ? 13 : 6;
    while (digits > 0 && !(frac & 0xf)) { frac >>= 4; digits--; }
    wk_buf_printf(b, "0x0.%0*llxp%+d", digits, (unsigned long long)frac, e);
  } else {
    e = (int)exp - bias;
    int sh = is64 ? 0 : 1;
    frac <<= sh;
    int digits = is64 ? 13 : 6;
    while (digits > 0 && !(frac & 0xf)) { frac >>= 4; digits--; }
    if (digits) wk_buf_printf(b, "0x1.%0*llxp%+d", digits, (unsigned long long)frac, e);
    else wk_buf_printf(b, "0x1p%+d", e);
  }
  double v;
  if (is64) { memcpy(&v, &bits, 8); }
  else { uint32_t w = (uint32_t)bits; float f; memcpy(&f, &w, 4); v = f; }
  /* decimal comment as Rust's Display: the shortest round-tripping digits,
   * written out without an exponent */
  char buf[64], digits[40];
  double a = fabs(v);
  int prec;
  for (prec = 1; prec <= 17; prec++) {
    snprintf(buf, sizeof buf, "%.*e", prec - 1, a);
    if (is64 ? strtod(buf, NULL) == a : (float)strtod(buf, NULL) == (float)a) break;
    /* printf rounds ties to even; the shortest representation may need the
     * other neighbour: bump the last digit */
    char up[64];
    memcpy(up, buf, sizeof up);
    char *e = strchr(up, 'e');
    if (e) {
      char *q = e - 1;
      while (q >= up && (*q == '9' || *q == '.')) { if (*q == '9') *q = '0'; q--; }
      if (q >= up && *q >= '0' && *q <= '8') {
        (*q)++;
        if (is64 ? strtod(up, NULL) == a : (float)strtod(up, NULL) == (float)a) { memcpy(buf, up, sizeof buf); break; }
      }
    }
  }
  /* buf = d.ddde[+-]XX */
  int nd = 0, e10 = 0;
  for (const char *q = buf; *q && *q != 'e'; q++)
    if (*q >= '0' && *q <= '9' && nd < 39) digits[nd++] = *q;
  const char *ep = strchr(buf, 'e');
  if (ep) e10 = atoi(ep + 1);
  while (nd > 1 && digits[nd - 1] == '0') nd--;
  digits[nd] = 0;
  wk_buf_str(b, " (;=");
  if (sign) wk_buf_byte(b, '-');
  if (e10 >= 0) {
    for (int i = 0; i <= e10 || i < nd; i++) {
      if (i == e10 + 1) wk_buf_byte(b, '.');
      wk_buf_byte(b, i < nd ? digits[i] : '0');
    }
  } else {
    wk_buf_str(b, "0.");
    for (int i = 0; i < -e10 - 1; i++) wk_buf_byte(b, '0');
    wk_buf_str(b, digits);
  }
  wk_buf_str(b, ";)");
}

/* ` i32x4 0x... 0x...` (wasmprinter's form of a v128.const immediate) */
static void v128_imm(wk_buf *b, const wk_insn *in) {
  wk_buf_str(b, " i32x4");
  for (int i = 0; i < 4; i++) {
    uint32_t w;
    memcpy(&w, in->val.v128 + 4 * i, 4);
    wk_buf_printf(b, " 0x%08x", w);
  }
}

/* ` l (;@N;)`: label index l, and the wasmprinter number of the block it names when known
 * (level: labels open, stack: their numbers, outermost first; at most 1024 kept) */
static const pname *label_name(const pctx *p, int li);
/* labels of the open blocks: wasmprinter numbers (stack), label indices (lidx, for names) */
typedef struct lstack {
  const pctx *p;
  int num[1024], idx[1024];
} lstack;

/* a branch target: its label's name when it has one that no inner label shadows (wasmprinter) */
static void put_label(wk_buf *b, uint32_t l, int level, const lstack *ls) {
  const int *stack = ls->num;
  int tgt = level - 1 - (int)l;
  const pname *nm = tgt >= 0 && tgt < 1024 && tgt < level ? label_name(ls->p, ls->idx[tgt]) : NULL;
  for (int k = tgt + 1; nm && k < level && k < 1024; k++) {
    const pname *o = label_name(ls->p, ls->idx[k]);
    if (o && o->n == nm->n && !memcmp(o->s, nm->s, nm->n)) nm = NULL;
  }
  if (nm) {
    wk_buf_byte(b, ' ');
    wk_print_id(b, nm->s, nm->n);
    return;
  }
  wk_buf_printf(b, " %u", l);
  if (tgt >= 0 && tgt < 1024) wk_buf_printf(b, " (;@%d;)", stack[tgt]);
}

/* Legacy exception handling's clauses (WK_FEAT_LEGACY_EXCEPTIONS), as wasmprinter prints them:
 * `catch x` and `catch_all` at the try's indentation (as `else`), `delegate l` closing the try
 * (as `end`; l counts the labels outside it). `try` prints as a block, `rethrow` as a branch.
 * Returns 1 when it printed in (a clause), else 0. */
static int legacy_eh_clause(wk_buf *b, const wk_insn *in, int depth, int *level, const lstack *ls) {
  if (in->op != WK_OP_CATCH && in->op != WK_OP_CATCH_ALL && in->op != WK_OP_DELEGATE) return 0;
  if (*level == 0) return 0; /* (invalid: printed as a plain instruction) */
  if (in->op == WK_OP_DELEGATE) (*level)--;
  ind(b, depth + (in->op == WK_OP_DELEGATE ? *level : *level - 1));
  if (in->op == WK_OP_CATCH) wk_buf_printf(b, "catch %u\n", in->idx0);
  else if (in->op == WK_OP_CATCH_ALL) wk_buf_str(b, "catch_all\n");
  else {
    wk_buf_str(b, "delegate");
    put_label(b, in->idx0, *level, ls);
    wk_buf_byte(b, '\n');
  }
  return 1;
}

static int body(wk_buf *b, const pctx *p, const wk_core_code *c, int depth, wk_error *err) {
  size_t pos = 0;
  int level = 0;   /* block nesting */
  int label = 0;   /* label counter */
  int nlab = 0;    /* label index of the next block (name section subsection 3) */
  lstack *ls = malloc(sizeof *ls);
  if (!ls) return wk_error_set(err, WK_ERR_NOMEM, "out of memory"), -1;
  ls->p = p;
  while (pos < c->body_len) {
    wk_insn in;
    if (wk_insn_read(c->body, c->body_len, &pos, &in, err)) { free(ls); return -1; }
    if (in.op == WK_OP_END) {
      if (level == 0) break;
      level--;
      ind(b, depth + level);
      wk_buf_str(b, "end\n");
      continue;
    }
    if (__builtin_expect(in.op <= 0x19, 1) && wk_legacy_eh_op(in.op) && legacy_eh_clause(b, &in, depth, &level, ls)) continue;
    if (in.op == WK_OP_ELSE) {
      ind(b, depth + level - 1);
      wk_buf_str(b, "else\n");
      continue;
    }
    ind(b, depth + level);
    /* Core 6.5.4: `select (result t)` is the text of 0x1c (the table's name
     * "select_t" only tells the two encodings apart) */
    const char *name = in.op == WK_OP_SELECT_T ? "select" : wk_op_name(in.op);
    wk_buf_str(b, name ? name : "unknown");
    switch (in.imm) {
      case WK_IMM_TRY_TABLE: case WK_IMM_BLOCK: {
        /* wasmprinter: a named label `block $l (result t)`, without the label comment */
        const pname *lname = label_name(p, nlab);
        if (lname) wk_buf_byte(b, ' '), wk_print_id(b, lname->s, lname->n);
        if (in.bt_kind == WK_BT_VAL) { wk_buf_str(b, " (result "); pvt(b, p, in.valtype, in.ht); wk_buf_byte(b, ')'); }
        else if (in.bt_kind == WK_BT_TYPE) {
          /* wasmprinter: the type use and its signature, `(type $t) (param i32) (result i32)` */
          wk_buf_str(b, " (type ");
          typeref(b, p, in.idx0);
          wk_buf_byte(b, ')');
          if (p && p->m && in.idx0 < p->m->ntypes && wk_core_type_is_func(p->m, in.idx0)) {
            pctx q = *p; /* (no parameter names: those are the function's) */
            q.cur = NULL, q.ncur = 0;
            functype(b, &q, &p->m->types[in.idx0]);
          }
        }
        if (in.imm == WK_IMM_TRY_TABLE) { /* Core 3.0 text "Control Instructions": catch clauses: labels outside the try_table */
          static const char *const ck[] = {"catch", "catch_ref", "catch_all", "catch_all_ref"};
          size_t cur = 0;
          for (uint32_t k = 0; k < in.count; k++) {
            uint8_t kind;
            uint32_t x, l;
            wk_insn_catch(&in, &cur, &kind, &x, &l);
            wk_buf_printf(b, " (%s", ck[kind & 3]);
            if (kind < WK_CATCH_ALL) wk_buf_printf(b, " %u", x);
            put_label(b, l, level, ls);
            wk_buf_byte(b, ')');
          }
        }
        /* wasmprinter numbers labels by nesting depth */
        label = level + 1;
        if (!lname) wk_buf_printf(b, " ;; label = @%d", label);
        if (level < 1024) ls->num[level] = label, ls->idx[level] = nlab;
        nlab++;
        level++;
        break;
      }
      case WK_IMM_LABEL: put_label(b, in.idx0, level, ls); break;
      case WK_IMM_BR_TABLE: {
        size_t cur = 0;
        for (uint32_t i = 0; i <= in.count; i++) {
          put_label(b, i < in.count ? wk_insn_br_target(&in, &cur) : in.idx0, level, ls);
        }
        break;
      }
      case WK_IMM_FUNC: wk_buf_byte(b, ' '); funcref(b, p, in.idx0); break;
      case WK_IMM_CALL_INDIRECT:
        if (in.idx1) wk_buf_byte(b, ' '), core_ref(b, p, 5, in.idx1);
        wk_buf_str(b, " (type ");
        typeref(b, p, in.idx0);
        wk_buf_byte(b, ')');
        break;
      case WK_IMM_GLOBAL: wk_buf_byte(b, ' '); globalref(b, p, in.idx0); break;
      case WK_IMM_LOCAL: {
        const pname *nm = local_name(p, in.idx0);
        if (nm) wk_buf_byte(b, ' '), group_id(b, "local", in.idx0, nm);
        else wk_buf_printf(b, " %u", in.idx0);
        break;
      }
      /* tables, segments and tags by their names (name section 5, 9, 8, 11), as wasmprinter */
      case WK_IMM_TABLE: wk_buf_byte(b, ' '); core_ref(b, p, 5, in.idx0); break;
      case WK_IMM_DATA: wk_buf_byte(b, ' '); core_ref(b, p, 9, in.idx0); break;
      case WK_IMM_ELEM: wk_buf_byte(b, ' '); core_ref(b, p, 8, in.idx0); break;
      case WK_IMM_TAG: wk_buf_byte(b, ' '); core_ref(b, p, 11, in.idx0); break;
      case WK_IMM_MEMARG: case WK_IMM_MEMARG_LANE:
        /* Core 3.0 6.5.7: memidx? before offset= (multi-memory) */
        if (in.mem) wk_buf_printf(b, " %u", in.mem);
        if (in.offset) wk_buf_printf(b, " offset=%llu", (unsigned long long)in.offset);
        /* Core 6.5.7: align= is written when it differs from the natural
         * alignment, the opcode table's AUX column (log2) */
        if (in.align != wk_opi_aux[in.opi]) wk_buf_printf(b, " align=%u", 1u << in.align);
        if (in.imm == WK_IMM_MEMARG_LANE) wk_buf_printf(b, " %u", in.lane);
        break;
      case WK_IMM_I32: wk_buf_printf(b, " %d", in.val.i32); break;
      case WK_IMM_I64: wk_buf_printf(b, " %lld", (long long)in.val.i64); break;
      case WK_IMM_F32: wk_buf_byte(b, ' '); print_float(b, in.val.f32, 0); break;
      case WK_IMM_F64: wk_buf_byte(b, ' '); print_float(b, in.val.f64, 1); break;
      case WK_IMM_SELECT_T: wk_buf_str(b, " (result "); pvt(b, p, in.valtype, in.ht); wk_buf_byte(b, ')'); break;
      case WK_IMM_REFTYPE: refnull_imm(b, p, &in); break;
      case WK_IMM_TYPE: case WK_IMM_TYPE_FIELD: case WK_IMM_TYPE_DATA: case WK_IMM_TYPE_ELEM: case WK_IMM_TYPE_TYPE:
      case WK_IMM_TYPE_COUNT: gc_imm(b, p, &in); break; /* call_ref, return_call_ref, GC (text/instructions.rst) */
      case WK_IMM_HEAPTYPE: wk_buf_byte(b, ' '); pvt(b, p, in.valtype, in.ht); break;
      case WK_IMM_BR_ON_CAST: {
        put_label(b, in.idx0, level, ls);
        wk_vt r1, r2;
        wk_insn_cast_types(&in, &r1, &r2);
        wk_buf_byte(b, ' ');
        pvt(b, p, wk_vt_code(r1), wk_vt_heap(r1));
        wk_buf_byte(b, ' ');
        pvt(b, p, wk_vt_code(r2), wk_vt_heap(r2));
        break;
      }
      case WK_IMM_MEM: if (in.mem) wk_buf_printf(b, " %u", in.mem); break;
      case WK_IMM_MEM_INIT: if (in.mem) wk_buf_printf(b, " %u", in.mem); wk_buf_byte(b, ' '); core_ref(b, p, 9, in.idx0); break;
      case WK_IMM_MEM_COPY: if (in.mem || in.mem_src) wk_buf_printf(b, " %u %u", in.mem, in.mem_src); break;
      case WK_IMM_TABLE_INIT:
        if (in.idx1) wk_buf_byte(b, ' '), core_ref(b, p, 5, in.idx1);
        wk_buf_byte(b, ' ');
        core_ref(b, p, 8, in.idx0);
        break;
      case WK_IMM_TABLE_COPY:
        if (in.idx0 || in.idx1) wk_buf_byte(b, ' '), core_ref(b, p, 5, in.idx0), wk_buf_byte(b, ' '), core_ref(b, p, 5, in.idx1);
        break;
      case WK_IMM_LANE: wk_buf_printf(b, " %u", in.lane); break;
      case WK_IMM_V128: v128_imm(b, &in); break;
      case WK_IMM_SHUFFLE:
        for (int i = 0; i < 16; i++) wk_buf_printf(b, " %u", in.val.v128[i]);
        break;
      default: break;
    }
    wk_buf_byte(b, '\n');
  }
  free(ls);
  return 0;
}

static void constexpr_(wk_buf *b, const pctx *p, const wk_core_expr *e) {
  size_t pos = 0;
  int first = 1;
  wk_error err;
  while (pos < e->len) {
    wk_insn in;
    if (wk_insn_read(e->bytes, e->len, &pos, &in, &err) || in.op == WK_OP_END) break;
    const char *name = wk_op_name(in.op);
    wk_buf_printf(b, "%s%s", first ? "" : " ", name ? name : "?");
    first = 0;
    switch (in.imm) {
      case WK_IMM_I32: wk_buf_printf(b, " %d", in.val.i32); break;
      case WK_IMM_I64: wk_buf_printf(b, " %lld", (long long)in.val.i64); break;
      case WK_IMM_F32: wk_buf_byte(b, ' '); print_float(b, in.val.f32, 0); break;
      case WK_IMM_F64: wk_buf_byte(b, ' '); print_float(b, in.val.f64, 1); break;
      case WK_IMM_GLOBAL: wk_buf_byte(b, ' '); globalref(b, p, in.idx0); break;
      case WK_IMM_FUNC: wk_buf_byte(b, ' '); funcref(b, p, in.idx0); break;
      case WK_IMM_REFTYPE: refnull_imm(b, p, &in); break;
      case WK_IMM_V128: v128_imm(b, &in); break;
      case WK_IMM_TYPE: case WK_IMM_TYPE_COUNT: case WK_IMM_TYPE_FIELD: case WK_IMM_TYPE_DATA: case WK_IMM_TYPE_ELEM:
      case WK_IMM_TYPE_TYPE: gc_imm(b, p, &in); break; /* GC struct.new x, array.new_fixed x n, ... */
      /* not constant (the validator rejects them) but printed with their
       * index so the text still says what the bytes hold */
      case WK_IMM_LOCAL: case WK_IMM_TABLE: case WK_IMM_DATA: case WK_IMM_ELEM: wk_buf_printf(b, " %u", in.idx0); break;
      default: break;
    }
  }
}

/* Number of instructions of a constant expression before its `end`. */
static uint32_t constexpr_len(const wk_core_expr *e) {
  size_t pos = 0;
  uint32_t n = 0;
  wk_error err;
  wk_insn in;
  while (pos < e->len && !wk_insn_read(e->bytes, e->len, &pos, &in, &err) && in.op != WK_OP_END) n++;
  return n;
}

/* A segment offset: the folded `(i32.const 0)` for one instruction, else the
 * explicit `(offset instr*)` (Core 6.6.12 / 6.6.13; an extended or empty
 * expression folded would reverse or lose its instructions when re-parsed). */
static void offset_expr(wk_buf *b, const pctx *p, const wk_core_expr *e) {
  int one = constexpr_len(e) == 1;
  wk_buf_str(b, one ? " (" : " (offset");
  if (!one && e->len > 1) wk_buf_byte(b, ' ');
  constexpr_(b, p, e);
  wk_buf_byte(b, ')');
}


/* ---- fallback for modules wk_core_decode does not read (it refuses them) ---------
 * Types (incl. GC), imports, tables/memories (memory64, shared), tags,
 * globals of simple types, exports, and bodies of 2.0 instructions. */

static void ltyperef(wk_buf *b, uint32_t idx, void *ctx) {
  const char *s;
  size_t n;
  if (lname_lookup(ctx, 4, idx, &s, &n)) wk_print_id(b, s, n);
  else wk_buf_printf(b, "%u", idx);
}

static void llimits(lr *r, wk_buf *b, int table) {
  uint8_t f = lbyte(r);
  if (f & 4) wk_buf_str(b, " i64");
  wk_buf_printf(b, " %llu", (unsigned long long)lleb(r));
  if (f & 1) wk_buf_printf(b, " %llu", (unsigned long long)lleb(r));
  if (f & 2) wk_buf_str(b, " shared");
  if (f & 8) wk_buf_printf(b, " (pagesize %llu)", 1ull << (lleb(r) & 63));
  (void)table;
}

/* tabletype (Core 5.3.10: reftype then limits), printed in text order: limits, then the
 * element type. */
static void ltabletype(lr *r, wk_buf *b) {
  gcr g = {.c = {.d = r->d, .n = r->n, .p = r->p}};
  wk_buf tmp = {0};
  gc_valtype(&tmp, &g);
  r->p = g.c.p;
  llimits(r, b, 1);
  wk_buf_byte(b, ' ');
  wk_buf_append(b, tmp.data, tmp.len);
  wk_buf_free(&tmp);
}


static void lfuncname(wk_buf *b, const lnames *ns, uint32_t f) {
  const char *s;
  size_t n;
  if (lname_lookup(ns, 1, f, &s, &n)) { wk_buf_byte(b, ' '); wk_print_id(b, s, n); }
}

/* One `(type $name? (;N;) subtype)` of the fallback reader (GC types included). */
static void ltypedef(lr *r, wk_buf *b, int depth, const lnames *ns, uint32_t ntype) {
  const char *s;
  size_t n;
  ind(b, depth);
  wk_buf_str(b, "(type");
  if (lname_lookup(ns, 4, ntype, &s, &n)) { wk_buf_byte(b, ' '); wk_print_id(b, s, n); }
  wk_buf_printf(b, " (;%u;) ", ntype);
  if (wk_print_gc_subtype(b, r->d, r->n, &r->p, 0, ltyperef, (void *)ns)) r->bad = 1;
  wk_buf_str(b, ")\n");
}

static int lite_print(const uint8_t *data, size_t len, int depth, wk_buf *b, wk_error *err) {
  wk_section_iter it;
  wk_section sec;
  if (wk_sections_begin(&it, data, len, err)) return WK_ERR_MALFORMED;
  lnames ns = {0};
  {
    wk_section_iter j = it;
    while (wk_sections_next(&j, &sec, NULL) == 1)
      if (sec.id == 0 && sec.name_len == 4 && !memcmp(sec.name, "name", 4)) {
        ns.d = data + sec.content_offset;
        ns.len = sec.end - sec.content_offset;
      }
  }
  uint32_t ntype = 0, nfunc = 0, ntable = 0, nmem = 0, nglobal = 0, ntag = 0, nfdecl = 0;
  uint32_t *ftypes = NULL;
  int rc;
  while ((rc = wk_sections_next(&it, &sec, err)) == 1) {
    lr r = {.d = data, .n = sec.end, .p = sec.payload_offset};
    if (sec.id == 0) continue;
    uint64_t cnt = lleb(&r);
    if (r.bad) break;
    for (uint64_t i = 0; i < cnt && !r.bad; i++) {
      switch (sec.id) {
        case 1:
          if (r.p < r.n && data[r.p] == 0x4e) {
            r.p++;
            uint64_t k = lleb(&r);
            ind(b, depth);
            wk_buf_str(b, "(rec");
            if (!k) { wk_buf_str(b, ")\n"); break; }
            wk_buf_byte(b, '\n');
            for (uint64_t q = 0; q < k && !r.bad; q++) ltypedef(&r, b, depth + 1, &ns, ntype++);
            ind(b, depth);
            wk_buf_str(b, ")\n");
            break;
          }
          ltypedef(&r, b, depth, &ns, ntype++);
          break;
        case 2: {
          ind(b, depth);
          wk_buf_str(b, "(import ");
          lname(&r, b);
          wk_buf_byte(b, ' ');
          lname(&r, b);
          uint8_t k = lbyte(&r);
          if (k == 0) {
            wk_buf_str(b, " (func");
            lfuncname(b, &ns, nfunc);
            wk_buf_printf(b, " (;%u;) (type %llu))", nfunc++, (unsigned long long)lleb(&r));
          } else if (k == 1) {
            wk_buf_printf(b, " (table (;%u;)", ntable++);
            ltabletype(&r, b);
            wk_buf_byte(b, ')');
          } else if (k == 2) {
            wk_buf_printf(b, " (memory (;%u;)", nmem++);
            llimits(&r, b, 0);
            wk_buf_byte(b, ')');
          } else if (k == 3) {
            wk_buf_printf(b, " (global (;%u;) ", nglobal++);
            gcr g = {.c = {.d = data, .n = r.n, .p = r.p}};
            wk_buf tmp = {0};
            gc_valtype(&tmp, &g);
            r.p = g.c.p;
            uint8_t mut = lbyte(&r);
            if (mut) wk_buf_str(b, "(mut ");
            wk_buf_append(b, tmp.data, tmp.len);
            if (mut) wk_buf_byte(b, ')');
            wk_buf_free(&tmp);
            wk_buf_byte(b, ')');
          } else if (k == 4) {
            lbyte(&r);
            wk_buf_printf(b, " (tag (;%u;) (type %llu))", ntag++, (unsigned long long)lleb(&r));
          } else r.bad = 1;
          wk_buf_str(b, ")\n");
          break;
        }
        case 3: {
          uint32_t *nf = realloc(ftypes, (size_t)(nfdecl + 1) * sizeof *nf);
          if (!nf) { r.bad = 1; break; }
          ftypes = nf;
          ftypes[nfdecl++] = (uint32_t)lleb(&r);
          break;
        }
        case 4: {
          ind(b, depth);
          wk_buf_printf(b, "(table (;%u;)", ntable++);
          ltabletype(&r, b);
          wk_buf_str(b, ")\n");
          break;
        }
        case 5:
          ind(b, depth);
          wk_buf_printf(b, "(memory (;%u;)", nmem++);
          llimits(&r, b, 0);
          wk_buf_str(b, ")\n");
          break;
        case 13:
          ind(b, depth);
          lbyte(&r);
          wk_buf_printf(b, "(tag (;%u;) (type %llu))\n", ntag++, (unsigned long long)lleb(&r));
          break;
        case 7: {
          static const char *ek[] = {"func", "table", "memory", "global", "tag"};
          ind(b, depth);
          wk_buf_str(b, "(export ");
          lname(&r, b);
          uint8_t k = lbyte(&r);
          uint64_t x = lleb(&r);
          wk_buf_printf(b, " (%s %llu))\n", k < 5 ? ek[k] : "?", (unsigned long long)x);
          break;
        }
        case 10: {
          uint64_t size = lleb(&r);
          if (r.bad || size > r.n - r.p) { r.bad = 1; break; }
          size_t fend = r.p + size, send = r.n;
          r.n = fend; /* locals and body stay inside this function */
          uint32_t fi = nfunc + (uint32_t)i;
          ind(b, depth);
          wk_buf_str(b, "(func");
          lfuncname(b, &ns, fi);
          wk_buf_printf(b, " (;%u;) (type %u)", fi, i < nfdecl ? ftypes[i] : 0);
          uint64_t ng = lleb(&r);
          wk_buf tmp = {0};
          uint64_t total = 0;
          for (uint64_t gi = 0; gi < ng && !r.bad; gi++) {
            uint64_t c = lleb(&r);
            uint8_t t = lbyte(&r);
            total += c;
            if (total > 1000000) { r.bad = 1; break; } /* bound the output */
            for (uint64_t k = 0; k < c; k++) { wk_buf_byte(&tmp, ' '); wk_print_core_valtype(&tmp, t); }
          }
          r.n = send;
          if (r.bad || r.p > fend) { wk_buf_free(&tmp); r.bad = 1; break; }
          wk_core_code code = {.body = data + r.p, .body_len = (uint32_t)(fend - r.p)};
          if (!ng && code.body_len == 1) { wk_buf_str(b, ")\n"); wk_buf_free(&tmp); r.p = fend; break; }
          wk_buf_byte(b, '\n');
          if (tmp.len) { ind(b, depth + 1); wk_buf_str(b, "(local"); wk_buf_append(b, tmp.data, tmp.len); wk_buf_str(b, ")\n"); }
          wk_buf_free(&tmp);
          wk_core_module empty;
          memset(&empty, 0, sizeof empty);
          pctx nonames = {.m = &empty};
          if (body(b, &nonames, &code, depth + 1, err)) { r.bad = 1; break; }
          ind(b, depth);
          wk_buf_str(b, ")\n");
          r.p = fend;
          break;
        }
        default:
          /* globals with init expressions, elements, data: not in this fallback */
          r.bad = 1;
          break;
      }
    }
    if (r.bad) {
      free(ftypes);
      return wk_error_at(err, WK_ERR_UNSUPPORTED, sec.offset, "cannot print this module's section %u", sec.id);
    }
  }
  free(ftypes);
  return rc < 0 ? WK_ERR_MALFORMED : WK_OK;
}

int wk_coremod_print(const uint8_t *data, size_t len, int depth, wk_buf *out, wk_error *err) {
  wk_core_module *m = NULL;
  int rc = wk_core_decode_features(data, len, WK_FEAT_ALL, &m, err);
  if (rc) {
    /* beyond WebAssembly 2.0: the fallback reader, into a scratch buffer */
    wk_error e2;
    wk_error_clear(&e2);
    wk_buf tmp = {0};
    if (lite_print(data, len, depth, &tmp, &e2) == WK_OK && !tmp.oom) {
      wk_buf_append(out, tmp.data, tmp.len);
      wk_buf_free(&tmp);
      if (err) wk_error_clear(err);
      return WK_OK;
    }
    wk_buf_free(&tmp);
    return rc;
  }
  pctx pc;
  pctx_init(&pc, m);
  wk_buf *b = out;
  uint32_t ke = 0; /* empty rec groups printed so far (m->empty_recs) */
  for (uint32_t i = 0; i < m->ntypes; i++) {
    const wk_core_subtype *s = m->subtypes ? &m->subtypes[i] : NULL;
    for (; ke < m->nempty_recs && m->empty_recs[ke] <= i; ke++) { ind(b, depth); wk_buf_str(b, "(rec)\n"); }
    /* Core 3.0 text/types.rst "Recursive Types": (rec (type ...)*) */
    int in_rec = s && (s->rec_explicit || s->rec_size != 1);
    if (in_rec && s->rec_start == i) { ind(b, depth); wk_buf_str(b, "(rec\n"); }
    ind(b, depth + in_rec);
    def_open(b, &pc, 4, i);
    wk_buf_byte(b, ' ');
    if (subtype(b, &pc, data, len, i)) { /* (not after the decoder read the same bytes) */
      uint64_t at = wk_core_entry_offset(&m->type_offs, i);
      pctx_free(&pc);
      wk_core_free(m);
      return wk_error_at(err, WK_ERR_MALFORMED, at, "malformed type %u", i);
    }
    wk_buf_str(b, ")\n");
    if (in_rec && i + 1 == s->rec_start + s->rec_size) { ind(b, depth); wk_buf_str(b, ")\n"); }
  }
  for (; ke < m->nempty_recs; ke++) { ind(b, depth); wk_buf_str(b, "(rec)\n"); }
  uint32_t nf = 0, nt = 0, nm = 0, ng = 0, ntg = 0;
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wk_core_import *im = &m->imports[i];
    ind(b, depth);
    wk_buf_str(b, "(import ");
    wk_print_str(b, im->module.str, im->module.len);
    wk_buf_byte(b, ' ');
    wk_print_str(b, im->name.str, im->name.len);
    wk_buf_byte(b, ' ');
    switch (im->kind) { /* Core 3.0 text "Imports" */
      case WK_EXTERN_FUNC:
        def_open(b, &pc, 1, nf++);
        wk_buf_str(b, " (type ");
        typeref(b, &pc, im->type_index);
        wk_buf_byte(b, ')');
        break;
      case WK_EXTERN_TABLE: def_open(b, &pc, 5, nt++), tabletype(b, &pc, &im->table); break;
      case WK_EXTERN_MEMORY: def_open(b, &pc, 6, nm++), limits(b, &im->mem); break;
      case WK_EXTERN_GLOBAL: def_open(b, &pc, 7, ng++), wk_buf_byte(b, ' '), globaltype(b, &pc, &im->global); break;
      case WK_EXTERN_TAG:
        def_open(b, &pc, 11, ntg++);
        wk_buf_str(b, " (type ");
        typeref(b, &pc, im->tag_type);
        wk_buf_byte(b, ')');
        break;
    }
    wk_buf_str(b, "))\n");
  }
  for (uint32_t i = 0; i < m->ntables; i++) {
    ind(b, depth);
    def_open(b, &pc, 5, nt++);
    tabletype(b, &pc, &m->tables[i]);
    if (m->table_inits && m->table_inits[i].len) { /* Core 3.0 6.6.x: table with an initialiser */
      wk_buf_byte(b, ' ');
      constexpr_(b, &pc, &m->table_inits[i]);
    }
    wk_buf_str(b, ")\n");
  }
  for (uint32_t i = 0; i < m->nmems; i++) {
    ind(b, depth);
    def_open(b, &pc, 6, nm++);
    limits(b, &m->mems[i]);
    wk_buf_str(b, ")\n");
  }
  for (uint32_t i = 0; i < m->ntags; i++) { /* Core 3.0 text "Tags" */
    ind(b, depth);
    def_open(b, &pc, 11, ntg++);
    wk_buf_str(b, " (type ");
    typeref(b, &pc, m->tags[i]);
    wk_buf_str(b, "))\n");
  }
  for (uint32_t i = 0; i < m->nglobals; i++) {
    ind(b, depth);
    def_open(b, &pc, 7, ng++);
    wk_buf_byte(b, ' ');
    globaltype(b, &pc, &m->globals[i].type);
    wk_buf_byte(b, ' ');
    constexpr_(b, &pc, &m->globals[i].init);
    wk_buf_str(b, ")\n");
  }
  static const char *ek[] = {"func", "table", "memory", "global", "tag"};
  for (uint32_t i = 0; i < m->nexports; i++) {
    const wk_core_export *e = &m->exports[i];
    ind(b, depth);
    wk_buf_str(b, "(export ");
    wk_print_str(b, e->name.str, e->name.len);
    wk_buf_printf(b, " (%s ", e->kind < 5 ? ek[e->kind] : "?");
    if (e->kind == WK_EXTERN_FUNC) funcref(b, &pc, e->index);
    else wk_buf_printf(b, "%u", e->index);
    wk_buf_str(b, "))\n");
  }
  if (m->has_start) {
    ind(b, depth);
    wk_buf_str(b, "(start ");
    funcref(b, &pc, m->start);
    wk_buf_str(b, ")\n");
  }
  for (uint32_t i = 0; i < m->nelems; i++) {
    const wk_core_elem *e = &m->elems[i];
    ind(b, depth);
    def_open(b, &pc, 8, i);
    if (e->mode == WK_SEG_ACTIVE) {
      if (e->explicit_table || e->table) { wk_buf_str(b, " (table "); core_ref(b, &pc, 5, e->table); wk_buf_byte(b, ')'); }
      offset_expr(b, &pc, &e->offset);
    } else if (e->mode == WK_SEG_DECLARATIVE) {
      wk_buf_str(b, " declare");
    }
    if (e->funcs) {
      wk_buf_str(b, " func");
      for (uint32_t k = 0; k < e->count; k++) { wk_buf_byte(b, ' '); funcref(b, &pc, e->funcs[k]); }
    } else {
      wk_buf_byte(b, ' ');
      pvt(b, &pc, e->reftype, e->ht);
      /* wasmprinter: a one-instruction item folded, `(ref.func $f)`; longer ones `(item ...)` */
      for (uint32_t k = 0; k < e->count; k++) {
        wk_buf_str(b, constexpr_len(&e->exprs[k]) == 1 ? " (" : " (item ");
        constexpr_(b, &pc, &e->exprs[k]);
        wk_buf_byte(b, ')');
      }
    }
    wk_buf_str(b, ")\n");
  }
  uint32_t nimp = m->nimported_funcs;
  for (uint32_t i = 0; i < m->ncodes && i < m->nfuncs; i++) {
    uint32_t fi = nimp + i;
    ind(b, depth);
    def_open(b, &pc, 1, fi);
    wk_buf_str(b, " (type ");
    typeref(b, &pc, m->funcs[i]);
    wk_buf_byte(b, ')');
    const wk_core_code *c = &m->codes[i];
    uint32_t np = m->funcs[i] < m->ntypes ? m->types[m->funcs[i]].nparams : 0;
    locals_load(&pc, fi, c->nlocals <= 1000000 ? np + (uint32_t)c->nlocals : 0);
    labels_load(&pc, fi, c->body_len);
    if (m->funcs[i] < m->ntypes) functype(b, &pc, &m->types[m->funcs[i]]);
    if (c->nlocals > 1000000) { /* counts are not backed by bytes: bound the output */
      uint64_t at = c->body_offset; /* c points into m: read it before freeing m */
      pctx_free(&pc);
      wk_core_free(m);
      return wk_error_at(err, WK_ERR_UNSUPPORTED, at, "function %u declares too many locals to print", fi);
    }
    if (c->ngroups == 0 && c->body_len == 1) { wk_buf_str(b, ")\n"); continue; }
    wk_buf_byte(b, '\n');
    if (c->ngroups && c->nlocals) {
      ind(b, depth + 1);
      wk_buf tmp = {0};
      int open = 0;
      uint32_t li = np;
      for (uint32_t g = 0; g < c->ngroups; g++)
        for (uint32_t k = 0; k < c->groups[g].count; k++)
          named_local(&tmp, &pc, "local", li++, c->groups[g].type, c->groups[g].ht, &open);
      if (open) wk_buf_byte(&tmp, ')');
      if (tmp.oom) b->oom = 1;
      else if (tmp.len) wk_buf_append(b, tmp.data + 1, tmp.len - 1); /* (without the first group's space) */
      wk_buf_free(&tmp);
      wk_buf_byte(b, '\n');
    }
    if (body(b, &pc, c, depth + 1, err)) {
      if (err) err->offset += c->body_offset;
      pctx_free(&pc);
      wk_core_free(m);
      return WK_ERR_MALFORMED;
    }
    ind(b, depth);
    wk_buf_str(b, ")\n");
  }
  for (uint32_t i = 0; i < m->ndatas; i++) {
    const wk_core_data *d = &m->datas[i];
    ind(b, depth);
    def_open(b, &pc, 9, i);
    if (d->mode == WK_SEG_ACTIVE) {
      if (d->memory) wk_buf_printf(b, " (memory %u)", d->memory);
      offset_expr(b, &pc, &d->offset);
    }
    wk_buf_byte(b, ' ');
    bytes_str(b, d->bytes, d->len);
    wk_buf_str(b, ")\n");
  }
  /* custom sections (wasmprinter: `@producers`, and `(@custom "name" (after X) "bytes")`) */
  static const char *place[] = {"before first", "after type", "after import", "after func", "after table",
                                "after memory", "after global", "after export", "after start", "after elem",
                                "after code", "after data", "after datacount", "after tag"};
  for (uint32_t i = 0; i < m->ncustoms; i++) {
    const wk_core_custom *c = &m->customs[i];
    if (c->name.len == 4 && !memcmp(c->name.str, "name", 4)) continue;
    if (c->name.len == 9 && !memcmp(c->name.str, "producers", 9)) {
      wk_arena a = {0};
      wk_producers pr;
      wk_error pe;
      if (wk_producers_parse(c->content, c->len, 0, &a, &pr, &pe) == WK_OK) {
        ind(b, depth);
        wk_buf_str(b, "(@producers\n");
        for (uint32_t f = 0; f < pr.n; f++)
          for (uint32_t k = 0; k < pr.fields[f].n; k++) {
            ind(b, depth + 1);
            wk_buf_byte(b, '(');
            wk_buf_append(b, pr.fields[f].name.s, pr.fields[f].name.len);
            wk_buf_byte(b, ' ');
            wk_print_str(b, pr.fields[f].values[k].name.s, pr.fields[f].values[k].name.len);
            wk_buf_byte(b, ' ');
            wk_print_str(b, pr.fields[f].values[k].version.s, pr.fields[f].values[k].version.len);
            wk_buf_str(b, ")\n");
          }
        ind(b, depth);
        wk_buf_str(b, ")\n");
        wk_arena_free(&a);
        continue;
      }
      wk_arena_free(&a);
    }
    ind(b, depth);
    wk_buf_str(b, "(@custom ");
    wk_print_str(b, c->name.str, c->name.len);
    wk_buf_printf(b, " (%s) ", c->place < 14 ? place[c->place] : "after data");
    bytes_str(b, c->content, c->len);
    wk_buf_str(b, ")\n");
  }
  pctx_free(&pc);
  wk_core_free(m);
  return b->oom ? wk_error_set(err, WK_ERR_NOMEM, "out of memory") : WK_OK;
}

int wk_coremod_print_module(const uint8_t *data, size_t len, wk_buf *out, wk_error *err) {
  wk_buf_str(out, "(module");
  /* the module's own name: name section subsection 0 */
  wk_section_iter it;
  wk_section sec;
  if (wk_sections_begin(&it, data, len, NULL) == WK_OK) {
    while (wk_sections_next(&it, &sec, NULL) == 1) {
      if (!(sec.id == 0 && sec.name_len == 4 && !memcmp(sec.name, "name", 4))) continue;
      lr r = {.d = data, .n = sec.end, .p = sec.content_offset};
      while (r.p < r.n && !r.bad) {
        uint8_t id = lbyte(&r);
        uint64_t size = lleb(&r);
        if (r.bad || size > r.n - r.p) break;
        if (id == 0) {
          lr q = {.d = data, .n = r.p + size, .p = r.p};
          uint64_t n = lleb(&q);
          if (!q.bad && n <= q.n - q.p) { wk_buf_byte(out, ' '); wk_print_id(out, (const char *)data + q.p, (size_t)n); }
          break;
        }
        r.p += size;
      }
    }
  }
  wk_buf_byte(out, '\n');
  int rc = wk_coremod_print(data, len, 1, out, err);
  wk_buf_str(out, ")\n");
  return rc;
}
