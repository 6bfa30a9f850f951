/*
 * cmd/run/mhd_lib.h — libmicrohttpd for `wrun serve`, loaded with dlopen when
 * serve starts instead of being linked: linking it (with gnutls and the rest
 * it pulls in) made every wrun process pay for it at start-up (issue 13),
 * and most runs never serve. Types and constants still come from
 * <microhttpd.h>; only the calls go through the table (same names without
 * the `MHD_` prefix), so serve.c reads as ordinary libmicrohttpd code.
 */
#ifndef WRUN_MHD_LIB_H
#define WRUN_MHD_LIB_H

#include <microhttpd.h>
#include <stddef.h>
#include <stdint.h>

/* The libmicrohttpd functions serve.c calls (libmicrohttpd.so.12 ABI, microhttpd.h). */
typedef struct wrun_mhd_api {
  struct MHD_Daemon *(*start_daemon)(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc,
                                     void *apc_cls, MHD_AccessHandlerCallback dh, void *dh_cls, ...);
  void (*stop_daemon)(struct MHD_Daemon *);
  MHD_socket (*quiesce_daemon)(struct MHD_Daemon *);
  const union MHD_DaemonInfo *(*get_daemon_info)(struct MHD_Daemon *, enum MHD_DaemonInfoType, ...);
  const union MHD_ConnectionInfo *(*get_connection_info)(struct MHD_Connection *, enum MHD_ConnectionInfoType,
                                                         ...);
  int (*get_connection_values)(struct MHD_Connection *, enum MHD_ValueKind, MHD_KeyValueIterator, void *);
  enum MHD_Result (*queue_response)(struct MHD_Connection *, unsigned int, struct MHD_Response *);
  void (*destroy_response)(struct MHD_Response *);
  enum MHD_Result (*add_response_header)(struct MHD_Response *, const char *, const char *);
  enum MHD_Result (*add_response_footer)(struct MHD_Response *, const char *, const char *);
  struct MHD_Response *(*create_response_from_buffer)(size_t, void *, enum MHD_ResponseMemoryMode);
  struct MHD_Response *(*create_response_from_callback)(uint64_t, size_t, MHD_ContentReaderCallback, void *,
                                                        MHD_ContentReaderFreeCallback);
  const char *(*get_reason_phrase_for)(unsigned int);
} wrun_mhd_api;

/* Loads libmicrohttpd.so.12 once per process (thread-safe, pthread_once).
 * Returns the table, or NULL when the library or one of its functions
 * cannot be loaded; then *ERR (if ERR is non-NULL) points to a static
 * message such as "cannot load libmicrohttpd.so.12: <dlerror text>". The
 * table and message live until the process ends. */
const wrun_mhd_api *wrun_mhd_load(const char **err);

#endif
