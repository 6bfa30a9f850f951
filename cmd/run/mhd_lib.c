/* libmicrohttpd loaded on first use (see mhd_lib.h) with the shared loader, lib/base/dynlib.h. */
#include "mhd_lib.h"

#include <pthread.h>
#include <stdio.h>

#include "base/dynlib.h"

#define MHD_SONAME "libmicrohttpd.so.12"

static wrun_mhd_api api;   /* written once, under `once`; read-only afterwards */
static int api_ok;
static char api_err[512];  /* why loading failed; written once, under `once` */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
  static const char *const names[] = {
      "MHD_start_daemon",        "MHD_stop_daemon",         "MHD_quiesce_daemon",
      "MHD_get_daemon_info",     "MHD_get_connection_info", "MHD_get_connection_values",
      "MHD_queue_response",      "MHD_destroy_response",    "MHD_add_response_header",
      "MHD_add_response_footer", "MHD_create_response_from_buffer", "MHD_create_response_from_callback",
      "MHD_get_reason_phrase_for"};
  void **const slots[] = {(void **)&api.start_daemon,        (void **)&api.stop_daemon,
                    (void **)&api.quiesce_daemon,      (void **)&api.get_daemon_info,
                    (void **)&api.get_connection_info, (void **)&api.get_connection_values,
                    (void **)&api.queue_response,      (void **)&api.destroy_response,
                    (void **)&api.add_response_header, (void **)&api.add_response_footer,
                    (void **)&api.create_response_from_buffer, (void **)&api.create_response_from_callback,
                    (void **)&api.get_reason_phrase_for};
  static const char *const sonames[] = {MHD_SONAME, NULL};
  if (wk_dynlib_load(sonames, names, slots, sizeof names / sizeof names[0], api_err, sizeof api_err)) return;
  api_ok = 1;
}

const wrun_mhd_api *wrun_mhd_load(const char **err) {
  pthread_once(&once, load);
  if (api_ok) return &api;
  if (err) *err = api_err;
  return NULL;
}
