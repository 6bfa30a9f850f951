/*
 * The `package-docs` custom section of a binary WIT package (witencode.h
 * wit_encode_package_docs).
 *
 * The component model binary format has no place for doc comments or
 * @since/@unstable gates, so wit-component keeps them in a custom section:
 * one version byte (1: wit-parser metadata.rs PACKAGE_DOCS_SECTION_VERSION)
 * followed by JSON. The JSON follows wit-parser's serde derive on
 * PackageMetadata / WorldMetadata / InterfaceMetadata / TypeMetadata /
 * FunctionMetadata: keys in struct declaration order, maps in the Resolve's
 * order, empty members and empty entries left out, printed compactly (no
 * spaces) as serde_json does. Built with cJSON, whose compact printer escapes
 * strings the same way (`"`, `\`, \b \f \n \r \t, other control characters as
 * \u00xx; non-ASCII UTF-8 passes through).
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "witparse/witencode.h"

typedef struct D {
  const wit_resolve *r;
  int oom;
} D;

static cJSON *obj(D *d) {
  cJSON *o = cJSON_CreateObject();
  if (!o) d->oom = 1;
  return o;
}
static void add(D *d, cJSON *o, const char *k, cJSON *v) {
  if (!v) return;
  if (!o || !cJSON_AddItemToObject(o, k, v)) {
    cJSON_Delete(v);
    d->oom = 1;
  }
}
static void add_str(D *d, cJSON *o, const char *k, const char *s) {
  if (!s) return;
  cJSON *v = cJSON_CreateString(s);
  if (!v) d->oom = 1;
  add(d, o, k, v);
}
/* Add `v` under `k` unless it is an empty object (then drop it). */
static void add_nonempty(D *d, cJSON *o, const char *k, cJSON *v) {
  if (!v) return;
  if (!v->child) {
    cJSON_Delete(v);
    return;
  }
  add(d, o, k, v);
}
/* An object, or NULL (deleted) when it has no members. */
static cJSON *or_null(cJSON *v) {
  if (v && !v->child) {
    cJSON_Delete(v);
    return NULL;
  }
  return v;
}

/* Stability (wit-parser lib.rs, serde kebab-case, externally tagged): NULL for Unknown,
 * {"stable":{"since":V[,"deprecated":V]}} or {"unstable":{"feature":F[,"deprecated":V]}}. */
static cJSON *stability(D *d, const wit_stability *s) {
  if (s->kind != WIT_STAB_STABLE && s->kind != WIT_STAB_UNSTABLE) return NULL;
  cJSON *in = obj(d), *o = obj(d);
  if (s->kind == WIT_STAB_UNSTABLE) add_str(d, in, "feature", s->feature ? s->feature : "");
  else add_str(d, in, "since", s->since ? s->since : "");
  add_str(d, in, "deprecated", s->deprecated);
  add(d, o, s->kind == WIT_STAB_UNSTABLE ? "unstable" : "stable", in);
  return o;
}

/* FunctionMetadata (v1 DocsAndStability form): {"docs":..,"stability":..}; NULL when empty. */
static cJSON *func_meta(D *d, const wit_function *f) {
  cJSON *o = obj(d);
  add_str(d, o, "docs", f->docs);
  add(d, o, "stability", stability(d, &f->stability));
  return or_null(o);
}

/* TypeMetadata: docs, stability, items (docs of record fields, flags, variant and enum cases). */
static cJSON *type_meta(D *d, wit_id id) {
  if (id >= d->r->n_types) return NULL;
  const wit_typedef *t = &d->r->types[id];
  cJSON *o = obj(d);
  add_str(d, o, "docs", t->docs);
  add(d, o, "stability", stability(d, &t->stability));
  if (t->kind == WIT_TD_RECORD || t->kind == WIT_TD_FLAGS || t->kind == WIT_TD_VARIANT || t->kind == WIT_TD_ENUM) {
    cJSON *items = obj(d);
    for (uint32_t i = 0; i < t->n_fields; i++)
      if (t->fields[i].name) add_str(d, items, t->fields[i].name, t->fields[i].docs);
    add_nonempty(d, o, "items", items);
  }
  return or_null(o);
}

/* InterfaceMetadata: docs, stability, funcs, types. */
static cJSON *iface_meta(D *d, wit_id id) {
  if (id >= d->r->n_interfaces) return NULL;
  const wit_interface *it = &d->r->interfaces[id];
  cJSON *o = obj(d);
  add_str(d, o, "docs", it->docs);
  add(d, o, "stability", stability(d, &it->stability));
  cJSON *funcs = obj(d);
  for (uint32_t i = 0; i < it->n_functions; i++) add(d, funcs, it->functions[i].name, func_meta(d, &it->functions[i]));
  add_nonempty(d, o, "funcs", funcs);
  cJSON *types = obj(d);
  for (uint32_t i = 0; i < it->n_types; i++) add(d, types, it->types[i].name, type_meta(d, it->types[i].id));
  add_nonempty(d, o, "types", types);
  return or_null(o);
}

/* WorldMetadata::extract. */
static cJSON *world_meta(D *d, wit_id id) {
  const wit_resolve *r = d->r;
  if (id >= r->n_worlds) return NULL;
  const wit_world *w = &r->worlds[id];
  cJSON *ifaces = obj(d), *types = obj(d), *funcs = obj(d), *iface_exports = obj(d), *func_exports = obj(d);
  cJSON *imp_stab = obj(d), *exp_stab = obj(d), *imp_docs = obj(d), *exp_docs = obj(d);
  for (int pass = 0; pass < 2; pass++) {
    int import = pass == 0;
    const wit_world_item *items = import ? w->imports : w->exports;
    uint32_t n = import ? w->n_imports : w->n_exports;
    for (uint32_t i = 0; i < n; i++) {
      const wit_world_item *it = &items[i];
      char buf[1024];
      int by_ref = !it->key_name || (it->kind == WIT_ITEM_INTERFACE && it->id < r->n_interfaces &&
                                      r->interfaces[it->id].name);
      if (it->kind == WIT_ITEM_INTERFACE && by_ref) {
        /* record_interface_metadata: a by-reference interface keeps its item's stability and docs */
        const char *key = it->key_name ? it->key_name : wit_interface_id_string(r, it->key_iface, buf, sizeof buf);
        add(d, import ? imp_stab : exp_stab, key, stability(d, &it->stability));
        add_str(d, import ? imp_docs : exp_docs, key, it->docs);
        continue;
      }
      if (!it->key_name) continue;
      if (it->kind == WIT_ITEM_INTERFACE) add(d, import ? ifaces : iface_exports, it->key_name, iface_meta(d, it->id));
      else if (it->kind == WIT_ITEM_TYPE) add(d, types, it->key_name, type_meta(d, it->id));
      else if (it->kind == WIT_ITEM_FUNCTION) add(d, import ? funcs : func_exports, it->key_name, func_meta(d, &it->func));
    }
  }
  cJSON *o = obj(d);
  add_str(d, o, "docs", w->docs);
  add(d, o, "stability", stability(d, &w->stability));
  add_nonempty(d, o, "interfaces", ifaces);
  add_nonempty(d, o, "types", types);
  add_nonempty(d, o, "funcs", funcs);
  add_nonempty(d, o, "interface_exports", iface_exports);
  add_nonempty(d, o, "func_exports", func_exports);
  add_nonempty(d, o, "interface_import_stability", imp_stab);
  add_nonempty(d, o, "interface_export_stability", exp_stab);
  add_nonempty(d, o, "interface_import_docs", imp_docs);
  add_nonempty(d, o, "interface_export_docs", exp_docs);
  return or_null(o);
}

int wit_encode_package_docs(const wit_resolve *r, wit_id pkg, wk_buf *out, wk_error *err) {
  if (!r || pkg >= r->n_packages) return wk_error_set(err, WK_ERR_USAGE, "no such package");
  const wit_package *p = &r->packages[pkg];
  D d = {r, 0};
  cJSON *root = obj(&d);
  add_str(&d, root, "docs", p->docs);
  cJSON *worlds = obj(&d);
  for (uint32_t i = 0; i < p->n_worlds; i++) add(&d, worlds, p->worlds[i].name, world_meta(&d, p->worlds[i].id));
  add_nonempty(&d, root, "worlds", worlds);
  cJSON *ifaces = obj(&d);
  for (uint32_t i = 0; i < p->n_interfaces; i++)
    add(&d, ifaces, p->interfaces[i].name, iface_meta(&d, p->interfaces[i].id));
  add_nonempty(&d, root, "interfaces", ifaces);
  char *s = (!d.oom && root) ? cJSON_PrintUnformatted(root) : NULL;
  cJSON_Delete(root);
  if (!s) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  wk_buf_byte(out, 0x01); /* PACKAGE_DOCS_SECTION_VERSION */
  wk_buf_str(out, s);
  cJSON_free(s);
  if (out->oom) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  return WK_OK;
}
