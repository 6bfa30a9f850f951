/*
 * Core module encoder (Core spec 5.5 "Modules"): wk_core_module -> bytes.
 * Every field is written from the model; for a decoded module the output is
 * byte-identical to the input (see wk_core_encode in encode.h).
 */
#include <stdlib.h>
#include <string.h>

#include "encode/encode.h"
#include "encode/leb.h"

typedef struct enc {
  const wk_core_module *m;
  uint32_t ord;    /* ordinal of the next LEB written (same order as the decoder reads) */
  int use_pads;
  wk_error *err;
  int bad;         /* model inconsistency found */
} enc;

static unsigned pad_width(const enc *e, uint32_t ord) {
  if (!e->use_pads) return 0;
  uint32_t lo = 0, hi = e->m->npads;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (e->m->pads[mid].ordinal == ord) return e->m->pads[mid].width;
    if (e->m->pads[mid].ordinal < ord) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}

/* Unsigned LEB128 u32 (Core 5.2.2) with ordinal `ord`: minimal, or the
 * input's width when that was longer (at most 5 bytes for a u32). */
static void put_uleb_ord(enc *e, wk_buf *b, uint64_t v, uint32_t ord, unsigned maxw) {
  unsigned w = pad_width(e, ord), min = wk_leb_u_size(v);
  if (w < min || w > maxw) w = min;
  for (unsigned i = 0; i + 1 < w; i++) {
    wk_buf_byte(b, (uint8_t)((v & 0x7f) | 0x80));
    v >>= 7;
  }
  wk_buf_byte(b, (uint8_t)(v & 0x7f));
}

static void put_u32_ord(enc *e, wk_buf *b, uint32_t v, uint32_t ord) { put_uleb_ord(e, b, v, ord, 5); }

static void put_u32(enc *e, wk_buf *b, uint32_t v) { put_u32_ord(e, b, v, e->ord++); }

/* A value type (Core 3.0 5.3.3): a type index heap type is an s33 LEB with an ordinal (its input
 * width kept, as put_u32's), an abstract one a byte. */
static void put_vt(enc *e, wk_buf *b, uint8_t code, uint32_t ht) {
  if ((code != WK_REF && code != WK_REFNULL) || !wk_ht_is_idx(ht)) {
    wk_valtype_put(b, code, ht);
    return;
  }
  wk_buf_byte(b, code);
  unsigned w = pad_width(e, e->ord++), min = wk_leb_s_size(ht);
  if (w < min || w > 5) w = min;
  for (unsigned i = 0; i + 1 < w; i++, ht >>= 7) wk_buf_byte(b, (uint8_t)((ht & 0x7f) | 0x80));
  wk_buf_byte(b, (uint8_t)(ht & 0x7f));
}

static void put_name(enc *e, wk_buf *b, const wk_core_name *n) {
  put_u32(e, b, n->len);
  wk_buf_append(b, n->str, n->len);
}

/* Core 5.3.4 limits; Core 3.0 5.3.7: flags | 0x04 and u64 bounds for i64. */
static void put_limits(enc *e, wk_buf *b, const wk_core_limits *l) {
  wk_buf_byte(b, (uint8_t)((l->has_max ? 1 : 0) | (l->shared ? 2 : 0) | (l->is64 ? 4 : 0)));
  /* (up to 10 bytes for either address type: 3.0 reads limits as u64, so a decoded i32 limit
   * may have been padded past 5 bytes) */
  put_uleb_ord(e, b, l->min, e->ord++, 10);
  if (l->has_max) put_uleb_ord(e, b, l->max, e->ord++, 10);
}

static void put_expr(wk_buf *b, const wk_core_expr *x) { wk_buf_append(b, x->bytes, x->len); }

/* One section: id, size (its LEB ordinal comes before the content's), content. */
typedef void (*content_fn)(enc *e, wk_buf *b);

static void put_section(enc *e, wk_buf *out, uint8_t id, content_fn fn) {
  uint32_t size_ord = e->ord++;
  wk_buf tmp = {0};
  fn(e, &tmp);
  if (tmp.oom) out->oom = 1;
  wk_buf_byte(out, id);
  if (tmp.len > UINT32_MAX) e->bad = 1;
  put_u32_ord(e, out, (uint32_t)tmp.len, size_ord);
  wk_buf_append(out, tmp.data, tmp.len);
  wk_buf_free(&tmp);
}

static void put_functype(enc *e, wk_buf *b, const wk_core_functype *t) {
  wk_buf_byte(b, 0x60);
  put_u32(e, b, t->nparams);
  for (uint32_t k = 0; k < t->nparams; k++) put_vt(e, b, t->params[k], t->hts ? t->hts[k] : 0);
  put_u32(e, b, t->nresults);
  for (uint32_t k = 0; k < t->nresults; k++) put_vt(e, b, t->results[k], t->hts ? t->hts[t->nparams + k] : 0);
}

/* Core 3.0 binary/types.rst: fieldtype ::= storagetype mut */
static void put_field(enc *e, wk_buf *b, const wk_core_field *f) {
  if (wk_field_packed(f)) wk_buf_byte(b, f->storage);
  else put_vt(e, b, f->storage, f->ht);
  wk_buf_byte(b, f->mut);
}

/* Core 3.0 binary/types.rst subtype: the sub prefix as decoded (or as `final` needs), comptype */
static void put_subtype(enc *e, wk_buf *b, const wk_core_functype *t, const wk_core_subtype *s) {
  uint8_t form = s->sub_form;
  if (!form && (!s->final || s->nsupers || s->super != WK_NO_SUPER)) form = s->final ? 0x4f : 0x50;
  if (form) {
    wk_buf_byte(b, form);
    if (s->supers || s->super == WK_NO_SUPER) {
      put_u32(e, b, s->nsupers);
      for (uint32_t k = 0; k < s->nsupers; k++) put_u32(e, b, s->supers[k]);
    } else { /* (a built model: just `super`) */
      put_u32(e, b, 1);
      put_u32(e, b, s->super);
    }
  }
  switch (s->kind) {
  case WK_COMP_STRUCT:
    wk_buf_byte(b, 0x5f);
    put_u32(e, b, s->nfields);
    for (uint32_t k = 0; k < s->nfields; k++) put_field(e, b, &s->fields[k]);
    break;
  case WK_COMP_ARRAY:
    wk_buf_byte(b, 0x5e);
    if (s->nfields == 1) put_field(e, b, &s->fields[0]);
    else e->bad = 1;
    break;
  default: put_functype(e, b, t); break;
  }
}

static void c_type(enc *e, wk_buf *b) {
  const wk_core_module *m = e->m;
  if (!m->subtypes) {
    put_u32(e, b, m->ntypes);
    for (uint32_t i = 0; i < m->ntypes; i++) put_functype(e, b, &m->types[i]);
    return;
  }
  /* Core 3.0: typesec ::= vec(rectype), rectype ::= 0x4e vec(subtype) | subtype */
  uint32_t ngroups = m->nempty_recs;
  for (uint32_t i = 0; i < m->ntypes; i++)
    if (m->subtypes[i].rec_start == i) ngroups++;
  put_u32(e, b, ngroups);
  uint32_t ke = 0;
  for (uint32_t i = 0; i < m->ntypes; i++) {
    const wk_core_subtype *s = &m->subtypes[i];
    if (s->rec_start != i) continue;
    for (; ke < m->nempty_recs && m->empty_recs[ke] <= i; ke++) wk_buf_byte(b, 0x4e), put_u32(e, b, 0);
    if (s->rec_size == 0 || s->rec_size > m->ntypes - i) { e->bad = 1; return; }
    if (s->rec_explicit || s->rec_size != 1) {
      wk_buf_byte(b, 0x4e);
      put_u32(e, b, s->rec_size);
    }
    for (uint32_t k = 0; k < s->rec_size; k++) put_subtype(e, b, &m->types[i + k], &m->subtypes[i + k]);
  }
  for (; ke < m->nempty_recs; ke++) wk_buf_byte(b, 0x4e), put_u32(e, b, 0);
}

static void c_import(enc *e, wk_buf *b) {
  const wk_core_module *m = e->m;
  put_u32(e, b, m->nimports);
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wk_core_import *im = &m->imports[i];
    put_name(e, b, &im->module);
    put_name(e, b, &im->name);
    wk_buf_byte(b, im->kind);
    switch (im->kind) {
    case WK_EXTERN_FUNC: put_u32(e, b, im->type_index); break;
    case WK_EXTERN_TABLE: put_vt(e, b, im->table.reftype, im->table.ht); put_limits(e, b, &im->table.lim); break;
    case WK_EXTERN_MEMORY: put_limits(e, b, &im->mem); break;
    case WK_EXTERN_GLOBAL: put_vt(e, b, im->global.valtype, im->global.ht); wk_buf_byte(b, im->global.mut); break;
    case WK_EXTERN_TAG: wk_buf_byte(b, 0); put_u32(e, b, im->tag_type); break; /* Core 3.0 tagtype */
    default: e->bad = 1;
    }
  }
}

static void c_func(enc *e, wk_buf *b) {
  put_u32(e, b, e->m->nfuncs);
  for (uint32_t i = 0; i < e->m->nfuncs; i++) put_u32(e, b, e->m->funcs[i]);
}

static void c_table(enc *e, wk_buf *b) {
  put_u32(e, b, e->m->ntables);
  for (uint32_t i = 0; i < e->m->ntables; i++) {
    const wk_core_expr *init = e->m->table_inits && e->m->table_inits[i].len ? &e->m->table_inits[i] : NULL;
    if (init) wk_buf_byte(b, 0x40), wk_buf_byte(b, 0x00); /* Core 3.0 5.5.7: 0x40 0x00 tt e */
    put_vt(e, b, e->m->tables[i].reftype, e->m->tables[i].ht);
    put_limits(e, b, &e->m->tables[i].lim);
    if (init) put_expr(b, init);
  }
}

static void c_mem(enc *e, wk_buf *b) {
  put_u32(e, b, e->m->nmems);
  for (uint32_t i = 0; i < e->m->nmems; i++) put_limits(e, b, &e->m->mems[i]);
}

static void c_tag(enc *e, wk_buf *b) { /* Core 3.0 tag section: vec(0x00 typeidx) */
  put_u32(e, b, e->m->ntags);
  for (uint32_t i = 0; i < e->m->ntags; i++) {
    wk_buf_byte(b, 0);
    put_u32(e, b, e->m->tags[i]);
  }
}

static void c_global(enc *e, wk_buf *b) {
  put_u32(e, b, e->m->nglobals);
  for (uint32_t i = 0; i < e->m->nglobals; i++) {
    const wk_core_global *g = &e->m->globals[i];
    put_vt(e, b, g->type.valtype, g->type.ht);
    wk_buf_byte(b, g->type.mut);
    put_expr(b, &g->init);
  }
}

static void c_export(enc *e, wk_buf *b) {
  put_u32(e, b, e->m->nexports);
  for (uint32_t i = 0; i < e->m->nexports; i++) {
    const wk_core_export *x = &e->m->exports[i];
    put_name(e, b, &x->name);
    wk_buf_byte(b, x->kind);
    put_u32(e, b, x->index);
  }
}

static void c_start(enc *e, wk_buf *b) { put_u32(e, b, e->m->start); }

/* Core 5.5.12: the flags are derived from the segment; the short forms
 * (0, 4) are used unless the input used the explicit one or they cannot
 * express the segment (table != 0, or not funcref). */
static void c_elem(enc *e, wk_buf *b) {
  put_u32(e, b, e->m->nelems);
  for (uint32_t i = 0; i < e->m->nelems; i++) {
    const wk_core_elem *s = &e->m->elems[i];
    uint32_t flags = s->uses_exprs ? 4 : 0;
    if (s->mode == WK_SEG_ACTIVE) {
      if (s->explicit_table || s->table != 0 || s->reftype != WK_FUNCREF) flags |= 2;
    } else if (s->mode == WK_SEG_PASSIVE) flags |= 1;
    else flags |= 3;
    if (!s->uses_exprs && s->reftype != WK_FUNCREF) e->bad = 1; /* elemkind 0x00 is funcref only */
    put_u32(e, b, flags);
    if (s->mode == WK_SEG_ACTIVE) {
      if (flags & 2) put_u32(e, b, s->table);
      put_expr(b, &s->offset);
    }
    if (flags & 3) {
      if (s->uses_exprs) put_vt(e, b, s->reftype, s->ht);
      else wk_buf_byte(b, 0x00);
    }
    put_u32(e, b, s->count);
    for (uint32_t k = 0; k < s->count; k++) {
      if (s->uses_exprs) put_expr(b, &s->exprs[k]);
      else put_u32(e, b, s->funcs[k]);
    }
  }
}

static void c_datacount(enc *e, wk_buf *b) { put_u32(e, b, e->m->datacount); }

static void c_code(enc *e, wk_buf *b) {
  put_u32(e, b, e->m->ncodes);
  for (uint32_t i = 0; i < e->m->ncodes; i++) {
    const wk_core_code *c = &e->m->codes[i];
    uint32_t size_ord = e->ord++;
    wk_buf tmp = {0};
    put_u32(e, &tmp, c->ngroups);
    for (uint32_t k = 0; k < c->ngroups; k++) {
      put_u32(e, &tmp, c->groups[k].count);
      put_vt(e, &tmp, c->groups[k].type, c->groups[k].ht);
    }
    wk_buf_append(&tmp, c->body, c->body_len);
    if (tmp.oom) b->oom = 1;
    put_u32_ord(e, b, (uint32_t)tmp.len, size_ord);
    wk_buf_append(b, tmp.data, tmp.len);
    wk_buf_free(&tmp);
  }
}

static void c_data(enc *e, wk_buf *b) {
  put_u32(e, b, e->m->ndatas);
  for (uint32_t i = 0; i < e->m->ndatas; i++) {
    const wk_core_data *s = &e->m->datas[i];
    if (s->mode == WK_SEG_PASSIVE) put_u32(e, b, 1);
    else if (s->explicit_mem || s->memory != 0) {
      put_u32(e, b, 2);
      put_u32(e, b, s->memory);
    } else put_u32(e, b, 0);
    if (s->mode != WK_SEG_PASSIVE) put_expr(b, &s->offset);
    put_u32(e, b, s->len);
    wk_buf_append(b, s->bytes, s->len);
  }
}

static void put_custom(enc *e, wk_buf *out, const wk_core_custom *c) {
  uint32_t size_ord = e->ord++;
  wk_buf tmp = {0};
  put_name(e, &tmp, &c->name);
  wk_buf_append(&tmp, c->content, c->len);
  if (tmp.oom) out->oom = 1;
  wk_buf_byte(out, 0);
  put_u32_ord(e, out, (uint32_t)tmp.len, size_ord);
  wk_buf_append(out, tmp.data, tmp.len);
  wk_buf_free(&tmp);
}

static void encode_all(enc *e, wk_buf *out) {
  const wk_core_module *m = e->m;
  static const uint8_t order[13] = {1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11}; /* tags: Core 3.0 5.5.16 */
  uint32_t done = 1; /* bit 0: "before all sections" */
  uint32_t ci = 0;
  wk_buf_append(out, "\0asm\1\0\0\0", 8);
  for (;;) {
    while (ci < m->ncustoms && m->customs[ci].place <= 13 && (done >> m->customs[ci].place & 1))
      put_custom(e, out, &m->customs[ci++]);
    int k;
    for (k = 0; k < 13; k++) {
      uint8_t id = order[k];
      if (done >> id & 1) continue;
      int present = (m->sections_present >> id & 1) != 0;
      content_fn fn = NULL;
      switch (id) {
      case 1: present |= m->ntypes > 0; fn = c_type; break;
      case 2: present |= m->nimports > 0; fn = c_import; break;
      case 3: present |= m->nfuncs > 0; fn = c_func; break;
      case 4: present |= m->ntables > 0; fn = c_table; break;
      case 5: present |= m->nmems > 0; fn = c_mem; break;
      case 6: present |= m->nglobals > 0; fn = c_global; break;
      case 7: present |= m->nexports > 0; fn = c_export; break;
      case 8: present = m->has_start; fn = c_start; break;
      case 9: present |= m->nelems > 0; fn = c_elem; break;
      case 12: present = m->has_datacount; fn = c_datacount; break;
      case 13: present |= m->ntags > 0; fn = c_tag; break;
      case 10: present |= m->ncodes > 0; fn = c_code; break;
      case 11: present |= m->ndatas > 0; fn = c_data; break;
      }
      done |= 1u << id;
      if (present) {
        put_section(e, out, id, fn);
        break;
      }
    }
    if (k == 13) break;
  }
  while (ci < m->ncustoms) put_custom(e, out, &m->customs[ci++]);
}

int wk_core_encode(const wk_core_module *m, wk_buf *out, wk_error *err) {
  if (m->ncodes != m->nfuncs)
    return wk_error_set(err, WK_ERR_USAGE, "function and code counts differ (%u vs %u)", m->nfuncs, m->ncodes);
  if (m->has_datacount && m->datacount != m->ndatas)
    return wk_error_set(err, WK_ERR_USAGE, "data count %u but %u data segments", m->datacount, m->ndatas);
  enc e = {.m = m, .use_pads = m->npads > 0, .err = err};
  wk_buf tmp = {0};
  encode_all(&e, &tmp);
  if (e.use_pads && e.ord != m->nlebs) {
    /* The model's shape changed since decoding: the recorded widths no
     * longer line up with the fields, so encode minimally. */
    wk_buf_free(&tmp);
    memset(&tmp, 0, sizeof tmp);
    e.ord = 0;
    e.use_pads = 0;
    encode_all(&e, &tmp);
  }
  if (e.bad) {
    wk_buf_free(&tmp);
    return wk_error_set(err, WK_ERR_USAGE, "model cannot be encoded (bad import kind, or function items with a non-funcref element segment)");
  }
  if (tmp.oom) {
    wk_buf_free(&tmp);
    return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  }
  wk_buf_append(out, tmp.data, tmp.len);
  wk_buf_free(&tmp);
  if (out->oom) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  return WK_OK;
}
