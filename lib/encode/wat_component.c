/*
 * lib/encode/wat_component.c — the component model text format to binary
 * (component-model design/mvp/Explainer.md grammar; Binary.md bytes).
 *
 * The output follows wasm-tools `parse` byte for byte:
 *  - Definitions are processed in source order. Each one goes through two
 *    phases, mirroring wasm-tools' "expand" then "resolve" passes:
 *    phase 1 hoists every inline type (a non-primitive value type, an
 *    inline func/component/instance/module type use) and every inline
 *    instantiation-argument bundle into its own definition placed before
 *    the definition that uses it (inner ones first); phase 2 resolves
 *    names and writes the definition. Resolving a reference may itself add
 *    definitions right before the one being written: an `alias export` for
 *    an item reference with export names (`(func $i "f")`, Explainer.md
 *    "Alias Definitions", inline sugar) and an `alias outer` for a `$name`
 *    that is only defined in an enclosing component or type.
 *  - Inline exports `(export "x")` on a definition become export
 *    definitions appended after the component's last field.
 *  - Consecutive definitions of the same section kind share one section;
 *    core modules, nested components, start and custom sections each get
 *    their own.
 *  - A `component-name` custom section (Binary.md "Name Section") closes
 *    each component that has a `$id` or named definitions.
 *
 * Index spaces (Explainer.md "Index Spaces"): 13 per component, type or
 * module-type scope; every definition (exports and aliases included) adds
 * one index to its sort's space, after its own references were resolved
 * (core type definitions register first: a GC type may name itself).
 *
 * Covered: core modules (inline through wk_wat_core_module, `binary`, or
 * imported with a module type), core instances, core types (func, GC
 * struct/array/sub/rec, module types), nested components, instances,
 * aliases, every defined value type, func/component/instance/resource
 * types, canon lift/lower/resource.* and the async/thread built-ins with
 * their options, start, import/export (with type ascription and name
 * attributes), @custom and @producers. The legacy reference spellings
 * (`(memory $i "m")`, `(realloc (func $f))`) are accepted, as
 * WAST_STRICT_COMPONENT_INDICES=0 wasm-tools does. Known difference from
 * wasm-tools: it registers an anonymous core func type inside a component
 * or instance type twice (later $names shift by one); we do not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode/ctcodes.h"
#include "encode/encode.h" /* WK_CSEC_* (component.h), WK_EXTERN_* */
#include "encode/wat.h"

/* ---- index spaces ------------------------------------------------------ */

enum ns {
  NS_CFUNC, NS_CTABLE, NS_CMEM, NS_CGLOBAL, NS_CTAG, NS_CTYPE, NS_CMOD, NS_CINST,
  NS_FUNC, NS_VALUE, NS_TYPE, NS_COMP, NS_INST, NS_N
};
/* Binary.md sort bytes per space (core sorts: 0x00 then the core:sort). */
static const uint8_t ns_sort[NS_N][2] = {
  {WK_CSORT_CORE, WK_CCSORT_FUNC}, {WK_CSORT_CORE, WK_CCSORT_TABLE}, {WK_CSORT_CORE, WK_CCSORT_MEMORY},
  {WK_CSORT_CORE, WK_CCSORT_GLOBAL}, {WK_CSORT_CORE, WK_CCSORT_TAG}, {WK_CSORT_CORE, WK_CCSORT_TYPE},
  {WK_CSORT_CORE, WK_CCSORT_MODULE}, {WK_CSORT_CORE, WK_CCSORT_INSTANCE},
  {WK_CSORT_FUNC, 0}, {WK_CSORT_VALUE, 0}, {WK_CSORT_TYPE, 0}, {WK_CSORT_COMPONENT, 0}, {WK_CSORT_INSTANCE, 0},
};
static const char *const ns_what[NS_N] = {
  "core func", "core table", "core memory", "core global", "core tag", "core type", "core module",
  "core instance", "func", "value", "type", "component", "instance",
};

typedef struct ident {
  const char *s;
  uint32_t len, idx;
} ident;

typedef struct idmap {
  uint32_t cap, n;
  ident *e;
} idmap;

typedef struct nameent {
  uint32_t idx;
  const char *s;
  uint32_t len;
} nameent;

typedef struct namevec {
  uint32_t n, cap;
  nameent *e;
} namevec;

typedef struct pexport { /* an inline `(export "x")`, emitted at the end */
  const wk_sx *name;
  int ns;
  uint32_t idx;
} pexport;

typedef struct fkey { /* module types: a func type's signature -> its index */
  uint8_t *bytes;
  uint32_t len, idx;
} fkey;

enum { SC_COMP, SC_CTYPE, SC_ITYPE, SC_MTYPE };

typedef struct scope {
  struct scope *parent;
  int kind;
  const wk_sx *id;
  uint32_t count[NS_N];
  idmap ids[NS_N];
  /* SC_COMP */
  wk_buf body;       /* sections so far */
  int cur;           /* open section id, -1 none */
  wk_buf sec;        /* open section's items */
  uint32_t nsec;
  namevec names[NS_N];
  uint32_t npos[NS_N]; /* wasm-tools' name-list positions (start results take none) */
  pexport *pend;
  uint32_t npend, cappend;
  /* type scopes */
  wk_buf decls;
  uint32_t ndecls;
  fkey *fk;
  uint32_t nfk, capfk;
} scope;

typedef struct inl { /* phase-1 result: an inline type/bundle node -> its index */
  const wk_sx *node;
  uint32_t idx;
} inl;

typedef struct cx {
  wk_error *err;
  int rc;
  inl *inls;
  uint32_t ninl, capinl;
  int depth;
} cx;

#define MAX_NEST 200

static int fail(cx *c, const wk_sx *at, const char *fmt, const char *arg) {
  if (c->rc) return c->rc;
  uint32_t l = at ? at->line : 0, col = at ? at->col : 0;
  c->rc = wk_error_at_line(c->err, WK_ERR_MALFORMED, l, col, fmt, arg ? arg : "");
  return c->rc;
}

static int oom(cx *c) {
  if (c->rc) return c->rc;
  c->rc = wk_error_set(c->err, WK_ERR_NOMEM, "out of memory");
  return c->rc;
}

static int grow(void **p, uint32_t *cap, uint32_t need, size_t elt) {
  if (need <= *cap) return 0;
  uint32_t nc = *cap ? *cap * 2 : 8;
  while (nc < need) nc *= 2;
  void *q = realloc(*p, (size_t)nc * elt);
  if (!q) return -1;
  *p = q;
  *cap = nc;
  return 0;
}

static uint32_t hash(const char *s, uint32_t n) {
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 16777619u;
  return h;
}

static ident *idmap_find(const idmap *m, const char *s, uint32_t n) {
  if (!m->cap) return NULL;
  for (uint32_t i = hash(s, n) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
    ident *e = &m->e[i];
    if (!e->s) return NULL;
    if (e->len == n && !memcmp(e->s, s, n)) return e;
  }
}

static int idmap_add(idmap *m, const char *s, uint32_t n, uint32_t idx) {
  if ((m->n + 1) * 2 > m->cap) {
    uint32_t nc = m->cap ? m->cap * 2 : 16;
    ident *ne = calloc(nc, sizeof *ne);
    if (!ne) return -1;
    for (uint32_t i = 0; i < m->cap; i++) {
      if (!m->e[i].s) continue;
      uint32_t j = hash(m->e[i].s, m->e[i].len) & (nc - 1);
      while (ne[j].s) j = (j + 1) & (nc - 1);
      ne[j] = m->e[i];
    }
    free(m->e);
    m->e = ne, m->cap = nc;
  }
  uint32_t j = hash(s, n) & (m->cap - 1);
  while (m->e[j].s) j = (j + 1) & (m->cap - 1);
  /* ids of zero length still need a non-NULL key */
  m->e[j].s = s ? s : "";
  m->e[j].len = n, m->e[j].idx = idx;
  m->n++;
  return 0;
}

static void scope_free(scope *s) {
  for (int i = 0; i < NS_N; i++) {
    free(s->ids[i].e);
    free(s->names[i].e);
  }
  wk_buf_free(&s->body);
  wk_buf_free(&s->sec);
  wk_buf_free(&s->decls);
  free(s->pend);
  for (uint32_t i = 0; i < s->nfk; i++) free(s->fk[i].bytes);
  free(s->fk);
}

/* ---- small S-expression helpers ---------------------------------------- */

static int is_kw(const wk_sx *x, const char *kw) { return wk_sx_is(x, WK_SX_KEYWORD, kw); }
static int is_list(const wk_sx *x) { return x->kind == WK_SX_LIST; }
static int is_str(const wk_sx *x) { return x->kind == WK_SX_STRING; }
static int is_idx(const wk_sx *x) {
  return x->kind == WK_SX_ID || (x->kind == WK_SX_RESERVED && x->len && x->text[0] >= '0' && x->text[0] <= '9');
}
/* the `(@name "x")` annotation */
static int is_name_annot(const wk_sx *x) {
  return is_list(x) && x->n == 2 && x->kids[0].kind == WK_SX_ANNOT && x->kids[0].len == 4 &&
         !memcmp(x->kids[0].text, "name", 4) && is_str(&x->kids[1]);
}

static void put_str(wk_buf *b, const char *s, uint32_t n) {
  wk_buf_uleb(b, n);
  wk_buf_append(b, s, n);
}
static void put_sx_str(wk_buf *b, const wk_sx *x) { put_str(b, x->text, x->len); }

/* Parse a u32 literal (decimal or 0x hex, `_` separators). */
static int parse_u32(cx *c, const wk_sx *x, uint32_t *out) {
  if (x->kind != WK_SX_RESERVED && x->kind != WK_SX_KEYWORD) return fail(c, x, "expected a number%s", NULL);
  const char *s = x->text;
  uint32_t n = x->len, i = 0, base = 10;
  uint64_t v = 0;
  if (n > 2 && s[0] == '0' && s[1] == 'x') base = 16, i = 2;
  if (i >= n) return fail(c, x, "expected a number%s", NULL);
  int digits = 0;
  for (; i < n; i++) {
    char ch = s[i];
    unsigned d;
    if (ch == '_') continue;
    if (ch >= '0' && ch <= '9') d = (unsigned)(ch - '0');
    else if (base == 16 && ch >= 'a' && ch <= 'f') d = (unsigned)(ch - 'a' + 10);
    else if (base == 16 && ch >= 'A' && ch <= 'F') d = (unsigned)(ch - 'A' + 10);
    else return fail(c, x, "expected a number%s", NULL);
    v = v * base + d;
    digits++;
    if (v > 0xffffffffu) return fail(c, x, "number out of range%s", NULL);
  }
  if (!digits) return fail(c, x, "expected a number%s", NULL);
  *out = (uint32_t)v;
  return 0;
}

/* ---- inline-node map --------------------------------------------------- */

static int inl_put(cx *c, const wk_sx *node, uint32_t idx) {
  if (grow((void **)&c->inls, &c->capinl, c->ninl + 1, sizeof *c->inls)) return oom(c);
  c->inls[c->ninl].node = node, c->inls[c->ninl].idx = idx;
  c->ninl++;
  return 0;
}
static int inl_get(cx *c, const wk_sx *node, uint32_t *idx) {
  for (uint32_t i = c->ninl; i-- > 0;)
    if (c->inls[i].node == node) {
      *idx = c->inls[i].idx;
      return 1;
    }
  return 0;
}

/* ---- emitting definitions ---------------------------------------------- */

enum what { E_CORETYPE, E_TYPE, E_ALIAS, E_IMPORT, E_EXPORT, E_COREINST, E_INST, E_CANON };
static const uint8_t what_sec[] = {WK_CSEC_CORE_TYPE, WK_CSEC_TYPE, WK_CSEC_ALIAS, WK_CSEC_IMPORT,
                                   WK_CSEC_EXPORT, WK_CSEC_CORE_INSTANCE, WK_CSEC_INSTANCE, WK_CSEC_CANON};
static const int what_decl[] = {WK_CDECL_CORE_TYPE, WK_CDECL_TYPE, WK_CDECL_ALIAS, WK_CDECL_IMPORT, WK_CDECL_EXPORT, -1, -1, -1};
static const int what_mdecl[] = {WK_CMODDECL_TYPE, -1, WK_CMODDECL_ALIAS, WK_CMODDECL_IMPORT, WK_CMODDECL_EXPORT, -1, -1, -1};

static void flush(scope *s) {
  if (s->cur >= 0) {
    wk_buf p = {0};
    wk_buf_uleb(&p, s->nsec);
    wk_buf_append(&p, s->sec.data, s->sec.len);
    wk_buf_byte(&s->body, (uint8_t)s->cur);
    wk_buf_uleb(&s->body, p.len);
    wk_buf_append(&s->body, p.data, p.len);
    if (p.oom || s->sec.oom) s->body.oom = 1;
    wk_buf_free(&p);
    s->sec.len = 0;
    s->nsec = 0;
  }
  s->cur = -1;
}

/* A whole section written at once (module, component, start, custom). */
static void raw_section(scope *s, uint8_t id, const wk_buf *payload) {
  flush(s);
  wk_buf_byte(&s->body, id);
  wk_buf_uleb(&s->body, payload->len);
  wk_buf_append(&s->body, payload->data, payload->len);
  if (payload->oom) s->body.oom = 1;
}

/* Register a new index in space `ns` with optional $id / @name. */
static int reg_ex(cx *c, scope *s, int ns, const wk_sx *id, const wk_sx *name, uint32_t *out, int nameless);
static int reg(cx *c, scope *s, int ns, const wk_sx *id, const wk_sx *name, uint32_t *out) {
  return reg_ex(c, s, ns, id, name, out, 0);
}
/*
 * `nameless`: the definition takes no place in the name section's list
 * (wasm-tools numbers names by their position in per-sort lists that
 * start-section results do not join, so later names shift).
 */
static int reg_ex(cx *c, scope *s, int ns, const wk_sx *id, const wk_sx *name, uint32_t *out, int nameless) {
  uint32_t idx = s->count[ns]++;
  if (out) *out = idx;
  if (id) {
    if (idmap_find(&s->ids[ns], id->text, id->len)) {
      char buf[80];
      snprintf(buf, sizeof buf, "%.*s", (int)(id->len > 60 ? 60 : id->len), id->text);
      return fail(c, id, "duplicate identifier $%s", buf);
    }
    if (idmap_add(&s->ids[ns], id->text, id->len, idx)) return oom(c);
  }
  if (s->kind == SC_COMP && !nameless) {
    uint32_t pos = s->npos[ns]++;
    const char *nm = NULL;
    uint32_t nl = 0;
    if (name) nm = name->kids[1].text, nl = name->kids[1].len;
    else if (id) nm = id->text, nl = id->len;
    if (nm) {
      namevec *v = &s->names[ns];
      if (grow((void **)&v->e, &v->cap, v->n + 1, sizeof *v->e)) return oom(c);
      v->e[v->n].idx = pos, v->e[v->n].s = nm, v->e[v->n].len = nl;
      v->n++;
    }
  }
  return 0;
}

/* Write one definition (bytes in `item`) to scope `s`; `ns` < 0: none. */
static int emit(cx *c, scope *s, int what, const wk_buf *item, int ns, const wk_sx *id, const wk_sx *name,
                uint32_t *out, const wk_sx *at) {
  if (c->rc) return c->rc;
  if (item->oom) return oom(c);
  if (s->kind == SC_COMP) {
    uint8_t sec = what_sec[what];
    if (s->cur != sec) {
      flush(s);
      s->cur = sec;
    }
    wk_buf_append(&s->sec, item->data, item->len);
    s->nsec++;
  } else {
    int d = s->kind == SC_MTYPE ? what_mdecl[what] : what_decl[what];
    if (d < 0 || (s->kind == SC_ITYPE && what == E_IMPORT))
      return fail(c, at, "this definition is not allowed in a type%s", NULL);
    wk_buf_byte(&s->decls, (uint8_t)d);
    wk_buf_append(&s->decls, item->data, item->len);
    s->ndecls++;
  }
  if (ns >= 0) return reg(c, s, ns, id, name, out);
  return 0;
}

/* ---- name resolution --------------------------------------------------- */

static int emit_outer_alias(cx *c, scope *s, int ns, uint32_t depth, uint32_t idx, const wk_sx *id,
                            uint32_t *out, const wk_sx *at) {
  wk_buf b = {0};
  if (s->kind == SC_MTYPE) {
    /* core:alias ::= 0x10 0x01 ct idx (Binary.md "Type Definitions": in a module type the outer
     * alias discriminant is 0x01, not the component alias's 0x02). Not reachable from text today:
     * every lookup inside a module type is local-only (wasm-tools makes no implicit outer alias
     * there either); written right for when one is added. */
    wk_buf_byte(&b, WK_CCSORT_TYPE);
    wk_buf_byte(&b, WK_CCALIAS_OUTER);
  } else {
    wk_buf_byte(&b, ns_sort[ns][0]);
    if (ns_sort[ns][0] == WK_CSORT_CORE) wk_buf_byte(&b, ns_sort[ns][1]);
    wk_buf_byte(&b, WK_CALIAS_OUTER);
  }
  wk_buf_uleb(&b, depth);
  wk_buf_uleb(&b, idx);
  /* the alias carries the $id and, in a component, its name (wasm-tools at the corpora's commit a7ef4778;
   * later versions, as in npm jco 1.x, leave implicit outer aliases unnamed) */
  int rc = emit(c, s, E_ALIAS, &b, -1, NULL, NULL, NULL, at);
  if (!rc) rc = reg(c, s, ns, id, NULL, out);
  wk_buf_free(&b);
  return rc;
}

/*
 * Resolve index `x` ($id or number) in space `ns` of scope `s`. A $id only
 * found in an enclosing scope gets an outer alias in `s` (wasm-tools'
 * implicit outer aliases; only module, core type, type and component
 * spaces can be aliased that way). `local_only`: no outer lookup.
 */
static int resolve_ex(cx *c, scope *s, int ns, const wk_sx *x, uint32_t *out, int local_only) {
  if (c->rc) return c->rc;
  if (x->kind == WK_SX_RESERVED) return parse_u32(c, x, out);
  if (x->kind != WK_SX_ID) return fail(c, x, "expected an index or $identifier%s", NULL);
  uint32_t depth = 0;
  for (scope *p = s; p; p = p->parent, depth++) {
    ident *e = idmap_find(&p->ids[ns], x->text, x->len);
    if (!e) {
      if (local_only) break;
      continue;
    }
    if (depth == 0) {
      *out = e->idx;
      return 0;
    }
    if (ns != NS_CMOD && ns != NS_CTYPE && ns != NS_TYPE && ns != NS_COMP)
      return fail(c, x, "outer item is not a module, type, or component%s", NULL);
    return emit_outer_alias(c, s, ns, depth, e->idx, x, out, x);
  }
  char buf[80];
  snprintf(buf, sizeof buf, "%s $%.*s", ns_what[ns], (int)(x->len > 60 ? 60 : x->len), x->text);
  return fail(c, x, "unknown %s", buf);
}
static int resolve(cx *c, scope *s, int ns, const wk_sx *x, uint32_t *out) { return resolve_ex(c, s, ns, x, out, 0); }

static int kw_ns(const wk_sx *k, int core) {
  if (core) {
    if (is_kw(k, "func")) return NS_CFUNC;
    if (is_kw(k, "table")) return NS_CTABLE;
    if (is_kw(k, "memory")) return NS_CMEM;
    if (is_kw(k, "global")) return NS_CGLOBAL;
    if (is_kw(k, "tag")) return NS_CTAG;
    if (is_kw(k, "type")) return NS_CTYPE;
    if (is_kw(k, "module")) return NS_CMOD;
    if (is_kw(k, "instance")) return NS_CINST;
    return -1;
  }
  if (is_kw(k, "func")) return NS_FUNC;
  if (is_kw(k, "value")) return NS_VALUE;
  if (is_kw(k, "type")) return NS_TYPE;
  if (is_kw(k, "component")) return NS_COMP;
  if (is_kw(k, "instance")) return NS_INST;
  return -1;
}

/* alias export of instance `inst` named `name` into space `ns` (no id) */
static int emit_export_alias(cx *c, scope *s, int core, uint32_t inst, const wk_sx *name, int ns, const wk_sx *id,
                             const wk_sx *nm, uint32_t *out, const wk_sx *at) {
  wk_buf b = {0};
  wk_buf_byte(&b, ns_sort[ns][0]);
  if (ns_sort[ns][0] == WK_CSORT_CORE) wk_buf_byte(&b, ns_sort[ns][1]);
  wk_buf_byte(&b, core ? WK_CALIAS_CORE_EXPORT : WK_CALIAS_EXPORT);
  wk_buf_uleb(&b, inst);
  put_sx_str(&b, name);
  int rc = emit(c, s, E_ALIAS, &b, ns, id, nm, out, at);
  wk_buf_free(&b);
  return rc;
}

/*
 * Component item reference `idx "name"*` (kids [k, n) of `l`): a plain
 * index, or an instance followed by export names (each one an alias).
 */
static int item_ref_at(cx *c, scope *s, int ns, const wk_sx *l, uint32_t k, uint32_t *out) {
  if (k >= l->n) return fail(c, l, "expected an index%s", NULL);
  if (k + 1 >= l->n) return resolve(c, s, ns, &l->kids[k], out);
  uint32_t inst;
  if (resolve(c, s, NS_INST, &l->kids[k], &inst)) return c->rc;
  for (uint32_t i = k + 1; i < l->n; i++) {
    if (!is_str(&l->kids[i])) return fail(c, &l->kids[i], "expected an export name%s", NULL);
    int last = i + 1 == l->n;
    if (emit_export_alias(c, s, 0, inst, &l->kids[i], last ? ns : NS_INST, NULL, NULL, &inst, &l->kids[i]))
      return c->rc;
  }
  *out = inst;
  return 0;
}

/* Core item reference `idx "name"?` (kids [k, n) of `l`). */
static int core_ref_at(cx *c, scope *s, int ns, const wk_sx *l, uint32_t k, uint32_t *out) {
  if (k >= l->n) return fail(c, l, "expected an index%s", NULL);
  if (k + 1 >= l->n) return resolve(c, s, ns, &l->kids[k], out);
  if (k + 2 != l->n || !is_str(&l->kids[k + 1])) return fail(c, &l->kids[k + 1], "unexpected token%s", NULL);
  if (ns == NS_CTYPE || ns == NS_CMOD || ns == NS_CINST)
    return fail(c, &l->kids[k + 1], "core instances cannot export this kind of item%s", NULL);
  uint32_t inst;
  if (resolve(c, s, NS_CINST, &l->kids[k], &inst)) return c->rc;
  return emit_export_alias(c, s, 1, inst, &l->kids[k + 1], ns, NULL, NULL, out, &l->kids[k + 1]);
}

/*
 * A reference to a core item of space `ns` in one of its accepted
 * spellings: `idx`, `idx "name"` (legacy), `(core kind idx "name"?)`,
 * `(kind idx "name"?)` (legacy). `l`'s kids from `k`; *used = count.
 */
static int core_ref_used(cx *c, scope *s, int ns, const wk_sx *l, uint32_t k, uint32_t *out, uint32_t *used) {
  if (k >= l->n) return fail(c, l, "expected a core item reference%s", NULL);
  const wk_sx *x = &l->kids[k];
  *used = 1;
  if (!is_list(x)) {
    if (k + 1 < l->n && is_str(&l->kids[k + 1])) {
      uint32_t inst;
      *used = 2;
      if (ns == NS_CTYPE || ns == NS_CMOD || ns == NS_CINST)
        return fail(c, &l->kids[k + 1], "core instances cannot export this kind of item%s", NULL);
      if (resolve(c, s, NS_CINST, x, &inst)) return c->rc;
      return emit_export_alias(c, s, 1, inst, &l->kids[k + 1], ns, NULL, NULL, out, &l->kids[k + 1]);
    }
    return resolve(c, s, ns, x, out);
  }
  uint32_t j = 0;
  if (j < x->n && is_kw(&x->kids[j], "core")) j++;
  if (j >= x->n || kw_ns(&x->kids[j], 1) != ns) return fail(c, x, "expected a core item reference%s", NULL);
  return core_ref_at(c, s, ns, x, j + 1, out);
}

static int core_ref_any(cx *c, scope *s, int ns, const wk_sx *l, uint32_t k, uint32_t *out) {
  if (k >= l->n) return fail(c, l, "expected a core item reference%s", NULL);
  const wk_sx *x = &l->kids[k];
  if (!is_list(x)) return core_ref_at(c, s, ns, l, k, out);
  uint32_t j = 0;
  if (j < x->n && is_kw(&x->kids[j], "core")) j++;
  if (j >= x->n || kw_ns(&x->kids[j], 1) != ns) return fail(c, x, "expected a core item reference%s", NULL);
  return core_ref_at(c, s, ns, x, j + 1, out);
}

/* `(kind idx "name"*)` component item reference list (kind already known). */
static int comp_ref_list(cx *c, scope *s, const wk_sx *x, int *ns, uint32_t *out) {
  if (!is_list(x) || x->n < 2) return fail(c, x, "expected an item reference%s", NULL);
  uint32_t j = 0;
  int n;
  if (is_kw(&x->kids[0], "core")) {
    if (x->n < 3 || !is_kw(&x->kids[1], "module")) return fail(c, x, "expected `core module`%s", NULL);
    n = NS_CMOD, j = 2;
  } else {
    n = kw_ns(&x->kids[0], 0), j = 1;
    if (n < 0) return fail(c, x, "expected an item reference%s", NULL);
  }
  *ns = n;
  return item_ref_at(c, s, n, x, j, out);
}

static void put_sort(wk_buf *b, int ns) {
  wk_buf_byte(b, ns_sort[ns][0]);
  if (ns_sort[ns][0] == 0) wk_buf_byte(b, ns_sort[ns][1]);
}

/* Leading `$id` and `(@name "x")` of list `l` from kid *k. */
static void id_name(const wk_sx *l, uint32_t *k, const wk_sx **id, const wk_sx **name) {
  *id = NULL, *name = NULL;
  if (*k < l->n && l->kids[*k].kind == WK_SX_ID) *id = &l->kids[(*k)++];
  if (*k < l->n && is_name_annot(&l->kids[*k])) *name = &l->kids[(*k)++];
}

/* `(export "x")` inline export / `(import "x")` inline import forms */
static int is_inline_named(const wk_sx *x, const char *kw) {
  if (!is_list(x) || x->n != 2 || !is_kw(&x->kids[0], kw)) return 0;
  const wk_sx *n = &x->kids[1];
  if (is_str(n)) return 1;
  return is_list(n) && n->n == 2 && is_kw(&n->kids[0], "interface") && is_str(&n->kids[1]);
}

/* The head of a definition `(kw $id? (@name ...)? (export "x")* ...)` from kid k of d: *id, *nm
 * (or NULL), the inline exports from *e0 to the returned index, where the definition goes on */
static uint32_t item_head(const wk_sx *d, uint32_t k, const wk_sx **id, const wk_sx **nm, uint32_t *e0) {
  id_name(d, &k, id, nm);
  *e0 = k;
  while (k < d->n && is_inline_named(&d->kids[k], "export")) k++;
  return k;
}
static const wk_sx *inline_name(const wk_sx *x) {
  const wk_sx *n = &x->kids[1];
  return is_str(n) ? n : &n->kids[1];
}

/* externname (Binary.md "Import and Export Definitions"): 0x00 name, or
 * 0x02 name vec(attr) when `(implements "..")`, `(versionsuffix "..")` or
 * `(external-id "..")` follow the name (kids [*k..) of `l`; *k advanced). */
static int is_name_attr(const wk_sx *x) {
  return is_list(x) && x->n == 2 && is_str(&x->kids[1]) &&
         (is_kw(&x->kids[0], "implements") || is_kw(&x->kids[0], "versionsuffix") || is_kw(&x->kids[0], "external-id"));
}
static int put_externname_at(cx *c, wk_buf *b, const wk_sx *l, uint32_t *k) {
  if (*k >= l->n) return fail(c, l, "expected a name string%s", NULL);
  const wk_sx *x = &l->kids[(*k)++];
  if (is_list(x) && x->n == 2 && is_kw(&x->kids[0], "interface") && is_str(&x->kids[1])) x = &x->kids[1];
  if (!is_str(x)) return fail(c, x, "expected a name string%s", NULL);
  static const char *const attrs[3] = {"implements", "versionsuffix", "external-id"};
  const wk_sx *av[3] = {0};
  uint32_t na = 0;
  while (*k < l->n && is_name_attr(&l->kids[*k])) {
    const wk_sx *a = &l->kids[(*k)++];
    for (int i = 0; i < 3; i++)
      if (is_kw(&a->kids[0], attrs[i])) {
        if (av[i]) return fail(c, a, "duplicate name attribute%s", NULL);
        av[i] = &a->kids[1], na++;
      }
  }
  wk_buf_byte(b, na ? WK_CNA_ATTRS : WK_CNA_PLAIN);
  put_sx_str(b, x);
  if (na) {
    wk_buf_uleb(b, na);
    for (int i = 0; i < 3; i++)
      if (av[i]) {
        wk_buf_byte(b, (uint8_t)i);
        put_sx_str(b, av[i]);
      }
  }
  return 0;
}
static int put_externname(cx *c, wk_buf *b, const wk_sx *x) {
  if (is_list(x) && x->n == 2 && is_kw(&x->kids[0], "interface") && is_str(&x->kids[1])) x = &x->kids[1];
  if (!is_str(x)) return fail(c, x, "expected a name string%s", NULL);
  wk_buf_byte(b, WK_CNA_PLAIN);
  put_sx_str(b, x);
  return 0;
}

/* ---- forward declarations ---------------------------------------------- */

static int mtype_fkey(cx *c, scope *s, const wk_buf *sig, uint32_t idx);
static int component_fields(cx *c, scope *s, const wk_sx *l, uint32_t k);
static int expand_valtype(cx *c, scope *s, const wk_sx *x);
static int put_valtype(cx *c, scope *s, wk_buf *b, const wk_sx *x);
static int define_type(cx *c, scope *s, const wk_sx *l, uint32_t k, int form, const wk_sx *id, const wk_sx *name,
                       uint32_t *out, const wk_sx *at);
static int type_decls(cx *c, scope *s, int kind, const wk_sx *l, uint32_t k, wk_buf *b, const wk_sx *id);
static int module_type(cx *c, scope *s, const wk_sx *l, uint32_t k, wk_buf *b, const wk_sx *id);
static int emit_pending_export(cx *c, scope *s, const wk_sx *l, int ns, uint32_t idx);

/* ---- value types ------------------------------------------------------- */

static int prim_code(const wk_sx *x) {
  static const struct { const char *n; uint8_t code; } t[] = {
    {"bool", WK_CTC_BOOL}, {"s8", WK_CTC_S8}, {"u8", WK_CTC_U8}, {"s16", WK_CTC_S16}, {"u16", WK_CTC_U16}, {"s32", WK_CTC_S32}, {"u32", WK_CTC_U32},
    {"s64", WK_CTC_S64}, {"u64", WK_CTC_U64}, {"f32", WK_CTC_F32}, {"f64", WK_CTC_F64}, {"float32", WK_CTC_F32}, {"float64", WK_CTC_F64},
    {"char", WK_CTC_CHAR}, {"string", WK_CTC_STRING}, {"error-context", WK_CTC_ERROR_CONTEXT},
  };
  if (x->kind != WK_SX_KEYWORD) return 0;
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
    if (is_kw(x, t[i].n)) return t[i].code;
  return 0;
}

static int is_deftype_head(const wk_sx *x) {
  static const char *const h[] = {"record", "variant", "list", "map", "tuple", "flags", "enum", "option",
                                  "result", "own", "borrow", "stream", "future"};
  if (!is_list(x) || !x->n) return 0;
  for (size_t i = 0; i < sizeof h / sizeof h[0]; i++)
    if (is_kw(&x->kids[0], h[i])) return 1;
  return 0;
}

/* Is kid `x` a value type (for optional positions)? */
static int is_valtype(const wk_sx *x) { return is_idx(x) || prim_code(x) || is_deftype_head(x); }

/* Visit the value-type children of a defined type list `l` (phase 1). */
static int expand_deftype(cx *c, scope *s, const wk_sx *l) {
  if (c->rc) return c->rc;
  if (!is_list(l) || !l->n) return 0;
  const wk_sx *h = &l->kids[0];
  if (is_kw(h, "record")) {
    for (uint32_t i = 1; i < l->n; i++) {
      const wk_sx *f = &l->kids[i];
      if (!is_list(f) || f->n != 3 || !is_kw(&f->kids[0], "field")) return fail(c, f, "expected (field \"name\" type)%s", NULL);
      if (expand_valtype(c, s, &f->kids[2])) return c->rc;
    }
  } else if (is_kw(h, "variant")) {
    for (uint32_t i = 1; i < l->n; i++) {
      const wk_sx *f = &l->kids[i];
      if (!is_list(f) || f->n < 2 || !is_kw(&f->kids[0], "case")) return fail(c, f, "expected (case \"name\" type?)%s", NULL);
      uint32_t k = 1;
      if (f->kids[k].kind == WK_SX_ID) k++;
      k++; /* name */
      if (k < f->n && is_valtype(&f->kids[k]) && expand_valtype(c, s, &f->kids[k])) return c->rc;
    }
  } else if (is_kw(h, "list") || is_kw(h, "option") || is_kw(h, "tuple") || is_kw(h, "map") ||
             is_kw(h, "stream") || is_kw(h, "future")) {
    for (uint32_t i = 1; i < l->n; i++)
      if (is_valtype(&l->kids[i]) && !(is_kw(h, "list") && i == 2) && expand_valtype(c, s, &l->kids[i]))
        return c->rc;
  } else if (is_kw(h, "result")) {
    for (uint32_t i = 1; i < l->n; i++) {
      const wk_sx *x = &l->kids[i];
      if (is_list(x) && x->n == 2 && is_kw(&x->kids[0], "error")) {
        if (expand_valtype(c, s, &x->kids[1])) return c->rc;
      } else if (expand_valtype(c, s, x)) return c->rc;
    }
  }
  return 0;
}

/* Phase 1 for a value type position: hoist an inline non-primitive type. */
static int expand_valtype(cx *c, scope *s, const wk_sx *x) {
  if (c->rc) return c->rc;
  if (!is_list(x)) return 0;
  uint32_t idx;
  if (inl_get(c, x, &idx)) return 0;
  if (!is_deftype_head(x)) return fail(c, x, "expected a value type%s", NULL);
  if (++c->depth > MAX_NEST) return fail(c, x, "types nested too deeply%s", NULL);
  int rc = define_type(c, s, x, 0, 0, NULL, NULL, &idx, x);
  c->depth--;
  if (rc) return rc;
  return inl_put(c, x, idx);
}

static int put_valtype(cx *c, scope *s, wk_buf *b, const wk_sx *x) {
  if (c->rc) return c->rc;
  int p = prim_code(x);
  if (p) {
    wk_buf_byte(b, (uint8_t)p);
    return 0;
  }
  uint32_t idx;
  if (is_list(x)) {
    if (!inl_get(c, x, &idx)) return fail(c, x, "expected a value type%s", NULL);
  } else if (is_idx(x)) {
    if (resolve(c, s, NS_TYPE, x, &idx)) return c->rc;
  } else {
    return fail(c, x, "expected a value type%s", NULL);
  }
  wk_buf_sleb(b, (int64_t)idx); /* typeidx as s33 (Binary.md valtype) */
  return 0;
}

/* Phase 2: defined value type `l` (a list, or a primitive keyword). */
static int put_deftype(cx *c, scope *s, wk_buf *b, const wk_sx *l) {
  if (!is_list(l)) {
    int p = prim_code(l);
    if (!p) return fail(c, l, "expected a type definition%s", NULL);
    wk_buf_byte(b, (uint8_t)p);
    return 0;
  }
  const wk_sx *h = &l->kids[0];
  if (is_kw(h, "record")) {
    wk_buf_byte(b, WK_CTC_RECORD);
    wk_buf_uleb(b, l->n - 1);
    for (uint32_t i = 1; i < l->n; i++) {
      const wk_sx *f = &l->kids[i];
      if (!is_str(&f->kids[1])) return fail(c, f, "expected a field name%s", NULL);
      put_sx_str(b, &f->kids[1]);
      if (put_valtype(c, s, b, &f->kids[2])) return c->rc;
    }
  } else if (is_kw(h, "variant")) {
    wk_buf_byte(b, WK_CTC_VARIANT);
    wk_buf_uleb(b, l->n - 1);
    idmap cases = {0};
    for (uint32_t i = 1; i < l->n && !c->rc; i++) {
      const wk_sx *f = &l->kids[i];
      uint32_t k = 1;
      const wk_sx *cid = NULL;
      if (f->kids[k].kind == WK_SX_ID) cid = &f->kids[k++];
      if (k >= f->n || !is_str(&f->kids[k])) {
        fail(c, f, "expected a case name%s", NULL);
        break;
      }
      put_sx_str(b, &f->kids[k++]);
      if (k < f->n && is_valtype(&f->kids[k])) {
        wk_buf_byte(b, 1);
        if (put_valtype(c, s, b, &f->kids[k++])) break;
      } else {
        wk_buf_byte(b, 0);
      }
      if (k < f->n && is_list(&f->kids[k]) && f->kids[k].n == 2 && is_kw(&f->kids[k].kids[0], "refines")) {
        const wk_sx *r = &f->kids[k].kids[1];
        uint32_t ri = 0;
        if (r->kind == WK_SX_ID) {
          ident *e = idmap_find(&cases, r->text, r->len);
          if (!e) {
            fail(c, r, "unknown variant case%s", NULL);
            break;
          }
          ri = e->idx;
        } else if (parse_u32(c, r, &ri)) {
          break;
        }
        wk_buf_byte(b, 1);
        wk_buf_uleb(b, ri);
        k++;
      } else {
        wk_buf_byte(b, 0);
      }
      if (k != f->n) {
        fail(c, &f->kids[k], "unexpected token in variant case%s", NULL);
        break;
      }
      if (cid) {
        if (idmap_find(&cases, cid->text, cid->len)) {
          fail(c, cid, "duplicate variant case identifier%s", NULL);
          break;
        }
        if (idmap_add(&cases, cid->text, cid->len, i - 1)) {
          oom(c);
          break;
        }
      }
    }
    free(cases.e);
    return c->rc;
  } else if (is_kw(h, "list")) {
    if (l->n == 2) {
      wk_buf_byte(b, WK_CTC_LIST);
      return put_valtype(c, s, b, &l->kids[1]);
    }
    if (l->n != 3) return fail(c, l, "expected (list type length?)%s", NULL);
    uint32_t len;
    wk_buf_byte(b, WK_CTC_FIXED_LIST);
    if (put_valtype(c, s, b, &l->kids[1]) || parse_u32(c, &l->kids[2], &len)) return c->rc;
    wk_buf_uleb(b, len);
  } else if (is_kw(h, "map")) {
    if (l->n != 3) return fail(c, l, "expected (map key value)%s", NULL);
    wk_buf_byte(b, WK_CTC_MAP);
    if (put_valtype(c, s, b, &l->kids[1]) || put_valtype(c, s, b, &l->kids[2])) return c->rc;
  } else if (is_kw(h, "tuple")) {
    wk_buf_byte(b, WK_CTC_TUPLE);
    wk_buf_uleb(b, l->n - 1);
    for (uint32_t i = 1; i < l->n; i++)
      if (put_valtype(c, s, b, &l->kids[i])) return c->rc;
  } else if (is_kw(h, "flags") || is_kw(h, "enum")) {
    wk_buf_byte(b, is_kw(h, "flags") ? WK_CTC_FLAGS : WK_CTC_ENUM);
    wk_buf_uleb(b, l->n - 1);
    for (uint32_t i = 1; i < l->n; i++) {
      if (!is_str(&l->kids[i])) return fail(c, &l->kids[i], "expected a label string%s", NULL);
      put_sx_str(b, &l->kids[i]);
    }
  } else if (is_kw(h, "option")) {
    if (l->n != 2) return fail(c, l, "expected (option type)%s", NULL);
    wk_buf_byte(b, WK_CTC_OPTION);
    return put_valtype(c, s, b, &l->kids[1]);
  } else if (is_kw(h, "result")) {
    const wk_sx *ok = NULL, *er = NULL;
    for (uint32_t i = 1; i < l->n; i++) {
      const wk_sx *x = &l->kids[i];
      if (is_list(x) && x->n == 2 && is_kw(&x->kids[0], "error")) {
        if (er) return fail(c, x, "duplicate error type%s", NULL);
        er = &x->kids[1];
      } else if (!ok && !er) {
        ok = x;
      } else {
        return fail(c, x, "unexpected token in result type%s", NULL);
      }
    }
    wk_buf_byte(b, WK_CTC_RESULT);
    wk_buf_byte(b, ok ? 1 : 0);
    if (ok && put_valtype(c, s, b, ok)) return c->rc;
    wk_buf_byte(b, er ? 1 : 0);
    if (er && put_valtype(c, s, b, er)) return c->rc;
  } else if (is_kw(h, "own") || is_kw(h, "borrow")) {
    if (l->n != 2) return fail(c, l, "expected (own/borrow $type)%s", NULL);
    uint32_t idx;
    if (resolve(c, s, NS_TYPE, &l->kids[1], &idx)) return c->rc;
    wk_buf_byte(b, is_kw(h, "own") ? WK_CTC_OWN : WK_CTC_BORROW);
    wk_buf_uleb(b, idx);
  } else if (is_kw(h, "stream") || is_kw(h, "future")) {
    wk_buf_byte(b, is_kw(h, "stream") ? WK_CTC_STREAM : WK_CTC_FUTURE);
    if (l->n == 1) {
      wk_buf_byte(b, 0);
    } else {
      wk_buf_byte(b, 1);
      return put_valtype(c, s, b, &l->kids[1]);
    }
  } else {
    return fail(c, l, "unknown type definition%s", NULL);
  }
  return c->rc;
}

/* ---- function types ------------------------------------------------------ */

/* Component func type from kids [k, n) of `l`: `async`? (param "n" vt)* (result vt)? */
static int expand_functype(cx *c, scope *s, const wk_sx *l, uint32_t k) {
  for (uint32_t i = k; i < l->n; i++) {
    const wk_sx *p = &l->kids[i];
    if (is_kw(p, "async")) continue;
    if (!is_list(p) || !p->n) return fail(c, p, "expected (param ...) or (result ...)%s", NULL);
    if (is_kw(&p->kids[0], "param") && p->n == 3) {
      if (expand_valtype(c, s, &p->kids[2])) return c->rc;
    } else if (is_kw(&p->kids[0], "result") && p->n >= 2) {
      if (expand_valtype(c, s, &p->kids[p->n - 1])) return c->rc;
    } else {
      return fail(c, p, "expected (param \"name\" type) or (result type)%s", NULL);
    }
  }
  return 0;
}

static int put_functype(cx *c, scope *s, wk_buf *b, const wk_sx *l, uint32_t k) {
  int async = 0;
  if (k < l->n && is_kw(&l->kids[k], "async")) async = 1, k++;
  uint32_t np = 0, i = k;
  while (i < l->n && is_list(&l->kids[i]) && is_kw(&l->kids[i].kids[0], "param")) np++, i++;
  const wk_sx *res = NULL;
  if (i < l->n) {
    const wk_sx *r = &l->kids[i];
    if (!is_list(r) || !is_kw(&r->kids[0], "result") || r->n != 2)
      return fail(c, r, "expected (result type)%s", NULL);
    res = &r->kids[1];
    i++;
  }
  if (i != l->n) return fail(c, &l->kids[i], "unexpected token in function type%s", NULL);
  wk_buf_byte(b, async ? WK_CTC_ASYNC_FUNC : WK_CTC_FUNC);
  wk_buf_uleb(b, np);
  for (uint32_t j = k; j < k + np; j++) {
    const wk_sx *p = &l->kids[j];
    if (!is_str(&p->kids[1])) return fail(c, p, "expected a parameter name%s", NULL);
    put_sx_str(b, &p->kids[1]);
    if (put_valtype(c, s, b, &p->kids[2])) return c->rc;
  }
  if (res) {
    wk_buf_byte(b, WK_CRESULT_ONE);
    return put_valtype(c, s, b, res);
  }
  wk_buf_byte(b, WK_CRESULT_NONE);
  wk_buf_byte(b, 0x00);
  return 0;
}

/* ---- core types ---------------------------------------------------------- */

static int core_valtype(cx *c, scope *s, const wk_sx *x, wk_buf *b) {
  static const struct { const char *n; uint8_t code; } t[] = {
    {"i32", 0x7f}, {"i64", 0x7e}, {"f32", 0x7d}, {"f64", 0x7c}, {"v128", 0x7b},
    {"funcref", 0x70}, {"externref", 0x6f}, {"anyref", 0x6e}, {"eqref", 0x6d}, {"i31ref", 0x6c},
    {"structref", 0x6b}, {"arrayref", 0x6a}, {"exnref", 0x69}, {"nullref", 0x71}, {"nullfuncref", 0x73},
    {"nullexternref", 0x72}, {"nullexnref", 0x74},
  };
  if (x->kind == WK_SX_KEYWORD) {
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
      if (is_kw(x, t[i].n)) {
        wk_buf_byte(b, t[i].code);
        return 0;
      }
  }
  if (is_list(x) && x->n >= 2 && is_kw(&x->kids[0], "ref")) {
    static const struct { const char *n; uint8_t code; } h[] = {
      {"func", 0x70}, {"extern", 0x6f}, {"any", 0x6e}, {"eq", 0x6d}, {"i31", 0x6c}, {"struct", 0x6b},
      {"array", 0x6a}, {"exn", 0x69}, {"none", 0x71}, {"nofunc", 0x73}, {"noextern", 0x72}, {"noexn", 0x74},
    };
    uint32_t k = 1;
    int null = 0;
    if (is_kw(&x->kids[k], "null")) null = 1, k++;
    if (k + 1 == x->n) {
      for (size_t i = 0; i < sizeof h / sizeof h[0]; i++)
        if (is_kw(&x->kids[k], h[i].n)) {
          wk_buf_byte(b, null ? 0x63 : 0x64);
          wk_buf_byte(b, h[i].code);
          return 0;
        }
      if (s && is_idx(&x->kids[k])) {
        /* (ref null? $t): a concrete heap type, s33 type index */
        uint32_t ti;
        if (resolve_ex(c, s, NS_CTYPE, &x->kids[k], &ti, 1)) return c->rc;
        wk_buf_byte(b, null ? 0x63 : 0x64);
        wk_buf_sleb(b, (int64_t)ti);
        return 0;
      }
    }
  }
  return fail(c, x, "unsupported core value type%s", NULL);
}

/* core functype `(func $id? (param ..)* (result ..)*)` kids from k -> 0x60 ... */
static int core_functype(cx *c, scope *s, const wk_sx *l, uint32_t k, wk_buf *b) {
  wk_buf ps = {0}, rs = {0};
  uint32_t np = 0, nr = 0;
  for (uint32_t i = k; i < l->n && !c->rc; i++) {
    const wk_sx *p = &l->kids[i];
    if (!is_list(p) || !p->n || (!is_kw(&p->kids[0], "param") && !is_kw(&p->kids[0], "result"))) {
      fail(c, p, "expected (param ...) or (result ...)%s", NULL);
      break;
    }
    int isp = is_kw(&p->kids[0], "param");
    uint32_t j = 1;
    if (isp && j < p->n && p->kids[j].kind == WK_SX_ID) {
      if (p->n != 3) {
        fail(c, p, "a named parameter has one type%s", NULL);
        break;
      }
      j++;
    }
    for (; j < p->n && !c->rc; j++) {
      if (core_valtype(c, s, &p->kids[j], isp ? &ps : &rs)) break;
      if (isp) np++;
      else nr++;
    }
  }
  if (!c->rc) {
    wk_buf_byte(b, WK_CTC_CORE_FUNC);
    wk_buf_uleb(b, np);
    wk_buf_append(b, ps.data, ps.len);
    wk_buf_uleb(b, nr);
    wk_buf_append(b, rs.data, rs.len);
  }
  wk_buf_free(&ps);
  wk_buf_free(&rs);
  return c->rc;
}

/* storage type: i8 | i16 | core valtype (GC proposal) */
static int core_storage(cx *c, scope *s, const wk_sx *x, wk_buf *b) {
  if (is_kw(x, "i8")) wk_buf_byte(b, 0x78);
  else if (is_kw(x, "i16")) wk_buf_byte(b, 0x77);
  else return core_valtype(c, s, x, b);
  return 0;
}

/* field type: `(mut st)` | st -> st mut */
static int core_fieldtype(cx *c, scope *s, const wk_sx *x, wk_buf *b) {
  if (is_list(x) && x->n == 2 && is_kw(&x->kids[0], "mut")) {
    if (core_storage(c, s, &x->kids[1], b)) return c->rc;
    wk_buf_byte(b, 1);
    return 0;
  }
  if (core_storage(c, s, x, b)) return c->rc;
  wk_buf_byte(b, 0);
  return 0;
}

/* composite type: (func ..) | (struct (field $id? ft)*) | (array ft) | (shared comptype) */
static int core_comptype(cx *c, scope *s, const wk_sx *d, wk_buf *b) {
  if (!is_list(d) || !d->n) return fail(c, d, "expected a core type definition%s", NULL);
  const wk_sx *h = &d->kids[0];
  uint32_t k = 1;
  if (k < d->n && d->kids[k].kind == WK_SX_ID) k++;
  if (is_kw(h, "func")) return core_functype(c, s, d, k, b);
  if (is_kw(h, "shared")) {
    if (d->n != 2) return fail(c, d, "expected (shared comptype)%s", NULL);
    wk_buf_byte(b, 0x65);
    return core_comptype(c, s, &d->kids[1], b);
  }
  if (is_kw(h, "array")) {
    if (k + 1 != d->n) return fail(c, d, "expected (array fieldtype)%s", NULL);
    wk_buf_byte(b, 0x5e);
    return core_fieldtype(c, s, &d->kids[k], b);
  }
  if (is_kw(h, "struct")) {
    wk_buf f = {0};
    uint32_t n = 0;
    for (uint32_t i = k; i < d->n && !c->rc; i++) {
      const wk_sx *x = &d->kids[i];
      if (!is_list(x) || !x->n || !is_kw(&x->kids[0], "field")) {
        fail(c, x, "expected (field ...)%s", NULL);
        break;
      }
      uint32_t j = 1;
      if (j < x->n && x->kids[j].kind == WK_SX_ID) {
        if (x->n != 3) {
          fail(c, x, "a named field has one type%s", NULL);
          break;
        }
        j++;
      }
      for (; j < x->n && !c->rc; j++, n++) core_fieldtype(c, s, &x->kids[j], &f);
    }
    if (!c->rc) {
      wk_buf_byte(b, 0x5f);
      wk_buf_uleb(b, n);
      wk_buf_append(b, f.data, f.len);
    }
    wk_buf_free(&f);
    return c->rc;
  }
  return fail(c, d, "expected a core type definition (func, struct, array)%s", NULL);
}

/*
 * core subtype (Core spec 5.3.6 / GC): `(sub final? $super* comptype)` or a
 * bare comptype (final, no supertypes: no prefix). `prefix`: a top-level core
 * type of a component, where a non-final `sub` is written 0x00 0x50 to keep
 * it apart from a module type (Binary.md "core:type").
 */
static int core_typedef(cx *c, scope *s, const wk_sx *d, wk_buf *b, int prefix) {
  if (!is_list(d) || !d->n) return fail(c, d, "expected a core type definition%s", NULL);
  if (!is_kw(&d->kids[0], "sub")) return core_comptype(c, s, d, b);
  uint32_t k = 1;
  int final = 0;
  if (k < d->n && is_kw(&d->kids[k], "final")) final = 1, k++;
  wk_buf sup = {0};
  uint32_t ns = 0;
  while (k + 1 < d->n && is_idx(&d->kids[k]) && !c->rc) {
    uint32_t t;
    if (!resolve_ex(c, s, NS_CTYPE, &d->kids[k], &t, 1)) wk_buf_uleb(&sup, t), ns++;
    k++;
  }
  if (!c->rc && k + 1 != d->n) fail(c, d, "expected (sub final? $super* comptype)%s", NULL);
  if (!c->rc) {
    if (final && !ns) {
      /* final without supertypes is the bare composite type */
    } else if (final) {
      wk_buf_byte(b, 0x4f);
    } else {
      if (prefix) wk_buf_byte(b, WK_CT_CORE_SUB_PREFIX);
      wk_buf_byte(b, 0x50);
    }
    if (!final || ns) {
      wk_buf_uleb(b, ns);
      wk_buf_append(b, sup.data, sup.len);
    }
    core_comptype(c, s, &d->kids[k], b);
  }
  wk_buf_free(&sup);
  return c->rc;
}

/*
 * `(type $id? def)` children [k..) of `d` in scope `s`, or a rec group
 * `(rec (type $id? def)*)` when `rec`: ids are registered first (a type may
 * name itself and its group), then the definition is written (E_CORETYPE).
 * *first = index of the (first) type. Func types get a dedup key in module types.
 */
static int core_type_def(cx *c, scope *s, const wk_sx *d, uint32_t k, const wk_sx *id, const wk_sx *nm, int prefix,
                         uint32_t *first) {
  wk_buf b = {0};
  uint32_t idx;
  if (k + 1 != d->n) return fail(c, d, "expected one core type definition%s", NULL);
  if (reg(c, s, NS_CTYPE, id, nm, &idx)) return c->rc;
  if (first) *first = idx;
  if (!core_typedef(c, s, &d->kids[k], &b, prefix)) {
    emit(c, s, E_CORETYPE, &b, -1, NULL, NULL, NULL, d);
    if (s->kind == SC_MTYPE && is_kw(&d->kids[k].kids[0], "func")) mtype_fkey(c, s, &b, idx);
  }
  wk_buf_free(&b);
  return c->rc;
}

static int core_rec(cx *c, scope *s, const wk_sx *d, uint32_t k) {
  for (uint32_t i = k; i < d->n && !c->rc; i++) {
    const wk_sx *t = &d->kids[i];
    if (!is_list(t) || t->n < 2 || !is_kw(&t->kids[0], "type")) return fail(c, t, "expected (type ...)%s", NULL);
    uint32_t j = 1;
    const wk_sx *id, *nm;
    id_name(t, &j, &id, &nm);
    reg(c, s, NS_CTYPE, id, nm, NULL);
  }
  wk_buf b = {0};
  wk_buf_byte(&b, 0x4e);
  wk_buf_uleb(&b, d->n - k);
  for (uint32_t i = k; i < d->n && !c->rc; i++) {
    const wk_sx *t = &d->kids[i];
    uint32_t j = 1;
    const wk_sx *id, *nm;
    id_name(t, &j, &id, &nm);
    if (j + 1 != t->n) fail(c, t, "expected one core type definition%s", NULL);
    else core_typedef(c, s, &t->kids[j], &b, 0);
  }
  if (!c->rc) emit(c, s, E_CORETYPE, &b, -1, NULL, NULL, NULL, d);
  wk_buf_free(&b);
  return c->rc;
}

/* ---- module types ---------------------------------------------------------- */

static int mtype_fkey(cx *c, scope *s, const wk_buf *sig, uint32_t idx) {
  for (uint32_t i = 0; i < s->nfk; i++)
    if (s->fk[i].len == sig->len && !memcmp(s->fk[i].bytes, sig->data, sig->len)) {
      s->fk[i].idx = idx; /* later definitions win, as a map insert would */
      return 0;
    }
  if (grow((void **)&s->fk, &s->capfk, s->nfk + 1, sizeof *s->fk)) return oom(c);
  fkey *f = &s->fk[s->nfk];
  f->bytes = malloc(sig->len ? sig->len : 1);
  if (!f->bytes) return oom(c);
  memcpy(f->bytes, sig->data, sig->len);
  f->len = (uint32_t)sig->len, f->idx = idx;
  s->nfk++;
  return 0;
}

/* core type use in a module type: `(type $t)` [params results ignored] or inline sig. */
static int mtype_typeuse(cx *c, scope *s, const wk_sx *l, uint32_t k, uint32_t *out) {
  if (k < l->n && is_list(&l->kids[k]) && l->kids[k].n == 2 && is_kw(&l->kids[k].kids[0], "type"))
    return resolve_ex(c, s, NS_CTYPE, &l->kids[k].kids[1], out, 1);
  wk_buf sig = {0};
  if (core_functype(c, s, l, k, &sig)) {
    wk_buf_free(&sig);
    return c->rc;
  }
  for (uint32_t i = 0; i < s->nfk; i++)
    if (s->fk[i].len == sig.len && !memcmp(s->fk[i].bytes, sig.data, sig.len)) {
      *out = s->fk[i].idx;
      wk_buf_free(&sig);
      return 0;
    }
  /* only explicit `(type ...)` declarations are reused (wasm-tools' expand_module_ty) */
  int rc = emit(c, s, E_CORETYPE, &sig, NS_CTYPE, NULL, NULL, out, l);
  wk_buf_free(&sig);
  return rc;
}

static int core_limits(cx *c, const wk_sx *l, uint32_t *k, wk_buf *b, int is_mem) {
  uint32_t mn, mx;
  int has_max = 0, shared = 0, i64 = 0;
  if (*k < l->n && is_kw(&l->kids[*k], "i64")) i64 = 1, (*k)++;
  else if (*k < l->n && is_kw(&l->kids[*k], "i32")) (*k)++;
  if (*k >= l->n || parse_u32(c, &l->kids[*k], &mn)) return fail(c, l, "expected limits%s", NULL);
  (*k)++;
  if (*k < l->n && l->kids[*k].kind == WK_SX_RESERVED) {
    if (parse_u32(c, &l->kids[*k], &mx)) return c->rc;
    has_max = 1, (*k)++;
  }
  if (is_mem && *k < l->n && is_kw(&l->kids[*k], "shared")) shared = 1, (*k)++;
  wk_buf_byte(b, (uint8_t)(has_max | (shared << 1) | (i64 << 2)));
  wk_buf_uleb(b, mn);
  if (has_max) wk_buf_uleb(b, mx);
  return 0;
}

/* core item sig `(func|table|memory|global|tag $id? ...)` -> core:externtype */
static int mtype_itemsig(cx *c, scope *s, const wk_sx *x, wk_buf *b) {
  if (!is_list(x) || !x->n) return fail(c, x, "expected a core item signature%s", NULL);
  uint32_t k = 1;
  const wk_sx *id, *nm;
  id_name(x, &k, &id, &nm);
  const wk_sx *h = &x->kids[0];
  wk_buf t = {0};
  uint32_t idx = 0;
  if (is_kw(h, "func") || is_kw(h, "tag")) {
    if (mtype_typeuse(c, s, x, k, &idx)) goto out;
    if (is_kw(h, "func")) {
      wk_buf_byte(&t, WK_EXTERN_FUNC);
    } else {
      wk_buf_byte(&t, WK_EXTERN_TAG);
      wk_buf_byte(&t, 0x00); /* tag attribute: exception (Core 3.0 5.5.5) */
    }
    wk_buf_uleb(&t, idx);
  } else if (is_kw(h, "table")) {
    wk_buf_byte(&t, WK_EXTERN_TABLE);
    wk_buf lim = {0};
    if (!core_limits(c, x, &k, &lim, 0)) {
      if (k + 1 != x->n) fail(c, x, "expected a table element type%s", NULL);
      else if (!core_valtype(c, s, &x->kids[k], &t)) wk_buf_append(&t, lim.data, lim.len);
    }
    wk_buf_free(&lim);
  } else if (is_kw(h, "memory")) {
    wk_buf_byte(&t, WK_EXTERN_MEMORY);
    if (!core_limits(c, x, &k, &t, 1) && k != x->n) fail(c, &x->kids[k], "unexpected token%s", NULL);
  } else if (is_kw(h, "global")) {
    wk_buf_byte(&t, WK_EXTERN_GLOBAL);
    if (k + 1 != x->n) {
      fail(c, x, "expected a global type%s", NULL);
    } else {
      const wk_sx *g = &x->kids[k];
      if (is_list(g) && g->n == 2 && is_kw(&g->kids[0], "mut")) {
        if (!core_valtype(c, s, &g->kids[1], &t)) wk_buf_byte(&t, 1);
      } else if (!core_valtype(c, s, g, &t)) {
        wk_buf_byte(&t, 0);
      }
    }
  } else {
    fail(c, x, "expected a core item signature%s", NULL);
  }
  if (!c->rc) wk_buf_append(b, t.data, t.len);
out:
  wk_buf_free(&t);
  return c->rc;
}

/* The end of a module, component or instance type's declarations (scope s, opened with c->depth
 * one deeper): `code vec(decl)` appended to b when nothing failed; s freed */
static int decls_close(cx *c, scope *s, uint8_t code, wk_buf *b) {
  if (!c->rc) {
    wk_buf_byte(b, code);
    wk_buf_uleb(b, s->ndecls);
    wk_buf_append(b, s->decls.data, s->decls.len);
    if (s->decls.oom) oom(c);
  }
  scope_free(s);
  c->depth--;
  return c->rc;
}

/* The target of `(alias outer o ix ...)` from scope s (Explainer.md "Alias definitions"): *depth,
 * how many scopes out o is (a count, or the $id of an enclosing component or type), and *idx, item
 * ix of space ns there. Both numeric: taken as written, the validator judges them. */
static int outer_ref(cx *c, scope *s, int ns, const wk_sx *o, const wk_sx *ix, uint32_t *depth, uint32_t *idx) {
  *depth = 0;
  if (o->kind != WK_SX_ID && ix->kind != WK_SX_ID) return parse_u32(c, o, depth) || parse_u32(c, ix, idx) ? c->rc : 0;
  scope *tgt = s;
  if (o->kind == WK_SX_ID) {
    while (tgt && !(tgt->id && tgt->id->len == o->len && !memcmp(tgt->id->text, o->text, o->len)))
      tgt = tgt->parent, ++*depth;
    if (!tgt) return fail(c, o, "outer component not found%s", NULL);
  } else {
    if (parse_u32(c, o, depth)) return c->rc;
    for (uint32_t q = 0; q < *depth && tgt; q++) tgt = tgt->parent;
    if (!tgt) return fail(c, o, "outer count is too large%s", NULL);
  }
  return resolve_ex(c, tgt, ns, ix, idx, 1);
}

/* module type decls from kids [k, n) of `l` -> 0x50 vec(decl) appended to b */
static int module_type(cx *c, scope *parent, const wk_sx *l, uint32_t k, wk_buf *b, const wk_sx *id) {
  if (++c->depth > MAX_NEST) return fail(c, l, "types nested too deeply%s", NULL);
  scope s = {0};
  s.parent = parent, s.kind = SC_MTYPE, s.id = id, s.cur = -1;
  for (uint32_t i = k; i < l->n && !c->rc; i++) {
    const wk_sx *d = &l->kids[i];
    if (!is_list(d) || !d->n) {
      fail(c, d, "expected a module type declaration%s", NULL);
      break;
    }
    const wk_sx *h = &d->kids[0];
    wk_buf t = {0};
    if (is_kw(h, "type")) {
      uint32_t j = 1;
      const wk_sx *tid, *nm;
      id_name(d, &j, &tid, &nm);
      core_type_def(c, &s, d, j, tid, NULL, 0, NULL);
    } else if (is_kw(h, "rec")) {
      core_rec(c, &s, d, 1);
    } else if (is_kw(h, "alias")) {
      /* (alias outer $c $t (type $id?)) */
      if (d->n != 5 || !is_kw(&d->kids[1], "outer") || !is_list(&d->kids[4]) || !d->kids[4].n ||
          !is_kw(&d->kids[4].kids[0], "type")) {
        fail(c, d, "expected (alias outer $c $t (type $id?))%s", NULL);
      } else {
        uint32_t j = 1, depth, idx;
        const wk_sx *aid = NULL, *nm;
        id_name(&d->kids[4], &j, &aid, &nm);
        if (!outer_ref(c, &s, NS_CTYPE, &d->kids[2], &d->kids[3], &depth, &idx)) {
          wk_buf_byte(&t, WK_CCSORT_TYPE);
          wk_buf_byte(&t, WK_CCALIAS_OUTER);
          wk_buf_uleb(&t, depth);
          wk_buf_uleb(&t, idx);
          emit(c, &s, E_ALIAS, &t, NS_CTYPE, aid, NULL, NULL, d);
        }
      }
    } else if (is_kw(h, "import")) {
      if (d->n != 4 || !is_str(&d->kids[1]) || !is_str(&d->kids[2])) {
        fail(c, d, "expected (import \"module\" \"name\" (item))%s", NULL);
      } else {
        wk_buf sig = {0};
        if (!mtype_itemsig(c, &s, &d->kids[3], &sig)) {
          put_sx_str(&t, &d->kids[1]);
          put_sx_str(&t, &d->kids[2]);
          wk_buf_append(&t, sig.data, sig.len);
          emit(c, &s, E_IMPORT, &t, -1, NULL, NULL, NULL, d);
        }
        wk_buf_free(&sig);
      }
    } else if (is_kw(h, "export")) {
      if (d->n != 3 || !is_str(&d->kids[1])) {
        fail(c, d, "expected (export \"name\" (item))%s", NULL);
      } else {
        wk_buf sig = {0};
        if (!mtype_itemsig(c, &s, &d->kids[2], &sig)) {
          put_sx_str(&t, &d->kids[1]);
          wk_buf_append(&t, sig.data, sig.len);
          emit(c, &s, E_EXPORT, &t, -1, NULL, NULL, NULL, d);
        }
        wk_buf_free(&sig);
      }
    } else {
      fail(c, d, "expected a module type declaration%s", NULL);
    }
    wk_buf_free(&t);
  }
  return decls_close(c, &s, WK_CTC_CORE_MODULE, b);
}

/* ---- type definitions ------------------------------------------------------ */

/*
 * Forms of define_type: 0 defined value type (list `l` itself, or a
 * primitive keyword), 1 func type from kids [k..), 2 component type decls
 * from [k..), 3 instance type decls from [k..), 4 resource `(rep ..) (dtor ..)?`
 * from [k..), 5 core module type decls from [k..) (a core type).
 * Emits it as a definition in `s`; *out = its type index.
 */
static int define_type(cx *c, scope *s, const wk_sx *l, uint32_t k, int form, const wk_sx *id, const wk_sx *name,
                       uint32_t *out, const wk_sx *at) {
  if (c->rc) return c->rc;
  wk_buf b = {0};
  uint32_t mark = c->ninl;
  switch (form) {
    case 0:
      if (expand_deftype(c, s, l) == 0) put_deftype(c, s, &b, l);
      break;
    case 1:
      if (expand_functype(c, s, l, k) == 0) put_functype(c, s, &b, l, k);
      break;
    case 2: case 3:
      type_decls(c, s, form == 2 ? SC_CTYPE : SC_ITYPE, l, k, &b, id);
      break;
    case 4: {
      /* (resource (rep i32) (dtor (core func $f))?) -> 0x3f rep dtor? */
      if (k >= l->n || !is_list(&l->kids[k]) || l->kids[k].n != 2 || !is_kw(&l->kids[k].kids[0], "rep")) {
        fail(c, l, "expected (rep i32)%s", NULL);
        break;
      }
      wk_buf_byte(&b, WK_CTC_RESOURCE);
      if (core_valtype(c, s, &l->kids[k].kids[1], &b)) break;
      if (k + 1 < l->n) {
        const wk_sx *d = &l->kids[k + 1];
        uint32_t f;
        if (k + 2 != l->n || !is_list(d) || d->n < 2 || !is_kw(&d->kids[0], "dtor")) {
          fail(c, d, "expected (dtor ...)%s", NULL);
          break;
        }
        if (core_ref_any(c, s, NS_CFUNC, d, 1, &f)) break;
        wk_buf_byte(&b, 1);
        wk_buf_uleb(&b, f);
      } else {
        wk_buf_byte(&b, 0);
      }
      break;
    }
    case 5:
      module_type(c, s, l, k, &b, id);
      break;
  }
  c->ninl = mark;
  if (!c->rc) emit(c, s, form == 5 ? E_CORETYPE : E_TYPE, &b, form == 5 ? NS_CTYPE : NS_TYPE, id, name, out, at);
  wk_buf_free(&b);
  return c->rc;
}

/* `(type $id? (export "x")* <deftype>)` at kids [k..) of `d` (k after `type`) */
static int type_field(cx *c, scope *s, const wk_sx *d, uint32_t k, int allow_exports) {
  const wk_sx *id, *nm;
  id_name(d, &k, &id, &nm);
  uint32_t e0 = k;
  if (allow_exports)
    while (k < d->n && is_inline_named(&d->kids[k], "export")) k++;
  if (k + 1 != d->n) return fail(c, d, "expected one type definition%s", NULL);
  const wk_sx *t = &d->kids[k];
  uint32_t idx = 0;
  if (is_list(t) && t->n && is_kw(&t->kids[0], "func")) define_type(c, s, t, 1, 1, id, nm, &idx, d);
  else if (is_list(t) && t->n && is_kw(&t->kids[0], "component")) define_type(c, s, t, 1, 2, id, nm, &idx, d);
  else if (is_list(t) && t->n && is_kw(&t->kids[0], "instance")) define_type(c, s, t, 1, 3, id, nm, &idx, d);
  else if (is_list(t) && t->n && is_kw(&t->kids[0], "resource")) define_type(c, s, t, 1, 4, id, nm, &idx, d);
  else if (is_deftype_head(t) || prim_code(t)) define_type(c, s, t, 0, 0, id, nm, &idx, d);
  else return fail(c, t, "expected a type definition%s", NULL);
  for (uint32_t i = e0; i < k && !c->rc; i++) emit_pending_export(c, s, &d->kids[i], NS_TYPE, idx);
  return c->rc;
}

/* Inline type use: `(type idx "name"*)` reference, else an inline type from kids [k..). */
static int is_typeref(const wk_sx *l, uint32_t k) {
  if (k >= l->n) return 0;
  const wk_sx *x = &l->kids[k];
  if (!is_list(x) || x->n < 2 || !is_kw(&x->kids[0], "type") || !is_idx(&x->kids[1])) return 0;
  for (uint32_t i = 2; i < x->n; i++)
    if (!is_str(&x->kids[i])) return 0;
  return 1;
}

/* phase 1 of a type use (form as define_type: 1 func, 2 component, 3 instance, 5 module) */
static int expand_typeuse(cx *c, scope *s, const wk_sx *l, uint32_t k, int form) {
  if (is_typeref(l, k)) return 0;
  uint32_t idx;
  if (define_type(c, s, l, k, form, NULL, NULL, &idx, l)) return c->rc;
  return inl_put(c, l, idx);
}

/* phase 2: the type index of a type use */
static int typeuse_idx(cx *c, scope *s, const wk_sx *l, uint32_t k, int core, uint32_t *out) {
  if (is_typeref(l, k)) {
    if (core) return core_ref_at(c, s, NS_CTYPE, &l->kids[k], 1, out);
    return item_ref_at(c, s, NS_TYPE, &l->kids[k], 1, out);
  }
  if (!inl_get(c, l, out)) return fail(c, l, "internal: type use not expanded%s", NULL);
  return 0;
}

/* ---- item signatures (import/export descriptions) -------------------------- */

/* Which space an item sig `(kind ...)` defines, and where its body starts. */
static int itemsig_kind(const wk_sx *x, int *ns, uint32_t *k) {
  if (!is_list(x) || !x->n) return -1;
  if (is_kw(&x->kids[0], "core")) {
    if (x->n < 2 || !is_kw(&x->kids[1], "module")) return -1;
    *ns = NS_CMOD, *k = 2;
    return 0;
  }
  *ns = kw_ns(&x->kids[0], 0), *k = 1;
  return *ns < 0 ? -1 : 0;
}

static int expand_itemsig(cx *c, scope *s, const wk_sx *x) {
  int ns;
  uint32_t k;
  if (itemsig_kind(x, &ns, &k)) return fail(c, x, "expected an item signature%s", NULL);
  const wk_sx *id, *nm;
  id_name(x, &k, &id, &nm);
  switch (ns) {
    case NS_CMOD: return expand_typeuse(c, s, x, k, 5);
    case NS_FUNC: return expand_typeuse(c, s, x, k, 1);
    case NS_COMP: return expand_typeuse(c, s, x, k, 2);
    case NS_INST: return expand_typeuse(c, s, x, k, 3);
    case NS_VALUE:
      if (k + 1 != x->n) return fail(c, x, "expected a value type%s", NULL);
      if (is_list(&x->kids[k]) && x->kids[k].n == 2 && is_kw(&x->kids[k].kids[0], "type"))
        return expand_valtype(c, s, &x->kids[k].kids[1]);
      return expand_valtype(c, s, &x->kids[k]);
    default: return 0;
  }
}

/* phase 2: externdesc bytes of an item sig; *ns, *id, *nm for registration */
static int put_itemsig(cx *c, scope *s, wk_buf *b, const wk_sx *x, int *nsp, const wk_sx **idp, const wk_sx **nmp) {
  int ns;
  uint32_t k, idx;
  if (itemsig_kind(x, &ns, &k)) return fail(c, x, "expected an item signature%s", NULL);
  id_name(x, &k, idp, nmp);
  *nsp = ns;
  switch (ns) {
    case NS_CMOD:
      if (typeuse_idx(c, s, x, k, 1, &idx)) return c->rc;
      wk_buf_byte(b, WK_CSORT_CORE);
      wk_buf_byte(b, WK_CCSORT_MODULE);
      wk_buf_uleb(b, idx);
      return 0;
    case NS_FUNC: case NS_COMP: case NS_INST:
      if (typeuse_idx(c, s, x, k, 0, &idx)) return c->rc;
      wk_buf_byte(b, ns == NS_FUNC ? WK_CSORT_FUNC : ns == NS_COMP ? WK_CSORT_COMPONENT : WK_CSORT_INSTANCE);
      wk_buf_uleb(b, idx);
      return 0;
    case NS_VALUE: {
      const wk_sx *v = &x->kids[k];
      /* wasm-encoder writes the value type right after 0x02 */
      wk_buf_byte(b, WK_CSORT_VALUE);
      if (is_list(v) && v->n == 2 && is_kw(&v->kids[0], "type")) v = &v->kids[1];
      return put_valtype(c, s, b, v);
    }
    case NS_TYPE: {
      if (k + 1 != x->n || !is_list(&x->kids[k])) return fail(c, x, "expected (eq $t) or (sub resource)%s", NULL);
      const wk_sx *t = &x->kids[k];
      wk_buf_byte(b, WK_CSORT_TYPE);
      if (t->n == 2 && is_kw(&t->kids[0], "eq")) {
        if (resolve(c, s, NS_TYPE, &t->kids[1], &idx)) return c->rc;
        wk_buf_byte(b, WK_CBOUND_EQ);
        wk_buf_uleb(b, idx);
        return 0;
      }
      if (t->n == 2 && is_kw(&t->kids[0], "sub") && is_kw(&t->kids[1], "resource")) {
        wk_buf_byte(b, WK_CBOUND_SUB_RESOURCE);
        return 0;
      }
      return fail(c, t, "expected (eq $t) or (sub resource)%s", NULL);
    }
  }
  return fail(c, x, "expected an item signature%s", NULL);
}

/* `(import "name" <itemsig>)` in a component or type, `(export "name"
 * <itemsig>)` in a component or instance type (Explainer.md "Import and
 * Export Definitions"): `what` is E_IMPORT or E_EXPORT. */
static int extern_decl(cx *c, scope *s, const wk_sx *d, int what) {
  if (d->n < 3)
    return fail(c, d, what == E_IMPORT ? "expected (import \"name\" (item))%s" : "expected (export \"name\" (item))%s",
                NULL);
  if (expand_itemsig(c, s, &d->kids[d->n - 1])) return c->rc;
  wk_buf b = {0};
  int ns;
  const wk_sx *id, *nm;
  uint32_t k = 1;
  if (!put_externname_at(c, &b, d, &k) && k + 1 != d->n) fail(c, &d->kids[k], "unexpected token%s", NULL);
  if (!c->rc && !put_itemsig(c, s, &b, &d->kids[d->n - 1], &ns, &id, &nm))
    emit(c, s, what, &b, ns, id, nm, NULL, d);
  wk_buf_free(&b);
  return c->rc;
}

/* ---- aliases ----------------------------------------------------------------- */

/* `(alias export $i "n" (kind $id?))`, `(alias core export ...)`, `(alias outer $c $i (kind $id?))` */
static int alias_field(cx *c, scope *s, const wk_sx *d) {
  uint32_t k = 1;
  wk_buf b = {0};
  if (k < d->n && is_kw(&d->kids[k], "outer")) {
    if (d->n != 5) return fail(c, d, "expected (alias outer $c $i (kind $id?))%s", NULL);
    const wk_sx *o = &d->kids[2], *ix = &d->kids[3], *t = &d->kids[4];
    int ns = -1;
    uint32_t j = 0;
    if (is_list(t) && t->n && is_kw(&t->kids[0], "core") && t->n > 1) {
      if (is_kw(&t->kids[1], "module")) ns = NS_CMOD;
      else if (is_kw(&t->kids[1], "type")) ns = NS_CTYPE;
      j = 2;
    } else if (is_list(t) && t->n) {
      if (is_kw(&t->kids[0], "type")) ns = NS_TYPE;
      else if (is_kw(&t->kids[0], "component")) ns = NS_COMP;
      j = 1;
    }
    if (ns < 0) return fail(c, t, "expected core module, core type, type or component%s", NULL);
    const wk_sx *id, *nm;
    id_name(t, &j, &id, &nm);
    if (j != t->n) return fail(c, t, "unexpected token%s", NULL);
    uint32_t depth, idx;
    if (outer_ref(c, s, ns, o, ix, &depth, &idx)) return c->rc;
    put_sort(&b, ns);
    wk_buf_byte(&b, WK_CALIAS_OUTER);
    wk_buf_uleb(&b, depth);
    wk_buf_uleb(&b, idx);
    emit(c, s, E_ALIAS, &b, ns, id, nm, NULL, d);
    wk_buf_free(&b);
    return c->rc;
  }
  int core = 0;
  if (k < d->n && is_kw(&d->kids[k], "core")) core = 1, k++;
  if (k >= d->n || !is_kw(&d->kids[k], "export") || d->n != k + 4 || !is_str(&d->kids[k + 2]))
    return fail(c, d, "expected (alias export $i \"name\" (kind $id?))%s", NULL);
  const wk_sx *t = &d->kids[k + 3];
  int ns = -1;
  uint32_t j = 0;
  if (core) {
    if (is_list(t) && t->n > 1 && is_kw(&t->kids[0], "core")) ns = kw_ns(&t->kids[1], 1), j = 2;
    if (ns == NS_CTYPE || ns == NS_CINST || ns == NS_CMOD) ns = -1;
  } else if (is_list(t) && t->n) {
    if (is_kw(&t->kids[0], "core")) {
      if (t->n > 1 && is_kw(&t->kids[1], "module")) ns = NS_CMOD;
      j = 2;
    } else {
      ns = kw_ns(&t->kids[0], 0), j = 1;
    }
  }
  if (ns < 0) return fail(c, t, "expected an alias kind%s", NULL);
  const wk_sx *id, *nm;
  id_name(t, &j, &id, &nm);
  if (j != t->n) return fail(c, t, "unexpected token%s", NULL);
  uint32_t inst;
  if (resolve(c, s, core ? NS_CINST : NS_INST, &d->kids[k + 1], &inst)) return c->rc;
  return emit_export_alias(c, s, core, inst, &d->kids[k + 2], ns, id, nm, NULL, d);
}

/* ---- component / instance types --------------------------------------------- */

static int type_decls(cx *c, scope *parent, int kind, const wk_sx *l, uint32_t k, wk_buf *b, const wk_sx *id) {
  if (++c->depth > MAX_NEST) return fail(c, l, "types nested too deeply%s", NULL);
  scope s = {0};
  s.parent = parent, s.kind = kind, s.id = id, s.cur = -1;
  for (uint32_t i = k; i < l->n && !c->rc; i++) {
    const wk_sx *d = &l->kids[i];
    uint32_t mark = c->ninl;
    if (!is_list(d) || !d->n) {
      fail(c, d, "expected a declaration%s", NULL);
      break;
    }
    const wk_sx *h = &d->kids[0];
    if (is_kw(h, "core")) {
      if (d->n < 2 || !is_kw(&d->kids[1], "type")) {
        fail(c, d, "expected (core type ...)%s", NULL);
        break;
      }
      uint32_t j = 2;
      const wk_sx *tid, *nm;
      id_name(d, &j, &tid, &nm);
      if (j + 1 != d->n || !is_list(&d->kids[j]) || !d->kids[j].n) {
        fail(c, d, "expected one core type definition%s", NULL);
        break;
      }
      const wk_sx *t = &d->kids[j];
      if (is_kw(&t->kids[0], "module")) {
        define_type(c, &s, t, 1, 5, tid, nm, NULL, d);
      } else {
        core_type_def(c, &s, d, j, tid, nm, 1, NULL);
      }
    } else if (is_kw(h, "type")) {
      type_field(c, &s, d, 1, 0);
    } else if (is_kw(h, "alias")) {
      alias_field(c, &s, d);
    } else if (is_kw(h, "import") && kind == SC_CTYPE) {
      extern_decl(c, &s, d, E_IMPORT);
    } else if (is_kw(h, "export")) {
      extern_decl(c, &s, d, E_EXPORT);
    } else {
      fail(c, d, "expected a type declaration%s", NULL);
    }
    c->ninl = mark;
  }
  return decls_close(c, &s, kind == SC_CTYPE ? WK_CTC_COMPONENT : WK_CTC_INSTANCE, b);
}

/* ---- component fields ------------------------------------------------------- */

static int emit_pending_export(cx *c, scope *s, const wk_sx *l, int ns, uint32_t idx) {
  if (s->kind != SC_COMP) return fail(c, l, "inline exports are only allowed in components%s", NULL);
  if (grow((void **)&s->pend, &s->cappend, s->npend + 1, sizeof *s->pend)) return oom(c);
  s->pend[s->npend].name = inline_name(l);
  s->pend[s->npend].ns = ns;
  s->pend[s->npend].idx = idx;
  s->npend++;
  return 0;
}

/* `binary "..."*` bodies: the concatenated strings */
static int binary_body(cx *c, const wk_sx *l, uint32_t k, wk_buf *b) {
  for (uint32_t i = k + 1; i < l->n; i++) {
    if (!is_str(&l->kids[i])) return fail(c, &l->kids[i], "expected a string%s", NULL);
    wk_buf_append(b, l->kids[i].text, l->kids[i].len);
  }
  return 0;
}

/* `(X $id (import "name") <typeuse>)`, the inline import abbreviation of a
 * definition (Explainer.md "Import and Export Definitions"): an import whose
 * externdesc is the bytes `desc` then the type index, into namespace `ns`.
 * `d` is the definition, `k` the position of its `(import ..)`; `form` and
 * `core` are expand_typeuse's and typeuse_idx's. Errors go to c->rc. */
static void inline_import(cx *c, scope *s, const wk_sx *d, uint32_t k, int form, int core, const char *desc,
                          size_t ndesc, int ns, const wk_sx *id, const wk_sx *nm, uint32_t *idx) {
  if (expand_typeuse(c, s, d, k + 1, form)) return;
  uint32_t t;
  wk_buf b = {0};
  if (!typeuse_idx(c, s, d, k + 1, core, &t) && !put_externname(c, &b, inline_name(&d->kids[k]))) {
    wk_buf_append(&b, desc, ndesc);
    wk_buf_uleb(&b, t);
    emit(c, s, E_IMPORT, &b, ns, id, nm, idx, d);
  }
  wk_buf_free(&b);
}

static int core_module_field(cx *c, scope *s, const wk_sx *d) {
  const wk_sx *id, *nm;
  uint32_t e0, k = item_head(d, 2, &id, &nm, &e0), e1 = k, idx = 0;
  if (k < d->n && is_inline_named(&d->kids[k], "import")) {
    /* (core module $m (import "n") <module type use>) */
    inline_import(c, s, d, k, 5, 1, "\x00\x11", 2, NS_CMOD, id, nm, &idx);
    if (c->rc) return c->rc;
  } else {
    wk_buf m = {0};
    if (k < d->n && is_kw(&d->kids[k], "binary")) {
      binary_body(c, d, k, &m);
    } else {
      /* the module's own name: its (@name "..") annotation, else its $id */
      const wk_sx *mn = nm ? &nm->kids[1] : id;
      int rc = wk_wat_core_module(d, k, mn ? mn->text : NULL, mn ? mn->len : 0, &m, c->err);
      if (rc) {
        /* say where the error came from: "core module: <reason>" */
        char msg[sizeof c->err->msg];
        static const char pre[] = "core module: ";
        size_t n = strnlen(c->err->msg, sizeof msg - sizeof pre);
        memcpy(msg, pre, sizeof pre - 1);
        memcpy(msg + sizeof pre - 1, c->err->msg, n);
        msg[sizeof pre - 1 + n] = 0;
        memcpy(c->err->msg, msg, sizeof msg);
        c->rc = rc;
      }
    }
    if (!c->rc) {
      raw_section(s, 1, &m);
      reg(c, s, NS_CMOD, id, nm, &idx);
    }
    wk_buf_free(&m);
  }
  for (uint32_t i = e0; i < e1 && !c->rc; i++) emit_pending_export(c, s, &d->kids[i], NS_CMOD, idx);
  return c->rc;
}

/* core instance export list item `(export "n" (func idx "name"?))` -> name sort idx */
static int core_inline_export(cx *c, scope *s, const wk_sx *e, wk_buf *b) {
  if (!is_list(e) || e->n != 3 || !is_kw(&e->kids[0], "export") || !is_str(&e->kids[1]) || !is_list(&e->kids[2]))
    return fail(c, e, "expected (export \"name\" (kind idx))%s", NULL);
  const wk_sx *r = &e->kids[2];
  uint32_t j = 0;
  if (r->n && is_kw(&r->kids[0], "core")) j = 1;
  int ns = j < r->n ? kw_ns(&r->kids[j], 1) : -1;
  if (ns < 0 || ns > NS_CTAG) return fail(c, r, "expected func, table, memory, global or tag%s", NULL);
  uint32_t idx;
  if (core_ref_at(c, s, ns, r, j + 1, &idx)) return c->rc;
  put_sx_str(b, &e->kids[1]);
  wk_buf_byte(b, ns_sort[ns][1]);
  wk_buf_uleb(b, idx);
  return 0;
}

/* An instance of n exports (Binary.md "Instance Definitions": 0x01 vec(inlineexport) for core
 * and component instances alike), their bytes in *items (freed), defined as `kind` into space ns */
static int bundle_emit(cx *c, scope *s, int kind, int ns, wk_buf *items, uint32_t n, const wk_sx *id, const wk_sx *nm,
                       uint32_t *out, const wk_sx *at) {
  wk_buf b = {0};
  if (!c->rc) {
    wk_buf_byte(&b, WK_CINST_EXPORTS);
    wk_buf_uleb(&b, n);
    wk_buf_append(&b, items->data, items->len);
    emit(c, s, kind, &b, ns, id, nm, out, at);
  }
  wk_buf_free(&b);
  wk_buf_free(items);
  return c->rc;
}

/* a core instance that bundles exports, from kids [k..) of `l` */
static int core_bundle(cx *c, scope *s, const wk_sx *l, uint32_t k, const wk_sx *id, const wk_sx *nm,
                       uint32_t *out, const wk_sx *at) {
  wk_buf items = {0};
  for (uint32_t i = k; i < l->n && !c->rc; i++) core_inline_export(c, s, &l->kids[i], &items);
  return bundle_emit(c, s, E_COREINST, NS_CINST, &items, l->n - k, id, nm, out, at);
}

static int core_instance_field(cx *c, scope *s, const wk_sx *d) {
  uint32_t k = 2;
  const wk_sx *id, *nm;
  id_name(d, &k, &id, &nm);
  if (k < d->n && is_list(&d->kids[k]) && d->kids[k].n && is_kw(&d->kids[k].kids[0], "instantiate")) {
    const wk_sx *in = &d->kids[k];
    if (k + 1 != d->n || in->n < 2) return fail(c, d, "expected (instantiate $module (with ...)*)%s", NULL);
    /* phase 1: inline bundles `(with "n" (instance (export ...)*))` */
    for (uint32_t i = 2; i < in->n && !c->rc; i++) {
      const wk_sx *w = &in->kids[i];
      if (!is_list(w) || w->n != 3 || !is_kw(&w->kids[0], "with") || !is_str(&w->kids[1]) || !is_list(&w->kids[2]))
        return fail(c, w, "expected (with \"name\" (instance ...))%s", NULL);
      const wk_sx *a = &w->kids[2];
      uint32_t j = 0;
      if (a->n && is_kw(&a->kids[0], "core")) j = 1;
      if (j >= a->n || !is_kw(&a->kids[j], "instance")) return fail(c, a, "expected (instance ...)%s", NULL);
      if (j + 1 < a->n && is_idx(&a->kids[j + 1])) continue;
      uint32_t bi;
      if (core_bundle(c, s, a, j + 1, NULL, NULL, &bi, a) || inl_put(c, a, bi)) return c->rc;
    }
    uint32_t mod;
    const wk_sx *m = &in->kids[1];
    if (is_list(m)) {
      uint32_t j = 0;
      if (m->n && is_kw(&m->kids[0], "core")) j = 1;
      if (j >= m->n || !is_kw(&m->kids[j], "module")) return fail(c, m, "expected a module reference%s", NULL);
      if (item_ref_at(c, s, NS_CMOD, m, j + 1, &mod)) return c->rc;
    } else if (resolve(c, s, NS_CMOD, m, &mod)) {
      return c->rc;
    }
    wk_buf b = {0};
    wk_buf_byte(&b, WK_CINST_INSTANTIATE);
    wk_buf_uleb(&b, mod);
    wk_buf_uleb(&b, in->n - 2);
    for (uint32_t i = 2; i < in->n && !c->rc; i++) {
      const wk_sx *w = &in->kids[i], *a = &w->kids[2];
      uint32_t j = 0, idx;
      if (a->n && is_kw(&a->kids[0], "core")) j = 1;
      if (!inl_get(c, a, &idx) && core_ref_at(c, s, NS_CINST, a, j + 1, &idx)) break;
      put_sx_str(&b, &w->kids[1]);
      wk_buf_byte(&b, WK_CCSORT_INSTANCE);
      wk_buf_uleb(&b, idx);
    }
    if (!c->rc) emit(c, s, E_COREINST, &b, NS_CINST, id, nm, NULL, d);
    wk_buf_free(&b);
    return c->rc;
  }
  return core_bundle(c, s, d, k, id, nm, NULL, d);
}

/* canon options from kids [k, end) of `l` -> vec(canonopt) */
static int canon_opts(cx *c, scope *s, const wk_sx *l, uint32_t k, uint32_t end, wk_buf *b) {
  wk_buf o = {0};
  uint32_t n = 0;
  for (uint32_t i = k; i < end && !c->rc; i++, n++) {
    const wk_sx *x = &l->kids[i];
    uint32_t idx;
    if (is_kw(x, "string-encoding=utf8")) wk_buf_byte(&o, WK_COPT_UTF8);
    else if (is_kw(x, "string-encoding=utf16")) wk_buf_byte(&o, WK_COPT_UTF16);
    else if (is_kw(x, "string-encoding=latin1+utf16")) wk_buf_byte(&o, WK_COPT_LATIN1_UTF16);
    else if (is_kw(x, "async")) wk_buf_byte(&o, WK_COPT_ASYNC);
    else if (is_kw(x, "gc")) wk_buf_byte(&o, WK_COPT_GC);
    else if (is_list(x) && x->n >= 2 && is_kw(&x->kids[0], "memory")) {
      if (!core_ref_any(c, s, NS_CMEM, x, 1, &idx)) wk_buf_byte(&o, WK_COPT_MEMORY), wk_buf_uleb(&o, idx);
    } else if (is_list(x) && x->n >= 2 && is_kw(&x->kids[0], "realloc")) {
      if (!core_ref_any(c, s, NS_CFUNC, x, 1, &idx)) wk_buf_byte(&o, WK_COPT_REALLOC), wk_buf_uleb(&o, idx);
    } else if (is_list(x) && x->n >= 2 && is_kw(&x->kids[0], "post-return")) {
      if (!core_ref_any(c, s, NS_CFUNC, x, 1, &idx)) wk_buf_byte(&o, WK_COPT_POST_RETURN), wk_buf_uleb(&o, idx);
    } else if (is_list(x) && x->n >= 2 && is_kw(&x->kids[0], "callback")) {
      if (!core_ref_any(c, s, NS_CFUNC, x, 1, &idx)) wk_buf_byte(&o, WK_COPT_CALLBACK), wk_buf_uleb(&o, idx);
    } else if (is_list(x) && x->n >= 2 && is_kw(&x->kids[0], "core-type")) {
      if (!core_ref_any(c, s, NS_CTYPE, x, 1, &idx)) wk_buf_byte(&o, WK_COPT_CORE_TYPE), wk_buf_uleb(&o, idx);
    } else {
      fail(c, x, "expected a canonical option%s", NULL);
    }
  }
  if (!c->rc) {
    wk_buf_uleb(b, n);
    wk_buf_append(b, o.data, o.len);
  }
  wk_buf_free(&o);
  return c->rc;
}

/*
 * The body of a canon definition: `lift (core func ..) opts`, `lower (func ..)
 * opts`, `resource.new|drop|rep idx`. `l`'s kids [k, end). For lift, `ftype`
 * is the lifted type's index (resolved by the caller). Returns the space
 * the definition adds to in *ns.
 */
static int canon_body(cx *c, scope *s, const wk_sx *l, uint32_t k, uint32_t end, wk_buf *b, int *ns,
                      const wk_sx *tyl, uint32_t tyk) {
  if (k >= end) return fail(c, l, "expected a canonical function%s", NULL);
  const wk_sx *h = &l->kids[k];
  uint32_t idx;
  if (is_kw(h, "lift")) {
    *ns = NS_FUNC;
    if (k + 1 >= end || !is_list(&l->kids[k + 1])) return fail(c, l, "expected (core func ...)%s", NULL);
    const wk_sx *f = &l->kids[k + 1];
    uint32_t j = 0;
    if (f->n && is_kw(&f->kids[0], "core")) j = 1;
    if (j >= f->n || !is_kw(&f->kids[j], "func")) return fail(c, f, "expected (core func ...)%s", NULL);
    /* resolution order as wasm-tools: type use, core func, options */
    uint32_t t;
    if (typeuse_idx(c, s, tyl, tyk, 0, &t)) return c->rc;
    if (core_ref_at(c, s, NS_CFUNC, f, j + 1, &idx)) return c->rc;
    wk_buf_byte(b, WK_CANON_LIFT);
    wk_buf_byte(b, WK_CANON_FUNC_SORT);
    wk_buf_uleb(b, idx);
    if (canon_opts(c, s, l, k + 2, end, b)) return c->rc;
    wk_buf_uleb(b, t);
    return 0;
  }
  *ns = NS_CFUNC;
  if (is_kw(h, "lower")) {
    if (k + 1 >= end) return fail(c, l, "expected (func ...)%s", NULL);
    const wk_sx *f = &l->kids[k + 1];
    if (!is_list(f) || f->n < 2 || !is_kw(&f->kids[0], "func")) return fail(c, f, "expected (func ...)%s", NULL);
    if (item_ref_at(c, s, NS_FUNC, f, 1, &idx)) return c->rc;
    wk_buf_byte(b, WK_CANON_LOWER);
    wk_buf_byte(b, WK_CANON_FUNC_SORT);
    wk_buf_uleb(b, idx);
    return canon_opts(c, s, l, k + 2, end, b);
  }
  /* the other built-ins (Binary.md "Canonical Definitions"; async and threads) */
  enum { SH_NONE, SH_TYPE, SH_TYPE_OPTS, SH_TYPE_ASYNC, SH_OPTS, SH_ASYNC, SH_CANCEL, SH_WAIT, SH_CTX, SH_CTYPE,
         SH_CTYPE_TABLE, SH_RETURN };
  static const struct { uint8_t code, shape; } ops[] = { /* WAT keywords: the name column of WK_CT_CANONS */
    {WK_CANON_RESOURCE_NEW, SH_TYPE}, {WK_CANON_RESOURCE_DROP, SH_TYPE}, {WK_CANON_RESOURCE_REP, SH_TYPE},
    {WK_CANON_TASK_CANCEL, SH_NONE}, {WK_CANON_SUBTASK_CANCEL, SH_ASYNC}, {WK_CANON_TASK_RETURN, SH_RETURN},
    {WK_CANON_CONTEXT_GET, SH_CTX}, {WK_CANON_CONTEXT_SET, SH_CTX}, {WK_CANON_THREAD_YIELD, SH_CANCEL},
    {WK_CANON_SUBTASK_DROP, SH_NONE}, {WK_CANON_STREAM_NEW, SH_TYPE}, {WK_CANON_STREAM_READ, SH_TYPE_OPTS},
    {WK_CANON_STREAM_WRITE, SH_TYPE_OPTS}, {WK_CANON_STREAM_CANCEL_READ, SH_TYPE_ASYNC},
    {WK_CANON_STREAM_CANCEL_WRITE, SH_TYPE_ASYNC}, {WK_CANON_STREAM_DROP_READABLE, SH_TYPE},
    {WK_CANON_STREAM_DROP_WRITABLE, SH_TYPE}, {WK_CANON_FUTURE_NEW, SH_TYPE}, {WK_CANON_FUTURE_READ, SH_TYPE_OPTS},
    {WK_CANON_FUTURE_WRITE, SH_TYPE_OPTS}, {WK_CANON_FUTURE_CANCEL_READ, SH_TYPE_ASYNC},
    {WK_CANON_FUTURE_CANCEL_WRITE, SH_TYPE_ASYNC}, {WK_CANON_FUTURE_DROP_READABLE, SH_TYPE},
    {WK_CANON_FUTURE_DROP_WRITABLE, SH_TYPE}, {WK_CANON_ERROR_CONTEXT_NEW, SH_OPTS},
    {WK_CANON_ERROR_CONTEXT_DEBUG_MESSAGE, SH_OPTS}, {WK_CANON_ERROR_CONTEXT_DROP, SH_NONE},
    {WK_CANON_WAITABLE_SET_NEW, SH_NONE}, {WK_CANON_WAITABLE_SET_WAIT, SH_WAIT}, {WK_CANON_WAITABLE_SET_POLL, SH_WAIT},
    {WK_CANON_WAITABLE_SET_DROP, SH_NONE}, {WK_CANON_WAITABLE_JOIN, SH_NONE}, {WK_CANON_BACKPRESSURE_INC, SH_NONE},
    {WK_CANON_BACKPRESSURE_DEC, SH_NONE}, {WK_CANON_THREAD_INDEX, SH_NONE},
    {WK_CANON_THREAD_NEW_INDIRECT, SH_CTYPE_TABLE}, {WK_CANON_THREAD_RESUME_LATER, SH_NONE},
    {WK_CANON_THREAD_SUSPEND, SH_CANCEL}, {WK_CANON_THREAD_SUSPEND_THEN_RESUME, SH_CANCEL},
    {WK_CANON_THREAD_YIELD_THEN_RESUME, SH_CANCEL}, {WK_CANON_THREAD_SUSPEND_THEN_PROMOTE, SH_CANCEL},
    {WK_CANON_THREAD_YIELD_THEN_PROMOTE, SH_CANCEL}, {WK_CANON_THREAD_SPAWN_REF, SH_CTYPE},
    {WK_CANON_THREAD_SPAWN_INDIRECT, SH_CTYPE_TABLE}, {WK_CANON_THREAD_AVAILABLE_PARALLELISM, SH_NONE},
  };
  int op = -1;
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
    if (is_kw(h, wk_ct_canon_name(ops[i].code))) op = (int)i;
  if (op < 0) return fail(c, h, "unknown canonical function%s", NULL);
  uint8_t code = ops[op].code;
  uint32_t j = k + 1;
  wk_buf_byte(b, code);
  switch (ops[op].shape) {
    case SH_NONE: break;
    case SH_TYPE: case SH_TYPE_OPTS: case SH_TYPE_ASYNC: {
      if (j >= end) return fail(c, l, "expected a type%s", NULL);
      const wk_sx *r = &l->kids[j++];
      if (is_list(r)) {
        if (r->n < 2 || !is_kw(&r->kids[0], "type")) return fail(c, r, "expected (type ...)%s", NULL);
        if (item_ref_at(c, s, NS_TYPE, r, 1, &idx)) return c->rc;
      } else if (resolve(c, s, NS_TYPE, r, &idx)) {
        return c->rc;
      }
      wk_buf_uleb(b, idx);
      if (ops[op].shape == SH_TYPE_OPTS) return canon_opts(c, s, l, j, end, b);
      if (ops[op].shape == SH_TYPE_ASYNC) {
        int a = j < end && is_kw(&l->kids[j], "async");
        j += (uint32_t)a;
        wk_buf_byte(b, (uint8_t)a);
      }
      break;
    }
    case SH_OPTS: return canon_opts(c, s, l, j, end, b);
    case SH_ASYNC: case SH_CANCEL: {
      int a = j < end && is_kw(&l->kids[j], ops[op].shape == SH_ASYNC ? "async" : "cancellable");
      j += (uint32_t)a;
      wk_buf_byte(b, (uint8_t)a);
      break;
    }
    case SH_WAIT: {
      int a = j < end && is_kw(&l->kids[j], "cancellable");
      j += (uint32_t)a;
      wk_buf_byte(b, (uint8_t)a);
      if (j >= end || !is_list(&l->kids[j]) || l->kids[j].n < 2 || !is_kw(&l->kids[j].kids[0], "memory"))
        return fail(c, l, "expected (memory ...)%s", NULL);
      if (core_ref_any(c, s, NS_CMEM, &l->kids[j], 1, &idx)) return c->rc;
      wk_buf_uleb(b, idx);
      j++;
      break;
    }
    case SH_CTX: {
      uint32_t n;
      if (j + 2 > end || core_valtype(c, s, &l->kids[j], b) || parse_u32(c, &l->kids[j + 1], &n)) return fail(c, l, "expected a core type and an index%s", NULL);
      wk_buf_uleb(b, n);
      j += 2;
      break;
    }
    case SH_CTYPE: case SH_CTYPE_TABLE: {
      uint32_t used;
      if (core_ref_used(c, s, NS_CTYPE, l, j, &idx, &used)) return c->rc;
      j += used;
      wk_buf_uleb(b, idx);
      if (ops[op].shape == SH_CTYPE_TABLE) {
        if (core_ref_used(c, s, NS_CTABLE, l, j, &idx, &used)) return c->rc;
        j += used;
        wk_buf_uleb(b, idx);
      }
      break;
    }
    case SH_RETURN:
      if (j < end && is_list(&l->kids[j]) && l->kids[j].n == 2 && is_kw(&l->kids[j].kids[0], "result")) {
        wk_buf_byte(b, WK_CRESULT_ONE);
        if (put_valtype(c, s, b, &l->kids[j].kids[1])) return c->rc;
        j++;
      } else {
        wk_buf_byte(b, WK_CRESULT_NONE);
        wk_buf_byte(b, 0x00);
      }
      return canon_opts(c, s, l, j, end, b);
  }
  if (j != end) return fail(c, &l->kids[j], "unexpected token%s", NULL);
  return 0;
}

/* phase 1 of a canon body: task.return's inline result type */
static int expand_canon(cx *c, scope *s, const wk_sx *l, uint32_t k, uint32_t end) {
  if (k + 1 < end && is_kw(&l->kids[k], "task.return") && is_list(&l->kids[k + 1]) && l->kids[k + 1].n == 2 &&
      is_kw(&l->kids[k + 1].kids[0], "result"))
    return expand_valtype(c, s, &l->kids[k + 1].kids[1]);
  return 0;
}

/* `(canon ...)`: the definition's `(func $id type)` / `(core func $id)` is last */
static int canon_field(cx *c, scope *s, const wk_sx *d) {
  if (d->n < 3 || !is_list(&d->kids[d->n - 1])) return fail(c, d, "expected (canon ... (func $id?))%s", NULL);
  const wk_sx *f = &d->kids[d->n - 1];
  int lift = is_kw(&d->kids[1], "lift");
  uint32_t j = 0;
  if (lift) {
    if (!f->n || !is_kw(&f->kids[0], "func")) return fail(c, f, "expected (func $id? type)%s", NULL);
    j = 1;
  } else {
    if (f->n < 2 || !is_kw(&f->kids[0], "core") || !is_kw(&f->kids[1], "func"))
      return fail(c, f, "expected (core func $id?)%s", NULL);
    j = 2;
  }
  const wk_sx *id, *nm;
  id_name(f, &j, &id, &nm);
  if (lift && expand_typeuse(c, s, f, j, 1)) return c->rc;
  if (!lift && j != f->n) return fail(c, &f->kids[j], "unexpected token%s", NULL);
  if (!lift && expand_canon(c, s, d, 1, d->n - 1)) return c->rc;
  wk_buf b = {0};
  int ns;
  if (!canon_body(c, s, d, 1, d->n - 1, &b, &ns, f, j)) emit(c, s, E_CANON, &b, ns, id, nm, NULL, d);
  wk_buf_free(&b);
  return c->rc;
}

/* `(core func $id? (canon ...))` / `(core func $id? (alias core export $i "n"))` */
static int core_func_field(cx *c, scope *s, const wk_sx *d) {
  uint32_t k = 2;
  const wk_sx *id, *nm;
  id_name(d, &k, &id, &nm);
  if (k + 1 != d->n || !is_list(&d->kids[k]) || !d->kids[k].n) return fail(c, d, "expected (canon ...) or (alias ...)%s", NULL);
  const wk_sx *x = &d->kids[k];
  if (is_kw(&x->kids[0], "alias")) {
    if (x->n != 5 || !is_kw(&x->kids[1], "core") || !is_kw(&x->kids[2], "export") || !is_str(&x->kids[4]))
      return fail(c, x, "expected (alias core export $i \"name\")%s", NULL);
    uint32_t inst;
    if (resolve(c, s, NS_CINST, &x->kids[3], &inst)) return c->rc;
    return emit_export_alias(c, s, 1, inst, &x->kids[4], NS_CFUNC, id, nm, NULL, d);
  }
  if (!is_kw(&x->kids[0], "canon") || (x->n > 1 && is_kw(&x->kids[1], "lift")))
    return fail(c, x, "expected (canon lower ...) or another core canonical function%s", NULL);
  if (expand_canon(c, s, x, 1, x->n)) return c->rc;
  wk_buf b = {0};
  int ns;
  if (!canon_body(c, s, x, 1, x->n, &b, &ns, NULL, 0)) emit(c, s, E_CANON, &b, ns, id, nm, NULL, d);
  wk_buf_free(&b);
  return c->rc;
}

/* `(func $id? (export "x")* ...)`: import, alias or lift */
static int func_field(cx *c, scope *s, const wk_sx *d) {
  const wk_sx *id, *nm;
  uint32_t e0, k = item_head(d, 1, &id, &nm, &e0), e1 = k, idx = 0;
  wk_buf b = {0};
  if (k < d->n && is_inline_named(&d->kids[k], "import")) {
    inline_import(c, s, d, k, 1, 0, "\x01", 1, NS_FUNC, id, nm, &idx);
  } else if (k + 1 == d->n && is_list(&d->kids[k]) && d->kids[k].n && is_kw(&d->kids[k].kids[0], "alias")) {
    const wk_sx *x = &d->kids[k];
    if (x->n != 4 || !is_kw(&x->kids[1], "export") || !is_str(&x->kids[3])) {
      fail(c, x, "expected (alias export $i \"name\")%s", NULL);
    } else {
      uint32_t inst;
      if (!resolve(c, s, NS_INST, &x->kids[2], &inst))
        emit_export_alias(c, s, 0, inst, &x->kids[3], NS_FUNC, id, nm, &idx, d);
    }
  } else {
    /* typeuse then (canon lift ...) */
    const wk_sx *cl = &d->kids[d->n - 1];
    if (k >= d->n || !is_list(cl) || cl->n < 2 || !is_kw(&cl->kids[0], "canon") || !is_kw(&cl->kids[1], "lift")) {
      fail(c, d, "expected (canon lift ...)%s", NULL);
    } else {
      /* the type use is kids [k, n-1): view it as a list without the canon */
      wk_sx view = *d;
      view.n = d->n - 1;
      /* the inline map is keyed by `&view`, valid in this frame */
      if (!expand_typeuse(c, s, &view, k, 1)) {
        int ns;
        if (!canon_body(c, s, cl, 1, cl->n, &b, &ns, &view, k)) emit(c, s, E_CANON, &b, NS_FUNC, id, nm, &idx, d);
      }
    }
  }
  wk_buf_free(&b);
  for (uint32_t i = e0; i < e1 && !c->rc; i++) emit_pending_export(c, s, &d->kids[i], NS_FUNC, idx);
  return c->rc;
}

/* component-level export `(export $id? "name" (kind idx "n"*) <itemsig>?)` */
static int export_field(cx *c, scope *s, const wk_sx *d) {
  uint32_t k = 1;
  const wk_sx *id, *nm;
  id_name(d, &k, &id, &nm);
  wk_buf b = {0}, t = {0}, en = {0};
  int ns, tns;
  const wk_sx *tid, *tnm;
  uint32_t idx;
  if (put_externname_at(c, &en, d, &k)) goto out;
  if (k + 1 > d->n || k + 2 < d->n) {
    fail(c, d, "expected (export \"name\" (kind idx) (type)?)%s", NULL);
    goto out;
  }
  const wk_sx *ref = &d->kids[k], *asc = k + 1 < d->n ? &d->kids[k + 1] : NULL;
  /* wasm-tools resolves the ascribed type before the item */
  if (asc && (expand_itemsig(c, s, asc) || put_itemsig(c, s, &t, asc, &tns, &tid, &tnm))) goto out;
  if (comp_ref_list(c, s, ref, &ns, &idx)) goto out;
  wk_buf_append(&b, en.data, en.len);
  put_sort(&b, ns);
  wk_buf_uleb(&b, idx);
  if (asc) {
    wk_buf_byte(&b, WK_CT_PRESENT);
    wk_buf_append(&b, t.data, t.len);
  } else {
    wk_buf_byte(&b, WK_CT_ABSENT);
  }
  emit(c, s, E_EXPORT, &b, ns, id, nm, NULL, d);
out:
  wk_buf_free(&b);
  wk_buf_free(&t);
  wk_buf_free(&en);
  return c->rc;
}

/* bundle-of-exports component instance from kids [k..) */
static int comp_bundle(cx *c, scope *s, const wk_sx *l, uint32_t k, const wk_sx *id, const wk_sx *nm, uint32_t *out,
                       const wk_sx *at) {
  wk_buf items = {0};
  for (uint32_t i = k; i < l->n && !c->rc; i++) {
    const wk_sx *e = &l->kids[i];
    uint32_t j = 1;
    const wk_sx *eid, *enm;
    if (!is_list(e) || e->n < 3 || !is_kw(&e->kids[0], "export")) {
      fail(c, e, "expected (export \"name\" (kind idx))%s", NULL);
      break;
    }
    id_name(e, &j, &eid, &enm);
    wk_buf en = {0};
    if (put_externname_at(c, &en, e, &j) || (j + 1 != e->n && j + 2 != e->n)) {
      wk_buf_free(&en);
      fail(c, e, "expected (export \"name\" (kind idx))%s", NULL);
      break;
    }
    int ns;
    uint32_t idx;
    if (comp_ref_list(c, s, &e->kids[j], &ns, &idx)) {
      wk_buf_free(&en);
      break;
    }
    wk_buf_append(&items, en.data, en.len);
    wk_buf_free(&en);
    put_sort(&items, ns);
    wk_buf_uleb(&items, idx);
  }
  return bundle_emit(c, s, E_INST, NS_INST, &items, l->n - k, id, nm, out, at);
}

static int instance_field(cx *c, scope *s, const wk_sx *d) {
  const wk_sx *id, *nm;
  uint32_t e0, k = item_head(d, 1, &id, &nm, &e0), e1 = k, idx = 0;
  if (k < d->n && is_inline_named(&d->kids[k], "import")) {
    inline_import(c, s, d, k, 3, 0, "\x05", 1, NS_INST, id, nm, &idx);
  } else if (k < d->n && is_list(&d->kids[k]) && d->kids[k].n && is_kw(&d->kids[k].kids[0], "instantiate")) {
    const wk_sx *in = &d->kids[k];
    if (k + 1 != d->n || in->n < 2) return fail(c, d, "expected (instantiate $c (with ...)*)%s", NULL);
    for (uint32_t i = 2; i < in->n && !c->rc; i++) {
      const wk_sx *w = &in->kids[i];
      if (!is_list(w) || w->n != 3 || !is_kw(&w->kids[0], "with") || !is_str(&w->kids[1]) || !is_list(&w->kids[2]))
        return fail(c, w, "expected (with \"name\" (kind ...))%s", NULL);
      const wk_sx *a = &w->kids[2];
      if (a->n >= 1 && is_kw(&a->kids[0], "instance") && !(a->n >= 2 && is_idx(&a->kids[1]))) {
        uint32_t bi;
        if (comp_bundle(c, s, a, 1, NULL, NULL, &bi, a) || inl_put(c, a, bi)) return c->rc;
      }
    }
    uint32_t comp;
    const wk_sx *m = &in->kids[1];
    if (is_list(m)) {
      if (m->n < 2 || !is_kw(&m->kids[0], "component")) return fail(c, m, "expected a component reference%s", NULL);
      if (item_ref_at(c, s, NS_COMP, m, 1, &comp)) return c->rc;
    } else if (resolve(c, s, NS_COMP, m, &comp)) {
      return c->rc;
    }
    wk_buf b = {0};
    wk_buf_byte(&b, WK_CINST_INSTANTIATE);
    wk_buf_uleb(&b, comp);
    wk_buf_uleb(&b, in->n - 2);
    for (uint32_t i = 2; i < in->n && !c->rc; i++) {
      const wk_sx *w = &in->kids[i], *a = &w->kids[2];
      uint32_t ai;
      int ns = NS_INST;
      if (!inl_get(c, a, &ai) && comp_ref_list(c, s, a, &ns, &ai)) break;
      put_sx_str(&b, &w->kids[1]);
      put_sort(&b, ns);
      wk_buf_uleb(&b, ai);
    }
    if (!c->rc) emit(c, s, E_INST, &b, NS_INST, id, nm, &idx, d);
    wk_buf_free(&b);
  } else {
    comp_bundle(c, s, d, k, id, nm, &idx, d);
  }
  for (uint32_t i = e0; i < e1 && !c->rc; i++) emit_pending_export(c, s, &d->kids[i], NS_INST, idx);
  return c->rc;
}

static int start_field(cx *c, scope *s, const wk_sx *d) {
  if (d->n < 2) return fail(c, d, "expected (start $f ...)%s", NULL);
  uint32_t f, nargs = 0;
  wk_buf b = {0}, args = {0};
  if (resolve(c, s, NS_FUNC, &d->kids[1], &f)) return c->rc;
  uint32_t i = 2;
  for (; i < d->n && !c->rc; i++) {
    const wk_sx *a = &d->kids[i];
    if (is_list(a) && a->n && is_kw(&a->kids[0], "result")) break;
    uint32_t v;
    if (!is_list(a) || a->n < 2 || !is_kw(&a->kids[0], "value")) {
      fail(c, a, "expected (value idx)%s", NULL);
      break;
    }
    if (item_ref_at(c, s, NS_VALUE, a, 1, &v)) break;
    wk_buf_uleb(&args, v);
    nargs++;
  }
  uint32_t r0 = i;
  for (; i < d->n && !c->rc; i++) {
    const wk_sx *r = &d->kids[i];
    if (!is_list(r) || r->n != 2 || !is_kw(&r->kids[0], "result") || !is_list(&r->kids[1]) || !r->kids[1].n ||
        !is_kw(&r->kids[1].kids[0], "value"))
      fail(c, r, "expected (result (value $id?))%s", NULL);
  }
  if (!c->rc) {
    wk_buf_uleb(&b, f);
    wk_buf_uleb(&b, nargs);
    wk_buf_append(&b, args.data, args.len);
    wk_buf_uleb(&b, d->n - r0);
    raw_section(s, 9, &b);
    for (i = r0; i < d->n && !c->rc; i++) {
      const wk_sx *v = &d->kids[i].kids[1];
      const wk_sx *vid = v->n > 1 && v->kids[1].kind == WK_SX_ID ? &v->kids[1] : NULL;
      reg_ex(c, s, NS_VALUE, vid, NULL, NULL, 1);
    }
  }
  wk_buf_free(&b);
  wk_buf_free(&args);
  return c->rc;
}

static int custom_field(cx *c, scope *s, const wk_sx *d) {
  uint32_t k = 1;
  if (k >= d->n || !is_str(&d->kids[k])) return fail(c, d, "expected (@custom \"name\" \"data\"*)%s", NULL);
  wk_buf b = {0};
  put_sx_str(&b, &d->kids[k++]);
  for (; k < d->n; k++) {
    if (is_list(&d->kids[k])) continue; /* placement: meaningless in components */
    if (!is_str(&d->kids[k])) {
      fail(c, &d->kids[k], "expected a string%s", NULL);
      break;
    }
    wk_buf_append(&b, d->kids[k].text, d->kids[k].len);
  }
  if (!c->rc) raw_section(s, 0, &b);
  wk_buf_free(&b);
  return c->rc;
}

/* (@producers (language "n" "v") (processed-by ..) (sdk ..)): tool-conventions ProducersSection.md */
static int producers_field(cx *c, scope *s, const wk_sx *d) {
  static const char *const fields[3] = {"language", "sdk", "processed-by"};
  wk_buf b = {0};
  uint32_t nf = 0;
  for (uint32_t i = 1; i < d->n; i++) {
    const wk_sx *x = &d->kids[i];
    if (!is_list(x) || x->n != 3 || !is_str(&x->kids[1]) || !is_str(&x->kids[2]) ||
        !(is_kw(&x->kids[0], "language") || is_kw(&x->kids[0], "sdk") || is_kw(&x->kids[0], "processed-by")))
      return fail(c, x, "expected (language|sdk|processed-by \"name\" \"version\")%s", NULL);
  }
  for (int f = 0; f < 3; f++) {
    uint32_t n = 0;
    for (uint32_t i = 1; i < d->n; i++) n += is_kw(&d->kids[i].kids[0], fields[f]);
    if (n) nf++;
  }
  put_str(&b, "producers", 9);
  wk_buf_uleb(&b, nf);
  for (int f = 0; f < 3; f++) {
    uint32_t n = 0;
    for (uint32_t i = 1; i < d->n; i++) n += is_kw(&d->kids[i].kids[0], fields[f]);
    if (!n) continue;
    put_str(&b, fields[f], (uint32_t)strlen(fields[f]));
    wk_buf_uleb(&b, n);
    for (uint32_t i = 1; i < d->n; i++)
      if (is_kw(&d->kids[i].kids[0], fields[f])) {
        put_sx_str(&b, &d->kids[i].kids[1]);
        put_sx_str(&b, &d->kids[i].kids[2]);
      }
  }
  raw_section(s, 0, &b);
  wk_buf_free(&b);
  return c->rc;
}

static int is_annot(const wk_sx *x, const char *name) {
  size_t n = strlen(name);
  return is_list(x) && x->n && x->kids[0].kind == WK_SX_ANNOT && x->kids[0].len == n && !memcmp(x->kids[0].text, name, n);
}

static int nested_component(cx *c, scope *s, const wk_sx *d);

static int field(cx *c, scope *s, const wk_sx *d) {
  if (is_annot(d, "custom")) return custom_field(c, s, d);
  if (is_annot(d, "producers")) return producers_field(c, s, d);
  if (d->n && d->kids[0].kind == WK_SX_ANNOT) return 0; /* other annotations are ignored */
  if (!is_list(d) || !d->n) return fail(c, d, "expected a component field%s", NULL);
  const wk_sx *h = &d->kids[0];
  if (is_kw(h, "core")) {
    if (d->n < 2) return fail(c, d, "expected a core definition%s", NULL);
    const wk_sx *h2 = &d->kids[1];
    if (is_kw(h2, "module")) return core_module_field(c, s, d);
    if (is_kw(h2, "instance")) return core_instance_field(c, s, d);
    if (is_kw(h2, "func")) return core_func_field(c, s, d);
    if (is_kw(h2, "type")) {
      uint32_t k = 2;
      const wk_sx *id, *nm;
      id_name(d, &k, &id, &nm);
      if (k + 1 != d->n || !is_list(&d->kids[k]) || !d->kids[k].n) return fail(c, d, "expected one core type%s", NULL);
      const wk_sx *t = &d->kids[k];
      if (is_kw(&t->kids[0], "module")) return define_type(c, s, t, 1, 5, id, nm, NULL, d);
      return core_type_def(c, s, d, k, id, nm, 1, NULL);
    }
    if (is_kw(h2, "rec")) return core_rec(c, s, d, 2);
    return fail(c, d, "expected a core definition%s", NULL);
  }
  if (is_kw(h, "component")) return nested_component(c, s, d);
  if (is_kw(h, "instance")) return instance_field(c, s, d);
  if (is_kw(h, "alias")) return alias_field(c, s, d);
  if (is_kw(h, "type")) return type_field(c, s, d, 1, 1);
  if (is_kw(h, "import")) return extern_decl(c, s, d, E_IMPORT);
  if (is_kw(h, "func")) return func_field(c, s, d);
  if (is_kw(h, "export")) return export_field(c, s, d);
  if (is_kw(h, "start")) return start_field(c, s, d);
  if (is_kw(h, "canon")) return canon_field(c, s, d);
  return fail(c, d, "expected a component field%s", NULL);
}

/* one subsection of a name section: its id, size and contents *sub (freed) appended to p */
static void name_subsection(wk_buf *p, uint8_t id, wk_buf *sub) {
  wk_buf_byte(p, id);
  wk_buf_uleb(p, sub->len);
  wk_buf_append(p, sub->data, sub->len);
  wk_buf_free(sub);
}

/* component-name section (Binary.md "Name Section") */
static void name_section(scope *s, const wk_sx *id, const wk_sx *nm) {
  wk_buf p = {0};
  put_str(&p, "component-name", 14);
  int any = 0;
  if (nm || id) {
    const wk_sx *x = nm ? &nm->kids[1] : id;
    wk_buf sub = {0};
    put_sx_str(&sub, x);
    name_subsection(&p, WK_CNAMESUB_COMPONENT, &sub);
    any = 1;
  }
  for (int ns = 0; ns < NS_N; ns++) {
    namevec *v = &s->names[ns];
    if (!v->n) continue;
    wk_buf sub = {0};
    put_sort(&sub, ns);
    wk_buf_uleb(&sub, v->n);
    for (uint32_t i = 0; i < v->n; i++) {
      wk_buf_uleb(&sub, v->e[i].idx);
      put_str(&sub, v->e[i].s, v->e[i].len);
    }
    name_subsection(&p, WK_CNAMESUB_SORT, &sub);
    any = 1;
  }
  if (any) raw_section(s, 0, &p);
  wk_buf_free(&p);
}

/* The fields of a component (kids [k..) of `l`) -> whole binary in `out`. */
static int component_body(cx *c, scope *parent, const wk_sx *l, uint32_t k, const wk_sx *id, const wk_sx *nm,
                          wk_buf *out) {
  if (++c->depth > MAX_NEST) return fail(c, l, "components nested too deeply%s", NULL);
  scope s = {0};
  s.parent = parent, s.kind = SC_COMP, s.id = id, s.cur = -1;
  if (k < l->n && is_kw(&l->kids[k], "binary")) {
    binary_body(c, l, k, out);
  } else {
    component_fields(c, &s, l, k);
    if (!c->rc) {
      flush(&s);
      name_section(&s, id, nm);
      if (s.body.oom) oom(c);
      wk_buf_append(out, "\0asm\x0d\0\x01\0", 8);
      wk_buf_append(out, s.body.data, s.body.len);
    }
  }
  scope_free(&s);
  c->depth--;
  return c->rc;
}

static int component_fields(cx *c, scope *s, const wk_sx *l, uint32_t k) {
  for (uint32_t i = k; i < l->n && !c->rc; i++) {
    uint32_t mark = c->ninl;
    field(c, s, &l->kids[i]);
    c->ninl = mark;
  }
  /* inline `(export "x")`s: appended after the last field */
  for (uint32_t i = 0; i < s->npend && !c->rc; i++) {
    pexport *p = &s->pend[i];
    wk_buf b = {0};
    if (!put_externname(c, &b, p->name)) {
      put_sort(&b, p->ns);
      wk_buf_uleb(&b, p->idx);
      wk_buf_byte(&b, WK_CT_ABSENT);
      emit(c, s, E_EXPORT, &b, p->ns, NULL, NULL, NULL, p->name);
    }
    wk_buf_free(&b);
  }
  return c->rc;
}

static int nested_component(cx *c, scope *s, const wk_sx *d) {
  const wk_sx *id, *nm;
  uint32_t e0, k = item_head(d, 1, &id, &nm, &e0), e1 = k, idx = 0;
  if (k < d->n && is_inline_named(&d->kids[k], "import")) {
    inline_import(c, s, d, k, 2, 0, "\x04", 1, NS_COMP, id, nm, &idx);
  } else {
    wk_buf b = {0};
    if (!component_body(c, s, d, k, id, nm, &b)) {
      raw_section(s, 4, &b);
      reg(c, s, NS_COMP, id, nm, &idx);
    }
    wk_buf_free(&b);
  }
  for (uint32_t i = e0; i < e1 && !c->rc; i++) emit_pending_export(c, s, &d->kids[i], NS_COMP, idx);
  return c->rc;
}

int wk_wat_component(const wk_sx *list, uint32_t skip, const char *name, uint32_t name_len, wk_buf *out,
                     wk_error *err) {
  (void)name, (void)name_len;
  cx c = {0};
  c.err = err;
  if (!list || list->kind != WK_SX_LIST)
    return wk_error_set(err, WK_ERR_MALFORMED, "expected a (component ...) list");
  /* the $id and @name come from the list itself (the caller's skip covers the id) */
  uint32_t k = 1;
  const wk_sx *id, *nm;
  id_name(list, &k, &id, &nm);
  if (skip > k) k = skip;
  if (k < list->n && is_name_annot(&list->kids[k])) nm = &list->kids[k++];
  component_body(&c, NULL, list, k, id, nm, out);
  free(c.inls);
  if (!c.rc && out->oom) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  return c.rc;
}
