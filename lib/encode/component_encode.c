/*
 * Component encoder: writes the model of component.h back in the Binary.md
 * encoding. LEB128s are numbered in writing order, the same order the
 * decoder read them, so the side table of non-minimal widths restores the
 * input's exact bytes.
 */
#include "encode/component.h"
#include "encode/leb.h"

#include <string.h>

typedef struct wr {
  const wk_component *root;
  uint32_t ord, cursor;
} wr;

static unsigned width_for(wr *w, unsigned minw) {
  uint32_t ord = w->ord++;
  const wk_component *c = w->root;
  while (w->cursor < c->nlebs && c->lebs[w->cursor].ordinal < ord) w->cursor++;
  if (w->cursor < c->nlebs && c->lebs[w->cursor].ordinal == ord) {
    unsigned wd = c->lebs[w->cursor].width;
    return wd > minw ? wd : minw;
  }
  return minw;
}

static void put_uleb_w(wk_buf *b, uint64_t v, unsigned width) {
  for (unsigned i = 0; i < width; i++) {
    uint8_t c = v & 0x7f;
    v >>= 7;
    if (i + 1 < width) c |= 0x80;
    wk_buf_byte(b, c);
  }
}

static void put_sleb_w(wk_buf *b, int64_t v, unsigned width) {
  for (unsigned i = 0; i < width; i++) {
    uint8_t c = v & 0x7f;
    v >>= 7;
    if (i + 1 < width) c |= 0x80;
    wk_buf_byte(b, c);
  }
}

static void u(wr *w, wk_buf *b, uint64_t v) { put_uleb_w(b, v, width_for(w, wk_leb_u_size(v))); }
static void s(wr *w, wk_buf *b, int64_t v) { put_sleb_w(b, v, width_for(w, wk_leb_s_size(v))); }
static void str(wr *w, wk_buf *b, wk_cstr x) {
  u(w, b, x.len);
  wk_buf_append(b, x.s, x.len);
}

static void valtype(wr *w, wk_buf *b, wk_cvaltype v) {
  if (v.prim) wk_buf_byte(b, v.prim);
  else s(w, b, (int64_t)v.idx);
}

static void limits(wr *w, wk_buf *b, const wk_corelimits *l) {
  wk_buf_byte(b, l->flags);
  u(w, b, l->min);
  if (l->flags & 1) u(w, b, l->max);
  if (l->flags & 8) u(w, b, l->page_log2);
}

static void coreextern(wr *w, wk_buf *b, const wk_coreextern *e) {
  wk_buf_byte(b, e->kind);
  switch (e->kind) {
    case WK_CCSORT_FUNC: u(w, b, e->idx); break;
    case WK_CCSORT_TABLE: wk_buf_append(b, e->valtype.s, e->valtype.len); limits(w, b, &e->lim); break;
    case WK_CCSORT_MEMORY: limits(w, b, &e->lim); break;
    case WK_CCSORT_GLOBAL: wk_buf_append(b, e->valtype.s, e->valtype.len); wk_buf_byte(b, e->mut); break;
    case WK_CCSORT_TAG: wk_buf_byte(b, e->tag_attr); u(w, b, e->idx); break;
  }
}

static void coretype(wr *w, wk_buf *b, const wk_coretype *t) {
  if (t->code == WK_CTC_CORE_FUNC) {
    wk_buf_byte(b, WK_CTC_CORE_FUNC);
    u(w, b, t->nparams);
    wk_buf_append(b, t->params, t->nparams);
    u(w, b, t->nresults);
    wk_buf_append(b, t->results, t->nresults);
  } else if (t->code == WK_CTC_CORE_MODULE) {
    wk_buf_byte(b, WK_CTC_CORE_MODULE);
    u(w, b, t->ndecls);
    for (uint32_t i = 0; i < t->ndecls; i++) {
      const wk_coredecl *d = &t->decls[i];
      wk_buf_byte(b, d->kind);
      switch (d->kind) {
        case WK_CMODDECL_IMPORT: str(w, b, d->module); str(w, b, d->name); coreextern(w, b, &d->ext); break;
        case WK_CMODDECL_TYPE: coretype(w, b, d->type); break;
        case WK_CMODDECL_ALIAS:
          wk_buf_byte(b, d->alias_sort);
          wk_buf_byte(b, d->alias_target);
          u(w, b, d->alias_ct);
          u(w, b, d->alias_idx);
          break;
        case WK_CMODDECL_EXPORT: str(w, b, d->name); coreextern(w, b, &d->ext); break;
      }
    }
  } else {
    wk_buf_append(b, t->raw.s, t->raw.len);
  }
}

static void cname(wr *w, wk_buf *b, const wk_cname *n) {
  wk_buf_byte(b, n->disc);
  str(w, b, n->name);
  if (n->disc == WK_CNA_ATTRS) {
    u(w, b, n->nattrs);
    for (uint32_t i = 0; i < n->nattrs; i++) {
      wk_buf_byte(b, n->attrs[i].kind);
      str(w, b, n->attrs[i].value);
    }
  }
}

static void sort(wk_buf *b, wk_csort s) {
  wk_buf_byte(b, s.sort);
  if (s.sort == WK_CSORT_CORE) wk_buf_byte(b, s.core_sort);
}

static void externtype(wr *w, wk_buf *b, const wk_cextern *e) {
  wk_buf_byte(b, e->kind);
  switch (e->kind) {
    case WK_CSORT_CORE: wk_buf_byte(b, WK_CCSORT_MODULE); u(w, b, e->idx); break;
    case WK_CSORT_FUNC: case WK_CSORT_COMPONENT: case WK_CSORT_INSTANCE: u(w, b, e->idx); break;
    case WK_CSORT_VALUE:
      wk_buf_byte(b, e->bound);
      if (e->bound == WK_CVBOUND_EQ) u(w, b, e->idx);
      else valtype(w, b, e->vt);
      break;
    case WK_CSORT_TYPE:
      wk_buf_byte(b, e->bound);
      if (e->bound == WK_CBOUND_EQ) u(w, b, e->idx);
      break;
  }
}

static void alias(wr *w, wk_buf *b, const wk_calias *a) {
  sort(b, a->sort);
  wk_buf_byte(b, a->target);
  u(w, b, a->inst);
  if (a->target == WK_CALIAS_OUTER) u(w, b, a->idx);
  else str(w, b, a->name);
}

static void opt_valtype(wr *w, wk_buf *b, uint8_t has, wk_cvaltype v) {
  wk_buf_byte(b, has);
  if (has) valtype(w, b, v);
}

static void ctype(wr *w, wk_buf *b, const wk_ctype *t);

static void cdecl(wr *w, wk_buf *b, const wk_cdecl *d) {
  wk_buf_byte(b, d->kind);
  switch (d->kind) {
    case WK_CDECL_CORE_TYPE: coretype(w, b, d->coretype); break;
    case WK_CDECL_TYPE: ctype(w, b, d->type); break;
    case WK_CDECL_ALIAS: alias(w, b, &d->alias); break;
    case WK_CDECL_IMPORT: case WK_CDECL_EXPORT: cname(w, b, &d->name); externtype(w, b, &d->ext); break;
  }
}

static void ctype(wr *w, wk_buf *b, const wk_ctype *t) {
  wk_buf_byte(b, t->code);
  switch (t->code) {
    case WK_CTC_RECORD: case WK_CTC_FUNC: case WK_CTC_ASYNC_FUNC:
      u(w, b, t->n);
      for (uint32_t i = 0; i < t->n; i++) { str(w, b, t->fields[i].name); valtype(w, b, t->fields[i].type); }
      if (t->code != WK_CTC_RECORD) {
        if (t->results_none) {
          wk_buf_byte(b, WK_CRESULT_NONE);
          u(w, b, t->nresults);
          for (uint32_t i = 0; i < t->nresults; i++) {
            str(w, b, t->results[i].name);
            valtype(w, b, t->results[i].type);
          }
        } else {
          wk_buf_byte(b, WK_CRESULT_ONE);
          valtype(w, b, t->a);
        }
      }
      break;
    case WK_CTC_VARIANT:
      u(w, b, t->n);
      for (uint32_t i = 0; i < t->n; i++) {
        const wk_cfield *f = &t->fields[i];
        str(w, b, f->name);
        opt_valtype(w, b, f->has_type, f->type);
        wk_buf_byte(b, f->has_refines);
        if (f->has_refines) u(w, b, f->refines);
      }
      break;
    case WK_CTC_LIST: case WK_CTC_OPTION: valtype(w, b, t->a); break;
    case WK_CTC_FIXED_LIST: valtype(w, b, t->a); u(w, b, t->idx); break;
    case WK_CTC_TUPLE:
      u(w, b, t->n);
      for (uint32_t i = 0; i < t->n; i++) valtype(w, b, t->fields[i].type);
      break;
    case WK_CTC_FLAGS: case WK_CTC_ENUM:
      u(w, b, t->n);
      for (uint32_t i = 0; i < t->n; i++) str(w, b, t->fields[i].name);
      break;
    case WK_CTC_RESULT: opt_valtype(w, b, t->has_a, t->a); opt_valtype(w, b, t->has_b, t->b); break;
    case WK_CTC_OWN: case WK_CTC_BORROW: u(w, b, t->idx); break;
    case WK_CTC_STREAM: case WK_CTC_FUTURE: opt_valtype(w, b, t->has_a, t->a); break;
    case WK_CTC_MAP: valtype(w, b, t->a); valtype(w, b, t->b); break;
    case WK_CTC_COMPONENT: case WK_CTC_INSTANCE:
      u(w, b, t->ndecls);
      for (uint32_t i = 0; i < t->ndecls; i++) cdecl(w, b, &t->decls[i]);
      break;
    case WK_CTC_RESOURCE:
      wk_buf_byte(b, t->rep);
      wk_buf_byte(b, t->has_dtor);
      if (t->has_dtor) u(w, b, t->dtor);
      break;
    default: break; /* primitive */
  }
}

static void instance(wr *w, wk_buf *b, const wk_cinstance *in, int core) {
  wk_buf_byte(b, in->kind);
  if (in->kind == WK_CINST_INSTANTIATE) u(w, b, in->target);
  u(w, b, in->n);
  for (uint32_t i = 0; i < in->n; i++) {
    const wk_cinstarg *a = &in->args[i];
    if (core) {
      str(w, b, a->name.name);
      wk_buf_byte(b, a->sort.core_sort);
    } else {
      if (in->kind == WK_CINST_INSTANTIATE) str(w, b, a->name.name);
      else cname(w, b, &a->name);
      sort(b, a->sort);
    }
    u(w, b, a->idx);
  }
}

static void opts(wr *w, wk_buf *b, const wk_ccanon *c) {
  u(w, b, c->nopts);
  for (uint32_t i = 0; i < c->nopts; i++) {
    wk_buf_byte(b, c->opts[i].code);
    switch (c->opts[i].code) {
      case WK_COPT_MEMORY: case WK_COPT_REALLOC: case WK_COPT_POST_RETURN: case WK_COPT_CALLBACK:
        u(w, b, c->opts[i].idx); break;
    }
  }
}

static void canon(wr *w, wk_buf *b, const wk_ccanon *c) {
  wk_buf_byte(b, c->op);
  switch (c->op) {
    case WK_CANON_LIFT: case WK_CANON_LOWER:
      wk_buf_byte(b, c->sub);
      u(w, b, c->func);
      opts(w, b, c);
      if (c->op == WK_CANON_LIFT) u(w, b, c->type);
      break;
    case WK_CANON_RESOURCE_NEW: case WK_CANON_RESOURCE_DROP: case WK_CANON_RESOURCE_REP:
    case WK_CANON_RESOURCE_DROP_ASYNC:
    case WK_CANON_STREAM_NEW: case WK_CANON_STREAM_DROP_READABLE: case WK_CANON_STREAM_DROP_WRITABLE:
    case WK_CANON_FUTURE_NEW: case WK_CANON_FUTURE_DROP_READABLE: case WK_CANON_FUTURE_DROP_WRITABLE:
      u(w, b, c->type);
      break;
    case WK_CANON_TASK_RETURN:
      if (c->results_none) { wk_buf_byte(b, WK_CRESULT_NONE); wk_buf_byte(b, 0); }
      else { wk_buf_byte(b, WK_CRESULT_ONE); valtype(w, b, c->result); }
      opts(w, b, c);
      break;
    case WK_CANON_CONTEXT_GET: case WK_CANON_CONTEXT_SET: wk_buf_byte(b, c->core_vt); u(w, b, c->imm); break;
    case WK_CANON_SUBTASK_CANCEL: case WK_CANON_THREAD_YIELD: case WK_CANON_THREAD_SUSPEND:
    case WK_CANON_THREAD_SUSPEND_THEN_RESUME: case WK_CANON_THREAD_YIELD_THEN_RESUME:
    case WK_CANON_THREAD_SUSPEND_THEN_PROMOTE: case WK_CANON_THREAD_YIELD_THEN_PROMOTE:
    case WK_CANON_THREAD_AVAILABLE_PARALLELISM:
      wk_buf_byte(b, c->flag);
      break;
    case WK_CANON_STREAM_READ: case WK_CANON_STREAM_WRITE: case WK_CANON_FUTURE_READ: case WK_CANON_FUTURE_WRITE:
      u(w, b, c->type); opts(w, b, c); break;
    case WK_CANON_STREAM_CANCEL_READ: case WK_CANON_STREAM_CANCEL_WRITE: case WK_CANON_FUTURE_CANCEL_READ:
    case WK_CANON_FUTURE_CANCEL_WRITE: u(w, b, c->type); wk_buf_byte(b, c->flag); break;
    case WK_CANON_ERROR_CONTEXT_NEW: case WK_CANON_ERROR_CONTEXT_DEBUG_MESSAGE: opts(w, b, c); break;
    case WK_CANON_WAITABLE_SET_WAIT: case WK_CANON_WAITABLE_SET_POLL: wk_buf_byte(b, c->flag); u(w, b, c->imm); break;
    case WK_CANON_THREAD_NEW_INDIRECT: u(w, b, c->type); u(w, b, c->table); break;
    case WK_CANON_THREAD_SPAWN_REF: wk_buf_byte(b, c->flag); u(w, b, c->type); break;
    case WK_CANON_THREAD_SPAWN_INDIRECT: wk_buf_byte(b, c->flag); u(w, b, c->type); u(w, b, c->table); break;
    default: break;
  }
}

static void component(wr *w, wk_buf *b, const wk_component *c);

static void section(wr *w, wk_buf *out, const wk_csection *sec) {
  wk_buf_byte(out, sec->id);
  unsigned size_width = width_for(w, 1); /* the size LEB comes first in reading order */
  if (sec->id == WK_CSEC_CORE_MODULE) { /* raw bytes of known size: no temporary copy of a big module */
    unsigned mw = wk_leb_u_size(sec->u.module.len);
    put_uleb_w(out, sec->u.module.len, size_width > mw ? size_width : mw);
    wk_buf_append(out, sec->u.module.bytes, sec->u.module.len);
    return;
  }
  if (sec->id == WK_CSEC_COMPONENT) {
    /* a nested component is written in place after a 5-byte placeholder for its size, then moved
     * back over the unused bytes: no temporary copy of a big component */
    size_t at = out->len;
    put_uleb_w(out, 0, 5);
    size_t start = out->len;
    component(w, out, sec->u.component);
    if (out->oom) return;
    size_t n = out->len - start;
    unsigned mw = wk_leb_u_size(n), wd = size_width > mw ? size_width : mw;
    if (wd > 5 && wk_buf_reserve(out, wd - 5)) { out->oom = 1; return; }
    memmove(out->data + at + wd, out->data + start, n);
    out->len = at;
    put_uleb_w(out, n, wd);
    out->len = at + wd + n;
    return;
  }
  wk_buf p = {0};
  switch (sec->id) {
    case WK_CSEC_CUSTOM:
      str(w, &p, sec->custom_name);
      wk_buf_append(&p, sec->custom_data.s, sec->custom_data.len);
      break;
    case WK_CSEC_START:
      u(w, &p, sec->u.start.func);
      u(w, &p, sec->u.start.nargs);
      for (uint32_t i = 0; i < sec->u.start.nargs; i++) u(w, &p, sec->u.start.args[i]);
      u(w, &p, sec->u.start.nresults);
      break;
    default:
      u(w, &p, sec->count);
      for (uint32_t i = 0; i < sec->count; i++) {
        switch (sec->id) {
          case WK_CSEC_CORE_INSTANCE: instance(w, &p, &sec->u.core_instances[i], 1); break;
          case WK_CSEC_CORE_TYPE: coretype(w, &p, &sec->u.core_types[i]); break;
          case WK_CSEC_INSTANCE: instance(w, &p, &sec->u.instances[i], 0); break;
          case WK_CSEC_ALIAS: alias(w, &p, &sec->u.aliases[i]); break;
          case WK_CSEC_TYPE: ctype(w, &p, &sec->u.types[i]); break;
          case WK_CSEC_CANON: canon(w, &p, &sec->u.canons[i]); break;
          case WK_CSEC_IMPORT:
            cname(w, &p, &sec->u.imports[i].name);
            externtype(w, &p, &sec->u.imports[i].ext);
            break;
          case WK_CSEC_EXPORT: {
            const wk_cexport *e = &sec->u.exports[i];
            cname(w, &p, &e->name);
            sort(&p, e->sort);
            u(w, &p, e->idx);
            wk_buf_byte(&p, e->has_type);
            if (e->has_type) externtype(w, &p, &e->ext);
            break;
          }
          case WK_CSEC_VALUE:
            valtype(w, &p, sec->u.values[i].type);
            str(w, &p, sec->u.values[i].bytes);
            break;
        }
      }
  }
  unsigned minw = wk_leb_u_size(p.len);
  put_uleb_w(out, p.len, size_width > minw ? size_width : minw);
  if (p.oom) out->oom = 1;
  wk_buf_append(out, p.data, p.len);
  wk_buf_free(&p);
}

static void component(wr *w, wk_buf *b, const wk_component *c) {
  wk_buf_append(b, "\0asm\x0d\0\x01\0", 8);
  for (uint32_t i = 0; i < c->nsections; i++) section(w, b, &c->sections[i]);
}

int wk_component_encode(const wk_component *c, wk_buf *out, wk_error *err) {
  wr w = {.root = c};
  component(&w, out, c);
  if (out->oom) return wk_error_set(err, WK_ERR_NOMEM, "out of memory encoding the component");
  return WK_OK;
}
