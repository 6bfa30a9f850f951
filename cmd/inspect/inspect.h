/* winspect internals: one file per output mode. */
#ifndef WINSPECT_H
#define WINSPECT_H
#include "base/base.h"
#include "encode/encode.h"

typedef struct insp {
  const char *path;
  const uint8_t *data;
  size_t len;
  int kind;              /* WK_BIN_MODULE / WK_BIN_COMPONENT */
  wk_component *comp;    /* components only */
  wk_arena arena;        /* scratch for metadata */
} insp;

const char *insp_extern_kind(uint8_t kind);
const char *insp_core_kind(uint8_t kind);

/* Each returns a process exit code (0 ok, 1 failed). */
int insp_tree(insp *in, FILE *out);
int insp_sections(insp *in, FILE *out);
int insp_json(insp *in, FILE *out);
int insp_wit(insp *in, FILE *out);
/* h-oci (oci.c): read FILE (.wasm, .wat or an OCI layout tar, verified). For an archive with show=1
 * print it and return the exit code; otherwise *data and *len (malloc'd) get the wasm and -1 is
 * returned; errors are printed and give 1. */
int insp_oci(const char *path, uint8_t **data, size_t *len, int show);
#endif
