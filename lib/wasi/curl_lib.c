/* libcurl loaded on first use (see curl_lib.h) with the shared loader, lib/base/dynlib.h. */
#include "wasi/curl_lib.h"

#include <pthread.h>
#include <stdio.h>

#include "base/dynlib.h"

#define CURL_SONAME "libcurl.so.4"

static wk_curl_api api;       /* written once, under `once`; read-only afterwards */
static int api_ok;
static char api_err[512];     /* why loading failed; written once, under `once` */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
  CURLcode (*global_init)(long) = NULL;
  static const char *const names[] = {"curl_easy_init",    "curl_easy_setopt",   "curl_easy_perform",
                                      "curl_easy_getinfo", "curl_easy_cleanup",  "curl_easy_strerror",
                                      "curl_slist_append", "curl_slist_free_all", "curl_global_init"};
  void **const slots[] = {(void **)&api.easy_init,    (void **)&api.easy_setopt,  (void **)&api.easy_perform,
                          (void **)&api.easy_getinfo, (void **)&api.easy_cleanup, (void **)&api.easy_strerror,
                          (void **)&api.slist_append, (void **)&api.slist_free_all, (void **)&global_init};
  static const char *const sonames[] = {CURL_SONAME, NULL};
  if (wk_dynlib_load(sonames, names, slots, sizeof names / sizeof names[0], api_err, sizeof api_err)) return;
  /* curl_global_init(3): once per process, before any other libcurl call. */
  if (global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
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
