/*
 * Component builder (cbuild.h): fills a wk_component model section by
 * section and hands it to wk_component_encode (component_encode.c), the one
 * component encoder. Index spaces follow Explainer.md "Index Spaces": every
 * definition, import, alias and export adds one index to its sort.
 */
#include "encode/cbuild.h"
#include "encode/encode.h" /* WK_I32 */
#include "encode/producers.h"

#include <stdlib.h>
#include <string.h>

/* Index spaces: 5 component sorts (1..5) and 8 core sorts. */
enum { SP_FUNC, SP_VALUE, SP_TYPE, SP_COMPONENT, SP_INSTANCE, SP_CFUNC, SP_CTABLE, SP_CMEMORY, SP_CGLOBAL,
       SP_CTAG, SP_CTYPE, SP_CMODULE, SP_CINSTANCE, SP_N };

typedef struct sec {
  wk_csection s;
  uint32_t cap;
} sec;


struct wk_cbuild {
  wk_cbuild *root;
  wk_arena arena_own;  /* used by the root only */
  wk_arena *arena;
  int failed;
  sec *secs;
  uint32_t nsecs, capsecs;
  uint32_t count[SP_N];
  wk_component model;
  /* component-name section payload (subsections), built as we go */
  int has_cname;
  char *cname;
  wk_buf names[SP_N];  /* namemap entries per sort */
  uint32_t nnames[SP_N];
  /* producers section payload, kept by wk_producers_add (producers.h) */
  wk_buf prod;
};

static int sp_of(int sort) {
  switch (sort) {
    case WK_CB_FUNC: return SP_FUNC;
    case WK_CB_VALUE: return SP_VALUE;
    case WK_CB_TYPE: return SP_TYPE;
    case WK_CB_COMPONENT: return SP_COMPONENT;
    case WK_CB_INSTANCE: return SP_INSTANCE;
    case WK_CB_CORE_FUNC: return SP_CFUNC;
    case WK_CB_CORE_TABLE: return SP_CTABLE;
    case WK_CB_CORE_MEMORY: return SP_CMEMORY;
    case WK_CB_CORE_GLOBAL: return SP_CGLOBAL;
    case WK_CB_CORE_TAG: return SP_CTAG;
    case WK_CB_CORE_TYPE: return SP_CTYPE;
    case WK_CB_CORE_MODULE: return SP_CMODULE;
    case WK_CB_CORE_INSTANCE: return SP_CINSTANCE;
    default: return -1;
  }
}

static wk_csort csort_of(int sort) {
  wk_csort s = {0, 0};
  if (sort & 0x100) s.core_sort = (uint8_t)(sort & 0xff);
  else s.sort = (uint8_t)sort;
  return s;
}

/* take the next index of `sort` */
static uint32_t take(wk_cbuild *b, int sort) {
  int sp = sp_of(sort);
  if (sp < 0) { b->failed = 1; return 0; }
  return b->count[sp]++;
}

wk_cbuild *wk_cb_new(void) {
  wk_cbuild *b = wk_calloc(1, sizeof *b);
  if (!b) return NULL;
  b->root = b;
  b->arena = &b->arena_own;
  return b;
}

static void free_parts(wk_cbuild *b) {
  for (uint32_t i = 0; i < b->nsecs; i++) {
    wk_csection *s = &b->secs[i].s;
    /* vector sections own a malloc'd array (any union member aliases it) */
    if (s->id != WK_CSEC_CUSTOM && s->id != WK_CSEC_CORE_MODULE && s->id != WK_CSEC_COMPONENT &&
        s->id != WK_CSEC_START)
      free(s->u.imports);
  }
  free(b->secs);
  b->secs = NULL;
  b->nsecs = b->capsecs = 0;
  free(b->model.sections);
  b->model.sections = NULL;
  free(b->cname);
  for (int i = 0; i < SP_N; i++) wk_buf_free(&b->names[i]);
  wk_buf_free(&b->prod);
}

void wk_cb_free(wk_cbuild *b) {
  if (!b) return;
  free_parts(b);
  if (b->root == b) wk_arena_free(&b->arena_own);
  free(b);
}

void *wk_cb_alloc(wk_cbuild *b, size_t size) {
  void *p = wk_arena_alloc(b->arena, size ? size : 1);
  if (!p) b->failed = 1;
  return p;
}

wk_cstr wk_cb_strn(wk_cbuild *b, const char *s, size_t n) {
  wk_cstr r = {"", 0};
  char *p = wk_arena_strndup(b->arena, s ? s : "", s ? n : 0);
  if (!p) { b->failed = 1; return r; }
  r.s = p;
  r.len = (uint32_t)(s ? n : 0);
  return r;
}

wk_cstr wk_cb_str(wk_cbuild *b, const char *s) { return wk_cb_strn(b, s, s ? strlen(s) : 0); }

uint32_t wk_cb_count(const wk_cbuild *b, int sort) {
  int sp = sp_of(sort);
  return sp < 0 ? 0 : b->count[sp];
}

static size_t item_size(uint8_t id) {
  switch (id) {
    case WK_CSEC_CORE_INSTANCE: case WK_CSEC_INSTANCE: return sizeof(wk_cinstance);
    case WK_CSEC_CORE_TYPE: return sizeof(wk_coretype);
    case WK_CSEC_ALIAS: return sizeof(wk_calias);
    case WK_CSEC_TYPE: return sizeof(wk_ctype);
    case WK_CSEC_CANON: return sizeof(wk_ccanon);
    case WK_CSEC_IMPORT: return sizeof(wk_cimport);
    case WK_CSEC_EXPORT: return sizeof(wk_cexport);
    case WK_CSEC_VALUE: return sizeof(wk_cvalue);
    default: return 0;
  }
}

static wk_csection *new_section(wk_cbuild *b, uint8_t id) {
  if (b->nsecs == b->capsecs) {
    uint32_t nc = b->capsecs ? b->capsecs * 2 : 16;
    sec *ns = wk_reallocarray(b->secs, nc, sizeof *ns);
    if (!ns) { b->failed = 1; return NULL; }
    b->secs = ns;
    b->capsecs = nc;
  }
  sec *s = &b->secs[b->nsecs++];
  memset(s, 0, sizeof *s);
  s->s.id = id;
  return &s->s;
}

/* A zeroed slot for one more item of vector section `id` (the last section if it has that id). */
static void *add_item(wk_cbuild *b, uint8_t id) {
  if (b->failed) return NULL;
  sec *last = b->nsecs ? &b->secs[b->nsecs - 1] : NULL;
  if (!last || last->s.id != id) {
    if (!new_section(b, id)) return NULL;
    last = &b->secs[b->nsecs - 1];
  }
  size_t isz = item_size(id);
  if (last->s.count == last->cap) {
    uint32_t nc = last->cap ? last->cap * 2 : 8;
    void *na = wk_reallocarray(last->s.u.imports, nc, isz);
    if (!na) { b->failed = 1; return NULL; }
    last->s.u.imports = na;
    last->cap = nc;
  }
  uint8_t *slot = (uint8_t *)last->s.u.imports + isz * last->s.count++;
  memset(slot, 0, isz);
  return slot;
}

static wk_cname plain_name(wk_cbuild *b, const char *name) {
  wk_cname n = {0};
  n.disc = WK_CNA_PLAIN;
  n.name = wk_cb_str(b, name);
  return n;
}

/* ---- types ---- */

uint32_t wk_cb_type(wk_cbuild *b, const wk_ctype *t) {
  wk_ctype *slot = add_item(b, WK_CSEC_TYPE);
  if (!slot) return 0;
  *slot = *t;
  return take(b, WK_CB_TYPE);
}

uint32_t wk_cb_type_func(wk_cbuild *b, uint32_t n, const char *const *names, const wk_cvaltype *types,
                         int has_result, wk_cvaltype result) {
  wk_ctype t = {0};
  t.code = WK_CTC_FUNC;
  t.n = n;
  t.fields = wk_cb_alloc(b, (size_t)n * sizeof *t.fields);
  if (!t.fields) return 0;
  for (uint32_t i = 0; i < n; i++) {
    t.fields[i].name = wk_cb_str(b, names[i]);
    t.fields[i].has_type = 1;
    t.fields[i].type = types[i];
  }
  if (has_result) t.a = result;
  else t.results_none = 1;
  return wk_cb_type(b, &t);
}

uint32_t wk_cb_type_resource(wk_cbuild *b, int64_t dtor) {
  wk_ctype t = {0};
  t.code = WK_CTC_RESOURCE;
  t.rep = WK_I32;
  if (dtor >= 0) { t.has_dtor = 1; t.dtor = (uint32_t)dtor; }
  return wk_cb_type(b, &t);
}

uint32_t wk_cb_core_type(wk_cbuild *b, const wk_coretype *t) {
  wk_coretype *slot = add_item(b, WK_CSEC_CORE_TYPE);
  if (!slot) return 0;
  *slot = *t;
  return take(b, WK_CB_CORE_TYPE);
}

/* ---- imports / exports ---- */

static int extern_sort(uint8_t kind) { return kind == WK_CSORT_CORE ? WK_CB_CORE_MODULE : kind; }

uint32_t wk_cb_import(wk_cbuild *b, const char *name, const wk_cextern *ext) {
  wk_cimport *slot = add_item(b, WK_CSEC_IMPORT);
  if (!slot) return 0;
  slot->name = plain_name(b, name);
  slot->ext = *ext;
  return take(b, extern_sort(ext->kind));
}

static wk_cname copy_cname(wk_cbuild *b, const wk_cname *n) {
  wk_cname c = *n;
  c.name = wk_cb_strn(b, n->name.s, n->name.len);
  if (n->nattrs) {
    c.attrs = wk_cb_alloc(b, (size_t)n->nattrs * sizeof *c.attrs);
    if (!c.attrs) { c.nattrs = 0; return c; }
    for (uint32_t i = 0; i < n->nattrs; i++) {
      c.attrs[i].kind = n->attrs[i].kind;
      c.attrs[i].value = wk_cb_strn(b, n->attrs[i].value.s, n->attrs[i].value.len);
    }
  }
  return c;
}

uint32_t wk_cb_import_cname(wk_cbuild *b, const wk_cname *name, const wk_cextern *ext) {
  wk_cimport *slot = add_item(b, WK_CSEC_IMPORT);
  if (!slot) return 0;
  slot->name = copy_cname(b, name);
  slot->ext = *ext;
  return take(b, extern_sort(ext->kind));
}

uint32_t wk_cb_export_cname(wk_cbuild *b, const wk_cname *name, int sort, uint32_t idx, const wk_cextern *ascribed) {
  wk_cexport *slot = add_item(b, WK_CSEC_EXPORT);
  if (!slot) return 0;
  slot->name = copy_cname(b, name);
  slot->sort = csort_of(sort);
  slot->idx = idx;
  if (ascribed) { slot->has_type = 1; slot->ext = *ascribed; }
  return take(b, sort);
}

uint32_t wk_cb_export(wk_cbuild *b, const char *name, int sort, uint32_t idx, const wk_cextern *ascribed) {
  wk_cexport *slot = add_item(b, WK_CSEC_EXPORT);
  if (!slot) return 0;
  slot->name = plain_name(b, name);
  slot->sort = csort_of(sort);
  slot->idx = idx;
  if (ascribed) { slot->has_type = 1; slot->ext = *ascribed; }
  return take(b, sort);
}

/* ---- core modules / instances ---- */

uint32_t wk_cb_core_module(wk_cbuild *b, const uint8_t *bytes, size_t len) {
  if (b->failed) return 0;
  uint8_t *copy = wk_cb_alloc(b, len);
  if (!copy) return 0;
  if (len) memcpy(copy, bytes, len);
  wk_csection *s = new_section(b, WK_CSEC_CORE_MODULE);
  if (!s) return 0;
  s->u.module.bytes = copy;
  s->u.module.len = len;
  return take(b, WK_CB_CORE_MODULE);
}

static wk_cinstarg *items_of(wk_cbuild *b, uint32_t n, const wk_cb_item *items, int core, int named) {
  wk_cinstarg *a = wk_cb_alloc(b, (size_t)n * sizeof *a);
  if (!a) return NULL;
  for (uint32_t i = 0; i < n; i++) {
    a[i].name = plain_name(b, items[i].name);
    a[i].sort = csort_of(items[i].sort);
    if (core) a[i].sort.sort = WK_CSORT_CORE;
    a[i].idx = items[i].idx;
  }
  (void)named;
  return a;
}

uint32_t wk_cb_core_instantiate(wk_cbuild *b, uint32_t module, uint32_t n, const wk_cb_item *args) {
  wk_cinstarg *a = items_of(b, n, args, 1, 1);
  if (!a && n) return 0;
  for (uint32_t i = 0; i < n; i++) a[i].sort.core_sort = WK_CCSORT_INSTANCE;
  wk_cinstance *slot = add_item(b, WK_CSEC_CORE_INSTANCE);
  if (!slot) return 0;
  slot->kind = WK_CINST_INSTANTIATE;
  slot->target = module;
  slot->n = n;
  slot->args = a;
  return take(b, WK_CB_CORE_INSTANCE);
}

uint32_t wk_cb_core_instance_exports(wk_cbuild *b, uint32_t n, const wk_cb_item *items) {
  wk_cinstarg *a = items_of(b, n, items, 1, 1);
  if (!a && n) return 0;
  wk_cinstance *slot = add_item(b, WK_CSEC_CORE_INSTANCE);
  if (!slot) return 0;
  slot->kind = WK_CINST_EXPORTS;
  slot->n = n;
  slot->args = a;
  return take(b, WK_CB_CORE_INSTANCE);
}

uint32_t wk_cb_instantiate(wk_cbuild *b, uint32_t component, uint32_t n, const wk_cb_item *args) {
  wk_cinstarg *a = items_of(b, n, args, 0, 1);
  if (!a && n) return 0;
  wk_cinstance *slot = add_item(b, WK_CSEC_INSTANCE);
  if (!slot) return 0;
  slot->kind = WK_CINST_INSTANTIATE;
  slot->target = component;
  slot->n = n;
  slot->args = a;
  return take(b, WK_CB_INSTANCE);
}

uint32_t wk_cb_instance_exports(wk_cbuild *b, uint32_t n, const wk_cb_item *items) {
  wk_cinstarg *a = items_of(b, n, items, 0, 1);
  if (!a && n) return 0;
  wk_cinstance *slot = add_item(b, WK_CSEC_INSTANCE);
  if (!slot) return 0;
  slot->kind = WK_CINST_EXPORTS;
  slot->n = n;
  slot->args = a;
  return take(b, WK_CB_INSTANCE);
}

/* ---- aliases ---- */

uint32_t wk_cb_alias_export(wk_cbuild *b, uint32_t instance, const char *name, int sort) {
  wk_calias *slot = add_item(b, WK_CSEC_ALIAS);
  if (!slot) return 0;
  slot->sort = csort_of(sort);
  slot->target = WK_CALIAS_EXPORT;
  slot->inst = instance;
  slot->name = wk_cb_str(b, name);
  return take(b, sort);
}

uint32_t wk_cb_alias_core_export(wk_cbuild *b, uint32_t core_instance, const char *name, int core_sort) {
  wk_calias *slot = add_item(b, WK_CSEC_ALIAS);
  if (!slot) return 0;
  slot->sort = csort_of(core_sort);
  slot->sort.sort = WK_CSORT_CORE;
  slot->target = WK_CALIAS_CORE_EXPORT;
  slot->inst = core_instance;
  slot->name = wk_cb_str(b, name);
  return take(b, core_sort);
}

uint32_t wk_cb_alias_outer(wk_cbuild *b, uint32_t count, uint32_t idx, int sort) {
  wk_calias *slot = add_item(b, WK_CSEC_ALIAS);
  if (!slot) return 0;
  slot->sort = csort_of(sort);
  slot->target = WK_CALIAS_OUTER;
  slot->inst = count;
  slot->idx = idx;
  return take(b, sort);
}

/* ---- canon ---- */

static void set_opts(wk_cbuild *b, wk_ccanon *c, const wk_cb_opts *o) {
  if (!o) return;
  c->opts = wk_cb_alloc(b, 4 * sizeof *c->opts);
  if (!c->opts) return;
  uint32_t n = 0;
  if (o->string_encoding >= 0 && o->string_encoding <= 2) c->opts[n++] = (wk_copt){(uint8_t)o->string_encoding, 0};
  if (o->has_memory) c->opts[n++] = (wk_copt){WK_COPT_MEMORY, o->memory};
  if (o->has_realloc) c->opts[n++] = (wk_copt){WK_COPT_REALLOC, o->realloc};
  if (o->has_post_return) c->opts[n++] = (wk_copt){WK_COPT_POST_RETURN, o->post_return};
  c->nopts = n;
}

uint32_t wk_cb_canon_lift(wk_cbuild *b, uint32_t core_func, uint32_t type, const wk_cb_opts *opts) {
  wk_ccanon *slot = add_item(b, WK_CSEC_CANON);
  if (!slot) return 0;
  slot->op = WK_CANON_LIFT;
  slot->sub = WK_CANON_FUNC_SORT;
  slot->func = core_func;
  slot->type = type;
  set_opts(b, slot, opts);
  return take(b, WK_CB_FUNC);
}

uint32_t wk_cb_canon_lower(wk_cbuild *b, uint32_t func, const wk_cb_opts *opts) {
  wk_ccanon *slot = add_item(b, WK_CSEC_CANON);
  if (!slot) return 0;
  slot->op = WK_CANON_LOWER;
  slot->sub = WK_CANON_FUNC_SORT;
  slot->func = func;
  set_opts(b, slot, opts);
  return take(b, WK_CB_CORE_FUNC);
}

static uint32_t canon_res(wk_cbuild *b, uint8_t op, uint32_t type) {
  wk_ccanon *slot = add_item(b, WK_CSEC_CANON);
  if (!slot) return 0;
  slot->op = op;
  slot->type = type;
  return take(b, WK_CB_CORE_FUNC);
}
uint32_t wk_cb_canon_resource_new(wk_cbuild *b, uint32_t type) { return canon_res(b, WK_CANON_RESOURCE_NEW, type); }
uint32_t wk_cb_canon_resource_drop(wk_cbuild *b, uint32_t type) { return canon_res(b, WK_CANON_RESOURCE_DROP, type); }
uint32_t wk_cb_canon_resource_rep(wk_cbuild *b, uint32_t type) { return canon_res(b, WK_CANON_RESOURCE_REP, type); }

/* ---- nested components ---- */

wk_cbuild *wk_cb_component_begin(wk_cbuild *parent) {
  wk_cbuild *c = wk_calloc(1, sizeof *c);
  if (!c) { parent->failed = 1; return NULL; }
  c->root = parent->root;
  c->arena = parent->arena;
  return c;
}

/* Put the sections (and, when `with_custom`, the name/producers sections) into b->model. */
static int finish_model(wk_cbuild *b, int with_custom);

uint32_t wk_cb_component_end(wk_cbuild *parent, wk_cbuild *child) {
  if (!child) { parent->failed = 1; return 0; }
  int bad = child->failed || finish_model(child, 1) != WK_OK;
  wk_component *copy = NULL;
  if (!bad) copy = wk_cb_alloc(parent, sizeof *copy);
  if (copy) {
    /* the child's arrays go away with it: move the model's section array into the arena */
    *copy = child->model;
    copy->sections = wk_cb_alloc(parent, (size_t)child->model.nsections * sizeof *copy->sections);
    if (copy->sections) {
      memcpy(copy->sections, child->model.sections, (size_t)child->model.nsections * sizeof *copy->sections);
      for (uint32_t i = 0; i < copy->nsections; i++) {
        wk_csection *s = &copy->sections[i];
        size_t isz = item_size(s->id);
        if (isz && s->count) {
          void *a = wk_cb_alloc(parent, isz * s->count);
          if (!a) { bad = 1; break; }
          memcpy(a, s->u.imports, isz * s->count);
          s->u.imports = a;
        }
      }
    } else bad = 1;
  } else bad = 1;
  wk_cb_free(child);
  if (bad) { parent->failed = 1; return 0; }
  wk_csection *s = new_section(parent, WK_CSEC_COMPONENT);
  if (!s) return 0;
  s->u.component = copy;
  return take(parent, WK_CB_COMPONENT);
}

/* (h-wac) a decoded component, borrowed, as a nested component definition */
uint32_t wk_cb_component_model(wk_cbuild *b, const wk_component *c) {
  if (!c) { b->failed = 1; return 0; }
  wk_csection *s = new_section(b, WK_CSEC_COMPONENT);
  if (!s) return 0;
  s->u.component = (wk_component *)c;
  return take(b, WK_CB_COMPONENT);
}

/* ---- custom sections ---- */

void wk_cb_custom(wk_cbuild *b, const char *name, const uint8_t *data, size_t len) {
  if (b->failed) return;
  wk_cstr n = wk_cb_str(b, name);
  uint8_t *copy = wk_cb_alloc(b, len);
  if (!copy) return;
  if (len) memcpy(copy, data, len);
  wk_csection *s = new_section(b, WK_CSEC_CUSTOM);
  if (!s) return;
  s->custom_name = n;
  s->custom_data = (wk_cstr){(const char *)copy, (uint32_t)len};
}

static void put_name(wk_buf *o, const char *s) {
  size_t n = strlen(s);
  wk_buf_uleb(o, n);
  wk_buf_append(o, s, n);
}

void wk_cb_name(wk_cbuild *b, int sort, uint32_t idx, const char *name) {
  int sp = sp_of(sort);
  if (sp < 0) { b->failed = 1; return; }
  wk_buf_uleb(&b->names[sp], idx);
  put_name(&b->names[sp], name);
  b->nnames[sp]++;
  if (b->names[sp].oom) b->failed = 1;
}

void wk_cb_component_name(wk_cbuild *b, const char *name) {
  free(b->cname);
  b->cname = strdup(name);
  if (!b->cname) b->failed = 1;
  b->has_cname = 1;
}

void wk_cb_producer(wk_cbuild *b, const char *field, const char *name, const char *version) {
  wk_buf next = {0};
  wk_error e;
  if (wk_producers_add(b->prod.data, b->prod.len, field, name, version ? version : "", &next, &e) != WK_OK) {
    b->failed = 1;
    wk_buf_free(&next);
    return;
  }
  wk_buf_free(&b->prod);
  b->prod = next;
}

/* ---- output ---- */

static const int SP_SORT[SP_N] = {WK_CB_FUNC, WK_CB_VALUE, WK_CB_TYPE, WK_CB_COMPONENT, WK_CB_INSTANCE,
                                  WK_CB_CORE_FUNC, WK_CB_CORE_TABLE, WK_CB_CORE_MEMORY, WK_CB_CORE_GLOBAL,
                                  WK_CB_CORE_TAG, WK_CB_CORE_TYPE, WK_CB_CORE_MODULE, WK_CB_CORE_INSTANCE};
/* Binary.md name section lists core sorts first in wasm-tools' order; any order is valid. */
static const int NAME_ORDER[SP_N] = {SP_CFUNC, SP_CTABLE, SP_CMEMORY, SP_CGLOBAL, SP_CTAG, SP_CTYPE, SP_CMODULE,
                                     SP_CINSTANCE, SP_FUNC, SP_VALUE, SP_TYPE, SP_COMPONENT, SP_INSTANCE};

static int finish_model(wk_cbuild *b, int with_custom) {
  uint32_t extra = with_custom ? 2 : 0;
  free(b->model.sections);
  b->model.sections = wk_calloc((size_t)b->nsecs + extra + 1, sizeof *b->model.sections);
  if (!b->model.sections) { b->failed = 1; return WK_ERR_NOMEM; }
  uint32_t n = 0;
  for (uint32_t i = 0; i < b->nsecs; i++) b->model.sections[n++] = b->secs[i].s;
  if (with_custom) {
    /* component-name: subsection 0 = component name, 1 = a sort's namemap (Binary.md "Name Section") */
    wk_buf p = {0};
    if (b->has_cname) {
      wk_buf sub = {0};
      put_name(&sub, b->cname);
      wk_buf_byte(&p, WK_CNAMESUB_COMPONENT);
      wk_buf_uleb(&p, sub.len);
      wk_buf_append(&p, sub.data, sub.len);
      wk_buf_free(&sub);
    }
    for (int k = 0; k < SP_N; k++) {
      int sp = NAME_ORDER[k];
      if (!b->nnames[sp]) continue;
      wk_buf sub = {0};
      wk_csort s = csort_of(SP_SORT[sp]);
      wk_buf_byte(&sub, s.sort);
      if (s.sort == WK_CSORT_CORE) wk_buf_byte(&sub, s.core_sort);
      wk_buf_uleb(&sub, b->nnames[sp]);
      wk_buf_append(&sub, b->names[sp].data, b->names[sp].len);
      wk_buf_byte(&p, WK_CNAMESUB_SORT);
      wk_buf_uleb(&p, sub.len);
      wk_buf_append(&p, sub.data, sub.len);
      if (sub.oom) p.oom = 1;
      wk_buf_free(&sub);
    }
    if (p.len) {
      uint8_t *copy = wk_cb_alloc(b, p.len);
      if (copy) {
        memcpy(copy, p.data, p.len);
        wk_csection *s = &b->model.sections[n++];
        s->id = WK_CSEC_CUSTOM;
        s->custom_name = (wk_cstr){"component-name", 14};
        s->custom_data = (wk_cstr){(const char *)copy, (uint32_t)p.len};
      }
    }
    if (p.oom) b->failed = 1;
    wk_buf_free(&p);
    /* producers: vec(field), field = name vec(name version) */
    if (b->prod.len) {
      wk_buf q = b->prod; /* borrowed: freed with the builder */
      uint8_t *copy = q.oom ? NULL : wk_cb_alloc(b, q.len);
      if (copy) {
        memcpy(copy, q.data, q.len);
        wk_csection *s = &b->model.sections[n++];
        s->id = WK_CSEC_CUSTOM;
        s->custom_name = (wk_cstr){"producers", 9};
        s->custom_data = (wk_cstr){(const char *)copy, (uint32_t)q.len};
      } else b->failed = 1;
    }
  }
  b->model.nsections = n;
  return b->failed ? WK_ERR_NOMEM : WK_OK;
}

const wk_component *wk_cb_model(wk_cbuild *b) {
  finish_model(b, 0);
  return &b->model;
}

int wk_cb_encode(wk_cbuild *b, wk_buf *out, wk_error *err) {
  if (b->root != b) return wk_error_set(err, WK_ERR_USAGE, "wk_cb_encode on a nested builder");
  if (b->failed || finish_model(b, 1) != WK_OK) return wk_error_set(err, WK_ERR_NOMEM, "out of memory building the component");
  return wk_component_encode(&b->model, out, err);
}
