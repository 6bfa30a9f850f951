/* The shared dlopen-on-first-use loader (see dynlib.h). */
#include "base/dynlib.h"

#include <dlfcn.h>
#include <stdio.h>

int wk_dynlib_load(const char *const *sonames, const char *const *names, void **const *slots, size_t n,
                   char *err, size_t errlen) {
  void *h = NULL;
  const char *why = "unknown error";
  for (size_t i = 0; sonames[i] && !h; i++) {
    h = dlopen(sonames[i], RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      const char *e = dlerror();
      if (e) why = e;
    }
  }
  if (!h) {
    if (err && errlen) snprintf(err, errlen, "cannot load %s: %s", sonames[0], why);
    return -1;
  }
  for (size_t i = 0; i < n; i++) {
    if (!(*slots[i] = dlsym(h, names[i]))) {
      for (size_t j = 0; j < i; j++) *slots[j] = NULL;
      if (err && errlen) snprintf(err, errlen, "cannot load %s: no symbol %s", sonames[0], names[i]);
      return -1;
    }
  }
  return 0;
}
