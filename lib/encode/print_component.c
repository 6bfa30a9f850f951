/*
 * Component text printer, in the layout of wasm-tools `print` (wasmprinter):
 * one definition per line, `(;N;)` index comments, `$name`s from the
 * component-name section (Binary.md "Name Section"), component and
 * instance types and instantiations spread over several lines.
 * Explainer.md gives the text format of every construct.
 */
#include "encode/encode.h"
#include "encode/print_internal.h"

#include <string.h>

enum { P_CFUNC, P_CTABLE, P_CMEM, P_CGLOBAL, P_CTAG, P_CTYPE, P_CMOD, P_CINST,
       P_FUNC, P_VALUE, P_TYPE, P_COMP, P_INST, P_N };

typedef struct pscope {
  struct pscope *parent;
  uint32_t count[P_N];
  const wk_cnames *names; /* component scopes only */
  uint8_t **dup;          /* per name map: 1 where an earlier index has the same name */
  int is_type;
} pscope;

typedef struct pr {
  wk_buf *out;
  wk_arena arena;
  wk_error *err;
} pr;

static int sort_index(wk_csort s) {
  if (s.sort == WK_CSORT_CORE) {
    switch (s.core_sort) {
      case WK_CCSORT_FUNC: return P_CFUNC;
      case WK_CCSORT_TABLE: return P_CTABLE;
      case WK_CCSORT_MEMORY: return P_CMEM;
      case WK_CCSORT_GLOBAL: return P_CGLOBAL;
      case WK_CCSORT_TAG: return P_CTAG;
      case WK_CCSORT_TYPE: return P_CTYPE;
      case WK_CCSORT_MODULE: return P_CMOD;
      case WK_CCSORT_INSTANCE: return P_CINST;
    }
    return P_CFUNC;
  }
  switch (s.sort) {
    case WK_CSORT_FUNC: return P_FUNC;
    case WK_CSORT_VALUE: return P_VALUE;
    case WK_CSORT_TYPE: return P_TYPE;
    case WK_CSORT_COMPONENT: return P_COMP;
    default: return P_INST;
  }
}

static const wk_cstr *lookup_dup(const pscope *sc, int space, uint32_t idx, int *dup) {
  *dup = 0;
  if (!sc->names) return NULL;
  for (uint32_t m = 0; m < sc->names->nmaps; m++) {
    const wk_cnamemap *map = &sc->names->maps[m];
    if (sort_index(map->sort) != space) continue;
    for (uint32_t i = 0; i < map->n; i++)
      if (map->names[i].idx == idx) {
        if (sc->dup && sc->dup[m]) *dup = sc->dup[m][i];
        return &map->names[i].name;
      }
  }
  return NULL;
}
static const wk_cstr *lookup(const pscope *sc, int space, uint32_t idx) {
  int dup;
  return lookup_dup(sc, space, idx, &dup);
}

static const char *space_kw(int space) {
  static const char *k[] = {"core-func", "core-table", "core-memory", "core-global", "core-tag", "core-type",
                            "core-module", "core-instance", "func", "value", "type", "component", "instance"};
  return k[space];
}

/* wasmprinter's form for a name already used by an earlier index of the
 * same space: `$"#type9 name"` (and `(@name "name")` at the definition). */
static void print_name(pr *p, int space, uint32_t idx, const wk_cstr *n, int dup, int def) {
  if (!dup) { wk_print_id(p->out, n->s, n->len); return; }
  wk_buf *tmp = p->out;
  wk_buf u = {0};
  wk_buf_printf(&u, "#%s%u ", space_kw(space), idx);
  wk_buf_append(&u, n->s, n->len);
  wk_buf_byte(tmp, '$');
  wk_print_str(tmp, (const char *)u.data, u.len);
  wk_buf_free(&u);
  if (def) {
    wk_buf_str(tmp, " (@name ");
    wk_print_str(tmp, n->s, n->len);
    wk_buf_byte(tmp, ')');
  }
}

static void ind(pr *p, int n) {
  for (int i = 0; i < n; i++) wk_buf_str(p->out, "  ");
}

/* `$name (;N;)` for a definition, and bump the counter. */
static void defname(pr *p, pscope *sc, int space) {
  uint32_t idx = sc->count[space]++;
  int dup;
  const wk_cstr *n = lookup_dup(sc, space, idx, &dup);
  if (n) {
    wk_buf_byte(p->out, ' ');
    print_name(p, space, idx, n, dup, 1);
  }
  wk_buf_printf(p->out, " (;%u;)", idx);
}

/* a reference: `$name` or the index */
static void ref(pr *p, const pscope *sc, int space, uint32_t idx) {
  int dup;
  const wk_cstr *n = lookup_dup(sc, space, idx, &dup);
  if (n) print_name(p, space, idx, n, dup, 0);
  else wk_buf_printf(p->out, "%u", idx);
}

static const char *prim_name(uint8_t b) {
  const char *n = wk_ct_prim_name(b);
  return n ? n : "?";
}

static void valtype(pr *p, const pscope *sc, wk_cvaltype v) {
  if (v.prim) wk_buf_str(p->out, prim_name(v.prim));
  else ref(p, sc, P_TYPE, v.idx);
}

const char *wk_csort_name(wk_csort s) {
  if (s.sort == WK_CSORT_CORE) {
    switch (s.core_sort) {
#define CSORT_NAME_(n, k, name) \
  case k: return "core " name;
      WK_CT_CORE_SORTS(CSORT_NAME_)
#undef CSORT_NAME_
    }
    return "core ?";
  }
  const char *name = wk_ct_sort_name(s.sort);
  if (name) return name;
  return "?";
}

/* An extern name (Binary.md "Import and Export Definitions"): the string,
 * then for the 0x02 form each attribute as `(implements "..")`,
 * `(versionsuffix "..")` or `(external-id "..")`, as wasmprinter writes them. */
/* An attribute value (an `external-id` is any Unicode string) as
 * wasmprinter's print_str writes it: printable ASCII other than `"` and `\`
 * as is, every other code point as `\u{hex}`. Input is UTF-8 (checked by
 * the decoder); a stray byte is written as its own code point. */
static void attr_str(wk_buf *b, const char *s, size_t n) {
  wk_buf_byte(b, '"');
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i];
    uint32_t cp = c;
    size_t len = 1;
    if (c >= 0xf0) len = 4, cp = c & 0x07;
    else if (c >= 0xe0) len = 3, cp = c & 0x0f;
    else if (c >= 0xc0) len = 2, cp = c & 0x1f;
    if (i + len > n) len = 1, cp = c;
    for (size_t k = 1; k < len; k++) cp = (cp << 6) | ((unsigned char)s[i + k] & 0x3f);
    if (cp >= 0x20 && cp < 0x7f && cp != '"' && cp != '\\') wk_buf_byte(b, (uint8_t)cp);
    else wk_buf_printf(b, "\\u{%x}", cp);
    i += len;
  }
  wk_buf_byte(b, '"');
}

static void name_attrs(pr *p, const wk_cname *n) {
  static const char *const kinds[3] = {"implements", "versionsuffix", "external-id"};
  wk_print_str(p->out, n->name.s, n->name.len);
  if (n->disc != WK_CNA_ATTRS) return;
  for (uint32_t i = 0; i < n->nattrs; i++) {
    const wk_cattr *a = &n->attrs[i];
    wk_buf_printf(p->out, " (%s ", a->kind < 3 ? kinds[a->kind] : "unknown-attribute");
    attr_str(p->out, a->value.s, a->value.len);
    wk_buf_byte(p->out, ')');
  }
}

static void ctype_inline(pr *p, pscope *sc, const wk_ctype *t, int depth);
static void decls(pr *p, pscope *parent, const wk_ctype *t, int depth);


/* GC core types kept as raw bytes: printed by print_core.c's reader with
 * this scope's names for type references. */
static void gc_ref_cb(wk_buf *b, uint32_t idx, void *ctx) {
  const pscope *sc = ctx;
  const wk_cstr *n = sc ? lookup(sc, P_CTYPE, idx) : NULL;
  if (n) wk_print_id(b, n->s, n->len);
  else wk_buf_printf(b, "%u", idx);
}

typedef wk_pcur gcr; /* print_internal.h */

static void gc_subtype(pr *p, const pscope *sc, gcr *g, int prefixed) {
  if (wk_print_gc_subtype(p->out, g->d, g->n, &g->p, prefixed, gc_ref_cb, (void *)sc)) g->bad = 1;
}

/* Print a raw core type definition. `kw` is "core type" (component scope)
 * or "type" (module type); `counter` numbers the defined types. */
static void gc_typedef(pr *p, pscope *sc, const wk_coretype *t, int depth, const char *kw, uint32_t *counter,
                       int top) {
  gcr g = {.d = (const uint8_t *)t->raw.s, .n = t->raw.len};
  const pscope *names = sc;
  if (g.n && g.d[0] == 0x4e) { /* core rec (Core 3.0 5.3.7) */
    g.p = 1;
    int64_t cnt = wk_pcur_leb(&g, 0);
    wk_buf_str(p->out, top ? "(core rec" : "(rec");
    if (cnt <= 0) { wk_buf_byte(p->out, ')'); return; }
    wk_buf_byte(p->out, '\n');
    for (int64_t i = 0; i < cnt && !g.bad; i++) {
      ind(p, depth + 1);
      wk_buf_str(p->out, "(type");
      if (counter) wk_buf_printf(p->out, " (;%u;)", (*counter)++);
      else defname(p, sc, P_CTYPE);
      wk_buf_byte(p->out, ' ');
      gc_subtype(p, names, &g, 0);
      wk_buf_str(p->out, ")\n");
    }
    ind(p, depth);
    wk_buf_byte(p->out, ')');
    return;
  }
  wk_buf_printf(p->out, "(%s", kw);
  if (counter) wk_buf_printf(p->out, " (;%u;)", (*counter)++);
  else defname(p, sc, P_CTYPE);
  wk_buf_byte(p->out, ' ');
  gc_subtype(p, names, &g, top);
  wk_buf_byte(p->out, ')');
}

static void coretype_def(pr *p, pscope *sc, const wk_coretype *t, int depth, int in_module);

/* core externtype inside a module type: `(func (type N))`, `(memory 1)`, ... */
static void core_extern(pr *p, const wk_coreextern *e, uint32_t idx, int with_idx) {
  wk_buf_printf(p->out, "(%s", e->kind <= WK_CCSORT_TAG ? wk_ct_core_sort_name(e->kind) : "?"); /* core:sort = core externtype kind */
  if (with_idx) wk_buf_printf(p->out, " (;%u;)", idx);
  switch (e->kind) {
    case 0: wk_buf_printf(p->out, " (type %u)", e->idx); break;
    case 4: wk_buf_printf(p->out, " (type %u)", e->idx); break;
    case 1:
    case 2:
      if (e->lim.flags & 4) wk_buf_str(p->out, " i64");
      wk_buf_printf(p->out, " %llu", (unsigned long long)e->lim.min);
      if (e->lim.flags & 1) wk_buf_printf(p->out, " %llu", (unsigned long long)e->lim.max);
      if (e->lim.flags & 2) wk_buf_str(p->out, " shared");
      if (e->kind == 1 && e->valtype.len == 1) {
        wk_buf_byte(p->out, ' ');
        wk_print_core_valtype(p->out, (uint8_t)e->valtype.s[0]);
      }
      break;
    case 3:
      wk_buf_byte(p->out, ' ');
      if (e->mut) wk_buf_str(p->out, "(mut ");
      if (e->valtype.len == 1) wk_print_core_valtype(p->out, (uint8_t)e->valtype.s[0]);
      if (e->mut) wk_buf_byte(p->out, ')');
      break;
  }
  wk_buf_byte(p->out, ')');
}

static void coretype_def(pr *p, pscope *sc, const wk_coretype *t, int depth, int in_module) {
  if (t->code == WK_CTC_CORE_FUNC) {
    wk_buf_str(p->out, "(func");
    if (t->nparams) {
      wk_buf_str(p->out, " (param");
      for (uint32_t i = 0; i < t->nparams; i++) { wk_buf_byte(p->out, ' '); wk_print_core_valtype(p->out, t->params[i]); }
      wk_buf_byte(p->out, ')');
    }
    if (t->nresults) {
      wk_buf_str(p->out, " (result");
      for (uint32_t i = 0; i < t->nresults; i++) { wk_buf_byte(p->out, ' '); wk_print_core_valtype(p->out, t->results[i]); }
      wk_buf_byte(p->out, ')');
    }
    wk_buf_byte(p->out, ')');
    return;
  }
  if (t->code == WK_CTC_CORE_MODULE) {
    if (!t->ndecls) { wk_buf_str(p->out, "(module)"); return; }
    wk_buf_str(p->out, "(module\n");
    uint32_t ntypes = 0, counts[5] = {0};
    (void)counts;
    for (uint32_t i = 0; i < t->ndecls; i++) {
      const wk_coredecl *d = &t->decls[i];
      ind(p, depth + 1);
      switch (d->kind) {
        case WK_CMODDECL_IMPORT:
          wk_buf_str(p->out, "(import ");
          wk_print_str(p->out, d->module.s, d->module.len);
          wk_buf_byte(p->out, ' ');
          wk_print_str(p->out, d->name.s, d->name.len);
          wk_buf_byte(p->out, ' ');
          core_extern(p, &d->ext, d->ext.kind < 5 ? counts[d->ext.kind]++ : 0, 0);
          wk_buf_byte(p->out, ')');
          break;
        case WK_CMODDECL_TYPE:
          if (d->type->code == 0) {
            gc_typedef(p, NULL, d->type, depth + 1, "type", &ntypes, 0);
            break;
          }
          wk_buf_printf(p->out, "(type (;%u;) ", ntypes++);
          coretype_def(p, sc, d->type, depth + 1, 1);
          wk_buf_byte(p->out, ')');
          break;
        case 2: {
          /* count 0 is the module type itself; 1 the scope defining it */
          const pscope *t = d->alias_ct ? sc : NULL;
          for (uint32_t k = 1; k < d->alias_ct && t; k++) t = t->parent;
          wk_buf_str(p->out, "(alias outer ");
          if (t && t->names && t->names->has_name) wk_print_id(p->out, t->names->name.s, t->names->name.len);
          else wk_buf_printf(p->out, "%u", d->alias_ct);
          wk_buf_byte(p->out, ' ');
          if (t) ref(p, t, P_CTYPE, d->alias_idx);
          else wk_buf_printf(p->out, "%u", d->alias_idx);
          wk_buf_printf(p->out, " (type (;%u;)))", ntypes++);
          break;
        }
        case WK_CMODDECL_EXPORT:
          wk_buf_str(p->out, "(export ");
          wk_print_str(p->out, d->name.s, d->name.len);
          wk_buf_byte(p->out, ' ');
          core_extern(p, &d->ext, 0, 0);
          wk_buf_byte(p->out, ')');
          break;
      }
      wk_buf_byte(p->out, '\n');
    }
    ind(p, depth);
    wk_buf_byte(p->out, ')');
    return;
  }
  (void)in_module;
  wk_print_raw_coretype(p->out, (const uint8_t *)t->raw.s, t->raw.len);
}

static void externtype(pr *p, pscope *sc, const wk_cextern *e, int space_for_def) {
  /* `(func (;N;) (type T))` etc.; the definition index is printed by the caller through defname */
  (void)space_for_def;
  switch (e->kind) {
    case WK_CSORT_CORE: wk_buf_str(p->out, " (type "); ref(p, sc, P_CTYPE, e->idx); wk_buf_byte(p->out, ')'); break;
    case WK_CSORT_FUNC: case WK_CSORT_COMPONENT: case WK_CSORT_INSTANCE: wk_buf_str(p->out, " (type "); ref(p, sc, P_TYPE, e->idx); wk_buf_byte(p->out, ')'); break;
    case WK_CSORT_VALUE:
      if (e->bound == WK_CVBOUND_EQ) { wk_buf_str(p->out, " (eq "); ref(p, sc, P_VALUE, e->idx); wk_buf_byte(p->out, ')'); }
      else { wk_buf_byte(p->out, ' '); valtype(p, sc, e->vt); }
      break;
    case WK_CSORT_TYPE:
      if (e->bound == WK_CBOUND_EQ) { wk_buf_str(p->out, " (eq "); ref(p, sc, P_TYPE, e->idx); wk_buf_byte(p->out, ')'); }
      else wk_buf_str(p->out, " (sub resource)");
      break;
  }
}

static int extern_space(uint8_t kind) {
  switch (kind) {
    case WK_CSORT_CORE: return P_CMOD;
    case WK_CSORT_FUNC: return P_FUNC;
    case WK_CSORT_VALUE: return P_VALUE;
    case WK_CSORT_TYPE: return P_TYPE;
    case WK_CSORT_COMPONENT: return P_COMP;
    default: return P_INST;
  }
}
static const char *extern_kw(uint8_t kind) {
  if (kind == WK_CSORT_CORE) return "core module"; /* externtype 0x00 0x11 */
  const char *name = wk_ct_sort_name(kind);
  return name ? name : "?";
}

/* `(import "n" (func $f (;0;) (type 0)))` / the same with `export` in types */
static void import_like(pr *p, pscope *sc, const char *kw, const wk_cname *n, const wk_cextern *e, int export_idx) {
  wk_buf_printf(p->out, "(%s", kw);
  if (export_idx) {
    /* export declarations: `(export (;N;) "name" (func (type T)))` */
    defname(p, sc, extern_space(e->kind));
    wk_buf_byte(p->out, ' ');
    name_attrs(p, n);
    wk_buf_printf(p->out, " (%s", extern_kw(e->kind));
  } else {
    wk_buf_byte(p->out, ' ');
    name_attrs(p, n);
    wk_buf_printf(p->out, " (%s", extern_kw(e->kind));
    defname(p, sc, extern_space(e->kind));
  }
  externtype(p, sc, e, 0);
  wk_buf_str(p->out, "))");
}

static void alias(pr *p, pscope *sc, const wk_calias *a) {
  int space = sort_index(a->sort);
  if (a->target == WK_CALIAS_EXPORT) {
    wk_buf_str(p->out, "(alias export ");
    ref(p, sc, P_INST, a->inst);
    wk_buf_byte(p->out, ' ');
    wk_print_str(p->out, a->name.s, a->name.len);
  } else if (a->target == WK_CALIAS_CORE_EXPORT) {
    wk_buf_str(p->out, "(alias core export ");
    ref(p, sc, P_CINST, a->inst);
    wk_buf_byte(p->out, ' ');
    wk_print_str(p->out, a->name.s, a->name.len);
  } else {
    wk_buf_str(p->out, "(alias outer ");
    const pscope *t = sc;
    for (uint32_t k = 0; k < a->inst && t; k++) t = t->parent;
    if (t && t->names && t->names->has_name) wk_print_id(p->out, t->names->name.s, t->names->name.len);
    else wk_buf_printf(p->out, "%u", a->inst);
    wk_buf_byte(p->out, ' ');
    if (t) ref(p, t, space, a->idx);
    else wk_buf_printf(p->out, "%u", a->idx);
  }
  wk_buf_printf(p->out, " (%s", wk_csort_name(a->sort));
  defname(p, sc, space);
  wk_buf_str(p->out, "))");
}

static void ctype_inline(pr *p, pscope *sc, const wk_ctype *t, int depth) {
  uint8_t c = t->code;
  if (wk_ct_is_prim(c)) { wk_buf_str(p->out, prim_name(c)); return; }
  switch (c) {
    case WK_CTC_RECORD:
      wk_buf_str(p->out, "(record");
      for (uint32_t i = 0; i < t->n; i++) {
        wk_buf_str(p->out, " (field ");
        wk_print_str(p->out, t->fields[i].name.s, t->fields[i].name.len);
        wk_buf_byte(p->out, ' ');
        valtype(p, sc, t->fields[i].type);
        wk_buf_byte(p->out, ')');
      }
      wk_buf_byte(p->out, ')');
      return;
    case WK_CTC_VARIANT:
      wk_buf_str(p->out, "(variant");
      for (uint32_t i = 0; i < t->n; i++) {
        wk_buf_str(p->out, " (case ");
        wk_print_str(p->out, t->fields[i].name.s, t->fields[i].name.len);
        if (t->fields[i].has_type) { wk_buf_byte(p->out, ' '); valtype(p, sc, t->fields[i].type); }
        if (t->fields[i].has_refines) wk_buf_printf(p->out, " (refines %u)", t->fields[i].refines);
        wk_buf_byte(p->out, ')');
      }
      wk_buf_byte(p->out, ')');
      return;
    case WK_CTC_LIST: wk_buf_str(p->out, "(list "); valtype(p, sc, t->a); wk_buf_byte(p->out, ')'); return;
    case WK_CTC_FIXED_LIST: wk_buf_str(p->out, "(list "); valtype(p, sc, t->a); wk_buf_printf(p->out, " %u)", t->idx); return;
    case WK_CTC_TUPLE:
      wk_buf_str(p->out, "(tuple");
      for (uint32_t i = 0; i < t->n; i++) { wk_buf_byte(p->out, ' '); valtype(p, sc, t->fields[i].type); }
      wk_buf_byte(p->out, ')');
      return;
    case WK_CTC_FLAGS: case WK_CTC_ENUM:
      wk_buf_str(p->out, c == WK_CTC_FLAGS ? "(flags" : "(enum");
      for (uint32_t i = 0; i < t->n; i++) { wk_buf_byte(p->out, ' '); wk_print_str(p->out, t->fields[i].name.s, t->fields[i].name.len); }
      wk_buf_byte(p->out, ')');
      return;
    case WK_CTC_OPTION: wk_buf_str(p->out, "(option "); valtype(p, sc, t->a); wk_buf_byte(p->out, ')'); return;
    case WK_CTC_RESULT:
      wk_buf_str(p->out, "(result");
      if (t->has_a) { wk_buf_byte(p->out, ' '); valtype(p, sc, t->a); }
      if (t->has_b) { wk_buf_str(p->out, " (error "); valtype(p, sc, t->b); wk_buf_byte(p->out, ')'); }
      wk_buf_byte(p->out, ')');
      return;
    case WK_CTC_OWN: case WK_CTC_BORROW:
      wk_buf_str(p->out, c == WK_CTC_OWN ? "(own " : "(borrow ");
      ref(p, sc, P_TYPE, t->idx);
      wk_buf_byte(p->out, ')');
      return;
    case WK_CTC_STREAM: case WK_CTC_FUTURE:
      wk_buf_str(p->out, c == WK_CTC_STREAM ? "(stream" : "(future");
      if (t->has_a) { wk_buf_byte(p->out, ' '); valtype(p, sc, t->a); }
      wk_buf_byte(p->out, ')');
      return;
    case WK_CTC_MAP:
      wk_buf_str(p->out, "(map ");
      valtype(p, sc, t->a);
      wk_buf_byte(p->out, ' ');
      valtype(p, sc, t->b);
      wk_buf_byte(p->out, ')');
      return;
    case WK_CTC_FUNC: case WK_CTC_ASYNC_FUNC:
      wk_buf_str(p->out, c == WK_CTC_ASYNC_FUNC ? "(func async" : "(func");
      for (uint32_t i = 0; i < t->n; i++) {
        wk_buf_str(p->out, " (param ");
        wk_print_str(p->out, t->fields[i].name.s, t->fields[i].name.len);
        wk_buf_byte(p->out, ' ');
        valtype(p, sc, t->fields[i].type);
        wk_buf_byte(p->out, ')');
      }
      if (!t->results_none) { wk_buf_str(p->out, " (result "); valtype(p, sc, t->a); wk_buf_byte(p->out, ')'); }
      for (uint32_t i = 0; i < t->nresults; i++) {
        wk_buf_str(p->out, " (result ");
        wk_print_str(p->out, t->results[i].name.s, t->results[i].name.len);
        wk_buf_byte(p->out, ' ');
        valtype(p, sc, t->results[i].type);
        wk_buf_byte(p->out, ')');
      }
      wk_buf_byte(p->out, ')');
      return;
    case WK_CTC_RESOURCE:
      wk_buf_str(p->out, "(resource (rep i32)");
      if (t->has_dtor) { wk_buf_str(p->out, " (dtor "); ref(p, sc, P_CFUNC, t->dtor); wk_buf_byte(p->out, ')'); }
      wk_buf_byte(p->out, ')');
      return;
    case WK_CTC_COMPONENT: case WK_CTC_INSTANCE:
      decls(p, sc, t, depth);
      return;
  }
}

/* component / instance type bodies */
static void decls(pr *p, pscope *parent, const wk_ctype *t, int depth) {
  const char *kw = t->code == WK_CTC_COMPONENT ? "component" : "instance";
  if (!t->ndecls) { wk_buf_printf(p->out, "(%s)", kw); return; }
  wk_buf_printf(p->out, "(%s\n", kw);
  pscope sc;
  memset(&sc, 0, sizeof sc);
  sc.parent = parent;
  sc.is_type = 1;
  for (uint32_t i = 0; i < t->ndecls; i++) {
    const wk_cdecl *d = &t->decls[i];
    ind(p, depth + 1);
    switch (d->kind) {
      case WK_CDECL_CORE_TYPE:
        if (d->coretype->code == 0) {
          gc_typedef(p, &sc, d->coretype, depth + 1, "core type", NULL, 1);
          break;
        }
        wk_buf_str(p->out, "(core type");
        defname(p, &sc, P_CTYPE);
        if (d->coretype->code == WK_CTC_CORE_MODULE) {
          wk_buf_byte(p->out, '\n');
          ind(p, depth + 2);
          coretype_def(p, &sc, d->coretype, depth + 2, 0);
          wk_buf_byte(p->out, '\n');
          ind(p, depth + 1);
          wk_buf_byte(p->out, ')');
        } else {
          wk_buf_byte(p->out, ' ');
          coretype_def(p, &sc, d->coretype, depth + 1, 0);
          wk_buf_byte(p->out, ')');
        }
        break;
      case 1:
        wk_buf_str(p->out, "(type");
        defname(p, &sc, P_TYPE);
        if (d->type->code == WK_CTC_COMPONENT || d->type->code == WK_CTC_INSTANCE) {
          wk_buf_byte(p->out, '\n');
          ind(p, depth + 2);
          ctype_inline(p, &sc, d->type, depth + 2);
          wk_buf_byte(p->out, '\n');
          ind(p, depth + 1);
          wk_buf_byte(p->out, ')');
        } else {
          wk_buf_byte(p->out, ' ');
          ctype_inline(p, &sc, d->type, depth + 1);
          wk_buf_byte(p->out, ')');
        }
        break;
      case WK_CDECL_ALIAS: alias(p, &sc, &d->alias); break;
      case WK_CDECL_IMPORT: import_like(p, &sc, "import", &d->name, &d->ext, 0); break;
      case WK_CDECL_EXPORT: import_like(p, &sc, "export", &d->name, &d->ext, 1); break;
    }
    wk_buf_byte(p->out, '\n');
  }
  ind(p, depth);
  wk_buf_byte(p->out, ')');
}

static void canon_opts(pr *p, pscope *sc, const wk_ccanon *c) {
  for (uint32_t i = 0; i < c->nopts; i++) {
    const wk_copt *o = &c->opts[i];
    switch (o->code) {
      case WK_COPT_UTF8: wk_buf_str(p->out, " string-encoding=utf8"); break;
      case WK_COPT_UTF16: wk_buf_str(p->out, " string-encoding=utf16"); break;
      case WK_COPT_LATIN1_UTF16: wk_buf_str(p->out, " string-encoding=latin1+utf16"); break;
      case WK_COPT_MEMORY: wk_buf_str(p->out, " (memory "); ref(p, sc, P_CMEM, o->idx); wk_buf_byte(p->out, ')'); break;
      case WK_COPT_REALLOC: wk_buf_str(p->out, " (realloc "); ref(p, sc, P_CFUNC, o->idx); wk_buf_byte(p->out, ')'); break;
      case WK_COPT_POST_RETURN: wk_buf_str(p->out, " (post-return "); ref(p, sc, P_CFUNC, o->idx); wk_buf_byte(p->out, ')'); break;
      case WK_COPT_ASYNC: wk_buf_str(p->out, " async"); break;
      case WK_COPT_CALLBACK: wk_buf_str(p->out, " (callback "); ref(p, sc, P_CFUNC, o->idx); wk_buf_byte(p->out, ')'); break;
    }
  }
}

static void canon(pr *p, pscope *sc, const wk_ccanon *c) {
  if (c->op == WK_CANON_LIFT) {
    wk_buf_str(p->out, "(func");
    defname(p, sc, P_FUNC);
    wk_buf_str(p->out, " (type ");
    ref(p, sc, P_TYPE, c->type);
    wk_buf_str(p->out, ") (canon lift (core func ");
    ref(p, sc, P_CFUNC, c->func);
    wk_buf_byte(p->out, ')');
    canon_opts(p, sc, c);
    wk_buf_str(p->out, "))");
    return;
  }
  wk_buf_str(p->out, "(core func");
  defname(p, sc, P_CFUNC);
  wk_buf_str(p->out, " (canon ");
  switch (c->op) {
    case WK_CANON_LOWER:
      wk_buf_str(p->out, "lower (func ");
      ref(p, sc, P_FUNC, c->func);
      wk_buf_byte(p->out, ')');
      canon_opts(p, sc, c);
      break;
    case WK_CANON_RESOURCE_NEW: case WK_CANON_RESOURCE_DROP: case WK_CANON_RESOURCE_REP: case WK_CANON_RESOURCE_DROP_ASYNC:
      wk_buf_printf(p->out, "%s ", wk_ct_canon_name(c->op));
      ref(p, sc, P_TYPE, c->type);
      if (c->op == WK_CANON_RESOURCE_DROP_ASYNC) wk_buf_str(p->out, " async");
      break;
    default:
      wk_buf_printf(p->out, "builtin-0x%02x", c->op);
      break;
  }
  wk_buf_str(p->out, "))");
}

static int print_comp(pr *p, pscope *parent, const wk_component *c, int depth, int nested);

static int is_component_name(const wk_csection *s) {
  return s->id == WK_CSEC_CUSTOM && s->custom_name.len == 14 && !memcmp(s->custom_name.s, "component-name", 14);
}

static int print_section(pr *p, pscope *sc, const wk_csection *s, int depth) {
  switch (s->id) {
    case WK_CSEC_CUSTOM:
      /* component-name is applied to the definitions; producers print as
       * `(@producers ...)` (tool-conventions ProducersSection.md) */
      if (s->custom_name.len == 9 && !memcmp(s->custom_name.s, "producers", 9)) {
        wk_producers prod;
        wk_error pe;
        if (wk_producers_parse((const uint8_t *)s->custom_data.s, s->custom_data.len, 0, &p->arena, &prod, &pe) == WK_OK) {
          ind(p, depth);
          wk_buf_str(p->out, "(@producers\n");
          for (uint32_t f = 0; f < prod.n; f++)
            for (uint32_t k = 0; k < prod.fields[f].n; k++) {
              ind(p, depth + 1);
              wk_buf_byte(p->out, '(');
              wk_buf_append(p->out, prod.fields[f].name.s, prod.fields[f].name.len);
              wk_buf_byte(p->out, ' ');
              wk_print_str(p->out, prod.fields[f].values[k].name.s, prod.fields[f].values[k].name.len);
              wk_buf_byte(p->out, ' ');
              wk_print_str(p->out, prod.fields[f].values[k].version.s, prod.fields[f].values[k].version.len);
              wk_buf_str(p->out, ")\n");
            }
          ind(p, depth);
          wk_buf_str(p->out, ")\n");
          return 0;
        }
      }
      if (is_component_name(s)) return 0;
      /* any other custom section: `(@custom "name" "bytes")` (the annotations
       * proposal's custom-section form; components have no placement) */
      ind(p, depth);
      wk_buf_str(p->out, "(@custom ");
      wk_print_str(p->out, s->custom_name.s, s->custom_name.len);
      wk_buf_str(p->out, " \"");
      for (uint32_t k = 0; k < s->custom_data.len; k++) {
        uint8_t ch = (uint8_t)s->custom_data.s[k];
        if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\') wk_buf_byte(p->out, ch);
        else wk_buf_printf(p->out, "\\%02x", ch);
      }
      wk_buf_str(p->out, "\")\n");
      return 0;
    case WK_CSEC_CORE_MODULE: {
      ind(p, depth);
      wk_buf_str(p->out, "(core module");
      defname(p, sc, P_CMOD);
      size_t mark = p->out->len;
      wk_buf_byte(p->out, '\n');
      if (wk_coremod_print(s->u.module.bytes, s->u.module.len, depth + 1, p->out, p->err)) {
        if (p->err) p->err->offset += s->u.module.offset;
        return -1;
      }
      if (p->out->len == mark + 1) p->out->len = mark; /* empty module: `(core module (;0;))` */
      else ind(p, depth);
      wk_buf_str(p->out, ")\n");
      return 0;
    }
    case WK_CSEC_COMPONENT: return print_comp(p, sc, s->u.component, depth, 1);
    default: break;
  }
  for (uint32_t i = 0; i < s->count || (s->id == WK_CSEC_START && i == 0); i++) {
    ind(p, depth);
    switch (s->id) {
      case WK_CSEC_CORE_INSTANCE: case WK_CSEC_INSTANCE: {
        const wk_cinstance *in = s->id == WK_CSEC_CORE_INSTANCE ? &s->u.core_instances[i] : &s->u.instances[i];
        int core = s->id == WK_CSEC_CORE_INSTANCE;
        wk_buf_str(p->out, core ? "(core instance" : "(instance");
        defname(p, sc, core ? P_CINST : P_INST);
        if (in->kind == WK_CINST_INSTANTIATE) {
          wk_buf_str(p->out, " (instantiate ");
          ref(p, sc, core ? P_CMOD : P_COMP, in->target);
          if (!in->n) { wk_buf_str(p->out, "))"); break; }
          wk_buf_byte(p->out, '\n');
          for (uint32_t k = 0; k < in->n; k++) {
            const wk_cinstarg *a = &in->args[k];
            ind(p, depth + 2);
            wk_buf_str(p->out, "(with ");
            wk_print_str(p->out, a->name.name.s, a->name.name.len);
            if (core) {
              wk_buf_str(p->out, " (instance ");
              ref(p, sc, P_CINST, a->idx);
            } else {
              wk_buf_printf(p->out, " (%s ", wk_csort_name(a->sort));
              ref(p, sc, sort_index(a->sort), a->idx);
            }
            wk_buf_str(p->out, "))\n");
          }
          ind(p, depth + 1);
          wk_buf_str(p->out, ")\n");
          ind(p, depth);
          wk_buf_byte(p->out, ')');
        } else {
          if (!in->n) { wk_buf_byte(p->out, ')'); break; }
          wk_buf_byte(p->out, '\n');
          for (uint32_t k = 0; k < in->n; k++) {
            const wk_cinstarg *a = &in->args[k];
            ind(p, depth + 1);
            wk_buf_str(p->out, "(export ");
            if (core) wk_print_str(p->out, a->name.name.s, a->name.name.len);
            else name_attrs(p, &a->name); /* a bag of exports' names carry attributes too */
            if (core) {
              uint8_t cs = a->sort.core_sort;
              const char *ck = wk_ct_core_sort_name(cs);
              wk_buf_printf(p->out, " (%s ", ck ? ck : "instance");
              ref(p, sc, sort_index((wk_csort){WK_CSORT_CORE, cs}), a->idx);
            } else {
              wk_buf_printf(p->out, " (%s ", wk_csort_name(a->sort));
              ref(p, sc, sort_index(a->sort), a->idx);
            }
            wk_buf_str(p->out, "))\n");
          }
          ind(p, depth);
          wk_buf_byte(p->out, ')');
        }
        break;
      }
      case WK_CSEC_CORE_TYPE: {
        const wk_coretype *t = &s->u.core_types[i];
        if (t->code == 0) {
          gc_typedef(p, sc, t, depth, "core type", NULL, 1);
          break;
        }
        wk_buf_str(p->out, "(core type");
        defname(p, sc, P_CTYPE);
        if (t->code == WK_CTC_CORE_MODULE) {
          wk_buf_byte(p->out, '\n');
          ind(p, depth + 1);
          coretype_def(p, sc, t, depth + 1, 0);
          wk_buf_byte(p->out, '\n');
          ind(p, depth);
          wk_buf_byte(p->out, ')');
        } else {
          wk_buf_byte(p->out, ' ');
          coretype_def(p, sc, t, depth, 0);
          wk_buf_byte(p->out, ')');
        }
        break;
      }
      case WK_CSEC_ALIAS: alias(p, sc, &s->u.aliases[i]); break;
      case WK_CSEC_TYPE: {
        const wk_ctype *t = &s->u.types[i];
        wk_buf_str(p->out, "(type");
        defname(p, sc, P_TYPE);
        if (t->code == WK_CTC_COMPONENT || t->code == WK_CTC_INSTANCE) {
          wk_buf_byte(p->out, '\n');
          ind(p, depth + 1);
          ctype_inline(p, sc, t, depth + 1);
          wk_buf_byte(p->out, '\n');
          ind(p, depth);
          wk_buf_byte(p->out, ')');
        } else {
          wk_buf_byte(p->out, ' ');
          ctype_inline(p, sc, t, depth);
          wk_buf_byte(p->out, ')');
        }
        break;
      }
      case WK_CSEC_CANON: canon(p, sc, &s->u.canons[i]); break;
      case WK_CSEC_START: {
        const wk_cstart *st = &s->u.start;
        /* the result count is a bare u32, not backed by bytes: bound the output */
        if (st->nresults > 65536) {
          wk_error_at(p->err, WK_ERR_UNSUPPORTED, s->offset, "start definition with %u results", st->nresults);
          return -1;
        }
        wk_buf_str(p->out, "(start ");
        ref(p, sc, P_FUNC, st->func);
        for (uint32_t k = 0; k < st->nargs; k++) { wk_buf_str(p->out, " (value "); ref(p, sc, P_VALUE, st->args[k]); wk_buf_byte(p->out, ')'); }
        for (uint32_t k = 0; k < st->nresults; k++) { wk_buf_str(p->out, " (result (value"); defname(p, sc, P_VALUE); wk_buf_str(p->out, "))"); }
        wk_buf_byte(p->out, ')');
        break;
      }
      case WK_CSEC_IMPORT: import_like(p, sc, "import", &s->u.imports[i].name, &s->u.imports[i].ext, 0); break;
      case WK_CSEC_EXPORT: {
        const wk_cexport *e = &s->u.exports[i];
        int space = sort_index(e->sort);
        wk_buf_str(p->out, "(export");
        defname(p, sc, space);
        wk_buf_byte(p->out, ' ');
        name_attrs(p, &e->name);
        wk_buf_printf(p->out, " (%s ", wk_csort_name(e->sort));
        ref(p, sc, space, e->idx);
        wk_buf_byte(p->out, ')');
        if (e->has_type) {
          wk_buf_printf(p->out, " (%s", extern_kw(e->ext.kind));
          externtype(p, sc, &e->ext, 0);
          wk_buf_byte(p->out, ')');
        }
        wk_buf_byte(p->out, ')');
        break;
      }
      case WK_CSEC_VALUE:
        wk_buf_str(p->out, "(value");
        defname(p, sc, P_VALUE);
        wk_buf_byte(p->out, ' ');
        valtype(p, sc, s->u.values[i].type);
        wk_buf_str(p->out, " (;raw;))");
        break;
    }
    wk_buf_byte(p->out, '\n');
    if (s->id == WK_CSEC_START) break;
  }
  return 0;
}

static int print_comp(pr *p, pscope *parent, const wk_component *c, int depth, int nested) {
  wk_cnames *names = wk_arena_alloc(&p->arena, sizeof *names);
  if (!names) return wk_error_set(p->err, WK_ERR_NOMEM, "out of memory"), -1;
  for (uint32_t i = 0; i < c->nsections; i++) {
    const wk_csection *s = &c->sections[i];
    if (s->id == 0 && s->custom_name.len == 14 && !memcmp(s->custom_name.s, "component-name", 14)) {
      wk_error e;
      if (wk_cnames_parse((const uint8_t *)s->custom_data.s, s->custom_data.len, &p->arena, names, &e))
        memset(names, 0, sizeof *names);
    }
  }
  pscope sc;
  memset(&sc, 0, sizeof sc);
  sc.parent = parent;
  sc.names = names;
  if (names->nmaps) {
    sc.dup = wk_arena_alloc(&p->arena, names->nmaps * sizeof *sc.dup);
    for (uint32_t m = 0; sc.dup && m < names->nmaps; m++) {
      const wk_cnamemap *map = &names->maps[m];
      if (map->n > 4000) continue; /* quadratic check: skip pathological maps */
      sc.dup[m] = wk_arena_alloc(&p->arena, map->n + 1);
      for (uint32_t i = 0; sc.dup[m] && i < map->n; i++)
        for (uint32_t j = 0; j < map->n; j++)
          if (map->names[j].idx < map->names[i].idx && map->names[j].name.len == map->names[i].name.len &&
              !memcmp(map->names[j].name.s, map->names[i].name.s, map->names[i].name.len)) {
            sc.dup[m][i] = 1;
            break;
          }
    }
  }
  ind(p, depth);
  wk_buf_str(p->out, "(component");
  if (nested) {
    defname(p, parent, P_COMP);
  } else if (names->has_name) {
    wk_buf_byte(p->out, ' ');
    wk_print_id(p->out, names->name.s, names->name.len);
  }
  int any = 0;
  for (uint32_t i = 0; i < c->nsections; i++)
    if (!is_component_name(&c->sections[i])) any = 1;
  if (!any) { wk_buf_str(p->out, ")\n"); return 0; }
  wk_buf_byte(p->out, '\n');
  for (uint32_t i = 0; i < c->nsections; i++)
    if (print_section(p, &sc, &c->sections[i], depth + 1)) return -1;
  ind(p, depth);
  wk_buf_str(p->out, ")\n");
  return 0;
}

int wk_component_print(const wk_component *c, wk_buf *out, wk_error *err) {
  pr p = {.out = out, .err = err};
  int rc = print_comp(&p, NULL, c, 0, 0);
  wk_arena_free(&p.arena);
  if (rc) return err && err->code ? err->code : WK_ERR_UNSUPPORTED;
  if (out->oom) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  return WK_OK;
}
