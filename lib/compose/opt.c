/*
 * wcompose opt: binaryen over every core module of a component (opt.h).
 */
#include "compose/opt.h"

#include <binaryen-c.h>
#include <errno.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "encode/component.h"
#include "encode/encode.h"
#include "encode/producers.h"

int wk_opt_parse_level(const char *s, wk_opt_options *o) {
  if (!strncmp(s, "-O", 2)) s += 2;
  else if (s[0] == 'O') s++;
  o->pipeline = 1;
  if (!s[0] || !strcmp(s, "s")) { o->level = 2; o->shrink = 1; return WK_OK; }
  if (!strcmp(s, "z")) { o->level = 2; o->shrink = 2; return WK_OK; }
  if (s[0] >= '0' && s[0] <= '4' && !s[1]) { o->level = s[0] - '0'; o->shrink = 0; return WK_OK; }
  return WK_ERR_USAGE;
}

void wk_opt_report_free(wk_opt_report *r) {
  if (!r) return;
  free(r->e);
  r->e = NULL;
  r->n = 0;
}

/* ---- the binaryen child ---------------------------------------------- */

static BinaryenFeatures binaryen_features(uint32_t f) {
  if (f & WK_OPTF_UNKNOWN) return BinaryenFeatureAll();
  BinaryenFeatures b = BinaryenFeatureMVP() | BinaryenFeatureMutableGlobals();
  if (f & WK_OPTF_SIGN_EXT) b |= BinaryenFeatureSignExt();
  if (f & WK_OPTF_SAT_CONV) b |= BinaryenFeatureNontrappingFPToInt();
  if (f & WK_OPTF_BULK_MEMORY) b |= BinaryenFeatureBulkMemory();
  if (f & WK_OPTF_REFERENCE_TYPES) b |= BinaryenFeatureReferenceTypes();
  if (f & WK_OPTF_SIMD) b |= BinaryenFeatureSIMD128();
  if (f & WK_OPTF_MULTIVALUE) b |= BinaryenFeatureMultivalue();
  if (f & WK_OPTF_ATOMICS) b |= BinaryenFeatureAtomics();
  if (f & WK_OPTF_TAIL_CALL) b |= BinaryenFeatureTailCall();
  if (f & WK_OPTF_EXCEPTIONS) b |= BinaryenFeatureExceptionHandling();
  if (f & WK_OPTF_MEMORY64) b |= BinaryenFeatureMemory64();
  if (f & WK_OPTF_EXTENDED_CONST) b |= BinaryenFeatureExtendedConst();
  if (f & WK_OPTF_RELAXED_SIMD) b |= BinaryenFeatureRelaxedSIMD();
  if (f & WK_OPTF_GC) b |= BinaryenFeatureGC() | BinaryenFeatureReferenceTypes();
  return b;
}

/* Child exit codes. */
enum { CHILD_OK = 0, CHILD_INVALID = 3, CHILD_WRITE = 4 };

static void child(const uint8_t *mod, size_t len, uint32_t feats, int strip_dwarf, const wk_opt_drop *drop,
                  const wk_opt_options *o, int outfd, int errfd) {
  __fpurge(stdout); /* the parent's unflushed output must not come out twice */
  dup2(errfd, 1);
  dup2(errfd, 2);
  BinaryenSetColorsEnabled(0);
  BinaryenModuleRef m = BinaryenModuleRead((char *)mod, len); /* ends the child on bad input */
  BinaryenModuleSetFeatures(m, BinaryenModuleGetFeatures(m) | binaryen_features(feats));
  BinaryenSetOptimizeLevel(o->level);
  BinaryenSetShrinkLevel(o->shrink);
  /* Debug info on keeps the name section: binaryen reads names into its IR and writes them only then,
   * so a strip-debug / strip pass can remove them only with it off. */
  int names = 1;
  for (uint32_t i = 0; i < o->npasses; i++)
    if (!strcmp(o->passes[i], "strip-debug") || !strcmp(o->passes[i], "strip")) names = 0;
  BinaryenSetDebugInfo(names);
  if (!BinaryenModuleValidate(m)) _exit(CHILD_INVALID);
  if (strip_dwarf) { /* DWARF would not describe the optimized code; binaryen also keeps it from optimizing */
    const char *sd[] = {"strip-dwarf"};
    BinaryenModuleRunPasses(m, sd, 1);
  }
  if (drop && drop->n) { /* exports nothing uses (--dce): gone, and what only they reached with them */
    for (uint32_t i = 0; i < drop->n; i++) BinaryenRemoveExport(m, drop->names[i]);
    const char *ru[] = {"remove-unused-module-elements"};
    BinaryenModuleRunPasses(m, ru, 1);
  }
  if (o->pipeline) BinaryenModuleOptimize(m);
  if (o->npasses) BinaryenModuleRunPasses(m, (const char **)o->passes, o->npasses);
  BinaryenModuleAllocateAndWriteResult r = BinaryenModuleAllocateAndWrite(m, NULL);
  const uint8_t *p = r.binary;
  size_t left = r.binaryBytes;
  while (left) {
    ssize_t w = write(outfd, p, left);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) _exit(CHILD_WRITE);
    p += w;
    left -= (size_t)w;
  }
  _exit(CHILD_OK);
}

/* Read a whole memfd into a malloc'd buffer. */
static int slurp(int fd, uint8_t **data, size_t *len) {
  struct stat st;
  if (fstat(fd, &st) < 0) return -1;
  *len = (size_t)st.st_size;
  *data = malloc(*len + 1);
  if (!*data) return -1;
  size_t got = 0;
  while (got < *len) {
    ssize_t r = pread(fd, *data + got, *len - got, (off_t)got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) { free(*data); *data = NULL; return -1; }
    got += (size_t)r;
  }
  (*data)[*len] = 0;
  return 0;
}

/* The first lines of what binaryen printed, on one line. */
static void message(const uint8_t *s, size_t n, char *out, size_t cap) {
  size_t o = 0;
  int space = 0;
  for (size_t i = 0; i < n && o + 1 < cap; i++) {
    char c = (char)s[i];
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') { space = o > 0; continue; }
    if ((unsigned char)c < 0x20) continue;
    if (space && o + 2 < cap) out[o++] = ' ';
    space = 0;
    out[o++] = c;
  }
  out[o] = 0;
}

/*
 * Run binaryen on one module in a child. Returns WK_OK with *out (malloc'd),
 * WK_ERR_UNSUPPORTED with `note` set when binaryen failed on it, or
 * WK_ERR_IO when no child could be started.
 */
static int run_binaryen(const uint8_t *mod, size_t len, uint32_t feats, int strip_dwarf, const wk_opt_drop *drop,
                        const wk_opt_options *o, uint8_t **out, size_t *outlen, char *note, size_t notecap,
                        wk_error *err) {
  int outfd = memfd_create("wcompose-opt-out", MFD_CLOEXEC);
  int errfd = outfd >= 0 ? memfd_create("wcompose-opt-err", MFD_CLOEXEC) : -1;
  if (outfd < 0 || errfd < 0) {
    if (outfd >= 0) close(outfd);
    return wk_error_set(err, WK_ERR_IO, "cannot create a memfd for binaryen: %s", strerror(errno));
  }
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    close(outfd);
    close(errfd);
    return wk_error_set(err, WK_ERR_IO, "cannot fork for binaryen: %s", strerror(errno));
  }
  if (pid == 0) child(mod, len, feats, strip_dwarf, drop, o, outfd, errfd);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  int rc = WK_OK;
  uint8_t *msg = NULL;
  size_t msglen = 0;
  if (WIFEXITED(status) && WEXITSTATUS(status) == CHILD_OK) {
    if (slurp(outfd, out, outlen) < 0) rc = wk_error_set(err, WK_ERR_NOMEM, "cannot read binaryen's output");
  } else {
    char bmsg[300] = "";
    if (slurp(errfd, &msg, &msglen) == 0) message(msg, msglen, bmsg, sizeof bmsg);
    if (WIFSIGNALED(status))
      snprintf(note, notecap, "binaryen crashed (signal %d)%s%s", WTERMSIG(status), bmsg[0] ? ": " : "", bmsg);
    else if (WEXITSTATUS(status) == CHILD_INVALID)
      snprintf(note, notecap, "binaryen does not accept the module: %s", bmsg[0] ? bmsg : "invalid");
    else
      snprintf(note, notecap, "binaryen cannot read the module: %s", bmsg[0] ? bmsg : "failed");
    rc = WK_ERR_UNSUPPORTED;
  }
  free(msg);
  close(outfd);
  close(errfd);
  return rc;
}

int wk_opt_check_passes(const wk_opt_options *o, wk_error *err) {
  static const uint8_t EMPTY[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  if (!o->npasses) return WK_OK;
  wk_opt_options only = *o;
  only.pipeline = 0;
  uint8_t *out = NULL;
  size_t outlen;
  char note[400] = "";
  int rc = run_binaryen(EMPTY, sizeof EMPTY, 0, 0, NULL, &only, &out, &outlen, note, sizeof note, err);
  free(out);
  if (rc == WK_ERR_UNSUPPORTED) {
    const char *m = strstr(note, ": ");
    return wk_error_set(err, WK_ERR_USAGE, "bad --pass: %s", m ? m + 2 : note);
  }
  return rc;
}

/* ---- one module ---------------------------------------------------------- */

static int name_eq(wk_cstr a, wk_cstr b) { return a.len == b.len && !memcmp(a.s, b.s, a.len); }
static int is_dwarf(const wk_core_name *n) { return n->len >= 7 && !memcmp(n->str, ".debug_", 7); }

static int dropped(const wk_opt_drop *d, wk_cstr n) {
  for (uint32_t i = 0; d && i < d->n; i++)
    if (strlen(d->names[i]) == n.len && !memcmp(d->names[i], n.s, n.len)) return 1;
  return 0;
}

/* Binaryen's output must export exactly what the module exported, less the
 * exports `drop` names (canon definitions and aliases refer to exports by
 * name: Explainer.md "Alias Definitions"), and import nothing the module
 * did not import. */
static int same_interface(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen, const wk_opt_drop *drop,
                          char *note, size_t cap) {
  wk_arena ar = {0};
  wk_modinfo x, y;
  wk_error e;
  int ok = 0;
  if (wk_modinfo_read(a, alen, &ar, &x, &e) || wk_modinfo_read(b, blen, &ar, &y, &e)) {
    snprintf(note, cap, "binaryen's output does not decode: %.200s", e.msg);
    goto done;
  }
  uint32_t want = 0;
  for (uint32_t i = 0; i < x.nexports; i++) {
    if (dropped(drop, x.exports[i].name)) continue;
    want++;
    uint32_t j;
    for (j = 0; j < y.nexports && !(name_eq(x.exports[i].name, y.exports[j].name) && x.exports[i].kind == y.exports[j].kind); j++) {}
    if (j == y.nexports) {
      snprintf(note, cap, "binaryen dropped or changed export `%.*s`", (int)x.exports[i].name.len, x.exports[i].name.s);
      goto done;
    }
  }
  if (y.nexports != want) { snprintf(note, cap, "binaryen changed the export list"); goto done; }
  for (uint32_t j = 0; j < y.nimports; j++) {
    uint32_t i;
    for (i = 0; i < x.nimports && !(name_eq(x.imports[i].module, y.imports[j].module) &&
                                     name_eq(x.imports[i].name, y.imports[j].name) && x.imports[i].kind == y.imports[j].kind); i++) {}
    if (i == x.nimports) {
      snprintf(note, cap, "binaryen added import `%.*s` `%.*s`", (int)y.imports[j].module.len, y.imports[j].module.s,
               (int)y.imports[j].name.len, y.imports[j].name.s);
      goto done;
    }
  }
  ok = 1;
done:
  wk_arena_free(&ar);
  return ok;
}

static int cname_is(const wk_core_name *n, const char *s) { return n->len == strlen(s) && !memcmp(n->str, s, n->len); }

/* Whether the user asked for a pass that removes sections (strip, strip-debug, strip-producers,
 * strip-target-features, ...): then what is gone stays gone. */
static int strips(const wk_opt_options *o) {
  for (uint32_t i = 0; i < o->npasses; i++)
    if (!strncmp(o->passes[i], "strip", 5)) return 1;
  return 0;
}

/* Put back the custom sections binaryen dropped and add the producers
 * entry. Not put back: DWARF (stale), `name` and `producers` (binaryen
 * keeps them, so they are gone only when a strip pass removed them), and
 * nothing at all after a strip pass. Then: decode binaryen's output, edit its custom sections,
 * encode it with wk_core_encode. On failure *mod is unchanged and a note
 * says what was not done. */
static int fix_customs(const uint8_t *orig, size_t olen, uint8_t **mod, size_t *len, const wk_opt_options *o,
                       char *note, size_t cap) {
  wk_core_module *a = NULL, *b = NULL;
  wk_error e;
  wk_buf prod = {0}, out = {0};
  int rc = WK_OK;
  if (wk_core_decode(orig, olen, &a, &e) || wk_core_decode(*mod, *len, &b, &e)) {
    snprintf(note, cap, "custom sections not checked (not a WebAssembly 2.0 module: %.200s)", e.msg);
    goto done;
  }
  uint32_t n;
  wk_core_custom *cs = wk_arena_alloc(&b->arena, (b->ncustoms + a->ncustoms + 1) * sizeof *cs);
  if (!cs) { rc = WK_ERR_NOMEM; goto done; }
  int had_names = 0;
  for (uint32_t i = 0; i < a->ncustoms; i++)
    if (a->customs[i].name.len == 4 && !memcmp(a->customs[i].name.str, "name", 4)) had_names = 1;
  n = 0;
  for (uint32_t i = 0; i < b->ncustoms; i++) /* binaryen writes names it made up when there were none */
    if (had_names || !(b->customs[i].name.len == 4 && !memcmp(b->customs[i].name.str, "name", 4))) cs[n++] = b->customs[i];
  int had_producers = 0;
  for (uint32_t i = 0; i < a->ncustoms; i++) {
    const wk_core_custom *c = &a->customs[i];
    if (cname_is(&c->name, "producers")) had_producers = 1;
    if (is_dwarf(&c->name) || cname_is(&c->name, "name") || cname_is(&c->name, "producers") || strips(o)) continue;
    uint32_t k;
    for (k = 0; k < n && !(cs[k].name.len == c->name.len && !memcmp(cs[k].name.str, c->name.str, c->name.len)); k++) {}
    if (k < n) continue;
    cs[n] = *c;
    cs[n].place = 0xff; /* after every section */
    n++;
  }
  uint32_t k;
  for (k = 0; k < n && !cname_is(&cs[k].name, "producers"); k++) {}
  if (o->tool && !(had_producers && k == n)) { /* a stripped producers section stays stripped */
    if (wk_producers_add(k < n ? cs[k].content : NULL, k < n ? cs[k].len : 0, "processed-by", o->tool,
                         o->version ? o->version : "", &prod, &e) != WK_OK) {
      snprintf(note, cap, "producers section left as binaryen wrote it (%.200s)", e.msg);
    } else {
      if (k == n) cs[n++] = (wk_core_custom){.name = {"producers", 9}, .place = 0xff};
      cs[k].content = prod.data;
      cs[k].len = (uint32_t)prod.len;
    }
  }
  b->customs = cs;
  b->ncustoms = n;
  if (wk_core_encode(b, &out, &e) != WK_OK) {
    snprintf(note, cap, "custom sections not restored: %.200s", e.msg);
    goto done;
  }
  free(*mod);
  *mod = out.data;
  *len = out.len;
  out.data = NULL;
done:
  wk_buf_free(&prod);
  wk_buf_free(&out);
  wk_core_free(a);
  wk_core_free(b);
  return rc;
}

typedef struct optctx {
  const wk_opt_options *o;
  wk_opt_report rep;
  uint8_t **owned; /* module buffers the model points to */
  uint32_t nowned;
  wk_error *err;
} optctx;

static wk_opt_entry *entry(optctx *x, const char *where) {
  wk_opt_entry *e = wk_reallocarray(x->rep.e, x->rep.n + 1, sizeof *e);
  if (!e) return NULL;
  x->rep.e = e;
  e = &e[x->rep.n++];
  memset(e, 0, sizeof *e);
  snprintf(e->where, sizeof e->where, "%s", where);
  return e;
}

/* Whether the module has a `.debug_*` custom section (Core 5.5.3: id 0, name, content), found
 * with lib/encode's section reader; a malformed section ends the search. */
static int has_dwarf(const uint8_t *d, size_t n) {
  wk_section_iter it;
  wk_section sec;
  if (wk_sections_begin(&it, d, n, NULL)) return 0;
  while (wk_sections_next(&it, &sec, NULL) == 1)
    if (sec.id == 0 && sec.name_len >= 7 && !memcmp(sec.name, ".debug_", 7)) return 1;
  return 0;
}

/* Optimize one module; *out / *outlen = the new bytes (malloc'd, owned by
 * the caller) or NULL when it is left as it was. */
static int opt_module(optctx *x, const char *where, const uint8_t *mod, size_t len, const wk_opt_drop *drop,
                      uint8_t **out, size_t *outlen) {
  *out = NULL;
  wk_opt_entry *e = entry(x, where);
  if (!e) return wk_error_set(x->err, WK_ERR_NOMEM, "out of memory");
  e->before = e->after = len;
  uint32_t feats = wk_opt_detect_features(mod, len);
  uint8_t *res = NULL;
  size_t rlen = 0;
  int dwarf = has_dwarf(mod, len);
  int rc = run_binaryen(mod, len, feats, dwarf, drop, x->o, &res, &rlen, e->note, sizeof e->note, x->err);
  if (rc == WK_ERR_UNSUPPORTED) return WK_OK; /* left as it was, with the note */
  if (rc) return rc;
  if (!same_interface(mod, len, res, rlen, drop, e->note, sizeof e->note)) {
    free(res);
    return WK_OK;
  }
  if ((rc = fix_customs(mod, len, &res, &rlen, x->o, e->note, sizeof e->note)) != WK_OK) {
    free(res);
    return wk_error_set(x->err, rc, "out of memory");
  }
  if (dwarf && !e->note[0]) snprintf(e->note, sizeof e->note, "DWARF sections dropped (they would not match the optimized code)");
  if (feats & WK_OPTF_UNKNOWN && !e->note[0])
    snprintf(e->note, sizeof e->note, "beyond WebAssembly 2.0: optimized with all binaryen features enabled");
  e->optimized = 1;
  e->dropped = drop ? drop->n : 0;
  e->after = rlen;
  *out = res;
  *outlen = rlen;
  return WK_OK;
}

static int keep(optctx *x, uint8_t *p) {
  uint8_t **o = wk_reallocarray(x->owned, x->nowned + 1, sizeof *o);
  if (!o) { free(p); return wk_error_set(x->err, WK_ERR_NOMEM, "out of memory"); }
  x->owned = o;
  o[x->nowned++] = p;
  return WK_OK;
}

/* Walk a component's sections in order, numbering core modules and
 * components in their index spaces (Explainer.md "Index Spaces": imports,
 * aliases and definitions all add to them). */
static int opt_component(optctx *x, wk_component *c, const char *prefix) {
  uint32_t nmod = 0, ncomp = 0;
  char where[128];
  wk_opt_dce plan = {0};
  int rc = WK_OK;
  if (x->o->dce && (rc = wk_opt_dce_plan(c, &plan, x->err)) != WK_OK) return rc;
  for (uint32_t i = 0; i < c->nsections && rc == WK_OK; i++) {
    wk_csection *s = &c->sections[i];
    switch (s->id) {
      case WK_CSEC_CORE_MODULE: {
        snprintf(where, sizeof where, "%s%score module %u", prefix, prefix[0] ? " > " : "", nmod++);
        uint8_t *nb;
        size_t nl;
        rc = opt_module(x, where, s->u.module.bytes, s->u.module.len, plan.drop ? &plan.drop[i] : NULL, &nb, &nl);
        if (rc == WK_OK && nb && (rc = keep(x, nb)) == WK_OK) {
          s->u.module.bytes = nb;
          s->u.module.len = nl;
        }
        break;
      }
      case WK_CSEC_COMPONENT: {
        snprintf(where, sizeof where, "%s%scomponent %u", prefix, prefix[0] ? " > " : "", ncomp++);
        rc = opt_component(x, s->u.component, where);
        break;
      }
      case WK_CSEC_IMPORT:
        for (uint32_t k = 0; k < s->count; k++) {
          if (s->u.imports[k].ext.kind == WK_CSORT_CORE) nmod++;
          if (s->u.imports[k].ext.kind == WK_CSORT_COMPONENT) ncomp++;
        }
        break;
      case WK_CSEC_ALIAS:
        for (uint32_t k = 0; k < s->count; k++) {
          wk_csort so = s->u.aliases[k].sort;
          if (so.sort == WK_CSORT_CORE && so.core_sort == WK_CCSORT_MODULE) nmod++;
          if (so.sort == WK_CSORT_COMPONENT) ncomp++;
        }
        break;
      case WK_CSEC_EXPORT:
        for (uint32_t k = 0; k < s->count; k++) {
          wk_csort so = s->u.exports[k].sort;
          if (so.sort == WK_CSORT_CORE && so.core_sort == WK_CCSORT_MODULE) nmod++;
          if (so.sort == WK_CSORT_COMPONENT) ncomp++;
        }
        break;
      default: break;
    }
  }
  wk_opt_dce_free(&plan);
  return rc;
}

/* processed-by entry in the outermost component's producers section (a new
 * section at the end when there is none). */
static int component_producers(wk_component *c, const wk_opt_options *o, wk_error *err) {
  if (!o->tool) return WK_OK;
  wk_csection *p = NULL;
  for (uint32_t i = 0; i < c->nsections; i++)
    if (c->sections[i].id == WK_CSEC_CUSTOM && c->sections[i].custom_name.len == 9 &&
        !memcmp(c->sections[i].custom_name.s, "producers", 9))
      p = &c->sections[i];
  wk_buf b = {0};
  wk_error e;
  if (wk_producers_add(p ? (const uint8_t *)p->custom_data.s : NULL, p ? p->custom_data.len : 0, "processed-by", o->tool,
                       o->version ? o->version : "", &b, &e) != WK_OK) {
    wk_buf_free(&b);
    return e.code == WK_ERR_NOMEM ? wk_error_set(err, WK_ERR_NOMEM, "out of memory") : WK_OK; /* malformed: left */
  }
  char *copy = wk_arena_alloc(&c->arena, b.len ? b.len : 1);
  if (!copy) { wk_buf_free(&b); return wk_error_set(err, WK_ERR_NOMEM, "out of memory"); }
  memcpy(copy, b.data, b.len);
  if (!p) {
    wk_csection *ns = wk_arena_alloc(&c->arena, (c->nsections + 1) * sizeof *ns);
    if (!ns) { wk_buf_free(&b); return wk_error_set(err, WK_ERR_NOMEM, "out of memory"); }
    if (c->nsections) memcpy(ns, c->sections, c->nsections * sizeof *ns);
    p = &ns[c->nsections];
    memset(p, 0, sizeof *p);
    p->id = WK_CSEC_CUSTOM;
    p->custom_name = (wk_cstr){"producers", 9};
    c->sections = ns;
    c->nsections++;
  }
  p->custom_data = (wk_cstr){copy, (uint32_t)b.len};
  wk_buf_free(&b);
  return WK_OK;
}

static int is_component(const uint8_t *in, size_t len) {
  return len >= 8 && !memcmp(in, "\0asm", 4) && in[6] == WK_CT_LAYER && in[7] == 0x00;
}

int wk_opt_run(const uint8_t *in, size_t len, const wk_opt_options *o, wk_buf *out, wk_opt_report *rep,
               wk_error *err) {
  optctx x = {.o = o, .err = err};
  int rc;
  wk_component *c = NULL, *check = NULL;
  wk_buf res = {0};
  if (!is_component(in, len)) {
    /* a core module: it must decode and validate (WebAssembly 2.0) */
    wk_core_module *m = NULL;
    if ((rc = wk_core_decode(in, len, &m, err)) != WK_OK) goto done;
    rc = wk_core_validate(m, err);
    wk_core_free(m);
    if (rc) goto done;
    uint8_t *nb;
    size_t nl;
    if ((rc = opt_module(&x, "core module", in, len, NULL, &nb, &nl)) != WK_OK) goto done;
    if (nb) {
      m = NULL;
      if ((rc = wk_core_decode(nb, nl, &m, err)) == WK_OK) rc = wk_core_validate(m, err);
      wk_core_free(m);
      if (rc) {
        free(nb);
        rc = wk_error_set(err, WK_ERR_INVALID, "the optimized module does not validate: %s", err->msg);
        goto done;
      }
      wk_buf_append(out, nb, nl);
      free(nb);
    } else wk_buf_append(out, in, len);
    rc = out->oom ? wk_error_set(err, WK_ERR_NOMEM, "out of memory") : WK_OK;
    goto done;
  }
  if ((rc = wk_component_decode(in, len, &c, err)) != WK_OK) goto done;
  if ((rc = wk_component_validate(c, err)) != WK_OK) goto done;
  if ((rc = opt_component(&x, c, "")) != WK_OK) goto done;
  if ((rc = component_producers(c, o, err)) != WK_OK) goto done;
  if ((rc = wk_component_encode(c, &res, err)) != WK_OK) goto done;
  /* Binary.md: the result must decode and validate before it is returned */
  wk_error e2;
  if (wk_component_decode(res.data, res.len, &check, &e2) != WK_OK || wk_component_validate(check, &e2) != WK_OK) {
    rc = wk_error_set(err, WK_ERR_INVALID, "the optimized component does not validate (offset %llu): %s",
                      (unsigned long long)e2.offset, e2.msg);
    goto done;
  }
  wk_buf_append(out, res.data, res.len);
  rc = out->oom ? wk_error_set(err, WK_ERR_NOMEM, "out of memory") : WK_OK;
done:
  wk_component_free(check);
  wk_component_free(c);
  wk_buf_free(&res);
  for (uint32_t i = 0; i < x.nowned; i++) free(x.owned[i]);
  free(x.owned);
  if (rep && rc == WK_OK) *rep = x.rep;
  else wk_opt_report_free(&x.rep);
  return rc;
}
