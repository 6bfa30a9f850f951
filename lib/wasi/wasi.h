/*
 * lib/wasi — a WASI preview1 host (`wasi_snapshot_preview1`, with the older
 * `wasi_unstable` ABI mapped onto it) with a capability sandbox.
 *
 * Spec: WebAssembly/WASI phases/snapshot/witx/wasi_snapshot_preview1.witx
 * (types in typenames.witx). Every function of that witx is implemented here
 * with its errno values; sock_* return ENOTSOCK (no guest descriptor is a
 * socket) or ENOTSUP (a host socket passed as stdio).
 *
 * The host functions form a table, each taking the guest's linear memory as
 * (base, length) and raw argument values (wk_wasi_call), so unit tests drive
 * the host with a fake memory. wk_wasi_p1_define binds the whole table (or
 * wk_wasi_p1_define_imports the part a module imports) to a
 * core linker (lib/interp). The WASI 0.2 host over the same context and
 * sandbox is in wasi/wasi2.h.
 *
 * The sandbox: a guest sees only its preopened directories (fds 3, 4, ...),
 * the host's stdio on fds 0-2, and the args/environment given here (nothing
 * from the host environment). Every path is resolved beneath the directory fd
 * it is relative to with openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)
 * when the kernel has it, else by a component-by-component walk (O_NOFOLLOW
 * opens, symlinks expanded by hand with a depth limit, `..` tracked on a
 * stack). Escapes (`..` past the root, absolute paths, symlinks leading out)
 * fail with ENOTCAPABLE (76). Read-only preopens lose every right that could
 * modify the file system, and host files under them are opened O_RDONLY.
 *
 * Thread safety: a wk_wasi belongs to one store (one thread).
 */
#ifndef WK_WASI_H
#define WK_WASI_H
#include <stdint.h>

#include "base/base.h"

/* Preview1 errno values (typenames.witx `errno`). */
enum wk_wasi_errno {
  WK_WASI_ESUCCESS = 0,
  WK_WASI_E2BIG = 1,
  WK_WASI_EACCES = 2,
  WK_WASI_EAGAIN = 6,
  WK_WASI_EBADF = 8,
  WK_WASI_EBUSY = 10,
  WK_WASI_EEXIST = 20,
  WK_WASI_EFAULT = 21,
  WK_WASI_EFBIG = 22,
  WK_WASI_EINTR = 27,
  WK_WASI_EINVAL = 28,
  WK_WASI_EIO = 29,
  WK_WASI_EISDIR = 31,
  WK_WASI_ELOOP = 32,
  WK_WASI_EMFILE = 33,
  WK_WASI_ENAMETOOLONG = 37,
  WK_WASI_ENOENT = 44,
  WK_WASI_ENOMEM = 48,
  WK_WASI_ENOSPC = 51,
  WK_WASI_ENOSYS = 52,
  WK_WASI_ENOTDIR = 54,
  WK_WASI_ENOTEMPTY = 55,
  WK_WASI_ENOTSOCK = 57,
  WK_WASI_ENOTSUP = 58,
  WK_WASI_EOVERFLOW = 61,
  WK_WASI_EPERM = 63,
  WK_WASI_ESPIPE = 70,
  WK_WASI_EXDEV = 75,
  WK_WASI_ENOTCAPABLE = 76,
};

/* Which ABI a call uses. wasi_unstable (snapshot 0) differs from preview1 in
 * fd_seek's whence numbering, the filestat layout (nlink is u32) and the
 * subscription layout of poll_oneoff; everything else is the same. */
enum wk_wasi_abi { WK_WASI_PREVIEW1 = 0, WK_WASI_UNSTABLE = 1 };

/* Outcome of wk_wasi_call (not the guest's errno, which goes to *result). */
enum wk_wasi_status {
  WK_WASI_RETURN = 0, /* normal return; *result holds the errno (if the function has a result) */
  WK_WASI_EXIT = 1,   /* proc_exit: unwind; wk_wasi_exit_code() has the status */
  WK_WASI_TRAP = 2,   /* trap; wk_wasi_trap_message() says why */
};

typedef struct wk_wasi wk_wasi;

/* One host function: its import name and core type, as valtype bytes
 * (0x7f i32, 0x7e i64; see wk_valtype in encode/encode.h). */
typedef struct wk_wasi_func_desc {
  const char *name;
  uint8_t nparams, nresults; /* nresults is 0 (proc_exit) or 1 (errno) */
  uint8_t params[10];
  uint8_t results[1];
} wk_wasi_func_desc;

/* Import module names: "wasi_snapshot_preview1" and "wasi_unstable". */
#define WK_WASI_MODULE_PREVIEW1 "wasi_snapshot_preview1"
#define WK_WASI_MODULE_UNSTABLE "wasi_unstable"

/* The host function table (static, never freed). */
size_t wk_wasi_func_count(void);
const wk_wasi_func_desc *wk_wasi_func(size_t i);
/* Index of (module, name) in the table with its ABI in *abi, or -1 if the
 * module is not a WASI module or the name is unknown. */
int wk_wasi_lookup(const char *module, const char *name, int *abi);

/* Create a context with no args, no environment and no preopens; stdio are
 * the host's fds 0, 1, 2. Returns NULL on OOM. */
wk_wasi *wk_wasi_new(void);
/* Free the context and close every host fd it opened (not 0-2); file status
 * flags the guest changed on the stdio host fds (O_NONBLOCK, O_APPEND) are
 * restored. */
void wk_wasi_free(wk_wasi *w);
/* Append one argument (argv[0] first). Copies. WK_OK or WK_ERR_NOMEM. */
int wk_wasi_add_arg(wk_wasi *w, const char *arg);
/* Add one environment entry "NAME=VALUE" (copied); an entry with the same
 * NAME is replaced. WK_ERR_USAGE if it has no '=' or an empty name. */
int wk_wasi_add_env(wk_wasi *w, const char *name_value, wk_error *err);
/*
 * Preopen host directory `host_path` under the guest name `guest_path`
 * (given to the guest by fd_prestat_dir_name). `readonly` removes every
 * write right. The directory is opened now (O_DIRECTORY|O_PATH is not used:
 * a real O_RDONLY directory fd). WK_ERR_IO with a message if it cannot be
 * opened. Preopens get fds 3, 4, ... in call order.
 */
int wk_wasi_preopen(wk_wasi *w, const char *host_path, const char *guest_path, int readonly,
                    wk_error *err);
/* Use host fds `in`, `out`, `err` as the guest's fds 0, 1, 2 (default: the
 * host's 0, 1, 2). They are not closed by wk_wasi_free; the caller keeps
 * ownership. Returns WK_OK, or WK_ERR_USAGE if guest fds 0-2 were renumbered
 * or closed already. */
int wk_wasi_set_stdio(wk_wasi *w, int in, int out, int err);
/* Testing aid: 1 forces the component-by-component path walk even when the
 * kernel has openat2. */
void wk_wasi_set_no_openat2(wk_wasi *w, int on);
/* Whether openat2 is in use (probed once at wk_wasi_new). */
int wk_wasi_uses_openat2(const wk_wasi *w);

/*
 * Call host function `index` (from wk_wasi_lookup) with the ABI `abi`.
 * `mem`/`memlen` is the caller's linear memory (memlen 0 and mem NULL if it
 * has none: pointer arguments then fail with EFAULT). `args` holds the
 * parameters as raw values (i32 zero-extended). Every guest pointer and
 * length is bounds-checked: a bad one makes the call return EFAULT, never
 * touch host memory outside [mem, mem+memlen).
 * Returns a wk_wasi_status; for WK_WASI_RETURN *result is the errno.
 */
int wk_wasi_call(wk_wasi *w, int index, int abi, uint8_t *mem, size_t memlen, const uint64_t *args,
                 uint32_t *result);
/*
 * Define every preview1 function under both import modules
 * ("wasi_snapshot_preview1" and "wasi_unstable", with their ABIs) in the core
 * linker `l` as host functions forwarding to wk_wasi_call with the caller's
 * memory 0; proc_exit unwinds with wk_caller_exit (a WK_TRAP_EXIT trap).
 * `w` must outlive every instance linked this way; the bindings belong to w.
 * Imports are type-checked by the linker at instantiation. Errors: those of
 * wk_linker_define_func, WK_ERR_NOMEM.
 */
typedef struct wk_linker wk_linker;
int wk_wasi_p1_define(wk_linker *l, wk_wasi *w, wk_error *err);
/*
 * As wk_wasi_p1_define, but only the preview1 functions module `m` imports
 * (function imports from either module whose name is in the table); other
 * imports are left to the caller. Defining ~180 host functions cost a
 * hello-world run about a fifth of its instructions (issue 13), while a
 * program imports a handful. Same errors as wk_wasi_p1_define.
 */
typedef struct wk_module wk_module;
int wk_wasi_p1_define_imports(wk_linker *l, wk_wasi *w, const wk_module *m, wk_error *err);

/* After WK_WASI_EXIT: the proc_exit status. */
int wk_wasi_exit_code(const wk_wasi *w);
/* After WK_WASI_TRAP: a one-line message (owned by w). */
const char *wk_wasi_trap_message(const wk_wasi *w);

#endif
