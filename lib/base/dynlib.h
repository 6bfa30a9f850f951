/*
 * Libraries loaded with dlopen on first use instead of being linked (libcrypto for the cache key,
 * libcjson for wrun, libcurl for wasi:http outgoing requests, libmicrohttpd for `wrun serve`,
 * libarchive for OCI layouts): linking them cost every process their loading and relocation at
 * start-up although most runs never call them (issue 13). Each user keeps its own table of
 * function pointers, filled once under its own pthread_once; this is the one loader they share.
 */
#ifndef WK_BASE_DYNLIB_H
#define WK_BASE_DYNLIB_H

#include <stddef.h>

/* Opens the first of `sonames` (a NULL-terminated list, e.g. {"libcrypto.so.3", "libcrypto.so",
 * NULL}) that dlopen(3) can load (RTLD_NOW | RTLD_LOCAL) and resolves the `n` symbols `names[i]`
 * into `*slots[i]` (each a function-pointer field seen as a void *). All or nothing: when a
 * library cannot be opened or a symbol is missing, every slot is set back to NULL, a message
 * ("cannot load SONAME: why" / "cannot load SONAME: no symbol NAME") is written to `err` (`errlen`
 * bytes, may be NULL / 0) and -1 is returned; otherwise 0. The library stays loaded for the
 * process's lifetime (never dlclosed). Not thread-safe by itself: call it under pthread_once. */
int wk_dynlib_load(const char *const *sonames, const char *const *names, void **const *slots, size_t n,
                   char *err, size_t errlen);

#endif
