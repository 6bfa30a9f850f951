/*
 * lib/compose — components as OCI artifacts (issue 16).
 *
 * Writes and reads an OCI image layout (OCI image-spec image-layout.md:
 * `oci-layout`, `index.json`, `blobs/sha256/<hex>`) packed as one tar, the
 * form `skopeo ... oci-archive:FILE` reads. Two shapes:
 *  - artifact (default): the CNCF TAG Runtime "Wasm OCI Artifact layout":
 *    manifest config `application/vnd.wasm.config.v0+json` (architecture
 *    "wasm", os "wasip2" for components / "wasip1" for core modules,
 *    layerDigests, and for components `component.imports` / `.exports` as
 *    wit-component names them and `component.target` when given), one layer
 *    `application/wasm` holding the .wasm bytes as they are (an embedded
 *    signature stays), `artifactType` = the config media type;
 *  - image (--image): a scratch-based image runtimes accept: config
 *    `application/vnd.oci.image.config.v1+json` (architecture "wasm", os "linux":
 *    umoci and runtime-spec generators know only linux) with Entrypoint ["/NAME.wasm"],
 *    one uncompressed layer `application/vnd.oci.image.layer.v1.tar` holding
 *    the .wasm, manifest annotation `module.wasm.image/variant=compat-smart`
 *    (what crun's wasm handlers look for).
 *
 * Output bytes are a function of the inputs only: tar entries sorted by
 * name, mtime 0, uid/gid 0, modes 0644/0755, ustar format, no compression,
 * JSON printed unformatted with annotations sorted by key, created
 * 1970-01-01T00:00:00Z.
 */
#ifndef WK_COMPOSE_OCI_H
#define WK_COMPOSE_OCI_H
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

#define WK_OCI_WASM_CONFIG "application/vnd.wasm.config.v0+json"
#define WK_OCI_WASM_LAYER "application/wasm"
#define WK_OCI_IMAGE_CONFIG "application/vnd.oci.image.config.v1+json"
#define WK_OCI_IMAGE_LAYER "application/vnd.oci.image.layer.v1.tar"
#define WK_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define WK_OCI_INDEX "application/vnd.oci.image.index.v1+json"

/* "sha256:" + 64 hex digits + NUL */
#define WK_OCI_DIGEST_LEN 72

typedef struct wk_oci_opts {
  const char *ref;        /* NULL or "name:tag": index annotation org.opencontainers.image.ref.name */
  const char **ann_keys;  /* manifest annotations (n_ann pairs, any order; sorted on output) */
  const char **ann_vals;
  uint32_t n_ann;
  int image;              /* 1: the runnable image shape (see above) */
  const char *wasm_name;  /* file name of the .wasm inside the image layer (default "app.wasm") */
  const char *target;     /* NULL or the world "ns:pkg/world@v" for component.target */
} wk_oci_opts;

/*
 * Pack `len` bytes of wasm (a core module or a component, validated first) as
 * an OCI layout tar appended to `out`. `layer_digest` (may be NULL) receives
 * the digest of the layer ("sha256:..."): the .wasm itself for an artifact,
 * the layer tar for an image. Errors: WK_ERR_MALFORMED/INVALID (the wasm, with
 * its offset), WK_ERR_USAGE (bad option), WK_ERR_NOMEM, WK_ERR_IO (libarchive).
 */
int wk_oci_pack(const uint8_t *wasm, size_t len, const wk_oci_opts *o, wk_buf *out, char *layer_digest,
                wk_error *err);

/* One descriptor (OCI image-spec descriptor.md). */
typedef struct wk_oci_desc {
  char *media_type;
  char digest[WK_OCI_DIGEST_LEN];
  uint64_t size;
} wk_oci_desc;

/*
 * A read and fully verified archive. Strings and the JSON texts are malloc'd
 * and owned (free with wk_oci_image_free). `wasm` points at the wasm bytes:
 * the `application/wasm` layer, or for an image the entrypoint file inside
 * its layer tar.
 */
typedef struct wk_oci_image {
  char *index_json, *manifest_json, *config_json; /* as stored */
  wk_oci_desc manifest, config;
  wk_oci_desc *layers;
  uint32_t n_layers;
  char *artifact_type; /* NULL when absent */
  char *ref_name;      /* NULL when absent */
  uint8_t *wasm;
  size_t wasm_len;
  char *wasm_path;     /* for images: the entrypoint; for artifacts NULL */
  /* internal: the archive's members */
  void *members;
  uint32_t n_members;
} wk_oci_image;

/*
 * Read an OCI layout tar (`len` bytes) and verify it: oci-layout version,
 * index.json with one manifest, then every blob (manifest, config, layers)
 * present with the size and the SHA-256 the referring descriptor states.
 * Errors (WK_ERR_MALFORMED unless said): a tar libarchive cannot read to the
 * end (truncated), a missing blob ("blob sha256:... (layer 0) is missing"),
 * a digest or size mismatch naming the blob and the expected digest
 * (WK_ERR_VERIFY), JSON that does not follow the spec, no wasm layer
 * (WK_ERR_UNSUPPORTED). On error `img` is freed and zeroed.
 */
int wk_oci_read(const uint8_t *tar, size_t len, wk_oci_image *img, wk_error *err);
void wk_oci_image_free(wk_oci_image *img);

/* 1 when `len` bytes look like a tar holding an OCI layout (an `oci-layout` member in the first blocks). */
int wk_oci_is_archive(const uint8_t *data, size_t len);

/*
 * Read the file at `path` ("-" = stdin) for a tool taking a .wasm: an OCI
 * layout tar (wk_oci_is_archive) is read and verified with wk_oci_read and
 * *data becomes its wasm (nothing of an archive that fails verification is
 * returned); `\0asm` bytes are returned as they are; anything else is taken
 * as the text format (wk_wat_to_binary). *was_oci (may be NULL) is set to 1
 * for an archive. *data is malloc'd (caller frees). Errors as wk_oci_read,
 * WK_ERR_IO, or the text's WK_ERR_MALFORMED.
 */
int wk_oci_read_wasm_file(const char *path, uint8_t **data, size_t *len, int *was_oci, wk_error *err);

/* SHA-256 of `len` bytes as "sha256:<hex>" into out[WK_OCI_DIGEST_LEN] (OpenSSL through
 * base/sha256.h). Returns 0, or -1 when libcrypto cannot be loaded (out is then not a digest). */
int wk_oci_digest(const uint8_t *data, size_t len, char *out);

#endif
