/* lib/compose: the composition graph (components, instances, wiring, exports),
 * export lookup for an import, the wiring as JSON, and the two wiring
 * policies: `plug` (wac plug) and dependencies (wasm-tools compose). */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "compose/compose.h"
#include "compose/internal.h"
#include "encode/semver.h"

static char *dupstr(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s);
  char *p = malloc(n + 1);
  if (p) memcpy(p, s, n + 1);
  return p;
}

wkc_graph *wkc_new(void) { return wk_calloc(1, sizeof(wkc_graph)); }

void wkc_free(wkc_graph *g) {
  if (!g) return;
  for (uint32_t i = 0; i < g->ncomps; i++) {
    wkc_comp *c = &g->comps[i];
    wk_ctypes_free(c->t);
    wk_component_free(c->c);
    free(c->bytes);
    free(c->label);
    free(c->name);
  }
  for (uint32_t i = 0; i < g->ninsts; i++) {
    free(g->insts[i].name);
    free(g->insts[i].args);
  }
  for (uint32_t i = 0; i < g->nimps; i++) free(g->imps[i].name);
  for (uint32_t i = 0; i < g->nexps; i++) free(g->exps[i].name);
  free(g->comps);
  free(g->insts);
  free(g->imps);
  free(g->exps);
  free(g);
}

const wk_ctent *wkc_imports(const wkc_graph *g, uint32_t comp, uint32_t *n) {
  const wk_ctypes *t = g->comps[comp].t;
  *n = t->t[t->root].nim;
  return t->t[t->root].im;
}
const wk_ctent *wkc_exports(const wkc_graph *g, uint32_t comp, uint32_t *n) {
  const wk_ctypes *t = g->comps[comp].t;
  *n = t->t[t->root].nex;
  return t->t[t->root].ex;
}

int wkc_add_component(wkc_graph *g, const char *label, const char *name, const uint8_t *bytes, size_t len,
                      uint32_t *out, wk_error *err) {
  uint8_t *copy = malloc(len ? len : 1);
  if (!copy) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  if (len) memcpy(copy, bytes, len);
  return wkc_add_component_owned(g, label, name, copy, len, out, err);
}

int wkc_add_component_owned(wkc_graph *g, const char *label, const char *name, uint8_t *bytes, size_t len,
                            uint32_t *out, wk_error *err) {
  if (!bytes && !len) bytes = malloc(1); /* an empty input is reported as such below, not as OOM */
  wkc_comp *nc = wk_reallocarray(g->comps, g->ncomps + 1, sizeof *nc);
  if (!nc) { free(bytes); return wk_error_set(err, WK_ERR_NOMEM, "out of memory"); }
  g->comps = nc;
  wkc_comp *c = &g->comps[g->ncomps];
  memset(c, 0, sizeof *c);
  c->label = dupstr(label ? label : "component");
  c->name = dupstr(name);
  c->bytes = bytes;
  if (!c->label || !c->bytes || (name && !c->name)) goto nomem;
  c->len = len;
  if (len < 8 || memcmp(bytes, "\0asm", 4) || bytes[6] != 1 || bytes[7] != 0) {
    int core = len >= 8 && !memcmp(bytes, "\0asm", 4) && bytes[6] == 0 && bytes[7] == 0;
    wk_error_set(err, WK_ERR_INVALID, "%s: %s", c->label,
                 core ? "the file is a core module, not a component" : "the file is not a WebAssembly component");
    goto fail;
  }
  wk_error e;
  wk_error_clear(&e);
  if (wk_component_decode(c->bytes, len, &c->c, &e) || wk_ctypes_build(c->c, &c->t, &e)) {
    if (e.has_offset)
      wk_error_set(err, e.code, "%s:0x%llx: %s", c->label, (unsigned long long)e.offset, e.msg);
    else
      wk_error_set(err, e.code, "%s: %s", c->label, e.msg);
    goto fail;
  }
  *out = g->ncomps++;
  return WK_OK;
nomem:
  wk_error_set(err, WK_ERR_NOMEM, "out of memory");
fail:
  wk_ctypes_free(c->t);
  wk_component_free(c->c);
  free(c->bytes);
  free(c->label);
  free(c->name);
  return err ? err->code : WK_ERR_INVALID;
}

uint32_t wkc_ncomponents(const wkc_graph *g) { return g->ncomps; }
const char *wkc_component_label(const wkc_graph *g, uint32_t comp) { return g->comps[comp].label; }
const wk_ctypes *wkc_component_types(const wkc_graph *g, uint32_t comp) { return g->comps[comp].t; }
uint32_t wkc_ninstances(const wkc_graph *g) { return g->ninsts; }
uint32_t wkc_instance_component(const wkc_graph *g, uint32_t inst) { return g->insts[inst].comp; }
const char *wkc_instance_name(const wkc_graph *g, uint32_t inst) { return g->insts[inst].name; }

int wkc_instantiate(wkc_graph *g, uint32_t comp, const char *name, uint32_t *out, wk_error *err) {
  if (comp >= g->ncomps) return wk_error_set(err, WK_ERR_USAGE, "no component %u", comp);
  wkc_inst *ni = wk_reallocarray(g->insts, g->ninsts + 1, sizeof *ni);
  if (!ni) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  g->insts = ni;
  uint32_t nim;
  wkc_imports(g, comp, &nim);
  wkc_inst *in = &g->insts[g->ninsts];
  in->comp = comp;
  in->name = dupstr(name ? name : g->comps[comp].name ? g->comps[comp].name : g->comps[comp].label);
  in->args = wk_calloc(nim ? nim : 1, sizeof(wkc_src));
  if (!in->name || !in->args) {
    free(in->name);
    free(in->args);
    return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  }
  *out = g->ninsts++;
  return WK_OK;
}

static const char *kind_word(uint8_t k) {
  return k == 5 ? "an instance" : k == 1 ? "a function" : k == 3 ? "a type" : k == 4 ? "a component" : "another item";
}

static const wk_ctent *imp_of(const wkc_graph *g, uint32_t inst, uint32_t i) {
  uint32_t n;
  const wk_ctent *im = wkc_imports(g, g->insts[inst].comp, &n);
  return i < n ? &im[i] : NULL;
}

int wkc_connect(wkc_graph *g, uint32_t inst, uint32_t import_index, uint32_t src, uint32_t export_index,
                wk_error *err) {
  if (inst >= g->ninsts || src >= g->ninsts) return wk_error_set(err, WK_ERR_USAGE, "no such instance");
  const wk_ctent *want = imp_of(g, inst, import_index);
  uint32_t nex;
  const wk_ctent *ex = wkc_exports(g, g->insts[src].comp, &nex);
  if (!want || export_index >= nex) return wk_error_set(err, WK_ERR_USAGE, "no such import or export");
  wkc_src *s = &g->insts[inst].args[import_index];
  if (s->kind != WKC_SRC_OPEN)
    return wk_error_set(err, WK_ERR_LINK, "import `%.*s` of instance `%s` is already wired", WKC_S(want->name),
                        g->insts[inst].name);
  const wk_ctent *have = &ex[export_index];
  char why[400];
  if (have->kind != want->kind)
    return wk_error_set(err, WK_ERR_LINK, "import `%.*s` of `%s` expects a %s, but export `%.*s` of `%s` is a %s",
                        WKC_S(want->name), g->insts[inst].name, want->kind == WK_CSORT_INSTANCE ? "instance" : "non-instance item",
                        WKC_S(have->name), g->insts[src].name, have->kind == WK_CSORT_INSTANCE ? "instance" : "non-instance item");
  if (!wkc_subtype(g->comps[g->insts[src].comp].t, want->kind, have->id, g->comps[g->insts[inst].comp].t, want->id,
                   why, sizeof why))
    return wk_error_set(err, WK_ERR_LINK, "export `%.*s` of `%s` does not satisfy import `%.*s` of `%s`: %s",
                        WKC_S(have->name), g->insts[src].name, WKC_S(want->name), g->insts[inst].name, why);
  s->kind = WKC_SRC_EXPORT;
  s->inst = src;
  s->idx = export_index;
  return WK_OK;
}

int wkc_connect_import(wkc_graph *g, uint32_t inst, uint32_t import_index, const char *outer_name, wk_error *err) {
  if (inst >= g->ninsts) return wk_error_set(err, WK_ERR_USAGE, "no such instance");
  const wk_ctent *want = imp_of(g, inst, import_index);
  if (!want) return wk_error_set(err, WK_ERR_USAGE, "no such import");
  wkc_src *s = &g->insts[inst].args[import_index];
  if (s->kind != WKC_SRC_OPEN)
    return wk_error_set(err, WK_ERR_LINK, "import `%.*s` of instance `%s` is already wired", WKC_S(want->name),
                        g->insts[inst].name);
  uint32_t k = 0;
  for (; k < g->nimps; k++)
    if (!strcmp(g->imps[k].name, outer_name)) break;
  if (k == g->nimps) {
    wkc_outer *no = wk_reallocarray(g->imps, g->nimps + 1, sizeof *no);
    if (!no) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    g->imps = no;
    g->imps[k].name = dupstr(outer_name);
    if (!g->imps[k].name) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    g->imps[k].kind = want->kind;
    g->imps[k].fixed = 0;
    g->imps[k].comp = g->insts[inst].comp;
    g->imps[k].inst = inst;
    g->imps[k].imp = import_index;
    g->imps[k].ent = want;
    g->nimps++;
  } else if (g->imps[k].fixed) {
    /* an explicit import: its type must be usable where this instance expects its import */
    wkc_outer *o = &g->imps[k];
    uint32_t on;
    const wk_ctent *cur = o->ent;
    (void)on;
    char why[400];
    if (cur->kind != want->kind)
      return wk_error_set(err, WK_ERR_LINK, "mismatched instantiation argument `%.*s`: expected %s, found %s",
                          WKC_S(want->name), kind_word(want->kind), kind_word(cur->kind));
    if (!wkc_subtype(g->comps[o->comp].t, want->kind, cur->id, g->comps[g->insts[inst].comp].t, want->id, why,
                     sizeof why))
      return wk_error_set(err, WK_ERR_LINK, "mismatched instantiation argument `%.*s`: %s", WKC_S(want->name), why);
  } else {
    /* one import of the result serves several instances: the kinds must agree, and
     * the type is the larger one (more exports) when one is a subtype of the other */
    wkc_outer *o = &g->imps[k];
    const wk_ctent *cur = o->ent;
    (void)0;
    if (cur->kind != want->kind)
      return wk_error_set(err, WK_ERR_LINK,
                          "import `%s` is needed as a %s by `%s` and as a %s by `%s`", outer_name,
                          want->kind == WK_CSORT_INSTANCE ? "instance" : want->kind == WK_CSORT_FUNC ? "func" : "other item",
                          g->insts[inst].name, cur->kind == WK_CSORT_INSTANCE ? "instance" : cur->kind == WK_CSORT_FUNC ? "func" : "other item",
                          g->insts[o->inst].name);
    const wk_ctypes *tc = g->comps[o->comp].t, *tw = g->comps[g->insts[inst].comp].t;
    char why[400];
    if (want->kind == WK_CSORT_INSTANCE) {
      /* instance imports merge: the result imports the union of their exports */
      if (!wkc_merge_check(tc, cur->id, tw, want->id, why, sizeof why))
        return wk_error_set(err, WK_ERR_LINK, "import `%s` of `%s` and of `%s` cannot be merged: %s", outer_name,
                            g->insts[inst].name, g->insts[o->inst].name, why);
    } else if (!wkc_subtype(tc, want->kind, cur->id, tw, want->id, why, sizeof why)) {
      char why2[400];
      if (!wkc_subtype(tw, want->kind, want->id, tc, cur->id, why2, sizeof why2))
        return wk_error_set(err, WK_ERR_LINK, "import `%s` of `%s` and of `%s` have incompatible types: %s",
                            outer_name, g->insts[inst].name, g->insts[o->inst].name, why);
      o->inst = inst;
      o->comp = g->insts[inst].comp;
      o->imp = import_index;
      o->ent = want;
    }
  }
  s->kind = WKC_SRC_IMPORT;
  s->outer = k;
  return WK_OK;
}

int wkc_connect_instance(wkc_graph *g, uint32_t inst, uint32_t import_index, uint32_t src, wk_error *err) {
  if (inst >= g->ninsts || src >= g->ninsts) return wk_error_set(err, WK_ERR_USAGE, "no such instance");
  const wk_ctent *want = imp_of(g, inst, import_index);
  if (!want) return wk_error_set(err, WK_ERR_USAGE, "no such import");
  wkc_src *s = &g->insts[inst].args[import_index];
  if (s->kind != WKC_SRC_OPEN)
    return wk_error_set(err, WK_ERR_LINK, "import `%.*s` of instance `%s` is already wired", WKC_S(want->name),
                        g->insts[inst].name);
  if (want->kind != WK_CSORT_INSTANCE)
    return wk_error_set(err, WK_ERR_LINK, "import `%.*s` of `%s` is not an instance, but is given instance `%s`",
                        WKC_S(want->name), g->insts[inst].name, g->insts[src].name);
  uint32_t nex;
  const wk_ctent *ex = wkc_exports(g, g->insts[src].comp, &nex);
  char why[400];
  if (!wkc_subtype_exports(g->comps[g->insts[src].comp].t, ex, nex, g->comps[g->insts[inst].comp].t, want->id, why,
                           sizeof why))
    return wk_error_set(err, WK_ERR_LINK, "instance `%s` does not satisfy import `%.*s` of `%s`: %s",
                        g->insts[src].name, WKC_S(want->name), g->insts[inst].name, why);
  s->kind = WKC_SRC_INSTANCE;
  s->inst = src;
  return WK_OK;
}

int wkc_has_export(const wkc_graph *g, const char *name) {
  for (uint32_t i = 0; i < g->nexps; i++)
    if (!strcmp(g->exps[i].name, name)) return 1;
  return 0;
}

int wkc_has_import(const wkc_graph *g, const char *name) {
  for (uint32_t i = 0; i < g->nimps; i++)
    if (!strcmp(g->imps[i].name, name)) return 1;
  return 0;
}

int wkc_is_connected(const wkc_graph *g, uint32_t inst, uint32_t import_index) {
  return g->insts[inst].args[import_index].kind != WKC_SRC_OPEN;
}

int wkc_export(wkc_graph *g, uint32_t inst, uint32_t export_index, const char *name, wk_error *err) {
  uint32_t nex;
  const wk_ctent *ex = wkc_exports(g, g->insts[inst].comp, &nex);
  if (export_index >= nex) return wk_error_set(err, WK_ERR_USAGE, "no such export");
  char buf[1024];
  if (!name) {
    snprintf(buf, sizeof buf, "%.*s", WKC_S(ex[export_index].name));
    name = buf;
  }
  for (uint32_t i = 0; i < g->nexps; i++)
    if (!strcmp(g->exps[i].name, name))
      return wk_error_set(err, WK_ERR_LINK, "duplicate export `%s` (from `%s` and `%s`)", name,
                          g->insts[g->exps[i].inst].name, g->insts[inst].name);
  wkc_exp *ne = wk_reallocarray(g->exps, g->nexps + 1, sizeof *ne);
  if (!ne) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  g->exps = ne;
  g->exps[g->nexps].name = dupstr(name);
  if (!g->exps[g->nexps].name) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  g->exps[g->nexps].inst = inst;
  g->exps[g->nexps].idx = export_index;
  g->exps[g->nexps].outer = WKC_NONE;
  g->exps[g->nexps].is_type = 0;
  g->nexps++;
  return WK_OK;
}

static int add_exp(wkc_graph *g, const char *name, uint32_t inst, uint32_t idx, uint32_t outer, wk_error *err) {
  for (uint32_t i = 0; i < g->nexps; i++)
    if (!strcmp(g->exps[i].name, name)) return wk_error_set(err, WK_ERR_LINK, "duplicate export `%s`", name);
  wkc_exp *ne = wk_reallocarray(g->exps, g->nexps + 1, sizeof *ne);
  if (!ne) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  g->exps = ne;
  g->exps[g->nexps] = (wkc_exp){dupstr(name), inst, idx, outer, 0};
  if (!g->exps[g->nexps].name) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  g->nexps++;
  return WK_OK;
}

int wkc_export_instance(wkc_graph *g, uint32_t inst, const char *name, wk_error *err) {
  if (inst >= g->ninsts) return wk_error_set(err, WK_ERR_USAGE, "no such instance");
  return add_exp(g, name, inst, WKC_NONE, WKC_NONE, err);
}

static int add_exp(wkc_graph *g, const char *name, uint32_t inst, uint32_t idx, uint32_t outer, wk_error *err);
int wkc_export_import(wkc_graph *g, const char *import_name, const char *name, wk_error *err) {
  for (uint32_t k = 0; k < g->nimps; k++)
    if (!strcmp(g->imps[k].name, import_name)) return add_exp(g, name, WKC_NONE, WKC_NONE, k, err);
  return wk_error_set(err, WK_ERR_USAGE, "no import `%s`", import_name);
}

uint32_t wkc_find_import(const wkc_graph *g, const char *name) {
  for (uint32_t k = 0; k < g->nimps; k++)
    if (!strcmp(g->imps[k].name, name)) return k;
  return WKC_NONE;
}

const wk_ctent *wkc_outer_exports(const wkc_graph *g, uint32_t outer, uint32_t *n) {
  *n = 0;
  if (outer >= g->nimps || !g->imps[outer].fixed || g->imps[outer].kind != WK_CSORT_INSTANCE) return NULL;
  const wk_ctypes *t = g->comps[g->imps[outer].comp].t;
  const wk_ctnode *node = &t->t[g->imps[outer].ent->id];
  static const wk_ctent none[1];
  *n = node->nex;
  return node->nex ? node->ex : none; /* an instance without exports is still an instance */
}

int wkc_connect_import_export(wkc_graph *g, uint32_t inst, uint32_t import_index, uint32_t outer,
                              uint32_t export_index, wk_error *err) {
  uint32_t nex;
  const wk_ctent *ex = wkc_outer_exports(g, outer, &nex);
  const wk_ctent *want = inst < g->ninsts ? imp_of(g, inst, import_index) : NULL;
  if (!ex || export_index >= nex || !want) return wk_error_set(err, WK_ERR_USAGE, "no such import export");
  wkc_src *s = &g->insts[inst].args[import_index];
  if (s->kind != WKC_SRC_OPEN)
    return wk_error_set(err, WK_ERR_LINK, "import `%.*s` of instance `%s` is already wired", WKC_S(want->name),
                        g->insts[inst].name);
  const wk_ctent *have = &ex[export_index];
  char why[400];
  if (have->kind != want->kind)
    return wk_error_set(err, WK_ERR_LINK, "mismatched instantiation argument `%.*s`: expected %s, found %s",
                        WKC_S(want->name), kind_word(want->kind), kind_word(have->kind));
  if (!wkc_subtype(g->comps[g->imps[outer].comp].t, want->kind, have->id, g->comps[g->insts[inst].comp].t, want->id,
                   why, sizeof why))
    return wk_error_set(err, WK_ERR_LINK, "mismatched instantiation argument `%.*s`: %s", WKC_S(want->name), why);
  s->kind = WKC_SRC_IMPORT_EXPORT;
  s->outer = outer;
  s->idx = export_index;
  return WK_OK;
}

int wkc_export_import_export(wkc_graph *g, uint32_t outer, uint32_t export_index, const char *name, wk_error *err) {
  uint32_t nex;
  if (!wkc_outer_exports(g, outer, &nex) || export_index >= nex) return wk_error_set(err, WK_ERR_USAGE, "no such export");
  return add_exp(g, name, WKC_NONE, export_index, outer, err);
}

int wkc_import_explicit(wkc_graph *g, const char *name, uint32_t comp, uint32_t import_index, wk_error *err) {
  return wkc_import_explicit_item(g, name, comp, 0, import_index, err);
}

int wkc_import_explicit_item(wkc_graph *g, const char *name, uint32_t comp, int is_export, uint32_t index,
                             wk_error *err) {
  uint32_t n;
  const wk_ctent *items = is_export ? wkc_exports(g, comp, &n) : wkc_imports(g, comp, &n);
  if (index >= n) return wk_error_set(err, WK_ERR_USAGE, "no such item");
  return wkc_import_explicit_ent(g, name, comp, &items[index], err);
}

int wkc_import_explicit_ent(wkc_graph *g, const char *name, uint32_t comp, const wk_ctent *ent, wk_error *err) {
  const wk_ctent *items = ent;
  uint32_t index = 0;
  for (uint32_t k = 0; k < g->nimps; k++)
    if (!strcmp(g->imps[k].name, name)) return wk_error_set(err, WK_ERR_LINK, "duplicate import `%s`", name);
  wkc_outer *no = wk_reallocarray(g->imps, g->nimps + 1, sizeof *no);
  if (!no) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  g->imps = no;
  wkc_outer *o = &g->imps[g->nimps];
  o->name = dupstr(name);
  if (!o->name) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  o->kind = items[index].kind;
  o->fixed = 1;
  o->comp = comp;
  o->imp = index;
  o->inst = WKC_NONE;
  o->ent = &items[index];
  g->nimps++;
  return WK_OK;
}

/* ---- matching an import against a component's exports ---- */

uint32_t wkc_find_export(const wkc_graph *g, uint32_t icomp, uint32_t import_index, uint32_t comp, wk_error *err) {
  uint32_t nim, nex;
  const wk_ctent *im = wkc_imports(g, icomp, &nim);
  const wk_ctent *ex = wkc_exports(g, comp, &nex);
  if (import_index >= nim) return WKC_NONE;
  const wk_ctent *want = &im[import_index];
  const char *wv, *hv;
  size_t wvl, hvl;
  size_t wb = wkc_name_base(want->name.s, want->name.len, &wv, &wvl);
  /* candidates: the same name, or the same interface with any version */
  uint32_t best = WKC_NONE, ncand = 0;
  const char *bestv = NULL;
  size_t bestvl = 0;
  wk_buf msg = {0};
  for (uint32_t i = 0; i < nex; i++) {
    size_t hb = wkc_name_base(ex[i].name.s, ex[i].name.len, &hv, &hvl);
    if (hb != wb || memcmp(ex[i].name.s, want->name.s, wb)) continue;
    ncand++;
    char why[400] = "";
    int ok = 1;
    if (!wk_semver_compatible(wv, wvl, hv, hvl, WK_SEMVER_FULL_ONLY)) {
      snprintf(why, sizeof why, "version %.*s is not semver compatible with %.*s", (int)hvl, hv, (int)wvl, wv);
      ok = 0;
    } else if (ex[i].kind != want->kind) {
      snprintf(why, sizeof why, "it is a %s, the import is a %s", ex[i].kind == WK_CSORT_INSTANCE ? "instance" : ex[i].kind == WK_CSORT_FUNC ? "func" : "type",
               want->kind == WK_CSORT_INSTANCE ? "instance" : want->kind == WK_CSORT_FUNC ? "func" : "type");
      ok = 0;
    } else if (!wkc_subtype(g->comps[comp].t, want->kind, ex[i].id, g->comps[icomp].t, want->id, why, sizeof why)) {
      ok = 0;
    }
    if (!ok) {
      wk_buf_printf(&msg, "%s`%.*s` of %s: %s", msg.len ? "; " : "", WKC_S(ex[i].name), g->comps[comp].label, why);
      continue;
    }
    /* exact name first, then the highest compatible version */
    int exact = ex[i].name.len == want->name.len && !memcmp(ex[i].name.s, want->name.s, want->name.len);
    if (best == WKC_NONE || exact ||
        (!(ex[best].name.len == want->name.len && !memcmp(ex[best].name.s, want->name.s, want->name.len)) && hvl &&
         bestv && wk_semver_cmp(hv, hvl, bestv, bestvl) > 0)) {
      best = i;
      bestv = hv;
      bestvl = hvl;
    }
  }
  if (best == WKC_NONE && ncand && msg.len && !msg.oom) {
    wk_error_set(err, WK_ERR_LINK, "import `%.*s` of %s is not satisfied by %s: %.*s", WKC_S(want->name),
                 g->comps[icomp].label, g->comps[comp].label, (int)msg.len, (const char *)msg.data);
  }
  wk_buf_free(&msg);
  return best;
}

/* ---- JSON of the wiring ---- */

int wkc_wiring_json(const wkc_graph *g, wk_buf *out, wk_error *err) {
  cJSON *root = cJSON_CreateObject();
  cJSON *insts = cJSON_AddArrayToObject(root, "instances");
  char buf[1024];
  for (uint32_t i = 0; i < g->ninsts; i++) {
    const wkc_inst *in = &g->insts[i];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToArray(insts, o);
    cJSON_AddStringToObject(o, "name", in->name);
    cJSON_AddStringToObject(o, "component", g->comps[in->comp].label);
    cJSON *args = cJSON_AddArrayToObject(o, "imports");
    uint32_t nim;
    const wk_ctent *im = wkc_imports(g, in->comp, &nim);
    for (uint32_t k = 0; k < nim; k++) {
      cJSON *a = cJSON_CreateObject();
      cJSON_AddItemToArray(args, a);
      snprintf(buf, sizeof buf, "%.*s", WKC_S(im[k].name));
      cJSON_AddStringToObject(a, "import", buf);
      const wkc_src *s = &in->args[k];
      if (s->kind == WKC_SRC_EXPORT) {
        uint32_t nex;
        const wk_ctent *ex = wkc_exports(g, g->insts[s->inst].comp, &nex);
        cJSON_AddStringToObject(a, "from", "instance");
        cJSON_AddStringToObject(a, "instance", g->insts[s->inst].name);
        snprintf(buf, sizeof buf, "%.*s", WKC_S(ex[s->idx].name));
        cJSON_AddStringToObject(a, "export", buf);
      } else if (s->kind == WKC_SRC_IMPORT_EXPORT) {
        uint32_t nex;
        const wk_ctent *ex = wkc_outer_exports(g, s->outer, &nex);
        cJSON_AddStringToObject(a, "from", "import");
        cJSON_AddStringToObject(a, "import-of-result", g->imps[s->outer].name);
        snprintf(buf, sizeof buf, "%.*s", WKC_S(ex[s->idx].name));
        cJSON_AddStringToObject(a, "export", buf);
      } else if (s->kind == WKC_SRC_INSTANCE) {
        cJSON_AddStringToObject(a, "from", "instance");
        cJSON_AddStringToObject(a, "instance", g->insts[s->inst].name);
      } else if (s->kind == WKC_SRC_IMPORT) {
        cJSON_AddStringToObject(a, "from", "import");
        cJSON_AddStringToObject(a, "import-of-result", g->imps[s->outer].name);
      } else {
        cJSON_AddStringToObject(a, "from", "open");
      }
    }
  }
  cJSON *imps = cJSON_AddArrayToObject(root, "imports");
  for (uint32_t i = 0; i < g->nimps; i++) cJSON_AddItemToArray(imps, cJSON_CreateString(g->imps[i].name));
  cJSON *exps = cJSON_AddArrayToObject(root, "exports");
  for (uint32_t i = 0; i < g->nexps; i++) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToArray(exps, o);
    cJSON_AddStringToObject(o, "name", g->exps[i].name);
    if (g->exps[i].is_type) {
      cJSON_AddStringToObject(o, "type", "definition");
      continue;
    }
    if (g->exps[i].outer != WKC_NONE) {
      cJSON_AddStringToObject(o, "import", g->imps[g->exps[i].outer].name);
      if (g->exps[i].idx != WKC_NONE) {
        uint32_t nex;
        const wk_ctent *ex = wkc_outer_exports(g, g->exps[i].outer, &nex);
        snprintf(buf, sizeof buf, "%.*s", WKC_S(ex[g->exps[i].idx].name));
        cJSON_AddStringToObject(o, "export", buf);
      }
      continue;
    }
    cJSON_AddStringToObject(o, "instance", g->insts[g->exps[i].inst].name);
    if (g->exps[i].idx == WKC_NONE) continue;
    uint32_t nex;
    const wk_ctent *ex = wkc_exports(g, g->insts[g->exps[i].inst].comp, &nex);
    snprintf(buf, sizeof buf, "%.*s", WKC_S(ex[g->exps[i].idx].name));
    cJSON_AddStringToObject(o, "export", buf);
  }
  char *s = cJSON_Print(root);
  cJSON_Delete(root);
  if (!s) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  wk_buf_str(out, s);
  wk_buf_byte(out, '\n');
  free(s);
  return out->oom ? wk_error_set(err, WK_ERR_NOMEM, "out of memory") : WK_OK;
}

/* ---- policies ---- */

static int export_all(wkc_graph *g, uint32_t inst, wk_error *err) {
  uint32_t nex;
  wkc_exports(g, g->insts[inst].comp, &nex);
  for (uint32_t i = 0; i < nex; i++)
    if (wkc_export(g, inst, i, NULL, err)) return err->code;
  return WK_OK;
}

int wkc_plug(wkc_graph *g, uint32_t socket, const uint32_t *plugs, uint32_t nplugs, wk_error *err) {
  uint32_t si;
  if (wkc_instantiate(g, socket, NULL, &si, err)) return err->code;
  uint32_t nim;
  wkc_imports(g, socket, &nim);
  (void)0;
  uint32_t *pinst = wk_calloc(nplugs ? nplugs : 1, sizeof(uint32_t));
  uint32_t *used = wk_calloc(nplugs ? nplugs : 1, sizeof(uint32_t));
  if (!pinst || !used) { free(pinst); free(used); return wk_error_set(err, WK_ERR_NOMEM, "out of memory"); }
  for (uint32_t p = 0; p < nplugs; p++) pinst[p] = WKC_NONE;
  int rc = WK_OK;
  uint32_t nim2;
  const wk_ctent *sim = wkc_imports(g, socket, &nim2);
  for (uint32_t i = 0; i < nim && !rc; i++) {
    /* among the plugs exporting it: the exact name, else the highest semver-compatible
     * version; on a tie the later plug (wac plug: later plugs take precedence) */
    uint32_t bp = WKC_NONE, bx = WKC_NONE;
    int bexact = 0;
    const char *bv = NULL;
    size_t bvl = 0;
    wk_buf why = {0};
    for (uint32_t p = 0; p < nplugs; p++) {
      wk_error e;
      wk_error_clear(&e);
      uint32_t x = wkc_find_export(g, socket, i, plugs[p], &e);
      if (x == WKC_NONE) {
        if (e.code) wk_buf_printf(&why, "%s%s", why.len ? "; " : "", e.msg);
        continue;
      }
      uint32_t nex;
      const wk_ctent *ex = wkc_exports(g, plugs[p], &nex);
      const char *hv;
      size_t hvl;
      wkc_name_base(ex[x].name.s, ex[x].name.len, &hv, &hvl);
      int exact = ex[x].name.len == sim[i].name.len && !memcmp(ex[x].name.s, sim[i].name.s, sim[i].name.len);
      if (bp == WKC_NONE || (exact && !bexact) ||
          (exact == bexact && (!hvl || !bv || wk_semver_cmp(hv, hvl, bv, bvl) >= 0))) {
        bp = p; bx = x; bexact = exact; bv = hv; bvl = hvl;
      }
    }
    if (bp == WKC_NONE) {
      /* candidates that were rejected: say why, once the socket import stays open */
      if (why.len && !why.oom) {
        wk_buf_byte(&why, 0);
        rc = wk_error_set(err, WK_ERR_LINK, "%s", (char *)why.data);
      }
      wk_buf_free(&why);
      continue;
    }
    wk_buf_free(&why);
    if (pinst[bp] == WKC_NONE && (rc = wkc_instantiate(g, plugs[bp], NULL, &pinst[bp], err))) break;
    if ((rc = wkc_connect(g, si, i, pinst[bp], bx, err))) break;
    used[bp] = 1;
  }
  /* as wac: an error only when nothing was plugged (a plug whose exports all lose to
   * other plugs is left out of the result) */
  uint32_t nused = 0;
  for (uint32_t p = 0; p < nplugs; p++) nused += used[p];
  if (!rc && !nused)
    rc = wk_error_set(err, WK_ERR_LINK, "no import of the socket component %s matches an export of the plug%s",
                      g->comps[socket].label, nplugs > 1 ? "s" : "");
  if (!rc) rc = export_all(g, si, err);
  free(pinst);
  free(used);
  return rc;
}

typedef struct dep_state {
  wkc_graph *g;
  const uint32_t *deps;
  uint32_t ndeps;
  uint32_t *inst;   /* per dep: instance or WKC_NONE */
  uint8_t *state;   /* per dep: 0 new, 1 on the stack, 2 done */
  uint32_t *stack;
  uint32_t depth;
} dep_state;

static int resolve_deps(dep_state *d, uint32_t inst, wk_error *err) {
  wkc_graph *g = d->g;
  uint32_t comp = g->insts[inst].comp;
  uint32_t nim;
  wkc_imports(g, comp, &nim);
  for (uint32_t i = 0; i < nim; i++) {
    /* the dependency that exports it; ties go to the first one given (wasm-tools compose) */
    uint32_t pick = WKC_NONE, x = WKC_NONE;
    /* wasm-tools compose: an instance import named like a dependency is that dependency's instance */
    uint32_t nimx;
    const wk_ctent *imx = wkc_imports(g, comp, &nimx);
    for (uint32_t k = 0; k < d->ndeps && pick == WKC_NONE; k++) {
      const char *nm = g->comps[d->deps[k]].name;
      if (d->deps[k] != comp && nm && imx[i].kind == WK_CSORT_INSTANCE && imx[i].name.len == strlen(nm) &&
          !memcmp(imx[i].name.s, nm, imx[i].name.len))
        pick = k;
    }
    /* else the exact name, then the highest compatible version, then the first dependency given */
    wk_buf why = {0};
    int pexact = 0;
    const char *pv = NULL;
    size_t pvl = 0;
    int by_name = pick != WKC_NONE;
    for (uint32_t k = 0; k < d->ndeps && !by_name; k++) {
      if (d->deps[k] == comp) continue;
      wk_error e;
      wk_error_clear(&e);
      uint32_t y = wkc_find_export(g, comp, i, d->deps[k], &e);
      if (e.code) wk_buf_printf(&why, "%s%s", why.len ? "; " : "", e.msg);
      if (y == WKC_NONE) continue;
      uint32_t nex;
      const wk_ctent *ex = wkc_exports(g, d->deps[k], &nex);
      const char *hv;
      size_t hvl;
      wkc_name_base(ex[y].name.s, ex[y].name.len, &hv, &hvl);
      int exact = ex[y].name.len == imx[i].name.len && !memcmp(ex[y].name.s, imx[i].name.s, imx[i].name.len);
      if (pick == WKC_NONE || (exact && !pexact) ||
          (exact == pexact && hvl && pv && wk_semver_cmp(hv, hvl, pv, pvl) > 0)) {
        pick = k; x = y; pexact = exact; pv = hv; pvl = hvl;
      }
    }
    if (pick == WKC_NONE && why.len) {
      /* candidates exist but none fits: say why, for every one of them */
      wk_buf_byte(&why, 0);
      wk_error_set(err, WK_ERR_LINK, "%s", why.data ? (char *)why.data : "out of memory");
      wk_buf_free(&why);
      return err->code;
    }
    wk_buf_free(&why);
    if (pick == WKC_NONE) continue; /* stays open */
    if (d->state[pick] == 1) {
      wk_buf b = {0};
      uint32_t from = 0;
      while (from < d->depth && d->stack[from] != pick) from++;
      for (uint32_t s = from; s < d->depth; s++) wk_buf_printf(&b, "%s -> ", g->comps[d->deps[d->stack[s]]].label);
      wk_buf_printf(&b, "%s", g->comps[d->deps[pick]].label);
      wk_buf_byte(&b, 0);
      wk_error_set(err, WK_ERR_LINK, "dependency cycle: %s", b.data ? (char *)b.data : "?");
      wk_buf_free(&b);
      return err->code;
    }
    if (d->state[pick] == 0) {
      if (wkc_instantiate(g, d->deps[pick], NULL, &d->inst[pick], err)) return err->code;
      d->state[pick] = 1;
      d->stack[d->depth++] = pick;
      if (resolve_deps(d, d->inst[pick], err)) return err->code;
      d->depth--;
      d->state[pick] = 2;
    }
    if (x == WKC_NONE ? wkc_connect_instance(g, inst, i, d->inst[pick], err) : wkc_connect(g, inst, i, d->inst[pick], x, err))
      return err->code;
  }
  return WK_OK;
}

static int no_imports_needed(const wkc_graph *g, uint32_t comp) {
  uint32_t nim;
  wkc_imports(g, comp, &nim);
  return nim == 0;
}

int wkc_deps(wkc_graph *g, uint32_t main, const uint32_t *deps, uint32_t ndeps, wk_error *err) {
  uint32_t mi;
  if (wkc_instantiate(g, main, NULL, &mi, err)) return err->code;
  dep_state d = {g, deps, ndeps, wk_calloc(ndeps + 1, sizeof(uint32_t)), wk_calloc(ndeps + 1, 1),
                 wk_calloc(ndeps + 2, sizeof(uint32_t)), 0};
  int rc;
  if (!d.inst || !d.state || !d.stack) rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  else rc = resolve_deps(&d, mi, err);
  if (!rc) {
    uint32_t used = 0;
    for (uint32_t k = 0; k < ndeps; k++) used += d.state[k] != 0;
    uint32_t nim;
    const wk_ctent *im = wkc_imports(g, main, &nim);
    uint32_t ninst = 0;
    for (uint32_t k = 0; k < nim; k++) ninst += im[k].kind == WK_CSORT_INSTANCE;
    if (!ndeps && !no_imports_needed(g, main))
      rc = wk_error_set(err, WK_ERR_LINK, "no dependencies given for %s (it imports %u item%s)", g->comps[main].label,
                        nim, nim == 1 ? "" : "s");
    else if (!ndeps)
      rc = wk_error_set(err, WK_ERR_LINK, "no dependencies given, and %s imports nothing", g->comps[main].label);
    else if (!used)
      rc = wk_error_set(err, WK_ERR_LINK, "no dependency satisfies an import of %s (%u import%s, %u of them instances)",
                        g->comps[main].label, nim, nim == 1 ? "" : "s", ninst);
  }
  if (!rc) rc = export_all(g, mi, err);
  free(d.inst);
  free(d.state);
  free(d.stack);
  return rc;
}

int wkc_set_type_defs(wkc_graph *g, uint32_t comp, wk_error *err) {
  if (comp >= g->ncomps || g->has_types) return wk_error_set(err, WK_ERR_USAGE, "type definitions are set once, from a component");
  const wk_component *c = g->comps[comp].c;
  for (uint32_t i = 0; c && i < c->nsections; i++) {
    uint8_t id = c->sections[i].id;
    if (id != 7 && id != 11 && id != 0)
      return wk_error_set(err, WK_ERR_USAGE, "the type definitions' component has a section other than types and exports");
    if (id == 11)
      for (uint32_t k = 0; k < c->sections[i].count; k++)
        if (c->sections[i].u.exports[k].sort.sort != WK_CSORT_TYPE)
          return wk_error_set(err, WK_ERR_USAGE, "the type definitions' component exports something other than a type");
  }
  g->has_types = 1;
  g->types_comp = comp;
  return WK_OK;
}

int wkc_export_type(wkc_graph *g, uint32_t export_index, const char *name, wk_error *err) {
  if (!g->has_types) return wk_error_set(err, WK_ERR_USAGE, "no type definitions");
  const wk_component *c = g->comps[g->types_comp].c;
  uint32_t k = export_index, tidx = 0;
  for (uint32_t i = 0; i < c->nsections; i++) {
    if (c->sections[i].id == 7) tidx += c->sections[i].count;
    if (c->sections[i].id != 11) continue;
    if (k < c->sections[i].count) {
      const wk_cexport *x = &c->sections[i].u.exports[k];
      /* the export under its own name is written with the definitions; another name exports the
       * type that export introduced (Explainer.md: an export adds an index) */
      int own = x->name.name.len == strlen(name) && !memcmp(x->name.name.s, name, x->name.name.len);
      int rc = add_exp(g, name, WKC_NONE, tidx + k, WKC_NONE, err);
      if (!rc) g->exps[g->nexps - 1].is_type = own ? 2 : 1;
      return rc;
    }
    k -= c->sections[i].count;
    tidx += c->sections[i].count;
  }
  return wk_error_set(err, WK_ERR_USAGE, "no type export %u", export_index);
}
