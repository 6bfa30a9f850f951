/* libarchive loaded on first use (see archive_lib.h) with the shared loader, lib/base/dynlib.h. */
#include "compose/archive_lib.h"

#include <pthread.h>

#include "base/dynlib.h"

static wk_archive_api api;  /* written once under `once`, read-only afterwards */
static int api_ok;
static char api_err[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
#define WK_ARCHIVE_NAME(f) #f,
#define WK_ARCHIVE_SLOT(f) (void **)&api.f,
  static const char *const names[] = {WK_ARCHIVE_FUNCS(WK_ARCHIVE_NAME)};
  void **const slots[] = {WK_ARCHIVE_FUNCS(WK_ARCHIVE_SLOT)};
#undef WK_ARCHIVE_NAME
#undef WK_ARCHIVE_SLOT
  static const char *const sonames[] = {"libarchive.so.13", NULL};
  api_ok = wk_dynlib_load(sonames, names, slots, sizeof names / sizeof names[0], api_err, sizeof api_err) == 0;
}

const wk_archive_api *wk_archive_load(const char **err) {
  pthread_once(&once, load);
  if (api_ok) return &api;
  if (err) *err = api_err;
  return NULL;
}
