/* Producers section writer (tool-conventions ProducersSection.md). */
#include "encode/producers.h"

#include <string.h>

static void put_str(wk_buf *b, wk_cstr s) {
  wk_buf_uleb(b, s.len);
  wk_buf_append(b, s.s, s.len);
}

int wk_producers_encode(const wk_producers *p, wk_buf *out, wk_error *err) {
  wk_buf_uleb(out, p->n);
  for (uint32_t i = 0; i < p->n; i++) {
    const wk_producer_field *f = &p->fields[i];
    put_str(out, f->name);
    wk_buf_uleb(out, f->n);
    for (uint32_t j = 0; j < f->n; j++) {
      put_str(out, f->values[j].name);
      put_str(out, f->values[j].version);
    }
  }
  if (out->oom) return wk_error_set(err, WK_ERR_NOMEM, "out of memory encoding the producers section");
  return WK_OK;
}

static int eq(wk_cstr a, const char *s) { return a.len == strlen(s) && !memcmp(a.s, s, a.len); }

int wk_producers_add(const uint8_t *payload, size_t len, const char *field, const char *name,
                     const char *version, wk_buf *out, wk_error *err) {
  wk_arena arena = {0};
  wk_producers p = {0};
  int rc = WK_OK;
  if (payload && (rc = wk_producers_parse(payload, len, 0, &arena, &p, err)) != WK_OK) goto done;
  wk_cstr fname = {field, (uint32_t)strlen(field)};
  wk_producer_value v = {{name, (uint32_t)strlen(name)}, {version, (uint32_t)strlen(version)}};
  uint32_t fi;
  for (fi = 0; fi < p.n && !eq(p.fields[fi].name, field); fi++) {}
  if (fi == p.n) { /* new field at the end */
    wk_producer_field *nf = wk_arena_alloc(&arena, (p.n + 1) * sizeof *nf);
    if (!nf) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }
    if (p.n) memcpy(nf, p.fields, p.n * sizeof *nf);
    nf[p.n] = (wk_producer_field){.name = fname};
    p.fields = nf;
    p.n++;
  }
  wk_producer_field *f = &p.fields[fi];
  uint32_t vi;
  for (vi = 0; vi < f->n && !eq(f->values[vi].name, name); vi++) {}
  if (vi < f->n) f->values[vi].version = v.version;
  else {
    wk_producer_value *nv = wk_arena_alloc(&arena, (f->n + 1) * sizeof *nv);
    if (!nv) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }
    if (f->n) memcpy(nv, f->values, f->n * sizeof *nv);
    nv[f->n] = v;
    f->values = nv;
    f->n++;
  }
  rc = wk_producers_encode(&p, out, err);
done:
  wk_arena_free(&arena);
  return rc;
}
