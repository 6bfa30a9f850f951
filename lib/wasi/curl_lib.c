/* libcurl loaded on first use (see curl_lib.h); same pattern as lib/base/sha256.c. */
#include "wasi/curl_lib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#define CURL_SONAME "libcurl.so.4"

static wk_curl_api api;       /* written once, under `once`; read-only afterwards */
static int api_ok;
static char api_err[512];     /* why loading failed; written once, under `once` */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
  void *h = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char *e = dlerror();
    snprintf(api_err, sizeof api_err, "cannot load %s: %s", CURL_SONAME, e ? e : "unknown error");
    return;
  }
  static const char *const names[] = {"curl_easy_init",    "curl_easy_setopt",   "curl_easy_perform",
                                      "curl_easy_getinfo", "curl_easy_cleanup",  "curl_easy_strerror",
                                      "curl_slist_append", "curl_slist_free_all"};
  void **slots[] = {(void **)&api.easy_init,    (void **)&api.easy_setopt,   (void **)&api.easy_perform,
                    (void **)&api.easy_getinfo, (void **)&api.easy_cleanup,  (void **)&api.easy_strerror,
                    (void **)&api.slist_append, (void **)&api.slist_free_all};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (!(*slots[i] = dlsym(h, names[i]))) {
      snprintf(api_err, sizeof api_err, "cannot load %s: no symbol %s", CURL_SONAME, names[i]);
      return;
    }
  }
  /* curl_global_init(3): once per process, before any other libcurl call. */
  CURLcode (*global_init)(long);
  *(void **)&global_init = dlsym(h, "curl_global_init");
  if (!global_init || global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    snprintf(api_err, sizeof api_err, "cannot load %s: curl_global_init failed", CURL_SONAME);
    return;
  }
  api_ok = 1;
}

const wk_curl_api *wk_curl_load(const char **err) {
  pthread_once(&once, load);
  if (api_ok) return &api;
  if (err) *err = api_err;
  return NULL;
}
