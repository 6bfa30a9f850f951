/* SHA-256 through OpenSSL's EVP interface, with libcrypto loaded on first use (see sha256.h). */
#include "base/sha256.h"

#include <pthread.h>

#include "base/dynlib.h"
#include <string.h>

/* The EVP functions used (OpenSSL 3 EVP_DigestInit_ex(3)); opaque pointers keep
 * this file free of OpenSSL's headers, so nothing here links libcrypto. */
typedef struct evp_api {
  void *(*ctx_new)(void);
  void (*ctx_free)(void *);
  const void *(*sha256)(void);
  int (*init)(void *, const void *, void *);
  int (*update)(void *, const void *, size_t);
  int (*final)(void *, unsigned char *, unsigned int *);
} evp_api;

static evp_api api;      /* written once, under `once`; read-only afterwards */
static int api_ok;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
  static const char *const sonames[] = {"libcrypto.so.3", "libcrypto.so", NULL};
  static const char *const names[] = {"EVP_MD_CTX_new",    "EVP_MD_CTX_free",  "EVP_sha256",
                                      "EVP_DigestInit_ex", "EVP_DigestUpdate", "EVP_DigestFinal_ex"};
  void **const slots[] = {(void **)&api.ctx_new, (void **)&api.ctx_free, (void **)&api.sha256,
                          (void **)&api.init,    (void **)&api.update,   (void **)&api.final};
  api_ok = wk_dynlib_load(sonames, names, slots, sizeof names / sizeof names[0], NULL, 0) == 0;
}

static void fail(wk_sha256 *c) {
  if (c->ctx) api.ctx_free(c->ctx);
  c->ctx = NULL;
}

int wk_sha256_init(wk_sha256 *c) {
  c->ctx = NULL;
  pthread_once(&once, load);
  if (!api_ok) return -1;
  c->ctx = api.ctx_new();
  if (!c->ctx) return -1;
  if (api.init(c->ctx, api.sha256(), NULL) != 1) {
    fail(c);
    return -1;
  }
  return 0;
}

void wk_sha256_update(wk_sha256 *c, const void *p, size_t len) {
  if (!c->ctx || len == 0) return;
  if (api.update(c->ctx, p, len) != 1) fail(c);
}

int wk_sha256_final(wk_sha256 *c, uint8_t out[32]) {
  unsigned int n = 0;
  int ok = c->ctx && api.final(c->ctx, out, &n) == 1 && n == 32;
  fail(c);
  if (!ok) memset(out, 0, 32);
  return ok ? 0 : -1;
}
