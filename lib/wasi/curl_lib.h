/*
 * lib/wasi/curl_lib.h — libcurl for wasi:http/outgoing-handler, loaded with
 * dlopen on the first outgoing request instead of being linked: linking it
 * made every wrun process load libcurl, gnutls, krb5 ... at start-up (a
 * hello-world run went from 1.2M to 14.7M instructions, issue 13), and most
 * runs never send a request. Types and constants still come from
 * <curl/curl.h>; only the calls go through the table (same names without the
 * `curl_` prefix), so callers read as ordinary libcurl code.
 */
#ifndef WK_WASI_CURL_LIB_H
#define WK_WASI_CURL_LIB_H

#include <curl/curl.h>

/* The libcurl functions wkit calls (libcurl.so.4 ABI; see curl_easy_setopt(3) etc.). */
typedef struct wk_curl_api {
  CURL *(*easy_init)(void);
  CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
  CURLcode (*easy_perform)(CURL *);
  CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
  void (*easy_cleanup)(CURL *);
  const char *(*easy_strerror)(CURLcode);
  struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
  void (*slist_free_all)(struct curl_slist *);
} wk_curl_api;

/* Loads libcurl.so.4 once per process (thread-safe, pthread_once) and runs
 * curl_global_init(CURL_GLOBAL_DEFAULT) there. Returns the table, or NULL
 * when the library or one of its functions cannot be loaded or global init
 * fails; then *ERR (if ERR is non-NULL) points to a static message such as
 * "cannot load libcurl.so.4: <dlerror text>". The table and message live
 * until the process ends; the library is never unloaded. */
const wk_curl_api *wk_curl_load(const char **err);

#endif
