/* lib/witparse helpers: errors, arena vectors, diagnostics, names. */
#include <stdlib.h>

#include "encode/semver.h"
#include "witparse/internal.h"

const char *wk_witparse_version(void) { return WK_VERSION; }

static void locate(const wit_resolve *r, wit_diag *d, wit_span sp) {
  d->file_index = sp.file;
  d->start = sp.start;
  d->end = sp.end;
  d->file[0] = 0;
  d->err.line = d->err.col = 0;
  if (!r || sp.file == WIT_NONE || sp.file >= r->n_files) return;
  const wit_file *f = &r->files[sp.file];
  snprintf(d->file, sizeof d->file, "%s", f->path);
  uint32_t off = sp.start > f->len ? (uint32_t)f->len : sp.start;
  uint32_t line = 1, ls = 0;
  for (uint32_t i = 0; i < off; i++)
    if (f->text[i] == '\n') { line++; ls = i + 1; }
  d->err.line = line;
  d->err.col = off - ls + 1;
}

static _Noreturn void vfail(wctx *c, int code, wit_span sp, const char *fmt, va_list ap) {
  if (c->diag) {
    memset(c->diag, 0, sizeof *c->diag);
    c->diag->err.code = code;
    vsnprintf(c->diag->err.msg, sizeof c->diag->err.msg, fmt, ap);
    locate(c->r, c->diag, sp);
  }
  longjmp(c->jb, code);
}

void wfail(wctx *c, wit_span sp, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(c, WK_ERR_INVALID, sp, fmt, ap);
  va_end(ap);
}
void wfail_code(wctx *c, int code, wit_span sp, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(c, code, sp, fmt, ap);
  va_end(ap);
}
void woom(wctx *c) { wfail_code(c, WK_ERR_NOMEM, wspan_none(), "out of memory"); }

void *walloc(wctx *c, wk_arena *a, size_t n) {
  void *p = wk_arena_alloc(a, n ? n : 1);
  if (!p) woom(c);
  return p;
}
char *wstrdup(wctx *c, wk_arena *a, const char *s, size_t n) {
  char *p = wk_arena_strndup(a, s, n);
  if (!p) woom(c);
  return p;
}
char *wsprintf(wctx *c, wk_arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  char *p = walloc(c, a, (size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

uint32_t wpush(wctx *c, wk_arena *a, void **arr, uint32_t *n, uint32_t *cap, size_t elem) {
  if (*n == *cap) {
    if (*cap >= (1u << 26)) woom(c);
    uint32_t nc = *cap ? *cap * 2 : 4;
    void *na = walloc(c, a, (size_t)nc * elem);
    if (*n) wmemcpy(na, *arr, (size_t)*n * elem);
    *arr = na;
    *cap = nc;
  }
  memset((char *)*arr + (size_t)*n * elem, 0, elem);
  return (*n)++;
}

static uint32_t str_hash(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}
uint32_t strmap_get(const strmap *m, const char *key) {
  if (!m->cap) return UINT32_MAX;
  uint32_t i = str_hash(key) & (m->cap - 1);
  while (m->keys[i]) {
    if (!strcmp(m->keys[i], key)) return m->vals[i];
    i = (i + 1) & (m->cap - 1);
  }
  return UINT32_MAX;
}
void strmap_put(wctx *c, wk_arena *a, strmap *m, const char *key, uint32_t val) {
  if ((m->n + 1) * 2 > m->cap) {
    uint32_t nc = m->cap ? m->cap * 2 : 16;
    if (nc > (1u << 28)) woom(c);
    const char **nk = walloc(c, a, sizeof(char *) * nc);
    uint32_t *nv = walloc(c, a, sizeof(uint32_t) * nc);
    for (uint32_t i = 0; i < m->cap; i++)
      if (m->keys[i]) {
        uint32_t j = str_hash(m->keys[i]) & (nc - 1);
        while (nk[j]) j = (j + 1) & (nc - 1);
        nk[j] = m->keys[i];
        nv[j] = m->vals[i];
      }
    m->keys = nk;
    m->vals = nv;
    m->cap = nc;
  }
  uint32_t i = str_hash(key) & (m->cap - 1);
  while (m->keys[i]) {
    if (!strcmp(m->keys[i], key)) { m->vals[i] = val; return; }
    i = (i + 1) & (m->cap - 1);
  }
  m->keys[i] = key;
  m->vals[i] = val;
  m->n++;
}

const char *wit_item_key(wctx *c, wk_arena *a, const char *key_name, wit_id key_iface) {
  if (key_name) return key_name;
  return wsprintf(c, a, "\x01%u", key_iface);
}

void wit_snippet_render(const char *path, const char *text, size_t len, uint32_t line, uint32_t col, uint32_t start,
                        uint32_t end_off, const char *msg, wk_buf *out) {
  uint32_t off = start > len ? (uint32_t)len : start;
  uint32_t ls = off;
  while (ls > 0 && text[ls - 1] != '\n') ls--;
  uint32_t le = off;
  while (le < len && text[le] != '\n') le++;
  uint32_t snip_end = le;
  if (snip_end > ls && text[snip_end - 1] == '\r') snip_end--;
  wk_buf_printf(out, "%s\n     --> %s:%u:%u\n      |\n %4u | ", msg, path, line, col, line);
  wk_buf_append(out, text + ls, snip_end - ls);
  wk_buf_str(out, "\n      | ");
  for (uint32_t i = 1; i < col; i++) wk_buf_byte(out, ' ');
  wk_buf_byte(out, '^');
  uint32_t end = end_off > len ? (uint32_t)len : end_off;
  int first = 1;
  for (uint32_t i = off; i < end; i++) {
    unsigned char ch = (unsigned char)text[i];
    if ((ch & 0xC0) == 0x80) continue;
    if (first) { first = 0; continue; }
    wk_buf_byte(out, '-');
  }
}

void wit_diag_render(const wit_resolve *r, const wit_diag *d, wk_buf *out) {
  const char *msg = d->err.msg[0] ? d->err.msg : "unknown error";
  if (!r || d->file_index == WIT_NONE || d->file_index >= r->n_files || !d->err.line) {
    if (d->file[0] && d->err.line) wk_buf_printf(out, "%s:%u:%u: ", d->file, d->err.line, d->err.col);
    wk_buf_str(out, msg);
    return;
  }
  const wit_file *f = &r->files[d->file_index];
  wit_snippet_render(f->path, f->text, f->len, d->err.line, d->err.col, d->start, d->end, msg, out);
}

static int strcmp0(const char *a, const char *b) {
  if (!a || !b) return a == b ? 0 : a ? 1 : -1;
  return strcmp(a, b);
}
int wit_pkgname_eq(const wit_package_name *a, const wit_package_name *b) {
  return !strcmp(a->namespace_, b->namespace_) && !strcmp(a->name, b->name) && !strcmp0(a->version, b->version);
}
/* Order as Rust's derived Ord on PackageName: namespace, name, then Option<Version>
 * (None < Some; semver::Version's Ord, which also orders build metadata). */
int wit_pkgname_cmp(const wit_package_name *a, const wit_package_name *b) {
  int c = strcmp(a->namespace_, b->namespace_);
  if (c) return c;
  c = strcmp(a->name, b->name);
  if (c) return c;
  if (!a->version || !b->version) return a->version == b->version ? 0 : a->version ? 1 : -1;
  c = wk_semver_cmp(a->version, strlen(a->version), b->version, strlen(b->version));
  if (c) return c;
  const char *ba = strchr(a->version, '+'), *bb = strchr(b->version, '+');
  return strcmp0(ba, bb);
}
char *wit_pkgname_str(wctx *c, wk_arena *a, const wit_package_name *n) {
  if (n->version) return wsprintf(c, a, "%s:%s@%s", n->namespace_, n->name, n->version);
  return wsprintf(c, a, "%s:%s", n->namespace_, n->name);
}
int wit_stab_eq(const wit_stability *a, const wit_stability *b) {
  return a->kind == b->kind && !strcmp0(a->since, b->since) && !strcmp0(a->feature, b->feature) &&
         !strcmp0(a->deprecated, b->deprecated);
}
int wit_type_eq(wit_type a, wit_type b) { return a.prim == b.prim && (a.prim != WIT_PRIM_ID || a.id == b.id); }

const char *wit_prim_name(wit_prim p) {
  static const char *const names[] = {NULL, "bool", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64",
                                      "f32", "f64", "char", "string", "error-context"};
  if ((unsigned)p < sizeof names / sizeof names[0]) return names[p];
  return NULL;
}

static uint32_t edit_distance(const char *a, const char *b) {
  size_t na = strlen(a), nb = strlen(b);
  if (na > 64 || nb > 64) return UINT32_MAX;
  uint32_t prev[65], cur[65];
  for (size_t j = 0; j <= nb; j++) prev[j] = (uint32_t)j;
  for (size_t i = 1; i <= na; i++) {
    cur[0] = (uint32_t)i;
    for (size_t j = 1; j <= nb; j++) {
      uint32_t d = prev[j - 1] + (a[i - 1] != b[j - 1]);
      if (prev[j] + 1 < d) d = prev[j] + 1;
      if (cur[j - 1] + 1 < d) d = cur[j - 1] + 1;
      cur[j] = d;
    }
    wmemcpy(prev, cur, sizeof(uint32_t) * (nb + 1));
  }
  return prev[nb];
}

const char *wit_nearest(const char *name, const char *const *cands, uint32_t n) {
  const char *best = NULL;
  uint32_t bd = UINT32_MAX;
  size_t len = strlen(name);
  uint32_t limit = len < 3 ? 1 : (uint32_t)(len / 3 + 1);
  for (uint32_t i = 0; i < n; i++) {
    if (!cands[i] || !strcmp(cands[i], name)) continue;
    uint32_t d = edit_distance(name, cands[i]);
    if (d <= limit && d < bd) { bd = d; best = cands[i]; }
  }
  return best;
}

wit_id wit_resolve_find_package(const wit_resolve *r, const char *ns, const char *name, const char *version) {
  for (uint32_t i = 0; i < r->n_packages; i++) {
    const wit_package_name *p = &r->packages[i].name;
    if (!strcmp(p->namespace_, ns) && !strcmp(p->name, name) && !strcmp0(p->version, version)) return i;
  }
  return WIT_NONE;
}
wit_id wit_interface_find_type(const wit_resolve *r, wit_id iface, const char *name) {
  if (iface >= r->n_interfaces) return WIT_NONE;
  const wit_interface *in = &r->interfaces[iface];
  for (uint32_t i = 0; i < in->n_types; i++)
    if (!strcmp(in->types[i].name, name)) return in->types[i].id;
  return WIT_NONE;
}
const wit_function *wit_interface_find_function(const wit_resolve *r, wit_id iface, const char *name) {
  if (iface >= r->n_interfaces) return NULL;
  const wit_interface *in = &r->interfaces[iface];
  for (uint32_t i = 0; i < in->n_functions; i++)
    if (!strcmp(in->functions[i].name, name)) return &in->functions[i];
  return NULL;
}
const char *wit_interface_id_string(const wit_resolve *r, wit_id iface, char *buf, size_t cap) {
  if (!cap) return buf;
  buf[0] = 0;
  if (iface >= r->n_interfaces) return buf;
  const wit_interface *in = &r->interfaces[iface];
  if (!in->name || in->package >= r->n_packages) return buf;
  const wit_package_name *p = &r->packages[in->package].name;
  if (p->version) snprintf(buf, cap, "%s:%s/%s@%s", p->namespace_, p->name, in->name, p->version);
  else snprintf(buf, cap, "%s:%s/%s", p->namespace_, p->name, in->name);
  return buf;
}

static const char *strip_pct(const char *s) { return *s == '%' ? s + 1 : s; }

int wit_resolve_select_world(const wit_resolve *r, wit_id main_pkg, const char *spec, wit_id *out, wk_error *err) {
  if (!spec) {
    if (main_pkg >= r->n_packages) return wk_error_set(err, WK_ERR_USAGE, "No main packages defined");
    const wit_package *p = &r->packages[main_pkg];
    if (p->n_worlds == 1) {
      *out = p->worlds[0].id;
      return WK_OK;
    }
    char name[300];
    snprintf(name, sizeof name, "%s:%s%s%s", p->name.namespace_, p->name.name, p->name.version ? "@" : "",
             p->name.version ? p->name.version : "");
    if (!p->n_worlds) return wk_error_set(err, WK_ERR_USAGE, "The main package `%s` contains no worlds", name);
    return wk_error_set(err, WK_ERR_USAGE, "There are multiple worlds in `%s`; one must be explicitly chosen", name);
  }
  char buf[512];
  if (strlen(spec) >= sizeof buf) return wk_error_set(err, WK_ERR_USAGE, "world specifier too long");
  strcpy(buf, spec);
  wit_id pkg = main_pkg;
  const char *wname = buf;
  char *colon = strchr(buf, ':');
  if (colon) {
    char *slash = strchr(colon, '/');
    if (!slash) return wk_error_set(err, WK_ERR_USAGE, "failed to parse world specifier `%s`", spec);
    *colon = 0;
    *slash = 0;
    char *at = strchr(slash + 1, '@');
    if (at) *at = 0;
    const char *ns = strip_pct(buf), *pn = strip_pct(colon + 1), *ver = at ? at + 1 : NULL;
    wname = slash + 1;
    pkg = wit_resolve_find_package(r, ns, pn, ver);
    if (pkg == WIT_NONE && !ver) {
      for (uint32_t i = 0; i < r->n_packages; i++) {
        const wit_package_name *n = &r->packages[i].name;
        if (!n->version || strcmp(n->namespace_, ns) || strcmp(n->name, pn)) continue;
        if (pkg != WIT_NONE)
          return wk_error_set(err, WK_ERR_USAGE,
                              "package name `%s:%s` is available at both versions %s and %s but which is not specified",
                              ns, pn, r->packages[pkg].name.version, n->version);
        pkg = i;
      }
    }
    if (pkg == WIT_NONE) return wk_error_set(err, WK_ERR_USAGE, "unknown package `%s:%s%s%s`", ns, pn, ver ? "@" : "", ver ? ver : "");
  } else if (strchr(buf, '/') || strchr(buf, '@')) {
    return wk_error_set(err, WK_ERR_USAGE, "failed to parse world specifier `%s`", spec);
  }
  if (pkg >= r->n_packages) return wk_error_set(err, WK_ERR_USAGE, "No main packages defined");
  wname = strip_pct(wname);
  const wit_package *p = &r->packages[pkg];
  for (uint32_t i = 0; i < p->n_worlds; i++)
    if (!strcmp(p->worlds[i].name, wname)) {
      *out = p->worlds[i].id;
      return WK_OK;
    }
  return wk_error_set(err, WK_ERR_USAGE, "World `%s` not found in package `%s:%s%s%s`", wname, p->name.namespace_,
                      p->name.name, p->name.version ? "@" : "", p->name.version ? p->name.version : "");
}
