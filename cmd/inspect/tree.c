/* winspect: the default tree, --json and --sections. The tree and the JSON
 * come from one cJSON document built from lib/encode's models. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "inspect.h"

const char *insp_extern_kind(uint8_t kind) {
  static const char *k[] = {"core module", "func", "value", "type", "component", "instance"};
  return kind < 6 ? k[kind] : "?";
}
const char *insp_core_kind(uint8_t kind) {
  static const char *k[] = {"func", "table", "memory", "global", "tag"};
  return kind < 5 ? k[kind] : "?";
}
static cJSON *jstr(wk_cstr s) {
  char *t = malloc((size_t)s.len + 1);
  if (!t) return cJSON_CreateNull();
  memcpy(t, s.s, s.len);
  t[s.len] = 0;
  cJSON *j = cJSON_CreateString(t);
  free(t);
  return j;
}

static void add_producers(cJSON *o, const uint8_t *d, size_t len, size_t base, wk_arena *a) {
  wk_producers p;
  wk_error err;
  wk_error_clear(&err);
  if (wk_producers_parse(d, len, base, a, &p, &err)) {
    cJSON_AddStringToObject(o, "producers_error", err.msg);
    return;
  }
  cJSON *po = cJSON_AddObjectToObject(o, "producers");
  for (uint32_t i = 0; i < p.n; i++) {
    cJSON *arr = cJSON_CreateArray();
    for (uint32_t j = 0; j < p.fields[i].n; j++) {
      wk_producer_value *v = &p.fields[i].values[j];
      cJSON *e = cJSON_CreateObject();
      cJSON_AddItemToObject(e, "name", jstr(v->name));
      cJSON_AddItemToObject(e, "version", jstr(v->version));
      cJSON_AddItemToArray(arr, e);
    }
    cJSON *k = jstr(p.fields[i].name);
    cJSON_AddItemToObject(po, k->valuestring ? k->valuestring : "?", arr);
    cJSON_Delete(k);
  }
}

static void add_custom(cJSON *customs, cJSON *o, wk_cstr name, size_t offset, size_t size, const uint8_t *content,
                       size_t clen, size_t coff, wk_arena *a) {
  cJSON *c = cJSON_CreateObject();
  cJSON_AddItemToObject(c, "name", jstr(name));
  cJSON_AddNumberToObject(c, "offset", (double)offset);
  cJSON_AddNumberToObject(c, "size", (double)size);
  cJSON_AddItemToArray(customs, c);
  if (name.len == 9 && !memcmp(name.s, "producers", 9)) add_producers(o, content, clen, coff, a);
}

static cJSON *module_json(insp *in, const uint8_t *d, size_t len, size_t base) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "kind", "module");
  cJSON_AddNumberToObject(o, "offset", (double)base);
  cJSON_AddNumberToObject(o, "size", (double)len);
  wk_error err;
  wk_error_clear(&err);
  wk_section_iter it;
  wk_section s;
  cJSON *customs = cJSON_CreateArray();
  int first = 1, signed_ = 0, rc = 0;
  if (wk_sections_begin(&it, d, len, &err) == WK_OK) {
    while ((rc = wk_sections_next(&it, &s, &err)) == 1) {
      if (s.id == 0) {
        wk_cstr nm = {s.name, (uint32_t)s.name_len};
        if (first && s.name_len == 9 && !memcmp(s.name, "signature", 9)) signed_ = 1;
        add_custom(customs, o, nm, base + s.offset, s.end - s.offset, d + s.content_offset, s.end - s.content_offset,
                   base + s.content_offset, &in->arena);
      }
      first = 0;
    }
  } else {
    rc = -1;
  }
  if (rc < 0) {
    char msg[600];
    snprintf(msg, sizeof msg, "0x%llx: %s", (unsigned long long)(base + err.offset), err.msg);
    cJSON_AddStringToObject(o, "error", msg);
  }
  cJSON_AddBoolToObject(o, "signed", signed_);
  wk_modinfo mi;
  wk_error_clear(&err);
  if (rc >= 0 && wk_modinfo_read(d, len, &in->arena, &mi, &err) == WK_OK) {
    cJSON_AddNumberToObject(o, "functions", mi.nfuncs);
    cJSON *im = cJSON_AddArrayToObject(o, "imports");
    for (uint32_t i = 0; i < mi.nimports; i++) {
      cJSON *e = cJSON_CreateObject();
      cJSON_AddItemToObject(e, "module", jstr(mi.imports[i].module));
      cJSON_AddItemToObject(e, "name", jstr(mi.imports[i].name));
      cJSON_AddStringToObject(e, "kind", insp_core_kind(mi.imports[i].kind));
      cJSON_AddItemToArray(im, e);
    }
    cJSON *ex = cJSON_AddArrayToObject(o, "exports");
    for (uint32_t i = 0; i < mi.nexports; i++) {
      cJSON *e = cJSON_CreateObject();
      cJSON_AddItemToObject(e, "name", jstr(mi.exports[i].name));
      cJSON_AddStringToObject(e, "kind", insp_core_kind(mi.exports[i].kind));
      cJSON_AddNumberToObject(e, "index", mi.exports[i].idx);
      cJSON_AddItemToArray(ex, e);
    }
  } else if (rc >= 0) {
    char msg[600];
    snprintf(msg, sizeof msg, "0x%llx: %s", (unsigned long long)(base + err.offset), err.msg);
    cJSON_AddStringToObject(o, "error", msg);
  }
  cJSON_AddItemToObject(o, "custom_sections", customs);
  return o;
}

static cJSON *component_json(insp *in, const wk_component *c) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "kind", "component");
  cJSON_AddNumberToObject(o, "offset", (double)c->offset);
  cJSON_AddNumberToObject(o, "size", (double)c->len);
  int signed_ = c->nsections && c->sections[0].id == 0 && c->sections[0].custom_name.len == 9 &&
                !memcmp(c->sections[0].custom_name.s, "signature", 9);
  for (uint32_t i = 0; i < c->nsections; i++) {
    const wk_csection *s = &c->sections[i];
    if (s->id == 0 && s->custom_name.len == 14 && !memcmp(s->custom_name.s, "component-name", 14)) {
      wk_cnames nm;
      wk_error err;
      if (wk_cnames_parse((const uint8_t *)s->custom_data.s, s->custom_data.len, &in->arena, &nm, &err) == WK_OK &&
          nm.has_name)
        cJSON_AddItemToObject(o, "name", jstr(nm.name));
    }
  }
  cJSON_AddBoolToObject(o, "signed", signed_);
  cJSON *im = cJSON_AddArrayToObject(o, "imports");
  cJSON *ex = cJSON_AddArrayToObject(o, "exports");
  cJSON *customs = cJSON_CreateArray();
  cJSON *children = cJSON_CreateArray();
  for (uint32_t i = 0; i < c->nsections; i++) {
    const wk_csection *s = &c->sections[i];
    switch (s->id) {
      case WK_CSEC_IMPORT:
        for (uint32_t k = 0; k < s->count; k++) {
          cJSON *e = cJSON_CreateObject();
          cJSON_AddItemToObject(e, "name", jstr(s->u.imports[k].name.name));
          cJSON_AddStringToObject(e, "kind", insp_extern_kind(s->u.imports[k].ext.kind));
          cJSON_AddItemToArray(im, e);
        }
        break;
      case WK_CSEC_EXPORT:
        for (uint32_t k = 0; k < s->count; k++) {
          cJSON *e = cJSON_CreateObject();
          cJSON_AddItemToObject(e, "name", jstr(s->u.exports[k].name.name));
          cJSON_AddStringToObject(e, "kind", wk_csort_name(s->u.exports[k].sort));
          cJSON_AddItemToArray(ex, e);
        }
        break;
      case WK_CSEC_CUSTOM:
        add_custom(customs, o, s->custom_name, s->offset, s->payload_offset + s->payload_len - s->offset,
                   (const uint8_t *)s->custom_data.s, s->custom_data.len,
                   (size_t)((const uint8_t *)s->custom_data.s - in->data), &in->arena);
        break;
      case WK_CSEC_CORE_MODULE:
        cJSON_AddItemToArray(children, module_json(in, s->u.module.bytes, s->u.module.len, s->u.module.offset));
        break;
      case WK_CSEC_COMPONENT: cJSON_AddItemToArray(children, component_json(in, s->u.component)); break;
    }
  }
  cJSON_AddItemToObject(o, "custom_sections", customs);
  cJSON_AddItemToObject(o, "children", children);
  return o;
}

static cJSON *build(insp *in) {
  if (in->kind == WK_BIN_COMPONENT) return component_json(in, in->comp);
  return module_json(in, in->data, in->len, 0);
}

static void ind(FILE *out, int n) {
  for (int i = 0; i < n; i++) fputs("  ", out);
}

static void render(FILE *out, cJSON *o, int depth) {
  const char *kind = cJSON_GetObjectItem(o, "kind")->valuestring;
  cJSON *name = cJSON_GetObjectItem(o, "name");
  ind(out, depth);
  fprintf(out, "%s", !strcmp(kind, "module") ? "core module" : "component");
  if (cJSON_IsString(name)) fprintf(out, " \"%s\"", name->valuestring);
  fprintf(out, " (offset 0x%llx, %.0f bytes)\n", (unsigned long long)cJSON_GetObjectItem(o, "offset")->valuedouble,
          cJSON_GetObjectItem(o, "size")->valuedouble);
  cJSON *err = cJSON_GetObjectItem(o, "error");
  if (cJSON_IsString(err)) { ind(out, depth + 1); fprintf(out, "error: %s\n", err->valuestring); }
  ind(out, depth + 1);
  fprintf(out, "signed: %s\n", cJSON_IsTrue(cJSON_GetObjectItem(o, "signed")) ? "yes (signature section first)" : "no");
  cJSON *fn = cJSON_GetObjectItem(o, "functions");
  if (cJSON_IsNumber(fn)) { ind(out, depth + 1); fprintf(out, "functions: %.0f\n", fn->valuedouble); }
  cJSON *prod = cJSON_GetObjectItem(o, "producers");
  if (prod) {
    ind(out, depth + 1);
    fprintf(out, "producers:\n");
    cJSON *f;
    cJSON_ArrayForEach(f, prod) {
      ind(out, depth + 2);
      fprintf(out, "%s:", f->string);
      cJSON *v;
      int first = 1;
      cJSON_ArrayForEach(v, f) {
        const char *ver = cJSON_GetObjectItem(v, "version")->valuestring;
        fprintf(out, "%s %s%s%s", first ? "" : ",", cJSON_GetObjectItem(v, "name")->valuestring, *ver ? " " : "", ver);
        first = 0;
      }
      fputc('\n', out);
    }
  }
  static const char *lists[] = {"imports", "exports"};
  for (int l = 0; l < 2; l++) {
    cJSON *arr = cJSON_GetObjectItem(o, lists[l]);
    if (!arr) continue;
    ind(out, depth + 1);
    fprintf(out, "%s: %d\n", lists[l], cJSON_GetArraySize(arr));
    cJSON *e;
    cJSON_ArrayForEach(e, arr) {
      ind(out, depth + 2);
      cJSON *mod = cJSON_GetObjectItem(e, "module");
      if (mod) fprintf(out, "%s \"%s\" \"%s\"\n", cJSON_GetObjectItem(e, "kind")->valuestring, mod->valuestring,
                       cJSON_GetObjectItem(e, "name")->valuestring);
      else fprintf(out, "%s \"%s\"\n", cJSON_GetObjectItem(e, "kind")->valuestring, cJSON_GetObjectItem(e, "name")->valuestring);
    }
  }
  cJSON *cs = cJSON_GetObjectItem(o, "custom_sections");
  if (cJSON_GetArraySize(cs)) {
    ind(out, depth + 1);
    fprintf(out, "custom sections: %d\n", cJSON_GetArraySize(cs));
    cJSON *e;
    cJSON_ArrayForEach(e, cs) {
      ind(out, depth + 2);
      fprintf(out, "\"%s\" (offset 0x%llx, %.0f bytes)\n", cJSON_GetObjectItem(e, "name")->valuestring,
              (unsigned long long)cJSON_GetObjectItem(e, "offset")->valuedouble, cJSON_GetObjectItem(e, "size")->valuedouble);
    }
  }
  cJSON *ch = cJSON_GetObjectItem(o, "children");
  cJSON *e;
  cJSON_ArrayForEach(e, ch) render(out, e, depth + 1);
}

/* The first "error" the tree reports (its own, then its children's in order), or NULL. */
static const char *tree_error(const cJSON *o) {
  const cJSON *err = cJSON_GetObjectItem(o, "error");
  if (cJSON_IsString(err)) return err->valuestring;
  const cJSON *e;
  cJSON_ArrayForEach(e, cJSON_GetObjectItem(o, "children")) {
    const char *m = tree_error(e);
    if (m) return m;
  }
  return NULL;
}

/* A tree that reports an error is failed work: say so as every tool does (FILE:OFFSET: message, the
 * stored error starts with the offset) and exit 1, after printing what could be read. */
static int tree_status(const insp *in, const cJSON *o) {
  const char *m = tree_error(o);
  if (!m) return 0;
  fprintf(stderr, "winspect: error: %s:%s\n", in->path, m);
  return 1;
}

int insp_tree(insp *in, FILE *out) {
  cJSON *o = build(in);
  if (!o) return 1;
  render(out, o, 0);
  int rc = tree_status(in, o);
  cJSON_Delete(o);
  return rc;
}

/* ---- --sections ----------------------------------------------------- */

static const char *core_sec_name(uint8_t id) {
  static const char *n[] = {"Custom", "Type", "Import", "Function", "Table", "Memory", "Global", "Export",
                            "Start", "Elem", "Code", "Data", "DataCount", "Tag"};
  return id < 14 ? n[id] : "Unknown";
}
static const char *comp_sec_name(uint8_t id) {
  static const char *n[] = {"Custom", "CoreModule", "CoreInstance", "CoreType", "Component", "Instance", "Alias",
                            "Type", "Canon", "Start", "Import", "Export", "Value"};
  return id < 13 ? n[id] : "Unknown";
}

static int sections_rec(const uint8_t *data, size_t len, size_t base, int depth, cJSON *arr, FILE *out,
                        const char *path) {
  wk_section_iter it;
  wk_section s;
  wk_error err;
  wk_error_clear(&err);
  if (wk_sections_begin(&it, data, len, &err)) {
    err.offset += base;
    wk_error_print(stderr, "winspect", path, &err);
    return 1;
  }
  int comp = it.kind == WK_BIN_COMPONENT;
  if (out && depth == 0) fprintf(out, "%s:\n\n", comp ? "Component sections" : "Sections");
  int rc;
  while ((rc = wk_sections_next(&it, &s, &err)) == 1) {
    const char *nm = comp ? comp_sec_name(s.id) : core_sec_name(s.id);
    long long cnt = -1;
    int vec = comp ? (s.id == 2 || s.id == 3 || (s.id >= 5 && s.id <= 8) || s.id >= 10)
                   : (s.id >= 1 && s.id <= 7) || (s.id >= 9 && s.id <= 11) || s.id == 13;
    if (vec && s.id != 0) {
      size_t p = s.payload_offset;
      uint64_t v;
      if (wk_read_uleb(data, s.end, &p, 32, &v, NULL) == WK_OK) cnt = (long long)v;
    }
    if (out) {
      ind(out, depth);
      fprintf(out, "%12s start=0x%08llx end=0x%08llx (size=0x%08llx)", nm,
              (unsigned long long)(base + s.payload_offset), (unsigned long long)(base + s.end),
              (unsigned long long)s.payload_len);
      if (s.id == 0) fprintf(out, " \"%.*s\"", (int)s.name_len, s.name);
      else if (cnt >= 0) fprintf(out, " count: %lld", cnt);
      fputc('\n', out);
    }
    cJSON *o = NULL;
    if (arr) {
      o = cJSON_CreateObject();
      cJSON_AddNumberToObject(o, "id", s.id);
      cJSON_AddStringToObject(o, "kind", nm);
      cJSON_AddNumberToObject(o, "offset", (double)(base + s.offset));
      cJSON_AddNumberToObject(o, "payload_offset", (double)(base + s.payload_offset));
      cJSON_AddNumberToObject(o, "size", (double)s.payload_len);
      if (s.id == 0) cJSON_AddItemToObject(o, "name", jstr((wk_cstr){s.name, (uint32_t)s.name_len}));
      else if (cnt >= 0) cJSON_AddNumberToObject(o, "count", (double)cnt);
      cJSON_AddItemToArray(arr, o);
    }
    if (comp && (s.id == 1 || s.id == 4)) {
      cJSON *sub = o ? cJSON_AddArrayToObject(o, "sections") : NULL;
      if (sections_rec(data + s.payload_offset, s.payload_len, base + s.payload_offset, depth + 1, sub, out, path))
        return 1;
    }
  }
  if (rc < 0) {
    err.offset += base;
    wk_error_print(stderr, "winspect", path, &err);
    return 1;
  }
  return 0;
}

int insp_sections(insp *in, FILE *out) { return sections_rec(in->data, in->len, 0, 0, NULL, out, in->path); }

int insp_json(insp *in, FILE *out) {
  cJSON *o = build(in);
  if (!o) return 1;
  cJSON *secs = cJSON_AddArrayToObject(o, "sections");
  if (sections_rec(in->data, in->len, 0, 0, secs, NULL, in->path)) {
    cJSON_Delete(o);
    return 1;
  }
  char *s = cJSON_Print(o);
  int rc = s ? tree_status(in, o) : 1;
  cJSON_Delete(o);
  if (!s) return 1;
  fputs(s, out);
  fputc('\n', out);
  free(s);
  return rc;
}
