/* Resolve -> JSON with the schema of `wasm-tools component wit --json`
 * (wit-parser's serde derive on Resolve/World/Interface/TypeDef/Function;
 * keys in declaration order, `skip_serializing_if` fields omitted). The tree is
 * built with cJSON and printed like serde_json's pretty printer (2 spaces). */
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "witparse/internal.h"

typedef struct J {
  const wit_resolve *r;
  int oom;
} J;

static cJSON *chk(J *j, cJSON *x) {
  if (!x) j->oom = 1;
  return x;
}
static void add(J *j, cJSON *obj, const char *k, cJSON *v) {
  if (!v) { j->oom = 1; return; }
  if (!cJSON_AddItemToObject(obj, k, v)) { cJSON_Delete(v); j->oom = 1; }
}
static void push(J *j, cJSON *arr, cJSON *v) {
  if (!v) { j->oom = 1; return; }
  if (!cJSON_AddItemToArray(arr, v)) { cJSON_Delete(v); j->oom = 1; }
}
static cJSON *num(J *j, uint32_t v) { return chk(j, cJSON_CreateNumber((double)v)); }
static cJSON *str(J *j, const char *s) { return chk(j, s ? cJSON_CreateString(s) : cJSON_CreateNull()); }
static cJSON *obj(J *j) { return chk(j, cJSON_CreateObject()); }
static cJSON *arr(J *j) { return chk(j, cJSON_CreateArray()); }
static cJSON *id_or_null(J *j, wit_id id) { return id == WIT_NONE ? chk(j, cJSON_CreateNull()) : num(j, id); }
static cJSON *tagged(J *j, const char *k, cJSON *v) {
  cJSON *o = obj(j);
  if (o) add(j, o, k, v);
  else cJSON_Delete(v);
  return o;
}

static cJSON *type_json(J *j, wit_type t) {
  if (t.prim == WIT_PRIM_NONE) return chk(j, cJSON_CreateNull());
  if (t.prim == WIT_PRIM_ID) return num(j, t.id);
  return str(j, wit_prim_name((wit_prim)t.prim));
}

static void add_docs(J *j, cJSON *o, const char *docs) {
  if (!docs) return;
  add(j, o, "docs", tagged(j, "contents", str(j, docs)));
}
static void add_stability(J *j, cJSON *o, const wit_stability *s) {
  if (s->kind == WIT_STAB_UNKNOWN) return;
  cJSON *in = obj(j);
  if (!in) return;
  if (s->kind == WIT_STAB_UNSTABLE) add(j, in, "feature", str(j, s->feature));
  else add(j, in, "since", str(j, s->since));
  if (s->deprecated) add(j, in, "deprecated", str(j, s->deprecated));
  add(j, o, "stability", tagged(j, s->kind == WIT_STAB_UNSTABLE ? "unstable" : "stable", in));
}

static cJSON *function_json(J *j, const wit_function *f) {
  cJSON *o = obj(j);
  if (!o) return NULL;
  add(j, o, "name", str(j, f->name));
  static const char *const kinds[] = {"freestanding", "async-freestanding", "method", "async-method",
                                      "static",       "async-static",       "constructor"};
  if (f->kind == WIT_FN_FREESTANDING || f->kind == WIT_FN_ASYNC_FREESTANDING) add(j, o, "kind", str(j, kinds[f->kind]));
  else add(j, o, "kind", tagged(j, kinds[f->kind], num(j, f->resource)));
  cJSON *ps = arr(j);
  for (uint32_t i = 0; ps && i < f->n_params; i++) {
    cJSON *p = obj(j);
    if (p) {
      if (f->params[i].name && f->params[i].name[0]) add(j, p, "name", str(j, f->params[i].name));
      add(j, p, "type", type_json(j, f->params[i].ty));
    }
    push(j, ps, p);
  }
  add(j, o, "params", ps);
  if (f->result.prim != WIT_PRIM_NONE) add(j, o, "result", type_json(j, f->result));
  add_docs(j, o, f->docs);
  add_stability(j, o, &f->stability);
  if (f->external_id) add(j, o, "external_id", str(j, f->external_id));
  return o;
}

static cJSON *fields_json(J *j, const wit_typedef *t, int with_type, int nullable) {
  cJSON *a = arr(j);
  for (uint32_t i = 0; a && i < t->n_fields; i++) {
    cJSON *f = obj(j);
    if (f) {
      add(j, f, "name", str(j, t->fields[i].name));
      if (with_type) {
        if (nullable || t->fields[i].ty.prim != WIT_PRIM_NONE) add(j, f, "type", type_json(j, t->fields[i].ty));
      }
      add_docs(j, f, t->fields[i].docs);
    }
    push(j, a, f);
  }
  return a;
}

static cJSON *kind_json(J *j, const wit_typedef *t) {
  switch (t->kind) {
  case WIT_TD_RECORD: return tagged(j, "record", tagged(j, "fields", fields_json(j, t, 1, 1)));
  case WIT_TD_RESOURCE: return str(j, "resource");
  case WIT_TD_OWN: return tagged(j, "handle", tagged(j, "own", num(j, t->resource)));
  case WIT_TD_BORROW: return tagged(j, "handle", tagged(j, "borrow", num(j, t->resource)));
  case WIT_TD_FLAGS: return tagged(j, "flags", tagged(j, "flags", fields_json(j, t, 0, 0)));
  case WIT_TD_TUPLE: {
    cJSON *a = arr(j);
    for (uint32_t i = 0; a && i < t->n_fields; i++) push(j, a, type_json(j, t->fields[i].ty));
    return tagged(j, "tuple", tagged(j, "types", a));
  }
  case WIT_TD_VARIANT: return tagged(j, "variant", tagged(j, "cases", fields_json(j, t, 1, 1)));
  case WIT_TD_ENUM: return tagged(j, "enum", tagged(j, "cases", fields_json(j, t, 0, 0)));
  case WIT_TD_OPTION: return tagged(j, "option", type_json(j, t->ty));
  case WIT_TD_RESULT: {
    cJSON *o = obj(j);
    if (o) {
      add(j, o, "ok", type_json(j, t->ty));
      add(j, o, "err", type_json(j, t->ty2));
    }
    return tagged(j, "result", o);
  }
  case WIT_TD_LIST: return tagged(j, "list", type_json(j, t->ty));
  case WIT_TD_MAP: {
    cJSON *a = arr(j);
    if (a) {
      push(j, a, type_json(j, t->ty));
      push(j, a, type_json(j, t->ty2));
    }
    return tagged(j, "map", a);
  }
  case WIT_TD_FIXED_LIST: {
    cJSON *a = arr(j);
    if (a) {
      push(j, a, type_json(j, t->ty));
      push(j, a, num(j, t->size));
    }
    return tagged(j, "fixed-length-list", a);
  }
  case WIT_TD_FUTURE: return tagged(j, "future", type_json(j, t->ty));
  case WIT_TD_STREAM: return tagged(j, "stream", type_json(j, t->ty));
  case WIT_TD_TYPE: return tagged(j, "type", type_json(j, t->ty));
  default: return str(j, "unknown");
  }
}

static char *key_str(J *j, const wit_world_item *it, char *buf, size_t cap) {
  (void)j;
  if (it->key_name) return (char *)it->key_name;
  snprintf(buf, cap, "interface-%u", it->key_iface);
  return buf;
}

static cJSON *items_json(J *j, const wit_world_item *v, uint32_t n) {
  cJSON *o = obj(j);
  for (uint32_t i = 0; o && i < n; i++) {
    const wit_world_item *it = &v[i];
    char buf[32];
    cJSON *x;
    if (it->kind == WIT_ITEM_INTERFACE) {
      cJSON *in = obj(j);
      if (in) {
        add(j, in, "id", num(j, it->id));
        add_stability(j, in, &it->stability);
        if (it->external_id) add(j, in, "external_id", str(j, it->external_id));
        add_docs(j, in, it->docs);
      }
      x = tagged(j, "interface", in);
    } else if (it->kind == WIT_ITEM_FUNCTION) {
      x = tagged(j, "function", function_json(j, &it->func));
    } else {
      x = tagged(j, "type", num(j, it->id));
    }
    add(j, o, key_str(j, it, buf, sizeof buf), x);
  }
  return o;
}

static cJSON *named_ids(J *j, const wit_named_id *v, uint32_t n) {
  cJSON *o = obj(j);
  for (uint32_t i = 0; o && i < n; i++) add(j, o, v[i].name, num(j, v[i].id));
  return o;
}

static cJSON *resolve_json(J *j) {
  const wit_resolve *r = j->r;
  cJSON *root = obj(j);
  if (!root) return NULL;
  cJSON *ws = arr(j);
  for (uint32_t i = 0; ws && i < r->n_worlds; i++) {
    const wit_world *w = &r->worlds[i];
    cJSON *o = obj(j);
    if (o) {
      add(j, o, "name", str(j, w->name));
      add(j, o, "imports", items_json(j, w->imports, w->n_imports));
      add(j, o, "exports", items_json(j, w->exports, w->n_exports));
      add(j, o, "package", id_or_null(j, w->package));
      add_docs(j, o, w->docs);
      add_stability(j, o, &w->stability);
    }
    push(j, ws, o);
  }
  add(j, root, "worlds", ws);
  cJSON *is = arr(j);
  for (uint32_t i = 0; is && i < r->n_interfaces; i++) {
    const wit_interface *in = &r->interfaces[i];
    cJSON *o = obj(j);
    if (o) {
      add(j, o, "name", str(j, in->name));
      add(j, o, "types", named_ids(j, in->types, in->n_types));
      cJSON *fs = obj(j);
      for (uint32_t k = 0; fs && k < in->n_functions; k++)
        add(j, fs, in->functions[k].name, function_json(j, &in->functions[k]));
      add(j, o, "functions", fs);
      add_docs(j, o, in->docs);
      add_stability(j, o, &in->stability);
      add(j, o, "package", id_or_null(j, in->package));
      if (in->clone_of != WIT_NONE) add(j, o, "clone_of", num(j, in->clone_of));
    }
    push(j, is, o);
  }
  add(j, root, "interfaces", is);
  cJSON *ts = arr(j);
  for (uint32_t i = 0; ts && i < r->n_types; i++) {
    const wit_typedef *t = &r->types[i];
    cJSON *o = obj(j);
    if (o) {
      add(j, o, "name", str(j, t->name));
      add(j, o, "kind", kind_json(j, t));
      if (t->owner_kind == WIT_OWNER_NONE) add(j, o, "owner", chk(j, cJSON_CreateNull()));
      else add(j, o, "owner", tagged(j, t->owner_kind == WIT_OWNER_WORLD ? "world" : "interface", num(j, t->owner)));
      add_docs(j, o, t->docs);
      add_stability(j, o, &t->stability);
      if (t->external_id) add(j, o, "external_id", str(j, t->external_id));
    }
    push(j, ts, o);
  }
  add(j, root, "types", ts);
  cJSON *ps = arr(j);
  for (uint32_t i = 0; ps && i < r->n_packages; i++) {
    const wit_package *p = &r->packages[i];
    cJSON *o = obj(j);
    if (o) {
      wk_buf nb = {0};
      wk_buf_printf(&nb, "%s:%s", p->name.namespace_, p->name.name);
      if (p->name.version) wk_buf_printf(&nb, "@%s", p->name.version);
      wk_buf_byte(&nb, 0);
      if (nb.oom) j->oom = 1;
      else add(j, o, "name", str(j, (const char *)nb.data));
      wk_buf_free(&nb);
      add_docs(j, o, p->docs);
      add(j, o, "interfaces", named_ids(j, p->interfaces, p->n_interfaces));
      add(j, o, "worlds", named_ids(j, p->worlds, p->n_worlds));
    }
    push(j, ps, o);
  }
  add(j, root, "packages", ps);
  return root;
}

/* serde_json string escaping */
static void put_str(wk_buf *b, const char *s) {
  wk_buf_byte(b, '"');
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    switch (ch) {
    case '"': wk_buf_str(b, "\\\""); break;
    case '\\': wk_buf_str(b, "\\\\"); break;
    case '\n': wk_buf_str(b, "\\n"); break;
    case '\r': wk_buf_str(b, "\\r"); break;
    case '\t': wk_buf_str(b, "\\t"); break;
    case '\b': wk_buf_str(b, "\\b"); break;
    case '\f': wk_buf_str(b, "\\f"); break;
    default:
      if (ch < 0x20) wk_buf_printf(b, "\\u%04x", ch);
      else wk_buf_byte(b, ch);
    }
  }
  wk_buf_byte(b, '"');
}
static void indent(wk_buf *b, int n) {
  for (int i = 0; i < n; i++) wk_buf_str(b, "  ");
}
static void put(wk_buf *b, const cJSON *x, int lvl) {
  if (cJSON_IsNull(x)) wk_buf_str(b, "null");
  else if (cJSON_IsTrue(x)) wk_buf_str(b, "true");
  else if (cJSON_IsFalse(x)) wk_buf_str(b, "false");
  else if (cJSON_IsNumber(x)) wk_buf_printf(b, "%lld", (long long)x->valuedouble);
  else if (cJSON_IsString(x)) put_str(b, x->valuestring);
  else {
    int isobj = cJSON_IsObject(x);
    const cJSON *c = x->child;
    if (!c) { wk_buf_str(b, isobj ? "{}" : "[]"); return; }
    wk_buf_str(b, isobj ? "{\n" : "[\n");
    for (; c; c = c->next) {
      indent(b, lvl + 1);
      if (isobj) {
        put_str(b, c->string);
        wk_buf_str(b, ": ");
      }
      put(b, c, lvl + 1);
      if (c->next) wk_buf_byte(b, ',');
      wk_buf_byte(b, '\n');
    }
    indent(b, lvl);
    wk_buf_byte(b, isobj ? '}' : ']');
  }
}

int wit_resolve_to_json(const wit_resolve *r, wk_buf *out, wk_error *err) {
  J j = {r, 0};
  cJSON *root = resolve_json(&j);
  if (!root || j.oom) {
    cJSON_Delete(root);
    return wk_error_set(err, WK_ERR_NOMEM, "out of memory building JSON");
  }
  put(out, root, 0);
  wk_buf_byte(out, '\n');
  cJSON_Delete(root);
  if (out->oom) return wk_error_set(err, WK_ERR_NOMEM, "out of memory printing JSON");
  return WK_OK;
}
