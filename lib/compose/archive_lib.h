/*
 * lib/compose/archive_lib.h — libarchive for OCI image layouts (oci.c),
 * loaded with dlopen on first use instead of being linked: libarchive brings
 * libxml2, ICU and libstdc++ with it, and linking it made every wrun process
 * pay their relocation at start-up (a hello-world run went from 1.2M to 5.8M
 * instructions, issue 13) although few runs read an .oci.tar. Types and
 * constants still come from <archive.h>; calls go through AR(name), so the
 * code reads as ordinary libarchive code.
 */
#ifndef WK_COMPOSE_ARCHIVE_LIB_H
#define WK_COMPOSE_ARCHIVE_LIB_H

#include <archive.h>
#include <archive_entry.h>

/* The libarchive functions wkit calls (libarchive.so.13 ABI, archive_write(3), archive_read(3)). */
#define WK_ARCHIVE_FUNCS(X)                                                                                     \
  X(archive_entry_filetype) X(archive_entry_free) X(archive_entry_new) X(archive_entry_pathname)               \
  X(archive_entry_set_filetype) X(archive_entry_set_gid) X(archive_entry_set_gname) X(archive_entry_set_mtime) \
  X(archive_entry_set_pathname) X(archive_entry_set_perm) X(archive_entry_set_size) X(archive_entry_set_uid)   \
  X(archive_entry_set_uname) X(archive_entry_size) X(archive_error_string) X(archive_read_data)                \
  X(archive_read_free) X(archive_read_new) X(archive_read_next_header) X(archive_read_open_memory)            \
  X(archive_read_support_filter_all) X(archive_read_support_format_tar) X(archive_set_error)                  \
  X(archive_write_add_filter_none) X(archive_write_close) X(archive_write_data) X(archive_write_free)          \
  X(archive_write_header) X(archive_write_new) X(archive_write_open) X(archive_write_set_format_ustar)

typedef struct wk_archive_api {
#define WK_ARCHIVE_MEMBER(f) __typeof__(f) *f;
  WK_ARCHIVE_FUNCS(WK_ARCHIVE_MEMBER)
#undef WK_ARCHIVE_MEMBER
} wk_archive_api;

/* Loads libarchive.so.13 once per process (thread-safe). Returns the table, or
 * NULL when the library or one of its functions cannot be loaded; then *err
 * (if non-NULL) points to a static message "cannot load libarchive.so.13: ...".
 * The library is never unloaded. */
const wk_archive_api *wk_archive_load(const char **err);

/* A call through the table; only valid after wk_archive_load succeeded. */
#define AR(f) (wk_archive_load(NULL)->f)

#endif
