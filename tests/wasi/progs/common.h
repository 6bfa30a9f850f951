/* Shared helpers for the WASI test programs (built with clang --target=wasm32-wasi). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

/* The fd of the preopen named `name`, or -1. */
static int find_preopen(const char *name) {
  for (int fd = 3; fd < 64; fd++) {
    __wasi_prestat_t ps;
    if (__wasi_fd_prestat_get(fd, &ps) != 0) continue;
    char buf[256];
    if (ps.u.dir.pr_name_len >= sizeof buf) continue;
    if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, ps.u.dir.pr_name_len) != 0) continue;
    buf[ps.u.dir.pr_name_len] = 0;
    if (!strcmp(buf, name)) return fd;
  }
  return -1;
}
