/*
 * Components as OCI artifacts: write and read an OCI image layout as a tar
 * (see oci.h). Specs: OCI image-spec (image-layout.md, manifest.md,
 * descriptor.md, config.md, image-index.md, annotations.md) and the CNCF TAG
 * Runtime "Wasm OCI Artifact layout" (config media type
 * application/vnd.wasm.config.v0+json, layer application/wasm).
 */
#include "compose/oci.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"
#include "compose/archive_lib.h"
#include "encode/encode.h"
#include "encode/wat.h"
#include "witparse/witdecode.h"

#define CREATED "1970-01-01T00:00:00Z" /* fixed: output depends only on the inputs */
#define MAX_MEMBERS 4096

int wk_oci_digest(const uint8_t *data, size_t len, char *out) {
  uint8_t h[32];
  wk_sha256 c;
  int rc = wk_sha256_init(&c); /* OpenSSL, loaded on first use (base/sha256.h) */
  wk_sha256_update(&c, data, len);
  if (wk_sha256_final(&c, h) != 0) rc = -1;
  memcpy(out, "sha256:", 7);
  for (int i = 0; i < 32; i++) snprintf(out + 7 + 2 * i, 3, "%02x", h[i]);
  return rc;
}
#define NO_SHA256 "cannot compute SHA-256: OpenSSL's libcrypto could not be loaded"

/* ---------------------------------------------------------------- tar writing */

typedef struct member {
  char *name; /* "blobs/sha256/<hex>", "index.json", ... (directories end with '/') */
  uint8_t *data;
  size_t len;
} member;

static la_ssize_t buf_write(struct archive *a, void *ctx, const void *p, size_t n) {
  wk_buf *b = ctx;
  wk_buf_append(b, p, n);
  if (b->oom) { AR(archive_set_error)(a, 12, "out of memory"); return -1; }
  return (la_ssize_t)n;
}

static int cmp_member(const void *x, const void *y) {
  return strcmp(((const member *)x)->name, ((const member *)y)->name);
}

/* A deterministic ustar of `m` (sorted here), directories first by name order. */
static int write_tar(member *m, uint32_t n, wk_buf *out, wk_error *err) {
  const char *lib_err = NULL;
  if (!wk_archive_load(&lib_err)) return wk_error_set(err, WK_ERR_UNSUPPORTED, "%s", lib_err);
  qsort(m, n, sizeof *m, cmp_member);
  struct archive *a = AR(archive_write_new)();
  if (!a) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  int rc = WK_OK;
  if (AR(archive_write_set_format_ustar)(a) != ARCHIVE_OK || AR(archive_write_add_filter_none)(a) != ARCHIVE_OK ||
      AR(archive_write_open)(a, out, NULL, buf_write, NULL) != ARCHIVE_OK) {
    rc = wk_error_set(err, WK_ERR_IO, "tar: %s", AR(archive_error_string)(a));
    AR(archive_write_free)(a);
    return rc;
  }
  for (uint32_t i = 0; i < n && !rc; i++) {
    struct archive_entry *e = AR(archive_entry_new)();
    if (!e) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); break; }
    size_t nl = strlen(m[i].name);
    int dir = nl && m[i].name[nl - 1] == '/';
    AR(archive_entry_set_pathname)(e, m[i].name);
    AR(archive_entry_set_filetype)(e, dir ? AE_IFDIR : AE_IFREG);
    AR(archive_entry_set_perm)(e, dir ? 0755 : 0644);
    AR(archive_entry_set_size)(e, dir ? 0 : (la_int64_t)m[i].len);
    AR(archive_entry_set_mtime)(e, 0, 0);
    AR(archive_entry_set_uid)(e, 0);
    AR(archive_entry_set_gid)(e, 0);
    AR(archive_entry_set_uname)(e, "");
    AR(archive_entry_set_gname)(e, "");
    if (AR(archive_write_header)(a, e) != ARCHIVE_OK ||
        (!dir && m[i].len && AR(archive_write_data)(a, m[i].data, m[i].len) != (la_ssize_t)m[i].len))
      rc = wk_error_set(err, WK_ERR_IO, "tar: %s: %s", m[i].name, AR(archive_error_string)(a));
    AR(archive_entry_free)(e);
  }
  if (AR(archive_write_close)(a) != ARCHIVE_OK && !rc) rc = wk_error_set(err, WK_ERR_IO, "tar: %s", AR(archive_error_string)(a));
  AR(archive_write_free)(a);
  if (!rc && out->oom) rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  return rc;
}

/* ---------------------------------------------------------------- JSON helpers */

static cJSON *desc_json(const char *media_type, const char *digest, size_t size) {
  cJSON *d = cJSON_CreateObject();
  cJSON_AddStringToObject(d, "mediaType", media_type);
  cJSON_AddStringToObject(d, "digest", digest);
  cJSON_AddNumberToObject(d, "size", (double)size);
  return d;
}

/* malloc'd unformatted JSON of `j` (freed), NULL on OOM */
static char *print_free(cJSON *j) {
  char *s = j ? cJSON_PrintUnformatted(j) : NULL;
  cJSON_Delete(j);
  return s;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Add a sorted, de-duplicated string array `name` to `obj` (takes ownership of v[] strings). */
static void add_sorted(cJSON *obj, const char *name, char **v, uint32_t n) {
  qsort(v, n, sizeof *v, cmp_str);
  cJSON *arr = cJSON_AddArrayToObject(obj, name);
  for (uint32_t i = 0; i < n; i++) {
    if (!i || strcmp(v[i], v[i - 1])) cJSON_AddItemToArray(arr, cJSON_CreateString(v[i]));
  }
  for (uint32_t i = 0; i < n; i++) free(v[i]);
}

/* wit-component's Resolve::name_world_key: a plain name, or "ns:pkg/iface@v". */
static char *world_key(const wit_resolve *r, const wit_world_item *it) {
  if (it->key_name) return strdup(it->key_name);
  char buf[512];
  return strdup(wit_interface_id_string(r, it->key_iface, buf, sizeof buf));
}

/* The component's imports and exports (decoded with lib/witparse as `winspect --wit` does). */
static int component_section(const uint8_t *wasm, size_t len, const char *target, cJSON *cfg, wk_error *err) {
  wit_resolve *r = wit_resolve_new();
  if (!r) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  wit_id pkg = WIT_NONE, world = WIT_NONE;
  int kind = 0;
  int rc = wit_decode_bytes(r, wasm, len, &pkg, &world, &kind, err);
  if (!rc && kind != WIT_DECODED_COMPONENT)
    rc = wk_error_set(err, WK_ERR_UNSUPPORTED, "this component encodes a WIT package, not a runnable component");
  if (!rc) {
    const wit_world *w = &r->worlds[world];
    char **im = calloc(w->n_imports + 1, sizeof *im), **ex = calloc(w->n_exports + 1, sizeof *ex);
    if (!im || !ex) {
      free(im);
      free(ex);
      rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory");
    } else {
      uint32_t ni = 0, ne = 0;
      /* types are not imports/exports of the component in the artifact's sense */
      for (uint32_t i = 0; i < w->n_imports; i++)
        if (w->imports[i].kind != WIT_ITEM_TYPE) im[ni++] = world_key(r, &w->imports[i]);
      for (uint32_t i = 0; i < w->n_exports; i++)
        if (w->exports[i].kind != WIT_ITEM_TYPE) ex[ne++] = world_key(r, &w->exports[i]);
      int oom = 0;
      for (uint32_t i = 0; i < ni; i++) oom |= !im[i];
      for (uint32_t i = 0; i < ne; i++) oom |= !ex[i];
      cJSON *c = cJSON_AddObjectToObject(cfg, "component");
      if (oom || !c) {
        for (uint32_t i = 0; i < ni; i++) free(im[i]);
        for (uint32_t i = 0; i < ne; i++) free(ex[i]);
        rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory");
      } else {
        add_sorted(c, "exports", ex, ne);
        add_sorted(c, "imports", im, ni);
        if (target) cJSON_AddStringToObject(c, "target", target);
      }
      free(im);
      free(ex);
    }
  }
  wit_resolve_free(r);
  return rc;
}

static int is_component(const uint8_t *d, size_t n) {
  return n >= 8 && !memcmp(d, "\0asm", 4) && d[4] == WK_CT_VERSION && d[5] == 0 && d[6] == WK_CT_LAYER && d[7] == 0;
}

/* Validate a core module (Core spec 3) so that what we package runs. */
static int check_core(const uint8_t *wasm, size_t len, wk_error *err) {
  wk_core_module *m = NULL;
  int rc = wk_core_decode(wasm, len, &m, err);
  if (!rc) rc = wk_core_validate(m, err);
  wk_core_free(m);
  return rc;
}

static member blob_member(char *json_or_data, size_t len, char *digest_out) {
  member m = {0};
  wk_oci_digest((const uint8_t *)json_or_data, len, digest_out);
  size_t n = strlen("blobs/sha256/") + 64 + 1;
  m.name = malloc(n);
  if (m.name) snprintf(m.name, n, "blobs/sha256/%s", digest_out + 7);
  m.data = (uint8_t *)json_or_data;
  m.len = len;
  return m;
}

int wk_oci_pack(const uint8_t *wasm, size_t len, const wk_oci_opts *o, wk_buf *out, char *layer_digest,
                wk_error *err) {
  wk_error_clear(err);
  char probe[WK_OCI_DIGEST_LEN];
  if (wk_oci_digest(NULL, 0, probe) != 0) return wk_error_set(err, WK_ERR_UNSUPPORTED, NO_SHA256);
  int comp = is_component(wasm, len);
  int rc = comp ? WK_OK : check_core(wasm, len, err);
  if (rc) return rc;
  for (uint32_t i = 0; i < o->n_ann; i++)
    if (!o->ann_keys[i] || !o->ann_keys[i][0] || !o->ann_vals[i])
      return wk_error_set(err, WK_ERR_USAGE, "annotation %u has an empty key", i);
  const char *wname = o->wasm_name && o->wasm_name[0] ? o->wasm_name : "app.wasm";
  if (strchr(wname, '/') || !strcmp(wname, ".") || !strcmp(wname, ".."))
    return wk_error_set(err, WK_ERR_USAGE, "bad file name `%s` for the wasm in the image", wname);

  member m[8] = {0};
  uint32_t nm = 0;
  char ldig[WK_OCI_DIGEST_LEN], cdig[WK_OCI_DIGEST_LEN], mdig[WK_OCI_DIGEST_LEN];
  char *cfg_s = NULL, *man_s = NULL, *idx_s = NULL, *layout_s = NULL;
  uint8_t *wcopy = NULL;
  wk_buf layer = {0};
  size_t layer_len;
  cJSON *cfg = cJSON_CreateObject();
  if (!cfg) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");

  /* 1. the layer */
  if (o->image) {
    /* image-spec layer.md: a tar changeset; one regular file at the root */
    member f = {.name = (char *)wname, .data = (uint8_t *)wasm, .len = len};
    rc = write_tar(&f, 1, &layer, err);
    if (rc) goto done;
    wcopy = layer.data;
    layer_len = layer.len;
    layer.data = NULL;
  } else {
    wcopy = malloc(len ? len : 1);
    if (!wcopy) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }
    memcpy(wcopy, wasm, len);
    layer_len = len;
  }
  m[nm] = blob_member((char *)wcopy, layer_len, ldig);
  wcopy = NULL;
  if (!m[nm++].name) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }

  /* 2. the config */
  if (o->image) {
    /* image-spec config.md */
    cJSON_AddStringToObject(cfg, "created", CREATED);
    /* os "linux": the image is started by a Linux container engine (podman, containerd) whose
     * OCI runtime hands the .wasm to a wasm handler; umoci and runtime-spec generators only know
     * linux. The architecture says what the entrypoint is. */
    cJSON_AddStringToObject(cfg, "architecture", "wasm");
    cJSON_AddStringToObject(cfg, "os", "linux");
    cJSON *c = cJSON_AddObjectToObject(cfg, "config");
    cJSON *ep = cJSON_AddArrayToObject(c, "Entrypoint");
    char path[300];
    snprintf(path, sizeof path, "/%s", wname);
    cJSON_AddItemToArray(ep, cJSON_CreateString(path));
    cJSON *rf = cJSON_AddObjectToObject(cfg, "rootfs");
    cJSON_AddStringToObject(rf, "type", "layers");
    cJSON *ids = cJSON_AddArrayToObject(rf, "diff_ids");
    cJSON_AddItemToArray(ids, cJSON_CreateString(ldig)); /* uncompressed: diff_id = layer digest */
  } else {
    /* Wasm OCI Artifact layout: config.mediaType section */
    cJSON_AddStringToObject(cfg, "created", CREATED);
    cJSON_AddStringToObject(cfg, "architecture", "wasm");
    cJSON_AddStringToObject(cfg, "os", comp ? "wasip2" : "wasip1");
    cJSON *ld = cJSON_AddArrayToObject(cfg, "layerDigests");
    cJSON_AddItemToArray(ld, cJSON_CreateString(ldig));
    if (comp && (rc = component_section(wasm, len, o->target, cfg, err))) goto done;
  }
  cfg_s = print_free(cfg);
  cfg = NULL;
  if (!cfg_s) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }
  m[nm] = blob_member(cfg_s, strlen(cfg_s), cdig);
  cfg_s = NULL;
  if (!m[nm++].name) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }

  /* 3. the manifest (manifest.md) */
  {
    cJSON *man = cJSON_CreateObject();
    cJSON_AddNumberToObject(man, "schemaVersion", 2);
    cJSON_AddStringToObject(man, "mediaType", WK_OCI_MANIFEST);
    if (!o->image) cJSON_AddStringToObject(man, "artifactType", WK_OCI_WASM_CONFIG);
    cJSON_AddItemToObject(man, "config",
                          desc_json(o->image ? WK_OCI_IMAGE_CONFIG : WK_OCI_WASM_CONFIG, cdig, m[1].len));
    cJSON *ls = cJSON_AddArrayToObject(man, "layers");
    cJSON_AddItemToArray(ls, desc_json(o->image ? WK_OCI_IMAGE_LAYER : WK_OCI_WASM_LAYER, ldig, m[0].len));
    /* annotations, sorted by key; later --annotation of one key wins */
    uint32_t na = o->n_ann + (o->image ? 1 : 0);
    if (na) {
      const char **k = calloc(na, sizeof *k), **v = calloc(na, sizeof *v);
      uint32_t *ord = calloc(na, sizeof *ord);
      if (!k || !v || !ord) {
        free(k); free(v); free(ord); cJSON_Delete(man);
        rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory");
        goto done;
      }
      uint32_t n = 0;
      if (o->image) { k[n] = "module.wasm.image/variant"; v[n++] = "compat-smart"; }
      for (uint32_t i = 0; i < o->n_ann; i++) { k[n] = o->ann_keys[i]; v[n++] = o->ann_vals[i]; }
      for (uint32_t i = 0; i < n; i++) ord[i] = i;
      /* insertion sort by key, stable: equal keys keep option order */
      for (uint32_t i = 1; i < n; i++)
        for (uint32_t j = i; j > 0 && strcmp(k[ord[j - 1]], k[ord[j]]) > 0; j--) {
          uint32_t t = ord[j]; ord[j] = ord[j - 1]; ord[j - 1] = t;
        }
      cJSON *an = cJSON_AddObjectToObject(man, "annotations");
      for (uint32_t i = 0; i < n; i++) {
        if (i + 1 < n && !strcmp(k[ord[i]], k[ord[i + 1]])) continue; /* the last one wins */
        cJSON_AddStringToObject(an, k[ord[i]], v[ord[i]]);
      }
      free(k); free(v); free(ord);
    }
    man_s = print_free(man);
    if (!man_s) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }
    m[nm] = blob_member(man_s, strlen(man_s), mdig);
    man_s = NULL;
    if (!m[nm++].name) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }
  }

  /* 4. index.json (image-index.md) and oci-layout (image-layout.md) */
  {
    cJSON *idx = cJSON_CreateObject();
    cJSON_AddNumberToObject(idx, "schemaVersion", 2);
    cJSON_AddStringToObject(idx, "mediaType", WK_OCI_INDEX);
    cJSON *ms = cJSON_AddArrayToObject(idx, "manifests");
    cJSON *d = desc_json(WK_OCI_MANIFEST, mdig, m[2].len);
    if (!o->image) cJSON_AddStringToObject(d, "artifactType", WK_OCI_WASM_CONFIG);
    if (o->ref && o->ref[0]) {
      cJSON *an = cJSON_AddObjectToObject(d, "annotations");
      cJSON_AddStringToObject(an, "io.containerd.image.name", o->ref);
      cJSON_AddStringToObject(an, "org.opencontainers.image.ref.name", o->ref);
    }
    cJSON_AddItemToArray(ms, d);
    idx_s = print_free(idx);
    layout_s = strdup("{\"imageLayoutVersion\":\"1.0.0\"}");
    if (!idx_s || !layout_s) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }
    m[nm++] = (member){strdup("index.json"), (uint8_t *)idx_s, strlen(idx_s)};
    idx_s = NULL;
    m[nm++] = (member){strdup("oci-layout"), (uint8_t *)layout_s, strlen(layout_s)};
    layout_s = NULL;
    m[nm++] = (member){strdup("blobs/"), NULL, 0};
    m[nm++] = (member){strdup("blobs/sha256/"), NULL, 0};
    for (uint32_t i = 0; i < nm; i++)
      if (!m[i].name) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }
  }
  rc = write_tar(m, nm, out, err);
  if (!rc && layer_digest) memcpy(layer_digest, ldig, WK_OCI_DIGEST_LEN);
done:
  cJSON_Delete(cfg);
  for (uint32_t i = 0; i < nm; i++) { free(m[i].name); free(m[i].data); }
  free(cfg_s); free(man_s); free(idx_s); free(layout_s); free(wcopy);
  wk_buf_free(&layer);
  return rc;
}

/* ---------------------------------------------------------------- reading */

int wk_oci_is_archive(const uint8_t *d, size_t len) {
  /* POSIX ustar header: "ustar" at offset 257 of the first 512-byte block */
  return len >= 512 && !memcmp(d + 257, "ustar", 5);
}

static void free_members(member *m, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) { free(m[i].name); free(m[i].data); }
  free(m);
}

/* "blob sha256:" for a blob member (whose name is its expected digest), "member " otherwise */
static const char *blob_what(const char *name) {
  return strncmp(name, "blobs/sha256/", 13) ? "member " : "blob sha256:";
}

/* Every regular file of the tar into members (names without a leading "./"). */
static int read_tar(const uint8_t *tar, size_t len, member **out, uint32_t *nout, wk_error *err) {
  const char *lib_err = NULL;
  if (!wk_archive_load(&lib_err)) return wk_error_set(err, WK_ERR_UNSUPPORTED, "%s", lib_err);
  struct archive *a = AR(archive_read_new)();
  if (!a) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  AR(archive_read_support_format_tar)(a);
  AR(archive_read_support_filter_all)(a);
  member *m = NULL;
  uint32_t n = 0;
  int rc = WK_OK;
  if (AR(archive_read_open_memory)(a, tar, len) != ARCHIVE_OK) {
    rc = wk_error_set(err, WK_ERR_MALFORMED, "not a tar archive: %s", AR(archive_error_string)(a));
    goto done;
  }
  for (;;) {
    struct archive_entry *e;
    int r = AR(archive_read_next_header)(a, &e);
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
      /* a header cut short: name the last complete member (the blobs after it are missing) */
      if (n)
        rc = wk_error_set(err, WK_ERR_MALFORMED, "tar: %s after %s%s", AR(archive_error_string)(a),
                          blob_what(m[n - 1].name), m[n - 1].name + (strncmp(m[n - 1].name, "blobs/sha256/", 13) ? 0 : 13));
      else
        rc = wk_error_set(err, WK_ERR_MALFORMED, "tar: %s (not an OCI archive?)", AR(archive_error_string)(a));
      goto done;
    }
    if (AR(archive_entry_filetype)(e) != AE_IFREG) continue;
    const char *name = AR(archive_entry_pathname)(e);
    if (!name) continue;
    while (name[0] == '.' && name[1] == '/') name += 2;
    la_int64_t sz = AR(archive_entry_size)(e);
    if (sz < 0 || (uint64_t)sz > len) {
      rc = wk_error_set(err, WK_ERR_MALFORMED, "truncated archive: %s%s (%lld bytes) ends past the archive's end",
                        blob_what(name), name + (strncmp(name, "blobs/sha256/", 13) ? 0 : 13), (long long)sz);
      goto done;
    }
    if (n == MAX_MEMBERS) { rc = wk_error_set(err, WK_ERR_MALFORMED, "tar: more than %d members", MAX_MEMBERS); goto done; }
    if (!(n & (n + 1)) || !m) {
      member *nm = realloc(m, (size_t)(n + 1) * 2 * sizeof *m);
      if (!nm) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }
      m = nm;
    }
    m[n] = (member){strdup(name), malloc((size_t)sz + 1), (size_t)sz};
    if (!m[n].name || !m[n].data) { n++; rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }
    n++;
    size_t got = 0;
    while (got < (size_t)sz) {
      la_ssize_t k = AR(archive_read_data)(a, m[n - 1].data + got, (size_t)sz - got);
      if (k <= 0) {
        rc = wk_error_set(err, WK_ERR_MALFORMED, "truncated archive: %s%s is cut short (%s)", blob_what(name),
                          name + (strncmp(name, "blobs/sha256/", 13) ? 0 : 13),
                          k < 0 ? AR(archive_error_string)(a) : "ends early");
        goto done;
      }
      got += (size_t)k;
    }
    m[n - 1].data[sz] = 0;
  }
done:
  AR(archive_read_free)(a);
  if (rc) { free_members(m, n); return rc; }
  *out = m;
  *nout = n;
  return WK_OK;
}

static member *find_member(member *m, uint32_t n, const char *name) {
  for (uint32_t i = 0; i < n; i++)
    if (!strcmp(m[i].name, name)) return &m[i];
  return NULL;
}

static int valid_digest(const char *d) {
  if (strncmp(d, "sha256:", 7) || strlen(d) != 71) return 0;
  for (int i = 7; i < 71; i++)
    if (!((d[i] >= '0' && d[i] <= '9') || (d[i] >= 'a' && d[i] <= 'f'))) return 0;
  return 1;
}

/* descriptor.md: mediaType, digest, size; `what` names it in errors */
static int parse_desc(const cJSON *j, const char *what, wk_oci_desc *d, wk_error *err) {
  const cJSON *mt = cJSON_GetObjectItemCaseSensitive(j, "mediaType");
  const cJSON *dg = cJSON_GetObjectItemCaseSensitive(j, "digest");
  const cJSON *sz = cJSON_GetObjectItemCaseSensitive(j, "size");
  if (!cJSON_IsObject(j) || !cJSON_IsString(mt) || !cJSON_IsString(dg) || !cJSON_IsNumber(sz))
    return wk_error_set(err, WK_ERR_MALFORMED, "%s: a descriptor needs mediaType, digest and size", what);
  if (!valid_digest(dg->valuestring))
    return wk_error_set(err, WK_ERR_UNSUPPORTED, "%s: digest `%.80s` is not a sha256 digest", what, dg->valuestring);
  if (sz->valuedouble < 0 || sz->valuedouble > 9007199254740991.0 || sz->valuedouble != (double)(uint64_t)sz->valuedouble)
    return wk_error_set(err, WK_ERR_MALFORMED, "%s: bad size", what);
  d->media_type = strdup(mt->valuestring);
  if (!d->media_type) return wk_error_set(err, WK_ERR_NOMEM, "out of memory");
  memcpy(d->digest, dg->valuestring, WK_OCI_DIGEST_LEN);
  d->size = (uint64_t)sz->valuedouble;
  return WK_OK;
}

/* The blob `d` refers to: present, of its size, with its digest. */
static int check_blob(member *m, uint32_t n, const wk_oci_desc *d, const char *what, member **out, wk_error *err) {
  char name[100], got[WK_OCI_DIGEST_LEN];
  snprintf(name, sizeof name, "blobs/sha256/%s", d->digest + 7);
  member *b = find_member(m, n, name);
  if (!b) return wk_error_set(err, WK_ERR_MALFORMED, "blob %s (%s) is missing", d->digest, what);
  if (b->len != d->size)
    return wk_error_set(err, WK_ERR_VERIFY, "blob %s (%s) has %zu bytes, its descriptor says %llu (expected digest %s)",
                        name, what, b->len, (unsigned long long)d->size, d->digest);
  if (wk_oci_digest(b->data, b->len, got) != 0) return wk_error_set(err, WK_ERR_UNSUPPORTED, NO_SHA256);
  if (strcmp(got, d->digest))
    return wk_error_set(err, WK_ERR_VERIFY, "blob %s (%s) does not match its digest: expected %s, got %s", name, what,
                        d->digest, got);
  *out = b;
  return WK_OK;
}

void wk_oci_image_free(wk_oci_image *img) {
  if (!img) return;
  free(img->index_json); free(img->manifest_json); free(img->config_json);
  free(img->manifest.media_type); free(img->config.media_type);
  for (uint32_t i = 0; i < img->n_layers; i++) free(img->layers[i].media_type);
  free(img->layers);
  free(img->artifact_type); free(img->ref_name); free(img->wasm_path);
  free(img->wasm);
  free_members(img->members, img->n_members);
  memset(img, 0, sizeof *img);
}

static char *dup_json(const member *b) {
  char *s = malloc(b->len + 1);
  if (s) { memcpy(s, b->data, b->len); s[b->len] = 0; }
  return s;
}

/* The entrypoint file inside an image layer tar (a copy). */
static int wasm_from_layer(wk_oci_image *img, const member *layer, const char *path, wk_error *err) {
  member *lm = NULL;
  uint32_t ln = 0;
  int rc = read_tar(layer->data, layer->len, &lm, &ln, err);
  if (rc) {
    char msg[sizeof err->msg];
    memcpy(msg, err->msg, sizeof msg);
    return wk_error_set(err, rc, "layer %s: %s", img->layers[img->n_layers - 1].digest, msg);
  }
  while (*path == '/') path++;
  member *f = find_member(lm, ln, path);
  if (!f) {
    rc = wk_error_set(err, WK_ERR_MALFORMED, "the entrypoint /%s is not in the layer", path);
  } else {
    img->wasm = f->data;
    img->wasm_len = f->len;
    f->data = NULL;
  }
  free_members(lm, ln);
  return rc;
}

int wk_oci_read(const uint8_t *tar, size_t len, wk_oci_image *img, wk_error *err) {
  wk_error_clear(err);
  memset(img, 0, sizeof *img);
  member *m = NULL;
  uint32_t n = 0;
  int rc = read_tar(tar, len, &m, &n, err);
  if (rc) return rc;
  img->members = m;
  img->n_members = n;
  cJSON *lay = NULL, *idx = NULL, *man = NULL, *cfg = NULL;
  member *b;

  /* image-layout.md: oci-layout and index.json */
  member *ol = find_member(m, n, "oci-layout");
  if (!ol) { rc = wk_error_set(err, WK_ERR_MALFORMED, "no oci-layout file: not an OCI image layout"); goto done; }
  lay = cJSON_ParseWithLength((const char *)ol->data, ol->len);
  const cJSON *ver = cJSON_GetObjectItemCaseSensitive(lay, "imageLayoutVersion");
  if (!cJSON_IsString(ver) || strcmp(ver->valuestring, "1.0.0")) {
    rc = wk_error_set(err, WK_ERR_UNSUPPORTED, "oci-layout: imageLayoutVersion is not 1.0.0");
    goto done;
  }
  member *ix = find_member(m, n, "index.json");
  if (!ix) { rc = wk_error_set(err, WK_ERR_MALFORMED, "no index.json"); goto done; }
  img->index_json = dup_json(ix);
  idx = cJSON_ParseWithLength((const char *)ix->data, ix->len);
  const cJSON *ms = cJSON_GetObjectItemCaseSensitive(idx, "manifests");
  if (!cJSON_IsArray(ms) || cJSON_GetArraySize(ms) != 1) {
    rc = wk_error_set(err, cJSON_IsArray(ms) ? WK_ERR_UNSUPPORTED : WK_ERR_MALFORMED,
                      "index.json: %s", cJSON_IsArray(ms) ? "wkit reads layouts with exactly one manifest"
                                                          : "no manifests array");
    goto done;
  }
  const cJSON *md = cJSON_GetArrayItem(ms, 0);
  if ((rc = parse_desc(md, "index.json manifests[0]", &img->manifest, err))) goto done;
  const cJSON *ann = cJSON_GetObjectItemCaseSensitive(md, "annotations");
  const cJSON *rn = cJSON_GetObjectItemCaseSensitive(ann, "org.opencontainers.image.ref.name");
  if (cJSON_IsString(rn)) img->ref_name = strdup(rn->valuestring);
  if (strcmp(img->manifest.media_type, WK_OCI_MANIFEST)) {
    rc = wk_error_set(err, WK_ERR_UNSUPPORTED, "index.json: manifest media type %s is not %s", img->manifest.media_type,
                      WK_OCI_MANIFEST);
    goto done;
  }

  /* manifest.md */
  if ((rc = check_blob(m, n, &img->manifest, "manifest", &b, err))) goto done;
  img->manifest_json = dup_json(b);
  man = cJSON_ParseWithLength((const char *)b->data, b->len);
  if (!cJSON_IsObject(man)) { rc = wk_error_set(err, WK_ERR_MALFORMED, "manifest %s is not JSON", img->manifest.digest); goto done; }
  const cJSON *sv = cJSON_GetObjectItemCaseSensitive(man, "schemaVersion");
  if (!cJSON_IsNumber(sv) || sv->valuedouble != 2) {
    rc = wk_error_set(err, WK_ERR_MALFORMED, "manifest %s: schemaVersion is not 2", img->manifest.digest);
    goto done;
  }
  const cJSON *at = cJSON_GetObjectItemCaseSensitive(man, "artifactType");
  if (cJSON_IsString(at)) img->artifact_type = strdup(at->valuestring);
  if ((rc = parse_desc(cJSON_GetObjectItemCaseSensitive(man, "config"), "manifest config", &img->config, err))) goto done;
  const cJSON *ls = cJSON_GetObjectItemCaseSensitive(man, "layers");
  int nl = cJSON_IsArray(ls) ? cJSON_GetArraySize(ls) : -1;
  if (nl < 1 || nl > 256) {
    rc = wk_error_set(err, WK_ERR_MALFORMED, "manifest %s: %s", img->manifest.digest,
                      nl < 0 ? "no layers array" : nl ? "too many layers" : "no layers");
    goto done;
  }
  img->layers = calloc((size_t)nl, sizeof *img->layers);
  if (!img->layers) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }
  for (int i = 0; i < nl; i++) {
    char what[40];
    snprintf(what, sizeof what, "manifest layers[%d]", i);
    img->n_layers = (uint32_t)i + 1;
    if ((rc = parse_desc(cJSON_GetArrayItem(ls, i), what, &img->layers[i], err))) goto done;
  }
  /* every blob, verified before anything is used */
  if ((rc = check_blob(m, n, &img->config, "config", &b, err))) goto done;
  img->config_json = dup_json(b);
  cfg = cJSON_ParseWithLength((const char *)b->data, b->len);
  if (!cJSON_IsObject(cfg)) { rc = wk_error_set(err, WK_ERR_MALFORMED, "config %s is not JSON", img->config.digest); goto done; }
  member *wasm_layer = NULL, *tar_layer = NULL;
  for (uint32_t i = 0; i < img->n_layers; i++) {
    char what[40];
    snprintf(what, sizeof what, "layer %u", i);
    if ((rc = check_blob(m, n, &img->layers[i], what, &b, err))) goto done;
    if (!strcmp(img->layers[i].media_type, WK_OCI_WASM_LAYER)) wasm_layer = wasm_layer ? wasm_layer : b;
    else if (!strcmp(img->layers[i].media_type, WK_OCI_IMAGE_LAYER)) tar_layer = b;
  }
  if (!img->manifest_json || !img->index_json || !img->config_json) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }

  /* the wasm: an application/wasm layer, else the image's entrypoint */
  if (wasm_layer) {
    img->wasm = malloc(wasm_layer->len + 1);
    if (!img->wasm) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }
    memcpy(img->wasm, wasm_layer->data, wasm_layer->len);
    img->wasm_len = wasm_layer->len;
  } else {
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(cfg, "config");
    const cJSON *ep = cJSON_GetObjectItemCaseSensitive(c, "Entrypoint");
    const cJSON *e0 = cJSON_IsArray(ep) ? cJSON_GetArrayItem(ep, 0) : NULL;
    if (!tar_layer || img->n_layers != 1 || !cJSON_IsString(e0)) {
      rc = wk_error_set(err, WK_ERR_UNSUPPORTED,
                        "no %s layer, and not a one-layer (uncompressed %s) image with an Entrypoint",
                        WK_OCI_WASM_LAYER, WK_OCI_IMAGE_LAYER);
      goto done;
    }
    img->wasm_path = strdup(e0->valuestring);
    if (!img->wasm_path) { rc = wk_error_set(err, WK_ERR_NOMEM, "out of memory"); goto done; }
    if ((rc = wasm_from_layer(img, tar_layer, e0->valuestring, err))) goto done;
  }
done:
  cJSON_Delete(lay); cJSON_Delete(idx); cJSON_Delete(man); cJSON_Delete(cfg);
  if (rc) wk_oci_image_free(img);
  return rc;
}

int wk_oci_read_wasm_file(const char *path, uint8_t **data, size_t *len, int *was_oci, wk_error *err) {
  uint8_t *raw = NULL;
  size_t n = 0;
  if (was_oci) *was_oci = 0;
  int rc = wk_read_file(path, &raw, &n, err);
  if (rc) return rc;
  if (wk_oci_is_archive(raw, n)) {
    wk_oci_image img;
    rc = wk_oci_read(raw, n, &img, err);
    free(raw);
    if (rc) return rc;
    *data = img.wasm;
    *len = img.wasm_len;
    img.wasm = NULL;
    wk_oci_image_free(&img);
    if (was_oci) *was_oci = 1;
    return WK_OK;
  }
  if (n >= 4 && !memcmp(raw, "\0asm", 4)) {
    *data = raw;
    *len = n;
    return WK_OK;
  }
  wk_buf b = {0};
  rc = wk_wat_to_binary((const char *)raw, n, &b, err);
  free(raw);
  if (rc) { wk_buf_free(&b); return rc; }
  *data = b.data;
  *len = b.len;
  return WK_OK;
}
