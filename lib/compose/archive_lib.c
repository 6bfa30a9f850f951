/* libarchive loaded on first use (see archive_lib.h). */
#include "compose/archive_lib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static wk_archive_api api;  /* written once under `once`, read-only afterwards */
static int api_ok;
static char api_err[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
  void *h = dlopen("libarchive.so.13", RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char *e = dlerror();
    snprintf(api_err, sizeof api_err, "cannot load libarchive.so.13: %s", e ? e : "unknown error");
    return;
  }
#define WK_ARCHIVE_SYM(f)                                                                  \
  if (!(*(void **)&api.f = dlsym(h, #f))) {                                                \
    snprintf(api_err, sizeof api_err, "cannot load libarchive.so.13: no symbol %s", #f);  \
    return;                                                                                \
  }
  WK_ARCHIVE_FUNCS(WK_ARCHIVE_SYM)
#undef WK_ARCHIVE_SYM
  api_ok = 1;
}

const wk_archive_api *wk_archive_load(const char **err) {
  pthread_once(&once, load);
  if (api_ok) return &api;
  if (err) *err = api_err;
  return NULL;
}
